/*
 * run-unit.c — the unit suite's one program: every test of
 * tests/unit/test-list.h, run by tests/unit/runner.c (one child per test,
 * several at once, TAP out). `tests/unit/run-unit name...` runs tests alone,
 * `-l` lists them, `-j N` sets how many run at once.
 */
#include "runner.h"
#include "test-list.h"

int main(int argc, char **argv) {
  return run_tests(TASKS, argc, argv);
}
