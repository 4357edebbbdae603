/*
 * parse.c — Lazada answers: the envelope and its error classes (see
 * "Envelope and errors"), and the listing and token results.
 */
#include "lazada.h"

#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/token.h"

#define lz_req_str(v, shop, obj, key, what) ocu_req_str(v, shop, obj, key, what, LZ_LEAD)
/* An id (JSON number, <= 2^53-1) into out. */
#define lz_req_id(v, shop, item, what, out, outlen) \
  ocu_req_id(v, shop, item, OCU_ID_NUMBER, what, out, outlen, LZ_LEAD)

/*
 * A decimal amount as whole units, rounded half away from zero: "150000",
 * "1299.00", "1299.5" -> 1300. Digits, at most one '.', no sign, within
 * 2^53-1. 0 or -1.
 */
int lz_decimal(const char *s, int64_t *out) {
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
static int lz_req_amount(oc_verdict *res, const oc_shop *shop, const cJSON *obj,
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

/* data: a required object. */
const cJSON *lz_data(oc_verdict *v, const oc_shop *shop, const cJSON *root) {
  return ocu_req_obj(v, shop, root, "data", "data", LZ_LEAD);
}

/* The payload hook: every listing answer Lazada reads back is in data. */
const cJSON *lz_payload(oc_op op, const oc_shop *shop, const cJSON *root, int flags,
                        oc_verdict *v) {
  (void)op, (void)flags;
  return lz_data(v, shop, root);
}

/*
 * The first entry of obj.skus[] (an array of objects) whose SellerSku is
 * `sku` (any SellerSku when sku is NULL): an entry naming another SKU is
 * never ours. *found is NULL when there is none; -1 with res set on a wrong
 * shape.
 */
static int lz_find_sku(oc_verdict *res, const oc_shop *shop, const cJSON *obj,
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
void lz_read_lookup(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                    oc_listing_result *res) {
  const cJSON *products, *p, *sku;

  products = ocu_found_list(&res->v, shop, data, "products", "data.products", LZ_LEAD);
  if (products == NULL)
    return;
  cJSON_ArrayForEach(p, products) {
    const cJSON *st;

    if (!cJSON_IsObject(p)) {
      LZ_MALFORMED(&res->v, shop, "field data.products[] is not an object");
      return;
    }
    if (lz_find_sku(&res->v, shop, p, "data.products[]", l ? l->sku : NULL, &sku))
      return;
    if (sku == NULL)
      continue;
    st = cJSON_GetObjectItemCaseSensitive(p, "status");
    if (cJSON_IsString(st) && strcmp(st->valuestring, "deleted") == 0)
      continue;
    lz_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(p, "item_id"),
              "data.products[].item_id", res->item_id, sizeof res->item_id);
    return;
  }
  ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "no listing with this SKU");
}

/* GET_LISTING: status, price and stock of our SKU. */
void lz_read_listing(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                     oc_listing_result *res) {
  const cJSON *sku, *ss;
  const char *st;
  char id[OC_ID_MAX];
  int64_t price, stock;

  if (lz_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(data, "item_id"),
                "data.item_id", id, sizeof id))
    return;
  if (l != NULL && l->item_id != NULL && strcmp(id, l->item_id) != 0) {
    LZ_MALFORMED(&res->v, shop, "data.item_id is not the item asked for");
    return;
  }
  if ((st = lz_req_str(&res->v, shop, data, "status", "data.status")) == NULL)
    return;
  if (strcmp(st, "deleted") == 0) {
    ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "item status deleted");
    return;
  }
  if (lz_find_sku(&res->v, shop, data, "data", l ? l->sku : NULL, &sku))
    return;
  if (sku == NULL) {
    ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "item has no SKU with this SellerSku");
    return;
  }
  if (lz_req_amount(&res->v, shop, sku, "price", "data.skus[].price", 1, &price) ||
      lz_req_amount(&res->v, shop, sku, "quantity", "data.skus[].quantity", 0,
                    &stock))
    return;
  ss = cJSON_GetObjectItemCaseSensitive(sku, "Status");
  if (ss != NULL && !cJSON_IsNull(ss) && !cJSON_IsString(ss)) {
    LZ_MALFORMED(&res->v, shop, "field data.skus[].Status is not a string");
    return;
  }
  if (cJSON_IsString(ss) && strcmp(ss->valuestring, "deleted") == 0) {
    ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "SKU status deleted");
    return;
  }
  ocu_strlcpy(res->item_id, id, sizeof res->item_id);
  res->price_vnd = price;
  res->stock = stock;
  res->active = strcmp(st, "active") == 0 &&
                (!cJSON_IsString(ss) || strcmp(ss->valuestring, "active") == 0);
  /* pending, rejected and unknown states read as not active; say which. */
  if (strcmp(st, "active") != 0 && strcmp(st, "inactive") != 0)
    ocu_fail(&res->v, shop, OC_OK, 0, "item status %s", st);
}

/* Token replies are top-level (no data). */
void lz_read_token(const oc_shop *shop, const cJSON *root, oc_token_result *res) {
  const cJSON *rx;
  const char *at, *rt;
  int64_t exp, rexp = 0;

  if (ocu_token_pair(&res->v, shop, root, "", LZ_LEAD, &at, &rt) ||
      lz_req_amount(&res->v, shop, root, "expires_in", "expires_in", 0, &exp))
    return;
  rx = cJSON_GetObjectItemCaseSensitive(root, "refresh_expires_in");
  if (rx != NULL && !cJSON_IsNull(rx) &&
      lz_req_amount(&res->v, shop, root, "refresh_expires_in",
                    "refresh_expires_in", 0, &rexp))
    return;
  if (at[0] == '\0' || rt[0] == '\0' || exp <= 0) {
    LZ_MALFORMED(&res->v, shop, "empty access_token, refresh_token or expires_in");
    return;
  }
  /*
   * parse does not know the time: these are LIFETIMES in seconds
   * (expires_in, refresh_expires_in), not unix times; the core adds
   * the time it sent the request. refresh_expires_at is 0 when not given.
   */
  ocu_token_set(res, shop, LZ_LEAD, at, rt, exp, rexp);
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
/* A non-zero code: its class (lz_classify), or a retry when HTTP says busy,
 * with the first detail[] entry that product APIs add. */
static void lz_code_fail(oc_verdict *res, const oc_shop *shop, const cJSON *root,
                         long http_status, const char *code) {
  const char *msg = ocu_json_str(root, "message"), *type = ocu_json_str(root, "type");
  int busy = ocu_http_busy(http_status);
  long wait;
  oc_status st;

  if (msg == NULL)
    msg = "";
  if (type == NULL)
    type = "";
  {
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
  }
}

cJSON *lz_envelope(oc_op op, const oc_shop *shop, long http_status, const char *body,
                   size_t len, oc_verdict *res, int *flags) {
  cJSON *root;
  const cJSON *cj;

  (void)op; /* one envelope for every call */
  *flags = 0;
  if ((root = ocu_answer(res, shop, http_status, body, len, LZ_RATE_LIMIT_RETRY_MS)) == NULL)
    return NULL;
  cj = cJSON_GetObjectItemCaseSensitive(root, "code");
  if (!cJSON_IsString(cj) || cj->valuestring[0] == '\0') {
    if (!ocu_http_fail(res, shop, http_status, LZ_RATE_LIMIT_RETRY_MS))
      LZ_MALFORMED(res, shop, "field code is %s",
                   cj == NULL || cJSON_IsNull(cj) ? "missing" : "not a string");
    goto fail;
  }
  if (strcmp(cj->valuestring, "0") != 0) {
    lz_code_fail(res, shop, root, http_status, cj->valuestring);
    goto fail;
  }
  if (ocu_http_fail(res, shop, http_status, LZ_RATE_LIMIT_RETRY_MS))
    goto fail;
  return root;
fail:
  cJSON_Delete(root);
  return NULL;
}


/* PUBLISH: data.item_id. */
void lz_read_publish(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                     oc_listing_result *res) {
  (void)op, (void)l;
  lz_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(data, "item_id"), "data.item_id",
            res->item_id, sizeof res->item_id);
}
