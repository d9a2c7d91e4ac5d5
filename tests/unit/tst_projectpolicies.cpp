// ProjectPolicies: a project's own data policy file, checked, copied into the catalog
// folder and recorded; refused (nothing written) when invalid or while an operation
// of the project still reads its policy; back to the default.
#include "TestSupport.h"

#include "catalog/Catalog.h"
#include "registration/ProjectPolicies.h"
#include "catalog/OperationStore.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QTest>

using Refusal = ProjectPolicies::Refusal;

namespace {

QString dataFile(const QString& name)
{
    return QStringLiteral(DATAALM_TEST_DATA_DIR "/byo/") + name;
}

} // namespace

class TestProjectPolicies : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void installCopiesAndRecords();
    void invalidPolicyChangesNothing();
    void unknownProject();
    void refusedWhileAnOperationReadsIt();
    void backToTheDefault();

private:
    QString recordedPath();

    std::unique_ptr<TemporaryCatalog> m_catalog;
};

void TestProjectPolicies::init()
{
    m_catalog = std::make_unique<TemporaryCatalog>();
    QVERIFY2(m_catalog->isOpen(), qPrintable(m_catalog->error()));
    QString error;
    QVERIFY2(
        m_catalog->catalog().addProject(Project{QStringLiteral("shop"), QStringLiteral("Shop"), QString()}, &error),
        qPrintable(error));
}

QString TestProjectPolicies::recordedPath()
{
    return m_catalog->catalog().project(QStringLiteral("shop"))->policyPath;
}

void TestProjectPolicies::installCopiesAndRecords()
{
    ProjectPolicies policies(m_catalog->catalog());
    const QString target = policies.pathFor(QStringLiteral("shop"));
    QCOMPARE(target, QDir(m_catalog->folder()).filePath(QStringLiteral("policies/shop.json")));
    QString error;
    Refusal refusal = Refusal::Failed;
    QVERIFY2(policies.install(QStringLiteral("shop"), dataFile(QStringLiteral("shop-policy.json")), &error, &refusal),
             qPrintable(error));
    QCOMPARE(refusal, Refusal::None);
    QCOMPARE(TestSupport::fileSha256(target), TestSupport::fileSha256(dataFile(QStringLiteral("shop-policy.json"))));
    QCOMPARE(recordedPath(), target);
    QString path;
    auto policy = policies.policy(QStringLiteral("shop"), &path, &error);
    QVERIFY2(policy, qPrintable(error));
    QCOMPARE(path, target);
    QCOMPARE(policy->rules().size(), 3);
    QCOMPARE(m_catalog->catalog().auditTrail(1).first().action, QStringLiteral("project.policy"));

    // A second install replaces it whole; nothing is left beside it.
    QVERIFY2(
        policies.install(QStringLiteral("shop"), dataFile(QStringLiteral("shop-policy-misfit-target.json")), &error),
        qPrintable(error));
    QCOMPARE(TestSupport::fileSha256(target),
             TestSupport::fileSha256(dataFile(QStringLiteral("shop-policy-misfit-target.json"))));
    QCOMPARE(QDir(QFileInfo(target).absolutePath()).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("shop.json")});
    policy = policies.policy(QStringLiteral("shop"), &path, &error);
    QCOMPARE(policy->rules().size(), 1);
}

void TestProjectPolicies::invalidPolicyChangesNothing()
{
    ProjectPolicies policies(m_catalog->catalog());
    QString error;
    Refusal refusal = Refusal::None;
    QVERIFY(!policies.install(QStringLiteral("shop"), dataFile(QStringLiteral("shop-policy-invalid.json")), &error,
                              &refusal));
    QCOMPARE(refusal, Refusal::InvalidPolicy);
    QVERIFY2(error.contains(QLatin1String("rule \"customer-emails\": blank needs \"columns\"")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("rule \"shop-settings\": unknown action \"keep-everything\"")),
             qPrintable(error));
    QVERIFY(!QFileInfo::exists(QDir(m_catalog->folder()).filePath(QStringLiteral("policies"))));
    QCOMPARE(recordedPath(), QString());

    QVERIFY(!policies.install(QStringLiteral("shop"), dataFile(QStringLiteral("no-such.json")), &error, &refusal));
    QCOMPARE(refusal, Refusal::InvalidPolicy);
    QVERIFY2(error.contains(QLatin1String("cannot read")), qPrintable(error));

    // Not JSON at all.
    QTemporaryDir dir;
    const QString junk = dir.filePath(QStringLiteral("junk.json"));
    QFile f(junk);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write("rules: none");
    f.close();
    QVERIFY(!policies.install(QStringLiteral("shop"), junk, &error, &refusal));
    QCOMPARE(refusal, Refusal::InvalidPolicy);
    QVERIFY2(error.contains(QLatin1String("not valid JSON")), qPrintable(error));
    QCOMPARE(recordedPath(), QString());
}

void TestProjectPolicies::unknownProject()
{
    ProjectPolicies policies(m_catalog->catalog());
    QString error;
    Refusal refusal = Refusal::None;
    QVERIFY(!policies.install(QStringLiteral("ghost"), dataFile(QStringLiteral("shop-policy.json")), &error, &refusal));
    QCOMPARE(refusal, Refusal::UnknownProject);
    QVERIFY(!policies.useDefault(QStringLiteral("ghost"), &error, &refusal));
    QCOMPARE(refusal, Refusal::UnknownProject);
    QVERIFY(!policies.policy(QStringLiteral("ghost"), nullptr, &error));
}

void TestProjectPolicies::refusedWhileAnOperationReadsIt()
{
    ProjectPolicies policies(m_catalog->catalog());
    QString error;
    QVERIFY(policies.install(QStringLiteral("shop"), dataFile(QStringLiteral("shop-policy.json")), &error));
    const QByteArray installed = TestSupport::fileSha256(policies.pathFor(QStringLiteral("shop")));
    OperationStore store(m_catalog->catalog());
    const auto id = store.create(QStringLiteral("refresh"), QStringLiteral("shop"), QStringLiteral("prod"),
                                 QStringLiteral("uat"), {QStringLiteral("Validate")}, {}, &error);
    QVERIFY2(id, qPrintable(error));
    // Another project's operation is no obstacle.
    QVERIFY(store.create(QStringLiteral("refresh"), QStringLiteral("other"), QStringLiteral("a"), QStringLiteral("b"),
                         {QStringLiteral("Validate")}, {}, &error));

    for (const OperationState state :
         {OperationState::NotStarted, OperationState::InProgress, OperationState::Failed}) {
        if (state != OperationState::NotStarted)
            QVERIFY2(store.transition(*id, state, &error), qPrintable(error));
        Refusal refusal = Refusal::None;
        QVERIFY(!policies.install(QStringLiteral("shop"), dataFile(QStringLiteral("shop-policy-misfit-target.json")),
                                  &error, &refusal));
        QCOMPARE(refusal, Refusal::NotAllowed);
        QVERIFY2(error.contains(QStringLiteral("operation %1").arg(*id)), qPrintable(error));
        QVERIFY(!policies.useDefault(QStringLiteral("shop"), &error, &refusal));
        QCOMPARE(refusal, Refusal::NotAllowed);
        QCOMPARE(TestSupport::fileSha256(policies.pathFor(QStringLiteral("shop"))), installed);
        QCOMPARE(recordedPath(), policies.pathFor(QStringLiteral("shop")));
    }
    // Aborted: nothing reads the policy any more.
    QVERIFY2(store.transition(*id, OperationState::Aborted, &error), qPrintable(error));
    QVERIFY2(
        policies.install(QStringLiteral("shop"), dataFile(QStringLiteral("shop-policy-misfit-target.json")), &error),
        qPrintable(error));
}

void TestProjectPolicies::backToTheDefault()
{
    ProjectPolicies policies(m_catalog->catalog());
    QString error;
    // Already the default: nothing to do.
    QVERIFY(policies.useDefault(QStringLiteral("shop"), &error));
    QVERIFY(policies.install(QStringLiteral("shop"), dataFile(QStringLiteral("shop-policy.json")), &error));
    const QString copy = policies.pathFor(QStringLiteral("shop"));
    QVERIFY(QFileInfo::exists(copy));
    QVERIFY2(policies.useDefault(QStringLiteral("shop"), &error), qPrintable(error));
    QCOMPARE(recordedPath(), QString());
    QVERIFY(!QFileInfo::exists(copy));
    QString path = QStringLiteral("unset");
    const auto policy = policies.policy(QStringLiteral("shop"), &path, &error);
    QVERIFY2(policy, qPrintable(error));
    QCOMPARE(path, QString());
    QCOMPARE(policy->rules().size(), 16);

    // A policy file recorded elsewhere (not our copy) is left where it is.
    QVERIFY(m_catalog->catalog().setProjectPolicy(QStringLiteral("shop"), dataFile(QStringLiteral("shop-policy.json")),
                                                  &error));
    QVERIFY(policies.useDefault(QStringLiteral("shop"), &error));
    QVERIFY(QFileInfo::exists(dataFile(QStringLiteral("shop-policy.json"))));
}

QTEST_GUILESS_MAIN(TestProjectPolicies)
#include "tst_projectpolicies.moc"
