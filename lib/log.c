/* log.c — see log.h. */
#include "log.h"

#include <string.h>
#include <sys/time.h>
#include <time.h>

static enum log_level min_level = LOG_INFO;
static FILE *out_stream;

static const char *const level_names[] = {"debug", "info", "warn", "error"};

void log_set_level(enum log_level level) { min_level = level; }
enum log_level log_get_level(void) { return min_level; }
void log_set_stream(FILE *f) { out_stream = f; }

int log_level_parse(const char *s, enum log_level *out) {
  int i;

  for (i = 0; i < 4; i++)
    if (strcmp(s, level_names[i]) == 0) {
      *out = (enum log_level)i;
      return 0;
    }
  return -1;
}

/* Appends with truncation; `pos` may run past size, the caller clamps. */
static void put(char *buf, size_t size, size_t *pos, const char *s, size_t n) {
  if (*pos < size) {
    size_t room = size - 1 - *pos;

    memcpy(buf + *pos, s, n < room ? n : room);
  }
  *pos += n;
}

static int needs_quotes(const char *s) {
  if (*s == '\0')
    return 1;
  for (; *s; s++)
    if ((unsigned char)*s <= ' ' || *s == '"' || *s == '=' || *s == '\\' || *s == 0x7f)
      return 1;
  return 0;
}

/* Writes s as a logfmt value: bare when safe, else quoted with \" \\ \n \t
 * and \xNN escapes, so no value can end the line or open a new field. */
static void put_value(char *buf, size_t size, size_t *pos, const char *s) {
  char esc[8];

  if (s == NULL)
    s = "(null)";
  if (!needs_quotes(s)) {
    put(buf, size, pos, s, strlen(s));
    return;
  }
  put(buf, size, pos, "\"", 1);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;

    if (c == '"' || c == '\\') {
      esc[0] = '\\', esc[1] = (char)c;
      put(buf, size, pos, esc, 2);
    } else if (c == '\n') {
      put(buf, size, pos, "\\n", 2);
    } else if (c == '\t') {
      put(buf, size, pos, "\\t", 2);
    } else if (c < 0x20 || c == 0x7f) {
      snprintf(esc, sizeof esc, "\\x%02x", c);
      put(buf, size, pos, esc, 4);
    } else {
      put(buf, size, pos, (const char *)&c, 1);
    }
  }
  put(buf, size, pos, "\"", 1);
}

/* Formats one non-%s conversion `spec` (e.g. "%lld") taking its argument.
 * The spec was cut from the caller's literal format, which the compiler
 * checked through LOG_PRINTF, so the non-literal format here is safe. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
static void put_number(char *buf, size_t size, size_t *pos, const char *spec,
                       char conv, int longs, int is_size, va_list *ap) {
  char tmp[64];
  int n;

  if (conv == 'f')
    n = snprintf(tmp, sizeof tmp, spec, va_arg(*ap, double));
  else if (is_size)
    n = snprintf(tmp, sizeof tmp, spec, va_arg(*ap, size_t));
  else if (conv == 'd' || conv == 'i')
    n = longs == 2 ? snprintf(tmp, sizeof tmp, spec, va_arg(*ap, long long))
        : longs == 1 ? snprintf(tmp, sizeof tmp, spec, va_arg(*ap, long))
                     : snprintf(tmp, sizeof tmp, spec, va_arg(*ap, int));
  else
    n = longs == 2 ? snprintf(tmp, sizeof tmp, spec, va_arg(*ap, unsigned long long))
        : longs == 1 ? snprintf(tmp, sizeof tmp, spec, va_arg(*ap, unsigned long))
                     : snprintf(tmp, sizeof tmp, spec, va_arg(*ap, unsigned));
  if (n > 0)
    put(buf, size, pos, tmp, (size_t)n < sizeof tmp ? (size_t)n : sizeof tmp - 1);
}
#pragma GCC diagnostic pop

size_t log_format_kv(char *buf, size_t size, const char *kvfmt, va_list ap0) {
  size_t pos = 0;
  const char *p = kvfmt;
  va_list ap;

  va_copy(ap, ap0);
  while (*p) {
    const char *start = p;
    char spec[16];
    int longs = 0, is_size = 0;

    if (*p != '%') {
      put(buf, size, &pos, p, 1);
      p++;
      continue;
    }
    p++;
    if (*p == '%') {
      put(buf, size, &pos, "%", 1);
      p++;
      continue;
    }
    while (*p == '.' || (*p >= '0' && *p <= '9'))
      p++;
    while (*p == 'l')
      longs++, p++;
    if (*p == 'z')
      is_size = 1, p++;
    if (*p == '\0' || (size_t)(p - start + 1) >= sizeof spec)
      break;
    memcpy(spec, start, (size_t)(p - start + 1));
    spec[p - start + 1] = '\0';
    if (*p == 's')
      put_value(buf, size, &pos, va_arg(ap, const char *));
    else
      put_number(buf, size, &pos, spec, *p, longs, is_size, &ap);
    p++;
  }
  va_end(ap);
  if (size)
    buf[pos < size ? pos : size - 1] = '\0';
  return pos;
}

void log_vwrite(enum log_level level, const char *comp, const char *msg,
                const char *kvfmt, va_list ap) {
  char line[4096], ts[40];
  size_t pos = 0;
  struct timeval tv;
  struct tm tm;
  FILE *f = out_stream ? out_stream : stderr;

  if (level < min_level)
    return;
  gettimeofday(&tv, NULL);
  gmtime_r(&tv.tv_sec, &tm);
  strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
  pos = (size_t)snprintf(line, sizeof line, "ts=%s.%03ldZ level=%s comp=%s msg=", ts,
                         (long)(tv.tv_usec / 1000), level_names[level], comp);
  {
    /* msg is always quoted so that it reads as one field. */
    size_t mpos = pos;

    put(line, sizeof line, &mpos, "\"", 1);
    for (; *msg; msg++) {
      char c = (*msg == '"' || *msg == '\n') ? '\'' : *msg;

      put(line, sizeof line, &mpos, &c, 1);
    }
    put(line, sizeof line, &mpos, "\"", 1);
    pos = mpos;
  }
  if (kvfmt && *kvfmt && pos < sizeof line - 1) {
    put(line, sizeof line, &pos, " ", 1);
    if (pos < sizeof line)
      pos += log_format_kv(line + pos, sizeof line - pos, kvfmt, ap);
  }
  if (pos >= sizeof line - 1)
    pos = sizeof line - 2;
  line[pos] = '\n';
  line[pos + 1] = '\0';
  fputs(line, f);
  fflush(f);
}

void log_write(enum log_level level, const char *comp, const char *msg,
               const char *kvfmt, ...) {
  va_list ap;

  va_start(ap, kvfmt);
  log_vwrite(level, comp, msg, kvfmt, ap);
  va_end(ap);
}
