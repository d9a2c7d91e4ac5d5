// OperationListWriter writes `operations --json` without a QJsonObject per operation;
// its promise is the very text QJsonDocument gives for OperationRecord::toJson():
// - sameTextAsQJsonDocument: records with and without steps, a source and an error or
//   none, steps with and without progress and bytes, times with milliseconds or none,
//   strings with quotes, backslashes, control characters and non-ASCII letters, at
//   indentation levels 0 and 1: byte for byte.
#include "OperationListWriter.h"

#include "operation/OperationRecord.h"

#include <QJsonDocument>
#include <QtTest>

class TestOperationListWriter : public QObject
{
    Q_OBJECT

private slots:
    void sameTextAsQJsonDocument_data();
    void sameTextAsQJsonDocument();
};

namespace {

StepRecord step(int ordinal, StepState state, qint64 done, qint64 total, qint64 bytes, const QString& detail)
{
    StepRecord s;
    s.ordinal = ordinal;
    s.name = QStringLiteral("Step \"%1\"").arg(ordinal);
    s.state = state;
    if (state != StepState::NotStarted) {
        s.started = QDateTime(QDate(2026, 12, 2), QTime(5, 42, 30, 7), Qt::UTC);
        s.finished = s.started.addMSecs(1234567);
    }
    s.done = done;
    s.total = total;
    s.bytes = bytes;
    s.detail = detail;
    return s;
}

} // namespace

void TestOperationListWriter::sameTextAsQJsonDocument_data()
{
    QTest::addColumn<int>("level");
    QTest::addColumn<bool>("withSteps");
    QTest::addColumn<QString>("text");
    for (const int level : {0, 1}) {
        QTest::addRow("plain, level %d", level) << level << true << QStringLiteral("2.1 MB in 0.3 s");
        QTest::addRow("no steps, level %d", level) << level << false << QString();
        QTest::addRow("odd characters, level %d", level)
            << level << true
            << QStringLiteral("quote \" backslash \\ tab \t newline \n bell \x07 nul-free \x1f é ü 漢 / end");
    }
}

void TestOperationListWriter::sameTextAsQJsonDocument()
{
    QFETCH(int, level);
    QFETCH(bool, withSteps);
    QFETCH(QString, text);

    QList<OperationRecord> records;
    OperationRecord a;
    a.id = 1234567890123;
    a.kind = QStringLiteral("refresh");
    a.projectId = QStringLiteral("contoso");
    a.source = QStringLiteral("contoso-prod");
    a.target = QStringLiteral("contoso-uat");
    a.state = OperationState::RollbackCompleted;
    a.who = text.isEmpty() ? QStringLiteral("alice") : text;
    a.started = QDateTime(QDate(2025, 1, 31), QTime(23, 59, 59, 999), Qt::UTC);
    a.finished = QDateTime(QDate(2025, 2, 1), QTime(0, 0, 1, 0), Qt::OffsetFromUTC, 3600);
    a.error = text;
    if (withSteps) {
        a.steps << step(1, StepState::Completed, 0, 0, 0, text) << step(2, StepState::Completed, 5, 10, 0, text)
                << step(3, StepState::Failed, 1024, 4096, 1024, QString())
                << step(4, StepState::NotStarted, 0, 0, 0, QString());
    }
    records << a;
    OperationRecord b; // nothing set: nulls and empty strings
    b.id = 2;
    b.kind = QStringLiteral("apply");
    records << b;

    for (const OperationRecord& r : records) {
        QByteArray expected = QJsonDocument(r.toJson()).toJson(QJsonDocument::Indented);
        expected.chop(1);
        const QByteArray newline = QByteArray("\n").append(QByteArray(level * 4, ' '));
        expected.replace("\n", newline);
        QByteArray got;
        OperationListWriter::append(got, r, level);
        QCOMPARE(got, expected);
    }
}

QTEST_GUILESS_MAIN(TestOperationListWriter)
#include "tst_operationlistwriter.moc"
