// Masker: the `mask` action's pseudonyms. What a user relies on: the same value gives
// the same pseudonym (so joins and duplicates behave), another project's secret gives
// others, emails stay distinct, formats are kept, and PostgreSQL's twin functions
// (Masker::postgresFunctions, run on the test server) give exactly what the C++ gives,
// so a project's pseudonyms do not depend on the engine. The golden case
// tests/data/policy/mask checks both against an independent derivation.
#include "PostgresTestSupport.h"

#include "engine/PostgresConnection.h"
#include "engine/PostgresPolicyApplier.h"
#include "policy/DataPolicy.h"
#include "policy/Masker.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace PostgresTestSupport;

class TestMasker : public QObject
{
    Q_OBJECT

private slots:
    void sameValueSamePseudonymOtherSecretOther();
    void formatsAreKept();
    void emailsStayDistinct();
    void nullEmptyAndOtherTypesStay();
    void newSecretsAreRandom();
    void postgresAgreesWithCpp();
    void integerColumnsKeepTheirType();
    void numericColumnsKeepTheirScale();
    void foreignKeyOnAMaskedColumnIsExplained();
    void cleanup();

private:
    // A source database made by `setupSql`, a copy of it opened as `staging`, and `policyJson`
    // applied to the copy with SecretA (what a refresh does); cleanup() drops both.
    void applyToCopy(const QString& setupSql, const QByteArray& policyJson, PostgresConnection& staging,
                     PolicyReport* report);
    // applyToCopy() of a rule masking `columns` of table T as numbers; it must succeed and
    // change `rows` rows.
    void maskNumbersOfCopy(const QString& setupSql, const QStringList& columns, qint64 rows,
                           PostgresConnection& staging);

    QString m_source;
    QStringList m_made;
};

namespace {

const QString SecretA = QStringLiteral("aa00000000000000000000000000000000000000000000000000000000000001");
const QString SecretB = QStringLiteral("bb00000000000000000000000000000000000000000000000000000000000002");

QString shape(const QString& s)
{
    QString out;
    for (const QChar c : s)
        out += c.unicode() >= '0' && c.unicode() <= '9'   ? QChar(u'9')
               : c.unicode() >= 'a' && c.unicode() <= 'z' ? QChar(u'a')
               : c.unicode() >= 0x80 && !c.isLowSurrogate() ? QChar(u'a') // outside ASCII: a letter
               : c.unicode() >= 'A' && c.unicode() <= 'Z' ? QChar(u'A')
                                                           : c;
    return out;
}

} // namespace

void TestMasker::sameValueSamePseudonymOtherSecretOther()
{
    const Masker a(SecretA);
    const Masker again(SecretA);
    const Masker b(SecretB);
    const QString email = QStringLiteral("alice.martin@contoso.com");
    for (const QString& kind : Masker::kindNames()) {
        const Masker::Kind k = *Masker::kindFromName(kind);
        const QString value = k == Masker::Kind::Number  ? QStringLiteral("250000")
                              : k == Masker::Kind::Phone ? QStringLiteral("+1 425 555 0100")
                                                         : email;
        QCOMPARE(a.maskText(k, value), again.maskText(k, value));
        QVERIFY2(a.maskText(k, value) != value, qPrintable(kind));
    }
    QVERIFY(a.maskText(Masker::Kind::Email, email) != b.maskText(Masker::Kind::Email, email));
    QVERIFY(a.maskInteger(123456789) != b.maskInteger(123456789));
    QVERIFY(a.maskText(Masker::Kind::Phone, QStringLiteral("+1 425 555 0100")) !=
            b.maskText(Masker::Kind::Phone, QStringLiteral("+1 425 555 0100")));
    // The kind is part of the input: the same text as a name and as an email differ.
    QVERIFY(a.maskText(Masker::Kind::Name, email) != a.maskText(Masker::Kind::Email, email));
}

void TestMasker::formatsAreKept()
{
    const Masker m(SecretA);
    const QRegularExpression emailShape(QStringLiteral("^[a-z]+\\.[a-z]+\\.[0-9a-f]{10}@example\\.com$"));
    const QRegularExpression nameShape(QStringLiteral("^[A-Z][a-z]+ [A-Z][a-z]+$"));
    QRandomGenerator random(7);
    for (int i = 0; i < 500; ++i) {
        const QString n = QString::number(random.bounded(1, 1000000));
        QVERIFY(emailShape.match(m.maskText(Masker::Kind::Email, QStringLiteral("user%1@fabrikam.com").arg(n))).hasMatch());
        QVERIFY(nameShape.match(m.maskText(Masker::Kind::Name, QStringLiteral("Person %1").arg(n))).hasMatch());
        const QString phone = QStringLiteral("+49 (89) %1-%2").arg(n, n);
        QCOMPARE(shape(m.maskText(Masker::Kind::Phone, phone)), shape(phone));
        const QString text = QStringLiteral("Ref %1, Zone-B ü/%2").arg(n, n);
        QCOMPARE(shape(m.maskText(Masker::Kind::Text, text)), shape(text));
        const qint64 number = (i % 2 ? -1 : 1) * random.bounded(qint64(1), qint64(1) << 62);
        const qint64 masked = m.maskInteger(number);
        QCOMPARE(QString::number(masked).size(), QString::number(number).size()); // sign and digits kept
        const double real = double(random.bounded(100000)) + 0.25;
        const double maskedReal = m.maskReal(real);
        QCOMPARE(QString::number(qint64(maskedReal)).size(), QString::number(qint64(real)).size());
        // A fraction below one stays below one, with its sign (a numeric(2, 2) holds it).
        const double fraction = (i % 2 ? -1 : 1) * double(random.bounded(1, 100)) / 100.0;
        const double maskedFraction = m.maskReal(fraction);
        QVERIFY2(std::abs(maskedFraction) < 1.0 && std::signbit(maskedFraction) == (fraction < 0),
                 qPrintable(QString::number(maskedFraction)));
    }
    // Nothing outside ASCII survives: an address in Japanese, full-width digits, a snowman.
    const QString address = QStringLiteral("東京都港区芝公園四丁目 ☃ 𝄞");
    const QString maskedAddress = m.maskText(Masker::Kind::Text, address);
    QCOMPARE(maskedAddress.size(), address.size() - 1); // the clef was two UTF-16 units, now one letter
    for (const QChar c : maskedAddress)
        QVERIFY2(c.unicode() < 0x80, qPrintable(maskedAddress));
    const QString fullWidth = m.maskText(Masker::Kind::Phone, QStringLiteral("８０３-５５５-０１００"));
    QVERIFY2(QRegularExpression(QStringLiteral("^[0-9]{3}-[0-9]{3}-[0-9]{4}$")).match(fullWidth).hasMatch(),
             qPrintable(fullWidth));
    // A phone number longer than one hash's 32 bytes takes digits from the next block.
    const QString longDigits(70, QLatin1Char('5'));
    const QString masked = m.maskText(Masker::Kind::Phone, longDigits);
    QCOMPARE(shape(masked), shape(longDigits));
    QVERIFY(masked.mid(40) != masked.mid(0, 30));
}

void TestMasker::emailsStayDistinct()
{
    // A unique email column stays unique: 50,000 addresses, 50,000 pseudonyms.
    const Masker m(SecretA);
    QSet<QString> seen;
    for (int i = 0; i < 50000; ++i)
        seen.insert(m.maskText(Masker::Kind::Email, QStringLiteral("customer%1@contoso.com").arg(i)));
    QCOMPARE(seen.size(), 50000);
}

void TestMasker::nullEmptyAndOtherTypesStay()
{
    const Masker m(SecretA);
    QVERIFY(m.mask(Masker::Kind::Email, QVariant()).isNull());
    QCOMPARE(m.mask(Masker::Kind::Email, QString()).toString(), QString());
    QCOMPARE(m.mask(Masker::Kind::Name, QByteArray("\x01\x02")).toByteArray(), QByteArray("\x01\x02"));
    QCOMPARE(m.mask(Masker::Kind::Number, qint64(42)).typeId(), int(QMetaType::LongLong));
    QCOMPARE(m.mask(Masker::Kind::Number, 4.5).typeId(), int(QMetaType::Double));
    // Text that is not an integer, masked as a number, keeps its shape.
    QCOMPARE(shape(m.maskText(Masker::Kind::Number, QStringLiteral("12.345,00"))), QStringLiteral("99.999,99"));
}

void TestMasker::newSecretsAreRandom()
{
    const QString one = Masker::newSecret();
    const QString two = Masker::newSecret();
    QCOMPARE(one.size(), 64);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(one).hasMatch());
    QVERIFY(one != two);
}

void TestMasker::postgresAgreesWithCpp()
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set (scripts/test starts the server)");
    PostgresConnection c;
    QString e;
    QVERIFY2(c.open(server(), &e), qPrintable(e));
    for (const QString& statement : Masker::postgresFunctions())
        QVERIFY2(c.exec(statement, &e), qPrintable(e));
    const Masker m(SecretA);
    QRandomGenerator random(11);
    QStringList texts{QStringLiteral("alice.martin@contoso.com"), QStringLiteral("Ünïcode ☃ AbC-9 𝄞"),
                      QStringLiteral("+1 (425) 555-0100"), QString(80, QLatin1Char('7')), QStringLiteral("O'Brien"),
                      QStringLiteral("50% off: call 555-0100 %s %% %1 \\1")};
    for (int i = 0; i < 300; ++i)
        texts << QStringLiteral("Kunde %1 <k%2@example.org> +%3").arg(random.generate()).arg(i).arg(random.generate64());
    // Every length from 1 to 72: C++ hashes a value whose message ends in one 64-byte block its
    // own way (Masker::hash), and a stream longer than one hash takes another path.
    const QString pattern = QStringLiteral("Ab1-cD2.eF3 g(H4)");
    for (int n = 1; n <= 72; ++n)
        texts << pattern.repeated(5).left(n);
    int compared = 0;
    for (const QString& kind : {QStringLiteral("email"), QStringLiteral("name"), QStringLiteral("first-name"),
                                QStringLiteral("last-name"), QStringLiteral("phone"), QStringLiteral("text")}) {
        for (const QString& t : std::as_const(texts)) {
            const QVariant pg = c.scalar(QStringLiteral("SELECT pg_temp.dataalm_mask($1, $2, $3)"), &e,
                                         {SecretA, kind, t});
            QVERIFY2(pg.isValid(), qPrintable(e));
            QCOMPARE(pg.toString(), m.maskText(*Masker::kindFromName(kind), t));
            ++compared;
        }
    }
    QList<qint64> numbers{0, 7, -7, 10, 99, -100, 123456789012345678, -999999999999999999,
                          std::numeric_limits<qint64>::max() - 1, std::numeric_limits<qint64>::max(),
                          std::numeric_limits<qint64>::min(), std::numeric_limits<qint64>::min() + 1};
    for (int i = 0; i < 300; ++i)
        numbers << qint64(random.generate64() >> random.bounded(1, 63)) * (i % 3 ? 1 : -1);
    for (const qint64 n : std::as_const(numbers)) {
        const QVariant pg =
            c.scalar(QStringLiteral("SELECT pg_temp.dataalm_mask_number($1, $2::numeric)::text"), &e, {SecretA, n});
        QVERIFY2(pg.isValid(), qPrintable(e));
        QCOMPARE(pg.toString(), QString::number(m.maskInteger(n)));
        // Integer columns take the bigint function: the same pseudonym in a bigint column; in a
        // smallint or integer one, the same as maskInteger with the type's largest value.
        for (const qint64 maximum : {std::numeric_limits<qint64>::max(), qint64(std::numeric_limits<qint32>::max()),
                                     qint64(std::numeric_limits<qint16>::max())}) {
            if (n > maximum || n < -maximum - 1)
                continue;
            const QVariant pgInteger =
                c.scalar(QStringLiteral("SELECT pg_temp.dataalm_mask_number($1, $2::bigint, $3::bigint)::text"), &e,
                         {SecretA, n, maximum});
            QVERIFY2(pgInteger.isValid(), qPrintable(e));
            QCOMPARE(pgInteger.toString(), QString::number(m.maskInteger(n, maximum)));
            ++compared;
        }
        ++compared;
    }
    qInfo("%d values masked alike by PostgreSQL and C++", compared);
}

void TestMasker::cleanup()
{
    for (const QString& name : std::as_const(m_made))
        dropDatabase(name);
    m_made.clear();
}

void TestMasker::applyToCopy(const QString& setupSql, const QByteArray& policyJson, PostgresConnection& staging,
                             PolicyReport* report)
{
    QVERIFY2(!url().isEmpty(), "DATAALM_TEST_PG_URL is not set (scripts/test starts the server)");
    m_source = uniqueName(QStringLiteral("mask_source"));
    const QString copy = uniqueName(QStringLiteral("mask_staging"));
    QString e;
    QVERIFY2(createDatabase(m_source, &e), qPrintable(e));
    m_made << m_source;
    QVERIFY2(exec(database(m_source), setupSql, &e), qPrintable(e));
    QVERIFY2(exec(server(), QStringLiteral("CREATE DATABASE %1 TEMPLATE %2").arg(copy, m_source), &e), qPrintable(e));
    m_made.prepend(copy);
    QVERIFY2(staging.open(database(copy), &e), qPrintable(e));
    const auto policy = DataPolicy::fromJson(policyJson, &e);
    QVERIFY2(policy, qPrintable(e));
    PolicyContext context;
    context.maskSecret = SecretA;
    *report = PostgresPolicyApplier(staging, database(m_source)).apply(*policy, context);
}

void TestMasker::maskNumbersOfCopy(const QString& setupSql, const QStringList& columns, qint64 rows,
                                   PostgresConnection& staging)
{
    QJsonObject kinds;
    for (const QString& c : columns)
        kinds.insert(c, QStringLiteral("number"));
    const QJsonObject rule{{QStringLiteral("id"), QStringLiteral("n")},
                           {QStringLiteral("title"), QStringLiteral("Numbers")},
                           {QStringLiteral("reason"), QStringLiteral("security")},
                           {QStringLiteral("table"), QStringLiteral("T")},
                           {QStringLiteral("action"), QStringLiteral("mask")},
                           {QStringLiteral("columns"), kinds}};
    PolicyReport report;
    applyToCopy(QString(setupSql).replace(QLatin1String("%%"), QLatin1String("%")),
                QJsonDocument(QJsonObject{{QStringLiteral("rules"), QJsonArray{rule}}}).toJson(), staging, &report);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(report.ok(), qPrintable(report.error));
    QCOMPARE(report.rules.at(0).tables.at(0).updated, rows);
}

void TestMasker::integerColumnsKeepTheirType()
{
    // A smallint or integer column's pseudonym keeps the value's count of digits and stays
    // within its type: the largest values of each type have pseudonyms their type cannot hold
    // without that (a smallint of 5 digits: 10000-99999), and the UPDATE used to fail.
    PostgresConnection c;
    maskNumbersOfCopy(QStringLiteral("CREATE TABLE \"T\" (\"ID\" integer PRIMARY KEY, \"S\" smallint, \"I\" integer, "
                                     "\"B\" bigint, \"N\" numeric(6, 2)); INSERT INTO \"T\" SELECT g, "
                                     "(ARRAY[32767, -32768, 32766, 10000, 7])[g %% 5 + 1], "
                                     "(ARRAY[2147483647, -2147483648, 2147483000 - g, 1000000000, 42])[g %% 5 + 1], "
                                     "9223372036854775807 - g, 9999.99 - g FROM generate_series(1, 200) g"),
                      {QStringLiteral("S"), QStringLiteral("I"), QStringLiteral("B"), QStringLiteral("N")}, 200, c);
    if (QTest::currentTestFailed())
        return;

    QList<PostgresConnection::Row> before;
    QList<PostgresConnection::Row> after;
    const QString select = QStringLiteral("SELECT \"S\", \"I\", \"B\", \"N\"::text FROM \"T\" ORDER BY \"ID\"");
    PostgresConnection original;
    QString e;
    QVERIFY2(original.open(database(m_source), &e) && original.query(select, &before, &e), qPrintable(e));
    QVERIFY2(c.query(select, &after, &e), qPrintable(e));
    original.close();
    c.close();
    QCOMPARE(after.size(), 200);
    const Masker m(SecretA);
    const auto digits = [](qint64 v) { return QString::number(v).remove(QLatin1Char('-')).size(); };
    int changed = 0;
    for (int row = 0; row < after.size(); ++row) {
        const qint64 maxima[] = {std::numeric_limits<qint16>::max(), std::numeric_limits<qint32>::max(),
                                 std::numeric_limits<qint64>::max()};
        for (int col = 0; col < 3; ++col) {
            const qint64 value = before.at(row).at(col).toLongLong();
            const qint64 masked = after.at(row).at(col).toLongLong();
            QCOMPARE(masked, m.maskInteger(value, maxima[col]));
            QCOMPARE(digits(masked), digits(value));
            QVERIFY(masked >= -maxima[col] - 1 && masked <= maxima[col]);
            changed += masked != value;
        }
        QCOMPARE(after.at(row).at(3).toString().size(), before.at(row).at(3).toString().size());
    }
    QVERIFY2(changed > 500, qPrintable(QString::number(changed)));
}

void TestMasker::numericColumnsKeepTheirScale()
{
    // A fraction's pseudonym has two decimals. A numeric(3, 1) used to round them: 99.97 became
    // 100.0, which it cannot hold, and the UPDATE failed ("numeric field overflow"); a
    // numeric(2, 2) holds nothing of one digit before the point, which every fraction below
    // one used to get. Now the decimals are cut to the declared scale (a negative one too) and
    // a fraction below one stays below one.
    PostgresConnection c;
    maskNumbersOfCopy(QStringLiteral("CREATE TABLE \"T\" (\"ID\" integer PRIMARY KEY, \"A\" numeric(3, 1), "
                                     "\"B\" numeric(2, 2), \"C\" numeric(4, -1), \"D\" numeric(7, 3)); "
                                     "INSERT INTO \"T\" SELECT g, g / 10.0, -(g %% 99 + 1) / 100.0, (1000 + g) * 10, "
                                     "g / 1000.0 FROM generate_series(101, 999) g WHERE g %% 10 <> 0"),
                      {QStringLiteral("A"), QStringLiteral("B"), QStringLiteral("C"), QStringLiteral("D")}, 810, c);
    if (QTest::currentTestFailed())
        return;

    // What each value's pseudonym is before any type holds it, from the twin functions run on
    // the source: the masked columns must hold it cut (not rounded) to their scale.
    PostgresConnection original;
    QString e;
    QVERIFY2(original.open(database(m_source), &e), qPrintable(e));
    for (const QString& f : Masker::postgresFunctions())
        QVERIFY2(original.exec(f, &e), qPrintable(e));
    QList<PostgresConnection::Row> expected;
    QList<PostgresConnection::Row> after;
    const QString expectedSql =
        QStringLiteral("SELECT trunc(m(\"A\"), 1)::float8, m(\"B\")::float8, trunc(m(\"C\"), -1)::float8, "
                       "m(\"D\")::float8 FROM \"T\" ORDER BY \"ID\"")
            .replace(QRegularExpression(QStringLiteral("m\\((\"[A-D]\")\\)")),
                     QStringLiteral("pg_temp.dataalm_mask_number('%1', \\1::numeric)").arg(SecretA));
    QVERIFY2(original.query(expectedSql, &expected, &e), qPrintable(e));
    QVERIFY2(c.query(QStringLiteral("SELECT \"A\"::float8, \"B\"::float8, \"C\"::float8, \"D\"::float8 FROM \"T\" "
                                    "ORDER BY \"ID\""),
                     &after, &e),
             qPrintable(e));
    original.close();
    c.close();
    QCOMPARE(after.size(), 810);
    for (int row = 0; row < after.size(); ++row) {
        for (int col = 0; col < 4; ++col)
            QCOMPARE(after.at(row).at(col).toDouble(), expected.at(row).at(col).toDouble());
        QVERIFY(std::abs(after.at(row).at(1).toDouble()) < 1.0); // numeric(2, 2)
        QVERIFY(std::abs(after.at(row).at(3).toDouble()) < 1.0); // 0.101 to 0.999 in a numeric(7, 3)
    }
}

void TestMasker::foreignKeyOnAMaskedColumnIsExplained()
{
    // A column a foreign key references cannot be masked on PostgreSQL (the constraint is
    // checked when the rule ends, with the other table still holding the value): the rule
    // fails, changes nothing, and its message says why and what to do.
    PostgresConnection c;
    PolicyReport report;
    applyToCopy(QStringLiteral("CREATE TABLE \"P\" (\"EMAIL\" text PRIMARY KEY); CREATE TABLE \"C\" (\"ID\" integer "
                               "PRIMARY KEY, \"EMAIL\" text REFERENCES \"P\"); INSERT INTO \"P\" VALUES "
                               "('a@contoso.com'), ('b@contoso.com'); INSERT INTO \"C\" VALUES (1, 'a@contoso.com')"),
                R"({"rules": [{"id": "p", "title": "People", "reason": "security", "table": "P", "action": "mask",
                    "columns": {"EMAIL": "email"}}]})",
                c, &report);
    if (QTest::currentTestFailed())
        return;
    QString e;
    const QVariant kept = c.scalar(QStringLiteral("SELECT string_agg(\"EMAIL\", ',' ORDER BY 1) FROM \"P\""), &e);
    c.close();
    QVERIFY(!report.ok());
    QVERIFY2(report.error.contains(QLatin1String("foreign key constraint")), qPrintable(report.error));
    QVERIFY2(report.error.contains(QLatin1String("mask a column no foreign key uses")), qPrintable(report.error));
    QCOMPARE(kept.toString(), QStringLiteral("a@contoso.com,b@contoso.com"));
}

QTEST_GUILESS_MAIN(TestMasker)
#include "tst_masker.moc"
