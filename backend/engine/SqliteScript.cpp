#include "engine/SqliteScript.h"

#include "engine/SqliteStatement.h"

#include <QStringList>

#include <sqlite3.h>

namespace {

bool isSpace(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

// The first `count` words of `sql`, upper-cased, skipping white space and comments.
QStringList leadingWords(const char* p, const char* end, int count)
{
    QStringList words;
    while (p < end && words.size() < count) {
        if (isSpace(*p)) {
            ++p;
        } else if (p + 1 < end && p[0] == '-' && p[1] == '-') {
            while (p < end && *p != '\n')
                ++p;
        } else if (p + 1 < end && p[0] == '/' && p[1] == '*') {
            p += 2;
            while (p + 1 < end && !(p[0] == '*' && p[1] == '/'))
                ++p;
            p = std::min(end, p + 2);
        } else {
            const char* start = p;
            while (p < end && ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || *p == '_'))
                ++p;
            if (p == start)
                break; // not a word: the statement starts with something else
            words << QString::fromLatin1(start, int(p - start)).toUpper();
        }
    }
    return words;
}

bool hasStatement(const char* p, const char* end)
{
    while (p < end) {
        if (isSpace(*p) || *p == ';') {
            ++p;
        } else if (p + 1 < end && p[0] == '-' && p[1] == '-') {
            while (p < end && *p != '\n')
                ++p;
        } else if (p + 1 < end && p[0] == '/' && p[1] == '*') {
            p += 2;
            while (p + 1 < end && !(p[0] == '*' && p[1] == '/'))
                ++p;
            p = std::min(end, p + 2);
        } else {
            return true;
        }
    }
    return false;
}

// Ends the transaction the script runs in: refused, the step is one transaction.
bool endsTransaction(const char* p, const char* end)
{
    const QStringList w = leadingWords(p, end, 3);
    if (w.isEmpty())
        return false;
    if (w.first() == QLatin1String("BEGIN") || w.first() == QLatin1String("COMMIT") ||
        w.first() == QLatin1String("END"))
        return true;
    if (w.first() == QLatin1String("ROLLBACK")) {
        const bool toSavepoint = w.value(1) == QLatin1String("TO") ||
                                 (w.value(1) == QLatin1String("TRANSACTION") && w.value(2) == QLatin1String("TO"));
        return !toSavepoint;
    }
    return false;
}

QString excerpt(const char* p, const char* end)
{
    QString text = QString::fromUtf8(p, int(end - p)).simplified();
    if (text.endsWith(QLatin1Char(';')))
        text.chop(1);
    if (text.size() > 80)
        text = text.left(77) + QStringLiteral("...");
    return text;
}

bool bind(SqliteStatement& stmt, const SqliteScript::Parameters& parameters, QString* error)
{
    for (int i = 1; i <= stmt.parameterCount(); ++i) {
        const QString name = stmt.parameterName(i);
        if (name.isEmpty()) {
            *error = QStringLiteral("uses a positional parameter (?); use a named one such as :environment");
            return false;
        }
        if (!parameters.contains(name)) {
            QStringList known = parameters.keys();
            *error = QStringLiteral("uses the parameter %1, which is not given (known: %2)")
                         .arg(name, known.join(QStringLiteral(", ")));
            return false;
        }
        if (!stmt.bind(i, parameters.value(name))) {
            *error = QStringLiteral("cannot bind %1: %2").arg(name, stmt.errorMessage());
            return false;
        }
    }
    return true;
}

} // namespace

QStringList SqliteScript::split(const QByteArray& sql)
{
    // sqlite3_complete() is the tokenizer of SQLite's parser: a statement ends at the
    // first ';' after which the text so far is complete (strings, comments and
    // trigger bodies included).
    QStringList statements;
    const char* data = sql.constData();
    const char* end = data + sql.size();
    const char* start = data;
    QByteArray buffer;
    for (const char* p = data; p < end; ++p) {
        if (*p != ';')
            continue;
        buffer = QByteArray(start, int(p + 1 - start));
        if (sqlite3_complete(buffer.constData())) {
            if (hasStatement(start, p + 1))
                statements << QString::fromUtf8(buffer).trimmed();
            start = p + 1;
        }
    }
    if (hasStatement(start, end))
        statements << QString::fromUtf8(start, int(end - start)).trimmed();
    return statements;
}

bool SqliteScript::run(sqlite3* db, const QByteArray& sql, const Parameters& parameters, const Progress& progress,
                       qint64* statements, QString* error, const QList<PolicyStatement>& beforeCommit)
{
    const qint64 total = split(sql).size();
    *statements = 0;
    QString e;
    if (!SqliteStatement::exec(db, QStringLiteral("BEGIN IMMEDIATE"), &e)) {
        *error = QStringLiteral("cannot begin the transaction: %1").arg(e);
        return false;
    }
    auto rollback = [&](const QString& why) {
        SqliteStatement::exec(db, QStringLiteral("ROLLBACK"), nullptr);
        *error = why + QStringLiteral("; the step's transaction was rolled back, nothing of it was kept");
        return false;
    };

    const QByteArray text = sql; // keeps the bytes alive and NUL-terminated
    const char* tail = text.constData();
    const char* end = tail + text.size();
    qint64 n = 0;
    while (tail < end) {
        const char* next = nullptr;
        SqliteStatement stmt(db, tail, end, &next);
        const QString where = QStringLiteral("statement %1 (%2)").arg(n + 1).arg(excerpt(tail, next ? next : end));
        if (!stmt.isValid() && !stmt.isEmpty())
            return rollback(QStringLiteral("%1: %2").arg(where, stmt.errorMessage()));
        if (stmt.isEmpty()) { // white space or a comment
            tail = next;
            continue;
        }
        ++n;
        if (endsTransaction(tail, next))
            return rollback(QStringLiteral("%1: a step runs in one transaction; the script must not begin, commit or "
                                           "roll back one itself")
                                .arg(where));
        QString bindError;
        if (!bind(stmt, parameters, &bindError))
            return rollback(QStringLiteral("%1 %2").arg(where, bindError));
        if (!stmt.run())
            return rollback(QStringLiteral("%1: %2").arg(where, stmt.errorMessage()));
        if (sqlite3_get_autocommit(db)) {
            *error = QStringLiteral("%1 ended the step's transaction").arg(where);
            return false;
        }
        *statements = n;
        if (progress)
            progress(n, std::max(total, n));
        tail = next;
    }
    for (const PolicyStatement& s : beforeCommit) {
        SqliteStatement stmt(db, s);
        if (!stmt.isValid() || !stmt.run())
            return rollback(QStringLiteral("cannot mark the step done: %1").arg(stmt.errorMessage()));
    }
    if (!SqliteStatement::exec(db, QStringLiteral("COMMIT"), &e))
        return rollback(QStringLiteral("cannot commit: %1").arg(e));
    return true;
}

bool SqliteScript::check(sqlite3* db, const QByteArray& sql, const Parameters& parameters, QVariant* value,
                         QString* error)
{
    const QByteArray text = sql;
    const char* begin = text.constData();
    const char* end = begin + text.size();
    const char* next = nullptr;
    SqliteStatement stmt(db, begin, end, &next);
    if (stmt.isEmpty()) {
        *error = QStringLiteral("the check file holds no query");
        return false;
    }
    if (!stmt.isValid()) {
        *error = QStringLiteral("the check query is invalid: %1").arg(stmt.errorMessage());
        return false;
    }
    if (hasStatement(next, end)) {
        *error = QStringLiteral("a check file holds one query; this one holds more");
        return false;
    }
    if (!stmt.isReadOnly() || leadingWords(begin, next, 1).value(0) == QLatin1String("BEGIN")) {
        *error = QStringLiteral("a check query must only read");
        return false;
    }
    if (stmt.columnCount() < 1) {
        *error = QStringLiteral("the check query returns no column");
        return false;
    }
    QString bindError;
    if (!bind(stmt, parameters, &bindError)) {
        *error = QStringLiteral("the check query %1").arg(bindError);
        return false;
    }
    const int rc = stmt.step();
    *value = QVariant();
    if (rc == SQLITE_ROW) {
        *value = stmt.value(0);
    } else if (rc != SQLITE_DONE) {
        *error = QStringLiteral("the check query failed: %1").arg(stmt.errorMessage());
        return false;
    }
    return true;
}
