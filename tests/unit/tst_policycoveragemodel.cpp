// PolicyCoverageModel: the Coverage tab's tree, checked by QAbstractItemModelTester:
// tables with something to review first, their columns as children, counts for the bar,
// the evidence and the suggested mask of a flagged column.
#include "PolicyCoverageModel.h"
#include "policy/DataPolicy.h"
#include "policy/SchemaInfo.h"

#include <QAbstractItemModelTester>
#include <QTest>

class TestPolicyCoverageModel : public QObject
{
    Q_OBJECT

private slots:
    void tree();
};

void TestPolicyCoverageModel::tree()
{
    SchemaInfo s;
    const auto text = [](const char* n) { return SchemaInfo::Column{QString::fromLatin1(n), QStringLiteral("TEXT"), false, false, false}; };
    s.addTable(QStringLiteral("AAA"), {text("CODE")});
    s.addTable(QStringLiteral("CONTACT"), {text("EMAIL"), text("PHONE"), text("NOTES")});
    const auto policy = DataPolicy::fromJson(R"({"rules": [{"id": "e", "title": "E", "reason": "security",
        "table": "CONTACT", "action": "blank", "columns": ["EMAIL"]}]})", nullptr);
    QVERIFY(policy);
    PolicyCoverageModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setCoverage(PolicyCoverage::analyse(*policy, s, {}));
    QCOMPARE(model.rowCount(), 2);
    const QModelIndex contact = model.index(0, 0);
    QCOMPARE(contact.data().toString(), QStringLiteral("CONTACT")); // flagged first
    QCOMPARE(contact.data(PolicyCoverageModel::CountsRole).toList(), (QVariantList{1, 0, 2, 1}));
    QCOMPARE(model.index(0, PolicyCoverageModel::WhyColumn).data().toString(), QStringLiteral("1 column looks sensitive"));
    QCOMPARE(model.rowCount(contact), 3);
    const QModelIndex phone = model.index(1, 0, contact);
    QCOMPARE(phone.data().toString(), QStringLiteral("PHONE"));
    QCOMPARE(phone.parent(), contact);
    QVERIFY(phone.data(PolicyCoverageModel::FlaggedRole).toBool());
    QCOMPARE(phone.data(PolicyCoverageModel::SuggestedMaskRole).toString(), QStringLiteral("phone"));
    QCOMPARE(phone.data(PolicyCoverageModel::TableRole).toString(), QStringLiteral("CONTACT"));
    QCOMPARE(model.index(1, PolicyCoverageModel::WhyColumn, contact).data().toString(),
             QStringLiteral("its name says phone"));
    QCOMPARE(model.index(0, PolicyCoverageModel::CoverageColumn, contact).data().toString(),
             QStringLiteral("Covered (rule e)"));
    QCOMPARE(model.index(2, PolicyCoverageModel::CoverageColumn, contact).data().toString(), QStringLiteral("Unreviewed"));
    QCOMPARE(model.rowCount(phone), 0);
    model.clear();
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestPolicyCoverageModel)
#include "tst_policycoveragemodel.moc"
