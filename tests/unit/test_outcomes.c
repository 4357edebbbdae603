/*
 * test_outcomes.c — daemon/outcomes.c against a real PostgreSQL named by
 * $OCOP_TEST_PG (skipped without it).
 *
 * What is under test is the batching, not the recording: a scratch schema
 * holds an ocop_finish_jobs and an ocop_finish_job with the real ones'
 * signatures that write down how each outcome arrived (a batch or alone)
 * and refuse the outcome "bogus". The real functions' rules are checked by
 * the itests, whose every job outcome goes through them.
 */
#include "outcomes.h"
#include "runner.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <uv.h>

#define MAX_OUT 400

static uv_loop_t loop;
static db_t *db;
static outcomes_t *outs;
static const char *pg;
static char schema[64];
static char search_path[128];
static struct {
  int calls;
  char state[16];
  char err[128];
} got[MAX_OUT];
static int answered, expected;

#define NEED_PG()                                                             \
  do {                                                                        \
    pg = getenv("OCOP_TEST_PG");                                              \
    if (pg == NULL || *pg == '\0') {                                          \
      test_skip_reason("OCOP_TEST_PG is not set");                            \
      return TEST_SKIP;                                                       \
    }                                                                         \
  } while (0)

/* One statement on a blocking connection; its first value (static) or "". */
static const char *pg_side(const char *sql) {
  static char out[256];
  PGconn *c = PQconnectdb(pg);
  PGresult *r;

  ASSERT(PQstatus(c) == CONNECTION_OK);
  r = PQexec(c, sql);
  if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
    fprintf(stderr, "side query failed: %s", PQresultErrorMessage(r));
    abort();
  }
  snprintf(out, sizeof out, "%s", PQntuples(r) > 0 && PQnfields(r) > 0 ? PQgetvalue(r, 0, 0) : "");
  PQclear(r);
  PQfinish(c);
  return out;
}

/* The two functions, as their callers see them. */
static void make_schema(void) {
  char sql[4096];

  snprintf(schema, sizeof schema, "ocop_outcomes_%d", (int)getpid());
  snprintf(sql, sizeof sql,
           "SET client_min_messages = warning; DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s;"
           "SET search_path = %s;"
           "CREATE TABLE rec (job bigint, via text, outcome text);"
           "CREATE FUNCTION ocop_finish_job(p_job bigint, p_owner text, p_outcome text, "
           "  p_error text, p_item_id text, p_retry_ms integer, p_max_attempts integer, "
           "  p_name text, p_description text, p_stars smallint, p_variants jsonb, "
           "  p_content text, p_settle_ms integer) RETURNS text LANGUAGE plpgsql AS $$ BEGIN "
           "  IF p_outcome = 'bogus' THEN RAISE EXCEPTION 'unknown outcome bogus'; END IF;"
           "  INSERT INTO rec VALUES (p_job, 'alone', p_outcome);"
           "  RETURN CASE p_outcome WHEN 'ok' THEN 'done' ELSE 'pending' END; END $$;"
           "CREATE FUNCTION ocop_finish_jobs(p_batch jsonb) RETURNS TABLE (r_job bigint, "
           "  r_state text) LANGUAGE plpgsql AS $$ DECLARE e jsonb; BEGIN "
           "  FOR e IN SELECT x FROM jsonb_array_elements(p_batch) x "
           "           ORDER BY (x->>0)::bigint LOOP "
           "    IF e->>2 = 'bogus' THEN RAISE EXCEPTION 'unknown outcome bogus'; END IF;"
           "    IF jsonb_array_length(e) <> 13 OR (e->>10)::jsonb IS NULL THEN "
           "      RAISE EXCEPTION 'not thirteen arguments'; END IF;"
           "    INSERT INTO rec VALUES ((e->>0)::bigint, 'batch', e->>2);"
           "    r_job := (e->>0)::bigint;"
           "    r_state := CASE e->>2 WHEN 'ok' THEN 'done' ELSE 'pending' END;"
           "    RETURN NEXT; END LOOP; END $$;",
           schema, schema, schema);
  pg_side(sql);
  snprintf(search_path, sizeof search_path, "SET search_path = %s", schema);
}

static void drop_schema(void) {
  char sql[128];

  snprintf(sql, sizeof sql, "SET client_min_messages = warning; DROP SCHEMA %s CASCADE", schema);
  pg_side(sql);
}

static long long side_count(const char *where) {
  char sql[256];

  snprintf(sql, sizeof sql, "SELECT count(*) FROM %s.rec WHERE %s", schema, where);
  return atoll(pg_side(sql));
}

static void on_closed(void *arg) { (void)arg; }

static void on_outcome(void *arg, const char *state, const char *err) {
  int i = (int)(intptr_t)arg;

  ASSERT((state == NULL) != (err == NULL));
  got[i].calls++;
  snprintf(got[i].state, sizeof got[i].state, "%s", state ? state : "");
  snprintf(got[i].err, sizeof got[i].err, "%s", err ? err : "");
  if (++answered == expected)
    db_close(db, on_closed, NULL);
}

static void add(int job, const char *outcome) {
  char id[16];
  const char *p[OUTCOME_NPARAMS] = {id, "owner-1", outcome, NULL, NULL, "0", "5",
                                    "Tên sản phẩm \"OCOP\"", "mô tả\nhai dòng", "4",
                                    "[{\"sku\": \"A-1\"}]", "sig", "120000"};

  snprintf(id, sizeof id, "%d", job);
  ASSERT_EQ(outcomes_add(outs, p, on_outcome, (void *)(intptr_t)job), 0);
}

static void start(unsigned max_batch, int n) {
  const char *setup_sql[2] = {search_path, NULL};
  struct db_options o;

  memset(got, 0, sizeof got);
  answered = 0;
  expected = n;
  make_schema();
  ASSERT_EQ(uv_loop_init(&loop), 0);
  memset(&o, 0, sizeof o);
  o.conninfo = pg;
  o.setup_sql = setup_sql;
  o.name = "test";
  db = db_new(&loop, &o, NULL, NULL, NULL);
  ASSERT_NOT_NULL(db);
  ASSERT_EQ(db_start(db), 0);
  outs = outcomes_new(db, max_batch);
  ASSERT_NOT_NULL(outs);
}

static void finish(struct outcomes_stats *st) {
  ASSERT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
  ASSERT_EQ(uv_loop_close(&loop), 0);
  ASSERT_EQ(answered, expected);
  ASSERT_EQ(outcomes_pending(outs), 0);
  outcomes_get_stats(outs, st);
  outcomes_free(outs);
}

/* The first outcome goes out at once; those that arrive meanwhile go in
 * batches of at most max_batch; each is answered once, with its state,
 * and recorded once. */
TEST_IMPL(outcomes_batch_what_arrives_meanwhile) {
  struct outcomes_stats st;
  int i;

  NEED_PG();
  start(100, 301);
  for (i = 1; i <= 301; i++)
    add(i, i % 2 ? "ok" : "retry");
  finish(&st);
  for (i = 1; i <= 301; i++) {
    ASSERT_EQ(got[i].calls, 1);
    ASSERT_STR_EQ(got[i].state, i % 2 ? "done" : "pending");
  }
  ASSERT_EQ(side_count("via = 'batch'"), 301);
  ASSERT_EQ(side_count("true"), 301);
  ASSERT_EQ(st.batches, 4); /* 1, then 100, 100, 100 */
  ASSERT_EQ(st.recorded, 301);
  ASSERT_EQ(st.largest, 100);
  ASSERT_EQ(st.singles, 0);
  drop_schema();
  return TEST_OK;
}

/* A batch that fails as a whole is sent again one outcome at a time: the
 * bad one gets its error, the others their states, nothing twice. */
TEST_IMPL(outcomes_failed_batch_goes_one_by_one) {
  struct outcomes_stats st;
  int i;

  NEED_PG();
  start(100, 6);
  add(1, "ok");
  for (i = 2; i <= 6; i++)
    add(i, i == 4 ? "bogus" : "ok");
  finish(&st);
  ASSERT_EQ(st.batches, 2);
  ASSERT_EQ(st.singles, 5);
  for (i = 1; i <= 6; i++) {
    ASSERT_EQ(got[i].calls, 1);
    if (i == 4) {
      ASSERT_STR_EQ(got[i].state, "");
      ASSERT_NOT_NULL(strstr(got[i].err, "unknown outcome bogus"));
    } else {
      ASSERT_STR_EQ(got[i].state, "done");
    }
  }
  ASSERT_EQ(side_count("via = 'batch'"), 1); /* job 1; the failed batch left nothing */
  ASSERT_EQ(side_count("via = 'alone'"), 4);
  ASSERT_EQ(side_count("true"), 5);
  drop_schema();
  return TEST_OK;
}
