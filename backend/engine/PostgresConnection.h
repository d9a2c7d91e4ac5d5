#pragma once

#include "environment/DatabaseRef.h"

#include <QList>
#include <QString>
#include <QVariant>

#include <functional>

struct pg_conn;
struct pg_result;

// An owned libpq connection for the engine's worker threads (QtSql's QPSQL driver
// cannot stream COPY). Connection strings come from DatabaseRef and never hold a
// password: libpq finds one in ~/.pgpass, PGPASSFILE or a service file.
//
// Promises:
// - Values are always sent as parameters ($1, $2...), never spliced into SQL.
// - Errors carry the server's own message (or libpq's, for a lost connection).
// - Closes on destruction. Not shared between threads.
class PostgresConnection
{
public:
    using Row = QList<QVariant>;

    PostgresConnection() = default;
    ~PostgresConnection();
    PostgresConnection(const PostgresConnection&) = delete;
    PostgresConnection& operator=(const PostgresConnection&) = delete;

    // Connects to the database `ref` names.
    bool open(const DatabaseRef& ref, QString* error);
    // Connects to a maintenance database of the server `ref` is on ("postgres", else
    // "template1"), to create, rename or drop databases.
    bool openMaintenance(const DatabaseRef& ref, QString* error);
    bool openConninfo(const QString& conninfo, QString* error);
    void close();
    bool isOpen() const { return m_conn != nullptr; }
    pg_conn* handle() const { return m_conn; }

    // Runs one statement (or several, without parameters); false with the server's message.
    bool exec(const QString& sql, QString* error, const QVariantList& params = {});
    // Runs a statement and returns the rows it affected (-1 on an error).
    qint64 execCount(const QString& sql, QString* error, const QVariantList& params = {});
    // Runs a query: rows of typed values (integers as qint64, floats as double, bool,
    // bytea as QByteArray, NULL as a null QVariant, everything else as QString).
    bool query(const QString& sql, QList<Row>* rows, QString* error, const QVariantList& params = {});
    // The first column of the first row; an invalid QVariant on an error, an empty
    // (valid) QString for NULL or no row.
    QVariant scalar(const QString& sql, QString* error, const QVariantList& params = {});

    // While set, a statement waits in the server in slices of 100 ms and asks `check`
    // between them; when it says yes, the statement is cancelled in the server
    // (PQcancel) and fails with "cancelled". Asked on the thread that runs the
    // statement: set it only while the connection is used on the thread `check` belongs to.
    void setCancelCheck(std::function<bool()> check) { m_cancelCheck = std::move(check); }

    QString lastError() const;
    // Whether the connection is still usable (false after the server went away).
    bool isHealthy() const;

    // "name" with embedded double quotes doubled.
    static QString quote(const QString& identifier);
    // 'text' with embedded quotes doubled, for the few statements that take no
    // parameters (SET TRANSACTION SNAPSHOT).
    static QString literal(const QString& text);
    // A parameter value as libpq's text format; null for SQL NULL.
    static QByteArray textValue(const QVariant& value, bool* isNull);

private:
    struct Result;
    bool run(const QString& sql, const QVariantList& params, Result& result, QString* error);

    // Sends the statement and waits for its last result, cancelling it when m_cancelCheck says so.
    pg_result* runCancellable(const QByteArray& text, int count, const char* const* values, bool* cancelled);

    pg_conn* m_conn = nullptr;
    std::function<bool()> m_cancelCheck;
};
