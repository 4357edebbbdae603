/*
 * admin.h — the admin HTTP endpoint on admin_listen (prefix admin_):
 *
 *   GET /healthz  200 "ok" when the daemon's database connection is up and
 *                 the database answers a trivial query within the admin
 *                 connection's timeout; else 503 with the reason. The
 *                 answer itself comes from the loop, so it also says the
 *                 loop turns.
 *   GET /metrics  the Prometheus text format (daemon/metrics.h).
 *   GET /status   the HTML page for people (daemon/status_page.h).
 *
 * HEAD is answered like GET without the body; any other method gets 405,
 * any other path 404. Like the webhook server (daemon/webhook.c),
 * libmicrohttpd runs in its external-epoll mode on the daemon's loop, and
 * a request waiting for the database is suspended, not blocking. The
 * endpoint reads through a connection of its own (read-only, with a
 * statement timeout), so a scrape never waits behind job work and job work
 * never waits behind a scrape. Nothing it answers holds a secret.
 */
#ifndef OCOP_ADMIN_H
#define OCOP_ADMIN_H

#include <uv.h>

#include "db.h"

struct admin_options {
  const char *listen;   /* "127.0.0.1:9489" */
  const char *conninfo; /* the database, for the endpoint's own connection */
  db_t *main_db;        /* the daemon's connection: /healthz fails while it is down */
};

typedef struct admin admin_t;

/* NULL with one log line when the address is bad or cannot be bound. */
admin_t *admin_start(uv_loop_t *loop, const struct admin_options *opt);
/* Stops listening; done() once the requests waiting for the database are
 * answered and every handle and the connection are closed (the object is
 * freed then). From this call on, main_db is not touched. */
void admin_close(admin_t *a, void (*done)(void *arg), void *arg);

#endif
