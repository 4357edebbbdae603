/* token.c — see token.h. */
#include "token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "call.h"
#include "log.h"
#include "metrics.h"
#include "ms.h"
#include "ratelimit.h"
#include "tokenkey.h"

#define MAX_BUSY 256
#define LEASE_S "120"

#define STORE_TRIES 10 /* about three minutes of a database away */

struct token_mgr {
  uv_loop_t *loop;
  db_t *db;
  http_t *http;
  ratelimit_t *rl; /* the shops' pauses, shared with their other calls */
  long long busy[MAX_BUSY];
  unsigned nbusy;
  struct {
    long long shop_id;
    uint64_t until; /* monotonic ms */
  } held[MAX_BUSY]; /* shops whose refresh was refused, until the next try */
  unsigned nheld;
};

/* One refresh: its own copies of the shop's identity, and references to
 * the connector generation and the secret it started with (a reload may
 * come meanwhile). */
struct refresh {
  token_mgr_t *tm;
  struct call_hold hold;
  long long shop_id;
  char *shop_name;
  oc_shop shop;
  oc_kv *opts;
  size_t nopts;
  long long sent_s;
  long long acc_at, ref_at;               /* the new pair's expiry (Unix s; ref_at 0: none) */
  char sealed[2][TSEAL_BLOB_MAX];         /* the new pair as stored */
  int store_tries;
  uv_timer_t timer;                       /* between store tries */
  int timer_on;
  char why[400];                          /* a refusal's reason */
  struct tseal_key key;                   /* the key that opened the refresh token */
  int have_key;                           /* (the new pair is sealed under it) */
};

token_mgr_t *token_new(uv_loop_t *loop, db_t *db, http_t *http, ratelimit_t *rl) {
  token_mgr_t *tm = calloc(1, sizeof *tm);

  if (tm) {
    tm->loop = loop;
    tm->db = db;
    tm->http = http;
    tm->rl = rl;
  }
  return tm;
}

void token_free(token_mgr_t *tm) { free(tm); }

int token_refreshing(const token_mgr_t *tm, long long shop_id) {
  unsigned i;

  for (i = 0; i < tm->nbusy; i++)
    if (tm->busy[i] == shop_id)
      return 1;
  return 0;
}

unsigned token_inflight(const token_mgr_t *tm) { return tm->nbusy; }

static void on_timer_closed(uv_handle_t *h) { free(h->data); }

static void refresh_free(struct refresh *rf) {
  size_t i;
  token_mgr_t *tm = rf->tm;

  for (i = 0; i < tm->nbusy; i++)
    if (tm->busy[i] == rf->shop_id) {
      tm->busy[i] = tm->busy[--tm->nbusy];
      break;
    }
  for (i = 0; i < rf->nopts; i++) {
    free((char *)rf->opts[i].key);
    free((char *)rf->opts[i].value);
  }
  free(rf->opts);
  call_hold_release(&rf->hold);
  free(rf->shop_name);
  free((char *)rf->shop.base_url);
  free((char *)rf->shop.app_key);
  free((char *)rf->shop.shop_id);
  if (rf->shop.refresh_token)
    explicit_bzero((char *)rf->shop.refresh_token, strlen(rf->shop.refresh_token));
  free((char *)rf->shop.refresh_token);
  explicit_bzero(rf->sealed, sizeof rf->sealed);
  tseal_key_wipe(&rf->key);
  if (rf->timer_on)
    uv_close((uv_handle_t *)&rf->timer, on_timer_closed); /* frees rf */
  else
    free(rf);
}

static void on_db_done(void *arg, PGresult *res, const char *err) {
  struct refresh *rf = arg;

  (void)res;
  if (err)
    log_error("token", "cannot record the token outcome", "shop=%s err=%s", rf->shop_name, err);
  refresh_free(rf);
}

static void send_store(struct refresh *rf);

static void on_store_timer(uv_timer_t *t) { send_store(t->data); }

/* The marketplace has rotated the pair: losing it loses the shop, so a
 * store that fails (the database away) is tried again for a while. */
static void on_stored(void *arg, PGresult *res, const char *err) {
  struct refresh *rf = arg;
  uint64_t wait_ms;

  (void)res;
  if (!err) {
    metrics_token_refresh(rf->shop_name, "ok");
    log_info("token", "access token refreshed", "shop=%s valid_s=%lld", rf->shop_name,
             rf->acc_at - (long long)time(NULL));
    refresh_free(rf);
    return;
  }
  if (++rf->store_tries >= STORE_TRIES || strcmp(err, "shutting down") == 0) {
    metrics_token_refresh(rf->shop_name, "failed");
    log_error("token",
              "the refreshed token pair was not stored and the marketplace has rotated it: "
              "if the shop's calls are refused, run `ocopctl shop authorize` for it",
              "shop=%s err=%s", rf->shop_name, err);
    refresh_free(rf);
    return;
  }
  wait_ms = 1000ull << (rf->store_tries < 5 ? rf->store_tries : 5);
  log_warn("token", "cannot store the refreshed token pair yet; trying again",
           "shop=%s try=%d wait_ms=%llu err=%s", rf->shop_name, rf->store_tries,
           (unsigned long long)wait_ms, err);
  if (!rf->timer_on) {
    uv_timer_init(rf->tm->loop, &rf->timer);
    rf->timer.data = rf;
    rf->timer_on = 1;
  }
  uv_timer_start(&rf->timer, on_store_timer, wait_ms, 0);
}

static void send_store(struct refresh *rf) {
  char shop[24], acc[32], ref[32];
  const char *params[5];

  snprintf(shop, sizeof shop, "%lld", rf->shop_id);
  snprintf(acc, sizeof acc, "%lld", rf->acc_at);
  snprintf(ref, sizeof ref, "%lld", rf->ref_at);
  params[0] = shop;
  params[1] = rf->sealed[0];
  params[2] = rf->sealed[1];
  params[3] = acc;
  params[4] = rf->ref_at ? ref : NULL;
  if (db_query(rf->tm->db, "SELECT ocop_token_store($1, $2, $3, to_timestamp($4::bigint), "
                           "to_timestamp($5::bigint))",
               5, params, on_stored, rf) != 0)
    on_stored(rf, NULL, "shutting down");
}

/* Seals the new pair under the key that opened the old refresh token, so
 * that a key file swapped meanwhile cannot split a shop's tokens (a token
 * in clear only when sealing itself fails: a lost refresh token loses the
 * shop, a clear one is sealed at the next start). */
static void seal_pair(struct refresh *rf, const oc_token_result *r) {
  const char *clear[2] = {r->access_token, r->refresh_token};
  static const char *const column[2] = {"access_token", "refresh_token"};
  char err[256];
  int i;

  for (i = 0; i < 2; i++)
    if ((rf->have_key ? tseal_seal(&rf->key, rf->shop_id, column[i], clear[i], rf->sealed[i],
                                   sizeof rf->sealed[i], err, sizeof err)
                      : tkey_seal(rf->shop_id, column[i], clear[i], rf->sealed[i],
                                  sizeof rf->sealed[i], err, sizeof err)) != 0) {
      log_error("token", "cannot seal the refreshed token; stored in clear until the next start",
                "shop=%s err=%s", rf->shop_name, err);
      snprintf(rf->sealed[i], sizeof rf->sealed[i], "%s", clear[i]);
    }
}

/* Right after the answer, nothing in between: the marketplace has already
 * retired the refresh token this refresh sent. */
static void store(struct refresh *rf, const oc_token_result *r) {
  rf->acc_at = oc_expiry_to_unix(r->access_expires_at, rf->sent_s);
  rf->ref_at = r->refresh_expires_at ? oc_expiry_to_unix(r->refresh_expires_at, rf->sent_s) : 0;
  seal_pair(rf, r);
  send_store(rf);
}

/* The shop's calls wait until `until` (monotonic ms): a refused refresh is
 * asked again only then, and until then every call would be refused. */
static void hold_back(token_mgr_t *tm, long long shop_id, uint64_t until) {
  uint64_t now = ms_mono();
  unsigned i, slot = tm->nheld;

  for (i = 0; i < tm->nheld; i++)
    if (tm->held[i].shop_id == shop_id) {
      slot = i;
      break;
    }
  for (i = 0; slot == tm->nheld && i < tm->nheld; i++)
    if (tm->held[i].until <= now)
      slot = i;
  if (slot == MAX_BUSY)
    return;
  if (slot == tm->nheld)
    tm->nheld++;
  tm->held[slot].shop_id = shop_id;
  tm->held[slot].until = until;
}

uint64_t token_wait_ms(const token_mgr_t *tm, long long shop_id) {
  uint64_t now = ms_mono();
  unsigned i;

  for (i = 0; i < tm->nheld; i++)
    if (tm->held[i].shop_id == shop_id && tm->held[i].until > now)
      return tm->held[i].until - now;
  return 0;
}

static void on_refused(void *arg, PGresult *res, const char *err) {
  struct refresh *rf = arg;
  long long wait_s = 0;

  if (err) {
    log_error("token", "cannot record the token outcome", "shop=%s err=%s", rf->shop_name, err);
  } else if (PQntuples(res) == 1 && (wait_s = strtoll(PQgetvalue(res, 0, 0), NULL, 10)) == 0) {
    metrics_reauth(rf->shop_name);
    log_error("token",
              "refresh token refused again: the shop is paused until the seller authorises "
              "again; run `ocopctl shop authorize` for it",
              "shop=%s refusals=%d err=%s", rf->shop_name, TOKEN_REFUSALS_MAX, rf->why);
  } else {
    hold_back(rf->tm, rf->shop_id, ms_mono() + (uint64_t)wait_s * 1000);
    log_warn("token", "token refresh refused; trying again before pausing the shop",
             "shop=%s wait_s=%lld err=%s", rf->shop_name, wait_s, rf->why);
  }
  refresh_free(rf);
}

/* A refusal may be the marketplace's passing fault: the shop stops only
 * after TOKEN_REFUSALS_MAX in a row (sql/logic/token.sql). */
static void refused(struct refresh *rf, const char *why) {
  char shop[24], max[12], wait[12];
  const char *params[4] = {shop, why, max, wait};

  snprintf(shop, sizeof shop, "%lld", rf->shop_id);
  snprintf(max, sizeof max, "%d", TOKEN_REFUSALS_MAX);
  snprintf(wait, sizeof wait, "%d", TOKEN_REFUSED_WAIT_S);
  snprintf(rf->why, sizeof rf->why, "%s", why);
  metrics_token_refresh(rf->shop_name, "refused");
  db_query(rf->tm->db, "SELECT ocop_token_refused($1, $2, $3::integer, $4::integer)", 4, params,
           on_refused, rf);
}

/* The lease ends without a new pair: the next job that needs one asks again. */
static void release_lease(struct refresh *rf) {
  char shop[24];
  const char *params[1] = {shop};

  snprintf(shop, sizeof shop, "%lld", rf->shop_id);
  db_query(rf->tm->db, "SELECT ocop_token_end_refresh($1)", 1, params, on_db_done, rf);
}

static void end_refresh(struct refresh *rf) {
  metrics_token_refresh(rf->shop_name, "failed");
  release_lease(rf);
}

/* Not a failure: the marketplace asked the shop to wait, and the next job
 * that needs a refresh after the wait asks again. */
static void put_off(struct refresh *rf, const call_result *res) {
  log_info("token", "token refresh waits for the marketplace's Retry-After", "shop=%s wait_ms=%ld",
           rf->shop_name, res->retry_after_ms);
  release_lease(rf);
}

static void on_call(void *arg, call_result *res) {
  struct refresh *rf = arg;

  rf->sent_s = res->sent_s;
  if (res->verdict == CALL_OK) {
    store(rf, &res->r.token);
    return;
  }
  if (res->verdict == CALL_DEFERRED) {
    put_off(rf, res);
    return;
  }
  if (!res->sent) {
    log_error("token", "cannot build the token refresh", "shop=%s err=%s", rf->shop_name,
              res->message);
    end_refresh(rf);
    return;
  }
  switch (res->verdict) {
  case CALL_AUTH:
  case CALL_REJECTED:
    refused(rf, res->message);
    return;
  default:
    log_warn("token", "token refresh failed; will try again", "shop=%s err=%s", rf->shop_name,
             res->message[0] ? res->message : "no token in the answer");
    end_refresh(rf);
    return;
  }
}

/* A shop's refresh keeps the pause a Retry-After set on any of its calls
 * (daemon/pace.c), before it starts and as it leaves, and its own 429
 * pauses all of them: a marketplace that asked for quiet gets it. The
 * refresh takes nothing from the shop's rate: it is one call in hours. */
static uint64_t paused(void *arg, const struct call_req *req) {
  const struct refresh *rf = arg;

  (void)req;
  return rl_paused_ms(rf->tm->rl, rf->shop_id, ms_mono());
}

static uint64_t rate_take(void *arg, const struct call_req *req, char *why, size_t len) {
  uint64_t ms = paused(arg, req);

  if (ms > 0)
    snprintf(why, len, "the marketplace asked to wait (Retry-After)");
  return ms;
}

static void rate_pause(void *arg, const struct call_req *req, uint64_t ms) {
  const struct refresh *rf = arg;

  (void)req;
  rl_pause(rf->tm->rl, rf->shop_id, ms_mono() + ms);
}

static const struct call_hooks refresh_hooks = {rate_take, rate_pause, NULL, NULL, paused};

static void on_lease(void *arg, PGresult *res, const char *err) {
  struct refresh *rf = arg;
  struct call_env env = {rf->tm->http, &refresh_hooks};
  struct call_req req;
  char clear[TSEAL_TOKEN_MAX], why[512];
  const struct tseal_key *key;

  if (err || PQntuples(res) == 0) {
    /* Another worker refreshes it (or there is no refresh token yet). */
    if (err)
      log_warn("token", "cannot take the refresh lease", "shop=%s err=%s", rf->shop_name, err);
    refresh_free(rf);
    return;
  }
  if (tkey_open(rf->shop_id, rf->shop_name, "refresh_token", PQgetvalue(res, 0, 0), clear,
                sizeof clear, why, sizeof why) != 0) {
    log_error("token", "the refresh token does not open; not refreshed", "err=%s", why);
    end_refresh(rf);
    return;
  }
  rf->shop.refresh_token = strdup(clear);
  explicit_bzero(clear, sizeof clear);
  if (tseal_is_sealed(PQgetvalue(res, 0, 0)) && (key = tkey_get(why, sizeof why)) != NULL) {
    rf->key = *key; /* the key held now is the one that just opened it */
    rf->have_key = 1;
  }
  if (!rf->shop.refresh_token) {
    log_error("token", "cannot build the token refresh", "shop=%s err=%s", rf->shop_name,
              "out of memory");
    end_refresh(rf);
    return;
  }
  memset(&req, 0, sizeof req);
  req.op = OC_OP_REFRESH_TOKEN;
  req.hold = &rf->hold;
  req.shop = &rf->shop;
  req.shop_name = rf->shop_name;
  req.job_id = -1;
  req.hook_arg = rf;
  call_start(&env, &req, on_call, rf);
}

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

void token_refresh(token_mgr_t *tm, const struct job *job) {
  struct refresh *rf;
  char shop[24];
  const char *params[2] = {shop, LEASE_S};
  size_t i;

  if (!job->hold.conn || token_refreshing(tm, job->shop_id) || tm->nbusy == MAX_BUSY ||
      !oc_supports(job->hold.conn, OC_OP_REFRESH_TOKEN) ||
      rl_paused_ms(tm->rl, job->shop_id, ms_mono()) > 0)
    return;
  rf = calloc(1, sizeof *rf);
  if (!rf)
    return;
  rf->tm = tm;
  call_hold_copy(&rf->hold, &job->hold);
  rf->shop_id = job->shop_id;
  rf->shop_name = dup_or_empty(job->shop_name);
  rf->shop.base_url = dup_or_empty(job->shop.base_url);
  rf->shop.app_key = dup_or_empty(job->shop.app_key);
  rf->shop.shop_id = dup_or_empty(job->shop.shop_id);
  rf->opts = calloc(job->nopts + 1, sizeof *rf->opts);
  for (i = 0; rf->opts && i < job->nopts; i++) {
    rf->opts[i].key = strdup(job->opts[i].key);
    rf->opts[i].value = strdup(job->opts[i].value);
    rf->nopts++;
  }
  rf->shop.opts = rf->opts;
  rf->shop.nopts = rf->nopts;
  tm->busy[tm->nbusy++] = job->shop_id;
  snprintf(shop, sizeof shop, "%lld", job->shop_id);
  log_info("token", "refreshing the access token", "shop=%s", job->shop_name);
  if (db_query(tm->db, "SELECT * FROM ocop_token_begin_refresh($1, $2::integer)", 2, params, on_lease,
               rf) != 0)
    refresh_free(rf);
}
