#include "core/TestHooks.h"

#include <QThread>

#include <QByteArray>
#include <QtGlobal>

#include <csignal>
#include <unistd.h>

namespace TestHooks {

void crashPoint(const char* point)
{
    static const QByteArray wanted = qgetenv("DATAALM_TEST_CRASH_AT");
    if (!wanted.isEmpty() && wanted == point)
        ::kill(::getpid(), SIGKILL);
}

int copyDelayMs()
{
    static const int ms = qEnvironmentVariableIntValue("DATAALM_TEST_COPY_DELAY_MS");
    return ms;
}

int copyPagesPerStep(int fallback)
{
    static const int pages = qEnvironmentVariableIntValue("DATAALM_TEST_COPY_PAGES");
    return pages > 0 ? pages : fallback;
}

void pausePoint(const char* point)
{
    static const QByteArray wanted = qgetenv("DATAALM_TEST_PAUSE_AT");
    if (wanted.isEmpty() || wanted != point)
        return;
    const int ms = qEnvironmentVariableIsSet("DATAALM_TEST_PAUSE_MS") ? qEnvironmentVariableIntValue("DATAALM_TEST_PAUSE_MS")
                                                                        : 2000;
    QThread::msleep(ms);
}

const char* pitrServerOptions()
{
    static const QByteArray options = qgetenv("DATAALM_TEST_PITR_OPTIONS");
    return options.constData();
}

} // namespace TestHooks
