#pragma once

#include <QList>
#include <QStringList>

// The catalog's schema, as an ordered list of migrations. Migration N (1-based)
// takes a catalog from version N-1 to N. Never edit a published migration: add one.
struct CatalogMigration
{
    int version;
    const char* description;
    QStringList statements;
    // Run after `statements` on a team catalog (PostgreSQL) only: its triggers and functions.
    QStringList postgresOnly = {};
};

const QList<CatalogMigration>& catalogMigrations();
