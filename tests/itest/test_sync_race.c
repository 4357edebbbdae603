/*
 * test_sync_race.c — a sync whose snapshot is older than the end of a job
 * of the same listing and kind (sql/logic/sync.sql, ocop_sync_queue). Two
 * real sessions on PostgreSQL: one ends a pending publish, the other syncs
 * the listing and is held on the first one's row lock, so its snapshot
 * still shows the job pending when the first commits.
 *
 *   sync_racing_a_job_that_died_does_not_bring_it_back: the publish dies
 *     (with the listing's target) while the sync runs; a dead job stays
 *     dead, so the sync leaves no publish behind, pending or otherwise.
 *   sync_racing_a_job_that_died_keeps_its_own_change: the sync is a
 *     catalogue change's own; the publish died with the old target, so the
 *     new name needs a publish, and the change commits with it queued.
 *   outcomes_do_not_wait_on_a_change_that_names_their_listings: a batch of
 *     outcomes is recorded while another transaction holds a row whose
 *     foreign key names one of its listings, as a sync's inserts do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define TODAY "2026-11-25"
#define SKU "OCP-BTN-001" /* listed in the sample on TODAY */

struct race {
  const char *conninfo;
  PGconn *db;      /* the test's own look at the database */
  PGconn *ender;   /* ends the job, in a transaction left open */
  PGconn *syncer;  /* the sync held behind it */
  char *job;       /* the pending publish */
  char *listing;
};

/* The publish dies with the listing's target of now, as ocop_finish_jobs
 * records a job given up; the transaction stays open. */
static void end_job_uncommitted(struct race *r) {
  char sql[512];

  snprintf(sql, sizeof sql,
           "BEGIN; UPDATE outbox o SET state = 'dead', attempts = 2, updated_at = now(),"
           " last_error = 'HTTP 503', target = ocop_job_target('publish', t)"
           " FROM listing_target t WHERE o.id = %s AND t.listing_id = o.listing_id",
           r->job);
  PQclear(itest_sql(r->ender, sql));
}

/* A database with the sample, one shop carrying it, and the publish of
 * the sample's SKU ended in the ender's open transaction. */
static void race_open(struct race *r, const char *tag) {
  struct itest_sim none = {.base = "http://127.0.0.1:9"}; /* nothing is sent */
  char sql[256];

  r->conninfo = itest_db_create(tag);
  r->db = itest_connect(r->conninfo);
  itest_load_sample(r->conninfo, r->db, TODAY);
  itest_add_shop(r->db, &none, itest_workdir(tag), "delist");
  r->listing = itest_sql_text(r->db, "SELECT l.id FROM listing l JOIN product p ON p.id = l.product_id"
                                     " WHERE p.code = '" SKU "'");
  snprintf(sql, sizeof sql,
           "SELECT id FROM outbox WHERE listing_id = %s AND kind = 'publish' AND state = 'pending'",
           r->listing);
  r->job = itest_sql_text(r->db, sql);
  ASSERT(atoi(r->job) > 0);
  r->ender = itest_connect(r->conninfo);
  r->syncer = itest_connect(r->conninfo);
  end_job_uncommitted(r);
}

static void race_close(struct race *r) {
  PQfinish(r->syncer);
  PQfinish(r->ender);
  PQfinish(r->db);
  free(r->job);
  free(r->listing);
}

static int syncer_waits_on_a_lock(void *arg) {
  struct race *r = arg;
  char sql[160];

  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM pg_stat_activity WHERE pid = %d AND wait_event_type = 'Lock'",
           PQbackendPID(r->syncer));
  return itest_sql_int(r->db, sql) == 1;
}

/* Sends `sql` on the syncer, sees it held behind the open transaction,
 * commits that, and takes the syncer's answer. */
static void race(struct race *r, const char *sql) {
  PGresult *res;

  ASSERT_EQ(PQsendQuery(r->syncer, sql), 1);
  ASSERT(itest_wait(syncer_waits_on_a_lock, r, 10000));
  PQclear(itest_sql(r->ender, "COMMIT"));
  while ((res = PQgetResult(r->syncer)) != NULL) {
    if (PQresultStatus(res) != PGRES_TUPLES_OK && PQresultStatus(res) != PGRES_COMMAND_OK)
      fprintf(stderr, "syncer: %s", PQresultErrorMessage(res));
    ASSERT(PQresultStatus(res) == PGRES_TUPLES_OK || PQresultStatus(res) == PGRES_COMMAND_OK);
    PQclear(res);
  }
}

static long long publishes(struct race *r, const char *where) {
  char sql[256];

  snprintf(sql, sizeof sql,
           "SELECT count(*) FROM outbox WHERE listing_id = %s AND kind = 'publish' AND %s",
           r->listing, where);
  return itest_sql_int(r->db, sql);
}

TEST_IMPL(sync_racing_a_job_that_died_does_not_bring_it_back) {
  struct race r;
  char sql[256];

  if (itest_need_pg())
    return TEST_SKIP;
  race_open(&r, "sync_race_dead");
  snprintf(sql, sizeof sql,
           "SELECT ocop_sync(ARRAY(SELECT product_id FROM listing WHERE id = %s), NULL)",
           r.listing);
  race(&r, sql);

  ASSERT_EQ(publishes(&r, "true"), 1); /* the dead one, and no other row */
  ASSERT_EQ(publishes(&r, "state = 'dead'"), 1);
  /* A sync now, with nothing racing it, agrees. */
  PQclear(itest_sql(r.db, sql));
  ASSERT_EQ(publishes(&r, "true"), 1);
  race_close(&r);
  return 0;
}

TEST_IMPL(sync_racing_a_job_that_died_keeps_its_own_change) {
  struct race r;
  char sql[512];

  if (itest_need_pg())
    return TEST_SKIP;
  race_open(&r, "sync_race_change");
  snprintf(sql, sizeof sql,
           "BEGIN; UPDATE product SET name_vi = name_vi || ' (mùa mới)' WHERE code = '" SKU "';"
           " COMMIT");
  race(&r, sql);

  ASSERT_EQ(publishes(&r, "state = 'dead'"), 1);
  ASSERT_EQ(publishes(&r, "state = 'pending'"), 1);
  race_close(&r);
  return 0;
}

static int finished(void *arg) {
  PGconn *c = arg;

  return PQconsumeInput(c) == 1 && PQisBusy(c) == 0;
}

/* Two claimed jobs end while an open transaction holds a row naming the
 * second one's listing (an outbox or listing_variant row of a catalogue
 * change's sync takes the same FOR KEY SHARE lock). The outcomes lock a
 * job's rows FOR NO KEY UPDATE (sql/logic/outbox.sql), so they are
 * recorded at once; FOR UPDATE waited for the change, and a change that
 * then needed the first listing deadlocked with them. */
TEST_IMPL(outcomes_do_not_wait_on_a_change_that_names_their_listings) {
  struct itest_sim none = {.base = "http://127.0.0.1:9"}; /* nothing is sent */
  const char *conninfo;
  PGconn *db, *holder, *finisher;
  PGresult *res;
  char *jobs, *second, sql[512];

  if (itest_need_pg())
    return TEST_SKIP;
  conninfo = itest_db_create("outcome_locks");
  db = itest_connect(conninfo);
  itest_load_sample(conninfo, db, TODAY);
  itest_add_shop(db, &none, itest_workdir("outcome_locks"), "delist");
  PQclear(itest_sql(db, "CREATE TABLE claimed AS "
                        "SELECT job_id, listing_id FROM ocop_claim_jobs('w1', 2, 60, 3, '{}')"));
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM claimed"), 2);
  jobs = itest_sql_text(db, "SELECT string_agg(format('[%s, \"w1\", \"retry\", \"HTTP 503\", null, 0, 3, "
                            "null, null, null, null, null, 0]', job_id), ', ' ORDER BY job_id) "
                            "FROM claimed");
  second = itest_sql_text(db, "SELECT listing_id FROM claimed ORDER BY job_id DESC LIMIT 1");
  holder = itest_connect(conninfo);
  snprintf(sql, sizeof sql, "BEGIN; INSERT INTO event (kind, listing_id) VALUES ('test', %s)", second);
  PQclear(itest_sql(holder, sql));

  finisher = itest_connect(conninfo);
  snprintf(sql, sizeof sql, "SELECT count(*) FROM ocop_finish_jobs('[%s]')", jobs);
  ASSERT_EQ(PQsendQuery(finisher, sql), 1);
  ASSERT(itest_wait(finished, finisher, 10000));
  res = PQgetResult(finisher);
  ASSERT_EQ(PQresultStatus(res), PGRES_TUPLES_OK);
  ASSERT_STR_EQ(PQgetvalue(res, 0, 0), "2");
  PQclear(res);
  while ((res = PQgetResult(finisher)) != NULL)
    PQclear(res);
  ASSERT_EQ(itest_sql_int(db, "SELECT count(*) FROM outbox o JOIN claimed c ON c.job_id = o.id "
                              "WHERE o.state = 'pending' AND o.last_error = 'HTTP 503'"), 2);
  PQclear(itest_sql(holder, "ROLLBACK"));
  PQfinish(finisher);
  PQfinish(holder);
  PQfinish(db);
  free(jobs);
  free(second);
  return 0;
}
