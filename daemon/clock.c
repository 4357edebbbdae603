/* clock.c — see clock.h. */
#include "clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S 86400

/* Floor division, so instants before 1970 still land on the right day. */
static int64_t floor_div(int64_t a, int64_t b) { return a / b - ((a % b) != 0 && ((a < 0) != (b < 0))); }

int64_t clock_vn_day(int64_t unix_s) { return floor_div(unix_s + CLOCK_VN_OFFSET_S, DAY_S); }

/* Civil date from a day count (Howard Hinnant's days_from_civil inverse). */
void clock_vn_date(int64_t unix_s, char *buf) {
  int64_t z = clock_vn_day(unix_s) + 719468;
  int64_t era = floor_div(z, 146097);
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  int64_t y = yoe + era * 400 + (m <= 2);

  char tmp[64];

  snprintf(tmp, sizeof tmp, "%04lld-%02lld-%02lld", (long long)y, (long long)m, (long long)d);
  memcpy(buf, tmp, 10); /* years 0..9999: always ten characters */
  buf[10] = '\0';
}

int64_t clock_ms_to_vn_midnight(int64_t unix_ms) {
  int64_t local_ms = unix_ms + (int64_t)CLOCK_VN_OFFSET_S * 1000;
  int64_t into_day = local_ms - floor_div(local_ms, (int64_t)DAY_S * 1000) * DAY_S * 1000;

  return (int64_t)DAY_S * 1000 - into_day;
}
