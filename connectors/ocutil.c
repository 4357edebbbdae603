/* ocutil.c — see ocutil.h. */
#include "ocutil.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

/* ---- HMAC ---------------------------------------------------------------- */

int ocu_hmac_sha256_hex(const void *key, size_t keylen, const void *msg,
                        size_t msglen, int upper, char out[65]) {
  static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
  const char *digits = upper ? up : lo;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0, i;

  out[0] = '\0';
  if (keylen > INT_MAX)
    return -1;
  if (HMAC(EVP_sha256(), key ? key : "", (int)keylen,
           msg ? (const unsigned char *)msg : (const unsigned char *)"", msglen,
           md, &mdlen) == NULL ||
      mdlen != 32)
    return -1;
  /* Fixed width: two digits per byte, leading zeros kept. */
  for (i = 0; i < mdlen; i++) {
    out[2 * i] = digits[md[i] >> 4];
    out[2 * i + 1] = digits[md[i] & 0x0f];
  }
  out[2 * mdlen] = '\0';
  OPENSSL_cleanse(md, sizeof md);
  return 0;
}

int ocu_sig_equal(const char *a, const char *b) {
  size_t la, lb;

  if (a == NULL || b == NULL)
    return 0;
  la = strlen(a);
  lb = strlen(b);
  if (la != lb || la == 0)
    return 0;
  return CRYPTO_memcmp(a, b, la) == 0;
}

void ocu_cleanse(void *p, size_t n) {
  if (p != NULL && n > 0)
    OPENSSL_cleanse(p, n);
}

/* ---- strings -------------------------------------------------------------- */

size_t ocu_strlcpy(char *dst, const char *src, size_t size) {
  size_t n = strlen(src);

  if (size > 0) {
    size_t k = n < size - 1 ? n : size - 1;

    memcpy(dst, src, k);
    dst[k] = '\0';
  }
  return n;
}

size_t ocu_utf8_copy(char *dst, size_t size, const char *src) {
  size_t n, k;

  if (size == 0)
    return 0;
  n = strlen(src);
  k = n < size - 1 ? n : size - 1;
  if (k < n) /* cut: back up to the start of the cut sequence */
    while (k > 0 && ((unsigned char)src[k] & 0xC0) == 0x80)
      k--;
  memcpy(dst, src, k);
  dst[k] = '\0';
  return k;
}

int ocu_utf8_valid(const char *str, size_t len) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;

  while (i < len) {
    unsigned c = s[i];
    size_t need;
    uint32_t cp, min;

    if (c < 0x80) {
      i++;
      continue;
    }
    if (c >= 0xC2 && c <= 0xDF)
      need = 1, cp = c & 0x1F, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF)
      need = 2, cp = c & 0x0F, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4)
      need = 3, cp = c & 0x07, min = 0x10000;
    else
      return 0;
    if (len - i <= need)
      return 0;
    for (size_t j = 1; j <= need; j++) {
      if ((s[i + j] & 0xC0) != 0x80)
        return 0;
      cp = (cp << 6) | (s[i + j] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return 0;
    i += need + 1;
  }
  return 1;
}

size_t ocu_utf8_count(const char *s) {
  size_t n = 0;

  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      n++;
  return n;
}

size_t ocu_utf8_prefix(const char *s, size_t max_cp) {
  size_t i = 0, n = 0;

  while (s[i]) {
    if (((unsigned char)s[i] & 0xC0) != 0x80) {
      if (n == max_cp)
        break;
      n++;
    }
    i++;
  }
  return i;
}

static int buf_reserve(ocu_buf *b, size_t extra) {
  size_t want, cap;
  char *p;

  if (b->failed)
    return -1;
  if (extra > SIZE_MAX / 2 - b->len - 1) {
    b->failed = 1;
    return -1;
  }
  want = b->len + extra + 1;
  if (want <= b->cap)
    return 0;
  cap = b->cap ? b->cap : 64;
  while (cap < want)
    cap *= 2;
  p = realloc(b->data, cap);
  if (p == NULL) {
    b->failed = 1;
    return -1;
  }
  b->data = p;
  b->cap = cap;
  return 0;
}

int ocu_buf_add(ocu_buf *b, const void *p, size_t n) {
  if (buf_reserve(b, n) != 0)
    return -1;
  if (n)
    memcpy(b->data + b->len, p, n);
  b->len += n;
  b->data[b->len] = '\0';
  return 0;
}

int ocu_buf_puts(ocu_buf *b, const char *s) {
  return ocu_buf_add(b, s, strlen(s));
}

static int buf_vprintf(ocu_buf *b, const char *fmt, va_list ap) OCU_PRINTF(2, 0);

static int buf_vprintf(ocu_buf *b, const char *fmt, va_list ap) {
  va_list ap2;
  int n;

  if (b->failed)
    return -1;
  va_copy(ap2, ap);
  n = vsnprintf(NULL, 0, fmt, ap2);
  va_end(ap2);
  if (n < 0 || buf_reserve(b, (size_t)n) != 0) {
    b->failed = 1;
    return -1;
  }
  vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
  return 0;
}

int ocu_buf_printf(ocu_buf *b, const char *fmt, ...) {
  va_list ap;
  int r;

  va_start(ap, fmt);
  r = buf_vprintf(b, fmt, ap);
  va_end(ap);
  return r;
}

int ocu_buf_urlencode(ocu_buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  const unsigned char *p = (const unsigned char *)s;

  if (buf_reserve(b, strlen(s) * 3) != 0)
    return -1;
  for (; *p; p++) {
    unsigned c = *p;

    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      b->data[b->len++] = (char)c;
    } else {
      b->data[b->len++] = '%';
      b->data[b->len++] = hex[c >> 4];
      b->data[b->len++] = hex[c & 0x0F];
    }
  }
  b->data[b->len] = '\0';
  return 0;
}

char *ocu_buf_detach(ocu_buf *b) {
  char *p;

  if (b->failed) {
    ocu_buf_free(b);
    return NULL;
  }
  p = b->data ? b->data : calloc(1, 1);
  b->data = NULL;
  b->len = b->cap = 0;
  return p;
}

void ocu_buf_free(ocu_buf *b) {
  free(b->data);
  b->data = NULL;
  b->len = b->cap = 0;
  b->failed = 0;
}

void ocu_buf_free_secure(ocu_buf *b) {
  if (b->data)
    OPENSSL_cleanse(b->data, b->cap);
  ocu_buf_free(b);
}

char *ocu_urlencode(const char *s) {
  ocu_buf b = OCU_BUF_INIT;

  ocu_buf_urlencode(&b, s);
  return ocu_buf_detach(&b);
}

char *ocu_asprintf(const char *fmt, ...) {
  ocu_buf b = OCU_BUF_INIT;
  va_list ap;

  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  return ocu_buf_detach(&b);
}

/* ---- JSON ----------------------------------------------------------------- */

/*
 * Finds the first byte where {/[ nesting exceeds OCU_JSON_MAX_DEPTH, outside
 * strings. Returns 1 when the text stays within the limit. The scan is only
 * a guard against deep recursion in the parser; cJSON still validates.
 */
static int depth_ok(const char *s, size_t len, size_t *at) {
  size_t i;
  int depth = 0, in_str = 0;

  for (i = 0; i < len; i++) {
    char c = s[i];

    if (in_str) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_str = 0;
    } else if (c == '"') {
      in_str = 1;
    } else if (c == '{' || c == '[') {
      if (++depth > OCU_JSON_MAX_DEPTH) {
        *at = i;
        return 0;
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      depth--;
    }
  }
  return 1;
}

int ocu_json_parse(const char *body, size_t len, cJSON **root, char *err,
                   size_t errlen) {
  const char *end = NULL;
  char *copy;
  cJSON *tree;
  size_t at = 0;

  *root = NULL;
  if (body == NULL || len == 0) {
    snprintf(err, errlen, "empty body");
    return -1;
  }
  if (len > OC_MAX_RESPONSE) {
    snprintf(err, errlen, "body of %zu bytes exceeds the %d-byte limit", len,
             OC_MAX_RESPONSE);
    return -1;
  }
  if (!depth_ok(body, len, &at)) {
    snprintf(err, errlen, "JSON nested deeper than %d levels at byte %zu",
             OCU_JSON_MAX_DEPTH, at);
    return -1;
  }
  /* The body is not NUL-terminated: parse a padded copy so that no cJSON
   * code path can read past the end of the caller's buffer. */
  copy = malloc(len + 8);
  if (copy == NULL) {
    snprintf(err, errlen, "out of memory");
    return -1;
  }
  memcpy(copy, body, len);
  memset(copy + len, 0, 8);
  tree = cJSON_ParseWithLengthOpts(copy, len, &end, 0);
  if (tree == NULL) {
    at = (end != NULL && end >= copy && end <= copy + len) ? (size_t)(end - copy)
                                                          : 0;
    free(copy);
    snprintf(err, errlen, "malformed JSON at byte %zu", at);
    return -1;
  }
  at = (end != NULL && end >= copy && end <= copy + len) ? (size_t)(end - copy)
                                                        : len;
  while (at < len && (copy[at] == ' ' || copy[at] == '\t' ||
                      copy[at] == '\n' || copy[at] == '\r'))
    at++;
  free(copy);
  if (at != len) {
    cJSON_Delete(tree);
    snprintf(err, errlen, "malformed JSON at byte %zu (trailing data)", at);
    return -1;
  }
  *root = tree;
  return 0;
}

int ocu_json_id(const cJSON *item, int flags, const char *what, char *out,
                size_t outlen, char *err, size_t errlen) {
  if (outlen)
    out[0] = '\0';
  if (item == NULL || cJSON_IsNull(item)) {
    snprintf(err, errlen, "field %s is missing", what);
    return -1;
  }
  if ((flags & OCU_ID_NUMBER) && cJSON_IsNumber(item)) {
    double v = item->valuedouble;
    int n;

    if (!(v >= 0)) {
      snprintf(err, errlen, "field %s is negative", what);
      return -1;
    }
    if (v > (double)OCU_JSON_INT_MAX) {
      snprintf(err, errlen,
               "field %s is above 2^53 and cannot be read exactly", what);
      return -1;
    }
    if ((double)(int64_t)v != v) {
      snprintf(err, errlen, "field %s is not an integer", what);
      return -1;
    }
    n = snprintf(out, outlen, "%" PRId64, (int64_t)v);
    if (n < 0 || (size_t)n >= outlen) {
      if (outlen)
        out[0] = '\0';
      snprintf(err, errlen, "field %s is too long", what);
      return -1;
    }
    return 0;
  }
  if ((flags & OCU_ID_STRING) && cJSON_IsString(item)) {
    const char *s = item->valuestring;

    if (s == NULL || s[0] == '\0') {
      snprintf(err, errlen, "field %s is empty", what);
      return -1;
    }
    if (strlen(s) >= outlen) {
      snprintf(err, errlen, "field %s is too long", what);
      return -1;
    }
    ocu_strlcpy(out, s, outlen);
    return 0;
  }
  snprintf(err, errlen, "field %s is not a %s", what,
           (flags & OCU_ID_NUMBER) && (flags & OCU_ID_STRING) ? "number or string"
           : (flags & OCU_ID_STRING)                          ? "string"
                                                              : "number");
  return -1;
}

int ocu_json_int(const cJSON *item, int64_t *out) {
  double v;

  if (!cJSON_IsNumber(item))
    return -1;
  v = item->valuedouble;
  if (!(v >= -(double)OCU_JSON_INT_MAX && v <= (double)OCU_JSON_INT_MAX))
    return -1;
  if ((double)(int64_t)v != v)
    return -1;
  *out = (int64_t)v;
  return 0;
}

int ocu_json_round(const cJSON *item, int64_t *out) {
  double v, frac;
  int64_t t;

  if (!cJSON_IsNumber(item))
    return -1;
  v = item->valuedouble;
  if (!(v >= -(double)OCU_JSON_INT_MAX && v <= (double)OCU_JSON_INT_MAX))
    return -1;
  t = (int64_t)v; /* truncates toward zero */
  frac = v - (double)t; /* exact for |v| < 2^53 */
  if (frac >= 0.5)
    t++;
  else if (frac <= -0.5)
    t--;
  if (t > OCU_JSON_INT_MAX || t < -OCU_JSON_INT_MAX)
    return -1;
  *out = t;
  return 0;
}

const char *ocu_json_str(const cJSON *obj, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  return cJSON_IsString(it) ? it->valuestring : NULL;
}

/* ---- OCOP claims and secrets --------------------------------------------- */

int ocu_claims(const oc_listing *l) { return l->stars >= 3 && l->stars <= 5; }

int ocu_has_ocop(const char *s) {
  for (; *s; s++)
    if ((s[0] | 0x20) == 'o' && (s[1] | 0x20) == 'c' && (s[2] | 0x20) == 'o' &&
        (s[3] | 0x20) == 'p')
      return 1;
  return 0;
}

/* A combining diacritic U+0300..U+036F (two bytes: CC 80..CD AF). */
static int is_combining(const char *s) {
  unsigned char a = (unsigned char)s[0], b = (unsigned char)s[1];

  return (a == 0xCC && b >= 0x80) || (a == 0xCD && b >= 0x80 && b <= 0xAF);
}

char *ocu_claim_title(const oc_listing *l, size_t max_cp) {
  char suffix[32] = "";
  const char *name = l->name;
  size_t budget, cut, full;

  while (*name == ' ' || *name == '\t')
    name++;
  full = strlen(name);
  while (full > 0 && (name[full - 1] == ' ' || name[full - 1] == '\t'))
    full--;
  if (ocu_claims(l))
    snprintf(suffix, sizeof suffix, " - OCOP %d sao", l->stars);
  budget = max_cp - ocu_utf8_count(suffix);
  cut = ocu_utf8_prefix(name, budget);
  if (cut >= full) {
    cut = full;
  } else {
    while (cut > 0 && is_combining(name + cut)) {
      do /* drop the base letter too: back up one code point */
        cut--;
      while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80);
    }
    while (cut > 0 && (name[cut - 1] == ' ' || name[cut - 1] == '\t'))
      cut--;
  }
  return ocu_asprintf("%.*s%s", (int)cut, name, suffix);
}

char *ocu_claim_description(const oc_listing *l) {
  if (!ocu_claims(l))
    return ocu_asprintf("%s", l->description);
  return ocu_asprintf("Sản phẩm OCOP %d sao (quyết định %s).\n%s", l->stars,
                      l->certificate_no, l->description);
}

void ocu_scrub_secrets(char *s, const oc_shop *shop) {
  const char *secrets[4];
  size_t i;

  if (shop == NULL)
    return;
  secrets[0] = shop->app_secret;
  secrets[1] = shop->access_token;
  secrets[2] = shop->refresh_token;
  secrets[3] = shop->auth_code;
  for (i = 0; i < 4; i++) {
    size_t n = secrets[i] ? strlen(secrets[i]) : 0;
    char *p;

    if (n < 6)
      continue;
    while ((p = strstr(s, secrets[i])) != NULL) {
      memcpy(p, "***", 3);
      memmove(p + 3, p + n, strlen(p + n) + 1);
    }
  }
}

void ocu_fail(oc_result *res, const oc_shop *shop, oc_status st, long retry_ms,
              const char *fmt, ...) {
  char tmp[1024];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  ocu_scrub_secrets(tmp, shop);
  ocu_utf8_copy(res->error, sizeof res->error, tmp);
  res->status = st;
  res->retry_after_ms = retry_ms;
}

char *ocu_json_to_text(cJSON *root) {
  char *printed = root ? cJSON_PrintUnformatted(root) : NULL, *text = NULL;
  size_t n;

  cJSON_Delete(root);
  if (printed == NULL)
    return NULL;
  n = strlen(printed);
  text = malloc(n + 1);
  if (text != NULL)
    memcpy(text, printed, n + 1);
  ocu_cleanse(printed, n);
  cJSON_free(printed);
  return text;
}

const char *ocu_req_str(oc_result *res, const oc_shop *shop, const cJSON *obj,
                        const char *key, const char *what, const char *lead) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it)) {
    ocu_fail(res, shop, OC_RETRY, 0, "%sfield %s is missing", lead, what);
    return NULL;
  }
  if (!cJSON_IsString(it) || it->valuestring == NULL) {
    ocu_fail(res, shop, OC_RETRY, 0, "%sfield %s is not a string", lead, what);
    return NULL;
  }
  return it->valuestring;
}

/* ---- orders ---------------------------------------------------------------- */

const char *ocu_order_effect(const ocu_status_map *map, const char *status) {
  if (!status)
    return NULL;
  for (; map->status; map++)
    if (strcmp(map->status, status) == 0)
      return map->effect;
  return NULL;
}

cJSON *ocu_order_list_new(void) {
  cJSON *doc = cJSON_CreateObject();

  if (!doc || !cJSON_AddArrayToObject(doc, "ids") || !cJSON_AddStringToObject(doc, "next", "") ||
      !cJSON_AddNumberToObject(doc, "done_at", 0)) {
    cJSON_Delete(doc);
    return NULL;
  }
  return doc;
}

int ocu_order_list_add(cJSON *doc, const char *id) {
  cJSON *s = cJSON_CreateString(id);

  if (!s || !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(doc, "ids"), s)) {
    cJSON_Delete(s);
    return -1;
  }
  return 0;
}

int ocu_order_list_end(cJSON *doc, const char *next, int64_t done_at) {
  cJSON *n = cJSON_CreateString(next ? next : "");
  cJSON *d = cJSON_CreateNumber((double)done_at);

  if (!n || !d || !cJSON_ReplaceItemInObjectCaseSensitive(doc, "next", n)) {
    cJSON_Delete(n);
    cJSON_Delete(d);
    return -1;
  }
  if (!cJSON_ReplaceItemInObjectCaseSensitive(doc, "done_at", d)) {
    cJSON_Delete(d);
    return -1;
  }
  return 0;
}

cJSON *ocu_orders_new(void) {
  cJSON *doc = cJSON_CreateObject();

  if (!doc || !cJSON_AddArrayToObject(doc, "orders") || !cJSON_AddArrayToObject(doc, "bad")) {
    cJSON_Delete(doc);
    return NULL;
  }
  return doc;
}

static cJSON *ocu_int_or_null(int64_t v) {
  return v < 0 ? cJSON_CreateNull() : cJSON_CreateNumber((double)v);
}

cJSON *ocu_orders_add(cJSON *doc, const char *id, const char *status,
                      const char *effect, int64_t update_time, int64_t total_vnd) {
  cJSON *o = cJSON_CreateObject();
  cJSON *total = ocu_int_or_null(total_vnd);

  if (!o || !total || !cJSON_AddStringToObject(o, "id", id) ||
      !cJSON_AddStringToObject(o, "status", status) ||
      !cJSON_AddStringToObject(o, "effect", effect) ||
      !cJSON_AddNumberToObject(o, "update_time", (double)update_time) ||
      !cJSON_AddItemToObject(o, "total_vnd", total)) {
    cJSON_Delete(o);
    return NULL;
  }
  total = NULL;
  if (!cJSON_AddArrayToObject(o, "lines") ||
      !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(doc, "orders"), o)) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

static int ocu_same_price(const cJSON *line, int64_t unit_price) {
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(line, "unit_price_vnd");

  if (unit_price < 0)
    return cJSON_IsNull(p);
  return cJSON_IsNumber(p) && (int64_t)p->valuedouble == unit_price;
}

int ocu_order_add_line(cJSON *order, const char *sku, int64_t qty, int64_t unit_price_vnd) {
  cJSON *lines = cJSON_GetObjectItemCaseSensitive(order, "lines");
  cJSON *line, *price;

  cJSON_ArrayForEach(line, lines) {
    const char *s = ocu_json_str(line, "sku");
    cJSON *q = cJSON_GetObjectItemCaseSensitive(line, "qty");

    if (s && strcmp(s, sku) == 0 && ocu_same_price(line, unit_price_vnd) && cJSON_IsNumber(q)) {
      cJSON_SetNumberValue(q, q->valuedouble + (double)qty);
      return 0;
    }
  }
  line = cJSON_CreateObject();
  price = ocu_int_or_null(unit_price_vnd);
  if (!line || !price || !cJSON_AddStringToObject(line, "sku", sku) ||
      !cJSON_AddNumberToObject(line, "qty", (double)qty) ||
      !cJSON_AddItemToObject(line, "unit_price_vnd", price)) {
    cJSON_Delete(line);
    return -1;
  }
  price = NULL;
  if (!cJSON_AddItemToArray(lines, line)) {
    cJSON_Delete(line);
    return -1;
  }
  return 0;
}

int ocu_orders_bad(cJSON *doc, const char *id, const char *fmt, ...) {
  char tmp[512], why[201];
  va_list ap;
  cJSON *b;

  va_start(ap, fmt);
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  ocu_utf8_copy(why, sizeof why, tmp);
  b = cJSON_CreateObject();
  if (!b || !cJSON_AddStringToObject(b, "id", id) || !cJSON_AddStringToObject(b, "error", why) ||
      !cJSON_AddItemToArray(cJSON_GetObjectItemCaseSensitive(doc, "bad"), b)) {
    cJSON_Delete(b);
    return -1;
  }
  return 0;
}

void ocu_orders_drop_last(cJSON *doc) {
  cJSON *orders = cJSON_GetObjectItemCaseSensitive(doc, "orders");
  int n = cJSON_GetArraySize(orders);

  if (n > 0)
    cJSON_DeleteItemFromArray(orders, n - 1);
}

void ocu_orders_finish(oc_result *res, cJSON *doc) {
  char *text = doc ? ocu_json_to_text(doc) : NULL;

  if (!text) {
    res->status = OC_RETRY;
    ocu_strlcpy(res->error, "out of memory writing the orders", sizeof res->error);
    return;
  }
  res->orders = text;
  res->status = OC_OK;
}

int ocu_money_text(const char *s, int64_t *out) {
  int64_t whole = 0;
  int digits = 0, half = 0;

  if (!s || !*s)
    return -1;
  for (; *s >= '0' && *s <= '9'; s++) {
    if (++digits > 15)
      return -1;
    whole = whole * 10 + (*s - '0');
  }
  if (digits == 0)
    return -1;
  if (*s == '.') {
    s++;
    if (!(*s >= '0' && *s <= '9'))
      return -1;
    half = *s >= '5';
    for (; *s >= '0' && *s <= '9'; s++)
      ;
  }
  if (*s)
    return -1;
  *out = whole + half;
  return 0;
}
