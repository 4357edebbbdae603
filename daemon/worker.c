/* worker.c — see worker.h. */
#include "worker.h"

#include <stdio.h>
#include <string.h>

void worker_init(struct worker *w, uv_loop_t *loop, db_t *db, http_t *http,
                 struct registry *reg, ratelimit_t *rl, token_mgr_t *tm) {
  w->loop = loop;
  w->db = db;
  w->http = http;
  w->reg = registry_ref(reg);
  w->pace.rl = rl;
  w->pace.tm = tm;
  w->pace.rates = w->rates;
}

void worker_set_config(struct worker *w, const char *credentials_dir, const char *rate_limits) {
  w->has_cred_dir = credentials_dir != NULL;
  snprintf(w->cred_dir, sizeof w->cred_dir, "%s", credentials_dir ? credentials_dir : "");
  snprintf(w->rates, sizeof w->rates, "%s", rate_limits ? rate_limits : "");
}

const char *worker_cred_dir(const struct worker *w) {
  return w->has_cred_dir ? w->cred_dir : NULL;
}

void worker_set_registry(struct worker *w, struct registry *reg) {
  registry_ref(reg);
  registry_unref(w->reg);
  w->reg = reg;
}

void worker_call(struct worker *w, struct job *ctx, oc_op op, const oc_order_query *query,
                 call_cb cb, void *arg) {
  struct call_env env = {w->http, pace_hooks()};
  struct call_req req;

  job_call_req(ctx, op, worker_cred_dir(w), &req);
  req.query = query;
  ctx->pace = &w->pace;
  ctx->pace_flags = 0;
  call_start(&env, &req, cb, arg);
}

void worker_release(struct worker *w) { registry_unref(w->reg); }
