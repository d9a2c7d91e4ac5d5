#pragma once

#include "catalog/Catalog.h"

#include <QString>
#include <QTemporaryDir>

// A catalog in a fresh temporary folder, opened by the constructor at the current
// schema version (or at `version`, to build an older catalog). The folder and all
// it holds are removed when the object goes; the catalog is closed first.
//
// With DATAALM_TEST_CATALOG=postgres (the tests CTest registers a second time, as
// <name>_teamcatalog), the catalog is a team catalog instead: a fresh database on the
// throwaway server (DATAALM_TEST_PG_URL), dropped when the object goes, whose files
// folder is the temporary folder. The same test then runs against both backends.
//
//     TemporaryCatalog t;
//     QVERIFY2(t.isOpen(), qPrintable(t.error()));
//     t->addProject(...);
class TemporaryCatalog
{
public:
    explicit TemporaryCatalog(int version = -1);
    ~TemporaryCatalog();

    // Whether the tests of this process run against a team catalog.
    static bool teamBackend();

    bool isOpen() const { return m_catalog.isOpen(); }
    QString error() const { return m_error; }
    // The files folder (the catalog folder of a SQLite catalog).
    QString folder() const { return m_dir.path(); }
    // What another Catalog (a worker's, a CLI's --catalog) opens: the folder or the URL.
    QString location() const { return m_location; }
    Catalog& catalog() { return m_catalog; }
    Catalog* operator->() { return &m_catalog; }

private:
    QTemporaryDir m_dir; // declared first: outlives the catalog
    Catalog m_catalog;
    QString m_error;
    QString m_location;
    QString m_database;
};
