/*
 * category.c — CATEGORY (see "Categories" in tiktok.md): a leaf category's
 * rules in three kinds of calls, merged step by step into the one JSON form
 * of connector.h:
 *   step 0  GET /product/202309/categories/{id}/attributes: the product
 *           attributes (type PRODUCT_PROPERTY; sales attributes are the
 *           variation axes and are left out), required when is_requried
 *           (so spelt by TikTok) or is_required is true, with their values;
 *           a category that is not a leaf is refused with 12052024 or
 *           12052230, which reads as "leaf": false and ends the steps;
 *   step 1  GET /product/202309/categories/{id}/rules: the certifications
 *           (is_required) and package_dimension.is_required;
 *   step 2+ GET /product/202309/brands?category_id=..&page_size=100: the
 *           brands the shop may select in the category, page after page
 *           (the next page's token rides in the rules as "_page" between
 *           steps and is gone from the last).
 * TikTok has no "no brand" entry (brand_id is optional) and no rule that
 * makes a brand required: "no_brand" is null, "brand_required" false.
 */
#include "tiktok.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

#define TT_CATEGORIES "/product/202309/categories/"
#define TT_BRANDS "/product/202309/brands"
#define TT_BRAND_PAGES 10 /* ours: at most 1000 brands */
#define TT_NOT_LEAF 12052024L
#define TT_NOT_LEAF2 12052230L

static const ocu_opdef tt_category_op = {"GET", TT_CATEGORIES, NULL, TT_SHOP, 0, NULL, NULL};

/* The rules so far, parsed; a new skeleton at step 0. NULL on bad input. */
static cJSON *tt_rules_in(const oc_category_query *q) {
  cJSON *r;

  if (q->step == 0 || ocu_empty(q->rules)) {
    r = cJSON_Parse("{\"leaf\":true,\"brand_required\":false,\"dimensions_required\":false,"
                    "\"no_brand\":null,\"brands\":[],\"attrs\":[],\"certifications\":[]}");
    return r;
  }
  r = cJSON_Parse(q->rules);
  if (r != NULL && !cJSON_IsObject(r)) {
    cJSON_Delete(r);
    r = NULL;
  }
  return r;
}

/* The brands page token the previous step kept, or "" for the first. */
static const char *tt_page(const cJSON *rules) {
  const char *p = ocu_json_str(rules, "_page");

  return p ? p : "";
}

int tt_category_build(const oc_shop *shop, const oc_category_query *q, int64_t now_ms,
                      oc_request *req, char *err, size_t errlen) {
  tt_param p[6];
  size_t n = 0;
  char ts[24], path[128];
  cJSON *rules = NULL;
  int r;

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    ocu_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  if (tt_check_shop(OC_OP_CATEGORY, &tt_category_op, shop, err, errlen))
    return -1;
  if (q == NULL || !tt_valid_id(q->category_id) || q->step < 0 ||
      q->step > 1 + TT_BRAND_PAGES) {
    ocu_err(err, errlen, "category query is not a TikTok category id and step");
    return -1;
  }
  if (now_ms < 0) {
    ocu_err(err, errlen, "clock is before 1970");
    return -1;
  }
  if (q->step >= 2 && (rules = tt_rules_in(q)) == NULL) {
    ocu_err(err, errlen, "category rules of the previous step are not JSON");
    return -1;
  }
  snprintf(ts, sizeof ts, "%" PRId64, now_ms / 1000);
  /* Sorted by key, so the URL lists them in signing order. */
  p[n++] = (tt_param){"app_key", shop->app_key};
  if (q->step >= 2) {
    p[n++] = (tt_param){"category_id", q->category_id};
    p[n++] = (tt_param){"page_size", "100"};
    if (tt_page(rules)[0] != '\0')
      p[n++] = (tt_param){"page_token", tt_page(rules)};
    ocu_strlcpy(path, TT_BRANDS, sizeof path);
  } else {
    snprintf(path, sizeof path, "%s%s/%s", TT_CATEGORIES, q->category_id,
             q->step == 0 ? "attributes" : "rules");
  }
  p[n++] = (tt_param){"shop_cipher", ocu_opt(shop, "shop_cipher")};
  p[n++] = (tt_param){"timestamp", ts};
  ocu_strlcpy(req->method, "GET", sizeof req->method);
  r = tt_shop_request(shop, path, p, n, req, err, errlen);
  cJSON_Delete(rules);
  return r;
}

/* 1 when the flag is the JSON true. */
static int tt_true(const cJSON *o, const char *key) {
  return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

/* {"id", "name"} of an entry whose id is a string; NULL when it is not. */
static cJSON *tt_id_name(const cJSON *e) {
  const char *id = ocu_json_str(e, "id"), *name = ocu_json_str(e, "name");
  cJSON *o;

  if (id == NULL || id[0] == '\0' || name == NULL)
    return NULL;
  o = cJSON_CreateObject();
  if (ocu_json_put(o, "id", cJSON_CreateString(id)) ||
      ocu_json_put(o, "name", cJSON_CreateString(name))) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

/* One product attribute in our form; NULL when unusable. */
static cJSON *tt_attr(const cJSON *a) {
  const cJSON *v, *values = cJSON_GetObjectItemCaseSensitive(a, "values");
  cJSON *o = tt_id_name(a), *list;

  if (o == NULL ||
      ocu_json_put(o, "required", cJSON_CreateBool(tt_true(a, "is_requried") ||
                                                   tt_true(a, "is_required"))) ||
      (list = ocu_json_arr(o, "values")) == NULL)
    goto bad;
  cJSON_ArrayForEach(v, values) {
    cJSON *e = tt_id_name(v);

    if (e != NULL && ocu_json_put(list, NULL, e))
      goto bad;
  }
  /* Listed values that the seller may also replace by free text. */
  if (ocu_json_put(o, "customizable", cJSON_CreateBool(tt_true(a, "is_customizable"))))
    goto bad;
  return o;
bad:
  cJSON_Delete(o);
  return NULL;
}

/* Replaces rules[key] with item (which may be NULL: OOM). */
static int tt_set(cJSON *rules, const char *key, cJSON *item) {
  if (item == NULL)
    return -1;
  if (cJSON_GetObjectItemCaseSensitive(rules, key) != NULL)
    return cJSON_ReplaceItemInObjectCaseSensitive(rules, key, item) ? 0 : -1;
  return ocu_json_put(rules, key, item);
}

static int tt_read_attrs(cJSON *rules, const cJSON *data) {
  const cJSON *a;
  cJSON *list = cJSON_CreateArray();

  cJSON_ArrayForEach(a, cJSON_GetObjectItemCaseSensitive(data, "attributes")) {
    const char *type = ocu_json_str(a, "type");
    cJSON *o;

    if (type != NULL && strcmp(type, "PRODUCT_PROPERTY") != 0)
      continue; /* SALES_PROPERTY: a variation axis */
    if ((o = tt_attr(a)) != NULL && ocu_json_put(list, NULL, o))
      break;
  }
  return tt_set(rules, "attrs", list);
}

static int tt_read_rules(cJSON *rules, const cJSON *data) {
  const cJSON *c, *dim = cJSON_GetObjectItemCaseSensitive(data, "package_dimension");
  cJSON *list = cJSON_CreateArray();

  cJSON_ArrayForEach(c, cJSON_GetObjectItemCaseSensitive(data, "product_certifications")) {
    cJSON *o = tt_id_name(c);

    if (o != NULL && (ocu_json_put(o, "required", cJSON_CreateBool(tt_true(c, "is_required"))) ||
                      ocu_json_put(list, NULL, o)))
      break;
  }
  if (tt_set(rules, "certifications", list))
    return -1;
  return tt_set(rules, "dimensions_required", cJSON_CreateBool(tt_true(dim, "is_required")));
}

/* A brand the shop may select (Get Brands): authorised and available in
 * the category, or unauthorised and not a T1 brand. */
static int tt_brand_usable(const cJSON *b) {
  const char *auth = ocu_json_str(b, "authorized_status");
  const char *st = ocu_json_str(b, "brand_status");

  if (auth != NULL && strcmp(auth, "AUTHORIZED") == 0)
    return st == NULL || strcmp(st, "AVAILABLE") == 0;
  return !tt_true(b, "is_t1_brand");
}

/* Appends this page's brands; keeps the next page's token, or drops it.
 * Returns 1 when another page is to be read, 0 when done, -1 on OOM. */
static int tt_read_brands(cJSON *rules, const cJSON *data, int step) {
  cJSON *list = cJSON_GetObjectItemCaseSensitive(rules, "brands");
  const char *next = ocu_json_str(data, "next_page_token");
  const cJSON *b;

  if (!cJSON_IsArray(list) && tt_set(rules, "brands", list = cJSON_CreateArray()))
    return -1;
  cJSON_ArrayForEach(b, cJSON_GetObjectItemCaseSensitive(data, "brands")) {
    cJSON *o = tt_brand_usable(b) ? tt_id_name(b) : NULL;

    if (o != NULL && ocu_json_put(list, NULL, o))
      return -1;
  }
  cJSON_DeleteItemFromObjectCaseSensitive(rules, "_page");
  if (next == NULL || next[0] == '\0' || strlen(next) > TT_PAGE_TOKEN_MAX ||
      step >= 1 + TT_BRAND_PAGES)
    return 0;
  return ocu_json_put(rules, "_page", cJSON_CreateString(next)) ? -1 : 1;
}

/* The refusal code of an answer that says no, or 0. */
static long tt_refusal_code(const char *body, size_t len) {
  cJSON *root = NULL;
  int64_t code = 0;
  char why[128];

  if (body != NULL && ocu_json_parse(body, len, &root, why, sizeof why) == 0)
    ocu_json_int(cJSON_GetObjectItemCaseSensitive(root, "code"), &code);
  cJSON_Delete(root);
  return (long)code;
}

/* Fills res->rules with the merged rules, or fails res->v. */
static void tt_rules_out(const oc_shop *shop, cJSON *rules, oc_category_result *res) {
  char *text = ocu_json_to_text(rules);

  if (text == NULL) {
    ocu_fail(&res->v, shop, OC_RETRY, 0, "out of memory");
    res->more = 0;
  } else if (strlen(text) >= OC_MAX_RULES) {
    free(text);
    TT_UNEXPECTED(&res->v, shop, "category rules are larger than %d bytes", OC_MAX_RULES);
    res->more = 0;
  } else {
    res->rules = text;
  }
}

/* Step 0 refused because the category is not a leaf: OC_OK, "leaf": false. */
static void tt_not_leaf(const oc_shop *shop, cJSON *rules, oc_category_result *res) {
  memset(&res->v, 0, sizeof res->v);
  if (tt_set(rules, "leaf", cJSON_CreateFalse())) {
    cJSON_Delete(rules);
    ocu_fail(&res->v, shop, OC_RETRY, 0, "out of memory");
    return;
  }
  tt_rules_out(shop, rules, res);
}

void tt_category_parse(const oc_shop *shop, const oc_category_query *q, long http_status,
                       const char *body, size_t len, oc_category_result *res) {
  const cJSON *data;
  cJSON *root, *rules;
  int r = -1;

  if (res == NULL)
    return;
  memset(res, 0, sizeof *res);
  root = tt_open(OC_OP_CATEGORY, shop, http_status, body, len, &res->v);
  if (q == NULL || (rules = tt_rules_in(q)) == NULL) {
    cJSON_Delete(root);
    ocu_fail(&res->v, shop, OC_REJECTED, 0, "category query or its rules are not usable");
    return;
  }
  if (root == NULL) {
    long code = res->v.status == OC_REJECTED ? tt_refusal_code(body, len) : 0;

    if (q->step == 0 && (code == TT_NOT_LEAF || code == TT_NOT_LEAF2))
      tt_not_leaf(shop, rules, res);
    else
      cJSON_Delete(rules);
    return;
  }
  if ((data = tt_req_obj(&res->v, shop, root, "data", "data")) != NULL) {
    if (q->step == 0)
      r = tt_read_attrs(rules, data) ? -1 : 1;
    else if (q->step == 1)
      r = tt_read_rules(rules, data) ? -1 : 1;
    else
      r = tt_read_brands(rules, data, q->step);
    if (r < 0)
      ocu_fail(&res->v, shop, OC_RETRY, 0, "out of memory");
  }
  cJSON_Delete(root);
  if (r < 0) {
    cJSON_Delete(rules);
    return;
  }
  res->more = r;
  tt_rules_out(shop, rules, res);
}
