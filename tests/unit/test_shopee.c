/*
 * test_shopee.c — unit tests for connectors/shopee.c and connectors/ocutil.c.
 *
 * The connector is included so that its static helpers (sp_base_string,
 * sp_sign, sp_make_url, sp_title, sp_description) can be tested directly;
 * ocutil.c is linked separately. Expected signatures are literals from
 * shared/spec/signing-vectors.md §1 or were computed independently with
 * Python's hmac module (noted where used).
 */
#include "runner.h"

#include "../../connectors/shopee.c"

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

static oc_listing listing_fixture(void) {
  oc_listing l;

  memset(&l, 0, sizeof l);
  l.sku = "HN-TRA-001";
  l.name = "Trà xanh Thái Nguyên";
  l.description = "Trà búp khô, gói 200 g.";
  l.category = "I.3.c";
  l.unit = "gói";
  l.price_vnd = 75000;
  l.stock = 25;
  l.weight_g = 250;
  l.stars = 4;
  l.certificate_no = "3981/QĐ-UBND";
  l.item_id = "2300069665";
  return l;
}

static const oc_connector *conn(void) { return ocop_connector_v1(); }

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

  ASSERT_EQ(conn()->build(op, s, l, NOW_MS, r, err, sizeof err), 0);
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

static void parse(oc_op op, long status, const char *body, oc_result *res) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();

  conn()->parse(op, &s, &l, status, body, body ? strlen(body) : 0, res);
}

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- signing vectors (signing-vectors.md §1) ------------------------------- */

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
  /* Uppercase is a different signature for Shopee (signing-vectors §5). */
  ASSERT(!ocu_sig_equal(out,
                        "008cf146abd6e2a7688e3cd774a3e580ccaef15f76392750cfcbbff7e21cf454"));
  return 0;
}

/* ---- ocutil ------------------------------------------------------------------ */

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
  const oc_connector *c = ocop_connector_v1();
  uint32_t want = OC_CAP_STRIP;
  int op;

  for (op = OC_OP_PUBLISH; op < OC_OP_MAX; op++)
    want |= OC_CAP(op);
  ASSERT_EQ(c->abi, OC_ABI_VERSION);
  ASSERT_STR_EQ(c->name, "shopee");
  ASSERT_EQ(c->caps, want);
  ASSERT_NOT_NULL(c->build);
  ASSERT_NOT_NULL(c->parse);
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
  ASSERT_EQ(jint(o, "brand_id"), 0);
  ASSERT_STR_EQ(jstr(o, "original_brand_name"), "No Brand");
  a = cJSON_GetObjectItem(b, "attribute_list");
  ASSERT_EQ(cJSON_GetArraySize(a), 1);
  o = cJSON_GetArrayItem(a, 0);
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
  l.weight_g = 1500;
  ASSERT_EQ(conn()->build(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  b = body_json(&r);
  ASSERT_EQ(jint(b, "category_id"), 100777); /* category.I.3.c wins */
  ASSERT(cJSON_GetObjectItem(b, "weight")->valuedouble == 1.5);
  ASSERT_NOT_NULL(strstr(r.body, "\"weight\":1.5,"));
  ASSERT_EQ(cJSON_GetArraySize(cJSON_GetObjectItem(b, "logistic_info")), 2);
  ASSERT_EQ(jint(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "logistic_info"), 1),
                 "logistic_id"),
            5001);
  v = cJSON_GetArrayItem(
      cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "attribute_list"), 0),
                          "attribute_value_list"),
      0);
  ASSERT_EQ(jint(v, "value_id"), 888);
  ASSERT_NULL(cJSON_GetObjectItem(v, "original_value_name"));
  cJSON_Delete(b);
  oc_request_free(&r);

  /* stars == 0: plain name and description, no attribute at all. */
  l.stars = 0;
  l.certificate_no = NULL;
  l.weight_g = 1000;
  ASSERT_EQ(conn()->build(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  b = body_json(&r);
  ASSERT_STR_EQ(jstr(b, "item_name"), "Trà xanh Thái Nguyên");
  ASSERT_STR_EQ(jstr(b, "description"), "Trà búp khô, gói 200 g.");
  ASSERT_NULL(cJSON_GetObjectItem(b, "attribute_list"));
  ASSERT_NOT_NULL(strstr(r.body, "\"weight\":1,"));
  ASSERT_NULL(strstr(r.body, "OCOP"));
  cJSON_Delete(b);
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_publish_missing_options) {
  static const struct {
    const char *drop;
    const char *want;
  } cases[] = {
      {"category", "shop option \"category_id\" is not set (nor \"category.I.3.c\")"},
      {"image_id", "shop option \"image_id\" is not set"},
      {"logistic_id", "shop option \"logistic_id\" is not set"},
  };
  size_t i, j;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    oc_kv kept[8];
    size_t n = 0;
    oc_shop s = shop_fixture();
    oc_listing l = listing_fixture();
    oc_request r;
    char err[256];

    for (j = 0; j < sizeof opts_full / sizeof opts_full[0]; j++)
      if (!starts_with(opts_full[j].key, cases[i].drop))
        kept[n++] = opts_full[j];
    s.opts = kept;
    s.nopts = n;
    ASSERT_EQ(conn()->build(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err),
              -1);
    ASSERT_STR_EQ(err, cases[i].want);
    ASSERT_NULL(r.url);
    ASSERT_NULL(r.log_url);
    ASSERT_NULL(r.body);
    ASSERT_EQ(r.nheaders, 0);
  }
  return 0;
}

static TEST_IMPL(build_publish_bad_options) {
  static const oc_kv bad_cat[] = {{"category_id", "12a"}, {"image_id", "x"},
                                  {"logistic_id", "1"}};
  static const oc_kv bad_img[] = {{"category_id", "1"}, {"image_id", "a\"b"},
                                  {"logistic_id", "1"}};
  static const oc_kv bad_log[] = {{"category_id", "1"}, {"image_id", "x"},
                                  {"logistic_id", "5000,abc"}};
  static const oc_kv many_img[] = {{"category_id", "1"},
                                   {"image_id", "1,2,3,4,5,6,7,8,9,10"},
                                   {"logistic_id", "1"}};
  static const oc_kv bad_attr[] = {{"category_id", "1"}, {"image_id", "x"},
                                   {"logistic_id", "1"},
                                   {"ocop_attribute_id", "-4"}};
  static const struct {
    const oc_kv *opts;
    size_t n;
    const char *want;
  } cases[] = {
      {bad_cat, 3, "shop option \"category_id\" is not a numeric id"},
      {bad_img, 3, "shop option \"image_id\" holds an invalid id"},
      {bad_log, 3, "shop option \"logistic_id\" must hold numeric ids"},
      {many_img, 3, "shop option \"image_id\" holds more than 9 ids"},
      {bad_attr, 4, "shop option \"ocop_attribute_id\" is not a numeric id"},
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    oc_shop s = shop_fixture();
    oc_listing l = listing_fixture();
    oc_request r;
    char err[256];

    s.opts = cases[i].opts;
    s.nopts = cases[i].n;
    ASSERT_EQ(conn()->build(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err),
              -1);
    ASSERT_STR_EQ(err, cases[i].want);
    ASSERT_NULL(r.url);
    ASSERT_NULL(r.body);
  }
  return 0;
}

static TEST_IMPL(build_publish_weight_unknown) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  char err[256];

  l.weight_g = 0;
  ASSERT_EQ(conn()->build(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "listing weight unknown (Shopee requires a weight)");
  ASSERT_NULL(r.url);
  l.weight_g = -5;
  ASSERT_EQ(conn()->build(OC_OP_PUBLISH, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "listing weight must be positive");
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
  a = cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(b, "attribute_list"), 0),
                          "attribute_value_list");
  ASSERT_EQ(cJSON_GetArraySize(a), 1);
  ASSERT_STR_EQ(jstr(cJSON_GetArrayItem(a, 0), "original_value_name"), "3 sao");
  /* Price and stock have their own calls (§2.5). */
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
  ASSERT_EQ(conn()->build(OC_OP_UPDATE, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  b = body_json(&r);
  ASSERT_STR_EQ(jstr(b, "item_name"), "Trà xanh Thái Nguyên");
  ASSERT_STR_EQ(jstr(b, "description"), "Trà búp khô, gói 200 g.");
  a = cJSON_GetObjectItem(b, "attribute_list");
  ASSERT_EQ(cJSON_GetArraySize(a), 1);
  ASSERT_EQ(jint(cJSON_GetArrayItem(a, 0), "attribute_id"), 100999);
  a = cJSON_GetObjectItem(cJSON_GetArrayItem(a, 0), "attribute_value_list");
  ASSERT(cJSON_IsArray(a));
  ASSERT_EQ(cJSON_GetArraySize(a), 0);
  ASSERT_NULL(strstr(r.body, "OCOP"));
  ASSERT_NULL(strstr(r.body, "sao"));
  ASSERT_NULL(strstr(r.body, "3981"));
  cJSON_Delete(b);
  oc_request_free(&r);

  /* Without the attribute option nothing about attributes is sent. */
  s.nopts = 3; /* category_id, image_id, logistic_id */
  ASSERT_EQ(conn()->build(OC_OP_UPDATE, &s, &l, NOW_MS, &r, err, sizeof err), 0);
  b = body_json(&r);
  ASSERT_NULL(cJSON_GetObjectItem(b, "attribute_list"));
  ASSERT_EQ(cJSON_GetArraySize(b), 3);
  cJSON_Delete(b);
  oc_request_free(&r);
  return 0;
}

static TEST_IMPL(build_set_stock) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_request r;
  cJSON *b, *m;

  l.stock = 0; /* zero is a valid absolute quantity */
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

  l.price_vnd = 150000;
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
  l.price_vnd = 1000000000000000LL;
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
  l.item_id = NULL; /* not needed */
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

/* §2.2 step 1: the link to show the seller; public sign over the path
 * (the same literal as vector S3), redirect URL-encoded, nothing secret. */
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
  ASSERT_EQ(conn()->build(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "redirect URL must be an http(s) URL without spaces");
  ASSERT_NULL(r.url);
  s.redirect_url = "ftp://example.com/cb";
  ASSERT_EQ(conn()->build(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), -1);
  s.redirect_url = "https://example.com/a b";
  ASSERT_EQ(conn()->build(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), -1);
  return 0;
}

/* §2.2 step 3: POST auth/token/get, public sign (vector S4's literal),
 * partner_id in the query and the body, the code in the body only. */
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
  ASSERT_EQ(conn()->build(OC_OP_TOKEN_EXCHANGE, &s, NULL, NOW_MS, &r, err, sizeof err),
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

    ASSERT_EQ(conn()->build((oc_op)op, &s, &l, NOW_MS, &r, err, sizeof err), 0);
    ASSERT_NULL(strstr(r.log_url, TOKEN));
    ASSERT_NULL(strstr(r.log_url, KEY));
    ASSERT_NULL(strstr(r.log_url, "sign"));
    ASSERT_NULL(strchr(r.log_url, '?'));
    snprintf(want, sizeof want, "%s%s", BASE, sp_ops[op].path);
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
    case 2: l.price_vnd = -1; break;
    case 3: l.stock = -1; break;
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
    ASSERT_EQ(conn()->build(cases[i].op, &s, lp, NOW_MS, &r, err, sizeof err), -1);
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
  oc_result res;

  parse(OC_OP_PUBLISH, 200,
        "{\"error\":\"\",\"message\":\"\",\"warning\":\"\",\"request_id\":"
        "\"a1b2c3\",\"response\":{\"item_id\":800123456,\"item_name\":\"x\"}}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "800123456");
  ASSERT_STR_EQ(res.request_id, "a1b2c3");
  ASSERT_STR_EQ(res.error, "");
  return 0;
}

static TEST_IMPL(parse_item_id_range) {
  oc_result res;

  parse(OC_OP_PUBLISH, 200,
        "{\"error\":\"\",\"response\":{\"item_id\":9007199254740991}}", &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "9007199254740991");
  parse(OC_OP_PUBLISH, 200,
        "{\"error\":\"\",\"response\":{\"item_id\":9007199254740993}}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "unexpected response: field response.item_id is above "
                           "2^53 and cannot be read exactly");
  ASSERT_STR_EQ(res.item_id, "");
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"error\":\"\",\"response\":{\"item_id_list\":[18014398509481984]}}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.item_id, "");
  return 0;
}

static TEST_IMPL(parse_lookup_sku) {
  oc_result res;

  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"error\":\"\",\"message\":\"\",\"request_id\":\"r\",\"response\":"
        "{\"item_id_list\":[653211,564331],\"next_offset\":\"x\","
        "\"total_count\":2}}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "653211");
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"error\":\"\",\"response\":{\"item_id_list\":[],\"total_count\":0}}",
        &res);
  ASSERT_EQ(res.status, OC_NOT_FOUND);
  parse(OC_OP_LOOKUP_SKU, 200, "{\"error\":\"\",\"response\":{\"total_count\":0}}",
        &res);
  ASSERT_EQ(res.status, OC_NOT_FOUND);
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"error\":\"\",\"response\":{\"item_id_list\":\"653211\"}}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error,
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
  oc_result res;

  parse(OC_OP_GET_LISTING, 200, ITEM("NORMAL", "75000.0", "25"), &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_EQ(res.active, 1);
  ASSERT_EQ(res.price_vnd, 75000);
  ASSERT_EQ(res.stock, 25);
  ASSERT_STR_EQ(res.item_id, "2300069665");
  ASSERT_STR_EQ(res.request_id, "q");

  parse(OC_OP_GET_LISTING, 200, ITEM("UNLIST", "149999.5", "0"), &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_EQ(res.price_vnd, 150000);
  ASSERT_EQ(res.stock, 0);
  ASSERT_STR_EQ(res.error, "");

  parse(OC_OP_GET_LISTING, 200, ITEM("BANNED", "1", "2"), &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_STR_EQ(res.error, "item_status BANNED");

  parse(OC_OP_GET_LISTING, 200, ITEM("SELLER_DELETE", "1", "2"), &res);
  ASSERT_EQ(res.status, OC_NOT_FOUND);

  parse(OC_OP_GET_LISTING, 200,
        "{\"error\":\"\",\"response\":{\"item_list\":[{\"item_id\":1,"
        "\"item_status\":\"NORMAL\"}]}}",
        &res);
  ASSERT_EQ(res.status, OC_NOT_FOUND); /* another item only */
  parse(OC_OP_GET_LISTING, 200, "{\"error\":\"\",\"response\":{\"item_list\":[]}}",
        &res);
  ASSERT_EQ(res.status, OC_NOT_FOUND);
  parse(OC_OP_GET_LISTING, 200,
        "{\"error\":\"\",\"warning\":\"item not found\",\"response\":{}}", &res);
  ASSERT_EQ(res.status, OC_NOT_FOUND);

  parse(OC_OP_GET_LISTING, 200,
        "{\"error\":\"\",\"response\":{\"item_list\":[{\"item_id\":2300069665,"
        "\"item_status\":\"NORMAL\",\"has_model\":true,\"stock_info_v2\":{}}]}}",
        &res);
  ASSERT_EQ(res.status, OC_REJECTED);
  return 0;
}

static TEST_IMPL(parse_refresh_token) {
  oc_result res;

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"access_token\":\"new_access_0123\",\"refresh_token\":"
        "\"new_refresh_4567\",\"expire_in\":14400,\"request_id\":\"rq\","
        "\"error\":\"\",\"message\":\"\",\"partner_id\":123456,"
        "\"shop_id\":654321}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.access_token, "new_access_0123");
  ASSERT_STR_EQ(res.refresh_token, "new_refresh_4567");
  ASSERT_EQ(res.access_expires_at, 14400); /* seconds; the core adds now */
  ASSERT_EQ(res.refresh_expires_at, 0);
  ASSERT_STR_EQ(res.request_id, "rq");

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"error\":\"error_param\",\"message\":\"refresh token invalid\"}", &res);
  ASSERT_EQ(res.status, OC_REJECTED);
  ASSERT_STR_EQ(res.access_token, "");
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"error\":\"\",\"access_token\":\"a_long_token\",\"expire_in\":1}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "unexpected response: field refresh_token is missing");
  return 0;
}

/* The exchange answers like the refresh; a used or unknown code is
 * invalid_code (OC_AUTH), and the code never appears in the error. */
static TEST_IMPL(parse_token_exchange) {
  oc_result res;

  parse(OC_OP_TOKEN_EXCHANGE, 200,
        "{\"access_token\":\"first_access_0123\",\"refresh_token\":"
        "\"first_refresh_4567\",\"expire_in\":14400,\"request_id\":\"rq2\","
        "\"error\":\"\",\"message\":\"\"}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.access_token, "first_access_0123");
  ASSERT_STR_EQ(res.refresh_token, "first_refresh_4567");
  ASSERT_EQ(res.access_expires_at, 14400);
  ASSERT_EQ(res.refresh_expires_at, 0);
  ASSERT_EQ(oc_expiry_to_unix(res.access_expires_at, 1710000000), 1710014400);

  parse(OC_OP_TOKEN_EXCHANGE, 403,
        "{\"error\":\"invalid_code\",\"message\":\"Invalid code "
        "auth_code_value_42.\",\"request_id\":\"rq3\"}",
        &res);
  ASSERT_EQ(res.status, OC_AUTH);
  ASSERT_STR_EQ(res.access_token, "");
  ASSERT_STR_EQ(res.error, "invalid_code: Invalid code ***.");
  return 0;
}

static TEST_IMPL(parse_batch_ok_and_empty_response) {
  oc_result res;

  parse(OC_OP_SET_STOCK, 200,
        "{\"error\":\"\",\"message\":\"\",\"request_id\":\"s\",\"response\":"
        "{\"failure_list\":[],\"success_list\":[{\"model_id\":0,"
        "\"stock\":25}]}}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  parse(OC_OP_UPDATE, 200, "{\"error\":\"\",\"message\":\"\",\"request_id\":\"u\"}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  /* Neither error nor response: not an answer. */
  parse(OC_OP_UPDATE, 200, "{\"request_id\":\"u\"}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "unexpected response: field response is missing");
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
    oc_result res;

    snprintf(body, sizeof body,
             "{\"error\":\"%s\",\"message\":\"Something: détail\","
             "\"request_id\":\"rid-%zu\"}",
             cases[i].code, i);
    parse(OC_OP_SET_PRICE, 200, body, &res);
    if (res.status != cases[i].status)
      fprintf(stderr, "code %s\n", cases[i].code);
    ASSERT_EQ(res.status, cases[i].status);
    ASSERT_EQ(res.retry_after_ms, cases[i].retry_after_ms);
    snprintf(want, sizeof want, "%s: Something: détail", cases[i].code);
    ASSERT_STR_EQ(res.error, want);
    snprintf(want, sizeof want, "rid-%zu", i);
    ASSERT_STR_EQ(res.request_id, want);
  }
  return 0;
}

static TEST_IMPL(parse_failure_list) {
  oc_result res;

  parse(OC_OP_DELIST, 200,
        "{\"error\":\"\",\"message\":\"\",\"request_id\":\"f\",\"response\":"
        "{\"failure_list\":[{\"item_id\":2300069665,\"failed_reason\":"
        "\"Can't unlist item when item is under promotion\"}],"
        "\"success_list\":[]}}",
        &res);
  ASSERT_EQ(res.status, OC_REJECTED);
  ASSERT_STR_EQ(res.error,
                "failure_list: Can't unlist item when item is under promotion");
  ASSERT_STR_EQ(res.request_id, "f");
  /* A failure for another item is not ours. */
  parse(OC_OP_RELIST, 200,
        "{\"error\":\"\",\"response\":{\"failure_list\":[{\"item_id\":42,"
        "\"failed_reason\":\"nope\"}],\"success_list\":[{\"item_id\":"
        "2300069665,\"unlist\":false}]}}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  /* update_stock lists models of our one item. */
  parse(OC_OP_SET_STOCK, 200,
        "{\"error\":\"\",\"response\":{\"failure_list\":[{\"model_id\":0,"
        "\"failed_reason\":\"stock must be >= reserved stock\"}]}}",
        &res);
  ASSERT_EQ(res.status, OC_REJECTED);
  ASSERT_STR_EQ(res.error, "failure_list: stock must be >= reserved stock");
  parse(OC_OP_SET_PRICE, 200,
        "{\"error\":\"\",\"response\":{\"failure_list\":[{\"model_id\":0}]}}",
        &res);
  ASSERT_EQ(res.status, OC_REJECTED);
  ASSERT_STR_EQ(res.error, "failure_list: (no reason given)");
  return 0;
}

static TEST_IMPL(parse_malformed_truncated) {
  oc_result res;

  parse(OC_OP_SET_STOCK, 200, "{\"error\":\"\",\"response\":{\"failure_list\":[",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT(starts_with(res.error, "malformed response: malformed JSON at byte "));
  parse(OC_OP_PUBLISH, 200, "<html>502 Bad Gateway</html>", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "malformed response: malformed JSON at byte 0");
  parse(OC_OP_PUBLISH, 200, "[1,2]", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "malformed response: not a JSON object");
  parse(OC_OP_PUBLISH, 200, "", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "malformed response: empty body");
  parse(OC_OP_PUBLISH, 200, NULL, &res);
  ASSERT_EQ(res.status, OC_RETRY);
  return 0;
}

static TEST_IMPL(parse_oversized) {
  size_t n = OC_MAX_RESPONSE + 1;
  char *body = malloc(n);
  oc_shop s = shop_fixture();
  oc_result res;

  ASSERT_NOT_NULL(body);
  memset(body, ' ', n);
  memcpy(body, "{\"error\":\"\"}", 12); /* valid JSON, too long */
  conn()->parse(OC_OP_SET_STOCK, &s, NULL, 200, body, n, &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error,
                "malformed response: body of 1048577 bytes exceeds the "
                "1048576-byte limit");
  conn()->parse(OC_OP_SET_STOCK, &s, NULL, 200, body, n - 1, &res);
  ASSERT_EQ(res.status, OC_OK); /* exactly at the limit is fine */
  free(body);
  return 0;
}

static TEST_IMPL(parse_deep_nesting) {
  char *body = malloc(2100);
  oc_shop s = shop_fixture();
  oc_result res;
  size_t n = 0;
  int i;

  ASSERT_NOT_NULL(body);
  n += (size_t)sprintf(body, "{\"error\":\"\",\"response\":");
  for (i = 0; i < 1000; i++)
    body[n++] = '[';
  for (i = 0; i < 1000; i++)
    body[n++] = ']';
  body[n++] = '}';
  conn()->parse(OC_OP_PUBLISH, &s, NULL, 200, body, n, &res);
  ASSERT_EQ(res.status, OC_RETRY);
  /* "{" is level 1 and the 23-byte prefix ends at byte 22: level 33 is the
   * 32nd "[", at byte 23 + 31. */
  ASSERT_STR_EQ(res.error,
                "malformed response: JSON nested deeper than 32 levels at byte 54");
  free(body);
  return 0;
}

static TEST_IMPL(parse_wrong_types) {
  oc_result res;

  parse(OC_OP_PUBLISH, 200, "{\"error\":\"\",\"response\":{\"item_id\":\"800\"}}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error,
                "unexpected response: field response.item_id is not a number");
  parse(OC_OP_PUBLISH, 200, "{\"error\":0,\"response\":{\"item_id\":800}}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "unexpected response: field error is not a string");
  parse(OC_OP_PUBLISH, 200, "{\"error\":\"\",\"response\":[1]}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "unexpected response: field response is not an object");
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"error\":\"\",\"access_token\":12345678,\"refresh_token\":\"r\","
        "\"expire_in\":14400}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "unexpected response: field access_token is not a string");
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"error\":\"\",\"access_token\":\"a\",\"refresh_token\":\"r\","
        "\"expire_in\":\"14400\"}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "unexpected response: field expire_in is not a number");
  parse(OC_OP_GET_LISTING, 200, ITEM("NORMAL", "\"75000\"", "25"), &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "unexpected response: field "
                           "price_info[0].original_price is not a number");
  parse(OC_OP_GET_LISTING, 200, ITEM("NORMAL", "75000", "2.5"), &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error,
                "unexpected response: field "
                "stock_info_v2.summary_info.total_available_stock is not an "
                "integer in range");
  parse(OC_OP_GET_LISTING, 200,
        "{\"error\":\"\",\"response\":{\"item_list\":[{\"item_id\":2300069665,"
        "\"item_status\":1}]}}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "unexpected response: field item_status is not a string");
  ASSERT_EQ(res.active, 0);
  return 0;
}

static TEST_IMPL(parse_http_status) {
  oc_result res;

  parse(OC_OP_SET_STOCK, 0, NULL, &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "no response");
  parse(OC_OP_SET_STOCK, 429, "", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_EQ(res.retry_after_ms, 1000);
  ASSERT_STR_EQ(res.error, "HTTP 429");
  parse(OC_OP_SET_STOCK, 429,
        "{\"error\":\"error_rate_limit\",\"message\":\"too many\","
        "\"request_id\":\"z\"}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_EQ(res.retry_after_ms, 1000);
  ASSERT_STR_EQ(res.error, "HTTP 429: error_rate_limit: too many");
  ASSERT_STR_EQ(res.request_id, "z");
  parse(OC_OP_SET_STOCK, 429, "{\"error\":\"\",\"message\":\"\"}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_EQ(res.retry_after_ms, 1000);
  ASSERT_STR_EQ(res.error, "HTTP 429");
  parse(OC_OP_SET_STOCK, 429, "{\"error\":\"error_limit\",\"message\":\"q\"}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_EQ(res.retry_after_ms, 3600000); /* the longer wait wins */
  ASSERT_STR_EQ(res.error, "HTTP 429: error_limit: q");
  parse(OC_OP_SET_STOCK, 200, "{\"error\":\"error_sign\"}", &res);
  ASSERT_EQ(res.status, OC_REJECTED);
  ASSERT_STR_EQ(res.error, "error_sign"); /* no message: no dangling colon */
  parse(OC_OP_SET_STOCK, 503, "<html>Service Unavailable</html>", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_EQ(res.retry_after_ms, 0);
  ASSERT_STR_EQ(res.error, "HTTP 503");
  parse(OC_OP_SET_STOCK, 500, "{\"error\":\"error_param\",\"message\":\"m\"}", &res);
  ASSERT_EQ(res.status, OC_RETRY); /* 5xx is transient whatever the body */
  parse(OC_OP_SET_STOCK, 403,
        "{\"error\":\"error_auth\",\"message\":\"Invalid access_token.\"}", &res);
  ASSERT_EQ(res.status, OC_AUTH);
  ASSERT_STR_EQ(res.error, "error_auth: Invalid access_token.");
  parse(OC_OP_GET_LISTING, 404, "not found", &res);
  ASSERT_EQ(res.status, OC_REJECTED);
  ASSERT_STR_EQ(res.error, "HTTP 404");
  parse(OC_OP_GET_LISTING, 400, "{\"error\":\"\",\"message\":\"\"}", &res);
  ASSERT_EQ(res.status, OC_REJECTED);
  ASSERT_STR_EQ(res.error, "HTTP 400");
  return 0;
}

/* An echoed credential never reaches result.error; long text is cut on a
 * UTF-8 boundary. */
static TEST_IMPL(parse_error_text_scrubbed_and_truncated) {
  char body[2048], *p;
  oc_result res;
  int i;

  parse(OC_OP_SET_STOCK, 200,
        "{\"error\":\"error_param\",\"message\":\"bad access_token token_value "
        "for key test_partner_key, refresh refresh_value_xyz\"}",
        &res);
  ASSERT_EQ(res.status, OC_REJECTED);
  ASSERT_STR_EQ(res.error, "error_param: bad access_token *** for key ***, "
                           "refresh ***");
  strcpy(body, "{\"error\":\"error_param\",\"message\":\"");
  p = body + strlen(body);
  for (i = 0; i < 300; i++, p += 3)
    memcpy(p, "ệ", 3); /* 3 bytes each */
  strcpy(p, "\"}");
  parse(OC_OP_SET_STOCK, 200, body, &res);
  ASSERT_EQ(res.status, OC_REJECTED);
  ASSERT(strlen(res.error) < sizeof res.error);
  ASSERT(strlen(res.error) > 240);
  ASSERT(ocu_utf8_valid(res.error, strlen(res.error)));
  ASSERT(starts_with(res.error, "error_param: ệệ"));
  return 0;
}

/* parse() must clear a result that held an earlier answer. */
static TEST_IMPL(parse_resets_result) {
  oc_result res;

  memset(&res, 0x7f, sizeof res);
  parse(OC_OP_SET_STOCK, 200, "{\"error\":\"\",\"response\":{}}", &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_EQ(res.retry_after_ms, 0);
  ASSERT_STR_EQ(res.error, "");
  ASSERT_STR_EQ(res.request_id, "");
  ASSERT_STR_EQ(res.item_id, "");
  ASSERT_STR_EQ(res.access_token, "");
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
    TEST_ENTRY(parse_oversized),
    TEST_ENTRY(parse_deep_nesting),
    TEST_ENTRY(parse_wrong_types),
    TEST_ENTRY(parse_http_status),
    TEST_ENTRY(parse_error_text_scrubbed_and_truncated),
    TEST_ENTRY(parse_resets_result),
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return run_tests(tests, argc, argv); }
