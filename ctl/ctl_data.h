/*
 * ctl_data.h — the operator's data commands: `orders` (ctl_orders.c),
 * `stock` (ctl_stock.c) and `cert` (ctl_cert.c), and what they share
 * (ctl_data.c): looking up what an argument names, reading numbers, and
 * printing JSON.
 *
 * Every argument is checked before anything is written: an unknown
 * option or a malformed date or number is a usage error (exit 2); an
 * unknown shop, product or SKU fails (exit 1); each with one line saying
 * what is wrong. Database refusals go through ctl_pg_error (ctl_error.h).
 */
#ifndef OCOP_CTL_DATA_H
#define OCOP_CTL_DATA_H

#include <cjson/cJSON.h>

#include "ocopctl.h"

int cmd_orders(struct ctl *ctl, int argc, char **argv);
int cmd_stock(struct ctl *ctl, int argc, char **argv);
int cmd_cert(struct ctl *ctl, int argc, char **argv);

/* What ctl_data_known looks up, by its exact name. */
enum ctl_kind { CTL_SHOP, CTL_PRODUCT, CTL_SKU };

/* 1 when the shop, product code or SKU exists; 0 after printing
 * "ocopctl: COMMAND: unknown ... \"value\" (see ...)"; -1 after printing a
 * database failure. */
int ctl_data_known(PGconn *conn, const char *command, enum ctl_kind kind, const char *value);

/* A whole number in [min, max], with an optional sign; 1 when s is one. */
int ctl_data_number(const char *s, long long min, long long max, long long *out);

/* Prints "ocopctl: COMMAND: OPTION \"VALUE\" is not WHAT"; returns
 * CTL_USAGE. */
int ctl_data_bad(const char *command, const char *option, const char *value, const char *what);

/* Prints j (indented) and a newline to stdout, then deletes it. */
void ctl_data_print_json(cJSON *j);

/* Runs a query whose failure is printed (ctl_pg_error); NULL then. */
PGresult *ctl_data_query(PGconn *conn, const char *command, const char *sql, int n,
                         const char *const *params);

/* Column c of row i: a JSON string, or null when SQL NULL. */
cJSON *ctl_data_str(const PGresult *r, int i, int c);
/* Column c of row i: a JSON number, or null when SQL NULL. */
cJSON *ctl_data_num(const PGresult *r, int i, int c);

#endif
