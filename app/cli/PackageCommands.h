#pragma once

#include "CliContext.h"

#include <QString>
#include <optional>

class OperationCommands;
struct PackageAsset;

// The CLI's package commands: `package list`, `package import` (a file, a built-in
// package of the shared library, or a package of a remote library's index), `apply`,
// and `refresh --reprovision` (a refresh, then the Environment reprovisioning tool).
// Operations run through OperationCommands::drive, like every other operation.
class PackageCommands
{
public:
    PackageCommands(CliContext& context, OperationCommands& operations);

    int package();
    int apply();
    int refreshWithReprovision();

private:
    int list();
    int import();
    int importFromUrl(const QString& project);
    // --project, or the catalog's only project; nullopt with *exitCode set otherwise.
    std::optional<QString> project(int* exitCode);
    int printImported(const PackageAsset& asset, const QString& from);
    // The exit code of an import refusal (AssetLibrary::Refusal).
    int importFailed(int refusal, const QString& message);

    CliContext& m_ctx;
    OperationCommands& m_operations;
};
