/* limits.c — see limits.h. */
#include "limits.h"

#include <curl/curl.h>
#include <libpq-fe.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#define HTTP_REQUESTS 20000
#define HTTP_PARALLEL 64
#define PG_BATCHES 100
#define PG_BATCH_ROWS 1000
#define PG_COMMITS 2000

static double now_s(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double self_cpu_s(void) {
  struct rusage ru;

  getrusage(RUSAGE_SELF, &ru);
  return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
         (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static size_t discard(char *p, size_t size, size_t n, void *u) {
  (void)p;
  (void)u;
  return size * n;
}

/* ---- HTTP ----------------------------------------------------------------- */

static CURL *easy_for(const char *url) {
  CURL *h = curl_easy_init();

  if (h) {
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  }
  return h;
}

static int measure_http(const char *base, struct bench_limits *out) {
  CURLM *m = curl_multi_init();
  CURL *h[HTTP_PARALLEL];
  char url[128];
  int started = 0, done = 0, failed = 0, running, i, left;
  double t0, c0;

  snprintf(url, sizeof url, "%s/_sim/healthz", base);
  curl_multi_setopt(m, CURLMOPT_MAX_TOTAL_CONNECTIONS, (long)HTTP_PARALLEL);
  for (i = 0; i < HTTP_PARALLEL; i++) {
    if ((h[i] = easy_for(url)) == NULL)
      return -1;
    curl_multi_add_handle(m, h[i]);
    started++;
  }
  t0 = now_s();
  c0 = self_cpu_s();
  while (done < HTTP_REQUESTS) {
    CURLMsg *msg;

    curl_multi_perform(m, &running);
    while ((msg = curl_multi_info_read(m, &left)) != NULL) {
      CURL *e = msg->easy_handle;
      long code = 0;

      if (msg->msg != CURLMSG_DONE)
        continue;
      curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &code);
      failed += msg->data.result != CURLE_OK || code != 200;
      done++;
      curl_multi_remove_handle(m, e);
      if (started < HTTP_REQUESTS) {
        curl_multi_add_handle(m, e); /* same handle: its connection is kept */
        started++;
      }
    }
    if (done < HTTP_REQUESTS)
      curl_multi_poll(m, NULL, 0, 100, NULL);
  }
  out->http_per_s = HTTP_REQUESTS / (now_s() - t0);
  out->http_cpu_us = 1e6 * (self_cpu_s() - c0) / HTTP_REQUESTS;
  for (i = 0; i < HTTP_PARALLEL; i++)
    curl_easy_cleanup(h[i]);
  curl_multi_cleanup(m);
  printf("limits: HTTP (curl multi, %d at a time, kept alive): %.0f requests/s, "
         "%.0f us client CPU each, %d failed\n",
         HTTP_PARALLEL, out->http_per_s, out->http_cpu_us, failed);
  return failed ? -1 : 0;
}

/* ---- PostgreSQL ------------------------------------------------------------ */

static int exec_ok(PGconn *c, const char *sql) {
  PGresult *r = PQexec(c, sql);
  int ok = PQresultStatus(r) == PGRES_COMMAND_OK || PQresultStatus(r) == PGRES_TUPLES_OK;

  if (!ok)
    fprintf(stderr, "limits: %s: %s", sql, PQresultErrorMessage(r));
  PQclear(r);
  return ok;
}

/* A row the size of a listing's: ids, a state, a time, two short texts. */
static const char *const table_sql =
    "CREATE TEMP TABLE bench_rows (id bigint PRIMARY KEY, shop_id bigint, state text, "
    "item_id text, sent_price bigint, updated_at timestamptz)";

static int measure_pg(const char *conninfo, struct bench_limits *out) {
  PGconn *c = PQconnectdb(conninfo);
  char sql[512];
  double t0;
  int i, rc = -1;

  if (PQstatus(c) != CONNECTION_OK || !exec_ok(c, table_sql))
    goto out;
  t0 = now_s();
  for (i = 0; i < PG_BATCHES; i++) {
    /* Every other batch updates what the one before inserted. */
    snprintf(sql, sizeof sql,
             "INSERT INTO bench_rows SELECT g, 1, 'listed', 'item-' || g, g * 10, now() "
             "FROM generate_series(%d, %d) g ON CONFLICT (id) DO UPDATE "
             "SET state = 'listed', sent_price = excluded.sent_price + 1, updated_at = now()",
             (i / 2) * PG_BATCH_ROWS + 1, (i / 2 + 1) * PG_BATCH_ROWS);
    if (!exec_ok(c, sql))
      goto out;
  }
  out->pg_rows_per_s = (double)PG_BATCHES * PG_BATCH_ROWS / (now_s() - t0);
  t0 = now_s();
  for (i = 0; i < PG_COMMITS; i++) {
    snprintf(sql, sizeof sql,
             "UPDATE bench_rows SET sent_price = sent_price + 1, updated_at = now() WHERE id = %d",
             i + 1);
    if (!exec_ok(c, sql))
      goto out;
  }
  out->pg_commits_per_s = PG_COMMITS / (now_s() - t0);
  printf("limits: PostgreSQL: %.0f rows/s in batches of %d (one upsert, one commit each); "
         "%.0f single-row commits/s\n",
         out->pg_rows_per_s, PG_BATCH_ROWS, out->pg_commits_per_s);
  rc = 0;
out:
  PQfinish(c);
  return rc;
}

int bench_limits_measure(const char *base, const char *conninfo, struct bench_limits *out) {
  memset(out, 0, sizeof *out);
  if (measure_http(base, out) != 0 || measure_pg(conninfo, out) != 0)
    return -1;
  fflush(stdout);
  return 0;
}

void bench_limits_row(const char *figure, double value, const char *unit, double goal,
                      int higher_is_better, double bound) {
  int met = higher_is_better ? value >= goal : value <= goal;

  printf("bench: %-38s %10.1f %-10s goal %s %-8.0f %-4s", figure, value, unit,
         higher_is_better ? ">=" : "<=", goal, met ? "met" : "not");
  if (bound >= 100)
    printf("  bound %.0f, ratio %.2f", bound, higher_is_better ? value / bound : bound / value);
  else if (bound > 0)
    printf("  bound %.3g, ratio %.2f", bound, higher_is_better ? value / bound : bound / value);
  printf("\n");
}
