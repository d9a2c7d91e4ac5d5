#include "DatabaseEditor.h"

#include "registration/ConnectionTestWorker.h"
#include "FileDialog.h"
#include "environment/DatabaseUrl.h"

#include <QComboBox>
#include <QFileInfo>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QThread>
#include <QUrl>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace {

enum Engine
{
    SqliteEngine,
    PostgresEngine,
    NoEngine
};

QString prefixFor(const QString& role)
{
    return role == DatabaseRef::Transactional ? QStringLiteral("transactional") : QStringLiteral("financialReporting");
}

} // namespace

DatabaseEditor::DatabaseEditor(const QString& role, bool optional, QWidget* parent)
    : QGroupBox(parent), m_role(role), m_optional(optional)
{
    const QString prefix = prefixFor(role);
    setObjectName(prefix + QStringLiteral("DatabaseEditor"));
    setTitle(role == DatabaseRef::Transactional ? tr("Transactional database")
                                                : tr("Financial reporting database (optional)"));

    m_engine = new QComboBox(this);
    m_engine->setObjectName(prefix + QStringLiteral("Engine"));
    m_engine->addItem(tr("SQLite file"), SqliteEngine);
    m_engine->addItem(tr("PostgreSQL"), PostgresEngine);
    if (optional)
        m_engine->addItem(tr("None"), NoEngine);

    // SQLite: a path and Browse.
    auto* sqlitePane = new QWidget;
    m_path = new QLineEdit(sqlitePane);
    m_path->setObjectName(prefix + QStringLiteral("Path"));
    m_path->setPlaceholderText(tr("/path/to/database.db"));
    auto* browse = new QPushButton(tr("Bro&wse…"), sqlitePane);
    browse->setObjectName(prefix + QStringLiteral("Browse"));
    connect(browse, &QPushButton::clicked, this, &DatabaseEditor::browse);
    auto* sqliteRow = new QHBoxLayout;
    sqliteRow->addWidget(new QLabel(tr("File:"), sqlitePane));
    sqliteRow->addWidget(m_path, 1);
    sqliteRow->addWidget(browse);
    auto* sqliteLayout = new QVBoxLayout(sqlitePane);
    sqliteLayout->setContentsMargins(0, 0, 0, 0);
    sqliteLayout->addLayout(sqliteRow);
    sqliteLayout->addStretch(1);

    // PostgreSQL: a libpq profile without a password (~/.pgpass supplies it).
    auto* pgPane = new QWidget;
    m_host = new QLineEdit(QStringLiteral("localhost"), pgPane);
    m_host->setObjectName(prefix + QStringLiteral("Host"));
    m_port = new QSpinBox(pgPane);
    m_port->setObjectName(prefix + QStringLiteral("Port"));
    m_port->setRange(1, 65535);
    m_port->setValue(5432);
    m_name = new QLineEdit(pgPane);
    m_name->setObjectName(prefix + QStringLiteral("DatabaseName"));
    m_user = new QLineEdit(pgPane);
    m_user->setObjectName(prefix + QStringLiteral("User"));
    m_user->setPlaceholderText(tr("the login's name (the password comes from ~/.pgpass)"));
    m_sslMode = new QComboBox(pgPane);
    m_sslMode->setObjectName(prefix + QStringLiteral("SslMode"));
    m_sslMode->addItem(tr("Default (prefer)"), QString());
    for (const char* mode : {"disable", "allow", "prefer", "require", "verify-ca", "verify-full"})
        m_sslMode->addItem(QString::fromLatin1(mode), QString::fromLatin1(mode));
    auto* hostRow = new QHBoxLayout;
    hostRow->addWidget(m_host, 1);
    hostRow->addWidget(new QLabel(tr("Port:"), pgPane));
    hostRow->addWidget(m_port);
    auto* pgForm = new QFormLayout(pgPane);
    pgForm->setContentsMargins(0, 0, 0, 0);
    pgForm->addRow(tr("Host:"), hostRow);
    pgForm->addRow(tr("Database:"), m_name);
    pgForm->addRow(tr("User:"), m_user);
    pgForm->addRow(tr("SSL mode:"), m_sslMode);

    m_stack = new QStackedWidget(this);
    m_stack->addWidget(sqlitePane);
    m_stack->addWidget(pgPane);
    m_stack->addWidget(new QWidget);

    m_test = new QPushButton(tr("&Test Connection"), this);
    m_test->setObjectName(prefix + QStringLiteral("TestButton"));
    m_test->setToolTip(tr("Open the database read-only, as an operation will, and report whether it can be reached"));
    connect(m_test, &QPushButton::clicked, this, &DatabaseEditor::testConnection);
    m_message = new QLabel(this);
    m_message->setObjectName(prefix + QStringLiteral("Message"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->hide();

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Engine:"), this));
    top->addWidget(m_engine);
    top->addStretch(1);
    top->addWidget(m_test);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(m_stack);
    layout->addWidget(m_message);

    connect(m_engine, &QComboBox::currentIndexChanged, this, &DatabaseEditor::engineChanged);
    for (QLineEdit* e : {m_path, m_host, m_name, m_user})
        connect(e, &QLineEdit::textEdited, this, &DatabaseEditor::edited);
    connect(m_port, &QSpinBox::valueChanged, this, &DatabaseEditor::edited);
    connect(m_sslMode, &QComboBox::currentIndexChanged, this, &DatabaseEditor::edited);
    connect(this, &DatabaseEditor::edited, this, [this] {
        if (!isTesting())
            setMessage({}, false);
    });
    engineChanged();
}

DatabaseEditor::~DatabaseEditor()
{
    // A test cannot be interrupted inside libpq; m_worker waits: it ends within its
    // connect timeout.
}

void DatabaseEditor::engineChanged()
{
    const int engine = m_engine->currentData().toInt();
    m_stack->setCurrentIndex(engine);
    // The stack takes the height of the page shown, not of its tallest one.
    for (int i = 0; i < m_stack->count(); ++i)
        m_stack->widget(i)->setSizePolicy(QSizePolicy::Preferred,
                                          i == engine ? QSizePolicy::Preferred : QSizePolicy::Ignored);
    m_stack->setVisible(engine != NoEngine);
    m_test->setEnabled(engine != NoEngine && !isTesting());
    Q_EMIT edited();
}

void DatabaseEditor::setDatabase(const std::optional<DatabaseRef>& ref)
{
    if (!ref) {
        m_engine->setCurrentIndex(m_engine->findData(m_optional ? NoEngine : SqliteEngine));
        return;
    }
    if (ref->isSqlite()) {
        m_path->setText(ref->path);
        m_engine->setCurrentIndex(m_engine->findData(SqliteEngine));
    } else {
        m_host->setText(ref->host);
        m_port->setValue(ref->port);
        m_name->setText(ref->name);
        m_user->setText(ref->user);
        m_sslMode->setCurrentIndex(std::max(0, m_sslMode->findData(ref->sslMode)));
        m_engine->setCurrentIndex(m_engine->findData(PostgresEngine));
    }
}

bool DatabaseEditor::isGiven() const
{
    return m_engine->currentData().toInt() != NoEngine;
}

QString DatabaseEditor::url() const
{
    switch (m_engine->currentData().toInt()) {
    case SqliteEngine: {
        const QString path = m_path->text().trimmed();
        if (path.isEmpty())
            return {};
        // A relative path is refused by DatabaseUrl with its own message.
        return QStringLiteral("sqlite://") + QString::fromUtf8(QUrl::toPercentEncoding(path, "/"));
    }
    case PostgresEngine: {
        QUrl url;
        url.setScheme(QStringLiteral("postgresql"));
        url.setHost(m_host->text().trimmed());
        url.setPort(m_port->value());
        url.setUserName(m_user->text().trimmed());
        url.setPath(QLatin1Char('/') + m_name->text().trimmed());
        if (const QString ssl = m_sslMode->currentData().toString(); !ssl.isEmpty())
            url.setQuery(QStringLiteral("sslmode=") + ssl);
        return url.toString(QUrl::FullyEncoded);
    }
    }
    return {};
}

QString DatabaseEditor::fieldProblem() const
{
    if (!isGiven() || m_engine->currentData().toInt() != PostgresEngine)
        return {};
    const QString host = m_host->text().trimmed();
    const QString user = m_user->text().trimmed();
    // DataALM never takes a password: one typed into a field is refused, never sent anywhere.
    if (user.contains(QLatin1Char(':')) || user.contains(QLatin1Char('@')))
        return tr("User takes the login's name only (no \"name:password\" or \"@\"). DataALM never takes a password: "
                  "put it in ~/.pgpass.");
    static const QRegularExpression hostName(QStringLiteral(R"(^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+|/[^@\s]*)$)"));
    if (host.isEmpty())
        return tr("Host takes the server's name or address.");
    if (!hostName.match(host).hasMatch())
        return tr("Host takes the server's name or address only (\"db.example.com\", \"10.0.0.5\"), not a URL, "
                  "\"user@\" or a password; put the password in ~/.pgpass.");
    return {};
}

void DatabaseEditor::setMessage(const QString& text, bool error)
{
    m_message->setText(text);
    m_message->setVisible(!text.isEmpty());
    QPalette palette = this->palette();
    if (error)
        palette.setColor(QPalette::WindowText, QColor(0xb0, 0x1b, 0x1b));
    else
        palette.setColor(QPalette::WindowText, QColor(0x10, 0x7c, 0x10));
    m_message->setPalette(palette);
}

void DatabaseEditor::browse()
{
    const QString file =
        FileDialog::getOpenFileName(this, tr("Choose the SQLite Database"), QFileInfo(m_path->text()).absolutePath(),
                                    tr("SQLite databases (*.db *.sqlite *.sqlite3);;All files (*)"));
    if (file.isEmpty())
        return;
    m_path->setText(QFileInfo(file).absoluteFilePath());
    Q_EMIT edited();
}

void DatabaseEditor::testConnection()
{
    if (isTesting() || !isGiven())
        return;
    QString error;
    auto ref = DatabaseUrl::parse(url(), &error);
    if (!ref) {
        setMessage(url().isEmpty() ? tr("Give the database's location first.") : error, true);
        return;
    }
    ref->role = m_role;
    auto* worker = new ConnectionTestWorker({*ref});
    connect(worker, &ConnectionTestWorker::tested, this,
            [this](const QString&, bool ok, const QString& message) { setMessage(message, !ok); });
    connect(worker, &ConnectionTestWorker::finished, this, [this] {
        m_worker.release();
        m_test->setEnabled(isGiven());
    });
    m_test->setEnabled(false);
    setMessage(tr("Connecting to %1…").arg(ref->location()), false);
    m_worker.start(worker, QStringLiteral("connection-test"), &ConnectionTestWorker::finished);
}
