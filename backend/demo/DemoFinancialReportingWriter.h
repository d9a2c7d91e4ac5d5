#pragma once

#include "demo/DemoEnvironmentPlan.h"

#include <QString>

// Writes one environment's financial reporting database: report definitions, their
// rows, columns and reporting trees (a few hundred rows), deterministic for the
// environment. A refresh copies it as it is.
class DemoFinancialReportingWriter
{
public:
    // About what the database takes on disk, for progress totals.
    static constexpr qint64 ApproximateBytes = 160 * 1024;

    explicit DemoFinancialReportingWriter(const DemoEnvironmentPlan& plan);

    // Creates `path` (which must not exist); on failure `error` names the cause and
    // the half-written file is left for the caller to remove.
    bool write(const QString& path, QString* error);

private:
    const DemoEnvironmentPlan& m_plan;
};
