/* json.c — see json.h. */
#include "json.h"

#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hmac.h"
#include "jsondepth.h"
#include "text.h"
#include "utf8.h"

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
  if (!jsondepth_ok(body, len, OCU_JSON_MAX_DEPTH, &at)) {
    snprintf(err, errlen, "JSON nested deeper than %d levels at byte %zu",
             OCU_JSON_MAX_DEPTH, at);
    return -1;
  }
  /* JSON is UTF-8 (RFC 8259), and every string a parse returns (ids,
   * tokens, the marketplace's error text) ends up in the database, which
   * refuses anything else: such a body is malformed as a whole. */
  if (!utf8_valid(body, len, &at)) {
    snprintf(err, errlen, "body is not UTF-8 at byte %zu", at);
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

/* The value of a JSON number within +-OCU_JSON_INT_MAX (NaN is not): the
 * range both readers below convert to int64_t exactly. */
static int bounded(const cJSON *item, double *v) {
  if (!cJSON_IsNumber(item))
    return -1;
  *v = item->valuedouble;
  return *v >= -(double)OCU_JSON_INT_MAX && *v <= (double)OCU_JSON_INT_MAX ? 0 : -1;
}

int ocu_json_int(const cJSON *item, int64_t *out) {
  double v;

  if (bounded(item, &v) != 0 || (double)(int64_t)v != v)
    return -1;
  *out = (int64_t)v;
  return 0;
}

int ocu_json_round(const cJSON *item, int64_t *out) {
  double v, frac;
  int64_t t;

  if (bounded(item, &v) != 0)
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

int ocu_json_put(cJSON *obj, const char *key, cJSON *item) {
  cJSON_bool ok;

  if (obj == NULL || item == NULL) { /* chains of ocu_json_put stop at the first OOM */
    cJSON_Delete(item);
    return -1;
  }
  ok = key ? cJSON_AddItemToObject(obj, key, item) : cJSON_AddItemToArray(obj, item);
  if (!ok) {
    cJSON_Delete(item);
    return -1;
  }
  return 0;
}

cJSON *ocu_json_int_raw(int64_t v) {
  char buf[24];

  snprintf(buf, sizeof buf, "%lld", (long long)v);
  return cJSON_CreateRaw(buf);
}

void ocu_kg_text(int32_t grams, char buf[24]) {
  int n = snprintf(buf, 24, "%ld.%03ld", (long)(grams / 1000), (long)(grams % 1000));

  while (n > 0 && buf[n - 1] == '0')
    buf[--n] = '\0';
  if (n > 0 && buf[n - 1] == '.')
    buf[--n] = '\0';
}

cJSON *ocu_json_kg_raw(int32_t grams) {
  char buf[24];

  ocu_kg_text(grams, buf);
  return cJSON_CreateRaw(buf);
}

cJSON *ocu_json_obj(cJSON *parent, const char *key) {
  cJSON *o = cJSON_CreateObject();

  return ocu_json_put(parent, key, o) == 0 ? o : NULL;
}

cJSON *ocu_json_arr(cJSON *parent, const char *key) {
  cJSON *a = cJSON_CreateArray();

  return ocu_json_put(parent, key, a) == 0 ? a : NULL;
}
