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
  /* The listing's content (import_content.c): images, then the attribute
   * columns in the order of imp_attr_cols. */
  C_IMAGES, C_BRAND, C_ORIGIN, C_SHELF_LIFE, C_INGREDIENTS, C_NET_WEIGHT, C_STORAGE,
  C_MATERIAL,
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

/* Columns the header names by pattern rather than by a fixed name: an
 * attribute `attr.<key>` or a marketplace category `<marketplace>_category`
 * (import_content.c). They belong to the product. */
enum extra_kind { X_ATTR, X_CATEGORY };

struct extra {
  enum extra_kind kind;
  const char *name; /* the header's name */
  char key[64];     /* the attribute key, or the marketplace */
  int idx;          /* in the record */
};

struct row {
  unsigned long line;
  char *f[NCOLS]; /* "" for an absent optional column */
  char **xf;      /* the extra columns' values, as im->extras */
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
  long stock_ignored;
  long images_added, images_changed, images_removed;
  long attributes_set, attributes_removed;
  long categories_set, categories_removed;
};

struct import {
  PGconn *conn;
  const char *path;
  const char *source; /* "csv:<basename>" */
  int stocktake;      /* IMPORT_STOCKTAKE */
  int by_product;     /* IMPORT_BY_PRODUCT */
  FILE *errs;
  csv_t *csv;
  int colidx[NCOLS]; /* -1: absent */
  struct extra *extras;
  size_t nextras;
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
/* The same for a column given by name (an extra column). */
void imp_row_problem_at(struct import *im, struct row *r, const char *column, const char *fmt,
                        ...) __attribute__((format(printf, 4, 5)));
/* A problem with the header (line 1) about one column. */
void imp_header_problem(struct import *im, const char *column, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
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
/* A refusal that is the data's fault (import.c names its row), not the
 * database's. */
int imp_row_error(const PGresult *res);
PGresult *imp_row_exec(struct import *im, struct row *r, enum col col, const char *sql, int n,
                       const char *const *params, int *rc);
/* As imp_row_exec, a refusal reported against the column named. */
PGresult *imp_row_exec_at(struct import *im, struct row *r, const char *column, const char *sql,
                          int n, const char *const *params, int *rc);
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

/* ---- import_bulk.c ---- */

/* Rows sent to one COPY ... FROM STDIN, gathered in chunks. */
struct imp_copy {
  struct import *im;
  char *buf;
  size_t len, cap;
  int fields; /* in the row being written */
  int failed;
};

int imp_copy_begin(struct import *im, struct imp_copy *c, const char *sql);
/* A field; NULL writes SQL NULL. */
void imp_copy_field(struct imp_copy *c, const char *s);
void imp_copy_long(struct imp_copy *c, long long v);
void imp_copy_end_row(struct imp_copy *c);
/* Ends the COPY: 0, or -1 (printed). */
int imp_copy_finish(struct imp_copy *c);
/* Writes every product with no problem in bulk: 0 (written, im->counts
 * set), 1 (the database refused something: nothing written, the caller
 * writes product by product to find the line) or -1. */
int imp_bulk_write(struct import *im);

/* ---- import_content.c ---- */

/* The staging tables of the content columns (sql/logic/import.sql). */
enum imp_content_table { IMP_IMAGES, IMP_ATTRIBUTES, IMP_CATEGORIES };
/* The COPY statement of one. */
const char *imp_content_copy_sql(enum imp_content_table t);
/* The product's rows of table t, from its first row, for the columns the
 * file has. */
void imp_stage_content(struct import *im, const struct product_rows *p,
                       enum imp_content_table t, struct imp_copy *c);

/* A header name that is not a fixed column: 1 when it is an extra column
 * (added to im->extras, or reported when malformed), 0 when unknown. */
int imp_extra_column(struct import *im, const char *name, int idx);
/* The content columns of one row: images, attribute values, categories. */
void imp_check_content_row(struct import *im, struct row *r);
/* The extra columns of a product's rows agree with its first row. */
void imp_check_same_extras(struct import *im, const struct product_rows *p);
/* Writes the product's images, attributes and categories from its first
 * row, for the columns the file has: 0, 1 (reported) or -1. */
int imp_write_content(struct import *im, const struct product_rows *p, const char *product_id,
                      struct counts *c);

#endif
