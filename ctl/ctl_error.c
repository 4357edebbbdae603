/* ctl_error.c — see ctl_error.h. */
#include "ctl_error.h"

#include <stdio.h>
#include <string.h>

#include "ocopctl.h"

struct pg_class {
  const char *prefix; /* SQLSTATE, or its class (two characters) */
  const char *reason;
};

/* Most specific first. */
static const struct pg_class classes[] = {
    {"23505", "another row already has that value (a name or marketplace id must be unique)"},
    {"23503", "something else still refers to it"},
    {"23514", "a value is outside what is allowed"},
    {"23502", "a required value is missing"},
    {"23", "the database refused the change"},
    {"22", "a value has the wrong form"},
    {"40", "ocopd was changing the same rows at that moment; run the command again"},
    {"55P03", "ocopd holds the rows right now; run the command again"},
    {"57014", "the statement was cancelled"},
    {"57", "the database is shutting down or refused the work"},
    {"53", "the database server is out of resources"},
    {"08", "the connection to the database was lost"},
    {"42", "this database's schema does not match this ocopctl: run ocopctl migrate"},
    {"28", "the database refused the login"},
};

const char *ctl_pg_reason(const PGresult *r, char *buf, size_t len) {
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  size_t i;

  if (!state)
    return "the connection to the database was lost";
  if (strcmp(state, "P0001") == 0 && msg) {
    snprintf(buf, len, "%.*s", (int)strcspn(msg, "\n"), msg);
    return buf;
  }
  for (i = 0; i < sizeof classes / sizeof classes[0]; i++)
    if (strncmp(state, classes[i].prefix, strlen(classes[i].prefix)) == 0) {
      snprintf(buf, len, "%s (SQLSTATE %s)", classes[i].reason, state);
      return buf;
    }
  snprintf(buf, len, "the database failed (SQLSTATE %s)", state);
  return buf;
}

int ctl_pg_fail(const char *command, const char *what, const PGresult *r) {
  char buf[256];

  fprintf(stderr, "ocopctl: %s: %s: %s\n", command, what, ctl_pg_reason(r, buf, sizeof buf));
  return CTL_FAIL;
}

PGresult *ctl_exec(PGconn *conn, const char *command, const char *what, const char *sql, int n,
                   const char *const *params) {
  PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus(r);

  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
    return r;
  ctl_pg_fail(command, what, r);
  PQclear(r);
  return NULL;
}
