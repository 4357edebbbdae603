/*
 * ctl_alerts.c — `ocopctl alerts`: the expiry warnings that have fired
 * (events of kind expiry_warning, written once per certificate and tier by
 * ocop_expiry_warnings in sql/logic/lifecycle.sql), oldest first.
 *
 *   ocopctl alerts [--since DATE] [--json]
 *
 * Each warning is shown with the OCOP date it fired on (its valid_until less
 * the days left then), which is the date the rules ran on even when a test
 * or the demo pinned it (ocopctl clock); --since DATE compares with it.
 * "days left" and the advice are as they were when the warning fired.
 * Read-only.
 */
#include <stdio.h>
#include <string.h>

#include "ctl_data.h"
#include "ctl_error.h"

/* Columns as the query below gives them; "-" (nothing recorded) is null. */
static void print_json(const PGresult *r) {
  static const char *const keys[] = {"ocop_date", "product",   "producer", "decision_no",
                                     "tier",      "days_left", "advice"};
  cJSON *arr = cJSON_CreateArray();
  int i, k;

  for (i = 0; i < PQntuples(r); i++) {
    cJSON *o = cJSON_CreateObject();

    for (k = 0; k < 7; k++) {
      if (strcmp(PQgetvalue(r, i, k), "-") == 0)
        cJSON_AddNullToObject(o, keys[k]);
      else if (k == 4 || k == 5)
        cJSON_AddItemToObject(o, keys[k], ctl_data_num(r, i, k));
      else
        cJSON_AddItemToObject(o, keys[k], ctl_data_str(r, i, k));
    }
    cJSON_AddItemToArray(arr, o);
  }
  ctl_data_print_json(arr);
}

int cmd_alerts(struct ctl *ctl, int argc, char **argv) {
  const char *params[1] = {NULL};
  PGconn *conn;
  PGresult *r;
  int i, json = 0;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0)
      json = 1;
    else if (strcmp(argv[i], "--since") == 0 && i + 1 < argc && !params[0])
      params[0] = argv[++i];
    else
      return ctl_usage("alerts");
  }
  if (params[0] && !ctl_is_iso_date(params[0]))
    return ctl_data_bad("alerts", "--since", params[0], "a date YYYY-MM-DD");
  conn = ctl_connect(ctl, "alerts");
  if (!conn)
    return CTL_FAIL;
  r = PQexecParams(conn,
                   "WITH w AS (SELECT ev.*, (ev.detail ->> 'valid_until')::date "
                   "- (ev.detail ->> 'days_left')::integer AS fired_on FROM event ev "
                   "WHERE ev.kind = 'expiry_warning') "
                   "SELECT ev.fired_on::text, "
                   "coalesce(p.code, '-'), coalesce(pr.name, '-'), "
                   "coalesce(ev.detail ->> 'decision_no', c.decision_no, '-'), "
                   "coalesce(ev.detail ->> 'tier', '-'), coalesce(ev.detail ->> 'days_left', '-'), "
                   "coalesce(ev.detail ->> 'advice', '') "
                   "FROM w ev LEFT JOIN product p ON p.id = ev.product_id "
                   "LEFT JOIN producer pr ON pr.id = p.producer_id "
                   "LEFT JOIN certificate c ON c.id = ev.certificate_id "
                   "WHERE ($1::date IS NULL OR ev.fired_on >= $1::date) "
                   "ORDER BY ev.at, ev.id",
                   1, NULL, params, NULL, NULL, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    ctl_pg_error("alerts", conn, r);
    PQclear(r);
    return CTL_FAIL;
  }
  if (json) {
    print_json(r);
    PQclear(r);
    return CTL_OK;
  }
  printf("%-10s %-14s %-20s %4s %9s  %s\n", "OCOP date", "product", "certificate", "tier",
         "days_left", "producer: advice");
  for (i = 0; i < PQntuples(r); i++)
    printf("%-10s %-14s %-20s %4s %9s  %s: %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
           PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5), PQgetvalue(r, i, 2),
           PQgetvalue(r, i, 6));
  if (PQntuples(r) == 0)
    printf("(none)\n");
  PQclear(r);
  return CTL_OK;
}
