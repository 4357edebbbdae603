/*
 * test_lazada.c — unit tests for connectors/lazada.c.
 *
 * The connector is included so that its static helpers (lz_base_string,
 * lz_sign, lz_title, lz_description, lz_decimal) can be tested directly;
 * ocutil.c is linked separately. Expected signatures are the literals of
 * shared/spec/signing-vectors.md §2 (L1..L6). Signatures of built requests
 * are checked against a canonical string rebuilt here, independently, from
 * the decoded query and form body.
 */
#include "runner.h"

#include "../../connectors/lazada.c"

#include <inttypes.h>

/* ---- fixtures --------------------------------------------------------------- */

#define SECRET "lazada_secret_value"
#define TOKEN "access_token_value"
#define REFRESH "refresh_token_value"
#define CODE "0_123456_auth_code_value"
#define NOW_MS 1710000000123LL
#define NOW_TEXT "1710000000123"
#define BASE "http://127.0.0.1:8089"

static const oc_kv opts_full[] = {
    {"category_id", "10002019"},
    {"image_url", "https://vn-live.slatic.net/p/abc.jpg"},
    {"category.I.3.c", "10002777"},
    {"auth_url", "http://127.0.0.1:8090"},
};

static oc_shop shop_fixture(void) {
  oc_shop s;

  memset(&s, 0, sizeof s);
  s.base_url = BASE;
  s.app_key = "123456";
  s.app_secret = SECRET;
  s.shop_id = "200001";
  s.access_token = TOKEN;
  s.refresh_token = REFRESH;
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

static int starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ---- an independent form/query decoder and signer ----------------------------- */

#define MAXKV 16

typedef struct kvlist {
  char *key[MAXKV];
  char *val[MAXKV];
  int n;
} kvlist;

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* Percent-decodes s[0..n) into a malloc'd string; every byte outside the
 * unreserved set must have been encoded (aborts otherwise). */
static char *pct_decode(const char *s, size_t n) {
  char *out = malloc(n + 1);
  size_t i, o = 0;

  ASSERT_NOT_NULL(out);
  for (i = 0; i < n; i++) {
    char c = s[i];

    if (c == '%') {
      int hi, lo;

      ASSERT(i + 2 < n);
      hi = hexval(s[i + 1]);
      lo = hexval(s[i + 2]);
      ASSERT(hi >= 0 && lo >= 0);
      out[o++] = (char)(hi * 16 + lo);
      i += 2;
    } else {
      ASSERT((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
             (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
             c == '~');
      out[o++] = c;
    }
  }
  out[o] = '\0';
  return out;
}

/* Appends the pairs of "k=v&k=v" to kv. */
static void parse_pairs(const char *s, kvlist *kv) {
  while (*s) {
    const char *amp = strchr(s, '&'), *eq;
    size_t n = amp ? (size_t)(amp - s) : strlen(s);

    eq = memchr(s, '=', n);
    ASSERT_NOT_NULL(eq);
    ASSERT(kv->n < MAXKV);
    kv->key[kv->n] = pct_decode(s, (size_t)(eq - s));
    kv->val[kv->n] = pct_decode(eq + 1, n - (size_t)(eq - s) - 1);
    kv->n++;
    s += n;
    if (*s == '&')
      s++;
  }
}

static void kv_free(kvlist *kv) {
  int i;

  for (i = 0; i < kv->n; i++) {
    free(kv->key[i]);
    free(kv->val[i]);
  }
  kv->n = 0;
}

static const char *kv_get(const kvlist *kv, const char *key) {
  int i;
  const char *found = NULL;

  for (i = 0; i < kv->n; i++)
    if (strcmp(kv->key[i], key) == 0) {
      ASSERT_NULL(found); /* no key twice */
      found = kv->val[i];
    }
  return found;
}

/* The keys, sorted and joined with ',', e.g. "a,b,c". */
static void kv_keys(const kvlist *kv, char *out, size_t outlen) {
  const char *k[MAXKV];
  int i, j, n = kv->n;

  for (i = 0; i < n; i++)
    k[i] = kv->key[i];
  for (i = 1; i < n; i++) /* bubble: independent of the connector's sort */
    for (j = n - 1; j >= i; j--)
      if (strcmp(k[j - 1], k[j]) > 0) {
        const char *t = k[j];

        k[j] = k[j - 1];
        k[j - 1] = t;
      }
  out[0] = '\0';
  for (i = 0; i < n; i++) {
    if (i)
      strncat(out, ",", outlen - strlen(out) - 1);
    strncat(out, k[i], outlen - strlen(out) - 1);
  }
}

/* The expected sign over every pair of q and b (but sign), computed here. */
static void expected_sign(const char *api, const kvlist *q, const kvlist *b,
                          char out[65]) {
  const char *k[2 * MAXKV], *v[2 * MAXKV];
  int i, j, n = 0;
  ocu_buf buf = OCU_BUF_INIT;
  char *msg;

  for (i = 0; i < q->n; i++)
    if (strcmp(q->key[i], "sign") != 0)
      k[n] = q->key[i], v[n++] = q->val[i];
  for (i = 0; b != NULL && i < b->n; i++)
    k[n] = b->key[i], v[n++] = b->val[i];
  for (i = 1; i < n; i++)
    for (j = n - 1; j >= i; j--)
      if (strcmp(k[j - 1], k[j]) > 0) {
        const char *t = k[j], *u = v[j];

        k[j] = k[j - 1], v[j] = v[j - 1];
        k[j - 1] = t, v[j - 1] = u;
      }
  ocu_buf_puts(&buf, api);
  for (i = 0; i < n; i++) {
    ASSERT(v[i][0] != '\0'); /* empty parameters are never sent */
    ocu_buf_puts(&buf, k[i]);
    ocu_buf_puts(&buf, v[i]);
  }
  msg = ocu_buf_detach(&buf);
  ASSERT_NOT_NULL(msg);
  ASSERT_EQ(ocu_hmac_sha256_hex(SECRET, strlen(SECRET), msg, strlen(msg),
                                OCU_HEX_UPPER, out),
            0);
  free(msg);
}

typedef struct built {
  oc_request r;
  kvlist q, b;
  cJSON *payload; /* the JSON business parameter, parsed */
} built;

/*
 * Builds op and checks what every call shares: method, URL path, log_url,
 * the system query parameters (with or without access_token), the set of
 * query keys and of body keys, and that the sign verifies.
 */
static void build_ok(oc_op op, const oc_shop *s, const oc_listing *l,
                     const char *host, const char *method, const char *api,
                     const char *query_keys, const char *body_keys,
                     const char *json_key, built *out) {
  char err[256], want[256], keys[256], sign[65];
  const char *qs;

  memset(out, 0, sizeof *out);
  ASSERT_EQ(conn()->build(op, s, l, NOW_MS, &out->r, err, sizeof err), 0);
  ASSERT_STR_EQ(err, "");
  ASSERT_STR_EQ(out->r.method, method);
  snprintf(want, sizeof want, "%s/rest%s", host, api);
  ASSERT_STR_EQ(out->r.log_url, want);
  strncat(want, "?", sizeof want - strlen(want) - 1);
  ASSERT(starts_with(out->r.url, want));
  qs = out->r.url + strlen(want);
  parse_pairs(qs, &out->q);
  kv_keys(&out->q, keys, sizeof keys);
  ASSERT_STR_EQ(keys, query_keys);
  ASSERT_STR_EQ(kv_get(&out->q, "app_key"), "123456");
  ASSERT_STR_EQ(kv_get(&out->q, "timestamp"), NOW_TEXT);
  ASSERT_STR_EQ(kv_get(&out->q, "sign_method"), "sha256");
  if (strcmp(method, "POST") == 0) {
    ASSERT_NOT_NULL(out->r.body);
    ASSERT_EQ(out->r.body_len, strlen(out->r.body));
    ASSERT_EQ(out->r.nheaders, 1);
    ASSERT_STR_EQ(out->r.headers[0],
                  "Content-Type: application/x-www-form-urlencoded");
    parse_pairs(out->r.body, &out->b);
    kv_keys(&out->b, keys, sizeof keys);
    ASSERT_STR_EQ(keys, body_keys);
  } else {
    ASSERT_NULL(out->r.body);
    ASSERT_EQ(out->r.body_len, 0);
    ASSERT_EQ(out->r.nheaders, 0);
    ASSERT_STR_EQ("", body_keys);
  }
  expected_sign(api, &out->q, &out->b, sign);
  ASSERT_STR_EQ(kv_get(&out->q, "sign"), sign);
  if (json_key != NULL) {
    const char *v = kv_get(strcmp(method, "POST") == 0 ? &out->b : &out->q,
                           json_key);

    ASSERT_NOT_NULL(v);
    out->payload = cJSON_Parse(v);
    ASSERT_NOT_NULL(out->payload);
  }
}

static void built_free(built *b) {
  oc_request_free(&b->r);
  kv_free(&b->q);
  kv_free(&b->b);
  cJSON_Delete(b->payload);
}

#define SELLER_Q "access_token,app_key,sign,sign_method,timestamp"

/* Follows a path of object keys; "[0]" steps into an array's first entry. */
static const cJSON *jpath(const cJSON *o, const char *path) {
  char buf[256], *tok, *save = NULL;

  ocu_strlcpy(buf, path, sizeof buf);
  for (tok = strtok_r(buf, ".", &save); tok != NULL;
       tok = strtok_r(NULL, ".", &save)) {
    if (strcmp(tok, "[0]") == 0) {
      ASSERT(cJSON_IsArray(o));
      ASSERT_EQ(cJSON_GetArraySize(o), 1);
      o = cJSON_GetArrayItem(o, 0);
    } else {
      ASSERT(cJSON_IsObject(o));
      o = cJSON_GetObjectItemCaseSensitive(o, tok);
    }
    if (o == NULL) {
      fprintf(stderr, "no %s in path %s\n", tok, path);
      ASSERT(0);
    }
  }
  return o;
}

static const char *jstr(const cJSON *o, const char *path) {
  const cJSON *it = jpath(o, path);

  if (!cJSON_IsString(it)) {
    fprintf(stderr, "%s is not a string\n", path);
    ASSERT(0);
  }
  return it->valuestring;
}

static int jhas(const cJSON *o, const char *key) {
  return cJSON_GetObjectItemCaseSensitive(o, key) != NULL;
}

static void parse(oc_op op, long status, const char *body, oc_result *res) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();

  conn()->parse(op, &s, &l, status, body, strlen(body), res);
}

/* ---- signing vectors (signing-vectors.md §2) ------------------------------------ */

static void vector(const char *api, const lz_param *p, size_t n,
                   const char *base, const char *sign) {
  char *got = lz_base_string(api, p, n);
  char out[65];

  ASSERT_STR_EQ(got, base);
  free(got);
  ASSERT_EQ(lz_sign("helloworld", api, p, n, out), 0);
  ASSERT_STR_EQ(out, sign);
}

static TEST_IMPL(sign_l1_get_order) {
  /* Deliberately unsorted input. */
  const lz_param p[] = {{"timestamp", "1517820392000", 0},
                        {"order_id", "1234", 0},
                        {"sign_method", "sha256", 0},
                        {"app_key", "123456", 0},
                        {"access_token", "test", 0},
                        {"sign", "IGNORED", 0}};

  vector("/order/get", p, 6,
         "/order/getaccess_tokentestapp_key123456order_id1234sign_methodsha256"
         "timestamp1517820392000",
         "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1FFD5FAB4A");
  return 0;
}

static TEST_IMPL(sign_l2_bytewise_sort) {
  const lz_param p[] = {{"foobar", "4", 0},
                        {"foo_bar", "3", 0},
                        {"bar", "2", 0},
                        {"foo", "1", 0}};
  const lz_param q[] = {{"foo", "1", 0},
                        {"foobar", "4", 0},
                        {"bar", "2", 0},
                        {"foo_bar", "3", 0}};

  vector("/test/api", p, 4, "/test/apibar2foo1foo_bar3foobar4",
         "BD011266EC150C787B2201495AA2D6F326BB6910DE77E84EA28F5215DCD7FA5E");
  vector("/test/api", q, 4, "/test/apibar2foo1foo_bar3foobar4",
         "BD011266EC150C787B2201495AA2D6F326BB6910DE77E84EA28F5215DCD7FA5E");
  return 0;
}

static TEST_IMPL(sign_l3_raw_xml_payload) {
  const lz_param p[] = {
      {"payload",
       "<Request><Product><Skus><Sku><SellerSku>OCOP-HN-001</SellerSku>"
       "<Quantity>25</Quantity><Price>150000</Price></Sku></Skus></Product>"
       "</Request>",
       1},
      {"app_key", "123456", 0},
      {"access_token", "test", 0},
      {"timestamp", "1517820392000", 0},
      {"sign_method", "sha256", 0}};

  vector("/product/price_quantity/update", p, 5,
         "/product/price_quantity/updateaccess_tokentestapp_key123456payload"
         "<Request><Product><Skus><Sku><SellerSku>OCOP-HN-001</SellerSku>"
         "<Quantity>25</Quantity><Price>150000</Price></Sku></Skus></Product>"
         "</Request>sign_methodsha256timestamp1517820392000",
         "93D784061DBEFE9567454D9D9FB8E94D012099B3B2F55ACE161464829BBD0846");
  return 0;
}

static TEST_IMPL(sign_l4_empty_parameter_skipped) {
  const lz_param p[] = {{"app_key", "123456", 0},
                        {"access_token", "test", 0},
                        {"timestamp", "1517820392000", 0},
                        {"sign_method", "sha256", 0},
                        {"created_after", "2024-01-01T00:00:00+07:00", 0},
                        {"status", "", 0},
                        {"limit", "100", 0},
                        {"offset", "0", 0}};
  ocu_buf b = OCU_BUF_INIT;
  char *s;

  vector("/orders/get", p, 8,
         "/orders/getaccess_tokentestapp_key123456created_after2024-01-01T00:"
         "00:00+07:00limit100offset0sign_methodsha256timestamp1517820392000",
         "0F26079C2E1E43644C09A1E3F89BCE62B76F36CB8EED09EBC96B3DEAE8205EA9");
  /* ...and not sent either. */
  lz_serialise(&b, p, 8, 0, 1);
  s = ocu_buf_detach(&b);
  ASSERT_STR_EQ(s, "app_key=123456&access_token=test&timestamp=1517820392000&"
                   "sign_method=sha256&created_after=2024-01-01T00%3A00%3A00%"
                   "2B07%3A00&limit=100&offset=0");
  free(s);
  return 0;
}

static TEST_IMPL(sign_l5_token_create) {
  const lz_param p[] = {{"code", "0_123456_abcdef", 1},
                        {"app_key", "123456", 0},
                        {"timestamp", "1517820392000", 0},
                        {"sign_method", "sha256", 0}};

  vector("/auth/token/create", p, 4,
         "/auth/token/createapp_key123456code0_123456_abcdefsign_methodsha256"
         "timestamp1517820392000",
         "D66FC390F0AC6B0B79A1686AD9A4DEF0403E70D17E975E5177B6E97E2CAB3E8E");
  return 0;
}

static TEST_IMPL(sign_l6_push_hmac_layer) {
  const char *msg =
      "123456{\"seller_id\":\"1234567\",\"message_type\":0,\"data\":{\"order_"
      "status\":\"unpaid\",\"status_update_time\":1603698638,\"trade_order_"
      "id\":\"260422900198363\",\"trade_order_line_id\":\"260422900298363\"},"
      "\"timestamp\":1603766859530,\"site\":\"lazada_vn\"}";
  char out[65];

  ASSERT_EQ(ocu_hmac_sha256_hex("helloworld", 10, msg, strlen(msg),
                                OCU_HEX_LOWER, out),
            0);
  ASSERT_STR_EQ(out,
                "54aaf6d28340b3249187f3b13863262aa46da3982ea8eae2c7db5f3e1140da3c");
  return 0;
}

static TEST_IMPL(sign_negative_cases) {
  /* L1 with seconds instead of milliseconds; L4 signing the empty status. */
  const lz_param p[] = {{"app_key", "123456", 0},
                        {"access_token", "test", 0},
                        {"timestamp", "1517820392", 0},
                        {"sign_method", "sha256", 0},
                        {"order_id", "1234", 0}};
  char out[65];
  const char *l4 =
      "/orders/getaccess_tokentestapp_key123456created_after2024-01-01T00:00:"
      "00+07:00limit100offset0sign_methodsha256statustimestamp1517820392000";

  ASSERT_EQ(lz_sign("helloworld", "/order/get", p, 5, out), 0);
  ASSERT(strcmp(out, "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1"
                     "FFD5FAB4A") != 0);
  ASSERT_EQ(ocu_hmac_sha256_hex("helloworld", 10, l4, strlen(l4),
                                OCU_HEX_UPPER, out),
            0);
  ASSERT(strcmp(out, "0F26079C2E1E43644C09A1E3F89BCE62B76F36CB8EED09EBC96B3DE"
                     "AE8205EA9") != 0);
  /* The "/rest" prefix is never signed. */
  ASSERT_EQ(lz_sign("helloworld", "/rest/order/get", p, 5, out), 0);
  ASSERT(strcmp(out, "4190D32361CFB9581350222F345CB77F3B19F0E31D162316848A2C1"
                     "FFD5FAB4A") != 0);
  return 0;
}

/* ---- build ---------------------------------------------------------------------- */

static TEST_IMPL(entry_point) {
  const oc_connector *c = conn();

  ASSERT_EQ(c->abi, OC_ABI_VERSION);
  ASSERT_STR_EQ(c->name, "lazada");
  ASSERT_EQ(c->caps,
            OC_CAP(OC_OP_PUBLISH) | OC_CAP(OC_OP_UPDATE) |
                OC_CAP(OC_OP_SET_STOCK) | OC_CAP(OC_OP_SET_PRICE) |
                OC_CAP(OC_OP_DELIST) | OC_CAP(OC_OP_RELIST) |
                OC_CAP(OC_OP_LOOKUP_SKU) | OC_CAP(OC_OP_GET_LISTING) |
                OC_CAP(OC_OP_REFRESH_TOKEN) | OC_CAP(OC_OP_AUTH_LINK) |
                OC_CAP(OC_OP_TOKEN_EXCHANGE) | OC_CAP_STRIP);
  ASSERT_NOT_NULL(c->build);
  ASSERT_NOT_NULL(c->parse);
  return 0;
}

static TEST_IMPL(build_publish) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  const cJSON *p, *sku, *img;
  built b;

  build_ok(OC_OP_PUBLISH, &s, &l, BASE, "POST", "/product/create", SELLER_Q,
           "payload", "payload", &b);
  ASSERT_STR_EQ(kv_get(&b.q, "access_token"), TOKEN);
  p = jpath(b.payload, "Request.Product");
  /* category.I.3.c wins over category_id */
  ASSERT_STR_EQ(jstr(p, "PrimaryCategory"), "10002777");
  img = jpath(p, "Images.Image");
  ASSERT(cJSON_IsArray(img));
  ASSERT_EQ(cJSON_GetArraySize(img), 1);
  ASSERT_STR_EQ(cJSON_GetArrayItem(img, 0)->valuestring,
                "https://vn-live.slatic.net/p/abc.jpg");
  ASSERT_STR_EQ(jstr(p, "Attributes.name"),
                "Trà xanh Thái Nguyên - OCOP 4 sao");
  ASSERT_STR_EQ(jstr(p, "Attributes.description"),
                "Sản phẩm OCOP 4 sao (quyết định 3981/QĐ-UBND).\n"
                "Trà búp khô, gói 200 g.");
  ASSERT_STR_EQ(jstr(p, "Attributes.brand"), "No Brand");
  sku = jpath(p, "Skus.Sku.[0]");
  ASSERT_STR_EQ(jstr(sku, "SellerSku"), "HN-TRA-001");
  ASSERT_STR_EQ(jstr(sku, "quantity"), "25");
  ASSERT_STR_EQ(jstr(sku, "price"), "75000");
  ASSERT_STR_EQ(jstr(sku, "package_weight"), "0.25");
  ASSERT_STR_EQ(jstr(sku, "package_length"), "10");
  ASSERT_STR_EQ(jstr(sku, "package_width"), "10");
  ASSERT_STR_EQ(jstr(sku, "package_height"), "10");
  /* The payload is sent compact and in the contract's key order. */
  ASSERT(starts_with(kv_get(&b.b, "payload"),
                     "{\"Request\":{\"Product\":{\"PrimaryCategory\":"));
  ASSERT_NULL(strstr(kv_get(&b.b, "payload"), ".0\""));
  built_free(&b);

  /* Big whole-dong amounts: strings, digit for digit, no exponent. */
  l.price_vnd = 123456789012LL;
  l.stock = 0;
  l.weight_g = 1000;
  l.category = "X.9";
  build_ok(OC_OP_PUBLISH, &s, &l, BASE, "POST", "/product/create", SELLER_Q,
           "payload", "payload", &b);
  p = jpath(b.payload, "Request.Product");
  ASSERT_STR_EQ(jstr(p, "PrimaryCategory"), "10002019");
  sku = jpath(p, "Skus.Sku.[0]");
  ASSERT_STR_EQ(jstr(sku, "price"), "123456789012");
  ASSERT_STR_EQ(jstr(sku, "quantity"), "0");
  ASSERT_STR_EQ(jstr(sku, "package_weight"), "1");
  built_free(&b);
  return 0;
}

static TEST_IMPL(build_publish_images_list) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  const oc_kv o[] = {{"category_id", "10002019"},
                     {"image_url", " https://a.slatic.net/1.jpg , "
                                   "https://a.slatic.net/2.jpg,"}};
  const cJSON *img;
  built b;

  s.opts = o;
  s.nopts = 2;
  build_ok(OC_OP_PUBLISH, &s, &l, BASE, "POST", "/product/create", SELLER_Q,
           "payload", "payload", &b);
  img = jpath(b.payload, "Request.Product.Images.Image");
  ASSERT_EQ(cJSON_GetArraySize(img), 2);
  ASSERT_STR_EQ(cJSON_GetArrayItem(img, 0)->valuestring,
                "https://a.slatic.net/1.jpg");
  ASSERT_STR_EQ(cJSON_GetArrayItem(img, 1)->valuestring,
                "https://a.slatic.net/2.jpg");
  built_free(&b);
  return 0;
}

static void build_fails(oc_op op, const oc_shop *s, const oc_listing *l,
                        const char *want_in_err) {
  oc_request r;
  char err[256];

  memset(&r, 0x5a, sizeof r);
  ASSERT_EQ(conn()->build(op, s, l, NOW_MS, &r, err, sizeof err), -1);
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

static TEST_IMPL(build_publish_missing_options) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  const oc_kv no_cat[] = {{"image_url", "https://a.slatic.net/1.jpg"}};
  const oc_kv no_img[] = {{"category_id", "10002019"}};
  const oc_kv bad_cat[] = {{"category_id", "12x"},
                           {"image_url", "https://a.slatic.net/1.jpg"}};
  const oc_kv bad_img[] = {{"category_id", "1"}, {"image_url", "ftp://x/y"}};
  const oc_kv sp_img[] = {{"category_id", "1"},
                          {"image_url", "https://a b/y.jpg"}};
  const oc_kv many[] = {{"category_id", "1"},
                        {"image_url", "http://a/1,http://a/2,http://a/3,"
                                      "http://a/4,http://a/5,http://a/6,"
                                      "http://a/7,http://a/8,http://a/9"}};

  s.opts = no_cat, s.nopts = 1;
  build_fails(OC_OP_PUBLISH, &s, &l, "\"category_id\" is not set (nor "
                                     "\"category.I.3.c\")");
  s.opts = no_img, s.nopts = 1;
  build_fails(OC_OP_PUBLISH, &s, &l, "\"image_url\" is not set");
  s.opts = bad_cat, s.nopts = 2;
  build_fails(OC_OP_PUBLISH, &s, &l, "\"category_id\" is not a numeric id");
  s.opts = bad_img, s.nopts = 2;
  build_fails(OC_OP_PUBLISH, &s, &l, "invalid URL");
  s.opts = sp_img, s.nopts = 2;
  build_fails(OC_OP_PUBLISH, &s, &l, "invalid URL");
  s.opts = many, s.nopts = 2;
  build_fails(OC_OP_PUBLISH, &s, &l, "more than 8");
  s = shop_fixture();
  l.weight_g = 0;
  build_fails(OC_OP_PUBLISH, &s, &l, "weight unknown");
  l.weight_g = -5;
  build_fails(OC_OP_PUBLISH, &s, &l, "weight must be positive");
  return 0;
}

static TEST_IMPL(build_update_with_claims) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  const cJSON *p;
  built b;

  l.stars = 5;
  build_ok(OC_OP_UPDATE, &s, &l, BASE, "POST", "/product/update", SELLER_Q,
           "payload", "payload", &b);
  p = jpath(b.payload, "Request.Product");
  ASSERT_STR_EQ(jstr(p, "ItemId"), "2300069665");
  ASSERT_STR_EQ(jstr(p, "Attributes.name"),
                "Trà xanh Thái Nguyên - OCOP 5 sao");
  ASSERT_STR_EQ(jstr(p, "Attributes.description"),
                "Sản phẩm OCOP 5 sao (quyết định 3981/QĐ-UBND).\n"
                "Trà búp khô, gói 200 g.");
  ASSERT_STR_EQ(jstr(p, "Skus.Sku.[0].SellerSku"), "HN-TRA-001");
  ASSERT(!jhas(jpath(p, "Skus.Sku.[0]"), "price"));
  ASSERT(!jhas(p, "PrimaryCategory"));
  built_free(&b);
  return 0;
}

static TEST_IMPL(build_update_strip) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  const cJSON *p;
  built b;

  l.stars = 0;
  l.certificate_no = NULL;
  build_ok(OC_OP_UPDATE, &s, &l, BASE, "POST", "/product/update", SELLER_Q,
           "payload", "payload", &b);
  p = jpath(b.payload, "Request.Product");
  ASSERT_STR_EQ(jstr(p, "Attributes.name"), "Trà xanh Thái Nguyên");
  ASSERT_STR_EQ(jstr(p, "Attributes.description"), "Trà búp khô, gói 200 g.");
  ASSERT_NULL(strstr(kv_get(&b.b, "payload"), "OCOP"));
  built_free(&b);
  /* stars outside 0, 3..5 and a claim without a certificate are refused */
  l.stars = 2;
  build_fails(OC_OP_UPDATE, &s, &l, "stars");
  l.stars = 3;
  build_fails(OC_OP_UPDATE, &s, &l, "certificate_no");
  l.certificate_no = "1/QĐ";
  l.name = "Trà ocop";
  build_fails(OC_OP_UPDATE, &s, &l, "mentions OCOP");
  return 0;
}

static TEST_IMPL(build_set_stock_and_price) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  const cJSON *sku;
  built b;

  l.stock = 1234567;
  build_ok(OC_OP_SET_STOCK, &s, &l, BASE, "POST",
           "/product/price_quantity/update", SELLER_Q, "payload", "payload",
           &b);
  sku = jpath(b.payload, "Request.Product.Skus.Sku.[0]");
  ASSERT_STR_EQ(jstr(sku, "ItemId"), "2300069665");
  ASSERT_STR_EQ(jstr(sku, "SellerSku"), "HN-TRA-001");
  ASSERT_STR_EQ(jstr(sku, "Quantity"), "1234567");
  ASSERT(!jhas(sku, "Price"));
  ASSERT_EQ(cJSON_GetArraySize(sku), 3);
  built_free(&b);

  l.price_vnd = 150000;
  build_ok(OC_OP_SET_PRICE, &s, &l, BASE, "POST",
           "/product/price_quantity/update", SELLER_Q, "payload", "payload",
           &b);
  sku = jpath(b.payload, "Request.Product.Skus.Sku.[0]");
  ASSERT_STR_EQ(jstr(sku, "Price"), "150000");
  ASSERT(!jhas(sku, "Quantity"));
  ASSERT_EQ(cJSON_GetArraySize(sku), 3);
  ASSERT_STR_EQ(kv_get(&b.b, "payload"),
                "{\"Request\":{\"Product\":{\"Skus\":{\"Sku\":[{\"ItemId\":"
                "\"2300069665\",\"SellerSku\":\"HN-TRA-001\",\"Price\":"
                "\"150000\"}]}}}}");
  built_free(&b);

  l.stock = -1;
  build_fails(OC_OP_SET_STOCK, &s, &l, "stock must be >= 0");
  l.price_vnd = -1;
  build_fails(OC_OP_SET_PRICE, &s, &l, "price must be >= 0");
  l.item_id = NULL;
  build_fails(OC_OP_SET_STOCK, &s, &l, "not published");
  l.item_id = "12a";
  build_fails(OC_OP_SET_STOCK, &s, &l, "not a numeric");
  return 0;
}

static TEST_IMPL(build_delist_relist) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  built b;

  build_ok(OC_OP_DELIST, &s, &l, BASE, "POST", "/product/deactivate",
           SELLER_Q, "apiRequestBody", "apiRequestBody", &b);
  ASSERT_STR_EQ(kv_get(&b.b, "apiRequestBody"),
                "{\"Request\":{\"Product\":{\"ItemId\":\"2300069665\",\"Skus\":"
                "{\"SellerSku\":[\"HN-TRA-001\"]}}}}");
  built_free(&b);

  build_ok(OC_OP_RELIST, &s, &l, BASE, "POST", "/product/update", SELLER_Q,
           "payload", "payload", &b);
  ASSERT_STR_EQ(kv_get(&b.b, "payload"),
                "{\"Request\":{\"Product\":{\"ItemId\":\"2300069665\",\"Skus\":"
                "{\"Sku\":[{\"SellerSku\":\"HN-TRA-001\",\"Status\":\"active\""
                "}]}}}}");
  built_free(&b);
  return 0;
}

static TEST_IMPL(build_lookup_sku) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  built b;

  l.item_id = NULL; /* not needed */
  l.sku = "HN \"TRA\"&001";
  build_ok(OC_OP_LOOKUP_SKU, &s, &l, BASE, "GET", "/products/get",
           "access_token,app_key,filter,limit,offset,sign,sign_method,"
           "sku_seller_list,timestamp",
           "", "sku_seller_list", &b);
  ASSERT_STR_EQ(kv_get(&b.q, "filter"), "all");
  ASSERT_STR_EQ(kv_get(&b.q, "offset"), "0");
  ASSERT_STR_EQ(kv_get(&b.q, "limit"), "10");
  ASSERT_STR_EQ(kv_get(&b.q, "sku_seller_list"), "[\"HN \\\"TRA\\\"&001\"]");
  ASSERT(cJSON_IsArray(b.payload));
  ASSERT_STR_EQ(cJSON_GetArrayItem(b.payload, 0)->valuestring, l.sku);
  built_free(&b);
  return 0;
}

static TEST_IMPL(build_get_listing) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  built b;

  build_ok(OC_OP_GET_LISTING, &s, &l, BASE, "GET", "/product/item/get",
           "access_token,app_key,item_id,sign,sign_method,timestamp", "", NULL,
           &b);
  ASSERT_STR_EQ(kv_get(&b.q, "item_id"), "2300069665");
  built_free(&b);
  return 0;
}

static TEST_IMPL(build_refresh_token) {
  oc_shop s = shop_fixture();
  const oc_kv none[] = {{"category_id", "1"}};
  built b;

  /* auth_url option: the token host; no access_token; token in the body. */
  build_ok(OC_OP_REFRESH_TOKEN, &s, NULL, "http://127.0.0.1:8090", "POST",
           "/auth/token/refresh", "app_key,sign,sign_method,timestamp",
           "refresh_token", NULL, &b);
  ASSERT_STR_EQ(kv_get(&b.b, "refresh_token"), REFRESH);
  ASSERT_NULL(strstr(b.r.url, REFRESH));
  ASSERT_NULL(strstr(b.r.url, TOKEN));
  built_free(&b);

  /* default auth host; base_url is not needed for the token call */
  s.opts = none;
  s.nopts = 1;
  s.base_url = NULL;
  s.access_token = NULL;
  build_ok(OC_OP_REFRESH_TOKEN, &s, NULL, "https://auth.lazada.com", "POST",
           "/auth/token/refresh", "app_key,sign,sign_method,timestamp",
           "refresh_token", NULL, &b);
  built_free(&b);

  s.refresh_token = "";
  build_fails(OC_OP_REFRESH_TOKEN, &s, NULL, "refresh_token is not set");
  return 0;
}

/* §3.2 step 1: a plain link on the auth host, nothing signed or secret. */
static TEST_IMPL(build_auth_link) {
  oc_shop s = shop_fixture();
  const oc_kv none[] = {{"category_id", "1"}};
  oc_request r;
  char err[256];

  s.access_token = NULL;
  s.redirect_url = "https://example.com/cb?x=1";
  ASSERT_EQ(conn()->build(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.method, "GET");
  ASSERT_STR_EQ(r.url, "http://127.0.0.1:8090/oauth/authorize?response_type=code"
                       "&force_auth=true&redirect_uri=https%3A%2F%2Fexample.com%2Fcb%3Fx%3D1"
                       "&client_id=123456");
  ASSERT_STR_EQ(r.log_url, "http://127.0.0.1:8090/oauth/authorize");
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 0);
  ASSERT_NULL(strstr(r.url, SECRET));
  oc_request_free(&r);

  s.opts = none; /* default auth host */
  s.nopts = 1;
  ASSERT_EQ(conn()->build(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), 0);
  ASSERT(starts_with(r.url, "https://auth.lazada.com/oauth/authorize?response_type=code&"));
  oc_request_free(&r);

  s.redirect_url = NULL;
  build_fails(OC_OP_AUTH_LINK, &s, NULL, "redirect URL");
  s.redirect_url = "example.com/cb";
  build_fails(OC_OP_AUTH_LINK, &s, NULL, "redirect URL");
  return 0;
}

/* §3.2 step 3: /auth/token/create with the code, signed, no access_token. */
static TEST_IMPL(build_token_exchange) {
  oc_shop s = shop_fixture();
  built b;

  s.access_token = NULL;
  s.refresh_token = NULL;
  s.auth_code = CODE;
  build_ok(OC_OP_TOKEN_EXCHANGE, &s, NULL, "http://127.0.0.1:8090", "POST",
           "/auth/token/create", "app_key,sign,sign_method,timestamp", "code", NULL, &b);
  ASSERT_STR_EQ(kv_get(&b.b, "code"), CODE);
  ASSERT_NULL(strstr(b.r.url, CODE));
  ASSERT_NULL(strstr(b.r.url, SECRET));
  ASSERT_NULL(strstr(b.r.url, "access_token"));
  built_free(&b);

  s.auth_code = "";
  build_fails(OC_OP_TOKEN_EXCHANGE, &s, NULL, "auth_code is not set");
  return 0;
}

static TEST_IMPL(build_bad_input) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  const oc_kv bad_auth[] = {{"auth_url", "https://auth.lazada.com/rest"}};
  oc_request r;
  char err[256];

  ASSERT_EQ(conn()->build(OC_OP_MAX, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT(strstr(err, "not supported") != NULL);
  ASSERT_EQ(conn()->build((oc_op)0, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  build_fails(OC_OP_GET_LISTING, NULL, &l, "shop is missing");
  build_fails(OC_OP_GET_LISTING, &s, NULL, "listing is missing");
  s.base_url = "http://127.0.0.1:8089/";
  build_fails(OC_OP_GET_LISTING, &s, &l, "base_url");
  s.base_url = "http://127.0.0.1:8089/rest";
  build_fails(OC_OP_GET_LISTING, &s, &l, "base_url");
  s = shop_fixture();
  s.access_token = "";
  build_fails(OC_OP_GET_LISTING, &s, &l, "access_token is not set");
  s = shop_fixture();
  s.app_secret = NULL;
  build_fails(OC_OP_GET_LISTING, &s, &l, "app_secret is not set");
  s = shop_fixture();
  s.app_key = "12 34";
  build_fails(OC_OP_GET_LISTING, &s, &l, "app_key");
  s = shop_fixture();
  s.opts = bad_auth;
  s.nopts = 1;
  build_fails(OC_OP_REFRESH_TOKEN, &s, NULL, "auth_url");
  s = shop_fixture();
  l.sku = "";
  build_fails(OC_OP_LOOKUP_SKU, &s, &l, "sku is empty");
  l = listing_fixture();
  l.name = "Tr\xc3";
  build_fails(OC_OP_UPDATE, &s, &l, "not valid UTF-8");
  l = listing_fixture();
  ASSERT_EQ(conn()->build(OC_OP_GET_LISTING, &s, &l, -1, &r, err, sizeof err),
            -1);
  ASSERT_EQ(conn()->build(OC_OP_GET_LISTING, &s, &l, NOW_MS, NULL, err,
                          sizeof err),
            -1);
  return 0;
}

static TEST_IMPL(log_url_has_no_secrets) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_op ops[] = {OC_OP_PUBLISH, OC_OP_UPDATE,      OC_OP_SET_STOCK,
                 OC_OP_SET_PRICE, OC_OP_DELIST,    OC_OP_RELIST,
                 OC_OP_LOOKUP_SKU, OC_OP_GET_LISTING, OC_OP_REFRESH_TOKEN};
  size_t i;

  for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    oc_request r;
    char err[256];

    ASSERT_EQ(conn()->build(ops[i], &s, &l, NOW_MS, &r, err, sizeof err), 0);
    ASSERT_NULL(strchr(r.log_url, '?'));
    ASSERT_NULL(strstr(r.log_url, TOKEN));
    ASSERT_NULL(strstr(r.log_url, REFRESH));
    ASSERT_NULL(strstr(r.log_url, SECRET));
    ASSERT_NULL(strstr(r.log_url, "sign"));
    ASSERT_NULL(strstr(r.url, SECRET));
    if (r.body)
      ASSERT_NULL(strstr(r.body, SECRET));
    ASSERT(strstr(r.url, "&sign=") != NULL);
    oc_request_free(&r);
  }
  return 0;
}

static TEST_IMPL(timestamp_once_in_ms) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  built b;

  build_ok(OC_OP_GET_LISTING, &s, &l, BASE, "GET", "/product/item/get",
           "access_token,app_key,item_id,sign,sign_method,timestamp", "", NULL,
           &b);
  /* milliseconds, not seconds: 13 digits */
  ASSERT_EQ(strlen(kv_get(&b.q, "timestamp")), 13);
  built_free(&b);
  return 0;
}

/* ---- titles ---------------------------------------------------------------------- */

static TEST_IMPL(title_claims_and_plain) {
  oc_listing l = listing_fixture();
  char *t;

  t = ocu_claim_title(&l, LZ_TITLE_MAX_CP);
  ASSERT_STR_EQ(t, "Trà xanh Thái Nguyên - OCOP 4 sao");
  free(t);
  l.stars = 3;
  t = ocu_claim_description(&l);
  ASSERT_STR_EQ(t, "Sản phẩm OCOP 3 sao (quyết định 3981/QĐ-UBND).\n"
                   "Trà búp khô, gói 200 g.");
  free(t);
  l.stars = 0;
  t = ocu_claim_title(&l, LZ_TITLE_MAX_CP);
  ASSERT_STR_EQ(t, "Trà xanh Thái Nguyên");
  free(t);
  t = ocu_claim_description(&l);
  ASSERT_STR_EQ(t, "Trà búp khô, gói 200 g.");
  free(t);
  return 0;
}

static TEST_IMPL(title_trim_by_code_points) {
  oc_listing l = listing_fixture();
  char name[1200];
  char *t;
  size_t i;

  /* 300 x "ả" (3 bytes each): 900 bytes, 300 code points. */
  name[0] = '\0';
  for (i = 0; i < 300; i++)
    strcat(name, "\xe1\xba\xa3");
  l.name = name;
  t = ocu_claim_title(&l, LZ_TITLE_MAX_CP);
  ASSERT_EQ(ocu_utf8_count(t), 255);
  ASSERT(ocu_utf8_valid(t, strlen(t)));
  ASSERT_EQ(strlen(t), (255 - 13) * 3 + 13);
  ASSERT(strcmp(t + strlen(t) - 13, " - OCOP 4 sao") == 0);
  free(t);
  l.stars = 0;
  t = ocu_claim_title(&l, LZ_TITLE_MAX_CP);
  ASSERT_EQ(ocu_utf8_count(t), 255);
  ASSERT_EQ(strlen(t), 255 * 3);
  free(t);

  /* exactly at the limit: kept whole */
  l.stars = 5;
  memset(name, 'a', 242);
  name[242] = '\0';
  t = ocu_claim_title(&l, LZ_TITLE_MAX_CP);
  ASSERT_EQ(strlen(t), 255);
  ASSERT(strncmp(t, name, 242) == 0);
  free(t);
  /* one over: trimmed, trailing spaces dropped */
  memset(name, 'a', 243);
  name[240] = ' ';
  name[241] = ' ';
  name[243] = '\0';
  t = ocu_claim_title(&l, LZ_TITLE_MAX_CP);
  ASSERT_STR_EQ(t + 240, " - OCOP 5 sao");
  free(t);

  /* decomposed accent at the cut: base letter goes with it */
  memset(name, 'a', 241);
  name[241] = 'e';
  memcpy(name + 242, "\xcc\x81xyz", 6);
  t = ocu_claim_title(&l, LZ_TITLE_MAX_CP);
  ASSERT_EQ(strlen(t), 241 + 13);
  free(t);
  return 0;
}

/* ---- parse ----------------------------------------------------------------------- */

static TEST_IMPL(parse_publish_ok) {
  oc_result res;

  parse(OC_OP_PUBLISH, 200,
        "{\"code\":\"0\",\"request_id\":\"0ba2887315178178017221014\","
        "\"data\":{\"item_id\":3123456789,\"sku_list\":[{\"seller_sku\":"
        "\"HN-TRA-001\",\"sku_id\":5123456789,\"shop_sku\":\"3123_VNAMZ\"}]}}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "3123456789");
  ASSERT_STR_EQ(res.request_id, "0ba2887315178178017221014");
  ASSERT_STR_EQ(res.error, "");
  return 0;
}

static TEST_IMPL(parse_big_ids) {
  oc_result res;

  parse(OC_OP_PUBLISH, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":9007199254740991}}", &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "9007199254740991");
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":9007199254740993}}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT(starts_with(res.error, "malformed response: "));
  ASSERT(strstr(res.error, "2^53") != NULL);
  ASSERT_STR_EQ(res.item_id, "");
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":-5}}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":12.5}}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"products\":[{\"item_id\":"
        "18446744073709551615,\"skus\":[{\"SellerSku\":\"HN-TRA-001\"}]}]}}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT(strstr(res.error, "2^53") != NULL);
  return 0;
}

static TEST_IMPL(parse_writes_ok) {
  oc_op ops[] = {OC_OP_UPDATE, OC_OP_SET_STOCK, OC_OP_SET_PRICE, OC_OP_DELIST,
                 OC_OP_RELIST};
  size_t i;
  oc_result res;

  for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    parse(ops[i], 200, "{\"code\":\"0\",\"request_id\":\"r1\",\"data\":{}}",
          &res);
    ASSERT_EQ(res.status, OC_OK);
    ASSERT_STR_EQ(res.request_id, "r1");
    parse(ops[i], 200, "{\"code\":\"0\",\"request_id\":\"r2\"}", &res);
    ASSERT_EQ(res.status, OC_OK);
  }
  return 0;
}

static TEST_IMPL(parse_lookup_sku) {
  oc_result res;

  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"total_products\":2,\"products\":["
        "{\"item_id\":111,\"status\":\"active\",\"skus\":[{\"SellerSku\":"
        "\"OTHER\",\"SkuId\":1}]},"
        "{\"item_id\":222,\"status\":\"active\",\"skus\":[{\"SellerSku\":"
        "\"HN-TRA-001\",\"SkuId\":2,\"quantity\":3,\"price\":75000,"
        "\"Status\":\"active\"}],\"attributes\":{\"name\":\"x\"}}]}}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "222");

  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"total_products\":0,\"products\":[]}}",
        &res);
  ASSERT_EQ(res.status, OC_NOT_FOUND);
  parse(OC_OP_LOOKUP_SKU, 200, "{\"code\":\"0\",\"data\":{}}", &res);
  ASSERT_EQ(res.status, OC_NOT_FOUND);
  /* only another SKU, or ours deleted: not ours */
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"products\":[{\"item_id\":111,\"skus\":"
        "[{\"SellerSku\":\"OTHER\"}]},{\"item_id\":5,\"status\":\"deleted\","
        "\"skus\":[{\"SellerSku\":\"HN-TRA-001\"}]}]}}",
        &res);
  ASSERT_EQ(res.status, OC_NOT_FOUND);
  ASSERT_STR_EQ(res.item_id, "");
  /* wrong shapes */
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"products\":{}}}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT(starts_with(res.error, "malformed response: "));
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"products\":[{\"item_id\":1}]}}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"products\":[{\"item_id\":\"7\",\"skus\":"
        "[{\"SellerSku\":\"HN-TRA-001\"}]}]}}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  parse(OC_OP_LOOKUP_SKU, 200, "{\"code\":\"0\",\"data\":[]}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.error, "malformed response: field data is not an object");
  parse(OC_OP_LOOKUP_SKU, 200, "{\"code\":\"0\"}", &res);
  ASSERT_EQ(res.status, OC_RETRY);
  return 0;
}

static TEST_IMPL(parse_get_listing) {
  oc_result res;

  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"request_id\":\"q\",\"data\":{\"item_id\":"
        "2300069665,\"status\":\"active\",\"skus\":[{\"SellerSku\":"
        "\"HN-TRA-001\",\"quantity\":25,\"price\":75000.0,\"Status\":"
        "\"active\"}],\"attributes\":{\"name\":\"x\"}}}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "2300069665");
  ASSERT_EQ(res.active, 1);
  ASSERT_EQ(res.price_vnd, 75000);
  ASSERT_EQ(res.stock, 25);

  /* decimal strings; an inactive SKU */
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
        "\"active\",\"skus\":[{\"SellerSku\":\"X\",\"quantity\":1,\"price\":1},"
        "{\"SellerSku\":\"HN-TRA-001\",\"quantity\":\"7\",\"price\":"
        "\"150000.50\",\"Status\":\"inactive\"}]}}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_EQ(res.price_vnd, 150001);
  ASSERT_EQ(res.stock, 7);

  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
        "\"inactive\",\"skus\":[{\"SellerSku\":\"HN-TRA-001\",\"quantity\":0,"
        "\"price\":1299.49,\"Status\":\"active\"}]}}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_EQ(res.price_vnd, 1299);
  ASSERT_EQ(res.stock, 0);

  /* pending: read, not active, said in error */
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
        "\"pending\",\"skus\":[{\"SellerSku\":\"HN-TRA-001\",\"quantity\":1,"
        "\"price\":2}]}}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_STR_EQ(res.error, "item status pending");

  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
        "\"deleted\",\"skus\":[]}}",
        &res);
  ASSERT_EQ(res.status, OC_NOT_FOUND);
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
        "\"active\",\"skus\":[{\"SellerSku\":\"OTHER\",\"quantity\":1,"
        "\"price\":2}]}}",
        &res);
  ASSERT_EQ(res.status, OC_NOT_FOUND);
  /* another item than the one asked for */
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":1,\"status\":\"active\","
        "\"skus\":[{\"SellerSku\":\"HN-TRA-001\",\"quantity\":1,\"price\":2}]"
        "}}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  return 0;
}

/* Answers like the refresh; a refused code is a non-zero code: REJECTED
 * ([unverified] Lazada's exact code name), never OK, code scrubbed. */
static TEST_IMPL(parse_token_exchange) {
  oc_shop s = shop_fixture();
  const char *ok = "{\"code\":\"0\",\"access_token\":\"first_access\",\"refresh_token\":"
                   "\"first_refresh\",\"expires_in\":604800,\"refresh_expires_in\":"
                   "2592000,\"country\":\"vn\",\"request_id\":\"t9\"}";
  const char *bad = "{\"type\":\"ISV\",\"code\":\"InvalidCode\",\"message\":"
                    "\"invalid code 0_123456_auth_code_value\",\"request_id\":\"t10\"}";
  oc_result res;

  s.auth_code = CODE;
  conn()->parse(OC_OP_TOKEN_EXCHANGE, &s, NULL, 200, ok, strlen(ok), &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.access_token, "first_access");
  ASSERT_STR_EQ(res.refresh_token, "first_refresh");
  ASSERT_EQ(res.access_expires_at, 604800);
  ASSERT_EQ(res.refresh_expires_at, 2592000);
  ASSERT_EQ(oc_expiry_to_unix(res.refresh_expires_at, 1710000000), 1712592000);

  conn()->parse(OC_OP_TOKEN_EXCHANGE, &s, NULL, 200, bad, strlen(bad), &res);
  ASSERT(res.status == OC_REJECTED || res.status == OC_AUTH);
  ASSERT_STR_EQ(res.access_token, "");
  ASSERT_NULL(strstr(res.error, CODE));
  ASSERT(strstr(res.error, "InvalidCode") != NULL);
  return 0;
}

static TEST_IMPL(parse_refresh_token) {
  oc_result res;

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":\"new_access\",\"refresh_token\":"
        "\"new_refresh\",\"expires_in\":604800,\"refresh_expires_in\":"
        "1209600,\"account\":\"a@b\",\"request_id\":\"t1\"}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.access_token, "new_access");
  ASSERT_STR_EQ(res.refresh_token, "new_refresh");
  /* lifetimes in seconds: the core adds the request time */
  ASSERT_EQ(res.access_expires_at, 604800);
  ASSERT_EQ(res.refresh_expires_at, 1209600);
  ASSERT_STR_EQ(res.request_id, "t1");

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":\"a\",\"refresh_token\":\"r\","
        "\"expires_in\":10}",
        &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_EQ(res.refresh_expires_at, 0);

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":\"a\",\"refresh_token\":\"r\","
        "\"expires_in\":\"ten\"}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT_STR_EQ(res.access_token, "");
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":1,\"refresh_token\":\"r\","
        "\"expires_in\":10}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":\"\",\"refresh_token\":\"r\","
        "\"expires_in\":10}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":\"a\",\"refresh_token\":\"r\","
        "\"expires_in\":10,\"refresh_expires_in\":true}",
        &res);
  ASSERT_EQ(res.status, OC_RETRY);

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"type\":\"ISV\",\"code\":\"IllegalRefreshToken\",\"message\":"
        "\"The specified refresh token is invalid or expired\","
        "\"request_id\":\"t2\"}",
        &res);
  ASSERT_EQ(res.status, OC_AUTH);
  ASSERT_STR_EQ(res.error, "IllegalRefreshToken: The specified refresh token "
                           "is invalid or expired");
  ASSERT_STR_EQ(res.request_id, "t2");
  ASSERT_STR_EQ(res.access_token, "");
  return 0;
}

static void expect(oc_op op, long http, const char *body, oc_status st,
                   long min_wait, const char *error) {
  oc_result res;

  parse(op, http, body, &res);
  if (res.status != st) {
    fprintf(stderr, "body %s: status %d, want %d (%s)\n", body,
            (int)res.status, (int)st, res.error);
    ASSERT(0);
  }
  ASSERT(res.retry_after_ms >= min_wait);
  if (error != NULL)
    ASSERT_STR_EQ(res.error, error);
}

static TEST_IMPL(parse_error_classes) {
  oc_result res;

  expect(OC_OP_SET_STOCK, 200,
         "{\"type\":\"ISV\",\"code\":\"IllegalAccessToken\",\"message\":"
         "\"The specified access token is invalid or expired\","
         "\"request_id\":\"e1\"}",
         OC_AUTH, 0,
         "IllegalAccessToken: The specified access token is invalid or "
         "expired");
  expect(OC_OP_SET_STOCK, 200,
         "{\"type\":\"ISV\",\"code\":\"ApiCallLimit\",\"message\":\"too "
         "fast\",\"request_id\":\"e2\"}",
         OC_RETRY, 2000, "ApiCallLimit: too fast");
  expect(OC_OP_SET_STOCK, 429,
         "{\"type\":\"ISV\",\"code\":\"ApiCallLimit\",\"message\":\"x\"}",
         OC_RETRY, 2000, NULL);
  expect(OC_OP_SET_STOCK, 429,
         "{\"type\":\"ISV\",\"code\":\"InvalidParameter\",\"message\":\"x\"}",
         OC_RETRY, 2000, "HTTP 429: InvalidParameter: x");
  expect(OC_OP_SET_STOCK, 429, "Too Many Requests", OC_RETRY, 2000,
         "HTTP 429");
  expect(OC_OP_SET_STOCK, 503, "<html>busy</html>", OC_RETRY, 0, "HTTP 503");
  expect(OC_OP_SET_STOCK, 0, "", OC_RETRY, 0, "no response");
  expect(OC_OP_SET_STOCK, 500,
         "{\"type\":\"ISV\",\"code\":\"InvalidParameter\",\"message\":\"x\"}",
         OC_RETRY, 0, "HTTP 500: InvalidParameter: x");
  expect(OC_OP_SET_STOCK, 200,
         "{\"type\":\"ISP\",\"code\":\"ServiceUnavailable\",\"message\":"
         "\"backend\"}",
         OC_RETRY, 0, "ServiceUnavailable: backend");
  expect(OC_OP_SET_STOCK, 200,
         "{\"type\":\"ISV\",\"code\":\"500\",\"message\":\"internal\"}",
         OC_RETRY, 0, "500: internal");
  expect(OC_OP_UPDATE, 200, "{\"type\":\"ISV\",\"code\":\"501\"}", OC_RETRY, 0,
         "501");
  expect(OC_OP_GET_LISTING, 200,
         "{\"type\":\"ISV\",\"code\":\"E0401\",\"message\":\"product not "
         "found\"}",
         OC_NOT_FOUND, 0, "E0401: product not found");
  expect(OC_OP_GET_LISTING, 200,
         "{\"type\":\"ISV\",\"code\":\"ProductNotFound\"}", OC_NOT_FOUND, 0,
         NULL);
  expect(OC_OP_PUBLISH, 200,
         "{\"type\":\"ISV\",\"code\":\"IncompleteSignature\",\"message\":"
         "\"The request signature does not conform to platform standards\","
         "\"request_id\":\"e3\"}",
         OC_REJECTED, 0,
         "IncompleteSignature: The request signature does not conform to "
         "platform standards");
  expect(OC_OP_PUBLISH, 200,
         "{\"type\":\"ISV\",\"code\":\"MissingParameter\",\"message\":\"m\"}",
         OC_REJECTED, 0, "MissingParameter: m");
  expect(OC_OP_PUBLISH, 200,
         "{\"type\":\"ISV\",\"code\":\"InvalidParameter\",\"message\":\"p\"}",
         OC_REJECTED, 0, "InvalidParameter: p");
  expect(OC_OP_PUBLISH, 200,
         "{\"type\":\"ISV\",\"code\":\"InvalidTimestamp\",\"message\":\"t\"}",
         OC_REJECTED, 0, "InvalidTimestamp: t");
  expect(OC_OP_PUBLISH, 200,
         "{\"type\":\"SYSTEM\",\"code\":\"1001\",\"message\":\"not JSON\"}",
         OC_REJECTED, 0, "1001: not JSON");
  expect(OC_OP_SET_PRICE, 200,
         "{\"type\":\"ISV\",\"code\":\"InvalidParameter\",\"message\":"
         "\"Invalid SKU entries, see detail\",\"detail\":[{\"field\":\"Sku\","
         "\"message\":\"Price must be a positive whole number of dong\"},"
         "{\"field\":\"x\",\"message\":\"second\"}]}",
         OC_REJECTED, 0,
         "InvalidParameter: Invalid SKU entries, see detail (detail: Sku: "
         "Price must be a positive whole number of dong)");
  expect(OC_OP_SET_PRICE, 200,
         "{\"type\":\"ISV\",\"code\":\"500\",\"detail\":[{\"message\":"
         "\"campaign lock\"}]}",
         OC_RETRY, 0, "500 (detail: campaign lock)");
  expect(OC_OP_SET_PRICE, 200,
         "{\"type\":\"ISV\",\"code\":\"E0401\",\"detail\":{\"message\":1}}",
         OC_NOT_FOUND, 0, "E0401");
  expect(OC_OP_PUBLISH, 400, "bad", OC_REJECTED, 0, "HTTP 400");
  expect(OC_OP_PUBLISH, 403, "{\"code\":\"0\"}", OC_REJECTED, 0, "HTTP 403");

  /* request_id is copied on errors */
  parse(OC_OP_PUBLISH, 200,
        "{\"type\":\"ISV\",\"code\":\"IncompleteSignature\",\"message\":\"s\","
        "\"request_id\":\"0ba2887315178178017221014\"}",
        &res);
  ASSERT_STR_EQ(res.request_id, "0ba2887315178178017221014");
  return 0;
}

static TEST_IMPL(parse_malformed_truncated) {
  const char *bodies[] = {
      "{\"code\":\"0\",\"data\":{\"item_id\":1",
      "{\"code\":\"0\"",
      "not json",
      "",
      "[1,2]",
      "{\"code\":\"0\"} trailing",
      "\"str\"",
  };
  size_t i;
  oc_result res;

  for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
    parse(OC_OP_PUBLISH, 200, bodies[i], &res);
    ASSERT_EQ(res.status, OC_RETRY);
    if (!starts_with(res.error, "malformed response: ")) {
      fprintf(stderr, "%s -> %s\n", bodies[i], res.error);
      ASSERT(0);
    }
  }
  return 0;
}

static TEST_IMPL(parse_oversized) {
  size_t n = OC_MAX_RESPONSE + 10;
  char *big = malloc(n);
  oc_shop s = shop_fixture();
  oc_result res;

  ASSERT_NOT_NULL(big);
  memset(big, ' ', n);
  memcpy(big, "{\"code\":\"0\",\"data\":{\"item_id\":1}}", 34);
  conn()->parse(OC_OP_PUBLISH, &s, NULL, 200, big, n, &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT(starts_with(res.error, "malformed response: "));
  free(big);
  return 0;
}

static TEST_IMPL(parse_deep_nesting) {
  char body[4096];
  size_t i, o = 0;
  oc_result res;

  o += (size_t)sprintf(body, "{\"code\":\"0\",\"data\":");
  for (i = 0; i < 100; i++)
    body[o++] = '[';
  for (i = 0; i < 100; i++)
    body[o++] = ']';
  body[o++] = '}';
  body[o] = '\0';
  parse(OC_OP_PUBLISH, 200, body, &res);
  ASSERT_EQ(res.status, OC_RETRY);
  ASSERT(starts_with(res.error, "malformed response: "));
  return 0;
}

static TEST_IMPL(parse_wrong_types) {
  expect(OC_OP_PUBLISH, 200, "{\"code\":0,\"data\":{\"item_id\":1}}", OC_RETRY,
         0, "malformed response: field code is not a string");
  expect(OC_OP_PUBLISH, 200, "{\"data\":{\"item_id\":1}}", OC_RETRY, 0,
         "malformed response: field code is missing");
  expect(OC_OP_PUBLISH, 200, "{\"code\":\"0\",\"data\":{\"item_id\":\"1\"}}",
         OC_RETRY, 0, NULL);
  expect(OC_OP_PUBLISH, 200, "{\"code\":\"0\",\"data\":\"x\"}", OC_RETRY, 0,
         NULL);
  expect(OC_OP_PUBLISH, 200, "{\"code\":\"0\",\"data\":{}}", OC_RETRY, 0,
         "malformed response: field data.item_id is missing");
  expect(OC_OP_GET_LISTING, 200,
         "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":1,"
         "\"skus\":[]}}",
         OC_RETRY, 0, "malformed response: field data.status is not a string");
  expect(OC_OP_GET_LISTING, 200,
         "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
         "\"active\",\"skus\":{}}}",
         OC_RETRY, 0, NULL);
  expect(OC_OP_GET_LISTING, 200,
         "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
         "\"active\",\"skus\":[{\"SellerSku\":\"HN-TRA-001\",\"quantity\":"
         "true,\"price\":1}]}}",
         OC_RETRY, 0, NULL);
  expect(OC_OP_GET_LISTING, 200,
         "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
         "\"active\",\"skus\":[{\"SellerSku\":\"HN-TRA-001\",\"quantity\":1,"
         "\"price\":\"1,5\"}]}}",
         OC_RETRY, 0, NULL);
  expect(OC_OP_GET_LISTING, 200,
         "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
         "\"active\",\"skus\":[{\"SellerSku\":\"HN-TRA-001\",\"quantity\":-1,"
         "\"price\":1}]}}",
         OC_RETRY, 0, NULL);
  expect(OC_OP_GET_LISTING, 200,
         "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
         "\"active\",\"skus\":[{\"SellerSku\":\"HN-TRA-001\",\"quantity\":1.5,"
         "\"price\":1}]}}",
         OC_RETRY, 0, NULL);
  expect(OC_OP_GET_LISTING, 200,
         "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
         "\"active\",\"skus\":[{\"SellerSku\":7,\"quantity\":1,"
         "\"price\":1}]}}",
         OC_RETRY, 0, NULL);
  expect(OC_OP_GET_LISTING, 200,
         "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
         "\"active\",\"skus\":[{\"SellerSku\":\"HN-TRA-001\",\"quantity\":1,"
         "\"price\":1,\"Status\":[]}]}}",
         OC_RETRY, 0, NULL);
  expect(OC_OP_GET_LISTING, 200,
         "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
         "\"active\",\"skus\":[{\"SellerSku\":\"HN-TRA-001\",\"quantity\":1,"
         "\"price\":1e300}]}}",
         OC_RETRY, 0, NULL);
  return 0;
}

static TEST_IMPL(decimal_strings) {
  int64_t v = -1;

  ASSERT_EQ(lz_decimal("150000", &v), 0);
  ASSERT_EQ(v, 150000);
  ASSERT_EQ(lz_decimal("1299.00", &v), 0);
  ASSERT_EQ(v, 1299);
  ASSERT_EQ(lz_decimal("1299.5", &v), 0);
  ASSERT_EQ(v, 1300);
  ASSERT_EQ(lz_decimal("1299.49", &v), 0);
  ASSERT_EQ(v, 1299);
  ASSERT_EQ(lz_decimal("9007199254740991", &v), 0);
  ASSERT_EQ(lz_decimal("9007199254740992", &v), -1);
  ASSERT_EQ(lz_decimal("9007199254740991.5", &v), -1);
  ASSERT_EQ(lz_decimal("-1", &v), -1);
  ASSERT_EQ(lz_decimal("", &v), -1);
  ASSERT_EQ(lz_decimal("1.", &v), -1);
  ASSERT_EQ(lz_decimal(".5", &v), -1);
  ASSERT_EQ(lz_decimal("1e5", &v), -1);
  ASSERT_EQ(lz_decimal("1 ", &v), -1);
  return 0;
}

static TEST_IMPL(parse_error_text_scrubbed_and_truncated) {
  oc_result res;
  char body[2048];
  size_t i;

  snprintf(body, sizeof body,
           "{\"type\":\"ISV\",\"code\":\"InvalidParameter\",\"message\":"
           "\"bad %s and %s and %s\"}",
           TOKEN, SECRET, REFRESH);
  parse(OC_OP_PUBLISH, 200, body, &res);
  ASSERT_EQ(res.status, OC_REJECTED);
  ASSERT_NULL(strstr(res.error, TOKEN));
  ASSERT_NULL(strstr(res.error, SECRET));
  ASSERT_NULL(strstr(res.error, REFRESH));
  ASSERT_STR_EQ(res.error, "InvalidParameter: bad *** and *** and ***");

  /* a long message of 2-byte letters is cut at a code point */
  strcpy(body, "{\"code\":\"InvalidParameter\",\"message\":\"");
  for (i = 0; i < 400; i++)
    strcat(body, "\xc3\xa0");
  strcat(body, "\"}");
  parse(OC_OP_PUBLISH, 200, body, &res);
  ASSERT(strlen(res.error) < sizeof res.error);
  ASSERT(ocu_utf8_valid(res.error, strlen(res.error)));
  return 0;
}

static TEST_IMPL(parse_resets_result) {
  oc_result res;

  memset(&res, 0x7f, sizeof res);
  parse(OC_OP_SET_STOCK, 200, "{\"code\":\"0\"}", &res);
  ASSERT_EQ(res.status, OC_OK);
  ASSERT_STR_EQ(res.error, "");
  ASSERT_STR_EQ(res.item_id, "");
  ASSERT_STR_EQ(res.request_id, "");
  ASSERT_EQ(res.retry_after_ms, 0);
  ASSERT_EQ(res.access_expires_at, 0);
  return 0;
}

static const struct test_entry tests[] = {
    TEST_ENTRY(sign_l1_get_order),
    TEST_ENTRY(sign_l2_bytewise_sort),
    TEST_ENTRY(sign_l3_raw_xml_payload),
    TEST_ENTRY(sign_l4_empty_parameter_skipped),
    TEST_ENTRY(sign_l5_token_create),
    TEST_ENTRY(sign_l6_push_hmac_layer),
    TEST_ENTRY(sign_negative_cases),
    TEST_ENTRY(entry_point),
    TEST_ENTRY(build_publish),
    TEST_ENTRY(build_publish_images_list),
    TEST_ENTRY(build_publish_missing_options),
    TEST_ENTRY(build_update_with_claims),
    TEST_ENTRY(build_update_strip),
    TEST_ENTRY(build_set_stock_and_price),
    TEST_ENTRY(build_delist_relist),
    TEST_ENTRY(build_lookup_sku),
    TEST_ENTRY(build_get_listing),
    TEST_ENTRY(build_refresh_token),
    TEST_ENTRY(build_auth_link),
    TEST_ENTRY(build_token_exchange),
    TEST_ENTRY(build_bad_input),
    TEST_ENTRY(log_url_has_no_secrets),
    TEST_ENTRY(timestamp_once_in_ms),
    TEST_ENTRY(title_claims_and_plain),
    TEST_ENTRY(title_trim_by_code_points),
    TEST_ENTRY(parse_publish_ok),
    TEST_ENTRY(parse_big_ids),
    TEST_ENTRY(parse_writes_ok),
    TEST_ENTRY(parse_lookup_sku),
    TEST_ENTRY(parse_get_listing),
    TEST_ENTRY(parse_refresh_token),
    TEST_ENTRY(parse_token_exchange),
    TEST_ENTRY(parse_error_classes),
    TEST_ENTRY(parse_malformed_truncated),
    TEST_ENTRY(parse_oversized),
    TEST_ENTRY(parse_deep_nesting),
    TEST_ENTRY(parse_wrong_types),
    TEST_ENTRY(decimal_strings),
    TEST_ENTRY(parse_error_text_scrubbed_and_truncated),
    TEST_ENTRY(parse_resets_result),
    {NULL, NULL, 0},
};

int main(int argc, char **argv) { return run_tests(tests, argc, argv); }
