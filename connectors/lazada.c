/*
 * lazada.c — the Lazada Open Platform ("LazOP") connector.
 *
 * Reference: docs/marketplaces/lazada.md (tokens, signing and its worked
 * vectors L1..L6, envelope and errors, endpoints, orders, push, rate limits,
 * money, pitfalls). Where Lazada leaves a choice open, this file and the
 * simulator (tests/sim/sim_lazada.c) make the same one; lazada.md lists those
 * choices under "Verified and our reading". Below, 'see "Section"' names a
 * section of lazada.md.
 *
 * Pure, per connector.h: no I/O, no mutable globals, every allocation handed
 * to the caller (oc_request) or freed before returning.
 *
 * Wire summary:
 *   URL   = base_url + "/rest" + api_name; the signed name has no "/rest".
 *   Query = app_key, timestamp (unix ms), sign_method=sha256, access_token
 *           (seller calls), sign, and the business parameters of a GET.
 *   Body  = business parameters of a POST, application/x-www-form-urlencoded.
 *   Sign  = UPPER hex HMAC-SHA256(app_secret, api_name + k1 v1 k2 v2 ...)
 *           over every non-empty parameter (query and body) but sign, sorted
 *           byte-wise by name, raw values. Empty parameters are neither
 *           signed nor sent (vector L4).
 *
 * Shop options read (shop.options):
 *   category_id           Lazada PrimaryCategory for every listing (PUBLISH)
 *   category.<OCOP code>  per OCOP category, e.g. "category.I.3.c"; wins
 *   image_url             Lazada-hosted image URL(s), comma-separated, at
 *                         most 8 (PUBLISH). Lazada rejects external URLs
 *                         (see "Endpoints"): migrate/upload them first.
 *                         Only the http(s) form is checked here, not the
 *                         host.
 *   auth_url              token host, scheme://host[:port]; default
 *                         "https://auth.lazada.com" (REFRESH_TOKEN,
 *                         AUTH_LINK, TOKEN_EXCHANGE)
 *
 * AUTH_LINK (see "Authorisation and tokens") is built, never sent:
 * <auth_url>/oauth/authorize with response_type=code, force_auth=true,
 * redirect_uri and client_id. The redirect must equal the callback
 * registered for the app. TOKEN_EXCHANGE: /auth/token/create with the code,
 * signed like any call and without access_token; results like REFRESH_TOKEN.
 *
 * REFRESH_TOKEN results: access_expires_at and refresh_expires_at hold the
 * LIFETIMES Lazada returns (expires_in, refresh_expires_in: seconds from
 * now), not unix times; parse() has no clock, and the core adds the time it
 * sent the request. refresh_expires_at is 0 when Lazada omits it.
 *
 * [unverified] choices (shared with the simulator, not from Lazada; see
 * "Verified and our reading"): the relist call (product/update with SKU
 * Status "active"), the delist parameter name (apiRequestBody), E0401 as
 * "product not found", package dimensions of 10 cm, brand "No Brand", and
 * sending VND prices as whole-dong strings.
 *
 * Orders (ABI 3, see "Orders" and "Push"; the project's wire choices where
 * Lazada is silent):
 *   LIST_ORDERS  GET /orders/get with update_after/update_before (the
 *                window in +07:00), sort_by=updated_at, sort_direction=ASC,
 *                offset (the page token), limit=100, status=all. A full
 *                page continues at offset+100 while that is within the
 *                shop option max_offset (default 5000); past it, done_at is
 *                the last order's updated_at and the core restarts there.
 *   GET_ORDERS   GET /orders/items/get?order_ids=[id1,id2]. One item per
 *                unit: lines are counted per SKU; the order's effect comes
 *                from all its items' statuses (lz_order_effect).
 *   verify_push  Authorization = lowercase hex HMAC-SHA256(app_secret,
 *                app_key + raw body).
 *
 * Test hooks: tests/unit/test_lazada.c includes this file to reach the
 * static helpers lz_base_string(), lz_sign(), lz_decimal(), lz_iso_time()
 * and lz_parse_time(); titles, descriptions and secret scrubbing are shared
 * (ocutil.c). Nothing else is exported but ocop_connector_v1().
 */
#include "connector.h"
#include "ocutil.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <cJSON.h>

const oc_connector *ocop_connector_v1(void);

#define LZ_TITLE_MAX_CP 255 /* Attributes.name limit */
#define LZ_MAX_IMAGES 8     /* per Images.Image list ("Endpoints") */
#define LZ_ID_MAX_DIGITS 18
#define LZ_RATE_LIMIT_RETRY_MS 2000L /* ApiCallLimit: back off >= 2 s */
#define LZ_DEFAULT_AUTH_URL "https://auth.lazada.com"
#define LZ_MAX_PARAMS 12

/* What build() requires of the listing. */
#define LZ_NEED_LISTING 0x01u
#define LZ_NEED_ITEM 0x02u /* numeric item_id */
#define LZ_NEED_SKU 0x04u
#define LZ_NEED_TEXT 0x08u /* name, description, stars, certificate */
#define LZ_NEED_PRICE 0x10u
#define LZ_NEED_STOCK 0x20u

enum { LZ_SELLER = 0, LZ_TOKEN = 1 };

typedef struct lz_opdef {
  const char *method;
  const char *api; /* the signed API name: the path after "/rest" */
  int kind;        /* LZ_SELLER (access_token) or LZ_TOKEN (auth host) */
  unsigned need;
} lz_opdef;

static const lz_opdef lz_ops[OC_OP_MAX] = {
    [OC_OP_PUBLISH] = {"POST", "/product/create", LZ_SELLER,
                       LZ_NEED_LISTING | LZ_NEED_SKU | LZ_NEED_TEXT |
                           LZ_NEED_PRICE | LZ_NEED_STOCK},
    [OC_OP_UPDATE] = {"POST", "/product/update", LZ_SELLER,
                      LZ_NEED_LISTING | LZ_NEED_ITEM | LZ_NEED_SKU |
                          LZ_NEED_TEXT},
    [OC_OP_SET_STOCK] = {"POST", "/product/price_quantity/update", LZ_SELLER,
                         LZ_NEED_LISTING | LZ_NEED_ITEM | LZ_NEED_SKU |
                             LZ_NEED_STOCK},
    [OC_OP_SET_PRICE] = {"POST", "/product/price_quantity/update", LZ_SELLER,
                         LZ_NEED_LISTING | LZ_NEED_ITEM | LZ_NEED_SKU |
                             LZ_NEED_PRICE},
    /* [unverified] parameter name apiRequestBody (see "Endpoints"). */
    [OC_OP_DELIST] = {"POST", "/product/deactivate", LZ_SELLER,
                      LZ_NEED_LISTING | LZ_NEED_ITEM | LZ_NEED_SKU},
    /* [unverified] relist = UpdateProduct with SKU Status active. */
    [OC_OP_RELIST] = {"POST", "/product/update", LZ_SELLER,
                      LZ_NEED_LISTING | LZ_NEED_ITEM | LZ_NEED_SKU},
    [OC_OP_LOOKUP_SKU] = {"GET", "/products/get", LZ_SELLER,
                          LZ_NEED_LISTING | LZ_NEED_SKU},
    [OC_OP_GET_LISTING] = {"GET", "/product/item/get", LZ_SELLER,
                           LZ_NEED_LISTING | LZ_NEED_ITEM},
    /* Signed like any call, without access_token (vector L5). */
    [OC_OP_REFRESH_TOKEN] = {"POST", "/auth/token/refresh", LZ_TOKEN, 0},
    /* Not an API call: the path of the link on the auth host. */
    [OC_OP_AUTH_LINK] = {"GET", "/oauth/authorize", LZ_TOKEN, 0},
    [OC_OP_TOKEN_EXCHANGE] = {"POST", "/auth/token/create", LZ_TOKEN, 0},
    /* Orders (see "Orders"): built by build_orders(), not build(). */
    [OC_OP_LIST_ORDERS] = {"GET", "/orders/get", LZ_SELLER, 0},
    [OC_OP_GET_ORDERS] = {"GET", "/orders/items/get", LZ_SELLER, 0},
};

/* One request parameter; values are raw and URL-encoded when serialised. */
typedef struct lz_param {
  const char *key;
  const char *value;
  int in_body; /* POST business parameter: form body, not query */
} lz_param;

static void lz_err(char *err, size_t errlen, const char *fmt, ...)
    OCU_PRINTF(3, 4);

static void lz_err(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;

  if (err == NULL || errlen == 0)
    return;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* ---- validation ----------------------------------------------------------- */

/* A positive decimal id: 1..18 digits, no sign, no leading zero. */
static int lz_valid_id(const char *s) {
  size_t n;

  if (s == NULL || s[0] < '1' || s[0] > '9')
    return 0;
  for (n = 0; s[n]; n++)
    if (s[n] < '0' || s[n] > '9' || n >= LZ_ID_MAX_DIGITS)
      return 0;
  return 1;
}

/* scheme://host[:port] with no path, trailing slash, query or space. */
static int lz_valid_base_url(const char *u) {
  const char *p;

  if (u == NULL)
    return 0;
  if (strncmp(u, "https://", 8) == 0)
    p = u + 8;
  else if (strncmp(u, "http://", 7) == 0)
    p = u + 7;
  else
    return 0;
  if (*p == '\0')
    return 0;
  for (; *p; p++)
    if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '?' || *p == '#' ||
        *p == '/')
      return 0;
  return 1;
}

/* A printable token (app_key): no spaces or controls, 1..128 bytes. */
static int lz_valid_token(const char *s) {
  size_t n;

  if (s == NULL || s[0] == '\0')
    return 0;
  for (n = 0; s[n]; n++)
    if ((unsigned char)s[n] <= 0x20 || s[n] == 0x7f || n >= 128)
      return 0;
  return 1;
}

static int lz_check_text(const char *what, const char *s, char *err,
                         size_t errlen) {
  if (s == NULL || s[0] == '\0') {
    lz_err(err, errlen, "listing %s is empty", what);
    return -1;
  }
  if (!ocu_utf8_valid(s, strlen(s))) {
    lz_err(err, errlen, "listing %s is not valid UTF-8", what);
    return -1;
  }
  return 0;
}

/* An http(s) URL with a host and no space or control character. */
static int lz_valid_redirect(const char *u) {
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

static const char *lz_opt(const oc_shop *shop, const char *key) {
  const char *v = oc_shop_opt(shop, key, NULL);

  return v != NULL && v[0] != '\0' ? v : NULL;
}

/* Messages name the field, never its value: values may be secrets. */
static int lz_check_shop(oc_op op, const lz_opdef *d, const oc_shop *shop,
                         char *err, size_t errlen) {
  const char *auth;

  if (shop == NULL) {
    lz_err(err, errlen, "shop is missing");
    return -1;
  }
  if (shop->nopts > 0 && shop->opts == NULL) {
    lz_err(err, errlen, "shop options are missing");
    return -1;
  }
  if (d->kind == LZ_SELLER && !lz_valid_base_url(shop->base_url)) {
    lz_err(err, errlen,
           "shop base_url must be http(s)://host[:port] without a path or "
           "trailing slash");
    return -1;
  }
  if (d->kind == LZ_TOKEN) {
    auth = lz_opt(shop, "auth_url");
    if (auth != NULL && !lz_valid_base_url(auth)) {
      lz_err(err, errlen,
             "shop option \"auth_url\" must be http(s)://host[:port] without "
             "a path or trailing slash");
      return -1;
    }
  }
  if (!lz_valid_token(shop->app_key)) {
    lz_err(err, errlen, "shop app_key is not set or holds spaces");
    return -1;
  }
  if (shop->app_secret == NULL || shop->app_secret[0] == '\0') {
    lz_err(err, errlen, "shop app_secret is not set");
    return -1;
  }
  if (d->kind == LZ_SELLER &&
      (shop->access_token == NULL || shop->access_token[0] == '\0')) {
    lz_err(err, errlen, "shop access_token is not set");
    return -1;
  }
  if (op == OC_OP_REFRESH_TOKEN &&
      (shop->refresh_token == NULL || shop->refresh_token[0] == '\0')) {
    lz_err(err, errlen, "shop refresh_token is not set");
    return -1;
  }
  if (op == OC_OP_TOKEN_EXCHANGE &&
      (shop->auth_code == NULL || shop->auth_code[0] == '\0')) {
    lz_err(err, errlen, "shop auth_code is not set");
    return -1;
  }
  if (op == OC_OP_AUTH_LINK && !lz_valid_redirect(shop->redirect_url)) {
    lz_err(err, errlen, "redirect URL must be an http(s) URL without spaces");
    return -1;
  }
  return 0;
}

static int lz_check_listing(const lz_opdef *d, const oc_listing *l, char *err,
                            size_t errlen) {
  if (!(d->need & LZ_NEED_LISTING))
    return 0;
  if (l == NULL) {
    lz_err(err, errlen, "listing is missing");
    return -1;
  }
  if ((d->need & LZ_NEED_SKU) && lz_check_text("sku", l->sku, err, errlen))
    return -1;
  if (d->need & LZ_NEED_ITEM) {
    if (l->item_id == NULL || l->item_id[0] == '\0') {
      lz_err(err, errlen, "listing item_id is missing (not published yet)");
      return -1;
    }
    if (!lz_valid_id(l->item_id)) {
      lz_err(err, errlen, "listing item_id is not a numeric Lazada item id");
      return -1;
    }
  }
  if ((d->need & LZ_NEED_PRICE) && l->price_vnd < 0) {
    lz_err(err, errlen, "listing price must be >= 0 dong");
    return -1;
  }
  if ((d->need & LZ_NEED_STOCK) && l->stock < 0) {
    lz_err(err, errlen, "listing stock must be >= 0");
    return -1;
  }
  if (d->need & LZ_NEED_TEXT) {
    if (lz_check_text("name", l->name, err, errlen) ||
        lz_check_text("description", l->description, err, errlen))
      return -1;
    if (l->stars != 0 && (l->stars < 3 || l->stars > 5)) {
      lz_err(err, errlen, "listing stars must be 0 (no claim) or 3..5");
      return -1;
    }
    if (l->stars != 0 &&
        lz_check_text("certificate_no", l->certificate_no, err, errlen))
      return -1;
    /* The connector alone writes OCOP claims: a claim already in the text
     * would survive a strip or show the wrong star count. */
    if (ocu_has_ocop(l->name) || ocu_has_ocop(l->description)) {
      lz_err(err, errlen,
             "listing name or description already mentions OCOP; the "
             "connector adds the claim itself");
      return -1;
    }
  }
  return 0;
}

/* ---- signing (see "Signing") --------------------------------------------- */

/*
 * api_name + k1 v1 k2 v2 ... over the parameters with a non-empty value,
 * except "sign", sorted byte-wise by name (strcmp compares as unsigned
 * char: "foo" < "foo_bar" < "foobar"). Values raw. NULL on OOM.
 */
static char *lz_base_string(const char *api, const lz_param *p, size_t n) {
  const lz_param *sorted[LZ_MAX_PARAMS * 2];
  ocu_buf b = OCU_BUF_INIT;
  size_t i, j, m = 0;

  if (n > sizeof sorted / sizeof sorted[0])
    return NULL;
  for (i = 0; i < n; i++) {
    if (p[i].value == NULL || p[i].value[0] == '\0' ||
        strcmp(p[i].key, "sign") == 0)
      continue;
    /* insertion sort: a dozen parameters at most */
    for (j = m; j > 0 && strcmp(sorted[j - 1]->key, p[i].key) > 0; j--)
      sorted[j] = sorted[j - 1];
    sorted[j] = &p[i];
    m++;
  }
  ocu_buf_puts(&b, api);
  for (i = 0; i < m; i++) {
    ocu_buf_puts(&b, sorted[i]->key);
    ocu_buf_puts(&b, sorted[i]->value);
  }
  return ocu_buf_detach(&b);
}

/* Uppercase hex HMAC-SHA256 of the base string, keyed with the secret. */
static int lz_sign(const char *secret, const char *api, const lz_param *p,
                   size_t n, char out[65]) {
  char *base = lz_base_string(api, p, n);
  int r;

  out[0] = '\0';
  if (base == NULL)
    return -1;
  r = ocu_hmac_sha256_hex(secret, strlen(secret), base, strlen(base),
                          OCU_HEX_UPPER, out);
  ocu_cleanse(base, strlen(base)); /* holds the tokens */
  free(base);
  return r;
}

/* k=v&k=v over the non-empty parameters with in_body == body. */
static void lz_serialise(ocu_buf *b, const lz_param *p, size_t n, int body,
                         int first) {
  size_t i;

  for (i = 0; i < n; i++) {
    if (p[i].in_body != body || p[i].value == NULL || p[i].value[0] == '\0')
      continue;
    if (!first)
      ocu_buf_puts(b, "&");
    first = 0;
    ocu_buf_urlencode(b, p[i].key);
    ocu_buf_puts(b, "=");
    ocu_buf_urlencode(b, p[i].value);
  }
}

/* ---- OCOP claims ----------------------------------------------------------- */

/* ---- payloads --------------------------------------------------------------- */

/* Adds item to obj (or to an array when key is NULL); frees it on failure. */
static int lz_put(cJSON *obj, const char *key, cJSON *item) {
  cJSON_bool ok;

  if (obj == NULL || item == NULL) {
    cJSON_Delete(item);
    return -1;
  }
  ok = key ? cJSON_AddItemToObject(obj, key, item)
           : cJSON_AddItemToArray(obj, item);
  if (!ok) {
    cJSON_Delete(item);
    return -1;
  }
  return 0;
}

/* A new object added under key; NULL on OOM. */
static cJSON *lz_obj(cJSON *parent, const char *key) {
  cJSON *o = cJSON_CreateObject();

  return lz_put(parent, key, o) == 0 ? o : NULL;
}

static cJSON *lz_arr(cJSON *parent, const char *key) {
  cJSON *a = cJSON_CreateArray();

  return lz_put(parent, key, a) == 0 ? a : NULL;
}

/* Whole numbers as JSON strings ("150000", never 150000.0): see "Money and
 * SKUs". */
static int lz_put_int(cJSON *obj, const char *key, int64_t v) {
  char buf[24];

  snprintf(buf, sizeof buf, "%" PRId64, v);
  return lz_put(obj, key, cJSON_CreateString(buf));
}

/* Weight in kg from grams, exact: 250 -> "0.25", 1000 -> "1". */
static int lz_put_weight(cJSON *obj, int32_t grams) {
  char buf[24];
  int n = snprintf(buf, sizeof buf, "%" PRId32 ".%03" PRId32, grams / 1000,
                   grams % 1000);

  while (n > 0 && buf[n - 1] == '0')
    buf[--n] = '\0';
  if (n > 0 && buf[n - 1] == '.')
    buf[--n] = '\0';
  return lz_put(obj, "package_weight", cJSON_CreateString(buf));
}

/* An http(s) URL without spaces, quotes or controls. */
static int lz_valid_url(const char *s, size_t n) {
  size_t i, start;

  if (n > 7 && strncmp(s, "http://", 7) == 0)
    start = 7;
  else if (n > 8 && strncmp(s, "https://", 8) == 0)
    start = 8;
  else
    return 0;
  for (i = start; i < n; i++)
    if ((unsigned char)s[i] <= 0x20 || s[i] == 0x7f || s[i] == '"' ||
        s[i] == '\\' || s[i] == '<' || s[i] == '>')
      return 0;
  return 1;
}

/* Images.Image[] from the comma-separated image_url option. */
static int lz_add_images(cJSON *arr, const char *list, char *err,
                         size_t errlen) {
  const char *p = list, *q;
  size_t count = 0, n;

  while (*p) {
    cJSON *s;

    while (*p == ' ' || *p == ',')
      p++;
    if (*p == '\0')
      break;
    for (q = p; *q && *q != ','; q++)
      ;
    n = (size_t)(q - p);
    while (n > 0 && p[n - 1] == ' ')
      n--;
    if (!lz_valid_url(p, n)) {
      lz_err(err, errlen, "shop option \"image_url\" holds an invalid URL");
      return -1;
    }
    if (++count > LZ_MAX_IMAGES) {
      lz_err(err, errlen, "shop option \"image_url\" holds more than %d URLs",
             LZ_MAX_IMAGES);
      return -1;
    }
    {
      char *u = ocu_asprintf("%.*s", (int)n, p);

      s = u ? cJSON_CreateString(u) : NULL;
      free(u);
    }
    if (lz_put(arr, NULL, s)) {
      lz_err(err, errlen, "out of memory");
      return -1;
    }
    p = q;
  }
  if (count == 0) {
    lz_err(err, errlen, "shop option \"image_url\" is not set");
    return -1;
  }
  return 0;
}

static int lz_add_text(cJSON *attrs, const oc_listing *l) {
  char *title = ocu_claim_title(l, LZ_TITLE_MAX_CP), *desc = ocu_claim_description(l);
  int r = -1;

  if (title != NULL && desc != NULL &&
      lz_put(attrs, "name", cJSON_CreateString(title)) == 0 &&
      lz_put(attrs, "description", cJSON_CreateString(desc)) == 0)
    r = 0;
  free(title);
  free(desc);
  return r;
}

/* The options PUBLISH needs, checked before anything is built. */
static int lz_publish_opts(const oc_shop *shop, const oc_listing *l,
                           const char **cat, const char **images, char *err,
                           size_t errlen) {
  char catkey[96] = "";
  const char *catopt = "category_id";

  *cat = NULL;
  if (l->weight_g == 0) {
    lz_err(err, errlen,
           "listing weight unknown (Lazada requires a package weight)");
    return -1;
  }
  if (l->weight_g < 0) {
    lz_err(err, errlen, "listing weight must be positive");
    return -1;
  }
  if (l->category != NULL && l->category[0] != '\0') {
    int n = snprintf(catkey, sizeof catkey, "category.%s", l->category);

    if (n > 0 && (size_t)n < sizeof catkey && (*cat = lz_opt(shop, catkey)))
      catopt = catkey;
  }
  if (*cat == NULL)
    *cat = lz_opt(shop, "category_id");
  if (*cat == NULL) {
    if (catkey[0])
      lz_err(err, errlen,
             "shop option \"category_id\" is not set (nor \"%s\")", catkey);
    else
      lz_err(err, errlen, "shop option \"category_id\" is not set");
    return -1;
  }
  if (!lz_valid_id(*cat)) {
    lz_err(err, errlen, "shop option \"%s\" is not a numeric id", catopt);
    return -1;
  }
  if ((*images = lz_opt(shop, "image_url")) == NULL) {
    lz_err(err, errlen, "shop option \"image_url\" is not set");
    return -1;
  }
  return 0;
}

/*
 * The JSON value of the op's one business parameter (payload,
 * apiRequestBody or sku_seller_list), malloc'd, in the shape and key order
 * of lazada.md, "Endpoints". -1 with err set.
 */
static int lz_payload(oc_op op, const oc_shop *shop, const oc_listing *l,
                      char **text, char *err, size_t errlen) {
  cJSON *root = NULL, *prod, *o, *arr, *sku;
  const char *cat = NULL, *images = NULL;

  *text = NULL;
  if (op == OC_OP_PUBLISH &&
      lz_publish_opts(shop, l, &cat, &images, err, errlen))
    return -1;
  if (op == OC_OP_LOOKUP_SKU) { /* ["<sku>"], a JSON array string */
    root = cJSON_CreateArray();
    if (lz_put(root, NULL, cJSON_CreateString(l->sku)))
      goto oom;
    goto print;
  }
  root = cJSON_CreateObject();
  prod = lz_obj(lz_obj(root, "Request"), "Product");
  if (prod == NULL)
    goto oom;
  switch (op) {
  case OC_OP_PUBLISH:
    if (lz_put(prod, "PrimaryCategory", cJSON_CreateString(cat)) ||
        (arr = lz_arr(lz_obj(prod, "Images"), "Image")) == NULL)
      goto oom;
    if (lz_add_images(arr, images, err, errlen)) {
      cJSON_Delete(root);
      return -1;
    }
    if ((o = lz_obj(prod, "Attributes")) == NULL || lz_add_text(o, l) ||
        lz_put(o, "brand", cJSON_CreateString("No Brand")) ||
        (arr = lz_arr(lz_obj(prod, "Skus"), "Sku")) == NULL ||
        (sku = lz_obj(arr, NULL)) == NULL ||
        lz_put(sku, "SellerSku", cJSON_CreateString(l->sku)) ||
        lz_put_int(sku, "quantity", l->stock) ||
        lz_put_int(sku, "price", l->price_vnd) ||
        lz_put_weight(sku, l->weight_g) ||
        lz_put(sku, "package_length", cJSON_CreateString("10")) ||
        lz_put(sku, "package_width", cJSON_CreateString("10")) ||
        lz_put(sku, "package_height", cJSON_CreateString("10")))
      goto oom;
    break;
  case OC_OP_UPDATE:
    if (lz_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
        (o = lz_obj(prod, "Attributes")) == NULL || lz_add_text(o, l) ||
        (arr = lz_arr(lz_obj(prod, "Skus"), "Sku")) == NULL ||
        (sku = lz_obj(arr, NULL)) == NULL ||
        lz_put(sku, "SellerSku", cJSON_CreateString(l->sku)))
      goto oom;
    break;
  case OC_OP_SET_STOCK:
  case OC_OP_SET_PRICE:
    if ((arr = lz_arr(lz_obj(prod, "Skus"), "Sku")) == NULL ||
        (sku = lz_obj(arr, NULL)) == NULL ||
        lz_put(sku, "ItemId", cJSON_CreateString(l->item_id)) ||
        lz_put(sku, "SellerSku", cJSON_CreateString(l->sku)) ||
        (op == OC_OP_SET_STOCK ? lz_put_int(sku, "Quantity", l->stock)
                               : lz_put_int(sku, "Price", l->price_vnd)))
      goto oom;
    break;
  case OC_OP_DELIST:
    if (lz_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
        (arr = lz_arr(lz_obj(prod, "Skus"), "SellerSku")) == NULL ||
        lz_put(arr, NULL, cJSON_CreateString(l->sku)))
      goto oom;
    break;
  case OC_OP_RELIST:
    if (lz_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
        (arr = lz_arr(lz_obj(prod, "Skus"), "Sku")) == NULL ||
        (sku = lz_obj(arr, NULL)) == NULL ||
        lz_put(sku, "SellerSku", cJSON_CreateString(l->sku)) ||
        lz_put(sku, "Status", cJSON_CreateString("active")))
      goto oom;
    break;
  default:
    cJSON_Delete(root);
    lz_err(err, errlen, "operation %s has no payload", oc_op_name(op));
    return -1;
  }
print:
  *text = ocu_json_to_text(root);
  root = NULL;
  if (*text == NULL)
    goto oom;
  return 0;
oom:
  cJSON_Delete(root);
  lz_err(err, errlen, "out of memory");
  return -1;
}

/* ---- build ------------------------------------------------------------------ */

/* The system parameters every signed call starts with (see "Signing"); returns
 * the count. ts must outlive p. */
static size_t lz_sys_params(lz_param *p, const lz_opdef *d, const oc_shop *shop,
                            const char *ts) {
  size_t np = 0;

  p[np++] = (lz_param){"app_key", shop->app_key, 0};
  p[np++] = (lz_param){"timestamp", ts, 0};
  p[np++] = (lz_param){"sign_method", "sha256", 0};
  if (d->kind == LZ_SELLER)
    p[np++] = (lz_param){"access_token", shop->access_token, 0};
  return np;
}

/*
 * Signs p[0..np) and fills *req: the URL with the query parameters and sign,
 * a log_url without any parameter (they hold the token), and the form body
 * of a POST. Shared by build() and build_orders() so that every call is
 * signed the one way. -1 on OOM with *req left empty.
 */
static int lz_emit(const lz_opdef *d, const char *host, const oc_shop *shop,
                   const lz_param *p, size_t np, oc_request *req) {
  char sign[65];
  char *body = NULL, *hdr = NULL;
  int post = strcmp(d->method, "POST") == 0;
  ocu_buf b = OCU_BUF_INIT;

  if (lz_sign(shop->app_secret, d->api, p, np, sign) != 0)
    goto oom;
  /* URL: system parameters and sign, then GET business parameters. */
  ocu_buf_printf(&b, "%s/rest%s?", host, d->api);
  lz_serialise(&b, p, np, 0, 1);
  ocu_buf_puts(&b, "&sign=");
  ocu_buf_puts(&b, sign);
  req->url = ocu_buf_detach(&b);
  req->log_url = ocu_asprintf("%s/rest%s", host, d->api);
  if (req->url == NULL || req->log_url == NULL)
    goto oom;
  if (post) {
    lz_serialise(&b, p, np, 1, 1);
    body = ocu_buf_detach(&b);
    hdr = ocu_asprintf("%s",
                       "Content-Type: application/x-www-form-urlencoded");
    if (body == NULL || hdr == NULL)
      goto oom;
    req->body = body;
    req->body_len = strlen(body);
    req->headers[req->nheaders++] = hdr;
    body = hdr = NULL;
  }
  ocu_strlcpy(req->method, d->method, sizeof req->method);
  return 0;
oom:
  ocu_buf_free_secure(&b);
  if (body != NULL)
    ocu_cleanse(body, strlen(body));
  free(body);
  free(hdr);
  if (req->url != NULL)
    ocu_cleanse(req->url, strlen(req->url));
  oc_request_free(req);
  memset(req, 0, sizeof *req);
  return -1;
}

/* Clears err and *req; -1 with a message when req is missing. */
static int lz_build_start(oc_request *req, char *err, size_t errlen) {
  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    lz_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  return 0;
}

static int lz_build(oc_op op, const oc_shop *shop, const oc_listing *l,
                    int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  const lz_opdef *d;
  lz_param p[LZ_MAX_PARAMS];
  size_t np;
  char ts[24];
  char *payload = NULL;
  const char *host;
  int post;
  ocu_buf b = OCU_BUF_INIT;

  if (lz_build_start(req, err, errlen))
    return -1;
  /* Orders have their own query (build_orders). */
  if (op <= 0 || op >= OC_OP_MAX || lz_ops[op].api == NULL ||
      op == OC_OP_LIST_ORDERS || op == OC_OP_GET_ORDERS) {
    lz_err(err, errlen, "operation %s is not supported by lazada",
           oc_op_name(op));
    return -1;
  }
  d = &lz_ops[op];
  if (lz_check_shop(op, d, shop, err, errlen) ||
      lz_check_listing(d, l, err, errlen))
    return -1;
  if (now_ms < 0) {
    lz_err(err, errlen, "clock is before 1970");
    return -1;
  }
  post = strcmp(d->method, "POST") == 0;
  host = d->kind == LZ_TOKEN ? lz_opt(shop, "auth_url") : shop->base_url;
  if (host == NULL)
    host = LZ_DEFAULT_AUTH_URL;
  if (op == OC_OP_AUTH_LINK) { /* a link for the seller: nothing signed */
    ocu_buf_printf(&b, "%s%s?response_type=code&force_auth=true&redirect_uri=",
                   host, d->api);
    ocu_buf_urlencode(&b, shop->redirect_url);
    ocu_buf_puts(&b, "&client_id=");
    ocu_buf_urlencode(&b, shop->app_key);
    req->url = ocu_buf_detach(&b);
    req->log_url = ocu_asprintf("%s%s", host, d->api);
    if (req->url == NULL || req->log_url == NULL) {
      oc_request_free(req);
      memset(req, 0, sizeof *req);
      lz_err(err, errlen, "out of memory");
      return -1;
    }
    ocu_strlcpy(req->method, d->method, sizeof req->method);
    return 0;
  }
  /* One timestamp for the sign and the URL (see "Pitfalls"): unix
   * milliseconds. */
  snprintf(ts, sizeof ts, "%" PRId64, now_ms);
  np = lz_sys_params(p, d, shop, ts);
  switch (op) {
  case OC_OP_REFRESH_TOKEN:
    p[np++] = (lz_param){"refresh_token", shop->refresh_token, post};
    break;
  case OC_OP_TOKEN_EXCHANGE:
    p[np++] = (lz_param){"code", shop->auth_code, post};
    break;
  case OC_OP_GET_LISTING:
    p[np++] = (lz_param){"item_id", l->item_id, post};
    break;
  case OC_OP_LOOKUP_SKU:
    if (lz_payload(op, shop, l, &payload, err, errlen))
      return -1;
    p[np++] = (lz_param){"filter", "all", post};
    p[np++] = (lz_param){"offset", "0", post};
    p[np++] = (lz_param){"limit", "10", post};
    p[np++] = (lz_param){"sku_seller_list", payload, post};
    break;
  default:
    if (lz_payload(op, shop, l, &payload, err, errlen))
      return -1;
    p[np++] = (lz_param){op == OC_OP_DELIST ? "apiRequestBody" : "payload",
                         payload, post};
    break;
  }
  if (lz_emit(d, host, shop, p, np, req) != 0) {
    free(payload);
    lz_err(err, errlen, "out of memory");
    return -1;
  }
  free(payload);
  return 0;
}

/* ---- parse ------------------------------------------------------------------ */

/* "malformed response: ..." — not JSON, or JSON of the wrong shape. */
#define LZ_MALFORMED(res, shop, ...) \
  ocu_fail((res), (shop), OC_RETRY, 0, "malformed response: " __VA_ARGS__)

/*
 * A decimal amount as whole units, rounded half away from zero: "150000",
 * "1299.00", "1299.5" -> 1300. Digits, at most one '.', no sign, within
 * 2^53-1. 0 or -1.
 */
static int lz_decimal(const char *s, int64_t *out) {
  int64_t v = 0;
  const char *p = s;

  if (s == NULL || *p < '0' || *p > '9')
    return -1;
  for (; *p >= '0' && *p <= '9'; p++) {
    if (v > (OCU_JSON_INT_MAX - (*p - '0')) / 10)
      return -1;
    v = v * 10 + (*p - '0');
  }
  if (*p == '.') {
    p++;
    if (*p < '0' || *p > '9')
      return -1;
    if (*p >= '5') {
      if (v == OCU_JSON_INT_MAX)
        return -1;
      v++;
    }
    while (*p >= '0' && *p <= '9')
      p++;
  }
  if (*p != '\0')
    return -1;
  *out = v;
  return 0;
}

/* A number (rounded when `round`) or a decimal string; -1 with res set. */
static int lz_req_amount(oc_result *res, const oc_shop *shop, const cJSON *obj,
                         const char *key, const char *what, int round,
                         int64_t *out) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it)) {
    LZ_MALFORMED(res, shop, "field %s is missing", what);
    return -1;
  }
  if (cJSON_IsString(it)) {
    if (lz_decimal(it->valuestring, out) != 0 ||
        (!round && strchr(it->valuestring, '.') != NULL)) {
      LZ_MALFORMED(res, shop, "field %s is not a%s number", what,
                   round ? "" : "n integer");
      return -1;
    }
    return 0;
  }
  if (!cJSON_IsNumber(it)) {
    LZ_MALFORMED(res, shop, "field %s is not a number", what);
    return -1;
  }
  if ((round ? ocu_json_round(it, out) : ocu_json_int(it, out)) != 0 ||
      *out < 0) {
    LZ_MALFORMED(res, shop, "field %s is not a non-negative integer in range",
                 what);
    return -1;
  }
  return 0;
}

/* A required string member; NULL with res set. */
static const char *lz_req_str(oc_result *res, const oc_shop *shop,
                              const cJSON *obj, const char *key,
                              const char *what) {
  return ocu_req_str(res, shop, obj, key, what, "malformed response: ");
}

/* An id (JSON number, <= 2^53-1) into out; -1 with res set. */
static int lz_req_id(oc_result *res, const oc_shop *shop, const cJSON *item,
                     const char *what, char *out, size_t outlen) {
  char why[160];

  if (ocu_json_id(item, OCU_ID_NUMBER, what, out, outlen, why, sizeof why)) {
    LZ_MALFORMED(res, shop, "%s", why);
    return -1;
  }
  return 0;
}

/* data: a required object. */
static const cJSON *lz_data(oc_result *res, const oc_shop *shop,
                            const cJSON *root) {
  const cJSON *d = cJSON_GetObjectItemCaseSensitive(root, "data");

  if (d == NULL || cJSON_IsNull(d)) {
    LZ_MALFORMED(res, shop, "field data is missing");
    return NULL;
  }
  if (!cJSON_IsObject(d)) {
    LZ_MALFORMED(res, shop, "field data is not an object");
    return NULL;
  }
  return d;
}

/*
 * The first entry of obj.skus[] (an array of objects) whose SellerSku is
 * `sku` (any SellerSku when sku is NULL): an entry naming another SKU is
 * never ours. *found is NULL when there is none; -1 with res set on a wrong
 * shape.
 */
static int lz_find_sku(oc_result *res, const oc_shop *shop, const cJSON *obj,
                       const char *what, const char *sku,
                       const cJSON **found) {
  const cJSON *skus = cJSON_GetObjectItemCaseSensitive(obj, "skus"), *s;

  *found = NULL;
  if (skus == NULL || cJSON_IsNull(skus)) {
    LZ_MALFORMED(res, shop, "field %s.skus is missing", what);
    return -1;
  }
  if (!cJSON_IsArray(skus)) {
    LZ_MALFORMED(res, shop, "field %s.skus is not an array", what);
    return -1;
  }
  cJSON_ArrayForEach(s, skus) {
    const cJSON *ss;

    if (!cJSON_IsObject(s)) {
      LZ_MALFORMED(res, shop, "field %s.skus[] is not an object", what);
      return -1;
    }
    ss = cJSON_GetObjectItemCaseSensitive(s, "SellerSku");
    if (ss != NULL && !cJSON_IsNull(ss) && !cJSON_IsString(ss)) {
      LZ_MALFORMED(res, shop, "field %s.skus[].SellerSku is not a string", what);
      return -1;
    }
    if (*found == NULL && cJSON_IsString(ss) &&
        (sku == NULL || strcmp(ss->valuestring, sku) == 0))
      *found = s;
  }
  return 0;
}

/* LOOKUP_SKU: the first non-deleted product with a SKU named ours. */
static void lz_parse_lookup(oc_result *res, const oc_shop *shop,
                            const oc_listing *l, const cJSON *data) {
  const cJSON *products = cJSON_GetObjectItemCaseSensitive(data, "products");
  const cJSON *p, *sku;

  if (products == NULL || cJSON_IsNull(products) ||
      (cJSON_IsArray(products) && cJSON_GetArraySize(products) == 0)) {
    ocu_fail(res, shop, OC_NOT_FOUND, 0, "no listing with this SKU");
    return;
  }
  if (!cJSON_IsArray(products)) {
    LZ_MALFORMED(res, shop, "field data.products is not an array");
    return;
  }
  cJSON_ArrayForEach(p, products) {
    const cJSON *st;

    if (!cJSON_IsObject(p)) {
      LZ_MALFORMED(res, shop, "field data.products[] is not an object");
      return;
    }
    if (lz_find_sku(res, shop, p, "data.products[]", l ? l->sku : NULL, &sku))
      return;
    if (sku == NULL)
      continue;
    st = cJSON_GetObjectItemCaseSensitive(p, "status");
    if (cJSON_IsString(st) && strcmp(st->valuestring, "deleted") == 0)
      continue;
    lz_req_id(res, shop, cJSON_GetObjectItemCaseSensitive(p, "item_id"),
              "data.products[].item_id", res->item_id, sizeof res->item_id);
    return;
  }
  ocu_fail(res, shop, OC_NOT_FOUND, 0, "no listing with this SKU");
}

/* GET_LISTING: status, price and stock of our SKU. */
static void lz_parse_listing(oc_result *res, const oc_shop *shop,
                             const oc_listing *l, const cJSON *data) {
  const cJSON *sku, *ss;
  const char *st;
  char id[OC_ID_MAX];
  int64_t price, stock;

  if (lz_req_id(res, shop, cJSON_GetObjectItemCaseSensitive(data, "item_id"),
                "data.item_id", id, sizeof id))
    return;
  if (l != NULL && l->item_id != NULL && strcmp(id, l->item_id) != 0) {
    LZ_MALFORMED(res, shop, "data.item_id is not the item asked for");
    return;
  }
  if ((st = lz_req_str(res, shop, data, "status", "data.status")) == NULL)
    return;
  if (strcmp(st, "deleted") == 0) {
    ocu_fail(res, shop, OC_NOT_FOUND, 0, "item status deleted");
    return;
  }
  if (lz_find_sku(res, shop, data, "data", l ? l->sku : NULL, &sku))
    return;
  if (sku == NULL) {
    ocu_fail(res, shop, OC_NOT_FOUND, 0, "item has no SKU with this SellerSku");
    return;
  }
  if (lz_req_amount(res, shop, sku, "price", "data.skus[].price", 1, &price) ||
      lz_req_amount(res, shop, sku, "quantity", "data.skus[].quantity", 0,
                    &stock))
    return;
  ss = cJSON_GetObjectItemCaseSensitive(sku, "Status");
  if (ss != NULL && !cJSON_IsNull(ss) && !cJSON_IsString(ss)) {
    LZ_MALFORMED(res, shop, "field data.skus[].Status is not a string");
    return;
  }
  if (cJSON_IsString(ss) && strcmp(ss->valuestring, "deleted") == 0) {
    ocu_fail(res, shop, OC_NOT_FOUND, 0, "SKU status deleted");
    return;
  }
  ocu_strlcpy(res->item_id, id, sizeof res->item_id);
  res->price_vnd = price;
  res->stock = stock;
  res->active = strcmp(st, "active") == 0 &&
                (!cJSON_IsString(ss) || strcmp(ss->valuestring, "active") == 0);
  /* pending, rejected and unknown states read as not active; say which. */
  if (strcmp(st, "active") != 0 && strcmp(st, "inactive") != 0)
    ocu_fail(res, shop, OC_OK, 0, "item status %s", st);
}

/* Token replies are top-level (no data). */
static void lz_parse_token(oc_result *res, const oc_shop *shop,
                           const cJSON *root) {
  const cJSON *rx;
  const char *at, *rt;
  int64_t exp, rexp = 0;

  if ((at = lz_req_str(res, shop, root, "access_token", "access_token")) ==
          NULL ||
      (rt = lz_req_str(res, shop, root, "refresh_token", "refresh_token")) ==
          NULL ||
      lz_req_amount(res, shop, root, "expires_in", "expires_in", 0, &exp))
    return;
  rx = cJSON_GetObjectItemCaseSensitive(root, "refresh_expires_in");
  if (rx != NULL && !cJSON_IsNull(rx) &&
      lz_req_amount(res, shop, root, "refresh_expires_in",
                    "refresh_expires_in", 0, &rexp))
    return;
  if (at[0] == '\0' || rt[0] == '\0' || exp <= 0) {
    LZ_MALFORMED(res, shop, "empty access_token, refresh_token or expires_in");
    return;
  }
  if (strlen(at) >= sizeof res->access_token ||
      strlen(rt) >= sizeof res->refresh_token) {
    LZ_MALFORMED(res, shop, "token longer than %zu bytes",
                 sizeof res->access_token - 1);
    return;
  }
  ocu_strlcpy(res->access_token, at, sizeof res->access_token);
  ocu_strlcpy(res->refresh_token, rt, sizeof res->refresh_token);
  /*
   * parse() does not know the time: these are LIFETIMES in seconds
   * (expires_in, refresh_expires_in), not unix times; the core adds
   * the time it sent the request. refresh_expires_at is 0 when not given.
   */
  res->access_expires_at = exp;
  res->refresh_expires_at = rexp;
}

/* Case-insensitive "notfound" / "not_found" / "not found" in s. */
static int lz_says_not_found(const char *s) {
  for (; *s; s++) {
    const char *q = s;

    if ((q[0] | 0x20) != 'n' || (q[1] | 0x20) != 'o' || (q[2] | 0x20) != 't')
      continue;
    q += 3;
    if (*q == '_' || *q == ' ')
      q++;
    if ((q[0] | 0x20) == 'f' && (q[1] | 0x20) == 'o' && (q[2] | 0x20) == 'u' &&
        (q[3] | 0x20) == 'n' && (q[4] | 0x20) == 'd')
      return 1;
  }
  return 0;
}

/*
 * Error classes (see "Envelope and errors"). Anything not listed is
 * OC_REJECTED: IncompleteSignature, MissingParameter, InvalidParameter,
 * InvalidTimestamp (fix the clock, then requeue), business codes...
 */
static void lz_classify(const char *type, const char *code, oc_status *st,
                        long *retry_ms) {
  *retry_ms = 0;
  if (strcmp(code, "IllegalAccessToken") == 0 ||
      strcmp(code, "IllegalRefreshToken") == 0)
    *st = OC_AUTH; /* the core refreshes, or asks to re-authorise */
  else if (strcmp(code, "ApiCallLimit") == 0) {
    *st = OC_RETRY;
    *retry_ms = LZ_RATE_LIMIT_RETRY_MS;
  } else if (strcmp(type, "ISP") == 0 || strcmp(code, "500") == 0 ||
             strcmp(code, "501") == 0)
    *st = OC_RETRY;
  /* [unverified] E0401 as "product not found" is our choice, shared with
   * the simulator. */
  else if (strcmp(code, "E0401") == 0 || lz_says_not_found(code))
    *st = OC_NOT_FOUND;
  else
    *st = OC_REJECTED;
}

/*
 * The envelope every answer shares (see "Envelope and errors"): fills res
 * (reset first) and returns NULL for no answer, an error code, a non-2xx status
 * or a body that is not a JSON object; returns the root of a successful answer
 * (code "0", HTTP 2xx) for the caller to read and cJSON_Delete().
 */
static cJSON *lz_envelope(const oc_shop *shop, long http_status,
                          const char *body, size_t len, oc_result *res) {
  cJSON *root = NULL;
  const cJSON *cj, *rid;
  const char *code, *msg, *type;
  char why[160];
  int http_ok = http_status >= 200 && http_status <= 299;
  int busy = http_status == 429 || http_status >= 500;
  long wait = http_status == 429 ? LZ_RATE_LIMIT_RETRY_MS : 0;
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
      ocu_fail(res, shop, OC_RETRY, wait, "HTTP %ld", http_status);
    else if (!http_ok)
      ocu_fail(res, shop, OC_REJECTED, 0, "HTTP %ld", http_status);
    else
      LZ_MALFORMED(res, shop, "%s", why);
    return NULL;
  }

  rid = cJSON_GetObjectItemCaseSensitive(root, "request_id");
  if (cJSON_IsString(rid))
    ocu_utf8_copy(res->request_id, sizeof res->request_id, rid->valuestring);
  cj = cJSON_GetObjectItemCaseSensitive(root, "code");
  if (!cJSON_IsString(cj) || cj->valuestring[0] == '\0') {
    if (busy)
      ocu_fail(res, shop, OC_RETRY, wait, "HTTP %ld", http_status);
    else if (!http_ok)
      ocu_fail(res, shop, OC_REJECTED, 0, "HTTP %ld", http_status);
    else if (cj == NULL || cJSON_IsNull(cj))
      LZ_MALFORMED(res, shop, "field code is missing");
    else
      LZ_MALFORMED(res, shop, "field code is not a string");
    goto fail;
  }
  code = cj->valuestring;
  msg = ocu_json_str(root, "message");
  type = ocu_json_str(root, "type");
  if (msg == NULL)
    msg = "";
  if (type == NULL)
    type = "";

  if (strcmp(code, "0") != 0) {
    char detail[160] = "";
    const cJSON *dl = cJSON_GetObjectItemCaseSensitive(root, "detail");
    const cJSON *d0 = cJSON_IsArray(dl) ? cJSON_GetArrayItem(dl, 0) : NULL;
    const char *dm = ocu_json_str(d0, "message"), *df = ocu_json_str(d0, "field");

    /* Product APIs explain 500/501 and validation codes in detail[]:
     * the first entry is kept. */
    if (dm != NULL && dm[0] != '\0')
      snprintf(detail, sizeof detail, " (detail: %s%s%s)",
               df != NULL && df[0] ? df : "", df != NULL && df[0] ? ": " : "",
               dm);
    lz_classify(type, code, &st, &wait);
    if (busy) { /* 429 and 5xx are transient whatever the body says */
      if (st != OC_RETRY)
        wait = 0;
      if (http_status == 429 && wait < LZ_RATE_LIMIT_RETRY_MS)
        wait = LZ_RATE_LIMIT_RETRY_MS;
      ocu_fail(res, shop, OC_RETRY, wait, "HTTP %ld: %s%s%s%s", http_status,
              code, msg[0] ? ": " : "", msg, detail);
    } else {
      ocu_fail(res, shop, st, wait, "%s%s%s%s", code, msg[0] ? ": " : "", msg,
              detail);
    }
    goto fail;
  }
  if (busy) {
    ocu_fail(res, shop, OC_RETRY, wait, "HTTP %ld", http_status);
    goto fail;
  }
  if (!http_ok) {
    ocu_fail(res, shop, OC_REJECTED, 0, "HTTP %ld", http_status);
    goto fail;
  }
  return root;
fail:
  cJSON_Delete(root);
  return NULL;
}

static void lz_parse(oc_op op, const oc_shop *shop, const oc_listing *l,
                     long http_status, const char *body, size_t len,
                     oc_result *res) {
  cJSON *root;
  const cJSON *data;

  if (res == NULL ||
      (root = lz_envelope(shop, http_status, body, len, res)) == NULL)
    return;
  switch (op) {
  case OC_OP_REFRESH_TOKEN:
  case OC_OP_TOKEN_EXCHANGE:
    lz_parse_token(res, shop, root);
    break;
  case OC_OP_PUBLISH:
    if ((data = lz_data(res, shop, root)) != NULL)
      lz_req_id(res, shop, cJSON_GetObjectItemCaseSensitive(data, "item_id"),
                "data.item_id", res->item_id, sizeof res->item_id);
    break;
  case OC_OP_LOOKUP_SKU:
    if ((data = lz_data(res, shop, root)) != NULL)
      lz_parse_lookup(res, shop, l, data);
    break;
  case OC_OP_GET_LISTING:
    if ((data = lz_data(res, shop, root)) != NULL)
      lz_parse_listing(res, shop, l, data);
    break;
  default: /* code "0" is the whole answer for writes */
    break;
  }
  cJSON_Delete(root);
}

/* ---- orders (ABI 3) ------------------------------------------------------------ */

#define LZ_ORDER_LIMIT 100      /* /orders/get limit maximum */
#define LZ_MAX_OFFSET 5000      /* /orders/get offset maximum */
#define LZ_ORDER_ID_MAX 64      /* bytes of an order id we ask for */
#define LZ_STATUS_MAX 32        /* bytes of an order's reported status */
#define LZ_ISO_MAX 72           /* an ISO time, with room for any int */
#define LZ_TZ_OFFSET_S 25200    /* Lazada Vietnam writes times in +07:00 */
#define LZ_MAX_TIME 253402275599LL /* 9999-12-31T23:59:59+07:00 */
#define LZ_PUSH_MS_FROM 100000000000LL /* 10^11: larger stamps are ms */

/*
 * What an order or item status means for stock (see "Orders"). Failed
 * deliveries and parcels the carrier lost or damaged free the stock like a
 * cancel: the goods come back, if at all, outside the order.
 */
static const ocu_status_map lz_status_map[] = {
    {"unpaid", "reserved"},
    {"pending", "sold"},
    {"packed", "sold"},
    {"ready_to_ship", "sold"},
    {"shipped", "sold"},
    {"delivered", "sold"},
    {"topack", "sold"},
    {"toship", "sold"},
    {"shipping", "sold"},
    {"confirmed", "sold"},
    {"canceled", "cancelled"},
    {"failed", "cancelled"},
    {"lost_by_3pl", "cancelled"},
    {"damaged_by_3pl", "cancelled"},
    {"returned", "returned"},
    {NULL, NULL},
};

/* ---- time: ISO-8601 with offsets, no tz database ---- */

static int lz_leap(int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Days from 1970-01-01 to January 1st of year y (y >= 1). */
static int64_t lz_days_before_year(int64_t y) {
  int64_t n = y - 1, leaps = n / 4 - n / 100 + n / 400;

  return 365 * (y - 1970) + leaps - 477; /* 477 leap days before 1970 */
}

static int lz_month_days(int64_t y, int m) {
  static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  return m == 2 && lz_leap(y) ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d (a valid date). */
static int64_t lz_days(int64_t y, int m, int d) {
  int64_t n = lz_days_before_year(y);
  int i;

  for (i = 1; i < m; i++)
    n += lz_month_days(y, i);
  return n + d - 1;
}

/* "YYYY-MM-DDTHH:MM:SS+07:00" for unix time t (0..LZ_MAX_TIME). */
static void lz_iso_time(int64_t t, char out[LZ_ISO_MAX]) {
  int64_t local = t + LZ_TZ_OFFSET_S, days = local / 86400, y;
  int m = 1, secs = (int)(local % 86400);

  y = 1970 + days / 366; /* never past the year; step forward */
  while (lz_days_before_year(y + 1) <= days)
    y++;
  days -= lz_days_before_year(y);
  while (days >= lz_month_days(y, m))
    days -= lz_month_days(y, m++);
  snprintf(out, LZ_ISO_MAX, "%04d-%02d-%02dT%02d:%02d:%02d+07:00", (int)y, m,
           (int)days + 1, secs / 3600, secs / 60 % 60, secs % 60);
}

/* Exactly n digits at *p into *v; advances *p. 0 or -1. */
static int lz_digits(const char **p, int n, int *v) {
  int i;

  *v = 0;
  for (i = 0; i < n; i++, (*p)++) {
    if (**p < '0' || **p > '9')
      return -1;
    *v = *v * 10 + (**p - '0');
  }
  return 0;
}

/* Skips the expected character c at *p. 0 or -1. */
static int lz_expect(const char **p, char c) {
  if (**p != c)
    return -1;
  (*p)++;
  return 0;
}

/* The UTC offset "+0700", "-03:30" or "Z" at p, in seconds. 0 or -1. */
static int lz_parse_offset(const char *p, int64_t *off) {
  int sign, hh, mm;

  if (p[0] == 'Z' && p[1] == '\0') {
    *off = 0;
    return 0;
  }
  if (*p != '+' && *p != '-')
    return -1;
  sign = *p++ == '-' ? -1 : 1;
  if (lz_digits(&p, 2, &hh))
    return -1;
  if (*p == ':')
    p++;
  if (lz_digits(&p, 2, &mm) || *p != '\0' || hh > 14 || mm > 59)
    return -1;
  *off = sign * (hh * 3600 + mm * 60);
  return 0;
}

/*
 * Lazada's order times, "2026-11-25 10:00:00 +0700", to unix seconds; also
 * takes "T" for the first space, no second space, "+07:00" and "Z". Years
 * 1970..9999, results from 1970 on. 0 or -1.
 */
static int lz_parse_time(const char *s, int64_t *out) {
  const char *p = s;
  int y, mo, d, h, mi, sec;
  int64_t off, t;

  if (s == NULL || lz_digits(&p, 4, &y) || lz_expect(&p, '-') ||
      lz_digits(&p, 2, &mo) || lz_expect(&p, '-') || lz_digits(&p, 2, &d) ||
      (lz_expect(&p, ' ') && lz_expect(&p, 'T')) || lz_digits(&p, 2, &h) ||
      lz_expect(&p, ':') || lz_digits(&p, 2, &mi) || lz_expect(&p, ':') ||
      lz_digits(&p, 2, &sec))
    return -1;
  if (*p == ' ')
    p++;
  if (lz_parse_offset(p, &off) || y < 1970 || mo < 1 || mo > 12 || d < 1 ||
      d > lz_month_days(y, mo) || h > 23 || mi > 59 || sec > 59)
    return -1;
  t = lz_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
  if (t < 0)
    return -1;
  *out = t;
  return 0;
}

/* ---- build_orders ---- */

/* An order id we may put in a query: 1..64 bytes of [A-Za-z0-9_-]. */
static int lz_valid_order_id(const char *s) {
  size_t n;

  if (s == NULL || s[0] == '\0')
    return 0;
  for (n = 0; s[n]; n++)
    if (n >= LZ_ORDER_ID_MAX ||
        !((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
          (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-'))
      return 0;
  return 1;
}

/* A decimal count "0".."999999999" without a leading zero. 0 or -1. */
static int lz_count(const char *s, int64_t *out) {
  int64_t v = 0;
  size_t n;

  if (s == NULL || s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
    return -1;
  for (n = 0; s[n]; n++) {
    if (s[n] < '0' || s[n] > '9' || n >= 9)
      return -1;
    v = v * 10 + (s[n] - '0');
  }
  *out = v;
  return 0;
}

/* The marketplace's offset cap: shop option max_offset, default 5000. */
static int lz_max_offset(const oc_shop *shop, int64_t *out) {
  const char *v = shop != NULL ? lz_opt(shop, "max_offset") : NULL;

  *out = LZ_MAX_OFFSET;
  return v == NULL ? 0 : lz_count(v, out);
}

/* The page token is the decimal offset; "" (or NULL) is the first page. */
static int lz_page_offset(const char *page, int64_t *out) {
  if (page == NULL || page[0] == '\0') {
    *out = 0;
    return 0;
  }
  return lz_count(page, out);
}

/*
 * order_ids as a JSON array without spaces, "[1,2]" (see "Orders"). Lazada's
 * ids are numbers; any other id (letters, a leading zero) is written as a JSON
 * string so that the text stays JSON. NULL on OOM.
 */
static char *lz_order_ids(const char *const *ids, size_t n) {
  ocu_buf b = OCU_BUF_INIT;
  size_t i;

  ocu_buf_puts(&b, "[");
  for (i = 0; i < n; i++) {
    int num = strspn(ids[i], "0123456789") == strlen(ids[i]) &&
              (ids[i][0] != '0' || ids[i][1] == '\0');

    ocu_buf_printf(&b, i ? (num ? ",%s" : ",\"%s\"") : (num ? "%s" : "\"%s\""),
                   ids[i]);
  }
  ocu_buf_puts(&b, "]");
  return ocu_buf_detach(&b);
}

/* The checks of an order query; -1 with err set. */
static int lz_check_query(oc_op op, const oc_shop *shop,
                          const oc_order_query *q, char *err, size_t errlen) {
  int64_t off, max;
  size_t i;

  if (q == NULL) {
    lz_err(err, errlen, "order query is missing");
    return -1;
  }
  if (op == OC_OP_GET_ORDERS) {
    if (q->nids < 1 || q->nids > OC_MAX_ORDER_IDS || q->ids == NULL) {
      lz_err(err, errlen, "GET_ORDERS takes 1..%d order ids, not %zu",
             OC_MAX_ORDER_IDS, q->ids == NULL ? (size_t)0 : q->nids);
      return -1;
    }
    for (i = 0; i < q->nids; i++)
      if (!lz_valid_order_id(q->ids[i])) {
        lz_err(err, errlen,
               "order id %zu is empty, longer than %d bytes or not "
               "[A-Za-z0-9_-]",
               i + 1, LZ_ORDER_ID_MAX);
        return -1;
      }
    return 0;
  }
  if (q->from_s < 0 || q->to_s <= q->from_s || q->to_s > LZ_MAX_TIME) {
    lz_err(err, errlen, "order window must be 0 <= from < to <= year 9999");
    return -1;
  }
  if (lz_max_offset(shop, &max)) {
    lz_err(err, errlen, "shop option \"max_offset\" is not a decimal count");
    return -1;
  }
  if (lz_page_offset(q->page, &off) || off > max) {
    lz_err(err, errlen, "order page is not an offset within 0..%" PRId64, max);
    return -1;
  }
  return 0;
}

static int lz_build_orders(oc_op op, const oc_shop *shop,
                           const oc_order_query *q, int64_t now_ms,
                           oc_request *req, char *err, size_t errlen) {
  const lz_opdef *d;
  lz_param p[LZ_MAX_PARAMS];
  size_t np;
  char ts[24], after[LZ_ISO_MAX], before[LZ_ISO_MAX], offset[24], limit[8];
  char *ids = NULL;
  int64_t off = 0;
  int r;

  if (lz_build_start(req, err, errlen))
    return -1;
  if (op != OC_OP_LIST_ORDERS && op != OC_OP_GET_ORDERS) {
    lz_err(err, errlen, "operation %s is not an order operation",
           oc_op_name(op));
    return -1;
  }
  d = &lz_ops[op];
  if (lz_check_shop(op, d, shop, err, errlen) ||
      lz_check_query(op, shop, q, err, errlen))
    return -1;
  if (now_ms < 0) {
    lz_err(err, errlen, "clock is before 1970");
    return -1;
  }
  snprintf(ts, sizeof ts, "%" PRId64, now_ms);
  np = lz_sys_params(p, d, shop, ts);
  if (op == OC_OP_LIST_ORDERS) {
    lz_iso_time(q->from_s, after);
    lz_iso_time(q->to_s, before);
    lz_page_offset(q->page, &off);
    snprintf(offset, sizeof offset, "%" PRId64, off);
    snprintf(limit, sizeof limit, "%d", LZ_ORDER_LIMIT);
    p[np++] = (lz_param){"update_after", after, 0};
    p[np++] = (lz_param){"update_before", before, 0};
    p[np++] = (lz_param){"sort_by", "updated_at", 0};
    p[np++] = (lz_param){"sort_direction", "ASC", 0};
    p[np++] = (lz_param){"offset", offset, 0};
    p[np++] = (lz_param){"limit", limit, 0};
    p[np++] = (lz_param){"status", "all", 0};
  } else {
    if ((ids = lz_order_ids(q->ids, q->nids)) == NULL) {
      lz_err(err, errlen, "out of memory");
      return -1;
    }
    p[np++] = (lz_param){"order_ids", ids, 0};
  }
  r = lz_emit(d, shop->base_url, shop, p, np, req);
  free(ids);
  if (r != 0)
    lz_err(err, errlen, "out of memory");
  return r;
}

/* ---- parse_orders ---- */

/* An order id of an answer (number or string) that we could ask for; -1
 * with res set: an id we cannot read spoils the page as a whole. */
static int lz_answer_id(oc_result *res, const oc_shop *shop, const cJSON *it,
                        const char *what, char out[LZ_ORDER_ID_MAX + 1]) {
  char why[160];

  if (ocu_json_id(it, OCU_ID_NUMBER | OCU_ID_STRING, what, out,
                  LZ_ORDER_ID_MAX + 1, why, sizeof why)) {
    LZ_MALFORMED(res, shop, "%s", why);
    return -1;
  }
  if (!lz_valid_order_id(out)) {
    LZ_MALFORMED(res, shop, "field %s is not [A-Za-z0-9_-]", what);
    return -1;
  }
  return 0;
}

/*
 * LIST_ORDERS: the ids of data.orders[], sorted by updated_at ascending. A
 * full page continues at offset + limit while that stays within the offset
 * cap; past it the window is complete up to the last order's update time
 * (done_at), where the core restarts it (see "Orders").
 */
static void lz_parse_list(oc_result *res, const oc_shop *shop,
                          const oc_order_query *q, const cJSON *data) {
  const cJSON *orders = cJSON_GetObjectItemCaseSensitive(data, "orders"), *o;
  const cJSON *last = NULL;
  char id[LZ_ORDER_ID_MAX + 1], next[24] = "";
  int64_t off = 0, max = LZ_MAX_OFFSET, done_at = 0;
  int n = 0;
  cJSON *doc;

  if (!cJSON_IsArray(orders)) {
    LZ_MALFORMED(res, shop, "field data.orders is %s",
                 orders == NULL ? "missing" : "not an array");
    return;
  }
  if (lz_page_offset(q != NULL ? q->page : NULL, &off) ||
      lz_max_offset(shop, &max)) { /* build_orders() refused these already */
    off = 0;
    max = LZ_MAX_OFFSET;
  }
  if ((doc = ocu_order_list_new()) == NULL)
    goto oom;
  cJSON_ArrayForEach(o, orders) {
    if (!cJSON_IsObject(o)) {
      LZ_MALFORMED(res, shop, "field data.orders[] is not an object");
      goto fail;
    }
    if (lz_answer_id(res, shop, cJSON_GetObjectItemCaseSensitive(o, "order_id"),
                     "data.orders[].order_id", id))
      goto fail;
    if (ocu_order_list_add(doc, id))
      goto oom;
    last = o;
    n++;
  }
  if (n >= LZ_ORDER_LIMIT && off + LZ_ORDER_LIMIT <= max) {
    snprintf(next, sizeof next, "%" PRId64, off + LZ_ORDER_LIMIT);
  } else if (n >= LZ_ORDER_LIMIT &&
             lz_parse_time(ocu_json_str(last, "updated_at"), &done_at)) {
    LZ_MALFORMED(res, shop,
                 "field data.orders[].updated_at of the last order is not a "
                 "time");
    goto fail;
  }
  if (ocu_order_list_end(doc, next, done_at))
    goto oom;
  ocu_orders_finish(res, doc);
  return;
oom:
  ocu_fail(res, shop, OC_RETRY, 0, "out of memory reading the orders");
fail:
  cJSON_Delete(doc);
}

/* One order item, read and checked. */
typedef struct lz_item {
  const char *sku;
  const char *status;
  const char *effect;
  int64_t updated;
  int64_t price; /* whole dong; -1 when the answer has none */
} lz_item;

/* The unit price: paid_price when given, else item_price; -1 unknown. */
static int lz_item_price(const cJSON *it, int64_t *out, char *why, size_t n,
                         int idx) {
  const char *key = "paid_price";
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, key);

  if (p == NULL || cJSON_IsNull(p))
    p = cJSON_GetObjectItemCaseSensitive(it, key = "item_price");
  *out = -1;
  if (p == NULL || cJSON_IsNull(p))
    return 0;
  if ((cJSON_IsString(p) && ocu_money_text(p->valuestring, out) == 0) ||
      (cJSON_IsNumber(p) && ocu_json_round(p, out) == 0 && *out >= 0))
    return 0;
  snprintf(why, n, "order_items[%d].%s is not a decimal amount", idx, key);
  return -1;
}

/* Reads order_items[idx]; -1 with why naming the field. */
static int lz_read_item(const cJSON *it, int idx, lz_item *out, char *why,
                        size_t n) {
  const char *upd;

  memset(out, 0, sizeof *out);
  if (!cJSON_IsObject(it)) {
    snprintf(why, n, "order_items[%d] is not an object", idx);
    return -1;
  }
  out->sku = ocu_json_str(it, "sku");
  if (out->sku == NULL || out->sku[0] == '\0' ||
      !ocu_utf8_valid(out->sku, strlen(out->sku))) {
    snprintf(why, n, "order_items[%d].sku is missing or not a text", idx);
    return -1;
  }
  out->status = ocu_json_str(it, "status");
  if (out->status == NULL) {
    snprintf(why, n, "order_items[%d].status is missing", idx);
    return -1;
  }
  if ((out->effect = ocu_order_effect(lz_status_map, out->status)) == NULL) {
    char shown[41] = "(not UTF-8)"; /* the answer's text, kept short */

    if (ocu_utf8_valid(out->status, strlen(out->status)))
      ocu_utf8_copy(shown, sizeof shown, out->status);
    snprintf(why, n, "order_items[%d].status \"%s\" is unknown", idx, shown);
    return -1;
  }
  upd = ocu_json_str(it, "updated_at");
  if (lz_parse_time(upd, &out->updated)) {
    snprintf(why, n, "order_items[%d].updated_at is missing or not a time",
             idx);
    return -1;
  }
  return lz_item_price(it, &out->price, why, n, idx);
}

/* 1 when the comma-separated list holds s as a whole entry. */
static int lz_has_entry(const char *list, const char *s) {
  size_t n = strlen(s);

  while (*list) {
    size_t m = strcspn(list, ",");

    if (m == n && strncmp(list, s, n) == 0)
      return 1;
    list += m + (list[m] == ',');
  }
  return 0;
}

/* What the items of one order add up to. */
typedef struct lz_sum {
  int items, cancelled, returned, reserved;
  int64_t updated;
  int64_t total; /* -1 when a price is unknown */
  char status[LZ_STATUS_MAX + 1];
} lz_sum;

/*
 * Every unit is an item with its own status (see "Orders"). The order is
 * cancelled when every unit is; returned when every unit is back or
 * cancelled; reserved when every unit is unpaid; else sold (some unit is
 * paid and not undone).
 */
static const char *lz_order_effect(const lz_sum *s) {
  if (s->cancelled == s->items)
    return "cancelled";
  if (s->cancelled + s->returned == s->items)
    return "returned";
  if (s->reserved == s->items)
    return "reserved";
  return "sold";
}

static void lz_sum_item(lz_sum *s, const lz_item *it, char *seen,
                        size_t seenlen) {
  size_t used = strlen(seen);

  s->items++;
  s->cancelled += strcmp(it->effect, "cancelled") == 0;
  s->returned += strcmp(it->effect, "returned") == 0;
  s->reserved += strcmp(it->effect, "reserved") == 0;
  if (it->updated > s->updated)
    s->updated = it->updated;
  if (it->price < 0 || s->total < 0 || s->total > OCU_JSON_INT_MAX - it->price)
    s->total = -1;
  else
    s->total += it->price;
  /* Distinct statuses in order of first sight; the list stops growing once
   * it is past what the reported status keeps. */
  if (used <= LZ_STATUS_MAX && !lz_has_entry(seen, it->status))
    snprintf(seen + used, seenlen - used, "%s%s", used ? "," : "", it->status);
}

/* Sums the items of one order; -1 with why naming the broken field. */
static int lz_sum_items(const cJSON *items, lz_sum *s, char *why, size_t n) {
  char seen[2 * LZ_STATUS_MAX + 16] = "";
  const cJSON *it;
  lz_item item;
  int idx = 0;

  memset(s, 0, sizeof *s);
  if (!cJSON_IsArray(items)) {
    snprintf(why, n, "order_items is %s",
             items == NULL || cJSON_IsNull(items) ? "missing" : "not an array");
    return -1;
  }
  cJSON_ArrayForEach(it, items) {
    if (lz_read_item(it, idx++, &item, why, n))
      return -1;
    lz_sum_item(s, &item, seen, sizeof seen);
  }
  if (s->items == 0) {
    snprintf(why, n, "order_items is empty");
    return -1;
  }
  ocu_strlcpy(s->status, seen, sizeof s->status);
  return 0;
}

/* Adds one order of the answer, or its reason to "bad"; -1 on OOM only. */
static int lz_add_order(cJSON *doc, const char *id, const cJSON *o) {
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(o, "order_items"), *it;
  char why[160];
  cJSON *order;
  lz_item item;
  lz_sum s;
  int idx = 0;

  if (lz_sum_items(items, &s, why, sizeof why))
    return ocu_orders_bad(doc, id, "order %s: %s", id, why);
  order = ocu_orders_add(doc, id, s.status, lz_order_effect(&s), s.updated,
                         s.total);
  if (order == NULL)
    return -1;
  /* One item per unit: qty 1 each, merged per SKU and price. */
  cJSON_ArrayForEach(it, items) {
    if (lz_read_item(it, idx++, &item, why, sizeof why) ||
        ocu_order_add_line(order, item.sku, 1, item.price)) {
      ocu_orders_drop_last(doc);
      return -1;
    }
  }
  return 0;
}

/* The index of id among the ids asked for, or -1 (all count without q). */
static int lz_asked(const oc_order_query *q, const char *id) {
  size_t i;

  if (q == NULL || q->ids == NULL)
    return 0;
  for (i = 0; i < q->nids && i < OC_MAX_ORDER_IDS; i++)
    if (q->ids[i] != NULL && strcmp(q->ids[i], id) == 0)
      return (int)i;
  return -1;
}

/*
 * GET_ORDERS: data[] of {order_id, order_items[]}. Only orders asked for
 * are reported, each once; an id asked for but absent is left out (the
 * core notices). A broken order goes to "bad", never failing the page.
 */
static void lz_parse_items(oc_result *res, const oc_shop *shop,
                           const oc_order_query *q, const cJSON *root) {
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data"), *o;
  char id[LZ_ORDER_ID_MAX + 1], done[OC_MAX_ORDER_IDS + 1] = {0};
  cJSON *doc;
  int at;

  if (!cJSON_IsArray(data)) {
    LZ_MALFORMED(res, shop, "field data is %s",
                 data == NULL || cJSON_IsNull(data) ? "missing" : "not an array");
    return;
  }
  if ((doc = ocu_orders_new()) == NULL)
    goto oom;
  cJSON_ArrayForEach(o, data) {
    if (!cJSON_IsObject(o)) {
      LZ_MALFORMED(res, shop, "field data[] is not an object");
      goto fail;
    }
    if (lz_answer_id(res, shop, cJSON_GetObjectItemCaseSensitive(o, "order_id"),
                     "data[].order_id", id))
      goto fail;
    if ((at = lz_asked(q, id)) < 0 || (q != NULL && q->ids != NULL && done[at]))
      continue;
    done[at] = 1;
    if (lz_add_order(doc, id, o))
      goto oom;
  }
  ocu_orders_finish(res, doc);
  return;
oom:
  ocu_fail(res, shop, OC_RETRY, 0, "out of memory reading the orders");
fail:
  cJSON_Delete(doc);
}

static void lz_parse_orders(oc_op op, const oc_shop *shop,
                            const oc_order_query *q, long http_status,
                            const char *body, size_t len, oc_result *res) {
  cJSON *root;
  const cJSON *data;

  if (res == NULL ||
      (root = lz_envelope(shop, http_status, body, len, res)) == NULL)
    return;
  if (op == OC_OP_LIST_ORDERS) {
    if ((data = lz_data(res, shop, root)) != NULL)
      lz_parse_list(res, shop, q, data);
  } else if (op == OC_OP_GET_ORDERS) {
    lz_parse_items(res, shop, q, root);
  } else {
    ocu_fail(res, shop, OC_REJECTED, 0, "operation %s is not an order operation",
             oc_op_name(op));
  }
  cJSON_Delete(root);
}

/* ---- verify_push (see "Push") ---- */

static void lz_push_fail(oc_push *out, const char *fmt, ...) OCU_PRINTF(2, 3);

/* Clears what was read so far and says why the push is refused. */
static void lz_push_fail(oc_push *out, const char *fmt, ...) {
  va_list ap;

  memset(out, 0, sizeof *out);
  va_start(ap, fmt);
  vsnprintf(out->error, sizeof out->error, fmt, ap);
  va_end(ap);
}

/* The signed body: {"seller_id", "message_type", "data", "timestamp"}. */
static int lz_push_body(const char *body, size_t len, oc_push *out) {
  cJSON *root = NULL;
  const cJSON *data, *ts;
  char why[128], oid[LZ_ORDER_ID_MAX + 1];
  int64_t kind, stamp = 0;

  if (ocu_json_parse(body, len, &root, why, sizeof why) != 0) {
    lz_push_fail(out, "push body: %s", why);
    return -1;
  }
  if (!cJSON_IsObject(root)) {
    lz_push_fail(out, "push body is not a JSON object");
    goto fail;
  }
  if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(root, "seller_id"),
                  OCU_ID_NUMBER | OCU_ID_STRING, "seller_id", out->shop_id,
                  sizeof out->shop_id, why, sizeof why)) {
    lz_push_fail(out, "push %s", why);
    goto fail;
  }
  if (ocu_json_int(cJSON_GetObjectItemCaseSensitive(root, "message_type"),
                   &kind) ||
      kind < 0 || kind > 0x7fffffff) {
    lz_push_fail(out, "push field message_type is not a small integer");
    goto fail;
  }
  out->kind = (int)kind;
  ts = cJSON_GetObjectItemCaseSensitive(root, "timestamp");
  if (ts != NULL && (ocu_json_int(ts, &stamp) || stamp < 0)) {
    lz_push_fail(out, "push field timestamp is not a time");
    goto fail;
  }
  /* Pushes seen in the field stamp milliseconds (vector L6): no time in
   * seconds is that large before the year 5000. */
  out->timestamp = stamp >= LZ_PUSH_MS_FROM ? stamp / 1000 : stamp;
  if (kind == 0) { /* trade order status */
    data = cJSON_GetObjectItemCaseSensitive(root, "data");
    if (!cJSON_IsObject(data)) {
      lz_push_fail(out, "push field data is not an object");
      goto fail;
    }
    if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(data, "trade_order_id"),
                    OCU_ID_NUMBER | OCU_ID_STRING, "data.trade_order_id", oid,
                    sizeof oid, why, sizeof why) ||
        !lz_valid_order_id(oid) || strlen(oid) >= sizeof out->order_id) {
      if (oid[0] != '\0')
        snprintf(why, sizeof why, "field data.trade_order_id is not an order id");
      lz_push_fail(out, "push %s", why);
      goto fail;
    }
    ocu_strlcpy(out->order_id, oid, sizeof out->order_id);
  }
  cJSON_Delete(root);
  return 0;
fail:
  cJSON_Delete(root);
  return -1;
}

/*
 * Authorization = lowercase hex HMAC-SHA256(app_secret, app_key + raw body)
 * (see "Push"), compared in constant time and case-sensitively: an uppercase
 * signature is not what Lazada sends. The body is read only once signed.
 */
static int lz_verify_push(const oc_shop *shop, const char *callback_url,
                          const char *authorization, const char *body,
                          size_t len, oc_push *out) {
  ocu_buf msg = OCU_BUF_INIT;
  char want[65];
  int ok, r;

  (void)callback_url; /* Lazada signs the body alone */
  if (out == NULL)
    return -1;
  memset(out, 0, sizeof *out);
  if (shop == NULL || !lz_valid_token(shop->app_key) ||
      shop->app_secret == NULL || shop->app_secret[0] == '\0') {
    lz_push_fail(out, "shop app_key or app_secret is not set");
    return -1;
  }
  if (authorization == NULL) {
    lz_push_fail(out, "no Authorization header");
    return -1;
  }
  if ((body == NULL && len > 0) || len > OC_MAX_PUSH) {
    lz_push_fail(out, "push body is missing or larger than %d bytes",
                 OC_MAX_PUSH);
    return -1;
  }
  ocu_buf_puts(&msg, shop->app_key);
  ocu_buf_add(&msg, body, len);
  r = msg.failed ? -1
                 : ocu_hmac_sha256_hex(shop->app_secret, strlen(shop->app_secret),
                                       msg.data, msg.len, OCU_HEX_LOWER, want);
  ocu_buf_free(&msg);
  if (r != 0) {
    ocu_cleanse(want, sizeof want);
    lz_push_fail(out, "could not compute the signature");
    return -1;
  }
  ok = ocu_sig_equal(want, authorization);
  ocu_cleanse(want, sizeof want);
  if (!ok) {
    lz_push_fail(out, "signature does not match");
    return -1;
  }
  return lz_push_body(body, len, out);
}

/* ---- entry point -------------------------------------------------------------- */

static const oc_connector lz_connector = {
    OC_ABI_VERSION,
    "lazada",
    OC_CAP(OC_OP_PUBLISH) | OC_CAP(OC_OP_UPDATE) | OC_CAP(OC_OP_SET_STOCK) |
        OC_CAP(OC_OP_SET_PRICE) | OC_CAP(OC_OP_DELIST) | OC_CAP(OC_OP_RELIST) |
        OC_CAP(OC_OP_LOOKUP_SKU) | OC_CAP(OC_OP_GET_LISTING) |
        OC_CAP(OC_OP_REFRESH_TOKEN) | OC_CAP(OC_OP_AUTH_LINK) |
        OC_CAP(OC_OP_TOKEN_EXCHANGE) | OC_CAP(OC_OP_LIST_ORDERS) |
        OC_CAP(OC_OP_GET_ORDERS) | OC_CAP_STRIP,
    lz_build,
    lz_parse,
    NULL, /* feed: an HTTP connector */
    0,    /* order_window_s: no limit; the offset cap is met with done_at */
    lz_build_orders,
    lz_parse_orders,
    lz_verify_push,
};

const oc_connector *ocop_connector_v1(void) { return &lz_connector; }
