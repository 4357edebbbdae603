/* buf.c — see buf.h. */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmac.h"

static int buf_reserve(ocu_buf *b, size_t extra) {
  size_t want, cap;
  char *p;

  if (b->failed)
    return -1;
  if (extra > SIZE_MAX / 2 - b->len - 1) {
    b->failed = 1;
    return -1;
  }
  want = b->len + extra + 1;
  if (want <= b->cap)
    return 0;
  cap = b->cap ? b->cap : 64;
  while (cap < want)
    cap *= 2;
  p = realloc(b->data, cap);
  if (p == NULL) {
    b->failed = 1;
    return -1;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

int ocu_buf_add(ocu_buf *b, const void *p, size_t n) {
  if (buf_reserve(b, n) != 0)
    return -1;
  if (n)
    memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int ocu_buf_puts(ocu_buf *b, const char *s) {
  return ocu_buf_add(b, s, strlen(s));
}

static int buf_vprintf(ocu_buf *b, const char *fmt, va_list ap) OCU_PRINTF(2, 0);

static int buf_vprintf(ocu_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  int n;

  if (b->failed)
    return -1;
  va_copy(ap2, ap);
  n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0 || buf_reserve(b, (size_t)n) != 0) {
    b->failed = 1;
    return -1;
  }
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int ocu_buf_printf(ocu_buf *b, const char *fmt, ...) {
  va_list ap;
  int r;

  va_start(ap, fmt);
  r = buf_vprintf(b, fmt, ap);
  va_end(ap);
  return r;
}

int ocu_buf_urlencode(ocu_buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p = (const unsigned char *)s;

  if (buf_reserve(b, strlen(s) * 3) != 0)
    return -1;
  for (; *p; p++) {
    unsigned c = *p;

    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      b->data[b->len++] = (char)c;
    } else {
      b->data[b->len++] = '%';
      b->data[b->len++] = hex[c >> 4];
      b->data[b->len++] = hex[c & 0x0F];
    }
  }
  b->data[b->len] = '\0';
  return 0;
}

char *ocu_buf_detach(ocu_buf *b) {
  char *p;

  if (b->failed) {
    ocu_buf_free(b);
    return NULL;
  }
  p = b->data ? b->data : calloc(1, 1);
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void ocu_buf_free(ocu_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->failed = 0;
}

void ocu_buf_free_secure(ocu_buf *b) {
  if (b->data)
    ocu_cleanse(b->data, b->cap);
  ocu_buf_free(b);
}

char *ocu_urlencode(const char *s) {
  ocu_buf b = OCU_BUF_INIT;

  ocu_buf_urlencode(&b, s);
  return ocu_buf_detach(&b);
}

char *ocu_asprintf(const char *fmt, ...) {
  ocu_buf b = OCU_BUF_INIT;
  va_list ap;

  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  return ocu_buf_detach(&b);
}
