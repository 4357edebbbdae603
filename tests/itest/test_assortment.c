/*
 * test_assortment.c — shop owners and assortments, end to end (issue 11,
 * parts 1 and 6): ocopctl edits them, PostgreSQL decides what each shop
 * carries (sql/logic/assortment.sql), and ocopd lists and withdraws on the
 * Shopee simulator accordingly.
 *
 * On 2026-11-25 the sample catalogue has, among others:
 *   producer "Xưởng chế biến thực phẩm bánh kẹo Thiên Đức": OCP-TBH-001 and
 *     OCP-TBH-004 eligible, OCP-TBH-006 expired the day before;
 *   category I.5 (tea): OCP-TNG-001, OCP-QNH-001, OCP-NAN-001 eligible,
 *     OCP-LCI-901 rated 1 star;
 *   producer "Xưởng chế biến thực phẩm bánh kẹo Đình Mạnh": OCP-TBH-002 and
 *     OCP-TBH-003 (its last valid day), both eligible.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define TODAY "2026-11-25"
#define THIEN_DUC "Xưởng chế biến thực phẩm bánh kẹo Thiên Đức"
#define DINH_MANH "Xưởng chế biến thực phẩm bánh kẹo Đình Mạnh"
#define COOP_SHOP_ID "2002"

/* Runs ocopctl -d CONNINFO args...; returns its exit status, output in
 * *out and *err (malloc'd) when asked. */
static int ctl(const char *conninfo, char **out, char **err, const char *a1, const char *a2,
               const char *a3, const char *a4, const char *a5, const char *a6, const char *a7) {
  const char *argv[12] = {"ocopctl", "-d", conninfo, a1, a2, a3, a4, a5, a6, a7, NULL};

  return itest_run(argv, out, err);
}

#define CTL0(ci, ...) ctl(ci, NULL, NULL, __VA_ARGS__)

/* What ocopctl could have written: shops, rules, events, listings, jobs. */
static char *snapshot(PGconn *db) {
  return itest_sql_text(
      db, "SELECT concat_ws('|',"
          " (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM shop t),"
          " (SELECT md5(coalesce(string_agg(t::text, ',' ORDER BY t.id), '')) FROM assortment_rule t),"
          " (SELECT count(*) FROM event), (SELECT count(*) FROM listing),"
          " (SELECT count(*) FROM outbox))");
}

/* The command is refused with `rc`, its message names `fault`, and
 * nothing in the database changed. */
static void refused(const char *conninfo, PGconn *db, int rc, const char *fault, const char *a1,
                    const char *a2, const char *a3, const char *a4, const char *a5,
                    const char *a6, const char *a7) {
  char *before = snapshot(db), *after, *err = NULL;
  int got = ctl(conninfo, NULL, &err, a1, a2, a3, a4, a5, a6, a7);

  if (got != rc || !strstr(err, fault))
    fprintf(stderr, "ocopctl %s %s %s %s: exit %d (want %d), stderr:\n%s(want it to name %s)\n", a1,
            a2, a3 ? a3 : "", a4 ? a4 : "", got, rc, err, fault);
  ASSERT_EQ(got, rc);
  ASSERT_NOT_NULL(strstr(err, fault));
  after = snapshot(db);
  ASSERT_STR_EQ(after, before);
  free(before);
  free(after);
  free(err);
}

static long long rule_id(PGconn *db, const char *shop, const char *where) {
  char sql[512];

  snprintf(sql, sizeof sql,
           "SELECT r.id FROM assortment_rule r JOIN shop s ON s.id = r.shop_id "
           "WHERE s.name = '%s' AND %s",
           shop, where);
  return itest_sql_int(db, sql);
}

/* The product codes a shop carries now, "A,B,C". */
static char *carried(PGconn *db, const char *shop) {
  char sql[512];

  snprintf(sql, sizeof sql,
           "SELECT coalesce(string_agg(p.code, ',' ORDER BY p.code), '') FROM shop_assortment a "
           "JOIN product p ON p.id = a.product_id JOIN shop s ON s.id = a.shop_id "
           "WHERE s.name = '%s'",
           shop);
  return itest_sql_text(db, sql);
}

TEST_IMPL(assortment_commands_edit_audit_and_refuse_bad_input) {
  const char *conninfo;
  char *out = NULL, *err = NULL, *s, *want, rule[32], line[128];
  PGconn *db;
  int rc;

  if (itest_need_pg())
    return TEST_SKIP;
  conninfo = itest_db_create("assort_ctl");
  db = itest_connect(conninfo);
  itest_load_sample(conninfo, db, TODAY);

  /* A centre's store: every product, and the command says how to narrow it. */
  rc = ctl(conninfo, &out, &err, "shop", "add", "centre", "--marketplace", "lazada", "--shop-id",
           "3001");
  ASSERT_EQ(rc, 2); /* the other required options are missing: a usage error */
  free(out);
  free(err);
  {
    const char *argv[] = {"ocopctl", "-d", conninfo, "shop", "add", "centre", "--marketplace",
                          "lazada", "--shop-id", "3001", "--app-key", "100777", "--base-url",
                          "http://127.0.0.1:9", NULL};

    ASSERT_EQ(itest_run(argv, &out, &err), 0);
  }
  ASSERT_NOT_NULL(strstr(out, "carries every product (rule"));
  ASSERT_NOT_NULL(strstr(out, "ocopctl shop assortment centre include"));
  free(out);
  free(err);
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM assortment_rule r JOIN shop s ON s.id = r.shop_id"
                              " WHERE s.name = 'centre' AND r.include AND r.producer_id IS NULL"
                              " AND r.category IS NULL AND r.min_stars IS NULL AND r.product_id IS NULL"),
            1);
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM shop_assortment a JOIN shop s ON s.id = a.shop_id"
                              " WHERE s.name = 'centre'"),
            itest_sql_int(db, "SELECT count(*) FROM product"));

  /* A cooperative's own shop: its producer's products, and no rule. */
  {
    const char *argv[] = {"ocopctl", "-d", conninfo, "shop", "add", "coop", "--marketplace",
                          "shopee", "--shop-id", COOP_SHOP_ID, "--app-key", "1001", "--base-url",
                          "http://127.0.0.1:9", "--option", "logistic_id=50011", "--producer", THIEN_DUC, NULL};

    ASSERT_EQ(itest_run(argv, &out, &err), 0);
  }
  ASSERT_NOT_NULL(strstr(out, "owner: producer " THIEN_DUC));
  free(out);
  free(err);
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM assortment_rule r JOIN shop s ON s.id = r.shop_id"
                              " WHERE s.name = 'coop'"),
            0);
  s = carried(db, "coop");
  ASSERT_STR_EQ(s, "OCP-TBH-001,OCP-TBH-004,OCP-TBH-006");
  free(s);
  /* Only the eligible ones get a listing. */
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM listing l JOIN shop s ON s.id = l.shop_id"
                              " WHERE s.name = 'coop'"),
            2);

  /* Bad input: refused naming the argument at fault; nothing written. */
  {
    const char *argv[] = {"ocopctl", "-d", conninfo, "shop", "add", "other", "--marketplace",
                          "shopee", "--shop-id", "2003", "--app-key", "1001", "--base-url",
                          "http://127.0.0.1:9", "--option", "logistic_id=50011", "--producer", "Hợp tác xã Không Có",
                          NULL};
    char *before = snapshot(db), *after;

    ASSERT_EQ(itest_run(argv, NULL, &err), 1);
    ASSERT_NOT_NULL(strstr(err, "--producer \"Hợp tác xã Không Có\""));
    after = snapshot(db);
    ASSERT_STR_EQ(after, before);
    free(before);
    free(after);
    free(err);
  }
  refused(conninfo, db, 1, "--producer \"Nobody\"", "shop", "assortment", "centre", "include",
          "--producer", "Nobody", NULL);
  refused(conninfo, db, 1, "--product \"OCP-XXX-999\"", "shop", "assortment", "centre", "exclude",
          "--product", "OCP-XXX-999", NULL);
  refused(conninfo, db, 1, "--category \"I.9\"", "shop", "assortment", "centre", "include",
          "--category", "I.9", NULL);
  refused(conninfo, db, 1, "--category \"VII\"", "shop", "assortment", "centre", "include",
          "--category", "VII", NULL);
  refused(conninfo, db, 1, "--stars \"2\"", "shop", "assortment", "centre", "include", "--stars",
          "2", NULL);
  refused(conninfo, db, 1, "--stars \"6\"", "shop", "assortment", "centre", "include", "--stars",
          "6", NULL);
  refused(conninfo, db, 1, "no shop named \"nosuch\"", "shop", "assortment", "nosuch", "include",
          "--all", NULL, NULL);
  refused(conninfo, db, 1, "already has this rule", "shop", "assortment", "centre", "include",
          "--all", NULL, NULL);
  refused(conninfo, db, 1, "RULE_ID 999999", "shop", "assortment", "centre", "remove", "999999",
          NULL, NULL);
  snprintf(rule, sizeof rule, "%lld", rule_id(db, "centre", "true"));
  refused(conninfo, db, 1, "RULE_ID", "shop", "assortment", "coop", "remove", rule, NULL, NULL);
  refused(conninfo, db, 1, "--producer \"Nobody\"", "shop", "owner", "coop", "--producer",
          "Nobody", NULL, NULL);
  refused(conninfo, db, 1, "no shop named \"nosuch\"", "shop", "owner", "nosuch", "--operator",
          NULL, NULL, NULL);
  refused(conninfo, db, 2, "usage:", "shop", "assortment", "centre", "include", NULL, NULL, NULL);
  refused(conninfo, db, 2, "usage:", "shop", "assortment", "centre", "include", "--all",
          "--stars", "3");
  refused(conninfo, db, 1, "--shop \"nosuch\"", "listings", "--shop", "nosuch", NULL, NULL, NULL,
          NULL);

  /* Edits: each one audited with the rule and who made it. */
  ASSERT_EQ(CTL0(conninfo, "shop", "assortment", "centre", "include", "--category", "I.5", NULL),
            0);
  ASSERT_EQ(CTL0(conninfo, "shop", "assortment", "centre", "exclude", "--product", "OCP-QNH-001",
                 NULL),
            0);
  ASSERT_EQ(CTL0(conninfo, "shop", "assortment", "centre", "include", "--stars", "5", NULL), 0);
  snprintf(rule, sizeof rule, "%lld",
           rule_id(db, "centre", "r.include AND num_nonnulls(r.producer_id, r.category, "
                                 "r.min_stars, r.product_id) = 0"));
  ASSERT_EQ(ctl(conninfo, &out, NULL, "shop", "assortment", "centre", "remove", rule, NULL, NULL),
            0);
  ASSERT_NOT_NULL(strstr(out, "removed (include every product)"));
  free(out);
  s = carried(db, "centre");
  /* Category I.5 but OCP-QNH-001, and every 5-star product. */
  want = itest_sql_text(db, "SELECT string_agg(p.code, ',' ORDER BY p.code) FROM product p"
                            " JOIN product_eligibility e ON e.product_id = p.id"
                            " WHERE p.code <> 'OCP-QNH-001' AND (p.category_code LIKE 'I.5.%'"
                            " OR coalesce(e.stars, 0) >= 5)");
  ASSERT_STR_EQ(s, want);
  free(s);
  free(want);
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM event e JOIN shop s ON s.id = e.shop_id"
                              " WHERE e.kind = 'assortment' AND s.name = 'centre'"),
            5); /* the first rule, three added, one removed */
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM event WHERE kind = 'assortment'"
                              " AND action = 'exclude' AND detail->'rule'->>'selects' = 'product OCP-QNH-001'"
                              " AND detail->>'via' = 'ocopctl' AND detail->>'by' <> ''"),
            1);
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM event WHERE kind = 'assortment'"
                              " AND action = 'remove' AND detail->'rule'->>'selects' = 'every product'"),
            1);

  /* The owner changes, audited; the operator's shop carries only its rules. */
  ASSERT_EQ(CTL0(conninfo, "shop", "owner", "coop", "--operator", NULL, NULL, NULL), 0);
  s = carried(db, "coop");
  ASSERT_STR_EQ(s, "");
  free(s);
  ASSERT_EQ(CTL0(conninfo, "shop", "owner", "coop", "--producer", DINH_MANH, NULL, NULL), 0);
  s = carried(db, "coop");
  ASSERT_STR_EQ(s, "OCP-TBH-002,OCP-TBH-003");
  free(s);
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM event e JOIN shop s ON s.id = e.shop_id"
                              " WHERE e.kind = 'assortment' AND e.action = 'owner' AND s.name = 'coop'"),
            3); /* made, given to the operator, given to Đình Mạnh */
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM event WHERE kind = 'assortment'"
                              " AND action = 'owner' AND detail->'from' = '\"operator\"'"
                              " AND detail->'to'->>'producer' = '" DINH_MANH "'"),
            1);

  /* The views: the rules in words, and what the shop carries and why. */
  ASSERT_EQ(ctl(conninfo, &out, NULL, "shop", "assortment", "centre", NULL, NULL, NULL, NULL), 0);
  ASSERT_NOT_NULL(strstr(out, "owner: the operator"));
  ASSERT_NOT_NULL(strstr(out, "category I.5\n"));
  ASSERT_NOT_NULL(strstr(out, "product OCP-QNH-001\n"));
  ASSERT_NOT_NULL(strstr(out, "5 stars and above\n"));
  ASSERT_NOT_NULL(strstr(out, "exclude"));
  ASSERT_NULL(strstr(out, "every product"));
  free(out);
  ASSERT_EQ(ctl(conninfo, &out, NULL, "listings", "--shop", "coop", NULL, NULL, NULL, NULL), 0);
  ASSERT_NOT_NULL(strstr(out, "owner: producer " DINH_MANH));
  ASSERT_NOT_NULL(strstr(out, "OCP-TBH-002"));
  ASSERT_NOT_NULL(strstr(out, "own producer"));
  ASSERT_NULL(strstr(out, "OCP-TBH-001"));
  snprintf(line, sizeof line, "not carried: %lld catalogue products",
           itest_sql_int(db, "SELECT count(*) - 2 FROM product"));
  ASSERT_NOT_NULL(strstr(out, line));
  free(out);
  ASSERT_EQ(ctl(conninfo, &out, NULL, "listings", "--shop", "centre", "--json", NULL, NULL, NULL),
            0);
  {
    cJSON *j = cJSON_Parse(out), *row;
    int n = 0;

    ASSERT_NOT_NULL(j);
    cJSON_ArrayForEach(row, cJSON_GetObjectItem(j, "carried")) {
      ASSERT(strcmp(cJSON_GetObjectItem(row, "code")->valuestring, "OCP-QNH-001") != 0);
      n++;
    }
    ASSERT_EQ(n, itest_sql_int(db, "SELECT count(*) FROM shop_assortment a JOIN shop s"
                                   " ON s.id = a.shop_id WHERE s.name = 'centre'"));
    cJSON_Delete(j);
  }
  free(out);
  PQfinish(db);
  return 0;
}

/* ---- with ocopd and the simulator --------------------------------------------- */

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
};

/* Listed product codes of a shop, "A,B" (listing state 'listed'). */
static char *listed(PGconn *db, const char *shop) {
  char sql[512];

  snprintf(sql, sizeof sql,
           "SELECT coalesce(string_agg(p.code, ',' ORDER BY p.code), '') FROM listing l "
           "JOIN product p ON p.id = l.product_id JOIN shop s ON s.id = l.shop_id "
           "WHERE s.name = '%s' AND l.state = 'listed'",
           shop);
  return itest_sql_text(db, sql);
}

/* Items of a simulated Shopee shop with status NORMAL, and whether every
 * one of them is a listed item of the ocopd shop. */
static int sim_normal_items(struct fixture *f, const char *mp_shop, const char *shop) {
  char path[128], sql[512];
  cJSON *r, *it;
  int n = 0;

  snprintf(path, sizeof path, "/_sim/shopee/items?shop_id=%s", mp_shop);
  r = itest_sim_call(&f->sim, "GET", path, NULL);
  cJSON_ArrayForEach(it, cJSON_GetObjectItem(r, "items")) {
    if (strcmp(cJSON_GetObjectItem(it, "item_status")->valuestring, "NORMAL") != 0)
      continue;
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM listing l JOIN shop s ON s.id = l.shop_id "
             "WHERE s.name = '%s' AND l.state = 'listed' AND l.item_id = '%s'",
             shop, cJSON_GetObjectItem(it, "item_id_str")->valuestring);
    if (itest_sql_int(f->db, sql) != 1) {
      n = -1000;
      break;
    }
    n++;
  }
  cJSON_Delete(r);
  return n;
}

struct want {
  struct fixture *f;
  const char *centre, *coop; /* listed codes */
};

static int reached(void *arg) {
  struct want *w = arg;
  char *a, *b;
  int ok;

  if (!itest_outbox_idle(w->f->db))
    return 0;
  a = listed(w->f->db, "shopee-test");
  b = listed(w->f->db, "shopee-coop");
  ok = strcmp(a, w->centre) == 0 && strcmp(b, w->coop) == 0;
  free(a);
  free(b);
  return ok;
}

#define CENTRE_FIRST "OCP-NAN-001,OCP-TBH-002,OCP-TBH-003,OCP-TNG-001"
#define CENTRE_AFTER "OCP-NAN-001,OCP-QNH-001,OCP-TBH-002,OCP-TBH-003"
#define COOP "OCP-TBH-001,OCP-TBH-004"

TEST_IMPL(cooperative_and_centre_shops_list_their_assortments) {
  struct fixture f;
  struct want w;
  char path[512], rule[32], *s, *out = NULL;
  FILE *fp;
  int unlists;

  if (itest_need_pg())
    return TEST_SKIP;
  memset(&f, 0, sizeof f);
  snprintf(f.workdir, sizeof f.workdir, "%s", itest_workdir("assort"));
  f.conninfo = itest_db_create("assort");
  f.db = itest_connect(f.conninfo);
  itest_load_sample(f.conninfo, f.db, TODAY);
  itest_sim_start(&f.sim);
  /* The centre's store: the harness's Shopee shop, every product so far. */
  itest_add_shop(f.db, &f.sim, f.workdir, "delist");
  /* The cooperative's own shop, a second Shopee shop, made by ocopctl. */
  cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/shopee/shop",
                              "{\"shop_id\": " COOP_SHOP_ID ", \"partner_id\": " ITEST_PARTNER_ID
                              ", \"access_token\": \"itest-coop-access\", \"refresh_token\":"
                              " \"itest-coop-refresh\", \"access_expires_in\": 14400}"));
  {
    const char *argv[] = {"ocopctl", "-d", f.conninfo, "shop", "add", "shopee-coop",
                          "--marketplace", "shopee", "--shop-id", COOP_SHOP_ID, "--app-key",
                          ITEST_PARTNER_ID, "--base-url", f.sim.base, "--option",
                          "logistic_id=50011", "--producer", THIEN_DUC, NULL};

    ASSERT_EQ(itest_run(argv, NULL, NULL), 0);
  }
  snprintf(path, sizeof path, "%s/credentials/shopee-coop.secret", f.workdir);
  fp = fopen(path, "w");
  ASSERT_NOT_NULL(fp);
  fprintf(fp, "%s\n", ITEST_PARTNER_KEY);
  fclose(fp);
  chmod(path, 0600);
  PQclear(itest_sql(f.db, "INSERT INTO token (shop_id, access_token, refresh_token, access_expires_at)"
                          " SELECT id, 'itest-coop-access', 'itest-coop-refresh',"
                          " now() + interval '4 hours' FROM shop WHERE name = 'shopee-coop'"));

  /* The centre narrows its store before anything is sent: tea (I.5) but
   * OCP-QNH-001, and everything of Đình Mạnh. */
  ASSERT_EQ(CTL0(f.conninfo, "shop", "assortment", "shopee-test", "include", "--category", "I.5",
                 NULL),
            0);
  ASSERT_EQ(CTL0(f.conninfo, "shop", "assortment", "shopee-test", "exclude", "--product",
                 "OCP-QNH-001", NULL),
            0);
  ASSERT_EQ(CTL0(f.conninfo, "shop", "assortment", "shopee-test", "include", "--producer",
                 DINH_MANH, NULL),
            0);
  snprintf(rule, sizeof rule, "%lld",
           rule_id(f.db, "shopee-test", "r.include AND num_nonnulls(r.producer_id, r.category, "
                                        "r.min_stars, r.product_id) = 0"));
  ASSERT_EQ(CTL0(f.conninfo, "shop", "assortment", "shopee-test", "remove", rule, NULL, NULL), 0);

  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  w.f = &f;
  w.centre = CENTRE_FIRST;
  w.coop = COOP;
  if (!itest_wait(reached, &w, 60000)) {
    char *a = listed(f.db, "shopee-test"), *b = listed(f.db, "shopee-coop");

    fprintf(stderr, "centre lists %s (want %s); cooperative lists %s (want %s)\n", a,
            CENTRE_FIRST, b, COOP);
    abort();
  }
  /* Exactly those items on each simulated shop, nothing else ever made. */
  ASSERT_EQ(sim_normal_items(&f, ITEST_SHOP_ID, "shopee-test"), 4);
  ASSERT_EQ(sim_normal_items(&f, COOP_SHOP_ID, "shopee-coop"), 2);
  ASSERT_EQ(itest_sim_count_calls(&f.sim, "/api/v2/product/add_item"), 6);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing l JOIN shop s ON s.id = l.shop_id"
                                " JOIN product p ON p.id = l.product_id WHERE s.name = 'shopee-coop'"
                                " AND p.producer_id <> s.owner_producer_id"),
            0);
  ASSERT_EQ(itest_sim_count_calls(&f.sim, "/api/v2/product/unlist_item"), 0);

  /* Edits while ocopd runs: the exclusion of OCP-QNH-001 goes, OCP-TNG-001
   * is excluded. One is listed, the other withdrawn (a delist is sent). */
  snprintf(rule, sizeof rule, "%lld", rule_id(f.db, "shopee-test", "NOT r.include"));
  ASSERT_EQ(CTL0(f.conninfo, "shop", "assortment", "shopee-test", "remove", rule, NULL, NULL), 0);
  ASSERT_EQ(CTL0(f.conninfo, "shop", "assortment", "shopee-test", "exclude", "--product",
                 "OCP-TNG-001", NULL),
            0);
  w.centre = CENTRE_AFTER;
  if (!itest_wait(reached, &w, 60000)) {
    char *a = listed(f.db, "shopee-test");

    fprintf(stderr, "centre lists %s (want %s)\n", a, CENTRE_AFTER);
    abort();
  }
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing l JOIN shop s ON s.id = l.shop_id"
                                " JOIN product p ON p.id = l.product_id WHERE s.name = 'shopee-test'"
                                " AND p.code = 'OCP-TNG-001' AND l.state = 'delisted'"),
            1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox o JOIN listing l ON l.id = o.listing_id"
                                " JOIN product p ON p.id = l.product_id WHERE p.code = 'OCP-TNG-001'"
                                " AND o.kind = 'delist' AND o.state = 'done'"),
            1);
  unlists = itest_sim_count_calls(&f.sim, "/api/v2/product/unlist_item");
  ASSERT_EQ(unlists, 1);
  ASSERT_EQ(sim_normal_items(&f, ITEST_SHOP_ID, "shopee-test"), 4);
  ASSERT_EQ(sim_normal_items(&f, COOP_SHOP_ID, "shopee-coop"), 2);
  ASSERT_EQ(itest_sim_count_calls(&f.sim, "/api/v2/product/add_item"), 7);

  /* What ocopctl shows for it. */
  ASSERT_EQ(ctl(f.conninfo, &out, NULL, "listings", "--shop", "shopee-test", NULL, NULL, NULL,
                NULL),
            0);
  ASSERT_NOT_NULL(strstr(out, "OCP-QNH-001"));
  ASSERT_NOT_NULL(strstr(out, "producer " DINH_MANH));
  ASSERT_NULL(strstr(out, "OCP-TNG-001"));
  ASSERT_NOT_NULL(strstr(out, "0 still on the marketplace (being withdrawn), 1 withdrawn"));
  free(out);
  s = listed(f.db, "shopee-coop");
  ASSERT_STR_EQ(s, COOP);
  free(s);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state NOT IN ('done', 'skipped')"),
            0);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  itest_sim_stop(&f.sim);
  PQfinish(f.db);
  return 0;
}
