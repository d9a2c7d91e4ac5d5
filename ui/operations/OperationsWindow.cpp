#include "operations/OperationsWindow.h"

#include "GridView.h"
#include "OperationFilterModel.h"
#include "OperationHistoryModel.h"
#include "operation/OperationKinds.h"

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QVBoxLayout>

OperationsWindow::OperationsWindow(const QStringList& environments, QWidget* parent) : QDialog(parent)
{
    setObjectName(QStringLiteral("operationsWindow"));
    setWindowTitle(tr("Operations"));
    resize(980, 520);

    m_model = new OperationHistoryModel(this);
    m_filter = new OperationFilterModel(this);
    m_filter->setSourceModel(m_model);

    m_kind = new QComboBox(this);
    m_kind->setObjectName(QStringLiteral("operationsKindFilter"));
    m_kind->addItem(tr("Every kind"), QString());
    m_kind->addItem(tr("Refresh database"), OperationKinds::Refresh);
    m_kind->addItem(tr("Apply updates"), OperationKinds::Apply);

    using G = OperationFilterModel::StateGroup;
    m_state = new QComboBox(this);
    m_state->setObjectName(QStringLiteral("operationsStateFilter"));
    m_state->addItem(tr("Any state"), int(G::Any));
    m_state->addItem(tr("Running"), int(G::Running));
    m_state->addItem(tr("Needs attention (failed, interrupted)"), int(G::NeedsAttention));
    m_state->addItem(tr("Waiting for sign-off"), int(G::WaitingForSignOff));
    m_state->addItem(tr("Finished"), int(G::Finished));

    m_environment = new QComboBox(this);
    m_environment->setObjectName(QStringLiteral("operationsEnvironmentFilter"));
    m_environment->addItem(tr("Every environment"), QString());
    for (const QString& id : environments)
        m_environment->addItem(id, id);

    m_period = new QComboBox(this);
    m_period->setObjectName(QStringLiteral("operationsPeriodFilter"));
    m_period->addItem(tr("Any time"), 0);
    m_period->addItem(tr("Last 24 hours"), 1);
    m_period->addItem(tr("Last 7 days"), 7);
    m_period->addItem(tr("Last 30 days"), 30);

    m_search = new QLineEdit(this);
    m_search->setObjectName(QStringLiteral("operationsSearch"));
    m_search->setPlaceholderText(tr("Search: id, environment, user, package, error"));
    m_search->setClearButtonEnabled(true);

    for (QComboBox* c : {m_kind, m_state, m_environment, m_period})
        connect(c, &QComboBox::currentIndexChanged, this, &OperationsWindow::applyFilters);
    connect(m_search, &QLineEdit::textChanged, this, &OperationsWindow::applyFilters);

    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("operationsTable"));
    m_view->setModel(m_filter);
    // Until setOperations(): the rows are read off the GUI thread.
    m_view->setPlaceholderText(tr("Reading the operations…"));
    m_view->setSortingEnabled(true);
    m_view->header()->setSortIndicator(-1, Qt::AscendingOrder);
    m_view->header()->setStretchLastSection(true);
    m_view->setTextElideMode(Qt::ElideRight);
    connect(m_view, &QAbstractItemView::activated, this, [this](const QModelIndex& index) {
        Q_EMIT operationActivated(index.data(OperationHistoryModel::IdRole).toLongLong());
    });

    m_count = new QLabel(this);
    m_count->setObjectName(QStringLiteral("operationsCount"));

    auto* filters = new QHBoxLayout;
    filters->addWidget(m_kind);
    filters->addWidget(m_state);
    filters->addWidget(m_environment);
    filters->addWidget(m_period);
    filters->addWidget(m_search, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(filters);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_count);
    updateCount();
}

void OperationsWindow::setOperations(const QList<OperationRecord>& operations)
{
    m_view->setPlaceholderText(tr("No operation matches."));
    m_loaded = true;
    const QModelIndex current = m_view->currentIndex();
    const qint64 selected = current.isValid() ? current.data(OperationHistoryModel::IdRole).toLongLong() : 0;
    m_model->setOperations(operations);
    for (int row = 0; selected > 0 && row < m_filter->rowCount(); ++row) {
        if (m_filter->index(row, 0).data(OperationHistoryModel::IdRole).toLongLong() == selected) {
            m_view->setCurrentIndex(m_filter->index(row, 0));
            break;
        }
    }
    // Fitted once, to the first rows read: a re-read (every change of the catalog) keeps
    // the widths, and measuring thousands of rows again would stall the GUI thread.
    if (!m_fitted && m_model->rowCount() > 0) {
        m_fitted = true;
        for (int c = 0; c < OperationHistoryModel::ColumnCount - 1; ++c)
            m_view->resizeColumnToContents(c);
    }
    updateCount();
}

void OperationsWindow::applyFilters()
{
    m_filter->setKind(m_kind->currentData().toString());
    m_filter->setStateGroup(OperationFilterModel::StateGroup(m_state->currentData().toInt()));
    m_filter->setEnvironment(m_environment->currentData().toString());
    const int days = m_period->currentData().toInt();
    m_filter->setSince(days > 0 ? QDateTime::currentDateTimeUtc().addDays(-days) : QDateTime());
    m_filter->setText(m_search->text());
    updateCount();
}

void OperationsWindow::updateCount()
{
    if (!m_loaded) { // the table says it is reading them; no count yet
        m_count->clear();
        return;
    }
    m_count->setText(tr("%1 of %2 operations").arg(m_filter->rowCount()).arg(m_model->rowCount()));
}
