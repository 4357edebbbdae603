/*
 * idset.h — a set of order ids a poll run has already read (prefix idset_).
 *
 * A window listed page by page with an offset cursor (Shopee's next_cursor,
 * Lazada's offset) skips an order whenever an order on an earlier page
 * leaves the window while the pages are read: every later order moves up
 * one place. So a window of several pages is listed a second time, and
 * only the ids this set does not hold are read (daemon/orders.c).
 *
 * Ids are appended, then idset_seal() sorts them; idset_has() searches the
 * sorted part and scans what was appended since.
 */
#ifndef OCOP_IDSET_H
#define OCOP_IDSET_H

#include <stddef.h>

struct idset {
  char **v;
  size_t n, cap;
  size_t sorted; /* v[0..sorted) is in strcmp order */
};

/* Adds a copy of id; -1 when out of memory. */
int idset_add(struct idset *s, const char *id);
int idset_has(const struct idset *s, const char *id);
void idset_seal(struct idset *s);
void idset_free(struct idset *s);

#endif
