#pragma once

#include <QElapsedTimer>
#include <QList>
#include <QString>
#include <QTimer>

// How responsive the thread it lives on stays: a precise timer beats every 5 ms and
// records how late each beat comes. A late beat is a stall a user would feel; the
// benchmarks report the worst one and the 99th percentile.
class Heartbeat
{
public:
    static constexpr int BeatMs = 5;

    Heartbeat();
    void start();
    void stop() { m_timer.stop(); }
    int beats() const { return int(m_stalls.size()); }
    // The worst stall: how much of it the thread spent on the CPU (the rest it waited
    // for a core), and when it happened (ms after start()).
    QString worst() const;
    double max() const;
    double percentile(double p) const;

private:
    static qint64 threadCpuNs();

    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = -1;
    qint64 m_lastCpu = 0;
    double m_worst = -1;
    double m_worstCpu = 0;
    double m_worstAt = 0;
    QList<double> m_stalls;
};
