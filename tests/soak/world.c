/* world.c — see world.h. */
#include "world.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

const struct world_market world_markets[WORLD_SHOPS] = {
    {"shopee", ITEST_SHOP_ID, "/_sim/shopee/items?shop_id=" ITEST_SHOP_ID, "READY_TO_SHIP",
     "item_status", "NORMAL"},
    {"lazada", "3001", "/_sim/lazada/items?seller_id=3001", "pending", "status", "active"},
    {"tiktok", "ROW_itest", "/_sim/tiktok/items?shop_cipher=ROW_itest", "AWAITING_SHIPMENT",
     "status", "ACTIVATE"},
};

#define REVOKED_EVERY 20 /* revoked before the soak starts */
#define LAPSING_EVERY 25 /* valid until today: lapse when the date moves */
#define TWO_SIZES_EVERY 3 /* products with a second variant */

long long world_q(struct world *w, const char *fmt, ...) {
  char sql[2048];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  return itest_sql_int(w->db, sql);
}

static void exec(struct world *w, const char *sql) {
  PQclear(itest_sql(w->db, sql));
}

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

/* scripts/pgtmp CMD on the soak's cluster; its stdout in out (malloc'd). */
static void pgtmp(struct world *w, const char *cmd, const char *mode, char **out) {
  char path[1024], *err = NULL;
  const char *argv[] = {path, cmd, w->cluster, mode, NULL};
  int rc;

  snprintf(path, sizeof path, "%s/scripts/pgtmp", itest_srcdir());
  rc = itest_run(argv, out, &err);
  if (rc != 0)
    fprintf(stderr, "# pgtmp %s: exit %d: %s\n", cmd, rc, err ? err : "");
  ASSERT_EQ(rc, 0);
  free(err);
}

/* Two sizes for every third product, some products revoked, some lapsing
 * at the next midnight. */
static void catalogue(struct world *w) {
  itest_generate_products(w->db, WORLD_PREFIX, w->products);
  world_q(w, "WITH x AS (UPDATE variant v SET label = '500 g' FROM product p "
             "WHERE p.id = v.product_id AND substr(p.code, 4)::integer %% %d = 0 RETURNING 1) "
             "SELECT count(*) FROM x", TWO_SIZES_EVERY);
  exec(w, "INSERT INTO variant (product_id, sku, label, position, price_vnd, weight_g, "
          "length_mm, width_mm, height_mm) SELECT v.product_id, v.sku || '-1KG', '1 kg', 2, "
          "v.price_vnd * 2, 1000, 200, 150, 80 FROM variant v WHERE v.label = '500 g'");
  exec(w, "INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 100, 'import' "
          "FROM variant WHERE sku LIKE '%-1KG'");
  world_q(w, "WITH x AS (UPDATE certificate SET revoked_on = DATE '2026-01-15' WHERE product_id IN "
             "(SELECT id FROM product WHERE substr(code, 4)::integer %% %d = 0) RETURNING 1) "
             "SELECT count(*) FROM x", REVOKED_EVERY);
  world_q(w, "WITH x AS (UPDATE certificate SET valid_until = DATE '" WORLD_TODAY "' "
             "WHERE product_id IN (SELECT id FROM product WHERE substr(code, 4)::integer %% %d = 0) "
             "AND revoked_on IS NULL RETURNING 1) SELECT count(*) FROM x", LAPSING_EVERY);
}

static void shops(struct world *w) {
  char sql[512];

  itest_add_shop(w->db, &w->sim, w->workdir[0], "delist");
  itest_add_market_shop(w->db, &w->sim, w->workdir[0], "lazada");
  itest_add_market_shop(w->db, &w->sim, w->workdir[0], "tiktok");
  /* Lazada and TikTok refresh tokens on their auth host: the simulator. */
  snprintf(sql, sizeof sql,
           "UPDATE shop SET options = options || jsonb_build_object('auth_url', '%s') "
           "WHERE marketplace IN ('lazada', 'tiktok')", w->sim.base);
  exec(w, sql);
}

void world_up(struct world *w, int products) {
  const char *migrate[] = {"ocopctl", "-d", NULL, "migrate", NULL};
  char *out = NULL, *nl;
  int i;

  memset(w, 0, sizeof *w);
  w->products = products;
  snprintf(w->dir, sizeof w->dir, "%s", itest_workdir("soak"));
  snprintf(w->cluster, sizeof w->cluster, "%s/pg", w->dir);
  pgtmp(w, "start", NULL, &out);
  if ((nl = strchr(out, '\n')) != NULL)
    *nl = '\0';
  snprintf(w->conninfo, sizeof w->conninfo, "%s", out);
  free(out);
  setenv("OCOP_TEST_PG", w->conninfo, 1); /* the harness's databases go there */
  w->db_conninfo = itest_db_create("soak");
  w->db = itest_connect(w->db_conninfo);
  migrate[2] = w->db_conninfo;
  ASSERT_EQ(itest_run(migrate, NULL, NULL), 0);
  itest_pin_date(w->db, WORLD_TODAY);
  catalogue(w);
  for (i = 0; i < WORLD_DAEMONS; i++)
    snprintf(w->workdir[i], sizeof w->workdir[i], "%s/ocopd%d", w->dir, i);
  for (i = 0; i < WORLD_DAEMONS; i++)
    ASSERT_EQ(mkdir(w->workdir[i], 0755), 0);
  itest_sim_start(&w->sim);
  shops(w);
  /* Both daemons read the shops' secrets from daemon 0's folder. */
  w->webhook_port = free_port();
  w->admin_port = free_port();
}

void world_down(struct world *w) {
  int i;

  for (i = 0; i < WORLD_DAEMONS; i++)
    if (w->daemon[i].pid)
      itest_daemon_stop(&w->daemon[i], SIGTERM);
  itest_sim_stop(&w->sim);
  PQfinish(w->db);
  pgtmp(w, "stop", NULL, NULL);
  free(w->orders);
}

void world_start(struct world *w, int i) {
  char conf[1024], listen[128] = "webhook_listen =\nadmin_listen =\n";

  /* Daemon 0 takes the pushes and serves /metrics; daemon 1 listens on
   * nothing. Both read the shops' secrets from daemon 0's folder. */
  if (i == 0)
    snprintf(listen, sizeof listen, "webhook_listen = 127.0.0.1:%d\nadmin_listen = 127.0.0.1:%d\n",
             w->webhook_port, w->admin_port);
  snprintf(conf, sizeof conf,
           "log_level = info\norder_poll_interval = 500ms\norder_poll_overlap = 5s\n"
           "rate_limits = shopee:0,lazada:0,tiktok:0\njob_lease = 3s\n"
           "credentials_dir = %s/credentials\n%s",
           w->workdir[0], listen);
  itest_daemon_start(&w->daemon[i], w->workdir[i], w->db_conninfo, conf);
}

int world_stop(struct world *w, int i, int sig) {
  int st = itest_daemon_stop(&w->daemon[i], sig);

  w->daemon[i].pid = 0;
  return st;
}

int world_running(struct world *w, int i) {
  return w->daemon[i].pid != 0 && itest_daemon_alive(&w->daemon[i]);
}

/* ---- traffic ---------------------------------------------------------------- */

static void keep_order(struct world *w, int market, const char *id) {
  if (w->norders == w->cap_orders) {
    w->cap_orders = w->cap_orders ? 2 * w->cap_orders : 256;
    w->orders = realloc(w->orders, (size_t)w->cap_orders * sizeof *w->orders);
    ASSERT_NOT_NULL(w->orders);
  }
  w->orders[w->norders].market = market;
  snprintf(w->orders[w->norders].id, sizeof w->orders[w->norders].id, "%s", id);
  w->norders++;
}

/* A product shown from the start to the end: neither revoked nor lapsing. */
static int shown_product(struct world *w) {
  int n;

  do
    n = 1 + rand() % w->products;
  while (n % REVOKED_EVERY == 0 || n % LAPSING_EVERY == 0);
  return n;
}

static void one_order(struct world *w, int market, int push) {
  const struct world_market *m = &world_markets[market];
  char body[1024], path[64], sku[64], hook[160] = "";
  int n = shown_product(w);
  cJSON *r, *st;

  snprintf(sku, sizeof sku, WORLD_PREFIX "-%06d%s", n,
           n % TWO_SIZES_EVERY == 0 && rand() % 2 ? "-1KG" : "");
  if (push)
    snprintf(hook, sizeof hook, ", \"push\": {\"url\": \"http://127.0.0.1:%d/hooks/%s\"}",
             w->webhook_port, m->name);
  snprintf(body, sizeof body,
           "{\"shop\": \"%s\", \"orders\": [{\"status\": \"%s\", \"lines\": [{\"sku\": \"%s\", "
           "\"qty\": %d, \"price\": 45000}]}]%s}",
           m->shop, m->sold, sku, 1 + rand() % 2, hook);
  snprintf(path, sizeof path, "/_sim/%s/orders", m->name);
  r = itest_sim_call(&w->sim, "POST", path, body);
  ASSERT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(r, "ids")), 1);
  keep_order(w, market, cJSON_GetArrayItem(cJSON_GetObjectItem(r, "ids"), 0)->valuestring);
  st = cJSON_GetArrayItem(cJSON_GetObjectItem(r, "push_status"), 0);
  if (push) {
    w->pushes++;
    w->pushes_taken += cJSON_GetNumberValue(st) == 200;
  }
  cJSON_Delete(r);
}

void world_orders(struct world *w, int n) {
  int i;

  for (i = 0; i < n; i++)
    one_order(w, w->norders % WORLD_SHOPS, w->norders / WORLD_SHOPS % 2);
}

void world_prices(struct world *w) {
  exec(w, "UPDATE variant SET price_vnd = price_vnd + 1000 WHERE id IN "
          "(SELECT id FROM variant ORDER BY random() LIMIT 5)");
  w->price_changes += 5;
}

void world_cross_expiry(struct world *w) {
  itest_pin_date(w->db, WORLD_TOMORROW);
  w->date_moved = 1;
}

/* ---- the database ------------------------------------------------------------ */

void world_restart_db(struct world *w, const char *mode) {
  PQfinish(w->db);
  pgtmp(w, "restart", mode, NULL);
  w->db = itest_connect(w->db_conninfo);
}

static size_t on_body(char *p, size_t size, size_t n, void *arg) {
  char **buf = arg;
  size_t old = *buf ? strlen(*buf) : 0, add = size * n;
  char *nb = realloc(*buf, old + add + 1);

  if (!nb)
    return 0;
  memcpy(nb + old, p, add);
  nb[old + add] = '\0';
  *buf = nb;
  return add;
}

int world_db_up(struct world *w) {
  char url[128], *body = NULL, *p;
  CURL *c = curl_easy_init();
  int up = 0, down = 0;

  snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", w->admin_port);
  curl_easy_setopt(c, CURLOPT_URL, url);
  curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
  curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(c, CURLOPT_TIMEOUT, 5L);
  if (curl_easy_perform(c) == CURLE_OK && body)
    for (p = body; (p = strstr(p, "\nocopd_db_up{")) != NULL; p++) {
      const char *end = strchr(p + 1, '\n');

      if (end && end - p > 2 && end[-1] == '1' && end[-2] == ' ')
        up++;
      else
        down++;
    }
  curl_easy_cleanup(c);
  free(body);
  return up >= 3 && down == 0;
}
