/*
 * test_shopee.c — unit tests for connectors/shopee/ and connectors/common/.
 *
 * The connector's files are linked in, so that its internal functions
 * (sp_base_string, sp_sign, sp_make_url; declared in shopee.h) can be tested
 * directly; the titles and descriptions are common/claims.c. Expected signatures are literals from
 * docs/marketplaces/shopee.md, "Signing" (vectors S1..S5) or were computed
 * independently with Python's hmac module (noted where used).
 */
#include "runner.h"

/* Through the connector's internal header: sp_* functions are non-static
 * but not exported from the module (connectors/local.mk). */
#include "../../connectors/shopee/shopee.h"
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

#define KEY "test_partner_key"
#define TOKEN "token_value"
#define REFRESH "refresh_value_xyz"
#define CODE "auth_code_value_42"
#define REDIRECT "https://example.com/cb?x=1"
#define NOW_MS 1710000000123LL /* -> timestamp 1710000000 */
#define BASE "https://partner.shopeemobile.com"

static const oc_kv opts_full[] = {
    {"category_id", "100644"},     {"image_id", "img-abc, img_def"},
    {"logistic_id", "5000"},       {"ocop_attribute_id", "100999"},
    {"category.I.3.c", "100777"},
};

static oc_shop shop_fixture(void) {
  oc_shop s;

  memset(&s, 0, sizeof s);
  s.base_url = BASE;
  s.app_key = "123456";
  s.app_secret = KEY;
  s.shop_id = "654321";
  s.access_token = TOKEN;
  s.refresh_token = REFRESH;
  s.auth_code = CODE;
  s.redirect_url = REDIRECT;
  s.opts = opts_full;
  s.nopts = sizeof opts_full / sizeof opts_full[0];
  return s;
}

/* The fixture's variants: one, the item itself ("0"), unless a test says
 * otherwise. listing_fixture() resets them. */
static oc_variant fixture_variants[OC_MAX_VARIANTS];

/* The first variant of a fixture listing, writable. */
#define V0(l) (*(oc_variant *)&(l).variants[0])

/* The content the core resolves: two gallery images and a certificate
 * scan, a leaf category, a brand, one enumerated and one free-text
 * attribute. */
static const oc_image fixture_images[] = {
    {"img-abc", "https://cf.shopee.vn/file/img-abc", 0},
    {"img_def", "", 0},
    {"cert-1", "", 1},
};
static const oc_attr fixture_attrs[] = {
    {"100010", "Country of Origin", "6001", "Vietnam"},
    {"100011", "Ingredients", "", "Trà búp"},
};

static oc_listing listing_fixture(void) {
  oc_listing l;

  memset(&l, 0, sizeof l);
  memset(fixture_variants, 0, sizeof fixture_variants);
  fixture_variants[0].sku = "HN-TRA-001";
  fixture_variants[0].label = "";
  fixture_variants[0].price_vnd = 75000;
  fixture_variants[0].stock = 25;
  fixture_variants[0].weight_g = 250;
  fixture_variants[0].remote_id = "0";
  l.variants = fixture_variants;
  l.nvariants = 1;
  l.sku = "HN-TRA-001";
  l.name = "Trà xanh Thái Nguyên";
  l.description = "Trà búp khô, gói 200 g.";
  l.category = "I.3.c";
  l.unit = "gói";
  l.stars = 4;
  l.certificate_no = "3981/QĐ-UBND";
  l.item_id = "2300069665";
  l.category_id = "100644";
  l.brand_id = "3000001";
  l.brand_name = "Tài Hoan";
  l.attrs = fixture_attrs;
  l.nattrs = 2;
  l.images = fixture_images;
  l.nimages = 3;
  return l;
}

static const oc_connector *conn(void) { return OC_ENTRY(); }

static void parse_listing(oc_op op, long status, const char *body, oc_listing_result *res) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();

  ASSERT(!oc_token_op(op)); /* tokens have their own result: parse_token */
  if (op == OC_OP_LOOKUP_SKU) /* search_item; with an item id: see parse_models */
    l.item_id = NULL;
  conn()->parse_listing(op, &s, &l, status, body, body ? strlen(body) : 0, res);
}

static void parse_token(oc_op op, long status, const char *body, oc_token_result *res) {
  oc_shop s = shop_fixture();

  conn()->parse_token(op, &s, status, body, body ? strlen(body) : 0, res);
}

/* parse(): the listing or the token parser, by the type of the result. */
#define parse(op, status, body, res)                                          \
  _Generic((res), oc_token_result *: parse_token, default: parse_listing)(   \
      op, status, body, res)

/* build_any(): build_listing or build_token, by the operation's family. */
#define build_any(...) ct_build_any(conn(), __VA_ARGS__)

/* The value of key in the URL's query (raw, still encoded), or NULL. */
static const char *query_get(const char *url, const char *key, char *out,
                             size_t outlen) {
  const char *q = strchr(url, '?');
  size_t kl = strlen(key);

  while (q != NULL) {
    q++;
    if (strncmp(q, key, kl) == 0 && q[kl] == '=') {
      const char *v = q + kl + 1, *e = strchr(v, '&');
      size_t n = e ? (size_t)(e - v) : strlen(v);

      if (n >= outlen)
        return NULL;
      memcpy(out, v, n);
      out[n] = '\0';
      return out;
    }
    q = strchr(q, '&');
  }
  return NULL;
}

static cJSON *body_json(const oc_request *r) {
  ASSERT_NOT_NULL(r->body);
  ASSERT_EQ(r->body_len, strlen(r->body));
  return cJSON_ParseWithLength(r->body, r->body_len);
}

static int64_t jint(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

  ASSERT(cJSON_IsNumber(it));
  ASSERT(it->valuedouble == (double)(int64_t)it->valuedouble);
  return (int64_t)it->valuedouble;
}

static const char *jstr(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

  ASSERT(cJSON_IsString(it));
  return it->valuestring;
}

/* Builds op and checks what every shop call shares: method, log_url, the
 * common query parameters and the signature (given as an independent
 * literal). */
static void build_ok(oc_op op, const oc_shop *s, const oc_listing *l,
                     const char *method, const char *path, const char *sign,
                     oc_request *r) {
  char err[256], v[128], want[256];

  ASSERT_EQ(build_any(op, s, l, NOW_MS, r, err, sizeof err), 0);
  ASSERT_STR_EQ(err, "");
  ASSERT_STR_EQ(r->method, method);
  snprintf(want, sizeof want, "%s%s", BASE, path);
  ASSERT_STR_EQ(r->log_url, want);
  snprintf(want, sizeof want, "%s%s?", BASE, path);
  ASSERT(strncmp(r->url, want, strlen(want)) == 0);
  ASSERT_STR_EQ(query_get(r->url, "partner_id", v, sizeof v), "123456");
  ASSERT_STR_EQ(query_get(r->url, "timestamp", v, sizeof v), "1710000000");
  ASSERT_STR_EQ(query_get(r->url, "sign", v, sizeof v), sign);
  if (strcmp(method, "POST") == 0) {
    ASSERT_EQ(r->nheaders, 1);
    ASSERT_STR_EQ(r->headers[0], "Content-Type: application/json");
    ASSERT_NOT_NULL(r->body);
  } else {
    ASSERT_EQ(r->nheaders, 0);
    ASSERT_NULL(r->body);
    ASSERT_EQ(r->body_len, 0);
  }
}

static void shop_query_ok(const oc_request *r) {
  char v[128];

  ASSERT_STR_EQ(query_get(r->url, "access_token", v, sizeof v), TOKEN);
  ASSERT_STR_EQ(query_get(r->url, "shop_id", v, sizeof v), "654321");
}


static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- signing vectors (shopee.md, "Signing") ------------------------------ */

static TEST_IMPL(sign_s1_hmac_layer) {
  static const char msg[] =
      "/api/v2/auth/token/get123456test_partner_idtest_shop_idtest_main_account_id";
  char out[65];

  ASSERT_EQ(ocu_hmac_sha256_hex(KEY, strlen(KEY), msg, strlen(msg),
                                OCU_HEX_LOWER, out),
            0);
  ASSERT_STR_EQ(out,
                "37c864bd9821ff5f2c2f46b2faca14eb1811a718d1fdc6dcf383cba7c74bf9e9");
  return 0;
}

static TEST_IMPL(sign_s2_shop_base_string) {
  oc_shop s = shop_fixture();
  char *base = sp_base_string(&s, "/api/v2/order/get_order_list", 1710000000,
                              SP_SHOP);
  char sign[65];

  ASSERT_STR_EQ(base, "123456/api/v2/order/get_order_list1710000000token_value654321");
  free(base);
  ASSERT_EQ(sp_sign(&s, "/api/v2/order/get_order_list", 1710000000, SP_SHOP,
                    sign),
            0);
  ASSERT_STR_EQ(sign,
                "174af5342b881750dad12a896dffa27da126f1e58a9eb99b12e59a06c288735c");
  return 0;
}

static TEST_IMPL(sign_s2_full_url) {
  oc_shop s = shop_fixture();
  char *url, *log_url;

  ASSERT_EQ(sp_make_url(&s, "/api/v2/order/get_order_list", 1710000000,
                        SP_SHOP, NULL, 0, &url, &log_url),
            0);
  ASSERT_STR_EQ(url,
                "https://partner.shopeemobile.com/api/v2/order/get_order_list"
                "?partner_id=123456&timestamp=1710000000&access_token=token_value"
                "&shop_id=654321"
                "&sign=174af5342b881750dad12a896dffa27da126f1e58a9eb99b12e59a06c288735c");
  ASSERT_STR_EQ(log_url,
                "https://partner.shopeemobile.com/api/v2/order/get_order_list");
  free(url);
  free(log_url);
  return 0;
}

static TEST_IMPL(sign_s3_public_link) {
  oc_shop s = shop_fixture();
  char *base = sp_base_string(&s, "/api/v2/shop/auth_partner", 1710000000,
                              SP_PUBLIC);
  char sign[65], *url, *log_url;

  ASSERT_STR_EQ(base, "123456/api/v2/shop/auth_partner1710000000");
  free(base);
  ASSERT_EQ(sp_sign(&s, "/api/v2/shop/auth_partner", 1710000000, SP_PUBLIC,
                    sign),
            0);
  ASSERT_STR_EQ(sign,
                "aa06d2243ba99639c22fba4ef5ac791d22b672cb66f8ec1d26972d91f810855b");
  ASSERT_EQ(sp_make_url(&s, "/api/v2/shop/auth_partner", 1710000000, SP_PUBLIC,
                        NULL, 0, &url, &log_url),
            0);
  ASSERT_STR_EQ(url,
                "https://partner.shopeemobile.com/api/v2/shop/auth_partner"
                "?partner_id=123456&timestamp=1710000000"
                "&sign=aa06d2243ba99639c22fba4ef5ac791d22b672cb66f8ec1d26972d91f810855b");
  free(url);
  free(log_url);
  return 0;
}

/* S4: the shop holds a token and a shop id, yet the token call signs
 * public-style; the same rule drives REFRESH_TOKEN (auth/access_token/get). */
static TEST_IMPL(sign_s4_token_call_not_signing_token) {
  oc_shop s = shop_fixture();
  char *base = sp_base_string(&s, "/api/v2/auth/token/get", 1710000000,
                              sp_ops[OC_OP_REFRESH_TOKEN].kind);
  char sign[65], v[128];
  oc_request r;

  ASSERT_STR_EQ(base, "123456/api/v2/auth/token/get1710000000");
  free(base);
  ASSERT_EQ(sp_sign(&s, "/api/v2/auth/token/get", 1710000000,
                    sp_ops[OC_OP_REFRESH_TOKEN].kind, sign),
            0);
  ASSERT_STR_EQ(sign,
                "39a59ca303bf398e37f8fb20c9f98f44cf295631b970aa0b671ee398e2b5adb7");

  /* The real refresh request: sign computed with Python hmac over
   * "123456/api/v2/auth/access_token/get1710000000". */
  build_ok(OC_OP_REFRESH_TOKEN, &s, NULL, "POST", "/api/v2/auth/access_token/get",
           "37e725728ae3e63083dc86a3e100ec4cfe117db204f88665fb9e0685cc67129a",
           &r);
  ASSERT_NULL(query_get(r.url, "access_token", v, sizeof v));
  ASSERT_NULL(query_get(r.url, "shop_id", v, sizeof v));
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(sign_s5_push_message) {
  static const char url[] = "https://example.com/shopee/push";
  static const char body[] =
      "{\"code\":0,\"data\":{\"verify_info\":\"This is a Verification "
      "message.Please respond in the certain format.\"}}";
  static const char want[] =
      "9726e164dc16411946e950c1d1018451209393ac6c3f11876ce4404822af1fbd";
  char *msg = ocu_asprintf("%s|%s", url, body), out[65];

  ASSERT_STR_EQ(msg,
                "https://example.com/shopee/push|{\"code\":0,\"data\":{\"verify_"
                "info\":\"This is a Verification message.Please respond in the "
                "certain format.\"}}");
  ASSERT_EQ(ocu_hmac_sha256_hex(KEY, strlen(KEY), msg, strlen(msg),
                                OCU_HEX_LOWER, out),
            0);
  ASSERT_STR_EQ(out, want);
  ASSERT(ocu_sig_equal(out, want));
  free(msg);
  /* One changed byte (a trailing newline) must fail verification. */
  msg = ocu_asprintf("%s|%s\n", url, body);
  ASSERT_EQ(ocu_hmac_sha256_hex(KEY, strlen(KEY), msg, strlen(msg),
                                OCU_HEX_LOWER, out),
            0);
  ASSERT(!ocu_sig_equal(out, want));
  free(msg);
  return 0;
}

static TEST_IMPL(hmac_fixed_width_and_case) {
  char out[65];

  /* HMAC(KEY, "pad-6") starts with a zero byte (found and checked with
   * Python): the hex must keep both leading zeros. */
  ASSERT_EQ(ocu_hmac_sha256_hex(KEY, strlen(KEY), "pad-6", 5, OCU_HEX_LOWER, out),
            0);
  ASSERT_STR_EQ(out,
                "008cf146abd6e2a7688e3cd774a3e580ccaef15f76392750cfcbbff7e21cf454");
  ASSERT_EQ(strlen(out), 64);
  ASSERT_EQ(ocu_hmac_sha256_hex(KEY, strlen(KEY), "pad-6", 5, OCU_HEX_UPPER, out),
            0);
  ASSERT_STR_EQ(out,
                "008CF146ABD6E2A7688E3CD774A3E580CCAEF15F76392750CFCBBFF7E21CF454");
  /* Uppercase is a different signature for Shopee (shopee.md, "Signing"). */
  ASSERT(!ocu_sig_equal(out,
                        "008cf146abd6e2a7688e3cd774a3e580ccaef15f76392750cfcbbff7e21cf454"));
  return 0;
}

/* ---- connectors/common --------------------------------------------------------- */

static TEST_IMPL(ocu_urlencode_rfc3986) {
  char *e = ocu_urlencode("a b&c=d/é~-._+%");

  ASSERT_STR_EQ(e, "a%20b%26c%3Dd%2F%C3%A9~-._%2B%25");
  free(e);
  e = ocu_urlencode("");
  ASSERT_STR_EQ(e, "");
  free(e);
  return 0;
}

static TEST_IMPL(ocu_strings) {
  char small[8], *p;
  ocu_buf b = OCU_BUF_INIT;

  ASSERT_EQ(ocu_strlcpy(small, "abcdefghij", sizeof small), 10);
  ASSERT_STR_EQ(small, "abcdefg");
  /* 7 bytes of room: a cut inside "đ" (2 bytes) or "ệ" (3 bytes) backs up
   * to the start of the sequence. */
  ASSERT_EQ(ocu_utf8_copy(small, sizeof small, "aăâbđ"), 6);
  ASSERT_STR_EQ(small, "aăâb");
  ASSERT_EQ(ocu_utf8_copy(small, sizeof small, "abcdeệ"), 5);
  ASSERT_STR_EQ(small, "abcde");
  ASSERT(ocu_utf8_valid("Trà xanh", strlen("Trà xanh")));
  ASSERT(!ocu_utf8_valid("\xC3", 1));        /* truncated */
  ASSERT(!ocu_utf8_valid("\xC0\xAF", 2));    /* overlong '/' */
  ASSERT(!ocu_utf8_valid("\xED\xA0\x80", 3)); /* surrogate */
  ASSERT(!ocu_utf8_valid("\xF4\x90\x80\x80", 4)); /* > U+10FFFF */
  ASSERT_EQ(ocu_utf8_count("Đặc sản"), 7);
  ASSERT_EQ(ocu_utf8_prefix("Đặc sản", 2), 5); /* Đ (2) + ặ (3) */
  ASSERT_EQ(ocu_buf_printf(&b, "%d-%s", 42, "x"), 0);
  ASSERT_EQ(ocu_buf_puts(&b, "yz"), 0);
  p = ocu_buf_detach(&b);
  ASSERT_STR_EQ(p, "42-xyz");
  free(p);
  p = ocu_buf_detach(&b); /* empty buffer: "" */
  ASSERT_STR_EQ(p, "");
  free(p);
  p = ocu_asprintf("%s=%" PRId64, "v", (int64_t)-5);
  ASSERT_STR_EQ(p, "v=-5");
  free(p);
  return 0;
}

static TEST_IMPL(ocu_json_parse_limits) {
  char err[160], deep[80];
  cJSON *root;
  int i;

  ASSERT_EQ(ocu_json_parse("{\"a\":1} \n", 9, &root, err, sizeof err), 0);
  ASSERT_NOT_NULL(root);
  cJSON_Delete(root);
  /* Not NUL-terminated: only len bytes count. */
  ASSERT_EQ(ocu_json_parse("[1]XXXX", 3, &root, err, sizeof err), 0);
  cJSON_Delete(root);
  ASSERT_EQ(ocu_json_parse("{\"a\":1} x", 9, &root, err, sizeof err), -1);
  ASSERT_NULL(root);
  ASSERT_STR_EQ(err, "malformed JSON at byte 8 (trailing data)");
  ASSERT_EQ(ocu_json_parse("{\"a\":tru}", 9, &root, err, sizeof err), -1);
  ASSERT(starts_with(err, "malformed JSON at byte "));
  ASSERT_EQ(ocu_json_parse("", 0, &root, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "empty body");
  /* Exactly 32 levels pass, 33 do not; brackets inside strings don't count. */
  for (i = 0; i < 32; i++)
    deep[i] = '[', deep[32 + i] = ']';
  ASSERT_EQ(ocu_json_parse(deep, 64, &root, err, sizeof err), 0);
  cJSON_Delete(root);
  memset(deep, 0, sizeof deep);
  for (i = 0; i < 33; i++)
    deep[i] = '[', deep[33 + i] = ']';
  ASSERT_EQ(ocu_json_parse(deep, 66, &root, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "JSON nested deeper than 32 levels at byte 32");
  ASSERT_EQ(ocu_json_parse("[\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"]", 41, &root,
                           err, sizeof err),
            0);
  cJSON_Delete(root);
  return 0;
}

static TEST_IMPL(ocu_json_ids) {
  char out[OC_ID_MAX], err[160];
  cJSON *root;
  int64_t v;

  ASSERT_EQ(ocu_json_parse("[9007199254740991,9007199254740992,9007199254740993,"
                           "12.5,-3,\"77\",150000.0,149999.5,-2.5,1e300]",
                           strlen("[9007199254740991,9007199254740992,"
                                  "9007199254740993,12.5,-3,\"77\",150000.0,"
                                  "149999.5,-2.5,1e300]"),
                           &root, err, sizeof err),
            0);
  ASSERT_EQ(ocu_json_id(cJSON_GetArrayItem(root, 0), OCU_ID_NUMBER, "a", out,
                        sizeof out, err, sizeof err),
            0);
  ASSERT_STR_EQ(out, "9007199254740991");
  ASSERT_EQ(ocu_json_id(cJSON_GetArrayItem(root, 1), OCU_ID_NUMBER, "b", out,
                        sizeof out, err, sizeof err),
            -1);
  ASSERT_STR_EQ(err, "field b is above 2^53 and cannot be read exactly");
  ASSERT_STR_EQ(out, "");
  ASSERT_EQ(ocu_json_id(cJSON_GetArrayItem(root, 2), OCU_ID_NUMBER, "c", out,
                        sizeof out, err, sizeof err),
            -1);
  ASSERT_EQ(ocu_json_id(cJSON_GetArrayItem(root, 3), OCU_ID_NUMBER, "d", out,
                        sizeof out, err, sizeof err),
            -1);
  ASSERT_STR_EQ(err, "field d is not an integer");
  ASSERT_EQ(ocu_json_id(cJSON_GetArrayItem(root, 4), OCU_ID_NUMBER, "e", out,
                        sizeof out, err, sizeof err),
            -1);
  ASSERT_STR_EQ(err, "field e is negative");
  ASSERT_EQ(ocu_json_id(cJSON_GetArrayItem(root, 5), OCU_ID_NUMBER, "f", out,
                        sizeof out, err, sizeof err),
            -1);
  ASSERT_STR_EQ(err, "field f is not a number");
  ASSERT_EQ(ocu_json_id(cJSON_GetArrayItem(root, 5), OCU_ID_STRING, "f", out,
                        sizeof out, err, sizeof err),
            0);
  ASSERT_STR_EQ(out, "77");
  ASSERT_EQ(ocu_json_id(NULL, OCU_ID_NUMBER, "g", out, sizeof out, err,
                        sizeof err),
            -1);
  ASSERT_STR_EQ(err, "field g is missing");
  ASSERT_EQ(ocu_json_round(cJSON_GetArrayItem(root, 6), &v), 0);
  ASSERT_EQ(v, 150000);
  ASSERT_EQ(ocu_json_round(cJSON_GetArrayItem(root, 7), &v), 0);
  ASSERT_EQ(v, 150000);
  ASSERT_EQ(ocu_json_round(cJSON_GetArrayItem(root, 8), &v), 0);
  ASSERT_EQ(v, -3);
  ASSERT_EQ(ocu_json_round(cJSON_GetArrayItem(root, 9), &v), -1);
  ASSERT_EQ(ocu_json_int(cJSON_GetArrayItem(root, 3), &v), -1);
  ASSERT_EQ(ocu_json_int(cJSON_GetArrayItem(root, 4), &v), 0);
  ASSERT_EQ(v, -3);
  cJSON_Delete(root);
  return 0;
}

/* ---- connector table ----------------------------------------------------------- */

static TEST_IMPL(entry_point) {
  const oc_connector *c = OC_ENTRY();
  uint32_t want = OC_CAP_STRIP;
  int op;

  for (op = OC_OP_PUBLISH; op < OC_OP_MAX; op++)
    want |= OC_CAP(op);
  ASSERT_EQ(c->abi, OC_ABI_VERSION);
  ASSERT_STR_EQ(c->name, "shopee");
  ASSERT_EQ(c->caps, want);
  ASSERT_NOT_NULL(c->build_listing);
  ASSERT_NOT_NULL(c->parse_listing);
  ASSERT_NOT_NULL(c->build_token);
  ASSERT_NOT_NULL(c->parse_token);
  return 0;
}

/* ---- build: each operation ---------------------------------------------------- */

static TEST_IMPL(build_publish) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  cJSON *b, *o, *a;

  l.category = "II.1.a"; /* no per-category option: category_id applies */
  build_ok(OC_OP_PUBLISH, &s, &l, "POST", "/api/v2/product/add_item",
           "a0ebe7f96c67ff25fae1e94ebe4fd40ae561a3438b73d9c3a244d05f9a11df70",
           &r);
  shop_query_ok(&r);
  /* Integer money, exactly as text: no 75000.0, no exponent. */
  ASSERT_NOT_NULL(strstr(r.body, "\"original_price\":75000,"));
  ASSERT_NULL(strstr(r.body, ".0"));
  ASSERT_NOT_NULL(strstr(r.body, "\"weight\":0.25,"));
  b = body_json(&r);
  ASSERT_NOT_NULL(b);
  ASSERT_STR_EQ(jstr(b, "item_name"), "Trà xanh Thái Nguyên - OCOP 4 sao");
  ASSERT_STR_EQ(jstr(b, "description"),
                "Sản phẩm OCOP 4 sao (quyết định 3981/QĐ-UBND).\n"
                "Trà búp khô, gói 200 g.");
  ASSERT_EQ(jint(b, "original_price"), 75000);
  o = cJSON_GetArrayItem(cJSON_GetObjectItem(b, "seller_stock"), 0);
  ASSERT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(b, "seller_stock")), 1);
  ASSERT_EQ(jint(o, "stock"), 25);
  ASSERT(cJSON_GetObjectItem(b, "weight")->valuedouble == 0.25);
  ASSERT_EQ(jint(b, "category_id"), 100644);
  a = cJSON_GetObjectItem(cJSON_GetObjectItem(b, "image"), "image_id_list");
  ASSERT_EQ(cJSON_GetArraySize(a), 2);
  ASSERT_STR_EQ(cJSON_GetArrayItem(a, 0)->valuestring, "img-abc");
  ASSERT_STR_EQ(cJSON_GetArrayItem(a, 1)->valuestring, "img_def");
  a = cJSON_GetObjectItem(b, "logistic_info");
  ASSERT_EQ(cJSON_GetArraySize(a), 1);
  ASSERT_EQ(jint(cJSON_GetArrayItem(a, 0), "logistic_id"), 5000);
  ASSERT(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0), "enabled")));
  ASSERT_STR_EQ(jstr(b, "item_sku"), "HN-TRA-001");
  ASSERT_STR_EQ(jstr(b, "item_status"), "NORMAL");
  ASSERT_STR_EQ(jstr(b, "condition"), "NEW");
  o = cJSON_GetObjectItem(b, "brand");
  ASSERT_EQ(jint(o, "brand_id"), 3000001);
  ASSERT_STR_EQ(jstr(o, "original_brand_name"), "Tài Hoan");
  /* The category's attributes, byte for byte: an allowed value by its id,
   * free text as value_id 0 with original_value_name; then the OCOP one. */
  ASSERT_NOT_NULL(strstr(r.body,
                         "\"attribute_list\":[{\"attribute_id\":100010,\"attribute_value_list\":"
                         "[{\"value_id\":6001}]},{\"attribute_id\":100011,\"attribute_value_list\":"
                         "[{\"value_id\":0,\"original_value_name\":\"Trà búp\"}]},"));
  ASSERT_NOT_NULL(strstr(r.body, "\"category_id\":100644,\"image\":{\"image_id_list\":"
                                 "[\"img-abc\",\"img_def\"]},\"brand\":{\"brand_id\":3000001,"));
  ASSERT_NULL(strstr(r.body, "cert-1")); /* no certification field on Shopee */
  ASSERT_NULL(cJSON_GetObjectItem(b, "dimension")); /* sizes unknown: none sent */
  a = cJSON_GetObjectItem(b, "attribute_list");
  ASSERT_EQ(cJSON_GetArraySize(a), 3);
  o = cJSON_GetArrayItem(a, 2);
  ASSERT_EQ(jint(o, "attribute_id"), 100999);
  a = cJSON_GetObjectItem(o, "attribute_value_list");
  ASSERT_EQ(cJSON_GetArraySize(a), 1);
  ASSERT_EQ(jint(cJSON_GetArrayItem(a, 0), "value_id"), 0);
  ASSERT_STR_EQ(jstr(cJSON_GetArrayItem(a, 0), "original_value_name"), "4 sao");
  cJSON_Delete(b);
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_publish_options) {
  static const oc_kv o2[] = {{"category_id", "100644"},
                             {"category.I.3.c", "100777"},
                             {"image_id", "img1"},
                             {"logistic_id", "5000,5001"},
                             {"ocop_attribute_id", "100999"},
                             {"ocop_value_id.5", "888"}};
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  cJSON *b, *v;
  char err[256];

  s.opts = o2;
  s.nopts = 6;
  l.stars = 5;
  V0(l).weight_g = 1500;
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  b = body_json(&r);
  ASSERT_EQ(jint(b, "category_id"), 100644); /* the listing's: options no longer count */
  ASSERT(cJSON_GetObjectItem(b, "weight")->valuedouble == 1.5);
  ASSERT_NOT_NULL(strstr(r.body, "\"weight\":1.5,"));
  ASSERT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(b, "logistic_info")), 2);
  ASSERT_EQ(jint(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "logistic_info"), 1),
                 "logistic_id"),
            5001);
  v = cJSON_GetArrayItem(
      cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "attribute_list"), 2),
                          "attribute_value_list"),
      0);
  ASSERT_EQ(jint(v, "value_id"), 888);
  ASSERT_NULL(cJSON_GetObjectItem(v, "original_value_name"));
  cJSON_Delete(b);
  oc_request_free(&r);

  /* stars == 0: plain name and description, no attribute at all. */
  l.stars = 0;
  l.certificate_no = NULL;
  V0(l).weight_g = 1000;
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  b = body_json(&r);
  ASSERT_STR_EQ(jstr(b, "item_name"), "Trà xanh Thái Nguyên");
  ASSERT_STR_EQ(jstr(b, "description"), "Trà búp khô, gói 200 g.");
  ASSERT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(b, "attribute_list")), 2); /* no OCOP one */
  ASSERT_NOT_NULL(strstr(r.body, "\"weight\":1,"));
  ASSERT_NULL(strstr(r.body, "OCOP"));
  cJSON_Delete(b);
  oc_request_free(&r);
  return 0;
}

/* Only logistic_id is still a shop option; the content is the listing's. */
static TEST_IMPL(build_publish_missing_options) {
  static const oc_kv only_cat[] = {{"category_id", "100644"}, {"image_id", "x"}};
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  char err[256];

  s.opts = only_cat;
  s.nopts = 2;
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "shop option \"logistic_id\" is not set");
  ASSERT_NULL(r.url);
  ASSERT_NULL(r.log_url);
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 0);
  return 0;
}

/* What Shopee would refuse is refused in build, with what is missing. */
static TEST_IMPL(build_publish_bad_options) {
  static const oc_kv bad_log[] = {{"logistic_id", "5000,abc"}};
  static const oc_kv bad_attr[] = {{"logistic_id", "1"}, {"ocop_attribute_id", "-4"}};
  static const oc_image certs_only[] = {{"c1", "", 1}};
  static const oc_image bad_img[] = {{"a\"b", "", 0}};
  static const oc_image ten[] = {{"1", "", 0}, {"2", "", 0}, {"3", "", 0}, {"4", "", 0},
                                 {"5", "", 0}, {"6", "", 0}, {"7", "", 0}, {"8", "", 0},
                                 {"9", "", 0}, {"10", "", 0}};
  static const oc_attr no_value[] = {{"100010", "Country of Origin", "", ""}};
  static const oc_attr bad_id[] = {{"", "Shelf Life", "", "12 tháng"}};
  static const struct {
    int what;
    const char *want;
  } cases[] = {
      {0, "shop option \"logistic_id\" must hold numeric ids"},
      {1, "shop option \"ocop_attribute_id\" is not a numeric id"},
      {2, "Shopee requires a leaf category; this listing has none"},
      {3, "listing category_id is not a numeric Shopee category id"},
      {4, "Shopee requires at least one image; this listing has none"},
      {5, "Shopee requires at least one image; this listing has none"},
      {6, "Shopee takes at most 9 images; this listing has 10"},
      {7, "image 1 has no Shopee image id from upload_image"},
      {8, "Shopee requires the brand's original_brand_name with its brand_id"},
      {9, "listing brand_id is not a numeric Shopee brand id"},
      {10, "attribute \"Country of Origin\" has no value"},
      {11, "attribute \"Shelf Life\" has no numeric Shopee attribute id"},
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    oc_shop s = shop_fixture();
    oc_listing l = listing_fixture();
    oc_request r;
    char err[256];

    switch (cases[i].what) {
    case 0: s.opts = bad_log, s.nopts = 1; break;
    case 1: s.opts = bad_attr, s.nopts = 2; break;
    case 2: l.category_id = NULL; break;
    case 3: l.category_id = "100644x"; break;
    case 4: l.nimages = 0; break;
    case 5: l.images = certs_only, l.nimages = 1; break;
    case 6: l.images = ten, l.nimages = 10; break;
    case 7: l.images = bad_img, l.nimages = 1; break;
    case 8: l.brand_name = ""; break;
    case 9: l.brand_id = "No Brand"; break;
    case 10: l.attrs = no_value, l.nattrs = 1; break;
    default: l.attrs = bad_id, l.nattrs = 1; break;
    }
    ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), -1);
    ASSERT_STR_EQ(err, cases[i].want);
    ASSERT_NULL(r.url);
    ASSERT_NULL(r.body);
    if (cases[i].what >= 2) { /* UPDATE refuses the same content */
      ASSERT_EQ(build_any(OC_OP_UPDATE, &s, &l, NOW_MS, &r, err, sizeof err), -1);
      ASSERT_STR_EQ(err, cases[i].want);
    }
  }
  return 0;
}

/* No brand: brand_id "" sends none; Shopee's No Brand is brand_id 0 by
 * name from the rules. All three sizes, rounded up to cm, or none. */
static TEST_IMPL(build_publish_brand_and_sizes) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  char err[256];

  l.brand_id = "";
  l.brand_name = "";
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_NULL(strstr(r.body, "\"brand\""));
  oc_request_free(&r);
  l.brand_id = "0";
  l.brand_name = "NoBrand";
  V0(l).length_mm = 201, V0(l).width_mm = 100, V0(l).height_mm = 55;
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_NOT_NULL(strstr(r.body, "\"brand\":{\"brand_id\":0,\"original_brand_name\":\"NoBrand\"}"));
  ASSERT_NOT_NULL(strstr(r.body, "\"dimension\":{\"package_length\":21,\"package_width\":10,"
                                 "\"package_height\":6}"));
  oc_request_free(&r);
  V0(l).height_mm = 0; /* two of three: none sent */
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_NULL(strstr(r.body, "dimension"));
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_publish_weight_unknown) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  char err[256];

  V0(l).weight_g = 0;
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "variant weight unknown (Shopee requires a weight)");
  ASSERT_NULL(r.url);
  V0(l).weight_g = -5;
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "variant weight must be positive");
  return 0;
}

static TEST_IMPL(build_update_with_claims) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  cJSON *b, *a;

  l.stars = 3;
  build_ok(OC_OP_UPDATE, &s, &l, "POST", "/api/v2/product/update_item",
           "cd1c780d1a46d5436beda78a81c23432c8d550cb649ca2ba500a7553eeb6f6b7",
           &r);
  shop_query_ok(&r);
  ASSERT_NOT_NULL(strstr(r.body, "\"item_id\":2300069665,"));
  b = body_json(&r);
  ASSERT_EQ(jint(b, "item_id"), 2300069665LL);
  ASSERT_STR_EQ(jstr(b, "item_name"), "Trà xanh Thái Nguyên - OCOP 3 sao");
  ASSERT_STR_EQ(jstr(b, "description"),
                "Sản phẩm OCOP 3 sao (quyết định 3981/QĐ-UBND).\n"
                "Trà búp khô, gói 200 g.");
  a = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "attribute_list"), 1),
                          "attribute_value_list");
  ASSERT_EQ(cJSON_GetArraySize(a), 1);
  ASSERT_STR_EQ(jstr(cJSON_GetArrayItem(a, 0), "original_value_name"), "Trà búp");
  a = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "attribute_list"), 2),
                          "attribute_value_list");
  ASSERT_STR_EQ(jstr(cJSON_GetArrayItem(a, 0), "original_value_name"), "3 sao");
  /* The content goes with every update: images in order, category, brand. */
  ASSERT_NOT_NULL(strstr(r.body, "\"category_id\":100644,\"image\":{\"image_id_list\":"
                                 "[\"img-abc\",\"img_def\"]},\"brand\":{\"brand_id\":3000001,"));
  ASSERT_NOT_NULL(strstr(r.body, "\"weight\":0.25,"));
  /* Price and stock have their own calls (shopee.md, "Endpoints"). */
  ASSERT_NULL(cJSON_GetObjectItem(b, "original_price"));
  ASSERT_NULL(cJSON_GetObjectItem(b, "seller_stock"));
  cJSON_Delete(b);
  oc_request_free(&r);
  return 0;
}

/* Strip: stars 0 sends the plain text and empties the star attribute. */
static TEST_IMPL(build_update_strip) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  cJSON *b, *a;
  char err[256];

  l.stars = 0;
  l.certificate_no = NULL;
  ASSERT_EQ(build_any(OC_OP_UPDATE, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  b = body_json(&r);
  ASSERT_STR_EQ(jstr(b, "item_name"), "Trà xanh Thái Nguyên");
  ASSERT_STR_EQ(jstr(b, "description"), "Trà búp khô, gói 200 g.");
  a = cJSON_GetObjectItem(b, "attribute_list");
  ASSERT_EQ(cJSON_GetArraySize(a), 3);
  ASSERT_EQ(jint(cJSON_GetArrayItem(a, 2), "attribute_id"), 100999);
  a = cJSON_GetObjectItem(cJSON_GetArrayItem(a, 2), "attribute_value_list");
  ASSERT(cJSON_IsArray(a));
  ASSERT_EQ(cJSON_GetArraySize(a), 0);
  ASSERT_NULL(strstr(r.body, "OCOP"));
  ASSERT_NULL(strstr(r.body, "sao"));
  ASSERT_NULL(strstr(r.body, "3981"));
  cJSON_Delete(b);
  oc_request_free(&r);

  /* A stripped OCOP claim image is not in the listing: the item loses it. */
  l.images = fixture_images + 1;
  l.nimages = 2;
  l.nattrs = 0;
  s.nopts = 3; /* category_id, image_id, logistic_id: no OCOP attribute */
  ASSERT_EQ(build_any(OC_OP_UPDATE, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  b = body_json(&r);
  ASSERT_NULL(cJSON_GetObjectItem(b, "attribute_list"));
  ASSERT_NOT_NULL(strstr(r.body, "\"image_id_list\":[\"img_def\"]}"));
  ASSERT_NULL(strstr(r.body, "img-abc"));
  cJSON_Delete(b);
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_set_stock) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  cJSON *b, *m;

  V0(l).stock = 0; /* zero is a valid absolute quantity */
  build_ok(OC_OP_SET_STOCK, &s, &l, "POST", "/api/v2/product/update_stock",
           "f99334774118ced9344779870093d47452632e997c03b8be89a2ff22c0f0f9d5",
           &r);
  shop_query_ok(&r);
  ASSERT_STR_EQ(r.body, "{\"item_id\":2300069665,\"stock_list\":[{\"model_id\":0,"
                        "\"seller_stock\":[{\"stock\":0}]}]}");
  b = body_json(&r);
  m = cJSON_GetArrayItem(cJSON_GetObjectItem(b, "stock_list"), 0);
  ASSERT_EQ(jint(m, "model_id"), 0);
  ASSERT_EQ(jint(cJSON_GetArrayItem(cJSON_GetObjectItem(m, "seller_stock"), 0),
                 "stock"),
            0);
  cJSON_Delete(b);
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_set_price) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  cJSON *b, *m;

  V0(l).price_vnd = 150000;
  build_ok(OC_OP_SET_PRICE, &s, &l, "POST", "/api/v2/product/update_price",
           "6624080eeac20e8b5c30cf51d2d14c380593d375c53409575dac6ccc469dc4c4",
           &r);
  shop_query_ok(&r);
  ASSERT_STR_EQ(r.body, "{\"item_id\":2300069665,\"price_list\":[{\"model_id\":0,"
                        "\"original_price\":150000}]}");
  b = body_json(&r);
  m = cJSON_GetArrayItem(cJSON_GetObjectItem(b, "price_list"), 0);
  ASSERT_EQ(jint(m, "original_price"), 150000);
  cJSON_Delete(b);
  oc_request_free(&r);

  /* Large prices stay integers (cJSON alone would print 1e+15). */
  V0(l).price_vnd = 1000000000000000LL;
  build_ok(OC_OP_SET_PRICE, &s, &l, "POST", "/api/v2/product/update_price",
           "6624080eeac20e8b5c30cf51d2d14c380593d375c53409575dac6ccc469dc4c4",
           &r);
  ASSERT_NOT_NULL(strstr(r.body, "\"original_price\":1000000000000000}"));
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_delist_relist) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;

  build_ok(OC_OP_DELIST, &s, &l, "POST", "/api/v2/product/unlist_item",
           "ed2c7d609217da2a3603fe2bd0ca1f3fb95f96a16881215fe97df8222aad44b9",
           &r);
  shop_query_ok(&r);
  ASSERT_STR_EQ(r.body,
                "{\"item_list\":[{\"item_id\":2300069665,\"unlist\":true}]}");
  oc_request_free(&r);
  build_ok(OC_OP_RELIST, &s, &l, "POST", "/api/v2/product/unlist_item",
           "ed2c7d609217da2a3603fe2bd0ca1f3fb95f96a16881215fe97df8222aad44b9",
           &r);
  ASSERT_STR_EQ(r.body,
                "{\"item_list\":[{\"item_id\":2300069665,\"unlist\":false}]}");
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_lookup_sku) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  char v[128];

  l.sku = "HN TRÀ/001&x";
  V0(l).sku = l.sku; /* a single variant: the item's SKU is the variant's */
  l.item_id = NULL; /* not needed; with one: get_model_list, see build_lookup_models */
  build_ok(OC_OP_LOOKUP_SKU, &s, &l, "GET", "/api/v2/product/search_item",
           "d04807406b7e71d61925d3dabdfc048a48895b695bb2ff54ada1b5c021809d0e",
           &r);
  shop_query_ok(&r);
  ASSERT_STR_EQ(query_get(r.url, "item_sku", v, sizeof v),
                "HN%20TR%C3%80%2F001%26x");
  ASSERT_STR_EQ(query_get(r.url, "offset", v, sizeof v), "0");
  ASSERT_STR_EQ(query_get(r.url, "page_size", v, sizeof v), "10");
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_get_listing) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  char v[128];

  build_ok(OC_OP_GET_LISTING, &s, &l, "GET", "/api/v2/product/get_item_base_info",
           "2eb4e7c2dbefa88f10c8da3fc8be64ca9b5fdc8e31df05fce9383b024cf18d94",
           &r);
  shop_query_ok(&r);
  ASSERT_STR_EQ(query_get(r.url, "item_id_list", v, sizeof v), "2300069665");
  ASSERT_STR_EQ(r.url,
                BASE "/api/v2/product/get_item_base_info?partner_id=123456"
                     "&timestamp=1710000000&access_token=token_value&shop_id=654321"
                     "&sign=2eb4e7c2dbefa88f10c8da3fc8be64ca9b5fdc8e31df05fce9383b024cf18d94"
                     "&item_id_list=2300069665");
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_refresh_token) {
  oc_shop s = shop_fixture();
  oc_request r;
  cJSON *b;

  s.access_token = NULL; /* a public call needs no access token */
  build_ok(OC_OP_REFRESH_TOKEN, &s, NULL, "POST",
           "/api/v2/auth/access_token/get",
           "37e725728ae3e63083dc86a3e100ec4cfe117db204f88665fb9e0685cc67129a",
           &r);
  ASSERT_STR_EQ(r.url,
                BASE "/api/v2/auth/access_token/get?partner_id=123456"
                     "&timestamp=1710000000"
                     "&sign=37e725728ae3e63083dc86a3e100ec4cfe117db204f88665fb9e0685cc67129a");
  ASSERT_STR_EQ(r.body, "{\"refresh_token\":\"refresh_value_xyz\","
                        "\"shop_id\":654321,\"partner_id\":123456}");
  b = body_json(&r);
  ASSERT_STR_EQ(jstr(b, "refresh_token"), REFRESH);
  ASSERT_EQ(jint(b, "shop_id"), 654321);
  ASSERT_EQ(jint(b, "partner_id"), 123456);
  cJSON_Delete(b);
  oc_request_free(&r);
  return 0;
}

/* ---- titles ------------------------------------------------------------------ */

/* shopee.md, "Authorisation and tokens": the link to show the seller; public
 * sign over the path (the same literal as vector S3), redirect URL-encoded,
 * nothing secret. */
static TEST_IMPL(build_auth_link) {
  oc_shop s = shop_fixture();
  oc_request r;
  char err[256], v[128];

  s.access_token = NULL;
  s.refresh_token = NULL;
  s.auth_code = NULL;
  build_ok(OC_OP_AUTH_LINK, &s, NULL, "GET", "/api/v2/shop/auth_partner",
           "aa06d2243ba99639c22fba4ef5ac791d22b672cb66f8ec1d26972d91f810855b",
           &r);
  ASSERT_STR_EQ(r.url,
                BASE "/api/v2/shop/auth_partner?partner_id=123456"
                     "&timestamp=1710000000"
                     "&sign=aa06d2243ba99639c22fba4ef5ac791d22b672cb66f8ec1d26972d91f810855b"
                     "&redirect=https%3A%2F%2Fexample.com%2Fcb%3Fx%3D1");
  ASSERT_STR_EQ(query_get(r.url, "redirect", v, sizeof v),
                "https%3A%2F%2Fexample.com%2Fcb%3Fx%3D1");
  ASSERT_NULL(strstr(r.url, KEY));
  oc_request_free(&r);

  s.redirect_url = NULL;
  ASSERT_EQ(build_any(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "redirect URL must be an http(s) URL without spaces");
  ASSERT_NULL(r.url);
  s.redirect_url = "ftp://example.com/cb";
  ASSERT_EQ(build_any(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), -1);
  s.redirect_url = "https://example.com/a b";
  ASSERT_EQ(build_any(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), -1);
  return 0;
}

/* shopee.md, "Authorisation and tokens": POST auth/token/get, public sign
 * (vector S4's literal), partner_id in the query and the body, the code in the
 * body only. */
static TEST_IMPL(build_token_exchange) {
  oc_shop s = shop_fixture();
  oc_request r;
  cJSON *b;
  char err[256], v[128];

  s.access_token = NULL;
  s.refresh_token = NULL;
  build_ok(OC_OP_TOKEN_EXCHANGE, &s, NULL, "POST", "/api/v2/auth/token/get",
           "39a59ca303bf398e37f8fb20c9f98f44cf295631b970aa0b671ee398e2b5adb7",
           &r);
  ASSERT_NULL(query_get(r.url, "access_token", v, sizeof v));
  ASSERT_NULL(query_get(r.url, "shop_id", v, sizeof v));
  ASSERT_NULL(strstr(r.url, CODE));
  ASSERT_STR_EQ(r.body, "{\"code\":\"auth_code_value_42\","
                        "\"shop_id\":654321,\"partner_id\":123456}");
  b = body_json(&r);
  ASSERT_STR_EQ(jstr(b, "code"), CODE);
  ASSERT_EQ(jint(b, "shop_id"), 654321);
  ASSERT_EQ(jint(b, "partner_id"), 123456);
  cJSON_Delete(b);
  oc_request_free(&r);

  s.auth_code = "";
  ASSERT_EQ(build_any(OC_OP_TOKEN_EXCHANGE, &s, NULL, NOW_MS, &r, err, sizeof err),
            -1);
  ASSERT_STR_EQ(err, "shop auth_code is not set");
  ASSERT_NULL(r.url);
  return 0;
}

static TEST_IMPL(title_claims_and_plain) {
  oc_listing l = listing_fixture();
  char *t;
  int stars;

  for (stars = 3; stars <= 5; stars++) {
    char want[128];

    l.stars = stars;
    snprintf(want, sizeof want, "Trà xanh Thái Nguyên - OCOP %d sao", stars);
    t = ocu_claim_title(&l, SP_TITLE_MAX_CP);
    ASSERT_STR_EQ(t, want);
    free(t);
  }
  l.stars = 0;
  t = ocu_claim_title(&l, SP_TITLE_MAX_CP);
  ASSERT_STR_EQ(t, "Trà xanh Thái Nguyên");
  free(t);
  t = ocu_claim_description(&l);
  ASSERT_STR_EQ(t, "Trà búp khô, gói 200 g.");
  free(t);
  return 0;
}

static TEST_IMPL(title_trim_vietnamese) {
  oc_listing l = listing_fixture();
  char name[1024] = "", *t;
  int i;

  for (i = 0; i < 20; i++) /* 320 code points, 1- to 3-byte sequences */
    strcat(name, "Đặc sản Tây Bắc ");
  l.name = name;
  l.stars = 5;
  t = ocu_claim_title(&l, SP_TITLE_MAX_CP);
  /* Expected value computed with Python: name[:107].rstrip() + suffix. */
  ASSERT_STR_EQ(t, "Đặc sản Tây Bắc Đặc sản Tây Bắc Đặc sản Tây Bắc Đặc sản Tây "
                   "Bắc Đặc sản Tây Bắc Đặc sản Tây Bắc Đặc sản Tây - OCOP 5 sao");
  ASSERT_EQ(ocu_utf8_count(t), 120);
  ASSERT(ocu_utf8_valid(t, strlen(t)));
  free(t);

  l.stars = 0; /* plain: 120 code points of name, trailing space dropped */
  t = ocu_claim_title(&l, SP_TITLE_MAX_CP);
  ASSERT_STR_EQ(t, "Đặc sản Tây Bắc Đặc sản Tây Bắc Đặc sản Tây Bắc Đặc sản Tây "
                   "Bắc Đặc sản Tây Bắc Đặc sản Tây Bắc Đặc sản Tây Bắc Đặc sản");
  ASSERT_EQ(ocu_utf8_count(t), 119);
  free(t);

  /* Every cut point: the result stays valid UTF-8 within 120 code points. */
  for (i = 100; i < 140; i++) {
    char n2[1024];
    size_t cut = ocu_utf8_prefix(name + 2, (size_t)i); /* after "Đ" */

    n2[0] = 'x';
    memcpy(n2 + 1, name + 2, cut);
    n2[cut + 1] = '\0';
    l.name = n2;
    l.stars = 4;
    t = ocu_claim_title(&l, SP_TITLE_MAX_CP);
    ASSERT(ocu_utf8_valid(t, strlen(t)));
    ASSERT(ocu_utf8_count(t) <= 120);
    ASSERT(strlen(t) > strlen(" - OCOP 4 sao"));
    ASSERT_STR_EQ(t + strlen(t) - strlen(" - OCOP 4 sao"), " - OCOP 4 sao");
    free(t);
  }
  return 0;
}

static TEST_IMPL(title_trim_combining_accent) {
  oc_listing l = listing_fixture();
  char name[256], want[256];
  char *t;

  /* Decomposed text: code point 107 is "e" and 108 its combining acute
   * (U+0301); cutting between them would change the letter, so the "e"
   * goes too. */
  memset(name, 'a', 106);
  strcpy(name + 106, "e\xCC\x81 tail");
  l.name = name;
  l.stars = 3;
  t = ocu_claim_title(&l, SP_TITLE_MAX_CP);
  memset(want, 'a', 106);
  strcpy(want + 106, " - OCOP 3 sao");
  ASSERT_STR_EQ(t, want);
  free(t);
  return 0;
}

/* ---- no secrets where they must not be ------------------------------------------ */

static TEST_IMPL(log_url_has_no_secrets) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  int op;

  for (op = OC_OP_PUBLISH; op < OC_OP_MAX; op++) {
    oc_request r;
    char err[256], want[256];

    if (op == OC_OP_LIST_ORDERS || op == OC_OP_GET_ORDERS) { /* build_orders: see orders_log_url */
      ASSERT_EQ(build_any((oc_op)op, &s, &l, NOW_MS, &r, err, sizeof err), -1);
      ASSERT_NULL(r.url);
      continue;
    }
    if (op == OC_OP_UPLOAD_IMAGE || op == OC_OP_CATEGORY) /* see upload_*, category_* */
      continue;
    if (op == OC_OP_VARIANTS) { /* one variant, no tier: in line, nothing built */
      l.memo = "{\"name\":\"\",\"options\":[]}";
      ASSERT_EQ(build_any((oc_op)op, &s, &l, NOW_MS, &r, err, sizeof err), OC_IN_LINE);
      ASSERT_NULL(r.url);
      continue;
    }
    ASSERT_EQ(build_any((oc_op)op, &s, &l, NOW_MS, &r, err, sizeof err), 0);
    ASSERT_NULL(strstr(r.log_url, TOKEN));
    ASSERT_NULL(strstr(r.log_url, KEY));
    ASSERT_NULL(strstr(r.log_url, "sign"));
    ASSERT_NULL(strchr(r.log_url, '?'));
    snprintf(want, sizeof want, "%s%s", BASE,
             op == OC_OP_LOOKUP_SKU ? "/api/v2/product/get_model_list" : sp_ops[op].path);
    ASSERT_STR_EQ(r.log_url, want);
    ASSERT_NULL(strstr(r.url, KEY)); /* the key signs, never travels */
    ASSERT(r.body == NULL || strstr(r.body, KEY) == NULL);
    oc_request_free(&r);
  }
  return 0;
}

/* Bad input: -1, a message, an empty request, and no credential anywhere. */
static TEST_IMPL(bad_input_errors_hold_no_secrets) {
  static const struct {
    oc_op op;
    int field;
    const char *want;
  } cases[] = {
      {OC_OP_PUBLISH, 1, "listing sku is empty"},
      {OC_OP_PUBLISH, 2, "listing price must be >= 0 dong"},
      {OC_OP_PUBLISH, 3, "listing stock must be >= 0"},
      {OC_OP_UPDATE, 4, "listing item_id is missing (not published yet)"},
      {OC_OP_SET_STOCK, 5, "listing item_id is not a numeric Shopee item id"},
      {OC_OP_GET_LISTING, 6, "listing item_id is not a numeric Shopee item id"},
      {OC_OP_UPDATE, 7, "listing stars must be 0 (no claim) or 3..5"},
      {OC_OP_PUBLISH, 8, "listing certificate_no is empty"},
      {OC_OP_UPDATE, 9, "listing name is not valid UTF-8"},
      {OC_OP_UPDATE, 10,
       "listing name or description already mentions OCOP; the connector adds "
       "the claim itself"},
      {OC_OP_SET_PRICE, 11, "shop access_token is not set"},
      {OC_OP_SET_PRICE, 12, "shop app_secret (partner key) is not set"},
      {OC_OP_SET_PRICE, 13, "shop app_key (Shopee partner_id) must be a numeric id"},
      {OC_OP_SET_PRICE, 14, "shop shop_id must be a numeric id"},
      {OC_OP_SET_PRICE, 15,
       "shop base_url must be http(s)://host[:port] without a trailing slash"},
      {OC_OP_REFRESH_TOKEN, 16, "shop refresh_token is not set"},
      {OC_OP_DELIST, 17, "listing is missing"},
      {OC_OP_MAX, 0, "operation ? is not supported by shopee"},
      {(oc_op)0, 0, "operation ? is not supported by shopee"},
      {OC_OP_LOOKUP_SKU, 18, "listing sku is not valid UTF-8"},
      {OC_OP_UPDATE, 19, "listing description is empty"},
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    oc_shop s = shop_fixture();
    oc_listing l = listing_fixture(), *lp = &l;
    oc_request r;
    char err[256];

    switch (cases[i].field) {
    case 1: l.sku = ""; break;
    case 2: V0(l).price_vnd = -1; break;
    case 3: V0(l).stock = -1; break;
    case 4: l.item_id = NULL; break;
    case 5: l.item_id = TOKEN; break; /* a secret where an id belongs */
    case 6: l.item_id = "123 OR 1=1"; break;
    case 7: l.stars = 2; break;
    case 8: l.certificate_no = ""; break;
    case 9: l.name = "Tr\xE0 xanh"; break; /* Latin-1, not UTF-8 */
    case 10: l.name = "Trà xanh OCOP"; break;
    case 11: s.access_token = ""; break;
    case 12: s.app_secret = NULL; break;
    case 13: s.app_key = KEY; break;
    case 14: s.shop_id = "65 4321"; break;
    case 15: s.base_url = BASE "/"; break;
    case 16: s.refresh_token = NULL; break;
    case 17: lp = NULL; break;
    case 18: l.sku = "\xFF"; break;
    case 19: l.description = ""; break;
    default: break;
    }
    memset(&r, 0x5a, sizeof r); /* build must clear it */
    ASSERT_EQ(build_any(cases[i].op, &s, lp, NOW_MS, &r, err, sizeof err), -1);
    ASSERT_STR_EQ(err, cases[i].want);
    ASSERT_NULL(strstr(err, KEY));
    ASSERT_NULL(strstr(err, TOKEN));
    ASSERT_NULL(strstr(err, REFRESH));
    ASSERT_NULL(r.url);
    ASSERT_NULL(r.log_url);
    ASSERT_NULL(r.body);
    ASSERT_EQ(r.nheaders, 0);
  }
  return 0;
}

/* ---- parse: success ------------------------------------------------------------- */

static TEST_IMPL(parse_publish_ok) {
  oc_listing_result res;

  parse(OC_OP_PUBLISH, 200,
        "{\"error\":\"\",\"message\":\"\",\"warning\":\"\",\"request_id\":"
        "\"a1b2c3\",\"response\":{\"item_id\":800123456,\"item_name\":\"x\"}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "800123456");
  ASSERT_STR_EQ(res.v.request_id, "a1b2c3");
  ASSERT_STR_EQ(res.v.error, "");
  return 0;
}

static TEST_IMPL(parse_item_id_range) {
  oc_listing_result res;

  parse(OC_OP_PUBLISH, 200,
        "{\"error\":\"\",\"response\":{\"item_id\":9007199254740991}}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "9007199254740991");
  parse(OC_OP_PUBLISH, 200,
        "{\"error\":\"\",\"response\":{\"item_id\":9007199254740993}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "unexpected response: field response.item_id is above "
                           "2^53 and cannot be read exactly");
  ASSERT_STR_EQ(res.item_id, "");
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"error\":\"\",\"response\":{\"item_id_list\":[18014398509481984]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.item_id, "");
  return 0;
}

static TEST_IMPL(parse_lookup_sku) {
  oc_listing_result res;

  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"error\":\"\",\"message\":\"\",\"request_id\":\"r\",\"response\":"
        "{\"item_id_list\":[653211,564331],\"next_offset\":\"x\","
        "\"total_count\":2}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "653211");
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"error\":\"\",\"response\":{\"item_id_list\":[],\"total_count\":0}}",
        &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  parse(OC_OP_LOOKUP_SKU, 200, "{\"error\":\"\",\"response\":{\"total_count\":0}}",
        &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"error\":\"\",\"response\":{\"item_id_list\":\"653211\"}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error,
                "unexpected response: field response.item_id_list is not an array");
  return 0;
}

#define ITEM(status, price, stock)                                              \
  "{\"error\":\"\",\"message\":\"\",\"request_id\":\"q\",\"response\":"        \
  "{\"item_list\":[{\"item_id\":2300069665,\"item_status\":\"" status "\","    \
  "\"item_sku\":\"HN-TRA-001\",\"has_model\":false,\"price_info\":"          \
  "[{\"currency\":\"VND\",\"original_price\":" price ",\"current_price\":1}]," \
  "\"stock_info_v2\":{\"summary_info\":{\"total_reserved_stock\":3,"           \
  "\"total_available_stock\":" stock "}}}]}}"

static TEST_IMPL(parse_get_listing) {
  oc_listing_result res;

  parse(OC_OP_GET_LISTING, 200, ITEM("NORMAL", "75000.0", "25"), &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 1);
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].sku, "HN-TRA-001");
  ASSERT_STR_EQ(res.variants[0].remote_id, "0");
  ASSERT_EQ(res.variants[0].price_vnd, 75000);
  ASSERT_EQ(res.variants[0].stock, 25);
  ASSERT_STR_EQ(res.item_id, "2300069665");
  ASSERT_STR_EQ(res.v.request_id, "q");

  parse(OC_OP_GET_LISTING, 200, ITEM("UNLIST", "149999.5", "0"), &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_EQ(res.variants[0].price_vnd, 150000);
  ASSERT_EQ(res.variants[0].stock, 0);
  ASSERT_STR_EQ(res.v.error, "");

  parse(OC_OP_GET_LISTING, 200, ITEM("BANNED", "1", "2"), &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_STR_EQ(res.v.error, "item_status BANNED");

  parse(OC_OP_GET_LISTING, 200, ITEM("SELLER_DELETE", "1", "2"), &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);

  parse(OC_OP_GET_LISTING, 200,
        "{\"error\":\"\",\"response\":{\"item_list\":[{\"item_id\":1,"
        "\"item_status\":\"NORMAL\"}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND); /* another item only */
  parse(OC_OP_GET_LISTING, 200, "{\"error\":\"\",\"response\":{\"item_list\":[]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  parse(OC_OP_GET_LISTING, 200,
        "{\"error\":\"\",\"warning\":\"item not found\",\"response\":{}}", &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);

  parse(OC_OP_GET_LISTING, 200,
        "{\"error\":\"\",\"response\":{\"item_list\":[{\"item_id\":2300069665,"
        "\"item_status\":\"NORMAL\",\"has_model\":true,\"stock_info_v2\":{}}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  return 0;
}

static TEST_IMPL(parse_refresh_token) {
  oc_token_result res;

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"access_token\":\"new_access_0123\",\"refresh_token\":"
        "\"new_refresh_4567\",\"expire_in\":14400,\"request_id\":\"rq\","
        "\"error\":\"\",\"message\":\"\",\"partner_id\":123456,"
        "\"shop_id\":654321}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.access_token, "new_access_0123");
  ASSERT_STR_EQ(res.refresh_token, "new_refresh_4567");
  ASSERT_EQ(res.access_expires_at, 14400); /* seconds; the core adds now */
  ASSERT_EQ(res.refresh_expires_at, 0);
  ASSERT_STR_EQ(res.v.request_id, "rq");

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"error\":\"error_param\",\"message\":\"refresh token invalid\"}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.access_token, "");
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"error\":\"\",\"access_token\":\"a_long_token\",\"expire_in\":1}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "unexpected response: field refresh_token is missing");
  return 0;
}

/* The exchange answers like the refresh; a used or unknown code is
 * invalid_code (OC_AUTH), and the code never appears in the error. */
static TEST_IMPL(parse_token_exchange) {
  oc_token_result res;

  parse(OC_OP_TOKEN_EXCHANGE, 200,
        "{\"access_token\":\"first_access_0123\",\"refresh_token\":"
        "\"first_refresh_4567\",\"expire_in\":14400,\"request_id\":\"rq2\","
        "\"error\":\"\",\"message\":\"\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.access_token, "first_access_0123");
  ASSERT_STR_EQ(res.refresh_token, "first_refresh_4567");
  ASSERT_EQ(res.access_expires_at, 14400);
  ASSERT_EQ(res.refresh_expires_at, 0);
  ASSERT_EQ(oc_expiry_to_unix(res.access_expires_at, 1710000000), 1710014400);

  parse(OC_OP_TOKEN_EXCHANGE, 403,
        "{\"error\":\"invalid_code\",\"message\":\"Invalid code "
        "auth_code_value_42.\",\"request_id\":\"rq3\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  ASSERT_STR_EQ(res.access_token, "");
  ASSERT_STR_EQ(res.v.error, "invalid_code: Invalid code ***.");
  return 0;
}

static TEST_IMPL(parse_batch_ok_and_empty_response) {
  oc_listing_result res;

  parse(OC_OP_SET_STOCK, 200,
        "{\"error\":\"\",\"message\":\"\",\"request_id\":\"s\",\"response\":"
        "{\"failure_list\":[],\"success_list\":[{\"model_id\":0,"
        "\"stock\":25}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  parse(OC_OP_UPDATE, 200, "{\"error\":\"\",\"message\":\"\",\"request_id\":\"u\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  /* Neither error nor response: not an answer. */
  parse(OC_OP_UPDATE, 200, "{\"request_id\":\"u\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "unexpected response: field response is missing");
  return 0;
}

/* ---- parse: errors ------------------------------------------------------------ */

static TEST_IMPL(parse_error_classes) {
  static const struct {
    const char *code;
    oc_status status;
    long retry_after_ms;
  } cases[] = {
      {"error_rate_limit", OC_RETRY, 1000},
      {"error_limit", OC_RETRY, 3600000},
      {"error_system_busy", OC_RETRY, 0},
      {"error_inner", OC_RETRY, 0},
      {"error_server", OC_RETRY, 0},
      {"error_network", OC_RETRY, 0},
      {"invalid_acceess_token", OC_AUTH, 0},
      {"invalid_access_token", OC_AUTH, 0},
      {"error_auth", OC_AUTH, 0},
      {"refresh_token_expired", OC_AUTH, 0},
      {"error_shop_refresh_token", OC_AUTH, 0},
      {"shop_access_expired", OC_AUTH, 0},
      {"shop_no_linked", OC_AUTH, 0},
      {"partner_shop_no_link", OC_AUTH, 0},
      {"invalid_code", OC_AUTH, 0},
      {"error_item_not_found", OC_NOT_FOUND, 0},
      {"product.error_item_not_found", OC_NOT_FOUND, 0},
      {"product.error_param", OC_REJECTED, 0},
      {"error_sign", OC_REJECTED, 0},
      {"error_param", OC_REJECTED, 0},
      {"error_cannt_edit_price_in_promotion", OC_REJECTED, 0},
      {"error_in_item_promotion_item_price_lock", OC_REJECTED, 0},
      {"shop_banned", OC_REJECTED, 0},
      {"error_limit_x", OC_REJECTED, 0}, /* exact codes only */
      {"xerror_rate_limit", OC_REJECTED, 0},
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char body[256], want[256];
    oc_listing_result res;

    snprintf(body, sizeof body,
             "{\"error\":\"%s\",\"message\":\"Something: détail\","
             "\"request_id\":\"rid-%zu\"}",
             cases[i].code, i);
    parse(OC_OP_SET_PRICE, 200, body, &res);
    if (res.v.status != cases[i].status)
      fprintf(stderr, "code %s\n", cases[i].code);
    ASSERT_EQ(res.v.status, cases[i].status);
    ASSERT_EQ(res.v.retry_after_ms, cases[i].retry_after_ms);
    snprintf(want, sizeof want, "%s: Something: détail", cases[i].code);
    ASSERT_STR_EQ(res.v.error, want);
    snprintf(want, sizeof want, "rid-%zu", i);
    ASSERT_STR_EQ(res.v.request_id, want);
  }
  return 0;
}

static TEST_IMPL(parse_failure_list) {
  oc_listing_result res;

  parse(OC_OP_DELIST, 200,
        "{\"error\":\"\",\"message\":\"\",\"request_id\":\"f\",\"response\":"
        "{\"failure_list\":[{\"item_id\":2300069665,\"failed_reason\":"
        "\"Can't unlist item when item is under promotion\"}],"
        "\"success_list\":[]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error,
                "failure_list: Can't unlist item when item is under promotion");
  ASSERT_STR_EQ(res.v.request_id, "f");
  /* A failure for another item is not ours. */
  parse(OC_OP_RELIST, 200,
        "{\"error\":\"\",\"response\":{\"failure_list\":[{\"item_id\":42,"
        "\"failed_reason\":\"nope\"}],\"success_list\":[{\"item_id\":"
        "2300069665,\"unlist\":false}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  /* update_stock lists models of our one item. */
  parse(OC_OP_SET_STOCK, 200,
        "{\"error\":\"\",\"response\":{\"failure_list\":[{\"model_id\":0,"
        "\"failed_reason\":\"stock must be >= reserved stock\"}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "failure_list: stock must be >= reserved stock");
  parse(OC_OP_SET_PRICE, 200,
        "{\"error\":\"\",\"response\":{\"failure_list\":[{\"model_id\":0}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "failure_list: (no reason given)");
  return 0;
}

static TEST_IMPL(parse_malformed_truncated) {
  oc_listing_result res;

  parse(OC_OP_SET_STOCK, 200, "{\"error\":\"\",\"response\":{\"failure_list\":[",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "malformed response: malformed JSON at byte "));
  parse(OC_OP_PUBLISH, 200, "<html>502 Bad Gateway</html>", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "malformed response: malformed JSON at byte 0");
  parse(OC_OP_PUBLISH, 200, "[1,2]", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "malformed response: not a JSON object");
  parse(OC_OP_PUBLISH, 200, "", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "malformed response: empty body");
  parse(OC_OP_PUBLISH, 200, NULL, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  return 0;
}

/* The marketplace's error text is not UTF-8: the whole answer is
 * malformed, never half-read into an error the database would refuse
 * (found by tests/fuzz/fuzz_shopee.c). */
static TEST_IMPL(parse_body_not_utf8) {
  oc_listing_result res;

  parse(OC_OP_SET_STOCK, 200, "{\"error\":\"error_invalid_attr\x86ibute\",\"message\":\"x\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "malformed response: body is not UTF-8 at byte 28");
  return 0;
}

static TEST_IMPL(parse_oversized) {
  size_t n = OC_MAX_RESPONSE + 1;
  char *body = malloc(n);
  oc_shop s = shop_fixture();
  oc_listing_result res;

  ASSERT_NOT_NULL(body);
  memset(body, ' ', n);
  memcpy(body, "{\"error\":\"\"}", 12); /* valid JSON, too long */
  conn()->parse_listing(OC_OP_SET_STOCK, &s, NULL, 200, body, n, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error,
                "malformed response: body of 1048577 bytes exceeds the "
                "1048576-byte limit");
  conn()->parse_listing(OC_OP_SET_STOCK, &s, NULL, 200, body, n - 1, &res);
  ASSERT_EQ(res.v.status, OC_OK); /* exactly at the limit is fine */
  free(body);
  return 0;
}

static TEST_IMPL(parse_deep_nesting) {
  char *body = malloc(2100);
  oc_shop s = shop_fixture();
  oc_listing_result res;
  size_t n = 0;
  int i;

  ASSERT_NOT_NULL(body);
  n += (size_t)sprintf(body, "{\"error\":\"\",\"response\":");
  for (i = 0; i < 1000; i++)
    body[n++] = '[';
  for (i = 0; i < 1000; i++)
    body[n++] = ']';
  body[n++] = '}';
  conn()->parse_listing(OC_OP_PUBLISH, &s, NULL, 200, body, n, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  /* "{" is level 1 and the 23-byte prefix ends at byte 22: level 33 is the
   * 32nd "[", at byte 23 + 31. */
  ASSERT_STR_EQ(res.v.error,
                "malformed response: JSON nested deeper than 32 levels at byte 54");
  free(body);
  return 0;
}

static TEST_IMPL(parse_wrong_types) {
  oc_listing_result res;
  oc_token_result tok;

  parse(OC_OP_PUBLISH, 200, "{\"error\":\"\",\"response\":{\"item_id\":\"800\"}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error,
                "unexpected response: field response.item_id is not a number");
  parse(OC_OP_PUBLISH, 200, "{\"error\":0,\"response\":{\"item_id\":800}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "unexpected response: field error is not a string");
  parse(OC_OP_PUBLISH, 200, "{\"error\":\"\",\"response\":[1]}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "unexpected response: field response is not an object");
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"error\":\"\",\"access_token\":12345678,\"refresh_token\":\"r\","
        "\"expire_in\":14400}",
        &tok);
  ASSERT_EQ(tok.v.status, OC_RETRY);
  ASSERT_STR_EQ(tok.v.error, "unexpected response: field access_token is not a string");
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"error\":\"\",\"access_token\":\"a\",\"refresh_token\":\"r\","
        "\"expire_in\":\"14400\"}",
        &tok);
  ASSERT_EQ(tok.v.status, OC_RETRY);
  ASSERT_STR_EQ(tok.v.error, "unexpected response: field expire_in is not a number");
  parse(OC_OP_GET_LISTING, 200, ITEM("NORMAL", "\"75000\"", "25"), &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "unexpected response: field "
                           "price_info[0].original_price is not a number");
  parse(OC_OP_GET_LISTING, 200, ITEM("NORMAL", "75000", "2.5"), &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error,
                "unexpected response: field "
                "stock_info_v2.summary_info.total_available_stock is not an "
                "integer in range");
  parse(OC_OP_GET_LISTING, 200,
        "{\"error\":\"\",\"response\":{\"item_list\":[{\"item_id\":2300069665,"
        "\"item_status\":1}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "unexpected response: field item_status is not a string");
  ASSERT_EQ(res.active, 0);
  return 0;
}

static TEST_IMPL(parse_http_status) {
  oc_listing_result res;

  parse(OC_OP_SET_STOCK, 0, NULL, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "no response");
  parse(OC_OP_SET_STOCK, 429, "", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_EQ(res.v.retry_after_ms, 1000);
  ASSERT_STR_EQ(res.v.error, "HTTP 429");
  parse(OC_OP_SET_STOCK, 429,
        "{\"error\":\"error_rate_limit\",\"message\":\"too many\","
        "\"request_id\":\"z\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_EQ(res.v.retry_after_ms, 1000);
  ASSERT_STR_EQ(res.v.error, "HTTP 429: error_rate_limit: too many");
  ASSERT_STR_EQ(res.v.request_id, "z");
  parse(OC_OP_SET_STOCK, 429, "{\"error\":\"\",\"message\":\"\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_EQ(res.v.retry_after_ms, 1000);
  ASSERT_STR_EQ(res.v.error, "HTTP 429");
  parse(OC_OP_SET_STOCK, 429, "{\"error\":\"error_limit\",\"message\":\"q\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_EQ(res.v.retry_after_ms, 3600000); /* the longer wait wins */
  ASSERT_STR_EQ(res.v.error, "HTTP 429: error_limit: q");
  parse(OC_OP_SET_STOCK, 200, "{\"error\":\"error_sign\"}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "error_sign"); /* no message: no dangling colon */
  parse(OC_OP_SET_STOCK, 503, "<html>Service Unavailable</html>", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_EQ(res.v.retry_after_ms, 0);
  ASSERT_STR_EQ(res.v.error, "HTTP 503");
  parse(OC_OP_SET_STOCK, 500, "{\"error\":\"error_param\",\"message\":\"m\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY); /* 5xx is transient whatever the body */
  parse(OC_OP_SET_STOCK, 403,
        "{\"error\":\"error_auth\",\"message\":\"Invalid access_token.\"}", &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  ASSERT_STR_EQ(res.v.error, "error_auth: Invalid access_token.");
  parse(OC_OP_GET_LISTING, 404, "not found", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "HTTP 404");
  parse(OC_OP_GET_LISTING, 400, "{\"error\":\"\",\"message\":\"\"}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "HTTP 400");
  return 0;
}

/* An echoed credential never reaches result.error; long text is cut on a
 * UTF-8 boundary. */
static TEST_IMPL(parse_error_text_scrubbed_and_truncated) {
  char body[2048], *p;
  oc_listing_result res;
  int i;

  parse(OC_OP_SET_STOCK, 200,
        "{\"error\":\"error_param\",\"message\":\"bad access_token token_value "
        "for key test_partner_key, refresh refresh_value_xyz\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "error_param: bad access_token *** for key ***, "
                           "refresh ***");
  strcpy(body, "{\"error\":\"error_param\",\"message\":\"");
  p = body + strlen(body);
  for (i = 0; i < 300; i++, p += 3)
    memcpy(p, "ệ", 3); /* 3 bytes each */
  strcpy(p, "\"}");
  parse(OC_OP_SET_STOCK, 200, body, &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT(strlen(res.v.error) < sizeof res.v.error);
  ASSERT(strlen(res.v.error) > 240);
  ASSERT(ocu_utf8_valid(res.v.error, strlen(res.v.error)));
  ASSERT(starts_with(res.v.error, "error_param: ệệ"));
  return 0;
}

/* parse() must clear a result that held an earlier answer. */
static TEST_IMPL(parse_resets_result) {
  oc_listing_result res;
  oc_token_result tok;

  memset(&res, 0x7f, sizeof res);
  parse(OC_OP_SET_STOCK, 200, "{\"error\":\"\",\"response\":{}}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.v.retry_after_ms, 0);
  ASSERT_STR_EQ(res.v.error, "");
  ASSERT_STR_EQ(res.v.request_id, "");
  ASSERT_STR_EQ(res.item_id, "");
  /* The token fields live in the token result now: cleared the same way. */
  memset(&tok, 0x7f, sizeof tok);
  parse(OC_OP_REFRESH_TOKEN, 200, "{\"error\":\"error_auth\"}", &tok);
  ASSERT_EQ(tok.v.status, OC_AUTH);
  ASSERT_STR_EQ(tok.v.request_id, "");
  ASSERT_STR_EQ(tok.access_token, "");
  ASSERT_STR_EQ(tok.refresh_token, "");
  return 0;
}

/* ---- orders: the structs of connector.h ----------------- */

#include <openssl/hmac.h>

#define LIST_PATH "/api/v2/order/get_order_list"
#define DETAIL_PATH "/api/v2/order/get_order_detail"
#define PUSH_URL "https://ocop.example.vn/push/shopee?shop=7"

/* HMAC-SHA256 as lowercase hex, straight from OpenSSL: independent of
 * ocu_hmac_sha256_hex and of the connector's base strings. */
static void test_hmac(const char *key, const void *msg, size_t len, char out[65]) {
  unsigned char mac[EVP_MAX_MD_SIZE];
  unsigned int n = 0, i;

  ASSERT_NOT_NULL(HMAC(EVP_sha256(), key, (int)strlen(key), msg, len, mac, &n));
  ASSERT_EQ(n, 32);
  for (i = 0; i < n; i++)
    snprintf(out + 2 * i, 3, "%02x", mac[i]);
}

static oc_order_query window_query(const char *page) {
  oc_order_query q;

  memset(&q, 0, sizeof q);
  q.from_s = 1709000000;
  q.to_s = 1710000000;
  q.page = page;
  return q;
}

/* Orders are structs now; conn_test.c checks them and renders them as the
 * order document these assertions read. */
static void parse_orders(oc_op op, const oc_order_query *q, long status,
                         const char *body, ct_orders *res) {
  oc_shop s = shop_fixture();

  ct_parse_orders(conn(), op, &s, q, status, body, body ? strlen(body) : 0, res);
}

/* res->orders parsed back; the caller deletes it and frees res->orders. */
static cJSON *orders_json(ct_orders *res) {
  cJSON *doc;

  if (res->v.status != OC_OK)
    fprintf(stderr, "status %d: %s\n", (int)res->v.status, res->v.error);
  ASSERT_EQ(res->v.status, OC_OK);
  ASSERT_NOT_NULL(res->orders);
  doc = cJSON_Parse(res->orders);
  ASSERT_NOT_NULL(doc);
  return doc;
}

static const cJSON *jget(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

  ASSERT_NOT_NULL(it);
  return it;
}

static TEST_IMPL(orders_entry_point) {
  const oc_connector *c = conn();

  ASSERT_EQ(c->order_window_s, 15 * 86400);
  ASSERT_NOT_NULL(c->build_orders);
  ASSERT_NOT_NULL(c->parse_order_page);
  ASSERT_NOT_NULL(c->parse_order_batch);
  ASSERT_NOT_NULL(c->verify_push);
  ASSERT(c->caps & OC_CAP(OC_OP_LIST_ORDERS));
  ASSERT(c->caps & OC_CAP(OC_OP_GET_ORDERS));
  return 0;
}

static TEST_IMPL(build_list_orders) {
  oc_shop s = shop_fixture();
  oc_order_query q = window_query("");
  oc_request r;
  char err[256], sign[65], want[512];
  static const char base[] = "123456" LIST_PATH "1710000000" TOKEN "654321";

  test_hmac(KEY, base, strlen(base), sign);
  /* the same as vector S2 (shopee.md, "Signing") */
  ASSERT_STR_EQ(sign,
                "174af5342b881750dad12a896dffa27da126f1e58a9eb99b12e59a06c288735c");
  ASSERT_EQ(conn()->build_orders(OC_OP_LIST_ORDERS, &s, &q, NOW_MS, &r, err,
                                 sizeof err),
            0);
  ASSERT_STR_EQ(err, "");
  ASSERT_STR_EQ(r.method, "GET");
  snprintf(want, sizeof want,
           BASE LIST_PATH "?partner_id=123456&timestamp=1710000000"
                          "&access_token=" TOKEN "&shop_id=654321&sign=%s"
                          "&time_range_field=update_time&time_from=1709000000"
                          "&time_to=1710000000&page_size=100&cursor="
                          "&response_optional_fields=order_status",
           sign);
  ASSERT_STR_EQ(r.url, want);
  ASSERT_STR_EQ(r.log_url, BASE LIST_PATH);
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 0);
  oc_request_free(&r);

  /* The next page: the cursor comes back percent-encoded, nothing else
   * changes; a NULL page is the first page. */
  q.page = "c1+/=x";
  ASSERT_EQ(conn()->build_orders(OC_OP_LIST_ORDERS, &s, &q, NOW_MS, &r, err,
                                 sizeof err),
            0);
  ASSERT(strstr(r.url, "&page_size=100&cursor=c1%2B%2F%3Dx&response_optional") !=
         NULL);
  oc_request_free(&r);
  q.page = NULL;
  ASSERT_EQ(conn()->build_orders(OC_OP_LIST_ORDERS, &s, &q, NOW_MS, &r, err,
                                 sizeof err),
            0);
  ASSERT(strstr(r.url, "&cursor=&") != NULL);
  oc_request_free(&r);

  /* An empty window (a poller twice in one second) is allowed. */
  q.from_s = q.to_s;
  ASSERT_EQ(conn()->build_orders(OC_OP_LIST_ORDERS, &s, &q, NOW_MS, &r, err,
                                 sizeof err),
            0);
  ASSERT(strstr(r.url, "&time_from=1710000000&time_to=1710000000&") != NULL);
  oc_request_free(&r);

  /* Exactly 15 days is allowed. */
  q.from_s = q.to_s - 15 * 86400;
  ASSERT_EQ(conn()->build_orders(OC_OP_LIST_ORDERS, &s, &q, NOW_MS, &r, err,
                                 sizeof err),
            0);
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_get_orders) {
  static const char *const ids[] = {"240315ABCD12", "240316XY_9-z", "77"};
  oc_shop s = shop_fixture();
  oc_order_query q;
  oc_request r;
  char err[256], sign[65], want[512];
  static const char base[] = "123456" DETAIL_PATH "1710000000" TOKEN "654321";

  memset(&q, 0, sizeof q);
  q.ids = ids;
  q.nids = 3;
  test_hmac(KEY, base, strlen(base), sign);
  /* also computed with Python's hmac module */
  ASSERT_STR_EQ(sign,
                "89c81d97928109f661e511add94dc9dd3b241f4e1c1fe8e1c72ddf3b0df5fcaa");
  ASSERT_EQ(conn()->build_orders(OC_OP_GET_ORDERS, &s, &q, NOW_MS, &r, err,
                                 sizeof err),
            0);
  ASSERT_STR_EQ(r.method, "GET");
  snprintf(want, sizeof want,
           BASE DETAIL_PATH "?partner_id=123456&timestamp=1710000000"
                            "&access_token=" TOKEN "&shop_id=654321&sign=%s"
                            "&order_sn_list=240315ABCD12,240316XY_9-z,77"
                            "&response_optional_fields=item_list,buyer_user_id,"
                            "pay_time,cancel_by,cancel_reason,total_amount,"
                            "package_list",
           sign);
  ASSERT_STR_EQ(r.url, want);
  ASSERT_STR_EQ(r.log_url, BASE DETAIL_PATH);
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 0);
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_get_orders_limits) {
  static const char *ids[OC_MAX_ORDER_IDS + 1];
  char id64[65];
  oc_shop s = shop_fixture();
  oc_order_query q;
  oc_request r;
  char err[256];
  size_t i;

  memset(id64, 'A', 64);
  id64[64] = '\0';
  for (i = 0; i <= OC_MAX_ORDER_IDS; i++)
    ids[i] = i == 0 ? id64 : "240315ABCD12";
  memset(&q, 0, sizeof q);
  q.ids = ids;
  q.nids = OC_MAX_ORDER_IDS; /* 50 ids, the first 64 bytes long: fine */
  ASSERT_EQ(conn()->build_orders(OC_OP_GET_ORDERS, &s, &q, NOW_MS, &r, err,
                                 sizeof err),
            0);
  ASSERT(strstr(r.url, id64) != NULL);
  oc_request_free(&r);
  q.nids = OC_MAX_ORDER_IDS + 1;
  ASSERT_EQ(conn()->build_orders(OC_OP_GET_ORDERS, &s, &q, NOW_MS, &r, err,
                                 sizeof err),
            -1);
  ASSERT_STR_EQ(err, "GET_ORDERS takes 1 to 50 order ids, not 51");
  ASSERT_NULL(r.url);
  return 0;
}

/* Bad order queries: -1, a message without the value, an empty request. */
static TEST_IMPL(build_orders_bad_input) {
  static const struct {
    oc_op op;
    int field;
    const char *want;
  } cases[] = {
      {OC_OP_GET_ORDERS, 1, "GET_ORDERS takes 1 to 50 order ids, not 0"},
      {OC_OP_GET_ORDERS, 2, "GET_ORDERS takes 1 to 50 order ids, not 0"},
      {OC_OP_GET_ORDERS, 3, "order id 1 is empty"},
      {OC_OP_GET_ORDERS, 4, "order id 1 is longer than 64 bytes"},
      {OC_OP_GET_ORDERS, 5, "order id 1 holds a character outside [A-Za-z0-9_-]"},
      {OC_OP_GET_ORDERS, 6, "order id 1 holds a character outside [A-Za-z0-9_-]"},
      {OC_OP_GET_ORDERS, 7, "order id 1 holds a character outside [A-Za-z0-9_-]"},
      {OC_OP_GET_ORDERS, 8, "order id 1 is empty"},
      {OC_OP_LIST_ORDERS, 10, "order window must have 0 <= from <= to"},
      {OC_OP_LIST_ORDERS, 11, "order window is longer than 15 days"},
      {OC_OP_LIST_ORDERS, 12, "order window must have 0 <= from <= to"},
      {OC_OP_LIST_ORDERS, 13, "shop access_token is not set"},
      {OC_OP_GET_ORDERS, 14, "shop shop_id must be a numeric id"},
      {OC_OP_LIST_ORDERS, 15, "order query is missing"},
      {OC_OP_PUBLISH, 0, "operation publish is not an order operation"},
      {OC_OP_LIST_ORDERS, 16, "order page cursor is longer than 512 bytes"},
  };
  char longid[80], longcur[600];
  size_t i;

  memset(longid, '7', sizeof longid - 1);
  longid[sizeof longid - 1] = '\0';
  memset(longcur, 'c', sizeof longcur - 1);
  longcur[sizeof longcur - 1] = '\0';
  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    const char *ids[2] = {"240315ABCD12", NULL};
    oc_shop s = shop_fixture();
    oc_order_query q = window_query(""), *qp = &q;
    oc_request r;
    char err[256];

    q.ids = ids;
    q.nids = 2;
    ids[1] = "240316XYZ";
    switch (cases[i].field) {
    case 1: q.nids = 0; break;
    case 2: q.ids = NULL; break;
    case 3: ids[1] = ""; break;
    case 4: ids[1] = longid; break;
    case 5: ids[1] = "2403 16"; break;
    case 6: ids[1] = "a,b"; break;     /* would split the list */
    case 7: ids[1] = TOKEN "&x=1"; break; /* never echoed */
    case 8: ids[1] = NULL; break;
    case 10: q.to_s = q.from_s - 1; break;
    case 11: q.from_s = q.to_s - 15 * 86400 - 1; break;
    case 12: q.from_s = -5; break;
    case 13: s.access_token = NULL; break;
    case 14: s.shop_id = KEY; break;
    case 15: qp = NULL; break;
    case 16: q.page = longcur; break;
    default: break;
    }
    memset(&r, 0x5a, sizeof r); /* build_orders must clear it */
    ASSERT_EQ(conn()->build_orders(cases[i].op, &s, qp, NOW_MS, &r, err,
                                   sizeof err),
              -1);
    ASSERT_STR_EQ(err, cases[i].want);
    ASSERT_NULL(strstr(err, KEY));
    ASSERT_NULL(strstr(err, TOKEN));
    ASSERT_NULL(r.url);
    ASSERT_NULL(r.log_url);
    ASSERT_NULL(r.body);
    ASSERT_EQ(r.nheaders, 0);
  }
  return 0;
}

static TEST_IMPL(orders_log_url) {
  static const char *const ids[] = {"240315ABCD12"};
  oc_shop s = shop_fixture();
  oc_order_query q = window_query("cursor_1");
  oc_request r;
  char err[256];
  int op;

  q.ids = ids;
  q.nids = 1;
  for (op = OC_OP_LIST_ORDERS; op <= OC_OP_GET_ORDERS; op++) {
    ASSERT_EQ(conn()->build_orders((oc_op)op, &s, &q, NOW_MS, &r, err, sizeof err),
              0);
    ASSERT_NULL(strstr(r.log_url, TOKEN));
    ASSERT_NULL(strstr(r.log_url, "sign"));
    ASSERT_NULL(strchr(r.log_url, '?'));
    ASSERT_NULL(strstr(r.url, KEY));
    ASSERT(strstr(r.url, "&access_token=" TOKEN "&") != NULL);
    oc_request_free(&r);
  }
  return 0;
}

static TEST_IMPL(parse_list_orders_pages) {
  oc_order_query q = window_query("");
  ct_orders res;
  cJSON *doc;
  const cJSON *ids;

  parse_orders(OC_OP_LIST_ORDERS, &q, 200,
               "{\"error\":\"\",\"message\":\"\",\"request_id\":\"r-1\","
               "\"response\":{\"more\":true,\"next_cursor\":\"20\","
               "\"order_list\":[{\"order_sn\":\"240315ABCD12\","
               "\"order_status\":\"READY_TO_SHIP\"},"
               "{\"order_sn\":\"240315EFGH34\",\"order_status\":\"UNPAID\"},"
               "{\"order_sn\":2403150001}]}}",
               &res);
  doc = orders_json(&res);
  ASSERT_STR_EQ(res.v.request_id, "r-1");
  ids = jget(doc, "ids");
  ASSERT_EQ(cJSON_GetArraySize(ids), 3);
  ASSERT_STR_EQ(cJSON_GetArrayItem(ids, 0)->valuestring, "240315ABCD12");
  ASSERT_STR_EQ(cJSON_GetArrayItem(ids, 1)->valuestring, "240315EFGH34");
  ASSERT_STR_EQ(cJSON_GetArrayItem(ids, 2)->valuestring, "2403150001");
  ASSERT_STR_EQ(jstr(doc, "next"), "20");
  ASSERT_EQ(jint(doc, "done_at"), 0);
  cJSON_Delete(doc);
  free(res.orders);

  /* The last page: more false, whatever next_cursor holds; an empty page. */
  q.page = "20";
  parse_orders(OC_OP_LIST_ORDERS, &q, 200,
               "{\"error\":\"\",\"response\":{\"more\":false,"
               "\"next_cursor\":\"\",\"order_list\":[]}}",
               &res);
  doc = orders_json(&res);
  ASSERT_EQ(cJSON_GetArraySize(jget(doc, "ids")), 0);
  ASSERT_STR_EQ(jstr(doc, "next"), "");
  ASSERT_EQ(jint(doc, "done_at"), 0);
  cJSON_Delete(doc);
  free(res.orders);

  parse_orders(OC_OP_LIST_ORDERS, &q, 200,
               "{\"response\":{\"more\":false,\"order_list\":"
               "[{\"order_sn\":\"X1\"}]}}",
               &res);
  doc = orders_json(&res);
  ASSERT_STR_EQ(jstr(doc, "next"), "");
  ASSERT_EQ(cJSON_GetArraySize(jget(doc, "ids")), 1);
  cJSON_Delete(doc);
  free(res.orders);
  return 0;
}

/* A body that is not the expected shape as a whole: retried, with a reason. */
static TEST_IMPL(parse_orders_malformed) {
  static const struct {
    oc_op op;
    const char *body;
    const char *why;
  } cases[] = {
      {OC_OP_LIST_ORDERS, "not json", "malformed response"},
      {OC_OP_LIST_ORDERS, "{\"response\":{\"more\":true,\"next_cursor\":\"\","
                          "\"order_list\":[]}}",
       "more is true without a usable next_cursor"},
      {OC_OP_LIST_ORDERS, "{\"response\":{\"more\":true,\"order_list\":[]}}",
       "more is true without a usable next_cursor"},
      {OC_OP_LIST_ORDERS, "{\"error\":\"\",\"message\":\"\"}",
       "field response is missing or not an object"},
      {OC_OP_LIST_ORDERS, "{\"response\":[]}",
       "field response is missing or not an object"},
      {OC_OP_LIST_ORDERS, "{\"response\":{\"more\":false}}",
       "field response.order_list is not an array"},
      {OC_OP_LIST_ORDERS, "{\"response\":{\"more\":\"no\",\"order_list\":[]}}",
       "field response.more is not a boolean"},
      {OC_OP_LIST_ORDERS,
       "{\"response\":{\"more\":false,\"order_list\":[{\"order_sn\":{}}]}}",
       "order_sn"},
      {OC_OP_LIST_ORDERS,
       "{\"response\":{\"more\":false,\"order_list\":[{\"order_sn\":\"a b\"}]}}",
       "order_sn holds a character outside"},
      {OC_OP_LIST_ORDERS,
       "{\"response\":{\"more\":false,\"order_list\":[\"X1\"]}}",
       "order_list[] is not an object"},
      {OC_OP_GET_ORDERS, "[1,2]", "not a JSON object"},
      {OC_OP_GET_ORDERS, "{\"response\":{}}",
       "field response.order_list is not an array"},
      {OC_OP_GET_ORDERS,
       "{\"response\":{\"order_list\":[{\"order_sn\":true,"
       "\"order_status\":\"UNPAID\"}]}}",
       "order_sn"},
      {OC_OP_GET_ORDERS, "{\"response\":{\"order_list\":[{\"order_status\":"
                         "\"UNPAID\"}]}}",
       "order_sn is missing"},
      {OC_OP_GET_ORDERS, "{\"response\":{\"order_list\":[7]}}",
       "order_list[] is not an object"},
  };
  static const char *const ids[] = {"X1"};
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    oc_order_query q = window_query("");
    ct_orders res;

    q.ids = ids;
    q.nids = 1;
    parse_orders(cases[i].op, &q, 200, cases[i].body, &res);
    if (res.v.status != OC_RETRY || strstr(res.v.error, cases[i].why) == NULL)
      fprintf(stderr, "case %zu: %d %s\n", i, (int)res.v.status, res.v.error);
    ASSERT_EQ(res.v.status, OC_RETRY);
    ASSERT(strstr(res.v.error, cases[i].why) != NULL);
    ASSERT_NULL(res.orders);
  }
  return 0;
}

/* Error envelopes and HTTP statuses: the same classes as the listing calls. */
static TEST_IMPL(parse_orders_errors) {
  static const struct {
    long http;
    const char *body;
    oc_status status;
    long retry_after_ms;
    const char *error;
  } cases[] = {
      {200, "{\"error\":\"error_rate_limit\",\"message\":\"slow down\"}", OC_RETRY,
       1000, "error_rate_limit: slow down"},
      {200, "{\"error\":\"error_limit\",\"message\":\"\"}", OC_RETRY, 3600000,
       "error_limit"},
      {200, "{\"error\":\"invalid_acceess_token\",\"message\":\"Invalid token\"}",
       OC_AUTH, 0, "invalid_acceess_token: Invalid token"},
      {403, "{\"error\":\"error_auth\",\"message\":\"no permission\"}", OC_AUTH, 0,
       "error_auth: no permission"},
      {200, "{\"error\":\"shop_access_expired\"}", OC_AUTH, 0,
       "shop_access_expired"},
      {200, "{\"error\":\"order.order_list_invalid_time\",\"message\":\"too long\"}",
       OC_REJECTED, 0, "order.order_list_invalid_time: too long"},
      {200, "{\"error\":\"error_param\",\"message\":\"bad\"}", OC_REJECTED, 0,
       "error_param: bad"},
      {500, "<html>oops</html>", OC_RETRY, 0, "HTTP 500"},
      {503, "{\"error\":\"error_system_busy\"}", OC_RETRY, 0,
       "HTTP 503: error_system_busy"},
      {429, "", OC_RETRY, 1000, "HTTP 429"},
      {404, "", OC_REJECTED, 0, "HTTP 404"},
      {0, NULL, OC_RETRY, 0, "no response"},
  };
  size_t i;
  int op;

  for (op = OC_OP_LIST_ORDERS; op <= OC_OP_GET_ORDERS; op++)
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
      oc_order_query q = window_query("");
      ct_orders res;

      parse_orders((oc_op)op, &q, cases[i].http, cases[i].body, &res);
      if (res.v.status != cases[i].status)
        fprintf(stderr, "case %zu: %s\n", i, res.v.error);
      ASSERT_EQ(res.v.status, cases[i].status);
      ASSERT_EQ(res.v.retry_after_ms, cases[i].retry_after_ms);
      ASSERT_STR_EQ(res.v.error, cases[i].error);
      ASSERT_NULL(res.orders);
    }
  return 0;
}

/* A realistic get_order_detail answer (fields as in the official schema). */
static const char detail_answer[] =
    "{\"error\":\"\",\"message\":\"\",\"request_id\":\"rq-detail\","
    "\"response\":{\"order_list\":["
    /* paid, two models of one item, a discount, one SKU on two lines */
    "{\"order_sn\":\"240315ABCD12\",\"order_status\":\"READY_TO_SHIP\","
    "\"currency\":\"VND\",\"cod\":false,\"total_amount\":254000.0,"
    "\"create_time\":1709990000,\"update_time\":1709999000,"
    "\"pay_time\":1709990100,\"buyer_user_id\":99,\"item_list\":["
    "{\"item_id\":2300069665,\"item_sku\":\"HN-TRA\",\"model_id\":11,"
    "\"model_sku\":\"HN-TRA-001\",\"model_quantity_purchased\":2,"
    "\"model_original_price\":80000.0,\"model_discounted_price\":75000.0},"
    "{\"item_id\":2300069665,\"item_sku\":\"HN-TRA\",\"model_id\":12,"
    "\"model_sku\":\"HN-TRA-002\",\"model_quantity_purchased\":1,"
    "\"model_original_price\":104000.4,\"model_discounted_price\":0},"
    "{\"item_id\":2300069665,\"item_sku\":\"HN-TRA\",\"model_id\":11,"
    "\"model_sku\":\"HN-TRA-001\",\"model_quantity_purchased\":1,"
    "\"model_original_price\":80000.0,\"model_discounted_price\":75000.0}]},"
    /* unpaid, an item without models: item_sku; the amount as text */
    "{\"order_sn\":\"240315EFGH34\",\"order_status\":\"UNPAID\","
    "\"total_amount\":\"45000.50\",\"update_time\":1709999500,\"item_list\":["
    "{\"item_id\":5,\"item_sku\":\"QN-NUOC-MAM\",\"model_id\":0,"
    "\"model_sku\":\"\",\"model_quantity_purchased\":3,"
    "\"model_original_price\":15000,\"model_discounted_price\":15000}]},"
    /* cancelled, no total, no prices */
    "{\"order_sn\":\"240316CANC01\",\"order_status\":\"CANCELLED\","
    "\"update_time\":1709999600,\"cancel_by\":\"buyer\",\"item_list\":["
    "{\"item_sku\":\"QN-NUOC-MAM\",\"model_quantity_purchased\":1}]},"
    "{\"order_sn\":\"240316RET001\",\"order_status\":\"TO_RETURN\","
    "\"total_amount\":15000,\"update_time\":1709999700,\"item_list\":["
    "{\"item_sku\":\"QN-NUOC-MAM\",\"model_id\":0,"
    "\"model_quantity_purchased\":1,\"model_discounted_price\":15000}]}"
    "]}}";

static const cJSON *find_order(const cJSON *doc, const char *id) {
  const cJSON *o;

  cJSON_ArrayForEach(o, jget(doc, "orders")) if (strcmp(jstr(o, "id"), id) == 0)
      return o;
  return NULL;
}

static void check_line(const cJSON *line, const char *sku, int64_t qty,
                       int64_t price) {
  const cJSON *p = jget(line, "unit_price_vnd");

  ASSERT_STR_EQ(jstr(line, "sku"), sku);
  ASSERT_EQ(jint(line, "qty"), qty);
  if (price < 0)
    ASSERT(cJSON_IsNull(p));
  else
    ASSERT_EQ(jint(line, "unit_price_vnd"), price);
}

static TEST_IMPL(parse_get_orders) {
  static const char *const ids[] = {"240315ABCD12", "240315EFGH34",
                                    "240316CANC01", "240316RET001"};
  oc_order_query q;
  ct_orders res;
  const cJSON *o, *lines;
  cJSON *doc;

  memset(&q, 0, sizeof q);
  q.ids = ids;
  q.nids = 4;
  parse_orders(OC_OP_GET_ORDERS, &q, 200, detail_answer, &res);
  doc = orders_json(&res);
  ASSERT_STR_EQ(res.v.request_id, "rq-detail");
  ASSERT_EQ(cJSON_GetArraySize(jget(doc, "orders")), 4);
  ASSERT_EQ(cJSON_GetArraySize(jget(doc, "bad")), 0);

  o = find_order(doc, "240315ABCD12");
  ASSERT_NOT_NULL(o);
  ASSERT_STR_EQ(jstr(o, "status"), "READY_TO_SHIP");
  ASSERT_STR_EQ(jstr(o, "effect"), "sold");
  ASSERT_EQ(jint(o, "update_time"), 1709999000);
  ASSERT_EQ(jint(o, "total_vnd"), 254000);
  lines = jget(o, "lines");
  ASSERT_EQ(cJSON_GetArraySize(lines), 2); /* HN-TRA-001 merged */
  check_line(cJSON_GetArrayItem(lines, 0), "HN-TRA-001", 3, 75000);
  check_line(cJSON_GetArrayItem(lines, 1), "HN-TRA-002", 1, 104000);

  o = find_order(doc, "240315EFGH34");
  ASSERT_STR_EQ(jstr(o, "effect"), "reserved");
  ASSERT_EQ(jint(o, "total_vnd"), 45001); /* "45000.50" rounds half up */
  lines = jget(o, "lines");
  ASSERT_EQ(cJSON_GetArraySize(lines), 1);
  check_line(cJSON_GetArrayItem(lines, 0), "QN-NUOC-MAM", 3, 15000);

  o = find_order(doc, "240316CANC01");
  ASSERT_STR_EQ(jstr(o, "effect"), "cancelled");
  ASSERT(cJSON_IsNull(jget(o, "total_vnd")));
  check_line(cJSON_GetArrayItem(jget(o, "lines"), 0), "QN-NUOC-MAM", 1, -1);

  o = find_order(doc, "240316RET001");
  ASSERT_STR_EQ(jstr(o, "effect"), "returned");
  ASSERT_EQ(jint(o, "total_vnd"), 15000);
  check_line(cJSON_GetArrayItem(jget(o, "lines"), 0), "QN-NUOC-MAM", 1, 15000);
  cJSON_Delete(doc);
  free(res.orders);
  return 0;
}

/* The same answer read as the structs themselves, field by field: what the
 * core stores, with -1 for an amount Shopee did not give. */
static TEST_IMPL(parse_get_orders_structs) {
  static const char *const ids[] = {"240315ABCD12", "240315EFGH34",
                                    "240316CANC01", "240316RET001"};
  oc_shop s = shop_fixture();
  oc_order_query q;
  oc_order_batch b;
  const oc_order *o;

  memset(&q, 0, sizeof q);
  q.ids = ids;
  q.nids = 4;
  conn()->parse_order_batch(&s, &q, 200, detail_answer, strlen(detail_answer), &b);
  ASSERT_EQ(b.v.status, OC_OK);
  ASSERT_STR_EQ(b.v.request_id, "rq-detail");
  ASSERT_EQ(b.norders, 4);
  ASSERT_EQ(b.nbad, 0);
  o = &b.orders[0];
  ASSERT_STR_EQ(o->id, "240315ABCD12");
  ASSERT_STR_EQ(o->status, "READY_TO_SHIP");
  ASSERT_EQ(o->effect, OC_EFFECT_SOLD);
  ASSERT_EQ(o->update_time, 1709999000);
  ASSERT_EQ(o->total_vnd, 254000);
  ASSERT_EQ(o->nlines, 2);
  ASSERT_STR_EQ(o->lines[0].sku, "HN-TRA-001");
  ASSERT_EQ(o->lines[0].qty, 3);
  ASSERT_EQ(o->lines[0].unit_price_vnd, 75000);
  ASSERT_STR_EQ(o->lines[1].sku, "HN-TRA-002");
  ASSERT_EQ(o->lines[1].unit_price_vnd, 104000);
  ASSERT_EQ(b.orders[1].effect, OC_EFFECT_RESERVED);
  ASSERT_EQ(b.orders[1].total_vnd, 45001);
  ASSERT_EQ(b.orders[2].effect, OC_EFFECT_CANCELLED);
  ASSERT_EQ(b.orders[2].total_vnd, -1);
  ASSERT_EQ(b.orders[2].lines[0].unit_price_vnd, -1);
  ASSERT_EQ(b.orders[3].effect, OC_EFFECT_RETURNED);
  oc_order_batch_free(&b);
  ASSERT_NULL(b.orders);
  ASSERT_EQ(b.norders, 0);
  return 0;
}

/* A page as the struct: ids, next, done_at; a refused page holds nothing. */
static TEST_IMPL(parse_list_orders_struct) {
  static const char body[] =
      "{\"error\":\"\",\"response\":{\"more\":true,\"next_cursor\":\"20\","
      "\"order_list\":[{\"order_sn\":\"A1\"},{\"order_sn\":2403150001}]}}";
  static const char bad[] = "{\"response\":{\"more\":false,\"order_list\":[1]}}";
  oc_shop s = shop_fixture();
  oc_order_query q = window_query("");
  oc_order_page p;

  conn()->parse_order_page(&s, &q, 200, body, strlen(body), &p);
  ASSERT_EQ(p.v.status, OC_OK);
  ASSERT_EQ(p.nids, 2);
  ASSERT_STR_EQ(p.ids[0], "A1");
  ASSERT_STR_EQ(p.ids[1], "2403150001");
  ASSERT_STR_EQ(p.next, "20");
  ASSERT_EQ(p.done_at, 0);
  oc_order_page_free(&p);
  conn()->parse_order_page(&s, &q, 200, bad, strlen(bad), &p);
  ASSERT_EQ(p.v.status, OC_RETRY);
  ASSERT_NULL(p.ids);
  ASSERT_EQ(p.nids, 0);
  return 0;
}

/* Every status of shopee.md, "Orders" has its effect; anything else is a bad
 * order. */
static TEST_IMPL(order_status_map) {
  static const struct {
    const char *status;
    oc_effect effect;
  } want[] = {
      {"UNPAID", OC_EFFECT_RESERVED},        {"PENDING", OC_EFFECT_RESERVED},
      {"READY_TO_SHIP", OC_EFFECT_SOLD},     {"PROCESSED", OC_EFFECT_SOLD},
      {"RETRY_SHIP", OC_EFFECT_SOLD},        {"SHIPPED", OC_EFFECT_SOLD},
      {"TO_CONFIRM_RECEIVE", OC_EFFECT_SOLD}, {"COMPLETED", OC_EFFECT_SOLD},
      {"IN_CANCEL", OC_EFFECT_SOLD},         {"INVOICE_PENDING", OC_EFFECT_SOLD},
      {"CANCELLED", OC_EFFECT_CANCELLED},    {"TO_RETURN", OC_EFFECT_RETURNED},
  };
  size_t i;

  for (i = 0; i < sizeof want / sizeof want[0]; i++)
    ASSERT_EQ(ocu_order_effect(sp_order_status, want[i].status), want[i].effect);
  ASSERT_EQ(ocu_order_effect(sp_order_status, "cancelled"), 0);
  ASSERT_EQ(ocu_order_effect(sp_order_status, "LOST"), 0);
  return 0;
}

static const char *bad_reason(const cJSON *doc, const char *id) {
  const cJSON *b;

  cJSON_ArrayForEach(b, jget(doc, "bad")) if (strcmp(jstr(b, "id"), id) == 0)
      return jstr(b, "error");
  return NULL;
}

/* Broken orders go to "bad", named with the field; the good ones stay. */
/* Good orders among broken ones, for parse_get_orders_bad_entries. */
static const char bad_entries_answer[] =
      "{\"error\":\"\",\"response\":{\"order_list\":["
      "{\"order_sn\":\"GOOD1\",\"order_status\":\"COMPLETED\","
      "\"total_amount\":10000,\"update_time\":1709999000,\"item_list\":["
      "{\"item_sku\":\"SKU-A\",\"model_id\":0,\"model_quantity_purchased\":1,"
      "\"model_original_price\":10000,\"model_discounted_price\":0}]},"
      "{\"order_sn\":\"BAD_STATUS\",\"order_status\":\"LOST_IN_SPACE\","
      "\"update_time\":1709999000,\"item_list\":[{\"item_sku\":\"SKU-A\","
      "\"model_quantity_purchased\":1}]},"
      "{\"order_sn\":\"BAD_QTY\",\"order_status\":\"SHIPPED\","
      "\"update_time\":1709999000,\"item_list\":["
      "{\"item_sku\":\"SKU-A\",\"model_quantity_purchased\":1},"
      "{\"item_sku\":\"SKU-B\",\"model_id\":0}]},"
      "{\"order_sn\":\"BAD_QTY0\",\"order_status\":\"SHIPPED\","
      "\"update_time\":1709999000,\"item_list\":["
      "{\"item_sku\":\"SKU-B\",\"model_quantity_purchased\":0}]},"
      "{\"order_sn\":\"BAD_SKU\",\"order_status\":\"SHIPPED\","
      "\"update_time\":1709999000,\"item_list\":["
      "{\"item_sku\":\"SKU-A\",\"model_id\":77,\"model_sku\":\"\","
      "\"model_quantity_purchased\":1}]},"
      "{\"order_sn\":\"BAD_ITEM_SKU\",\"order_status\":\"SHIPPED\","
      "\"update_time\":1709999000,\"item_list\":["
      "{\"model_id\":0,\"model_quantity_purchased\":1}]},"
      "{\"order_sn\":\"BAD_TIME\",\"order_status\":\"SHIPPED\","
      "\"update_time\":\"yesterday\",\"item_list\":["
      "{\"item_sku\":\"SKU-A\",\"model_quantity_purchased\":1}]},"
      "{\"order_sn\":\"NO_ITEMS\",\"order_status\":\"SHIPPED\","
      "\"update_time\":1709999000,\"item_list\":[]},"
      "{\"order_sn\":\"BAD_PRICE\",\"order_status\":\"SHIPPED\","
      "\"update_time\":1709999000,\"item_list\":["
      "{\"item_sku\":\"SKU-A\",\"model_quantity_purchased\":1,"
      "\"model_discounted_price\":\"cheap\"}]},"
      "{\"order_sn\":\"NO_STATUS\",\"update_time\":1709999000,"
      "\"item_list\":[{\"item_sku\":\"SKU-A\",\"model_quantity_purchased\":1}]},"
      "{\"order_sn\":\"GOOD2\",\"order_status\":\"IN_CANCEL\","
      "\"update_time\":1709999100,\"item_list\":["
      "{\"item_sku\":\"SKU-C\",\"model_quantity_purchased\":4,"
      "\"model_original_price\":2500.5}]}"
      "]}}";

static TEST_IMPL(parse_get_orders_bad_entries) {
  static const struct {
    const char *id, *why;
  } bad[] = {
      {"BAD_STATUS", "order BAD_STATUS: unknown order_status \"LOST_IN_SPACE\""},
      {"BAD_QTY", "order BAD_QTY: item_list[].model_quantity_purchased is "
                  "missing or not a positive integer"},
      {"BAD_QTY0", "order BAD_QTY0: item_list[].model_quantity_purchased is "
                   "missing or not a positive integer"},
      {"BAD_SKU", "order BAD_SKU: item_list[].model_sku is missing or empty"},
      {"BAD_ITEM_SKU",
       "order BAD_ITEM_SKU: item_list[].item_sku is missing or empty"},
      {"BAD_TIME", "order BAD_TIME: update_time is missing or not a time"},
      {"NO_ITEMS", "order NO_ITEMS: item_list is missing or empty"},
      {"BAD_PRICE",
       "order BAD_PRICE: item_list[].model_discounted_price is not an amount"},
      {"NO_STATUS", "order NO_STATUS: order_status is missing"},
      {"ASKED_ONLY", "order ASKED_ONLY: not in the answer"},
  };
  static const char *const ids[] = {"GOOD1", "BAD_QTY", "ASKED_ONLY", "GOOD2"};
  oc_order_query q;
  ct_orders res;
  const cJSON *o;
  cJSON *doc;
  size_t i;

  memset(&q, 0, sizeof q);
  q.ids = ids;
  q.nids = 4;
  parse_orders(OC_OP_GET_ORDERS, &q, 200, bad_entries_answer, &res);
  doc = orders_json(&res);
  ASSERT_EQ(cJSON_GetArraySize(jget(doc, "orders")), 2);
  o = find_order(doc, "GOOD1");
  ASSERT_NOT_NULL(o);
  check_line(cJSON_GetArrayItem(jget(o, "lines"), 0), "SKU-A", 1, 10000);
  o = find_order(doc, "GOOD2");
  ASSERT_NOT_NULL(o);
  ASSERT_STR_EQ(jstr(o, "effect"), "sold");
  ASSERT(cJSON_IsNull(jget(o, "total_vnd")));
  check_line(cJSON_GetArrayItem(jget(o, "lines"), 0), "SKU-C", 4, 2501);
  /* The dropped order left nothing behind (its first line was fine). */
  ASSERT_NULL(find_order(doc, "BAD_QTY"));
  ASSERT_EQ(cJSON_GetArraySize(jget(doc, "bad")), (int)(sizeof bad / sizeof bad[0]));
  for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
    ASSERT_STR_EQ(bad_reason(doc, bad[i].id), bad[i].why);
  cJSON_Delete(doc);
  free(res.orders);
  return 0;
}

/* ---- push (shopee.md, "Push") -------------------------------------------- */

static const char push_order[] =
    "{\"code\":3,\"shop_id\":654321,\"timestamp\":1710000100,"
    "\"data\":{\"ordersn\":\"240315ABCD12\",\"status\":\"READY_TO_SHIP\","
    "\"update_time\":1710000099}}";

/* The Authorization a genuine Shopee push carries, computed here. */
static void push_sig(const char *key, const char *url, const char *body,
                     size_t len, char out[65]) {
  char *msg = malloc(strlen(url) + 1 + len + 1);

  ASSERT_NOT_NULL(msg);
  memcpy(msg, url, strlen(url));
  msg[strlen(url)] = '|';
  memcpy(msg + strlen(url) + 1, body, len);
  test_hmac(key, msg, strlen(url) + 1 + len, out);
  free(msg);
}

static int verify(const char *url, const char *auth, const char *body,
                  size_t len, oc_push *out) {
  oc_shop s = shop_fixture();

  memset(out, 0x5a, sizeof *out); /* verify_push must clear it */
  return conn()->verify_push(&s, url, auth, body, len, out);
}

static TEST_IMPL(push_verify_order) {
  char sig[65];
  oc_push p;

  push_sig(KEY, PUSH_URL, push_order, strlen(push_order), sig);
  ASSERT_EQ(verify(PUSH_URL, sig, push_order, strlen(push_order), &p), 0);
  ASSERT_EQ(p.kind, 3);
  ASSERT_EQ(p.timestamp, 1710000100);
  ASSERT_STR_EQ(p.shop_id, "654321");
  ASSERT_STR_EQ(p.order_id, "240315ABCD12");
  ASSERT_STR_EQ(p.error, "");
  return 0;
}

/* The verification message of vector S5 (shopee.md, "Signing"), with its
 * literal sign: no shop_id, no timestamp. Other codes carry no order. */
static TEST_IMPL(push_verify_other_codes) {
  static const char url[] = "https://example.com/shopee/push";
  static const char body[] =
      "{\"code\":0,\"data\":{\"verify_info\":\"This is a Verification "
      "message.Please respond in the certain format.\"}}";
  static const char body2[] =
      "{\"code\":2,\"timestamp\":1710000200,\"data\":{\"shop_id\":654321}}";
  char sig[65];
  oc_push p;

  ASSERT_EQ(verify(url, "9726e164dc16411946e950c1d1018451209393ac6c3f11876ce4404822af1fbd",
                   body, strlen(body), &p),
            0);
  ASSERT_EQ(p.kind, 0);
  ASSERT_EQ(p.timestamp, 0);
  ASSERT_STR_EQ(p.shop_id, "");
  ASSERT_STR_EQ(p.order_id, "");
  push_sig(KEY, PUSH_URL, body2, strlen(body2), sig);
  ASSERT_EQ(verify(PUSH_URL, sig, body2, strlen(body2), &p), 0);
  ASSERT_EQ(p.kind, 2);
  ASSERT_EQ(p.timestamp, 1710000200);
  ASSERT_STR_EQ(p.shop_id, "");
  ASSERT_STR_EQ(p.order_id, "");
  return 0;
}

static void refused(const char *url, const char *auth, const char *body,
                    size_t len, const char *want, const char *expected_sig) {
  oc_push p;

  ASSERT_EQ(verify(url, auth, body, len, &p), -1);
  ASSERT_STR_EQ(p.error, want);
  ASSERT_NULL(strstr(p.error, KEY));
  if (expected_sig != NULL)
    ASSERT_NULL(strstr(p.error, expected_sig));
  ASSERT_EQ(p.kind, 0);
  ASSERT_EQ(p.timestamp, 0);
  ASSERT_STR_EQ(p.shop_id, "");
  ASSERT_STR_EQ(p.order_id, "");
}

static TEST_IMPL(push_verify_refused) {
  size_t len = strlen(push_order);
  char sig[65], other[65], upper[65], spaced[70], *tampered;
  size_t i;

  push_sig(KEY, PUSH_URL, push_order, len, sig);
  push_sig("another_partner_key", PUSH_URL, push_order, len, other);
  refused(PUSH_URL, other, push_order, len, "signature does not match", sig);
  /* one byte of the body changed */
  tampered = strdup(push_order);
  ASSERT_NOT_NULL(tampered);
  tampered[strlen("{\"code\":3,\"shop_id\":65432")] = '2';
  refused(PUSH_URL, sig, tampered, len, "signature does not match", sig);
  free(tampered);
  /* the signature covers the URL too */
  refused(PUSH_URL "&x", sig, push_order, len, "signature does not match", sig);
  refused(PUSH_URL, NULL, push_order, len, "no Authorization header", sig);
  refused(PUSH_URL, "", push_order, len, "signature does not match", sig);
  /* Shopee sends lowercase hex: uppercase, padding or a prefix are refused */
  for (i = 0; i < 65; i++)
    upper[i] = (char)(sig[i] >= 'a' && sig[i] <= 'f' ? sig[i] - 32 : sig[i]);
  ASSERT(strcmp(upper, sig) != 0);
  refused(PUSH_URL, upper, push_order, len, "signature does not match", sig);
  snprintf(spaced, sizeof spaced, " %s", sig);
  refused(PUSH_URL, spaced, push_order, len, "signature does not match", sig);
  refused(PUSH_URL, KEY, push_order, len, "signature does not match", sig);
  refused(NULL, sig, push_order, len, "no callback URL to verify against", sig);
  refused("", sig, push_order, len, "no callback URL to verify against", sig);
  return 0;
}

/* Genuinely signed, yet not the documented shape: refused with a reason. */
static TEST_IMPL(push_verify_signed_malformed) {
  static const struct {
    const char *body, *want;
  } cases[] = {
      {"{\"code\":3,", "signed push body: malformed JSON at byte 9"},
      {"[3]", "push body is not a JSON object"},
      {"{\"shop_id\":1,\"data\":{}}",
       "push field code is missing or not a small integer"},
      {"{\"code\":\"3\",\"data\":{}}",
       "push field code is missing or not a small integer"},
      {"{\"code\":3,\"shop_id\":654321,\"timestamp\":1,\"data\":{}}",
       "order push without a readable data.ordersn"},
      {"{\"code\":3,\"shop_id\":654321,\"data\":{\"ordersn\":\"\"}}",
       "order push without a readable data.ordersn"},
      {"{\"code\":3,\"shop_id\":654321,\"data\":{\"ordersn\":\"a/b\"}}",
       "push field data.ordersn holds a character outside [A-Za-z0-9_-]"},
      {"{\"code\":3,\"data\":{\"ordersn\":\"X1\"}}", "order push without shop_id"},
      {"{\"code\":3,\"shop_id\":{},\"data\":{\"ordersn\":\"X1\"}}",
       "push field shop_id is not an id"},
      {"{\"code\":3,\"shop_id\":1,\"timestamp\":\"now\",\"data\":{}}",
       "push field timestamp is not a time"},
      {"{\"code\":3,\"shop_id\":1,\"data\":\"X1\"}",
       "push field data is not an object"},
      {"{\"code\":0}", "verification push without data"},
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char sig[65];

    push_sig(KEY, PUSH_URL, cases[i].body, strlen(cases[i].body), sig);
    refused(PUSH_URL, sig, cases[i].body, strlen(cases[i].body), cases[i].want,
            sig);
  }
  return 0;
}

/* The secret never leaks into the error, even when the body holds it. */
static TEST_IMPL(push_error_never_holds_secret) {
  char body[256], sig[65];
  oc_shop s = shop_fixture();
  oc_push p;

  snprintf(body, sizeof body, "{\"code\":3,\"shop_id\":\"%s\",\"data\":{}}", KEY);
  push_sig(KEY, PUSH_URL, body, strlen(body), sig);
  ASSERT_EQ(conn()->verify_push(&s, PUSH_URL, sig, body, strlen(body), &p), -1);
  ASSERT_NULL(strstr(p.error, KEY));
  ASSERT_NULL(strstr(p.error, sig));
  snprintf(body, sizeof body, "%s", KEY);
  push_sig(KEY, PUSH_URL, body, strlen(body), sig);
  ASSERT_EQ(conn()->verify_push(&s, PUSH_URL, sig, body, strlen(body), &p), -1);
  ASSERT_NULL(strstr(p.error, KEY));
  ASSERT_EQ(conn()->verify_push(&s, PUSH_URL, KEY, body, strlen(body), &p), -1);
  ASSERT_NULL(strstr(p.error, KEY));
  ASSERT_NULL(strstr(p.error, sig));
  s.app_secret = "";
  ASSERT_EQ(conn()->verify_push(&s, PUSH_URL, sig, body, strlen(body), &p), -1);
  ASSERT_STR_EQ(p.error, "shop app_secret (partner key) is not set");
  return 0;
}

/* ---- variants (see shopee.md, "Variants") --------------------------------- */

#define MEMO_NONE "{\"name\":\"\",\"options\":[]}"
#define MEMO_2 "{\"name\":\"Quy cách\",\"options\":[\"200 g\",\"500 g\"]}"
#define MEMO_3 "{\"name\":\"Quy cách\",\"options\":[\"200 g\",\"500 g\",\"1 kg\"]}"

/* A product with three pack sizes, none on the item yet. */
static oc_listing listing_3(void) {
  oc_listing l = listing_fixture();
  static const struct {
    const char *sku, *label;
    int64_t price, stock;
    int32_t weight;
  } v[3] = {{"MIEN-200", "200 g", 45000, 10, 220},
            {"MIEN-500", "500 g", 99000, 4, 520},
            {"MIEN-1K", "1 kg", 180000, 2, 1020}};
  size_t i;

  l.sku = "HN-MIEN";
  for (i = 0; i < 3; i++) {
    fixture_variants[i].sku = v[i].sku;
    fixture_variants[i].label = v[i].label;
    fixture_variants[i].price_vnd = v[i].price;
    fixture_variants[i].stock = v[i].stock;
    fixture_variants[i].weight_g = v[i].weight;
    fixture_variants[i].remote_id = NULL;
  }
  l.nvariants = 3;
  return l;
}

/* A VARIANTS build that sends `path` with exactly `body`. */
static void variants_ok(const oc_listing *l, const char *path, const char *body) {
  oc_shop s = shop_fixture();
  oc_request r;
  char err[256], want[256];

  ASSERT_EQ(build_any(OC_OP_VARIANTS, &s, l, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.method, "POST");
  snprintf(want, sizeof want, "%s%s", BASE, path);
  ASSERT_STR_EQ(r.log_url, want);
  shop_query_ok(&r);
  ASSERT_STR_EQ(r.body, body);
  ASSERT_EQ(r.nheaders, 1);
  oc_request_free(&r);
}

/* A VARIANTS build refused with `why`. */
static void variants_refused(const oc_listing *l, const char *why) {
  oc_shop s = shop_fixture();
  oc_request r;
  char err[256];

  ASSERT_EQ(build_any(OC_OP_VARIANTS, &s, l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, why);
  ASSERT_NULL(r.url);
  ASSERT_NULL(r.body);
}

static void parse_with(oc_op op, const oc_listing *l, const char *body, oc_listing_result *res) {
  oc_shop s = shop_fixture();

  conn()->parse_listing(op, &s, l, 200, body, strlen(body), res);
}

/* The named variant of res with this SKU, or NULL. */
static const oc_variant_result *named(const oc_listing_result *res, const char *sku) {
  size_t i;

  for (i = 0; i < res->nvariants; i++)
    if (strcmp(res->variants[i].sku, sku) == 0)
      return &res->variants[i];
  return NULL;
}

static TEST_IMPL(variants_publish_multi) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_3();
  oc_listing_result res;
  oc_request r;
  char err[256];

  fixture_variants[1].length_mm = 200;
  fixture_variants[1].width_mm = 101;
  fixture_variants[1].height_mm = 50;
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  /* The product code, the cheapest price, no stock of its own, the first
   * variant's weight: the models come by VARIANTS. */
  ASSERT_NOT_NULL(strstr(r.body, "\"original_price\":45000,\"seller_stock\":[{\"stock\":0}],"
                                 "\"weight\":0.22,\"category_id\":100644,"));
  ASSERT_NOT_NULL(strstr(r.body, "\"item_sku\":\"HN-MIEN\","));
  ASSERT_NULL(strstr(r.body, "model"));
  ASSERT_NULL(strstr(r.body, "dimension"));
  oc_request_free(&r);
  parse_with(OC_OP_PUBLISH, &l, "{\"error\":\"\",\"response\":{\"item_id\":800123}}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "800123");
  ASSERT_EQ(res.nvariants, 0);
  /* The new item has no tier: the first VARIANTS step needs no look-up. */
  ASSERT_STR_EQ(res.memo, MEMO_NONE);

  /* Every live variant needs a weight: its model carries it. */
  fixture_variants[2].weight_g = 0;
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "variant weight unknown (Shopee requires a weight)");
  fixture_variants[2].removed = 1; /* a removed one does not count */
  fixture_variants[2].remote_id = "";
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  oc_request_free(&r);

  /* One live variant left: the item is that variant, with its size. */
  fixture_variants[0].removed = 1;
  fixture_variants[0].remote_id = "";
  ASSERT_EQ(build_any(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_NOT_NULL(strstr(r.body, "\"original_price\":99000,\"seller_stock\":[{\"stock\":4}],"
                                 "\"weight\":0.52,\"dimension\":{\"package_length\":20,"
                                 "\"package_width\":11,\"package_height\":5},"));
  ASSERT_NOT_NULL(strstr(r.body, "\"item_sku\":\"MIEN-500\","));
  oc_request_free(&r);
  parse_with(OC_OP_PUBLISH, &l, "{\"error\":\"\",\"response\":{\"item_id\":800123}}", &res);
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].sku, "MIEN-500");
  ASSERT_STR_EQ(res.variants[0].remote_id, "0");
  ASSERT_STR_EQ(res.memo, "");
  return 0;
}

static TEST_IMPL(variants_init_tier) {
  oc_listing l = listing_3();
  oc_listing_result res;
  const oc_variant_result *v;

  l.memo = MEMO_NONE;
  fixture_variants[0].remote_id = "0"; /* the item was this variant alone */
  fixture_variants[3] = fixture_variants[0];
  fixture_variants[3].sku = "MIEN-OLD";
  fixture_variants[3].label = "cũ";
  fixture_variants[3].removed = 1;
  fixture_variants[3].remote_id = "0";
  fixture_variants[0].remote_id = NULL;
  l.nvariants = 4;
  variants_ok(&l, "/api/v2/product/init_tier_variation",
              "{\"item_id\":2300069665,\"tier_variation\":[{\"name\":\"Quy cách\","
              "\"option_list\":[{\"option\":\"200 g\"},{\"option\":\"500 g\"},"
              "{\"option\":\"1 kg\"}]}],\"model\":["
              "{\"tier_index\":[0],\"original_price\":45000,\"model_sku\":\"MIEN-200\","
              "\"seller_stock\":[{\"stock\":10}],\"weight\":0.22},"
              "{\"tier_index\":[1],\"original_price\":99000,\"model_sku\":\"MIEN-500\","
              "\"seller_stock\":[{\"stock\":4}],\"weight\":0.52},"
              "{\"tier_index\":[2],\"original_price\":180000,\"model_sku\":\"MIEN-1K\","
              "\"seller_stock\":[{\"stock\":2}],\"weight\":1.02}]}");
  parse_with(OC_OP_VARIANTS, &l,
             "{\"error\":\"\",\"message\":\"\",\"request_id\":\"i\",\"response\":{"
             "\"item_id\":2300069665,\"model\":["
             "{\"tier_index\":[0],\"model_id\":9001,\"model_sku\":\"MIEN-200\"},"
             "{\"tier_index\":[1],\"model_id\":9002,\"model_sku\":\"MIEN-500\"},"
             "{\"tier_index\":[2],\"model_id\":9003,\"model_sku\":\"MIEN-1K\"}]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.nvariants, 4);
  ASSERT_STR_EQ(named(&res, "MIEN-1K")->remote_id, "9003");
  ASSERT_EQ(named(&res, "MIEN-1K")->gone, 0);
  ASSERT_NOT_NULL(v = named(&res, "MIEN-OLD")); /* "0" is no more */
  ASSERT_EQ(v->gone, 1);
  ASSERT_STR_EQ(res.memo, MEMO_3);

  /* The shop names the tier. */
  {
    static const oc_kv o[] = {{"variation_name", "Khối lượng"}};
    oc_shop s = shop_fixture();
    oc_request r;
    char err[256];

    s.opts = o;
    s.nopts = 1;
    ASSERT_EQ(build_any(OC_OP_VARIANTS, &s, &l, NOW_MS, &r, err, sizeof err), 0);
    ASSERT_NOT_NULL(strstr(r.body, "{\"name\":\"Khối lượng\","));
    oc_request_free(&r);
  }
  return 0;
}

static TEST_IMPL(variants_in_line) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  char err[256];

  /* One variant, the item itself: in line. */
  l.memo = MEMO_NONE;
  ASSERT_EQ(build_any(OC_OP_VARIANTS, &s, &l, NOW_MS, &r, err, sizeof err), OC_IN_LINE);
  ASSERT_NULL(r.url);
  ASSERT_STR_EQ(err, "");
  /* Three, each with its model: in line. */
  l = listing_3();
  l.memo = MEMO_3;
  fixture_variants[0].remote_id = "9001";
  fixture_variants[1].remote_id = "9002";
  fixture_variants[2].remote_id = ""; /* on the item, id unknown */
  ASSERT_EQ(build_any(OC_OP_VARIANTS, &s, &l, NOW_MS, &r, err, sizeof err), OC_IN_LINE);
  ASSERT_NULL(r.url);
  return 0;
}

static TEST_IMPL(variants_add_option_then_model) {
  oc_listing l = listing_3();
  oc_listing_result res;

  l.memo = MEMO_2;
  fixture_variants[0].remote_id = "9001";
  fixture_variants[1].remote_id = "9002";
  variants_ok(&l, "/api/v2/product/update_tier_variation",
              "{\"item_id\":2300069665,\"tier_variation\":[{\"name\":\"Quy cách\","
              "\"option_list\":[{\"option\":\"200 g\"},{\"option\":\"500 g\"},"
              "{\"option\":\"1 kg\"}]}]}");
  /* update_tier_variation answers no "response": the memo has the option. */
  parse_with(OC_OP_VARIANTS, &l, "{\"error\":\"\",\"message\":\"\",\"request_id\":\"u\"}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.nvariants, 0);
  ASSERT_STR_EQ(res.memo, MEMO_3);

  l.memo = MEMO_3;
  variants_ok(&l, "/api/v2/product/add_model",
              "{\"item_id\":2300069665,\"model_list\":[{\"tier_index\":[2],"
              "\"original_price\":180000,\"model_sku\":\"MIEN-1K\","
              "\"seller_stock\":[{\"stock\":2}],\"weight\":1.02}]}");
  parse_with(OC_OP_VARIANTS, &l,
             "{\"error\":\"\",\"response\":{\"model\":[{\"tier_index\":[2],\"model_id\":9003,"
             "\"model_sku\":\"MIEN-1K\",\"price_info\":[{\"original_price\":180000.0}],"
             "\"seller_stock\":[{\"stock\":2}]}]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].remote_id, "9003");
  ASSERT_EQ(res.variants[0].price_vnd, 180000);
  ASSERT_EQ(res.variants[0].stock, 2);
  ASSERT_STR_EQ(res.memo, MEMO_3);
  /* An add_model answer without the models is not an answer. */
  parse_with(OC_OP_VARIANTS, &l, "{\"error\":\"\",\"response\":{}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "unexpected response: field response.model is missing");
  return 0;
}

static TEST_IMPL(variants_delete) {
  oc_listing l = listing_3();
  oc_listing_result res;

  l.memo = MEMO_3;
  fixture_variants[0].remote_id = "9001";
  fixture_variants[1].remote_id = "9002";
  fixture_variants[1].removed = 1;
  fixture_variants[2].remote_id = "9003";
  variants_ok(&l, "/api/v2/product/delete_model", "{\"item_id\":2300069665,\"model_id\":9002}");
  parse_with(OC_OP_VARIANTS, &l, "{\"error\":\"\",\"message\":\"\",\"request_id\":\"d\"}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].sku, "MIEN-500");
  ASSERT_EQ(res.variants[0].gone, 1);
  ASSERT_STR_EQ(res.memo, MEMO_3);

  /* Two back to one: the removed model goes, the item keeps a one-model
   * tier (in line afterwards). */
  fixture_variants[2].removed = 1;
  fixture_variants[1].remote_id = NULL;
  variants_ok(&l, "/api/v2/product/delete_model", "{\"item_id\":2300069665,\"model_id\":9003}");
  fixture_variants[2].remote_id = NULL;
  {
    oc_shop s = shop_fixture();
    oc_request r;
    char err[256];

    ASSERT_EQ(build_any(OC_OP_VARIANTS, &s, &l, NOW_MS, &r, err, sizeof err), OC_IN_LINE);
  }

  /* A new variant before the last model goes: add first, then delete. */
  l = listing_3();
  l.memo = "{\"name\":\"Quy cách\",\"options\":[\"200 g\"]}";
  fixture_variants[0].remote_id = "9001";
  fixture_variants[0].removed = 1;
  fixture_variants[1].removed = 0;
  fixture_variants[2].removed = 1;
  variants_ok(&l, "/api/v2/product/update_tier_variation",
              "{\"item_id\":2300069665,\"tier_variation\":[{\"name\":\"Quy cách\","
              "\"option_list\":[{\"option\":\"200 g\"},{\"option\":\"500 g\"}]}]}");
  return 0;
}

static TEST_IMPL(variants_refusals) {
  oc_listing l = listing_3();

  variants_refused(&l, "the item's variation is unknown (LOOKUP_SKU by item id first)");
  l.memo = "[1]";
  variants_refused(&l, "listing memo is not a Shopee variation memo");
  l.memo = MEMO_NONE;
  fixture_variants[2].label = "200 g";
  variants_refused(&l, "two variants share one label");
  /* The last model cannot go. */
  l = listing_3();
  l.memo = MEMO_3;
  fixture_variants[0].remote_id = "9001";
  fixture_variants[0].removed = 1;
  fixture_variants[1].removed = 1;
  fixture_variants[2].removed = 1;
  variants_refused(&l, "cannot take the item's last model off (Shopee keeps one)");
  /* Not published: no item to change. */
  l = listing_3();
  l.memo = MEMO_NONE;
  l.item_id = NULL;
  variants_refused(&l, "listing item_id is missing (not published yet)");
  return 0;
}

static TEST_IMPL(variants_stock_price_lists) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_3();
  oc_request r;
  char err[256];

  fixture_variants[0].remote_id = "9001";
  fixture_variants[1].remote_id = "9002";
  fixture_variants[2].remote_id = "9003";
  fixture_variants[3] = fixture_variants[2];
  fixture_variants[3].sku = "MIEN-X";
  fixture_variants[3].removed = 1; /* removed: never sent */
  fixture_variants[3].remote_id = "9004";
  fixture_variants[4] = fixture_variants[2];
  fixture_variants[4].sku = "MIEN-Y";
  fixture_variants[4].remote_id = NULL; /* not on the item yet */
  l.nvariants = 5;
  ASSERT_EQ(build_any(OC_OP_SET_STOCK, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.body, "{\"item_id\":2300069665,\"stock_list\":["
                        "{\"model_id\":9001,\"seller_stock\":[{\"stock\":10}]},"
                        "{\"model_id\":9002,\"seller_stock\":[{\"stock\":4}]},"
                        "{\"model_id\":9003,\"seller_stock\":[{\"stock\":2}]}]}");
  oc_request_free(&r);
  ASSERT_EQ(build_any(OC_OP_SET_PRICE, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.body, "{\"item_id\":2300069665,\"price_list\":["
                        "{\"model_id\":9001,\"original_price\":45000},"
                        "{\"model_id\":9002,\"original_price\":99000},"
                        "{\"model_id\":9003,\"original_price\":180000}]}");
  oc_request_free(&r);
  /* An id not known: LOOKUP_SKU first. */
  fixture_variants[1].remote_id = "";
  ASSERT_EQ(build_any(OC_OP_SET_STOCK, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "variant model id is unknown (run LOOKUP_SKU first)");
  ASSERT_NULL(r.body);
  /* Nothing on the item. */
  l = listing_3();
  ASSERT_EQ(build_any(OC_OP_SET_PRICE, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "no variant of the listing is on the item yet");
  return 0;
}

#define MODELS(status2)                                                                   \
  "{\"error\":\"\",\"message\":\"\",\"request_id\":\"m\",\"response\":{"                    \
  "\"tier_variation\":[{\"name\":\"Quy cách\",\"option_list\":[{\"option\":\"200 g\"},"      \
  "{\"option\":\"500 g\"},{\"option\":\"1 kg\"}]}],\"model\":["                              \
  "{\"model_id\":9001,\"tier_index\":[0],\"model_sku\":\"MIEN-200\",\"model_status\":"       \
  "\"" status2 "\",\"price_info\":[{\"original_price\":45000.0}],"                           \
  "\"stock_info_v2\":{\"summary_info\":{\"total_available_stock\":10}}},"                    \
  "{\"model_id\":9003,\"tier_index\":[2],\"model_sku\":\"MIEN-1K\",\"model_status\":"        \
  "\"" status2 "\",\"price_info\":[{\"original_price\":180000.0}],"                          \
  "\"stock_info_v2\":{\"summary_info\":{\"total_available_stock\":2}}},"                     \
  "{\"model_id\":9999,\"tier_index\":[1],\"model_sku\":\"\"}]}}"

static TEST_IMPL(variants_lookup_models) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_3();
  oc_listing_result res;
  oc_request r;
  char err[256], v[64];

  ASSERT_EQ(build_any(OC_OP_LOOKUP_SKU, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.method, "GET");
  ASSERT_STR_EQ(r.log_url, BASE "/api/v2/product/get_model_list");
  ASSERT_STR_EQ(query_get(r.url, "item_id", v, sizeof v), "2300069665");
  ASSERT_NULL(r.body);
  oc_request_free(&r);
  l.item_id = "12x";
  ASSERT_EQ(build_any(OC_OP_LOOKUP_SKU, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "listing item_id is not a numeric Shopee item id");
  l.item_id = "2300069665";

  fixture_variants[1].remote_id = "9002"; /* deleted on Shopee since */
  parse_with(OC_OP_LOOKUP_SKU, &l, MODELS("MODEL_NORMAL"), &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "2300069665");
  ASSERT_EQ(res.nvariants, 3);
  ASSERT_STR_EQ(named(&res, "MIEN-200")->remote_id, "9001");
  ASSERT_EQ(named(&res, "MIEN-200")->price_vnd, 45000);
  ASSERT_EQ(named(&res, "MIEN-200")->stock, 10);
  ASSERT_STR_EQ(named(&res, "MIEN-1K")->remote_id, "9003");
  ASSERT_EQ(named(&res, "MIEN-500")->gone, 1);
  ASSERT_STR_EQ(res.memo, MEMO_3);

  /* An item without models: the single variant is the item. */
  l = listing_fixture();
  parse_with(OC_OP_LOOKUP_SKU, &l,
             "{\"error\":\"\",\"response\":{\"tier_variation\":[],\"model\":[]}}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].remote_id, "0");
  ASSERT_STR_EQ(res.memo, MEMO_NONE);

  /* Two tiers are not ours; a deleted item is not found. */
  parse_with(OC_OP_LOOKUP_SKU, &l,
             "{\"error\":\"\",\"response\":{\"tier_variation\":[{\"name\":\"a\",\"option_list\":"
             "[{\"option\":\"x\"}]},{\"name\":\"b\",\"option_list\":[{\"option\":\"y\"}]}],"
             "\"model\":[]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "item has two tiers of variation; ocopd manages items with one");
  parse_with(OC_OP_LOOKUP_SKU, &l,
             "{\"error\":\"error_item_not_found\",\"message\":\"Item_id is not found.\"}", &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  parse_with(OC_OP_LOOKUP_SKU, &l, "{\"error\":\"\",\"response\":{\"model\":{}}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  return 0;
}

static TEST_IMPL(variants_get_listing_models) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_3();
  oc_listing_result res;
  oc_request r;
  char err[256];

  fixture_variants[0].remote_id = "9001";
  fixture_variants[2].remote_id = "9003";
  ASSERT_EQ(build_any(OC_OP_GET_LISTING, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.log_url, BASE "/api/v2/product/get_model_list");
  oc_request_free(&r);
  parse_with(OC_OP_GET_LISTING, &l, MODELS("MODEL_NORMAL"), &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 1);
  ASSERT_EQ(res.nvariants, 2);
  ASSERT_EQ(named(&res, "MIEN-1K")->stock, 2);
  ASSERT_EQ(named(&res, "MIEN-1K")->price_vnd, 180000);
  ASSERT_NULL(named(&res, "MIEN-500")); /* read-back names no gone ones */
  ASSERT_STR_EQ(res.memo, "");
  parse_with(OC_OP_GET_LISTING, &l, MODELS("MODEL_UNAVAILABLE"), &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 0);

  /* Without models the item is read, and has_model there is refused. */
  l = listing_fixture();
  parse_with(OC_OP_GET_LISTING, &l,
             "{\"error\":\"\",\"response\":{\"item_list\":[{\"item_id\":2300069665,"
             "\"item_status\":\"NORMAL\",\"has_model\":true}]}}",
             &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "item has models the listing does not know (LOOKUP_SKU reads them)");
  return 0;
}

/* ---- UPLOAD_IMAGE (media.c) ---------------------------------------------------- */

static const unsigned char png_bytes[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};

static oc_upload upload_fixture(void) {
  oc_upload u;

  memset(&u, 0, sizeof u);
  u.data = png_bytes;
  u.len = sizeof png_bytes;
  u.filename = "OCP-BKN-001-1.png";
  u.mime = "image/png";
  u.width = u.height = 800;
  return u;
}

/* Public signature (no token, no shop), one file part named "image", no
 * JSON body or Content-Type header (the core's MIME body sets it). The
 * signature was computed with Python's hmac module over
 * "123456/api/v2/media_space/upload_image1710000000". */
static TEST_IMPL(upload_build) {
  oc_shop s = shop_fixture();
  oc_upload u = upload_fixture();
  oc_request r;
  char err[256], v[128];

  ASSERT_EQ(conn()->build_upload(&s, &u, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.method, "POST");
  ASSERT_STR_EQ(r.url, BASE "/api/v2/media_space/upload_image?partner_id=123456"
                            "&timestamp=1710000000&sign="
                            "f7fc869fd57cd03bf36f04d8c7ddb0511b6648c720ed3e96a910b9339b85d292");
  ASSERT_STR_EQ(r.log_url, BASE "/api/v2/media_space/upload_image");
  ASSERT_NULL(query_get(r.url, "access_token", v, sizeof v));
  ASSERT_NULL(query_get(r.url, "shop_id", v, sizeof v));
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 0);
  ASSERT_EQ(r.nparts, 1);
  ASSERT_STR_EQ(r.parts[0].name, "image");
  ASSERT_NULL(r.parts[0].value);
  ASSERT_STR_EQ(r.parts[0].filename, "OCP-BKN-001-1.png");
  ASSERT_STR_EQ(r.parts[0].mime, "image/png");
  ASSERT(r.file == png_bytes);
  ASSERT_EQ(r.file_len, sizeof png_bytes);
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(upload_build_refusals) {
  static const struct {
    const char *mime;
    size_t len;
    const char *name;
    const char *want;
  } cases[] = {
      {"image/webp", 10, "a.webp", "Shopee takes JPG or PNG images; this one is image/webp"},
      {"image/jpeg", 10485761, "a.jpg",
       "Shopee takes images of at most 10 MB (10485760 bytes); this one has 10485761 bytes"},
      {"image/jpeg", 0, "a.jpg", "image is missing or empty"},
      {"image/jpeg", 10, "a\".jpg", "image file name is empty or holds a quote or a line break"},
      {"image/jpeg", 10, "a\r\nX: y", "image file name is empty or holds a quote or a line break"},
  };
  static unsigned char big[1]; /* never read past len: build checks the length only */
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    oc_shop s = shop_fixture();
    oc_upload u = upload_fixture();
    oc_request r;
    char err[256];

    u.mime = cases[i].mime;
    u.len = cases[i].len;
    u.filename = cases[i].name;
    if (u.len > sizeof png_bytes)
      u.data = big;
    ASSERT_EQ(conn()->build_upload(&s, &u, NOW_MS, &r, err, sizeof err), -1);
    ASSERT_STR_EQ(err, cases[i].want);
    ASSERT_NULL(r.url);
    ASSERT_EQ(r.nparts, 0);
  }
  {
    oc_shop s = shop_fixture();
    oc_upload u = upload_fixture();
    oc_request r;
    char err[256];

    s.app_secret = "";
    ASSERT_EQ(conn()->build_upload(&s, &u, NOW_MS, &r, err, sizeof err), -1);
    ASSERT_STR_EQ(err, "shop app_secret (partner key) is not set");
    s = shop_fixture();
    s.access_token = NULL; /* a public call: no token needed */
    ASSERT_EQ(conn()->build_upload(&s, &u, NOW_MS, &r, err, sizeof err), 0);
    oc_request_free(&r);
  }
  return 0;
}

static void parse_upload(long status, const char *body, oc_upload_result *res) {
  oc_shop s = shop_fixture();
  oc_upload u = upload_fixture();

  conn()->parse_upload(&s, &u, status, body, body ? strlen(body) : 0, res);
}

static TEST_IMPL(upload_parse) {
  oc_upload_result res;

  parse_upload(200,
               "{\"error\":\"\",\"message\":\"\",\"request_id\":\"r1\",\"response\":{"
               "\"image_info\":{\"image_id\":\"sg-11134201-7rbk0-abc\",\"image_url_list\":["
               "{\"image_url_region\":\"VN\",\"image_url\":\"https://cf.shopee.vn/file/abc\"},"
               "{\"image_url_region\":\"SG\",\"image_url\":\"https://cf.shopee.sg/file/abc\"}]}}}",
               &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.v.request_id, "r1");
  ASSERT_STR_EQ(res.remote_id, "sg-11134201-7rbk0-abc");
  ASSERT_STR_EQ(res.url, "https://cf.shopee.vn/file/abc");

  /* The list form, without URLs. */
  parse_upload(200,
               "{\"error\":\"\",\"response\":{\"image_info_list\":[{\"id\":0,"
               "\"image_info\":{\"image_id\":\"id2\"}}]}}",
               &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.remote_id, "id2");
  ASSERT_STR_EQ(res.url, "");

  parse_upload(200, "{\"error\":\"error_param\",\"message\":\"Invalid image\"}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "error_param: Invalid image");
  ASSERT_STR_EQ(res.remote_id, "");

  parse_upload(200, "{\"error\":\"\",\"response\":{}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "unexpected response: field response.image_info is missing");

  parse_upload(200, "{\"error\":\"\",\"response\":{\"image_info\":{\"image_id\":\"\"}}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);

  parse_upload(0, NULL, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse_upload(403, "{\"error\":\"error_sign\",\"message\":\"Wrong sign.\"}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "error_sign: Wrong sign.");
  return 0;
}

/* ---- CATEGORY (category.c) ------------------------------------------------------ */

/* Signatures computed with Python's hmac module over partner_id ‖ path ‖
 * 1710000000 ‖ token_value ‖ 654321. */
static TEST_IMPL(category_build) {
  oc_shop s = shop_fixture();
  oc_category_query q = {"100644", 0, ""};
  oc_request r;
  char err[256];

  ASSERT_EQ(conn()->build_category(&s, &q, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.method, "GET");
  ASSERT_STR_EQ(r.url, BASE "/api/v2/product/get_attribute_tree?partner_id=123456"
                            "&timestamp=1710000000&access_token=token_value&shop_id=654321"
                            "&sign=f3e957efb39272a230cec1eeaa60f8c4ea09edfbf745d1b0887326a9a642b89a"
                            "&category_id_list=100644&language=en");
  ASSERT_STR_EQ(r.log_url, BASE "/api/v2/product/get_attribute_tree");
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 0);
  oc_request_free(&r);

  q.step = 3;
  q.rules = "{}";
  ASSERT_EQ(conn()->build_category(&s, &q, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.url, BASE "/api/v2/product/get_brand_list?partner_id=123456"
                            "&timestamp=1710000000&access_token=token_value&shop_id=654321"
                            "&sign=ef5db0ff3383ff98d35f93cab0cc33479eff70c4031eb86be41108df6c3f20c7"
                            "&offset=200&page_size=100&category_id=100644&status=1&language=en");
  ASSERT_STR_EQ(r.log_url, BASE "/api/v2/product/get_brand_list");
  oc_request_free(&r);

  q.category_id = "10a";
  ASSERT_EQ(conn()->build_category(&s, &q, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "category id is not a numeric Shopee category id");
  ASSERT_NULL(r.url);
  q.category_id = "100644";
  q.step = -1;
  ASSERT_EQ(conn()->build_category(&s, &q, NOW_MS, &r, err, sizeof err), -1);
  s.access_token = NULL;
  q.step = 0;
  ASSERT_EQ(conn()->build_category(&s, &q, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "shop access_token is not set");
  return 0;
}

static void parse_category(int step, const char *rules, long status, const char *body,
                           oc_category_result *res) {
  oc_shop s = shop_fixture();
  oc_category_query q = {"100644", step, rules};

  conn()->parse_category(&s, &q, status, body, body ? strlen(body) : 0, res);
}

static const char tree_answer[] =
    "{\"error\":\"\",\"message\":\"\",\"request_id\":\"t1\",\"response\":{\"list\":["
    "{\"category_id\":100645,\"attribute_tree\":[{\"attribute_id\":1,\"mandatory\":true,"
    "\"name\":\"Other\"}]},"
    "{\"category_id\":100644,\"attribute_tree\":["
    "{\"attribute_id\":100010,\"mandatory\":true,\"name\":\"Country of Origin\","
    "\"attribute_value_list\":[{\"value_id\":6001,\"name\":\"Vietnam\"},"
    "{\"value_id\":6002,\"name\":\"Thailand\"}],"
    "\"attribute_info\":{\"input_type\":1,\"input_validation_type\":2}},"
    "{\"attribute_id\":100011,\"mandatory\":false,\"name\":\"Ingredients\","
    "\"attribute_info\":{\"input_type\":3}}]}]}}";

static TEST_IMPL(category_parse_steps) {
  oc_category_result res;
  char *rules;

  parse_category(0, "", 200, tree_answer, &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 1);
  ASSERT_STR_EQ(res.rules,
                "{\"leaf\":true,\"brand_required\":false,\"dimensions_required\":false,"
                "\"no_brand\":null,\"brands\":[],\"attrs\":["
                "{\"id\":\"100010\",\"name\":\"Country of Origin\",\"required\":true,"
                "\"values\":[{\"id\":\"6001\",\"name\":\"Vietnam\"},"
                "{\"id\":\"6002\",\"name\":\"Thailand\"}]},"
                "{\"id\":\"100011\",\"name\":\"Ingredients\",\"required\":false}],"
                "\"certifications\":[]}");
  rules = res.rules;

  /* Brands, page 1 of 2: the brand_id 0 entry is the no-brand one. */
  parse_category(1, rules, 200,
                 "{\"error\":\"\",\"response\":{\"brand_list\":["
                 "{\"brand_id\":0,\"original_brand_name\":\"NoBrand\",\"display_brand_name\":\"NoBrand\"},"
                 "{\"brand_id\":3000001,\"original_brand_name\":\"Tài Hoan\"}],"
                 "\"has_next_page\":true,\"next_offset\":100,\"is_mandatory\":false,"
                 "\"input_type\":\"DROP_DOWN\"}}",
                 &res);
  free(rules);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 1);
  rules = res.rules;
  parse_category(2, rules, 200,
                 "{\"error\":\"\",\"response\":{\"brand_list\":["
                 "{\"brand_id\":3000002,\"original_brand_name\":\"Vinamilk\"}],"
                 "\"has_next_page\":false,\"is_mandatory\":false}}",
                 &res);
  free(rules);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 0);
  ASSERT_NOT_NULL(strstr(res.rules, "\"no_brand\":{\"id\":\"0\",\"name\":\"NoBrand\"}"));
  ASSERT_NOT_NULL(strstr(res.rules, "\"brands\":[{\"id\":\"3000001\",\"name\":\"Tài Hoan\"},"
                                    "{\"id\":\"3000002\",\"name\":\"Vinamilk\"}]"));
  ASSERT_NOT_NULL(strstr(res.rules, "\"brand_required\":false"));
  ASSERT_NOT_NULL(strstr(res.rules, "\"attrs\":[{\"id\":\"100010\""));
  free(res.rules);

  /* A mandatory brand: no no-brand entry, whatever the list holds. */
  parse_category(1, "{\"leaf\":true,\"no_brand\":null}", 200,
                 "{\"error\":\"\",\"response\":{\"brand_list\":["
                 "{\"brand_id\":0,\"original_brand_name\":\"NoBrand\"},"
                 "{\"brand_id\":7,\"original_brand_name\":\"Thu Ba\"}],"
                 "\"has_next_page\":false,\"is_mandatory\":true}}",
                 &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.rules, "{\"leaf\":true,\"no_brand\":null,\"brands\":[{\"id\":\"7\","
                           "\"name\":\"Thu Ba\"}],\"brand_required\":true}");
  free(res.rules);

  /* Not mandatory, the list without id 0: Shopee's No Brand option all the same. */
  parse_category(1, "{\"leaf\":true,\"brands\":[]}", 200,
                 "{\"error\":\"\",\"response\":{\"brand_list\":[],\"has_next_page\":false,"
                 "\"is_mandatory\":false}}",
                 &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_NOT_NULL(strstr(res.rules, "\"no_brand\":{\"id\":\"0\",\"name\":\"NoBrand\"}"));
  free(res.rules);
  return 0;
}

static TEST_IMPL(category_parse_not_leaf_and_errors) {
  oc_category_result res;

  /* No attribute tree for the category: not a last-level category. */
  parse_category(0, "", 200,
                 "{\"error\":\"\",\"response\":{\"list\":[{\"category_id\":100644,"
                 "\"attribute_tree\":[],\"warning\":\"\"}]}}",
                 &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 0);
  ASSERT_NOT_NULL(strstr(res.rules, "\"leaf\":false"));
  free(res.rules);
  parse_category(0, "", 200, "{\"error\":\"\",\"response\":{\"list\":[]}}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_NOT_NULL(strstr(res.rules, "\"leaf\":false"));
  free(res.rules);

  parse_category(0, "", 200,
                 "{\"error\":\"error_invalid_category\",\"message\":\"Invalid category ID 9\"}",
                 &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "error_invalid_category: Invalid category ID 9");
  ASSERT_NULL(res.rules);
  ASSERT_EQ(res.more, 0);

  parse_category(1, "not json", 200, "{\"error\":\"\",\"response\":{\"brand_list\":[]}}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_NULL(res.rules);

  parse_category(0, "", 200,
                 "{\"error\":\"\",\"response\":{\"list\":[{\"category_id\":100644,"
                 "\"attribute_tree\":[{\"attribute_id\":\"x\",\"name\":\"A\"}]}]}}",
                 &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_NULL(res.rules);

  parse_category(0, "", 0, NULL, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_NULL(res.rules);
  parse_category(0, "", 200, "{\"error\":\"invalid_acceess_token\",\"message\":\"x\"}", &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  return 0;
}

/* A refusal for the content holds the listing (content = 1) with
 * Shopee's own code and message; others do not. */
static TEST_IMPL(parse_content_refusals) {
  static const struct {
    oc_op op;
    const char *body;
    int content;
  } cases[] = {
      {OC_OP_PUBLISH, "{\"error\":\"product.error_invalid_brand\",\"message\":\"Brand information required\"}", 1},
      {OC_OP_PUBLISH, "{\"error\":\"error_invalid_category\",\"message\":\"Invalid category ID 100629\"}", 1},
      {OC_OP_UPDATE, "{\"error\":\"error_invalid_attribute\",\"message\":\"x\"}", 1},
      {OC_OP_UPDATE, "{\"error\":\"error_invalid_image\",\"message\":\"x\"}", 1},
      {OC_OP_PUBLISH, "{\"error\":\"error_category_is_block\",\"message\":\"x\"}", 1},
      {OC_OP_PUBLISH, "{\"error\":\"error_param\",\"message\":\"x\"}", 0},
      {OC_OP_SET_STOCK, "{\"error\":\"error_invalid_image\",\"message\":\"x\"}", 0},
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    oc_listing_result res;

    parse(cases[i].op, 200, cases[i].body, &res);
    ASSERT_EQ(res.v.status, OC_REJECTED);
    ASSERT_EQ(res.content, cases[i].content);
  }
  {
    oc_listing_result res;

    parse(OC_OP_PUBLISH, 200, cases[0].body, &res);
    ASSERT_STR_EQ(res.v.error, "product.error_invalid_brand: Brand information required");
  }
  return 0;
}

static const struct test_entry tests[] = {
    TEST_ENTRY(sign_s1_hmac_layer),
    TEST_ENTRY(sign_s2_shop_base_string),
    TEST_ENTRY(sign_s2_full_url),
    TEST_ENTRY(sign_s3_public_link),
    TEST_ENTRY(sign_s4_token_call_not_signing_token),
    TEST_ENTRY(sign_s5_push_message),
    TEST_ENTRY(hmac_fixed_width_and_case),
    TEST_ENTRY(ocu_urlencode_rfc3986),
    TEST_ENTRY(ocu_strings),
    TEST_ENTRY(ocu_json_parse_limits),
    TEST_ENTRY(ocu_json_ids),
    TEST_ENTRY(entry_point),
    TEST_ENTRY(build_publish),
    TEST_ENTRY(build_publish_options),
    TEST_ENTRY(build_publish_missing_options),
    TEST_ENTRY(build_publish_bad_options),
    TEST_ENTRY(build_publish_weight_unknown),
    TEST_ENTRY(build_update_with_claims),
    TEST_ENTRY(build_update_strip),
    TEST_ENTRY(build_set_stock),
    TEST_ENTRY(build_set_price),
    TEST_ENTRY(build_delist_relist),
    TEST_ENTRY(build_lookup_sku),
    TEST_ENTRY(build_get_listing),
    TEST_ENTRY(build_refresh_token),
    TEST_ENTRY(build_auth_link),
    TEST_ENTRY(build_token_exchange),
    TEST_ENTRY(title_claims_and_plain),
    TEST_ENTRY(title_trim_vietnamese),
    TEST_ENTRY(title_trim_combining_accent),
    TEST_ENTRY(log_url_has_no_secrets),
    TEST_ENTRY(bad_input_errors_hold_no_secrets),
    TEST_ENTRY(parse_publish_ok),
    TEST_ENTRY(parse_item_id_range),
    TEST_ENTRY(parse_lookup_sku),
    TEST_ENTRY(parse_get_listing),
    TEST_ENTRY(parse_refresh_token),
    TEST_ENTRY(parse_token_exchange),
    TEST_ENTRY(parse_batch_ok_and_empty_response),
    TEST_ENTRY(parse_error_classes),
    TEST_ENTRY(parse_failure_list),
    TEST_ENTRY(parse_malformed_truncated),
    TEST_ENTRY(parse_body_not_utf8),
    TEST_ENTRY(parse_oversized),
    TEST_ENTRY(parse_deep_nesting),
    TEST_ENTRY(parse_wrong_types),
    TEST_ENTRY(parse_http_status),
    TEST_ENTRY(parse_error_text_scrubbed_and_truncated),
    TEST_ENTRY(parse_resets_result),
    TEST_ENTRY(orders_entry_point),
    TEST_ENTRY(build_list_orders),
    TEST_ENTRY(build_get_orders),
    TEST_ENTRY(build_get_orders_limits),
    TEST_ENTRY(build_orders_bad_input),
    TEST_ENTRY(orders_log_url),
    TEST_ENTRY(parse_list_orders_pages),
    TEST_ENTRY(parse_orders_malformed),
    TEST_ENTRY(parse_orders_errors),
    TEST_ENTRY(parse_get_orders),
    TEST_ENTRY(parse_get_orders_structs),
    TEST_ENTRY(parse_list_orders_struct),
    TEST_ENTRY(order_status_map),
    TEST_ENTRY(parse_get_orders_bad_entries),
    TEST_ENTRY(push_verify_order),
    TEST_ENTRY(push_verify_other_codes),
    TEST_ENTRY(push_verify_refused),
    TEST_ENTRY(push_verify_signed_malformed),
    TEST_ENTRY(push_error_never_holds_secret),
    TEST_ENTRY(variants_publish_multi),
    TEST_ENTRY(variants_init_tier),
    TEST_ENTRY(variants_in_line),
    TEST_ENTRY(variants_add_option_then_model),
    TEST_ENTRY(variants_delete),
    TEST_ENTRY(variants_refusals),
    TEST_ENTRY(variants_stock_price_lists),
    TEST_ENTRY(variants_lookup_models),
    TEST_ENTRY(variants_get_listing_models),
    TEST_ENTRY(build_publish_brand_and_sizes),
    TEST_ENTRY(parse_content_refusals),
    TEST_ENTRY(upload_build),
    TEST_ENTRY(upload_build_refusals),
    TEST_ENTRY(upload_parse),
    TEST_ENTRY(category_build),
    TEST_ENTRY(category_parse_steps),
    TEST_ENTRY(category_parse_not_leaf_and_errors),
    {NULL, NULL, 0, 0},
};

int main(int argc, char **argv) { return run_tests(tests, argc, argv); }
