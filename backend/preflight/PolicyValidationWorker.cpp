#include "preflight/PolicyValidationWorker.h"

#include "coverage/CoverageScan.h"
#include "engine/DatabaseEngine.h"
#include "policy/SchemaInfo.h"

PolicyValidationWorker::PolicyValidationWorker(const DataPolicy& policy, const DatabaseRef& database,
                                               const QSet<QString>& previous)
    : m_policy(policy), m_database(database), m_previous(previous)
{
}

void PolicyValidationWorker::run()
{
    QString error;
    auto engine = DatabaseEngine::forDatabase(m_database);
    const std::optional<SchemaInfo> schema = engine ? engine->readSchema(m_database, &error) : std::nullopt;
    if (!schema) {
        Q_EMIT finished(false,
                        error.isEmpty() ? tr("The schema of %1 cannot be read.").arg(m_database.location()) : error);
        return;
    }
    for (const PolicyRule& rule : m_policy.rules()) {
        bool ok = true;
        QStringList lines;
        const QStringList columns = rule.columnsUsed();
        for (const QString& table : rule.tables) {
            if (!schema->hasTable(table)) {
                ok = false;
                lines << tr("%1: missing table").arg(table);
                continue;
            }
            QStringList parts;
            for (const QString& column : columns) {
                const bool has = schema->hasColumn(table, column);
                ok = ok && has;
                parts << (has ? column : tr("%1 (missing)").arg(column));
            }
            lines << (parts.isEmpty() ? tr("%1: table found").arg(schema->tableName(table))
                                      : tr("%1: table found; columns %2")
                                            .arg(schema->tableName(table), parts.join(QStringLiteral(", "))));
        }
        Q_EMIT ruleChecked(rule.id, ok, lines);
    }
    QString scanError;
    const std::optional<PolicyCoverage> coverage =
        CoverageScan::run(*engine, m_database, *schema, m_policy, m_previous, &scanError);
    Q_EMIT coverageReady(coverage ? coverage->toJson() : QJsonObject(), scanError);
    const bool valid = m_policy.validateAgainst(*schema, &error);
    Q_EMIT finished(valid, valid ? QString() : error);
}
