/*
 * limits.h — the bare limits of this machine, measured in the same run as a
 * benchmark, so that its figures can be given as ratios that mean the same
 * on another machine.
 *
 *   - HTTP: libcurl's multi interface, 64 requests at a time on kept-alive
 *     connections, against the simulator's cheapest endpoint: requests per
 *     second and client CPU per request. ocopd cannot send faster.
 *   - PostgreSQL: rows per second written in batches of 1,000 (one INSERT
 *     ... ON CONFLICT DO UPDATE of a listing-sized row per batch, one
 *     commit each), and single-row commits per second, on the benchmark's
 *     own cluster.
 */
#ifndef OCOP_BENCH_LIMITS_H
#define OCOP_BENCH_LIMITS_H

struct bench_limits {
  double http_per_s;       /* requests per second */
  double http_cpu_us;      /* client CPU per request, microseconds */
  double pg_rows_per_s;    /* batched upsert */
  double pg_commits_per_s; /* one row per transaction */
};

/* base: the simulator's http://host:port; conninfo: the cluster. Prints
 * what it measured. Returns 0, or -1 when a part could not run. */
int bench_limits_measure(const char *base, const char *conninfo, struct bench_limits *out);

/* One line of the result table: a figure, its goal, the bound the bare
 * limits put on it, and its ratio to that bound. higher_is_better says
 * which way the goal points. */
void bench_limits_row(const char *figure, double value, const char *unit, double goal,
                      int higher_is_better, double bound);

#endif
