/*
 * test_lazada.c — unit tests for connectors/lazada/.
 *
 * The connector's files are linked in, so that its internal functions
 * (lz_base_string, lz_sign, lz_decimal, lz_iso_time, lz_parse_time; declared
 * in lazada.h) can be tested directly; the titles and descriptions are
 * common/claims.c. Expected signatures are the literals of
 * docs/marketplaces/lazada.md, "Signing" (L1..L6). Signatures of built requests
 * are checked against a canonical string rebuilt here, independently, from
 * the decoded query and form body. Order answers are read back with cJSON;
 * push signatures are vector L6 or an HMAC computed here.
 */
#include "runner.h"

/* Through the connector's internal header: lz_* functions are non-static
 * but not exported from the module (connectors/local.mk). */
#include "../../connectors/lazada/lazada.h"
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

#define SECRET "lazada_secret_value"
#define TOKEN "access_token_value"
#define REFRESH "refresh_token_value"
#define CODE "0_123456_auth_code_value"
#define NOW_MS 1710000000123LL
#define NOW_TEXT "1710000000123"
#define BASE "http://127.0.0.1:8089"

/* The shop options a connector still reads; category_id and image_url
 * are gone (the listing carries its content) and must change nothing. */
static const oc_kv opts_full[] = {
    {"category_id", "10002019"},
    {"image_url", "https://vn-live.slatic.net/p/abc.jpg"},
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

/* The fixture's variants: fv[0] is the single variant of a product
 * migrated from before variants (its SKU the product code, on the item
 * with its SkuId unknown); tests that need more fill fv[1..] and set
 * nvariants. Reset by every listing_fixture(). */
static oc_variant fv[6];

/* The fixture's content: two gallery images and a certificate scan, all
 * uploaded (Lazada URLs), and the category's attributes by key. */
static oc_image fimg[10];
static oc_attr fattr[4];

static void content_fixture(oc_listing *l) {
  memset(fimg, 0, sizeof fimg);
  fimg[0] = (oc_image){"9d06c8f1", "https://vn-live.slatic.net/p/9d06c8f1.jpg", 0};
  fimg[1] = (oc_image){"61bdf049", "https://vn-live-02.slatic.net/p/61bdf049.png", 0};
  fimg[2] = (oc_image){"77aa0001", "https://vn-live.slatic.net/p/77aa0001.jpg", 1};
  fattr[0] = (oc_attr){"country_of_origin", "Country of Origin", "9001", "Vietnam"};
  fattr[1] = (oc_attr){"shelf_life", "Shelf Life", "", "12 tháng"};
  l->category_id = "10001";
  l->brand_id = "30768";
  l->brand_name = "No Brand";
  l->attrs = fattr;
  l->nattrs = 2;
  l->images = fimg;
  l->nimages = 3;
}

static oc_listing listing_fixture(void) {
  oc_listing l;

  memset(&l, 0, sizeof l);
  memset(fv, 0, sizeof fv);
  fv[0].sku = "HN-TRA-001";
  fv[0].label = "";
  fv[0].price_vnd = 75000;
  fv[0].stock = 25;
  fv[0].weight_g = 250;
  fv[0].length_mm = 120;
  fv[0].width_mm = 80;
  fv[0].height_mm = 205;
  fv[0].remote_id = "";
  l.variants = fv;
  l.nvariants = 1;
  l.sku = "HN-TRA-001";
  l.name = "Trà xanh Thái Nguyên";
  l.description = "Trà búp khô, gói 200 g.";
  l.category = "I.3.c";
  l.unit = "gói";
  l.stars = 4;
  l.certificate_no = "3981/QĐ-UBND";
  l.item_id = "2300069665";
  content_fixture(&l);
  return l;
}

static const oc_connector *conn(void) { return OC_ENTRY(); }

/* parse(): the listing or the token parser, by the type of the result. */
#define parse(op, status, body, res)                                          \
  _Generic((res), oc_token_result *: parse_token, default: parse_listing)(   \
      op, status, body, res)

/* build_any(): build_listing or build_token, by the operation's family. */
#define build_any(...) ct_build_any(conn(), __VA_ARGS__)

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
static void check_built(const char *host, const char *method, const char *api,
                        const char *query_keys, const char *body_keys,
                        const char *json_key, built *out);

static void build_ok(oc_op op, const oc_shop *s, const oc_listing *l,
                     const char *host, const char *method, const char *api,
                     const char *query_keys, const char *body_keys,
                     const char *json_key, built *out) {
  char err[256];

  memset(out, 0, sizeof *out);
  ASSERT_EQ(build_any(op, s, l, NOW_MS, &out->r, err, sizeof err), 0);
  ASSERT_STR_EQ(err, "");
  check_built(host, method, api, query_keys, body_keys, json_key, out);
}

/* Checks a built request (out->r); fills out->q, out->b and out->payload. */
static void check_built(const char *host, const char *method, const char *api,
                        const char *query_keys, const char *body_keys,
                        const char *json_key, built *out) {
  char want[256], keys[256], sign[65];
  const char *qs;

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

static void parse_listing_of(oc_op op, const oc_listing *l, long status, const char *body,
                             oc_listing_result *res) {
  oc_shop s = shop_fixture();

  ASSERT(!oc_token_op(op)); /* tokens have their own result: parse_token */
  conn()->parse_listing(op, &s, l, status, body, strlen(body), res);
}

/* LOOKUP_SKU parses as a search by seller SKU (no item id) here; the read
 * of a known item is parse_lookup_item's. */
static void parse_listing(oc_op op, long status, const char *body, oc_listing_result *res) {
  oc_listing l = listing_fixture();

  if (op == OC_OP_LOOKUP_SKU)
    l.item_id = NULL;
  parse_listing_of(op, &l, status, body, res);
}

static void parse_token(oc_op op, long status, const char *body, oc_token_result *res) {
  oc_shop s = shop_fixture();

  conn()->parse_token(op, &s, status, body, strlen(body), res);
}

/* ---- signing vectors (lazada.md, "Signing") ------------------------------ */

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
                OC_CAP(OC_OP_TOKEN_EXCHANGE) | OC_CAP(OC_OP_LIST_ORDERS) |
                OC_CAP(OC_OP_VARIANTS) | OC_CAP(OC_OP_UPLOAD_IMAGE) |
                OC_CAP(OC_OP_CATEGORY) |
                OC_CAP(OC_OP_GET_ORDERS) | OC_CAP_STRIP);
  ASSERT_NOT_NULL(c->build_listing);
  ASSERT_NOT_NULL(c->parse_listing);
  ASSERT_NOT_NULL(c->build_token);
  ASSERT_NOT_NULL(c->parse_token);
  ASSERT_NULL(c->feed);
  ASSERT_EQ(c->order_window_s, 0); /* the offset cap is met with done_at */
  ASSERT_NOT_NULL(c->build_orders);
  ASSERT_NOT_NULL(c->parse_order_page);
  ASSERT_NOT_NULL(c->parse_order_batch);
  ASSERT_NOT_NULL(c->verify_push);
  ASSERT_NOT_NULL(c->build_upload);
  ASSERT_NOT_NULL(c->parse_upload);
  ASSERT_NOT_NULL(c->build_category);
  ASSERT_NOT_NULL(c->parse_category);
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
  /* The listing's leaf category; the old shop option changes nothing. */
  ASSERT_STR_EQ(jstr(p, "PrimaryCategory"), "10001");
  img = jpath(p, "Images.Image");
  ASSERT(cJSON_IsArray(img));
  ASSERT_EQ(cJSON_GetArraySize(img), 2); /* the gallery; no certificate */
  ASSERT_STR_EQ(cJSON_GetArrayItem(img, 0)->valuestring,
                "https://vn-live.slatic.net/p/9d06c8f1.jpg");
  ASSERT_STR_EQ(cJSON_GetArrayItem(img, 1)->valuestring,
                "https://vn-live-02.slatic.net/p/61bdf049.png");
  ASSERT_STR_EQ(jstr(p, "Attributes.name"),
                "Trà xanh Thái Nguyên - OCOP 4 sao");
  ASSERT_STR_EQ(jstr(p, "Attributes.description"),
                "Sản phẩm OCOP 4 sao (quyết định 3981/QĐ-UBND).\n"
                "Trà búp khô, gói 200 g.");
  ASSERT(!jhas(jpath(p, "Attributes"), "brand")); /* deprecated: brand_id */
  ASSERT_STR_EQ(jstr(p, "Attributes.brand_id"), "30768");
  ASSERT_STR_EQ(jstr(p, "Attributes.country_of_origin"), "Vietnam");
  ASSERT_STR_EQ(jstr(p, "Attributes.shelf_life"), "12 tháng");
  sku = jpath(p, "Skus.Sku.[0]");
  ASSERT_STR_EQ(jstr(sku, "SellerSku"), "HN-TRA-001");
  ASSERT_STR_EQ(jstr(sku, "quantity"), "25");
  ASSERT_STR_EQ(jstr(sku, "price"), "75000");
  ASSERT_STR_EQ(jstr(sku, "package_weight"), "0.25");
  ASSERT_STR_EQ(jstr(sku, "package_length"), "12");
  ASSERT_STR_EQ(jstr(sku, "package_width"), "8");
  ASSERT_STR_EQ(jstr(sku, "package_height"), "20.5");
  /* The payload, byte for byte: compact, in the key order of lazada.md,
   * "Endpoints". */
  ASSERT_STR_EQ(kv_get(&b.b, "payload"),
                "{\"Request\":{\"Product\":{\"PrimaryCategory\":\"10001\",\"Images\":{\"Image\":"
                "[\"https://vn-live.slatic.net/p/9d06c8f1.jpg\","
                "\"https://vn-live-02.slatic.net/p/61bdf049.png\"]},\"Attributes\":{\"name\":"
                "\"Trà xanh Thái Nguyên - OCOP 4 sao\",\"description\":\"Sản phẩm OCOP 4 sao "
                "(quyết định 3981/QĐ-UBND).\\nTrà búp khô, gói 200 g.\",\"brand_id\":\"30768\","
                "\"country_of_origin\":\"Vietnam\",\"shelf_life\":\"12 tháng\"},\"Skus\":{\"Sku\":"
                "[{\"SellerSku\":\"HN-TRA-001\",\"quantity\":\"25\",\"price\":\"75000\","
                "\"package_weight\":\"0.25\",\"package_length\":\"12\",\"package_width\":\"8\","
                "\"package_height\":\"20.5\"}]}}}}");
  built_free(&b);

  /* Big whole-dong amounts: strings, digit for digit, no exponent; a
   * weight in kg with at most two decimals, rounded up to 10 g. */
  fv[0].price_vnd = 123456789012LL;
  fv[0].stock = 0;
  fv[0].weight_g = 1000;
  build_ok(OC_OP_PUBLISH, &s, &l, BASE, "POST", "/product/create", SELLER_Q,
           "payload", "payload", &b);
  sku = jpath(b.payload, "Request.Product.Skus.Sku.[0]");
  ASSERT_STR_EQ(jstr(sku, "price"), "123456789012");
  ASSERT_STR_EQ(jstr(sku, "quantity"), "0");
  ASSERT_STR_EQ(jstr(sku, "package_weight"), "1");
  built_free(&b);
  {
    static const struct {
      int32_t g;
      const char *kg;
    } w[] = {{1005, "1.01"}, {5, "0.01"}, {1230, "1.23"}, {1100, "1.1"}, {20000, "20"}};
    size_t i;

    for (i = 0; i < sizeof w / sizeof w[0]; i++) {
      fv[0].weight_g = w[i].g;
      build_ok(OC_OP_PUBLISH, &s, &l, BASE, "POST", "/product/create", SELLER_Q, "payload",
               "payload", &b);
      ASSERT_STR_EQ(jstr(jpath(b.payload, "Request.Product.Skus.Sku.[0]"), "package_weight"),
                    w[i].kg);
      built_free(&b);
    }
  }
  return 0;
}

/* Up to 8 gallery images in order, certificate scans left out; a ninth
 * gallery image is not sent. */
static TEST_IMPL(build_publish_images_list) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  static char urls[10][64];
  const cJSON *img;
  built b;
  size_t i;

  for (i = 0; i < 9; i++) {
    snprintf(urls[i], sizeof urls[i], "https://vn-live.slatic.net/p/%zu.jpg", i);
    fimg[i] = (oc_image){"h", urls[i], i == 1};
  }
  l.nimages = 9;
  build_ok(OC_OP_PUBLISH, &s, &l, BASE, "POST", "/product/create", SELLER_Q,
           "payload", "payload", &b);
  img = jpath(b.payload, "Request.Product.Images.Image");
  ASSERT_EQ(cJSON_GetArraySize(img), 8);
  ASSERT_STR_EQ(cJSON_GetArrayItem(img, 0)->valuestring, urls[0]);
  ASSERT_STR_EQ(cJSON_GetArrayItem(img, 1)->valuestring, urls[2]);
  ASSERT_STR_EQ(cJSON_GetArrayItem(img, 7)->valuestring, urls[8]);
  built_free(&b);
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

/* What CreateProduct and UpdateProduct would refuse is refused at build,
 * with a message naming what is missing. */
static TEST_IMPL(build_publish_missing_options) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  oc_op ops[] = {OC_OP_PUBLISH, OC_OP_UPDATE};
  size_t k;

  for (k = 0; k < 2; k++) {
    oc_op op = ops[k];

    l = listing_fixture();
    fv[0].remote_id = "6000000001";
    l.category_id = NULL;
    build_fails(op, &s, &l, "Lazada requires a leaf category (PrimaryCategory); the listing "
                            "has none");
    l.category_id = "";
    build_fails(op, &s, &l, "requires a leaf category");
    l.category_id = "12x";
    build_fails(op, &s, &l, "category ids are numeric");
    l = listing_fixture();
    fv[0].remote_id = "6000000001";
    l.nimages = 0;
    build_fails(op, &s, &l, "Lazada requires at least one product image; the listing has none");
    l.nimages = 3;
    fimg[0].certificate = fimg[1].certificate = 1; /* certificates only */
    build_fails(op, &s, &l, "at least one product image");
    l = listing_fixture();
    fv[0].remote_id = "6000000001";
    fimg[1].url = "https://example.com/p/1.jpg";
    build_fails(op, &s, &l, "Lazada takes only images it hosts (uploaded with /image/upload); "
                            "image 2 of the listing has no Lazada URL");
    fimg[1].url = "";
    build_fails(op, &s, &l, "image 2");
    fimg[1].url = "https://vn-live.slatic.net.evil.com/p/1.jpg";
    build_fails(op, &s, &l, "image 2");
    fimg[1].url = "https://vn-live.slatic.net/p/a b.jpg";
    build_fails(op, &s, &l, "image 2");
    fimg[1].url = "ftp://vn-live.slatic.net/p/1.jpg";
    build_fails(op, &s, &l, "image 2");
    l = listing_fixture();
    fv[0].remote_id = "6000000001";
    l.brand_id = "";
    build_fails(op, &s, &l, "Lazada requires a brand (brand_id); the listing has none");
    l = listing_fixture();
    fv[0].remote_id = "6000000001";
    fattr[1].id = "";
    build_fails(op, &s, &l, "attribute 2 of the listing has no Lazada key");
    l = listing_fixture();
    fv[0].remote_id = "6000000001";
    fv[0].weight_g = 0;
    build_fails(op, &s, &l, "Lazada requires a package weight for every SKU; variant "
                            "HN-TRA-001 has none");
    fv[0].weight_g = 250;
    fv[0].height_mm = 0;
    build_fails(op, &s, &l, "Lazada requires package length, width and height for every SKU; "
                            "variant HN-TRA-001 lacks them");
  }
  return 0;
}

static TEST_IMPL(build_update_with_claims) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  const cJSON *p;
  built b;

  l.stars = 5;
  fv[0].remote_id = "6000000001";
  build_ok(OC_OP_UPDATE, &s, &l, BASE, "POST", "/product/update", SELLER_Q,
           "payload", "payload", &b);
  p = jpath(b.payload, "Request.Product");
  ASSERT_STR_EQ(jstr(p, "ItemId"), "2300069665");
  ASSERT_STR_EQ(jstr(p, "Attributes.name"),
                "Trà xanh Thái Nguyên - OCOP 5 sao");
  ASSERT_STR_EQ(jstr(p, "Attributes.description"),
                "Sản phẩm OCOP 5 sao (quyết định 3981/QĐ-UBND).\n"
                "Trà búp khô, gói 200 g.");
  /* SkuId, mandatory in UpdateProduct, for every SKU on the item. */
  ASSERT_STR_EQ(jstr(p, "Skus.Sku.[0].SkuId"), "6000000001");
  ASSERT_STR_EQ(jstr(p, "Skus.Sku.[0].SellerSku"), "HN-TRA-001");
  ASSERT(!jhas(jpath(p, "Skus.Sku.[0]"), "price"));
  ASSERT_STR_EQ(kv_get(&b.b, "payload"),
                "{\"Request\":{\"Product\":{\"ItemId\":\"2300069665\",\"PrimaryCategory\":"
                "\"10001\",\"Images\":{\"Image\":[\"https://vn-live.slatic.net/p/9d06c8f1.jpg\","
                "\"https://vn-live-02.slatic.net/p/61bdf049.png\"]},\"Attributes\":{\"name\":"
                "\"Trà xanh Thái Nguyên - OCOP 5 sao\",\"description\":\"Sản phẩm OCOP 5 sao "
                "(quyết định 3981/QĐ-UBND).\\nTrà búp khô, gói 200 g.\",\"brand_id\":\"30768\","
                "\"country_of_origin\":\"Vietnam\",\"shelf_life\":\"12 tháng\"},\"Skus\":{\"Sku\":"
                "[{\"SkuId\":\"6000000001\",\"SellerSku\":\"HN-TRA-001\",\"package_weight\":"
                "\"0.25\",\"package_length\":\"12\",\"package_width\":\"8\",\"package_height\":"
                "\"20.5\"}]}}}}");
  built_free(&b);
  /* A SKU whose SkuId is not known yet cannot be named: with none known,
   * UPDATE is refused. */
  fv[0].remote_id = "";
  build_fails(OC_OP_UPDATE, &s, &l, "Lazada's UpdateProduct needs each SKU's SkuId; no variant "
                                    "of the listing has a known SkuId yet");
  return 0;
}

static TEST_IMPL(build_update_strip) {
  oc_shop s = shop_fixture();
  oc_listing l = listing_fixture();
  const cJSON *p;
  built b;

  l.stars = 0;
  l.certificate_no = NULL;
  fv[0].remote_id = "6000000001";
  /* The core left out the image that shows the OCOP claim: the list sent
   * replaces the item's, so it goes. */
  fimg[0] = fimg[1];
  l.nimages = 1;
  build_ok(OC_OP_UPDATE, &s, &l, BASE, "POST", "/product/update", SELLER_Q,
           "payload", "payload", &b);
  p = jpath(b.payload, "Request.Product");
  ASSERT_STR_EQ(jstr(p, "Attributes.name"), "Trà xanh Thái Nguyên");
  ASSERT_STR_EQ(jstr(p, "Attributes.description"), "Trà búp khô, gói 200 g.");
  ASSERT_EQ(cJSON_GetArraySize(jpath(p, "Images.Image")), 1);
  ASSERT_STR_EQ(cJSON_GetArrayItem(jpath(p, "Images.Image"), 0)->valuestring,
                "https://vn-live-02.slatic.net/p/61bdf049.png");
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

  fv[0].stock = 1234567;
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

  fv[0].price_vnd = 150000;
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

  fv[0].stock = -1;
  build_fails(OC_OP_SET_STOCK, &s, &l, "stock must be >= 0");
  fv[0].price_vnd = -1;
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
  fv[0].sku = l.sku;
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

/* lazada.md, "Authorisation and tokens": a plain link on the auth host, nothing
 * signed or secret. */
static TEST_IMPL(build_auth_link) {
  oc_shop s = shop_fixture();
  const oc_kv none[] = {{"category_id", "1"}};
  oc_request r;
  char err[256];

  s.access_token = NULL;
  s.redirect_url = "https://example.com/cb?x=1";
  ASSERT_EQ(build_any(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), 0);
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
  ASSERT_EQ(build_any(OC_OP_AUTH_LINK, &s, NULL, NOW_MS, &r, err, sizeof err), 0);
  ASSERT(starts_with(r.url, "https://auth.lazada.com/oauth/authorize?response_type=code&"));
  oc_request_free(&r);

  s.redirect_url = NULL;
  build_fails(OC_OP_AUTH_LINK, &s, NULL, "redirect URL");
  s.redirect_url = "example.com/cb";
  build_fails(OC_OP_AUTH_LINK, &s, NULL, "redirect URL");
  return 0;
}

/* lazada.md, "Authorisation and tokens": /auth/token/create with the code,
 * signed, no access_token. */
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

  ASSERT_EQ(build_any(OC_OP_MAX, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  ASSERT(strstr(err, "not supported") != NULL);
  ASSERT_EQ(build_any((oc_op)0, &s, &l, NOW_MS, &r, err, sizeof err), -1);
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
  ASSERT_EQ(build_any(OC_OP_GET_LISTING, &s, &l, -1, &r, err, sizeof err),
            -1);
  ASSERT_EQ(build_any(OC_OP_GET_LISTING, &s, &l, NOW_MS, NULL, err,
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

  fv[0].remote_id = "6000000001";
  for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    oc_request r;
    char err[256];

    ASSERT_EQ(build_any(ops[i], &s, &l, NOW_MS, &r, err, sizeof err), 0);
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
  oc_listing_result res;

  parse(OC_OP_PUBLISH, 200,
        "{\"code\":\"0\",\"request_id\":\"0ba2887315178178017221014\","
        "\"data\":{\"item_id\":3123456789,\"sku_list\":[{\"seller_sku\":"
        "\"HN-TRA-001\",\"sku_id\":5123456789,\"shop_sku\":\"3123_VNAMZ\"}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "3123456789");
  ASSERT_STR_EQ(res.v.request_id, "0ba2887315178178017221014");
  ASSERT_STR_EQ(res.v.error, "");
  return 0;
}

static TEST_IMPL(parse_big_ids) {
  oc_listing_result res;

  parse(OC_OP_PUBLISH, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":9007199254740991}}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "9007199254740991");
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":9007199254740993}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "malformed response: "));
  ASSERT(strstr(res.v.error, "2^53") != NULL);
  ASSERT_STR_EQ(res.item_id, "");
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":-5}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_PUBLISH, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":12.5}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"products\":[{\"item_id\":"
        "18446744073709551615,\"skus\":[{\"SellerSku\":\"HN-TRA-001\"}]}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(strstr(res.v.error, "2^53") != NULL);
  return 0;
}

static TEST_IMPL(parse_writes_ok) {
  oc_op ops[] = {OC_OP_UPDATE, OC_OP_SET_STOCK, OC_OP_SET_PRICE, OC_OP_DELIST,
                 OC_OP_RELIST};
  size_t i;
  oc_listing_result res;

  for (i = 0; i < sizeof ops / sizeof ops[0]; i++) {
    parse(ops[i], 200, "{\"code\":\"0\",\"request_id\":\"r1\",\"data\":{}}",
          &res);
    ASSERT_EQ(res.v.status, OC_OK);
    ASSERT_STR_EQ(res.v.request_id, "r1");
    parse(ops[i], 200, "{\"code\":\"0\",\"request_id\":\"r2\"}", &res);
    ASSERT_EQ(res.v.status, OC_OK);
  }
  return 0;
}

static TEST_IMPL(parse_lookup_sku) {
  oc_listing_result res;

  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"total_products\":2,\"products\":["
        "{\"item_id\":111,\"status\":\"active\",\"skus\":[{\"SellerSku\":"
        "\"OTHER\",\"SkuId\":1}]},"
        "{\"item_id\":222,\"status\":\"active\",\"skus\":[{\"SellerSku\":"
        "\"HN-TRA-001\",\"SkuId\":2,\"quantity\":3,\"price\":75000,"
        "\"Status\":\"active\"}],\"attributes\":{\"name\":\"x\"}}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "222");

  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"total_products\":0,\"products\":[]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  parse(OC_OP_LOOKUP_SKU, 200, "{\"code\":\"0\",\"data\":{}}", &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  /* only another SKU, or ours deleted: not ours */
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"products\":[{\"item_id\":111,\"skus\":"
        "[{\"SellerSku\":\"OTHER\"}]},{\"item_id\":5,\"status\":\"deleted\","
        "\"skus\":[{\"SellerSku\":\"HN-TRA-001\"}]}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  ASSERT_STR_EQ(res.item_id, "");
  /* wrong shapes */
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"products\":{}}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "malformed response: "));
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"products\":[{\"item_id\":1}]}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_LOOKUP_SKU, 200,
        "{\"code\":\"0\",\"data\":{\"products\":[{\"item_id\":\"7\",\"skus\":"
        "[{\"SellerSku\":\"HN-TRA-001\"}]}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_LOOKUP_SKU, 200, "{\"code\":\"0\",\"data\":[]}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "malformed response: field data is not an object");
  parse(OC_OP_LOOKUP_SKU, 200, "{\"code\":\"0\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  return 0;
}

static TEST_IMPL(parse_get_listing) {
  oc_listing_result res;

  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"request_id\":\"q\",\"data\":{\"item_id\":"
        "2300069665,\"status\":\"active\",\"skus\":[{\"SkuId\":901,\"SellerSku\":"
        "\"HN-TRA-001\",\"quantity\":25,\"price\":75000.0,\"Status\":"
        "\"active\"}],\"attributes\":{\"name\":\"x\"}}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "2300069665");
  ASSERT_EQ(res.active, 1);
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].sku, "HN-TRA-001");
  ASSERT_EQ(res.variants[0].price_vnd, 75000);
  ASSERT_EQ(res.variants[0].stock, 25);

  /* decimal strings; an inactive SKU */
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
        "\"active\",\"skus\":[{\"SkuId\":902,\"SellerSku\":\"X\",\"quantity\":1,\"price\":1},"
        "{\"SkuId\":903,\"SellerSku\":\"HN-TRA-001\",\"quantity\":\"7\",\"price\":"
        "\"150000.50\",\"Status\":\"inactive\"}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 1); /* the item is active; SKU states are not ours to read */
  ASSERT_EQ(res.nvariants, 2);
  ASSERT_STR_EQ(res.variants[1].sku, "HN-TRA-001");
  ASSERT_EQ(res.variants[1].price_vnd, 150001);
  ASSERT_EQ(res.variants[1].stock, 7);

  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
        "\"inactive\",\"skus\":[{\"SkuId\":904,\"SellerSku\":\"HN-TRA-001\",\"quantity\":0,"
        "\"price\":1299.49,\"Status\":\"active\"}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_EQ(res.variants[0].price_vnd, 1299);
  ASSERT_EQ(res.variants[0].stock, 0);

  /* pending: read, not active, said in error */
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
        "\"pending\",\"skus\":[{\"SkuId\":905,\"SellerSku\":\"HN-TRA-001\",\"quantity\":1,"
        "\"price\":2}]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_STR_EQ(res.v.error, "item status pending");

  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
        "\"deleted\",\"skus\":[]}}",
        &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":"
        "\"active\",\"skus\":[{\"SkuId\":906,\"SellerSku\":\"OTHER\",\"quantity\":1,"
        "\"price\":2}]}}",
        &res);
  /* every SKU is named; the core ignores those the listing lacks */
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.nvariants, 1);
  ASSERT_STR_EQ(res.variants[0].sku, "OTHER");
  /* another item than the one asked for */
  parse(OC_OP_GET_LISTING, 200,
        "{\"code\":\"0\",\"data\":{\"item_id\":1,\"status\":\"active\","
        "\"skus\":[{\"SkuId\":907,\"SellerSku\":\"HN-TRA-001\",\"quantity\":1,\"price\":2}]"
        "}}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
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
  oc_token_result res;

  s.auth_code = CODE;
  conn()->parse_token(OC_OP_TOKEN_EXCHANGE, &s, 200, ok, strlen(ok), &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.access_token, "first_access");
  ASSERT_STR_EQ(res.refresh_token, "first_refresh");
  ASSERT_EQ(res.access_expires_at, 604800);
  ASSERT_EQ(res.refresh_expires_at, 2592000);
  ASSERT_EQ(oc_expiry_to_unix(res.refresh_expires_at, 1710000000), 1712592000);

  conn()->parse_token(OC_OP_TOKEN_EXCHANGE, &s, 200, bad, strlen(bad), &res);
  ASSERT(res.v.status == OC_REJECTED || res.v.status == OC_AUTH);
  ASSERT_STR_EQ(res.access_token, "");
  ASSERT_NULL(strstr(res.v.error, CODE));
  ASSERT(strstr(res.v.error, "InvalidCode") != NULL);
  return 0;
}

static TEST_IMPL(parse_refresh_token) {
  oc_token_result res;

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":\"new_access\",\"refresh_token\":"
        "\"new_refresh\",\"expires_in\":604800,\"refresh_expires_in\":"
        "1209600,\"account\":\"a@b\",\"request_id\":\"t1\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.access_token, "new_access");
  ASSERT_STR_EQ(res.refresh_token, "new_refresh");
  /* lifetimes in seconds: the core adds the request time */
  ASSERT_EQ(res.access_expires_at, 604800);
  ASSERT_EQ(res.refresh_expires_at, 1209600);
  ASSERT_STR_EQ(res.v.request_id, "t1");

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":\"a\",\"refresh_token\":\"r\","
        "\"expires_in\":10}",
        &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.refresh_expires_at, 0);

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":\"a\",\"refresh_token\":\"r\","
        "\"expires_in\":\"ten\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.access_token, "");
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":1,\"refresh_token\":\"r\","
        "\"expires_in\":10}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":\"\",\"refresh_token\":\"r\","
        "\"expires_in\":10}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"code\":\"0\",\"access_token\":\"a\",\"refresh_token\":\"r\","
        "\"expires_in\":10,\"refresh_expires_in\":true}",
        &res);
  ASSERT_EQ(res.v.status, OC_RETRY);

  parse(OC_OP_REFRESH_TOKEN, 200,
        "{\"type\":\"ISV\",\"code\":\"IllegalRefreshToken\",\"message\":"
        "\"The specified refresh token is invalid or expired\","
        "\"request_id\":\"t2\"}",
        &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  ASSERT_STR_EQ(res.v.error, "IllegalRefreshToken: The specified refresh token "
                           "is invalid or expired");
  ASSERT_STR_EQ(res.v.request_id, "t2");
  ASSERT_STR_EQ(res.access_token, "");
  return 0;
}

static void expect(oc_op op, long http, const char *body, oc_status st,
                   long min_wait, const char *error) {
  oc_listing_result lres;
  oc_token_result tres;
  struct {
    oc_verdict v;
  } res;

  /* Either family: the verdict is what is checked. */
  if (oc_token_op(op)) {
    parse(op, http, body, &tres);
    res.v = tres.v;
  } else {
    parse(op, http, body, &lres);
    res.v = lres.v;
  }
  if (res.v.status != st) {
    fprintf(stderr, "body %s: status %d, want %d (%s)\n", body,
            (int)res.v.status, (int)st, res.v.error);
    ASSERT(0);
  }
  ASSERT(res.v.retry_after_ms >= min_wait);
  if (error != NULL)
    ASSERT_STR_EQ(res.v.error, error);
}

static TEST_IMPL(parse_error_classes) {
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
  return 0;
}

/* The refusals: a request to fix, never to retry as it is. */
static TEST_IMPL(parse_error_classes_rejected) {
  oc_listing_result res;

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
  /* A SellerSku the seller has already: an earlier create landed. */
  expect(OC_OP_PUBLISH, 200,
         "{\"type\":\"ISV\",\"code\":\"4105\",\"message\":\"BIZ_CHECK_SELLER_SKU_DUPLICATE\"}",
         OC_EXISTS, 0, "4105: BIZ_CHECK_SELLER_SKU_DUPLICATE");
  expect(OC_OP_PUBLISH, 200,
         "{\"type\":\"ISV\",\"code\":\"THD_IC_ERR_F_IC_INFRA_PRODUCT_036\",\"message\":\"r\"}",
         OC_EXISTS, 0, "THD_IC_ERR_F_IC_INFRA_PRODUCT_036: r");

  /* request_id is copied on errors */
  parse(OC_OP_PUBLISH, 200,
        "{\"type\":\"ISV\",\"code\":\"IncompleteSignature\",\"message\":\"s\","
        "\"request_id\":\"0ba2887315178178017221014\"}",
        &res);
  ASSERT_STR_EQ(res.v.request_id, "0ba2887315178178017221014");
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
  oc_listing_result res;

  for (i = 0; i < sizeof bodies / sizeof bodies[0]; i++) {
    parse(OC_OP_PUBLISH, 200, bodies[i], &res);
    ASSERT_EQ(res.v.status, OC_RETRY);
    if (!starts_with(res.v.error, "malformed response: ")) {
      fprintf(stderr, "%s -> %s\n", bodies[i], res.v.error);
      ASSERT(0);
    }
  }
  return 0;
}

/* The marketplace's error text is not UTF-8: the whole answer is
 * malformed, never half-read into an error the database would refuse
 * (found by tests/fuzz/fuzz_lazada.c). */
static TEST_IMPL(parse_body_not_utf8) {
  oc_listing_result res;

  parse(OC_OP_SET_STOCK, 200, "{\"type\":\"ISV\",\"code\":\"ProductNotFou\xc7nd\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "malformed response: body is not UTF-8 at byte 35");
  return 0;
}

static TEST_IMPL(parse_oversized) {
  size_t n = OC_MAX_RESPONSE + 10;
  char *big = malloc(n);
  oc_shop s = shop_fixture();
  oc_listing_result res;

  ASSERT_NOT_NULL(big);
  memset(big, ' ', n);
  memcpy(big, "{\"code\":\"0\",\"data\":{\"item_id\":1}}", 34);
  conn()->parse_listing(OC_OP_PUBLISH, &s, NULL, 200, big, n, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "malformed response: "));
  free(big);
  return 0;
}

static TEST_IMPL(parse_deep_nesting) {
  char body[4096];
  size_t i, o = 0;
  oc_listing_result res;

  o += (size_t)sprintf(body, "{\"code\":\"0\",\"data\":");
  for (i = 0; i < 100; i++)
    body[o++] = '[';
  for (i = 0; i < 100; i++)
    body[o++] = ']';
  body[o++] = '}';
  body[o] = '\0';
  parse(OC_OP_PUBLISH, 200, body, &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT(starts_with(res.v.error, "malformed response: "));
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
  oc_listing_result res;
  char body[2048];
  size_t i;

  snprintf(body, sizeof body,
           "{\"type\":\"ISV\",\"code\":\"InvalidParameter\",\"message\":"
           "\"bad %s and %s and %s\"}",
           TOKEN, SECRET, REFRESH);
  parse(OC_OP_PUBLISH, 200, body, &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_NULL(strstr(res.v.error, TOKEN));
  ASSERT_NULL(strstr(res.v.error, SECRET));
  ASSERT_NULL(strstr(res.v.error, REFRESH));
  ASSERT_STR_EQ(res.v.error, "InvalidParameter: bad *** and *** and ***");

  /* a long message of 2-byte letters is cut at a code point */
  strcpy(body, "{\"code\":\"InvalidParameter\",\"message\":\"");
  for (i = 0; i < 400; i++)
    strcat(body, "\xc3\xa0");
  strcat(body, "\"}");
  parse(OC_OP_PUBLISH, 200, body, &res);
  ASSERT(strlen(res.v.error) < sizeof res.v.error);
  ASSERT(ocu_utf8_valid(res.v.error, strlen(res.v.error)));
  return 0;
}

static TEST_IMPL(parse_resets_result) {
  oc_listing_result res;
  oc_token_result tok;

  memset(&res, 0x7f, sizeof res);
  parse(OC_OP_SET_STOCK, 200, "{\"code\":\"0\"}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.v.error, "");
  ASSERT_STR_EQ(res.item_id, "");
  ASSERT_STR_EQ(res.v.request_id, "");
  ASSERT_EQ(res.v.retry_after_ms, 0);
  /* The expiries live in the token result now: cleared the same way. */
  memset(&tok, 0x7f, sizeof tok);
  parse(OC_OP_REFRESH_TOKEN, 200, "{\"code\":\"IllegalRefreshToken\"}", &tok);
  ASSERT_EQ(tok.v.status, OC_AUTH);
  ASSERT_EQ(tok.access_expires_at, 0);
  ASSERT_STR_EQ(tok.access_token, "");
  return 0;
}

/* ---- orders: the structs of connector.h ----------------- */

#define LIST_Q                                                                \
  "access_token,app_key,limit,offset,sign,sign_method,sort_by,"              \
  "sort_direction,status,timestamp,update_after,update_before"

#define GET_Q "access_token,app_key,order_ids,sign,sign_method,timestamp"

/* Builds an order query and checks it like build_ok (sign recomputed). */
static void build_orders_ok(oc_op op, const oc_shop *s, const oc_order_query *q,
                            const char *api, const char *query_keys,
                            built *out) {
  char err[256];

  memset(out, 0, sizeof *out);
  ASSERT_EQ(conn()->build_orders(op, s, q, NOW_MS, &out->r, err, sizeof err),
            0);
  ASSERT_STR_EQ(err, "");
  check_built(BASE, "GET", api, query_keys, "", NULL, out);
  ASSERT_STR_EQ(kv_get(&out->q, "access_token"), TOKEN);
  ASSERT_NULL(strstr(out->r.log_url, TOKEN));
  ASSERT_NULL(strstr(out->r.log_url, SECRET));
  ASSERT_NULL(strchr(out->r.log_url, '?'));
}

static void build_orders_fails(oc_op op, const oc_shop *s,
                               const oc_order_query *q, const char *want) {
  oc_request r;
  char err[256];

  memset(&r, 0x5a, sizeof r);
  ASSERT_EQ(conn()->build_orders(op, s, q, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_NULL(r.url);
  ASSERT_NULL(r.log_url);
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 0);
  if (strstr(err, want) == NULL) {
    fprintf(stderr, "error \"%s\" lacks \"%s\"\n", err, want);
    ASSERT(0);
  }
  ASSERT_NULL(strstr(err, SECRET));
  ASSERT_NULL(strstr(err, TOKEN));
}

static TEST_IMPL(time_iso_and_parse) {
  char out[LZ_ISO_MAX];
  int64_t t;

  lz_iso_time(1795575600, out); /* date -d '2026-11-25 10:00:00 +0700' */
  ASSERT_STR_EQ(out, "2026-11-25T10:00:00+07:00");
  lz_iso_time(1798736400, out); /* 2026-12-31 17:00 UTC: new year in VN */
  ASSERT_STR_EQ(out, "2027-01-01T00:00:00+07:00");
  lz_iso_time(1835375400, out); /* 2028-02-28 18:30 UTC: leap day in VN */
  ASSERT_STR_EQ(out, "2028-02-29T01:30:00+07:00");
  lz_iso_time(951868800 - 1, out); /* 2000-02-29 23:59:59 UTC */
  ASSERT_STR_EQ(out, "2000-03-01T06:59:59+07:00");
  lz_iso_time(0, out);
  ASSERT_STR_EQ(out, "1970-01-01T07:00:00+07:00");
  lz_iso_time(LZ_MAX_TIME, out);
  ASSERT_STR_EQ(out, "9999-12-31T23:59:59+07:00");

  ASSERT_EQ(lz_parse_time("2026-11-25 10:00:00 +0700", &t), 0);
  ASSERT_EQ(t, 1795575600);
  ASSERT_EQ(lz_parse_time("2026-11-25 10:00:00 -0330", &t), 0);
  ASSERT_EQ(t, 1795613400);
  ASSERT_EQ(lz_parse_time("2026-11-25T03:00:00+00:00", &t), 0);
  ASSERT_EQ(t, 1795575600);
  ASSERT_EQ(lz_parse_time("2026-11-25T03:00:00Z", &t), 0);
  ASSERT_EQ(t, 1795575600);
  ASSERT_EQ(lz_parse_time("2028-02-29 01:30:00 +0700", &t), 0);
  ASSERT_EQ(t, 1835375400);
  ASSERT_EQ(lz_parse_time("9999-12-31 23:59:59 +0700", &t), 0);
  ASSERT_EQ(t, LZ_MAX_TIME);
  ASSERT_EQ(lz_parse_time("1970-01-01 07:00:00 +0700", &t), 0);
  ASSERT_EQ(t, 0);
  /* Refused: no offset, bad dates, out of range, trailing text. */
  {
    static const char *const bad[] = {
        "2026-11-25 10:00:00", "2027-02-29 10:00:00 +0700",
        "2026-13-01 10:00:00 +0700", "2026-11-31 10:00:00 +0700",
        "2026-11-25 24:00:00 +0700", "2026-11-25 10:60:00 +0700",
        "2026-11-25 10:00:60 +0700", "2026-11-25 10:00:00 +1500",
        "2026-11-25 10:00:00 +07", "2026-11-25 10:00:00 +0700 ",
        "2026-11-25  10:00:00 +0700", "26-11-25 10:00:00 +0700",
        "1970-01-01 06:59:59 +0700", "1969-12-31 23:00:00 -0700",
        "2026-11-25 10:00:00 +07:0", "", "1795575600",
    };
    size_t i;

    for (i = 0; i < sizeof bad / sizeof bad[0]; i++)
      if (lz_parse_time(bad[i], &t) == 0) {
        fprintf(stderr, "accepted \"%s\"\n", bad[i]);
        ASSERT(0);
      }
    ASSERT_EQ(lz_parse_time(NULL, &t), -1);
  }
  return 0;
}

static TEST_IMPL(build_list_orders) {
  oc_shop s = shop_fixture();
  oc_order_query q;
  built b;

  memset(&q, 0, sizeof q);
  q.from_s = 1795575600; /* 2026-11-25T10:00:00+07:00 */
  q.to_s = 1795579200;
  q.page = "";
  build_orders_ok(OC_OP_LIST_ORDERS, &s, &q, "/orders/get", LIST_Q, &b);
  ASSERT_STR_EQ(kv_get(&b.q, "update_after"), "2026-11-25T10:00:00+07:00");
  ASSERT_STR_EQ(kv_get(&b.q, "update_before"), "2026-11-25T11:00:00+07:00");
  ASSERT_STR_EQ(kv_get(&b.q, "sort_by"), "updated_at");
  ASSERT_STR_EQ(kv_get(&b.q, "sort_direction"), "ASC");
  ASSERT_STR_EQ(kv_get(&b.q, "offset"), "0");
  ASSERT_STR_EQ(kv_get(&b.q, "limit"), "100");
  ASSERT_STR_EQ(kv_get(&b.q, "status"), "all");
  ASSERT_STR_EQ(b.r.log_url, BASE "/rest/orders/get");
  /* '+' and ':' travel percent-encoded. */
  ASSERT_NOT_NULL(strstr(b.r.url, "update_after=2026-11-25T10%3A00%3A00%2B07%3A00"));
  built_free(&b);

  /* The next page: the offset is the token; NULL reads as the first. */
  q.page = "4900";
  build_orders_ok(OC_OP_LIST_ORDERS, &s, &q, "/orders/get", LIST_Q, &b);
  ASSERT_STR_EQ(kv_get(&b.q, "offset"), "4900");
  built_free(&b);
  q.page = NULL;
  q.from_s = 1798736400;
  q.to_s = 1798736401;
  build_orders_ok(OC_OP_LIST_ORDERS, &s, &q, "/orders/get", LIST_Q, &b);
  ASSERT_STR_EQ(kv_get(&b.q, "offset"), "0");
  ASSERT_STR_EQ(kv_get(&b.q, "update_after"), "2027-01-01T00:00:00+07:00");
  ASSERT_STR_EQ(kv_get(&b.q, "update_before"), "2027-01-01T00:00:01+07:00");
  built_free(&b);
  return 0;
}

static TEST_IMPL(build_list_orders_bad) {
  oc_shop s = shop_fixture();
  oc_kv opts[] = {{"max_offset", "200"}};
  oc_order_query q;

  memset(&q, 0, sizeof q);
  q.from_s = 1795575600;
  q.to_s = 1795579200;
  q.page = "";
  build_orders_fails(OC_OP_LIST_ORDERS, &s, NULL, "order query is missing");
  q.to_s = q.from_s;
  build_orders_fails(OC_OP_LIST_ORDERS, &s, &q, "order window");
  q.from_s = -1;
  q.to_s = 10;
  build_orders_fails(OC_OP_LIST_ORDERS, &s, &q, "order window");
  q.from_s = 0;
  q.to_s = LZ_MAX_TIME + 1;
  build_orders_fails(OC_OP_LIST_ORDERS, &s, &q, "order window");
  q.to_s = LZ_MAX_TIME;
  q.page = "abc";
  build_orders_fails(OC_OP_LIST_ORDERS, &s, &q, "order page");
  q.page = "0100";
  build_orders_fails(OC_OP_LIST_ORDERS, &s, &q, "order page");
  q.page = "-100";
  build_orders_fails(OC_OP_LIST_ORDERS, &s, &q, "order page");
  q.page = "5100"; /* beyond the marketplace's cap */
  build_orders_fails(OC_OP_LIST_ORDERS, &s, &q, "within 0..5000");
  /* A smaller cap from the shop options. */
  s.opts = opts;
  s.nopts = 1;
  q.page = "300";
  build_orders_fails(OC_OP_LIST_ORDERS, &s, &q, "within 0..200");
  opts[0].value = "lots";
  q.page = "";
  build_orders_fails(OC_OP_LIST_ORDERS, &s, &q, "max_offset");
  s = shop_fixture();
  s.access_token = "";
  build_orders_fails(OC_OP_LIST_ORDERS, &s, &q, "access_token is not set");
  s = shop_fixture();
  build_orders_fails(OC_OP_PUBLISH, &s, &q, "not an order operation");
  /* build() refuses the order operations: their query is not a listing. */
  {
    oc_listing l = listing_fixture();
    oc_request r;
    char err[256];

    ASSERT_EQ(build_any(OC_OP_LIST_ORDERS, &s, &l, NOW_MS, &r, err,
                            sizeof err),
              -1);
    ASSERT_EQ(build_any(OC_OP_GET_ORDERS, &s, &l, NOW_MS, &r, err,
                            sizeof err),
              -1);
    ASSERT_NULL(r.url);
  }
  return 0;
}

static TEST_IMPL(build_get_orders) {
  oc_shop s = shop_fixture();
  const char *ids[] = {"260422900198363", "12345", "AB_c-9", "007"};
  oc_order_query q;
  built b;

  memset(&q, 0, sizeof q);
  q.ids = ids;
  q.nids = 2;
  build_orders_ok(OC_OP_GET_ORDERS, &s, &q, "/orders/items/get",
                  GET_Q, &b);
  ASSERT_STR_EQ(kv_get(&b.q, "order_ids"), "[260422900198363,12345]");
  ASSERT_STR_EQ(b.r.log_url, BASE "/rest/orders/items/get");
  built_free(&b);

  q.nids = 1;
  build_orders_ok(OC_OP_GET_ORDERS, &s, &q, "/orders/items/get",
                  GET_Q, &b);
  ASSERT_STR_EQ(kv_get(&b.q, "order_ids"), "[260422900198363]");
  built_free(&b);

  /* Ids that are not JSON numbers travel as JSON strings. */
  q.nids = 4;
  build_orders_ok(OC_OP_GET_ORDERS, &s, &q, "/orders/items/get",
                  GET_Q, &b);
  ASSERT_STR_EQ(kv_get(&b.q, "order_ids"),
                "[260422900198363,12345,\"AB_c-9\",\"007\"]");
  {
    cJSON *arr = cJSON_Parse(kv_get(&b.q, "order_ids"));

    ASSERT(cJSON_IsArray(arr));
    ASSERT_EQ(cJSON_GetArraySize(arr), 4);
    cJSON_Delete(arr);
  }
  built_free(&b);
  return 0;
}

static TEST_IMPL(build_get_orders_bad) {
  oc_shop s = shop_fixture();
  const char *ids[OC_MAX_ORDER_IDS + 1];
  char long64[65], long65[66];
  oc_order_query q;
  built b;
  size_t i;

  for (i = 0; i <= OC_MAX_ORDER_IDS; i++)
    ids[i] = "260422900198363";
  memset(&q, 0, sizeof q);
  q.ids = ids;
  q.nids = 0;
  build_orders_fails(OC_OP_GET_ORDERS, &s, &q, "1..50 order ids");
  q.nids = OC_MAX_ORDER_IDS + 1;
  build_orders_fails(OC_OP_GET_ORDERS, &s, &q, "1..50 order ids");
  q.nids = 1;
  q.ids = NULL;
  build_orders_fails(OC_OP_GET_ORDERS, &s, &q, "1..50 order ids");

  /* 50 ids are fine. */
  q.ids = ids;
  q.nids = OC_MAX_ORDER_IDS;
  build_orders_ok(OC_OP_GET_ORDERS, &s, &q, "/orders/items/get",
                  GET_Q, &b);
  built_free(&b);

  memset(long64, '7', 64);
  long64[64] = '\0';
  memset(long65, '7', 65);
  long65[65] = '\0';
  q.nids = 2;
  ids[1] = long64;
  build_orders_ok(OC_OP_GET_ORDERS, &s, &q, "/orders/items/get",
                  GET_Q, &b);
  built_free(&b);
  {
    static const char *const bad[] = {"", "12 34", "12,34", "1\"]", "12%34",
                                      "abc/1", "\xc3\xa9", NULL};
    const char *const *p;

    ids[1] = long65;
    build_orders_fails(OC_OP_GET_ORDERS, &s, &q, "order id 2");
    for (p = bad; *p != NULL; p++) {
      ids[1] = *p;
      build_orders_fails(OC_OP_GET_ORDERS, &s, &q, "order id 2 is empty");
    }
    ids[1] = NULL;
    build_orders_fails(OC_OP_GET_ORDERS, &s, &q, "order id 2");
  }
  return 0;
}

/* parse_orders with the fixture shop and a query: the structs, checked and
 * seen as the order document (conn_test.c). */
static void parse_orders(oc_op op, const oc_order_query *q, long status,
                         const char *body, ct_orders *res) {
  oc_shop s = shop_fixture();

  ct_parse_orders(conn(), op, &s, q, status, body, strlen(body), res);
}

/* A LIST_ORDERS answer of n orders with ids first..first+n-1, the last
 * updated at `last`. malloc'd. */
static char *list_answer(int n, long long first, const char *last) {
  ocu_buf b = OCU_BUF_INIT;
  int i;

  ocu_buf_printf(&b, "{\"code\":\"0\",\"request_id\":\"r1\",\"data\":{"
                     "\"count\":%d,\"countTotal\":9999,\"orders\":[", n);
  for (i = 0; i < n; i++)
    ocu_buf_printf(&b,
                   "%s{\"order_id\":%lld,\"order_number\":%lld,"
                   "\"statuses\":[\"pending\"],\"price\":\"150000.00\","
                   "\"created_at\":\"2026-11-25 09:00:00 +0700\","
                   "\"updated_at\":\"%s\",\"items_count\":1}",
                   i ? "," : "", first + i, first + i,
                   i == n - 1 ? last : "2026-11-25 10:00:00 +0700");
  ocu_buf_puts(&b, "]}}");
  return ocu_buf_detach(&b);
}

/* Parses res->orders as a LIST_ORDERS answer and checks next, done_at and
 * the count of ids; returns the tree. */
static cJSON *list_doc(const ct_orders *res, const char *next, long long done_at,
                       int nids) {
  cJSON *doc;

  if (res->v.status != OC_OK) {
    fprintf(stderr, "status %d: %s\n", (int)res->v.status, res->v.error);
    ASSERT(0);
  }
  ASSERT_NOT_NULL(res->orders);
  doc = cJSON_Parse(res->orders);
  ASSERT_NOT_NULL(doc);
  ASSERT_STR_EQ(jstr(doc, "next"), next);
  ASSERT(cJSON_IsNumber(jpath(doc, "done_at")));
  ASSERT_EQ((long long)jpath(doc, "done_at")->valuedouble, done_at);
  ASSERT(cJSON_IsArray(jpath(doc, "ids")));
  ASSERT_EQ(cJSON_GetArraySize(jpath(doc, "ids")), nids);
  return doc;
}

static TEST_IMPL(parse_list_orders_paging) {
  oc_order_query q;
  ct_orders res;
  char *body;
  cJSON *doc;

  memset(&q, 0, sizeof q);
  q.from_s = 1795575600;
  q.to_s = 1795579200;

  /* A full first page continues at offset 100. */
  q.page = "";
  body = list_answer(100, 260422900100000LL, "2026-11-25 10:30:00 +0700");
  parse_orders(OC_OP_LIST_ORDERS, &q, 200, body, &res);
  doc = list_doc(&res, "100", 0, 100);
  ASSERT_STR_EQ(cJSON_GetArrayItem(jpath(doc, "ids"), 0)->valuestring,
                "260422900100000");
  ASSERT_STR_EQ(cJSON_GetArrayItem(jpath(doc, "ids"), 99)->valuestring,
                "260422900100099");
  ASSERT_STR_EQ(res.v.request_id, "r1");
  cJSON_Delete(doc);
  free(res.orders);

  /* A full page whose next offset is exactly the cap still continues. */
  q.page = "4900";
  parse_orders(OC_OP_LIST_ORDERS, &q, 200, body, &res);
  cJSON_Delete(list_doc(&res, "5000", 0, 100));
  free(res.orders);

  /* Past the cap: the window is complete up to the last update time. */
  q.page = "5000";
  parse_orders(OC_OP_LIST_ORDERS, &q, 200, body, &res);
  cJSON_Delete(list_doc(&res, "", 1795577400, 100)); /* 10:30 +07 */
  free(res.orders);
  free(body);

  /* ... in any offset the answer writes. */
  body = list_answer(100, 1, "2026-11-25 03:31:00 +0000");
  parse_orders(OC_OP_LIST_ORDERS, &q, 200, body, &res);
  cJSON_Delete(list_doc(&res, "", 1795577460, 100));
  free(res.orders);
  free(body);

  /* A short page ends the window. */
  q.page = "200";
  body = list_answer(99, 1, "not a time: not read");
  parse_orders(OC_OP_LIST_ORDERS, &q, 200, body, &res);
  cJSON_Delete(list_doc(&res, "", 0, 99));
  free(res.orders);
  free(body);
  body = list_answer(0, 1, "");
  parse_orders(OC_OP_LIST_ORDERS, &q, 200, body, &res);
  cJSON_Delete(list_doc(&res, "", 0, 0));
  free(res.orders);
  free(body);
  return 0;
}

static TEST_IMPL(parse_list_orders_max_offset_option) {
  oc_shop s = shop_fixture();
  oc_kv opts[] = {{"max_offset", "200"}};
  oc_order_query q;
  ct_orders res;
  char *body = list_answer(100, 7, "2026-11-25 10:00:05 +0700");

  s.opts = opts;
  s.nopts = 1;
  memset(&q, 0, sizeof q);
  q.from_s = 1795575600;
  q.to_s = 1795579200;
  q.page = "100";
  ct_parse_orders(conn(), OC_OP_LIST_ORDERS, &s, &q, 200, body, strlen(body),
                       &res);
  cJSON_Delete(list_doc(&res, "200", 0, 100));
  free(res.orders);
  q.page = "200";
  ct_parse_orders(conn(), OC_OP_LIST_ORDERS, &s, &q, 200, body, strlen(body),
                       &res);
  cJSON_Delete(list_doc(&res, "", 1795575605, 100));
  free(res.orders);
  free(body);
  return 0;
}

static TEST_IMPL(parse_list_orders_ids) {
  oc_order_query q;
  ct_orders res;
  cJSON *doc;

  memset(&q, 0, sizeof q);
  q.page = "";
  parse_orders(OC_OP_LIST_ORDERS, &q, 200,
               "{\"code\":\"0\",\"data\":{\"count\":2,\"orders\":["
               "{\"order_id\":260422900198363,\"updated_at\":\"x\"},"
               "{\"order_id\":\"260422900198364\"}]}}",
               &res);
  doc = list_doc(&res, "", 0, 2);
  ASSERT_STR_EQ(cJSON_GetArrayItem(jpath(doc, "ids"), 0)->valuestring,
                "260422900198363");
  ASSERT_STR_EQ(cJSON_GetArrayItem(jpath(doc, "ids"), 1)->valuestring,
                "260422900198364");
  cJSON_Delete(doc);
  free(res.orders);
  return 0;
}

/* A whole answer of the wrong shape is a retry with a reason. */
static void expect_orders(oc_op op, long http, const char *body, oc_status st,
                          long min_wait, const char *error) {
  oc_order_query q;
  const char *ids[] = {"1", "2"};
  ct_orders res;

  memset(&q, 0, sizeof q);
  q.page = "";
  q.ids = ids;
  q.nids = 2;
  parse_orders(op, &q, http, body, &res);
  if (res.v.status != st) {
    fprintf(stderr, "body %s: status %d, want %d (%s)\n", body,
            (int)res.v.status, (int)st, res.v.error);
    ASSERT(0);
  }
  ASSERT_NULL(res.orders);
  ASSERT(res.v.retry_after_ms >= min_wait);
  if (error != NULL && strstr(res.v.error, error) == NULL) {
    fprintf(stderr, "error \"%s\" lacks \"%s\"\n", res.v.error, error);
    ASSERT(0);
  }
}

static TEST_IMPL(parse_orders_malformed) {
  const oc_op L = OC_OP_LIST_ORDERS, G = OC_OP_GET_ORDERS;
  char *body;

  expect_orders(L, 200, "not json", OC_RETRY, 0, "malformed response");
  expect_orders(L, 200, "[1,2]", OC_RETRY, 0, "not a JSON object");
  expect_orders(L, 200, "{\"code\":\"0\"}", OC_RETRY, 0, "field data is missing");
  expect_orders(L, 200, "{\"code\":\"0\",\"data\":[]}", OC_RETRY, 0,
                "data is not an object");
  expect_orders(L, 200, "{\"code\":\"0\",\"data\":{}}", OC_RETRY, 0,
                "data.orders is missing");
  expect_orders(L, 200, "{\"code\":\"0\",\"data\":{\"orders\":{}}}", OC_RETRY,
                0, "data.orders is not an array");
  expect_orders(L, 200, "{\"code\":\"0\",\"data\":{\"orders\":[1]}}", OC_RETRY,
                0, "data.orders[] is not an object");
  expect_orders(L, 200,
                "{\"code\":\"0\",\"data\":{\"orders\":[{\"order_id\":true}]}}",
                OC_RETRY, 0, "data.orders[].order_id is not a number or string");
  expect_orders(L, 200, "{\"code\":\"0\",\"data\":{\"orders\":[{}]}}", OC_RETRY,
                0, "data.orders[].order_id is missing");
  expect_orders(L, 200,
                "{\"code\":\"0\",\"data\":{\"orders\":[{\"order_id\":1.5}]}}",
                OC_RETRY, 0, "not an integer");
  expect_orders(L, 200,
                "{\"code\":\"0\",\"data\":{\"orders\":[{\"order_id\":\"a b\"}]}}",
                OC_RETRY, 0, "not [A-Za-z0-9_-]");
  /* A full page past the cap needs the last update time. */
  body = list_answer(100, 1, "2026-11-25 10:00:00");
  {
    oc_order_query q;
    ct_orders res;

    memset(&q, 0, sizeof q);
    q.page = "5000";
    parse_orders(L, &q, 200, body, &res);
    ASSERT_EQ(res.v.status, OC_RETRY);
    ASSERT_NULL(res.orders);
    ASSERT_NOT_NULL(strstr(res.v.error, "updated_at"));
  }
  free(body);

  expect_orders(G, 200, "{\"code\":\"0\"}", OC_RETRY, 0, "field data is missing");
  expect_orders(G, 200, "{\"code\":\"0\",\"data\":{}}", OC_RETRY, 0,
                "field data is not an array");
  expect_orders(G, 200, "{\"code\":\"0\",\"data\":[\"1\"]}", OC_RETRY, 0,
                "data[] is not an object");
  expect_orders(G, 200, "{\"code\":\"0\",\"data\":[{\"order_id\":[1]}]}",
                OC_RETRY, 0, "data[].order_id is not a number or string");
  expect_orders(G, 200, "{\"code\":\"0\",\"data\":[{\"order_id\":-1}]}",
                OC_RETRY, 0, "negative");
  expect_orders(G, 200, "{\"code\":\"0\",\"data\":[{\"order_id\":\"1\"}", OC_RETRY,
                0, "malformed");
  expect_orders(G, 200, "", OC_RETRY, 0, "malformed");
  return 0;
}

static TEST_IMPL(parse_orders_error_classes) {
  const oc_op L = OC_OP_LIST_ORDERS, G = OC_OP_GET_ORDERS;

  expect_orders(L, 200,
                "{\"type\":\"ISV\",\"code\":\"IllegalAccessToken\",\"message\":"
                "\"The specified access token is invalid or expired\"}",
                OC_AUTH, 0, "IllegalAccessToken");
  expect_orders(G, 200,
                "{\"type\":\"ISV\",\"code\":\"IllegalAccessToken\",\"message\":"
                "\"x\"}",
                OC_AUTH, 0, "IllegalAccessToken: x");
  expect_orders(L, 200,
                "{\"type\":\"ISV\",\"code\":\"ApiCallLimit\",\"message\":\"too "
                "fast\"}",
                OC_RETRY, 2000, "ApiCallLimit: too fast");
  expect_orders(G, 429, "Too Many Requests", OC_RETRY, 2000, "HTTP 429");
  expect_orders(L, 503, "<html>busy</html>", OC_RETRY, 0, "HTTP 503");
  expect_orders(G, 500, "{\"code\":\"0\",\"data\":[]}", OC_RETRY, 0, "HTTP 500");
  expect_orders(L, 200,
                "{\"type\":\"ISP\",\"code\":\"ServiceTimeout\",\"message\":\"x\"}",
                OC_RETRY, 0, "ServiceTimeout");
  expect_orders(L, 200,
                "{\"type\":\"ISV\",\"code\":\"InvalidParameter\",\"message\":"
                "\"update_after is invalid\"}",
                OC_REJECTED, 0, "InvalidParameter: update_after is invalid");
  expect_orders(G, 200,
                "{\"type\":\"ISV\",\"code\":\"IncompleteSignature\",\"message\":"
                "\"x\"}",
                OC_REJECTED, 0, "IncompleteSignature");
  expect_orders(G, 404, "not found", OC_REJECTED, 0, "HTTP 404");
  expect_orders(L, 0, "", OC_RETRY, 0, "no response");
  /* The echoed token is scrubbed. */
  expect_orders(L, 200,
                "{\"type\":\"ISV\",\"code\":\"IllegalAccessToken\",\"message\":"
                "\"bad token " TOKEN "\"}",
                OC_AUTH, 0, "bad token ***");
  return 0;
}

/* One item of a GET_ORDERS answer. */
#define ITEM(sku, status, paid, updated)                                      \
  "{\"order_item_id\":1,\"sku\":\"" sku "\",\"shop_sku\":\"x\","              \
  "\"item_price\":\"99999.00\",\"paid_price\":\"" paid "\",\"currency\":"     \
  "\"VND\",\"status\":\"" status "\",\"updated_at\":\"" updated "\"}"

#define T1 "2026-11-25 10:00:00 +0700"
#define T2 "2026-11-25 10:05:00 +0700"
#define T1_S 1795575600LL
#define T2_S 1795575900LL

static const cJSON *order_by_id(const cJSON *doc, const char *id) {
  const cJSON *o;

  cJSON_ArrayForEach(o, cJSON_GetObjectItemCaseSensitive(doc, "orders"))
    if (strcmp(jstr(o, "id"), id) == 0)
      return o;
  fprintf(stderr, "no order %s\n", id);
  ASSERT(0);
  return NULL;
}

static const char *bad_reason(const cJSON *doc, const char *id) {
  const cJSON *b;

  cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(doc, "bad"))
    if (strcmp(jstr(b, "id"), id) == 0)
      return jstr(b, "error");
  fprintf(stderr, "no bad entry %s\n", id);
  ASSERT(0);
  return NULL;
}

static void check_order(const cJSON *o, const char *status, const char *effect,
                        long long update_time, long long total, int nlines) {
  const cJSON *t = jpath(o, "total_vnd");

  ASSERT_STR_EQ(jstr(o, "status"), status);
  ASSERT_STR_EQ(jstr(o, "effect"), effect);
  ASSERT_EQ((long long)jpath(o, "update_time")->valuedouble, update_time);
  if (total < 0)
    ASSERT(cJSON_IsNull(t));
  else {
    ASSERT(cJSON_IsNumber(t));
    ASSERT_EQ((long long)t->valuedouble, total);
  }
  ASSERT_EQ(cJSON_GetArraySize(jpath(o, "lines")), nlines);
}

static void check_line(const cJSON *o, int i, const char *sku, int qty,
                       long long price) {
  const cJSON *l = cJSON_GetArrayItem(jpath(o, "lines"), i), *p;

  ASSERT_NOT_NULL(l);
  ASSERT_STR_EQ(jstr(l, "sku"), sku);
  ASSERT_EQ((long long)jpath(l, "qty")->valuedouble, qty);
  p = jpath(l, "unit_price_vnd");
  if (price < 0)
    ASSERT(cJSON_IsNull(p));
  else
    ASSERT_EQ((long long)p->valuedouble, price);
}

/* GET_ORDERS over ids, expecting OC_OK; returns the parsed document. */
static cJSON *get_orders(const char *const *ids, size_t nids, const char *body) {
  oc_order_query q;
  ct_orders res;
  cJSON *doc;

  memset(&q, 0, sizeof q);
  q.ids = ids;
  q.nids = nids;
  parse_orders(OC_OP_GET_ORDERS, &q, 200, body, &res);
  if (res.v.status != OC_OK) {
    fprintf(stderr, "status %d: %s\n", (int)res.v.status, res.v.error);
    ASSERT(0);
  }
  ASSERT_NOT_NULL(res.orders);
  doc = cJSON_Parse(res.orders);
  free(res.orders);
  ASSERT_NOT_NULL(doc);
  ASSERT(cJSON_IsArray(jpath(doc, "orders")));
  ASSERT(cJSON_IsArray(jpath(doc, "bad")));
  return doc;
}

/* Eight orders, one per rule of the items' sum, for
 * parse_get_orders_canonical. */
static const char canonical_answer[] =
      "{\"code\":\"0\",\"request_id\":\"r2\",\"data\":["
      /* three units: two of one SKU at one price, one of another */
      "{\"order_id\":101,\"order_items\":["
      ITEM("HN-TRA-001", "delivered", "75000.00", T1) ","
      ITEM("HN-TRA-001", "delivered", "75000.00", T2) ","
      ITEM("HN-MIEN-02", "delivered", "45000.40", T1) "]},"
      /* every unit cancelled */
      "{\"order_id\":\"102\",\"order_items\":["
      ITEM("HN-TRA-001", "canceled", "75000", T1) ","
      ITEM("HN-TRA-001", "lost_by_3pl", "75000", T1) "]},"
      /* unpaid */
      "{\"order_id\":103,\"order_items\":["
      ITEM("HN-TRA-001", "unpaid", "75000", T2) "]},"
      /* one unit returned, one cancelled */
      "{\"order_id\":104,\"order_items\":["
      ITEM("HN-TRA-001", "returned", "75000", T1) ","
      ITEM("HN-TRA-001", "canceled", "75000", T1) "]},"
      /* units in different states: the paid one makes it sold */
      "{\"order_id\":105,\"order_items\":["
      ITEM("HN-TRA-001", "pending", "75000", T1) ","
      ITEM("HN-TRA-001", "ready_to_ship", "75000", T1) ","
      ITEM("HN-TRA-001", "pending", "75000", T1) ","
      ITEM("HN-MIEN-02", "canceled", "45000", T1) "]},"
      /* prices: item_price alone, a number, and none at all */
      "{\"order_id\":106,\"order_items\":["
      "{\"sku\":\"A\",\"item_price\":\"1000.5\",\"status\":\"shipped\","
      "\"updated_at\":\"" T1 "\"},"
      "{\"sku\":\"A\",\"paid_price\":1000.6,\"status\":\"shipped\","
      "\"updated_at\":\"" T1 "\"},"
      "{\"sku\":\"B\",\"status\":\"shipped\",\"updated_at\":\"" T1 "\"}]},"
      /* many distinct statuses: the text is cut at 32 bytes */
      "{\"order_id\":107,\"order_items\":["
      ITEM("A", "delivered", "1", T1) "," ITEM("A", "ready_to_ship", "1", T1)
      "," ITEM("A", "damaged_by_3pl", "1", T1) "," ITEM("A", "returned", "1", T1)
      "]},"
      /* a failed delivery frees the stock */
      "{\"order_id\":108,\"order_items\":[" ITEM("A", "failed", "1", T1) "]}"
      "]}";

static TEST_IMPL(parse_get_orders_canonical) {
  static const char *const ids[] = {"101", "102", "103", "104", "105", "106",
                                    "107", "108"};
  cJSON *doc = get_orders(ids, 8, canonical_answer);
  const cJSON *o;

  ASSERT_EQ(cJSON_GetArraySize(jpath(doc, "orders")), 8);
  ASSERT_EQ(cJSON_GetArraySize(jpath(doc, "bad")), 0);

  o = order_by_id(doc, "101");
  check_order(o, "delivered", "sold", T2_S, 195000, 2);
  check_line(o, 0, "HN-TRA-001", 2, 75000);
  check_line(o, 1, "HN-MIEN-02", 1, 45000);

  o = order_by_id(doc, "102");
  check_order(o, "canceled,lost_by_3pl", "cancelled", T1_S, 150000, 1);
  check_line(o, 0, "HN-TRA-001", 2, 75000);

  check_order(order_by_id(doc, "103"), "unpaid", "reserved", T2_S, 75000, 1);
  check_order(order_by_id(doc, "104"), "returned,canceled", "returned", T1_S,
              150000, 1);

  o = order_by_id(doc, "105");
  check_order(o, "pending,ready_to_ship,canceled", "sold", T1_S, 270000, 2);
  check_line(o, 0, "HN-TRA-001", 3, 75000);
  check_line(o, 1, "HN-MIEN-02", 1, 45000);

  o = order_by_id(doc, "106");
  check_order(o, "shipped", "sold", T1_S, -1, 2);
  check_line(o, 0, "A", 2, 1001); /* "1000.5" and 1000.6 both round to 1001 */
  check_line(o, 1, "B", 1, -1);

  o = order_by_id(doc, "107");
  ASSERT_EQ(strlen(jstr(o, "status")), 32);
  ASSERT_STR_EQ(jstr(o, "status"), "delivered,ready_to_ship,damaged_");
  ASSERT_STR_EQ(jstr(o, "effect"), "sold");
  check_order(order_by_id(doc, "108"), "failed", "cancelled", T1_S, 1, 1);

  /* The canonical keys, and nothing of Lazada's. */
  o = order_by_id(doc, "101");
  ASSERT_EQ(cJSON_GetArraySize(o), 6);
  ASSERT(jhas(o, "id") && jhas(o, "status") && jhas(o, "effect") &&
         jhas(o, "update_time") && jhas(o, "total_vnd") && jhas(o, "lines"));
  ASSERT_EQ(cJSON_GetArraySize(cJSON_GetArrayItem(jpath(o, "lines"), 0)), 3);
  cJSON_Delete(doc);
  return 0;
}

/* The same answer read as the structs themselves, field by field: one
 * order per id, units merged into quantities, -1 for an unknown total. */
static TEST_IMPL(parse_get_orders_structs) {
  static const char *const ids[] = {"101", "102", "103", "104", "105", "106",
                                    "107", "108"};
  oc_shop s = shop_fixture();
  oc_order_query q;
  oc_order_batch b;
  const oc_order *o;

  memset(&q, 0, sizeof q);
  q.ids = ids;
  q.nids = 8;
  conn()->parse_order_batch(&s, &q, 200, canonical_answer, strlen(canonical_answer), &b);
  ASSERT_EQ(b.v.status, OC_OK);
  ASSERT_EQ(b.norders, 8);
  ASSERT_EQ(b.nbad, 0);
  o = &b.orders[0];
  ASSERT_STR_EQ(o->id, "101");
  ASSERT_STR_EQ(o->status, "delivered");
  ASSERT_EQ(o->effect, OC_EFFECT_SOLD);
  ASSERT_EQ(o->update_time, T2_S);
  ASSERT_EQ(o->total_vnd, 195000);
  ASSERT_EQ(o->nlines, 2);
  ASSERT_STR_EQ(o->lines[0].sku, "HN-TRA-001");
  ASSERT_EQ(o->lines[0].qty, 2);
  ASSERT_EQ(o->lines[0].unit_price_vnd, 75000);
  ASSERT_EQ(b.orders[1].effect, OC_EFFECT_CANCELLED);
  ASSERT_STR_EQ(b.orders[1].status, "canceled,lost_by_3pl");
  ASSERT_EQ(b.orders[2].effect, OC_EFFECT_RESERVED);
  ASSERT_EQ(b.orders[3].effect, OC_EFFECT_RETURNED);
  ASSERT_EQ(b.orders[5].total_vnd, -1);
  oc_order_batch_free(&b);
  ASSERT_NULL(b.orders);
  return 0;
}

static TEST_IMPL(parse_get_orders_bad_entries) {
  static const char *const ids[] = {"201", "202", "203", "204", "205", "206",
                                    "207", "208", "209", "210", "211"};
  const char *body =
      "{\"code\":\"0\",\"data\":["
      "{\"order_id\":201,\"order_items\":[" ITEM("A", "delivered", "10", T1) "]},"
      /* unknown status on the second unit */
      "{\"order_id\":202,\"order_items\":[" ITEM("A", "delivered", "10", T1)
      "," ITEM("A", "teleported", "10", T1) "]},"
      /* no sku */
      "{\"order_id\":203,\"order_items\":[{\"status\":\"delivered\","
      "\"paid_price\":\"10\",\"updated_at\":\"" T1 "\"}]},"
      /* no units at all (Lazada has no quantity field) */
      "{\"order_id\":204,\"order_items\":[]},"
      "{\"order_id\":205},"
      /* no or bad update time */
      "{\"order_id\":206,\"order_items\":[{\"sku\":\"A\",\"status\":"
      "\"delivered\"}]},"
      "{\"order_id\":207,\"order_items\":[" ITEM("A", "delivered", "10",
                                                  "2026-11-25 10:00:00") "]},"
      /* a price that is not money */
      "{\"order_id\":208,\"order_items\":[" ITEM("A", "delivered", "ten", T1)
      "]},"
      /* no status, and a unit that is not an object */
      "{\"order_id\":209,\"order_items\":[{\"sku\":\"A\",\"updated_at\":\"" T1
      "\"}]},"
      "{\"order_id\":210,\"order_items\":[7]},"
      "{\"order_id\":211,\"order_items\":[" ITEM("B", "shipped", "20", T2) "]}"
      "]}";
  cJSON *doc = get_orders(ids, 11, body);

  ASSERT_EQ(cJSON_GetArraySize(jpath(doc, "orders")), 2);
  check_order(order_by_id(doc, "201"), "delivered", "sold", T1_S, 10, 1);
  check_order(order_by_id(doc, "211"), "shipped", "sold", T2_S, 20, 1);
  ASSERT_EQ(cJSON_GetArraySize(jpath(doc, "bad")), 9);
  ASSERT_STR_EQ(bad_reason(doc, "202"),
                "order 202: order_items[1].status \"teleported\" is unknown");
  ASSERT_STR_EQ(bad_reason(doc, "203"),
                "order 203: order_items[0].sku is missing or not a text");
  ASSERT_STR_EQ(bad_reason(doc, "204"), "order 204: order_items is empty");
  ASSERT_STR_EQ(bad_reason(doc, "205"), "order 205: order_items is missing");
  ASSERT_STR_EQ(bad_reason(doc, "206"),
                "order 206: order_items[0].updated_at is missing or not a time");
  ASSERT_NOT_NULL(strstr(bad_reason(doc, "207"), "updated_at"));
  ASSERT_STR_EQ(bad_reason(doc, "208"),
                "order 208: order_items[0].paid_price is not a decimal amount");
  ASSERT_STR_EQ(bad_reason(doc, "209"),
                "order 209: order_items[0].status is missing");
  ASSERT_STR_EQ(bad_reason(doc, "210"),
                "order 210: order_items[0] is not an object");
  cJSON_Delete(doc);
  return 0;
}

static TEST_IMPL(parse_get_orders_only_asked) {
  static const char *const ids[] = {"301", "302"};
  /* 302 is absent, 399 was not asked for, 301 comes twice. */
  const char *body =
      "{\"code\":\"0\",\"data\":["
      "{\"order_id\":\"399\",\"order_items\":[" ITEM("A", "delivered", "1", T1)
      "]},"
      "{\"order_id\":301,\"order_items\":[" ITEM("A", "delivered", "1", T1) "]},"
      "{\"order_id\":\"301\",\"order_items\":[" ITEM("A", "delivered", "1", T1)
      "," ITEM("A", "delivered", "1", T1) "]}]}";
  cJSON *doc = get_orders(ids, 2, body);

  ASSERT_EQ(cJSON_GetArraySize(jpath(doc, "orders")), 1);
  ASSERT_EQ(cJSON_GetArraySize(jpath(doc, "bad")), 0);
  check_line(order_by_id(doc, "301"), 0, "A", 1, 1);
  cJSON_Delete(doc);

  doc = get_orders(ids, 2, "{\"code\":\"0\",\"data\":[]}");
  ASSERT_EQ(cJSON_GetArraySize(jpath(doc, "orders")), 0);
  cJSON_Delete(doc);
  return 0;
}

/* ---- push (lazada.md, "Push") -------------------------------------------- */

/* Vector L6: app_key 123456, secret helloworld. */
#define PUSH_L6                                                               \
  "{\"seller_id\":\"1234567\",\"message_type\":0,\"data\":{\"order_"        \
  "status\":\"unpaid\",\"status_update_time\":1603698638,\"trade_order_"     \
  "id\":\"260422900198363\",\"trade_order_line_id\":\"260422900298363\"},"  \
  "\"timestamp\":1603766859530,\"site\":\"lazada_vn\"}"
#define PUSH_L6_SIG                                                           \
  "54aaf6d28340b3249187f3b13863262aa46da3982ea8eae2c7db5f3e1140da3c"
#define PUSH_SECRET "helloworld"

static oc_shop push_shop(void) {
  oc_shop s = shop_fixture();

  s.app_key = "123456";
  s.app_secret = PUSH_SECRET;
  return s;
}

/* The signature for body under the fixture's key, computed here. */
static void push_sign(const char *secret, const char *body, char out[65]) {
  char *msg = ocu_asprintf("123456%s", body);

  ASSERT_NOT_NULL(msg);
  ASSERT_EQ(ocu_hmac_sha256_hex(secret, strlen(secret), msg, strlen(msg),
                                OCU_HEX_LOWER, out),
            0);
  free(msg);
}

/* verify_push must refuse, saying `why`, and leak nothing. */
static void push_refused(const oc_shop *s, const char *auth, const char *body,
                         size_t len, const char *why) {
  oc_push out;
  char want[65];

  memset(&out, 0x5a, sizeof out);
  ASSERT_EQ(conn()->verify_push(s, "https://shop.example/cb", auth, body, len,
                                &out),
            -1);
  if (strstr(out.error, why) == NULL) {
    fprintf(stderr, "error \"%s\" lacks \"%s\"\n", out.error, why);
    ASSERT(0);
  }
  ASSERT_STR_EQ(out.shop_id, "");
  ASSERT_STR_EQ(out.order_id, "");
  ASSERT_EQ(out.kind, 0);
  ASSERT_EQ(out.timestamp, 0);
  if (s->app_secret[0] != '\0')
    ASSERT_NULL(strstr(out.error, s->app_secret));
  push_sign(s->app_secret, body != NULL ? body : "", want);
  ASSERT_NULL(strstr(out.error, want));
  ASSERT_NULL(strstr(out.error, "54aaf6d2"));
}

static TEST_IMPL(push_good_signature) {
  oc_shop s = push_shop();
  oc_push out;
  char sig[65];
  const char *other = "{\"seller_id\":200001,\"message_type\":0,\"data\":{"
                      "\"trade_order_id\":260422900198399,\"order_status\":"
                      "\"canceled\",\"status_update_time\":1795575600},"
                      "\"timestamp\":1795575601,\"site\":\"lazada_vn\"}";
  const char *qc = "{\"seller_id\":\"1234567\",\"message_type\":1,\"data\":{"
                   "\"item_id\":1},\"timestamp\":1795575601,\"site\":"
                   "\"lazada_vn\"}";

  ASSERT_EQ(conn()->verify_push(&s, NULL, PUSH_L6_SIG, PUSH_L6,
                                strlen(PUSH_L6), &out),
            0);
  ASSERT_STR_EQ(out.error, "");
  ASSERT_EQ(out.kind, 0);
  ASSERT_STR_EQ(out.shop_id, "1234567");
  ASSERT_STR_EQ(out.order_id, "260422900198363");
  ASSERT_EQ(out.timestamp, 1603766859); /* L6 stamps milliseconds */

  /* Numbers for ids, seconds for the stamp. */
  push_sign(PUSH_SECRET, other, sig);
  ASSERT_EQ(conn()->verify_push(&s, NULL, sig, other, strlen(other), &out), 0);
  ASSERT_STR_EQ(out.shop_id, "200001");
  ASSERT_STR_EQ(out.order_id, "260422900198399");
  ASSERT_EQ(out.timestamp, 1795575601);

  /* Not about an order: no order id needed, none given. */
  push_sign(PUSH_SECRET, qc, sig);
  ASSERT_EQ(conn()->verify_push(&s, NULL, sig, qc, strlen(qc), &out), 0);
  ASSERT_EQ(out.kind, 1);
  ASSERT_STR_EQ(out.order_id, "");
  ASSERT_STR_EQ(out.shop_id, "1234567");
  return 0;
}

static TEST_IMPL(push_refused_signatures) {
  oc_shop s = push_shop();
  char body[sizeof PUSH_L6], sig[65], upper[65];
  size_t i;

  /* Wrong secret. */
  s.app_secret = "helloworle";
  push_refused(&s, PUSH_L6_SIG, PUSH_L6, strlen(PUSH_L6),
               "signature does not match");
  s = push_shop();
  /* Wrong app_key: it is part of the signed text. */
  s.app_key = "123457";
  push_refused(&s, PUSH_L6_SIG, PUSH_L6, strlen(PUSH_L6),
               "signature does not match");
  s = push_shop();
  /* One byte of the body changed. */
  memcpy(body, PUSH_L6, sizeof body);
  body[strlen(body) - 3] = 'm'; /* lazada_vn -> lazada_mn */
  push_refused(&s, PUSH_L6_SIG, body, strlen(body), "signature does not match");
  /* A body cut short (len excludes the last byte). */
  push_refused(&s, PUSH_L6_SIG, PUSH_L6, strlen(PUSH_L6) - 1,
               "signature does not match");
  /* No header, an empty one, uppercase hex, blanks around it. */
  push_refused(&s, NULL, PUSH_L6, strlen(PUSH_L6), "no Authorization header");
  push_refused(&s, "", PUSH_L6, strlen(PUSH_L6), "signature does not match");
  for (i = 0; i <= 64; i++)
    upper[i] = (char)(PUSH_L6_SIG[i] >= 'a' && PUSH_L6_SIG[i] <= 'f'
                          ? PUSH_L6_SIG[i] - 32
                          : PUSH_L6_SIG[i]);
  push_refused(&s, upper, PUSH_L6, strlen(PUSH_L6), "signature does not match");
  push_refused(&s, " " PUSH_L6_SIG, PUSH_L6, strlen(PUSH_L6),
               "signature does not match");
  push_refused(&s, PUSH_L6_SIG " ", PUSH_L6, strlen(PUSH_L6),
               "signature does not match");
  push_refused(&s, "sha256=" PUSH_L6_SIG, PUSH_L6, strlen(PUSH_L6),
               "signature does not match");
  /* A signature over the body alone (without app_key). */
  ASSERT_EQ(ocu_hmac_sha256_hex(PUSH_SECRET, 10, PUSH_L6, strlen(PUSH_L6),
                                OCU_HEX_LOWER, sig),
            0);
  push_refused(&s, sig, PUSH_L6, strlen(PUSH_L6), "signature does not match");
  /* No secret to check with. */
  s.app_secret = "";
  push_refused(&s, PUSH_L6_SIG, PUSH_L6, strlen(PUSH_L6), "app_secret");
  s = push_shop();
  {
    char *big = malloc(OC_MAX_PUSH + 2);

    ASSERT_NOT_NULL(big);
    memset(big, ' ', OC_MAX_PUSH + 1);
    big[OC_MAX_PUSH + 1] = '\0';
    push_refused(&s, PUSH_L6_SIG, big, OC_MAX_PUSH + 1, "larger than");
    free(big);
  }
  return 0;
}

static TEST_IMPL(push_signed_but_malformed) {
  static const struct {
    const char *body, *why;
  } cases[] = {
      {"not json", "push body: malformed JSON"},
      {"", "push body"},
      {"[1]", "not a JSON object"},
      {"{\"message_type\":0,\"data\":{\"trade_order_id\":\"1\"}}",
       "seller_id is missing"},
      {"{\"seller_id\":true,\"message_type\":0}", "seller_id is not a number"},
      {"{\"seller_id\":\"1\",\"data\":{\"trade_order_id\":\"1\"}}",
       "message_type"},
      {"{\"seller_id\":\"1\",\"message_type\":\"0\"}", "message_type"},
      {"{\"seller_id\":\"1\",\"message_type\":-1}", "message_type"},
      {"{\"seller_id\":\"1\",\"message_type\":0}", "data is not an object"},
      {"{\"seller_id\":\"1\",\"message_type\":0,\"data\":[]}",
       "data is not an object"},
      {"{\"seller_id\":\"1\",\"message_type\":0,\"data\":{}}",
       "data.trade_order_id is missing"},
      {"{\"seller_id\":\"1\",\"message_type\":0,\"data\":{\"trade_order_id\":"
       "\"1 2\"}}",
       "data.trade_order_id is not an order id"},
      {"{\"seller_id\":\"1\",\"message_type\":0,\"data\":{\"trade_order_id\":"
       "\"1\"},\"timestamp\":\"soon\"}",
       "timestamp"},
      {"{\"seller_id\":\"1\",\"message_type\":0,\"data\":{\"trade_order_id\":"
       "\"1\"}} x",
       "push body: malformed JSON"},
  };
  oc_shop s = push_shop();
  char sig[65];
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    push_sign(PUSH_SECRET, cases[i].body, sig);
    push_refused(&s, sig, cases[i].body, strlen(cases[i].body), cases[i].why);
  }
  return 0;
}

static TEST_IMPL(push_errors_hold_no_secret) {
  /* A secret that is also a plausible word of every message. */
  static const char *const secrets[] = {"signature", "does not match", "push",
                                        "body"};
  oc_shop s = push_shop();
  char sig[65];
  size_t i;

  for (i = 0; i < sizeof secrets / sizeof secrets[0]; i++) {
    oc_push out;

    s.app_secret = secrets[i];
    memset(&out, 0, sizeof out);
    ASSERT_EQ(conn()->verify_push(&s, NULL, PUSH_L6_SIG, PUSH_L6,
                                  strlen(PUSH_L6), &out),
              -1);
    push_sign(secrets[i], PUSH_L6, sig);
    ASSERT_NULL(strstr(out.error, sig));
    ASSERT_NOT_NULL(strstr(out.error, "does not match"));
  }
  /* With the plain secret, every refusal above already checked strstr. */
  s = push_shop();
  push_sign(PUSH_SECRET, "{}", sig);
  push_refused(&s, sig, "{}", 2, "seller_id is missing");
  return 0;
}

/* ---- variants (see "Variants" in lazada.md) ------------------------------------- */

/* Three pack sizes of one product: fv[0..2], all new (not on an item). */
static oc_listing three_variants(void) {
  oc_listing l = listing_fixture();

  fv[0].sku = "HN-TRA-001-100";
  fv[0].label = "100 g";
  fv[0].remote_id = NULL;
  fv[0].length_mm = fv[0].width_mm = fv[0].height_mm = 100;
  fv[1] = fv[0];
  fv[1].sku = "HN-TRA-001-250";
  fv[1].label = "250 g";
  fv[1].price_vnd = 160000;
  fv[1].stock = 8;
  fv[1].weight_g = 300;
  fv[1].length_mm = 205;
  fv[1].width_mm = 100;
  fv[1].height_mm = 60;
  fv[2] = fv[0];
  fv[2].sku = "HN-TRA-001-500";
  fv[2].label = "500 g";
  fv[2].price_vnd = 300000;
  fv[2].stock = 0;
  fv[2].weight_g = 550;
  l.nvariants = 3;
  l.item_id = NULL;
  return l;
}

#define SKU_100                                                                         \
  "{\"SellerSku\":\"HN-TRA-001-100\",\"saleProp\":{\"Quy cách\":\"100 g\"},"         \
  "\"quantity\":\"25\",\"price\":\"75000\",\"package_weight\":\"0.25\","              \
  "\"package_length\":\"10\",\"package_width\":\"10\",\"package_height\":\"10\"}"
#define SKU_250                                                                         \
  "{\"SellerSku\":\"HN-TRA-001-250\",\"saleProp\":{\"Quy cách\":\"250 g\"},"         \
  "\"quantity\":\"8\",\"price\":\"160000\",\"package_weight\":\"0.3\","               \
  "\"package_length\":\"20.5\",\"package_width\":\"10\",\"package_height\":\"6\"}"
#define SKU_500                                                                         \
  "{\"SellerSku\":\"HN-TRA-001-500\",\"saleProp\":{\"Quy cách\":\"500 g\"},"         \
  "\"quantity\":\"0\",\"price\":\"300000\",\"package_weight\":\"0.55\","              \
  "\"package_length\":\"10\",\"package_width\":\"10\",\"package_height\":\"10\"}"

/* One CreateProduct with a custom sale property and one Sku per variant. */
static TEST_IMPL(build_publish_variants) {
  oc_shop s = shop_fixture();
  oc_listing l = three_variants();
  const char *p;
  built b;

  build_ok(OC_OP_PUBLISH, &s, &l, BASE, "POST", "/product/create", SELLER_Q, "payload",
           "payload", &b);
  p = kv_get(&b.b, "payload");
  ASSERT_NOT_NULL(strstr(p, "\"Images\":{\"Image\":[\"https://vn-live.slatic.net/p/9d06c8f1.jpg\","
                            "\"https://vn-live-02.slatic.net/p/61bdf049.png\"]},"
                            "\"variation\":{\"variation1\":{\"name\":\"Quy cách\","
                            "\"hasImage\":false,\"customize\":true,\"options\":{\"option\":"
                            "[\"100 g\",\"250 g\",\"500 g\"]}}},\"Attributes\":{"));
  ASSERT_NOT_NULL(strstr(p, "\"Skus\":{\"Sku\":[" SKU_100 "," SKU_250 "," SKU_500 "]}}}}"));
  built_free(&b);

  /* a removed variant is not created; two left still make a variation */
  fv[2].removed = 1;
  build_ok(OC_OP_PUBLISH, &s, &l, BASE, "POST", "/product/create", SELLER_Q, "payload",
           "payload", &b);
  p = kv_get(&b.b, "payload");
  ASSERT_NOT_NULL(strstr(p, "[\"100 g\",\"250 g\"]"));
  ASSERT_NOT_NULL(strstr(p, "\"Skus\":{\"Sku\":[" SKU_100 "," SKU_250 "]}"));
  built_free(&b);
  return 0;
}

/* variation_attribute names a standard sale attribute of the category. */
static TEST_IMPL(build_publish_variants_options) {
  const oc_kv std[] = {{"category_id", "10002019"},
                       {"image_url", "https://a.slatic.net/1.jpg"},
                       {"variation_attribute", "size"}};
  const oc_kv named[] = {{"category_id", "10002019"},
                         {"image_url", "https://a.slatic.net/1.jpg"},
                         {"variation_name", "Khối lượng"}};
  const oc_kv too_long[] = {{"category_id", "10002019"},
                            {"image_url", "https://a.slatic.net/1.jpg"},
                            {"variation_name", "Khối lượng tịnh gói"}};
  oc_shop s = shop_fixture();
  oc_listing l = three_variants();
  const char *p;
  built b;

  s.opts = std;
  s.nopts = 3;
  build_ok(OC_OP_PUBLISH, &s, &l, BASE, "POST", "/product/create", SELLER_Q, "payload",
           "payload", &b);
  p = kv_get(&b.b, "payload");
  ASSERT_NOT_NULL(strstr(p, "{\"variation1\":{\"name\":\"size\",\"hasImage\":false,"
                            "\"customize\":false,"));
  ASSERT_NOT_NULL(strstr(p, "\"saleProp\":{\"size\":\"250 g\"}"));
  built_free(&b);

  s.opts = named;
  build_ok(OC_OP_PUBLISH, &s, &l, BASE, "POST", "/product/create", SELLER_Q, "payload",
           "payload", &b);
  ASSERT_NOT_NULL(strstr(kv_get(&b.b, "payload"), "\"saleProp\":{\"Khối lượng\":\"100 g\"}"));
  built_free(&b);

  s.opts = too_long; /* 19 characters: Lazada takes 15 */
  build_fails(OC_OP_PUBLISH, &s, &l, "variation name must be 1..15 characters");
  s.opts = std;
  fv[1].label = "Hộp quà tết 12 gói 250 g"; /* 24 characters: Lazada takes 20 */
  build_fails(OC_OP_PUBLISH, &s, &l, "variant label longer than 20 characters");
  fv[1].label = "100 g";
  build_fails(OC_OP_PUBLISH, &s, &l, "two variants have the same label");
  fv[1].label = "250 g";
  fv[2].weight_g = 0;
  build_fails(OC_OP_PUBLISH, &s, &l, "variant HN-TRA-001-500 has none");
  return 0;
}

static TEST_IMPL(parse_publish_sku_list) {
  oc_listing l = three_variants();
  oc_listing_result res;

  parse_listing_of(OC_OP_PUBLISH, &l, 200,
                   "{\"code\":\"0\",\"data\":{\"item_id\":3069252927,\"sku_list\":["
                   "{\"shop_sku\":\"3069252927_VN-15298395971\",\"seller_sku\":"
                   "\"HN-TRA-001-250\",\"sku_id\":15298395971},"
                   "{\"shop_sku\":\"3069252927_VN-15298395970\",\"seller_sku\":"
                   "\"HN-TRA-001-100\",\"sku_id\":15298395970}]},\"request_id\":\"r\"}",
                   &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "3069252927");
  ASSERT_EQ(res.nvariants, 2);
  ASSERT_STR_EQ(res.variants[0].sku, "HN-TRA-001-250");
  ASSERT_STR_EQ(res.variants[0].remote_id, "15298395971");
  ASSERT_STR_EQ(res.variants[1].sku, "HN-TRA-001-100");
  ASSERT_STR_EQ(res.variants[1].remote_id, "15298395970");
  /* without sku_list: the item alone */
  parse_listing_of(OC_OP_PUBLISH, &l, 200, "{\"code\":\"0\",\"data\":{\"item_id\":5}}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.nvariants, 0);
  parse_listing_of(OC_OP_PUBLISH, &l, 200,
                   "{\"code\":\"0\",\"data\":{\"item_id\":5,\"sku_list\":{}}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse_listing_of(OC_OP_PUBLISH, &l, 200,
                   "{\"code\":\"0\",\"data\":{\"item_id\":5,\"sku_list\":[{\"seller_sku\":"
                   "\"HN-TRA-001-100\",\"sku_id\":true}]}}",
                   &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  return 0;
}

/* The item of a single variant gains two: one UpdateProduct declaring the
 * variation, giving the SKU on the item its option, adding the new ones. */
static TEST_IMPL(build_variants_add) {
  oc_shop s = shop_fixture();
  oc_listing l = three_variants();
  oc_listing_result res;
  built b;

  l.item_id = "2300069665";
  fv[0].remote_id = "15298395970";
  build_ok(OC_OP_VARIANTS, &s, &l, BASE, "POST", "/product/update", SELLER_Q, "payload",
           "payload", &b);
  ASSERT_STR_EQ(kv_get(&b.b, "payload"),
                "{\"Request\":{\"Product\":{\"ItemId\":\"2300069665\",\"AssociatedSku\":"
                "\"HN-TRA-001-100\",\"Attributes\":\"\",\"variation\":{\"variation1\":{"
                "\"name\":\"Quy cách\",\"hasImage\":false,\"customize\":true,\"options\":{"
                "\"option\":[\"100 g\",\"250 g\",\"500 g\"]}}},\"Skus\":{\"Sku\":["
                "{\"SkuId\":\"15298395970\",\"saleProp\":{\"Quy cách\":\"100 g\"}}," SKU_250
                "," SKU_500 "]}}}}");
  built_free(&b);

  /* UpdateProduct documents no answer: the new SKUs are on the item, ids unknown */
  parse_listing_of(OC_OP_VARIANTS, &l, 200, "{\"code\":\"0\",\"request_id\":\"r\"}", &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.nvariants, 2);
  ASSERT_STR_EQ(res.variants[0].sku, "HN-TRA-001-250");
  ASSERT_STR_EQ(res.variants[0].remote_id, "");
  ASSERT_EQ(res.variants[0].gone, 0);
  ASSERT_STR_EQ(res.variants[1].sku, "HN-TRA-001-500");
  ASSERT_STR_EQ(res.memo, "Quy cách");
  /* an answer that names them gives their ids */
  parse_listing_of(OC_OP_VARIANTS, &l, 200,
                   "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"sku_list\":[{"
                   "\"seller_sku\":\"HN-TRA-001-500\",\"sku_id\":77}]}}",
                   &res);
  ASSERT_STR_EQ(res.variants[0].remote_id, "");
  ASSERT_STR_EQ(res.variants[1].remote_id, "77");
  /* a refusal is the marketplace's */
  parse_listing_of(OC_OP_VARIANTS, &l, 200,
                   "{\"code\":\"SKU_VARIATION_OPTION_NOT_EXIST\",\"type\":\"ISV\","
                   "\"message\":\"The SKU Variation Option is Not Exist\"}",
                   &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_EQ(res.nvariants, 0);

  /* the item already has a variation (the memo LOOKUP_SKU read): its name */
  fv[1].remote_id = "15298395971";
  l.memo = "Trọng lượng";
  build_ok(OC_OP_VARIANTS, &s, &l, BASE, "POST", "/product/update", SELLER_Q, "payload",
           "payload", &b);
  ASSERT_NOT_NULL(strstr(kv_get(&b.b, "payload"),
                         "{\"SkuId\":\"15298395971\",\"saleProp\":{\"Trọng lượng\":\"250 g\"}},"
                         "{\"SellerSku\":\"HN-TRA-001-500\",\"saleProp\":{\"Trọng lượng\":"
                         "\"500 g\"},"));
  built_free(&b);

  /* a new SKU needs its package, as in CreateProduct */
  fv[2].width_mm = 0;
  build_fails(OC_OP_VARIANTS, &s, &l, "variant HN-TRA-001-500 lacks them");
  fv[2].width_mm = 100;

  /* nothing on the item to add to */
  fv[0].remote_id = fv[1].remote_id = NULL;
  build_fails(OC_OP_VARIANTS, &s, &l, "no SKU of the item is known");
  return 0;
}

/* Removed variants go by RemoveSku once nothing is left to add. */
static TEST_IMPL(build_variants_remove) {
  oc_shop s = shop_fixture();
  oc_listing l = three_variants();
  oc_listing_result res;
  built b;

  l.item_id = "2300069665";
  fv[0].remote_id = "15298395970";
  fv[1].remote_id = "15298395971";
  fv[1].removed = 1;
  fv[2].remote_id = ""; /* on the item, id unknown: by SellerSku */
  fv[2].removed = 1;
  build_ok(OC_OP_VARIANTS, &s, &l, BASE, "POST", "/product/sku/remove", SELLER_Q,
           "payload", "payload", &b);
  ASSERT_STR_EQ(kv_get(&b.b, "payload"),
                "{\"Request\":{\"Product\":{\"ItemId\":\"2300069665\",\"Skus\":{\"Sku\":["
                "{\"SkuId\":\"15298395971\"},{\"SellerSku\":\"HN-TRA-001-500\"}]}}}}");
  built_free(&b);
  parse_listing_of(OC_OP_VARIANTS, &l, 200, "{\"code\":\"0\",\"data\":{},\"request_id\":\"r\"}",
                   &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.nvariants, 2);
  ASSERT_STR_EQ(res.variants[0].sku, "HN-TRA-001-250");
  ASSERT_STR_EQ(res.variants[0].remote_id, "15298395971");
  ASSERT_EQ(res.variants[0].gone, 1);
  ASSERT_EQ(res.variants[1].gone, 1);
  parse_listing_of(OC_OP_VARIANTS, &l, 200,
                   "{\"code\":\"CAN_NOT_REMOVE_ALL_SKU\",\"type\":\"ISV\",\"message\":"
                   "\"Can not remove all sku\"}",
                   &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);

  /* never the last SKU: Lazada refuses it */
  fv[0].removed = 1;
  build_fails(OC_OP_VARIANTS, &s, &l, "cannot remove every SKU");
  return 0;
}

/* In line: no request at all. */
static TEST_IMPL(build_variants_in_line) {
  oc_shop s = shop_fixture();
  oc_listing l = three_variants();
  oc_request r;
  char err[64] = "x";

  l.item_id = "2300069665";
  fv[0].remote_id = "1";
  fv[1].remote_id = "";
  fv[2].removed = 1; /* gone already */
  memset(&r, 0x5a, sizeof r);
  ASSERT_EQ(conn()->build_listing(OC_OP_VARIANTS, &s, &l, NOW_MS, &r, err, sizeof err),
            OC_IN_LINE);
  ASSERT_NULL(r.url);
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 0);
  ASSERT_STR_EQ(err, "");
  /* the migrated single variant is in line as it is */
  l = listing_fixture();
  ASSERT_EQ(conn()->build_listing(OC_OP_VARIANTS, &s, &l, NOW_MS, &r, err, sizeof err),
            OC_IN_LINE);
  /* a bad listing is still refused */
  l.item_id = NULL;
  ASSERT_EQ(conn()->build_listing(OC_OP_VARIANTS, &s, &l, NOW_MS, &r, err, sizeof err), -1);
  return 0;
}

/* Stock and price: one call, one Sku per variant on the item. */
static TEST_IMPL(build_set_stock_variants) {
  oc_shop s = shop_fixture();
  oc_listing l = three_variants();
  built b;

  l.item_id = "2300069665";
  fv[0].remote_id = "15298395970";
  fv[1].remote_id = "";
  fv[2].remote_id = "15298395972";
  l.nvariants = 4;
  fv[3] = fv[0];
  fv[3].sku = "HN-TRA-001-1K";
  fv[3].label = "1 kg";
  fv[3].remote_id = NULL; /* not on the item yet: not sent */
  build_ok(OC_OP_SET_STOCK, &s, &l, BASE, "POST", "/product/price_quantity/update", SELLER_Q,
           "payload", "payload", &b);
  ASSERT_STR_EQ(kv_get(&b.b, "payload"),
                "{\"Request\":{\"Product\":{\"Skus\":{\"Sku\":["
                "{\"ItemId\":\"2300069665\",\"SkuId\":\"15298395970\",\"SellerSku\":"
                "\"HN-TRA-001-100\",\"Quantity\":\"25\"},"
                "{\"ItemId\":\"2300069665\",\"SellerSku\":\"HN-TRA-001-250\",\"Quantity\":"
                "\"8\"},"
                "{\"ItemId\":\"2300069665\",\"SkuId\":\"15298395972\",\"SellerSku\":"
                "\"HN-TRA-001-500\",\"Quantity\":\"0\"}]}}}}");
  built_free(&b);
  fv[2].removed = 1; /* removed: never priced again */
  build_ok(OC_OP_SET_PRICE, &s, &l, BASE, "POST", "/product/price_quantity/update", SELLER_Q,
           "payload", "payload", &b);
  ASSERT_STR_EQ(kv_get(&b.b, "payload"),
                "{\"Request\":{\"Product\":{\"Skus\":{\"Sku\":["
                "{\"ItemId\":\"2300069665\",\"SkuId\":\"15298395970\",\"SellerSku\":"
                "\"HN-TRA-001-100\",\"Price\":\"75000\"},"
                "{\"ItemId\":\"2300069665\",\"SellerSku\":\"HN-TRA-001-250\",\"Price\":"
                "\"160000\"}]}}}}");
  built_free(&b);
  fv[0].remote_id = fv[1].remote_id = NULL;
  build_fails(OC_OP_SET_PRICE, &s, &l, "no variant of the listing is on the Lazada item");
  return 0;
}

/* LOOKUP_SKU of a known item reads it: GetProductItem. */
static TEST_IMPL(build_lookup_item) {
  oc_shop s = shop_fixture();
  oc_listing l = three_variants();
  built b;

  l.item_id = "2300069665";
  build_ok(OC_OP_LOOKUP_SKU, &s, &l, BASE, "GET", "/product/item/get",
           "access_token,app_key,item_id,sign,sign_method,timestamp", "", NULL, &b);
  ASSERT_STR_EQ(kv_get(&b.q, "item_id"), "2300069665");
  built_free(&b);
  l.item_id = "0x12";
  build_fails(OC_OP_LOOKUP_SKU, &s, &l, "item_id is not a numeric Lazada item id");
  /* by seller SKU: the product code and every variant's SKU */
  l.item_id = NULL;
  build_ok(OC_OP_LOOKUP_SKU, &s, &l, BASE, "GET", "/products/get",
           "access_token,app_key,filter,limit,offset,sign,sign_method,"
           "sku_seller_list,timestamp",
           "", "sku_seller_list", &b);
  ASSERT_STR_EQ(kv_get(&b.q, "sku_seller_list"),
                "[\"HN-TRA-001\",\"HN-TRA-001-100\",\"HN-TRA-001-250\",\"HN-TRA-001-500\"]");
  built_free(&b);
  return 0;
}

#define ITEM_3                                                                             \
  "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":\"active\",\"variation\":{" \
  "\"Variation1\":{\"name\":\"Quy cách\",\"label\":\"Quy cách\",\"hasImage\":false,"     \
  "\"customize\":true,\"options\":[\"100 g\",\"250 g\"]}},\"skus\":["                     \
  "{\"Status\":\"active\",\"quantity\":25,\"SellerSku\":\"HN-TRA-001-100\",\"saleProp\":{" \
  "\"Quy cách\":\"100 g\"},\"price\":75000.0,\"SkuId\":15298395970},"                     \
  "{\"Status\":\"inactive\",\"quantity\":\"3\",\"SellerSku\":\"HN-TRA-001-250\","         \
  "\"saleProp\":{\"Quy cách\":\"250 g\"},\"price\":\"160000.00\",\"SkuId\":15298395971}," \
  "{\"Status\":\"deleted\",\"quantity\":0,\"SellerSku\":\"HN-TRA-001-500\",\"price\":1,"  \
  "\"SkuId\":15298395972}]}}"

static TEST_IMPL(parse_lookup_item) {
  oc_listing l = three_variants();
  oc_listing_result res;

  l.item_id = "2300069665";
  parse_listing_of(OC_OP_LOOKUP_SKU, &l, 200, ITEM_3, &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "2300069665");
  ASSERT_EQ(res.nvariants, 2); /* the deleted SKU is not on the item */
  ASSERT_STR_EQ(res.variants[0].sku, "HN-TRA-001-100");
  ASSERT_STR_EQ(res.variants[0].remote_id, "15298395970");
  ASSERT_EQ(res.variants[0].price_vnd, 75000);
  ASSERT_EQ(res.variants[0].stock, 25);
  ASSERT_STR_EQ(res.variants[1].remote_id, "15298395971");
  ASSERT_EQ(res.variants[1].price_vnd, 160000);
  ASSERT_EQ(res.variants[1].stock, 3);
  ASSERT_STR_EQ(res.memo, "Quy cách");
  /* an item without variation: memo "" */
  parse_listing_of(OC_OP_LOOKUP_SKU, &l, 200,
                   "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":\"active\","
                   "\"skus\":[{\"SellerSku\":\"HN-TRA-001\",\"SkuId\":\"9\"}]}}",
                   &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.memo, "");
  ASSERT_EQ(res.variants[0].price_vnd, -1);
  ASSERT_EQ(res.variants[0].stock, -1);
  ASSERT_STR_EQ(res.variants[0].remote_id, "9");
  /* gone, another item, no SkuId */
  parse_listing_of(OC_OP_LOOKUP_SKU, &l, 200,
                   "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":\"deleted\","
                   "\"skus\":[]}}",
                   &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);
  parse_listing_of(OC_OP_LOOKUP_SKU, &l, 200,
                   "{\"code\":\"0\",\"data\":{\"item_id\":1,\"status\":\"active\",\"skus\":[]}}",
                   &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse_listing_of(OC_OP_LOOKUP_SKU, &l, 200,
                   "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"skus\":[{\"SellerSku\":"
                   "\"HN-TRA-001-100\"}]}}",
                   &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  parse_listing_of(OC_OP_LOOKUP_SKU, &l, 200, "{\"code\":\"E0401\",\"message\":\"x\"}", &res);
  ASSERT_EQ(res.v.status, OC_NOT_FOUND);

  /* by seller SKU: a variant's SKU finds the item and all its SKUs */
  l.item_id = NULL;
  parse_listing_of(OC_OP_LOOKUP_SKU, &l, 200,
                   "{\"code\":\"0\",\"data\":{\"products\":[{\"item_id\":7,\"status\":"
                   "\"active\",\"skus\":[{\"SellerSku\":\"HN-TRA-001-250\",\"SkuId\":71},"
                   "{\"SellerSku\":\"SOMETHING-ELSE\",\"SkuId\":72}]}]}}",
                   &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.item_id, "7");
  ASSERT_EQ(res.nvariants, 2);
  ASSERT_STR_EQ(res.variants[0].remote_id, "71");
  return 0;
}

/* GET_LISTING: every live SKU's price and stock. */
static TEST_IMPL(parse_get_listing_variants) {
  oc_listing l = three_variants();
  oc_listing_result res;

  l.item_id = "2300069665";
  parse_listing_of(OC_OP_GET_LISTING, &l, 200, ITEM_3, &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 1);
  ASSERT_EQ(res.nvariants, 2);
  ASSERT_EQ(res.variants[1].price_vnd, 160000);
  ASSERT_EQ(res.variants[1].stock, 3);
  /* an empty item is read as such */
  parse_listing_of(OC_OP_GET_LISTING, &l, 200,
                   "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":\"inactive\","
                   "\"skus\":[]}}",
                   &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.active, 0);
  ASSERT_EQ(res.nvariants, 0);
  /* amounts are required here */
  parse_listing_of(OC_OP_GET_LISTING, &l, 200,
                   "{\"code\":\"0\",\"data\":{\"item_id\":2300069665,\"status\":\"active\","
                   "\"skus\":[{\"SellerSku\":\"HN-TRA-001-100\",\"SkuId\":1,\"price\":1}]}}",
                   &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  return 0;
}

/* ---- UPLOAD_IMAGE ---------------------------------------------------------- */

static const unsigned char jpeg_bytes[] = {0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 'J', 'F', 'I', 'F'};

static oc_upload upload_fixture(void) {
  oc_upload u;

  memset(&u, 0, sizeof u);
  u.data = jpeg_bytes;
  u.len = sizeof jpeg_bytes;
  u.filename = "HN-TRA-001-1.jpg";
  u.mime = "image/jpeg";
  u.width = 800;
  u.height = 600;
  return u;
}

/* The query of a built upload or category call, checked: keys, the
 * system parameters and the sign over the query alone. */
static void check_query(const oc_request *r, const char *api, const char *keys_want,
                        kvlist *q) {
  char want[256], keys[256], sign[65];

  snprintf(want, sizeof want, "%s/rest%s", BASE, api);
  ASSERT_STR_EQ(r->log_url, want);
  strncat(want, "?", sizeof want - strlen(want) - 1);
  ASSERT(starts_with(r->url, want));
  parse_pairs(r->url + strlen(want), q);
  kv_keys(q, keys, sizeof keys);
  ASSERT_STR_EQ(keys, keys_want);
  ASSERT_STR_EQ(kv_get(q, "app_key"), "123456");
  ASSERT_STR_EQ(kv_get(q, "timestamp"), NOW_TEXT);
  ASSERT_STR_EQ(kv_get(q, "access_token"), TOKEN);
  expected_sign(api, q, NULL, sign);
  ASSERT_STR_EQ(kv_get(q, "sign"), sign);
}

/* UploadImage: POST /image/upload, the system parameters and sign in the
 * query (the file is not signed), the bytes as the multipart field
 * "image"; no form body and no Content-Type of our own (libcurl writes the
 * multipart one with its boundary). */
static TEST_IMPL(build_upload_image) {
  oc_shop s = shop_fixture();
  oc_upload u = upload_fixture();
  oc_request r;
  kvlist q = {{0}, {0}, 0};
  char err[256];

  ASSERT_EQ(conn()->build_upload(&s, &u, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(err, "");
  ASSERT_STR_EQ(r.method, "POST");
  check_query(&r, "/image/upload", SELLER_Q, &q);
  /* The signed text, byte for byte: the system parameters alone. */
  {
    lz_param p[] = {{"app_key", "123456", 0},
                    {"timestamp", NOW_TEXT, 0},
                    {"sign_method", "sha256", 0},
                    {"access_token", TOKEN, 0}};
    char *base = lz_base_string("/image/upload", p, 4);

    ASSERT_STR_EQ(base, "/image/uploadaccess_token" TOKEN "app_key123456sign_methodsha256"
                        "timestamp" NOW_TEXT);
    free(base);
  }
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.body_len, 0);
  ASSERT_EQ(r.nheaders, 0);
  ASSERT_EQ(r.nparts, 1);
  ASSERT_STR_EQ(r.parts[0].name, "image");
  ASSERT_NULL(r.parts[0].value);
  ASSERT_STR_EQ(r.parts[0].filename, "HN-TRA-001-1.jpg");
  ASSERT_STR_EQ(r.parts[0].mime, "image/jpeg");
  ASSERT(r.file == jpeg_bytes);
  ASSERT_EQ(r.file_len, sizeof jpeg_bytes);
  kv_free(&q);
  oc_request_free(&r);
  /* a file name unfit for a header is replaced */
  u.filename = "a\"b.png";
  u.mime = "image/png";
  ASSERT_EQ(conn()->build_upload(&s, &u, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.parts[0].filename, "image.png");
  ASSERT_STR_EQ(r.parts[0].mime, "image/png");
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
  ASSERT_NULL(r.file);
  if (strstr(err, want) == NULL) {
    fprintf(stderr, "error \"%s\" lacks \"%s\"\n", err, want);
    ASSERT(0);
  }
}

/* Lazada's limits (image-upload guide): JPG or PNG, <= 3145728 bytes,
 * 330-5000 px on each side; a refusal names the limit and the figure. */
static TEST_IMPL(build_upload_refusals) {
  oc_shop s = shop_fixture();
  oc_upload u = upload_fixture();

  u.mime = "image/gif";
  upload_fails(&s, &u, "Lazada takes JPG or PNG images; this one is image/gif");
  u = upload_fixture();
  u.len = 3145729;
  upload_fails(&s, &u, "Lazada takes images of at most 3145728 bytes (3 MB); this one has "
                       "3145729");
  u = upload_fixture();
  u.width = 329;
  upload_fails(&s, &u, "Lazada takes images of 330-5000 px on each side; this one is 329x600 px");
  u = upload_fixture();
  u.height = 5001;
  upload_fails(&s, &u, "this one is 800x5001 px");
  u = upload_fixture();
  u.len = 0;
  upload_fails(&s, &u, "image is missing or empty");
  u = upload_fixture();
  u.width = u.height = 330; /* the limits themselves are fine */
  {
    oc_request r;
    char err[256];

    ASSERT_EQ(conn()->build_upload(&s, &u, NOW_MS, &r, err, sizeof err), 0);
    oc_request_free(&r);
    u.width = u.height = 5000;
    u.len = 3145728;
    ASSERT_EQ(conn()->build_upload(&s, &u, NOW_MS, &r, err, sizeof err), 0);
    oc_request_free(&r);
  }
  s.access_token = "";
  upload_fails(&s, &u, "access_token is not set");
  return 0;
}

static void parse_upload(long status, const char *body, oc_upload_result *res) {
  oc_shop s = shop_fixture();
  oc_upload u = upload_fixture();

  memset(res, 0x5a, sizeof *res);
  conn()->parse_upload(&s, &u, status, body, strlen(body), res);
}

/* data.image.url is the URL to send, data.image.hash_code the id. */
static TEST_IMPL(parse_upload_image) {
  oc_upload_result res;

  parse_upload(200,
               "{\"data\":{\"image\":{\"hash_code\":\"9d06c8f1b19c16231757dae10ab97673\","
               "\"url\":\"https://vn-live-02.slatic.net/p/9d06c8f1b19c16231757dae10ab97673.jpg\"}},"
               "\"code\":\"0\",\"request_id\":\"212237bd16563140630542742\"}",
               &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_STR_EQ(res.remote_id, "9d06c8f1b19c16231757dae10ab97673");
  ASSERT_STR_EQ(res.url, "https://vn-live-02.slatic.net/p/9d06c8f1b19c16231757dae10ab97673.jpg");
  ASSERT_STR_EQ(res.v.request_id, "212237bd16563140630542742");
  parse_upload(200, "{\"data\":{\"image\":{\"hash_code\":\"a\"}},\"code\":\"0\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "malformed response: field data.image.url is missing");
  parse_upload(200,
               "{\"data\":{\"image\":{\"hash_code\":\"a\",\"url\":\"https://example.com/a.jpg\"}},"
               "\"code\":\"0\"}",
               &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_STR_EQ(res.v.error, "malformed response: field data.image.url is not a Lazada image URL");
  ASSERT_STR_EQ(res.url, "");
  /* Lazada's refusals of the image are final, whatever the type says */
  parse_upload(200,
               "{\"type\":\"ISP\",\"code\":\"303\",\"message\":\"The image is too large\","
               "\"request_id\":\"r1\"}",
               &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "303: The image is too large");
  parse_upload(200, "{\"type\":\"ISV\",\"code\":\"IllegalAccessToken\",\"message\":\"x\"}",
               &res);
  ASSERT_EQ(res.v.status, OC_AUTH);
  parse_upload(0, "", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  return 0;
}

/* ---- CATEGORY ------------------------------------------------------------- */

static void category_ok(int step, const char *api, const char *keys, kvlist *q) {
  oc_shop s = shop_fixture();
  oc_category_query cq = {"10001", step, step == 0 ? "" : "{}"};
  oc_request r;
  char err[256];

  ASSERT_EQ(conn()->build_category(&s, &cq, NOW_MS, &r, err, sizeof err), 0);
  ASSERT_STR_EQ(r.method, "GET");
  ASSERT_NULL(r.body);
  ASSERT_EQ(r.nheaders, 0);
  check_query(&r, api, keys, q);
  oc_request_free(&r);
}

/* Step 0 GetCategoryAttributes, steps 1.. GetBrandByPages by 200. */
static TEST_IMPL(build_category_steps) {
  oc_shop s = shop_fixture();
  oc_category_query cq = {"10000x", 0, ""};
  kvlist q = {{0}, {0}, 0};
  oc_request r;
  char err[256];

  category_ok(0, "/category/attributes/get",
              "access_token,app_key,language_code,primary_category_id,sign,sign_method,timestamp",
              &q);
  ASSERT_STR_EQ(kv_get(&q, "primary_category_id"), "10001");
  ASSERT_STR_EQ(kv_get(&q, "language_code"), "en_US");
  kv_free(&q);
  category_ok(1, "/category/brands/query",
              "access_token,app_key,pageSize,sign,sign_method,startRow,timestamp", &q);
  ASSERT_STR_EQ(kv_get(&q, "startRow"), "0");
  ASSERT_STR_EQ(kv_get(&q, "pageSize"), "200");
  kv_free(&q);
  category_ok(3, "/category/brands/query",
              "access_token,app_key,pageSize,sign,sign_method,startRow,timestamp", &q);
  ASSERT_STR_EQ(kv_get(&q, "startRow"), "400");
  kv_free(&q);
  ASSERT_EQ(conn()->build_category(&s, &cq, NOW_MS, &r, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "category query needs a numeric Lazada category id and a step of 0-100");
  ASSERT_NULL(r.url);
  return 0;
}

static void parse_category(int step, const char *prev, const char *body,
                           oc_category_result *res) {
  oc_shop s = shop_fixture();
  oc_category_query cq = {"10001", step, prev};

  memset(res, 0x5a, sizeof *res);
  conn()->parse_category(&s, &cq, 200, body, strlen(body), res);
}

#define ATTRS_ANSWER                                                                          \
  "{\"code\":\"0\",\"request_id\":\"r0\",\"data\":["                                         \
  "{\"id\":100005571,\"name\":\"name\",\"label\":\"Name\",\"input_type\":\"text\","          \
  "\"attribute_type\":\"normal\",\"is_mandatory\":1,\"is_sale_prop\":0,\"options\":[]},"     \
  "{\"id\":20000,\"name\":\"brand\",\"label\":\"Brand\",\"input_type\":\"singleSelect\","    \
  "\"attribute_type\":\"normal\",\"is_mandatory\":0,\"is_sale_prop\":0,\"options\":[]},"     \
  "{\"id\":100009001,\"name\":\"country_of_origin\",\"label\":\"Country of Origin\","        \
  "\"input_type\":\"singleSelect\",\"attribute_type\":\"normal\",\"is_mandatory\":\"1\","    \
  "\"is_sale_prop\":\"0\",\"options\":[{\"name\":\"Việt Nam\",\"en_name\":\"Vietnam\","      \
  "\"id\":9001},{\"name\":\"Thailand\",\"id\":\"9002\"}]},"                                 \
  "{\"id\":100009002,\"name\":\"shelf_life\",\"label\":\"Shelf Life\",\"input_type\":"       \
  "\"text\",\"attribute_type\":\"normal\",\"is_mandatory\":1,\"is_sale_prop\":0},"           \
  "{\"id\":100009003,\"name\":\"net_weight\",\"label\":\"Net Weight\",\"input_type\":"       \
  "\"enumInput\",\"attribute_type\":\"normal\",\"is_mandatory\":0,\"options\":["            \
  "{\"name\":\"100g\",\"en_name\":\"100g\",\"id\":1}]},"                                     \
  "{\"id\":100005683,\"name\":\"color_family\",\"label\":\"Color\",\"input_type\":"          \
  "\"multiEnumInput\",\"attribute_type\":\"sku\",\"is_mandatory\":0,\"is_sale_prop\":1},"    \
  "{\"id\":100006667,\"name\":\"package_weight\",\"label\":\"Package Weight\","              \
  "\"input_type\":\"numeric\",\"attribute_type\":\"sku\",\"is_mandatory\":1},"              \
  "{\"id\":40000,\"name\":\"__images__\",\"label\":\"Images\",\"input_type\":\"img\","       \
  "\"attribute_type\":\"normal\",\"is_mandatory\":0}]}"

#define ATTRS_RULES                                                                           \
  "{\"leaf\":true,\"brand_required\":false,\"dimensions_required\":true,\"no_brand\":null,"  \
  "\"brands\":[],\"attrs\":[{\"id\":\"country_of_origin\",\"name\":\"Country of Origin\","   \
  "\"required\":true,\"values\":[{\"id\":\"9001\",\"name\":\"Vietnam\"},{\"id\":\"9002\","   \
  "\"name\":\"Thailand\"}]},{\"id\":\"shelf_life\",\"name\":\"Shelf Life\",\"required\":"    \
  "true},{\"id\":\"net_weight\",\"name\":\"Net Weight\",\"required\":false}],"              \
  "\"certifications\":[]}"

/* GetCategoryAttributes into rules, byte for byte: keys as ids, labels as
 * names, closed lists with their en_name, the connector's own and the
 * SKU-level attributes left out; then the brands. */
static TEST_IMPL(parse_category_rules) {
  oc_category_result res;
  char page[64 * 1024];
  size_t i, n;

  parse_category(0, "", ATTRS_ANSWER, &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 1);
  ASSERT_STR_EQ(res.rules, ATTRS_RULES);
  free(res.rules);

  parse_category(1, ATTRS_RULES,
                 "{\"code\":\"0\",\"data\":{\"start_row\":\"0\",\"page_size\":\"200\","
                 "\"module\":[{\"name\":\"No Brand\",\"global_identifier\":\"no_brand\","
                 "\"name_en\":\"No Brand\",\"brand_id\":\"30768\"},{\"name\":\"Tài Hoan\","
                 "\"brand_id\":41}]}}",
                 &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 0); /* a page shorter than 200 is the last */
  ASSERT_STR_EQ(res.rules,
                "{\"leaf\":true,\"brand_required\":false,\"dimensions_required\":true,"
                "\"no_brand\":{\"id\":\"30768\",\"name\":\"No Brand\"},\"brands\":[{\"id\":"
                "\"30768\",\"name\":\"No Brand\"},{\"id\":\"41\",\"name\":\"Tài Hoan\"}],"
                "\"attrs\":[{\"id\":\"country_of_origin\",\"name\":\"Country of Origin\","
                "\"required\":true,\"values\":[{\"id\":\"9001\",\"name\":\"Vietnam\"},{\"id\":"
                "\"9002\",\"name\":\"Thailand\"}]},{\"id\":\"shelf_life\",\"name\":\"Shelf "
                "Life\",\"required\":true},{\"id\":\"net_weight\",\"name\":\"Net Weight\","
                "\"required\":false}],\"certifications\":[]}");
  free(res.rules);

  /* a full page asks for the next */
  n = (size_t)snprintf(page, sizeof page, "{\"code\":\"0\",\"data\":{\"module\":[");
  for (i = 0; i < 200; i++)
    n += (size_t)snprintf(page + n, sizeof page - n, "%s{\"name\":\"B%zu\",\"brand_id\":%zu}",
                          i ? "," : "", i, i + 1);
  snprintf(page + n, sizeof page - n, "]}}");
  parse_category(1, ATTRS_RULES, page, &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 1);
  ASSERT_NOT_NULL(strstr(res.rules, "{\"id\":\"200\",\"name\":\"B199\"}"));
  free(res.rules);

  /* a brand-required category has no "no brand" */
  parse_category(1,
                 "{\"leaf\":true,\"brand_required\":true,\"dimensions_required\":true,"
                 "\"no_brand\":null,\"brands\":[],\"attrs\":[],\"certifications\":[]}",
                 "{\"code\":\"0\",\"data\":{\"module\":[{\"name\":\"No Brand\","
                 "\"brand_id\":30768}]}}",
                 &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_NOT_NULL(strstr(res.rules, "\"no_brand\":null"));
  free(res.rules);
  return 0;
}

/* A category that is not a leaf has no attribute set (E057): "leaf":
 * false, no error. Other refusals are Lazada's. */
static TEST_IMPL(parse_category_not_leaf) {
  oc_category_result res;

  parse_category(0, "",
                 "{\"type\":\"ISV\",\"code\":\"57\",\"message\":\"E057: No attribute sets "
                 "linked to that category.\",\"request_id\":\"r\"}",
                 &res);
  ASSERT_EQ(res.v.status, OC_OK);
  ASSERT_EQ(res.more, 0);
  ASSERT_STR_EQ(res.rules,
                "{\"leaf\":false,\"brand_required\":false,\"dimensions_required\":false,"
                "\"no_brand\":null,\"brands\":[],\"attrs\":[],\"certifications\":[]}");
  free(res.rules);
  parse_category(0, "", "{\"type\":\"ISV\",\"code\":\"4227\",\"message\":\"Query category is "
                        "null\"}",
                 &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_STR_EQ(res.v.error, "4227: Query category is null");
  ASSERT_NULL(res.rules);
  parse_category(0, "", "{\"code\":\"0\",\"data\":{}}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_NULL(res.rules);
  parse_category(2, "not json", "{\"code\":\"0\",\"data\":{\"module\":[]}}", &res);
  ASSERT_EQ(res.v.status, OC_REJECTED);
  ASSERT_NULL(res.rules);
  return 0;
}

/* A refusal of the product's content (Lazada's codes for category,
 * attribute, brand, image, package) says so: content = 1, Lazada's code
 * and message kept. Other refusals, and other operations, do not. */
static TEST_IMPL(parse_content_refusals) {
  static const char *const codes[] = {"4110", "4115", "4140", "4142", "4156", "4138",
                                      "4139", "4134", "201",  "4149"};
  oc_listing l = listing_fixture();
  oc_listing_result res;
  char body[256];
  size_t i;

  for (i = 0; i < sizeof codes / sizeof codes[0]; i++) {
    snprintf(body, sizeof body,
             "{\"type\":\"ISV\",\"code\":\"%s\",\"message\":\"refused\",\"detail\":[{\"field\":"
             "\"brand_id\",\"message\":\"why\"}]}",
             codes[i]);
    parse_listing_of(OC_OP_PUBLISH, &l, 200, body, &res);
    ASSERT_EQ(res.v.status, OC_REJECTED);
    ASSERT_EQ(res.content, 1);
    parse_listing_of(OC_OP_UPDATE, &l, 200, body, &res);
    ASSERT_EQ(res.content, 1);
    parse_listing_of(OC_OP_SET_STOCK, &l, 200, body, &res);
    ASSERT_EQ(res.v.status, OC_REJECTED);
    ASSERT_EQ(res.content, 0);
  }
  parse_listing_of(OC_OP_PUBLISH, &l, 200,
                   "{\"type\":\"ISV\",\"code\":\"4110\",\"message\":\"BIZ_CHECK_CAT_PROP_"
                   "MANDATORY\",\"detail\":[{\"field\":\"shelf_life\",\"message\":\"is "
                   "mandatory\"}]}",
                   &res);
  ASSERT_STR_EQ(res.v.error,
                "4110: BIZ_CHECK_CAT_PROP_MANDATORY (detail: shelf_life: is mandatory)");
  /* a duplicate SellerSku is not about content: an earlier create landed */
  parse_listing_of(OC_OP_PUBLISH, &l, 200,
                   "{\"type\":\"ISV\",\"code\":\"4105\",\"message\":\"BIZ_CHECK_SELLER_SKU_"
                   "DUPLICATE\"}",
                   &res);
  ASSERT_EQ(res.v.status, OC_EXISTS);
  ASSERT_EQ(res.content, 0);
  /* busy is busy, whatever the code */
  parse_listing_of(OC_OP_PUBLISH, &l, 503, "{\"type\":\"ISV\",\"code\":\"4110\"}", &res);
  ASSERT_EQ(res.v.status, OC_RETRY);
  ASSERT_EQ(res.content, 0);
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
    TEST_ENTRY(build_publish_variants),
    TEST_ENTRY(build_publish_variants_options),
    TEST_ENTRY(parse_publish_sku_list),
    TEST_ENTRY(build_variants_add),
    TEST_ENTRY(build_variants_remove),
    TEST_ENTRY(build_variants_in_line),
    TEST_ENTRY(build_set_stock_variants),
    TEST_ENTRY(build_lookup_item),
    TEST_ENTRY(parse_lookup_item),
    TEST_ENTRY(parse_get_listing_variants),
    TEST_ENTRY(parse_refresh_token),
    TEST_ENTRY(parse_token_exchange),
    TEST_ENTRY(parse_error_classes),
    TEST_ENTRY(parse_error_classes_rejected),
    TEST_ENTRY(parse_malformed_truncated),
    TEST_ENTRY(parse_body_not_utf8),
    TEST_ENTRY(parse_oversized),
    TEST_ENTRY(parse_deep_nesting),
    TEST_ENTRY(parse_wrong_types),
    TEST_ENTRY(decimal_strings),
    TEST_ENTRY(parse_error_text_scrubbed_and_truncated),
    TEST_ENTRY(parse_resets_result),
    TEST_ENTRY(time_iso_and_parse),
    TEST_ENTRY(build_list_orders),
    TEST_ENTRY(build_list_orders_bad),
    TEST_ENTRY(build_get_orders),
    TEST_ENTRY(build_get_orders_bad),
    TEST_ENTRY(parse_list_orders_paging),
    TEST_ENTRY(parse_list_orders_max_offset_option),
    TEST_ENTRY(parse_list_orders_ids),
    TEST_ENTRY(parse_orders_malformed),
    TEST_ENTRY(parse_orders_error_classes),
    TEST_ENTRY(parse_get_orders_canonical),
    TEST_ENTRY(parse_get_orders_structs),
    TEST_ENTRY(parse_get_orders_bad_entries),
    TEST_ENTRY(parse_get_orders_only_asked),
    TEST_ENTRY(push_good_signature),
    TEST_ENTRY(push_refused_signatures),
    TEST_ENTRY(push_signed_but_malformed),
    TEST_ENTRY(push_errors_hold_no_secret),
    TEST_ENTRY(build_upload_image),
    TEST_ENTRY(build_upload_refusals),
    TEST_ENTRY(parse_upload_image),
    TEST_ENTRY(build_category_steps),
    TEST_ENTRY(parse_category_rules),
    TEST_ENTRY(parse_category_not_leaf),
    TEST_ENTRY(parse_content_refusals),
    {NULL, NULL, 0, 0},
};

int main(int argc, char **argv) { return run_tests(tests, argc, argv); }
