/*
 * body.c — TikTok request bodies (see "Endpoints", "Money and SKUs"): one
 * builder per operation, named in the operation table (connector.c).
 */
#include "tiktok.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/claims.h"
#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

#define TT_OOM -2 /* body fillers: -1 err set, -2 out of memory */

/* Weight in kg as a decimal string: 250 -> "0.25", 1000 -> "1". */
static cJSON *tt_weight_kg(int32_t grams) {
  char buf[24];

  ocu_kg_text(grams, buf);
  return cJSON_CreateString(buf);
}

/* {"amount":"<whole dong>","currency":"VND"} (see "Money and SKUs"). */
static cJSON *tt_money(int64_t vnd) {
  char buf[24];
  cJSON *o = cJSON_CreateObject();

  snprintf(buf, sizeof buf, "%" PRId64, vnd);
  if (o == NULL || ocu_json_put(o, "amount", cJSON_CreateString(buf)) ||
      ocu_json_put(o, "currency", cJSON_CreateString("VND"))) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* [{"warehouse_id":"<w>","quantity":N}] */
static cJSON *tt_inventory(const char *wh, int64_t qty) {
  cJSON *arr = cJSON_CreateArray(), *o = cJSON_CreateObject();

  if (arr == NULL || o == NULL) {
    cJSON_Delete(arr);
    cJSON_Delete(o);
    return NULL;
  }
  if (ocu_json_put(arr, NULL, o) ||
      ocu_json_put(o, "warehouse_id", cJSON_CreateString(wh)) ||
      ocu_json_put(o, "quantity", ocu_json_int_raw(qty))) {
    cJSON_Delete(arr);
    return NULL;
  }
  return arr;
}

/* The title (within the limit) under "title" and the description. */
static int tt_add_text(cJSON *obj, const oc_listing *l) {
  return ocu_add_claim_text(obj, l, tt_limits.title_max_cp, "title");
}

static const char *tt_warehouse(const oc_shop *shop, char *err, size_t errlen) {
  const char *wh = ocu_opt_set(shop, "warehouse_id", err, errlen);

  if (wh == NULL)
    return NULL;
  if (!tt_valid_id(wh)) {
    ocu_err(err, errlen, "shop option \"warehouse_id\" is not a numeric id");
    return NULL;
  }
  return wh;
}

/* 1 if s is usable as an image uri: printable ASCII, no blanks or quotes. */
static int tt_valid_uri(const char *s) {
  for (; *s; s++)
    if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f || *s == '"' ||
        *s == '\\')
      return 0;
  return 1;
}

static int tt_fill_publish(cJSON *body, const oc_shop *shop,
                           const oc_listing *l, char *err, size_t errlen) {
  const char *cat, *img, *wh;
  cJSON *o, *arr, *sku;

  if (ocu_check_weight(l, "TikTok requires a package weight", err, errlen) ||
      (cat = ocu_category(shop, l, tt_valid_id, err, errlen)) == NULL)
    return -1;
  if ((img = ocu_opt_set(shop, "image_uri", err, errlen)) == NULL)
    return -1;
  if (!tt_valid_uri(img)) {
    ocu_err(err, errlen, "shop option \"image_uri\" is not a valid uri");
    return -1;
  }
  if ((wh = tt_warehouse(shop, err, errlen)) == NULL)
    return -1;

  if (tt_add_text(body, l) ||
      ocu_json_put(body, "category_id", cJSON_CreateString(cat)))
    return TT_OOM;
  if ((arr = ocu_json_arr(body, "main_images")) == NULL)
    return TT_OOM;
  if ((o = ocu_json_obj(arr, NULL)) == NULL || ocu_json_put(o, "uri", cJSON_CreateString(img)))
    return TT_OOM;
  if ((o = ocu_json_obj(body, "package_weight")) == NULL ||
      ocu_json_put(o, "value", tt_weight_kg(l->weight_g)) ||
      ocu_json_put(o, "unit", cJSON_CreateString("KILOGRAM")))
    return TT_OOM;
  if ((arr = ocu_json_arr(body, "skus")) == NULL)
    return TT_OOM;
  if ((sku = ocu_json_obj(arr, NULL)) == NULL ||
      ocu_json_put(sku, "seller_sku", cJSON_CreateString(l->sku)) ||
      ocu_json_put(sku, "price", tt_money(l->price_vnd)) ||
      ocu_json_put(sku, "inventory", tt_inventory(wh, l->stock)))
    return TT_OOM;
  return 0;
}

/* Ends a builder: the body as text; -1 with err set by the filler or OOM. */
static int tt_finish(cJSON *body, int filled, char **text, char *err, size_t errlen) {
  *text = NULL;
  if (body == NULL)
    filled = TT_OOM;
  if (filled == 0 && (*text = ocu_json_to_text(body)) != NULL)
    return 0;
  if (filled != 0)
    cJSON_Delete(body);
  if (filled != -1)
    ocu_err(err, errlen, "out of memory");
  return -1;
}

int tt_body_publish(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                    char *err, size_t errlen) {
  cJSON *body = cJSON_CreateObject();

  (void)op;
  return tt_finish(body, body ? tt_fill_publish(body, shop, l, err, errlen) : TT_OOM, text,
                   err, errlen);
}

int tt_body_update(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                   char *err, size_t errlen) {
  cJSON *body = cJSON_CreateObject();

  (void)op, (void)shop;
  return tt_finish(body, body && tt_add_text(body, l) == 0 ? 0 : TT_OOM, text, err, errlen);
}

static int tt_fill_sku(cJSON *body, oc_op op, const oc_shop *shop, const oc_listing *l,
                       char *err, size_t errlen) {
  char pid[21], sid[21];
  const char *wh = NULL;
  cJSON *arr, *o;

  tt_split_item_id(l->item_id, pid, sid); /* validated: OCU_NEED_ITEM */
  if (op == OC_OP_SET_STOCK && (wh = tt_warehouse(shop, err, errlen)) == NULL)
    return -1;
  if ((arr = ocu_json_arr(body, "skus")) == NULL)
    return TT_OOM;
  if ((o = ocu_json_obj(arr, NULL)) == NULL || ocu_json_put(o, "id", cJSON_CreateString(sid)))
    return TT_OOM;
  if (op == OC_OP_SET_STOCK)
    return ocu_json_put(o, "inventory", tt_inventory(wh, l->stock)) ? TT_OOM : 0;
  return ocu_json_put(o, "price", tt_money(l->price_vnd)) ? TT_OOM : 0;
}

/* SET_STOCK and SET_PRICE: {"skus": [{"id", "inventory" | "price"}]}. */
int tt_body_sku(oc_op op, const oc_shop *shop, const oc_listing *l, char **text, char *err,
                size_t errlen) {
  cJSON *body = cJSON_CreateObject();

  return tt_finish(body, body ? tt_fill_sku(body, op, shop, l, err, errlen) : TT_OOM, text,
                   err, errlen);
}

/* One key holding a one-string array: {"<key>": ["<value>"]}. */
static int tt_body_one(const char *key, const char *value, char **text, char *err,
                       size_t errlen) {
  cJSON *body = cJSON_CreateObject(), *arr = cJSON_CreateArray();

  if (ocu_json_put(body, key, arr) || ocu_json_put(arr, NULL, cJSON_CreateString(value)))
    return tt_finish(body, TT_OOM, text, err, errlen);
  return tt_finish(body, 0, text, err, errlen);
}

/* DELIST and RELIST: {"product_ids": ["<product_id>"]}. */
int tt_body_products(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                     char *err, size_t errlen) {
  char pid[21], sid[21];

  (void)op, (void)shop;
  tt_split_item_id(l->item_id, pid, sid);
  return tt_body_one("product_ids", pid, text, err, errlen);
}

/* LOOKUP_SKU: {"seller_skus": ["<sku>"]}. */
int tt_body_lookup(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                   char *err, size_t errlen) {
  (void)op, (void)shop;
  return tt_body_one("seller_skus", l->sku, text, err, errlen);
}
