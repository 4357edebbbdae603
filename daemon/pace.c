/* pace.c — see pace.h. */
#include "pace.h"

#include <stdio.h>

#include "config.h"
#include "job.h"
#include "log.h"
#include "metrics.h"
#include "ms.h"

#define TOKEN_KEY_WAIT_MS 60000 /* a job whose token does not open waits this long */
#define TOKEN_ERR_LOG_MS 10000  /* and that is logged at most this often */

static uint64_t token_err_said;

static uint64_t rate_take(void *arg, const struct call_req *req, char *why, size_t len) {
  struct job *job = arg;
  const struct pace *p = job->pace;
  double rate = config_rate(p->rates, job->marketplace);
  uint64_t wait = 0;

  (void)req;
  /* A look-up's follow-up goes now, in debt: no job starves behind its own
   * look-up, and the average rate holds. */
  if (!(job->pace_flags & PACE_FOLLOWUP_DEBT) || job->calls++ == 0)
    wait = rl_take(p->rl, job->shop_id, rate, rate, ms_mono());
  else
    wait = rl_charge(p->rl, job->shop_id, rate, rate, ms_mono());
  if (wait > 0 && rl_paused_ms(p->rl, job->shop_id, ms_mono()) > 0) {
    snprintf(why, len, "the marketplace asked to wait (Retry-After)");
    metrics_rate_wait(job->shop_name, job->marketplace, "marketplace");
  } else if (wait > 0) {
    snprintf(why, len, "shop over its rate limit of %.1f requests/s", rate);
    metrics_rate_wait(job->shop_name, job->marketplace, "ocopd");
  }
  return wait;
}

/* The marketplace's pace holds for every caller of this shop. */
static void rate_pause(void *arg, const struct call_req *req, uint64_t ms) {
  struct job *job = arg;

  (void)req;
  metrics_rate_wait(job->shop_name, job->marketplace, "marketplace");
  rl_pause(job->pace->rl, job->shop_id, ms_mono() + ms);
}

/* With under a minute left the job waits for the refresh (without
 * spending an attempt); with under TOKEN_REFRESH_AHEAD_S it goes on. */
static uint64_t token_check(void *arg, const struct call_req *req, char *why, size_t len) {
  struct job *job = arg;
  uint64_t wait;

  if (job->token_err) { /* never sent without its token; the key may come back */
    if (ms_mono() - token_err_said >= TOKEN_ERR_LOG_MS) { /* not a line per job */
      token_err_said = ms_mono();
      log_error("token", "the access token does not open; the shop's calls wait", "err=%s",
                job->token_err);
    }
    snprintf(why, len, "%s", job->token_err);
    return TOKEN_KEY_WAIT_MS;
  }
  if ((wait = token_wait_ms(job->pace->tm, job->shop_id)) > 0) {
    snprintf(why, len, "the shop's token refresh was refused; waiting for the next try");
    return wait;
  }
  if (!(job->pace_flags & PACE_TOKEN_AHEAD) || job->token_checked)
    return 0;
  job->token_checked = 1;
  if (!job->has_token_ttl || job->token_ttl_s >= TOKEN_REFRESH_AHEAD_S ||
      !oc_supports(req->hold->conn, OC_OP_REFRESH_TOKEN))
    return 0;
  token_refresh(job->pace->tm, job);
  if (job->token_ttl_s >= 60)
    return 0;
  snprintf(why, len, "waiting for the access token to be refreshed");
  return 2000;
}

static void token_refused(void *arg, const struct call_req *req) {
  struct job *job = arg;

  (void)req;
  token_refresh(job->pace->tm, job);
}

/* A request that waited in the transport for a connection leaves only
 * if the marketplace has not asked, meanwhile, for a pause. */
static uint64_t rate_held(void *arg, const struct call_req *req) {
  struct job *job = arg;

  (void)req;
  return rl_paused_ms(job->pace->rl, job->shop_id, ms_mono());
}

static const struct call_hooks hooks = {rate_take, rate_pause, token_check, token_refused,
                                        rate_held};

const struct call_hooks *pace_hooks(void) { return &hooks; }
