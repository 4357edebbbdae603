/*
 * body.c — Shopee request bodies (see "Endpoints", "Money and SKUs"): one
 * builder per operation, named in the operation table (connector.c).
 */
#include "shopee.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/claims.h"
#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

#define sp_put ocu_json_put
/* Integers are written as raw JSON text: Shopee VN wants integer prices (see
 * "Money and SKUs") — never 150000.0 or 1.5e+05. */
#define sp_int ocu_json_int_raw

/* A validated decimal id (sp_valid_id) as a JSON integer, digit for digit. */
static cJSON *sp_id(const char *digits) { return cJSON_CreateRaw(digits); }

static int sp_oom(char *err, size_t errlen) {
  ocu_err(err, errlen, "out of memory");
  return -1;
}

/*
 * Splits the comma-separated option logistic_id into tokens (spaces around
 * them ignored) and adds each as {logistic_id, enabled: true}. -1 with err
 * set on bad input or OOM.
 */
static int sp_add_logistics(cJSON *arr, const char *list, char *err, size_t errlen) {
  const char *p = list, *t;
  size_t count = 0, n;

  while ((t = ocu_list_next(&p, &n)) != NULL) {
    char tok[SP_ID_MAX_DIGITS + 2];
    cJSON *it;

    if (n >= sizeof tok) {
      ocu_err(err, errlen, "shop option \"logistic_id\" holds an id that is too long");
      return -1;
    }
    memcpy(tok, t, n);
    tok[n] = '\0';
    if (++count > SP_MAX_LOGISTICS) {
      ocu_err(err, errlen, "shop option \"logistic_id\" holds more than %d ids", SP_MAX_LOGISTICS);
      return -1;
    }
    if (!sp_valid_id(tok)) {
      ocu_err(err, errlen, "shop option \"logistic_id\" must hold numeric ids");
      return -1;
    }
    it = cJSON_CreateObject();
    if (it == NULL || sp_put(it, "logistic_id", sp_id(tok)) ||
        sp_put(it, "enabled", cJSON_CreateTrue())) {
      cJSON_Delete(it);
      return sp_oom(err, errlen);
    }
    if (sp_put(arr, NULL, it))
      return sp_oom(err, errlen);
  }
  if (count == 0) {
    ocu_err(err, errlen, "shop option \"logistic_id\" is not set");
    return -1;
  }
  return 0;
}

/*
 * attribute_list with the OCOP star attribute, when ocop_attribute_id is
 * configured: the N-star value when claims are allowed; with stars == 0 an
 * empty value list on UPDATE (removes the badge) and nothing on PUBLISH.
 */
static int sp_add_ocop_attribute(cJSON *body, const oc_shop *shop,
                                 const oc_listing *l, int update, char *err,
                                 size_t errlen) {
  const char *attr = ocu_opt(shop, "ocop_attribute_id");
  cJSON *list, *a, *values;

  if (attr == NULL || (!ocu_claims(l) && !update))
    return 0;
  if (!sp_valid_id(attr)) {
    ocu_err(err, errlen, "shop option \"ocop_attribute_id\" is not a numeric id");
    return -1;
  }
  if (sp_attrs_have(l, attr)) /* the category's own attribute: the catalogue's value */
    return 0;
  list = cJSON_GetObjectItemCaseSensitive(body, "attribute_list");
  if (list == NULL && (list = ocu_json_arr(body, "attribute_list")) == NULL)
    goto oom;
  if ((a = ocu_json_obj(list, NULL)) == NULL || sp_put(a, "attribute_id", sp_id(attr)))
    goto oom;
  if ((values = ocu_json_arr(a, "attribute_value_list")) == NULL)
    goto oom;
  if (ocu_claims(l)) {
    char key[32], name[16];
    const char *vid;
    cJSON *v;

    snprintf(key, sizeof key, "ocop_value_id.%d", l->stars);
    snprintf(name, sizeof name, "%d sao", l->stars);
    vid = ocu_opt(shop, key);
    if (vid != NULL && !sp_valid_id(vid)) {
      ocu_err(err, errlen, "shop option \"%s\" is not a numeric id", key);
      return -1;
    }
    if ((v = ocu_json_obj(values, NULL)) == NULL ||
        sp_put(v, "value_id", vid ? sp_id(vid) : sp_int(0)))
      goto oom;
    if (vid == NULL && sp_put(v, "original_value_name", cJSON_CreateString(name)))
      goto oom;
  }
  return 0;
oom:
  ocu_err(err, errlen, "out of memory");
  return -1;
}

static int sp_add_text(cJSON *body, const oc_listing *l, char *err, size_t errlen) {
  if (ocu_add_claim_text(body, l, sp_limits.title_max_cp, "item_name") == 0)
    return 0;
  ocu_err(err, errlen, "out of memory");
  return -1;
}

int sp_put_stock(cJSON *o, int64_t stock) {
  cJSON *arr = ocu_json_arr(o, "seller_stock"), *s;

  if (arr == NULL || (s = ocu_json_obj(arr, NULL)) == NULL || sp_put(s, "stock", sp_int(stock)))
    return -1;
  return 0;
}

/* Millimetres to whole centimetres, rounded up: a package never shrinks. */
static int64_t sp_cm(int32_t mm) { return ((int64_t)mm + 9) / 10; }

int sp_put_size(cJSON *o, const oc_variant *v) {
  cJSON *d;

  if (v->weight_g > 0 && sp_put(o, "weight", ocu_json_kg_raw(v->weight_g)))
    return -1;
  if (v->length_mm <= 0 || v->width_mm <= 0 || v->height_mm <= 0)
    return 0;
  if ((d = ocu_json_obj(o, "dimension")) == NULL ||
      sp_put(d, "package_length", sp_int(sp_cm(v->length_mm))) ||
      sp_put(d, "package_width", sp_int(sp_cm(v->width_mm))) ||
      sp_put(d, "package_height", sp_int(sp_cm(v->height_mm))))
    return -1;
  return 0;
}

/*
 * What the item itself says of price, stock, weight and SKU. One variant:
 * that variant, the item is it (no models). Several: the product code, the
 * cheapest price (add_item requires one; the models replace it), stock 0
 * (every unit belongs to a model), the first variant's size; the models
 * come by VARIANTS (init_tier_variation), see "Variants".
 */
static int sp_publish_amounts(const oc_listing *l, const oc_variant **first, const char **sku,
                              int64_t *price, int64_t *stock, char *err, size_t errlen) {
  const oc_variant *one = sp_single_variant(l);
  size_t i;

  *first = one;
  if (one != NULL) {
    *sku = one->sku, *price = one->price_vnd, *stock = one->stock;
    return ocu_check_weight(one, "Shopee requires a weight", err, errlen);
  }
  *sku = l->sku, *price = -1, *stock = 0;
  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];

    if (v->removed)
      continue;
    if (ocu_check_weight(v, "Shopee requires a weight", err, errlen))
      return -1;
    if (*first == NULL)
      *first = v;
    if (*price < 0 || v->price_vnd < *price)
      *price = v->price_vnd;
  }
  if (*first == NULL) {
    ocu_err(err, errlen, "listing has no variant to publish (all removed)");
    return -1;
  }
  return 0;
}

static int sp_fill_publish(cJSON *body, const oc_shop *shop,
                           const oc_listing *l, char *err, size_t errlen) {
  const char *logistics, *sku;
  const oc_variant *first;
  int64_t price, stock;
  cJSON *arr;

  if (sp_publish_amounts(l, &first, &sku, &price, &stock, err, errlen) ||
      sp_content_check(l, err, errlen) ||
      (logistics = ocu_opt_set(shop, "logistic_id", err, errlen)) == NULL)
    return -1;

  if (sp_add_text(body, l, err, errlen))
    return -1;
  if (sp_put(body, "original_price", sp_int(price)) || sp_put_stock(body, stock) ||
      sp_put_size(body, first))
    goto oom;
  if (sp_put_content(body, l, err, errlen))
    return -1;
  if ((arr = ocu_json_arr(body, "logistic_info")) == NULL)
    goto oom;
  if (sp_add_logistics(arr, logistics, err, errlen))
    return -1;
  if (sp_put(body, "item_sku", cJSON_CreateString(sku)) ||
      sp_put(body, "item_status", cJSON_CreateString("NORMAL")) ||
      sp_put(body, "condition", cJSON_CreateString("NEW")))
    goto oom;
  return sp_add_ocop_attribute(body, shop, l, 0, err, errlen);
oom:
  ocu_err(err, errlen, "out of memory");
  return -1;
}

/* The model id of a variant on the item, as JSON: "0" (no models) or a
 * model id. NULL with err set when the id is unknown ("") or malformed. */
static cJSON *sp_model_ref(const oc_variant *v, char *err, size_t errlen) {
  if (strcmp(v->remote_id, "0") == 0)
    return sp_int(0);
  if (!sp_valid_id(v->remote_id)) {
    ocu_err(err, errlen, "variant model id %s (run LOOKUP_SKU first)",
            v->remote_id[0] ? "is not a numeric id" : "is unknown");
    return NULL;
  }
  return sp_id(v->remote_id);
}

/* {"item_id", "<list>": [{"model_id", ...}]} for update_stock / update_price:
 * every variant on the item (remote id set, not removed), at most 50. */
static int sp_fill_model(cJSON *body, const oc_listing *l, int stock,
                         char *err, size_t errlen) {
  cJSON *arr, *m, *id;
  size_t i, n = 0;

  if (sp_put(body, "item_id", sp_id(l->item_id)))
    goto oom;
  if ((arr = ocu_json_arr(body, stock ? "stock_list" : "price_list")) == NULL)
    goto oom;
  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];

    if (v->remote_id == NULL || v->removed)
      continue;
    if ((id = sp_model_ref(v, err, errlen)) == NULL)
      return -1;
    if ((m = ocu_json_obj(arr, NULL)) == NULL || sp_put(m, "model_id", id))
      goto oom;
    if (stock ? sp_put_stock(m, v->stock) : sp_put(m, "original_price", sp_int(v->price_vnd)))
      goto oom;
    n++;
  }
  if (n == 0) {
    ocu_err(err, errlen, "no variant of the listing is on the item yet");
    return -1;
  }
  return 0;
oom:
  ocu_err(err, errlen, "out of memory");
  return -1;
}

/* Ends a builder: the body as text, or -1 (err set by the filler, or OOM). */
int sp_finish(cJSON *body, int filled, char **text, char *err, size_t errlen) {
  *text = NULL;
  if (body == NULL)
    return sp_oom(err, errlen);
  if (filled != 0) {
    cJSON_Delete(body);
    return -1;
  }
  if ((*text = ocu_json_to_text(body)) == NULL)
    return sp_oom(err, errlen);
  return 0;
}

int sp_body_publish(oc_op op, const oc_shop *shop, const oc_listing *l, char **text, char *err,
                    size_t errlen) {
  cJSON *body = cJSON_CreateObject();

  (void)op;
  return sp_finish(body, body ? sp_fill_publish(body, shop, l, err, errlen) : -1, text, err,
                   errlen);
}

/* The item's first live variant: its size is the item's (see
 * sp_publish_amounts). */
static const oc_variant *sp_first_live(const oc_listing *l) {
  size_t i;

  for (i = 0; i < l->nvariants; i++)
    if (!l->variants[i].removed)
      return &l->variants[i];
  return NULL;
}

/* update_item carries the content too: the images in the catalogue's
 * order (a withdrawn OCOP claim image leaves the item), the category,
 * brand and attributes, the size. */
static int sp_fill_update(cJSON *body, const oc_shop *shop, const oc_listing *l, char *err,
                          size_t errlen) {
  const oc_variant *first = sp_first_live(l);

  if (sp_content_check(l, err, errlen))
    return -1;
  if (sp_put(body, "item_id", sp_id(l->item_id)))
    return sp_oom(err, errlen);
  if (sp_add_text(body, l, err, errlen))
    return -1;
  if (first != NULL && sp_put_size(body, first))
    return sp_oom(err, errlen);
  if (sp_put_content(body, l, err, errlen))
    return -1;
  return sp_add_ocop_attribute(body, shop, l, 1, err, errlen);
}

int sp_body_update(oc_op op, const oc_shop *shop, const oc_listing *l, char **text, char *err,
                   size_t errlen) {
  cJSON *body = cJSON_CreateObject();

  (void)op;
  return sp_finish(body, body ? sp_fill_update(body, shop, l, err, errlen) : -1, text, err,
                   errlen);
}

/* SET_STOCK and SET_PRICE: update_stock / update_price. */
int sp_body_model(oc_op op, const oc_shop *shop, const oc_listing *l, char **text, char *err,
                  size_t errlen) {
  cJSON *body = cJSON_CreateObject();

  (void)shop;
  return sp_finish(body,
                   body ? sp_fill_model(body, l, op == OC_OP_SET_STOCK, err, errlen) : -1,
                   text, err, errlen);
}

static int sp_fill_unlist(cJSON *body, oc_op op, const oc_listing *l) {
  cJSON *arr = cJSON_CreateArray(), *o;

  if (sp_put(body, "item_list", arr))
    return -1;
  if ((o = ocu_json_obj(arr, NULL)) == NULL || sp_put(o, "item_id", sp_id(l->item_id)) ||
      sp_put(o, "unlist", cJSON_CreateBool(op == OC_OP_DELIST)))
    return -1;
  return 0;
}

/* DELIST and RELIST: unlist_item with unlist true or false. */
int sp_body_unlist(oc_op op, const oc_shop *shop, const oc_listing *l, char **text, char *err,
                   size_t errlen) {
  cJSON *body = cJSON_CreateObject();

  (void)shop;
  if (body != NULL && sp_fill_unlist(body, op, l) != 0) {
    cJSON_Delete(body);
    return sp_oom(err, errlen);
  }
  return sp_finish(body, 0, text, err, errlen);
}

/*
 * REFRESH_TOKEN and TOKEN_EXCHANGE ("Authorisation and tokens"): the
 * refresh token or the seller's code, the shop, and partner_id, which
 * travels in the query and again in the body.
 */
int sp_body_token(oc_op op, const oc_shop *shop, const oc_listing *l, char **text, char *err,
                  size_t errlen) {
  cJSON *body = cJSON_CreateObject();
  int refresh = op == OC_OP_REFRESH_TOKEN;

  (void)l;
  if (body != NULL &&
      (sp_put(body, refresh ? "refresh_token" : "code",
              cJSON_CreateString(refresh ? shop->refresh_token : shop->auth_code)) ||
       sp_put(body, "shop_id", sp_id(shop->shop_id)) ||
       sp_put(body, "partner_id", sp_id(shop->app_key)))) {
    cJSON_Delete(body);
    return sp_oom(err, errlen);
  }
  return sp_finish(body, 0, text, err, errlen);
}
