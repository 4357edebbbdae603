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

/* The heaviest variant on the item: TikTok 202309 weighs the product, not
 * each SKU, and a parcel declared too light is charged the difference. */
static int tt_package_weight(const oc_listing *l, int32_t *grams, char *err, size_t errlen) {
  size_t i;

  *grams = 0;
  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];

    if (v->removed)
      continue;
    if (ocu_check_weight(v, "TikTok requires a package weight", err, errlen))
      return -1;
    if (v->weight_g > *grams)
      *grams = v->weight_g;
  }
  return 0;
}

/* [{"name": <variation name>, "value_name": <label>}] */
static cJSON *tt_sales_attributes(const char *name, const char *label) {
  cJSON *arr = cJSON_CreateArray(), *o = cJSON_CreateObject();

  if (arr == NULL || o == NULL) {
    cJSON_Delete(arr);
    cJSON_Delete(o);
    return NULL;
  }
  if (ocu_json_put(arr, NULL, o) || ocu_json_put(o, "name", cJSON_CreateString(name)) ||
      ocu_json_put(o, "value_name", cJSON_CreateString(label))) {
    cJSON_Delete(arr);
    return NULL;
  }
  return arr;
}

/* One entry of skus[] for PUBLISH and VARIANTS: {"id"?, "seller_sku",
 * "price", "inventory", "sales_attributes"?}. `id` is NULL for a SKU to
 * create; `name` is NULL for a product without variation. */
static int tt_put_sku(cJSON *arr, const oc_variant *v, const char *id, const char *wh,
                      const char *name) {
  cJSON *sku = ocu_json_obj(arr, NULL);

  if (sku == NULL || (id != NULL && ocu_json_put(sku, "id", cJSON_CreateString(id))) ||
      ocu_json_put(sku, "seller_sku", cJSON_CreateString(v->sku)) ||
      ocu_json_put(sku, "price", tt_money(v->price_vnd)) ||
      ocu_json_put(sku, "inventory", tt_inventory(wh, v->stock)))
    return TT_OOM;
  if (name != NULL && ocu_json_put(sku, "sales_attributes", tt_sales_attributes(name, v->label)))
    return TT_OOM;
  return 0;
}

/* The variation name when the item has several variants, else NULL. A
 * name TikTok would refuse (empty, over 20 characters) is ours to refuse. */
static const char *tt_axis(const oc_shop *shop, const oc_listing *l, char *err,
                           size_t errlen, int *bad) {
  const char *name;

  size_t i, j;

  *bad = 0;
  if (ocu_live_variants(l) < 2)
    return NULL;
  name = tt_variation_name(shop, l);
  if (ocu_utf8_count(name) > TT_ATTR_NAME_MAX_CP) {
    ocu_err(err, errlen, "variation name is longer than %d characters", TT_ATTR_NAME_MAX_CP);
    *bad = 1;
  }
  for (i = 0; i < l->nvariants && !*bad; i++) {
    const oc_variant *v = &l->variants[i];

    if (v->removed)
      continue;
    if (ocu_utf8_count(v->label) > TT_ATTR_VALUE_MAX_CP) {
      ocu_err(err, errlen, "variant label is longer than %d characters", TT_ATTR_VALUE_MAX_CP);
      *bad = 1;
    }
    for (j = 0; j < i && !*bad; j++)
      if (!l->variants[j].removed && strcmp(l->variants[j].label, v->label) == 0) {
        ocu_err(err, errlen, "two variants have the same label (TikTok refuses a "
                             "repeated sales attribute value)");
        *bad = 1;
      }
  }
  return name;
}

/* skus[]: one per variant that is not removed, in catalogue order; with
 * `ids`, a variant already on the item carries its sku id (partial edit:
 * kept), the others none (created); removed ones are left out (deleted). */
static int tt_put_skus(cJSON *body, const oc_shop *shop, const oc_listing *l, const char *wh,
                       int ids, char *err, size_t errlen) {
  const char *name;
  cJSON *arr;
  size_t i;
  int bad;

  name = tt_axis(shop, l, err, errlen, &bad);
  if (bad)
    return -1;
  if ((arr = ocu_json_arr(body, "skus")) == NULL)
    return TT_OOM;
  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];
    int r;

    if (v->removed)
      continue;
    if ((r = tt_put_sku(arr, v, ids ? v->remote_id : NULL, wh, name)) != 0)
      return r;
  }
  return 0;
}

/* package_weight {value (kg, up to 3 decimals), unit KILOGRAM}. */
static int tt_put_weight(cJSON *body, int32_t grams) {
  cJSON *o = ocu_json_obj(body, "package_weight");

  if (o == NULL || ocu_json_put(o, "value", tt_weight_kg(grams)) ||
      ocu_json_put(o, "unit", cJSON_CreateString("KILOGRAM")))
    return TT_OOM;
  return 0;
}

/* PUBLISH: Create Product with the listing's content, its SKUs and the
 * idempotency key derived from the product code. */
static int tt_fill_publish(cJSON *body, const oc_shop *shop,
                           const oc_listing *l, char *err, size_t errlen) {
  const char *wh;
  char key[71];
  int32_t grams;
  int r;

  if (ocu_live_variants(l) == 0) {
    ocu_err(err, errlen, "listing has no variant that is not removed");
    return -1;
  }
  if (tt_check_title(l, err, errlen) || tt_check_content(l, err, errlen) ||
      tt_package_weight(l, &grams, err, errlen))
    return -1;
  if ((wh = tt_warehouse(shop, err, errlen)) == NULL)
    return -1;
  if (tt_idempotency_key(l, key))
    return TT_OOM;
  if (tt_add_text(body, l) || tt_put_content(body, l, 0) || tt_put_weight(body, grams))
    return TT_OOM;
  if ((r = tt_put_skus(body, shop, l, wh, 0, err, errlen)) != 0)
    return r;
  return ocu_json_put(body, "idempotency_key", cJSON_CreateString(key)) ? TT_OOM : 0;
}

/* UPDATE: a partial edit of the text and the content. Every top-level
 * field sent replaces the product's; the package weight goes along when
 * every variant's is known. */
static int tt_fill_update(cJSON *body, const oc_listing *l, char *err, size_t errlen) {
  char why[128];
  int32_t grams;

  if (tt_check_title(l, err, errlen) || tt_check_content(l, err, errlen))
    return -1;
  if (tt_add_text(body, l) || tt_put_content(body, l, 1))
    return TT_OOM;
  if (tt_package_weight(l, &grams, why, sizeof why) == 0 && grams > 0)
    return tt_put_weight(body, grams);
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
  return tt_finish(body, body ? tt_fill_update(body, l, err, errlen) : TT_OOM, text, err,
                   errlen);
}

/* Every variant on the item must be addressed by its sku id: "" (on the
 * item, id unknown) needs LOOKUP_SKU first. 0, or -1 with err set. */
static int tt_ids_known(const oc_listing *l, char *err, size_t errlen) {
  size_t i, on = 0;

  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];

    if (v->removed || v->remote_id == NULL)
      continue;
    if (!tt_valid_id(v->remote_id)) {
      ocu_err(err, errlen, "variant remote_id is not a TikTok sku id (LOOKUP_SKU reads it)");
      return -1;
    }
    on++;
  }
  if (on == 0) {
    ocu_err(err, errlen, "listing has no variant on the item");
    return -1;
  }
  return 0;
}

static int tt_fill_sku(cJSON *body, oc_op op, const oc_shop *shop, const oc_listing *l,
                       char *err, size_t errlen) {
  const char *wh = NULL;
  cJSON *arr, *o;
  size_t i;

  if (tt_ids_known(l, err, errlen))
    return -1;
  if (op == OC_OP_SET_STOCK && (wh = tt_warehouse(shop, err, errlen)) == NULL)
    return -1;
  if ((arr = ocu_json_arr(body, "skus")) == NULL)
    return TT_OOM;
  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];
    cJSON *val;

    if (v->removed || v->remote_id == NULL)
      continue;
    if ((o = ocu_json_obj(arr, NULL)) == NULL ||
        ocu_json_put(o, "id", cJSON_CreateString(v->remote_id)))
      return TT_OOM;
    val = op == OC_OP_SET_STOCK ? tt_inventory(wh, v->stock) : tt_money(v->price_vnd);
    if (ocu_json_put(o, op == OC_OP_SET_STOCK ? "inventory" : "price", val))
      return TT_OOM;
  }
  return 0;
}

/* SET_STOCK and SET_PRICE: {"skus": [{"id", "inventory" | "price"}]}, one
 * entry per variant on the item, in one call. */
int tt_body_sku(oc_op op, const oc_shop *shop, const oc_listing *l, char **text, char *err,
                size_t errlen) {
  cJSON *body = cJSON_CreateObject();

  return tt_finish(body, body ? tt_fill_sku(body, op, shop, l, err, errlen) : TT_OOM, text,
                   err, errlen);
}

/* A one-string array under key: {"<key>": ["<value>"]}. */
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
  (void)op, (void)shop;
  return tt_body_one("product_ids", l->item_id, text, err, errlen);
}

/* 1 when s is l->sku or the SKU of a variant before index `before`. */
static int tt_sku_seen(const oc_listing *l, size_t before, const char *s) {
  size_t i;

  if (strcmp(s, l->sku) == 0)
    return 1;
  for (i = 0; i < before; i++)
    if (strcmp(s, l->variants[i].sku) == 0)
      return 1;
  return 0;
}

/* LOOKUP_SKU by SKU: {"seller_skus": [<product code>, <each other variant
 * SKU>]}: the product is found by any of its SKUs (a single-variant product
 * whose SKU is its code sends the one string it always did). By item id
 * LOOKUP_SKU is a GET without a body. */
int tt_body_lookup(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                   char *err, size_t errlen) {
  cJSON *body, *arr;
  size_t i;

  (void)op, (void)shop;
  *text = NULL;
  if (!ocu_empty(l->item_id))
    return 0;
  body = cJSON_CreateObject();
  if (body == NULL || (arr = ocu_json_arr(body, "seller_skus")) == NULL ||
      ocu_json_put(arr, NULL, cJSON_CreateString(l->sku)))
    return tt_finish(body, TT_OOM, text, err, errlen);
  for (i = 0; i < l->nvariants; i++)
    if (!tt_sku_seen(l, i, l->variants[i].sku) &&
        ocu_json_put(arr, NULL, cJSON_CreateString(l->variants[i].sku)))
      return tt_finish(body, TT_OOM, text, err, errlen);
  return tt_finish(body, 0, text, err, errlen);
}

/* VARIANTS: the partial edit {"skus": [...]} that makes the item's SKUs
 * the catalogue's: kept by id, created without, removed by leaving out. A
 * variant on the item whose id is unknown ("") cannot be kept by id, and
 * sending it without one would create a second SKU with its seller_sku:
 * refused (LOOKUP_SKU reads the ids first). */
static int tt_fill_variants(cJSON *body, const oc_shop *shop, const oc_listing *l, char *err,
                            size_t errlen) {
  const char *wh;
  size_t i;

  if (ocu_live_variants(l) == 0) {
    ocu_err(err, errlen, "every variant is removed: TikTok keeps at least one SKU "
                         "(delist the item instead)");
    return -1;
  }
  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];

    if (!v->removed && v->remote_id != NULL && !tt_valid_id(v->remote_id)) {
      ocu_err(err, errlen, "variant remote_id is not a TikTok sku id (LOOKUP_SKU reads it)");
      return -1;
    }
  }
  if ((wh = tt_warehouse(shop, err, errlen)) == NULL)
    return -1;
  return tt_put_skus(body, shop, l, wh, 1, err, errlen);
}

int tt_body_variants(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                     char *err, size_t errlen) {
  cJSON *body = cJSON_CreateObject();

  (void)op;
  return tt_finish(body, body ? tt_fill_variants(body, shop, l, err, errlen) : TT_OOM, text,
                   err, errlen);
}
