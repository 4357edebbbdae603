/*
 * ctl_error.h — a failed statement as one clear line for the operator.
 *
 * The server's own text is for developers: it names tables, constraints
 * and SQL. ctl_pg_fail prints what failed in the operator's words, chosen
 * by the SQLSTATE; only the messages ocopd's SQL logic raises on purpose
 * (SQLSTATE P0001, written for the operator) are shown as they are.
 */
#ifndef OCOP_CTL_ERROR_H
#define OCOP_CTL_ERROR_H

#include <libpq-fe.h>

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
