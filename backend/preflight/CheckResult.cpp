#include "preflight/CheckResult.h"

QString CheckResult::verdictName(Verdict v)
{
    switch (v) {
    case Pass:
        return QStringLiteral("pass");
    case Warn:
        return QStringLiteral("warn");
    case Fail:
        return QStringLiteral("fail");
    }
    return {};
}

QJsonObject CheckResult::toJson() const
{
    return {{QStringLiteral("id"), id}, {QStringLiteral("verdict"), verdictName(verdict)},
            {QStringLiteral("message"), message}};
}
