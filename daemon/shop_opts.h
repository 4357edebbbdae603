/*
 * shop_opts.h — a shop's options JSON as the key/value list connectors take.
 *
 * The outbox's jobs (daemon/job.c) and the feed files (daemon/feed.c) both
 * hand a connector the shop's options; this is the one reading of them.
 */
#ifndef OCOP_SHOP_OPTS_H
#define OCOP_SHOP_OPTS_H

#include <stddef.h>

#include "connector.h"

/* Parses a flat JSON object (NULL reads as {}): strings stay text, numbers
 * become their text, nested values are skipped (connectors take text).
 * Returns 0; -1 when the text is not a JSON object (*out NULL, *n 0); -2 when
 * memory ran out (*out, possibly NULL, holds the *n pairs read before). */
int shop_opts_parse(const char *json, oc_kv **out, size_t *n);

/* Frees the n pairs and the list. */
void shop_opts_free(oc_kv *kv, size_t n);

#endif
