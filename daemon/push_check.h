/*
 * push_check.h — what the push endpoint (daemon/webhook.c) decides from a
 * push's bytes alone, before any shop's key and before the database
 * (prefix push_check_). Pure functions: no I/O, no state, so that they are
 * tested and fuzzed (tests/fuzz/fuzz_webhook.c) apart from libmicrohttpd.
 *
 * Each returns 0 when the push may go on, else the HTTP status to answer
 * with the reason in *why (a constant string, for the log line).
 */
#ifndef OCOP_PUSH_CHECK_H
#define OCOP_PUSH_CHECK_H

#include <stddef.h>
#include <stdint.h>

/* Deepest JSON nesting a push may have. */
#define PUSH_CHECK_MAX_DEPTH 32

/* The Content-Length header (NULL when absent): 413 when it announces more
 * than OC_MAX_PUSH bytes. */
int push_check_length(const char *content_length, const char **why);

/* The whole body (body may be NULL when len is 0): 413 when it went over
 * OC_MAX_PUSH while arriving (too_big), 400 when nested deeper than
 * PUSH_CHECK_MAX_DEPTH or not UTF-8. */
int push_check_body(const char *body, size_t len, int too_big, const char **why);

/* A verified push's timestamp (unix seconds, 0: it has none) against now:
 * 400 when older than max_age_s or more than 300 s ahead. */
int push_check_age(int64_t stamp, int64_t now, unsigned max_age_s, const char **why);

#endif
