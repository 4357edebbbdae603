/*
 * test_reload.c — SIGHUP storms while ocopd is busy: real PostgreSQL, the
 * simulator, ocopd built as configured (with ASan and UBSan after
 * `configure --enable-sanitizers`).
 *
 * ocopd mirrors a generated catalogue to a Shopee, a Lazada and a TikTok
 * shop while orders arrive by poll and by push, stock is read back, prices
 * change, creates fail before and after reaching the marketplace, and every
 * access token is first refused, then found close to expiry. Meanwhile
 * SIGHUP comes every 20–100 ms and the connector files are replaced now and
 * then, so reloads swap the configuration, the connector modules and the
 * secrets under calls in flight. What must hold: the daemon lives and
 * reports no memory error, every listing converges with no job
 * dead-lettered, no shop loses its authorisation, and no SKU is listed
 * twice on any shop.
 *
 * OCOP_RELOAD_SECONDS sets the length of the storm (default 20; the full
 * run is 60).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define TODAY "2026-11-25"
#define PREFIX "RLD"
#define PRODUCTS 1200
#define REVOKE_EVERY 20 /* every 20th product may not be shown */
#define SHOPS 3

struct market {
  const char *name;
  const char *shop;       /* the shop as the control API names it */
  const char *items_path;
  const char *sku_key;    /* item fields */
  const char *status_key;
  const char *active;
  const char *price_key;
  const char *expire_path;
  const char *expire_body;
  const char *refresh_path;
  const char *create_path;
  const char *sold;       /* an order status that takes stock */
};

static const struct market markets[SHOPS] = {
    {"shopee", ITEST_SHOP_ID, "/_sim/shopee/items?shop_id=" ITEST_SHOP_ID, "item_sku",
     "item_status", "NORMAL", "original_price", "/_sim/shopee/expire_token",
     "{\"shop_id\": " ITEST_SHOP_ID "}", "/api/v2/auth/access_token/get", "/api/v2/product/add_item",
     "READY_TO_SHIP"},
    {"lazada", "3001", "/_sim/lazada/items?seller_id=3001", "sku", "status", "active", "price",
     "/_sim/lazada/expire_token", "{\"seller_id\": \"3001\"}", "/rest/auth/token/refresh",
     "/rest/product/create", "pending"},
    {"tiktok", "ROW_itest", "/_sim/tiktok/items?shop_cipher=ROW_itest", "sku", "status",
     "ACTIVATE", "price", "/_sim/tiktok/expire_token", "{\"shop_cipher\": \"ROW_itest\"}",
     "/api/v2/token/refresh", "/product/202309/products", "AWAITING_SHIPMENT"},
};

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
  char hook[128]; /* the daemon's push endpoint, without the marketplace */
  int eligible;   /* products every shop must list */
};

/* What the storm did, for the figures at the end. */
struct storm {
  int seconds;
  int sighups;
  int orders;
  int pushes;
  int pushes_refused;
  int price_changes;
  int installs;   /* connector files replaced */
};

static double now_s(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long long q(struct fixture *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static long long q(struct fixture *f, const char *fmt, ...) {
  char sql[1024];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  return itest_sql_int(f->db, sql);
}

/* Occurrences of needle in the daemon's log. */
static int log_count(struct fixture *f, const char *needle) {
  char *log = itest_read_file(f->daemon.log), *p;
  int n = 0;

  ASSERT_NOT_NULL(log);
  for (p = log; (p = strstr(p, needle)) != NULL; p += strlen(needle))
    n++;
  free(log);
  return n;
}

/* The daemon is alive; if not, the end of its log says why. */
static void assert_alive(struct fixture *f) {
  char *log;
  size_t n;

  if (itest_daemon_alive(&f->daemon))
    return;
  log = itest_read_file(f->daemon.log);
  n = log ? strlen(log) : 0;
  fprintf(stderr, "ocopd died; the end of its log:\n%s\n", log ? log + (n > 6000 ? n - 6000 : 0) : "-");
  free(log);
  ASSERT(0);
}

/* ---- set-up ----------------------------------------------------------------- */

/* A port nothing listens on now (the kernel's pick for an ephemeral bind). */
static int free_port(void) {
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;
  int fd = socket(AF_INET, SOCK_STREAM, 0), port;

  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT(fd >= 0 && bind(fd, (struct sockaddr *)&sa, sizeof sa) == 0);
  ASSERT(getsockname(fd, (struct sockaddr *)&sa, &len) == 0);
  port = ntohs(sa.sin_port);
  close(fd);
  return port;
}

static void load_catalogue(struct fixture *f) {
  const char *migrate[] = {"ocopctl", "-d", f->conninfo, "migrate", NULL};

  ASSERT_EQ(itest_run(migrate, NULL, NULL), 0);
  itest_pin_date(f->db, TODAY); /* every session, the daemon's too, at once */
  itest_generate_products(f->db, PREFIX, PRODUCTS);
  ASSERT_EQ(q(f, "WITH r AS (UPDATE certificate SET revoked_on = DATE '2026-01-15' "
                 "WHERE product_id IN (SELECT id FROM product WHERE substr(code, 5)::integer %% %d = 0) "
                 "RETURNING 1) SELECT count(*) FROM r", REVOKE_EVERY),
            PRODUCTS / REVOKE_EVERY);
  f->eligible = PRODUCTS - PRODUCTS / REVOKE_EVERY;
  ASSERT_EQ(q(f, "SELECT count(*) FROM product_eligibility WHERE eligible"), f->eligible);
}

static void add_shops(struct fixture *f) {
  char sql[512];

  itest_add_shop(f->db, &f->sim, f->workdir, "delist");
  itest_add_market_shop(f->db, &f->sim, f->workdir, "lazada");
  itest_add_market_shop(f->db, &f->sim, f->workdir, "tiktok");
  /* Lazada and TikTok refresh tokens on their auth host: the simulator. */
  snprintf(sql, sizeof sql,
           "UPDATE shop SET options = options || jsonb_build_object('auth_url', '%s') "
           "WHERE marketplace IN ('lazada', 'tiktok')", f->sim.base);
  PQclear(itest_sql(f->db, sql));
}

static void add_fault(struct fixture *f, const char *rule) {
  cJSON_Delete(itest_sim_call(&f->sim, "POST", "/_sim/fault", rule));
}

/* Creates that fail before or after they reach the marketplace: their
 * retries start with a look-up by SKU, then create or adopt, so a job
 * makes a second call after a round trip (with reloads in between). Every
 * call is a little slow, which keeps many of them in flight. */
static void add_faults(struct fixture *f) {
  char rule[512];
  int i;

  for (i = 0; i < SHOPS; i++) {
    snprintf(rule, sizeof rule,
             "{\"marketplace\": \"%s\", \"path\": \"%s\", \"kind\": \"status\", \"status\": 503, "
             "\"count\": 40}", markets[i].name, markets[i].create_path);
    add_fault(f, rule);
    snprintf(rule, sizeof rule,
             "{\"marketplace\": \"%s\", \"path\": \"%s\", \"kind\": \"apply_then_fail\", "
             "\"status\": 504, \"count\": 20}", markets[i].name, markets[i].create_path);
    add_fault(f, rule);
    snprintf(rule, sizeof rule,
             "{\"marketplace\": \"%s\", \"kind\": \"slow\", \"delay_ms\": 30, \"count\": -1}",
             markets[i].name);
    add_fault(f, rule);
  }
}

/* Installs the build's connector as <workdir>/connectors/<name>.so the way
 * `install` does (a new file renamed over the old one): the next reload
 * loads the new file while calls in flight still run the old one. */
static void install_connector(struct fixture *f, const char *name) {
  char src[512], tmp[512], dst[512], buf[65536];
  FILE *in, *out;
  size_t n;

  snprintf(src, sizeof src, "%s/connectors/.libs/%s.so", itest_builddir(), name);
  snprintf(tmp, sizeof tmp, "%s/connectors/.%s.so.tmp", f->workdir, name);
  snprintf(dst, sizeof dst, "%s/connectors/%s.so", f->workdir, name);
  in = fopen(src, "rb");
  ASSERT_NOT_NULL(in);
  out = fopen(tmp, "wb");
  ASSERT_NOT_NULL(out);
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    ASSERT_EQ(fwrite(buf, 1, n, out), n);
  fclose(in);
  ASSERT_EQ(fclose(out), 0);
  ASSERT_EQ(rename(tmp, dst), 0);
}

static void install_connectors(struct fixture *f) {
  char dir[512];

  snprintf(dir, sizeof dir, "%s/connectors", f->workdir);
  ASSERT_EQ(mkdir(dir, 0755), 0);
  install_connector(f, "shopee");
  install_connector(f, "lazada");
  install_connector(f, "tiktok");
  install_connector(f, "postmart");
}

static int daemon_ready(void *arg) {
  struct fixture *f = arg;
  char *log = itest_read_file(f->daemon.log);
  int ready = log && strstr(log, "msg=\"ready\"") != NULL;

  free(log);
  return ready;
}

static void fixture_up(struct fixture *f) {
  char conf[512];
  int port;

  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir("reload"));
  f->conninfo = itest_db_create("reload");
  f->db = itest_connect(f->conninfo);
  load_catalogue(f);
  itest_sim_start(&f->sim);
  add_shops(f);
  add_faults(f);
  install_connectors(f);
  port = free_port();
  snprintf(f->hook, sizeof f->hook, "http://127.0.0.1:%d/hooks/", port);
  snprintf(conf, sizeof conf,
           "log_level = info\nwebhook_listen = 127.0.0.1:%d\norder_poll_interval = 500ms\n"
           "order_poll_overlap = 5s\nreconcile_interval = 3s\n"
           "rate_limits = shopee:0,lazada:0,tiktok:0\nconnector_dir = %s/connectors\n",
           port, f->workdir);
  itest_daemon_start(&f->daemon, f->workdir, f->conninfo, conf);
  /* A SIGHUP before the handler is installed would end the daemon. */
  ASSERT(itest_wait(daemon_ready, f, 30000));
}

static void fixture_down(struct fixture *f) {
  if (f->daemon.pid)
    itest_daemon_stop(&f->daemon, SIGTERM);
  itest_sim_stop(&f->sim);
  PQfinish(f->db);
}

/* ---- what happens during the storm ---------------------------------------------- */

/* One order per marketplace, pushed until ocopd takes it: pushes are
 * answered 503 until the daemon has read its shops, and the storm's
 * pushes must not race that. */
static void first_orders(struct fixture *f, struct storm *s) {
  char body[512], path[64];
  cJSON *r;
  int i, tries;

  for (i = 0; i < SHOPS; i++) {
    snprintf(path, sizeof path, "/_sim/%s/orders", markets[i].name);
    snprintf(body, sizeof body,
             "{\"shop\": \"%s\", \"orders\": [{\"status\": \"%s\", \"lines\": [{\"sku\": \""
             PREFIX "-000001\", \"qty\": 1, \"price\": 45000}]}]}",
             markets[i].shop, markets[i].sold);
    r = itest_sim_call(&f->sim, "POST", path, body);
    snprintf(body, sizeof body, "{\"url\": \"%s%s\", \"shop\": \"%s\", \"order_id\": \"%s\"}",
             f->hook, markets[i].name, markets[i].shop,
             cJSON_GetArrayItem(cJSON_GetObjectItem(r, "ids"), 0)->valuestring);
    cJSON_Delete(r);
    s->orders++;
    snprintf(path, sizeof path, "/_sim/%s/push", markets[i].name);
    for (tries = 0;; tries++) {
      r = itest_sim_call(&f->sim, "POST", path, body);
      if (cJSON_GetNumberValue(cJSON_GetObjectItem(r, "status")) == 200)
        break;
      cJSON_Delete(r);
      ASSERT(tries < 100);
      usleep(100 * 1000);
    }
    cJSON_Delete(r);
  }
}

/* Two orders of eligible products on one marketplace, pushed to ocopd
 * every other time (the push names the order; ocopd reads it back). */
static void make_orders(struct fixture *f, struct storm *s) {
  const struct market *m = &markets[s->orders / 2 % SHOPS];
  int push = s->orders / 2 % 2, i;
  char body[1024], path[64];
  cJSON *r, *st;

  for (i = 0; i < 2; i++) {
    int n = 1 + rand() % PRODUCTS;

    if (n % REVOKE_EVERY == 0)
      n++;
    snprintf(body, sizeof body,
             "{\"shop\": \"%s\", \"orders\": [{\"status\": \"%s\", \"lines\": [{\"sku\": \""
             PREFIX "-%06d\", \"qty\": 1, \"price\": 45000}]}]%s%s%s%s}",
             m->shop, m->sold, n, push ? ", \"push\": {\"url\": \"" : "", push ? f->hook : "",
             push ? m->name : "", push ? "\"}" : "");
    snprintf(path, sizeof path, "/_sim/%s/orders", m->name);
    r = itest_sim_call(&f->sim, "POST", path, body);
    ASSERT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(r, "ids")), 1);
    st = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "push_status"), 0);
    if (push) {
      s->pushes++;
      if (cJSON_GetNumberValue(st) != 200) {
        fprintf(stderr, "push to %s answered %.0f\n", m->name, cJSON_GetNumberValue(st));
        s->pushes_refused++;
      }
    }
    cJSON_Delete(r);
    s->orders++;
  }
}

static void change_prices(struct fixture *f, struct storm *s) {
  PQclear(itest_sql(f->db, "UPDATE variant SET price_vnd = price_vnd + 1000 WHERE id IN "
                           "(SELECT id FROM variant ORDER BY random() LIMIT 30)"));
  s->price_changes += 30;
}

/* Every marketplace stops accepting its access token: each shop's next
 * call is refused and ocopd refreshes the token. */
static void expire_tokens(struct fixture *f) {
  int i;

  for (i = 0; i < SHOPS; i++)
    cJSON_Delete(itest_sim_call(&f->sim, "POST", markets[i].expire_path, markets[i].expire_body));
}

/* Tokens close to expiry are refreshed before they are used. */
static void tokens_near_expiry(struct fixture *f) {
  PQclear(itest_sql(f->db, "UPDATE token SET access_expires_at = now() + interval '2 minutes'"));
}

/* SIGHUP every 20–100 ms for `seconds`, from a child process so that the
 * test's own work does not space the signals out. Returns the read end of
 * a pipe that carries the number sent. */
static int start_sighups(struct fixture *f, int seconds, pid_t *pid) {
  pid_t target = f->daemon.pid;
  int p[2], n = 0;
  double end;

  ASSERT_EQ(pipe(p), 0);
  *pid = fork();
  ASSERT(*pid >= 0);
  if (*pid > 0) {
    close(p[1]);
    return p[0];
  }
  prctl(PR_SET_PDEATHSIG, SIGKILL); /* never outlive the test */
  close(p[0]);
  srand((unsigned)getpid());
  for (end = now_s() + seconds; now_s() < end; n++) {
    usleep((useconds_t)(20 + rand() % 81) * 1000);
    if (kill(target, SIGHUP) != 0)
      break;
  }
  _exit(write(p[1], &n, sizeof n) == sizeof n ? 0 : 1);
}

static int wait_sighups(int fd, pid_t pid) {
  int n = 0;

  ASSERT_EQ(read(fd, &n, sizeof n), (ssize_t)sizeof n);
  close(fd);
  waitpid(pid, NULL, 0);
  return n;
}

/* While the signals come: orders every 250 ms, 30 price changes every 2 s,
 * a connector file replaced every 1.5 s, the tokens refused at a third
 * and close to expiry at two thirds of the storm. */
static void storm(struct fixture *f, struct storm *s) {
  static const char *const connectors[] = {"shopee", "lazada", "tiktok", "postmart"};
  double t0 = now_s(), t, next_orders = t0, next_prices = t0 + 1, next_install = t0 + 0.5;
  int expired = 0, near = 0, installs = 0, fd;
  pid_t pid;

  fd = start_sighups(f, s->seconds, &pid);
  while ((t = now_s()) < t0 + s->seconds) {
    assert_alive(f);
    if (t >= next_orders) {
      make_orders(f, s);
      next_orders = t + 0.25;
    }
    if (t >= next_prices) {
      change_prices(f, s);
      next_prices = t + 2;
    }
    if (t >= next_install) {
      install_connector(f, connectors[installs++ % 4]);
      next_install = t + 1.5;
    }
    if (!expired && t >= t0 + s->seconds / 3.0) {
      expire_tokens(f);
      expired = 1;
    }
    if (!near && t >= t0 + 2 * s->seconds / 3.0) {
      tokens_near_expiry(f);
      near = 1;
    }
    usleep(20 * 1000);
  }
  s->sighups = wait_sighups(fd, pid);
  s->installs = installs;
}

/* ---- convergence ------------------------------------------------------------------ */

struct settle {
  struct fixture *f;
  int orders;
};

static int settled(void *arg) {
  struct settle *w = arg;
  struct fixture *f = w->f;

  return q(f, "SELECT count(*) FROM \"order\"") == w->orders &&
         q(f, "SELECT count(*) FROM order_fetch") == 0 && itest_outbox_idle(f->db) &&
         q(f, "SELECT count(*) FROM listing_jobs") == 0 &&
         q(f, "SELECT count(*) FROM listing WHERE state = 'listed'") == (long long)f->eligible * SHOPS;
}

static void print_dead_jobs(struct fixture *f) {
  PGresult *r = itest_sql(f->db, "SELECT o.kind, s.name, o.attempts, o.last_error FROM outbox o "
                                 "JOIN listing l ON l.id = o.listing_id JOIN shop s ON s.id = l.shop_id "
                                 "WHERE o.state = 'dead' LIMIT 20");
  int i;

  for (i = 0; i < PQntuples(r); i++)
    fprintf(stderr, "dead job: kind=%s shop=%s attempts=%s err=%s\n", PQgetvalue(r, i, 0),
            PQgetvalue(r, i, 1), PQgetvalue(r, i, 2), PQgetvalue(r, i, 3));
  PQclear(r);
}

static cJSON *find_sku(cJSON *items, const char *key, const char *sku, int *times) {
  cJSON *it, *found = NULL;

  *times = 0;
  cJSON_ArrayForEach(it, items)
    if (strcmp(cJSON_GetObjectItem(it, key)->valuestring, sku) == 0) {
      found = it;
      (*times)++;
    }
  return found;
}

/* Each eligible product once on the shop, active, at its target price and
 * stock; nothing else. Returns SKUs listed more than once (must be 0). */
static int check_shop(struct fixture *f, const struct market *m) {
  cJSON *r = itest_sim_call(&f->sim, "GET", m->items_path, NULL);
  cJSON *items = cJSON_GetObjectItem(r, "items");
  char sql[512];
  PGresult *t;
  int i, times, dup = 0;

  snprintf(sql, sizeof sql,
           "SELECT t.sku, v.price, v.stock FROM listing_target t JOIN shop s ON s.id = t.shop_id "
           "JOIN listing_variant_target v ON v.listing_id = t.listing_id AND v.sku = t.sku "
           "WHERE s.marketplace = '%s' AND t.mirror", m->name);
  t = itest_sql(f->db, sql);
  ASSERT_EQ(PQntuples(t), f->eligible);
  ASSERT_EQ(cJSON_GetArraySize(items), f->eligible);
  for (i = 0; i < PQntuples(t); i++) {
    cJSON *it = find_sku(items, m->sku_key, PQgetvalue(t, i, 0), &times);

    if (times != 1)
      fprintf(stderr, "%s: SKU %s listed %d times\n", m->name, PQgetvalue(t, i, 0), times);
    dup += times > 1;
    ASSERT_EQ(times, 1);
    ASSERT_STR_EQ(cJSON_GetObjectItem(it, m->status_key)->valuestring, m->active);
    ASSERT_EQ(cJSON_GetNumberValue(cJSON_GetObjectItem(it, m->price_key)),
              strtoll(PQgetvalue(t, i, 1), NULL, 10));
    ASSERT_EQ(cJSON_GetNumberValue(cJSON_GetObjectItem(it, "stock")),
              strtoll(PQgetvalue(t, i, 2), NULL, 10));
  }
  PQclear(t);
  cJSON_Delete(r);
  return dup;
}

/* Mappings of connector files replaced since they were loaded. Once no
 * call holds an old generation, its modules must have been closed. */
static int stale_modules(struct fixture *f) {
  char path[64], line[1024], dir[300];
  FILE *maps;
  int n = 0;

  snprintf(path, sizeof path, "/proc/%d/maps", (int)f->daemon.pid);
  snprintf(dir, sizeof dir, "%s/connectors/", f->workdir);
  maps = fopen(path, "r");
  ASSERT_NOT_NULL(maps);
  while (fgets(line, sizeof line, maps))
    if (strstr(line, dir) && strstr(line, "(deleted)"))
      n++;
  fclose(maps);
  return n;
}

static int sanitizer_reports(struct fixture *f) {
  return log_count(f, "ERROR: AddressSanitizer") + log_count(f, "ERROR: LeakSanitizer") +
         log_count(f, "runtime error");
}

TEST_IMPL(sighup_storm_while_mirroring_polling_and_refreshing) {
  struct fixture f;
  struct storm s;
  struct settle w;
  const char *env = getenv("OCOP_RELOAD_SECONDS");
  int i, dup = 0, refreshes[SHOPS], reloads, reports;
  double t;

  if (itest_need_pg())
    return TEST_SKIP;
  memset(&s, 0, sizeof s);
  s.seconds = env && atoi(env) > 0 ? atoi(env) : 20;
  srand((unsigned)time(NULL));
  fixture_up(&f);
  first_orders(&f, &s);
  storm(&f, &s);
  assert_alive(&f);
  w.f = &f;
  w.orders = s.orders;
  t = now_s();
  if (!itest_wait(settled, &w, 300000)) {
    print_dead_jobs(&f);
    fprintf(stderr, "not converged: orders %lld/%d, jobs %lld, listed %lld/%d\n",
            q(&f, "SELECT count(*) FROM \"order\""), s.orders,
            q(&f, "SELECT count(*) FROM listing_jobs"),
            q(&f, "SELECT count(*) FROM listing WHERE state = 'listed'"), f.eligible * SHOPS);
    ASSERT(0);
  }
  t = now_s() - t;
  print_dead_jobs(&f);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM shop WHERE status <> 'active'"), 0);
  for (i = 0; i < SHOPS; i++) {
    dup += check_shop(&f, &markets[i]);
    refreshes[i] = itest_sim_count_any_calls(&f.sim, markets[i].refresh_path);
    ASSERT(refreshes[i] >= 1);
  }
  ASSERT_EQ(s.pushes_refused, 0);
  assert_alive(&f);
  ASSERT_EQ(stale_modules(&f), 0);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  reloads = log_count(&f, "msg=\"configuration reloaded\"");
  reports = sanitizer_reports(&f);
  fprintf(stderr,
          "# %d SIGHUPs in %d s (%d reloads logged, %d connector files replaced); %d products, "
          "%d eligible listed on each of %d shops, converged %.1f s after the storm; %d orders "
          "(%d pushed), %d price changes; token refreshes shopee=%d lazada=%d tiktok=%d; "
          "dead jobs 0, duplicate SKUs %d, sanitizer reports %d\n",
          s.sighups, s.seconds, reloads, s.installs, PRODUCTS, f.eligible, SHOPS, t, s.orders,
          s.pushes, s.price_changes, refreshes[0], refreshes[1], refreshes[2], dup, reports);
  ASSERT_EQ(reports, 0);
  ASSERT(reloads > 0);
  fixture_down(&f);
  return TEST_OK;
}
