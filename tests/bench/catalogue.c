/* catalogue.c — see catalogue.h. */
#include "catalogue.h"

#include <time.h>

#include "harness.h"

double bench_now_s(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

PGconn *bench_catalogue(const char *tag, const char *prefix, int n, const char **conninfo) {
  const char *migrate[] = {"ocopctl", "-d", NULL, "migrate", NULL};
  PGconn *db;

  *conninfo = itest_db_create(tag);
  db = itest_connect(*conninfo);
  migrate[2] = *conninfo;
  ASSERT_EQ(itest_run(migrate, NULL, NULL), 0);
  itest_pin_date(db, "2026-11-25");
  itest_generate_products(db, prefix, n);
  return db;
}

void bench_add_variants(PGconn *db) {
  PQclear(itest_sql(db, "INSERT INTO variant (product_id, sku, label, position, price_vnd, weight_g) "
                        "SELECT p.id, p.code || '-' || k, k * 250 || ' g', k, 10000 * k + p.id, 250 * k "
                        "FROM product p, generate_series(2, 3) k WHERE p.id % 3 >= k - 1"));
  PQclear(itest_sql(db, "UPDATE variant SET label = '100 g' WHERE position = 1 AND product_id IN "
                        "(SELECT product_id FROM variant WHERE position = 2)"));
  PQclear(itest_sql(db, "INSERT INTO stock_ledger (variant_id, delta, reason) "
                        "SELECT id, 100, 'import' FROM variant WHERE position > 1"));
}

int bench_all_listed(void *arg) {
  struct bench_progress *p = arg;

  return itest_sql_int(p->db, "SELECT count(*) FROM listing WHERE state = 'listed'") >= p->n &&
         itest_sql_int(p->db, "SELECT count(*) FROM listing_variant WHERE remote_id IS NULL") == 0;
}
