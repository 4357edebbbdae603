/*
 * buf.h — a growable byte buffer and percent-encoding, shared by every
 * connector (prefix ocu_). Memory comes from malloc(), so the core can free
 * what a connector hands over with free().
 */
#ifndef OCOP_CONN_BUF_H
#define OCOP_CONN_BUF_H

#include <stddef.h>

#include "text.h"

/* malloc'd printf; NULL when out of memory. */
char *ocu_asprintf(const char *fmt, ...) OCU_PRINTF(1, 2);

/* A growable byte buffer, always NUL-terminated once non-empty. Errors are
 * sticky: after a failed append every later call is a no-op returning -1,
 * and ocu_buf_detach() returns NULL. */
typedef struct ocu_buf {
  char *data;
  size_t len;
  size_t cap;
  int failed;
} ocu_buf;

#define OCU_BUF_INIT {NULL, 0, 0, 0}

int ocu_buf_add(ocu_buf *b, const void *p, size_t n);
int ocu_buf_puts(ocu_buf *b, const char *s);
int ocu_buf_printf(ocu_buf *b, const char *fmt, ...) OCU_PRINTF(2, 3);
/* Appends s percent-encoded: RFC 3986 unreserved (A-Z a-z 0-9 - . _ ~) kept,
 * every other byte as %XX (uppercase hex). */
int ocu_buf_urlencode(ocu_buf *b, const char *s);
/* The contents as a malloc'd string ("" when empty); NULL after a failure.
 * The buffer is reset either way. */
char *ocu_buf_detach(ocu_buf *b);
void ocu_buf_free(ocu_buf *b);
/* Overwrites the contents (which may hold a token) before freeing. */
void ocu_buf_free_secure(ocu_buf *b);

/* malloc'd percent-encoding of s (see ocu_buf_urlencode); NULL on OOM. */
char *ocu_urlencode(const char *s);

#endif
