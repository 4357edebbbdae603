/*
 * test_import.c — migrations and catalogue import against a real PostgreSQL.
 *
 * OCOP_TEST_PG is a conninfo to a cluster where the tests may CREATE
 * DATABASE (scripts/pgtmp start DIR prints one); without it the database
 * tests skip. Each test makes its own database ocop_t_<pid>_<n> and drops
 * it; databases left by crashed tests are dropped at the end of the run
 * (itest_drop_orphans, tests/itest/harness.c).
 * Test data comes from $top_srcdir/tests/data, ocopctl from $top_builddir.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libpq-fe.h>

#include "csv.h"
#include "import.h"
#include "logic.h"
#include "migrate.h"
#include "runner.h"

/* ---- helpers ------------------------------------------------------------ */

struct testdb {
  char name[64];
  PGconn *conn;
};

static int db_counter;

static PGconn *connect_to(const char *dbname) {
  const char *keys[] = {"dbname", "dbname", "client_encoding", NULL};
  const char *vals[] = {getenv("OCOP_TEST_PG"), dbname, "UTF8", NULL};
  PGconn *c;

  /* The first dbname is expanded as a conninfo; the second overrides it. */
  if (!dbname)
    keys[1] = NULL;
  c = PQconnectdbParams(keys, vals, 1);
  if (PQstatus(c) != CONNECTION_OK)
    fprintf(stderr, "cannot connect: %s", PQerrorMessage(c));
  ASSERT(PQstatus(c) == CONNECTION_OK);
  PQsetNoticeProcessor(c, NULL, NULL); /* quiet: tests look at results */
  return c;
}

static void exec_ok(PGconn *c, const char *sql) {
  PGresult *res = PQexec(c, sql);

  if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
    fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
  ASSERT(PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK);
  PQclear(res);
}

static char *scalar(PGconn *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The first value of a one-row query, as a string the caller frees. */
static char *scalar(PGconn *c, const char *fmt, ...) {
  char sql[2048];
  va_list ap;
  PGresult *res;
  char *v;

  va_start(ap, fmt);
  vsnprintf(sql, sizeof sql, fmt, ap);
  va_end(ap);
  res = PQexec(c, sql);
  if (PQresultStatus(res) != PGRES_TUPLES_OK)
    fprintf(stderr, "%s: %s", sql, PQerrorMessage(c));
  ASSERT(PQresultStatus(res) == PGRES_TUPLES_OK);
  ASSERT_EQ(PQntuples(res), 1);
  v = strdup(PQgetisnull(res, 0, 0) ? "(null)" : PQgetvalue(res, 0, 0));
  PQclear(res);
  ASSERT_NOT_NULL(v);
  return v;
}

static long long count_of(PGconn *c, const char *sql) {
  char *v = scalar(c, "%s", sql);
  long long n = atoll(v);

  free(v);
  return n;
}

#define ASSERT_SCALAR(conn, want, ...)                                           \
  do {                                                                        \
    char *got_ = scalar((conn), __VA_ARGS__);                                 \
    ASSERT_STR_EQ(got_, (want));                                              \
    free(got_);                                                               \
  } while (0)

static int need_pg(void) {
  const char *pg = getenv("OCOP_TEST_PG");

  if (pg && pg[0])
    return 0;
  test_skip_reason("OCOP_TEST_PG is not set (scripts/pgtmp start DIR prints one)");
  return 1;
}

static void db_create(struct testdb *t) {
  PGconn *admin = connect_to(NULL);
  char sql[128];

  snprintf(t->name, sizeof t->name, "ocop_t_%ld_%d", (long)getpid(), ++db_counter);
  snprintf(sql, sizeof sql, "CREATE DATABASE %s", t->name);
  exec_ok(admin, sql);
  PQfinish(admin);
  t->conn = connect_to(t->name);
}

static void db_drop(struct testdb *t) {
  PGconn *admin;
  char sql[160];

  PQfinish(t->conn);
  t->conn = NULL;
  admin = connect_to(NULL);
  snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", t->name);
  exec_ok(admin, sql);
  PQfinish(admin);
}

static void migrated(struct testdb *t) {
  struct migrate_outcome m = {0};
  char err[512];

  db_create(t);
  if (migrate_apply(t->conn, &m, err, sizeof err) < 0)
    fprintf(stderr, "migrate: %s\n", err);
  ASSERT_EQ(m.to, migrations[migrations_count - 1].version);
}

static const char *data_file(const char *name) {
  static char buf[8][4096];
  static int next;
  const char *top = getenv("top_srcdir");
  char *b = buf[next++ % 8];

  snprintf(b, sizeof buf[0], "%s/tests/data/%s", top ? top : ".", name);
  return b;
}

/* Runs import_file, returning its code and what it printed (caller frees). */
static int import_capture(PGconn *c, const char *path, unsigned flags,
                          struct import_summary *sum, char **printed) {
  size_t len;
  FILE *f = open_memstream(printed, &len);
  int rc;

  ASSERT_NOT_NULL(f);
  rc = import_file(c, path, flags, sum, f);
  fclose(f);
  return rc;
}

static int import_quiet(PGconn *c, const char *path, struct import_summary *sum) {
  char *printed;
  int rc = import_capture(c, path, 0, sum, &printed);

  if (rc != 0)
    fprintf(stderr, "%s", printed);
  free(printed);
  return rc;
}

/*
 * Everything the catalogue holds, in one string: per table the row count,
 * the newest row version (xmin) and a hash of every row's text. A write of
 * any kind, even one that stores the same values, moves xmin.
 */
static char *fingerprint(PGconn *c) {
  static const char *const tables[] = {"producer",         "product",      "variant",
                                       "certificate",      "stock_ledger", "stock_level",
                                       "product_image",    "product_attribute",
                                       "product_category", "schema_migration",
                                       "schema_logic"};
  char *all = NULL;
  size_t i, len = 0;

  for (i = 0; i < sizeof tables / sizeof tables[0]; i++) {
    char *part = scalar(c,
                        "SELECT '%s ' || count(*) || ' ' || coalesce(max(xmin::text::bigint), 0)"
                        " || ' ' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM %s t",
                        tables[i], tables[i]);
    char *p = realloc(all, len + strlen(part) + 2);

    ASSERT_NOT_NULL(p);
    all = p;
    sprintf(all + len, "%s;", part);
    len += strlen(part) + 1;
    free(part);
  }
  return all;
}

/* Every line of text that starts with prefix, joined with "\n". */
static void expect_lines(const char *printed, const char *const *want, size_t nwant) {
  size_t i;
  const char *p = printed;

  for (i = 0; i < nwant; i++) {
    const char *nl = strchr(p, '\n');

    if (!nl || strncmp(p, want[i], strlen(want[i])) != 0 ||
        (size_t)(nl - p) != strlen(want[i])) {
      fprintf(stderr, "line %zu:\n  want: %s\n  got:  %.*s\n", i + 1, want[i],
              nl ? (int)(nl - p) : (int)strlen(p), p);
      ASSERT(0);
    }
    p = nl + 1;
  }
  if (*p)
    fprintf(stderr, "unexpected output:\n%s", p);
  ASSERT_STR_EQ(p, "");
}

/* ---- migrations ---------------------------------------------------------- */

TEST_IMPL(migrations_embedded_exactly) {
  size_t i;

  /* The literal must hold the file byte for byte, or the checksum lies. */
  ASSERT(migrations_count >= 1);
  for (i = 0; i < migrations_count; i++) {
    const char *top = getenv("top_srcdir");
    char path[4096];
    FILE *f;
    char *buf;
    long size;

    snprintf(path, sizeof path, "%s/sql/%s", top ? top : ".", migrations[i].name);
    f = fopen(path, "rb");
    if (!f)
      fprintf(stderr, "%s: %s\n", path, strerror(errno));
    ASSERT_NOT_NULL(f);
    fseek(f, 0, SEEK_END);
    size = ftell(f);
    rewind(f);
    buf = malloc((size_t)size + 1);
    ASSERT_NOT_NULL(buf);
    ASSERT_EQ(fread(buf, 1, (size_t)size, f), size);
    fclose(f);
    ASSERT_EQ(strlen(migrations[i].sql), size);
    ASSERT(memcmp(buf, migrations[i].sql, (size_t)size) == 0);
    free(buf);
    ASSERT_EQ(strlen(migrations[i].checksum), 64);
    ASSERT(i == 0 || migrations[i].version > migrations[i - 1].version);
    ASSERT_EQ(migrations[i].version, atoi(migrations[i].name));
  }
  return TEST_OK;
}

TEST_IMPL(migrate_fresh_then_noop) {
  struct testdb t;
  struct migrate_outcome m;
  char err[512], *before, *after;
  int last = migrations[migrations_count - 1].version;

  if (need_pg())
    return TEST_SKIP;
  db_create(&t);
  ASSERT_EQ(migrate_check(t.conn, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "the database has no ocopd schema: run ocopctl migrate");

  ASSERT_EQ(migrate_apply(t.conn, &m, err, sizeof err), 0);
  ASSERT_EQ(m.migrations, migrations_count);
  ASSERT_EQ(m.logic, sql_logic_count);
  ASSERT_EQ(m.from, 0);
  ASSERT_EQ(m.to, last);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM schema_migration"), migrations_count);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM schema_logic"), sql_logic_count);
  ASSERT_SCALAR(t.conn, migrations[0].checksum,
                "SELECT checksum FROM schema_migration WHERE version = %d",
                migrations[0].version);
  ASSERT_SCALAR(t.conn, "001_catalogue.sql", "SELECT name FROM schema_migration WHERE version = 1");
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM category"), 29);
  ASSERT_EQ(migrate_check(t.conn, err, sizeof err), 0);

  /* Again: nothing to do, and nothing written. */
  before = fingerprint(t.conn);
  ASSERT_EQ(migrate_apply(t.conn, &m, err, sizeof err), 0);
  ASSERT_EQ(m.migrations, 0);
  ASSERT_EQ(m.logic, 0);
  ASSERT_EQ(m.from, last);
  ASSERT_EQ(m.to, last);
  after = fingerprint(t.conn);
  ASSERT_STR_EQ(after, before);
  free(before);
  free(after);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(migrate_refuses_newer_schema) {
  struct testdb t;
  char err[512], want[200];

  if (need_pg())
    return TEST_SKIP;
  /* A database a newer ocopd made: only its record says so. */
  db_create(&t);
  exec_ok(t.conn, "CREATE TABLE schema_migration (version int PRIMARY KEY, name text NOT NULL,"
                  " checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
  exec_ok(t.conn, "INSERT INTO schema_migration VALUES (999, '999_future.sql', 'x', now())");
  ASSERT_EQ(migrate_apply(t.conn, NULL, err, sizeof err), -1);
  snprintf(want, sizeof want,
           "database schema is at version 999, this build knows up to %d: upgrade ocopd",
           migrations[migrations_count - 1].version);
  ASSERT_STR_EQ(err, want);
  /* Nothing changed: no table was created, the record is alone. */
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM pg_class WHERE relnamespace = "
                             "'public'::regnamespace AND relkind = 'r'"),
            1);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM schema_migration"), 1);
  ASSERT_EQ(migrate_check(t.conn, err, sizeof err), -1);
  ASSERT_STR_EQ(err, want);
  ASSERT(PQtransactionStatus(t.conn) == PQTRANS_IDLE);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(migrate_refuses_changed_checksum) {
  struct testdb t;
  char err[512], *before, *after;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  exec_ok(t.conn, "UPDATE schema_migration SET checksum = 'edited' WHERE version = 1");
  before = fingerprint(t.conn);
  ASSERT_EQ(migrate_apply(t.conn, NULL, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "migration 001_catalogue.sql was changed after it was applied");
  ASSERT_EQ(migrate_check(t.conn, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "migration 001_catalogue.sql was changed after it was applied");
  after = fingerprint(t.conn);
  ASSERT_STR_EQ(after, before);
  free(before);
  free(after);
  db_drop(&t);
  return TEST_OK;
}

/* Made-up migrations, to see steps, failures and refusals one by one. */
#define MIG_A {1, "001_a.sql", "CREATE TABLE a (x int);\nINSERT INTO a VALUES (1);\n", "ca"}
#define MIG_B {2, "002_b.sql", "CREATE TABLE b (x int);", "cb"}

TEST_IMPL(migrate_steps_and_failures) {
  static const struct migration set_a[] = {MIG_A};
  static const struct migration set_ab[] = {MIG_A, MIG_B};
  static const struct migration set_abc[] = {
      MIG_A, MIG_B, {3, "003_c.sql", "CREATE TABLE c (x int);\nSELEC 1;\n", "cc"}};
  static const struct migration set_edited[] = {
      {1, "001_a.sql", "CREATE TABLE a (x int);", "edited"},
      MIG_B,
      {3, "003_d.sql", "CREATE TABLE d (x int);", "cd"}};
  struct testdb t;
  char err[512];
  int from = -1, to = -1;

  if (need_pg())
    return TEST_SKIP;
  db_create(&t);
  ASSERT_EQ(migrate_apply_set(t.conn, set_a, 1, &from, &to, err, sizeof err), 1);
  ASSERT_EQ(from, 0);
  ASSERT_EQ(to, 1);
  ASSERT_EQ(migrate_check_set(t.conn, set_ab, 2, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "database schema is at version 1, this build needs 2: run ocopctl migrate");

  /* Only the new one runs. */
  ASSERT_EQ(migrate_apply_set(t.conn, set_ab, 2, &from, &to, err, sizeof err), 1);
  ASSERT_EQ(from, 1);
  ASSERT_EQ(to, 2);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM a"), 1);
  ASSERT_EQ(migrate_check_set(t.conn, set_ab, 2, err, sizeof err), 0);

  /* A failing migration leaves the ones before it and none of itself. */
  ASSERT_EQ(migrate_apply_set(t.conn, set_abc, 3, &from, &to, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "migration 003_c.sql failed: syntax error at or near \"SELEC\"");
  ASSERT_SCALAR(t.conn, "(null)", "SELECT to_regclass('c')");
  ASSERT_EQ(count_of(t.conn, "SELECT max(version) FROM schema_migration"), 2);
  ASSERT(PQtransactionStatus(t.conn) == PQTRANS_IDLE);

  /* An edited migration stops everything, even the pending one. */
  ASSERT_EQ(migrate_apply_set(t.conn, set_edited, 3, &from, &to, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "migration 001_a.sql was changed after it was applied");
  ASSERT_SCALAR(t.conn, "(null)", "SELECT to_regclass('d')");

  /* An older build. */
  ASSERT_EQ(migrate_apply_set(t.conn, set_a, 1, &from, &to, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "database schema is at version 2, this build knows up to 1: upgrade ocopd");

  /* A hole below the newest applied version. */
  exec_ok(t.conn, "DELETE FROM schema_migration WHERE version = 1");
  ASSERT_EQ(migrate_apply_set(t.conn, set_ab, 2, &from, &to, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "migration 001_a.sql is not applied but the later version 2 is: fix "
                     "schema_migration by hand");
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM a"), 1);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(migrate_concurrent_starters) {
  enum { N = 6 };
  struct testdb t;
  pid_t pids[N];
  int i, total = 0;

  if (need_pg())
    return TEST_SKIP;
  db_create(&t);
  /* Several ocopd starting at once on an empty database. */
  for (i = 0; i < N; i++) {
    pids[i] = fork();
    ASSERT(pids[i] >= 0);
    if (pids[i] == 0) {
      PGconn *c = connect_to(t.name);
      struct migrate_outcome m;
      char err[512];
      int rc = migrate_apply(c, &m, err, sizeof err);

      if (rc < 0)
        fprintf(stderr, "child: %s\n", err);
      PQfinish(c);
      /* Migrations applied, plus 50 for the one that applied the logic. */
      _exit(rc < 0 ? 100 : m.migrations + (m.logic ? 50 : 0));
    }
  }
  for (i = 0; i < N; i++) {
    int status;

    ASSERT_EQ(waitpid(pids[i], &status, 0), pids[i]);
    ASSERT(WIFEXITED(status));
    ASSERT(WEXITSTATUS(status) != 100);
    total += WEXITSTATUS(status);
  }
  /* Each migration applied exactly once, by one of them, and the SQL logic
   * once, by one of them, in one transaction. */
  ASSERT_EQ(total, migrations_count + 50);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM schema_migration"), migrations_count);
  ASSERT_EQ(count_of(t.conn, "SELECT count(DISTINCT xmin::text) FROM schema_logic"), 1);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM schema_logic"), sql_logic_count);
  db_drop(&t);
  return TEST_OK;
}

/* ---- import ---------------------------------------------------------------- */

TEST_IMPL(import_requires_schema) {
  struct testdb t;
  struct import_summary sum;
  char *printed, want[4200];

  if (need_pg())
    return TEST_SKIP;
  db_create(&t);
  ASSERT_EQ(import_capture(t.conn, data_file("ocop-sample.csv"), 0, &sum, &printed), -1);
  snprintf(want, sizeof want,
           "%s: cannot import: the database has no ocopd schema: run ocopctl migrate\n",
           data_file("ocop-sample.csv"));
  ASSERT_STR_EQ(printed, want);
  free(printed);
  db_drop(&t);
  return TEST_OK;
}

/* Each CSV row's stock is its variant's on hand (the SKU is the product code
 * when the file gives none); each 3-5 star row's dates are recorded. */
static void check_against_csv(PGconn *c, const char *path) {
  char err[512];
  struct csv_record rec;
  csv_t *csv = csv_open(path, err, sizeof err);
  int code, sku, stock, stars, no, on, exp, rows = 0;

  ASSERT_NOT_NULL(csv);
  ASSERT_EQ(csv_read_header(csv), 0);
  code = csv_column(csv, "product_code");
  sku = csv_column(csv, "sku");
  stock = csv_column(csv, "stock");
  stars = csv_column(csv, "stars");
  no = csv_column(csv, "certificate_no");
  on = csv_column(csv, "certified_on");
  exp = csv_column(csv, "expires_on");
  while (csv_next(csv, &rec) == 1) {
    const char *f = rec.fields[code];
    const char *k = sku >= 0 && rec.fields[sku][0] ? rec.fields[sku] : f;

    rows++;
    ASSERT_SCALAR(c, rec.fields[stock],
                  "SELECT coalesce((SELECT on_hand FROM stock_level s JOIN variant v"
                  " ON v.id = s.variant_id JOIN product p ON p.id = v.product_id"
                  " WHERE v.sku = '%s' AND p.code = '%s' AND s.product_id = p.id), 0)",
                  k, f);
    if (rec.fields[stars][0] >= '3' && rec.fields[exp][0])
      ASSERT_SCALAR(c, rec.fields[exp],
                    "SELECT valid_until FROM certificate c JOIN product p ON p.id = c.product_id"
                    " WHERE p.code = '%s' AND decision_no = '%s' AND decision_date = '%s'",
                    f, rec.fields[no], rec.fields[on]);
  }
  ASSERT(rows > 0);
  csv_close(csv);
}

/* A product's images, "role position source claim", and attributes,
 * "key=value", in order. */
#define IMAGES_SQL                                                                          \
  "SELECT string_agg(i.role || ' ' || i.position || ' ' || i.source || ' ' ||"             \
  " CASE WHEN i.claim THEN 't' ELSE 'f' END, ';' ORDER BY i.role DESC, i.position)"        \
  " FROM product_image i JOIN product p ON p.id = i.product_id WHERE p.code = '%s'"
#define ATTRS_SQL                                                                           \
  "SELECT string_agg(a.key || '=' || a.value, ';' ORDER BY a.key) FROM product_attribute a" \
  " JOIN product p ON p.id = a.product_id WHERE p.code = '%s'"

TEST_IMPL(import_sample) {
  struct testdb t;
  struct import_summary sum;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  /* 42 products; three of them have 2, 2 and 3 variants. */
  ASSERT_EQ(sum.rows, 46);
  ASSERT_EQ(sum.products_created, 42);
  ASSERT_EQ(sum.products_updated + sum.products_unchanged, 0);
  ASSERT_EQ(sum.variants_created, 46);
  ASSERT_EQ(sum.variants_updated + sum.variants_unchanged + sum.variants_withdrawn, 0);
  ASSERT_EQ(sum.producers_created, 39);
  /* 40 products have stars: 38 recognitions and two 1-2 star ratings. */
  ASSERT_EQ(sum.certificates_added, 40);
  ASSERT_EQ(sum.certificates_updated, 0);
  /* Two rows have nothing in stock. */
  ASSERT_EQ(sum.stock_adjustments, 44);
  /* Every product has its photo; the 38 of 3-5 stars their star label
   * (a claim) and the certificate too. */
  ASSERT_EQ(sum.images_added, 42 + 38 * 2);
  ASSERT_EQ(sum.images_changed + sum.images_removed, 0);
  /* origin on all 42, 8 brands, 33 shelf lives, 3 ingredient lists. */
  ASSERT_EQ(sum.attributes_set, 42 + 8 + 33 + 3);
  ASSERT_EQ(sum.attributes_removed + sum.categories_set + sum.categories_removed, 0);
  ASSERT_EQ(sum.problems, 0);

  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product"), 42);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM variant WHERE active"), 46);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM producer"), 39);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM certificate"), 40);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM certificate WHERE stars >= 3"), 38);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM stock_ledger WHERE reason = 'import'"), 44);
  /* 13222 in the single-SKU form, and 940 in the added variants. */
  ASSERT_EQ(count_of(t.conn, "SELECT sum(on_hand) FROM stock_level"), 14162);
  /* A single-row product: one variant, its SKU the product code, no label. */
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product p JOIN variant v"
                             " ON v.product_id = p.id AND v.sku = p.code AND v.label = ''"
                             " AND v.position = 1"),
            39);
  check_against_csv(t.conn, data_file("ocop-sample.csv"));

  /* 2024-02-29 + 36 months is clamped to the end of February. */
  ASSERT_SCALAR(t.conn, "2027-02-28",
                "SELECT valid_until FROM certificate c JOIN product p ON p.id = c.product_id"
                " WHERE p.code = 'OCP-HNI-001'");
  ASSERT_SCALAR(t.conn, "2026-09-15 2028-03-10",
                "SELECT revoked_on || ' ' || valid_until FROM certificate c JOIN product p"
                " ON p.id = c.product_id WHERE p.code = 'OCP-HTH-901'");
  /* 1-2 stars: a rating, with no decision and no validity. */
  ASSERT_SCALAR(t.conn, "OCP-LCI-901:1 OCP-TQG-901:2",
                "SELECT string_agg(p.code || ':' || c.stars, ' ' ORDER BY p.code)"
                " FROM certificate c JOIN product p ON p.id = c.product_id"
                " WHERE c.decision_no IS NULL AND c.decision_date IS NULL"
                " AND c.valid_from IS NULL AND c.valid_until IS NULL AND c.revoked_on IS NULL");
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM certificate WHERE stars < 3"), 2);
  /* No stars: no certificate at all. */
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM certificate c JOIN product p"
                             " ON p.id = c.product_id"
                             " WHERE p.code IN ('OCP-TQG-902', 'OCP-KHA-901')"),
            0);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM certificate WHERE source <> "
                             "'csv:ocop-sample.csv' OR issuer <> ''"),
            0);
  /* As printed on the certificate; an unknown commune stays unknown. */
  ASSERT_SCALAR(t.conn, "Bến Tre|(none)",
                "SELECT province_at_cert || '|' || coalesce(commune_at_cert, '(none)')"
                " FROM certificate c JOIN product p ON p.id = c.product_id"
                " WHERE p.code = 'OCP-BTE-001'");
  ASSERT_SCALAR(t.conn, "household Thái Bình xã Nguyên Xá",
                "SELECT kind || ' ' || province || ' ' || commune FROM producer"
                " WHERE name = 'Xưởng chế biến thực phẩm bánh kẹo Thiên Đức'");
  ASSERT_SCALAR(t.conn, "2000000001012|2000|150000",
                "SELECT gtin || '|' || weight_g || '|' || price_vnd FROM variant"
                " WHERE sku = 'OCP-TQG-901'");
  /* The content columns. */
  ASSERT_SCALAR(t.conn,
                "gallery 1 OCP-QNM-002.jpg f;gallery 2 ocop-5-sao.png t;"
                "certificate 1 certificate.jpg f",
                IMAGES_SQL, "OCP-QNM-002");
  ASSERT_SCALAR(t.conn, "gallery 1 OCP-TQG-902.jpg f", IMAGES_SQL, "OCP-TQG-902");
  ASSERT_SCALAR(t.conn, "brand=SAPHRATON;ingredients=Sâm Ngọc Linh; đinh lăng; hoàng kỳ; tá dược"
                " vừa đủ;origin=Vietnam", ATTRS_SQL, "OCP-QNM-002");
  ASSERT_SCALAR(t.conn, "brand=Hoàng An", "SELECT 'brand=' || value FROM product_attribute a"
                " JOIN product p ON p.id = a.product_id WHERE p.code = 'OCP-LDG-003'"
                " AND key = 'brand'");
  ASSERT_SCALAR(t.conn, "origin=Vietnam", ATTRS_SQL, "OCP-TNG-001");
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product_image WHERE checked_at IS NOT NULL"),
            0);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(reimport_changes_nothing) {
  struct testdb t;
  struct import_summary sum;
  char *before, *after;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  before = fingerprint(t.conn);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  ASSERT_EQ(sum.rows, 46);
  ASSERT_EQ(sum.products_unchanged, 42);
  ASSERT_EQ(sum.products_created + sum.products_updated, 0);
  ASSERT_EQ(sum.variants_unchanged, 46);
  ASSERT_EQ(sum.variants_created + sum.variants_updated + sum.variants_withdrawn, 0);
  ASSERT_EQ(sum.producers_created + sum.producers_updated, 0);
  ASSERT_EQ(sum.certificates_added + sum.certificates_updated, 0);
  ASSERT_EQ(sum.stock_adjustments, 0);
  ASSERT_EQ(sum.images_added + sum.images_changed + sum.images_removed, 0);
  ASSERT_EQ(sum.attributes_set + sum.attributes_removed, 0);
  after = fingerprint(t.conn);
  ASSERT_STR_EQ(after, before);
  free(before);
  free(after);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(import_renewal_and_changes) {
  struct testdb t;
  struct import_summary sum;
  char *before_other, *after_other, *before, *after;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  exec_ok(t.conn, "UPDATE variant SET updated_at = '2000-01-01' WHERE sku = 'OCP-BKN-001'");
#define OTHERS_SQL                                                                \
  "SELECT count(*) || ' ' || max(xmin::text::bigint) || ' ' || sum(hashtext(v::text))" \
  " FROM variant v WHERE sku NOT IN ('OCP-BKN-001')"
  before_other = scalar(t.conn, OTHERS_SQL);

  /* BKN-001's 500 g price 75000 -> 79000; TBH-003 renewed by a new
   * decision with expires_on left to the database; TBH-005 revoked; PTO-001
   * stock 600 -> 550, which an existing variant ignores (the count moved
   * since the file was written) unless the import is a stocktake. A price
   * is the variant's: the product is unchanged. */
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample-renewal.csv"), &sum), 0);
  ASSERT_EQ(sum.products_updated, 0);
  ASSERT_EQ(sum.products_unchanged, 42);
  ASSERT_EQ(sum.products_created, 0);
  ASSERT_EQ(sum.variants_updated, 1);
  ASSERT_EQ(sum.variants_unchanged, 45);
  ASSERT_EQ(sum.variants_created + sum.variants_withdrawn, 0);
  ASSERT_EQ(sum.certificates_added, 1);
  ASSERT_EQ(sum.certificates_updated, 1);
  ASSERT_EQ(sum.stock_adjustments, 0);
  ASSERT_EQ(sum.stock_ignored, 1);
  ASSERT_EQ(sum.producers_created + sum.producers_updated, 0);
  ASSERT_SCALAR(t.conn, "600",
                "SELECT on_hand FROM stock_level s JOIN variant v ON v.id = s.variant_id"
                " WHERE v.sku = 'OCP-PTO-001'");
  {
    char *printed;

    ASSERT_EQ(import_capture(t.conn, data_file("ocop-sample-renewal.csv"), IMPORT_STOCKTAKE,
                             &sum, &printed),
              0);
    free(printed);
  }
  ASSERT_EQ(sum.stock_adjustments, 1);
  ASSERT_EQ(sum.stock_ignored, 0);
  ASSERT_SCALAR(t.conn, "stocktake from catalogue file ocop-sample-renewal.csv",
                "SELECT l.note FROM stock_ledger l JOIN variant v ON v.id = l.variant_id"
                " WHERE v.sku = 'OCP-PTO-001' AND l.reason = 'stocktake'");

  ASSERT_SCALAR(t.conn, "79000 true",
                "SELECT price_vnd || ' ' || (updated_at > '2000-01-01') FROM variant"
                " WHERE sku = 'OCP-BKN-001'");
  ASSERT_SCALAR(t.conn, "32000",
                "SELECT price_vnd FROM variant WHERE sku = 'OCP-BKN-001-200'");
  after_other = scalar(t.conn, OTHERS_SQL);
  ASSERT_STR_EQ(after_other, before_other);
  /* The old certificate stays as history; the new one runs 36 months. */
  ASSERT_SCALAR(t.conn,
                "3341/QĐ-UBND 2023-11-25 2026-11-25,4120/QĐ-UBND 2026-11-20 2029-11-20",
                "SELECT string_agg(decision_no || ' ' || valid_from || ' ' || valid_until, ','"
                " ORDER BY decision_date) FROM certificate c JOIN product p"
                " ON p.id = c.product_id WHERE p.code = 'OCP-TBH-003'");
  ASSERT_SCALAR(t.conn, "2026-11-01",
                "SELECT revoked_on FROM certificate c JOIN product p ON p.id = c.product_id"
                " WHERE p.code = 'OCP-TBH-005'");
  ASSERT_SCALAR(t.conn, "-50 550 stocktake",
                "SELECT l.delta || ' ' || s.on_hand || ' ' || l.reason FROM stock_ledger l"
                " JOIN stock_level s USING (variant_id) JOIN variant v ON v.id = l.variant_id"
                " WHERE v.sku = 'OCP-PTO-001' ORDER BY l.id DESC LIMIT 1");
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM certificate"), 41);
  check_against_csv(t.conn, data_file("ocop-sample-renewal.csv"));

  /* The renewal file again, with its empty expires_on: still nothing. */
  before = fingerprint(t.conn);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample-renewal.csv"), &sum), 0);
  ASSERT_EQ(sum.products_unchanged, 42);
  ASSERT_EQ(sum.certificates_added + sum.certificates_updated + sum.stock_adjustments, 0);
  after = fingerprint(t.conn);
  ASSERT_STR_EQ(after, before);
  free(before);
  free(after);

  /* The original file does not undo the revocation it does not mention. */
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  ASSERT_SCALAR(t.conn, "2026-11-01",
                "SELECT revoked_on FROM certificate c JOIN product p ON p.id = c.product_id"
                " WHERE p.code = 'OCP-TBH-005'");
  free(before_other);
  free(after_other);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(import_bad_catalogue) {
  static const char *const want[] = {
      "F:1: unknown column \"note\"",
      "F:3: product_code: \"OCP T 003\" is not a product code: 1 to 64 letters, digits, '.', "
      "'_' or '-', starting with a letter or digit",
      "F:4: name_vi: must not be empty",
      "F:4: producer_type: \"coop\" is not one of cooperative, coop_group, enterprise, "
      "household, farm, association",
      "F:5: category_group: \"I.9\" is not a known category (e.g. I.3.c, IV.1, VI.1)",
      "F:5: stars: \"6\" is not a rating: leave it empty or write 1 to 5",
      "F:6: certificate_no: must not be empty for 4 stars: give the recognition decision number",
      "F:6: certified_on: must not be empty for 4 stars: give the decision date",
      "F:7: certificate_no: must be empty for a 1-2 star rating: only 3 stars and above are "
      "certified",
      "F:7: certified_on: must be empty for a 1-2 star rating: only 3 stars and above are "
      "certified",
      "F:7: expires_on: must be empty for a 1-2 star rating: only 3 stars and above are "
      "certified",
      "F:8: certified_on: 2023-02-29 is not a day of the calendar",
      "F:9: expires_on: 2024-12-31 is before certified_on 2025-01-02",
      "F:10: revoked_on: 2024-06-01 is before certified_on 2025-01-02",
      "F:11: price_vnd: \"75.000\" must be a whole number of dong without separators or decimals",
      "F:11: stock: -3 is negative",
      "F:12: weight_g: 0 is below the minimum of 1",
      "F:12: gtin: check digit is 3 but should be 2: the number is mistyped",
      "F:13: price_vnd: 9223372036854775808 is too large (at most 9223372036854775807)",
      "F:13: gtin: has 5 digits; a GTIN has 8, 12, 13 or 14",
      "F:14: product_code: OCP-BKN-001 is already on line 2: to give a product several "
      "variants, add the columns sku and variant",
      "F:15: name_vi: is 256 characters long; at most 255 fit",
      /* The record starts on line 16 and runs to 17. */
      "F:16: certified_on: \"10/07/2024\" is not a date: write YYYY-MM-DD",
      "F:18: producer_type: \"enterprise\" differs from \"cooperative\" on line 3 for the same "
      "producer",
      "F:19: certificate_no: must be empty when stars is empty",
      "F:20: producer_name: has a space at the start or end",
      "F:21: has 17 fields but the header has 19",
      /* 2000 is a leap year (divisible by 400), 2100 is not (by 100). */
      "F:23: expires_on: 2100-02-29 is not a day of the calendar",
  };
  enum { NWANT = sizeof want / sizeof want[0] };
  const char *path = data_file("bad-catalogue.csv");
  char *lines[NWANT];
  struct testdb t;
  struct import_summary sum;
  char *printed, *before, *after;
  size_t i;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  before = fingerprint(t.conn);
  ASSERT_EQ(import_capture(t.conn, path, 0, &sum, &printed), 1);
  ASSERT_EQ(sum.problems, NWANT);
  for (i = 0; i < NWANT; i++) {
    lines[i] = malloc(strlen(path) + strlen(want[i]));
    ASSERT_NOT_NULL(lines[i]);
    sprintf(lines[i], "%s%s", path, want[i] + 1); /* "F" is the path */
  }
  expect_lines(printed, (const char *const *)lines, NWANT);
  /* Line 2 would change a price and line 22 add a product: neither did. */
  after = fingerprint(t.conn);
  ASSERT_STR_EQ(after, before);
  ASSERT_SCALAR(t.conn, "75000", "SELECT price_vnd FROM variant WHERE sku = 'OCP-BKN-001'");
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product WHERE code = 'OCP-T-022'"), 0);
  ASSERT(PQtransactionStatus(t.conn) == PQTRANS_IDLE);
  for (i = 0; i < NWANT; i++)
    free(lines[i]);
  free(printed);
  free(before);
  free(after);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(import_database_conflict) {
  const char *path = data_file("ocop-sample.csv");
  struct testdb t;
  struct import_summary sum;
  char *printed, want1[4300], want2[4300];
  const char *want[2] = {want1, want2};

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  /* Rules the importer does not know, as a later migration might add:
   * a check constraint (named after its column) and a trigger's refusal. */
  exec_ok(t.conn, "ALTER TABLE variant ADD CONSTRAINT variant_price_vnd_cap"
                  " CHECK (price_vnd <= 3000000)");
  exec_ok(t.conn, "CREATE FUNCTION no_2019() RETURNS trigger LANGUAGE plpgsql AS $$"
                  " BEGIN IF NEW.decision_date < '2020-01-01' THEN"
                  " RAISE EXCEPTION 'decisions before 2020 are archived'; END IF;"
                  " RETURN NEW; END $$");
  exec_ok(t.conn, "CREATE TRIGGER no_2019 BEFORE INSERT ON certificate"
                  " FOR EACH ROW EXECUTE FUNCTION no_2019()");
  ASSERT_EQ(import_capture(t.conn, path, 0, &sum, &printed), 1);
  snprintf(want1, sizeof want1,
           "%s:9: price_vnd: refused by the database: new row for relation \"variant\" "
           "violates check constraint \"variant_price_vnd_cap\"",
           path);
  snprintf(want2, sizeof want2,
           "%s:36: certificate_no: refused by the database: decisions before 2020 are archived",
           path);
  expect_lines(printed, want, 2);
  ASSERT_EQ(sum.problems, 2);
  /* The rows after them were still tried, and everything was undone. */
  ASSERT_EQ(sum.products_created, 40);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product"), 0);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM producer"), 0);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM stock_ledger"), 0);
  free(printed);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(import_reordered_columns) {
  struct testdb t;
  struct import_summary sum;
  char *before, *after;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  /* Columns shuffled, no revoked_on, a BOM and CRLF line ends. */
  ASSERT_EQ(import_quiet(t.conn, data_file("reordered.csv"), &sum), 0);
  ASSERT_EQ(sum.rows, 2);
  ASSERT_EQ(sum.products_created, 2);
  ASSERT_EQ(sum.producers_created, 1);
  ASSERT_EQ(sum.certificates_added, 2);
  ASSERT_EQ(sum.stock_adjustments, 1);
  /* expires_on empty: the database's 36 months, clamped to month end. */
  ASSERT_SCALAR(t.conn, "4 2024-02-29 2027-02-28",
                "SELECT stars || ' ' || valid_from || ' ' || valid_until FROM certificate c"
                " JOIN product p ON p.id = c.product_id WHERE p.code = 'OCP-TST-001'");
  /* The single-SKU form: one variant each, its SKU the product code. */
  ASSERT_SCALAR(t.conn, "hộp|(null)|120000|",
                "SELECT unit || '|' || coalesce(weight_g::text, '(null)') || '|' || price_vnd"
                " || '|' || coalesce(gtin, '') FROM product p JOIN variant v"
                " ON v.product_id = p.id AND v.sku = p.code WHERE code = 'OCP-TST-001'");
  ASSERT_SCALAR(t.conn, "|250|0|89012345",
                "SELECT unit || '|' || coalesce(weight_g::text, '(null)') || '|' || price_vnd"
                " || '|' || coalesce(gtin, '') FROM product p JOIN variant v"
                " ON v.product_id = p.id AND v.sku = p.code WHERE code = 'OCP-TST-002'");
  /* The producer's address comes from its newest certification. */
  ASSERT_SCALAR(t.conn, "Thái Nguyên|(null)",
                "SELECT province || '|' || coalesce(commune, '(null)') FROM producer");
  before = fingerprint(t.conn);
  ASSERT_EQ(import_quiet(t.conn, data_file("reordered.csv"), &sum), 0);
  ASSERT_EQ(sum.products_unchanged, 2);
  ASSERT_EQ(sum.variants_unchanged, 2);
  after = fingerprint(t.conn);
  ASSERT_STR_EQ(after, before);
  free(before);
  free(after);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(import_dry_run) {
  struct testdb t;
  struct import_summary sum;
  char *printed, *before, *after;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  before = fingerprint(t.conn);
  ASSERT_EQ(import_capture(t.conn, data_file("ocop-sample.csv"), 1, &sum, &printed), 0);
  ASSERT_STR_EQ(printed, "");
  /* It says what an import would do ... */
  ASSERT_EQ(sum.products_created, 42);
  ASSERT_EQ(sum.variants_created, 46);
  ASSERT_EQ(sum.certificates_added, 40);
  ASSERT_EQ(sum.stock_adjustments, 44);
  /* ... and does none of it. */
  after = fingerprint(t.conn);
  ASSERT_STR_EQ(after, before);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product"), 0);
  free(printed);
  free(before);
  free(after);
  db_drop(&t);
  return TEST_OK;
}

static void write_file(const char *path, const char *text) {
  FILE *f = fopen(path, "w");

  ASSERT_NOT_NULL(f);
  fputs(text, f);
  fclose(f);
}

TEST_IMPL(import_header_problems) {
  struct testdb t;
  struct import_summary sum;
  char path[256], *printed, want[1024];

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  snprintf(path, sizeof path, "%s/ocop_hdr.csv", test_tmpdir());
  write_file(path, "product_code,name_vi,producer_name,producer_type,province,commune,"
                   "category_group,certificate_no,certified_on,expires_on,price_vnd,unit,"
                   "weight_g,gtin,description_vi,colour\n"
                   "X,a,b,farm,,,I.1.a,,,,1,,,,,red\n");
  ASSERT_EQ(import_capture(t.conn, path, 0, &sum, &printed), 1);
  snprintf(want, sizeof want,
           "%s:1: missing column \"stars\"\n%s:1: missing column \"stock\"\n"
           "%s:1: unknown column \"colour\"\n",
           path, path, path);
  ASSERT_STR_EQ(printed, want);
  free(printed);

  /* A syntax error ends the reading, after the rows before it. */
  write_file(path, "product_code,name_vi,producer_name,producer_type,province,commune,"
                   "category_group,stars,certificate_no,certified_on,expires_on,price_vnd,"
                   "stock,unit,weight_g,gtin,description_vi\n"
                   "X,a,b,farm,,,I.1.a,,,,,1,-1,,,,\n"
                   "Y,\"b\"c,b,farm,,,I.1.a,,,,,1,1,,,,\n");
  ASSERT_EQ(import_capture(t.conn, path, 0, &sum, &printed), 1);
  snprintf(want, sizeof want,
           "%s:2: stock: -1 is negative\n"
           "%s:3: text after the closing quote of a field: quote the whole field\n",
           path, path);
  ASSERT_STR_EQ(printed, want);
  free(printed);

  /* Not UTF-8 (a Latin-1 export): where, and what to do. */
  write_file(path, "product_code\nOCP-1\nCaf\xE9\n");
  ASSERT_EQ(import_capture(t.conn, path, 0, &sum, &printed), 1);
  ASSERT_EQ(sum.problems, 1);
  snprintf(want, sizeof want, "%s:3:4: invalid UTF-8 (byte 0xe9): save the file as UTF-8\n",
           path);
  ASSERT_STR_EQ(printed, want);
  free(printed);
  unlink(path);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product"), 0);
  db_drop(&t);
  return TEST_OK;
}

static void long_column_keeps_file_and_line(const char *path, const char *header,
                                            const char *const *categories) {
  char text[4096], name[1600], want[512], *checked = NULL;
  size_t n = 0;
  FILE *f;

  memset(name, 'X', sizeof name - 1);
  name[sizeof name - 1] = '\0';
  snprintf(text, sizeof text, "%s,attr.%s\n", header, name);
  f = open_memstream(&checked, &n);
  ASSERT_NOT_NULL(f);
  ASSERT_EQ(import_check_mem(path, text, strlen(text), categories, 1, f), 1);
  fclose(f);
  snprintf(want, sizeof want, "%s:1: attr.%.115s...: \"XXX", path, name);
  ASSERT(strncmp(checked, want, strlen(want)) == 0);
  ASSERT_EQ(strchr(checked, '\n') - checked + 1, (long)strlen(checked));
  free(checked);
}

/* A quoted field may hold a line break or an escape sequence: each problem
 * that quotes one is still one line, the same from import_file and from
 * import_check_mem (found by tests/fuzz/fuzz_import.c). */
TEST_IMPL(import_problems_one_line) {
  static const char *const categories[] = {"I.1.a"};
  static const char header[] =
      "product_code,name_vi,producer_name,producer_type,province,commune,"
      "category_group,stars,certificate_no,certified_on,expires_on,price_vnd,"
      "stock,unit,weight_g,gtin,description_vi";
  static const char row[] = "X,a,b,\"farm\x1b[2J\",,,I.1.a,,,,,1,1,,,,\n";
  struct testdb t;
  struct import_summary sum;
  char path[256], text[1024], *printed, *checked = NULL, want[1024];
  size_t n = 0;
  FILE *f;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  snprintf(path, sizeof path, "%s/ocop_lines.csv", test_tmpdir());
  snprintf(text, sizeof text, "%s,\"col\nour\"\n%.*s,red\n", header, (int)strlen(row) - 1, row);
  write_file(path, text);
  ASSERT_EQ(import_capture(t.conn, path, 0, &sum, &printed), 1);
  snprintf(want, sizeof want,
           "%s:1: unknown column \"col\\nour\"\n"
           "%s:3: producer_type: \"farm\\x1b[2J\" is not one of cooperative, coop_group, "
           "enterprise, household, farm, association\n",
           path, path);
  ASSERT_STR_EQ(printed, want);
  free(printed);

  snprintf(text, sizeof text, "%s\n%s", header, row);
  write_file(path, text);
  ASSERT_EQ(import_capture(t.conn, path, 0, &sum, &printed), 1);
  snprintf(want, sizeof want,
           "%s:2: producer_type: \"farm\\x1b[2J\" is not one of cooperative, coop_group, "
           "enterprise, household, farm, association\n",
           path);
  ASSERT_STR_EQ(printed, want);
  free(printed);

  /* The same checks without the database. */
  f = open_memstream(&checked, &n);
  ASSERT_NOT_NULL(f);
  ASSERT_EQ(import_check_mem(path, text, strlen(text), categories, 1, f), 1);
  fclose(f);
  ASSERT_STR_EQ(checked, want);
  free(checked);
  /* A column name of any length: the problem still starts with FILE:LINE,
   * and shows the first 120 bytes of the name. */
  long_column_keeps_file_and_line(path, header, categories);
  unlink(path);
  db_drop(&t);
  return TEST_OK;
}

/* ---- variants ------------------------------------------------------------- */

/* The variants of one product: "sku label position price weight LxWxH
 * on_hand active", one a line, by position. */
#define VARIANTS_SQL                                                                    \
  "SELECT string_agg(v.sku || ' ' || v.label || ' ' || v.position || ' ' || v.price_vnd" \
  " || ' ' || coalesce(v.weight_g::text, '-') || ' ' || coalesce(v.length_mm || 'x' ||" \
  " v.width_mm || 'x' || v.height_mm, '-') || ' ' || coalesce(s.on_hand, 0) || ' ' ||"  \
  " v.active, ';' ORDER BY v.active DESC, v.position, v.sku) FROM variant v"            \
  " JOIN product p ON p.id = v.product_id LEFT JOIN stock_level s ON s.variant_id = v.id" \
  " WHERE p.code = '%s'"

TEST_IMPL(import_variants) {
  struct testdb t;
  struct import_summary sum;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  /* Three variants of one product, its rows apart in the file (lines 20, 46
   * and 47): in the order of the rows, the first keeping the product code
   * as its SKU. */
  ASSERT_SCALAR(t.conn,
                "OCP-DKN-001 500 g 1 180000 500 200x140x70 400 true;"
                "OCP-DKN-001-250 250 g 2 95000 250 160x110x60 300 true;"
                "OCP-DKN-001-1KG 1 kg 3 340000 1000 260x180x90 120 true",
                VARIANTS_SQL, "OCP-DKN-001");
  ASSERT_SCALAR(t.conn,
                "OCP-BKN-001 500 g 1 75000 500 260x180x45 850 true;"
                "OCP-BKN-001-200 200 g 2 32000 200 200x150x30 400 true",
                VARIANTS_SQL, "OCP-BKN-001");
  ASSERT_SCALAR(t.conn,
                "OCP-TNG-001 100 g 1 220000 100 120x80x80 300 true;"
                "OCP-TNG-001-250 250 g 2 520000 250 160x100x100 120 true",
                VARIANTS_SQL, "OCP-TNG-001");
  ASSERT_SCALAR(t.conn, "OCP-HNI-001  1 2800000 3000 260x190x130 12 true", VARIANTS_SQL, "OCP-HNI-001");
  /* One product, one certificate, whatever the number of variants. */
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM certificate c JOIN product p"
                             " ON p.id = c.product_id WHERE p.code = 'OCP-DKN-001'"),
            1);
  /* Each variant's opening balance is its own ledger row, naming the
   * variant and its product. */
  ASSERT_SCALAR(t.conn, "OCP-DKN-001:400 OCP-DKN-001-1KG:120 OCP-DKN-001-250:300",
                "SELECT string_agg(v.sku || ':' || l.delta, ' ' ORDER BY v.sku)"
                " FROM stock_ledger l JOIN variant v ON v.id = l.variant_id"
                " AND v.product_id = l.product_id JOIN product p ON p.id = l.product_id"
                " WHERE p.code = 'OCP-DKN-001' AND l.reason = 'import' AND l.ref IS NULL");
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM stock_ledger l JOIN variant v"
                             " ON v.id = l.variant_id WHERE v.product_id <> l.product_id"),
            0);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(import_single_sku_form) {
  struct testdb t;
  struct import_summary sum;
  char *before, *after;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  /* The catalogue as it was before variants (no sku, variant or package
   * columns): a product of one variant each, its SKU the product code. */
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample-single-sku.csv"), &sum), 0);
  ASSERT_EQ(sum.rows, 42);
  ASSERT_EQ(sum.products_created, 42);
  ASSERT_EQ(sum.variants_created, 42);
  ASSERT_EQ(sum.certificates_added, 40);
  ASSERT_EQ(sum.stock_adjustments, 40);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product p JOIN variant v"
                             " ON v.product_id = p.id AND v.sku = p.code AND v.label = ''"
                             " AND v.position = 1 AND v.active AND v.length_mm IS NULL"),
            42);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM variant"), 42);
  ASSERT_EQ(count_of(t.conn, "SELECT sum(on_hand) FROM stock_level"), 13222);
  ASSERT_SCALAR(t.conn, "OCP-BKN-001  1 75000 500 - 850 true", VARIANTS_SQL, "OCP-BKN-001");
  check_against_csv(t.conn, data_file("ocop-sample-single-sku.csv"));
  before = fingerprint(t.conn);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample-single-sku.csv"), &sum), 0);
  ASSERT_EQ(sum.variants_unchanged, 42);
  after = fingerprint(t.conn);
  ASSERT_STR_EQ(after, before);
  free(before);
  free(after);

  /* Variants added to that catalogue: the first pack keeps its SKU, its
   * stock and its ledger; the new packs are created beside it. */
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  ASSERT_EQ(sum.products_unchanged, 42);
  ASSERT_EQ(sum.variants_created, 4);
  /* Labels and package sizes of the first packs: every product's but the
   * tourism service's (it has no package). */
  ASSERT_EQ(sum.variants_updated, 41);
  ASSERT_EQ(sum.variants_unchanged, 1);
  ASSERT_EQ(sum.variants_withdrawn, 0);
  ASSERT_EQ(sum.stock_adjustments, 4);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM stock_ledger l JOIN variant v"
                             " ON v.id = l.variant_id WHERE v.sku = 'OCP-BKN-001'"),
            1);
  check_against_csv(t.conn, data_file("ocop-sample.csv"));
  db_drop(&t);
  return TEST_OK;
}

/* Writes the sample to path without the lines that hold one of skip, and
 * with each edit[2i] replaced by edit[2i + 1] (first place on a line). */
static void sample_edited(const char *path, const char *const *skip, const char *const *edit) {
  FILE *in = fopen(data_file("ocop-sample.csv"), "r"), *out = fopen(path, "w");
  char line[8192], done[8192];

  ASSERT(in && out);
  while (fgets(line, sizeof line, in)) {
    const char *const *k;
    int keep = 1;

    for (k = skip; *k; k++)
      if (strstr(line, *k))
        keep = 0;
    if (!keep)
      continue;
    for (k = edit; *k; k += 2) {
      char *at = strstr(line, k[0]);

      if (at) {
        snprintf(done, sizeof done, "%.*s%s%s", (int)(at - line), line, k[1], at + strlen(k[0]));
        strcpy(line, done);
      }
    }
    fputs(line, out);
  }
  fclose(in);
  fclose(out);
}

TEST_IMPL(import_withdraws_dropped_variant) {
  static const char *const no_250[] = {",OCP-DKN-001-250,", NULL};
  static const char *const none[] = {NULL};
  static const char *const swap[] = {",OCP-BKN-001,500 g,", ",OCP-BKN-001,200 g,",
                                     ",OCP-BKN-001-200,200 g,", ",OCP-BKN-001-200,500 g,",
                                     NULL};
  struct testdb t;
  struct import_summary sum;
  char path[512], *before, *after, *ledger;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  ledger = scalar(t.conn, "SELECT count(*) || ' ' || sum(delta) FROM stock_ledger");

  /* The 250 g bag is no longer sold: it is withdrawn, not deleted; its
   * stock and ledger stay; the other two keep their places. */
  snprintf(path, sizeof path, "%s/no-250.csv", test_tmpdir());
  sample_edited(path, no_250, none);
  ASSERT_EQ(import_quiet(t.conn, path, &sum), 0);
  ASSERT_EQ(sum.rows, 45);
  ASSERT_EQ(sum.variants_withdrawn, 1);
  /* The 1 kg bag moves from position 3 to 2. */
  ASSERT_EQ(sum.variants_updated, 1);
  ASSERT_EQ(sum.variants_unchanged, 44);
  ASSERT_EQ(sum.variants_created, 0);
  ASSERT_EQ(sum.products_unchanged, 42);
  ASSERT_EQ(sum.stock_adjustments, 0);
  ASSERT_SCALAR(t.conn,
                "OCP-DKN-001 500 g 1 180000 500 200x140x70 400 true;"
                "OCP-DKN-001-1KG 1 kg 2 340000 1000 260x180x90 120 true;"
                "OCP-DKN-001-250 250 g 2 95000 250 160x110x60 300 false",
                VARIANTS_SQL, "OCP-DKN-001");
  ASSERT_SCALAR(t.conn, ledger, "SELECT count(*) || ' ' || sum(delta) FROM stock_ledger");
  /* Again: already withdrawn, nothing to do. */
  before = fingerprint(t.conn);
  ASSERT_EQ(import_quiet(t.conn, path, &sum), 0);
  ASSERT_EQ(sum.variants_withdrawn + sum.variants_updated + sum.variants_created, 0);
  after = fingerprint(t.conn);
  ASSERT_STR_EQ(after, before);
  free(before);
  free(after);

  /* Back in the file: active again, in its place. */
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  ASSERT_EQ(sum.variants_updated, 2);
  ASSERT_EQ(sum.variants_withdrawn + sum.variants_created, 0);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM variant WHERE active"), 46);

  /* Two labels trade places (each stays unique at every step). */
  sample_edited(path, none, swap);
  ASSERT_EQ(import_quiet(t.conn, path, &sum), 0);
  ASSERT_EQ(sum.variants_updated, 2);
  ASSERT_SCALAR(t.conn,
                "OCP-BKN-001 200 g 1 75000 500 260x180x45 850 true;"
                "OCP-BKN-001-200 500 g 2 32000 200 200x150x30 400 true",
                VARIANTS_SQL, "OCP-BKN-001");

  /* The single-SKU file again: every added pack is withdrawn. */
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample-single-sku.csv"), &sum), 0);
  ASSERT_EQ(sum.variants_withdrawn, 4);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM variant WHERE active"), 42);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM variant WHERE NOT active"), 4);
  unlink(path);
  free(ledger);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(import_bad_variants) {
  static const char *const want[] = {
      "F:3: unit: \"hộp\" differs from \"gói\" on line 2 for the same product: a product's "
      "columns are the same on each of its rows",
      "F:4: sku: OCP-V-001-S is already used on line 2: a SKU names one variant",
      "F:5: sku: OCP-TNG-001 is the SKU of a variant of OCP-TNG-001 in the catalogue: a SKU "
      "does not move to another product",
      "F:6: price_vnd: must not be empty",
      "F:7: variant: \"200 g\" is already on line 6 for the same product",
      "F:8: variant: must not be empty when a product has several rows (OCP-V-005 is also on "
      "line 9): name each variant, e.g. \"500 g\"",
      "F:10: height_mm: must not be empty when length_mm and width_mm are given: give "
      "length_mm, width_mm and height_mm, or none",
      "F:11: name_vi: \"Sản phẩm khác (giả định)\" differs from \"Sản phẩm thử (giả định)\" on "
      "line 2 for the same product: a product's columns are the same on each of its rows",
      "F:12: sku: must not be empty when a product has several rows (OCP-V-007 is also on "
      "line 13): give each variant its own SKU",
      "F:14: sku: \"bad sku\" is not a SKU: 1 to 64 letters, digits, '.', '_' or '-', starting "
      "with a letter or digit",
      "F:15: sku: is empty, so the SKU is the product code OCP-V-001-L, which is already used "
      "on line 3: a SKU names one variant",
      "F:16: height_mm: 0 is below the minimum of 1",
      "F:16: length_mm: must not be empty when height_mm is given: give length_mm, width_mm "
      "and height_mm, or none",
      "F:16: width_mm: must not be empty when height_mm is given: give length_mm, width_mm "
      "and height_mm, or none",
      "F:18: sku: is empty, so the SKU is the product code OCP-BKN-001-200, which is the SKU "
      "of a variant of OCP-BKN-001 in the catalogue: give this variant a SKU of its own",
  };
  enum { NWANT = sizeof want / sizeof want[0] };
  const char *path = data_file("bad-variants.csv");
  char *lines[NWANT];
  struct testdb t;
  struct import_summary sum;
  char *printed, *before, *after;
  size_t i;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  before = fingerprint(t.conn);
  ASSERT_EQ(import_capture(t.conn, path, 0, &sum, &printed), 1);
  ASSERT_EQ(sum.problems, NWANT);
  for (i = 0; i < NWANT; i++) {
    lines[i] = malloc(strlen(path) + strlen(want[i]));
    ASSERT_NOT_NULL(lines[i]);
    sprintf(lines[i], "%s%s", path, want[i] + 1); /* "F" is the path */
  }
  expect_lines(printed, (const char *const *)lines, NWANT);
  /* Line 17 is a good product: not written either. */
  after = fingerprint(t.conn);
  ASSERT_STR_EQ(after, before);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product WHERE code LIKE 'OCP-V-%'"), 0);
  ASSERT(PQtransactionStatus(t.conn) == PQTRANS_IDLE);
  for (i = 0; i < NWANT; i++)
    free(lines[i]);
  free(printed);
  free(before);
  free(after);
  db_drop(&t);
  return TEST_OK;
}

/* ---- ocopctl as a program ------------------------------------------------- */

struct run {
  int status; /* exit code, or -1 */
  char out[16384];
  char err[16384];
};

static void slurp(FILE *f, char *buf, size_t len) {
  size_t n;

  rewind(f);
  n = fread(buf, 1, len - 1, f);
  buf[n] = '\0';
  fclose(f);
}

/* Runs ocopctl with args, OCOPD_DATABASE set to database (or unset). */
static void run_ctl(struct run *r, const char *database, const char *const *args) {
  const char *top = getenv("top_builddir");
  char prog[4096];
  const char *argv[16];
  FILE *out = tmpfile(), *err = tmpfile();
  pid_t pid;
  int i, status;

  snprintf(prog, sizeof prog, "%s/ocopctl", top ? top : ".");
  argv[0] = prog;
  for (i = 0; args[i]; i++)
    argv[i + 1] = args[i];
  argv[i + 1] = NULL;
  ASSERT(out && err);
  fflush(NULL);
  pid = fork();
  ASSERT(pid >= 0);
  if (pid == 0) {
    dup2(fileno(out), 1);
    dup2(fileno(err), 2);
    if (database)
      setenv("OCOPD_DATABASE", database, 1);
    else
      unsetenv("OCOPD_DATABASE");
    execv(prog, (char *const *)argv);
    fprintf(stderr, "cannot run %s: %s\n", prog, strerror(errno));
    _exit(127);
  }
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  slurp(out, r->out, sizeof r->out);
  slurp(err, r->err, sizeof r->err);
}

/* A keyword=value conninfo for the test database, from the live connection. */
static char *conninfo_of(PGconn *c) {
  PQconninfoOption *opts = PQconninfo(c), *o;
  char *s = calloc(1, 8192);
  size_t len = 0;

  ASSERT_NOT_NULL(opts);
  ASSERT_NOT_NULL(s);
  for (o = opts; o->keyword; o++) {
    const char *v;

    if (!o->val || !o->val[0])
      continue;
    len += (size_t)snprintf(s + len, 8192 - len, "%s='", o->keyword);
    for (v = o->val; *v && len < 8000; v++) {
      if (*v == '\'' || *v == '\\')
        s[len++] = '\\';
      s[len++] = *v;
    }
    len += (size_t)snprintf(s + len, 8192 - len, "' ");
  }
  PQconninfoFree(opts);
  return s;
}

TEST_IMPL(ctl_usage_without_database) {
  struct run r;
  static const char *const none[] = {NULL};
  static const char *const unknown[] = {"frobnicate", NULL};
  static const char *const migrate[] = {"migrate", NULL};
  static const char *const import_noarg[] = {"import", NULL};
  static const char *const import_two[] = {"import", "a.csv", "b.csv", NULL};
  static const char *const help[] = {"--help", NULL};
  static const char *const import_help[] = {"import", "--help", NULL};
  static const char *const status[] = {"status", NULL};

  run_ctl(&r, NULL, none);
  ASSERT_EQ(r.status, 2);
  ASSERT(strstr(r.err, "usage: ocopctl [-d CONNINFO] COMMAND [ARGS...]") != NULL);

  run_ctl(&r, NULL, unknown);
  ASSERT_EQ(r.status, 2);
  ASSERT_STR_EQ(r.err, "ocopctl: unknown command \"frobnicate\"; see ocopctl --help\n");

  run_ctl(&r, NULL, migrate);
  ASSERT_EQ(r.status, 2);
  ASSERT_STR_EQ(r.err, "ocopctl: migrate: no database given: use -d CONNINFO (e.g. -d "
                       "'dbname=ocop') or set OCOPD_DATABASE\n");

  /* The command line is checked before any connection is tried. */
  run_ctl(&r, "host=/nonexistent dbname=x", import_noarg);
  ASSERT_EQ(r.status, 2);
  ASSERT_STR_EQ(r.err, "ocopctl: import: wrong arguments; usage: ocopctl [-d CONNINFO] import"
                       " FILE.csv [--dry-run] [--stocktake]\n");
  run_ctl(&r, "host=/nonexistent dbname=x", import_two);
  ASSERT_EQ(r.status, 2);
  run_ctl(&r, NULL, status);
  ASSERT_EQ(r.status, 2);
  ASSERT_STR_EQ(r.err, "ocopctl: status: no database given: use -d CONNINFO (e.g. -d "
                       "'dbname=ocop') or set OCOPD_DATABASE\n");

  run_ctl(&r, NULL, help);
  ASSERT_EQ(r.status, 0);
  ASSERT(strstr(r.out, "\n  migrate\n      bring the database schema up") != NULL);
  ASSERT(strstr(r.out, "\n  import FILE.csv [--dry-run] [--stocktake]\n      check a catalogue") !=
         NULL);
  run_ctl(&r, NULL, import_help);
  ASSERT_EQ(r.status, 0);
  ASSERT(strncmp(r.out, "usage: ocopctl [-d CONNINFO] import FILE.csv [--dry-run] [--stocktake]\n",
                 70) == 0);
  return TEST_OK;
}

TEST_IMPL(ctl_subprocess) {
  struct testdb t;
  struct run r;
  char *db, want[8192];
  const char *bad = data_file("bad-catalogue.csv");
  const char *sample = data_file("ocop-sample.csv");
  const char *migrate[] = {"-d", NULL, "migrate", NULL};
  const char *import_bad[] = {"import", bad, NULL};
  const char *dry[] = {"import", "--dry-run", sample, NULL};
  const char *real[] = {"import", sample, NULL};
  static const char *const refused[] = {"-d", "host=/nonexistent dbname=x", "migrate", NULL};

  if (need_pg())
    return TEST_SKIP;
  db_create(&t);
  db = conninfo_of(t.conn);
  migrate[1] = db;

  run_ctl(&r, NULL, migrate);
  ASSERT_STR_EQ(r.err, "");
  ASSERT_EQ(r.status, 0);
  snprintf(want, sizeof want,
           "schema at version %d (applied %zu migration%s)\nSQL logic applied (%zu files)\n",
           migrations[migrations_count - 1].version, migrations_count,
           migrations_count == 1 ? "" : "s", sql_logic_count);
  ASSERT_STR_EQ(r.out, want);
  run_ctl(&r, NULL, migrate);
  ASSERT_EQ(r.status, 0);
  snprintf(want, sizeof want, "schema at version %d (applied 0 migrations)\n",
           migrations[migrations_count - 1].version);
  ASSERT_STR_EQ(r.out, want);

  /* Problems on stderr as FILE:LINE: column: text, then a total; exit 1. */
  run_ctl(&r, db, import_bad);
  ASSERT_EQ(r.status, 1);
  ASSERT_STR_EQ(r.out, "");
  snprintf(want, sizeof want, "%s:1: unknown column \"note\"\n%s:3: product_code: ", bad, bad);
  ASSERT(strncmp(r.err, want, strlen(want)) == 0);
  snprintf(want, sizeof want,
           "\n%s:23: expires_on: 2100-02-29 is not a day of the calendar\n"
           "ocopctl: import: %s: 28 problems; nothing was imported\n",
           bad, bad);
  ASSERT(strlen(r.err) > strlen(want));
  ASSERT_STR_EQ(r.err + strlen(r.err) - strlen(want), want);

  run_ctl(&r, db, dry);
  ASSERT_EQ(r.status, 0);
  snprintf(want, sizeof want,
           "dry run of %s: 46 rows checked, nothing written; the import would make:\n"
           "  products: 42 created, 0 updated, 0 unchanged\n"
           "  variants: 46 created, 0 updated, 0 unchanged, 0 withdrawn\n"
           "  producers: 39 created, 0 updated\n"
           "  certificates: 40 added, 0 updated\n"
           "  stock adjustments: 44\n"
           "  images: 118 added, 0 changed, 0 removed\n"
           "  attributes: 86 set, 0 removed\n"
           "  marketplace categories: 0 set, 0 removed\n",
           sample);
  ASSERT_STR_EQ(r.out, want);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product"), 0);

  run_ctl(&r, db, real);
  ASSERT_EQ(r.status, 0);
  ASSERT_STR_EQ(r.err, "");
  snprintf(want, sizeof want, "imported %s: 46 rows\n", sample);
  ASSERT(strncmp(r.out, want, strlen(want)) == 0);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product"), 42);

  /* A database that is not there: exit 1, and the reason. */
  run_ctl(&r, NULL, refused);
  ASSERT_EQ(r.status, 1);
  ASSERT(strncmp(r.err, "ocopctl: migrate: cannot connect to the database: ", 50) == 0);
  free(db);
  db_drop(&t);
  return TEST_OK;
}

/* ---- the listing's content ------------------------------------------------ */

/* A two-product file with the content columns given (header suffix and one
 * cell list per product row; "" leaves a cell empty). */
static void content_file(const char *path, const char *header, const char *row1,
                         const char *row2) {
  FILE *f = fopen(path, "w");

  ASSERT_NOT_NULL(f);
  fprintf(f,
          "product_code,name_vi,producer_name,producer_type,province,commune,category_group,"
          "stars,certificate_no,certified_on,expires_on,price_vnd,stock,unit,weight_g,gtin,"
          "description_vi,sku,variant%s\n",
          header);
  fprintf(f, "OCP-C-001,Miến,HTX C,cooperative,Bắc Kạn,,I.3.c,4,1/QĐ,2025-01-02,,1000,5,gói,500,,"
             ",OCP-C-001,500 g%s\n",
          row1);
  fprintf(f, "OCP-C-001,Miến,HTX C,cooperative,Bắc Kạn,,I.3.c,4,1/QĐ,2025-01-02,,600,5,gói,200,,"
             ",OCP-C-001-200,200 g%s\n",
          row1);
  fprintf(f, "OCP-C-002,Gốm,HTX D,cooperative,Hải Dương,,IV.1,,,,,9000,1,chiếc,900,,"
             ",,%s\n",
          row2);
  fclose(f);
}

TEST_IMPL(import_content_columns) {
  struct testdb t;
  struct import_summary sum;
  char path[512];

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  snprintf(path, sizeof path, "%s/content.csv", test_tmpdir());
  content_file(path, ",images,brand,origin,attr.grade,shopee_category",
               ",a/c1.jpg|claim:ocop-4-sao.png|cert:cert.jpg,Tài Hoan,Vietnam,A,100999",
               ",https://cdn.example.vn/g.jpg,,Vietnam,,");
  ASSERT_EQ(import_quiet(t.conn, path, &sum), 0);
  ASSERT_EQ(sum.images_added, 4);
  ASSERT_EQ(sum.attributes_set, 4);
  ASSERT_EQ(sum.categories_set, 1);
  ASSERT_SCALAR(t.conn,
                "gallery 1 a/c1.jpg f;gallery 2 ocop-4-sao.png t;certificate 1 cert.jpg f",
                IMAGES_SQL, "OCP-C-001");
  ASSERT_SCALAR(t.conn, "brand=Tài Hoan;grade=A;origin=Vietnam", ATTRS_SQL, "OCP-C-001");
  ASSERT_SCALAR(t.conn, "shopee 100999",
                "SELECT marketplace || ' ' || remote_category FROM product_category");
  ASSERT_SCALAR(t.conn, "100999", "SELECT ocop_remote_category(id, 'shopee') FROM product"
                " WHERE code = 'OCP-C-001'");

  /* ocopd has checked the images; then the main image moves, the claim
   * flag of the second changes and the certificate goes. */
  exec_ok(t.conn, "UPDATE product_image SET checked_at = now(), problem = 'checked'");
  content_file(path, ",images,brand,origin,attr.grade,shopee_category",
               ",b/c1.jpg|ocop-4-sao.png,,Vietnam,A,",
               ",https://cdn.example.vn/g.jpg,,Vietnam,,");
  ASSERT_EQ(import_quiet(t.conn, path, &sum), 0);
  ASSERT_EQ(sum.images_added, 0);
  ASSERT_EQ(sum.images_changed, 2);
  ASSERT_EQ(sum.images_removed, 1);
  ASSERT_EQ(sum.attributes_set, 0);
  ASSERT_EQ(sum.attributes_removed, 1);
  ASSERT_EQ(sum.categories_removed, 1);
  /* A new source is read again; a kept one keeps its check. */
  ASSERT_SCALAR(t.conn, "1 b/c1.jpg f unread;2 ocop-4-sao.png f checked",
                "SELECT string_agg(position || ' ' || source || ' ' ||"
                " CASE WHEN claim THEN 't' ELSE 'f' END || ' ' ||"
                " CASE WHEN checked_at IS NULL THEN 'unread' ELSE coalesce(problem, '') END,"
                " ';' ORDER BY position) FROM product_image i JOIN product p"
                " ON p.id = i.product_id WHERE p.code = 'OCP-C-001'");
  ASSERT_SCALAR(t.conn, "grade=A;origin=Vietnam", ATTRS_SQL, "OCP-C-001");
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product_category"), 0);

  /* Columns left out leave the catalogue as it is; an empty cell removes. */
  content_file(path, ",origin", ",", ",Vietnam");
  ASSERT_EQ(import_quiet(t.conn, path, &sum), 0);
  ASSERT_EQ(sum.images_added + sum.images_changed + sum.images_removed, 0);
  ASSERT_EQ(sum.attributes_removed, 1);
  ASSERT_SCALAR(t.conn, "grade=A", ATTRS_SQL, "OCP-C-001");
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product_image"), 3);
  content_file(path, ",images", ",", ",");
  ASSERT_EQ(import_quiet(t.conn, path, &sum), 0);
  ASSERT_EQ(sum.images_removed, 3);
  ASSERT_EQ(count_of(t.conn, "SELECT count(*) FROM product_image"), 0);
  unlink(path);
  db_drop(&t);
  return TEST_OK;
}

/* What the catalogue holds, by natural keys (ids depend on the order rows
 * are written in), with the listings and jobs of a shop carrying it all. */
static char *catalogue_values(PGconn *c) {
  return scalar(
      c,
      "SELECT concat_ws('|',"
      " (SELECT string_agg(concat_ws(' ', name, kind, province, commune), ';' ORDER BY name)"
      "   FROM producer),"
      " (SELECT string_agg(concat_ws(' ', p.code, p.name_vi, r.name, p.category_code, p.unit,"
      "   md5(p.description_vi)), ';' ORDER BY p.code) FROM product p"
      "   JOIN producer r ON r.id = p.producer_id),"
      " (SELECT string_agg(concat_ws(' ', v.sku, p.code, v.position, v.label, v.price_vnd,"
      "   v.weight_g, v.gtin, v.length_mm, v.width_mm, v.height_mm, v.active,"
      "   s.on_hand), ';' ORDER BY v.sku) FROM variant v JOIN product p ON p.id = v.product_id"
      "   LEFT JOIN stock_level s ON s.variant_id = v.id),"
      " (SELECT string_agg(concat_ws(' ', p.code, c.stars, c.decision_no, c.decision_date,"
      "   c.valid_from, c.valid_until, c.revoked_on, c.province_at_cert, c.commune_at_cert,"
      "   c.source), ';' ORDER BY p.code, c.decision_date, c.stars) FROM certificate c"
      "   JOIN product p ON p.id = c.product_id),"
      " (SELECT string_agg(concat_ws(' ', v.sku, l.delta, l.reason, l.note), ';'"
      "   ORDER BY v.sku, l.id) FROM stock_ledger l JOIN variant v ON v.id = l.variant_id),"
      " (SELECT string_agg(concat_ws(' ', p.code, i.role, i.position, i.source, i.claim,"
      "   i.checked_at IS NULL), ';' ORDER BY p.code, i.role, i.position)"
      "   FROM product_image i JOIN product p ON p.id = i.product_id),"
      " (SELECT string_agg(concat_ws(' ', p.code, a.key, a.value), ';' ORDER BY p.code, a.key)"
      "   FROM product_attribute a JOIN product p ON p.id = a.product_id),"
      " (SELECT string_agg(concat_ws(' ', p.code, c.marketplace, c.remote_category), ';'"
      "   ORDER BY p.code, c.marketplace) FROM product_category c"
      "   JOIN product p ON p.id = c.product_id),"
      " (SELECT string_agg(concat_ws(' ', p.code, v.sku), ';' ORDER BY p.code, v.sku)"
      "   FROM listing_variant lv JOIN listing l ON l.id = lv.listing_id"
      "   JOIN product p ON p.id = l.product_id JOIN variant v ON v.id = lv.variant_id),"
      " (SELECT string_agg(concat_ws(' ', p.code, o.kind, o.state), ';'"
      "   ORDER BY p.code, o.kind, o.state) FROM outbox o JOIN listing l ON l.id = o.listing_id"
      "   JOIN product p ON p.id = l.product_id))");
}

/* The bulk write (import_bulk.c) and the product-by-product one give the
 * same catalogue, summaries and jobs, file after file: new products,
 * renewals, a stocktake, a withdrawn pack brought back, labels trading
 * places, content set, changed and removed. */
TEST_IMPL(import_bulk_equals_product_by_product) {
  static const char *const no_250[] = {",OCP-DKN-001-250,", NULL};
  static const char *const none[] = {NULL};
  static const char *const swap[] = {",OCP-BKN-001,500 g,", ",OCP-BKN-001,200 g,",
                                     ",OCP-BKN-001-200,200 g,", ",OCP-BKN-001-200,500 g,",
                                     NULL};
  char edited[512], swapped[512], content1[512], content2[512];
  const struct {
    const char *path;
    unsigned flags;
  } steps[] = {
      {data_file("ocop-sample.csv"), 0},
      {data_file("ocop-sample-renewal.csv"), 0},
      {data_file("ocop-sample-renewal.csv"), IMPORT_STOCKTAKE},
      {edited, 0},
      {data_file("ocop-sample.csv"), 0},
      {swapped, 0},
      {data_file("ocop-sample-single-sku.csv"), 0},
      {data_file("ocop-sample.csv"), 0},
      {content1, 0},
      {content2, 0},
  };
  struct testdb bulk, one;
  size_t i;

  if (need_pg())
    return TEST_SKIP;
  snprintf(edited, sizeof edited, "%s/bulk-no-250.csv", test_tmpdir());
  snprintf(swapped, sizeof swapped, "%s/bulk-swap.csv", test_tmpdir());
  snprintf(content1, sizeof content1, "%s/bulk-content1.csv", test_tmpdir());
  snprintf(content2, sizeof content2, "%s/bulk-content2.csv", test_tmpdir());
  sample_edited(edited, no_250, none);
  sample_edited(swapped, none, swap);
  content_file(content1, ",images,brand,origin,attr.grade,shopee_category",
               ",a/c1.jpg|claim:ocop-4-sao.png|cert:cert.jpg,Tài Hoan,Vietnam,A,100999",
               ",https://cdn.example.vn/g.jpg,,Vietnam,,");
  content_file(content2, ",images,brand,origin,attr.grade,shopee_category",
               ",b/c1.jpg|ocop-4-sao.png,,Vietnam,A,", ",,,,B,100644");
  migrated(&bulk);
  migrated(&one);
  exec_ok(bulk.conn, "INSERT INTO shop (name, marketplace) VALUES ('s1', 'shopee');"
                     "INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop");
  exec_ok(one.conn, "INSERT INTO shop (name, marketplace) VALUES ('s1', 'shopee');"
                    "INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop");
  for (i = 0; i < sizeof steps / sizeof steps[0]; i++) {
    struct import_summary a, b;
    char *pa, *pb, *va, *vb;

    ASSERT_EQ(import_capture(bulk.conn, steps[i].path, steps[i].flags, &a, &pa), 0);
    ASSERT_EQ(import_capture(one.conn, steps[i].path, steps[i].flags | IMPORT_BY_PRODUCT, &b,
                             &pb),
              0);
    if (memcmp(&a, &b, sizeof a) != 0)
      fprintf(stderr, "step %zu (%s): the summaries differ\n", i + 1, steps[i].path);
    ASSERT_EQ(memcmp(&a, &b, sizeof a), 0);
    va = catalogue_values(bulk.conn);
    vb = catalogue_values(one.conn);
    if (strcmp(va, vb) != 0)
      fprintf(stderr, "step %zu (%s): the catalogues differ\n", i + 1, steps[i].path);
    ASSERT_STR_EQ(va, vb);
    free(pa);
    free(pb);
    free(va);
    free(vb);
  }
  unlink(edited);
  unlink(swapped);
  unlink(content1);
  unlink(content2);
  db_drop(&bulk);
  db_drop(&one);
  return TEST_OK;
}

TEST_IMPL(import_bad_content) {
  static const char *const want[] = {
      "F:1: attr.Grade: \"Grade\" is not an attribute key: a lowercase letter, then up to 47 "
      "lowercase letters, digits or '_'",
      "F:1: attr.brand: names the same attribute as the column brand: keep one",
      "F:1: shoppe_category: \"shoppe\" is not a marketplace: shopee_category, "
      "lazada_category, tiktok_category or postmart_category",
      "F:2: images: image 2 \"../x.jpg\" leaves media_dir (\"..\"): give a path under it",
      "F:2: images: image 3 \"http://a.vn/x.jpg\" is an http URL: only https URLs are read",
      "F:3: images: image 1 \"/srv/x.jpg\" is an absolute path: give a path relative to "
      "media_dir",
      "F:3: images: image 2 is empty: separate images with one '|' and name a file or URL "
      "after a prefix",
      "F:4: images: image 2 \"a.jpg\" is already image 1",
      "F:5: images: has 13 gallery images; at most 12",
      "F:6: brand: has a space at the start or end",
      "F:6: tiktok_category: \"60 01\" is not a category id: 1 to 64 letters, digits, '.', '_' "
      "or '-'",
      "F:8: origin: \"Thailand\" differs from \"Vietnam\" on line 7 for the same product: a "
      "product's columns are the same on each of its rows",
      "F:8: tiktok_category: differs from line 7 for the same product: a product's columns "
      "are the same on each of its rows",
  };
  enum { NWANT = sizeof want / sizeof want[0] };
  const char *path = data_file("bad-content.csv");
  char *lines[NWANT];
  struct testdb t;
  struct import_summary sum;
  char *printed, *before, *after;
  size_t i;

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);
  before = fingerprint(t.conn);
  ASSERT_EQ(import_capture(t.conn, path, 0, &sum, &printed), 1);
  for (i = 0; i < NWANT; i++) {
    lines[i] = malloc(strlen(path) + strlen(want[i]));
    ASSERT_NOT_NULL(lines[i]);
    sprintf(lines[i], "%s%s", path, want[i] + 1); /* "F" is the path */
  }
  expect_lines(printed, (const char *const *)lines, NWANT);
  ASSERT_EQ(sum.problems, NWANT);
  after = fingerprint(t.conn);
  ASSERT_STR_EQ(after, before);
  for (i = 0; i < NWANT; i++)
    free(lines[i]);
  free(printed);
  free(before);
  free(after);
  db_drop(&t);
  return TEST_OK;
}

TEST_IMPL(ctl_content_commands) {
  struct testdb t;
  struct run r;
  struct import_summary sum;
  char *db;
  const char *map_file = data_file("category-map.csv");
  const char *import_map[] = {"category", "import", map_file, NULL};
  const char *bad_map[] = {"category", "import", NULL, NULL};
  static const char *const list_tiktok[] = {"category", "list", "--marketplace", "tiktok",
                                            NULL};
  static const char *const map[] = {"category", "map", "shopee", "I.3.c", "100999", NULL};
  static const char *const map_service[] = {"category", "map", "shopee", "VI.1", "1", NULL};
  static const char *const unmap[] = {"category", "unmap", "shopee", "I.3.c", NULL};
  static const char *const rules[] = {"category", "rules", "shopee-1", "100646", NULL};
  static const char *const rules_json[] = {"category", "rules", "shopee-1", "--json", NULL};
  static const char *const amap[] = {"attribute", "map", "tiktok", "shelf_life",
                                     "Expiry Period", NULL};
  static const char *const alist[] = {"attribute", "list", "--json", NULL};
  static const char *const set[] = {"product", "attribute", "OCP-TNG-001", "shelf_life",
                                    "18 tháng", NULL};
  static const char *const unset[] = {"product", "attribute", "OCP-TNG-001", "shelf_life",
                                      "--unset", NULL};
  static const char *const images[] = {"images", "--product", "OCP-QNM-002", NULL};
  static const char *const problems[] = {"images", "--problems", "--json", NULL};
  static const char *const held[] = {"listings", "--problems", NULL};
  static const char *const status[] = {"status", NULL};
  char bad_path[512];

  if (need_pg())
    return TEST_SKIP;
  migrated(&t);
  db = conninfo_of(t.conn);
  ASSERT_EQ(import_quiet(t.conn, data_file("ocop-sample.csv"), &sum), 0);

  run_ctl(&r, db, import_map);
  ASSERT_STR_EQ(r.err, "");
  ASSERT_EQ(r.status, 0);
  ASSERT(strstr(r.out, ": 75 categories mapped\n") != NULL);
  ASSERT_SCALAR(t.conn, "600003", "SELECT ocop_remote_category(id, 'tiktok') FROM product"
                " WHERE code = 'OCP-QNM-002'");
  run_ctl(&r, db, list_tiktok);
  ASSERT_EQ(r.status, 0);
  ASSERT(strncmp(r.out, "code     tiktok     products  name\n", 35) == 0);
  ASSERT(strstr(r.out, "\nI.3.c    600001            6  ") != NULL);

  /* A bad line: FILE:LINE, and nothing of the file is kept. */
  snprintf(bad_path, sizeof bad_path, "%s/bad-map.csv", test_tmpdir());
  write_file(bad_path, "marketplace,ocop_code,remote_category\nshopee,I.1.a,7\n"
                       "shopee,I.9,1\n");
  bad_map[2] = bad_path;
  run_ctl(&r, db, bad_map);
  ASSERT_EQ(r.status, 1);
  ASSERT(strstr(r.err, ":3: \"I.9\" is not an OCOP category code (e.g. I.3.c, IV.1)\n") != NULL);
  ASSERT_SCALAR(t.conn, "100644", "SELECT remote_category FROM category_map"
                " WHERE marketplace = 'shopee' AND category_code = 'I.1.a'");
  unlink(bad_path);

  run_ctl(&r, db, map);
  ASSERT_EQ(r.status, 0);
  ASSERT_SCALAR(t.conn, "100999", "SELECT remote_category FROM category_map"
                " WHERE marketplace = 'shopee' AND category_code = 'I.3.c'");
  run_ctl(&r, db, map_service);
  ASSERT_EQ(r.status, 1);
  ASSERT_STR_EQ(r.err, "ocopctl: category: map: VI.1 is a service category: its products are "
                       "never listed\n");
  run_ctl(&r, db, unmap);
  ASSERT_EQ(r.status, 0);
  run_ctl(&r, db, unmap);
  ASSERT_EQ(r.status, 1);

  /* The rules ocopd read, as it stores them. */
  exec_ok(t.conn, "INSERT INTO shop (name, marketplace, mp_shop_id) VALUES ('shopee-1', 'shopee',"
                  " '2001')");
  exec_ok(t.conn,
          "INSERT INTO category_rules (shop_id, remote_category, rules) SELECT id, '100646',"
          " '{\"leaf\": true, \"brand_required\": true, \"dimensions_required\": false,"
          " \"no_brand\": null, \"brands\": [{\"id\": \"1\", \"name\": \"SAPHRATON\"}],"
          " \"attrs\": [{\"id\": \"10\", \"name\": \"Country of Origin\", \"required\": true},"
          " {\"id\": \"12\", \"name\": \"Ingredients\", \"required\": true},"
          " {\"id\": \"13\", \"name\": \"Net Weight\", \"required\": false}],"
          " \"certifications\": []}' FROM shop");
  run_ctl(&r, db, rules);
  ASSERT_EQ(r.status, 0);
  ASSERT(strncmp(r.out, "shopee category 100646: rules read ", 35) == 0);
  ASSERT(strstr(r.out, "\n  mandatory attributes: Country of Origin, Ingredients\n"
                       "  optional attributes: Net Weight\n"
                       "  brand: required; 1 brands; no brand: (none)\n"
                       "  package dimensions: optional\n  certifications: none\n") != NULL);
  run_ctl(&r, db, rules_json);
  ASSERT_EQ(r.status, 0);
  ASSERT(strstr(r.out, "\"mandatory_attributes\":\t[\"Country of Origin\", \"Ingredients\"]") !=
         NULL);

  run_ctl(&r, db, amap);
  ASSERT_EQ(r.status, 0);
  run_ctl(&r, db, alist);
  ASSERT_EQ(r.status, 0);
  ASSERT(strstr(r.out, "\"marketplace\":\t\"tiktok\",\n\t\t\"key\":\t\"shelf_life\",\n"
                       "\t\t\"remote_name\":\t\"Expiry Period\",\n\t\t\"products\":\t33") != NULL);

  run_ctl(&r, db, set);
  ASSERT_EQ(r.status, 0);
  ASSERT_STR_EQ(r.out, "OCP-TNG-001: shelf_life = 18 tháng\n");
  ASSERT_SCALAR(t.conn, "origin=Vietnam;shelf_life=18 tháng", ATTRS_SQL, "OCP-TNG-001");
  run_ctl(&r, db, unset);
  ASSERT_EQ(r.status, 0);
  ASSERT_SCALAR(t.conn, "origin=Vietnam", ATTRS_SQL, "OCP-TNG-001");

  /* ocopd read two of the images: one is fine and on the shop, one is not. */
  exec_ok(t.conn, "INSERT INTO media (sha256, format, width, height, bytes, data) VALUES"
                  " (repeat('ab', 32), 'jpeg', 800, 800, 3, '\\x010203')");
  exec_ok(t.conn, "UPDATE product_image SET sha256 = repeat('ab', 32), checked_at = now()"
                  " WHERE source = 'OCP-QNM-002.jpg'");
  exec_ok(t.conn, "UPDATE product_image SET problem = 'not a JPEG or PNG file',"
                  " checked_at = now() WHERE source = 'certificate.jpg'"
                  " AND product_id = (SELECT id FROM product WHERE code = 'OCP-QNM-002')");
  exec_ok(t.conn, "INSERT INTO image_upload (shop_id, sha256, remote_id) SELECT id,"
                  " repeat('ab', 32), 'sp-img-1' FROM shop");
  run_ctl(&r, db, images);
  ASSERT_EQ(r.status, 0);
  ASSERT_STR_EQ(r.out, "OCP-QNM-002    img  1  OCP-QNM-002.jpg\n"
                       "    ok: jpeg 800x800, 3 bytes, sha256 abababababab\n"
                       "    uploaded to: shopee-1\n"
                       "OCP-QNM-002    img  2  ocop-5-sao.png (OCOP claim)\n"
                       "    unchecked: not read yet\n"
                       "OCP-QNM-002    cert 1  certificate.jpg\n"
                       "    problem: not a JPEG or PNG file\n"
                       "3 images\n");
  run_ctl(&r, db, problems);
  ASSERT_EQ(r.status, 0);
  ASSERT(strstr(r.out, "\"check\":\t\"not a JPEG or PNG file\"") != NULL);
  ASSERT(strstr(r.out, "\"product\":\t\"OCP-QNM-002\"") != NULL);

  /* A held listing, as ocopd records one. */
  exec_ok(t.conn, "INSERT INTO listing (shop_id, product_id) SELECT s.id, p.id FROM shop s,"
                  " product p WHERE p.code = 'OCP-TNG-001' ON CONFLICT DO NOTHING");
  exec_ok(t.conn, "UPDATE listing SET problem = 'shopee category 100645 requires \"Shelf Life\";"
                  " the product has no shelf_life attribute', problem_kind = 'content',"
                  " problem_at = '2026-11-24 10:00:00+00' WHERE product_id ="
                  " (SELECT id FROM product WHERE code = 'OCP-TNG-001')");
  run_ctl(&r, db, held);
  ASSERT_EQ(r.status, 0);
  ASSERT(strstr(r.out, "shopee-1 OCP-TNG-001 (") != NULL);
  ASSERT(strstr(r.out, ", held for content since 2026-11-24T10:00:00Z)\n"
                       "    shopee category 100645 requires \"Shelf Life\"; the product has no "
                       "shelf_life attribute\n") != NULL);
  run_ctl(&r, db, status);
  ASSERT_EQ(r.status, 0);
  ASSERT(strstr(r.out, "Held listings: 1 (why: ocopctl listings --problems)\n") != NULL);
  free(db);
  db_drop(&t);
  return TEST_OK;
}
