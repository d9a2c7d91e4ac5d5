// SensitiveDataDetector: which columns look like personal or secret data, by name and by
// a sample of values, without false alarms on what merely looks alike (account numbers
// with dashes, file names, dates).
#include "policy/SensitiveDataDetector.h"

#include <QTest>

class TestSensitiveDataDetector : public QObject
{
    Q_OBJECT

private slots:
    void byName_data();
    void byName();
    void values();
    void byValuesNeedsAShare();
};

void TestSensitiveDataDetector::byName_data()
{
    QTest::addColumn<QString>("column");
    QTest::addColumn<QString>("word");
    QTest::newRow("EMAIL") << QStringLiteral("EMAIL") << QStringLiteral("email");
    QTest::newRow("PERSONAL_EMAIL") << QStringLiteral("PERSONAL_EMAIL") << QStringLiteral("email");
    QTest::newRow("PERSONALEMAIL inside one word") << QStringLiteral("PERSONALEMAIL") << QStringLiteral("email");
    QTest::newRow("camelCase") << QStringLiteral("contactPhone") << QStringLiteral("phone");
    QTest::newRow("E_MAIL") << QStringLiteral("E_MAIL") << QStringLiteral("email");
    QTest::newRow("NAME") << QStringLiteral("NAME") << QStringLiteral("name");
    QTest::newRow("CUST_NAME") << QStringLiteral("CUST_NAME") << QStringLiteral("name");
    QTest::newRow("FILENAME is not a person's") << QStringLiteral("FILENAME") << QStringLiteral("");
    QTest::newRow("PRINTERNAME") << QStringLiteral("PRINTERNAME") << QStringLiteral("");
    QTest::newRow("DOB") << QStringLiteral("DOB") << QStringLiteral("dob");
    QTest::newRow("DOBBIN has no dob") << QStringLiteral("DOBBINS") << QStringLiteral("");
    QTest::newRow("SMTPPASSWORD") << QStringLiteral("SMTPPASSWORD") << QStringLiteral("password");
    QTest::newRow("TOKEN") << QStringLiteral("TOKEN") << QStringLiteral("token");
    QTest::newRow("IBAN") << QStringLiteral("VendIban") << QStringLiteral("iban");
    QTest::newRow("BIRTHDATE") << QStringLiteral("BIRTHDATE") << QStringLiteral("birth");
    QTest::newRow("RECID") << QStringLiteral("RECID") << QStringLiteral("");
    QTest::newRow("CREDITMAX") << QStringLiteral("CREDITMAX") << QStringLiteral("");
}

void TestSensitiveDataDetector::byName()
{
    QFETCH(QString, column);
    QFETCH(QString, word);
    QCOMPARE(SensitiveDataDetector::byName(column), word);
}

void TestSensitiveDataDetector::values()
{
    QVERIFY(SensitiveDataDetector::isEmail(QStringLiteral("orders@tailspin.com")));
    QVERIFY(SensitiveDataDetector::isEmail(QStringLiteral("o'brien.j+x@sub.contoso.co.uk")));
    QVERIFY(!SensitiveDataDetector::isEmail(QStringLiteral("not an @ address")));
    // Luhn: the test card number passes, one digit changed fails.
    QVERIFY(SensitiveDataDetector::isCardNumber(QStringLiteral("4111 1111 1111 1111")));
    QVERIFY(SensitiveDataDetector::isCardNumber(QStringLiteral("5500-0000-0000-0004")));
    QVERIFY(!SensitiveDataDetector::isCardNumber(QStringLiteral("4111 1111 1111 1112")));
    // IBAN mod 97: the examples of the standard pass, a changed check digit fails.
    QVERIFY(SensitiveDataDetector::isIban(QStringLiteral("DE89 3704 0044 0532 0130 00")));
    QVERIFY(SensitiveDataDetector::isIban(QStringLiteral("GB82WEST12345698765432")));
    QVERIFY(!SensitiveDataDetector::isIban(QStringLiteral("GB83WEST12345698765432")));
    QVERIFY(SensitiveDataDetector::isPhoneNumber(QStringLiteral("+1 425 555 0100")));
    QVERIFY(SensitiveDataDetector::isPhoneNumber(QStringLiteral("(425) 555-0100")));
    QVERIFY(SensitiveDataDetector::isPhoneNumber(QStringLiteral("425-555-0100")));
    QVERIFY(SensitiveDataDetector::isPhoneNumber(QStringLiteral("0049891234567")));
    QVERIFY(!SensitiveDataDetector::isPhoneNumber(QStringLiteral("640100-022-015"))); // a ledger account
    QVERIFY(!SensitiveDataDetector::isPhoneNumber(QStringLiteral("2026-12-03")));
    QVERIFY(!SensitiveDataDetector::isPhoneNumber(QStringLiteral("1234567")));
}

void TestSensitiveDataDetector::byValuesNeedsAShare()
{
    QStringList sample;
    for (int i = 0; i < 20; ++i)
        sample << QStringLiteral("Item %1").arg(i);
    QVERIFY(!SensitiveDataDetector::byValues(sample));
    sample << QStringLiteral("a@contoso.com"); // one of 21: not a column of emails
    QVERIFY(!SensitiveDataDetector::byValues(sample));
    for (int i = 0; i < 5; ++i)
        sample << QStringLiteral("user%1@contoso.com").arg(i);
    const auto evidence = SensitiveDataDetector::byValues(sample);
    QVERIFY(evidence);
    QCOMPARE(evidence->kind, QStringLiteral("email addresses"));
    QCOMPARE(evidence->sentence(), QStringLiteral("6 of 26 sampled values are email addresses"));
    QVERIFY(!evidence->sentence().contains(QLatin1Char('@'))); // counts, never values
    // Empty values do not count as sampled.
    const auto cards = SensitiveDataDetector::byValues(
        {QStringLiteral("4111111111111111"), QStringLiteral("5500000000000004"), QString(), QStringLiteral(" ")});
    QVERIFY(cards);
    QCOMPARE(cards->sentence(), QStringLiteral("2 of 2 sampled values are card numbers"));
}

QTEST_GUILESS_MAIN(TestSensitiveDataDetector)
#include "tst_sensitivedatadetector.moc"
