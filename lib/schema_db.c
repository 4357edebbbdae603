/* schema_db.c — see schema_db.h. */
#include "schema_db.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* pg_advisory_xact_lock key shared by every ocopd and ocopctl: "ocopmigr". */
#define SCHEMA_LOCK_KEY "8026381489567000434"

void schema_err(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;

  if (!err || errlen == 0)
    return;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* libpq ends the message with "\n" and may add DETAIL lines that do not
 * belong in a one-line reason. */
void schema_pg_err(char *err, size_t errlen, const char *what, const PGresult *res,
                   PGconn *conn) {
  const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
  size_t n;

  if (!msg)
    msg = PQerrorMessage(conn);
  n = strcspn(msg, "\n");
  schema_err(err, errlen, "%s: %.*s", what, (int)n, msg);
}

/* Clears res; 0 when it holds a success, else -1 with "what: ..." in err. */
static int settle(PGresult *res, PGconn *conn, const char *what, char *err, size_t errlen) {
  int rc = 0;

  if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
    schema_pg_err(err, errlen, what, res, conn);
    rc = -1;
  }
  PQclear(res);
  return rc;
}

int schema_exec_params(PGconn *conn, const char *sql, int nparams, const char *const *params,
                       const char *what, char *err, size_t errlen) {
  return settle(PQexecParams(conn, sql, nparams, NULL, params, NULL, NULL, 0), conn, what, err,
                errlen);
}

int schema_exec(PGconn *conn, const char *sql, const char *what, char *err, size_t errlen) {
  return schema_exec_params(conn, sql, 0, NULL, what, err, errlen);
}

int schema_exec_script(PGconn *conn, const char *sql, const char *what, char *err,
                       size_t errlen) {
  return settle(PQexec(conn, sql), conn, what, err, errlen);
}

void schema_rollback(PGconn *conn) {
  PGresult *res;

  if (PQtransactionStatus(conn) == PQTRANS_IDLE)
    return;
  res = PQexecParams(conn, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0);
  PQclear(res);
}

int schema_begin_locked(PGconn *conn, char *err, size_t errlen) {
  const char *key = SCHEMA_LOCK_KEY;
  PGresult *res;
  int rc = -1;

  if (schema_exec(conn, "BEGIN", "cannot start a transaction", err, errlen) != 0)
    return -1;
  res = PQexecParams(conn, "SELECT pg_advisory_xact_lock($1::bigint)", 1, NULL, &key,
                     NULL, NULL, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK)
    schema_pg_err(err, errlen, "cannot take the migration lock", res, conn);
  else
    rc = 0;
  PQclear(res);
  return rc;
}

/* A plain scan of pg_class, not to_regclass(): a process that waited for
 * the lock while another created the table still has a cached "no such
 * relation" (an advisory lock does not process catalog invalidations), so
 * to_regclass would say no and CREATE TABLE would fail. Scanning pg_class
 * takes a new snapshot and, by locking it, refreshes the cache for the
 * statements that follow. Checking first, instead of CREATE TABLE IF NOT
 * EXISTS, keeps the server from sending a NOTICE every run. */
int schema_table_exists(PGconn *conn, const char *name, int *exists, char *err,
                        size_t errlen) {
  PGresult *res = PQexecParams(conn,
                               "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c"
                               " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                               " WHERE c.relname = $1 AND n.nspname = current_schema())",
                               1, NULL, &name, NULL, NULL, 0);
  int rc = -1;

  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    schema_pg_err(err, errlen, "cannot read the schema version", res, conn);
  } else {
    *exists = strcmp(PQgetvalue(res, 0, 0), "t") == 0;
    rc = 0;
  }
  PQclear(res);
  return rc;
}

int schema_check_idle(PGconn *conn, char *err, size_t errlen) {
  if (PQstatus(conn) != CONNECTION_OK) {
    schema_err(err, errlen, "not connected to the database");
    return -1;
  }
  if (PQtransactionStatus(conn) != PQTRANS_IDLE) {
    schema_err(err, errlen, "the connection is inside a transaction");
    return -1;
  }
  return 0;
}
