/*
 * run-itest.c — the integration suite's one program: every test of
 * tests/itest/test-list.h, run by tests/unit/runner.c (one child per test,
 * several at once, the longest first, TAP out), then the databases of
 * crashed tests dropped. `tests/itest/run-itest name...` runs tests alone,
 * `-l` lists them, `-j N` sets how many run at once.
 */
#include "harness.h"
#include "runner.h"
#include "test-list.h"

int main(int argc, char **argv) {
  int rc = run_tests(TASKS, argc, argv);

  itest_drop_orphans();
  return rc;
}
