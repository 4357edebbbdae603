/*
 * tiktok.c — the TikTok Shop Partner API connector (API version 202309).
 *
 * Reference: docs/marketplaces/tiktok.md (tokens, signing and its worked
 * vectors T1..T6, envelope and errors, endpoints, orders, push, money,
 * pitfalls). Where TikTok leaves a choice open, this file and the simulator
 * (tests/sim/sim_tiktok.c) make the same one; tiktok.md lists those choices
 * under "Verified and our reading". Below, 'see "Section"' names a section
 * of tiktok.md. OCOP claims: docs/ocop-rules.md, "OCOP claims".
 *
 * Pure, per connector.h: no I/O, no mutable globals, every allocation handed
 * to the caller (oc_request) or freed before returning.
 *
 * Shop options read (shop.options):
 *   shop_cipher           required for every shop call (query shop_cipher;
 *                         from GET /authorization/202309/shops)
 *   category_id           TikTok category id (decimal) for every listing
 *   category.<OCOP code>  per OCOP category, e.g. "category.I.3.c"; wins
 *   image_uri             main image uri from /product/202309/images/upload
 *                         (PUBLISH)
 *   warehouse_id          warehouse id (decimal) for inventory (PUBLISH,
 *                         SET_STOCK)
 *   auth_url              token host, default https://auth.tiktok-shops.com
 *                         (REFRESH_TOKEN, TOKEN_EXCHANGE)
 *   auth_link_base        host of the seller's authorisation page, default
 *                         https://services.tiktokshop.com (AUTH_LINK)
 *
 * AUTH_LINK [unverified]: no source gives the authorisation link. This
 * connector builds <auth_link_base>/open/authorize?service_id=<app_key>, the
 * form the Partner Center shows for a service; the service id may differ
 * from the app key, and TikTok redirects to the URL registered for the app
 * (the redirect given is not sent). Check it against the Partner Center
 * before relying on it. TOKEN_EXCHANGE (see "Authorisation and tokens"): GET
 * <auth_url>/api/v2/token/get with app_key, app_secret, auth_code and
 * grant_type=authorized_code, no sign.
 *
 * Our item_id is "<product_id>:<sku_id>" (both decimal text: TikTok ids are
 * 64-bit and exceed 2^53, so they are read only as JSON strings and never
 * pass through a double). One SKU per product.
 *
 * Choices TikTok does not settle ([unverified], ours, shared with the
 * simulator): error codes 12052700 (product not found), 36009003 (timestamp),
 * 10000429 / 36009004 (rate limit); the publish body's field set; the
 * description sent as plain text (TikTok treats it as HTML).
 *
 * Orders (ABI 3, see "Orders" and "Push"; choices shared with the
 * simulator): LIST_ORDERS is POST /order/202309/orders/search, signed like
 * every 202309 POST, query page_size=100, page_token (left out on the first
 * page), sort_field=update_time, sort_order=ASC, body exactly
 * {"update_time_ge":<from>,"update_time_lt":<to>}; windows of at most
 * 7 days (TikTok documents no limit). GET_ORDERS is GET /order/202309/orders
 * with ids comma-joined (percent-encoded as %2C in the URL like every query
 * value, signed raw). Detail: one line item per unit, priced by sale_price,
 * else original_price; a price or total that is absent, null or
 * "" is unknown (null). Order ids are read only as JSON strings and must be
 * 1..64 characters of [A-Za-z0-9_-], the rule build_orders applies; an id
 * asked for and missing from the answer is reported as bad. Pushes:
 * Authorization is lowercase hex HMAC-SHA256(app_secret, app_key ‖ raw
 * body), compared as sent; type and shop_id are required, timestamp
 * optional, data.order_id required for type 1 (order status change).
 *
 * Test hooks: tests/unit/test_tiktok.c includes this file to reach the
 * static helpers tt_canonical(), tt_sign(), tt_split_item_id() and
 * tt_amount(); titles, descriptions and secret scrubbing are shared
 * (ocutil.c). Only ocop_connector_v1() is exported.
 */
#include "connector.h"
#include "ocutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

const oc_connector *ocop_connector_v1(void);

#define TT_TITLE_MAX_CP 255
#define TT_ID_MAX_DIGITS 20 /* uint64 */
#define TT_RATE_LIMIT_RETRY_MS 1000L
#define TT_MAX_PARAMS 8
#define TT_DEFAULT_AUTH_URL "https://auth.tiktok-shops.com"
#define TT_REFRESH_PATH "/api/v2/token/refresh"
#define TT_TOKEN_GET_PATH "/api/v2/token/get"
#define TT_DEFAULT_AUTH_LINK_BASE "https://services.tiktokshop.com" /* [unverified] */
#define TT_AUTH_LINK_PATH "/open/authorize"                         /* [unverified] */

/* Error codes (see "Envelope and errors"). */
#define TT_CODE_BAD_SIGN 106001L
#define TT_CODE_TOKEN_INVALID 105001L
#define TT_CODE_TOKEN_EXPIRED 105002L
#define TT_CODE_NO_PERMISSION 105005L /* operator action, not a token */
#define TT_CODE_NOT_FOUND 12052700L   /* ours [unverified] */
#define TT_CODE_TIMESTAMP 36009003L   /* ours [unverified] */
#define TT_CODE_RATE 10000429L        /* ours [unverified] */
#define TT_CODE_RATE2 36009004L       /* ours [unverified] */

enum { TT_PUBLIC = 0, TT_SHOP = 1 };

#define TT_NEED_LISTING 0x01u
#define TT_NEED_ITEM 0x02u /* "<product_id>:<sku_id>" */
#define TT_NEED_SKU 0x04u
#define TT_NEED_TEXT 0x08u
#define TT_NEED_PRICE 0x10u
#define TT_NEED_STOCK 0x20u
#define TT_ORDER_OP 0x40u /* built by build_orders, not build */

typedef struct tt_opdef {
  const char *method;
  const char *path; /* the signed path, or its part before /{product_id} */
  const char *tail; /* non-NULL: path + "/" + product_id + tail */
  int kind;
  unsigned need;
} tt_opdef;

static const tt_opdef tt_ops[OC_OP_MAX] = {
    [OC_OP_PUBLISH] = {"POST", "/product/202309/products", NULL, TT_SHOP,
                       TT_NEED_LISTING | TT_NEED_SKU | TT_NEED_TEXT |
                           TT_NEED_PRICE | TT_NEED_STOCK},
    [OC_OP_UPDATE] = {"POST", "/product/202309/products", "/partial_edit",
                      TT_SHOP, TT_NEED_LISTING | TT_NEED_ITEM | TT_NEED_TEXT},
    [OC_OP_SET_STOCK] = {"POST", "/product/202309/products",
                         "/inventory/update", TT_SHOP,
                         TT_NEED_LISTING | TT_NEED_ITEM | TT_NEED_STOCK},
    [OC_OP_SET_PRICE] = {"POST", "/product/202309/products", "/prices/update",
                         TT_SHOP,
                         TT_NEED_LISTING | TT_NEED_ITEM | TT_NEED_PRICE},
    [OC_OP_DELIST] = {"POST", "/product/202309/products/deactivate", NULL,
                      TT_SHOP,
                      TT_NEED_LISTING | TT_NEED_ITEM},
    [OC_OP_RELIST] = {"POST", "/product/202309/products/activate", NULL,
                      TT_SHOP,
                      TT_NEED_LISTING | TT_NEED_ITEM},
    [OC_OP_LOOKUP_SKU] = {"POST", "/product/202309/products/search", NULL,
                          TT_SHOP,
                          TT_NEED_LISTING | TT_NEED_SKU},
    [OC_OP_GET_LISTING] = {"GET", "/product/202309/products", "", TT_SHOP,
                           TT_NEED_LISTING | TT_NEED_ITEM},
    [OC_OP_REFRESH_TOKEN] = {"GET", TT_REFRESH_PATH, NULL, TT_PUBLIC, 0},
    [OC_OP_AUTH_LINK] = {"GET", TT_AUTH_LINK_PATH, NULL, TT_PUBLIC, 0},
    [OC_OP_TOKEN_EXCHANGE] = {"GET", TT_TOKEN_GET_PATH, NULL, TT_PUBLIC, 0},
    [OC_OP_LIST_ORDERS] = {"POST", "/order/202309/orders/search", NULL, TT_SHOP,
                           TT_ORDER_OP},
    [OC_OP_GET_ORDERS] = {"GET", "/order/202309/orders", NULL, TT_SHOP,
                          TT_ORDER_OP},
};

typedef struct tt_param {
  const char *key;
  const char *value; /* raw; URL-encoded when serialised */
} tt_param;

static void tt_err(char *err, size_t errlen, const char *fmt, ...)
    OCU_PRINTF(3, 4);

static void tt_err(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;

  if (err == NULL || errlen == 0)
    return;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* ---- validation ----------------------------------------------------------- */

/* 1..20 decimal digits. */
static int tt_valid_id_n(const char *s, size_t n) {
  size_t i;

  if (s == NULL || n == 0 || n > TT_ID_MAX_DIGITS)
    return 0;
  for (i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

static int tt_valid_id(const char *s) {
  return s != NULL && tt_valid_id_n(s, strlen(s));
}

/*
 * "<product_id>:<sku_id>" into its parts (each out buffer >= 21 bytes).
 * 0, or -1 when malformed.
 */
static int tt_split_item_id(const char *item_id, char pid[21], char sid[21]) {
  const char *colon;
  size_t a;

  pid[0] = sid[0] = '\0';
  if (item_id == NULL || (colon = strchr(item_id, ':')) == NULL)
    return -1;
  a = (size_t)(colon - item_id);
  if (!tt_valid_id_n(item_id, a) || !tt_valid_id(colon + 1))
    return -1;
  memcpy(pid, item_id, a);
  pid[a] = '\0';
  ocu_strlcpy(sid, colon + 1, 21);
  return 0;
}

/* scheme://host[:port] with no trailing slash, query, fragment or space. */
static int tt_valid_base_url(const char *u) {
  const char *p;

  if (u == NULL)
    return 0;
  if (strncmp(u, "https://", 8) == 0)
    p = u + 8;
  else if (strncmp(u, "http://", 7) == 0)
    p = u + 7;
  else
    return 0;
  if (*p == '\0' || *p == '/')
    return 0;
  for (; *p; p++)
    if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '?' || *p == '#' ||
        *p == '/')
      return 0;
  return 1;
}

static int tt_check_text(const char *what, const char *s, char *err,
                         size_t errlen) {
  if (s == NULL || s[0] == '\0') {
    tt_err(err, errlen, "listing %s is empty", what);
    return -1;
  }
  if (!ocu_utf8_valid(s, strlen(s))) {
    tt_err(err, errlen, "listing %s is not valid UTF-8", what);
    return -1;
  }
  return 0;
}

static const char *tt_opt(const oc_shop *shop, const char *key) {
  const char *v = oc_shop_opt(shop, key, NULL);

  return v != NULL && v[0] != '\0' ? v : NULL;
}

static int tt_empty(const char *s) { return s == NULL || s[0] == '\0'; }

/* Messages name the field, never its value: values may be secrets. */
static int tt_check_shop(oc_op op, const tt_opdef *d, const oc_shop *shop,
                         char *err, size_t errlen) {
  if (shop == NULL) {
    tt_err(err, errlen, "shop is missing");
    return -1;
  }
  if (shop->nopts > 0 && shop->opts == NULL) {
    tt_err(err, errlen, "shop options are missing");
    return -1;
  }
  if (tt_empty(shop->app_key)) {
    tt_err(err, errlen, "shop app_key is not set");
    return -1;
  }
  if (tt_empty(shop->app_secret)) {
    tt_err(err, errlen, "shop app_secret is not set");
    return -1;
  }
  if (op == OC_OP_AUTH_LINK) {
    if (!tt_valid_base_url(
            oc_shop_opt(shop, "auth_link_base", TT_DEFAULT_AUTH_LINK_BASE))) {
      tt_err(err, errlen,
             "shop option \"auth_link_base\" must be http(s)://host[:port] "
             "without a path or trailing slash");
      return -1;
    }
    return 0;
  }
  if (op == OC_OP_REFRESH_TOKEN || op == OC_OP_TOKEN_EXCHANGE) {
    const char *auth = oc_shop_opt(shop, "auth_url", TT_DEFAULT_AUTH_URL);

    if (!tt_valid_base_url(auth)) {
      tt_err(err, errlen,
             "shop option \"auth_url\" must be http(s)://host[:port] without "
             "a path or trailing slash");
      return -1;
    }
    if (op == OC_OP_REFRESH_TOKEN && tt_empty(shop->refresh_token)) {
      tt_err(err, errlen, "shop refresh_token is not set");
      return -1;
    }
    if (op == OC_OP_TOKEN_EXCHANGE && tt_empty(shop->auth_code)) {
      tt_err(err, errlen, "shop auth_code is not set");
      return -1;
    }
    return 0;
  }
  if (!tt_valid_base_url(shop->base_url)) {
    tt_err(err, errlen,
           "shop base_url must be http(s)://host[:port] without a trailing "
           "slash");
    return -1;
  }
  if (d->kind == TT_SHOP) {
    if (tt_empty(shop->access_token)) {
      tt_err(err, errlen, "shop access_token is not set");
      return -1;
    }
    if (tt_opt(shop, "shop_cipher") == NULL) {
      tt_err(err, errlen,
             "shop option \"shop_cipher\" is not set (TikTok shop calls need "
             "it; see GET /authorization/202309/shops)");
      return -1;
    }
  }
  return 0;
}

static int tt_check_listing(const tt_opdef *d, const oc_listing *l,
                            char pid[21], char sid[21], char *err,
                            size_t errlen) {
  if (!(d->need & TT_NEED_LISTING))
    return 0;
  if (l == NULL) {
    tt_err(err, errlen, "listing is missing");
    return -1;
  }
  if ((d->need & TT_NEED_SKU) && tt_check_text("sku", l->sku, err, errlen))
    return -1;
  if (d->need & TT_NEED_ITEM) {
    if (tt_empty(l->item_id)) {
      tt_err(err, errlen, "listing item_id is missing (not published yet)");
      return -1;
    }
    if (tt_split_item_id(l->item_id, pid, sid)) {
      tt_err(err, errlen,
             "listing item_id is not a TikTok \"<product_id>:<sku_id>\" id");
      return -1;
    }
  }
  if ((d->need & TT_NEED_PRICE) && l->price_vnd < 0) {
    tt_err(err, errlen, "listing price must be >= 0 dong");
    return -1;
  }
  if ((d->need & TT_NEED_STOCK) && l->stock < 0) {
    tt_err(err, errlen, "listing stock must be >= 0");
    return -1;
  }
  if (d->need & TT_NEED_TEXT) {
    if (tt_check_text("name", l->name, err, errlen) ||
        tt_check_text("description", l->description, err, errlen))
      return -1;
    if (strspn(l->name, " \t") == strlen(l->name)) {
      tt_err(err, errlen, "listing name is blank");
      return -1;
    }
    if (l->stars != 0 && (l->stars < 3 || l->stars > 5)) {
      tt_err(err, errlen, "listing stars must be 0 (no claim) or 3..5");
      return -1;
    }
    if (l->stars != 0 &&
        tt_check_text("certificate_no", l->certificate_no, err, errlen))
      return -1;
    if (ocu_has_ocop(l->name) || ocu_has_ocop(l->description)) {
      tt_err(err, errlen,
             "listing name or description already mentions OCOP; the "
             "connector adds the claim itself");
      return -1;
    }
  }
  return 0;
}

/* ---- signing (see "Signing") --------------------------------------------- */

/* Indexes of the signed params (all but sign and access_token), sorted by
 * key byte-wise. Returns how many. */
static size_t tt_sorted(const tt_param *p, size_t n, size_t idx[TT_MAX_PARAMS]) {
  size_t i, j, m = 0;

  for (i = 0; i < n && m < TT_MAX_PARAMS; i++) {
    if (strcmp(p[i].key, "sign") == 0 || strcmp(p[i].key, "access_token") == 0)
      continue;
    for (j = m; j > 0 && strcmp(p[idx[j - 1]].key, p[i].key) > 0; j--)
      idx[j] = idx[j - 1];
    idx[j] = i;
    m++;
  }
  return m;
}

/*
 * secret ‖ path ‖ sorted k‖v (raw values) ‖ body bytes ‖ secret, as a
 * malloc'd string with its length in *outlen; NULL on OOM. The body is the
 * exact buffer that will be sent (body may be NULL).
 */
static char *tt_canonical(const char *secret, const char *path,
                          const tt_param *p, size_t n, const char *body,
                          size_t body_len, size_t *outlen) {
  ocu_buf b = OCU_BUF_INIT;
  size_t idx[TT_MAX_PARAMS], m, i;
  char *s;

  m = tt_sorted(p, n, idx);
  ocu_buf_puts(&b, secret);
  ocu_buf_puts(&b, path);
  for (i = 0; i < m; i++) {
    ocu_buf_puts(&b, p[idx[i]].key);
    ocu_buf_puts(&b, p[idx[i]].value);
  }
  if (body != NULL && body_len > 0)
    ocu_buf_add(&b, body, body_len);
  ocu_buf_puts(&b, secret);
  if (outlen != NULL)
    *outlen = b.len;
  s = ocu_buf_detach(&b);
  return s;
}

/* Lowercase hex HMAC-SHA256(app_secret, canonical). 0 or -1. */
static int tt_sign(const char *secret, const char *path, const tt_param *p,
                   size_t n, const char *body, size_t body_len, char out[65]) {
  size_t len = 0;
  char *c = tt_canonical(secret, path, p, n, body, body_len, &len);
  int r;

  out[0] = '\0';
  if (c == NULL)
    return -1;
  r = ocu_hmac_sha256_hex(secret, strlen(secret), c, len, OCU_HEX_LOWER, out);
  ocu_cleanse(c, len); /* holds the secret */
  free(c);
  return r;
}

/* base + path + "?" + k=v&... (sorted as signed) [+ &sign=]; NULL on OOM. */
static char *tt_url(const char *base, const char *path, const tt_param *p,
                    size_t n, const char *sign) {
  ocu_buf b = OCU_BUF_INIT;
  size_t i;

  ocu_buf_puts(&b, base);
  ocu_buf_puts(&b, path);
  for (i = 0; i < n; i++) {
    ocu_buf_puts(&b, i == 0 ? "?" : "&");
    ocu_buf_urlencode(&b, p[i].key);
    ocu_buf_puts(&b, "=");
    ocu_buf_urlencode(&b, p[i].value);
  }
  if (sign != NULL) {
    ocu_buf_puts(&b, n == 0 ? "?sign=" : "&sign=");
    ocu_buf_puts(&b, sign);
  }
  if (b.failed) {
    ocu_buf_free_secure(&b);
    return NULL;
  }
  return ocu_buf_detach(&b);
}

/* ---- OCOP claims ------------------------------------------------------------ */

/* ---- request bodies ---------------------------------------------------------- */

static int tt_put(cJSON *obj, const char *key, cJSON *item) {
  cJSON_bool ok;

  if (item == NULL)
    return -1;
  ok = key ? cJSON_AddItemToObject(obj, key, item)
           : cJSON_AddItemToArray(obj, item);
  if (!ok) {
    cJSON_Delete(item);
    return -1;
  }
  return 0;
}

static cJSON *tt_int(int64_t v) {
  char buf[24];

  snprintf(buf, sizeof buf, "%" PRId64, v);
  return cJSON_CreateRaw(buf);
}

/* {"amount":"<whole dong>","currency":"VND"} (see "Money and SKUs"). */
static cJSON *tt_money(int64_t vnd) {
  char buf[24];
  cJSON *o = cJSON_CreateObject();

  snprintf(buf, sizeof buf, "%" PRId64, vnd);
  if (o == NULL || tt_put(o, "amount", cJSON_CreateString(buf)) ||
      tt_put(o, "currency", cJSON_CreateString("VND"))) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* [{"warehouse_id":"<w>","quantity":N}] */
static cJSON *tt_inventory(const char *wh, int64_t qty) {
  cJSON *arr = cJSON_CreateArray(), *o = cJSON_CreateObject();

  if (arr == NULL || o == NULL) {
    cJSON_Delete(arr);
    cJSON_Delete(o);
    return NULL;
  }
  if (tt_put(arr, NULL, o) ||
      tt_put(o, "warehouse_id", cJSON_CreateString(wh)) ||
      tt_put(o, "quantity", tt_int(qty))) {
    cJSON_Delete(arr);
    return NULL;
  }
  return arr;
}

/* Weight in kg as a decimal string: 250 -> "0.25", 1000 -> "1". */
static cJSON *tt_weight_kg(int32_t grams) {
  char buf[24];
  int n = snprintf(buf, sizeof buf, "%" PRId32 ".%03" PRId32, grams / 1000,
                   grams % 1000);

  while (n > 0 && buf[n - 1] == '0')
    buf[--n] = '\0';
  if (n > 0 && buf[n - 1] == '.')
    buf[--n] = '\0';
  return cJSON_CreateString(buf);
}

static int tt_add_text(cJSON *body, const oc_listing *l) {
  char *title = ocu_claim_title(l, TT_TITLE_MAX_CP), *desc = ocu_claim_description(l);
  int r = -1;

  if (title != NULL && desc != NULL &&
      tt_put(body, "title", cJSON_CreateString(title)) == 0 &&
      tt_put(body, "description", cJSON_CreateString(desc)) == 0)
    r = 0;
  free(title);
  free(desc);
  return r;
}

static const char *tt_warehouse(const oc_shop *shop, char *err, size_t errlen) {
  const char *wh = tt_opt(shop, "warehouse_id");

  if (wh == NULL) {
    tt_err(err, errlen, "shop option \"warehouse_id\" is not set");
    return NULL;
  }
  if (!tt_valid_id(wh)) {
    tt_err(err, errlen, "shop option \"warehouse_id\" is not a numeric id");
    return NULL;
  }
  return wh;
}

/* 1 if s is usable as an image uri: printable ASCII, no blanks or quotes. */
static int tt_valid_uri(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || *s == '"' ||
        *s == '\\')
      return 0;
  return 1;
}

#define TT_OOM -2 /* body builders: -1 err set, -2 out of memory */

static int tt_body_publish(cJSON *body, const oc_shop *shop,
                           const oc_listing *l, char *err, size_t errlen) {
  char catkey[96] = "";
  const char *cat = NULL, *catopt = "category_id", *img, *wh;
  cJSON *o, *arr, *sku;

  if (l->weight_g == 0) {
    tt_err(err, errlen,
           "listing weight unknown (TikTok requires a package weight)");
    return -1;
  }
  if (l->weight_g < 0) {
    tt_err(err, errlen, "listing weight must be positive");
    return -1;
  }
  if (l->category != NULL && l->category[0] != '\0') {
    int n = snprintf(catkey, sizeof catkey, "category.%s", l->category);

    if (n > 0 && (size_t)n < sizeof catkey && (cat = tt_opt(shop, catkey)))
      catopt = catkey;
  }
  if (cat == NULL)
    cat = tt_opt(shop, "category_id");
  if (cat == NULL) {
    if (catkey[0])
      tt_err(err, errlen,
             "shop option \"category_id\" is not set (nor \"%s\")", catkey);
    else
      tt_err(err, errlen, "shop option \"category_id\" is not set");
    return -1;
  }
  if (!tt_valid_id(cat)) {
    tt_err(err, errlen, "shop option \"%s\" is not a numeric id", catopt);
    return -1;
  }
  if ((img = tt_opt(shop, "image_uri")) == NULL) {
    tt_err(err, errlen, "shop option \"image_uri\" is not set");
    return -1;
  }
  if (!tt_valid_uri(img)) {
    tt_err(err, errlen, "shop option \"image_uri\" is not a valid uri");
    return -1;
  }
  if ((wh = tt_warehouse(shop, err, errlen)) == NULL)
    return -1;

  if (tt_add_text(body, l) ||
      tt_put(body, "category_id", cJSON_CreateString(cat)))
    return TT_OOM;
  arr = cJSON_CreateArray();
  if (tt_put(body, "main_images", arr))
    return TT_OOM;
  o = cJSON_CreateObject();
  if (tt_put(arr, NULL, o) || tt_put(o, "uri", cJSON_CreateString(img)))
    return TT_OOM;
  o = cJSON_CreateObject();
  if (tt_put(body, "package_weight", o) ||
      tt_put(o, "value", tt_weight_kg(l->weight_g)) ||
      tt_put(o, "unit", cJSON_CreateString("KILOGRAM")))
    return TT_OOM;
  arr = cJSON_CreateArray();
  if (tt_put(body, "skus", arr))
    return TT_OOM;
  sku = cJSON_CreateObject();
  if (tt_put(arr, NULL, sku) ||
      tt_put(sku, "seller_sku", cJSON_CreateString(l->sku)) ||
      tt_put(sku, "price", tt_money(l->price_vnd)) ||
      tt_put(sku, "inventory", tt_inventory(wh, l->stock)))
    return TT_OOM;
  return 0;
}

static int tt_body(oc_op op, const oc_shop *shop, const oc_listing *l,
                   const char *pid, const char *sid, char **text, char *err,
                   size_t errlen) {
  cJSON *body = cJSON_CreateObject(), *arr, *o;
  const char *wh;
  int r = TT_OOM;

  *text = NULL;
  if (body == NULL)
    goto oom;
  switch (op) {
  case OC_OP_PUBLISH:
    r = tt_body_publish(body, shop, l, err, errlen);
    break;
  case OC_OP_UPDATE:
    r = tt_add_text(body, l) ? TT_OOM : 0;
    break;
  case OC_OP_SET_STOCK:
  case OC_OP_SET_PRICE:
    wh = NULL;
    if (op == OC_OP_SET_STOCK && (wh = tt_warehouse(shop, err, errlen)) == NULL) {
      r = -1;
      break;
    }
    arr = cJSON_CreateArray();
    if (tt_put(body, "skus", arr))
      break;
    o = cJSON_CreateObject();
    if (tt_put(arr, NULL, o) || tt_put(o, "id", cJSON_CreateString(sid)))
      break;
    if (op == OC_OP_SET_STOCK)
      r = tt_put(o, "inventory", tt_inventory(wh, l->stock)) ? TT_OOM : 0;
    else
      r = tt_put(o, "price", tt_money(l->price_vnd)) ? TT_OOM : 0;
    break;
  case OC_OP_DELIST:
  case OC_OP_RELIST:
    arr = cJSON_CreateArray();
    if (tt_put(body, "product_ids", arr) ||
        tt_put(arr, NULL, cJSON_CreateString(pid)))
      break;
    r = 0;
    break;
  case OC_OP_LOOKUP_SKU:
    arr = cJSON_CreateArray();
    if (tt_put(body, "seller_skus", arr) ||
        tt_put(arr, NULL, cJSON_CreateString(l->sku)))
      break;
    r = 0;
    break;
  default:
    tt_err(err, errlen, "operation %s has no body", oc_op_name(op));
    r = -1;
    break;
  }
  if (r != 0) {
    cJSON_Delete(body);
    if (r == TT_OOM)
      tt_err(err, errlen, "out of memory");
    return -1;
  }
  *text = ocu_json_to_text(body);
  body = NULL;
  if (*text == NULL)
    goto oom;
  return 0;
oom:
  cJSON_Delete(body);
  tt_err(err, errlen, "out of memory");
  return -1;
}

/* ---- build -------------------------------------------------------------------- */

/* Frees a half-built request, wiping the copies of the token first. */
static void tt_request_wipe(oc_request *req) {
  if (req->url != NULL)
    ocu_cleanse(req->url, strlen(req->url));
  if (req->headers[0] != NULL)
    ocu_cleanse(req->headers[0], strlen(req->headers[0]));
  oc_request_free(req);
  memset(req, 0, sizeof *req);
}

/*
 * The part every shop call shares (see "Signing"): signs path, the query q
 * (listed sorted by key, so the URL shows them in signing order) and
 * req->body exactly as it will be sent, then writes url, log_url and the
 * token header. On failure req is wiped (its body freed too) and -1 returned.
 */
static int tt_shop_request(const oc_shop *shop, const char *path,
                           const tt_param *q, size_t nq, oc_request *req,
                           char *err, size_t errlen) {
  char sign[65];

  if (tt_sign(shop->app_secret, path, q, nq, req->body, req->body_len, sign))
    goto oom;
  req->url = tt_url(shop->base_url, path, q, nq, sign);
  req->log_url = ocu_asprintf("%s%s", shop->base_url, path);
  if (req->url == NULL || req->log_url == NULL)
    goto oom;
  req->headers[req->nheaders] =
      ocu_asprintf("x-tts-access-token: %s", shop->access_token);
  if (req->headers[req->nheaders++] == NULL)
    goto oom;
  if (req->body != NULL) {
    req->headers[req->nheaders] =
        ocu_asprintf("%s", "Content-Type: application/json");
    if (req->headers[req->nheaders++] == NULL)
      goto oom;
  }
  return 0;
oom:
  tt_err(err, errlen, "out of memory");
  tt_request_wipe(req);
  return -1;
}

static int tt_build(oc_op op, const oc_shop *shop, const oc_listing *l,
                    int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  const tt_opdef *d;
  tt_param q[TT_MAX_PARAMS];
  size_t nq = 0;
  char pid[21] = "", sid[21] = "", ts[24], path[128];
  char *body = NULL;
  const char *base;

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    tt_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  if (op <= 0 || op >= OC_OP_MAX || tt_ops[op].path == NULL ||
      (tt_ops[op].need & TT_ORDER_OP)) {
    tt_err(err, errlen, "operation %s is not supported by tiktok",
           oc_op_name(op));
    return -1;
  }
  d = &tt_ops[op];
  if (tt_check_shop(op, d, shop, err, errlen) ||
      tt_check_listing(d, l, pid, sid, err, errlen))
    return -1;
  if (now_ms < 0) {
    tt_err(err, errlen, "clock is before 1970");
    return -1;
  }
  snprintf(ts, sizeof ts, "%" PRId64, now_ms / 1000); /* Unix seconds */
  ocu_strlcpy(req->method, d->method, sizeof req->method);

  if (op == OC_OP_REFRESH_TOKEN) {
    /*
     * "Authorisation and tokens": a GET to the auth host with app_secret in the
     * query and no sign. The URL therefore holds the secret; log_url never
     * does.
     */
    base = oc_shop_opt(shop, "auth_url", TT_DEFAULT_AUTH_URL);
    q[nq++] = (tt_param){"app_key", shop->app_key};
    q[nq++] = (tt_param){"app_secret", shop->app_secret};
    q[nq++] = (tt_param){"refresh_token", shop->refresh_token};
    q[nq++] = (tt_param){"grant_type", "refresh_token"};
    req->url = tt_url(base, d->path, q, nq, NULL);
    req->log_url = ocu_asprintf("%s%s", base, d->path);
    if (req->url == NULL || req->log_url == NULL)
      goto oom;
    return 0;
  }
  if (op == OC_OP_TOKEN_EXCHANGE) {
    /* Like the refresh, a GET with app_secret and no sign. */
    base = oc_shop_opt(shop, "auth_url", TT_DEFAULT_AUTH_URL);
    q[nq++] = (tt_param){"app_key", shop->app_key};
    q[nq++] = (tt_param){"app_secret", shop->app_secret};
    q[nq++] = (tt_param){"auth_code", shop->auth_code};
    q[nq++] = (tt_param){"grant_type", "authorized_code"};
    req->url = tt_url(base, d->path, q, nq, NULL);
    req->log_url = ocu_asprintf("%s%s", base, d->path);
    if (req->url == NULL || req->log_url == NULL)
      goto oom;
    return 0;
  }
  if (op == OC_OP_AUTH_LINK) { /* [unverified] form, see the top comment */
    base = oc_shop_opt(shop, "auth_link_base", TT_DEFAULT_AUTH_LINK_BASE);
    q[nq++] = (tt_param){"service_id", shop->app_key};
    req->url = tt_url(base, d->path, q, nq, NULL);
    req->log_url = ocu_asprintf("%s%s", base, d->path);
    if (req->url == NULL || req->log_url == NULL)
      goto oom;
    return 0;
  }

  if (d->tail != NULL)
    snprintf(path, sizeof path, "%s/%s%s", d->path, pid, d->tail);
  else
    ocu_strlcpy(path, d->path, sizeof path);
  /* Sorted by key, so the URL lists them in signing order. */
  q[nq++] = (tt_param){"app_key", shop->app_key};
  if (op == OC_OP_LOOKUP_SKU)
    q[nq++] = (tt_param){"page_size", "10"};
  q[nq++] = (tt_param){"shop_cipher", tt_opt(shop, "shop_cipher")};
  q[nq++] = (tt_param){"timestamp", ts};

  if (strcmp(d->method, "POST") == 0) {
    if (tt_body(op, shop, l, pid, sid, &body, err, errlen))
      goto fail;
    req->body = body;
    req->body_len = strlen(body);
  }
  return tt_shop_request(shop, path, q, nq, req, err, errlen);
oom:
  tt_err(err, errlen, "out of memory");
fail:
  tt_request_wipe(req);
  return -1;
}

/* ---- build: orders (ABI 3) ------------------------------------------------------ */

#define TT_ORDER_WINDOW_S (7 * 86400) /* no documented limit: 7-day slices */
#define TT_ORDER_PAGE_SIZE "100"
#define TT_ORDER_ID_MAX 64      /* bytes: the longest id we ask for or hand on */
#define TT_PAGE_TOKEN_MAX 1024 /* ours: a broken answer cannot grow the URL */

/* 1..TT_ORDER_ID_MAX bytes of [A-Za-z0-9_-]: safe in a comma-joined query
 * and in the canonical JSON, whatever the marketplace sends. */
static int tt_valid_order_id(const char *s) {
  size_t n;

  if (s == NULL)
    return 0;
  n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                "0123456789_-");
  return n > 0 && n <= TT_ORDER_ID_MAX && s[n] == '\0';
}

/* GET_ORDERS: the ids comma-joined (see "Signing": signed as that one
 * string). */
static int tt_order_ids(const oc_order_query *q, char **out, char *err,
                        size_t errlen) {
  ocu_buf b = OCU_BUF_INIT;
  size_t i;

  *out = NULL;
  if (q->ids == NULL || q->nids < 1 || q->nids > OC_MAX_ORDER_IDS) {
    tt_err(err, errlen, "order query needs 1..%d ids", OC_MAX_ORDER_IDS);
    return -1;
  }
  for (i = 0; i < q->nids; i++) {
    if (!tt_valid_order_id(q->ids[i])) {
      tt_err(err, errlen,
             "order id #%zu is not 1..%d characters of [A-Za-z0-9_-]", i + 1,
             TT_ORDER_ID_MAX);
      return -1;
    }
  }
  for (i = 0; i < q->nids; i++) {
    if (i > 0)
      ocu_buf_puts(&b, ",");
    ocu_buf_puts(&b, q->ids[i]);
  }
  if ((*out = ocu_buf_detach(&b)) == NULL) {
    tt_err(err, errlen, "out of memory");
    return -1;
  }
  return 0;
}

/* LIST_ORDERS: the window must be a non-empty [from, to) of at most
 * TT_ORDER_WINDOW_S, so a core bug never asks for months at once. */
static int tt_check_window(const oc_order_query *q, char *err, size_t errlen) {
  if (q->from_s < 0 || q->to_s <= q->from_s) {
    tt_err(err, errlen, "order window must be 0 <= from < to");
    return -1;
  }
  if (q->to_s - q->from_s > TT_ORDER_WINDOW_S) {
    tt_err(err, errlen, "order window is longer than %d s", TT_ORDER_WINDOW_S);
    return -1;
  }
  if (q->page != NULL && strlen(q->page) > TT_PAGE_TOKEN_MAX) {
    tt_err(err, errlen, "order page token is longer than %d bytes",
           TT_PAGE_TOKEN_MAX);
    return -1;
  }
  return 0;
}

static int tt_build_orders(oc_op op, const oc_shop *shop,
                           const oc_order_query *q, int64_t now_ms,
                           oc_request *req, char *err, size_t errlen) {
  const tt_opdef *d;
  tt_param p[TT_MAX_PARAMS];
  size_t np = 0;
  char ts[24], *ids = NULL;
  const char *page;
  int r;

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    tt_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  if (op != OC_OP_LIST_ORDERS && op != OC_OP_GET_ORDERS) {
    tt_err(err, errlen, "operation %s is not an order operation",
           oc_op_name(op));
    return -1;
  }
  d = &tt_ops[op];
  if (tt_check_shop(op, d, shop, err, errlen))
    return -1;
  if (q == NULL) {
    tt_err(err, errlen, "order query is missing");
    return -1;
  }
  if (now_ms < 0) {
    tt_err(err, errlen, "clock is before 1970");
    return -1;
  }
  if (op == OC_OP_LIST_ORDERS ? tt_check_window(q, err, errlen)
                              : tt_order_ids(q, &ids, err, errlen))
    return -1;
  snprintf(ts, sizeof ts, "%" PRId64, now_ms / 1000);
  ocu_strlcpy(req->method, d->method, sizeof req->method);

  /* Sorted by key, like every shop call. */
  p[np++] = (tt_param){"app_key", shop->app_key};
  if (op == OC_OP_LIST_ORDERS) {
    /* Oldest update first: the order in which the core's cursor moves. */
    page = q->page != NULL ? q->page : "";
    p[np++] = (tt_param){"page_size", TT_ORDER_PAGE_SIZE};
    if (page[0] != '\0')
      p[np++] = (tt_param){"page_token", page};
    p[np++] = (tt_param){"shop_cipher", tt_opt(shop, "shop_cipher")};
    p[np++] = (tt_param){"sort_field", "update_time"};
    p[np++] = (tt_param){"sort_order", "ASC"};
    req->body = ocu_asprintf("{\"update_time_ge\":%" PRId64
                             ",\"update_time_lt\":%" PRId64 "}",
                             q->from_s, q->to_s);
    if (req->body == NULL) {
      tt_err(err, errlen, "out of memory");
      memset(req, 0, sizeof *req);
      return -1;
    }
    req->body_len = strlen(req->body);
  } else {
    p[np++] = (tt_param){"ids", ids};
    p[np++] = (tt_param){"shop_cipher", tt_opt(shop, "shop_cipher")};
  }
  p[np++] = (tt_param){"timestamp", ts};
  r = tt_shop_request(shop, d->path, p, np, req, err, errlen);
  free(ids);
  return r;
}

/* ---- parse --------------------------------------------------------------------- */

#define TT_UNEXPECTED(res, shop, ...) \
  ocu_fail((res), (shop), OC_RETRY, 0, "unexpected response: " __VA_ARGS__)

/* Classification of a non-zero code. */
static oc_status tt_classify(long code, long *retry_ms) {
  *retry_ms = 0;
  if (code == TT_CODE_RATE || code == TT_CODE_RATE2) {
    *retry_ms = TT_RATE_LIMIT_RETRY_MS;
    return OC_RETRY;
  }
  /* A stale timestamp (request queued too long: 300 s) is cured by
   * building again; a skewed clock ends in the core's retry limit. */
  if (code == TT_CODE_TIMESTAMP)
    return OC_RETRY;
  if (code == TT_CODE_NOT_FOUND)
    return OC_NOT_FOUND;
  /* 105001 invalid, 105002 expired, other 105xxx token problems;
   * 105005 is a missing API permission: the operator must act. */
  if (code >= 105000 && code <= 105999 && code != TT_CODE_NO_PERMISSION)
    return OC_AUTH;
  return OC_REJECTED; /* 106001 bad sign, parameter errors, ... */
}

/* A required string id of 1..20 digits, read only as a JSON string. */
static int tt_req_id(oc_result *res, const oc_shop *shop, const cJSON *item,
                     const char *what, char out[21]) {
  char why[160];

  if (ocu_json_id(item, OCU_ID_STRING, what, out, 21, why, sizeof why)) {
    TT_UNEXPECTED(res, shop, "%s", why);
    return -1;
  }
  if (!tt_valid_id(out)) {
    out[0] = '\0';
    TT_UNEXPECTED(res, shop, "field %s is not a decimal id", what);
    return -1;
  }
  return 0;
}

/* A required string member; NULL with res set. */
static const char *tt_req_str(oc_result *res, const oc_shop *shop,
                              const cJSON *obj, const char *key,
                              const char *what) {
  return ocu_req_str(res, shop, obj, key, what, "unexpected response: ");
}

static const cJSON *tt_req_array(oc_result *res, const oc_shop *shop,
                                 const cJSON *obj, const char *key,
                                 const char *what) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it)) {
    TT_UNEXPECTED(res, shop, "field %s is missing", what);
    return NULL;
  }
  if (!cJSON_IsArray(it)) {
    TT_UNEXPECTED(res, shop, "field %s is not an array", what);
    return NULL;
  }
  return it;
}

static int tt_req_int(oc_result *res, const oc_shop *shop, const cJSON *obj,
                      const char *key, const char *what, int64_t *out) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it)) {
    TT_UNEXPECTED(res, shop, "field %s is missing", what);
    return -1;
  }
  if (!cJSON_IsNumber(it)) {
    TT_UNEXPECTED(res, shop, "field %s is not a number", what);
    return -1;
  }
  if (ocu_json_int(it, out) != 0) {
    TT_UNEXPECTED(res, shop, "field %s is not an integer in range", what);
    return -1;
  }
  return 0;
}

/*
 * A money amount string ("150000", "150000.00", "149999.5") into whole
 * dong, rounded half up. 0, or -1 when not a non-negative decimal of at most
 * 15 integer digits.
 */
static int tt_amount(const char *s, int64_t *out) {
  int64_t v = 0;
  size_t n = 0;

  if (s == NULL || *s < '0' || *s > '9')
    return -1;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (++n > 15)
      return -1;
    v = v * 10 + (*s - '0');
  }
  if (*s == '.') {
    s++;
    if (*s < '0' || *s > '9')
      return -1;
    if (*s >= '5')
      v++;
    while (*s >= '0' && *s <= '9')
      s++;
  }
  if (*s != '\0')
    return -1;
  *out = v;
  return 0;
}

/* Joins "<product_id>:<sku_id>" into res->item_id. */
static void tt_set_item(oc_result *res, const char *pid, const char *sid) {
  snprintf(res->item_id, sizeof res->item_id, "%s:%s", pid, sid);
}

/* The sku entry of skus[] whose seller_sku (or id) matches; NULL if none,
 * with *bad set when the array holds something unreadable (res set). */
static const cJSON *tt_find_sku(oc_result *res, const oc_shop *shop,
                                const cJSON *skus, const char *key,
                                const char *want, const char *what, int *bad) {
  const cJSON *s;

  *bad = 0;
  cJSON_ArrayForEach(s, skus) {
    const cJSON *v;

    if (!cJSON_IsObject(s)) {
      TT_UNEXPECTED(res, shop, "field %s[] is not an object", what);
      *bad = 1;
      return NULL;
    }
    v = cJSON_GetObjectItemCaseSensitive(s, key);
    if (cJSON_IsNumber(v) && strcmp(key, "id") == 0) {
      TT_UNEXPECTED(res, shop, "field %s[].id is not a string", what);
      *bad = 1;
      return NULL;
    }
    if (cJSON_IsString(v) && want != NULL && strcmp(v->valuestring, want) == 0)
      return s;
  }
  return NULL;
}

static void tt_parse_publish(oc_result *res, const oc_shop *shop,
                             const oc_listing *l, const cJSON *data) {
  const cJSON *skus, *s;
  char pid[21], sid[21];
  int bad;

  if (tt_req_id(res, shop, cJSON_GetObjectItemCaseSensitive(data, "product_id"),
                "data.product_id", pid))
    return;
  if ((skus = tt_req_array(res, shop, data, "skus", "data.skus")) == NULL)
    return;
  s = tt_find_sku(res, shop, skus, "seller_sku", l ? l->sku : NULL,
                  "data.skus", &bad);
  if (bad)
    return;
  if (s == NULL && cJSON_GetArraySize(skus) == 1)
    s = cJSON_GetArrayItem(skus, 0); /* one sku, seller_sku not echoed */
  if (s == NULL) {
    TT_UNEXPECTED(res, shop, "data.skus has no sku with our seller_sku");
    return;
  }
  if (tt_req_id(res, shop, cJSON_GetObjectItemCaseSensitive(s, "id"),
                "data.skus[].id", sid))
    return;
  tt_set_item(res, pid, sid);
}

static void tt_parse_lookup(oc_result *res, const oc_shop *shop,
                            const oc_listing *l, const cJSON *data) {
  const cJSON *prods = cJSON_GetObjectItemCaseSensitive(data, "products");
  const cJSON *p;

  if (prods == NULL || cJSON_IsNull(prods) ||
      (cJSON_IsArray(prods) && cJSON_GetArraySize(prods) == 0)) {
    ocu_fail(res, shop, OC_NOT_FOUND, 0, "no listing with this SKU");
    return;
  }
  if (!cJSON_IsArray(prods)) {
    TT_UNEXPECTED(res, shop, "field data.products is not an array");
    return;
  }
  cJSON_ArrayForEach(p, prods) {
    const cJSON *skus, *s;
    const char *st;
    char pid[21], sid[21];
    int bad;

    if (!cJSON_IsObject(p)) {
      TT_UNEXPECTED(res, shop, "field data.products[] is not an object");
      return;
    }
    if (tt_req_id(res, shop, cJSON_GetObjectItemCaseSensitive(p, "id"),
                  "data.products[].id", pid))
      return;
    st = ocu_json_str(p, "status");
    if (st != NULL && strcmp(st, "DELETED") == 0)
      continue;
    if ((skus = tt_req_array(res, shop, p, "skus", "data.products[].skus")) ==
        NULL)
      return;
    /* The search may match loosely: only an exact seller_sku is ours. */
    s = tt_find_sku(res, shop, skus, "seller_sku", l ? l->sku : NULL,
                    "data.products[].skus", &bad);
    if (bad)
      return;
    if (s == NULL)
      continue;
    if (tt_req_id(res, shop, cJSON_GetObjectItemCaseSensitive(s, "id"),
                  "data.products[].skus[].id", sid))
      return;
    tt_set_item(res, pid, sid);
    return;
  }
  ocu_fail(res, shop, OC_NOT_FOUND, 0, "no listing with this SKU");
}

static void tt_parse_listing(oc_result *res, const oc_shop *shop,
                             const oc_listing *l, const cJSON *data) {
  const cJSON *skus, *s, *price, *inv, *e;
  const char *st, *amount;
  char pid[21], want_pid[21] = "", want_sid[21] = "", sid[21];
  int64_t vnd, stock = 0;
  int bad;

  if (l != NULL)
    tt_split_item_id(l->item_id, want_pid, want_sid);
  if (tt_req_id(res, shop, cJSON_GetObjectItemCaseSensitive(data, "id"),
                "data.id", pid))
    return;
  if (want_pid[0] && strcmp(pid, want_pid) != 0) {
    TT_UNEXPECTED(res, shop, "data.id is another product");
    return;
  }
  if ((st = tt_req_str(res, shop, data, "status", "data.status")) == NULL)
    return;
  if (strcmp(st, "DELETED") == 0) {
    ocu_fail(res, shop, OC_NOT_FOUND, 0, "status %s", st);
    return;
  }
  if ((skus = tt_req_array(res, shop, data, "skus", "data.skus")) == NULL)
    return;
  s = tt_find_sku(res, shop, skus, "id", want_sid[0] ? want_sid : NULL,
                  "data.skus", &bad);
  if (bad)
    return;
  if (s == NULL && !want_sid[0] && cJSON_GetArraySize(skus) > 0)
    s = cJSON_GetArrayItem(skus, 0);
  if (s == NULL) {
    ocu_fail(res, shop, OC_NOT_FOUND, 0, "sku not found in product");
    return;
  }
  if (!cJSON_IsObject(s)) {
    TT_UNEXPECTED(res, shop, "field data.skus[] is not an object");
    return;
  }
  if (tt_req_id(res, shop, cJSON_GetObjectItemCaseSensitive(s, "id"),
                "data.skus[].id", sid))
    return;
  price = cJSON_GetObjectItemCaseSensitive(s, "price");
  if (!cJSON_IsObject(price)) {
    TT_UNEXPECTED(res, shop, "field data.skus[].price is %s",
                  price ? "not an object" : "missing");
    return;
  }
  if ((amount = tt_req_str(res, shop, price, "amount",
                           "data.skus[].price.amount")) == NULL)
    return;
  if (tt_amount(amount, &vnd)) {
    TT_UNEXPECTED(res, shop, "field data.skus[].price.amount is not an amount");
    return;
  }
  if ((inv = tt_req_array(res, shop, s, "inventory", "data.skus[].inventory")) ==
      NULL)
    return;
  cJSON_ArrayForEach(e, inv) { /* the sum over warehouses */
    int64_t q;

    if (!cJSON_IsObject(e)) {
      TT_UNEXPECTED(res, shop, "field data.skus[].inventory[] is not an object");
      return;
    }
    if (tt_req_int(res, shop, e, "quantity", "data.skus[].inventory[].quantity",
                   &q))
      return;
    if (q < 0 || q > OCU_JSON_INT_MAX - stock) {
      TT_UNEXPECTED(res, shop, "inventory quantity out of range");
      return;
    }
    stock += q;
  }
  tt_set_item(res, pid, sid);
  res->price_vnd = vnd;
  res->stock = stock;
  res->active = strcmp(st, "ACTIVATE") == 0;
  /* DRAFT, PENDING, FAILED, PLATFORM_DEACTIVATED, FREEZE... read as not
   * active; say which (SELLER_DEACTIVATED is our own delist). */
  if (!res->active && strcmp(st, "SELLER_DEACTIVATED") != 0)
    ocu_fail(res, shop, OC_OK, 0, "status %s", st);
}

static void tt_parse_token(oc_result *res, const oc_shop *shop,
                           const cJSON *data) {
  const char *at, *rt;
  int64_t aexp, rexp;

  if ((at = tt_req_str(res, shop, data, "access_token", "data.access_token")) ==
          NULL ||
      (rt = tt_req_str(res, shop, data, "refresh_token",
                       "data.refresh_token")) == NULL ||
      tt_req_int(res, shop, data, "access_token_expire_in",
                 "data.access_token_expire_in", &aexp) ||
      tt_req_int(res, shop, data, "refresh_token_expire_in",
                 "data.refresh_token_expire_in", &rexp))
    return;
  if (at[0] == '\0' || rt[0] == '\0' || aexp <= 0 || rexp < 0) {
    TT_UNEXPECTED(res, shop, "empty token or expiry");
    return;
  }
  if (strlen(at) >= sizeof res->access_token ||
      strlen(rt) >= sizeof res->refresh_token) {
    TT_UNEXPECTED(res, shop, "token longer than %zu bytes",
                  sizeof res->access_token - 1);
    return;
  }
  ocu_strlcpy(res->access_token, at, sizeof res->access_token);
  ocu_strlcpy(res->refresh_token, rt, sizeof res->refresh_token);
  /*
   * TikTok's *_expire_in are ABSOLUTE Unix seconds (e.g. 1722342011), unlike
   * Shopee's expire_in and Lazada's expires_in, which are lifetimes in seconds
   * that those connectors return as they are (relative). They are passed
   * through unchanged here: the core must not add the send time to TikTok's
   * values.
   */
  res->access_expires_at = aexp;
  res->refresh_expires_at = rexp;
}

/* Batch writes can answer code 0 with data.errors[] (per-product failures). */
static void tt_check_errors(oc_result *res, const oc_shop *shop,
                            const cJSON *data) {
  const cJSON *errs = cJSON_GetObjectItemCaseSensitive(data, "errors");
  const cJSON *e, *c;
  const char *msg;
  long code = 0, retry = 0;
  int64_t v;

  if (errs == NULL || cJSON_IsNull(errs))
    return;
  if (!cJSON_IsArray(errs)) {
    TT_UNEXPECTED(res, shop, "field data.errors is not an array");
    return;
  }
  e = cJSON_GetArrayItem(errs, 0);
  if (e == NULL)
    return;
  if (!cJSON_IsObject(e)) {
    TT_UNEXPECTED(res, shop, "field data.errors[] is not an object");
    return;
  }
  c = cJSON_GetObjectItemCaseSensitive(e, "code");
  if (ocu_json_int(c, &v) == 0)
    code = (long)v;
  msg = ocu_json_str(e, "message");
  if (code != 0) {
    oc_status st = tt_classify(code, &retry); /* sets retry first */

    ocu_fail(res, shop, st, retry, "%ld: %s", code, msg ? msg : "");
  }
  else
    ocu_fail(res, shop, OC_REJECTED, 0, "data.errors: %s",
            msg ? msg : "(no message)");
}

static void tt_parse_ok(oc_op op, oc_result *res, const oc_shop *shop,
                        const oc_listing *l, const cJSON *root) {
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");

  if (data == NULL || cJSON_IsNull(data)) {
    /* Writes have nothing to read back. */
    if (op == OC_OP_UPDATE || op == OC_OP_SET_STOCK ||
        op == OC_OP_SET_PRICE || op == OC_OP_DELIST || op == OC_OP_RELIST)
      return;
    TT_UNEXPECTED(res, shop, "field data is missing");
    return;
  }
  if (!cJSON_IsObject(data)) {
    TT_UNEXPECTED(res, shop, "field data is not an object");
    return;
  }
  switch (op) {
  case OC_OP_PUBLISH:
    tt_parse_publish(res, shop, l, data);
    break;
  case OC_OP_LOOKUP_SKU:
    tt_parse_lookup(res, shop, l, data);
    break;
  case OC_OP_GET_LISTING:
    tt_parse_listing(res, shop, l, data);
    break;
  case OC_OP_REFRESH_TOKEN:
  case OC_OP_TOKEN_EXCHANGE:
    tt_parse_token(res, shop, data);
    break;
  default:
    tt_check_errors(res, shop, data);
    break;
  }
}

/*
 * The envelope of every answer (see "Envelope and errors"): classifies
 * transport, HTTP status and code. Returns the parsed root (the caller deletes
 * it) only for code 0 with HTTP 2xx; otherwise NULL with res failed. res is
 * reset first.
 */
static cJSON *tt_envelope(oc_op op, const oc_shop *shop, long http_status,
                          const char *body, size_t len, oc_result *res) {
  cJSON *root = NULL;
  const cJSON *cj, *rid;
  const char *msg;
  char why[160];
  int http_ok = http_status >= 200 && http_status <= 299;
  int busy = http_status == 429 || http_status >= 500;
  long code = 0, retry = 0;
  int64_t v;
  oc_status st;

  memset(res, 0, sizeof *res);
  res->status = OC_OK;
  if (http_status <= 0) {
    ocu_fail(res, shop, OC_RETRY, 0, "no response");
    return NULL;
  }
  if (ocu_json_parse(body, len, &root, why, sizeof why) != 0 ||
      !cJSON_IsObject(root)) {
    if (root != NULL)
      snprintf(why, sizeof why, "not a JSON object");
    cJSON_Delete(root);
    if (busy)
      ocu_fail(res, shop, OC_RETRY,
              http_status == 429 ? TT_RATE_LIMIT_RETRY_MS : 0, "HTTP %ld",
              http_status);
    else if (!http_ok)
      ocu_fail(res, shop, OC_REJECTED, 0, "HTTP %ld", http_status);
    else
      ocu_fail(res, shop, OC_RETRY, 0, "malformed response: %s", why);
    return NULL;
  }

  rid = cJSON_GetObjectItemCaseSensitive(root, "request_id");
  if (cJSON_IsString(rid))
    ocu_utf8_copy(res->request_id, sizeof res->request_id, rid->valuestring);
  cj = cJSON_GetObjectItemCaseSensitive(root, "code");
  if (cj == NULL || ocu_json_int(cj, &v) != 0 || v < 0 ||
      v > 2147483647LL) {
    if (busy)
      ocu_fail(res, shop, OC_RETRY,
              http_status == 429 ? TT_RATE_LIMIT_RETRY_MS : 0, "HTTP %ld",
              http_status);
    else if (!http_ok)
      ocu_fail(res, shop, OC_REJECTED, 0, "HTTP %ld", http_status);
    else
      TT_UNEXPECTED(res, shop, "field code is %s",
                    cj == NULL ? "missing" : "not an integer number");
    goto fail;
  }
  code = (long)v;
  msg = ocu_json_str(root, "message");
  if (msg == NULL)
    msg = "";

  if (busy) { /* 429 and 5xx are transient whatever the body says */
    if (code != 0)
      tt_classify(code, &retry);
    if (http_status == 429 && retry < TT_RATE_LIMIT_RETRY_MS)
      retry = TT_RATE_LIMIT_RETRY_MS;
    if (code != 0)
      ocu_fail(res, shop, OC_RETRY, retry, "HTTP %ld: %ld: %s", http_status,
              code, msg);
    else
      ocu_fail(res, shop, OC_RETRY, retry, "HTTP %ld", http_status);
  } else if (code != 0) {
    st = tt_classify(code, &retry);
    /* A refused refresh needs the seller to authorise again. EcomPHP maps
     * 105xxx and 360xxx to token errors; 360xxx is taken as such
     * only here, as our timestamp/rate codes share the range [unverified]. */
    if ((op == OC_OP_REFRESH_TOKEN || op == OC_OP_TOKEN_EXCHANGE) &&
        st == OC_REJECTED && code >= 36000000L &&
        code <= 36099999L)
      st = OC_AUTH;
    ocu_fail(res, shop, st, retry, "%ld: %s", code, msg);
  } else if (!http_ok) {
    ocu_fail(res, shop, OC_REJECTED, 0, "HTTP %ld", http_status);
  } else {
    return root;
  }
fail:
  cJSON_Delete(root);
  return NULL;
}

static void tt_parse(oc_op op, const oc_shop *shop, const oc_listing *l,
                     long http_status, const char *body, size_t len,
                     oc_result *res) {
  cJSON *root;

  if (res == NULL)
    return;
  root = tt_envelope(op, shop, http_status, body, len, res);
  if (root != NULL)
    tt_parse_ok(op, res, shop, l, root);
  cJSON_Delete(root);
}

/* ---- parse: orders (ABI 3) ----------------------------------------------------- */

/* See "Orders". TikTok has no returned status: returns are separate objects
 * (return_refund module), so "returned" never comes from here. */
static const ocu_status_map tt_order_status[] = {
    {"UNPAID", "reserved"},          {"ON_HOLD", "reserved"},
    {"AWAITING_SHIPMENT", "sold"},   {"PARTIALLY_SHIPPING", "sold"},
    {"AWAITING_COLLECTION", "sold"}, {"IN_TRANSIT", "sold"},
    {"DELIVERED", "sold"},           {"COMPLETED", "sold"},
    {"CANCELLED", "cancelled"},      {NULL, NULL},
};

/* An order id, read only as a JSON string (64-bit ids exceed a double) and
 * held to the rule build_orders applies, so every id we hand the core can
 * be asked for again. 0, or -1 with res failed. */
static int tt_order_id(oc_result *res, const oc_shop *shop, const cJSON *item,
                       const char *what, char out[TT_ORDER_ID_MAX + 1]) {
  char why[160];

  if (ocu_json_id(item, OCU_ID_STRING, what, out, TT_ORDER_ID_MAX + 1, why,
                  sizeof why)) {
    TT_UNEXPECTED(res, shop, "%s", why);
    return -1;
  }
  if (!tt_valid_order_id(out)) {
    TT_UNEXPECTED(res, shop, "field %s is not an order id", what);
    return -1;
  }
  return 0;
}

static void tt_orders_oom(oc_result *res, const oc_shop *shop, cJSON *doc) {
  cJSON_Delete(doc);
  ocu_fail(res, shop, OC_RETRY, 0, "out of memory reading the orders");
}

/* LIST_ORDERS: data.orders[].id and data.next_page_token. */
static void tt_parse_order_list(oc_result *res, const oc_shop *shop,
                                const cJSON *data) {
  const cJSON *orders = cJSON_GetObjectItemCaseSensitive(data, "orders");
  const cJSON *next = cJSON_GetObjectItemCaseSensitive(data, "next_page_token");
  const cJSON *o;
  char id[TT_ORDER_ID_MAX + 1];
  cJSON *doc;

  if (orders != NULL && !cJSON_IsNull(orders) && !cJSON_IsArray(orders)) {
    TT_UNEXPECTED(res, shop, "field data.orders is not an array");
    return;
  }
  if (next != NULL && !cJSON_IsNull(next) && !cJSON_IsString(next)) {
    TT_UNEXPECTED(res, shop, "field data.next_page_token is not a string");
    return;
  }
  /* An empty page may leave the token out; a page with orders and no token
   * could hide more pages, so it is not taken as the end. */
  if (!cJSON_IsString(next) && cJSON_GetArraySize(orders) > 0) {
    TT_UNEXPECTED(res, shop, "field data.next_page_token is missing");
    return;
  }
  if (cJSON_IsString(next) && strlen(next->valuestring) > TT_PAGE_TOKEN_MAX) {
    TT_UNEXPECTED(res, shop, "field data.next_page_token is too long");
    return;
  }
  if ((doc = ocu_order_list_new()) == NULL) {
    tt_orders_oom(res, shop, NULL);
    return;
  }
  cJSON_ArrayForEach(o, orders) {
    if (!cJSON_IsObject(o)) {
      cJSON_Delete(doc);
      TT_UNEXPECTED(res, shop, "field data.orders[] is not an object");
      return;
    }
    if (tt_order_id(res, shop, cJSON_GetObjectItemCaseSensitive(o, "id"),
                    "data.orders[].id", id)) {
      cJSON_Delete(doc);
      return;
    }
    if (ocu_order_list_add(doc, id)) {
      tt_orders_oom(res, shop, doc);
      return;
    }
  }
  if (ocu_order_list_end(doc, cJSON_IsString(next) ? next->valuestring : "",
                         0)) {
    tt_orders_oom(res, shop, doc);
    return;
  }
  ocu_orders_finish(res, doc);
}

/*
 * An order amount (strings, see "Money and SKUs"; a number is read too) into
 * whole dong. 1 when absent (null, or "" as TikTok leaves unset prices), with
 * *out -1; 0 when read; -1 when it is not an amount.
 */
static int tt_order_money(const cJSON *it, int64_t *out) {
  *out = -1;
  if (it == NULL || cJSON_IsNull(it) ||
      (cJSON_IsString(it) && it->valuestring[0] == '\0'))
    return 1;
  if (cJSON_IsString(it))
    return ocu_money_text(it->valuestring, out) == 0 ? 0 : -1;
  if (cJSON_IsNumber(it) && ocu_json_round(it, out) == 0 && *out >= 0)
    return 0;
  *out = -1;
  return -1;
}

/* Adds one line item (one unit, see "Orders") to order. 0, 1 when the item is
 * unreadable (why says which field), -1 on OOM. */
static int tt_order_line(cJSON *order, const cJSON *li, const char **why) {
  const char *sku = cJSON_IsObject(li) ? ocu_json_str(li, "seller_sku") : NULL;
  int64_t price;
  int r;

  if (sku == NULL || sku[0] == '\0') {
    *why = "seller_sku is missing";
    return 1;
  }
  /* What the buyer paid per unit; the list price only when it is unset. */
  r = tt_order_money(cJSON_GetObjectItemCaseSensitive(li, "sale_price"), &price);
  if (r < 0) {
    *why = "sale_price is not an amount";
    return 1;
  }
  if (r == 1 &&
      tt_order_money(cJSON_GetObjectItemCaseSensitive(li, "original_price"),
                     &price) < 0) {
    *why = "original_price is not an amount";
    return 1;
  }
  return ocu_order_add_line(order, sku, 1, price) ? -1 : 0;
}

/* One order of GET_ORDERS into doc, or into doc's "bad" with the field that
 * is wrong. 0, or -1 on OOM. */
static int tt_order_read(cJSON *doc, const cJSON *o, const char *id) {
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "status");
  const cJSON *pay = cJSON_GetObjectItemCaseSensitive(o, "payment");
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(o, "line_items");
  const cJSON *li;
  const char *effect, *why = NULL;
  int64_t updated, total = -1;
  cJSON *order;
  int i = 0, r;

  if (!cJSON_IsString(st))
    return ocu_orders_bad(doc, id, "order %s: field status is %s", id,
                          st == NULL ? "missing" : "not a string");
  if ((effect = ocu_order_effect(tt_order_status, st->valuestring)) == NULL)
    return ocu_orders_bad(doc, id, "order %s: field status: unknown value %s",
                          id, st->valuestring);
  if (ocu_json_int(cJSON_GetObjectItemCaseSensitive(o, "update_time"),
                   &updated) ||
      updated < 0)
    return ocu_orders_bad(doc, id,
                          "order %s: field update_time is missing or not "
                          "unix seconds", id);
  if (pay != NULL && !cJSON_IsNull(pay) &&
      (!cJSON_IsObject(pay) ||
       tt_order_money(cJSON_GetObjectItemCaseSensitive(pay, "total_amount"),
                      &total) < 0))
    return ocu_orders_bad(doc, id,
                          "order %s: field payment.total_amount is not an "
                          "amount", id);
  if (!cJSON_IsArray(items) || cJSON_GetArraySize(items) == 0)
    return ocu_orders_bad(doc, id, "order %s: field line_items is %s", id,
                          cJSON_IsArray(items) ? "empty" : "missing");
  order = ocu_orders_add(doc, id, st->valuestring, effect, updated, total);
  if (order == NULL)
    return -1;
  cJSON_ArrayForEach(li, items) {
    if ((r = tt_order_line(order, li, &why)) != 0) {
      ocu_orders_drop_last(doc);
      return r < 0 ? -1
                   : ocu_orders_bad(doc, id,
                                    "order %s: field line_items[%d].%s", id,
                                    i, why);
    }
    i++;
  }
  return 0;
}

/* 1 if orders[] holds an order with this id. */
static int tt_order_seen(const cJSON *orders, const char *id) {
  const cJSON *o;

  cJSON_ArrayForEach(o, orders) {
    const char *s = ocu_json_str(o, "id");

    if (s != NULL && strcmp(s, id) == 0)
      return 1;
  }
  return 0;
}

/* GET_ORDERS: data.orders[] in full. */
static void tt_parse_order_detail(oc_result *res, const oc_shop *shop,
                                  const oc_order_query *q, const cJSON *data) {
  const cJSON *orders, *o;
  char id[TT_ORDER_ID_MAX + 1];
  cJSON *doc;
  size_t i;

  if ((orders = tt_req_array(res, shop, data, "orders", "data.orders")) == NULL)
    return;
  /* The whole page is checked first: an order we cannot even name makes
   * the answer unreadable, not one bad order. */
  cJSON_ArrayForEach(o, orders) {
    if (!cJSON_IsObject(o)) {
      TT_UNEXPECTED(res, shop, "field data.orders[] is not an object");
      return;
    }
    if (tt_order_id(res, shop, cJSON_GetObjectItemCaseSensitive(o, "id"),
                    "data.orders[].id", id))
      return;
  }
  if ((doc = ocu_orders_new()) == NULL) {
    tt_orders_oom(res, shop, NULL);
    return;
  }
  cJSON_ArrayForEach(o, orders) {
    if (tt_order_read(doc, o, ocu_json_str(o, "id"))) {
      tt_orders_oom(res, shop, doc);
      return;
    }
  }
  /* An id asked for and not answered is retried, then dead-lettered, by the
   * core like any unreadable order, instead of vanishing. */
  for (i = 0; q != NULL && q->ids != NULL && i < q->nids; i++) {
    if (q->ids[i] == NULL || tt_order_seen(orders, q->ids[i]))
      continue;
    if (ocu_orders_bad(doc, q->ids[i], "order %s: not in the answer",
                       q->ids[i])) {
      tt_orders_oom(res, shop, doc);
      return;
    }
  }
  ocu_orders_finish(res, doc);
}

static void tt_parse_orders(oc_op op, const oc_shop *shop,
                            const oc_order_query *q, long http_status,
                            const char *body, size_t len, oc_result *res) {
  cJSON *root;
  const cJSON *data;

  if (res == NULL)
    return;
  root = tt_envelope(op, shop, http_status, body, len, res);
  if (root == NULL)
    return;
  data = cJSON_GetObjectItemCaseSensitive(root, "data");
  if (!cJSON_IsObject(data))
    TT_UNEXPECTED(res, shop, "field data is %s",
                  data == NULL || cJSON_IsNull(data) ? "missing"
                                                     : "not an object");
  else if (op == OC_OP_LIST_ORDERS)
    tt_parse_order_list(res, shop, data);
  else if (op == OC_OP_GET_ORDERS)
    tt_parse_order_detail(res, shop, q, data);
  else
    ocu_fail(res, shop, OC_REJECTED, 0, "operation %s is not an order operation",
             oc_op_name(op));
  cJSON_Delete(root);
}

/* ---- push (see "Push") --------------------------------------------------- */

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

static int tt_verify_push(const oc_shop *shop, const char *callback_url,
                          const char *authorization, const char *body,
                          size_t len, oc_push *out) {
  cJSON *root = NULL;
  char why[160];
  int r;

  (void)callback_url; /* TikTok does not sign it */
  if (out == NULL)
    return -1;
  memset(out, 0, sizeof *out);
  if (shop == NULL || tt_empty(shop->app_key) || tt_empty(shop->app_secret))
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

/* ---- entry point ----------------------------------------------------------------- */

static const oc_connector tt_connector = {
    OC_ABI_VERSION,
    "tiktok",
    OC_CAP(OC_OP_PUBLISH) | OC_CAP(OC_OP_UPDATE) | OC_CAP(OC_OP_SET_STOCK) |
        OC_CAP(OC_OP_SET_PRICE) | OC_CAP(OC_OP_DELIST) | OC_CAP(OC_OP_RELIST) |
        OC_CAP(OC_OP_LOOKUP_SKU) | OC_CAP(OC_OP_GET_LISTING) |
        OC_CAP(OC_OP_REFRESH_TOKEN) | OC_CAP(OC_OP_AUTH_LINK) |
        OC_CAP(OC_OP_TOKEN_EXCHANGE) | OC_CAP(OC_OP_LIST_ORDERS) |
        OC_CAP(OC_OP_GET_ORDERS) | OC_CAP_STRIP,
    tt_build,
    tt_parse,
    NULL, /* feed: an HTTP connector */
    TT_ORDER_WINDOW_S,
    tt_build_orders,
    tt_parse_orders,
    tt_verify_push,
};

const oc_connector *ocop_connector_v1(void) { return &tt_connector; }
