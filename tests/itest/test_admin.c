/*
 * test_admin.c — the admin endpoint (daemon/admin.h) of a real ocopd on a
 * real PostgreSQL, mirroring the sample to the simulator.
 *
 * What must hold: /healthz says ok while the daemon runs and 503 while its
 * database refuses it, and ok again once it is back; /metrics parses with
 * the Prometheus client library's own parser (tests/admin/parse_metrics.py)
 * and its figures are the database's (listings by state, dead jobs, orders
 * taken in, certificates expiring soon, a reconnect counted); /status, as
 * headless Chromium renders it, shows the shop, its listing count, the
 * Vietnamese labels, the dead job's reason, the certificate expiring soon
 * and today's order, with catalogue text escaped, and a screenshot is
 * saved; other paths are 404 and other methods 405; and no token, key,
 * secret file or connection string reaches any of it.
 *
 * The parser and Chromium are required whenever $OCOP_TEST_PG is set
 * (scripts/setup installs python3-prometheus-client and chromium): a
 * missing one fails the test.
 */
#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define TODAY "2026-11-25"
#define LISTED 31           /* listings the sample mirrors on TODAY, less HELD */
#define HELD "OCP-QNH-002"  /* eligible, but held back: no shelf life */
#define SKU "OCP-BTN-001"   /* listed, with stock */
#define EXPIRING "OCP-TBH-002" /* valid until 2026-12-15: 20 days left on TODAY */
/* The system interpreter: the Debian package serves it, not another
 * python3 that may come first in PATH. */
#define PYTHON "/usr/bin/python3"
#define CANARY_ACCESS "canary-access-4b1d7e"
#define CANARY_REFRESH "canary-refresh-90c2aa"
#define CANARY_SECRET "canary-secret-f3e815"

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
  char base[64]; /* http://127.0.0.1:PORT */
  int port;
};

/* ---- HTTP ------------------------------------------------------------------ */

struct answer {
  long status;
  char *body;
  size_t len;
};

static size_t on_body(char *data, size_t size, size_t n, void *arg) {
  struct answer *a = arg;
  char *p = realloc(a->body, a->len + size * n + 1);

  ASSERT_NOT_NULL(p);
  memcpy(p + a->len, data, size * n);
  a->body = p;
  a->len += size * n;
  a->body[a->len] = '\0';
  return size * n;
}

/* One request to the endpoint; status 0 when nothing answered. */
static struct answer fetch(struct fixture *f, const char *method, const char *path) {
  struct answer a = {0, NULL, 0};
  char url[256];
  CURL *c = curl_easy_init();

  ASSERT_NOT_NULL(c);
  snprintf(url, sizeof url, "%s%s", f->base, path);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_NOBODY, strcmp(method, "HEAD") == 0 ? 1L : 0L);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &a);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
  if (curl_easy_perform(c) == CURLE_OK)
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &a.status);
  curl_easy_cleanup(c);
  if (!a.body)
    a.body = strdup("");
  return a;
}

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

/* ---- tools ----------------------------------------------------------------------- */

/* The full path of a program in PATH (static buffer), or NULL. */
static const char *in_path(const char *name) {
  static char path[1024];
  const char *p = getenv("PATH");

  while (p && *p) {
    size_t n = strcspn(p, ":");

    snprintf(path, sizeof path, "%.*s/%s", (int)n, p, name);
    if (access(path, X_OK) == 0)
      return path;
    p += n + (p[n] == ':');
  }
  return NULL;
}

/* Fails (never skips) when the parser or the browser is missing. */
static void need_tools(void) {
  const char *check[] = {PYTHON, "-c", "import prometheus_client.parser", NULL};
  char *err = NULL;
  int rc = itest_run(check, NULL, &err);

  if (rc != 0)
    fprintf(stderr, "test_admin: %s cannot import prometheus_client (install "
                    "python3-prometheus-client; scripts/setup does): %s\n", PYTHON, err);
  free(err);
  ASSERT_EQ(rc, 0);
  if (!in_path("chromium"))
    fprintf(stderr, "test_admin: no chromium in PATH (scripts/setup installs it)\n");
  ASSERT_NOT_NULL(in_path("chromium"));
}

/* Headless Chromium with a fresh profile: `what` is --dump-dom or
 * --screenshot=FILE. Returns its stdout. */
static char *chromium(struct fixture *f, const char *what, const char *url) {
  char chrome[1024], profile[512], udd[600];
  const char *argv[16];
  char *out = NULL, *err = NULL;
  int i = 0, rc;
  static int n;

  snprintf(chrome, sizeof chrome, "%s", in_path("chromium"));
  snprintf(profile, sizeof profile, "%s/chromium-%d", f->workdir, n++);
  ASSERT_EQ(mkdir(profile, 0700), 0);
  snprintf(udd, sizeof udd, "--user-data-dir=%s", profile);
  argv[i++] = chrome;
  argv[i++] = "--headless";
  argv[i++] = "--no-sandbox";
  argv[i++] = "--disable-gpu";
  argv[i++] = "--disable-quic";
  argv[i++] = "--no-first-run";
  argv[i++] = "--disable-background-networking";
  argv[i++] = "--disable-component-update";
  argv[i++] = "--disable-sync";
  argv[i++] = udd;
  argv[i++] = what;
  if (strncmp(what, "--screenshot", 12) == 0)
    argv[i++] = "--window-size=1280,2000";
  argv[i++] = url;
  argv[i] = NULL;
  rc = itest_run(argv, &out, &err);
  if (rc != 0)
    fprintf(stderr, "chromium %s: exit %d: %s\n", what, rc, err);
  ASSERT_EQ(rc, 0);
  free(err);
  return out;
}

/* ---- the parsed metrics -------------------------------------------------------------- */

/* Sum of the samples `name` whose labels include every k=v of `want`
 * ("k=v,k=v"; "" for all); -1 when there is none. The text is
 * parse_metrics.py's: "S name k=v,k=v value". */
static double metric(const char *parsed, const char *name, const char *want) {
  const char *line = parsed;
  double sum = -1;
  char key[256];

  snprintf(key, sizeof key, "S %s ", name);
  for (; (line = strstr(line, key)) != NULL; line += strlen(key)) {
    char labels[512], wanted[256], *w, *save = NULL;
    double v;
    int ok = 1;

    if (line != parsed && line[-1] != '\n')
      continue;
    if (sscanf(line + strlen(key), "%500s %lf", labels + 1, &v) != 2)
      continue;
    labels[0] = ',';
    strcat(labels, ",");
    snprintf(wanted, sizeof wanted, "%s", want);
    for (w = strtok_r(wanted, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
      char needle[260];

      snprintf(needle, sizeof needle, ",%s,", w);
      ok = ok && strstr(labels, needle) != NULL;
    }
    if (ok)
      sum = (sum < 0 ? 0 : sum) + v;
  }
  return sum;
}

/* Scrapes /metrics into the work dir and runs the parser on it. */
static char *scrape(struct fixture *f) {
  struct answer a = fetch(f, "GET", "/metrics");
  char path[512];
  const char *argv[] = {PYTHON, NULL, path, NULL};
  char script[1024], *out = NULL, *err = NULL;
  FILE *fp;
  int rc;

  ASSERT_EQ(a.status, 200);
  snprintf(path, sizeof path, "%s/metrics.txt", f->workdir);
  fp = fopen(path, "w");
  ASSERT_NOT_NULL(fp);
  fputs(a.body, fp);
  fclose(fp);
  free(a.body);
  snprintf(script, sizeof script, "%s/tests/admin/parse_metrics.py", itest_srcdir());
  argv[1] = script;
  rc = itest_run(argv, &out, &err);
  if (rc != 0)
    fprintf(stderr, "parse_metrics.py %s: %s\n", path, err);
  ASSERT_EQ(rc, 0);
  free(err);
  return out;
}

/* ---- the fixture ------------------------------------------------------------------------ */

/* A paused shop that only holds canaries: a token pair stored the way an
 * operator stores one, and a secret file. */
static void add_canary_shop(struct fixture *f) {
  char cmd[2048], path[512];
  const char *argv[] = {"/bin/sh", "-c", cmd, NULL};
  char *err = NULL;
  FILE *fp;

  PQclear(itest_sql(f->db, "INSERT INTO shop (name, marketplace, mp_shop_id, base_url, app_key,"
                           " status) VALUES ('canary', 'lazada', '9009', 'http://127.0.0.1:9',"
                           " 'canary-app', 'paused')"));
  itest_ensure_token_key(f->workdir);
  snprintf(cmd, sizeof cmd, "printf '%%s\\n%%s\\n' %s %s | CREDENTIALS_DIRECTORY='%s/credentials' "
                            "'%s/ocopctl' -d '%s' shop token canary",
           CANARY_ACCESS, CANARY_REFRESH, f->workdir, itest_builddir(), f->conninfo);
  ASSERT_EQ(itest_run(argv, NULL, &err), 0);
  free(err);
  /* Stored sealed (lib/tokenseal.h): the canary is not in the database. */
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM token t JOIN shop s ON s.id = t.shop_id "
                                 "WHERE s.name = 'canary' AND t.access_token LIKE 'ocs1:%' AND "
                                 "t.access_token NOT LIKE '%" CANARY_ACCESS "%'"),
            1);
  snprintf(path, sizeof path, "%s/credentials/canary.secret", f->workdir);
  fp = fopen(path, "w");
  ASSERT_NOT_NULL(fp);
  fputs(CANARY_SECRET "\n", fp);
  fclose(fp);
}

static int mirrored(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) &&
         itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state = 'listed'") == LISTED;
}

static int healthy(void *arg) {
  struct answer a = fetch(arg, "GET", "/healthz");
  int ok = a.status == 200 && strcmp(a.body, "ok\n") == 0;

  free(a.body);
  return ok;
}

static int unhealthy(void *arg) {
  struct answer a = fetch(arg, "GET", "/healthz");
  int bad = a.status == 503 || a.status == 0;

  free(a.body);
  return bad;
}

static void fixture_up(struct fixture *f) {
  char extra[512];

  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir("admin"));
  f->conninfo = itest_db_create("admin");
  f->db = itest_connect(f->conninfo);
  itest_load_sample(f->conninfo, f->db, TODAY);
  /* Catalogue text with markup: the page must show it, not run it. */
  PQclear(itest_sql(f->db, "UPDATE product SET name_vi = name_vi || ' <i>&</i>' "
                           "WHERE code = '" EXPIRING "'"));
  PQclear(itest_sql(f->db, "DELETE FROM product_attribute WHERE key = 'shelf_life' AND "
                           "product_id = (SELECT id FROM product WHERE code = '" HELD "')"));
  itest_sim_start(&f->sim);
  itest_add_shop(f->db, &f->sim, f->workdir, "delist");
  add_canary_shop(f);
  f->port = free_port();
  snprintf(f->base, sizeof f->base, "http://127.0.0.1:%d", f->port);
  snprintf(extra, sizeof extra,
           "admin_listen = 127.0.0.1:%d\nmax_attempts = 2\nrate_limits = shopee:0,lazada:0\n"
           "order_poll_interval = 500ms\norder_poll_overlap = 5s\n",
           f->port);
  itest_daemon_start(&f->daemon, f->workdir, f->conninfo, extra);
  ASSERT(itest_wait(healthy, f, 30000));
  ASSERT(itest_wait(mirrored, f, 90000));
}

/* ---- what the test makes happen ----------------------------------------------------------- */

static int price_dead(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) &&
         itest_sql_int(f->db, "SELECT count(*) FROM outbox WHERE kind = 'price' AND "
                              "state = 'dead'") == 1;
}

/* A price job that dies: every answer to update_price is malformed. */
static void make_dead_job(struct fixture *f) {
  cJSON *r = itest_sim_call(&f->sim, "POST", "/_sim/fault",
                            "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/product/update_price\","
                            "\"kind\":\"malformed\",\"count\":-1}");

  cJSON_Delete(r);
  PQclear(itest_sql(f->db, "UPDATE variant SET price_vnd = 81000 WHERE sku = 'OCP-BKN-001'"));
  ASSERT(itest_wait(price_dead, f, 30000));
}

static int two_orders(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM \"order\"") == 2;
}

/* Two orders come in; one of them is dated the OCOP day (the date is
 * pinned, the order's arrival is the server's real time). */
static void take_orders(struct fixture *f) {
  const char *body = "{\"shop\": \"" ITEST_SHOP_ID "\", \"orders\": ["
                     "{\"status\": \"READY_TO_SHIP\", \"malformed\": false,"
                     " \"lines\": [{\"sku\": \"" SKU "\", \"qty\": 1, \"price\": 45000}]},"
                     "{\"status\": \"READY_TO_SHIP\", \"malformed\": false,"
                     " \"lines\": [{\"sku\": \"" SKU "\", \"qty\": 2, \"price\": 45000}]}]}";
  cJSON *r = itest_sim_call(&f->sim, "POST", "/_sim/shopee/orders", body);

  cJSON_Delete(r);
  ASSERT(itest_wait(two_orders, f, 30000));
  PQclear(itest_sql(f->db, "UPDATE \"order\" SET created_at = '" TODAY " 10:00+07' "
                           "WHERE id = (SELECT min(id) FROM \"order\")"));
}

/* ---- checks --------------------------------------------------------------------------------- */

static void check_methods_and_paths(struct fixture *f) {
  struct answer a = fetch(f, "HEAD", "/metrics");

  ASSERT_EQ(a.status, 200);
  ASSERT_EQ(a.len, 0);
  free(a.body);
  a = fetch(f, "POST", "/metrics");
  ASSERT_EQ(a.status, 405);
  free(a.body);
  a = fetch(f, "DELETE", "/status");
  ASSERT_EQ(a.status, 405);
  free(a.body);
  a = fetch(f, "GET", "/");
  ASSERT_EQ(a.status, 404);
  free(a.body);
  a = fetch(f, "GET", "/metrics/../status");
  ASSERT(a.status == 404 || a.status == 200); /* curl may resolve the dots itself */
  free(a.body);
}

static void check_metrics(struct fixture *f, const char *m) {
  static const char *const states[] = {"new", "listed", "delisted"};
  char sql[256];
  size_t i;

  ASSERT(metric(m, "ocopd_jobs", "shop=shopee-test,state=done") > 0);
  ASSERT_EQ((long long)metric(m, "ocopd_jobs", "shop=shopee-test,state=dead"), 1);
  ASSERT_EQ((long long)metric(m, "ocopd_jobs", "kind=price,state=dead"), 1);
  for (i = 0; i < sizeof states / sizeof states[0]; i++) {
    long long n;

    snprintf(sql, sizeof sql, "SELECT count(*) FROM listing WHERE state = '%s'", states[i]);
    n = itest_sql_int(f->db, sql);
    snprintf(sql, sizeof sql, "state=%s", states[i]);
    ASSERT_EQ((long long)(n ? metric(m, "ocopd_listings", sql) : 0), n);
  }
  ASSERT_EQ((long long)metric(m, "ocopd_listings", "shop=shopee-test,state=listed"), LISTED);
  ASSERT_EQ((long long)metric(m, "ocopd_listings", "state=new,problem=content"), 1);
  ASSERT_EQ((long long)metric(m, "ocopd_orders_ingested_total", "shop=shopee-test"),
            itest_sql_int(f->db, "SELECT count(*) FROM \"order\""));
  ASSERT_EQ((long long)metric(m, "ocopd_certificates", "state=expiring_soon"),
            itest_sql_int(f->db, "SELECT count(*) FROM product_eligibility "
                                 "WHERE state = 'expiring_soon'"));
  ASSERT(metric(m, "ocopd_marketplace_calls_total", "marketplace=shopee,outcome=ok") > 0);
  ASSERT(metric(m, "ocopd_marketplace_calls_total", "marketplace=shopee,outcome=retry") >= 2);
  ASSERT(metric(m, "ocopd_marketplace_call_duration_seconds_count", "marketplace=shopee") > 0);
  ASSERT(metric(m, "ocopd_job_duration_seconds_count", "kind=publish") >= LISTED);
  ASSERT(metric(m, "ocopd_job_duration_seconds_bucket", "kind=publish,le=+Inf") >= LISTED);
  ASSERT(metric(m, "ocopd_stock_pushes_total", "shop=shopee-test,outcome=ok") > 0);
  ASSERT_EQ((long long)metric(m, "ocopd_shops", "state=paused"), 1);
  ASSERT_EQ((long long)metric(m, "ocopd_db_up", "conn=main"), 1);
  ASSERT_EQ((long long)metric(m, "ocopd_db_scrape_ok", ""), 1);
}

/* What the page must show, in the DOM Chromium built from it. */
static void check_dom(const char *dom) {
  static const char *const must[] = {
      "shopee-test",
      "<td class=\"n\">31</td>", /* its listed count */
      "Sản phẩm bị giữ lại và lý do",
      "Shelf Life", /* the held listing's reason */
      "Sản phẩm sắp hết hạn chứng nhận",
      "Certificates expiring soon",
      "Việc đồng bộ thất bại",
      "malformed", /* the dead job's reason */
      EXPIRING,
      "Đơn hàng hôm nay",
      "Hạn token của gian hàng",
      "&lt;i&gt;&amp;&lt;/i&gt;", /* the product name, escaped */
  };
  size_t i;

  for (i = 0; i < sizeof must / sizeof must[0]; i++) {
    if (!strstr(dom, must[i]))
      fprintf(stderr, "test_admin: /status lacks \"%s\"\n", must[i]);
    ASSERT_NOT_NULL(strstr(dom, must[i]));
  }
  ASSERT_NULL(strstr(dom, "<i>&amp;</i>"));
  ASSERT_NULL(strstr(dom, "<script"));
}

/* $OCOP_KEEP_SCREENSHOT=FILE: a copy that outlives the work dir (the
 * runner removes it when the test passes), for a person to look at. */
static void keep_copy(const char *shot) {
  const char *to = getenv("OCOP_KEEP_SCREENSHOT");
  const char *argv[] = {"/bin/cp", shot, to, NULL};

  if (to && to[0])
    ASSERT_EQ(itest_run(argv, NULL, NULL), 0);
}

static void check_status_page(struct fixture *f) {
  char url[128], shot[600], arg[620];
  char *dom, *out;
  struct stat st;

  snprintf(url, sizeof url, "%s/status", f->base);
  dom = chromium(f, "--dump-dom", url);
  check_dom(dom);
  /* The orders of the OCOP day: one of the two. */
  ASSERT_NOT_NULL(strstr(dom, "<td class=\"n\">45.000 ₫</td>"));
  free(dom);
  snprintf(shot, sizeof shot, "%s/status.png", f->workdir);
  snprintf(arg, sizeof arg, "--screenshot=%s", shot);
  out = chromium(f, arg, url);
  free(out);
  ASSERT_EQ(stat(shot, &st), 0);
  ASSERT(st.st_size > 20000);
  printf("/status screenshot: %s (%lld bytes)\n", shot, (long long)st.st_size);
  fflush(stdout);
  keep_copy(shot);
}

/* No secret in anything the endpoint answers. */
static void check_no_secret(struct fixture *f, const char *parsed) {
  const char *const secrets[] = {CANARY_ACCESS, CANARY_REFRESH, CANARY_SECRET,
                                 ITEST_ACCESS_TOKEN, ITEST_PARTNER_KEY, f->conninfo};
  const char *const paths[] = {"/metrics", "/status", "/healthz"};
  size_t i, j;

  for (i = 0; i < sizeof paths / sizeof paths[0]; i++) {
    struct answer a = fetch(f, "GET", paths[i]);

    ASSERT_EQ(a.status, 200);
    for (j = 0; j < sizeof secrets / sizeof secrets[0]; j++) {
      if (strstr(a.body, secrets[j]))
        fprintf(stderr, "test_admin: %s shows a secret (%zu)\n", paths[i], j);
      ASSERT_NULL(strstr(a.body, secrets[j]));
    }
    free(a.body);
  }
  for (j = 0; j < sizeof secrets / sizeof secrets[0]; j++)
    ASSERT_NULL(strstr(parsed, secrets[j]));
}

/* The database refuses the daemon: /healthz says so; then it is back. The
 * cluster's own database changes the test database's rights (PostgreSQL
 * will not have a database shut itself). */
static void check_database_gone(struct fixture *f) {
  char *dbname = itest_sql_text(f->db, "SELECT current_database()"), sql[512];
  PGconn *admin = itest_connect(getenv("OCOP_TEST_PG"));
  struct answer a;
  char *m;

  snprintf(sql, sizeof sql, "ALTER DATABASE %s ALLOW_CONNECTIONS false", dbname);
  PQclear(itest_sql(admin, sql));
  snprintf(sql, sizeof sql,
           "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '%s' "
           "AND application_name LIKE 'ocopd%%'",
           dbname);
  PQclear(itest_sql(admin, sql));
  ASSERT(itest_wait(unhealthy, f, 15000));
  a = fetch(f, "GET", "/healthz");
  ASSERT_EQ(a.status, 503);
  ASSERT_NOT_NULL(strstr(a.body, "database"));
  printf("/healthz without the database: %s", a.body);
  free(a.body);
  snprintf(sql, sizeof sql, "ALTER DATABASE %s ALLOW_CONNECTIONS true", dbname);
  PQclear(itest_sql(admin, sql));
  PQfinish(admin);
  free(dbname);
  ASSERT(itest_wait(healthy, f, 45000));
  m = scrape(f);
  ASSERT(metric(m, "ocopd_db_reconnects_total", "conn=main") >= 1);
  ASSERT(metric(m, "ocopd_db_reconnects_total", "conn=admin") >= 1);
  free(m);
}

TEST_IMPL(admin_endpoint_health_metrics_and_status_page) {
  struct fixture f;
  char *parsed;

  if (itest_need_pg())
    return TEST_SKIP;
  need_tools();
  fixture_up(&f);
  check_methods_and_paths(&f);
  make_dead_job(&f);
  take_orders(&f);
  ASSERT(itest_wait(mirrored, &f, 30000));
  parsed = scrape(&f);
  check_metrics(&f, parsed);
  check_status_page(&f);
  check_no_secret(&f, parsed);
  free(parsed);
  check_database_gone(&f);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  itest_sim_stop(&f.sim);
  PQfinish(f.db);
  return 0;
}
