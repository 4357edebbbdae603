/*
 * ctl_status.c — `ocopctl status`: what an operator checks first.
 *
 * Listings per shop and state, the outbox queue, jobs that failed for good
 * (with the marketplace's reason), how many listings are held for their
 * content, and certificates by state on the OCOP date. Read-only, and it never prints a token or a secret.
 */
#include <stdio.h>
#include <string.h>

#include "ctl_error.h"
#include "ocopctl.h"

static int print_query(PGconn *conn, const char *title, const char *sql) {
  PGresult *r = PQexec(conn, sql);
  int i, j, n, cols;

  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    ctl_pg_error("status", conn, r);
    PQclear(r);
    return -1;
  }
  n = PQntuples(r);
  cols = PQnfields(r);
  printf("%s\n", title);
  for (j = 0; j < cols; j++)
    printf("  %-18s", PQfname(r, j));
  printf("\n");
  for (i = 0; i < n; i++) {
    for (j = 0; j < cols; j++)
      printf("  %-18.60s", PQgetvalue(r, i, j));
    printf("\n");
  }
  if (n == 0)
    printf("  (none)\n");
  printf("\n");
  PQclear(r);
  return 0;
}

/* One line: how many listings are held back, and where to see why. */
static int print_held(PGconn *conn) {
  PGresult *r = PQexec(conn, "SELECT count(*) FROM listing WHERE problem IS NOT NULL");

  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    ctl_pg_error("status", conn, r);
    PQclear(r);
    return -1;
  }
  printf("Held listings: %s%s\n\n", PQgetvalue(r, 0, 0),
         strcmp(PQgetvalue(r, 0, 0), "0") == 0 ? ""
                                               : " (why: ocopctl listings --problems)");
  PQclear(r);
  return 0;
}

int cmd_status(struct ctl *ctl, int argc, char **argv) {
  PGconn *conn;
  int bad = 0;

  if (argc != 1)
    return ctl_usage("status");
  conn = ctl_connect(ctl, "status");
  if (!conn)
    return CTL_FAIL;
  bad |= print_query(conn, "Listings",
                     "SELECT s.name AS shop, s.marketplace, s.status, "
                     "count(*) FILTER (WHERE l.state = 'listed') AS listed, "
                     "count(*) FILTER (WHERE l.state = 'delisted') AS delisted, "
                     "count(*) FILTER (WHERE l.state = 'new') AS not_yet_listed "
                     "FROM shop s LEFT JOIN listing l ON l.shop_id = s.id GROUP BY s.id ORDER BY s.name");
  bad |= print_query(conn, "Outbox",
                     "SELECT state, count(*) AS jobs, min(next_at) FILTER (WHERE state = 'pending') AS next_due "
                     "FROM outbox GROUP BY state ORDER BY state");
  bad |= print_query(conn, "Failed jobs (latest 10)",
                     "SELECT o.id AS job, s.name AS shop, p.code AS sku, o.kind, o.attempts, "
                     "o.last_error AS reason FROM outbox o JOIN listing l ON l.id = o.listing_id "
                     "JOIN shop s ON s.id = l.shop_id JOIN product p ON p.id = l.product_id "
                     "WHERE o.state = 'dead' ORDER BY o.updated_at DESC LIMIT 10");
  bad |= print_held(conn);
  bad |= print_query(conn, "Certificates on the OCOP date",
                     "SELECT today, state, count(*) AS products FROM product_eligibility "
                     "GROUP BY today, state ORDER BY state");
  return bad ? CTL_FAIL : CTL_OK;
}
