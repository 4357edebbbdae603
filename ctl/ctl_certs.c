/*
 * ctl_certs.c — `ocopctl certs`: every product's certificate state on the
 * OCOP date, as product_eligibility computes it, so that what an operator
 * reads is exactly what the daemon mirrors.
 *
 *   ocopctl certs [--state STATE] [--within DAYS] [--json]
 *
 * --within DAYS keeps certificates that may be shown today and whose last
 * valid day is at most DAYS days away (0: expires today). Read-only.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_data.h"
#include "ctl_error.h"

/* The states product_eligibility can yield (sql/logic/eligibility.sql), checked
 * here so that a typo is a usage error rather than an empty list. */
static const char *const cert_states[] = {
    "certified", "renewal_window", "renewal_pending", "expiring_soon", "grace",
    "expired",   "revoked",        "rated_below_3",   "never_eligible", NULL};

static int known_state(const char *s) {
  int i;

  for (i = 0; cert_states[i]; i++)
    if (strcmp(cert_states[i], s) == 0)
      return 1;
  return 0;
}

static int bad_state(const char *s) {
  int i;

  fprintf(stderr, "ocopctl: certs: unknown state \"%s\"; valid states:", s);
  for (i = 0; cert_states[i]; i++)
    fprintf(stderr, " %s", cert_states[i]);
  fprintf(stderr, "\n");
  return CTL_USAGE;
}

/* A day count 0..36600 (a century is more than any certificate lasts). */
static int parse_days(const char *s, long *out) {
  char *end;

  errno = 0;
  *out = strtol(s, &end, 10);
  return !(errno || end == s || *end || *out < 0 || *out > 36600);
}

static void print_json(const PGresult *r) {
  static const char *const keys[] = {"product", "state",     "stars", "decision_no",
                                     "valid_until", "days_left", "name", "producer"};
  cJSON *arr = cJSON_CreateArray();
  int i, k;

  for (i = 0; i < PQntuples(r); i++) {
    cJSON *o = cJSON_CreateObject();

    for (k = 0; k < 8; k++) {
      const char *v = PQgetvalue(r, i, k);

      if (strcmp(v, "-") == 0 && (k == 2 || k == 3 || k == 4 || k == 5))
        cJSON_AddNullToObject(o, keys[k]);
      else if (k == 2 || k == 5)
        cJSON_AddItemToObject(o, keys[k], ctl_data_num(r, i, k));
      else
        cJSON_AddItemToObject(o, keys[k], ctl_data_str(r, i, k));
    }
    cJSON_AddItemToObject(o, "ocop_date", ctl_data_str(r, i, 8));
    cJSON_AddItemToArray(arr, o);
  }
  ctl_data_print_json(arr);
}

int cmd_certs(struct ctl *ctl, int argc, char **argv) {
  const char *params[2] = {NULL, NULL};
  long days;
  PGconn *conn;
  PGresult *r;
  int i, json = 0;

  /* Every option but --json takes a value: step over both. */
  for (i = 1; i < argc; i += 2) {
    if (strcmp(argv[i], "--json") == 0) {
      json = 1;
      i--;
      continue;
    }
    if (i + 1 >= argc)
      return ctl_usage("certs");
    if (strcmp(argv[i], "--state") == 0) {
      if (!known_state(argv[i + 1]))
        return bad_state(argv[i + 1]);
      params[0] = argv[i + 1];
    } else if (strcmp(argv[i], "--within") == 0) {
      if (!parse_days(argv[i + 1], &days)) {
        fprintf(stderr, "ocopctl: certs: --within needs a number of days, not \"%s\"\n", argv[i + 1]);
        return CTL_USAGE;
      }
      params[1] = argv[i + 1];
    } else {
      return ctl_usage("certs");
    }
  }
  conn = ctl_connect(ctl, "certs");
  if (!conn)
    return CTL_FAIL;
  r = PQexecParams(conn,
                   "SELECT p.code, e.state, coalesce(e.stars::text, '-'), coalesce(e.decision_no, '-'), "
                   "coalesce(e.valid_until::text, '-'), coalesce(e.days_left::text, '-'), "
                   "p.name_vi, pr.name, e.today "
                   "FROM product_eligibility e JOIN product p ON p.id = e.product_id "
                   "JOIN producer pr ON pr.id = p.producer_id "
                   "WHERE ($1::text IS NULL OR e.state = $1) "
                   "AND ($2::integer IS NULL OR (e.eligible AND e.days_left BETWEEN 0 AND $2)) "
                   "ORDER BY e.days_left NULLS LAST, p.code",
                   2, NULL, params, NULL, NULL, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    ctl_pg_error("certs", conn, r);
    PQclear(r);
    return CTL_FAIL;
  }
  if (json) {
    print_json(r);
    PQclear(r);
    return CTL_OK;
  }
  /* Fixed-width columns first: names are UTF-8 of any length, so they go
   * last where they cannot push the other columns out of line. */
  printf("%-14s %-15s %5s %-20s %-11s %9s  %s\n", "product", "state", "stars", "decision",
         "valid_until", "days_left", "name / producer");
  for (i = 0; i < PQntuples(r); i++)
    printf("%-14s %-15s %5s %-20s %-11s %9s  %s / %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
           PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5),
           PQgetvalue(r, i, 6), PQgetvalue(r, i, 7));
  if (PQntuples(r) == 0)
    printf("(none)\n");
  PQclear(r);
  return CTL_OK;
}
