/* harness.c — see harness.h. */
#include "harness.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char db_conninfo[1024];

int itest_need_pg(void) {
  const char *pg = getenv("OCOP_TEST_PG");

  if (pg && *pg)
    return 0;
  test_skip_reason("OCOP_TEST_PG is not set (scripts/check starts a cluster)");
  return TEST_SKIP;
}

const char *itest_builddir(void) {
  const char *d = getenv("top_builddir");

  return d && *d ? d : ".";
}

const char *itest_srcdir(void) {
  const char *d = getenv("top_srcdir");

  return d && *d ? d : ".";
}

const char *itest_workdir(const char *tag) {
  static char dir[256];

  /* Inside the runner's directory, which goes when the test passes. */
  snprintf(dir, sizeof dir, "%s/%s-XXXXXX", test_tmpdir(), tag);
  ASSERT_NOT_NULL(mkdtemp(dir));
  chmod(dir, 0755);
  return dir;
}

/* $OCOP_TEST_PG; without it the test skips, even one that forgot to ask
 * itest_need_pg() first: a plain `make check` or `make distcheck` has no
 * cluster to test against, and that is not a failure. */
static const char *pg_base(void) {
  if (itest_need_pg())
    exit(TEST_SKIP);
  return getenv("OCOP_TEST_PG");
}

const char *itest_db_create(const char *tag) {
  const char *base = pg_base();
  char sql[256], name[128];
  PGconn *admin;

  snprintf(name, sizeof name, "ocop_%s_%d", tag, (int)getpid());
  admin = itest_connect(base);
  snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s", name);
  PQclear(itest_sql(admin, sql));
  snprintf(sql, sizeof sql, "CREATE DATABASE %s", name);
  PQclear(itest_sql(admin, sql));
  PQfinish(admin);
  snprintf(db_conninfo, sizeof db_conninfo, "%s dbname=%s", base, name);
  return db_conninfo;
}

PGconn *itest_connect(const char *conninfo) {
  PGconn *c = PQconnectdb(conninfo);

  if (PQstatus(c) != CONNECTION_OK) {
    fprintf(stderr, "itest: cannot connect: %s", PQerrorMessage(c));
    abort();
  }
  PQsetNoticeProcessor(c, NULL, NULL);
  return c;
}

PGresult *itest_sql(PGconn *conn, const char *sql) {
  PGresult *r = PQexec(conn, sql);
  ExecStatusType st = PQresultStatus(r);

  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    fprintf(stderr, "itest: SQL failed: %s\n  %s", sql, PQerrorMessage(conn));
    abort();
  }
  return r;
}

long long itest_sql_int(PGconn *conn, const char *sql) {
  PGresult *r = itest_sql(conn, sql);
  long long v;

  ASSERT(PQntuples(r) == 1);
  v = PQgetisnull(r, 0, 0) ? 0 : strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  return v;
}

char *itest_sql_text(PGconn *conn, const char *sql) {
  PGresult *r = itest_sql(conn, sql);
  char *v;

  v = strdup(PQntuples(r) > 0 ? PQgetvalue(r, 0, 0) : "");
  PQclear(r);
  return v;
}

/* Reads everything from fd into a malloc'd string. */
static char *slurp_fd(int fd) {
  size_t len = 0, cap = 4096;
  char *buf = malloc(cap);
  ssize_t n;

  ASSERT_NOT_NULL(buf);
  while ((n = read(fd, buf + len, cap - len - 1)) > 0) {
    len += (size_t)n;
    if (cap - len < 1024) {
      cap *= 2;
      buf = realloc(buf, cap);
      ASSERT_NOT_NULL(buf);
    }
  }
  buf[len] = '\0';
  return buf;
}

static void program_path(const char *name, char *out, size_t len) {
  if (strchr(name, '/'))
    snprintf(out, len, "%s", name);
  else
    snprintf(out, len, "%s/%s", itest_builddir(), name);
}

int itest_run(const char *const argv[], char **out, char **err) {
  char path[1024], errpath[1024];
  int outpipe[2], errfd, status;
  pid_t pid;

  program_path(argv[0], path, sizeof path);
  snprintf(errpath, sizeof errpath, "%s/run-err-XXXXXX", test_tmpdir());
  ASSERT_EQ(pipe(outpipe), 0);
  errfd = mkstemp(errpath);
  ASSERT(errfd >= 0);
  pid = fork();
  ASSERT(pid >= 0);
  if (pid == 0) {
    dup2(outpipe[1], STDOUT_FILENO);
    dup2(errfd, STDERR_FILENO);
    /* Only fds 1 and 2: a server the program leaves running (scripts/pgtmp)
     * must not hold the pipe open, or the read below never ends. */
    close(outpipe[0]);
    close(outpipe[1]);
    close(errfd);
    execv(path, (char *const *)argv);
    fprintf(stderr, "exec %s: %s\n", path, strerror(errno));
    _exit(127);
  }
  close(outpipe[1]);
  {
    char *o = slurp_fd(outpipe[0]);

    if (out)
      *out = o;
    else
      free(o);
  }
  close(outpipe[0]);
  waitpid(pid, &status, 0);
  lseek(errfd, 0, SEEK_SET);
  {
    char *e = slurp_fd(errfd);

    if (err)
      *err = e;
    else
      free(e);
  }
  close(errfd);
  unlink(errpath);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

void itest_pin_date(PGconn *conn, const char *date) {
  const char *params[1] = {date};
  PGresult *r = PQexecParams(conn, "SELECT ocop_clock_pin($1::date, 'itest')", 1, NULL, params,
                             NULL, NULL, 0);

  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    fprintf(stderr, "itest: cannot pin the OCOP date %s: %s", date ? date : "(unpin)",
            PQerrorMessage(conn));
    abort();
  }
  PQclear(r);
}

void itest_load_sample(const char *conninfo, PGconn *conn, const char *today) {
  char sample[1024], *err = NULL;
  const char *migrate[] = {"ocopctl", "-d", conninfo, "migrate", NULL};
  const char *import[] = {"ocopctl", "-d", conninfo, "import", sample, NULL};
  int rc;

  snprintf(sample, sizeof sample, "%s/tests/data/ocop-sample.csv", itest_srcdir());
  rc = itest_run(migrate, NULL, &err);
  if (rc != 0)
    fprintf(stderr, "ocopctl migrate: %s\n", err);
  ASSERT_EQ(rc, 0);
  free(err);
  /* Pinned in the database before anything reads it: the daemon, ocopctl
   * and this test's own connection all see the same OCOP date. */
  if (today)
    itest_pin_date(conn, today);
  rc = itest_run(import, NULL, &err);
  if (rc != 0)
    fprintf(stderr, "ocopctl import: %s\n", err);
  ASSERT_EQ(rc, 0);
  free(err);
  itest_content_fill(conn);
}

void itest_generate_products(PGconn *conn, const char *prefix, int n) {
  char sql[2048];

  snprintf(sql, sizeof sql,
           "INSERT INTO producer (name, kind) VALUES ('HTX %s', 'cooperative');"
           "INSERT INTO product (code, name_vi, producer_id, category_code, unit,"
           " description_vi) SELECT '%s-' || lpad(i::text, 6, '0'), 'Sản phẩm thử nghiệm số ' || i,"
           " (SELECT id FROM producer WHERE name = 'HTX %s'), 'I.3.c', 'gói',"
           " 'Mô tả sản phẩm ' || i FROM generate_series(1, %d) AS i;"
           "INSERT INTO variant (product_id, sku, price_vnd, weight_g, length_mm, width_mm,"
           " height_mm) SELECT id, code, 10000 + id, 500, 200, 150, 50 FROM product"
           " WHERE code LIKE '%s-%%';"
           "INSERT INTO certificate (product_id, stars, decision_no, decision_date)"
           " SELECT p.id, 3 + p.id %% 3, p.id || '/QĐ-UBND', DATE '2025-06-01' FROM product p"
           " WHERE p.code LIKE '%s-%%';"
           "INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 100, 'import' FROM variant"
           " WHERE sku LIKE '%s-%%';",
           prefix, prefix, prefix, n, prefix, prefix, prefix);
  PQclear(itest_sql(conn, sql));
  itest_content_fill(conn);
}

/* The simulated marketplaces' leaf categories (tests/sim/README.md) for
 * each OCOP category, as docs/listing-content.md maps them for the demo. */
static const char content_map_sql[] =
    "INSERT INTO category_map (marketplace, category_code, remote_category)"
    " SELECT m.mp, c.code, CASE"
    "   WHEN c.code ~ '^I\\.[1-4]' THEN m.food WHEN c.code ~ '^(I\\.[56]|II\\.)' THEN m.drinks"
    "   WHEN c.code ~ '^III\\.' THEN m.health ELSE m.craft END"
    "   FROM category c CROSS JOIN (VALUES ('shopee', '100644', '100645', '100646', '100647'),"
    "     ('lazada', '10001', '10002', '10003', '10004'),"
    "     ('tiktok', '600001', '600002', '600003', '600004')) AS m(mp, food, drinks, health, craft)"
    "  WHERE NOT c.service ON CONFLICT DO NOTHING;";

/* What every product needs to be listed on the simulated marketplaces,
 * where the catalogue does not say it: an image (ITEST_IMAGE, under the
 * media_dir the daemon is given), origin, shelf life, and for health
 * products ingredients and a brand the simulators know. */
static const char content_fill_sql[] =
    "INSERT INTO product_image (product_id, position, source)"
    " SELECT id, 1, '" ITEST_IMAGE "' FROM product p"
    "  WHERE NOT EXISTS (SELECT 1 FROM product_image i WHERE i.product_id = p.id);"
    "INSERT INTO product_attribute (product_id, key, value)"
    " SELECT p.id, a.key, a.value FROM product p"
    "  CROSS JOIN (VALUES ('origin', 'Vietnam'), ('shelf_life', '12 tháng'),"
    "                     ('ingredients', 'Dược liệu'), ('brand', 'SAPHRATON')) AS a(key, value)"
    "  WHERE (a.key IN ('origin', 'shelf_life') OR p.category_code LIKE 'III.%%')"
    "    AND (%s)"
    " ON CONFLICT DO NOTHING;";

static void content_fill(PGconn *conn, const char *which) {
  char sql[2048];

  snprintf(sql, sizeof sql, content_fill_sql, which);
  PQclear(itest_sql(conn, content_map_sql));
  PQclear(itest_sql(conn, sql));
}

void itest_content_fill(PGconn *conn) { content_fill(conn, "true"); }

/* Only products the test inserted bare (no attribute at all): what a test
 * took away on purpose stays away. */
static void content_fill_bare(PGconn *conn) {
  content_fill(conn, "NOT EXISTS (SELECT 1 FROM product_attribute x WHERE x.product_id = p.id)");
}

/* ---- simulator ---------------------------------------------------------- */

void itest_sim_start(struct itest_sim *sim) {
  char path[1024], seed[512], line[256];
  int outpipe[2];
  size_t len = 0;
  FILE *f;
  const char *dir = itest_workdir("sim");

  snprintf(seed, sizeof seed, "%s/seed.json", dir);
  f = fopen(seed, "w");
  ASSERT_NOT_NULL(f);
  fprintf(f,
          "{\"shopee\": {\"partners\": [{\"partner_id\": %s, \"partner_key\": \"%s\"}],"
          " \"shops\": [{\"shop_id\": %s, \"partner_id\": %s, \"access_token\": \"%s\","
          " \"refresh_token\": \"itest-refresh\", \"access_expires_in\": 14400}]}}\n",
          ITEST_PARTNER_ID, ITEST_PARTNER_KEY, ITEST_SHOP_ID, ITEST_PARTNER_ID, ITEST_ACCESS_TOKEN);
  fclose(f);
  program_path("tests/sim/ocopsim", path, sizeof path);
  ASSERT_EQ(pipe(outpipe), 0);
  memset(sim, 0, sizeof *sim);
  sim->pid = fork();
  ASSERT(sim->pid >= 0);
  if (sim->pid == 0) {
    dup2(outpipe[1], STDOUT_FILENO);
    close(outpipe[0]);
    execl(path, path, "--listen", "127.0.0.1:0", "--seed", seed, "--quiet", (char *)NULL);
    _exit(127);
  }
  close(outpipe[1]);
  /* The simulator prints its port on one line once it listens. */
  while (len < sizeof line - 1) {
    struct pollfd p = {outpipe[0], POLLIN, 0};
    ssize_t n;

    ASSERT(poll(&p, 1, 10000) == 1);
    n = read(outpipe[0], line + len, 1);
    ASSERT(n == 1);
    if (line[len] == '\n')
      break;
    len++;
  }
  line[len] = '\0';
  close(outpipe[0]);
  ASSERT(sscanf(line, "ocopsim listening on 127.0.0.1:%d", &sim->port) == 1);
  snprintf(sim->base, sizeof sim->base, "http://127.0.0.1:%d", sim->port);
}

void itest_sim_stop(struct itest_sim *sim) {
  if (sim->pid > 0) {
    kill(sim->pid, SIGTERM);
    waitpid(sim->pid, NULL, 0);
    sim->pid = 0;
  }
}

struct buf {
  char *data;
  size_t len;
};

static size_t on_data(char *p, size_t size, size_t n, void *arg) {
  struct buf *b = arg;

  b->data = realloc(b->data, b->len + size * n + 1);
  memcpy(b->data + b->len, p, size * n);
  b->len += size * n;
  b->data[b->len] = '\0';
  return size * n;
}

cJSON *itest_sim_call(struct itest_sim *sim, const char *method, const char *path,
                      const char *body) {
  CURL *c = curl_easy_init();
  struct curl_slist *h = NULL;
  struct buf b = {NULL, 0};
  char url[1024];
  cJSON *json;
  CURLcode rc;

  ASSERT_NOT_NULL(c);
  snprintf(url, sizeof url, "%s%s", sim->base, path);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 20L);
  if (body) {
    h = curl_slist_append(h, "Content-Type: application/json");
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
  }
  rc = curl_easy_perform(c);
  curl_slist_free_all(h);
  curl_easy_cleanup(c);
  ASSERT_EQ(rc, CURLE_OK);
  json = cJSON_Parse(b.data ? b.data : "null");
  free(b.data);
  ASSERT_NOT_NULL(json);
  return json;
}

int itest_sim_count_calls(struct itest_sim *sim, const char *path) {
  cJSON *r = itest_sim_call(sim, "GET", "/_sim/calls?since=0", NULL), *c;
  int n = 0;

  cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "calls"))
    if (strcmp(cJSON_GetObjectItem(c, "path")->valuestring, path) == 0 &&
        cJSON_GetNumberValue(cJSON_GetObjectItem(c, "http_status")) == 200)
      n++;
  cJSON_Delete(r);
  return n;
}

int itest_sim_count_any_calls(struct itest_sim *sim, const char *path) {
  cJSON *r = itest_sim_call(sim, "GET", "/_sim/calls?since=0", NULL), *c;
  int n = 0;

  cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "calls"))
    if (strcmp(cJSON_GetObjectItem(c, "path")->valuestring, path) == 0)
      n++;
  cJSON_Delete(r);
  return n;
}

cJSON *itest_sim_items(struct itest_sim *sim) {
  cJSON *r = itest_sim_call(sim, "GET", "/_sim/shopee/items?shop_id=" ITEST_SHOP_ID, NULL);
  cJSON *items = cJSON_DetachItemFromObject(r, "items");

  cJSON_Delete(r);
  ASSERT(cJSON_IsArray(items));
  return items;
}

void itest_carry_all(PGconn *conn, const char *shop) {
  const char *params[1] = {shop};
  PGresult *r = PQexecParams(conn,
                             "INSERT INTO assortment_rule (shop_id, include, created_by) "
                             "SELECT id, true, 'itest' FROM shop WHERE name = $1 "
                             "ON CONFLICT DO NOTHING RETURNING id",
                             1, NULL, params, NULL, NULL, 0);

  if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
    fprintf(stderr, "itest: cannot give shop %s every product: %s", shop, PQerrorMessage(conn));
    abort();
  }
  PQclear(r);
}

void itest_add_shop(PGconn *conn, struct itest_sim *sim, const char *workdir, const char *policy) {
  char path[512], sql[1024];
  FILE *f;

  snprintf(path, sizeof path, "%s/credentials", workdir);
  mkdir(path, 0700);
  snprintf(path, sizeof path, "%s/credentials/shopee-test.secret", workdir);
  f = fopen(path, "w");
  ASSERT_NOT_NULL(f);
  fprintf(f, "%s\n", ITEST_PARTNER_KEY);
  fclose(f);
  chmod(path, 0600);
  snprintf(sql, sizeof sql,
           "INSERT INTO shop (name, marketplace, mp_shop_id, base_url, app_key, policy, options) "
           "VALUES ('shopee-test', 'shopee', '%s', '%s', '%s', '%s', "
           "'{\"logistic_id\": \"50011\"}');"
           "INSERT INTO token (shop_id, access_token, refresh_token, access_expires_at) "
           "SELECT id, '%s', 'itest-refresh', now() + interval '4 hours' FROM shop "
           "WHERE name = 'shopee-test'",
           ITEST_SHOP_ID, sim->base, ITEST_PARTNER_ID, policy, ITEST_ACCESS_TOKEN);
  PQclear(itest_sql(conn, sql));
  itest_carry_all(conn, "shopee-test");
}

static const struct {
  const char *marketplace, *seed, *mp_shop_id, *app_key, *secret, *access, *refresh, *options;
} markets[] = {
    {"lazada",
     "{\"lazada\": {\"apps\": [{\"app_key\": \"100777\", \"app_secret\": \"itest-lazada-secret-91a\"}],"
     " \"sellers\": [{\"seller_id\": \"3001\", \"app_key\": \"100777\", \"access_token\": \"itest-lz-access\","
     " \"refresh_token\": \"itest-lz-refresh\", \"access_expires_in\": 604800, \"refresh_expires_in\": 1209600}]}}",
     "3001", "100777", "itest-lazada-secret-91a", "itest-lz-access", "itest-lz-refresh",
     "{}"},
    {"tiktok",
     "{\"tiktok\": {\"apps\": [{\"app_key\": \"ttitest01\", \"app_secret\": \"itest-tiktok-secret-5c2\"}],"
     " \"shops\": [{\"shop_cipher\": \"ROW_itest\", \"shop_id\": \"7001\", \"app_key\": \"ttitest01\","
     " \"access_token\": \"itest-tt-access\", \"refresh_token\": \"itest-tt-refresh\", \"access_expires_in\": 604800}]}}",
     "7001", "ttitest01", "itest-tiktok-secret-5c2", "itest-tt-access", "itest-tt-refresh",
     "{\"shop_cipher\": \"ROW_itest\", \"warehouse_id\": \"7000001\"}"},
};

void itest_add_market_shop(PGconn *conn, struct itest_sim *sim, const char *workdir,
                           const char *marketplace) {
  char path[512], sql[2048];
  size_t i;
  FILE *f;

  for (i = 0; i < sizeof markets / sizeof markets[0]; i++)
    if (strcmp(markets[i].marketplace, marketplace) == 0)
      break;
  ASSERT(i < sizeof markets / sizeof markets[0]);
  cJSON_Delete(itest_sim_call(sim, "POST", "/_sim/seed", markets[i].seed));
  snprintf(path, sizeof path, "%s/credentials", workdir);
  mkdir(path, 0700);
  snprintf(path, sizeof path, "%s/credentials/%s-test.secret", workdir, marketplace);
  f = fopen(path, "w");
  ASSERT_NOT_NULL(f);
  fprintf(f, "%s\n", markets[i].secret);
  fclose(f);
  chmod(path, 0600);
  snprintf(sql, sizeof sql,
           "INSERT INTO shop (name, marketplace, mp_shop_id, base_url, app_key, options) "
           "VALUES ('%s-test', '%s', '%s', '%s', '%s', '%s');"
           "INSERT INTO token (shop_id, access_token, refresh_token, access_expires_at) "
           "SELECT id, '%s', '%s', now() + interval '7 days' FROM shop WHERE name = '%s-test'",
           marketplace, marketplace, markets[i].mp_shop_id, sim->base, markets[i].app_key,
           markets[i].options, markets[i].access, markets[i].refresh, marketplace);
  PQclear(itest_sql(conn, sql));
  snprintf(path, sizeof path, "%s-test", marketplace);
  itest_carry_all(conn, path);
}

/* ---- daemon ------------------------------------------------------------- */

void itest_write_token_key(const char *workdir, const char *hex) {
  char path[1024];
  FILE *f;

  snprintf(path, sizeof path, "%s/credentials", workdir);
  mkdir(path, 0700);
  snprintf(path, sizeof path, "%s/credentials/tokens.key", workdir);
  f = fopen(path, "w");
  ASSERT_NOT_NULL(f);
  fprintf(f, "%s\n", hex);
  fclose(f);
  ASSERT_EQ(chmod(path, 0600), 0);
}

/* The tokens the tests store in clear are sealed by ocopd at its start. */
void itest_ensure_token_key(const char *workdir) {
  char path[1024];

  snprintf(path, sizeof path, "%s/credentials/tokens.key", workdir);
  if (access(path, F_OK) != 0)
    itest_write_token_key(workdir, ITEST_TOKEN_KEY);
}

/* 1 when the config lines in extra set key. */
static int extra_sets(const char *extra, const char *key) {
  size_t n = strlen(key);
  const char *p = extra;

  while (p && *p) {
    p += strspn(p, " \t");
    if (strncmp(p, key, n) == 0 && strchr(" \t=", p[n]))
      return 1;
    p = strchr(p, '\n');
    p = p ? p + 1 : NULL;
  }
  return 0;
}

/* Writes "key = value" unless the test's own lines set key: ocopd refuses
 * a key given twice. */
static void conf_default(FILE *f, const char *extra, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void conf_default(FILE *f, const char *extra, const char *key, const char *fmt, ...) {
  va_list ap;

  if (extra_sets(extra, key))
    return;
  fprintf(f, "%s = ", key);
  va_start(ap, fmt);
  vfprintf(f, fmt, ap);
  va_end(ap);
  fputc('\n', f);
}

void itest_daemon_start(struct itest_daemon *d, const char *workdir, const char *conninfo,
                        const char *extra) {
  char path[1024];
  FILE *f;
  int fd;

  itest_ensure_token_key(workdir);
  /* Whatever the test put in the catalogue, the simulated categories'
   * requirements are met where the test did not say otherwise. */
  {
    PGconn *c = itest_connect(conninfo);

    content_fill_bare(c);
    PQfinish(c);
  }
  snprintf(d->conf, sizeof d->conf, "%s/ocopd.conf", workdir);
  snprintf(d->log, sizeof d->log, "%s/ocopd.log", workdir);
  /* ocopd refuses to start on an unreadable credentials folder. */
  snprintf(path, sizeof path, "%s/credentials", workdir);
  mkdir(path, 0700);
  f = fopen(d->conf, "w");
  ASSERT_NOT_NULL(f);
  fprintf(f, "[ocopd]\n%s\n", extra ? extra : "");
  conf_default(f, extra, "database", "%s", conninfo);
  conf_default(f, extra, "connector_dir", "%s/connectors/.libs", itest_builddir());
  conf_default(f, extra, "credentials_dir", "%s/credentials", workdir);
  conf_default(f, extra, "log_level", "debug");
  conf_default(f, extra, "poll_interval", "200ms");
  /* Off unless the test asks (test_admin.c): parallel daemons. */
  conf_default(f, extra, "admin_listen", "%s", "");
  conf_default(f, extra, "sweep_interval", "2s");
  conf_default(f, extra, "retry_base", "100ms");
  conf_default(f, extra, "retry_max", "2s");
  /* A lost create is looked for 12 s, not 120 s: tests that kill the
   * daemon mid-create stay short (docs/create-once.md). */
  conf_default(f, extra, "http_timeout", "10s");
  conf_default(f, extra, "create_settle", "12s");
  conf_default(f, extra, "media_dir", "%s/tests/data/images", itest_srcdir());
  fclose(f);
  program_path("ocopd", path, sizeof path);
  d->pid = fork();
  ASSERT(d->pid >= 0);
  if (d->pid == 0) {
    fd = open(d->log, O_WRONLY | O_CREAT | O_APPEND, 0644);
    dup2(fd, STDERR_FILENO);
    dup2(fd, STDOUT_FILENO);
    /* OCOP_VALGRIND=1: run the daemon under valgrind; any error or
     * definite leak changes its exit status, which the tests check. */
    if (getenv("OCOP_VALGRIND"))
      execlp("valgrind", "valgrind", "-q", "--error-exitcode=99", "--leak-check=full",
             "--errors-for-leak-kinds=definite", path, "-c", d->conf, (char *)NULL);
    execl(path, path, "-c", d->conf, (char *)NULL);
    _exit(127);
  }
}

int itest_daemon_alive(struct itest_daemon *d) {
  return d->pid > 0 && waitpid(d->pid, NULL, WNOHANG) == 0;
}

int itest_daemon_stop(struct itest_daemon *d, int sig) {
  int status = 0;

  if (d->pid <= 0)
    return -1;
  kill(d->pid, sig);
  waitpid(d->pid, &status, 0);
  d->pid = 0;
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

int itest_wait(int (*cond)(void *arg), void *arg, int timeout_ms) {
  int waited = 0;

  while (!cond(arg)) {
    if (waited >= timeout_ms)
      return 0;
    usleep(50000);
    waited += 50;
  }
  return 1;
}

int itest_outbox_idle(PGconn *conn) {
  return itest_sql_int(conn,
                       "SELECT (SELECT count(*) FROM outbox WHERE state IN ('pending', 'running'))"
                       " + (SELECT count(*) FROM product_image WHERE checked_at IS NULL)") == 0;
}

char *itest_read_file(const char *path) {
  int fd = open(path, O_RDONLY);
  char *s;

  if (fd < 0)
    return NULL;
  s = slurp_fd(fd);
  close(fd);
  return s;
}

void itest_drop_orphans(void) {
  PGconn *admin;
  PGresult *res;
  int i;

  if (!getenv("OCOP_TEST_PG") || !getenv("OCOP_TEST_PG")[0])
    return;
  admin = PQconnectdb(getenv("OCOP_TEST_PG"));
  if (PQstatus(admin) != CONNECTION_OK) {
    PQfinish(admin);
    return;
  }
  res = PQexec(admin, "SELECT datname FROM pg_database WHERE datname ~ '^ocop_t_[0-9]+_[0-9]+$'");
  for (i = 0; PQresultStatus(res) == PGRES_TUPLES_OK && i < PQntuples(res); i++) {
    const char *name = PQgetvalue(res, i, 0);
    long pid = atol(name + strlen("ocop_t_"));
    char sql[160];

    if (kill((pid_t)pid, 0) == 0 || errno != ESRCH)
      continue; /* its test is still running, here or in another run */
    snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", name);
    PQclear(PQexec(admin, sql));
  }
  PQclear(res);
  PQfinish(admin);
}

long itest_rss_kib(pid_t pid) {
  char path[64], line[256];
  long kib = -1;
  FILE *f;

  snprintf(path, sizeof path, "/proc/%ld/status", (long)pid);
  f = fopen(path, "r");
  if (!f)
    return -1;
  while (fgets(line, sizeof line, f))
    if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
      break;
  fclose(f);
  return kib;
}

int itest_free_port(void) {
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

int itest_wait_port(int port) {
  struct sockaddr_in sa;
  int i;

  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_port = htons((uint16_t)port);
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (i = 0; i < 300; i++) {
    int fd = socket(AF_INET, SOCK_STREAM, 0), ok;

    ASSERT(fd >= 0);
    ok = connect(fd, (struct sockaddr *)&sa, sizeof sa) == 0;
    close(fd);
    if (ok) {
      usleep(300 * 1000);
      return 1;
    }
    usleep(50 * 1000);
  }
  return 0;
}

int itest_sim_push(struct itest_sim *sim, const char *url, const char *mp, const char *shop,
                   const char *order_id, const char *sign, long long ts) {
  char path[64], *body;
  cJSON *req = cJSON_CreateObject(), *r;
  int status;

  snprintf(path, sizeof path, "/_sim/%s/push", mp);
  cJSON_AddStringToObject(req, "url", url);
  cJSON_AddStringToObject(req, "shop", shop);
  cJSON_AddStringToObject(req, "order_id", order_id);
  cJSON_AddStringToObject(req, "sign", sign);
  if (ts)
    cJSON_AddNumberToObject(req, "timestamp", (double)ts);
  body = cJSON_PrintUnformatted(req);
  r = itest_sim_call(sim, "POST", path, body);
  status = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "status"));
  cJSON_Delete(r);
  cJSON_Delete(req);
  free(body);
  return status;
}
