/*
 * test_once.c — a create reaches each marketplace once, whatever happens to
 * its answer. For Shopee, Lazada and TikTok Shop:
 *   - creates applied late, after ocopd's call has given up (the simulator's
 *     `slow` fault holds the answer past http_timeout, then applies the
 *     create): the look-ups wait create_settle instead of creating again;
 *   - creates applied and then answered by a closed connection on a reused
 *     keep-alive connection (`apply_then_fail` with `drop`): the transport
 *     never sends the create a second time (lib/http.h, http_send_once);
 * and for Lazada, a SellerSku the seller already has (an earlier create
 * landed while ocopd lost its marker) is adopted, never a dead job.
 * Each run checks: every SKU on the marketplace once, one create call per
 * product, every listing listed, no dead job.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define TODAY "2026-11-25"
#define PRODUCTS 4

struct market {
  const char *name;
  const char *create_path; /* as the simulator's call log names it */
  const char *items_path;  /* control API: the shop's items */
};

static const struct market markets[] = {
    {"shopee", "/api/v2/product/add_item", "/_sim/shopee/items"},
    {"lazada", "/rest/product/create", "/_sim/lazada/items?seller_id=3001"},
    {"tiktok", "/product/202309/products", "/_sim/tiktok/items?shop_cipher=ROW_itest"},
};

struct fixture {
  const struct market *m;
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
};

static void fixture_up(struct fixture *f, const struct market *m, const char *tag) {
  const char *migrate[] = {"ocopctl", "-d", NULL, "migrate", NULL};
  char t[64];

  memset(f, 0, sizeof *f);
  f->m = m;
  snprintf(t, sizeof t, "%s_%s", tag, m->name);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir(t));
  f->conninfo = itest_db_create(t);
  f->db = itest_connect(f->conninfo);
  migrate[2] = f->conninfo;
  ASSERT_EQ(itest_run(migrate, NULL, NULL), 0);
  itest_pin_date(f->db, TODAY);
  itest_generate_products(f->db, "ONCE", PRODUCTS);
  itest_sim_start(&f->sim);
  if (strcmp(m->name, "shopee") == 0)
    itest_add_shop(f->db, &f->sim, f->workdir, "delist");
  else
    itest_add_market_shop(f->db, &f->sim, f->workdir, m->name);
}

static void fixture_down(struct fixture *f) {
  if (f->daemon.pid)
    itest_daemon_stop(&f->daemon, SIGTERM);
  itest_sim_stop(&f->sim);
  PQfinish(f->db);
}

static void add_fault(struct fixture *f, const char *rule) {
  char body[512];

  snprintf(body, sizeof body, "{\"marketplace\":\"%s\",\"path\":\"%s\",%s}", f->m->name,
           f->m->create_path, rule);
  cJSON_Delete(itest_sim_call(&f->sim, "POST", "/_sim/fault", body));
}

/* Create calls the marketplace received, whatever their answer. */
static int count_creates(struct fixture *f) {
  cJSON *r = itest_sim_call(&f->sim, "GET", "/_sim/calls?since=0", NULL), *c;
  int n = 0;

  cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "calls")) {
    const cJSON *p = cJSON_GetObjectItem(c, "path");

    if (cJSON_IsString(p) && strcmp(p->valuestring, f->m->create_path) == 0)
      n++;
  }
  cJSON_Delete(r);
  return n;
}

/* The SKU an item is known by: its first variant's. */
static const char *item_sku(const cJSON *item) {
  const cJSON *v = cJSON_GetArrayItem(cJSON_GetObjectItem(item, "variants"), 0);
  const cJSON *sku = cJSON_GetObjectItem(v, "sku");

  ASSERT(cJSON_IsString(sku));
  return sku->valuestring;
}

/* ASSERTs that no SKU is on the shop twice; returns how many items. */
static int skus_once(struct fixture *f) {
  cJSON *r = itest_sim_call(&f->sim, "GET", f->m->items_path, NULL);
  cJSON *items = cJSON_GetObjectItem(r, "items");
  int n, i, j;

  ASSERT(cJSON_IsArray(items));
  n = cJSON_GetArraySize(items);
  for (i = 0; i < n; i++)
    for (j = i + 1; j < n; j++)
      if (strcmp(item_sku(cJSON_GetArrayItem(items, i)),
                 item_sku(cJSON_GetArrayItem(items, j))) == 0) {
        fprintf(stderr, "# %s: %s is on the marketplace twice\n", f->m->name,
                item_sku(cJSON_GetArrayItem(items, i)));
        ASSERT(0);
      }
  cJSON_Delete(r);
  return n;
}

static int all_listed(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state = 'listed'") == PRODUCTS;
}

/* What every run must end with. late_ms: how long a create still held by
 * the simulator may take to land; the marketplace is read after it. */
static void check_once(struct fixture *f, int late_ms) {
  ASSERT(itest_wait(all_listed, f, 120000));
  ASSERT(itest_wait((int (*)(void *))itest_outbox_idle, f->db, 30000));
  usleep((useconds_t)late_ms * 1000);
  ASSERT_EQ(skus_once(f), PRODUCTS);
  ASSERT_EQ(count_creates(f), PRODUCTS);
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(DISTINCT item_id) FROM listing "
                                 "WHERE state = 'listed'"), PRODUCTS);
}

static int log_says(struct fixture *f, const char *what) {
  char *log = itest_read_file(f->daemon.log);
  int found = log && strstr(log, what) != NULL;

  free(log);
  return found;
}

/* Each create is applied 4 s after it arrives; ocopd gives up after 2 s
 * (http_timeout). The look-ups that follow
 * find nothing at first: ocopd must wait, not create again. */
TEST_IMPL(late_applied_creates_are_settled_not_sent_twice) {
  size_t i;

  if (itest_need_pg())
    return TEST_SKIP;
  for (i = 0; i < sizeof markets / sizeof markets[0]; i++) {
    struct fixture f;

    fixture_up(&f, &markets[i], "late");
    add_fault(&f, "\"kind\":\"slow\",\"delay_ms\":4000,\"count\":-1");
    itest_daemon_start(&f.daemon, f.workdir, f.conninfo,
                       "http_timeout = 2s\ncreate_settle = 10s\n");
    check_once(&f, 5000);
    ASSERT(log_says(&f, "create of unknown outcome not visible yet"));
    ASSERT(log_says(&f, "found the listing a previous create made"));
    fixture_down(&f);
  }
  return 0;
}

/* Every create is applied and its connection closed without an answer.
 * On a reused connection libcurl would send it again on a fresh one. */
TEST_IMPL(dropped_create_answers_are_never_resent) {
  size_t i;

  if (itest_need_pg())
    return TEST_SKIP;
  for (i = 0; i < sizeof markets / sizeof markets[0]; i++) {
    struct fixture f;

    fixture_up(&f, &markets[i], "drop");
    add_fault(&f, "\"kind\":\"apply_then_fail\",\"drop\":true,\"count\":-1");
    itest_daemon_start(&f.daemon, f.workdir, f.conninfo, "concurrency = 2\n");
    check_once(&f, 0);
    fixture_down(&f);
  }
  return 0;
}

/* A SellerSku the seller already has (an earlier create landed and ocopd
 * lost its marker): Lazada refuses the create with 4105, and ocopd adopts
 * the item it finds instead of dead-lettering the job. */
TEST_IMPL(lazada_sku_already_there_is_adopted) {
  struct fixture f;
  cJSON *r;
  char *item, *listed;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, &markets[1], "exists");
  r = itest_sim_call(&f.sim, "POST", "/_sim/lazada/item",
                     "{\"seller_id\":\"3001\",\"sku\":\"ONCE-000002\",\"name\":\"Sản phẩm thử "
                     "nghiệm số 2\",\"price\":10002,\"stock\":100}");
  item = strdup(cJSON_GetObjectItem(r, "item_id")->valuestring);
  cJSON_Delete(r);
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  ASSERT(itest_wait(all_listed, &f, 120000));
  ASSERT(itest_wait((int (*)(void *))itest_outbox_idle, f.db, 30000));
  ASSERT_EQ(skus_once(&f), PRODUCTS);
  listed = itest_sql_text(f.db, "SELECT l.item_id FROM listing l JOIN product p ON "
                                "p.id = l.product_id WHERE p.code = 'ONCE-000002'");
  ASSERT_STR_EQ(listed, item);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
  ASSERT(log_says(&f, "the marketplace holds this SKU already"));
  free(listed);
  free(item);
  fixture_down(&f);
  return 0;
}
