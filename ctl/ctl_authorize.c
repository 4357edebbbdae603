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
 * the database or the config file. The exchange is one blocking libcurl call
 * with TLS verification on. The pair is stored with ocop_token_store in one
 * transaction that also resumes a shop in needs_reauth. Nothing printed
 * holds a token or a secret.
 */
#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "connector.h"
#include "log.h"
#include "ocopctl.h"
#include "registry.h"
#include "secret.h"

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

/* ---- the exchange over HTTP --------------------------------------------- */

struct body {
  char *data;
  size_t len;
  int too_big;
};

static size_t on_write(char *ptr, size_t size, size_t nmemb, void *arg) {
  struct body *b = arg;
  size_t n = size * nmemb;
  char *p;

  if (n > OC_MAX_RESPONSE - b->len) {
    b->too_big = 1;
    return 0; /* aborts the transfer */
  }
  p = realloc(b->data, b->len + n + 1);
  if (!p)
    return 0;
  memcpy(p + b->len, ptr, n);
  b->data = p;
  b->len += n;
  p[b->len] = '\0';
  return n;
}

/* Sends req; *status is the HTTP status, 0 when no answer came. Returns 0,
 * or -1 with a reason in err (never the URL: it may hold a secret). */
static int send_request(const oc_request *req, long *status, struct body *b, char *err,
                        size_t errlen) {
  CURL *e = curl_easy_init();
  struct curl_slist *hdrs = NULL, *t;
  CURLcode rc;
  int i;

  *status = 0;
  if (!e) {
    snprintf(err, errlen, "cannot start curl");
    return -1;
  }
  for (i = 0; i < req->nheaders; i++) {
    t = curl_slist_append(hdrs, req->headers[i]);
    if (!t) {
      rc = CURLE_OUT_OF_MEMORY;
      goto out;
    }
    hdrs = t;
  }
  if ((rc = curl_easy_setopt(e, CURLOPT_URL, req->url)) != CURLE_OK ||
      (rc = curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L)) != CURLE_OK ||
      (rc = curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https")) != CURLE_OK ||
      (rc = curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L)) != CURLE_OK ||
      (rc = curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L)) != CURLE_OK ||
      (rc = curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L)) != CURLE_OK ||
      (rc = curl_easy_setopt(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2)) != CURLE_OK ||
      (rc = curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, AUTH_TIMEOUT_MS)) != CURLE_OK ||
      (rc = curl_easy_setopt(e, CURLOPT_USERAGENT, "ocopctl")) != CURLE_OK ||
      (rc = curl_easy_setopt(e, CURLOPT_HTTPHEADER, hdrs)) != CURLE_OK ||
      (rc = curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write)) != CURLE_OK ||
      (rc = curl_easy_setopt(e, CURLOPT_WRITEDATA, (void *)b)) != CURLE_OK)
    goto out;
  if (strcmp(req->method, "GET") == 0 && req->body == NULL) {
    rc = curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
  } else {
    if (strcmp(req->method, "POST") != 0 &&
        (rc = curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, req->method)) != CURLE_OK)
      goto out;
    if ((rc = curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE,
                               (curl_off_t)(req->body ? req->body_len : 0))) == CURLE_OK)
      rc = curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, req->body ? req->body : "");
  }
  if (rc != CURLE_OK)
    goto out;
  rc = curl_easy_perform(e);
  if (rc == CURLE_OK)
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, status);
out:
  if (rc != CURLE_OK)
    snprintf(err, errlen, "%s", b->too_big ? "the answer is larger than the limit"
                                           : curl_easy_strerror(rc));
  curl_slist_free_all(hdrs);
  curl_easy_cleanup(e);
  return rc == CURLE_OK ? 0 : -1;
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

static int store_tokens(PGconn *conn, const char *shop_id, const oc_result *r,
                        long long access_at, long long refresh_at) {
  char acc[32], ref[32];
  const char *params[5];

  snprintf(acc, sizeof acc, "%lld", access_at);
  snprintf(ref, sizeof ref, "%lld", refresh_at);
  params[0] = shop_id;
  params[1] = r->access_token;
  params[2] = r->refresh_token;
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
      exec_ok(conn, "UPDATE shop SET status = 'active', updated_at = now() "
                    "WHERE id = $1::bigint AND status = 'needs_reauth'",
              1, params) != 0 ||
      exec_ok(conn, "COMMIT", 0, NULL) != 0) {
    PQclear(PQexec(conn, "ROLLBACK"));
    return -1;
  }
  return 0;
}

/* ---- the command ------------------------------------------------------------ */

static int print_link(const oc_connector *c, struct auth_shop *s, const struct auth_args *a) {
  oc_request req;
  char why[256] = "";

  memset(&req, 0, sizeof req);
  s->shop.redirect_url = a->redirect;
  if (c->build(OC_OP_AUTH_LINK, &s->shop, NULL, (int64_t)time(NULL) * 1000, &req, why,
               sizeof why) != 0) {
    fprintf(stderr, "ocopctl: shop: cannot build the authorisation link: %s\n", why);
    return CTL_FAIL;
  }
  printf("%s\n", req.url);
  fprintf(stderr, "ocopctl: shop: open this link as the seller of %s; then run "
                  "`ocopctl shop authorize %s --code CODE` with the code it returns\n",
          a->name, a->name);
  oc_request_free(&req);
  return CTL_OK;
}

static int exchange(PGconn *conn, const oc_connector *c, struct auth_shop *s,
                    const struct auth_args *a) {
  oc_request req;
  oc_result r;
  struct body b = {NULL, 0, 0};
  char why[256] = "", until[64] = "?";
  long status;
  long long sent_s, acc_at, ref_at;
  time_t tt;
  struct tm tm;
  int rc = CTL_FAIL;

  memset(&req, 0, sizeof req);
  memset(&r, 0, sizeof r);
  s->shop.auth_code = a->code;
  sent_s = (long long)time(NULL);
  if (c->build(OC_OP_TOKEN_EXCHANGE, &s->shop, NULL, sent_s * 1000, &req, why, sizeof why) !=
      0) {
    fprintf(stderr, "ocopctl: shop: cannot build the code exchange: %s\n", why);
    return CTL_FAIL;
  }
  if (send_request(&req, &status, &b, why, sizeof why) != 0) {
    fprintf(stderr, "ocopctl: shop: code exchange with %s failed: %s\n", req.log_url, why);
    goto out;
  }
  c->parse(OC_OP_TOKEN_EXCHANGE, &s->shop, NULL, status, b.data ? b.data : "", b.len, &r);
  if (r.status != OC_OK || !r.access_token[0]) {
    fprintf(stderr, "ocopctl: shop: %s refused the code%s: %s\n", s->marketplace,
            r.status == OC_RETRY ? " for now (try again)" : " (it is single use and short-lived: "
                                                            "authorise again for a new one)",
            r.error[0] ? r.error : "no token in the answer");
    goto out;
  }
  acc_at = oc_expiry_to_unix(r.access_expires_at, sent_s);
  ref_at = r.refresh_expires_at ? oc_expiry_to_unix(r.refresh_expires_at, sent_s) : 0;
  if (store_tokens(conn, s->id, &r, acc_at, ref_at) != 0)
    goto out;
  tt = (time_t)acc_at;
  if (gmtime_r(&tt, &tm))
    strftime(until, sizeof until, "%Y-%m-%d %H:%M:%S UTC", &tm);
  printf("tokens stored for shop %s (access valid until %s)\n", a->name, until);
  rc = CTL_OK;
out:
  if (b.data) {
    explicit_bzero(b.data, b.len);
    free(b.data);
  }
  if (req.url)
    explicit_bzero(req.url, strlen(req.url));
  if (req.body)
    explicit_bzero(req.body, req.body_len);
  oc_request_free(&req);
  explicit_bzero(r.access_token, sizeof r.access_token);
  explicit_bzero(r.refresh_token, sizeof r.refresh_token);
  return rc;
}

int ctl_shop_authorize(struct ctl *ctl, int argc, char **argv) {
  struct auth_args a;
  struct auth_shop s;
  struct registry *reg = NULL;
  const oc_connector *c;
  secret_t *secret = NULL;
  char why[512] = "";
  PGconn *conn;
  int rc = CTL_FAIL, bad = 0;
  oc_op op;

  if (parse_args(&a, argc, argv) != 0)
    return ctl_usage("shop");
  memset(&s, 0, sizeof s);
  conn = ctl_connect(ctl, "shop");
  if (!conn || load_shop(conn, a.name, &s) != 0)
    goto out;
  log_set_level(LOG_WARN); /* the registry's "connector loaded" lines are noise here */
  reg = registry_load(a.connector_dir, &bad);
  if (!reg) {
    fprintf(stderr, "ocopctl: shop: out of memory\n");
    goto out;
  }
  c = registry_find(reg, s.marketplace);
  if (!c) {
    fprintf(stderr, "ocopctl: shop: no connector for marketplace \"%s\" in %s\n", s.marketplace,
            a.connector_dir);
    goto out;
  }
  op = a.code ? OC_OP_TOKEN_EXCHANGE : OC_OP_AUTH_LINK;
  if (!(c->caps & OC_CAP(op))) {
    fprintf(stderr, "ocopctl: shop: the %s connector cannot %s\n", c->name,
            a.code ? "exchange an authorisation code" : "build an authorisation link");
    goto out;
  }
  secret = secret_acquire(secret_dir(a.credentials_dir), a.name, why, sizeof why);
  if (!secret) {
    fprintf(stderr, "ocopctl: shop: %s\n", why);
    goto out;
  }
  s.shop.app_secret = secret_value(secret);
  if (a.code) {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      fprintf(stderr, "ocopctl: shop: cannot start curl\n");
      goto out;
    }
    rc = exchange(conn, c, &s, &a);
    curl_global_cleanup();
  } else {
    rc = print_link(c, &s, &a);
  }
out:
  secret_release(secret);
  secret_forget();
  free_shop(&s);
  registry_unref(reg);
  return rc;
}
