/*
 * time.c — Lazada's ISO-8601 times (see "Orders"): written in +07:00 for
 * order windows, read with any offset, with no tz database.
 */
#include "lazada.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

static int lz_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to January 1st of year y (y >= 1). */
static int64_t lz_days_before_year(int64_t y) {
  int64_t n = y - 1, leaps = n / 4 - n / 100 + n / 400;

  return 365 * (y - 1970) + leaps - 477; /* 477 leap days before 1970 */
}

static int lz_month_days(int64_t y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  return m == 2 && lz_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (a valid date). */
static int64_t lz_days(int64_t y, int m, int d) {
  int64_t n = lz_days_before_year(y);
  int i;

  for (i = 1; i < m; i++)
    n += lz_month_days(y, i);
  return n + d - 1;
}

/* "YYYY-MM-DDTHH:MM:SS+07:00" for unix time t (0..LZ_MAX_TIME). */
void lz_iso_time(int64_t t, char out[LZ_ISO_MAX]) {
  int64_t local = t + LZ_TZ_OFFSET_S, days = local / 86400, y;
  int m = 1, secs = (int)(local % 86400);

  y = 1970 + days / 366; /* never past the year; step forward */
  while (lz_days_before_year(y + 1) <= days)
    y++;
  days -= lz_days_before_year(y);
  while (days >= lz_month_days(y, m))
    days -= lz_month_days(y, m++);
  snprintf(out, LZ_ISO_MAX, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", (int)y, m,
           (int)days + 1, secs / 3600, secs / 60 % 60, secs % 60);
}

/* Exactly n digits at *p into *v; advances *p. 0 or -1. */
static int lz_digits(const char **p, int n, int *v) {
  int i;

  *v = 0;
  for (i = 0; i < n; i++, (*p)++) {
    if (**p < '0' || **p > '9')
      return -1;
    *v = *v * 10 + (**p - '0');
  }
  return 0;
}

/* Skips the expected character c at *p. 0 or -1. */
static int lz_expect(const char **p, char c) {
  if (**p != c)
    return -1;
  (*p)++;
  return 0;
}

/* The UTC offset "+0700", "-03:30" or "Z" at p, in seconds. 0 or -1. */
static int lz_parse_offset(const char *p, int64_t *off) {
  int sign, hh, mm;

  if (p[0] == 'Z' && p[1] == '\0') {
    *off = 0;
    return 0;
  }
  if (*p != '+' && *p != '-')
    return -1;
  sign = *p++ == '-' ? -1 : 1;
  if (lz_digits(&p, 2, &hh))
    return -1;
  if (*p == ':')
    p++;
  if (lz_digits(&p, 2, &mm) || *p != '\0' || hh > 14 || mm > 59)
    return -1;
  *off = sign * (hh * 3600 + mm * 60);
  return 0;
}

/*
 * Lazada's order times, "2026-11-25 10:00:00 +0700", to unix seconds; also
 * takes "T" for the first space, no second space, "+07:00" and "Z". Years
 * 1970..9999, results from 1970 on. 0 or -1.
 */
int lz_parse_time(const char *s, int64_t *out) {
  const char *p = s;
  int y, mo, d, h, mi, sec;
  int64_t off, t;

  if (s == NULL || lz_digits(&p, 4, &y) || lz_expect(&p, '-') ||
      lz_digits(&p, 2, &mo) || lz_expect(&p, '-') || lz_digits(&p, 2, &d) ||
      (lz_expect(&p, ' ') && lz_expect(&p, 'T')) || lz_digits(&p, 2, &h) ||
      lz_expect(&p, ':') || lz_digits(&p, 2, &mi) || lz_expect(&p, ':') ||
      lz_digits(&p, 2, &sec))
    return -1;
  if (*p == ' ')
    p++;
  if (lz_parse_offset(p, &off) || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
      d > lz_month_days(y, mo) || h > 23 || mi > 59 || sec > 59)
    return -1;
  t = lz_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
  if (t < 0)
    return -1;
  *out = t;
  return 0;
}

