/*
 * test_reconcile.c — stock read back from the marketplace: real PostgreSQL,
 * the Shopee simulator, ocopd reading every live listing back every 2 s.
 *
 * What must hold: a count changed behind ocopd's back (a seller editing it
 * by hand) is found, recorded once as a 'stock_drift' event with what was
 * seen and what was expected, and pushed back to the ledger's value; no
 * listing left alone is ever reported as drifting; and reconcile_interval
 * = 0 reads nothing back.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define TODAY "2026-11-25"
#define SKU "OCP-BTN-001"   /* listed in the sample, with stock; its one variant's SKU */
#define LISTED 32           /* listings the sample mirrors on TODAY */
/* A read-back is one call per listing: get_item_base_info for an item
 * without models, get_model_list for one with models (the three products
 * of the sample with extra pack sizes; docs/marketplaces/shopee.md). The
 * mirror may call get_model_list too (a `variants` job, when a create's own
 * steps could not give its item every model, starts with a look-up), so
 * get_model_list calls count from the end of the mirror on
 * (fixture.reads_since); get_item_base_info is only ever a read-back and
 * counts from the start. */
#define READ_PATH "/api/v2/product/get_item_base_info"
#define MODEL_READ_PATH "/api/v2/product/get_model_list"

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
  /* the listing whose stock the test changes */
  long long product_id;
  char item_id[32];
  long long expected;
  long long observed;
  long long reads_since; /* the simulator's call log, once mirrored */
};

static void fixture_up(struct fixture *f, const char *tag, const char *extra) {
  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir(tag));
  f->conninfo = itest_db_create(tag);
  f->db = itest_connect(f->conninfo);
  itest_load_sample(f->conninfo, f->db, TODAY);
  itest_sim_start(&f->sim);
  itest_add_shop(f->db, &f->sim, f->workdir, "delist");
  itest_daemon_start(&f->daemon, f->workdir, f->conninfo, extra);
}

static void fixture_down(struct fixture *f) {
  if (f->daemon.pid)
    itest_daemon_stop(&f->daemon, SIGTERM);
  itest_sim_stop(&f->sim);
  PQfinish(f->db);
}

static int mirrored(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) &&
         itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state = 'listed'") == LISTED;
}

/* The simulator's stock of the test variant (SKU) on the item, or -1 when
 * it has no such item or the item no such variant. */
static long long sim_stock(struct fixture *f, const char *item_id) {
  cJSON *items = itest_sim_items(&f->sim), *it, *v;
  long long stock = -1;

  cJSON_ArrayForEach(it, items)
    if (strcmp(cJSON_GetObjectItem(it, "item_id_str")->valuestring, item_id) == 0)
      cJSON_ArrayForEach(v, cJSON_GetObjectItem(it, "variants"))
        if (strcmp(cJSON_GetObjectItem(v, "sku")->valuestring, SKU) == 0)
          stock = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(v, "stock"));
  cJSON_Delete(items);
  return stock;
}

/* The sequence number of the simulator's last call so far. */
static long long last_call(struct itest_sim *sim) {
  cJSON *r = itest_sim_call(sim, "GET", "/_sim/calls?since=0", NULL);
  long long seq = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "next"));

  cJSON_Delete(r);
  return seq;
}

/* Read-back calls the simulator answered with HTTP 200: get_item_base_info
 * ever, get_model_list after call `models_since`. */
static int count_reads(struct itest_sim *sim, long long models_since) {
  cJSON *r = itest_sim_call(sim, "GET", "/_sim/calls?since=0", NULL), *c;
  int n = 0;

  cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "calls")) {
    const char *path = cJSON_GetObjectItem(c, "path")->valuestring;

    if ((strcmp(path, READ_PATH) == 0 ||
         (strcmp(path, MODEL_READ_PATH) == 0 &&
          cJSON_GetNumberValue(cJSON_GetObjectItem(c, "seq")) > (double)models_since)) &&
        cJSON_GetNumberValue(cJSON_GetObjectItem(c, "http_status")) == 200)
      n++;
  }
  cJSON_Delete(r);
  return n;
}

/* Reads the test listing and changes its count on the simulator to the
 * ledger's value plus 7, as a seller editing it by hand would. */
static void make_drift(struct fixture *f) {
  char *item, sql[256], body[256];
  cJSON *r;

  item = itest_sql_text(f->db, "SELECT l.item_id FROM listing l "
                               "JOIN product p ON p.id = l.product_id WHERE p.code = '" SKU "'");
  snprintf(f->item_id, sizeof f->item_id, "%s", item);
  free(item);
  ASSERT(f->item_id[0] != '\0');
  f->reads_since = last_call(&f->sim);
  f->product_id = itest_sql_int(f->db, "SELECT id FROM product WHERE code = '" SKU "'");
  snprintf(sql, sizeof sql,
           "SELECT stock FROM listing_variant_target WHERE product_id = %lld AND sku = '" SKU "'",
           f->product_id);
  f->expected = itest_sql_int(f->db, sql);
  ASSERT_EQ(sim_stock(f, f->item_id), f->expected);
  f->observed = f->expected + 7;
  /* No "sku": SKU is the item's only variant, an item without models (the
   * simulator takes "sku" for a model only). */
  snprintf(body, sizeof body, "{\"shop_id\": %s, \"item_id\": %s, \"stock\": %lld}",
           ITEST_SHOP_ID, f->item_id, f->observed);
  r = itest_sim_call(&f->sim, "POST", "/_sim/shopee/items/stock", body);
  ASSERT(cJSON_IsTrue(cJSON_GetObjectItem(r, "ok")));
  cJSON_Delete(r);
  ASSERT_EQ(sim_stock(f, f->item_id), f->observed);
}

/* Drift events of the test product naming the test variant with what was
 * seen and what was expected (detail.variants: one entry per drifting
 * variant, sql/logic/reconcile.sql). */
static long long drift_events(struct fixture *f) {
  char sql[512];

  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM event WHERE kind = 'stock_drift' AND product_id = %lld "
           "AND detail->'variants' @> jsonb_build_array(jsonb_build_object("
           "'sku', '" SKU "', 'observed', %lld::bigint, 'expected', %lld::bigint))",
           f->product_id, f->observed, f->expected);
  return itest_sql_int(f->db, sql);
}

static int drift_corrected(void *arg) {
  struct fixture *f = arg;

  return drift_events(f) >= 1 && sim_stock(f, f->item_id) == f->expected &&
         itest_outbox_idle(f->db);
}

static int log_says_corrected(void *arg) {
  struct fixture *f = arg;
  char *log = itest_read_file(f->daemon.log);
  int ok = log && strstr(log, "stock drift corrected") && strstr(log, "sku=" SKU);

  free(log);
  return ok;
}

TEST_IMPL(drift_is_recorded_and_corrected) {
  struct fixture f;
  char sql[256];
  char *log;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "reconcile", "reconcile_interval = 2s\nrate_limits = shopee:50\n");
  ASSERT(itest_wait(mirrored, &f, 60000));
  make_drift(&f);
  ASSERT(itest_wait(drift_corrected, &f, 15000));
  ASSERT(itest_wait(log_says_corrected, &f, 5000));
  /* Found once, and the correction was a stock push like any other. */
  ASSERT_EQ(drift_events(&f), 1);
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM listing_variant lv JOIN variant v ON v.id = lv.variant_id "
           "WHERE v.sku = '" SKU "' AND lv.sent_stock = %lld",
           f.expected);
  ASSERT_EQ(itest_sql_int(f.db, sql), 1);
  /* A few more rounds: what was left alone never drifts, and the corrected
   * listing stays corrected. */
  sleep(5);
  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM event WHERE kind = 'stock_drift' AND product_id <> %lld",
           f.product_id);
  ASSERT_EQ(itest_sql_int(f.db, sql), 0);
  ASSERT_EQ(drift_events(&f), 1);
  ASSERT(count_reads(&f.sim, f.reads_since) >= 2 * LISTED);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing WHERE state = 'listed' "
                                "AND reconciled_at IS NULL"), 0);
  /* The log names the shop and SKU, never the token. */
  log = itest_read_file(f.daemon.log);
  ASSERT_NOT_NULL(log);
  ASSERT(strstr(log, ITEST_ACCESS_TOKEN) == NULL);
  ASSERT(strstr(log, ITEST_PARTNER_KEY) == NULL);
  free(log);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  f.daemon.pid = 0;
  fixture_down(&f);
  return 0;
}

TEST_IMPL(interval_zero_reads_nothing_back) {
  struct fixture f;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "reconcile0", "reconcile_interval = 0\nrate_limits = shopee:50\n");
  ASSERT(itest_wait(mirrored, &f, 60000));
  make_drift(&f);
  sleep(4);
  ASSERT_EQ(count_reads(&f.sim, f.reads_since), 0);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event WHERE kind = 'stock_drift'"), 0);
  ASSERT_EQ(sim_stock(&f, f.item_id), f.observed);
  fixture_down(&f);
  return 0;
}
