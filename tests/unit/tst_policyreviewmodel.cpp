// PolicyReviewModel: "Data that will not be copied", rule by rule, over the real
// default policy; counts arrive one by one and update their row in place.
#include "PolicyReviewModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QtTest>

class TestPolicyReviewModel : public QObject
{
    Q_OBJECT

private slots:
    void rulesOfTheDefaultPolicy();
    void countsArriveOneByOne();
    void aFailedCountSaysWhy();
    void clearCountsAndNoPolicy();
    void reasonsAndActionsAreExplained();

private:
    static int rowOf(const PolicyReviewModel& model, const QString& ruleId);
};

int TestPolicyReviewModel::rowOf(const PolicyReviewModel& model, const QString& ruleId)
{
    for (int row = 0; row < model.rowCount(); ++row) {
        if (model.index(row, 0).data(PolicyReviewModel::RuleIdRole).toString() == ruleId)
            return row;
    }
    return -1;
}

void TestPolicyReviewModel::rulesOfTheDefaultPolicy()
{
    QString error;
    const auto policy = DataPolicy::defaultPolicy(&error);
    QVERIFY2(policy, qPrintable(error));
    PolicyReviewModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setPolicy(policy);
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), int(policy->rules().size()));
    QCOMPARE(model.columnCount(), 5);
    QStringList headers;
    for (int c = 0; c < model.columnCount(); ++c)
        headers << model.headerData(c, Qt::Horizontal).toString();
    QCOMPARE(headers, (QStringList{QStringLiteral("Data"), QStringLiteral("Tables"), QStringLiteral("Why"),
                                   QStringLiteral("In the target"), QStringLiteral("Source rows")}));

    using M = PolicyReviewModel;
    const int history = rowOf(model, QStringLiteral("batch-history"));
    QVERIFY(history >= 0);
    QCOMPARE(model.index(history, M::DataColumn).data().toString(), QStringLiteral("Batch job history"));
    QCOMPARE(model.index(history, M::TablesColumn).data().toString(),
             QStringLiteral("BATCHJOBHISTORY, BATCHHISTORY, BATCHCONSTRAINTHISTORY"));
    QCOMPARE(model.index(history, M::ReasonColumn).data().toString(), QStringLiteral("Avoids side effects"));
    QCOMPARE(model.index(history, M::ActionColumn).data().toString(), QStringLiteral("Not copied"));
    QCOMPARE(model.index(history, 0).data(M::ActionIdRole).toString(), QStringLiteral("exclude"));
    QCOMPARE(model.index(history, 0).data(M::ReasonIdRole).toString(), QStringLiteral("avoid-side-effects"));
    QCOMPARE(model.index(history, M::RowsColumn).data().toString(), QStringLiteral("Counting…"));
    QCOMPARE(model.index(history, M::RowsColumn).data(M::RowsRole).toLongLong(), M::NotCounted);

    const int emails = rowOf(model, QStringLiteral("emails"));
    QCOMPARE(model.index(emails, 0).data(M::ColumnsRole).toStringList(),
             (QStringList{QStringLiteral("TYPE"), QStringLiteral("LOCATOR")}));
    QCOMPARE(model.index(emails, 0).data(M::DescriptionRole).toString(), model.ruleAt(emails)->describe());
    QCOMPARE(model.ruleAt(emails)->id, QStringLiteral("emails"));
    QVERIFY(!model.ruleAt(model.rowCount()));
    QCOMPARE(model.countedRules(), 0);
    QVERIFY(!model.allCounted());
}

void TestPolicyReviewModel::countsArriveOneByOne()
{
    PolicyReviewModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPolicy(DataPolicy::defaultPolicy());
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    const int history = rowOf(model, QStringLiteral("batch-history"));
    model.setRuleCount(QStringLiteral("batch-history"), 1860,
                       {QVariantList{QStringLiteral("BATCHJOBHISTORY"), 1000},
                        QVariantList{QStringLiteral("BATCHHISTORY"), 800},
                        QVariantList{QStringLiteral("BATCHCONSTRAINTHISTORY"), 60}});
    QCOMPARE(reset.count(), 0);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(changed.at(0).at(0).toModelIndex(), model.index(history, PolicyReviewModel::RowsColumn));
    QCOMPARE(changed.at(0).at(1).toModelIndex(), model.index(history, PolicyReviewModel::RowsColumn));
    QCOMPARE(model.index(history, PolicyReviewModel::RowsColumn).data().toString(), QLocale().toString(1860));
    QCOMPARE(model.index(history, 0).data(PolicyReviewModel::TableRowsRole).toList().size(), 3);
    QCOMPARE(model.countedRules(), 1);
    QCOMPARE(model.countedRows(), 1860);
    // An unknown rule changes nothing.
    model.setRuleCount(QStringLiteral("no-such-rule"), 5, {});
    QCOMPARE(changed.count(), 1);
    // Every rule counted.
    for (int row = 0; row < model.rowCount(); ++row)
        model.setRuleCount(model.ruleAt(row)->id, row == history ? 1860 : 1, {});
    QVERIFY(model.allCounted());
    QCOMPARE(model.countedRows(), 1860 + model.rowCount() - 1);
    QVERIFY(model.index(history, PolicyReviewModel::RowsColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("rows of the source")));
}

void TestPolicyReviewModel::aFailedCountSaysWhy()
{
    PolicyReviewModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setPolicy(DataPolicy::defaultPolicy());
    model.setRuleCount(QStringLiteral("emails"), -1, {}, QStringLiteral("no such table: LOGISTICSELECTRONICADDRESS"));
    const int emails = rowOf(model, QStringLiteral("emails"));
    QCOMPARE(model.index(emails, PolicyReviewModel::RowsColumn).data().toString(), QStringLiteral("Unknown"));
    QCOMPARE(model.index(emails, 0).data(PolicyReviewModel::RowsRole).toLongLong(), PolicyReviewModel::CountFailed);
    QVERIFY(model.index(emails, PolicyReviewModel::RowsColumn)
                .data(Qt::ToolTipRole)
                .toString()
                .contains(QStringLiteral("no such table")));
    QCOMPARE(model.countedRules(), 1); // counted, even if it failed: nothing more will come
    QCOMPARE(model.countedRows(), 0);
}

void TestPolicyReviewModel::clearCountsAndNoPolicy()
{
    PolicyReviewModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    model.setRuleCount(QStringLiteral("emails"), 3, {}); // no policy: ignored
    model.setPolicy(DataPolicy::defaultPolicy());
    model.setRuleCount(QStringLiteral("emails"), 3, {});
    QCOMPARE(model.countedRules(), 1);
    QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
    model.clearCounts();
    QCOMPARE(changed.count(), 1);
    QCOMPARE(model.countedRules(), 0);
    model.setPolicy(std::nullopt);
    QCOMPARE(model.rowCount(), 0);
    QVERIFY(model.allCounted()); // nothing to count
}

void TestPolicyReviewModel::reasonsAndActionsAreExplained()
{
    for (auto reason : {PolicyRule::Reason::EnvironmentSpecific, PolicyRule::Reason::Security,
                        PolicyRule::Reason::AvoidSideEffects}) {
        const QString text = PolicyReviewModel::reasonExplanation(reason);
        QVERIFY(text.size() > 40);
        QVERIFY2(text.startsWith(PolicyRule::reasonTitle(reason).left(5)), qPrintable(text));
    }
    QSet<QString> titles;
    for (auto action : {PolicyRule::Action::Exclude, PolicyRule::Action::KeepTarget, PolicyRule::Action::Blank,
                        PolicyRule::Action::Set, PolicyRule::Action::ResetAdmin})
        titles.insert(PolicyReviewModel::actionTitle(action));
    QCOMPARE(titles.size(), 5);
}

QTEST_GUILESS_MAIN(TestPolicyReviewModel)
#include "tst_policyreviewmodel.moc"
