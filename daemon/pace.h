/*
 * pace.h — this daemon's rate limit and token refresh as the hooks of the
 * call path (lib/call.h), shared by the outbox, the order poller and the
 * stock read-back (prefix pace_).
 *
 * A call's hook argument is its shop context (struct job, daemon/job.h),
 * which names the pace it keeps and how: every call takes a token from the
 * shop's bucket, or (PACE_FOLLOWUP_DEBT) only a job's first call waits and
 * a follow-up goes at once, in debt; a token about to expire is refreshed
 * before a job's first call (PACE_TOKEN_AHEAD). A marketplace's rate limit
 * pauses the shop for every worker; a refused token starts a refresh.
 */
#ifndef OCOP_PACE_H
#define OCOP_PACE_H

#include "call.h"
#include "ratelimit.h"
#include "token.h"

#define PACE_FOLLOWUP_DEBT 1u
#define PACE_TOKEN_AHEAD 2u

struct pace {
  ratelimit_t *rl;
  token_mgr_t *tm;
  const char *rates; /* config rate_limits, owned by the worker */
};

/* The hooks; a call's hook_arg is its struct job, whose pace is set. */
const struct call_hooks *pace_hooks(void);

#endif
