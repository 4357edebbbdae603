/*
 * listing.c — TikTok's answers to the listing calls (see "Endpoints"):
 * the ids of a new product, a SKU search, a product read back, and the
 * per-product errors a batch write can carry.
 */
#include "tiktok.h"

#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"

/* The id of `what`, an entry that must be an object. -1 with v failed. */
static int tt_obj_id(oc_verdict *v, const oc_shop *shop, const cJSON *o, const char *what,
                     char out[21]) {
  char field[48];

  if (!cJSON_IsObject(o)) {
    TT_UNEXPECTED(v, shop, "field %s is not an object", what);
    return -1;
  }
  snprintf(field, sizeof field, "%s.id", what);
  return tt_req_id(v, shop, cJSON_GetObjectItemCaseSensitive(o, "id"), field, out);
}

/* Joins "<product_id>:<sku_id>" into res->item_id. */
static void tt_set_item(oc_listing_result *res, const char *pid, const char *sid) {
  snprintf(res->item_id, sizeof res->item_id, "%s:%s", pid, sid);
}

/* The sku entry of skus[] whose seller_sku (or id) matches; NULL if none,
 * with *bad set when the array holds something unreadable (res set). */
static const cJSON *tt_find_sku(oc_verdict *res, const oc_shop *shop,
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

void tt_read_publish(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                     oc_listing_result *res) {
  const cJSON *skus, *s;
  char pid[21], sid[21];
  int bad;

  if (tt_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(data, "product_id"),
                "data.product_id", pid))
    return;
  if ((skus = tt_req_array(&res->v, shop, data, "skus", "data.skus")) == NULL)
    return;
  s = tt_find_sku(&res->v, shop, skus, "seller_sku", l ? l->sku : NULL,
                  "data.skus", &bad);
  if (bad)
    return;
  if (s == NULL && cJSON_GetArraySize(skus) == 1)
    s = cJSON_GetArrayItem(skus, 0); /* one sku, seller_sku not echoed */
  if (s == NULL) {
    TT_UNEXPECTED(&res->v, shop, "data.skus has no sku with our seller_sku");
    return;
  }
  if (tt_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(s, "id"),
                "data.skus[].id", sid))
    return;
  tt_set_item(res, pid, sid);
}

void tt_read_lookup(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                    oc_listing_result *res) {
  const cJSON *prods, *p;

  prods = ocu_found_list(&res->v, shop, data, "products", "data.products", TT_LEAD);
  if (prods == NULL)
    return;
  cJSON_ArrayForEach(p, prods) {
    const cJSON *skus, *s;
    const char *st;
    char pid[21], sid[21];
    int bad;

    if (tt_obj_id(&res->v, shop, p, "data.products[]", pid))
      return;
    st = ocu_json_str(p, "status");
    if (st != NULL && strcmp(st, "DELETED") == 0)
      continue;
    if ((skus = tt_req_array(&res->v, shop, p, "skus", "data.products[].skus")) ==
        NULL)
      return;
    /* The search may match loosely: only an exact seller_sku is ours. */
    s = tt_find_sku(&res->v, shop, skus, "seller_sku", l ? l->sku : NULL,
                    "data.products[].skus", &bad);
    if (bad)
      return;
    if (s == NULL)
      continue;
    if (tt_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(s, "id"),
                  "data.products[].skus[].id", sid))
      return;
    tt_set_item(res, pid, sid);
    return;
  }
  ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "no listing with this SKU");
}

/* A SKU's price (price.amount) and its stock, the sum over warehouses
 * (inventory[].quantity). -1 with v failed. */
static int tt_sku_amounts(oc_verdict *v, const oc_shop *shop, const cJSON *s, int64_t *vnd,
                          int64_t *out_stock) {
  const cJSON *price, *inv, *e;
  const char *amount;
  int64_t stock = 0;

  price = cJSON_GetObjectItemCaseSensitive(s, "price");
  if (!cJSON_IsObject(price)) {
    TT_UNEXPECTED(v, shop, "field data.skus[].price is %s",
                  price ? "not an object" : "missing");
    return -1;
  }
  if ((amount = tt_req_str(v, shop, price, "amount",
                           "data.skus[].price.amount")) == NULL)
    return -1;
  if (tt_amount(amount, vnd)) {
    TT_UNEXPECTED(v, shop, "field data.skus[].price.amount is not an amount");
    return -1;
  }
  if ((inv = tt_req_array(v, shop, s, "inventory", "data.skus[].inventory")) ==
      NULL)
    return -1;
  cJSON_ArrayForEach(e, inv) { /* the sum over warehouses */
    int64_t q;

    if (!cJSON_IsObject(e)) {
      TT_UNEXPECTED(v, shop, "field data.skus[].inventory[] is not an object");
      return -1;
    }
    if (tt_req_int(v, shop, e, "quantity", "data.skus[].inventory[].quantity",
                   &q))
      return -1;
    if (q < 0 || q > OCU_JSON_INT_MAX - stock) {
      TT_UNEXPECTED(v, shop, "inventory quantity out of range");
      return -1;
    }
    stock += q;
  }
  *out_stock = stock;
  return 0;
}

void tt_read_listing(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                     oc_listing_result *res) {
  const cJSON *skus, *s;
  const char *st;
  char pid[21], want_pid[21] = "", want_sid[21] = "", sid[21];
  int64_t vnd, stock;
  int bad;

  if (l != NULL)
    tt_split_item_id(l->item_id, want_pid, want_sid);
  if (tt_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(data, "id"),
                "data.id", pid))
    return;
  if (want_pid[0] && strcmp(pid, want_pid) != 0) {
    TT_UNEXPECTED(&res->v, shop, "data.id is another product");
    return;
  }
  if ((st = tt_req_str(&res->v, shop, data, "status", "data.status")) == NULL)
    return;
  if (strcmp(st, "DELETED") == 0) {
    ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "status %s", st);
    return;
  }
  if ((skus = tt_req_array(&res->v, shop, data, "skus", "data.skus")) == NULL)
    return;
  s = tt_find_sku(&res->v, shop, skus, "id", want_sid[0] ? want_sid : NULL,
                  "data.skus", &bad);
  if (bad)
    return;
  if (s == NULL && !want_sid[0] && cJSON_GetArraySize(skus) > 0)
    s = cJSON_GetArrayItem(skus, 0);
  if (s == NULL) {
    ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "sku not found in product");
    return;
  }
  if (tt_obj_id(&res->v, shop, s, "data.skus[]", sid))
    return;
  if (tt_sku_amounts(&res->v, shop, s, &vnd, &stock))
    return;
  tt_set_item(res, pid, sid);
  res->price_vnd = vnd;
  res->stock = stock;
  res->active = strcmp(st, "ACTIVATE") == 0;
  /* DRAFT, PENDING, FAILED, PLATFORM_DEACTIVATED, FREEZE... read as not
   * active; say which (SELLER_DEACTIVATED is our own delist). */
  if (!res->active && strcmp(st, "SELLER_DEACTIVATED") != 0)
    ocu_fail(&res->v, shop, OC_OK, 0, "status %s", st);
}

/* Batch writes can answer code 0 with data.errors[] (per-product failures). */
void tt_read_write(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                   oc_listing_result *out) {
  oc_verdict *res = &out->v;
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


