#pragma once

#include "policy/PolicyCoverage.h"

#include <QSet>
#include <QString>
#include <optional>

class DataPolicy;
class DatabaseEngine;
class SchemaInfo;
struct DatabaseRef;

// Reads what PolicyCoverage needs from a source database: a sample of every text column's
// values (the first rows of each table, read-only, one snapshot), then judges each column.
// Used by the preflight's policy-coverage check and the console's Data Policy view.
//
// Promises: reads only; samples stay in memory and leave through no result, log or error
// (only the detectors' counts do).
namespace CoverageScan {

// Rows read per table for the value detectors.
constexpr int SampleRows = 200;

std::optional<PolicyCoverage> run(DatabaseEngine& engine, const DatabaseRef& source, const SchemaInfo& schema,
                                  const DataPolicy& policy, const QSet<QString>& previous, QString* error);

} // namespace CoverageScan
