/*
 * bench_import.c — how fast `ocopctl import` loads a large catalogue CSV.
 *
 * Writes a file of N rows (default 100,000; argv[1] overrides) in the
 * format of docs/catalogue-csv.md: products of one or two pack sizes (one
 * row each), ten products to a producer, every product certified, with
 * images, a brand, two attributes and a Shopee category. Then it times
 * three imports into one database whose Shopee shop carries every product:
 *   1. the first import, when everything is new;
 *   2. the same file again, when nothing changes;
 *   3. a file where every price and name moved, when every product and
 *      variant is updated and its listing jobs re-derived.
 * Each prints rows per second beside the goal (20,000 rows/s) and the
 * bound: PostgreSQL's batched write rate on the same cluster, one row
 * written per CSV row. A measurement, never a pass/fail test.
 */
#include <stdio.h>
#include <stdlib.h>

#include "catalogue.h"
#include "harness.h"
#include "limits.h"

#define GOAL_ROWS_PER_S 20000.0

static const char header[] =
    "product_code,name_vi,producer_name,producer_type,province,commune,category_group,"
    "stars,certificate_no,certified_on,expires_on,price_vnd,stock,unit,weight_g,gtin,"
    "description_vi,revoked_on,sku,variant,length_mm,width_mm,height_mm,images,brand,"
    "origin,shelf_life,shopee_category\n";

/* One product's rows: two pack sizes for every other product, at most
 * room. Returns the rows written. edition changes names and prices
 * between files. */
static int write_product(FILE *f, int i, int edition, int room) {
  int sizes = i % 2 == 0 && room > 1 ? 2 : 1, k;

  for (k = 1; k <= sizes; k++)
    fprintf(f,
            "BIM-%06d,Sản phẩm nhập thử số %d bản %d,Hợp tác xã thử %d,cooperative,Bắc Kạn,"
            "xã Côn Minh,I.3.c,%d,%d/QĐ-UBND,2025-06-01,,%d,%d,gói,%d,,"
            "\"Mô tả sản phẩm %d, làm thủ công.\",,BIM-%06d-%d,%d g,200,150,%d,"
            "BIM-%06d.jpg|claim:ocop-%d-sao.png|cert:certificate.jpg,Thương hiệu %d,Vietnam,"
            "12 tháng,100644\n",
            i, i, edition, i / 10, 3 + i % 3, i, 10000 + i * 10 + k + edition, 100 * k,
            250 * k, i, i, k, 250 * k, 20 * k, i, 3 + i % 3, i / 10);
  return sizes;
}

/* The file of n rows at path; returns its products. */
static int write_file(const char *path, int n, int edition) {
  FILE *f = fopen(path, "w");
  int rows = 0, i = 0;

  if (!f) {
    perror(path);
    exit(1);
  }
  fputs(header, f);
  while (rows < n)
    rows += write_product(f, ++i, edition, n - rows);
  ASSERT_EQ(fclose(f), 0);
  return i;
}

/* Runs `ocopctl import path`; its seconds. Fails loudly when the import
 * does not succeed, since a refused file would time nothing. */
static double timed_import(const char *conninfo, const char *path) {
  const char *argv[] = {"ocopctl", "-d", conninfo, "import", path, NULL};
  char *out = NULL, *err = NULL;
  double t0 = bench_now_s(), t;
  int rc = itest_run(argv, &out, &err);

  t = bench_now_s() - t0;
  if (rc != 0)
    fprintf(stderr, "bench: import failed (%d): %s\n", rc, err ? err : "");
  ASSERT_EQ(rc, 0);
  printf("bench: %s", out ? out : "");
  free(out);
  free(err);
  return t;
}

static void report(const char *what, int rows, double secs, const struct bench_limits *lim) {
  char figure[96];

  printf("bench: %s: %d rows in %.2f s\n", what, rows, secs);
  snprintf(figure, sizeof figure, "catalogue import, %s", what);
  bench_limits_row(figure, rows / secs, "rows/s", GOAL_ROWS_PER_S, 1, lim->pg_rows_per_s);
}

int main(int argc, char **argv) {
  int n = argc > 1 ? atoi(argv[1]) : 100000, products;
  const char *conninfo;
  char workdir[256], path[320], moved[320];
  struct itest_sim sim;
  struct bench_limits lim;
  PGconn *db;

  setvbuf(stdout, NULL, _IOLBF, 0); /* figures as they come, under a pipe too */
  if (itest_need_pg() != 0) {
    fprintf(stderr, "bench: OCOP_TEST_PG is not set; run `make bench`\n");
    return 77;
  }
  snprintf(workdir, sizeof workdir, "%s", itest_workdir("bench_import"));
  snprintf(path, sizeof path, "%s/catalogue.csv", workdir);
  snprintf(moved, sizeof moved, "%s/catalogue-moved.csv", workdir);
  db = bench_catalogue("bench_import", "BIMX", 0, &conninfo);
  itest_sim_start(&sim);
  if (bench_limits_measure(sim.base, conninfo, &lim) != 0) {
    fprintf(stderr, "bench: cannot measure the bare limits\n");
    return 1;
  }
  itest_add_shop(db, &sim, workdir, "delist");
  PQclear(itest_sql(db, "INSERT INTO assortment_rule (shop_id, include) SELECT id, true FROM shop "
                        "ON CONFLICT DO NOTHING"));
  products = write_file(path, n, 1);
  write_file(moved, n, 2);
  printf("bench: %d rows, %d products, one shop carrying all\n", n, products);

  report("first (all new)", n, timed_import(conninfo, path), &lim);
  report("same file again", n, timed_import(conninfo, path), &lim);
  report("every name and price moved", n, timed_import(conninfo, moved), &lim);
  printf("bench: %lld publish jobs pending\n",
         itest_sql_int(db, "SELECT count(*) FROM outbox WHERE state = 'pending'"));
  itest_sim_stop(&sim);
  PQfinish(db);
  return 0;
}
