/*
 * request.c — Shopee requests on the wire: the signature (see "Signing"),
 * the URL with its common query, and the emit hook that common/ops.c calls
 * once the input is checked.
 */
#include "shopee.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/hmac.h"
#include "../common/text.h"
#include "../common/validate.h"

/* partner_id ‖ path ‖ timestamp [‖ access_token ‖ shop_id]; NULL on OOM. */
char *sp_base_string(const oc_shop *shop, const char *path, int64_t ts,
                            int kind) {
  ocu_buf b = OCU_BUF_INIT;

  ocu_buf_printf(&b, "%s%s%" PRId64, shop->app_key, path, ts);
  if (kind == SP_SHOP) {
    ocu_buf_puts(&b, shop->access_token);
    ocu_buf_puts(&b, shop->shop_id);
  }
  return ocu_buf_detach(&b);
}

/* Lowercase hex HMAC-SHA256 keyed with the partner key's ASCII bytes. */
int sp_sign(const oc_shop *shop, const char *path, int64_t ts, int kind,
                   char out[65]) {
  char *base = sp_base_string(shop, path, ts, kind);
  int r;

  out[0] = '\0';
  if (base == NULL)
    return -1;
  r = ocu_hmac_sha256_hex(shop->app_secret, strlen(shop->app_secret), base,
                          strlen(base), OCU_HEX_LOWER, out);
  ocu_cleanse(base, strlen(base)); /* holds the access token */
  free(base);
  return r;
}

/* Each element percent-encoded, the separating commas kept as they are:
 * Shopee documents order_sn_list=a,b (RFC 3986 allows ',' in a query). */
static void sp_urlencode_list(ocu_buf *b, const char *list) {
  for (; *list; list++) {
    char one[2] = {*list, '\0'};

    if (*list == ',')
      ocu_buf_puts(b, ",");
    else
      ocu_buf_urlencode(b, one);
  }
}

/*
 * url = base_url + path + ?partner_id&timestamp[&access_token&shop_id]&sign
 * followed by the extra parameters; log_url = base_url + path (the query
 * holds the token and the signature). 0, or -1 on OOM with nothing
 * allocated.
 */
int sp_make_url(const oc_shop *shop, const char *path, int64_t ts,
                       int kind, const sp_param *extra, size_t nextra,
                       char **url, char **log_url) {
  ocu_buf b = OCU_BUF_INIT;
  char sign[65];
  size_t i;

  *url = *log_url = NULL;
  if (sp_sign(shop, path, ts, kind, sign) != 0)
    return -1;
  ocu_buf_puts(&b, shop->base_url);
  ocu_buf_puts(&b, path);
  ocu_buf_puts(&b, "?partner_id=");
  ocu_buf_urlencode(&b, shop->app_key);
  ocu_buf_printf(&b, "&timestamp=%" PRId64, ts);
  if (kind == SP_SHOP) {
    ocu_buf_puts(&b, "&access_token=");
    ocu_buf_urlencode(&b, shop->access_token);
    ocu_buf_puts(&b, "&shop_id=");
    ocu_buf_urlencode(&b, shop->shop_id);
  }
  ocu_buf_puts(&b, "&sign=");
  ocu_buf_puts(&b, sign);
  for (i = 0; i < nextra; i++) {
    ocu_buf_puts(&b, "&");
    ocu_buf_urlencode(&b, extra[i].key);
    ocu_buf_puts(&b, "=");
    if (extra[i].list)
      sp_urlencode_list(&b, extra[i].value);
    else
      ocu_buf_urlencode(&b, extra[i].value);
  }
  *url = ocu_buf_detach(&b);
  *log_url = ocu_asprintf("%s%s", shop->base_url, path);
  if (*url == NULL || *log_url == NULL) {
    free(*url);
    free(*log_url);
    *url = *log_url = NULL;
    return -1;
  }
  return 0;
}

/* The SKU the item was published with (see sp_body_publish): the single
 * variant's, else the product code. LOOKUP_SKU searches it. */
static const char *sp_item_sku(const oc_listing *l) {
  const oc_variant *one = sp_single_variant(l);

  return one != NULL ? one->sku : l->sku;
}

/* The query parameters after the signed ones: GET calls carry their input
 * there. `models` is set when the call is get_model_list. Returns the
 * count. */
static size_t sp_query(oc_op op, const oc_shop *shop, const oc_listing *l, int models,
                       sp_param extra[3]) {
  size_t n = 0;

  if (models) {
    extra[n++] = (sp_param){"item_id", l->item_id, 0};
    return n;
  }
  switch (op) {
  case OC_OP_LOOKUP_SKU: /* [unverified] parameters, see sp_ops */
    extra[n++] = (sp_param){"item_sku", sp_item_sku(l), 0};
    extra[n++] = (sp_param){"offset", "0", 0};
    extra[n++] = (sp_param){"page_size", "10", 0};
    break;
  case OC_OP_GET_LISTING:
    extra[n++] = (sp_param){"item_id_list", l->item_id, 0};
    break;
  case OC_OP_AUTH_LINK:
    extra[n++] = (sp_param){"redirect", shop->redirect_url, 0};
    break;
  default:
    break;
  }
  return n;
}

/*
 * The call an operation makes when it is not its table entry's:
 * get_model_list for LOOKUP_SKU with an item id and for GET_LISTING of an
 * item with models (see "Variants"). -1 with err set for a malformed item
 * id (LOOKUP_SKU does not require one, so the table does not check it).
 */
static int sp_pick(oc_op op, const oc_listing *l, const ocu_opdef **d, char *err,
                   size_t errlen) {
  if (op == OC_OP_LOOKUP_SKU && !ocu_empty(l->item_id)) {
    if (!sp_valid_id(l->item_id)) {
      ocu_err(err, errlen, "listing item_id is not %s", sp_limits.item_id_form);
      return -1;
    }
    *d = &sp_model_list_def;
  } else if (op == OC_OP_GET_LISTING && sp_listing_has_models(l)) {
    *d = &sp_model_list_def;
  }
  return 0;
}

/* The body and, for VARIANTS, the path of the step: 0, OC_IN_LINE, -1. */
static int sp_make_body(oc_op op, const ocu_opdef *d, const oc_shop *shop, const oc_listing *l,
                        const char **path, char **body, char *err, size_t errlen) {
  *body = NULL;
  if (op == OC_OP_VARIANTS)
    return sp_variants_body(shop, l, path, body, err, errlen);
  if (d->body != NULL)
    return d->body(op, shop, l, body, err, errlen);
  return 0;
}

int sp_emit(oc_op op, const ocu_opdef *d, const oc_shop *shop, const oc_listing *l,
            int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  const char *path;
  sp_param extra[3];
  size_t nextra;
  char *body = NULL, *hdr = NULL;
  int r;

  if (l != NULL && sp_pick(op, l, &d, err, errlen))
    return -1;
  path = d->path;
  nextra = sp_query(op, shop, l, d == &sp_model_list_def, extra);
  if ((r = sp_make_body(op, d, shop, l, &path, &body, err, errlen)) != 0)
    return r; /* OC_IN_LINE: nothing to send; -1: err says why */
  if (body != NULL && (hdr = ocu_asprintf("%s", "Content-Type: application/json")) == NULL)
    goto oom;
  /* Shopee signs Unix seconds. */
  if (sp_make_url(shop, path, now_ms / 1000, d->kind, extra, nextra, &req->url,
                  &req->log_url))
    goto oom;
  ocu_strlcpy(req->method, d->method, sizeof req->method);
  if (body != NULL) {
    req->body = body;
    req->body_len = strlen(body);
    req->headers[req->nheaders++] = hdr;
  }
  return 0;
oom:
  if (body != NULL)
    ocu_cleanse(body, strlen(body));
  free(body);
  free(hdr);
  ocu_err(err, errlen, "out of memory");
  return -1;
}
