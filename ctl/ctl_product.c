/*
 * ctl_product.c — `ocopctl product price|description`: one change to the
 * catalogue by hand, between two imports of its file.
 *
 *   product price SKU VND           a variant's price, in whole dong
 *   product description CODE TEXT   a product's description (Vietnamese)
 *
 * The triggers of the catalogue queue the listings' updates in the same
 * transaction. The next import of a catalogue file with other values sets
 * them again: the file stays the authority (docs/catalogue-csv.md).
 */
#include <stdio.h>
#include <string.h>

#include "ctl_assortment.h"
#include "ctl_content.h"
#include "ctl_product.h"

#define DESCRIPTION_MAX 5000 /* characters: product.description_vi's CHECK */

/* Characters, not bytes, of a UTF-8 text. */
static size_t utf8_length(const char *s) {
  size_t n = 0;

  for (; *s; s++)
    n += ((unsigned char)*s & 0xC0) != 0x80;
  return n;
}

/* Runs one update in its own transaction; 1 row changed, else a line. */
static int update_one(PGconn *conn, const char *sql, const char *const *p, const char *what) {
  PGresult *r;
  int rc = CTL_OK;

  if (ctl_begin_change(conn, "product") != CTL_OK)
    return CTL_FAIL;
  r = ctl_query(conn, "product", sql, 2, p);
  if (!r) {
    rc = CTL_FAIL;
  } else if (PQntuples(r) != 1) {
    fprintf(stderr, "ocopctl: product: no %s \"%s\"\n", what, p[0]);
    rc = CTL_FAIL;
  } else {
    printf("%s: %s -> %s\n", p[0], PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1));
  }
  PQclear(r);
  return ctl_end_change(conn, "product", rc);
}

int ctl_product_price(struct ctl *ctl, int argc, char **argv) {
  const char *p[2];
  size_t n;
  PGconn *conn;

  if (argc != 4)
    return ctl_usage("product");
  n = strlen(argv[3]);
  if (n == 0 || n > 12 || strspn(argv[3], "0123456789") != n || argv[3][0] == '0') {
    fprintf(stderr, "ocopctl: product: price \"%s\" is not a whole number of dong above 0\n",
            argv[3]);
    return CTL_FAIL;
  }
  p[0] = argv[2];
  p[1] = argv[3];
  conn = ctl_connect(ctl, "product");
  if (!conn)
    return CTL_FAIL;
  return update_one(conn,
                    "UPDATE variant v SET price_vnd = $2::bigint, updated_at = now()"
                    " FROM variant old WHERE old.id = v.id AND v.sku = $1"
                    " RETURNING old.price_vnd, v.price_vnd",
                    p, "variant has the SKU");
}

int ctl_product_description(struct ctl *ctl, int argc, char **argv) {
  const char *p[2];
  PGconn *conn;

  if (argc != 4)
    return ctl_usage("product");
  if (argv[3][0] == '\0' || utf8_length(argv[3]) > DESCRIPTION_MAX) {
    fprintf(stderr, "ocopctl: product: the description must have 1 to %d characters; this one "
                    "has %zu\n", DESCRIPTION_MAX, utf8_length(argv[3]));
    return CTL_FAIL;
  }
  p[0] = argv[2];
  p[1] = argv[3];
  conn = ctl_connect(ctl, "product");
  if (!conn)
    return CTL_FAIL;
  return update_one(conn,
                    "UPDATE product SET description_vi = $2, updated_at = now() WHERE code = $1"
                    " RETURNING 'description', length(description_vi) || ' characters'",
                    p, "product has the code");
}
