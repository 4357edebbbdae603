/*
 * bench_mirror.c — how fast ocopd mirrors a large catalogue.
 *
 * Generates N certified products (default 20,000; argv[1] overrides) with
 * one to three variants each (pack sizes: a third have one, a third two, a
 * third three) in a fresh database, registers one simulated Shopee shop,
 * starts ocopd and waits until every product is listed with every variant
 * on its item. Then one unit of every variant is sold at once (a ledger row
 * each) and it waits until every listing has pushed its new counts. Prints
 * listings and variants per second, variant stock pushes per second,
 * marketplace requests per second, ocopd's CPU seconds and peak RSS (from
 * wait4), and the ratios between them. A measurement, never a pass/fail
 * test.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "catalogue.h"
#include "harness.h"
#include "limits.h"

/* Every stock push sent and recorded. */
static int all_pushed(void *arg) {
  struct bench_progress *p = arg;

  return itest_sql_int(p->db, "SELECT count(*) FROM outbox WHERE kind = 'stock' "
                              "AND state IN ('pending', 'running')") == 0 &&
         itest_sql_int(p->db, "SELECT count(*) FROM listing_variant lv JOIN stock_level s "
                              "ON s.variant_id = lv.variant_id "
                              "WHERE lv.sent_stock IS DISTINCT FROM s.on_hand - s.reserved") == 0;
}

static double requests_so_far(struct itest_sim *sim) {
  cJSON *stats = itest_sim_call(sim, "GET", "/_sim/stats", NULL);
  double r = cJSON_GetNumberValue(cJSON_GetObjectItem(stats, "requests"));

  cJSON_Delete(stats);
  return r;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20000, status;
  const char *conninfo;
  char workdir[256];
  struct itest_sim sim;
  struct itest_daemon d;
  struct bench_progress p;
  struct rusage ru;
  struct bench_limits lim;
  PGconn *db;
  long long nvar;
  double t0, t1, t2, t3, cpu, requests, push_requests;

  if (itest_need_pg() != 0) {
    fprintf(stderr, "bench: OCOP_TEST_PG is not set; run `make bench`\n");
    return 77;
  }
  snprintf(workdir, sizeof workdir, "%s", itest_workdir("bench"));
  db = bench_catalogue("bench", "BENCH", n, &conninfo);
  bench_add_variants(db);
  nvar = itest_sql_int(db, "SELECT count(*) FROM variant");
  itest_sim_start(&sim);
  if (bench_limits_measure(sim.base, conninfo, &lim) != 0) {
    fprintf(stderr, "bench: cannot measure the bare limits\n");
    return 1;
  }
  itest_add_shop(db, &sim, workdir, "delist");
  PQclear(itest_sql(db, "INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop "
                        "ON CONFLICT DO NOTHING"));
  itest_sql_int(db, "SELECT ocop_sync(NULL, NULL)"); /* queues n publish jobs */
  printf("bench: %d products, %lld variants, %lld jobs queued\n", n, nvar,
         itest_sql_int(db, "SELECT count(*) FROM outbox WHERE state = 'pending'"));
  fflush(stdout);

  t0 = bench_now_s();
  /* Production sweep interval: the harness default (2 s) is for tests.
   * The simulator answers at once and has no rate limit, so the calls in
   * flight and the claims are sized to keep the database busy, as an
   * operator would for a marketplace that allows it (measured at 5,000
   * products: 10.9-12.3 s with 256, 18.3-18.7 s with 64). */
  itest_daemon_start(&d, workdir, conninfo,
                     "log_level = info\nconcurrency = 256\nclaim_batch = 256\n"
                     "sweep_interval = 60s\n"
                     "rate_limits = shopee:0\n"); /* measure ocopd, not the limiter */
  p.db = db;
  p.n = n;
  if (!itest_wait(bench_all_listed, &p, 30 * 60 * 1000)) {
    fprintf(stderr, "bench: not all listed after 30 minutes\n");
    return 1;
  }
  t1 = bench_now_s();
  requests = requests_so_far(&sim);

  /* One unit of every variant sold at once: a stock push per listing, each
   * naming every variant on its item. */
  PQclear(itest_sql(db, "INSERT INTO stock_ledger (variant_id, delta, reason) "
                        "SELECT id, -1, 'adjust' FROM variant"));
  t2 = bench_now_s();
  if (!itest_wait(all_pushed, &p, 30 * 60 * 1000)) {
    fprintf(stderr, "bench: not all stock pushed after 30 minutes\n");
    return 1;
  }
  t3 = bench_now_s();
  push_requests = requests_so_far(&sim) - requests;
  kill(d.pid, SIGTERM);
  ASSERT(wait4(d.pid, &status, 0, &ru) == d.pid);
  d.pid = 0;
  cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
        (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;

  printf("bench: mirrored %d listings (%lld variants) in %.2f s\n", n, nvar, t1 - t0);
  printf("bench: listings/s            %.0f\n", n / (t1 - t0));
  printf("bench: variants listed/s     %.0f\n", (double)nvar / (t1 - t0));
  printf("bench: requests/s            %.0f  (%.0f requests, %.3f per listing)\n",
         requests / (t1 - t0), requests, requests / n);
  printf("bench: pushed %lld variant counts in %.2f s\n", nvar, t3 - t2);
  printf("bench: variant pushes/s      %.0f  (%.0f requests, %.2f variants per request)\n",
         (double)nvar / (t3 - t2), push_requests, (double)nvar / push_requests);
  printf("bench: ocopd CPU seconds     %.2f  (%.1f%% of one core; %.0f us per listing, "
         "both phases)\n", cpu, 100 * cpu / (t3 - t0), 1e6 * cpu / n);
  printf("bench: ocopd peak RSS        %ld KiB\n", ru.ru_maxrss);
  printf("bench: exit status           %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  /* The bounds: HTTP alone allows the curl rate divided by the requests a
   * listing takes, and costs the curl CPU per request times that many. */
  bench_limits_row("initial mirror, listings/s", n / (t1 - t0), "/s", 5000, 1,
                   lim.http_per_s / (requests / n));
  bench_limits_row("ocopd CPU per listing (both phases)", 1e6 * cpu / n, "us", 30, 0,
                   lim.http_cpu_us * (requests + push_requests) / n);
  itest_sim_stop(&sim);
  PQfinish(db);
  return 0;
}
