/*
 * sim_lazada.c — the simulated Lazada Open Platform.
 *
 * Every function here runs with the core's state mutex held (sim.h), so the
 * state is plain file-static data.
 *
 * Wire shape (tests/sim/README.md, "Lazada"): paths under /rest, system
 * parameters in the query string, business parameters in the query (GET) or
 * in an application/x-www-form-urlencoded body (POST). The signature is
 * UPPER hex HMAC-SHA256(app_secret, api_name + k1 v1 k2 v2 ...) over every
 * non-empty parameter but `sign`, sorted byte-wise, values raw; api_name is
 * the path without "/rest". Timestamps are Unix milliseconds, within 7200 s.
 *
 * HTTP status policy: Lazada answers errors with HTTP 200 and the code in
 * the body; ocopsim does the same except for an unknown path (404) and the
 * rate limit (429), so a client must read `code` whatever the status.
 *
 * Items hold 1..50 SKUs (Skus.Sku), each with its SellerSku (unique in the
 * seller's catalogue), SkuId, price, quantity and package; an item with
 * more than one SKU has one sale property ("variation") and each SKU its
 * own option of it (docs/marketplaces/lazada.md, "Variants").
 */
#include "sim_lazada.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/evp.h>

#include "sim_acct.h"
#include "sim_ctl.h"
#include "sim_dec.h"
#include "sim_form.h"
#include "sim_info.h"
#include "sim_json.h"
#include "sim_orders.h"
#include "sim_str.h"

#define LZ_SKEW_MS INT64_C(7200000)        /* timestamp tolerance */
#define LZ_ACCESS_TTL_S (7 * 86400)        /* test-status app */
#define LZ_REFRESH_TTL_S (14 * 86400)      /* test-status app */
#define LZ_GRACE_S 300                     /* old access token after refresh */
#define LZ_FIRST_ITEM INT64_C(4000000001)
#define LZ_FIRST_SKU INT64_C(6000000001)
#define LZ_ITEMS_MAX 2000000
#define LZ_KEY_MAX 512
#define LZ_NAME_MAX 255   /* code points */
#define LZ_DESC_MAX 25000 /* code points */
#define LZ_SKU_MAX 200    /* bytes */
#define LZ_BATCH_MAX 50
#define LZ_LIMIT_MAX 100
#define LZ_TTL_MAX (10 * 365 * 86400)
#define LZ_MONEY_MAX INT64_C(1000000000000000)
#define LZ_ERRTXT 256
#define LZ_VAR_NAME_MAX 15   /* code points of a sale property's name */
#define LZ_VAR_OPTION_MAX 20 /* code points of one option */
#define LZ_PKG_N 4           /* package_weight, _length, _width, _height */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct lz_sku {
  int64_t id, price, qty;
  char *seller_sku;
  char *opt;            /* its option of the item's sale property, or NULL */
  char *pkg[LZ_PKG_N];  /* as sent; NULL prints "10" */
  int active;
};

struct lz_item {
  int64_t id, created_ms, updated_ms;
  size_t seller;
  char *name, *desc, *brand, *category;
  char *var_name; /* the sale property, NULL without variation */
  int var_custom;
  cJSON *var_opts; /* its options */
  cJSON *images;
  cJSON *attrs; /* brand_id and the category's attributes, by key */
  struct lz_sku *skus;
  size_t nskus;
  int active;
};

static struct {
  struct lz_item *items;
  size_t nitems, cap_items;
  int64_t sku_seq; /* SkuIds given so far */
} L;

static const struct sim_acct_kind lz_kind = {
    .market = "lazada",
    .name_key = "seller_id",
    .noun = "seller",
    .list = "sellers",
    .access_ttl = LZ_ACCESS_TTL_S,
    .refresh_ttl = LZ_REFRESH_TTL_S,
    .ttl_max = LZ_TTL_MAX,
    .key_max = LZ_KEY_MAX,
};

/* Apps and sellers (sim_acct.h). */
static struct sim_accts lz_accts = {&lz_kind, NULL, NULL, 0, 0, 0, 0};

struct lz_call {
  const struct sim_req *req;
  struct sim_resp *resp;
  struct sim_call_info *info;
  struct sim_params params;
  const struct sim_app *app;
  struct sim_acct *seller;
  int64_t now; /* seconds */
};

/* ------------------------------------------------------------ lookups -- */

static struct lz_item *lz_item_find(int64_t id) {
  if (id < LZ_FIRST_ITEM || id - LZ_FIRST_ITEM >= (int64_t)L.nitems)
    return NULL;
  return &L.items[id - LZ_FIRST_ITEM];
}


/* 0 and *out when s is 1..18 decimal digits. */
static int lz_digits(const char *s, int64_t *out) {
  return sim_dec_digits(s, 18, out);
}

/* An id given as a string of digits or as an exact JSON integer. */
static int lz_json_id(const cJSON *v, int64_t *out) {
  if (cJSON_IsString(v))
    return lz_digits(v->valuestring, out);
  return sim_json_int(v, out);
}

/* A whole amount: digits with an optional all-zero fraction, as a string
 * ("150000", "150000.00") or a JSON number. */
static int lz_json_amount(const cJSON *v, int64_t *out) {
  if (cJSON_IsString(v))
    return sim_dec_amount(v->valuestring, 18, out);
  return sim_json_int(v, out);
}

static const cJSON *lz_get(const cJSON *o, const char *name) {
  return cJSON_GetObjectItemCaseSensitive(o, name);
}

/* ---------------------------------------------------------- envelopes -- */

static const char *lz_type(const char *code) {
  if (strcmp(code, "ApiCallLimit") == 0)
    return "SYSTEM";
  if (code[0] >= '0' && code[0] <= '9' && strlen(code) == 3)
    return "ISP";
  return "ISV";
}

static cJSON *lz_error_obj(const char *code, const char *message) {
  cJSON *o = cJSON_CreateObject();
  char rid[SIM_REQID_LEN + 1];

  sim_request_id(rid);
  cJSON_AddStringToObject(o, "type", lz_type(code));
  cJSON_AddStringToObject(o, "code", code);
  cJSON_AddStringToObject(o, "message", message);
  cJSON_AddStringToObject(o, "request_id", rid);
  return o;
}

static void lz_fail(struct lz_call *c, int status, const char *code,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void lz_fail(struct lz_call *c, int status, const char *code,
                    const char *fmt, ...) {
  char msg[LZ_ERRTXT];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(c->info->error, sizeof c->info->error, "%s", code);
  sim_resp_json(c->resp, status, lz_error_obj(code, msg));
}

static void lz_param(struct lz_call *c, const char *msg) {
  lz_fail(c, 200, "InvalidParameter", "%s", msg);
}

static void lz_missing(struct lz_call *c, const char *name) {
  lz_fail(c, 200, "MissingParameter", "The input parameter \"%s\" that is "
          "mandatory for processing this request is not supplied.", name);
}

/* {"code":"0","request_id":..,"data":data} */
static void lz_ok(struct lz_call *c, cJSON *data) {
  cJSON *o = cJSON_CreateObject();
  char rid[SIM_REQID_LEN + 1];

  sim_request_id(rid);
  cJSON_AddStringToObject(o, "code", "0");
  cJSON_AddStringToObject(o, "request_id", rid);
  if (!data)
    data = cJSON_CreateObject();
  sim_json_put(o, "data", data);
  sim_resp_json(c->resp, 200, o);
}

/* --------------------------------------------------------- parameters -- */

static int lz_is_form(const char *ct) {
  static const char form[] = "application/x-www-form-urlencoded";
  size_t n = sizeof form - 1;

  return ct && strncasecmp(ct, form, n) == 0 &&
         (ct[n] == '\0' || ct[n] == ';' || ct[n] == ' ');
}

/* Query parameters, plus the form body of a POST. NULL or why not. */
static const char *lz_collect(const struct sim_req *req,
                              struct sim_params *p) {
  if (sim_params_query(req, p))
    return "too many parameters";
  if (strcmp(req->method, "POST") != 0 || req->body_len == 0)
    return NULL;
  /* An upload's body is its file (multipart): never signed, read by
   * lz_image_upload. */
  if (strcmp(req->path, "/rest/image/upload") == 0 && req->content_type &&
      strncasecmp(req->content_type, "multipart/form-data", 19) == 0)
    return NULL;
  if (!lz_is_form(req->content_type))
    return "POST parameters must be sent as "
           "application/x-www-form-urlencoded";
  if (sim_params_form(req->body, req->body_len, p))
    return "the form body is not valid url-encoding or has more than 1000 "
           "parameters";
  return NULL;
}

/* A JSON parameter (payload, apiRequestBody, sku_seller_list), parsed. */
static cJSON *lz_json_param(const struct sim_params *p, const char *name,
                            const char **why) {
  const char *v = sim_params_get(p, name);

  *why = NULL;
  if (!v || !*v)
    return NULL;
  return sim_json_parse(v, strlen(v), SIM_BODY_MAX, SIM_JSON_DEPTH_MAX, why);
}

/* Request.Product of a payload, or NULL. */
static const cJSON *lz_product(const cJSON *payload) {
  const cJSON *p = lz_get(lz_get(payload, "Request"), "Product");

  return cJSON_IsObject(p) ? p : NULL;
}

/* ---------------------------------------------------- authentication -- */

static int lz_check_sign(struct lz_call *c, const char *api) {
  struct sim_params sorted = {NULL, 0, 0};
  const char *sign = sim_params_get(&c->params, "sign");
  char want[65];
  size_t i, len = strlen(api), off;
  char *base;
  int ok = 0;

  /* A sorted view: the params' strings are shared, not copied. */
  sorted.v = malloc((c->params.n ? c->params.n : 1) * sizeof *sorted.v);
  if (!sorted.v) {
    lz_fail(c, 500, "500", "out of memory");
    return -1;
  }
  for (i = 0; i < c->params.n; i++) {
    const struct sim_param *p = &c->params.v[i];

    if (strcmp(p->key, "sign") == 0 || !p->val[0])
      continue; /* empty values are not signed */
    sorted.v[sorted.n++] = *p;
    len += strlen(p->key) + strlen(p->val);
  }
  sim_params_sort(&sorted);
  base = malloc(len + 1);
  if (base) {
    memcpy(base, api, off = strlen(api));
    for (i = 0; i < sorted.n; i++) {
      size_t kl = strlen(sorted.v[i].key), vl = strlen(sorted.v[i].val);

      memcpy(base + off, sorted.v[i].key, kl);
      memcpy(base + off + kl, sorted.v[i].val, vl);
      off += kl + vl;
    }
    ok = sim_hmac_hex(c->app->secret, base, off, 1, want) == 0 &&
         sim_sign_equal(want, sign);
  }
  free(base);
  free(sorted.v); /* the strings belong to c->params */
  if (!ok)
    lz_fail(c, 200, "IncompleteSignature",
            "The request signature does not conform to platform standards");
  return ok ? 0 : -1;
}

/* The system-parameter checks, in order; 0 when the call may proceed. */
static int lz_authenticate(struct lz_call *c, const char *api,
                           int seller_call) {
  const struct sim_params *p = &c->params;
  const char *key = sim_params_get(p, "app_key");
  const char *sm = sim_params_get(p, "sign_method");
  const char *ts = sim_params_get(p, "timestamp");
  const char *sign = sim_params_get(p, "sign"), *tok;
  int64_t t;
  size_t i;

  if (!key || !*key) {
    lz_missing(c, "app_key");
    return -1;
  }
  if (!(c->app = sim_acct_app_find(&lz_accts, key))) {
    lz_fail(c, 200, "IncompleteSignature", "Invalid app_key: app not found");
    return -1;
  }
  if (!sm || !*sm) {
    lz_missing(c, "sign_method");
    return -1;
  }
  if (strcmp(sm, "sha256") != 0) {
    lz_fail(c, 200, "IncompleteSignature", "Unsupported sign_method");
    return -1;
  }
  if (!ts || !*ts) {
    lz_missing(c, "timestamp");
    return -1;
  }
  if (lz_digits(ts, &t) || t > c->req->now_ms + LZ_SKEW_MS ||
      t < c->req->now_ms - LZ_SKEW_MS) {
    lz_fail(c, 200, "InvalidTimestamp",
            "Timestamp must be Unix milliseconds within 7200 s of now");
    return -1;
  }
  if (!sign || !*sign) {
    lz_missing(c, "sign");
    return -1;
  }
  if (lz_check_sign(c, api))
    return -1;
  if (!seller_call)
    return 0;
  tok = sim_params_get(p, "access_token");
  if (!tok || !*tok) {
    lz_missing(c, "access_token");
    return -1;
  }
  for (i = 0; i < lz_accts.n; i++) {
    struct sim_acct *s = &lz_accts.v[i];

    if (strcmp(s->app_key, c->app->key) == 0 &&
        sim_tok_valid(&s->tok, tok, c->now)) {
      c->seller = s;
      return 0;
    }
  }
  lz_fail(c, 200, "IllegalAccessToken",
          "The specified access token is invalid or expired");
  return -1;
}

/* Token bucket per seller; off until the control API turns it on. */
static int lz_rate_limited(struct lz_call *c) {
  if (!sim_rate_take(&c->seller->tok.rl, c->req->now_ms))
    return 0;
  lz_fail(c, 429, "ApiCallLimit",
          "The request has exceeded the limit of calls per second");
  return 1;
}

/* -------------------------------------------------------------- items -- */

static void lz_sku_free(struct lz_sku *s) {
  size_t k;

  free(s->seller_sku), free(s->opt);
  for (k = 0; k < LZ_PKG_N; k++)
    free(s->pkg[k]);
}

static void lz_item_free(struct lz_item *it) {
  size_t i;

  free(it->name), free(it->desc), free(it->brand), free(it->category);
  free(it->var_name);
  cJSON_Delete(it->images);
  cJSON_Delete(it->attrs);
  cJSON_Delete(it->var_opts);
  for (i = 0; i < it->nskus; i++)
    lz_sku_free(&it->skus[i]);
  free(it->skus);
}

static void lz_add_id(cJSON *o, const char *name, int64_t v) {
  sim_json_add_int(o, name, v);
}

static void lz_shop_sku(const struct lz_item *it, const struct lz_sku *s, char *buf, size_t n) {
  snprintf(buf, n, "%" PRId64 "_VNAMZ-%" PRId64, it->id, s->id);
}

static const char *const lz_pkg_keys[LZ_PKG_N] = {"package_weight", "package_length",
                                                  "package_width", "package_height"};

/* One SKU as /product/item/get prints it. */
static cJSON *lz_sku_json(const struct lz_item *it, const struct lz_sku *s) {
  cJSON *o = cJSON_CreateObject(), *sp;
  int on = it->active && s->active;
  char buf[64];
  size_t k;

  cJSON_AddStringToObject(o, "SellerSku", s->seller_sku);
  lz_shop_sku(it, s, buf, sizeof buf);
  cJSON_AddStringToObject(o, "ShopSku", buf);
  lz_add_id(o, "SkuId", s->id);
  sim_json_add_int(o, "quantity", s->qty);
  sim_json_add_int(o, "Available", on ? s->qty : 0);
  /* Lazada prints prices as decimals. */
  snprintf(buf, sizeof buf, "%" PRId64 ".0", s->price);
  cJSON_AddRawToObject(o, "price", buf);
  cJSON_AddRawToObject(o, "special_price", "0.0");
  cJSON_AddStringToObject(o, "Status", on ? "active" : "inactive");
  if (it->var_name && s->opt) {
    sp = cJSON_AddObjectToObject(o, "saleProp");
    cJSON_AddStringToObject(sp, it->var_name, s->opt);
  }
  for (k = 0; k < LZ_PKG_N; k++)
    cJSON_AddStringToObject(o, lz_pkg_keys[k], s->pkg[k] ? s->pkg[k] : "10");
  return o;
}

/* The item's brand_id and category attributes, added to o. */
static void lz_attrs_into(cJSON *o, const cJSON *attrs) {
  const cJSON *v;

  cJSON_ArrayForEach(v, attrs) {
    sim_json_put(o, v->string, cJSON_Duplicate(v, 1));
  }
}

/* The product as /product/item/get and /products/get print it. */
static cJSON *lz_item_json(const struct lz_item *it) {
  cJSON *o = cJSON_CreateObject(), *a, *img, *skus, *v1;
  const char *st = it->active ? "active" : "inactive";
  char buf[64];
  size_t i;

  lz_add_id(o, "item_id", it->id);
  if (it->category && lz_digits(it->category, &(int64_t){0}) == 0)
    cJSON_AddRawToObject(o, "primary_category", it->category);
  cJSON_AddStringToObject(o, "status", st);
  snprintf(buf, sizeof buf, "%" PRId64, it->created_ms);
  cJSON_AddStringToObject(o, "created_time", buf);
  snprintf(buf, sizeof buf, "%" PRId64, it->updated_ms);
  cJSON_AddStringToObject(o, "updated_time", buf);
  img = it->images ? cJSON_Duplicate(it->images, 1) : cJSON_CreateArray();
  sim_json_put(o, "images", img);
  a = cJSON_AddObjectToObject(o, "attributes");
  cJSON_AddStringToObject(a, "name", it->name ? it->name : "");
  cJSON_AddStringToObject(a, "description", it->desc ? it->desc : "");
  cJSON_AddStringToObject(a, "brand", it->brand ? it->brand : "");
  lz_attrs_into(a, it->attrs);
  if (it->var_name) {
    v1 = cJSON_AddObjectToObject(cJSON_AddObjectToObject(o, "variation"), "Variation1");
    cJSON_AddStringToObject(v1, "name", it->var_name);
    cJSON_AddStringToObject(v1, "label", it->var_name);
    cJSON_AddFalseToObject(v1, "hasImage");
    cJSON_AddBoolToObject(v1, "customize", it->var_custom);
    sim_json_put(v1, "options", cJSON_Duplicate(it->var_opts, 1));
  }
  skus = cJSON_AddArrayToObject(o, "skus");
  for (i = 0; i < it->nskus; i++)
    sim_json_push(skus, lz_sku_json(it, &it->skus[i]));
  return o;
}

/* {"item_id":..,"sku_list":[{"seller_sku","sku_id","shop_sku"}]} */
static cJSON *lz_item_ref(const struct lz_item *it) {
  cJSON *o = cJSON_CreateObject(), *l;
  char buf[64];
  size_t i;

  lz_add_id(o, "item_id", it->id);
  l = cJSON_AddArrayToObject(o, "sku_list");
  for (i = 0; i < it->nskus; i++) {
    cJSON *s = cJSON_CreateObject();

    cJSON_AddStringToObject(s, "seller_sku", it->skus[i].seller_sku);
    lz_add_id(s, "sku_id", it->skus[i].id);
    lz_shop_sku(it, &it->skus[i], buf, sizeof buf);
    cJSON_AddStringToObject(s, "shop_sku", buf);
    sim_json_push(l, s);
  }
  return o;
}

/* The seller's SKU with that SellerSku (and its item), or NULL: a SellerSku
 * is unique in the seller's catalogue. */
static struct lz_sku *lz_sku_by_seller_sku(size_t seller, const char *sku,
                                           struct lz_item **item) {
  size_t i, j;

  for (i = 0; sku && i < L.nitems; i++)
    for (j = 0; L.items[i].seller == seller && j < L.items[i].nskus; j++)
      if (strcmp(L.items[i].skus[j].seller_sku, sku) == 0) {
        if (item)
          *item = &L.items[i];
        return &L.items[i].skus[j];
      }
  return NULL;
}

/* The seller's item holding that SellerSku, or NULL. */
static struct lz_item *lz_item_by_sku(size_t seller, const char *sku) {
  struct lz_item *it = NULL;

  return lz_sku_by_seller_sku(seller, sku, &it) ? it : NULL;
}

static struct lz_sku *lz_sku_in(struct lz_item *it, int64_t id, const char *seller_sku) {
  size_t j;

  for (j = 0; j < it->nskus; j++)
    if ((id > 0 && it->skus[j].id == id) ||
        (id <= 0 && seller_sku && strcmp(it->skus[j].seller_sku, seller_sku) == 0))
      return &it->skus[j];
  return NULL;
}

/* Checked product fields; NULL members are absent. */
struct lz_fields {
  const char *name, *desc, *brand, *category;
  const cJSON *images;
  char catbuf[24];
};

/* 1 when `s` is absent, or UTF-8 of min..max code points. */
static int lz_text_ok(const char *s, long min, long max) {
  long n;

  if (!s)
    return 1;
  n = sim_utf8_len(s, strlen(s));
  return n >= min && n <= max;
}

/* Reads Attributes ("" means none, as UpdateProduct examples send it),
 * PrimaryCategory and Images. */
static const char *lz_attrs_read(const cJSON *prod, int creating, struct lz_fields *f) {
  const cJSON *attrs = lz_get(prod, "Attributes");
  const cJSON *imgs = lz_get(prod, "Images"), *v;

  memset(f, 0, sizeof *f);
  if (cJSON_IsString(attrs) && !creating && attrs->valuestring[0] == '\0')
    attrs = NULL;
  if (attrs && !cJSON_IsObject(attrs))
    return "Attributes must be an object";
  f->name = sim_json_str(attrs, "name");
  f->desc = sim_json_str(attrs, "description");
  f->brand = sim_json_str(attrs, "brand");
  if (creating && (!f->name || !*f->name))
    return "Attributes.name is required";
  if (!lz_text_ok(f->name, 1, LZ_NAME_MAX))
    return "Attributes.name must be 1 to 255 characters of UTF-8";
  if (!lz_text_ok(f->desc, 0, LZ_DESC_MAX))
    return "Attributes.description must be UTF-8 of at most 25000 characters";
  v = lz_get(prod, "PrimaryCategory");
  if (v) {
    int64_t cat;

    if (lz_json_id(v, &cat) || cat <= 0)
      return "PrimaryCategory must be a category id";
    snprintf(f->catbuf, sizeof f->catbuf, "%" PRId64, cat);
    f->category = f->catbuf;
  }
  if (imgs) {
    f->images = lz_get(imgs, "Image");
    if (!cJSON_IsArray(f->images) || cJSON_GetArraySize(f->images) > 8)
      return "Images.Image must be an array of at most 8 URLs";
    cJSON_ArrayForEach(v, f->images) {
      if (!cJSON_IsString(v))
        return "Images.Image must hold strings";
    }
  }
  return NULL;
}

/* A whole amount member of a Sku within [min, max]: 0 and *has set when
 * given and good, 0 when absent, -1 when bad. */
static int lz_sku_amount(const cJSON *sku, const char *name, int64_t min, int64_t max,
                         int64_t *out, int *has) {
  const cJSON *v = lz_get(sku, name);

  if (!v)
    return 0;
  if (lz_json_amount(v, out) || *out < min || *out > max)
    return -1;
  *has = 1;
  return 0;
}

/*
 * The SKUs an item will have after a create or an update: each points at
 * the stored SKU it changes (old, NULL for a new one) and at the request's
 * values; nothing is stored until every check passed (lz_draft_commit).
 */
struct lz_dsku {
  struct lz_sku *old;
  const char *seller_sku, *opt, *pkg[LZ_PKG_N];
  const cJSON *sale_prop; /* the request's saleProp object, or NULL */
  int64_t price, qty;
  int active, has_status;
};

struct lz_draft {
  struct lz_dsku s[LZ_BATCH_MAX];
  size_t n;
  const char *var_name; /* the sale property after the call, or NULL */
  int var_custom;
  const cJSON *var_opts; /* options the call declares, or NULL */
};

/* A package member: a positive number of at most two decimals, as a
 * string ("Maximum two decimal places"). */
static int lz_pkg_ok(const char *s) {
  const char *dot;

  if (!s || !*s || strlen(s) > 16 || strtod(s, NULL) <= 0 ||
      strspn(s, "0123456789.") != strlen(s))
    return 0;
  dot = strchr(s, '.');
  return !dot || (strchr(dot + 1, '.') == NULL && strlen(dot + 1) <= 2);
}

/* Reads one Skus.Sku entry into d (over d->old's values when it has one).
 * NULL, or why it is refused. */
static const char *lz_dsku_read(const cJSON *e, struct lz_dsku *d) {
  const cJSON *v;
  int has_price = 0, has_qty = 0;
  size_t k;

  if (!cJSON_IsObject(e))
    return "each Sku must be an object";
  if (!d->old) {
    d->seller_sku = sim_json_str(e, "SellerSku");
    if (!d->seller_sku || !*d->seller_sku || strlen(d->seller_sku) > LZ_SKU_MAX)
      return "SellerSku must be a string of 1 to 200 bytes";
    d->active = 1;
  }
  if (lz_sku_amount(e, "quantity", 0, INT32_MAX, &d->qty, &has_qty))
    return "quantity must be a whole number >= 0";
  if (lz_sku_amount(e, "price", 1, LZ_MONEY_MAX, &d->price, &has_price))
    return "price must be a positive whole number of dong";
  if (!d->old && !has_price)
    return "price is required for each SKU";
  for (k = 0; k < LZ_PKG_N; k++) {
    v = lz_get(e, lz_pkg_keys[k]);
    if (!v && !d->old) {
      static char why[64];

      snprintf(why, sizeof why, "%s is required for each SKU", lz_pkg_keys[k]);
      return why;
    }
    if (v && (!cJSON_IsString(v) || !lz_pkg_ok(v->valuestring)))
      return "package_weight, _length, _width and _height must be positive numbers "
             "of at most two decimals, as strings";
    if (v)
      d->pkg[k] = v->valuestring;
  }
  v = lz_get(e, "saleProp");
  if (v && !cJSON_IsObject(v))
    return "saleProp must be an object";
  d->sale_prop = v;
  v = lz_get(e, "Status");
  if (v) {
    if (!cJSON_IsString(v) || (strcmp(v->valuestring, "active") != 0 &&
                               strcmp(v->valuestring, "inactive") != 0))
      return "Status must be active or inactive";
    d->active = strcmp(v->valuestring, "active") == 0;
    d->has_status = 1;
  }
  return NULL;
}

/* A refusal with Lazada's variation codes: code and message. */
struct lz_refusal {
  const char *code;
  char msg[LZ_ERRTXT];
};

static int lz_refuse(struct lz_refusal *r, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int lz_refuse(struct lz_refusal *r, const char *code, const char *fmt, ...) {
  va_list ap;

  r->code = code;
  va_start(ap, fmt);
  vsnprintf(r->msg, sizeof r->msg, fmt, ap);
  va_end(ap);
  return -1;
}

/* Standard sale attributes the simulated categories know. */
static int lz_std_attr(const char *name) {
  return strcmp(name, "color_family") == 0 || strcmp(name, "size") == 0;
}

/* The product's "variation" declaration (one sale property: all ocopd
 * sends), checked like Lazada's variation codes. */
static int lz_variation_read(const cJSON *prod, struct lz_draft *d, struct lz_refusal *r) {
  const cJSON *var = lz_get(prod, "variation"), *v1, *opts, *o, *p;
  const char *name;
  int n = 0;

  if (!var)
    return 0;
  if (!cJSON_IsObject(var) || !var->child)
    return lz_refuse(r, "VARIATION_EMPTY", "The Variation is Empty");
  cJSON_ArrayForEach(o, var) n++;
  if (n > 2)
    return lz_refuse(r, "VARIATION_SIZE_LIMIT",
                     "The Variations Size Exceeds Maximum Size Limit, The Size Limit is: 2");
  if (n > 1)
    return lz_refuse(r, "InvalidParameter", "ocopsim models one sale property per item");
  v1 = cJSON_GetObjectItem(var, "variation1"); /* either case */
  if (!cJSON_IsObject(v1))
    return lz_refuse(r, "VARIATION_CONTENT_EMPTY",
                     "The Variation Content is Empty, The Variation Node is: variation1");
  name = sim_json_str(v1, "name");
  if (!name || !*name)
    return lz_refuse(r, "VARIATION_NAME_EMPTY",
                     "The Variation Name is Empty, The Variation Node is: variation1");
  if (sim_utf8_len(name, strlen(name)) > LZ_VAR_NAME_MAX)
    return lz_refuse(r, "VARIATION_NAME_LENGTH_LIMIT",
                     "The Variation Name's Content Exceeds Maximum Length Limit, The Length "
                     "Limit is: 15, The Name is: %s",
                     name);
  if (cJSON_IsTrue(lz_get(v1, "hasImage")))
    return lz_refuse(r, "SKU_VARIATION_IMAGES_MISSING",
                     "The Variation set hasImage true, But The SKU Not Found Images");
  d->var_custom = cJSON_IsTrue(lz_get(v1, "customize"));
  if (!d->var_custom && !lz_std_attr(name))
    return lz_refuse(r, "VARIATION_CATEGORY_ATTRIBUTE_INVALID",
                     "This attribute %s is not found in the category attribute library", name);
  opts = lz_get(lz_get(v1, "options"), "option");
  if (!cJSON_IsArray(opts) || cJSON_GetArraySize(opts) == 0)
    return lz_refuse(r, "VARIATION_OPTIONS_EMPTY", "The Variation Options Is Empty");
  if (cJSON_GetArraySize(opts) > LZ_BATCH_MAX)
    return lz_refuse(r, "OPTIONS_SIZE_LIMIT",
                     "The Variation Options Exceeds Maximum Size Limit, The Size Limit is: 50");
  cJSON_ArrayForEach(o, opts) {
    if (!cJSON_IsString(o) || !*o->valuestring)
      return lz_refuse(r, "VARIATION_OPTION_EMPTY", "The Variation Option Is Empty");
    if (sim_utf8_len(o->valuestring, strlen(o->valuestring)) > LZ_VAR_OPTION_MAX)
      return lz_refuse(r, "VARIATION_OPTION_LENGTH_LIMIT",
                       "The Variation Name's Content Exceeds Maximum Length Limit, The Length "
                       "Limit is: 20, The Option is: %s",
                       o->valuestring);
    for (p = opts->child; p != o; p = p->next)
      if (strcmp(p->valuestring, o->valuestring) == 0)
        return lz_refuse(r, "VARIATION_OPTION_DUPLICATE",
                         "The Variation Option Is Duplicate, The Duplicate Option is: %s",
                         o->valuestring);
  }
  d->var_name = name;
  d->var_opts = opts;
  return 0;
}

static int lz_opt_declared(const cJSON *opts, const char *opt) {
  const cJSON *o;

  cJSON_ArrayForEach(o, opts) if (cJSON_IsString(o) && strcmp(o->valuestring, opt) == 0) return 1;
  return 0;
}

/*
 * The sale property of every SKU after the call: the request's saleProp
 * value for the item's (or the declared) property, else the stored one.
 * More than one SKU needs a sale property on each, every value declared
 * and no two alike.
 */
static int lz_draft_check(struct lz_draft *d, const cJSON *item_opts, struct lz_refusal *r) {
  const cJSON *opts = d->var_opts ? d->var_opts : item_opts;
  size_t i, j;

  for (i = 0; i < d->n; i++) {
    struct lz_dsku *s = &d->s[i];
    const cJSON *sp = s->sale_prop;

    if (sp && sp->child && !d->var_name) /* a standard attribute, undeclared */
      d->var_name = sp->child->string;
    if (sp && sp->child && d->var_name) {
      const cJSON *v = lz_get(sp, d->var_name);

      if (!cJSON_IsString(v))
        return lz_refuse(r, "SKU_VARIATION_NAME_MISSING",
                         "The SKU Variation Name is Missing, The SellerSKU is: %s, The Missing "
                         "SKU Variation Name is: %s",
                         s->seller_sku, d->var_name);
      s->opt = v->valuestring;
    }
  }
  if (d->n > 1 && !d->var_name)
    return lz_refuse(r, "SKU_VARIATION_NAME_MISSING",
                     "more than one SKU needs a sale property (variation)");
  for (i = 0; d->var_name && i < d->n; i++) {
    struct lz_dsku *s = &d->s[i];

    if (!s->opt)
      return lz_refuse(r, "SKU_VARIATION_NAME_MISSING",
                       "The SKU Variation Name is Missing, The SellerSKU is: %s, The Missing SKU "
                       "Variation Name is: %s",
                       s->seller_sku, d->var_name);
    if (opts && !lz_opt_declared(opts, s->opt))
      return lz_refuse(r, "SKU_VARIATION_OPTION_NOT_EXIST",
                       "The SKU Variation Option is Not Exist, The SellerSKU is: %s, The SKU "
                       "Variation Name is: %s, The SKU Variation Option is: %s",
                       s->seller_sku, d->var_name, s->opt);
    for (j = 0; j < i; j++)
      if (strcmp(d->s[j].opt, s->opt) == 0)
        return lz_refuse(r, "SALE_PROPS_DUPLICATE",
                         "Sale props is duplicate between sellerSku: %s and sellerSku: %s",
                         d->s[j].seller_sku, s->seller_sku);
  }
  return 0;
}

/* Stores checked fields on the item; -1 (item unchanged) on no memory. */
static int lz_item_apply(struct lz_item *it, const struct lz_fields *f, int64_t now_ms) {
  int failed = 0;
  char *name = sim_str_dup(f->name, &failed), *desc = sim_str_dup(f->desc, &failed);
  char *brand = sim_str_dup(f->brand, &failed), *cat = sim_str_dup(f->category, &failed);
  cJSON *img = f->images ? cJSON_Duplicate(f->images, 1) : NULL;

  if (failed || (f->images && !img)) {
    free(name), free(desc), free(brand), free(cat);
    cJSON_Delete(img);
    return -1;
  }
  sim_str_take(&it->name, &name);
  sim_str_take(&it->desc, &desc);
  sim_str_take(&it->brand, &brand);
  sim_str_take(&it->category, &cat);
  if (img)
    cJSON_Delete(it->images), it->images = img;
  it->updated_ms = now_ms;
  return 0;
}

/* The declared options, else those the SKUs use. */
static cJSON *lz_draft_opts(const struct lz_draft *d, const cJSON *item_opts) {
  cJSON *o;
  size_t i;

  if (d->var_opts)
    return cJSON_Duplicate(d->var_opts, 1);
  if (item_opts)
    return cJSON_Duplicate(item_opts, 1);
  o = cJSON_CreateArray();
  for (i = 0; i < d->n; i++)
    if (d->s[i].opt)
      sim_json_push(o, cJSON_CreateString(d->s[i].opt));
  return o;
}

/* Stores the draft's SKUs as the item's; -1 (item unchanged) on no memory. */
static int lz_draft_commit(struct lz_item *it, const struct lz_draft *d) {
  struct lz_sku *skus = calloc(d->n ? d->n : 1, sizeof *skus);
  cJSON *opts = d->var_name ? lz_draft_opts(d, it->var_opts) : NULL;
  char *vname = d->var_name ? strdup(d->var_name) : NULL;
  int failed = !skus || (d->var_name && (!opts || !vname));
  size_t i, k;

  for (i = 0; !failed && i < d->n; i++) {
    const struct lz_dsku *s = &d->s[i];

    skus[i].id = s->old ? s->old->id : LZ_FIRST_SKU + L.sku_seq++;
    skus[i].price = s->price;
    skus[i].qty = s->qty;
    skus[i].active = s->active;
    skus[i].seller_sku = sim_str_dup(s->seller_sku, &failed);
    skus[i].opt = sim_str_dup(d->var_name ? s->opt : NULL, &failed);
    for (k = 0; k < LZ_PKG_N; k++)
      skus[i].pkg[k] = sim_str_dup(s->pkg[k], &failed);
  }
  if (failed) {
    for (i = 0; skus && i < d->n; i++)
      lz_sku_free(&skus[i]);
    free(skus), free(vname);
    cJSON_Delete(opts);
    return -1;
  }
  for (i = 0; i < it->nskus; i++)
    lz_sku_free(&it->skus[i]);
  free(it->skus);
  it->skus = skus;
  it->nskus = d->n;
  free(it->var_name);
  it->var_name = vname;
  it->var_custom = d->var_custom;
  cJSON_Delete(it->var_opts);
  it->var_opts = opts;
  return 0;
}

/* A draft SKU from a stored one, to be changed by the request. */
static void lz_dsku_of(struct lz_dsku *d, struct lz_sku *s) {
  size_t k;

  memset(d, 0, sizeof *d);
  d->old = s;
  d->seller_sku = s->seller_sku;
  d->opt = s->opt;
  d->price = s->price;
  d->qty = s->qty;
  d->active = s->active;
  for (k = 0; k < LZ_PKG_N; k++)
    d->pkg[k] = s->pkg[k];
}

static struct lz_item *lz_item_new(size_t seller, int64_t now_ms) {
  struct lz_item *it;

  if (L.nitems >= LZ_ITEMS_MAX ||
      sim_grow((void **)&L.items, &L.cap_items, L.nitems + 1, sizeof *L.items))
    return NULL;
  it = &L.items[L.nitems];
  memset(it, 0, sizeof *it);
  it->id = LZ_FIRST_ITEM + (int64_t)L.nitems;
  it->seller = seller;
  it->active = 1;
  it->created_ms = it->updated_ms = now_ms;
  return it;
}

/* Takes the item lz_item_new made into the store, or drops it. */
static struct lz_item *lz_item_keep(struct lz_item *it, int ok) {
  if (!ok) {
    lz_item_free(it);
    return NULL;
  }
  L.nitems++;
  return it;
}

/* The payload parameter parsed, with its Request.Product; NULL after
 * answering. */
static cJSON *lz_payload(struct lz_call *c, const char *name, const cJSON **prod) {
  const char *why;
  cJSON *pl = lz_json_param(&c->params, name, &why);

  if (!pl) {
    if (why)
      lz_fail(c, 200, "InvalidParameter", "%s is not in JSON format: %s", name, why);
    else
      lz_missing(c, name);
    return NULL;
  }
  *prod = lz_product(pl);
  if (!*prod) {
    lz_fail(c, 200, "InvalidParameter", "%s needs Request.Product", name);
    cJSON_Delete(pl);
    return NULL;
  }
  return pl;
}

/* The seller's item named by ItemId; NULL after answering. */
static struct lz_item *lz_own_item(struct lz_call *c, const cJSON *idv) {
  struct lz_item *it;
  int64_t id;

  if (!idv) {
    lz_missing(c, "ItemId");
    return NULL;
  }
  if (lz_json_id(idv, &id)) {
    lz_param(c, "ItemId must be an item id");
    return NULL;
  }
  it = lz_item_find(id);
  if (!it || it->seller != sim_acct_index(&lz_accts, c->seller)) {
    lz_fail(c, 200, "E0401", "product not found: item %" PRId64, id);
    return NULL;
  }
  return it;
}

/* ---------------------------------------------------------- endpoints -- */

/* Skus.Sku as Lazada's JSON payloads need it: an array (pitfall: 1001). */
static const cJSON *lz_skus_of(const cJSON *prod, int *n) {
  const cJSON *skus = lz_get(lz_get(prod, "Skus"), "Sku");

  *n = cJSON_IsArray(skus) ? cJSON_GetArraySize(skus) : -1;
  return skus;
}

/* A SellerSku new to the seller's catalogue and to the draft. */
static int lz_sku_fresh(size_t me, const struct lz_draft *d, size_t upto, const char *sku,
                        struct lz_refusal *r) {
  size_t j;

  for (j = 0; j < upto; j++)
    if (strcmp(d->s[j].seller_sku, sku) == 0)
      return lz_refuse(r, "InvalidParameter", "SellerSku %s appears twice", sku);
  if (lz_sku_by_seller_sku(me, sku, NULL))
    return lz_refuse(r, "4105", "BIZ_CHECK_SELLER_SKU_DUPLICATE: SellerSku %s already exists "
                     "for this seller", sku);
  return 0;
}

/* ------------------------------------------------------------ content -- */

/*
 * The categories, attributes and brands of docs/marketplaces/lazada.md,
 * "Simulator": 10000 "Food & Beverages" is a parent (no attribute set:
 * E057); 10001..10004 are its leaves (food, drinks, health, home & craft).
 * An attribute's mandatory[] says, per leaf, -1 absent, 0 optional, 1
 * mandatory. The brand attribute is mandatory in health only, where "No
 * Brand" is refused (C035); elsewhere "No Brand" is a brand like any.
 */
#define LZ_CAT_PARENT INT64_C(10000)
#define LZ_CAT_FIRST INT64_C(10001)
#define LZ_NLEAF 4
#define LZ_LEAF_HEALTH 2
#define LZ_NO_BRAND_ID INT64_C(30768)
#define LZ_IMAGE_MAX 3145728 /* bytes */
#define LZ_IMAGE_MIN_PX 330
#define LZ_IMAGE_MAX_PX 5000

struct lz_option {
  int64_t id;
  const char *name;
};

struct lz_attr_def {
  int64_t id;
  const char *key, *label, *input;
  int mandatory[LZ_NLEAF];
  const struct lz_option *opts; /* singleSelect: the allowed values */
};

static const struct lz_option lz_countries[] = {
    {9001, "Vietnam"}, {9002, "Thailand"}, {9003, "China"}, {9004, "Japan"}, {0, NULL}};
static const struct lz_option lz_storage[] = {
    {9101, "Room Temperature"}, {9102, "Refrigerated"}, {9103, "Frozen"}, {0, NULL}};

static const struct lz_attr_def lz_attr_defs[] = {
    {100009001, "country_of_origin", "Country of Origin", "singleSelect", {1, 1, 1, 1},
     lz_countries},
    {100009002, "shelf_life", "Shelf Life", "text", {1, 1, -1, -1}, NULL},
    {100009003, "ingredients", "Ingredients", "text", {0, -1, 1, -1}, NULL},
    {100009004, "net_weight", "Net Weight", "text", {0, 0, -1, -1}, NULL},
    {100009005, "storage_condition", "Storage Condition", "singleSelect", {0, -1, -1, -1},
     lz_storage},
    {100009006, "material", "Material", "text", {-1, -1, -1, 0}, NULL},
};

/* Attributes every leaf has and CreateProduct fills from its own fields. */
static const struct {
  int64_t id;
  const char *key, *label, *input, *type;
  int mandatory;
} lz_base_attrs[] = {
    {100005571, "name", "Name", "text", "normal", 1},
    {100005530, "description", "Long Description", "richText", "normal", 0},
    {100005505, "short_description", "Short Description", "richText", "normal", 0},
    {100006667, "package_weight", "Package Weight (kg)", "numeric", "sku", 1},
    {100006668, "package_length", "Package Length (cm)", "numeric", "sku", 1},
    {100006669, "package_width", "Package Width (cm)", "numeric", "sku", 1},
    {100006670, "package_height", "Package Height (cm)", "numeric", "sku", 1},
    {40000, "__images__", "Images", "img", "sku", 0},
};

static const struct lz_option lz_brands[] = {
    {LZ_NO_BRAND_ID, "No Brand"}, {41, "Tài Hoan"},     {42, "SAPHRATON"}, {43, "Hoàng An"},
    {44, "Chu Đậu"},              {45, "Thu Ba"},       {46, "CoPuree"},   {47, "beCHAMP"},
    {48, "Seagull"},              {49, "Trung Nguyên"}, {50, "Vinamilk"},  {0, NULL}};

/* The leaf's index (0..3) of a category id, -1 for the parent, -2 unknown. */
static int lz_leaf_of(const char *cat) {
  int64_t id;

  if (!cat || lz_digits(cat, &id))
    return -2;
  if (id == LZ_CAT_PARENT)
    return -1;
  return id >= LZ_CAT_FIRST && id < LZ_CAT_FIRST + LZ_NLEAF ? (int)(id - LZ_CAT_FIRST) : -2;
}

/* One upload /image/upload answered: whose, its name and its bytes. */
struct lz_upload {
  size_t seller;
  char hash[33], url[96], sha[65];
  size_t bytes;
};

static struct {
  struct lz_upload *v;
  size_t n, cap;
} LU;

/* 1 when url is an image /image/upload returned to this seller. */
static int lz_upload_known(size_t seller, const char *url) {
  size_t i;

  for (i = 0; url && i < LU.n; i++)
    if (LU.v[i].seller == seller && strcmp(LU.v[i].url, url) == 0)
      return 1;
  return 0;
}

static const struct lz_attr_def *lz_attr_find(const char *key, int leaf) {
  size_t i;

  for (i = 0; leaf >= 0 && i < ARRAY_LEN(lz_attr_defs); i++)
    if (strcmp(lz_attr_defs[i].key, key) == 0 && lz_attr_defs[i].mandatory[leaf] >= 0)
      return &lz_attr_defs[i];
  return NULL;
}

/* The brand of an id or (deprecated "brand") a name; NULL when unknown. */
static const struct lz_option *lz_brand_find(const cJSON *idv, const char *name) {
  int64_t id = 0;
  size_t i;

  if (idv && lz_json_id(idv, &id))
    return NULL;
  for (i = 0; lz_brands[i].name; i++)
    if ((idv && lz_brands[i].id == id) ||
        (!idv && name && strcasecmp(lz_brands[i].name, name) == 0))
      return &lz_brands[i];
  return NULL;
}

/* Checked content of a create or an update: the leaf, the brand. */
struct lz_content {
  int leaf;                       /* -2: none known */
  const struct lz_option *brand;  /* NULL: unchanged */
  const cJSON *attrs;             /* the category attributes given */
};

/* PrimaryCategory (given, else the item's): a leaf, or Lazada's codes. */
static int lz_check_category(const char *given, const char *had, int creating,
                             struct lz_content *k, struct lz_refusal *r) {
  const char *cat = given ? given : had;

  k->leaf = lz_leaf_of(cat);
  if (!given && !creating)
    return 0; /* unchanged; items made by the control API have none */
  if (k->leaf == -1)
    return lz_refuse(r, "4134", "Please select the last level category.");
  if (k->leaf < 0)
    return lz_refuse(r, "201", "E201: %s Invalid CategoryId", cat ? cat : "");
  return 0;
}

/* Images.Image: at least one on create, each one this seller uploaded. */
static int lz_check_images(size_t seller, const cJSON *imgs, int creating,
                           struct lz_refusal *r) {
  const cJSON *v;

  if ((creating || imgs) && cJSON_GetArraySize(imgs) < 1)
    return lz_refuse(r, "4139", "BIZ_CHECK_MAIN_IMAGE_REQUIRE:Main image is require");
  cJSON_ArrayForEach(v, imgs) {
    if (!lz_upload_known(seller, v->valuestring))
      return lz_refuse(r, "4138", "BIZ_CHECK_EXIST_OUTER_IMAGE: the image %s is not a Lazada "
                                  "image of this seller",
                       v->valuestring);
  }
  return 0;
}

/* One attribute the category has: its value one of the options when the
 * list is closed. */
static int lz_check_attr(const cJSON *v, int leaf, struct lz_refusal *r) {
  const struct lz_attr_def *a = lz_attr_find(v->string, leaf);
  size_t i;

  if (!a)
    return lz_refuse(r, "4140", "CHK_ENUM_PROP_VALUE_NOT_IN_OPTION: category %" PRId64
                                " has no attribute %s",
                     LZ_CAT_FIRST + leaf, v->string);
  if (!cJSON_IsString(v) || !v->valuestring[0])
    return lz_refuse(r, "4107", "CHECK_CAT_PROP_INVALID_NUMBER: %s must be text", a->key);
  for (i = 0; a->opts && a->opts[i].name; i++)
    if (strcmp(a->opts[i].name, v->valuestring) == 0)
      return 0;
  if (a->opts)
    return lz_refuse(r, "4115", "CHK_CATPROP_CPV_NOT_ENUM: \"%s\" is not an option of %s",
                     v->valuestring, a->key);
  return 0;
}

/* The attributes a product write gives: every key the category has (the
 * product's own fields aside), allowed values, and on create each
 * mandatory one. */
static int lz_check_attrs(const cJSON *attrs, int leaf, int creating, struct lz_refusal *r) {
  static const char *const own[] = {"name", "description", "short_description", "brand",
                                    "brand_id"};
  const cJSON *v;
  size_t i;

  cJSON_ArrayForEach(v, attrs) {
    for (i = 0; i < ARRAY_LEN(own) && strcmp(v->string, own[i]) != 0; i++)
      ;
    if (i == ARRAY_LEN(own) && leaf >= 0 && lz_check_attr(v, leaf, r))
      return -1;
  }
  for (i = 0; creating && i < ARRAY_LEN(lz_attr_defs); i++)
    if (lz_attr_defs[i].mandatory[leaf] == 1 && !lz_get(attrs, lz_attr_defs[i].key))
      return lz_refuse(r, "4110", "BIZ_CHECK_CAT_PROP_MANDATORY: %s (%s) is mandatory",
                       lz_attr_defs[i].key, lz_attr_defs[i].label);
  return 0;
}

/* brand_id (or the deprecated brand): from the list, mandatory on create,
 * a real brand in health. */
static int lz_check_brand(const cJSON *attrs, int creating, struct lz_content *k,
                          struct lz_refusal *r) {
  const cJSON *idv = lz_get(attrs, "brand_id");
  const char *name = sim_json_str(attrs, "brand");

  if (!idv && !name) {
    if (creating)
      return lz_refuse(r, "4108", "CHK_BASIC_REQUIRED: brand_id is mandatory");
    return 0;
  }
  if (!(k->brand = lz_brand_find(idv, name)))
    return lz_refuse(r, "4142", "THD_BRAND_ID_IS_NOT_VALID_IN_CATEGORY: the brand is invalid "
                                "in the category");
  if (k->brand->id == LZ_NO_BRAND_ID && k->leaf == LZ_LEAF_HEALTH)
    return lz_refuse(r, "4156", "C035: No brand cannot be selected");
  return 0;
}

/* Everything CreateProduct / UpdateProduct checks of the content. */
static int lz_content_check(size_t seller, const cJSON *prod, const struct lz_fields *f,
                            const struct lz_item *it, struct lz_content *k,
                            struct lz_refusal *r) {
  const cJSON *attrs = lz_get(prod, "Attributes");
  int creating = it == NULL;

  memset(k, 0, sizeof *k);
  if (!cJSON_IsObject(attrs))
    attrs = NULL; /* "" in the add step of VARIANTS */
  k->attrs = attrs;
  if (sim_legacy)
    return 0;
  return lz_check_category(f->category, it ? it->category : NULL, creating, k, r) ||
         lz_check_images(seller, f->images, creating, r) ||
         (attrs && lz_check_attrs(attrs, k->leaf, creating, r)) ||
         ((attrs || creating) && lz_check_brand(attrs, creating, k, r));
}

/* Stores the checked content: brand and attributes (given keys replace). */
static int lz_content_apply(struct lz_item *it, const struct lz_content *k) {
  const cJSON *v;
  cJSON *a;

  if (!it->attrs && !(it->attrs = cJSON_CreateObject()))
    return -1;
  if (k->brand) {
    char *b = strdup(k->brand->name);

    if (!b)
      return -1;
    free(it->brand), it->brand = b;
    cJSON_DeleteItemFromObjectCaseSensitive(it->attrs, "brand_id");
    sim_json_add_int(it->attrs, "brand_id", k->brand->id);
  }
  cJSON_ArrayForEach(v, k->attrs) {
    if (!lz_attr_find(v->string, k->leaf) || !cJSON_IsString(v))
      continue;
    if (!(a = cJSON_CreateString(v->valuestring)))
      return -1;
    cJSON_DeleteItemFromObjectCaseSensitive(it->attrs, v->string);
    cJSON_AddItemToObject(it->attrs, v->string, a);
  }
  return 0;
}

static void lz_refused(struct lz_call *c, const struct lz_refusal *r) {
  lz_fail(c, 200, r->code, "%s", r->msg);
}

/* /product/create on a parsed Request.Product: one SKU per Skus.Sku. */
static void lz_create_product(struct lz_call *c, const cJSON *prod) {
  size_t me = sim_acct_index(&lz_accts, c->seller);
  struct lz_refusal r = {NULL, ""};
  struct lz_content k;
  struct lz_draft d;
  struct lz_fields f;
  struct lz_item *it;
  const cJSON *skus, *e;
  const char *why;
  int n;

  memset(&d, 0, sizeof d);
  skus = lz_skus_of(prod, &n);
  if ((why = lz_attrs_read(prod, 1, &f)) ||
      (n < 1 || n > LZ_BATCH_MAX ? (why = "Skus.Sku must be an array of 1 to 50 SKUs") : NULL)) {
    lz_param(c, why);
    return;
  }
  cJSON_ArrayForEach(e, skus) {
    struct lz_dsku *s = &d.s[d.n];

    if ((why = lz_dsku_read(e, s))) {
      lz_param(c, why);
      return;
    }
    if (lz_sku_fresh(me, &d, d.n, s->seller_sku, &r)) {
      lz_refused(c, &r);
      return;
    }
    d.n++;
  }
  if (lz_content_check(me, prod, &f, NULL, &k, &r) || lz_variation_read(prod, &d, &r) ||
      lz_draft_check(&d, NULL, &r)) {
    lz_refused(c, &r);
    return;
  }
  it = lz_item_new(me, c->req->now_ms);
  if (!it || !(it = lz_item_keep(it, lz_item_apply(it, &f, c->req->now_ms) == 0 &&
                                         lz_content_apply(it, &k) == 0 &&
                                         lz_draft_commit(it, &d) == 0))) {
    lz_fail(c, 200, "500", "could not store the product");
    return;
  }
  sim_info_note_id(c->info, it->id);
  lz_ok(c, lz_item_ref(it));
}

/* One Skus.Sku of an update: a SKU of the item (SkuId, or its SellerSku),
 * or a new one (needs AssociatedSku). */
static int lz_update_sku(struct lz_call *c, struct lz_item *it, const cJSON *e,
                         struct lz_draft *d, int assoc, struct lz_refusal *r) {
  size_t me = sim_acct_index(&lz_accts, c->seller), j;
  const cJSON *idv = lz_get(e, "SkuId");
  const char *ss = sim_json_str(e, "SellerSku"), *why;
  struct lz_sku *old = NULL;
  struct lz_dsku *s;
  int64_t id = 0;

  if (idv && (lz_json_id(idv, &id) || !(old = lz_sku_in(it, id, NULL))))
    return lz_refuse(r, "E0401", "SkuId not found in item %" PRId64, it->id);
  if (!old && ss)
    old = lz_sku_in(it, 0, ss);
  if (old && ss && strcmp(ss, old->seller_sku) != 0)
    return lz_refuse(r, "InvalidParameter", "SellerSku cannot be changed");
  if (!old && !assoc)
    return lz_refuse(r, "E0401", "SellerSku %s not found in item %" PRId64, ss ? ss : "",
                     it->id);
  /* SkuId is mandatory for a SKU of the item ("Updateproduct overview");
   * only a new SKU joining by AssociatedSku goes without. */
  if (!idv && old && !sim_legacy)
    return lz_refuse(r, "1", "E001: Parameter SkuId is mandatory");
  for (j = 0; j < d->n; j++)
    if (old && d->s[j].old == old)
      break;
  if (j == d->n && (d->n >= LZ_BATCH_MAX))
    return lz_refuse(r, "InvalidParameter", "an item holds at most 50 SKUs");
  s = &d->s[j];
  if (j == d->n) {
    memset(s, 0, sizeof *s);
    d->n++;
  }
  if ((why = lz_dsku_read(e, s)))
    return lz_refuse(r, "InvalidParameter", "%s", why);
  if (!old && lz_sku_fresh(me, d, d->n - 1, s->seller_sku, r))
    return -1;
  return 0;
}

/* /product/update on a parsed Request.Product. */
static void lz_update_product(struct lz_call *c, const cJSON *prod) {
  struct lz_refusal r = {NULL, ""};
  struct lz_content k;
  struct lz_draft d;
  struct lz_fields f;
  struct lz_item *it;
  const cJSON *skus, *e, *as;
  const char *why;
  int n, assoc = 0, status = 0;
  size_t j;

  if (!(it = lz_own_item(c, lz_get(prod, "ItemId"))))
    return;
  if ((why = lz_attrs_read(prod, 0, &f))) {
    lz_param(c, why);
    return;
  }
  if (lz_content_check(it->seller, prod, &f, it, &k, &r)) {
    lz_refused(c, &r);
    return;
  }
  memset(&d, 0, sizeof d);
  for (j = 0; j < it->nskus; j++)
    lz_dsku_of(&d.s[d.n++], &it->skus[j]);
  d.var_name = it->var_name;
  d.var_custom = it->var_custom;
  /* AssociatedSku: a SKU of the item (the pages say a seller SKU, or a
   * SkuId): new SKUs join its product. */
  if ((as = lz_get(prod, "AssociatedSku"))) {
    int64_t id = 0;

    if (!cJSON_IsString(as) ||
        !(lz_sku_in(it, 0, as->valuestring) ||
          (lz_digits(as->valuestring, &id) == 0 && lz_sku_in(it, id, NULL)))) {
      lz_fail(c, 200, "E0401", "AssociatedSku is not a SKU of item %" PRId64, it->id);
      return;
    }
    assoc = 1;
  }
  skus = lz_skus_of(prod, &n);
  if (skus && (n < 1 || n > LZ_BATCH_MAX)) {
    lz_param(c, "Skus.Sku must be an array of 1 to 50 SKUs");
    return;
  }
  if (lz_variation_read(prod, &d, &r)) {
    lz_refused(c, &r);
    return;
  }
  if (d.var_opts && it->var_name && strcmp(d.var_name, it->var_name) != 0) {
    lz_fail(c, 200, "InvalidParameter",
            "item %" PRId64 " has sale property %s; ocopsim models one", it->id,
            it->var_name);
    return;
  }
  cJSON_ArrayForEach(e, skus) {
    if (lz_update_sku(c, it, e, &d, assoc, &r)) {
      lz_refused(c, &r);
      return;
    }
    status |= lz_get(e, "Status") != NULL;
  }
  if (lz_draft_check(&d, it->var_opts, &r)) {
    lz_refused(c, &r);
    return;
  }
  if (lz_item_apply(it, &f, c->req->now_ms) || lz_content_apply(it, &k) ||
      lz_draft_commit(it, &d)) {
    lz_fail(c, 200, "500", "could not store the product");
    return;
  }
  if (status) /* relist: a SKU set active shows the item again */
    for (j = 0; j < it->nskus; j++)
      it->active |= it->skus[j].active;
  lz_ok(c, lz_item_ref(it));
}

/* Both product writes take the product from the "payload" parameter. */
static void lz_product_write(struct lz_call *c,
                             void (*fn)(struct lz_call *c, const cJSON *prod)) {
  const cJSON *prod;
  cJSON *pl = lz_payload(c, "payload", &prod);

  if (!pl)
    return;
  fn(c, prod);
  cJSON_Delete(pl);
}

static void lz_create(struct lz_call *c) { lz_product_write(c, lz_create_product); }

static void lz_update(struct lz_call *c) { lz_product_write(c, lz_update_product); }

/* The SKUs RemoveSku names, each once; -1 with r set. */
static int lz_remove_pick(struct lz_item *it, const cJSON *skus, int *gone,
                          struct lz_refusal *r) {
  const cJSON *e;

  cJSON_ArrayForEach(e, skus) {
    const cJSON *idv = lz_get(e, "SkuId");
    const char *ss = sim_json_str(e, "SellerSku");
    struct lz_sku *s = NULL;
    int64_t id = 0;

    if (!cJSON_IsObject(e))
      return lz_refuse(r, "5", "Invalid Request Format");
    if (!idv && !ss && !e->child)
      continue; /* <Sku></Sku>: removes a sale property alone */
    if (idv ? lz_json_id(idv, &id) == 0 && (s = lz_sku_in(it, id, NULL)) != NULL
            : (s = lz_sku_in(it, 0, ss)) != NULL)
      gone[s - it->skus] = 1;
    else
      return lz_refuse(r, "SELLER_SKU_NOT_FOUND", "sellerSku: %s not found",
                       ss ? ss : (idv && cJSON_IsString(idv) ? idv->valuestring : "?"));
  }
  return 0;
}

/* /product/sku/remove: SKUs (by SkuId or SellerSku) and, when named, the
 * sale property; never the last SKU. */
static void lz_remove_sku(struct lz_call *c) {
  const cJSON *prod, *skus, *var;
  cJSON *pl = lz_payload(c, "payload", &prod);
  struct lz_refusal r = {NULL, ""};
  struct lz_item *it;
  struct lz_draft d;
  int gone[LZ_BATCH_MAX] = {0}, n;
  size_t j, left = 0;

  if (!pl)
    return;
  if (!(it = lz_own_item(c, lz_get(prod, "ItemId"))))
    goto done;
  skus = lz_skus_of(prod, &n);
  if (n < 0 || lz_remove_pick(it, skus, gone, &r)) {
    lz_refused(c, r.code ? &r : &(struct lz_refusal){"5", "Invalid Request Format"});
    goto done;
  }
  memset(&d, 0, sizeof d);
  d.var_name = it->var_name;
  d.var_custom = it->var_custom;
  for (j = 0; j < it->nskus; j++)
    if (!gone[j])
      lz_dsku_of(&d.s[d.n++], &it->skus[j]), left++;
  if (left == 0) {
    lz_fail(c, 200, "CAN_NOT_REMOVE_ALL_SKU", "Can not remove all sku");
    goto done;
  }
  var = lz_get(lz_get(prod, "variation"), "variation1");
  if (var) {
    const char *name = sim_json_str(var, "name");

    if (!it->var_name || !name || strcmp(name, it->var_name) != 0) {
      lz_fail(c, 200, "SALE_PROPS_EMPTY", "Sale props can not be set empty when remove sale "
                                          "props");
      goto done;
    }
    if (left > 1) {
      lz_fail(c, 200, "SALE_PROPS_DUPLICATE", "Sale props is duplicate between the SKUs left");
      goto done;
    }
    d.var_name = NULL;
  }
  if (lz_draft_commit(it, &d)) {
    lz_fail(c, 200, "500", "could not store the product");
    goto done;
  }
  it->updated_ms = c->req->now_ms;
  lz_ok(c, NULL);
done:
  cJSON_Delete(pl);
}

/* One Skus.Sku entry of price_quantity/update, checked: the SKU, and the
 * new quantity and price (< 0 when not given). NULL or why not. */
static const char *lz_pq_entry(struct lz_call *c, const cJSON *e, struct lz_sku **out,
                               struct lz_item **item, int64_t *qty, int64_t *price,
                               int *not_found) {
  const char *sku = sim_json_str(e, "SellerSku");
  const cJSON *idv = lz_get(e, "ItemId"), *skuid = lz_get(e, "SkuId"), *v;
  size_t me = sim_acct_index(&lz_accts, c->seller), i;
  struct lz_item *it = NULL;
  struct lz_sku *s = NULL;
  int64_t id = 0, sid = 0;

  *not_found = 0;
  *qty = *price = -1;
  if (!cJSON_IsObject(e))
    return "each Sku must be an object";
  if (!idv && !skuid && !sku)
    return "each Sku needs ItemId, SkuId or SellerSku";
  if (idv && lz_json_id(idv, &id))
    return "ItemId must be an item id";
  if (skuid && lz_json_id(skuid, &sid))
    return "SkuId must be a SKU id";
  if (idv)
    it = lz_item_find(id);
  for (i = 0; !it && sid > 0 && i < L.nitems; i++)
    if (lz_sku_in(&L.items[i], sid, NULL))
      it = &L.items[i];
  if (!it && sku)
    lz_sku_by_seller_sku(me, sku, &it);
  if (it && it->seller == me)
    s = sid > 0 ? lz_sku_in(it, sid, NULL) : lz_sku_in(it, 0, sku);
  if (!s || (sku && strcmp(sku, s->seller_sku) != 0)) {
    *not_found = 1;
    return "product not found";
  }
  if ((v = lz_get(e, "Quantity")) && (lz_json_amount(v, qty) || *qty < 0 || *qty > INT32_MAX))
    return "Quantity must be a whole number >= 0";
  if ((v = lz_get(e, "Price")) &&
      (lz_json_amount(v, price) || *price <= 0 || *price > LZ_MONEY_MAX))
    return "Price must be a positive whole number of dong";
  if (*qty < 0 && *price < 0)
    return "each Sku needs Quantity or Price";
  *out = s;
  *item = it;
  return NULL;
}

/* All entries are checked first; nothing changes unless all are good. */
static void lz_price_quantity(struct lz_call *c) {
  const cJSON *prod, *skus, *e;
  cJSON *pl = lz_payload(c, "payload", &prod), *detail;
  struct lz_sku *sk[LZ_BATCH_MAX];
  struct lz_item *items[LZ_BATCH_MAX];
  int64_t qty[LZ_BATCH_MAX], price[LZ_BATCH_MAX];
  int i = 0, n, bad = 0, nf_any = 0, nf;

  if (!pl)
    return;
  skus = lz_skus_of(prod, &n);
  if (n < 1 || n > LZ_BATCH_MAX) {
    lz_param(c, "Skus.Sku must be an array of 1 to 50 SKUs");
    cJSON_Delete(pl);
    return;
  }
  detail = cJSON_CreateArray();
  cJSON_ArrayForEach(e, skus) {
    const char *why = lz_pq_entry(c, e, &sk[i], &items[i], &qty[i], &price[i], &nf);

    if (why) {
      cJSON *d = cJSON_CreateObject();

      cJSON_AddStringToObject(d, "field", "Sku");
      cJSON_AddStringToObject(d, "message", why);
      if (sim_json_str(e, "SellerSku"))
        cJSON_AddStringToObject(d, "seller_sku", sim_json_str(e, "SellerSku"));
      sim_json_push(detail, d);
      bad = 1;
      nf_any |= nf;
    }
    i++;
  }
  if (bad) {
    cJSON *o = lz_error_obj(nf_any ? "E0401" : "InvalidParameter",
                            nf_any ? "product not found" : "Invalid SKU entries, see detail");

    snprintf(c->info->error, sizeof c->info->error, "%s", nf_any ? "E0401" : "InvalidParameter");
    sim_json_put(o, "detail", detail);
    sim_resp_json(c->resp, 200, o);
  } else {
    cJSON_Delete(detail);
    for (i = 0; i < n; i++) {
      if (qty[i] >= 0)
        sk[i]->qty = qty[i];
      if (price[i] >= 0)
        sk[i]->price = price[i];
      items[i]->updated_ms = c->req->now_ms;
    }
    lz_ok(c, NULL);
  }
  cJSON_Delete(pl);
}

static void lz_deactivate(struct lz_call *c) {
  const cJSON *prod, *list, *e;
  cJSON *pl;
  struct lz_item *it;
  int found = 0;

  /* The connector sends apiRequestBody; payload is accepted too (the exact
   * name is unverified: docs/marketplaces/lazada.md, "Verified and our
   * reading"). */
  pl = lz_payload(c,
                  sim_params_get(&c->params, "apiRequestBody") ? "apiRequestBody"
                  : sim_params_get(&c->params, "payload")      ? "payload"
                                                               : "apiRequestBody",
                  &prod);
  if (!pl)
    return;
  if (!(it = lz_own_item(c, lz_get(prod, "ItemId")))) {
    cJSON_Delete(pl);
    return;
  }
  list = lz_get(lz_get(prod, "Skus"), "SellerSku");
  if (list && !cJSON_IsArray(list)) {
    lz_param(c, "Skus.SellerSku must be an array");
    cJSON_Delete(pl);
    return;
  }
  cJSON_ArrayForEach(e, list) {
    struct lz_sku *s = cJSON_IsString(e) ? lz_sku_in(it, 0, e->valuestring) : NULL;

    if (s)
      found = 1, s->active = 0;
  }
  if (list && !found) {
    lz_fail(c, 200, "E0401", "SellerSku not found in item %" PRId64, it->id);
  } else {
    it->active = 0;
    it->updated_ms = c->req->now_ms;
    lz_ok(c, NULL);
  }
  cJSON_Delete(pl);
}

static int lz_query_num(struct lz_call *c, const char *name, int64_t def, int64_t max,
                        int64_t *out) {
  const char *v = sim_params_get(&c->params, name);

  *out = def;
  if (!v || !*v)
    return 0;
  if (lz_digits(v, out) || *out > max) {
    lz_fail(c, 200, "InvalidParameter", "%s must be a number from 0 to %" PRId64, name, max);
    return -1;
  }
  return 0;
}

static int64_t lz_item_qty(const struct lz_item *it) {
  int64_t q = 0;
  size_t j;

  for (j = 0; j < it->nskus; j++)
    q += it->skus[j].qty;
  return q;
}

static int lz_filter_match(const struct lz_item *it, const char *filter) {
  if (strcmp(filter, "all") == 0)
    return 1;
  if (strcmp(filter, "live") == 0)
    return it->active && lz_item_qty(it) > 0;
  if (strcmp(filter, "inactive") == 0)
    return !it->active;
  if (strcmp(filter, "sold-out") == 0)
    return it->active && lz_item_qty(it) == 0;
  return 0; /* deleted, image-missing, pending, rejected: none here */
}

/* 1 when the list (absent: all) names one of the item's SKUs. */
static int lz_sku_listed(const cJSON *list, const struct lz_item *it) {
  const cJSON *e;
  size_t j;

  if (!list)
    return 1;
  cJSON_ArrayForEach(e, list) {
    for (j = 0; cJSON_IsString(e) && j < it->nskus; j++)
      if (strcmp(e->valuestring, it->skus[j].seller_sku) == 0)
        return 1;
  }
  return 0;
}

static void lz_products_get(struct lz_call *c) {
  static const char *const filters[] = {"all",     "live",     "inactive", "deleted",
                                        "image-missing", "pending", "rejected", "sold-out"};
  const char *filter = sim_params_get(&c->params, "filter"), *why;
  cJSON *skus = lz_json_param(&c->params, "sku_seller_list", &why), *data, *list;
  size_t me = sim_acct_index(&lz_accts, c->seller), i, k;
  int64_t offset, limit, total = 0, shown = 0;

  if (!filter || !*filter)
    filter = "all";
  for (k = 0; k < ARRAY_LEN(filters) && strcmp(filter, filters[k]) != 0; k++)
    ;
  if (k == ARRAY_LEN(filters)) {
    lz_param(c, "filter must be all, live, inactive, deleted, image-missing, "
                "pending, rejected or sold-out");
  } else if (why || (skus && (!cJSON_IsArray(skus) || cJSON_GetArraySize(skus) > 100))) {
    lz_param(c, "sku_seller_list must be a JSON array of at most 100 SKUs");
  } else if (!lz_query_num(c, "offset", 0, INT32_MAX, &offset) &&
             !lz_query_num(c, "limit", 10, LZ_LIMIT_MAX, &limit)) {
    if (limit == 0)
      limit = 10;
    data = cJSON_CreateObject();
    list = cJSON_CreateArray();
    for (i = 0; i < L.nitems; i++) {
      const struct lz_item *it = &L.items[i];

      if (it->seller != me || !lz_filter_match(it, filter) || !lz_sku_listed(skus, it))
        continue;
      if (total++ < offset || shown >= limit)
        continue;
      shown++;
      sim_json_push(list, lz_item_json(it));
    }
    sim_json_add_int(data, "total_products", total);
    sim_json_put(data, "products", list);
    lz_ok(c, data);
  }
  cJSON_Delete(skus);
}

static void lz_item_get(struct lz_call *c) {
  const char *ids = sim_params_get(&c->params, "item_id");
  const char *sku = sim_params_get(&c->params, "seller_sku");
  struct lz_item *it = NULL;
  int64_t id;

  if ((!ids || !*ids) && (!sku || !*sku)) {
    lz_missing(c, "item_id");
    return;
  }
  if (ids && *ids) {
    if (lz_digits(ids, &id)) {
      lz_param(c, "item_id must be a number");
      return;
    }
    it = lz_item_find(id);
    if (it && sku && *sku && !lz_sku_in(it, 0, sku))
      it = NULL;
  } else {
    it = lz_item_by_sku(sim_acct_index(&lz_accts, c->seller), sku);
  }
  if (!it || it->seller != sim_acct_index(&lz_accts, c->seller)) {
    lz_fail(c, 200, "E0401", "product not found");
    return;
  }
  lz_ok(c, lz_item_json(it));
}

/* ------------------------------------------------------------- orders -- */

#define LZ_MAX_OFFSET 5000          /* Lazada's documented /orders/get limit */
#define LZ_FIRST_ORDER INT64_C(480000000000)
#define LZ_FIRST_ORDER_ITEM INT64_C(490000000001)
#define LZ_TZ_S (7 * 3600) /* times print in Vietnam time */

static struct sim_orders lz_orders;
static int64_t lz_max_offset = LZ_MAX_OFFSET;

/* "2026-11-25 10:00:00 +0700", as Lazada prints order times. */
static void lz_order_time(int64_t t, char *buf, size_t n) {
  time_t vn = (time_t)(t + LZ_TZ_S);
  struct tm tm;

  gmtime_r(&vn, &tm);
  snprintf(buf, n, "%04d-%02d-%02d %02d:%02d:%02d +0700", tm.tm_year + 1900,
           tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

/* "150000.00" */
static void lz_add_money(cJSON *o, const char *name, int64_t v) {
  char buf[32];

  snprintf(buf, sizeof buf, "%" PRId64 ".00", v);
  cJSON_AddStringToObject(o, name, buf);
}

static void lz_add_order_id(cJSON *o, const char *name, const char *id) {
  int64_t v = 0;

  lz_digits(id, &v);
  sim_json_add_int(o, name, v);
}

static cJSON *lz_order_json(const struct sim_order *o) {
  cJSON *e = cJSON_CreateObject(), *st;
  char buf[40];

  lz_add_order_id(e, "order_id", o->id);
  lz_add_order_id(e, "order_number", o->id);
  st = cJSON_AddArrayToObject(e, "statuses");
  cJSON_AddItemToArray(st, cJSON_CreateString(o->status));
  lz_add_money(e, "price", sim_order_total(o));
  lz_order_time(o->create_time, buf, sizeof buf);
  cJSON_AddStringToObject(e, "created_at", buf);
  lz_order_time(o->update_time, buf, sizeof buf);
  cJSON_AddStringToObject(e, "updated_at", buf);
  sim_json_add_int(e, "items_count", sim_order_units(o));
  return e;
}

/* An ISO-8601 time parameter; 1 when absent, -1 after failing. */
static int lz_iso_param(struct lz_call *c, const char *name, int64_t *out) {
  const char *v = sim_params_get(&c->params, name);

  if (!v || !*v)
    return 1;
  if (sim_order_iso_time(v, out) == 0)
    return 0;
  lz_param(c, "times must be ISO-8601 with an offset, like "
              "2026-11-25T10:00:00+07:00");
  return -1;
}

/* The window of /orders/get: update_after (or created_after) is required;
 * the "before" bound is exclusive. */
static int lz_order_window(struct lz_call *c, struct sim_order_query *q) {
  int rc = lz_iso_param(c, "update_after", &q->from);

  if (rc < 0)
    return -1;
  if (rc > 0) {
    if ((rc = lz_iso_param(c, "created_after", &q->from)) != 0) {
      if (rc > 0)
        lz_param(c, "update_after or created_after is required");
      return -1;
    }
    q->by_create = 1;
  }
  rc = lz_iso_param(c, q->by_create ? "created_before" : "update_before",
                    &q->to);
  return rc < 0 ? -1 : 0;
}

static void lz_orders_get(struct lz_call *c) {
  struct sim_order_query q = {NULL, 0, 0, INT64_MAX, 0, NULL};
  const char *st = sim_params_get(&c->params, "status");
  const char *dir = sim_params_get(&c->params, "sort_direction");
  int desc = dir && strcasecmp(dir, "DESC") == 0;
  int64_t offset, limit, i, shown = 0;
  struct sim_order **v;
  cJSON *data, *list;
  size_t n;

  if (lz_order_window(c, &q) ||
      lz_query_num(c, "offset", 0, INT32_MAX, &offset) ||
      lz_query_num(c, "limit", 10, INT32_MAX, &limit))
    return;
  if (limit < 1 || limit > LZ_LIMIT_MAX || offset > lz_max_offset) {
    lz_fail(c, 200, "InvalidParameter",
            "limit must be 1 to %d and offset at most %" PRId64, LZ_LIMIT_MAX,
            lz_max_offset);
    return;
  }
  q.shop = c->seller->name;
  q.status = st && *st && strcmp(st, "all") != 0 ? st : NULL;
  if (sim_orders_select(&lz_orders, &q, &v, &n)) {
    lz_fail(c, 500, "500", "out of memory");
    return;
  }
  data = cJSON_CreateObject();
  list = cJSON_CreateArray();
  for (i = offset; i < (int64_t)n && shown < limit; i++, shown++)
    sim_json_push(list, lz_order_json(v[desc ? (int64_t)n - 1 - i : i]));
  free(v);
  sim_json_add_int(data, "count", shown);
  sim_json_add_int(data, "countTotal", (int64_t)n);
  sim_json_put(data, "orders", list);
  lz_ok(c, data);
}

/* One order item per unit, as Lazada has no quantity field. */
static void lz_order_units(cJSON *list, const struct sim_order *o,
                           size_t seller) {
  int64_t unit = o->unit_base, k;
  char buf[64];
  size_t i;

  for (i = 0; i < o->nlines; i++) {
    const struct sim_order_line *l = &o->lines[i];
    struct lz_item *it = NULL;
    const struct lz_sku *s = lz_sku_by_seller_sku(seller, l->sku, &it);

    for (k = 0; k < l->qty; k++) {
      cJSON *e = cJSON_CreateObject();

      sim_json_add_int(e, "order_item_id", unit++);
      lz_add_order_id(e, "order_id", o->id);
      if (!o->malformed)
        cJSON_AddStringToObject(e, "sku", l->sku);
      /* the variant's own SKU: SellerSku, its SkuId and ShopSku, and its
       * option as "variation" */
      if (s)
        lz_shop_sku(it, s, buf, sizeof buf);
      cJSON_AddStringToObject(e, "shop_sku", s ? buf : "");
      snprintf(buf, sizeof buf, "%" PRId64, s ? s->id : 0);
      cJSON_AddStringToObject(e, "sku_id", buf);
      cJSON_AddStringToObject(e, "name", it && it->name ? it->name : l->sku);
      if (s && s->opt && it->var_name)
        snprintf(buf, sizeof buf, "%s:%s", it->var_name, s->opt);
      cJSON_AddStringToObject(e, "variation", s && s->opt && it->var_name ? buf : "");
      lz_add_money(e, "item_price", l->price);
      lz_add_money(e, "paid_price", l->price);
      cJSON_AddStringToObject(e, "currency", "VND");
      cJSON_AddStringToObject(e, "status", o->status);
      lz_order_time(o->create_time, buf, sizeof buf);
      cJSON_AddStringToObject(e, "created_at", buf);
      lz_order_time(o->update_time, buf, sizeof buf);
      cJSON_AddStringToObject(e, "updated_at", buf);
      sim_json_push(list, e);
    }
  }
}

/* An order id from order_ids: a number or a string of digits. */
static int lz_order_id_elem(const cJSON *e, char *id, size_t n) {
  int64_t v;

  if (lz_json_id(e, &v))
    return -1;
  snprintf(id, n, "%" PRId64, v);
  return 0;
}

static void lz_order_items_get(struct lz_call *c) {
  const char *why = NULL;
  cJSON *ids = lz_json_param(&c->params, "order_ids", &why), *data, *e;
  int n = cJSON_GetArraySize(ids);
  char id[SIM_ORDER_ID_MAX + 1];

  if (why || !cJSON_IsArray(ids) || n < 1 || n > LZ_BATCH_MAX) {
    cJSON_Delete(ids);
    lz_param(c, "order_ids must be a JSON array of 1 to 50 order ids");
    return;
  }
  data = cJSON_CreateArray();
  cJSON_ArrayForEach(e, ids) {
    const struct sim_order *o;
    cJSON *x;

    if (lz_order_id_elem(e, id, sizeof id) ||
        !(o = sim_order_find(&lz_orders, c->seller->name, id)))
      continue;
    x = cJSON_CreateObject();
    lz_add_order_id(x, "order_id", o->id);
    lz_add_order_id(x, "order_number", o->id);
    lz_order_units(cJSON_AddArrayToObject(x, "order_items"), o,
                   sim_acct_index(&lz_accts, c->seller));
    sim_json_push(data, x);
  }
  cJSON_Delete(ids);
  lz_ok(c, data);
}

/* A number that a JSON double holds exactly. */
static int lz_order_id_ok(const char *id) {
  int64_t v;

  return strlen(id) <= 15 && lz_digits(id, &v) == 0 && v > 0;
}

static void lz_order_new_id(uint64_t seq, int64_t now, char *out, size_t n) {
  (void)now;
  snprintf(out, n, "%" PRId64, LZ_FIRST_ORDER + (int64_t)seq);
}

static void lz_order_sold(const char *shop, const char *sku, int64_t qty) {
  const struct sim_acct *s = sim_acct_find(&lz_accts, shop);
  struct lz_sku *k = s ? lz_sku_by_seller_sku(sim_acct_index(&lz_accts, s), sku, NULL) : NULL;

  if (k) /* that variant's stock only */
    k->qty = k->qty > qty ? k->qty - qty : 0;
}

/* message_type 0, trade order status. */
static char *lz_order_push(const struct sim_order *o, int64_t ts,
                           size_t *len) {
  cJSON *m = cJSON_CreateObject(), *d;
  char *s;

  cJSON_AddStringToObject(m, "seller_id", o->shop);
  sim_json_add_int(m, "message_type", 0);
  d = cJSON_AddObjectToObject(m, "data");
  cJSON_AddStringToObject(d, "trade_order_id", o->id);
  cJSON_AddStringToObject(d, "order_status", o->status);
  sim_json_add_int(d, "status_update_time", o->update_time);
  sim_json_add_int(m, "timestamp", ts);
  cJSON_AddStringToObject(m, "site", "lazada_vn");
  s = sim_json_print(m, len);
  cJSON_Delete(m);
  return s;
}

static const struct sim_order_ops lz_order_ops = {
    .name = "lazada",
    .store = &lz_orders,
    .first_unit = LZ_FIRST_ORDER_ITEM,
    .accts = &lz_accts,
    .id_ok = lz_order_id_ok,
    .new_id = lz_order_new_id,
    .sold = lz_order_sold,
    .push_body = lz_order_push,
};

/* /auth/token/refresh: signed without access_token; the refresh token is
 * single use (docs/marketplaces/lazada.md, "Authorisation and tokens",
 * assumes so). */
static void lz_refresh(struct lz_call *c) {
  const char *tok = sim_params_get(&c->params, "refresh_token");
  struct sim_acct *s = NULL;
  cJSON *o, *cui, *u;
  char rid[SIM_REQID_LEN + 1];

  if (!tok || !*tok) {
    lz_missing(c, "refresh_token");
    return;
  }
  s = sim_acct_by_refresh(&lz_accts, tok, c->app->key, c->now);
  if (!s) {
    lz_fail(c, 200, "IllegalRefreshToken",
            "The specified refresh token is invalid or expired");
    return;
  }
  if (sim_tok_issue(&s->tok, c->now, LZ_GRACE_S, 20)) {
    lz_fail(c, 200, "500", "could not issue tokens");
    return;
  }
  sim_request_id(rid);
  o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "access_token", s->tok.access);
  cJSON_AddStringToObject(o, "refresh_token", s->tok.refresh);
  sim_json_add_int(o, "expires_in", s->tok.access_ttl);
  sim_json_add_int(o, "refresh_expires_in", s->tok.refresh_ttl);
  cJSON_AddStringToObject(o, "account", s->name);
  cJSON_AddStringToObject(o, "account_platform", "seller_center");
  cJSON_AddStringToObject(o, "country", "vn");
  cui = cJSON_AddArrayToObject(o, "country_user_info");
  u = cJSON_CreateObject();
  cJSON_AddStringToObject(u, "country", "vn");
  cJSON_AddStringToObject(u, "seller_id", s->name);
  cJSON_AddStringToObject(u, "user_id", s->name);
  cJSON_AddStringToObject(u, "short_code", "VN0SIM");
  sim_json_push(cui, u);
  cJSON_AddStringToObject(o, "code", "0");
  cJSON_AddStringToObject(o, "request_id", rid);
  sim_resp_json(c->resp, 200, o);
}

/* ------------------------------------------------------ images, rules -- */

/* Pixels of a PNG (IHDR) or a JPEG (its first SOFn); -1 when the bytes
 * are neither. */
static int lz_image_size(const unsigned char *p, size_t n, long *w, long *h, const char **ext) {
  size_t i;

  if (n >= 24 && memcmp(p, "\x89PNG\r\n\x1a\n", 8) == 0 && memcmp(p + 12, "IHDR", 4) == 0) {
    *w = (long)p[16] << 24 | (long)p[17] << 16 | (long)p[18] << 8 | p[19];
    *h = (long)p[20] << 24 | (long)p[21] << 16 | (long)p[22] << 8 | p[23];
    *ext = "png";
    return 0;
  }
  if (n < 4 || p[0] != 0xff || p[1] != 0xd8)
    return -1;
  for (i = 2; i + 9 < n;) {
    unsigned m;
    size_t len;

    if (p[i] != 0xff)
      return -1;
    m = p[i + 1];
    len = (size_t)p[i + 2] << 8 | p[i + 3];
    if (m >= 0xc0 && m <= 0xcf && m != 0xc4 && m != 0xc8 && m != 0xcc) {
      *h = (long)p[i + 5] << 8 | p[i + 6];
      *w = (long)p[i + 7] << 8 | p[i + 8];
      *ext = "jpg";
      return 0;
    }
    i += 2 + len;
  }
  return -1;
}

static void lz_sha256_hex(const void *p, size_t n, char out[65]) {
  unsigned char md[32];
  unsigned len = 0;
  size_t i;

  EVP_Digest(p, n, md, &len, EVP_sha256(), NULL);
  for (i = 0; i < 32; i++)
    snprintf(out + 2 * i, 3, "%02x", md[i]);
}

/* /image/upload: the multipart field "image"; the sign covered the query
 * alone. The URL is on Lazada's image host, named by the bytes' hash. */
static void lz_image_upload(struct lz_call *c) {
  struct sim_field f[SIM_FORM_FIELDS_MAX];
  const struct sim_field *img;
  const char *why = NULL, *ext = NULL;
  struct lz_upload *u;
  long w = 0, h = 0;
  int n = sim_form_parse(c->req->content_type, c->req->body, c->req->body_len, f,
                         SIM_FORM_FIELDS_MAX, &why);
  cJSON *d, *o;

  if (n < 0 || !(img = sim_form_get(f, n, "image")) || !img->filename[0]) {
    lz_fail(c, 200, "302", "The image field should be passed in as a stream rather than a "
                           "string%s%s", why ? ": " : "", why ? why : "");
    return;
  }
  if (img->len > LZ_IMAGE_MAX) {
    lz_fail(c, 200, "303", "Please make sure your image size is less than 5000*5000px and "
                           "file size is less than 3145728B.");
    return;
  }
  if (lz_image_size((const unsigned char *)img->data, img->len, &w, &h, &ext)) {
    lz_fail(c, 200, "1000", "Please check that you are uploading a JPG or PNG image");
    return;
  }
  if (w > LZ_IMAGE_MAX_PX || h > LZ_IMAGE_MAX_PX) {
    lz_fail(c, 200, "303", "Please make sure your image size is less than 5000*5000px");
    return;
  }
  if (w < LZ_IMAGE_MIN_PX || h < LZ_IMAGE_MIN_PX) {
    lz_fail(c, 200, "300", "Upload Image Failed: an image needs at least 330*330px");
    return;
  }
  if (sim_grow((void **)&LU.v, &LU.cap, LU.n + 1, sizeof *LU.v)) {
    lz_fail(c, 200, "1000", "Internal Application Error");
    return;
  }
  u = &LU.v[LU.n++];
  u->seller = sim_acct_index(&lz_accts, c->seller);
  u->bytes = img->len;
  lz_sha256_hex(img->data, img->len, u->sha);
  memcpy(u->hash, u->sha, 32);
  u->hash[32] = '\0';
  snprintf(u->url, sizeof u->url, "https://vn-live.slatic.net/p/%s.%s", u->hash, ext);
  d = cJSON_CreateObject();
  o = cJSON_AddObjectToObject(d, "image");
  cJSON_AddStringToObject(o, "hash_code", u->hash);
  cJSON_AddStringToObject(o, "url", u->url);
  lz_ok(c, d);
}

/* One attribute as GetCategoryAttributes prints it. */
static cJSON *lz_attr_json(int64_t id, const char *key, const char *label, const char *input,
                           const char *type, int mandatory, const struct lz_option *opts) {
  cJSON *o = cJSON_CreateObject(), *l;
  size_t i;

  cJSON_AddItemToObject(o, "advanced", cJSON_CreateObject());
  sim_json_add_int(cJSON_GetObjectItem(o, "advanced"), "is_key_prop", 0);
  sim_json_add_int(o, "is_sale_prop", 0);
  cJSON_AddStringToObject(o, "name", key);
  cJSON_AddStringToObject(o, "input_type", input);
  l = cJSON_AddArrayToObject(o, "options");
  for (i = 0; opts && opts[i].name; i++) {
    cJSON *e = cJSON_CreateObject();

    cJSON_AddStringToObject(e, "name", opts[i].name);
    cJSON_AddStringToObject(e, "en_name", opts[i].name);
    sim_json_add_int(e, "id", opts[i].id);
    sim_json_push(l, e);
  }
  sim_json_add_int(o, "is_mandatory", mandatory);
  cJSON_AddStringToObject(o, "attribute_type", type);
  cJSON_AddStringToObject(o, "label", label);
  sim_json_add_int(o, "id", id);
  return o;
}

/* /category/attributes/get?primary_category_id=&language_code= */
static void lz_category_attributes(struct lz_call *c) {
  const char *cat = sim_params_get(&c->params, "primary_category_id");
  int leaf = lz_leaf_of(cat);
  cJSON *d;
  size_t i;

  if (!cat || !*cat) {
    lz_missing(c, "primary_category_id");
    return;
  }
  if (leaf == -1) {
    lz_fail(c, 200, "57", "E057: No attribute sets linked to that category.");
    return;
  }
  if (leaf < 0) {
    lz_fail(c, 200, "4227", "Query category is null");
    return;
  }
  d = cJSON_CreateArray();
  for (i = 0; i < ARRAY_LEN(lz_base_attrs); i++)
    sim_json_push(d, lz_attr_json(lz_base_attrs[i].id, lz_base_attrs[i].key,
                                  lz_base_attrs[i].label, lz_base_attrs[i].input,
                                  lz_base_attrs[i].type, lz_base_attrs[i].mandatory, NULL));
  sim_json_push(d, lz_attr_json(20000, "brand", "Brand", "singleSelect", "normal",
                                leaf == LZ_LEAF_HEALTH, NULL));
  for (i = 0; i < ARRAY_LEN(lz_attr_defs); i++)
    if (lz_attr_defs[i].mandatory[leaf] >= 0)
      sim_json_push(d, lz_attr_json(lz_attr_defs[i].id, lz_attr_defs[i].key,
                                    lz_attr_defs[i].label, lz_attr_defs[i].input, "normal",
                                    lz_attr_defs[i].mandatory[leaf], lz_attr_defs[i].opts));
  lz_ok(c, d);
}

/* /category/brands/query?startRow=&pageSize= (at most 200). */
static void lz_brands_query(struct lz_call *c) {
  int64_t start, size, i, total = (int64_t)ARRAY_LEN(lz_brands) - 1;
  cJSON *d, *m;
  char buf[24];

  if (lz_query_num(c, "startRow", -1, INT32_MAX, &start) ||
      lz_query_num(c, "pageSize", 40, 200, &size))
    return;
  if (start < 0) {
    lz_missing(c, "startRow");
    return;
  }
  d = cJSON_CreateObject();
  snprintf(buf, sizeof buf, "%" PRId64, start);
  cJSON_AddStringToObject(d, "start_row", buf);
  snprintf(buf, sizeof buf, "%" PRId64, size);
  cJSON_AddStringToObject(d, "page_size", buf);
  snprintf(buf, sizeof buf, "%" PRId64, total);
  cJSON_AddStringToObject(d, "total_record", buf);
  m = cJSON_AddArrayToObject(d, "module");
  for (i = start; i < total && i < start + size; i++) {
    cJSON *e = cJSON_CreateObject();

    cJSON_AddStringToObject(e, "name", lz_brands[i].name);
    cJSON_AddStringToObject(e, "name_en", lz_brands[i].name);
    cJSON_AddStringToObject(e, "global_identifier", lz_brands[i].name);
    snprintf(buf, sizeof buf, "%" PRId64, lz_brands[i].id);
    cJSON_AddStringToObject(e, "brand_id", buf);
    sim_json_push(m, e);
  }
  lz_ok(c, d);
}

/* ------------------------------------------------------------ routing -- */

enum { LZ_GET = 1, LZ_POST = 2 };

static const struct lz_route {
  const char *path;
  int methods;
  int seller_call; /* needs access_token */
  void (*fn)(struct lz_call *c);
} lz_routes[] = {
    {"/rest/product/create", LZ_POST, 1, lz_create},
    {"/rest/product/update", LZ_POST, 1, lz_update},
    {"/rest/product/sku/remove", LZ_POST, 1, lz_remove_sku},
    {"/rest/product/price_quantity/update", LZ_POST, 1, lz_price_quantity},
    {"/rest/product/deactivate", LZ_POST, 1, lz_deactivate},
    {"/rest/products/get", LZ_GET | LZ_POST, 1, lz_products_get},
    {"/rest/product/item/get", LZ_GET | LZ_POST, 1, lz_item_get},
    {"/rest/orders/get", LZ_GET | LZ_POST, 1, lz_orders_get},
    {"/rest/orders/items/get", LZ_GET | LZ_POST, 1, lz_order_items_get},
    {"/rest/auth/token/refresh", LZ_GET | LZ_POST, 0, lz_refresh},
    {"/rest/image/upload", LZ_POST, 1, lz_image_upload},
    /* access_token is optional on these (signed when sent) */
    {"/rest/category/attributes/get", LZ_GET | LZ_POST, 0, lz_category_attributes},
    {"/rest/category/brands/query", LZ_GET | LZ_POST, 0, lz_brands_query},
};

static void lz_handle(const struct sim_req *req, struct sim_resp *resp,
                      struct sim_call_info *info) {
  struct lz_call c;
  const struct lz_route *r = NULL;
  const char *why;
  int m;
  size_t i;

  memset(&c, 0, sizeof c);
  c.req = req, c.resp = resp, c.info = info, c.now = req->now_ms / 1000;
  for (i = 0; i < ARRAY_LEN(lz_routes) && !r; i++)
    if (strcmp(req->path, lz_routes[i].path) == 0)
      r = &lz_routes[i];
  if (!r) {
    lz_fail(&c, 404, "InvalidApiPath", "The specified API path %s is invalid",
            req->path);
    return;
  }
  m = strcmp(req->method, "GET") == 0    ? LZ_GET
      : strcmp(req->method, "POST") == 0 ? LZ_POST
                                         : 0;
  if (!(m & r->methods)) {
    lz_param(&c, r->methods & LZ_GET ? "use GET or POST" : "use POST");
    return;
  }
  if ((why = lz_collect(req, &c.params))) {
    lz_param(&c, why);
  } else if (sim_params_has_dup(&c.params)) {
    lz_param(&c, "a parameter is given twice");
  } else if (!lz_authenticate(&c, req->path + strlen("/rest"),
                              r->seller_call) &&
             !(r->seller_call && lz_rate_limited(&c))) {
    r->fn(&c);
  }
  sim_params_free(&c.params);
}

/* ----------------------------------------------------------- describe -- */

static void lz_describe_product(const cJSON *prod, struct sim_call_info *info) {
  const cJSON *skus = lz_get(lz_get(prod, "Skus"), "Sku"), *e, *ss;
  int64_t id;

  if (lz_json_id(lz_get(prod, "ItemId"), &id) == 0)
    sim_info_note_id(info, id);
  cJSON_ArrayForEach(e, skus) {
    if (lz_json_id(lz_get(e, "ItemId"), &id) == 0)
      sim_info_note_id(info, id);
    sim_info_note_sku(info, sim_json_str(e, "SellerSku"));
  }
  ss = lz_get(lz_get(prod, "Skus"), "SellerSku");
  if (cJSON_IsArray(ss) && cJSON_IsString(cJSON_GetArrayItem(ss, 0)))
    sim_info_note_sku(info, cJSON_GetArrayItem(ss, 0)->valuestring);
}

/* Which seller, items and SKU a call names, before any check. The seller is
 * found from its access or refresh token, current or previous. */
static void lz_describe(const struct sim_req *req, struct sim_call_info *info) {
  static const char *const payloads[] = {"payload", "apiRequestBody"};
  struct sim_params p = {NULL, 0, 0};
  const char *why;
  cJSON *j;
  int64_t id;
  size_t i;

  lz_collect(req, &p);
  /* The last seller a token names wins, refresh tokens over access ones. */
  sim_acct_describe(&lz_accts, sim_params_get(&p, "access_token"), 0, 0, info);
  sim_acct_describe(&lz_accts, sim_params_get(&p, "refresh_token"), 1, 0, info);
  if (lz_digits(sim_params_get(&p, "item_id"), &id) == 0)
    sim_info_note_id(info, id);
  sim_info_note_sku(info, sim_params_get(&p, "seller_sku"));
  for (i = 0; i < ARRAY_LEN(payloads); i++) {
    j = lz_json_param(&p, payloads[i], &why);
    lz_describe_product(lz_product(j), info);
    cJSON_Delete(j);
  }
  j = lz_json_param(&p, "sku_seller_list", &why);
  if (cJSON_IsArray(j) && cJSON_IsString(cJSON_GetArrayItem(j, 0)))
    sim_info_note_sku(info, cJSON_GetArrayItem(j, 0)->valuestring);
  cJSON_Delete(j);
  sim_params_free(&p);
}

static char *lz_error_body(const char *code, const char *message,
                           size_t *len) {
  cJSON *o = lz_error_obj(code, message);
  char *s = o ? sim_json_print(o, len) : NULL;

  cJSON_Delete(o);
  return s;
}

/* ------------------------------------------------------------ control -- */

static void lz_add_id_str(cJSON *o, const char *name, int64_t v) {
  char buf[24];

  snprintf(buf, sizeof buf, "%" PRId64, v);
  cJSON_AddStringToObject(o, name, buf);
}

/* The item as the control API shows it: item-level sku, sku_id, price,
 * stock and package_weight are its first SKU's; "variants" lists them all. */
static cJSON *lz_item_ctl_json(const struct lz_item *it) {
  cJSON *o = cJSON_CreateObject(), *img, *vs;
  const struct lz_sku *first = it->nskus ? &it->skus[0] : NULL;
  size_t j;

  lz_add_id_str(o, "item_id", it->id);
  lz_add_id_str(o, "sku_id", first ? first->id : 0);
  cJSON_AddStringToObject(o, "seller_id", lz_accts.v[it->seller].name);
  cJSON_AddStringToObject(o, "sku", first ? first->seller_sku : "");
  cJSON_AddStringToObject(o, "name", it->name ? it->name : "");
  cJSON_AddStringToObject(o, "title", it->name ? it->name : ""); /* alias */
  cJSON_AddStringToObject(o, "description", it->desc ? it->desc : "");
  cJSON_AddStringToObject(o, "brand", it->brand ? it->brand : "");
  sim_json_put(o, "attributes", it->attrs ? cJSON_Duplicate(it->attrs, 1) : cJSON_CreateObject());
  sim_json_add_int(o, "price", first ? first->price : 0);
  sim_json_add_int(o, "stock", first ? first->qty : 0);
  cJSON_AddStringToObject(o, "status", it->active ? "active" : "inactive");
  if (it->category)
    cJSON_AddStringToObject(o, "category_id", it->category);
  img = it->images ? cJSON_Duplicate(it->images, 1) : cJSON_CreateArray();
  sim_json_put(o, "images", img);
  cJSON_AddStringToObject(o, "package_weight",
                          first && first->pkg[0] ? first->pkg[0] : "0.5");
  if (it->var_name)
    cJSON_AddStringToObject(o, "variation", it->var_name);
  vs = cJSON_AddArrayToObject(o, "variants");
  for (j = 0; j < it->nskus; j++) {
    const struct lz_sku *k = &it->skus[j];
    cJSON *v = cJSON_CreateObject();

    cJSON_AddStringToObject(v, "sku", k->seller_sku);
    lz_add_id_str(v, "id", k->id);
    cJSON_AddStringToObject(v, "label", k->opt ? k->opt : "");
    sim_json_add_int(v, "price", k->price);
    sim_json_add_int(v, "stock", k->qty);
    cJSON_AddStringToObject(v, "status", k->active && it->active ? "active" : "inactive");
    sim_json_push(vs, v);
  }
  sim_json_add_int(o, "create_time_ms", it->created_ms);
  sim_json_add_int(o, "update_time_ms", it->updated_ms);
  return o;
}

static void lz_ctl_items(const struct sim_req *req, struct sim_resp *resp) {
  const char *q = sim_query(req, "seller_id");
  const struct sim_acct *s = NULL;
  cJSON *o, *list;
  size_t i;

  if (q && *q && !(s = sim_acct_find(&lz_accts, q))) {
    sim_ctl_error(resp, 404, "seller %s is not known", q);
    return;
  }
  o = sim_ctl_listing("items", &list);
  for (i = 0; i < L.nitems; i++) {
    cJSON *e;

    if (s && L.items[i].seller != sim_acct_index(&lz_accts, s))
      continue;
    e = lz_item_ctl_json(&L.items[i]);
    sim_json_push(list, e);
  }
  sim_ctl_ok(resp, o);
}

/* One SKU of a seeded item from {sku, label?, price, stock}; NULL or why. */
static const char *lz_ctl_sku(const cJSON *o, struct lz_dsku *d, char *err, size_t n) {
  memset(d, 0, sizeof d[0]);
  d->active = 1;
  if (!(d->seller_sku = sim_ctl_str(o, "sku", LZ_SKU_MAX, err, n)) ||
      sim_ctl_int(o, "price", 1, LZ_MONEY_MAX, -1, &d->price, err, n) ||
      sim_ctl_int(o, "stock", 0, INT32_MAX, 0, &d->qty, err, n))
    return err;
  d->opt = sim_json_str(o, "label");
  return NULL;
}

/*
 * Puts an item straight into a seller's shop: {seller_id, sku, name,
 * description?, price, stock, status?} for one SKU, or with "variants":
 * [{sku, label, price, stock}] (and "variation", default "Quy cách") for
 * several; the SKUs' labels are the options of the sale property.
 */
static void lz_ctl_item(const struct sim_req *req, struct sim_resp *resp) {
  struct sim_acct *s = sim_acct_arg(&lz_accts, req, resp);
  const char *st = sim_json_str(req->json, "status");
  const cJSON *vars = lz_get(req->json, "variants"), *e;
  struct lz_refusal r = {NULL, ""};
  struct lz_fields f;
  struct lz_draft d;
  struct lz_item *it;
  char err[LZ_ERRTXT];
  size_t me, j;
  cJSON *o;

  if (!s)
    return;
  me = sim_acct_index(&lz_accts, s);
  memset(&f, 0, sizeof f);
  memset(&d, 0, sizeof d);
  if (!(f.name = sim_ctl_str(req->json, "name", 1024, err, sizeof err)) ||
      (!vars && lz_ctl_sku(req->json, &d.s[d.n++], err, sizeof err))) {
    sim_ctl_error(resp, 400, "%s", err);
    return;
  }
  if (vars && (!cJSON_IsArray(vars) || cJSON_GetArraySize(vars) < 1 ||
               cJSON_GetArraySize(vars) > LZ_BATCH_MAX)) {
    sim_ctl_error(resp, 400, "variants must be an array of 1 to 50 SKUs");
    return;
  }
  cJSON_ArrayForEach(e, vars) {
    if (lz_ctl_sku(e, &d.s[d.n++], err, sizeof err)) {
      sim_ctl_error(resp, 400, "variants: %s", err);
      return;
    }
  }
  if (st && strcmp(st, "active") != 0 && strcmp(st, "inactive") != 0) {
    sim_ctl_error(resp, 400, "status must be active or inactive");
    return;
  }
  for (j = 0; j < d.n; j++)
    if (lz_sku_fresh(me, &d, j, d.s[j].seller_sku, &r)) {
      sim_ctl_error(resp, 400, "%s", r.msg);
      return;
    }
  if (d.n > 1) {
    d.var_name = sim_json_str(req->json, "variation");
    if (!d.var_name)
      d.var_name = "Quy cách";
    d.var_custom = 1;
  }
  for (j = 0; j < d.n; j++)
    if (!d.var_name)
      d.s[j].opt = NULL;
  if (lz_draft_check(&d, NULL, &r)) {
    sim_ctl_error(resp, 400, "%s", r.msg);
    return;
  }
  f.desc = sim_json_str(req->json, "description");
  it = lz_item_new(me, req->now_ms);
  if (!it || !(it = lz_item_keep(it, lz_item_apply(it, &f, req->now_ms) == 0 &&
                                         lz_draft_commit(it, &d) == 0))) {
    sim_ctl_error(resp, 400, "too many items");
    return;
  }
  it->active = !st || strcmp(st, "active") == 0;
  o = cJSON_CreateObject();
  lz_add_id_str(o, "item_id", it->id);
  lz_add_id_str(o, "sku_id", it->skus[0].id);
  sim_ctl_ok(resp, o);
}

/* Every /image/upload answered, oldest first: {shop, hash_code, url,
 * bytes, sha256}; ?seller_id= keeps one seller's. */
static void lz_ctl_uploads(const struct sim_req *req, struct sim_resp *resp) {
  const char *q = sim_query(req, "seller_id");
  const struct sim_acct *s = NULL;
  cJSON *o, *list;
  size_t i;

  if (q && *q && !(s = sim_acct_find(&lz_accts, q))) {
    sim_ctl_error(resp, 404, "seller %s is not known", q);
    return;
  }
  o = sim_ctl_listing("uploads", &list);
  for (i = 0; i < LU.n; i++) {
    const struct lz_upload *u = &LU.v[i];
    cJSON *e;

    if (s && u->seller != sim_acct_index(&lz_accts, s))
      continue;
    e = cJSON_CreateObject();
    cJSON_AddStringToObject(e, "shop", lz_accts.v[u->seller].name);
    cJSON_AddStringToObject(e, "hash_code", u->hash);
    cJSON_AddStringToObject(e, "url", u->url);
    sim_json_add_int(e, "bytes", (int64_t)u->bytes);
    cJSON_AddStringToObject(e, "sha256", u->sha);
    sim_json_push(list, e);
  }
  sim_ctl_ok(resp, o);
}

/* {"max_offset": N}: a low limit lets a test reach it with few orders. */
static void lz_ctl_config(const struct sim_req *req, struct sim_resp *resp) {
  char err[LZ_ERRTXT];
  int64_t v;

  if (sim_ctl_int(req->json, "max_offset", 0, INT32_MAX, lz_max_offset, &v, err,
                  sizeof err)) {
    sim_ctl_error(resp, 400, "%s", err);
    return;
  }
  lz_max_offset = v;
  sim_ctl_ok(resp, NULL);
}

static const struct sim_ctl_call lz_ctls[] = {
    {"item", "POST", lz_ctl_item, NULL},
    {"items", "GET", lz_ctl_items, NULL},
    {"uploads", "GET", lz_ctl_uploads, NULL},
    {"config", "POST", lz_ctl_config, NULL},
};

static void lz_control(const char *sub, const struct sim_req *req,
                       struct sim_resp *resp) {
  if (sim_orders_control(&lz_order_ops, sub, req, resp) ||
      sim_acct_control(&lz_accts, sub, req, resp) ||
      sim_ctl_run(lz_ctls, ARRAY_LEN(lz_ctls), NULL, sub, req, resp))
    return;
  sim_ctl_unknown("lazada", sub, resp);
}

/* --------------------------------------------------------- seed/reset -- */

static int lz_seed(const cJSON *doc, char *err, size_t n) {
  return sim_acct_seed(&lz_accts, doc, err, n);
}

static void lz_reset(void) {
  size_t i;

  sim_acct_clear(&lz_accts);
  for (i = 0; i < L.nitems; i++)
    lz_item_free(&L.items[i]);
  free(L.items);
  memset(&L, 0, sizeof L);
  sim_orders_clear(&lz_orders);
  free(LU.v);
  memset(&LU, 0, sizeof LU);
  lz_max_offset = LZ_MAX_OFFSET;
}

const struct sim_market sim_lazada_market = {
    .name = "lazada",
    .prefix = "/rest/",
    .more_prefixes = NULL,
    .param_error = "InvalidParameter",
    .reset = lz_reset,
    .seed = lz_seed,
    .describe = lz_describe,
    .handle = lz_handle,
    .control = lz_control,
    .error_body = lz_error_body,
};
