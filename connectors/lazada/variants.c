/*
 * variants.c — a product's variants on one Lazada item (see "Variants" in
 * lazada.md): the sale property that tells the SKUs apart, and the VARIANTS
 * step function. A step is a pure function of the listing: add every
 * variant that is not on the item (UpdateProduct with new Skus), then take
 * off every removed one (RemoveSku); build and parse compute the same step,
 * so parse knows what its answer is about.
 */
#include "lazada.h"

#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

lz_step lz_next_step(const oc_listing *l) {
  size_t i;

  /* Adds first: Lazada refuses to remove an item's last SKU, so a product
   * whose every variant was replaced gains the new ones before it loses
   * the old. */
  for (i = 0; i < l->nvariants; i++)
    if (!l->variants[i].removed && l->variants[i].remote_id == NULL)
      return LZ_STEP_ADD;
  for (i = 0; i < l->nvariants; i++)
    if (l->variants[i].removed && l->variants[i].remote_id != NULL)
      return LZ_STEP_REMOVE;
  return LZ_STEP_NONE;
}

/* 1 when v carries an option of the item's variation: every variant that
 * stays, and a removed one still on the item (its option must stay
 * declared until RemoveSku takes it off) unless it never had a label. */
int lz_in_variation(const oc_variant *v) {
  return !v->removed || (v->remote_id != NULL && v->label != NULL && v->label[0] != '\0');
}

static size_t lz_count_in_variation(const oc_listing *l) {
  size_t i, n = 0;

  for (i = 0; i < l->nvariants; i++)
    n += lz_in_variation(&l->variants[i]);
  return n;
}

/* Lazada's limits on a variation (VARIATION_NAME_LENGTH_LIMIT,
 * VARIATION_OPTION_LENGTH_LIMIT, VARIATION_OPTION_DUPLICATE). */
static int lz_check_axis(const lz_axis *a, const oc_listing *l, char *err, size_t errlen) {
  size_t i, j;

  if (!ocu_utf8_valid(a->name, strlen(a->name)) || a->name[0] == '\0' ||
      ocu_utf8_count(a->name) > LZ_VAR_NAME_MAX_CP) {
    ocu_err(err, errlen, "variation name must be 1..%d characters (Lazada)", LZ_VAR_NAME_MAX_CP);
    return -1;
  }
  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];

    if (!lz_in_variation(v))
      continue;
    if (ocu_utf8_count(v->label) > LZ_VAR_OPTION_MAX_CP) {
      ocu_err(err, errlen, "variant label longer than %d characters (Lazada)",
              LZ_VAR_OPTION_MAX_CP);
      return -1;
    }
    for (j = 0; j < i; j++)
      if (lz_in_variation(&l->variants[j]) && strcmp(l->variants[j].label, v->label) == 0) {
        ocu_err(err, errlen, "two variants have the same label");
        return -1;
      }
  }
  return 0;
}

/*
 * The sale property: the name the item already uses (the memo LOOKUP_SKU
 * read), else shop option variation_attribute (a standard sale attribute
 * of the category, e.g. "size"), else a custom one named by variation_name
 * (default "Quy cách").
 */
int lz_axis_of(const oc_shop *shop, const oc_listing *l, lz_axis *a, char *err,
               size_t errlen) {
  const char *std = ocu_opt(shop, "variation_attribute");

  if (l->memo != NULL && l->memo[0] != '\0') {
    a->name = l->memo;
    a->custom = std == NULL || strcmp(std, l->memo) != 0;
  } else if (std != NULL) {
    a->name = std;
    a->custom = 0;
  } else {
    a->name = ocu_opt(shop, "variation_name");
    if (a->name == NULL)
      a->name = LZ_DEFAULT_VARIATION;
    a->custom = 1;
  }
  return lz_check_axis(a, l, err, errlen);
}

int lz_put_sale_prop(cJSON *sku, const lz_axis *a, const oc_variant *v) {
  cJSON *sp = ocu_json_obj(sku, "saleProp");

  return sp == NULL || ocu_json_put(sp, a->name, cJSON_CreateString(v->label));
}

/* "variation": {"variation1": {name, hasImage, customize, options.option[]}}
 * over every variant in the variation. */
int lz_put_variation(cJSON *prod, const lz_axis *a, const oc_listing *l) {
  cJSON *v1 = ocu_json_obj(ocu_json_obj(prod, "variation"), "variation1"), *opts;
  size_t i;

  if (v1 == NULL || ocu_json_put(v1, "name", cJSON_CreateString(a->name)) ||
      ocu_json_put(v1, "hasImage", cJSON_CreateFalse()) ||
      ocu_json_put(v1, "customize", cJSON_CreateBool(a->custom)) ||
      (opts = ocu_json_arr(ocu_json_obj(v1, "options"), "option")) == NULL)
    return -1;
  for (i = 0; i < l->nvariants; i++)
    if (lz_in_variation(&l->variants[i]) &&
        ocu_json_put(opts, NULL, cJSON_CreateString(l->variants[i].label)))
      return -1;
  return 0;
}

/* The seller SKU that ties new SKUs to the item (AssociatedSku): one on
 * the item, a staying one first. */
static const oc_variant *lz_associated(const oc_listing *l) {
  size_t i;

  for (i = 0; i < l->nvariants; i++)
    if (!l->variants[i].removed && l->variants[i].remote_id != NULL)
      return &l->variants[i];
  for (i = 0; i < l->nvariants; i++)
    if (l->variants[i].remote_id != NULL)
      return &l->variants[i];
  return NULL;
}

/* The SKUs of the add step: those on the item (by SkuId) with their sale
 * property, then every new one in full. */
static int lz_fill_add(cJSON *prod, const oc_listing *l, const lz_axis *a) {
  cJSON *arr = lz_sku_array(prod), *sku;
  size_t i;

  if (arr == NULL)
    return -1;
  for (i = 0; a != NULL && i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];

    if (v->remote_id == NULL || v->remote_id[0] == '\0' || !lz_in_variation(v))
      continue;
    if ((sku = ocu_json_obj(arr, NULL)) == NULL || lz_put_sku_id(sku, v) ||
        lz_put_sale_prop(sku, a, v))
      return -1;
  }
  for (i = 0; i < l->nvariants; i++)
    if (!l->variants[i].removed && l->variants[i].remote_id == NULL &&
        lz_put_new_sku(arr, &l->variants[i], a))
      return -1;
  return 0;
}

/* UpdateProduct adding every variant not yet on the item. The variation
 * is declared whenever the item has or gets more than one SKU. */
static int lz_payload_add(const oc_shop *shop, const oc_listing *l, char **text, char *err,
                          size_t errlen) {
  const oc_variant *assoc = lz_associated(l);
  int varied = lz_count_in_variation(l) > 1 || (l->memo != NULL && l->memo[0] != '\0');
  cJSON *root, *prod;
  lz_axis axis;
  size_t i;

  if (assoc == NULL) {
    ocu_err(err, errlen, "no SKU of the item is known to add variants to");
    return -1;
  }
  for (i = 0; i < l->nvariants; i++)
    if (!l->variants[i].removed && l->variants[i].remote_id == NULL &&
        lz_check_package(&l->variants[i], err, errlen))
      return -1;
  if (varied && lz_axis_of(shop, l, &axis, err, errlen))
    return -1;
  prod = lz_product(&root);
  return lz_print(root,
                  prod == NULL ||
                      ocu_json_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
                      ocu_json_put(prod, "AssociatedSku", cJSON_CreateString(assoc->sku)) ||
                      ocu_json_put(prod, "Attributes", cJSON_CreateString("")) ||
                      (varied && lz_put_variation(prod, &axis, l)) ||
                      lz_fill_add(prod, l, varied ? &axis : NULL),
                  text, err, errlen);
}

/* RemoveSku of every removed variant still on the item, by SkuId when
 * known, else by SellerSku. */
static int lz_payload_remove(const oc_listing *l, char **text, char *err, size_t errlen) {
  cJSON *root, *prod, *arr, *sku;
  size_t i, stay = 0;
  int bad;

  for (i = 0; i < l->nvariants; i++)
    stay += !l->variants[i].removed && l->variants[i].remote_id != NULL;
  if (stay == 0) { /* CAN_NOT_REMOVE_ALL_SKU: delist the item instead */
    ocu_err(err, errlen, "Lazada cannot remove every SKU of an item");
    return -1;
  }
  prod = lz_product(&root);
  bad = prod == NULL || ocu_json_put(prod, "ItemId", cJSON_CreateString(l->item_id)) ||
        (arr = lz_sku_array(prod)) == NULL;
  for (i = 0; !bad && i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];

    if (!v->removed || v->remote_id == NULL)
      continue;
    bad = (sku = ocu_json_obj(arr, NULL)) == NULL ||
          (v->remote_id[0] != '\0'
               ? ocu_json_put(sku, "SkuId", cJSON_CreateString(v->remote_id))
               : ocu_json_put(sku, "SellerSku", cJSON_CreateString(v->sku)));
  }
  return lz_print(root, bad, text, err, errlen);
}

int lz_payload_variants(oc_op op, const oc_shop *shop, const oc_listing *l, char **text,
                        char *err, size_t errlen) {
  (void)op;
  *text = NULL;
  switch (lz_next_step(l)) {
  case LZ_STEP_ADD:
    return lz_payload_add(shop, l, text, err, errlen);
  case LZ_STEP_REMOVE:
    return lz_payload_remove(l, text, err, errlen);
  default:
    ocu_err(err, errlen, "variants are in line");
    return -1;
  }
}

/* The sku_id data.sku_list[] gives for `sku`, if the answer has one. */
static int lz_listed_id(const cJSON *list, const char *sku, char out[OC_ID_MAX]) {
  const cJSON *e;
  char why[96];

  cJSON_ArrayForEach(e, list) {
    const char *s = ocu_json_str(e, "seller_sku");

    if (s != NULL && strcmp(s, sku) == 0 &&
        ocu_json_id(cJSON_GetObjectItemCaseSensitive(e, "sku_id"),
                    OCU_ID_NUMBER | OCU_ID_STRING, "sku_id", out, OC_ID_MAX, why,
                    sizeof why) == 0)
      return 0;
  }
  out[0] = '\0';
  return -1;
}

static oc_variant_result *lz_result_of(oc_listing_result *res, const oc_variant *v) {
  oc_variant_result *r;

  if (res->nvariants >= OC_MAX_VARIANTS || strlen(v->sku) >= sizeof r->sku)
    return NULL;
  r = &res->variants[res->nvariants++];
  memset(r, 0, sizeof *r);
  ocu_strlcpy(r->sku, v->sku, sizeof r->sku);
  r->price_vnd = r->stock = -1;
  return r;
}

/*
 * VARIANTS: the step just made. An add names each new variant, with the
 * sku_id data.sku_list gives (UpdateProduct documents no answer: "" then,
 * on the item with its id unknown, until the next LOOKUP_SKU reads it); a
 * removal names each SKU it took off as gone. `root` is the whole answer.
 */
void lz_read_variants(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *root,
                      oc_listing_result *res) {
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(data, "sku_list");
  lz_step step = l != NULL ? lz_next_step(l) : LZ_STEP_NONE;
  size_t i;

  (void)op;
  if (l == NULL)
    return;
  if (l->memo != NULL)
    ocu_strlcpy(res->memo, l->memo, sizeof res->memo);
  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];
    oc_variant_result *r;

    if (step == LZ_STEP_ADD && !v->removed && v->remote_id == NULL &&
        (r = lz_result_of(res, v)) != NULL)
      lz_listed_id(list, v->sku, r->remote_id);
    else if (step == LZ_STEP_REMOVE && v->removed && v->remote_id != NULL &&
             (r = lz_result_of(res, v)) != NULL) {
      ocu_strlcpy(r->remote_id, v->remote_id, sizeof r->remote_id);
      r->gone = 1;
    }
  }
  /* Once the item has a variation its name is the memo (see lz_axis_of). */
  if (step == LZ_STEP_ADD && lz_count_in_variation(l) > 1 && res->memo[0] == '\0') {
    lz_axis a;
    char err[8];

    if (lz_axis_of(shop, l, &a, err, sizeof err) == 0)
      ocu_strlcpy(res->memo, a.name, sizeof res->memo);
  }
}
