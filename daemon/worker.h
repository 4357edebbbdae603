/*
 * worker.h — what the order poller (daemon/orders.c) and the stock
 * read-back (daemon/reconcile.c) each keep to call marketplaces for a shop
 * outside the outbox: the loop, the databases and HTTP they use, the
 * registry generation new work starts with, the pace of their calls
 * (daemon/pace.h), and their copies of the credentials folder and the rate
 * limits (prefix worker_).
 */
#ifndef OCOP_WORKER_H
#define OCOP_WORKER_H

#include <uv.h>

#include "call.h"
#include "db.h"
#include "http.h"
#include "job.h"
#include "pace.h"
#include "registry.h"

struct worker {
  uv_loop_t *loop;
  db_t *db;
  http_t *http;
  struct registry *reg; /* held: the generation new work starts with */
  struct pace pace;     /* rl, tm and rates as the calls' hooks */
  char cred_dir[1024];
  int has_cred_dir;
  char rates[256];
};

/* Fills w; takes a reference on reg. */
void worker_init(struct worker *w, uv_loop_t *loop, db_t *db, http_t *http,
                 struct registry *reg, ratelimit_t *rl, token_mgr_t *tm);

/* Copies the configured credentials folder (NULL: none) and rate limits. */
void worker_set_config(struct worker *w, const char *credentials_dir, const char *rate_limits);

/* The credentials folder, or NULL when none is configured. */
const char *worker_cred_dir(const struct worker *w);

/* New work starts with reg; work in flight holds its own reference. */
void worker_set_registry(struct worker *w, struct registry *reg);

/* Starts op for the shop context ctx at this worker's pace; query is the
 * orders' query (NULL for other ops). */
void worker_call(struct worker *w, struct job *ctx, oc_op op, const oc_order_query *query,
                 call_cb cb, void *arg);

/* Drops the registry reference; w is not used again. */
void worker_release(struct worker *w);

#endif
