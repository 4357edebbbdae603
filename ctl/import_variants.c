/*
 * import_variants.c — the rows of one product, together: each row is a
 * variant (pack size) of the product named by its product_code.
 *
 * Rules (docs/catalogue-csv.md):
 *  - Columns that belong to the product (everything but sku, variant,
 *    price_vnd, stock, weight_g, gtin and the package size) are the same on
 *    every row of a product; a row that differs is reported with the line
 *    it differs from (the product's first row).
 *  - A product of several rows names each variant (variant, distinct within
 *    the product) and gives each its SKU. A product of one row may leave
 *    both empty: its SKU is its product code.
 *  - A SKU is used once in the file, and never moves to another product: a
 *    SKU that the catalogue already has under another product is refused.
 *  - A package size is all three of length_mm, width_mm, height_mm, or none.
 *  - A file without the column variant is of the single-SKU form: a
 *    product_code used twice there is a repeated product.
 *
 * Writing one product's variants: the variants the file no longer names
 * are withdrawn (active = false; their ledger rows and orders keep them),
 * then each row's variant is inserted or updated by SKU (position = its
 * rank among the product's rows), then each variant's stock is moved to
 * the count on hand the file gives, by one 'import' ledger row. Nothing is
 * written for what already agrees.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "import_int.h"

/* ---- one row ------------------------------------------------------------- */

static int has_control(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s < 0x20 || *s == 0x7f)
      return 1;
  return 0;
}

static const enum col package_cols[3] = {C_LENGTH_MM, C_WIDTH_MM, C_HEIGHT_MM};

void imp_check_variant_row(struct import *im, struct row *r) {
  const char *sku = r->f[C_SKU], *label = r->f[C_VARIANT];
  char given[64] = "";
  int i, n = 0;

  if (sku[0] && !imp_code_ok(sku))
    imp_row_problem(im, r, C_SKU,
                    "\"%s\" is not a SKU: 1 to 64 letters, digits, '.', '_' or '-', "
                    "starting with a letter or digit",
                    sku);
  if (imp_has_outer_space(label))
    imp_row_problem(im, r, C_VARIANT, "has a space at the start or end");
  /* Parking a label while labels are swapped relies on this too. */
  if (has_control(label))
    imp_row_problem(im, r, C_VARIANT, "contains a control character");
  for (i = 0; i < 3; i++) {
    imp_check_count(im, r, package_cols[i], 1, INT32_MAX, "millimetres");
    if (r->f[package_cols[i]][0]) {
      if (n++)
        strcat(given, " and ");
      strcat(given, imp_columns[package_cols[i]].name);
    }
  }
  if (n == 0 || n == 3)
    return;
  for (i = 0; i < 3; i++)
    if (!r->f[package_cols[i]][0])
      imp_row_problem(im, r, package_cols[i],
                      "must not be empty when %s %s given: give length_mm, width_mm and "
                      "height_mm, or none",
                      given, n == 1 ? "is" : "are");
}

/* ---- the rows of a product ----------------------------------------------- */

static int by_first_row(const void *a, const void *b) {
  const struct product_rows *x = a, *y = b;

  return x->rows[0] < y->rows[0] ? -1 : x->rows[0] > y->rows[0];
}

/* im->products: the rows of each product_code, products in file order. A
 * row without a code is a product of its own (reported already). */
static void group_products(struct import *im) {
  struct imp_keyed *k = imp_sorted_by(im, C_PRODUCT_CODE);
  size_t i = 0;

  im->products = calloc(im->nrows ? im->nrows : 1, sizeof *im->products);
  if (!im->products)
    abort();
  while (i < im->nrows) {
    size_t j, end = i + 1;
    struct product_rows *p = &im->products[im->nproducts++];

    if (k[i].key[0])
      while (end < im->nrows && strcmp(k[end].key, k[i].key) == 0)
        end++;
    p->n = end - i;
    p->rows = malloc(p->n * sizeof *p->rows);
    if (!p->rows)
      abort();
    for (j = i; j < end; j++)
      p->rows[j - i] = k[j].idx;
    i = end;
  }
  free(k);
  qsort(im->products, im->nproducts, sizeof *im->products, by_first_row);
}

/* Values short enough to quote in a message. */
#define QUOTABLE 60

static void check_same_product(struct import *im, const struct product_rows *p) {
  struct row *first = &im->rows[p->rows[0]];
  size_t j;
  int c;

  for (j = 1; j < p->n; j++) {
    struct row *r = &im->rows[p->rows[j]];

    for (c = 0; c < NCOLS; c++) {
      const char *a = r->f[c], *b = first->f[c];

      if (imp_columns[c].per_variant || c == C_PRODUCT_CODE || strcmp(a, b) == 0)
        continue;
      if (imp_utf8_chars(a) <= QUOTABLE && imp_utf8_chars(b) <= QUOTABLE)
        imp_row_problem(im, r, c,
                        "\"%s\" differs from \"%s\" on line %lu for the same product: a "
                        "product's columns are the same on each of its rows",
                        a, b, first->line);
      else
        imp_row_problem(im, r, c,
                        "differs from line %lu for the same product: a product's columns "
                        "are the same on each of its rows",
                        first->line);
    }
  }
}

static void check_variants_named(struct import *im, const struct product_rows *p) {
  size_t i, j;

  for (j = 0; j < p->n; j++) {
    struct row *r = &im->rows[p->rows[j]];
    const struct row *other = &im->rows[p->rows[j == 0 ? 1 : 0]];

    if (!r->f[C_VARIANT][0])
      imp_row_problem(im, r, C_VARIANT,
                      "must not be empty when a product has several rows (%s is also on "
                      "line %lu): name each variant, e.g. \"500 g\"",
                      r->f[C_PRODUCT_CODE], other->line);
    if (!r->f[C_SKU][0])
      imp_row_problem(im, r, C_SKU,
                      "must not be empty when a product has several rows (%s is also on "
                      "line %lu): give each variant its own SKU",
                      r->f[C_PRODUCT_CODE], other->line);
    if (!r->f[C_VARIANT][0])
      continue;
    for (i = 0; i < j; i++) {
      const struct row *o = &im->rows[p->rows[i]];

      if (strcmp(o->f[C_VARIANT], r->f[C_VARIANT]) == 0) {
        imp_row_problem(im, r, C_VARIANT, "\"%s\" is already on line %lu for the same product",
                        r->f[C_VARIANT], o->line);
        break;
      }
    }
  }
}

/* A SKU once in the file. A row whose SKU is its product code by default
 * and whose product has several rows is reported already (sku empty). */
static void check_skus(struct import *im, const size_t *product_rows) {
  struct imp_keyed *k = imp_sorted_by_sku(im);
  size_t i, first = 0;
  int have_first = 0;

  for (i = 0; i < im->nrows; i++) {
    struct row *r = &im->rows[k[i].idx];

    if (!r->sku[0] || (!r->f[C_SKU][0] && product_rows[k[i].idx] > 1))
      continue;
    if (!have_first || strcmp(im->rows[first].sku, r->sku) != 0) {
      first = k[i].idx;
      have_first = 1;
      continue;
    }
    if (r->f[C_SKU][0])
      imp_row_problem(im, r, C_SKU, "%s is already used on line %lu: a SKU names one variant",
                      r->sku, im->rows[first].line);
    else
      imp_row_problem(im, r, C_SKU,
                      "is empty, so the SKU is the product code %s, which is already used on "
                      "line %lu: a SKU names one variant",
                      r->sku, im->rows[first].line);
  }
  free(k);
}

void imp_check_products(struct import *im) {
  size_t i, j, *product_rows;

  group_products(im);
  product_rows = calloc(im->nrows ? im->nrows : 1, sizeof *product_rows);
  if (!product_rows)
    abort();
  for (i = 0; i < im->nproducts; i++) {
    const struct product_rows *p = &im->products[i];

    for (j = 0; j < p->n; j++)
      product_rows[p->rows[j]] = p->n;
    if (p->n < 2)
      continue;
    if (im->colidx[C_VARIANT] < 0) {
      /* The single-SKU form: a product once. */
      const struct row *first = &im->rows[p->rows[0]];

      for (j = 1; j < p->n; j++)
        imp_row_problem(im, &im->rows[p->rows[j]], C_PRODUCT_CODE,
                        "%s is already on line %lu: to give a product several variants, "
                        "add the columns sku and variant",
                        first->f[C_PRODUCT_CODE], first->line);
      continue;
    }
    check_same_product(im, p);
    imp_check_same_extras(im, p);
    check_variants_named(im, p);
  }
  check_skus(im, product_rows);
  free(product_rows);
}

/* ---- the database -------------------------------------------------------- */

/* A text[] literal. Every element is quoted (a bare NULL would be a null);
 * SKUs and codes that pass imp_code_ok hold no quote or backslash. */
static char *array_literal(const char *const *items, size_t n) {
  size_t i, len = 3;
  char *s, *p;

  for (i = 0; i < n; i++)
    len += strlen(items[i]) + 3;
  s = malloc(len);
  if (!s)
    abort();
  p = s;
  *p++ = '{';
  for (i = 0; i < n; i++) {
    if (i)
      *p++ = ',';
    *p++ = '"';
    strcpy(p, items[i]);
    p += strlen(items[i]);
    *p++ = '"';
  }
  *p++ = '}';
  *p = '\0';
  return s;
}

int imp_check_sku_owners(struct import *im) {
  const char **skus = calloc(im->nrows ? im->nrows : 1, sizeof *skus);
  const char **codes = calloc(im->nrows ? im->nrows : 1, sizeof *codes);
  size_t *rows = calloc(im->nrows ? im->nrows : 1, sizeof *rows);
  const char *params[2];
  size_t i, n = 0;
  PGresult *res;
  int rc = -1, t;

  if (!skus || !codes || !rows)
    abort();
  /* Rows whose SKU or code is malformed are reported already. */
  for (i = 0; i < im->nrows; i++) {
    const struct row *r = &im->rows[i];

    if (imp_code_ok(r->sku) && imp_code_ok(r->f[C_PRODUCT_CODE])) {
      skus[n] = r->sku;
      codes[n] = r->f[C_PRODUCT_CODE];
      rows[n++] = i;
    }
  }
  params[0] = array_literal(skus, n);
  params[1] = array_literal(codes, n);
  res = PQexecParams(im->conn,
                     "SELECT f.i, p.code FROM unnest($1::text[], $2::text[]) WITH ORDINALITY"
                     " AS f (sku, code, i) JOIN variant v ON v.sku = f.sku"
                     " JOIN product p ON p.id = v.product_id WHERE p.code <> f.code"
                     " ORDER BY f.i",
                     2, NULL, params, NULL, NULL, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    imp_fatal(im, "cannot look the SKUs up", res);
    goto out;
  }
  for (t = 0; t < PQntuples(res); t++) {
    size_t k = (size_t)strtoul(PQgetvalue(res, t, 0), NULL, 10); /* from 1 */
    const char *owner = PQgetvalue(res, t, 1);
    struct row *r;

    if (k < 1 || k > n)
      continue;
    r = &im->rows[rows[k - 1]];
    if (r->f[C_SKU][0])
      imp_row_problem(im, r, C_SKU,
                      "%s is the SKU of a variant of %s in the catalogue: a SKU does not "
                      "move to another product",
                      r->sku, owner);
    else
      imp_row_problem(im, r, C_SKU,
                      "is empty, so the SKU is the product code %s, which is the SKU of a "
                      "variant of %s in the catalogue: give this variant a SKU of its own",
                      r->sku, owner);
  }
  rc = 0;
out:
  PQclear(res);
  free((char *)params[0]);
  free((char *)params[1]);
  free(skus);
  free(codes);
  free(rows);
  return rc;
}

/* The product's variants in the catalogue, active or withdrawn. */
struct known {
  char id[24];
  char *sku, *label;
};

static int load_known(struct import *im, struct row *r, const char *product_id,
                      struct known **out, size_t *nout) {
  const char *p[1] = {product_id};
  int rc = 0, i;
  PGresult *res = imp_row_exec(im, r, C_SKU,
                               "SELECT id, sku, label FROM variant WHERE product_id = $1::bigint",
                               1, p, &rc);
  struct known *k;

  if (!res)
    return rc;
  k = calloc((size_t)PQntuples(res) + 1, sizeof *k);
  if (!k)
    abort();
  for (i = 0; i < PQntuples(res); i++) {
    snprintf(k[i].id, sizeof k[i].id, "%s", PQgetvalue(res, i, 0));
    k[i].sku = strdup(PQgetvalue(res, i, 1));
    k[i].label = strdup(PQgetvalue(res, i, 2));
    if (!k[i].sku || !k[i].label)
      abort();
  }
  *nout = (size_t)PQntuples(res);
  *out = k;
  PQclear(res);
  return 0;
}

static const struct known *find_known(const struct known *k, size_t n, const char *sku) {
  size_t i;

  for (i = 0; i < n; i++)
    if (strcmp(k[i].sku, sku) == 0)
      return &k[i];
  return NULL;
}

/* Withdraws the active variants the file does not name. */
static int withdraw(struct import *im, const struct product_rows *p, const char *product_id,
                    struct counts *c) {
  const char **skus = calloc(p->n, sizeof *skus);
  const char *params[2];
  size_t j;
  int rc = 0;
  PGresult *res;

  if (!skus)
    abort();
  for (j = 0; j < p->n; j++)
    skus[j] = im->rows[p->rows[j]].sku;
  params[0] = product_id;
  params[1] = array_literal(skus, p->n);
  res = imp_row_exec(im, &im->rows[p->rows[0]], C_SKU,
                     "UPDATE variant SET active = false, updated_at = now()"
                     " WHERE product_id = $1::bigint AND active AND sku <> ALL ($2::text[])"
                     " RETURNING id",
                     2, params, &rc);
  if (res) {
    c->variants_withdrawn += PQntuples(res);
    PQclear(res);
  }
  free((char *)params[1]);
  free(skus);
  return rc;
}

/* Labels are unique among a product's active variants, checked row by row:
 * before labels trade places, the variants whose label changes take a
 * placeholder no CSV label can be (it starts with a control character). */
static int park_labels(struct import *im, const struct product_rows *p, const char *product_id,
                       const struct known *k, size_t nk) {
  const char **skus = calloc(p->n, sizeof *skus);
  const char *params[2];
  size_t j, n = 0;
  int rc = 0;

  if (!skus)
    abort();
  for (j = 0; j < p->n; j++) {
    const struct row *r = &im->rows[p->rows[j]];
    const struct known *v = find_known(k, nk, r->sku);

    if (v && strcmp(v->label, r->f[C_VARIANT]) != 0)
      skus[n++] = r->sku;
  }
  if (n > 1 || (n == 1 && p->n > 1)) {
    PGresult *res;

    params[0] = product_id;
    params[1] = array_literal(skus, n);
    res = imp_row_exec(im, &im->rows[p->rows[0]], C_VARIANT,
                       "UPDATE variant SET label = chr(1) || id::text"
                       " WHERE product_id = $1::bigint AND sku = ANY ($2::text[])",
                       2, params, &rc);
    PQclear(res);
    free((char *)params[1]);
  }
  free(skus);
  return rc;
}

#define VARIANT_COLUMNS \
  "(position, label, price_vnd, weight_g, gtin, length_mm, width_mm, height_mm, active)"
#define VARIANT_VALUES                                                                     \
  "($3::integer, $4::text, $5::bigint, $6::integer, $7::text, $8::integer, $9::integer," \
  " $10::integer, true)"

/* Inserts or updates one row's variant (v: the catalogue's, by SKU); its
 * id goes to id. */
static int upsert_variant(struct import *im, struct row *r, size_t position,
                          const char *product_id, const struct known *v, char *id,
                          size_t idlen, struct counts *c) {
  char pos[24], updated[24] = "";
  const char *p[10] = {v ? v->id : r->sku,
                       product_id,
                       pos,
                       r->f[C_VARIANT],
                       r->f[C_PRICE_VND],
                       imp_or_null(r->f[C_WEIGHT_G]),
                       imp_or_null(r->f[C_GTIN]),
                       imp_or_null(r->f[C_LENGTH_MM]),
                       imp_or_null(r->f[C_WIDTH_MM]),
                       imp_or_null(r->f[C_HEIGHT_MM])};
  int rc;

  snprintf(pos, sizeof pos, "%zu", position);
  if (!v) {
    rc = imp_fetch_id(im, r, C_SKU,
                      "INSERT INTO variant (sku, product_id, position, label, price_vnd,"
                      " weight_g, gtin, length_mm, width_mm, height_mm)"
                      " VALUES ($1, $2::bigint, $3::integer, $4, $5::bigint, $6::integer, $7,"
                      " $8::integer, $9::integer, $10::integer) RETURNING id",
                      10, p, id, idlen, NULL);
    c->variants_created += rc == 0;
    return rc;
  }
  snprintf(id, idlen, "%s", v->id);
  rc = imp_fetch_id(im, r, C_SKU,
                    "UPDATE variant SET " VARIANT_COLUMNS " = " VARIANT_VALUES
                    ", updated_at = now()"
                    " WHERE id = $1::bigint AND product_id = $2::bigint"
                    " AND " VARIANT_COLUMNS " IS DISTINCT FROM " VARIANT_VALUES " RETURNING id",
                    10, p, updated, sizeof updated, NULL);
  if (rc != 0)
    return rc;
  if (updated[0])
    c->variants_updated++;
  else
    c->variants_unchanged++;
  return 0;
}

/* The file's stock column. A new variant's opening balance is one 'import'
 * ledger row. An existing variant's count moved since the file was written
 * (sales, stocktakes), so the column is ignored, and counted when it
 * differs, unless the import is a stocktake: then one 'stocktake' row with
 * a note naming the file moves on hand to it. */
static int adjust_stock(struct import *im, struct row *r, const char *variant_id,
                        const char *product_id, int existing, struct counts *c) {
  const char *p[5] = {variant_id, product_id, r->f[C_STOCK],
                      existing ? "stocktake" : "import",
                      existing ? im->source + 4 /* after "csv:" */ : NULL};
  char delta[32] = "";
  int rc;

  if (existing && !im->stocktake) {
    rc = imp_fetch_id(im, r, C_STOCK,
                      "SELECT 1 WHERE $3::bigint IS DISTINCT FROM coalesce((SELECT on_hand"
                      " FROM stock_level WHERE variant_id = $1::bigint), 0)"
                      " AND $2::bigint IS NOT NULL",
                      3, p, delta, sizeof delta, NULL);
    c->stock_ignored += rc == 0 && delta[0];
    return rc;
  }
  rc = imp_fetch_id(im, r, C_STOCK,
                    "INSERT INTO stock_ledger (variant_id, product_id, delta, reason, note)"
                    " SELECT $1::bigint, $2::bigint, d, $4,"
                    " 'stocktake from catalogue file ' || $5::text"
                    " FROM (SELECT $3::bigint - coalesce("
                    "  (SELECT on_hand FROM stock_level WHERE variant_id = $1::bigint), 0) AS d) s"
                    " WHERE d <> 0 RETURNING delta",
                    5, p, delta, sizeof delta, NULL);
  c->stock_adjustments += rc == 0 && delta[0];
  return rc;
}

int imp_write_variants(struct import *im, const struct product_rows *p, const char *product_id,
                       struct counts *c) {
  struct known *k = NULL;
  size_t nk = 0, j;
  char (*ids)[24] = calloc(p->n, sizeof *ids);
  int rc;

  if (!ids)
    abort();
  rc = load_known(im, &im->rows[p->rows[0]], product_id, &k, &nk);
  if (rc == 0)
    rc = withdraw(im, p, product_id, c);
  if (rc == 0)
    rc = park_labels(im, p, product_id, k, nk);
  for (j = 0; rc == 0 && j < p->n; j++) {
    struct row *r = &im->rows[p->rows[j]];

    rc = upsert_variant(im, r, j + 1, product_id, find_known(k, nk, r->sku), ids[j],
                        sizeof ids[j], c);
  }
  for (j = 0; rc == 0 && j < p->n; j++) {
    struct row *r = &im->rows[p->rows[j]];

    rc = adjust_stock(im, r, ids[j], product_id, find_known(k, nk, r->sku) != NULL, c);
  }
  for (j = 0; j < nk; j++) {
    free(k[j].sku);
    free(k[j].label);
  }
  free(k);
  free(ids);
  return rc;
}
