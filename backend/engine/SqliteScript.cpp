#include "engine/SqliteScript.h"

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

bool bind(sqlite3_stmt* stmt, const SqliteScript::Parameters& parameters, QString* error)
{
    const int count = sqlite3_bind_parameter_count(stmt);
    for (int i = 1; i <= count; ++i) {
        const char* raw = sqlite3_bind_parameter_name(stmt, i);
        if (!raw) {
            *error = QStringLiteral("uses a positional parameter (?); use a named one such as :environment");
            return false;
        }
        const QString name = QString::fromUtf8(raw);
        if (!parameters.contains(name)) {
            QStringList known = parameters.keys();
            *error = QStringLiteral("uses the parameter %1, which is not given (known: %2)")
                         .arg(name, known.join(QStringLiteral(", ")));
            return false;
        }
        const QVariant v = parameters.value(name);
        int rc = SQLITE_OK;
        if (v.isNull()) {
            rc = sqlite3_bind_null(stmt, i);
        } else if (v.typeId() == QMetaType::Int || v.typeId() == QMetaType::LongLong || v.typeId() == QMetaType::Bool) {
            rc = sqlite3_bind_int64(stmt, i, v.toLongLong());
        } else if (v.typeId() == QMetaType::Double) {
            rc = sqlite3_bind_double(stmt, i, v.toDouble());
        } else {
            const QByteArray utf8 = v.toString().toUtf8();
            rc = sqlite3_bind_text(stmt, i, utf8.constData(), int(utf8.size()), SQLITE_TRANSIENT);
        }
        if (rc != SQLITE_OK) {
            *error = QStringLiteral("cannot bind %1: %2").arg(name, QString::fromUtf8(sqlite3_errstr(rc)));
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
                       qint64* statements, QString* error)
{
    const qint64 total = split(sql).size();
    *statements = 0;
    char* message = nullptr;
    if (sqlite3_exec(db, "BEGIN IMMEDIATE", nullptr, nullptr, &message) != SQLITE_OK) {
        *error = QStringLiteral("cannot begin the transaction: %1").arg(QString::fromUtf8(message));
        sqlite3_free(message);
        return false;
    }
    auto rollback = [&](const QString& why) {
        sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
        *error = why + QStringLiteral("; the step's transaction was rolled back, nothing of it was kept");
        return false;
    };

    const QByteArray text = sql; // keeps the bytes alive and NUL-terminated
    const char* tail = text.constData();
    const char* end = tail + text.size();
    qint64 n = 0;
    while (tail < end) {
        sqlite3_stmt* stmt = nullptr;
        const char* next = nullptr;
        const int rc = sqlite3_prepare_v2(db, tail, int(end - tail), &stmt, &next);
        const QString where = QStringLiteral("statement %1 (%2)").arg(n + 1).arg(excerpt(tail, next ? next : end));
        if (rc != SQLITE_OK) {
            const QString why = QString::fromUtf8(sqlite3_errmsg(db));
            sqlite3_finalize(stmt);
            return rollback(QStringLiteral("%1: %2").arg(where, why));
        }
        if (!stmt) { // white space or a comment
            tail = next;
            continue;
        }
        ++n;
        if (endsTransaction(tail, next)) {
            sqlite3_finalize(stmt);
            return rollback(QStringLiteral("%1: a step runs in one transaction; the script must not begin, commit or "
                                           "roll back one itself")
                                .arg(where));
        }
        QString bindError;
        if (!bind(stmt, parameters, &bindError)) {
            sqlite3_finalize(stmt);
            return rollback(QStringLiteral("%1 %2").arg(where, bindError));
        }
        int step = SQLITE_ROW;
        while (step == SQLITE_ROW)
            step = sqlite3_step(stmt);
        if (step != SQLITE_DONE) {
            const QString why = QString::fromUtf8(sqlite3_errmsg(db));
            sqlite3_finalize(stmt);
            return rollback(QStringLiteral("%1: %2").arg(where, why));
        }
        sqlite3_finalize(stmt);
        if (sqlite3_get_autocommit(db)) {
            *error = QStringLiteral("%1 ended the step's transaction").arg(where);
            return false;
        }
        *statements = n;
        if (progress)
            progress(n, std::max(total, n));
        tail = next;
    }
    if (sqlite3_exec(db, "COMMIT", nullptr, nullptr, &message) != SQLITE_OK) {
        const QString why = QString::fromUtf8(message);
        sqlite3_free(message);
        return rollback(QStringLiteral("cannot commit: %1").arg(why));
    }
    return true;
}

bool SqliteScript::check(sqlite3* db, const QByteArray& sql, const Parameters& parameters, QVariant* value,
                         QString* error)
{
    const QByteArray text = sql;
    const char* begin = text.constData();
    const char* end = begin + text.size();
    sqlite3_stmt* stmt = nullptr;
    const char* next = nullptr;
    if (sqlite3_prepare_v2(db, begin, int(end - begin), &stmt, &next) != SQLITE_OK) {
        *error = QStringLiteral("the check query is invalid: %1").arg(QString::fromUtf8(sqlite3_errmsg(db)));
        sqlite3_finalize(stmt);
        return false;
    }
    if (!stmt) {
        *error = QStringLiteral("the check file holds no query");
        return false;
    }
    auto fail = [&](const QString& why) {
        sqlite3_finalize(stmt);
        *error = why;
        return false;
    };
    if (hasStatement(next, end))
        return fail(QStringLiteral("a check file holds one query; this one holds more"));
    if (!sqlite3_stmt_readonly(stmt) || leadingWords(begin, next, 1).value(0) == QLatin1String("BEGIN"))
        return fail(QStringLiteral("a check query must only read"));
    if (sqlite3_column_count(stmt) < 1)
        return fail(QStringLiteral("the check query returns no column"));
    QString bindError;
    if (!bind(stmt, parameters, &bindError))
        return fail(QStringLiteral("the check query %1").arg(bindError));
    const int rc = sqlite3_step(stmt);
    *value = QVariant();
    if (rc == SQLITE_ROW) {
        switch (sqlite3_column_type(stmt, 0)) {
        case SQLITE_INTEGER:
            *value = QVariant(qint64(sqlite3_column_int64(stmt, 0)));
            break;
        case SQLITE_FLOAT:
            *value = sqlite3_column_double(stmt, 0);
            break;
        case SQLITE_TEXT:
            *value = QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0)));
            break;
        case SQLITE_BLOB:
            *value = QByteArray(static_cast<const char*>(sqlite3_column_blob(stmt, 0)), sqlite3_column_bytes(stmt, 0));
            break;
        default:
            break; // NULL
        }
    } else if (rc != SQLITE_DONE) {
        return fail(QStringLiteral("the check query failed: %1").arg(QString::fromUtf8(sqlite3_errmsg(db))));
    }
    sqlite3_finalize(stmt);
    return true;
}
