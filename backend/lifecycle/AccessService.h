#pragma once

#include <QCoreApplication>
#include <QDateTime>
#include <QString>
#include <optional>

class Catalog;
struct Environment;

// Asking for just-in-time access (AccessGrantStore), for the CLI's `access request` and
// the console's Request Database Access…: checks what may be asked (a team catalog, a
// PostgreSQL database, the login's right to operate the environment, read-only on
// production, 1 to 8 hours, a reason), makes the password here (24 random characters from
// the system's generator), and files the grant with its SCRAM verifier only. An agent
// makes the login (AccessGrantAgent).
//
// Promises: the password is returned to the caller once and kept nowhere; a process that
// asks makes no core dump from then on.
class AccessService
{
    Q_DECLARE_TR_FUNCTIONS(AccessService)

public:
    struct Request
    {
        QString databaseRole = QStringLiteral("transactional");
        bool readWrite = false;
        QString reason;
        int hours = 8;
    };
    struct Issued
    {
        qint64 id = 0;
        QString login;
        QString password;
        QString host;
        int port = 0;
        QString database;
        QDateTime validUntil;
    };
    enum class Outcome
    {
        Done,
        Usage,      // what was asked is not a request (exit 2)
        Unknown,    // no such database (exit 4)
        NotAllowed, // the role, the engine, production (exit 5)
        Failed,
    };

    explicit AccessService(Catalog& catalog);

    Outcome request(const Environment& environment, const Request& request, Issued* issued, QString* error);
    // Why `environment` cannot take a request (`readWrite`), empty when it can: what a
    // console greys out.
    QString refusal(const Environment& environment, bool readWrite) const;

private:
    Catalog& m_catalog;
};
