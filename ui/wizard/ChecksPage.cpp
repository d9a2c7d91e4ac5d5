#include "ChecksPage.h"

#include "GridView.h"
#include "MoveDatabaseWizard.h"
#include "PreflightCheckModel.h"
#include "StateIconProxyModel.h"
#include "WrappingDelegate.h"

#include <QAction>
#include <QClipboard>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

ChecksPage::ChecksPage(QWidget* parent) : QWizardPage(parent)
{
    setObjectName(QStringLiteral("checksPage"));
    setTitle(tr("Checks"));
    setSubTitle(tr("The refresh is checked before anything is touched: environments, versions, free space, "
                   "recurring jobs and the data policy."));

    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("checkList"));
    m_view->setUniformRowHeights(false);
    m_view->setWordWrap(true);
    m_view->setTextElideMode(Qt::ElideNone);
    m_view->setAlternatingRowColors(false);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setItemDelegate(new WrappingDelegate(m_view));

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("checksStatus"));
    m_status->setWordWrap(true);
    m_status->setTextFormat(Qt::RichText);
    m_advice = new QLabel(this);
    m_advice->setObjectName(QStringLiteral("checksAdvice"));
    m_advice->setWordWrap(true);
    m_advice->setTextFormat(Qt::PlainText);
    m_advice->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_advice->setVisible(false);
    m_rerun = new QPushButton(tr("Run the checks &again"), this);
    m_rerun->setObjectName(QStringLiteral("rerunChecksButton"));
    m_rerun->setToolTip(tr("Run every check again, for example after fixing what blocked the refresh"));
    connect(m_rerun, &QPushButton::clicked, this, [this] { wizard()->startPreflight(); });

    // Ctrl+C or the context menu copy the checks' words: the selected one, else every one.
    auto* copy = new QAction(tr("&Copy"), m_view);
    copy->setObjectName(QStringLiteral("copyChecksAction"));
    copy->setShortcut(QKeySequence::Copy);
    copy->setShortcutContext(Qt::WidgetShortcut);
    connect(copy, &QAction::triggered, this, [this] { QGuiApplication::clipboard()->setText(checksText()); });
    m_view->addAction(copy);
    m_view->setContextMenuPolicy(Qt::ActionsContextMenu);

    auto* statusRow = new QHBoxLayout;
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_rerun, 0, Qt::AlignTop);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_view, 1);
    layout->addLayout(statusRow);
    layout->addWidget(m_advice);
}

QString ChecksPage::checksText() const
{
    QAbstractItemModel* model = m_view->model();
    if (!model)
        return {};
    const auto line = [model](int row) -> QString {
        return model->index(row, PreflightCheckModel::CheckColumn).data().toString() + QStringLiteral(": ") +
               model->index(row, PreflightCheckModel::ResultColumn).data().toString();
    };
    const QModelIndex current = m_view->currentIndex();
    if (current.isValid() && m_view->selectionModel()->isSelected(current))
        return line(current.row());
    QStringList lines;
    for (int row = 0; row < model->rowCount(); ++row)
        lines << line(row);
    return lines.join(QLatin1Char('\n'));
}

MoveDatabaseWizard* ChecksPage::wizard() const
{
    return qobject_cast<MoveDatabaseWizard*>(QWizardPage::wizard());
}

void ChecksPage::initializePage()
{
    MoveDatabaseWizard* w = wizard();
    if (!m_view->model()) {
        auto* proxy = new StateIconProxyModel(PreflightCheckModel::CheckColumn, PreflightCheckModel::StatusRole, this);
        proxy->setSourceModel(w->checkModel());
        m_view->setModel(proxy);
        QHeaderView* header = m_view->header();
        header->setStretchLastSection(true);
        header->setSectionResizeMode(PreflightCheckModel::CheckColumn, QHeaderView::ResizeToContents);
        // Wrapped sentences need their rows measured again when the width changes.
        connect(header, &QHeaderView::sectionResized, m_view, [this] { m_view->doItemsLayout(); });
        connect(w, &MoveDatabaseWizard::preflightChanged, this, &ChecksPage::updateStatus);
        connect(w->checkModel(), &QAbstractItemModel::dataChanged, m_view, [this] { m_view->doItemsLayout(); });
    }
    w->startPreflight();
    updateStatus();
}

void ChecksPage::cleanupPage()
{
    wizard()->cancelPreflight();
}

void ChecksPage::updateStatus()
{
    MoveDatabaseWizard* w = wizard();
    const PreflightCheckModel* model = w->checkModel();
    const int failures = model->count(CheckResult::Fail);
    const int warnings = model->count(CheckResult::Warn);
    const QString source = w->source() ? w->source()->name : w->sourceId();
    const QString noun = w->isRestore() ? tr("restore") : tr("refresh");
    m_rerun->setEnabled(w->checksDone());
    QStringList advice;
    if (!w->preflightError().isEmpty()) {
        m_status->setText(tr("<b>The checks could not run.</b>"));
        advice << w->preflightError();
    } else if (!w->checksDone()) {
        m_status->setText(
            tr("Checking the %1 of %2 from %3…").arg(noun, w->target().name.toHtmlEscaped(), source.toHtmlEscaped()));
    } else if (failures > 0) {
        m_status->setText(
            failures == 1 ? tr("<b>The %1 is blocked by 1 check.</b> Nothing has been touched.").arg(noun)
                          : tr("<b>The %1 is blocked by %2 checks.</b> Nothing has been touched.").arg(noun).arg(failures));
        advice << tr("What to do:");
        for (const CheckResult& c : model->results(CheckResult::Fail))
            advice << QStringLiteral("• %1: %2").arg(PreflightCheckModel::checkTitle(c.id), c.message);
        advice << (w->isRestore() ? tr("Then run the checks again, or go back and choose another restore point.")
                                  : tr("Then run the checks again, or go back and choose another source."));
    } else if (warnings > 0) {
        m_status->setText(warnings == 1
                              ? tr("<b>The %1 can go on</b>, with 1 warning to read first.").arg(noun)
                              : tr("<b>The %1 can go on</b>, with %2 warnings to read first.").arg(noun).arg(warnings));
    } else {
        m_status->setText(tr("<b>Every check passed.</b> The %1 can go on.").arg(noun));
    }
    m_advice->setText(advice.join(QLatin1Char('\n')));
    m_advice->setVisible(!advice.isEmpty());
    Q_EMIT completeChanged();
}

bool ChecksPage::isComplete() const
{
    MoveDatabaseWizard* w = wizard();
    return w && w->checksDone() && !w->isBlocked();
}

int ChecksPage::nextId() const
{
    // A restore into the target's own restore point applies no policy: nothing to review.
    const MoveDatabaseWizard* w = wizard();
    return w && !w->appliesPolicy() ? MoveDatabaseWizard::Page_Acknowledge : MoveDatabaseWizard::Page_Review;
}
