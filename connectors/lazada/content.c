/*
 * content.c — what a Lazada product carries besides price and stock (see
 * "Content"): the leaf category, the gallery images as Lazada-hosted URLs,
 * the brand, the category's attributes and every SKU's package. The checks
 * refuse, before anything is sent, what CreateProduct and UpdateProduct
 * would refuse; the fillers write the payload members. Nothing here is a
 * constant about a product: all of it comes from the listing.
 */
#include "lazada.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

/* Hosts Lazada serves its images from: the upload answers name
 * <country>-live[-NN].slatic.net; newer pages show img.lazcdn.com. */
static const char *const lz_image_hosts[] = {".slatic.net", ".lazcdn.com"};

/* 1 when u is http(s)://<host>/<path> on a Lazada image host, with no
 * space, quote or control character anywhere. */
int lz_lazada_url(const char *u) {
  const char *host, *end;
  size_t i, n, hl;

  if (u == NULL)
    return 0;
  if (strncmp(u, "https://", 8) == 0)
    host = u + 8;
  else if (strncmp(u, "http://", 7) == 0)
    host = u + 7;
  else
    return 0;
  for (i = 0; u[i]; i++)
    if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f || u[i] == '"' || u[i] == '\\' ||
        u[i] == '<' || u[i] == '>')
      return 0;
  end = strchr(host, '/');
  if (end == NULL || end == host || end[1] == '\0')
    return 0;
  hl = (size_t)(end - host);
  for (i = 0; i < sizeof lz_image_hosts / sizeof lz_image_hosts[0]; i++) {
    n = strlen(lz_image_hosts[i]);
    if (hl > n && memcmp(end - n, lz_image_hosts[i], n) == 0)
      return 1;
  }
  return 0;
}

/* The gallery images (certificate images go nowhere on Lazada): at least
 * one, every one a URL Lazada returned. */
static int lz_check_images(const oc_listing *l, char *err, size_t errlen) {
  size_t i, gallery = 0;

  for (i = 0; l->images != NULL && i < l->nimages; i++) {
    if (l->images[i].certificate)
      continue;
    gallery++;
    if (!lz_lazada_url(l->images[i].url)) {
      ocu_err(err, errlen,
              "Lazada takes only images it hosts (uploaded with /image/upload); image %zu "
              "of the listing has no Lazada URL",
              i + 1);
      return -1;
    }
  }
  if (gallery == 0) {
    ocu_err(err, errlen, "Lazada requires at least one product image; the listing has none");
    return -1;
  }
  return 0;
}

/* Every package member a SKU must carry (CreateProduct: mandatory). */
int lz_check_package(const oc_variant *v, char *err, size_t errlen) {
  if (v->weight_g <= 0) {
    ocu_err(err, errlen, "Lazada requires a package weight for every SKU; variant %s has none",
            v->sku);
    return -1;
  }
  if (v->length_mm <= 0 || v->width_mm <= 0 || v->height_mm <= 0) {
    ocu_err(err, errlen,
            "Lazada requires package length, width and height for every SKU; variant %s "
            "lacks them",
            v->sku);
    return -1;
  }
  return 0;
}

/* An attribute the listing sends under Attributes: a key of its own, none
 * of those the connector writes itself. */
static int lz_attr_ok(const oc_attr *a) {
  static const char *const own[] = {"name", "description", "brand", "brand_id"};
  size_t i;

  if (a->id == NULL || a->id[0] == '\0' || a->value == NULL || a->value[0] == '\0')
    return 0;
  for (i = 0; i < sizeof own / sizeof own[0]; i++)
    if (strcmp(a->id, own[i]) == 0)
      return 0;
  return 1;
}

int lz_check_content(const oc_listing *l, char *err, size_t errlen) {
  size_t i;

  if (ocu_empty(l->category_id)) {
    ocu_err(err, errlen, "Lazada requires a leaf category (PrimaryCategory); the listing has none");
    return -1;
  }
  if (!lz_valid_id(l->category_id)) {
    ocu_err(err, errlen, "Lazada category ids are numeric; the listing's is not");
    return -1;
  }
  if (lz_check_images(l, err, errlen))
    return -1;
  if (ocu_empty(l->brand_id)) {
    ocu_err(err, errlen, "Lazada requires a brand (brand_id); the listing has none");
    return -1;
  }
  for (i = 0; l->attrs != NULL && i < l->nattrs; i++)
    if (!lz_attr_ok(&l->attrs[i])) {
      ocu_err(err, errlen, "attribute %zu of the listing has no Lazada key or no value", i + 1);
      return -1;
    }
  return 0;
}

/* PrimaryCategory and Images.Image: the gallery in order, main first, at
 * most LZ_MAX_IMAGES (Lazada takes 8; the ninth and later are left out). */
int lz_put_category_images(cJSON *prod, const oc_listing *l) {
  cJSON *arr;
  size_t i, n = 0;

  if (ocu_json_put(prod, "PrimaryCategory", cJSON_CreateString(l->category_id)) ||
      (arr = ocu_json_arr(ocu_json_obj(prod, "Images"), "Image")) == NULL)
    return -1;
  for (i = 0; i < l->nimages && n < LZ_MAX_IMAGES; i++) {
    if (l->images[i].certificate)
      continue;
    if (ocu_json_put(arr, NULL, cJSON_CreateString(l->images[i].url)))
      return -1;
    n++;
  }
  return 0;
}

/* Attributes after name and description: brand_id (the "brand" name is
 * deprecated), then the category's attributes by key, as text. */
int lz_put_attrs(cJSON *attrs, const oc_listing *l) {
  size_t i;

  if (ocu_json_put(attrs, "brand_id", cJSON_CreateString(l->brand_id)))
    return -1;
  for (i = 0; i < l->nattrs; i++)
    if (cJSON_GetObjectItemCaseSensitive(attrs, l->attrs[i].id) == NULL &&
        ocu_json_put(attrs, l->attrs[i].id, cJSON_CreateString(l->attrs[i].value)))
      return -1;
  return 0;
}

/* Weight in kg with at most two decimals (Lazada's limit), rounded up to
 * the next 10 g so that a parcel is never declared lighter than it is:
 * 250 -> "0.25", 1000 -> "1", 1005 -> "1.01". */
static void lz_kg2(int32_t grams, char buf[24]) {
  int64_t cg = ((int64_t)grams + 9) / 10; /* hundredths of a kg */

  if (cg % 100 == 0)
    snprintf(buf, 24, "%" PRId64, cg / 100);
  else if (cg % 10 == 0)
    snprintf(buf, 24, "%" PRId64 ".%" PRId64, cg / 100, (cg % 100) / 10);
  else
    snprintf(buf, 24, "%" PRId64 ".%02" PRId64, cg / 100, cg % 100);
}

/* One side in cm from mm: "12.5", "10". */
static int lz_put_side(cJSON *obj, const char *key, int32_t mm) {
  char buf[24];

  if (mm % 10 == 0)
    snprintf(buf, sizeof buf, "%" PRId32, mm / 10);
  else
    snprintf(buf, sizeof buf, "%" PRId32 ".%" PRId32, mm / 10, mm % 10);
  return ocu_json_put(obj, key, cJSON_CreateString(buf));
}

/* The four package members, from the variant (lz_check_package first). */
int lz_put_package(cJSON *sku, const oc_variant *v) {
  char kg[24];

  lz_kg2(v->weight_g, kg);
  return ocu_json_put(sku, "package_weight", cJSON_CreateString(kg)) ||
         lz_put_side(sku, "package_length", v->length_mm) ||
         lz_put_side(sku, "package_width", v->width_mm) ||
         lz_put_side(sku, "package_height", v->height_mm);
}
