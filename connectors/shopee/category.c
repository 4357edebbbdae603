/*
 * category.c — CATEGORY: a leaf category's rules in the JSON form of
 * connector.h, read in steps (see "Categories"):
 *   step 0   GET product/get_attribute_tree (category_id_list=<id>): the
 *            attributes, mandatory flag, input type, values with their ids;
 *   step 1.. GET product/get_brand_list, SP_BRAND_PAGE brands a page at
 *            offset (step - 1) * SP_BRAND_PAGE: the brands, is_mandatory.
 * Shopee gives attribute data for last-level categories only (official
 * guide "Product creation preparation"): a category whose answer carries no
 * attribute tree is not a leaf, and reads as "leaf": false at step 0.
 */
#include "shopee.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/json.h"
#include "../common/ops.h"
#include "../common/text.h"
#include "../common/validate.h"
#include "../common/verdict.h"

static const ocu_opdef sp_tree_def = {"GET", SP_ATTR_TREE_PATH, NULL, SP_SHOP, 0, NULL, NULL};
static const ocu_opdef sp_brand_def = {"GET", SP_BRAND_LIST_PATH, NULL, SP_SHOP, 0, NULL, NULL};

#define sp_put ocu_json_put

static int sp_category_check(const oc_shop *shop, const oc_category_query *q, int64_t now_ms,
                             char *err, size_t errlen) {
  const ocu_opdef *d = (q != NULL && q->step > 0) ? &sp_brand_def : &sp_tree_def;

  if (sp_check_shop(OC_OP_CATEGORY, d, shop, err, errlen))
    return -1;
  if (q == NULL || q->step < 0 || q->step > SP_BRAND_STEPS_MAX) {
    ocu_err(err, errlen, "category query is missing or its step is out of range");
    return -1;
  }
  if (!sp_valid_id(q->category_id)) {
    ocu_err(err, errlen, "category id is not a numeric Shopee category id");
    return -1;
  }
  if (now_ms < 0) {
    ocu_err(err, errlen, "clock is before 1970");
    return -1;
  }
  return 0;
}

int sp_category_build(const oc_shop *shop, const oc_category_query *q, int64_t now_ms,
                      oc_request *req, char *err, size_t errlen) {
  sp_param extra[5];
  char offset[24];
  size_t n = 0;
  const char *path;

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    ocu_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  if (sp_category_check(shop, q, now_ms, err, errlen))
    return -1;
  if (q->step == 0) {
    path = SP_ATTR_TREE_PATH;
    extra[n++] = (sp_param){"category_id_list", q->category_id, 1};
  } else {
    path = SP_BRAND_LIST_PATH;
    snprintf(offset, sizeof offset, "%d", (q->step - 1) * SP_BRAND_PAGE);
    extra[n++] = (sp_param){"offset", offset, 0};
    extra[n++] = (sp_param){"page_size", SP_BRAND_PAGE_TEXT, 0};
    extra[n++] = (sp_param){"category_id", q->category_id, 0};
    extra[n++] = (sp_param){"status", "1", 0}; /* 1: Shopee's brands, 2: pending */
  }
  /* English names: the core matches the attributes by name across markets. */
  extra[n++] = (sp_param){"language", "en", 0};
  if (sp_make_url(shop, path, now_ms / 1000, SP_SHOP, extra, n, &req->url, &req->log_url)) {
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  ocu_strlcpy(req->method, "GET", sizeof req->method);
  return 0;
}

/* ---- the rules document ------------------------------------------------- */

/* The rules a step starts from: the previous steps' (q->rules), else the
 * empty form. NULL with v failed. */
static cJSON *sp_rules_start(const oc_shop *shop, const oc_category_query *q, oc_verdict *v) {
  cJSON *r;

  if (q->step > 0) {
    r = ocu_empty(q->rules) ? NULL : cJSON_Parse(q->rules);
    if (!cJSON_IsObject(r)) {
      cJSON_Delete(r);
      ocu_fail(v, shop, OC_REJECTED, 0, "category rules of the previous step are not a JSON object");
      return NULL;
    }
    return r;
  }
  r = cJSON_CreateObject();
  if (r == NULL || sp_put(r, "leaf", cJSON_CreateTrue()) ||
      sp_put(r, "brand_required", cJSON_CreateFalse()) ||
      sp_put(r, "dimensions_required", cJSON_CreateFalse()) ||
      sp_put(r, "no_brand", cJSON_CreateNull()) || sp_put(r, "brands", cJSON_CreateArray()) ||
      sp_put(r, "attrs", cJSON_CreateArray()) ||
      sp_put(r, "certifications", cJSON_CreateArray())) {
    cJSON_Delete(r);
    ocu_fail(v, shop, OC_RETRY, 0, "out of memory");
    return NULL;
  }
  return r;
}

/* Sets key of r to item (replacing what is there); -1 on OOM. */
static int sp_rules_set(cJSON *r, const char *key, cJSON *item) {
  if (item == NULL)
    return -1;
  if (cJSON_GetObjectItemCaseSensitive(r, key) != NULL)
    return cJSON_ReplaceItemInObjectCaseSensitive(r, key, item) ? 0 : (cJSON_Delete(item), -1);
  return sp_put(r, key, item);
}

/* {"id": "<digits>", "name": name} appended to arr; -1 on OOM. */
static cJSON *sp_named(cJSON *arr, const char *id, const char *name) {
  cJSON *o = ocu_json_obj(arr, NULL);

  if (o == NULL || sp_put(o, "id", cJSON_CreateString(id)) ||
      sp_put(o, "name", cJSON_CreateString(name)))
    return NULL;
  return o;
}

/* An id member (a JSON integer) as text; -1 with v failed. */
static int sp_id_text(oc_verdict *v, const oc_shop *shop, const cJSON *obj, const char *key,
                      const char *what, char out[OC_ID_MAX]) {
  return sp_req_id(v, shop, cJSON_GetObjectItemCaseSensitive(obj, key), what, out, OC_ID_MAX);
}

/* ---- step 0: the attribute tree ----------------------------------------- */

/* The values of an attribute the seller picks from; a free-text attribute
 * (input_type 3, FREE_TEXT_FILED) has none in the rules. */
static int sp_attr_values(oc_verdict *v, const oc_shop *shop, const cJSON *a, cJSON *out) {
  const cJSON *info = cJSON_GetObjectItemCaseSensitive(a, "attribute_info");
  const cJSON *type = cJSON_GetObjectItemCaseSensitive(info, "input_type");
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(a, "attribute_value_list");
  const cJSON *e;
  char id[OC_ID_MAX];

  if (cJSON_IsNumber(type) && type->valueint == SP_INPUT_FREE_TEXT)
    return 0;
  if (list != NULL && !cJSON_IsNull(list) && !cJSON_IsArray(list)) {
    SP_UNEXPECTED(v, shop, "field attribute_value_list is not an array");
    return -1;
  }
  cJSON_ArrayForEach(e, list) {
    const char *name = ocu_json_str(e, "name");

    if (sp_id_text(v, shop, e, "value_id", "attribute_value_list[].value_id", id))
      return -1;
    if (name == NULL) {
      SP_UNEXPECTED(v, shop, "field attribute_value_list[].name is missing");
      return -1;
    }
    if (sp_named(out, id, name) == NULL) {
      ocu_fail(v, shop, OC_RETRY, 0, "out of memory");
      return -1;
    }
  }
  return 0;
}

static int sp_attr_add(oc_verdict *v, const oc_shop *shop, const cJSON *a, cJSON *attrs) {
  const char *name = ocu_json_str(a, "name");
  char id[OC_ID_MAX];
  cJSON *o, *values;

  if (sp_id_text(v, shop, a, "attribute_id", "attribute_tree[].attribute_id", id))
    return -1;
  if (name == NULL) {
    SP_UNEXPECTED(v, shop, "field attribute_tree[].name is missing");
    return -1;
  }
  if ((o = sp_named(attrs, id, name)) == NULL ||
      sp_put(o, "required",
             cJSON_CreateBool(cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(a, "mandatory")))) ||
      (values = ocu_json_arr(o, "values")) == NULL) {
    ocu_fail(v, shop, OC_RETRY, 0, "out of memory");
    return -1;
  }
  if (sp_attr_values(v, shop, a, values))
    return -1;
  if (cJSON_GetArraySize(values) == 0) /* the JSON form: no values, free text */
    cJSON_DeleteItemFromObjectCaseSensitive(o, "values");
  return 0;
}

/* Our category's entry of response.list; NULL when the answer has none. */
static const cJSON *sp_tree_entry(const cJSON *resp, const char *category_id) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(resp, "list"), *e;
  char id[OC_ID_MAX], tmp[128];

  if (!cJSON_IsArray(list))
    return NULL;
  cJSON_ArrayForEach(e, list) {
    if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(e, "category_id"), OCU_ID_NUMBER,
                    "category_id", id, sizeof id, tmp, sizeof tmp) == 0 &&
        strcmp(id, category_id) == 0)
      return e;
  }
  return NULL;
}

/* Step 0: the attributes, or "leaf": false when there is no tree. */
static int sp_read_tree(oc_verdict *v, const oc_shop *shop, const oc_category_query *q,
                        const cJSON *resp, cJSON *rules, int *more) {
  const cJSON *entry = sp_tree_entry(resp, q->category_id);
  const cJSON *tree = cJSON_GetObjectItemCaseSensitive(entry, "attribute_tree"), *a;
  cJSON *attrs = cJSON_GetObjectItemCaseSensitive(rules, "attrs");

  if (!cJSON_IsArray(tree) || cJSON_GetArraySize(tree) == 0) {
    *more = 0;
    return sp_rules_set(rules, "leaf", cJSON_CreateFalse());
  }
  cJSON_ArrayForEach(a, tree) {
    if (sp_attr_add(v, shop, a, attrs))
      return 1; /* v says why */
  }
  *more = 1; /* the brands come next */
  return 0;
}

/* ---- steps 1..: the brands ---------------------------------------------- */

/* brand_id 0 is Shopee's "No Brand" option (guide "Product creation
 * preparation"); the list names it, else it is {"0", SP_NO_BRAND_NAME}. */
static int sp_no_brand(cJSON *rules, const char *name, int mandatory) {
  cJSON *nb;

  if (mandatory)
    return sp_rules_set(rules, "no_brand", cJSON_CreateNull());
  nb = cJSON_GetObjectItemCaseSensitive(rules, "no_brand");
  if (name == NULL && cJSON_IsObject(nb))
    return 0; /* an earlier page named it */
  if ((nb = cJSON_CreateObject()) == NULL || sp_put(nb, "id", cJSON_CreateString("0")) ||
      sp_put(nb, "name", cJSON_CreateString(name ? name : SP_NO_BRAND_NAME))) {
    cJSON_Delete(nb);
    return -1;
  }
  return sp_rules_set(rules, "no_brand", nb);
}

static int sp_read_brands(oc_verdict *v, const oc_shop *shop, const cJSON *resp, cJSON *rules,
                          int *more) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(resp, "brand_list"), *b;
  cJSON *brands = cJSON_GetObjectItemCaseSensitive(rules, "brands");
  int mandatory = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(resp, "is_mandatory"));
  const char *no_brand = NULL;
  char id[OC_ID_MAX];

  if (list != NULL && !cJSON_IsNull(list) && !cJSON_IsArray(list)) {
    SP_UNEXPECTED(v, shop, "field response.brand_list is not an array");
    return 1;
  }
  if (!cJSON_IsArray(brands) && sp_rules_set(rules, "brands", cJSON_CreateArray()))
    return -1;
  brands = cJSON_GetObjectItemCaseSensitive(rules, "brands");
  cJSON_ArrayForEach(b, list) {
    const char *name = ocu_json_str(b, "original_brand_name");

    if (sp_id_text(v, shop, b, "brand_id", "brand_list[].brand_id", id))
      return 1;
    if (name == NULL) {
      SP_UNEXPECTED(v, shop, "field brand_list[].original_brand_name is missing");
      return 1;
    }
    if (strcmp(id, "0") == 0)
      no_brand = name;
    else if (sp_named(brands, id, name) == NULL)
      return -1;
  }
  *more = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(resp, "has_next_page"));
  if (sp_rules_set(rules, "brand_required", cJSON_CreateBool(mandatory)))
    return -1;
  return sp_no_brand(rules, no_brand, mandatory);
}

/* ---- parse -------------------------------------------------------------- */

static void sp_category_read(const oc_shop *shop, const oc_category_query *q, const cJSON *root,
                             oc_category_result *res) {
  const cJSON *resp = sp_req_obj(&res->v, shop, root, "response", "response");
  cJSON *rules;
  int r;

  if (resp == NULL || (rules = sp_rules_start(shop, q, &res->v)) == NULL)
    return;
  r = q->step == 0 ? sp_read_tree(&res->v, shop, q, resp, rules, &res->more)
                   : sp_read_brands(&res->v, shop, resp, rules, &res->more);
  if (r == 0) { /* malloc'd text: the core frees it with free() */
    if ((res->rules = ocu_json_to_text(rules)) == NULL)
      r = -1;
  } else {
    cJSON_Delete(rules);
  }
  if (r < 0)
    ocu_fail(&res->v, shop, OC_RETRY, 0, "out of memory");
  if (r != 0)
    res->more = 0;
}

void sp_category_parse(const oc_shop *shop, const oc_category_query *q, long http_status,
                       const char *body, size_t len, oc_category_result *res) {
  cJSON *root;
  int flags;

  if (res == NULL)
    return;
  memset(res, 0, sizeof *res);
  if (q == NULL) {
    ocu_fail(&res->v, shop, OC_REJECTED, 0, "category query is missing");
    return;
  }
  if (ocu_verdict_start(&res->v, shop, http_status))
    return;
  root = sp_envelope(OC_OP_CATEGORY, shop, http_status, body, len, &res->v, &flags);
  if (root == NULL)
    return;
  sp_category_read(shop, q, root, res);
  cJSON_Delete(root);
  if (res->v.status != OC_OK) {
    free(res->rules);
    res->rules = NULL;
    res->more = 0;
  }
}
