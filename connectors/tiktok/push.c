/*
 * push.c — TikTok pushes (see "Push"): Authorization is the lowercase hex
 * HMAC-SHA256 of app_key and the raw body, keyed with the app secret.
 */
#include "tiktok.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/hmac.h"
#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

static int tt_push_fail(oc_push *out, const char *fmt, ...) OCU_PRINTF(2, 3);

static int tt_push_fail(oc_push *out, const char *fmt, ...) {
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(out->error, sizeof out->error, fmt, ap);
  va_end(ap);
  return -1;
}

/* Authorization = lowercase hex HMAC-SHA256(app_secret, app_key ‖ raw
 * body): the bytes as received, never re-serialised. 1 if it holds. */
static int tt_push_signed(const oc_shop *shop, const char *authorization,
                          const char *body, size_t len) {
  ocu_buf b = OCU_BUF_INIT;
  char mac[65];
  int ok;

  ocu_buf_puts(&b, shop->app_key);
  if (len > 0)
    ocu_buf_add(&b, body, len);
  if (b.failed ||
      ocu_hmac_sha256_hex(shop->app_secret, strlen(shop->app_secret),
                          b.data != NULL ? b.data : "", b.len, OCU_HEX_LOWER,
                          mac)) {
    ocu_buf_free(&b);
    return 0;
  }
  ocu_buf_free(&b);
  ok = ocu_sig_equal(mac, authorization);
  ocu_cleanse(mac, sizeof mac);
  return ok;
}

/* The documented body: {"type", "shop_id", "timestamp", "data"}. */
static int tt_push_read(const cJSON *root, oc_push *out) {
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
  const cJSON *ts = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
  char why[160];
  int64_t v;

  if (ocu_json_int(cJSON_GetObjectItemCaseSensitive(root, "type"), &v) ||
      v < 0 || v > 2147483647LL)
    return tt_push_fail(out, "field type is missing or not an integer");
  out->kind = (int)v;
  if (ts != NULL && !cJSON_IsNull(ts)) {
    if (ocu_json_int(ts, &v) || v < 0)
      return tt_push_fail(out, "field timestamp is not unix seconds");
    out->timestamp = v;
  }
  if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(root, "shop_id"),
                  OCU_ID_STRING | OCU_ID_NUMBER, "shop_id", out->shop_id,
                  sizeof out->shop_id, why, sizeof why))
    return tt_push_fail(out, "%s", why);
  if (out->kind != 1) /* only type 1 is about an order */
    return 0;
  if (!cJSON_IsObject(data))
    return tt_push_fail(out, "field data is not an object");
  if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(data, "order_id"),
                  OCU_ID_STRING, "data.order_id", out->order_id,
                  sizeof out->order_id, why, sizeof why))
    return tt_push_fail(out, "%s", why);
  if (!tt_valid_order_id(out->order_id)) {
    out->order_id[0] = '\0';
    return tt_push_fail(out, "field data.order_id is not an order id");
  }
  return 0;
}

int tt_verify_push(const oc_shop *shop, const char *callback_url,
                          const char *authorization, const char *body,
                          size_t len, oc_push *out) {
  cJSON *root = NULL;
  char why[160];
  int r;

  (void)callback_url; /* TikTok does not sign it */
  if (out == NULL)
    return -1;
  memset(out, 0, sizeof *out);
  if (shop == NULL || ocu_empty(shop->app_key) || ocu_empty(shop->app_secret))
    return tt_push_fail(out, "shop app_key or app_secret is not set");
  if (authorization == NULL)
    return tt_push_fail(out, "no Authorization header");
  if (body == NULL && len > 0)
    return tt_push_fail(out, "body is missing");
  if (len > OC_MAX_PUSH)
    return tt_push_fail(out, "body is larger than %d bytes", OC_MAX_PUSH);
  if (!tt_push_signed(shop, authorization, body, len))
    return tt_push_fail(out, "signature does not match");
  /* Only a body that carries our signature is parsed. */
  if (ocu_json_parse(body, len, &root, why, sizeof why))
    return tt_push_fail(out, "malformed push: %s", why);
  if (!cJSON_IsObject(root))
    r = tt_push_fail(out, "malformed push: not a JSON object");
  else
    r = tt_push_read(root, out);
  cJSON_Delete(root);
  if (r != 0) { /* nothing half-read goes out with the error */
    out->kind = 0;
    out->timestamp = 0;
    out->shop_id[0] = out->order_id[0] = '\0';
  }
  return r;
}

