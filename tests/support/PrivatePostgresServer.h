#pragma once

#include <QString>
#include <QTemporaryDir>

// A PostgreSQL server of one test's own, on a loopback port, for what the shared server
// of scripts/test must not suffer: a restart in the middle of a run. Made with the
// binaries scripts/test found (DATAALM_TEST_PG_BIN), run as DATAALM_TEST_PG_RUNAS when
// the tests run as root; trust authentication, no fsync. The destructor stops it and
// removes its files.
class PrivatePostgresServer
{
public:
    PrivatePostgresServer();
    ~PrivatePostgresServer();
    PrivatePostgresServer(const PrivatePostgresServer&) = delete;
    PrivatePostgresServer& operator=(const PrivatePostgresServer&) = delete;

    // Before start(): connections over TCP need a password (scram-sha-256); the local
    // socket stays trusted, for execLocal().
    void requirePasswords() { m_passwords = true; }
    // initdb and start; false (and why in `error`) when it cannot.
    bool start(QString* error);
    // Runs `sql` as postgres through the server's local socket (psql).
    bool execLocal(const QString& sql, QString* error);
    // The folder holding its files (data, server.log).
    QString folder() const { return m_dir.path(); }
    // pg_ctl restart -m fast: every connection is dropped, the server is back once it returns.
    bool restart(QString* error);
    // pg_ctl stop -m immediate: the server goes away as if it crashed (no checkpoint, connections cut).
    bool stop(QString* error = nullptr);
    // Starts the stopped server again, on the same port with the same data.
    bool startAgain(QString* error);
    int port() const { return m_port; }
    // postgresql://postgres@127.0.0.1:PORT/NAME
    QString url(const QString& database = QStringLiteral("postgres")) const;

private:
    bool startOnPort(QString* error);
    bool run(const QStringList& command, QString* error, int timeoutMs = 120000);
    QTemporaryDir m_dir;
    QString m_bin;
    QString m_runAs;
    int m_port = 0;
    bool m_running = false;
    bool m_passwords = false;
};
