/*
 * ctl_listings.c — `ocopctl listings --shop S [--state S] [--json]`: what a shop
 * carries and why; `ocopctl listings --problems [--shop S] [--json]`: the
 * listings held back, each with its reason (listing.problem: what the
 * category requires and the product lacks, or a withdrawal of claims that
 * could not be sent) and since when.
 *
 * One line per product in the shop's assortment (the view shop_assortment,
 * sql/logic/assortment.sql): its code, its certificate state on the OCOP
 * date, its listing on the shop (state and marketplace item id; "-" when
 * there is none yet, e.g. a product that may not be shown today), its
 * active variants, why the shop carries it, and its name. Products the shop
 * does not carry are only counted, with those still on the marketplace
 * (being withdrawn) and those already withdrawn. Read-only.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_assortment.h"
#include "ctl_error.h"

#define CMD "listings"

/* sql takes the shop's id and, when n is 2, the --state filter. */
static PGresult *query(PGconn *conn, const char *sql, int n, const char *shop_id,
                       const char *state) {
  const char *params[2] = {shop_id, state};
  PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);

  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    ctl_pg_error(CMD, conn, r);
    PQclear(r);
    return NULL;
  }
  return r;
}

enum { C_CODE, C_CERT, C_ELIGIBLE, C_STATE, C_ITEM, C_VARIANTS, C_WHY, C_NAME };

static const char carried_sql[] =
    "SELECT p.code, e.state, e.eligible, coalesce(l.state, '-'), coalesce(l.item_id, '-'), "
    "(SELECT count(*) FROM variant v WHERE v.product_id = p.id AND v.active), a.why, p.name_vi "
    "FROM shop_assortment a JOIN product p ON p.id = a.product_id "
    "JOIN product_eligibility e ON e.product_id = p.id "
    "LEFT JOIN listing l ON l.shop_id = a.shop_id AND l.product_id = p.id "
    "WHERE a.shop_id = $1::bigint AND ($2::text IS NULL OR coalesce(l.state, 'none') = $2) "
    "ORDER BY p.code";

/* Not carried: how many, how many still shown on the marketplace (their
 * withdrawal is due), how many withdrawn. */
static const char others_sql[] =
    "SELECT count(*), count(l.id) FILTER (WHERE l.state = 'listed'), "
    "count(l.id) FILTER (WHERE l.state = 'delisted') FROM product p "
    "LEFT JOIN listing l ON l.shop_id = $1::bigint AND l.product_id = p.id "
    "WHERE NOT EXISTS (SELECT 1 FROM shop_assortment a WHERE a.shop_id = $1::bigint "
    "AND a.product_id = p.id)";

static int print_json(PGresult *s, PGresult *c, PGresult *o) {
  cJSON *root = cJSON_CreateObject(), *arr, *row;
  char *text;
  int i;

  cJSON_AddStringToObject(root, "shop", PQgetvalue(s, 0, 1));
  cJSON_AddStringToObject(root, "marketplace", PQgetvalue(s, 0, 2));
  if (PQgetisnull(s, 0, 3))
    cJSON_AddStringToObject(root, "owner", "operator");
  else
    cJSON_AddStringToObject(root, "owner", PQgetvalue(s, 0, 3));
  arr = cJSON_AddArrayToObject(root, "carried");
  for (i = 0; i < PQntuples(c); i++) {
    row = cJSON_CreateObject();
    cJSON_AddStringToObject(row, "code", PQgetvalue(c, i, C_CODE));
    cJSON_AddStringToObject(row, "name", PQgetvalue(c, i, C_NAME));
    cJSON_AddStringToObject(row, "certificate", PQgetvalue(c, i, C_CERT));
    cJSON_AddBoolToObject(row, "eligible", PQgetvalue(c, i, C_ELIGIBLE)[0] == 't');
    if (PQgetisnull(c, i, C_STATE) || strcmp(PQgetvalue(c, i, C_STATE), "-") == 0)
      cJSON_AddNullToObject(row, "listing");
    else
      cJSON_AddStringToObject(row, "listing", PQgetvalue(c, i, C_STATE));
    if (strcmp(PQgetvalue(c, i, C_ITEM), "-") == 0)
      cJSON_AddNullToObject(row, "item_id");
    else
      cJSON_AddStringToObject(row, "item_id", PQgetvalue(c, i, C_ITEM));
    cJSON_AddNumberToObject(row, "variants", atof(PQgetvalue(c, i, C_VARIANTS)));
    cJSON_AddStringToObject(row, "why", PQgetvalue(c, i, C_WHY));
    cJSON_AddItemToArray(arr, row);
  }
  row = cJSON_AddObjectToObject(root, "not_carried");
  cJSON_AddNumberToObject(row, "products", atof(PQgetvalue(o, 0, 0)));
  cJSON_AddNumberToObject(row, "still_listed", atof(PQgetvalue(o, 0, 1)));
  cJSON_AddNumberToObject(row, "withdrawn", atof(PQgetvalue(o, 0, 2)));
  text = cJSON_Print(root);
  printf("%s\n", text);
  free(text);
  cJSON_Delete(root);
  return CTL_OK;
}

static void print_text(PGresult *s, PGresult *c, PGresult *o) {
  char name[160];
  long listed = 0, none = 0;
  int i;

  printf("shop %s (%s), owner: %s%s\n", PQgetvalue(s, 0, 1), PQgetvalue(s, 0, 2),
         PQgetisnull(s, 0, 3) ? "the operator" : "producer ",
         PQgetisnull(s, 0, 3) ? "" : PQgetvalue(s, 0, 3));
  printf("carries %d product%s on the OCOP date %s\n", PQntuples(c), PQntuples(c) == 1 ? "" : "s",
         PQgetvalue(s, 0, 4));
  if (PQntuples(c) > 0) {
    /* The reason last and whole: it names producers, whose names are long. */
    printf("\n%-14s %-15s %-9s %-16s %8s  %-32s  %s\n", "product", "certificate", "listing",
           "item id", "variants", "name", "why carried");
    for (i = 0; i < PQntuples(c); i++) {
      ctl_fit(name, sizeof name, PQgetvalue(c, i, C_NAME), 32);
      printf("%-14s %-15s %-9s %-16.16s %8s  %s  %s\n", PQgetvalue(c, i, C_CODE),
             PQgetvalue(c, i, C_CERT), PQgetvalue(c, i, C_STATE), PQgetvalue(c, i, C_ITEM),
             PQgetvalue(c, i, C_VARIANTS), name, PQgetvalue(c, i, C_WHY));
      if (strcmp(PQgetvalue(c, i, C_STATE), "listed") == 0)
        listed++;
      if (strcmp(PQgetvalue(c, i, C_STATE), "-") == 0)
        none++;
    }
    printf("\n%ld listed on the marketplace now", listed);
    if (none > 0)
      printf("; %ld with listing \"-\": may not be shown as OCOP today (see ocopctl certs)", none);
    printf("\n");
  }
  printf("not carried: %s catalogue product%s (not listed here)", PQgetvalue(o, 0, 0),
         strcmp(PQgetvalue(o, 0, 0), "1") == 0 ? "" : "s");
  if (strcmp(PQgetvalue(o, 0, 1), "0") != 0 || strcmp(PQgetvalue(o, 0, 2), "0") != 0)
    printf("; of those, %s still on the marketplace (being withdrawn), %s withdrawn",
           PQgetvalue(o, 0, 1), PQgetvalue(o, 0, 2));
  printf("\n");
}

/* ---- --problems ------------------------------------------------------------ */

enum { H_SHOP, H_CODE, H_STATE, H_KIND, H_AT, H_PROBLEM, H_NAME };

static const char held_sql[] =
    "SELECT s.name, p.code, l.state, l.problem_kind,"
    " to_char(l.problem_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), l.problem,"
    " p.name_vi FROM listing l JOIN shop s ON s.id = l.shop_id"
    " JOIN product p ON p.id = l.product_id"
    " WHERE l.problem IS NOT NULL AND ($1::text IS NULL OR s.name = $1)"
    "   AND ($2::text IS NULL OR l.state = $2)"
    " ORDER BY s.name, p.code";

static void held_json(PGresult *r) {
  cJSON *arr = cJSON_CreateArray();
  char *text;
  int i;

  for (i = 0; i < PQntuples(r); i++) {
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "shop", PQgetvalue(r, i, H_SHOP));
    cJSON_AddStringToObject(o, "product", PQgetvalue(r, i, H_CODE));
    cJSON_AddStringToObject(o, "name", PQgetvalue(r, i, H_NAME));
    cJSON_AddStringToObject(o, "listing", PQgetvalue(r, i, H_STATE));
    cJSON_AddStringToObject(o, "kind", PQgetvalue(r, i, H_KIND));
    cJSON_AddStringToObject(o, "problem", PQgetvalue(r, i, H_PROBLEM));
    if (PQgetisnull(r, i, H_AT))
      cJSON_AddNullToObject(o, "problem_at");
    else
      cJSON_AddStringToObject(o, "problem_at", PQgetvalue(r, i, H_AT));
    cJSON_AddItemToArray(arr, o);
  }
  text = cJSON_Print(arr);
  printf("%s\n", text);
  free(text);
  cJSON_Delete(arr);
}

static void held_text(PGresult *r) {
  int i;

  for (i = 0; i < PQntuples(r); i++)
    printf("%s %s (%s, held for %s since %s)\n    %s\n", PQgetvalue(r, i, H_SHOP),
           PQgetvalue(r, i, H_CODE), PQgetvalue(r, i, H_STATE), PQgetvalue(r, i, H_KIND),
           PQgetvalue(r, i, H_AT), PQgetvalue(r, i, H_PROBLEM));
  printf("%d listing%s held\n", PQntuples(r), PQntuples(r) == 1 ? "" : "s");
}

static int listings_problems(PGconn *conn, const char *shop, const char *state, int json) {
  const char *params[2] = {shop, state};
  char id[24];
  PGresult *r;

  if (shop && ctl_find_shop(conn, CMD, shop, id, sizeof id) != 1)
    return CTL_FAIL;
  r = PQexecParams(conn, held_sql, 2, NULL, params, NULL, NULL, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    ctl_pg_error(CMD, conn, r);
    PQclear(r);
    return CTL_FAIL;
  }
  if (json)
    held_json(r);
  else
    held_text(r);
  PQclear(r);
  return CTL_OK;
}

/* --state: a listing's state, or "none" for a carried product without a
 * listing (one that may not be shown today). */
static int state_ok(const char *state) {
  static const char *const states[] = {"new", "listed", "delisted", "none", NULL};
  const char *const *s;

  for (s = states; *s; s++)
    if (strcmp(*s, state) == 0)
      return 1;
  fprintf(stderr, "ocopctl: %s: --state \"%s\": one of new, listed, delisted, none\n", CMD, state);
  return 0;
}

int cmd_listings(struct ctl *ctl, int argc, char **argv) {
  const char *shop = NULL, *state = NULL, *params[1];
  PGresult *s = NULL, *c = NULL, *o = NULL;
  PGconn *conn;
  int i, json = 0, problems = 0, rc = CTL_FAIL;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--shop") == 0 && i + 1 < argc && !shop)
      shop = argv[++i];
    else if (strcmp(argv[i], "--state") == 0 && i + 1 < argc && !state)
      state = argv[++i];
    else if (strcmp(argv[i], "--json") == 0)
      json = 1;
    else if (strcmp(argv[i], "--problems") == 0 || strcmp(argv[i], "--problem") == 0)
      problems = 1;
    else {
      fprintf(stderr, "ocopctl: %s: unexpected argument %s\n", CMD, argv[i]);
      return ctl_usage(CMD);
    }
  }
  if (state && !state_ok(state))
    return CTL_USAGE;
  if (!shop && !problems)
    return ctl_usage(CMD);
  conn = ctl_connect(ctl, CMD);
  if (!conn)
    return CTL_FAIL;
  if (problems)
    return listings_problems(conn, shop, state, json);
  /* One snapshot for the three queries. */
  PQclear(PQexec(conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"));
  params[0] = shop;
  s = PQexecParams(conn,
                   "SELECT s.id, s.name, s.marketplace, p.name, ocop_today() FROM shop s "
                   "LEFT JOIN producer p ON p.id = s.owner_producer_id WHERE s.name = $1",
                   1, NULL, params, NULL, NULL, 0);
  if (PQresultStatus(s) != PGRES_TUPLES_OK) {
    ctl_pg_error(CMD, conn, s);
    goto out;
  }
  if (PQntuples(s) != 1) {
    fprintf(stderr, "ocopctl: %s: --shop \"%s\": no shop has that name (see ocopctl shop list)\n",
            CMD, shop);
    goto out;
  }
  c = query(conn, carried_sql, 2, PQgetvalue(s, 0, 0), state);
  o = c ? query(conn, others_sql, 1, PQgetvalue(s, 0, 0), NULL) : NULL;
  if (!o)
    goto out;
  if (json)
    print_json(s, c, o);
  else
    print_text(s, c, o);
  rc = CTL_OK;
out:
  PQclear(PQexec(conn, "COMMIT"));
  PQclear(s);
  PQclear(c);
  PQclear(o);
  return rc;
}
