#pragma once

// Fault injection for the crash tests: when the environment variable
// DATAALM_TEST_CRASH_AT names `point`, the process kills itself with SIGKILL right
// there, exactly like a kill -9 from outside. Unset (always, outside tests): nothing.
namespace TestHooks {

void crashPoint(const char* point);
// Sleeps DATAALM_TEST_PAUSE_MS milliseconds (default 2000) when DATAALM_TEST_PAUSE_AT
// names `point`: for the tests of two processes acting on one operation at once.
void pausePoint(const char* point);
// Milliseconds to sleep between copy batches (DATAALM_TEST_COPY_DELAY_MS), so tests
// can cancel or kill mid-copy on small databases. 0 outside tests.
int copyDelayMs();
// Pages per copy batch (DATAALM_TEST_COPY_PAGES), so that a small test database is
// copied in many batches; `fallback` (the engine's own batch size) when unset.
int copyPagesPerStep(int fallback);

// Extra server options (`-c name=value ...`) for the temporary instance of a restore to
// an instant (DATAALM_TEST_PITR_OPTIONS), so that a test can make it fail to start.
// Empty outside tests.
const char* pitrServerOptions();

} // namespace TestHooks
