/*
 * import_bulk.c — writes a checked catalogue in bulk: every row of every
 * product is copied (COPY) into the staging tables of sql/logic/import.sql,
 * and ocop_import_merge writes the catalogue with one statement per step.
 * A file of 100,000 rows costs a few statements, not a dozen per product,
 * and the listings are synced once.
 *
 * All under a savepoint: when the database refuses anything, the merge is
 * undone and import.c writes product by product, which names the line.
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

/* Bytes gathered before they are handed to libpq. */
#define COPY_CHUNK (256 * 1024)

/* The staged columns of import_row after line and pos, each from a CSV
 * column; null: an empty cell is NULL (else ''), as import.c writes it. */
static const struct {
  enum col col;
  int null;
} row_columns[] = {
    {C_PRODUCT_CODE, 0}, {C_NAME_VI, 0},       {C_PRODUCER_NAME, 0},    {C_PRODUCER_TYPE, 0},
    /* producer_province and producer_commune come from the producer's row */
    {C_PROVINCE, 1},     {C_COMMUNE, 1},       {C_CATEGORY_GROUP, 0},
    /* stars is r->stars */
    {C_CERTIFICATE_NO, 1}, {C_CERTIFIED_ON, 1}, {C_EXPIRES_ON, 1},     {C_REVOKED_ON, 1},
    {C_PRICE_VND, 0},      {C_STOCK, 0},        {C_UNIT, 0},           {C_WEIGHT_G, 1},
    {C_GTIN, 1},           {C_DESCRIPTION_VI, 0},
    /* sku is r->sku */
    {C_VARIANT, 0},        {C_LENGTH_MM, 1},    {C_WIDTH_MM, 1},       {C_HEIGHT_MM, 1},
};

static const char copy_rows_sql[] =
    "COPY pg_temp.import_row (line, pos, product_code, name_vi, producer_name, producer_type,"
    " province, commune, category_code, certificate_no, certified_on, expires_on, revoked_on,"
    " price_vnd, stock, unit, weight_g, gtin, description_vi, label, length_mm, width_mm,"
    " height_mm, producer_province, producer_commune, stars, sku) FROM STDIN";

/* ---- COPY ------------------------------------------------------------------ */

int imp_copy_begin(struct import *im, struct imp_copy *c, const char *sql) {
  PGresult *res = PQexec(im->conn, sql);
  int ok = PQresultStatus(res) == PGRES_COPY_IN;

  memset(c, 0, sizeof *c);
  c->im = im;
  if (!ok)
    imp_fatal(im, "cannot stage the rows", res);
  PQclear(res);
  return ok ? 0 : -1;
}

static void reserve(struct imp_copy *c, size_t more) {
  if (c->len + more <= c->cap)
    return;
  c->cap = (c->len + more) * 2;
  c->buf = realloc(c->buf, c->cap);
  if (!c->buf)
    abort();
}

static void flush(struct imp_copy *c, size_t at_least) {
  if (c->len < at_least || c->failed)
    return;
  if (PQputCopyData(c->im->conn, c->buf, (int)c->len) != 1)
    c->failed = 1;
  c->len = 0;
}

/* One field in COPY's text format: the four characters it gives meaning
 * to are escaped; s NULL writes \N. */
void imp_copy_field(struct imp_copy *c, const char *s) {
  size_t n = s ? strlen(s) : 0, i;

  reserve(c, 2 * n + 3);
  if (c->fields++)
    c->buf[c->len++] = '\t';
  if (!s) {
    memcpy(c->buf + c->len, "\\N", 2);
    c->len += 2;
    return;
  }
  for (i = 0; i < n; i++) {
    char e = s[i] == '\\' ? '\\' : s[i] == '\t' ? 't' : s[i] == '\n' ? 'n' : s[i] == '\r' ? 'r' : 0;

    if (e) {
      c->buf[c->len++] = '\\';
      c->buf[c->len++] = e;
    } else {
      c->buf[c->len++] = s[i];
    }
  }
}

void imp_copy_long(struct imp_copy *c, long long v) {
  char num[24];

  snprintf(num, sizeof num, "%lld", v);
  imp_copy_field(c, num);
}

void imp_copy_end_row(struct imp_copy *c) {
  reserve(c, 1);
  c->buf[c->len++] = '\n';
  c->fields = 0;
  flush(c, COPY_CHUNK);
}

int imp_copy_finish(struct imp_copy *c) {
  struct import *im = c->im;
  PGresult *res;
  int rc = 0;

  flush(c, 0);
  free(c->buf);
  if (c->failed || PQputCopyEnd(im->conn, NULL) != 1)
    return imp_fatal(im, "cannot stage the rows", NULL);
  res = PQgetResult(im->conn);
  if (PQresultStatus(res) != PGRES_COMMAND_OK)
    rc = imp_fatal(im, "cannot stage the rows", res);
  PQclear(res);
  while ((res = PQgetResult(im->conn)) != NULL)
    PQclear(res);
  return rc;
}

/* ---- staging -------------------------------------------------------------- */

static int product_ok(const struct import *im, const struct product_rows *p) {
  size_t j;

  for (j = 0; j < p->n; j++)
    if (im->rows[p->rows[j]].bad)
      return 0;
  return 1;
}

/* first: the product's first row, whose producer address is the one
 * upsert_producer (import.c) writes. */
static void stage_row(struct imp_copy *c, const struct import *im, const struct row *r,
                      size_t pos, const struct row *first) {
  const struct row *src = &im->rows[first->producer_src];
  size_t i;

  imp_copy_long(c, (long long)r->line);
  imp_copy_long(c, (long long)pos);
  for (i = 0; i < sizeof row_columns / sizeof row_columns[0]; i++) {
    const char *v = r->f[row_columns[i].col];

    imp_copy_field(c, row_columns[i].null ? imp_or_null(v) : v);
  }
  imp_copy_field(c, imp_or_null(src->f[C_PROVINCE]));
  imp_copy_field(c, imp_or_null(src->f[C_COMMUNE]));
  imp_copy_long(c, r->stars);
  imp_copy_field(c, r->sku);
  imp_copy_end_row(c);
}

/* Every row of the products with no problem. */
static int stage_rows(struct import *im) {
  struct imp_copy c;
  size_t i, j;

  if (imp_copy_begin(im, &c, copy_rows_sql) != 0)
    return -1;
  for (i = 0; i < im->nproducts; i++) {
    const struct product_rows *p = &im->products[i];
    const struct row *first = &im->rows[p->rows[0]];

    if (!product_ok(im, p))
      continue;
    for (j = 0; j < p->n; j++)
      stage_row(&c, im, &im->rows[p->rows[j]], j + 1, first);
  }
  return imp_copy_finish(&c);
}

/* The content of each product (import_content.c), one table at a time:
 * a connection copies into one table at once. */
static int stage_content(struct import *im) {
  static const enum imp_content_table tables[] = {IMP_IMAGES, IMP_ATTRIBUTES, IMP_CATEGORIES};
  size_t t, i;

  for (t = 0; t < sizeof tables / sizeof tables[0]; t++) {
    struct imp_copy c;

    if (imp_copy_begin(im, &c, imp_content_copy_sql(tables[t])) != 0)
      return -1;
    for (i = 0; i < im->nproducts; i++)
      if (product_ok(im, &im->products[i]))
        imp_stage_content(im, &im->products[i], tables[t], &c);
    if (imp_copy_finish(&c) != 0)
      return -1;
  }
  return 0;
}

/* ---- the merge ------------------------------------------------------------ */

static const struct {
  const char *name;
  size_t offset;
} counters[] = {
#define COUNTER(f) {#f, offsetof(struct counts, f)}
    COUNTER(producers_created),  COUNTER(producers_updated),    COUNTER(products_created),
    COUNTER(products_updated),   COUNTER(products_unchanged),   COUNTER(certificates_added),
    COUNTER(certificates_updated), COUNTER(variants_created),   COUNTER(variants_updated),
    COUNTER(variants_unchanged), COUNTER(variants_withdrawn),   COUNTER(stock_adjustments),
    COUNTER(stock_ignored),      COUNTER(images_added),         COUNTER(images_changed),
    COUNTER(images_removed),     COUNTER(attributes_set),       COUNTER(attributes_removed),
    COUNTER(categories_set),     COUNTER(categories_removed),
#undef COUNTER
};

static void read_counts(struct import *im, const PGresult *res) {
  int i;
  size_t k;

  memset(&im->counts, 0, sizeof im->counts);
  for (i = 0; i < PQntuples(res); i++)
    for (k = 0; k < sizeof counters / sizeof counters[0]; k++)
      if (strcmp(PQgetvalue(res, i, 0), counters[k].name) == 0)
        *(long *)((char *)&im->counts + counters[k].offset) = atol(PQgetvalue(res, i, 1));
}

/* 0 merged, 1 refused (undone), -1 fatal. */
static int merge(struct import *im) {
  const char *p[3] = {im->source, im->stocktake ? "t" : "f",
                      im->colidx[C_IMAGES] >= 0 ? "t" : "f"};
  PGresult *res = PQexecParams(im->conn,
                               "SELECT counter, n FROM ocop_import_merge($1, $2::boolean,"
                               " $3::boolean)",
                               3, NULL, p, NULL, NULL, 0);
  int rc = 0;

  if (PQresultStatus(res) == PGRES_TUPLES_OK)
    read_counts(im, res);
  else
    rc = imp_row_error(res) ? 1 : imp_fatal(im, "import stopped", res);
  PQclear(res);
  return rc;
}

int imp_bulk_write(struct import *im) {
  int rc;

  if (imp_command(im, "SAVEPOINT import_bulk", 0, NULL, "cannot set a savepoint") != 0 ||
      imp_command(im, "SELECT ocop_import_stage()", 0, NULL, "cannot stage the rows") != 0 ||
      stage_rows(im) != 0 || stage_content(im) != 0)
    return -1;
  rc = merge(im);
  if (rc == 1 && imp_command(im, "ROLLBACK TO SAVEPOINT import_bulk", 0, NULL,
                             "cannot undo the merge") != 0)
    return -1;
  if (rc >= 0 &&
      imp_command(im, "RELEASE SAVEPOINT import_bulk", 0, NULL, "cannot release the merge") != 0)
    return -1;
  return rc;
}
