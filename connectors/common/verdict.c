/* verdict.c — see verdict.h. */
#include "verdict.h"

#include <stdio.h>
#include <string.h>

#include "claims.h"
#include "json.h"

void ocu_fail(oc_verdict *res, const oc_shop *shop, oc_status st, long retry_ms,
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

const char *ocu_req_str(oc_verdict *res, const oc_shop *shop, const cJSON *obj,
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

/* The member, or NULL with v failed when it is absent or null. */
static const cJSON *ocu_member(oc_verdict *v, const oc_shop *shop, const cJSON *obj,
                               const char *key, const char *what, const char *lead) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it)) {
    ocu_fail(v, shop, OC_RETRY, 0, "%sfield %s is missing", lead, what);
    return NULL;
  }
  return it;
}

const cJSON *ocu_req_obj(oc_verdict *v, const oc_shop *shop, const cJSON *obj, const char *key,
                         const char *what, const char *lead) {
  const cJSON *it = ocu_member(v, shop, obj, key, what, lead);

  if (it != NULL && !cJSON_IsObject(it)) {
    ocu_fail(v, shop, OC_RETRY, 0, "%sfield %s is not an object", lead, what);
    return NULL;
  }
  return it;
}

const cJSON *ocu_req_array(oc_verdict *v, const oc_shop *shop, const cJSON *obj,
                           const char *key, const char *what, const char *lead) {
  const cJSON *it = ocu_member(v, shop, obj, key, what, lead);

  if (it != NULL && !cJSON_IsArray(it)) {
    ocu_fail(v, shop, OC_RETRY, 0, "%sfield %s is not an array", lead, what);
    return NULL;
  }
  return it;
}

int ocu_req_int(oc_verdict *v, const oc_shop *shop, const cJSON *obj, const char *key,
                const char *what, const char *lead, int round, int64_t *out) {
  const cJSON *it = ocu_member(v, shop, obj, key, what, lead);

  if (it == NULL)
    return -1;
  if (!cJSON_IsNumber(it)) {
    ocu_fail(v, shop, OC_RETRY, 0, "%sfield %s is not a number", lead, what);
    return -1;
  }
  if ((round ? ocu_json_round(it, out) : ocu_json_int(it, out)) != 0) {
    ocu_fail(v, shop, OC_RETRY, 0, "%sfield %s is not an integer in range", lead, what);
    return -1;
  }
  return 0;
}

int ocu_http_busy(long http_status) { return http_status == 429 || http_status >= 500; }

int ocu_http_ok(long http_status) { return http_status >= 200 && http_status <= 299; }

int ocu_verdict_start(oc_verdict *v, const oc_shop *shop, long http_status) {
  memset(v, 0, sizeof *v);
  v->status = OC_OK;
  if (http_status <= 0) {
    ocu_fail(v, shop, OC_RETRY, 0, "no response");
    return -1;
  }
  return 0;
}

int ocu_http_fail(oc_verdict *v, const oc_shop *shop, long http_status, long rate_ms) {
  if (ocu_http_busy(http_status))
    ocu_fail(v, shop, OC_RETRY, http_status == 429 ? rate_ms : 0, "HTTP %ld", http_status);
  else if (!ocu_http_ok(http_status))
    ocu_fail(v, shop, OC_REJECTED, 0, "HTTP %ld", http_status);
  else
    return 0;
  return 1;
}

cJSON *ocu_answer(oc_verdict *v, const oc_shop *shop, long http_status, const char *body,
                  size_t len, long rate_ms) {
  cJSON *root = NULL;
  const cJSON *rid;
  char why[160];

  if (ocu_json_parse(body, len, &root, why, sizeof why) != 0 || !cJSON_IsObject(root)) {
    if (root != NULL)
      snprintf(why, sizeof why, "not a JSON object");
    cJSON_Delete(root);
    if (!ocu_http_fail(v, shop, http_status, rate_ms))
      ocu_fail(v, shop, OC_RETRY, 0, "malformed response: %s", why);
    return NULL;
  }
  rid = cJSON_GetObjectItemCaseSensitive(root, "request_id");
  if (cJSON_IsString(rid))
    ocu_utf8_copy(v->request_id, sizeof v->request_id, rid->valuestring);
  return root;
}

const cJSON *ocu_found_list(oc_verdict *v, const oc_shop *shop, const cJSON *obj,
                            const char *key, const char *what, const char *lead) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (list == NULL || cJSON_IsNull(list) ||
      (cJSON_IsArray(list) && cJSON_GetArraySize(list) == 0)) {
    ocu_fail(v, shop, OC_NOT_FOUND, 0, "no listing with this SKU");
    return NULL;
  }
  if (!cJSON_IsArray(list)) {
    ocu_fail(v, shop, OC_RETRY, 0, "%sfield %s is not an array", lead, what);
    return NULL;
  }
  return list;
}

int ocu_req_id(oc_verdict *v, const oc_shop *shop, const cJSON *item, int flags,
               const char *what, char *out, size_t outlen, const char *lead) {
  char why[160];

  if (ocu_json_id(item, flags, what, out, outlen, why, sizeof why)) {
    ocu_fail(v, shop, OC_RETRY, 0, "%s%s", lead, why);
    return -1;
  }
  return 0;
}
