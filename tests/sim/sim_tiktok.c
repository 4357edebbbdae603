/*
 * sim_tiktok.c — the simulated TikTok Shop Partner API (version 202309).
 *
 * Every function here runs with the core's state mutex held (sim.h), so the
 * state is plain file-static data.
 *
 * Wire shape (tests/sim/README.md, "TikTok Shop"): query parameters app_key,
 * timestamp (Unix seconds, within 300 s), shop_cipher and sign; the access
 * token in the x-tts-access-token header; JSON bodies. The signature is
 * lower hex HMAC-SHA256(app_secret, app_secret + path + k1 v1 k2 v2 ... +
 * body bytes + app_secret) over every query parameter but sign and
 * access_token, sorted byte-wise, values raw (empty values count: the key
 * alone). The body is signed byte for byte unless it is multipart.
 *
 * Product and SKU ids are 19-digit numbers handed out as JSON strings
 * (from 1729384756000000001), beyond 2^53, so a client that turns them into
 * doubles breaks. Ids given to ocopsim as JSON numbers are refused.
 *
 * HTTP status policy: signature, timestamp and token errors are HTTP 401,
 * the rate limit 429, an unknown path 404, a wrong method 405; business and
 * parameter errors are HTTP 200 with a non-zero `code`. Success is
 * `code == 0` only.
 *
 * A product has 1..100 SKUs. With one SKU, sales attributes may be left
 * out; with several, every SKU carries exactly one sales attribute (ocopsim
 * models one variation axis: a second is refused), all under the same name,
 * with values that differ. seller_sku, when given, is unique within the
 * product. A partial edit with skus[] replaces the list: a SKU with an id is
 * kept (the id must be the product's), one without is created, one left
 * out is deleted; a list that keeps none is refused. Products are ACTIVATE
 * as soon as they are created (no review). The first SKU of a product has
 * the product id + 1; later ones come from a separate range.
 */
#include "sim_tiktok.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "sim_acct.h"
#include "sim_ctl.h"
#include "sim_dec.h"
#include "sim_form.h"
#include "sim_info.h"
#include "sim_json.h"
#include "sim_orders.h"
#include "sim_str.h"

#define TT_SKEW_S 300
#define TT_ACCESS_TTL_S (7 * 86400)
#define TT_REFRESH_TTL_S (365 * 86400)
#define TT_GRACE_S 300
#define TT_FIRST_ID INT64_C(1729384756000000001)
#define TT_ITEMS_MAX 2000000
#define TT_KEY_MAX 512
#define TT_TITLE_MAX 255  /* code points */
#define TT_DESC_MAX 10000 /* code points */
#define TT_SKU_MAX 200
#define TT_BATCH_MAX 50
#define TT_PAGE_MAX 100
#define TT_QTY_MAX 99999
#define TT_TTL_MAX (10 * 365 * 86400)
#define TT_MONEY_MAX INT64_C(1000000000000000)
#define TT_ERRTXT 256
#define TT_SKUS_MAX 100                    /* ours: SKUs per product */
#define TT_ATTR_NAME_MAX 20                /* code points */
#define TT_ATTR_VALUE_MAX 50               /* code points */
#define TT_FIRST_SKU2 INT64_C(1731000000000000001)
#define TT_ATTR_ID INT64_C(7082427311584347905) /* the custom attribute's id */
#define TT_SHOP_ID0 INT64_C(7494726673780148744)

/* Error codes. TikTok's own numbers where known, ours otherwise; "ours,
 * shared" ones the connector uses too (README.md and
 * docs/marketplaces/tiktok.md, "Envelope and errors", list which). */
#define TT_E_PARAM 40006              /* ours: bad or missing parameter */
#define TT_E_PATH 40404               /* ours: unknown path */
#define TT_E_SIGN 106001              /* TikTok: invalid sign */
#define TT_E_TOKEN 105001             /* TikTok: invalid access token */
#define TT_E_TOKEN_EXPIRED 105002     /* TikTok: access token expired */
#define TT_E_TIMESTAMP 36009003       /* ours, shared: invalid timestamp */
#define TT_E_RATE 10000429            /* ours, shared: rate limit */
#define TT_E_NOT_FOUND 12052700       /* ours, shared: product not found */
#define TT_E_REFRESH 36004004         /* ours: refresh token invalid */
#define TT_E_APP 36004001             /* ours: app_key/app_secret wrong */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

enum tt_status { TT_ACTIVATE, TT_SELLER_DEACTIVATED };

struct tt_sku {
  int64_t id, price, qty;
  char *seller_sku, *warehouse; /* NULL when not given */
  char *attr_name, *attr_value; /* the sales attribute; NULL for none */
};

struct tt_product {
  int64_t id, created, updated; /* times: seconds */
  size_t shop;
  char *title, *desc, *category, *brand, *idem;
  cJSON *images, *weight, *attrs, *certs, *dims;
  enum tt_status status;
  struct tt_sku *skus;
  size_t nskus;
};

/* An image the upload endpoint took. */
struct tt_upload {
  size_t shop;
  char uri[96], url[160], sha256[65], use_case[24];
  size_t bytes;
  int width, height;
};

static struct {
  struct tt_product *items;
  size_t nitems, cap_items;
  int64_t next_sku; /* SKUs after a product's first: TT_FIRST_SKU2 + k */
  struct tt_upload *ups;
  size_t nups, cap_ups;
} T;

static const struct sim_acct_kind tt_kind = {
    .market = "tiktok",
    .name_key = "shop_cipher",
    .noun = "shop",
    .list = "shops",
    .access_ttl = TT_ACCESS_TTL_S,
    .refresh_ttl = TT_REFRESH_TTL_S,
    .ttl_max = TT_TTL_MAX,
    .key_max = TT_KEY_MAX,
    .with_shop_id = 1,
};

/* Apps and shops (sim_acct.h). */
static struct sim_accts tt_accts = {&tt_kind, NULL, NULL, 0, 0, 0, 0};

struct tt_call {
  const struct sim_req *req;
  struct sim_resp *resp;
  struct sim_call_info *info;
  struct sim_params params;
  const struct sim_app *app;
  struct sim_acct *shop;
  const cJSON *body; /* the JSON object body, or NULL */
  int64_t product_id; /* from the path, 0 when none */
  int path_id_bad;    /* the path's id is not a product id */
  char cat[24];       /* /product/202309/categories/{id}/...: the id */
  int64_t now;        /* seconds */
};

/* ------------------------------------------------------------ lookups -- */

static struct tt_product *tt_product_find(int64_t id) {
  int64_t off = id - TT_FIRST_ID;

  if (id < TT_FIRST_ID || off % 2 != 0 || off / 2 >= (int64_t)T.nitems)
    return NULL;
  return &T.items[off / 2];
}

/* 0 and *out when s is 1..19 decimal digits that fit an int64. */
static int tt_digits(const char *s, int64_t *out) {
  return sim_dec_digits(s, 19, out);
}

/* An id: a JSON string of digits. Numbers are refused on purpose. */
static int tt_json_id(const cJSON *v, int64_t *out) {
  return cJSON_IsString(v) ? tt_digits(v->valuestring, out) : -1;
}

/* A price amount: a string of digits, with an optional all-zero fraction. */
static int tt_amount(const cJSON *v, int64_t *out) {
  if (!cJSON_IsString(v))
    return -1;
  return sim_dec_amount(v->valuestring, 19, out) || *out <= 0 ||
                 *out > TT_MONEY_MAX
             ? -1
             : 0;
}

static const cJSON *tt_get(const cJSON *o, const char *name) {
  return cJSON_GetObjectItemCaseSensitive(o, name);
}

/* Constant time for equal lengths. */
static int tt_str_equal(const char *a, const char *b) {
  size_t n = strlen(a), i;
  unsigned char d = 0;

  if (!b || strlen(b) != n)
    return 0;
  for (i = 0; i < n; i++)
    d |= (unsigned char)(a[i] ^ b[i]);
  return d == 0;
}

static void tt_add_id(cJSON *o, const char *name, int64_t v) {
  char buf[24];

  snprintf(buf, sizeof buf, "%" PRId64, v);
  cJSON_AddStringToObject(o, name, buf);
}

/* ---------------------------------------------------------- envelopes -- */

static int tt_http_status(long code) {
  switch (code) {
  case TT_E_SIGN:
  case TT_E_TOKEN:
  case TT_E_TOKEN_EXPIRED:
  case TT_E_TIMESTAMP:
  case TT_E_REFRESH:
  case TT_E_APP:
    return 401;
  case TT_E_RATE:
    return 429;
  case TT_E_PATH:
    return 404;
  default:
    return 200;
  }
}

static cJSON *tt_envelope(long code, const char *message) {
  cJSON *o = cJSON_CreateObject();
  char rid[SIM_REQID_LEN + 1];

  sim_request_id(rid);
  sim_json_add_int(o, "code", code);
  cJSON_AddStringToObject(o, "message", message);
  cJSON_AddStringToObject(o, "request_id", rid);
  return o;
}

static void tt_fail_status(struct tt_call *c, int status, long code,
                           const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void tt_fail_status(struct tt_call *c, int status, long code,
                           const char *fmt, ...) {
  char msg[TT_ERRTXT];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(c->info->error, sizeof c->info->error, "%ld", code);
  sim_resp_json(c->resp, status ? status : tt_http_status(code),
                tt_envelope(code, msg));
}

#define tt_fail(c, code, ...) tt_fail_status((c), 0, (code), __VA_ARGS__)

static void tt_ok(struct tt_call *c, cJSON *data) {
  cJSON *o = tt_envelope(0, "Success");

  if (!data)
    data = cJSON_CreateObject();
  sim_json_put(o, "data", data);
  sim_resp_json(c->resp, 200, o);
}

/* ---------------------------------------------------- authentication -- */

static int tt_is_multipart(const char *ct) {
  return ct && strncasecmp(ct, "multipart/form-data", 19) == 0;
}

static int tt_check_sign(struct tt_call *c) {
  struct sim_params sorted = {NULL, 0, 0};
  const char *sign = sim_params_get(&c->params, "sign");
  const char *secret = c->app->secret, *path = c->req->path;
  size_t i, off, sl = strlen(secret), len = 2 * sl + strlen(path);
  size_t blen = tt_is_multipart(c->req->content_type) ? 0 : c->req->body_len;
  char want[65], *base;
  int ok = 0;

  sorted.v = malloc((c->params.n ? c->params.n : 1) * sizeof *sorted.v);
  if (!sorted.v) {
    tt_fail(c, TT_E_PARAM, "out of memory");
    return -1;
  }
  for (i = 0; i < c->params.n; i++) {
    const struct sim_param *p = &c->params.v[i];

    if (strcmp(p->key, "sign") == 0 || strcmp(p->key, "access_token") == 0)
      continue;
    sorted.v[sorted.n++] = *p;
    len += strlen(p->key) + strlen(p->val);
  }
  sim_params_sort(&sorted);
  base = malloc(len + blen + 1);
  if (base) {
    memcpy(base, secret, sl);
    off = sl;
    memcpy(base + off, path, strlen(path));
    off += strlen(path);
    for (i = 0; i < sorted.n; i++) {
      size_t kl = strlen(sorted.v[i].key), vl = strlen(sorted.v[i].val);

      memcpy(base + off, sorted.v[i].key, kl);
      memcpy(base + off + kl, sorted.v[i].val, vl);
      off += kl + vl;
    }
    memcpy(base + off, c->req->body, blen); /* the exact bytes received */
    off += blen;
    memcpy(base + off, secret, sl);
    off += sl;
    ok = sim_hmac_hex(secret, base, off, 0, want) == 0 &&
         sim_sign_equal(want, sign);
  }
  free(base);
  free(sorted.v); /* the strings belong to c->params */
  if (!ok)
    tt_fail(c, TT_E_SIGN, "The 'sign' query parameter is invalid.");
  return ok ? 0 : -1;
}

/* Finds the shop whose token the header carries. */
static int tt_check_token(struct tt_call *c, int shop_call) {
  const char *tok = sim_header(c->req, "x-tts-access-token");
  const char *cipher = sim_params_get(&c->params, "shop_cipher");
  int expired = 0, match;
  size_t i;

  if (!tok || !*tok) {
    tt_fail(c, TT_E_TOKEN, "Access token is missing: send the "
            "x-tts-access-token header.");
    return -1;
  }
  for (i = 0; i < tt_accts.n && !c->shop; i++) {
    struct sim_acct *s = &tt_accts.v[i];

    if (strcmp(s->app_key, c->app->key) != 0)
      continue;
    match = sim_tok_match(&s->tok, tok, c->now);
    if (match > 0)
      c->shop = s;
    else if (match < 0)
      expired = 1;
  }
  if (!c->shop) {
    if (expired)
      tt_fail(c, TT_E_TOKEN_EXPIRED,
              "Access token is expired, please refresh it.");
    else
      tt_fail(c, TT_E_TOKEN, "Access token is invalid.");
    return -1;
  }
  if (shop_call && strcmp(c->shop->name, cipher) != 0) {
    tt_fail(c, TT_E_PARAM, "shop_cipher is invalid for this access token.");
    return -1;
  }
  return 0;
}

static int tt_authenticate(struct tt_call *c, int shop_call) {
  const char *key = sim_params_get(&c->params, "app_key");
  const char *ts = sim_params_get(&c->params, "timestamp");
  const char *sign = sim_params_get(&c->params, "sign");
  const char *cipher = sim_params_get(&c->params, "shop_cipher");
  int64_t t;

  if (!key || !*key) {
    tt_fail(c, TT_E_PARAM, "app_key is required.");
    return -1;
  }
  if (!(c->app = sim_acct_app_find(&tt_accts, key))) {
    tt_fail(c, TT_E_SIGN, "app_key is invalid.");
    return -1;
  }
  if (!ts || strlen(ts) > 10 || tt_digits(ts, &t) || t > c->now + TT_SKEW_S ||
      t < c->now - TT_SKEW_S) {
    tt_fail(c, TT_E_TIMESTAMP,
            "timestamp must be Unix seconds within 300 s of now.");
    return -1;
  }
  if (!sign || !*sign) {
    tt_fail(c, TT_E_SIGN, "The 'sign' query parameter is missing.");
    return -1;
  }
  if (tt_check_sign(c))
    return -1;
  if (shop_call && (!cipher || !*cipher)) {
    tt_fail(c, TT_E_PARAM, "shop_cipher is required.");
    return -1;
  }
  return tt_check_token(c, shop_call);
}

static int tt_rate_limited(struct tt_call *c) {
  if (!sim_rate_take(&c->shop->tok.rl, c->req->now_ms))
    return 0;
  tt_fail(c, TT_E_RATE, "Too many requests, please retry later.");
  return 1;
}

static int tt_check_body(struct tt_call *c, int required) {
  const char *ct = c->req->content_type;

  if (c->req->body_len == 0 && !required)
    return 0;
  if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
      (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
    tt_fail(c, TT_E_PARAM, "Content-Type must be application/json.");
    return -1;
  }
  if (!cJSON_IsObject(c->req->json)) {
    tt_fail(c, TT_E_PARAM, "The body must be a JSON object%s%s.",
            c->req->json_err ? ": " : "",
            c->req->json_err ? c->req->json_err : "");
    return -1;
  }
  c->body = c->req->json;
  return 0;
}

/* ----------------------------------------------------------- products -- */

static void tt_sku_free(struct tt_sku *k) {
  free(k->seller_sku), free(k->warehouse), free(k->attr_name), free(k->attr_value);
  memset(k, 0, sizeof *k);
}

static void tt_skus_free(struct tt_sku *v, size_t n) {
  size_t i;

  for (i = 0; i < n; i++)
    tt_sku_free(&v[i]);
  free(v);
}

static void tt_product_free(struct tt_product *p) {
  free(p->title), free(p->desc), free(p->category), free(p->brand), free(p->idem);
  cJSON_Delete(p->images);
  cJSON_Delete(p->weight);
  cJSON_Delete(p->attrs);
  cJSON_Delete(p->certs);
  cJSON_Delete(p->dims);
  tt_skus_free(p->skus, p->nskus);
  p->skus = NULL;
  p->nskus = 0;
}

static const char *tt_status_name(const struct tt_product *p) {
  return p->status == TT_ACTIVATE ? "ACTIVATE" : "SELLER_DEACTIVATED";
}

/* The product's SKU with that id, or NULL. */
static struct tt_sku *tt_sku_by_id(const struct tt_product *p, int64_t id) {
  size_t i;

  for (i = 0; i < p->nskus; i++)
    if (p->skus[i].id == id)
      return &p->skus[i];
  return NULL;
}

/* The sales attributes of a SKU as answers print them: with ids, and with
 * names when `names` (product detail). */
static void tt_attrs_json(cJSON *s, const struct tt_sku *k, int names) {
  cJSON *arr = cJSON_AddArrayToObject(s, "sales_attributes"), *a;

  if (!k->attr_name)
    return;
  a = cJSON_CreateObject();
  tt_add_id(a, "id", TT_ATTR_ID);
  if (names)
    cJSON_AddStringToObject(a, "name", k->attr_name);
  tt_add_id(a, "value_id", k->id + 1000); /* ours: one value per SKU */
  if (names)
    cJSON_AddStringToObject(a, "value_name", k->attr_value);
  sim_json_push(arr, a);
}

/* A SKU: {id, seller_sku} in write answers; with price, inventory and
 * named sales attributes (`full`) in reads. */
static cJSON *tt_sku_json(const struct tt_sku *k, int full) {
  cJSON *s = cJSON_CreateObject(), *pr, *inv, *w;
  char buf[24];

  tt_add_id(s, "id", k->id);
  cJSON_AddStringToObject(s, "seller_sku", k->seller_sku ? k->seller_sku : "");
  if (!full) {
    tt_attrs_json(s, k, 0);
    return s;
  }
  pr = cJSON_AddObjectToObject(s, "price");
  snprintf(buf, sizeof buf, "%" PRId64, k->price);
  cJSON_AddStringToObject(pr, "amount", buf);
  cJSON_AddStringToObject(pr, "currency", "VND");
  cJSON_AddStringToObject(pr, "sale_price", buf);
  inv = cJSON_AddArrayToObject(s, "inventory");
  w = cJSON_CreateObject();
  cJSON_AddStringToObject(w, "warehouse_id", k->warehouse ? k->warehouse : "");
  sim_json_add_int(w, "quantity", k->qty);
  sim_json_push(inv, w);
  tt_attrs_json(s, k, 1);
  return s;
}

static cJSON *tt_skus_json(const struct tt_product *p, int full) {
  cJSON *arr = cJSON_CreateArray();
  size_t i;

  for (i = 0; i < p->nskus; i++)
    sim_json_push(arr, tt_sku_json(&p->skus[i], full));
  return arr;
}

/* The product as GET /products/{id} and search print it. */
static cJSON *tt_product_json(const struct tt_product *p, int detail) {
  cJSON *o = cJSON_CreateObject(), *d;

  tt_add_id(o, "id", p->id);
  cJSON_AddStringToObject(o, "title", p->title ? p->title : "");
  cJSON_AddStringToObject(o, "status", tt_status_name(p));
  sim_json_put(o, "skus", tt_skus_json(p, 1));
  sim_json_add_int(o, "create_time", p->created);
  sim_json_add_int(o, "update_time", p->updated);
  if (!detail) {
    d = cJSON_AddArrayToObject(o, "sales_regions");
    sim_json_push(d, cJSON_CreateString("VN"));
    return o;
  }
  cJSON_AddStringToObject(o, "description", p->desc ? p->desc : "");
  if (p->category) {
    cJSON *chains = cJSON_AddArrayToObject(o, "category_chains"), *cc;

    cc = cJSON_CreateObject();
    cJSON_AddStringToObject(cc, "id", p->category);
    cJSON_AddBoolToObject(cc, "is_leaf", 1);
    sim_json_push(chains, cc);
  }
  d = p->images ? cJSON_Duplicate(p->images, 1) : cJSON_CreateArray();
  sim_json_put(o, "main_images", d);
  if (p->weight) {
    d = cJSON_Duplicate(p->weight, 1);
    sim_json_put(o, "package_weight", d);
  }
  return o;
}

struct tt_fields {
  const char *title, *desc, *category;
  const cJSON *images, *weight, *skus;
};

static const char *tt_text_field(const cJSON *b, const char *name, long max,
                                 int required, const char **out) {
  const cJSON *v = tt_get(b, name);
  long n;

  *out = NULL;
  if (!v)
    return required ? "title is required" : NULL;
  if (!cJSON_IsString(v) ||
      (n = sim_utf8_len(v->valuestring, strlen(v->valuestring))) < 0 ||
      n > max || (required && n == 0))
    return strcmp(name, "title") == 0
               ? "title must be 1 to 255 characters of UTF-8"
               : "description must be UTF-8 of at most 10000 characters";
  *out = v->valuestring;
  return NULL;
}

/* One inventory list: the sum of quantities and the first warehouse. */
static const char *tt_inventory(const cJSON *inv, int64_t *qty,
                                const char **wh) {
  const cJSON *e;
  int64_t q;

  *qty = 0;
  *wh = NULL;
  if (!cJSON_IsArray(inv) || cJSON_GetArraySize(inv) < 1)
    return "inventory must be a non-empty array";
  cJSON_ArrayForEach(e, inv) {
    const cJSON *w = tt_get(e, "warehouse_id");

    if (!cJSON_IsObject(e) || sim_json_int(tt_get(e, "quantity"), &q) ||
        q < 0 || q > TT_QTY_MAX)
      return "inventory quantity must be an integer from 0 to 99999";
    if (w && !cJSON_IsString(w))
      return "warehouse_id must be a string";
    if (w && !*wh)
      *wh = w->valuestring;
    *qty += q;
  }
  return NULL;
}

static const char *tt_price(const cJSON *pr, int64_t *out) {
  const char *cur = sim_json_str(pr, "currency");

  if (!cJSON_IsObject(pr) || tt_amount(tt_get(pr, "amount"), out))
    return "price.amount must be a positive whole number of dong as a string";
  if (!cur || strcmp(cur, "VND") != 0)
    return "price.currency must be VND";
  return NULL;
}

/* A string of 1..max code points of UTF-8. */
static int tt_name_ok(const char *s, long max) {
  long n = s ? sim_utf8_len(s, strlen(s)) : -1;

  return n >= 1 && n <= max;
}

/* sales_attributes of one SKU: absent or [] (none), else exactly one
 * {name, value_name} (ocopsim models one variation axis). */
static const char *tt_attr_read(const cJSON *sa, const char **name, const char **value) {
  const cJSON *a;

  *name = *value = NULL;
  if (!sa || cJSON_IsNull(sa))
    return NULL;
  if (!cJSON_IsArray(sa))
    return "sales_attributes must be an array";
  if (cJSON_GetArraySize(sa) == 0)
    return NULL;
  if (cJSON_GetArraySize(sa) > 1)
    return "ocopsim models one sales attribute per SKU";
  a = cJSON_GetArrayItem(sa, 0);
  *name = sim_json_str(a, "name");
  *value = sim_json_str(a, "value_name");
  if (!cJSON_IsObject(a) || !tt_name_ok(*name, TT_ATTR_NAME_MAX))
    return "sales attribute name must be 1 to 20 characters";
  if (!tt_name_ok(*value, TT_ATTR_VALUE_MAX))
    return "sales attribute value_name must be 1 to 50 characters";
  return NULL;
}

/* Parking room for one skus[] entry while the whole list is checked. */
struct tt_sku_in {
  int64_t id, price, qty; /* id 0: a new SKU */
  const char *seller_sku, *warehouse, *attr_name, *attr_value;
};

/* One skus[] entry. `p` is the product of a partial edit (ids allowed and
 * must be its own), NULL for a create (no ids). *code is the error code. */
static const char *tt_sku_in(const cJSON *e, const struct tt_product *p, struct tt_sku_in *k,
                             long *code) {
  const cJSON *v;
  const char *why;

  memset(k, 0, sizeof *k);
  *code = TT_E_PARAM;
  if (!cJSON_IsObject(e))
    return "each SKU must be an object";
  if ((v = tt_get(e, "id")) != NULL) {
    if (!p)
      return "a new product's SKUs have no id";
    if (tt_json_id(v, &k->id))
      return "SKU id must be a string of digits";
    if (!tt_sku_by_id(p, k->id)) {
      *code = TT_E_NOT_FOUND;
      return "SKU id is not a SKU of this product";
    }
  }
  v = tt_get(e, "seller_sku");
  if (v && (!cJSON_IsString(v) || strlen(v->valuestring) > TT_SKU_MAX))
    return "seller_sku must be a string of at most 200 bytes";
  k->seller_sku = v && *v->valuestring ? v->valuestring : NULL;
  if (!tt_get(e, "price"))
    return "each SKU needs a price";
  if (!tt_get(e, "inventory"))
    return "each SKU needs an inventory";
  if ((why = tt_price(tt_get(e, "price"), &k->price)) ||
      (why = tt_inventory(tt_get(e, "inventory"), &k->qty, &k->warehouse)))
    return why;
  return tt_attr_read(tt_get(e, "sales_attributes"), &k->attr_name, &k->attr_value);
}

/* What the list as a whole must hold: distinct ids and seller_skus, and
 * with several SKUs one attribute name shared by all, values distinct. */
static const char *tt_skus_agree(const struct tt_sku_in *k, size_t n) {
  size_t i, j;

  for (i = 0; i < n; i++) {
    if (n > 1 && !k[i].attr_name)
      return "a product with several SKUs needs sales_attributes on each";
    for (j = 0; j < i; j++) {
      if (k[i].id && k[i].id == k[j].id)
        return "a SKU id is given twice";
      if (k[i].seller_sku && k[j].seller_sku && strcmp(k[i].seller_sku, k[j].seller_sku) == 0)
        return "seller_sku is duplicated within the product";
      if (n > 1 && strcmp(k[i].attr_name, k[j].attr_name) != 0)
        return "every SKU must use the same sales attribute name";
      if (n > 1 && strcmp(k[i].attr_value, k[j].attr_value) == 0)
        return "two SKUs have the same sales attribute value";
    }
  }
  return NULL;
}

/* Reads and checks skus[] into a malloc'd array (*out, *n). */
static const char *tt_skus_read(const cJSON *skus, const struct tt_product *p,
                                struct tt_sku_in **out, size_t *n, long *code) {
  const cJSON *e;
  const char *why;
  size_t i = 0;

  *out = NULL;
  *n = 0;
  *code = TT_E_PARAM;
  if (!cJSON_IsArray(skus) || cJSON_GetArraySize(skus) < 1 ||
      cJSON_GetArraySize(skus) > TT_SKUS_MAX)
    return "skus must be an array of 1 to 100 SKUs (a product keeps at least one)";
  if (!(*out = calloc((size_t)cJSON_GetArraySize(skus), sizeof **out)))
    return "out of memory";
  cJSON_ArrayForEach(e, skus) {
    if ((why = tt_sku_in(e, p, &(*out)[i++], code)))
      goto fail;
  }
  *n = i;
  if ((why = tt_skus_agree(*out, i)) == NULL)
    return NULL;
fail:
  free(*out);
  *out = NULL;
  *n = 0;
  return why;
}

/* The checked list as the product's SKUs, ids kept or handed out; the old
 * list is freed. -1 for no memory (the product is unchanged). */
static int tt_skus_store(struct tt_product *p, const struct tt_sku_in *k, size_t n) {
  struct tt_sku *v = calloc(n, sizeof *v);
  int failed = 0;
  size_t i;

  if (!v)
    return -1;
  for (i = 0; i < n; i++) {
    const struct tt_sku *old = k[i].id ? tt_sku_by_id(p, k[i].id) : NULL;

    v[i].price = k[i].price;
    v[i].qty = k[i].qty;
    v[i].seller_sku = sim_str_dup(k[i].seller_sku, &failed);
    v[i].warehouse = sim_str_dup(k[i].warehouse ? k[i].warehouse
                                 : old           ? old->warehouse
                                                 : NULL,
                                 &failed);
    v[i].attr_name = sim_str_dup(k[i].attr_name, &failed);
    v[i].attr_value = sim_str_dup(k[i].attr_value, &failed);
  }
  if (failed) {
    tt_skus_free(v, n);
    return -1;
  }
  for (i = 0; i < n; i++)
    v[i].id = k[i].id ? k[i].id : p->nskus == 0 && i == 0 ? p->id + 1 : T.next_sku++;
  tt_skus_free(p->skus, p->nskus);
  p->skus = v;
  p->nskus = n;
  return 0;
}

static const char *tt_fields_read(const cJSON *b, struct tt_fields *f) {
  const cJSON *v, *e;
  const char *why;
  int64_t cat;

  memset(f, 0, sizeof *f);
  if ((why = tt_text_field(b, "title", TT_TITLE_MAX, 1, &f->title)) ||
      (why = tt_text_field(b, "description", TT_DESC_MAX, 0, &f->desc)))
    return why;
  v = tt_get(b, "category_id");
  if (v) {
    if (tt_json_id(v, &cat))
      return "category_id must be a string of digits";
    f->category = v->valuestring;
  }
  v = tt_get(b, "main_images");
  if (v) {
    if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) > 9)
      return "main_images must be an array of at most 9 images";
    cJSON_ArrayForEach(e, v) {
      if (!cJSON_IsObject(e) || !sim_json_str(e, "uri"))
        return "each main_images entry needs a uri string";
    }
    f->images = v;
  }
  v = tt_get(b, "package_weight");
  if (v) {
    const char *val = sim_json_str(v, "value"), *unit = sim_json_str(v, "unit");

    if (!val || strtod(val, NULL) <= 0 || !unit ||
        (strcmp(unit, "KILOGRAM") != 0 && strcmp(unit, "POUND") != 0))
      return "package_weight needs value (a positive number as a string) and "
             "unit KILOGRAM or POUND";
    f->weight = v;
  }
  f->skus = tt_get(b, "skus");
  return NULL;
}

/* A new product of the shop with the checked SKUs; NULL for no room. */
static struct tt_product *tt_product_create(size_t shop, const struct tt_fields *f,
                                            const struct tt_sku_in *k, size_t n,
                                            int64_t now) {
  struct tt_product *p;
  int failed = 0;

  if (T.nitems >= TT_ITEMS_MAX ||
      sim_grow((void **)&T.items, &T.cap_items, T.nitems + 1, sizeof *T.items))
    return NULL;
  if (T.next_sku == 0)
    T.next_sku = TT_FIRST_SKU2;
  p = &T.items[T.nitems];
  memset(p, 0, sizeof *p);
  p->id = TT_FIRST_ID + 2 * (int64_t)T.nitems;
  p->title = sim_str_dup(f->title, &failed);
  p->desc = sim_str_dup(f->desc, &failed);
  p->category = sim_str_dup(f->category, &failed);
  if (f->images && !(p->images = cJSON_Duplicate(f->images, 1)))
    failed = 1;
  if (f->weight && !(p->weight = cJSON_Duplicate(f->weight, 1)))
    failed = 1;
  if (failed || tt_skus_store(p, k, n)) {
    tt_product_free(p);
    return NULL;
  }
  p->shop = shop;
  p->status = TT_ACTIVATE;
  p->created = p->updated = now;
  T.nitems++;
  return p;
}

/* The shop's product named in the path; NULL after answering. */
static struct tt_product *tt_own_product(struct tt_call *c) {
  struct tt_product *p = c->path_id_bad ? NULL : tt_product_find(c->product_id);

  if (!p || p->shop != sim_acct_index(&tt_accts, c->shop)) {
    tt_fail(c, TT_E_NOT_FOUND, "Product not found.");
    return NULL;
  }
  return p;
}

/* ------------------------------------------------------------ content -- */

/*
 * The category tree, attributes, rules and brands ocopsim serves (ids are
 * ours; names and the shape of each answer are TikTok's): 600000 "Food &
 * Beverages" is a parent, 600001..600004 its leaves. An attribute without
 * values is free text (is_customizable true).
 */
#define TT_CAT_PARENT "600000"
#define TT_E_CAT_MISSING 12052023   /* TikTok: Category does not exist */
#define TT_E_CAT_NOT_LEAF 12052024  /* TikTok: Category is not final category */
#define TT_E_BRAND 12052026         /* TikTok: Brand does not exist */
#define TT_E_BRAND_AUTH 12052208    /* TikTok: A brand authorization is required */
#define TT_E_NO_IMAGE 12052028      /* TikTok: Main product image is required */
#define TT_E_IMAGE_URI 12052300     /* TikTok: product main image uri illegal */
#define TT_E_PROP_REQUIRED 12052104 /* TikTok: property is required */
#define TT_E_QUAL_MISS 12052105     /* TikTok: required qualification miss */
#define TT_E_PROP_CUSTOM 12052240   /* TikTok: Do not support custom property */
#define TT_E_PROP_NOCUSTOM 12052247 /* TikTok: Do not support custom product attribute */
#define TT_E_PROP_EMPTY 12052248    /* TikTok: value name or value id is empty */
#define TT_E_PROP_VALUE 12052529    /* TikTok: The property value id not exist */
#define TT_E_QUAL_URI 12052650      /* TikTok: product qualification image uri illegal */
#define TT_E_QUAL_ID 12052655       /* TikTok: qualification id not exist */
#define TT_E_SIZE 12019012          /* TikTok: product package size is invalid */
#define TT_E_TITLE 12052051         /* TikTok: product name length */
#define TT_E_PAGE_SIZE 12019109     /* TikTok: page size is invalid */
#define TT_E_UPLOAD_FILE 12038002   /* TikTok: Invalid upload file */
#define TT_E_UPLOAD_FORMAT 12038004 /* TikTok: format or content not supported */
#define TT_E_UPLOAD_SIZE 12038005   /* TikTok: file size exceeds the maximum */
#define TT_E_UPLOAD_DIM 12038014    /* TikTok: image dimensions exceed the limits */
#define TT_TITLE_MIN 25             /* code points outside US/UK/EU/JP/BR/MX */
#define TT_UPLOAD_MAX (10 * 1024 * 1024)
#define TT_UPLOADS_MAX 100000

struct tt_val {
  const char *id, *name;
};
struct tt_attr_def {
  const char *id, *name;
  const struct tt_val *values; /* NULL: free text */
  size_t nvalues;
};
struct tt_cat {
  const char *id, *name;
  const char *attrs;    /* attribute ids, upper case letter = required: see tt_cat_attr */
  int health;           /* a brand and the health licence are required */
};

static const struct tt_val tt_origin[] = {
    {"1000011", "Vietnam"}, {"1000012", "Thailand"}, {"1000013", "China"}, {"1000014", "Japan"}};
static const struct tt_val tt_storage[] = {
    {"1000051", "Room Temperature"}, {"1000052", "Refrigerated"}, {"1000053", "Frozen"}};
/* Index by letter: a Country of Origin, b Shelf Life, c Ingredients,
 * d Net Weight, e Storage Condition, f Material. */
static const struct tt_attr_def tt_attr_defs[] = {
    {"100001", "Country of Origin", tt_origin, ARRAY_LEN(tt_origin)},
    {"100002", "Shelf Life", NULL, 0},
    {"100003", "Ingredients", NULL, 0},
    {"100004", "Net Weight", NULL, 0},
    {"100005", "Storage Condition", tt_storage, ARRAY_LEN(tt_storage)},
    {"100006", "Material", NULL, 0},
};
static const struct tt_cat tt_cats[] = {
    {"600001", "Food", "ABcde", 0},
    {"600002", "Drinks", "ABd", 0},
    {"600003", "Health", "AC", 1},
    {"600004", "Home & Craft", "Af", 0},
};
static const char *const tt_brands[] = {
    "Tài Hoan", "SAPHRATON", "Hoàng An", "Chu Đậu", "Thu Ba",
    "CoPuree", "beCHAMP", "Seagull", "Trung Nguyên", "Vinamilk"};
#define TT_BRAND_ID0 INT64_C(7082427311584347901)
#define TT_CERT_QUALITY "8000001"
#define TT_CERT_HEALTH "8000003"

static const struct tt_cat *tt_cat_find(const char *id) {
  size_t i;

  for (i = 0; id && i < ARRAY_LEN(tt_cats); i++)
    if (strcmp(tt_cats[i].id, id) == 0)
      return &tt_cats[i];
  return NULL;
}

/* The category's attribute with that id; *required set. NULL when none. */
static const struct tt_attr_def *tt_cat_attr(const struct tt_cat *c, const char *id,
                                             int *required) {
  const char *a;

  for (a = c->attrs; *a; a++) {
    const struct tt_attr_def *d = &tt_attr_defs[(*a | 0x20) - 'a'];

    if (strcmp(d->id, id) == 0) {
      *required = *a >= 'A' && *a <= 'Z';
      return d;
    }
  }
  return NULL;
}

/* Answers a category call for a path id that is not a leaf; 1 when it did. */
static int tt_cat_refused(struct tt_call *c, const char *id, const struct tt_cat **out) {
  *out = tt_cat_find(id);
  if (*out)
    return 0;
  if (id && strcmp(id, TT_CAT_PARENT) == 0)
    tt_fail(c, TT_E_CAT_NOT_LEAF, "Category is not final category");
  else
    tt_fail(c, TT_E_CAT_MISSING, "Category does not exist");
  return 1;
}

/* The {category_id} of /product/202309/categories/{category_id}/...: kept
 * by the router in c->cat. */
static void tt_attributes(struct tt_call *c) {
  const struct tt_cat *cat;
  cJSON *data, *list;
  const char *a;

  if (tt_cat_refused(c, c->cat, &cat))
    return;
  data = cJSON_CreateObject();
  list = cJSON_AddArrayToObject(data, "attributes");
  for (a = cat->attrs; *a; a++) {
    const struct tt_attr_def *d = &tt_attr_defs[(*a | 0x20) - 'a'];
    cJSON *o = cJSON_CreateObject(), *vals = cJSON_CreateArray();
    size_t i;

    cJSON_AddStringToObject(o, "id", d->id);
    cJSON_AddStringToObject(o, "name", d->name);
    cJSON_AddStringToObject(o, "type", "PRODUCT_PROPERTY");
    cJSON_AddBoolToObject(o, "is_requried", *a >= 'A' && *a <= 'Z'); /* TikTok's spelling */
    for (i = 0; i < d->nvalues; i++) {
      cJSON *v = cJSON_CreateObject();

      cJSON_AddStringToObject(v, "id", d->values[i].id);
      cJSON_AddStringToObject(v, "name", d->values[i].name);
      sim_json_push(vals, v);
    }
    sim_json_put(o, "values", vals);
    cJSON_AddBoolToObject(o, "is_customizable", d->values == NULL);
    cJSON_AddBoolToObject(o, "is_multiple_selection", 0);
    sim_json_push(list, o);
  }
  tt_ok(c, data);
}

static cJSON *tt_cert_json(const char *id, const char *name, int required) {
  cJSON *o = cJSON_CreateObject();

  cJSON_AddStringToObject(o, "id", id);
  cJSON_AddStringToObject(o, "name", name);
  cJSON_AddBoolToObject(o, "is_required", required);
  return o;
}

static void tt_rules(struct tt_call *c) {
  const struct tt_cat *cat;
  cJSON *data, *list, *o;

  if (tt_cat_refused(c, c->cat, &cat))
    return;
  data = cJSON_CreateObject();
  list = cJSON_AddArrayToObject(data, "product_certifications");
  sim_json_push(list, tt_cert_json(TT_CERT_QUALITY, "Product Quality Certificate", 0));
  if (cat->health)
    sim_json_push(list, tt_cert_json(TT_CERT_HEALTH, "Health Supplement License", 1));
  o = cJSON_AddObjectToObject(data, "size_chart");
  cJSON_AddBoolToObject(o, "is_supported", 0);
  cJSON_AddBoolToObject(o, "is_required", 0);
  o = cJSON_AddObjectToObject(data, "cod");
  cJSON_AddBoolToObject(o, "is_supported", 1);
  o = cJSON_AddObjectToObject(data, "package_dimension");
  cJSON_AddBoolToObject(o, "is_required", cat->health);
  tt_ok(c, data);
}

/* GET /product/202309/brands: page_size 1..100 required; page_token is
 * the decimal offset ocopsim handed out as next_page_token. */
static void tt_brands_get(struct tt_call *c) {
  const char *ps = sim_params_get(&c->params, "page_size");
  const char *pt = sim_params_get(&c->params, "page_token");
  const char *cid = sim_params_get(&c->params, "category_id");
  int64_t size, off = 0, i;
  const struct tt_cat *cat;
  cJSON *data, *list;

  if (!ps || tt_digits(ps, &size) || size < 1 || size > 100) {
    tt_fail(c, TT_E_PAGE_SIZE, "page size is invalid");
    return;
  }
  if (pt && *pt && (tt_digits(pt, &off) || off > (int64_t)ARRAY_LEN(tt_brands))) {
    tt_fail(c, TT_E_PARAM, "page_token is invalid");
    return;
  }
  if (cid && *cid && tt_cat_refused(c, cid, &cat))
    return;
  data = cJSON_CreateObject();
  list = cJSON_AddArrayToObject(data, "brands");
  for (i = off; i < off + size && i < (int64_t)ARRAY_LEN(tt_brands); i++) {
    cJSON *o = cJSON_CreateObject();

    tt_add_id(o, "id", TT_BRAND_ID0 + i);
    cJSON_AddStringToObject(o, "name", tt_brands[i]);
    cJSON_AddStringToObject(o, "authorized_status", "AUTHORIZED");
    cJSON_AddBoolToObject(o, "is_t1_brand", 0);
    cJSON_AddStringToObject(o, "brand_status", "AVAILABLE");
    sim_json_push(list, o);
  }
  sim_json_add_int(data, "total_count", (int64_t)ARRAY_LEN(tt_brands));
  if (i < (int64_t)ARRAY_LEN(tt_brands)) {
    char next[24];

    snprintf(next, sizeof next, "%" PRId64, i);
    cJSON_AddStringToObject(data, "next_page_token", next);
  } else {
    cJSON_AddStringToObject(data, "next_page_token", "");
  }
  tt_ok(c, data);
}

/* 1 when id is one of the brands. */
static int tt_brand_known(const char *id) {
  int64_t v;

  return id && tt_digits(id, &v) == 0 && v >= TT_BRAND_ID0 &&
         v < TT_BRAND_ID0 + (int64_t)ARRAY_LEN(tt_brands);
}

/* ------------------------------------------------------------ uploads -- */

/* Pixels of a PNG (IHDR) or a JPEG (the first SOFn); 0 when unreadable. */
static int tt_image_size(const unsigned char *b, size_t n, int *w, int *h, int *png) {
  size_t i;

  *w = *h = 0;
  *png = n >= 24 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0;
  if (*png) {
    *w = (int)((unsigned)b[16] << 24 | (unsigned)b[17] << 16 | (unsigned)b[18] << 8 | b[19]);
    *h = (int)((unsigned)b[20] << 24 | (unsigned)b[21] << 16 | (unsigned)b[22] << 8 | b[23]);
    return *w > 0 && *h > 0;
  }
  if (n < 4 || b[0] != 0xFF || b[1] != 0xD8)
    return 0;
  for (i = 2; i + 9 < n;) {
    unsigned m, len;

    if (b[i] != 0xFF)
      return 0;
    m = b[i + 1];
    if (m == 0xFF) {
      i++;
      continue;
    }
    len = (unsigned)b[i + 2] << 8 | b[i + 3];
    if (m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC) {
      *h = (int)((unsigned)b[i + 5] << 8 | b[i + 6]);
      *w = (int)((unsigned)b[i + 7] << 8 | b[i + 8]);
      return *w > 0 && *h > 0;
    }
    if (len < 2)
      return 0;
    i += 2 + len;
  }
  return 0;
}

static int tt_use_case_ok(const char *u) {
  static const char *const ok[] = {"MAIN_IMAGE", "ATTRIBUTE_IMAGE", "DESCRIPTION_IMAGE",
                                   "CERTIFICATION_IMAGE", "SIZE_CHART_IMAGE"};
  size_t i;

  for (i = 0; i < ARRAY_LEN(ok); i++)
    if (strcmp(u, ok[i]) == 0)
      return 1;
  return 0;
}

static void tt_sha256_hex(const void *p, size_t n, char out[65]) {
  unsigned char md[32];
  unsigned int mdlen = 0;
  int i;

  out[0] = '\0';
  if (EVP_Digest(p, n, md, &mdlen, EVP_sha256(), NULL) != 1 || mdlen != 32)
    return;
  for (i = 0; i < 32; i++)
    snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* The upload of this shop with that uri and use case, or NULL. */
static const struct tt_upload *tt_upload_find(size_t shop, const char *uri,
                                              const char *use_case) {
  size_t i;

  for (i = 0; uri && i < T.nups; i++)
    if (T.ups[i].shop == shop && strcmp(T.ups[i].uri, uri) == 0 &&
        strcmp(T.ups[i].use_case, use_case) == 0)
      return &T.ups[i];
  return NULL;
}

/* Checks the uploaded file (format, bytes, pixels) and stores it. */
static const struct tt_upload *tt_upload_store(struct tt_call *c, const struct sim_field *f,
                                               const char *use_case) {
  const unsigned char *b = (const unsigned char *)f->data;
  struct tt_upload *u;
  int w, h, png, main = strcmp(use_case, "MAIN_IMAGE") == 0;
  int lo = main ? 300 : 100, hi = main ? 4000 : 20000;

  if (f->len > TT_UPLOAD_MAX) {
    tt_fail(c, TT_E_UPLOAD_SIZE, "The file size exceeds the maximum allowed size.");
    return NULL;
  }
  if (!tt_image_size(b, f->len, &w, &h, &png)) {
    tt_fail(c, TT_E_UPLOAD_FORMAT,
            "Failed to process the image. The format or content is not supported.");
    return NULL;
  }
  if (w < lo || h < lo || w > hi || h > hi) {
    tt_fail(c, TT_E_UPLOAD_DIM, "The image dimensions exceed the allowed limits. Allowed "
            "dimensions (width x height in pixels): %d x %d to %d x %d", lo, lo, hi, hi);
    return NULL;
  }
  if (T.nups >= TT_UPLOADS_MAX ||
      sim_grow((void **)&T.ups, &T.cap_ups, T.nups + 1, sizeof *T.ups)) {
    tt_fail(c, TT_E_PARAM, "could not store the image");
    return NULL;
  }
  u = &T.ups[T.nups];
  memset(u, 0, sizeof *u);
  u->shop = sim_acct_index(&tt_accts, c->shop);
  tt_sha256_hex(f->data, f->len, u->sha256);
  /* A new uri per upload, as TikTok gives. */
  snprintf(u->uri, sizeof u->uri, "tos-alisg-i-ocopsim-sg/%06zu%.24s", T.nups + 1, u->sha256);
  snprintf(u->url, sizeof u->url, "https://p16-oec-sg.ibyteimg.com/%s~tplv-origin-%s.image",
           u->uri, png ? "png" : "jpeg");
  snprintf(u->use_case, sizeof u->use_case, "%s", use_case);
  u->bytes = f->len;
  u->width = w;
  u->height = h;
  T.nups++;
  return u;
}

/* POST /product/202309/images/upload: multipart fields data and use_case. */
static void tt_image_upload(struct tt_call *c) {
  struct sim_field f[SIM_FORM_FIELDS_MAX];
  const struct sim_field *data, *uc;
  const struct tt_upload *u;
  const char *why = NULL;
  char use_case[24] = "MAIN_IMAGE";
  int n = sim_form_parse(c->req->content_type, c->req->body, c->req->body_len, f,
                         SIM_FORM_FIELDS_MAX, &why);
  cJSON *o;

  if (n < 0 || !(data = sim_form_get(f, n, "data")) || data->len == 0) {
    tt_fail(c, TT_E_UPLOAD_FILE, "Invalid upload file. Please ensure you are passing the "
            "correct file data.%s%s", why ? " " : "", why ? why : "");
    return;
  }
  if ((uc = sim_form_get(f, n, "use_case")) != NULL) {
    if (uc->len >= sizeof use_case) {
      tt_fail(c, TT_E_PARAM, "invalid param: use_case");
      return;
    }
    memcpy(use_case, uc->data, uc->len);
    use_case[uc->len] = '\0';
    if (!tt_use_case_ok(use_case)) {
      tt_fail(c, TT_E_PARAM, "invalid param: use_case");
      return;
    }
  }
  if (!(u = tt_upload_store(c, data, use_case)))
    return;
  o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "uri", u->uri);
  cJSON_AddStringToObject(o, "url", u->url);
  sim_json_add_int(o, "height", u->height);
  sim_json_add_int(o, "width", u->width);
  cJSON_AddStringToObject(o, "use_case", u->use_case);
  tt_ok(c, o);
}

/* ------------------------------------------------- content enforcement -- */

/* What a create says, or an edit leaves after its fields replace the
 * product's: each NULL when absent. */
struct tt_content {
  const char *category, *brand;
  const cJSON *images, *attrs, *certs, *dims;
};

/* main_images: 1..9, each a MAIN_IMAGE uri this shop uploaded. */
static int tt_check_images(struct tt_call *c, size_t shop, const cJSON *images) {
  const cJSON *e;

  if (!cJSON_IsArray(images) || cJSON_GetArraySize(images) == 0) {
    tt_fail(c, TT_E_NO_IMAGE, "Main product image is required");
    return -1;
  }
  cJSON_ArrayForEach(e, images) {
    if (!tt_upload_find(shop, sim_json_str(e, "uri"), "MAIN_IMAGE")) {
      tt_fail(c, TT_E_IMAGE_URI, "product main image uri illegal");
      return -1;
    }
  }
  return 0;
}

/* One attribute's values: ids from its list, names where customizable. */
static int tt_check_values(struct tt_call *c, const struct tt_attr_def *d, const cJSON *vals) {
  const cJSON *v;
  size_t i;

  if (!cJSON_IsArray(vals) || cJSON_GetArraySize(vals) == 0) {
    tt_fail(c, TT_E_PROP_EMPTY, "The product attribute value name or attribute value id is "
            "empty.");
    return -1;
  }
  if (cJSON_GetArraySize(vals) > 1) {
    tt_fail(c, 12052246, "The product attribute not support multi selected, attribute id "
            "is :%s.", d->id);
    return -1;
  }
  cJSON_ArrayForEach(v, vals) {
    const char *id = sim_json_str(v, "id"), *name = sim_json_str(v, "name");

    if (id && *id) {
      for (i = 0; i < d->nvalues && strcmp(d->values[i].id, id) != 0; i++)
        ;
      if (i == d->nvalues) {
        tt_fail(c, TT_E_PROP_VALUE, " The property value id not exist.");
        return -1;
      }
    } else if (!name || !*name) {
      tt_fail(c, TT_E_PROP_EMPTY, "The product attribute value name or attribute value id "
              "is empty.");
      return -1;
    } else if (d->values) {
      tt_fail(c, TT_E_PROP_NOCUSTOM, "Do not support custom product attribute.");
      return -1;
    }
  }
  return 0;
}

/* product_attributes: ids of the category's, values as Get Attributes
 * lists them, every required one present. */
static int tt_check_attrs(struct tt_call *c, const struct tt_cat *cat, const cJSON *attrs) {
  const cJSON *a;
  const char *p;
  int req;

  cJSON_ArrayForEach(a, attrs) {
    const char *id = sim_json_str(a, "id");
    const struct tt_attr_def *d = id ? tt_cat_attr(cat, id, &req) : NULL;

    if (!d) {
      tt_fail(c, TT_E_PROP_CUSTOM, "Do not support custom property.");
      return -1;
    }
    if (tt_check_values(c, d, tt_get(a, "values")))
      return -1;
  }
  for (p = cat->attrs; *p; p++) {
    const struct tt_attr_def *d = &tt_attr_defs[(*p | 0x20) - 'a'];
    int found = 0;

    if (*p < 'A' || *p > 'Z')
      continue;
    cJSON_ArrayForEach(a, attrs) {
      const char *id = sim_json_str(a, "id");

      found |= id && strcmp(id, d->id) == 0;
    }
    if (!found) {
      tt_fail(c, TT_E_PROP_REQUIRED, "property is required: %s", d->name);
      return -1;
    }
  }
  return 0;
}

/* certifications: the category's ids, CERTIFICATION_IMAGE uris of this
 * shop, the required one present with an image. */
static int tt_check_certs(struct tt_call *c, size_t shop, const struct tt_cat *cat,
                          const cJSON *certs) {
  const cJSON *e, *img;
  int health = 0;

  cJSON_ArrayForEach(e, certs) {
    const char *id = sim_json_str(e, "id");

    if (!id || (strcmp(id, TT_CERT_QUALITY) != 0 &&
                !(cat->health && strcmp(id, TT_CERT_HEALTH) == 0))) {
      tt_fail(c, TT_E_QUAL_ID, "qualification id not exist");
      return -1;
    }
    cJSON_ArrayForEach(img, tt_get(e, "images")) {
      if (!tt_upload_find(shop, sim_json_str(img, "uri"), "CERTIFICATION_IMAGE")) {
        tt_fail(c, TT_E_QUAL_URI, "product qualification image uri illegal");
        return -1;
      }
    }
    if (strcmp(id, TT_CERT_HEALTH) == 0 && cJSON_GetArraySize(tt_get(e, "images")) > 0)
      health = 1;
  }
  if (cat->health && !health) {
    tt_fail(c, TT_E_QUAL_MISS, "required qualification miss: Health Supplement License");
    return -1;
  }
  return 0;
}

/* package_dimensions: positive whole numbers in CENTIMETER; required
 * where the category's rules say so. */
static int tt_check_dims(struct tt_call *c, const struct tt_cat *cat, const cJSON *d) {
  static const char *const keys[3] = {"length", "width", "height"};
  const char *unit = sim_json_str(d, "unit");
  int64_t v;
  int i;

  if (!d) {
    if (!cat->health)
      return 0;
    tt_fail(c, TT_E_SIZE, "product package size is invalid: package_dimensions are required "
            "in this category");
    return -1;
  }
  for (i = 0; i < 3; i++) {
    const char *s = sim_json_str(d, keys[i]);

    if (!s || tt_digits(s, &v) || v <= 0) {
      tt_fail(c, TT_E_SIZE, "product package size is invalid");
      return -1;
    }
  }
  if (!unit || strcmp(unit, "CENTIMETER") != 0) {
    tt_fail(c, TT_E_SIZE, "product package size is invalid: unit must be CENTIMETER");
    return -1;
  }
  return 0;
}

/* Everything a create or an edit leaves must hold. 0, or -1 answered. */
static int tt_check_content(struct tt_call *c, const struct tt_content *k) {
  size_t shop = sim_acct_index(&tt_accts, c->shop);
  const struct tt_cat *cat;

  if (sim_legacy)
    return 0;
  if (!k->category || !*k->category) {
    tt_fail(c, TT_E_CAT_MISSING, "Category does not exist");
    return -1;
  }
  if (tt_cat_refused(c, k->category, &cat) || tt_check_images(c, shop, k->images))
    return -1;
  if (k->brand && *k->brand && !tt_brand_known(k->brand)) {
    tt_fail(c, TT_E_BRAND, "Brand does not exist");
    return -1;
  }
  if (cat->health && (!k->brand || !*k->brand)) {
    tt_fail(c, TT_E_BRAND_AUTH, "A brand authorization is required to publish this listing.");
    return -1;
  }
  return tt_check_attrs(c, cat, k->attrs) || tt_check_certs(c, shop, cat, k->certs) ||
                 tt_check_dims(c, cat, k->dims)
             ? -1
             : 0;
}

/* The title's 25..255 code points (Vietnam's range). */
static int tt_check_title(struct tt_call *c, const char *title) {
  long n = title ? sim_utf8_len(title, strlen(title)) : -1;

  if (title && !sim_legacy && (n < TT_TITLE_MIN || n > TT_TITLE_MAX)) {
    tt_fail(c, TT_E_TITLE, "The product title must be %d to %d characters; this one has %ld",
            TT_TITLE_MIN, TT_TITLE_MAX, n);
    return -1;
  }
  return 0;
}

/* The content fields of a body; an edit's absent ones are the product's. */
static const char *tt_content_read(const cJSON *b, const struct tt_product *p,
                                   struct tt_content *k) {
  const cJSON *v;

  memset(k, 0, sizeof k[0]);
  if (p) {
    k->category = p->category, k->brand = p->brand, k->images = p->images;
    k->attrs = p->attrs, k->certs = p->certs, k->dims = p->dims;
  }
  if ((v = tt_get(b, "category_id")))
    k->category = cJSON_IsString(v) ? v->valuestring : "";
  if ((v = tt_get(b, "brand_id"))) {
    if (!cJSON_IsString(v))
      return "brand_id must be a string";
    k->brand = v->valuestring;
  }
  if ((v = tt_get(b, "main_images")))
    k->images = v;
  if ((v = tt_get(b, "product_attributes"))) {
    if (!cJSON_IsArray(v))
      return "product_attributes must be an array";
    k->attrs = v;
  }
  if ((v = tt_get(b, "certifications"))) {
    if (!cJSON_IsArray(v))
      return "certifications must be an array";
    k->certs = v;
  }
  if ((v = tt_get(b, "package_dimensions"))) {
    if (!cJSON_IsObject(v))
      return "package_dimensions must be an object";
    k->dims = v;
  }
  return NULL;
}

/* Copies the content a call left into p. 0, or -1 out of memory. */
static int tt_content_keep(struct tt_product *p, const struct tt_content *k) {
  int failed = 0;
  char *cat = sim_str_dup(k->category, &failed), *brand = sim_str_dup(k->brand, &failed);
  cJSON *img = k->images ? cJSON_Duplicate(k->images, 1) : NULL;
  cJSON *at = k->attrs ? cJSON_Duplicate(k->attrs, 1) : NULL;
  cJSON *ce = k->certs ? cJSON_Duplicate(k->certs, 1) : NULL;
  cJSON *di = k->dims ? cJSON_Duplicate(k->dims, 1) : NULL;

  if (failed || (k->images && !img) || (k->attrs && !at) || (k->certs && !ce) ||
      (k->dims && !di)) {
    free(cat), free(brand);
    cJSON_Delete(img), cJSON_Delete(at), cJSON_Delete(ce), cJSON_Delete(di);
    return -1;
  }
  free(p->category), free(p->brand);
  cJSON_Delete(p->images), cJSON_Delete(p->attrs), cJSON_Delete(p->certs),
      cJSON_Delete(p->dims);
  p->category = cat, p->brand = brand, p->images = img;
  p->attrs = at, p->certs = ce, p->dims = di;
  return 0;
}

/* The shop's product created with that idempotency key, or NULL. */
static struct tt_product *tt_product_by_key(size_t shop, const char *key) {
  size_t i;

  for (i = 0; key && *key && i < T.nitems; i++)
    if (T.items[i].shop == shop && T.items[i].idem && strcmp(T.items[i].idem, key) == 0)
      return &T.items[i];
  return NULL;
}

/* ---------------------------------------------------------- endpoints -- */

/* {product_id, skus: [{id, seller_sku, sales_attributes}]}: what create and
 * partial edit answer. */
static cJSON *tt_write_answer(const struct tt_product *p) {
  cJSON *data = cJSON_CreateObject();

  tt_add_id(data, "product_id", p->id);
  sim_json_put(data, "skus", tt_skus_json(p, 0));
  return data;
}

/* Create Product: the fields, the content as the category's rules want
 * it, then the SKUs. A create whose idempotency_key this shop used before
 * answers the product that key made, and makes none. */
static void tt_create(struct tt_call *c) {
  struct tt_fields f;
  struct tt_content ct;
  struct tt_product *p;
  struct tt_sku_in *k = NULL;
  const char *why = tt_fields_read(c->body, &f);
  const char *key = sim_json_str(c->body, "idempotency_key");
  size_t n = 0, shop = sim_acct_index(&tt_accts, c->shop);
  long code = TT_E_PARAM;
  cJSON *data;

  if (!why && key && (!*key || strlen(key) > 128))
    why = "idempotency_key must be 1 to 128 characters";
  if (!why)
    why = tt_content_read(c->body, NULL, &ct);
  if (why) {
    tt_fail(c, code, "%s", why);
    return;
  }
  if ((p = tt_product_by_key(shop, key)) != NULL) {
    sim_info_note_id(c->info, p->id);
    tt_ok(c, tt_write_answer(p));
    return;
  }
  if (tt_check_title(c, f.title) || tt_check_content(c, &ct))
    return;
  if ((why = tt_skus_read(f.skus, NULL, &k, &n, &code))) {
    tt_fail(c, code, "%s", why);
    return;
  }
  p = tt_product_create(shop, &f, k, n, c->now);
  free(k);
  if (p && (tt_content_keep(p, &ct) || (key && !(p->idem = strdup(key))))) {
    tt_product_free(p);
    T.nitems--;
    p = NULL;
  }
  if (!p) {
    tt_fail(c, TT_E_PARAM, "could not store the product");
    return;
  }
  sim_info_note_id(c->info, p->id);
  data = tt_write_answer(p);
  cJSON_AddArrayToObject(data, "warnings");
  tt_ok(c, data);
}

/* 1 when an edit sends a content field. */
static int tt_has_content(const cJSON *b) {
  static const char *const keys[] = {"category_id", "brand_id", "main_images",
                                     "product_attributes", "certifications",
                                     "package_dimensions"};
  size_t i;

  for (i = 0; i < ARRAY_LEN(keys); i++)
    if (tt_get(b, keys[i]))
      return 1;
  return 0;
}

/* title, description, the content fields and skus[], each optional; all
 * checked before any change. */
static void tt_partial_edit(struct tt_call *c) {
  struct tt_product *p = tt_own_product(c);
  struct tt_content ct;
  const char *title, *desc, *why;
  const cJSON *skus = tt_get(c->body, "skus");
  struct tt_sku_in *k = NULL;
  char *t = NULL, *d = NULL;
  size_t n = 0;
  long code = TT_E_PARAM;

  if (!p)
    return;
  if ((why = tt_text_field(c->body, "title", TT_TITLE_MAX, 0, &title)) ||
      (why = tt_text_field(c->body, "description", TT_DESC_MAX, 0, &desc)) ||
      (title && !*title && (why = "title must be 1 to 255 characters of UTF-8")) ||
      (why = tt_content_read(c->body, p, &ct)) ||
      (skus && (why = tt_skus_read(skus, p, &k, &n, &code)))) {
    free(k);
    tt_fail(c, code, "%s", why);
    return;
  }
  /* Every top-level field replaces the product's: what the edit leaves
   * must hold as a create's would. */
  if (tt_check_title(c, title) || (tt_has_content(c->body) && tt_check_content(c, &ct))) {
    free(k);
    return;
  }
  if ((title && !(t = strdup(title))) || (desc && !(d = strdup(desc))) ||
      (tt_has_content(c->body) && tt_content_keep(p, &ct)) ||
      (skus && tt_skus_store(p, k, n))) {
    free(t), free(d), free(k);
    tt_fail(c, TT_E_PARAM, "out of memory");
    return;
  }
  free(k);
  if (t)
    free(p->title), p->title = t;
  if (d)
    free(p->desc), p->desc = d;
  p->updated = c->now;
  tt_ok(c, tt_write_answer(p));
}

/* The skus[] of an inventory or price update: each id must be one of the
 * product's SKUs, named once. All are checked before any change. */
static const cJSON *tt_sku_list(struct tt_call *c, struct tt_product *p) {
  const cJSON *skus = tt_get(c->body, "skus"), *e, *f;
  int64_t id, id2;

  if (!cJSON_IsArray(skus) || cJSON_GetArraySize(skus) < 1 ||
      cJSON_GetArraySize(skus) > TT_BATCH_MAX) {
    tt_fail(c, TT_E_PARAM, "skus must be an array of 1 to 50 SKUs");
    return NULL;
  }
  cJSON_ArrayForEach(e, skus) {
    if (!cJSON_IsObject(e) || tt_json_id(tt_get(e, "id"), &id)) {
      tt_fail(c, TT_E_PARAM, "each SKU needs its id as a string of digits");
      return NULL;
    }
    if (!tt_sku_by_id(p, id)) {
      tt_fail(c, TT_E_NOT_FOUND, "SKU %" PRId64 " not found in product %"
              PRId64 ".", id, p->id);
      return NULL;
    }
    for (f = skus->child; f != e; f = f->next)
      if (tt_json_id(tt_get(f, "id"), &id2) == 0 && id2 == id) {
        tt_fail(c, TT_E_PARAM, "SKU %" PRId64 " is given twice.", id);
        return NULL;
      }
  }
  return skus;
}

static void tt_inventory_update(struct tt_call *c) {
  struct tt_product *p = tt_own_product(c);
  const cJSON *skus, *e;
  int64_t qty = 0, id;
  const char *wh = NULL, *why;

  if (!p || !(skus = tt_sku_list(c, p)))
    return;
  cJSON_ArrayForEach(e, skus) {
    if ((why = tt_inventory(tt_get(e, "inventory"), &qty, &wh))) {
      tt_fail(c, TT_E_PARAM, "%s", why);
      return;
    }
  }
  cJSON_ArrayForEach(e, skus) {
    struct tt_sku *k;
    char *w = NULL;

    tt_json_id(tt_get(e, "id"), &id);
    k = tt_sku_by_id(p, id);
    tt_inventory(tt_get(e, "inventory"), &qty, &wh);
    if (wh && (w = strdup(wh)))
      free(k->warehouse), k->warehouse = w;
    k->qty = qty;
  }
  p->updated = c->now;
  tt_ok(c, NULL);
}

static void tt_prices_update(struct tt_call *c) {
  struct tt_product *p = tt_own_product(c);
  const cJSON *skus, *e;
  int64_t price = 0, id;
  const char *why;

  if (!p || !(skus = tt_sku_list(c, p)))
    return;
  cJSON_ArrayForEach(e, skus) {
    if ((why = tt_price(tt_get(e, "price"), &price))) {
      tt_fail(c, TT_E_PARAM, "%s", why);
      return;
    }
  }
  cJSON_ArrayForEach(e, skus) {
    tt_json_id(tt_get(e, "id"), &id);
    tt_price(tt_get(e, "price"), &price);
    tt_sku_by_id(p, id)->price = price;
  }
  p->updated = c->now;
  tt_ok(c, NULL);
}

/* activate / deactivate: unknown ids go to data.errors; when none of them
 * is found, the call fails with the not-found code. */
static void tt_set_status(struct tt_call *c, enum tt_status st) {
  const cJSON *ids = tt_get(c->body, "product_ids"), *e;
  struct tt_product *ps[TT_BATCH_MAX];
  cJSON *data, *errors;
  int n = 0, i, nfound = 0;
  int64_t id;

  if (!cJSON_IsArray(ids) || cJSON_GetArraySize(ids) < 1 ||
      cJSON_GetArraySize(ids) > TT_BATCH_MAX) {
    tt_fail(c, TT_E_PARAM, "product_ids must be an array of 1 to 50 ids");
    return;
  }
  cJSON_ArrayForEach(e, ids) {
    if (tt_json_id(e, &id)) {
      tt_fail(c, TT_E_PARAM, "product_ids must hold strings of digits");
      return;
    }
    ps[n] = tt_product_find(id);
    if (ps[n] && ps[n]->shop != sim_acct_index(&tt_accts, c->shop))
      ps[n] = NULL;
    nfound += ps[n] != NULL;
    n++;
  }
  if (nfound == 0) {
    tt_fail(c, TT_E_NOT_FOUND, "Product not found.");
    return;
  }
  data = cJSON_CreateObject();
  errors = cJSON_AddArrayToObject(data, "errors");
  for (i = 0, e = ids->child; i < n; i++, e = e->next) {
    if (ps[i]) {
      ps[i]->status = st;
      ps[i]->updated = c->now;
    } else {
      cJSON *er = cJSON_CreateObject(), *d;

      sim_json_add_int(er, "code", TT_E_NOT_FOUND);
      cJSON_AddStringToObject(er, "message", "Product not found.");
      d = cJSON_AddObjectToObject(er, "detail");
      cJSON_AddStringToObject(d, "product_id", e->valuestring);
      sim_json_push(errors, er);
    }
  }
  tt_ok(c, data);
}

static void tt_deactivate(struct tt_call *c) {
  tt_set_status(c, TT_SELLER_DEACTIVATED);
}

static void tt_activate(struct tt_call *c) { tt_set_status(c, TT_ACTIVATE); }

static int tt_status_filter(const char *f, const struct tt_product *p) {
  if (!f || strcmp(f, "ALL") == 0)
    return 1;
  return strcmp(f, tt_status_name(p)) == 0;
}

/* 1 when the product has a SKU whose seller_sku is in the list. */
static int tt_sku_wanted(const cJSON *list, const struct tt_product *p) {
  const cJSON *e;
  size_t i;

  if (!list)
    return 1;
  cJSON_ArrayForEach(e, list) {
    for (i = 0; i < p->nskus; i++)
      if (cJSON_IsString(e) && p->skus[i].seller_sku &&
          strcmp(e->valuestring, p->skus[i].seller_sku) == 0)
        return 1;
  }
  return 0;
}

/* POST /product/202309/products/search?page_size=N[&page_token=T]: the
 * page token is an opaque offset. */
/* The query's page_size (1..100) and page_token (an offset, "" for the
 * first page), shared by the product and the order search; -1 after
 * answering. */
static int tt_page_args(struct tt_call *c, int64_t *size, int64_t *offset) {
  const char *ps = sim_params_get(&c->params, "page_size");
  const char *pt = sim_params_get(&c->params, "page_token");

  if (tt_digits(ps, size) || *size < 1 || *size > TT_PAGE_MAX) {
    tt_fail(c, TT_E_PARAM, "page_size must be a number from 1 to 100");
    return -1;
  }
  if (pt && *pt && (tt_digits(pt, offset) || *offset > INT32_MAX)) {
    tt_fail(c, TT_E_PARAM, "page_token is invalid");
    return -1;
  }
  return 0;
}

static void tt_search(struct tt_call *c) {
  const cJSON *skus = tt_get(c->body, "seller_skus"), *e;
  const cJSON *stv = tt_get(c->body, "status");
  const char *status = cJSON_IsString(stv) ? stv->valuestring : NULL;
  int64_t size, offset = 0, total = 0, shown = 0;
  size_t me = sim_acct_index(&tt_accts, c->shop), i;
  cJSON *data, *list;
  char next[24] = "";

  if (tt_page_args(c, &size, &offset))
    return;
  if (stv && !status) {
    tt_fail(c, TT_E_PARAM, "status must be a string");
    return;
  }
  if (skus) {
    if (!cJSON_IsArray(skus) || cJSON_GetArraySize(skus) > 100) {
      tt_fail(c, TT_E_PARAM, "seller_skus must be an array of at most 100");
      return;
    }
    cJSON_ArrayForEach(e, skus) {
      if (!cJSON_IsString(e)) {
        tt_fail(c, TT_E_PARAM, "seller_skus must hold strings");
        return;
      }
    }
  }
  data = cJSON_CreateObject();
  list = cJSON_AddArrayToObject(data, "products");
  for (i = 0; i < T.nitems; i++) {
    const struct tt_product *p = &T.items[i];

    if (p->shop != me || !tt_status_filter(status, p) || !tt_sku_wanted(skus, p))
      continue;
    if (total++ < offset)
      continue;
    if (shown < size) {
      sim_json_push(list, tt_product_json(p, 0));
      shown++;
    }
  }
  if (offset + shown < total)
    snprintf(next, sizeof next, "%" PRId64, offset + shown);
  sim_json_add_int(data, "total_count", total);
  cJSON_AddStringToObject(data, "next_page_token", next);
  tt_ok(c, data);
}

static void tt_product_get(struct tt_call *c) {
  struct tt_product *p = tt_own_product(c);

  if (p)
    tt_ok(c, tt_product_json(p, 1));
}

static void tt_shops(struct tt_call *c) {
  cJSON *data = cJSON_CreateObject(), *list, *o;
  char buf[32];

  list = cJSON_AddArrayToObject(data, "shops");
  o = cJSON_CreateObject();
  tt_add_id(o, "id", TT_SHOP_ID0 + (int64_t)sim_acct_index(&tt_accts, c->shop));
  snprintf(buf, sizeof buf, "ocopsim shop %zu",
           sim_acct_index(&tt_accts, c->shop) + 1);
  cJSON_AddStringToObject(o, "name", buf);
  cJSON_AddStringToObject(o, "region", "VN");
  cJSON_AddStringToObject(o, "seller_type", "LOCAL");
  cJSON_AddStringToObject(o, "cipher", c->shop->name);
  snprintf(buf, sizeof buf, "VNSIM%zu", sim_acct_index(&tt_accts, c->shop) + 1);
  cJSON_AddStringToObject(o, "code", buf);
  sim_json_push(list, o);
  tt_ok(c, data);
}

/* GET /api/v2/token/refresh?app_key&app_secret&refresh_token&grant_type:
 * the auth host's call, not signed. Expiry times are absolute. */
static void tt_refresh(struct tt_call *c) {
  const char *key = sim_params_get(&c->params, "app_key");
  const char *secret = sim_params_get(&c->params, "app_secret");
  const char *tok = sim_params_get(&c->params, "refresh_token");
  const char *gt = sim_params_get(&c->params, "grant_type");
  const struct sim_app *app;
  struct sim_acct *s = NULL;
  cJSON *data, *sc;

  if (!key || !*key || !secret || !*secret || !tok || !*tok || !gt) {
    tt_fail(c, TT_E_PARAM, "app_key, app_secret, refresh_token and "
            "grant_type are required.");
    return;
  }
  if (strcmp(gt, "refresh_token") != 0) {
    tt_fail(c, TT_E_PARAM, "grant_type must be refresh_token.");
    return;
  }
  app = sim_acct_app_find(&tt_accts, key);
  if (!app || !tt_str_equal(app->secret, secret)) {
    tt_fail(c, TT_E_APP, "app_key or app_secret is invalid.");
    return;
  }
  s = sim_acct_by_refresh(&tt_accts, tok, key, c->now);
  if (!s) {
    tt_fail(c, TT_E_REFRESH, "refresh_token is invalid or expired.");
    return;
  }
  if (sim_tok_issue(&s->tok, c->now, TT_GRACE_S, 20)) {
    tt_fail(c, TT_E_PARAM, "could not issue tokens");
    return;
  }
  c->shop = s;
  data = cJSON_CreateObject();
  cJSON_AddStringToObject(data, "access_token", s->tok.access);
  sim_json_add_int(data, "access_token_expire_in", s->tok.access_exp);
  cJSON_AddStringToObject(data, "refresh_token", s->tok.refresh);
  sim_json_add_int(data, "refresh_token_expire_in", s->tok.refresh_exp);
  cJSON_AddStringToObject(data, "open_id", s->name);
  cJSON_AddStringToObject(data, "seller_name", "ocopsim seller");
  cJSON_AddStringToObject(data, "seller_base_region", "VN");
  sim_json_add_int(data, "user_type", 0);
  sc = cJSON_AddArrayToObject(data, "granted_scopes");
  sim_json_push(sc, cJSON_CreateString("seller.product.basic"));
  sim_json_push(sc, cJSON_CreateString("seller.order.info"));
  {
    cJSON *o = tt_envelope(0, "success");

    sim_json_put(o, "data", data);
    sim_resp_json(c->resp, 200, o);
  }
}

/* ------------------------------------------------------------- orders -- */

#define TT_FIRST_ORDER INT64_C(576000000000000000)     /* 18 digits */
#define TT_FIRST_LINE_ITEM INT64_C(577000000000000001) /* 18 digits */

static struct sim_orders tt_orders;

/* A whole amount as TikTok prints order money: "150000". */
static void tt_add_amount(cJSON *o, const char *name, int64_t v) {
  char buf[24];

  snprintf(buf, sizeof buf, "%" PRId64, v);
  cJSON_AddStringToObject(o, name, buf);
}

/* The shop's first SKU with that seller_sku (its product in *pp), or
 * NULL. */
static struct tt_sku *tt_sku_by_seller(size_t shop, const char *sku,
                                       struct tt_product **pp) {
  size_t i, j;

  *pp = NULL;
  for (i = 0; i < T.nitems; i++) {
    if (T.items[i].shop != shop)
      continue;
    for (j = 0; j < T.items[i].nskus; j++)
      if (T.items[i].skus[j].seller_sku &&
          strcmp(T.items[i].skus[j].seller_sku, sku) == 0) {
        *pp = &T.items[i];
        return &T.items[i].skus[j];
      }
  }
  return NULL;
}

/* A body time bound: absent (1), a Unix-seconds integer (0), else -1. */
static int tt_body_time(const cJSON *b, const char *name, int64_t *out) {
  const cJSON *v = tt_get(b, name);

  if (!v)
    return 1;
  return sim_json_int(v, out) == 0 && *out >= 0 ? 0 : -1;
}

/* update_time_ge/lt, or create_time_ge/lt when no update bound is given. */
static int tt_order_window(struct tt_call *c, struct sim_order_query *q) {
  int ge = tt_body_time(c->body, "update_time_ge", &q->from);
  int lt = tt_body_time(c->body, "update_time_lt", &q->to);

  if (ge > 0 && lt > 0) {
    ge = tt_body_time(c->body, "create_time_ge", &q->from);
    lt = tt_body_time(c->body, "create_time_lt", &q->to);
    q->by_create = ge <= 0 || lt <= 0;
  }
  if (ge < 0 || lt < 0) {
    tt_fail(c, TT_E_PARAM, "time bounds must be Unix seconds");
    return -1;
  }
  if (ge > 0)
    q->from = 0;
  if (lt > 0)
    q->to = INT64_MAX;
  return 0;
}

/* POST /order/202309/orders/search: the page token is an opaque offset. */
static void tt_orders_search(struct tt_call *c) {
  struct sim_order_query q = {NULL, 0, 0, INT64_MAX, 0, NULL};
  const char *so = sim_params_get(&c->params, "sort_order");
  const cJSON *stv = tt_get(c->body, "order_status");
  int desc = so && strcasecmp(so, "DESC") == 0;
  int64_t size, offset = 0, i;
  struct sim_order **v;
  cJSON *data, *list;
  char next[24] = "";
  size_t n;

  if (tt_page_args(c, &size, &offset))
    return;
  if (stv && !cJSON_IsString(stv)) {
    tt_fail(c, TT_E_PARAM, "order_status must be a string");
    return;
  }
  if (tt_order_window(c, &q))
    return;
  q.shop = c->shop->name;
  q.status = stv ? stv->valuestring : NULL;
  if (sim_orders_select(&tt_orders, &q, &v, &n)) {
    tt_fail(c, TT_E_PARAM, "out of memory");
    return;
  }
  data = cJSON_CreateObject();
  list = cJSON_AddArrayToObject(data, "orders");
  for (i = offset; i < (int64_t)n && i < offset + size; i++)
    sim_json_push(list, sim_order_head_json(v[desc ? (int64_t)n - 1 - i : i]));
  if (offset + size < (int64_t)n)
    snprintf(next, sizeof next, "%" PRId64, offset + size);
  cJSON_AddStringToObject(data, "next_page_token", next);
  sim_json_add_int(data, "total_count", (int64_t)n);
  free(v);
  tt_ok(c, data);
}

/* One line item per unit: TikTok has no quantity field. */
static void tt_order_lines(cJSON *list, const struct sim_order *o,
                           size_t shop) {
  int64_t unit = o->unit_base, k;
  size_t i;

  for (i = 0; i < o->nlines; i++) {
    const struct sim_order_line *l = &o->lines[i];
    struct tt_product *p;
    const struct tt_sku *sk = tt_sku_by_seller(shop, l->sku, &p);

    for (k = 0; k < l->qty; k++) {
      cJSON *e = cJSON_CreateObject();

      tt_add_id(e, "id", unit++);
      tt_add_id(e, "sku_id", sk ? sk->id : 0);
      if (!o->malformed)
        cJSON_AddStringToObject(e, "seller_sku", l->sku);
      tt_add_id(e, "product_id", p ? p->id : 0);
      cJSON_AddStringToObject(e, "product_name",
                              p && p->title ? p->title : l->sku);
      tt_add_amount(e, "original_price", l->price);
      tt_add_amount(e, "sale_price", l->price);
      cJSON_AddStringToObject(e, "currency", "VND");
      cJSON_AddStringToObject(e, "display_status", o->status);
      sim_json_push(list, e);
    }
  }
}

static cJSON *tt_order_json(const struct sim_order *o, size_t shop) {
  cJSON *e = sim_order_head_json(o), *pay;

  sim_json_add_int(e, "paid_time", o->create_time);
  pay = cJSON_AddObjectToObject(e, "payment");
  cJSON_AddStringToObject(pay, "currency", "VND");
  tt_add_amount(pay, "total_amount", sim_order_total(o));
  tt_order_lines(cJSON_AddArrayToObject(e, "line_items"), o, shop);
  return e;
}

/* GET /order/202309/orders?ids=a,b: 1..50 ids, unknown ones left out. */
static void tt_orders_get(struct tt_call *c) {
  const char *s = sim_params_get(&c->params, "ids");
  char id[SIM_ORDER_ID_MAX + 1];
  const struct sim_order *o;
  cJSON *data, *list;
  int n = 0;

  data = cJSON_CreateObject();
  list = cJSON_AddArrayToObject(data, "orders");
  for (; s && *s; s += strcspn(s, ",") + 1) {
    size_t len = strcspn(s, ",");

    if (len == 0 || len >= sizeof id || ++n > TT_BATCH_MAX)
      break;
    memcpy(id, s, len);
    id[len] = '\0';
    if ((o = sim_order_find(&tt_orders, c->shop->name, id)))
      sim_json_push(list, tt_order_json(o, sim_acct_index(&tt_accts, c->shop)));
    if (!s[len]) {
      s = NULL;
      break;
    }
  }
  if (s || n == 0) {
    cJSON_Delete(data);
    tt_fail(c, TT_E_PARAM, "ids must hold 1 to 50 order ids");
    return;
  }
  tt_ok(c, data);
}

static int tt_order_id_ok(const char *id) {
  int64_t v;

  return tt_digits(id, &v) == 0;
}

static void tt_order_new_id(uint64_t seq, int64_t now, char *out, size_t n) {
  (void)now;
  snprintf(out, n, "%" PRId64, TT_FIRST_ORDER + (int64_t)seq);
}

/* A line sold: that SKU's stock alone moves. */
static void tt_order_sold(const char *shop, const char *sku, int64_t qty) {
  const struct sim_acct *s = sim_acct_find(&tt_accts, shop);
  struct tt_product *p;
  struct tt_sku *k = s ? tt_sku_by_seller(sim_acct_index(&tt_accts, s), sku, &p) : NULL;

  if (k)
    k->qty = k->qty > qty ? k->qty - qty : 0;
}

/* Webhook type 1, order status change. */
static char *tt_order_push(const struct sim_order *o, int64_t ts,
                           size_t *len) {
  const struct sim_acct *s = sim_acct_find(&tt_accts, o->shop);
  cJSON *m = cJSON_CreateObject(), *d;
  char *out;

  sim_json_add_int(m, "type", 1);
  cJSON_AddStringToObject(m, "shop_id",
                          s && s->shop_id ? s->shop_id : o->shop);
  sim_json_add_int(m, "timestamp", ts);
  d = cJSON_AddObjectToObject(m, "data");
  cJSON_AddStringToObject(d, "order_id", o->id);
  cJSON_AddStringToObject(d, "order_status", o->status);
  sim_json_add_int(d, "update_time", o->update_time);
  out = sim_json_print(m, len);
  cJSON_Delete(m);
  return out;
}

static const struct sim_order_ops tt_order_ops = {
    .name = "tiktok",
    .store = &tt_orders,
    .first_unit = TT_FIRST_LINE_ITEM,
    .accts = &tt_accts,
    .id_ok = tt_order_id_ok,
    .new_id = tt_order_new_id,
    .sold = tt_order_sold,
    .push_body = tt_order_push,
};

/* ------------------------------------------------------------ routing -- */

#define TT_PRODUCTS "/product/202309/products"

enum tt_auth { TT_NONE, TT_SELLER, TT_SHOP };

struct tt_route {
  const char *method;
  enum tt_auth auth;
  int body; /* 1: JSON body required; 0: optional (search) */
  void (*fn)(struct tt_call *c);
  int multipart; /* 1: a multipart/form-data body (the image upload) */
};

static const struct tt_route tt_r_refresh = {"GET", TT_NONE, 0, tt_refresh, 0};
static const struct tt_route tt_r_shops = {"GET", TT_SELLER, 0, tt_shops, 0};
static const struct tt_route tt_r_create = {"POST", TT_SHOP, 1, tt_create, 0};
static const struct tt_route tt_r_search = {"POST", TT_SHOP, 0, tt_search, 0};
static const struct tt_route tt_r_deact = {"POST", TT_SHOP, 1, tt_deactivate, 0};
static const struct tt_route tt_r_act = {"POST", TT_SHOP, 1, tt_activate, 0};
static const struct tt_route tt_r_get = {"GET", TT_SHOP, 0, tt_product_get, 0};
static const struct tt_route tt_r_edit = {"POST", TT_SHOP, 1, tt_partial_edit, 0};
static const struct tt_route tt_r_inv = {"POST", TT_SHOP, 1,
                                         tt_inventory_update, 0};
static const struct tt_route tt_r_price = {"POST", TT_SHOP, 1,
                                           tt_prices_update, 0};
static const struct tt_route tt_r_osearch = {"POST", TT_SHOP, 0,
                                             tt_orders_search, 0};
static const struct tt_route tt_r_orders = {"GET", TT_SHOP, 0, tt_orders_get, 0};
/* The upload names no shop_cipher: the token says which shop. */
static const struct tt_route tt_r_upload = {"POST", TT_SELLER, 1, tt_image_upload, 1};
static const struct tt_route tt_r_brands = {"GET", TT_SHOP, 0, tt_brands_get, 0};
static const struct tt_route tt_r_attrs = {"GET", TT_SHOP, 0, tt_attributes, 0};
static const struct tt_route tt_r_rules = {"GET", TT_SHOP, 0, tt_rules, 0};

/* A route named by a whole path or by a piece of one. */
struct tt_named {
  const char *name;
  const struct tt_route *route;
};

static const struct tt_named tt_paths[] = {
    {"/api/v2/token/refresh", &tt_r_refresh},
    {"/authorization/202309/shops", &tt_r_shops},
    {TT_PRODUCTS, &tt_r_create},
    {"/order/202309/orders/search", &tt_r_osearch},
    {"/order/202309/orders", &tt_r_orders},
    {"/product/202309/images/upload", &tt_r_upload},
    {"/product/202309/brands", &tt_r_brands},
};

#define TT_CATEGORIES "/product/202309/categories/"

/* /product/202309/categories/{id}/attributes or /rules, the id into cat. */
static const struct tt_route *tt_cat_route(const char *path, char *cat, size_t n) {
  const char *rest = path + strlen(TT_CATEGORIES), *slash = strchr(rest, '/');
  size_t len = slash ? (size_t)(slash - rest) : 0;

  if (!slash || len == 0 || len >= n)
    return NULL;
  if (cat) {
    memcpy(cat, rest, len);
    cat[len] = '\0';
  }
  if (strcmp(slash, "/attributes") == 0)
    return &tt_r_attrs;
  if (strcmp(slash, "/rules") == 0)
    return &tt_r_rules;
  return NULL;
}

/* After TT_PRODUCTS "/". */
static const struct tt_named tt_verbs[] = {
    {"search", &tt_r_search},
    {"deactivate", &tt_r_deact},
    {"activate", &tt_r_act},
};

/* After TT_PRODUCTS "/{product_id}". */
static const struct tt_named tt_subs[] = {
    {"/partial_edit", &tt_r_edit},
    {"/inventory/update", &tt_r_inv},
    {"/prices/update", &tt_r_price},
};

static const struct tt_route *tt_named_find(const struct tt_named *v, size_t n,
                                            const char *name) {
  size_t i;

  for (i = 0; i < n; i++)
    if (strcmp(name, v[i].name) == 0)
      return v[i].route;
  return NULL;
}

/* The route for a path, with the product id of /products/{id}/...; NULL
 * for an unknown path. */
static const struct tt_route *tt_route(const char *path, int64_t *id,
                                       int *id_bad, char *cat) {
  const struct tt_route *r;
  const char *rest, *slash;
  char seg[32];
  size_t n;

  *id = 0;
  *id_bad = 0;
  if ((r = tt_named_find(tt_paths, ARRAY_LEN(tt_paths), path)))
    return r;
  if (strncmp(path, TT_CATEGORIES, strlen(TT_CATEGORIES)) == 0)
    return tt_cat_route(path, cat, 24);
  if (strncmp(path, TT_PRODUCTS "/", sizeof TT_PRODUCTS) != 0)
    return NULL;
  rest = path + sizeof TT_PRODUCTS;
  if ((r = tt_named_find(tt_verbs, ARRAY_LEN(tt_verbs), rest)))
    return r;
  slash = strchr(rest, '/');
  n = slash ? (size_t)(slash - rest) : strlen(rest);
  if (n == 0 || n >= sizeof seg)
    return NULL;
  memcpy(seg, rest, n);
  seg[n] = '\0';
  if (tt_digits(seg, id))
    *id_bad = 1;
  if (!slash)
    return &tt_r_get;
  return tt_named_find(tt_subs, ARRAY_LEN(tt_subs), slash);
}

/* Every call states its body's type as TikTok's reference requires it
 * (content-type: required, application/json, GET included; the image
 * upload multipart/form-data). */
static int tt_check_content_type(struct tt_call *c, const struct tt_route *r) {
  const char *want = r->multipart ? "multipart/form-data" : "application/json";
  const char *ct = c->req->content_type;
  size_t n = strlen(want);

  if (ct && strncasecmp(ct, want, n) == 0 && (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' '))
    return 0;
  if (sim_legacy && !r->multipart)
    return 0;
  tt_fail(c, TT_E_PARAM, "Content-Type must be %s.", want);
  return -1;
}

static void tt_handle(const struct sim_req *req, struct sim_resp *resp,
                      struct sim_call_info *info) {
  struct tt_call c;
  const struct tt_route *r;

  memset(&c, 0, sizeof c);
  c.req = req, c.resp = resp, c.info = info, c.now = req->now_ms / 1000;
  r = tt_route(req->path, &c.product_id, &c.path_id_bad, c.cat);
  if (!r) {
    tt_fail(&c, TT_E_PATH, "Path %s is not found.", req->path);
    return;
  }
  if (strcmp(req->method, r->method) != 0) {
    tt_fail_status(&c, 405, TT_E_PARAM, "Use %s for this path.", r->method);
    return;
  }
  if (tt_check_content_type(&c, r))
    return;
  if (sim_params_query(req, &c.params)) {
    tt_fail(&c, TT_E_PARAM, "Too many query parameters.");
  } else if (sim_params_has_dup(&c.params)) {
    tt_fail(&c, TT_E_PARAM, "A query parameter is given twice.");
  } else if (r->auth == TT_NONE) {
    r->fn(&c);
  } else if (!tt_authenticate(&c, r->auth == TT_SHOP) &&
             !tt_rate_limited(&c) &&
             !(strcmp(r->method, "POST") == 0 && !r->multipart &&
               tt_check_body(&c, r->body))) {
    r->fn(&c);
  }
  sim_params_free(&c.params);
}

/* ----------------------------------------------------------- describe -- */

/* Which shop, products and SKU a call names, before any check. */
static void tt_describe(const struct sim_req *req,
                        struct sim_call_info *info) {
  const cJSON *b = cJSON_IsObject(req->json) ? req->json : NULL, *e;
  const char *cipher = sim_query(req, "shop_cipher");
  int64_t id;
  int bad;

  info->ids_as_text = 1;
  if (cipher && *cipher)
    snprintf(info->shop, sizeof info->shop, "%s", cipher);
  /* The query's shop first, then the first shop a token names. */
  sim_acct_describe(&tt_accts, sim_query(req, "refresh_token"), 1, 1, info);
  sim_acct_describe(&tt_accts, sim_header(req, "x-tts-access-token"), 0, 1,
                    info);
  if (tt_route(req->path, &id, &bad, NULL) && id && !bad)
    sim_info_note_id(info, id);
  cJSON_ArrayForEach(e, tt_get(b, "product_ids")) {
    if (tt_json_id(e, &id) == 0)
      sim_info_note_id(info, id);
  }
  cJSON_ArrayForEach(e, tt_get(b, "skus")) {
    sim_info_note_sku(info, sim_json_str(e, "seller_sku"));
  }
  e = cJSON_GetArrayItem(tt_get(b, "seller_skus"), 0);
  if (cJSON_IsString(e))
    sim_info_note_sku(info, e->valuestring);
  /* A SKU update names the SKU by id: log the product's seller_sku. */
  if (info->nitems > 0 && !info->has_sku) {
    const struct tt_product *p = tt_product_find(info->item_ids[0]);

    if (p && p->nskus > 0 && p->skus[0].seller_sku)
      sim_info_note_sku(info, p->skus[0].seller_sku);
  }
}

/* A digits-only code becomes a number, as TikTok prints codes. */
static char *tt_error_body(const char *code, const char *message,
                           size_t *len) {
  int64_t n;
  cJSON *o;
  char *s;

  if (tt_digits(code, &n) == 0) {
    o = tt_envelope((long)n, message);
  } else {
    char rid[SIM_REQID_LEN + 1];

    sim_request_id(rid);
    o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "code", code);
    cJSON_AddStringToObject(o, "message", message);
    cJSON_AddStringToObject(o, "request_id", rid);
  }
  s = o ? sim_json_print(o, len) : NULL;
  cJSON_Delete(o);
  return s;
}

/* ------------------------------------------------------------ control -- */

/* "variants": [{sku, id, label, price, stock}] of the control listing. */
static cJSON *tt_variants_ctl_json(const struct tt_product *p) {
  cJSON *arr = cJSON_CreateArray(), *v;
  size_t i;

  for (i = 0; i < p->nskus; i++) {
    const struct tt_sku *k = &p->skus[i];

    v = cJSON_CreateObject();
    cJSON_AddStringToObject(v, "sku", k->seller_sku ? k->seller_sku : "");
    tt_add_id(v, "id", k->id);
    cJSON_AddStringToObject(v, "label", k->attr_value ? k->attr_value : "");
    sim_json_add_int(v, "price", k->price);
    sim_json_add_int(v, "stock", k->qty);
    sim_json_push(arr, v);
  }
  return arr;
}

/* An item of the control listing: product-level fields, the first SKU's
 * sku_id, sku, price and stock (as when products had one SKU), and every
 * SKU under "variants". */
static cJSON *tt_item_ctl_json(const struct tt_product *p) {
  const struct tt_sku *k0 = p->nskus > 0 ? &p->skus[0] : NULL;
  cJSON *o = cJSON_CreateObject(), *d;

  tt_add_id(o, "product_id", p->id);
  tt_add_id(o, "sku_id", k0 ? k0->id : 0);
  cJSON_AddStringToObject(o, "shop_cipher", tt_accts.v[p->shop].name);
  cJSON_AddStringToObject(o, "sku", k0 && k0->seller_sku ? k0->seller_sku : "");
  cJSON_AddStringToObject(o, "title", p->title ? p->title : "");
  cJSON_AddStringToObject(o, "name", p->title ? p->title : ""); /* alias */
  cJSON_AddStringToObject(o, "description", p->desc ? p->desc : "");
  sim_json_add_int(o, "price", k0 ? k0->price : 0);
  sim_json_add_int(o, "stock", k0 ? k0->qty : 0);
  cJSON_AddStringToObject(o, "status", tt_status_name(p));
  if (p->category)
    cJSON_AddStringToObject(o, "category_id", p->category);
  if (k0 && k0->warehouse)
    cJSON_AddStringToObject(o, "warehouse_id", k0->warehouse);
  d = p->images ? cJSON_Duplicate(p->images, 1) : cJSON_CreateArray();
  sim_json_put(o, "main_images", d);
  if (p->weight) {
    d = cJSON_Duplicate(p->weight, 1);
    sim_json_put(o, "package_weight", d);
  }
  if (p->brand)
    cJSON_AddStringToObject(o, "brand_id", p->brand);
  sim_json_put(o, "product_attributes",
               p->attrs ? cJSON_Duplicate(p->attrs, 1) : cJSON_CreateArray());
  sim_json_put(o, "certifications",
               p->certs ? cJSON_Duplicate(p->certs, 1) : cJSON_CreateArray());
  if (p->dims)
    sim_json_put(o, "package_dimensions", cJSON_Duplicate(p->dims, 1));
  if (p->idem)
    cJSON_AddStringToObject(o, "idempotency_key", p->idem);
  if (k0 && k0->attr_name)
    cJSON_AddStringToObject(o, "variation_name", k0->attr_name);
  sim_json_put(o, "variants", tt_variants_ctl_json(p));
  sim_json_add_int(o, "create_time", p->created);
  sim_json_add_int(o, "update_time", p->updated);
  return o;
}

static void tt_ctl_items(const struct sim_req *req, struct sim_resp *resp) {
  const char *q = sim_query(req, "shop_cipher");
  const struct sim_acct *s = NULL;
  cJSON *o, *list;
  size_t i;

  if (q && *q && !(s = sim_acct_find(&tt_accts, q))) {
    sim_ctl_error(resp, 404, "shop %s is not known", q);
    return;
  }
  o = sim_ctl_listing("items", &list);
  for (i = 0; i < T.nitems; i++) {
    if (s && T.items[i].shop != sim_acct_index(&tt_accts, s))
      continue;
    sim_json_push(list, tt_item_ctl_json(&T.items[i]));
  }
  sim_ctl_ok(resp, o);
}

/* One seeded SKU {sku, label?, price, stock?} into k (label under the
 * name `axis` when the item has several). */
static int tt_ctl_sku(const cJSON *v, const char *axis, struct tt_sku_in *k, char *err,
                      size_t n) {
  memset(k, 0, sizeof *k);
  if (!(k->seller_sku = sim_ctl_str(v, "sku", TT_SKU_MAX, err, n)) ||
      sim_ctl_int(v, "price", 1, TT_MONEY_MAX, -1, &k->price, err, n) ||
      sim_ctl_int(v, "stock", 0, TT_QTY_MAX, 0, &k->qty, err, n))
    return -1;
  if (axis) {
    k->attr_name = axis;
    if (!(k->attr_value = sim_ctl_str(v, "label", TT_SKU_MAX, err, n)))
      return -1;
  }
  return 0;
}

/* The seeded SKUs: "variants" [{sku, label, price, stock}] under the
 * name "variation_name" (default "Quy cách"), else the item's own sku,
 * price and stock. Checked like a create. Returns the count, -1 on error. */
static long tt_ctl_skus(const cJSON *j, struct tt_sku_in *k, char *err, size_t n) {
  const cJSON *vs = tt_get(j, "variants"), *v;
  const char *axis = sim_json_str(j, "variation_name"), *why;
  long i = 0;

  if (!vs)
    return tt_ctl_sku(j, NULL, &k[0], err, n) ? -1 : 1;
  if (!cJSON_IsArray(vs) || cJSON_GetArraySize(vs) < 1 ||
      cJSON_GetArraySize(vs) > TT_SKUS_MAX) {
    snprintf(err, n, "variants must be an array of 1 to 100 variants");
    return -1;
  }
  cJSON_ArrayForEach(v, vs) {
    if (tt_ctl_sku(v, cJSON_GetArraySize(vs) > 1 ? (axis ? axis : "Quy cách") : NULL,
                   &k[i++], err, n))
      return -1;
  }
  if ((why = tt_skus_agree(k, (size_t)i))) {
    snprintf(err, n, "%s", why);
    return -1;
  }
  return i;
}

/* {shop_cipher, title, description?, status?, and sku, price, stock or
 * variants [{sku, label, price, stock}] with variation_name?}. */
static void tt_ctl_item(const struct sim_req *req, struct sim_resp *resp) {
  struct sim_acct *s = sim_acct_arg(&tt_accts, req, resp);
  const char *st = sim_json_str(req->json, "status");
  struct tt_sku_in k[TT_SKUS_MAX];
  struct tt_fields f;
  struct tt_product *p;
  char err[TT_ERRTXT];
  long n;
  cJSON *o;

  if (!s)
    return;
  memset(&f, 0, sizeof f);
  if (!(f.title = sim_ctl_str(req->json, "title", 1024, err, sizeof err)) ||
      (n = tt_ctl_skus(req->json, k, err, sizeof err)) < 0) {
    sim_ctl_error(resp, 400, "%s", err);
    return;
  }
  if (st && strcmp(st, "ACTIVATE") != 0 &&
      strcmp(st, "SELLER_DEACTIVATED") != 0) {
    sim_ctl_error(resp, 400, "status must be ACTIVATE or SELLER_DEACTIVATED");
    return;
  }
  f.desc = sim_json_str(req->json, "description");
  p = tt_product_create(sim_acct_index(&tt_accts, s), &f, k, (size_t)n, req->now_ms / 1000);
  if (!p) {
    sim_ctl_error(resp, 400, "too many products");
    return;
  }
  if (st && strcmp(st, "SELLER_DEACTIVATED") == 0)
    p->status = TT_SELLER_DEACTIVATED;
  o = cJSON_CreateObject();
  tt_add_id(o, "product_id", p->id);
  tt_add_id(o, "sku_id", p->skus[0].id);
  sim_json_put(o, "variants", tt_variants_ctl_json(p));
  sim_ctl_ok(resp, o);
}

/* GET /_sim/tiktok/uploads[?shop_cipher=]: every image the upload took,
 * so tests can count them. */
static void tt_ctl_uploads(const struct sim_req *req, struct sim_resp *resp) {
  const char *q = sim_query(req, "shop_cipher");
  const struct sim_acct *s = NULL;
  cJSON *o, *list;
  size_t i;

  if (q && *q && !(s = sim_acct_find(&tt_accts, q))) {
    sim_ctl_error(resp, 404, "shop %s is not known", q);
    return;
  }
  o = sim_ctl_listing("uploads", &list);
  for (i = 0; i < T.nups; i++) {
    const struct tt_upload *u = &T.ups[i];
    cJSON *e;

    if (s && u->shop != sim_acct_index(&tt_accts, s))
      continue;
    e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "shop", tt_accts.v[u->shop].name);
    cJSON_AddStringToObject(e, "uri", u->uri);
    cJSON_AddStringToObject(e, "url", u->url);
    sim_json_add_int(e, "bytes", (int64_t)u->bytes);
    cJSON_AddStringToObject(e, "sha256", u->sha256);
    cJSON_AddStringToObject(e, "use_case", u->use_case);
    sim_json_add_int(e, "width", u->width);
    sim_json_add_int(e, "height", u->height);
    sim_json_push(list, e);
  }
  sim_ctl_ok(resp, o);
}

static const struct sim_ctl_call tt_ctls[] = {
    {"uploads", "GET", tt_ctl_uploads, NULL},
    {"item", "POST", tt_ctl_item, NULL},
    {"items", "GET", tt_ctl_items, NULL},
};

static void tt_control(const char *sub, const struct sim_req *req,
                       struct sim_resp *resp) {
  if (sim_orders_control(&tt_order_ops, sub, req, resp) ||
      sim_acct_control(&tt_accts, sub, req, resp) ||
      sim_ctl_run(tt_ctls, ARRAY_LEN(tt_ctls), NULL, sub, req, resp))
    return;
  sim_ctl_unknown("tiktok", sub, resp);
}

/* --------------------------------------------------------- seed/reset -- */

static int tt_seed(const cJSON *doc, char *err, size_t n) {
  return sim_acct_seed(&tt_accts, doc, err, n);
}

static void tt_reset(void) {
  size_t i;

  sim_acct_clear(&tt_accts);
  for (i = 0; i < T.nitems; i++)
    tt_product_free(&T.items[i]);
  free(T.items);
  free(T.ups);
  memset(&T, 0, sizeof T);
  sim_orders_clear(&tt_orders);
}

static const char *const tt_more_prefixes[] = {
    "/authorization/", "/api/v2/token/", "/order/", NULL};

const struct sim_market sim_tiktok_market = {
    .name = "tiktok",
    .prefix = "/product/",
    .more_prefixes = tt_more_prefixes,
    .param_error = "40006",
    .reset = tt_reset,
    .seed = tt_seed,
    .describe = tt_describe,
    .handle = tt_handle,
    .control = tt_control,
    .error_body = tt_error_body,
};
