#pragma once

#include <QDateTime>
#include <QList>
#include <QString>

class Catalog;

// The runbook log lines of a team catalog's operations, in its runbook_lines table, so
// that every console and CLI sees the lines an agent on another machine writes (its
// runbook log file stays on that machine). Every insert is announced on
// dataalm_changes like any other change. On a one-person (SQLite) catalog the log file
// is the whole story and nothing is written here.
//
// Promises: lines are read back in the order they were written, an operation's lines
// go with it (ON DELETE CASCADE), and text() gives them in the runbook log file's own
// format, so an archive or a tail cannot tell where they came from.
class RunbookLineStore
{
public:
    struct Line
    {
        qint64 id = 0;
        QDateTime at;
        QString level;
        QString text;
    };

    explicit RunbookLineStore(Catalog& catalog);

    // Appends one line (already redacted by RunbookLog); retried once on a reopened
    // connection. False if it could not be written (the file still has it).
    bool append(qint64 operationId, const QDateTime& at, const QString& level, const QString& text);
    // The lines of `operationId` after line `afterId` (0: from the first), oldest first,
    // at most `limit`.
    QList<Line> after(qint64 operationId, qint64 afterId = 0, int limit = 100000) const;
    // Every line of `operationId` as the runbook log file writes them
    // ("2024-05-01 12:00:00.123 info  message\n").
    QByteArray text(qint64 operationId) const;
    // The log of `operationId` as this process can best read it: on a team catalog its
    // lines here (all machines'), else the runbook log file under the catalog's folder.
    QByteArray logOf(qint64 operationId) const;

private:
    bool appendOnce(qint64 operationId, const QDateTime& at, const QString& level, const QString& text);
    Catalog& m_catalog;
};
