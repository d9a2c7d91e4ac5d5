#include "registration/ConnectionTestWorker.h"
#include "core/ByteSize.h"

#include "registration/DatabaseConnectionTest.h"
#include "registration/EnvironmentRegistration.h"

#include <QLocale>

ConnectionTestWorker::ConnectionTestWorker(const QList<DatabaseRef>& databases, const QList<DatabaseRef>& toCompare)
    : m_databases(databases), m_toCompare(toCompare)
{
}

void ConnectionTestWorker::run()
{
    const QList<DatabaseConnectionTest::Result> results =
        DatabaseConnectionTest::run(m_databases, [this](const DatabaseConnectionTest::Result& r) {
            QString message;
            if (r.ok) {
                message =
                    r.sizeBytes >= 0
                        ? tr("Connected in %1 ms (%2).")
                              .arg(r.milliseconds)
                              .arg(ByteSize::text(r.sizeBytes))
                        : tr("Connected in %1 ms.").arg(r.milliseconds);
            } else {
                message = r.error;
            }
            Q_EMIT tested(r.database.role, r.ok, message);
        });
    const bool allOk = DatabaseConnectionTest::allOk(results);
    QVariantMap identities;
    if (allOk) {
        const EnvironmentRegistration::Identities found = EnvironmentRegistration::identify(m_toCompare);
        for (auto it = found.cbegin(); it != found.cend(); ++it)
            identities.insert(it.key(), it.value());
    }
    Q_EMIT finished(allOk, identities);
}
