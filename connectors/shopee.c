/*
 * shopee.c — the Shopee Open Platform v2 connector.
 *
 * Spec: shared/spec/marketplace-apis.md §2 (signing §2.3, envelope §2.4,
 * endpoints §2.5, rate limits §2.8, money §2.9, pitfalls §2.10), vectors in
 * shared/spec/signing-vectors.md §1, OCOP claims in ocop-domain.md §11.
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
 * error_limit: the app's daily quota is spent and resets at 00:00 UTC+8
 * (§2.4). parse() is not given the time, so it cannot compute the wait until
 * midnight; it asks for one hour instead. Worst case the core spends one call
 * per hour per shop finding the quota still exhausted, which is cheap and
 * needs no clock in the connector. (An ABI with now_ms in parse() could give
 * the exact wait.)
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

typedef struct sp_opdef {
  const char *method;
  const char *path; /* the signed path: full, no query, no trailing slash */
  int kind;         /* SP_PUBLIC or SP_SHOP (§2.2) */
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
     * [unverified] search_item by item_sku: the spec (§2.5) only has it from
     * user code. The scraped official schema lists item_sku (added
     * 2022-07-28), offset and page_size (1..100) and returns
     * response.item_id_list; whether item_sku matches exactly or by prefix,
     * and whether UNLIST items are returned without an item_status filter,
     * was not confirmed.
     */
    [OC_OP_LOOKUP_SKU] = {"GET", "/api/v2/product/search_item", SP_SHOP,
                          SP_NEED_LISTING | SP_NEED_SKU},
    [OC_OP_GET_LISTING] = {"GET", "/api/v2/product/get_item_base_info", SP_SHOP,
                           SP_NEED_LISTING | SP_NEED_ITEM},
    /* Public signature: never access_token/shop_id in the base string (S4). */
    [OC_OP_REFRESH_TOKEN] = {"POST", "/api/v2/auth/access_token/get", SP_PUBLIC,
                             0},
    /* §2.2 step 1: the link the seller opens (build only, never sent); the
     * public signature over this path. It dies 5 minutes after `timestamp`. */
    [OC_OP_AUTH_LINK] = {"GET", "/api/v2/shop/auth_partner", SP_PUBLIC, 0},
    /* §2.2 step 3: the single-use code (10 minutes) for the first pair. */
    [OC_OP_TOKEN_EXCHANGE] = {"POST", "/api/v2/auth/token/get", SP_PUBLIC, 0},
};

typedef struct sp_param {
  const char *key;
  const char *value; /* raw; URL-encoded when serialised */
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
    /* The connector alone writes OCOP claims (domain §11.1): a claim already
     * in the text would survive a strip or show the wrong star count. */
    if (ocu_has_ocop(l->name) || ocu_has_ocop(l->description)) {
      sp_err(err, errlen,
             "listing name or description already mentions OCOP; the "
             "connector adds the claim itself");
      return -1;
    }
  }
  return 0;
}

/* ---- signing and URLs (§2.3) ---------------------------------------------- */

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

/* ---- OCOP claims (domain §11) --------------------------------------------- */

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

/* Integers are written as raw JSON text: cJSON would print a double, and
 * Shopee VN wants integer prices (§2.9) — never 150000.0 or 1.5e+05. */
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
    /* §2.2: partner_id travels in the query and again in the body. */
    if (sp_put(body, "refresh_token", cJSON_CreateString(shop->refresh_token)) ||
        sp_put(body, "shop_id", sp_id(shop->shop_id)) ||
        sp_put(body, "partner_id", sp_id(shop->app_key)))
      goto oom;
    r = 0;
    break;
  case OC_OP_TOKEN_EXCHANGE:
    /* §2.2 step 3: partner_id in the query and again in the body. */
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
  sp_param extra[3] = {{NULL, NULL}, {NULL, NULL}, {NULL, NULL}};
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
    extra[nextra++] = (sp_param){"item_sku", l->sku};
    extra[nextra++] = (sp_param){"offset", "0"};
    extra[nextra++] = (sp_param){"page_size", "10"};
    break;
  case OC_OP_GET_LISTING:
    extra[nextra++] = (sp_param){"item_id_list", l->item_id};
    break;
  case OC_OP_AUTH_LINK:
    extra[nextra++] = (sp_param){"redirect", shop->redirect_url};
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

/* Error codes (§2.4, §2.8). Anything not listed is OC_REJECTED: error_sign,
 * error_param, promotion locks, shop_banned, error_item_not_belong_shop... */
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
    {"invalid_acceess_token", OC_AUTH, 0}, /* Shopee's spelling (§2.10.5) */
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

/* A required string member; NULL with res set when missing or not a string. */
static const char *sp_req_str(oc_result *res, const oc_shop *shop,
                              const cJSON *obj, const char *key,
                              const char *what) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it)) {
    SP_UNEXPECTED(res, shop, "field %s is missing", what);
    return NULL;
  }
  if (!cJSON_IsString(it) || it->valuestring == NULL) {
    SP_UNEXPECTED(res, shop, "field %s is not a string", what);
    return NULL;
  }
  return it->valuestring;
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

/* Batch calls: error == "" can still carry failures (§2.4, §2.10.4). */
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
    /* price_info is only given for items without models (§2.5). */
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
  /* parse() does not know the time: this is the lifetime in seconds
   * (expire_in, about 4 h); the core adds the time it sent the request.
   * Shopee does not say when the refresh token expires (30 days, §2.2). */
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
    /* error == "" alone is success for calls with nothing to read back;
     * neither error nor response is not an answer (§2.4). */
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

static void sp_parse(oc_op op, const oc_shop *shop, const oc_listing *l,
                     long http_status, const char *body, size_t len,
                     oc_result *res) {
  cJSON *root = NULL;
  const cJSON *ej, *rid;
  const char *code = "", *msg;
  char why[160];
  int http_ok = http_status >= 200 && http_status <= 299;
  int busy = http_status == 429 || http_status >= 500;
  const struct sp_errdef *def;

  if (res == NULL)
    return;
  memset(res, 0, sizeof *res);
  res->status = OC_OK;
  if (http_status <= 0) {
    ocu_fail(res, shop, OC_RETRY, 0, "no response");
    return;
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
    return;
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
    goto out;
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
    sp_parse_ok(op, res, shop, l, root, cJSON_IsString(ej));
  }
out:
  cJSON_Delete(root);
}

/* ---- entry point -------------------------------------------------------------- */

static const oc_connector sp_connector = {
    OC_ABI_VERSION,
    "shopee",
    OC_CAP(OC_OP_PUBLISH) | OC_CAP(OC_OP_UPDATE) | OC_CAP(OC_OP_SET_STOCK) |
        OC_CAP(OC_OP_SET_PRICE) | OC_CAP(OC_OP_DELIST) | OC_CAP(OC_OP_RELIST) |
        OC_CAP(OC_OP_LOOKUP_SKU) | OC_CAP(OC_OP_GET_LISTING) |
        OC_CAP(OC_OP_REFRESH_TOKEN) | OC_CAP(OC_OP_AUTH_LINK) |
        OC_CAP(OC_OP_TOKEN_EXCHANGE) | OC_CAP_STRIP,
    sp_build,
    sp_parse,
    NULL, /* feed: an HTTP connector */
    0,    /* order_window_s */
    NULL, /* build_orders */
    NULL, /* parse_orders */
    NULL, /* verify_push */
};

const oc_connector *ocop_connector_v1(void) { return &sp_connector; }
