/*
 * orders.h — reading orders back from every channel (prefix orders_).
 *
 * Each active shop whose connector lists orders is polled on a timer: its
 * LIST_ORDERS pages over an update-time window that starts a little before
 * the shop's cursor (so a late update is never missed), then GET_ORDERS for
 * the ids, 50 at a time. The answers are gathered, across pages, up to 500
 * orders, and go to ocop_ingest_orders() in one transaction (one commit and
 * one sync of the stock they moved for several calls); the batch that ends
 * a window carries the new cursor, so the cursor never runs ahead of the
 * orders it covers. A window of several pages is listed again, reading only
 * the ids the run has not read, until a listing finds none (idset.h says
 * why). A crash anywhere re-reads from the old cursor, and re-ingesting
 * changes nothing.
 *
 * Webhooks and unreadable orders leave rows in order_fetch; those orders are
 * read again by id (a "fetch run") as soon as they are due. File channels
 * (PostMart) have no API: their order files are read from the shop's
 * order_import_dir instead (order_files.c).
 *
 * One run per shop at a time; a shop's calls share the outbox's rate limit
 * and token refresh.
 */
#ifndef OCOP_ORDERS_H
#define OCOP_ORDERS_H

#include <uv.h>

#include "connector.h"
#include "db.h"
#include "http.h"
#include "ratelimit.h"
#include "registry.h"
#include "token.h"

struct orders_options {
  const char *credentials_dir; /* NULL: none configured */
  const char *rate_limits;     /* config rate_limits */
  unsigned poll_interval_ms;   /* between polls of one shop */
  unsigned overlap_s;          /* a window starts this long before the cursor */
  unsigned lookback_s;         /* the first window of a shop without a cursor */
  unsigned max_attempts;       /* per call, and per unreadable order */
  unsigned retry_base_ms;
  unsigned retry_max_ms;
};

struct orders_stats {
  unsigned long long polls;     /* windows completed */
  unsigned long long fetched;   /* orders in GET_ORDERS answers and order files */
  unsigned long long ingested;  /* new or changed orders written */
  unsigned long long failed;    /* unreadable orders (retried, then dead) */
  unsigned long long requests;  /* marketplace calls */
  unsigned long long files;     /* order files ingested */
  unsigned long long rejected_files;
};

typedef struct orders orders_t;

orders_t *orders_new(uv_loop_t *loop, db_t *db, http_t *http, struct registry *reg,
                     ratelimit_t *rl, token_mgr_t *tm, const struct orders_options *opt);
int orders_start(orders_t *o);
/* Re-reads the shops now (a webhook queued a fetch). */
void orders_wake(orders_t *o);
void orders_reconfigure(orders_t *o, const struct orders_options *opt);
/* Runs started from now on use reg; runs in flight keep theirs. Holds a
 * reference. */
void orders_set_registry(orders_t *o, struct registry *reg);
void orders_get_stats(const orders_t *o, struct orders_stats *st);

/* Calls fn for every known active shop of `marketplace`: its public
 * identity (shop->app_secret is not for the caller: it reads the secret it
 * needs itself). Used to verify webhooks. Returns how many shops were
 * offered; 0 also before the first shop list arrived. */
typedef int (*orders_shop_fn)(void *arg, long long shop_id, const char *shop_name,
                              const oc_shop *shop);
unsigned orders_each_shop(orders_t *o, const char *marketplace, orders_shop_fn fn, void *arg);

/* Stops starting runs; done() once the runs in flight have ended. */
void orders_drain(orders_t *o, void (*done)(void *arg), void *arg);
/* Frees everything once its handles are closed; after orders_drain. */
void orders_close(orders_t *o);

#endif
