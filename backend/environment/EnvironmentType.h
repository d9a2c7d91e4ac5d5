#pragma once

#include <QString>
#include <optional>

// The three kinds of LCS environment. Only sandboxes can be refresh targets.
enum class EnvironmentType { Production, Sandbox, DevTest };

// "production", "sandbox", "devtest": the ids of the CLI contract and the catalog.
QString environmentTypeId(EnvironmentType type);
// "Production", "Sandbox", "Dev/test": what a person reads.
QString environmentTypeTitle(EnvironmentType type);
std::optional<EnvironmentType> environmentTypeFromId(const QString& id);
