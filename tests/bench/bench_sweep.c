/*
 * bench_sweep.c — how long the sweep takes to queue every withdrawal when a
 * large catalogue's certificates lapse on one day.
 *
 * Generates N certified products (default 100,000; argv[1] overrides), all
 * certified the same day, carried by one Shopee shop. The listings are
 * put in the state a finished mirror leaves (listed, every value sent), so
 * that the sweep has nothing to do: that is checked, not assumed. Then it
 * times ocop_sweep (sql/logic/sync.sql), the periodic guarantee ocopd runs,
 * twice: on a day with nothing to do, and on the day after the
 * certificates lapsed, when it must queue a delist for every listing. The
 * bound is PostgreSQL's batched write rate on the same cluster (one outbox
 * row per withdrawal). A measurement, never a pass/fail test.
 */
#include <stdio.h>
#include <stdlib.h>

#include "catalogue.h"
#include "harness.h"
#include "limits.h"

/* The state a finished mirror leaves: every listing listed with what it
 * shows now, every variant on its item with its price and stock sent, and
 * the publish jobs done. */
static void as_if_mirrored(PGconn *db) {
  PQclear(itest_sql(db, "UPDATE outbox SET state = 'done', updated_at = now() "
                        "WHERE state = 'pending'"));
  PQclear(itest_sql(db, "UPDATE listing l SET state = 'listed', item_id = l.id::text, "
                        "sent_name = t.name, sent_description = t.description, "
                        "sent_stars = t.stars, sent_content = t.content_sig "
                        "FROM listing_target t WHERE t.listing_id = l.id"));
  PQclear(itest_sql(db, "UPDATE listing_variant lv SET remote_id = '0', sent_price = t.price, "
                        "sent_stock = t.stock FROM listing_variant_target t "
                        "WHERE t.listing_id = lv.listing_id AND t.variant_id = lv.variant_id"));
  /* As autovacuum would by the next sweep: with the statistics of the
   * empty tables, the planner's choices for 100,000 rows vary from run to
   * run (one run counted the jobs below for over 9 minutes). */
  PQclear(itest_sql(db, "ANALYZE"));
}

/* One ocop_sweep: its seconds, and the jobs it queued in *queued. */
static double timed_sweep(PGconn *db, long long *queued) {
  double t0 = bench_now_s();

  *queued = itest_sql_int(db, "SELECT ocop_sweep()");
  return bench_now_s() - t0;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100000;
  const char *conninfo;
  char workdir[256];
  struct itest_sim sim;
  struct bench_limits lim;
  long long queued, delists, left;
  double t_sync, t_idle, t_lapse;
  PGconn *db;

  if (itest_need_pg() != 0) {
    fprintf(stderr, "bench: OCOP_TEST_PG is not set; run `make bench`\n");
    return 77;
  }
  snprintf(workdir, sizeof workdir, "%s", itest_workdir("bench_sweep"));
  /* Certified 2025-06-01, for 36 months. */
  db = bench_catalogue("bench_sweep", "SWEEP", n, &conninfo);
  itest_sim_start(&sim);
  if (bench_limits_measure(sim.base, conninfo, &lim) != 0) {
    fprintf(stderr, "bench: cannot measure the bare limits\n");
    return 1;
  }
  itest_add_shop(db, &sim, workdir, "delist");
  PQclear(itest_sql(db, "INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop "
                        "ON CONFLICT DO NOTHING"));
  /* The assortment's own trigger has queued the publishes; this sync
   * finds them queued. */
  t_sync = bench_now_s();
  itest_sql_int(db, "SELECT ocop_sync(NULL, NULL)");
  t_sync = bench_now_s() - t_sync;
  printf("bench: %d products, %lld publish jobs pending; a sync over them took %.2f s\n", n,
         itest_sql_int(db, "SELECT count(*) FROM outbox WHERE kind = 'publish' AND "
                           "state = 'pending'"), t_sync);
  as_if_mirrored(db);
  left = itest_sql_int(db, "SELECT count(*) FROM listing_jobs");
  printf("bench: listings as a finished mirror leaves them: %lld listed, %lld jobs still due\n",
         itest_sql_int(db, "SELECT count(*) FROM listing WHERE state = 'listed'"), left);
  t_idle = timed_sweep(db, &queued);
  printf("bench: sweep with nothing to do: %.2f s, %lld jobs queued\n", t_idle, queued);

  itest_pin_date(db, "2028-06-02"); /* the day after the last day of validity */
  t_lapse = timed_sweep(db, &queued);
  delists = itest_sql_int(db, "SELECT count(*) FROM outbox WHERE kind = 'delist' AND "
                              "state = 'pending'");
  printf("bench: sweep the day after %d certificates lapsed: %.2f s, %lld jobs queued "
         "(%lld delists pending)\n", n, t_lapse, queued, delists);
  /* Bound: one outbox row per withdrawal, written at the batched rate. */
  bench_limits_row("expiry sweep: all withdrawals queued", t_lapse, "s", 1.0, 0,
                   (double)n / lim.pg_rows_per_s);
  itest_sim_stop(&sim);
  PQfinish(db);
  return 0;
}
