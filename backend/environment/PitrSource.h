#pragma once

#include <QJsonObject>
#include <QString>

// Where an environment's PostgreSQL server archives its WAL with pgBackRest: the stanza,
// the pgBackRest configuration file (empty: pgBackRest's default), and the operating
// system user that runs pgBackRest and PostgreSQL's programs for it (empty: the user
// running DataALM; needed when that is root, which PostgreSQL refuses). What a true
// point-in-time restore reads (`dataalm env pitr`).
struct PitrSource
{
    QString stanza;
    QString config;
    QString osUser;

    bool isSet() const { return !stanza.isEmpty(); }
    QJsonObject toJson() const
    {
        return {{QStringLiteral("stanza"), stanza}, {QStringLiteral("config"), config}, {QStringLiteral("osUser"), osUser}};
    }
    static PitrSource fromJson(const QJsonObject& o)
    {
        return {o.value(QStringLiteral("stanza")).toString(), o.value(QStringLiteral("config")).toString(),
                o.value(QStringLiteral("osUser")).toString()};
    }
};
