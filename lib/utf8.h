/*
 * utf8.h — well-formed UTF-8, checked in one place.
 *
 * Catalogue files (lib/csv.c) and marketplace pushes (daemon/webhook.c)
 * are refused when they are not UTF-8. Header-only, as lib/jsondepth.h,
 * so that any part can use it without linking another file.
 */
#ifndef OCOP_UTF8_H
#define OCOP_UTF8_H

#include <stddef.h>

/* Length of the well-formed UTF-8 sequence at p (Unicode table 3-7: no
 * overlong forms, no surrogates, nothing above U+10FFFF), or 0. */
static inline size_t utf8_len(const unsigned char *p, size_t avail) {
  unsigned char b = p[0], lo = 0x80, hi = 0xBF;
  size_t need, i;

  if (b < 0x80)
    return 1;
  if (b < 0xC2 || b > 0xF4)
    return 0;
  need = b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
  if (b == 0xE0)
    lo = 0xA0;
  else if (b == 0xED)
    hi = 0x9F;
  else if (b == 0xF0)
    lo = 0x90;
  else if (b == 0xF4)
    hi = 0x8F;
  if (avail < need || p[1] < lo || p[1] > hi)
    return 0;
  for (i = 2; i < need; i++)
    if (p[i] < 0x80 || p[i] > 0xBF)
      return 0;
  return need;
}

/* 1 when all len bytes are well-formed UTF-8; else 0 with *at (if not
 * NULL) set to the first byte that is not. */
static inline int utf8_valid(const char *s, size_t len, size_t *at) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0, n;

  while (i < len) {
    if ((n = utf8_len(p + i, len - i)) == 0) {
      if (at)
        *at = i;
      return 0;
    }
    i += n;
  }
  return 1;
}

#endif
