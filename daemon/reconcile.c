/* reconcile.c — see reconcile.h. */
#include "reconcile.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "call.h"
#include "job.h"
#include "drain.h"
#include "log.h"
#include "ms.h"
#include "worker.h"

#define TICK_MAX_MS 60000 /* the due listings are looked for at least this often */
#define BATCH "50"        /* listings handed out per look */
#define MAX_INFLIGHT 4    /* read-backs at once: a background task, not a race */

/* One listing to read back: its shop as calls need it, the listing's SKU,
 * marketplace id and its variants with the stock each should show
 * (ctx->listing). Once called,
 * ctx holds the connector generation and the secret the read started with. */
struct rcheck {
  reconcile_t *owner;
  struct job *ctx;
  long long listing_id;
  struct rcheck *next;
};

struct reconcile {
  struct worker w;        /* loop, db, http, registry, pace, credentials (worker.h) */
  struct reconcile_options opt;
  uv_timer_t tick;       /* looks for due listings */
  uv_timer_t pump;       /* a queued read waits for its shop's rate limit */
  struct rcheck *queue;  /* handed out, not called yet */
  struct rcheck *held;   /* during pump(): reads their shop's rate limit held back */
  struct rcheck **held_tail;
  int pumping;           /* in pump(): a read that ends at once does not re-enter it */
  uint64_t held_ms;      /* the soonest of those may go in this many ms */
  unsigned inflight;     /* reads in a call or being recorded */
  int reading;           /* the due query is in flight */
  int started;
  struct drain drain; /* daemon/drain.h */
  unsigned open_handles;
  struct reconcile_stats st;
};

static void pump(reconcile_t *r);
static void on_pump(uv_timer_t *t);

static void check_drained(reconcile_t *r) {
  drain_check(&r->drain, r->inflight == 0 && !r->reading);
}

static void check_free(struct rcheck *c) {
  if (!c)
    return;
  job_free(c->ctx);
  free(c);
}

static void free_queue(reconcile_t *r) {
  while (r->queue) {
    struct rcheck *c = r->queue;

    r->queue = c->next;
    check_free(c);
  }
}

/* A read that ended (recorded or not): room for the next one. */
static void check_done(struct rcheck *c) {
  reconcile_t *r = c->owner;

  check_free(c);
  r->inflight--;
  pump(r);
  check_drained(r);
}

static void check_fail(struct rcheck *c, const char *what, const char *err) {
  c->owner->st.failed++;
  log_warn("reconcile", what, "shop=%s sku=%s err=%s", c->ctx->shop_name, c->ctx->listing.sku,
           err && err[0] ? err : "-");
  check_done(c);
}

/* ---- recording ---------------------------------------------------------- */

static void on_recorded(void *arg, PGresult *res, const char *err) {
  struct rcheck *c = arg;
  reconcile_t *r = c->owner;
  const char *verdict;

  if (err) {
    check_fail(c, "cannot record the stock read back; read again next interval", err);
    return;
  }
  verdict = PQgetvalue(res, 0, 0);
  r->st.checked++;
  if (strcmp(verdict, "drift") == 0) {
    r->st.drifts++;
    log_info("reconcile", "stock drift corrected", "shop=%s sku=%s item=%s", c->ctx->shop_name,
             c->ctx->listing.sku, c->ctx->listing.item_id);
  } else {
    log_debug("reconcile", "stock read back", "shop=%s sku=%s verdict=%s", c->ctx->shop_name,
              c->ctx->listing.sku, verdict);
  }
  check_done(c);
}

/* The counts (and ids) the marketplace showed, per variant, as
 * ocop_reconcile_result() takes them; NULL when out of memory. */
static char *observed_json(const oc_listing_result *lr) {
  cJSON *arr = cJSON_CreateArray();
  char *out = NULL;
  size_t i;

  for (i = 0; arr && i < lr->nvariants && i < OC_MAX_VARIANTS; i++) {
    cJSON *o = cJSON_CreateObject();

    if (!o || !cJSON_AddItemToArray(arr, o) ||
        !cJSON_AddStringToObject(o, "sku", lr->variants[i].sku) ||
        (lr->variants[i].remote_id[0] &&
         !cJSON_AddStringToObject(o, "remote_id", lr->variants[i].remote_id)) ||
        (lr->variants[i].stock >= 0 &&
         !cJSON_AddNumberToObject(o, "stock", (double)lr->variants[i].stock)))
      goto out;
  }
  out = arr ? cJSON_PrintUnformatted(arr) : NULL;
out:
  cJSON_Delete(arr);
  return out;
}

/* Hands the counts to ocop_reconcile_result(), which compares each
 * variant's with the ledger's. */
static void record(struct rcheck *c, const oc_listing_result *lr) {
  char listing[24];
  char *observed = observed_json(lr);
  const char *params[2] = {listing, observed};

  if (!observed) {
    check_fail(c, "cannot record the stock read back", "out of memory");
    return;
  }
  snprintf(listing, sizeof listing, "%lld", c->listing_id);
  if (db_query(c->owner->w.db, "SELECT ocop_reconcile_result($1::bigint, $2::jsonb)", 2, params,
               on_recorded, c) != 0)
    check_fail(c, "cannot record the stock read back", "database not connected");
  free(observed);
}

/* ---- the read ------------------------------------------------------------ */

/* A read its shop's rate limit holds back stays queued: pump() puts it
 * back and looks again when the soonest of those may go. */
static void hold_back(struct rcheck *c, uint64_t wait_ms) {
  reconcile_t *r = c->owner;

  r->inflight--;
  c->next = NULL;
  *r->held_tail = c;
  r->held_tail = &c->next;
  if (r->held_ms == 0 || wait_ms < r->held_ms)
    r->held_ms = wait_ms;
}

static void on_call(void *arg, call_result *res) {
  struct rcheck *c = arg;
  reconcile_t *r = c->owner;

  if (res->sent)
    r->st.requests++;
  if (r->drain.active && res->sent) {
    check_fail(c, "stock read stopped", "shutting down");
    return;
  }
  switch (res->verdict) {
  case CALL_OK:
    if (!res->r.listing.active)
      log_warn("reconcile", "listing is not active on the marketplace; only its stock is checked",
               "shop=%s sku=%s item=%s", c->ctx->shop_name, c->ctx->listing.sku,
               c->ctx->listing.item_id);
    record(c, &res->r.listing);
    return;
  case CALL_DEFERRED:
    hold_back(c, (uint64_t)res->retry_after_ms);
    return;
  case CALL_RATE_LIMITED:
    check_fail(c, "marketplace rate limit; stock read again next interval",
               res->message[0] ? res->message : "rate limited");
    return;
  case CALL_AUTH:
    check_fail(c, "token refused; refreshing it, stock read again next interval", res->message);
    return;
  case CALL_BAD_INPUT:
    check_fail(c, "cannot build the stock read", res->message);
    return;
  case CALL_NO_CREDENTIALS:
    log_warn("reconcile", "no secret for the shop; stock not read back", "shop=%s err=%s",
             c->ctx->shop_name, res->message);
    check_done(c);
    return;
  default:
    check_fail(c, res->sent ? "cannot read the listing's stock; read again next interval"
                            : "cannot send the stock read",
               res->message);
    return;
  }
}

/* Starts the read; the check is in flight from here until check_done()
 * (or until its shop's rate limit holds it back). */
static void call(struct rcheck *c) {
  reconcile_t *r = c->owner;

  r->inflight++;
  worker_call(&r->w, c->ctx, OC_OP_GET_LISTING, NULL, on_call, c);
}

/* ---- the queue ------------------------------------------------------------ */

/* Whether a check can be called at all, holding the current connector if
 * so; 0 drops it (quietly for file channels, which have nothing to read
 * back). The call's stages check the rest: the secret and the rate. */
static int callable(struct rcheck *c) {
  reconcile_t *r = c->owner;
  const oc_connector *conn;

  if (job_hold_connector(c->ctx, r->w.reg) != 0)
    return 0;
  conn = c->ctx->hold.conn;
  if (conn->caps & OC_CAP_FEED)
    return 0;
  if (!oc_supports(conn, OC_OP_GET_LISTING)) {
    log_debug("reconcile", "connector cannot read a listing back", "shop=%s", c->ctx->shop_name);
    return 0;
  }
  return 1;
}

/* Starts queued reads while there is room. A read whose shop is over its
 * rate limit is held back (hold_back) and queued again here, and the pump
 * looks again when the soonest of those may go; other shops' reads are not
 * held up by it. */
static void pump(reconcile_t *r) {
  if (r->drain.active || r->pumping)
    return;
  r->pumping = 1;
  r->held = NULL;
  r->held_tail = &r->held;
  r->held_ms = 0;
  while (r->queue && r->inflight < MAX_INFLIGHT) {
    struct rcheck *c = r->queue;

    r->queue = c->next;
    c->next = NULL;
    if (!callable(c))
      check_free(c);
    else
      call(c);
  }
  /* The held-back reads go first again, in the order they came. */
  if (r->held) {
    *r->held_tail = r->queue;
    r->queue = r->held;
    r->held = NULL;
  }
  r->pumping = 0;
  /* With every slot busy, the next read to end pumps instead. */
  if (r->held_ms > 0 && r->inflight < MAX_INFLIGHT)
    uv_timer_start(&r->pump, on_pump, r->held_ms, 0);
}

/* ---- the due listings ----------------------------------------------------- */

/* Copies one due row: the shop through job_shop_from_row, the listing's
 * SKU, id and target stock into ctx->listing (connectors read those; the
 * free text they never send on a read is empty, not NULL). */
static struct rcheck *check_from_row(reconcile_t *r, const PGresult *res, int row) {
  struct rcheck *c = calloc(1, sizeof *c);
  oc_listing *l;
  char why[200] = "out of memory";

  if (!c || !(c->ctx = job_shop_from_row(res, row, why, sizeof why)))
    goto fail;
  c->owner = r;
  c->listing_id = strtoll(PQgetvalue(res, row, PQfnumber(res, "listing_id")), NULL, 10);
  c->ctx->listing_id = c->listing_id;
  l = &c->ctx->listing;
  l->sku = strdup(PQgetvalue(res, row, PQfnumber(res, "sku")));
  l->item_id = strdup(PQgetvalue(res, row, PQfnumber(res, "item_id")));
  if (vset_parse(&c->ctx->vars, PQgetvalue(res, row, PQfnumber(res, "variants")), why,
                 sizeof why) != 0)
    goto fail;
  l->variants = c->ctx->vars.v;
  l->nvariants = c->ctx->vars.n;
  l->name = strdup("");
  l->description = strdup("");
  l->category = strdup("");
  l->unit = strdup("");
  if (!l->sku || !l->item_id || !l->name || !l->description || !l->category || !l->unit)
    goto fail;
  return c;
fail:
  log_error("reconcile", "skipping a malformed listing row", "row=%d err=%s", row, why);
  check_free(c);
  return NULL;
}

static void on_due(void *arg, PGresult *res, const char *err) {
  reconcile_t *r = arg;
  struct rcheck **tail = &r->queue;
  int i;

  r->reading = 0;
  if (err) {
    log_warn("reconcile", "cannot read the listings due", "err=%s", err);
    check_drained(r);
    return;
  }
  if (r->drain.active) {
    check_drained(r);
    return;
  }
  while (*tail)
    tail = &(*tail)->next;
  for (i = 0; i < PQntuples(res); i++) {
    struct rcheck *c = check_from_row(r, res, i);

    if (c) {
      *tail = c;
      tail = &c->next;
    }
  }
  if (PQntuples(res) > 0)
    log_debug("reconcile", "reading stock back", "listings=%d", PQntuples(res));
  pump(r);
}

/* One look at a time, and none while the last batch is still being read:
 * a slow shop delays its own next round instead of piling up rounds. */
static void on_tick(uv_timer_t *t) {
  reconcile_t *r = t->data;
  char interval[16];
  const char *params[2] = {interval, BATCH};

  if (r->reading || r->drain.active || r->queue || r->inflight || !db_is_up(r->w.db))
    return;
  /* Whole seconds, rounded up: a sub-second interval still spaces reads. */
  snprintf(interval, sizeof interval, "%u", (r->opt.interval_ms + 999) / 1000);
  r->reading = 1;
  if (db_query(r->w.db, "SELECT * FROM ocop_reconcile_due($1::integer, $2::integer)", 2, params,
               on_due, r) != 0)
    r->reading = 0;
}

static void on_pump(uv_timer_t *t) { pump(t->data); }

/* ---- public ----------------------------------------------------------------- */

static void set_options(reconcile_t *r, const struct reconcile_options *opt) {
  r->opt = *opt;
  worker_set_config(&r->w, opt->credentials_dir, opt->rate_limits);
  r->opt.credentials_dir = NULL;
  r->opt.rate_limits = NULL;
}

/* (Re)arms the tick for the interval: every min(interval, 60 s), or never. */
static void arm_tick(reconcile_t *r) {
  unsigned every = r->opt.interval_ms < TICK_MAX_MS ? r->opt.interval_ms : TICK_MAX_MS;

  uv_timer_stop(&r->tick);
  if (!r->started || r->drain.active || every == 0)
    return;
  uv_timer_start(&r->tick, on_tick, every, every);
}

reconcile_t *reconcile_new(uv_loop_t *loop, db_t *db, http_t *http, struct registry *reg,
                           ratelimit_t *rl, token_mgr_t *tm, const struct reconcile_options *opt) {
  reconcile_t *r = calloc(1, sizeof *r);

  if (!r)
    return NULL;
  worker_init(&r->w, loop, db, http, reg, rl, tm);
  set_options(r, opt);
  uv_timer_init(loop, &r->tick);
  uv_timer_init(loop, &r->pump);
  r->tick.data = r->pump.data = r;
  r->open_handles = 2;
  return r;
}

int reconcile_start(reconcile_t *r) {
  r->started = 1;
  arm_tick(r);
  return 0;
}

void reconcile_reconfigure(reconcile_t *r, const struct reconcile_options *opt) {
  unsigned before = r->opt.interval_ms;

  set_options(r, opt);
  if (r->opt.interval_ms != before)
    arm_tick(r);
}

void reconcile_set_registry(reconcile_t *r, struct registry *reg) {
  worker_set_registry(&r->w, reg); /* reads in flight hold their own reference */
}

void reconcile_get_stats(const reconcile_t *r, struct reconcile_stats *st) { *st = r->st; }

void reconcile_drain(reconcile_t *r, void (*done)(void *arg), void *arg) {
  drain_begin(&r->drain, done, arg);
  uv_timer_stop(&r->tick);
  uv_timer_stop(&r->pump);
  /* Reads not started are dropped: they are due again next interval. */
  free_queue(r);
  check_drained(r);
}

static void on_handle_closed(uv_handle_t *h) {
  reconcile_t *r = h->data;

  if (--r->open_handles == 0) {
    free_queue(r);
    worker_release(&r->w);
    free(r);
  }
}

void reconcile_close(reconcile_t *r) {
  if (!r)
    return;
  uv_close((uv_handle_t *)&r->tick, on_handle_closed);
  uv_close((uv_handle_t *)&r->pump, on_handle_closed);
}
