/*
 * bench_rss.c — ocopd's memory at 100,000 listings across 5 shops.
 *
 * Generates N products (default 20,000; argv[1] overrides) and five shops
 * that each carry all of them: Shopee, TikTok Shop and three Lazada
 * sellers, so N × 5 listings. ocopd mirrors them all to the simulator;
 * then it runs a sweep over every listing (sweep_interval = 10s) while
 * the benchmark watches. It prints the resident set size sampled through
 * the run, and the peak the kernel reports when ocopd exits, beside the
 * goal (32 MB). Nothing ocopd keeps should grow with the listings: it
 * streams them from PostgreSQL in claims of a bounded size. A measurement,
 * never a pass/fail test.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "catalogue.h"
#include "harness.h"

#define GOAL_KIB (32 * 1024)
#define LAZADA_APP "100777"
#define LAZADA_SECRET "itest-lazada-secret-91a"

struct watch {
  struct bench_progress p;
  struct itest_daemon *d;
  pid_t pid;
  long max_kib; /* largest VmRSS seen */
};

static void sample(struct watch *w) {
  long kib = itest_rss_kib(w->pid);

  if (kib > w->max_kib)
    w->max_kib = kib;
}

static int all_listed(void *arg) {
  struct watch *w = arg;

  sample(w);
  if (!itest_daemon_alive(w->d)) {
    fprintf(stderr, "bench: ocopd stopped; its log is in the work folder\n");
    exit(1);
  }
  return bench_all_listed(&w->p);
}

/* A second (and third) Lazada seller of the simulator's app, and the shop
 * that sells as it. */
static void add_lazada_seller(PGconn *db, struct itest_sim *sim, const char *workdir,
                              const char *name, const char *seller) {
  char seed[512], sql[1024], path[512];
  FILE *f;

  snprintf(seed, sizeof seed,
           "{\"lazada\": {\"apps\": [{\"app_key\": \"" LAZADA_APP "\", \"app_secret\": \""
           LAZADA_SECRET "\"}], \"sellers\": [{\"seller_id\": \"%s\", \"app_key\": \""
           LAZADA_APP "\", \"access_token\": \"bench-lz-%s\", \"refresh_token\": "
           "\"bench-lz-refresh-%s\", \"access_expires_in\": 604800, "
           "\"refresh_expires_in\": 1209600}]}}",
           seller, seller, seller);
  cJSON_Delete(itest_sim_call(sim, "POST", "/_sim/seed", seed));
  snprintf(path, sizeof path, "%s/credentials/%s.secret", workdir, name);
  f = fopen(path, "w");
  ASSERT_NOT_NULL(f);
  fprintf(f, "%s\n", LAZADA_SECRET);
  fclose(f);
  chmod(path, 0600);
  snprintf(sql, sizeof sql,
           "INSERT INTO shop (name, marketplace, mp_shop_id, base_url, app_key, options) "
           "VALUES ('%s', 'lazada', '%s', '%s', '" LAZADA_APP "', '{}');"
           "INSERT INTO token (shop_id, access_token, refresh_token, access_expires_at) "
           "SELECT id, 'bench-lz-%s', 'bench-lz-refresh-%s', now() + interval '7 days' "
           "FROM shop WHERE name = '%s'",
           name, seller, sim->base, seller, seller, name);
  PQclear(itest_sql(db, sql));
  itest_carry_all(db, name);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 20000, status;
  const char *conninfo;
  char workdir[256], figure[64];
  struct itest_sim sim;
  struct itest_daemon d;
  struct watch w;
  struct rusage ru;
  long long listings;
  long mirrored_kib;
  double t0, t1;
  PGconn *db;

  setvbuf(stdout, NULL, _IOLBF, 0);
  if (itest_need_pg() != 0) {
    fprintf(stderr, "bench: OCOP_TEST_PG is not set; run `make bench`\n");
    return 77;
  }
  snprintf(workdir, sizeof workdir, "%s", itest_workdir("bench_rss"));
  db = bench_catalogue("bench_rss", "RSS", n, &conninfo);
  itest_sim_start(&sim);
  itest_add_shop(db, &sim, workdir, "delist"); /* each carries every product */
  itest_add_market_shop(db, &sim, workdir, "lazada");
  itest_add_market_shop(db, &sim, workdir, "tiktok");
  add_lazada_seller(db, &sim, workdir, "lazada-two", "3002");
  add_lazada_seller(db, &sim, workdir, "lazada-three", "3003");
  PQclear(itest_sql(db, "ANALYZE"));
  listings = itest_sql_int(db, "SELECT count(*) FROM listing");
  printf("bench: %d products, %lld shops, %lld listings, %lld jobs queued\n", n,
         itest_sql_int(db, "SELECT count(*) FROM shop"), listings,
         itest_sql_int(db, "SELECT count(*) FROM outbox WHERE state = 'pending'"));

  t0 = bench_now_s();
  itest_daemon_start(&d, workdir, conninfo,
                     "log_level = info\nconcurrency = 64\nsweep_interval = 10s\n"
                     "rate_limits = shopee:0,lazada:0,tiktok:0\n");
  memset(&w, 0, sizeof w);
  w.p.db = db;
  w.p.n = (int)listings;
  w.d = &d;
  w.pid = d.pid;
  if (!itest_wait(all_listed, &w, 60 * 60 * 1000)) {
    fprintf(stderr, "bench: not all listed after 60 minutes\n");
    return 1;
  }
  t1 = bench_now_s();
  mirrored_kib = itest_rss_kib(d.pid);
  printf("bench: mirrored %lld listings in %.1f s (%.0f listings/s)\n", listings, t1 - t0,
         (double)listings / (t1 - t0));
  /* Two sweeps over every listing, sampled every 100 ms. */
  while (bench_now_s() - t1 < 25) {
    sample(&w);
    usleep(100 * 1000);
  }
  printf("bench: ocopd RSS: %ld KiB when all were listed, %ld KiB after 25 s of sweeps, "
         "%ld KiB the most sampled\n",
         mirrored_kib, itest_rss_kib(d.pid), w.max_kib);
  kill(d.pid, SIGTERM);
  ASSERT(wait4(d.pid, &status, 0, &ru) == d.pid);
  d.pid = 0;
  printf("bench: ocopd peak RSS (the kernel's)  %ld KiB; exit status %d\n", ru.ru_maxrss,
         WIFEXITED(status) ? WEXITSTATUS(status) : -1);
  /* The larger of the two: the kernel's peak and the samples count pages
   * slightly differently. */
  if (ru.ru_maxrss > w.max_kib)
    w.max_kib = ru.ru_maxrss;
  snprintf(figure, sizeof figure, "ocopd peak RSS at %lld listings", listings);
  printf("bench: %-45s %8.1f MB    goal <= 32       %s\n", figure, w.max_kib / 1024.0,
         w.max_kib <= GOAL_KIB ? "met" : "not");
  itest_sim_stop(&sim);
  PQfinish(db);
  return 0;
}
