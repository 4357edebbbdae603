/*
 * runner.h — a small fork-per-test runner in the manner of libuv's.
 *
 * A suite is one program: its test-list.h (tests/unit/test-list.h,
 * tests/itest/test-list.h) declares every test with TEST_DECLARE and lists
 * them between TASK_LIST_START and TASK_LIST_END; its main passes TASKS to
 * run_tests. Each test runs in its own child process so that a crash, an
 * abort from a failed ASSERT or a hang (killed at its timeout) fails that
 * test alone, and up to N children run at once:
 *
 *   run-unit [-j N] [-l] [name...]
 *
 * -j N (else $OCOP_TEST_JOBS, else the number of CPUs) children at a time,
 * the tests with the longest timeouts started first, and those listed with
 * TEST_ENTRY_ALONE last, each with no other test of the suite beside it
 * (tests of latency under a load of their own making); -l lists the names;
 * names run those tests alone. Results are printed as TAP, one line as each
 * test ends ("ok 3 - name", numbered in the order they end), so that
 * automake's tap-driver counts every test; the plan comes first, so a
 * runner that dies shows as an error. What a test writes (stdout, stderr)
 * is kept apart and copied, whole, when it ends, as TAP comments before its
 * result. The run closes with "N passed, N failed, N skipped".
 */
#ifndef OCOP_TEST_RUNNER_H
#define OCOP_TEST_RUNNER_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>

#define TEST_OK 0
#define TEST_SKIP 77

typedef int (*test_fn)(void);

struct test_entry {
  const char *name;
  test_fn fn;
  unsigned timeout_s; /* 0: the runner's default (60 s) */
  int alone;          /* runs last, with no other test of the suite at once */
};

#define TEST_IMPL(name) int test_##name(void);  \
  int test_##name(void)
#define TEST_ENTRY(name) { #name, test_##name, 0, 0 }
#define TEST_ENTRY_TIMEOUT(name, secs) { #name, test_##name, (secs), 0 }
#define TEST_ENTRY_ALONE(name, secs) { #name, test_##name, (secs), 1 }

/* A suite's test-list.h: TEST_DECLARE(name) lines, then
 * TASK_LIST_START, TEST_ENTRY(name), ... TASK_LIST_END. */
#define TEST_DECLARE(name) int test_##name(void);
#define TASK_LIST_START static const struct test_entry TASKS[] = {
#define TASK_LIST_END {NULL, NULL, 0, 0}};

/* Runs the NULL-terminated table with the options above; returns 0 when no
 * test failed, 1 when one did, 2 on a usage error (nothing run). */
int run_tests(const struct test_entry *tests, int argc, char **argv);

/* Why a test skipped, printed after "# SKIP". */
#if defined(__GNUC__)
__attribute__((format(printf, 1, 2)))
#endif
void test_skip_reason(const char *fmt, ...);

/* This test's own directory under $TMPDIR (else /tmp), made by the runner
 * before the test starts. The runner removes it, with everything in it, when
 * the test passes or skips, and keeps it and names it in the TAP output when
 * the test fails. Outside run_tests (the benchmarks) it is made on first use
 * and kept. */
const char *test_tmpdir(void);

#define ASSERT(expr)                                                          \
  do {                                                                        \
    if (!(expr)) {                                                            \
      fprintf(stderr, "%s:%d: assertion failed: %s\n", __FILE__, __LINE__,   \
              #expr);                                                         \
      abort();                                                                \
    }                                                                         \
  } while (0)

#define ASSERT_EQ(a, b)                                                       \
  do {                                                                        \
    long long a_ = (long long)(a), b_ = (long long)(b);                       \
    if (a_ != b_) {                                                           \
      fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__,    \
              __LINE__, #a, #b, a_, b_);                                      \
      abort();                                                                \
    }                                                                         \
  } while (0)

#define ASSERT_STR_EQ(a, b)                                                   \
  do {                                                                        \
    const char *a_ = (a), *b_ = (b);                                          \
    if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {                    \
      fprintf(stderr, "%s:%d: %s == %s failed:\n  got:  \"%s\"\n  want: \"%s\"\n", \
              __FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)",                 \
              b_ ? b_ : "(null)");                                            \
      abort();                                                                \
    }                                                                         \
  } while (0)

#define ASSERT_NULL(p) ASSERT((p) == NULL)
#define ASSERT_NOT_NULL(p) ASSERT((p) != NULL)

#endif
