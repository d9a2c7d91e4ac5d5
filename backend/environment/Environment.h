#pragma once

#include "environment/DatabaseRef.h"
#include "environment/EnvironmentType.h"

#include <QJsonObject>
#include <QList>
#include <QString>

// The versions shown on LCS's Environment details page. `commerce` is empty when
// the environment runs no Commerce.
struct EnvironmentVersions
{
    QString application;        // e.g. 10.0.40
    int platform = 0;           // platform update, e.g. 64
    QString financialReporting; // e.g. 7.0.10040.3
    QString commerce;           // e.g. 9.50, or empty

    QJsonObject toJson() const;
    static EnvironmentVersions fromJson(const QJsonObject& json);
};

// One environment of a project as the catalog knows it: a value type, safe to copy
// between threads. `state` is derived by the catalog from the operations on it:
// "Deployed", "Servicing" (an operation is running) or "Failed" (the last one failed).
struct Environment
{
    QString id;
    QString projectId;
    QString name;
    EnvironmentType type = EnvironmentType::Sandbox;
    QString state;
    QString tenant;
    QString admin;
    EnvironmentVersions versions;
    QList<DatabaseRef> databases;
    // Marked protected by a Project owner (team catalog): its refreshes, restores,
    // imports and updates wait for a second Project owner's approval. Production is
    // protected whatever the mark says (isProtected).
    bool markedProtected = false;

    bool isProtected() const { return type == EnvironmentType::Production || markedProtected; }

    bool hasCommerce() const { return !versions.commerce.isEmpty(); }
    // The database with `role`, or nullptr.
    const DatabaseRef* database(const QString& role) const;
    // The JSON of `dataalm env show` (the CLI contract).
    QJsonObject toJson() const;
};
