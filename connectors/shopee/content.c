/*
 * content.c — a listing's content as add_item and update_item take it (see
 * "Content"): the leaf category, the gallery images by the ids
 * media_space/upload_image returned, the brand and the category's
 * attributes, all resolved by the core against the rules CATEGORY read.
 * Nothing here is a constant about a product: what the listing lacks is
 * refused with a message the core shows as the listing's problem.
 */
#include "shopee.h"

#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

#define sp_put ocu_json_put

/* An image id as upload_image gives it: letters, digits, '-', '_', '.'. */
static int sp_image_id_ok(const char *s) {
  size_t n = 0;

  for (; s != NULL && *s; s++, n++)
    if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
          *s == '-' || *s == '_' || *s == '.'))
      return 0;
  return n > 0 && n < 256;
}

/* A brand or value id: a decimal id, or "0" (No Brand, a custom value). */
static int sp_id_or_zero(const char *s) { return strcmp(s, "0") == 0 || sp_valid_id(s); }

/* Shopee has no certification field: only gallery images go to the item. */
static size_t sp_gallery_count(const oc_listing *l) {
  size_t i, n = 0;

  for (i = 0; i < l->nimages; i++)
    n += l->images[i].certificate == 0;
  return n;
}

static int sp_check_images(const oc_listing *l, char *err, size_t errlen) {
  size_t i, n = sp_gallery_count(l), k = 0;

  if (n == 0) {
    ocu_err(err, errlen, "Shopee requires at least one image; this listing has none");
    return -1;
  }
  if (n > SP_MAX_IMAGES) {
    ocu_err(err, errlen, "Shopee takes at most %d images; this listing has %zu", SP_MAX_IMAGES,
            n);
    return -1;
  }
  for (i = 0; i < l->nimages; i++) {
    if (l->images[i].certificate)
      continue;
    k++;
    if (!sp_image_id_ok(l->images[i].remote_id)) {
      ocu_err(err, errlen, "image %zu has no Shopee image id from upload_image", k);
      return -1;
    }
  }
  return 0;
}

static int sp_check_brand(const oc_listing *l, char *err, size_t errlen) {
  if (ocu_empty(l->brand_id))
    return 0; /* the category allows none and has no no-brand entry */
  if (!sp_id_or_zero(l->brand_id)) {
    ocu_err(err, errlen, "listing brand_id is not a numeric Shopee brand id");
    return -1;
  }
  if (ocu_empty(l->brand_name)) { /* add_item needs both brand fields */
    ocu_err(err, errlen, "Shopee requires the brand's original_brand_name with its brand_id");
    return -1;
  }
  return ocu_check_text("brand_name", l->brand_name, err, errlen);
}

static int sp_check_attr(const oc_attr *a, char *err, size_t errlen) {
  const char *name = ocu_empty(a->name) ? "?" : a->name;

  if (ocu_empty(a->id) || !sp_valid_id(a->id)) {
    ocu_err(err, errlen, "attribute \"%s\" has no numeric Shopee attribute id", name);
    return -1;
  }
  if (a->value_id != NULL && a->value_id[0] != '\0' && !sp_id_or_zero(a->value_id)) {
    ocu_err(err, errlen, "attribute \"%s\" has a value id that is not numeric", name);
    return -1;
  }
  if (ocu_empty(a->value) && (ocu_empty(a->value_id) || strcmp(a->value_id, "0") == 0)) {
    ocu_err(err, errlen, "attribute \"%s\" has no value", name);
    return -1;
  }
  if (a->value != NULL && !ocu_utf8_valid(a->value, strlen(a->value))) {
    ocu_err(err, errlen, "attribute \"%s\" value is not valid UTF-8", name);
    return -1;
  }
  return 0;
}

int sp_content_check(const oc_listing *l, char *err, size_t errlen) {
  size_t i;

  if (ocu_empty(l->category_id)) {
    ocu_err(err, errlen, "Shopee requires a leaf category; this listing has none");
    return -1;
  }
  if (!sp_valid_id(l->category_id)) {
    ocu_err(err, errlen, "listing category_id is not a numeric Shopee category id");
    return -1;
  }
  if (sp_check_images(l, err, errlen) || sp_check_brand(l, err, errlen))
    return -1;
  if (l->nattrs > 0 && l->attrs == NULL) {
    ocu_err(err, errlen, "listing attributes are missing");
    return -1;
  }
  for (i = 0; i < l->nattrs; i++)
    if (sp_check_attr(&l->attrs[i], err, errlen))
      return -1;
  return 0;
}

int sp_attrs_have(const oc_listing *l, const char *id) {
  size_t i;

  for (i = 0; i < l->nattrs; i++)
    if (l->attrs[i].id != NULL && strcmp(l->attrs[i].id, id) == 0)
      return 1;
  return 0;
}

static int sp_put_images(cJSON *body, const oc_listing *l) {
  cJSON *o = ocu_json_obj(body, "image"), *arr;
  size_t i;

  if (o == NULL || (arr = ocu_json_arr(o, "image_id_list")) == NULL)
    return -1;
  for (i = 0; i < l->nimages; i++)
    if (!l->images[i].certificate &&
        sp_put(arr, NULL, cJSON_CreateString(l->images[i].remote_id)))
      return -1;
  return 0;
}

static int sp_put_brand(cJSON *body, const oc_listing *l) {
  cJSON *o;

  if (ocu_empty(l->brand_id))
    return 0;
  if ((o = ocu_json_obj(body, "brand")) == NULL ||
      sp_put(o, "brand_id", cJSON_CreateRaw(l->brand_id)) ||
      sp_put(o, "original_brand_name", cJSON_CreateString(l->brand_name)))
    return -1;
  return 0;
}

/* The attribute_list entry for id, made when absent: several values of one
 * attribute (a multi-select) go into one entry. */
static cJSON *sp_attr_entry(cJSON *list, const char *id) {
  cJSON *e, *o;

  cJSON_ArrayForEach(e, list) {
    const cJSON *aid = cJSON_GetObjectItemCaseSensitive(e, "attribute_id");

    if (cJSON_IsRaw(aid) && strcmp(aid->valuestring, id) == 0)
      return cJSON_GetObjectItemCaseSensitive(e, "attribute_value_list");
  }
  if ((o = ocu_json_obj(list, NULL)) == NULL || sp_put(o, "attribute_id", cJSON_CreateRaw(id)))
    return NULL;
  return ocu_json_arr(o, "attribute_value_list");
}

/* An allowed value by its id; free text as value_id 0 with the text in
 * original_value_name (a value_id of 0 needs it). */
static int sp_put_value(cJSON *values, const oc_attr *a) {
  int custom = ocu_empty(a->value_id) || strcmp(a->value_id, "0") == 0;
  cJSON *v = ocu_json_obj(values, NULL);

  if (v == NULL || sp_put(v, "value_id", cJSON_CreateRaw(custom ? "0" : a->value_id)))
    return -1;
  if (custom && sp_put(v, "original_value_name", cJSON_CreateString(a->value)))
    return -1;
  return 0;
}

static int sp_put_attrs(cJSON *body, const oc_listing *l) {
  cJSON *list, *values;
  size_t i;

  if (l->nattrs == 0)
    return 0;
  if ((list = ocu_json_arr(body, "attribute_list")) == NULL)
    return -1;
  for (i = 0; i < l->nattrs; i++)
    if ((values = sp_attr_entry(list, l->attrs[i].id)) == NULL ||
        sp_put_value(values, &l->attrs[i]))
      return -1;
  return 0;
}

int sp_put_content(cJSON *body, const oc_listing *l, char *err, size_t errlen) {
  if (sp_put(body, "category_id", cJSON_CreateRaw(l->category_id)) || sp_put_images(body, l) ||
      sp_put_brand(body, l) || sp_put_attrs(body, l)) {
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  return 0;
}
