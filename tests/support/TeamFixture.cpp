#include "TeamFixture.h"

#include "CliProcess.h"
#include "PostgresTestSupport.h"

#include "catalog/Catalog.h"

#include <QSqlError>
#include <QSqlQuery>

TeamFixture::TeamFixture(const QString& prefix)
    : m_prefix(prefix)
{
}

TeamFixture::~TeamFixture()
{
    if (m_database.isEmpty())
        return;
    PostgresTestSupport::dropDatabase(m_database);
    for (const QString& login : std::as_const(m_logins))
        PostgresTestSupport::exec(PostgresTestSupport::server(), QStringLiteral("DROP ROLE IF EXISTS %1").arg(login));
}

bool TeamFixture::create(const QStringList& roles, QString* error)
{
    const DatabaseRef server = PostgresTestSupport::server();
    if (server.driver.isEmpty()) {
        *error = QStringLiteral("DATAALM_TEST_PG_URL is not set: run through scripts/test");
        return false;
    }
    m_admin = server.user;
    m_database = PostgresTestSupport::uniqueName(m_prefix);
    if (!PostgresTestSupport::createDatabase(m_database, error))
        return false;
    // Logins are the server's, shared by every database: names no other run uses.
    const QString suffix = m_database.mid(m_prefix.size());
    for (const QString& role : roles) {
        const QString login = QStringLiteral("%1_%2").arg(role, suffix);
        if (!PostgresTestSupport::exec(server, QStringLiteral("CREATE ROLE %1 LOGIN").arg(login), error))
            return false;
        m_logins.insert(role, login);
    }
    return true;
}

CliRun TeamFixture::demo(const QStringList& extra)
{
    return cliAs(m_admin, QStringList{QStringLiteral("demo"), QStringLiteral("--size-mb"), QStringLiteral("1")} + extra,
                 600000);
}

bool TeamFixture::addMember(const QString& role, const QString& projectRole, QString* error)
{
    const CliRun run = projectRole == QLatin1String("Agent")
                           ? cliAs(m_admin, {QStringLiteral("member"), QStringLiteral("add"), login(role),
                                             QStringLiteral("--agent")})
                           : cliAs(m_admin, {QStringLiteral("member"), QStringLiteral("add"), login(role),
                                             QStringLiteral("--project"), QStringLiteral("contoso"),
                                             QStringLiteral("--role"), projectRole});
    if (!run.exitedWith(0))
        *error = run.describe();
    return run.exitedWith(0);
}

QString TeamFixture::urlAs(const QString& login) const
{
    const DatabaseRef server = PostgresTestSupport::server();
    return QStringLiteral("postgresql://%1@%2:%3/%4").arg(login, server.host).arg(server.port).arg(m_database);
}

CliRun TeamFixture::cliAs(const QString& login, const QStringList& args, int timeoutMs) const
{
    return runCli(QStringList{QStringLiteral("--catalog"), urlAs(login)} + args, timeoutMs);
}

std::unique_ptr<Catalog> TeamFixture::connectAs(const QString& login) const
{
    auto catalog = std::make_unique<Catalog>();
    QString error;
    if (!catalog->open(urlAs(login), &error)) {
        qWarning("%s cannot open the catalog: %s", qPrintable(login), qPrintable(error));
        return nullptr;
    }
    return catalog;
}

int TeamFixture::changed(const QString& login, const QString& sql, QString* error) const
{
    auto catalog = connectAs(login);
    if (!catalog) {
        *error = QStringLiteral("no connection");
        return -1;
    }
    QSqlQuery q(catalog->database());
    if (!q.exec(sql)) {
        *error = q.lastError().text();
        return -1;
    }
    return q.numRowsAffected();
}

QString TeamFixture::value(const QString& sql) const
{
    return PostgresTestSupport::value(PostgresTestSupport::database(m_database), sql);
}

bool TeamFixture::agentOnce(const QString& login, QByteArray* err) const
{
    CliProcess agent;
    if (!agent.start({QStringLiteral("--catalog"), urlAs(login), QStringLiteral("agent"), QStringLiteral("--once")}))
        return false;
    const CliOutcome outcome = agent.finish(300000);
    if (err)
        *err = outcome.err;
    if (!outcome.exitedWith(0))
        qWarning("%s", outcome.err.constData());
    return outcome.exitedWith(0);
}
