#include "RestorePointPage.h"

#include "GridView.h"
#include "MoveDatabaseWizard.h"
#include "RestorePointListModel.h"
#include "operation/OperationRules.h"
#include "restorepoint/PitrWindowWorker.h"
#include "restorepoint/PgBackRest.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QHBoxLayout>
#include <QRadioButton>

#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

RestorePointPage::RestorePointPage(QWidget* parent) : QWizardPage(parent), m_model(new RestorePointListModel(this))
{
    setObjectName(QStringLiteral("restorePointPage"));
    setTitle(tr("Restore point"));
    setSubTitle(tr("Choose the instant to go back to. Only the transactional database is restored; the Financial "
                   "Reporting database is left as it is and must be reset afterwards."));

    auto* caption = new QLabel(tr("&Restore points:"), this);
    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("restorePointList"));
    m_view->setModel(m_model);
    m_view->setPlaceholderText(tr("No restore point to go back to."));
    m_view->setHeightInRows(3, 8);
    m_view->setTextElideMode(Qt::ElideRight);
    m_view->header()->setStretchLastSection(true);
    caption->setBuddy(m_view);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("restorePointSummary"));
    m_summary->setWordWrap(true);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &RestorePointPage::selectionChanged);

    // Or an instant, where pgBackRest serves the server.
    m_pointChoice = new QRadioButton(tr("A restore &point"), this);
    m_pointChoice->setObjectName(QStringLiteral("pointChoice"));
    m_pointChoice->setChecked(true);
    m_instantChoice = new QRadioButton(tr("An &instant (pgBackRest):"), this);
    m_instantChoice->setObjectName(QStringLiteral("instantChoice"));
    m_instantSource = new QComboBox(this);
    m_instantSource->setObjectName(QStringLiteral("instantSource"));
    m_instant = new QDateTimeEdit(this);
    m_instant->setObjectName(QStringLiteral("instantEdit"));
    m_instant->setTimeSpec(Qt::LocalTime);
    m_instant->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm:ss"));
    m_instant->setCalendarPopup(true);
    m_window = new QLabel(this);
    m_window->setObjectName(QStringLiteral("instantWindow"));
    m_window->setWordWrap(true);
    connect(m_pointChoice, &QRadioButton::toggled, this, &RestorePointPage::modeChanged);
    connect(m_instantSource, &QComboBox::currentIndexChanged, this, &RestorePointPage::readWindow);
    connect(m_instant, &QDateTimeEdit::dateTimeChanged, this, &RestorePointPage::instantChanged);
    auto* instantRow = new QHBoxLayout;
    instantRow->addWidget(m_instantChoice);
    instantRow->addWidget(m_instantSource);
    instantRow->addWidget(m_instant);
    instantRow->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_pointChoice);
    layout->addWidget(caption);
    layout->addWidget(m_view, 1);
    layout->addLayout(instantRow);
    layout->addWidget(m_window);
    layout->addWidget(m_summary);
}

MoveDatabaseWizard* RestorePointPage::wizard() const
{
    return qobject_cast<MoveDatabaseWizard*>(QWizardPage::wizard());
}

void RestorePointPage::initializePage()
{
    MoveDatabaseWizard* w = wizard();
    const QMap<QString, PitrSource> sources = w->instantSources();
    const bool instants = !sources.isEmpty();
    m_instantChoice->setVisible(instants);
    m_instantSource->setVisible(instants);
    m_instant->setVisible(instants);
    m_window->setVisible(instants);
    m_pointChoice->setVisible(instants);
    if (instants && m_instantSource->count() == 0) {
        for (auto it = sources.begin(); it != sources.end(); ++it)
            m_instantSource->addItem(it.key() == w->target().id ? tr("%1 itself").arg(it.key()) : it.key(), it.key());
    }
    if (w->restorePointChoices().isEmpty() && instants)
        m_instantChoice->setChecked(true);
    // A PostgreSQL target whose server pgBackRest does not archive: say how it could.
    const DatabaseRef* db = w->target().database(DatabaseRef::Transactional);
    if (!instants && db && db->isPostgres()) {
        m_window->setVisible(true);
        m_window->setText(tr("Restoring to any instant, not only to a restore point: %1")
                              .arg(PgBackRest::setupHelp(w->target().id)));
    }
    m_model->setPoints(w->restorePointChoices(), w->now());
    for (int c = 0; c < RestorePointListModel::StateColumn; ++c)
        m_view->resizeColumnToContents(c);
    int row = 0;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (m_model->pointAt(r)->id == w->restorePointId())
            row = r;
    }
    if (m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(row, 0));
    selectionChanged();
}

QString RestorePointPage::refusal() const
{
    MoveDatabaseWizard* w = wizard();
    if (m_instantChoice->isChecked()) {
        if (m_windowReader.isRunning())
            return tr("Reading the stanza's window…");
        if (!m_windowError.isEmpty())
            return m_windowError;
        const QDateTime t = m_instant->dateTime().toUTC();
        if (!m_earliest.isValid() || t < m_earliest || t > m_latest)
            return tr("Choose an instant in the window.");
        return {};
    }
    const RestorePoint* p = m_model->pointAt(m_view->currentIndex().row());
    if (!w || !p)
        return tr("Choose a restore point.");
    const Environment* from = nullptr;
    for (const RestorePoint& choice : w->restorePointChoices()) {
        if (choice.id == p->id)
            from = w->environmentOf(choice.environmentId);
    }
    return OperationRules::restoreRefusal(*p, from, w->target(), w->now());
}

void RestorePointPage::modeChanged()
{
    const bool instant = m_instantChoice->isChecked();
    m_view->setEnabled(!instant);
    m_instantSource->setEnabled(instant);
    m_instant->setEnabled(instant && m_earliest.isValid());
    if (instant && !m_earliest.isValid() && !m_windowReader.isRunning())
        readWindow();
    if (instant) {
        instantChanged();
    } else {
        if (MoveDatabaseWizard* w = wizard())
            w->setInstant(QString(), QDateTime());
        selectionChanged();
    }
}

void RestorePointPage::readWindow()
{
    MoveDatabaseWizard* w = wizard();
    if (!w || m_instantSource->currentIndex() < 0)
        return;
    const QString sourceId = m_instantSource->currentData().toString();
    m_earliest = m_latest = QDateTime();
    m_windowError.clear();
    m_window->setText(tr("Reading the window of %1's pgBackRest stanza…").arg(sourceId));
    m_instant->setEnabled(false);
    auto* worker = new PitrWindowWorker(w->instantSources().value(sourceId));
    connect(worker, &PitrWindowWorker::finished, this,
            [this, sourceId](bool ok, const QDateTime& earliest, const QDateTime& latest, const QString& error) {
                if (m_instantSource->currentData().toString() != sourceId)
                    return;
                if (!ok) {
                    m_windowError = error;
                    m_window->setText(error);
                } else {
                    m_earliest = earliest;
                    m_latest = latest;
                    m_instant->setDateTimeRange(earliest.toLocalTime(), latest.toLocalTime());
                    m_instant->setDateTime(latest.toLocalTime());
                    m_instant->setEnabled(m_instantChoice->isChecked());
                    m_window->setText(tr("%1 can go back to any instant from %2 to %3 (your time zone).")
                                          .arg(sourceId,
                                               QLocale().toString(earliest.toLocalTime(), QStringLiteral("d MMM yyyy HH:mm:ss")),
                                               QLocale().toString(latest.toLocalTime(), QStringLiteral("d MMM yyyy HH:mm:ss"))));
                }
                instantChanged();
            });
    m_windowReader.start(worker, QStringLiteral("pitr-window"), &PitrWindowWorker::finished);
    instantChanged();
}

void RestorePointPage::instantChanged()
{
    MoveDatabaseWizard* w = wizard();
    if (!w || !m_instantChoice->isChecked())
        return;
    const QString why = refusal();
    const QString sourceId = m_instantSource->currentData().toString();
    w->setInstant(sourceId, why.isEmpty() ? m_instant->dateTime().toUTC() : QDateTime());
    const Environment& t = w->target();
    if (!why.isEmpty())
        m_summary->setText(why);
    else if (sourceId == t.id)
        m_summary->setText(tr("%1's transactional database goes back to %2, as it was then, restored by pgBackRest. "
                              "No data policy applies: it is %1's own data.")
                               .arg(t.name, QLocale().toString(m_instant->dateTime(), QStringLiteral("d MMM yyyy HH:mm:ss"))));
    else
        m_summary->setText(tr("%1's transactional database is replaced by %2's as it was at %3, restored by "
                              "pgBackRest, with the project's data policy applied as for a refresh.")
                               .arg(t.name, sourceId,
                                    QLocale().toString(m_instant->dateTime(), QStringLiteral("d MMM yyyy HH:mm:ss"))));
    Q_EMIT completeChanged();
}

void RestorePointPage::selectionChanged()
{
    MoveDatabaseWizard* w = wizard();
    if (!w || m_instantChoice->isChecked())
        return;
    const RestorePoint* p = m_model->pointAt(m_view->currentIndex().row());
    const QString why = refusal();
    if (p && why.isEmpty())
        w->setRestorePointId(p->id);
    const Environment& t = w->target();
    const QString when = p ? QLocale().toString(p->created.toLocalTime(), QStringLiteral("d MMM yyyy HH:mm:ss")) : QString();
    if (!p)
        m_summary->setText(tr("Choose a restore point."));
    else if (!why.isEmpty())
        m_summary->setText(tr("This restore point cannot be used: %1").arg(why));
    else if (p->environmentId == t.id)
        m_summary->setText(tr("%1's transactional database goes back to %2, as it was then: what changed since is "
                              "replaced (and kept as a restore point until the restore is signed off and expires). "
                              "No data policy applies: it is %1's own data.")
                               .arg(t.name, when));
    else
        m_summary->setText(tr("%1's transactional database is replaced by %2's as it was at %3, with the project's "
                              "data policy applied as for a refresh.")
                               .arg(t.name, p->environmentId, when));
    Q_EMIT completeChanged();
}

bool RestorePointPage::isComplete() const
{
    return refusal().isEmpty();
}

int RestorePointPage::nextId() const
{
    return MoveDatabaseWizard::Page_Checks;
}
