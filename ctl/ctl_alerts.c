/*
 * ctl_alerts.c — `ocopctl alerts`: the expiry warnings that have fired
 * (events of kind expiry_warning, written once per certificate and tier by
 * ocop_expiry_warnings in sql/logic/lifecycle.sql), oldest first.
 *
 *   ocopctl alerts [--since DATE]
 *
 * Each warning is shown with the OCOP date it fired on (its valid_until less
 * the days left then), which is the date the rules ran on even when a test
 * or the demo pinned it (ocopctl clock); --since DATE compares with it.
 * "days left" and the advice are as they were when the warning fired.
 * Read-only.
 */
#include <stdio.h>
#include <string.h>

#include "ocopctl.h"

int cmd_alerts(struct ctl *ctl, int argc, char **argv) {
  const char *params[1] = {NULL};
  PGconn *conn;
  PGresult *r;
  int i;

  if (argc == 3 && strcmp(argv[1], "--since") == 0)
    params[0] = argv[2];
  else if (argc != 1)
    return ctl_usage("alerts");
  conn = ctl_connect(ctl, "alerts");
  if (!conn)
    return CTL_FAIL;
  /* A malformed DATE is refused by the server's date parser (exit 1). */
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
    fprintf(stderr, "ocopctl: alerts: %s", PQresultErrorMessage(r));
    PQclear(r);
    return CTL_FAIL;
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
