#include "engine/SqliteConnection.h"

#include "engine/SqliteStatement.h"
#include "policy/PolicyStatement.h"

#include <QFile>

#include <sqlite3.h>

SqliteConnection::~SqliteConnection()
{
    close();
}

bool SqliteConnection::open(const QString& path, Mode mode, QString* error)
{
    close();
    int flags = SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX;
    flags |= mode == ReadOnly ? SQLITE_OPEN_READONLY
                              : (SQLITE_OPEN_READWRITE | (mode == Create ? SQLITE_OPEN_CREATE : 0));
    if (mode != Create && !QFile::exists(path)) {
        *error = QStringLiteral("the database file %1 does not exist").arg(path);
        return false;
    }
    const QByteArray name = QFile::encodeName(path);
    const int rc = sqlite3_open_v2(name.constData(), &m_db, flags, nullptr);
    if (rc != SQLITE_OK) {
        *error = QStringLiteral("cannot open %1: %2").arg(path, QString::fromUtf8(sqlite3_errstr(rc)));
        close();
        return false;
    }
    sqlite3_busy_timeout(m_db, 10000);
    sqlite3_extended_result_codes(m_db, 1);
    // Touch the schema so a file that is not a database fails here, not later.
    QString e;
    if (!scalar(QStringLiteral("SELECT count(*) FROM sqlite_schema"), &e).isValid()) {
        *error = QStringLiteral("cannot read %1: %2").arg(path, e);
        close();
        return false;
    }
    return true;
}

void SqliteConnection::close()
{
    if (m_db) {
        sqlite3_close_v2(m_db);
        m_db = nullptr;
    }
}

bool SqliteConnection::close(QString* error)
{
    if (!m_db)
        return true;
    if (sqlite3_close(m_db) != SQLITE_OK) {
        *error = QString::fromUtf8(sqlite3_errmsg(m_db));
        return false;
    }
    m_db = nullptr;
    return true;
}

bool SqliteConnection::exec(const QString& sql, QString* error)
{
    char* msg = nullptr;
    const int rc = sqlite3_exec(m_db, sql.toUtf8().constData(), nullptr, nullptr, &msg);
    if (rc != SQLITE_OK) {
        if (error)
            *error = msg ? QString::fromUtf8(msg) : QString::fromUtf8(sqlite3_errstr(rc));
        sqlite3_free(msg);
        return false;
    }
    return true;
}

QVariant SqliteConnection::scalar(const QString& sql, QString* error, const QVariantList& binds)
{
    if (!m_db) {
        if (error)
            *error = lastError();
        return {};
    }
    // Through the one statement wrapper. NULL and "no row" come back as an empty (valid)
    // QString, so that "no value" is distinguishable from an error.
    SqliteStatement statement(m_db, PolicyStatement{sql, binds});
    if (!statement.isValid()) {
        if (error)
            *error = statement.errorMessage();
        return {};
    }
    const int rc = statement.step();
    if (rc == SQLITE_ROW) {
        const QVariant value = statement.value(0);
        if (value.isNull())
            return QVariant(QString());
        if (value.typeId() == QMetaType::QByteArray)
            return QString::fromUtf8(value.toByteArray());
        return value;
    }
    if (rc == SQLITE_DONE)
        return QVariant(QString());
    if (error)
        *error = statement.errorMessage();
    return {};
}

QString SqliteConnection::lastError() const
{
    return m_db ? QString::fromUtf8(sqlite3_errmsg(m_db)) : QStringLiteral("not open");
}

QString SqliteConnection::quote(const QString& identifier)
{
    QString q = identifier;
    q.replace(QLatin1Char('"'), QLatin1String("\"\""));
    return QLatin1Char('"') + q + QLatin1Char('"');
}
