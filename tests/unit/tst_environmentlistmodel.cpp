// EnvironmentListModel: the project page's environment list over real catalog data,
// production first, and in-place updates (dataChanged, no reset) when only values change.
#include "TestSupport.h"

#include "EnvironmentListModel.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

using namespace TestSupport;

class TestEnvironmentListModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void listsProductionFirst();
    void columnsAndRoles();
    void sameSnapshotSignalsNothing();
    void stateChangeIsDataChangedOnOneRow();
    void addedEnvironmentResets();
    void emptySnapshotEmptiesTheModel();

private:
    std::unique_ptr<TemporaryCatalog> m_catalog;
};

void TestEnvironmentListModel::init()
{
    m_catalog = std::make_unique<TemporaryCatalog>();
    QVERIFY2(m_catalog->isOpen(), qPrintable(m_catalog->error()));
    QString error;
    QVERIFY2((*m_catalog)->addProject({QStringLiteral("contoso"), QStringLiteral("contoso"), {}}, &error),
             qPrintable(error));
    // Added in an order that is not the page's order.
    const QList<std::pair<QString, EnvironmentType>> envs = {
        {QStringLiteral("contoso-dev"), EnvironmentType::DevTest},
        {QStringLiteral("contoso-uat"), EnvironmentType::Sandbox},
        {QStringLiteral("contoso-prod"), EnvironmentType::Production},
        {QStringLiteral("contoso-uat2"), EnvironmentType::Sandbox},
    };
    for (const auto& [id, type] : envs) {
        Environment e = sampleEnvironment(id, QStringLiteral("contoso"), type, m_catalog->folder());
        e.name = id;
        if (id == QLatin1String("contoso-uat2"))
            e.versions.application = QStringLiteral("10.0.39");
        QVERIFY2((*m_catalog)->addEnvironment(e, &error), qPrintable(error));
    }
}

void TestEnvironmentListModel::cleanup()
{
    m_catalog.reset();
}

void TestEnvironmentListModel::listsProductionFirst()
{
    EnvironmentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    // Reversed on purpose: the model orders by type itself, stably.
    QList<Environment> envs = (*m_catalog)->environments(QStringLiteral("contoso"));
    std::reverse(envs.begin(), envs.end());
    model.setEnvironments(envs);

    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 4);
    QCOMPARE(model.index(0, 0).data(EnvironmentListModel::IdRole).toString(), QStringLiteral("contoso-prod"));
    QCOMPARE(model.index(1, 0).data(EnvironmentListModel::TypeIdRole).toString(), QStringLiteral("sandbox"));
    QCOMPARE(model.index(2, 0).data(EnvironmentListModel::TypeIdRole).toString(), QStringLiteral("sandbox"));
    QCOMPARE(model.index(3, 0).data(EnvironmentListModel::IdRole).toString(), QStringLiteral("contoso-dev"));
    // Stable within a type: the reversed catalog order (uat2 before uat) is kept.
    QCOMPARE(model.index(1, 0).data(EnvironmentListModel::IdRole).toString(), QStringLiteral("contoso-uat2"));
    QCOMPARE(model.rowOf(QStringLiteral("contoso-uat")), 2);
    QCOMPARE(model.rowOf(QStringLiteral("nope")), -1);
    QVERIFY(model.environmentAt(4) == nullptr);
    QCOMPARE(model.environmentAt(0)->id, QStringLiteral("contoso-prod"));
}

void TestEnvironmentListModel::columnsAndRoles()
{
    EnvironmentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEnvironments((*m_catalog)->environments(QStringLiteral("contoso")));

    QCOMPARE(model.columnCount(), 4);
    QStringList headers;
    for (int c = 0; c < model.columnCount(); ++c)
        headers << model.headerData(c, Qt::Horizontal).toString();
    QCOMPARE(headers, (QStringList{QStringLiteral("Name"), QStringLiteral("Type"), QStringLiteral("State"),
                                   QStringLiteral("Application release")}));

    const int uat2 = model.rowOf(QStringLiteral("contoso-uat2"));
    QCOMPARE(model.index(uat2, EnvironmentListModel::NameColumn).data().toString(), QStringLiteral("contoso-uat2"));
    QCOMPARE(model.index(uat2, EnvironmentListModel::TypeColumn).data().toString(), QStringLiteral("Sandbox"));
    QCOMPARE(model.index(uat2, EnvironmentListModel::StateColumn).data().toString(), QStringLiteral("Deployed"));
    QCOMPARE(model.index(uat2, EnvironmentListModel::ApplicationColumn).data().toString(), QStringLiteral("10.0.39"));
    QCOMPARE(model.index(0, EnvironmentListModel::TypeColumn).data().toString(), QStringLiteral("Production"));
    QCOMPARE(model.index(3, EnvironmentListModel::TypeColumn).data().toString(), QStringLiteral("Dev/test"));
    QVERIFY(model.index(uat2, EnvironmentListModel::NameColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("contoso.onmicrosoft.com")));
    // QtCore only: the model decorates nothing.
    for (int c = 0; c < model.columnCount(); ++c)
        QVERIFY(!model.index(0, c).data(Qt::DecorationRole).isValid());
}

void TestEnvironmentListModel::sameSnapshotSignalsNothing()
{
    EnvironmentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEnvironments((*m_catalog)->environments(QStringLiteral("contoso")));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    model.setEnvironments((*m_catalog)->environments(QStringLiteral("contoso")));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 0);
}

void TestEnvironmentListModel::stateChangeIsDataChangedOnOneRow()
{
    EnvironmentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEnvironments((*m_catalog)->environments(QStringLiteral("contoso")));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // A refresh starts on contoso-uat: the catalog derives "Servicing".
    OperationStore store(m_catalog->catalog());
    QString error;
    const auto id = store.create(QStringLiteral("refresh"), QStringLiteral("contoso"), QStringLiteral("contoso-prod"),
                                 QStringLiteral("contoso-uat"), {QStringLiteral("Validate")}, {}, &error);
    QVERIFY2(id, qPrintable(error));
    QVERIFY2(store.transition(*id, OperationState::InProgress, &error), qPrintable(error));
    model.setEnvironments((*m_catalog)->environments(QStringLiteral("contoso")));

    const int uat = model.rowOf(QStringLiteral("contoso-uat"));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(uat, 0));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(uat, EnvironmentListModel::ColumnCount - 1));
    QCOMPARE(model.index(uat, EnvironmentListModel::StateColumn).data().toString(), QStringLiteral("Servicing"));
    QCOMPARE(model.index(uat, 0).data(EnvironmentListModel::StateRole).toString(), QStringLiteral("Servicing"));

    // It fails: "Failed", again in place.
    QVERIFY2(store.transition(*id, OperationState::Failed, &error, QStringLiteral("disk full")), qPrintable(error));
    model.setEnvironments((*m_catalog)->environments(QStringLiteral("contoso")));
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 2);
    QCOMPARE(model.index(uat, EnvironmentListModel::StateColumn).data().toString(), QStringLiteral("Failed"));
}

void TestEnvironmentListModel::addedEnvironmentResets()
{
    EnvironmentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEnvironments((*m_catalog)->environments(QStringLiteral("contoso")));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);

    QString error;
    QVERIFY2((*m_catalog)
                 ->addEnvironment(sampleEnvironment(QStringLiteral("contoso-uat3"), QStringLiteral("contoso"),
                                                    EnvironmentType::Sandbox, m_catalog->folder()),
                                  &error),
             qPrintable(error));
    model.setEnvironments((*m_catalog)->environments(QStringLiteral("contoso")));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 5);
    QVERIFY(model.rowOf(QStringLiteral("contoso-uat3")) > 0);
}

void TestEnvironmentListModel::emptySnapshotEmptiesTheModel()
{
    EnvironmentListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setEnvironments((*m_catalog)->environments(QStringLiteral("contoso")));
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setEnvironments((*m_catalog)->environments(QStringLiteral("no-such-project")));
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestEnvironmentListModel)
#include "tst_environmentlistmodel.moc"
