/*
 * models.c — an item's models as Shopee reports them (see "Variants"):
 * get_model_list for LOOKUP_SKU with an item id and for GET_LISTING of an
 * item with models, and the model[] lists of init_tier_variation and
 * add_model; which variant is the item itself when it has no models.
 */
#include "shopee.h"

#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"
#include "../common/verdict.h"

const ocu_opdef sp_model_list_def = {"GET", "/api/v2/product/get_model_list", NULL, SP_SHOP,
                                     OCU_NEED_LISTING | OCU_NEED_ITEM, NULL, sp_read_models};

int sp_is_model_id(const char *remote) {
  return remote != NULL && remote[0] != '\0' && strcmp(remote, "0") != 0;
}

int sp_listing_has_models(const oc_listing *l) {
  size_t i;

  for (i = 0; l != NULL && i < l->nvariants; i++)
    if (!l->variants[i].removed && sp_is_model_id(l->variants[i].remote_id))
      return 1;
  return 0;
}

const oc_variant *sp_single_variant(const oc_listing *l) {
  const oc_variant *one = NULL;
  size_t i;

  for (i = 0; l != NULL && i < l->nvariants; i++) {
    if (l->variants[i].removed)
      continue;
    if (one != NULL)
      return NULL;
    one = &l->variants[i];
  }
  return one;
}

void sp_name_variant(oc_listing_result *res, const char *sku, const char *remote,
                     int64_t price, int64_t stock, int gone) {
  oc_variant_result *r;

  if (res->nvariants >= OC_MAX_VARIANTS)
    return;
  r = &res->variants[res->nvariants++];
  ocu_strlcpy(r->sku, sku, sizeof r->sku);
  ocu_strlcpy(r->remote_id, remote, sizeof r->remote_id);
  r->price_vnd = price;
  r->stock = stock;
  r->gone = gone;
}

/* price_info[0].original_price, or -1 when not said. */
static int64_t sp_model_price(const cJSON *m) {
  const cJSON *p0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(m, "price_info"), 0);
  int64_t v;

  if (cJSON_IsObject(p0) &&
      ocu_json_round(cJSON_GetObjectItemCaseSensitive(p0, "original_price"), &v) == 0)
    return v;
  return -1;
}

/* stock_info_v2.summary_info.total_available_stock (get_model_list), else
 * seller_stock[0].stock (the answers of the writes), else -1. */
static int64_t sp_model_stock(const cJSON *m) {
  const cJSON *si = cJSON_GetObjectItemCaseSensitive(m, "stock_info_v2");
  const cJSON *sum = cJSON_GetObjectItemCaseSensitive(si, "summary_info");
  const cJSON *s0 = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(m, "seller_stock"), 0);
  int64_t v;

  if (ocu_json_int(cJSON_GetObjectItemCaseSensitive(sum, "total_available_stock"), &v) == 0)
    return v;
  if (ocu_json_int(cJSON_GetObjectItemCaseSensitive(s0, "stock"), &v) == 0)
    return v;
  return -1;
}

int sp_name_models(const oc_shop *shop, const cJSON *resp, int required,
                   oc_listing_result *res, int *nmodels, int *any_normal, int *any_status) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(resp, "model"), *m;
  char id[OC_ID_MAX];

  *nmodels = *any_normal = *any_status = 0;
  if (!required && (list == NULL || cJSON_IsNull(list)))
    return 0;
  if (!cJSON_IsArray(list)) {
    SP_UNEXPECTED(&res->v, shop, "field response.model %s", list ? "is not an array" : "is missing");
    return -1;
  }
  cJSON_ArrayForEach(m, list) {
    const char *sku, *st;

    if (!cJSON_IsObject(m)) {
      SP_UNEXPECTED(&res->v, shop, "field response.model[] is not an object");
      return -1;
    }
    if (sp_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(m, "model_id"),
                  "response.model[].model_id", id, sizeof id))
      return -1;
    (*nmodels)++;
    if ((st = ocu_json_str(m, "model_status")) != NULL) {
      *any_status = 1;
      *any_normal |= strcmp(st, "MODEL_NORMAL") == 0;
    }
    /* A model without a seller SKU is not one of ours: it names nothing. */
    if ((sku = ocu_json_str(m, "model_sku")) != NULL && sku[0] != '\0')
      sp_name_variant(res, sku, id, sp_model_price(m), sp_model_stock(m), 0);
  }
  return 0;
}

/* The one tier of response.tier_variation into name and options; -1 with
 * res->v failed. An item with two tiers is not ours to manage. */
static int sp_read_tier(const oc_shop *shop, const cJSON *resp, oc_listing_result *res,
                        const char **name, const char **opts, size_t *n) {
  const cJSON *tv = cJSON_GetObjectItemCaseSensitive(resp, "tier_variation"), *t0, *ol, *o;

  *name = "", *n = 0;
  if (tv == NULL || cJSON_IsNull(tv) || (cJSON_IsArray(tv) && cJSON_GetArraySize(tv) == 0))
    return 0;
  if (!cJSON_IsArray(tv) || !cJSON_IsObject(t0 = cJSON_GetArrayItem(tv, 0))) {
    SP_UNEXPECTED(&res->v, shop, "field response.tier_variation is not a list of tiers");
    return -1;
  }
  if (cJSON_GetArraySize(tv) > 1) {
    ocu_fail(&res->v, shop, OC_REJECTED, 0,
             "item has two tiers of variation; ocopd manages items with one");
    return -1;
  }
  if (ocu_json_str(t0, "name") != NULL)
    *name = ocu_json_str(t0, "name");
  ol = cJSON_GetObjectItemCaseSensitive(t0, "option_list");
  cJSON_ArrayForEach(o, ol) {
    const char *opt = ocu_json_str(o, "option");

    if (opt == NULL || *n >= SP_MAX_OPTIONS) {
      SP_UNEXPECTED(&res->v, shop, "field response.tier_variation[0].option_list is not "
                                   "a list of at most %d options", SP_MAX_OPTIONS);
      return -1;
    }
    opts[(*n)++] = opt;
  }
  return 0;
}

static int sp_named(const oc_listing_result *res, const char *sku) {
  size_t i;

  for (i = 0; i < res->nvariants; i++)
    if (strcmp(res->variants[i].sku, sku) == 0)
      return 1;
  return 0;
}

/*
 * LOOKUP_SKU: what the listing believes is on the item but is not. With
 * models: a model id the list lacks (deleted, or a lost delete_model that
 * went through) and a removed variant still marked "0" (the item got a
 * tier since). Without models: every removed variant; a model id (the tier
 * was taken off). A live variant marked "0" on an item with models stays:
 * VARIANTS gives it a model.
 */
static void sp_mark_gone(const oc_listing *l, oc_listing_result *res, int has_models) {
  size_t i;

  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];
    int gone;

    if (v->remote_id == NULL || sp_named(res, v->sku))
      continue;
    if (has_models)
      gone = sp_is_model_id(v->remote_id) || (v->removed && strcmp(v->remote_id, "0") == 0);
    else
      gone = v->removed || sp_is_model_id(v->remote_id);
    if (gone)
      sp_name_variant(res, v->sku, v->remote_id, -1, -1, 1);
  }
}

/*
 * get_model_list: the models named by SKU with price and stock; for an item
 * without models (no tier, no model) the single variant as "0". LOOKUP_SKU
 * also says what is gone and writes the memo (tier name and options);
 * GET_LISTING reads the active flag from model_status (our reading, see
 * "Variants": an unlisted item's models cannot be bought).
 */
void sp_read_models(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *resp,
                    oc_listing_result *res) {
  const char *name, *opts[SP_MAX_OPTIONS];
  const oc_variant *one;
  size_t nopts;
  int n, normal, status;

  if (sp_read_tier(shop, resp, res, &name, opts, &nopts) ||
      sp_name_models(shop, resp, 0, res, &n, &normal, &status))
    return;
  if (l != NULL && l->item_id != NULL)
    ocu_strlcpy(res->item_id, l->item_id, sizeof res->item_id);
  if (n == 0 && nopts == 0 && (one = sp_single_variant(l)) != NULL)
    sp_name_variant(res, one->sku, "0", -1, -1, 0);
  if (op == OC_OP_GET_LISTING) {
    res->active = status ? normal : 1;
    return;
  }
  if (l != NULL)
    sp_mark_gone(l, res, n > 0 || nopts > 0);
  if (sp_memo_write(name, opts, nopts, res->memo))
    ocu_fail(&res->v, shop, OC_REJECTED, 0, "item variation is too large to follow (%zu options)",
             nopts);
}
