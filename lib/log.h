/*
 * log.h — one logfmt line per event on stderr.
 *
 *   ts=2026-11-25T01:02:03.456Z level=info comp=outbox msg="listing published" shop=main sku=OCP-1
 *
 * The key=value part takes a printf-like format in which every %s value is
 * quoted and escaped when it needs to be, so an error text from a
 * marketplace can never forge a field or a line. Supported conversions:
 * %s %d %i %u %ld %lu %lld %llu %zu %x %.Nf %%. Never pass a secret.
 */
#ifndef OCOP_LOG_H
#define OCOP_LOG_H

#include <stdarg.h>
#include <stdio.h>

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR };

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/* "debug", "info", "warn", "error" → 0 with *out set, else -1. */
int log_level_parse(const char *s, enum log_level *out);
/* Redirect for tests; NULL restores stderr. */
void log_set_stream(FILE *f);

#if defined(__GNUC__)
#define LOG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define LOG_PRINTF(a, b)
#endif

void log_write(enum log_level level, const char *comp, const char *msg,
               const char *kvfmt, ...) LOG_PRINTF(4, 5);
void log_vwrite(enum log_level level, const char *comp, const char *msg,
                const char *kvfmt, va_list ap);

/* Formats kvfmt into buf with the quoting rules above; for tests and status. */
size_t log_format_kv(char *buf, size_t size, const char *kvfmt, va_list ap);

#define log_debug(comp, msg, ...) log_write(LOG_DEBUG, comp, msg, __VA_ARGS__)
#define log_info(comp, msg, ...) log_write(LOG_INFO, comp, msg, __VA_ARGS__)
#define log_warn(comp, msg, ...) log_write(LOG_WARN, comp, msg, __VA_ARGS__)
#define log_error(comp, msg, ...) log_write(LOG_ERROR, comp, msg, __VA_ARGS__)

#endif
