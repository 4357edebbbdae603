/*
 * variants.h — a listing's variants as the connector sees them (prefix
 * vset_).
 *
 * The database hands them over as one JSON array (listing_target.variants,
 * sql/logic/listing_jobs.sql): sku, label, price, stock, weight_g, gtin,
 * package size, remote_id and removed. A vset owns copies of those strings
 * and exposes them as the contiguous oc_variant array of oc_listing. While
 * a job runs, the answers it gets (oc_listing_result.variants) are applied
 * here, and vset_outcome_json() says what was learnt, as ocop_finish_job
 * (sql/logic/outbox.sql) takes it.
 */
#ifndef OCOP_VARIANTS_H
#define OCOP_VARIANTS_H

#include <stddef.h>
#include <stdint.h>

#include "connector.h"

/* What a job learnt of one variant. */
struct vset_state {
  char remote[OC_ID_MAX]; /* the id variants[i].remote_id points to */
  int learnt;             /* an answer named its id */
  int gone;               /* an answer took it off the item */
  int read;               /* named by a read (LOOKUP_SKU), not by a write:
                           * the item shows read_price and read_stock (-1:
                           * not said), not necessarily what this job holds */
  int64_t read_price;
  int64_t read_stock;
};

struct vset {
  oc_variant *v;          /* n entries, strings owned */
  struct vset_state *st;  /* n entries */
  size_t n;
};

/* What vset_outcome_json() reports of each variant. */
enum vset_report {
  VSET_LEARNT,   /* ids learnt and variants gone, with their price and stock */
  VSET_PRICES,   /* the price of every variant on the item */
  VSET_STOCK,    /* the stock of every variant on the item */
  VSET_ALL_SENT  /* every variant not removed, as on the item (a file channel) */
};

/* Reads the JSON array `json` (at most OC_MAX_VARIANTS entries). 0, or -1
 * with err set; *vs is then empty. */
int vset_parse(struct vset *vs, const char *json, char *err, size_t errlen);

/* Applies an answer: each named SKU gets its id (or loses it when gone).
 * A SKU the set does not hold is ignored. `read` is 1 for a read
 * (LOOKUP_SKU): what it names is on the item with the price and stock the
 * answer says, which are reported as sent instead of the job's own. */
void vset_apply(struct vset *vs, const oc_variant_result *r, size_t nr, int read);

/* The variant of this SKU, or NULL. */
oc_variant *vset_find(struct vset *vs, const char *sku);

/* 1 when the set has variants on sale and none of them is on the item
 * (none has an id). */
int vset_none_live_on_item(const struct vset *vs);

/* The JSON array for ocop_finish_job's p_variants (malloc'd; NULL when out
 * of memory). */
char *vset_outcome_json(const struct vset *vs, enum vset_report what);

void vset_free(struct vset *vs);

#endif
