/*
 * sim_orders.h — orders and webhook pushes, shared by the marketplaces.
 *
 * Each marketplace keeps one `struct sim_orders` and answers its own order
 * endpoints from it; the control calls (/_sim/<mp>/orders, .../orders/status,
 * .../push) are the same for all of them, so they live here and reach the
 * marketplace through a `struct sim_order_ops`. Like everything a market
 * does, these run with the state mutex held. Pushes are only prepared under
 * the mutex: the core sends them (sim_push_finish) after unlocking, since a
 * push may take up to 5 s or be delivered to ocopsim itself.
 */
#ifndef OCOP_SIM_ORDERS_H
#define OCOP_SIM_ORDERS_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim.h"

struct sim_accts;

#define SIM_ORDER_ID_MAX 32     /* longest order id */
#define SIM_ORDER_STATUS_MAX 32 /* longest status */
#define SIM_ORDERS_PER_CALL 10000

struct sim_order_line {
  char *sku;
  int64_t qty, price; /* price: whole dong per unit */
};

struct sim_order {
  char *shop; /* the shop key: Shopee shop_id in decimal, seller, cipher */
  char id[SIM_ORDER_ID_MAX + 1];
  char status[SIM_ORDER_STATUS_MAX + 1];
  int64_t create_time, update_time; /* unix seconds */
  int64_t unit_base; /* per-unit ids (order items) are unit_base + k */
  struct sim_order_line *lines;
  size_t nlines;
  int malformed; /* the details leave out a field a client needs */
};

struct sim_orders {
  struct sim_order *v;
  size_t n, cap;
  uint64_t seq;      /* ids handed out so far */
  int64_t next_unit; /* next per-unit id; 0 until the first order */
  int given_ids;     /* some id came from a test: generated ones may clash */
};

/* What a marketplace plugs into the shared order code. */
struct sim_order_ops {
  const char *name; /* the marketplace */
  struct sim_orders *store;
  int64_t first_unit; /* first per-unit id */
  /* Apps and text-named shops (sim_acct.h): when set, they resolve "shop"
   * and sign pushes, and shop_key and push_sign are unused. */
  const struct sim_accts *accts;
  /* Resolves the control API's "shop" value to a known shop's key. */
  int (*shop_key)(const cJSON *v, char *key, size_t keylen, char *err,
                  size_t n);
  /* 1 when `id` is a well-formed order id for this marketplace. */
  int (*id_ok)(const char *id);
  /* Writes the seq-th generated id. */
  void (*new_id)(uint64_t seq, int64_t now, char *out, size_t n);
  /* A line was sold: lower the shop's own stock of that SKU (not below 0). */
  void (*sold)(const char *shop, const char *sku, int64_t qty);
  /* The push message for the order's current status, malloc'd. */
  char *(*push_body)(const struct sim_order *o, int64_t ts, size_t *len);
  /* The push's Authorization value (lowercase hex) into out[65]; with
   * `bad`, signed with a wrong key. -1 when the shop has no key. */
  int (*push_sign)(const char *shop, const char *callback_url,
                   const char *body, size_t len, int bad, char *out);
};

/* Answers the order control calls; 0 when `sub` is none of them. */
int sim_orders_control(const struct sim_order_ops *ops, const char *sub,
                       const struct sim_req *req, struct sim_resp *resp);

/* Forgets every order. */
void sim_orders_clear(struct sim_orders *st);

/* The shop's order with that id, or NULL. */
struct sim_order *sim_order_find(const struct sim_orders *st,
                                 const char *shop, const char *id);

/* Which orders a list call wants. */
struct sim_order_query {
  const char *shop;
  int by_create;    /* window and order on create_time, else update_time */
  int64_t from, to; /* from <= t, and t < to (t <= to with to_inclusive) */
  int to_inclusive;
  const char *status; /* NULL: any */
};

/* The matching orders, sorted by time then id, as a malloc'd array of
 * pointers (NULL when none) in *out. 0, or -1 for no memory. */
int sim_orders_select(const struct sim_orders *st,
                      const struct sim_order_query *q, struct sim_order ***out,
                      size_t *n);

/* A new object {"id","status","create_time","update_time"}: the head of
 * the control listing and of TikTok's order (sim_tiktok.c). */
cJSON *sim_order_head_json(const struct sim_order *o);

/* Sum of qty * price, and of qty. */
int64_t sim_order_total(const struct sim_order *o);
int64_t sim_order_units(const struct sim_order *o);

/* Parses ISO-8601 "YYYY-MM-DDTHH:MM:SS[.frac](Z|+HH:MM|+HHMM|-..)" into
 * unix seconds. A space stands for '+' (an unencoded '+' in a query). */
int sim_order_iso_time(const char *s, int64_t *out);

/* The lowercase hex HMAC-SHA256 of a + b (either may be NULL) under key. */
int sim_push_hmac(const char *key, const char *a, const char *b, size_t blen,
                  char *out);

/* Core: sends the pushes a control call prepared, outside the mutex, and
 * finishes its answer. */
void sim_push_finish(struct sim_resp *resp);

/* Core: libcurl's global set-up, before any thread; and its tear-down. */
int sim_push_init(void);
void sim_push_cleanup(void);

#endif
