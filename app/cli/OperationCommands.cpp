#include "OperationCommands.h"

#include "core/Clock.h"
#include "restorepoint/RestorePointService.h"
#include "core/ByteSize.h"

#include "ExitCode.h"
#include "OperationListWriter.h"
#include "catalog/Catalog.h"
#include "lifecycle/OperationHost.h"
#include "lifecycle/OperationWatcher.h"
#include "lifecycle/BuiltInOperationKinds.h"
#include "registration/CredentialLoader.h"
#include "operation/OperationRules.h"
#include "lifecycle/OperationService.h"
#include "catalog/OperationStore.h"
#include "catalog/RunbookArchive.h"
#include "policy/DataPolicy.h"
#include "preflight/Preflight.h"
#include "refresh/RefreshJob.h"
#include "refresh/RefreshRequest.h"
#include "refresh/RefreshRunbook.h"
#include "schedule/RequestService.h"
#include "agent/Agent.h"
#include "schedule/ScheduleStore.h"
#include "environment/Environment.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QJsonArray>
#include <QLocale>
#include <QProcess>
#include <QThread>
#include <QTimer>

#include <atomic>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace {

std::atomic_int g_interrupts{0};

// The first Ctrl-C or SIGTERM asks for a cancel; a second one while the first is
// pending ends the process at once, which leaves the operation interrupted: the next
// start marks it Failed and offers Resume and Rollback, as after any crash.
void onInterrupt(int signal)
{
    if (g_interrupts.fetch_add(1) >= 1)
        ::_exit(128 + signal);
}


QString duration(qint64 seconds)
{
    if (seconds < 0)
        return QStringLiteral("-");
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds);
    if (seconds < 3600)
        return QStringLiteral("%1 min %2 s").arg(seconds / 60).arg(seconds % 60);
    return QStringLiteral("%1 h %2 min").arg(seconds / 3600).arg((seconds % 3600) / 60);
}

} // namespace

OperationCommands::OperationCommands(CliContext& context)
    : m_ctx(context)
{
}

bool OperationCommands::operationId(int position, qint64* id, int* exitCode)
{
    const QStringList& pos = m_ctx.cl.positional();
    if (pos.size() <= position) {
        *exitCode = m_ctx.usage(QStringLiteral("%1 needs an operation id").arg(pos.first()));
        return false;
    }
    if (pos.size() > position + 1) {
        *exitCode = m_ctx.usage(QStringLiteral("%1 takes one operation id, not '%2'").arg(pos.first(), pos.at(position + 1)));
        return false;
    }
    bool ok = false;
    *id = pos.at(position).toLongLong(&ok);
    if (!ok || *id <= 0) {
        *exitCode = m_ctx.usage(QStringLiteral("'%1' is not an operation id (a whole number; dataalm operations lists "
                                               "them)")
                                    .arg(pos.at(position)));
        return false;
    }
    return true;
}

void OperationCommands::printOperation(const OperationRecord& op)
{
    if (m_ctx.json) {
        m_ctx.printJson(QJsonDocument(op.toJson()));
        return;
    }
    QTextStream& out = m_ctx.out;
    out << QStringLiteral("Operation %1: %2 %3%4\n")
               .arg(op.id)
               .arg(op.title(), op.target, op.source.isEmpty() ? QString() : QStringLiteral(" from ") + op.source);
    out << QStringLiteral("  State:    %1\n").arg(operationStateName(op.state));
    out << QStringLiteral("  By:       %1\n").arg(op.who);
    if (op.started.isValid())
        out << QStringLiteral("  Started:  %1\n").arg(op.started.toLocalTime().toString(Qt::ISODate));
    if (op.finished.isValid())
        out << QStringLiteral("  Finished: %1 (%2)\n")
                   .arg(op.finished.toLocalTime().toString(Qt::ISODate), duration(op.durationSeconds()));
    if (!op.error.isEmpty())
        out << QStringLiteral("  Error:    %1\n").arg(op.error);
    for (const StepRecord& s : op.steps) {
        QString time;
        if (s.started.isValid() && s.finished.isValid())
            time = QStringLiteral(" (%1)").arg(duration(s.started.secsTo(s.finished)));
        out << QStringLiteral("  %1. %2 %3%4%5\n")
                   .arg(s.ordinal, 2)
                   .arg(s.name, -36)
                   .arg(stepStateName(s.state), -10)
                   .arg(time, s.detail.isEmpty() ? QString() : QStringLiteral(" ") + s.detail);
    }
    const QJsonArray followUps = op.params.value(QStringLiteral("followUps")).toArray();
    for (const QJsonValue& f : followUps)
        out << QStringLiteral("  Follow-up: %1\n").arg(f.toString());
    out.flush();
}

int OperationCommands::preflight()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("source"), QStringLiteral("target"), QStringLiteral("policy")},
                             QStringLiteral("preflight"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 1)
        return m_ctx.usage(QStringLiteral("preflight takes no argument '%1'").arg(m_ctx.cl.positional().at(1)));
    if (!m_ctx.cl.has(QStringLiteral("source")) || !m_ctx.cl.has(QStringLiteral("target")))
        return m_ctx.usage(QStringLiteral("preflight needs --source ENV and --target ENV"));
    auto source = m_ctx.catalog.environment(m_ctx.cl.value(QStringLiteral("source")));
    auto target = m_ctx.catalog.environment(m_ctx.cl.value(QStringLiteral("target")));
    if (!source || !target)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)")
                                           .arg(m_ctx.cl.value(!source ? QStringLiteral("source") : QStringLiteral("target"))));
    // The checks open the databases as the run would: a one-person catalog's passwords are in the OS keychain.
    if (!m_ctx.catalog.isTeam())
        CredentialLoader::load(m_ctx.catalog, {source->id, target->id}, QStringLiteral("preflight"));
    QString policyPath = m_ctx.cl.value(QStringLiteral("policy"));
    if (policyPath.isEmpty()) {
        if (auto project = m_ctx.catalog.project(target->projectId))
            policyPath = project->policyPath;
    }
    auto policy = RefreshJob::loadPolicy(policyPath, &error);
    if (!policy)
        return m_ctx.usage(QStringLiteral("the data policy %1 is invalid: %2").arg(policyPath, error));

    OperationStore store(m_ctx.catalog);
    Preflight::Input in;
    in.source = *source;
    in.target = *target;
    in.blocking = store.blockingOperation(target->id);
    in.keeping = store.keepingRestorePoints(target->id);
    in.previousColumns = store.lastSourceColumns(target->id);
    in.policy = &*policy;
    const Preflight::Result result = Preflight::run(in, [&](const CheckResult& c) {
        if (m_ctx.json) {
            m_ctx.err << QStringLiteral("  %1 %2\n").arg(CheckResult::verdictName(c.verdict).toUpper(), -4).arg(c.id);
            m_ctx.err.flush();
        }
    });
    if (m_ctx.json) {
        QJsonObject o = result.toJson();
        o.insert(QStringLiteral("source"), source->id);
        o.insert(QStringLiteral("target"), target->id);
        m_ctx.printJson(QJsonDocument(o));
    } else {
        QTextStream& out = m_ctx.out;
        out << QStringLiteral("Refresh %1 from %2: %3\n")
                   .arg(target->id, source->id, result.blocked() ? QStringLiteral("BLOCKED") : QStringLiteral("ready"));
        for (const CheckResult& c : result.checks)
            out << QStringLiteral("  [%1] %2: %3\n").arg(CheckResult::verdictName(c.verdict), -4).arg(c.id, c.message);
        out << QStringLiteral("\nData that will not be copied (rows in %1):\n").arg(source->id);
        for (const auto& c : result.counts)
            out << QStringLiteral("  %1  %2  %3 (%4)\n")
                       .arg(c.rows < 0 ? QStringLiteral("?") : QString::number(c.rows), 9)
                       .arg(c.title, -34)
                       .arg(c.tables.join(QStringLiteral(", ")), c.action);
        out.flush();
    }
    return result.blocked() ? ExitBlocked : ExitOk;
}

int OperationCommands::refresh()
{
    QString error;
    if (!m_ctx.cl.onlyAllows(withRequestOptions({QStringLiteral("source"), QStringLiteral("target"),
                                                 QStringLiteral("yes"), QStringLiteral("policy"),
                                                 QStringLiteral("reprovision")}),
                             QStringLiteral("refresh"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 1)
        return m_ctx.usage(QStringLiteral("refresh takes no argument '%1'").arg(m_ctx.cl.positional().at(1)));
    if (!m_ctx.cl.has(QStringLiteral("source")) || !m_ctx.cl.has(QStringLiteral("target")))
        return m_ctx.usage(QStringLiteral("refresh needs --source ENV and --target ENV"));
    auto source = m_ctx.catalog.environment(m_ctx.cl.value(QStringLiteral("source")));
    auto target = m_ctx.catalog.environment(m_ctx.cl.value(QStringLiteral("target")));
    if (!source || !target)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)")
                                           .arg(m_ctx.cl.value(!source ? QStringLiteral("source") : QStringLiteral("target"))));
    if (!m_ctx.cl.has(QStringLiteral("yes")))
        return m_ctx.usage(QStringLiteral("refresh replaces the databases of %1; add --yes to confirm").arg(target->id));
    if (const int code = checkRequest(OperationKinds::Refresh, &*source, *target); code >= 0)
        return code;
    // The same request the console's Move database wizard makes.
    const QString policyPath =
        RefreshRequest::policyPathFor(m_ctx.catalog, *target, m_ctx.cl.value(QStringLiteral("policy")));
    OperationService::Refusal refusal = OperationService::Refusal::None;
    auto id = OperationService(m_ctx.catalog).createRefresh(*source, *target, policyPath, &error, &refusal);
    if (refusal == OperationService::Refusal::InvalidPolicy)
        return m_ctx.usage(QStringLiteral("the data policy %1 is invalid: %2").arg(policyPath, error));
    if (!id) {
        // Refused before an operation exists: still the contract's fields, those that
        // would name the operation null.
        const QJsonValue null(QJsonValue::Null);
        if (m_ctx.json)
            m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("id"), null},
                                                      {QStringLiteral("kind"), QStringLiteral("refresh")},
                                                      {QStringLiteral("source"), source->id},
                                                      {QStringLiteral("target"), target->id},
                                                      {QStringLiteral("state"), null},
                                                      {QStringLiteral("started"), null},
                                                      {QStringLiteral("finished"), null},
                                                      {QStringLiteral("error"), error},
                                                      {QStringLiteral("steps"), QJsonArray()}}));
        return m_ctx.fail(refusal == OperationService::Refusal::Forbidden ? ExitNotAllowed : ExitBlocked, error);
    }
    m_ctx.err << QStringLiteral("Operation %1: refresh %2 from %3\n").arg(*id).arg(target->id, source->id);
    m_lastOperationId = *id;
    return start(*id);
}

int OperationCommands::drive(qint64 id, int action, bool print)
{
    OperationHost host(m_ctx.catalog.location());
    QEventLoop loop;
    int outcome = OperationRunner::Failed;
    QString message;
    QTextStream& err = m_ctx.err;
    const bool tty = ::isatty(STDERR_FILENO);
    qint64 lastLine = 0;
    QElapsedTimer clock;
    clock.start();
    QStringList names;
    if (auto op = OperationStore(m_ctx.catalog).get(id)) {
        for (const StepRecord& s : op->steps)
            names << s.name;
    }

    QObject::connect(host.runner(), &OperationRunner::stepChanged, &loop,
                     [&](qint64, int ordinal, const QString& state, const QString& detail) {
                         if (tty)
                             err << QStringLiteral("\r\033[K");
                         const QString name = names.value(ordinal - 1);
                         if (state == QLatin1String("InProgress"))
                             err << QStringLiteral("[%1/%2] %3...\n").arg(ordinal).arg(names.size()).arg(name);
                         else
                             err << QStringLiteral("[%1/%2] %3: %4%5\n")
                                        .arg(ordinal)
                                        .arg(names.size())
                                        .arg(name, state, detail.isEmpty() ? QString() : QStringLiteral(" (") + detail + QLatin1Char(')'));
                         err.flush();
                     });
    QObject::connect(host.runner(), &OperationRunner::progressed, &loop, [&](const OperationProgress& p) {
        const bool last = p.total > 0 && p.done >= p.total;
        if (!tty && !last && clock.elapsed() - lastLine < 1000)
            return;
        lastLine = clock.elapsed();
        QString line = QStringLiteral("     %1: %2/%3 %4").arg(p.stepName).arg(p.done).arg(p.total).arg(p.unit);
        if (p.bytes > 0)
            line += QStringLiteral(", %1 at %2/s").arg(ByteSize::text(p.bytes), ByteSize::text(qint64(p.bytesPerSecond)));
        if (p.secondsRemaining > 0)
            line += QStringLiteral(", %1 left").arg(duration(qint64(p.secondsRemaining + 0.5)));
        err << (tty ? QString(QStringLiteral("\r\033[K") + line) : QString(line + QLatin1Char('\n')));
        err.flush();
    });
    QObject::connect(host.runner(), &OperationRunner::finished, &loop,
                     [&](qint64, int o, const QString&, const QString& m) {
                         outcome = o;
                         message = m;
                         loop.quit();
                     });

    // Ctrl-C asks the runner to cancel (honoured before the swap).
    g_interrupts = 0;
    auto previous = std::signal(SIGINT, onInterrupt);
    auto previousTerm = std::signal(SIGTERM, onInterrupt);
    QTimer poll;
    int seen = 0;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (g_interrupts > seen) {
            seen = g_interrupts;
            err << QStringLiteral("\nCancelling (the target stays untouched unless the swap has begun)...\n");
            err.flush();
            host.cancel();
        }
    });
    poll.start(100);
    // Freeing what a rollback set aside or a sign-off released (a whole database) is
    // left to `dataalm cleanup`, started in the background below: the command returns
    // once the target is back or the sign-off is recorded.
    const bool defer = action == OperationRunner::Rollback || action == OperationRunner::SignOff;
    host.runner()->setDeferLeftovers(defer);
    host.execute(id, OperationRunner::Action(action));
    loop.exec();
    std::signal(SIGINT, previous);
    std::signal(SIGTERM, previousTerm);

    if (outcome == OperationRunner::Submitted) {
        // A team catalog: an agent carries it out; this follows it there.
        m_ctx.err << message
                  << (Agent::anyAlive(m_ctx.catalog, OperationStore::agentHeartbeatSeconds())
                          ? QString()
                          : QStringLiteral(" No agent is alive: it waits for one (dataalm agent starts one)."))
                  << QLatin1Char('\n');
        m_ctx.err.flush();
        return watch(id, print, true);
    }
    OperationStore store(m_ctx.catalog);
    if (defer && store.withLeftovers().contains(id) && !startBackgroundCleanup()) {
        err << QStringLiteral("Removing what operation %1 left behind...\n").arg(id);
        err.flush();
        drive(id, OperationRunner::Cleanup, false);
    } else if ((action == OperationRunner::Run || action == OperationRunner::Resume) &&
               RestorePointService(m_ctx.catalog).sweepDue(Clock::nowUtc())) {
        // Expired restore points are removed after the next operation, in the background.
        startBackgroundCleanup();
    }
    auto op = store.get(id);
    if (op && print)
        printOperation(*op);
    switch (outcome) {
    case OperationRunner::Done:
        return ExitOk;
    case OperationRunner::Blocked:
        return m_ctx.fail(ExitBlocked, QStringLiteral("blocked: %1").arg(message));
    case OperationRunner::Refused:
        return m_ctx.fail(ExitNotAllowed, message);
    case OperationRunner::Cancelled:
        return m_ctx.fail(ExitFailed, message);
    default:
        return m_ctx.fail(ExitFailed, message);
    }
}

bool OperationCommands::startBackgroundCleanup()
{
    QProcess p;
    p.setProgram(QCoreApplication::applicationFilePath());
    p.setArguments({QStringLiteral("--catalog"), m_ctx.catalog.location(), QStringLiteral("cleanup")});
    p.setStandardInputFile(QProcess::nullDevice());
    p.setStandardOutputFile(QProcess::nullDevice());
    p.setStandardErrorFile(QProcess::nullDevice());
    return p.startDetached();
}

int OperationCommands::cleanup()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({}, QStringLiteral("cleanup"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 1)
        return m_ctx.usage(QStringLiteral("cleanup takes no argument '%1'").arg(m_ctx.cl.positional().at(1)));
    OperationStore store(m_ctx.catalog);
    QJsonArray removed;
    QJsonArray kept;
    for (const qint64 id : store.withLeftovers()) {
        const auto op = store.get(id);
        if (!op || (op->state != OperationState::RollbackCompleted && op->state != OperationState::SignedOff))
            continue; // a rollback still running, or one that failed: its files may be needed
        drive(id, OperationRunner::Cleanup, false);
        if (store.withLeftovers().contains(id)) {
            kept.append(id);
        } else {
            removed.append(id);
            if (!m_ctx.json)
                m_ctx.out << QStringLiteral("Removed what operation %1 left behind\n").arg(id);
        }
    }
    // Then the restore points nothing needs any more: left half-written or half-deleted
    // by a dead process, of operations rolled back or aborted, and the expired ones.
    const RestorePointService::SweepReport swept = RestorePointService(m_ctx.catalog).sweep(Clock::nowUtc());
    QJsonArray points;
    for (const qint64 id : swept.removed) {
        points.append(id);
        if (!m_ctx.json)
            m_ctx.out << QStringLiteral("Removed restore point %1\n").arg(id);
    }
    for (const QString& problem : swept.problems)
        m_ctx.err << QStringLiteral("dataalm: warning: %1\n").arg(problem);
    if (m_ctx.json)
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("removed"), removed},
                                                  {QStringLiteral("kept"), kept},
                                                  {QStringLiteral("restorePoints"), points}}));
    else if (removed.isEmpty() && kept.isEmpty() && swept.removed.isEmpty())
        m_ctx.out << QStringLiteral("Nothing to remove\n");
    if (!kept.isEmpty())
        return m_ctx.fail(ExitFailed, QStringLiteral("could not remove what operations %1 left behind; their runbook "
                                                     "logs say why (dataalm logs ID)")
                                          .arg(QString::fromUtf8(QJsonDocument(kept).toJson(QJsonDocument::Compact))));
    return ExitOk;
}

int OperationCommands::list()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("env")}, QStringLiteral("operations"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 1)
        return m_ctx.usage(QStringLiteral("operations takes no argument '%1'").arg(m_ctx.cl.positional().at(1)));
    const QString env = m_ctx.cl.value(QStringLiteral("env"));
    if (!env.isEmpty() && !m_ctx.catalog.environment(env))
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown environment '%1' (dataalm env list shows them)").arg(env));
    const OperationStore store(m_ctx.catalog);
    if (m_ctx.json) {
        // Streamed, one operation at a time, without their params (`operation ID --json`
        // has them): the output and the memory grow with one operation, not the catalog.
        // Written as bytes (OperationListWriter), a buffer of about 1 MB at a time.
        m_ctx.out.flush();
        QByteArray buffer("[");
        bool first = true;
        const auto flush = [&buffer] {
            std::fwrite(buffer.constData(), 1, size_t(buffer.size()), stdout);
            buffer.clear();
        };
        store.forEach(env, true, false, [&](const OperationRecord& o) {
            buffer.append(first ? "\n    " : ",\n    ");
            OperationListWriter::append(buffer, o, 1);
            first = false;
            if (buffer.size() > (1 << 20))
                flush();
        });
        buffer.append(first ? "]\n" : "\n]\n");
        flush();
        std::fflush(stdout);
        return ExitOk;
    }
    // One line per operation, its fields padded to columns (a width < 0 pads on the
    // right), built in one buffer: a listing of 10,000 lines is not 80,000 QString::arg.
    QString line;
    const auto field = [&line](const QString& text, int width) {
        const qsizetype pad = std::max<qsizetype>(0, qsizetype(std::abs(width)) - text.size());
        if (width > 0)
            line.append(QString(pad, QLatin1Char(' ')));
        line.append(text);
        if (width < 0)
            line.append(QString(pad, QLatin1Char(' ')));
        line.append(QLatin1String("  "));
    };
    const auto print = [&](const QStringList& fields) {
        line.clear();
        static const int widths[] = {5, -8, -14, -14, -18, -19, -10};
        for (int i = 0; i < 7; ++i)
            field(fields.at(i), widths[i]);
        line.append(fields.at(7));
        line.append(QLatin1Char('\n'));
        m_ctx.out << line;
    };
    print({QStringLiteral("ID"), QStringLiteral("KIND"), QStringLiteral("SOURCE"), QStringLiteral("TARGET"),
           QStringLiteral("STATE"), QStringLiteral("STARTED"), QStringLiteral("DURATION"), QStringLiteral("BY")});
    store.forEach(env, false, false, [&](const OperationRecord& o) {
        QString started = QStringLiteral("-");
        if (o.started.isValid()) {
            // yyyy-MM-dd HH:mm:ss in local time, without QLocale's general formatter.
            const QDateTime local = o.started.toLocalTime();
            const QDate d = local.date();
            const QTime t = local.time();
            char buf[20];
            std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", d.year(), d.month(), d.day(), t.hour(),
                          t.minute(), t.second());
            started = QString::fromLatin1(buf);
        }
        print({QString::number(o.id), o.kind, o.source.isEmpty() ? QStringLiteral("-") : o.source, o.target,
               operationStateName(o.state), started, duration(o.durationSeconds()), o.who});
    });
    return ExitOk;
}

int OperationCommands::show()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({}, QStringLiteral("operation"), &error))
        return m_ctx.usage(error);
    qint64 id = 0;
    int code = 0;
    if (!operationId(1, &id, &code))
        return code;
    auto op = OperationStore(m_ctx.catalog).get(id);
    if (!op)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown operation %1 (dataalm operations lists them)").arg(id));
    printOperation(*op);
    return ExitOk;
}

int OperationCommands::act(const QString& verb)
{
    QString error;
    if (!m_ctx.cl.onlyAllows({}, verb, &error))
        return m_ctx.usage(error);
    qint64 id = 0;
    int code = 0;
    if (!operationId(1, &id, &code))
        return code;
    OperationStore store(m_ctx.catalog);
    auto op = store.get(id);
    if (!op)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown operation %1 (dataalm operations lists them)").arg(id));

    if (verb == QLatin1String("abort") && op->state == OperationState::InProgress) {
        // Running in another process: ask it to stop, and wait for its answer.
        if (!OperationService(m_ctx.catalog).requestCancel(*op, &error))
            return m_ctx.fail(ExitNotAllowed, error);
        m_ctx.err << QStringLiteral("Asked process %1 to cancel operation %2...\n").arg(op->ownerPid).arg(id);
        m_ctx.err.flush();
        QElapsedTimer t;
        t.start();
        while (t.elapsed() < 120000) {
            QThread::msleep(200);
            store.recoverInterrupted();
            op = store.get(id);
            if (op->state != OperationState::InProgress)
                break;
        }
        if (op->state == OperationState::Failed) {
            // The process died meanwhile: the abort can proceed here.
        } else {
            printOperation(*op);
            if (op->state == OperationState::Aborted)
                return ExitOk;
            return m_ctx.fail(op->state == OperationState::InProgress ? ExitFailed : ExitNotAllowed,
                              QStringLiteral("operation %1 is %2").arg(id).arg(operationStateName(op->state)));
        }
    }
    OperationRunner::Action action = OperationRunner::Resume;
    if (verb == QLatin1String("rollback"))
        action = OperationRunner::Rollback;
    else if (verb == QLatin1String("signoff"))
        action = OperationRunner::SignOff;
    else if (verb == QLatin1String("abort"))
        action = OperationRunner::Abort;
    return drive(id, action);
}

int OperationCommands::logs()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("out")}, QStringLiteral("logs"), &error))
        return m_ctx.usage(error);
    qint64 id = 0;
    int code = 0;
    if (!operationId(1, &id, &code))
        return code;
    if (!m_ctx.cl.has(QStringLiteral("out")))
        return m_ctx.usage(QStringLiteral("logs needs --out FILE.zip"));
    auto op = OperationStore(m_ctx.catalog).get(id);
    if (!op)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown operation %1 (dataalm operations lists them)").arg(id));
    const QString out = m_ctx.cl.value(QStringLiteral("out"));
    if (!RunbookArchive::write(m_ctx.catalog, *op, out, &error))
        return m_ctx.fail(ExitFailed, error);
    if (m_ctx.json)
        m_ctx.printJson(QJsonDocument(QJsonObject{{QStringLiteral("operation"), id},
                                                  {QStringLiteral("archive"), QFileInfo(out).absoluteFilePath()}}));
    else
        m_ctx.out << QStringLiteral("Wrote the runbook logs of operation %1 to %2\n").arg(id).arg(QFileInfo(out).absoluteFilePath());
    return ExitOk;
}

namespace {

QString kindTitle(const QString& kind)
{
    OperationRecord r;
    r.kind = kind;
    return r.title();
}

} // namespace

QStringList OperationCommands::withRequestOptions(QStringList allowed)
{
    allowed << QStringLiteral("window-start") << QStringLiteral("window-end") << QStringLiteral("force")
            << QStringLiteral("every") << QStringLiteral("no-wait");
    return allowed;
}

int OperationCommands::checkRequest(const QString& kind, const Environment* source, const Environment& target)
{
    const bool start = m_ctx.cl.has(QStringLiteral("window-start"));
    const bool end = m_ctx.cl.has(QStringLiteral("window-end"));
    if (!start && !end) {
        if (m_requestRequired)
            return m_ctx.usage(QStringLiteral("request %1 needs --window-start ISO and --window-end ISO").arg(kind));
        if (m_ctx.cl.has(QStringLiteral("force")))
            return m_ctx.usage(QStringLiteral("--force goes with a window (--window-start, --window-end)"));
        return -1;
    }
    if (start != end)
        return m_ctx.usage(QStringLiteral("a downtime window needs both --window-start and --window-end"));
    RequestService requests(m_ctx.catalog);
    const QTimeZone zone = requests.timeZone(target.projectId);
    QString error;
    const auto window = RequestWindow::parse(m_ctx.cl.value(QStringLiteral("window-start")),
                                             m_ctx.cl.value(QStringLiteral("window-end")), zone, &error);
    if (!window)
        return m_ctx.usage(error);
    m_force = m_ctx.cl.has(QStringLiteral("force"));
    if (m_ctx.cl.has(QStringLiteral("every"))) {
        // A recurring request: a schedule, whose occurrences the agent makes.
        if (kind != OperationKinds::Refresh && kind != OperationKinds::Export && kind != Schedule::RestorePoint)
            return m_ctx.usage(QStringLiteral("--every repeats a refresh, an export or a restore point, not %1").arg(kind));
        Schedule schedule;
        schedule.kind = kind;
        schedule.source = source && source->id != target.id ? source->id : QString();
        schedule.target = target.id;
        schedule.every = m_ctx.cl.value(QStringLiteral("every"));
        if (m_ctx.cl.has(QStringLiteral("policy")))
            schedule.request.insert(QStringLiteral("policy"), m_ctx.cl.value(QStringLiteral("policy")));
        bool notAllowed = false;
        const auto id = requests.createSchedule(schedule, *window, m_force, &error, &notAllowed);
        if (!id)
            return notAllowed ? m_ctx.fail(ExitNotAllowed, error) : m_ctx.fail(ExitFailed, error);
        const auto made = ScheduleStore(m_ctx.catalog).get(*id);
        m_ctx.err << QStringLiteral("Schedule S%1: %2 of %3 %4; an agent makes each occurrence when its window opens\n")
                         .arg(*id)
                         .arg(kind, target.id, made ? made->text() : QString());
        if (made) {
            if (m_ctx.json)
                m_ctx.printJson(QJsonDocument(made->toJson()));
            else
                for (const QDateTime& t : made->upcoming(3))
                    m_ctx.out << QStringLiteral("next: %1\n").arg(RequestWindow{t, t.addSecs(made->windowSeconds)}.text(zone));
        }
        return ExitOk;
    }
    DurationEstimate estimate;
    const QString why = requests.refusal(kind, source, target, *window, m_force, &estimate);
    if (!why.isEmpty())
        return m_ctx.fail(ExitNotAllowed, why);
    m_ctx.err << QStringLiteral("Window: %1; estimate: %2\n")
                     .arg(window->text(zone), estimate.text(kindTitle(kind)));
    m_window = window;
    return -1;
}

int OperationCommands::start(qint64 id)
{
    if (!m_window && m_ctx.catalog.isTeam())
        return submit(id);
    if (!m_window)
        return drive(id, OperationRunner::Run, m_printResult);
    QString error;
    if (!RequestService(m_ctx.catalog).schedule(id, *m_window, m_force, &error))
        return m_ctx.fail(ExitFailed, error);
    const auto op = OperationStore(m_ctx.catalog).get(id);
    if (op && op->state == OperationState::AwaitingApproval)
        m_ctx.err << QStringLiteral("%1 Once approved (dataalm approve %2), an agent runs it in its window.\n")
                         .arg(OperationRules::awaitingApprovalWords(*op))
                         .arg(id);
    else
        m_ctx.err << QStringLiteral("Request %1 is scheduled; an agent runs it when its window opens (dataalm agent; "
                                    "dataalm requests lists what waits)\n")
                         .arg(id);
    if (op)
        printOperation(*op);
    return ExitOk;
}

int OperationCommands::submit(qint64 id)
{
    QString error;
    if (!RequestService(m_ctx.catalog).submitToAgents(id, &error))
        return m_ctx.fail(ExitFailed, error);
    m_ctx.err << QStringLiteral("Operation %1 is submitted to the agents of the team catalog%2\n")
                     .arg(id)
                     .arg(Agent::anyAlive(m_ctx.catalog, OperationStore::agentHeartbeatSeconds())
                              ? QString()
                              : QStringLiteral(" (no agent is alive: it waits for one; dataalm agent starts one)"));
    if (const auto op = OperationStore(m_ctx.catalog).get(id); op && op->state == OperationState::AwaitingApproval)
        m_ctx.err << QStringLiteral("%1 It runs once approved (dataalm approve %2); until then Ctrl-C withdraws it, "
                                    "--no-wait leaves it waiting.\n")
                         .arg(OperationRules::awaitingApprovalWords(*op))
                         .arg(id);
    if (m_ctx.cl.has(QStringLiteral("no-wait"))) {
        // An agent may have claimed it already: a claim gives the request a new id.
        OperationStore store(m_ctx.catalog);
        auto op = store.get(id);
        if (!op) {
            if (const auto current = store.currentIdOf(id))
                op = store.get(*current);
        }
        if (op)
            printOperation(*op);
        return ExitOk;
    }
    m_ctx.err.flush(); // said now, not when the watch first has news (an approval may take hours)
    return watch(id, m_printResult);
}

int OperationCommands::watch(qint64 id, bool print, bool action)
{
    QEventLoop loop;
    OperationWatcher watcher(m_ctx.catalog, id);
    if (action)
        watcher.followAction();
    QTextStream& err = m_ctx.err;
    std::optional<OperationRecord> result;
    QObject::connect(&watcher, &OperationWatcher::actionClaimed, &loop, [&](const QString& agent) {
        err << QStringLiteral("Agent %1 carries it out\n").arg(agent);
        err.flush();
    });
    QObject::connect(&watcher, &OperationWatcher::approved, &loop, [&](const QString& by, const QString& note) {
        err << QStringLiteral("Approved by %1%2\n").arg(by, note.isEmpty() ? QString() : QStringLiteral(": ") + note);
        err.flush();
    });
    QObject::connect(&watcher, &OperationWatcher::claimed, &loop, [&](qint64 operation, const QString& agent) {
        err << QStringLiteral("Agent %1 runs it as operation %2\n").arg(agent.isEmpty() ? QStringLiteral("?") : agent).arg(operation);
        err.flush();
    });
    QObject::connect(&watcher, &OperationWatcher::stepChanged, &loop,
                     [&](int ordinal, int total, const QString& name, const QString& state, const QString& detail) {
                         if (state == QLatin1String("InProgress"))
                             err << QStringLiteral("[%1/%2] %3...\n").arg(ordinal).arg(total).arg(name);
                         else
                             err << QStringLiteral("[%1/%2] %3: %4%5\n")
                                        .arg(ordinal)
                                        .arg(total)
                                        .arg(name, state,
                                             detail.isEmpty() ? QString() : QStringLiteral(" (") + detail + QLatin1Char(')'));
                         err.flush();
                     });
    QObject::connect(&watcher, &OperationWatcher::interrupted, &loop, [&](const QString& why) {
        err << QStringLiteral("Operation %1 was %2; another agent resumes it inside its window (Ctrl-C stops "
                              "watching, not the operation)\n")
                   .arg(watcher.operationId())
                   .arg(why);
        err.flush();
    });
    QObject::connect(&watcher, &OperationWatcher::connectionLost, &loop, [&](const QString& why) {
        err << QStringLiteral("The team catalog does not answer (%1); trying again\n").arg(why.trimmed());
        err.flush();
    });
    QObject::connect(&watcher, &OperationWatcher::finished, &loop, [&](const OperationRecord& op) {
        result = op;
        loop.quit();
    });
    // Ctrl-C asks the agent to cancel (honoured before the swap), or cancels a request
    // that waits; a second one stops watching.
    g_interrupts = 0;
    auto previous = std::signal(SIGINT, onInterrupt);
    auto previousTerm = std::signal(SIGTERM, onInterrupt);
    QTimer poll;
    int seen = 0;
    QObject::connect(&poll, &QTimer::timeout, &loop, [&] {
        if (g_interrupts <= seen)
            return;
        seen = g_interrupts;
        if (seen > 1) {
            loop.quit();
            return;
        }
        OperationStore store(m_ctx.catalog);
        const auto op = store.get(watcher.operationId());
        if (action && op && op->state != OperationState::InProgress) {
            // Not started on an agent yet: taken back; else it goes on (only a run can be cancelled).
            const bool withdrawn = store.withdrawAction(op->id, Catalog::currentUser());
            err << (withdrawn ? QStringLiteral("\nWithdrawn: no agent had taken it on; nothing was done.\n")
                              : QStringLiteral("\nAn agent is carrying it out already; it goes on (Ctrl-C again "
                                               "stops watching).\n"));
            err.flush();
            return;
        }
        if (op && isWaitingState(op->state)) {
            QString e;
            bool notAllowed = false;
            RequestService(m_ctx.catalog).cancel(op->id, &e, &notAllowed);
        } else {
            store.requestCancel(watcher.operationId());
        }
        err << QStringLiteral("\nCancelling (the target stays untouched unless the swap has begun)...\n");
        err.flush();
    });
    poll.start(100);
    watcher.start();
    loop.exec();
    std::signal(SIGINT, previous);
    std::signal(SIGTERM, previousTerm);
    if (!result)
        return m_ctx.fail(ExitFailed, QStringLiteral("stopped watching operation %1; it goes on (dataalm operation %1)")
                                          .arg(watcher.operationId()));
    m_lastOperationId = result->id;
    if (print)
        printOperation(*result);
    if (action) {
        // How the agent's runner ended it, as `drive` says it of this process's runner.
        const QString& outcome = result->actionOutcome;
        const QString why = result->actionResult.isEmpty() ? result->error : result->actionResult;
        if (outcome == QLatin1String("Done"))
            return ExitOk;
        if (outcome == QLatin1String("Refused"))
            return m_ctx.fail(ExitNotAllowed, why);
        if (outcome == QLatin1String("Blocked"))
            return m_ctx.fail(ExitBlocked, QStringLiteral("blocked: %1").arg(why));
        return m_ctx.fail(ExitFailed, why.isEmpty() ? QStringLiteral("operation %1: %2").arg(result->id).arg(outcome)
                                                    : why);
    }
    if (result->state == OperationState::Completed || result->state == OperationState::SignedOff)
        return ExitOk;
    // A second person said no: refused, as the rules refuse (exit 5).
    if (result->state == OperationState::Aborted && !result->approvalNote.isEmpty() && result->approvedBy.isEmpty())
        return m_ctx.fail(ExitNotAllowed, QStringLiteral("request %1 was %2").arg(result->id).arg(result->error));
    return m_ctx.fail(ExitFailed, result->error.isEmpty() ? QStringLiteral("operation %1 ended %2")
                                                                 .arg(result->id)
                                                                 .arg(operationStateName(result->state))
                                                           : result->error);
}

int OperationCommands::requests()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("env")}, QStringLiteral("requests"), &error))
        return m_ctx.usage(error);
    if (m_ctx.cl.positional().size() > 1)
        return m_ctx.usage(QStringLiteral("requests takes no argument '%1'").arg(m_ctx.cl.positional().at(1)));
    const QString env = m_ctx.cl.value(QStringLiteral("env"));
    RequestService service(m_ctx.catalog);
    QList<OperationRecord> waiting;
    // Those awaiting a second person's approval first, then those waiting for their window.
    OperationStore store(m_ctx.catalog);
    for (const OperationRecord& r : store.awaitingApproval() + store.scheduled()) {
        if (env.isEmpty() || r.target == env || r.source == env)
            waiting.append(r);
    }
    const QList<Schedule> schedules = ScheduleStore(m_ctx.catalog).list();
    if (m_ctx.json) {
        QJsonArray list;
        for (const Schedule& s : schedules) {
            if (env.isEmpty() || s.target == env || s.source == env)
                list.append(s.toJson());
        }
        for (const OperationRecord& r : waiting) {
            QJsonObject o = r.toJson();
            o.remove(QStringLiteral("params"));
            const DurationEstimate e = service.estimate(r);
            o.insert(QStringLiteral("estimate"),
                     QJsonObject{{QStringLiteral("seconds"), e.isKnown() ? QJsonValue(e.seconds) : QJsonValue()},
                                 {QStringLiteral("basis"), e.basis},
                                 {QStringLiteral("relativeError"),
                                  e.relativeError >= 0 ? QJsonValue(e.relativeError) : QJsonValue()}});
            list.append(o);
        }
        m_ctx.printJson(QJsonDocument(list));
        return ExitOk;
    }
    for (const Schedule& s : schedules) {
        if (!env.isEmpty() && s.target != env && s.source != env)
            continue;
        m_ctx.out << QStringLiteral("S%1  %2 of %3%4, %5\n")
                         .arg(s.id)
                         .arg(s.kind, s.target, s.source.isEmpty() ? QString() : QStringLiteral(" from ") + s.source,
                              s.text());
        for (const QDateTime& t : s.upcoming(3))
            m_ctx.out << QStringLiteral("    next %1\n").arg(RequestWindow{t, t.addSecs(s.windowSeconds)}.text(s.zone()));
        if (!s.note.isEmpty())
            m_ctx.out << QStringLiteral("    note: %1\n").arg(s.note);
    }
    if (waiting.isEmpty() && schedules.isEmpty()) {
        m_ctx.out << QStringLiteral("No request waits for a window.\n");
        return ExitOk;
    }
    for (const OperationRecord& r : waiting) {
        const QTimeZone zone = service.timeZone(r.projectId);
        const DurationEstimate e = service.estimate(r);
        m_ctx.out << QStringLiteral("%1  %2 of %3%4\n    window %5\n    estimate %6\n    requested by %7\n")
                         .arg(r.id)
                         .arg(r.title(), r.target, r.source.isEmpty() ? QString() : QStringLiteral(" from ") + r.source,
                              RequestWindow{r.windowStart, r.windowEnd}.text(zone),
                              e.text(kindTitle(r.kind)), r.who);
        if (r.state == OperationState::AwaitingApproval)
            m_ctx.out << QStringLiteral("    awaiting approval by a Project owner other than %1 (dataalm approve %2, "
                                        "dataalm reject %2 --reason TEXT)\n")
                             .arg(r.who)
                             .arg(r.id);
        else if (!r.approvedBy.isEmpty())
            m_ctx.out << QStringLiteral("    approved by %1%2\n")
                             .arg(r.approvedBy,
                                  r.approvalNote.isEmpty() ? QString() : QStringLiteral(": ") + r.approvalNote);
    }
    if (!Agent::anyAlive(m_ctx.catalog))
        m_ctx.err << QStringLiteral("dataalm: warning: no agent is running on this catalog; requests run only when one "
                                    "does (dataalm agent, or the systemd unit the README describes)\n");
    return ExitOk;
}

int OperationCommands::reschedule()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({QStringLiteral("window-start"), QStringLiteral("window-end"), QStringLiteral("time"),
                              QStringLiteral("force")},
                             QStringLiteral("reschedule"), &error))
        return m_ctx.usage(error);
    qint64 id = 0;
    int code = ExitOk;
    if (!operationId(1, &id, &code))
        return code;
    if (!m_ctx.cl.has(QStringLiteral("window-start")) || !m_ctx.cl.has(QStringLiteral("window-end")))
        return m_ctx.usage(QStringLiteral("reschedule needs --window-start ISO and --window-end ISO"));
    const auto op = OperationStore(m_ctx.catalog).get(id);
    if (!op)
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown operation %1 (dataalm requests lists them)").arg(id));
    RequestService service(m_ctx.catalog);
    const QTimeZone zone = service.timeZone(op->projectId);
    const auto window = RequestWindow::parse(m_ctx.cl.value(QStringLiteral("window-start")),
                                             m_ctx.cl.value(QStringLiteral("window-end")), zone, &error);
    if (!window)
        return m_ctx.usage(error);
    QDateTime instant;
    if (m_ctx.cl.has(QStringLiteral("time"))) {
        const auto t = RequestWindow::parseInstant(m_ctx.cl.value(QStringLiteral("time")), zone, &error);
        if (!t)
            return m_ctx.usage(QStringLiteral("--time: %1").arg(error));
        instant = *t;
    }
    bool notAllowed = false;
    if (!service.reschedule(id, *window, instant, m_ctx.cl.has(QStringLiteral("force")), &error, &notAllowed))
        return m_ctx.fail(notAllowed ? ExitNotAllowed : ExitFailed, error);
    m_ctx.err << QStringLiteral("Request %1 moved to %2\n").arg(id).arg(window->text(zone));
    if (const auto moved = OperationStore(m_ctx.catalog).get(id))
        printOperation(*moved);
    return ExitOk;
}

int OperationCommands::cancelRequest()
{
    QString error;
    if (!m_ctx.cl.onlyAllows({}, QStringLiteral("cancel"), &error))
        return m_ctx.usage(error);
    // S<id>: a recurring schedule; the occurrences already made stay requests of their own.
    const QString word = m_ctx.cl.positional().value(1);
    if (word.startsWith(QLatin1Char('S'))) {
        bool ok = false;
        const qint64 schedule = word.mid(1).toLongLong(&ok);
        if (!ok || schedule <= 0)
            return m_ctx.usage(QStringLiteral("'%1' is not a schedule (S and its number, as dataalm requests shows)").arg(word));
        if (!ScheduleStore(m_ctx.catalog).get(schedule))
            return m_ctx.fail(ExitUnknown, QStringLiteral("unknown schedule %1 (dataalm requests lists them)").arg(word));
        if (!ScheduleStore(m_ctx.catalog).cancel(schedule, &error))
            return m_ctx.fail(ExitNotAllowed, error);
        RequestService(m_ctx.catalog).touch();
        m_ctx.err << QStringLiteral("Schedule %1 is canceled; requests it already made wait on their own\n").arg(word);
        if (const auto canceled = ScheduleStore(m_ctx.catalog).get(schedule); m_ctx.json && canceled)
            m_ctx.printJson(QJsonDocument(canceled->toJson()));
        return ExitOk;
    }
    qint64 id = 0;
    int code = ExitOk;
    if (!operationId(1, &id, &code))
        return code;
    if (!OperationStore(m_ctx.catalog).get(id))
        return m_ctx.fail(ExitUnknown, QStringLiteral("unknown operation %1 (dataalm requests lists them)").arg(id));
    bool notAllowed = false;
    if (!RequestService(m_ctx.catalog).cancel(id, &error, &notAllowed))
        return m_ctx.fail(notAllowed ? ExitNotAllowed : ExitFailed, error);
    m_ctx.err << QStringLiteral("Request %1 is canceled\n").arg(id);
    if (const auto op = OperationStore(m_ctx.catalog).get(id))
        printOperation(*op);
    return ExitOk;
}
