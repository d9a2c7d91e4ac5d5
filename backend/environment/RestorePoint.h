#pragma once

#include "environment/DatabaseRef.h"
#include "environment/Environment.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

// A restore point of an environment: a whole copy of its databases at one instant,
// kept until it expires or is deleted. A value type, as the catalog's restore_points
// table holds it (RestorePointStore).
//
// Kinds: `operation` (the databases a refresh, restore or apply replaced; kept for its
// rollback, then until it expires), `manual` (Create restore point) and `scheduled`
// (taken by the agent). States: `Creating` (being written: never read, removed by the
// next recovery if its process is gone), `Available`, `Deleting` (being removed).
struct RestorePoint
{
    static inline const QString Operation = QStringLiteral("operation");
    static inline const QString Manual = QStringLiteral("manual");
    static inline const QString Scheduled = QStringLiteral("scheduled");
    static inline const QString Creating = QStringLiteral("Creating");
    static inline const QString Available = QStringLiteral("Available");
    static inline const QString Deleting = QStringLiteral("Deleting");

    qint64 id = 0;
    QString projectId;
    QString environmentId;
    QString kind;
    qint64 operationId = 0; // kind `operation`: the operation whose replaced databases these are
    QString operationState; // that operation's state, as the catalog had it when this was read
    QString state;
    QDateTime created; // the instant the databases hold
    QDateTime expires;
    qint64 bytes = 0;
    QList<DatabaseRef> databases; // each with its role
    // The environment's versions and tenant at that instant: what a restore checks.
    EnvironmentVersions versions;
    QString tenant;
    QString who;

    const DatabaseRef* database(const QString& role) const;
    bool expiredAt(const QDateTime& now) const { return expires.isValid() && expires <= now; }
    // `environment` as it was at the restore point's instant, for a restore to read as
    // its source: the versions and tenant recorded then, the restore point's databases.
    Environment asSource(const Environment& environment) const;
    // "Restore point 4 of contoso-uat (2026-12-02 07:41 UTC)".
    QString title() const;
    // "Manual", "Before operation 12", "Scheduled".
    QString kindTitle() const;
    // The JSON of `dataalm restorepoint list --json`: id, environment, kind, operation,
    // state, created, expires, bytes, databases [role, location].
    QJsonObject toJson() const;
};
