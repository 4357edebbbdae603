/* orders.c — see orders.h. */
#include "orders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"
#include "call.h"
#include "job.h"
#include "drain.h"
#include "idset.h"
#include "log.h"
#include "metrics.h"
#include "order_doc.h"
#include "order_files.h"
#include "textbuf.h"
#include "worker.h"
#include "ms.h"

#define TICK_MS 1000   /* how often the shop list and due fetches are read */
#define CHUNK OC_MAX_ORDER_IDS
/* Answers are ingested together up to this many orders: a batch's fixed
 * cost in the database (the sync of the products it moved, the
 * statements of ocop_ingest_orders) is paid once for several calls, and a
 * fetch run's due re-reads (ocop_order_fetches, 500 at most) are one
 * batch. 20,000 polled orders: 3,598/s at 200, 4,206/s at 500 (four runs
 * each, alternating). */
#define INGEST_MAX 500
/* A window of several pages is listed again until a listing finds no order
 * the run has not read (idset.h says why), at most this many times. */
#define LOOKS_MAX 4

enum run_mode { RUN_NONE, RUN_POLL, RUN_FETCH, RUN_FILE };

struct oshop {
  orders_t *owner;
  long long id;
  struct job *ctx;      /* the shop as calls need it; replaced by each shop list
                           between runs. During a run it holds the run's
                           connector generation and the shop's secret. */
  int seen;             /* in the latest shop list */
  int has_cursor;
  int64_t cursor_s;
  int due_fetches;
  uint64_t next_poll_ms;
  uint64_t not_before_ms; /* after a failed run */
  unsigned failures;      /* failed runs in a row */
  uv_timer_t timer;       /* a call waiting for the rate limit or a retry */
  /* the run in progress */
  enum run_mode mode;
  oc_op op;
  unsigned attempts;      /* of the current call */
  int64_t from_s, to_s;   /* poll window */
  char page[512];
  oc_order_query q;       /* the call in flight asks this */
  int last_page;
  int pages;              /* listed in this pass over the window */
  int look;               /* 0: the first pass; then the passes that look again */
  size_t found;           /* ids the current look found unread */
  struct idset read;      /* ids this run has read or is reading */
  int cursor_sent;        /* the window's cursor went with an ingest */
  int64_t done_at;
  char **ids;             /* ids of the current page or fetch */
  size_t nids, next_id, chunk;
  cJSON *answers;         /* GET_ORDERS answers not yet ingested, of one
                             page or several */
  struct textbuf asked;   /* the ids those calls asked for: "id","id" */
  char *doc;              /* the document being ingested */
  char path[1024];        /* RUN_FILE: the file being ingested */
  struct oshop *next;
};

struct orders {
  struct worker w;        /* loop, db, http, registry, pace, credentials (worker.h) */
  struct orders_options opt;
  uv_timer_t tick;
  struct oshop *shops;
  int listing;       /* the shop query is in flight */
  int loaded;        /* a shop list arrived at least once */
  struct drain drain; /* daemon/drain.h */
  unsigned busy;     /* shops with a run */
  unsigned open_handles;
  struct orders_stats st;
};

static void run_step(struct oshop *s);
static void call(struct oshop *s, oc_op op);
static void on_timer(uv_timer_t *t);
static void consider(struct oshop *s);

static void check_drained(orders_t *o) {
  drain_check(&o->drain, o->busy == 0 && !o->listing);
}

static void free_ids(struct oshop *s) {
  size_t i;

  for (i = 0; i < s->nids; i++)
    free(s->ids[i]);
  free(s->ids);
  s->ids = NULL;
  s->nids = s->next_id = s->chunk = 0;
}

/* ---- ending a run --------------------------------------------------------- */

static void on_poll_due(uv_timer_t *t) {
  struct oshop *s = t->data;

  if (s->mode == RUN_NONE)
    consider(s);
}

static void end_run(struct oshop *s, int ok, uint64_t next_in_ms) {
  orders_t *o = s->owner;

  free_ids(s);
  free(s->doc);
  s->doc = NULL;
  cJSON_Delete(s->answers);
  s->answers = NULL;
  tb_free(&s->asked);
  idset_free(&s->read);
  s->mode = RUN_NONE;
  s->attempts = 0;
  call_hold_drop_connector(&s->ctx->hold);
  if (ok) {
    s->failures = 0;
    s->not_before_ms = 0;
  } else {
    s->failures++;
    s->not_before_ms = ms_mono() + backoff_delay_ms(s->failures, o->opt.retry_base_ms,
                                                   o->opt.retry_max_ms, 0, (uint32_t)rand());
  }
  if (next_in_ms != UINT64_MAX)
    s->next_poll_ms = ms_mono() + next_in_ms;
  o->busy--;
  check_drained(o);
  /* The tick reads the shop list once a second; a poll due sooner (a
   * shorter order_poll_interval, a window cut short that goes on at once)
   * starts on time. */
  if (next_in_ms < TICK_MS && !o->drain.active) {
    s->timer.data = s;
    uv_timer_start(&s->timer, on_poll_due, next_in_ms, 0);
  }
}

static void fail_run(struct oshop *s, const char *what, const char *err) {
  log_warn("orders", what, "shop=%s op=%s err=%s", s->ctx->shop_name, oc_op_name(s->op),
           err ? err : "-");
  end_run(s, 0, UINT64_MAX);
}

/* ---- ingesting -------------------------------------------------------------- */

static void on_ingested(void *arg, PGresult *res, const char *err) {
  struct oshop *s = arg;
  orders_t *o = s->owner;

  if (err) {
    fail_run(s, "cannot ingest orders; will read them again", err);
    return;
  }
  {
    int n = atoi(PQgetvalue(res, 0, 0)) + atoi(PQgetvalue(res, 0, 1));
    int failed = atoi(PQgetvalue(res, 0, 3)), dead = atoi(PQgetvalue(res, 0, 4));

    o->st.ingested += (unsigned long long)n;
    metrics_orders(s->ctx->shop_name, atol(PQgetvalue(res, 0, 0)));
    o->st.failed += (unsigned long long)failed;
    if (n || failed)
      log_info("orders", "orders ingested", "shop=%s new=%s updated=%s unchanged=%s failed=%d dead=%d",
               s->ctx->shop_name, PQgetvalue(res, 0, 0), PQgetvalue(res, 0, 1),
               PQgetvalue(res, 0, 2), failed, dead);
    if (dead)
      log_error("orders", "orders dead-lettered after max_attempts; see order_fetch.last_error",
                "shop=%s dead=%d", s->ctx->shop_name, dead);
  }
  free(s->doc);
  s->doc = NULL;
  if (s->mode == RUN_FILE) {
    order_files_done(s->path, NULL);
    o->st.files++;
    end_run(s, 1, UINT64_MAX);
    return;
  }
  run_step(s);
}

/* The ids whose answers are being ingested, as a SQL array literal. */
static char *asked_literal(struct oshop *s) {
  char *lit = NULL;

  if (!s->asked.failed && (lit = malloc(s->asked.len + 3)) != NULL)
    snprintf(lit, s->asked.len + 3, "{%s}", s->asked.len ? s->asked.p : "");
  tb_free(&s->asked);
  return lit;
}

/* Writes s->doc; with_cursor when this batch ends the poll window. */
static void ingest(struct oshop *s, int with_cursor) {
  orders_t *o = s->owner;
  char shop[24], cursor[24], maxa[16];
  char *asked = s->mode == RUN_FILE ? NULL : asked_literal(s);
  const char *params[5];

  if (s->mode != RUN_FILE && !asked) {
    fail_run(s, "cannot ingest orders", "out of memory");
    return;
  }

  snprintf(shop, sizeof shop, "%lld", s->id);
  snprintf(cursor, sizeof cursor, "%lld", (long long)(s->done_at ? s->done_at : s->to_s));
  snprintf(maxa, sizeof maxa, "%u", o->opt.max_attempts);
  params[0] = shop;
  params[1] = s->doc ? s->doc : "{}";
  params[2] = asked ? asked : "{}";
  params[3] = with_cursor ? cursor : NULL;
  params[4] = maxa;
  s->cursor_sent |= with_cursor;
  if (db_query(o->w.db,
               "SELECT * FROM ocop_ingest_orders($1::bigint, $2::jsonb, $3::text[], "
               "to_timestamp($4::bigint), $5::integer)",
               5, params, on_ingested, s) != 0)
    fail_run(s, "cannot ingest orders", "database not connected");
  free(asked);
}

/* At the end of a pass: the window must be listed again. A single page is
 * one consistent answer; a look that found nothing new ends the run. */
static int look_due(const struct oshop *s) {
  return s->mode == RUN_POLL && s->pages > 1 && s->look < LOOKS_MAX &&
         (s->look == 0 || s->found > 0);
}

/* Ingests the answers gathered; the batch that ends the poll window
 * carries the cursor. */
static void ingest_answers(struct oshop *s) {
  free(s->doc);
  s->doc = order_doc_print(s->answers);
  cJSON_Delete(s->answers);
  s->answers = NULL;
  if (!s->doc) {
    fail_run(s, "cannot ingest orders", "out of memory");
    return;
  }
  s->op = OC_OP_GET_ORDERS;
  ingest(s, s->mode == RUN_POLL && s->last_page && s->next_id >= s->nids && !look_due(s));
}

/* ---- answers ------------------------------------------------------------------ */

static int valid_id(const char *id) {
  size_t n = strlen(id);

  if (n == 0 || n > 64)
    return 0;
  return strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") == n;
}

/* Keeps a listed id: every id in the first pass (each is read), and in a
 * look only those the run has not read. `remember` is 0 for a window of one
 * page, which is never listed again. -1 when out of memory. */
static int keep_id(struct oshop *s, const char *id, int remember) {
  if (s->look > 0 && idset_has(&s->read, id))
    return 0;
  if ((remember && idset_add(&s->read, id) != 0) || !(s->ids[s->nids] = strdup(id)))
    return -1;
  s->nids++;
  s->found += s->look > 0;
  return 0;
}

/* Takes a LIST_ORDERS page: its ids, the next page, done_at. -1 for a page
 * to ask again, -2 for a run that cannot go on. */
static int take_page(struct oshop *s, const oc_order_page *p, char *err, size_t errlen) {
  size_t i;

  if (strlen(p->next) >= sizeof s->page) {
    snprintf(err, errlen, "connector answered a malformed order list");
    return -1;
  }
  free_ids(s);
  s->ids = calloc(p->nids + 1, sizeof *s->ids);
  if (!s->ids) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  /* The ids go into a SQL array literal unquoted (asked_literal). All are
   * checked before any is kept: a page asked again must not find its ids
   * already seen. */
  for (i = 0; i < p->nids; i++)
    if (!valid_id(p->ids[i])) {
      snprintf(err, errlen, "order list holds an unusable order id");
      return -1;
    }
  for (i = 0; i < p->nids; i++)
    if (keep_id(s, p->ids[i], s->pages > 0 || p->next[0] != '\0') != 0) {
      snprintf(err, errlen, "out of memory");
      return -2; /* the set may be part-written: the run ends */
    }
  snprintf(s->page, sizeof s->page, "%s", p->next);
  s->last_page = p->next[0] == '\0';
  s->pages++;
  /* A look lists the same window: where the first pass ended stands. */
  if (s->look == 0 && s->last_page && p->done_at > s->from_s)
    s->done_at = p->done_at;
  return 0;
}

static void retry_call(struct oshop *s, uint64_t wait_ms, const char *why) {
  orders_t *o = s->owner;

  if (s->attempts >= o->opt.max_attempts) {
    fail_run(s, "giving up on this run after max_attempts; the next poll starts again", why);
    return;
  }
  if (wait_ms == 0)
    wait_ms = backoff_delay_ms(s->attempts, o->opt.retry_base_ms, o->opt.retry_max_ms, 0,
                               (uint32_t)rand());
  log_info("orders", "call failed; retrying", "shop=%s op=%s attempt=%u ms=%llu err=%s",
           s->ctx->shop_name, oc_op_name(s->op), s->attempts, (unsigned long long)wait_ms, why);
  s->timer.data = s;
  uv_timer_start(&s->timer, on_timer, wait_ms, 0);
}

/* A page or a batch the marketplace gave: the run goes on. */
static void on_answer(struct oshop *s, call_result *res) {
  orders_t *o = s->owner;
  char err[256];
  size_t i;

  o->st.requests++;
  if (s->op == OC_OP_LIST_ORDERS) {
    int taken = take_page(s, &res->r.page, err, sizeof err);

    if (taken == -2) {
      fail_run(s, "cannot keep the order list", err);
      return;
    }
    if (taken != 0) {
      retry_call(s, 0, err);
      return;
    }
    s->attempts = 0;
    run_step(s);
    return;
  }
  s->attempts = 0;
  if (!s->answers)
    s->answers = order_doc_new();
  if (!s->answers || order_doc_add(s->answers, &res->r.batch) != 0) {
    fail_run(s, "cannot keep the orders read", "out of memory"); /* end_run drops them */
    return;
  }
  o->st.fetched += (unsigned long long)res->r.batch.norders;
  for (i = 0; i < s->chunk; i++) /* ids are [A-Za-z0-9_-]: no quoting needed */
    tb_printf(&s->asked, "%s\"%s\"", s->asked.len ? "," : "", s->ids[s->next_id + i]);
  s->next_id += s->chunk;
  s->chunk = 0;
  if (order_doc_size(s->answers) + CHUNK <= INGEST_MAX &&
      (s->next_id < s->nids || (s->mode == RUN_POLL && !s->last_page))) {
    run_step(s); /* the next chunk, of this page or the next, joins them */
    return;
  }
  ingest_answers(s);
}

static void on_call(void *arg, call_result *res) {
  struct oshop *s = arg;

  if (s->owner->drain.active && res->sent) {
    fail_run(s, "run stopped", "shutting down");
    return;
  }
  if (res->verdict == CALL_DEFERRED) { /* this daemon's rate limit: not an attempt */
    s->timer.data = s;
    uv_timer_start(&s->timer, on_timer, (uint64_t)res->retry_after_ms, 0);
    return;
  }
  s->attempts++;
  switch (res->verdict) {
  case CALL_OK:
    on_answer(s, res);
    return;
  case CALL_RATE_LIMITED: /* the shop is paused: the marketplace's pace, not a failure */
    s->attempts--;
    retry_call(s, (uint64_t)res->retry_after_ms, res->message[0] ? res->message : "rate limited");
    return;
  case CALL_RETRY:
    retry_call(s, (uint64_t)res->retry_after_ms, res->message);
    return;
  case CALL_AUTH: /* daemon/pace.c has asked for a refresh */
    fail_run(s, "token refused; refreshing it before the next run", res->message);
    return;
  case CALL_UNSUPPORTED:
    fail_run(s, "connector cannot read orders", res->message);
    return;
  case CALL_BAD_INPUT:
    fail_run(s, "cannot build the order call", res->message);
    return;
  case CALL_SHUTDOWN:
    fail_run(s, "cannot send the order call", res->message);
    return;
  default:
    fail_run(s, "marketplace refused the order call", res->message);
    return;
  }
}

/* ---- calling ---------------------------------------------------------------------- */

static void on_timer(uv_timer_t *t) {
  struct oshop *s = t->data;

  if (s->owner->drain.active) {
    fail_run(s, "run stopped", "shutting down");
    return;
  }
  call(s, s->op);
}

static void call(struct oshop *s, oc_op op) {
  orders_t *o = s->owner;

  s->op = op;
  memset(&s->q, 0, sizeof s->q);
  s->q.from_s = s->from_s;
  s->q.to_s = s->to_s;
  s->q.page = s->page;
  s->q.ids = (const char *const *)(s->ids ? s->ids + s->next_id : NULL);
  s->q.nids = s->chunk;
  worker_call(&o->w, s->ctx, op, &s->q, on_call, s);
}

/* Lists the window again from its first page (look_due). */
static void look_again(struct oshop *s) {
  if (s->found > 0)
    log_info("orders", "window changed while it was listed; the orders it skipped were read",
             "shop=%s found=%zu look=%d", s->ctx->shop_name, s->found, s->look);
  s->look++;
  s->found = 0;
  s->pages = 0;
  s->page[0] = '\0';
  s->last_page = 0;
  idset_seal(&s->read);
  free_ids(s);
  call(s, OC_OP_LIST_ORDERS);
}

/* The next thing a run does: fetch the next chunk of ids, list the next
 * page, list the window again, or end. */
static void run_step(struct oshop *s) {
  orders_t *o = s->owner;

  if (o->drain.active) {
    fail_run(s, "run stopped", "shutting down");
    return;
  }
  if (s->next_id < s->nids) {
    s->chunk = s->nids - s->next_id < CHUNK ? s->nids - s->next_id : CHUNK;
    call(s, OC_OP_GET_ORDERS);
    return;
  }
  if (s->mode == RUN_POLL && !s->last_page) {
    free_ids(s);
    call(s, OC_OP_LIST_ORDERS);
    return;
  }
  if (s->answers) { /* the window's last page was empty: they end it */
    ingest_answers(s);
    return;
  }
  if (look_due(s)) {
    look_again(s);
    return;
  }
  if (s->mode == RUN_POLL && !s->cursor_sent) {
    /* Nothing left to ingest (an empty last page, a look that found
     * nothing): the window still ends, so its cursor is written. */
    s->op = OC_OP_GET_ORDERS;
    ingest(s, 1);
    return;
  }
  if (s->mode == RUN_POLL) {
    int64_t reached = s->done_at ? s->done_at : s->to_s;

    if (s->found > 0 && s->pages > 1) /* the last look allowed still found some */
      log_warn("orders", "window kept changing while it was listed; an order it skipped is "
               "read at its next change", "shop=%s looks=%d", s->ctx->shop_name, s->look);
    o->st.polls++;
    s->has_cursor = 1;
    s->cursor_s = reached;
    /* A window cut short (15-day slices, Lazada's offset cap) continues at
     * once; a window that reached now waits for the next poll. */
    end_run(s, 1, reached < (ms_wall() / 1000) - 5 ? 0 : o->opt.poll_interval_ms);
    return;
  }
  end_run(s, 1, UINT64_MAX);
}

/* ---- starting runs ------------------------------------------------------------------ */

/* Only between runs: a run keeps the secret it started with. */
static int load_secret(struct oshop *s) {
  orders_t *o = s->owner;
  char err[300];

  if (job_hold_secret(s->ctx, worker_cred_dir(&o->w), err, sizeof err) != 0) {
    log_warn("orders", "no secret for the shop; orders not read", "shop=%s err=%s",
             s->ctx->shop_name, err);
    return -1;
  }
  return 0;
}

/* A run holds the generation's connector consider() took until end_run(),
 * whatever reloads come meanwhile. */
static void begin(struct oshop *s, enum run_mode mode) {
  s->owner->busy++;
  s->mode = mode;
  s->attempts = 0;
  s->done_at = 0;
  s->page[0] = '\0';
  s->last_page = 0;
  s->pages = 0;
  s->look = 0;
  s->found = 0;
  s->cursor_sent = 0;
  idset_free(&s->read);
  free_ids(s);
}

static void start_poll(struct oshop *s, const oc_connector *conn) {
  orders_t *o = s->owner;
  int64_t now = (ms_wall() / 1000);

  begin(s, RUN_POLL);
  s->from_s = s->has_cursor ? s->cursor_s - (int64_t)o->opt.overlap_s
                            : now - (int64_t)o->opt.lookback_s;
  s->to_s = now;
  if (conn->order_window_s > 0 && s->to_s - s->from_s > conn->order_window_s)
    s->to_s = s->from_s + conn->order_window_s;
  call(s, OC_OP_LIST_ORDERS);
}

static void on_fetches(void *arg, PGresult *res, const char *err) {
  struct oshop *s = arg;
  int i, n;

  if (err) {
    fail_run(s, "cannot read the orders due for a re-read", err);
    return;
  }
  n = PQntuples(res);
  s->ids = calloc((size_t)n + 1, sizeof *s->ids);
  for (i = 0; s->ids && i < n; i++) {
    s->ids[i] = strdup(PQgetvalue(res, i, 0));
    s->nids = (size_t)i + 1;
  }
  run_step(s);
}

static void start_fetch(struct oshop *s) {
  char shop[24];
  const char *params[2] = {shop, "500"};

  begin(s, RUN_FETCH);
  s->from_s = s->to_s = 0;
  snprintf(shop, sizeof shop, "%lld", s->id);
  if (db_query(s->owner->w.db, "SELECT * FROM ocop_order_fetches($1::bigint, $2::integer)", 2, params,
               on_fetches, s) != 0)
    fail_run(s, "cannot read the orders due", "database not connected");
}

/* An order file of a file channel: parsed here, written in one transaction,
 * then moved to done/ (or to rejected/ with the reasons, writing nothing). */
static void start_file(struct oshop *s, const char *dir) {
  char *json = NULL, *errors = NULL;

  if (order_files_next(dir, s->path, sizeof s->path) != 1)
    return;
  begin(s, RUN_FILE);
  if (order_files_read(s->path, &json, &errors) != 0) {
    log_error("orders", "order file rejected; nothing ingested", "shop=%s file=%s errors=%s",
              s->ctx->shop_name, s->path, errors ? errors : "?");
    order_files_done(s->path, errors ? errors : "unreadable");
    s->owner->st.rejected_files++;
    free(errors);
    end_run(s, 1, UINT64_MAX);
    return;
  }
  s->doc = json;
  log_info("orders", "ingesting an order file", "shop=%s file=%s", s->ctx->shop_name, s->path);
  ingest(s, 0);
}

/* Looks the connector up once and holds it for the run it may start; a
 * shop that starts nothing lets go of it again. */
static void consider(struct oshop *s) {
  orders_t *o = s->owner;
  const oc_connector *conn;
  uint64_t now = ms_mono();

  if (s->mode != RUN_NONE || o->drain.active || now < s->not_before_ms ||
      job_hold_connector(s->ctx, o->w.reg) != 0)
    return;
  conn = s->ctx->hold.conn;
  if (conn->caps & OC_CAP_FEED) {
    const char *dir = oc_shop_opt(&s->ctx->shop, "order_import_dir", NULL);

    if (dir && *dir)
      start_file(s, dir);
  } else if (oc_supports(conn, OC_OP_LIST_ORDERS) && oc_supports(conn, OC_OP_GET_ORDERS)) {
    if (s->due_fetches > 0 && load_secret(s) == 0)
      start_fetch(s);
    else if (now >= s->next_poll_ms && load_secret(s) == 0)
      start_poll(s, conn);
  }
  if (s->mode == RUN_NONE)
    call_hold_drop_connector(&s->ctx->hold);
}

/* ---- the shop list ------------------------------------------------------------------ */

static struct oshop *find_shop(orders_t *o, long long id) {
  struct oshop *s;

  for (s = o->shops; s; s = s->next)
    if (s->id == id)
      return s;
  return NULL;
}

static struct oshop *add_shop(orders_t *o, long long id) {
  struct oshop *s = calloc(1, sizeof *s);

  if (!s)
    return NULL;
  s->owner = o;
  s->id = id;
  uv_timer_init(o->w.loop, &s->timer);
  s->timer.data = s;
  o->open_handles++;
  s->next = o->shops;
  o->shops = s;
  return s;
}

static void update_shop(orders_t *o, const PGresult *res, int row) {
  long long id = strtoll(PQgetvalue(res, row, PQfnumber(res, "shop_id")), NULL, 10);
  struct oshop *s = find_shop(o, id);
  int c = PQfnumber(res, "polled_to");
  char why[200];
  struct job *ctx;

  if (!s && !(s = add_shop(o, id)))
    return;
  s->seen = 1;
  s->due_fetches = atoi(PQgetvalue(res, row, PQfnumber(res, "due_fetches")));
  if (!PQgetisnull(res, row, c) && (!s->has_cursor || s->mode == RUN_NONE)) {
    s->has_cursor = 1;
    s->cursor_s = strtoll(PQgetvalue(res, row, c), NULL, 10);
  }
  if (s->mode != RUN_NONE)
    return; /* a run holds pointers into its context */
  ctx = job_shop_from_row(res, row, why, sizeof why);
  if (!ctx) {
    log_error("orders", "skipping a malformed shop row", "shop=%lld err=%s", id, why);
    return;
  }
  job_free(s->ctx);
  s->ctx = ctx;
}

static void on_shops(void *arg, PGresult *res, const char *err) {
  orders_t *o = arg;
  struct oshop *s;
  int i;

  o->listing = 0;
  if (err) {
    log_warn("orders", "cannot read the shops", "err=%s", err);
    check_drained(o);
    return;
  }
  for (s = o->shops; s; s = s->next)
    s->seen = 0;
  for (i = 0; i < PQntuples(res); i++)
    update_shop(o, res, i);
  o->loaded = 1;
  for (s = o->shops; s; s = s->next)
    if (s->seen && s->ctx)
      consider(s);
  check_drained(o);
}

static void list_shops(orders_t *o) {
  if (o->listing || o->drain.active || !db_is_up(o->w.db))
    return;
  o->listing = 1;
  if (db_query(o->w.db, "SELECT * FROM ocop_order_shops()", 0, NULL, on_shops, o) != 0)
    o->listing = 0;
}

static void on_tick(uv_timer_t *t) { list_shops(t->data); }

/* ---- public --------------------------------------------------------------------------- */

static void set_options(orders_t *o, const struct orders_options *opt) {
  o->opt = *opt;
  worker_set_config(&o->w, opt->credentials_dir, opt->rate_limits);
  o->opt.credentials_dir = NULL;
  o->opt.rate_limits = NULL;
  if (o->opt.max_attempts == 0)
    o->opt.max_attempts = 8;
}

orders_t *orders_new(uv_loop_t *loop, db_t *db, http_t *http, struct registry *reg,
                     ratelimit_t *rl, token_mgr_t *tm, const struct orders_options *opt) {
  orders_t *o = calloc(1, sizeof *o);

  if (!o)
    return NULL;
  worker_init(&o->w, loop, db, http, reg, rl, tm);
  set_options(o, opt);
  uv_timer_init(loop, &o->tick);
  o->tick.data = o;
  o->open_handles = 1;
  return o;
}

int orders_start(orders_t *o) { return uv_timer_start(&o->tick, on_tick, 0, TICK_MS); }

void orders_wake(orders_t *o) {
  if (o)
    list_shops(o);
}

void orders_reconfigure(orders_t *o, const struct orders_options *opt) { set_options(o, opt); }

void orders_set_registry(orders_t *o, struct registry *reg) {
  worker_set_registry(&o->w, reg); /* runs in flight hold their own reference */
}

void orders_get_stats(const orders_t *o, struct orders_stats *st) { *st = o->st; }

unsigned orders_each_shop(orders_t *o, const char *marketplace, orders_shop_fn fn, void *arg) {
  struct oshop *s;
  unsigned n = 0;

  for (s = o->shops; s; s = s->next) {
    oc_shop pub;

    if (!s->seen || !s->ctx || strcmp(s->ctx->marketplace, marketplace) != 0)
      continue;
    pub = s->ctx->shop; /* the identity, never the secret a run holds */
    pub.app_secret = NULL;
    n++;
    if (fn(arg, s->id, s->ctx->shop_name, &pub))
      break;
  }
  return n;
}

void orders_drain(orders_t *o, void (*done)(void *arg), void *arg) {
  struct oshop *s;

  drain_begin(&o->drain, done, arg);
  uv_timer_stop(&o->tick);
  /* Runs waiting on a timer end now; runs waiting on a call end with it. */
  for (s = o->shops; s; s = s->next)
    if (s->mode != RUN_NONE && uv_is_active((uv_handle_t *)&s->timer)) {
      uv_timer_stop(&s->timer);
      fail_run(s, "run stopped", "shutting down");
    }
  check_drained(o);
}

static void on_handle_closed(uv_handle_t *h) {
  orders_t *o = h->data;

  if (--o->open_handles == 0) {
    while (o->shops) {
      struct oshop *s = o->shops;

      o->shops = s->next;
      free_ids(s);
      free(s->doc);
      cJSON_Delete(s->answers);
      tb_free(&s->asked);
      job_free(s->ctx);
      free(s);
    }
    worker_release(&o->w);
    free(o);
  }
}

void orders_close(orders_t *o) {
  struct oshop *s;

  if (!o)
    return;
  for (s = o->shops; s; s = s->next) {
    s->timer.data = o;
    uv_close((uv_handle_t *)&s->timer, on_handle_closed);
  }
  o->tick.data = o;
  uv_close((uv_handle_t *)&o->tick, on_handle_closed);
}
