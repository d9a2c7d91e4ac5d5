#include "registration/ConnectionTestWorker.h"

#include "registration/DatabaseConnectionTest.h"

#include <QLocale>

ConnectionTestWorker::ConnectionTestWorker(const QList<DatabaseRef>& databases) : m_databases(databases) {}

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
                              .arg(QLocale().formattedDataSize(r.sizeBytes, 1, QLocale::DataSizeTraditionalFormat))
                        : tr("Connected in %1 ms.").arg(r.milliseconds);
            } else {
                message = r.error;
            }
            Q_EMIT tested(r.database.role, r.ok, message);
        });
    Q_EMIT finished(DatabaseConnectionTest::allOk(results));
}
