/*
 * ctl_authorize.c — `ocopctl shop authorize`: the marketplace's authorisation
 * link, and the exchange of the code the seller brings back for tokens.
 *
 *   shop authorize NAME --redirect URL  prints the link to show the seller
 *   shop authorize NAME --code CODE     exchanges the code, stores the pair
 *
 * The connector is loaded with ocopd's registry (--connector-dir, default
 * PKGLIBDIR) and the shop's secret with ocopd's secret reader
 * (--credentials-dir, else $CREDENTIALS_DIRECTORY): secrets never come from
 * the database or the config file. Both go through ocopd's call path
 * (lib/call.h); the exchange is sent with lib/http.c on a loop of its own,
 * run to completion, with TLS verification on and a 30 s budget. The pair is stored with ocop_token_store in one
 * transaction that also resumes a shop in needs_reauth. Nothing printed
 * holds a token or a secret.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "call.h"
#include "connector.h"
#include "ctl_token.h"
#include "http.h"
#include "log.h"
#include "ocopctl.h"
#include "registry.h"
#include "secret.h"
#include "tokenkey.h"

#ifndef PKGLIBDIR
#define PKGLIBDIR "/usr/local/lib/ocopd"
#endif

#define AUTH_TIMEOUT_MS 30000L

struct auth_args {
  const char *name, *redirect, *code, *connector_dir, *credentials_dir;
};

/* What the database knows of the shop; strings owned by `res`. */
struct auth_shop {
  PGresult *res;
  const char *id, *marketplace;
  oc_shop shop;
  oc_kv *opts;
  char (*nums)[32];
};

static int parse_args(struct auth_args *a, int argc, char **argv) {
  int i;

  memset(a, 0, sizeof *a);
  a->name = argv[2];
  a->connector_dir = PKGLIBDIR;
  for (i = 3; i < argc; i += 2) {
    const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

    if (!val) {
      fprintf(stderr, "ocopctl: shop: %s needs a value\n", opt);
      return -1;
    }
    if (strcmp(opt, "--redirect") == 0) a->redirect = val;
    else if (strcmp(opt, "--code") == 0) a->code = val;
    else if (strcmp(opt, "--connector-dir") == 0) a->connector_dir = val;
    else if (strcmp(opt, "--credentials-dir") == 0) a->credentials_dir = val;
    else {
      fprintf(stderr, "ocopctl: shop: unknown option %s\n", opt);
      return -1;
    }
  }
  if ((a->redirect != NULL) == (a->code != NULL)) {
    fprintf(stderr, "ocopctl: shop: authorize needs either --redirect URL (print the link) "
                    "or --code CODE (exchange the code)\n");
    return -1;
  }
  if ((a->code && !*a->code) || (a->redirect && !*a->redirect)) {
    fprintf(stderr, "ocopctl: shop: authorize: empty %s\n", a->code ? "--code" : "--redirect");
    return -1;
  }
  return 0;
}

/* Loads the shop row and its options (flat JSON; numbers become text, as in
 * daemon/job.c). 0, or -1 after printing why. */
static int load_shop(PGconn *conn, const char *name, struct auth_shop *s) {
  const char *params[1] = {name};
  cJSON *root = NULL, *it;
  size_t n = 0;
  int rc = -1;

  s->res = PQexecParams(conn,
                        "SELECT id, marketplace, mp_shop_id, base_url, app_key, options::text "
                        "FROM shop WHERE name = $1",
                        1, NULL, params, NULL, NULL, 0);
  if (PQresultStatus(s->res) != PGRES_TUPLES_OK) {
    fprintf(stderr, "ocopctl: shop: cannot read the shop: %s", PQresultErrorMessage(s->res));
    return -1;
  }
  if (PQntuples(s->res) == 0) {
    fprintf(stderr, "ocopctl: shop: no shop named \"%s\"\n", name);
    return -1;
  }
  s->id = PQgetvalue(s->res, 0, 0);
  s->marketplace = PQgetvalue(s->res, 0, 1);
  s->shop.shop_id = PQgetvalue(s->res, 0, 2);
  s->shop.base_url = PQgetvalue(s->res, 0, 3);
  s->shop.app_key = PQgetvalue(s->res, 0, 4);
  root = cJSON_Parse(PQgetisnull(s->res, 0, 5) ? "{}" : PQgetvalue(s->res, 0, 5));
  if (!cJSON_IsObject(root)) {
    fprintf(stderr, "ocopctl: shop: the options of shop \"%s\" are not a JSON object\n", name);
    goto out;
  }
  s->opts = calloc((size_t)cJSON_GetArraySize(root) + 1, sizeof *s->opts);
  s->nums = calloc((size_t)cJSON_GetArraySize(root) + 1, sizeof *s->nums);
  if (!s->opts || !s->nums) {
    fprintf(stderr, "ocopctl: shop: out of memory\n");
    goto out;
  }
  cJSON_ArrayForEach(it, root) {
    const char *v = NULL;

    if (cJSON_IsString(it))
      v = it->valuestring;
    else if (cJSON_IsNumber(it) &&
             snprintf(s->nums[n], sizeof s->nums[n], "%.0f", it->valuedouble) > 0)
      v = s->nums[n];
    if (!v)
      continue;
    s->opts[n].key = strdup(it->string);
    s->opts[n].value = strdup(v);
    if (!s->opts[n].key || !s->opts[n].value) {
      free((char *)s->opts[n].key);
      free((char *)s->opts[n].value);
      fprintf(stderr, "ocopctl: shop: out of memory\n");
      goto out;
    }
    n++;
  }
  rc = 0;
out:
  s->shop.opts = s->opts;
  s->shop.nopts = n;
  cJSON_Delete(root);
  return rc;
}

static void free_shop(struct auth_shop *s) {
  size_t i;

  for (i = 0; s->opts && i < s->shop.nopts; i++) {
    free((char *)s->opts[i].key);
    free((char *)s->opts[i].value);
  }
  free(s->opts);
  free(s->nums);
  PQclear(s->res);
}

/* ---- the call, on a loop of its own ---------------------------------------- */

/* What the call said; the token pair in it is wiped by auth_call_end(). */
struct auth_call {
  call_result res;
};

static void on_call(void *arg, call_result *res) {
  struct auth_call *ac = arg;

  ac->res = *res;
  res->link = NULL; /* ours now */
}

static void auth_call_end(struct auth_call *ac) {
  if (ac->res.link)
    explicit_bzero(ac->res.link, strlen(ac->res.link));
  free(ac->res.link);
  explicit_bzero(&ac->res, sizeof ac->res);
}

/* Runs one call to its end: the stages in lib/call.c, and when something is
 * sent, lib/http.c on a private loop until the answer is classified and
 * every handle is closed. -1 (printed) only when the loop cannot start. */
static int run_call(oc_op op, struct call_hold *hold, struct auth_shop *s,
                    const struct auth_args *a, struct auth_call *ac) {
  struct http_options ho;
  struct call_env env;
  struct call_req req;
  uv_loop_t loop;

  memset(&ho, 0, sizeof ho);
  ho.connect_timeout_ms = AUTH_TIMEOUT_MS;
  ho.timeout_ms = AUTH_TIMEOUT_MS;
  ho.user_agent = "ocopctl";
  memset(&req, 0, sizeof req);
  req.op = op;
  req.hold = hold;
  req.shop = &s->shop;
  req.shop_name = a->name;
  req.cred_dir = secret_dir(a->credentials_dir);
  req.job_id = -1;
  if (uv_loop_init(&loop) != 0) {
    fprintf(stderr, "ocopctl: shop: cannot start the event loop\n");
    return -1;
  }
  env.http = http_new(&loop, &ho);
  if (!env.http) {
    uv_loop_close(&loop);
    fprintf(stderr, "ocopctl: shop: cannot start curl\n");
    return -1;
  }
  env.hooks = NULL; /* no rate limiter, no token provider: one call */
  call_start(&env, &req, on_call, ac);
  uv_run(&loop, UV_RUN_DEFAULT);
  http_close(env.http, NULL, NULL);
  uv_run(&loop, UV_RUN_DEFAULT);
  uv_loop_close(&loop);
  return 0;
}

/* A call that ended before the marketplace answered: what to print. */
static void print_unsent(const struct auth_call *ac, const char *building,
                         const struct auth_shop *s) {
  const call_result *r = &ac->res;

  if (r->verdict == CALL_BAD_INPUT)
    fprintf(stderr, "ocopctl: shop: cannot build the %s: %s\n", building, r->message);
  else if (r->fail != HTTP_FAIL_NONE || r->verdict == CALL_SHUTDOWN)
    fprintf(stderr, "ocopctl: shop: code exchange with %s failed: %s\n", s->shop.base_url,
            r->fail == HTTP_FAIL_TOO_LARGE ? "the answer is larger than the limit" : r->message);
  else
    fprintf(stderr, "ocopctl: shop: %s\n", r->message);
}

/* ---- storing the pair ----------------------------------------------------- */

static int exec_ok(PGconn *conn, const char *sql, int n, const char *const *params) {
  PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus(r);
  int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

  if (!ok)
    fprintf(stderr, "ocopctl: shop: cannot store the tokens: %s", PQresultErrorMessage(r));
  PQclear(r);
  return ok ? 0 : -1;
}

/* The pair is sealed (lib/tokenkey.h) before it is stored. */
static int store_tokens(PGconn *conn, const char *shop_id, const oc_token_result *r,
                        long long access_at, long long refresh_at) {
  char acc[32], ref[32], sealed[2][TSEAL_BLOB_MAX];
  const char *params[5];

  if (ctl_token_seal("shop", NULL, strtoll(shop_id, NULL, 10), r->access_token, r->refresh_token,
                     sealed[0], sealed[1]) != CTL_OK)
    return -1;
  snprintf(acc, sizeof acc, "%lld", access_at);
  snprintf(ref, sizeof ref, "%lld", refresh_at);
  params[0] = shop_id;
  params[1] = sealed[0];
  params[2] = sealed[1];
  params[3] = acc;
  params[4] = refresh_at ? ref : NULL;
  if (exec_ok(conn, "BEGIN", 0, NULL) != 0)
    return -1;
  /* The first authorisation of a shop has no token row yet. */
  if (exec_ok(conn, "INSERT INTO token (shop_id) VALUES ($1::bigint) ON CONFLICT DO NOTHING", 1,
              params) != 0 ||
      exec_ok(conn, "SELECT ocop_token_store($1, $2, $3, to_timestamp($4::bigint), "
                    "to_timestamp($5::bigint))",
              5, params) != 0 ||
      /* A shop waiting for re-authorisation resumes, with its jobs
       * (sql/logic/operate.sql). */
      exec_ok(conn, "SELECT ocop_shop_tokens_stored($1::bigint)", 1, params) != 0 ||
      exec_ok(conn, "COMMIT", 0, NULL) != 0) {
    PQclear(PQexec(conn, "ROLLBACK"));
    return -1;
  }
  return 0;
}

/* ---- the command ------------------------------------------------------------ */

static int print_link(struct call_hold *hold, struct auth_shop *s, const struct auth_args *a) {
  struct auth_call ac;
  int rc = CTL_FAIL;

  memset(&ac, 0, sizeof ac);
  s->shop.redirect_url = a->redirect;
  if (run_call(OC_OP_AUTH_LINK, hold, s, a, &ac) != 0)
    return CTL_FAIL;
  if (ac.res.verdict != CALL_OK || !ac.res.link) {
    print_unsent(&ac, "authorisation link", s);
    goto out;
  }
  printf("%s\n", ac.res.link);
  fprintf(stderr, "ocopctl: shop: open this link as the seller of %s; then run "
                  "`ocopctl shop authorize %s --code CODE` with the code it returns\n",
          a->name, a->name);
  rc = CTL_OK;
out:
  auth_call_end(&ac);
  return rc;
}

/* The marketplace answered the exchange without a token pair. */
static void print_refused(const struct auth_shop *s, const call_result *r) {
  int later = r->verdict == CALL_RETRY || r->verdict == CALL_RATE_LIMITED;

  fprintf(stderr, "ocopctl: shop: %s refused the code%s: %s\n", s->marketplace,
          later ? " for now (try again)"
                : " (it is single use and short-lived: authorise again for a new one)",
          r->message[0] ? r->message : "no token in the answer");
}

static int exchange(PGconn *conn, struct call_hold *hold, struct auth_shop *s,
                    const struct auth_args *a) {
  struct auth_call ac;
  const oc_token_result *t = &ac.res.r.token;
  char until[64] = "?", why[512];
  long long acc_at, ref_at;
  time_t tt;
  struct tm tm;
  int rc = CTL_FAIL;

  memset(&ac, 0, sizeof ac);
  s->shop.auth_code = a->code;
  /* The code is single use: no exchange without the key to seal its pair. */
  tkey_set_dir(secret_dir(a->credentials_dir));
  if (!tkey_get(why, sizeof why)) {
    fprintf(stderr, "ocopctl: shop: %s\n", why);
    return CTL_FAIL;
  }
  if (run_call(OC_OP_TOKEN_EXCHANGE, hold, s, a, &ac) != 0)
    return CTL_FAIL;
  if (!ac.res.sent || (ac.res.fail != HTTP_FAIL_NONE && ac.res.verdict != CALL_OK)) {
    print_unsent(&ac, "code exchange", s);
    goto out;
  }
  if (ac.res.verdict != CALL_OK) {
    print_refused(s, &ac.res);
    goto out;
  }
  acc_at = oc_expiry_to_unix(t->access_expires_at, ac.res.sent_s);
  ref_at = t->refresh_expires_at ? oc_expiry_to_unix(t->refresh_expires_at, ac.res.sent_s) : 0;
  if (store_tokens(conn, s->id, t, acc_at, ref_at) != 0)
    goto out;
  tt = (time_t)acc_at;
  if (gmtime_r(&tt, &tm))
    strftime(until, sizeof until, "%Y-%m-%d %H:%M:%S UTC", &tm);
  printf("tokens stored for shop %s (access valid until %s)\n", a->name, until);
  rc = CTL_OK;
out:
  auth_call_end(&ac);
  return rc;
}

int ctl_shop_authorize(struct ctl *ctl, int argc, char **argv) {
  struct auth_args a;
  struct auth_shop s;
  struct call_hold hold;
  struct registry *reg = NULL;
  PGconn *conn;
  int rc = CTL_FAIL, bad = 0;

  if (parse_args(&a, argc, argv) != 0)
    return ctl_usage("shop");
  memset(&s, 0, sizeof s);
  memset(&hold, 0, sizeof hold);
  conn = ctl_connect(ctl, "shop");
  if (!conn || load_shop(conn, a.name, &s) != 0)
    goto out;
  log_set_level(LOG_WARN); /* the registry's "connector loaded" lines are noise here */
  reg = registry_load(a.connector_dir, &bad);
  if (!reg) {
    fprintf(stderr, "ocopctl: shop: out of memory\n");
    goto out;
  }
  if (call_hold_connector(&hold, reg, s.marketplace) != 0) {
    fprintf(stderr, "ocopctl: shop: no connector for marketplace \"%s\" in %s\n", s.marketplace,
            a.connector_dir);
    goto out;
  }
  if (!oc_supports(hold.conn, a.code ? OC_OP_TOKEN_EXCHANGE : OC_OP_AUTH_LINK)) {
    fprintf(stderr, "ocopctl: shop: the %s connector cannot %s\n", hold.conn->name,
            a.code ? "exchange an authorisation code" : "build an authorisation link");
    goto out;
  }
  rc = a.code ? exchange(conn, &hold, &s, &a) : print_link(&hold, &s, &a);
out:
  call_hold_release(&hold);
  secret_forget();
  free_shop(&s);
  registry_unref(reg);
  return rc;
}
