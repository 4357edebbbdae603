/*
 * test_ctl_data.c — the operator's data commands end to end: ocopctl as a
 * child process against real PostgreSQL, the simulator and ocopd.
 *
 * What must hold: `orders` lists what the order table holds, filtered by
 * shop, product, status and OCOP day, the same in --json; `stock set`
 * writes one noted ledger row and the new count reaches every simulated
 * marketplace; a result below reserved or zero is refused in one line;
 * re-importing an old catalogue after a sale leaves stock alone and says
 * so, --stocktake sets it with a noted row, and a new variant gets its
 * opening balance; `cert revoke` withdraws the product from the
 * marketplace the same day and `cert show` names the revocation decision;
 * `cert decide` lists it again; and every bad command line of every
 * command ends in one line "ocopctl: ..." with exit 1 or 2 and nothing of
 * PostgreSQL's own text.
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SKU "OCP-BTN-001" /* listed, 25 in stock in the sample; one variant */
#define DAY "2026-11-25"  /* the OCOP date the tests pin */

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
};

/* Runs ocopctl with the arguments (NULL-terminated); returns its exit
 * status, stdout and stderr (malloc'd, never NULL). */
static int ctl(const char *conninfo, char **out, char **err, ...) {
  const char *argv[32] = {"ocopctl", "-d", conninfo};
  int n = 3, rc;
  va_list ap;

  va_start(ap, err);
  while (n < 31 && (argv[n] = va_arg(ap, const char *)) != NULL)
    n++;
  va_end(ap);
  argv[n] = NULL;
  rc = itest_run(argv, out, err);
  if (!*out)
    *out = strdup("");
  if (!*err)
    *err = strdup("");
  return rc;
}

static long long q(PGconn *db, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static long long q(PGconn *db, const char *fmt, ...) {
  char sql[2048];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  return itest_sql_int(db, sql);
}

struct until {
  PGconn *db;
  const char *sql;
  long long want;
};

static int sql_is(void *arg) {
  struct until *u = arg;

  return itest_sql_int(u->db, u->sql) == u->want;
}

static void wait_sql(PGconn *db, const char *sql, long long want, int ms) {
  struct until u = {db, sql, want};

  if (!itest_wait(sql_is, &u, ms)) {
    fprintf(stderr, "timed out waiting for %s = %lld (is %lld)\n", sql, want,
            itest_sql_int(db, sql));
    abort();
  }
}

/* The sample on DAY, the Shopee and TikTok test shops, and ocopd polling
 * orders every half second; returns once every listing has settled. */
static void fixture_up(struct fixture *f, const char *tag) {
  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir(tag));
  f->conninfo = itest_db_create(tag);
  f->db = itest_connect(f->conninfo);
  itest_load_sample(f->conninfo, f->db, DAY);
  itest_sim_start(&f->sim);
  itest_add_shop(f->db, &f->sim, f->workdir, "delist");
  itest_add_market_shop(f->db, &f->sim, f->workdir, "tiktok");
  itest_daemon_start(&f->daemon, f->workdir, f->conninfo,
                     "order_poll_interval = 500ms\norder_poll_overlap = 5s\n"
                     "rate_limits = shopee:0,lazada:0,tiktok:0\nmax_attempts = 3\n");
  wait_sql(f->db,
           "SELECT count(*) FROM listing WHERE NOT ((state = 'listed' AND item_id IS NOT NULL)"
           " OR problem IS NOT NULL)",
           0, 60000);
  wait_sql(f->db, "SELECT count(*) FROM order_cursor", 2, 30000);
}

static void fixture_down(struct fixture *f) {
  ASSERT_EQ(itest_daemon_stop(&f->daemon, SIGTERM), 0);
  itest_sim_stop(&f->sim);
  PQfinish(f->db);
}

/* One order on a marketplace of the simulator. */
static void sim_order(struct fixture *f, const char *mp, const char *shop, const char *status,
                      const char *sku, int qty) {
  char path[64], body[512];

  snprintf(path, sizeof path, "/_sim/%s/orders", mp);
  snprintf(body, sizeof body,
           "{\"shop\": \"%s\", \"orders\": [{\"status\": \"%s\", \"malformed\": false,"
           " \"lines\": [{\"sku\": \"%s\", \"qty\": %d, \"price\": 45000}]}]}",
           shop, status, sku, qty);
  cJSON_Delete(itest_sim_call(&f->sim, "POST", path, body));
}

/* `ocopctl A [B [C]] --json` parsed (b, c NULL when absent); the command
 * must succeed. */
static cJSON *ctl_json(const char *conninfo, const char *a, const char *b, const char *c) {
  const char *argv[8] = {"ocopctl", "-d", conninfo, a};
  char *out = NULL, *err = NULL;
  int n = 4;
  cJSON *j;

  if (b)
    argv[n++] = b;
  if (b && c)
    argv[n++] = c;
  argv[n] = "--json";
  ASSERT_EQ(itest_run(argv, &out, &err), 0);
  j = cJSON_Parse(out);
  if (!j)
    fprintf(stderr, "not JSON: %s\n%s", out, err);
  ASSERT_NOT_NULL(j);
  free(out);
  free(err);
  return j;
}

/* ---- orders ------------------------------------------------------------ */

/* Every object of the list is the order of that shop and id in the order
 * table, with its status, stock effect and lines. */
static void check_orders(PGconn *db, cJSON *list) {
  cJSON *o;

  cJSON_ArrayForEach(o, list) {
    const char *shop = cJSON_GetStringValue(cJSON_GetObjectItem(o, "shop"));
    const char *id = cJSON_GetStringValue(cJSON_GetObjectItem(o, "order_id"));
    cJSON *line = cJSON_GetArrayItem(cJSON_GetObjectItem(o, "lines"), 0);

    ASSERT(shop && id && line);
    ASSERT_EQ(q(db,
                "SELECT count(*) FROM \"order\" o JOIN shop s ON s.id = o.shop_id"
                " JOIN order_line l ON l.order_id = o.id AND l.line_no = 1"
                " WHERE s.name = '%s' AND o.mp_order_id = '%s' AND o.status = '%s'"
                " AND o.stock_effect = '%s' AND l.sku = '%s' AND l.quantity = %.0f"
                " AND ocop_date_at(o.created_at)::text = '%s'",
                shop, id, cJSON_GetStringValue(cJSON_GetObjectItem(o, "status")),
                cJSON_GetStringValue(cJSON_GetObjectItem(o, "stock_effect")),
                cJSON_GetStringValue(cJSON_GetObjectItem(line, "sku")),
                cJSON_GetNumberValue(cJSON_GetObjectItem(line, "qty")),
                cJSON_GetStringValue(cJSON_GetObjectItem(o, "ocop_date"))),
              1);
  }
}

static int count_of(cJSON *j) {
  int n = cJSON_GetArraySize(j);

  cJSON_Delete(j);
  return n;
}

TEST_IMPL(ctl_orders_by_shop_product_status_and_day) {
  struct fixture f;
  char *day, *out, *err;
  cJSON *all;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "ctl_orders");
  sim_order(&f, "shopee", ITEST_SHOP_ID, "READY_TO_SHIP", SKU, 3);
  sim_order(&f, "shopee", ITEST_SHOP_ID, "UNPAID", "OCP-BKN-001", 2);
  sim_order(&f, "tiktok", "ROW_itest", "AWAITING_SHIPMENT", SKU, 1);
  wait_sql(f.db, "SELECT count(*) FROM \"order\"", 3, 20000);

  all = ctl_json(f.conninfo, "orders", NULL, NULL);
  ASSERT_EQ(cJSON_GetArraySize(all), 3);
  check_orders(f.db, all);
  cJSON_Delete(all);
  ASSERT_EQ(count_of(ctl_json(f.conninfo, "orders", "--shop", "shopee-test")), 2);
  ASSERT_EQ(count_of(ctl_json(f.conninfo, "orders", "--product", SKU)), 2);
  ASSERT_EQ(count_of(ctl_json(f.conninfo, "orders", "--sku", "OCP-BKN-001")), 1);
  ASSERT_EQ(count_of(ctl_json(f.conninfo, "orders", "--status", "unpaid")), 1);
  ASSERT_EQ(count_of(ctl_json(f.conninfo, "orders", "--status", "sold")), 2);
  ASSERT_EQ(count_of(ctl_json(f.conninfo, "orders", "--limit", "1")), 1);
  /* Days are OCOP days of when the order was recorded, both ends kept. */
  day = itest_sql_text(f.db, "SELECT min(ocop_date_at(created_at))::text FROM \"order\"");
  ASSERT_EQ(count_of(ctl_json(f.conninfo, "orders", "--since", day)), 3);
  ASSERT_EQ(count_of(ctl_json(f.conninfo, "orders", "--until", day)),
            (int)q(f.db, "SELECT count(*) FROM \"order\" WHERE ocop_date_at(created_at) <= '%s'",
                   day));
  ASSERT_EQ(count_of(ctl_json(f.conninfo, "orders", "--since", "2999-01-01")), 0);
  ASSERT_EQ(count_of(ctl_json(f.conninfo, "orders", "--until", "2000-01-01")), 0);
  /* The text form: one line per order, then the count. */
  ASSERT_EQ(ctl(f.conninfo, &out, &err, "orders", "--shop", "tiktok-test", NULL), 0);
  ASSERT(strstr(out, "AWAITING_SHIPMENT") != NULL);
  ASSERT(strstr(out, SKU " x1 @45000") != NULL);
  ASSERT(strstr(out, "+07:00") != NULL);
  ASSERT(strstr(out, "\n1 order\n") != NULL);
  free(out), free(err), free(day);
  fixture_down(&f);
  return TEST_OK;
}

/* ---- stock ------------------------------------------------------------- */

/* What the Shopee simulator shows for the SKU, or -1. */
static long long shopee_stock(struct fixture *f, const char *sku) {
  cJSON *items = itest_sim_items(&f->sim), *it;
  long long n = -1;

  cJSON_ArrayForEach(it, items)
    if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "item_sku")), sku) == 0)
      n = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(it, "stock"));
  cJSON_Delete(items);
  return n;
}

struct shown {
  struct fixture *f;
  long long want;
};

/* Shopee's simulator shows the count, and every listing of the SKU (Shopee
 * and TikTok) was last told it. */
static int stock_shown(void *arg) {
  struct shown *s = arg;

  return shopee_stock(s->f, SKU) == s->want &&
         q(s->f->db,
           "SELECT count(*) FROM listing_variant lv JOIN listing l ON l.id = lv.listing_id"
           " JOIN variant v ON v.id = lv.variant_id WHERE v.sku = '" SKU "'"
           " AND l.item_id IS NOT NULL AND lv.sent_stock = %lld",
           s->want) == 2;
}

TEST_IMPL(ctl_stock_set_reaches_every_marketplace_and_refuses_below_reserved) {
  struct fixture f;
  struct shown s = {&f, 40};
  char *out, *err;
  cJSON *show, *v, *ch;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "ctl_stock");
  ASSERT_EQ(ctl(f.conninfo, &out, &err, "stock", "set", SKU, "40", "--reason",
                "shelf count, store 2", NULL),
            0);
  ASSERT(strstr(out, SKU ": on hand 40 (+15, stocktake)") != NULL);
  free(out), free(err);
  ASSERT_EQ(q(f.db, "SELECT count(*) FROM stock_ledger l JOIN variant v ON v.id = l.variant_id"
                    " WHERE v.sku = '" SKU "' AND l.reason = 'stocktake' AND l.delta = 15"
                    " AND l.note = 'shelf count, store 2'"),
            1);
  ASSERT(itest_wait(stock_shown, &s, 20000));

  /* An unpaid order holds 5: on hand may not go below them. */
  sim_order(&f, "shopee", ITEST_SHOP_ID, "UNPAID", SKU, 5);
  wait_sql(f.db, "SELECT reserved FROM stock_level s JOIN variant v ON v.id = s.variant_id"
                 " WHERE v.sku = '" SKU "'", 5, 20000);
  ASSERT_EQ(ctl(f.conninfo, &out, &err, "stock", "adjust", SKU, "-38", "--reason", "broken",
                NULL),
            1);
  ASSERT_STR_EQ(err, "ocopctl: stock: " SKU
                     ": on hand would be 2, below the 5 reserved by unpaid orders\n");
  free(out), free(err);
  ASSERT_EQ(ctl(f.conninfo, &out, &err, "stock", "set", SKU, "4", "--reason", "count", NULL), 1);
  free(out), free(err);
  ASSERT_EQ(q(f.db, "SELECT count(*) FROM stock_ledger WHERE reason IN ('stocktake',"
                    " 'correction')"),
            1);
  /* A correction within what is free goes through, and out again. */
  ASSERT_EQ(ctl(f.conninfo, &out, &err, "stock", "adjust", SKU, "-3", "--reason",
                "3 jars broken in transit", NULL),
            0);
  free(out), free(err);
  s.want = 40 - 3 - 5;
  ASSERT(itest_wait(stock_shown, &s, 20000));

  show = ctl_json(f.conninfo, "stock", "show", SKU);
  v = cJSON_GetArrayItem(show, 0);
  ASSERT_EQ(cJSON_GetArraySize(show), 1);
  ASSERT_EQ((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(v, "on_hand")), 37);
  ASSERT_EQ((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(v, "reserved")), 5);
  ASSERT_EQ((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(v, "available")), 32);
  cJSON_ArrayForEach(ch, cJSON_GetObjectItem(v, "channels")) {
    ASSERT_EQ((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(ch, "last_told")), 32);
    ASSERT_EQ((long long)cJSON_GetNumberValue(cJSON_GetObjectItem(ch, "buffer")), 0);
  }
  ASSERT_STR_EQ(cJSON_GetStringValue(cJSON_GetObjectItem(
                    cJSON_GetArrayItem(cJSON_GetObjectItem(v, "ledger"), 0), "note")),
                "3 jars broken in transit");
  cJSON_Delete(show);
  fixture_down(&f);
  return TEST_OK;
}

/* ---- the catalogue's stock column ---------------------------------------- */

/* Writes the sample to path, plus a 2 kg bag of OCP-DKN-001 (33 in stock)
 * when add_variant. */
static void sample_copy(const char *path, int add_variant) {
  char src[1024], line[8192], extra[8192] = "";
  const char *top = getenv("top_srcdir");
  FILE *in, *out;

  snprintf(src, sizeof src, "%s/tests/data/ocop-sample.csv", top ? top : ".");
  in = fopen(src, "r");
  out = fopen(path, "w");
  ASSERT(in && out);
  while (fgets(line, sizeof line, in)) {
    char *at = strstr(line, ",340000,120,");
    char *sku = strstr(line, ",OCP-DKN-001-1KG,1 kg,");

    fputs(line, out);
    if (add_variant && at && sku)
      snprintf(extra, sizeof extra, "%.*s,640000,33,%.*s,OCP-DKN-001-2KG,2 kg,%s",
               (int)(at - line), line, (int)(sku - at - 12), at + 12, sku + 22);
  }
  fputs(extra, out);
  fclose(in);
  fclose(out);
}

static long long on_hand(PGconn *db, const char *sku) {
  return q(db, "SELECT on_hand FROM stock_level s JOIN variant v ON v.id = s.variant_id"
               " WHERE v.sku = '%s'", sku);
}

TEST_IMPL(ctl_reimport_keeps_sold_stock_unless_stocktake) {
  const char *conninfo, *dir;
  char old[512], grown[512], *out, *err, want[1024];
  PGconn *db;

  if (itest_need_pg())
    return TEST_SKIP;
  conninfo = itest_db_create("ctl_reimport");
  db = itest_connect(conninfo);
  itest_load_sample(conninfo, db, DAY);
  dir = itest_workdir("ctl_reimport");
  snprintf(old, sizeof old, "%s/ocop-sample.csv", dir);
  snprintf(grown, sizeof grown, "%s/grown.csv", dir);
  sample_copy(old, 0);
  sample_copy(grown, 1);
  /* A sale of 3 through the order path. */
  PQclear(itest_sql(db, "INSERT INTO shop (name, marketplace) VALUES ('t-shop', 'shopee')"));
  PQclear(itest_sql(db, "SELECT * FROM ocop_ingest_orders((SELECT id FROM shop),"
                        " '{\"orders\": [{\"id\": \"A1\", \"status\": \"COMPLETED\","
                        " \"effect\": \"sold\", \"update_time\": 1764000000,"
                        " \"lines\": [{\"sku\": \"" SKU "\", \"qty\": 3}]}]}', '{}', NULL, 3)"));
  ASSERT_EQ(on_hand(db, SKU), 22);

  /* The old file again: the sale stands, and the import says why. */
  ASSERT_EQ(ctl(conninfo, &out, &err, "import", old, NULL), 0);
  ASSERT(strstr(out, "  stock adjustments: 0\n") != NULL);
  snprintf(want, sizeof want,
           "%s: stock column ignored for 1 existing variant (their stock moved since;"
           " use --stocktake to set it)\n",
           old);
  ASSERT(strstr(out, want) != NULL);
  free(out), free(err);
  ASSERT_EQ(on_hand(db, SKU), 22);

  /* A new variant gets its opening balance; the old ones stay. */
  ASSERT_EQ(ctl(conninfo, &out, &err, "import", grown, NULL), 0);
  ASSERT(strstr(out, "  stock adjustments: 1\n") != NULL);
  ASSERT(strstr(out, "stock column ignored for 1 existing variant") != NULL);
  free(out), free(err);
  ASSERT_EQ(on_hand(db, "OCP-DKN-001-2KG"), 33);
  ASSERT_EQ(on_hand(db, SKU), 22);
  ASSERT_EQ(q(db, "SELECT count(*) FROM stock_ledger l JOIN variant v ON v.id = l.variant_id"
                  " WHERE v.sku = 'OCP-DKN-001-2KG' AND l.reason = 'import' AND l.delta = 33"),
            1);

  /* --stocktake: the file's count is what is on the shelf. */
  ASSERT_EQ(ctl(conninfo, &out, &err, "import", grown, "--stocktake", NULL), 0);
  ASSERT(strstr(out, "  stock adjustments: 1\n") != NULL);
  ASSERT(strstr(out, "ignored") == NULL);
  free(out), free(err);
  ASSERT_EQ(on_hand(db, SKU), 25);
  ASSERT_EQ(q(db, "SELECT count(*) FROM stock_ledger l JOIN variant v ON v.id = l.variant_id"
                  " WHERE v.sku = '" SKU "' AND l.reason = 'stocktake' AND l.delta = 3"
                  " AND l.note = 'stocktake from catalogue file grown.csv'"),
            1);
  PQfinish(db);
  return TEST_OK;
}

/* ---- certificates ---------------------------------------------------------- */

struct item_state {
  struct fixture *f;
  const char *status; /* NORMAL or UNLIST */
};

static int shopee_item_is(void *arg) {
  struct item_state *s = arg;
  cJSON *items = itest_sim_items(&s->f->sim), *it;
  int ok = 0;

  cJSON_ArrayForEach(it, items)
    if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "item_sku")), SKU) == 0)
      ok = strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(it, "item_status")), s->status) == 0;
  cJSON_Delete(items);
  return ok;
}

TEST_IMPL(ctl_cert_revoke_delists_the_same_day_and_decide_lists_again) {
  struct fixture f;
  struct item_state s = {&f, "UNLIST"};
  char *out, *err;
  cJSON *show, *c;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "ctl_cert");
  s.status = "NORMAL";
  ASSERT(itest_wait(shopee_item_is, &s, 20000));

  /* Before the certificate's decision (2025-01-10): refused, nothing kept. */
  ASSERT_EQ(ctl(f.conninfo, &out, &err, "cert", "revoke", SKU, "--decision", "55/QĐ-UBND",
                "--on", "2024-12-31", NULL),
            1);
  ASSERT(strncmp(err, "ocopctl: cert: " SKU ": no recognition decided on or before", 52) == 0);
  free(out), free(err);

  ASSERT_EQ(ctl(f.conninfo, &out, &err, "cert", "revoke", SKU, "--decision", "55/QĐ-UBND",
                "--on", DAY, "--reason", "false origin claims", NULL),
            0);
  ASSERT(strstr(out, "revoked from " DAY " by decision 55/QĐ-UBND") != NULL);
  free(out), free(err);
  s.status = "UNLIST";
  ASSERT(itest_wait(shopee_item_is, &s, 20000));

  ASSERT_EQ(ctl(f.conninfo, &out, &err, "cert", "show", SKU, NULL), 0);
  ASSERT(strstr(out, "revoked from " DAY " by decision 55/QĐ-UBND: false origin claims") != NULL);
  free(out), free(err);
  show = ctl_json(f.conninfo, "cert", "show", SKU);
  ASSERT_STR_EQ(cJSON_GetStringValue(cJSON_GetObjectItem(show, "state")), "revoked");
  c = cJSON_GetArrayItem(cJSON_GetObjectItem(show, "certificates"), 0);
  ASSERT_STR_EQ(cJSON_GetStringValue(cJSON_GetObjectItem(c, "revocation_decision_no")),
                "55/QĐ-UBND");
  cJSON_Delete(show);

  /* A new recognition decision the same day: listed again. */
  ASSERT_EQ(ctl(f.conninfo, &out, &err, "cert", "decide", SKU, "--stars", "4", "--decision",
                "60/QĐ-UBND", "--on", DAY, NULL),
            0);
  ASSERT(strstr(out, "4 stars, valid " DAY " to 2029-11-25") != NULL);
  free(out), free(err);
  s.status = "NORMAL";
  ASSERT(itest_wait(shopee_item_is, &s, 20000));
  ASSERT_EQ(q(f.db, "SELECT count(*) FROM product_eligibility e JOIN product p"
                    " ON p.id = e.product_id WHERE p.code = '" SKU "' AND e.eligible"
                    " AND e.decision_no = '60/QĐ-UBND' AND e.stars = 4"),
            1);
  /* The same decision twice is one decision. */
  ASSERT_EQ(ctl(f.conninfo, &out, &err, "cert", "decide", SKU, "--stars", "4", "--decision",
                "60/QĐ-UBND", "--on", DAY, NULL),
            1);
  ASSERT_STR_EQ(err, "ocopctl: cert: " SKU ": decision 60/QĐ-UBND of " DAY
                     " is already recorded\n");
  free(out), free(err);
  fixture_down(&f);
  return TEST_OK;
}

/* ---- bad command lines ------------------------------------------------------ */

static const struct {
  int status;
  const char *argv[14];
} bad_lines[] = {
    {2, {"orders", "--bogus"}},
    {2, {"orders", "--since", "garbage"}},
    {2, {"orders", "--until", "2026-02-30"}},
    {2, {"orders", "--limit", "ten"}},
    {2, {"orders", "--limit", "0"}},
    {2, {"orders", "--shop"}},
    {1, {"orders", "--shop", "nope"}},
    {1, {"orders", "--product", "OCP-NOPE-001"}},
    {1, {"orders", "--sku", "NOPE"}},
    {2, {"stock"}},
    {2, {"stock", "count"}},
    {2, {"stock", "show", "--bogus"}},
    {1, {"stock", "show", "NOPE"}},
    {1, {"stock", "show", "--product", "NOPE"}},
    {2, {"stock", "set", SKU, "10"}},
    {2, {"stock", "set", SKU, "ten", "--reason", "x"}},
    {2, {"stock", "set", SKU, "-1", "--reason", "x"}},
    {2, {"stock", "adjust", SKU, "0", "--reason", "x"}},
    {2, {"stock", "adjust", SKU, "5x", "--reason", "x"}},
    {2, {"stock", "adjust", SKU, "5", "--reason", "x", "--force"}},
    {1, {"stock", "adjust", "NOPE", "5", "--reason", "x"}},
    {1, {"stock", "adjust", SKU, "-500", "--reason", "x"}},
    {1, {"stock", "adjust", SKU, "5", "--reason", "   "}},
    {2, {"cert"}},
    {2, {"cert", "burn", SKU}},
    {2, {"cert", "show"}},
    {2, {"cert", "show", SKU, "--bogus"}},
    {1, {"cert", "show", "NOPE"}},
    {2, {"cert", "revoke", SKU, "--on", DAY}},
    {2, {"cert", "revoke", SKU, "--decision", "1/QĐ", "--on", "yesterday"}},
    {1, {"cert", "revoke", "NOPE", "--decision", "1/QĐ", "--on", DAY}},
    {2, {"cert", "decide", SKU, "--stars", "2", "--decision", "1/QĐ", "--on", DAY}},
    {2, {"cert", "decide", SKU, "--stars", "4", "--decision", "1/QĐ", "--on", DAY,
         "--valid-until", "2026-13-01"}},
    {1, {"cert", "decide", SKU, "--stars", "4", "--decision", "1/QĐ", "--on", DAY,
         "--valid-until", "2020-01-01"}},
    {2, {"certs", "--state", "lapsed"}},
    {2, {"certs", "--within", "soon"}},
    {2, {"certs", "--bogus"}},
    {2, {"alerts", "--since", "garbage"}},
    {2, {"alerts", "--since", "2026-02-29"}},
    {2, {"alerts", "--bogus"}},
    {2, {"import"}},
    {1, {"import", "/nonexistent/catalogue.csv"}},
    {2, {"category", "frob"}},
    {2, {"category", "list", "--marketplace"}},
    {1, {"category", "rules", "nope"}},
    {2, {"attribute", "frob"}},
    {2, {"product", "attribute", SKU}},
    {1, {"product", "attribute", "NOPE", "brand", "X"}},
    {2, {"images", "--bogus"}},
    {1, {"images", "--product", "NOPE"}},
    {2, {"status", "--bogus"}},
    {2, {"clock", "pin", "garbage"}},
    {2, {"clock", "pin", "2026-02-30"}},
    {2, {"clock", "frob"}},
    {2, {"listings"}},
    {1, {"listings", "--shop", "nope"}},
    {1, {"listings", "--problems", "--shop", "nope"}},
    {2, {"shop", "frob"}},
    {1, {"shop", "pause", "nope"}},
    {1, {"shop", "assortment", "nope"}},
    /* A name or an address of the wrong shape, an unknown marketplace or a
     * missing option is a wrong command line. */
    {2, {"shop", "add", "Bad Name", "--marketplace", "shopee", "--shop-id", "1", "--app-key", "k",
         "--base-url", "http://x", "--option", "logistic_id=1"}},
    {2, {"shop", "add", "good", "--marketplace", "ebay", "--shop-id", "1", "--app-key", "k",
         "--base-url", "http://x"}},
    {2, {"shop", "add", "good", "--marketplace", "shopee", "--shop-id", "1", "--app-key", "k",
         "--base-url", "http://x"}},
    {2, {"shop", "add", "good", "--marketplace", "shopee", "--shop-id", "1", "--app-key", "k",
         "--base-url", "not a url", "--option", "logistic_id=1"}},
};

TEST_IMPL(ctl_bad_command_lines_get_one_clear_line) {
  const char *conninfo;
  size_t i;
  PGconn *db;
  int failed = 0;

  if (itest_need_pg())
    return TEST_SKIP;
  conninfo = itest_db_create("ctl_bad");
  db = itest_connect(conninfo);
  itest_load_sample(conninfo, db, DAY);
  for (i = 0; i < sizeof bad_lines / sizeof bad_lines[0]; i++) {
    const char *argv[18] = {"ocopctl", "-d", conninfo};
    char *out = NULL, *err = NULL, *nl;
    int k, rc;

    for (k = 0; k < 14 && bad_lines[i].argv[k]; k++)
      argv[3 + k] = bad_lines[i].argv[k];
    rc = itest_run(argv, &out, &err);
    nl = err ? strchr(err, '\n') : NULL;
    if (rc != bad_lines[i].status || !err || strncmp(err, "ocopctl: ", 9) != 0 || !nl ||
        nl[1] != '\0' || strstr(err, "ERROR:") || strstr(err, "SQLSTATE") ||
        strstr(err, "syntax") || strstr(err, "violates") || strstr(err, "relation \"")) {
      fprintf(stderr, "bad line %zu (%s %s ...): exit %d (want %d), stderr: %s", i,
              bad_lines[i].argv[0], bad_lines[i].argv[1] ? bad_lines[i].argv[1] : "", rc,
              bad_lines[i].status, err ? err : "(none)\n");
      failed++;
    }
    free(out);
    free(err);
  }
  /* Nothing was written by any of them. */
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM stock_ledger WHERE reason IN"
                              " ('stocktake', 'correction')"),
            0);
  ASSERT_EQ(failed, 0);
  PQfinish(db);
  return TEST_OK;
}
