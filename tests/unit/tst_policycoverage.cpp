// PolicyCoverage: per column of a source, covered by a rule, reviewed, or unreviewed; the
// unreviewed ones that look sensitive flagged with their evidence; columns new since the
// last refresh named; the check's sentence and the JSON the console and reports read.
#include "policy/DataPolicy.h"
#include "policy/PolicyCoverage.h"
#include "policy/SchemaInfo.h"

#include <QTest>

class TestPolicyCoverage : public QObject
{
    Q_OBJECT

private slots:
    void statuses();
    void summaryAndJson();
    void maskRuleIds();
};

namespace {

QList<SchemaInfo::Column> columns(std::initializer_list<const char*> names)
{
    QList<SchemaInfo::Column> list;
    for (const char* n : names)
        list << SchemaInfo::Column{QString::fromLatin1(n), QStringLiteral("TEXT"), false, false, false};
    return list;
}

SchemaInfo schema()
{
    SchemaInfo s;
    s.addTable(QStringLiteral("CONTACT"), columns({"RECID", "NAME", "EMAIL", "NOTES", "KIND", "PERSONAL_EMAIL"}));
    s.addTable(QStringLiteral("SESSIONS"), columns({"ID", "TOKEN"}));
    s.addTable(QStringLiteral("ITEMS"), columns({"NAME", "PRICE"}));
    return s;
}

std::optional<DataPolicy> policy()
{
    return DataPolicy::fromJson(R"({"reviewed": {"ITEMS": "*", "CONTACT": ["NOTES"]}, "rules": [
        {"id": "emails", "title": "E", "reason": "security", "table": "CONTACT", "action": "mask",
         "columns": {"EMAIL": "email"}, "where": {"KIND": "1"}},
        {"id": "sessions", "title": "S", "reason": "environment-specific", "table": "SESSIONS", "action": "exclude"}]})",
                                nullptr);
}

QHash<QString, QHash<QString, QStringList>> samples()
{
    QHash<QString, QHash<QString, QStringList>> s;
    for (int i = 0; i < 10; ++i)
        s[QStringLiteral("CONTACT")][QStringLiteral("PERSONAL_EMAIL")] << QStringLiteral("p%1@mail.example").arg(i);
    return s;
}

} // namespace

void TestPolicyCoverage::statuses()
{
    const auto p = policy();
    QVERIFY(p);
    const PolicyCoverage c = PolicyCoverage::analyse(*p, schema(), samples(),
                                                     {QStringLiteral("contact.recid"), QStringLiteral("contact.name"),
                                                      QStringLiteral("contact.email"), QStringLiteral("contact.notes"),
                                                      QStringLiteral("contact.kind")});
    QCOMPARE(c.columnCount(), 10);
    const PolicyCoverage::Table& contact = c.tables().at(0);
    QCOMPARE(contact.columns.at(2).status, PolicyCoverage::Status::Covered); // EMAIL: masked
    QCOMPARE(contact.columns.at(2).ruleId, QStringLiteral("emails"));
    QCOMPARE(contact.columns.at(4).status, PolicyCoverage::Status::Unreviewed); // KIND: read in where only
    QCOMPARE(contact.columns.at(3).status, PolicyCoverage::Status::Reviewed); // NOTES
    QCOMPARE(c.tables().at(1).columns.at(1).status, PolicyCoverage::Status::Covered); // SESSIONS.TOKEN: excluded
    // ITEMS is reviewed with "*", but both its columns are new: that review predates them.
    QCOMPARE(c.tables().at(2).count(PolicyCoverage::Status::Reviewed), 0);
    QCOMPARE(PolicyCoverage::analyse(*p, schema(), samples()).tables().at(2).count(PolicyCoverage::Status::Reviewed),
             2);
    const QList<PolicyCoverage::Column> flagged = c.flagged();
    QCOMPARE(flagged.size(), 3); // CONTACT.NAME by name, PERSONAL_EMAIL by name and values, ITEMS.NAME by name
    QCOMPARE(flagged.at(2).key(), QStringLiteral("ITEMS.NAME"));
    // New and unreviewed needs a decision even when it does not look sensitive (ITEMS.PRICE, SESSIONS is excluded).
    QStringList open;
    for (const PolicyCoverage::Column& col : c.needingDecision())
        open << col.key();
    QCOMPARE(open, (QStringList{QStringLiteral("CONTACT.NAME"), QStringLiteral("CONTACT.PERSONAL_EMAIL"),
                                QStringLiteral("ITEMS.NAME"), QStringLiteral("ITEMS.PRICE")}));
    QCOMPARE(flagged.at(0).key(), QStringLiteral("CONTACT.NAME"));
    QCOMPARE(flagged.at(1).describe(), QStringLiteral("CONTACT.PERSONAL_EMAIL (its name says email; 10 of 10 sampled "
                                                      "values are email addresses; new since the last refresh)"));
    QCOMPARE(flagged.at(1).suggestedMask(), QStringLiteral("email"));
    QCOMPARE(c.newColumns().size(), 5); // everything of SESSIONS and ITEMS is new too, and PERSONAL_EMAIL
    // Without a previous refresh nothing is called new.
    QVERIFY(PolicyCoverage::analyse(*p, schema(), samples()).newColumns().isEmpty());
}

void TestPolicyCoverage::summaryAndJson()
{
    const auto p = policy();
    const PolicyCoverage c = PolicyCoverage::analyse(*p, schema(), samples());
    QCOMPARE(c.summary(), QStringLiteral("3 of 10 columns are covered by a rule, 3 reviewed as safe, 4 unreviewed. 2 "
                                         "unreviewed columns look sensitive: CONTACT.NAME (its name says name), "
                                         "CONTACT.PERSONAL_EMAIL (its name says email; 10 of 10 sampled values are "
                                         "email addresses). Mask or blank them with a rule, or mark them reviewed "
                                         "in the policy."));
    QVERIFY(!c.summary().contains(QLatin1String("mail.example")));
    const PolicyCoverage again = PolicyCoverage::fromJson(c.toJson());
    QCOMPARE(again.toJson(), c.toJson());
    QCOMPARE(again.flagged().size(), 2);
    // The console's "Mark reviewed" makes the next analysis say so.
    const PolicyCoverage reviewed = PolicyCoverage::analyse(
        p->withReviewed(QStringLiteral("contact"), QStringLiteral("name")), schema(), samples());
    QCOMPARE(reviewed.flagged().size(), 1);
}

void TestPolicyCoverage::maskRuleIds()
{
    const auto p = policy();
    const PolicyRule r = PolicyCoverage::maskRule(*p, QStringLiteral("CONTACT"), QStringLiteral("PERSONAL_EMAIL"),
                                                  QStringLiteral("email"));
    QCOMPARE(r.id, QStringLiteral("mask-contact-personal-email"));
    QCOMPARE(r.action, PolicyRule::Action::Mask);
    const DataPolicy once = p->withRule(r);
    const PolicyRule second =
        PolicyCoverage::maskRule(once, QStringLiteral("CONTACT"), QStringLiteral("PERSONAL_EMAIL"), QStringLiteral("text"));
    QCOMPARE(second.id, QStringLiteral("mask-contact-personal-email-2"));
    // The changed policy is a valid policy file.
    QString error;
    QVERIFY2(DataPolicy::fromJson(once.withRule(second).toJson().toJson(), &error), qPrintable(error));
    const PolicyCoverage after = PolicyCoverage::analyse(once, schema(), samples());
    QCOMPARE(after.flagged().size(), 1);
}

QTEST_GUILESS_MAIN(TestPolicyCoverage)
#include "tst_policycoverage.moc"
