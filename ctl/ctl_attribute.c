/*
 * ctl_attribute.c — which marketplace attribute each catalogue attribute
 * key fills, and one product's attributes by hand.
 *
 *   attribute map MARKETPLACE|'*' KEY "Remote Name"   ('*': every marketplace;
 *                                                     a marketplace's own row wins)
 *   attribute unmap MARKETPLACE|'*' KEY
 *   attribute list [--json]
 *   product attribute CODE KEY VALUE | product attribute CODE KEY --unset
 *   (product price and product description: ctl_product.c)
 *
 * The brand is not mapped: it is matched against the category's brand list
 * (sql/logic/content.sql). A change re-derives the listings' jobs (the
 * triggers of sql/logic/content.sql) in the same transaction.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_assortment.h"
#include "ctl_content.h"
#include "ctl_product.h"
#include "import.h"

/* product_attribute.key's CHECK: ^[a-z][a-z0-9_]{0,47}$ */
static int key_ok(const char *k) {
  size_t n = strlen(k);

  return n >= 1 && n <= 48 && k[0] >= 'a' && k[0] <= 'z' &&
         strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

static int bad_key(const char *command, const char *k) {
  fprintf(stderr,
          "ocopctl: %s: \"%s\" is not an attribute key: a lowercase letter, then up to 47 "
          "lowercase letters, digits or '_'\n",
          command, k);
  return CTL_FAIL;
}

/* Runs one change in its own transaction; the result's row count in *rows. */
static int change(PGconn *conn, const char *command, const char *sql, int n,
                  const char *const *params, int *rows) {
  PGresult *r;
  int rc = CTL_OK;

  if (ctl_begin_change(conn, command) != CTL_OK)
    return CTL_FAIL;
  r = ctl_query(conn, command, sql, n, params);
  if (!r)
    rc = CTL_FAIL;
  else
    *rows = PQntuples(r);
  PQclear(r);
  return ctl_end_change(conn, command, rc);
}

static int attribute_map(PGconn *conn, int argc, char **argv) {
  const char *p[3];
  size_t len;
  int rows = 0;

  if (argc != 5)
    return ctl_usage("attribute");
  p[0] = argv[2];
  p[1] = argv[3];
  p[2] = argv[4];
  len = strlen(p[2]);
  if (strcmp(p[0], "*") != 0 && !import_marketplace_ok(p[0])) {
    fprintf(stderr, "ocopctl: attribute: \"%s\" is not a marketplace: shopee, lazada, tiktok, "
                    "postmart or '*' (every marketplace)\n",
            p[0]);
    return CTL_FAIL;
  }
  if (!key_ok(p[1]))
    return bad_key("attribute", p[1]);
  if (strcmp(p[1], "brand") == 0) {
    fprintf(stderr, "ocopctl: attribute: the brand is not mapped: it is matched against the "
                    "category's brand list\n");
    return CTL_FAIL;
  }
  if (len < 1 || len > 128) {
    fprintf(stderr, "ocopctl: attribute: the marketplace's name must be 1 to 128 characters\n");
    return CTL_FAIL;
  }
  if (change(conn, "attribute",
             "INSERT INTO attribute_map (marketplace, key, remote_name) VALUES ($1, $2, $3)"
             " ON CONFLICT (marketplace, key) DO UPDATE SET remote_name = EXCLUDED.remote_name"
             " RETURNING key",
             3, p, &rows) != CTL_OK)
    return CTL_FAIL;
  printf("%s: the attribute %s fills \"%s\"\n", strcmp(p[0], "*") == 0 ? "every marketplace" : p[0],
         p[1], p[2]);
  return CTL_OK;
}

static int attribute_unmap(PGconn *conn, int argc, char **argv) {
  const char *p[2];
  int rows = 0;

  if (argc != 4)
    return ctl_usage("attribute");
  p[0] = argv[2];
  p[1] = argv[3];
  if (change(conn, "attribute",
             "DELETE FROM attribute_map WHERE marketplace = $1 AND key = $2 RETURNING key", 2, p,
             &rows) != CTL_OK)
    return CTL_FAIL;
  if (rows == 0) {
    fprintf(stderr, "ocopctl: attribute: unmap: %s has no map for %s\n", p[0], p[1]);
    return CTL_FAIL;
  }
  printf("%s: the attribute %s is no longer mapped\n", p[0], p[1]);
  return CTL_OK;
}

static int attribute_list(PGconn *conn, int argc, char **argv) {
  PGresult *r;
  cJSON *arr;
  int i, json = argc == 3 && strcmp(argv[2], "--json") == 0;

  if (argc > 3 || (argc == 3 && !json))
    return ctl_usage("attribute");
  r = ctl_query(conn, "attribute",
                "SELECT m.marketplace, m.key, m.remote_name,"
                " (SELECT count(*) FROM product_attribute a WHERE a.key = m.key)"
                " FROM attribute_map m ORDER BY m.key, m.marketplace = '*' DESC, m.marketplace",
                0, NULL);
  if (!r)
    return CTL_FAIL;
  arr = cJSON_CreateArray();
  if (!json)
    printf("%-12s %-20s %8s  %s\n", "marketplace", "key", "products", "marketplace attribute");
  for (i = 0; i < PQntuples(r); i++) {
    cJSON *o;

    if (!json) {
      printf("%-12s %-20s %8s  %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
             PQgetvalue(r, i, 3), PQgetvalue(r, i, 2));
      continue;
    }
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "marketplace", PQgetvalue(r, i, 0));
    cJSON_AddStringToObject(o, "key", PQgetvalue(r, i, 1));
    cJSON_AddStringToObject(o, "remote_name", PQgetvalue(r, i, 2));
    cJSON_AddNumberToObject(o, "products", atof(PQgetvalue(r, i, 3)));
    cJSON_AddItemToArray(arr, o);
  }
  if (json)
    ctl_print_json(arr);
  else
    cJSON_Delete(arr);
  PQclear(r);
  return CTL_OK;
}

int cmd_attribute(struct ctl *ctl, int argc, char **argv) {
  PGconn *conn;

  if (argc < 2 || (strcmp(argv[1], "map") != 0 && strcmp(argv[1], "unmap") != 0 &&
                   strcmp(argv[1], "list") != 0))
    return ctl_usage("attribute");
  conn = ctl_connect(ctl, "attribute");
  if (!conn)
    return CTL_FAIL;
  if (strcmp(argv[1], "map") == 0)
    return attribute_map(conn, argc, argv);
  if (strcmp(argv[1], "unmap") == 0)
    return attribute_unmap(conn, argc, argv);
  return attribute_list(conn, argc, argv);
}

/* ---- product attribute ---------------------------------------------------------- */

static int value_ok(const char *v) {
  size_t n = strlen(v);

  return n >= 1 && !strchr(" \t\r\n", v[0]) && !strchr(" \t\r\n", v[n - 1]);
}

/* 1 when the catalogue has the product; 0 after saying it has not. */
static int product_exists(PGconn *conn, const char *code) {
  const char *p[1] = {code};
  PGresult *r = ctl_query(conn, "product", "SELECT 1 FROM product WHERE code = $1", 1, p);
  int found = r && PQntuples(r) == 1;

  if (r && !found)
    fprintf(stderr, "ocopctl: product: no product has the code \"%s\"\n", code);
  PQclear(r);
  return found;
}

int cmd_product(struct ctl *ctl, int argc, char **argv) {
  const char *p[3];
  PGconn *conn;
  int rows = 0, unset;

  if (argc >= 2 && strcmp(argv[1], "price") == 0)
    return ctl_product_price(ctl, argc, argv);
  if (argc >= 2 && strcmp(argv[1], "description") == 0)
    return ctl_product_description(ctl, argc, argv);
  if (argc != 5 || strcmp(argv[1], "attribute") != 0)
    return ctl_usage("product");
  unset = strcmp(argv[4], "--unset") == 0;
  p[0] = argv[2];
  p[1] = argv[3];
  p[2] = argv[4];
  if (!key_ok(p[1]))
    return bad_key("product", p[1]);
  if (!unset && !value_ok(p[2])) {
    fprintf(stderr, "ocopctl: product: the value must not be empty nor start or end with a "
                    "space (--unset removes the attribute)\n");
    return CTL_FAIL;
  }
  conn = ctl_connect(ctl, "product");
  if (!conn)
    return CTL_FAIL;
  if (!product_exists(conn, p[0]))
    return CTL_FAIL;
  if (unset ? change(conn, "product",
                     "DELETE FROM product_attribute a USING product p WHERE p.id = a.product_id"
                     " AND p.code = $1 AND a.key = $2 RETURNING a.key",
                     2, p, &rows)
            : change(conn, "product",
                     "INSERT INTO product_attribute (product_id, key, value)"
                     " SELECT id, $2, $3 FROM product WHERE code = $1"
                     " ON CONFLICT (product_id, key) DO UPDATE SET value = EXCLUDED.value"
                     " WHERE product_attribute.value <> EXCLUDED.value RETURNING key",
                     3, p, &rows))
    return CTL_FAIL;
  if (unset)
    printf("%s: %s %s\n", p[0], p[1], rows ? "removed" : "was not set");
  else
    printf("%s: %s = %s\n", p[0], p[1], p[2]);
  return CTL_OK;
}
