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
  const char *p = list, *u;
  size_t count = 0, n;

  while ((u = ocu_list_next(&p, &n)) != NULL) {
    char *url;
    cJSON *s;

    if (!lz_valid_url(u, n)) {
      ocu_err(err, errlen, "shop option \"image_url\" holds an invalid URL");
      return -1;
    }
    if (++count > lz_limits.max_images) {
      ocu_err(err, errlen, "shop option \"image_url\" holds more than %zu URLs",
              lz_limits.max_images);
      return -1;
    }
    url = ocu_asprintf("%.*s", (int)n, u);
    s = url ? cJSON_CreateString(url) : NULL;
    free(url);
    if (ocu_json_put(arr, NULL, s)) {
      ocu_err(err, errlen, "out of memory");
      return -1;
    }
  }
  if (count == 0) {
    ocu_err(err, errlen, "shop option \"image_url\" is not set");
    return -1;
  }
  return 0;
}

/* The title (within the limit) under "name" and the description. */
static int lz_add_text(cJSON *obj, const oc_listing *l) {
  return ocu_add_claim_text(obj, l, lz_limits.title_max_cp, "name");
}

/* The options PUBLISH needs, checked before anything is built: every
 * variant that goes on the item needs its package weight. */
static int lz_publish_opts(const oc_shop *shop, const oc_listing *l,
                           const char **cat, const char **images, char *err,
                           size_t errlen) {
  size_t i;

  for (i = 0; i < l->nvariants; i++)
    if (!l->variants[i].removed &&
        ocu_check_weight(&l->variants[i], "Lazada requires a package weight", err, errlen))
      return -1;
  if (ocu_live_variants(l) == 0) {
    ocu_err(err, errlen, "listing has no variant to publish");
    return -1;
  }
  if ((*cat = ocu_category(shop, l, lz_valid_id, err, errlen)) == NULL)
    return -1;
  return (*images = ocu_opt_set(shop, "image_url", err, errlen)) == NULL ? -1 : 0;
}

/* Package weight in kg as a string: "0.25", never a float. */
static int lz_put_weight(cJSON *obj, int32_t grams) {
  char buf[24];

  ocu_kg_text(grams, buf);
  return ocu_json_put(obj, "package_weight", cJSON_CreateString(buf));
}

/* One package side in cm from mm: "12.5", "10"; "10" when the variant's
 * size is unknown (see "Money and SKUs"). */
static int lz_put_side(cJSON *obj, const char *key, int32_t mm, int known) {
  char buf[24];

  if (!known)
    snprintf(buf, sizeof buf, "10");
  else if (mm % 10 == 0)
    snprintf(buf, sizeof buf, "%" PRId32, mm / 10);
  else
    snprintf(buf, sizeof buf, "%" PRId32 ".%" PRId32, mm / 10, mm % 10);
  return ocu_json_put(obj, key, cJSON_CreateString(buf));
}

int lz_put_package(cJSON *sku, const oc_variant *v) {
  int known = v->length_mm > 0 && v->width_mm > 0 && v->height_mm > 0;

  return lz_put_weight(sku, v->weight_g) ||
         lz_put_side(sku, "package_length", v->length_mm, known) ||
         lz_put_side(sku, "package_width", v->width_mm, known) ||
         lz_put_side(sku, "package_height", v->height_mm, known);
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

static int lz_fill_publish(cJSON *prod, const oc_listing *l, const char *cat,
                           const char *images, const lz_axis *axis, char *err,
                           size_t errlen) {
  cJSON *arr, *o;

  if (ocu_json_put(prod, "PrimaryCategory", cJSON_CreateString(cat)) ||
      (arr = ocu_json_arr(ocu_json_obj(prod, "Images"), "Image")) == NULL)
    goto oom;
  if (lz_add_images(arr, images, err, errlen))
    return -1;
  /* A single variant is an item without variation, as before variants. */
  if (axis != NULL && lz_put_variation(prod, axis, l))
    goto oom;
  if ((o = ocu_json_obj(prod, "Attributes")) == NULL || lz_add_text(o, l) ||
      ocu_json_put(o, "brand", cJSON_CreateString("No Brand")) ||
      lz_fill_skus(prod, l, axis))
    goto oom;
  return 0;
oom:
  ocu_err(err, errlen, "out of memory");
  return -1;
}

int lz_payload_publish(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                       char *err, size_t errlen) {
  const char *cat = NULL, *images = NULL;
  cJSON *root, *prod;
  lz_axis axis;
  int multi;

  (void)op;
  *text = NULL;
  if (lz_publish_opts(shop, l, &cat, &images, err, errlen))
    return -1;
  multi = ocu_live_variants(l) > 1;
  if (multi && lz_axis_of(shop, l, &axis, err, errlen))
    return -1;
  if ((prod = lz_product(&root)) == NULL)
    return lz_print(root, -1, text, err, errlen);
  if (lz_fill_publish(prod, l, cat, images, multi ? &axis : NULL, err, errlen) != 0) {
    cJSON_Delete(root);
    return -1;
  }
  return lz_print(root, 0, text, err, errlen);
}

/* 1 when the variant is on the item and stays there. */
static int lz_on_item(const oc_variant *v) { return v->remote_id != NULL && !v->removed; }

/* The SKU that stands for the item in UPDATE: the first variant on the
 * item, else the first one not removed. */
static const oc_variant *lz_lead_variant(const oc_listing *l) {
  size_t i;

  for (i = 0; i < l->nvariants; i++)
    if (lz_on_item(&l->variants[i]))
      return &l->variants[i];
  for (i = 0; i < l->nvariants; i++)
    if (!l->variants[i].removed)
      return &l->variants[i];
  return &l->variants[0];
}

/* {SkuId when known, SellerSku} of v, added to arr; NULL on OOM. */
static cJSON *lz_sku_ref(cJSON *arr, const oc_variant *v) {
  cJSON *sku = ocu_json_obj(arr, NULL);

  if (sku == NULL || lz_put_sku_id(sku, v) ||
      ocu_json_put(sku, "SellerSku", cJSON_CreateString(v->sku)))
    return NULL;
  return sku;
}

int lz_payload_update(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                      char *err, size_t errlen) {
  cJSON *root, *prod = lz_product(&root), *o;

  (void)op;
  (void)shop;
  return lz_print(root,
                  prod == NULL ||
                      ocu_json_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
                      (o = ocu_json_obj(prod, "Attributes")) == NULL || lz_add_text(o, l) ||
                      lz_sku_ref(lz_sku_array(prod), lz_lead_variant(l)) == NULL,
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
