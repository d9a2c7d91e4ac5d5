// SourceEnvironmentModel: the wizard's Source page, on the demo project's
// environments: the target's row first and not selectable, production first among
// the candidates, differences with the target flagged.
#include "TestSupport.h"

#include "SourceEnvironmentModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace TestSupport;

class TestSourceEnvironmentModel : public QObject
{
    Q_OBJECT

private slots:
    void targetFirstThenCandidates();
    void differencesWithTheTarget();
    void noCandidate();

private:
    static QList<Environment> project();
};

QList<Environment> TestSourceEnvironmentModel::project()
{
    Environment dev =
        sampleEnvironment(QStringLiteral("contoso-dev"), QStringLiteral("contoso"), EnvironmentType::DevTest);
    Environment uat2 = sampleEnvironment(QStringLiteral("contoso-uat2"), QStringLiteral("contoso"));
    uat2.versions.application = QStringLiteral("10.0.39");
    uat2.versions.platform = 63;
    Environment uat = sampleEnvironment(QStringLiteral("contoso-uat"), QStringLiteral("contoso"));
    Environment prod =
        sampleEnvironment(QStringLiteral("contoso-prod"), QStringLiteral("contoso"), EnvironmentType::Production);
    prod.versions.financialReporting = QStringLiteral("7.0.1");
    Environment fabrikam = sampleEnvironment(QStringLiteral("fabrikam-uat"), QStringLiteral("contoso"));
    fabrikam.tenant = QStringLiteral("fabrikam.onmicrosoft.com");
    return {dev, uat2, uat, prod, fabrikam};
}

void TestSourceEnvironmentModel::targetFirstThenCandidates()
{
    const QList<Environment> all = project();
    SourceEnvironmentModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setEnvironments(all.at(2), all);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 5);
    QCOMPARE(model.columnCount(), 6);
    QVERIFY(model.index(0, 0).data(SourceEnvironmentModel::IsTargetRole).toBool());
    QCOMPARE(model.index(0, 0).data(SourceEnvironmentModel::IdRole).toString(), QStringLiteral("contoso-uat"));
    QVERIFY(model.index(0, 0).data().toString().endsWith(QStringLiteral("(target)")));
    QVERIFY(!(model.flags(model.index(0, 0)) & Qt::ItemIsSelectable));
    QVERIFY(model.flags(model.index(1, 0)) & Qt::ItemIsSelectable);
    QVERIFY(!model.candidateAt(0));
    // Production first, dev/test last; the target is never a candidate.
    QCOMPARE(model.candidateAt(1)->id, QStringLiteral("contoso-prod"));
    QCOMPARE(model.candidateAt(4)->id, QStringLiteral("contoso-dev"));
    QCOMPARE(model.defaultRow(), 1);
    QCOMPARE(model.rowOf(QStringLiteral("contoso-uat")), -1);
    QCOMPARE(model.rowOf(QStringLiteral("fabrikam-uat")), 3);
    QVERIFY(!model.candidateAt(5));
}

void TestSourceEnvironmentModel::differencesWithTheTarget()
{
    const QList<Environment> all = project();
    SourceEnvironmentModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEnvironments(all.at(2), all);
    using M = SourceEnvironmentModel;
    const int uat2 = model.rowOf(QStringLiteral("contoso-uat2"));
    QCOMPARE(model.index(uat2, M::ApplicationColumn).data().toString(), QStringLiteral("10.0.39"));
    QVERIFY(model.index(uat2, M::ApplicationColumn).data(M::DiffersRole).toBool());
    QVERIFY(model.index(uat2, M::PlatformColumn).data(M::DiffersRole).toBool());
    QVERIFY(!model.index(uat2, M::FinancialReportingColumn).data(M::DiffersRole).toBool());
    // An older release: the preflight will block it, and the page says so before the checks run.
    QCOMPARE(model.index(uat2, M::ComparisonColumn).data().toString(),
             QStringLiteral("Blocked: Differs: application, platform"));
    QVERIFY2(model.index(uat2, 0).data(M::BlockedRole).toString().contains(QStringLiteral("application release")),
             qPrintable(model.index(uat2, 0).data(M::BlockedRole).toString()));
    QVERIFY(
        model.index(uat2, M::ApplicationColumn).data(Qt::ToolTipRole).toString().contains(QStringLiteral("10.0.40")));
    const int prod = model.rowOf(QStringLiteral("contoso-prod"));
    const QString prodBlocked = model.index(prod, 0).data(M::BlockedRole).toString();
    QCOMPARE(model.index(prod, M::ComparisonColumn).data().toString(),
             (prodBlocked.isEmpty() ? QString() : QStringLiteral("Blocked: ")) +
                 QStringLiteral("Differs: Financial Reporting"));
    const int fabrikam = model.rowOf(QStringLiteral("fabrikam-uat"));
    QCOMPARE(model.index(fabrikam, M::ComparisonColumn).data().toString(), QStringLiteral("Blocked: Differs: tenant"));
    QVERIFY2(model.index(fabrikam, 0).data(M::BlockedRole).toString().contains(QStringLiteral("cannot cross tenants")),
             qPrintable(model.index(fabrikam, 0).data(M::BlockedRole).toString()));
    QVERIFY2(model.index(fabrikam, 0).data(Qt::ToolTipRole).toString().startsWith(QStringLiteral("A refresh from "
                                                                                                 "fabrikam-uat will be "
                                                                                                 "blocked")),
             qPrintable(model.index(fabrikam, 0).data(Qt::ToolTipRole).toString()));
    const int dev = model.rowOf(QStringLiteral("contoso-dev"));
    QCOMPARE(model.index(dev, M::ComparisonColumn).data().toString(), QStringLiteral("Same versions as the target"));
    QVERIFY(model.index(dev, 0).data(M::BlockedRole).toString().isEmpty());
    // The target's own row never "differs".
    QVERIFY(!model.index(0, M::ApplicationColumn).data(M::DiffersRole).toBool());
}

void TestSourceEnvironmentModel::noCandidate()
{
    const Environment lonely = sampleEnvironment(QStringLiteral("solo-uat"), QStringLiteral("solo"));
    SourceEnvironmentModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setEnvironments(lonely, {lonely});
    QCOMPARE(model.rowCount(), 1);
    QCOMPARE(model.defaultRow(), -1);
}

QTEST_GUILESS_MAIN(TestSourceEnvironmentModel)
#include "tst_sourceenvironmentmodel.moc"
