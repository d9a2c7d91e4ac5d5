#include "progress/MaskingReportDialog.h"

#include "FileDialog.h"
#include "MessageBox.h"
#include "catalog/MaskingReport.h"
#include "operation/OperationRecord.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QPushButton>
#include <QSaveFile>
#include <QStandardPaths>
#include <QTextBrowser>
#include <QVBoxLayout>

MaskingReportDialog::MaskingReportDialog(const OperationRecord& operation, QWidget* parent)
    : QDialog(parent), m_html(MaskingReport::html(MaskingReport::build(operation))), m_operationId(operation.id)
{
    setObjectName(QStringLiteral("maskingReportDialog"));
    setWindowTitle(tr("Masking Report: Operation %1").arg(operation.id));
    auto* layout = new QVBoxLayout(this);
    m_browser = new QTextBrowser(this);
    m_browser->setObjectName(QStringLiteral("maskingReportBrowser"));
    m_browser->setOpenLinks(false);
    m_browser->setHtml(QString::fromUtf8(m_html));
    layout->addWidget(m_browser);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton* save = buttons->addButton(tr("Save As HTML…"), QDialogButtonBox::ActionRole);
    save->setObjectName(QStringLiteral("saveMaskingReportButton"));
    connect(save, &QPushButton::clicked, this, &MaskingReportDialog::save);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    resize(900, 600);
}

void MaskingReportDialog::save()
{
    QString dir = QStandardPaths::writableLocation(QStandardPaths::DownloadLocation);
    if (dir.isEmpty())
        dir = QDir::homePath();
    const QString file = FileDialog::getSaveFileName(
        this, tr("Save Masking Report"),
        QDir(dir).filePath(QStringLiteral("masking-report-operation-%1.html").arg(m_operationId)),
        tr("HTML pages (*.html)"));
    if (file.isEmpty())
        return;
    QSaveFile out(file);
    if (!out.open(QIODevice::WriteOnly) || out.write(m_html) != m_html.size() || !out.commit())
        MessageBox::notify(this, QMessageBox::Warning, tr("Save Masking Report"),
                           tr("The masking report could not be saved."), out.errorString(),
                           QStringLiteral("saveMaskingReportErrorBox"));
}
