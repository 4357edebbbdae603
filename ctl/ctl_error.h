/*
 * ctl_error.h — one line for a failed database call, never PostgreSQL's
 * raw text.
 *
 * The refusals that sql/logic/ledger_ops.sql and sql/logic/catalogue.sql
 * raise are already sentences for an operator (unknown SKU, stock below
 * reserved, a revocation before the decision...) and are printed as they
 * are; anything else (a malformed value, a broken connection, a schema
 * older than this build) is named by what it means, with no SQL in it.
 */
#ifndef OCOP_CTL_ERROR_H
#define OCOP_CTL_ERROR_H

#include <libpq-fe.h>

/* Prints "ocopctl: COMMAND: what went wrong" for r (a failed result, or
 * NULL when libpq gave none: conn says why) and returns CTL_FAIL. */
int ctl_pg_error(const char *command, PGconn *conn, const PGresult *r);


/* Prints "ocopctl: COMMAND: WHAT: <reason>" (r may be NULL: the
 * connection's state is read) and returns CTL_FAIL. */
int ctl_pg_fail(const char *command, const char *what, const PGresult *r);

/* The reason alone, in the operator's words (static text or buf). */
const char *ctl_pg_reason(const PGresult *r, char *buf, size_t len);

/* Runs a parameterised statement; on failure prints it with ctl_pg_fail and
 * returns NULL. */
PGresult *ctl_exec(PGconn *conn, const char *command, const char *what, const char *sql, int n,
                   const char *const *params);


#endif
