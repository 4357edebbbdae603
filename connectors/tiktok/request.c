/*
 * request.c — TikTok requests on the wire (see "Signing"): the canonical
 * string (secret, path, sorted parameters, body, secret), the lowercase hex
 * signature, the URL and headers of a shop call, the unsigned token calls,
 * and the emit hook common/ops.c calls once the input is checked.
 */
#include "tiktok.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/hmac.h"
#include "../common/text.h"
#include "../common/validate.h"

/* Indexes of the signed params (all but sign and access_token), sorted by
 * key byte-wise. Returns how many. */
static size_t tt_sorted(const tt_param *p, size_t n, size_t idx[TT_MAX_PARAMS]) {
  size_t i, j, m = 0;

  for (i = 0; i < n && m < TT_MAX_PARAMS; i++) {
    if (strcmp(p[i].key, "sign") == 0 || strcmp(p[i].key, "access_token") == 0)
      continue;
    for (j = m; j > 0 && strcmp(p[idx[j - 1]].key, p[i].key) > 0; j--)
      idx[j] = idx[j - 1];
    idx[j] = i;
    m++;
  }
  return m;
}

/*
 * secret ‖ path ‖ sorted k‖v (raw values) ‖ body bytes ‖ secret, as a
 * malloc'd string with its length in *outlen; NULL on OOM. The body is the
 * exact buffer that will be sent (body may be NULL).
 */
char *tt_canonical(const char *secret, const char *path,
                          const tt_param *p, size_t n, const char *body,
                          size_t body_len, size_t *outlen) {
  ocu_buf b = OCU_BUF_INIT;
  size_t idx[TT_MAX_PARAMS], m, i;
  char *s;

  m = tt_sorted(p, n, idx);
  ocu_buf_puts(&b, secret);
  ocu_buf_puts(&b, path);
  for (i = 0; i < m; i++) {
    ocu_buf_puts(&b, p[idx[i]].key);
    ocu_buf_puts(&b, p[idx[i]].value);
  }
  if (body != NULL && body_len > 0)
    ocu_buf_add(&b, body, body_len);
  ocu_buf_puts(&b, secret);
  if (outlen != NULL)
    *outlen = b.len;
  s = ocu_buf_detach(&b);
  return s;
}

/* Lowercase hex HMAC-SHA256(app_secret, canonical). 0 or -1. */
int tt_sign(const char *secret, const char *path, const tt_param *p,
                   size_t n, const char *body, size_t body_len, char out[65]) {
  size_t len = 0;
  char *c = tt_canonical(secret, path, p, n, body, body_len, &len);
  int r;

  out[0] = '\0';
  if (c == NULL)
    return -1;
  r = ocu_hmac_sha256_hex(secret, strlen(secret), c, len, OCU_HEX_LOWER, out);
  ocu_cleanse(c, len); /* holds the secret */
  free(c);
  return r;
}

/* base + path + "?" + k=v&... (sorted as signed) [+ &sign=]; NULL on OOM. */
static char *tt_url(const char *base, const char *path, const tt_param *p,
                    size_t n, const char *sign) {
  ocu_buf b = OCU_BUF_INIT;
  size_t i;

  ocu_buf_puts(&b, base);
  ocu_buf_puts(&b, path);
  for (i = 0; i < n; i++) {
    ocu_buf_puts(&b, i == 0 ? "?" : "&");
    ocu_buf_urlencode(&b, p[i].key);
    ocu_buf_puts(&b, "=");
    ocu_buf_urlencode(&b, p[i].value);
  }
  if (sign != NULL) {
    ocu_buf_puts(&b, n == 0 ? "?sign=" : "&sign=");
    ocu_buf_puts(&b, sign);
  }
  if (b.failed) {
    ocu_buf_free_secure(&b);
    return NULL;
  }
  return ocu_buf_detach(&b);
}

/*
 * The part every shop call shares (see "Signing"): signs path, the query q
 * (listed sorted by key, so the URL shows them in signing order) and
 * req->body exactly as it will be sent, then writes url, log_url and the
 * token header. On failure req is wiped (its body freed too) and -1 returned.
 */
int tt_shop_request(const oc_shop *shop, const char *path,
                           const tt_param *q, size_t nq, oc_request *req,
                           char *err, size_t errlen) {
  char sign[65];

  if (tt_sign(shop->app_secret, path, q, nq, req->body, req->body_len, sign))
    goto oom;
  req->url = tt_url(shop->base_url, path, q, nq, sign);
  req->log_url = ocu_asprintf("%s%s", shop->base_url, path);
  if (req->url == NULL || req->log_url == NULL)
    goto oom;
  req->headers[req->nheaders] =
      ocu_asprintf("x-tts-access-token: %s", shop->access_token);
  if (req->headers[req->nheaders++] == NULL)
    goto oom;
  /* Every call, GET included, says application/json, as TikTok's SDKs
   * do and every reference page lists it as required; a multipart upload
   * says multipart/form-data (libcurl appends the boundary). */
  req->headers[req->nheaders] = ocu_asprintf(
      "Content-Type: %s", req->nparts > 0 ? "multipart/form-data" : "application/json");
  if (req->headers[req->nheaders++] == NULL)
    goto oom;
  return 0;
oom:
  ocu_err(err, errlen, "out of memory");
  ocu_request_wipe(req);
  return -1;
}

/*
 * REFRESH_TOKEN and TOKEN_EXCHANGE ("Authorisation and tokens"): a GET to
 * the auth host with app_secret in the query and no sign. The URL
 * therefore holds the secret; log_url never does. AUTH_LINK: the seller's
 * link, [unverified] form (see tiktok.h).
 */
static int tt_token_request(oc_op op, const ocu_opdef *d, const oc_shop *shop,
                            oc_request *req, char *err, size_t errlen) {
  tt_param q[4];
  size_t nq = 0;
  const char *base;

  if (op == OC_OP_AUTH_LINK) {
    base = oc_shop_opt(shop, "auth_link_base", TT_DEFAULT_AUTH_LINK_BASE);
    q[nq++] = (tt_param){"service_id", shop->app_key};
  } else {
    int refresh = op == OC_OP_REFRESH_TOKEN;

    base = oc_shop_opt(shop, "auth_url", TT_DEFAULT_AUTH_URL);
    q[nq++] = (tt_param){"app_key", shop->app_key};
    q[nq++] = (tt_param){"app_secret", shop->app_secret};
    q[nq++] = refresh ? (tt_param){"refresh_token", shop->refresh_token}
                      : (tt_param){"auth_code", shop->auth_code};
    q[nq++] = (tt_param){"grant_type", refresh ? "refresh_token" : "authorized_code"};
  }
  req->url = tt_url(base, d->path, q, nq, NULL);
  req->log_url = ocu_asprintf("%s%s", base, d->path);
  if (req->url == NULL || req->log_url == NULL) {
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  /* The token calls too carry the JSON content type (the link is only
   * shown, never sent). */
  if (op != OC_OP_AUTH_LINK &&
      (req->headers[req->nheaders++] = ocu_asprintf("Content-Type: application/json")) == NULL) {
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  return 0;
}

int tt_emit(oc_op op, const ocu_opdef *d, const oc_shop *shop, const oc_listing *l,
            int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  tt_param q[TT_MAX_PARAMS];
  size_t nq = 0;
  const char *pid = "";
  char ts[24], path[128];

  /* VARIANTS with nothing left to do: every variant not removed is on the
   * item and no removed one is (the listing has passed its checks). */
  if (op == OC_OP_VARIANTS && ocu_variants_in_line(l))
    return OC_IN_LINE;
  snprintf(ts, sizeof ts, "%" PRId64, now_ms / 1000); /* Unix seconds */
  if (d->kind == TT_PUBLIC) {
    ocu_strlcpy(req->method, d->method, sizeof req->method);
    return tt_token_request(op, d, shop, req, err, errlen);
  }
  if (l != NULL && !ocu_empty(l->item_id)) {
    if (!tt_valid_id(l->item_id)) { /* LOOKUP_SKU: not checked by its need */
      ocu_err(err, errlen, "listing item_id is not %s", tt_limits.item_id_form);
      return -1;
    }
    pid = l->item_id;
    /* LOOKUP_SKU of a known item reads the product (its SKUs) by id. */
    if (op == OC_OP_LOOKUP_SKU)
      d = &tt_ops[OC_OP_GET_LISTING];
  }
  ocu_strlcpy(req->method, d->method, sizeof req->method);
  if (d->tail != NULL)
    snprintf(path, sizeof path, "%s/%s%s", d->path, pid, d->tail);
  else
    ocu_strlcpy(path, d->path, sizeof path);
  /* Sorted by key, so the URL lists them in signing order. */
  q[nq++] = (tt_param){"app_key", shop->app_key};
  if (d == &tt_ops[OC_OP_LOOKUP_SKU])
    q[nq++] = (tt_param){"page_size", "10"};
  q[nq++] = (tt_param){"shop_cipher", ocu_opt(shop, "shop_cipher")};
  q[nq++] = (tt_param){"timestamp", ts};
  if (d->body != NULL) {
    char *body;

    if (d->body(op, shop, l, &body, err, errlen))
      return -1;
    req->body = body;
    req->body_len = strlen(body);
  }
  return tt_shop_request(shop, path, q, nq, req, err, errlen);
}
