#include "audit/AuditLogDialog.h"

#include "AuditLogModel.h"
#include "FileDialog.h"
#include "GridView.h"
#include "catalog/AuditReadWorker.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDateTimeEdit>
#include <QDir>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSortFilterProxyModel>
#include <QVBoxLayout>

AuditLogDialog::AuditLogDialog(const QString& catalogLocation, bool team, const QStringList& environments,
                               QWidget* parent)
    : QDialog(parent)
    , m_location(catalogLocation)
    , m_team(team)
{
    setObjectName(QStringLiteral("auditLogDialog"));
    setWindowTitle(tr("Audit log"));
    resize(1180, 560);

    m_model = new AuditLogModel(this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_model);
    m_proxy->setFilterKeyColumn(-1);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    auto* view = new GridView(this);
    m_view = view;
    view->setObjectName(QStringLiteral("auditView"));
    view->setModel(m_proxy);
    view->setPlaceholderText(tr("Reading the audit…"));
    view->setTextElideMode(Qt::ElideRight);
    view->header()->setStretchLastSection(true);

    m_sinceEnabled = new QCheckBox(tr("Since"), this);
    m_sinceEnabled->setObjectName(QStringLiteral("auditSinceEnabled"));
    m_since = new QDateTimeEdit(QDateTime::currentDateTime().addDays(-7), this);
    m_since->setObjectName(QStringLiteral("auditSince"));
    m_since->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    m_since->setCalendarPopup(true);
    m_since->setEnabled(false);
    m_since->setMinimumWidth(m_since->fontMetrics().horizontalAdvance(QStringLiteral("0000-00-00 00:00")) + 48);
    m_environment = new QComboBox(this);
    m_environment->setObjectName(QStringLiteral("auditEnvironment"));
    m_environment->addItem(tr("All environments"), QString());
    for (const QString& id : environments)
        m_environment->addItem(id, id);
    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("auditSearch"));
    m_search->setPlaceholderText(tr("Words in any column: a login, an action, an operation id…"));
    m_search->setClearButtonEnabled(true);
    auto* refresh = new QPushButton(tr("Refresh"), this);
    refresh->setObjectName(QStringLiteral("auditRefresh"));
    m_export = new QPushButton(tr("Export CSV…"), this);
    m_export->setObjectName(QStringLiteral("auditExport"));
    m_export->setToolTip(tr("The entries shown, as dataalm audit --csv writes them"));
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("auditSummary"));
    m_summary->setWordWrap(true);

    auto* filters = new QHBoxLayout;
    filters->addWidget(m_sinceEnabled);
    filters->addWidget(m_since);
    filters->addSpacing(12);
    filters->addWidget(new QLabel(tr("Environment"), this));
    filters->addWidget(m_environment);
    filters->addSpacing(12);
    filters->addWidget(m_search, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_summary, 1);
    buttons->addWidget(refresh);
    buttons->addWidget(m_export);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(view, 1);
    layout->addLayout(buttons);

    connect(m_sinceEnabled, &QCheckBox::toggled, this, [this](bool on) {
        m_since->setEnabled(on);
        reload();
    });
    connect(m_since, &QDateTimeEdit::dateTimeChanged, this, [this] {
        if (m_sinceEnabled->isChecked())
            reload();
    });
    connect(m_environment, &QComboBox::currentIndexChanged, this, [this] { reload(); });
    connect(m_search, &QLineEdit::textChanged, this, [this](const QString& text) {
        m_proxy->setFilterFixedString(text);
        updateSummary();
    });
    connect(refresh, &QPushButton::clicked, this, [this] { reload(); });
    connect(m_export, &QPushButton::clicked, this, &AuditLogDialog::exportCsv);
    reload();
}

AuditLogDialog::~AuditLogDialog() = default;

void AuditLogDialog::reload()
{
    AuditLog::Filter filter;
    if (m_sinceEnabled->isChecked())
        filter.since = m_since->dateTime().toUTC();
    filter.environment = m_environment->currentData().toString();
    auto* worker = new AuditReadWorker(m_location, filter);
    connect(worker, &AuditReadWorker::finished, this,
            [this](const QList<AuditLog::Entry>& entries, const QString& error) {
                m_error = error;
                m_model->setEntries(entries);
                for (int c = 0; c < AuditLogModel::DetailColumn; ++c)
                    m_view->resizeColumnToContents(c);
                if (auto* grid = qobject_cast<GridView*>(m_view))
                    grid->setPlaceholderText(error.isEmpty() ? tr("No entry matches.")
                                                             : tr("The audit could not be read: %1").arg(error));
                updateSummary();
                Q_EMIT loaded(int(entries.size()), error);
            });
    m_reader.start(worker, QStringLiteral("audit log"), &AuditReadWorker::finished);
}

void AuditLogDialog::updateSummary()
{
    const int all = m_model->rowCount();
    const int shown = m_proxy->rowCount();
    QString text = shown == all ? tr("%n entries, newest first.", nullptr, all)
                                : tr("%1 of %n entries match, newest first.", nullptr, all).arg(shown);
    if (m_team)
        text += tr(" The catalog server wrote who, the role and the host; nobody can change or remove an entry.");
    m_summary->setText(m_error.isEmpty() ? text : tr("The audit could not be read: %1").arg(m_error));
    m_export->setEnabled(shown > 0);
}

void AuditLogDialog::exportCsv()
{
    const QString path = FileDialog::getSaveFileName(this, tr("Export the audit"),
                                                     QDir::home().filePath(QStringLiteral("dataalm-audit.csv")),
                                                     tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    // What is shown, in the order the CLI writes it (oldest first).
    QList<AuditLog::Entry> shown;
    for (int row = 0; row < m_proxy->rowCount(); ++row)
        shown.prepend(m_model->entries().at(m_proxy->mapToSource(m_proxy->index(row, 0)).row()));
    std::sort(shown.begin(), shown.end(), [](const AuditLog::Entry& a, const AuditLog::Entry& b) { return a.id < b.id; });
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(AuditLog::toCsv(shown)) < 0 || !file.commit()) {
        m_summary->setText(tr("%1 could not be written: %2").arg(path, file.errorString()));
        return;
    }
    m_summary->setText(tr("%n entries written to %1.", nullptr, int(shown.size())).arg(path));
}
