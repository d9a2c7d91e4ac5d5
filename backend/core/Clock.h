#pragma once

#include <QDateTime>

// The time that decisions depending on it read (a restore point's expiry): the
// system's UTC time, moved by DATAALM_TEST_CLOCK_SKEW_S seconds when that is set (tests
// that run the CLI in a process of its own) or by setSkewForTests() in a test's own
// process. Unset (always, outside tests): the system clock.
namespace Clock {

QDateTime nowUtc();
void setSkewForTests(qint64 seconds);

} // namespace Clock
