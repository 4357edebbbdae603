/*
 * test_mirror.c — end to end: the sample catalogue in a real PostgreSQL,
 * the Shopee simulator on a loopback port, and ocopd between them.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define TODAY "2026-11-25"

/* On 2026-11-25 these sample rows may not be shown as OCOP
 * (docs/ocop-rules.md, "The sample catalogue"): expired, revoked, rated
 * below 3 stars, never certified; and TNG-002 is a tourism service (sector
 * VI), which is not shipped goods. */
static const char *const not_listed[] = {
    "OCP-TBH-006", "OCP-THA-001", "OCP-KGG-001", "OCP-TVH-001", "OCP-HTH-901",
    "OCP-TQG-901", "OCP-LCI-901", "OCP-TQG-902", "OCP-KHA-901", "OCP-TNG-002", NULL};

static int is_not_listed(const char *sku) {
  int i;

  for (i = 0; not_listed[i]; i++)
    if (strcmp(not_listed[i], sku) == 0)
      return 1;
  return 0;
}

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
  int expected;
};

static void fixture_up(struct fixture *f, const char *tag, const char *extra_conf) {
  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir(tag));
  f->conninfo = itest_db_create(tag);
  f->db = itest_connect(f->conninfo);
  itest_load_sample(f->conninfo, f->db, TODAY);
  itest_sim_start(&f->sim);
  itest_add_shop(f->db, &f->sim, f->workdir, "delist");
  f->expected = 42 - 10;
  if (extra_conf != (const char *)-1)
    itest_daemon_start(&f->daemon, f->workdir, f->conninfo, extra_conf);
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

static int mirror_complete(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) && count_items(&f->sim) >= f->expected &&
         itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state <> 'listed'") == 0;
}

/* Every SKU on the simulator appears once; returns how many distinct. */
static int assert_each_sku_once(cJSON *items) {
  cJSON *a, *b;
  int n = 0;

  cJSON_ArrayForEach(a, items) {
    const char *sku = cJSON_GetObjectItem(a, "item_sku")->valuestring;
    int seen = 0;

    cJSON_ArrayForEach(b, items)
      if (strcmp(cJSON_GetObjectItem(b, "item_sku")->valuestring, sku) == 0)
        seen++;
    if (seen != 1)
      fprintf(stderr, "SKU %s is listed %d times\n", sku, seen);
    ASSERT_EQ(seen, 1);
    n++;
  }
  return n;
}

/* No call the simulator ever received named an SKU that may not be shown. */
static void assert_no_ineligible_sent(struct itest_sim *sim) {
  cJSON *r = itest_sim_call(sim, "GET", "/_sim/calls?since=0", NULL);
  cJSON *c;
  int n = 0;

  cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "calls")) {
    cJSON *sku = cJSON_GetObjectItem(c, "item_sku");

    if (cJSON_IsString(sku) && is_not_listed(sku->valuestring)) {
      fprintf(stderr, "ineligible SKU %s was sent to %s\n", sku->valuestring,
              cJSON_GetObjectItem(c, "path")->valuestring);
      abort();
    }
    n++;
  }
  ASSERT(n > 0);
  cJSON_Delete(r);
}

TEST_IMPL(mirror_lists_exactly_the_eligible_products) {
  struct fixture f;
  cJSON *items, *it;
  PGresult *r;
  int i;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "mirror", NULL);
  ASSERT(itest_wait(mirror_complete, &f, 60000));
  items = itest_sim_items(&f.sim);
  ASSERT_EQ(assert_each_sku_once(items), f.expected);
  r = itest_sql(f.db,
                "SELECT p.code, p.name_vi, v.price_vnd, s.on_hand, e.stars, l.item_id "
                "FROM product p JOIN product_eligibility e ON e.product_id = p.id "
                "JOIN variant v ON v.product_id = p.id AND v.position = 1 "
                "LEFT JOIN stock_level s ON s.variant_id = v.id "
                "LEFT JOIN listing l ON l.product_id = p.id ORDER BY p.code");
  ASSERT_EQ(PQntuples(r), 42);
  for (i = 0; i < PQntuples(r); i++) {
    const char *code = PQgetvalue(r, i, 0);
    cJSON *match = NULL;
    char want_name[512];

    cJSON_ArrayForEach(it, items)
      if (strcmp(cJSON_GetObjectItem(it, "item_sku")->valuestring, code) == 0)
        match = it;
    if (is_not_listed(code)) {
      ASSERT_NULL(match);
      continue;
    }
    ASSERT_NOT_NULL(match);
    snprintf(want_name, sizeof want_name, "%s - OCOP %s sao", PQgetvalue(r, i, 1),
             PQgetvalue(r, i, 4));
    ASSERT_STR_EQ(cJSON_GetObjectItem(match, "item_name")->valuestring, want_name);
    ASSERT_EQ(cJSON_GetObjectItem(match, "original_price")->valuedouble,
              strtoll(PQgetvalue(r, i, 2), NULL, 10));
    ASSERT_EQ(cJSON_GetObjectItem(match, "stock")->valuedouble, strtoll(PQgetvalue(r, i, 3), NULL, 10));
    ASSERT_STR_EQ(cJSON_GetObjectItem(match, "item_status")->valuestring, "NORMAL");
    ASSERT_STR_EQ(cJSON_GetObjectItem(match, "item_id_str")->valuestring, PQgetvalue(r, i, 5));
  }
  PQclear(r);
  cJSON_Delete(items);
  assert_no_ineligible_sent(&f.sim);
  /* One create per product reached the marketplace, and every job ended
   * done (a duplicate queued from a stale sweep snapshot may be dropped at
   * dispatch, as skipped, but is never sent). */
  ASSERT_EQ(itest_sim_count_calls(&f.sim, "/api/v2/product/add_item"), f.expected);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE kind = 'publish' AND state = 'done'"),
            f.expected);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state NOT IN ('done', 'skipped')"), 0);
  /* Every publish is in the audit trail. */
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event WHERE kind = 'listing' AND action = 'publish'"),
            f.expected);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}

struct price_wait {
  struct fixture *f;
  const char *sku;
  double price;
};

static int price_reached(void *arg) {
  struct price_wait *w = arg;
  cJSON *items = itest_sim_items(&w->f->sim), *it;
  int ok = 0;

  cJSON_ArrayForEach(it, items)
    if (strcmp(cJSON_GetObjectItem(it, "item_sku")->valuestring, w->sku) == 0 &&
        cJSON_GetObjectItem(it, "original_price")->valuedouble == w->price)
      ok = 1;
  cJSON_Delete(items);
  return ok;
}

static int stock_reached_825(void *arg) {
  struct fixture *f = arg;
  cJSON *items = itest_sim_items(&f->sim), *it;
  int ok = 0;

  cJSON_ArrayForEach(it, items)
    if (strcmp(cJSON_GetObjectItem(it, "item_sku")->valuestring, "OCP-BKN-001") == 0 &&
        cJSON_GetObjectItem(it, "stock")->valuedouble == 825)
      ok = 1;
  cJSON_Delete(items);
  return ok;
}

TEST_IMPL(price_and_stock_changes_reach_the_marketplace) {
  struct fixture f;
  struct price_wait w;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "price", NULL);
  ASSERT(itest_wait(mirror_complete, &f, 60000));
  PQclear(itest_sql(f.db, "UPDATE variant SET price_vnd = 79000 WHERE sku = 'OCP-BKN-001'"));
  w.f = &f;
  w.sku = "OCP-BKN-001";
  w.price = 79000;
  ASSERT(itest_wait(price_reached, &w, 20000));
  ASSERT(itest_wait((int (*)(void *))itest_outbox_idle, f.db, 20000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT lv.sent_price FROM listing_variant lv JOIN variant v ON "
                                "v.id = lv.variant_id WHERE v.sku = 'OCP-BKN-001'"),
            79000);
  /* A stock movement in the ledger reaches the marketplace as an absolute
   * quantity. */
  PQclear(itest_sql(f.db, "INSERT INTO stock_ledger (variant_id, delta, reason) "
                          "SELECT id, -25, 'adjust' FROM variant WHERE sku = 'OCP-BKN-001'"));
  ASSERT(itest_wait(stock_reached_825, &f, 20000));
  /* A repeated identical update queues nothing. */
  PQclear(itest_sql(f.db, "UPDATE variant SET price_vnd = 79000 WHERE sku = 'OCP-BKN-001'"));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE kind = 'price'"), 1);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}

static int some_items(void *arg) {
  struct fixture *f = arg;

  return count_items(&f->sim) >= 3;
}

/* SIGKILL in the middle of the initial mirror, three times, with creates
 * whose answers are lost: after restarts every product is listed once. */
TEST_IMPL(kill9_during_initial_mirror_lists_each_product_once) {
  struct fixture f;
  cJSON *items, *r;
  int round;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "kill9", (const char *)-1);
  /* Slow creates widen the window; some creates succeed but their answer
   * is lost, which is exactly when a blind retry would duplicate. */
  r = itest_sim_call(&f.sim, "POST", "/_sim/fault",
                     "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/product/add_item\","
                     "\"kind\":\"apply_then_fail\",\"status\":504,\"count\":4}");
  cJSON_Delete(r);
  r = itest_sim_call(&f.sim, "POST", "/_sim/fault",
                     "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/product/add_item\","
                     "\"kind\":\"slow\",\"delay_ms\":150,\"count\":-1}");
  cJSON_Delete(r);
  for (round = 0; round < 3; round++) {
    itest_daemon_start(&f.daemon, f.workdir, f.conninfo, "job_lease = 1s\nconcurrency = 4\n");
    ASSERT(itest_wait(some_items, &f, 30000));
    usleep(200000 + 150000 * round);
    ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGKILL), 128 + SIGKILL);
  }
  ASSERT(count_items(&f.sim) < f.expected); /* the kills did interrupt the mirror */
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, "job_lease = 1s\n");
  ASSERT(itest_wait(mirror_complete, &f, 90000));
  items = itest_sim_items(&f.sim);
  ASSERT_EQ(assert_each_sku_once(items), f.expected);
  cJSON_Delete(items);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing WHERE state = 'listed'"), f.expected);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}

static int job_failed_malformed(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM outbox WHERE kind = 'price' AND "
                              "last_error LIKE '%malformed%'") > 0;
}

TEST_IMPL(malformed_response_fails_the_job_not_the_daemon) {
  struct fixture f;
  cJSON *r;
  char *log;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "malformed", "max_attempts = 2\n");
  ASSERT(itest_wait(mirror_complete, &f, 60000));
  r = itest_sim_call(&f.sim, "POST", "/_sim/fault",
                     "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/product/update_price\","
                     "\"kind\":\"malformed\",\"count\":-1}");
  cJSON_Delete(r);
  PQclear(itest_sql(f.db, "UPDATE variant SET price_vnd = 81000 WHERE sku = 'OCP-BKN-001'"));
  ASSERT(itest_wait(job_failed_malformed, &f, 20000));
  ASSERT(itest_wait((int (*)(void *))itest_outbox_idle, f.db, 20000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE kind = 'price' AND state = 'dead'"), 1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event WHERE kind = 'job_dead'"), 1);
  ASSERT(itest_daemon_alive(&f.daemon));
  /* An oversized answer is refused the same way. */
  r = itest_sim_call(&f.sim, "POST", "/_sim/fault",
                     "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/product/update_stock\","
                     "\"kind\":\"oversize\",\"size\":2000000,\"count\":-1}");
  cJSON_Delete(r);
  PQclear(itest_sql(f.db, "INSERT INTO stock_ledger (variant_id, delta, reason) SELECT id, 5, 'adjust' "
                          "FROM variant WHERE sku = 'OCP-BKN-001'"));
  ASSERT(itest_wait((int (*)(void *))itest_outbox_idle, f.db, 20000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE kind = 'stock' AND state = 'dead' "
                                "AND last_error LIKE '%too large%'"), 1);
  ASSERT(itest_daemon_alive(&f.daemon));
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  log = itest_read_file(f.daemon.log);
  ASSERT_NOT_NULL(log);
  ASSERT_NOT_NULL(strstr(log, "malformed"));
  /* Secrets never reach the log. */
  ASSERT_NULL(strstr(log, ITEST_PARTNER_KEY));
  ASSERT_NULL(strstr(log, ITEST_ACCESS_TOKEN));
  free(log);
  fixture_down(&f);
  return 0;
}

TEST_IMPL(rate_limited_and_failing_calls_are_retried) {
  struct fixture f;
  cJSON *r, *items;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "retry", (const char *)-1);
  r = itest_sim_call(&f.sim, "POST", "/_sim/fault",
                     "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/product/add_item\","
                     "\"kind\":\"status\",\"status\":429,\"retry_after\":1,\"count\":5}");
  cJSON_Delete(r);
  r = itest_sim_call(&f.sim, "POST", "/_sim/fault",
                     "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/product/add_item\","
                     "\"kind\":\"status\",\"status\":503,\"count\":5}");
  cJSON_Delete(r);
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  ASSERT(itest_wait(mirror_complete, &f, 60000));
  items = itest_sim_items(&f.sim);
  ASSERT_EQ(assert_each_sku_once(items), f.expected);
  cJSON_Delete(items);
  /* The refused creates were retried as the same jobs, and each product
   * was created exactly once. */
  ASSERT(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE kind = 'publish' AND attempts > 1") > 0);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE kind = 'publish' AND state = 'done'"),
            f.expected);
  ASSERT_EQ(itest_sim_count_calls(&f.sim, "/api/v2/product/add_item"), f.expected);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}

/* The most calls to `path` in any window of `window_ms` (from the call log). */
static int max_calls_in_window(struct itest_sim *sim, const char *path, double window_ms) {
  cJSON *r = itest_sim_call(sim, "GET", "/_sim/calls?since=0", NULL), *c;
  double ts[4096];
  int n = 0, i, j = 0, best = 0;

  cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "calls"))
    if (n < 4096 && strcmp(cJSON_GetObjectItem(c, "path")->valuestring, path) == 0)
      ts[n++] = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "ts_ms"));
  cJSON_Delete(r);
  for (i = 0; i < n; i++) { /* the log is in arrival order */
    while (ts[i] - ts[j] >= window_ms)
      j++;
    if (i - j + 1 > best)
      best = i - j + 1;
  }
  return best;
}

/* A shop over its rate waits: at 5 requests/s (burst 5) no second holds
 * more than 10 calls; a flood of 429s pauses the shop, fails no job, and
 * the mirror completes once the marketplace lets go. */
TEST_IMPL(rate_limit_holds_and_429_flood_fails_nothing) {
  struct fixture f;
  cJSON *r, *items;
  int flood_calls;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "ratelimit", (const char *)-1);
  r = itest_sim_call(&f.sim, "POST", "/_sim/fault",
                     "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/product/add_item\","
                     "\"kind\":\"status\",\"status\":429,\"error\":\"error_rate_limit\",\"count\":-1}");
  cJSON_Delete(r);
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, "rate_limits = shopee:5\nmax_attempts = 3\n");
  sleep(4);
  r = itest_sim_call(&f.sim, "GET", "/_sim/stats", NULL);
  flood_calls = (int)cJSON_GetNumberValue(cJSON_GetObjectItem(r, "requests"));
  cJSON_Delete(r);
  /* 4 s of 429s: a burst, then about one probe per second (1 s pauses). */
  ASSERT(flood_calls > 0);
  ASSERT(flood_calls <= 5 + 4 * 5);
  r = itest_sim_call(&f.sim, "DELETE", "/_sim/fault", NULL);
  cJSON_Delete(r);
  ASSERT(itest_wait(mirror_complete, &f, 60000));
  items = itest_sim_items(&f.sim);
  ASSERT_EQ(assert_each_sku_once(items), f.expected);
  cJSON_Delete(items);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
  ASSERT(max_calls_in_window(&f.sim, "/api/v2/product/add_item", 1000) <= 10);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}

/* The marketplace stops accepting the access token mid-run: the refused
 * call triggers one refresh, the new pair is stored, and the job goes
 * through on its next attempt. A token close to expiry is refreshed before
 * it is used. */
TEST_IMPL(expired_token_is_refreshed_and_no_job_fails) {
  struct fixture f;
  struct price_wait w;
  cJSON *r;
  char *before, *after;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "token", NULL);
  ASSERT(itest_wait(mirror_complete, &f, 60000));
  before = itest_sql_text(f.db, "SELECT access_token FROM token");
  r = itest_sim_call(&f.sim, "POST", "/_sim/shopee/expire_token", "{\"shop_id\":" ITEST_SHOP_ID "}");
  cJSON_Delete(r);
  PQclear(itest_sql(f.db, "UPDATE variant SET price_vnd = 76000 WHERE sku = 'OCP-BKN-001'"));
  w.f = &f;
  w.sku = "OCP-BKN-001";
  w.price = 76000;
  ASSERT(itest_wait(price_reached, &w, 30000));
  after = itest_sql_text(f.db, "SELECT access_token FROM token");
  ASSERT(strcmp(before, after) != 0);
  ASSERT_EQ(itest_sim_count_any_calls(&f.sim, "/api/v2/auth/access_token/get"), 1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event WHERE kind = 'token' AND action = 'refreshed'"), 1);
  /* Near expiry: refreshed ahead of use, again once. */
  PQclear(itest_sql(f.db, "UPDATE token SET access_expires_at = now() + interval '2 minutes'"));
  PQclear(itest_sql(f.db, "UPDATE variant SET price_vnd = 77000 WHERE sku = 'OCP-BKN-001'"));
  w.price = 77000;
  ASSERT(itest_wait(price_reached, &w, 30000));
  ASSERT(itest_wait((int (*)(void *))itest_outbox_idle, f.db, 20000));
  ASSERT_EQ(itest_sim_count_any_calls(&f.sim, "/api/v2/auth/access_token/get"), 2);
  ASSERT(itest_sql_int(f.db, "SELECT extract(epoch FROM access_expires_at - now()) FROM token") > 3600);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
  free(before);
  free(after);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  {
    char *log = itest_read_file(f.daemon.log);

    ASSERT_NOT_NULL(log);
    ASSERT_NULL(strstr(log, "itest-refresh"));
    free(log);
  }
  fixture_down(&f);
  return 0;
}

/* The shop's calls that arrived at the simulator strictly between from
 * and to (its clock, ms). */
static int calls_between(struct itest_sim *sim, double from, double to) {
  cJSON *r = itest_sim_call(sim, "GET", "/_sim/calls?since=0", NULL), *c;
  int n = 0;

  cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "calls")) {
    double t = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "arrived_ms"));

    n += t > from && t < to;
  }
  cJSON_Delete(r);
  return n;
}

/* When the simulator answered `path` with 429 (arrived_ms), or -1. */
static double first_429(struct itest_sim *sim, const char *path) {
  cJSON *r = itest_sim_call(sim, "GET", "/_sim/calls?since=0", NULL), *c;
  double t = -1;

  cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "calls"))
    if (t < 0 && strcmp(cJSON_GetObjectItem(c, "path")->valuestring, path) == 0 &&
        cJSON_GetNumberValue(cJSON_GetObjectItem(c, "http_status")) == 429)
      t = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "arrived_ms"));
  cJSON_Delete(r);
  return t;
}

/* A 429 to the token refresh pauses the shop as one to any of its calls
 * does: for its Retry-After (3 s) nothing goes to the marketplace (calls
 * already under way within 250 ms of it aside), then the refresh is asked
 * again and every change is sent, no job failed. */
TEST_IMPL(refresh_answered_429_pauses_the_shop) {
  static const char *const refresh = "/api/v2/auth/access_token/get";
  struct fixture f;
  struct price_wait w;
  double t429;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "token429", NULL);
  ASSERT(itest_wait(mirror_complete, &f, 60000));
  cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/fault",
                              "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/auth/access_token/get\","
                              "\"kind\":\"status\",\"status\":429,\"retry_after\":3,\"count\":1}"));
  cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/shopee/expire_token",
                              "{\"shop_id\":" ITEST_SHOP_ID "}"));
  /* Every listing has a change to send, so calls wait behind the pause. */
  PQclear(itest_sql(f.db, "UPDATE variant SET price_vnd = price_vnd + 1000"));
  w.f = &f;
  w.sku = "OCP-BKN-001";
  w.price = (double)itest_sql_int(f.db, "SELECT price_vnd FROM variant WHERE sku = 'OCP-BKN-001'");
  ASSERT(itest_wait(price_reached, &w, 60000));
  ASSERT(itest_wait((int (*)(void *))itest_outbox_idle, f.db, 60000));
  t429 = first_429(&f.sim, refresh);
  ASSERT(t429 > 0);
  fprintf(stderr, "# calls within the refresh's Retry-After: %d\n",
          calls_between(&f.sim, t429 + 250, t429 + 2900));
  ASSERT_EQ(calls_between(&f.sim, t429 + 250, t429 + 2900), 0);
  /* Asked again after the wait; a call sent with the old token just
   * before the new pair was stored may ask once more. */
  ASSERT(itest_sim_count_any_calls(&f.sim, refresh) >= 2);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM shop WHERE status = 'active'"), 1);
  fixture_down(&f);
  return 0;
}

static int shop_needs_reauth(void *arg) {
  struct fixture *f = arg;
  char *st = itest_sql_text(f->db, "SELECT status FROM shop");
  int yes = strcmp(st, "needs_reauth") == 0;

  free(st);
  return yes;
}

/* A refresh token refused every time stops the shop (needs_reauth) after
 * TOKEN_REFUSALS_MAX tries (daemon/token.h: 3), a backoff apart. */
TEST_IMPL(revoked_refresh_token_needs_reauth_without_a_storm) {
  struct fixture f;
  cJSON *r;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "reauth", NULL);
  ASSERT(itest_wait(mirror_complete, &f, 60000));
  PQclear(itest_sql(f.db, "UPDATE token SET refresh_token = 'revoked-by-seller'"));
  r = itest_sim_call(&f.sim, "POST", "/_sim/shopee/expire_token", "{\"shop_id\":" ITEST_SHOP_ID "}");
  cJSON_Delete(r);
  PQclear(itest_sql(f.db, "UPDATE variant SET price_vnd = 71000 WHERE sku = 'OCP-BKN-001'"));
  ASSERT(itest_wait(shop_needs_reauth, &f, 90000));
  sleep(3); /* a storm would show here */
  ASSERT_EQ(itest_sim_count_any_calls(&f.sim, "/api/v2/auth/access_token/get"), 3);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event WHERE kind = 'token' AND action = 'refresh_refused'"), 2);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event WHERE kind = 'token' AND action = 'needs_reauth'"), 1);
  ASSERT(itest_daemon_alive(&f.daemon));
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}

static void append_file(const char *path, const char *text) {
  FILE *f = fopen(path, "a");

  ASSERT_NOT_NULL(f);
  fputs(text, f);
  fclose(f);
}

struct log_wait {
  const char *path;
  const char *text;
};

static int log_has(void *arg) {
  struct log_wait *w = arg;
  char *log = itest_read_file(w->path);
  int found = log && strstr(log, w->text) != NULL;

  free(log);
  return found;
}

/* SIGHUP re-reads the config and the connectors; a bad file is refused
 * and the daemon goes on with what it had. */
TEST_IMPL(sighup_reloads_config_and_refuses_a_bad_one) {
  struct fixture f;
  struct price_wait w;
  struct log_wait lw;
  char *conf;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "reload", NULL);
  ASSERT(itest_wait(mirror_complete, &f, 60000));
  conf = itest_read_file(f.daemon.conf);
  ASSERT_NOT_NULL(conf);
  append_file(f.daemon.conf, "concurrency = many\n");
  kill(f.daemon.pid, SIGHUP);
  lw.path = f.daemon.log;
  lw.text = "reload refused; keeping the running configuration";
  ASSERT(itest_wait(log_has, &lw, 10000));
  ASSERT(itest_daemon_alive(&f.daemon));
  {
    FILE *c = fopen(f.daemon.conf, "w");

    ASSERT_NOT_NULL(c);
    fputs(conf, c);
    fputs("concurrency = 4\n", c);
    fclose(c);
  }
  free(conf);
  kill(f.daemon.pid, SIGHUP);
  lw.text = "configuration reloaded\" connectors=";
  ASSERT(itest_wait(log_has, &lw, 10000));
  lw.text = " bad=0";
  ASSERT(log_has(&lw));
  /* The reloaded connector still carries work. */
  PQclear(itest_sql(f.db, "UPDATE variant SET price_vnd = 77000 WHERE sku = 'OCP-TNG-001'"));
  w.f = &f;
  w.sku = "OCP-TNG-001";
  w.price = 77000;
  ASSERT(itest_wait(price_reached, &w, 20000));
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}

TEST_IMPL(bad_config_stops_with_file_and_line) {
  const char *dir = itest_workdir("badconf");
  char path[512], want[600], *err = NULL;
  const char *argv[] = {"ocopd", "-c", path, NULL};
  FILE *f;

  snprintf(path, sizeof path, "%s/bad.conf", dir);
  f = fopen(path, "w");
  ASSERT_NOT_NULL(f);
  fputs("[ocopd]\ndatabase = host=/nowhere\njob_lease = forever\n", f);
  fclose(f);
  ASSERT_EQ(itest_run(argv, NULL, &err), 1);
  snprintf(want, sizeof want, "ocopd: %s:3: job_lease: \"forever\" is not a duration", path);
  ASSERT(strncmp(err, want, strlen(want)) == 0);
  free(err);
  return 0;
}

/* `ocopctl shop authorize`: a simulator code for tokens, stored and the shop
 * resumed; a used code refused; and the link for the seller. */
TEST_IMPL(shop_authorize_exchanges_a_code) {
  struct fixture f;
  char conndir[512], creddir[512], code[64], *out = NULL, *err = NULL, *before, *after,
      *refresh;
  const char *argv[] = {"ocopctl", "-d", NULL, "shop", "authorize", "shopee-test", "--code",
                        code, "--connector-dir", conndir, "--credentials-dir", creddir, NULL};
  cJSON *r;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "authorize", (const char *)-1);
  argv[2] = f.conninfo;
  snprintf(conndir, sizeof conndir, "%s/connectors/.libs", itest_builddir());
  snprintf(creddir, sizeof creddir, "%s/credentials", f.workdir);
  itest_write_token_key(f.workdir, ITEST_TOKEN_KEY);
  r = itest_sim_call(&f.sim, "POST", "/_sim/shopee/code",
                     "{\"shop_id\": " ITEST_SHOP_ID ", \"partner_id\": " ITEST_PARTNER_ID "}");
  ASSERT(cJSON_IsString(cJSON_GetObjectItem(r, "code")));
  snprintf(code, sizeof code, "%s", cJSON_GetObjectItem(r, "code")->valuestring);
  cJSON_Delete(r);
  PQclear(itest_sql(f.db, "UPDATE shop SET status = 'needs_reauth' WHERE name = 'shopee-test'"));
  before = itest_sql_text(f.db, "SELECT access_token FROM token");

  ASSERT_EQ(itest_run(argv, &out, &err), 0);
  after = itest_sql_text(f.db, "SELECT access_token FROM token");
  refresh = itest_sql_text(f.db, "SELECT refresh_token FROM token");
  ASSERT(after[0] != '\0');
  ASSERT(strcmp(before, after) != 0);
  ASSERT(strcmp(refresh, "itest-refresh") != 0);
  /* Stored sealed (lib/tokenseal.h), never in clear. */
  ASSERT(strncmp(after, "ocs1:", 5) == 0 && strncmp(refresh, "ocs1:", 5) == 0);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM shop WHERE name = 'shopee-test' "
                                "AND status = 'active'"),
            1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM token WHERE access_expires_at "
                                "BETWEEN now() + interval '3 hours' AND now() + interval '5 hours'"),
            1);
  ASSERT_NOT_NULL(out);
  ASSERT(strstr(out, "tokens stored for shop shopee-test (access valid until ") != NULL);
  ASSERT_NULL(strstr(out, after));
  ASSERT_NULL(strstr(out, refresh));
  ASSERT_NULL(strstr(out, ITEST_PARTNER_KEY));
  ASSERT(err == NULL || (strstr(err, after) == NULL && strstr(err, ITEST_PARTNER_KEY) == NULL));
  free(out);
  free(err);
  out = err = NULL;

  /* The code is single use. */
  ASSERT_EQ(itest_run(argv, &out, &err), 1);
  ASSERT_NOT_NULL(err);
  ASSERT(strstr(err, "shopee refused the code") != NULL);
  ASSERT(strstr(err, "invalid_code") != NULL);
  ASSERT_NULL(strstr(err, code));
  free(out);
  free(err);
  out = err = NULL;
  free(before);
  before = itest_sql_text(f.db, "SELECT access_token FROM token");
  ASSERT(strcmp(before, after) == 0);

  /* Without the token key nothing is exchanged: the single-use code is kept. */
  {
    char keypath[600];

    snprintf(keypath, sizeof keypath, "%s/tokens.key", creddir);
    ASSERT_EQ(unlink(keypath), 0);
  }
  ASSERT_EQ(itest_run(argv, &out, &err), 1);
  ASSERT(strstr(err, "tokens.key") != NULL);
  ASSERT_EQ(itest_sim_count_any_calls(&f.sim, "/api/v2/auth/token/get"), 2);
  free(out);
  free(err);
  out = err = NULL;

  /* The link for the seller. */
  argv[6] = "--redirect";
  argv[7] = "https://example.com/cb";
  ASSERT_EQ(itest_run(argv, &out, &err), 0);
  ASSERT_NOT_NULL(out);
  ASSERT(strstr(out, "/api/v2/shop/auth_partner?") != NULL);
  ASSERT(strstr(out, "sign=") != NULL);
  ASSERT(strstr(out, "redirect=https%3A%2F%2Fexample.com%2Fcb") != NULL);
  ASSERT_NULL(strstr(out, ITEST_PARTNER_KEY));
  free(out);
  free(err);
  free(before);
  free(after);
  free(refresh);
  fixture_down(&f);
  return 0;
}
