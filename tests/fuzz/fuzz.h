/*
 * fuzz.h — what the libFuzzer targets of tests/fuzz/ share (prefix fz_).
 *
 * Each target is one file defining LLVMFuzzerTestOneInput over one parser
 * of untrusted bytes; tests/fuzz/fuzz.mk builds them with clang under
 * ASan and UBSan, tests/fuzz/run runs them (docs/fuzzing.md). A target
 * checks the parser's own promises too (a result within its bounds, an
 * error that says where), and calls fz_fail() when one is broken: libFuzzer
 * then keeps the input as a crash, like any sanitizer report.
 */
#ifndef OCOP_FUZZ_H
#define OCOP_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A broken promise: say which, then abort so that libFuzzer saves the input. */
#define fz_fail(what)                                                          \
  do {                                                                         \
    fprintf(stderr, "%s:%d: %s\n", __FILE__, __LINE__, (what));                \
    abort();                                                                   \
  } while (0)

#define fz_assert(cond)                                                        \
  do {                                                                         \
    if (!(cond))                                                               \
      fz_fail("broken promise: " #cond);                                       \
  } while (0)

/* 1 when s is NUL-terminated within n bytes (a fixed-size result field). */
static inline int fz_terminated(const char *s, size_t n) { return memchr(s, '\0', n) != NULL; }

/* 1 when s holds no control character: a message stays on one line. */
static inline int fz_one_line(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return 0;
  return 1;
}

/* A copy of the n bytes at p with a NUL after them (malloc'd; never NULL). */
static inline char *fz_strndup(const uint8_t *p, size_t n) {
  char *s = malloc(n + 1);

  if (!s)
    abort();
  if (n)
    memcpy(s, p, n);
  s[n] = '\0';
  return s;
}

/* The input read front to back; past its end every read gives zeros. */
typedef struct fz_in {
  const uint8_t *p;
  size_t n;
} fz_in;

static inline uint8_t fz_byte(fz_in *in) {
  uint8_t b = 0;

  if (in->n) {
    b = *in->p++;
    in->n--;
  }
  return b;
}

static inline int64_t fz_int64(fz_in *in) {
  uint64_t v = 0;
  int i;

  for (i = 0; i < 8; i++)
    v = v << 8 | fz_byte(in);
  return (int64_t)v;
}

/* A string of at most max - 1 bytes into out[max]: its length is the next
 * byte (modulo max), the bytes follow. */
static inline void fz_str(fz_in *in, char *out, size_t max) {
  size_t n = fz_byte(in) % max, i;

  for (i = 0; i < n; i++)
    out[i] = (char)fz_byte(in);
  out[n] = '\0';
}

#endif
