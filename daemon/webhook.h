/*
 * webhook.h — the push endpoint: POST /hooks/<marketplace> (prefix webhook_).
 *
 * libmicrohttpd runs in its external-epoll mode on the daemon's libuv loop
 * (one uv_poll on MHD's epoll descriptor and one timer), so a push is
 * handled on the same thread as everything else and needs no locks.
 *
 * A push is refused before anything is written when it is larger than
 * OC_MAX_PUSH (413), nested deeper than 32 (400), unsigned or signed with
 * the wrong key (401, checked by the connector in constant time against
 * every shop of that marketplace, whose secrets it reads itself), or stamped outside webhook_max_age (400).
 * A verified push is stored under the SHA-256 of its body in webhook_inbox
 * (a replay inserts nothing) together with a re-read of the order it names,
 * and only then answered 200: the marketplace's order, read back through
 * its API, stays the source of truth. GET /healthz answers "ok".
 *
 * Under abuse the endpoint stays open to the marketplaces: at most
 * max_connections connections, per_ip of them from one address (more are
 * closed as they are accepted), and a request that has not arrived whole
 * within request_timeout_ms has its connection closed (daemon/deadline.h),
 * however steadily it trickles; when the endpoint is full, the connection
 * that has waited longest for its request is closed to make room, once it
 * has had a sixteenth of request_timeout_ms.
 * A forged push costs one signature check per key pair (app key, secret)
 * of its marketplace's shops, however many shops share one, and never
 * reaches the database; refusals are logged a few a second at most, each
 * line with the running total. docs/pushes.md says more.
 */
#ifndef OCOP_WEBHOOK_H
#define OCOP_WEBHOOK_H

#include <uv.h>

#include "db.h"
#include "orders.h"
#include "registry.h"

struct webhook_options {
  const char *listen;     /* "127.0.0.1:8088" */
  const char *public_url; /* "" → "http://" + listen */
  const char *credentials_dir; /* NULL: none configured */
  unsigned max_age_s;
  unsigned request_timeout_ms; /* whole request, from the connection or the last answer */
  unsigned max_connections;
  unsigned per_ip;             /* 0: no limit per address */
};

struct webhook_stats {
  unsigned long long accepted;   /* stored (new) */
  unsigned long long duplicates; /* replays of a stored push */
  unsigned long long refused;    /* 4xx */
  unsigned long long timed_out;  /* closed before their request arrived whole */
  unsigned long long evicted;    /* closed early, the endpoint being full */
};

typedef struct webhook webhook_t;

/* NULL with a log line when the address is bad or cannot be bound. */
webhook_t *webhook_start(uv_loop_t *loop, db_t *db, orders_t *orders, struct registry *reg,
                         const struct webhook_options *opt);
/* Pushes are verified with reg from now on. Holds a reference. */
void webhook_set_registry(webhook_t *wh, struct registry *reg);
/* Shop secrets are read from dir from now on (NULL: none configured). */
void webhook_set_credentials_dir(webhook_t *wh, const char *dir);
void webhook_get_stats(const webhook_t *wh, struct webhook_stats *st);
/* Stops accepting; done() once the pushes being stored are answered and
 * every handle is closed. The object is freed then. */
void webhook_close(webhook_t *wh, void (*done)(void *arg), void *arg);

#endif
