/*
 * sim_rate.h — the per-shop token bucket of every simulated marketplace.
 *
 * Off until a test turns it on with /_sim/<market>/rate_limit
 * (tests/sim/README.md); each marketplace answers a refused call with its
 * own error envelope, so this module only counts.
 */
#ifndef OCOP_SIM_RATE_H
#define OCOP_SIM_RATE_H

#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim.h"

struct sim_rate {
  double rate, burst, tokens; /* rate 0 = off */
  int64_t last_ms;
};

/* Takes one call from the bucket at now_ms; 1 when it is empty (the call
 * is refused), 0 when the call may go on. */
int sim_rate_take(struct sim_rate *r, int64_t now_ms);

/* Reads {"per_second","burst"} from the control body and sets the bucket
 * full, answering ok; or answers 400 and leaves it alone. */
void sim_rate_set(struct sim_rate *r, const struct sim_req *req,
                  struct sim_resp *resp);

/* Adds "rate_limit": {"per_second","burst"} to a control listing. */
void sim_rate_json(cJSON *o, const struct sim_rate *r);

#endif
