#include "backup/BackupManifest.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

qint64 BackupManifest::payloadBytes() const
{
    qint64 n = 0;
    for (const File& f : files)
        n += f.bytes;
    return n;
}

const BackupManifest::File* BackupManifest::file(const QString& name) const
{
    for (const File& f : files) {
        if (f.name == name)
            return &f;
    }
    return nullptr;
}

QByteArray BackupManifest::toJson() const
{
    QJsonArray list;
    for (const File& f : files)
        list.append(QJsonObject{{QStringLiteral("name"), f.name},
                                {QStringLiteral("bytes"), f.bytes},
                                {QStringLiteral("sha256"), f.sha256}});
    const QJsonObject o{{QStringLiteral("format"), Format},
                        {QStringLiteral("kind"), QStringLiteral("database-backup")},
                        {QStringLiteral("project"), project},
                        {QStringLiteral("sourceEnvironment"), sourceEnvironment},
                        {QStringLiteral("engine"), engine},
                        {QStringLiteral("versions"), QJsonObject{{QStringLiteral("application"), versions.application},
                                                                 {QStringLiteral("platform"), versions.platform},
                                                                 {QStringLiteral("financialReporting"),
                                                                  versions.financialReporting},
                                                                 {QStringLiteral("commerce"), versions.commerce}}},
                        {QStringLiteral("created"), created.toUTC().toString(Qt::ISODateWithMs)},
                        {QStringLiteral("policy"), QJsonObject{{QStringLiteral("sha256"), policySha256}}},
                        {QStringLiteral("tables"), tables},
                        {QStringLiteral("files"), list}};
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

std::optional<BackupManifest> BackupManifest::fromJson(const QByteArray& json, QString* error)
{
    const auto refuse = [&](const QString& why) {
        *error = QStringLiteral("manifest.json %1").arg(why);
        return std::nullopt;
    };
    if (json.size() > MaxBytes)
        return refuse(QStringLiteral("is larger than 1 MiB"));
    QJsonParseError parse;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parse);
    if (!doc.isObject())
        return refuse(QStringLiteral("is not a JSON object (%1)").arg(parse.errorString()));
    const QJsonObject o = doc.object();
    static const QSet<QString> known{QStringLiteral("format"),  QStringLiteral("kind"),     QStringLiteral("project"),
                                     QStringLiteral("sourceEnvironment"), QStringLiteral("engine"),
                                     QStringLiteral("versions"), QStringLiteral("created"), QStringLiteral("policy"),
                                     QStringLiteral("tables"),   QStringLiteral("files")};
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!known.contains(it.key()))
            return refuse(QStringLiteral("has an unknown key \"%1\"").arg(it.key()));
    }
    if (o.value(QStringLiteral("format")).toInt() != Format)
        return refuse(QStringLiteral("has format %1; this build reads format %2")
                          .arg(o.value(QStringLiteral("format")).toVariant().toString())
                          .arg(Format));
    if (o.value(QStringLiteral("kind")).toString() != QLatin1String("database-backup"))
        return refuse(QStringLiteral("is not a database backup's (kind \"%1\")").arg(o.value(QStringLiteral("kind")).toString()));
    BackupManifest m;
    m.project = o.value(QStringLiteral("project")).toString();
    m.sourceEnvironment = o.value(QStringLiteral("sourceEnvironment")).toString();
    m.engine = o.value(QStringLiteral("engine")).toString();
    if (m.engine != DatabaseRef::Sqlite && m.engine != DatabaseRef::Postgres)
        return refuse(QStringLiteral("names an unknown engine \"%1\"").arg(m.engine));
    m.versions = EnvironmentVersions::fromJson(o.value(QStringLiteral("versions")).toObject());
    if (m.versions.application.isEmpty())
        return refuse(QStringLiteral("names no application release"));
    m.created = QDateTime::fromString(o.value(QStringLiteral("created")).toString(), Qt::ISODateWithMs);
    if (!m.created.isValid())
        return refuse(QStringLiteral("has no valid creation time"));
    m.policySha256 = o.value(QStringLiteral("policy")).toObject().value(QStringLiteral("sha256")).toString();
    m.tables = o.value(QStringLiteral("tables")).toObject();
    for (auto it = m.tables.begin(); it != m.tables.end(); ++it) {
        if (!it.value().isDouble() || it.value().toInteger(-1) < 0)
            return refuse(QStringLiteral("gives table %1 no row count").arg(it.key()));
    }
    static const QRegularExpression hex(QStringLiteral("^[0-9a-f]{64}$"));
    QSet<QString> names;
    for (const QJsonValue& v : o.value(QStringLiteral("files")).toArray()) {
        const QJsonObject f = v.toObject();
        File file{f.value(QStringLiteral("name")).toString(), f.value(QStringLiteral("bytes")).toInteger(-1),
                  f.value(QStringLiteral("sha256")).toString()};
        if (file.name.isEmpty() || file.bytes < 0 || !hex.match(file.sha256).hasMatch())
            return refuse(QStringLiteral("lists a file without a name, a size and a SHA-256"));
        if (names.contains(file.name))
            return refuse(QStringLiteral("lists %1 twice").arg(file.name));
        names.insert(file.name);
        m.files.append(file);
    }
    if (m.files.isEmpty())
        return refuse(QStringLiteral("lists no file"));
    return m;
}
