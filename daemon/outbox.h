/*
 * outbox.h — the worker that carries outbox jobs to the marketplaces.
 *
 * Cycle: claim due jobs (ocop_claim_jobs: SKIP LOCKED, leases, at most one
 * job per listing) → build each request with the shop's connector → send it
 * over http → classify the answer → record the outcome (ocop_finish_job).
 * Every decision about *what* to send is made in SQL; this file decides only
 * *how*: retries with backoff and jitter, the look-up by SKU before a create
 * whose outcome is unknown, and keeping at most `concurrency` calls in flight.
 *
 * NOTIFY on "ocop_outbox" wakes the worker; a poll timer and a periodic sweep
 * (ocop_sweep) are the guarantee when a notification is lost.
 */
#ifndef OCOP_OUTBOX_H
#define OCOP_OUTBOX_H

#include <stdint.h>
#include <uv.h>

#include "db.h"
#include "http.h"
#include "registry.h"

#define OUTBOX_CHANNEL "ocop_outbox"

struct outbox_options {
  const char *owner;           /* lease owner: host:pid */
  const char *credentials_dir; /* NULL: none configured */
  const char *rate_limits;     /* "shopee:10,lazada:10" (config rate_limits) */
  unsigned concurrency;
  unsigned claim_batch;
  unsigned job_lease_ms;
  unsigned max_attempts;
  unsigned create_settle_ms; /* a lost create is looked for this long */
  unsigned retry_base_ms;
  unsigned retry_max_ms;
  unsigned sweep_interval_ms;
  unsigned poll_interval_ms;
  unsigned progress_interval_ms; /* 0: no progress lines (daemon/progress.h) */
  /* Called after each sweep (the certificate duties follow it). */
  void (*swept_cb)(void *arg);
  void *swept_arg;
};

struct outbox_stats {
  uint64_t claimed;
  uint64_t done;
  uint64_t retried;
  uint64_t dead;
  uint64_t skipped;  /* stale leases and jobs dropped at dispatch */
  uint64_t deferred; /* held back by a shop's rate limit */
  uint64_t requests; /* marketplace calls sent */
  uint64_t sweeps;
  uint64_t held;     /* listings held for their content */
  uint64_t outcome_batches; /* statements that recorded outcomes */
  unsigned outcome_largest; /* the most outcomes one of them carried */
  unsigned inflight;
};

typedef struct outbox outbox_t;

/* db carries claims and what a job reads and writes on its way; out_db its
 * outcomes, in batches (daemon/outcomes.h), so that claiming the next jobs
 * and recording the last ones run side by side on two server processes;
 * sweep_db the periodic sweeps, which take long on a large catalogue and
 * must not hold up the jobs. */
outbox_t *outbox_new(uv_loop_t *loop, db_t *db, db_t *out_db, db_t *sweep_db, http_t *http,
                     struct registry *reg, const struct outbox_options *opt);
/* Starts the timers; jobs flow once the database is up. */
int outbox_start(outbox_t *ob);
/* Something may be queued: a notification arrived or the database came up. */
void outbox_wake(outbox_t *ob);
/* Re-derives every listing now (also run every sweep_interval). */
void outbox_sweep(outbox_t *ob);
/* Swaps the connector generation (SIGHUP): jobs claimed from now on use
 * reg; jobs in flight keep the one they started with. Holds a reference. */
void outbox_set_registry(outbox_t *ob, struct registry *reg);
/* Applies reloadable options (SIGHUP). */
void outbox_reconfigure(outbox_t *ob, const struct outbox_options *opt);
/* The shop rate limits and token refreshes, shared with order reading so
 * that a shop's calls of every kind add up to one budget. */
struct ratelimit *outbox_ratelimit(outbox_t *ob);
struct token_mgr *outbox_tokens(outbox_t *ob);
void outbox_get_stats(const outbox_t *ob, struct outbox_stats *st);
/* Who reads and checks images (daemon/media.h): woken when a job waits
 * for one. */
void outbox_set_media(outbox_t *ob, void (*wake)(void *media), void *media);

/* Stops claiming; calls done once no job is in flight. */
void outbox_drain(outbox_t *ob, void (*done)(void *arg), void *arg);
/* Closes the timers and frees ob once they are closed; call after drain. */
void outbox_close(outbox_t *ob);

#endif
