/*
 * sim_ctl.c — the control API plumbing the marketplaces share (sim_ctl.h).
 *
 * Runs with the core's state mutex held, like every control call (sim.h).
 */
#include "sim_ctl.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "sim_json.h"

#define SIM_CTL_ERRTXT 256

void sim_ctl_ok(struct sim_resp *resp, cJSON *obj) {
  if (!obj)
    obj = cJSON_CreateObject();
  if (obj && !cJSON_AddTrueToObject(obj, "ok")) {
    cJSON_Delete(obj);
    obj = NULL;
  }
  sim_resp_json(resp, 200, obj);
}

void sim_ctl_error(struct sim_resp *resp, int status, const char *fmt, ...) {
  cJSON *o = cJSON_CreateObject();
  char msg[512];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  cJSON_AddFalseToObject(o, "ok");
  cJSON_AddStringToObject(o, "error", msg);
  sim_resp_json(resp, status, o);
}

int sim_ctl_need_object(const struct sim_req *req, struct sim_resp *resp) {
  if (cJSON_IsObject(req->json))
    return 0;
  sim_ctl_error(resp, 400, "body must be a JSON object (%s)",
                req->json_err ? req->json_err
                : req->json   ? "not an object"
                              : "empty body");
  return -1;
}

int sim_ctl_want(const char *method, const struct sim_req *req,
                 struct sim_resp *resp) {
  if (strcmp(req->method, method) != 0) {
    sim_ctl_error(resp, 405, "use %s", method);
    return -1;
  }
  if (strcmp(method, "POST") == 0 && sim_ctl_need_object(req, resp))
    return -1;
  return 0;
}

int sim_ctl_run(const struct sim_ctl_call *tab, size_t n, void *ctx,
                const char *sub, const struct sim_req *req,
                struct sim_resp *resp) {
  char err[SIM_CTL_ERRTXT];
  size_t i;

  for (i = 0; i < n; i++) {
    const struct sim_ctl_call *k = &tab[i];

    if (strcmp(sub, k->sub) != 0)
      continue;
    if (sim_ctl_want(k->method, req, resp))
      return 1;
    if (k->fn)
      k->fn(req, resp);
    else if (k->put(ctx, req->json, req->now_ms / 1000, err, sizeof err))
      sim_ctl_error(resp, 400, "%s", err);
    else
      sim_ctl_ok(resp, NULL);
    return 1;
  }
  return 0;
}

void sim_ctl_unknown(const char *market, const char *sub,
                     struct sim_resp *resp) {
  sim_ctl_error(resp, 404, "no control call %s/%s", market, sub);
}

cJSON *sim_ctl_listing(const char *name, cJSON **list) {
  cJSON *o = cJSON_CreateObject();

  *list = cJSON_AddArrayToObject(o, name);
  return o;
}

int sim_ctl_int(const cJSON *o, const char *name, int64_t min, int64_t max,
                int64_t def, int64_t *out, char *err, size_t n) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

  if (!v && def >= min) {
    *out = def;
    return 0;
  }
  if (sim_json_int(v, out) || *out < min || *out > max) {
    snprintf(err, n, "%s must be an integer from %" PRId64 " to %" PRId64, name,
             min, max);
    return -1;
  }
  return 0;
}

const char *sim_ctl_str(const cJSON *o, const char *name, size_t max, char *err,
                        size_t n) {
  const char *s = sim_json_str(o, name);

  if (!s || !*s || strlen(s) > max) {
    snprintf(err, n, "%s must be a string of 1 to %zu bytes", name, max);
    return NULL;
  }
  return s;
}

static int sim_ctl_seed_list(const char *market, const cJSON *doc,
                             const struct sim_ctl_seed *l, void *ctx,
                             int64_t now, char *err, size_t n) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(doc, l->name), *e;
  char why[SIM_CTL_ERRTXT];
  int i = 0, rc;

  if (!list)
    return 0;
  if (!cJSON_IsArray(list)) {
    snprintf(err, n, "%s.%s must be an array", market, l->name);
    return -1;
  }
  cJSON_ArrayForEach(e, list) {
    if (!cJSON_IsObject(e)) {
      snprintf(why, sizeof why, "must be an object");
      rc = -1;
    } else {
      rc = l->put(ctx, e, now, why, sizeof why);
    }
    if (rc) {
      snprintf(err, n, "%s.%s[%d]: %s", market, l->name, i, why);
      return -1;
    }
    i++;
  }
  return 0;
}

static int sim_ctl_seed_known(const char *name,
                              const struct sim_ctl_seed *lists, size_t n) {
  size_t i;

  for (i = 0; i < n; i++)
    if (strcmp(name, lists[i].name) == 0)
      return 1;
  return 0;
}

int sim_ctl_seed_lists(const char *market, const cJSON *doc,
                       const struct sim_ctl_seed *lists, size_t nlists,
                       void *ctx, char *err, size_t n) {
  int64_t now = sim_now_ms() / 1000;
  const cJSON *e;
  size_t i;

  if (!cJSON_IsObject(doc)) {
    snprintf(err, n, "%s must be an object", market);
    return -1;
  }
  cJSON_ArrayForEach(e, doc) {
    if (!sim_ctl_seed_known(e->string, lists, nlists)) {
      snprintf(err, n, "%s.%s: unknown key", market, e->string);
      return -1;
    }
  }
  for (i = 0; i < nlists; i++)
    if (sim_ctl_seed_list(market, doc, &lists[i], ctx, now, err, n))
      return -1;
  return 0;
}
