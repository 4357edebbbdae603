/*
 * sim_acct.c — apps and text-named accounts (sim_acct.h).
 *
 * Runs with the core's state mutex held (sim.h).
 */
#include "sim_acct.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sim_ctl.h"
#include "sim_json.h"
#include "sim_orders.h"

#define SIM_ACCT_ERRTXT 256

/* The element of arr[0..n) whose string at `off` is `key`, or NULL: apps
 * and accounts are both looked up by a text name. */
static void *sim_acct_lookup(void *arr, size_t n, size_t size, size_t off,
                             const char *key) {
  char *p = arr;
  size_t i;

  for (i = 0; key && i < n; i++, p += size)
    if (strcmp(*(char **)(void *)(p + off), key) == 0)
      return p;
  return NULL;
}

struct sim_app *sim_acct_app_find(const struct sim_accts *st, const char *key) {
  return sim_acct_lookup(st->apps, st->napps, sizeof *st->apps,
                         offsetof(struct sim_app, key), key);
}

struct sim_acct *sim_acct_find(const struct sim_accts *st, const char *name) {
  return sim_acct_lookup(st->v, st->n, sizeof *st->v,
                         offsetof(struct sim_acct, name), name);
}

size_t sim_acct_index(const struct sim_accts *st, const struct sim_acct *a) {
  return (size_t)(a - st->v);
}

struct sim_acct *sim_acct_by_refresh(const struct sim_accts *st,
                                     const char *tok, const char *app_key,
                                     int64_t now) {
  size_t i;

  for (i = 0; i < st->n; i++)
    if (st->v[i].tok.refresh && strcmp(st->v[i].tok.refresh, tok) == 0 &&
        strcmp(st->v[i].app_key, app_key) == 0 &&
        now < st->v[i].tok.refresh_exp)
      return &st->v[i];
  return NULL;
}

static int sim_acct_has(const struct sim_tok *t, const char *tok, int refresh) {
  const char *a = refresh ? t->refresh : t->access;
  const char *b = refresh ? t->used_refresh : t->prev_access;

  return (a && strcmp(a, tok) == 0) || (b && strcmp(b, tok) == 0);
}

void sim_acct_describe(const struct sim_accts *st, const char *tok, int refresh,
                       int first, struct sim_call_info *info) {
  size_t i;

  for (i = 0; tok && *tok && i < st->n && !(first && info->shop[0]); i++)
    if (sim_acct_has(&st->v[i].tok, tok, refresh))
      snprintf(info->shop, sizeof info->shop, "%s", st->v[i].name);
}

/* {"app_key","app_secret"}: adds the app or replaces its secret. */
static int sim_acct_put_app(void *ctx, const cJSON *o, int64_t now, char *err,
                            size_t n) {
  struct sim_accts *st = ctx;
  size_t max = st->kind->key_max;
  const char *key, *secret;
  struct sim_app *a;
  char *k, *s;

  (void)now;
  if (!(key = sim_ctl_str(o, "app_key", max, err, n)) ||
      !(secret = sim_ctl_str(o, "app_secret", max, err, n)))
    return -1;
  s = strdup(secret);
  a = sim_acct_app_find(st, key);
  if (!a) {
    k = strdup(key);
    if (!s || !k ||
        sim_grow((void **)&st->apps, &st->cap_apps, st->napps + 1,
                 sizeof *st->apps)) {
      free(k), free(s);
      snprintf(err, n, "out of memory");
      return -1;
    }
    a = &st->apps[st->napps++];
    a->key = k;
    a->secret = NULL;
  } else if (!s) {
    snprintf(err, n, "out of memory");
    return -1;
  }
  free(a->secret);
  a->secret = s;
  return 0;
}

/* What an account entry says, checked; the account is changed after. */
struct sim_acct_in {
  const char *name, *key, *acc, *ref, *sid;
  int64_t at, rt;
};

static int sim_acct_read(const struct sim_accts *st, const cJSON *o,
                         struct sim_acct_in *in, char *err, size_t n) {
  const struct sim_acct_kind *k = st->kind;

  in->sid = NULL;
  if (!(in->name = sim_ctl_str(o, k->name_key, SIM_SHOP_MAX, err, n)) ||
      !(in->key = sim_ctl_str(o, "app_key", k->key_max, err, n)) ||
      !(in->acc = sim_ctl_str(o, "access_token", k->key_max, err, n)) ||
      !(in->ref = sim_ctl_str(o, "refresh_token", k->key_max, err, n)) ||
      sim_ctl_int(o, "access_expires_in", 0, k->ttl_max, k->access_ttl, &in->at,
                  err, n) ||
      sim_ctl_int(o, "refresh_expires_in", 0, k->ttl_max, k->refresh_ttl,
                  &in->rt, err, n))
    return -1;
  if (k->with_shop_id && cJSON_GetObjectItemCaseSensitive(o, "shop_id") &&
      !(in->sid = sim_ctl_str(o, "shop_id", SIM_SHOP_MAX, err, n)))
    return -1;
  if (!sim_acct_app_find(st, in->key)) {
    snprintf(err, n, "app_key %s is not known", in->key);
    return -1;
  }
  return 0;
}

/* Adds the account or replaces its app and tokens. */
static int sim_acct_put(void *ctx, const cJSON *o, int64_t now, char *err,
                        size_t n) {
  struct sim_accts *st = ctx;
  struct sim_acct_in in;
  struct sim_acct *s;
  char *nm = NULL, *k = NULL, *a = NULL, *r = NULL, *si = NULL;

  if (sim_acct_read(st, o, &in, err, n))
    return -1;
  s = sim_acct_find(st, in.name);
  k = strdup(in.key), a = strdup(in.acc), r = strdup(in.ref);
  if (!k || !a || !r || (in.sid && !(si = strdup(in.sid))))
    goto oom;
  if (!s) {
    nm = strdup(in.name);
    if (!nm || sim_grow((void **)&st->v, &st->cap, st->n + 1, sizeof *st->v))
      goto oom;
    s = &st->v[st->n++];
    memset(s, 0, sizeof *s);
    s->name = nm;
  }
  free(s->app_key), free(s->shop_id);
  s->app_key = k, s->shop_id = si;
  sim_tok_take(&s->tok, a, r, in.at, in.rt, now);
  return 0;
oom:
  free(nm), free(k), free(a), free(r), free(si);
  snprintf(err, n, "out of memory");
  return -1;
}

struct sim_acct *sim_acct_arg(const struct sim_accts *st,
                              const struct sim_req *req,
                              struct sim_resp *resp) {
  const char *name = sim_json_str(req->json, st->kind->name_key);
  struct sim_acct *s;

  if (!name || !*name) {
    sim_ctl_error(resp, 400, "%s must be a string", st->kind->name_key);
    return NULL;
  }
  s = sim_acct_find(st, name);
  if (!s)
    sim_ctl_error(resp, 404, "%s %s is not known", st->kind->noun, name);
  return s;
}

static void sim_acct_list(const struct sim_accts *st, struct sim_resp *resp) {
  cJSON *list, *o = sim_ctl_listing(st->kind->list, &list);
  size_t i;

  for (i = 0; i < st->n; i++) {
    const struct sim_acct *s = &st->v[i];
    cJSON *e = cJSON_CreateObject();

    cJSON_AddStringToObject(e, st->kind->name_key, s->name);
    if (st->kind->with_shop_id)
      cJSON_AddStringToObject(e, "shop_id", s->shop_id ? s->shop_id : s->name);
    cJSON_AddStringToObject(e, "app_key", s->app_key);
    sim_tok_json(e, &s->tok);
    sim_json_push(list, e);
  }
  sim_ctl_ok(resp, o);
}

int sim_acct_order_shop(const struct sim_accts *st, const cJSON *v, char *key,
                        size_t keylen, char *err, size_t n) {
  if (!cJSON_IsString(v) || !sim_acct_find(st, v->valuestring)) {
    snprintf(err, n, "shop must name a known %s", st->kind->name_key);
    return -1;
  }
  snprintf(key, keylen, "%s", v->valuestring);
  return 0;
}

int sim_acct_push_sign(const struct sim_accts *st, const char *shop,
                       const char *body, size_t len, int bad, char *out) {
  const struct sim_acct *s = sim_acct_find(st, shop);
  const struct sim_app *a = s ? sim_acct_app_find(st, s->app_key) : NULL;
  char *key;
  int rc;

  if (!a || !(key = malloc(strlen(a->secret) + 8)))
    return -1;
  sprintf(key, "%s%s", a->secret, bad ? "-wrong" : "");
  rc = sim_push_hmac(key, a->key, body, len, out);
  free(key);
  return rc;
}

enum sim_acct_call {
  SIM_ACCT_APP,
  SIM_ACCT_PUT,
  SIM_ACCT_EXPIRE,
  SIM_ACCT_RATE,
  SIM_ACCT_LIST
};

static int sim_acct_which(const struct sim_acct_kind *k, const char *sub) {
  if (strcmp(sub, "app") == 0)
    return SIM_ACCT_APP;
  if (strcmp(sub, k->noun) == 0)
    return SIM_ACCT_PUT;
  if (strcmp(sub, "expire_token") == 0)
    return SIM_ACCT_EXPIRE;
  if (strcmp(sub, "rate_limit") == 0)
    return SIM_ACCT_RATE;
  if (strcmp(sub, k->list) == 0)
    return SIM_ACCT_LIST;
  return -1;
}

int sim_acct_control(struct sim_accts *st, const char *sub,
                     const struct sim_req *req, struct sim_resp *resp) {
  int what = sim_acct_which(st->kind, sub);
  char err[SIM_ACCT_ERRTXT];
  struct sim_acct *s;
  int rc = 0;

  if (what < 0)
    return 0;
  if (sim_ctl_want(what == SIM_ACCT_LIST ? "GET" : "POST", req, resp))
    return 1;
  if (what == SIM_ACCT_LIST) {
    sim_acct_list(st, resp);
    return 1;
  }
  if (what == SIM_ACCT_APP || what == SIM_ACCT_PUT) {
    rc = (what == SIM_ACCT_APP ? sim_acct_put_app : sim_acct_put)(
        st, req->json, req->now_ms / 1000, err, sizeof err);
    if (rc)
      sim_ctl_error(resp, 400, "%s", err);
    else
      sim_ctl_ok(resp, NULL);
    return 1;
  }
  if (!(s = sim_acct_arg(st, req, resp)))
    return 1;
  if (what == SIM_ACCT_RATE) {
    sim_rate_set(&s->tok.rl, req, resp);
    return 1;
  }
  sim_tok_expire(&s->tok, req->now_ms / 1000);
  sim_ctl_ok(resp, NULL);
  return 1;
}

int sim_acct_seed(struct sim_accts *st, const cJSON *doc, char *err, size_t n) {
  const struct sim_ctl_seed lists[] = {
      {"apps", sim_acct_put_app},
      {st->kind->list, sim_acct_put},
  };

  return sim_ctl_seed_lists(st->kind->market, doc, lists, 2, st, err, n);
}

void sim_acct_clear(struct sim_accts *st) {
  const struct sim_acct_kind *kind = st->kind;
  size_t i;

  for (i = 0; i < st->napps; i++)
    free(st->apps[i].key), free(st->apps[i].secret);
  for (i = 0; i < st->n; i++) {
    struct sim_acct *s = &st->v[i];

    free(s->name), free(s->app_key), free(s->shop_id);
    sim_tok_free(&s->tok);
  }
  free(st->apps), free(st->v);
  memset(st, 0, sizeof *st);
  st->kind = kind;
}
