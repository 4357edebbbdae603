/*
 * test_lifecycle.c — the certificate lifecycle on a real PostgreSQL: states
 * of the sample catalogue, the OCOP date and its day boundary, 36-month
 * validity, revocation, re-certification, grace, expiry warnings, refusals
 * of contradictory certificates, the strip fallback, and the ocopctl certs
 * and alerts commands. Each test makes its own database and checks with SQL.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define TODAY "2026-11-25"
#define TIERS "'{210,180,135,120,60,30,7,1}'"

/* ---- helpers -------------------------------------------------------------- */

/* A migrated, empty database; the OCOP date is pinned per session by tests. */
static PGconn *empty_db(const char *tag, const char **conninfo) {
  const char *argv[] = {"ocopctl", "-d", NULL, "migrate", NULL};
  char *err = NULL;
  int rc;

  *conninfo = itest_db_create(tag);
  argv[2] = *conninfo;
  rc = itest_run(argv, NULL, &err);
  if (rc != 0)
    fprintf(stderr, "ocopctl migrate: %s\n", err);
  ASSERT_EQ(rc, 0);
  free(err);
  return itest_connect(*conninfo);
}

static PGconn *sample_db(const char *tag, const char **conninfo) {
  PGconn *conn;

  *conninfo = itest_db_create(tag);
  conn = itest_connect(*conninfo);
  itest_load_sample(*conninfo, conn, TODAY);
  return conn;
}

/* One producer and product X-1 without certificates, for hand-made rows. */
static void add_bare_product(PGconn *conn) {
  PQclear(itest_sql(conn, "INSERT INTO producer (name, kind) VALUES ('HTX thử', 'cooperative')"));
  PQclear(itest_sql(conn, "INSERT INTO product (code, name_vi, producer_id, category_code) "
                          "SELECT 'X-1', 'Sản phẩm thử', id, 'I.2.b' FROM producer"));
  PQclear(itest_sql(conn, "INSERT INTO variant (product_id, sku, price_vnd) "
                          "SELECT id, code, 1000 FROM product WHERE code = 'X-1'"));
}

static char *state_of(PGconn *conn, const char *code) {
  char sql[256];

  snprintf(sql, sizeof sql,
           "SELECT e.state || ' ' || e.eligible || ' ' || coalesce(e.stars::text, '-') "
           "FROM product_eligibility e JOIN product p ON p.id = e.product_id WHERE p.code = '%s'",
           code);
  return itest_sql_text(conn, sql);
}

#define ASSERT_STATE(conn, code, want)    \
  do {                                    \
    char *got_ = state_of(conn, code);    \
    ASSERT_STR_EQ(got_, want);            \
    free(got_);                           \
  } while (0)

/* Runs SQL that must fail with check_violation and exactly this message. */
static void expect_refused(PGconn *conn, const char *sql, const char *message) {
  PGresult *r = PQexec(conn, sql);

  ASSERT_EQ(PQresultStatus(r), PGRES_FATAL_ERROR);
  ASSERT_STR_EQ(PQresultErrorField(r, PG_DIAG_SQLSTATE), "23514");
  ASSERT_STR_EQ(PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY), message);
  PQclear(r);
}

/* The rows of a query joined by spaces: "a 1 b 2". */
static char *rows_text(PGconn *conn, const char *sql) {
  char wrapped[2048];

  snprintf(wrapped, sizeof wrapped,
           "SELECT coalesce(string_agg(x, ' '), '') FROM (%s) AS q(x)", sql);
  return itest_sql_text(conn, wrapped);
}

#define ASSERT_ROWS(conn, sql, want)      \
  do {                                    \
    char *got_ = rows_text(conn, sql);    \
    ASSERT_STR_EQ(got_, want);            \
    free(got_);                           \
  } while (0)

/* The first word of every line of ocopctl output after its header line. */
static char *first_words(const char *out) {
  size_t cap = strlen(out) + 1, len = 0;
  char *words = calloc(cap, 1);
  const char *line = strchr(out, '\n');

  ASSERT_NOT_NULL(words);
  while (line && line[1]) {
    size_t n;

    line++;
    n = strcspn(line, " \n");
    if (len)
      words[len++] = ' ';
    memcpy(words + len, line, n);
    len += n;
    line = strchr(line, '\n');
  }
  words[len] = '\0';
  return words;
}

static int ctl(const char *conninfo, const char *a, const char *b, const char *c, char **out,
               char **err) {
  const char *argv[] = {"ocopctl", "-d", conninfo, a, b, c, NULL};

  return itest_run(argv, out, err);
}

/* ---- the sample on 2026-11-25 (docs/ocop-rules.md, "The sample catalogue") */

static const struct {
  const char *code, *state;
} expected[] = {
    {"OCP-BKN-001", "certified"},      {"OCP-TNG-001", "certified"},
    {"OCP-TNG-002", "certified"},      {"OCP-QNH-001", "certified"},
    {"OCP-QNM-001", "certified"},      {"OCP-QNM-002", "certified"},
    {"OCP-PTO-001", "certified"},      {"OCP-HDG-001", "certified"},
    {"OCP-QNG-001", "certified"},      {"OCP-QNG-002", "certified"},
    {"OCP-QNG-003", "certified"},      {"OCP-QNG-004", "certified"},
    {"OCP-NAN-001", "certified"},      {"OCP-NAN-002", "certified"},
    {"OCP-LDG-001", "certified"},      {"OCP-LDG-002", "certified"},
    {"OCP-LDG-003", "certified"},      {"OCP-LDG-004", "certified"},
    {"OCP-DKN-001", "certified"},      {"OCP-DKN-002", "certified"},
    {"OCP-DKN-003", "certified"},      {"OCP-DKN-004", "certified"},
    {"OCP-DKN-005", "certified"},      {"OCP-BTN-001", "certified"},
    {"OCP-BTN-002", "certified"},      {"OCP-BTE-001", "certified"},
    {"OCP-TBH-001", "renewal_window"}, {"OCP-HNI-001", "expiring_soon"},
    {"OCP-TBH-003", "expiring_soon"},  {"OCP-TBH-004", "expiring_soon"},
    {"OCP-TBH-002", "expiring_soon"},  {"OCP-QNH-002", "expiring_soon"},
    {"OCP-TBH-005", "expiring_soon"},  {"OCP-TBH-006", "expired"},
    {"OCP-THA-001", "expired"},        {"OCP-KGG-001", "expired"},
    {"OCP-TVH-001", "expired"},        {"OCP-HTH-901", "revoked"},
    {"OCP-TQG-901", "rated_below_3"},  {"OCP-LCI-901", "rated_below_3"},
    {"OCP-TQG-902", "never_eligible"}, {"OCP-KHA-901", "never_eligible"},
};

TEST_IMPL(sample_states_on_2026_11_25) {
  const char *conninfo;
  PGconn *conn;
  size_t i, n = sizeof expected / sizeof expected[0];

  if (itest_need_pg())
    return TEST_SKIP;
  conn = sample_db("lc_states", &conninfo);
  ASSERT_EQ(n, 42);
  ASSERT_EQ(itest_sql_int(conn, "SELECT count(*) FROM product_eligibility"), 42);
  for (i = 0; i < n; i++) {
    const char *s = expected[i].state;
    int eligible = strcmp(s, "certified") == 0 || strcmp(s, "renewal_window") == 0 ||
                   strcmp(s, "expiring_soon") == 0;
    char sql[256], want[64], *got;

    snprintf(sql, sizeof sql,
             "SELECT e.state || ' ' || e.eligible FROM product_eligibility e "
             "JOIN product p ON p.id = e.product_id WHERE p.code = '%s'",
             expected[i].code);
    snprintf(want, sizeof want, "%s %s", s, eligible ? "true" : "false");
    got = itest_sql_text(conn, sql);
    if (strcmp(got, want) != 0)
      fprintf(stderr, "%s: got \"%s\", want \"%s\"\n", expected[i].code, got, want);
    ASSERT_STR_EQ(got, want);
    free(got);
  }
  PQfinish(conn);
  return TEST_OK;
}

/* ---- the OCOP date -------------------------------------------------------- */

TEST_IMPL(day_boundary_in_ho_chi_minh_whatever_the_timezone) {
  static const char *const zones[] = {"UTC", "America/New_York", "Asia/Tokyo"};
  const char *conninfo;
  PGconn *conn;
  size_t i;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = empty_db("lc_day", &conninfo);
  for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
    char sql[128];

    snprintf(sql, sizeof sql, "SET TimeZone = '%s'", zones[i]);
    PQclear(itest_sql(conn, sql));
    ASSERT_ROWS(conn, "SELECT ocop_date_at('2026-11-24 16:59:59.999+00')::text", "2026-11-24");
    ASSERT_ROWS(conn, "SELECT ocop_date_at('2026-11-24 17:00:00+00')::text", "2026-11-25");
    ASSERT_ROWS(conn, "SELECT ocop_date_at('2026-11-25 00:00:00+07')::text", "2026-11-25");
    /* Unpinned, today is the Ho Chi Minh date of now(). */
    ASSERT_EQ(itest_sql_int(conn, "SELECT (ocop_today() = (now() AT TIME ZONE "
                                  "'Asia/Ho_Chi_Minh')::date)::int"), 1);
  }
  ASSERT_EQ(itest_sql_int(conn, "SELECT (provolatile = 'i')::int FROM pg_proc "
                                "WHERE proname = 'ocop_date_at'"),
            1);

  /* valid_until is the last valid day, inclusive. */
  add_bare_product(conn);
  PQclear(itest_sql(conn, "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
                          "SELECT id, 4, '1/QĐ-UBND', '2023-11-25' FROM product"));
  itest_pin_date(conn, "2026-11-25");
  ASSERT_STATE(conn, "X-1", "expiring_soon true 4");
  itest_pin_date(conn, "2026-11-26");
  ASSERT_STATE(conn, "X-1", "expired false 4");
  PQfinish(conn);
  return TEST_OK;
}

TEST_IMPL(validity_defaults_to_36_calendar_months) {
  const char *conninfo;
  PGconn *conn;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = empty_db("lc_36m", &conninfo);
  add_bare_product(conn);
  PQclear(itest_sql(conn, "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
                          "SELECT p.id, 3, d.no, d.day::date FROM product p, (VALUES "
                          "('1', '2024-02-29'), ('2', '2023-08-31'), ('3', '2023-05-31'), "
                          "('4', '2024-01-31')) AS d(no, day)"));
  ASSERT_ROWS(conn,
              "SELECT decision_date || '>' || valid_from || '..' || valid_until FROM certificate "
              "ORDER BY decision_no",
              "2024-02-29>2024-02-29..2027-02-28 2023-08-31>2023-08-31..2026-08-31 "
              "2023-05-31>2023-05-31..2026-05-31 2024-01-31>2024-01-31..2027-01-31");
  PQfinish(conn);
  return TEST_OK;
}

/* ---- revocation, re-certification, grace ------------------------------------ */

TEST_IMPL(revocation_takes_effect_on_its_day) {
  const char *conninfo;
  PGconn *conn;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = empty_db("lc_revoke", &conninfo);
  add_bare_product(conn);
  itest_pin_date(conn, "2026-11-25");
  PQclear(itest_sql(conn, "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
                          "SELECT id, 4, '7/QĐ-UBND', '2025-03-01' FROM product"));
  ASSERT_STATE(conn, "X-1", "certified true 4");
  PQclear(itest_sql(conn, "UPDATE certificate SET revoked_on = '2026-11-26', "
                          "revocation_decision_no = '9/QĐ-UBND'"));
  ASSERT_STATE(conn, "X-1", "certified true 4");
  PQclear(itest_sql(conn, "UPDATE certificate SET revoked_on = ocop_today()"));
  ASSERT_STATE(conn, "X-1", "revoked false 4");
  PQfinish(conn);
  return TEST_OK;
}

TEST_IMPL(recertification_after_a_gap_and_upgrade) {
  const char *conninfo;
  PGconn *conn;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = empty_db("lc_recert", &conninfo);
  add_bare_product(conn);
  itest_pin_date(conn, "2026-03-01");
  PQclear(itest_sql(conn, "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
                          "SELECT id, 3, 'old', '2023-01-10' FROM product"));
  ASSERT_STATE(conn, "X-1", "expired false 3");
  /* A new decision after the gap: its own 36 months, its own stars. */
  PQclear(itest_sql(conn, "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
                          "SELECT id, 4, 'new', '2026-02-20' FROM product"));
  ASSERT_STATE(conn, "X-1", "certified true 4");
  ASSERT_ROWS(conn, "SELECT valid_until::text FROM product_eligibility", "2029-02-20");

  /* An upgrade while the 3-star certificate is still valid shows 4 stars. */
  PQclear(itest_sql(conn, "DELETE FROM certificate"));
  PQclear(itest_sql(conn, "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
                          "SELECT id, 3, 'three', '2025-01-01' FROM product"));
  ASSERT_STATE(conn, "X-1", "certified true 3");
  PQclear(itest_sql(conn, "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
                          "SELECT id, 4, 'four', '2026-01-15' FROM product"));
  ASSERT_STATE(conn, "X-1", "certified true 4");
  ASSERT_ROWS(conn, "SELECT decision_no FROM product_eligibility", "four");
  PQfinish(conn);
  return TEST_OK;
}

TEST_IMPL(grace_keeps_eligibility_up_to_180_days) {
  const char *conninfo;
  PGconn *conn;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = empty_db("lc_grace", &conninfo);
  add_bare_product(conn);
  itest_pin_date(conn, "2026-07-01");
  PQclear(itest_sql(conn, "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
                          "SELECT id, 4, '5/QĐ-UBND', '2023-06-01' FROM product"));
  ASSERT_STATE(conn, "X-1", "expired false 4");
  /* Grace counts only with a dossier on record. */
  PQclear(itest_sql(conn, "UPDATE certificate SET grace_until = '2026-11-28'"));
  ASSERT_STATE(conn, "X-1", "expired false 4");
  PQclear(itest_sql(conn, "UPDATE certificate SET reeval_filed_on = '2026-03-01'"));
  ASSERT_STATE(conn, "X-1", "grace true 4");
  itest_pin_date(conn, "2026-11-28");
  ASSERT_STATE(conn, "X-1", "grace true 4");
  itest_pin_date(conn, "2026-11-29");
  ASSERT_STATE(conn, "X-1", "expired false 4");
  expect_refused(conn, "UPDATE certificate SET grace_until = '2026-11-29'",
                 "certificate 5/QĐ-UBND of X-1: grace_until 2026-11-29 is outside "
                 "2026-06-01 … 2026-11-28 (at most 180 days after valid_until)");
  PQfinish(conn);
  return TEST_OK;
}

/* ---- contradictory rows ------------------------------------------------------- */

TEST_IMPL(contradictory_certificates_are_refused_clearly) {
  const char *conninfo;
  PGconn *conn;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = empty_db("lc_refuse", &conninfo);
  PQclear(itest_sql(conn, "INSERT INTO producer (name, kind) VALUES ('HTX', 'cooperative')"));
  PQclear(itest_sql(conn, "INSERT INTO product (code, name_vi, producer_id, category_code) "
                          "SELECT 'OCP-X-001', 'Thử', id, 'I.2.b' FROM producer"));
  expect_refused(conn,
                 "INSERT INTO certificate (product_id, stars, decision_no, decision_date, valid_from, "
                 "valid_until) SELECT id, 4, '12/QĐ-UBND', '2025-01-01', '2025-01-01', '2024-01-01' "
                 "FROM product",
                 "certificate 12/QĐ-UBND of OCP-X-001: valid_until 2024-01-01 is before valid_from "
                 "2025-01-01");
  expect_refused(conn,
                 "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
                 "SELECT id, 7, '12/QĐ-UBND', '2025-01-01' FROM product",
                 "certificate 12/QĐ-UBND of OCP-X-001: stars 7 is outside 1–5");
  expect_refused(conn,
                 "INSERT INTO certificate (product_id, stars, decision_no, decision_date, revoked_on) "
                 "SELECT id, 4, '12/QĐ-UBND', '2025-01-01', '2024-12-31' FROM product",
                 "certificate 12/QĐ-UBND of OCP-X-001: revoked_on 2024-12-31 is before the decision "
                 "date 2025-01-01");
  expect_refused(conn,
                 "INSERT INTO certificate (product_id, stars) SELECT id, 4 FROM product",
                 "certificate (no decision) of OCP-X-001: a 4-star recognition needs a decision "
                 "number and a decision date");
  expect_refused(conn,
                 "INSERT INTO certificate (product_id, stars, valid_until) "
                 "SELECT id, 2, '2027-01-01' FROM product",
                 "certificate (no decision) of OCP-X-001: a 2-star rating certifies nothing, so it "
                 "has no validity or revocation dates");
  /* An update that would contradict a good row is refused the same way. */
  PQclear(itest_sql(conn, "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
                          "SELECT id, 4, '12/QĐ-UBND', '2025-01-01' FROM product"));
  expect_refused(conn, "UPDATE certificate SET revoked_on = '2024-06-01'",
                 "certificate 12/QĐ-UBND of OCP-X-001: revoked_on 2024-06-01 is before the decision "
                 "date 2025-01-01");
  ASSERT_ROWS(conn, "SELECT valid_until::text FROM certificate", "2028-01-01");
  PQfinish(conn);
  return TEST_OK;
}

/* ---- expiry warnings ---------------------------------------------------------- */

#define WARNINGS "SELECT product_code || ':' || tier || ':' || days_left FROM ocop_expiry_warnings(" TIERS ")"

TEST_IMPL(expiry_warnings_fire_once_per_tier) {
  const char *conninfo;
  PGconn *conn;
  char *advice;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = sample_db("lc_warn", &conninfo);
  /* Each at the smallest tier at or above its days left; nothing for the
   * expired (TBH-006, THA-001, KGG-001, TVH-001) or revoked (HTH-901). */
  ASSERT_ROWS(conn, WARNINGS,
              "OCP-TBH-003:1:0 OCP-TBH-004:1:1 OCP-TBH-002:30:20 OCP-QNH-002:60:33 "
              "OCP-TBH-005:60:48 OCP-HNI-001:120:95 OCP-TBH-001:180:144");
  ASSERT_ROWS(conn, WARNINGS, "");
  ASSERT_EQ(itest_sql_int(conn, "SELECT count(*) FROM event WHERE kind = 'expiry_warning'"), 7);
  ASSERT_ROWS(conn,
              "SELECT e.action || '|' || e.reason || '|' || (e.dedupe_key = e.certificate_id || ':180')"
              " || '|' || (e.detail ->> 'days_left') || '|' || (e.detail ->> 'valid_until') "
              "FROM event e JOIN product p ON p.id = e.product_id WHERE p.code = 'OCP-TBH-001'",
              "warn|tier 180|true|144|2027-04-18");
  advice = itest_sql_text(conn, "SELECT detail ->> 'advice' FROM event e JOIN product p "
                                "ON p.id = e.product_id WHERE p.code = 'OCP-TBH-001'");
  ASSERT(strstr(advice, "file the re-evaluation dossier with the commune People's Committee now "
                        "(window closes 2026-12-19)") != NULL);
  free(advice);

  /* Another session (a second daemon, a restart) gets nothing either. */
  {
    PGconn *other = itest_connect(conninfo);

    ASSERT_ROWS(other, WARNINGS, "");
    PQfinish(other);
  }

  /* Sixteen days later only the next tiers fire. */
  itest_pin_date(conn, "2026-12-11");
  ASSERT_ROWS(conn, WARNINGS, "OCP-TBH-002:7:4 OCP-QNH-002:30:17 OCP-TBH-001:135:128");
  ASSERT_ROWS(conn, WARNINGS, "");
  PQfinish(conn);
  return TEST_OK;
}

/* ---- strip fallback ----------------------------------------------------------- */

/* Pending jobs of the listing of OCP-TBH-003 (expires on 2026-11-25). */
#define TBH003_JOBS                                                                   \
  "SELECT o.kind FROM outbox o JOIN listing l ON l.id = o.listing_id "               \
  "JOIN product p ON p.id = l.product_id WHERE p.code = 'OCP-TBH-003' "              \
  "AND o.state = 'pending' ORDER BY o.kind"

TEST_IMPL(strip_falls_back_to_delist_without_the_capability) {
  const char *conninfo;
  PGconn *conn;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = sample_db("lc_strip", &conninfo);
  PQclear(itest_sql(conn, "INSERT INTO shop (name, marketplace, mp_shop_id, policy) "
                          "VALUES ('general', 'shopee', '1', 'strip')"));
  itest_carry_all(conn, "general");
  /* Pretend everything was published as it is today. */
  PQclear(itest_sql(conn, "UPDATE outbox SET state = 'skipped' WHERE state = 'pending'"));
  PQclear(itest_sql(conn, "UPDATE listing l SET state = 'listed', item_id = 'i' || l.id, "
                          "sent_name = t.name, sent_description = t.description, "
                          "sent_stars = t.stars FROM listing_target t WHERE t.listing_id = l.id"));
  PQclear(itest_sql(conn, "UPDATE listing_variant lv SET remote_id = '0', sent_price = t.price, "
                          "sent_stock = t.stock FROM listing_variant_target t "
                          "WHERE t.listing_id = lv.listing_id AND t.variant_id = lv.variant_id"));
  ASSERT_EQ(itest_sql_int(conn, "SELECT ocop_sync(NULL, NULL)"), 0);

  /* The next day TBH-003 has lapsed. No capability row yet: strip. */
  itest_pin_date(conn, "2026-11-26");
  ASSERT_EQ(itest_sql_int(conn, "SELECT ocop_sync(NULL, NULL)") > 0, 1);
  ASSERT_ROWS(conn, TBH003_JOBS, "update");
  ASSERT_ROWS(conn, "SELECT effective_policy FROM listing_target t WHERE sku = 'OCP-TBH-003'",
              "strip");

  PQclear(itest_sql(conn, "INSERT INTO connector_caps (marketplace, can_strip) VALUES ('shopee', true)"));
  ASSERT_ROWS(conn, TBH003_JOBS, "update");

  /* The connector cannot strip: the claim goes by withdrawing the listing,
   * at once (the capability change re-derives the jobs). */
  PQclear(itest_sql(conn, "UPDATE connector_caps SET can_strip = false, updated_at = now()"));
  ASSERT_ROWS(conn, TBH003_JOBS, "delist");
  ASSERT_ROWS(conn, "SELECT policy || '>' || effective_policy FROM listing_target t "
                    "WHERE sku = 'OCP-TBH-003'",
              "strip>delist");
  /* Products still certified keep their listings untouched. */
  ASSERT_EQ(itest_sql_int(conn, "SELECT count(*) FROM outbox WHERE state = 'pending' AND kind = 'delist'"),
            1);

  PQclear(itest_sql(conn, "UPDATE connector_caps SET can_strip = true"));
  ASSERT_ROWS(conn, TBH003_JOBS, "update");
  PQfinish(conn);
  return TEST_OK;
}

/* ---- ocopctl certs and alerts ------------------------------------------------- */

TEST_IMPL(ctl_certs_and_alerts) {
  const char *conninfo;
  PGconn *conn;
  char *out = NULL, *err = NULL, *words;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = sample_db("lc_ctl", &conninfo);

  ASSERT_EQ(ctl(conninfo, "certs", "--state", "expiring_soon", &out, &err), 0);
  words = first_words(out);
  ASSERT_STR_EQ(words, "OCP-TBH-003 OCP-TBH-004 OCP-TBH-002 OCP-QNH-002 OCP-TBH-005 OCP-HNI-001");
  ASSERT(strstr(out, "OCP-HNI-001    expiring_soon       4 1037/QĐ-UBND        2027-02-28         95  ") != NULL);
  free(words), free(out), free(err);

  ASSERT_EQ(ctl(conninfo, "certs", "--within", "30", &out, &err), 0);
  words = first_words(out);
  ASSERT_STR_EQ(words, "OCP-TBH-003 OCP-TBH-004 OCP-TBH-002");
  free(words), free(out), free(err);

  ASSERT_EQ(ctl(conninfo, "certs", NULL, NULL, &out, &err), 0);
  ASSERT(strstr(out, "OCP-HTH-901    revoked") != NULL);
  ASSERT(strstr(out, "OCP-KHA-901    never_eligible") != NULL);
  free(out), free(err);

  ASSERT_EQ(ctl(conninfo, "certs", "--state", "lapsed", &out, &err), 2);
  ASSERT(strstr(err, "unknown state \"lapsed\"; valid states: certified renewal_window") != NULL);
  free(out), free(err);
  ASSERT_EQ(ctl(conninfo, "certs", "--within", "-3", &out, &err), 2);
  free(out), free(err);

  ASSERT_EQ(ctl(conninfo, "alerts", NULL, NULL, &out, &err), 0);
  ASSERT(strstr(out, "(none)") != NULL);
  free(out), free(err);

  ASSERT_EQ(itest_sql_int(conn, "SELECT count(*) FROM ocop_expiry_warnings(" TIERS ")"), 7);
  ASSERT_EQ(ctl(conninfo, "alerts", NULL, NULL, &out, &err), 0);
  /* A header and one line per warning, with the tier and days left then. */
  {
    const char *p;
    int lines = 0;

    for (p = out; *p; p++)
      lines += *p == '\n';
    ASSERT_EQ(lines, 1 + 7);
  }
  /* Fired on the pinned date, whatever the machine's clock says. */
  ASSERT(strstr(out, "2026-11-25 OCP-TBH-001    1102/QĐ-UBND         180       144  Xưởng chế biến thực phẩm "
                     "bánh kẹo Thiên Đức: file the re-evaluation dossier with the commune People's "
                     "Committee now (window closes 2026-12-19)\n") != NULL);
  ASSERT(strstr(out, "OCP-TBH-003    3341/QĐ-UBND           1         0  ") != NULL);
  ASSERT(strstr(out, "OCP-TBH-006") == NULL);
  free(out), free(err);

  ASSERT_EQ(ctl(conninfo, "alerts", "--since", "2999-01-01", &out, &err), 0);
  ASSERT(strstr(out, "(none)") != NULL);
  free(out), free(err);
  ASSERT_EQ(ctl(conninfo, "alerts", "--since", "2026-11-25", &out, &err), 0);
  ASSERT(strstr(out, "OCP-TBH-001") != NULL);
  free(out), free(err);
  /* A malformed date is a wrong command line, said in one line. */
  ASSERT_EQ(ctl(conninfo, "alerts", "--since", "not-a-date", &out, &err), 2);
  ASSERT_STR_EQ(err, "ocopctl: alerts: --since \"not-a-date\" is not a date YYYY-MM-DD\n");
  free(out), free(err);
  PQfinish(conn);
  return TEST_OK;
}
