#include "package/PackageManifest.h"

#include "package/PackagePath.h"
#include "preflight/VersionNumber.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QRegularExpression>

namespace {

const QString Sqlite = QStringLiteral("sqlite");
const QString Postgres = QStringLiteral("postgres");
const QString AnyEngine = QStringLiteral("*");

// Collects the first error; every reader returns false once one is set.
class ManifestReader
{
public:
    explicit ManifestReader(QString* error) : m_error(error) {}

    bool fail(const QString& message)
    {
        *m_error = QStringLiteral("manifest.json: ") + message;
        return false;
    }

    bool onlyKeys(const QJsonObject& o, const QStringList& allowed, const QString& where)
    {
        for (auto it = o.begin(); it != o.end(); ++it) {
            if (!allowed.contains(it.key()))
                return fail(QStringLiteral("%1unknown field '%2' (allowed: %3)")
                                .arg(where, it.key(), allowed.join(QStringLiteral(", "))));
        }
        return true;
    }

    bool text(const QJsonObject& o, const QString& key, const QString& where, QString* out, bool required)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined()) {
            if (required)
                return fail(QStringLiteral("%1the field '%2' is missing").arg(where, key));
            return true;
        }
        if (!v.isString())
            return fail(QStringLiteral("%1'%2' must be a string").arg(where, key));
        *out = v.toString();
        if (required && out->trimmed().isEmpty())
            return fail(QStringLiteral("%1'%2' must not be empty").arg(where, key));
        for (const QChar c : *out) {
            if (c.category() == QChar::Other_Control && c != QLatin1Char('\n') && c != QLatin1Char('\t'))
                return fail(QStringLiteral("%1'%2' holds a control character").arg(where, key));
        }
        return true;
    }

    bool version(const QJsonObject& o, const QString& key, const QString& where, QString* out, bool required)
    {
        if (!text(o, key, where, out, required))
            return false;
        if (o.contains(key) && !PackageManifest::isVersionNumber(*out))
            return fail(QStringLiteral("%1'%2' must be a dotted release number such as 10.0.41, not '%3'")
                            .arg(where, key, *out));
        return true;
    }

    bool platform(const QJsonObject& o, const QString& key, const QString& where, int* out)
    {
        const QJsonValue v = o.value(key);
        if (v.isUndefined())
            return true;
        const double d = v.toDouble(-1);
        if (!v.isDouble() || d != double(qint64(d)) || d < 1 || d > 100000)
            return fail(QStringLiteral("%1'%2' must be a platform update number such as 64").arg(where, key));
        *out = int(d);
        return true;
    }

    bool file(const QString& path, const QString& where)
    {
        QString why;
        if (!PackagePath::isSafe(path, &why))
            return fail(QStringLiteral("%1the file name '%2' %3").arg(where, path, why));
        if (path == PackageManifest::FileName)
            return fail(QStringLiteral("%1the manifest cannot name itself").arg(where));
        return true;
    }

private:
    QString* m_error;
};

} // namespace

QJsonObject PackageManifest::Requirements::toJson() const
{
    QJsonObject o;
    if (!application.isEmpty())
        o.insert(QStringLiteral("application"), application);
    if (platform > 0)
        o.insert(QStringLiteral("platform"), platform);
    if (commerce)
        o.insert(QStringLiteral("commerce"), true);
    return o;
}

EnvironmentVersions PackageManifest::Versions::appliedTo(const EnvironmentVersions& current) const
{
    EnvironmentVersions v = current;
    if (!application.isEmpty())
        v.application = application;
    if (platform > 0)
        v.platform = platform;
    if (!financialReporting.isEmpty())
        v.financialReporting = financialReporting;
    if (!commerce.isEmpty())
        v.commerce = commerce;
    return v;
}

QJsonObject PackageManifest::Versions::toJson() const
{
    QJsonObject o;
    if (!application.isEmpty())
        o.insert(QStringLiteral("application"), application);
    if (platform > 0)
        o.insert(QStringLiteral("platform"), platform);
    if (!financialReporting.isEmpty())
        o.insert(QStringLiteral("financialReporting"), financialReporting);
    if (!commerce.isEmpty())
        o.insert(QStringLiteral("commerce"), commerce);
    return o;
}

QString PackageManifest::Step::fileFor(const QString& driver) const
{
    return files.value(driver, files.value(AnyEngine));
}

QJsonObject PackageManifest::Step::toJson() const
{
    QJsonObject o{{QStringLiteral("name"), name}};
    const QString key = kind == Kind::Check ? QStringLiteral("check") : QStringLiteral("sql");
    if (files.size() == 1 && files.contains(AnyEngine)) {
        o.insert(key, files.value(AnyEngine));
    } else {
        QJsonObject perEngine;
        for (auto it = files.begin(); it != files.end(); ++it)
            perEngine.insert(it.key(), it.value());
        o.insert(key, perEngine);
    }
    if (kind == Kind::Check)
        o.insert(QStringLiteral("message"), message);
    return o;
}

QString PackageManifest::typeName(Type type)
{
    switch (type) {
    case Type::Application:
        return QStringLiteral("application");
    case Type::Platform:
        return QStringLiteral("platform");
    case Type::Reprovisioning:
        return QStringLiteral("reprovisioning");
    case Type::Customization:
        return QStringLiteral("customization");
    }
    return {};
}

std::optional<PackageManifest::Type> PackageManifest::typeFromName(const QString& name)
{
    for (Type t : {Type::Application, Type::Platform, Type::Reprovisioning, Type::Customization}) {
        if (typeName(t) == name)
            return t;
    }
    return std::nullopt;
}

QString PackageManifest::typeTitle(Type type)
{
    switch (type) {
    case Type::Application:
        return QStringLiteral("Application update");
    case Type::Platform:
        return QStringLiteral("Platform update");
    case Type::Reprovisioning:
        return QStringLiteral("Reprovisioning");
    case Type::Customization:
        return QStringLiteral("Customization");
    }
    return {};
}

bool PackageManifest::isVersionNumber(const QString& text)
{
    static const QRegularExpression re(QStringLiteral("^[0-9]{1,9}(\\.[0-9]{1,9}){0,5}$"));
    return re.match(text).hasMatch();
}

std::optional<PackageManifest> PackageManifest::fromJson(const QByteArray& json, QString* error)
{
    ManifestReader r(error);
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (doc.isNull()) {
        r.fail(QStringLiteral("not valid JSON (%1 at offset %2)").arg(parseError.errorString()).arg(parseError.offset));
        return std::nullopt;
    }
    if (!doc.isObject()) {
        r.fail(QStringLiteral("must hold a JSON object"));
        return std::nullopt;
    }
    const QJsonObject o = doc.object();
    PackageManifest m;
    const QStringList topLevel = {QStringLiteral("format"), QStringLiteral("name"),        QStringLiteral("version"),
                                  QStringLiteral("type"),   QStringLiteral("description"), QStringLiteral("requires"),
                                  QStringLiteral("sets"),   QStringLiteral("steps"),       QStringLiteral("sha256")};
    if (!r.onlyKeys(o, topLevel, QString()))
        return std::nullopt;

    const QJsonValue format = o.value(QStringLiteral("format"));
    if (format.isUndefined()) {
        r.fail(QStringLiteral("the field 'format' is missing"));
        return std::nullopt;
    }
    if (!format.isDouble() || format.toDouble() != double(Format)) {
        r.fail(QStringLiteral("format %1 is not supported (this build reads format %2)")
                   .arg(format.isDouble() ? QString::number(format.toDouble()) : QStringLiteral("(not a number)"))
                   .arg(Format));
        return std::nullopt;
    }
    QString typeText;
    if (!r.text(o, QStringLiteral("name"), QString(), &m.name, true) ||
        !r.version(o, QStringLiteral("version"), QString(), &m.version, true) ||
        !r.text(o, QStringLiteral("type"), QString(), &typeText, true) ||
        !r.text(o, QStringLiteral("description"), QString(), &m.description, false))
        return std::nullopt;
    if (m.name.size() > 200) {
        r.fail(QStringLiteral("'name' is longer than 200 characters"));
        return std::nullopt;
    }
    const auto type = typeFromName(typeText);
    if (!type) {
        r.fail(QStringLiteral("type '%1' is not one of application, platform, reprovisioning, customization")
                   .arg(typeText));
        return std::nullopt;
    }
    m.type = *type;

    // requires
    const QJsonValue req = o.value(QStringLiteral("requires"));
    if (!req.isUndefined()) {
        const QString where = QStringLiteral("requires: ");
        if (!req.isObject()) {
            r.fail(QStringLiteral("'requires' must be an object"));
            return std::nullopt;
        }
        const QJsonObject ro = req.toObject();
        if (!r.onlyKeys(ro, {QStringLiteral("application"), QStringLiteral("platform"), QStringLiteral("commerce")},
                        where) ||
            !r.version(ro, QStringLiteral("application"), where, &m.requirements.application, false) ||
            !r.platform(ro, QStringLiteral("platform"), where, &m.requirements.platform))
            return std::nullopt;
        const QJsonValue commerce = ro.value(QStringLiteral("commerce"));
        if (!commerce.isUndefined() && !commerce.isBool()) {
            r.fail(QStringLiteral("requires: 'commerce' must be true or false"));
            return std::nullopt;
        }
        m.requirements.commerce = commerce.toBool(false);
    }

    // sets
    const QJsonValue sets = o.value(QStringLiteral("sets"));
    if (!sets.isUndefined()) {
        const QString where = QStringLiteral("sets: ");
        if (!sets.isObject()) {
            r.fail(QStringLiteral("'sets' must be an object"));
            return std::nullopt;
        }
        const QJsonObject so = sets.toObject();
        if (!r.onlyKeys(so,
                        {QStringLiteral("application"), QStringLiteral("platform"),
                         QStringLiteral("financialReporting"), QStringLiteral("commerce")},
                        where) ||
            !r.version(so, QStringLiteral("application"), where, &m.sets.application, false) ||
            !r.platform(so, QStringLiteral("platform"), where, &m.sets.platform) ||
            !r.version(so, QStringLiteral("financialReporting"), where, &m.sets.financialReporting, false) ||
            !r.version(so, QStringLiteral("commerce"), where, &m.sets.commerce, false))
            return std::nullopt;
    }

    // sha256
    const QJsonValue hashes = o.value(QStringLiteral("sha256"));
    if (!hashes.isObject()) {
        r.fail(hashes.isUndefined() ? QStringLiteral("the field 'sha256' is missing")
                                    : QStringLiteral("'sha256' must be an object of file names and SHA-256 digests"));
        return std::nullopt;
    }
    static const QRegularExpression hex(QStringLiteral("^[0-9a-fA-F]{64}$"));
    const QJsonObject ho = hashes.toObject();
    for (auto it = ho.begin(); it != ho.end(); ++it) {
        const QString where = QStringLiteral("sha256: ");
        if (!r.file(it.key(), where))
            return std::nullopt;
        if (!it.value().isString() || !hex.match(it.value().toString()).hasMatch()) {
            r.fail(QStringLiteral("sha256: the digest of %1 must be 64 hexadecimal digits").arg(it.key()));
            return std::nullopt;
        }
        m.sha256.insert(it.key(), it.value().toString().toLower());
    }

    // steps
    const QJsonValue steps = o.value(QStringLiteral("steps"));
    if (!steps.isArray() || steps.toArray().isEmpty()) {
        r.fail(steps.isUndefined() ? QStringLiteral("the field 'steps' is missing")
                                   : QStringLiteral("'steps' must be a non-empty list"));
        return std::nullopt;
    }
    const QJsonArray stepArray = steps.toArray();
    for (int i = 0; i < stepArray.size(); ++i) {
        QString where = QStringLiteral("step %1: ").arg(i + 1);
        if (!stepArray.at(i).isObject()) {
            r.fail(where + QStringLiteral("must be an object"));
            return std::nullopt;
        }
        const QJsonObject so = stepArray.at(i).toObject();
        Step s;
        if (!r.text(so, QStringLiteral("name"), where, &s.name, true))
            return std::nullopt;
        where = QStringLiteral("step %1 (%2): ").arg(i + 1).arg(s.name);
        const bool isSql = so.contains(QStringLiteral("sql"));
        const bool isCheck = so.contains(QStringLiteral("check"));
        QStringList kinds;
        for (auto it = so.begin(); it != so.end(); ++it) {
            if (it.key() != QLatin1String("name") && it.key() != QLatin1String("message"))
                kinds << it.key();
        }
        if (isSql && isCheck) {
            r.fail(where + QStringLiteral("a step is either 'sql' or 'check', not both"));
            return std::nullopt;
        }
        if (!isSql && !isCheck) {
            r.fail(kinds.isEmpty()
                       ? where + QStringLiteral("no kind: give it 'sql' or 'check'")
                       : where + QStringLiteral("unknown step kind '%1' (known: sql, check)").arg(kinds.first()));
            return std::nullopt;
        }
        const QString key = isCheck ? QStringLiteral("check") : QStringLiteral("sql");
        s.kind = isCheck ? Step::Kind::Check : Step::Kind::Sql;
        if (!r.onlyKeys(so,
                        isCheck ? QStringList{QStringLiteral("name"), QStringLiteral("check"), QStringLiteral("message")}
                                : QStringList{QStringLiteral("name"), QStringLiteral("sql")},
                        where) ||
            (isCheck && !r.text(so, QStringLiteral("message"), where, &s.message, true)))
            return std::nullopt;
        // One file for every engine, or {"sqlite": file, "postgres": file}.
        const QJsonValue value = so.value(key);
        if (value.isString()) {
            QString f = value.toString();
            if (!r.file(f, where))
                return std::nullopt;
            s.files.insert(AnyEngine, f);
        } else if (value.isObject()) {
            const QJsonObject files = value.toObject();
            if (files.isEmpty()) {
                r.fail(where + QStringLiteral("'%1' names no file").arg(key));
                return std::nullopt;
            }
            if (!r.onlyKeys(files, {Sqlite, Postgres}, where + key + QStringLiteral(": ")))
                return std::nullopt;
            for (auto it = files.begin(); it != files.end(); ++it) {
                QString f;
                if (!r.text(files, it.key(), where + key + QStringLiteral(": "), &f, true) || !r.file(f, where))
                    return std::nullopt;
                s.files.insert(it.key(), f);
            }
        } else {
            r.fail(where + QStringLiteral("'%1' must be a file name or an object {\"sqlite\": file, "
                                          "\"postgres\": file}")
                               .arg(key));
            return std::nullopt;
        }
        const QStringList files = s.files.values();
        for (const QString& f : files) {
            if (!m.sha256.contains(f)) {
                r.fail(where + QStringLiteral("%1 is not listed in 'sha256'").arg(f));
                return std::nullopt;
            }
        }
        m.steps.append(s);
    }
    return m;
}

QJsonObject PackageManifest::toJson() const
{
    QJsonArray stepArray;
    for (const Step& s : steps)
        stepArray.append(s.toJson());
    QJsonObject hashes;
    for (auto it = sha256.begin(); it != sha256.end(); ++it)
        hashes.insert(it.key(), it.value());
    QJsonObject o{{QStringLiteral("format"), format},   {QStringLiteral("name"), name},
                  {QStringLiteral("version"), version}, {QStringLiteral("type"), typeName(type)},
                  {QStringLiteral("steps"), stepArray}, {QStringLiteral("sha256"), hashes}};
    if (!description.isEmpty())
        o.insert(QStringLiteral("description"), description);
    if (!requirements.isEmpty())
        o.insert(QStringLiteral("requires"), requirements.toJson());
    if (!sets.isEmpty())
        o.insert(QStringLiteral("sets"), sets.toJson());
    return o;
}

QStringList PackageManifest::unmetRequirements(const Environment& target) const
{
    QStringList unmet;
    const EnvironmentVersions& v = target.versions;
    if (!requirements.application.isEmpty() && compareVersions(v.application, requirements.application) < 0)
        unmet << QStringLiteral("%1 requires application release %2 or later; %3 runs %4.")
                     .arg(title(), requirements.application, target.id, v.application);
    if (requirements.platform > 0 && v.platform < requirements.platform)
        unmet << QStringLiteral("%1 requires platform update %2 or later; %3 runs platform update %4.")
                     .arg(title())
                     .arg(requirements.platform)
                     .arg(target.id)
                     .arg(v.platform);
    if (requirements.commerce && !target.hasCommerce())
        unmet << QStringLiteral("%1 requires Commerce; %2 runs no Commerce.").arg(title(), target.id);
    if (!sets.application.isEmpty() && compareVersions(v.application, sets.application) >= 0)
        unmet << QStringLiteral("%1 already runs application release %2; %3 would set %4.")
                     .arg(target.id, v.application, title(), sets.application);
    if (sets.platform > 0 && v.platform >= sets.platform)
        unmet << QStringLiteral("%1 already runs platform update %2; %3 would set %4.")
                     .arg(target.id)
                     .arg(v.platform)
                     .arg(title())
                     .arg(sets.platform);
    return unmet;
}
