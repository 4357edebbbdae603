/*
 * sim_json.c — bounded JSON parsing and small cJSON helpers for ocopsim.
 */
#include "sim_json.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int sim_json_depth(const char *s, size_t len) {
  int depth = 0, deepest = 0, in_str = 0, esc = 0;
  size_t i;

  for (i = 0; i < len; i++) {
    char c = s[i];

    if (in_str) {
      /* A backslash hides the next byte, so \" does not end the string. */
      if (esc)
        esc = 0;
      else if (c == '\\')
        esc = 1;
      else if (c == '"')
        in_str = 0;
      continue;
    }
    if (c == '"') {
      in_str = 1;
    } else if (c == '[' || c == '{') {
      if (++depth > deepest)
        deepest = depth;
    } else if ((c == ']' || c == '}') && depth > 0) {
      depth--;
    }
  }
  return deepest;
}

cJSON *sim_json_parse(const char *s, size_t len, size_t max_len, int max_depth,
                      const char **why) {
  cJSON *root;

  if (len > max_len) {
    *why = "body too large";
    return NULL;
  }
  if (memchr(s, '\0', len)) {
    *why = "NUL byte in body";
    return NULL;
  }
  /* cJSON recurses once per level: bound it before it starts. */
  if (sim_json_depth(s, len) > max_depth) {
    *why = "JSON nested too deeply";
    return NULL;
  }
  /* The length includes the terminator so that cJSON rejects trailing
   * garbage after the value. */
  root = cJSON_ParseWithLengthOpts(s, len + 1, NULL, 1);
  if (!root)
    *why = "invalid JSON";
  return root;
}

int sim_json_int(const cJSON *v, int64_t *out) {
  double d;

  if (!cJSON_IsNumber(v))
    return -1;
  d = v->valuedouble;
  /* Range first, so that the cast below is defined; then integral. */
  if (!(d >= -(double)SIM_JSON_INT_MAX && d <= (double)SIM_JSON_INT_MAX) ||
      d != (double)(int64_t)d)
    return -1;
  *out = (int64_t)d;
  return 0;
}

static cJSON *sim_json_raw_int(int64_t v) {
  char buf[24];

  snprintf(buf, sizeof buf, "%" PRId64, v);
  return cJSON_CreateRaw(buf);
}

int sim_json_add_int(cJSON *obj, const char *name, int64_t v) {
  cJSON *n = sim_json_raw_int(v);

  if (!n)
    return -1;
  if (!cJSON_AddItemToObject(obj, name, n)) {
    cJSON_Delete(n);
    return -1;
  }
  return 0;
}

int sim_json_push_int(cJSON *arr, int64_t v) {
  cJSON *n = sim_json_raw_int(v);

  if (!n)
    return -1;
  if (!cJSON_AddItemToArray(arr, n)) {
    cJSON_Delete(n);
    return -1;
  }
  return 0;
}

const char *sim_json_str(const cJSON *obj, const char *name) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, name);

  return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Length of the UTF-8 sequence led by byte b, its minimum code point, or 0. */
static int sim_utf8_lead(unsigned char b, uint32_t *cp, uint32_t *min) {
  if (b < 0x80) {
    *cp = b, *min = 0;
    return 1;
  }
  if ((b & 0xE0) == 0xC0) {
    *cp = b & 0x1F, *min = 0x80;
    return 2;
  }
  if ((b & 0xF0) == 0xE0) {
    *cp = b & 0x0F, *min = 0x800;
    return 3;
  }
  if ((b & 0xF8) == 0xF0) {
    *cp = b & 0x07, *min = 0x10000;
    return 4;
  }
  return 0;
}

long sim_utf8_len(const char *s, size_t n) {
  const unsigned char *p = (const unsigned char *)s;
  size_t i = 0;
  long count = 0;

  while (i < n) {
    uint32_t cp, min;
    int k, len = sim_utf8_lead(p[i], &cp, &min);

    if (len == 0 || (size_t)len > n - i)
      return -1;
    for (k = 1; k < len; k++) {
      if ((p[i + k] & 0xC0) != 0x80)
        return -1;
      cp = (cp << 6) | (p[i + k] & 0x3F);
    }
    /* Overlong forms, surrogates and values past U+10FFFF are not text. */
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
      return -1;
    i += (size_t)len;
    count++;
  }
  return count;
}

char *sim_json_print(const cJSON *root, size_t *len) {
  char *s = cJSON_PrintUnformatted(root);

  if (s && len)
    *len = strlen(s);
  return s;
}

void sim_json_push(cJSON *arr, cJSON *e) {
  if (e && !cJSON_AddItemToArray(arr, e))
    cJSON_Delete(e);
}

void sim_json_put(cJSON *obj, const char *name, cJSON *e) {
  if (e && !cJSON_AddItemToObject(obj, name, e))
    cJSON_Delete(e);
}
