// OperationHistoryModel: an environment's operation history over real OperationStore
// data, newest first, updated in place while an operation runs.
#include "TestSupport.h"

#include "OperationHistoryModel.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"

#include <QAbstractItemModelTester>
#include <QJsonObject>
#include <QSignalSpy>
#include <QtTest>

using namespace TestSupport;

class TestOperationHistoryModel : public QObject
{
    Q_OBJECT

private slots:
    void init();
    void cleanup();
    void emptyHistory();
    void newestFirstWithColumns();
    void runningOperationUpdatesInPlace();
    void newOperationResets();
    void stateTitles();
    void durationIsHowLongItRan();
    void formatDuration_data();
    void formatDuration();

private:
    qint64 createOperation(const QString& kind, const QString& source, const QString& target);
    void transition(qint64 id, OperationState to, const QString& errorText = {});
    QList<OperationRecord> history() const;

    std::unique_ptr<TemporaryCatalog> m_catalog;
    std::unique_ptr<OperationStore> m_store;
};

void TestOperationHistoryModel::init()
{
    m_catalog = std::make_unique<TemporaryCatalog>();
    QVERIFY2(m_catalog->isOpen(), qPrintable(m_catalog->error()));
    m_store = std::make_unique<OperationStore>(m_catalog->catalog());
    QString error;
    QVERIFY2((*m_catalog)->addProject({QStringLiteral("contoso"), QStringLiteral("contoso"), {}}, &error),
             qPrintable(error));
    for (const auto& [id, type] : {std::pair{QStringLiteral("contoso-prod"), EnvironmentType::Production},
                                   std::pair{QStringLiteral("contoso-uat"), EnvironmentType::Sandbox},
                                   std::pair{QStringLiteral("contoso-dev"), EnvironmentType::DevTest}}) {
        QVERIFY2(
            (*m_catalog)
                ->addEnvironment(sampleEnvironment(id, QStringLiteral("contoso"), type, m_catalog->folder()), &error),
            qPrintable(error));
    }
}

void TestOperationHistoryModel::cleanup()
{
    m_store.reset();
    m_catalog.reset();
}

qint64 TestOperationHistoryModel::createOperation(const QString& kind, const QString& source, const QString& target)
{
    QString error;
    const auto id = m_store->create(kind, QStringLiteral("contoso"), source, target,
                                    {QStringLiteral("Validate"), QStringLiteral("Swap into target")}, {}, &error);
    if (!id)
        qWarning("create failed: %s", qPrintable(error));
    return id.value_or(-1);
}

void TestOperationHistoryModel::transition(qint64 id, OperationState to, const QString& errorText)
{
    QString error;
    QVERIFY2(m_store->transition(id, to, &error, errorText), qPrintable(error));
}

QList<OperationRecord> TestOperationHistoryModel::history() const
{
    return m_store->list(QStringLiteral("contoso-uat"));
}

void TestOperationHistoryModel::emptyHistory()
{
    OperationHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setOperations(history());
    QCOMPARE(model.rowCount(), 0);
    QCOMPARE(model.columnCount(), 7);
    QStringList headers;
    for (int c = 0; c < model.columnCount(); ++c)
        headers << model.headerData(c, Qt::Horizontal).toString();
    QCOMPARE(headers, (QStringList{QStringLiteral("Operation"), QStringLiteral("Environment"), QStringLiteral("Source"),
                                   QStringLiteral("State"),
                                   QStringLiteral("Started"), QStringLiteral("Duration"), QStringLiteral("By")}));
}

void TestOperationHistoryModel::newestFirstWithColumns()
{
    const qint64 refresh =
        createOperation(QStringLiteral("refresh"), QStringLiteral("contoso-prod"), QStringLiteral("contoso-uat"));
    QVERIFY(refresh > 0);
    transition(refresh, OperationState::InProgress);
    transition(refresh, OperationState::Completed);
    transition(refresh, OperationState::SignedOff);
    const qint64 apply = createOperation(QStringLiteral("apply"), {}, QStringLiteral("contoso-uat"));
    QVERIFY(apply > 0);
    // Not in contoso-uat's history: an operation between two other environments.
    QVERIFY(createOperation(QStringLiteral("refresh"), QStringLiteral("contoso-prod"), QStringLiteral("contoso-dev")) >
            0);

    OperationHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setOperations(history());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 2);

    using M = OperationHistoryModel;
    QCOMPARE(model.index(0, 0).data(M::IdRole).toLongLong(), apply);
    QCOMPARE(model.index(0, M::OperationColumn).data().toString(), QStringLiteral("Apply updates"));
    QCOMPARE(model.index(0, M::SourceColumn).data().toString(), QStringLiteral("—")); // no package recorded
    QCOMPARE(model.index(0, M::StateColumn).data().toString(), QStringLiteral("Not started"));
    QCOMPARE(model.index(0, M::StartedColumn).data().toString(), QStringLiteral("Not started"));
    QCOMPARE(model.index(0, M::DurationColumn).data().toString(), QString());
    QCOMPARE(model.index(0, 0).data(M::DurationSecondsRole).toLongLong(), qint64(-1));

    QCOMPARE(model.index(1, 0).data(M::IdRole).toLongLong(), refresh);
    QCOMPARE(model.index(1, M::OperationColumn).data().toString(), QStringLiteral("Refresh database"));
    QCOMPARE(model.index(1, M::SourceColumn).data().toString(), QStringLiteral("contoso-prod"));
    QCOMPARE(model.index(1, M::StateColumn).data().toString(), QStringLiteral("Signed off"));
    QCOMPARE(model.index(1, 0).data(M::StateNameRole).toString(), QStringLiteral("SignedOff"));
    const OperationRecord* r = model.operationAt(1);
    QVERIFY(r);
    QCOMPARE(model.index(1, M::StartedColumn).data().toString(),
             r->started.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
    QCOMPARE(model.index(1, M::DurationColumn).data().toString(), QStringLiteral("< 1 s"));
    QCOMPARE(model.index(1, M::ByColumn).data().toString(), Catalog::currentUser());
    QVERIFY(model.index(1, M::StateColumn).data(Qt::ToolTipRole).toString().contains(QStringLiteral("contoso-uat")));
}

void TestOperationHistoryModel::runningOperationUpdatesInPlace()
{
    const qint64 id =
        createOperation(QStringLiteral("refresh"), QStringLiteral("contoso-prod"), QStringLiteral("contoso-uat"));
    QVERIFY(id > 0);
    OperationHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setOperations(history());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);

    // Nothing happened: nothing announced.
    model.setOperations(history());
    QCOMPARE(changed.count(), 0);

    transition(id, OperationState::InProgress);
    model.setOperations(history());
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(0, 0));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(0, OperationHistoryModel::ColumnCount - 1));
    QCOMPARE(model.index(0, OperationHistoryModel::StateColumn).data().toString(), QStringLiteral("In progress"));

    // While it runs, each re-read announces the growing duration, and only that.
    model.setOperations(history());
    QCOMPARE(changed.count(), 2);
    QCOMPARE(changed.at(1).at(0).toModelIndex(), model.index(0, OperationHistoryModel::DurationColumn));
    QCOMPARE(changed.at(1).at(1).toModelIndex(), model.index(0, OperationHistoryModel::DurationColumn));

    transition(id, OperationState::Failed, QStringLiteral("the staging database is full"));
    model.setOperations(history());
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 3);
    QCOMPARE(model.index(0, OperationHistoryModel::StateColumn).data().toString(), QStringLiteral("Failed"));
    QVERIFY(model.index(0, OperationHistoryModel::StateColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("the staging database is full")));
}

void TestOperationHistoryModel::newOperationResets()
{
    OperationHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setOperations(history());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    const qint64 id = createOperation(QStringLiteral("apply"), {}, QStringLiteral("contoso-uat"));
    QVERIFY(id > 0);
    model.setOperations(history());
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 1);
    model.setOperations({});
    QCOMPARE(reset.count(), 2);
    QCOMPARE(model.rowCount(), 0);
}

void TestOperationHistoryModel::stateTitles()
{
    QSet<QString> titles;
    for (const char* name : {"NotStarted", "InProgress", "Completed", "Failed", "SignedOff", "Aborted",
                             "RollbackInProgress", "RollbackCompleted", "RollbackFailed"}) {
        const auto state = operationStateFromName(QLatin1String(name));
        QVERIFY(state);
        const QString title = OperationHistoryModel::stateTitle(*state);
        QVERIFY(!title.isEmpty());
        QVERIFY2(!title.contains(QLatin1Char(' ')) || title.at(title.indexOf(QLatin1Char(' ')) + 1).isLower(),
                 qPrintable(title));
        titles.insert(title);
    }
    QCOMPARE(titles.size(), 9);
    QCOMPARE(OperationHistoryModel::stateTitle(OperationState::RollbackCompleted),
             QStringLiteral("Rollback completed"));
}

void TestOperationHistoryModel::formatDuration_data()
{
    QTest::addColumn<qint64>("seconds");
    QTest::addColumn<QString>("text");
    QTest::newRow("never started") << qint64(-1) << QString();
    QTest::newRow("under a second") << qint64(0) << QStringLiteral("< 1 s");
    QTest::newRow("seconds") << qint64(42) << QStringLiteral("42 s");
    QTest::newRow("minutes") << qint64(185) << QStringLiteral("3 min 05 s");
    QTest::newRow("hours") << qint64(2 * 3600 + 7 * 60 + 59) << QStringLiteral("2 h 07 min");
}

void TestOperationHistoryModel::formatDuration()
{
    QFETCH(qint64, seconds);
    QFETCH(QString, text);
    QCOMPARE(OperationHistoryModel::formatDuration(seconds), text);
}

void TestOperationHistoryModel::durationIsHowLongItRan()
{
    // A refresh that ran 2 s and was signed off 54 s later; an apply of a package; an
    // operation interrupted while the console was away.
    const QDateTime t0 = QDateTime::currentDateTimeUtc().addSecs(-3600);
    OperationRecord refresh;
    refresh.id = 1;
    refresh.kind = QStringLiteral("refresh");
    refresh.source = QStringLiteral("contoso-prod");
    refresh.target = QStringLiteral("contoso-uat");
    refresh.state = OperationState::SignedOff;
    refresh.started = t0;
    refresh.finished = t0.addSecs(56);
    for (int i = 1; i <= 2; ++i) {
        StepRecord s;
        s.ordinal = i;
        s.state = StepState::Completed;
        s.started = t0.addSecs(i - 1);
        s.finished = t0.addSecs(i);
        refresh.steps << s;
    }
    OperationRecord apply = refresh;
    apply.id = 2;
    apply.kind = QStringLiteral("apply");
    apply.source.clear();
    apply.state = OperationState::Completed;
    apply.params = QJsonObject{{QStringLiteral("package"), QJsonObject{{QStringLiteral("name"),
                                                                         QStringLiteral("Application update")},
                                                                        {QStringLiteral("version"), QStringLiteral("10.0.41")}}}};
    OperationRecord interrupted = refresh;
    interrupted.id = 3;
    interrupted.state = OperationState::Failed;
    interrupted.error = QStringLiteral("interrupted: the process running it (pid 4242) stopped");
    interrupted.steps[1].state = StepState::Failed;

    OperationHistoryModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setOperations({refresh, apply, interrupted});
    using M = OperationHistoryModel;
    const auto rowOf = [&model](qint64 id) {
        for (int r = 0; r < model.rowCount(); ++r) {
            if (model.index(r, 0).data(M::IdRole).toLongLong() == id)
                return r;
        }
        return -1;
    };
    const int r = rowOf(1);
    QCOMPARE(model.index(r, M::DurationColumn).data().toString(), QStringLiteral("2 s"));
    QCOMPARE(model.index(r, 0).data(M::DurationSecondsRole).toLongLong(), qint64(2));
    const QString tip = model.index(r, M::StateColumn).data(Qt::ToolTipRole).toString();
    QVERIFY2(tip.contains(QStringLiteral("Ran for: 2 s")) && tip.contains(QStringLiteral("Signed off: ")) &&
                 !tip.contains(QStringLiteral("Finished: ")),
             qPrintable(tip));
    QCOMPARE(model.index(rowOf(2), M::SourceColumn).data().toString(), QStringLiteral("Application update 10.0.41"));
    QCOMPARE(model.index(rowOf(3), M::StateColumn).data().toString(), QStringLiteral("Interrupted"));
}

QTEST_GUILESS_MAIN(TestOperationHistoryModel)
#include "tst_operationhistorymodel.moc"
