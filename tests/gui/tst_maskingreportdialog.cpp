// MaskingReportDialog: the masking report of an operation as the console shows it (the
// page its runbook log archive carries as masking.html): what each rule hid, the leak
// scan's verdict per column, the coverage; names escaped, never taken as HTML; Save As
// writes the very page shown.
#include "FileDialog.h"
#include "MoveDatabaseDriver.h"
#include "catalog/MaskingReport.h"
#include "operation/OperationRecord.h"
#include "progress/MaskingReportDialog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPushButton>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBrowser>

class TestMaskingReportDialog : public QObject
{
    Q_OBJECT

private slots:
    void showsAndSaves();
};

void TestMaskingReportDialog::showsAndSaves()
{
    OperationRecord op;
    op.id = 42;
    op.kind = QStringLiteral("refresh");
    op.source = QStringLiteral("contoso-prod");
    op.target = QStringLiteral("contoso-uat");
    const QByteArray policy = R"({"rules": [
        {"id": "customers", "title": "C", "reason": "security", "table": "CUSTTABLE", "action": "mask",
         "columns": {"EMAIL": "email"}},
        {"id": "odd", "title": "O", "reason": "security", "table": "<b>odd</b>", "action": "blank", "columns": ["X"]}]})";
    op.params.insert(QStringLiteral("policyBase64"), QString::fromLatin1(policy.toBase64()));
    op.params.insert(
        QStringLiteral("policyReport"),
        QJsonObject{{QStringLiteral("5"),
                     QJsonObject{{QStringLiteral("rules"),
                                  QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("customers")},
                                                         {QStringLiteral("tables"),
                                                          QJsonArray{QJsonObject{{QStringLiteral("table"),
                                                                                  QStringLiteral("CUSTTABLE")},
                                                                                 {QStringLiteral("updated"), 120}}}}}}}}}});
    op.params.insert(
        QStringLiteral("leakScan"),
        QJsonObject{{QStringLiteral("leaked"), true},
                    {QStringLiteral("tablesSearched"), 20},
                    {QStringLiteral("columnsSearched"), 95},
                    {QStringLiteral("seconds"), 0.4},
                    {QStringLiteral("columns"),
                     QJsonArray{QJsonObject{{QStringLiteral("table"), QStringLiteral("CUSTTABLE")},
                                            {QStringLiteral("column"), QStringLiteral("EMAIL")},
                                            {QStringLiteral("sampled"), 10},
                                            {QStringLiteral("foundIn"), QJsonArray{QStringLiteral("CUSTTABLE.NOTES")}}}}}});
    QVERIFY(MaskingReport::hasContent(MaskingReport::build(op)));
    MaskingReportDialog dialog(op);
    dialog.show();
    QVERIFY(QTest::qWaitForWindowExposed(&dialog));
    auto* browser = dialog.findChild<QTextBrowser*>(QStringLiteral("maskingReportBrowser"));
    QVERIFY(browser);
    MoveDatabaseDriver::saveScreenshot(&dialog, QStringLiteral("masking-report"));
    const QString text = browser->toPlainText();
    for (const QString& expected :
         {QStringLiteral("Operation 42: refresh of contoso-uat from contoso-prod"),
          QStringLiteral("Leak scan: 95 text columns of 20 tables searched in 0.4 s: values the policy hides were found"),
          QStringLiteral("mask as email"), QStringLiteral("120"), QStringLiteral("found in CUSTTABLE.NOTES"),
          QStringLiteral("<b>odd</b>")})
        QVERIFY2(text.contains(expected), qPrintable(QStringLiteral("'%1' not in:\n%2").arg(expected, text)));
    if (const QString dir = qEnvironmentVariable("DATAALM_SCREENSHOT_DIR"); !dir.isEmpty())
        dialog.grab().save(dir + QStringLiteral("/masking-report.png"));

    QTemporaryDir out;
    const QString file = out.filePath(QStringLiteral("report.html"));
    FileDialog::setNextSaveFileName(file);
    QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("saveMaskingReportButton")), Qt::LeftButton);
    QFile saved(file);
    QVERIFY(saved.open(QIODevice::ReadOnly));
    QCOMPARE(saved.readAll(), dialog.html());
    QVERIFY(dialog.html().contains("&lt;b&gt;odd&lt;/b&gt;"));

    // An operation that hid nothing has no report.
    OperationRecord plain;
    plain.id = 7;
    QVERIFY(!MaskingReport::hasContent(MaskingReport::build(plain)));
}

QTEST_MAIN(TestMaskingReportDialog)
#include "tst_maskingreportdialog.moc"
