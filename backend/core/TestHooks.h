#pragma once

// Fault injection for the crash tests: when the environment variable
// DATAALM_TEST_CRASH_AT names `point`, the process kills itself with SIGKILL right
// there, exactly like a kill -9 from outside. Unset (always, outside tests): nothing.
namespace TestHooks {

void crashPoint(const char* point);
// Milliseconds to sleep between copy batches (DATAALM_TEST_COPY_DELAY_MS), so tests
// can cancel or kill mid-copy on small databases. 0 outside tests.
int copyDelayMs();

} // namespace TestHooks
