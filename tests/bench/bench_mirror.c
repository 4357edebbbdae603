/*
 * bench_mirror.c — how fast ocopd mirrors a large catalogue.
 *
 * Generates N certified products (default 20,000; argv[1] overrides) in a
 * fresh database, registers one simulated Shopee shop, starts ocopd and
 * waits until every product is listed. Prints listings per second, marketplace
 * requests per second, ocopd's CPU seconds and peak RSS (from wait4), and the
 * ratios between them. A measurement, never a pass/fail test.
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

#include "harness.h"

static double now_s(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

struct progress {
  PGconn *db;
  int n;
};

static int all_listed(void *arg) {
  struct progress *p = arg;

  return itest_sql_int(p->db, "SELECT count(*) FROM listing WHERE state = 'listed'") >= p->n;
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20000, status;
  const char *conninfo;
  char workdir[256];
  struct itest_sim sim;
  struct itest_daemon d;
  struct progress p;
  struct rusage ru;
  PGconn *db;
  cJSON *stats;
  double t0, t1, cpu, requests;

  if (itest_need_pg() != 0) {
    fprintf(stderr, "bench: OCOP_TEST_PG is not set; run `make bench`\n");
    return 77;
  }
  snprintf(workdir, sizeof workdir, "%s", itest_workdir("bench"));
  conninfo = itest_db_create("bench");
  db = itest_connect(conninfo);
  {
    const char *migrate[] = {"ocopctl", "-d", conninfo, "migrate", NULL};

    ASSERT_EQ(itest_run(migrate, NULL, NULL), 0);
  }
  itest_pin_date(db, "2026-11-25");
  itest_generate_products(db, "BENCH", n);
  itest_sim_start(&sim);
  itest_add_shop(db, &sim, workdir, "delist"); /* queues n publish jobs */
  printf("bench: %d products, %lld jobs queued\n", n,
         itest_sql_int(db, "SELECT count(*) FROM outbox WHERE state = 'pending'"));
  fflush(stdout);

  t0 = now_s();
  /* Production sweep interval: the harness default (2 s) is for tests. */
  itest_daemon_start(&d, workdir, conninfo,
                     "log_level = info\nconcurrency = 64\nsweep_interval = 60s\n"
                     "rate_limits = shopee:0\n"); /* measure ocopd, not the limiter */
  p.db = db;
  p.n = n;
  if (!itest_wait(all_listed, &p, 30 * 60 * 1000)) {
    fprintf(stderr, "bench: not all listed after 30 minutes\n");
    return 1;
  }
  t1 = now_s();
  kill(d.pid, SIGTERM);
  ASSERT(wait4(d.pid, &status, 0, &ru) == d.pid);
  d.pid = 0;
  stats = itest_sim_call(&sim, "GET", "/_sim/stats", NULL);
  requests = cJSON_GetNumberValue(cJSON_GetObjectItem(stats, "requests"));
  cJSON_Delete(stats);
  cpu = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
        (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;

  printf("bench: mirrored %d listings in %.2f s\n", n, t1 - t0);
  printf("bench: listings/s            %.0f\n", n / (t1 - t0));
  printf("bench: requests/s            %.0f  (%.0f requests, %.3f per listing)\n",
         requests / (t1 - t0), requests, requests / n);
  printf("bench: ocopd CPU seconds     %.2f  (%.1f%% of one core; %.0f us per listing)\n", cpu,
         100 * cpu / (t1 - t0), 1e6 * cpu / n);
  printf("bench: ocopd peak RSS        %ld KiB\n", ru.ru_maxrss);
  printf("bench: exit status           %d\n", WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  itest_sim_stop(&sim);
  PQfinish(db);
  return 0;
}
