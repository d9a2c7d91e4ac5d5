#pragma once

#include <QByteArray>
#include <QDialog>

struct OperationRecord;
class QTextBrowser;

// The masking report of one operation (MaskingReport: the HTML its runbook log archive
// carries as masking.html), shown in the console, with Save As HTML.
//
// Promises: shows what the operation recorded and nothing else (no database is read);
// widgets are found by objectName: maskingReportBrowser, saveMaskingReportButton.
class MaskingReportDialog : public QDialog
{
    Q_OBJECT

public:
    MaskingReportDialog(const OperationRecord& operation, QWidget* parent = nullptr);

    QByteArray html() const { return m_html; }

private:
    void save();

    QByteArray m_html;
    qint64 m_operationId = 0;
    QTextBrowser* m_browser = nullptr;
};
