/*
 * ctl_error.c — a failed database call as one line for an operator
 * (ctl_error.h).
 */
#include "ctl_error.h"

#include <stdio.h>
#include <string.h>

#include "ocopctl.h"

/* SQLSTATEs whose message the logic files write for an operator
 * (sql/logic/ledger_ops.sql, the certificate checks of
 * sql/logic/catalogue.sql): printed as they are, unless a table's
 * constraint raised them (its message names SQL objects). */
static const char *const own_states[] = {"P0001", "P0002", "22023", "23514", "23505", NULL};

/* Everything else, by SQLSTATE (a prefix of two characters: the class). */
static const struct {
  const char *state;
  const char *text;
} meanings[] = {
    {"22007", "a date is not valid"},
    {"22008", "a date is not valid"},
    {"22P02", "a value is not a valid number or word"},
    {"22003", "a number is out of range"},
    {"22001", "a value is too long"},
    {"23503", "it names something that does not exist"},
    {"23514", "a value breaks a rule of the catalogue"},
    {"23505", "that is already recorded"},
    {"40", "the database was busy with the same rows; run the command again"},
    {"08", "the connection to the database was lost"},
    {"57", "the database server is shutting down or cancelled the command"},
    {"53", "the database server is out of resources (disk or memory)"},
    {"25006", "the database is read-only"},
    {"42501", "the database user may not do this"},
    {"42", "the database schema is not this ocopctl's: run ocopctl migrate"},
    {NULL, NULL},
};

static int own_message(const PGresult *r, const char *state) {
  int i;

  if (PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME))
    return 0;
  for (i = 0; own_states[i]; i++)
    if (strcmp(own_states[i], state) == 0)
      return 1;
  return 0;
}

/* A table's own constraint, named as PostgreSQL names them
 * (TABLE_COLUMN_check, _key, _fkey): which value of which table it
 * refused, in words. 0 when the name does not say. */
static int constraint_text(const PGresult *r, const char *state, char *out, size_t n) {
  const char *c = PQresultErrorField(r, PG_DIAG_CONSTRAINT_NAME);
  const char *t = PQresultErrorField(r, PG_DIAG_TABLE_NAME);
  const char *col = PQresultErrorField(r, PG_DIAG_COLUMN_NAME), *end;
  size_t tl = t ? strlen(t) : 0;
  int cl;

  if (t && strcmp(state, "23502") == 0 && col)
    return snprintf(out, n, "the %s's %s must be given", t, col) > 0;
  if (!c || !t || strncmp(c, t, tl) != 0 || c[tl] != '_')
    return 0;
  c += tl + 1;
  end = strrchr(c, '_');
  if (!end || end == c)
    return 0;
  cl = (int)(end - c);
  if (strcmp(state, "23514") == 0)
    snprintf(out, n, "the %s's %.*s is not allowed (rule %s_%s)", t, cl, c, t, c);
  else if (strcmp(state, "23505") == 0)
    snprintf(out, n, "a %s with that %.*s already exists", t, cl, c);
  else if (strcmp(state, "23503") == 0)
    snprintf(out, n, "the %s's %.*s names something that does not exist", t, cl, c);
  else
    return 0;
  return 1;
}

static const char *meaning(const char *state) {
  int i;

  for (i = 0; meanings[i].state; i++)
    if (strncmp(meanings[i].state, state, strlen(meanings[i].state)) == 0)
      return meanings[i].text;
  return NULL;
}

int ctl_pg_error(const char *command, PGconn *conn, const PGresult *r) {
  const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
  const char *msg = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  char text[300];

  if (!state && (!conn || PQstatus(conn) != CONNECTION_OK))
    state = "08000";
  if (state && msg && own_message(r, state))
    fprintf(stderr, "ocopctl: %s: %.*s\n", command, (int)strcspn(msg, "\n"), msg);
  else if (state && r && constraint_text(r, state, text, sizeof text))
    fprintf(stderr, "ocopctl: %s: %s\n", command, text);
  else if (state && meaning(state))
    fprintf(stderr, "ocopctl: %s: %s\n", command, meaning(state));
  else
    fprintf(stderr, "ocopctl: %s: the database could not run the command (code %s)\n", command,
            state ? state : "none");
  return CTL_FAIL;
}

/* ---- the operator commands' helpers (ctl_jobs.c, ctl_retry.c, ...) ---- */

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
