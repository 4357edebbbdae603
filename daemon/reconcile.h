/*
 * reconcile.h — reading stock back from the marketplaces (prefix reconcile_).
 *
 * The stock ledger is the truth, and pushes are absolute; still, what a
 * marketplace shows can drift (a seller edits it by hand, the marketplace
 * adjusts it, a push is lost). Every reconcile_interval each live listing's
 * stock is read back with GET_LISTING. ocop_reconcile_due() hands out the
 * listings due (and stamps them, so several daemons share the work);
 * ocop_reconcile_result() compares the count with the target and, on a
 * difference, records a 'stock_drift' event and queues the absolute push
 * that corrects it. The correction itself is an ordinary outbox job.
 *
 * Nothing here retries: a listing whose read fails, or whose shop is over
 * its rate limit for too long, is simply read again next interval. Calls
 * share the outbox's rate limit and token refresh. File channels have
 * nothing to read back and are skipped.
 */
#ifndef OCOP_RECONCILE_H
#define OCOP_RECONCILE_H

#include <uv.h>

#include "db.h"
#include "http.h"
#include "ratelimit.h"
#include "registry.h"
#include "token.h"

struct reconcile_options {
  const char *credentials_dir; /* NULL: none configured */
  const char *rate_limits;     /* config rate_limits */
  unsigned interval_ms;        /* between read-backs of one listing; 0: never */
};

struct reconcile_stats {
  unsigned long long checked;  /* counts read back and recorded */
  unsigned long long drifts;   /* of which differed from the target */
  unsigned long long failed;   /* reads or records that failed */
  unsigned long long requests; /* marketplace calls */
};

typedef struct reconcile reconcile_t;

reconcile_t *reconcile_new(uv_loop_t *loop, db_t *db, http_t *http, struct registry *reg,
                           ratelimit_t *rl, token_mgr_t *tm, const struct reconcile_options *opt);
int reconcile_start(reconcile_t *r);
/* Takes a new interval (0 stops the read-backs, non-zero starts them). */
void reconcile_reconfigure(reconcile_t *r, const struct reconcile_options *opt);
/* Reads started from now on use reg; reads in flight keep theirs. Holds a
 * reference. */
void reconcile_set_registry(reconcile_t *r, struct registry *reg);
void reconcile_get_stats(const reconcile_t *r, struct reconcile_stats *st);

/* Stops starting reads; done() once the reads in flight have ended. */
void reconcile_drain(reconcile_t *r, void (*done)(void *arg), void *arg);
/* Frees everything once its handles are closed; after reconcile_drain. */
void reconcile_close(reconcile_t *r);

#endif
