#pragma once

#include "schedule/DurationEstimate.h"
#include "schedule/RequestWindow.h"
#include "schedule/Schedule.h"
#include "operation/OperationRecord.h"

#include <QHash>
#include <QJsonObject>
#include <QList>
#include <QString>
#include <QTimeZone>
#include <optional>

class Catalog;
struct Environment;
struct OperationRecord;

// Requests in downtime windows (docs/ARCHITECTURE.md, Requests), for the CLI, the
// console and the agent alike. A request is an operation created by OperationService
// like any other (the same rules, the same policy review), then turned Scheduled: it
// holds nothing until the agent claims it when its window opens.
//
// Promises:
// - A window is checked (OperationRules::windowRefusal) before the operation is
//   created: a refused window changes nothing.
// - Every change to a request (made, moved, cancelled) touches the catalog's
//   `requests.changed` file, which agents watch instead of polling.
class RequestService
{
public:
    explicit RequestService(Catalog& catalog);

    // The project's settings for requests.
    QTimeZone timeZone(const QString& projectId) const;
    int minimumNoticeMinutes(const QString& projectId) const;
    bool setMinimumNotice(const QString& projectId, int minutes, QString* error);
    bool setTimeZone(const QString& projectId, const QByteArray& zoneId, QString* error);

    // How long an operation of `kind` on `target` (from `source`, which may be null)
    // will take, from the catalog's history and the databases' sizes now.
    DurationEstimate estimate(const QString& kind, const Environment* source, const Environment& target) const;
    // The same for an existing operation or request.
    DurationEstimate estimate(const OperationRecord& operation) const;

    // Why a request of `kind` on `target` for `window` cannot be made now, empty when it
    // can; `estimate` is filled in either way.
    QString refusal(const QString& kind, const Environment* source, const Environment& target,
                    const RequestWindow& window, bool force, DurationEstimate* estimate) const;
    // Turns operation `id`, just created by this process, into a request for `window`.
    // On failure the operation is aborted (it never held anything).
    bool schedule(qint64 id, const RequestWindow& window, bool force, QString* error);
    // On a team catalog, operations run on its agents: operation `id`, just created by
    // this process, becomes a request whose window is open from now for a day, which the
    // first agent free for it (and allowed by its labels) claims.
    bool submitToAgents(qint64 id, QString* error);
    // Moves request `id` to `window` (and, for a restore to an instant, `instant` when
    // valid), under the same checks as a new request. `exitCode`-style refusals: the
    // rules' sentence in `error`; `notAllowed` tells a refusal from a failure.
    bool reschedule(qint64 id, const RequestWindow& window, const QDateTime& instant, bool force, QString* error,
                    bool* notAllowed);
    // A recurring request (Schedule: refresh, export, or a scheduled restore point) whose
    // first occurrence is `first`; checked now as far as it can be without its data
    // (the kind's rules for the target, the window, the policy) so that a schedule that
    // could never run is refused. `notAllowed` tells a refusal from a failure.
    std::optional<qint64> createSchedule(Schedule schedule, const RequestWindow& first, bool force, QString* error,
                                         bool* notAllowed);
    // Makes the occurrence of `schedule` whose window starts at `start` what it asks
    // for: a request for that window (which the agent then claims), or the scheduled
    // restore point. `what` says what was made.
    bool makeOccurrence(const Schedule& schedule, const QDateTime& start, QString* what, QString* error);

    // Cancels request `id` (Scheduled -> Aborted, shown as Canceled).
    bool cancel(qint64 id, QString* error, bool* notAllowed);

    // The file agents watch, touched at every change.
    static QString changeFile(const QString& catalogFolder);
    void touch() const;

private:
    Catalog& m_catalog;
    // Completed operations by kind, read once for the estimates of this service's life.
    mutable QHash<QString, QList<OperationRecord>> m_history;
};
