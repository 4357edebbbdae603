/*
 * orders.h — building the order structs of connector.h (oc_order_page,
 * oc_order_batch) from a marketplace's answers, the same way for every
 * connector (prefix ocu_). Arrays come from malloc(): the core frees them
 * with oc_order_page_free() / oc_order_batch_free().
 */
#ifndef OCOP_CONN_ORDERS_H
#define OCOP_CONN_ORDERS_H

#include <stdint.h>

#include <cJSON.h>

#include "../connector.h"
#include "text.h"

/* One marketplace status and what it means for stock. A connector keeps a
 * table of these, ended by {NULL, 0}; lookups compare case-sensitively. */
typedef struct ocu_status_map {
  const char *status;
  oc_effect effect;
} ocu_status_map;

/* The effect of `status`, or 0 when the table does not know it. */
oc_effect ocu_order_effect(const ocu_status_map *map, const char *status);

/* 1 when an id fits the structs (at most OC_ID_MAX - 1 bytes). */
int ocu_order_id_fits(const char *id);

/* Appends one id to a LIST_ORDERS page. 0, or -1 on OOM or an id that does
 * not fit (see ocu_order_id_fits). */
int ocu_page_add(oc_order_page *p, const char *id);

/* Sets `next` (NULL or "" ends the window) and `done_at`. 0, or -1 when
 * next does not fit OC_NEXT_MAX. */
int ocu_page_end(oc_order_page *p, const char *next, int64_t done_at);

/* Appends an order without lines and returns it (NULL on OOM). total_vnd
 * < 0 means unknown (-1). The pointer is valid until the next order is
 * added or dropped. id and status must fit (checked by the caller with
 * ocu_order_id_fits and ocu_order_status_fits). */
oc_order *ocu_batch_add(oc_order_batch *b, const char *id, const char *status, oc_effect effect,
                        int64_t update_time, int64_t total_vnd);

/* 1 when a status fits oc_order.status. */
int ocu_order_status_fits(const char *status);

/* Adds qty units of sku to an order, merged with an existing line of the
 * same SKU and unit price (one row per unit becomes a quantity). A unit
 * price < 0 means unknown (-1). 0, or -1 on OOM. A SKU longer than the
 * struct holds is the caller's to refuse (ocu_order_id_fits). */
int ocu_order_add_line(oc_order *o, const char *sku, int64_t qty, int64_t unit_price_vnd);

/* Records an order that could not be read; the reason is formatted and cut
 * on a UTF-8 boundary to fit oc_order_bad.error. 0, or -1 on OOM. */
int ocu_batch_bad(oc_order_batch *b, const char *id, const char *fmt, ...) OCU_PRINTF(3, 4);

/* Drops the last order of b (one found broken while adding its lines). */
void ocu_batch_drop_last(oc_order_batch *b);

/* How a marketplace names an order in its answers' entries. */
typedef struct ocu_id_rule {
  const char *entry;               /* "data.orders[]": the entry, in messages */
  const char *key;                 /* "order_id": the id's member */
  int flags;                       /* OCU_ID_NUMBER, OCU_ID_STRING (json.h) */
  int (*valid)(const char *id);    /* the ids build_orders accepts */
  const char *invalid;             /* "is not an order id": why valid() said no */
  const char *lead;                /* "unexpected response: " */
} ocu_id_rule;

/* The order id of an answer's entry o (which must be an object) into out,
 * held to the rule and to the structs' OC_ID_MAX: an id that could not be
 * asked for again spoils the answer as a whole. 0, or -1 with v failed
 * (OC_RETRY). */
int ocu_entry_order_id(oc_verdict *v, const oc_shop *shop, const cJSON *o,
                       const ocu_id_rule *rule, char *out, size_t outlen);

#endif
