/*
 * shopee.c — the Shopee Open Platform v2 connector.
 *
 * Reference: docs/marketplaces/shopee.md (tokens, signing and its worked
 * vectors, envelope and errors, endpoints, orders, push, rate limits, money,
 * pitfalls); OCOP claims in docs/ocop-rules.md, "OCOP claims". Below,
 * 'see "Section"' names a section of shopee.md.
 *
 * Pure, per connector.h: no I/O, no mutable globals, every allocation handed
 * to the caller (oc_request) or freed before returning.
 *
 * Shop options read (shop.options; ids are decimal text):
 *   category_id           Shopee category id for every listing of the shop
 *   category.<OCOP code>  per OCOP category, e.g. "category.I.3.c"; wins
 *   image_id              image id(s) from media_space/upload_image,
 *                         comma-separated, at most 9 (PUBLISH)
 *   logistic_id           logistics channel id(s), comma-separated; each is
 *                         sent {logistic_id, enabled: true} (PUBLISH)
 *   ocop_attribute_id     attribute carrying the OCOP star rating (optional:
 *                         without it no attribute is sent)
 *   ocop_value_id.<N>     value id of the N-star value of that attribute
 *                         (optional; without it a custom value "N sao" with
 *                         value_id 0 is sent) [unverified: no public source
 *                         names an OCOP attribute on Shopee Vietnam]
 *
 * Test hooks: tests/unit/test_shopee.c includes this file to reach the
 * static helpers sp_base_string(), sp_sign() and sp_make_url(); titles,
 * descriptions and secret scrubbing are shared (ocutil.c). Nothing else is
 * exported but ocop_connector_v1().
 */
#include "connector.h"
#include "ocutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

const oc_connector *ocop_connector_v1(void);

#define SP_TITLE_MAX_CP 120 /* item_name limit used by this connector */
#define SP_MAX_IMAGES 9
#define SP_MAX_LOGISTICS 16
#define SP_ID_MAX_DIGITS 18 /* every such id fits in int64 */
#define SP_RATE_LIMIT_RETRY_MS 1000L
/*
 * error_limit: the app's daily quota is spent and resets at 00:00 UTC+8 (see
 * "Envelope and errors"). parse() is not given the time, so it cannot compute
 * the wait until midnight; it asks for one hour instead. Worst case the core
 * spends one call per hour per shop finding the quota still exhausted, which is
 * cheap and needs no clock in the connector. (An ABI with now_ms in parse()
 * could give the exact wait.)
 */
#define SP_DAILY_LIMIT_RETRY_MS 3600000L

enum { SP_PUBLIC = 0, SP_SHOP = 1 };

/* What build() requires of the listing. */
#define SP_NEED_LISTING 0x01u
#define SP_NEED_ITEM 0x02u  /* numeric item_id */
#define SP_NEED_SKU 0x04u
#define SP_NEED_TEXT 0x08u  /* name, description, stars, certificate */
#define SP_NEED_PRICE 0x10u
#define SP_NEED_STOCK 0x20u
#define SP_ORDERS 0x40u     /* built by build_orders(), never by build() */

typedef struct sp_opdef {
  const char *method;
  const char *path; /* the signed path: full, no query, no trailing slash */
  int kind;         /* SP_PUBLIC or SP_SHOP (see "Authorisation and tokens") */
  unsigned need;
} sp_opdef;

static const sp_opdef sp_ops[OC_OP_MAX] = {
    [OC_OP_PUBLISH] = {"POST", "/api/v2/product/add_item", SP_SHOP,
                       SP_NEED_LISTING | SP_NEED_SKU | SP_NEED_TEXT |
                           SP_NEED_PRICE | SP_NEED_STOCK},
    [OC_OP_UPDATE] = {"POST", "/api/v2/product/update_item", SP_SHOP,
                      SP_NEED_LISTING | SP_NEED_ITEM | SP_NEED_TEXT},
    [OC_OP_SET_STOCK] = {"POST", "/api/v2/product/update_stock", SP_SHOP,
                         SP_NEED_LISTING | SP_NEED_ITEM | SP_NEED_STOCK},
    [OC_OP_SET_PRICE] = {"POST", "/api/v2/product/update_price", SP_SHOP,
                         SP_NEED_LISTING | SP_NEED_ITEM | SP_NEED_PRICE},
    [OC_OP_DELIST] = {"POST", "/api/v2/product/unlist_item", SP_SHOP,
                      SP_NEED_LISTING | SP_NEED_ITEM},
    [OC_OP_RELIST] = {"POST", "/api/v2/product/unlist_item", SP_SHOP,
                      SP_NEED_LISTING | SP_NEED_ITEM},
    /*
     * [unverified] search_item by item_sku is known only from user code (see
     * "Verified and our reading"). The scraped official schema lists item_sku
     * (added 2022-07-28), offset and page_size (1..100) and returns
     * response.item_id_list; whether item_sku matches exactly or by prefix, and
     * whether UNLIST items are returned without an item_status filter, was not
     * confirmed.
     */
    [OC_OP_LOOKUP_SKU] = {"GET", "/api/v2/product/search_item", SP_SHOP,
                          SP_NEED_LISTING | SP_NEED_SKU},
    [OC_OP_GET_LISTING] = {"GET", "/api/v2/product/get_item_base_info", SP_SHOP,
                           SP_NEED_LISTING | SP_NEED_ITEM},
    /* Public signature: never access_token/shop_id in the base string (S4). */
    [OC_OP_REFRESH_TOKEN] = {"POST", "/api/v2/auth/access_token/get", SP_PUBLIC,
                             0},
    /* "Authorisation and tokens", link: what the seller opens (build only,
     * never sent); the public signature over this path. It dies 5 minutes after
     * `timestamp`. */
    [OC_OP_AUTH_LINK] = {"GET", "/api/v2/shop/auth_partner", SP_PUBLIC, 0},
    /* "Authorisation and tokens", exchange: the single-use code (10 minutes)
     * for the first pair. */
    [OC_OP_TOKEN_EXCHANGE] = {"POST", "/api/v2/auth/token/get", SP_PUBLIC, 0},
    /* See "Orders": shop-level like get_item_base_info; see sp_build_orders. */
    [OC_OP_LIST_ORDERS] = {"GET", "/api/v2/order/get_order_list", SP_SHOP,
                           SP_ORDERS},
    [OC_OP_GET_ORDERS] = {"GET", "/api/v2/order/get_order_detail", SP_SHOP,
                          SP_ORDERS},
};

typedef struct sp_param {
  const char *key;
  const char *value; /* raw; URL-encoded when serialised */
  int list;          /* a comma-separated list: the commas stay literal */
} sp_param;

static void sp_err(char *err, size_t errlen, const char *fmt, ...)
    OCU_PRINTF(3, 4);

static void sp_err(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;

  if (err == NULL || errlen == 0)
    return;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* ---- validation ----------------------------------------------------------- */

/* A positive decimal id: 1..18 digits, no sign, no leading zero. */
static int sp_valid_id(const char *s) {
  size_t n;

  if (s == NULL || s[0] < '1' || s[0] > '9')
    return 0;
  for (n = 0; s[n]; n++)
    if (s[n] < '0' || s[n] > '9' || n >= SP_ID_MAX_DIGITS)
      return 0;
  return 1;
}

/* scheme://host[:port] with no trailing slash, query, fragment or space. */
static int sp_valid_base_url(const char *u) {
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
    if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '?' || *p == '#')
      return 0;
  return p[-1] != '/';
}

/* An http(s) URL with a host and no space or control character. */
static int sp_valid_redirect(const char *u) {
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
    if ((unsigned char)*p <= 0x20 || *p == 0x7f)
      return 0;
  return 1;
}

static int sp_check_text(const char *what, const char *s, char *err,
                         size_t errlen) {
  if (s == NULL || s[0] == '\0') {
    sp_err(err, errlen, "listing %s is empty", what);
    return -1;
  }
  if (!ocu_utf8_valid(s, strlen(s))) {
    sp_err(err, errlen, "listing %s is not valid UTF-8", what);
    return -1;
  }
  return 0;
}

/* Messages name the field, never its value: values may be secrets. */
static int sp_check_shop(oc_op op, const sp_opdef *d, const oc_shop *shop,
                         char *err, size_t errlen) {
  if (shop == NULL) {
    sp_err(err, errlen, "shop is missing");
    return -1;
  }
  if (!sp_valid_base_url(shop->base_url)) {
    sp_err(err, errlen,
           "shop base_url must be http(s)://host[:port] without a trailing "
           "slash");
    return -1;
  }
  if (!sp_valid_id(shop->app_key)) {
    sp_err(err, errlen, "shop app_key (Shopee partner_id) must be a numeric id");
    return -1;
  }
  if (shop->app_secret == NULL || shop->app_secret[0] == '\0') {
    sp_err(err, errlen, "shop app_secret (partner key) is not set");
    return -1;
  }
  if (!sp_valid_id(shop->shop_id)) {
    sp_err(err, errlen, "shop shop_id must be a numeric id");
    return -1;
  }
  if (d->kind == SP_SHOP &&
      (shop->access_token == NULL || shop->access_token[0] == '\0')) {
    sp_err(err, errlen, "shop access_token is not set");
    return -1;
  }
  if (op == OC_OP_REFRESH_TOKEN &&
      (shop->refresh_token == NULL || shop->refresh_token[0] == '\0')) {
    sp_err(err, errlen, "shop refresh_token is not set");
    return -1;
  }
  if (op == OC_OP_TOKEN_EXCHANGE &&
      (shop->auth_code == NULL || shop->auth_code[0] == '\0')) {
    sp_err(err, errlen, "shop auth_code is not set");
    return -1;
  }
  if (op == OC_OP_AUTH_LINK && !sp_valid_redirect(shop->redirect_url)) {
    sp_err(err, errlen, "redirect URL must be an http(s) URL without spaces");
    return -1;
  }
  if (shop->nopts > 0 && shop->opts == NULL) {
    sp_err(err, errlen, "shop options are missing");
    return -1;
  }
  return 0;
}

static int sp_check_listing(const sp_opdef *d, const oc_listing *l, char *err,
                            size_t errlen) {
  if (!(d->need & SP_NEED_LISTING))
    return 0;
  if (l == NULL) {
    sp_err(err, errlen, "listing is missing");
    return -1;
  }
  if ((d->need & SP_NEED_SKU) && sp_check_text("sku", l->sku, err, errlen))
    return -1;
  if (d->need & SP_NEED_ITEM) {
    if (l->item_id == NULL || l->item_id[0] == '\0') {
      sp_err(err, errlen, "listing item_id is missing (not published yet)");
      return -1;
    }
    if (!sp_valid_id(l->item_id)) {
      sp_err(err, errlen, "listing item_id is not a numeric Shopee item id");
      return -1;
    }
  }
  if ((d->need & SP_NEED_PRICE) && l->price_vnd < 0) {
    sp_err(err, errlen, "listing price must be >= 0 dong");
    return -1;
  }
  if ((d->need & SP_NEED_STOCK) && l->stock < 0) {
    sp_err(err, errlen, "listing stock must be >= 0");
    return -1;
  }
  if (d->need & SP_NEED_TEXT) {
    if (sp_check_text("name", l->name, err, errlen) ||
        sp_check_text("description", l->description, err, errlen))
      return -1;
    if (l->stars != 0 && (l->stars < 3 || l->stars > 5)) {
      sp_err(err, errlen, "listing stars must be 0 (no claim) or 3..5");
      return -1;
    }
    if (l->stars != 0 &&
        sp_check_text("certificate_no", l->certificate_no, err, errlen))
      return -1;
    /* The connector alone writes OCOP claims (docs/ocop-rules.md, "OCOP
     * claims"): a claim already in the text would survive a strip or show the
     * wrong star count. */
    if (ocu_has_ocop(l->name) || ocu_has_ocop(l->description)) {
      sp_err(err, errlen,
             "listing name or description already mentions OCOP; the "
             "connector adds the claim itself");
      return -1;
    }
  }
  return 0;
}

/* ---- signing and URLs (see "Signing") ------------------------------------ */

/* partner_id ‖ path ‖ timestamp [‖ access_token ‖ shop_id]; NULL on OOM. */
static char *sp_base_string(const oc_shop *shop, const char *path, int64_t ts,
                            int kind) {
  ocu_buf b = OCU_BUF_INIT;

  ocu_buf_printf(&b, "%s%s%" PRId64, shop->app_key, path, ts);
  if (kind == SP_SHOP) {
    ocu_buf_puts(&b, shop->access_token);
    ocu_buf_puts(&b, shop->shop_id);
  }
  return ocu_buf_detach(&b);
}

/* Lowercase hex HMAC-SHA256 keyed with the partner key's ASCII bytes. */
static int sp_sign(const oc_shop *shop, const char *path, int64_t ts, int kind,
                   char out[65]) {
  char *base = sp_base_string(shop, path, ts, kind);
  int r;

  out[0] = '\0';
  if (base == NULL)
    return -1;
  r = ocu_hmac_sha256_hex(shop->app_secret, strlen(shop->app_secret), base,
                          strlen(base), OCU_HEX_LOWER, out);
  ocu_cleanse(base, strlen(base)); /* holds the access token */
  free(base);
  return r;
}

/* Each element percent-encoded, the separating commas kept as they are:
 * Shopee documents order_sn_list=a,b (RFC 3986 allows ',' in a query). */
static void sp_urlencode_list(ocu_buf *b, const char *list) {
  for (; *list; list++) {
    char one[2] = {*list, '\0'};

    if (*list == ',')
      ocu_buf_puts(b, ",");
    else
      ocu_buf_urlencode(b, one);
  }
}

/*
 * url = base_url + path + ?partner_id&timestamp[&access_token&shop_id]&sign
 * followed by the extra parameters; log_url = base_url + path (the query
 * holds the token and the signature). 0, or -1 on OOM with nothing
 * allocated.
 */
static int sp_make_url(const oc_shop *shop, const char *path, int64_t ts,
                       int kind, const sp_param *extra, size_t nextra,
                       char **url, char **log_url) {
  ocu_buf b = OCU_BUF_INIT;
  char sign[65];
  size_t i;

  *url = *log_url = NULL;
  if (sp_sign(shop, path, ts, kind, sign) != 0)
    return -1;
  ocu_buf_puts(&b, shop->base_url);
  ocu_buf_puts(&b, path);
  ocu_buf_puts(&b, "?partner_id=");
  ocu_buf_urlencode(&b, shop->app_key);
  ocu_buf_printf(&b, "&timestamp=%" PRId64, ts);
  if (kind == SP_SHOP) {
    ocu_buf_puts(&b, "&access_token=");
    ocu_buf_urlencode(&b, shop->access_token);
    ocu_buf_puts(&b, "&shop_id=");
    ocu_buf_urlencode(&b, shop->shop_id);
  }
  ocu_buf_puts(&b, "&sign=");
  ocu_buf_puts(&b, sign);
  for (i = 0; i < nextra; i++) {
    ocu_buf_puts(&b, "&");
    ocu_buf_urlencode(&b, extra[i].key);
    ocu_buf_puts(&b, "=");
    if (extra[i].list)
      sp_urlencode_list(&b, extra[i].value);
    else
      ocu_buf_urlencode(&b, extra[i].value);
  }
  *url = ocu_buf_detach(&b);
  *log_url = ocu_asprintf("%s%s", shop->base_url, path);
  if (*url == NULL || *log_url == NULL) {
    free(*url);
    free(*log_url);
    *url = *log_url = NULL;
    return -1;
  }
  return 0;
}

/* ---- OCOP claims (docs/ocop-rules.md) ------------------------------------ */

/* ---- request bodies ------------------------------------------------------- */

static const char *sp_opt(const oc_shop *shop, const char *key) {
  const char *v = oc_shop_opt(shop, key, NULL);

  return v != NULL && v[0] != '\0' ? v : NULL;
}

static int sp_oom(char *err, size_t errlen) {
  sp_err(err, errlen, "out of memory");
  return -1;
}

/* Adds item to obj (or to an array when key is NULL); frees it on failure. */
static int sp_put(cJSON *obj, const char *key, cJSON *item) {
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

/* Integers are written as raw JSON text: cJSON would print a double, and Shopee
 * VN wants integer prices (see "Money and SKUs") — never 150000.0 or
 * 1.5e+05. */
static cJSON *sp_int(int64_t v) {
  char buf[24];

  snprintf(buf, sizeof buf, "%" PRId64, v);
  return cJSON_CreateRaw(buf);
}

/* A validated decimal id (sp_valid_id) as a JSON integer, digit for digit. */
static cJSON *sp_id(const char *digits) { return cJSON_CreateRaw(digits); }

/* Weight in kg from grams, exact: 250 -> 0.25, 1000 -> 1, 1005 -> 1.005. */
static cJSON *sp_weight_kg(int32_t grams) {
  char buf[24];
  int n = snprintf(buf, sizeof buf, "%" PRId32 ".%03" PRId32, grams / 1000,
                   grams % 1000);

  while (n > 0 && buf[n - 1] == '0')
    buf[--n] = '\0';
  if (n > 0 && buf[n - 1] == '.')
    buf[--n] = '\0';
  return cJSON_CreateRaw(buf);
}

/*
 * Splits a comma-separated option into tokens (spaces around them ignored)
 * and adds each: numeric ids as {logistic_id, enabled} objects when `logistic`
 * is set, image ids as strings otherwise. -1 with err set on bad input or OOM.
 */
static int sp_add_list(cJSON *arr, const char *opt, const char *list,
                       int logistic, size_t max, char *err, size_t errlen) {
  const char *p = list;
  size_t count = 0;

  while (*p) {
    char tok[128];
    size_t n = 0, i;
    const char *q;
    cJSON *it;

    while (*p == ' ' || *p == ',')
      p++;
    if (*p == '\0')
      break;
    for (q = p; *q && *q != ','; q++)
      ;
    n = (size_t)(q - p);
    while (n > 0 && p[n - 1] == ' ')
      n--;
    if (n >= sizeof tok) {
      sp_err(err, errlen, "shop option \"%s\" holds an id that is too long", opt);
      return -1;
    }
    memcpy(tok, p, n);
    tok[n] = '\0';
    p = q;
    for (i = 0; i < n; i++) {
      char c = tok[i];

      if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
            (c >= 'A' && c <= 'Z') || c == '-' || c == '_' || c == '.')) {
        sp_err(err, errlen, "shop option \"%s\" holds an invalid id", opt);
        return -1;
      }
    }
    if (++count > max) {
      sp_err(err, errlen, "shop option \"%s\" holds more than %zu ids", opt, max);
      return -1;
    }
    if (logistic) {
      if (!sp_valid_id(tok)) {
        sp_err(err, errlen, "shop option \"%s\" must hold numeric ids", opt);
        return -1;
      }
      it = cJSON_CreateObject();
      if (it == NULL || sp_put(it, "logistic_id", sp_id(tok)) ||
          sp_put(it, "enabled", cJSON_CreateTrue())) {
        cJSON_Delete(it);
        goto oom;
      }
    } else {
      it = cJSON_CreateString(tok);
    }
    if (sp_put(arr, NULL, it))
      goto oom;
  }
  if (count == 0) {
    sp_err(err, errlen, "shop option \"%s\" is not set", opt);
    return -1;
  }
  return 0;
oom:
  sp_err(err, errlen, "out of memory");
  return -1;
}

/*
 * attribute_list with the OCOP star attribute, when ocop_attribute_id is
 * configured: the N-star value when claims are allowed; with stars == 0 an
 * empty value list on UPDATE (removes the badge) and nothing on PUBLISH.
 */
static int sp_add_ocop_attribute(cJSON *body, const oc_shop *shop,
                                 const oc_listing *l, int update, char *err,
                                 size_t errlen) {
  const char *attr = sp_opt(shop, "ocop_attribute_id");
  cJSON *list, *a, *values;

  if (attr == NULL || (!ocu_claims(l) && !update))
    return 0;
  if (!sp_valid_id(attr)) {
    sp_err(err, errlen, "shop option \"ocop_attribute_id\" is not a numeric id");
    return -1;
  }
  list = cJSON_CreateArray();
  if (sp_put(body, "attribute_list", list))
    goto oom;
  a = cJSON_CreateObject();
  if (sp_put(list, NULL, a) || sp_put(a, "attribute_id", sp_id(attr)))
    goto oom;
  values = cJSON_CreateArray();
  if (sp_put(a, "attribute_value_list", values))
    goto oom;
  if (ocu_claims(l)) {
    char key[32], name[16];
    const char *vid;
    cJSON *v;

    snprintf(key, sizeof key, "ocop_value_id.%d", l->stars);
    snprintf(name, sizeof name, "%d sao", l->stars);
    vid = sp_opt(shop, key);
    if (vid != NULL && !sp_valid_id(vid)) {
      sp_err(err, errlen, "shop option \"%s\" is not a numeric id", key);
      return -1;
    }
    v = cJSON_CreateObject();
    if (sp_put(values, NULL, v) ||
        sp_put(v, "value_id", vid ? sp_id(vid) : sp_int(0)))
      goto oom;
    if (vid == NULL && sp_put(v, "original_value_name", cJSON_CreateString(name)))
      goto oom;
  }
  return 0;
oom:
  sp_err(err, errlen, "out of memory");
  return -1;
}

static int sp_add_text(cJSON *body, const oc_listing *l, char *err,
                       size_t errlen) {
  char *title = ocu_claim_title(l, SP_TITLE_MAX_CP), *desc = ocu_claim_description(l);
  int r = -1;

  if (title != NULL && desc != NULL &&
      sp_put(body, "item_name", cJSON_CreateString(title)) == 0 &&
      sp_put(body, "description", cJSON_CreateString(desc)) == 0)
    r = 0;
  else
    sp_err(err, errlen, "out of memory");
  free(title);
  free(desc);
  return r;
}

static int sp_body_publish(cJSON *body, const oc_shop *shop,
                           const oc_listing *l, char *err, size_t errlen) {
  char catkey[96] = "";
  const char *cat = NULL, *catopt = "category_id", *images, *logistics;
  cJSON *o, *arr;

  if (l->weight_g == 0) {
    sp_err(err, errlen, "listing weight unknown (Shopee requires a weight)");
    return -1;
  }
  if (l->weight_g < 0) {
    sp_err(err, errlen, "listing weight must be positive");
    return -1;
  }
  if (l->category != NULL && l->category[0] != '\0') {
    int n = snprintf(catkey, sizeof catkey, "category.%s", l->category);

    if (n > 0 && (size_t)n < sizeof catkey && (cat = sp_opt(shop, catkey)))
      catopt = catkey;
  }
  if (cat == NULL)
    cat = sp_opt(shop, "category_id");
  if (cat == NULL) {
    if (catkey[0])
      sp_err(err, errlen,
             "shop option \"category_id\" is not set (nor \"%s\")", catkey);
    else
      sp_err(err, errlen, "shop option \"category_id\" is not set");
    return -1;
  }
  if (!sp_valid_id(cat)) {
    sp_err(err, errlen, "shop option \"%s\" is not a numeric id", catopt);
    return -1;
  }
  if ((images = sp_opt(shop, "image_id")) == NULL) {
    sp_err(err, errlen, "shop option \"image_id\" is not set");
    return -1;
  }
  if ((logistics = sp_opt(shop, "logistic_id")) == NULL) {
    sp_err(err, errlen, "shop option \"logistic_id\" is not set");
    return -1;
  }

  if (sp_add_text(body, l, err, errlen))
    return -1;
  if (sp_put(body, "original_price", sp_int(l->price_vnd)))
    goto oom;
  arr = cJSON_CreateArray();
  if (sp_put(body, "seller_stock", arr))
    goto oom;
  o = cJSON_CreateObject();
  if (sp_put(arr, NULL, o) || sp_put(o, "stock", sp_int(l->stock)) ||
      sp_put(body, "weight", sp_weight_kg(l->weight_g)) ||
      sp_put(body, "category_id", sp_id(cat)))
    goto oom;
  o = cJSON_CreateObject();
  if (sp_put(body, "image", o))
    goto oom;
  arr = cJSON_CreateArray();
  if (sp_put(o, "image_id_list", arr))
    goto oom;
  if (sp_add_list(arr, "image_id", images, 0, SP_MAX_IMAGES, err, errlen))
    return -1;
  arr = cJSON_CreateArray();
  if (sp_put(body, "logistic_info", arr))
    goto oom;
  if (sp_add_list(arr, "logistic_id", logistics, 1, SP_MAX_LOGISTICS, err,
                  errlen))
    return -1;
  if (sp_put(body, "item_sku", cJSON_CreateString(l->sku)) ||
      sp_put(body, "item_status", cJSON_CreateString("NORMAL")) ||
      sp_put(body, "condition", cJSON_CreateString("NEW")))
    goto oom;
  o = cJSON_CreateObject();
  if (sp_put(body, "brand", o) || sp_put(o, "brand_id", sp_int(0)) ||
      sp_put(o, "original_brand_name", cJSON_CreateString("No Brand")))
    goto oom;
  return sp_add_ocop_attribute(body, shop, l, 0, err, errlen);
oom:
  sp_err(err, errlen, "out of memory");
  return -1;
}

/* {"<list>": [{"model_id": 0, ...}]} for update_stock / update_price. */
static int sp_body_model(cJSON *body, const oc_listing *l, int stock,
                         char *err, size_t errlen) {
  cJSON *arr, *m, *ss, *s;

  if (sp_put(body, "item_id", sp_id(l->item_id)))
    goto oom;
  arr = cJSON_CreateArray();
  if (sp_put(body, stock ? "stock_list" : "price_list", arr))
    goto oom;
  m = cJSON_CreateObject();
  if (sp_put(arr, NULL, m) || sp_put(m, "model_id", sp_int(0)))
    goto oom;
  if (!stock)
    return sp_put(m, "original_price", sp_int(l->price_vnd)) ? sp_oom(err, errlen)
                                                             : 0;
  ss = cJSON_CreateArray();
  if (sp_put(m, "seller_stock", ss))
    goto oom;
  s = cJSON_CreateObject();
  if (sp_put(ss, NULL, s) || sp_put(s, "stock", sp_int(l->stock)))
    goto oom;
  return 0;
oom:
  sp_err(err, errlen, "out of memory");
  return -1;
}

static int sp_body(oc_op op, const oc_shop *shop, const oc_listing *l,
                   char **text, char *err, size_t errlen) {
  cJSON *body = cJSON_CreateObject(), *arr, *o;
  int r = -1;

  *text = NULL;
  if (body == NULL)
    goto oom;
  switch (op) {
  case OC_OP_PUBLISH:
    r = sp_body_publish(body, shop, l, err, errlen);
    break;
  case OC_OP_UPDATE:
    if (sp_put(body, "item_id", sp_id(l->item_id)))
      goto oom;
    r = sp_add_text(body, l, err, errlen);
    if (r == 0)
      r = sp_add_ocop_attribute(body, shop, l, 1, err, errlen);
    break;
  case OC_OP_SET_STOCK:
  case OC_OP_SET_PRICE:
    r = sp_body_model(body, l, op == OC_OP_SET_STOCK, err, errlen);
    break;
  case OC_OP_DELIST:
  case OC_OP_RELIST:
    arr = cJSON_CreateArray();
    if (sp_put(body, "item_list", arr))
      goto oom;
    o = cJSON_CreateObject();
    if (sp_put(arr, NULL, o) || sp_put(o, "item_id", sp_id(l->item_id)) ||
        sp_put(o, "unlist", cJSON_CreateBool(op == OC_OP_DELIST)))
      goto oom;
    r = 0;
    break;
  case OC_OP_REFRESH_TOKEN:
    /* "Authorisation and tokens": partner_id travels in the query and again in
     * the body. */
    if (sp_put(body, "refresh_token", cJSON_CreateString(shop->refresh_token)) ||
        sp_put(body, "shop_id", sp_id(shop->shop_id)) ||
        sp_put(body, "partner_id", sp_id(shop->app_key)))
      goto oom;
    r = 0;
    break;
  case OC_OP_TOKEN_EXCHANGE:
    /* "Authorisation and tokens", exchange: partner_id in the query and again
     * in the body. */
    if (sp_put(body, "code", cJSON_CreateString(shop->auth_code)) ||
        sp_put(body, "shop_id", sp_id(shop->shop_id)) ||
        sp_put(body, "partner_id", sp_id(shop->app_key)))
      goto oom;
    r = 0;
    break;
  default:
    sp_err(err, errlen, "operation %s has no body", oc_op_name(op));
    break;
  }
  if (r != 0) {
    cJSON_Delete(body);
    return -1;
  }
  *text = ocu_json_to_text(body);
  body = NULL;
  if (*text == NULL)
    goto oom;
  return 0;
oom:
  cJSON_Delete(body);
  sp_err(err, errlen, "out of memory");
  return -1;
}

/* ---- build ------------------------------------------------------------------ */

static int sp_build(oc_op op, const oc_shop *shop, const oc_listing *l,
                    int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  const sp_opdef *d;
  sp_param extra[3] = {{NULL, NULL, 0}, {NULL, NULL, 0}, {NULL, NULL, 0}};
  size_t nextra = 0;
  char *body = NULL, *hdr = NULL;
  int64_t ts;

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    sp_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  if (op <= 0 || op >= OC_OP_MAX || sp_ops[op].path == NULL) {
    sp_err(err, errlen, "operation %s is not supported by shopee",
           oc_op_name(op));
    return -1;
  }
  d = &sp_ops[op];
  if (d->need & SP_ORDERS) {
    sp_err(err, errlen, "operation %s is built by build_orders", oc_op_name(op));
    return -1;
  }
  if (sp_check_shop(op, d, shop, err, errlen) ||
      sp_check_listing(d, l, err, errlen))
    return -1;
  if (now_ms < 0) {
    sp_err(err, errlen, "clock is before 1970");
    return -1;
  }
  ts = now_ms / 1000; /* Shopee signs Unix seconds */

  switch (op) {
  case OC_OP_LOOKUP_SKU: /* [unverified] parameters, see sp_ops */
    extra[nextra++] = (sp_param){"item_sku", l->sku, 0};
    extra[nextra++] = (sp_param){"offset", "0", 0};
    extra[nextra++] = (sp_param){"page_size", "10", 0};
    break;
  case OC_OP_GET_LISTING:
    extra[nextra++] = (sp_param){"item_id_list", l->item_id, 0};
    break;
  case OC_OP_AUTH_LINK:
    extra[nextra++] = (sp_param){"redirect", shop->redirect_url, 0};
    break;
  default:
    if (sp_body(op, shop, l, &body, err, errlen))
      return -1;
    hdr = ocu_asprintf("%s", "Content-Type: application/json");
    if (hdr == NULL)
      goto oom;
    break;
  }
  if (sp_make_url(shop, d->path, ts, d->kind, extra, nextra, &req->url,
                  &req->log_url))
    goto oom;
  ocu_strlcpy(req->method, d->method, sizeof req->method);
  if (body != NULL) {
    req->body = body;
    req->body_len = strlen(body);
    req->headers[req->nheaders++] = hdr;
  }
  return 0;
oom:
  if (body != NULL)
    ocu_cleanse(body, strlen(body));
  free(body);
  free(hdr);
  oc_request_free(req);
  memset(req, 0, sizeof *req);
  sp_err(err, errlen, "out of memory");
  return -1;
}

/* ---- parse ------------------------------------------------------------------ */

/* Error codes (see "Envelope and errors", "Rate limits"). Anything not listed
 * is OC_REJECTED: error_sign, error_param, promotion locks, shop_banned,
 * error_item_not_belong_shop... */
static const struct sp_errdef {
  const char *code;
  oc_status status;
  long retry_after_ms;
} sp_errors[] = {
    {"error_rate_limit", OC_RETRY, SP_RATE_LIMIT_RETRY_MS},
    {"error_limit", OC_RETRY, SP_DAILY_LIMIT_RETRY_MS},
    {"error_system_busy", OC_RETRY, 0},
    {"error_inner", OC_RETRY, 0},
    {"error_server", OC_RETRY, 0},
    {"error_network", OC_RETRY, 0},
    /* The access token: the core refreshes and retries once. */
    {"invalid_acceess_token", OC_AUTH, 0}, /* Shopee's spelling ("Pitfalls") */
    {"invalid_access_token", OC_AUTH, 0},
    {"error_auth", OC_AUTH, 0},
    /* The authorisation itself: the seller must authorise again. */
    {"refresh_token_expired", OC_AUTH, 0},
    {"error_shop_refresh_token", OC_AUTH, 0},
    {"shop_access_expired", OC_AUTH, 0},
    {"shop_no_linked", OC_AUTH, 0},
    {"partner_shop_no_link", OC_AUTH, 0},
    {"invalid_code", OC_AUTH, 0},
    {"error_item_not_found", OC_NOT_FOUND, 0},
};

/*
 * Looks a code up, exactly, then without a module prefix: the official
 * schemas show codes such as "product.error_param" next to "error_param".
 */
static const struct sp_errdef *sp_classify(const char *code) {
  const char *dot = strrchr(code, '.');
  size_t i;

  for (i = 0; i < sizeof sp_errors / sizeof sp_errors[0]; i++)
    if (strcmp(code, sp_errors[i].code) == 0 ||
        (dot != NULL && strcmp(dot + 1, sp_errors[i].code) == 0))
      return &sp_errors[i];
  return NULL;
}

/* "unexpected response: ..." — the body is JSON but not the expected shape. */
#define SP_UNEXPECTED(res, shop, ...) \
  ocu_fail((res), (shop), OC_RETRY, 0, "unexpected response: " __VA_ARGS__)

/* A required string member; NULL with res set. */
static const char *sp_req_str(oc_result *res, const oc_shop *shop,
                              const cJSON *obj, const char *key,
                              const char *what) {
  return ocu_req_str(res, shop, obj, key, what, "unexpected response: ");
}

/* A required object member; NULL with res set otherwise. */
static const cJSON *sp_req_obj(oc_result *res, const oc_shop *shop,
                               const cJSON *obj, const char *key,
                               const char *what) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it)) {
    SP_UNEXPECTED(res, shop, "field %s is missing", what);
    return NULL;
  }
  if (!cJSON_IsObject(it)) {
    SP_UNEXPECTED(res, shop, "field %s is not an object", what);
    return NULL;
  }
  return it;
}

/* An id into out; -1 with res set. */
static int sp_req_id(oc_result *res, const oc_shop *shop, const cJSON *item,
                     const char *what, char *out, size_t outlen) {
  char why[160];

  if (ocu_json_id(item, OCU_ID_NUMBER, what, out, outlen, why, sizeof why)) {
    SP_UNEXPECTED(res, shop, "%s", why);
    return -1;
  }
  return 0;
}

/* An integer into *out; -1 with res set. */
static int sp_req_int(oc_result *res, const oc_shop *shop, const cJSON *obj,
                      const char *key, const char *what, int round,
                      int64_t *out) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it)) {
    SP_UNEXPECTED(res, shop, "field %s is missing", what);
    return -1;
  }
  if (!cJSON_IsNumber(it)) {
    SP_UNEXPECTED(res, shop, "field %s is not a number", what);
    return -1;
  }
  if ((round ? ocu_json_round(it, out) : ocu_json_int(it, out)) != 0) {
    SP_UNEXPECTED(res, shop, "field %s is not an integer in range", what);
    return -1;
  }
  return 0;
}

/* Batch calls: error == "" can still carry failures (see "Envelope and
 * errors"). */
static void sp_check_failures(oc_result *res, const oc_shop *shop,
                              const oc_listing *l, const cJSON *resp) {
  const cJSON *fl = cJSON_GetObjectItemCaseSensitive(resp, "failure_list");
  const cJSON *e;

  if (fl == NULL || cJSON_IsNull(fl))
    return;
  if (!cJSON_IsArray(fl)) {
    SP_UNEXPECTED(res, shop, "field response.failure_list is not an array");
    return;
  }
  cJSON_ArrayForEach(e, fl) {
    const cJSON *idj = cJSON_GetObjectItemCaseSensitive(e, "item_id");
    const char *why;
    char id[OC_ID_MAX], tmp[160];

    /* Entries naming another item are not ours; an entry without an item
     * id (update_stock/update_price list models of our one item) or with
     * an unreadable one counts as ours. */
    if (idj != NULL && l != NULL && l->item_id != NULL &&
        ocu_json_id(idj, OCU_ID_NUMBER, "item_id", id, sizeof id, tmp,
                    sizeof tmp) == 0 &&
        strcmp(id, l->item_id) != 0)
      continue;
    why = ocu_json_str(e, "failed_reason");
    ocu_fail(res, shop, OC_REJECTED, 0, "failure_list: %s",
            why && why[0] ? why : "(no reason given)");
    return;
  }
}

static void sp_parse_listing(oc_result *res, const oc_shop *shop,
                             const oc_listing *l, const cJSON *resp) {
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(resp, "item_list");
  const cJSON *it, *found = NULL, *pi, *p0, *si, *sum, *hm;
  const char *st;
  char id[OC_ID_MAX];
  int64_t price, stock;

  if (items == NULL || cJSON_IsNull(items) ||
      (cJSON_IsArray(items) && cJSON_GetArraySize(items) == 0)) {
    ocu_fail(res, shop, OC_NOT_FOUND, 0, "item not found");
    return;
  }
  if (!cJSON_IsArray(items)) {
    SP_UNEXPECTED(res, shop, "field response.item_list is not an array");
    return;
  }
  cJSON_ArrayForEach(it, items) {
    if (!cJSON_IsObject(it)) {
      SP_UNEXPECTED(res, shop, "field response.item_list[] is not an object");
      return;
    }
    if (sp_req_id(res, shop, cJSON_GetObjectItemCaseSensitive(it, "item_id"),
                  "response.item_list[].item_id", id, sizeof id))
      return;
    if (l == NULL || l->item_id == NULL || strcmp(id, l->item_id) == 0) {
      found = it;
      break;
    }
  }
  if (found == NULL) {
    ocu_fail(res, shop, OC_NOT_FOUND, 0, "item not found");
    return;
  }
  ocu_strlcpy(res->item_id, id, sizeof res->item_id);
  if ((st = sp_req_str(res, shop, found, "item_status", "item_status")) == NULL)
    return;
  if (strcmp(st, "SELLER_DELETE") == 0 || strcmp(st, "SHOPEE_DELETE") == 0) {
    ocu_fail(res, shop, OC_NOT_FOUND, 0, "item_status %s", st);
    return;
  }

  pi = cJSON_GetObjectItemCaseSensitive(found, "price_info");
  hm = cJSON_GetObjectItemCaseSensitive(found, "has_model");
  if ((pi == NULL || cJSON_IsNull(pi) ||
       (cJSON_IsArray(pi) && cJSON_GetArraySize(pi) == 0)) &&
      cJSON_IsTrue(hm)) {
    /* price_info is only given for items without models (see "Endpoints"). */
    ocu_fail(res, shop, OC_REJECTED, 0,
            "item has models (variations); this connector manages items "
            "without models");
    return;
  }
  if (pi == NULL || cJSON_IsNull(pi)) {
    SP_UNEXPECTED(res, shop, "field price_info is missing");
    return;
  }
  if (!cJSON_IsArray(pi)) {
    SP_UNEXPECTED(res, shop, "field price_info is not an array");
    return;
  }
  p0 = cJSON_GetArrayItem(pi, 0);
  if (!cJSON_IsObject(p0)) {
    SP_UNEXPECTED(res, shop, "field price_info[0] is not an object");
    return;
  }
  if (sp_req_int(res, shop, p0, "original_price", "price_info[0].original_price",
                 1, &price))
    return;
  if ((si = sp_req_obj(res, shop, found, "stock_info_v2", "stock_info_v2")) ==
          NULL ||
      (sum = sp_req_obj(res, shop, si, "summary_info",
                        "stock_info_v2.summary_info")) == NULL ||
      sp_req_int(res, shop, sum, "total_available_stock",
                 "stock_info_v2.summary_info.total_available_stock", 0, &stock))
    return;
  res->price_vnd = price;
  res->stock = stock;
  res->active = strcmp(st, "NORMAL") == 0;
  /* BANNED, REVIEWING and unknown states read as not active; say which. */
  if (strcmp(st, "NORMAL") != 0 && strcmp(st, "UNLIST") != 0)
    ocu_fail(res, shop, OC_OK, 0, "item_status %s", st);
}

static void sp_parse_token(oc_result *res, const oc_shop *shop,
                           const cJSON *root) {
  const char *at, *rt;
  int64_t exp;

  if ((at = sp_req_str(res, shop, root, "access_token", "access_token")) ==
          NULL ||
      (rt = sp_req_str(res, shop, root, "refresh_token", "refresh_token")) ==
          NULL ||
      sp_req_int(res, shop, root, "expire_in", "expire_in", 0, &exp))
    return;
  if (at[0] == '\0' || rt[0] == '\0' || exp <= 0) {
    SP_UNEXPECTED(res, shop, "empty access_token, refresh_token or expire_in");
    return;
  }
  if (strlen(at) >= sizeof res->access_token ||
      strlen(rt) >= sizeof res->refresh_token) {
    SP_UNEXPECTED(res, shop, "token longer than %zu bytes",
                  sizeof res->access_token - 1);
    return;
  }
  ocu_strlcpy(res->access_token, at, sizeof res->access_token);
  ocu_strlcpy(res->refresh_token, rt, sizeof res->refresh_token);
  /* parse() does not know the time: this is the lifetime in seconds (expire_in,
   * about 4 h); the core adds the time it sent the request. Shopee does not say
   * when the refresh token expires (30 days, see "Authorisation and
   * tokens"). */
  res->access_expires_at = exp;
  res->refresh_expires_at = 0;
}

static void sp_parse_ok(oc_op op, oc_result *res, const oc_shop *shop,
                        const oc_listing *l, const cJSON *root, int has_error) {
  const cJSON *resp = cJSON_GetObjectItemCaseSensitive(root, "response");
  const cJSON *list;

  if (op == OC_OP_REFRESH_TOKEN || op == OC_OP_TOKEN_EXCHANGE) {
    /* auth replies are not wrapped */
    sp_parse_token(res, shop, root);
    return;
  }
  if (resp == NULL || cJSON_IsNull(resp)) {
    /* error == "" alone is success for calls with nothing to read back; neither
     * error nor response is not an answer (see "Envelope and errors"). */
    if (has_error && op != OC_OP_PUBLISH && op != OC_OP_LOOKUP_SKU &&
        op != OC_OP_GET_LISTING)
      return;
    SP_UNEXPECTED(res, shop, "field response is missing");
    return;
  }
  if (!cJSON_IsObject(resp)) {
    SP_UNEXPECTED(res, shop, "field response is not an object");
    return;
  }
  switch (op) {
  case OC_OP_PUBLISH:
    sp_req_id(res, shop, cJSON_GetObjectItemCaseSensitive(resp, "item_id"),
              "response.item_id", res->item_id, sizeof res->item_id);
    break;
  case OC_OP_LOOKUP_SKU:
    list = cJSON_GetObjectItemCaseSensitive(resp, "item_id_list");
    if (list == NULL || cJSON_IsNull(list) ||
        (cJSON_IsArray(list) && cJSON_GetArraySize(list) == 0))
      ocu_fail(res, shop, OC_NOT_FOUND, 0, "no listing with this SKU");
    else if (!cJSON_IsArray(list))
      SP_UNEXPECTED(res, shop, "field response.item_id_list is not an array");
    else
      sp_req_id(res, shop, cJSON_GetArrayItem(list, 0),
                "response.item_id_list[0]", res->item_id, sizeof res->item_id);
    break;
  case OC_OP_GET_LISTING:
    sp_parse_listing(res, shop, l, resp);
    break;
  default:
    sp_check_failures(res, shop, l, resp);
    break;
  }
}

/*
 * Classifies the HTTP status and the envelope (see "Envelope and errors") for
 * every call, listings and orders alike. Returns the body when it is a success
 * left to the caller to read (who frees it), with *has_error set when "error"
 * was present; otherwise NULL with res filled.
 */
static cJSON *sp_envelope(const oc_shop *shop, long http_status,
                          const char *body, size_t len, oc_result *res,
                          int *has_error) {
  cJSON *root = NULL;
  const cJSON *ej, *rid;
  const char *code = "", *msg;
  char why[160];
  int http_ok = http_status >= 200 && http_status <= 299;
  int busy = http_status == 429 || http_status >= 500;
  const struct sp_errdef *def;

  memset(res, 0, sizeof *res);
  res->status = OC_OK;
  *has_error = 0;
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
              http_status == 429 ? SP_RATE_LIMIT_RETRY_MS : 0, "HTTP %ld",
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
  ej = cJSON_GetObjectItemCaseSensitive(root, "error");
  if (ej != NULL && !cJSON_IsNull(ej) && !cJSON_IsString(ej)) {
    if (busy || !http_ok)
      ocu_fail(res, shop, busy ? OC_RETRY : OC_REJECTED, 0, "HTTP %ld",
              http_status);
    else
      SP_UNEXPECTED(res, shop, "field error is not a string");
    cJSON_Delete(root);
    return NULL;
  }
  if (cJSON_IsString(ej))
    code = ej->valuestring;
  msg = ocu_json_str(root, "message");
  if (msg == NULL)
    msg = "";
  def = code[0] ? sp_classify(code) : NULL;

  if (busy) { /* 429 and 5xx are transient whatever the body says */
    long wait = def && def->status == OC_RETRY ? def->retry_after_ms : 0;

    if (http_status == 429 && wait < SP_RATE_LIMIT_RETRY_MS)
      wait = SP_RATE_LIMIT_RETRY_MS;
    if (code[0])
      ocu_fail(res, shop, OC_RETRY, wait, "HTTP %ld: %s%s%s", http_status, code,
              msg[0] ? ": " : "", msg);
    else
      ocu_fail(res, shop, OC_RETRY, wait, "HTTP %ld", http_status);
  } else if (code[0]) {
    ocu_fail(res, shop, def ? def->status : OC_REJECTED,
            def ? def->retry_after_ms : 0, "%s%s%s", code, msg[0] ? ": " : "",
            msg);
  } else if (!http_ok) {
    ocu_fail(res, shop, OC_REJECTED, 0, "HTTP %ld", http_status);
  } else {
    *has_error = cJSON_IsString(ej);
    return root;
  }
  cJSON_Delete(root);
  return NULL;
}

static void sp_parse(oc_op op, const oc_shop *shop, const oc_listing *l,
                     long http_status, const char *body, size_t len,
                     oc_result *res) {
  cJSON *root;
  int has_error;

  if (res == NULL)
    return;
  root = sp_envelope(shop, http_status, body, len, res, &has_error);
  if (root == NULL)
    return;
  sp_parse_ok(op, res, shop, l, root, has_error);
  cJSON_Delete(root);
}

/* ---- orders (ABI 3; see "Orders") ---------------------------------------- */

#define SP_ORDER_WINDOW_S (15 * 86400) /* get_order_list refuses longer spans */
#define SP_ORDER_PAGE_SIZE "100"       /* the largest page Shopee allows */
#define SP_ORDER_SN_MAX 64             /* bytes of one order_sn we accept */
#define SP_CURSOR_MAX 512              /* an opaque next_cursor we pass back */
/* What get_order_detail must return beyond the defaults (see "Orders"). */
#define SP_ORDER_FIELDS \
  "item_list,buyer_user_id,pay_time,cancel_by,cancel_reason,total_amount," \
  "package_list"

/* See "Orders", with the daemon meaning: what each status does to stock.
 * IN_CANCEL is only a request: the goods stay sold until CANCELLED says
 * otherwise. */
static const ocu_status_map sp_order_status[] = {
    {"UNPAID", "reserved"},
    {"PENDING", "reserved"},
    {"READY_TO_SHIP", "sold"},
    {"PROCESSED", "sold"},
    {"RETRY_SHIP", "sold"},
    {"SHIPPED", "sold"},
    {"TO_CONFIRM_RECEIVE", "sold"},
    {"COMPLETED", "sold"},
    {"IN_CANCEL", "sold"},
    {"INVOICE_PENDING", "sold"},
    {"CANCELLED", "cancelled"},
    {"TO_RETURN", "returned"},
    {NULL, NULL},
};

/* An order_sn we are willing to put in a URL: 1..64 of [A-Za-z0-9_-]. The
 * same rule holds on both sides, so an id LIST_ORDERS returns is one that
 * GET_ORDERS accepts. 0 when valid, else what is wrong. */
static const char *sp_order_sn_problem(const char *s) {
  size_t n;

  if (s == NULL || s[0] == '\0')
    return "is empty";
  for (n = 0; s[n]; n++) {
    char c = s[n];

    if (n >= SP_ORDER_SN_MAX)
      return "is longer than 64 bytes";
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z') || c == '_' || c == '-'))
      return "holds a character outside [A-Za-z0-9_-]";
  }
  return NULL;
}

/* order_sn_list: the ids joined by commas; -1 with err set (bad id, OOM). */
static char *sp_order_sn_list(const oc_order_query *q, char *err,
                              size_t errlen) {
  ocu_buf b = OCU_BUF_INIT;
  size_t i;
  char *list;

  if (q->nids < 1 || q->nids > OC_MAX_ORDER_IDS || q->ids == NULL) {
    sp_err(err, errlen, "GET_ORDERS takes 1 to %d order ids, not %zu",
           OC_MAX_ORDER_IDS, q->ids == NULL ? (size_t)0 : q->nids);
    return NULL;
  }
  for (i = 0; i < q->nids; i++) {
    const char *why = sp_order_sn_problem(q->ids[i]);

    if (why != NULL) { /* the index, never the value */
      sp_err(err, errlen, "order id %zu %s", i, why);
      ocu_buf_free(&b);
      return NULL;
    }
    if (i > 0)
      ocu_buf_puts(&b, ",");
    ocu_buf_puts(&b, q->ids[i]);
  }
  if ((list = ocu_buf_detach(&b)) == NULL)
    sp_err(err, errlen, "out of memory");
  return list;
}

static int sp_check_window(const oc_order_query *q, char *err, size_t errlen) {
  /* from == to is an empty window, harmless to ask: a poller that runs twice
   * in one second must not fail on it. */
  if (q->from_s < 0 || q->to_s < q->from_s) {
    sp_err(err, errlen, "order window must have 0 <= from <= to");
    return -1;
  }
  if (q->to_s - q->from_s > SP_ORDER_WINDOW_S) {
    sp_err(err, errlen, "order window is longer than 15 days");
    return -1;
  }
  if (q->page != NULL && strlen(q->page) > SP_CURSOR_MAX) {
    sp_err(err, errlen, "order page cursor is longer than %d bytes",
           SP_CURSOR_MAX);
    return -1;
  }
  return 0;
}

static int sp_build_orders(oc_op op, const oc_shop *shop,
                           const oc_order_query *q, int64_t now_ms,
                           oc_request *req, char *err, size_t errlen) {
  const sp_opdef *d;
  sp_param extra[6];
  size_t nextra = 0;
  char from[24], to[24], *list = NULL;
  int r;

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    sp_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  if (op != OC_OP_LIST_ORDERS && op != OC_OP_GET_ORDERS) {
    sp_err(err, errlen, "operation %s is not an order operation",
           oc_op_name(op));
    return -1;
  }
  d = &sp_ops[op];
  if (sp_check_shop(op, d, shop, err, errlen))
    return -1;
  if (q == NULL) {
    sp_err(err, errlen, "order query is missing");
    return -1;
  }
  if (now_ms < 0) {
    sp_err(err, errlen, "clock is before 1970");
    return -1;
  }
  if (op == OC_OP_LIST_ORDERS) {
    if (sp_check_window(q, err, errlen))
      return -1;
    snprintf(from, sizeof from, "%" PRId64, q->from_s);
    snprintf(to, sizeof to, "%" PRId64, q->to_s);
    extra[nextra++] = (sp_param){"time_range_field", "update_time", 0};
    extra[nextra++] = (sp_param){"time_from", from, 0};
    extra[nextra++] = (sp_param){"time_to", to, 0};
    extra[nextra++] = (sp_param){"page_size", SP_ORDER_PAGE_SIZE, 0};
    extra[nextra++] = (sp_param){"cursor", q->page ? q->page : "", 0};
    extra[nextra++] = (sp_param){"response_optional_fields", "order_status", 0};
  } else {
    if ((list = sp_order_sn_list(q, err, errlen)) == NULL)
      return -1;
    extra[nextra++] = (sp_param){"order_sn_list", list, 1};
    extra[nextra++] = (sp_param){"response_optional_fields", SP_ORDER_FIELDS, 1};
  }
  r = sp_make_url(shop, d->path, now_ms / 1000, d->kind, extra, nextra,
                  &req->url, &req->log_url);
  free(list);
  if (r != 0) {
    sp_err(err, errlen, "out of memory");
    return -1;
  }
  ocu_strlcpy(req->method, d->method, sizeof req->method);
  return 0;
}

/* LIST_ORDERS: response.order_list[].order_sn, more, next_cursor. */
static cJSON *sp_order_list(oc_result *res, const oc_shop *shop,
                            const cJSON *resp) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(resp, "order_list");
  const cJSON *more = cJSON_GetObjectItemCaseSensitive(resp, "more");
  const cJSON *o;
  const char *next = "";
  cJSON *doc;

  if (!cJSON_IsArray(list)) {
    SP_UNEXPECTED(res, shop, "field response.order_list is not an array");
    return NULL;
  }
  if (!cJSON_IsBool(more)) {
    SP_UNEXPECTED(res, shop, "field response.more is not a boolean");
    return NULL;
  }
  if (cJSON_IsTrue(more)) {
    next = ocu_json_str(resp, "next_cursor");
    if (next == NULL || next[0] == '\0' || strlen(next) > SP_CURSOR_MAX) {
      SP_UNEXPECTED(res, shop,
                    "response.more is true without a usable next_cursor");
      return NULL;
    }
  }
  if ((doc = ocu_order_list_new()) == NULL)
    goto oom;
  cJSON_ArrayForEach(o, list) {
    char id[SP_ORDER_SN_MAX + 1], why[160];
    const char *bad;

    if (!cJSON_IsObject(o)) {
      SP_UNEXPECTED(res, shop, "field response.order_list[] is not an object");
      goto fail;
    }
    if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(o, "order_sn"),
                    OCU_ID_STRING | OCU_ID_NUMBER,
                    "response.order_list[].order_sn", id, sizeof id, why,
                    sizeof why)) {
      SP_UNEXPECTED(res, shop, "%s", why);
      goto fail;
    }
    /* GET_ORDERS would refuse it: better a retried page than a lost id. */
    if ((bad = sp_order_sn_problem(id)) != NULL) {
      SP_UNEXPECTED(res, shop, "field response.order_list[].order_sn %s", bad);
      goto fail;
    }
    if (ocu_order_list_add(doc, id))
      goto oom;
  }
  if (ocu_order_list_end(doc, next, 0))
    goto oom;
  return doc;
oom:
  ocu_fail(res, shop, OC_RETRY, 0, "out of memory");
fail:
  cJSON_Delete(doc);
  return NULL;
}

/*
 * An amount in whole dong: a number (rounded) or a decimal string. 1 when
 * read, 0 when absent or null, -1 when present but not a non-negative amount.
 */
static int sp_money(const cJSON *obj, const char *key, int64_t *out) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it))
    return 0;
  if (cJSON_IsNumber(it))
    return ocu_json_round(it, out) == 0 && *out >= 0 ? 1 : -1;
  if (cJSON_IsString(it))
    return ocu_money_text(it->valuestring, out) == 0 ? 1 : -1;
  return -1;
}

/*
 * One item_list[] entry onto order. NULL on success (or OOM, flagged in
 * *oom), else why the order cannot be read, naming the field.
 */
static const char *sp_order_line(cJSON *order, const cJSON *line, int *oom) {
  const cJSON *mid = cJSON_GetObjectItemCaseSensitive(line, "model_id");
  int64_t model = 0, qty, price = -1;
  const char *sku_key, *sku;
  int m;

  if (!cJSON_IsObject(line))
    return "item_list[] entry is not an object";
  /* model_id absent reads as 0: an item without models. */
  if (mid != NULL && !cJSON_IsNull(mid) &&
      (ocu_json_int(mid, &model) || model < 0))
    return "item_list[].model_id is not an id";
  sku_key = model != 0 ? "model_sku" : "item_sku";
  sku = ocu_json_str(line, sku_key);
  if (sku == NULL || sku[0] == '\0')
    return model != 0 ? "item_list[].model_sku is missing or empty"
                      : "item_list[].item_sku is missing or empty";
  if (!ocu_utf8_valid(sku, strlen(sku)))
    return "item_list[] SKU is not valid UTF-8";
  if (ocu_json_int(cJSON_GetObjectItemCaseSensitive(line,
                                                    "model_quantity_purchased"),
                   &qty) ||
      qty < 1)
    return "item_list[].model_quantity_purchased is missing or not a "
           "positive integer";
  /* The price paid per unit: the discounted one, or the original when there is
   * no discount (0, as on bundle-deal lines, see "Orders"); unknown is null. */
  m = sp_money(line, "model_discounted_price", &price);
  if (m < 0)
    return "item_list[].model_discounted_price is not an amount";
  if (m == 0 || price == 0) {
    price = -1;
    if (sp_money(line, "model_original_price", &price) < 0)
      return "item_list[].model_original_price is not an amount";
  }
  if (ocu_order_add_line(order, sku, qty, price))
    *oom = 1;
  return NULL;
}

/* One order_list[] entry into doc, or into doc's "bad" with the reason.
 * -1 only on OOM. */
static int sp_order_detail(cJSON *doc, const char *id, const cJSON *o) {
  const char *status = ocu_json_str(o, "order_status"), *effect, *why = NULL;
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(o, "item_list");
  const cJSON *line;
  int64_t upd, total = -1;
  cJSON *order;
  int oom = 0;

  if (status == NULL)
    return ocu_orders_bad(doc, id, "order %s: order_status is missing", id);
  if ((effect = ocu_order_effect(sp_order_status, status)) == NULL)
    return ocu_orders_bad(doc, id, "order %s: unknown order_status \"%s\"", id,
                          status);
  if (ocu_json_int(cJSON_GetObjectItemCaseSensitive(o, "update_time"), &upd) ||
      upd < 0)
    return ocu_orders_bad(doc, id,
                          "order %s: update_time is missing or not a time", id);
  if (sp_money(o, "total_amount", &total) < 0)
    return ocu_orders_bad(doc, id, "order %s: total_amount is not an amount",
                          id);
  if (!cJSON_IsArray(items) || cJSON_GetArraySize(items) == 0)
    return ocu_orders_bad(doc, id, "order %s: item_list is missing or empty",
                          id);
  if ((order = ocu_orders_add(doc, id, status, effect, upd, total)) == NULL)
    return -1;
  cJSON_ArrayForEach(line, items) {
    if ((why = sp_order_line(order, line, &oom)) != NULL || oom)
      break;
  }
  if (why == NULL && !oom)
    return 0;
  ocu_orders_drop_last(doc);
  return oom ? -1 : ocu_orders_bad(doc, id, "order %s: %s", id, why);
}

/* 1 when id is among the order_sn of list. */
static int sp_order_answered(const cJSON *list, const char *id) {
  const cJSON *o;

  cJSON_ArrayForEach(o, list) {
    char sn[SP_ORDER_SN_MAX + 1], why[160];

    if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(o, "order_sn"),
                    OCU_ID_STRING | OCU_ID_NUMBER, "order_sn", sn, sizeof sn,
                    why, sizeof why) == 0 &&
        strcmp(sn, id) == 0)
      return 1;
  }
  return 0;
}

/* GET_ORDERS: response.order_list[] with the details of each order. */
static cJSON *sp_order_details(oc_result *res, const oc_shop *shop,
                               const oc_order_query *q, const cJSON *resp) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(resp, "order_list");
  const cJSON *o;
  cJSON *doc;
  size_t i;

  if (!cJSON_IsArray(list)) {
    SP_UNEXPECTED(res, shop, "field response.order_list is not an array");
    return NULL;
  }
  if ((doc = ocu_orders_new()) == NULL)
    goto oom;
  cJSON_ArrayForEach(o, list) {
    char id[SP_ORDER_SN_MAX + 1], why[160];

    if (!cJSON_IsObject(o)) {
      SP_UNEXPECTED(res, shop, "field response.order_list[] is not an object");
      goto fail;
    }
    /* Without a readable id nothing can be attributed: the page fails. */
    if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(o, "order_sn"),
                    OCU_ID_STRING | OCU_ID_NUMBER,
                    "response.order_list[].order_sn", id, sizeof id, why,
                    sizeof why)) {
      SP_UNEXPECTED(res, shop, "%s", why);
      goto fail;
    }
    if (sp_order_detail(doc, id, o))
      goto oom;
  }
  /* An order asked for and not answered is reported, not forgotten: the
   * core retries it and dead-letters it in the end. */
  for (i = 0; q != NULL && q->ids != NULL && i < q->nids; i++)
    if (q->ids[i] != NULL && !sp_order_answered(list, q->ids[i]) &&
        ocu_orders_bad(doc, q->ids[i], "order %s: not in the answer",
                       q->ids[i]))
      goto oom;
  return doc;
oom:
  ocu_fail(res, shop, OC_RETRY, 0, "out of memory");
fail:
  cJSON_Delete(doc);
  return NULL;
}

static void sp_parse_orders(oc_op op, const oc_shop *shop,
                            const oc_order_query *q, long http_status,
                            const char *body, size_t len, oc_result *res) {
  const cJSON *resp;
  cJSON *root, *doc;
  int has_error;

  if (res == NULL)
    return;
  root = sp_envelope(shop, http_status, body, len, res, &has_error);
  if (root == NULL)
    return;
  resp = cJSON_GetObjectItemCaseSensitive(root, "response");
  if (op != OC_OP_LIST_ORDERS && op != OC_OP_GET_ORDERS)
    ocu_fail(res, shop, OC_REJECTED, 0, "operation %s is not an order operation",
             oc_op_name(op));
  else if (!cJSON_IsObject(resp))
    SP_UNEXPECTED(res, shop, "field response is missing or not an object");
  else if ((doc = op == OC_OP_LIST_ORDERS ? sp_order_list(res, shop, resp)
                                          : sp_order_details(res, shop, q, resp)))
    ocu_orders_finish(res, doc);
  cJSON_Delete(root);
}

/* ---- push (see "Push") --------------------------------------------------- */

#define SP_PUSH_ORDER 3 /* order status update */

static int sp_push_fail(oc_push *out, const char *why) {
  ocu_strlcpy(out->error, why, sizeof out->error);
  return -1;
}

/* Lowercase hex HMAC-SHA256(partner key, callback_url "|" raw body). */
static int sp_push_sign(const oc_shop *shop, const char *callback_url,
                        const char *body, size_t len, char out[65]) {
  ocu_buf b = OCU_BUF_INIT;
  int r = -1;

  out[0] = '\0';
  ocu_buf_puts(&b, callback_url);
  ocu_buf_add(&b, "|", 1);
  if (len > 0)
    ocu_buf_add(&b, body, len);
  if (!b.failed)
    r = ocu_hmac_sha256_hex(shop->app_secret, strlen(shop->app_secret), b.data,
                            b.len, OCU_HEX_LOWER, out);
  ocu_buf_free(&b);
  return r;
}

/* The signed body: code, and shop_id/timestamp/data when present. */
static int sp_push_read(const cJSON *root, oc_push *out) {
  const cJSON *code = cJSON_GetObjectItemCaseSensitive(root, "code");
  const cJSON *sid = cJSON_GetObjectItemCaseSensitive(root, "shop_id");
  const cJSON *ts = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
  int64_t v;
  char why[160];

  if (!cJSON_IsObject(root))
    return sp_push_fail(out, "push body is not a JSON object");
  if (ocu_json_int(code, &v) || v < 0 || v > 1000000)
    return sp_push_fail(out, "push field code is missing or not a small integer");
  out->kind = (int)v;
  /* shop_id is absent in partner-level pushes (codes 0, 1, 2, 12). */
  if (sid != NULL && !cJSON_IsNull(sid) &&
      ocu_json_id(sid, OCU_ID_NUMBER | OCU_ID_STRING, "shop_id", out->shop_id,
                  sizeof out->shop_id, why, sizeof why))
    return sp_push_fail(out, "push field shop_id is not an id");
  if (ts != NULL && !cJSON_IsNull(ts)) {
    if (ocu_json_int(ts, &v) || v < 0)
      return sp_push_fail(out, "push field timestamp is not a time");
    out->timestamp = v;
  }
  if (data != NULL && !cJSON_IsNull(data) && !cJSON_IsObject(data))
    return sp_push_fail(out, "push field data is not an object");
  if (out->kind == 0 && !cJSON_IsObject(data))
    return sp_push_fail(out, "verification push without data");
  if (out->kind == SP_PUSH_ORDER) {
    const char *bad;

    if (out->shop_id[0] == '\0')
      return sp_push_fail(out, "order push without shop_id");
    if (!cJSON_IsObject(data) ||
        ocu_json_id(cJSON_GetObjectItemCaseSensitive(data, "ordersn"),
                    OCU_ID_STRING | OCU_ID_NUMBER, "data.ordersn",
                    out->order_id, sizeof out->order_id, why, sizeof why))
      return sp_push_fail(out, "order push without a readable data.ordersn");
    if ((bad = sp_order_sn_problem(out->order_id)) != NULL) {
      snprintf(out->error, sizeof out->error, "push field data.ordersn %s", bad);
      return -1;
    }
  }
  return 0;
}

static int sp_verify_push(const oc_shop *shop, const char *callback_url,
                          const char *authorization, const char *body,
                          size_t len, oc_push *out) {
  char want[65], why[128];
  cJSON *root = NULL;
  int ok, r;

  if (out == NULL)
    return -1;
  memset(out, 0, sizeof *out);
  if (shop == NULL || shop->app_secret == NULL || shop->app_secret[0] == '\0')
    return sp_push_fail(out, "shop app_secret (partner key) is not set");
  if (callback_url == NULL || callback_url[0] == '\0')
    return sp_push_fail(out, "no callback URL to verify against");
  if (authorization == NULL)
    return sp_push_fail(out, "no Authorization header");
  if (body == NULL && len > 0)
    return sp_push_fail(out, "push body is missing");
  if (len > OC_MAX_PUSH)
    return sp_push_fail(out, "push body is too large");
  if (sp_push_sign(shop, callback_url, body, len, want))
    return sp_push_fail(out, "cannot compute the signature");
  /* Exact lowercase hex, nothing trimmed: Shopee sends it that way. */
  ok = ocu_sig_equal(want, authorization);
  ocu_cleanse(want, sizeof want);
  if (!ok)
    return sp_push_fail(out, "signature does not match");
  /* Only a genuine push is parsed at all. */
  if (ocu_json_parse(body, len, &root, why, sizeof why)) {
    snprintf(out->error, sizeof out->error, "signed push body: %s", why);
    return -1;
  }
  r = sp_push_read(root, out);
  cJSON_Delete(root);
  if (r != 0) { /* nothing half-filled goes back */
    char keep[sizeof out->error];

    memcpy(keep, out->error, sizeof keep);
    memset(out, 0, sizeof *out);
    memcpy(out->error, keep, sizeof keep);
  }
  return r;
}

/* ---- entry point -------------------------------------------------------------- */

static const oc_connector sp_connector = {
    OC_ABI_VERSION,
    "shopee",
    OC_CAP(OC_OP_PUBLISH) | OC_CAP(OC_OP_UPDATE) | OC_CAP(OC_OP_SET_STOCK) |
        OC_CAP(OC_OP_SET_PRICE) | OC_CAP(OC_OP_DELIST) | OC_CAP(OC_OP_RELIST) |
        OC_CAP(OC_OP_LOOKUP_SKU) | OC_CAP(OC_OP_GET_LISTING) |
        OC_CAP(OC_OP_REFRESH_TOKEN) | OC_CAP(OC_OP_AUTH_LINK) |
        OC_CAP(OC_OP_TOKEN_EXCHANGE) | OC_CAP(OC_OP_LIST_ORDERS) |
        OC_CAP(OC_OP_GET_ORDERS) | OC_CAP_STRIP,
    sp_build,
    sp_parse,
    NULL, /* feed: an HTTP connector */
    SP_ORDER_WINDOW_S,
    sp_build_orders,
    sp_parse_orders,
    sp_verify_push,
};

const oc_connector *ocop_connector_v1(void) { return &sp_connector; }
