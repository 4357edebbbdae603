/*
 * runner.h — a small fork-per-test runner in the manner of libuv's.
 *
 * Each test runs in its own child process so that a crash, an abort from a
 * failed ASSERT or a hang (killed by alarm) fails that test alone. Results
 * are printed as TAP ("ok 3 - name") so that automake's tap-driver counts
 * every test, and the run closes with "N passed, N failed".
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
};

#define TEST_IMPL(name) int test_##name(void);  \
  int test_##name(void)
#define TEST_ENTRY(name) { #name, test_##name, 0 }
#define TEST_ENTRY_TIMEOUT(name, secs) { #name, test_##name, (secs) }

/* Runs the NULL-terminated table; argv may name tests to run alone. */
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
