#pragma once

#include "catalog/Catalog.h"

#include <QString>
#include <QTemporaryDir>

// A catalog in a fresh temporary folder, opened by the constructor at the current
// schema version (or at `version`, to build an older catalog). The folder and all
// it holds are removed when the object goes; the catalog is closed first.
//
//     TemporaryCatalog t;
//     QVERIFY2(t.isOpen(), qPrintable(t.error()));
//     t->addProject(...);
class TemporaryCatalog
{
public:
    explicit TemporaryCatalog(int version = -1);

    bool isOpen() const { return m_catalog.isOpen(); }
    QString error() const { return m_error; }
    QString folder() const { return m_dir.path(); }
    Catalog& catalog() { return m_catalog; }
    Catalog* operator->() { return &m_catalog; }

private:
    QTemporaryDir m_dir; // declared first: outlives the catalog
    Catalog m_catalog;
    QString m_error;
};
