/*
 * test_schema.c — where the schema comes from (sql/README.md): tables from
 * the numbered migrations, functions, views and triggers from the SQL logic
 * files, on a real PostgreSQL ($OCOP_TEST_PG; skipped without it).
 *
 * A database that today's migrations 001–008 made, before the logic files
 * existed, must end with exactly the schema of a fresh database and keep
 * every row (migration 009 reshapes some tables: their row counts hold and
 * each product becomes a variant of its own code); a changed logic file is applied again, all of it in one
 * transaction; and every function, view and trigger has its definition in
 * exactly one logic file.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "logic.h"
#include "migrate.h"

/* The last version deployed before sql/logic/ existed: databases at it were
 * made by migrations alone. */
#define LEGACY_VERSION 8

/* ---- helpers -------------------------------------------------------------- */

/* A new empty database; the conninfo is copied (the harness reuses its). */
static PGconn *new_db(const char *tag, char *conninfo, size_t len) {
  snprintf(conninfo, len, "%s", itest_db_create(tag));
  return itest_connect(conninfo);
}

static void drop_db(PGconn *conn) {
  char sql[200];
  PGconn *admin = itest_connect(getenv("OCOP_TEST_PG"));

  snprintf(sql, sizeof sql, "DROP DATABASE IF EXISTS %s WITH (FORCE)", PQdb(conn));
  PQfinish(conn);
  PQclear(itest_sql(admin, sql));
  PQfinish(admin);
}

static void migrate_ok(PGconn *conn, struct migrate_outcome *m) {
  char err[512];

  if (migrate_apply(conn, m, err, sizeof err) != 0)
    fprintf(stderr, "migrate: %s\n", err);
  ASSERT_EQ(m->to, migrations[migrations_count - 1].version);
}

/* How many embedded migrations a database made before the logic files had. */
static size_t legacy_count(void) {
  size_t n = 0;

  while (n < migrations_count && migrations[n].version <= LEGACY_VERSION)
    n++;
  ASSERT_EQ(migrations[n - 1].version, LEGACY_VERSION);
  return n;
}

/* Rows of every kind a running system has: catalogue, stock, a shop with its
 * listings and jobs, an order with its ledger rows, a pinned date. */
static void add_data(PGconn *conn) {
  static const char *const sql[] = {
      "SELECT ocop_clock_pin('2026-11-25', 'test_schema')",
      "INSERT INTO producer (name, kind) VALUES ('HTX Thử', 'cooperative')",
      "INSERT INTO product (code, name_vi, producer_id, category_code, price_vnd)"
      " SELECT 'P-' || i, 'Sản phẩm ' || i, (SELECT id FROM producer), 'I.2.b', 1000 * i"
      " FROM generate_series(1, 5) i",
      "INSERT INTO certificate (product_id, stars, decision_no, decision_date)"
      " SELECT id, 4, 'QĐ-' || id, '2025-01-10' FROM product WHERE code <> 'P-5'",
      "INSERT INTO stock_ledger (product_id, delta, reason) SELECT id, 10, 'import' FROM product",
      "INSERT INTO connector_caps (marketplace, can_strip) VALUES ('shopee', true)",
      "INSERT INTO shop (name, marketplace, mp_shop_id) VALUES ('shopee-main', 'shopee', '2001')",
      "SELECT ocop_ingest_orders((SELECT id FROM shop), '{\"orders\": [{\"id\": \"O-1\","
      " \"status\": \"COMPLETED\", \"effect\": \"sold\", \"update_time\": 1764000000,"
      " \"lines\": [{\"sku\": \"P-1\", \"qty\": 2}]}]}', NULL, now(), 5)",
  };
  size_t i;

  for (i = 0; i < sizeof sql / sizeof sql[0]; i++)
    PQclear(itest_sql(conn, sql[i]));
  ASSERT(itest_sql_int(conn, "SELECT count(*) FROM outbox") > 0);
}

/* Tables migrations 009, 010 and 012 reshape (a variant per product, stock
 * and order lines per variant, listing ids per variant, an assortment rule
 * per shop; a listing's problem and content, a connector's content
 * capability, the shop options that stood in for a product's images and
 * category; a ledger row's note, a revocation's reason):
 * their rows are rewritten by design, so only their row counts must hold.
 * schema_migration gains a row per migration: the test counts them on
 * their own. */
static const char *const reshaped[] = {"product", "stock_ledger", "stock_level", "order_line",
                                       "listing", "shop", "outbox", "connector_caps",
                                       "certificate", NULL};

/* Every table but schema_logic, in one string: per table the row count, the
 * newest row version (xmin) and a hash of every row's text. Any write, even
 * one storing the same values, moves xmin. The tables in `counts_only` give
 * their row count alone; tables that did not exist at version 8 are left
 * out. */
static char *data_fingerprint(PGconn *conn, const char *const *counts_only) {
  PGresult *tables = itest_sql(conn, "SELECT tablename FROM pg_tables WHERE schemaname = "
                                     "'public' AND tablename NOT IN ('schema_logic', 'schema_migration', "
                                     "'variant', 'listing_variant', 'assortment_rule', 'media', "
                                     "'product_image', 'image_upload', 'category_map', "
                                     "'product_category', 'product_attribute', 'attribute_map', "
                                     "'category_rules') ORDER BY 1");
  size_t len = 0, cap = 1;
  char *all = calloc(1, cap);
  int i;

  ASSERT_NOT_NULL(all);
  for (i = 0; i < PQntuples(tables); i++) {
    const char *t = PQgetvalue(tables, i, 0);
    char sql[512], *part;
    int whole = 1;
    size_t k;

    for (k = 0; counts_only && counts_only[k]; k++)
      whole &= strcmp(counts_only[k], t) != 0;
    if (whole)
      snprintf(sql, sizeof sql,
               "SELECT '%s ' || count(*) || ' ' || coalesce(max(xmin::text::bigint), 0)"
               " || ' ' || coalesce(sum(hashtext(t::text)::bigint), 0) FROM \"%s\" t",
               t, t);
    else
      snprintf(sql, sizeof sql, "SELECT '%s ' || count(*) FROM \"%s\" t", t, t);
    part = itest_sql_text(conn, sql);
    cap = len + strlen(part) + 2;
    all = realloc(all, cap);
    ASSERT_NOT_NULL(all);
    len += (size_t)sprintf(all + len, "%s;", part);
    free(part);
  }
  PQclear(tables);
  return all;
}

/* The path of pg_dump on $PATH, or NULL. */
static const char *pg_dump_path(void) {
  static char path[1024];
  char *dirs = strdup(getenv("PATH") ? getenv("PATH") : "/usr/bin:/bin"), *save = NULL, *d;

  ASSERT_NOT_NULL(dirs);
  for (d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save)) {
    snprintf(path, sizeof path, "%s/pg_dump", d);
    if (access(path, X_OK) == 0) {
      free(dirs);
      return path;
    }
  }
  free(dirs);
  return NULL;
}

/* pg_dump --schema-only, without the \restrict lines whose key is new on
 * every run (pg_dump 15.14 and later). */
static char *schema_dump(const char *conninfo) {
  const char *argv[] = {pg_dump_path(), "--schema-only", "-d", conninfo, NULL};
  char *out = NULL, *err = NULL, *line, *save = NULL, *kept;
  size_t len = 0;
  int rc = itest_run(argv, &out, &err);

  if (rc != 0)
    fprintf(stderr, "pg_dump: %s", err ? err : "");
  ASSERT_EQ(rc, 0);
  ASSERT_NOT_NULL(out);
  kept = calloc(1, strlen(out) + 1);
  ASSERT_NOT_NULL(kept);
  for (line = strtok_r(out, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
    if (strncmp(line, "\\restrict ", 10) == 0 || strncmp(line, "\\unrestrict ", 12) == 0)
      continue;
    len += (size_t)sprintf(kept + len, "%s\n", line);
  }
  free(out);
  free(err);
  return kept;
}

/* Prints the first line where a and b differ, to say why they do. */
static void show_first_difference(const char *a, const char *b) {
  size_t i = 0, start = 0;

  while (a[i] && a[i] == b[i]) {
    if (a[i] == '\n')
      start = i + 1;
    i++;
  }
  fprintf(stderr, "fresh:    %.*s\nupgraded: %.*s\n", (int)strcspn(a + start, "\n"),
          a + start, (int)strcspn(b + start, "\n"), b + start);
}

static char *read_source(const char *name) {
  char path[2048];
  char *text;

  snprintf(path, sizeof path, "%s/sql/%s", itest_srcdir(), name);
  text = itest_read_file(path);
  if (!text)
    fprintf(stderr, "cannot read %s\n", path);
  ASSERT_NOT_NULL(text);
  return text;
}

/* ---- tests ---------------------------------------------------------------- */

/* Each embedded logic file is its file byte for byte, and every file of
 * sql/logic/ is embedded: one left out of sql/local.mk would never apply. */
TEST_IMPL(logic_files_embedded_exactly) {
  char dir[2048], name[512];
  struct dirent *e;
  DIR *d;
  size_t i, files = 0;

  ASSERT(sql_logic_count >= 1);
  for (i = 0; i < sql_logic_count; i++) {
    char *text = read_source(sql_logic[i].name);

    ASSERT_STR_EQ(sql_logic[i].sql, text);
    ASSERT_EQ(strlen(sql_logic[i].checksum), 64);
    free(text);
  }
  snprintf(dir, sizeof dir, "%s/sql/logic", itest_srcdir());
  d = opendir(dir);
  ASSERT_NOT_NULL(d);
  while ((e = readdir(d)) != NULL) {
    size_t n = strlen(e->d_name);
    int found = 0;

    if (n < 5 || strcmp(e->d_name + n - 4, ".sql") != 0)
      continue;
    files++;
    snprintf(name, sizeof name, "logic/%s", e->d_name);
    for (i = 0; i < sql_logic_count; i++)
      found |= strcmp(sql_logic[i].name, name) == 0;
    if (!found)
      fprintf(stderr, "sql/%s is not in SQL_LOGIC (sql/local.mk)\n", name);
    ASSERT(found);
  }
  closedir(d);
  ASSERT_EQ(files, sql_logic_count);
  return TEST_OK;
}

/* The transition: a database that migrations 001–008 made and that holds
 * data gets the logic files on its next start, keeps every row, and has the
 * very schema of a fresh database. */
TEST_IMPL(upgrade_from_version_8_matches_a_fresh_database) {
  char fresh_ci[1024], old_ci[1024], err[512], *before, *after, *fresh_dump, *old_dump;
  struct migrate_outcome m;
  PGconn *fresh, *old;
  int from, to;

  if (itest_need_pg())
    return TEST_SKIP;
  if (!pg_dump_path()) {
    test_skip_reason("pg_dump is not on PATH (apt-get install postgresql-client-15)");
    return TEST_SKIP;
  }
  fresh = new_db("schema_fresh", fresh_ci, sizeof fresh_ci);
  migrate_ok(fresh, &m);
  ASSERT_EQ(m.migrations, migrations_count);
  ASSERT_EQ(m.logic, sql_logic_count);

  /* What the build before sql/logic/ did: the migrations alone. */
  old = new_db("schema_old", old_ci, sizeof old_ci);
  ASSERT_EQ(migrate_apply_set(old, migrations, legacy_count(), &from, &to, err, sizeof err),
            legacy_count());
  ASSERT_EQ(to, LEGACY_VERSION);
  add_data(old);
  before = data_fingerprint(old, reshaped);

  migrate_ok(old, &m);
  ASSERT_EQ(m.from, LEGACY_VERSION);
  ASSERT_EQ(m.migrations, migrations_count - legacy_count());
  ASSERT_EQ(m.logic, sql_logic_count);
  after = data_fingerprint(old, reshaped);
  ASSERT_STR_EQ(after, before);
  /* Each product became one variant under its own code, with its stock. */
  ASSERT_EQ(itest_sql_int(old, "SELECT count(*) FROM product p JOIN variant v ON v.product_id = "
                               "p.id AND v.sku = p.code"), 5);
  ASSERT_EQ(itest_sql_int(old, "SELECT count(*) FROM variant"), 5);
  ASSERT_EQ(itest_sql_int(old, "SELECT count(*) FROM schema_migration"), (long long)migrations_count);
  ASSERT_EQ(itest_sql_int(old, "SELECT on_hand FROM stock_level s JOIN variant v ON v.id = "
                               "s.variant_id WHERE v.sku = 'P-1'"), 8);
  ASSERT_EQ(itest_sql_int(old, "SELECT count(*) FROM order_line WHERE variant_id IS NULL"), 0);

  fresh_dump = schema_dump(fresh_ci);
  old_dump = schema_dump(old_ci);
  if (strcmp(fresh_dump, old_dump) != 0)
    show_first_difference(fresh_dump, old_dump);
  ASSERT_STR_EQ(old_dump, fresh_dump);
  ASSERT(strstr(fresh_dump, "CREATE FUNCTION public.ocop_sync(") != NULL);

  /* And the upgraded database still does its work. */
  ASSERT_EQ(itest_sql_int(old, "SELECT ocop_sweep()"), 0);
  ASSERT_EQ(itest_sql_int(old, "SELECT count(*) FROM product_eligibility WHERE eligible"), 4);
  free(before), free(after), free(fresh_dump), free(old_dump);
  drop_db(fresh);
  drop_db(old);
  return TEST_OK;
}

/* A logic file whose recorded checksum differs (its file was edited) is
 * applied again with every other, and the edit is what the database runs. */
TEST_IMPL(changed_logic_is_applied_again) {
  char ci[1024], err[512], *before, *after;
  struct migrate_outcome m;
  PGconn *conn;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = new_db("schema_changed", ci, sizeof ci);
  migrate_ok(conn, &m);
  ASSERT_EQ(migrate_check(conn, err, sizeof err), 0);

  /* As if the database ran an older listing_jobs.sql. */
  PQclear(itest_sql(conn, "CREATE OR REPLACE FUNCTION ocop_job_priority(p_kind text)"
                          " RETURNS smallint LANGUAGE sql IMMUTABLE AS $$ SELECT 9::smallint $$"));
  PQclear(itest_sql(conn, "UPDATE schema_logic SET checksum = 'older'"
                          " WHERE name = 'logic/listing_jobs.sql'"));
  ASSERT_EQ(migrate_check(conn, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "SQL logic: sql/logic/listing_jobs.sql differs from the applied one: "
                     "run ocopctl migrate");

  migrate_ok(conn, &m);
  ASSERT_EQ(m.migrations, 0);
  ASSERT_EQ(m.logic, sql_logic_count);
  ASSERT_EQ(itest_sql_int(conn, "SELECT ocop_job_priority('delist')"), 0);
  ASSERT_EQ(migrate_check(conn, err, sizeof err), 0);

  /* Current now: nothing is applied or written again. */
  before = itest_sql_text(conn, "SELECT string_agg(name || xmin::text, ',' ORDER BY name)"
                                " FROM schema_logic");
  migrate_ok(conn, &m);
  ASSERT_EQ(m.logic, 0);
  after = itest_sql_text(conn, "SELECT string_agg(name || xmin::text, ',' ORDER BY name)"
                               " FROM schema_logic");
  ASSERT_STR_EQ(after, before);
  free(before), free(after);
  drop_db(conn);
  return TEST_OK;
}

/* Made-up files, to see each rule alone. */
#define MIG_A {1, "001_a.sql", "CREATE TABLE a (x int);", "ma"}
#define MIG_B {2, "002_b.sql", "DROP VIEW va; ALTER TABLE a ALTER x TYPE bigint;", "mb"}
#define LOGIC_VA {"logic/va.sql", "CREATE OR REPLACE VIEW va AS SELECT x FROM a;", "la"}

TEST_IMPL(logic_rules) {
  static const struct migration set_a[] = {MIG_A}, set_ab[] = {MIG_A, MIG_B};
  static const struct sql_logic logic[] = {LOGIC_VA};
  static const struct sql_logic broken[] = {
      {"logic/va.sql", "CREATE OR REPLACE VIEW va AS SELECT x, 1 AS y FROM a;", "la2"},
      {"logic/wb.sql", "SELEC 1;", "lb"}};
  char ci[1024], err[512];
  int from, to;
  PGconn *conn;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = new_db("schema_rules", ci, sizeof ci);
  ASSERT_EQ(migrate_apply_set(conn, set_a, 1, &from, &to, err, sizeof err), 1);
  ASSERT_EQ(logic_check_set(conn, logic, 1, 1, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "the SQL logic was never applied: run ocopctl migrate");
  ASSERT_EQ(logic_apply_set(conn, logic, 1, 1, err, sizeof err), 1);
  ASSERT_EQ(logic_apply_set(conn, logic, 1, 1, err, sizeof err), 0);

  /* A migration dropped the view to change a column it reads: the logic,
   * unchanged, is applied again because the schema version moved. */
  ASSERT_EQ(migrate_apply_set(conn, set_ab, 2, &from, &to, err, sizeof err), 1);
  ASSERT_EQ(logic_check_set(conn, logic, 1, 2, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "SQL logic: sql/logic/va.sql was applied on schema version 1: run "
                     "ocopctl migrate");
  ASSERT_EQ(logic_apply_set(conn, logic, 1, 2, err, sizeof err), 1);
  ASSERT_EQ(itest_sql_int(conn, "SELECT count(*) FROM va"), 0);
  ASSERT_EQ(logic_check_set(conn, logic, 1, 2, err, sizeof err), 0);

  /* One failing file: nothing of the set is applied, nothing recorded. */
  ASSERT_EQ(logic_apply_set(conn, broken, 2, 2, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "SQL logic sql/logic/wb.sql failed: syntax error at or near \"SELEC\"");
  ASSERT_EQ(itest_sql_int(conn, "SELECT count(*) FROM information_schema.columns"
                                " WHERE table_name = 'va'"),
            1);
  ASSERT_EQ(logic_check_set(conn, logic, 1, 2, err, sizeof err), 0);

  /* An older build never puts its logic over a newer schema. */
  ASSERT_EQ(logic_apply_set(conn, logic, 1, 1, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "database schema is at version 2, this build knows up to 1: upgrade ocopd");

  /* A file the build no longer has is reported by the check. */
  ASSERT_EQ(logic_apply_set(conn, broken, 1, 2, err, sizeof err), 1);
  PQclear(itest_sql(conn, "INSERT INTO schema_logic VALUES ('logic/old.sql', 'x', 2, now())"));
  ASSERT_EQ(logic_check_set(conn, broken, 1, 2, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "SQL logic: sql/logic/old.sql is applied but not in this build: run "
                     "ocopctl migrate");
  ASSERT(PQtransactionStatus(conn) == PQTRANS_IDLE);
  drop_db(conn);
  return TEST_OK;
}

/* Every function, view, trigger and composite type of a migrated database
 * is created by exactly one logic file, and no migration after the legacy
 * ones creates any: a reader finds each current definition in one place. */
TEST_IMPL(every_definition_in_one_logic_file) {
  static const char *const objects =
      "SELECT o.kind || ' ' || o.name || ': ' || count(f.name) || ' files'"
      "  FROM (SELECT 'FUNCTION' AS kind, p.proname::text AS name FROM pg_proc p"
      "         WHERE p.pronamespace = 'public'::regnamespace"
      "        UNION SELECT 'VIEW', relname FROM pg_class"
      "         WHERE relnamespace = 'public'::regnamespace AND relkind IN ('v', 'm')"
      "        UNION SELECT 'TRIGGER', t.tgname FROM pg_trigger t"
      "          JOIN pg_class c ON c.oid = t.tgrelid"
      "         WHERE NOT t.tgisinternal AND c.relnamespace = 'public'::regnamespace"
      "        UNION SELECT 'TYPE', t.typname FROM pg_type t JOIN pg_class c ON c.oid = t.typrelid"
      "         WHERE t.typnamespace = 'public'::regnamespace AND c.relkind = 'c') o"
      "  LEFT JOIN logic_text f"
      "    ON f.body ~ ('(^|\\n)CREATE (OR REPLACE )?' || o.kind || ' ' || o.name || '\\M')"
      " GROUP BY o.kind, o.name HAVING count(f.name) <> 1 ORDER BY 1";
  char ci[1024];
  struct migrate_outcome m;
  PGconn *conn;
  PGresult *res;
  size_t i;
  int j;

  if (itest_need_pg())
    return TEST_SKIP;
  conn = new_db("schema_defs", ci, sizeof ci);
  migrate_ok(conn, &m);
  PQclear(itest_sql(conn, "CREATE TEMP TABLE logic_text (name text, body text)"));
  for (i = 0; i < sql_logic_count; i++) {
    const char *params[2] = {sql_logic[i].name, sql_logic[i].sql};

    PQclear(PQexecParams(conn, "INSERT INTO logic_text VALUES ($1, $2)", 2, NULL, params, NULL,
                         NULL, 0));
  }
  ASSERT_EQ(itest_sql_int(conn, "SELECT count(*) FROM logic_text"), sql_logic_count);
  res = itest_sql(conn, objects);
  for (j = 0; j < PQntuples(res); j++)
    fprintf(stderr, "not in exactly one logic file: %s\n", PQgetvalue(res, j, 0));
  ASSERT_EQ(PQntuples(res), 0);
  PQclear(res);
  ASSERT(itest_sql_int(conn, "SELECT count(*) FROM pg_proc"
                             " WHERE pronamespace = 'public'::regnamespace") > 40);

  for (i = legacy_count(); i < migrations_count; i++) {
    const char *params[1] = {migrations[i].sql};

    res = PQexecParams(conn,
                       "SELECT $1 ~ '(^|\\n)CREATE (OR REPLACE )?(FUNCTION|VIEW|TRIGGER|TYPE) '",
                       1, NULL, params, NULL, NULL, 0);
    ASSERT(PQresultStatus(res) == PGRES_TUPLES_OK);
    if (strcmp(PQgetvalue(res, 0, 0), "f") != 0)
      fprintf(stderr, "%s defines a function, view, trigger or type: put it in sql/logic/\n",
              migrations[i].name);
    ASSERT_STR_EQ(PQgetvalue(res, 0, 0), "f");
    PQclear(res);
  }
  drop_db(conn);
  return TEST_OK;
}
