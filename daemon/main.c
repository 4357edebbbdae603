/*
 * main.c — ocopd's life cycle: start, run one libuv loop, reload, drain, exit.
 *
 * Start-up does the few blocking things a daemon may do before it serves:
 * read the config, check what can be checked without a side effect (the
 * listen addresses, the credentials folder: daemon/preflight.c) and load
 * the connectors, and only then bring the schema up to date (refusing a
 * newer one): a config that cannot run stops ocopd before it writes. Everything after that runs on the loop: PostgreSQL, HTTP,
 * timers and signals. SIGTERM stops claiming work, lets calls in flight
 * finish (up to shutdown_timeout) and exits 0; SIGHUP re-reads the config,
 * the connectors and the secrets.
 */
#include "build_config.h" /* PACKAGE_VERSION, from configure */

#include <getopt.h>
#include <libpq-fe.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <uv.h>

#include "check_config.h"
#include "admin.h"
#include "clock_watch.h"
#include "config.h"
#include "crash.h"
#include "db.h"
#include "http.h"
#include "lifecycle.h"
#include "log.h"
#include "migrate.h"
#include "token_seal.h"
#include "tokenkey.h"
#include "notify.h"
#include "orders.h"
#include "outbox.h"
#include "media.h"
#include "preflight.h"
#include "metrics.h"
#include "reconcile.h"
#include "registry.h"
#include "secret.h"
#include "webhook.h"

#ifndef SYSCONFDIR
#define SYSCONFDIR "/etc"
#endif

struct daemon {
  uv_loop_t *loop;
  const char *config_path;
  struct config cfg;
  char today[11];   /* --today (tests only): pinned in the database at start */
  char owner[96];
  struct registry *reg; /* the current connector generation (one reference) */
  db_t *db;     /* claims and job outcomes */
  db_t *listen; /* LISTEN and sweeps */
  db_t *outdb;  /* job outcomes, in batches, beside the claims on main */
  db_t *orderdb; /* order batches: an ingest never waits behind claims and
                  * outcomes, nor they behind it */
  db_t *hookdb; /* pushes only (webhook_listen set): a marketplace waits a few
                 * seconds for its answer, so a push never queues behind
                 * claims and job outcomes on the main connection */
  http_t *http;
  outbox_t *ob;
  orders_t *orders;
  reconcile_t *rec;
  media_t *media;
  webhook_t *wh;
  admin_t *admin; /* /healthz, /metrics, /status */
  uv_signal_t sig_term, sig_int, sig_hup;
  uv_timer_t shutdown_timer;
  clock_watch_t *watch; /* asks the database for the OCOP date */
  int stopping;
  int http_closed;
};

/* Each line of a multi-line message, prefixed. */
static void print_lines(FILE *f, const char *prefix, const char *text) {
  while (*text) {
    size_t n = strcspn(text, "\n");

    fprintf(f, "%s%.*s\n", prefix, (int)n, text);
    text += n + (text[n] == '\n');
  }
}

static void usage(FILE *f) {
  fprintf(f,
          "usage: ocopd [-c FILE] [--check-config] [--help-config] [--version]\n"
          "  -c, --config FILE   configuration (default " SYSCONFDIR "/ocopd/ocopd.conf)\n"
          "      --check-config  read the configuration, report problems, exit\n"
          "      --help-config   list every option with its default\n"
          "      --today DATE    tests only: pin the database's OCOP date (YYYY-MM-DD)\n");
}

static int valid_date(const char *s) {
  struct tm tm;
  const char *end;

  if (strlen(s) != 10)
    return 0;
  memset(&tm, 0, sizeof tm);
  end = strptime(s, "%Y-%m-%d", &tm);
  return end && *end == '\0';
}

static int parse_args(struct daemon *d, int argc, char **argv) {
  static const struct option longopts[] = {
      {"config", required_argument, NULL, 'c'},  {"check-config", no_argument, NULL, 'k'},
      {"help-config", no_argument, NULL, 'H'},   {"today", required_argument, NULL, 't'},
      {"version", no_argument, NULL, 'V'},       {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  int c, check = 0;

  d->config_path = SYSCONFDIR "/ocopd/ocopd.conf";
  while ((c = getopt_long(argc, argv, "c:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'c': d->config_path = optarg; break;
    case 'k': check = 1; break;
    case 'H': config_describe(stdout); exit(0);
    case 'V': printf("ocopd " PACKAGE_VERSION "\n"); exit(0);
    case 'h': usage(stdout); exit(0);
    case 't':
      if (!valid_date(optarg)) {
        fprintf(stderr, "ocopd: --today: \"%s\" is not a date YYYY-MM-DD\n", optarg);
        exit(2);
      }
      snprintf(d->today, sizeof d->today, "%s", optarg);
      break;
    default: usage(stderr); exit(2);
    }
  }
  if (optind != argc) {
    fprintf(stderr, "ocopd: unexpected argument \"%s\"\n", argv[optind]);
    exit(2);
  }
  return check;
}

/* --today: the pin lives in the database (sql/008_clock.sql), so every
 * connection, ocopctl's and the tests' included, sees the same date. */
static int pin_test_clock(PGconn *conn, const char *date) {
  const char *params[1] = {date};
  PGresult *res;
  int ok;

  log_warn("main", "TEST CLOCK: pinning the database's OCOP date; never use --today in production",
           "today=%s", date);
  res = PQexecParams(conn, "SELECT ocop_clock_pin($1::date, 'ocopd --today')", 1, NULL, params,
                     NULL, NULL, 0);
  ok = PQresultStatus(res) == PGRES_TUPLES_OK;
  if (!ok)
    log_error("main", "cannot pin the OCOP date", "err=%s", PQresultErrorMessage(res));
  PQclear(res);
  return ok ? 0 : -1;
}

/* Blocking, before the loop: a daemon with the wrong schema must not start. */
static int bring_schema_up_to_date(const struct config *cfg, const char *today) {
  PGconn *conn = PQconnectdb(cfg->database);
  struct migrate_outcome m;
  char err[512];
  int rc = -1;

  if (PQstatus(conn) != CONNECTION_OK) {
    log_error("main", "cannot connect to the database", "err=%s", PQerrorMessage(conn));
    goto out;
  }
  if (token_seal_check(conn, err, sizeof err) != 0) {
    log_error("main", "refusing to start: the tokens cannot be opened or sealed", "err=%s", err);
    goto out;
  }
  if (migrate_apply(conn, &m, err, sizeof err) != 0) {
    log_error("main", "schema check failed", "err=%s", err);
    goto out;
  }
  if (m.from != m.to)
    log_info("main", "schema migrated", "from=%d to=%d", m.from, m.to);
  else
    log_info("main", "schema is current", "version=%d", m.to);
  if (m.logic > 0)
    log_info("main", "SQL logic applied", "files=%d", m.logic);
  if (today[0] && pin_test_clock(conn, today) != 0)
    goto out;
  if (token_seal_at_start(conn, err, sizeof err) != 0) {
    log_error("main", "refusing to start: the tokens cannot be opened or sealed", "err=%s", err);
    goto out;
  }
  rc = 0;
out:
  PQfinish(conn);
  return rc;
}

/* After every sweep: warnings that came due (a certificate may have been
 * imported with little time left). */
static void on_swept(void *arg) {
  struct daemon *d = arg;

  lifecycle_warn_expiring(d->listen, d->cfg.expiry_warnings);
}

/* 00:00 in Asia/Ho_Chi_Minh: certificates whose valid_until was yesterday
 * lapse now. The sweep withdraws them and the day's warnings follow it. */
static void on_new_day(void *arg, const char *date) {
  struct daemon *d = arg;

  log_info("certs", "new OCOP day; re-deriving every listing", "today=%s", date);
  /* The sweep re-derives every listing, and its swept callback sends the
   * day's expiry warnings. */
  outbox_sweep(d->ob);
}

static void outbox_options_from(const struct daemon *d, struct outbox_options *o) {
  const struct config *c = &d->cfg;

  memset(o, 0, sizeof *o);
  o->owner = d->owner;
  o->credentials_dir = secret_dir(c->credentials_dir);
  o->rate_limits = c->rate_limits;
  o->concurrency = c->concurrency;
  o->claim_batch = c->claim_batch;
  o->job_lease_ms = c->job_lease_ms;
  o->max_attempts = c->max_attempts;
  o->create_settle_ms = c->create_settle_ms;
  o->retry_base_ms = c->retry_base_ms;
  o->retry_max_ms = c->retry_max_ms;
  o->sweep_interval_ms = c->sweep_interval_ms;
  o->poll_interval_ms = c->poll_interval_ms;
  o->progress_interval_ms = c->progress_interval_ms;
  o->swept_cb = on_swept;
  o->swept_arg = (void *)d;
}

static void orders_options_from(const struct daemon *d, struct orders_options *o) {
  const struct config *c = &d->cfg;

  memset(o, 0, sizeof *o);
  o->credentials_dir = secret_dir(c->credentials_dir);
  o->rate_limits = c->rate_limits;
  o->poll_interval_ms = c->order_poll_interval_ms;
  o->overlap_s = c->order_poll_overlap_ms / 1000;
  o->lookback_s = c->order_lookback_ms / 1000;
  o->max_attempts = c->max_attempts;
  o->retry_base_ms = c->retry_base_ms;
  o->retry_max_ms = c->retry_max_ms;
}

static void reconcile_options_from(const struct daemon *d, struct reconcile_options *o) {
  const struct config *c = &d->cfg;

  memset(o, 0, sizeof *o);
  o->credentials_dir = secret_dir(c->credentials_dir);
  o->rate_limits = c->rate_limits;
  o->interval_ms = c->reconcile_interval_ms;
}

/* ---- database events ---------------------------------------------------- */

static void on_db_state(void *arg, int up) {
  struct daemon *d = arg;

  metrics_db_state("main", up);
  if (!d->ob)
    return;
  if (up)
    outbox_wake(d->ob);
  else
    log_warn("db", "connection lost; reconnecting", "conn=main");
}

static void on_outdb_state(void *arg, int up) {
  (void)arg;
  metrics_db_state("outcomes", up);
  if (!up)
    log_warn("db", "connection lost; reconnecting", "conn=outcomes");
}

static void on_orderdb_state(void *arg, int up) {
  struct daemon *d = arg;

  metrics_db_state("orders", up);
  if (!d->orders)
    return;
  if (up)
    orders_wake(d->orders);
  else
    log_warn("db", "connection lost; reconnecting", "conn=orders");
}

static void on_hookdb_state(void *arg, int up) {
  (void)arg;
  metrics_db_state("webhook", up);
  if (!up)
    log_warn("db", "connection lost; reconnecting", "conn=webhook");
}

static void on_listen_state(void *arg, int up) {
  struct daemon *d = arg;

  metrics_db_state("listen", up);
  if (!d->ob)
    return;
  if (up) {
    log_info("db", "listening; catching up", "");
    clock_watch_poke(d->watch);
    lifecycle_publish_caps(d->listen, d->reg);
    /* Notifications sent while we were away, or a midnight passed while we
     * were down: sweep everything. */
    outbox_sweep(d->ob);
    outbox_wake(d->ob);
  } else {
    log_warn("db", "connection lost; reconnecting", "conn=listen");
  }
}

static void on_db_notify(void *arg, const char *channel, const char *payload) {
  struct daemon *d = arg;

  if (!d->ob || strcmp(channel, OUTBOX_CHANNEL) != 0)
    return;
  /* A push stored by any daemon queued an order re-read ("orders:<shop>"). */
  if (payload && strncmp(payload, "orders:", 7) == 0)
    orders_wake(d->orders);
  else if (payload && strcmp(payload, "media") == 0)
    media_wake(d->media); /* the catalogue named images to read */
  else if (payload && strcmp(payload, "clock") == 0)
    clock_watch_poke(d->watch); /* the OCOP date was pinned: ask for it now */
  else
    outbox_wake(d->ob);
}

/* ---- shutdown ----------------------------------------------------------- */

static void on_handle_closed(uv_handle_t *h) { (void)h; }

static void on_listen_closed(void *arg) {
  struct daemon *d = arg;

  d->listen = NULL;
  clock_watch_stop(d->watch);
  d->watch = NULL;
  notify_stop_watchdog();
  outbox_close(d->ob);
  d->ob = NULL;
  orders_close(d->orders);
  d->orders = NULL;
  reconcile_close(d->rec);
  d->rec = NULL;
  media_close(d->media, NULL, NULL);
  d->media = NULL;
  uv_close((uv_handle_t *)&d->sig_term, on_handle_closed);
  uv_close((uv_handle_t *)&d->sig_int, on_handle_closed);
  uv_close((uv_handle_t *)&d->sig_hup, on_handle_closed);
  uv_close((uv_handle_t *)&d->shutdown_timer, on_handle_closed);
}

static void on_outdb_closed(void *arg) {
  struct daemon *d = arg;

  d->outdb = NULL;
  db_close(d->listen, on_listen_closed, d);
}

static void on_orderdb_closed(void *arg) {
  struct daemon *d = arg;

  d->orderdb = NULL;
  db_close(d->outdb, on_outdb_closed, d);
}

static void on_db_closed(void *arg) {
  struct daemon *d = arg;

  d->db = NULL;
  db_close(d->orderdb, on_orderdb_closed, d);
}

static void on_http_closed(void *arg) {
  struct daemon *d = arg;

  d->http = NULL;
}

static void on_drained(void *arg) {
  struct daemon *d = arg;
  struct outbox_stats st;

  outbox_get_stats(d->ob, &st);
  log_info("main", "drained; closing",
           "done=%llu retried=%llu dead=%llu requests=%llu outcome_batches=%llu "
           "largest_batch=%u",
           (unsigned long long)st.done, (unsigned long long)st.retried,
           (unsigned long long)st.dead, (unsigned long long)st.requests,
           (unsigned long long)st.outcome_batches, st.outcome_largest);
  uv_timer_stop(&d->shutdown_timer);
  if (!d->http_closed) {
    d->http_closed = 1;
    http_close(d->http, on_http_closed, d);
  }
  /* The endpoint answers until here; it never touches d->db again. */
  admin_close(d->admin, NULL, NULL);
  d->admin = NULL;
  db_close(d->db, on_db_closed, d);
}

static void on_shutdown_timeout(uv_timer_t *t) {
  struct daemon *d = t->data;

  log_warn("main", "calls still in flight at shutdown_timeout; aborting them", "");
  /* Their jobs are recorded as retries (or their leases expire): nothing lost. */
  if (!d->http_closed) {
    d->http_closed = 1;
    http_close(d->http, on_http_closed, d);
  }
}

static void on_reconcile_drained(void *arg) {
  struct daemon *d = arg;
  struct reconcile_stats st;

  reconcile_get_stats(d->rec, &st);
  log_info("main", "stock read-back stopped", "checked=%llu drifts=%llu failed=%llu",
           st.checked, st.drifts, st.failed);
  outbox_drain(d->ob, on_drained, d);
}

static void on_orders_drained(void *arg) {
  struct daemon *d = arg;
  struct orders_stats st;

  orders_get_stats(d->orders, &st);
  log_info("main", "order reading stopped", "polls=%llu ingested=%llu failed=%llu files=%llu",
           st.polls, st.ingested, st.failed, st.files);
  reconcile_drain(d->rec, on_reconcile_drained, d);
}

static void on_hookdb_closed(void *arg) {
  struct daemon *d = arg;

  d->hookdb = NULL;
  orders_drain(d->orders, on_orders_drained, d);
}

static void on_webhook_closed(void *arg) {
  struct daemon *d = arg;

  if (d->hookdb)
    db_close(d->hookdb, on_hookdb_closed, d);
  else
    on_hookdb_closed(d);
}

static void begin_shutdown(struct daemon *d, const char *why) {
  if (d->stopping)
    return;
  d->stopping = 1;
  notify_stopping();
  log_info("main", "shutting down", "signal=%s", why);
  uv_timer_start(&d->shutdown_timer, on_shutdown_timeout, d->cfg.shutdown_timeout_ms, 0);
  /* Pushes first (each is answered once stored), then order runs, then
   * stock read-backs, then the outbox; nothing in flight is cut, and what is
   * not done is redone. */
  webhook_close(d->wh, on_webhook_closed, d);
  d->wh = NULL;
}

/* ---- reload ------------------------------------------------------------- */

/* Swaps in the new connector generation. Calls in flight hold the old one,
 * whose modules close when the last of them ends (and are shared with the
 * new one where the file did not change). */
static void swap_registry(struct daemon *d, struct registry *reg) {
  outbox_set_registry(d->ob, reg);
  orders_set_registry(d->orders, reg);
  reconcile_set_registry(d->rec, reg);
  webhook_set_registry(d->wh, reg);
  registry_unref(d->reg);
  d->reg = reg;
  lifecycle_publish_caps(d->listen, reg);
}

static void media_options_from(const struct daemon *d, struct media_options *mo) {
  memset(mo, 0, sizeof *mo);
  mo->dir = d->cfg.media_dir;
  mo->rescan_ms = d->cfg.media_rescan_ms;
  mo->timeout_ms = d->cfg.http_timeout_ms;
}

static void reconfigure(struct daemon *d) {
  struct media_options mo;
  struct outbox_options oo;
  struct orders_options ro;
  struct reconcile_options co;

  log_set_level(d->cfg.log_level);
  outbox_options_from(d, &oo);
  outbox_reconfigure(d->ob, &oo);
  orders_options_from(d, &ro);
  orders_reconfigure(d->orders, &ro);
  reconcile_options_from(d, &co);
  reconcile_reconfigure(d->rec, &co);
  media_options_from(d, &mo);
  media_reconfigure(d->media, &mo);
  webhook_set_credentials_dir(d->wh, secret_dir(d->cfg.credentials_dir));
}

static void reload(struct daemon *d) {
  struct config next;
  struct registry *reg;
  char err[2048];
  int bad = 0;

  notify_reloading();
  config_defaults(&next);
  if (config_load(&next, d->config_path, err, sizeof err) != 0) {
    log_error("main", "reload refused; keeping the running configuration", "err=%s", err);
    config_free(&next);
    notify_ready();
    return;
  }
  reg = registry_load(next.connector_dir, &bad);
  if (!reg || registry_count(reg) == 0) {
    log_error("main", "reload refused: no connector loaded; keeping the running ones", "dir=%s",
              next.connector_dir);
    registry_unref(reg);
    config_free(&next);
    notify_ready();
    return;
  }
  if (strcmp(next.database, d->cfg.database) != 0)
    log_warn("main", "database changed in the config; restart ocopd to use it", "");
  free(next.database);
  next.database = d->cfg.database;
  d->cfg.database = NULL;
  config_free(&d->cfg);
  d->cfg = next;
  /* Only the cache: calls in flight hold the secrets they started with. */
  secret_forget();
  tkey_set_dir(secret_dir(d->cfg.credentials_dir));
  swap_registry(d, reg);
  reconfigure(d);
  log_info("main", "configuration reloaded", "connectors=%zu bad=%d", registry_count(reg), bad);
  notify_ready();
}

static void on_signal(uv_signal_t *s, int signum) {
  struct daemon *d = s->data;

  if (signum == SIGHUP)
    reload(d);
  else
    begin_shutdown(d, signum == SIGTERM ? "TERM" : "INT");
}

/* ---- start -------------------------------------------------------------- */

static int start_loop(struct daemon *d) {
  struct db_options dbo;
  struct http_options ho;
  struct outbox_options oo;
  struct orders_options ro;
  struct reconcile_options co;
  struct media_options mo;
  /* The server also stops a statement that runs away; job work is small. */
  const char *setup[3] = {"SET application_name = 'ocopd'", "SET statement_timeout = '300s'",
                          NULL};
  /* A batch of outcomes holds its listings' rows until it commits: it never
   * waits long for a row another transaction holds. Given up, its jobs'
   * leases expire and they run again (daemon/outcomes.c). */
  const char *out_setup[4] = {"SET application_name = 'ocopd'", "SET statement_timeout = '300s'",
                              "SET lock_timeout = '5s'", NULL};

  memset(&dbo, 0, sizeof dbo);
  dbo.conninfo = d->cfg.database;
  dbo.setup_sql = setup;
  dbo.name = "main";
  d->db = db_new(d->loop, &dbo, on_db_state, NULL, d);
  dbo.name = "outcomes";
  dbo.setup_sql = out_setup;
  d->outdb = db_new(d->loop, &dbo, on_outdb_state, NULL, d);
  dbo.setup_sql = setup;
  dbo.name = "orders";
  d->orderdb = db_new(d->loop, &dbo, on_orderdb_state, NULL, d);
  dbo.listen_channel = OUTBOX_CHANNEL;
  dbo.name = "listen";
  d->listen = db_new(d->loop, &dbo, on_listen_state, on_db_notify, d);
  memset(&ho, 0, sizeof ho);
  ho.timeout_ms = d->cfg.http_timeout_ms;
  ho.connect_timeout_ms = d->cfg.http_connect_timeout_ms;
  ho.max_response = d->cfg.max_response;
  ho.max_total_connections = d->cfg.concurrency;
  d->http = http_new(d->loop, &ho);
  outbox_options_from(d, &oo);
  if (!d->db || !d->outdb || !d->orderdb || !d->listen || !d->http)
    return -1;
  d->ob = outbox_new(d->loop, d->db, d->outdb, d->listen, d->http, d->reg, &oo);
  if (!d->ob)
    return -1;
  orders_options_from(d, &ro);
  d->orders = orders_new(d->loop, d->orderdb, d->http, d->reg, outbox_ratelimit(d->ob),
                         outbox_tokens(d->ob), &ro);
  if (!d->orders)
    return -1;
  reconcile_options_from(d, &co);
  d->rec = reconcile_new(d->loop, d->db, d->http, d->reg, outbox_ratelimit(d->ob),
                         outbox_tokens(d->ob), &co);
  if (!d->rec)
    return -1;
  media_options_from(d, &mo);
  if ((d->media = media_new(d->loop, d->db, &mo)) == NULL)
    return -1;
  outbox_set_media(d->ob, media_wake, d->media);
  if (d->cfg.webhook_listen[0]) {
    struct webhook_options wo;

    wo.listen = d->cfg.webhook_listen;
    wo.public_url = d->cfg.webhook_public_url;
    wo.max_age_s = d->cfg.webhook_max_age_ms / 1000;
    wo.request_timeout_ms = d->cfg.webhook_request_timeout_ms;
    wo.max_connections = d->cfg.webhook_max_connections;
    wo.per_ip = d->cfg.webhook_connections_per_ip;
    wo.credentials_dir = secret_dir(d->cfg.credentials_dir);
    dbo.listen_channel = NULL;
    dbo.name = "webhook";
    d->hookdb = db_new(d->loop, &dbo, on_hookdb_state, NULL, d);
    if (!d->hookdb || db_start(d->hookdb) != 0)
      return -1;
    d->wh = webhook_start(d->loop, d->hookdb, d->orders, d->reg, &wo);
    if (!d->wh)
      return -1;
  }
  if (d->cfg.admin_listen[0]) {
    struct admin_options ao = {d->cfg.admin_listen, d->cfg.database, d->db};

    if ((d->admin = admin_start(d->loop, &ao)) == NULL)
      return -1;
  }
  uv_signal_init(d->loop, &d->sig_term);
  uv_signal_init(d->loop, &d->sig_int);
  uv_signal_init(d->loop, &d->sig_hup);
  d->sig_term.data = d->sig_int.data = d->sig_hup.data = d;
  uv_signal_start(&d->sig_term, on_signal, SIGTERM);
  uv_signal_start(&d->sig_int, on_signal, SIGINT);
  uv_signal_start(&d->sig_hup, on_signal, SIGHUP);
  uv_timer_init(d->loop, &d->shutdown_timer);
  d->shutdown_timer.data = d;
  outbox_start(d->ob);
  orders_start(d->orders);
  reconcile_start(d->rec);
  media_start(d->media);
  d->watch = clock_watch_start(d->loop, d->db, on_new_day, d);
  if (!d->watch)
    return -1;
  notify_start_watchdog(d->loop, d->db);
  return db_start(d->db) != 0 || db_start(d->outdb) != 0 || db_start(d->orderdb) != 0 ||
                 db_start(d->listen) != 0
             ? -1
             : 0;
}

int main(int argc, char **argv) {
  struct daemon d;
  char err[2048], host[64];
  int check, bad = 0, rc = 1;

  memset(&d, 0, sizeof d);
  check = parse_args(&d, argc, argv);
  if (check)
    return check_config_run(d.config_path, stdout) == 0 ? 0 : 1;
  config_defaults(&d.cfg);
  if (config_load(&d.cfg, d.config_path, err, sizeof err) != 0) {
    print_lines(stderr, "ocopd: ", err);
    config_free(&d.cfg);
    return 1;
  }
  log_set_level(d.cfg.log_level);
  crash_install();
  signal(SIGPIPE, SIG_IGN);
  srand((unsigned)(time(NULL) ^ getpid()));
  if (gethostname(host, sizeof host) != 0)
    snprintf(host, sizeof host, "localhost");
  host[sizeof host - 1] = '\0';
  snprintf(d.owner, sizeof d.owner, "%s:%d", host, (int)getpid());
  log_info("main", "starting", "version=%s config=%s owner=%s", PACKAGE_VERSION, d.config_path,
           d.owner);
  tkey_set_dir(secret_dir(d.cfg.credentials_dir));
  if (preflight_check(&d.cfg) != 0)
    goto out;
  d.reg = registry_load(d.cfg.connector_dir, &bad);
  if (!d.reg)
    goto out;
  if (registry_count(d.reg) == 0) {
    log_error("main", "no connector loaded: nothing could be mirrored; refusing to start",
              "dir=%s hint=%s", d.cfg.connector_dir, "set connector_dir; ocopd --check-config");
    goto out;
  }
  if (bring_schema_up_to_date(&d.cfg, d.today) != 0)
    goto out;
  d.loop = uv_default_loop();
  metrics_start();
  if (start_loop(&d) != 0) {
    log_error("main", "cannot start", "");
    goto out;
  }
  notify_ready();
  log_info("main", "ready", "connectors=%zu", registry_count(d.reg));
  uv_run(d.loop, UV_RUN_DEFAULT);
  rc = uv_loop_close(d.loop) == 0 ? 0 : 1;
  if (rc)
    log_error("main", "handles left open at exit", "");
  log_info("main", "stopped", "");
out:
  metrics_free();
  registry_unref(d.reg);
  secret_forget();
  tkey_forget();
  config_free(&d.cfg);
  return rc;
}
