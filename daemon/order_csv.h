/*
 * order_csv.h — the PostMart order-file reader.
 *
 * PostMart has no seller API: operators export orders by hand as CSV and drop
 * the files in a folder. This module is the pure part of ingesting one file:
 * it checks every row and turns the file into the same ingest document the
 * HTTP channels' order structs become (daemon/order_doc.h), so the core
 * treats PostMart orders like any other channel's. Scanning the
 * folder, the database and moving files belong to the daemon.
 *
 * A file is taken whole or not at all: one bad row refuses the file, and every
 * problem found is reported at once so the operator can fix them in one go.
 * The format is described in docs/postmart-orders.md.
 */
#ifndef OCOP_ORDER_CSV_H
#define OCOP_ORDER_CSV_H

#include <stddef.h>

#define OCSV_MAX_FILE ((size_t)16 << 20) /* bytes in a file */
#define OCSV_MAX_ROWS 100000             /* data rows in a file */
#define OCSV_MAX_ORDERS 20000            /* orders in a file */
#define OCSV_MAX_ERRORS 50               /* problems listed; the rest are counted */

/* Why a file was refused. */
typedef struct ocsv_errors {
  /* "NAME:LINE: column: what is wrong" (or the CSV reader's own message), in
   * line order; at most OCSV_MAX_ERRORS, then "NAME: … and N more problems". */
  char **lines;
  size_t nlines;
  size_t total; /* problems found, listed or not */
} ocsv_errors;

/*
 * Reads one order file held in memory; name is used in messages. On success
 * returns 0 and sets *json to a malloc'd NUL-terminated GET_ORDERS document
 * (free() it) of *njson bytes, with an empty "bad" list; errs is left empty.
 * On failure returns -1 with *json NULL and every problem in errs (release
 * with ocsv_errors_free). data need not be NUL-terminated.
 */
int ocsv_parse(const char *name, const char *data, size_t len, char **json, size_t *njson,
               ocsv_errors *errs);

/* Reads the file at path (at most OCSV_MAX_FILE bytes) and parses it as
 * above, naming it by path. */
int ocsv_parse_file(const char *path, char **json, size_t *njson, ocsv_errors *errs);

void ocsv_errors_free(ocsv_errors *errs);

#endif
