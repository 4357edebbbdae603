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
static int lz_put_int(cJSON *obj, const char *key, int64_t v) {
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

/* The options PUBLISH needs, checked before anything is built. */
static int lz_publish_opts(const oc_shop *shop, const oc_listing *l,
                           const char **cat, const char **images, char *err,
                           size_t errlen) {
  if (ocu_check_weight(l, "Lazada requires a package weight", err, errlen) ||
      (*cat = ocu_category(shop, l, lz_valid_id, err, errlen)) == NULL)
    return -1;
  return (*images = ocu_opt_set(shop, "image_url", err, errlen)) == NULL ? -1 : 0;
}

/* Package weight in kg as a string: "0.25", never a float. */
static int lz_put_weight(cJSON *obj, int32_t grams) {
  char buf[24];

  ocu_kg_text(grams, buf);
  return ocu_json_put(obj, "package_weight", cJSON_CreateString(buf));
}

/* Ends a builder: root as text, or -1 with "out of memory". */
static int lz_print(cJSON *root, int filled, char **text, char *err, size_t errlen) {
  *text = filled == 0 ? ocu_json_to_text(root) : (cJSON_Delete(root), NULL);
  if (*text == NULL) {
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  return 0;
}

/* {"Request": {"Product": {...}}} around every product payload; NULL on OOM
 * (root, when made, is still the caller's to free). */
static cJSON *lz_product(cJSON **root) {
  *root = cJSON_CreateObject();
  return ocu_json_obj(ocu_json_obj(*root, "Request"), "Product");
}

/* {"Skus": {"Sku": [{...}]}}: the one SKU object; NULL on OOM. */
static cJSON *lz_sku(cJSON *prod) {
  cJSON *arr = ocu_json_arr(ocu_json_obj(prod, "Skus"), "Sku");

  return arr ? ocu_json_obj(arr, NULL) : NULL;
}

static int lz_fill_publish(cJSON *prod, const oc_listing *l, const char *cat,
                           const char *images, char *err, size_t errlen) {
  cJSON *arr, *o, *sku;

  if (ocu_json_put(prod, "PrimaryCategory", cJSON_CreateString(cat)) ||
      (arr = ocu_json_arr(ocu_json_obj(prod, "Images"), "Image")) == NULL)
    goto oom;
  if (lz_add_images(arr, images, err, errlen))
    return -1;
  if ((o = ocu_json_obj(prod, "Attributes")) == NULL || lz_add_text(o, l) ||
      ocu_json_put(o, "brand", cJSON_CreateString("No Brand")) ||
      (sku = lz_sku(prod)) == NULL ||
      ocu_json_put(sku, "SellerSku", cJSON_CreateString(l->sku)) ||
      lz_put_int(sku, "quantity", l->stock) || lz_put_int(sku, "price", l->price_vnd) ||
      lz_put_weight(sku, l->weight_g) ||
      ocu_json_put(sku, "package_length", cJSON_CreateString("10")) ||
      ocu_json_put(sku, "package_width", cJSON_CreateString("10")) ||
      ocu_json_put(sku, "package_height", cJSON_CreateString("10")))
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
  int r;

  (void)op;
  *text = NULL;
  if (lz_publish_opts(shop, l, &cat, &images, err, errlen))
    return -1;
  if ((prod = lz_product(&root)) == NULL)
    return lz_print(root, -1, text, err, errlen);
  if ((r = lz_fill_publish(prod, l, cat, images, err, errlen)) != 0) {
    cJSON_Delete(root);
    return -1;
  }
  return lz_print(root, 0, text, err, errlen);
}

int lz_payload_update(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                      char *err, size_t errlen) {
  cJSON *root, *prod = lz_product(&root), *o, *sku;

  (void)op;
  (void)shop;
  return lz_print(root,
                  prod == NULL ||
                      ocu_json_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
                      (o = ocu_json_obj(prod, "Attributes")) == NULL || lz_add_text(o, l) ||
                      (sku = lz_sku(prod)) == NULL ||
                      ocu_json_put(sku, "SellerSku", cJSON_CreateString(l->sku)),
                  text, err, errlen);
}

/* SET_STOCK and SET_PRICE: /product/price_quantity/update. */
int lz_payload_price_qty(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                         char *err, size_t errlen) {
  cJSON *root, *prod = lz_product(&root), *sku;

  (void)shop;
  return lz_print(root,
                  prod == NULL || (sku = lz_sku(prod)) == NULL ||
                      ocu_json_put(sku, "ItemId", cJSON_CreateString(l->item_id)) ||
                      ocu_json_put(sku, "SellerSku", cJSON_CreateString(l->sku)) ||
                      (op == OC_OP_SET_STOCK ? lz_put_int(sku, "Quantity", l->stock)
                                             : lz_put_int(sku, "Price", l->price_vnd)),
                  text, err, errlen);
}

int lz_payload_delist(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                      char *err, size_t errlen) {
  cJSON *root, *prod = lz_product(&root), *arr;

  (void)op;
  (void)shop;
  return lz_print(root,
                  prod == NULL ||
                      ocu_json_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
                      (arr = ocu_json_arr(ocu_json_obj(prod, "Skus"), "SellerSku")) == NULL ||
                      ocu_json_put(arr, NULL, cJSON_CreateString(l->sku)),
                  text, err, errlen);
}

/* [unverified] relist = UpdateProduct with SKU Status active. */
int lz_payload_relist(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                      char *err, size_t errlen) {
  cJSON *root, *prod = lz_product(&root), *sku;

  (void)op;
  (void)shop;
  return lz_print(root,
                  prod == NULL ||
                      ocu_json_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
                      (sku = lz_sku(prod)) == NULL ||
                      ocu_json_put(sku, "SellerSku", cJSON_CreateString(l->sku)) ||
                      ocu_json_put(sku, "Status", cJSON_CreateString("active")),
                  text, err, errlen);
}

/* LOOKUP_SKU: ["<sku>"], a JSON array as text. */
int lz_payload_lookup(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                      char *err, size_t errlen) {
  cJSON *root = cJSON_CreateArray();

  (void)op;
  (void)shop;
  return lz_print(root, ocu_json_put(root, NULL, cJSON_CreateString(l->sku)), text, err,
                  errlen);
}
