/*
 * sim_shopee.c — the simulated Shopee Open Platform v2.
 *
 * Every function here runs with the core's state mutex held (sim.h), so the
 * state is plain file-static data.
 *
 * HTTP status policy: business errors are HTTP 200 with the code in the
 * body, as Shopee does. The signature/authorization family (error_sign,
 * error_auth, invalid_acceess_token, invalid_code) is HTTP 403, an unknown
 * path 404, the built-in rate limit 429. A connector therefore has to read
 * the body's `error` whatever the status, which is what real traffic needs.
 *
 * Allocation failures while building a reply leave a field out instead of
 * failing the call: cJSON ignores additions to a NULL container, so nothing
 * crashes, and the simulator never runs where memory is that short.
 */
#include "sim_shopee.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sim_ctl.h"
#include "sim_dec.h"
#include "sim_form.h"
#include "sim_info.h"
#include "sim_json.h"
#include "sim_orders.h"
#include "sim_str.h"
#include "sim_tok.h"

#define SHOPEE_SKEW_S 300                 /* timestamp tolerance */
#define SHOPEE_ACCESS_TTL_S 14400         /* 4 h */
#define SHOPEE_REFRESH_TTL_S (30 * 86400) /* 30 days */
#define SHOPEE_GRACE_S 300                /* old access token after refresh */
#define SHOPEE_CODE_TTL_S 600
#define SHOPEE_CODES_MAX 10000
#define SHOPEE_ITEMS_MAX 2000000
#define SHOPEE_FIRST_ITEM INT64_C(800000001)
#define SHOPEE_FIRST_MODEL INT64_C(5000000001)
#define SHOPEE_MODELS_MAX 50  /* models of one item */
#define SHOPEE_OPTIONS_MAX 50 /* options of its one tier */
#define SHOPEE_NAME_MAX 120 /* code points */
#define SHOPEE_BATCH_MAX 50
#define SHOPEE_PAGE_MAX 100
#define SHOPEE_KEY_MAX 512 /* partner keys and tokens */
#define SHOPEE_TTL_MAX (10 * 365 * 86400)
#define SHOPEE_ERRTXT 256

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

struct shopee_partner {
  int64_t id;
  char *key;
};

struct shopee_shop {
  int64_t id, partner_id;
  struct sim_tok tok; /* tokens and rate limit */
};

struct shopee_code {
  char code[33];
  int64_t shop_id, partner_id, exp;
};

/* One model (variation) of an item: its option in the tier, seller SKU,
 * price and stock. */
struct shopee_model {
  int64_t id, tier;
  char *sku;
  int64_t price, stock;
};

struct shopee_item {
  int64_t id, shop_id;
  char *name, *description, *sku, *condition; /* sku, condition may be NULL */
  int64_t price, stock, category_id;
  double weight;
  int unlisted;
  cJSON *image, *logistic, *attrs, *brand, *dimension; /* copies of what was sent */
  int64_t create_time, update_time;
  /* Variation: tier_name NULL and no options for an item without models;
   * then price and stock above are the item's own. */
  char *tier_name;
  char *options[SHOPEE_OPTIONS_MAX];
  size_t noptions;
  struct shopee_model models[SHOPEE_MODELS_MAX];
  size_t nmodels;
};

/* An image media_space/upload_image stored: the partner's, by its id. */
struct shopee_upload {
  int64_t partner_id;
  char id[40];
  char url[96];
  size_t bytes;
  char sha256[65];
};

static struct {
  struct shopee_partner *partners;
  size_t npartners, cap_partners;
  struct shopee_shop *shops;
  size_t nshops, cap_shops;
  struct shopee_code *codes;
  size_t ncodes, cap_codes;
  struct shopee_item *items; /* items[i].id == SHOPEE_FIRST_ITEM + i */
  size_t nitems, cap_items;
  int64_t next_model; /* 0: SHOPEE_FIRST_MODEL next */
  struct shopee_upload *uploads;
  size_t nuploads, cap_uploads;
} S;

/* One marketplace call in progress. */
struct shopee_call {
  const struct sim_req *req;
  struct sim_resp *resp;
  struct sim_call_info *info;
  const struct shopee_partner *partner;
  struct shopee_shop *shop; /* shop-level calls only */
  int64_t now;              /* unix seconds */
};

/* ------------------------------------------------------------ lookups -- */

static struct shopee_partner *shopee_partner_find(int64_t id) {
  size_t i;

  for (i = 0; i < S.npartners; i++)
    if (S.partners[i].id == id)
      return &S.partners[i];
  return NULL;
}

static struct shopee_shop *shopee_shop_find(int64_t id) {
  size_t i;

  for (i = 0; i < S.nshops; i++)
    if (S.shops[i].id == id)
      return &S.shops[i];
  return NULL;
}

/* Ids are dense, so an id is an index. */
static struct shopee_item *shopee_item_find(int64_t id) {
  if (id < SHOPEE_FIRST_ITEM || id - SHOPEE_FIRST_ITEM >= (int64_t)S.nitems)
    return NULL;
  return &S.items[id - SHOPEE_FIRST_ITEM];
}

/* A positive decimal of at most 18 digits (so it cannot overflow). */
static int shopee_digits(const char *s, int64_t *out) {
  return sim_dec_digits(s, 18, out);
}

/* Parses "1,2,3" into ids; the count, or -1 when malformed or too many. */
static int shopee_id_list(const char *s, int64_t *ids, int max) {
  char buf[24];
  int n = 0;

  if (!s || !*s)
    return -1;
  for (;;) {
    size_t len = strcspn(s, ",");

    if (len == 0 || len >= sizeof buf || n >= max)
      return -1;
    memcpy(buf, s, len);
    buf[len] = '\0';
    if (shopee_digits(buf, &ids[n++]))
      return -1;
    if (s[len] == '\0')
      return n;
    s += len + 1;
  }
}

static const char *shopee_status_name(const struct shopee_item *it) {
  return it->unlisted ? "UNLIST" : "NORMAL";
}

/* ----------------------------------------------------------- replies -- */

static int shopee_http_status(const char *code) {
  static const char *const forbidden[] = {
      "error_sign", "error_auth", "invalid_acceess_token", "invalid_code"};
  size_t i;

  for (i = 0; i < ARRAY_LEN(forbidden); i++)
    if (strcmp(code, forbidden[i]) == 0)
      return 403;
  if (strcmp(code, "error_not_found") == 0)
    return 404;
  if (strcmp(code, "error_rate_limit") == 0)
    return 429;
  if (strcmp(code, "error_inner") == 0)
    return 500;
  return 200;
}

/* {"error","message","request_id"} with a fresh request id. */
static cJSON *shopee_envelope(const char *code, const char *message) {
  char rid[SIM_REQID_LEN + 1];
  cJSON *o = cJSON_CreateObject();

  sim_request_id(rid);
  if (o && cJSON_AddStringToObject(o, "error", code) &&
      cJSON_AddStringToObject(o, "message", message) &&
      cJSON_AddStringToObject(o, "request_id", rid))
    return o;
  cJSON_Delete(o);
  return NULL;
}

static void shopee_fail(struct shopee_call *c, const char *code,
                        const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void shopee_fail(struct shopee_call *c, const char *code,
                        const char *fmt, ...) {
  char msg[SHOPEE_ERRTXT * 2];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(msg, sizeof msg, fmt, ap);
  va_end(ap);
  snprintf(c->info->error, sizeof c->info->error, "%s", code);
  sim_resp_json(c->resp, shopee_http_status(code), shopee_envelope(code, msg));
}

static void shopee_param(struct shopee_call *c, const char *detail) {
  shopee_fail(c, "error_param", "Wrong parameters, detail: %s.", detail);
}

/* The success envelope around `response` (taken over). */
static void shopee_ok(struct shopee_call *c, cJSON *response,
                      const char *warning) {
  cJSON *o = shopee_envelope("", "");

  if (!o || !response ||
      !cJSON_AddStringToObject(o, "warning", warning ? warning : "") ||
      !cJSON_AddItemToObject(o, "response", response)) {
    cJSON_Delete(o);
    cJSON_Delete(response);
    shopee_fail(c, "error_inner", "out of memory");
    return;
  }
  c->info->error[0] = '\0';
  sim_resp_json(c->resp, 200, o);
}

/* A new object appended to `arr`; NULL (and nothing leaked) on failure. */
static cJSON *shopee_push_obj(cJSON *arr) {
  cJSON *o = cJSON_CreateObject();

  if (o && !cJSON_AddItemToArray(arr, o)) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* Shopee prints prices as floats ("150000.0"); so do we, so that a
 * connector that reads them as integers finds out here. */
static void shopee_add_money(cJSON *o, const char *name, int64_t v) {
  char buf[32];
  cJSON *n;

  snprintf(buf, sizeof buf, "%" PRId64 ".0", v);
  n = cJSON_CreateRaw(buf);
  sim_json_put(o, name, n);
}

static void shopee_push_failure(cJSON *arr, const char *idname, int64_t id,
                                const char *why) {
  cJSON *o = shopee_push_obj(arr);

  sim_json_add_int(o, idname, id);
  cJSON_AddStringToObject(o, "failed_reason", why);
}

/* --------------------------------------------------------- signature -- */

/* True when `sign` is the lowercase hex HMAC-SHA256 of the concatenated
 * parts under `key` (its ASCII bytes, never hex-decoded). */
static int shopee_sign_ok(const char *key, const char *const *parts, int n,
                          const char *sign) {
  static const char hexd[] = "0123456789abcdef";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0, k;
  char hex[65], *base;
  size_t len = 0, off = 0;
  int i, ok = 0;

  if (strlen(sign) != 64)
    return 0;
  for (i = 0; i < n; i++)
    len += strlen(parts[i]);
  base = malloc(len + 1);
  if (!base)
    return 0;
  for (i = 0; i < n; i++) {
    size_t l = strlen(parts[i]);

    memcpy(base + off, parts[i], l);
    off += l;
  }
  if (HMAC(EVP_sha256(), key, (int)strlen(key), (const unsigned char *)base,
           len, md, &mdlen) &&
      mdlen == 32) {
    for (k = 0; k < mdlen; k++) {
      hex[2 * k] = hexd[md[k] >> 4];
      hex[2 * k + 1] = hexd[md[k] & 15];
    }
    /* Constant time, so response timing says nothing about the key. */
    ok = CRYPTO_memcmp(hex, sign, 64) == 0;
  }
  free(base);
  return ok;
}

/* ---------------------------------------------------- authentication -- */

static int shopee_check_partner(struct shopee_call *c, const char *pid_s) {
  int64_t pid;

  if (shopee_digits(pid_s, &pid) || pid <= 0) {
    shopee_param(c, "partner_id is missing or not a number");
    return -1;
  }
  c->partner = shopee_partner_find(pid);
  if (!c->partner) {
    shopee_fail(c, "error_auth", "Invalid partner_id.");
    return -1;
  }
  return 0;
}

static int shopee_check_time(struct shopee_call *c, const char *ts_s) {
  int64_t ts;

  if (!ts_s || strlen(ts_s) > 12 || shopee_digits(ts_s, &ts)) {
    shopee_fail(c, "error_param", "Invalid timestamp");
    return -1;
  }
  if (ts > c->now + SHOPEE_SKEW_S || ts < c->now - SHOPEE_SKEW_S) {
    shopee_fail(c, "error_param", "Timestamp is expired");
    return -1;
  }
  return 0;
}

static int shopee_check_shop(struct shopee_call *c, const char *tok,
                             int64_t shop_id) {
  struct shopee_shop *s = shopee_shop_find(shop_id);

  if (!s || !sim_tok_valid(&s->tok, tok, c->now)) {
    shopee_fail(c, "invalid_acceess_token", "Invalid access_token.");
    return -1;
  }
  if (s->partner_id != c->partner->id) {
    shopee_fail(c, "error_auth",
                "Shop %" PRId64 " is not linked to partner %" PRId64 ".",
                shop_id, c->partner->id);
    return -1;
  }
  c->shop = s;
  return 0;
}

/*
 * The checks in Shopee's order. For a shop call the presence of access_token
 * and shop_id is checked before the signature, which covers both.
 */
static int shopee_authenticate(struct shopee_call *c, const char *path,
                               int shop_call) {
  const struct sim_req *r = c->req;
  const char *pid = sim_query(r, "partner_id"), *ts = sim_query(r, "timestamp");
  const char *sign = sim_query(r, "sign"), *tok = NULL, *sid = NULL;
  const char *parts[5];
  int64_t shop_id = 0;

  if (shopee_check_partner(c, pid) || shopee_check_time(c, ts))
    return -1;
  if (!sign || !*sign) {
    shopee_param(c, "sign is missing");
    return -1;
  }
  if (shop_call) {
    tok = sim_query(r, "access_token");
    sid = sim_query(r, "shop_id");
    if (!tok || !*tok || shopee_digits(sid, &shop_id) || shop_id <= 0) {
      shopee_param(c, "access_token and shop_id are required");
      return -1;
    }
  }
  parts[0] = pid;
  parts[1] = path;
  parts[2] = ts;
  parts[3] = tok;
  parts[4] = sid;
  if (!shopee_sign_ok(c->partner->key, parts, shop_call ? 5 : 3, sign)) {
    shopee_fail(c, "error_sign", "Wrong sign.");
    return -1;
  }
  return shop_call ? shopee_check_shop(c, tok, shop_id) : 0;
}

/* Token bucket per shop; off until the control API turns it on. */
static int shopee_rate_limited(struct shopee_call *c) {
  if (!sim_rate_take(&c->shop->tok.rl, c->req->now_ms))
    return 0;
  shopee_fail(c, "error_rate_limit", "Too many requests, try later.");
  return 1;
}

static int shopee_check_body(struct shopee_call *c) {
  const char *ct = c->req->content_type;

  if (!ct || strncasecmp(ct, "application/json", 16) != 0 ||
      (ct[16] != '\0' && ct[16] != ';' && ct[16] != ' ')) {
    shopee_param(c, "Content-Type must be application/json");
    return -1;
  }
  if (!c->req->json) {
    shopee_fail(c, "error_param", "Wrong parameters, detail: %s.",
                c->req->json_err ? c->req->json_err : "empty body");
    return -1;
  }
  if (!cJSON_IsObject(c->req->json)) {
    shopee_param(c, "the body must be a JSON object");
    return -1;
  }
  return 0;
}

/* ------------------------------------------------------- item fields -- */

/* The add_item/update_item fields, checked but not yet applied. */
struct shopee_fields {
  const char *name, *description, *sku, *condition;
  int64_t price, category_id, stock;
  double weight;
  int has_price, has_category, has_stock, has_weight;
  int status; /* -1 unset, 0 NORMAL, 1 UNLIST */
  const cJSON *image, *logistic, *attrs, *brand, *dimension;
};

typedef int (*shopee_field_fn)(const cJSON *v, struct shopee_fields *f,
                               char *err, size_t n);

static int shopee_f_name(const cJSON *v, struct shopee_fields *f, char *err,
                         size_t n) {
  long len = cJSON_IsString(v)
                 ? sim_utf8_len(v->valuestring, strlen(v->valuestring))
                 : -1;

  if (len <= 0 || len > SHOPEE_NAME_MAX) {
    snprintf(err, n, "item_name must be 1 to %d characters of UTF-8",
             SHOPEE_NAME_MAX);
    return -1;
  }
  f->name = v->valuestring;
  return 0;
}

static int shopee_f_description(const cJSON *v, struct shopee_fields *f,
                                char *err, size_t n) {
  if (!cJSON_IsString(v) || !*v->valuestring ||
      sim_utf8_len(v->valuestring, strlen(v->valuestring)) < 0) {
    snprintf(err, n, "description must be a non-empty UTF-8 string");
    return -1;
  }
  f->description = v->valuestring;
  return 0;
}

static int shopee_f_price(const cJSON *v, struct shopee_fields *f, char *err,
                          size_t n) {
  /* Vietnam takes whole dong only: 150000.5 is refused. */
  if (sim_json_int(v, &f->price) || f->price <= 0) {
    snprintf(err, n, "original_price must be a positive integer for VN");
    return -1;
  }
  f->has_price = 1;
  return 0;
}

static int shopee_f_weight(const cJSON *v, struct shopee_fields *f, char *err,
                           size_t n) {
  if (!cJSON_IsNumber(v) || !isfinite(v->valuedouble) || v->valuedouble <= 0) {
    snprintf(err, n, "weight must be a number above 0");
    return -1;
  }
  f->weight = v->valuedouble;
  f->has_weight = 1;
  return 0;
}

static int shopee_f_category(const cJSON *v, struct shopee_fields *f, char *err,
                             size_t n) {
  if (sim_json_int(v, &f->category_id) || f->category_id <= 0) {
    snprintf(err, n, "category_id must be a positive integer");
    return -1;
  }
  f->has_category = 1;
  return 0;
}

static int shopee_f_image(const cJSON *v, struct shopee_fields *f, char *err,
                          size_t n) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(v, "image_id_list");
  const cJSON *e;

  if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
    goto bad;
  cJSON_ArrayForEach(e, list) {
    if (!cJSON_IsString(e) || !*e->valuestring)
      goto bad;
  }
  f->image = v;
  return 0;
bad:
  snprintf(err, n, "image.image_id_list must be a non-empty array of strings");
  return -1;
}

static int shopee_f_logistic(const cJSON *v, struct shopee_fields *f, char *err,
                             size_t n) {
  const cJSON *e;
  int64_t id;

  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
    goto bad;
  cJSON_ArrayForEach(e, v) {
    if (sim_json_int(cJSON_GetObjectItemCaseSensitive(e, "logistic_id"), &id) ||
        !cJSON_IsBool(cJSON_GetObjectItemCaseSensitive(e, "enabled")))
      goto bad;
  }
  f->logistic = v;
  return 0;
bad:
  snprintf(err, n,
           "logistic_info must be a non-empty array of "
           "{logistic_id, enabled}");
  return -1;
}

static int shopee_f_stock(const cJSON *v, struct shopee_fields *f, char *err,
                          size_t n) {
  const cJSON *e;
  int64_t s, sum = 0;

  if (!cJSON_IsArray(v) || cJSON_GetArraySize(v) == 0)
    goto bad;
  cJSON_ArrayForEach(e, v) {
    if (sim_json_int(cJSON_GetObjectItemCaseSensitive(e, "stock"), &s) ||
        s < 0 || s > INT32_MAX)
      goto bad;
    sum += s;
  }
  f->stock = sum;
  f->has_stock = 1;
  return 0;
bad:
  snprintf(err, n, "seller_stock must be a non-empty array of {stock >= 0}");
  return -1;
}

static int shopee_f_sku(const cJSON *v, struct shopee_fields *f, char *err,
                        size_t n) {
  if (!cJSON_IsString(v) || strlen(v->valuestring) > SIM_SKU_MAX ||
      sim_utf8_len(v->valuestring, strlen(v->valuestring)) < 0) {
    snprintf(err, n, "item_sku must be a UTF-8 string of at most %d bytes",
             SIM_SKU_MAX);
    return -1;
  }
  f->sku = v->valuestring;
  return 0;
}

static int shopee_f_status(const cJSON *v, struct shopee_fields *f, char *err,
                           size_t n) {
  const char *s = cJSON_IsString(v) ? v->valuestring : "";

  if (strcmp(s, "NORMAL") == 0) {
    f->status = 0;
  } else if (strcmp(s, "UNLIST") == 0) {
    f->status = 1;
  } else {
    snprintf(err, n, "item_status must be NORMAL or UNLIST");
    return -1;
  }
  return 0;
}

static int shopee_f_attrs(const cJSON *v, struct shopee_fields *f, char *err,
                          size_t n) {
  const cJSON *e;

  if (!cJSON_IsArray(v))
    goto bad;
  cJSON_ArrayForEach(e, v) {
    if (!cJSON_IsObject(e))
      goto bad;
  }
  f->attrs = v;
  return 0;
bad:
  snprintf(err, n, "attribute_list must be an array of objects");
  return -1;
}

static int shopee_f_brand(const cJSON *v, struct shopee_fields *f, char *err,
                          size_t n) {
  if (!cJSON_IsObject(v)) {
    snprintf(err, n, "brand must be an object");
    return -1;
  }
  f->brand = v;
  return 0;
}

/* dimension is optional, but all three sizes (whole cm) when sent. */
static int shopee_f_dimension(const cJSON *v, struct shopee_fields *f, char *err, size_t n) {
  static const char *const keys[] = {"package_length", "package_width", "package_height"};
  int64_t x;
  size_t i;

  for (i = 0; i < ARRAY_LEN(keys); i++)
    if (sim_json_int(cJSON_GetObjectItemCaseSensitive(v, keys[i]), &x) || x <= 0) {
      snprintf(err, n, "dimension needs package_length, package_width and package_height");
      return -1;
    }
  f->dimension = v;
  return 0;
}

static int shopee_f_condition(const cJSON *v, struct shopee_fields *f,
                              char *err, size_t n) {
  const char *s = cJSON_IsString(v) ? v->valuestring : "";

  if (strcmp(s, "NEW") != 0 && strcmp(s, "USED") != 0) {
    snprintf(err, n, "condition must be NEW or USED");
    return -1;
  }
  f->condition = s;
  return 0;
}

static const struct shopee_field {
  const char *name;
  int required; /* on add_item */
  int updates;  /* update_item changes it (price and stock have own calls) */
  shopee_field_fn check;
} shopee_field_tab[] = {
    {"item_name", 1, 1, shopee_f_name},
    {"description", 1, 1, shopee_f_description},
    {"original_price", 1, 0, shopee_f_price},
    {"weight", 1, 1, shopee_f_weight},
    {"category_id", 1, 1, shopee_f_category},
    {"image", 1, 1, shopee_f_image},
    {"logistic_info", 1, 1, shopee_f_logistic},
    {"seller_stock", 0, 0, shopee_f_stock},
    {"item_sku", 0, 1, shopee_f_sku},
    {"item_status", 0, 1, shopee_f_status},
    {"attribute_list", 0, 1, shopee_f_attrs},
    {"brand", 0, 1, shopee_f_brand},
    {"condition", 0, 1, shopee_f_condition},
    {"dimension", 0, 1, shopee_f_dimension},
};

/* Checks every field before anything changes, so a bad call changes nothing. */
static int shopee_fields_read(const cJSON *body, int adding,
                              struct shopee_fields *f, char *err, size_t n) {
  size_t i;

  memset(f, 0, sizeof *f);
  f->status = -1;
  for (i = 0; i < ARRAY_LEN(shopee_field_tab); i++) {
    const struct shopee_field *d = &shopee_field_tab[i];
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(body, d->name);

    if (!adding && !d->updates)
      continue;
    if (!v || cJSON_IsNull(v)) {
      if (adding && d->required) {
        snprintf(err, n, "%s is required", d->name);
        return -1;
      }
      continue;
    }
    if (d->check(v, f, err, n))
      return -1;
  }
  return 0;
}

static void shopee_take_json(cJSON **dst, cJSON **src) {
  if (*src) {
    cJSON_Delete(*dst);
    *dst = *src;
    *src = NULL;
  }
}

static cJSON *shopee_dup_json(const cJSON *v, int *failed) {
  cJSON *d = v ? cJSON_Duplicate(v, 1) : NULL;

  if (v && !d)
    *failed = 1;
  return d;
}

/* Applies checked fields: all copies are made first, so a failed copy
 * leaves the item as it was. */
static int shopee_item_apply(struct shopee_item *it,
                             const struct shopee_fields *f, int64_t now) {
  int failed = 0;
  char *name = sim_str_dup(f->name, &failed);
  char *desc = sim_str_dup(f->description, &failed);
  char *sku = sim_str_dup(f->sku, &failed);
  char *cond = sim_str_dup(f->condition, &failed);
  cJSON *image = shopee_dup_json(f->image, &failed);
  cJSON *logistic = shopee_dup_json(f->logistic, &failed);
  cJSON *attrs = shopee_dup_json(f->attrs, &failed);
  cJSON *brand = shopee_dup_json(f->brand, &failed);
  cJSON *dimension = shopee_dup_json(f->dimension, &failed);

  if (failed)
    goto out;
  sim_str_take(&it->name, &name);
  sim_str_take(&it->description, &desc);
  sim_str_take(&it->sku, &sku);
  sim_str_take(&it->condition, &cond);
  shopee_take_json(&it->image, &image);
  shopee_take_json(&it->logistic, &logistic);
  shopee_take_json(&it->attrs, &attrs);
  shopee_take_json(&it->brand, &brand);
  shopee_take_json(&it->dimension, &dimension);
  if (f->has_price)
    it->price = f->price;
  if (f->has_stock)
    it->stock = f->stock;
  if (f->has_weight)
    it->weight = f->weight;
  if (f->has_category)
    it->category_id = f->category_id;
  if (f->status >= 0)
    it->unlisted = f->status;
  it->update_time = now;
out:
  free(name), free(desc), free(sku), free(cond);
  cJSON_Delete(image), cJSON_Delete(logistic), cJSON_Delete(attrs);
  cJSON_Delete(brand), cJSON_Delete(dimension);
  return failed ? -1 : 0;
}

static void shopee_tier_clear(struct shopee_item *it);

static void shopee_item_free(struct shopee_item *it) {
  shopee_tier_clear(it);
  free(it->name), free(it->description), free(it->sku), free(it->condition);
  cJSON_Delete(it->image), cJSON_Delete(it->logistic);
  cJSON_Delete(it->attrs), cJSON_Delete(it->brand), cJSON_Delete(it->dimension);
}

/* Creates an item from checked fields; its id, or -1. */
static int64_t shopee_item_create(int64_t shop_id,
                                  const struct shopee_fields *f, int64_t now) {
  struct shopee_item *it;

  if (S.nitems >= SHOPEE_ITEMS_MAX ||
      sim_grow((void **)&S.items, &S.cap_items, S.nitems + 1, sizeof *S.items))
    return -1;
  it = &S.items[S.nitems];
  memset(it, 0, sizeof *it);
  it->id = SHOPEE_FIRST_ITEM + (int64_t)S.nitems;
  it->shop_id = shop_id;
  it->create_time = now;
  if (shopee_item_apply(it, f, now)) {
    shopee_item_free(it);
    return -1;
  }
  S.nitems++;
  return it->id;
}

/* --------------------------------------------------- item endpoints -- */

static void shopee_add_price_info(cJSON *o, int64_t price) {
  cJSON *p = shopee_push_obj(cJSON_AddArrayToObject(o, "price_info"));

  cJSON_AddStringToObject(p, "currency", "VND");
  shopee_add_money(p, "original_price", price);
  shopee_add_money(p, "current_price", price);
}

/* The echo add_item and update_item answer with. */
static cJSON *shopee_item_echo(const struct shopee_item *it) {
  cJSON *o = cJSON_CreateObject(), *st;

  sim_json_add_int(o, "item_id", it->id);
  cJSON_AddStringToObject(o, "item_name", it->name);
  cJSON_AddStringToObject(o, "item_sku", it->sku ? it->sku : "");
  cJSON_AddStringToObject(o, "item_status", shopee_status_name(it));
  sim_json_add_int(o, "category_id", it->category_id);
  cJSON_AddNumberToObject(o, "weight", it->weight);
  shopee_add_price_info(o, it->price);
  st = shopee_push_obj(cJSON_AddArrayToObject(o, "seller_stock"));
  sim_json_add_int(st, "stock", it->stock);
  return o;
}

/* The caller's item named by the body's item_id, or NULL after failing. */
static struct shopee_item *shopee_own_item(struct shopee_call *c) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(c->req->json, "item_id");
  struct shopee_item *it;
  int64_t id;

  if (sim_json_int(v, &id)) {
    shopee_param(c, "item_id is required and must be an integer");
    return NULL;
  }
  it = shopee_item_find(id);
  if (!it) {
    shopee_fail(c, "error_item_not_found", "Item %" PRId64 " not found.", id);
    return NULL;
  }
  if (it->shop_id != c->shop->id) {
    shopee_fail(c, "error_item_not_belong_shop",
                "Item %" PRId64 " does not belong to this shop.", id);
    return NULL;
  }
  return it;
}

static int shopee_content_ok(struct shopee_call *c, const struct shopee_fields *f,
                             const struct shopee_item *it);

static void shopee_add_item(struct shopee_call *c) {
  struct shopee_fields f;
  char err[SHOPEE_ERRTXT];
  int64_t id;

  if (shopee_fields_read(c->req->json, 1, &f, err, sizeof err)) {
    shopee_param(c, err);
    return;
  }
  if (shopee_content_ok(c, &f, NULL))
    return;
  id = shopee_item_create(c->shop->id, &f, c->now);
  if (id < 0) {
    shopee_fail(c, "error_inner", "Cannot store the item.");
    return;
  }
  /* The log then ties the created id to the call that made it. */
  if (c->info->nitems == 0)
    c->info->item_ids[c->info->nitems++] = id;
  shopee_ok(c, shopee_item_echo(shopee_item_find(id)), NULL);
}

static void shopee_update_item(struct shopee_call *c) {
  struct shopee_item *it = shopee_own_item(c);
  struct shopee_fields f;
  char err[SHOPEE_ERRTXT];

  if (!it)
    return;
  if (shopee_fields_read(c->req->json, 0, &f, err, sizeof err)) {
    shopee_param(c, err);
    return;
  }
  if (shopee_content_ok(c, &f, it))
    return;
  if (shopee_item_apply(it, &f, c->now)) {
    shopee_fail(c, "error_inner", "Cannot store the item.");
    return;
  }
  shopee_ok(c, shopee_item_echo(it), NULL);
}

/* A batch list: an array of 1..50 entries, else failed. */
static const cJSON *shopee_batch(struct shopee_call *c, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(c->req->json, name);
  char msg[96];
  int n = cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0;

  if (n >= 1 && n <= SHOPEE_BATCH_MAX)
    return v;
  snprintf(msg, sizeof msg, "%s must be an array of 1 to %d entries", name,
           SHOPEE_BATCH_MAX);
  shopee_param(c, msg);
  return NULL;
}

static struct shopee_model *shopee_model_find(struct shopee_item *it, int64_t id);

/* The reason an entry's model cannot be written, or NULL with *m the model
 * (NULL: model 0, the item itself). Model 0 is the item only while it has
 * no models; then only its models' ids are. */
static const char *shopee_model_problem(struct shopee_item *it, const cJSON *e, int64_t *model,
                                        struct shopee_model **m) {
  *model = 0, *m = NULL;
  if (sim_json_int(cJSON_GetObjectItemCaseSensitive(e, "model_id"), model))
    return "model_id is required";
  if (*model == 0)
    return it->nmodels == 0 ? NULL : "model_id 0 is not a model of an item with variations";
  return (*m = shopee_model_find(it, *model)) ? NULL : "model not found";
}

static const char *shopee_stock_sum(const cJSON *list, int64_t *sum) {
  const cJSON *e;
  int64_t s;

  *sum = 0;
  if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
    return "seller_stock is required";
  cJSON_ArrayForEach(e, list) {
    if (sim_json_int(cJSON_GetObjectItemCaseSensitive(e, "stock"), &s))
      return "stock must be an integer";
    if (s < 0)
      return "stock must not be negative";
    if (s > INT32_MAX)
      return "stock is too large";
    *sum += s;
  }
  return NULL;
}

static void shopee_stock_entry(struct shopee_item *it, const cJSON *e,
                               cJSON *ok, cJSON *bad, int64_t now) {
  int64_t model, stock = 0;
  struct shopee_model *m;
  const char *why = shopee_model_problem(it, e, &model, &m);
  cJSON *o;

  if (!why)
    why = shopee_stock_sum(cJSON_GetObjectItemCaseSensitive(e, "seller_stock"),
                           &stock);
  if (why) {
    shopee_push_failure(bad, "model_id", model, why);
    return;
  }
  *(m ? &m->stock : &it->stock) = stock;
  it->update_time = now;
  o = shopee_push_obj(ok);
  sim_json_add_int(o, "model_id", model);
  sim_json_add_int(o, "stock", stock);
}

static void shopee_update_stock(struct shopee_call *c) {
  struct shopee_item *it = shopee_own_item(c);
  const cJSON *list, *e;
  cJSON *r, *ok, *bad;

  if (!it || !(list = shopee_batch(c, "stock_list")))
    return;
  r = cJSON_CreateObject();
  ok = cJSON_AddArrayToObject(r, "success_list");
  bad = cJSON_AddArrayToObject(r, "failure_list");
  cJSON_ArrayForEach(e, list) {
    shopee_stock_entry(it, e, ok, bad, c->now);
  }
  shopee_ok(c, r, NULL);
}

static void shopee_price_entry(struct shopee_item *it, const cJSON *e,
                               cJSON *ok, cJSON *bad, int64_t now) {
  const cJSON *pv = cJSON_GetObjectItemCaseSensitive(e, "original_price");
  int64_t model, price = 0;
  struct shopee_model *m;
  const char *why = shopee_model_problem(it, e, &model, &m);
  cJSON *o;

  if (!why && (sim_json_int(pv, &price) || price <= 0))
    why = "original_price must be a positive integer for VN";
  if (why) {
    shopee_push_failure(bad, "model_id", model, why);
    return;
  }
  *(m ? &m->price : &it->price) = price;
  it->update_time = now;
  o = shopee_push_obj(ok);
  sim_json_add_int(o, "model_id", model);
  sim_json_add_int(o, "original_price", price);
}

static void shopee_update_price(struct shopee_call *c) {
  struct shopee_item *it = shopee_own_item(c);
  const cJSON *list, *e;
  cJSON *r, *ok, *bad;

  if (!it || !(list = shopee_batch(c, "price_list")))
    return;
  r = cJSON_CreateObject();
  ok = cJSON_AddArrayToObject(r, "success_list");
  bad = cJSON_AddArrayToObject(r, "failure_list");
  cJSON_ArrayForEach(e, list) {
    shopee_price_entry(it, e, ok, bad, c->now);
  }
  shopee_ok(c, r, NULL);
}

static void shopee_unlist_entry(struct shopee_call *c, const cJSON *e,
                                cJSON *ok, cJSON *bad) {
  const cJSON *uv = cJSON_GetObjectItemCaseSensitive(e, "unlist");
  struct shopee_item *it;
  int64_t id = 0;
  cJSON *o;

  if (sim_json_int(cJSON_GetObjectItemCaseSensitive(e, "item_id"), &id)) {
    shopee_push_failure(bad, "item_id", 0, "item_id is required");
    return;
  }
  if (!cJSON_IsBool(uv)) {
    shopee_push_failure(bad, "item_id", id, "unlist must be true or false");
    return;
  }
  it = shopee_item_find(id);
  if (!it || it->shop_id != c->shop->id) {
    shopee_push_failure(bad, "item_id", id,
                        it ? "item does not belong to this shop"
                           : "item not found");
    return;
  }
  it->unlisted = cJSON_IsTrue(uv);
  it->update_time = c->now;
  o = shopee_push_obj(ok);
  sim_json_add_int(o, "item_id", id);
  cJSON_AddBoolToObject(o, "unlist", it->unlisted);
}

static void shopee_unlist_item(struct shopee_call *c) {
  const cJSON *list = shopee_batch(c, "item_list"), *e;
  cJSON *r, *ok, *bad;

  if (!list)
    return;
  r = cJSON_CreateObject();
  ok = cJSON_AddArrayToObject(r, "success_list");
  bad = cJSON_AddArrayToObject(r, "failure_list");
  cJSON_ArrayForEach(e, list) {
    shopee_unlist_entry(c, e, ok, bad);
  }
  shopee_ok(c, r, NULL);
}

/* Stock of the item: its own, or its models' sum. */
static int64_t shopee_item_stock(const struct shopee_item *it) {
  int64_t sum = 0;
  size_t i;

  if (it->nmodels == 0)
    return it->stock;
  for (i = 0; i < it->nmodels; i++)
    sum += it->models[i].stock;
  return sum;
}

static cJSON *shopee_item_base(const struct shopee_item *it) {
  cJSON *o = cJSON_CreateObject(), *st, *sum, *ss;
  int64_t stock = shopee_item_stock(it);

  sim_json_add_int(o, "item_id", it->id);
  sim_json_add_int(o, "category_id", it->category_id);
  cJSON_AddStringToObject(o, "item_name", it->name);
  cJSON_AddStringToObject(o, "item_sku", it->sku ? it->sku : "");
  cJSON_AddStringToObject(o, "item_status", shopee_status_name(it));
  sim_json_add_int(o, "create_time", it->create_time);
  sim_json_add_int(o, "update_time", it->update_time);
  cJSON_AddNumberToObject(o, "weight", it->weight);
  /* price_info only for an item without models, as Shopee documents. */
  if (it->nmodels == 0)
    shopee_add_price_info(o, it->price);
  st = cJSON_AddObjectToObject(o, "stock_info_v2");
  sum = cJSON_AddObjectToObject(st, "summary_info");
  sim_json_add_int(sum, "total_available_stock", stock);
  sim_json_add_int(sum, "total_reserved_stock", 0);
  ss = shopee_push_obj(cJSON_AddArrayToObject(st, "seller_stock"));
  sim_json_add_int(ss, "stock", stock);
  cJSON_AddBoolToObject(o, "has_model", it->nmodels > 0);
  return o;
}

static void shopee_get_item_base_info(struct shopee_call *c) {
  int64_t ids[SHOPEE_BATCH_MAX];
  int i, missing = 0;
  int n =
      shopee_id_list(sim_query(c->req, "item_id_list"), ids, SHOPEE_BATCH_MAX);
  char warn[64] = "";
  cJSON *r, *list;

  if (n <= 0) {
    shopee_param(c, "item_id_list must hold 1 to 50 item ids");
    return;
  }
  r = cJSON_CreateObject();
  list = cJSON_AddArrayToObject(r, "item_list");
  for (i = 0; i < n; i++) {
    const struct shopee_item *it = shopee_item_find(ids[i]);
    cJSON *o;

    /* Another shop's item is as invisible as a missing one. */
    if (!it || it->shop_id != c->shop->id) {
      missing++;
      continue;
    }
    o = shopee_item_base(it);
    sim_json_push(list, o);
  }
  if (missing)
    snprintf(warn, sizeof warn, "%d item(s) not found", missing);
  shopee_ok(c, r, warn);
}

/* An optional decimal query value; -1 when present and malformed. */
static int shopee_query_num(const struct sim_req *r, const char *key,
                            int64_t def, int64_t *out) {
  const char *s = sim_query(r, key);

  *out = def;
  return (s && *s) ? shopee_digits(s, out) : 0;
}

static void shopee_search_item(struct shopee_call *c) {
  const char *sku = sim_query(c->req, "item_sku");
  int64_t offset, size, total = 0, shown = 0;
  cJSON *r, *ids;
  size_t i;

  if (!sku || !*sku) {
    shopee_param(c, "item_sku is required");
    return;
  }
  if (shopee_query_num(c->req, "offset", 0, &offset) ||
      shopee_query_num(c->req, "page_size", -1, &size) || size < 1 ||
      size > SHOPEE_PAGE_MAX) {
    shopee_param(c, "offset must be >= 0 and page_size 1 to 100");
    return;
  }
  r = cJSON_CreateObject();
  ids = cJSON_AddArrayToObject(r, "item_id_list");
  for (i = 0; i < S.nitems; i++) {
    const struct shopee_item *it = &S.items[i];

    if (it->shop_id != c->shop->id || !it->sku || strcmp(it->sku, sku) != 0)
      continue;
    if (total++ >= offset && shown < size && !sim_json_push_int(ids, it->id))
      shown++;
  }
  sim_json_add_int(r, "total_count", total);
  sim_json_add_int(r, "next_offset", offset + shown);
  cJSON_AddBoolToObject(r, "has_next_page", offset + shown < total);
  shopee_ok(c, r, NULL);
}

/* ------------------------------------------------------------- models -- */
/*
 * Variations (see docs/marketplaces/shopee.md, "Variants"): one tier of
 * options, one model per option at most, each model with its own SKU,
 * price and stock. Refused as Shopee refuses: a second init_tier_variation,
 * two tiers, a tier_index out of range or used twice, a model_sku twice on
 * the item, a model for an option that does not exist, deleting the last
 * model, an unknown model_id, model 0 on an item with models.
 */

/* The item's model with that id, or NULL. */
static struct shopee_model *shopee_model_find(struct shopee_item *it, int64_t id) {
  size_t i;

  for (i = 0; i < it->nmodels; i++)
    if (it->models[i].id == id)
      return &it->models[i];
  return NULL;
}

static int shopee_model_sku_used(const struct shopee_item *it, const char *sku) {
  size_t i;

  for (i = 0; sku && *sku && i < it->nmodels; i++)
    if (it->models[i].sku && strcmp(it->models[i].sku, sku) == 0)
      return 1;
  return 0;
}

static int shopee_option_used(const struct shopee_item *it, int64_t tier) {
  size_t i;

  for (i = 0; i < it->nmodels; i++)
    if (it->models[i].tier == tier)
      return 1;
  return 0;
}

static void shopee_tier_clear(struct shopee_item *it) {
  size_t i;

  for (i = 0; i < it->noptions; i++)
    free(it->options[i]);
  for (i = 0; i < it->nmodels; i++)
    free(it->models[i].sku);
  free(it->tier_name);
  it->tier_name = NULL;
  it->noptions = it->nmodels = 0;
}

/* The new tier of a body: tier_variation = [{name, option_list: [{option}]}],
 * exactly one tier, 1..50 distinct non-empty options. Pointers into the
 * body; -1 with err set. */
static int shopee_tier_read(const cJSON *body, const char **name, const char **opts,
                            size_t *n, const char **code, char *err, size_t errlen) {
  const cJSON *tv = cJSON_GetObjectItemCaseSensitive(body, "tier_variation"), *t0, *e;
  size_t i;

  *n = 0, *code = "error_param";
  if (!cJSON_IsArray(tv) || cJSON_GetArraySize(tv) < 1) {
    snprintf(err, errlen, "tier_variation must hold one tier");
    return -1;
  }
  if (cJSON_GetArraySize(tv) > 1) {
    snprintf(err, errlen, "the simulator keeps one tier of variation");
    return -1;
  }
  t0 = cJSON_GetArrayItem(tv, 0);
  *name = sim_json_str(t0, "name");
  if (!*name || !**name) {
    snprintf(err, errlen, "tier_variation[0].name is required");
    return -1;
  }
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(t0, "option_list")) {
    const char *o = sim_json_str(e, "option");

    if (!o || !*o || sim_utf8_len(o, strlen(o)) < 0) {
      snprintf(err, errlen, "option_list[].option must be a non-empty string");
      return -1;
    }
    if (*n >= SHOPEE_OPTIONS_MAX) {
      *code = "error_tier_opt_too_many";
      snprintf(err, errlen, "Count of tier_variation option is larger than %d.",
               SHOPEE_OPTIONS_MAX);
      return -1;
    }
    for (i = 0; i < *n; i++)
      if (strcmp(opts[i], o) == 0) {
        *code = "error_model_duplicate_name";
        snprintf(err, errlen, "Item tier_variation have duplicate name.");
        return -1;
      }
    opts[(*n)++] = o;
  }
  if (*n == 0) {
    snprintf(err, errlen, "tier_variation[0].option_list must hold 1 to %d options",
             SHOPEE_OPTIONS_MAX);
    return -1;
  }
  return 0;
}

/* A model of init_tier_variation / add_model, checked against the item's
 * options (noptions), its models and the ones before it in the list. */
struct shopee_model_in {
  int64_t tier, price, stock;
  const char *sku;
};

static int shopee_model_read(const cJSON *m, const struct shopee_item *it, size_t noptions,
                             const struct shopee_model_in *prev, size_t nprev,
                             struct shopee_model_in *out, const char **code, char *err,
                             size_t errlen) {
  const cJSON *ti = cJSON_GetObjectItemCaseSensitive(m, "tier_index");
  const char *why;
  size_t i;

  *code = "error_param";
  if (!cJSON_IsArray(ti) || cJSON_GetArraySize(ti) != 1 ||
      sim_json_int(cJSON_GetArrayItem(ti, 0), &out->tier)) {
    *code = "error_model_nonempty_itemtier_empty_index";
    snprintf(err, errlen, "Item tier_index is required.");
    return -1;
  }
  if (out->tier < 0 || out->tier >= (int64_t)noptions) {
    *code = "error_model_tier_index_bound";
    snprintf(err, errlen, "Invalid item tier_index.");
    return -1;
  }
  if (sim_json_int(cJSON_GetObjectItemCaseSensitive(m, "original_price"), &out->price) ||
      out->price <= 0) {
    snprintf(err, errlen, "model original_price must be a positive integer for VN");
    return -1;
  }
  if ((why = shopee_stock_sum(cJSON_GetObjectItemCaseSensitive(m, "seller_stock"),
                              &out->stock))) {
    snprintf(err, errlen, "model %s", why);
    return -1;
  }
  out->sku = sim_json_str(m, "model_sku");
  if (out->sku && strlen(out->sku) > SIM_SKU_MAX) {
    snprintf(err, errlen, "model_sku must be at most %d bytes", SIM_SKU_MAX);
    return -1;
  }
  if ((it && shopee_option_used(it, out->tier))) {
    *code = "error_model_duplicate_tier_variation_index";
    snprintf(err, errlen, "Item have duplicate tier_index.");
    return -1;
  }
  if (it && shopee_model_sku_used(it, out->sku)) {
    snprintf(err, errlen, "model_sku %s is already used on this item", out->sku);
    return -1;
  }
  for (i = 0; i < nprev; i++) {
    if (prev[i].tier == out->tier) {
      *code = "error_model_duplicate_tier_variation_index";
      snprintf(err, errlen, "Item have duplicate tier_index.");
      return -1;
    }
    if (out->sku && *out->sku && prev[i].sku && strcmp(prev[i].sku, out->sku) == 0) {
      snprintf(err, errlen, "model_sku %s appears twice", out->sku);
      return -1;
    }
  }
  return 0;
}

/* Reads a model list of 1..limit entries into in[]; -1 after failing c. */
static int shopee_models_read(struct shopee_call *c, const cJSON *list, const struct shopee_item *it,
                              size_t noptions, size_t limit, struct shopee_model_in *in,
                              size_t *n) {
  const cJSON *m;
  const char *code;
  char err[SHOPEE_ERRTXT];

  *n = 0;
  if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) < 1) {
    shopee_param(c, "the model list must hold 1 to 50 models");
    return -1;
  }
  if ((size_t)cJSON_GetArraySize(list) > limit) {
    shopee_fail(c, "error_model_count_over_limit",
                "The count of model is too large. Should be under %d.", SHOPEE_MODELS_MAX);
    return -1;
  }
  cJSON_ArrayForEach(m, list) {
    if (shopee_model_read(m, it, noptions, in, *n, &in[*n], &code, err, sizeof err)) {
      shopee_fail(c, code, "%s", err);
      return -1;
    }
    (*n)++;
  }
  return 0;
}

/* Adds checked models to the item (ids from S.next_model); -1 on OOM with
 * nothing added. */
static int shopee_models_add(struct shopee_item *it, const struct shopee_model_in *in, size_t n) {
  char *skus[SHOPEE_MODELS_MAX];
  int failed = 0;
  size_t i;

  for (i = 0; i < n; i++)
    skus[i] = sim_str_dup(in[i].sku ? in[i].sku : "", &failed);
  if (failed) {
    for (i = 0; i < n; i++)
      free(skus[i]);
    return -1;
  }
  for (i = 0; i < n; i++) {
    struct shopee_model *m = &it->models[it->nmodels++];

    if (S.next_model == 0)
      S.next_model = SHOPEE_FIRST_MODEL;
    m->id = S.next_model++;
    m->tier = in[i].tier;
    m->sku = skus[i];
    m->price = in[i].price;
    m->stock = in[i].stock;
  }
  return 0;
}

static int shopee_options_set(struct shopee_item *it, const char *name, const char **opts,
                              size_t n) {
  char *nm, *o[SHOPEE_OPTIONS_MAX];
  int failed = 0;
  size_t i;

  nm = sim_str_dup(name, &failed);
  for (i = 0; i < n; i++)
    o[i] = sim_str_dup(opts[i], &failed);
  if (failed) {
    free(nm);
    for (i = 0; i < n; i++)
      free(o[i]);
    return -1;
  }
  for (i = 0; i < it->noptions; i++)
    free(it->options[i]);
  free(it->tier_name);
  it->tier_name = nm;
  memcpy(it->options, o, n * sizeof o[0]);
  it->noptions = n;
  return 0;
}

static cJSON *shopee_tier_json(const struct shopee_item *it) {
  cJSON *tv = cJSON_CreateArray(), *t, *ol;
  size_t i;

  if (!it->noptions)
    return tv;
  t = shopee_push_obj(tv);
  cJSON_AddStringToObject(t, "name", it->tier_name);
  ol = cJSON_AddArrayToObject(t, "option_list");
  for (i = 0; i < it->noptions; i++)
    cJSON_AddStringToObject(shopee_push_obj(ol), "option", it->options[i]);
  return tv;
}

/* One model as the writes answer it (full: as get_model_list does). */
static cJSON *shopee_model_json(const struct shopee_item *it, const struct shopee_model *m,
                                int full) {
  cJSON *o = cJSON_CreateObject(), *ti, *p, *st, *sum;

  sim_json_add_int(o, "model_id", m->id);
  ti = cJSON_AddArrayToObject(o, "tier_index");
  sim_json_push_int(ti, m->tier);
  cJSON_AddStringToObject(o, "model_sku", m->sku ? m->sku : "");
  p = shopee_push_obj(cJSON_AddArrayToObject(o, "price_info"));
  if (full)
    cJSON_AddStringToObject(p, "currency", "VND");
  shopee_add_money(p, "original_price", m->price);
  if (full)
    shopee_add_money(p, "current_price", m->price);
  if (!full) {
    sim_json_add_int(shopee_push_obj(cJSON_AddArrayToObject(o, "seller_stock")), "stock",
                     m->stock);
    return o;
  }
  /* An unlisted item's models cannot be bought. */
  cJSON_AddStringToObject(o, "model_status", it->unlisted ? "MODEL_UNAVAILABLE" : "MODEL_NORMAL");
  st = cJSON_AddObjectToObject(o, "stock_info_v2");
  sum = cJSON_AddObjectToObject(st, "summary_info");
  sim_json_add_int(sum, "total_available_stock", m->stock);
  sim_json_add_int(sum, "total_reserved_stock", 0);
  sim_json_add_int(shopee_push_obj(cJSON_AddArrayToObject(st, "seller_stock")), "stock", m->stock);
  return o;
}

/* Answers with the models from index `from` on. */
static void shopee_models_reply(struct shopee_call *c, const struct shopee_item *it, size_t from,
                                int with_tier) {
  cJSON *r = cJSON_CreateObject(), *list;
  size_t i;

  sim_json_add_int(r, "item_id", it->id);
  if (with_tier)
    sim_json_put(r, "tier_variation", shopee_tier_json(it));
  list = cJSON_AddArrayToObject(r, "model");
  for (i = from; i < it->nmodels; i++)
    sim_json_push(list, shopee_model_json(it, &it->models[i], 0));
  shopee_ok(c, r, NULL);
}

/* A success without "response" (update_tier_variation, delete_model). */
static void shopee_ok_bare(struct shopee_call *c) {
  cJSON *o = shopee_envelope("", "");

  if (!o || !cJSON_AddStringToObject(o, "warning", "")) {
    cJSON_Delete(o);
    shopee_fail(c, "error_inner", "out of memory");
    return;
  }
  c->info->error[0] = '\0';
  sim_resp_json(c->resp, 200, o);
}

static void shopee_init_tier_variation(struct shopee_call *c) {
  struct shopee_item *it = shopee_own_item(c);
  struct shopee_model_in in[SHOPEE_MODELS_MAX];
  const char *name, *opts[SHOPEE_OPTIONS_MAX], *code;
  char err[SHOPEE_ERRTXT];
  size_t nopts, n;

  if (!it)
    return;
  if (it->noptions > 0) {
    shopee_fail(c, "error_param", "The level of tier-variation not change.");
    return;
  }
  if (shopee_tier_read(c->req->json, &name, opts, &nopts, &code, err, sizeof err)) {
    shopee_fail(c, code, "%s", err);
    return;
  }
  if (shopee_models_read(c, cJSON_GetObjectItemCaseSensitive(c->req->json, "model"), NULL, nopts,
                         SHOPEE_MODELS_MAX, in, &n))
    return;
  if (shopee_options_set(it, name, opts, nopts) || shopee_models_add(it, in, n)) {
    shopee_tier_clear(it);
    shopee_fail(c, "error_inner", "Cannot store the variation.");
    return;
  }
  it->update_time = c->now;
  shopee_models_reply(c, it, 0, 1);
}

/* model_list (optional): [{model_id, tier_index}] re-points models. */
static int shopee_retier(struct shopee_call *c, struct shopee_item *it, size_t nopts) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(c->req->json, "model_list"), *e;
  size_t i;

  cJSON_ArrayForEach(e, list) {
    const cJSON *ti = cJSON_GetObjectItemCaseSensitive(e, "tier_index");
    int64_t id = 0, tier = -1;

    if (sim_json_int(cJSON_GetObjectItemCaseSensitive(e, "model_id"), &id) ||
        !shopee_model_find(it, id)) {
      shopee_param(c, "model_list[].model_id is not a model of this item");
      return -1;
    }
    if (sim_json_int(cJSON_GetArrayItem(ti, 0), &tier) || tier < 0 || tier >= (int64_t)nopts) {
      shopee_fail(c, "error_model_tier_index_bound", "Invalid item tier_index.");
      return -1;
    }
  }
  cJSON_ArrayForEach(e, list) {
    int64_t id = 0, tier = 0;

    sim_json_int(cJSON_GetObjectItemCaseSensitive(e, "model_id"), &id);
    sim_json_int(cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(e, "tier_index"), 0), &tier);
    shopee_model_find(it, id)->tier = tier;
  }
  for (i = 0; i < it->nmodels; i++)
    if (it->models[i].tier >= (int64_t)nopts) {
      shopee_fail(c, "error_model_tier_index_bound", "Invalid item tier_index.");
      return -1;
    }
  return 0;
}

static void shopee_update_tier_variation(struct shopee_call *c) {
  struct shopee_item *it = shopee_own_item(c);
  const char *name, *opts[SHOPEE_OPTIONS_MAX], *code;
  char err[SHOPEE_ERRTXT];
  size_t nopts;

  if (!it)
    return;
  if (it->noptions == 0) {
    shopee_param(c, "the item has no tier variation: use init_tier_variation");
    return;
  }
  if (shopee_tier_read(c->req->json, &name, opts, &nopts, &code, err, sizeof err)) {
    shopee_fail(c, code, "%s", err);
    return;
  }
  /* Checked before anything changes: a refused call leaves the item. */
  {
    int64_t saved[SHOPEE_MODELS_MAX];
    size_t i;

    for (i = 0; i < it->nmodels; i++)
      saved[i] = it->models[i].tier;
    if (shopee_retier(c, it, nopts)) {
      for (i = 0; i < it->nmodels; i++)
        it->models[i].tier = saved[i];
      return;
    }
    if (shopee_options_set(it, name, opts, nopts)) {
      for (i = 0; i < it->nmodels; i++)
        it->models[i].tier = saved[i];
      shopee_fail(c, "error_inner", "Cannot store the variation.");
      return;
    }
  }
  it->update_time = c->now;
  shopee_ok_bare(c);
}

static void shopee_add_model(struct shopee_call *c) {
  struct shopee_item *it = shopee_own_item(c);
  struct shopee_model_in in[SHOPEE_MODELS_MAX];
  size_t n, from;

  if (!it)
    return;
  if (it->noptions == 0) {
    shopee_param(c, "the item has no tier variation: use init_tier_variation");
    return;
  }
  if (shopee_models_read(c, cJSON_GetObjectItemCaseSensitive(c->req->json, "model_list"), it,
                         it->noptions, SHOPEE_MODELS_MAX - it->nmodels, in, &n))
    return;
  from = it->nmodels;
  if (shopee_models_add(it, in, n)) {
    shopee_fail(c, "error_inner", "Cannot store the models.");
    return;
  }
  it->update_time = c->now;
  shopee_models_reply(c, it, from, 0);
}

static void shopee_delete_model(struct shopee_call *c) {
  struct shopee_item *it = shopee_own_item(c);
  struct shopee_model *m;
  int64_t id;

  if (!it)
    return;
  if (sim_json_int(cJSON_GetObjectItemCaseSensitive(c->req->json, "model_id"), &id)) {
    shopee_param(c, "model_id is required and must be an integer");
    return;
  }
  if (!(m = shopee_model_find(it, id))) {
    shopee_param(c, "model_id is not a model of this item");
    return;
  }
  if (it->nmodels == 1) {
    shopee_fail(c, "error_param", "Item cannot be without model: the last model stays.");
    return;
  }
  free(m->sku);
  memmove(m, m + 1, (size_t)(&it->models[it->nmodels] - (m + 1)) * sizeof *m);
  it->nmodels--;
  it->update_time = c->now;
  shopee_ok_bare(c);
}

static void shopee_get_model_list(struct shopee_call *c) {
  struct shopee_item *it;
  cJSON *r, *list;
  int64_t id;
  size_t i;

  if (shopee_digits(sim_query(c->req, "item_id"), &id)) {
    shopee_param(c, "item_id is required");
    return;
  }
  it = shopee_item_find(id);
  if (!it || it->shop_id != c->shop->id) {
    shopee_fail(c, "error_item_not_found", "Item_id is not found.");
    return;
  }
  r = cJSON_CreateObject();
  sim_json_put(r, "tier_variation", shopee_tier_json(it));
  list = cJSON_AddArrayToObject(r, "model");
  for (i = 0; i < it->nmodels; i++)
    sim_json_push(list, shopee_model_json(it, &it->models[i], 1));
  shopee_ok(c, r, NULL);
}

/* ------------------------------------------------------------- orders -- */

#define SHOPEE_ORDER_SPAN_S (15 * 86400) /* longest get_order_list window */

static struct sim_orders shopee_orders;

/* What a seller SKU names in a shop: a model (its item in *it, the model
 * returned), or an item without models (*it set, NULL returned); *it NULL
 * when nothing. A model's SKU wins over an item's. */
static struct shopee_model *shopee_find_sku(int64_t shop_id, const char *sku,
                                            struct shopee_item **it) {
  size_t i, k;

  *it = NULL;
  for (i = 0; i < S.nitems; i++) {
    struct shopee_item *t = &S.items[i];

    if (t->shop_id != shop_id)
      continue;
    for (k = 0; k < t->nmodels; k++)
      if (t->models[k].sku && strcmp(t->models[k].sku, sku) == 0) {
        *it = t;
        return &t->models[k];
      }
  }
  for (i = 0; i < S.nitems && !*it; i++)
    if (S.items[i].shop_id == shop_id && S.items[i].nmodels == 0 && S.items[i].sku &&
        strcmp(S.items[i].sku, sku) == 0)
      *it = &S.items[i];
  return NULL;
}

/* True when `list` (comma-separated) holds `word`. */
static int shopee_list_has(const char *list, const char *word) {
  size_t n = strlen(word);

  while (list && *list) {
    size_t len = strcspn(list, ",");

    if (len == n && strncmp(list, word, n) == 0)
      return 1;
    list += len + (list[len] == ',');
  }
  return 0;
}

static int shopee_time_arg(struct shopee_call *c, const char *key,
                           int64_t *out) {
  if (shopee_digits(sim_query(c->req, key), out) == 0)
    return 0;
  shopee_param(c, "time_from and time_to must be Unix seconds");
  return -1;
}

/* Reads get_order_list's window; the cursor is an opaque offset. */
static int shopee_order_window(struct shopee_call *c,
                               struct sim_order_query *q, int64_t *size,
                               int64_t *offset) {
  const char *field = sim_query(c->req, "time_range_field");

  if (!field || (strcmp(field, "update_time") != 0 &&
                 strcmp(field, "create_time") != 0)) {
    shopee_param(c, "time_range_field must be create_time or update_time");
    return -1;
  }
  q->by_create = field[0] == 'c';
  if (shopee_time_arg(c, "time_from", &q->from) ||
      shopee_time_arg(c, "time_to", &q->to))
    return -1;
  if (q->to < q->from || q->to - q->from > SHOPEE_ORDER_SPAN_S) {
    shopee_fail(c, "order.order_list_invalid_time",
                "The time range is invalid: time_to - time_from must be "
                "0 to 15 days.");
    return -1;
  }
  if (shopee_query_num(c->req, "page_size", -1, size) || *size < 1 ||
      *size > SHOPEE_PAGE_MAX) {
    shopee_param(c, "page_size must be 1 to 100");
    return -1;
  }
  if (shopee_query_num(c->req, "cursor", 0, offset)) {
    shopee_param(c, "cursor is invalid");
    return -1;
  }
  return 0;
}

static void shopee_order_list(struct shopee_call *c) {
  struct sim_order_query q = {NULL, 0, 0, 0, 1, NULL};
  const char *opt = sim_query(c->req, "response_optional_fields");
  const char *st = sim_query(c->req, "order_status");
  int64_t size, offset, i;
  struct sim_order **v;
  char shop[24], next[24] = "";
  size_t n;
  cJSON *r, *list;

  if (shopee_order_window(c, &q, &size, &offset))
    return;
  snprintf(shop, sizeof shop, "%" PRId64, c->shop->id);
  q.shop = shop;
  q.status = st && *st ? st : NULL;
  if (sim_orders_select(&shopee_orders, &q, &v, &n)) {
    shopee_fail(c, "error_inner", "out of memory");
    return;
  }
  r = cJSON_CreateObject();
  list = cJSON_AddArrayToObject(r, "order_list");
  for (i = offset; i < (int64_t)n && i < offset + size; i++) {
    cJSON *o = shopee_push_obj(list);

    cJSON_AddStringToObject(o, "order_sn", v[i]->id);
    if (shopee_list_has(opt, "order_status"))
      cJSON_AddStringToObject(o, "order_status", v[i]->status);
  }
  if (offset + size < (int64_t)n)
    snprintf(next, sizeof next, "%" PRId64, offset + size);
  cJSON_AddBoolToObject(r, "more", next[0] != '\0');
  cJSON_AddStringToObject(r, "next_cursor", next);
  free(v);
  shopee_ok(c, r, NULL);
}

static void shopee_order_items(cJSON *list, const struct sim_order *o,
                               int64_t shop_id) {
  size_t i;

  for (i = 0; i < o->nlines; i++) {
    const struct sim_order_line *l = &o->lines[i];
    struct shopee_item *it;
    const struct shopee_model *m = shopee_find_sku(shop_id, l->sku, &it);
    cJSON *e = shopee_push_obj(list);

    /* A model's line names the item's own SKU and the model's. */
    sim_json_add_int(e, "item_id", it ? it->id : 0);
    cJSON_AddStringToObject(e, "item_sku", m && it->sku ? it->sku : l->sku);
    sim_json_add_int(e, "model_id", m ? m->id : 0);
    cJSON_AddStringToObject(e, "model_sku", m ? l->sku : "");
    if (!o->malformed)
      sim_json_add_int(e, "model_quantity_purchased", l->qty);
    shopee_add_money(e, "model_original_price", l->price);
    shopee_add_money(e, "model_discounted_price", l->price);
  }
}

static cJSON *shopee_order_json(const struct sim_order *o, int64_t shop_id) {
  cJSON *e = cJSON_CreateObject();

  cJSON_AddStringToObject(e, "order_sn", o->id);
  cJSON_AddStringToObject(e, "order_status", o->status);
  cJSON_AddStringToObject(e, "currency", "VND");
  cJSON_AddFalseToObject(e, "cod");
  shopee_add_money(e, "total_amount", sim_order_total(o));
  sim_json_add_int(e, "create_time", o->create_time);
  sim_json_add_int(e, "update_time", o->update_time);
  sim_json_add_int(e, "pay_time", o->create_time);
  shopee_order_items(cJSON_AddArrayToObject(e, "item_list"), o, shop_id);
  return e;
}

/* get_order_detail: 1..50 order_sn; unknown ones are left out. */
static void shopee_order_detail(struct shopee_call *c) {
  const char *s = sim_query(c->req, "order_sn_list");
  char shop[24], id[SIM_ORDER_ID_MAX + 1];
  const struct sim_order *o;
  cJSON *r, *list, *e;
  int n = 0;

  snprintf(shop, sizeof shop, "%" PRId64, c->shop->id);
  r = cJSON_CreateObject();
  list = cJSON_AddArrayToObject(r, "order_list");
  for (; s; s += strcspn(s, ",") + 1) {
    size_t len = strcspn(s, ",");

    if (len == 0 || len >= sizeof id || ++n > SHOPEE_BATCH_MAX) {
      cJSON_Delete(r);
      shopee_param(c, "order_sn_list must hold 1 to 50 order numbers");
      return;
    }
    memcpy(id, s, len);
    id[len] = '\0';
    o = sim_order_find(&shopee_orders, shop, id);
    if (o && (e = shopee_order_json(o, c->shop->id)) &&
        !cJSON_AddItemToArray(list, e))
      cJSON_Delete(e);
    if (!s[len])
      break;
  }
  if (n == 0) {
    cJSON_Delete(r);
    shopee_param(c, "order_sn_list is required");
    return;
  }
  shopee_ok(c, r, NULL);
}

/* Control "shop": a shop_id as a number or a string of digits. */
static int shopee_order_shop(const cJSON *v, char *key, size_t keylen,
                             char *err, size_t n) {
  int64_t id = 0;

  if (!(cJSON_IsString(v) && shopee_digits(v->valuestring, &id) == 0) &&
      sim_json_int(v, &id) != 0)
    id = 0;
  if (!shopee_shop_find(id)) {
    snprintf(err, n, "shop must name a known shop_id");
    return -1;
  }
  snprintf(key, keylen, "%" PRId64, id);
  return 0;
}

/* order_sn: letters and digits. */
static int shopee_order_id_ok(const char *id) {
  size_t i;

  for (i = 0; id[i]; i++)
    if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'A' && id[i] <= 'Z') ||
          (id[i] >= 'a' && id[i] <= 'z')))
      return 0;
  return i > 0;
}

/* Like Shopee's: the date (YYMMDD, Vietnam time), a serial and letters. */
static void shopee_order_new_id(uint64_t seq, int64_t now, char *out,
                                size_t n) {
  time_t t = (time_t)(now + 7 * 3600);
  struct tm tm;

  gmtime_r(&t, &tm);
  snprintf(out, n, "%02d%02d%02d%07" PRIu64 "%c%c", tm.tm_year % 100,
           tm.tm_mon + 1, tm.tm_mday, seq % 10000000,
           (char)('A' + seq % 26), (char)('A' + (seq / 26) % 26));
}

static void shopee_order_sold(const char *shop, const char *sku,
                              int64_t qty) {
  struct shopee_item *it;
  struct shopee_model *m = shopee_find_sku(strtoll(shop, NULL, 10), sku, &it);
  int64_t *stock = m ? &m->stock : it ? &it->stock : NULL;

  /* Only the variant sold: its model, or the item without models. */
  if (stock)
    *stock = *stock > qty ? *stock - qty : 0;
}

/* Push code 3, order status update. */
static char *shopee_order_push(const struct sim_order *o, int64_t ts,
                               size_t *len) {
  cJSON *m = cJSON_CreateObject(), *d;
  char *s;

  sim_json_add_int(m, "code", 3);
  sim_json_add_int(m, "shop_id", strtoll(o->shop, NULL, 10));
  sim_json_add_int(m, "timestamp", ts);
  d = cJSON_AddObjectToObject(m, "data");
  cJSON_AddStringToObject(d, "ordersn", o->id);
  cJSON_AddStringToObject(d, "status", o->status);
  sim_json_add_int(d, "update_time", o->update_time);
  s = sim_json_print(m, len);
  cJSON_Delete(m);
  return s;
}

/* HMAC-SHA256(partner_key, callback_url + "|" + body). */
static int shopee_order_sign(const char *shop, const char *url,
                             const char *body, size_t len, int bad,
                             char *out) {
  const struct shopee_shop *s = shopee_shop_find(strtoll(shop, NULL, 10));
  const struct shopee_partner *p = s ? shopee_partner_find(s->partner_id) : NULL;
  char *pre, *key;
  int rc;

  if (!p)
    return -1;
  pre = malloc(strlen(url) + 2);
  key = malloc(strlen(p->key) + 8);
  rc = pre && key ? 0 : -1;
  if (!rc) {
    sprintf(pre, "%s|", url);
    sprintf(key, "%s%s", p->key, bad ? "-wrong" : "");
    rc = sim_push_hmac(key, pre, body, len, out);
  }
  free(pre);
  free(key);
  return rc;
}

static const struct sim_order_ops shopee_order_ops = {
    .name = "shopee",
    .store = &shopee_orders,
    .first_unit = 1,
    .shop_key = shopee_order_shop,
    .id_ok = shopee_order_id_ok,
    .new_id = shopee_order_new_id,
    .sold = shopee_order_sold,
    .push_body = shopee_order_push,
    .push_sign = shopee_order_sign,
};

/* ---------------------------------------------------- auth endpoints -- */

static struct shopee_shop *shopee_shop_add(int64_t id) {
  struct shopee_shop *s = shopee_shop_find(id);

  if (s)
    return s;
  if (sim_grow((void **)&S.shops, &S.cap_shops, S.nshops + 1, sizeof *S.shops))
    return NULL;
  s = &S.shops[S.nshops++];
  memset(s, 0, sizeof *s);
  s->id = id;
  s->tok.access_ttl = SHOPEE_ACCESS_TTL_S;
  s->tok.refresh_ttl = SHOPEE_REFRESH_TTL_S;
  return s;
}

/* Token calls carry shop_id and partner_id in the body too; they must
 * agree with the signed query. */
static int shopee_auth_body(struct shopee_call *c, int64_t *shop_id) {
  const cJSON *b = c->req->json;
  int64_t pid;

  if (sim_json_int(cJSON_GetObjectItemCaseSensitive(b, "shop_id"), shop_id) ||
      *shop_id <= 0) {
    shopee_param(c, "shop_id is required");
    return -1;
  }
  if (sim_json_int(cJSON_GetObjectItemCaseSensitive(b, "partner_id"), &pid) ||
      pid != c->partner->id) {
    shopee_param(c, "partner_id in the body must match the query");
    return -1;
  }
  return 0;
}

static void shopee_tokens_reply(struct shopee_call *c,
                                const struct shopee_shop *s, int with_ids) {
  cJSON *o = shopee_envelope("", "");

  cJSON_AddStringToObject(o, "access_token", s->tok.access);
  cJSON_AddStringToObject(o, "refresh_token", s->tok.refresh);
  sim_json_add_int(o, "expire_in", s->tok.access_ttl);
  if (with_ids) {
    sim_json_add_int(o, "shop_id", s->id);
    sim_json_add_int(o, "partner_id", s->partner_id);
  }
  c->info->error[0] = '\0';
  sim_resp_json(c->resp, 200, o);
}

/* Consumes a matching live code; 0 when there was one. */
static int shopee_code_take(const char *code, int64_t shop_id,
                            int64_t partner_id, int64_t now) {
  size_t i;

  for (i = 0; i < S.ncodes; i++) {
    struct shopee_code *k = &S.codes[i];

    if (strcmp(k->code, code) != 0)
      continue;
    if (k->shop_id != shop_id || k->partner_id != partner_id || now >= k->exp)
      return -1;
    S.codes[i] = S.codes[--S.ncodes]; /* single use */
    return 0;
  }
  return -1;
}

static void shopee_token_get(struct shopee_call *c) {
  const char *code = sim_json_str(c->req->json, "code");
  struct shopee_shop *s;
  int64_t shop_id;

  if (!code || !*code) {
    shopee_param(c, "code is required");
    return;
  }
  if (shopee_auth_body(c, &shop_id))
    return;
  if (shopee_code_take(code, shop_id, c->partner->id, c->now)) {
    shopee_fail(c, "invalid_code", "Invalid code.");
    return;
  }
  /* A code authorises the shop for this partner, new shop or not. */
  s = shopee_shop_add(shop_id);
  if (s)
    s->partner_id = c->partner->id;
  if (!s || sim_tok_issue(&s->tok, c->now, SHOPEE_GRACE_S, 16)) {
    shopee_fail(c, "error_inner", "Cannot issue tokens.");
    return;
  }
  shopee_tokens_reply(c, s, 0);
}

static void shopee_access_token_get(struct shopee_call *c) {
  const char *rt = sim_json_str(c->req->json, "refresh_token");
  struct shopee_shop *s;
  int64_t shop_id;

  if (!rt || !*rt) {
    shopee_param(c, "refresh_token is required");
    return;
  }
  if (shopee_auth_body(c, &shop_id))
    return;
  s = shopee_shop_find(shop_id);
  /* The current refresh token is the only valid one: a used one no longer
   * matches, which makes refresh tokens single use. */
  if (!s || !sim_tok_refresh_ok(&s->tok, rt, c->now) ||
      s->partner_id != c->partner->id) {
    shopee_fail(c, "error_auth", "Invalid refresh_token.");
    return;
  }
  if (sim_tok_issue(&s->tok, c->now, SHOPEE_GRACE_S, 16)) {
    shopee_fail(c, "error_inner", "Cannot issue tokens.");
    return;
  }
  shopee_tokens_reply(c, s, 1);
}

/* ------------------------------------------------------------ content -- */

/*
 * Images, categories, attributes and brands (docs/marketplaces/shopee.md,
 * "Content"). media_space/upload_image is a public call: an image belongs
 * to the partner that uploaded it, and add_item/update_item take only ids
 * that partner's uploads returned. The categories are the common set every
 * simulator serves; 100629 is their parent, not a leaf.
 */
#define SHOPEE_UPLOADS_MAX 100000
#define SHOPEE_IMAGE_MAX (10 * 1024 * 1024)
#define SHOPEE_IMAGES_MAX 9
#define SHOPEE_PARENT_CAT 100629
#define SHOPEE_CATS_MAX 20 /* get_attribute_tree: category_id_list max count */

enum { SHOPEE_DROP_DOWN = 1, SHOPEE_FREE_TEXT = 3 };

struct shopee_value {
  int64_t id;
  const char *name;
};

struct shopee_attr_def {
  int64_t id;
  const char *name;
  int input_type;
  const struct shopee_value *values; /* NULL: free text */
  size_t nvalues;
};

static const struct shopee_value shopee_origins[] = {
    {6001, "Vietnam"}, {6002, "Thailand"}, {6003, "China"}, {6004, "Japan"}};
static const struct shopee_value shopee_storage[] = {
    {6101, "Room Temperature"}, {6102, "Refrigerated"}, {6103, "Frozen"}};

static const struct shopee_attr_def shopee_attr_defs[] = {
    {100010, "Country of Origin", SHOPEE_DROP_DOWN, shopee_origins, ARRAY_LEN(shopee_origins)},
    {100020, "Shelf Life", SHOPEE_FREE_TEXT, NULL, 0},
    {100030, "Ingredients", SHOPEE_FREE_TEXT, NULL, 0},
    {100040, "Net Weight", SHOPEE_FREE_TEXT, NULL, 0},
    {100050, "Storage Condition", SHOPEE_DROP_DOWN, shopee_storage, ARRAY_LEN(shopee_storage)},
    {100060, "Material", SHOPEE_FREE_TEXT, NULL, 0},
};

/* A leaf: its attributes (index into shopee_attr_defs, mandatory) and
 * whether a brand from the list is required. */
struct shopee_cat {
  int64_t id;
  int brand_required;
  struct {
    size_t attr;
    int mandatory;
  } attrs[6];
  size_t nattrs;
};

static const struct shopee_cat shopee_cats[] = {
    {100644, 0, {{0, 1}, {1, 1}, {2, 0}, {3, 0}, {4, 0}}, 5}, /* food */
    {100645, 0, {{0, 1}, {1, 1}, {3, 0}}, 3},                 /* drinks */
    {100646, 1, {{0, 1}, {2, 1}}, 2},                         /* health */
    {100647, 0, {{0, 1}, {5, 0}}, 2},                         /* home & craft */
};

/* The brand list of every leaf; brand_id 0 is Shopee's "NoBrand". */
static const struct shopee_value shopee_brands[] = {
    {0, "NoBrand"},         {3000001, "Tài Hoan"}, {3000002, "SAPHRATON"},
    {3000003, "Hoàng An"},  {3000004, "Chu Đậu"},  {3000005, "Thu Ba"},
    {3000006, "CoPuree"},   {3000007, "beCHAMP"},  {3000008, "Seagull"},
    {3000009, "Trung Nguyên"}, {3000010, "Vinamilk"},
};

static const struct shopee_cat *shopee_cat_find(int64_t id) {
  size_t i;

  for (i = 0; i < ARRAY_LEN(shopee_cats); i++)
    if (shopee_cats[i].id == id)
      return &shopee_cats[i];
  return NULL;
}

/* The category's attribute `id` (its mandatory flag in *mandatory), or NULL. */
static const struct shopee_attr_def *shopee_cat_attr(const struct shopee_cat *cat, int64_t id,
                                                     int *mandatory) {
  size_t i;

  for (i = 0; i < cat->nattrs; i++)
    if (shopee_attr_defs[cat->attrs[i].attr].id == id) {
      *mandatory = cat->attrs[i].mandatory;
      return &shopee_attr_defs[cat->attrs[i].attr];
    }
  return NULL;
}

static const struct shopee_upload *shopee_upload_find(int64_t partner_id, const char *id) {
  size_t i;

  for (i = 0; i < S.nuploads; i++)
    if (S.uploads[i].partner_id == partner_id && strcmp(S.uploads[i].id, id) == 0)
      return &S.uploads[i];
  return NULL;
}

/* JPG or PNG by its first bytes, whatever the part's Content-Type says. */
static int shopee_image_kind_ok(const struct sim_field *f) {
  const unsigned char *d = (const unsigned char *)f->data;

  if (f->len >= 3 && d[0] == 0xff && d[1] == 0xd8 && d[2] == 0xff)
    return 1;
  return f->len >= 8 && memcmp(d, "\x89PNG\r\n\x1a\n", 8) == 0;
}

static void shopee_sha256_hex(const void *data, size_t len, char out[65]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0, i;

  out[0] = '\0';
  if (!EVP_Digest(data, len, md, &n, EVP_sha256(), NULL))
    return;
  for (i = 0; i < n && i < 32; i++)
    snprintf(out + 2 * i, 3, "%02x", md[i]);
}

static cJSON *shopee_image_info(const struct shopee_upload *u) {
  cJSON *info = cJSON_CreateObject(), *url;

  cJSON_AddStringToObject(info, "image_id", u->id);
  url = shopee_push_obj(cJSON_AddArrayToObject(info, "image_url_list"));
  cJSON_AddStringToObject(url, "image_url_region", "VN");
  cJSON_AddStringToObject(url, "image_url", u->url);
  return info;
}

/* The file of an upload: the field `image`, JPG or PNG, at most 10 MB. */
static const struct sim_field *shopee_upload_file(struct shopee_call *c, struct sim_field *fields) {
  const struct sim_field *img;
  const char *why = NULL;
  int n = sim_form_parse(c->req->content_type, c->req->body, c->req->body_len, fields,
                         SIM_FORM_FIELDS_MAX, &why);

  if (n < 0) {
    shopee_param(c, why ? why : "the body is not multipart/form-data");
    return NULL;
  }
  img = sim_form_get(fields, n, "image");
  if (!img || !img->filename[0] || img->len == 0) {
    shopee_param(c, "image is required");
    return NULL;
  }
  if (img->len > SHOPEE_IMAGE_MAX || !shopee_image_kind_ok(img)) {
    shopee_fail(c, "error_invalid_image", "Invalid image: JPG or PNG of at most 10 MB only.");
    return NULL;
  }
  return img;
}

static void shopee_upload_image(struct shopee_call *c) {
  struct sim_field fields[SIM_FORM_FIELDS_MAX];
  const struct sim_field *img = shopee_upload_file(c, fields);
  struct shopee_upload *u;
  cJSON *resp, *e;

  if (!img)
    return;
  if (S.nuploads >= SHOPEE_UPLOADS_MAX ||
      sim_grow((void **)&S.uploads, &S.cap_uploads, S.nuploads + 1, sizeof *S.uploads)) {
    shopee_fail(c, "error_inner", "Cannot store the image.");
    return;
  }
  u = &S.uploads[S.nuploads];
  memset(u, 0, sizeof *u);
  u->partner_id = c->partner->id;
  snprintf(u->id, sizeof u->id, "vn-11134207-sim%010zu", S.nuploads + 1);
  snprintf(u->url, sizeof u->url, "https://cf.shopee.vn/file/%s", u->id);
  u->bytes = img->len;
  shopee_sha256_hex(img->data, img->len, u->sha256);
  S.nuploads++;
  resp = cJSON_CreateObject();
  cJSON_AddItemToObject(resp, "image_info", shopee_image_info(u));
  e = shopee_push_obj(cJSON_AddArrayToObject(resp, "image_info_list"));
  sim_json_add_int(e, "id", 0);
  cJSON_AddItemToObject(e, "image_info", shopee_image_info(u));
  shopee_ok(c, resp, NULL);
}

/* ---- get_attribute_tree, get_brand_list ---- */

static cJSON *shopee_attr_json(const struct shopee_attr_def *a, int mandatory) {
  cJSON *o = cJSON_CreateObject(), *vals, *info;
  size_t i;

  sim_json_add_int(o, "attribute_id", a->id);
  cJSON_AddBoolToObject(o, "mandatory", mandatory);
  cJSON_AddStringToObject(o, "name", a->name);
  vals = cJSON_AddArrayToObject(o, "attribute_value_list");
  for (i = 0; i < a->nvalues; i++) {
    cJSON *v = shopee_push_obj(vals);

    sim_json_add_int(v, "value_id", a->values[i].id);
    cJSON_AddStringToObject(v, "name", a->values[i].name);
  }
  info = cJSON_AddObjectToObject(o, "attribute_info");
  sim_json_add_int(info, "input_type", a->input_type);
  sim_json_add_int(info, "input_validation_type", 2);
  sim_json_add_int(info, "format_type", 1);
  sim_json_add_int(info, "max_value_count", 1);
  return o;
}

/* One category's entry: its tree, empty for the parent (attribute data is
 * for last-level categories only). */
static cJSON *shopee_tree_json(int64_t id, const struct shopee_cat *cat) {
  cJSON *o = cJSON_CreateObject(), *tree = cJSON_AddArrayToObject(o, "attribute_tree");
  size_t i;

  for (i = 0; cat && i < cat->nattrs; i++)
    sim_json_push(tree, shopee_attr_json(&shopee_attr_defs[cat->attrs[i].attr],
                                         cat->attrs[i].mandatory));
  sim_json_add_int(o, "category_id", id);
  cJSON_AddStringToObject(o, "warning", cat ? "" : "Not a last-level category.");
  return o;
}

static void shopee_attribute_tree(struct shopee_call *c) {
  const char *q = sim_query(c->req, "category_id_list");
  int64_t ids[SHOPEE_CATS_MAX];
  int n = q ? shopee_id_list(q, ids, SHOPEE_CATS_MAX) : -1, i;
  cJSON *resp, *list;

  if (n <= 0) {
    shopee_param(c, "category_id_list must hold 1 to 20 category ids");
    return;
  }
  for (i = 0; i < n; i++)
    if (!shopee_cat_find(ids[i]) && ids[i] != SHOPEE_PARENT_CAT) {
      shopee_fail(c, "error_invalid_category", "Invalid category ID %" PRId64, ids[i]);
      return;
    }
  resp = cJSON_CreateObject();
  list = cJSON_AddArrayToObject(resp, "list");
  for (i = 0; i < n; i++)
    sim_json_push(list, shopee_tree_json(ids[i], shopee_cat_find(ids[i])));
  shopee_ok(c, resp, NULL);
}

static void shopee_brand_list(struct shopee_call *c) {
  int64_t cat_id = 0, offset = -1, size = 0, status = 0;
  const struct shopee_cat *cat;
  cJSON *resp, *list;
  int64_t i;

  /* All required: a missing one reads as -1, out of range. */
  if (shopee_query_num(c->req, "offset", -1, &offset) || offset < 0 ||
      shopee_query_num(c->req, "page_size", -1, &size) || size < 1 ||
      size > SHOPEE_PAGE_MAX || shopee_query_num(c->req, "category_id", -1, &cat_id) ||
      cat_id < 0) {
    shopee_param(c, "offset, page_size (1-100) and category_id are required");
    return;
  }
  if (shopee_query_num(c->req, "status", -1, &status) || (status != 1 && status != 2)) {
    shopee_param(c, "status is required.");
    return;
  }
  if ((cat = shopee_cat_find(cat_id)) == NULL) {
    shopee_fail(c, "error_invalid_category", "Invalid category ID %" PRId64, cat_id);
    return;
  }
  resp = cJSON_CreateObject();
  list = cJSON_AddArrayToObject(resp, "brand_list");
  for (i = offset; status == 1 && i < offset + size && i < (int64_t)ARRAY_LEN(shopee_brands);
       i++) {
    cJSON *b = shopee_push_obj(list);

    sim_json_add_int(b, "brand_id", shopee_brands[i].id);
    cJSON_AddStringToObject(b, "original_brand_name", shopee_brands[i].name);
    cJSON_AddStringToObject(b, "display_brand_name", shopee_brands[i].name);
  }
  cJSON_AddBoolToObject(resp, "has_next_page",
                        status == 1 && offset + size < (int64_t)ARRAY_LEN(shopee_brands));
  sim_json_add_int(resp, "next_offset", offset + size);
  cJSON_AddBoolToObject(resp, "is_mandatory", cat->brand_required);
  cJSON_AddStringToObject(resp, "input_type", "DROP_DOWN");
  shopee_ok(c, resp, NULL);
}

/* ---- add_item / update_item: the content rules ---- */

/* What a call makes the item carry: the body's field, else (update) the
 * item's own. */
struct shopee_content {
  int64_t category_id;
  const cJSON *image, *attrs, *brand;
};

static int shopee_images_ok(struct shopee_call *c, const cJSON *image) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(image, "image_id_list"), *e;

  if (cJSON_GetArraySize(list) > SHOPEE_IMAGES_MAX) {
    shopee_fail(c, "error_invalid_image", "image_id_list holds more than %d images.",
                SHOPEE_IMAGES_MAX);
    return -1;
  }
  cJSON_ArrayForEach(e, list) {
    if (!shopee_upload_find(c->partner->id, e->valuestring)) {
      shopee_fail(c, "error_invalid_image",
                  "Image %s was not uploaded with media_space.upload_image by this partner.",
                  e->valuestring);
      return -1;
    }
  }
  return 0;
}

/* One value of an attribute: an allowed value_id, or value_id 0 with
 * original_value_name where the input type takes custom text. */
static int shopee_value_ok(struct shopee_call *c, const struct shopee_attr_def *a,
                           const cJSON *v) {
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(v, "original_value_name");
  int64_t vid;
  size_t i;

  if (sim_json_int(cJSON_GetObjectItemCaseSensitive(v, "value_id"), &vid)) {
    shopee_fail(c, "error_invalid_attribute", "value_id of attribute %" PRId64 " is required.",
                a->id);
    return -1;
  }
  if (vid == 0) {
    if (a->input_type == SHOPEE_DROP_DOWN || !cJSON_IsString(name) || !*name->valuestring) {
      shopee_fail(c, "error_invalid_attribute",
                  "Attribute %" PRId64 " needs a value from its attribute_value_list.", a->id);
      return -1;
    }
    return 0;
  }
  for (i = 0; i < a->nvalues; i++)
    if (a->values[i].id == vid)
      return 0;
  shopee_fail(c, "error_invalid_attribute",
              "Value %" PRId64 " is not a value of attribute %" PRId64 ".", vid, a->id);
  return -1;
}

/* Every entry an attribute of the category with valid values; every
 * mandatory attribute present. */
static int shopee_attrs_ok(struct shopee_call *c, const struct shopee_cat *cat,
                           const cJSON *attrs) {
  int seen[ARRAY_LEN(shopee_attr_defs)] = {0}, mandatory;
  const cJSON *e, *v;
  size_t i;

  cJSON_ArrayForEach(e, attrs) {
    const cJSON *vals = cJSON_GetObjectItemCaseSensitive(e, "attribute_value_list");
    const struct shopee_attr_def *a;
    int64_t id;

    if (sim_json_int(cJSON_GetObjectItemCaseSensitive(e, "attribute_id"), &id) ||
        (a = shopee_cat_attr(cat, id, &mandatory)) == NULL) {
      shopee_fail(c, "error_invalid_attribute",
                  "Attribute is not an attribute of category %" PRId64 ".", cat->id);
      return -1;
    }
    if (!cJSON_IsArray(vals) || cJSON_GetArraySize(vals) == 0) {
      shopee_fail(c, "error_invalid_attribute",
                  "attribute_value_list of attribute %" PRId64 " is empty.", id);
      return -1;
    }
    cJSON_ArrayForEach(v, vals) {
      if (shopee_value_ok(c, a, v))
        return -1;
    }
    seen[a - shopee_attr_defs] = 1;
  }
  for (i = 0; i < cat->nattrs; i++)
    if (cat->attrs[i].mandatory && !seen[cat->attrs[i].attr]) {
      const struct shopee_attr_def *a = &shopee_attr_defs[cat->attrs[i].attr];

      shopee_fail(c, "error_invalid_attribute",
                  "Attribute \"%s\" (%" PRId64 ") is mandatory for category %" PRId64 ".",
                  a->name, a->id, cat->id);
      return -1;
    }
  return 0;
}

static int shopee_brand_ok(struct shopee_call *c, const struct shopee_cat *cat,
                           const cJSON *brand) {
  const cJSON *name = cJSON_GetObjectItemCaseSensitive(brand, "original_brand_name");
  int64_t id = 0;
  size_t i;

  if (!brand) {
    if (!cat->brand_required)
      return 0;
    shopee_fail(c, "error_invalid_brand", "Brand information required");
    return -1;
  }
  if (sim_json_int(cJSON_GetObjectItemCaseSensitive(brand, "brand_id"), &id) ||
      !cJSON_IsString(name)) {
    shopee_fail(c, "error_invalid_brand", "brand needs brand_id and original_brand_name.");
    return -1;
  }
  if (id == 0 && cat->brand_required) {
    shopee_fail(c, "error_invalid_brand", "Brand information required");
    return -1;
  }
  for (i = 0; i < ARRAY_LEN(shopee_brands); i++)
    if (shopee_brands[i].id == id)
      return 0;
  shopee_fail(c, "error_invalid_brand",
              "Brand %" PRId64 " is not a brand of category %" PRId64 ".", id, cat->id);
  return -1;
}

/* The content rules on what the item will carry after the call. */
static int shopee_content_ok(struct shopee_call *c, const struct shopee_fields *f,
                             const struct shopee_item *it) {
  struct shopee_content k;
  const struct shopee_cat *cat;

  if (sim_legacy)
    return 0;
  k.category_id = f->has_category || !it ? f->category_id : it->category_id;
  k.image = f->image ? f->image : it ? it->image : NULL;
  k.attrs = f->attrs ? f->attrs : it ? it->attrs : NULL;
  k.brand = f->brand ? f->brand : it ? it->brand : NULL;
  if ((cat = shopee_cat_find(k.category_id)) == NULL) {
    shopee_fail(c, "error_invalid_category", "Invalid category ID %" PRId64, k.category_id);
    return -1;
  }
  return shopee_images_ok(c, k.image) || shopee_attrs_ok(c, cat, k.attrs) ||
                 shopee_brand_ok(c, cat, k.brand)
             ? -1
             : 0;
}

/* ---- the control view ---- */

static void shopee_ctl_uploads(const struct sim_req *req, struct sim_resp *resp) {
  cJSON *o, *list;
  size_t i;

  (void)req;
  o = sim_ctl_listing("uploads", &list);
  for (i = 0; i < S.nuploads; i++) {
    const struct shopee_upload *u = &S.uploads[i];
    cJSON *e = cJSON_CreateObject();

    /* upload_image is partner-level: the account is the partner, no shop */
    cJSON_AddNullToObject(e, "shop");
    sim_json_add_int(e, "partner_id", u->partner_id);
    cJSON_AddStringToObject(e, "id", u->id);
    cJSON_AddStringToObject(e, "url", u->url);
    sim_json_add_int(e, "bytes", (int64_t)u->bytes);
    cJSON_AddStringToObject(e, "sha256", u->sha256);
    sim_json_push(list, e);
  }
  sim_ctl_ok(resp, o);
}

/* ------------------------------------------------------------ routing -- */

static const struct shopee_route {
  const char *path;
  const char *method;
  int shop_call; /* signed with access_token and shop_id */
  void (*fn)(struct shopee_call *c);
} shopee_routes[] = {
    {"/api/v2/product/add_item", "POST", 1, shopee_add_item},
    {"/api/v2/product/update_item", "POST", 1, shopee_update_item},
    {"/api/v2/product/update_stock", "POST", 1, shopee_update_stock},
    {"/api/v2/product/update_price", "POST", 1, shopee_update_price},
    {"/api/v2/product/unlist_item", "POST", 1, shopee_unlist_item},
    {"/api/v2/product/get_item_base_info", "GET", 1, shopee_get_item_base_info},
    {"/api/v2/product/search_item", "GET", 1, shopee_search_item},
    {"/api/v2/product/init_tier_variation", "POST", 1, shopee_init_tier_variation},
    {"/api/v2/product/update_tier_variation", "POST", 1, shopee_update_tier_variation},
    {"/api/v2/product/add_model", "POST", 1, shopee_add_model},
    {"/api/v2/product/delete_model", "POST", 1, shopee_delete_model},
    {"/api/v2/product/get_model_list", "GET", 1, shopee_get_model_list},
    {"/api/v2/order/get_order_list", "GET", 1, shopee_order_list},
    {"/api/v2/order/get_order_detail", "GET", 1, shopee_order_detail},
    {"/api/v2/auth/token/get", "POST", 0, shopee_token_get},
    {"/api/v2/auth/access_token/get", "POST", 0, shopee_access_token_get},
    /* Signed like a public call (partner-level); multipart, not JSON. */
    {"/api/v2/media_space/upload_image", "POST", 0, shopee_upload_image},
    {"/api/v2/product/get_attribute_tree", "GET", 1, shopee_attribute_tree},
    {"/api/v2/product/get_brand_list", "GET", 1, shopee_brand_list},
};

static void shopee_handle(const struct sim_req *req, struct sim_resp *resp,
                          struct sim_call_info *info) {
  struct shopee_call c = {req, resp, info, NULL, NULL, req->now_ms / 1000};
  const struct shopee_route *r = NULL;
  size_t i;

  for (i = 0; i < ARRAY_LEN(shopee_routes) && !r; i++)
    if (strcmp(req->path, shopee_routes[i].path) == 0)
      r = &shopee_routes[i];
  if (!r) {
    shopee_fail(&c, "error_not_found", "API %s not found.", req->path);
    return;
  }
  if (strcmp(req->method, r->method) != 0) {
    shopee_fail(&c, "error_param", "Wrong parameters, detail: use %s for %s.",
                r->method, r->path);
    return;
  }
  if (shopee_authenticate(&c, r->path, r->shop_call))
    return;
  if (r->shop_call && shopee_rate_limited(&c))
    return;
  if (strcmp(r->method, "POST") == 0 && r->fn != shopee_upload_image && shopee_check_body(&c))
    return;
  r->fn(&c);
}

/* ----------------------------------------------------------- describe -- */

static void shopee_note_id(struct sim_call_info *info, int64_t id) {
  if (info->nitems < SIM_CALL_IDS_MAX)
    info->item_ids[info->nitems++] = id;
}

/* Which shop, items and SKU a call names, read before any check so that
 * the call log and fault rules see rejected calls too. */
static void shopee_describe(const struct sim_req *req,
                            struct sim_call_info *info) {
  const cJSON *b = cJSON_IsObject(req->json) ? req->json : NULL, *e;
  int64_t ids[SIM_CALL_IDS_MAX], v;
  int i, n;

  if (shopee_digits(sim_query(req, "shop_id"), &info->shop_id) &&
      sim_json_int(cJSON_GetObjectItemCaseSensitive(b, "shop_id"), &v) == 0)
    info->shop_id = v;
  if (sim_json_int(cJSON_GetObjectItemCaseSensitive(b, "item_id"), &v) == 0)
    shopee_note_id(info, v);
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(b, "item_list")) {
    if (sim_json_int(cJSON_GetObjectItemCaseSensitive(e, "item_id"), &v) == 0)
      shopee_note_id(info, v);
  }
  n = shopee_id_list(sim_query(req, "item_id_list"), ids, SIM_CALL_IDS_MAX);
  for (i = 0; i < n; i++)
    shopee_note_id(info, ids[i]);
  if (shopee_digits(sim_query(req, "item_id"), &v) == 0)
    shopee_note_id(info, v);
  sim_info_note_sku(info, sim_json_str(b, "item_sku"));
  sim_info_note_sku(info, sim_query(req, "item_sku"));
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(b, "model")) {
    sim_info_note_sku(info, sim_json_str(e, "model_sku"));
  }
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(b, "model_list")) {
    sim_info_note_sku(info, sim_json_str(e, "model_sku"));
  }
}

static char *shopee_error_body(const char *code, const char *message,
                               size_t *len) {
  cJSON *o = shopee_envelope(code, message);
  char *s = o ? sim_json_print(o, len) : NULL;

  cJSON_Delete(o);
  return s;
}

/* ------------------------------------------------------------ control -- */

static int shopee_put_partner(void *ctx, const cJSON *o, int64_t now, char *err,
                              size_t n) {
  struct shopee_partner *p;
  const char *key;
  char *k;
  int64_t id;

  (void)ctx, (void)now; /* a sim_ctl_put_fn; Shopee keeps one store */
  if (sim_ctl_int(o, "partner_id", 1, SIM_JSON_INT_MAX, 0, &id, err, n) ||
      !(key = sim_ctl_str(o, "partner_key", SHOPEE_KEY_MAX, err, n)))
    return -1;
  if (!(k = strdup(key)))
    goto oom;
  p = shopee_partner_find(id);
  if (!p) {
    if (sim_grow((void **)&S.partners, &S.cap_partners, S.npartners + 1,
                 sizeof *S.partners)) {
      free(k);
      goto oom;
    }
    p = &S.partners[S.npartners++];
    p->id = id;
    p->key = NULL;
  }
  free(p->key);
  p->key = k;
  return 0;
oom:
  snprintf(err, n, "out of memory");
  return -1;
}

/* Reads a shop's ids and lifetimes; the shop is changed by the caller. */
struct shopee_shop_in {
  int64_t id, partner_id, access_ttl, refresh_ttl;
  const char *access, *refresh;
};

static int shopee_shop_read(const cJSON *o, struct shopee_shop_in *in,
                            char *err, size_t n) {
  if (sim_ctl_int(o, "shop_id", 1, SIM_JSON_INT_MAX, 0, &in->id, err, n) ||
      sim_ctl_int(o, "partner_id", 1, SIM_JSON_INT_MAX, 0, &in->partner_id, err,
                  n) ||
      !(in->access = sim_ctl_str(o, "access_token", SHOPEE_KEY_MAX, err, n)) ||
      !(in->refresh =
            sim_ctl_str(o, "refresh_token", SHOPEE_KEY_MAX, err, n)) ||
      sim_ctl_int(o, "access_expires_in", 0, SHOPEE_TTL_MAX,
                  SHOPEE_ACCESS_TTL_S, &in->access_ttl, err, n) ||
      sim_ctl_int(o, "refresh_expires_in", 0, SHOPEE_TTL_MAX,
                  SHOPEE_REFRESH_TTL_S, &in->refresh_ttl, err, n))
    return -1;
  if (!shopee_partner_find(in->partner_id)) {
    snprintf(err, n, "partner_id %" PRId64 " is not known", in->partner_id);
    return -1;
  }
  return 0;
}

static int shopee_put_shop(void *ctx, const cJSON *o, int64_t now, char *err,
                           size_t n) {
  struct shopee_shop_in in;
  struct shopee_shop *s;
  char *a = NULL, *r = NULL;

  (void)ctx;
  if (shopee_shop_read(o, &in, err, n))
    return -1;
  a = strdup(in.access);
  r = strdup(in.refresh);
  if (!a || !r || !(s = shopee_shop_add(in.id))) {
    free(a), free(r);
    snprintf(err, n, "out of memory");
    return -1;
  }
  s->partner_id = in.partner_id;
  sim_tok_take(&s->tok, a, r, in.access_ttl, in.refresh_ttl, now);
  return 0;
}

/* Drops codes that can no longer be used, so the list stays small. */
static void shopee_codes_prune(int64_t now) {
  size_t i = 0;

  while (i < S.ncodes) {
    if (now >= S.codes[i].exp)
      S.codes[i] = S.codes[--S.ncodes];
    else
      i++;
  }
}

static void shopee_ctl_code(const struct sim_req *req, struct sim_resp *resp) {
  int64_t now = req->now_ms / 1000, shop_id, pid;
  struct shopee_code *k;
  char err[SHOPEE_ERRTXT];
  cJSON *o;

  if (sim_ctl_int(req->json, "shop_id", 1, SIM_JSON_INT_MAX, 0, &shop_id, err,
                  sizeof err) ||
      sim_ctl_int(req->json, "partner_id", 1, SIM_JSON_INT_MAX, 0, &pid, err,
                  sizeof err)) {
    sim_ctl_error(resp, 400, "%s", err);
    return;
  }
  if (!shopee_partner_find(pid)) {
    sim_ctl_error(resp, 400, "partner_id %" PRId64 " is not known", pid);
    return;
  }
  shopee_codes_prune(now);
  if (S.ncodes >= SHOPEE_CODES_MAX || sim_grow((void **)&S.codes, &S.cap_codes,
                                               S.ncodes + 1, sizeof *S.codes)) {
    sim_ctl_error(resp, 503, "too many live codes");
    return;
  }
  k = &S.codes[S.ncodes];
  if (sim_random_hex(k->code, 16)) {
    sim_ctl_error(resp, 500, "no randomness");
    return;
  }
  k->shop_id = shop_id, k->partner_id = pid, k->exp = now + SHOPEE_CODE_TTL_S;
  S.ncodes++;
  o = cJSON_CreateObject();
  cJSON_AddStringToObject(o, "code", k->code);
  sim_json_add_int(o, "expires_in", SHOPEE_CODE_TTL_S);
  sim_ctl_ok(resp, o);
}

/* The shop named by the body's shop_id, or NULL after answering. */
static struct shopee_shop *shopee_ctl_shop_arg(const struct sim_req *req,
                                               struct sim_resp *resp) {
  struct shopee_shop *s;
  char err[SHOPEE_ERRTXT];
  int64_t id;

  if (sim_ctl_int(req->json, "shop_id", 1, SIM_JSON_INT_MAX, 0, &id, err,
                  sizeof err)) {
    sim_ctl_error(resp, 400, "%s", err);
    return NULL;
  }
  s = shopee_shop_find(id);
  if (!s)
    sim_ctl_error(resp, 404, "shop %" PRId64 " is not known", id);
  return s;
}

static void shopee_ctl_expire(const struct sim_req *req,
                              struct sim_resp *resp) {
  struct shopee_shop *s = shopee_ctl_shop_arg(req, resp);

  if (!s)
    return;
  /* Both the current and a grace-period token die now; the refresh token
   * still works, which is what a refresh test needs. */
  sim_tok_expire(&s->tok, req->now_ms / 1000);
  sim_ctl_ok(resp, NULL);
}

static void shopee_ctl_rate(const struct sim_req *req, struct sim_resp *resp) {
  struct shopee_shop *s = shopee_ctl_shop_arg(req, resp);

  if (s)
    sim_rate_set(&s->tok.rl, req, resp);
}

/* Adds a copy of `v` (when there is one) under `name`. */
static void shopee_add_copy(cJSON *o, const char *name, const cJSON *v) {
  cJSON *d = v ? cJSON_Duplicate(v, 1) : NULL;

  sim_json_put(o, name, d);
}

/* One entry of "variants": {sku, id, label, price, stock}, id as text. */
static void shopee_variant_json(cJSON *list, const char *sku, int64_t id, const char *label,
                                int64_t price, int64_t stock) {
  cJSON *v = shopee_push_obj(list);
  char idstr[24];

  snprintf(idstr, sizeof idstr, "%" PRId64, id);
  cJSON_AddStringToObject(v, "sku", sku ? sku : "");
  cJSON_AddStringToObject(v, "id", idstr);
  cJSON_AddStringToObject(v, "label", label);
  sim_json_add_int(v, "price", price);
  sim_json_add_int(v, "stock", stock);
}

/* "variants": the models in order, or the item itself as model "0". */
static void shopee_variants_json(cJSON *o, const struct shopee_item *it) {
  cJSON *list = cJSON_AddArrayToObject(o, "variants");
  size_t i;

  if (it->nmodels == 0)
    shopee_variant_json(list, it->sku, 0, "", it->price, it->stock);
  for (i = 0; i < it->nmodels; i++) {
    const struct shopee_model *m = &it->models[i];

    shopee_variant_json(list, m->sku, m->id,
                        m->tier < (int64_t)it->noptions ? it->options[m->tier] : "", m->price,
                        m->stock);
  }
}

static cJSON *shopee_item_full(const struct shopee_item *it) {
  const struct shopee_model *first = it->nmodels ? &it->models[0] : NULL;
  char idstr[24];
  cJSON *o = cJSON_CreateObject();

  snprintf(idstr, sizeof idstr, "%" PRId64, it->id);
  sim_json_add_int(o, "item_id", it->id);
  cJSON_AddStringToObject(o, "item_id_str", idstr);
  sim_json_add_int(o, "shop_id", it->shop_id);
  /* sku, price and stock of the first (or only) variant; the item's own
   * item_sku in item_sku_own. */
  cJSON_AddStringToObject(o, "item_sku", first ? first->sku : it->sku ? it->sku : "");
  sim_json_add_int(o, "original_price", first ? first->price : it->price);
  sim_json_add_int(o, "stock", first ? first->stock : it->stock);
  cJSON_AddStringToObject(o, "item_sku_own", it->sku ? it->sku : "");
  cJSON_AddBoolToObject(o, "has_model", it->nmodels > 0);
  if (it->tier_name)
    cJSON_AddStringToObject(o, "tier_name", it->tier_name);
  shopee_variants_json(o, it);
  cJSON_AddStringToObject(o, "item_status", shopee_status_name(it));
  /* Free text last, so that a grep over one item's fields stops late. */
  cJSON_AddStringToObject(o, "item_name", it->name);
  cJSON_AddStringToObject(o, "description", it->description);
  cJSON_AddNumberToObject(o, "weight", it->weight);
  sim_json_add_int(o, "category_id", it->category_id);
  if (it->attrs)
    shopee_add_copy(o, "attribute_list", it->attrs);
  else
    cJSON_AddArrayToObject(o, "attribute_list");
  shopee_add_copy(o, "image", it->image);
  shopee_add_copy(o, "logistic_info", it->logistic);
  shopee_add_copy(o, "brand", it->brand);
  shopee_add_copy(o, "dimension", it->dimension);
  if (it->condition)
    cJSON_AddStringToObject(o, "condition", it->condition);
  sim_json_add_int(o, "create_time", it->create_time);
  sim_json_add_int(o, "update_time", it->update_time);
  return o;
}

static void shopee_ctl_items(const struct sim_req *req, struct sim_resp *resp) {
  const char *q = sim_query(req, "shop_id");
  int64_t shop_id = 0;
  cJSON *o, *list;
  size_t i;

  if (q && *q && shopee_digits(q, &shop_id)) {
    sim_ctl_error(resp, 400, "shop_id must be a number");
    return;
  }
  o = sim_ctl_listing("items", &list);
  for (i = 0; i < S.nitems; i++) {
    cJSON *e;

    if (shop_id && S.items[i].shop_id != shop_id)
      continue;
    e = shopee_item_full(&S.items[i]);
    sim_json_push(list, e);
  }
  sim_ctl_ok(resp, o);
}

static cJSON *shopee_shop_json(const struct shopee_shop *s) {
  cJSON *o = cJSON_CreateObject();

  sim_json_add_int(o, "shop_id", s->id);
  sim_json_add_int(o, "partner_id", s->partner_id);
  sim_tok_json(o, &s->tok);
  return o;
}

static void shopee_ctl_shops(const struct sim_req *req, struct sim_resp *resp) {
  cJSON *list, *o = sim_ctl_listing("shops", &list);
  size_t i;

  for (i = 0; i < S.nshops; i++)
    sim_json_push(list, shopee_shop_json(&S.shops[i]));
  sim_ctl_ok(resp, o);
}

/* "variants" of a seeded item: [{sku, label, price, stock}], two or more
 * make one tier (named "tier_name", default "Quy cách") with a model each.
 * 0, or -1 with err set; nothing stored on failure. */
static int shopee_seed_variants(struct shopee_item *it, const cJSON *body, char *err,
                                size_t errlen) {
  const cJSON *vs = cJSON_GetObjectItemCaseSensitive(body, "variants"), *v;
  struct shopee_model_in in[SHOPEE_MODELS_MAX];
  const char *opts[SHOPEE_OPTIONS_MAX], *name = sim_json_str(body, "tier_name");
  size_t n = 0, i;

  if (vs == NULL || (cJSON_IsArray(vs) && cJSON_GetArraySize(vs) < 2))
    return 0;
  if (!cJSON_IsArray(vs) || cJSON_GetArraySize(vs) > SHOPEE_MODELS_MAX) {
    snprintf(err, errlen, "variants must be an array of at most %d", SHOPEE_MODELS_MAX);
    return -1;
  }
  cJSON_ArrayForEach(v, vs) {
    const char *label = sim_json_str(v, "label");

    in[n].sku = sim_json_str(v, "sku");
    in[n].tier = (int64_t)n;
    if (!label || !*label || !in[n].sku ||
        sim_json_int(cJSON_GetObjectItemCaseSensitive(v, "price"), &in[n].price) ||
        in[n].price <= 0 ||
        sim_json_int(cJSON_GetObjectItemCaseSensitive(v, "stock"), &in[n].stock) ||
        in[n].stock < 0) {
      snprintf(err, errlen, "variants[] need sku, label, price > 0 and stock >= 0");
      return -1;
    }
    for (i = 0; i < n; i++)
      if (strcmp(opts[i], label) == 0 || strcmp(in[i].sku, in[n].sku) == 0) {
        snprintf(err, errlen, "variants[] repeat a label or a sku");
        return -1;
      }
    opts[n++] = label;
  }
  if (shopee_options_set(it, name && *name ? name : "Quy cách", opts, n) ||
      shopee_models_add(it, in, n)) {
    shopee_tier_clear(it);
    snprintf(err, errlen, "cannot store the variants");
    return -1;
  }
  return 0;
}

/* Puts an item straight into a shop, as if the seller had made it by hand;
 * with "variants", an item with models. */
static void shopee_ctl_item(const struct sim_req *req, struct sim_resp *resp) {
  struct shopee_fields f;
  struct shopee_shop *s = shopee_ctl_shop_arg(req, resp);
  char err[SHOPEE_ERRTXT], idstr[24];
  int64_t id;
  cJSON *o;

  if (!s)
    return;
  if (shopee_fields_read(req->json, 1, &f, err, sizeof err)) {
    sim_ctl_error(resp, 400, "%s", err);
    return;
  }
  id = shopee_item_create(s->id, &f, req->now_ms / 1000);
  if (id < 0) {
    sim_ctl_error(resp, 500, "cannot store the item");
    return;
  }
  if (shopee_seed_variants(shopee_item_find(id), req->json, err, sizeof err)) {
    /* The item is the last one: take it back. */
    shopee_item_free(&S.items[--S.nitems]);
    sim_ctl_error(resp, 400, "%s", err);
    return;
  }
  snprintf(idstr, sizeof idstr, "%" PRId64, id);
  o = cJSON_CreateObject();
  sim_json_add_int(o, "item_id", id);
  cJSON_AddStringToObject(o, "item_id_str", idstr);
  sim_ctl_ok(resp, o);
}

/* Sets an item's stock without a signed call, as a seller editing it by
 * hand in Seller Centre would: the drift a reconciliation must correct. */
static void shopee_ctl_item_stock(const struct sim_req *req,
                                  struct sim_resp *resp) {
  struct shopee_shop *s = shopee_ctl_shop_arg(req, resp);
  struct shopee_item *it;
  char err[SHOPEE_ERRTXT];
  int64_t id, stock;

  if (!s)
    return;
  if (sim_ctl_int(req->json, "item_id", 1, SIM_JSON_INT_MAX, 0, &id, err,
                  sizeof err) ||
      sim_ctl_int(req->json, "stock", 0, SIM_JSON_INT_MAX, -1, &stock, err,
                  sizeof err)) {
    sim_ctl_error(resp, 400, "%s", err);
    return;
  }
  it = shopee_item_find(id);
  if (!it || it->shop_id != s->id) {
    sim_ctl_error(resp, 404, "item %" PRId64 " is not in shop %" PRId64, id,
                  s->id);
    return;
  }
  /* "sku" names one model; without it, the item without models or its
   * first model. */
  {
    const char *sku = sim_json_str(req->json, "sku");
    struct shopee_item *owner;
    struct shopee_model *m = sku ? shopee_find_sku(s->id, sku, &owner) : NULL;

    if (sku && (!m || owner != it)) {
      sim_ctl_error(resp, 404, "no model with that sku on item %" PRId64, id);
      return;
    }
    if (!m && it->nmodels)
      m = &it->models[0];
    *(m ? &m->stock : &it->stock) = stock;
  }
  it->update_time = req->now_ms / 1000;
  sim_ctl_ok(resp, NULL);
}

static const struct sim_ctl_call shopee_ctls[] = {
    {"partner", "POST", NULL, shopee_put_partner},
    {"shop", "POST", NULL, shopee_put_shop},
    {"code", "POST", shopee_ctl_code, NULL},
    {"expire_token", "POST", shopee_ctl_expire, NULL},
    {"rate_limit", "POST", shopee_ctl_rate, NULL},
    {"item", "POST", shopee_ctl_item, NULL},
    {"items", "GET", shopee_ctl_items, NULL},
    {"uploads", "GET", shopee_ctl_uploads, NULL},
    {"items/stock", "POST", shopee_ctl_item_stock, NULL},
    {"shops", "GET", shopee_ctl_shops, NULL},
};

static void shopee_control(const char *sub, const struct sim_req *req,
                           struct sim_resp *resp) {
  if (sim_orders_control(&shopee_order_ops, sub, req, resp) ||
      sim_ctl_run(shopee_ctls, ARRAY_LEN(shopee_ctls), NULL, sub, req, resp))
    return;
  sim_ctl_unknown("shopee", sub, resp);
}

/* --------------------------------------------------------- seed/reset -- */

static int shopee_seed(const cJSON *doc, char *err, size_t n) {
  /* Partners first: a shop names its partner. */
  static const struct sim_ctl_seed lists[] = {
      {"partners", shopee_put_partner},
      {"shops", shopee_put_shop},
  };

  return sim_ctl_seed_lists("shopee", doc, lists, ARRAY_LEN(lists), NULL, err,
                            n);
}

static void shopee_reset(void) {
  size_t i;

  for (i = 0; i < S.npartners; i++)
    free(S.partners[i].key);
  for (i = 0; i < S.nshops; i++) {
    sim_tok_free(&S.shops[i].tok);
  }
  for (i = 0; i < S.nitems; i++)
    shopee_item_free(&S.items[i]);
  free(S.partners), free(S.shops), free(S.codes), free(S.items), free(S.uploads);
  memset(&S, 0, sizeof S);
  sim_orders_clear(&shopee_orders);
}

const struct sim_market sim_shopee_market = {
    .name = "shopee",
    .prefix = "/api/v2/",
    .reset = shopee_reset,
    .seed = shopee_seed,
    .describe = shopee_describe,
    .handle = shopee_handle,
    .control = shopee_control,
    .error_body = shopee_error_body,
};
