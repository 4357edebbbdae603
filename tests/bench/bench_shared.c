/*
 * bench_shared.c — two ocopd processes on one database share a mirror.
 *
 * N certified products (default 5,000; argv[1] overrides), one to three
 * variants each, one simulated Shopee shop; two daemons started at once on
 * the same database and configuration. Waits until every product is listed,
 * then prints the total rate, how the jobs split between the two (the lease
 * owner each finished job keeps), and the checks that sharing must pass: no
 * create sent twice (the simulator's create calls against the listings) and
 * no SKU on the simulator twice. A measurement: it prints figures, and exits
 * 1 only when one of those checks fails.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "catalogue.h"
#include "harness.h"

/* Create calls the simulator answered, and SKUs it holds more than once. */
static void sim_counts(struct itest_sim *sim, int *creates, int *dup_skus) {
  cJSON *stats = itest_sim_call(sim, "GET", "/_sim/stats", NULL);
  cJSON *items = itest_sim_items(sim), *it, *seen = cJSON_CreateObject();
  cJSON *c = cJSON_GetObjectItem(cJSON_GetObjectItem(stats, "by_path"), "/api/v2/product/add_item");

  *creates = cJSON_IsNumber(c) ? (int)c->valuedouble : 0;
  *dup_skus = 0;
  cJSON_ArrayForEach(it, items) {
    const char *sku = cJSON_GetStringValue(cJSON_GetObjectItem(it, "item_sku"));

    if (!sku)
      continue;
    if (cJSON_GetObjectItem(seen, sku))
      (*dup_skus)++;
    else
      cJSON_AddTrueToObject(seen, sku);
  }
  cJSON_Delete(seen);
  cJSON_Delete(items);
  cJSON_Delete(stats);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 5000, creates, dups, i;
  const char *conninfo;
  char workdir[256];
  const char *conf = "log_level = info\nconcurrency = 64\nsweep_interval = 60s\n"
                     "rate_limits = shopee:0\n";
  struct itest_sim sim;
  struct itest_daemon d[2];
  struct bench_progress p;
  PGconn *db;
  PGresult *split;
  double t0, t1;

  if (itest_need_pg() != 0) {
    fprintf(stderr, "bench: OCOP_TEST_PG is not set; run `make bench`\n");
    return 77;
  }
  setvbuf(stdout, NULL, _IOLBF, 0);
  snprintf(workdir, sizeof workdir, "%s", itest_workdir("bench_shared"));
  db = bench_catalogue("bench_shared", "SHARED", n, &conninfo);
  bench_add_variants(db);
  itest_sim_start(&sim);
  itest_add_shop(db, &sim, workdir, "delist");
  PQclear(itest_sql(db, "INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop "
                        "ON CONFLICT DO NOTHING"));
  itest_sql_int(db, "SELECT ocop_sync(NULL, NULL)");
  printf("bench: two daemons, %d products, %lld jobs queued\n", n,
         itest_sql_int(db, "SELECT count(*) FROM outbox WHERE state = 'pending'"));

  t0 = bench_now_s();
  /* The same configuration file for both: they differ only in their pid,
   * which names the leases they take. */
  for (i = 0; i < 2; i++)
    itest_daemon_start(&d[i], workdir, conninfo, conf);
  p.db = db;
  p.n = n;
  if (!itest_wait(bench_all_listed, &p, 30 * 60 * 1000)) {
    fprintf(stderr, "bench: not all listed after 30 minutes\n");
    return 1;
  }
  t1 = bench_now_s();
  for (i = 0; i < 2; i++)
    itest_daemon_stop(&d[i], SIGTERM);

  printf("bench: mirrored %d listings in %.2f s: %.0f listings/s with two daemons\n", n, t1 - t0,
         n / (t1 - t0));
  split = itest_sql(db, "SELECT lease_owner, count(*) FROM outbox WHERE state = 'done' "
                        "GROUP BY lease_owner ORDER BY lease_owner");
  for (i = 0; i < PQntuples(split); i++)
    printf("bench: jobs done by %-24s %s\n", PQgetvalue(split, i, 0), PQgetvalue(split, i, 1));
  PQclear(split);
  sim_counts(&sim, &creates, &dups);
  printf("bench: create calls %d for %d listings; SKUs on the simulator twice: %d\n", creates, n,
         dups);
  itest_sim_stop(&sim);
  PQfinish(db);
  return creates == n && dups == 0 ? 0 : 1;
}
