/*
 * sim_dec.c — decimal text (sim_dec.h).
 */
#include "sim_dec.h"

#include <string.h>

int sim_dec_digits(const char *s, size_t max_digits, int64_t *out) {
  uint64_t v = 0;
  size_t i, n = s ? strlen(s) : 0;

  if (n == 0 || n > max_digits || n > 19)
    return -1;
  for (i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9')
      return -1;
    v = v * 10 + (uint64_t)(s[i] - '0');
  }
  if (v > (uint64_t)INT64_MAX)
    return -1;
  *out = (int64_t)v;
  return 0;
}

int sim_dec_amount(const char *s, size_t max_digits, int64_t *out) {
  const char *dot = strchr(s, '.');
  char buf[24];
  size_t n = dot ? (size_t)(dot - s) : strlen(s);

  if (n == 0 || n >= sizeof buf)
    return -1;
  memcpy(buf, s, n);
  buf[n] = '\0';
  if (dot) {
    if (!dot[1])
      return -1;
    for (dot++; *dot; dot++)
      if (*dot != '0')
        return -1;
  }
  return sim_dec_digits(buf, max_digits, out);
}
