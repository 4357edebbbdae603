/*
 * db.h — PostgreSQL on the libuv loop through libpq's non-blocking API.
 *
 * One db_t is one connection with a FIFO of queries: a query is sent when the
 * one before it has finished, so callers never see interleaved results. Each
 * call is one statement; work that must be atomic lives in SQL functions, so
 * no transaction is ever left open across loop iterations.
 *
 * The connection is made with PQconnectStartParams/PQconnectPoll on a
 * uv_poll_t and re-made with exponential backoff and jitter when it breaks.
 * If a listen channel is set, it LISTENs after every (re)connect and calls
 * the state callback with up=1 so that the owner runs a catch-up sweep:
 * notifications sent while disconnected are lost by design.
 */
#ifndef OCOP_DB_H
#define OCOP_DB_H

#include <libpq-fe.h>
#include <uv.h>

typedef struct db db_t;

/* `res` is valid only during the call (db frees it afterwards); NULL when
 * err is set. err is a one-line message: connection lost, timeout, or the
 * server's primary message. Never NULL both. */
typedef void (*db_result_cb)(void *arg, PGresult *res, const char *err);
typedef void (*db_notify_cb)(void *arg, const char *channel, const char *payload);
/* up = 1 after each successful (re)connect, 0 when the connection is lost. */
typedef void (*db_state_cb)(void *arg, int up);

struct db_options {
  const char *conninfo;         /* libpq connection string; may hold a password */
  const char *listen_channel;   /* NULL: no LISTEN */
  const char *const *setup_sql; /* NULL-terminated; run after every connect */
  unsigned reconnect_min_ms;    /* default 250 */
  unsigned reconnect_max_ms;    /* default 30000 */
  unsigned query_timeout_ms;    /* 0: none; on expiry the query is cancelled */
  const char *name;             /* for log lines: "main", "listen" */
};

db_t *db_new(uv_loop_t *loop, const struct db_options *opt, db_state_cb state_cb,
             db_notify_cb notify_cb, void *arg);
int db_start(db_t *db);
int db_is_up(const db_t *db);
/* Number of queries queued or in flight. */
unsigned db_pending(const db_t *db);

/* Queues a parameterised statement (text parameters, text results). While
 * the connection is down the callback gets err = "database unavailable" on
 * the next loop iteration (never synchronously). Returns 0, or -1 when the
 * db is closing. */
int db_query(db_t *db, const char *sql, int nparams, const char *const *values,
             db_result_cb cb, void *arg);

/* Fails every queued query with err = "shutting down" (the one in flight is
 * allowed to finish), closes the connection and every handle, then calls
 * closed_cb. The db_t is freed after closed_cb returns. */
void db_close(db_t *db, void (*closed_cb)(void *arg), void *arg);

#endif
