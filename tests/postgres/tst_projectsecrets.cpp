// ProjectSecrets on a team catalog: the masking secret is the agents' alone. A Project
// owner and a Team member can neither read project_secrets nor call dataalm_mask_secret
// (psql would get the same refusal); an agent gets the same 64 hex characters every time,
// audited; another project gets another. Then a masked refresh run by an agent: the
// sandbox holds exactly the pseudonyms the project's secret gives (Masker), so the agent
// used the catalog's secret and nothing else.
#include "PostgresTestSupport.h"
#include "SqliteInspect.h"
#include "TeamFixture.h"

#include "catalog/Catalog.h"
#include "catalog/ProjectSecrets.h"
#include "policy/Masker.h"

#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

namespace SI = SqliteInspect;

class TestProjectSecrets : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void onlyAgentsReadIt();
    void anAgentMasksWithIt();

private:
    QTemporaryDir m_files;
    TeamFixture m_team{QStringLiteral("dataalm_secrets_")};
};

void TestProjectSecrets::initTestCase()
{
    QVERIFY(m_files.isValid());
    qputenv("DATAALM_FILES", m_files.path().toLocal8Bit());
    QString error;
    QVERIFY2(m_team.create({QStringLiteral("owner"), QStringLiteral("member"), QStringLiteral("agent")}, &error),
             qPrintable(error));
    const CliRun run = m_team.demo();
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    for (const auto& [who, role] : {std::pair{"owner", "ProjectOwner"}, std::pair{"member", "TeamMember"},
                                    std::pair{"agent", "Agent"}})
        QVERIFY2(m_team.addMember(QLatin1String(who), QLatin1String(role), &error), qPrintable(error));
}

void TestProjectSecrets::onlyAgentsReadIt()
{
    for (const QString& person : {m_team.login(QStringLiteral("owner")), m_team.login(QStringLiteral("member"))}) {
        auto catalog = m_team.connectAs(person);
        QVERIFY(catalog);
        QString error;
        QVERIFY(!ProjectSecrets(*catalog).maskSecret(QStringLiteral("contoso"), QStringLiteral("test"), &error));
        QVERIFY2(error.contains(QStringLiteral("only agents read a project's masking secret")), qPrintable(error));
        QSqlQuery q(catalog->database());
        QVERIFY(!q.exec(QStringLiteral("SELECT mask_secret FROM project_secrets")));
        QVERIFY2(q.lastError().databaseText().contains(QStringLiteral("permission denied")),
                 qPrintable(q.lastError().databaseText()));
    }
    auto agent = m_team.connectAs(m_team.login(QStringLiteral("agent")));
    QString error;
    const auto first = ProjectSecrets(*agent).maskSecret(QStringLiteral("contoso"), QStringLiteral("test 1"), &error);
    QVERIFY2(first, qPrintable(error));
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(*first).hasMatch());
    QCOMPARE(*ProjectSecrets(*agent).maskSecret(QStringLiteral("contoso"), QStringLiteral("test 2"), &error), *first);
    QVERIFY(!ProjectSecrets(*agent).maskSecret(QStringLiteral("no-such-project"), QStringLiteral("x"), &error));
    QVERIFY2(error.contains(QStringLiteral("there is no project no-such-project")), qPrintable(error));
    QCOMPARE(m_team.value(QStringLiteral("SELECT count(*) FROM audit WHERE action = 'mask-secret.use' AND who = '%1'")
                              .arg(m_team.login(QStringLiteral("agent")))),
             QStringLiteral("2"));
    // Even the table's own writes are the function's: an agent cannot write it directly.
    QSqlQuery w(agent->database());
    QVERIFY(!w.exec(QStringLiteral("UPDATE project_secrets SET mask_secret = 'x'")));
}

void TestProjectSecrets::anAgentMasksWithIt()
{
    const QString owner = m_team.login(QStringLiteral("owner"));
    CliRun run = m_team.cliAs(owner, {QStringLiteral("project"), QStringLiteral("mask"), QStringLiteral("contoso"),
                                      QStringLiteral("CUSTTABLE"), QStringLiteral("EMAIL"), QStringLiteral("--as"),
                                      QStringLiteral("email")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    run = m_team.cliAs(owner, {QStringLiteral("refresh"), QStringLiteral("--source"), QStringLiteral("contoso-prod"),
                               QStringLiteral("--target"), QStringLiteral("contoso-uat"), QStringLiteral("--yes"),
                               QStringLiteral("--no-wait")});
    QVERIFY2(run.exitedWith(0), qPrintable(run.describe()));
    QByteArray err;
    QVERIFY2(m_team.agentOnce(m_team.login(QStringLiteral("agent")), &err), err.constData());
    QCOMPARE(m_team.value(QStringLiteral("SELECT state FROM operations WHERE target = 'contoso-uat' ORDER BY id DESC "
                                         "LIMIT 1")),
             QStringLiteral("Completed"));
    const QString prod = m_team.value(
        QStringLiteral("SELECT path FROM environment_databases WHERE environment_id = 'contoso-prod' AND role = "
                       "'transactional'"));
    const QString uat = m_team.value(
        QStringLiteral("SELECT path FROM environment_databases WHERE environment_id = 'contoso-uat' AND role = "
                       "'transactional'"));
    const QStringList source = SI::column(prod, QStringLiteral("SELECT EMAIL FROM CUSTTABLE ORDER BY RECID"));
    const QStringList masked = SI::column(uat, QStringLiteral("SELECT EMAIL FROM CUSTTABLE ORDER BY RECID"));
    QVERIFY(!source.isEmpty());
    QCOMPARE(masked.size(), source.size());
    const QString secret = m_team.value(QStringLiteral("SELECT mask_secret FROM project_secrets WHERE project_id = "
                                                       "'contoso'"));
    QCOMPARE(secret.size(), 64);
    const Masker masker(secret);
    for (int i = 0; i < source.size(); ++i)
        QCOMPARE(masked.at(i), masker.maskText(Masker::Kind::Email, source.at(i)));
}

QTEST_GUILESS_MAIN(TestProjectSecrets)
#include "tst_projectsecrets.moc"
