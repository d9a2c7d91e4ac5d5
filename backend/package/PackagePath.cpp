#include "package/PackagePath.h"

#include <QStringList>

namespace PackagePath {

bool isSafe(const QString& path, QString* why)
{
    if (path.isEmpty()) {
        *why = QStringLiteral("is empty");
        return false;
    }
    if (path.contains(QLatin1Char('\\'))) {
        *why = QStringLiteral("contains a backslash");
        return false;
    }
    if (path.startsWith(QLatin1Char('/')) || (path.size() >= 2 && path.at(1) == QLatin1Char(':'))) {
        *why = QStringLiteral("is absolute");
        return false;
    }
    for (const QChar c : path) {
        if (c.unicode() < 0x20 || c.unicode() == 0x7f) {
            *why = QStringLiteral("contains a control character");
            return false;
        }
    }
    const QStringList parts = path.split(QLatin1Char('/'));
    for (const QString& part : parts) {
        if (part == QLatin1String("..")) {
            *why = QStringLiteral("contains '..'");
            return false;
        }
        if (part.isEmpty() || part == QLatin1String(".")) {
            *why = QStringLiteral("has an empty or '.' component");
            return false;
        }
    }
    if (path.size() > 512) {
        *why = QStringLiteral("is longer than 512 characters");
        return false;
    }
    return true;
}

} // namespace PackagePath
