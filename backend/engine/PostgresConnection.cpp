#include "engine/PostgresConnection.h"

#include "engine/PostgresPasswords.h"

#include <libpq-fe.h>

#include <poll.h>

#include <vector>

namespace {

// Type oids of pg_type.h.
constexpr Oid BoolOid = 16;
constexpr Oid ByteaOid = 17;
constexpr Oid Int8Oid = 20;
constexpr Oid Int2Oid = 21;
constexpr Oid Int4Oid = 23;
constexpr Oid OidOid = 26;
constexpr Oid Float4Oid = 700;
constexpr Oid Float8Oid = 701;

QString trimmed(const char* message)
{
    return QString::fromUtf8(message ? message : "").trimmed();
}

QVariant typedValue(const PGresult* res, int row, int column)
{
    if (PQgetisnull(res, row, column))
        return {};
    const char* v = PQgetvalue(res, row, column);
    switch (PQftype(res, column)) {
    case Int2Oid:
    case Int4Oid:
    case Int8Oid:
    case OidOid:
        return QVariant(qint64(QByteArray(v).toLongLong()));
    case Float4Oid:
    case Float8Oid:
        return QVariant(QByteArray(v).toDouble());
    case BoolOid:
        return QVariant(v[0] == 't');
    case ByteaOid: {
        size_t length = 0;
        unsigned char* bytes = PQunescapeBytea(reinterpret_cast<const unsigned char*>(v), &length);
        QByteArray data(reinterpret_cast<const char*>(bytes), qsizetype(length));
        PQfreemem(bytes);
        return QVariant(data);
    }
    default:
        return QVariant(QString::fromUtf8(v, PQgetlength(res, row, column)));
    }
}

} // namespace

struct PostgresConnection::Result
{
    PGresult* res = nullptr;
    ~Result() { PQclear(res); }
};

PostgresConnection::~PostgresConnection()
{
    close();
}

bool PostgresConnection::open(const DatabaseRef& ref, QString* error)
{
    return openConninfo(ref.postgresConninfo(), error);
}

bool PostgresConnection::openMaintenance(const DatabaseRef& ref, QString* error)
{
    QString first;
    for (const char* name : {"postgres", "template1"}) {
        DatabaseRef server = ref;
        server.name = QLatin1String(name);
        QString e;
        if (openConninfo(server.postgresConninfo(), &e))
            return true;
        if (first.isEmpty())
            first = e;
    }
    if (error)
        *error = first;
    return false;
}

bool PostgresConnection::openConninfo(const QString& conninfo, QString* error)
{
    close();
    QString info = conninfo;
    if (!info.contains(QLatin1String("connect_timeout")))
        info += QStringLiteral(" connect_timeout=10");
    // A server that vanishes without closing the connection (a network partition)
    // must fail the operation within about a minute, not hang it forever.
    if (!info.contains(QLatin1String("keepalives")))
        info += QStringLiteral(" keepalives=1 keepalives_idle=30 keepalives_interval=10 keepalives_count=3");
    // A password this process was given for the server and login (a team catalog's
    // credential): a keyword of its own, never part of a string that could be logged.
    const QByteArray password = PostgresPasswords::forConninfo(info).toUtf8();
    if (password.isEmpty()) {
        m_conn = PQconnectdb(info.toUtf8().constData());
    } else {
        const QByteArray dbname = info.toUtf8();
        const char* keywords[] = {"dbname", "password", nullptr};
        const char* values[] = {dbname.constData(), password.constData(), nullptr};
        m_conn = PQconnectdbParams(keywords, values, 1);
    }
    if (!m_conn || PQstatus(m_conn) != CONNECTION_OK) {
        if (error)
            *error = m_conn ? trimmed(PQerrorMessage(m_conn)) : QStringLiteral("out of memory");
        close();
        return false;
    }
    PQsetClientEncoding(m_conn, "UTF8");
    // Notices (e.g. "drop database ... does not exist, skipping") are not errors.
    PQsetNoticeProcessor(
        m_conn, [](void*, const char*) {}, nullptr);
    return true;
}

void PostgresConnection::close()
{
    if (m_conn) {
        PQfinish(m_conn);
        m_conn = nullptr;
    }
}

QByteArray PostgresConnection::textValue(const QVariant& value, bool* isNull)
{
    *isNull = value.isNull() || !value.isValid();
    if (*isNull)
        return {};
    switch (value.typeId()) {
    case QMetaType::Bool:
        // '1'/'0' are valid input for integer and boolean columns alike.
        return value.toBool() ? QByteArrayLiteral("1") : QByteArrayLiteral("0");
    case QMetaType::Int:
    case QMetaType::UInt:
    case QMetaType::LongLong:
    case QMetaType::ULongLong:
        return QByteArray::number(value.toLongLong());
    case QMetaType::Double:
        return QByteArray::number(value.toDouble(), 'g', 17);
    case QMetaType::QByteArray: {
        // bytea's hex input format.
        return QByteArrayLiteral("\\x") + value.toByteArray().toHex();
    }
    default:
        return value.toString().toUtf8();
    }
}

bool PostgresConnection::run(const QString& sql, const QVariantList& params, Result& result, QString* error)
{
    if (!m_conn) {
        if (error)
            *error = QStringLiteral("not connected");
        return false;
    }
    const QByteArray text = sql.toUtf8();
    std::vector<QByteArray> values(size_t(params.size()));
    std::vector<const char*> pointers(size_t(params.size()), nullptr);
    for (int i = 0; i < params.size(); ++i) {
        bool isNull = false;
        values[size_t(i)] = textValue(params.at(i), &isNull);
        pointers[size_t(i)] = isNull ? nullptr : values[size_t(i)].constData();
    }
    bool cancelled = false;
    if (m_cancelCheck)
        result.res = runCancellable(text, int(params.size()), pointers.data(), &cancelled);
    else if (params.isEmpty())
        result.res = PQexec(m_conn, text.constData());
    else
        result.res = PQexecParams(m_conn, text.constData(), int(params.size()), nullptr, pointers.data(), nullptr,
                                  nullptr, 0);
    const ExecStatusType status = result.res ? PQresultStatus(result.res) : PGRES_FATAL_ERROR;
    if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
        return true;
    if (cancelled) {
        if (error)
            *error = QStringLiteral("cancelled");
        return false;
    }
    if (error)
        *error = result.res && *PQresultErrorMessage(result.res) ? trimmed(PQresultErrorMessage(result.res))
                                                                 : lastError();
    return false;
}

PGresult* PostgresConnection::runCancellable(const QByteArray& text, int count, const char* const* values,
                                             bool* cancelled)
{
    const int sent = count == 0 ? PQsendQuery(m_conn, text.constData())
                                : PQsendQueryParams(m_conn, text.constData(), count, nullptr, values, nullptr,
                                                    nullptr, 0);
    if (!sent)
        return nullptr;
    while (PQisBusy(m_conn)) {
        pollfd fd{PQsocket(m_conn), POLLIN, 0};
        ::poll(&fd, 1, 100);
        if (!PQconsumeInput(m_conn))
            break;
        if (!*cancelled && PQisBusy(m_conn) && m_cancelCheck()) {
            *cancelled = true;
            if (PGcancel* c = PQgetCancel(m_conn)) {
                char buffer[256];
                PQcancel(c, buffer, int(sizeof buffer));
                PQfreeCancel(c);
            }
        }
    }
    // Like PQexec: the last result, or the first error (nothing runs after an error).
    PGresult* last = nullptr;
    while (PGresult* r = PQgetResult(m_conn)) {
        const ExecStatusType s = PQresultStatus(r);
        if (last && PQresultStatus(last) == PGRES_FATAL_ERROR) {
            PQclear(r);
            continue;
        }
        PQclear(last);
        last = r;
        if (s == PGRES_COPY_IN || s == PGRES_COPY_OUT)
            break; // not for COPY: the callers stream those themselves
    }
    return last;
}

bool PostgresConnection::exec(const QString& sql, QString* error, const QVariantList& params)
{
    Result r;
    return run(sql, params, r, error);
}

qint64 PostgresConnection::execCount(const QString& sql, QString* error, const QVariantList& params)
{
    Result r;
    if (!run(sql, params, r, error))
        return -1;
    return QByteArray(PQcmdTuples(r.res)).toLongLong();
}

bool PostgresConnection::query(const QString& sql, QList<Row>* rows, QString* error, const QVariantList& params)
{
    Result r;
    if (!run(sql, params, r, error))
        return false;
    if (rows) {
        rows->clear();
        const int n = PQntuples(r.res);
        const int columns = PQnfields(r.res);
        rows->reserve(n);
        for (int i = 0; i < n; ++i) {
            Row row;
            row.reserve(columns);
            for (int c = 0; c < columns; ++c)
                row << typedValue(r.res, i, c);
            rows->append(row);
        }
    }
    return true;
}

QVariant PostgresConnection::scalar(const QString& sql, QString* error, const QVariantList& params)
{
    QList<Row> rows;
    if (!query(sql, &rows, error, params))
        return {};
    if (rows.isEmpty() || rows.first().isEmpty() || rows.first().first().isNull())
        return QVariant(QString());
    return rows.first().first();
}

QString PostgresConnection::lastError() const
{
    return m_conn ? trimmed(PQerrorMessage(m_conn)) : QStringLiteral("not connected");
}

bool PostgresConnection::isHealthy() const
{
    return m_conn && PQstatus(m_conn) == CONNECTION_OK;
}

QString PostgresConnection::quote(const QString& identifier)
{
    QString q = identifier;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}

QString PostgresConnection::literal(const QString& text)
{
    QString q = text;
    q.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}
