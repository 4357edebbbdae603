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
