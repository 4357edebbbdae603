/*
 * test_content.c — a listing's content on the wire (docs/listing-content.md):
 * the product's own images uploaded once per shop and reused, uploaded again
 * when their bytes change; a listing held for a missing mandatory attribute
 * and sent once it is added; a claim image stripped and restored with the
 * certificate; a kill -9 during an upload leaving one item per product.
 * Against the Shopee simulator, which refuses image ids it did not issue and
 * items without their category's mandatory attributes.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define TODAY "2026-11-25"
#define UPLOAD_PATH "/api/v2/media_space/upload_image"

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
  int expected; /* items the simulator should hold */
};

static void fixture_up(struct fixture *f, const char *tag, int products, const char *policy) {
  const char *migrate[] = {"ocopctl", "-d", NULL, "migrate", NULL};

  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir(tag));
  f->conninfo = itest_db_create(tag);
  f->db = itest_connect(f->conninfo);
  migrate[2] = f->conninfo;
  ASSERT_EQ(itest_run(migrate, NULL, NULL), 0);
  itest_pin_date(f->db, TODAY);
  itest_generate_products(f->db, "CT", products);
  itest_sim_start(&f->sim);
  itest_add_shop(f->db, &f->sim, f->workdir, policy);
  f->expected = products;
}

static void fixture_down(struct fixture *f) {
  if (f->daemon.pid)
    itest_daemon_stop(&f->daemon, SIGTERM);
  itest_sim_stop(&f->sim);
  PQfinish(f->db);
}

static int count_items(struct itest_sim *sim) {
  cJSON *items = itest_sim_items(sim);
  int n = cJSON_GetArraySize(items);

  cJSON_Delete(items);
  return n;
}

/* Images the simulator took into the shop's media space. */
static int count_uploads(struct itest_sim *sim) {
  cJSON *r = itest_sim_call(sim, "GET", "/_sim/shopee/uploads", NULL);
  cJSON *list = cJSON_IsArray(r) ? r : cJSON_GetObjectItem(r, "uploads");
  int n = cJSON_GetArraySize(list);

  ASSERT(cJSON_IsArray(list));
  cJSON_Delete(r);
  return n;
}

/* The image ids item `sku` shows, space-separated (malloc'd). */
static char *item_images(struct itest_sim *sim, const char *sku) {
  cJSON *items = itest_sim_items(sim), *it, *id;
  char buf[1024] = "";

  cJSON_ArrayForEach(it, items) {
    if (strcmp(cJSON_GetObjectItem(it, "item_sku")->valuestring, sku) != 0)
      continue;
    cJSON_ArrayForEach(id, cJSON_GetObjectItem(cJSON_GetObjectItem(it, "image"), "image_id_list")) {
      size_t n = strlen(buf);

      snprintf(buf + n, sizeof buf - n, "%s%s", n ? " " : "", id->valuestring);
    }
  }
  cJSON_Delete(items);
  return strdup(buf);
}

static int settled(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) && count_items(&f->sim) >= f->expected;
}

static int idle(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db);
}

static void wait_settled(struct fixture *f) {
  ASSERT(itest_wait(settled, f, 60000));
  ASSERT(itest_wait(idle, f, 10000));
}

TEST_IMPL(images_uploaded_once_reused_and_uploaded_again_when_changed) {
  struct fixture f;
  char *before, *after, *other;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "content_img", 3, "delist");
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  wait_settled(&f);
  /* Three products with the same picture: one upload, three items showing it. */
  ASSERT_EQ(count_uploads(&f.sim), 1);
  before = item_images(&f.sim, "CT-000001");
  other = item_images(&f.sim, "CT-000002");
  ASSERT(before[0] != '\0');
  ASSERT_STR_EQ(before, other);
  free(other);

  /* An update of the text sends the images again, uploading nothing. */
  PQclear(itest_sql(f.db, "UPDATE product SET name_vi = name_vi || ' mới' WHERE code = 'CT-000001'"));
  ASSERT(itest_wait(idle, &f, 30000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE kind = 'update' AND state = 'done'"), 1);
  ASSERT_EQ(count_uploads(&f.sim), 1);

  /* New bytes: read, uploaded once, and the item shows the new image. */
  PQclear(itest_sql(f.db, "UPDATE product_image SET source = 'OCP-BKN-001-v2.jpg', checked_at = NULL "
                          "FROM product p WHERE p.id = product_id AND p.code = 'CT-000001'"));
  ASSERT(itest_wait(idle, &f, 30000));
  ASSERT_EQ(count_uploads(&f.sim), 2);
  after = item_images(&f.sim, "CT-000001");
  ASSERT(after[0] != '\0');
  ASSERT(strcmp(before, after) != 0);
  other = item_images(&f.sim, "CT-000002");
  ASSERT_STR_EQ(before, other); /* the others keep theirs */
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM image_upload"), 2);
  free(before);
  free(after);
  free(other);
  fixture_down(&f);
  return 0;
}

TEST_IMPL(missing_mandatory_attribute_is_held_then_sent) {
  struct fixture f;
  char *problem, *log;
  const char *held;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "content_attr", 2, "delist");
  PQclear(itest_sql(f.db, "DELETE FROM product_attribute WHERE key = 'shelf_life' AND product_id = "
                          "(SELECT id FROM product WHERE code = 'CT-000001')"));
  f.expected = 1;
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  wait_settled(&f);
  ASSERT_EQ(count_items(&f.sim), 1);
  problem = itest_sql_text(f.db, "SELECT l.problem FROM listing l JOIN product p ON p.id = l.product_id "
                                 "WHERE p.code = 'CT-000001'");
  ASSERT_STR_EQ(problem,
                "shopee category 100644 requires \"Shelf Life\"; the product has no shelf_life attribute");
  free(problem);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state = 'held'"), 1);
  /* Held once, logged once, never sent: the sweeps do not queue it again. */
  usleep(2500 * 1000);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE kind = 'publish'"), 2);
  log = itest_read_file(f.daemon.log);
  held = strstr(log, "listing held");
  ASSERT_NOT_NULL(held);
  ASSERT_NULL(strstr(held + 1, "listing held"));
  free(log);

  PQclear(itest_sql(f.db, "INSERT INTO product_attribute (product_id, key, value) "
                          "SELECT id, 'shelf_life', '9 tháng' FROM product WHERE code = 'CT-000001'"));
  f.expected = 2;
  wait_settled(&f);
  ASSERT_EQ(count_items(&f.sim), 2);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing WHERE problem IS NOT NULL"), 0);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing WHERE state = 'listed'"), 2);
  fixture_down(&f);
  return 0;
}

static int image_count_is(struct fixture *f, const char *sku, int want) {
  char *ids = item_images(&f->sim, sku), *p;
  int n = ids[0] ? 1 : 0;

  for (p = ids; *p; p++)
    n += *p == ' ';
  free(ids);
  return n == want;
}

static int one_image(void *arg) { return itest_outbox_idle(((struct fixture *)arg)->db) && image_count_is(arg, "CT-000001", 1); }
static int two_images(void *arg) { return itest_outbox_idle(((struct fixture *)arg)->db) && image_count_is(arg, "CT-000001", 2); }

TEST_IMPL(claim_image_is_stripped_and_restored) {
  struct fixture f;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "content_claim", 1, "strip");
  PQclear(itest_sql(f.db, "INSERT INTO product_image (product_id, position, source, claim) "
                          "SELECT id, 2, 'ocop-4-sao.png', true FROM product WHERE code = 'CT-000001'"));
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  wait_settled(&f);
  ASSERT(itest_wait(two_images, &f, 10000));

  /* Revoked: the claim goes, the star label with it; the item stays. */
  PQclear(itest_sql(f.db, "UPDATE certificate SET revoked_on = '" TODAY "'"));
  ASSERT(itest_wait(one_image, &f, 30000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing WHERE state = 'listed'"), 1);
  ASSERT_EQ(count_items(&f.sim), 1);

  /* The revocation is withdrawn: the label comes back. */
  PQclear(itest_sql(f.db, "UPDATE certificate SET revoked_on = NULL"));
  ASSERT(itest_wait(two_images, &f, 30000));
  ASSERT_EQ(count_uploads(&f.sim), 2); /* the label was not uploaded twice */
  fixture_down(&f);
  return 0;
}

static int upload_started(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM category_rules") > 0 &&
         itest_sql_int(f->db, "SELECT count(*) FROM product_image WHERE sha256 IS NULL") == 0;
}

TEST_IMPL(kill9_during_an_upload_leaves_one_item_per_product) {
  struct fixture f;
  cJSON *items, *a, *b;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "content_kill", 4, "delist");
  cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/fault",
                              "{\"marketplace\": \"shopee\", \"path\": \"" UPLOAD_PATH "\","
                              " \"kind\": \"slow\", \"delay_ms\": 3000, \"count\": 1}"));
  /* A short lease: the jobs the killed daemon held come back soon. */
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, "job_lease = 4s");
  ASSERT(itest_wait(upload_started, &f, 30000));
  usleep(800 * 1000); /* the upload is on the wire, held by the slow fault */
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGKILL), 128 + SIGKILL);
  ASSERT_EQ(count_items(&f.sim), 0);

  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, "job_lease = 4s");
  wait_settled(&f);
  items = itest_sim_items(&f.sim);
  ASSERT_EQ(cJSON_GetArraySize(items), 4);
  cJSON_ArrayForEach(a, items) {
    int seen = 0;

    cJSON_ArrayForEach(b, items)
      seen += strcmp(cJSON_GetObjectItem(a, "item_sku")->valuestring,
                     cJSON_GetObjectItem(b, "item_sku")->valuestring) == 0;
    ASSERT_EQ(seen, 1);
  }
  cJSON_Delete(items);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing WHERE state = 'listed'"), 4);
  fixture_down(&f);
  return 0;
}

/* ---- bad input: each product is a problem with its reason, the others go on ---- */

static char *problem_of(struct fixture *f, const char *code, const char *marketplace) {
  char sql[512];

  snprintf(sql, sizeof sql,
           "SELECT coalesce(l.problem, '-') FROM listing l JOIN product p ON p.id = l.product_id "
           "JOIN shop s ON s.id = l.shop_id WHERE p.code = '%s' AND s.marketplace = '%s'",
           code, marketplace);
  return itest_sql_text(f->db, sql);
}

static int lazada_items(struct fixture *f) {
  cJSON *r = itest_sim_call(&f->sim, "GET", "/_sim/lazada/items?seller_id=3001", NULL);
  int n = cJSON_GetArraySize(cJSON_GetObjectItem(r, "items"));

  cJSON_Delete(r);
  return n;
}

static int bad_input_settled(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) &&
         itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state = 'new' "
                              "AND problem IS NULL") == 0;
}

TEST_IMPL(bad_images_and_categories_hold_only_their_products) {
  struct fixture f;
  char *p;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "content_bad", 5, "delist");
  itest_add_market_shop(f.db, &f.sim, f.workdir, "lazada");
  PQclear(itest_sql(f.db,
                    "UPDATE product_image i SET source = CASE p.code"
                    "  WHEN 'CT-000001' THEN 'bad-truncated.jpg' WHEN 'CT-000003' THEN 'bad-small.jpg'"
                    "  WHEN 'CT-000005' THEN 'https://127.0.0.1:9/none.jpg' END"
                    " FROM product p WHERE p.id = i.product_id"
                    "   AND p.code IN ('CT-000001', 'CT-000003', 'CT-000005');"
                    "INSERT INTO product_category SELECT id, 'shopee', '100629' FROM product"
                    " WHERE code = 'CT-000002'"));
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  ASSERT(itest_wait(bad_input_settled, &f, 60000));

  p = problem_of(&f, "CT-000001", "shopee");
  ASSERT_STR_EQ(p, "image bad-truncated.jpg: truncated JPEG data");
  free(p);
  p = problem_of(&f, "CT-000001", "lazada");
  ASSERT_STR_EQ(p, "image bad-truncated.jpg: truncated JPEG data");
  free(p);
  p = problem_of(&f, "CT-000002", "shopee");
  ASSERT_STR_EQ(p, "shopee category 100629 is not a leaf category");
  free(p);
  p = problem_of(&f, "CT-000002", "lazada"); /* the override is Shopee's alone */
  ASSERT_STR_EQ(p, "-");
  free(p);
  p = problem_of(&f, "CT-000003", "shopee"); /* Shopee takes a 100-pixel image */
  ASSERT_STR_EQ(p, "-");
  free(p);
  p = problem_of(&f, "CT-000003", "lazada"); /* Lazada does not: its limit, named */
  ASSERT(strstr(p, "330") != NULL);
  free(p);
  p = problem_of(&f, "CT-000005", "shopee");
  ASSERT_STR_EQ(p, "image https://127.0.0.1:9/none.jpg: cannot download it: Couldn't connect to server");
  free(p);

  /* Nothing half-published: only the products without a problem are items. */
  ASSERT_EQ(count_items(&f.sim), 2);  /* CT-000003 and CT-000004 */
  ASSERT_EQ(lazada_items(&f), 2);     /* CT-000002 and CT-000004 */
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing WHERE state = 'listed'"), 4);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
  fixture_down(&f);
  return 0;
}
