/*
 * push.c — Lazada pushes (see "Push"): Authorization is the lowercase hex
 * HMAC-SHA256 of app_key and the raw body, keyed with the app secret.
 */
#include "lazada.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/hmac.h"
#include "../common/json.h"
#include "../common/text.h"

#define LZ_PUSH_MS_FROM 100000000000LL /* 10^11: larger stamps are ms */

static void lz_push_fail(oc_push *out, const char *fmt, ...) OCU_PRINTF(2, 3);

/* Clears what was read so far and says why the push is refused. */
static void lz_push_fail(oc_push *out, const char *fmt, ...) {
  va_list ap;

  memset(out, 0, sizeof *out);
  va_start(ap, fmt);
  vsnprintf(out->error, sizeof out->error, fmt, ap);
  va_end(ap);
}

/* The signed body: {"seller_id", "message_type", "data", "timestamp"}. */
static int lz_push_body(const char *body, size_t len, oc_push *out) {
  cJSON *root = NULL;
  const cJSON *data, *ts;
  char why[128], oid[LZ_ORDER_ID_MAX + 1];
  int64_t kind, stamp = 0;

  if (ocu_json_parse(body, len, &root, why, sizeof why) != 0) {
    lz_push_fail(out, "push body: %s", why);
    return -1;
  }
  if (!cJSON_IsObject(root)) {
    lz_push_fail(out, "push body is not a JSON object");
    goto fail;
  }
  if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(root, "seller_id"),
                  OCU_ID_NUMBER | OCU_ID_STRING, "seller_id", out->shop_id,
                  sizeof out->shop_id, why, sizeof why)) {
    lz_push_fail(out, "push %s", why);
    goto fail;
  }
  if (ocu_json_int(cJSON_GetObjectItemCaseSensitive(root, "message_type"),
                   &kind) ||
      kind < 0 || kind > 0x7fffffff) {
    lz_push_fail(out, "push field message_type is not a small integer");
    goto fail;
  }
  out->kind = (int)kind;
  ts = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
  if (ts != NULL && (ocu_json_int(ts, &stamp) || stamp < 0)) {
    lz_push_fail(out, "push field timestamp is not a time");
    goto fail;
  }
  /* Pushes seen in the field stamp milliseconds (vector L6): no time in
   * seconds is that large before the year 5000. */
  out->timestamp = stamp >= LZ_PUSH_MS_FROM ? stamp / 1000 : stamp;
  if (kind == 0) { /* trade order status */
    data = cJSON_GetObjectItemCaseSensitive(root, "data");
    if (!cJSON_IsObject(data)) {
      lz_push_fail(out, "push field data is not an object");
      goto fail;
    }
    if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(data, "trade_order_id"),
                    OCU_ID_NUMBER | OCU_ID_STRING, "data.trade_order_id", oid,
                    sizeof oid, why, sizeof why) ||
        !lz_valid_order_id(oid) || strlen(oid) >= sizeof out->order_id) {
      if (oid[0] != '\0')
        snprintf(why, sizeof why, "field data.trade_order_id is not an order id");
      lz_push_fail(out, "push %s", why);
      goto fail;
    }
    ocu_strlcpy(out->order_id, oid, sizeof out->order_id);
  }
  cJSON_Delete(root);
  return 0;
fail:
  cJSON_Delete(root);
  return -1;
}

/*
 * Authorization = lowercase hex HMAC-SHA256(app_secret, app_key + raw body)
 * (see "Push"), compared in constant time and case-sensitively: an uppercase
 * signature is not what Lazada sends. The body is read only once signed.
 */
int lz_verify_push(const oc_shop *shop, const char *callback_url,
                          const char *authorization, const char *body,
                          size_t len, oc_push *out) {
  ocu_buf msg = OCU_BUF_INIT;
  char want[65];
  int ok, r;

  (void)callback_url; /* Lazada signs the body alone */
  if (out == NULL)
    return -1;
  memset(out, 0, sizeof *out);
  if (shop == NULL || !lz_valid_token(shop->app_key) ||
      shop->app_secret == NULL || shop->app_secret[0] == '\0') {
    lz_push_fail(out, "shop app_key or app_secret is not set");
    return -1;
  }
  if (authorization == NULL) {
    lz_push_fail(out, "no Authorization header");
    return -1;
  }
  if ((body == NULL && len > 0) || len > OC_MAX_PUSH) {
    lz_push_fail(out, "push body is missing or larger than %d bytes",
                 OC_MAX_PUSH);
    return -1;
  }
  ocu_buf_puts(&msg, shop->app_key);
  ocu_buf_add(&msg, body, len);
  r = msg.failed ? -1
                 : ocu_hmac_sha256_hex(shop->app_secret, strlen(shop->app_secret),
                                       msg.data, msg.len, OCU_HEX_LOWER, want);
  ocu_buf_free(&msg);
  if (r != 0) {
    ocu_cleanse(want, sizeof want);
    lz_push_fail(out, "could not compute the signature");
    return -1;
  }
  ok = ocu_sig_equal(want, authorization);
  ocu_cleanse(want, sizeof want);
  if (!ok) {
    lz_push_fail(out, "signature does not match");
    return -1;
  }
  return lz_push_body(body, len, out);
}

