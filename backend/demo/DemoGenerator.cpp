#include "demo/DemoGenerator.h"

#include "catalog/Catalog.h"

DemoGenerator::DemoGenerator(Catalog& catalog)
    : m_catalog(catalog)
{
}

bool DemoGenerator::generate(const Options& options, QString* error, const Progress& progress)
{
    *error = QStringLiteral("not implemented yet");
    return false;
}
