/*
 * textbuf.h — a growing text buffer for the admin endpoint's answers
 * (prefix tb_). A failed allocation marks the buffer, and every later
 * append is a no-op, so a writer checks once, at the end.
 */
#ifndef OCOP_TEXTBUF_H
#define OCOP_TEXTBUF_H

#include <stddef.h>

#include "log.h" /* LOG_PRINTF */

struct textbuf {
  char *p;    /* NUL-terminated while not failed */
  size_t len;
  size_t cap;
  int failed; /* out of memory: the content is incomplete */
};

void tb_init(struct textbuf *b);
void tb_puts(struct textbuf *b, const char *s);
void tb_putn(struct textbuf *b, const char *s, size_t n);
void tb_printf(struct textbuf *b, const char *fmt, ...) LOG_PRINTF(2, 3);
/* s with & < > " ' written as HTML entities. */
void tb_html(struct textbuf *b, const char *s);
/* Hands the text over (the caller frees it); NULL when the buffer failed. */
char *tb_take(struct textbuf *b, size_t *len);
void tb_free(struct textbuf *b);

#endif
