#include "PolicyGolden.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QUrl>

namespace PolicyGolden {

QByteArray readFile(const QString& path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList nonEmptyLines(const QByteArray& text)
{
    QStringList lines;
    for (const QString& line : QString::fromUtf8(text).split(QLatin1Char('\n'))) {
        if (!line.trimmed().isEmpty())
            lines << line.trimmed();
    }
    return lines;
}

QString quoted(const QString& identifier)
{
    return QLatin1Char('"') + QString(identifier).replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"');
}

QString canonical(const QJsonObject& row)
{
    return QString::fromUtf8(QJsonDocument(row).toJson(QJsonDocument::Compact));
}

QStringList readExpectedRows(const QString& path, QString* error)
{
    QStringList rows;
    const QStringList lines = nonEmptyLines(readFile(path));
    for (int i = 0; i < lines.size(); ++i) {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(lines.at(i).toUtf8(), &parseError);
        if (!doc.isObject()) {
            *error = QStringLiteral("%1:%2: not a JSON object (%3)").arg(path).arg(i + 1).arg(parseError.errorString());
            return {};
        }
        rows << canonical(doc.object());
    }
    return rows;
}

PolicyContext readContext(const QString& path)
{
    PolicyContext context{QStringLiteral("admin@contoso.onmicrosoft.com"), QStringLiteral("contoso.onmicrosoft.com")};
    if (!QFile::exists(path))
        return context;
    const QJsonObject o = QJsonDocument::fromJson(readFile(path)).object();
    context.administrator = o.value(QLatin1String("administrator")).toString();
    context.tenant = o.value(QLatin1String("tenant")).toString();
    context.maskSecret = o.value(QLatin1String("maskSecret")).toString();
    return context;
}

QString tableFromFileName(const QString& fileName)
{
    const QString base = fileName.chopped(int(QStringLiteral(".jsonl").size()));
    return QUrl::fromPercentEncoding(base.toUtf8());
}

} // namespace PolicyGolden
