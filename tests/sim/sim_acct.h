/*
 * sim_acct.h — apps and text-named seller accounts, as Lazada and TikTok
 * Shop keep them (sim_lazada.c, sim_tiktok.c): an app is an app_key with its
 * secret; an account is a shop named by text (Lazada seller_id, TikTok
 * shop_cipher) that an app holds tokens for (sim_tok.h).
 *
 * Both platforms seed and control these the same way (tests/sim/README.md,
 * "Lazada" and "TikTok Shop"): /_sim/<market>/app, /<noun>, /expire_token,
 * /rate_limit and the listing, and the seed lists "apps" and "<noun>s".
 * What differs is named by a `struct sim_acct_kind`.
 */
#ifndef OCOP_SIM_ACCT_H
#define OCOP_SIM_ACCT_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim.h"
#include "sim_tok.h"

struct sim_app {
  char *key, *secret;
};

struct sim_acct {
  char *name;    /* seller_id or shop_cipher */
  char *app_key; /* the app that holds the tokens */
  char *shop_id; /* what webhooks name the shop by; NULL: the name */
  struct sim_tok tok;
};

/* What one marketplace calls things and how long tokens live. */
struct sim_acct_kind {
  const char *market;   /* "lazada": seed errors, unknown control calls */
  const char *name_key; /* the member naming an account: "seller_id" */
  const char *noun;     /* "seller": its control call and messages */
  const char *list;     /* "sellers": the seed list and the listing call */
  int64_t access_ttl, refresh_ttl; /* defaults, seconds */
  int64_t ttl_max;
  size_t key_max;   /* longest app key, secret or token */
  int with_shop_id; /* an account may carry a "shop_id" */
};

struct sim_accts {
  const struct sim_acct_kind *kind;
  struct sim_app *apps;
  struct sim_acct *v;
  size_t napps, cap_apps, n, cap;
};

struct sim_app *sim_acct_app_find(const struct sim_accts *st, const char *key);
struct sim_acct *sim_acct_find(const struct sim_accts *st, const char *name);
size_t sim_acct_index(const struct sim_accts *st, const struct sim_acct *a);

/* The account of that app whose live refresh token is `tok`, or NULL. */
struct sim_acct *sim_acct_by_refresh(const struct sim_accts *st,
                                     const char *tok, const char *app_key,
                                     int64_t now);

/* Sets info->shop to the name of an account that `tok` (NULL or "" for
 * none) is the current or previous access token of, or with `refresh` the
 * current or spent refresh token of: the first such account with `first`
 * (and only while info->shop is empty), else the last. */
void sim_acct_describe(const struct sim_accts *st, const char *tok, int refresh,
                       int first, struct sim_call_info *info);

/* The account the control body names by kind->name_key, or NULL after
 * answering 400 or 404. */
struct sim_acct *sim_acct_arg(const struct sim_accts *st,
                              const struct sim_req *req, struct sim_resp *resp);

/* For struct sim_order_ops (sim_orders.h): resolves the control API's
 * "shop" to a known account's name. */
int sim_acct_order_shop(const struct sim_accts *st, const cJSON *v, char *key,
                        size_t keylen, char *err, size_t n);

/* For struct sim_order_ops: a push to the account's shop is signed
 * HMAC-SHA256(app_secret, app_key + body), both platforms' webhook scheme
 * (docs/marketplaces/lazada.md, docs/marketplaces/tiktok.md); with `bad`
 * under a wrong key. -1 when the account or its app is not known. */
int sim_acct_push_sign(const struct sim_accts *st, const char *shop,
                       const char *body, size_t len, int bad, char *out);

/* Answers the account control calls; 0 when `sub` is none of them. */
int sim_acct_control(struct sim_accts *st, const char *sub,
                     const struct sim_req *req, struct sim_resp *resp);

/* Applies the marketplace's seed value ("apps" then the accounts). */
int sim_acct_seed(struct sim_accts *st, const cJSON *doc, char *err, size_t n);

/* Forgets every app and account. */
void sim_acct_clear(struct sim_accts *st);

#endif
