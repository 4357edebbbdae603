/* textbuf.c — see textbuf.h. */
#include "textbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tb_init(struct textbuf *b) { memset(b, 0, sizeof *b); }

/* Room for n more bytes and the NUL; 0, or -1 (the buffer failed). */
static int reserve(struct textbuf *b, size_t n) {
  size_t cap = b->cap ? b->cap : 1024;
  char *p;

  if (b->failed)
    return -1;
  if (b->len + n + 1 <= b->cap)
    return 0;
  while (cap < b->len + n + 1)
    cap *= 2;
  p = realloc(b->p, cap);
  if (!p) {
    b->failed = 1;
    return -1;
  }
  b->p = p;
  b->cap = cap;
  return 0;
}

void tb_putn(struct textbuf *b, const char *s, size_t n) {
  if (reserve(b, n) != 0)
    return;
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

void tb_puts(struct textbuf *b, const char *s) { tb_putn(b, s, strlen(s)); }

void tb_printf(struct textbuf *b, const char *fmt, ...) {
  va_list ap;
  int n;

  va_start(ap, fmt);
  n = vsnprintf(NULL, 0, fmt, ap);
  va_end(ap);
  if (n < 0 || reserve(b, (size_t)n) != 0)
    return;
  va_start(ap, fmt);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  va_end(ap);
  b->len += (size_t)n;
}

void tb_html(struct textbuf *b, const char *s) {
  const char *run = s;

  for (; *s; s++) {
    const char *ent = NULL;

    switch (*s) {
    case '&': ent = "&amp;"; break;
    case '<': ent = "&lt;"; break;
    case '>': ent = "&gt;"; break;
    case '"': ent = "&quot;"; break;
    case '\'': ent = "&#39;"; break;
    default: continue;
    }
    tb_putn(b, run, (size_t)(s - run));
    tb_puts(b, ent);
    run = s + 1;
  }
  tb_putn(b, run, (size_t)(s - run));
}

char *tb_take(struct textbuf *b, size_t *len) {
  char *p;

  if (b->failed || reserve(b, 0) != 0) {
    tb_free(b);
    return NULL;
  }
  p = b->p;
  *len = b->len;
  tb_init(b);
  return p;
}

void tb_free(struct textbuf *b) {
  free(b->p);
  tb_init(b);
}
