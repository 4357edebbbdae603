/*
 * sim_rate.c — the token bucket (sim_rate.h).
 */
#include "sim_rate.h"

#include <math.h>

#include "sim_ctl.h"

int sim_rate_take(struct sim_rate *r, int64_t now_ms) {
  double elapsed;

  if (r->rate <= 0)
    return 0;
  elapsed = (double)(now_ms - r->last_ms) / 1000.0;
  if (elapsed > 0)
    r->tokens += elapsed * r->rate;
  if (r->tokens > r->burst)
    r->tokens = r->burst;
  r->last_ms = now_ms;
  if (r->tokens < 1.0)
    return 1;
  r->tokens -= 1.0;
  return 0;
}

void sim_rate_set(struct sim_rate *r, const struct sim_req *req,
                  struct sim_resp *resp) {
  const cJSON *ps = cJSON_GetObjectItemCaseSensitive(req->json, "per_second");
  const cJSON *bu = cJSON_GetObjectItemCaseSensitive(req->json, "burst");
  double rate, burst;

  rate = cJSON_IsNumber(ps) ? ps->valuedouble : -1;
  burst = cJSON_IsNumber(bu) ? bu->valuedouble : (rate > 1 ? rate : 1);
  if (!isfinite(rate) || rate < 0 || rate > 1e6 || !isfinite(burst) ||
      burst < 1 || burst > 1e6) {
    sim_ctl_error(resp, 400,
                  "per_second must be 0..1e6 (0 = off), burst 1..1e6");
    return;
  }
  r->rate = rate, r->burst = burst, r->tokens = burst;
  r->last_ms = req->now_ms;
  sim_ctl_ok(resp, NULL);
}

void sim_rate_json(cJSON *o, const struct sim_rate *r) {
  cJSON *rl = cJSON_AddObjectToObject(o, "rate_limit");

  cJSON_AddNumberToObject(rl, "per_second", r->rate);
  cJSON_AddNumberToObject(rl, "burst", r->burst);
}
