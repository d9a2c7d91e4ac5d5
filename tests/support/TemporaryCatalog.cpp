#include "TemporaryCatalog.h"

#include "PostgresTestSupport.h"

bool TemporaryCatalog::teamBackend()
{
    return qEnvironmentVariable("DATAALM_TEST_CATALOG") == QLatin1String("postgres");
}

TemporaryCatalog::TemporaryCatalog(int version)
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary folder: %1").arg(m_dir.errorString());
        return;
    }
    m_location = m_dir.path();
    if (teamBackend()) {
        const DatabaseRef server = PostgresTestSupport::server();
        if (server.driver.isEmpty()) {
            m_error = QStringLiteral("DATAALM_TEST_CATALOG=postgres needs the test server (DATAALM_TEST_PG_URL)");
            return;
        }
        m_database = PostgresTestSupport::uniqueName(QStringLiteral("dataalm_catalog_"));
        if (!PostgresTestSupport::createDatabase(m_database, &m_error))
            return;
        m_location = QStringLiteral("postgresql://%1@%2:%3/%4").arg(server.user, server.host).arg(server.port).arg(m_database);
        qputenv("DATAALM_FILES", m_dir.path().toLocal8Bit());
    }
    m_catalog.open(m_location, &m_error, version);
}

TemporaryCatalog::~TemporaryCatalog()
{
    if (m_database.isEmpty())
        return;
    // WITH (FORCE): the catalog's own connection is closed by the server.
    PostgresTestSupport::dropDatabase(m_database);
}
