#pragma once

#include "core/WorkerThread.h"
#include "environment/DatabaseRef.h"

#include <QGroupBox>
#include <QPointer>
#include <QThread>
#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;

// One database of the environment dialog: a SQLite file (path and Browse) or a
// PostgreSQL profile (host, port, database, user, SSL mode; never a password), or
// none for the optional financial reporting database; with Test connection, which
// opens it read-only on a worker thread (ConnectionTestWorker) and shows the result.
//
// Promises: editing never opens anything; url() is what DatabaseUrl parses.
class DatabaseEditor : public QGroupBox
{
    Q_OBJECT
    Q_DISABLE_COPY(DatabaseEditor)

public:
    // `role`: DatabaseRef::Transactional or FinancialReporting; `optional`: offers "None".
    DatabaseEditor(const QString& role, bool optional, QWidget* parent = nullptr);
    ~DatabaseEditor() override;

    QString role() const { return m_role; }
    void setDatabase(const std::optional<DatabaseRef>& ref);
    // Whether a database is given (false: "None" chosen).
    bool isGiven() const;
    // The database's URL (sqlite:///... or postgresql://...), empty when none is given.
    QString url() const;
    // What is wrong with the PostgreSQL fields before any URL is made of them: a
    // password typed into User ("bob:s3cret") or a whole URL or user@ in Host. Empty
    // when nothing is.
    QString fieldProblem() const;
    // An inline message under the fields (empty: hidden); `error` colours it.
    void setMessage(const QString& text, bool error);
    bool isTesting() const { return m_worker.isRunning(); }

public Q_SLOTS:
    void testConnection();

Q_SIGNALS:
    void edited();

private:
    void engineChanged();
    void browse();

    QString m_role;
    bool m_optional;
    QComboBox* m_engine = nullptr;
    QStackedWidget* m_stack = nullptr;
    QLineEdit* m_path = nullptr;
    QLineEdit* m_host = nullptr;
    QSpinBox* m_port = nullptr;
    QLineEdit* m_name = nullptr;
    QLineEdit* m_user = nullptr;
    QComboBox* m_sslMode = nullptr;
    QPushButton* m_test = nullptr;
    QLabel* m_message = nullptr;
    WorkerThread m_worker;
};
