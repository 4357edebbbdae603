/* token.c — see token.h. */
#include "token.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "call.h"
#include "log.h"
#include "metrics.h"

#define MAX_BUSY 256
#define LEASE_S "120"

struct token_mgr {
  db_t *db;
  http_t *http;
  long long busy[MAX_BUSY];
  unsigned nbusy;
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
};

token_mgr_t *token_new(db_t *db, http_t *http) {
  token_mgr_t *tm = calloc(1, sizeof *tm);

  if (tm) {
    tm->db = db;
    tm->http = http;
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
  free(rf);
}

static void on_db_done(void *arg, PGresult *res, const char *err) {
  struct refresh *rf = arg;

  if (err)
    log_error("token", "cannot record the token outcome", "shop=%s err=%s", rf->shop_name, err);
  refresh_free(rf);
}

static void store(struct refresh *rf, const oc_token_result *r) {
  char shop[24], acc[32], ref[32];
  const char *params[5];
  long long acc_at = oc_expiry_to_unix(r->access_expires_at, rf->sent_s);

  snprintf(shop, sizeof shop, "%lld", rf->shop_id);
  snprintf(acc, sizeof acc, "%lld", acc_at);
  snprintf(ref, sizeof ref, "%lld",
           r->refresh_expires_at ? oc_expiry_to_unix(r->refresh_expires_at, rf->sent_s) : 0);
  params[0] = shop;
  params[1] = r->access_token;
  params[2] = r->refresh_token;
  params[3] = acc;
  params[4] = r->refresh_expires_at ? ref : NULL;
  metrics_token_refresh(rf->shop_name, "ok");
  log_info("token", "access token refreshed", "shop=%s valid_s=%lld", rf->shop_name,
           acc_at - (long long)time(NULL));
  db_query(rf->tm->db, "SELECT ocop_token_store($1, $2, $3, to_timestamp($4::bigint), "
                       "to_timestamp($5::bigint))",
           5, params, on_db_done, rf);
}

static void give_up(struct refresh *rf, const char *why) {
  char shop[24];
  const char *params[2] = {shop, why};

  snprintf(shop, sizeof shop, "%lld", rf->shop_id);
  metrics_token_refresh(rf->shop_name, "refused");
  metrics_reauth(rf->shop_name);
  log_error("token",
            "refresh token refused: the shop is paused until the seller authorises again; "
            "run `ocopctl shop authorize` for it",
            "shop=%s err=%s", rf->shop_name, why);
  db_query(rf->tm->db, "SELECT ocop_shop_needs_reauth($1, $2)", 2, params, on_db_done, rf);
}

/* The lease ends without a new pair: the next job that needs one asks again. */
static void end_refresh(struct refresh *rf) {
  char shop[24];
  const char *params[1] = {shop};

  snprintf(shop, sizeof shop, "%lld", rf->shop_id);
  metrics_token_refresh(rf->shop_name, "failed");
  db_query(rf->tm->db, "SELECT ocop_token_end_refresh($1)", 1, params, on_db_done, rf);
}

static void on_call(void *arg, call_result *res) {
  struct refresh *rf = arg;

  rf->sent_s = res->sent_s;
  if (!res->sent && res->verdict != CALL_OK) {
    log_error("token", "cannot build the token refresh", "shop=%s err=%s", rf->shop_name,
              res->message);
    end_refresh(rf);
    return;
  }
  switch (res->verdict) {
  case CALL_OK:
    store(rf, &res->r.token);
    return;
  case CALL_AUTH:
  case CALL_REJECTED:
    give_up(rf, res->message);
    return;
  default:
    log_warn("token", "token refresh failed; will try again", "shop=%s err=%s", rf->shop_name,
             res->message[0] ? res->message : "no token in the answer");
    end_refresh(rf);
    return;
  }
}

static void on_lease(void *arg, PGresult *res, const char *err) {
  struct refresh *rf = arg;
  struct call_env env = {rf->tm->http, NULL};
  struct call_req req;

  if (err || PQntuples(res) == 0) {
    /* Another worker refreshes it (or there is no refresh token yet). */
    if (err)
      log_warn("token", "cannot take the refresh lease", "shop=%s err=%s", rf->shop_name, err);
    refresh_free(rf);
    return;
  }
  rf->shop.refresh_token = strdup(PQgetvalue(res, 0, 0));
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
  call_start(&env, &req, on_call, rf);
}

static char *dup_or_empty(const char *s) { return strdup(s ? s : ""); }

void token_refresh(token_mgr_t *tm, const struct job *job) {
  struct refresh *rf;
  char shop[24];
  const char *params[2] = {shop, LEASE_S};
  size_t i;

  if (!job->hold.conn || token_refreshing(tm, job->shop_id) || tm->nbusy == MAX_BUSY ||
      !oc_supports(job->hold.conn, OC_OP_REFRESH_TOKEN))
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
