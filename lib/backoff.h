/*
 * backoff.h — how long to wait before a job's next attempt.
 *
 * Exponential from `base`, doubling per attempt, capped at `max`, with "equal
 * jitter" (half fixed, half random) so that many jobs failing together do
 * not come back together. A marketplace's own Retry-After wins when longer.
 */
#ifndef OCOP_BACKOFF_H
#define OCOP_BACKOFF_H

#include <stdint.h>

/* attempt counts from 1; rnd is any uniformly random 32-bit value. */
uint64_t backoff_delay_ms(unsigned attempt, uint64_t base_ms, uint64_t max_ms,
                          uint64_t retry_after_ms, uint32_t rnd);

#endif
