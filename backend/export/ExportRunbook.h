#pragma once

#include <QStringList>

// The steps of Export database (docs/ARCHITECTURE.md "Export and import").
namespace ExportRunbook {

enum Step
{
    Validate = 1,
    PrepareStaging,
    CopyTransactional,
    ApplyDataPolicy,
    VerifyStaging,
    WriteBackup,
    AddToLibrary,
};

inline QStringList stepNames()
{
    return {QStringLiteral("Validate"),
            QStringLiteral("Prepare staging database"),
            QStringLiteral("Copy transactional database"),
            QStringLiteral("Apply data policy"),
            QStringLiteral("Verify staging database"),
            QStringLiteral("Write backup file"),
            QStringLiteral("Add to the asset library")};
}

} // namespace ExportRunbook
