/*
 * test_operate.c — the operator's job and shop tasks (docs/operate.md),
 * end to end: ocopctl on a real PostgreSQL, ocopd and the Shopee simulator.
 *
 *   operate_commands_check_their_input: shop add refuses a missing required
 *     option, an unknown option and an unknown marketplace with one line and
 *     writes nothing; a PostMart shop needs no API fields; shop options
 *     lists each marketplace's keys; jobs, retry and resync refuse a bad
 *     command line (exit 2) and an unknown shop or job (exit 1).
 *   operate_retry_resync_resume_and_remove: publishes made dead by the
 *     simulator are shown with their reason by `jobs --json`; `retry`
 *     refuses a job that is not dead, brings dead ones back, and each
 *     product is created exactly once; tokens stored resume a shop waiting
 *     for re-authorisation; `resync` puts back a stock changed behind
 *     ocopd's back; `shop remove` refuses while listings are live, withdraws
 *     them, then retires the shop keeping its orders and the stock ledger.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define TODAY "2026-11-25"
#define LISTED 32          /* listings the sample mirrors on TODAY */
#define SKU "OCP-BTN-001"  /* listed in the sample, one variant, with stock */
#define ADD_ITEM "/api/v2/product/add_item"

/* Runs ocopctl -d CONNINFO args... (NULL-terminated, at most 20). */
static int ctl(const char *conninfo, char **out, char **err, const char *const *args) {
  const char *argv[24] = {"ocopctl", "-d", conninfo};
  int i;

  for (i = 0; args[i] && i < 20; i++)
    argv[3 + i] = args[i];
  argv[3 + i] = NULL;
  return itest_run(argv, out, err);
}

#define CTL(ci, out, err, ...) ctl(ci, out, err, (const char *const[]){__VA_ARGS__, NULL})

/* What a refused command could have written. */
static char *snapshot(PGconn *db) {
  return itest_sql_text(
      db, "SELECT concat_ws('|',"
          " (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM shop t),"
          " (SELECT count(*) FROM assortment_rule), (SELECT count(*) FROM event),"
          " (SELECT count(*) FROM listing),"
          " (SELECT md5(coalesce(string_agg(t.id || t.state || t.attempts, ',' ORDER BY t.id), ''))"
          "    FROM outbox t))");
}

/* The command exits `rc` with exactly one line on stderr naming `what`,
 * and nothing in the database changed. */
static void refused(const char *ci, PGconn *db, int rc, const char *what,
                    const char *const *args) {
  char *before = snapshot(db), *after, *err = NULL;
  int got = ctl(ci, NULL, &err, args);

  if (got != rc || !strstr(err, what))
    fprintf(stderr, "ocopctl %s %s: exit %d (want %d), stderr:\n%s(want it to name %s)\n",
            args[0], args[1] ? args[1] : "", got, rc, err, what);
  ASSERT_EQ(got, rc);
  ASSERT_NOT_NULL(strstr(err, what));
  ASSERT_NOT_NULL(strchr(err, '\n'));
  ASSERT_EQ(strchr(err, '\n')[1], '\0'); /* one line */
  ASSERT_NULL(strstr(err, "ERROR:"));    /* never the server's own text */
  after = snapshot(db);
  ASSERT_STR_EQ(after, before);
  free(before);
  free(after);
  free(err);
}

#define REFUSED(ci, db, rc, what, ...) \
  refused(ci, db, rc, what, (const char *const[]){__VA_ARGS__, NULL})

TEST_IMPL(operate_commands_check_their_input) {
  const char *ci;
  PGconn *db;
  char *out = NULL, *err = NULL;

  if (itest_need_pg())
    return TEST_SKIP;
  ci = itest_db_create("op_input");
  db = itest_connect(ci);
  itest_load_sample(ci, db, TODAY);

  REFUSED(ci, db, 2, "needs --option logistic_id=VALUE", "shop", "add", "s1", "--marketplace",
          "shopee", "--shop-id", "2001", "--app-key", "1001", "--base-url", "http://127.0.0.1:9");
  REFUSED(ci, db, 2, "--option colour: a shopee shop takes no such option", "shop", "add", "s1",
          "--marketplace", "shopee", "--shop-id", "2001", "--app-key", "1001", "--base-url",
          "http://127.0.0.1:9", "--option", "logistic_id=1", "--option", "colour=red");
  REFUSED(ci, db, 2, "needs --option shop_cipher=VALUE", "shop", "add", "t1", "--marketplace",
          "tiktok", "--shop-id", "7001", "--app-key", "k", "--base-url", "http://127.0.0.1:9",
          "--option", "warehouse_id=1");
  REFUSED(ci, db, 2, "\"bogus\" is not a marketplace; one of: shopee, lazada, tiktok, postmart",
          "shop", "add", "s1", "--marketplace", "bogus");
  REFUSED(ci, db, 2, "needs --option export_dir=VALUE", "shop", "add", "pm", "--marketplace",
          "postmart");
  REFUSED(ci, db, 2, "a lazada shop needs --shop-id, --app-key and --base-url", "shop", "add",
          "l1", "--marketplace", "lazada");
  REFUSED(ci, db, 2, "--policy \"hide\"", "shop", "add", "s1", "--marketplace", "shopee",
          "--shop-id", "2001", "--app-key", "1001", "--base-url", "http://127.0.0.1:9",
          "--option", "logistic_id=1", "--policy", "hide");

  /* PostMart: no API fields; two PostMart shops live side by side. */
  ASSERT_EQ(CTL(ci, &out, &err, "shop", "add", "pm", "--marketplace", "postmart", "--option",
                "export_dir=/tmp/pm-a"),
            0);
  ASSERT_NOT_NULL(strstr(out, "shop pm added (postmart"));
  free(out);
  free(err);
  ASSERT_EQ(CTL(ci, NULL, NULL, "shop", "add", "pm2", "--marketplace", "postmart", "--option",
                "export_dir=/tmp/pm-b"),
            0);
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM shop WHERE marketplace = 'postmart' AND "
                              "base_url = '' AND app_key = ''"),
            2);

  ASSERT_EQ(CTL(ci, &out, &err, "shop", "list", "--json"), 0);
  {
    cJSON *arr = cJSON_Parse(out);

    ASSERT(cJSON_IsArray(arr));
    ASSERT_EQ(cJSON_GetArraySize(arr), 2);
    ASSERT_STR_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "shop")->valuestring, "pm");
    ASSERT_STR_EQ(cJSON_GetObjectItem(cJSON_GetArrayItem(arr, 0), "status")->valuestring, "active");
    cJSON_Delete(arr);
  }
  free(out);
  free(err);

  /* The table of options. */
  ASSERT_EQ(CTL(ci, &out, &err, "shop", "options", "lazada"), 0);
  ASSERT_NOT_NULL(strstr(out, "required: none"));
  ASSERT_NOT_NULL(strstr(out, "variation_name"));
  ASSERT_NOT_NULL(strstr(out, "auth_url"));
  ASSERT_NOT_NULL(strstr(out, "category.*"));
  free(out);
  free(err);
  ASSERT_EQ(CTL(ci, &out, &err, "shop", "options", "tiktok", "--json"), 0);
  {
    cJSON *arr = cJSON_Parse(out), *o;
    int required = 0;

    ASSERT(cJSON_IsArray(arr));
    cJSON_ArrayForEach(o, arr) {
      ASSERT(cJSON_IsString(cJSON_GetObjectItem(o, "key")));
      ASSERT(cJSON_IsString(cJSON_GetObjectItem(o, "meaning")));
      required += cJSON_IsTrue(cJSON_GetObjectItem(o, "required"));
    }
    ASSERT_EQ(required, 2); /* shop_cipher, warehouse_id */
    cJSON_Delete(arr);
  }
  free(out);
  free(err);
  REFUSED(ci, db, 2, "\"bogus\" is not a marketplace", "shop", "options", "bogus");

  /* Bad command lines and unknown names. */
  REFUSED(ci, db, 2, "--state \"gone\": one of dead, failing, held, pending, running, all", "jobs",
          "--state", "gone");
  REFUSED(ci, db, 2, "--kind \"move\"", "jobs", "--kind", "move");
  REFUSED(ci, db, 2, "--limit \"0\"", "jobs", "--limit", "0");
  REFUSED(ci, db, 1, "no shop named \"nope\"", "jobs", "--shop", "nope");
  REFUSED(ci, db, 1, "--product \"OCP-NONE\": no product has that code", "jobs", "--product",
          "OCP-NONE");
  REFUSED(ci, db, 2, "name exactly one of JOB_ID, --shop NAME, --all-dead", "retry");
  REFUSED(ci, db, 2, "\"12x\" is not a job id", "retry", "12x");
  REFUSED(ci, db, 1, "there is no job 999999", "retry", "999999");
  REFUSED(ci, db, 1, "no shop named \"nope\"", "resync", "nope");
  REFUSED(ci, db, 1, "no shop named \"nope\"", "shop", "remove", "nope");
  REFUSED(ci, db, 2, "--state \"sold\"", "listings", "--shop", "pm", "--state", "sold");
  /* A pending job (the PostMart shop's publishes) is not dead. */
  {
    char *id = itest_sql_text(db, "SELECT min(o.id) FROM outbox o JOIN listing l ON"
                                  " l.id = o.listing_id JOIN shop s ON s.id = l.shop_id"
                                  " WHERE s.name = 'pm' AND o.state = 'pending'");

    ASSERT(id[0] != '\0');
    REFUSED(ci, db, 1, "is pending, not dead: only a dead job is retried", "retry", id);
    free(id);
  }
  PQfinish(db);
  return 0;
}

/* ---- with ocopd and the simulator ---------------------------------------------- */

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
};

static int idle(void *arg) { return itest_outbox_idle(((struct fixture *)arg)->db); }

static int all_dead(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) &&
         itest_sql_int(f->db, "SELECT count(*) FROM operator_job WHERE kind = 'publish' AND"
                              " class = 'dead'") == LISTED;
}

static int all_listed(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) &&
         itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state = 'listed'") == LISTED;
}

static int all_delisted(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) &&
         itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state = 'listed'") == 0;
}

/* Items on the simulator, and how many distinct SKUs and unlisted ones. */
static int sim_count(struct fixture *f, int *distinct, int *unlisted) {
  cJSON *items = itest_sim_items(&f->sim), *a, *b;
  int n = 0;

  *distinct = 0;
  *unlisted = 0;
  cJSON_ArrayForEach(a, items) {
    int seen = 0;

    n++;
    for (b = items->child; b != a; b = b->next)
      seen |= strcmp(cJSON_GetObjectItem(a, "item_sku")->valuestring,
                     cJSON_GetObjectItem(b, "item_sku")->valuestring) == 0;
    *distinct += !seen;
    *unlisted += strcmp(cJSON_GetObjectItem(a, "item_status")->valuestring, "UNLIST") == 0;
  }
  cJSON_Delete(items);
  return n;
}

/* A number the simulator shows for SKU's item (an item without models):
 * "stock" or "original_price". */
static long long sim_field(struct fixture *f, const char *field) {
  cJSON *items = itest_sim_items(&f->sim), *it;
  long long v = -1;

  cJSON_ArrayForEach(it, items)
    if (strcmp(cJSON_GetObjectItem(it, "item_sku")->valuestring, SKU) == 0)
      v = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(it, field));
  cJSON_Delete(items);
  return v;
}

static long long sim_stock(struct fixture *f) { return sim_field(f, "stock"); }

static long long want_price;

static int price_sent(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) && sim_field(f, "original_price") == want_price;
}

static long long want_stock;

static int stock_back(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) && sim_stock(f) == want_stock;
}

/* Publishes die on the simulator; `jobs` shows them with the reason,
 * `retry` brings them back and each product is created exactly once. */
static void dead_then_retried(struct fixture *f) {
  char *out = NULL, *err = NULL, *id;
  cJSON *arr, *o, *r;
  int n, distinct, unlisted;

  ASSERT(itest_wait(all_dead, f, 60000));
  ASSERT_EQ(CTL(f->conninfo, &out, &err, "jobs", "--json", "--shop", "shopee-test"), 0);
  arr = cJSON_Parse(out);
  ASSERT(cJSON_IsArray(arr));
  ASSERT_EQ(cJSON_GetArraySize(arr), LISTED);
  cJSON_ArrayForEach(o, arr) {
    ASSERT_STR_EQ(cJSON_GetObjectItem(o, "state")->valuestring, "dead");
    ASSERT_STR_EQ(cJSON_GetObjectItem(o, "kind")->valuestring, "publish");
    ASSERT_STR_EQ(cJSON_GetObjectItem(o, "shop")->valuestring, "shopee-test");
    ASSERT(cJSON_IsString(cJSON_GetObjectItem(o, "product")));
    ASSERT_EQ((int)cJSON_GetNumberValue(cJSON_GetObjectItem(o, "attempts")), 2);
    ASSERT_NOT_NULL(strstr(cJSON_GetObjectItem(o, "reason")->valuestring, "503"));
  }
  cJSON_Delete(arr);
  free(out);
  free(err);
  /* The text form says the same, with the reason. */
  ASSERT_EQ(CTL(f->conninfo, &out, &err, "jobs"), 0);
  ASSERT_NOT_NULL(strstr(out, "reason: "));
  ASSERT_NOT_NULL(strstr(out, "32 jobs"));
  free(out);
  free(err);

  r = itest_sim_call(&f->sim, "DELETE", "/_sim/fault", NULL);
  cJSON_Delete(r);
  /* One by its id, then a dry run, then the rest of the shop. */
  /* A listing whose content changed while its publishes failed has two
   * dead publishes: only the last counts (operator_job). */
  id = itest_sql_text(f->db, "SELECT min(job_id) FROM operator_job WHERE class = 'dead'");
  ASSERT_EQ(CTL(f->conninfo, &out, &err, "retry", id), 0);
  ASSERT_NOT_NULL(strstr(out, "1 dead job back to pending"));
  free(out);
  free(err);
  ASSERT(itest_wait(idle, f, 30000));
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state = 'listed'"), 1);
  REFUSED(f->conninfo, f->db, 1, "is done, not dead", "retry", id);
  free(id);
  ASSERT_EQ(CTL(f->conninfo, &out, &err, "retry", "--shop", "shopee-test", "--dry-run"), 0);
  ASSERT_NOT_NULL(strstr(out, "dry run: 31 dead jobs would go back to pending"));
  free(out);
  free(err);
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM operator_job WHERE class = 'dead'"), 31);
  ASSERT_EQ(CTL(f->conninfo, &out, &err, "retry", "--all-dead"), 0);
  ASSERT_NOT_NULL(strstr(out, "31 dead jobs back to pending"));
  free(out);
  free(err);
  ASSERT(itest_wait(all_listed, f, 60000));
  n = sim_count(f, &distinct, &unlisted);
  ASSERT_EQ(n, LISTED);
  ASSERT_EQ(distinct, LISTED);
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM event WHERE kind = 'job_retry'"), LISTED);
  ASSERT_EQ(CTL(f->conninfo, &out, &err, "jobs", "--json"), 0);
  ASSERT_STR_EQ(out, "[]\n");
  free(out);
  free(err);
}

/* A shop waiting for re-authorisation sends nothing (its changes are not
 * even queued); storing tokens resumes it and the change is sent. */
static void tokens_resume(struct fixture *f) {
  char cmd[1024], *out = NULL, *err = NULL;
  const char *argv[] = {"/bin/sh", "-c", cmd, NULL};

  PQclear(itest_sql(f->db, "SELECT ocop_shop_needs_reauth(id, 'test: refresh refused') FROM shop"
                           " WHERE name = 'shopee-test'"));
  PQclear(itest_sql(f->db, "UPDATE variant SET price_vnd = price_vnd + 1000 WHERE sku = '" SKU "'"));
  want_price = itest_sql_int(f->db, "SELECT price_vnd FROM variant WHERE sku = '" SKU "'");
  usleep(1500000);
  ASSERT(sim_field(f, "original_price") != want_price);
  snprintf(cmd, sizeof cmd, "printf '%%s\\n%%s\\n' '%s' itest-refresh | '%s/ocopctl' -d '%s' shop"
                            " token shopee-test --credentials-dir '%s/credentials'",
           ITEST_ACCESS_TOKEN, itest_builddir(), f->conninfo, f->workdir);
  ASSERT_EQ(itest_run(argv, &out, &err), 0);
  ASSERT_NOT_NULL(strstr(out, "it is active again"));
  free(out);
  free(err);
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM shop WHERE name = 'shopee-test' AND "
                                 "status = 'active'"),
            1);
  ASSERT(itest_wait(price_sent, f, 30000));
}

/* A stock changed by hand on the simulator is put back by resync. */
static void resync_repairs(struct fixture *f) {
  char *item, body[256], *out = NULL, *err = NULL;
  int distinct, unlisted;
  cJSON *r;

  want_stock = itest_sql_int(f->db, "SELECT stock FROM listing_variant_target WHERE sku = '" SKU "'");
  ASSERT_EQ(sim_stock(f), want_stock);
  item = itest_sql_text(f->db, "SELECT l.item_id FROM listing l JOIN product p ON"
                               " p.id = l.product_id WHERE p.code = '" SKU "'");
  snprintf(body, sizeof body, "{\"shop_id\": %s, \"item_id\": %s, \"stock\": %lld}",
           ITEST_SHOP_ID, item, want_stock + 7);
  free(item);
  r = itest_sim_call(&f->sim, "POST", "/_sim/shopee/items/stock", body);
  cJSON_Delete(r);
  ASSERT_EQ(sim_stock(f), want_stock + 7);
  ASSERT_EQ(CTL(f->conninfo, &out, &err, "resync", "shopee-test", "--dry-run"), 0);
  ASSERT_NOT_NULL(strstr(out, "dry run: 32 live listings"));
  free(out);
  free(err);
  ASSERT_EQ(sim_stock(f), want_stock + 7);
  ASSERT_EQ(CTL(f->conninfo, &out, &err, "resync", "shopee-test"), 0);
  ASSERT_NOT_NULL(strstr(out, "32 live listings to send again"));
  free(out);
  free(err);
  ASSERT(itest_wait(stock_back, f, 60000));
  ASSERT_EQ(sim_count(f, &distinct, &unlisted), LISTED);
  ASSERT_EQ(distinct, LISTED);
}

/* Removal withdraws first, then retires the shop; orders and the ledger
 * stay. */
static void remove_shop(struct fixture *f) {
  char *out = NULL, *err = NULL;
  long long ledger;
  int distinct, unlisted;

  PQclear(itest_sql(f->db, "INSERT INTO \"order\" (shop_id, mp_order_id, status, mp_update_time)"
                           " SELECT id, 'ORD-1', 'COMPLETED', now() FROM shop"
                           " WHERE name = 'shopee-test'"));
  ledger = itest_sql_int(f->db, "SELECT count(*) FROM stock_ledger");
  ASSERT_EQ(CTL(f->conninfo, &out, &err, "shop", "remove", "shopee-test"), 1);
  ASSERT_NOT_NULL(strstr(out, "is now being removed"));
  ASSERT_NOT_NULL(strstr(err, "shop shopee-test still has 32 live listings"));
  ASSERT_NOT_NULL(strstr(err, "run ocopctl shop remove shopee-test again once"));
  free(out);
  free(err);
  /* Nothing new for a removing shop: resume is refused, a new product is
   * not listed. */
  ASSERT_EQ(CTL(f->conninfo, &out, &err, "shop", "resume", "shopee-test"), 1);
  ASSERT_NOT_NULL(strstr(err, "shop shopee-test is removing"));
  free(out);
  free(err);
  ASSERT(itest_wait(all_delisted, f, 60000));
  ASSERT_EQ(sim_count(f, &distinct, &unlisted), LISTED);
  ASSERT_EQ(unlisted, LISTED);
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM outbox WHERE kind <> 'delist' AND"
                                 " created_at > (SELECT max(at) FROM event WHERE kind = 'shop'"
                                 " AND action = 'removing')"),
            0);
  ASSERT_EQ(CTL(f->conninfo, &out, &err, "shop", "remove", "shopee-test"), 0);
  ASSERT_NOT_NULL(strstr(out, "shop shopee-test is removed"));
  free(out);
  free(err);
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM shop WHERE name = 'shopee-test' AND"
                                 " status = 'removed'"),
            1);
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM token"), 0);
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM \"order\" WHERE mp_order_id = 'ORD-1'"), 1);
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM stock_ledger"), ledger);
  /* The sweep creates nothing for it afterwards. */
  usleep(2500000);
  ASSERT_EQ(itest_sql_int(f->db, "SELECT count(*) FROM outbox WHERE state IN ('pending', "
                                 "'running')"),
            0);
}

TEST_IMPL(operate_retry_resync_resume_and_remove) {
  struct fixture f;
  cJSON *r;

  if (itest_need_pg())
    return TEST_SKIP;
  memset(&f, 0, sizeof f);
  snprintf(f.workdir, sizeof f.workdir, "%s", itest_workdir("op_daemon"));
  f.conninfo = itest_db_create("op_daemon");
  f.db = itest_connect(f.conninfo);
  itest_load_sample(f.conninfo, f.db, TODAY);
  itest_sim_start(&f.sim);
  r = itest_sim_call(&f.sim, "POST", "/_sim/fault",
                     "{\"marketplace\":\"shopee\",\"path\":\"" ADD_ITEM "\",\"kind\":\"status\","
                     "\"status\":503,\"count\":-1}");
  cJSON_Delete(r);
  itest_add_shop(f.db, &f.sim, f.workdir, "delist");
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo,
                     "max_attempts = 2\nreconcile_interval = 0\n");
  dead_then_retried(&f);
  tokens_resume(&f);
  resync_repairs(&f);
  remove_shop(&f);
  ASSERT(itest_daemon_alive(&f.daemon));
  itest_daemon_stop(&f.daemon, SIGTERM);
  itest_sim_stop(&f.sim);
  PQfinish(f.db);
  return 0;
}
