/*
 * variants.c — the VARIANTS step (see "Variants"): from the listing and the
 * memo (the item's tier name and options, as LOOKUP_SKU or the previous
 * step left it), the next call that brings the item's models in line with
 * the catalogue, and the reading of its answer. Build and parse plan the
 * same step from the same input, so the parse knows what was asked.
 *
 * One tier, named by the shop option variation_name; its options are the
 * variants' labels; one model per variant, its model_sku the variant's SKU.
 * Order: delete a removed variant's model while another model stays (Shopee
 * keeps at least one), then append the missing labels to the tier, then add
 * the missing models. A product back to one variant keeps a one-model tier.
 */
#include "shopee.h"

#include <stdlib.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"
#include "../common/verdict.h"

#define sp_put ocu_json_put
#define sp_int ocu_json_int_raw

#define SP_PATH_INIT "/api/v2/product/init_tier_variation"
#define SP_PATH_OPTIONS "/api/v2/product/update_tier_variation"
#define SP_PATH_ADD "/api/v2/product/add_model"
#define SP_PATH_DELETE "/api/v2/product/delete_model"

void sp_tier_free(sp_tier *t) {
  cJSON_Delete(t->root);
  memset(t, 0, sizeof *t);
}

int sp_tier_read(const char *memo, sp_tier *t, char *err, size_t errlen) {
  const cJSON *opts, *o;

  memset(t, 0, sizeof *t);
  if (ocu_empty(memo)) {
    ocu_err(err, errlen, "the item's variation is unknown (LOOKUP_SKU by item id first)");
    return -1;
  }
  t->root = cJSON_Parse(memo);
  t->name = ocu_json_str(t->root, "name");
  opts = cJSON_GetObjectItemCaseSensitive(t->root, "options");
  if (t->name == NULL || !cJSON_IsArray(opts))
    goto bad;
  cJSON_ArrayForEach(o, opts) {
    if (!cJSON_IsString(o) || t->noptions >= SP_MAX_OPTIONS)
      goto bad;
    t->options[t->noptions++] = o->valuestring;
  }
  return 0;
bad:
  sp_tier_free(t);
  ocu_err(err, errlen, "listing memo is not a Shopee variation memo");
  return -1;
}

int sp_tier_index(const sp_tier *t, const char *label) {
  size_t i;

  for (i = 0; i < t->noptions; i++)
    if (strcmp(t->options[i], label) == 0)
      return (int)i;
  return -1;
}

/* {"name": "...", "options": ["...", ...]}: compact, fits OC_MEMO_MAX. */
int sp_memo_write(const char *name, const char *const *options, size_t n,
                  char out[OC_MEMO_MAX]) {
  cJSON *o = cJSON_CreateObject(), *arr;
  char *text = NULL;
  size_t i;
  int r = -1;

  out[0] = '\0';
  if (o == NULL || sp_put(o, "name", cJSON_CreateString(name)) ||
      (arr = ocu_json_arr(o, "options")) == NULL)
    goto done;
  for (i = 0; i < n; i++)
    if (sp_put(arr, NULL, cJSON_CreateString(options[i])))
      goto done;
  if ((text = cJSON_PrintUnformatted(o)) != NULL && strlen(text) < OC_MEMO_MAX) {
    ocu_strlcpy(out, text, OC_MEMO_MAX);
    r = 0;
  }
done:
  cJSON_free(text);
  cJSON_Delete(o);
  return r;
}

/* A variant not removed that has no model on an item with a tier ("0"
 * named the item before it had one). */
static int sp_lacks_model(const oc_variant *v) {
  return !v->removed && (v->remote_id == NULL || strcmp(v->remote_id, "0") == 0);
}

/* Shopee refuses two options of one name: so do we, before asking. */
static int sp_labels_distinct(const oc_listing *l, char *err, size_t errlen) {
  size_t i, j;

  for (i = 0; i < l->nvariants; i++)
    for (j = 0; j < i; j++)
      if (!l->variants[i].removed && !l->variants[j].removed &&
          strcmp(l->variants[i].label, l->variants[j].label) == 0) {
        ocu_err(err, errlen, "two variants share one label");
        return -1;
      }
  return 0;
}

/* The tier's options once the missing labels are appended, in catalogue
 * order: what update_tier_variation sends and the memo after it. */
static size_t sp_options_after(const oc_listing *l, const sp_tier *t, const char **out) {
  size_t i, j, n = 0;

  for (i = 0; i < t->noptions; i++)
    out[n++] = t->options[i];
  for (i = 0; i < l->nvariants && n < SP_MAX_OPTIONS; i++) {
    const oc_variant *v = &l->variants[i];

    if (!sp_lacks_model(v))
      continue;
    for (j = 0; j < n && strcmp(out[j], v->label) != 0; j++)
      ;
    if (j == n)
      out[n++] = v->label;
  }
  return n;
}

/* The live labels in catalogue order: the options init_tier_variation sets. */
static size_t sp_live_labels(const oc_listing *l, const char **out) {
  size_t i, n = 0;

  for (i = 0; i < l->nvariants; i++)
    if (!l->variants[i].removed)
      out[n++] = l->variants[i].label;
  return n;
}

static size_t sp_count_models(const oc_listing *l) {
  size_t i, n = 0;

  for (i = 0; i < l->nvariants; i++)
    n += sp_is_model_id(l->variants[i].remote_id);
  return n;
}

/* With a tier: a deletion, options, models, or in line. */
static int sp_plan_tier(const oc_listing *l, const sp_tier *t, sp_step *step, char *err,
                        size_t errlen) {
  int need_option = 0, need_model = 0;
  size_t i;

  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];

    if (v->removed && sp_is_model_id(v->remote_id) && sp_count_models(l) >= 2) {
      step->kind = SP_STEP_DELETE, step->target = v;
      return 0;
    }
    if (!sp_lacks_model(v))
      continue;
    if (v->label[0] == '\0') {
      ocu_err(err, errlen, "variant label is empty; Shopee names a model by its option");
      return -1;
    }
    if (sp_tier_index(t, v->label) < 0)
      need_option = 1;
    else
      need_model = 1;
  }
  if (need_option || need_model) {
    step->kind = need_option ? SP_STEP_OPTIONS : SP_STEP_ADD;
    return 0;
  }
  for (i = 0; i < l->nvariants; i++)
    if (l->variants[i].removed && sp_is_model_id(l->variants[i].remote_id)) {
      ocu_err(err, errlen, "cannot take the item's last model off (Shopee keeps one)");
      return -1;
    }
  return 0;
}

int sp_plan(const oc_listing *l, const sp_tier *t, sp_step *step, char *err, size_t errlen) {
  memset(step, 0, sizeof *step);
  if (sp_labels_distinct(l, err, errlen))
    return -1;
  if (t->noptions > 0)
    return sp_plan_tier(l, t, step, err, errlen);
  /* No tier: a single variant is the item itself ("0"); two or more make
   * one tier with a model each. */
  step->kind = ocu_live_variants(l) >= 2 ? SP_STEP_INIT : SP_STEP_NONE;
  return 0;
}

/* One model of init_tier_variation / add_model. */
static int sp_put_model(cJSON *arr, const oc_variant *v, int index) {
  cJSON *m = ocu_json_obj(arr, NULL), *ti;

  if (m == NULL || (ti = ocu_json_arr(m, "tier_index")) == NULL ||
      sp_put(ti, NULL, sp_int(index)) ||
      sp_put(m, "original_price", sp_int(v->price_vnd)) ||
      sp_put(m, "model_sku", cJSON_CreateString(v->sku)) || sp_put_stock(m, v->stock) ||
      sp_put_size(m, v))
    return -1;
  return 0;
}

/* tier_variation: [{name, option_list: [{option}]}]. */
static int sp_put_tier(cJSON *body, const char *name, const char *const *opts, size_t n) {
  cJSON *tv = ocu_json_arr(body, "tier_variation"), *t, *ol, *o;
  size_t i;

  if (tv == NULL || (t = ocu_json_obj(tv, NULL)) == NULL ||
      sp_put(t, "name", cJSON_CreateString(name)) || (ol = ocu_json_arr(t, "option_list")) == NULL)
    return -1;
  for (i = 0; i < n; i++)
    if ((o = ocu_json_obj(ol, NULL)) == NULL || sp_put(o, "option", cJSON_CreateString(opts[i])))
      return -1;
  return 0;
}

static const char *sp_tier_name(const oc_shop *shop) {
  const char *n = ocu_opt(shop, "variation_name");

  return n != NULL ? n : SP_TIER_NAME;
}

static int sp_fill_init(cJSON *body, const oc_shop *shop, const oc_listing *l) {
  const char *labels[OC_MAX_VARIANTS];
  size_t n = sp_live_labels(l, labels), i, k = 0;
  cJSON *arr;

  if (sp_put_tier(body, sp_tier_name(shop), labels, n) || (arr = ocu_json_arr(body, "model")) == NULL)
    return -1;
  for (i = 0; i < l->nvariants; i++)
    if (!l->variants[i].removed && sp_put_model(arr, &l->variants[i], (int)k++))
      return -1;
  return 0;
}

static int sp_fill_options(cJSON *body, const oc_shop *shop, const oc_listing *l,
                           const sp_tier *t) {
  const char *opts[SP_MAX_OPTIONS];
  size_t n = sp_options_after(l, t, opts);

  return sp_put_tier(body, t->name[0] ? t->name : sp_tier_name(shop), opts, n);
}

static int sp_fill_add(cJSON *body, const oc_listing *l, const sp_tier *t) {
  cJSON *arr = ocu_json_arr(body, "model_list");
  size_t i;

  if (arr == NULL)
    return -1;
  for (i = 0; i < l->nvariants; i++) {
    const oc_variant *v = &l->variants[i];

    if (sp_lacks_model(v) && sp_put_model(arr, v, sp_tier_index(t, v->label)))
      return -1;
  }
  return 0;
}

/* The step's body after item_id; its path in *path. */
static int sp_fill_step(cJSON *body, const oc_shop *shop, const oc_listing *l, const sp_tier *t,
                        const sp_step *st, const char **path) {
  if (sp_put(body, "item_id", cJSON_CreateRaw(l->item_id)))
    return -1;
  switch (st->kind) {
  case SP_STEP_INIT:
    *path = SP_PATH_INIT;
    return sp_fill_init(body, shop, l);
  case SP_STEP_OPTIONS:
    *path = SP_PATH_OPTIONS;
    return sp_fill_options(body, shop, l, t);
  case SP_STEP_ADD:
    *path = SP_PATH_ADD;
    return sp_fill_add(body, l, t);
  case SP_STEP_DELETE:
    *path = SP_PATH_DELETE;
    return sp_put(body, "model_id", cJSON_CreateRaw(st->target->remote_id));
  case SP_STEP_NONE:
    break;
  }
  return -1;
}

int sp_variants_body(const oc_shop *shop, const oc_listing *l, const char **path, char **text,
                     char *err, size_t errlen) {
  sp_tier t;
  sp_step st;
  cJSON *body;
  int r;

  *text = NULL;
  if (sp_tier_read(l->memo, &t, err, errlen))
    return -1;
  if (sp_plan(l, &t, &st, err, errlen)) {
    sp_tier_free(&t);
    return -1;
  }
  if (st.kind == SP_STEP_NONE) {
    sp_tier_free(&t);
    return OC_IN_LINE;
  }
  body = cJSON_CreateObject();
  if (body != NULL && sp_fill_step(body, shop, l, &t, &st, path) != 0) {
    ocu_err(err, errlen, "out of memory");
    r = sp_finish(body, -1, text, err, errlen);
  } else {
    r = sp_finish(body, 0, text, err, errlen);
  }
  sp_tier_free(&t);
  return r;
}

/* init_tier_variation replaced whatever the item had: the removed variants
 * that were on it are gone. */
static void sp_init_gone(const oc_listing *l, oc_listing_result *res) {
  size_t i;

  for (i = 0; i < l->nvariants; i++)
    if (l->variants[i].removed && l->variants[i].remote_id != NULL)
      sp_name_variant(res, l->variants[i].sku, l->variants[i].remote_id, -1, -1, 1);
}

/* The answer of the step build made: the models created (named by SKU),
 * the one deleted (gone), and the memo for the next step. */
static void sp_read_step(const oc_shop *shop, const oc_listing *l, const cJSON *resp,
                         const sp_tier *t, const sp_step *st, oc_listing_result *res) {
  const char *opts[SP_MAX_OPTIONS];
  size_t n;
  int nm, normal, status;

  switch (st->kind) {
  case SP_STEP_INIT:
    if (sp_name_models(shop, resp, 1, res, &nm, &normal, &status))
      return;
    sp_init_gone(l, res);
    n = sp_live_labels(l, opts);
    sp_memo_write(sp_tier_name(shop), opts, n, res->memo);
    return;
  case SP_STEP_OPTIONS:
    n = sp_options_after(l, t, opts);
    sp_memo_write(t->name[0] ? t->name : sp_tier_name(shop), opts, n, res->memo);
    return;
  case SP_STEP_ADD:
    if (sp_name_models(shop, resp, 1, res, &nm, &normal, &status))
      return;
    break;
  case SP_STEP_DELETE:
    sp_name_variant(res, st->target->sku, st->target->remote_id, -1, -1, 1);
    break;
  case SP_STEP_NONE:
    break;
  }
  ocu_strlcpy(res->memo, l->memo, sizeof res->memo);
}

void sp_read_variants(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *resp,
                      oc_listing_result *res) {
  char err[160];
  sp_tier t;
  sp_step st;

  (void)op;
  if (l == NULL || sp_tier_read(l->memo, &t, err, sizeof err)) {
    ocu_fail(&res->v, shop, OC_REJECTED, 0, "%s", l == NULL ? "listing is missing" : err);
    return;
  }
  if (sp_plan(l, &t, &st, err, sizeof err))
    ocu_fail(&res->v, shop, OC_REJECTED, 0, "%s", err);
  else
    sp_read_step(shop, l, resp, &t, &st, res);
  sp_tier_free(&t);
}
