/*
 * catalogue.h — what the mirror benchmarks share: the clock they time with,
 * the extra pack sizes they give the generated products, and the test that
 * a catalogue is mirrored.
 */
#ifndef OCOP_BENCH_CATALOGUE_H
#define OCOP_BENCH_CATALOGUE_H

#include <libpq-fe.h>

/* Monotonic seconds. */
double bench_now_s(void);

/* A fresh database named after tag, migrated, its OCOP date pinned to
 * 2026-11-25, with n generated certified products (codes PREFIX-000001
 * ...; itest_generate_products); its connection string in *conninfo. */
PGconn *bench_catalogue(const char *tag, const char *prefix, int n, const char **conninfo);

/* A second and third pack size for two products in three, with stock. */
void bench_add_variants(PGconn *db);

struct bench_progress {
  PGconn *db;
  int n;
};

/* itest_wait condition: every product listed, every variant on its item. */
int bench_all_listed(void *arg);

#endif
