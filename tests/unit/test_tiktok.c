/*
 * test_tiktok.c — unit tests for connectors/tiktok/.
 *
 * The connector's files are linked in, so that its internal functions
 * (tt_canonical, tt_sign, tt_item_id_ok, tt_amount; declared in tiktok.h)
 * can be tested directly; the titles and descriptions are common/claims.c. Vectors are literals from
 * docs/marketplaces/tiktok.md, "Signing" (T1..T6); the literal signs of
 * built requests were computed independently with Python's hmac module from
 * hand-written canonical strings (the formula given there). Every built
 * request is also verified by a second, test-side implementation of it
 * working from the URL as sent.
 */
#include "runner.h"

/* Through the connector's internal header: tt_* functions are non-static
 * but not exported from the module (connectors/local.mk). */
#include "../../connectors/tiktok/tiktok.h"
#include "../../connectors/common/buf.h"
#include "../../connectors/common/claims.h"
#include "../../connectors/common/hmac.h"
#include "../../connectors/common/json.h"
#include "../../connectors/common/text.h"
#include "conn_test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <inttypes.h>

/* ---- fixtures --------------------------------------------------------------- */

#define SECRET "tt_app_secret_123"
#define TOKEN "tt_access_token_value"
#define REFRESH "tt_refresh_token_value"
#define CIPHER "ROW_cipher_abc"
#define CODE "tt_auth_code_value_9"
#define NOW_MS 1623812664123LL /* -> timestamp 1623812664 */
#define BASE "https://open-api.tiktokglobalshop.com"
#define PID "1729592969712207321" /* 19 digits, > 2^53 */
#define SID "1729592969712272857"
#define SID2 "1729592969712272858"
#define SID3 "1729592969712272859"

static const oc_kv opts_full[] = {
    {"shop_cipher", CIPHER},
    {"warehouse_id", "7068517275539719942"},
};

#define URI1 "tos-maliva-i-o3syd03w52-us/c668cdf70b7f483c94dbe"
#define URI2 "tos-maliva-i-o3syd03w52-us/a1b2c3d4e5f60718293a4"
#define URI_CERT "tos-maliva-i-o3syd03w52-us/ce77ce77ce77ce77ce77c"
#define LONG_NAME "Trà xanh Thái Nguyên búp đặc biệt" /* 33 code points */
/* The create's idempotency key for product code HN-TRA-001: Python's
 * hmac.new(b"ocopd create product", b"HN-TRA-001", sha256).hexdigest(). */
#define IDEM "\"idempotency_key\":\"ocopd-" \
             "ec9a8cf23a9f726bbf66214ec8ebf1602e3b090d0000fafe5e517a0416075c3f\""

static oc_shop shop_fixture(void) {
  oc_shop s;

  memset(&s, 0, sizeof s);
  s.base_url = BASE;
  s.app_key = "29a39d";
  s.app_secret = SECRET;
  s.shop_id = "7494726673780148744";
  s.access_token = TOKEN;
  s.refresh_token = REFRESH;
  s.auth_code = CODE;
  s.redirect_url = "https://example.com/cb";
  s.opts = opts_full;
  s.nopts = sizeof opts_full / sizeof opts_full[0];
  return s;
}

/* The fixture's variants: [0] the single one; [1] and [2] join it in the
 * multi-variant tests (listing_multi). Reset by every fixture call. */
static oc_variant fx_var[4];

/* The fixture's content: one gallery image, then room for the tests'
 * own (a second gallery image, a certificate scan). Reset likewise. */
static oc_image fx_img[4];

static oc_listing listing_fixture(void) {
  oc_listing l;

  memset(fx_var, 0, sizeof fx_var);
  fx_var[0].sku = "HN-TRA-001";
  fx_var[0].label = "";
  fx_var[0].price_vnd = 75000;
  fx_var[0].stock = 25;
  fx_var[0].weight_g = 250;
  fx_var[0].remote_id = SID;

  memset(fx_img, 0, sizeof fx_img);
  fx_img[0].remote_id = URI1;
  fx_img[0].url = "https://p16-oec-va.ibyteimg.com/" URI1;

  memset(&l, 0, sizeof l);
  l.category_id = "600001";
  l.brand_id = "";
  l.brand_name = "";
  l.images = fx_img;
  l.nimages = 1;
  l.sku = "HN-TRA-001";
  l.name = "Trà xanh Thái Nguyên";
  l.description = "Trà búp khô, gói 200 g.";
  l.category = "I.3.c";
  l.unit = "gói";
  l.stars = 4;
  l.certificate_no = "3981/QĐ-UBND";
  l.item_id = PID;
  l.variants = fx_var;
  l.nvariants = 1;
  return l;
}

/* Three pack sizes of one product, all on the item. */
static oc_listing listing_multi(void) {
  oc_listing l = listing_fixture();
  static const char *const skus[3] = {"HN-TRA-001-100", "HN-TRA-001-200", "HN-TRA-001-500"};
  static const char *const labels[3] = {"100 g", "200 g", "500 g"};
  static const char *const ids[3] = {SID, SID2, SID3};
  size_t i;

  for (i = 0; i < 3; i++) {
    fx_var[i].sku = skus[i];
    fx_var[i].label = labels[i];
    fx_var[i].price_vnd = 40000 + 30000 * (int64_t)i;
    fx_var[i].stock = 10 * (int64_t)(i + 1);
    fx_var[i].weight_g = i == 2 ? 520 : 120 + 100 * (int32_t)i;
    fx_var[i].remote_id = ids[i];
  }
  l.nvariants = 3;
  return l;
}

static const oc_connector *conn(void) { return OC_ENTRY(); }

/* parse(): the listing or the token parser, by the type of the result. */
#define parse(op, status, body, res)                                          \
  _Generic((res), oc_token_result *: parse_token, default: parse_listing)(   \
      op, status, body, res)

/* build_any(): build_listing or build_token, by the operation's family. */
#define build_any(...) ct_build_any(conn(), __VA_ARGS__)

static int hexval(int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Percent-decodes n bytes of s into out. */
static void pct_decode(const char *s, size_t n, char *out, size_t outlen) {
  size_t i, o = 0;

  for (i = 0; i < n; i++) {
    ASSERT(o + 1 < outlen);
    if (s[i] == '%') {
      ASSERT(i + 2 < n + 1 && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0);
      out[o++] = (char)(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else {
      out[o++] = s[i];
    }
  }
  out[o] = '\0';
}

typedef struct qkv {
  char key[64];
  char value[600];
} qkv;

/* Splits the URL's query into decoded pairs; returns how many. */
static int query_split(const char *url, qkv *out, int max) {
  const char *q = strchr(url, '?');
  int n = 0;

  if (q == NULL)
    return 0;
  q++;
  while (*q) {
    const char *amp = strchr(q, '&'), *eq;
    size_t len = amp ? (size_t)(amp - q) : strlen(q);

    eq = memchr(q, '=', len);
    ASSERT(eq != NULL);
    ASSERT(n < max);
    pct_decode(q, (size_t)(eq - q), out[n].key, sizeof out[n].key);
    pct_decode(eq + 1, len - (size_t)(eq + 1 - q), out[n].value,
               sizeof out[n].value);
    n++;
    q += len;
    if (*q == '&')
      q++;
  }
  return n;
}

static const char *query_get(const char *url, const char *key, char *out,
                             size_t outlen) {
  qkv kv[16];
  int n = query_split(url, kv, 16), i;

  for (i = 0; i < n; i++)
    if (strcmp(kv[i].key, key) == 0) {
      ocu_strlcpy(out, kv[i].value, outlen);
      return out;
    }
  return NULL;
}

/* The query keys in order, comma-joined. */
static void query_keys(const char *url, char *out, size_t outlen) {
  qkv kv[16];
  int n = query_split(url, kv, 16), i;

  out[0] = '\0';
  for (i = 0; i < n; i++) {
    if (i)
      strncat(out, ",", outlen - strlen(out) - 1);
    strncat(out, kv[i].key, outlen - strlen(out) - 1);
  }
}

static int cmp_qkv(const void *a, const void *b) {
  return strcmp(((const qkv *)a)->key, ((const qkv *)b)->key);
}

/*
 * Test-side signing (tiktok.md, "Signing"): recomputes the sign from the URL as
 * sent and the body bytes, and compares it with the sign in the URL. 1 if it
 * verifies.
 */
static int sign_verifies(const oc_request *r, const char *secret) {
  qkv kv[16];
  char path[256], sign[65] = "", mac[65];
  const char *p = strstr(r->url, "://"), *slash, *q;
  ocu_buf b = OCU_BUF_INIT;
  int n, i, m = 0;
  qkv keep[16];
  char *msg;
  size_t len;

  ASSERT(p != NULL);
  slash = strchr(p + 3, '/');
  ASSERT(slash != NULL);
  q = strchr(slash, '?');
  ASSERT(q != NULL && (size_t)(q - slash) < sizeof path);
  memcpy(path, slash, (size_t)(q - slash));
  path[q - slash] = '\0';
  n = query_split(r->url, kv, 16);
  for (i = 0; i < n; i++) {
    if (strcmp(kv[i].key, "sign") == 0)
      ocu_strlcpy(sign, kv[i].value, sizeof sign);
    else if (strcmp(kv[i].key, "access_token") != 0)
      keep[m++] = kv[i];
  }
  qsort(keep, (size_t)m, sizeof keep[0], cmp_qkv);
  ocu_buf_puts(&b, secret);
  ocu_buf_puts(&b, path);
  for (i = 0; i < m; i++) {
    ocu_buf_puts(&b, keep[i].key);
    ocu_buf_puts(&b, keep[i].value);
  }
  if (r->body)
    ocu_buf_add(&b, r->body, r->body_len);
  ocu_buf_puts(&b, secret);
  len = b.len;
  msg = ocu_buf_detach(&b);
  ASSERT_NOT_NULL(msg);
  ASSERT_EQ(ocu_hmac_sha256_hex(secret, strlen(secret), msg, len,
                                OCU_HEX_LOWER, mac),
            0);
  free(msg);
  return strlen(sign) == 64 && strcmp(sign, mac) == 0;
}

static cJSON *body_json(const oc_request *r) {
  cJSON *j;

  ASSERT_NOT_NULL(r->body);
  ASSERT_EQ(r->body_len, strlen(r->body));
  j = cJSON_ParseWithLength(r->body, r->body_len);
  ASSERT_NOT_NULL(j);
  return j;
}

static const char *jstr(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

  ASSERT(cJSON_IsString(it));
  return it->valuestring;
}

static const cJSON *jget(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

  ASSERT_NOT_NULL(it);
  return it;
}

/* Builds op and checks what every shop call shares. */
static void build_ok(oc_op op, const oc_shop *s, const oc_listing *l,
                     const char *method, const char *path, const char *keys,
                     oc_request *r) {
  char err[256], v[128], want[256], got[256];

  ASSERT_EQ(build_any(op, s, l, NOW_MS, r, err, sizeof err), 0);
  ASSERT_STR_EQ(err, "");
  ASSERT_STR_EQ(r->method, method);
  snprintf(want, sizeof want, "%s%s", BASE, path);
  ASSERT_STR_EQ(r->log_url, want);
  snprintf(want, sizeof want, "%s%s?", BASE, path);
  ASSERT(strncmp(r->url, want, strlen(want)) == 0);
  query_keys(r->url, got, sizeof got);
  ASSERT_STR_EQ(got, keys);
  ASSERT_STR_EQ(query_get(r->url, "app_key", v, sizeof v), "29a39d");
  ASSERT_STR_EQ(query_get(r->url, "timestamp", v, sizeof v), "1623812664");
  ASSERT_STR_EQ(query_get(r->url, "shop_cipher", v, sizeof v), CIPHER);
  ASSERT_NULL(strstr(r->url, TOKEN)); /* the token travels in the header */
  ASSERT_NULL(strstr(r->url, SECRET));
  ASSERT_STR_EQ(r->headers[0], "x-tts-access-token: " TOKEN);
  /* application/json on every call, GET included, as TikTok's SDK sends */
  ASSERT_EQ(r->nheaders, 2);
  ASSERT_STR_EQ(r->headers[1], "Content-Type: application/json");
  if (strcmp(method, "POST") == 0) {
    ASSERT_NOT_NULL(r->body);
  } else {
    ASSERT_NULL(r->body);
    ASSERT_EQ(r->body_len, 0);
  }
  ASSERT(sign_verifies(r, SECRET));
}

#define SHOP_KEYS "app_key,shop_cipher,timestamp,sign"

static void parse_with(oc_op op, const oc_listing *l, long status,
                       const char *body, oc_listing_result *res) {
  oc_shop s = shop_fixture();

  ASSERT(!oc_token_op(op)); /* tokens have their own result: parse_token */
  conn()->parse_listing(op, &s, l, status, body, body ? strlen(body) : 0, res);
}

static void parse_listing(oc_op op, long status, const char *body, oc_listing_result *res) {
  oc_listing l = listing_fixture();

  parse_with(op, &l, status, body, res);
}

static void parse_token(oc_op op, long status, const char *body, oc_token_result *res) {
  oc_shop s = shop_fixture();

  conn()->parse_token(op, &s, status, body, body ? strlen(body) : 0, res);
}

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- signing vectors (tiktok.md, "Signing") ------------------------------ */

static void vector(const char *secret, const char *path, const tt_param *p,
                   size_t n, const char *body, const char *want_canon,
                   const char *want_sign) {
  size_t len = 0;
  char *c = tt_canonical(secret, path, p, n, body, body ? strlen(body) : 0,
                         &len);
  char sign[65];

  ASSERT_STR_EQ(c, want_canon);
  ASSERT_EQ(len, strlen(want_canon));
  free(c);
  ASSERT_EQ(tt_sign(secret, path, p, n, body, body ? strlen(body) : 0, sign),
            0);
  ASSERT_STR_EQ(sign, want_sign);
}

static TEST_IMPL(sign_t1_official_example) {
  /* Given out of order, with access_token and sign that must not count. */
  const tt_param p[] = {{"timestamp", "1623812664"},
                        {"sign", "deadbeef"},
                        {"access_token", "TOKEN"},
                        {"app_key", "29a39d"}};

  vector("e59af819cc", "/authorization/202309/shops", p, 4, NULL,
         "e59af819cc/authorization/202309/shopsapp_key29a39d"
         "timestamp1623812664e59af819cc",
         "b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8");
  vector("e59af819cc", "/authorization/202309/shops", p + 3, 1, NULL,
         "e59af819cc/authorization/202309/shopsapp_key29a39de59af819cc",
         "c6631e24796d734799f35ec38c468fe9c37733bd0b325eebc2fa4fd5154ae049");
  return 0;
}

static TEST_IMPL(sign_t2_shop_cipher) {
  const tt_param p[] = {{"shop_cipher", "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK"},
                        {"timestamp", "1696909648"},
                        {"app_key", "68xu9ks5p4i8"}};

  vector("e59af819cc", "/event/202309/webhooks", p, 3, NULL,
         "e59af819cc/event/202309/webhooksapp_key68xu9ks5p4i8shop_cipher"
         "ROW_xkMbgAAAeVAQra0eZWebFQq5aIKtimestamp1696909648e59af819cc",
         "ed58e1b5e59865c22a7b828c1cab65007441f43cc91a6cb2f2cdc638e0995a37");
  return 0;
}

static const tt_param t3_params[] = {
    {"app_key", "68xu9ks5p4i8"},
    {"shop_cipher", "ROW_xkMbgAAAeVAQra0eZWebFQq5aIK"},
    {"timestamp", "1696909648"}};

static TEST_IMPL(sign_t3_t4_body_bytes_matter) {
  static const char b3[] =
      "{\"event_type\":\"PACKAGE_UPDATE\",\"address\":\"https://partner.tiktokshop.com\"}";
  static const char b4[] =
      "{\"address\":\"https://partner.tiktokshop.com\",\"event_type\":\"PACKAGE_UPDATE\"}";
  char s3[65], s3nl[65];

  vector("e59af819cc", "/event/202309/webhooks", t3_params, 3, b3,
         "e59af819cc/event/202309/webhooksapp_key68xu9ks5p4i8shop_cipher"
         "ROW_xkMbgAAAeVAQra0eZWebFQq5aIKtimestamp1696909648"
         "{\"event_type\":\"PACKAGE_UPDATE\",\"address\":\"https://partner.tiktokshop.com\"}"
         "e59af819cc",
         "701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7");
  vector("e59af819cc", "/event/202309/webhooks", t3_params, 3, b4,
         "e59af819cc/event/202309/webhooksapp_key68xu9ks5p4i8shop_cipher"
         "ROW_xkMbgAAAeVAQra0eZWebFQq5aIKtimestamp1696909648"
         "{\"address\":\"https://partner.tiktokshop.com\",\"event_type\":\"PACKAGE_UPDATE\"}"
         "e59af819cc",
         "cd0d6268252f4ba293bf7ea4c0a2873bf9beec600d22530638564ab301435f7a");
  /* Only the given length counts: a trailing byte past it changes nothing,
   * one byte more in it changes the sign. */
  ASSERT_EQ(tt_sign("e59af819cc", "/event/202309/webhooks", t3_params, 3,
                    "{\"event_type\":\"PACKAGE_UPDATE\",\"address\":"
                    "\"https://partner.tiktokshop.com\"}\n",
                    strlen(b3), s3),
            0);
  ASSERT_STR_EQ(s3,
                "701dd6deb2389fe4c469b89bd37fc56f96a6da6afeb4d01c9077a65169752fa7");
  ASSERT_EQ(tt_sign("e59af819cc", "/event/202309/webhooks", t3_params, 3,
                    "{\"event_type\":\"PACKAGE_UPDATE\",\"address\":"
                    "\"https://partner.tiktokshop.com\"}\n",
                    strlen(b3) + 1, s3nl),
            0);
  ASSERT(strcmp(s3nl, s3) != 0);
  return 0;
}

static TEST_IMPL(sign_t5_minimal) {
  const tt_param p[] = {{"foo", "bar"}};

  vector("app_secret", "/test-api", p, 1, NULL,
         "app_secret/test-apifoobarapp_secret",
         "d3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f");
  return 0;
}

static TEST_IMPL(sign_t6_push_hmac_layer) {
  /* Webhook Authorization = HMAC(app_secret, app_key ‖ raw body) (tiktok.md,
   * "Push"); the connector ABI has no push call, so the shared HMAC layer is
   * checked against the vector. */
  static const char msg[] =
      "fake_app_key{\"type\":1,\"shop_id\":\"7494726673780148744\","
      "\"timestamp\":1664095733,\"data\":{\"order_id\":\"576684019603311365\","
      "\"order_status\":\"AWAITING_SHIPMENT\",\"update_time\":1664095610}}";
  char out[65];

  ASSERT_EQ(ocu_hmac_sha256_hex("fake_app_secret", 15, msg, strlen(msg),
                                OCU_HEX_LOWER, out),
            0);
  ASSERT_STR_EQ(out,
                "21109834de72ec53c9959716d8514ae388ce1f123e5ffdcafc46713fcdf62b27");
  return 0;
}

/* ---- entry point ------------------------------------------------------------ */

static TEST_IMPL(entry_point) {
  const oc_connector *c = conn();

  ASSERT_EQ(c->abi, OC_ABI_VERSION);
  ASSERT_STR_EQ(c->name, "tiktok");
  ASSERT_EQ(c->caps, OC_CAP(OC_OP_PUBLISH) | OC_CAP(OC_OP_UPDATE) |
                         OC_CAP(OC_OP_SET_STOCK) | OC_CAP(OC_OP_SET_PRICE) |
                         OC_CAP(OC_OP_DELIST) | OC_CAP(OC_OP_RELIST) |
                         OC_CAP(OC_OP_LOOKUP_SKU) | OC_CAP(OC_OP_GET_LISTING) |
                         OC_CAP(OC_OP_REFRESH_TOKEN) | OC_CAP(OC_OP_AUTH_LINK) |
                         OC_CAP(OC_OP_TOKEN_EXCHANGE) |
                         OC_CAP(OC_OP_LIST_ORDERS) | OC_CAP(OC_OP_GET_ORDERS) |
                         OC_CAP(OC_OP_VARIANTS) | OC_CAP(OC_OP_UPLOAD_IMAGE) |
                         OC_CAP(OC_OP_CATEGORY) | OC_CAP_STRIP);
  ASSERT_NOT_NULL(c->build_upload);
  ASSERT_NOT_NULL(c->parse_upload);
  ASSERT_NOT_NULL(c->build_category);
  ASSERT_NOT_NULL(c->parse_category);
  ASSERT_NOT_NULL(c->build_listing);
  ASSERT_NOT_NULL(c->parse_listing);
  ASSERT_NOT_NULL(c->build_token);
  ASSERT_NOT_NULL(c->parse_token);
  ASSERT_NULL(c->feed);
  ASSERT_EQ(c->order_window_s, 7 * 86400);
  ASSERT_NOT_NULL(c->build_orders);
  ASSERT_NOT_NULL(c->parse_order_page);
  ASSERT_NOT_NULL(c->parse_order_batch);
  ASSERT_NOT_NULL(c->verify_push);
  return 0;
}

/* ---- build ------------------------------------------------------------------ */

static TEST_IMPL(build_publish) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  cJSON *b;
  const cJSON *img, *pw, *sku, *price, *inv;

  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products",
           SHOP_KEYS, &r);
  b = body_json(&r);
  ASSERT_STR_EQ(jstr(b, "title"), "Trà xanh Thái Nguyên - OCOP 4 sao");
  ASSERT_STR_EQ(jstr(b, "description"),
                "Sản phẩm OCOP 4 sao (quyết định 3981/QĐ-UBND).\n"
                "Trà búp khô, gói 200 g.");
  ASSERT_STR_EQ(jstr(b, "category_id"), "600001");
  img = jget(b, "main_images");
  ASSERT_EQ(cJSON_GetArraySize(img), 1);
  ASSERT_STR_EQ(jstr(cJSON_GetArrayItem(img, 0), "uri"),
                "tos-maliva-i-o3syd03w52-us/c668cdf70b7f483c94dbe");
  pw = jget(b, "package_weight");
  ASSERT_STR_EQ(jstr(pw, "value"), "0.25");
  ASSERT_STR_EQ(jstr(pw, "unit"), "KILOGRAM");
  ASSERT_EQ(cJSON_GetArraySize(jget(b, "skus")), 1);
  sku = cJSON_GetArrayItem(jget(b, "skus"), 0);
  ASSERT_STR_EQ(jstr(sku, "seller_sku"), "HN-TRA-001");
  price = jget(sku, "price");
  ASSERT_STR_EQ(jstr(price, "amount"), "75000");
  ASSERT_STR_EQ(jstr(price, "currency"), "VND");
  inv = cJSON_GetArrayItem(jget(sku, "inventory"), 0);
  ASSERT_STR_EQ(jstr(inv, "warehouse_id"), "7068517275539719942");
  ASSERT(cJSON_IsNumber(jget(inv, "quantity")));
  ASSERT_EQ(jget(inv, "quantity")->valueint, 25);
  /* amount is a JSON string, quantity a bare integer */
  ASSERT_NOT_NULL(strstr(r.body, "\"amount\":\"75000\""));
  ASSERT_NOT_NULL(strstr(r.body, "\"quantity\":25}"));
  ASSERT(starts_with(r.body, "{\"title\":"));
  cJSON_Delete(b);
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_publish_options) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  cJSON *b;

  /* the category is the listing's, whatever the OCOP code */
  l.category = "II.1.a";
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products",
           SHOP_KEYS, &r);
  b = body_json(&r);
  ASSERT_STR_EQ(jstr(b, "category_id"), "600001");
  cJSON_Delete(b);
  oc_request_free(&r);
  /* weight 1005 g -> "1.005", 2000 g -> "2" */
  fx_var[0].weight_g = 1005;
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products",
           SHOP_KEYS, &r);
  ASSERT_NOT_NULL(strstr(r.body, "\"value\":\"1.005\""));
  oc_request_free(&r);
  fx_var[0].weight_g = 2000;
  l.stars = 0;
  l.certificate_no = NULL;
  l.name = LONG_NAME; /* without its claim the title needs 25 characters */
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products",
           SHOP_KEYS, &r);
  ASSERT_NOT_NULL(strstr(r.body, "\"value\":\"2\""));
  b = body_json(&r);
  ASSERT_STR_EQ(jstr(b, "title"), LONG_NAME);
  ASSERT_STR_EQ(jstr(b, "description"), "Trà búp khô, gói 200 g.");
  cJSON_Delete(b);
  oc_request_free(&r);
  return 0;
}

static void build_fails(oc_op op, const oc_shop *s, const oc_listing *l,
                        const char *want_in_err) {
  oc_request r;
  char err[256];

  memset(&r, 0x5a, sizeof r);
  ASSERT_EQ(build_any(op, s, l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_NULL(r.url);
  ASSERT_NULL(r.log_url);
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 0);
  if (strstr(err, want_in_err) == NULL) {
    fprintf(stderr, "error \"%s\" lacks \"%s\"\n", err, want_in_err);
    ASSERT(0);
  }
  ASSERT_NULL(strstr(err, SECRET));
  ASSERT_NULL(strstr(err, TOKEN));
  ASSERT_NULL(strstr(err, REFRESH));
}

static TEST_IMPL(build_missing_options) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_kv o[5];
  size_t i, n = 0;

  /* no shop_cipher: every shop call refuses, naming the option */
  for (i = 0; i < s.nopts; i++)
    if (strcmp(opts_full[i].key, "shop_cipher") != 0)
      o[n++] = opts_full[i];
  s.opts = o;
  s.nopts = n;
  build_fails(OC_OP_PUBLISH, &s, &l, "\"shop_cipher\"");
  build_fails(OC_OP_SET_STOCK, &s, &l, "\"shop_cipher\"");
  build_fails(OC_OP_GET_LISTING, &s, &l, "\"shop_cipher\"");
  build_fails(OC_OP_LOOKUP_SKU, &s, &l, "\"shop_cipher\"");

  s = shop_fixture();
  s.opts = NULL;
  s.nopts = 0;
  build_fails(OC_OP_DELIST, &s, &l, "\"shop_cipher\"");

  {
    oc_kv only[] = {{"shop_cipher", CIPHER}};
    oc_kv badwh[] = {{"shop_cipher", CIPHER}, {"warehouse_id", "x"}};

    s.opts = only;
    s.nopts = 1;
    build_fails(OC_OP_PUBLISH, &s, &l, "\"warehouse_id\"");
    build_fails(OC_OP_SET_STOCK, &s, &l, "\"warehouse_id\"");
    s.opts = badwh;
    s.nopts = 2;
    build_fails(OC_OP_SET_STOCK, &s, &l, "\"warehouse_id\" is not a numeric");
  }
  s = shop_fixture();
  s.access_token = "";
  build_fails(OC_OP_SET_PRICE, &s, &l, "access_token");
  s = shop_fixture();
  s.base_url = BASE "/";
  build_fails(OC_OP_SET_PRICE, &s, &l, "base_url");
  s = shop_fixture();
  s.app_secret = NULL;
  build_fails(OC_OP_SET_PRICE, &s, &l, "app_secret");
  s = shop_fixture();
  fx_var[0].weight_g = 0;
  build_fails(OC_OP_PUBLISH, &s, &l, "weight");
  return 0;
}

static TEST_IMPL(build_bad_listing) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  static const char *const bad_ids[] = {
      PID ":" SID,   PID ":",      ":" SID,          "12a",
      "12 3",        "../x",       PID "/x",         "123456789012345678901",
      "-1",          PID "?a=b",   ""};
  size_t i;

  for (i = 0; i < sizeof bad_ids / sizeof bad_ids[0]; i++) {
    l.item_id = bad_ids[i];
    build_fails(OC_OP_SET_STOCK, &s, &l, "item_id");
    build_fails(OC_OP_GET_LISTING, &s, &l, "item_id");
    build_fails(OC_OP_DELIST, &s, &l, "item_id");
  }
  l.item_id = NULL;
  build_fails(OC_OP_UPDATE, &s, &l, "not published");
  l = listing_fixture();
  l.stars = 2;
  build_fails(OC_OP_UPDATE, &s, &l, "stars");
  l = listing_fixture();
  l.name = "Trà OCOP";
  build_fails(OC_OP_UPDATE, &s, &l, "OCOP");
  l = listing_fixture();
  l.name = " \t ";
  build_fails(OC_OP_PUBLISH, &s, &l, "blank");
  l = listing_fixture();
  l.name = "bad \xC3";
  build_fails(OC_OP_PUBLISH, &s, &l, "UTF-8");
  l = listing_fixture();
  fx_var[0].price_vnd = -1;
  build_fails(OC_OP_SET_PRICE, &s, &l, "price");
  l = listing_fixture();
  fx_var[0].stock = -1;
  build_fails(OC_OP_SET_STOCK, &s, &l, "stock");
  l = listing_fixture();
  l.certificate_no = NULL;
  build_fails(OC_OP_UPDATE, &s, &l, "certificate_no");
  build_fails(OC_OP_GET_LISTING, &s, NULL, "listing is missing");
  build_fails((oc_op)0, &s, &l, "not supported");
  build_fails(OC_OP_MAX, &s, &l, "not supported");
  return 0;
}

static TEST_IMPL(build_update_claims_and_strip) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  cJSON *b;

  /* with its claim: two gallery images, the second the OCOP star label */
  fx_img[1].remote_id = URI2;
  fx_img[1].url = "";
  l.nimages = 2;
  build_ok(OC_OP_UPDATE, &s, &l, "POST",
           "/product/202309/products/" PID "/partial_edit", SHOP_KEYS, &r);
  b = body_json(&r);
  ASSERT_STR_EQ(jstr(b, "title"), "Trà xanh Thái Nguyên - OCOP 4 sao");
  ASSERT(starts_with(jstr(b, "description"),
                     "Sản phẩm OCOP 4 sao (quyết định 3981/QĐ-UBND).\n"));
  ASSERT_EQ(cJSON_GetArraySize(jget(b, "main_images")), 2);
  cJSON_Delete(b);
  oc_request_free(&r);

  /* stripped: the core left the claim image out; the edit replaces the
   * gallery, so it disappears; empty lists are sent to clear */
  l.stars = 0;
  l.certificate_no = NULL;
  l.name = LONG_NAME;
  l.nimages = 1;
  build_ok(OC_OP_UPDATE, &s, &l, "POST",
           "/product/202309/products/" PID "/partial_edit", SHOP_KEYS, &r);
  ASSERT_STR_EQ(r.body, "{\"title\":\"" LONG_NAME "\","
                        "\"description\":\"Trà búp khô, gói 200 g.\","
                        "\"category_id\":\"600001\","
                        "\"main_images\":[{\"uri\":\"" URI1 "\"}],"
                        "\"product_attributes\":[],\"certifications\":[],"
                        "\"package_weight\":{\"value\":\"0.25\",\"unit\":\"KILOGRAM\"}}");
  ASSERT_NULL(strstr(r.body, "OCOP"));
  oc_request_free(&r);

  /* a stripped title under 25 characters is held, not sent */
  l.name = "Trà xanh Thái Nguyên";
  build_fails(OC_OP_UPDATE, &s, &l,
              "TikTok requires a title of 25-255 characters; this one has 20");
  return 0;
}

static TEST_IMPL(build_set_stock) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;

  fx_var[0].stock = 0;
  build_ok(OC_OP_SET_STOCK, &s, &l, "POST",
           "/product/202309/products/" PID "/inventory/update", SHOP_KEYS, &r);
  ASSERT_STR_EQ(r.body, "{\"skus\":[{\"id\":\"" SID "\",\"inventory\":"
                        "[{\"warehouse_id\":\"7068517275539719942\","
                        "\"quantity\":0}]}]}");
  oc_request_free(&r);
  fx_var[0].stock = 123456789012LL;
  build_ok(OC_OP_SET_STOCK, &s, &l, "POST",
           "/product/202309/products/" PID "/inventory/update", SHOP_KEYS, &r);
  ASSERT_NOT_NULL(strstr(r.body, "\"quantity\":123456789012}"));
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_set_price) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  char v[128];

  build_ok(OC_OP_SET_PRICE, &s, &l, "POST",
           "/product/202309/products/" PID "/prices/update", SHOP_KEYS, &r);
  ASSERT_STR_EQ(r.body, "{\"skus\":[{\"id\":\"" SID "\",\"price\":"
                        "{\"amount\":\"75000\",\"currency\":\"VND\"}}]}");
  /* Python hmac over the hand-written canonical string. */
  ASSERT_STR_EQ(query_get(r.url, "sign", v, sizeof v),
                "cd21656fcf7a5b51f2c3c8369b34e19d6a16c94d86bfa90bc0dce5ff76910488");
  ASSERT_STR_EQ(r.url, BASE "/product/202309/products/" PID "/prices/update"
                            "?app_key=29a39d&shop_cipher=" CIPHER
                            "&timestamp=1623812664&sign=cd21656fcf7a5b51f2c3c8"
                            "369b34e19d6a16c94d86bfa90bc0dce5ff76910488");
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_delist_relist) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  char v[128];

  build_ok(OC_OP_DELIST, &s, &l, "POST", "/product/202309/products/deactivate",
           SHOP_KEYS, &r);
  ASSERT_STR_EQ(r.body, "{\"product_ids\":[\"" PID "\"]}");
  ASSERT_STR_EQ(query_get(r.url, "sign", v, sizeof v),
                "ab9340da9b836edc16eb87a721edd57b91329955af388ff0a2ca42f483a1ff65");
  oc_request_free(&r);
  build_ok(OC_OP_RELIST, &s, &l, "POST", "/product/202309/products/activate",
           SHOP_KEYS, &r);
  ASSERT_STR_EQ(r.body, "{\"product_ids\":[\"" PID "\"]}");
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_lookup_sku) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  char v[128];

  l.item_id = NULL; /* not needed */
  build_ok(OC_OP_LOOKUP_SKU, &s, &l, "POST", "/product/202309/products/search",
           "app_key,page_size,shop_cipher,timestamp,sign", &r);
  ASSERT_STR_EQ(query_get(r.url, "page_size", v, sizeof v), "10");
  ASSERT_STR_EQ(r.body, "{\"seller_skus\":[\"HN-TRA-001\"]}");
  ASSERT_STR_EQ(query_get(r.url, "sign", v, sizeof v),
                "e056828d6d3789a629e6e63bcf5a1d7a7a959b8b9e5d6dd998d2973a51c8efa1");
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_get_listing) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  char v[128];

  build_ok(OC_OP_GET_LISTING, &s, &l, "GET", "/product/202309/products/" PID,
           SHOP_KEYS, &r);
  ASSERT_STR_EQ(query_get(r.url, "sign", v, sizeof v),
                "c42eb74821766bcc416b72b645db7eb9f7bc289f1add74b35c1ee490e1034252");
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_sign_covers_body_and_encoding) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_kv o[] = {{"shop_cipher", "ROW a+b/c&d=é"}};
  oc_request r;
  char err[256], v[128];

  /* A body byte changed after signing no longer verifies. */
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products",
           SHOP_KEYS, &r);
  ASSERT(sign_verifies(&r, SECRET));
  r.body[r.body_len - 2] ^= 1;
  ASSERT(!sign_verifies(&r, SECRET));
  ASSERT(!sign_verifies(&r, "another_secret"));
  oc_request_free(&r);

  /* Raw values are signed, encoded ones sent. */
  s.opts = o;
  s.nopts = 1;
  ASSERT_EQ(build_any(OC_OP_DELIST, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_NOT_NULL(strstr(r.url, "shop_cipher=ROW%20a%2Bb%2Fc%26d%3D%C3%A9&"));
  ASSERT_STR_EQ(query_get(r.url, "shop_cipher", v, sizeof v), "ROW a+b/c&d=é");
  ASSERT(sign_verifies(&r, SECRET));
  oc_request_free(&r);
  return 0;
}

/* [unverified] link form (tiktok.md, "Verified and our reading"):
 * <auth_link_base>/open/authorize with service_id; no secret, no sign. */
static TEST_IMPL(build_auth_link) {
  oc_shop s = shop_fixture();
  oc_request r;
  char err[256];
  oc_kv o[] = {{"auth_link_base", "https://services.tiktokshop.com.example"}};
  oc_kv bad[] = {{"auth_link_base", "https://services.tiktokshop.com/open"}};

  s.access_token = NULL;
  ASSERT_EQ(build_any(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.method, "GET");
  ASSERT_STR_EQ(r.url, "https://services.tiktokshop.com/open/authorize?service_id=29a39d");
  ASSERT_STR_EQ(r.log_url, "https://services.tiktokshop.com/open/authorize");
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 0);
  oc_request_free(&r);
  s.opts = o;
  s.nopts = 1;
  ASSERT_EQ(build_any(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.url,
                "https://services.tiktokshop.com.example/open/authorize?service_id=29a39d");
  oc_request_free(&r);
  s.opts = bad;
  build_fails(OC_OP_AUTH_LINK, &s, NULL, "\"auth_link_base\"");
  return 0;
}

/* tiktok.md, "Authorisation and tokens": GET token/get, app_secret in the
 * query, no sign. */
static TEST_IMPL(build_token_exchange) {
  oc_shop s = shop_fixture();
  oc_request r;
  char err[256], v[128], keys[256];
  oc_kv o[] = {{"auth_url", "http://127.0.0.1:8088"}};

  s.access_token = NULL;
  s.refresh_token = NULL;
  ASSERT_EQ(build_any(OC_OP_TOKEN_EXCHANGE, &s, NULL, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.method, "GET");
  ASSERT_STR_EQ(r.log_url, "https://auth.tiktok-shops.com/api/v2/token/get");
  ASSERT(starts_with(r.url, "https://auth.tiktok-shops.com/api/v2/token/get?"));
  query_keys(r.url, keys, sizeof keys);
  ASSERT_STR_EQ(keys, "app_key,app_secret,auth_code,grant_type");
  ASSERT_STR_EQ(query_get(r.url, "app_key", v, sizeof v), "29a39d");
  ASSERT_STR_EQ(query_get(r.url, "app_secret", v, sizeof v), SECRET);
  ASSERT_STR_EQ(query_get(r.url, "auth_code", v, sizeof v), CODE);
  ASSERT_STR_EQ(query_get(r.url, "grant_type", v, sizeof v), "authorized_code");
  ASSERT_NULL(strstr(r.url, "sign="));
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 1);
  ASSERT_STR_EQ(r.headers[0], "Content-Type: application/json");
  oc_request_free(&r);
  s.opts = o;
  s.nopts = 1;
  ASSERT_EQ(build_any(OC_OP_TOKEN_EXCHANGE, &s, NULL, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.log_url, "http://127.0.0.1:8088/api/v2/token/get");
  oc_request_free(&r);
  s.auth_code = NULL;
  build_fails(OC_OP_TOKEN_EXCHANGE, &s, NULL, "auth_code is not set");
  return 0;
}

/* Absolute expiries like the refresh; a refused code is OC_AUTH, and the
 * code is scrubbed from the error. */
static TEST_IMPL(parse_token_exchange) {
  oc_token_result res;

  parse(OC_OP_TOKEN_EXCHANGE, 200,
        "{\"code\":0,\"message\":\"success\",\"request_id\":\"TX\",\"data\":{"
        "\"access_token\":\"FIRST_ACCESS\",\"access_token_expire_in\":1722342011,"
        "\"refresh_token\":\"FIRST_REFRESH\",\"refresh_token_expire_in\":"
        "1753878011,\"open_id\":\"x\",\"seller_name\":\"y\"}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.access_token, "FIRST_ACCESS");
  ASSERT_STR_EQ(res.refresh_token, "FIRST_REFRESH");
  ASSERT_EQ(oc_expiry_to_unix(res.access_expires_at, 1623812664), 1722342011);
  ASSERT_EQ(res.refresh_expires_at, 1753878011);

  parse(OC_OP_TOKEN_EXCHANGE, 200,
        "{\"code\":36004004,\"message\":\"auth code tt_auth_code_value_9 is invalid\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  ASSERT_STR_EQ(res.access_token, "");
  ASSERT_NULL(strstr(res.v.error, CODE));
  parse(OC_OP_TOKEN_EXCHANGE, 200, "{\"code\":105001,\"message\":\"invalid\"}", &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  return 0;
}

static TEST_IMPL(build_refresh_token) {
  oc_shop s = shop_fixture();
  oc_request r;
  char err[256], v[128], keys[256];
  oc_kv o[] = {{"auth_url", "http://127.0.0.1:8088"}};

  s.access_token = NULL; /* not needed */
  ASSERT_EQ(build_any(OC_OP_REFRESH_TOKEN, &s, NULL, NOW_MS, &r, err,
                          sizeof err),
            0);
  ASSERT_STR_EQ(r.method, "GET");
  ASSERT_STR_EQ(r.log_url, "https://auth.tiktok-shops.com/api/v2/token/refresh");
  ASSERT(starts_with(r.url, "https://auth.tiktok-shops.com/api/v2/token/refresh?"));
  query_keys(r.url, keys, sizeof keys);
  ASSERT_STR_EQ(keys, "app_key,app_secret,refresh_token,grant_type");
  ASSERT_STR_EQ(query_get(r.url, "app_key", v, sizeof v), "29a39d");
  ASSERT_STR_EQ(query_get(r.url, "app_secret", v, sizeof v), SECRET);
  ASSERT_STR_EQ(query_get(r.url, "refresh_token", v, sizeof v), REFRESH);
  ASSERT_STR_EQ(query_get(r.url, "grant_type", v, sizeof v), "refresh_token");
  ASSERT_NULL(strstr(r.url, "sign="));
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 1);
  ASSERT_STR_EQ(r.headers[0], "Content-Type: application/json");
  ASSERT_NULL(strstr(r.log_url, SECRET));
  oc_request_free(&r);

  s.opts = o;
  s.nopts = 1;
  ASSERT_EQ(build_any(OC_OP_REFRESH_TOKEN, &s, NULL, NOW_MS, &r, err,
                          sizeof err),
            0);
  ASSERT_STR_EQ(r.log_url, "http://127.0.0.1:8088/api/v2/token/refresh");
  ASSERT(starts_with(r.url, "http://127.0.0.1:8088/api/v2/token/refresh?app_key="));
  oc_request_free(&r);

  s.refresh_token = "";
  build_fails(OC_OP_REFRESH_TOKEN, &s, NULL, "refresh_token");
  o[0].value = "http://127.0.0.1:8088/";
  s.refresh_token = REFRESH;
  build_fails(OC_OP_REFRESH_TOKEN, &s, NULL, "\"auth_url\"");
  return 0;
}

/* ---- titles ---------------------------------------------------------------- */

static TEST_IMPL(title_claims_and_plain) {
  oc_listing l = listing_fixture();
  char *t;

  t = ocu_claim_title(&l, TT_TITLE_MAX_CP);
  ASSERT_STR_EQ(t, "Trà xanh Thái Nguyên - OCOP 4 sao");
  free(t);
  l.stars = 5;
  t = ocu_claim_title(&l, TT_TITLE_MAX_CP);
  ASSERT_STR_EQ(t, "Trà xanh Thái Nguyên - OCOP 5 sao");
  free(t);
  t = ocu_claim_description(&l);
  ASSERT_STR_EQ(t, "Sản phẩm OCOP 5 sao (quyết định 3981/QĐ-UBND).\n"
                   "Trà búp khô, gói 200 g.");
  free(t);
  l.stars = 0;
  t = ocu_claim_title(&l, TT_TITLE_MAX_CP);
  ASSERT_STR_EQ(t, "Trà xanh Thái Nguyên");
  free(t);
  t = ocu_claim_description(&l);
  ASSERT_STR_EQ(t, "Trà búp khô, gói 200 g.");
  free(t);
  l.name = "  Trà xanh  \t";
  t = ocu_claim_title(&l, TT_TITLE_MAX_CP);
  ASSERT_STR_EQ(t, "Trà xanh");
  free(t);
  l.stars = 3;
  t = ocu_claim_title(&l, TT_TITLE_MAX_CP);
  ASSERT_STR_EQ(t, "Trà xanh - OCOP 3 sao");
  free(t);
  return 0;
}

static TEST_IMPL(title_trim_utf8) {
  oc_listing l = listing_fixture();
  char name[2048], want[2048];
  char *t;
  int i;

  /* 300 x "ệ" (3 bytes each): 242 fit beside " - OCOP 4 sao" (13). */
  name[0] = '\0';
  for (i = 0; i < 300; i++)
    strcat(name, "ệ");
  l.name = name;
  t = ocu_claim_title(&l, TT_TITLE_MAX_CP);
  ASSERT_EQ(ocu_utf8_count(t), 255);
  ASSERT(ocu_utf8_valid(t, strlen(t)));
  want[0] = '\0';
  for (i = 0; i < 242; i++)
    strcat(want, "ệ");
  strcat(want, " - OCOP 4 sao");
  ASSERT_STR_EQ(t, want);
  free(t);
  l.stars = 0;
  t = ocu_claim_title(&l, TT_TITLE_MAX_CP);
  ASSERT_EQ(ocu_utf8_count(t), 255);
  free(t);

  /* Exactly 242 then a space and more: no trailing blank kept. */
  want[0] = '\0';
  for (i = 0; i < 241; i++)
    strcat(want, "a");
  strcpy(name, want);
  strcat(name, " bcdef");
  l.name = name;
  l.stars = 4;
  t = ocu_claim_title(&l, TT_TITLE_MAX_CP);
  strcat(want, " - OCOP 4 sao");
  ASSERT_STR_EQ(t, want);
  free(t);

  /* Decomposed accent at the cut: the base letter goes with it. */
  name[0] = '\0';
  for (i = 0; i < 241; i++)
    strcat(name, "a");
  strcat(name, "e\xCC\x82xyz"); /* e + combining circumflex at cp 242..243 */
  l.name = name;
  t = ocu_claim_title(&l, TT_TITLE_MAX_CP);
  want[0] = '\0';
  for (i = 0; i < 241; i++)
    strcat(want, "a");
  strcat(want, " - OCOP 4 sao");
  ASSERT_STR_EQ(t, want);
  free(t);
  return 0;
}

/* ---- secrets -------------------------------------------------------------- */

static TEST_IMPL(log_url_has_no_secrets) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_op op;

  const char *ids[] = {"576684019603311365"};
  oc_order_query q = {1700000000, 1700086400, "tok", ids, 1};

  for (op = OC_OP_PUBLISH; op < OC_OP_UPLOAD_IMAGE; op++) {
    oc_request r;
    char err[256];

    fx_var[0].remote_id = op == OC_OP_VARIANTS ? NULL : SID; /* a step to make */
    if (op == OC_OP_LIST_ORDERS || op == OC_OP_GET_ORDERS) {
      ASSERT_EQ(build_any(op, &s, &l, NOW_MS, &r, err, sizeof err), -1);
      ASSERT_EQ(conn()->build_orders(op, &s, &q, NOW_MS, &r, err, sizeof err),
                0);
    } else {
      ASSERT_EQ(build_any(op, &s, &l, NOW_MS, &r, err, sizeof err), 0);
    }
    ASSERT_NOT_NULL(r.log_url);
    ASSERT_NULL(strchr(r.log_url, '?'));
    ASSERT_NULL(strstr(r.log_url, SECRET));
    ASSERT_NULL(strstr(r.log_url, TOKEN));
    ASSERT_NULL(strstr(r.log_url, REFRESH));
    ASSERT_NULL(strstr(r.log_url, "sign"));
    ASSERT_NULL(strstr(r.log_url, CIPHER));
    if (op != OC_OP_REFRESH_TOKEN && op != OC_OP_TOKEN_EXCHANGE)
      ASSERT_NULL(strstr(r.url, SECRET));
    if (r.body != NULL) {
      ASSERT_NULL(strstr(r.body, SECRET));
      ASSERT_NULL(strstr(r.body, TOKEN));
    }
    oc_request_free(&r);
  }
  return 0;
}

static TEST_IMPL(parse_error_text_scrubbed) {
  oc_listing_result res;

  parse(OC_OP_SET_PRICE, 200,
        "{\"code\":106001,\"message\":\"sign invalid for secret " SECRET
        " token " TOKEN " refresh " REFRESH "\",\"request_id\":\"r1\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_NULL(strstr(res.v.error, SECRET));
  ASSERT_NULL(strstr(res.v.error, TOKEN));
  ASSERT_NULL(strstr(res.v.error, REFRESH));
  ASSERT(starts_with(res.v.error, "106001: sign invalid for secret ***"));
  return 0;
}

/* ---- parse: success ---------------------------------------------------------- */

static TEST_IMPL(parse_publish_ok) {
  oc_listing_result res;

  parse(OC_OP_PUBLISH, 200,
        "{\"code\":0,\"message\":\"Success\",\"request_id\":\"2026R1\","
        "\"data\":{\"product_id\":\"" PID "\",\"skus\":[{\"id\":\"1\","
        "\"seller_sku\":\"OTHER\"},{\"id\":\"" SID "\",\"seller_sku\":"
        "\"HN-TRA-001\"}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, PID);
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].sku, "HN-TRA-001");
  ASSERT_STR_EQ(res.variants[0].remote_id, SID);
  ASSERT_STR_EQ(res.v.request_id, "2026R1");
  ASSERT_STR_EQ(res.v.error, "");
  /* one sku without seller_sku echoed */
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":0,\"data\":{\"product_id\":\"9223372036854775807\","
        "\"skus\":[{\"id\":\"18446744073709551615\"}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "9223372036854775807");
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].sku, "HN-TRA-001");
  ASSERT_STR_EQ(res.variants[0].remote_id, "18446744073709551615");
  /* ids as numbers are refused, never rounded */
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":0,\"data\":{\"product_id\":1729592969712207321,"
        "\"skus\":[{\"id\":\"" SID "\"}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "unexpected response: "));
  ASSERT_NOT_NULL(strstr(res.v.error, "data.product_id is not a string"));
  ASSERT_STR_EQ(res.item_id, "");
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":0,\"data\":{\"product_id\":\"" PID "\","
        "\"skus\":[{\"id\":1729592969712272857,\"seller_sku\":\"HN-TRA-001\"}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "unexpected response: "));
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":0,\"data\":{\"product_id\":\"\",\"skus\":[]}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":0,\"data\":{\"product_id\":\"12x\",\"skus\":[]}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":0,\"data\":{\"product_id\":\"" PID "\",\"skus\":[]}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_PUBLISH, 200, "{\"code\":0}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_NOT_NULL(strstr(res.v.error, "data is missing"));
  return 0;
}

static TEST_IMPL(parse_lookup_sku) {
  oc_listing_result res;
  oc_listing l = listing_fixture();

  l.item_id = NULL; /* by SKU: the search */

  parse_with(OC_OP_LOOKUP_SKU, &l, 200,
        "{\"code\":0,\"data\":{\"products\":[],\"total_count\":0,"
        "\"next_page_token\":\"\"}}",
        &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  ASSERT_STR_EQ(res.item_id, "");
  parse_with(OC_OP_LOOKUP_SKU, &l, 200, "{\"code\":0,\"data\":{}}", &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  /* only an exact seller_sku; a DELETED product does not count */
  parse_with(OC_OP_LOOKUP_SKU, &l, 200,
        "{\"code\":0,\"data\":{\"products\":["
        "{\"id\":\"111\",\"status\":\"ACTIVATE\",\"skus\":[{\"id\":\"1\","
        "\"seller_sku\":\"HN-TRA-0011\"}]},"
        "{\"id\":\"222\",\"status\":\"DELETED\",\"skus\":[{\"id\":\"2\","
        "\"seller_sku\":\"HN-TRA-001\"}]},"
        "{\"id\":\"" PID "\",\"status\":\"SELLER_DEACTIVATED\",\"skus\":[{\"id\":\"" SID
        "\",\"seller_sku\":\"HN-TRA-001\"}]}],\"total_count\":3}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, PID);
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].sku, "HN-TRA-001");
  ASSERT_STR_EQ(res.variants[0].remote_id, SID);
  ASSERT_EQ(res.variants[0].price_vnd, -1); /* not printed: unknown */
  ASSERT_STR_EQ(res.memo, "");
  parse_with(OC_OP_LOOKUP_SKU, &l, 200,
        "{\"code\":0,\"data\":{\"products\":[{\"id\":\"111\",\"skus\":"
        "[{\"id\":\"1\",\"seller_sku\":\"X\"}]}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  parse_with(OC_OP_LOOKUP_SKU, &l, 200,
        "{\"code\":0,\"data\":{\"products\":{\"id\":\"1\"}}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse_with(OC_OP_LOOKUP_SKU, &l, 200,
        "{\"code\":0,\"data\":{\"products\":[{\"id\":1,\"skus\":[]}]}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "unexpected response: "));
  return 0;
}

static const char listing_ok[] =
    "{\"code\":0,\"message\":\"Success\",\"request_id\":\"R9\",\"data\":{"
    "\"id\":\"" PID "\",\"status\":\"ACTIVATE\",\"title\":\"x\",\"skus\":["
    "{\"id\":\"5\",\"seller_sku\":\"OTHER\",\"price\":{\"amount\":\"1\","
    "\"currency\":\"VND\"},\"inventory\":[{\"quantity\":1}]},"
    "{\"id\":\"" SID "\",\"seller_sku\":\"HN-TRA-001\",\"price\":{\"amount\":"
    "\"75000\",\"currency\":\"VND\"},\"inventory\":[{\"warehouse_id\":\"7\","
    "\"quantity\":20},{\"warehouse_id\":\"8\",\"quantity\":5}]}]}}";

static TEST_IMPL(parse_get_listing) {
  oc_listing_result res;
  char buf[2048];
  char *p;

  parse(OC_OP_GET_LISTING, 200, listing_ok, &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, PID);
  ASSERT_EQ(res.active, 1);
  ASSERT_EQ(res.nvariants, 2); /* every SKU: the core keeps its own */
  ASSERT_STR_EQ(res.variants[0].sku, "OTHER");
  ASSERT_STR_EQ(res.variants[1].sku, "HN-TRA-001");
  ASSERT_STR_EQ(res.variants[1].remote_id, SID);
  ASSERT_EQ(res.variants[1].price_vnd, 75000);
  ASSERT_EQ(res.variants[1].stock, 25);
  ASSERT_STR_EQ(res.memo, "");
  ASSERT_STR_EQ(res.v.request_id, "R9");
  ASSERT_STR_EQ(res.v.error, "");

  strcpy(buf, listing_ok);
  p = strstr(buf, "ACTIVATE");
  memcpy(p, "DELETED\"", 8);
  memmove(p + 8, p + 9, strlen(p + 9) + 1);
  parse(OC_OP_GET_LISTING, 200, buf, &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);

  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":0,\"data\":{\"id\":\"" PID "\",\"status\":"
        "\"SELLER_DEACTIVATED\",\"skus\":[{\"id\":\"" SID "\",\"price\":"
        "{\"amount\":\"149999.50\",\"currency\":\"VND\"},\"inventory\":[]}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].sku, ""); /* no seller_sku printed */
  ASSERT_EQ(res.variants[0].price_vnd, 150000);
  ASSERT_EQ(res.variants[0].stock, 0);
  ASSERT_STR_EQ(res.v.error, "");

  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":0,\"data\":{\"id\":\"" PID "\",\"status\":\"FREEZE\","
        "\"skus\":[{\"id\":\"" SID "\",\"price\":{\"amount\":\"1\"},"
        "\"inventory\":[{\"quantity\":3}]}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_STR_EQ(res.v.error, "status FREEZE");

  return 0;
}

/* Answers that are not our listing, or not of the expected shape. */
static TEST_IMPL(parse_get_listing_refused) {
  oc_listing_result res;

  /* a seller_sku of another type */
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":0,\"data\":{\"id\":\"" PID "\",\"status\":\"ACTIVATE\","
        "\"skus\":[{\"id\":\"5\",\"seller_sku\":5,\"price\":{\"amount\":\"1\"},"
        "\"inventory\":[]}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_EQ(res.nvariants, 0);
  /* another product */
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":0,\"data\":{\"id\":\"1\",\"status\":\"ACTIVATE\","
        "\"skus\":[]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  /* wrong types */
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":0,\"data\":{\"id\":\"" PID "\",\"status\":\"ACTIVATE\","
        "\"skus\":[{\"id\":\"" SID "\",\"price\":{\"amount\":75000},"
        "\"inventory\":[]}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_NOT_NULL(strstr(res.v.error, "price.amount is not a string"));
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":0,\"data\":{\"id\":\"" PID "\",\"status\":\"ACTIVATE\","
        "\"skus\":[{\"id\":\"" SID "\",\"price\":{\"amount\":\"-5\"},"
        "\"inventory\":[]}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":0,\"data\":{\"id\":\"" PID "\",\"status\":\"ACTIVATE\","
        "\"skus\":[{\"id\":\"" SID "\",\"price\":{\"amount\":\"5\"},"
        "\"inventory\":[{\"quantity\":\"3\"}]}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":0,\"data\":{\"id\":\"" PID "\",\"status\":\"ACTIVATE\","
        "\"skus\":[{\"id\":\"" SID "\",\"price\":{\"amount\":\"5\"},"
        "\"inventory\":[{\"quantity\":2.5}]}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":0,\"data\":{\"id\":" PID ",\"status\":\"ACTIVATE\","
        "\"skus\":[]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "unexpected response: "));
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":0,\"data\":{\"id\":\"" PID "\",\"status\":\"ACTIVATE\","
        "\"skus\":[{\"id\":" SID "}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "unexpected response: "));
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":0,\"data\":{\"id\":\"" PID "\",\"status\":7,\"skus\":[]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  return 0;
}

static TEST_IMPL(parse_amounts) {
  int64_t v = -1;

  ASSERT_EQ(tt_amount("150000", &v), 0);
  ASSERT_EQ(v, 150000);
  ASSERT_EQ(tt_amount("150000.00", &v), 0);
  ASSERT_EQ(v, 150000);
  ASSERT_EQ(tt_amount("0.5", &v), 0);
  ASSERT_EQ(v, 1);
  ASSERT_EQ(tt_amount("0.49", &v), 0);
  ASSERT_EQ(v, 0);
  ASSERT_EQ(tt_amount("999999999999999", &v), 0);
  ASSERT_EQ(v, 999999999999999LL);
  v = 7;
  ASSERT_EQ(tt_amount("1000000000000000", &v), -1);
  ASSERT_EQ(tt_amount("", &v), -1);
  ASSERT_EQ(tt_amount("1.", &v), -1);
  ASSERT_EQ(tt_amount(".5", &v), -1);
  ASSERT_EQ(tt_amount("-1", &v), -1);
  ASSERT_EQ(tt_amount("1e5", &v), -1);
  ASSERT_EQ(tt_amount("1 ", &v), -1);
  ASSERT_EQ(tt_amount("1,000", &v), -1);
  ASSERT_EQ(v, 7);
  return 0;
}

static TEST_IMPL(item_id_form) {
  ASSERT(tt_item_id_ok(PID));
  ASSERT(tt_item_id_ok("18446744073709551615"));
  ASSERT(!tt_item_id_ok(PID ":" SID)); /* the old form: nothing else */
  ASSERT(!tt_item_id_ok("184467440737095516150"));
  ASSERT(!tt_item_id_ok("1:"));
  ASSERT(!tt_item_id_ok(""));
  ASSERT(!tt_item_id_ok(NULL));
  return 0;
}

static TEST_IMPL(parse_refresh_token) {
  oc_token_result res;

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":0,\"message\":\"success\",\"request_id\":\"RT\",\"data\":{"
        "\"access_token\":\"NEW_ACCESS\",\"access_token_expire_in\":1722342011,"
        "\"refresh_token\":\"NEW_REFRESH\",\"refresh_token_expire_in\":"
        "1753878011,\"open_id\":\"x\",\"seller_name\":\"y\"}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.access_token, "NEW_ACCESS");
  ASSERT_STR_EQ(res.refresh_token, "NEW_REFRESH");
  /* absolute, passed through */
  ASSERT_EQ(res.access_expires_at, 1722342011);
  ASSERT_EQ(res.refresh_expires_at, 1753878011);
  ASSERT_STR_EQ(res.v.request_id, "RT");

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":0,\"data\":{\"access_token\":\"A\",\"access_token_expire_in\":"
        "\"1722342011\",\"refresh_token\":\"B\",\"refresh_token_expire_in\":1}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.access_token, "");
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":0,\"data\":{\"access_token\":\"\",\"access_token_expire_in\":"
        "1,\"refresh_token\":\"B\",\"refresh_token_expire_in\":1}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":0,\"data\":{\"access_token\":7,\"access_token_expire_in\":"
        "1,\"refresh_token\":\"B\",\"refresh_token_expire_in\":1}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  /* a used/invalid refresh token: the seller must authorise again */
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":105002,\"message\":\"refresh token expired\"}", &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  ASSERT_STR_EQ(res.access_token, "");
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":36004004,\"message\":\"invalid refresh_token\"}", &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  parse(OC_OP_SET_STOCK, 200,
        "{\"code\":36004004,\"message\":\"invalid refresh_token\"}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  parse(OC_OP_REFRESH_TOKEN, 200, "{\"code\":36009004,\"message\":\"x\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  return 0;
}

static TEST_IMPL(parse_writes_ok) {
  static const oc_op ops[] = {OC_OP_UPDATE, OC_OP_SET_STOCK, OC_OP_SET_PRICE,
                              OC_OP_DELIST, OC_OP_RELIST};
  size_t i;
  oc_listing_result res;

  for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    parse(ops[i], 200,
          "{\"code\":0,\"message\":\"Success\",\"request_id\":\"W\","
          "\"data\":{}}",
          &res);
    ASSERT_EQ(res.v.status, OC_OK);
    ASSERT_STR_EQ(res.v.error, "");
    ASSERT_STR_EQ(res.v.request_id, "W");
    parse(ops[i], 200, "{\"code\":0,\"message\":\"Success\"}", &res);
    ASSERT_EQ(res.v.status, OC_OK);
    parse(ops[i], 200, "{\"code\":0,\"data\":{\"errors\":[]}}", &res);
    ASSERT_EQ(res.v.status, OC_OK);
    parse(ops[i], 200,
          "{\"code\":0,\"data\":{\"errors\":[{\"code\":12052700,"
          "\"message\":\"product not found\",\"detail\":{\"product_id\":\"1\"}}]}}",
          &res);
    ASSERT_EQ(res.v.status, OC_NOT_FOUND);
    ASSERT_STR_EQ(res.v.error, "12052700: product not found");
    parse(ops[i], 200,
          "{\"code\":0,\"data\":{\"errors\":[{\"code\":12019001,"
          "\"message\":\"bad\"}]}}",
          &res);
    ASSERT_EQ(res.v.status, OC_REJECTED);
    parse(ops[i], 200, "{\"code\":0,\"data\":[]}", &res);
    ASSERT_EQ(res.v.status, OC_RETRY);
  }
  return 0;
}

/* ---- parse: errors ----------------------------------------------------------- */

static TEST_IMPL(parse_error_classes) {
  oc_listing_result res;

  parse(OC_OP_SET_STOCK, 401,
        "{\"code\":106001,\"message\":\"The 'sign' query parameter is "
        "invalid\",\"request_id\":\"RS\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "106001: The 'sign' query parameter is invalid");
  ASSERT_STR_EQ(res.v.request_id, "RS");

  parse(OC_OP_SET_STOCK, 200,
        "{\"code\":105002,\"message\":\"access token is expired, please "
        "refresh it\",\"request_id\":\"RA\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  ASSERT_STR_EQ(res.v.error, "105002: access token is expired, please refresh it");
  ASSERT_STR_EQ(res.v.request_id, "RA");
  parse(OC_OP_SET_STOCK, 401, "{\"code\":105001,\"message\":\"invalid\"}", &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  parse(OC_OP_SET_STOCK, 200, "{\"code\":105005,\"message\":\"you should "
                              "apply auth pkg for this api\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);

  parse(OC_OP_SET_PRICE, 429,
        "{\"code\":10000429,\"message\":\"too many requests\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(res.v.retry_after_ms >= 1000);
  parse(OC_OP_SET_PRICE, 429, "", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(res.v.retry_after_ms >= 1000);
  parse(OC_OP_SET_PRICE, 200,
        "{\"code\":10000429,\"message\":\"too many requests\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(res.v.retry_after_ms >= 1000);
  parse(OC_OP_SET_PRICE, 200, "{\"code\":36009004,\"message\":\"limit\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(res.v.retry_after_ms >= 1000);

  parse(OC_OP_SET_PRICE, 500, "{\"code\":0}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_SET_PRICE, 503, "<html>busy</html>", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "HTTP 503");
  parse(OC_OP_SET_PRICE, 502, "{\"code\":105002,\"message\":\"x\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_SET_PRICE, 0, NULL, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "no response");

  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":12052700,\"message\":\"product not found\",\"request_id\":"
        "\"RN\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  ASSERT_STR_EQ(res.v.request_id, "RN");
  parse(OC_OP_SET_PRICE, 404,
        "{\"code\":12052700,\"message\":\"product not found\"}", &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);

  parse(OC_OP_SET_PRICE, 200, "{\"code\":36009003,\"message\":\"timestamp\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":12019103,\"message\":\"invalid parameter: category_id\","
        "\"request_id\":\"RP\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "12019103: invalid parameter: category_id");
  ASSERT_STR_EQ(res.v.request_id, "RP");

  parse(OC_OP_SET_PRICE, 403, "<html>forbidden</html>", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "HTTP 403");
  parse(OC_OP_SET_PRICE, 400, "{\"code\":0}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  return 0;
}

static TEST_IMPL(parse_malformed_truncated) {
  oc_listing_result res;
  size_t n = strlen(listing_ok), cut;

  parse(OC_OP_GET_LISTING, 200, "", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "malformed response: "));
  parse(OC_OP_GET_LISTING, 200, "not json", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "malformed response: "));
  parse(OC_OP_GET_LISTING, 200, "[1,2]", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "malformed response: "));
  parse(OC_OP_GET_LISTING, 200, "{\"code\":0} trailing", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "malformed response: "));
  /* every truncation of a good body */
  for (cut = 0; cut < n; cut++) {
    oc_shop s = shop_fixture();
    oc_listing l = listing_fixture();
    char *copy = malloc(cut ? cut : 1);

    ASSERT_NOT_NULL(copy);
    memcpy(copy, listing_ok, cut);
    conn()->parse_listing(OC_OP_GET_LISTING, &s, &l, 200, copy, cut, &res);
    free(copy);
    ASSERT_EQ(res.v.status, OC_RETRY);
    ASSERT(starts_with(res.v.error, "malformed response: "));
  }
  return 0;
}

/* The marketplace's error text is not UTF-8: the whole answer is
 * malformed, never half-read into an error the database would refuse
 * (found by tests/fuzz/fuzz_tiktok.c). */
static TEST_IMPL(parse_body_not_utf8) {
  oc_listing_result res;

  parse(OC_OP_SET_STOCK, 200, "{\"code\":12052104,\"message\":\"\x8d\x8d property is required\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "malformed response: body is not UTF-8 at byte 28");
  return 0;
}

static TEST_IMPL(parse_oversized) {
  oc_listing_result res;
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  size_t n = OC_MAX_RESPONSE + 1;
  char *big = malloc(n);

  ASSERT_NOT_NULL(big);
  memset(big, ' ', n);
  memcpy(big, "{\"code\":0,\"data\":{}}", 20);
  conn()->parse_listing(OC_OP_SET_STOCK, &s, &l, 200, big, n, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "malformed response: "));
  ASSERT_NOT_NULL(strstr(res.v.error, "exceeds"));
  /* exactly the limit is read */
  conn()->parse_listing(OC_OP_SET_STOCK, &s, &l, 200, big, OC_MAX_RESPONSE, &res);
  ASSERT_EQ(res.v.status, OC_OK);
  free(big);
  return 0;
}

static TEST_IMPL(parse_deep_nesting) {
  oc_listing_result res;
  char buf[4096];
  size_t i, o = 0;

  o += (size_t)sprintf(buf, "{\"code\":0,\"data\":");
  for (i = 0; i < 200; i++)
    buf[o++] = '[';
  for (i = 0; i < 200; i++)
    buf[o++] = ']';
  buf[o++] = '}';
  buf[o] = '\0';
  parse(OC_OP_SET_STOCK, 200, buf, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "malformed response: "));
  ASSERT_NOT_NULL(strstr(res.v.error, "deeper"));
  return 0;
}

static TEST_IMPL(parse_wrong_types) {
  oc_listing_result res;

  parse(OC_OP_SET_STOCK, 200, "{\"code\":\"0\",\"data\":{}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "unexpected response: "));
  parse(OC_OP_SET_STOCK, 200, "{\"code\":0.5}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_SET_STOCK, 200, "{\"message\":\"no code\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_SET_STOCK, 200, "{\"code\":null}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_SET_STOCK, 200, "{\"code\":-1}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_SET_STOCK, 200, "{\"code\":1e300}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_SET_STOCK, 200, "{\"code\":0,\"data\":\"x\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_PUBLISH, 200, "{\"code\":0,\"data\":{\"product_id\":true}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":0,\"data\":{\"product_id\":\"1\",\"skus\":{}}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":0,\"data\":{\"product_id\":\"1\",\"skus\":[7]}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  /* request_id of the wrong type is ignored, message of the wrong type too */
  parse(OC_OP_SET_STOCK, 200,
        "{\"code\":106001,\"message\":5,\"request_id\":9}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.request_id, "");
  ASSERT_STR_EQ(res.v.error, "106001: ");
  return 0;
}

static TEST_IMPL(parse_resets_result) {
  oc_listing_result res;
  oc_token_result tok;

  memset(&res, 0x5a, sizeof res);
  parse(OC_OP_SET_STOCK, 200, "{\"code\":0,\"data\":{}}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.v.retry_after_ms, 0);
  ASSERT_STR_EQ(res.v.error, "");
  ASSERT_STR_EQ(res.v.request_id, "");
  ASSERT_STR_EQ(res.item_id, "");
  /* The token fields live in the token result now: cleared the same way. */
  memset(&tok, 0x5a, sizeof tok);
  parse(OC_OP_REFRESH_TOKEN, 200, "{\"code\":105002,\"message\":\"expired\"}", &tok);
  ASSERT_EQ(tok.v.status, OC_AUTH);
  ASSERT_STR_EQ(tok.access_token, "");
  ASSERT_EQ(tok.access_expires_at, 0);
  return 0;
}

/* ---- variants ------------------------------------------------------------- */

#define WH "\"inventory\":[{\"warehouse_id\":\"7068517275539719942\",\"quantity\":"
#define ATTR(v) "\"sales_attributes\":[{\"name\":\"Quy cách\",\"value_name\":\"" v "\"}]"

static TEST_IMPL(build_publish_variants) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_multi();
  oc_request r;
  cJSON *b;

  fx_var[0].remote_id = fx_var[1].remote_id = fx_var[2].remote_id = NULL;
  l.item_id = NULL;
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products", SHOP_KEYS, &r);
  b = body_json(&r);
  ASSERT_STR_EQ(jstr(jget(b, "package_weight"), "value"), "0.52"); /* the heaviest */
  cJSON_Delete(b);
  ASSERT_NOT_NULL(strstr(r.body,
      "\"skus\":[{\"seller_sku\":\"HN-TRA-001-100\",\"price\":{\"amount\":\"40000\","
      "\"currency\":\"VND\"}," WH "10}]," ATTR("100 g") "},"
      "{\"seller_sku\":\"HN-TRA-001-200\",\"price\":{\"amount\":\"70000\","
      "\"currency\":\"VND\"}," WH "20}]," ATTR("200 g") "},"
      "{\"seller_sku\":\"HN-TRA-001-500\",\"price\":{\"amount\":\"100000\","
      "\"currency\":\"VND\"}," WH "30}]," ATTR("500 g") "}]," IDEM "}"));
  oc_request_free(&r);
  /* a removed variant is not created; the shop names the axis */
  {
    oc_kv o[3];

    memcpy(o, opts_full, sizeof opts_full);
    o[2] = (oc_kv){"variation_name", "Khối lượng"};
    s.opts = o;
    s.nopts = 3;
    fx_var[2].removed = 1;
    build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products", SHOP_KEYS, &r);
    ASSERT_NULL(strstr(r.body, "HN-TRA-001-500"));
    ASSERT_NOT_NULL(strstr(r.body, "{\"name\":\"Khối lượng\",\"value_name\":\"200 g\"}"));
    oc_request_free(&r);
  }
  return 0;
}

static TEST_IMPL(build_publish_single_unchanged) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;

  /* one variant: one SKU without sales attributes, as before variants */
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products", SHOP_KEYS, &r);
  ASSERT_NOT_NULL(strstr(r.body, "\"skus\":[{\"seller_sku\":\"HN-TRA-001\",\"price\":"
                                 "{\"amount\":\"75000\",\"currency\":\"VND\"}," WH
                                 "25}]}]," IDEM "}"));
  ASSERT_NULL(strstr(r.body, "sales_attributes"));
  oc_request_free(&r);
  /* two variants, one removed: still a product without variation */
  l = listing_multi();
  l.nvariants = 2;
  fx_var[1].removed = 1;
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products", SHOP_KEYS, &r);
  ASSERT_NULL(strstr(r.body, "sales_attributes"));
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_variants_refused) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_multi();

  fx_var[1].label = "100 g";
  build_fails(OC_OP_PUBLISH, &s, &l, "same label");
  l = listing_multi();
  fx_var[1].label = "";
  build_fails(OC_OP_PUBLISH, &s, &l, "label");
  l = listing_multi();
  fx_var[1].weight_g = 0;
  build_fails(OC_OP_PUBLISH, &s, &l, "weight");
  l = listing_multi();
  fx_var[2].label = "một hai ba bốn năm sáu bảy tám chín mười một hai ba bốn";
  build_fails(OC_OP_PUBLISH, &s, &l, "longer than 50");
  l = listing_multi();
  fx_var[1].sku = fx_var[0].sku;
  build_fails(OC_OP_PUBLISH, &s, &l, "twice");
  /* VARIANTS: every variant removed; an id that is not a sku id */
  l = listing_multi();
  fx_var[0].removed = fx_var[1].removed = fx_var[2].removed = 1;
  build_fails(OC_OP_VARIANTS, &s, &l, "every variant is removed");
  l = listing_multi();
  fx_var[1].remote_id = "";
  fx_var[2].remote_id = NULL;
  build_fails(OC_OP_VARIANTS, &s, &l, "LOOKUP_SKU");
  l = listing_multi();
  fx_var[1].remote_id = "";
  build_fails(OC_OP_SET_STOCK, &s, &l, "LOOKUP_SKU");
  l = listing_multi();
  fx_var[0].remote_id = fx_var[1].remote_id = fx_var[2].remote_id = NULL;
  build_fails(OC_OP_SET_PRICE, &s, &l, "no variant on the item");
  l = listing_multi();
  l.item_id = PID ":" SID;
  build_fails(OC_OP_VARIANTS, &s, &l, "item_id");
  build_fails(OC_OP_LOOKUP_SKU, &s, &l, "item_id");
  return 0;
}

static TEST_IMPL(build_stock_price_three) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_multi();
  oc_request r;

  build_ok(OC_OP_SET_STOCK, &s, &l, "POST",
           "/product/202309/products/" PID "/inventory/update", SHOP_KEYS, &r);
  ASSERT_STR_EQ(r.body, "{\"skus\":[{\"id\":\"" SID "\"," WH "10}]},"
                        "{\"id\":\"" SID2 "\"," WH "20}]},"
                        "{\"id\":\"" SID3 "\"," WH "30}]}]}");
  oc_request_free(&r);
  build_ok(OC_OP_SET_PRICE, &s, &l, "POST",
           "/product/202309/products/" PID "/prices/update", SHOP_KEYS, &r);
  ASSERT_STR_EQ(r.body,
                "{\"skus\":[{\"id\":\"" SID "\",\"price\":{\"amount\":\"40000\",\"currency\":\"VND\"}},"
                "{\"id\":\"" SID2 "\",\"price\":{\"amount\":\"70000\",\"currency\":\"VND\"}},"
                "{\"id\":\"" SID3 "\",\"price\":{\"amount\":\"100000\",\"currency\":\"VND\"}}]}");
  oc_request_free(&r);
  /* a variant not on the item yet, and a removed one, are left out */
  fx_var[1].remote_id = NULL;
  fx_var[2].removed = 1;
  build_ok(OC_OP_SET_STOCK, &s, &l, "POST",
           "/product/202309/products/" PID "/inventory/update", SHOP_KEYS, &r);
  ASSERT_STR_EQ(r.body, "{\"skus\":[{\"id\":\"" SID "\"," WH "10}]}]}");
  oc_request_free(&r);
  return 0;
}

/* VARIANTS, step by step: a single-variant item gains two pack sizes, then
 * loses one; each step is in line once its answer is read. */
static TEST_IMPL(build_variants_steps) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_multi();
  oc_request r;
  char err[256];

  /* in line: no request */
  memset(&r, 0x5a, sizeof r);
  ASSERT_EQ(conn()->build_listing(OC_OP_VARIANTS, &s, &l, NOW_MS, &r, err, sizeof err),
            OC_IN_LINE);
  ASSERT_NULL(r.url);
  ASSERT_NULL(r.body);
  ASSERT_STR_EQ(err, "");
  /* add: the kept SKU by id, the new ones without, all with the attribute */
  fx_var[1].remote_id = fx_var[2].remote_id = NULL;
  l.memo = ""; /* the item has no sales attribute yet */
  build_ok(OC_OP_VARIANTS, &s, &l, "POST",
           "/product/202309/products/" PID "/partial_edit", SHOP_KEYS, &r);
  ASSERT_STR_EQ(r.body,
      "{\"skus\":[{\"id\":\"" SID "\",\"seller_sku\":\"HN-TRA-001-100\",\"price\":"
      "{\"amount\":\"40000\",\"currency\":\"VND\"}," WH "10}]," ATTR("100 g") "},"
      "{\"seller_sku\":\"HN-TRA-001-200\",\"price\":{\"amount\":\"70000\","
      "\"currency\":\"VND\"}," WH "20}]," ATTR("200 g") "},"
      "{\"seller_sku\":\"HN-TRA-001-500\",\"price\":{\"amount\":\"100000\","
      "\"currency\":\"VND\"}," WH "30}]," ATTR("500 g") "}]}");
  oc_request_free(&r);
  /* the item's own attribute name (the memo) wins over the shop option */
  l.memo = "Size";
  build_ok(OC_OP_VARIANTS, &s, &l, "POST",
           "/product/202309/products/" PID "/partial_edit", SHOP_KEYS, &r);
  ASSERT_NOT_NULL(strstr(r.body, "{\"name\":\"Size\",\"value_name\":\"200 g\"}"));
  oc_request_free(&r);
  /* remove: left out of the list; back to one SKU without attributes */
  l = listing_multi();
  fx_var[1].removed = fx_var[2].removed = 1;
  build_ok(OC_OP_VARIANTS, &s, &l, "POST",
           "/product/202309/products/" PID "/partial_edit", SHOP_KEYS, &r);
  ASSERT_STR_EQ(r.body, "{\"skus\":[{\"id\":\"" SID "\",\"seller_sku\":\"HN-TRA-001-100\","
                        "\"price\":{\"amount\":\"40000\",\"currency\":\"VND\"}," WH
                        "10}]}]}");
  oc_request_free(&r);
  /* removed and already gone: in line */
  fx_var[1].remote_id = fx_var[2].remote_id = NULL;
  ASSERT_EQ(conn()->build_listing(OC_OP_VARIANTS, &s, &l, NOW_MS, &r, err, sizeof err),
            OC_IN_LINE);
  /* in line, but a bad shop is still reported */
  s.access_token = NULL;
  ASSERT_EQ(conn()->build_listing(OC_OP_VARIANTS, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_NOT_NULL(strstr(err, "access_token"));
  return 0;
}

static TEST_IMPL(parse_variants_step) {
  oc_listing l = listing_multi();
  oc_listing_result res;

  fx_var[1].remote_id = NULL; /* created by this step */
  fx_var[2].removed = 1;      /* deleted by this step */
  parse_with(OC_OP_VARIANTS, &l, 200,
             "{\"code\":0,\"data\":{\"product_id\":\"" PID "\",\"skus\":["
             "{\"id\":\"" SID "\",\"seller_sku\":\"HN-TRA-001-100\",\"sales_attributes\":"
             "[{\"id\":\"100000\",\"value_id\":\"200001\"}]},"
             "{\"id\":\"1729592969712272999\",\"seller_sku\":\"HN-TRA-001-200\"}]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.nvariants, 3);
  ASSERT_STR_EQ(res.variants[0].remote_id, SID);
  ASSERT_STR_EQ(res.variants[1].sku, "HN-TRA-001-200");
  ASSERT_STR_EQ(res.variants[1].remote_id, "1729592969712272999");
  ASSERT_EQ(res.variants[1].gone, 0);
  ASSERT_STR_EQ(res.variants[2].sku, "HN-TRA-001-500");
  ASSERT_EQ(res.variants[2].gone, 1);
  ASSERT_STR_EQ(res.memo, "Quy cách");
  /* a created SKU the answer does not name: never guessed */
  parse_with(OC_OP_VARIANTS, &l, 200,
             "{\"code\":0,\"data\":{\"skus\":[{\"id\":\"" SID "\",\"seller_sku\":"
             "\"HN-TRA-001-100\"}]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_EQ(res.nvariants, 0);
  /* a removed SKU still there */
  parse_with(OC_OP_VARIANTS, &l, 200,
             "{\"code\":0,\"data\":{\"skus\":[{\"id\":\"" SID "\",\"seller_sku\":"
             "\"HN-TRA-001-100\"},{\"id\":\"9\",\"seller_sku\":\"HN-TRA-001-200\"},"
             "{\"id\":\"" SID3 "\"}]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_NOT_NULL(strstr(res.v.error, "removed"));
  /* TikTok's refusal */
  parse_with(OC_OP_VARIANTS, &l, 200,
             "{\"code\":12019011,\"message\":\"seller_sku duplicated\",\"data\":{}}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  parse_with(OC_OP_VARIANTS, &l, 200, "{\"code\":0,\"data\":{}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  return 0;
}

static TEST_IMPL(lookup_by_id_variants) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_multi();
  oc_listing_result res;
  oc_request r;

  build_ok(OC_OP_LOOKUP_SKU, &s, &l, "GET", "/product/202309/products/" PID, SHOP_KEYS, &r);
  oc_request_free(&r);
  parse_with(OC_OP_LOOKUP_SKU, &l, 200,
             "{\"code\":0,\"data\":{\"id\":\"" PID "\",\"status\":\"ACTIVATE\",\"skus\":["
             "{\"id\":\"" SID "\",\"seller_sku\":\"HN-TRA-001-100\",\"price\":{\"amount\":"
             "\"40000\",\"currency\":\"VND\"},\"inventory\":[{\"warehouse_id\":\"1\","
             "\"quantity\":10}],\"sales_attributes\":[{\"id\":\"1\",\"name\":\"Quy cách\","
             "\"value_id\":\"2\",\"value_name\":\"100 g\"}]},"
             "{\"id\":\"" SID2 "\",\"seller_sku\":\"HN-TRA-001-200\",\"price\":{\"amount\":"
             "\"70000\",\"currency\":\"VND\"},\"inventory\":[{\"warehouse_id\":\"1\","
             "\"quantity\":7}],\"sales_attributes\":[{\"id\":\"1\",\"name\":\"Quy cách\","
             "\"value_id\":\"3\",\"value_name\":\"200 g\"}]}]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, PID);
  ASSERT_EQ(res.nvariants, 2);
  ASSERT_STR_EQ(res.variants[1].sku, "HN-TRA-001-200");
  ASSERT_STR_EQ(res.variants[1].remote_id, SID2);
  ASSERT_EQ(res.variants[1].price_vnd, 70000);
  ASSERT_EQ(res.variants[1].stock, 7);
  ASSERT_STR_EQ(res.memo, "Quy cách");
  /* by SKU: the search names every SKU of ours */
  l.item_id = NULL;
  build_ok(OC_OP_LOOKUP_SKU, &s, &l, "POST", "/product/202309/products/search",
           "app_key,page_size,shop_cipher,timestamp,sign", &r);
  ASSERT_STR_EQ(r.body, "{\"seller_skus\":[\"HN-TRA-001\",\"HN-TRA-001-100\","
                        "\"HN-TRA-001-200\",\"HN-TRA-001-500\"]}");
  oc_request_free(&r);
  parse_with(OC_OP_LOOKUP_SKU, &l, 200,
             "{\"code\":0,\"data\":{\"products\":[{\"id\":\"" PID "\",\"status\":"
             "\"ACTIVATE\",\"skus\":[{\"id\":\"" SID3 "\",\"seller_sku\":\"HN-TRA-001-500\","
             "\"price\":{\"amount\":\"100000\",\"currency\":\"VND\"},\"inventory\":"
             "[{\"quantity\":3}]},{\"id\":\"4\",\"seller_sku\":\"NOT-OURS\"}]}]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, PID);
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].remote_id, SID3);
  ASSERT_EQ(res.variants[0].stock, 3);
  return 0;
}

static TEST_IMPL(parse_publish_variants) {
  oc_listing l = listing_multi();
  oc_listing_result res;

  fx_var[0].remote_id = fx_var[1].remote_id = fx_var[2].remote_id = NULL;
  l.item_id = NULL;
  parse_with(OC_OP_PUBLISH, &l, 200,
             "{\"code\":0,\"data\":{\"product_id\":\"" PID "\",\"skus\":["
             "{\"id\":\"" SID3 "\",\"seller_sku\":\"HN-TRA-001-500\"},"
             "{\"id\":\"" SID "\",\"seller_sku\":\"HN-TRA-001-100\"},"
             "{\"id\":\"" SID2 "\",\"seller_sku\":\"HN-TRA-001-200\"}]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, PID);
  ASSERT_EQ(res.nvariants, 3);
  ASSERT_STR_EQ(res.variants[0].sku, "HN-TRA-001-500");
  ASSERT_STR_EQ(res.variants[0].remote_id, SID3);
  /* one of ours missing: retry (the core looks the SKUs up) */
  parse_with(OC_OP_PUBLISH, &l, 200,
             "{\"code\":0,\"data\":{\"product_id\":\"" PID "\",\"skus\":["
             "{\"id\":\"" SID "\",\"seller_sku\":\"HN-TRA-001-100\"}]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_EQ(res.nvariants, 0);
  return 0;
}

static TEST_IMPL(get_listing_variants) {
  oc_listing l = listing_multi();
  oc_listing_result res;

  parse_with(OC_OP_GET_LISTING, &l, 200,
             "{\"code\":0,\"data\":{\"id\":\"" PID "\",\"status\":\"SELLER_DEACTIVATED\","
             "\"skus\":[{\"id\":\"" SID "\",\"seller_sku\":\"HN-TRA-001-100\",\"price\":"
             "{\"amount\":\"40000\"},\"inventory\":[{\"quantity\":1}]},{\"id\":\"" SID2
             "\",\"seller_sku\":\"HN-TRA-001-200\",\"price\":{\"amount\":\"70000\"},"
             "\"inventory\":[{\"quantity\":2},{\"quantity\":3}]},{\"id\":\"" SID3
             "\",\"seller_sku\":\"HN-TRA-001-500\",\"price\":{\"amount\":\"99999.5\"},"
             "\"inventory\":[]}]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_EQ(res.nvariants, 3);
  ASSERT_EQ(res.variants[1].stock, 5);
  ASSERT_EQ(res.variants[2].price_vnd, 100000);
  ASSERT_EQ(res.variants[2].stock, 0);
  ASSERT_STR_EQ(res.memo, "");
  return 0;
}

/* ---- orders: the structs of connector.h ----------------- */

#define OID1 "576684019603311365" /* 18 digits, > 2^53 */
#define OID2 "576684019603311366"
#define OID3 "576684019603311367"
#define WIN_FROM 1700000000LL
#define WIN_TO (1700000000LL + 7 * 86400)

static int build_orders_rc(oc_op op, const oc_shop *s, const oc_order_query *q,
                           oc_request *r, char *err, size_t errlen) {
  int rc = conn()->build_orders(op, s, q, NOW_MS, r, err, errlen);

  if (rc != 0) { /* a refusal leaves the request empty */
    ASSERT_NULL(r->url);
    ASSERT_NULL(r->log_url);
    ASSERT_NULL(r->body);
    ASSERT_EQ(r->nheaders, 0);
    ASSERT(err[0] != '\0');
  }
  return rc;
}

static TEST_IMPL(build_list_orders) {
  oc_shop s = shop_fixture();
  oc_order_query q = {WIN_FROM, WIN_TO, "", NULL, 0};
  oc_request r;
  char v[600], keys[256], err[256];

  ASSERT_EQ(build_orders_rc(OC_OP_LIST_ORDERS, &s, &q, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(err, "");
  ASSERT_STR_EQ(r.method, "POST");
  ASSERT_STR_EQ(r.log_url, BASE "/order/202309/orders/search");
  query_keys(r.url, keys, sizeof keys);
  ASSERT_STR_EQ(keys, "app_key,page_size,shop_cipher,sort_field,sort_order,"
                      "timestamp,sign");
  ASSERT_STR_EQ(query_get(r.url, "page_size", v, sizeof v), "100");
  ASSERT_STR_EQ(query_get(r.url, "sort_field", v, sizeof v), "update_time");
  ASSERT_STR_EQ(query_get(r.url, "sort_order", v, sizeof v), "ASC");
  ASSERT_STR_EQ(query_get(r.url, "shop_cipher", v, sizeof v), CIPHER);
  ASSERT_STR_EQ(query_get(r.url, "timestamp", v, sizeof v), "1623812664");
  ASSERT_STR_EQ(r.body, "{\"update_time_ge\":1700000000,"
                        "\"update_time_lt\":1700604800}");
  ASSERT_EQ(r.body_len, strlen(r.body));
  ASSERT_EQ(r.nheaders, 2);
  ASSERT_STR_EQ(r.headers[0], "x-tts-access-token: " TOKEN);
  ASSERT_STR_EQ(r.headers[1], "Content-Type: application/json");
  ASSERT_NULL(strstr(r.url, TOKEN));
  ASSERT_NULL(strstr(r.url, SECRET));
  ASSERT(sign_verifies(&r, SECRET));
  /* computed with Python's hmac from the hand-written canonical string
   * secret/order/202309/orders/searchapp_key29a39dpage_size100shop_cipher
   * ROW_cipher_abcsort_fieldupdate_timesort_orderASCtimestamp1623812664
   * <body>secret */
  ASSERT_STR_EQ(query_get(r.url, "sign", v, sizeof v),
                "18cfd2567449e03ba983679dbc221734cdb94d3dd5e0f92696b70425e1fd8b44");
  oc_request_free(&r);

  /* next pages carry the token, URL-encoded in the URL, raw in the sign */
  q.page = "aGVsbG8+/=x";
  ASSERT_EQ(build_orders_rc(OC_OP_LIST_ORDERS, &s, &q, &r, err, sizeof err), 0);
  query_keys(r.url, keys, sizeof keys);
  ASSERT_STR_EQ(keys, "app_key,page_size,page_token,shop_cipher,sort_field,"
                      "sort_order,timestamp,sign");
  ASSERT_NOT_NULL(strstr(r.url, "&page_token=aGVsbG8%2B%2F%3Dx&"));
  ASSERT_STR_EQ(query_get(r.url, "page_token", v, sizeof v), "aGVsbG8+/=x");
  ASSERT(sign_verifies(&r, SECRET));
  oc_request_free(&r);

  /* NULL page is the first page */
  q.page = NULL;
  ASSERT_EQ(build_orders_rc(OC_OP_LIST_ORDERS, &s, &q, &r, err, sizeof err), 0);
  ASSERT_NULL(strstr(r.url, "page_token"));
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_list_orders_refused) {
  oc_shop s = shop_fixture();
  oc_kv nocipher[] = {{"category_id", "600001"}};
  oc_order_query q = {WIN_FROM, WIN_TO, "", NULL, 0};
  oc_request r;
  char err[256], page[1100];

  q.to_s = WIN_TO + 1; /* longer than order_window_s */
  ASSERT_EQ(build_orders_rc(OC_OP_LIST_ORDERS, &s, &q, &r, err, sizeof err), -1);
  q.to_s = WIN_FROM;
  ASSERT_EQ(build_orders_rc(OC_OP_LIST_ORDERS, &s, &q, &r, err, sizeof err), -1);
  q.from_s = -5;
  q.to_s = 10;
  ASSERT_EQ(build_orders_rc(OC_OP_LIST_ORDERS, &s, &q, &r, err, sizeof err), -1);
  q.from_s = WIN_FROM;
  q.to_s = WIN_TO;
  memset(page, 'a', sizeof page - 1);
  page[sizeof page - 1] = '\0';
  q.page = page;
  ASSERT_EQ(build_orders_rc(OC_OP_LIST_ORDERS, &s, &q, &r, err, sizeof err), -1);
  q.page = "";
  ASSERT_EQ(build_orders_rc(OC_OP_LIST_ORDERS, &s, NULL, &r, err, sizeof err), -1);
  ASSERT_EQ(build_orders_rc(OC_OP_SET_STOCK, &s, &q, &r, err, sizeof err), -1);
  s.opts = nocipher;
  s.nopts = 1;
  ASSERT_EQ(build_orders_rc(OC_OP_LIST_ORDERS, &s, &q, &r, err, sizeof err), -1);
  ASSERT_NOT_NULL(strstr(err, "shop_cipher"));
  s = shop_fixture();
  s.access_token = NULL;
  ASSERT_EQ(build_orders_rc(OC_OP_LIST_ORDERS, &s, &q, &r, err, sizeof err), -1);
  ASSERT_NULL(strstr(err, SECRET));
  return 0;
}

static TEST_IMPL(build_get_orders) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  const char *ids[OC_MAX_ORDER_IDS + 1];
  char idbuf[OC_MAX_ORDER_IDS + 1][24], v[2048], keys[256], err[256];
  oc_order_query q = {0, 0, NULL, ids, 2};
  oc_request r;
  size_t i;

  ids[0] = OID1;
  ids[1] = OID2;
  ASSERT_EQ(build_orders_rc(OC_OP_GET_ORDERS, &s, &q, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(err, "");
  ASSERT_STR_EQ(r.method, "GET");
  ASSERT_STR_EQ(r.log_url, BASE "/order/202309/orders");
  query_keys(r.url, keys, sizeof keys);
  ASSERT_STR_EQ(keys, "app_key,ids,shop_cipher,timestamp,sign");
  /* comma-joined, percent-encoded in the URL like every value */
  ASSERT(starts_with(r.url, BASE "/order/202309/orders?app_key=29a39d&ids="
                            OID1 "%2C" OID2 "&shop_cipher=" CIPHER
                            "&timestamp=1623812664&sign="));
  ASSERT_STR_EQ(query_get(r.url, "ids", v, sizeof v), OID1 "," OID2);
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.body_len, 0);
  ASSERT_EQ(r.nheaders, 2);
  ASSERT_STR_EQ(r.headers[0], "x-tts-access-token: " TOKEN);
  ASSERT_STR_EQ(r.headers[1], "Content-Type: application/json");
  ASSERT(sign_verifies(&r, SECRET));
  /* Python's hmac over secret/order/202309/ordersapp_key29a39dids<a>,<b>
   * shop_cipherROW_cipher_abctimestamp1623812664secret */
  ASSERT_STR_EQ(query_get(r.url, "sign", v, sizeof v),
                "9c405ede7738b5752dfacff002cb65414f60281b3f3c2e4600a8267ad46505c1");
  oc_request_free(&r);

  /* the limit, and what ids may hold */
  for (i = 0; i <= OC_MAX_ORDER_IDS; i++) {
    snprintf(idbuf[i], sizeof idbuf[i], "A-b_%zu", i);
    ids[i] = idbuf[i];
  }
  q.nids = OC_MAX_ORDER_IDS;
  ASSERT_EQ(build_orders_rc(OC_OP_GET_ORDERS, &s, &q, &r, err, sizeof err), 0);
  ASSERT_NOT_NULL(query_get(r.url, "ids", v, sizeof v));
  ASSERT(strncmp(v, "A-b_0,A-b_1,", 12) == 0);
  ASSERT(sign_verifies(&r, SECRET));
  oc_request_free(&r);
  q.nids = OC_MAX_ORDER_IDS + 1;
  ASSERT_EQ(build_orders_rc(OC_OP_GET_ORDERS, &s, &q, &r, err, sizeof err), -1);
  q.nids = 0;
  ASSERT_EQ(build_orders_rc(OC_OP_GET_ORDERS, &s, &q, &r, err, sizeof err), -1);
  q.ids = NULL;
  q.nids = 1;
  ASSERT_EQ(build_orders_rc(OC_OP_GET_ORDERS, &s, &q, &r, err, sizeof err), -1);
  /* listing ops are not built by build_orders, order ops not by build */
  ASSERT_EQ(build_any(OC_OP_GET_ORDERS, &s, &l, NOW_MS, &r, err, sizeof err),
            -1);
  return 0;
}

static TEST_IMPL(build_get_orders_bad_ids) {
  oc_shop s = shop_fixture();
  char max[65], over[66], err[256];
  const char *bad[] = {"", "a b", "a,b", "a&b", "12%2C3", "tr\xC3\xA0", "a/b",
                       over, NULL};
  const char *ids[2];
  oc_order_query q = {0, 0, NULL, ids, 2};
  oc_request r;
  size_t i;

  memset(max, '7', 64);
  max[64] = '\0';
  memset(over, '7', 65);
  over[65] = '\0';
  ids[0] = OID1;
  ids[1] = max; /* 64 bytes is the longest */
  ASSERT_EQ(build_orders_rc(OC_OP_GET_ORDERS, &s, &q, &r, err, sizeof err), 0);
  oc_request_free(&r);
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    ids[1] = bad[i];
    ASSERT_EQ(build_orders_rc(OC_OP_GET_ORDERS, &s, &q, &r, err, sizeof err),
              -1);
    ASSERT_NOT_NULL(strstr(err, "#2"));
  }
  return 0;
}

static void parse_orders(oc_op op, const oc_order_query *q, long status,
                         const char *body, ct_orders *res) {
  oc_shop s = shop_fixture();

  /* The structs, checked and seen as the order document (conn_test.c). */
  ct_parse_orders(conn(), op, &s, q, status, body, body ? strlen(body) : 0, res);
  if (res->v.status != OC_OK)
    ASSERT_NULL(res->orders);
  else
    ASSERT_NOT_NULL(res->orders);
}

/* Parses res->orders back and frees it. */
static cJSON *orders_json(ct_orders *res) {
  cJSON *j;

  ASSERT_EQ(res->v.status, OC_OK);
  ASSERT_NOT_NULL(res->orders);
  j = cJSON_Parse(res->orders);
  ASSERT_NOT_NULL(j);
  free(res->orders);
  res->orders = NULL;
  return j;
}

static double jnum(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

  ASSERT(cJSON_IsNumber(it));
  return it->valuedouble;
}

static TEST_IMPL(parse_list_orders) {
  ct_orders res;
  cJSON *j;
  const cJSON *ids;

  parse_orders(OC_OP_LIST_ORDERS, NULL, 200,
               "{\"code\":0,\"message\":\"Success\",\"request_id\":\"RL\","
               "\"data\":{\"next_page_token\":\"aDU2dGgzTzA=\",\"total_count\":"
               "3,\"orders\":[{\"id\":\"" OID1 "\",\"status\":\"UNPAID\","
               "\"update_time\":1700000100},{\"id\":\"" OID2 "\",\"status\":"
               "\"COMPLETED\",\"line_items\":[]}]}}",
               &res);
  ASSERT_STR_EQ(res.v.request_id, "RL");
  j = orders_json(&res);
  ids = jget(j, "ids");
  ASSERT_EQ(cJSON_GetArraySize(ids), 2);
  ASSERT_STR_EQ(cJSON_GetArrayItem(ids, 0)->valuestring, OID1);
  ASSERT_STR_EQ(cJSON_GetArrayItem(ids, 1)->valuestring, OID2);
  ASSERT_STR_EQ(jstr(j, "next"), "aDU2dGgzTzA=");
  ASSERT_EQ(jnum(j, "done_at"), 0);
  cJSON_Delete(j);

  /* the last page */
  parse_orders(OC_OP_LIST_ORDERS, NULL, 200,
               "{\"code\":0,\"data\":{\"next_page_token\":\"\",\"orders\":[{"
               "\"id\":\"" OID3 "\"}],\"total_count\":3}}",
               &res);
  j = orders_json(&res);
  ASSERT_EQ(cJSON_GetArraySize(jget(j, "ids")), 1);
  ASSERT_STR_EQ(jstr(j, "next"), "");
  ASSERT_EQ(jnum(j, "done_at"), 0);
  cJSON_Delete(j);

  /* an empty window may leave out both orders and the token */
  parse_orders(OC_OP_LIST_ORDERS, NULL, 200,
               "{\"code\":0,\"data\":{\"total_count\":0}}", &res);
  j = orders_json(&res);
  ASSERT_EQ(cJSON_GetArraySize(jget(j, "ids")), 0);
  ASSERT_STR_EQ(jstr(j, "next"), "");
  cJSON_Delete(j);

  /* orders without a token could hide pages: not the end */
  parse_orders(OC_OP_LIST_ORDERS, NULL, 200,
               "{\"code\":0,\"data\":{\"orders\":[{\"id\":\"" OID1 "\"}]}}",
               &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_NOT_NULL(strstr(res.v.error, "next_page_token"));
  return 0;
}

/* A realistic detail answer: one row per unit, amounts as strings. */
static const char detail_ok[] =
    "{\"code\":0,\"message\":\"Success\",\"request_id\":\"RD\",\"data\":{"
    "\"orders\":["
    "{\"id\":\"" OID1 "\",\"status\":\"AWAITING_SHIPMENT\",\"create_time\":"
    "1700000000,\"update_time\":1700000500,\"paid_time\":1700000300,"
    "\"payment\":{\"currency\":\"VND\",\"sub_total\":\"225000\","
    "\"shipping_fee\":\"25000\",\"total_amount\":\"250000\"},"
    "\"line_items\":["
    "{\"id\":\"1\",\"sku_id\":\"1729592969712272857\",\"seller_sku\":"
    "\"HN-TRA-001\",\"product_name\":\"Tr\xC3\xA0 xanh\",\"original_price\":"
    "\"80000\",\"sale_price\":\"75000\",\"currency\":\"VND\","
    "\"display_status\":\"AWAITING_SHIPMENT\",\"is_gift\":false},"
    "{\"id\":\"2\",\"seller_sku\":\"HN-TRA-001\",\"original_price\":\"80000\","
    "\"sale_price\":\"75000\",\"currency\":\"VND\"},"
    "{\"id\":\"3\",\"seller_sku\":\"HN-MIEN-02\",\"original_price\":"
    "\"75000\",\"sale_price\":\"74999.5\",\"currency\":\"VND\"}]},"
    "{\"id\":\"" OID2 "\",\"status\":\"UNPAID\",\"update_time\":1700000600,"
    "\"line_items\":[{\"id\":\"4\",\"seller_sku\":\"HN-TRA-001\","
    "\"original_price\":\"99000.5\"}]},"
    "{\"id\":\"" OID3 "\",\"status\":\"CANCELLED\",\"update_time\":1700000700,"
    "\"payment\":{\"currency\":\"VND\",\"total_amount\":\"\"},"
    "\"line_items\":[{\"id\":\"5\",\"seller_sku\":\"HN-TRA-001\","
    "\"sale_price\":\"75000\",\"cancel_reason\":\"buyer\"},"
    "{\"id\":\"6\",\"seller_sku\":\"HN-TRA-001\",\"sale_price\":\"70000\"}]}"
    "]}}";

static const cJSON *line_at(const cJSON *order, int i) {
  const cJSON *lines = jget(order, "lines");

  ASSERT(cJSON_IsArray(lines));
  return cJSON_GetArrayItem(lines, i);
}

static TEST_IMPL(parse_get_orders) {
  const char *ids[] = {OID1, OID2, OID3};
  oc_order_query q = {0, 0, NULL, ids, 3};
  ct_orders res;
  const cJSON *orders, *o, *ln;
  cJSON *j;

  parse_orders(OC_OP_GET_ORDERS, &q, 200, detail_ok, &res);
  ASSERT_STR_EQ(res.v.request_id, "RD");
  j = orders_json(&res);
  ASSERT_EQ(cJSON_GetArraySize(jget(j, "bad")), 0);
  orders = jget(j, "orders");
  ASSERT_EQ(cJSON_GetArraySize(orders), 3);

  o = cJSON_GetArrayItem(orders, 0);
  ASSERT_STR_EQ(jstr(o, "id"), OID1);
  ASSERT_STR_EQ(jstr(o, "status"), "AWAITING_SHIPMENT");
  ASSERT_STR_EQ(jstr(o, "effect"), "sold");
  ASSERT_EQ(jnum(o, "update_time"), 1700000500);
  ASSERT_EQ(jnum(o, "total_vnd"), 250000);
  ASSERT_EQ(cJSON_GetArraySize(jget(o, "lines")), 2); /* merged per SKU */
  ln = line_at(o, 0);
  ASSERT_STR_EQ(jstr(ln, "sku"), "HN-TRA-001");
  ASSERT_EQ(jnum(ln, "qty"), 2);
  ASSERT_EQ(jnum(ln, "unit_price_vnd"), 75000); /* sale, not original */
  ln = line_at(o, 1);
  ASSERT_STR_EQ(jstr(ln, "sku"), "HN-MIEN-02");
  ASSERT_EQ(jnum(ln, "qty"), 1);
  ASSERT_EQ(jnum(ln, "unit_price_vnd"), 75000); /* 74999.5 rounds half up */

  o = cJSON_GetArrayItem(orders, 1);
  ASSERT_STR_EQ(jstr(o, "id"), OID2);
  ASSERT_STR_EQ(jstr(o, "effect"), "reserved");
  ASSERT(cJSON_IsNull(jget(o, "total_vnd"))); /* no payment yet */
  ln = line_at(o, 0);
  ASSERT_EQ(jnum(ln, "qty"), 1);
  ASSERT_EQ(jnum(ln, "unit_price_vnd"), 99001); /* original_price fallback */

  o = cJSON_GetArrayItem(orders, 2);
  ASSERT_STR_EQ(jstr(o, "status"), "CANCELLED");
  ASSERT_STR_EQ(jstr(o, "effect"), "cancelled");
  ASSERT(cJSON_IsNull(jget(o, "total_vnd"))); /* "" is unset */
  ASSERT_EQ(cJSON_GetArraySize(jget(o, "lines")), 2); /* two prices */
  ASSERT_EQ(jnum(line_at(o, 1), "unit_price_vnd"), 70000);
  cJSON_Delete(j);
  return 0;
}

/* The same answer read as the structs themselves, field by field. */
static TEST_IMPL(parse_get_orders_structs) {
  const char *ids[] = {OID1, OID2, OID3};
  oc_order_query q = {0, 0, NULL, ids, 3};
  oc_shop s = shop_fixture();
  oc_order_batch b;
  const oc_order *o;

  conn()->parse_order_batch(&s, &q, 200, detail_ok, strlen(detail_ok), &b);
  ASSERT_EQ(b.v.status, OC_OK);
  ASSERT_STR_EQ(b.v.request_id, "RD");
  ASSERT_EQ(b.norders, 3);
  ASSERT_EQ(b.nbad, 0);
  o = &b.orders[0];
  ASSERT_STR_EQ(o->id, OID1);
  ASSERT_STR_EQ(o->status, "AWAITING_SHIPMENT");
  ASSERT_EQ(o->effect, OC_EFFECT_SOLD);
  ASSERT_EQ(o->update_time, 1700000500);
  ASSERT_EQ(o->total_vnd, 250000);
  ASSERT_EQ(o->nlines, 2);
  ASSERT_STR_EQ(o->lines[0].sku, "HN-TRA-001");
  ASSERT_EQ(o->lines[0].qty, 2);
  ASSERT_EQ(o->lines[0].unit_price_vnd, 75000);
  ASSERT_STR_EQ(o->lines[1].sku, "HN-MIEN-02");
  ASSERT_EQ(o->lines[1].qty, 1);
  ASSERT_STR_EQ(b.orders[1].id, OID2);
  ASSERT_EQ(b.orders[1].effect, OC_EFFECT_RESERVED);
  ASSERT_EQ(b.orders[1].total_vnd, -1);
  ASSERT_EQ(b.orders[1].lines[0].unit_price_vnd, 99001);
  ASSERT_STR_EQ(b.orders[2].status, "CANCELLED");
  ASSERT_EQ(b.orders[2].effect, OC_EFFECT_CANCELLED);
  oc_order_batch_free(&b);
  ASSERT_NULL(b.orders);
  return 0;
}

static TEST_IMPL(parse_get_orders_status_map) {
  static const struct {
    const char *status, *effect;
  } map[] = {{"UNPAID", "reserved"},          {"ON_HOLD", "reserved"},
             {"AWAITING_SHIPMENT", "sold"},   {"PARTIALLY_SHIPPING", "sold"},
             {"AWAITING_COLLECTION", "sold"}, {"IN_TRANSIT", "sold"},
             {"DELIVERED", "sold"},           {"COMPLETED", "sold"},
             {"CANCELLED", "cancelled"}};
  size_t i;

  for (i = 0; i < sizeof map / sizeof map[0]; i++) {
    char body[512];
    ct_orders res;
    cJSON *j;
    const cJSON *o;

    snprintf(body, sizeof body,
             "{\"code\":0,\"data\":{\"orders\":[{\"id\":\"" OID1 "\","
             "\"status\":\"%s\",\"update_time\":5,\"line_items\":[{"
             "\"seller_sku\":\"S\",\"sale_price\":\"1\"}]}]}}",
             map[i].status);
    parse_orders(OC_OP_GET_ORDERS, NULL, 200, body, &res);
    j = orders_json(&res);
    o = cJSON_GetArrayItem(jget(j, "orders"), 0);
    ASSERT_NOT_NULL(o);
    ASSERT_STR_EQ(jstr(o, "effect"), map[i].effect);
    cJSON_Delete(j);
  }
  return 0;
}

/* The bad entry for id, or NULL. */
static const char *bad_reason(const cJSON *doc, const char *id) {
  const cJSON *b;

  cJSON_ArrayForEach(b, jget(doc, "bad")) {
    if (strcmp(jstr(b, "id"), id) == 0)
      return jstr(b, "error");
  }
  return NULL;
}

static TEST_IMPL(parse_get_orders_bad_entries) {
  static const char body[] =
      "{\"code\":0,\"data\":{\"orders\":["
      "{\"id\":\"B1\",\"status\":\"SHIPPED_TO_MARS\",\"update_time\":9,"
      "\"line_items\":[{\"seller_sku\":\"S\",\"sale_price\":\"1\"}]},"
      "{\"id\":\"G1\",\"status\":\"COMPLETED\",\"update_time\":9,"
      "\"payment\":{\"total_amount\":\"100\"},"
      "\"line_items\":[{\"seller_sku\":\"S\",\"sale_price\":\"100\"}]},"
      "{\"id\":\"B2\",\"status\":\"COMPLETED\",\"update_time\":9,"
      "\"line_items\":[{\"seller_sku\":\"S\",\"sale_price\":\"1\"},"
      "{\"sale_price\":\"1\"}]},"
      "{\"id\":\"B3\",\"status\":\"COMPLETED\",\"update_time\":9,"
      "\"line_items\":[]},"
      "{\"id\":\"B4\",\"status\":\"COMPLETED\","
      "\"line_items\":[{\"seller_sku\":\"S\",\"sale_price\":\"1\"}]},"
      "{\"id\":\"B5\",\"status\":\"COMPLETED\",\"update_time\":9,"
      "\"payment\":{\"total_amount\":\"12abc\"},"
      "\"line_items\":[{\"seller_sku\":\"S\",\"sale_price\":\"1\"}]},"
      "{\"id\":\"B6\",\"status\":\"COMPLETED\",\"update_time\":9,"
      "\"line_items\":[{\"seller_sku\":\"S\",\"sale_price\":\"-1\"}]},"
      "{\"id\":\"B7\",\"update_time\":9,"
      "\"line_items\":[{\"seller_sku\":\"S\",\"sale_price\":\"1\"}]},"
      "{\"id\":\"B8\",\"status\":\"COMPLETED\",\"update_time\":9},"
      "{\"id\":\"B9\",\"status\":\"COMPLETED\",\"update_time\":\"9\","
      "\"line_items\":[{\"seller_sku\":\"S\",\"sale_price\":\"1\"}]},"
      "{\"id\":\"G2\",\"status\":\"ON_HOLD\",\"update_time\":10,"
      "\"line_items\":[{\"seller_sku\":\"T\",\"sale_price\":\"2\"},"
      "{\"seller_sku\":\"T\",\"sale_price\":\"2\"}]}"
      "]}}";
  const char *ids[] = {"B1", "G1", "B2", "MISSING1", "G2"};
  oc_order_query q = {0, 0, NULL, ids, 5};
  ct_orders res;
  const cJSON *orders;
  const char *why;
  cJSON *j;

  parse_orders(OC_OP_GET_ORDERS, &q, 200, body, &res);
  j = orders_json(&res);
  orders = jget(j, "orders");
  ASSERT_EQ(cJSON_GetArraySize(orders), 2); /* the broken ones are dropped */
  ASSERT_STR_EQ(jstr(cJSON_GetArrayItem(orders, 0), "id"), "G1");
  ASSERT_STR_EQ(jstr(cJSON_GetArrayItem(orders, 1), "id"), "G2");
  ASSERT_EQ(jnum(line_at(cJSON_GetArrayItem(orders, 1), 0), "qty"), 2);
  ASSERT_EQ(jnum(cJSON_GetArrayItem(orders, 0), "total_vnd"), 100);
  ASSERT_EQ(cJSON_GetArraySize(jget(j, "bad")), 10);

  why = bad_reason(j, "B1");
  ASSERT_STR_EQ(why, "order B1: field status: unknown value SHIPPED_TO_MARS");
  why = bad_reason(j, "B2"); /* added then dropped at its 2nd line */
  ASSERT_STR_EQ(why, "order B2: field line_items[1].seller_sku is missing");
  ASSERT_STR_EQ(bad_reason(j, "B3"), "order B3: field line_items is empty");
  why = bad_reason(j, "B4");
  ASSERT(starts_with(why, "order B4: field update_time"));
  why = bad_reason(j, "B5");
  ASSERT(starts_with(why, "order B5: field payment.total_amount"));
  why = bad_reason(j, "B6");
  ASSERT(starts_with(why, "order B6: field line_items[0].sale_price"));
  ASSERT_STR_EQ(bad_reason(j, "B7"), "order B7: field status is missing");
  ASSERT_STR_EQ(bad_reason(j, "B8"), "order B8: field line_items is missing");
  ASSERT(starts_with(bad_reason(j, "B9"), "order B9: field update_time"));
  ASSERT_STR_EQ(bad_reason(j, "MISSING1"), "order MISSING1: not in the answer");
  ASSERT_NULL(bad_reason(j, "G1"));
  ASSERT_NULL(bad_reason(j, "G2"));
  cJSON_Delete(j);
  return 0;
}

static TEST_IMPL(parse_orders_malformed) {
  static const char *const bodies[] = {
      "<html>gateway</html>",
      "{\"code\":0,\"data\":{\"orders\":[",
      "[1,2]",
      "{\"code\":0}",
      "{\"code\":0,\"data\":null}",
      "{\"code\":0,\"data\":[]}",
      "{\"code\":0,\"data\":{}}",
      "{\"code\":0,\"data\":{\"orders\":{}}}",
      "{\"code\":0,\"data\":{\"orders\":[7]}}",
      "{\"code\":0,\"data\":{\"orders\":[{\"status\":\"UNPAID\"}]}}",
      "{\"code\":0,\"data\":{\"orders\":[{\"id\":576684019603311365}]}}",
      "{\"code\":0,\"data\":{\"orders\":[{\"id\":\"\"}]}}",
      "{\"code\":0,\"data\":{\"orders\":[{\"id\":\"a b\"}]}}",
  };
  size_t i;
  ct_orders res;

  for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
    parse_orders(OC_OP_GET_ORDERS, NULL, 200, bodies[i], &res);
    ASSERT_EQ(res.v.status, OC_RETRY);
    ASSERT(res.v.error[0] != '\0');
    if (i >= 3) /* the JSON parsed: the reason names the field */
      ASSERT(starts_with(res.v.error, "unexpected response: field "));
    if (i == 6) /* the list may omit orders when empty, details may not */
      continue;
    parse_orders(OC_OP_LIST_ORDERS, NULL, 200, bodies[i], &res);
    ASSERT_EQ(res.v.status, OC_RETRY);
  }
  parse_orders(OC_OP_LIST_ORDERS, NULL, 200,
               "{\"code\":0,\"data\":{\"orders\":[],\"next_page_token\":5}}",
               &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  return 0;
}

static TEST_IMPL(parse_orders_error_envelopes) {
  static const struct {
    long http;
    const char *body;
    oc_status want;
    int rate;
  } cases[] = {
      {200, "{\"code\":105002,\"message\":\"access token is expired\"}",
       OC_AUTH, 0},
      {401, "{\"code\":105001,\"message\":\"invalid\"}", OC_AUTH, 0},
      {401, "{\"code\":106001,\"message\":\"sign invalid\"}", OC_REJECTED, 0},
      {200, "{\"code\":105005,\"message\":\"apply auth pkg\"}", OC_REJECTED, 0},
      {429, "{\"code\":10000429,\"message\":\"too many\"}", OC_RETRY, 1},
      {200, "{\"code\":36009004,\"message\":\"limit\"}", OC_RETRY, 1},
      {429, "", OC_RETRY, 1},
      {503, "<html>busy</html>", OC_RETRY, 0},
      {500, "{\"code\":0}", OC_RETRY, 0},
      {200, "{\"code\":36009003,\"message\":\"timestamp\"}", OC_RETRY, 0},
      {404, "<html>no</html>", OC_REJECTED, 0},
      {0, NULL, OC_RETRY, 0},
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    oc_op op = (i % 2) ? OC_OP_LIST_ORDERS : OC_OP_GET_ORDERS;
    ct_orders res;

    parse_orders(op, NULL, cases[i].http, cases[i].body, &res);
    ASSERT_EQ(res.v.status, cases[i].want);
    if (cases[i].rate)
      ASSERT(res.v.retry_after_ms >= 1000);
  }
  return 0;
}

/* ---- push (tiktok.md, "Push") -------------------------------------------- */

#define PUSH_KEY "fake_app_key"
#define PUSH_SECRET "fake_app_secret"
/* vector T6 (tiktok.md, "Signing") */
#define PUSH_BODY                                                             \
  "{\"type\":1,\"shop_id\":\"7494726673780148744\",\"timestamp\":1664095733," \
  "\"data\":{\"order_id\":\"576684019603311365\",\"order_status\":"           \
  "\"AWAITING_SHIPMENT\",\"update_time\":1664095610}}"
#define PUSH_SIG "21109834de72ec53c9959716d8514ae388ce1f123e5ffdcafc46713fcdf62b27"

static oc_shop push_shop(void) {
  oc_shop s = shop_fixture();

  s.app_key = PUSH_KEY;
  s.app_secret = PUSH_SECRET;
  return s;
}

/* Test-side signature (tiktok.md, "Push") of body with the given key and
 * secret. */
static void push_sign(const char *key, const char *secret, const char *body,
                      char out[65]) {
  char msg[4096];

  snprintf(msg, sizeof msg, "%s%s", key, body);
  ASSERT_EQ(ocu_hmac_sha256_hex(secret, strlen(secret), msg, strlen(msg),
                                OCU_HEX_LOWER, out),
            0);
}

/* Verifies; a refusal must leave nothing half-read and no secret. */
static int push(const oc_shop *s, const char *auth, const char *body,
                size_t len, oc_push *out) {
  int rc;

  memset(out, 0x5a, sizeof *out);
  rc = conn()->verify_push(s, "https://example.com/tiktok/push", auth, body,
                           len, out);
  if (rc != 0) {
    ASSERT_EQ(rc, -1);
    ASSERT(out->error[0] != '\0');
    if (s->app_secret[0] != '\0')
      ASSERT_NULL(strstr(out->error, s->app_secret));
    ASSERT_NULL(strstr(out->error, PUSH_SECRET));
    ASSERT_NULL(strstr(out->error, PUSH_SIG));
    ASSERT_STR_EQ(out->order_id, "");
    ASSERT_STR_EQ(out->shop_id, "");
  } else {
    ASSERT_STR_EQ(out->error, "");
  }
  return rc;
}

static TEST_IMPL(push_verify_ok) {
  oc_shop s = push_shop();
  oc_push out;
  char sig[65];
  const char *other = "{\"type\":6,\"shop_id\":7494726673,\"timestamp\":1,"
                      "\"data\":{\"message\":\"deauthorised\"}}";

  ASSERT_EQ(push(&s, PUSH_SIG, PUSH_BODY, strlen(PUSH_BODY), &out), 0);
  ASSERT_EQ(out.kind, 1);
  ASSERT_EQ(out.timestamp, 1664095733);
  ASSERT_STR_EQ(out.shop_id, "7494726673780148744");
  ASSERT_STR_EQ(out.order_id, "576684019603311365");

  /* not about an order: no order_id; a numeric shop_id is read as text */
  push_sign(PUSH_KEY, PUSH_SECRET, other, sig);
  ASSERT_EQ(push(&s, sig, other, strlen(other), &out), 0);
  ASSERT_EQ(out.kind, 6);
  ASSERT_EQ(out.timestamp, 1);
  ASSERT_STR_EQ(out.shop_id, "7494726673");
  ASSERT_STR_EQ(out.order_id, "");
  return 0;
}

static TEST_IMPL(push_verify_refused) {
  oc_shop s = push_shop();
  oc_push out;
  char sig[65], upper[65], tampered[sizeof PUSH_BODY], padded[80];
  size_t i;

  /* wrong secret */
  push_sign(PUSH_KEY, "another_secret", PUSH_BODY, sig);
  ASSERT_EQ(push(&s, sig, PUSH_BODY, strlen(PUSH_BODY), &out), -1);
  ASSERT_STR_EQ(out.error, "signature does not match");
  s.app_secret = "another_secret";
  ASSERT_EQ(push(&s, PUSH_SIG, PUSH_BODY, strlen(PUSH_BODY), &out), -1);
  s = push_shop();
  /* the key is signed too */
  push_sign("other_key", PUSH_SECRET, PUSH_BODY, sig);
  ASSERT_EQ(push(&s, sig, PUSH_BODY, strlen(PUSH_BODY), &out), -1);

  /* one byte changed, anywhere */
  for (i = 0; i < strlen(PUSH_BODY); i += 7) {
    memcpy(tampered, PUSH_BODY, sizeof tampered);
    tampered[i] ^= 0x01;
    ASSERT_EQ(push(&s, PUSH_SIG, tampered, strlen(PUSH_BODY), &out), -1);
    ASSERT_STR_EQ(out.error, "signature does not match");
  }
  /* a shorter body (the signature holds only for every byte) */
  ASSERT_EQ(push(&s, PUSH_SIG, PUSH_BODY, strlen(PUSH_BODY) - 1, &out), -1);

  /* no header */
  ASSERT_EQ(push(&s, NULL, PUSH_BODY, strlen(PUSH_BODY), &out), -1);
  ASSERT_STR_EQ(out.error, "no Authorization header");
  ASSERT_EQ(push(&s, "", PUSH_BODY, strlen(PUSH_BODY), &out), -1);

  /* uppercase hex, a Bearer prefix and blanks are refused */
  for (i = 0; i < 65; i++)
    upper[i] = (char)(PUSH_SIG[i] >= 'a' && PUSH_SIG[i] <= 'f'
                          ? PUSH_SIG[i] - 'a' + 'A'
                          : PUSH_SIG[i]);
  ASSERT_EQ(push(&s, upper, PUSH_BODY, strlen(PUSH_BODY), &out), -1);
  ASSERT_STR_EQ(out.error, "signature does not match");
  snprintf(padded, sizeof padded, "Bearer %s", PUSH_SIG);
  ASSERT_EQ(push(&s, padded, PUSH_BODY, strlen(PUSH_BODY), &out), -1);
  snprintf(padded, sizeof padded, "%s ", PUSH_SIG);
  ASSERT_EQ(push(&s, padded, PUSH_BODY, strlen(PUSH_BODY), &out), -1);
  snprintf(padded, sizeof padded, "%.63s", PUSH_SIG);
  ASSERT_EQ(push(&s, padded, PUSH_BODY, strlen(PUSH_BODY), &out), -1);

  /* too large, before any HMAC */
  ASSERT_EQ(push(&s, PUSH_SIG, PUSH_BODY, OC_MAX_PUSH + 1, &out), -1);
  /* a shop without its secret */
  s.app_secret = "";
  ASSERT_EQ(push(&s, PUSH_SIG, PUSH_BODY, strlen(PUSH_BODY), &out), -1);
  return 0;
}

static TEST_IMPL(push_signed_but_malformed) {
  static const char *const bodies[] = {
      "not json",
      "[1]",
      "",
      "{\"type\":1,\"shop_id\":\"1\",\"timestamp\":1,\"data\":{}}",
      "{\"type\":1,\"shop_id\":\"1\",\"timestamp\":1}",
      "{\"type\":1,\"shop_id\":\"1\",\"data\":{\"order_id\":5}}",
      "{\"type\":1,\"shop_id\":\"1\",\"data\":{\"order_id\":\"a b\"}}",
      "{\"shop_id\":\"1\",\"timestamp\":1,\"data\":{\"order_id\":\"9\"}}",
      "{\"type\":\"1\",\"shop_id\":\"1\",\"data\":{\"order_id\":\"9\"}}",
      "{\"type\":1,\"timestamp\":1,\"data\":{\"order_id\":\"9\"}}",
      "{\"type\":1,\"shop_id\":\"\",\"data\":{\"order_id\":\"9\"}}",
      "{\"type\":1,\"shop_id\":\"1\",\"timestamp\":\"x\",\"data\":{\"order_id\":\"9\"}}",
      "{\"type\":1,\"shop_id\":\"1\",\"data\":{\"order_id\":\"9\"}} x",
  };
  oc_shop s = push_shop();
  oc_push out;
  char sig[65];
  size_t i;

  for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
    push_sign(PUSH_KEY, PUSH_SECRET, bodies[i], sig);
    ASSERT_EQ(push(&s, sig, bodies[i], strlen(bodies[i]), &out), -1);
    ASSERT(strcmp(out.error, "signature does not match") != 0);
    ASSERT_EQ(out.kind, 0);
    ASSERT_EQ(out.timestamp, 0);
  }
  /* the same shape, well formed, passes */
  push_sign(PUSH_KEY, PUSH_SECRET,
            "{\"type\":1,\"shop_id\":\"1\",\"data\":{\"order_id\":\"9\"}}", sig);
  ASSERT_EQ(push(&s, sig,
                 "{\"type\":1,\"shop_id\":\"1\",\"data\":{\"order_id\":\"9\"}}",
                 strlen("{\"type\":1,\"shop_id\":\"1\",\"data\":{"
                        "\"order_id\":\"9\"}}"),
                 &out),
            0);
  ASSERT_EQ(out.timestamp, 0);
  ASSERT_STR_EQ(out.order_id, "9");
  return 0;
}

/* ---- content (ABI 6) ------------------------------------------------------ */

/* The listing of a health product with everything TikTok takes: brand,
 * a listed and a free-text attribute, a certification and its scan, and
 * the package's sizes. */
static oc_attr fx_attr[3];

static oc_listing listing_content(void) {
  oc_listing l = listing_fixture();

  fx_img[1].remote_id = URI2;
  fx_img[1].url = "";
  fx_img[2].remote_id = URI_CERT;
  fx_img[2].url = "";
  fx_img[2].certificate = 1;
  l.nimages = 3;
  l.category_id = "600003";
  l.brand_id = "7082427311584347905";
  l.brand_name = "Tài Hoan";
  fx_attr[0] = (oc_attr){"100001", "Country of Origin", "1000011", "Vietnam"};
  fx_attr[1] = (oc_attr){"100003", "Ingredients", "", "Đông trùng hạ thảo"};
  l.attrs = fx_attr;
  l.nattrs = 2;
  l.certification_id = "8000003";
  fx_var[0].length_mm = 155;
  fx_var[0].width_mm = 100;
  fx_var[0].height_mm = 42;
  return l;
}

static TEST_IMPL(build_publish_content) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_content();
  oc_request r;

  l.item_id = NULL;
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products", SHOP_KEYS, &r);
  ASSERT_STR_EQ(r.body,
      "{\"title\":\"Trà xanh Thái Nguyên - OCOP 4 sao\","
      "\"description\":\"Sản phẩm OCOP 4 sao (quyết định 3981/QĐ-UBND).\\n"
      "Trà búp khô, gói 200 g.\","
      "\"category_id\":\"600003\",\"brand_id\":\"7082427311584347905\","
      "\"main_images\":[{\"uri\":\"" URI1 "\"},{\"uri\":\"" URI2 "\"}],"
      "\"product_attributes\":[{\"id\":\"100001\",\"values\":[{\"id\":\"1000011\"}]},"
      "{\"id\":\"100003\",\"values\":[{\"name\":\"Đông trùng hạ thảo\"}]}],"
      "\"certifications\":[{\"id\":\"8000003\",\"images\":[{\"uri\":\"" URI_CERT "\"}]}],"
      "\"package_dimensions\":{\"length\":\"16\",\"width\":\"10\",\"height\":\"5\","
      "\"unit\":\"CENTIMETER\"},"
      "\"package_weight\":{\"value\":\"0.25\",\"unit\":\"KILOGRAM\"},"
      "\"skus\":[{\"seller_sku\":\"HN-TRA-001\",\"price\":{\"amount\":\"75000\","
      "\"currency\":\"VND\"}," WH "25}]}]," IDEM "}");
  oc_request_free(&r);

  /* no brand: brand_id left out; unknown sizes: no package_dimensions;
   * no certification: none; a second value of one attribute joins it */
  l.brand_id = "";
  l.certification_id = NULL;
  fx_var[0].height_mm = 0;
  fx_attr[2] = (oc_attr){"100001", "Country of Origin", "1000012", "Thailand"};
  l.nattrs = 3;
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products", SHOP_KEYS, &r);
  ASSERT_NULL(strstr(r.body, "brand_id"));
  ASSERT_NULL(strstr(r.body, "package_dimensions"));
  ASSERT_NULL(strstr(r.body, "certifications"));
  ASSERT_NULL(strstr(r.body, URI_CERT));
  ASSERT_NOT_NULL(strstr(r.body, "{\"id\":\"100001\",\"values\":[{\"id\":\"1000011\"},"
                                 "{\"id\":\"1000012\"}]}"));
  oc_request_free(&r);
  /* the same product code, the same key: a create sent again is the same */
  l.name = LONG_NAME;
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products", SHOP_KEYS, &r);
  ASSERT_NOT_NULL(strstr(r.body, IDEM "}"));
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_content_refused) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_content();
  oc_request r;

  /* the issue's title, "Nhút bà Quế - OCOP 4 sao", is one short */
  l.name = "Nhút bà Quế";
  build_fails(OC_OP_PUBLISH, &s, &l,
              "TikTok requires a title of 25-255 characters; this one has 24");
  l.name = "Nhút bà Quế.";
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/product/202309/products", SHOP_KEYS, &r);
  oc_request_free(&r);
  l = listing_content();
  l.category_id = NULL;
  build_fails(OC_OP_PUBLISH, &s, &l, "TikTok requires a leaf category; this listing has none");
  build_fails(OC_OP_UPDATE, &s, &l, "TikTok requires a leaf category");
  l = listing_content();
  l.category_id = "60000x";
  build_fails(OC_OP_PUBLISH, &s, &l, "category_id is not a TikTok category id");
  l = listing_content();
  l.nimages = 0;
  build_fails(OC_OP_PUBLISH, &s, &l, "TikTok requires at least one main image");
  l = listing_content();
  l.images = fx_img + 2; /* the certificate alone */
  l.nimages = 1;
  build_fails(OC_OP_PUBLISH, &s, &l, "TikTok requires at least one main image");
  l = listing_content();
  fx_img[1].remote_id = "";
  build_fails(OC_OP_PUBLISH, &s, &l, "image 2 has no TikTok uri");
  l = listing_content();
  fx_img[1].remote_id = "tos/a b";
  build_fails(OC_OP_UPDATE, &s, &l, "image 2 has no TikTok uri");
  l = listing_content();
  fx_attr[1].value = "";
  build_fails(OC_OP_PUBLISH, &s, &l, "attribute 2");
  l = listing_content();
  l.brand_id = "No Brand";
  build_fails(OC_OP_PUBLISH, &s, &l, "brand_id");
  return 0;
}

static TEST_IMPL(parse_content_refusals) {
  oc_listing_result res;
  static const char *const content[] = {
      "{\"code\":12052104,\"message\":\"property is required\"}",
      "{\"code\":12052300,\"message\":\"product main image uri illegal\"}",
      "{\"code\":12052024,\"message\":\"Category is not final category\"}",
      "{\"code\":12052026,\"message\":\"Brand does not exist\"}",
      "{\"code\":12052105,\"message\":\"required qualification miss\"}",
      "{\"code\":12052051,\"message\":\"The product name exceed max limit characters\"}",
      "{\"code\":12052529,\"message\":\" The property value id not exist.\"}",
      "{\"code\":12019012,\"message\":\"product package size is invalid\"}",
  };
  size_t i;

  for (i = 0; i < sizeof content / sizeof content[0]; i++) {
    parse_listing(OC_OP_PUBLISH, 200, content[i], &res);
    ASSERT_EQ(res.v.status, OC_REJECTED);
    ASSERT_EQ(res.content, 1);
    ASSERT(strncmp(res.v.error, content[i] + 8, 8) == 0); /* TikTok's own code */
    parse_listing(OC_OP_UPDATE, 200, content[i], &res);
    ASSERT_EQ(res.content, 1);
    parse_listing(OC_OP_SET_STOCK, 200, content[i], &res);
    ASSERT_EQ(res.content, 0);
  }
  parse_listing(OC_OP_PUBLISH, 200, content[0], &res);
  ASSERT_STR_EQ(res.v.error, "12052104: property is required");
  /* not about the content: a warehouse, the sign, a busy answer */
  parse_listing(OC_OP_PUBLISH, 200, "{\"code\":12052097,\"message\":\"The warehouse does not exist\"}",
                &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_EQ(res.content, 0);
  parse_listing(OC_OP_PUBLISH, 401, "{\"code\":106001,\"message\":\"invalid sign\"}", &res);
  ASSERT_EQ(res.content, 0);
  parse_listing(OC_OP_PUBLISH, 503, content[0], &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_EQ(res.content, 0);
  return 0;
}

/* ---- UPLOAD_IMAGE --------------------------------------------------------- */

static const unsigned char fx_png[] = {0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0};

static oc_upload upload_fixture(void) {
  oc_upload u;

  memset(&u, 0, sizeof u);
  u.data = fx_png;
  u.len = sizeof fx_png;
  u.filename = "HN-TRA-001-1.png";
  u.mime = "image/png";
  u.width = 800;
  u.height = 800;
  return u;
}

static TEST_IMPL(build_upload_image) {
  oc_shop s = shop_fixture();
  oc_upload u = upload_fixture();
  oc_request r;
  char err[256];

  memset(&r, 0x5a, sizeof r);
  ASSERT_EQ(conn()->build_upload(&s, &u, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(err, "");
  ASSERT_STR_EQ(r.method, "POST");
  ASSERT_STR_EQ(r.log_url, BASE "/product/202309/images/upload");
  /* no shop_cipher (the reference has none for this call); the body is
   * multipart, so the sign covers path and query alone (Python's hmac
   * over secret/product/202309/images/uploadapp_key29a39dtimestamp
   * 1623812664secret) */
  ASSERT_STR_EQ(r.url, BASE "/product/202309/images/upload?app_key=29a39d&timestamp=1623812664"
                            "&sign=f7508c721ee258a5eefb054cd227038b9e434415bb6810b6e4e968b36083d884");
  ASSERT(sign_verifies(&r, SECRET));
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.body_len, 0);
  ASSERT_EQ(r.nheaders, 2);
  ASSERT_STR_EQ(r.headers[0], "x-tts-access-token: " TOKEN);
  ASSERT_STR_EQ(r.headers[1], "Content-Type: multipart/form-data");
  ASSERT_EQ(r.nparts, 2);
  ASSERT_STR_EQ(r.parts[0].name, "data");
  ASSERT_NULL(r.parts[0].value);
  ASSERT_STR_EQ(r.parts[0].filename, "HN-TRA-001-1.png");
  ASSERT_STR_EQ(r.parts[0].mime, "image/png");
  ASSERT_STR_EQ(r.parts[1].name, "use_case");
  ASSERT_STR_EQ(r.parts[1].value, "MAIN_IMAGE");
  ASSERT_NULL(r.parts[1].filename);
  ASSERT(r.file == fx_png);
  ASSERT_EQ(r.file_len, sizeof fx_png);
  oc_request_free(&r);
  /* a certificate scan: CERTIFICATION_IMAGE, and small images pass */
  u.certificate = 1;
  u.width = u.height = 150;
  u.mime = "image/jpeg";
  ASSERT_EQ(conn()->build_upload(&s, &u, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.parts[1].value, "CERTIFICATION_IMAGE");
  ASSERT_STR_EQ(r.parts[0].mime, "image/jpeg");
  oc_request_free(&r);
  /* upload needs no shop_cipher */
  s.opts = NULL;
  s.nopts = 0;
  ASSERT_EQ(conn()->build_upload(&s, &u, NOW_MS, &r, err, sizeof err), 0);
  oc_request_free(&r);
  return 0;
}

static void upload_fails(const oc_shop *s, const oc_upload *u, const char *want) {
  oc_request r;
  char err[256];

  memset(&r, 0x5a, sizeof r);
  ASSERT_EQ(conn()->build_upload(s, u, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_NULL(r.url);
  ASSERT_EQ(r.nparts, 0);
  ASSERT_EQ(r.nheaders, 0);
  if (strstr(err, want) == NULL) {
    fprintf(stderr, "error \"%s\" lacks \"%s\"\n", err, want);
    ASSERT(0);
  }
}

static TEST_IMPL(build_upload_refused) {
  oc_shop s = shop_fixture();
  oc_upload u = upload_fixture();

  u.mime = "image/webp";
  upload_fails(&s, &u, "TikTok takes JPG or PNG images here; this one is image/webp");
  u = upload_fixture();
  u.len = 10u * 1024 * 1024 + 1;
  upload_fails(&s, &u, "at most 10 MB; this one has 10485761 bytes");
  u = upload_fixture();
  u.width = 299;
  upload_fails(&s, &u, "TikTok takes main images of 300x300 to 4000x4000 px; this one is 299x800");
  u = upload_fixture();
  u.height = 4001;
  upload_fails(&s, &u, "this one is 800x4001");
  u = upload_fixture();
  u.certificate = 1;
  u.width = 99;
  upload_fails(&s, &u, "certification images of 100x100 to 20000x20000 px");
  u = upload_fixture();
  u.len = 0;
  upload_fails(&s, &u, "image is empty");
  u = upload_fixture();
  s.access_token = "";
  upload_fails(&s, &u, "access_token");
  s = shop_fixture();
  upload_fails(&s, NULL, "image is missing");
  return 0;
}

static void parse_upload(long status, const char *body, oc_upload_result *res) {
  oc_shop s = shop_fixture();
  oc_upload u = upload_fixture();

  conn()->parse_upload(&s, &u, status, body, body ? strlen(body) : 0, res);
}

static TEST_IMPL(parse_upload_image) {
  oc_upload_result res;

  parse_upload(200, "{\"code\":0,\"data\":{\"uri\":\"" URI1 "\",\"url\":\"https://p-oec-va."
                    "ibyteimg.com/" URI1 "\",\"height\":800,\"width\":800,\"use_case\":"
                    "\"MAIN_IMAGE\"},\"message\":\"Success\",\"request_id\":\"2022\"}",
               &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.remote_id, URI1);
  ASSERT_STR_EQ(res.url, "https://p-oec-va.ibyteimg.com/" URI1);
  parse_upload(200, "{\"code\":12038005,\"message\":\"The file size exceeds the maximum "
                    "allowed size.\"}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "12038005: The file size exceeds the maximum allowed size.");
  ASSERT_STR_EQ(res.remote_id, "");
  parse_upload(200, "{\"code\":0,\"data\":{\"url\":\"https://x\"}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.remote_id, "");
  parse_upload(200, "{\"code\":0,\"data\":{\"uri\":\"a b\"}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse_upload(0, NULL, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse_upload(401, "{\"code\":105002,\"message\":\"expired\"}", &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  return 0;
}

/* ---- CATEGORY ------------------------------------------------------------- */

static void category_build(int step, const char *rules, oc_request *r) {
  oc_shop s = shop_fixture();
  oc_category_query q = {"600003", step, rules};
  char err[256];

  ASSERT_EQ(conn()->build_category(&s, &q, NOW_MS, r, err, sizeof err), 0);
  ASSERT_STR_EQ(r->method, "GET");
  ASSERT_NULL(r->body);
  ASSERT_EQ(r->nheaders, 2);
  ASSERT_STR_EQ(r->headers[0], "x-tts-access-token: " TOKEN);
  ASSERT_STR_EQ(r->headers[1], "Content-Type: application/json");
  ASSERT(sign_verifies(r, SECRET));
}

static TEST_IMPL(build_category_steps) {
  oc_request r;
  oc_shop s = shop_fixture();
  oc_category_query q = {"6000x3", 0, ""};
  char err[256];

  category_build(0, "", &r);
  ASSERT_STR_EQ(r.log_url, BASE "/product/202309/categories/600003/attributes");
  ASSERT(starts_with(r.url, BASE "/product/202309/categories/600003/attributes?app_key=29a39d"
                            "&shop_cipher=" CIPHER "&timestamp=1623812664&sign="));
  oc_request_free(&r);
  category_build(1, "{\"leaf\":true}", &r);
  ASSERT_STR_EQ(r.log_url, BASE "/product/202309/categories/600003/rules");
  oc_request_free(&r);
  category_build(2, "{\"leaf\":true}", &r);
  ASSERT_STR_EQ(r.log_url, BASE "/product/202309/brands");
  ASSERT(starts_with(r.url, BASE "/product/202309/brands?app_key=29a39d&category_id=600003"
                            "&page_size=100&shop_cipher=" CIPHER "&timestamp=1623812664&sign="));
  oc_request_free(&r);
  /* the next page: the token the previous step kept (Python's hmac over
   * the canonical string with page_tokenb2Zm) */
  category_build(3, "{\"leaf\":true,\"_page\":\"b2Zm\"}", &r);
  ASSERT_STR_EQ(r.url, BASE "/product/202309/brands?app_key=29a39d&category_id=600003"
                            "&page_size=100&page_token=b2Zm&shop_cipher=" CIPHER
                            "&timestamp=1623812664&sign="
                            "afdf8eb90e68f6dea2710f563ac9597677889e1e7968cb04dbf63795bca3b39b");
  oc_request_free(&r);
  ASSERT_EQ(conn()->build_category(&s, &q, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_NULL(r.url);
  q.category_id = "600003";
  q.step = 2;
  q.rules = "not json";
  ASSERT_EQ(conn()->build_category(&s, &q, NOW_MS, &r, err, sizeof err), -1);
  s.opts = NULL;
  s.nopts = 0;
  q.step = 0;
  ASSERT_EQ(conn()->build_category(&s, &q, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_NOT_NULL(strstr(err, "shop_cipher"));
  return 0;
}

static void category_parse(int step, const char *rules, long status, const char *body,
                           oc_category_result *res) {
  oc_shop s = shop_fixture();
  oc_category_query q = {"600003", step, rules};

  conn()->parse_category(&s, &q, status, body, body ? strlen(body) : 0, res);
}

static TEST_IMPL(parse_category_steps) {
  oc_category_result res;
  char *rules;

  category_parse(0, "", 200,
      "{\"code\":0,\"data\":{\"attributes\":["
      "{\"id\":\"100001\",\"name\":\"Country of Origin\",\"type\":\"PRODUCT_PROPERTY\","
      "\"is_requried\":true,\"values\":[{\"id\":\"1000011\",\"name\":\"Vietnam\"},"
      "{\"id\":\"1000012\",\"name\":\"Thailand\"}],\"is_customizable\":false},"
      "{\"id\":\"100003\",\"name\":\"Ingredients\",\"type\":\"PRODUCT_PROPERTY\","
      "\"is_required\":true,\"is_customizable\":true},"
      "{\"id\":\"100089\",\"name\":\"Color\",\"type\":\"SALES_PROPERTY\"},"
      "{\"id\":\"100004\",\"name\":\"Net Weight\",\"type\":\"PRODUCT_PROPERTY\","
      "\"is_requried\":false,\"is_customizable\":true}]},\"message\":\"Success\"}",
      &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 1);
  ASSERT_STR_EQ(res.rules,
      "{\"leaf\":true,\"brand_required\":false,\"dimensions_required\":false,"
      "\"no_brand\":null,\"brands\":[],\"attrs\":["
      "{\"id\":\"100001\",\"name\":\"Country of Origin\",\"required\":true,\"values\":["
      "{\"id\":\"1000011\",\"name\":\"Vietnam\"},{\"id\":\"1000012\",\"name\":\"Thailand\"}],"
      "\"customizable\":false},"
      "{\"id\":\"100003\",\"name\":\"Ingredients\",\"required\":true,\"values\":[],"
      "\"customizable\":true},"
      "{\"id\":\"100004\",\"name\":\"Net Weight\",\"required\":false,\"values\":[],"
      "\"customizable\":true}],\"certifications\":[]}");
  rules = res.rules;

  category_parse(1, rules, 200,
      "{\"code\":0,\"data\":{\"product_certifications\":["
      "{\"id\":\"8000001\",\"name\":\"Product Quality Certificate\",\"is_required\":false},"
      "{\"id\":\"8000003\",\"name\":\"Health Supplement License\",\"is_required\":true}],"
      "\"size_chart\":{\"is_supported\":false,\"is_required\":false},"
      "\"package_dimension\":{\"is_required\":true}},\"message\":\"Success\"}",
      &res);
  free(rules);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 1);
  ASSERT_NOT_NULL(strstr(res.rules, "\"dimensions_required\":true"));
  ASSERT_NOT_NULL(strstr(res.rules,
      "\"certifications\":[{\"id\":\"8000001\",\"name\":\"Product Quality Certificate\","
      "\"required\":false},{\"id\":\"8000003\",\"name\":\"Health Supplement License\","
      "\"required\":true}]"));
  rules = res.rules;

  /* brands, two pages; an unauthorised T1 brand cannot be selected */
  category_parse(2, rules, 200,
      "{\"code\":0,\"data\":{\"brands\":["
      "{\"id\":\"7082427311584347905\",\"name\":\"Tài Hoan\",\"authorized_status\":"
      "\"AUTHORIZED\",\"brand_status\":\"AVAILABLE\",\"is_t1_brand\":false},"
      "{\"id\":\"7082427311584347906\",\"name\":\"Big\",\"authorized_status\":"
      "\"UNAUTHORIZED\",\"is_t1_brand\":true}],\"total_count\":3,"
      "\"next_page_token\":\"b2Zm\"},\"message\":\"Success\"}",
      &res);
  free(rules);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 1);
  ASSERT_NOT_NULL(strstr(res.rules, "\"brands\":[{\"id\":\"7082427311584347905\","
                                    "\"name\":\"Tài Hoan\"}]"));
  ASSERT_NOT_NULL(strstr(res.rules, "\"_page\":\"b2Zm\""));
  rules = res.rules;
  category_parse(3, rules, 200,
      "{\"code\":0,\"data\":{\"brands\":[{\"id\":\"7082427311584347907\",\"name\":"
      "\"Vinamilk\",\"authorized_status\":\"UNAUTHORIZED\",\"is_t1_brand\":false}],"
      "\"total_count\":3,\"next_page_token\":\"\"},\"message\":\"Success\"}",
      &res);
  free(rules);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 0);
  ASSERT_NOT_NULL(strstr(res.rules, "\"brands\":[{\"id\":\"7082427311584347905\",\"name\":"
                                    "\"Tài Hoan\"},{\"id\":\"7082427311584347907\","
                                    "\"name\":\"Vinamilk\"}]"));
  ASSERT_NULL(strstr(res.rules, "_page"));
  free(res.rules);
  return 0;
}

static TEST_IMPL(parse_category_not_leaf) {
  oc_category_result res;

  category_parse(0, "", 200, "{\"code\":12052024,\"message\":\"Category is not final "
                             "category\",\"request_id\":\"x\"}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 0);
  ASSERT_NOT_NULL(res.rules);
  ASSERT(starts_with(res.rules, "{\"leaf\":false,"));
  free(res.rules);
  category_parse(0, "", 200, "{\"code\":12052230,\"message\":\"not a leaf\"}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT(starts_with(res.rules, "{\"leaf\":false,"));
  free(res.rules);
  /* another refusal stays one, without rules */
  category_parse(0, "", 200, "{\"code\":12052023,\"message\":\"Category does not exist\"}",
                 &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_NULL(res.rules);
  ASSERT_EQ(res.more, 0);
  category_parse(1, "{\"leaf\":true}", 200, "{\"code\":12052024,\"message\":\"x\"}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_NULL(res.rules);
  category_parse(0, "", 0, NULL, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_NULL(res.rules);
  category_parse(0, "", 200, "{\"code\":0}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_NULL(res.rules);
  return 0;
}

static const struct test_entry tests[] = {
    TEST_ENTRY(sign_t1_official_example),
    TEST_ENTRY(sign_t2_shop_cipher),
    TEST_ENTRY(sign_t3_t4_body_bytes_matter),
    TEST_ENTRY(sign_t5_minimal),
    TEST_ENTRY(sign_t6_push_hmac_layer),
    TEST_ENTRY(entry_point),
    TEST_ENTRY(build_publish),
    TEST_ENTRY(build_publish_options),
    TEST_ENTRY(build_missing_options),
    TEST_ENTRY(build_bad_listing),
    TEST_ENTRY(build_update_claims_and_strip),
    TEST_ENTRY(build_set_stock),
    TEST_ENTRY(build_set_price),
    TEST_ENTRY(build_delist_relist),
    TEST_ENTRY(build_lookup_sku),
    TEST_ENTRY(build_get_listing),
    TEST_ENTRY(build_sign_covers_body_and_encoding),
    TEST_ENTRY(build_refresh_token),
    TEST_ENTRY(build_auth_link),
    TEST_ENTRY(build_token_exchange),
    TEST_ENTRY(parse_token_exchange),
    TEST_ENTRY(title_claims_and_plain),
    TEST_ENTRY(title_trim_utf8),
    TEST_ENTRY(log_url_has_no_secrets),
    TEST_ENTRY(parse_error_text_scrubbed),
    TEST_ENTRY(parse_publish_ok),
    TEST_ENTRY(parse_lookup_sku),
    TEST_ENTRY(parse_get_listing),
    TEST_ENTRY(parse_get_listing_refused),
    TEST_ENTRY(parse_amounts),
    TEST_ENTRY(item_id_form),
    TEST_ENTRY(parse_refresh_token),
    TEST_ENTRY(parse_writes_ok),
    TEST_ENTRY(parse_error_classes),
    TEST_ENTRY(parse_malformed_truncated),
    TEST_ENTRY(parse_body_not_utf8),
    TEST_ENTRY(parse_oversized),
    TEST_ENTRY(parse_deep_nesting),
    TEST_ENTRY(parse_wrong_types),
    TEST_ENTRY(parse_resets_result),
    TEST_ENTRY(build_list_orders),
    TEST_ENTRY(build_list_orders_refused),
    TEST_ENTRY(build_get_orders),
    TEST_ENTRY(build_get_orders_bad_ids),
    TEST_ENTRY(parse_list_orders),
    TEST_ENTRY(parse_get_orders),
    TEST_ENTRY(parse_get_orders_structs),
    TEST_ENTRY(parse_get_orders_status_map),
    TEST_ENTRY(parse_get_orders_bad_entries),
    TEST_ENTRY(parse_orders_malformed),
    TEST_ENTRY(parse_orders_error_envelopes),
    TEST_ENTRY(push_verify_ok),
    TEST_ENTRY(push_verify_refused),
    TEST_ENTRY(push_signed_but_malformed),
    TEST_ENTRY(build_publish_variants),
    TEST_ENTRY(build_publish_single_unchanged),
    TEST_ENTRY(build_variants_refused),
    TEST_ENTRY(build_stock_price_three),
    TEST_ENTRY(build_variants_steps),
    TEST_ENTRY(parse_variants_step),
    TEST_ENTRY(lookup_by_id_variants),
    TEST_ENTRY(parse_publish_variants),
    TEST_ENTRY(get_listing_variants),
    TEST_ENTRY(build_publish_content),
    TEST_ENTRY(build_content_refused),
    TEST_ENTRY(parse_content_refusals),
    TEST_ENTRY(build_upload_image),
    TEST_ENTRY(build_upload_refused),
    TEST_ENTRY(parse_upload_image),
    TEST_ENTRY(build_category_steps),
    TEST_ENTRY(parse_category_steps),
    TEST_ENTRY(parse_category_not_leaf),
    {NULL, NULL, 0, 0},
};

int main(int argc, char **argv) { return run_tests(tests, argc, argv); }
