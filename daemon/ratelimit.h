/*
 * ratelimit.h — a token bucket per shop, and pauses a marketplace asks for.
 *
 * Each shop may send `rate` requests per second with bursts of `burst`. A
 * 429 or a marketplace's rate-limit code pauses the shop until the time it
 * named (Retry-After) or for a default second. A shop over its limit waits;
 * its jobs are deferred without counting an attempt, and other shops are not
 * slowed. Pure bookkeeping (the caller passes the time), so it is tested
 * without a loop. The state is per daemon: several daemons share a shop's
 * marketplace limit only as well as their rates add up.
 */
#ifndef OCOP_RATELIMIT_H
#define OCOP_RATELIMIT_H

#include <stddef.h>
#include <stdint.h>

typedef struct ratelimit ratelimit_t;

ratelimit_t *rl_new(void);
void rl_free(ratelimit_t *rl);

/* Takes one token for shop_id at now_ms. Returns 0 when the request may go
 * now, else how many milliseconds until it may. */
uint64_t rl_take(ratelimit_t *rl, long long shop_id, double rate, double burst, uint64_t now_ms);

/* Charges one request that should go now (the second call of a job, after
 * its look-up): the bucket may go into debt, which delays later requests,
 * so the average rate holds and no job starves behind its own look-up.
 * A pause the marketplace asked for still holds: then nothing is charged
 * and the milliseconds left are returned, else 0. */
uint64_t rl_charge(ratelimit_t *rl, long long shop_id, double rate, double burst,
                   uint64_t now_ms);

/* The marketplace said "not before until_ms" for this shop. */
void rl_pause(ratelimit_t *rl, long long shop_id, uint64_t until_ms);

/* The milliseconds a pause the marketplace asked for still holds for
 * shop_id at now_ms; 0 when none. */
uint64_t rl_paused_ms(const ratelimit_t *rl, long long shop_id, uint64_t now_ms);

/* 1 when shop_id could not send at now_ms (paused or out of tokens). */
int rl_limited(const ratelimit_t *rl, long long shop_id, uint64_t now_ms);

/* Writes the ids of limited shops as a SQL array literal ("{3,7}") into
 * buf; returns how many. */
size_t rl_limited_shops(const ratelimit_t *rl, uint64_t now_ms, char *buf, size_t len);

#endif
