/*
 * ctl_stock.c — `ocopctl stock`: what a variant has and what each channel
 * was told, and the two ways an operator moves it.
 *
 *   ocopctl stock show [SKU | --product CODE] [--json]
 *   ocopctl stock set SKU QTY --reason "TEXT"      a stocktake: on hand is QTY
 *   ocopctl stock adjust SKU +N|-N --reason "TEXT" a correction of N
 *
 * show: on hand, reserved (unpaid orders), available, each shop's buffer,
 * what the shop should show and what it was last told, and the variant's
 * last ledger rows with their reasons and notes. set and adjust write one
 * ledger row (reason 'stocktake' or 'correction', the text as its note) by
 * ocop_stock_set / ocop_stock_adjust (sql/logic/ledger_ops.sql), which
 * refuse a result below zero or below reserved; the stock triggers then
 * queue the new count for every listing and wake ocopd.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_data.h"

#define CMD "stock"
#define LEDGER_ROWS "5"

enum { S_SKU, S_PRODUCT, S_LABEL, S_ACTIVE, S_ON_HAND, S_RESERVED, S_AVAILABLE, S_CHANNELS,
       S_LEDGER };

static const char show_sql[] =
    "SELECT v.sku, p.code, v.label, v.active, coalesce(sl.on_hand, 0),"
    " coalesce(sl.reserved, 0), coalesce(sl.on_hand, 0) - coalesce(sl.reserved, 0),"
    " (SELECT coalesce(json_agg(json_build_object('shop', s.name, 'marketplace', s.marketplace,"
    "    'buffer', s.stock_buffer, 'status', s.status, 'listing', l.state,"
    "    'to_show', CASE WHEN l.id IS NOT NULL THEN greatest(0, coalesce(sl.on_hand, 0)"
    "               - coalesce(sl.reserved, 0) - s.stock_buffer) END,"
    "    'last_told', lv.sent_stock) ORDER BY s.name), '[]')"
    "    FROM shop s LEFT JOIN listing l ON l.shop_id = s.id AND l.product_id = p.id"
    "    LEFT JOIN listing_variant lv ON lv.listing_id = l.id AND lv.variant_id = v.id)::text,"
    " (SELECT coalesce(json_agg(x ORDER BY x.id DESC), '[]') FROM ("
    "    SELECT g.id, to_char(g.created_at AT TIME ZONE 'Asia/Ho_Chi_Minh',"
    "           'YYYY-MM-DD\"T\"HH24:MI:SS\"+07:00\"') AS at, g.delta, g.reason, g.ref, g.note"
    "      FROM stock_ledger g WHERE g.variant_id = v.id"
    "     ORDER BY g.id DESC LIMIT " LEDGER_ROWS ") x)::text"
    " FROM variant v JOIN product p ON p.id = v.product_id"
    " LEFT JOIN stock_level sl ON sl.variant_id = v.id"
    " WHERE ($1::text IS NULL OR v.sku = $1) AND ($2::text IS NULL OR p.code = $2)"
    " ORDER BY p.code, v.position, v.sku";

static void show_json(const PGresult *r) {
  cJSON *arr = cJSON_CreateArray();
  int i;

  for (i = 0; i < PQntuples(r); i++) {
    cJSON *o = cJSON_CreateObject(), *ch = cJSON_Parse(PQgetvalue(r, i, S_CHANNELS)),
          *lg = cJSON_Parse(PQgetvalue(r, i, S_LEDGER)), *row;

    cJSON_AddItemToObject(o, "sku", ctl_data_str(r, i, S_SKU));
    cJSON_AddItemToObject(o, "product", ctl_data_str(r, i, S_PRODUCT));
    cJSON_AddItemToObject(o, "label", ctl_data_str(r, i, S_LABEL));
    cJSON_AddBoolToObject(o, "active", PQgetvalue(r, i, S_ACTIVE)[0] == 't');
    cJSON_AddItemToObject(o, "on_hand", ctl_data_num(r, i, S_ON_HAND));
    cJSON_AddItemToObject(o, "reserved", ctl_data_num(r, i, S_RESERVED));
    cJSON_AddItemToObject(o, "available", ctl_data_num(r, i, S_AVAILABLE));
    cJSON_AddItemToObject(o, "channels", ch ? ch : cJSON_CreateArray());
    cJSON_ArrayForEach(row, lg) cJSON_DeleteItemFromObject(row, "id");
    cJSON_AddItemToObject(o, "ledger", lg ? lg : cJSON_CreateArray());
    cJSON_AddItemToArray(arr, o);
  }
  ctl_data_print_json(arr);
}

/* A JSON number (signed when asked) or "-" for null, right-aligned. */
static void print_num(int width, int sign, const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItem(o, key);
  char buf[32] = "-";

  if (cJSON_IsNumber(v))
    snprintf(buf, sizeof buf, sign ? "%+.0f" : "%.0f", v->valuedouble);
  printf(" %*s", width, buf);
}

static const char *str_or(const cJSON *o, const char *key, const char *dflt) {
  const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(o, key));

  return s ? s : dflt;
}

static void show_one(const PGresult *r, int i) {
  cJSON *ch = cJSON_Parse(PQgetvalue(r, i, S_CHANNELS)),
        *lg = cJSON_Parse(PQgetvalue(r, i, S_LEDGER)), *x;

  printf("%s (%s%s%s)%s: on hand %s, reserved %s, available %s\n", PQgetvalue(r, i, S_SKU),
         PQgetvalue(r, i, S_PRODUCT), PQgetvalue(r, i, S_LABEL)[0] ? " " : "",
         PQgetvalue(r, i, S_LABEL), PQgetvalue(r, i, S_ACTIVE)[0] == 't' ? "" : " withdrawn",
         PQgetvalue(r, i, S_ON_HAND), PQgetvalue(r, i, S_RESERVED),
         PQgetvalue(r, i, S_AVAILABLE));
  printf("  %-16s %-9s %6s %-9s %7s %9s\n", "shop", "market", "buffer", "listing", "to_show",
         "last_told");
  cJSON_ArrayForEach(x, ch) {
    printf("  %-16s %-9s", str_or(x, "shop", "-"), str_or(x, "marketplace", "-"));
    print_num(6, 0, x, "buffer");
    printf(" %-9s", str_or(x, "listing", "-"));
    print_num(7, 0, x, "to_show");
    print_num(9, 0, x, "last_told");
    printf("\n");
  }
  if (cJSON_GetArraySize(lg) > 0)
    printf("  last ledger rows:\n");
  cJSON_ArrayForEach(x, lg) {
    printf("    %s", str_or(x, "at", "-"));
    print_num(7, 1, x, "delta");
    printf(" %-10s %s%s%s\n", str_or(x, "reason", "-"), str_or(x, "ref", ""),
           cJSON_GetStringValue(cJSON_GetObjectItem(x, "ref")) ? " " : "", str_or(x, "note", ""));
  }
  cJSON_Delete(ch);
  cJSON_Delete(lg);
}

static int stock_show(struct ctl *ctl, int argc, char **argv) {
  const char *params[2] = {NULL, NULL};
  int i, json = 0;
  PGconn *conn;
  PGresult *r;

  for (i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0)
      json = 1;
    else if (strcmp(argv[i], "--product") == 0 && i + 1 < argc && !params[0] && !params[1])
      params[1] = argv[++i];
    else if (argv[i][0] != '-' && !params[0] && !params[1])
      params[0] = argv[i];
    else
      return ctl_usage(CMD);
  }
  conn = ctl_connect(ctl, CMD);
  if (!conn)
    return CTL_FAIL;
  if ((params[0] && ctl_data_known(conn, CMD, CTL_SKU, params[0]) != 1) ||
      (params[1] && ctl_data_known(conn, CMD, CTL_PRODUCT, params[1]) != 1))
    return CTL_FAIL;
  r = ctl_data_query(conn, CMD, show_sql, 2, params);
  if (!r)
    return CTL_FAIL;
  if (json)
    show_json(r);
  for (i = 0; !json && i < PQntuples(r); i++)
    show_one(r, i);
  if (!json && PQntuples(r) == 0)
    printf("(no variants)\n");
  PQclear(r);
  return CTL_OK;
}

/* `stock set|adjust SKU N --reason TEXT`, --reason anywhere after the
 * verb. A number may start with '-' (adjust -5): only "--" starts an
 * option. */
static int stock_move(struct ctl *ctl, int argc, char **argv) {
  int adjust = strcmp(argv[1], "adjust") == 0, i;
  const char *pos[2] = {NULL, NULL}, *reason = NULL, *params[3];
  long long n;
  PGconn *conn;
  PGresult *r;

  for (i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--reason") == 0 && i + 1 < argc && !reason)
      reason = argv[++i];
    else if (strncmp(argv[i], "--", 2) == 0 || pos[1])
      return ctl_usage(CMD);
    else
      pos[pos[0] != NULL] = argv[i];
  }
  if (!pos[0] || !pos[1] || !reason) {
    if (pos[0] && pos[1] && !reason)
      fprintf(stderr, "ocopctl: %s %s: --reason \"TEXT\" is required: say why\n", CMD, argv[1]);
    return pos[0] && pos[1] ? CTL_USAGE : ctl_usage(CMD);
  }
  if (adjust && !ctl_data_number(pos[1], -1000000000000LL, 1000000000000LL, &n))
    return ctl_data_bad(CMD, "adjust", pos[1], "a whole number like +5 or -3");
  if (adjust && n == 0)
    return ctl_data_bad(CMD, "adjust", pos[1], "a change: give +N or -N");
  if (!adjust && !ctl_data_number(pos[1], 0, 1000000000000LL, &n))
    return ctl_data_bad(CMD, "set", pos[1], "a count (a whole number from 0)");
  conn = ctl_connect(ctl, CMD);
  if (!conn)
    return CTL_FAIL;
  params[0] = pos[0];
  params[1] = pos[1][0] == '+' ? pos[1] + 1 : pos[1];
  params[2] = reason;
  if (ctl_data_known(conn, CMD, CTL_SKU, pos[0]) != 1)
    return CTL_FAIL;
  r = ctl_data_query(conn, CMD,
                     adjust ? "SELECT * FROM ocop_stock_adjust($1, $2::bigint, $3)"
                            : "SELECT * FROM ocop_stock_set($1, $2::bigint, $3)",
                     3, params);
  if (!r)
    return CTL_FAIL;
  if (strcmp(PQgetvalue(r, 0, 2), "0") == 0)
    printf("%s: on hand is already %s; nothing written\n", pos[0], PQgetvalue(r, 0, 0));
  else
    printf("%s: on hand %s (%s%s, %s), reserved %s; every channel will be told\n", pos[0],
           PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 2)[0] == '-' ? "" : "+", PQgetvalue(r, 0, 2),
           adjust ? "correction" : "stocktake", PQgetvalue(r, 0, 1));
  PQclear(r);
  return CTL_OK;
}

int cmd_stock(struct ctl *ctl, int argc, char **argv) {
  if (argc >= 2 && strcmp(argv[1], "show") == 0)
    return stock_show(ctl, argc, argv);
  if (argc >= 2 && (strcmp(argv[1], "set") == 0 || strcmp(argv[1], "adjust") == 0))
    return stock_move(ctl, argc, argv);
  if (argc >= 2)
    fprintf(stderr, "ocopctl: %s: unknown subcommand \"%s\" (show, set or adjust)\n", CMD,
            argv[1]);
  return argc >= 2 ? CTL_USAGE : ctl_usage(CMD);
}
