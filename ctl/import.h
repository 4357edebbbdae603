/*
 * import.h — load a catalogue CSV (the columns of ocop-sample.csv) into the
 * catalogue tables, all or nothing. The format: docs/catalogue-csv.md.
 *
 * One row per variant (pack size) of a product; the rows of one product are
 * found by product_code and may be anywhere in the file. Columns, by header
 * name in any order: product_code, name_vi, producer_name, producer_type,
 * province, commune, category_group, stars, certificate_no, certified_on,
 * expires_on, price_vnd, stock, unit, weight_g, gtin, description_vi, and
 * optionally revoked_on, sku, variant, length_mm, width_mm, height_mm, and
 * the listing's content: images, brand, origin, shelf_life, ingredients,
 * net_weight, storage, material, attr.<key> and <marketplace>_category
 * (import_content.c). Any other column is an error. sku, variant, price_vnd, stock, weight_g, gtin
 * and the three package sizes belong to the variant; every other column to
 * the product, and must be the same on each of its rows. A product of one
 * row may leave sku empty (or the file leave the column out): its SKU is
 * then its product code, so a file of the single-SKU form imports as it
 * always did.
 *
 * Every row is checked first (see import.c and import_variants.c for the
 * rules) and every problem is reported, one line each, as
 * "FILE:LINE: column: what is wrong", sorted by line. Products whose rows
 * all pass are then written in one transaction: in bulk when no problem
 * was found (import_bulk.c, sql/logic/import.sql), else, or when the
 * database refuses the bulk write, product by product, each under a
 * savepoint, so that a row the database refuses is reported against its
 * line too; if anything at all was wrong the transaction is rolled back.
 *
 * What a product does, each step writing only when something differs (so
 * the same file imported twice changes nothing the second time):
 *  - producer: upserted by name (kind, province, commune). When several rows
 *    name one producer, its province and commune are taken from the row with
 *    the latest certified_on (addresses change; the latest is the current
 *    one) and its kind must agree on every row.
 *  - product: upserted by code; updated_at moves only when a value changed.
 *  - certificate (when stars is set): found by (decision_no, decision_date)
 *    with issuer '' — a 1–2 star rating has neither and is recorded once per
 *    product. New: inserted (an empty expires_on lets the database compute
 *    36 months). Known: stars, valid_until and revoked_on updated when they
 *    differ; an empty expires_on or revoked_on keeps what is recorded, so a
 *    revocation entered elsewhere is never undone by an older file.
 *  - variants: upserted by SKU (position = the order of the product's rows
 *    in the file, label, price, weight, GTIN, package size; active). A
 *    variant of the product that the file no longer names is withdrawn
 *    (active = false), never deleted: its ledger and orders keep it. A SKU
 *    never moves to another product.
 *  - stock, per variant: for a NEW variant the CSV gives its opening
 *    balance, one 'import' ledger row. For a variant already in the
 *    catalogue the column is ignored (sales and stocktakes have moved it
 *    since the file was written) and counted in stock_ignored when it
 *    differs from on hand; with IMPORT_STOCKTAKE it is a stocktake
 *    instead: one 'stocktake' ledger row, its note naming the file,
 *    moves on hand to it.
 *  - content, for the content columns the file has (import_content.c):
 *    the product's images replaced to match the cell, its attributes and
 *    marketplace categories set or (empty cell) removed.
 */
#ifndef OCOP_IMPORT_H
#define OCOP_IMPORT_H

#include <stdio.h>

#include <libpq-fe.h>

struct import_summary {
  long rows;
  long producers_created, producers_updated;
  long products_created, products_updated, products_unchanged;
  long variants_created, variants_updated, variants_unchanged, variants_withdrawn;
  long certificates_added, certificates_updated;
  long stock_adjustments;
  /* Existing variants whose stock column differs from on hand, left as
   * they are (no IMPORT_STOCKTAKE). */
  long stock_ignored;
  /* The content columns: image rows added, changed (source or claim) and
   * removed; attributes and marketplace categories set and removed. */
  long images_added, images_changed, images_removed;
  long attributes_set, attributes_removed;
  long categories_set, categories_removed;
  long problems; /* lines printed to errs */
};

/* import_file's flags. */
#define IMPORT_DRY_RUN 1u   /* check and write, then roll back */
#define IMPORT_STOCKTAKE 2u /* the stock column sets existing variants too */
/* Write product by product, as a file with a problem is written (to name
 * each refusal's line), instead of in bulk (import_bulk.c): the same
 * result, slower. Tests compare the two. */
#define IMPORT_BY_PRODUCT 4u

/*
 * Imports the file at path. The schema must be current (migrate_check).
 * With IMPORT_DRY_RUN everything is checked and written, then rolled back:
 * the summary says what would change. Problems go to errs.
 * Returns 0 (imported, or dry run passed), 1 when the file has problems
 * (nothing imported), -1 when the import could not run (database error;
 * the reason is printed to errs).
 */
/* 1 when m is a marketplace a catalogue column or a content command may
 * name: those of the shop table (shopee, lazada, tiktok, postmart). */
int import_marketplace_ok(const char *m);

int import_file(PGconn *conn, const char *path, unsigned flags, struct import_summary *sum,
                FILE *errs);

/*
 * The checks of import_file that need no database, on a file held in
 * memory (name is used in messages; data need not be NUL-terminated):
 * the header, every row, the rows of each product and producer, with
 * categories the category codes the database knows. Prints the problems
 * to errs as import_file does and returns how many there are.
 */
long import_check_mem(const char *name, const char *data, size_t len,
                      const char *const *categories, size_t ncategories, FILE *errs);

#endif
