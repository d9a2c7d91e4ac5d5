// CommandLine: the parser of `dataalm`'s arguments (docs/ARCHITECTURE.md, "CLI contract").
#include "CommandLine.h"

#include <QtTest>

class TestCommandLine : public QObject
{
    Q_OBJECT

private slots:
    void optionsAnywhere();
    void optionWithEquals();
    void repeatedValues();
    void shortFlags();
    void missingValue_data();
    void missingValue();
    void unknownOption_data();
    void unknownOption();
    void flagWithValue();
    void doubleDashEndsOptions();
    void singleDashIsPositional();
    void intValue_data();
    void intValue();
    void onlyAllows();
};

namespace {

QStringList words(const char* line)
{
    return QString::fromUtf8(line).split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

} // namespace

void TestCommandLine::optionsAnywhere()
{
    const QStringList orders[] = {words("env show contoso-uat --json --catalog /tmp/c"),
                                  words("--json --catalog /tmp/c env show contoso-uat"),
                                  words("env --catalog /tmp/c show --json contoso-uat")};
    for (const QStringList& args : orders) {
        CommandLine cl;
        QString error;
        QVERIFY2(cl.parse(args, &error), qPrintable(error));
        QCOMPARE(cl.positional(), words("env show contoso-uat"));
        QVERIFY(cl.has(QStringLiteral("json")));
        QCOMPARE(cl.value(QStringLiteral("catalog")), QStringLiteral("/tmp/c"));
        QCOMPARE(cl.options(), words("catalog json"));
        QVERIFY(!cl.has(QStringLiteral("yes")));
    }
}

void TestCommandLine::optionWithEquals()
{
    CommandLine cl;
    QString error;
    // The value after '=' is taken whole, '=' and spaces included.
    QVERIFY2(cl.parse({QStringLiteral("--catalog=/tmp/a b=c"), QStringLiteral("env"), QStringLiteral("list")}, &error),
             qPrintable(error));
    QCOMPARE(cl.value(QStringLiteral("catalog")), QStringLiteral("/tmp/a b=c"));
    QCOMPARE(cl.positional(), words("env list"));

    // A value that looks like an option can still be given with '='; one dash is a value.
    CommandLine dashed;
    QVERIFY2(dashed.parse(words("--catalog=--odd --size-mb -5 demo"), &error), qPrintable(error));
    QCOMPARE(dashed.value(QStringLiteral("catalog")), QStringLiteral("--odd"));
    QCOMPARE(dashed.value(QStringLiteral("size-mb")), QStringLiteral("-5"));

    CommandLine empty;
    QVERIFY(!empty.parse({QStringLiteral("--catalog="), QStringLiteral("env")}, &error));
    QVERIFY2(error.contains(QLatin1String("--catalog")), qPrintable(error));
}

void TestCommandLine::repeatedValues()
{
    CommandLine cl;
    QString error;
    QVERIFY2(cl.parse(words("--db a --db=b run"), &error), qPrintable(error));
    QCOMPARE(cl.values(QStringLiteral("db")), words("a b"));
    QCOMPARE(cl.positional(), words("run"));
    QCOMPARE(cl.value(QStringLiteral("missing")), QString());
    QVERIFY(cl.values(QStringLiteral("missing")).isEmpty());
}

void TestCommandLine::shortFlags()
{
    CommandLine cl;
    QString error;
    QVERIFY2(cl.parse(words("-h -v -y refresh"), &error), qPrintable(error));
    QVERIFY(cl.has(QStringLiteral("help")));
    QVERIFY(cl.has(QStringLiteral("verbose")));
    QVERIFY(cl.has(QStringLiteral("yes")));
    QCOMPARE(cl.positional(), words("refresh"));
}

void TestCommandLine::missingValue_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("named");
    QTest::newRow("last word") << words("env list --catalog") << QStringLiteral("--catalog");
    QTest::newRow("size-mb at the end") << words("demo --size-mb") << QStringLiteral("--size-mb");
    QTest::newRow("empty after =") << words("preflight --source= --target b") << QStringLiteral("--source");
    QTest::newRow("followed by an option") << words("env list --catalog --json") << QStringLiteral("--catalog");
    QTest::newRow("followed by --") << words("env show --catalog -- x") << QStringLiteral("--catalog");
}

void TestCommandLine::missingValue()
{
    QFETCH(QStringList, args);
    QFETCH(QString, named);
    CommandLine cl;
    QString error;
    QVERIFY(!cl.parse(args, &error));
    QVERIFY2(error.contains(named), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
}

void TestCommandLine::unknownOption_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("named");
    QTest::newRow("long") << words("env list --bogus") << QStringLiteral("--bogus");
    QTest::newRow("long with value") << words("env list --bogus=1") << QStringLiteral("--bogus");
    QTest::newRow("short") << words("env -x list") << QStringLiteral("-x");
    QTest::newRow("bundled shorts") << words("-hv") << QStringLiteral("-hv");
    QTest::newRow("first word") << words("--frobnicate env list") << QStringLiteral("--frobnicate");
}

void TestCommandLine::unknownOption()
{
    QFETCH(QStringList, args);
    QFETCH(QString, named);
    CommandLine cl;
    QString error;
    QVERIFY(!cl.parse(args, &error));
    QVERIFY2(error.contains(named), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("unknown option")), qPrintable(error));
    QVERIFY2(!error.contains(QLatin1Char('\n')), qPrintable(error));
}

void TestCommandLine::flagWithValue()
{
    for (const char* arg : {"--json=yes", "--yes=no", "--help=1", "--json="}) {
        CommandLine cl;
        QString error;
        QVERIFY2(!cl.parse({QString::fromUtf8(arg), QStringLiteral("env")}, &error), arg);
        const QString name = QString::fromUtf8(arg).section(QLatin1Char('='), 0, 0);
        QVERIFY2(error.contains(name), qPrintable(error));
        QVERIFY2(error.contains(QLatin1String("takes no value")), qPrintable(error));
    }
}

void TestCommandLine::doubleDashEndsOptions()
{
    CommandLine cl;
    QString error;
    QVERIFY2(cl.parse(words("--json env show -- --weird-id -h --catalog"), &error), qPrintable(error));
    QCOMPARE(cl.positional(), words("env show --weird-id -h --catalog"));
    QCOMPARE(cl.options(), words("json"));
    QVERIFY(!cl.has(QStringLiteral("help")));
    QVERIFY(!cl.has(QStringLiteral("catalog")));

    // Only the first "--" is special.
    CommandLine twice;
    QVERIFY2(twice.parse(words("a -- -- b"), &error), qPrintable(error));
    QCOMPARE(twice.positional(), words("a -- b"));
}

void TestCommandLine::singleDashIsPositional()
{
    CommandLine cl;
    QString error;
    QVERIFY2(cl.parse(words("package import -"), &error), qPrintable(error));
    QCOMPARE(cl.positional(), words("package import -"));
}

void TestCommandLine::intValue_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<int>("min");
    QTest::addColumn<int>("max");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<int>("expected");
    QTest::newRow("in range") << QStringLiteral("32") << 1 << 1024 << true << 32;
    QTest::newRow("min") << QStringLiteral("1") << 1 << 1024 << true << 1;
    QTest::newRow("max") << QStringLiteral("1024") << 1 << 1024 << true << 1024;
    QTest::newRow("below min") << QStringLiteral("0") << 1 << 1024 << false << 0;
    QTest::newRow("above max") << QStringLiteral("1025") << 1 << 1024 << false << 0;
    QTest::newRow("negative") << QStringLiteral("-5") << 1 << 1024 << false << 0;
    QTest::newRow("word") << QStringLiteral("zero") << 1 << 1024 << false << 0;
    QTest::newRow("fraction") << QStringLiteral("2.5") << 1 << 1024 << false << 0;
    QTest::newRow("trailing junk") << QStringLiteral("12mb") << 1 << 1024 << false << 0;
    QTest::newRow("hex") << QStringLiteral("0x10") << 1 << 1024 << false << 0;
    QTest::newRow("overflow") << QStringLiteral("99999999999999999999") << 1 << (1 << 30) << false << 0;
    QTest::newRow("zero allowed") << QStringLiteral("0") << 0 << 10 << true << 0;
}

void TestCommandLine::intValue()
{
    QFETCH(QString, text);
    QFETCH(int, min);
    QFETCH(int, max);
    QFETCH(bool, ok);
    QFETCH(int, expected);
    CommandLine cl;
    QString error;
    QVERIFY2(cl.parse({QStringLiteral("demo"), QStringLiteral("--size-mb"), text}, &error), qPrintable(error));
    int value = -12345;
    QCOMPARE(cl.intValue(QStringLiteral("size-mb"), &value, &error, min, max), ok);
    if (ok) {
        QCOMPARE(value, expected);
    } else {
        QCOMPARE(value, -12345); // untouched on failure
        QVERIFY2(error.contains(QLatin1String("--size-mb")), qPrintable(error));
        QVERIFY2(error.contains(text), qPrintable(error));
        QVERIFY2(error.contains(QString::number(min)) && error.contains(QString::number(max)), qPrintable(error));
    }
}

void TestCommandLine::onlyAllows()
{
    CommandLine cl;
    QString error;
    QVERIFY2(cl.parse(words("env list --json --catalog /c --verbose --source x"), &error), qPrintable(error));
    // Global options are always allowed.
    QVERIFY(cl.onlyAllows({QStringLiteral("source")}, QStringLiteral("env list"), &error));
    QVERIFY(!cl.onlyAllows({QStringLiteral("target")}, QStringLiteral("env list"), &error));
    QVERIFY2(error.contains(QLatin1String("env list")), qPrintable(error));
    QVERIFY2(error.contains(QLatin1String("--source")), qPrintable(error));
    QVERIFY(!cl.onlyAllows({}, QStringLiteral("env list"), &error));

    CommandLine globalsOnly;
    QVERIFY2(globalsOnly.parse(words("--json --catalog /c --verbose --help --version x"), &error), qPrintable(error));
    QVERIFY(globalsOnly.onlyAllows({}, QStringLiteral("x"), &error));
    for (const QString& g : CommandLine::globalOptions())
        QVERIFY2(globalsOnly.has(g), qPrintable(g));
}

QTEST_GUILESS_MAIN(TestCommandLine)
#include "tst_commandline.moc"
