/*
 * push.c — Shopee pushes (see "Push"): the Authorization header is the
 * lowercase hex HMAC-SHA256 of the callback URL, "|" and the raw body, keyed
 * with the partner key.
 */
#include "shopee.h"

#include <stdio.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/hmac.h"
#include "../common/json.h"
#include "../common/text.h"

#define SP_PUSH_ORDER 3 /* order status update */

static int sp_push_fail(oc_push *out, const char *why) {
  ocu_strlcpy(out->error, why, sizeof out->error);
  return -1;
}

/* Lowercase hex HMAC-SHA256(partner key, callback_url "|" raw body). */
static int sp_push_sign(const oc_shop *shop, const char *callback_url,
                        const char *body, size_t len, char out[65]) {
  ocu_buf b = OCU_BUF_INIT;
  int r = -1;

  out[0] = '\0';
  ocu_buf_puts(&b, callback_url);
  ocu_buf_add(&b, "|", 1);
  if (len > 0)
    ocu_buf_add(&b, body, len);
  if (!b.failed)
    r = ocu_hmac_sha256_hex(shop->app_secret, strlen(shop->app_secret), b.data,
                            b.len, OCU_HEX_LOWER, out);
  ocu_buf_free(&b);
  return r;
}

/* The signed body: code, and shop_id/timestamp/data when present. */
static int sp_push_read(const cJSON *root, oc_push *out) {
  const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "code");
  const cJSON *sid = cJSON_GetObjectItemCaseSensitive(root, "shop_id");
  const cJSON *ts = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
  int64_t v;
  char why[160];

  if (!cJSON_IsObject(root))
    return sp_push_fail(out, "push body is not a JSON object");
  if (ocu_json_int(code, &v) || v < 0 || v > 1000000)
    return sp_push_fail(out, "push field code is missing or not a small integer");
  out->kind = (int)v;
  /* shop_id is absent in partner-level pushes (codes 0, 1, 2, 12). */
  if (sid != NULL && !cJSON_IsNull(sid) &&
      ocu_json_id(sid, OCU_ID_NUMBER | OCU_ID_STRING, "shop_id", out->shop_id,
                  sizeof out->shop_id, why, sizeof why))
    return sp_push_fail(out, "push field shop_id is not an id");
  if (ts != NULL && !cJSON_IsNull(ts)) {
    if (ocu_json_int(ts, &v) || v < 0)
      return sp_push_fail(out, "push field timestamp is not a time");
    out->timestamp = v;
  }
  if (data != NULL && !cJSON_IsNull(data) && !cJSON_IsObject(data))
    return sp_push_fail(out, "push field data is not an object");
  if (out->kind == 0 && !cJSON_IsObject(data))
    return sp_push_fail(out, "verification push without data");
  if (out->kind == SP_PUSH_ORDER) {
    const char *bad;

    if (out->shop_id[0] == '\0')
      return sp_push_fail(out, "order push without shop_id");
    if (!cJSON_IsObject(data) ||
        ocu_json_id(cJSON_GetObjectItemCaseSensitive(data, "ordersn"),
                    OCU_ID_STRING | OCU_ID_NUMBER, "data.ordersn",
                    out->order_id, sizeof out->order_id, why, sizeof why))
      return sp_push_fail(out, "order push without a readable data.ordersn");
    if ((bad = sp_order_sn_problem(out->order_id)) != NULL) {
      snprintf(out->error, sizeof out->error, "push field data.ordersn %s", bad);
      return -1;
    }
  }
  return 0;
}

int sp_verify_push(const oc_shop *shop, const char *callback_url,
                          const char *authorization, const char *body,
                          size_t len, oc_push *out) {
  char want[65], why[128];
  cJSON *root = NULL;
  int ok, r;

  if (out == NULL)
    return -1;
  memset(out, 0, sizeof *out);
  if (shop == NULL || shop->app_secret == NULL || shop->app_secret[0] == '\0')
    return sp_push_fail(out, "shop app_secret (partner key) is not set");
  if (callback_url == NULL || callback_url[0] == '\0')
    return sp_push_fail(out, "no callback URL to verify against");
  if (authorization == NULL)
    return sp_push_fail(out, "no Authorization header");
  if (body == NULL && len > 0)
    return sp_push_fail(out, "push body is missing");
  if (len > OC_MAX_PUSH)
    return sp_push_fail(out, "push body is too large");
  if (sp_push_sign(shop, callback_url, body, len, want))
    return sp_push_fail(out, "cannot compute the signature");
  /* Exact lowercase hex, nothing trimmed: Shopee sends it that way. */
  ok = ocu_sig_equal(want, authorization);
  ocu_cleanse(want, sizeof want);
  if (!ok)
    return sp_push_fail(out, "signature does not match");
  /* Only a genuine push is parsed at all. */
  if (ocu_json_parse(body, len, &root, why, sizeof why)) {
    snprintf(out->error, sizeof out->error, "signed push body: %s", why);
    return -1;
  }
  r = sp_push_read(root, out);
  cJSON_Delete(root);
  if (r != 0) { /* nothing half-filled goes back */
    char keep[sizeof out->error];

    memcpy(keep, out->error, sizeof keep);
    memset(out, 0, sizeof *out);
    memcpy(out->error, keep, sizeof keep);
  }
  return r;
}

