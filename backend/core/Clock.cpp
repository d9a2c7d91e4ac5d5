#include "core/Clock.h"

#include <atomic>

namespace {
std::atomic<qint64> g_skew{0};
std::atomic<bool> g_skewSet{false};
} // namespace

QDateTime Clock::nowUtc()
{
    qint64 skew = g_skew.load();
    if (!g_skewSet.load())
        skew = qEnvironmentVariableIntValue("DATAALM_TEST_CLOCK_SKEW_S");
    return QDateTime::currentDateTimeUtc().addSecs(skew);
}

void Clock::setSkewForTests(qint64 seconds)
{
    g_skew = seconds;
    g_skewSet = true;
}
