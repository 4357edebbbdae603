/*
 * text.h — bounded strings and UTF-8, shared by every connector (prefix
 * ocu_). Pure: no I/O, no global state, no locale dependence.
 */
#ifndef OCOP_CONN_TEXT_H
#define OCOP_CONN_TEXT_H

#include <stdarg.h>
#include <stddef.h>

#if defined(__GNUC__) || defined(__clang__)
#define OCU_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define OCU_PRINTF(f, a)
/* The next entry of a comma-separated option ("a, b,c"): skips blanks and
 * commas, returns where the entry starts with its length (trailing blanks
 * dropped) in *n, and moves *p past it; NULL when no entry is left. */
const char *ocu_list_next(const char **p, size_t *n);

#endif

/* Formats a build error into err[errlen]; nothing when err is NULL. */
void ocu_err(char *err, size_t errlen, const char *fmt, ...) OCU_PRINTF(3, 4);

/* Copies at most size-1 bytes and NUL-terminates; returns strlen(src). */
size_t ocu_strlcpy(char *dst, const char *src, size_t size);

/*
 * Like ocu_strlcpy but never cuts a UTF-8 sequence in the middle: a copy
 * that does not fit ends at the last whole code point. Returns the number of
 * bytes copied.
 */
size_t ocu_utf8_copy(char *dst, size_t size, const char *src);

/* 1 if s[0..len) is well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF). */
int ocu_utf8_valid(const char *s, size_t len);

/* Number of code points in a valid UTF-8 string. */
size_t ocu_utf8_count(const char *s);

/* Byte length of the first max_cp code points of a valid UTF-8 string. */
size_t ocu_utf8_prefix(const char *s, size_t max_cp);

/* The next entry of a comma-separated option ("a, b,c"): skips blanks and
 * commas, returns where the entry starts with its length (trailing blanks
 * dropped) in *n, and moves *p past it; NULL when no entry is left. */
const char *ocu_list_next(const char **p, size_t *n);

#endif
