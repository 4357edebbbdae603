/*
 * lazada.c — the Lazada Open Platform ("LazOP") connector.
 *
 * Spec: shared/spec/marketplace-apis.md §3 (signing §3.3, envelope §3.4,
 * endpoints §3.5, rate limits §3.8, money §3.9, pitfalls §3.10), vectors in
 * shared/spec/signing-vectors.md §2, and the wire contract shared with the
 * simulator (/tmp/contract/wire.md, "Lazada"), which this file follows
 * exactly where the spec leaves a choice.
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
 *                         (§3.5): migrate/upload them first. Only the
 *                         http(s) form is checked here, not the host.
 *   auth_url              token host, scheme://host[:port]; default
 *                         "https://auth.lazada.com" (REFRESH_TOKEN,
 *                         AUTH_LINK, TOKEN_EXCHANGE)
 *
 * AUTH_LINK (§3.2 step 1) is built, never sent: <auth_url>/oauth/authorize
 * with response_type=code, force_auth=true, redirect_uri and client_id. The
 * redirect must equal the callback registered for the app.
 * TOKEN_EXCHANGE (§3.2 step 3): /auth/token/create with the code, signed
 * like any call and without access_token; results like REFRESH_TOKEN.
 *
 * REFRESH_TOKEN results: access_expires_at and refresh_expires_at hold the
 * LIFETIMES Lazada returns (expires_in, refresh_expires_in: seconds from
 * now), not unix times; parse() has no clock, and the core adds the time it
 * sent the request. refresh_expires_at is 0 when Lazada omits it.
 *
 * [unverified] choices (from the wire contract, not from Lazada): the relist
 * call (product/update with SKU Status "active"), the delist parameter name
 * (apiRequestBody), E0401 as "product not found", package dimensions of
 * 10 cm, brand "No Brand", and sending VND prices as whole-dong strings.
 *
 * Test hooks: tests/unit/test_lazada.c includes this file to reach the
 * static helpers lz_base_string(), lz_sign() and lz_decimal(); titles,
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

#define LZ_TITLE_MAX_CP 255 /* Attributes.name limit */
#define LZ_MAX_IMAGES 8     /* per Images.Image list (§3.5) */
#define LZ_ID_MAX_DIGITS 18
#define LZ_RATE_LIMIT_RETRY_MS 2000L /* ApiCallLimit: back off >= 2 s (§3.8) */
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
    /* [unverified] parameter name apiRequestBody (§3.5). */
    [OC_OP_DELIST] = {"POST", "/product/deactivate", LZ_SELLER,
                      LZ_NEED_LISTING | LZ_NEED_ITEM | LZ_NEED_SKU},
    /* [unverified] relist = UpdateProduct with SKU Status active (§3.5). */
    [OC_OP_RELIST] = {"POST", "/product/update", LZ_SELLER,
                      LZ_NEED_LISTING | LZ_NEED_ITEM | LZ_NEED_SKU},
    [OC_OP_LOOKUP_SKU] = {"GET", "/products/get", LZ_SELLER,
                          LZ_NEED_LISTING | LZ_NEED_SKU},
    [OC_OP_GET_LISTING] = {"GET", "/product/item/get", LZ_SELLER,
                           LZ_NEED_LISTING | LZ_NEED_ITEM},
    /* Signed like any call, without access_token (vector L5). */
    [OC_OP_REFRESH_TOKEN] = {"POST", "/auth/token/refresh", LZ_TOKEN, 0},
    /* Not an API call: the path of the link on the auth host (§3.2). */
    [OC_OP_AUTH_LINK] = {"GET", "/oauth/authorize", LZ_TOKEN, 0},
    [OC_OP_TOKEN_EXCHANGE] = {"POST", "/auth/token/create", LZ_TOKEN, 0},
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

/* ---- signing (§3.3) ------------------------------------------------------- */

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

/* Whole numbers as JSON strings ("150000", never 150000.0): §3.9. */
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
 * apiRequestBody or sku_seller_list), malloc'd, in the wire contract's shape
 * and key order. -1 with err set.
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

static int lz_build(oc_op op, const oc_shop *shop, const oc_listing *l,
                    int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  const lz_opdef *d;
  lz_param p[LZ_MAX_PARAMS];
  size_t np = 0;
  char ts[24], sign[65];
  char *payload = NULL, *hdr = NULL, *body = NULL;
  const char *host;
  int post;
  ocu_buf b = OCU_BUF_INIT;

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    lz_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  if (op <= 0 || op >= OC_OP_MAX || lz_ops[op].api == NULL) {
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
    if (req->url == NULL || req->log_url == NULL)
      goto oom;
    ocu_strlcpy(req->method, d->method, sizeof req->method);
    return 0;
  }
  /* One timestamp for the sign and the URL (§3.10.4): unix milliseconds. */
  snprintf(ts, sizeof ts, "%" PRId64, now_ms);

  p[np++] = (lz_param){"app_key", shop->app_key, 0};
  p[np++] = (lz_param){"timestamp", ts, 0};
  p[np++] = (lz_param){"sign_method", "sha256", 0};
  if (d->kind == LZ_SELLER)
    p[np++] = (lz_param){"access_token", shop->access_token, 0};
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
  free(payload);
  return 0;
oom:
  ocu_buf_free_secure(&b);
  if (body != NULL)
    ocu_cleanse(body, strlen(body));
  free(body);
  free(hdr);
  free(payload);
  if (req->url != NULL)
    ocu_cleanse(req->url, strlen(req->url));
  oc_request_free(req);
  memset(req, 0, sizeof *req);
  lz_err(err, errlen, "out of memory");
  return -1;
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
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it)) {
    LZ_MALFORMED(res, shop, "field %s is missing", what);
    return NULL;
  }
  if (!cJSON_IsString(it) || it->valuestring == NULL) {
    LZ_MALFORMED(res, shop, "field %s is not a string", what);
    return NULL;
  }
  return it->valuestring;
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
   * (expires_in, refresh_expires_in, §3.2), not unix times; the core adds
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
 * Error classes (§3.4, §3.8). Anything not listed is OC_REJECTED:
 * IncompleteSignature, MissingParameter, InvalidParameter, InvalidTimestamp
 * (fix the clock, then requeue), business codes...
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
  /* [unverified] E0401 is the contract's choice for "product not found". */
  else if (strcmp(code, "E0401") == 0 || lz_says_not_found(code))
    *st = OC_NOT_FOUND;
  else
    *st = OC_REJECTED;
}

static void lz_parse(oc_op op, const oc_shop *shop, const oc_listing *l,
                     long http_status, const char *body, size_t len,
                     oc_result *res) {
  cJSON *root = NULL;
  const cJSON *cj, *rid, *data;
  const char *code, *msg, *type;
  char why[160];
  int http_ok = http_status >= 200 && http_status <= 299;
  int busy = http_status == 429 || http_status >= 500;
  long wait = http_status == 429 ? LZ_RATE_LIMIT_RETRY_MS : 0;
  oc_status st;

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
      ocu_fail(res, shop, OC_RETRY, wait, "HTTP %ld", http_status);
    else if (!http_ok)
      ocu_fail(res, shop, OC_REJECTED, 0, "HTTP %ld", http_status);
    else
      LZ_MALFORMED(res, shop, "%s", why);
    return;
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
    goto out;
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

    /* Product APIs explain 500/501 and validation codes in detail[] (§3.4):
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
    goto out;
  }
  if (busy) {
    ocu_fail(res, shop, OC_RETRY, wait, "HTTP %ld", http_status);
    goto out;
  }
  if (!http_ok) {
    ocu_fail(res, shop, OC_REJECTED, 0, "HTTP %ld", http_status);
    goto out;
  }
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
out:
  cJSON_Delete(root);
}

/* ---- entry point -------------------------------------------------------------- */

static const oc_connector lz_connector = {
    OC_ABI_VERSION,
    "lazada",
    OC_CAP(OC_OP_PUBLISH) | OC_CAP(OC_OP_UPDATE) | OC_CAP(OC_OP_SET_STOCK) |
        OC_CAP(OC_OP_SET_PRICE) | OC_CAP(OC_OP_DELIST) | OC_CAP(OC_OP_RELIST) |
        OC_CAP(OC_OP_LOOKUP_SKU) | OC_CAP(OC_OP_GET_LISTING) |
        OC_CAP(OC_OP_REFRESH_TOKEN) | OC_CAP(OC_OP_AUTH_LINK) |
        OC_CAP(OC_OP_TOKEN_EXCHANGE) | OC_CAP_STRIP,
    lz_build,
    lz_parse,
    NULL, /* feed: an HTTP connector */
    0,    /* order_window_s */
    NULL, /* build_orders */
    NULL, /* parse_orders */
    NULL, /* verify_push */
};

const oc_connector *ocop_connector_v1(void) { return &lz_connector; }
