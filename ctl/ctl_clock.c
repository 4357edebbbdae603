/*
 * ctl_clock.c — `ocopctl clock`: the database's OCOP date, and the pin that
 * tests and the demo use to act on another day.
 *
 *   ocopctl clock              the OCOP date, whether it is pinned, and the
 *                              date of the server's clock
 *   ocopctl clock pin DATE     pin the OCOP date (tests and demos only)
 *   ocopctl clock unpin        back to the server's clock
 *
 * The pin is one row in the database (sql/008_clock.sql), so every
 * connection sees it at once and running daemons act on it as on a
 * midnight. Pinning in production would stop certificates from lapsing, so
 * every pin is announced on stderr and recorded as an event.
 */
#include <stdio.h>
#include <string.h>

#include "ctl_error.h"
#include "ocopctl.h"

static int show(PGconn *conn) {
  PGresult *r = PQexec(conn,
                       "SELECT ocop_today(), ocop_date_at(now()), "
                       "to_char(now() AT TIME ZONE INTERVAL '+07:00', 'YYYY-MM-DD HH24:MI:SS'), "
                       "c.pinned_date IS NOT NULL, coalesce(c.pinned_by, ''), "
                       "coalesce(to_char(c.pinned_at AT TIME ZONE INTERVAL '+07:00', "
                       "'YYYY-MM-DD HH24:MI'), '') FROM ocop_clock c");

  if (PQresultStatus(r) != PGRES_TUPLES_OK || PQntuples(r) != 1) {
    ctl_pg_error("clock", conn, r);
    PQclear(r);
    return CTL_FAIL;
  }
  printf("OCOP date    %s%s\n", PQgetvalue(r, 0, 0),
         PQgetvalue(r, 0, 3)[0] == 't' ? "  (PINNED: a test clock)" : "");
  printf("server clock %s +07 (OCOP date %s)\n", PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 1));
  if (PQgetvalue(r, 0, 3)[0] == 't')
    printf("pinned by    %s at %s +07\n", PQgetvalue(r, 0, 4), PQgetvalue(r, 0, 5));
  PQclear(r);
  return CTL_OK;
}

/* Pins (date) or unpins (NULL). Prints the date in force afterwards. */
int ctl_clock_pin(struct ctl *ctl, const char *date, const char *by) {
  const char *params[2] = {date, by};
  PGconn *conn = ctl_connect(ctl, "clock");
  PGresult *r;

  if (!conn)
    return CTL_FAIL;
  r = PQexecParams(conn, "SELECT ocop_clock_pin($1::date, $2)", 2, NULL, params, NULL, NULL, 0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    const char *msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);

    fprintf(stderr, "ocopctl: clock: %s: %s\n", date ? date : "unpin",
            msg ? msg : "the database refused the pin");
    PQclear(r);
    return CTL_FAIL;
  }
  if (date)
    fprintf(stderr, "ocopctl: TEST CLOCK: the OCOP date of this database is pinned to %s\n",
            PQgetvalue(r, 0, 0));
  else
    fprintf(stderr, "ocopctl: clock: unpinned; the OCOP date is %s again\n", PQgetvalue(r, 0, 0));
  PQclear(r);
  return CTL_OK;
}

int cmd_clock(struct ctl *ctl, int argc, char **argv) {
  PGconn *conn;

  if (argc == 3 && strcmp(argv[1], "pin") == 0) {
    if (!ctl_is_iso_date(argv[2])) {
      fprintf(stderr, "ocopctl: clock pin: \"%s\" is not a date YYYY-MM-DD\n", argv[2]);
      return CTL_USAGE;
    }
    return ctl_clock_pin(ctl, argv[2], "ocopctl clock pin");
  }
  if (argc == 2 && strcmp(argv[1], "unpin") == 0)
    return ctl_clock_pin(ctl, NULL, "ocopctl clock unpin");
  if (argc != 1)
    return ctl_usage("clock");
  conn = ctl_connect(ctl, "clock");
  return conn ? show(conn) : CTL_FAIL;
}
