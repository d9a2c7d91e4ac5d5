#pragma once

#include "environment/Environment.h"

#include <QMap>
#include <QString>
#include <optional>

// An environment as a person gives it, to register it (`dataalm env add`, the
// console's "Add environment" dialog) or to change some of it (`env edit`, the
// dialog's edit mode): every field as typed, unset when not given. Nothing here is
// checked yet: EnvironmentRegistration turns a draft into an Environment, or says
// which fields are wrong.
struct EnvironmentDraft
{
    QString id;
    std::optional<QString> project;
    std::optional<QString> name;
    std::optional<QString> type; // production, sandbox or devtest
    std::optional<QString> tenant;
    std::optional<QString> admin;
    std::optional<QString> application;        // e.g. 10.0.40
    std::optional<QString> platform;           // a whole number, e.g. 64
    std::optional<QString> financialReporting; // e.g. 7.0.10040.3; "none" clears it
    std::optional<QString> commerce;           // e.g. 9.50; "none" clears it (no Commerce)
    // Role (transactional, financial-reporting) -> URL (DatabaseUrl), for the roles
    // given. In an edit, "none" removes the financial-reporting database.
    QMap<QString, QString> databases;

    // The word that clears an optional field or removes a database.
    static inline const QString None = QStringLiteral("none");

    // Whether anything besides the id is given.
    bool isEmpty() const;
    // Every field of `environment`, databases as URLs: what an edit dialog starts from.
    static EnvironmentDraft fromEnvironment(const Environment& environment);
};
