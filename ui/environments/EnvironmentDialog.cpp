#include "EnvironmentDialog.h"

#include "registration/ConnectionTestWorker.h"
#include "DatabaseEditor.h"
#include "catalog/Catalog.h"
#include "registration/EnvironmentRegistration.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QThread>
#include <QVBoxLayout>

#include <spdlog/spdlog.h>

namespace {

QLabel* problemLabel(QWidget* parent)
{
    auto* label = new QLabel(parent);
    label->setWordWrap(true);
    // A message can be copied (into a ticket, a search).
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, QColor(0xb0, 0x1b, 0x1b));
    label->setPalette(palette);
    label->hide();
    return label;
}

} // namespace

EnvironmentDialog::EnvironmentDialog(Catalog* catalog, const QString& projectId,
                                     const std::optional<Environment>& existing, QWidget* parent)
    : QDialog(parent), m_catalog(catalog), m_existing(existing)
{
    setObjectName(QStringLiteral("environmentDialog"));
    setWindowTitle(existing ? tr("Edit Environment — %1").arg(existing->name) : tr("Add Environment"));

    auto* intro = new QLabel(existing ? tr("Change the environment's details. Its databases are not changed: only "
                                           "where the console finds them.")
                                      : tr("Register an environment whose databases already exist. The console "
                                           "opens them read-only to check them; it never creates or changes them."),
                             this);
    intro->setWordWrap(true);

    m_id = new QLineEdit(this);
    m_id->setObjectName(QStringLiteral("environmentIdEdit"));
    m_id->setPlaceholderText(tr("e.g. contoso-test (lower-case letters, digits, '-')"));
    m_id->setReadOnly(existing.has_value());
    m_name = new QLineEdit(this);
    m_name->setObjectName(QStringLiteral("environmentNameEdit"));
    m_type = new QComboBox(this);
    m_type->setObjectName(QStringLiteral("environmentTypeCombo"));
    for (EnvironmentType t : {EnvironmentType::Sandbox, EnvironmentType::Production, EnvironmentType::DevTest})
        m_type->addItem(environmentTypeTitle(t), environmentTypeId(t));
    m_project = new QComboBox(this);
    m_project->setObjectName(QStringLiteral("environmentProjectCombo"));
    m_project->setEditable(true);
    for (const Project& p : catalog->projects())
        m_project->addItem(p.id);
    m_project->setCurrentText(existing ? existing->projectId : projectId);
    m_tenant = new QLineEdit(this);
    m_tenant->setObjectName(QStringLiteral("environmentTenantEdit"));
    m_tenant->setPlaceholderText(tr("e.g. contoso.onmicrosoft.com"));
    m_admin = new QLineEdit(this);
    m_admin->setObjectName(QStringLiteral("environmentAdminEdit"));
    m_admin->setPlaceholderText(tr("e.g. admin@contoso.onmicrosoft.com"));
    m_application = new QLineEdit(this);
    m_application->setObjectName(QStringLiteral("applicationVersionEdit"));
    m_application->setPlaceholderText(tr("e.g. 10.0.40"));
    m_platform = new QLineEdit(this);
    m_platform->setObjectName(QStringLiteral("platformVersionEdit"));
    m_platform->setPlaceholderText(tr("e.g. 64"));
    m_financialReporting = new QLineEdit(this);
    m_financialReporting->setObjectName(QStringLiteral("financialReportingVersionEdit"));
    m_financialReporting->setPlaceholderText(tr("e.g. 7.0.10040.3; empty: none"));
    m_commerce = new QLineEdit(this);
    m_commerce->setObjectName(QStringLiteral("commerceVersionEdit"));
    m_commerce->setPlaceholderText(tr("e.g. 9.50; empty: no Commerce"));

    auto* form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::AllNonFixedFieldsGrow);
    addRow(form, tr("&Id:"), m_id, QStringLiteral("id"));
    addRow(form, tr("&Name:"), m_name, QStringLiteral("name"));
    addRow(form, tr("&Type:"), m_type, QStringLiteral("type"));
    addRow(form, tr("P&roject:"), m_project, QStringLiteral("project"));
    addRow(form, tr("T&enant:"), m_tenant, QStringLiteral("tenant"));
    addRow(form, tr("Environment &administrator:"), m_admin, QStringLiteral("admin"));
    addRow(form, tr("A&pplication release:"), m_application, QStringLiteral("application"));
    addRow(form, tr("Pla&tform update:"), m_platform, QStringLiteral("platform"));
    addRow(form, tr("&Financial reporting:"), m_financialReporting, QStringLiteral("financialReporting"));
    addRow(form, tr("&Commerce:"), m_commerce, QStringLiteral("commerce"));

    m_transactional = new DatabaseEditor(DatabaseRef::Transactional, false, this);
    m_financialDb = new DatabaseEditor(DatabaseRef::FinancialReporting, true, this);

    m_generalProblem = problemLabel(this);
    m_generalProblem->setObjectName(QStringLiteral("environmentProblem"));
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("environmentStatus"));
    m_status->setWordWrap(true);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Save | QDialogButtonBox::Cancel, this);
    m_buttons->button(QDialogButtonBox::Save)->setObjectName(QStringLiteral("saveEnvironmentButton"));
    m_buttons->button(QDialogButtonBox::Save)->setText(existing ? tr("&Save") : tr("&Add"));
    connect(m_buttons, &QDialogButtonBox::accepted, this, &EnvironmentDialog::save);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    // The rows keep their height when messages come and go; spare height goes below them.
    auto* formColumn = new QVBoxLayout;
    formColumn->addLayout(form);
    formColumn->addStretch(1);
    auto* columns = new QHBoxLayout;
    columns->addLayout(formColumn, 1);
    auto* databases = new QVBoxLayout;
    databases->addWidget(m_transactional);
    databases->addWidget(m_financialDb);
    databases->addStretch(1);
    columns->addSpacing(12);
    columns->addLayout(databases, 1);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addLayout(columns, 1);
    layout->addWidget(m_generalProblem);
    layout->addWidget(m_status);
    layout->addWidget(m_buttons);

    if (existing) {
        m_id->setText(existing->id);
        m_name->setText(existing->name);
        m_type->setCurrentIndex(m_type->findData(environmentTypeId(existing->type)));
        m_tenant->setText(existing->tenant);
        m_admin->setText(existing->admin);
        m_application->setText(existing->versions.application);
        m_platform->setText(existing->versions.platform > 0 ? QString::number(existing->versions.platform) : QString());
        m_financialReporting->setText(existing->versions.financialReporting);
        m_commerce->setText(existing->versions.commerce);
        for (DatabaseEditor* editor : {m_transactional, m_financialDb}) {
            const DatabaseRef* db = existing->database(editor->role());
            editor->setDatabase(db ? std::optional<DatabaseRef>(*db) : std::nullopt);
        }
    } else {
        m_financialDb->setDatabase(std::nullopt);
    }
    resize(980, 460);
}

EnvironmentDialog::~EnvironmentDialog()
{
    // m_worker waits for a connection test still running.
}

QLabel* EnvironmentDialog::addRow(QFormLayout* form, const QString& label, QWidget* field, const QString& key)
{
    auto* cell = new QWidget(this);
    // As tall as the field (and its message, when there is one), never taller.
    cell->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    auto* v = new QVBoxLayout(cell);
    v->setContentsMargins(0, 0, 0, 0);
    v->setSpacing(2);
    v->addWidget(field);
    QLabel* problem = problemLabel(cell);
    problem->setObjectName(key + QStringLiteral("Problem"));
    v->addWidget(problem);
    form->addRow(label, cell);
    if (auto* buddy = qobject_cast<QLabel*>(form->labelForField(cell)))
        buddy->setBuddy(field);
    m_problemLabels.insert(key, problem);
    // A problem goes as soon as its field is edited: it no longer describes what is there.
    const auto clear = [problem] {
        if (problem->isVisible()) {
            problem->clear();
            problem->hide();
        }
    };
    if (auto* edit = qobject_cast<QLineEdit*>(field))
        connect(edit, &QLineEdit::textEdited, problem, clear);
    else if (auto* combo = qobject_cast<QComboBox*>(field))
        connect(combo, &QComboBox::currentIndexChanged, problem, clear);
    return problem;
}

DatabaseEditor* EnvironmentDialog::databaseEditor(const QString& role) const
{
    return role == DatabaseRef::Transactional ? m_transactional : m_financialDb;
}

EnvironmentDraft EnvironmentDialog::draft() const
{
    EnvironmentDraft d;
    d.id = m_id->text().trimmed();
    const auto text = [](const QLineEdit* e) { return e->text().trimmed(); };
    d.project = m_project->currentText().trimmed();
    d.name = text(m_name).isEmpty() ? d.id : text(m_name);
    d.type = m_type->currentData().toString();
    // An empty field of a new environment is not given ("required"); of an edit, it is wrong.
    const auto given = [this](const QString& value) {
        return value.isEmpty() && !isEdit() ? std::nullopt : std::optional<QString>(value);
    };
    d.tenant = given(text(m_tenant));
    d.admin = given(text(m_admin));
    d.application = given(text(m_application));
    d.platform = given(text(m_platform));
    // Empty clears in an edit; in an add it is simply not given.
    if (!text(m_financialReporting).isEmpty())
        d.financialReporting = text(m_financialReporting);
    else if (isEdit())
        d.financialReporting = EnvironmentDraft::None;
    if (!text(m_commerce).isEmpty())
        d.commerce = text(m_commerce);
    else if (isEdit())
        d.commerce = EnvironmentDraft::None;
    d.databases.insert(DatabaseRef::Transactional, m_transactional->url());
    if (m_financialDb->isGiven())
        d.databases.insert(DatabaseRef::FinancialReporting, m_financialDb->url());
    else if (isEdit())
        d.databases.insert(DatabaseRef::FinancialReporting, EnvironmentDraft::None);
    return d;
}

void EnvironmentDialog::clearProblems()
{
    for (QLabel* label : std::as_const(m_problemLabels)) {
        if (label && label->isVisible()) {
            label->clear();
            label->hide();
            // The form caches its rows' heights for the width: make it measure this one again.
            label->parentWidget()->layout()->invalidate();
            label->parentWidget()->updateGeometry();
        }
    }
    m_generalProblem->clear();
    m_generalProblem->hide();
    m_transactional->setMessage({}, false);
    m_financialDb->setMessage({}, false);
}

void EnvironmentDialog::showProblem(const QString& field, const QString& message)
{
    // The registration speaks the CLI's language ("--platform takes ..."): here the field is beside it.
    QString text = message;
    if (text.startsWith(QLatin1String("--"))) {
        text = text.mid(text.indexOf(QLatin1Char(' ')) + 1);
        if (text == QLatin1String("is required"))
            text = tr("required");
    }
    const QString sentence = text.isEmpty() ? text : text.at(0).toUpper() + text.mid(1);
    if (field == QLatin1String("db:") + DatabaseRef::Transactional) {
        m_transactional->setMessage(sentence, true);
        return;
    }
    if (field == QLatin1String("db:") + DatabaseRef::FinancialReporting) {
        m_financialDb->setMessage(sentence, true);
        return;
    }
    QLabel* label = m_problemLabels.value(field);
    if (!label)
        label = m_generalProblem;
    const QString shown = label->text();
    label->setText(shown.isEmpty() ? sentence : shown + QLatin1Char('\n') + sentence);
    label->show();
}

QString EnvironmentDialog::problems() const
{
    QStringList lines;
    for (QLabel* label : m_problemLabels) {
        if (label && !label->text().isEmpty())
            lines << label->text();
    }
    if (!m_generalProblem->text().isEmpty())
        lines << m_generalProblem->text();
    return lines.join(QLatin1Char('\n'));
}

void EnvironmentDialog::setBusy(bool busy, const QString& status)
{
    m_buttons->button(QDialogButtonBox::Save)->setEnabled(!busy);
    m_status->setText(status);
}

void EnvironmentDialog::save()
{
    if (m_worker.isRunning())
        return;
    clearProblems();
    // Fields that cannot make a URL (a password typed in) are refused beside them, before anything else.
    bool fieldsWrong = false;
    for (DatabaseEditor* editor : {m_transactional, m_financialDb}) {
        if (const QString problem = editor->fieldProblem(); !problem.isEmpty()) {
            editor->setMessage(problem, true);
            fieldsWrong = true;
        }
    }
    if (fieldsWrong)
        return;
    const EnvironmentDraft d = draft();
    // Step 1: every field, nothing opened.
    EnvironmentRegistration registration(*m_catalog);
    const auto outcome = isEdit() ? registration.prepareEdit(d) : registration.prepareAdd(d);
    if (!outcome.ok()) {
        for (const auto& p : outcome.problems)
            showProblem(p.field, p.message);
        if (outcome.problems.isEmpty())
            showProblem({}, outcome.message);
        setBusy(false, {});
        return;
    }
    m_pending = d;
    if (outcome.untested.isEmpty()) {
        write();
        return;
    }
    // Step 2: the new databases, opened on a worker thread.
    m_failedConnections.clear();
    // The worker also identifies every database to compare: no alias of another
    // environment's database gets in, whatever its URL says.
    m_identities.clear();
    auto* worker = new ConnectionTestWorker(outcome.untested, registration.databasesToCompare(outcome));
    connect(worker, &ConnectionTestWorker::tested, this, [this](const QString& role, bool ok, const QString& message) {
        databaseEditor(role)->setMessage(message, !ok);
        if (!ok)
            m_failedConnections << message;
    });
    connect(worker, &ConnectionTestWorker::finished, this, &EnvironmentDialog::connectionsTested);
    setBusy(true, tr("Opening the databases read-only to check them…"));
    m_worker.start(worker, QStringLiteral("connection-test"), &ConnectionTestWorker::finished);
}

void EnvironmentDialog::connectionsTested(bool allOk, const QVariantMap& identities)
{
    m_worker.release();
    for (auto it = identities.cbegin(); it != identities.cend(); ++it)
        m_identities.insert(it.key(), it.value().toString());
    if (!allOk) {
        setBusy(false, {});
        showProblem({}, tr("Nothing was saved: a database cannot be opened."));
        return;
    }
    write();
}

void EnvironmentDialog::write()
{
    // Step 3: write what was checked (the registration checks the fields again).
    EnvironmentRegistration registration(*m_catalog);
    const auto outcome =
        isEdit() ? registration.edit(m_pending, EnvironmentRegistration::Connections::AlreadyTested, m_identities)
                 : registration.add(m_pending, EnvironmentRegistration::Connections::AlreadyTested, m_identities);
    if (!outcome.ok()) {
        setBusy(false, {});
        for (const auto& p : outcome.problems)
            showProblem(p.field, p.message);
        if (outcome.problems.isEmpty())
            showProblem({}, outcome.message);
        return;
    }
    spdlog::info("console: environment {} {}", outcome.environment.id.toStdString(), isEdit() ? "changed" : "added");
    setBusy(false, {});
    Q_EMIT saved(outcome.environment.id);
    accept();
}
