/*
 * ctl_jobs.c — `ocopctl jobs`: the outbox jobs that need the operator, each
 * with its whole reason (the job's last error), shop, kind, product,
 * attempts, next try and age. Read-only; the view is operator_job
 * (sql/logic/operate.sql).
 *
 *   --state dead      gave up; `ocopctl retry` puts them back
 *   --state failing   pending or running after a failed attempt
 *   --state held      waiting for what the listing lacks (ocopctl listings --problems)
 *   --state pending   queued, never tried
 *   --state running   on its first attempt now
 *   --state all       all of these
 * Default: dead and failing. --limit defaults to 100.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_assortment.h"
#include "ctl_error.h"
#include "ctl_operate.h"

#define CMD "jobs"

static const char *const states[] = {"dead", "failing", "held", "pending", "running", "all", NULL};
static const char *const kinds[] = {"publish", "update", "stock",    "price",
                                    "delist",  "relist", "variants", NULL};

struct jobs_args {
  const char *shop, *state, *kind, *product, *limit;
  int json;
};

enum { J_ID, J_SHOP, J_MARKET, J_KIND, J_PRODUCT, J_ITEM, J_CLASS, J_ATTEMPTS, J_NEXT, J_NEXT_S,
       J_CREATED, J_AGE_S, J_ERROR };

static const char jobs_sql[] =
    "SELECT job_id, shop, marketplace, kind, product, item_id, class, attempts,"
    " to_char(next_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    " extract(epoch FROM next_at - now())::bigint,"
    " to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    " extract(epoch FROM age)::bigint, last_error"
    " FROM operator_job"
    " WHERE ($1::text IS NULL OR shop = $1)"
    "   AND (CASE $2::text WHEN 'all' THEN true WHEN 'default' THEN class IN ('dead', 'failing')"
    "        ELSE class = $2 END)"
    "   AND ($3::text IS NULL OR kind = $3) AND ($4::text IS NULL OR product = $4)"
    " ORDER BY array_position(ARRAY['dead', 'failing', 'held', 'pending', 'running'], class),"
    " shop, job_id"
    " LIMIT $5::integer";

static int one_of(const char *v, const char *const *set) {
  for (; *set; set++)
    if (strcmp(v, *set) == 0)
      return 1;
  return 0;
}

static int bad(const char *opt, const char *v, const char *want) {
  fprintf(stderr, "ocopctl: %s: %s \"%s\": %s\n", CMD, opt, v, want);
  return CTL_USAGE;
}

static int parse(struct jobs_args *a, int argc, char **argv) {
  int i;

  for (i = 1; i < argc; i++) {
    const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

    if (strcmp(opt, "--json") == 0) {
      a->json = 1;
      continue;
    }
    if (strcmp(opt, "--shop") && strcmp(opt, "--state") && strcmp(opt, "--kind") &&
        strcmp(opt, "--product") && strcmp(opt, "--limit")) {
      fprintf(stderr, "ocopctl: %s: unknown argument %s\n", CMD, opt);
      return ctl_usage(CMD);
    }
    if (!val) {
      fprintf(stderr, "ocopctl: %s: %s needs a value\n", CMD, opt);
      return CTL_USAGE;
    }
    i++;
    if (strcmp(opt, "--shop") == 0) a->shop = val;
    else if (strcmp(opt, "--state") == 0) a->state = val;
    else if (strcmp(opt, "--kind") == 0) a->kind = val;
    else if (strcmp(opt, "--product") == 0) a->product = val;
    else a->limit = val;
  }
  if (strcmp(a->state, "default") != 0 && !one_of(a->state, states))
    return bad("--state", a->state, "one of dead, failing, held, pending, running, all");
  if (a->kind && !one_of(a->kind, kinds))
    return bad("--kind", a->kind, "one of publish, update, stock, price, delist, relist, variants");
  if (strspn(a->limit, "0123456789") != strlen(a->limit) || strlen(a->limit) > 6 ||
      atoi(a->limit) < 1)
    return bad("--limit", a->limit, "a number from 1 to 999999");
  return CTL_OK;
}

void ctl_duration(char *buf, size_t len, long long s) {
  if (s < 0)
    s = 0;
  if (s >= 86400)
    snprintf(buf, len, "%lldd %lldh", s / 86400, s % 86400 / 3600);
  else if (s >= 3600)
    snprintf(buf, len, "%lldh %lldm", s / 3600, s % 3600 / 60);
  else if (s >= 60)
    snprintf(buf, len, "%lldm", s / 60);
  else
    snprintf(buf, len, "%llds", s);
}

static void add_text_or_null(cJSON *o, const char *key, PGresult *r, int i, int col) {
  if (PQgetisnull(r, i, col))
    cJSON_AddNullToObject(o, key);
  else
    cJSON_AddStringToObject(o, key, PQgetvalue(r, i, col));
}

static void print_json(PGresult *r) {
  cJSON *arr = cJSON_CreateArray();
  char *text;
  int i;

  for (i = 0; i < PQntuples(r); i++) {
    cJSON *o = cJSON_CreateObject();
    int waiting = strcmp(PQgetvalue(r, i, J_CLASS), "dead") != 0 &&
                  strcmp(PQgetvalue(r, i, J_CLASS), "held") != 0;

    cJSON_AddNumberToObject(o, "job", atof(PQgetvalue(r, i, J_ID)));
    cJSON_AddStringToObject(o, "state", PQgetvalue(r, i, J_CLASS));
    cJSON_AddStringToObject(o, "shop", PQgetvalue(r, i, J_SHOP));
    cJSON_AddStringToObject(o, "marketplace", PQgetvalue(r, i, J_MARKET));
    cJSON_AddStringToObject(o, "kind", PQgetvalue(r, i, J_KIND));
    cJSON_AddStringToObject(o, "product", PQgetvalue(r, i, J_PRODUCT));
    add_text_or_null(o, "item_id", r, i, J_ITEM);
    cJSON_AddNumberToObject(o, "attempts", atof(PQgetvalue(r, i, J_ATTEMPTS)));
    if (waiting)
      cJSON_AddStringToObject(o, "next_at", PQgetvalue(r, i, J_NEXT));
    else
      cJSON_AddNullToObject(o, "next_at");
    cJSON_AddStringToObject(o, "created_at", PQgetvalue(r, i, J_CREATED));
    cJSON_AddNumberToObject(o, "age_s", atof(PQgetvalue(r, i, J_AGE_S)));
    add_text_or_null(o, "reason", r, i, J_ERROR);
    cJSON_AddItemToArray(arr, o);
  }
  text = cJSON_Print(arr);
  printf("%s\n", text);
  free(text);
  cJSON_Delete(arr);
}

static void print_text(PGresult *r) {
  char next[32], age[32];
  int i;

  if (PQntuples(r) > 0)
    printf("%-8s %-8s %-16s %-8s %-14s %8s %-10s %s\n", "job", "state", "shop", "kind", "product",
           "attempts", "next try", "age");
  for (i = 0; i < PQntuples(r); i++) {
    const char *cls = PQgetvalue(r, i, J_CLASS);

    if (strcmp(cls, "dead") == 0 || strcmp(cls, "held") == 0)
      snprintf(next, sizeof next, "-");
    else if (atoll(PQgetvalue(r, i, J_NEXT_S)) <= 0)
      snprintf(next, sizeof next, "now");
    else {
      snprintf(next, sizeof next, "in ");
      ctl_duration(next + 3, sizeof next - 3, atoll(PQgetvalue(r, i, J_NEXT_S)));
    }
    ctl_duration(age, sizeof age, atoll(PQgetvalue(r, i, J_AGE_S)));
    printf("%-8s %-8s %-16s %-8s %-14s %8s %-10s %s\n", PQgetvalue(r, i, J_ID), cls,
           PQgetvalue(r, i, J_SHOP), PQgetvalue(r, i, J_KIND), PQgetvalue(r, i, J_PRODUCT),
           PQgetvalue(r, i, J_ATTEMPTS), next, age);
    printf("         reason: %s\n",
           PQgetisnull(r, i, J_ERROR) ? "(none recorded)" : PQgetvalue(r, i, J_ERROR));
  }
  printf("%d job%s\n", PQntuples(r), PQntuples(r) == 1 ? "" : "s");
}

/* An unknown product code is the operator's typo, not an empty list. */
static int product_known(PGconn *conn, const char *code) {
  const char *params[1] = {code};
  PGresult *r = ctl_exec(conn, CMD, "cannot read the catalogue",
                         "SELECT 1 FROM product WHERE code = $1", 1, params);
  int n;

  if (!r)
    return -1;
  n = PQntuples(r);
  PQclear(r);
  if (n == 0)
    fprintf(stderr, "ocopctl: %s: --product \"%s\": no product has that code\n", CMD, code);
  return n;
}

int cmd_jobs(struct ctl *ctl, int argc, char **argv) {
  struct jobs_args a = {NULL, "default", NULL, NULL, "100", 0};
  const char *params[5];
  char id[24];
  PGconn *conn;
  PGresult *r;
  int rc = parse(&a, argc, argv);

  if (rc != CTL_OK)
    return rc;
  conn = ctl_connect(ctl, CMD);
  if (!conn)
    return CTL_FAIL;
  if (a.shop && ctl_find_shop(conn, CMD, a.shop, id, sizeof id) != 1)
    return CTL_FAIL;
  if (a.product && product_known(conn, a.product) != 1)
    return CTL_FAIL;
  params[0] = a.shop;
  params[1] = a.state;
  params[2] = a.kind;
  params[3] = a.product;
  params[4] = a.limit;
  r = ctl_exec(conn, CMD, "cannot read the jobs", jobs_sql, 5, params);
  if (!r)
    return CTL_FAIL;
  if (a.json)
    print_json(r);
  else
    print_text(r);
  PQclear(r);
  return CTL_OK;
}
