#include "restorepoint/PitrWindowWorker.h"

#include "restorepoint/PgBackRest.h"

PitrWindowWorker::PitrWindowWorker(const PitrSource& source)
    : m_source(source)
{
}

void PitrWindowWorker::run()
{
    QString error;
    const std::optional<PgBackRest::Window> window = PgBackRest::window(m_source, &error);
    if (window)
        Q_EMIT finished(true, window->earliest, window->latest, QString());
    else
        Q_EMIT finished(false, {}, {}, error);
}
