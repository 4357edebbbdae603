/*
 * request.c — Lazada requests on the wire (see "Signing"): the sorted,
 * uppercase-hex signature over the API name and every non-empty parameter,
 * the URL with the system parameters, the form body of a POST, and the
 * emit hook common/ops.c calls once the input is checked.
 */
#include "lazada.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/hmac.h"
#include "../common/text.h"
#include "../common/validate.h"

/*
 * api_name + k1 v1 k2 v2 ... over the parameters with a non-empty value,
 * except "sign", sorted byte-wise by name (strcmp compares as unsigned
 * char: "foo" < "foo_bar" < "foobar"). Values raw. NULL on OOM.
 */
char *lz_base_string(const char *api, const lz_param *p, size_t n) {
  const lz_param *sorted[LZ_MAX_PARAMS * 2];
  ocu_buf b = OCU_BUF_INIT;
  size_t i, j, m = 0;

  if (n > sizeof sorted / sizeof sorted[0])
    return NULL;
  for (i = 0; i < n; i++) {
    if (p[i].value == NULL || p[i].value[0] == '\0' ||
        strcmp(p[i].key, "sign") == 0)
      continue;
    /* insertion sort: a dozen parameters at most */
    for (j = m; j > 0 && strcmp(sorted[j - 1]->key, p[i].key) > 0; j--)
      sorted[j] = sorted[j - 1];
    sorted[j] = &p[i];
    m++;
  }
  ocu_buf_puts(&b, api);
  for (i = 0; i < m; i++) {
    ocu_buf_puts(&b, sorted[i]->key);
    ocu_buf_puts(&b, sorted[i]->value);
  }
  return ocu_buf_detach(&b);
}

/* Uppercase hex HMAC-SHA256 of the base string, keyed with the secret. */
int lz_sign(const char *secret, const char *api, const lz_param *p,
                   size_t n, char out[65]) {
  char *base = lz_base_string(api, p, n);
  int r;

  out[0] = '\0';
  if (base == NULL)
    return -1;
  r = ocu_hmac_sha256_hex(secret, strlen(secret), base, strlen(base),
                          OCU_HEX_UPPER, out);
  ocu_cleanse(base, strlen(base)); /* holds the tokens */
  free(base);
  return r;
}

/* k=v&k=v over the non-empty parameters with in_body == body. */
void lz_serialise(ocu_buf *b, const lz_param *p, size_t n, int body,
                         int first) {
  size_t i;

  for (i = 0; i < n; i++) {
    if (p[i].in_body != body || p[i].value == NULL || p[i].value[0] == '\0')
      continue;
    if (!first)
      ocu_buf_puts(b, "&");
    first = 0;
    ocu_buf_urlencode(b, p[i].key);
    ocu_buf_puts(b, "=");
    ocu_buf_urlencode(b, p[i].value);
  }
}

/* The system parameters every signed call starts with (see "Signing"); returns
 * the count. ts must outlive p. */
size_t lz_sys_params(lz_param *p, const ocu_opdef *d, const oc_shop *shop,
                            const char *ts) {
  size_t np = 0;

  p[np++] = (lz_param){"app_key", shop->app_key, 0};
  p[np++] = (lz_param){"timestamp", ts, 0};
  p[np++] = (lz_param){"sign_method", "sha256", 0};
  if (d->kind == LZ_SELLER)
    p[np++] = (lz_param){"access_token", shop->access_token, 0};
  return np;
}

/* 1 when a POST has form parameters; an upload's only field is its file,
 * sent as multipart (upload.c). */
static int lz_has_body(const lz_param *p, size_t n) {
  size_t i;

  for (i = 0; i < n; i++)
    if (p[i].in_body && p[i].value != NULL && p[i].value[0] != '\0')
      return 1;
  return 0;
}

/*
 * Signs p[0..np) and fills *req: the URL with the query parameters and sign,
 * a log_url without any parameter (they hold the token), and the form body
 * of a POST that has form parameters. Shared by every call (listings,
 * orders, uploads, categories) so that all are signed the one way. -1 on
 * OOM with *req left empty.
 */
int lz_emit_signed(const ocu_opdef *d, const char *host, const oc_shop *shop,
                   const lz_param *p, size_t np, oc_request *req) {
  char sign[65];
  char *body = NULL, *hdr = NULL;
  int post = strcmp(d->method, "POST") == 0;
  ocu_buf b = OCU_BUF_INIT;

  if (lz_sign(shop->app_secret, d->path, p, np, sign) != 0)
    goto oom;
  /* URL: system parameters and sign, then GET business parameters. */
  ocu_buf_printf(&b, "%s/rest%s?", host, d->path);
  lz_serialise(&b, p, np, 0, 1);
  ocu_buf_puts(&b, "&sign=");
  ocu_buf_puts(&b, sign);
  req->url = ocu_buf_detach(&b);
  req->log_url = ocu_asprintf("%s/rest%s", host, d->path);
  if (req->url == NULL || req->log_url == NULL)
    goto oom;
  if (post && lz_has_body(p, np)) {
    lz_serialise(&b, p, np, 1, 1);
    body = ocu_buf_detach(&b);
    hdr = ocu_asprintf("%s",
                       "Content-Type: application/x-www-form-urlencoded");
    if (body == NULL || hdr == NULL)
      goto oom;
    req->body = body;
    req->body_len = strlen(body);
    req->headers[req->nheaders++] = hdr;
    body = hdr = NULL;
  }
  ocu_strlcpy(req->method, d->method, sizeof req->method);
  return 0;
oom:
  ocu_buf_free_secure(&b);
  if (body != NULL)
    ocu_cleanse(body, strlen(body));
  free(body);
  free(hdr);
  if (req->url != NULL)
    ocu_cleanse(req->url, strlen(req->url));
  oc_request_free(req);
  memset(req, 0, sizeof *req);
  return -1;
}

/* AUTH_LINK: a link for the seller on the auth host; nothing signed. */
static int lz_auth_link(const ocu_opdef *d, const char *host, const oc_shop *shop,
                        oc_request *req, char *err, size_t errlen) {
  ocu_buf b = OCU_BUF_INIT;

  ocu_buf_printf(&b, "%s%s?response_type=code&force_auth=true&redirect_uri=", host, d->path);
  ocu_buf_urlencode(&b, shop->redirect_url);
  ocu_buf_puts(&b, "&client_id=");
  ocu_buf_urlencode(&b, shop->app_key);
  req->url = ocu_buf_detach(&b);
  req->log_url = ocu_asprintf("%s%s", host, d->path);
  if (req->url == NULL || req->log_url == NULL) {
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  ocu_strlcpy(req->method, d->method, sizeof req->method);
  return 0;
}

/* The business parameter of a call: its payload, or a token, or an id. */
static size_t lz_business(oc_op op, const ocu_opdef *d, const oc_shop *shop,
                          const oc_listing *l, const char *payload, lz_param *p) {
  int post = strcmp(d->method, "POST") == 0;
  size_t np = 0;

  switch (op) {
  case OC_OP_REFRESH_TOKEN:
    p[np++] = (lz_param){"refresh_token", shop->refresh_token, post};
    break;
  case OC_OP_TOKEN_EXCHANGE:
    p[np++] = (lz_param){"code", shop->auth_code, post};
    break;
  case OC_OP_GET_LISTING:
    p[np++] = (lz_param){"item_id", l->item_id, post};
    break;
  case OC_OP_LOOKUP_SKU:
    if (l->item_id != NULL) { /* GetProductItem: the item's own SKUs */
      p[np++] = (lz_param){"item_id", l->item_id, post};
      break;
    }
    p[np++] = (lz_param){"filter", "all", post};
    p[np++] = (lz_param){"offset", "0", post};
    p[np++] = (lz_param){"limit", "10", post};
    p[np++] = (lz_param){"sku_seller_list", payload, post};
    break;
  default:
    p[np++] = (lz_param){op == OC_OP_DELIST ? "apiRequestBody" : "payload", payload, post};
    break;
  }
  return np;
}

/* The call an operation makes when it is not its table entry's: LOOKUP_SKU
 * of a known item reads it (GetProductItem), a VARIANTS removal is
 * RemoveSku. NULL with err set on a bad item id. */
static const ocu_opdef *lz_route(oc_op op, const ocu_opdef *d, const oc_listing *l, char *err,
                                 size_t errlen) {
  if (op == OC_OP_LOOKUP_SKU && l->item_id != NULL) {
    if (!lz_valid_id(l->item_id)) {
      ocu_err(err, errlen, "listing item_id is not %s", lz_limits.item_id_form);
      return NULL;
    }
    return &lz_item_get_op;
  }
  if (op == OC_OP_VARIANTS && lz_next_step(l) == LZ_STEP_REMOVE)
    return &lz_remove_sku_op;
  return d;
}

int lz_emit(oc_op op, const ocu_opdef *d, const oc_shop *shop, const oc_listing *l,
            int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  lz_param p[LZ_MAX_PARAMS];
  size_t np;
  char ts[24];
  char *payload = NULL;
  const char *host = d->kind == LZ_TOKEN ? ocu_opt(shop, "auth_url") : shop->base_url;
  int r;

  if (host == NULL)
    host = LZ_DEFAULT_AUTH_URL;
  if (op == OC_OP_AUTH_LINK)
    return lz_auth_link(d, host, shop, req, err, errlen);
  if (op == OC_OP_VARIANTS && lz_next_step(l) == LZ_STEP_NONE)
    return OC_IN_LINE; /* the item already matches: nothing to send */
  if (oc_listing_op(op) && (d = lz_route(op, d, l, err, errlen)) == NULL)
    return -1;
  if (d->body != NULL && d->body(op, shop, l, &payload, err, errlen))
    return -1;
  /* One timestamp for the sign and the URL (see "Pitfalls"): unix
   * milliseconds. */
  snprintf(ts, sizeof ts, "%" PRId64, now_ms);
  np = lz_sys_params(p, d, shop, ts);
  np += lz_business(op, d, shop, l, payload, p + np);
  r = lz_emit_signed(d, host, shop, p, np, req);
  free(payload);
  if (r != 0)
    ocu_err(err, errlen, "out of memory");
  return r;
}
