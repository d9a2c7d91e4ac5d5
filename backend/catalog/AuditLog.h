#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

class Catalog;

// Reads the catalog's audit: what was done, by whom, with which role, from which host,
// oldest first. On a team catalog the server wrote who, the role and the client's
// address, and nobody can change or remove a row (TeamAccess); a login reads what its
// membership lets it.
class AuditLog
{
public:
    struct Entry
    {
        qint64 id = 0;
        QDateTime at;
        QString who;
        QString role;
        QString host;
        QString action;
        QString subject;
        QString detail;

        QJsonObject toJson() const;
    };
    struct Filter
    {
        QDateTime since;     // invalid: from the first
        QString environment; // empty: all; else what names it, or its operations
        int limit = 10000;
    };

    explicit AuditLog(Catalog& catalog);

    // False with `error` when the catalog cannot be read.
    bool read(const Filter& filter, QList<Entry>* entries, QString* error) const;
    // The entries of one operation, oldest first: those that name it by its id, or by
    // the id it had as a request, and its creation.
    bool readOperation(qint64 id, qint64 requestId, const QString& kind, const QString& target,
                       QList<Entry>* entries, QString* error) const;
    // The entries as CSV (RFC 4180: a header, quoted fields, CRLF line ends).
    static QByteArray toCsv(const QList<Entry>& entries);

private:
    Catalog& m_catalog;
};
