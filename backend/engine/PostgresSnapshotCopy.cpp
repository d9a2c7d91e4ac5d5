#include "engine/PostgresSnapshotCopy.h"

#include "core/TestHooks.h"
#include "engine/PostgresConnection.h"
#include "engine/PostgresTools.h"

#include <QDir>
#include <QTemporaryDir>
#include <QThread>

#include <libpq-fe.h>

#include <atomic>
#include <mutex>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

namespace {

QString qualified(const QString& schema, const QString& table)
{
    return PostgresConnection::quote(schema) + QLatin1Char('.') + PostgresConnection::quote(table);
}

QString message(PGconn* conn, PGresult* res)
{
    const char* m = res ? PQresultErrorMessage(res) : nullptr;
    if (!m || !*m)
        m = PQerrorMessage(conn);
    return QString::fromUtf8(m).trimmed();
}

// `e`, with what to do when row-level security hid rows from the source's role, or
// when another session held a lock longer than the refresh waits.
QString explained(const QString& e)
{
    if (e.contains(QLatin1String("BYPASSRLS")) || e.contains(QLatin1String("DATAALM_PG_LOCK_TIMEOUT")))
        return e; // explained already
    if (e.contains(QLatin1String("row-level security")))
        return e + QStringLiteral(" (a refresh copies every row or none: connect to the source as a role that bypasses "
                                  "row-level security, with BYPASSRLS, or as a superuser)");
    if (e.contains(QLatin1String("lock timeout")) || e.contains(QLatin1String("could not obtain lock")))
        return e + QStringLiteral(" (another session holds a lock on a table of the source and kept it longer than "
                                  "the %1 s a refresh waits: end that session, or wait until it is done, and resume; "
                                  "DATAALM_PG_LOCK_TIMEOUT sets the wait in seconds)")
                       .arg(PostgresSnapshotCopy::lockTimeoutSeconds());
    return e;
}

QString lockTimeoutSetting()
{
    return QStringLiteral("SET lock_timeout = '%1s'").arg(PostgresSnapshotCopy::lockTimeoutSeconds());
}

// One piece of work: a whole table, or one range of its heap pages (a large table
// split across the workers). A split table's parts are copied without FREEZE, into the
// table pg_restore has just created, each in its own transaction.
} // namespace

struct PostgresSnapshotCopy::Part
{
    int table = 0;
    qint64 fromPage = -1; // -1: the whole table
    qint64 toPage = -1;   // -1: to the end (the last part takes whatever lies beyond the size read)
    qint64 units = 0;     // its share of the table's on-disk size: the progress units
    QString columns;      // a split table's stored columns, quoted and in order
    bool whole() const { return fromPage < 0; }
};

namespace {

using Part = PostgresSnapshotCopy::Part;

// What the workers share; everything else is per worker.
struct Shared
{
    QString snapshot;
    QList<QStringList> tables; // schema, table, key
    QList<Part> parts;         // largest first
    std::vector<int> partsLeft; // per table: parts not yet copied
    std::vector<qint64> partRows; // per table: rows copied by its parts so far
    std::atomic<int> next{0};
    std::atomic<qint64> bytes{0};
    std::atomic<qint64> units{0}; // progress: each table counts its on-disk size, reached when it is done
    std::atomic<qint64> rows{0};
    std::atomic<bool> stop{false};
    std::mutex mutex;
    QString error;
    QJsonObject copied;
    // Each worker's connections, to cancel a statement that waits (a lock) when the
    // copy stops: a worker blocked in the server never sees `stop` on its own.
    std::vector<PGcancel*> cancels;
    bool cancelsSent = false;

    void fail(const QString& e)
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (error.isEmpty())
            error = explained(e);
        stop = true;
    }
    void addCancel(PGconn* conn)
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (PGcancel* c = PQgetCancel(conn))
            cancels.push_back(c);
    }
    // Cancels whatever the workers' connections are running (once).
    void cancelAll()
    {
        std::lock_guard<std::mutex> lock(mutex);
        if (cancelsSent)
            return;
        cancelsSent = true;
        for (PGcancel* c : cancels) {
            char buffer[256];
            PQcancel(c, buffer, int(sizeof buffer));
        }
    }
    ~Shared()
    {
        for (PGcancel* c : cancels)
            PQfreeCancel(c);
    }
};

// Drains and frees every pending result of `conn`; the last error message, if any.
QString drain(PGconn* conn)
{
    QString error;
    while (PGresult* r = PQgetResult(conn)) {
        const ExecStatusType s = PQresultStatus(r);
        if (s == PGRES_COPY_IN) {
            PQputCopyEnd(conn, "abandoned");
        } else if (s == PGRES_COPY_OUT) {
            char* buffer = nullptr;
            while (PQgetCopyData(conn, &buffer, 0) > 0)
                PQfreemem(buffer);
        } else if (s != PGRES_COMMAND_OK && s != PGRES_TUPLES_OK) {
            error = message(conn, r);
        }
        PQclear(r);
        if (PQstatus(conn) != CONNECTION_OK)
            break;
    }
    return error;
}

// Streams one part of a table (a whole table, or a range of its pages) from `src` (in
// the snapshot's transaction) into `dst`.
bool copyTable(PGconn* src, PGconn* dst, const QStringList& table, const Part& part, Shared& shared, qint64* rows,
               QString* error)
{
    const qint64 size = part.units;
    qint64 counted = 0; // units added for this part so far (at most `size`)
    const QString name = qualified(table.at(0), table.at(1));
    const int delayMs = TestHooks::copyDelayMs();
    QString into;
    QString from;
    if (part.whole()) {
        // FREEZE needs the table emptied in the same transaction; the rows then arrive
        // already frozen and visible, with no later hint-bit or freeze rewrite.
        PGresult* t = PQexec(dst, QStringLiteral("BEGIN; TRUNCATE ONLY %1").arg(name).toUtf8().constData());
        if (PQresultStatus(t) != PGRES_COMMAND_OK) {
            *error = QStringLiteral("staging: %1").arg(message(dst, t));
            PQclear(t);
            return false;
        }
        PQclear(t);
        into = QStringLiteral("COPY %1 FROM STDIN (FORMAT binary, FREEZE)").arg(name);
        from = QStringLiteral("COPY %1 TO STDOUT (FORMAT binary)").arg(name);
    } else {
        // A range of heap pages: a TID range scan (PostgreSQL 14 and later) reads only them.
        PGresult* t = PQexec(dst, "BEGIN");
        PQclear(t);
        QString range = QStringLiteral("ctid >= '(%1,0)'::tid").arg(part.fromPage);
        if (part.toPage >= 0)
            range += QStringLiteral(" AND ctid < '(%1,0)'::tid").arg(part.toPage);
        into = QStringLiteral("COPY %1 (%2) FROM STDIN (FORMAT binary)").arg(name, part.columns);
        from = QStringLiteral("COPY (SELECT %1 FROM ONLY %2 WHERE %3) TO STDOUT (FORMAT binary)")
                   .arg(part.columns, name, range);
    }
    PGresult* r = PQexec(dst, into.toUtf8().constData());
    if (PQresultStatus(r) != PGRES_COPY_IN) {
        *error = QStringLiteral("staging: %1").arg(message(dst, r));
        PQclear(r);
        drain(dst);
        return false;
    }
    PQclear(r);
    r = PQexec(src, from.toUtf8().constData());
    if (PQresultStatus(r) != PGRES_COPY_OUT) {
        *error = QStringLiteral("source: %1").arg(message(src, r));
        PQclear(r);
        PQputCopyEnd(dst, "the source failed");
        drain(dst);
        drain(src);
        return false;
    }
    PQclear(r);

    qint64 sinceCheck = 0;
    QString failure;
    bool sourceDone = false;
    while (true) {
        char* buffer = nullptr;
        const int n = PQgetCopyData(src, &buffer, 0);
        if (n == -1) {
            sourceDone = true;
            break;
        }
        if (n < 0) {
            failure = QStringLiteral("source: %1").arg(message(src, nullptr));
            break;
        }
        const int put = PQputCopyData(dst, buffer, n);
        PQfreemem(buffer);
        if (put != 1) {
            failure = QStringLiteral("staging: %1").arg(message(dst, nullptr));
            break;
        }
        shared.bytes += n;
        ++shared.rows;
        if (counted < size) {
            const qint64 add = std::min<qint64>(n, size - counted);
            counted += add;
            shared.units += add;
        }
        sinceCheck += n;
        if (sinceCheck >= 256 * 1024) {
            sinceCheck = 0;
            if (shared.stop) {
                failure = QStringLiteral("stopped");
                break;
            }
            if (delayMs > 0)
                QThread::msleep(delayMs);
        }
    }
    if (sourceDone) {
        r = PQgetResult(src);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            failure = QStringLiteral("source: %1").arg(message(src, r));
        PQclear(r);
        drain(src);
    }
    if (!failure.isEmpty()) {
        PQputCopyEnd(dst, failure.toUtf8().constData());
        drain(dst);
        drain(src);
        *error = failure;
        return false;
    }
    if (PQputCopyEnd(dst, nullptr) != 1) {
        *error = QStringLiteral("staging: %1").arg(message(dst, nullptr));
        return false;
    }
    r = PQgetResult(dst);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        *error = QStringLiteral("staging: %1").arg(message(dst, r));
        PQclear(r);
        drain(dst);
        return false;
    }
    *rows = QByteArray(PQcmdTuples(r)).toLongLong();
    PQclear(r);
    drain(dst);
    r = PQexec(dst, "COMMIT");
    const bool committed = PQresultStatus(r) == PGRES_COMMAND_OK;
    if (!committed)
        *error = QStringLiteral("staging: %1").arg(message(dst, r));
    PQclear(r);
    if (committed)
        shared.units += size - counted;
    return committed;
}

void worker(const DatabaseRef& source, const DatabaseRef& staging, Shared& shared)
{
    PostgresConnection src;
    PostgresConnection dst;
    QString e;
    if (!src.open(source, &e))
        return shared.fail(QStringLiteral("source: %1").arg(e));
    // A server-wide idle_in_transaction_session_timeout must not end the snapshot's holders.
    src.exec(QStringLiteral("SET idle_in_transaction_session_timeout = 0"), nullptr);
    // A table locked by another session fails the copy after a while, with words, instead of a wait without end.
    if (!src.exec(lockTimeoutSetting(), &e))
        return shared.fail(QStringLiteral("source: %1").arg(e));
    // Every row or none, as pg_dump does: with row_security off, a table whose
    // row-level security would hide rows from this role fails the copy instead of
    // copying only what the role may see.
    if (!src.exec(QStringLiteral("SET row_security = off"), &e))
        return shared.fail(QStringLiteral("source: %1").arg(e));
    if (!src.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), &e) ||
        !src.exec(QStringLiteral("SET TRANSACTION SNAPSHOT ") + PostgresConnection::literal(shared.snapshot), &e))
        return shared.fail(QStringLiteral("source: cannot join the snapshot: %1").arg(e));
    if (!dst.open(staging, &e) || !dst.exec(QStringLiteral("SET synchronous_commit = off"), &e))
        return shared.fail(QStringLiteral("staging: %1").arg(e));
    shared.addCancel(src.handle());
    shared.addCancel(dst.handle());
    if (shared.stop)
        return;
    while (!shared.stop) {
        const int i = shared.next++;
        if (i >= shared.parts.size())
            break;
        const Part& part = shared.parts.at(i);
        const QStringList& t = shared.tables.at(part.table);
        qint64 rows = 0;
        if (!copyTable(src.handle(), dst.handle(), t, part, shared, &rows, &e)) {
            if (e != QLatin1String("stopped") && !shared.stop)
                shared.fail(QStringLiteral("copying table %1: %2").arg(t.at(2), e));
            return;
        }
        // A table is copied once its last part is.
        std::lock_guard<std::mutex> lock(shared.mutex);
        shared.partRows[size_t(part.table)] += rows;
        if (--shared.partsLeft[size_t(part.table)] == 0)
            shared.copied.insert(t.at(2), shared.partRows[size_t(part.table)]);
    }
    src.exec(QStringLiteral("COMMIT"), nullptr);
}

} // namespace

PostgresSnapshotCopy::PostgresSnapshotCopy(const DatabaseRef& source, const DatabaseRef& staging, int jobs,
                                           bool countSource)
    : m_source(source), m_staging(staging), m_jobs(std::max(1, jobs)), m_countSource(countSource)
{
}

int PostgresSnapshotCopy::lockTimeoutSeconds()
{
    const int n = qEnvironmentVariableIntValue("DATAALM_PG_LOCK_TIMEOUT");
    return n > 0 ? n : 60;
}

qint64 PostgresSnapshotCopy::splitBytes()
{
    bool ok = false;
    const qint64 mb = qEnvironmentVariable("DATAALM_PG_SPLIT_MB").toLongLong(&ok);
    return ok && mb >= 0 ? mb * 1024 * 1024 : -1;
}

QString PostgresSnapshotCopy::largeObjectsKey()
{
    return QStringLiteral("pg_largeobject");
}

QString PostgresSnapshotCopy::tablesQuery()
{
    return QStringLiteral(
        "SELECT n.nspname, c.relname, "
        "CASE WHEN pg_table_is_visible(c.oid) THEN c.relname::text ELSE n.nspname || '.' || c.relname END, "
        "pg_relation_size(c.oid) + COALESCE(pg_total_relation_size(NULLIF(c.reltoastrelid, 0)), 0), "
        "pg_relation_size(c.oid) / current_setting('block_size')::int, c.oid "
        "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE c.relkind = 'r' AND c.relpersistence <> 't' "
        "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg\\_%' "
        "AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid "
        "AND d.deptype = 'e') "
        "ORDER BY 4 DESC, 1, 2");
}

bool PostgresSnapshotCopy::createStaging(PostgresConnection& source, QString* error)
{
    return createDatabaseLike(source, m_staging, error);
}

bool PostgresSnapshotCopy::createDatabaseLike(PostgresConnection& like, const DatabaseRef& database, QString* error)
{
    QString e;
    QList<PostgresConnection::Row> rows;
    if (!like.query(QStringLiteral("SELECT pg_encoding_to_char(encoding), datcollate, datctype FROM pg_database "
                                   "WHERE datname = current_database()"),
                    &rows, &e) ||
        rows.isEmpty()) {
        *error = QStringLiteral("source: cannot read its encoding: %1").arg(e);
        return false;
    }
    QString sql = QStringLiteral("CREATE DATABASE %1 TEMPLATE template0 ENCODING %2 LC_COLLATE %3 LC_CTYPE %4")
                      .arg(PostgresConnection::quote(database.name),
                           PostgresConnection::literal(rows.first().at(0).toString()),
                           PostgresConnection::literal(rows.first().at(1).toString()),
                           PostgresConnection::literal(rows.first().at(2).toString()));
    // PostgreSQL 15 and 16 keep an ICU locale apart (a failure here: an older server, libc only).
    QList<PostgresConnection::Row> icu;
    if (like.query(QStringLiteral("SELECT datlocprovider::text, daticulocale FROM pg_database WHERE datname = "
                                  "current_database()"),
                   &icu, nullptr) &&
        !icu.isEmpty() && icu.first().at(0).toString() == QLatin1String("i"))
        sql += QStringLiteral(" LOCALE_PROVIDER icu ICU_LOCALE %1")
                   .arg(PostgresConnection::literal(icu.first().at(1).toString()));
    PostgresConnection server;
    if (!server.openMaintenance(database, &e)) {
        *error = QStringLiteral("the target's server: %1").arg(e);
        return false;
    }
    if (!server.exec(sql, &e)) {
        *error = QStringLiteral("cannot create the staging database %1: %2").arg(database.name, e);
        return false;
    }
    return true;
}

bool PostgresSnapshotCopy::run(const DatabaseEngine::Progress& progress, const DatabaseEngine::Cancelled& cancelled,
                               Result* result, QString* error)
{
    QString e;
    PostgresConnection coordinator;
    if (!coordinator.open(m_source, &e)) {
        *error = QStringLiteral("source: %1").arg(e);
        return false;
    }
    if (!createStaging(coordinator, error))
        return false;

    // From here on the staging database exists: every failure path drops it.
    const auto failed = [&](const QString& why) {
        *error = explained(why);
        coordinator.close();
        PostgresConnection server;
        QString ignored;
        if (server.openMaintenance(m_staging, &ignored))
            server.exec(QStringLiteral("DROP DATABASE IF EXISTS %1 WITH (FORCE)")
                            .arg(PostgresConnection::quote(m_staging.name)),
                        &ignored);
        return false;
    };

    // A cancel stops the coordinator's statements too, even one that waits for a lock.
    coordinator.setCancelCheck(cancelled);
    coordinator.exec(QStringLiteral("SET idle_in_transaction_session_timeout = 0"), nullptr);
    if (!coordinator.exec(lockTimeoutSetting(), &e))
        return failed(QStringLiteral("source: %1").arg(e));
    // It counts the source's rows for Verify: all of them, or it fails (see worker()).
    if (!coordinator.exec(QStringLiteral("SET row_security = off"), &e))
        return failed(QStringLiteral("source: %1").arg(e));
    if (!coordinator.exec(QStringLiteral("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"), &e))
        return failed(QStringLiteral("source: %1").arg(e));
    const QString snapshot = coordinator.scalar(QStringLiteral("SELECT pg_export_snapshot()"), &e).toString();
    if (snapshot.isEmpty())
        return failed(QStringLiteral("source: cannot export a snapshot: %1").arg(e));
    QList<PostgresConnection::Row> tableRows;
    if (!coordinator.query(tablesQuery(), &tableRows, &e))
        return failed(QStringLiteral("source: cannot list its tables: %1").arg(e));
    // Sequences are not transactional: their positions are read as close to the
    // snapshot as possible, as pg_dump itself does.
    QList<PostgresConnection::Row> sequenceRows;
    if (!coordinator.query(QStringLiteral("SELECT n.nspname, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid "
                                          "= c.relnamespace WHERE c.relkind = 'S' AND c.relpersistence <> 't' AND "
                                          "n.nspname NOT IN ('pg_catalog', 'information_schema') AND NOT EXISTS "
                                          "(SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND "
                                          "d.objid = c.oid AND d.deptype = 'e')"),
                           &sequenceRows, &e))
        return failed(QStringLiteral("source: cannot list its sequences: %1").arg(e));
    // Materialized views hold no copied rows: like pg_restore, refresh those that were populated.
    QList<PostgresConnection::Row> matviews;
    if (!coordinator.query(QStringLiteral("SELECT format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN "
                                          "pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'm' AND "
                                          "c.relispopulated AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                                          "ORDER BY c.oid"),
                           &matviews, &e))
        return failed(QStringLiteral("source: cannot list its materialized views: %1").arg(e));
    // Large objects live outside every table: pg_dump copies them (below); the
    // coordinator counts them in the snapshot for Verify.
    const QVariant largeObjects = coordinator.scalar(QStringLiteral("SELECT count(*) FROM pg_largeobject_metadata"), &e);
    if (!largeObjects.isValid())
        return failed(QStringLiteral("source: cannot count its large objects: %1").arg(e));
    QList<QVariantList> sequences;
    for (const auto& s : std::as_const(sequenceRows)) {
        const QString name = qualified(s.at(0).toString(), s.at(1).toString());
        QList<PostgresConnection::Row> v;
        if (!coordinator.query(QStringLiteral("SELECT last_value, is_called FROM %1").arg(name), &v, &e) ||
            v.isEmpty())
            return failed(QStringLiteral("source: cannot read the sequence %1: %2").arg(name, e));
        sequences << QVariantList{name, v.first().at(0), v.first().at(1)};
    }

    // The schema of that instant.
    QTemporaryDir dir(QDir::temp().filePath(QStringLiteral("dataalm-pg-XXXXXX")));
    if (!dir.isValid())
        return failed(QStringLiteral("cannot create a temporary folder for the schema: %1").arg(dir.errorString()));
    const QString dump = dir.filePath(QStringLiteral("schema.dump"));
    if (!PostgresTools::run(QStringLiteral("pg_dump"),
                            {QStringLiteral("--snapshot=") + snapshot,
                             // The schema and the large objects, no table's rows (the workers copy those).
                             QStringLiteral("--exclude-table-data=*.*"),
                             QStringLiteral("--lock-wait-timeout=%1s").arg(lockTimeoutSeconds()),
                             QStringLiteral("--format=custom"), QStringLiteral("--file=") + dump,
                             QStringLiteral("--dbname=") + m_source.postgresConninfo()},
                            &e, cancelled))
        return failed(e);
    if (!PostgresTools::run(QStringLiteral("pg_restore"),
                            {QStringLiteral("--section=pre-data"), QStringLiteral("--exit-on-error"),
                             QStringLiteral("--dbname=") + m_staging.postgresConninfo(), dump},
                            &e, cancelled))
        return failed(QStringLiteral("creating the schema in the staging database: %1").arg(e));
    // The large objects' contents (the data section holds nothing else: every table's rows were left out).
    if (largeObjects.toLongLong() > 0 &&
        !PostgresTools::run(QStringLiteral("pg_restore"),
                            {QStringLiteral("--section=data"), QStringLiteral("--exit-on-error"),
                             QStringLiteral("--dbname=") + m_staging.postgresConninfo(), dump},
                            &e, cancelled))
        return failed(QStringLiteral("copying the large objects into the staging database: %1").arg(e));

    QList<QStringList> tables;
    QList<Part> parts;
    const int serverVersion = PQserverVersion(coordinator.handle());
    const qint64 split = splitBytes();
    int splitTables = 0;
    for (const auto& t : std::as_const(tableRows)) {
        const int index = int(tables.size());
        tables << QStringList{t.at(0).toString(), t.at(1).toString(), t.at(2).toString()};
        const qint64 size = t.at(3).toLongLong();
        const qint64 pages = t.at(4).toLongLong();
        // A table larger than the split size is copied by several workers at once, each
        // a range of its heap pages (as pgcopydb --split-tables-larger-than), when the
        // server scans TID ranges (PostgreSQL 14): at most one part per worker.
        const qint64 wanted = split > 0 ? (size + split - 1) / split : qint64(m_jobs);
        const int count = int(std::min<qint64>({qint64(m_jobs), wanted, pages}));
        if (split < 0 || serverVersion < 140000 || count < 2 || size <= split) {
            Part whole;
            whole.table = index;
            whole.units = size;
            parts << whole;
            continue;
        }
        QList<PostgresConnection::Row> columns;
        if (!coordinator.query(QStringLiteral("SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM "
                                              "pg_attribute WHERE attrelid = $1::oid AND attnum > 0 AND NOT "
                                              "attisdropped AND attgenerated = ''"),
                               &columns, &e, {t.at(5)}) ||
            columns.isEmpty())
            return failed(QStringLiteral("source: cannot read the columns of %1: %2").arg(tables.last().at(2), e));
        if (columns.first().at(0).toString().isEmpty()) { // no stored column: copied whole
            Part whole;
            whole.table = index;
            whole.units = size;
            parts << whole;
            continue;
        }
        const qint64 step = pages / count;
        for (int k = 0; k < count; ++k) {
            Part p;
            p.table = index;
            p.fromPage = k * step;
            p.toPage = k + 1 < count ? (k + 1) * step : -1;
            p.units = k + 1 < count ? size / count : size - (count - 1) * (size / count);
            p.columns = columns.first().at(0).toString();
            parts << p;
        }
        ++splitTables;
        spdlog::info("copying table {} ({} MB, {} pages) in {} parts, by ranges of pages", t.at(2).toString().toStdString(),
                     size / (1024 * 1024), pages, count);
    }
    std::stable_sort(parts.begin(), parts.end(), [](const Part& a, const Part& b) { return a.units > b.units; });
    result->splitTables = splitTables;
    // The coordinator is idle while the workers copy: it counts the source's rows in
    // the snapshot meanwhile (its own thread; nothing else uses the connection until
    // the join).
    // From here the counter thread uses the coordinator: `cancelled` belongs to this
    // thread; the copy's own loop cancels the count (below).
    coordinator.setCancelCheck({});
    std::atomic<bool> stopCounting{false};
    QString countError;
    QJsonObject sourceRows;
    std::thread counter;
    if (m_countSource) {
        counter = std::thread([&] {
            for (const QStringList& t : std::as_const(tables)) {
                if (stopCounting)
                    return;
                QString ce;
                const QVariant n =
                    coordinator.scalar(QStringLiteral("SELECT count(*) FROM ONLY %1").arg(qualified(t.at(0), t.at(1))), &ce);
                if (!n.isValid()) {
                    // Not the cancel below: this count failed on its own.
                    if (!stopCounting)
                        countError =
                            QStringLiteral("source: cannot count the rows of %1 in the snapshot: %2").arg(t.at(2), ce);
                    return;
                }
                sourceRows.insert(t.at(2), n.toLongLong());
            }
        });
    }
    TestHooks::pausePoint("copy-before-tables");
    const bool copied = copyTables(snapshot, tables, parts, progress, cancelled, result, &e);
    if (counter.joinable()) {
        if (!copied) {
            // A failed or cancelled copy does not wait for the count in progress.
            stopCounting = true;
            if (PGcancel* cancel = PQgetCancel(coordinator.handle())) {
                char message[256];
                PQcancel(cancel, message, int(sizeof message));
                PQfreeCancel(cancel);
            }
        }
        counter.join();
    }
    // A count that failed first ended the coordinator's transaction and with it the
    // snapshot the workers were joining: its error is the cause.
    if (!countError.isEmpty())
        return failed(countError);
    if (!copied)
        return failed(e);
    if (largeObjects.toLongLong() > 0)
        sourceRows.insert(largeObjectsKey(), largeObjects.toLongLong());
    result->sourceRows = sourceRows;
    coordinator.exec(QStringLiteral("COMMIT"), nullptr);
    coordinator.close();

    PostgresConnection staging;
    if (!staging.open(m_staging, &e))
        return failed(QStringLiteral("staging: %1").arg(e));
    for (const QVariantList& s : std::as_const(sequences)) {
        if (!staging.exec(QStringLiteral("SELECT setval($1::regclass, $2, $3)"), &e,
                          {s.at(0), s.at(1), s.at(2).toBool() ? QStringLiteral("true") : QStringLiteral("false")}))
            return failed(QStringLiteral("setting the sequence %1: %2").arg(s.at(0).toString(), e));
    }
    staging.close();
    result->sequences = int(sequences.size());
    if (cancelled && cancelled())
        return failed(QStringLiteral("cancelled"));

    if (!PostgresTools::run(QStringLiteral("pg_restore"),
                            {QStringLiteral("--section=post-data"), QStringLiteral("--exit-on-error"),
                             QStringLiteral("--jobs=%1").arg(m_jobs),
                             QStringLiteral("--dbname=") + m_staging.postgresConninfo(), dump},
                            &e, cancelled))
        return failed(QStringLiteral("building indexes and constraints in the staging database: %1").arg(e));

    // A materialized view may read another: refresh in passes until none is left or none progresses.
    QStringList pending;
    for (const auto& m : std::as_const(matviews))
        pending << m.at(0).toString();
    if (!pending.isEmpty() && !staging.open(m_staging, &e))
        return failed(QStringLiteral("staging: %1").arg(e));
    while (!pending.isEmpty()) {
        QStringList failedNow;
        QString last;
        for (const QString& m : std::as_const(pending)) {
            if (!staging.exec(QStringLiteral("REFRESH MATERIALIZED VIEW ") + m, &last))
                failedNow << m;
        }
        if (failedNow.size() == pending.size())
            return failed(QStringLiteral("refreshing the materialized view %1: %2").arg(failedNow.first(), last));
        pending = failedNow;
    }
    return true;
}

bool PostgresSnapshotCopy::copyTables(const QString& snapshot, const QList<QStringList>& tables,
                                      const QList<Part>& parts, const DatabaseEngine::Progress& progress,
                                      const DatabaseEngine::Cancelled& cancelled, Result* result, QString* error)
{
    Shared shared;
    shared.snapshot = snapshot;
    shared.tables = tables;
    shared.parts = parts;
    shared.partsLeft.assign(size_t(tables.size()), 0);
    shared.partRows.assign(size_t(tables.size()), 0);
    qint64 total = 0;
    for (const Part& p : parts) {
        total += p.units;
        ++shared.partsLeft[size_t(p.table)];
    }
    total = std::max<qint64>(total, 1);
    const int jobs = std::max(1, std::min(m_jobs, int(parts.size())));
    std::vector<std::thread> threads;
    threads.reserve(size_t(jobs));
    for (int i = 0; i < jobs; ++i)
        threads.emplace_back([this, &shared] { worker(m_source, m_staging, shared); });

    // The calling thread reports and watches for a cancel until the workers are done.
    std::atomic<int> running{jobs};
    std::thread waiter([&] {
        for (auto& t : threads)
            t.join();
        running = 0;
    });
    bool wasCancelled = false;
    while (running > 0) {
        QThread::msleep(100);
        const qint64 units = shared.units;
        if (progress && running > 0)
            progress(std::min(units, total - 1), total, shared.bytes);
        if (!wasCancelled && cancelled && cancelled()) {
            wasCancelled = true;
            shared.stop = true;
        }
        // A worker that waits in the server (behind a lock) stops only when cancelled there.
        if (shared.stop)
            shared.cancelAll();
    }
    waiter.join();
    if (wasCancelled) {
        *error = QStringLiteral("cancelled");
        return false;
    }
    if (!shared.error.isEmpty()) {
        *error = shared.error;
        return false;
    }
    if (progress)
        progress(total, total, shared.bytes);
    result->rows = shared.copied;
    result->bytes = shared.bytes;
    result->totalRows = 0;
    for (auto it = shared.copied.begin(); it != shared.copied.end(); ++it)
        result->totalRows += it.value().toInteger();
    result->tables = int(tables.size());
    return true;
}
