/*
 * payload.c — the JSON business parameter of each Lazada listing call
 * (payload, apiRequestBody or sku_seller_list), in the shape and key order
 * of lazada.md, "Endpoints": one builder per operation, named in the
 * operation table (connector.c).
 */
#include "lazada.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/claims.h"
#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

/* Whole numbers as JSON strings ("150000", never 150000.0): see "Money and
 * SKUs". */
int lz_put_int(cJSON *obj, const char *key, int64_t v) {
  char buf[24];

  snprintf(buf, sizeof buf, "%" PRId64, v);
  return ocu_json_put(obj, key, cJSON_CreateString(buf));
}

/* The title (within the limit) under "name" and the description. */
static int lz_add_text(cJSON *obj, const oc_listing *l) {
  return ocu_add_claim_text(obj, l, lz_limits.title_max_cp, "name");
}

/* What PUBLISH needs, checked before anything is built: content (see
 * "Content") and every new SKU's package. */
static int lz_publish_check(const oc_listing *l, char *err, size_t errlen) {
  size_t i;

  if (ocu_live_variants(l) == 0) {
    ocu_err(err, errlen, "listing has no variant to publish");
    return -1;
  }
  for (i = 0; i < l->nvariants; i++)
    if (!l->variants[i].removed && lz_check_package(&l->variants[i], err, errlen))
      return -1;
  return lz_check_content(l, err, errlen);
}

/* Ends a builder: root as text, or -1 with "out of memory". */
int lz_print(cJSON *root, int filled, char **text, char *err, size_t errlen) {
  *text = filled == 0 ? ocu_json_to_text(root) : (cJSON_Delete(root), NULL);
  if (*text == NULL) {
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  return 0;
}

/* {"Request": {"Product": {...}}} around every product payload; NULL on OOM
 * (root, when made, is still the caller's to free). */
cJSON *lz_product(cJSON **root) {
  *root = cJSON_CreateObject();
  return ocu_json_obj(ocu_json_obj(*root, "Request"), "Product");
}

/* The Skus.Sku array of a product; NULL on OOM. */
cJSON *lz_sku_array(cJSON *prod) { return ocu_json_arr(ocu_json_obj(prod, "Skus"), "Sku"); }

/* The variant's id as the item knows it: "SkuId" when known. */
int lz_put_sku_id(cJSON *sku, const oc_variant *v) {
  if (v->remote_id == NULL || v->remote_id[0] == '\0')
    return 0;
  return ocu_json_put(sku, "SkuId", cJSON_CreateString(v->remote_id));
}

/* A new SKU: SellerSku, the sale property when the item has a variation,
 * quantity, price and the package (see "Variants"). */
int lz_put_new_sku(cJSON *arr, const oc_variant *v, const lz_axis *axis) {
  cJSON *sku = ocu_json_obj(arr, NULL);

  return sku == NULL || ocu_json_put(sku, "SellerSku", cJSON_CreateString(v->sku)) ||
         (axis != NULL && lz_put_sale_prop(sku, axis, v)) ||
         lz_put_int(sku, "quantity", v->stock) || lz_put_int(sku, "price", v->price_vnd) ||
         lz_put_package(sku, v);
}

static int lz_fill_skus(cJSON *prod, const oc_listing *l, const lz_axis *axis) {
  cJSON *arr = lz_sku_array(prod);
  size_t i;

  if (arr == NULL)
    return -1;
  for (i = 0; i < l->nvariants; i++)
    if (!l->variants[i].removed && lz_put_new_sku(arr, &l->variants[i], axis))
      return -1;
  return 0;
}

static int lz_fill_publish(cJSON *prod, const oc_listing *l, const lz_axis *axis) {
  cJSON *o;

  /* A single variant is an item without variation, as before variants. */
  return lz_put_category_images(prod, l) || (axis != NULL && lz_put_variation(prod, axis, l)) ||
         (o = ocu_json_obj(prod, "Attributes")) == NULL || lz_add_text(o, l) ||
         lz_put_attrs(o, l) || lz_fill_skus(prod, l, axis);
}

int lz_payload_publish(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                       char *err, size_t errlen) {
  cJSON *root, *prod;
  lz_axis axis;
  int multi;

  (void)op;
  *text = NULL;
  if (lz_publish_check(l, err, errlen))
    return -1;
  multi = ocu_live_variants(l) > 1;
  if (multi && lz_axis_of(shop, l, &axis, err, errlen))
    return -1;
  prod = lz_product(&root);
  return lz_print(root, prod == NULL || lz_fill_publish(prod, l, multi ? &axis : NULL), text,
                  err, errlen);
}

/* 1 when the variant is on the item and stays there. */
static int lz_on_item(const oc_variant *v) { return v->remote_id != NULL && !v->removed; }

/* {SkuId when known, SellerSku} of v, added to arr; NULL on OOM. */
static cJSON *lz_sku_ref(cJSON *arr, const oc_variant *v) {
  cJSON *sku = ocu_json_obj(arr, NULL);

  if (sku == NULL || lz_put_sku_id(sku, v) ||
      ocu_json_put(sku, "SellerSku", cJSON_CreateString(v->sku)))
    return NULL;
  return sku;
}

/* 1 when UPDATE names v: on the item, staying, with its SkuId known
 * (UpdateProduct's one mandatory SKU member). */
static int lz_updatable(const oc_variant *v) {
  return lz_on_item(v) && v->remote_id[0] != '\0';
}

/* What UPDATE needs: content, a SkuId to name the item by, and the package
 * of every SKU it names. A SKU on the item whose SkuId is not known yet
 * (a listing migrated from before ids were kept) is left out: Lazada
 * cannot locate it, and LOOKUP_SKU reads its id. */
static int lz_update_check(const oc_listing *l, char *err, size_t errlen) {
  size_t i, named = 0;

  for (i = 0; i < l->nvariants; i++) {
    if (!lz_updatable(&l->variants[i]))
      continue;
    if (lz_check_package(&l->variants[i], err, errlen))
      return -1;
    named++;
  }
  if (named == 0) {
    ocu_err(err, errlen,
            "Lazada's UpdateProduct needs each SKU's SkuId; no variant of the listing has a "
            "known SkuId yet");
    return -1;
  }
  return lz_check_content(l, err, errlen);
}

/* Skus.Sku[]: {SkuId, SellerSku, package} of every SKU UPDATE names. */
static int lz_update_skus(cJSON *prod, const oc_listing *l) {
  cJSON *arr = lz_sku_array(prod), *sku;
  size_t i;

  if (arr == NULL)
    return -1;
  for (i = 0; i < l->nvariants; i++)
    if (lz_updatable(&l->variants[i]) &&
        ((sku = lz_sku_ref(arr, &l->variants[i])) == NULL ||
         lz_put_package(sku, &l->variants[i])))
      return -1;
  return 0;
}

/* UPDATE: the item's category, images (the list replaces the item's: an
 * image the listing no longer has, such as a stripped OCOP claim, goes),
 * title, description, brand and attributes, and every SKU by SkuId. */
int lz_payload_update(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                      char *err, size_t errlen) {
  cJSON *root, *prod, *o;

  (void)op;
  (void)shop;
  *text = NULL;
  if (lz_update_check(l, err, errlen))
    return -1;
  prod = lz_product(&root);
  return lz_print(root,
                  prod == NULL ||
                      ocu_json_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
                      lz_put_category_images(prod, l) ||
                      (o = ocu_json_obj(prod, "Attributes")) == NULL || lz_add_text(o, l) ||
                      lz_put_attrs(o, l) || lz_update_skus(prod, l),
                  text, err, errlen);
}

/* "no variant ... is on the item": nothing a per-SKU call could name. */
static int lz_none_on_item(const oc_listing *l, int with_removed, char *err, size_t errlen) {
  size_t i;

  for (i = 0; i < l->nvariants; i++)
    if (l->variants[i].remote_id != NULL && (with_removed || !l->variants[i].removed))
      return 0;
  ocu_err(err, errlen, "no variant of the listing is on the Lazada item yet");
  return -1;
}

/* SET_STOCK and SET_PRICE: /product/price_quantity/update, one Sku per
 * variant on the item, absolute values (<= OC_MAX_VARIANTS = Lazada's 50). */
int lz_payload_price_qty(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                         char *err, size_t errlen) {
  cJSON *root, *prod, *arr, *sku;
  const oc_variant *v;
  size_t i;
  int bad = 0;

  (void)shop;
  *text = NULL;
  if (lz_none_on_item(l, 0, err, errlen))
    return -1;
  prod = lz_product(&root);
  bad = (arr = lz_sku_array(prod)) == NULL;
  for (i = 0; !bad && i < l->nvariants; i++) {
    if (!lz_on_item(v = &l->variants[i]))
      continue;
    bad = (sku = ocu_json_obj(arr, NULL)) == NULL ||
          ocu_json_put(sku, "ItemId", cJSON_CreateString(l->item_id)) ||
          lz_put_sku_id(sku, v) || ocu_json_put(sku, "SellerSku", cJSON_CreateString(v->sku)) ||
          (op == OC_OP_SET_STOCK ? lz_put_int(sku, "Quantity", v->stock)
                                 : lz_put_int(sku, "Price", v->price_vnd));
  }
  return lz_print(root, bad, text, err, errlen);
}

/* [unverified] DELIST: every SKU on the item (removed ones too: the item
 * goes down whole). */
int lz_payload_delist(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                      char *err, size_t errlen) {
  cJSON *root, *prod, *arr;
  size_t i;
  int bad;

  (void)op;
  (void)shop;
  *text = NULL;
  if (lz_none_on_item(l, 1, err, errlen))
    return -1;
  prod = lz_product(&root);
  bad = prod == NULL || ocu_json_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
        (arr = ocu_json_arr(ocu_json_obj(prod, "Skus"), "SellerSku")) == NULL;
  for (i = 0; !bad && i < l->nvariants; i++)
    if (l->variants[i].remote_id != NULL)
      bad = ocu_json_put(arr, NULL, cJSON_CreateString(l->variants[i].sku));
  return lz_print(root, bad, text, err, errlen);
}

/* [unverified] relist = UpdateProduct with each SKU's Status active. */
int lz_payload_relist(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                      char *err, size_t errlen) {
  cJSON *root, *prod, *arr, *sku;
  size_t i;
  int bad;

  (void)op;
  (void)shop;
  *text = NULL;
  if (lz_none_on_item(l, 0, err, errlen))
    return -1;
  prod = lz_product(&root);
  bad = prod == NULL || ocu_json_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
        (arr = lz_sku_array(prod)) == NULL;
  for (i = 0; !bad && i < l->nvariants; i++)
    if (lz_on_item(&l->variants[i]))
      bad = (sku = lz_sku_ref(arr, &l->variants[i])) == NULL ||
            ocu_json_put(sku, "Status", cJSON_CreateString("active"));
  return lz_print(root, bad, text, err, errlen);
}

/* LOOKUP_SKU by seller SKU: ["<product code>", "<variant sku>", ...], a
 * JSON array as text, each SKU once (a single variant whose SKU is the
 * product code searches ["<code>"] alone). */
int lz_payload_lookup(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                      char *err, size_t errlen) {
  cJSON *root = cJSON_CreateArray();
  size_t i, j;
  int bad;

  (void)op;
  (void)shop;
  bad = ocu_json_put(root, NULL, cJSON_CreateString(l->sku));
  for (i = 0; !bad && i < l->nvariants; i++) {
    const char *s = l->variants[i].sku;
    int seen = strcmp(s, l->sku) == 0;

    for (j = 0; !seen && j < i; j++)
      seen = strcmp(s, l->variants[j].sku) == 0;
    if (!seen)
      bad = ocu_json_put(root, NULL, cJSON_CreateString(s));
  }
  return lz_print(root, bad, text, err, errlen);
}
