#include "engine/PostgresScript.h"

#include "engine/PostgresConnection.h"

#include <libpq-fe.h>

#include <vector>

namespace {

bool isSpace(QChar c)
{
    return c == QLatin1Char(' ') || c == QLatin1Char('\t') || c == QLatin1Char('\n') || c == QLatin1Char('\r') ||
           c == QLatin1Char('\f') || c == QLatin1Char('\v');
}

bool isIdentStart(QChar c)
{
    return c.isLetter() || c == QLatin1Char('_');
}

bool isIdentChar(QChar c)
{
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('$');
}

// Walks SQL text the way PostgreSQL's lexer does, for the few tokens that decide
// where a statement ends and where a parameter may stand: strings, quoted
// identifiers, dollar-quoted bodies and comments are skipped whole.
class Lexer
{
public:
    explicit Lexer(const QString& text)
        : m_text(text)
    {
    }

    // Skips the token at `i` if it is a string, identifier, dollar quote or comment;
    // returns the position after it, or `i` when it is none of those.
    qsizetype skipOpaque(qsizetype i) const
    {
        const qsizetype n = m_text.size();
        const QChar c = m_text.at(i);
        const QChar next = i + 1 < n ? m_text.at(i + 1) : QChar();
        if (c == QLatin1Char('-') && next == QLatin1Char('-')) {
            while (i < n && m_text.at(i) != QLatin1Char('\n'))
                ++i;
            return i;
        }
        if (c == QLatin1Char('/') && next == QLatin1Char('*')) {
            int depth = 0;
            while (i < n) {
                if (m_text.at(i) == QLatin1Char('/') && i + 1 < n && m_text.at(i + 1) == QLatin1Char('*')) {
                    ++depth;
                    i += 2;
                } else if (m_text.at(i) == QLatin1Char('*') && i + 1 < n && m_text.at(i + 1) == QLatin1Char('/')) {
                    i += 2;
                    if (--depth == 0)
                        return i;
                } else {
                    ++i;
                }
            }
            return n;
        }
        if (c == QLatin1Char('\'') || c == QLatin1Char('"')) {
            // E'...' takes backslash escapes; '' and "" are the quote itself.
            const bool escapes = c == QLatin1Char('\'') && i > 0 &&
                                 (m_text.at(i - 1) == QLatin1Char('E') || m_text.at(i - 1) == QLatin1Char('e')) &&
                                 (i < 2 || !isIdentChar(m_text.at(i - 2)));
            ++i;
            while (i < n) {
                const QChar d = m_text.at(i);
                if (escapes && d == QLatin1Char('\\')) {
                    i += 2;
                    continue;
                }
                if (d == c) {
                    if (i + 1 < n && m_text.at(i + 1) == c) {
                        i += 2;
                        continue;
                    }
                    return i + 1;
                }
                ++i;
            }
            return n;
        }
        if (c == QLatin1Char('$') && (i == 0 || !isIdentChar(m_text.at(i - 1)))) {
            // $tag$ ... $tag$, the tag empty or an identifier not starting with a digit.
            qsizetype j = i + 1;
            if (j < n && isIdentStart(m_text.at(j))) {
                while (j < n && (m_text.at(j).isLetterOrNumber() || m_text.at(j) == QLatin1Char('_')))
                    ++j;
            }
            if (j < n && m_text.at(j) == QLatin1Char('$')) {
                const QString tag = m_text.mid(i, j - i + 1);
                const qsizetype close = m_text.indexOf(tag, j + 1);
                return close < 0 ? n : close + tag.size();
            }
        }
        return i;
    }

private:
    const QString& m_text;
};

QString excerpt(const QString& statement)
{
    QString text = statement.simplified();
    if (text.size() > 80)
        text = text.left(77) + QStringLiteral("...");
    return text;
}

// The first `count` words of `statement`, upper-cased, after white space and comments.
QStringList leadingWords(const QString& statement, int count)
{
    Lexer lexer(statement);
    QStringList words;
    qsizetype i = 0;
    const qsizetype n = statement.size();
    while (i < n && words.size() < count) {
        if (isSpace(statement.at(i))) {
            ++i;
            continue;
        }
        const qsizetype after = lexer.skipOpaque(i);
        if (after != i) {
            if (statement.at(i) != QLatin1Char('-') && statement.at(i) != QLatin1Char('/'))
                break; // a string or identifier: no more keywords
            i = after;
            continue;
        }
        if (!isIdentStart(statement.at(i)))
            break;
        const qsizetype start = i;
        while (i < n && isIdentChar(statement.at(i)))
            ++i;
        words << statement.mid(start, i - start).toUpper();
    }
    return words;
}

} // namespace

QStringList PostgresScript::split(const QByteArray& sql)
{
    const QString text = QString::fromUtf8(sql);
    Lexer lexer(text);
    QStringList statements;
    qsizetype start = 0;
    qsizetype i = 0;
    const qsizetype n = text.size();
    auto flush = [&](qsizetype end) {
        const QString statement = text.mid(start, end - start);
        start = end + 1;
        // White space and comments alone are not a statement.
        Lexer inner(statement);
        qsizetype k = 0;
        while (k < statement.size()) {
            const QChar c = statement.at(k);
            if (isSpace(c)) {
                ++k;
                continue;
            }
            const qsizetype after = inner.skipOpaque(k);
            if (after == k || (c != QLatin1Char('-') && c != QLatin1Char('/'))) {
                statements << statement.trimmed();
                return;
            }
            k = after;
        }
    };
    int depth = 0;
    while (i < n) {
        const qsizetype after = lexer.skipOpaque(i);
        if (after != i) {
            i = after;
            continue;
        }
        const QChar c = text.at(i);
        if (c == QLatin1Char('('))
            ++depth;
        else if (c == QLatin1Char(')') && depth > 0)
            --depth;
        else if (c == QLatin1Char(';') && depth == 0)
            flush(i);
        ++i;
    }
    flush(n);
    return statements;
}

bool PostgresScript::bind(const QString& statement, const Parameters& parameters, QString* bound,
                          QVariantList* values, QString* error)
{
    Lexer lexer(statement);
    QMap<QString, int> numbers;
    bound->clear();
    values->clear();
    qsizetype i = 0;
    const qsizetype n = statement.size();
    while (i < n) {
        const qsizetype after = lexer.skipOpaque(i);
        if (after != i) {
            bound->append(QStringView(statement).mid(i, after - i));
            i = after;
            continue;
        }
        const QChar c = statement.at(i);
        if (c == QLatin1Char(':') && i + 1 < n && statement.at(i + 1) == QLatin1Char(':')) {
            bound->append(QStringLiteral("::")); // a cast
            i += 2;
            continue;
        }
        if (c == QLatin1Char(':') && i + 1 < n && isIdentStart(statement.at(i + 1)) &&
            (i == 0 || !isIdentChar(statement.at(i - 1)))) {
            qsizetype j = i + 1;
            while (j < n && (statement.at(j).isLetterOrNumber() || statement.at(j) == QLatin1Char('_')))
                ++j;
            const QString name = statement.mid(i, j - i);
            if (!parameters.contains(name)) {
                *error = QStringLiteral("uses the parameter %1, which is not given (known: %2)")
                             .arg(name, parameters.keys().join(QStringLiteral(", ")));
                return false;
            }
            if (!numbers.contains(name)) {
                values->append(parameters.value(name));
                numbers.insert(name, int(values->size()));
            }
            bound->append(QLatin1Char('$') + QString::number(numbers.value(name)));
            i = j;
            continue;
        }
        bound->append(c);
        ++i;
    }
    return true;
}

bool PostgresScript::endsTransaction(const QString& statement)
{
    const QStringList w = leadingWords(statement, 2);
    if (w.isEmpty())
        return false;
    static const QStringList ends{QStringLiteral("BEGIN"),  QStringLiteral("START"),   QStringLiteral("COMMIT"),
                                  QStringLiteral("END"),    QStringLiteral("ABORT"),   QStringLiteral("ROLLBACK")};
    if (w.first() == QLatin1String("ROLLBACK") && w.value(1) == QLatin1String("TO"))
        return false; // to a savepoint: stays inside the step's transaction
    if (w.first() == QLatin1String("PREPARE") && w.value(1) == QLatin1String("TRANSACTION"))
        return true;
    return ends.contains(w.first());
}

namespace {

// One statement through the extended protocol (one command only), its result kept.
struct Executed
{
    PGresult* res = nullptr;
    ~Executed() { PQclear(res); }
    Executed() = default;
    Executed(const Executed&) = delete;
    Executed& operator=(const Executed&) = delete;
};

bool execOne(PostgresConnection& db, const QString& sql, const QVariantList& params, Executed& result,
             QString* error)
{
    const QByteArray text = sql.toUtf8();
    std::vector<QByteArray> data(size_t(params.size()));
    std::vector<const char*> pointers(size_t(params.size()), nullptr);
    for (int i = 0; i < params.size(); ++i) {
        bool isNull = false;
        data[size_t(i)] = PostgresConnection::textValue(params.at(i), &isNull);
        pointers[size_t(i)] = isNull ? nullptr : data[size_t(i)].constData();
    }
    result.res = PQexecParams(db.handle(), text.constData(), int(params.size()), nullptr,
                              params.isEmpty() ? nullptr : pointers.data(), nullptr, nullptr, 0);
    const ExecStatusType status = result.res ? PQresultStatus(result.res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return true;
    if (status == PGRES_COPY_IN || status == PGRES_COPY_OUT || status == PGRES_COPY_BOTH) {
        // A script has no data to stream: end the COPY the server began (it then fails
        // the transaction) and say what to write instead.
        if (status == PGRES_COPY_IN)
            PQputCopyEnd(db.handle(), "COPY FROM STDIN is not supported in a package step");
        while (PGresult* rest = PQgetResult(db.handle()))
            PQclear(rest);
        *error = QStringLiteral("COPY ... FROM STDIN and TO STDOUT cannot run in a package step (there is no data "
                                "stream); use INSERT ... VALUES or INSERT ... SELECT");
        return false;
    }
    const char* message = result.res ? PQresultErrorMessage(result.res) : nullptr;
    *error = message && *message ? QString::fromUtf8(message).trimmed() : db.lastError();
    return false;
}

bool inTransaction(PostgresConnection& db)
{
    return PQtransactionStatus(db.handle()) == PQTRANS_INTRANS;
}

} // namespace

bool PostgresScript::run(PostgresConnection& db, const QByteArray& sql, const Parameters& parameters,
                         const Progress& progress, qint64* statements, QString* error,
                         const QList<PolicyStatement>& beforeCommit)
{
    *statements = 0;
    const QStringList parts = split(sql);
    // Everything that can be refused is refused before the transaction begins.
    QList<QPair<QString, QVariantList>> prepared;
    for (int i = 0; i < parts.size(); ++i) {
        const QString where = QStringLiteral("statement %1 (%2)").arg(i + 1).arg(excerpt(parts.at(i)));
        if (endsTransaction(parts.at(i))) {
            *error = QStringLiteral("%1: a step runs in one transaction; the script must not begin, commit or roll "
                                    "back one itself; nothing was run")
                         .arg(where);
            return false;
        }
        QString bound;
        QVariantList values;
        QString e;
        if (!bind(parts.at(i), parameters, &bound, &values, &e)) {
            *error = QStringLiteral("%1 %2; nothing was run").arg(where, e);
            return false;
        }
        prepared.append({bound, values});
    }
    QString e;
    if (!db.exec(QStringLiteral("BEGIN"), &e)) {
        *error = QStringLiteral("cannot begin the transaction: %1").arg(e);
        return false;
    }
    auto rollback = [&](const QString& why) {
        QString ignored;
        db.exec(QStringLiteral("ROLLBACK"), &ignored);
        *error = why + QStringLiteral("; the step's transaction was rolled back, nothing of it was kept");
        return false;
    };
    const qint64 total = prepared.size();
    for (int i = 0; i < prepared.size(); ++i) {
        const QString where = QStringLiteral("statement %1 (%2)").arg(i + 1).arg(excerpt(parts.at(i)));
        Executed result;
        if (!execOne(db, prepared.at(i).first, prepared.at(i).second, result, &e))
            return rollback(QStringLiteral("%1: %2").arg(where, e));
        if (!inTransaction(db))
            return rollback(QStringLiteral("%1 ended the step's transaction").arg(where));
        *statements = i + 1;
        if (progress)
            progress(i + 1, total);
    }
    for (const PolicyStatement& s : beforeCommit) {
        Executed result;
        if (!execOne(db, s.sql, s.bindings, result, &e))
            return rollback(QStringLiteral("cannot mark the step done: %1").arg(e));
    }
    if (!db.exec(QStringLiteral("COMMIT"), &e))
        return rollback(QStringLiteral("cannot commit: %1").arg(e));
    return true;
}

bool PostgresScript::check(PostgresConnection& db, const QByteArray& sql, const Parameters& parameters,
                           QVariant* value, QString* error)
{
    const QStringList parts = split(sql);
    if (parts.isEmpty()) {
        *error = QStringLiteral("the check file holds no query");
        return false;
    }
    if (parts.size() > 1) {
        *error = QStringLiteral("a check file holds one query; this one holds %1").arg(parts.size());
        return false;
    }
    if (endsTransaction(parts.first())) {
        *error = QStringLiteral("a check query must only read");
        return false;
    }
    QString bound;
    QVariantList values;
    QString e;
    if (!bind(parts.first(), parameters, &bound, &values, &e)) {
        *error = QStringLiteral("the check query %1").arg(e);
        return false;
    }
    // The server itself keeps the check from writing.
    if (!db.exec(QStringLiteral("BEGIN READ ONLY"), &e)) {
        *error = QStringLiteral("cannot begin the check's transaction: %1").arg(e);
        return false;
    }
    Executed result;
    const bool ok = execOne(db, bound, values, result, &e);
    QString ignored;
    db.exec(QStringLiteral("ROLLBACK"), &ignored);
    if (!ok) {
        *error = e.contains(QLatin1String("read-only transaction"))
                     ? QStringLiteral("a check query must only read (%1)").arg(e)
                     : QStringLiteral("the check query failed: %1").arg(e);
        return false;
    }
    if (PQresultStatus(result.res) != PGRES_TUPLES_OK || PQnfields(result.res) < 1) {
        *error = QStringLiteral("the check query returns no column");
        return false;
    }
    *value = QVariant();
    if (PQntuples(result.res) > 0 && !PQgetisnull(result.res, 0, 0)) {
        const QString text = QString::fromUtf8(PQgetvalue(result.res, 0, 0));
        // Booleans come as t/f: the check's truth, as 1 and 0.
        if (PQftype(result.res, 0) == 16)
            *value = QVariant(qint64(text == QLatin1String("t") ? 1 : 0));
        else
            *value = text;
    }
    return true;
}
