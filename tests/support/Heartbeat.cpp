#include "Heartbeat.h"

#include <algorithm>
#include <ctime>

Heartbeat::Heartbeat()
{
    m_timer.setTimerType(Qt::PreciseTimer);
    m_timer.setInterval(BeatMs);
    QObject::connect(&m_timer, &QTimer::timeout, [this] {
        const qint64 now = m_clock.nsecsElapsed();
        const qint64 cpu = threadCpuNs();
        if (m_last >= 0) {
            const double stall = std::max(0.0, double(now - m_last) / 1e6 - BeatMs);
            m_stalls.append(stall);
            if (stall > m_worst) {
                m_worst = stall;
                m_worstCpu = double(cpu - m_lastCpu) / 1e6;
                m_worstAt = double(now) / 1e6;
            }
        }
        m_last = now;
        m_lastCpu = cpu;
    });
}

void Heartbeat::start()
{
    m_stalls.clear();
    m_worst = -1;
    m_clock.start();
    m_last = 0; // a stall right at the start counts too
    m_lastCpu = threadCpuNs();
    m_timer.start();
}

QString Heartbeat::worst() const
{
    return QStringLiteral("worst stall %1 ms at %2 ms, of which %3 ms on the CPU")
        .arg(m_worst, 0, 'f', 1)
        .arg(m_worstAt, 0, 'f', 0)
        .arg(m_worstCpu, 0, 'f', 1);
}

double Heartbeat::max() const
{
    return m_stalls.isEmpty() ? 0 : *std::max_element(m_stalls.begin(), m_stalls.end());
}

double Heartbeat::percentile(double p) const
{
    if (m_stalls.isEmpty())
        return 0;
    QList<double> sorted = m_stalls;
    std::sort(sorted.begin(), sorted.end());
    const qsizetype i = std::min<qsizetype>(sorted.size() - 1, qsizetype(p * double(sorted.size())));
    return sorted.at(i);
}

qint64 Heartbeat::threadCpuNs()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return qint64(ts.tv_sec) * 1000000000 + ts.tv_nsec;
}
