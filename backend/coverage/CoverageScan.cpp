#include "coverage/CoverageScan.h"

#include "engine/DatabaseEngine.h"
#include "policy/DataPolicy.h"
#include "policy/PolicySql.h"
#include "policy/SchemaInfo.h"

namespace CoverageScan {

std::optional<PolicyCoverage> run(DatabaseEngine& engine, const DatabaseRef& source, const SchemaInfo& schema,
                                  const DataPolicy& policy, const QSet<QString>& previous, QString* error)
{
    const PolicySql sql(engine.dialect());
    QList<PolicyStatement> statements;
    QList<std::pair<QString, QStringList>> sampled; // per statement: the table and its text columns
    for (const QString& table : schema.tables()) {
        QStringList columns;
        for (const SchemaInfo::Column& c : schema.columns(table)) {
            if (SchemaInfo::holdsText(c))
                columns << c.name;
        }
        if (columns.isEmpty())
            continue;
        statements << sql.sampleText(QString(), table, columns, SampleRows);
        sampled << std::make_pair(table, columns);
    }
    QHash<QString, QHash<QString, QStringList>> samples;
    // A table another session locked is judged by its column names alone: a preflight does
    // not wait on it (the copy would, and says so).
    QStringList skipped;
    const bool ok = engine.queryEach(
        source, statements,
        [&](int i, const QVariantList& row) {
            const auto& [table, columns] = sampled.at(i);
            QHash<QString, QStringList>& perColumn = samples[table];
            for (int c = 0; c < columns.size() && c < row.size(); ++c) {
                if (row.at(c).typeId() == QMetaType::QString && !row.at(c).toString().isEmpty())
                    perColumn[columns.at(c)] << row.at(c).toString();
            }
        },
        error, DatabaseEngine::QueryOptions{&skipped, 2000});
    if (!ok)
        return std::nullopt;
    return PolicyCoverage::analyse(policy, schema, samples, previous);
}

} // namespace CoverageScan
