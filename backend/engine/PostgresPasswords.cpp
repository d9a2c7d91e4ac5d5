#include "engine/PostgresPasswords.h"

#include <QHash>
#include <QtGlobal>

#include <libpq-fe.h>
#include <pwd.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>
#include <QMutex>
#include <QMutexLocker>

namespace PostgresPasswords {

namespace {

QMutex& mutex()
{
    static QMutex m;
    return m;
}

QHash<QString, QString>& passwords()
{
    static QHash<QString, QString> p;
    return p;
}

QString key(const QString& host, int port, const QString& login)
{
    const QString h = host.isEmpty() ? QStringLiteral("localhost") : host.toLower();
    return h + QLatin1Char('\n') + QString::number(port > 0 ? port : 5432) + QLatin1Char('\n') + login;
}

} // namespace

void forbidCoreDumps()
{
    const rlimit none{0, 0};
    ::setrlimit(RLIMIT_CORE, &none);
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

void set(const QString& host, int port, const QString& login, const QString& password)
{
    forbidCoreDumps();
    QMutexLocker lock(&mutex());
    passwords().insert(key(host, port, login), password);
}

QString find(const QString& host, int port, const QString& login)
{
    QMutexLocker lock(&mutex());
    return passwords().value(key(host, port, login));
}

QString forConninfo(const QString& conninfo)
{
    {
        QMutexLocker lock(&mutex());
        if (passwords().isEmpty())
            return {};
    }
    char* message = nullptr;
    PQconninfoOption* options = PQconninfoParse(conninfo.toUtf8().constData(), &message);
    if (message)
        PQfreemem(message);
    if (!options)
        return {};
    QString host, login, password;
    int port = 0;
    for (PQconninfoOption* o = options; o->keyword; ++o) {
        if (!o->val)
            continue;
        const QString value = QString::fromUtf8(o->val);
        if (qstrcmp(o->keyword, "host") == 0 || (qstrcmp(o->keyword, "hostaddr") == 0 && host.isEmpty()))
            host = value;
        else if (qstrcmp(o->keyword, "port") == 0)
            port = value.toInt();
        else if (qstrcmp(o->keyword, "user") == 0)
            login = value;
        else if (qstrcmp(o->keyword, "password") == 0)
            password = value;
    }
    PQconninfoFree(options);
    if (!password.isEmpty())
        return {};
    if (login.isEmpty())
        login = qEnvironmentVariable("PGUSER");
    if (login.isEmpty()) {
        if (const passwd* pw = ::getpwuid(::geteuid()))
            login = QString::fromLocal8Bit(pw->pw_name);
    }
    if (host.isEmpty())
        host = qEnvironmentVariable("PGHOST");
    if (port <= 0)
        port = qEnvironmentVariableIntValue("PGPORT");
    return find(host, port, login);
}

int count()
{
    QMutexLocker lock(&mutex());
    return int(passwords().size());
}

void clear()
{
    QMutexLocker lock(&mutex());
    passwords().clear();
}

} // namespace PostgresPasswords
