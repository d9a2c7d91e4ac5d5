// OperationFilterModel: the Operations view's filters (kind, what the state asks,
// environment as target or source, since a time, a text) over an OperationHistoryModel,
// checked with QAbstractItemModelTester.
#include "OperationFilterModel.h"
#include "OperationHistoryModel.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QJsonObject>
#include <QtTest>

class TestOperationFilterModel : public QObject
{
    Q_OBJECT

private slots:
    void filters();
};

namespace {

OperationRecord record(qint64 id, const QString& kind, const QString& source, const QString& target,
                       OperationState state, const QDateTime& created)
{
    OperationRecord o;
    o.id = id;
    o.kind = kind;
    o.source = source;
    o.target = target;
    o.state = state;
    o.created = created;
    o.who = QStringLiteral("alice");
    return o;
}

QList<qint64> ids(const QAbstractItemModel& model)
{
    QList<qint64> found;
    for (int row = 0; row < model.rowCount(); ++row)
        found << model.index(row, 0).data(OperationHistoryModel::IdRole).toLongLong();
    std::sort(found.begin(), found.end());
    return found;
}

} // namespace

void TestOperationFilterModel::filters()
{
    const QDateTime now = QDateTime::currentDateTimeUtc();
    QList<OperationRecord> ops;
    ops << record(1, QStringLiteral("refresh"), QStringLiteral("contoso-prod"), QStringLiteral("contoso-uat"),
                  OperationState::SignedOff, now.addDays(-40));
    OperationRecord waiting = record(2, QStringLiteral("refresh"), QStringLiteral("contoso-prod"),
                                     QStringLiteral("contoso-uat2"), OperationState::Completed, now.addDays(-2));
    waiting.restorePoint = QJsonObject{{QStringLiteral("databases"), QJsonArray{}}};
    ops << waiting;
    OperationRecord apply = record(3, QStringLiteral("apply"), {}, QStringLiteral("contoso-uat"),
                                   OperationState::Failed, now.addSecs(-3600));
    apply.error = QStringLiteral("interrupted: the process running it (pid 7) stopped");
    apply.params = QJsonObject{{QStringLiteral("package"), QJsonObject{{QStringLiteral("name"),
                                                                         QStringLiteral("Application update")}}}};
    ops << apply;
    ops << record(4, QStringLiteral("refresh"), QStringLiteral("contoso-prod"), QStringLiteral("contoso-dev"),
                  OperationState::InProgress, now.addSecs(-60));

    OperationHistoryModel history;
    history.setOperations(ops);
    OperationFilterModel filter;
    QAbstractItemModelTester tester(&filter, QAbstractItemModelTester::FailureReportingMode::QtTest);
    filter.setSourceModel(&history);
    QCOMPARE(ids(filter), (QList<qint64>{1, 2, 3, 4}));

    using G = OperationFilterModel::StateGroup;
    filter.setKind(QStringLiteral("apply"));
    QCOMPARE(ids(filter), QList<qint64>{3});
    filter.setKind({});
    filter.setStateGroup(G::Running);
    QCOMPARE(ids(filter), QList<qint64>{4});
    filter.setStateGroup(G::NeedsAttention);
    QCOMPARE(ids(filter), QList<qint64>{3});
    filter.setStateGroup(G::WaitingForSignOff);
    QCOMPARE(ids(filter), QList<qint64>{2});
    filter.setStateGroup(G::Finished);
    QCOMPARE(ids(filter), QList<qint64>{1});
    filter.setStateGroup(G::Any);

    // An environment as target or as source.
    filter.setEnvironment(QStringLiteral("contoso-uat"));
    QCOMPARE(ids(filter), (QList<qint64>{1, 3}));
    filter.setEnvironment(QStringLiteral("contoso-prod"));
    QCOMPARE(ids(filter), (QList<qint64>{1, 2, 4}));
    filter.setEnvironment({});

    filter.setSince(now.addDays(-7));
    QCOMPARE(ids(filter), (QList<qint64>{2, 3, 4}));
    filter.setSince({});

    // Text: a package, the state's words, an id, case-insensitive.
    filter.setText(QStringLiteral("application UPDATE"));
    QCOMPARE(ids(filter), QList<qint64>{3});
    filter.setText(QStringLiteral("interrupted"));
    QCOMPARE(ids(filter), QList<qint64>{3});
    filter.setText(QStringLiteral("4"));
    QCOMPARE(ids(filter), QList<qint64>{4});
    filter.setText(QStringLiteral("nothing like this"));
    QCOMPARE(filter.rowCount(), 0);
    filter.setText({});
    QCOMPARE(filter.rowCount(), 4);

    // Sorting by duration or start uses numbers, through the history's SortRole.
    QCOMPARE(filter.sortRole(), int(OperationHistoryModel::SortRole));
}

QTEST_GUILESS_MAIN(TestOperationFilterModel)
#include "tst_operationfiltermodel.moc"
