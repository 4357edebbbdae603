/*
 * schema_db.h — blocking libpq helpers shared by migrate.c (numbered
 * migrations) and logic.c (SQL logic files): one-line error messages, and
 * the transaction under the advisory lock that serialises every ocopd and
 * ocopctl bringing a database's schema up to date.
 */
#ifndef OCOP_SCHEMA_DB_H
#define OCOP_SCHEMA_DB_H

#include <stddef.h>

#include <libpq-fe.h>

void schema_err(char *err, size_t errlen, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* "what: <the server's message>" on one line. */
void schema_pg_err(char *err, size_t errlen, const char *what, const PGresult *res,
                   PGconn *conn);

/* Runs a statement without parameters; 0, or -1 with "what: ..." in err. */
int schema_exec(PGconn *conn, const char *sql, const char *what, char *err, size_t errlen);

/* The same with nparams text parameters ($1...). */
int schema_exec_params(PGconn *conn, const char *sql, int nparams, const char *const *params,
                       const char *what, char *err, size_t errlen);

/* Runs text that may hold several statements, which only the simple query
 * protocol (PQexec) accepts: for the compiled-in migrations and logic
 * files, never for user input. */
int schema_exec_script(PGconn *conn, const char *sql, const char *what, char *err,
                       size_t errlen);

/* Ends the open transaction, if any, without keeping anything. */
void schema_rollback(PGconn *conn);

/* BEGIN and take the schema lock; held until COMMIT or ROLLBACK. */
int schema_begin_locked(PGconn *conn, char *err, size_t errlen);

/* *exists = whether table `name` is in the current schema. */
int schema_table_exists(PGconn *conn, const char *name, int *exists, char *err,
                        size_t errlen);

/* 0 when connected and idle (not in a transaction), else -1 and a reason. */
int schema_check_idle(PGconn *conn, char *err, size_t errlen);

#endif
