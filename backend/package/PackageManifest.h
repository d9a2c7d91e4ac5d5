#pragma once

#include "environment/Environment.h"

#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>
#include <QStringList>
#include <optional>

// The manifest.json of a deployable package (docs/ARCHITECTURE.md "Deployable packages"): a
// value type, safe to copy between threads.
//
// Promises: fromJson() accepts only what the format describes (format 1, the four
// types, the known fields of `requires`, `sets` and the steps) and refuses anything
// else with a message that names the field and the rule broken; what it returns is
// consistent (every file a step names is listed in `sha256`). It never looks at
// the files themselves: PackageArchive does.
class PackageManifest
{
public:
    static constexpr int Format = 1;
    static inline const QString FileName = QStringLiteral("manifest.json");

    enum class Type
    {
        Application,
        Platform,
        Reprovisioning,
        Customization
    };

    // The minimum versions a target must run; unset members are not required.
    struct Requirements
    {
        QString application;
        int platform = 0;
        bool commerce = false;

        bool isEmpty() const { return application.isEmpty() && platform == 0 && !commerce; }
        QJsonObject toJson() const;
    };

    // The versions the target runs after the package; unset members stay as they are.
    struct Versions
    {
        QString application;
        int platform = 0;
        QString financialReporting;
        QString commerce;

        bool isEmpty() const
        {
            return application.isEmpty() && platform == 0 && financialReporting.isEmpty() && commerce.isEmpty();
        }
        // `current` with the members set here replaced.
        EnvironmentVersions appliedTo(const EnvironmentVersions& current) const;
        QJsonObject toJson() const;
    };

    // One step of the package's runbook: a `sql` step runs a script (one file per
    // engine, "sqlite" and/or "postgres"); a `check` step runs a query whose 0 or NULL
    // fails the step with `message`. Scripts and queries may use the named parameters
    // :environment, :tenant and :administrator (the target's id, tenant and
    // administrator); any other parameter fails the step.
    struct Step
    {
        enum class Kind
        {
            Sql,
            Check
        };
        QString name;
        Kind kind = Kind::Sql;
        // engine ("sqlite", "postgres", or AnyEngine for one file for all) -> file: the
        // script of a `sql` step or the query of a `check` step.
        QMap<QString, QString> files;
        QString message;

        // The file this step runs on `driver` ("sqlite", "postgres"); empty if none.
        QString fileFor(const QString& driver) const;
        QJsonObject toJson() const;
    };

    int format = Format;
    QString name;
    QString version;
    Type type = Type::Application;
    QString description;
    Requirements requirements; // "requires"
    Versions sets;
    QList<Step> steps;
    QMap<QString, QString> sha256; // file -> lower-case hex

    static std::optional<PackageManifest> fromJson(const QByteArray& json, QString* error);
    QJsonObject toJson() const;

    static QString typeName(Type type);
    static std::optional<Type> typeFromName(const QString& name);
    static QString typeTitle(Type type);
    // "Environment reprovisioning tool 1.0.0".
    QString title() const { return name + QLatin1Char(' ') + version; }

    // Why `target` does not meet `requirements` (one sentence each), or why the package
    // would not move it forward (it already runs the versions `sets` names, or later).
    // Empty: the package may be applied.
    QStringList unmetRequirements(const Environment& target) const;

    // A dotted release number such as 10.0.41 or 7.0.10040.5.
    static bool isVersionNumber(const QString& text);
};
