#pragma once

#include <QJsonObject>
#include <QString>

// Where one database of an environment lives: a SQLite file or a PostgreSQL
// database on a server. A value type; it never holds a password (PostgreSQL
// passwords come from libpq's own conventions: ~/.pgpass, PGPASSFILE, services).
struct DatabaseRef
{
    static inline const QString Transactional = QStringLiteral("transactional");
    static inline const QString FinancialReporting = QStringLiteral("financial-reporting");
    static inline const QString Sqlite = QStringLiteral("sqlite");
    static inline const QString Postgres = QStringLiteral("postgres");

    QString role;   // Transactional or FinancialReporting
    QString driver; // Sqlite or Postgres
    QString path;   // Sqlite: absolute file path
    QString host;   // Postgres
    int port = 5432;
    QString name;   // Postgres database name
    QString user;
    QString sslMode;

    bool isSqlite() const { return driver == Sqlite; }
    bool isPostgres() const { return driver == Postgres; }
    // Human-readable location: the file path, or user@host:port/name.
    QString location() const;
    // "SQLite" or "PostgreSQL".
    QString engineTitle() const;
    // A libpq connection string (no password, ever).
    QString postgresConninfo() const;
    QJsonObject toJson() const;
    static DatabaseRef fromJson(const QJsonObject& json);
};
