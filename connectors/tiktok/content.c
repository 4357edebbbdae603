/*
 * content.c — the listing's content in a create or edit body (see
 * "Content" in tiktok.md): the title's length, the leaf category, the
 * brand, main_images, product_attributes, certifications and the package
 * sizes, all from the listing the core resolved against the category's
 * rules (CATEGORY). Nothing here is a constant of a product.
 */
#include "tiktok.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/claims.h"
#include "../common/hmac.h"
#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

/* 1 if s is usable as an image uri: 1..255 bytes of printable ASCII
 * without blanks or quotes (TikTok's uris are "tos-.../<hex>"). */
int tt_valid_uri(const char *s) {
  size_t n = 0;

  if (s == NULL)
    return 0;
  for (; s[n]; n++)
    if ((unsigned char)s[n] <= 0x20 || (unsigned char)s[n] >= 0x7f || s[n] == '"' ||
        s[n] == '\\')
      return 0;
  return n > 0 && n < 256;
}

/* The title as sent (name and claim, cut to 255) must hold 25..255 code
 * points: Create Product's limit for every region but DE, ES, FR, IE, IT,
 * JP, UK, US (1..255) and BR, MX (1..300). */
int tt_check_title(const oc_listing *l, char *err, size_t errlen) {
  char *title = ocu_claim_title(l, TT_TITLE_MAX_CP);
  size_t n;

  if (title == NULL) {
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  n = ocu_utf8_count(title);
  free(title);
  if (n < TT_TITLE_MIN_CP) {
    ocu_err(err, errlen, "TikTok requires a title of %d-%d characters; this one has %zu",
            TT_TITLE_MIN_CP, TT_TITLE_MAX_CP, n);
    return -1;
  }
  return 0;
}

/* What every create or edit needs of the content: a leaf category id, a
 * main image, usable image uris, attribute ids. 0, or -1 with err. */
int tt_check_content(const oc_listing *l, char *err, size_t errlen) {
  size_t i, gallery = 0;

  if (ocu_empty(l->category_id)) {
    ocu_err(err, errlen, "TikTok requires a leaf category; this listing has none");
    return -1;
  }
  if (!tt_valid_id(l->category_id)) {
    ocu_err(err, errlen, "listing category_id is not a TikTok category id");
    return -1;
  }
  if (!ocu_empty(l->brand_id) && !tt_valid_id(l->brand_id)) {
    ocu_err(err, errlen, "listing brand_id is not a TikTok brand id");
    return -1;
  }
  for (i = 0; i < l->nimages; i++) {
    if (!tt_valid_uri(l->images[i].remote_id)) {
      ocu_err(err, errlen, "image %zu has no TikTok uri (UPLOAD_IMAGE returns it)", i + 1);
      return -1;
    }
    gallery += !l->images[i].certificate;
  }
  if (gallery == 0) {
    ocu_err(err, errlen, "TikTok requires at least one main image; this listing has none");
    return -1;
  }
  if (gallery > TT_MAIN_IMAGES_MAX) {
    ocu_err(err, errlen, "TikTok takes at most %d main images; this listing has %zu",
            TT_MAIN_IMAGES_MAX, gallery);
    return -1;
  }
  for (i = 0; i < l->nattrs; i++)
    if (!tt_valid_id(l->attrs[i].id) ||
        (!ocu_empty(l->attrs[i].value_id) && !tt_valid_id(l->attrs[i].value_id)) ||
        (ocu_empty(l->attrs[i].value_id) && ocu_empty(l->attrs[i].value))) {
      ocu_err(err, errlen, "attribute %zu is not a TikTok attribute id and value", i + 1);
      return -1;
    }
  return 0;
}

/* [{"uri": ...}] of the gallery (certificate == 0) or certificate images. */
static cJSON *tt_uris(const oc_listing *l, int certificate) {
  cJSON *arr = cJSON_CreateArray(), *o;
  size_t i;

  for (i = 0; arr != NULL && i < l->nimages; i++) {
    if (!l->images[i].certificate != !certificate)
      continue;
    if ((o = ocu_json_obj(arr, NULL)) == NULL ||
        ocu_json_put(o, "uri", cJSON_CreateString(l->images[i].remote_id))) {
      cJSON_Delete(arr);
      return NULL;
    }
  }
  return arr;
}

/* One attribute value: {"id"} for a listed value, {"name"} for free text
 * (TikTok takes the id when both are given, so only one is sent). */
static int tt_attr_value(cJSON *values, const oc_attr *a) {
  cJSON *v = ocu_json_obj(values, NULL);

  if (v == NULL)
    return -1;
  if (!ocu_empty(a->value_id))
    return ocu_json_put(v, "id", cJSON_CreateString(a->value_id));
  return ocu_json_put(v, "name", cJSON_CreateString(a->value));
}

/* product_attributes: [{"id", "values": [...]}], one entry per attribute
 * id in the listing's order; several values of one id (a multiple
 * selection) join that entry. */
static cJSON *tt_attributes(const oc_listing *l) {
  cJSON *arr = cJSON_CreateArray();
  size_t i, j;

  for (i = 0; arr != NULL && i < l->nattrs; i++) {
    cJSON *o, *values;

    for (j = 0; j < i && strcmp(l->attrs[j].id, l->attrs[i].id) != 0; j++)
      ;
    if (j < i)
      continue; /* joined the first entry of its id */
    if ((o = ocu_json_obj(arr, NULL)) == NULL ||
        ocu_json_put(o, "id", cJSON_CreateString(l->attrs[i].id)) ||
        (values = ocu_json_arr(o, "values")) == NULL)
      goto oom;
    for (j = i; j < l->nattrs; j++)
      if (strcmp(l->attrs[j].id, l->attrs[i].id) == 0 && tt_attr_value(values, &l->attrs[j]))
        goto oom;
  }
  return arr;
oom:
  cJSON_Delete(arr);
  return NULL;
}

/* certifications: [{"id", "images": [{"uri"}]}] when the listing names the
 * certification its certificate images prove and has some; else []. */
static cJSON *tt_certifications(const oc_listing *l) {
  cJSON *arr = cJSON_CreateArray(), *o;
  size_t i, n = 0;

  for (i = 0; i < l->nimages; i++)
    n += l->images[i].certificate != 0;
  if (arr == NULL || ocu_empty(l->certification_id) || n == 0)
    return arr;
  if ((o = ocu_json_obj(arr, NULL)) == NULL ||
      ocu_json_put(o, "id", cJSON_CreateString(l->certification_id)) ||
      ocu_json_put(o, "images", tt_uris(l, 1))) {
    cJSON_Delete(arr);
    return NULL;
  }
  return arr;
}

/* Whole centimetres, rounded up: TikTok takes positive whole numbers, and
 * a parcel declared smaller than it is costs the difference. */
static void tt_cm(int32_t mm, char buf[16]) { snprintf(buf, 16, "%ld", ((long)mm + 9) / 10); }

/* The package's sizes: the largest of each over the variants on the item,
 * when every one of them has all three (TikTok takes all three or none). */
static int tt_dimensions(const oc_listing *l, int32_t out[3]) {
  size_t i;

  out[0] = out[1] = out[2] = 0;
  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];

    if (v->removed)
      continue;
    if (v->length_mm <= 0 || v->width_mm <= 0 || v->height_mm <= 0)
      return 0;
    out[0] = v->length_mm > out[0] ? v->length_mm : out[0];
    out[1] = v->width_mm > out[1] ? v->width_mm : out[1];
    out[2] = v->height_mm > out[2] ? v->height_mm : out[2];
  }
  return out[0] > 0;
}

/* package_dimensions {length, width, height, unit CENTIMETER} when known
 * (unit of the same system as package_weight's KILOGRAM). */
static int tt_put_dimensions(cJSON *body, const oc_listing *l) {
  static const char *const keys[3] = {"length", "width", "height"};
  int32_t mm[3];
  char cm[16];
  cJSON *o;
  int i;

  if (!tt_dimensions(l, mm))
    return 0;
  if ((o = ocu_json_obj(body, "package_dimensions")) == NULL)
    return -1;
  for (i = 0; i < 3; i++) {
    tt_cm(mm[i], cm);
    if (ocu_json_put(o, keys[i], cJSON_CreateString(cm)))
      return -1;
  }
  return ocu_json_put(o, "unit", cJSON_CreateString("CENTIMETER"));
}

/* A list under key; an empty one only in an edit, where it clears. */
static int tt_put_list(cJSON *body, const char *key, cJSON *list, int edit) {
  if (list != NULL && !edit && cJSON_GetArraySize(list) == 0) {
    cJSON_Delete(list);
    return 0;
  }
  return ocu_json_put(body, key, list);
}

/* The content fields of a create (PUBLISH) or a partial edit (UPDATE):
 * category_id, brand_id (left out when the product has none: TikTok's
 * brand is optional and it has no "no brand" entry), main_images,
 * product_attributes, certifications, package_dimensions. An edit replaces
 * each top-level field it sends, so images, attributes and certifications
 * are always sent: an image left out (a stripped OCOP claim) disappears.
 * 0, or -1 on OOM. */
int tt_put_content(cJSON *body, const oc_listing *l, int edit) {
  if (ocu_json_put(body, "category_id", cJSON_CreateString(l->category_id)) ||
      (!ocu_empty(l->brand_id) &&
       ocu_json_put(body, "brand_id", cJSON_CreateString(l->brand_id))) ||
      ocu_json_put(body, "main_images", tt_uris(l, 0)) ||
      tt_put_list(body, "product_attributes", tt_attributes(l), edit) ||
      tt_put_list(body, "certifications", tt_certifications(l), edit))
    return -1;
  return tt_put_dimensions(body, l);
}

/* A create's idempotency_key (Create Product, body; at most 128
 * characters): "ocopd-" and the hex HMAC-SHA256 of the product code, so a
 * create sent again after a lost answer carries the same key and TikTok
 * does not make a second product. */
int tt_idempotency_key(const oc_listing *l, char out[71]) {
  static const char k[] = "ocopd create product";

  memcpy(out, "ocopd-", 6);
  return ocu_hmac_sha256_hex(k, sizeof k - 1, l->sku, strlen(l->sku), OCU_HEX_LOWER, out + 6);
}
