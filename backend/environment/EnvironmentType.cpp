#include "environment/EnvironmentType.h"

QString environmentTypeId(EnvironmentType type)
{
    switch (type) {
    case EnvironmentType::Production:
        return QStringLiteral("production");
    case EnvironmentType::Sandbox:
        return QStringLiteral("sandbox");
    case EnvironmentType::DevTest:
        return QStringLiteral("devtest");
    }
    return {};
}

QString environmentTypeTitle(EnvironmentType type)
{
    switch (type) {
    case EnvironmentType::Production:
        return QStringLiteral("Production");
    case EnvironmentType::Sandbox:
        return QStringLiteral("Sandbox");
    case EnvironmentType::DevTest:
        return QStringLiteral("Dev/test");
    }
    return {};
}

std::optional<EnvironmentType> environmentTypeFromId(const QString& id)
{
    for (auto t : {EnvironmentType::Production, EnvironmentType::Sandbox, EnvironmentType::DevTest}) {
        if (environmentTypeId(t) == id)
            return t;
    }
    return std::nullopt;
}
