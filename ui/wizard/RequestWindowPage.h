#pragma once

#include "core/WorkerThread.h"
#include "schedule/DurationEstimate.h"
#include "schedule/RequestWindow.h"

#include <QTimeZone>
#include <QWizardPage>
#include <functional>

class QCheckBox;
class QDateTimeEdit;
class QLabel;

// The page a wizard's last page leads to with "Request for a window >" (Move database,
// Apply updates): the downtime window to run the operation in, read in the project's
// time zone (named on the page), with the operation's estimate from the catalog's
// history (its model and error) and the rules' sentence when the window will not do
// (in the past, too little notice, shorter than the estimate unless "Request anyway").
// Finish then makes a request instead of starting the operation.
//
// Promises: the estimate is read on a worker thread (it measures the databases).
class RequestWindowPage : public QWizardPage
{
    Q_OBJECT
    Q_DISABLE_COPY(RequestWindowPage)

public:
    struct Subject
    {
        QString catalogFolder;
        QString kind;
        QString sourceId;
        QString targetId;
    };
    // `subject`: asked when the page is shown (what the wizard will run).
    explicit RequestWindowPage(std::function<Subject()> subject, QWidget* parent = nullptr);

    void initializePage() override;
    bool isComplete() const override;
    int nextId() const override { return -1; }

    RequestWindow window() const;
    bool force() const;
    // The rules' sentence about the window now, empty when it will do.
    QString refusal() const;

private:
    void update();
    QDateTime fromEdit(const QDateTimeEdit* edit) const;

    std::function<Subject()> m_subject;
    WorkerThread m_estimateWorker;
    DurationEstimate m_estimate;
    bool m_estimated = false;
    int m_noticeMinutes = 0;
    QTimeZone m_zone = QTimeZone::systemTimeZone();
    QDateTimeEdit* m_start = nullptr;
    QDateTimeEdit* m_end = nullptr;
    QLabel* m_zoneLabel = nullptr;
    QLabel* m_estimateLabel = nullptr;
    QLabel* m_problem = nullptr;
    QCheckBox* m_force = nullptr;
};
