/*
 * ctl_orders.c — `ocopctl orders`: the orders ocopd took from every
 * channel (sql/006_orders.sql, sql/logic/orders.sql), newest first.
 *
 *   ocopctl orders [--shop NAME] [--product CODE] [--sku SKU] [--status S]
 *                  [--since DATE] [--until DATE] [--limit N] [--json]
 *
 * Each order: its shop, the marketplace's order id, the marketplace's
 * status and what it did to stock (none, reserved, sold, released), when it
 * was placed in Vietnam's time (Asia/Ho_Chi_Minh, +07:00: the moment ocopd
 * first recorded it, within one poll or push of the buyer's order), its
 * total and its lines (SKU x quantity at the unit price). --status matches
 * the marketplace's status (any case) or the stock effect. --since and
 * --until are OCOP days, both included. --limit (default 100) keeps the
 * newest. Read-only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_data.h"

#define CMD "orders"

enum { F_SHOP, F_PRODUCT, F_SKU, F_STATUS, F_SINCE, F_UNTIL, F_LIMIT, NFILTERS };

static const char *const options[NFILTERS] = {"--shop",  "--product", "--sku",  "--status",
                                              "--since", "--until",   "--limit"};

enum { O_SHOP, O_MARKET, O_ID, O_STATUS, O_EFFECT, O_PLACED, O_DAY, O_UPDATED, O_TOTAL, O_FLAGS,
       O_LINES };

/* Lines as a JSON array so that one row is one order. */
static const char orders_sql[] =
    "SELECT s.name, s.marketplace, o.mp_order_id, o.status, o.stock_effect,"
    " to_char(o.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"'),"
    " ocop_date_at(o.created_at)::text,"
    " to_char(o.mp_update_time AT TIME ZONE 'Asia/Ho_Chi_Minh',"
    "         'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"'),"
    " o.total_vnd, array_to_json(o.flags)::text,"
    " (SELECT json_agg(json_build_object('line', l.line_no, 'sku', l.sku, 'product', p.code,"
    "                  'qty', l.quantity, 'unit_price_vnd', l.unit_price) ORDER BY l.line_no)"
    "    FROM order_line l LEFT JOIN product p ON p.id = l.product_id"
    "   WHERE l.order_id = o.id)::text"
    " FROM \"order\" o JOIN shop s ON s.id = o.shop_id"
    " WHERE ($1::text IS NULL OR s.name = $1)"
    " AND ($2::text IS NULL OR EXISTS (SELECT 1 FROM order_line l JOIN product p"
    "      ON p.id = l.product_id WHERE l.order_id = o.id AND p.code = $2))"
    " AND ($3::text IS NULL OR EXISTS (SELECT 1 FROM order_line l"
    "      WHERE l.order_id = o.id AND l.sku = $3))"
    " AND ($4::text IS NULL OR lower(o.status) = lower($4) OR o.stock_effect = $4)"
    " AND ($5::date IS NULL OR ocop_date_at(o.created_at) >= $5::date)"
    " AND ($6::date IS NULL OR ocop_date_at(o.created_at) <= $6::date)"
    " ORDER BY o.created_at DESC, o.id DESC LIMIT $7::integer";

static int parse(int argc, char **argv, const char *f[NFILTERS], int *json) {
  long long n;
  int i, k;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0) {
      *json = 1;
      continue;
    }
    for (k = 0; k < NFILTERS && strcmp(argv[i], options[k]) != 0; k++)
      ;
    if (k == NFILTERS) {
      fprintf(stderr, "ocopctl: %s: unknown option \"%s\" (see ocopctl %s --help)\n", CMD,
              argv[i], CMD);
      return CTL_USAGE;
    }
    if (i + 1 >= argc) {
      fprintf(stderr, "ocopctl: %s: %s needs a value\n", CMD, argv[i]);
      return CTL_USAGE;
    }
    f[k] = argv[++i];
  }
  if (f[F_SINCE] && !ctl_is_iso_date(f[F_SINCE]))
    return ctl_data_bad(CMD, "--since", f[F_SINCE], "a date YYYY-MM-DD");
  if (f[F_UNTIL] && !ctl_is_iso_date(f[F_UNTIL]))
    return ctl_data_bad(CMD, "--until", f[F_UNTIL], "a date YYYY-MM-DD");
  if (f[F_LIMIT] && !ctl_data_number(f[F_LIMIT], 1, 1000000, &n))
    return ctl_data_bad(CMD, "--limit", f[F_LIMIT], "a number of orders from 1 to 1000000");
  if (f[F_STATUS] && !f[F_STATUS][0])
    return ctl_data_bad(CMD, "--status", f[F_STATUS], "a status");
  return CTL_OK;
}

static void print_json(const PGresult *r) {
  cJSON *arr = cJSON_CreateArray();
  int i;

  for (i = 0; i < PQntuples(r); i++) {
    cJSON *o = cJSON_CreateObject(), *lines = cJSON_Parse(PQgetvalue(r, i, O_LINES));

    cJSON_AddItemToObject(o, "shop", ctl_data_str(r, i, O_SHOP));
    cJSON_AddItemToObject(o, "marketplace", ctl_data_str(r, i, O_MARKET));
    cJSON_AddItemToObject(o, "order_id", ctl_data_str(r, i, O_ID));
    cJSON_AddItemToObject(o, "status", ctl_data_str(r, i, O_STATUS));
    cJSON_AddItemToObject(o, "stock_effect", ctl_data_str(r, i, O_EFFECT));
    cJSON_AddItemToObject(o, "placed_at", ctl_data_str(r, i, O_PLACED));
    cJSON_AddItemToObject(o, "ocop_date", ctl_data_str(r, i, O_DAY));
    cJSON_AddItemToObject(o, "updated_at", ctl_data_str(r, i, O_UPDATED));
    cJSON_AddItemToObject(o, "total_vnd", ctl_data_num(r, i, O_TOTAL));
    cJSON_AddItemToObject(o, "flags", cJSON_Parse(PQgetvalue(r, i, O_FLAGS)));
    cJSON_AddItemToObject(o, "lines", lines ? lines : cJSON_CreateArray());
    cJSON_AddItemToArray(arr, o);
  }
  ctl_data_print_json(arr);
}

/* "SKU x2 @45000, SKU2 x1 @-" */
static void print_lines(const char *json) {
  cJSON *lines = cJSON_Parse(json), *l;
  const char *sep = "";

  cJSON_ArrayForEach(l, lines) {
    const cJSON *price = cJSON_GetObjectItem(l, "unit_price_vnd");

    printf("%s%s x%.0f @", sep, cJSON_GetStringValue(cJSON_GetObjectItem(l, "sku")),
           cJSON_GetNumberValue(cJSON_GetObjectItem(l, "qty")));
    if (cJSON_IsNumber(price))
      printf("%.0f", price->valuedouble);
    else
      printf("-");
    sep = ", ";
  }
  cJSON_Delete(lines);
}

static void print_text(const PGresult *r) {
  int i;

  printf("%-25s %-16s %-20s %-14s %-8s %10s  %s\n", "placed (+07:00)", "shop", "order",
         "status", "stock", "total_vnd", "lines (sku xqty @unit price)");
  for (i = 0; i < PQntuples(r); i++) {
    printf("%-25s %-16s %-20s %-14s %-8s %10s  ", PQgetvalue(r, i, O_PLACED),
           PQgetvalue(r, i, O_SHOP), PQgetvalue(r, i, O_ID), PQgetvalue(r, i, O_STATUS),
           PQgetvalue(r, i, O_EFFECT),
           PQgetisnull(r, i, O_TOTAL) ? "-" : PQgetvalue(r, i, O_TOTAL));
    print_lines(PQgetvalue(r, i, O_LINES));
    printf("\n");
  }
  printf("%d order%s\n", PQntuples(r), PQntuples(r) == 1 ? "" : "s");
}

int cmd_orders(struct ctl *ctl, int argc, char **argv) {
  const char *f[NFILTERS] = {NULL};
  PGconn *conn;
  PGresult *r;
  int json = 0, rc;

  rc = parse(argc, argv, f, &json);
  if (rc != CTL_OK)
    return rc;
  if (!f[F_LIMIT])
    f[F_LIMIT] = "100";
  conn = ctl_connect(ctl, CMD);
  if (!conn)
    return CTL_FAIL;
  if ((f[F_SHOP] && ctl_data_known(conn, CMD, CTL_SHOP, f[F_SHOP]) != 1) ||
      (f[F_PRODUCT] && ctl_data_known(conn, CMD, CTL_PRODUCT, f[F_PRODUCT]) != 1) ||
      (f[F_SKU] && ctl_data_known(conn, CMD, CTL_SKU, f[F_SKU]) != 1))
    return CTL_FAIL;
  r = ctl_data_query(conn, CMD, orders_sql, NFILTERS, f);
  if (!r)
    return CTL_FAIL;
  if (json)
    print_json(r);
  else
    print_text(r);
  PQclear(r);
  return CTL_OK;
}
