/*
 * test_orders.c — orders and stock end to end: real PostgreSQL, the
 * simulator, ocopd with its webhook server.
 *
 * What must hold: an order is written once however it arrives (poll,
 * webhook, both, repeated, in either order); a status moves stock once
 * (sale, cancellation, return); two channels selling the last unit end at
 * stock 0 everywhere with the oversell recorded; forged, oversized, nested
 * and stale pushes write nothing; an unreadable order is retried, then
 * dead-lettered with the reason; an order file is taken whole or not at
 * all; and kill -9 at random moments while 5,000 orders come in loses and
 * doubles nothing.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define SKU "OCP-BTN-001" /* listed, 25 in stock in the sample; its one variant's SKU */
struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
  int port;   /* the daemon's webhook port */
  char hook[128];
  long long push_ts; /* the timestamp pushes carry; 0: the simulator's clock */
};

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

/* 1 once something accepts connections on the port (the webhook server is
 * up), then a moment for the daemon's first read of its shops. */
static int wait_port(int port) {
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

static void start_daemon(struct fixture *f, const char *extra) {
  char conf[1024];

  /* ocopd refuses a key given twice: the test's own poll interval wins. */
  snprintf(conf, sizeof conf,
           "webhook_listen = 127.0.0.1:%d\n%sorder_poll_overlap = 5s\n"
           "rate_limits = shopee:0,lazada:0,tiktok:0\nmax_attempts = 3\n%s",
           f->port,
           extra && strstr(extra, "order_poll_interval") ? "" : "order_poll_interval = 500ms\n",
           extra ? extra : "");
  itest_daemon_start(&f->daemon, f->workdir, f->conninfo, conf);
  ASSERT(wait_port(f->port));
}

/* Everything but ocopd: a test that must arrange the marketplaces before the
 * daemon's first poll starts it itself (start_daemon). */
static void fixture_shops(struct fixture *f, const char *tag, int tiktok) {
  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir(tag));
  f->conninfo = itest_db_create(tag);
  f->db = itest_connect(f->conninfo);
  itest_load_sample(f->conninfo, f->db, "2026-11-25");
  itest_sim_start(&f->sim);
  itest_add_shop(f->db, &f->sim, f->workdir, "delist");
  if (tiktok)
    itest_add_market_shop(f->db, &f->sim, f->workdir, "tiktok");
  f->port = free_port();
  snprintf(f->hook, sizeof f->hook, "http://127.0.0.1:%d/hooks/", f->port);
}

static void fixture_up(struct fixture *f, const char *tag, int tiktok, const char *extra) {
  fixture_shops(f, tag, tiktok);
  start_daemon(f, extra);
}

static void fixture_down(struct fixture *f) {
  if (f->daemon.pid)
    itest_daemon_stop(&f->daemon, SIGTERM);
  itest_sim_stop(&f->sim);
  PQfinish(f->db);
}

/* ---- the simulator's side ------------------------------------------------ */

/* Creates one order on a marketplace; returns its id (malloc'd). */
static char *sim_order(struct fixture *f, const char *mp, const char *shop, const char *status,
                       const char *sku, int qty, int malformed) {
  char path[64], body[512];
  cJSON *r, *ids;
  char *id;

  snprintf(path, sizeof path, "/_sim/%s/orders", mp);
  snprintf(body, sizeof body,
           "{\"shop\": \"%s\", \"orders\": [{\"status\": \"%s\", \"malformed\": %s,"
           " \"lines\": [{\"sku\": \"%s\", \"qty\": %d, \"price\": 45000}]}]}",
           shop, status, malformed ? "true" : "false", sku, qty);
  r = itest_sim_call(&f->sim, "POST", path, body);
  ids = cJSON_GetObjectItem(r, "ids");
  ASSERT(cJSON_GetArraySize(ids) == 1);
  id = strdup(cJSON_GetArrayItem(ids, 0)->valuestring);
  cJSON_Delete(r);
  return id;
}

static void sim_status(struct fixture *f, const char *mp, const char *shop, const char *id,
                       const char *status) {
  char path[64], body[256];

  snprintf(path, sizeof path, "/_sim/%s/orders/status", mp);
  snprintf(body, sizeof body, "{\"shop\": \"%s\", \"id\": \"%s\", \"status\": \"%s\"}", shop, id,
           status);
  cJSON_Delete(itest_sim_call(&f->sim, "POST", path, body));
}

/* Has the simulator push the order's current state to ocopd; returns the
 * HTTP status ocopd answered. sign: "good", "bad" or "none"; raw: a body
 * to send instead of the generated message (NULL for none). */
static int sim_push(struct fixture *f, const char *mp, const char *shop, const char *id,
                    const char *sign, const char *raw) {
  char path[64];
  cJSON *req = cJSON_CreateObject(), *r;
  char url[160], *body;
  int status;

  snprintf(path, sizeof path, "/_sim/%s/push", mp);
  snprintf(url, sizeof url, "%s%s", f->hook, mp);
  cJSON_AddStringToObject(req, "url", url);
  cJSON_AddStringToObject(req, "shop", shop);
  cJSON_AddStringToObject(req, "order_id", id ? id : "");
  cJSON_AddStringToObject(req, "sign", sign);
  if (raw)
    cJSON_AddStringToObject(req, "body", raw);
  if (f->push_ts)
    cJSON_AddNumberToObject(req, "timestamp", (double)f->push_ts);
  body = cJSON_PrintUnformatted(req);
  r = itest_sim_call(&f->sim, "POST", path, body);
  status = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "status"));
  cJSON_Delete(r);
  cJSON_Delete(req);
  free(body);
  return status;
}

/* ---- the database's side -------------------------------------------------- */

static long long q(struct fixture *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static long long q(struct fixture *f, const char *fmt, ...) {
  char sql[1024];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  return itest_sql_int(f->db, sql);
}

/* On hand of the variant with this SKU. */
static long long on_hand(struct fixture *f, const char *sku) {
  return q(f, "SELECT on_hand FROM stock_level s JOIN variant v ON v.id = s.variant_id "
              "WHERE v.sku = '%s'", sku);
}

struct until {
  struct fixture *f;
  const char *sql;
  long long want;
};

static int sql_is(void *arg) {
  struct until *u = arg;

  return itest_sql_int(u->f->db, u->sql) == u->want;
}

static void wait_sql(struct fixture *f, const char *sql, long long want, int ms) {
  struct until u = {f, sql, want};

  if (!itest_wait(sql_is, &u, ms)) {
    fprintf(stderr, "timed out waiting for %s = %lld (is %lld)\n", sql, want,
            itest_sql_int(f->db, sql));
    abort();
  }
}

static int order_count(struct fixture *f, const char *id) {
  return (int)q(f, "SELECT count(*) FROM \"order\" WHERE mp_order_id = '%s'", id);
}

/* The variant with this SKU says `want` on every listing's last push. */
static void wait_listings_stock(struct fixture *f, const char *sku, long long want) {
  char sql[512];

  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM listing_variant lv JOIN listing l ON l.id = lv.listing_id "
           "JOIN variant v ON v.id = lv.variant_id "
           "WHERE v.sku = '%s' AND l.item_id IS NOT NULL AND lv.sent_stock IS DISTINCT FROM %lld",
           sku, want);
  wait_sql(f, sql, 0, 15000);
}

/* Every listing settled: listed, or held for what its marketplace requires
 * (TikTok holds the sample's titles under 25 characters). */
static void wait_mirrored(struct fixture *f, long long listings) {
  wait_sql(f, "SELECT count(*) FROM listing WHERE (state = 'listed' AND item_id IS NOT NULL) "
              "OR problem IS NOT NULL",
           listings, 30000);
}

/* Waits for ocopd's first poll of the one shop to end (its cursor written):
 * under order_poll_interval = 1h, an order made on the simulator after it
 * comes in by push alone, however slowly the daemon started. */
static void wait_first_poll(struct fixture *f) {
  wait_sql(f, "SELECT count(*) FROM order_cursor", 1, 30000);
}

/* ---- tests ----------------------------------------------------------------- */

TEST_IMPL(polled_order_takes_stock_and_every_listing_hears_it) {
  struct fixture f;
  long long before;
  char *id;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "orders_poll", 1, NULL);
  wait_mirrored(&f, 64);
  before = on_hand(&f, SKU);
  id = sim_order(&f, "shopee", ITEST_SHOP_ID, "READY_TO_SHIP", SKU, 3, 0);
  wait_sql(&f, "SELECT count(*) FROM \"order\"", 1, 10000);
  ASSERT_EQ(on_hand(&f, SKU), before - 3);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM stock_ledger WHERE reason = 'sale' AND delta = -3"), 1);
  /* Both the Shopee and the TikTok listing are told the new absolute stock. */
  wait_listings_stock(&f, SKU, before - 3);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM order_cursor"), 2);
  free(id);
  fixture_down(&f);
  return TEST_OK;
}

/* The shop list is read once a second; a poll interval under that is
 * still kept (each run that ends sets its own timer). Over 3 s at 200 ms a
 * shop is polled about 15 times; a daemon that polled on the list's tick
 * alone would poll at most 4 times. */
TEST_IMPL(order_poll_interval_under_a_second_is_kept) {
  struct fixture f;
  int before, polls;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "orders_interval", 0, "order_poll_interval = 200ms\n");
  wait_first_poll(&f);
  before = itest_sim_count_calls(&f.sim, "/api/v2/order/get_order_list");
  sleep(3);
  polls = itest_sim_count_calls(&f.sim, "/api/v2/order/get_order_list") - before;
  fprintf(stderr, "polls in 3 s at 200 ms: %d\n", polls);
  ASSERT(polls >= 8);
  fixture_down(&f);
  return TEST_OK;
}

TEST_IMPL(same_order_by_poll_and_webhook_twice_each_is_one_order) {
  struct fixture f;
  long long before;
  char *a, *b;

  /* Polls only at start: order A arrives by webhook first. */
  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "orders_dup", 0, "order_poll_interval = 1h\n");
  wait_first_poll(&f);
  wait_mirrored(&f, 32);
  before = on_hand(&f, SKU);
  a = sim_order(&f, "shopee", ITEST_SHOP_ID, "READY_TO_SHIP", SKU, 2, 0);
  /* A replay is the same bytes: both sends carry one timestamp, whichever
   * side of a second boundary they fall. */
  f.push_ts = (long long)time(NULL);
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, a, "good", NULL), 200);
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, a, "good", NULL), 200);
  wait_sql(&f, "SELECT count(*) FROM \"order\"", 1, 10000);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM webhook_inbox"), 1); /* the replay wrote nothing */
  /* Then by poll, twice: a restarted daemon re-reads the window. */
  itest_daemon_stop(&f.daemon, SIGTERM);
  start_daemon(&f, NULL);
  wait_sql(&f, "SELECT count(*) FROM order_cursor WHERE updated_at > now() - interval '3 seconds'",
           1, 10000);
  /* Order B the other way round: polled first, then pushed twice. */
  b = sim_order(&f, "shopee", ITEST_SHOP_ID, "READY_TO_SHIP", SKU, 1, 0);
  wait_sql(&f, "SELECT count(*) FROM \"order\"", 2, 10000);
  f.push_ts = (long long)time(NULL);
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, b, "good", NULL), 200);
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, b, "good", NULL), 200);
  wait_sql(&f, "SELECT count(*) FROM order_fetch", 0, 10000);
  usleep(1200 * 1000); /* two more polls */
  ASSERT_EQ(order_count(&f, a), 1);
  ASSERT_EQ(order_count(&f, b), 1);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM stock_ledger WHERE reason = 'sale'"), 2);
  ASSERT_EQ(on_hand(&f, SKU), before - 3);
  free(a);
  free(b);
  fixture_down(&f);
  return TEST_OK;
}

TEST_IMPL(cancellation_after_shipment_restocks_once) {
  struct fixture f;
  long long before;
  char *id;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "orders_cancel", 0, NULL);
  wait_mirrored(&f, 32);
  before = on_hand(&f, SKU);
  id = sim_order(&f, "shopee", ITEST_SHOP_ID, "SHIPPED", SKU, 4, 0);
  wait_sql(&f, "SELECT count(*) FROM stock_ledger WHERE reason = 'sale'", 1, 10000);
  ASSERT_EQ(on_hand(&f, SKU), before - 4);
  sim_status(&f, "shopee", ITEST_SHOP_ID, id, "CANCELLED");
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, id, "good", NULL), 200);
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, id, "good", NULL), 200);
  wait_sql(&f, "SELECT count(*) FROM stock_ledger WHERE reason = 'cancel'", 1, 10000);
  usleep(1500 * 1000); /* polls see the cancellation again */
  ASSERT_EQ(q(&f, "SELECT count(*) FROM stock_ledger WHERE reason IN ('cancel', 'return')"), 1);
  ASSERT_EQ(on_hand(&f, SKU), before);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM \"order\" WHERE status = 'CANCELLED' "
                  "AND stock_effect = 'released'"), 1);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM event WHERE kind = 'order_restock'"), 1);
  wait_listings_stock(&f, SKU, before);
  free(id);
  fixture_down(&f);
  return TEST_OK;
}

TEST_IMPL(two_channels_selling_the_last_unit_end_at_zero_with_the_oversell_recorded) {
  struct fixture f;
  char *a, *b;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "orders_last", 1, NULL);
  wait_mirrored(&f, 64);
  /* Leave exactly one unit. */
  PQclear(itest_sql(f.db, "INSERT INTO stock_ledger (variant_id, delta, reason) "
                          "SELECT v.id, 1 - s.on_hand, 'adjust' FROM variant v "
                          "JOIN stock_level s ON s.variant_id = v.id WHERE v.sku = '" SKU "'"));
  wait_listings_stock(&f, SKU, 1);
  a = sim_order(&f, "shopee", ITEST_SHOP_ID, "READY_TO_SHIP", SKU, 1, 0);
  b = sim_order(&f, "tiktok", "ROW_itest", "AWAITING_SHIPMENT", SKU, 1, 0);
  wait_sql(&f, "SELECT count(*) FROM \"order\"", 2, 10000);
  ASSERT_EQ(on_hand(&f, SKU), -1);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM event e JOIN product p ON p.id = e.product_id "
                  "WHERE e.kind = 'oversell' AND p.code = '%s'", SKU), 1);
  wait_listings_stock(&f, SKU, 0);
  free(a);
  free(b);
  fixture_down(&f);
  return TEST_OK;
}

TEST_IMPL(unknown_sku_is_kept_and_flagged) {
  struct fixture f;
  char *id;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "orders_unknown", 0, NULL);
  id = sim_order(&f, "shopee", ITEST_SHOP_ID, "READY_TO_SHIP", "NOT-IN-CATALOGUE", 1, 0);
  wait_sql(&f, "SELECT count(*) FROM \"order\" WHERE 'unknown_sku' = ANY (flags)", 1, 10000);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM order_line WHERE product_id IS NULL "
                  "AND variant_id IS NULL AND sku = '%s'", "NOT-IN-CATALOGUE"), 1);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM event WHERE kind = 'order_unknown_sku'"), 1);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM stock_ledger WHERE reason = 'sale'"), 0);
  free(id);
  fixture_down(&f);
  return TEST_OK;
}

TEST_IMPL(forged_oversized_nested_and_stale_pushes_write_nothing) {
  struct fixture f;
  char *id, *big, *deep, stale[256], latin1[320];
  size_t i;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "orders_forged", 0, "order_poll_interval = 1h\n");
  wait_first_poll(&f);
  id = sim_order(&f, "shopee", ITEST_SHOP_ID, "READY_TO_SHIP", SKU, 1, 0);
  /* 503 until the daemon has read its shops from the database (a slow
   * start, as under a moved clock); a marketplace retries that. */
  for (i = 0; i < 100 && sim_push(&f, "shopee", ITEST_SHOP_ID, id, "bad", NULL) == 503; i++)
    usleep(100 * 1000);
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, id, "bad", NULL), 401);
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, id, "none", NULL), 401);
  big = malloc(70000);
  memset(big, ' ', 69999);
  big[0] = '{';
  big[69998] = '}';
  big[69999] = '\0';
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, id, "good", big), 413);
  deep = malloc(200);
  for (i = 0; i < 40; i++)
    deep[i] = '[';
  for (; i < 80; i++)
    deep[i] = ']';
  deep[80] = '\0';
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, id, "good", deep), 400);
  snprintf(stale, sizeof stale,
           "{\"code\":3,\"shop_id\":%s,\"timestamp\":%lld,\"data\":{\"ordersn\":\"%s\","
           "\"status\":\"READY_TO_SHIP\",\"update_time\":%lld}}",
           ITEST_SHOP_ID, (long long)time(NULL) - 4 * 86400, id, (long long)time(NULL) - 4 * 86400);
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, id, "good", stale), 400);
  /* Signed, fresh, but Latin-1 ("cà phê"): malformed, not forged. */
  snprintf(latin1, sizeof latin1,
           "{\"code\":3,\"shop_id\":%s,\"timestamp\":%lld,\"data\":{\"ordersn\":\"%s\","
           "\"status\":\"READY_TO_SHIP\",\"note\":\"c\xe0 ph\xea\",\"update_time\":%lld}}",
           ITEST_SHOP_ID, (long long)time(NULL), id, (long long)time(NULL));
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, id, "good", latin1), 400);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM webhook_inbox"), 0);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM order_fetch"), 0);
  usleep(500 * 1000);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM \"order\""), 0);
  /* The genuine push is accepted and brings the order in. */
  ASSERT_EQ(sim_push(&f, "shopee", ITEST_SHOP_ID, id, "good", NULL), 200);
  wait_sql(&f, "SELECT count(*) FROM \"order\"", 1, 10000);
  free(big);
  free(deep);
  free(id);
  fixture_down(&f);
  return TEST_OK;
}

TEST_IMPL(unreadable_order_is_retried_then_dead_lettered_with_the_reason) {
  struct fixture f;
  char *bad, *good;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "orders_malformed", 0, NULL);
  bad = sim_order(&f, "shopee", ITEST_SHOP_ID, "READY_TO_SHIP", SKU, 1, 1);
  good = sim_order(&f, "shopee", ITEST_SHOP_ID, "READY_TO_SHIP", SKU, 1, 0);
  wait_sql(&f, "SELECT count(*) FROM \"order\"", 1, 10000);
  ASSERT_EQ(order_count(&f, good), 1);
  wait_sql(&f, "SELECT count(*) FROM order_fetch WHERE state = 'dead'", 1, 30000);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM order_fetch WHERE attempts = 3 "
                  "AND last_error LIKE '%%model_quantity_purchased%%' AND mp_order_id = '%s'", bad), 1);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM event WHERE kind = 'order_dead'"), 1);
  ASSERT_EQ(order_count(&f, bad), 0);
  free(bad);
  free(good);
  fixture_down(&f);
  return TEST_OK;
}

TEST_IMPL(postmart_order_file_is_taken_whole_or_rejected_with_the_line) {
  struct fixture f;
  char dir[512], path[600], sql[1024], *reason;
  long long before;
  FILE *fp;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "orders_postmart", 0, NULL);
  snprintf(dir, sizeof dir, "%s/postmart-orders", f.workdir);
  mkdir(dir, 0700);
  snprintf(sql, sizeof sql,
           "INSERT INTO shop (name, marketplace, options) VALUES ('postmart-test', 'postmart', "
           "jsonb_build_object('export_dir', '%s', 'order_import_dir', '%s'))",
           f.workdir, dir);
  PQclear(itest_sql(f.db, sql));
  itest_carry_all(f.db, "postmart-test");
  before = on_hand(&f, SKU);
  /* A bad row refuses the whole file. */
  snprintf(path, sizeof path, "%s/2026-11-25-a.csv", dir);
  fp = fopen(path, "w");
  fprintf(fp, "order_id,status,updated_at,sku,quantity,unit_price_vnd\n"
              "PM-1,confirmed,2026-11-25 09:00:00," SKU ",2,45000\n"
              "PM-2,confirmed,2026-11-25 09:05:00," SKU ",0,45000\n");
  fclose(fp);
  snprintf(path, sizeof path, "%s/rejected/2026-11-25-a.csv.reason", dir);
  wait_sql(&f, "SELECT 1", 1, 100);
  {
    struct stat st;
    int i;

    for (i = 0; i < 100 && stat(path, &st) != 0; i++)
      usleep(100 * 1000);
  }
  reason = itest_read_file(path);
  ASSERT_NOT_NULL(reason);
  ASSERT(strstr(reason, "2026-11-25-a.csv:3: quantity") != NULL);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM \"order\""), 0);
  free(reason);
  /* The corrected file goes in whole. */
  snprintf(path, sizeof path, "%s/2026-11-25-b.csv", dir);
  fp = fopen(path, "w");
  fprintf(fp, "order_id,status,updated_at,sku,quantity,unit_price_vnd\n"
              "PM-1,confirmed,2026-11-25 09:00:00," SKU ",2,45000\n"
              "PM-2,confirmed,2026-11-25 09:05:00," SKU ",1,45000\n");
  fclose(fp);
  wait_sql(&f, "SELECT count(*) FROM \"order\"", 2, 10000);
  ASSERT_EQ(on_hand(&f, SKU), before - 3);
  snprintf(path, sizeof path, "%s/done/2026-11-25-b.csv", dir);
  {
    struct stat st;
    int i;

    for (i = 0; i < 50 && stat(path, &st) != 0; i++)
      usleep(100 * 1000);
    ASSERT(stat(path, &st) == 0);
  }
  fixture_down(&f);
  return TEST_OK;
}

/* Lazada's offset stops at max_offset: the window moves its time cursor to
 * the last order read and goes on. Pushes signed the Lazada and TikTok way. */
TEST_IMPL(lazada_offset_cap_moves_the_cursor_and_lazada_tiktok_pushes_verify) {
  struct fixture f;
  cJSON *req, *orders, *r;
  char *body, *lz, *tt;
  long long now = (long long)time(NULL);
  int i;

  if (itest_need_pg())
    return TEST_SKIP;
  /* The shop and its orders exist before ocopd starts: a first poll of an
   * empty shop would move the cursor past them. */
  fixture_shops(&f, "orders_lazada", 1);
  itest_add_market_shop(f.db, &f.sim, f.workdir, "lazada");
  PQclear(itest_sql(f.db, "UPDATE shop SET options = options || '{\"max_offset\": \"100\"}' "
                          "WHERE marketplace = 'lazada'"));
  cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/lazada/config", "{\"max_offset\": 100}"));
  /* 350 orders, one a second over the last six minutes: three windows' worth. */
  req = cJSON_CreateObject();
  cJSON_AddStringToObject(req, "shop", "3001");
  orders = cJSON_AddArrayToObject(req, "orders");
  for (i = 0; i < 350; i++) {
    cJSON *o = cJSON_CreateObject(), *l = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "status", "pending");
    cJSON_AddNumberToObject(o, "update_time", (double)(now - 360 + i));
    cJSON_AddStringToObject(l, "sku", SKU);
    cJSON_AddNumberToObject(l, "qty", 1);
    cJSON_AddNumberToObject(l, "price", 45000);
    cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "lines"), l);
    cJSON_AddItemToArray(orders, o);
  }
  body = cJSON_PrintUnformatted(req);
  r = itest_sim_call(&f.sim, "POST", "/_sim/lazada/orders", body);
  ASSERT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(r, "ids")), 350);
  cJSON_Delete(r);
  cJSON_Delete(req);
  free(body);
  start_daemon(&f, NULL);
  wait_sql(&f, "SELECT count(*) FROM \"order\" o JOIN shop s ON s.id = o.shop_id "
               "WHERE s.marketplace = 'lazada'", 350, 30000);
  lz = sim_order(&f, "lazada", "3001", "pending", SKU, 2, 0);
  tt = sim_order(&f, "tiktok", "ROW_itest", "AWAITING_SHIPMENT", SKU, 2, 0);
  ASSERT_EQ(sim_push(&f, "lazada", "3001", lz, "good", NULL), 200);
  ASSERT_EQ(sim_push(&f, "tiktok", "ROW_itest", tt, "good", NULL), 200);
  ASSERT_EQ(sim_push(&f, "lazada", "3001", lz, "bad", NULL), 401);
  ASSERT_EQ(sim_push(&f, "tiktok", "ROW_itest", tt, "bad", NULL), 401);
  wait_sql(&f, "SELECT count(*) FROM \"order\"", 352, 10000);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM webhook_inbox"), 2);
  ASSERT_EQ(q(&f, "SELECT count(DISTINCT (shop_id, mp_order_id)) FROM \"order\""), 352);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM stock_ledger WHERE reason = 'sale'"), 352);
  free(lz);
  free(tt);
  fixture_down(&f);
  return TEST_OK;
}

/* ---- a window that changes while it is listed ------------------------------------ */

#define MOVING_ORDERS 150 /* two pages of get_order_list */

/* How often the simulator's slow rule has fired. */
static int fault_fired(struct fixture *f) {
  cJSON *r = itest_sim_call(&f->sim, "GET", "/_sim/fault", NULL), *rule;
  int fired = 0;

  cJSON_ArrayForEach(rule, cJSON_GetObjectItem(r, "faults"))
    fired += (int)cJSON_GetNumberValue(cJSON_GetObjectItem(rule, "fired"));
  cJSON_Delete(r);
  return fired;
}

static int slow_fault_fired(void *arg) {
  return fault_fired(arg) > 0;
}

/* get_order_list pages with an offset: when the first three orders of the
 * window change between its first page and its second, every later order
 * moves up three places, and the second page starts three orders too far.
 * The orders are ten minutes old, far behind the next window: only a second
 * listing of this window can find the three it skipped. */
TEST_IMPL(orders_skipped_by_a_window_that_changed_while_listed_are_read) {
  struct fixture f;
  cJSON *req = cJSON_CreateObject(), *orders = cJSON_AddArrayToObject(req, "orders"), *r;
  char *body, *ids[3], *log;
  int i;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_shops(&f, "orders_moving", 0);
  cJSON_AddStringToObject(req, "shop", ITEST_SHOP_ID);
  for (i = 0; i < MOVING_ORDERS; i++) {
    cJSON *o = cJSON_CreateObject(), *lines = cJSON_AddArrayToObject(o, "lines");
    cJSON *l = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "status", "READY_TO_SHIP");
    cJSON_AddNumberToObject(o, "update_time", (double)(time(NULL) - 600));
    cJSON_AddStringToObject(l, "sku", SKU);
    cJSON_AddNumberToObject(l, "qty", 1);
    cJSON_AddNumberToObject(l, "price", 45000);
    cJSON_AddItemToArray(lines, l);
    cJSON_AddItemToArray(orders, o);
  }
  body = cJSON_PrintUnformatted(req);
  r = itest_sim_call(&f.sim, "POST", "/_sim/shopee/orders", body);
  ASSERT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(r, "ids")), MOVING_ORDERS);
  /* The window lists them by update time, then by id: these three lead it. */
  for (i = 0; i < 3; i++)
    ids[i] = strdup(cJSON_GetArrayItem(cJSON_GetObjectItem(r, "ids"), i)->valuestring);
  cJSON_Delete(r);
  cJSON_Delete(req);
  free(body);
  /* The first page's details are held long enough to change the three. */
  cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/fault",
                              "{\"marketplace\": \"shopee\", \"path\": "
                              "\"/api/v2/order/get_order_detail\", \"kind\": \"slow\","
                              " \"delay_ms\": 1500, \"count\": 2}"));
  start_daemon(&f, "order_poll_interval = 200ms\n");
  ASSERT(itest_wait(slow_fault_fired, &f, 30000));
  for (i = 0; i < 3; i++)
    sim_status(&f, "shopee", ITEST_SHOP_ID, ids[i], "CANCELLED");
  wait_sql(&f, "SELECT count(*) FROM \"order\"", MOVING_ORDERS, 20000);
  wait_sql(&f, "SELECT count(*) FROM \"order\" WHERE status = 'CANCELLED'", 3, 10000);
  /* The second listing read the three it found, and only them. */
  log = itest_read_file(f.daemon.log);
  ASSERT(log && strstr(log, "the orders it skipped were read\" shop=shopee-test found=3 look=1"));
  free(log);
  for (i = 0; i < 3; i++)
    free(ids[i]);
  fixture_down(&f);
  return TEST_OK;
}

/* ---- kill -9 during 5,000 orders ------------------------------------------------- */

#define KILL_ORDERS 5000
#define KILL_SKUS 8

static const char *const kill_skus[KILL_SKUS] = {
    "OCP-BTN-001", "OCP-BKN-001", "OCP-BTE-001", "NOT-IN-CATALOGUE",
    "OCP-BTN-001", "OCP-BKN-001", "OCP-BTE-001", "OCP-BKN-001"};

/* Creates the orders in the simulator in batches of 500, with a seeded
 * mix of statuses; a tenth are later cancelled (some after shipment). */
static void make_orders(struct fixture *f, unsigned seed, char ***ids) {
  static const char *const statuses[] = {"READY_TO_SHIP", "SHIPPED", "UNPAID", "COMPLETED",
                                         "CANCELLED"};
  int made = 0, b, i;

  *ids = calloc(KILL_ORDERS, sizeof **ids);
  srand(seed);
  for (b = 0; b < KILL_ORDERS / 500; b++) {
    cJSON *req = cJSON_CreateObject(), *orders = cJSON_AddArrayToObject(req, "orders"), *r, *it;
    char *body;

    cJSON_AddStringToObject(req, "shop", ITEST_SHOP_ID);
    for (i = 0; i < 500; i++) {
      cJSON *o = cJSON_CreateObject(), *lines = cJSON_AddArrayToObject(o, "lines");
      cJSON *l = cJSON_CreateObject();

      cJSON_AddStringToObject(o, "status", statuses[rand() % 5]);
      cJSON_AddStringToObject(l, "sku", kill_skus[rand() % KILL_SKUS]);
      cJSON_AddNumberToObject(l, "qty", 1 + rand() % 3);
      cJSON_AddNumberToObject(l, "price", 45000);
      cJSON_AddItemToArray(lines, l);
      cJSON_AddItemToArray(orders, o);
    }
    body = cJSON_PrintUnformatted(req);
    r = itest_sim_call(&f->sim, "POST", "/_sim/shopee/orders", body);
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(r, "ids"))
      (*ids)[made++] = strdup(it->valuestring);
    cJSON_Delete(r);
    cJSON_Delete(req);
    free(body);
  }
  ASSERT_EQ(made, KILL_ORDERS);
}

/* Restarts without waiting for the daemon to be ready, as systemd would. */
static void restart_at_once(struct fixture *f) {
  char conf[512];

  snprintf(conf, sizeof conf,
           "webhook_listen = 127.0.0.1:%d\norder_poll_interval = 200ms\norder_poll_overlap = 5s\n"
           "rate_limits = shopee:0\nmax_attempts = 3\nlog_level = info\n", f->port);
  itest_daemon_start(&f->daemon, f->workdir, f->conninfo, conf);
}

/* From the simulator's final orders: what each SKU's stock must be. */
static void expected_stock(struct fixture *f, const char *sku, long long *sold, long long *reserved) {
  cJSON *r = itest_sim_call(&f->sim, "GET", "/_sim/shopee/orders?shop=" ITEST_SHOP_ID, NULL), *o;

  *sold = *reserved = 0;
  cJSON_ArrayForEach(o, cJSON_GetObjectItem(r, "orders")) {
    const char *st = cJSON_GetObjectItem(o, "status")->valuestring;
    cJSON *l;

    cJSON_ArrayForEach(l, cJSON_GetObjectItem(o, "lines")) {
      long long n = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(l, "qty"));

      if (strcmp(cJSON_GetObjectItem(l, "sku")->valuestring, sku) != 0)
        continue;
      if (strcmp(st, "UNPAID") == 0)
        *reserved += n;
      else if (strcmp(st, "CANCELLED") != 0)
        *sold += n;
    }
  }
  cJSON_Delete(r);
}

/* The simulator's latest update time of any order (Unix seconds). */
static long long last_change(struct fixture *f) {
  cJSON *r = itest_sim_call(&f->sim, "GET", "/_sim/shopee/orders?shop=" ITEST_SHOP_ID, NULL), *o;
  long long last = 0;

  cJSON_ArrayForEach(o, cJSON_GetObjectItem(r, "orders")) {
    long long t = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(o, "update_time"));

    if (t > last)
      last = t;
  }
  cJSON_Delete(r);
  ASSERT(last > 0);
  return last;
}

/* Waits until more than `stored` orders are in (or all of them); 0 when
 * none came in time. */
static int wait_progress(struct fixture *f, long long stored, int timeout_ms) {
  int waited;

  for (waited = 0; waited < timeout_ms; waited += 20) {
    long long n = q(f, "SELECT count(*) FROM \"order\"");

    if (n > stored || n >= KILL_ORDERS)
      return 1;
    usleep(20 * 1000);
  }
  return 0;
}

TEST_IMPL(kill_9_during_5000_orders_loses_and_doubles_nothing) {
  struct fixture f;
  char **ids;
  long long initial[3], sold, reserved;
  long long seen[30];
  char polled[160];
  int kills = 0, mid = 0, after = 0, i;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "orders_kill", 0, "order_poll_interval = 200ms\nlog_level = info\n");
  for (i = 0; i < 3; i++) /* plenty, so the sums stay readable */
    PQclear(itest_sql(f.db, i == 0 ? "INSERT INTO stock_ledger (variant_id, delta, reason) "
                                     "SELECT id, 100000, 'adjust' FROM variant "
                                     "WHERE sku IN ('OCP-BTN-001', 'OCP-BKN-001', 'OCP-BTE-001')"
                                   : "SELECT 1"));
  for (i = 0; i < 3; i++)
    initial[i] = on_hand(&f, kill_skus[i == 0 ? 0 : i]);
  make_orders(&f, 20261125u, &ids);
  /* Cancel a tenth of them while the daemon reads (some after shipment). */
  srand(7);
  /* Kill at random moments until every order is in, then three more times
   * while cancellations arrive. The naps are short: a restarted daemon
   * ingests 5,000 orders in about a second, and naps of up to 300 ms let
   * most restarts finish before the kill: 5 to 9 kills landed part-way in
   * eight runs, against the 6 asked for below; 8 to 15 with these. */
  while (kills < 30 && (kills == 0 || seen[kills - 1] < KILL_ORDERS || after++ < 3)) {
    int nap = rand() % 100;

    /* Each kill lands after the restarted daemon stored something: on a
     * loaded machine its start alone can outlast a fixed nap, and then
     * every kill would land before the ingestion began. */
    if (!wait_progress(&f, kills ? seen[kills - 1] : 0, 30000))
      break; /* orders are missing: the count below says how many */
    usleep((useconds_t)nap * 1000);
    if (kills % 3 == 0)
      for (i = 0; i < 40; i++)
        sim_status(&f, "shopee", ITEST_SHOP_ID, ids[rand() % KILL_ORDERS], "CANCELLED");
    itest_daemon_stop(&f.daemon, SIGKILL);
    seen[kills] = q(&f, "SELECT count(*) FROM \"order\"");
    if (seen[kills] > 0 && seen[kills] < KILL_ORDERS)
      mid++;
    kills++;
    restart_at_once(&f);
  }
  wait_sql(&f, "SELECT count(*) FROM \"order\"", KILL_ORDERS, 120000);
  /* Quiescent: a poll that started after the last change has ended (a
   * window's cursor is the second it started). A fixed nap was too short
   * for the last daemon's first poll on a loaded machine. */
  snprintf(polled, sizeof polled, "SELECT count(*) FROM order_cursor WHERE polled_to > to_timestamp(%lld)",
           last_change(&f));
  wait_sql(&f, polled, 1, 60000);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM \"order\""), KILL_ORDERS);
  ASSERT_EQ(q(&f, "SELECT count(DISTINCT mp_order_id) FROM \"order\""), KILL_ORDERS);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM order_fetch"), 0);
  for (i = 0; i < 3; i++) {
    char sql[512];

    expected_stock(&f, kill_skus[i], &sold, &reserved);
    ASSERT_EQ(on_hand(&f, kill_skus[i]), initial[i] - sold);
    snprintf(sql, sizeof sql,
             "SELECT reserved FROM stock_level s JOIN variant v ON v.id = s.variant_id "
             "WHERE v.sku = '%s'", kill_skus[i]);
    ASSERT_EQ(itest_sql_int(f.db, sql), reserved);
  }
  /* The ledger agrees with the cache, and each line moved at most once per reason. */
  ASSERT_EQ(q(&f, "SELECT count(*) FROM stock_level s WHERE on_hand <> "
                  "(SELECT coalesce(sum(delta), 0) FROM stock_ledger l WHERE l.variant_id = s.variant_id)"), 0);
  ASSERT_EQ(q(&f, "SELECT count(*) FROM (SELECT ref FROM stock_ledger WHERE reason = 'sale' "
                  "GROUP BY ref HAVING count(*) > 1) d"), 0);
  for (i = 0; i < KILL_ORDERS; i++)
    free(ids[i]);
  free(ids);
  fprintf(stderr, "# %d kills during %d orders, %d with the ingestion part-way; orders stored at each kill:",
          kills, KILL_ORDERS, mid);
  for (i = 0; i < kills; i++)
    fprintf(stderr, " %lld", seen[i]);
  fprintf(stderr, "\n");
  /* Kills must land while orders are still coming in, or the test would
   * prove nothing about a crash mid-ingestion. */
  ASSERT(mid >= 6);
  fixture_down(&f);
  return TEST_OK;
}
