#pragma once

#include "schedule/RequestWindow.h"

#include <QDateTime>
#include <QObject>
#include <QString>

// Reschedules, cancels, approves or rejects a request (or cancels a schedule) on a worker thread
// (WorkerThread), for the console: a reschedule re-checks the window against the
// estimate, which measures the databases. The CLI calls RequestService directly.
class RequestActionWorker : public QObject
{
    Q_OBJECT

public:
    enum class Action
    {
        Reschedule,
        Cancel,
        CancelSchedule,
        Approve, // a request awaiting approval (ApprovalService)
        Reject,
    };
    struct Request
    {
        QString catalogFolder;
        Action action = Action::Cancel;
        qint64 id = 0;
        RequestWindow window;
        QDateTime instant; // a restore to an instant: where it goes back to (invalid: unchanged)
        bool force = false;
        QString reason; // Approve, Reject: what the approver says
    };

    explicit RequestActionWorker(const Request& request);

public Q_SLOTS:
    void run();

Q_SIGNALS:
    // `refused`: the rules said no (the sentence is in `message`), as opposed to a failure.
    void finished(bool ok, bool refused, const QString& message);

private:
    Request m_request;
};
