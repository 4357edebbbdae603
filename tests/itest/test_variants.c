/*
 * test_variants.c — a product with several variants (pack sizes) on every
 * channel at once: Shopee, Lazada and TikTok through the simulator and the
 * PostMart feed. One item per product, one variant per pack size, each with
 * its own SKU, price and stock; a sale of one pack size moves that pack
 * size alone, everywhere; an unknown SKU is kept and flagged; a revoked
 * certificate takes the claims off every variant; a variant added or
 * withdrawn follows on every channel; and kill -9 while a variant is being
 * created never leaves it twice on an item. Real PostgreSQL, the simulator,
 * ocopd.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

/* The HTTP marketplaces: where their items are and how a status reads. */
struct market {
  const char *name;
  const char *items_path;  /* control API: the test shop's items */
  const char *orders_shop; /* the "shop" of POST /_sim/<name>/orders */
  const char *title_key;   /* item field holding the title */
};

static const struct market markets[] = {
    {"shopee", "/_sim/shopee/items?shop_id=2001", "2001", "item_name"},
    {"lazada", "/_sim/lazada/items?seller_id=3001", "3001", "name"},
    {"tiktok", "/_sim/tiktok/items?shop_cipher=ROW_itest", "ROW_itest", "title"},
};
#define NMARKETS (sizeof markets / sizeof markets[0])

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
  char feed[512];
};

/* OCP-VAR-001, green tea in three boxes, and OCP-ONE-001 with one SKU. */
static void add_catalogue(PGconn *db) {
  PQclear(itest_sql(db, "INSERT INTO producer (name, kind) VALUES ('HTX Chè Tân Cương', 'cooperative')"));
  PQclear(itest_sql(db, "INSERT INTO product (code, name_vi, producer_id, category_code, unit, "
                        "description_vi) SELECT c, n, (SELECT id FROM producer), 'I.5.a', 'hộp', "
                        "'Chè búp Tân Cương, sao tay.' FROM (VALUES ('OCP-VAR-001', 'Chè xanh Tân "
                        "Cương đặc biệt'), ('OCP-ONE-001', 'Chè móc câu Tân Cương loại một')) v (c, n)"));
  PQclear(itest_sql(db, "INSERT INTO variant (product_id, sku, label, position, price_vnd, weight_g, "
                        "length_mm, width_mm, height_mm) SELECT p.id, v.sku, v.label, v.pos, v.price, "
                        "v.w, 120, 80, 60 FROM product p, (VALUES ('OCP-VAR-001-100', '100 g', 1, "
                        "90000, 100), ('OCP-VAR-001-250', '250 g', 2, 210000, 250), ('OCP-VAR-001-500', "
                        "'500 g', 3, 400000, 500)) v (sku, label, pos, price, w) "
                        "WHERE p.code = 'OCP-VAR-001'"));
  PQclear(itest_sql(db, "INSERT INTO variant (product_id, sku, price_vnd, weight_g, length_mm, "
                        "width_mm, height_mm) SELECT id, code, 150000, 200, 120, 80, 60 FROM product "
                        "WHERE code = 'OCP-ONE-001'"));
  PQclear(itest_sql(db, "INSERT INTO stock_ledger (variant_id, delta, reason) "
                        "SELECT id, 40 + position * 10, 'import' FROM variant"));
  PQclear(itest_sql(db, "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
                        "SELECT id, 4, '1520/QĐ-UBND', '2025-03-14' FROM product"));
}

static void add_postmart(struct fixture *f) {
  char sql[1024], path[512];

  snprintf(path, sizeof path, "%s/export", f->workdir);
  ASSERT_EQ(mkdir(path, 0755), 0);
  snprintf(f->feed, sizeof f->feed, "%s/export/postmart-test.csv", f->workdir);
  snprintf(sql, sizeof sql,
           "INSERT INTO shop (name, marketplace, options) VALUES ('postmart-test', 'postmart', "
           "'{\"export_dir\": \"%s/export\"}')",
           f->workdir);
  PQclear(itest_sql(f->db, sql));
}

/* The catalogue, the four shops and the daemon; `fault`, when not NULL, is
 * a simulator fault rule in place before the daemon starts. */
static void fixture_up_faulted(struct fixture *f, const char *tag, const char *policy,
                               const char *fault) {
  const char *migrate[] = {"ocopctl", "-d", NULL, "migrate", NULL};
  char *err = NULL;

  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir(tag));
  f->conninfo = itest_db_create(tag);
  f->db = itest_connect(f->conninfo);
  migrate[2] = f->conninfo;
  if (itest_run(migrate, NULL, &err) != 0)
    fprintf(stderr, "ocopctl migrate: %s\n", err);
  free(err);
  itest_pin_date(f->db, "2026-11-25");
  add_catalogue(f->db);
  itest_sim_start(&f->sim);
  itest_add_shop(f->db, &f->sim, f->workdir, policy);
  itest_add_market_shop(f->db, &f->sim, f->workdir, "lazada");
  itest_add_market_shop(f->db, &f->sim, f->workdir, "tiktok");
  add_postmart(f);
  {
    char sql[128];

    snprintf(sql, sizeof sql, "UPDATE shop SET policy = '%s'", policy);
    PQclear(itest_sql(f->db, sql));
  }
  /* Operators' shops that carry the whole catalogue (assortment.sql). */
  PQclear(itest_sql(f->db, "INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop "
                           "ON CONFLICT DO NOTHING"));
  itest_sql_int(f->db, "SELECT ocop_sync(NULL, NULL)");
  if (fault)
    cJSON_Delete(itest_sim_call(&f->sim, "POST", "/_sim/fault", fault));
  itest_daemon_start(&f->daemon, f->workdir, f->conninfo, "order_poll_interval = 300ms\n");
}

static void fixture_up(struct fixture *f, const char *tag, const char *policy) {
  fixture_up_faulted(f, tag, policy, NULL);
}

static void fixture_down(struct fixture *f) {
  if (f->daemon.pid)
    ASSERT_EQ(itest_daemon_stop(&f->daemon, SIGTERM), 0);
  itest_sim_stop(&f->sim);
  PQfinish(f->db);
}

/* ---- what the marketplaces hold ----------------------------------------------- */

static cJSON *items_of(struct fixture *f, const struct market *m) {
  cJSON *r = itest_sim_call(&f->sim, "GET", m->items_path, NULL);
  cJSON *list = cJSON_DetachItemFromObject(r, "items");

  cJSON_Delete(r);
  ASSERT(cJSON_IsArray(list));
  return list;
}

/* The variant entry with this SKU on any item of the list, and its item. */
static cJSON *variant_in(cJSON *list, const char *sku, cJSON **item) {
  cJSON *it, *v;

  cJSON_ArrayForEach(it, list) {
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(it, "variants")) {
      const cJSON *s = cJSON_GetObjectItem(v, "sku");

      if (cJSON_IsString(s) && strcmp(s->valuestring, sku) == 0) {
        if (item)
          *item = it;
        return v;
      }
    }
  }
  return NULL;
}

/* How many times the SKU appears among the variants of every item. */
static int sku_count(cJSON *list, const char *sku) {
  cJSON *it, *v;
  int n = 0;

  cJSON_ArrayForEach(it, list)
    cJSON_ArrayForEach(v, cJSON_GetObjectItem(it, "variants")) {
      const cJSON *s = cJSON_GetObjectItem(v, "sku");

      n += cJSON_IsString(s) && strcmp(s->valuestring, sku) == 0;
    }
  return n;
}

static double num(const cJSON *o, const char *key) {
  return cJSON_GetNumberValue(cJSON_GetObjectItem(o, key));
}

/* The stock the ledger gives a variant on every shop (no buffers here). */
static long long ledger_stock(struct fixture *f, const char *sku) {
  char sql[256];

  snprintf(sql, sizeof sql,
           "SELECT coalesce((SELECT on_hand - reserved FROM stock_level s JOIN variant v "
           "ON v.id = s.variant_id WHERE v.sku = '%s'), 0)",
           sku);
  return itest_sql_int(f->db, sql);
}

/* Rows of the PostMart feed that hold `needle`. */
static int feed_rows(struct fixture *f, const char *needle) {
  char *feed = itest_read_file(f->feed), *line, *save = NULL;
  int n = 0;

  if (!feed)
    return -1;
  for (line = strtok_r(feed, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
    n += strstr(line, needle) != NULL;
  free(feed);
  return n;
}

/* Every listed SKU shows its ledger stock on every HTTP marketplace, exactly
 * once, and the feed has a row for it: `skus` is NULL-terminated. */
struct expect {
  struct fixture *f;
  const char *const *skus;
  const char *absent; /* a SKU that must be on no item, or NULL */
  char why[200];      /* what did not hold at the last look */
};

/* Waits for channels_show; on a timeout says what was still wrong. */
#define WAIT_SHOWN(e, ms)                                                                    \
  do {                                                                                       \
    int shown_ = itest_wait(channels_show, (e), (ms));                                       \
    if (!shown_)                                                                             \
      fprintf(stderr, "channels still differ: %s\n", (e)->why);                              \
    ASSERT(shown_);                                                                          \
  } while (0)

static int channels_show(void *arg) {
  struct expect *e = arg;
  size_t m, k;
  int ok = itest_outbox_idle(e->f->db) &&
           itest_sql_int(e->f->db, "SELECT count(*) FROM listing_jobs") == 0;

  snprintf(e->why, sizeof e->why, "jobs queued or due");
  for (m = 0; ok && m < NMARKETS; m++) {
    cJSON *list = items_of(e->f, &markets[m]), *v;

    for (k = 0; ok && e->skus[k]; k++) {
      v = variant_in(list, e->skus[k], NULL);
      ok = v && sku_count(list, e->skus[k]) == 1 &&
           (long long)num(v, "stock") == ledger_stock(e->f, e->skus[k]);
      if (!ok)
        snprintf(e->why, sizeof e->why, "%s on %s: %d times, stock %s (ledger %lld)",
                 e->skus[k], markets[m].name, sku_count(list, e->skus[k]),
                 v ? "differs" : "-", ledger_stock(e->f, e->skus[k]));
    }
    if (ok && e->absent && !(ok = sku_count(list, e->absent) == 0))
      snprintf(e->why, sizeof e->why, "%s still on %s", e->absent, markets[m].name);
    cJSON_Delete(list);
  }
  for (k = 0; ok && e->skus[k]; k++)
    if (!(ok = feed_rows(e->f, e->skus[k]) == 1))
      snprintf(e->why, sizeof e->why, "%s: %d feed rows", e->skus[k], feed_rows(e->f, e->skus[k]));
  if (ok && e->absent && !(ok = feed_rows(e->f, e->absent) == 0))
    snprintf(e->why, sizeof e->why, "%s still in the feed", e->absent);
  return ok;
}

static const char *const tea3[] = {"OCP-VAR-001-100", "OCP-VAR-001-250", "OCP-VAR-001-500",
                                   "OCP-ONE-001", NULL};

/* The three boxes of OCP-VAR-001 are one item with three variants on each
 * marketplace, with the labels, prices and ids the database recorded. */
static void check_one_item(struct fixture *f) {
  static const char *const labels[] = {"100 g", "250 g", "500 g"};
  static const double prices[] = {90000, 210000, 400000};
  size_t m, k;

  for (m = 0; m < NMARKETS; m++) {
    cJSON *list = items_of(f, &markets[m]), *item = NULL, *first = NULL, *v;

    for (k = 0; k < 3; k++) {
      char sql[512], *id;

      v = variant_in(list, tea3[k], &item);
      ASSERT_NOT_NULL(v);
      if (k == 0)
        first = item;
      ASSERT(item == first); /* one item, not three */
      ASSERT_STR_EQ(cJSON_GetObjectItem(v, "label")->valuestring, labels[k]);
      ASSERT_EQ(num(v, "price"), prices[k]);
      snprintf(sql, sizeof sql,
               "SELECT lv.remote_id FROM listing_variant lv JOIN variant v ON v.id = lv.variant_id "
               "JOIN listing l ON l.id = lv.listing_id JOIN shop s ON s.id = l.shop_id "
               "WHERE v.sku = '%s' AND s.marketplace = '%s'",
               tea3[k], markets[m].name);
      id = itest_sql_text(f->db, sql);
      ASSERT_STR_EQ(id, cJSON_GetObjectItem(v, "id")->valuestring);
      free(id);
    }
    ASSERT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(first, "variants")), 3);
    cJSON_Delete(list);
  }
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state = 'listed'"), 8);
}

/* ---- the tests ------------------------------------------------------------------ */

TEST_IMPL(variants_mirror_to_every_channel) {
  struct fixture f;
  struct expect e = {&f, tea3, NULL, ""};

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "var_mirror", "delist");
  WAIT_SHOWN(&e, 90000);
  check_one_item(&f);
  /* Shopee's item is created, then given its models in the same job, with
   * no look-up and no variants job (daemon/outbox.c, go_on_with_variants). */
  ASSERT_EQ(itest_sim_count_calls(&f.sim, "/api/v2/product/init_tier_variation"), 1);
  ASSERT_EQ(itest_sim_count_calls(&f.sim, "/api/v2/product/get_model_list"), 0);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox o JOIN listing l ON l.id = o.listing_id "
                                "JOIN shop s ON s.id = l.shop_id "
                                "WHERE s.marketplace = 'shopee' AND o.kind = 'variants'"), 0);
  ASSERT_EQ(feed_rows(&f, ",OCP-VAR-001,"), 3);
  ASSERT_EQ(feed_rows(&f, "OCP-ONE-001,OCP-ONE-001,,"), 1);
  fixture_down(&f);
  return 0;
}

/* The models of a new Shopee item are made, but their answer is lost (a
 * 504 after the marketplace applied the call): the create is done all the
 * same, and the variants job that follows reads the item before it acts,
 * so the models are made once and the listing learns their ids. */
TEST_IMPL(lost_answer_to_a_new_items_models_is_read_not_sent_again) {
  struct fixture f;
  struct expect e = {&f, tea3, NULL, ""};

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up_faulted(&f, "var_models_lost", "delist",
                     "{\"marketplace\": \"shopee\", \"path\": \"/api/v2/product/init_tier_variation\", "
                     "\"kind\": \"apply_then_fail\", \"status\": 504, \"count\": 1}");
  WAIT_SHOWN(&e, 90000);
  check_one_item(&f);
  ASSERT_EQ(itest_sim_count_calls(&f.sim, "/api/v2/product/add_item"), 2);
  /* The models' call went out once, answered 504, and never again. */
  ASSERT_EQ(itest_sim_count_any_calls(&f.sim, "/api/v2/product/init_tier_variation"), 1);
  ASSERT_EQ(itest_sim_count_calls(&f.sim, "/api/v2/product/init_tier_variation"), 0);
  ASSERT(itest_sim_count_calls(&f.sim, "/api/v2/product/get_model_list") >= 1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox o JOIN listing l ON l.id = o.listing_id "
                                "JOIN shop s ON s.id = l.shop_id JOIN product p ON p.id = l.product_id "
                                "WHERE s.marketplace = 'shopee' AND p.code = 'OCP-VAR-001' "
                                "AND o.state = 'done' AND o.kind IN ('publish', 'variants')"), 2);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state IN ('dead', 'held')"), 0);
  fixture_down(&f);
  return 0;
}

/* An order on Shopee for two 250 g boxes: that variant's stock drops by two
 * on every channel, the other boxes keep theirs. */
TEST_IMPL(sale_of_one_variant_moves_only_its_stock) {
  struct fixture f;
  struct expect e = {&f, tea3, NULL, ""};
  long long before[4];
  size_t k;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "var_sale", "delist");
  WAIT_SHOWN(&e, 90000);
  for (k = 0; k < 4; k++)
    before[k] = ledger_stock(&f, tea3[k]);
  cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/shopee/orders",
                              "{\"shop\": \"2001\", \"orders\": [{\"status\": \"READY_TO_SHIP\", "
                              "\"lines\": [{\"sku\": \"OCP-VAR-001-250\", \"qty\": 2, \"price\": 210000}]}]}"));
  ASSERT(itest_wait(channels_show, &e, 60000) &&
         ledger_stock(&f, "OCP-VAR-001-250") == before[1] - 2);
  WAIT_SHOWN(&e, 30000);
  ASSERT_EQ(ledger_stock(&f, "OCP-VAR-001-100"), before[0]);
  ASSERT_EQ(ledger_stock(&f, "OCP-VAR-001-500"), before[2]);
  ASSERT_EQ(ledger_stock(&f, "OCP-ONE-001"), before[3]);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM stock_ledger WHERE reason = 'sale'"), 1);
  fixture_down(&f);
  return 0;
}

static int order_in(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM \"order\"") == 1;
}

/* A line naming a pack size the catalogue does not have is kept and
 * flagged; the known line of the same order still moves its stock. */
TEST_IMPL(unknown_variant_sku_is_kept_and_flagged) {
  struct fixture f;
  struct expect e = {&f, tea3, NULL, ""};
  long long before;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "var_unknown", "delist");
  WAIT_SHOWN(&e, 90000);
  before = ledger_stock(&f, "OCP-VAR-001-100");
  cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/lazada/orders",
                              "{\"shop\": \"3001\", \"orders\": [{\"status\": \"ready_to_ship\", "
                              "\"lines\": [{\"sku\": \"OCP-VAR-001-100\", \"qty\": 1, \"price\": 90000}, "
                              "{\"sku\": \"OCP-VAR-001-1KG\", \"qty\": 1, \"price\": 700000}]}]}"));
  ASSERT(itest_wait(order_in, &f, 60000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM \"order\" WHERE 'unknown_sku' = ANY (flags)"), 1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM order_line WHERE sku = 'OCP-VAR-001-1KG' "
                                "AND variant_id IS NULL"), 1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event WHERE kind = 'order_unknown_sku'"), 1);
  WAIT_SHOWN(&e, 30000);
  ASSERT_EQ(ledger_stock(&f, "OCP-VAR-001-100"), before - 1);
  fixture_down(&f);
  return 0;
}

static int claims_gone(void *arg) {
  struct fixture *f = arg;
  size_t m;
  int ok = itest_outbox_idle(f->db) && itest_sql_int(f->db, "SELECT count(*) FROM listing_jobs") == 0;

  for (m = 0; ok && m < NMARKETS; m++) {
    cJSON *list = items_of(f, &markets[m]), *item = NULL;

    ok = variant_in(list, "OCP-VAR-001-100", &item) != NULL &&
         strstr(cJSON_GetObjectItem(item, markets[m].title_key)->valuestring, "OCOP") == NULL;
    cJSON_Delete(list);
  }
  /* The feed: every row of the product without stars. */
  return ok && feed_rows(f, ",OCP-VAR-001,") == 3 && feed_rows(f, ",4,1520/") == 1;
}

/* Revoked under the strip policy: the item stays on sale with every
 * variant, and no channel shows the OCOP claim any more. */
TEST_IMPL(revocation_strips_claims_from_every_variant) {
  struct fixture f;
  struct expect e = {&f, tea3, NULL, ""};

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "var_strip", "strip");
  WAIT_SHOWN(&e, 90000);
  PQclear(itest_sql(f.db, "UPDATE certificate SET revoked_on = ocop_today(), "
                          "revocation_decision_no = '9/QĐ-UBND' WHERE product_id = "
                          "(SELECT id FROM product WHERE code = 'OCP-VAR-001')"));
  ASSERT(itest_wait(claims_gone, &f, 60000));
  WAIT_SHOWN(&e, 30000);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event WHERE kind = 'listing' "
                                "AND action = 'strip'"), 4);
  fixture_down(&f);
  return 0;
}

/* A fourth box is added to the catalogue and the 250 g box withdrawn: both
 * follow on every channel, on the same items. */
TEST_IMPL(variant_added_and_withdrawn_on_every_channel) {
  static const char *const after[] = {"OCP-VAR-001-100", "OCP-VAR-001-500", "OCP-VAR-001-1KG",
                                      "OCP-ONE-001", NULL};
  struct fixture f;
  struct expect e = {&f, tea3, NULL, ""}, e2 = {&f, after, "OCP-VAR-001-250", ""};

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "var_change", "delist");
  WAIT_SHOWN(&e, 90000);
  PQclear(itest_sql(f.db, "INSERT INTO variant (product_id, sku, label, position, price_vnd, "
                          "weight_g, length_mm, width_mm, height_mm) SELECT id, 'OCP-VAR-001-1KG', "
                          "'1 kg', 4, 760000, 1000, 200, 120, 90 FROM product WHERE code = 'OCP-VAR-001'"));
  PQclear(itest_sql(f.db, "INSERT INTO stock_ledger (variant_id, delta, reason) "
                          "SELECT id, 12, 'import' FROM variant WHERE sku = 'OCP-VAR-001-1KG'"));
  PQclear(itest_sql(f.db, "UPDATE variant SET active = false WHERE sku = 'OCP-VAR-001-250'"));
  WAIT_SHOWN(&e2, 90000);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing_variant lv JOIN variant v ON "
                                "v.id = lv.variant_id WHERE v.sku = 'OCP-VAR-001-250' AND "
                                "lv.remote_id IS NOT NULL"), 0);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(DISTINCT item_id) FROM listing l JOIN product p "
                                "ON p.id = l.product_id WHERE p.code = 'OCP-VAR-001'"), 4);
  fixture_down(&f);
  return 0;
}

static int variants_job_running(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM outbox WHERE kind = 'variants' "
                              "AND state = 'running'") > 0;
}

/* kill -9 while the marketplace is creating a new variant, its answer
 * lost: after the restart every SKU is on its item exactly once. */
TEST_IMPL(kill9_during_variant_creation_leaves_no_duplicate) {
  static const char *const four[] = {"OCP-VAR-001-100", "OCP-VAR-001-250", "OCP-VAR-001-500",
                                     "OCP-VAR-001-1KG", NULL};
  struct fixture f;
  struct expect e = {&f, tea3, NULL, ""}, e2 = {&f, four, NULL, ""};
  size_t m;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "var_kill9", "delist");
  WAIT_SHOWN(&e, 90000);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  /* Every marketplace call from here is slow: the daemon is killed while
   * the creation is on its way, and the marketplace applies it after. */
  for (m = 0; m < NMARKETS; m++) {
    char rule[512];

    snprintf(rule, sizeof rule,
             "{\"marketplace\": \"%s\", \"kind\": \"slow\", \"delay_ms\": 1500, \"count\": -1}",
             markets[m].name);
    cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/fault", rule));
  }
  PQclear(itest_sql(f.db, "INSERT INTO variant (product_id, sku, label, position, price_vnd, "
                          "weight_g, length_mm, width_mm, height_mm) SELECT id, 'OCP-VAR-001-1KG', "
                          "'1 kg', 4, 760000, 1000, 200, 120, 90 FROM product WHERE code = 'OCP-VAR-001'"));
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, "job_lease = 2s\n");
  ASSERT(itest_wait(variants_job_running, &f, 30000));
  usleep(2500000); /* past the look-up, into the slow creation */
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGKILL), 128 + SIGKILL);
  /* The kill came before any answer was recorded ... */
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing_variant lv JOIN variant v ON "
                                "v.id = lv.variant_id WHERE v.sku = 'OCP-VAR-001-1KG' "
                                "AND lv.remote_id IS NULL"), 3);
  /* ... and the marketplaces apply what was on its way. */
  usleep(2000000);
  cJSON_Delete(itest_sim_call(&f.sim, "DELETE", "/_sim/fault", NULL));
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, "job_lease = 2s\n");
  WAIT_SHOWN(&e2, 90000);
  fixture_down(&f);
  return 0;
}
