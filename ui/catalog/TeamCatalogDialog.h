#pragma once

#include "core/WorkerThread.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

// File > Connect to team catalog…: the URL of a team catalog (postgresql://host:port/db,
// never a password: ~/.pgpass, PGPASSFILE or a service file holds it), and Test
// connection, which opens it on a worker thread and says what it found or why not.
// Connect is enabled once a test passed for the URL as it is written.
class TeamCatalogDialog : public QDialog
{
    Q_OBJECT

public:
    explicit TeamCatalogDialog(const QString& url, QWidget* parent = nullptr);
    QString url() const;

private:
    void test();
    void onTested(const QString& summary, const QString& error);

    QLineEdit* m_url = nullptr;
    QLabel* m_result = nullptr;
    QPushButton* m_test = nullptr;
    QPushButton* m_connect = nullptr;
    QString m_tested;
    WorkerThread m_probe;
};
