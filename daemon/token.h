/*
 * token.h — refreshing a shop's access token, once per shop at a time.
 *
 * A job whose shop token expires within ten minutes, or whose call was
 * refused for its token, asks for a refresh. This daemon keeps at most one
 * refresh per shop in flight, and the database lease (token.refreshing_until)
 * keeps it to one across daemons: refresh tokens are single use. The new pair
 * is sealed (lib/tokenkey.h) and stored in one statement right after the
 * answer; a store that fails is tried again for a while. A refusal is tried
 * again after a backoff; TOKEN_REFUSALS_MAX in a row mark the shop
 * needs_reauth, which stops its jobs and tells the operator what to do.
 * A refresh keeps the shop's Retry-After pause like any of its calls.
 */
#ifndef OCOP_TOKEN_H
#define OCOP_TOKEN_H

#include <uv.h>

#include "connector.h"
#include "db.h"
#include "http.h"
#include "job.h"
#include "ratelimit.h"

#define TOKEN_REFRESH_AHEAD_S 600 /* refresh when less than this is left */
#define TOKEN_REFUSALS_MAX 3      /* refused refreshes in a row before the shop pauses */
#define TOKEN_REFUSED_WAIT_S 5    /* the wait after the first refusal, doubling */

typedef struct token_mgr token_mgr_t;

/* rl: the shops' pauses (daemon/ratelimit.h), kept by the caller; a
 * refresh waits out a shop's Retry-After, and its own 429 pauses the shop. */
token_mgr_t *token_new(uv_loop_t *loop, db_t *db, http_t *http, ratelimit_t *rl);
void token_free(token_mgr_t *tm);

/* Starts a refresh of the job's shop with the job's connector (job->hold)
 * unless one is under way here. Copies the shop and holds the connector's
 * generation and the secret until the refresh ends; the job may be
 * finished right after. */
void token_refresh(token_mgr_t *tm, const struct job *job);
/* 1 while this daemon refreshes the shop's token. */
int token_refreshing(const token_mgr_t *tm, long long shop_id);
/* While the shop's last refresh was refused and the next try is not due:
 * the milliseconds left (its calls wait, spending no attempt), else 0. */
uint64_t token_wait_ms(const token_mgr_t *tm, long long shop_id);
/* Refreshes in flight (they must end before the db and http close). */
unsigned token_inflight(const token_mgr_t *tm);

#endif
