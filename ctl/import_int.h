/*
 * import_int.h — what the files of the catalogue import share (import.h is
 * the interface): the columns, the rows read, the problems found, and the
 * helpers that report them and run a row's statements.
 *
 * import.c reads the file, checks each row on its own, writes producers,
 * products and certificates, and runs the whole import. import_variants.c
 * groups the rows by product and checks them together (product-level
 * columns agree, SKUs and labels are unique, package sizes complete), and
 * writes each product's variants and their stock.
 */
#ifndef OCOP_IMPORT_INT_H
#define OCOP_IMPORT_INT_H

#include <stddef.h>
#include <stdio.h>

#include <libpq-fe.h>

#include "csv.h"

enum col {
  C_PRODUCT_CODE, C_NAME_VI, C_PRODUCER_NAME, C_PRODUCER_TYPE, C_PROVINCE, C_COMMUNE,
  C_CATEGORY_GROUP, C_STARS, C_CERTIFICATE_NO, C_CERTIFIED_ON, C_EXPIRES_ON,
  C_PRICE_VND, C_STOCK, C_UNIT, C_WEIGHT_G, C_GTIN, C_DESCRIPTION_VI, C_REVOKED_ON,
  C_SKU, C_VARIANT, C_LENGTH_MM, C_WIDTH_MM, C_HEIGHT_MM,
  NCOLS
};

/* The file's columns: whether the header may leave it out, whether a row
 * must fill it, the longest value the table takes, in characters (0: none),
 * and whether it belongs to the variant (else to the product, and then it
 * must be the same on every row of a product). */
struct column {
  const char *name;
  int optional;
  int required;
  size_t max_chars;
  int per_variant;
};

extern const struct column imp_columns[NCOLS];

struct row {
  unsigned long line;
  char *f[NCOLS]; /* "" for an absent optional column */
  const char *sku; /* the variant's SKU: f[C_SKU], or the product code */
  int stars;      /* 0: not rated */
  int bad;        /* has a problem: its product is not written */
  size_t producer_src; /* row whose province/commune the producer gets */
};

/* A product: its rows (indexes into im->rows), in file order. */
struct product_rows {
  size_t *rows;
  size_t n;
};

struct problem {
  unsigned long line;
  size_t seq; /* keeps the order of problems found on one line */
  char *text;
};

struct counts {
  long producers_created, producers_updated;
  long products_created, products_updated, products_unchanged;
  long variants_created, variants_updated, variants_unchanged, variants_withdrawn;
  long certificates_added, certificates_updated;
  long stock_adjustments;
};

struct import {
  PGconn *conn;
  const char *path;
  const char *source; /* "csv:<basename>" */
  FILE *errs;
  csv_t *csv;
  int colidx[NCOLS]; /* -1: absent */
  int broken;        /* header or syntax problem: rows cannot all be read */
  char **categories;
  size_t ncategories;
  struct row *rows;
  size_t nrows, rows_cap;
  struct product_rows *products; /* in the order of their first row */
  size_t nproducts;
  struct problem *problems;
  size_t nproblems, problems_cap;
  struct counts counts;
};

/* ---- import.c ---- */

void imp_row_problem(struct import *im, struct row *r, enum col c, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
size_t imp_utf8_chars(const char *s);
int imp_code_ok(const char *s);
int imp_has_outer_space(const char *s);
void imp_check_count(struct import *im, struct row *r, enum col c, long long min,
                     long long max, const char *unit);

/* Rows sorted by a key (file order within a key). */
struct imp_keyed {
  const char *key;
  size_t idx;
};
struct imp_keyed *imp_sorted_by(struct import *im, enum col c);
struct imp_keyed *imp_sorted_by_sku(struct import *im);

int imp_command(struct import *im, const char *sql, int n, const char *const *params,
                const char *what);
int imp_fatal(struct import *im, const char *what, const PGresult *res);
PGresult *imp_row_exec(struct import *im, struct row *r, enum col col, const char *sql, int n,
                       const char *const *params, int *rc);
int imp_fetch_id(struct import *im, struct row *r, enum col col, const char *sql, int n,
                 const char *const *params, char *id, size_t idlen, int *flag);
const char *imp_or_null(const char *s);

/* ---- import_variants.c ---- */

/* The variant columns of one row: SKU, label, package size. */
void imp_check_variant_row(struct import *im, struct row *r);
/* Groups the rows by product_code (im->products) and checks the rows of
 * each product against each other, and every SKU against the others. */
void imp_check_products(struct import *im);
/* SKUs of the file that belong to another product in the database. */
int imp_check_sku_owners(struct import *im);
/* Writes the variants of one product and their stock: 0, 1 (a problem was
 * reported against a row) or -1. */
int imp_write_variants(struct import *im, const struct product_rows *p, const char *product_id,
                       struct counts *c);

#endif
