#include "PairWriter.h"

void PairWriter::start()
{
    m_thread = std::thread([this] { run(); });
}

void PairWriter::stop()
{
    m_stop = true;
    if (m_thread.joinable())
        m_thread.join();
}

void PairWriter::run()
{
    QString error;
    if (!open(&error)) {
        m_errors << error;
        return;
    }
    qint64 k = 0;
    while (!m_stop) {
        ++k;
        bool lost = false;
        if (!writePair(k, &error, &lost)) {
            m_errors << QStringLiteral("pair %1: %2").arg(k).arg(error);
            if (lost)
                break;
            continue;
        }
        m_committed = k;
        std::this_thread::sleep_for(m_pause);
    }
    close();
}
