/* text.c — see text.h. */
#include "text.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ocu_err(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;

  if (err == NULL || errlen == 0)
    return;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

size_t ocu_strlcpy(char *dst, const char *src, size_t size) {
  size_t n = strlen(src);

  if (size > 0) {
    size_t k = n < size - 1 ? n : size - 1;

    memcpy(dst, src, k);
    dst[k] = '\0';
  }
  return n;
}

size_t ocu_utf8_copy(char *dst, size_t size, const char *src) {
  size_t n, k;

  if (size == 0)
    return 0;
  n = strlen(src);
  k = n < size - 1 ? n : size - 1;
  if (k < n) /* cut: back up to the start of the cut sequence */
    while (k > 0 && ((unsigned char)src[k] & 0xC0) == 0x80)
      k--;
  memcpy(dst, src, k);
  dst[k] = '\0';
  return k;
}

int ocu_utf8_valid(const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;

  while (i < len) {
    unsigned c = s[i];
    size_t need;
    uint32_t cp, min;

    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF)
      need = 1, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
      need = 2, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
      need = 3, cp = c & 0x07, min = 0x10000;
    else
      return 0;
    if (len - i <= need)
      return 0;
    for (size_t j = 1; j <= need; j++) {
      if ((s[i + j] & 0xC0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    i += need + 1;
  }
  return 1;
}

size_t ocu_utf8_count(const char *s) {
  size_t n = 0;

  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      n++;
  return n;
}

size_t ocu_utf8_prefix(const char *s, size_t max_cp) {
  size_t i = 0, n = 0;

  while (s[i]) {
    if (((unsigned char)s[i] & 0xC0) != 0x80) {
      if (n == max_cp)
        break;
      n++;
    }
    i++;
  }
  return i;
}

const char *ocu_list_next(const char **p, size_t *n) {
  const char *s = *p, *q;

  while (*s == ' ' || *s == ',')
    s++;
  if (*s == '\0') {
    *p = s;
    return NULL;
  }
  for (q = s; *q && *q != ','; q++)
    ;
  *n = (size_t)(q - s);
  while (*n > 0 && s[*n - 1] == ' ')
    (*n)--;
  *p = q;
  return s;
}
