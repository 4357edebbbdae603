/*
 * category.c — CATEGORY (see "Categories"): a leaf category's rules from
 * GetCategoryAttributes (step 0: GET /category/attributes/get with
 * primary_category_id and language_code en_US), then the brands from
 * GetBrandByPages (steps 1.. : GET /category/brands/query, startRow and
 * pageSize), merged into the one JSON form of connector.h.
 *
 * How Lazada's answers become rules:
 * - an attribute's "id" is its key name (what goes under Attributes), its
 *   "name" the label; "required" is is_mandatory; singleSelect and
 *   multiSelect list their options' en_name (what CreateProduct takes), the
 *   other input types take any text (enumInput and multiEnumInput accept
 *   custom values). Left out: what the connector fills itself (name,
 *   description, short_description, brand), SKU-level attributes (the
 *   packages, from the variants), sale properties (the variation) and
 *   images.
 * - [our reading] the "brand" attribute's is_mandatory is brand_required;
 *   where it is 0, no_brand is the brand list's "No Brand" entry.
 * - dimensions_required is always true: every SKU carries its package.
 * - [our reading] a category that is not a leaf has no attribute set: its
 *   GetCategoryAttributes answers E057 ("No attribute sets linked to that
 *   category"), which reads as "leaf": false.
 */
#include "lazada.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

#define LZ_BRAND_PAGE 200      /* GetBrandByPages pageSize maximum */
#define LZ_BRAND_PAGES_MAX 100 /* and OC_MAX_RULES stop it earlier */
#define LZ_NO_BRAND "No Brand"

static const ocu_opdef lz_attrs_op = {"GET", "/category/attributes/get", NULL, LZ_SELLER,
                                      0,     NULL,                        NULL};
static const ocu_opdef lz_brands_op = {"GET", "/category/brands/query", NULL, LZ_SELLER,
                                       0,     NULL,                      NULL};

int lz_category_build(const oc_shop *shop, const oc_category_query *q, int64_t now_ms,
                      oc_request *req, char *err, size_t errlen) {
  const ocu_opdef *d;
  lz_param p[LZ_MAX_PARAMS];
  char ts[24], start[24], size[24];
  size_t np;

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL || q == NULL) {
    ocu_err(err, errlen, "%s is missing", req == NULL ? "request" : "category query");
    return -1;
  }
  memset(req, 0, sizeof *req);
  d = q->step == 0 ? &lz_attrs_op : &lz_brands_op;
  if (lz_check_shop(OC_OP_CATEGORY, d, shop, err, errlen))
    return -1;
  if (!lz_valid_id(q->category_id) || q->step < 0 || q->step > LZ_BRAND_PAGES_MAX) {
    ocu_err(err, errlen, "category query needs a numeric Lazada category id and a step of 0-%d",
            LZ_BRAND_PAGES_MAX);
    return -1;
  }
  if (now_ms < 0) {
    ocu_err(err, errlen, "clock is before 1970");
    return -1;
  }
  snprintf(ts, sizeof ts, "%" PRId64, now_ms);
  np = lz_sys_params(p, d, shop, ts);
  if (q->step == 0) {
    p[np++] = (lz_param){"primary_category_id", q->category_id, 0};
    p[np++] = (lz_param){"language_code", "en_US", 0};
  } else {
    snprintf(start, sizeof start, "%d", (q->step - 1) * LZ_BRAND_PAGE);
    snprintf(size, sizeof size, "%d", LZ_BRAND_PAGE);
    p[np++] = (lz_param){"startRow", start, 0};
    p[np++] = (lz_param){"pageSize", size, 0};
  }
  if (lz_emit_signed(d, shop->base_url, shop, p, np, req) == 0)
    return 0;
  ocu_err(err, errlen, "out of memory");
  return -1;
}

/* A flag Lazada writes as 1, "1", true. */
static int lz_flag(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

  return (cJSON_IsNumber(v) && v->valuedouble == 1) || cJSON_IsTrue(v) ||
         (cJSON_IsString(v) && strcmp(v->valuestring, "1") == 0);
}

/* 1 for an attribute the rules leave out (see the top of this file). */
static int lz_attr_skipped(const cJSON *a, const char *key) {
  static const char *const own[] = {"name", "description", "short_description", "brand"};
  const char *type = ocu_json_str(a, "attribute_type"), *input = ocu_json_str(a, "input_type");
  size_t i;

  for (i = 0; i < sizeof own / sizeof own[0]; i++)
    if (strcmp(key, own[i]) == 0)
      return 1;
  return (type != NULL && strcmp(type, "sku") == 0) || lz_flag(a, "is_sale_prop") ||
         (input != NULL && strcmp(input, "img") == 0);
}

/* "values" of a closed list: each option's id and en_name (else name). */
static int lz_put_values(cJSON *attr, const cJSON *opts) {
  cJSON *vals = ocu_json_arr(attr, "values"), *v;
  const cJSON *o;
  char id[OC_ID_MAX], why[8];

  if (vals == NULL)
    return -1;
  cJSON_ArrayForEach(o, opts) {
    const char *name = ocu_json_str(o, "en_name");

    if (name == NULL || name[0] == '\0')
      name = ocu_json_str(o, "name");
    if (name == NULL || name[0] == '\0')
      continue;
    if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(o, "id"), OCU_ID_NUMBER | OCU_ID_STRING,
                    "id", id, sizeof id, why, sizeof why))
      ocu_strlcpy(id, name, sizeof id);
    if ((v = ocu_json_obj(vals, NULL)) == NULL ||
        ocu_json_put(v, "id", cJSON_CreateString(id)) ||
        ocu_json_put(v, "name", cJSON_CreateString(name)))
      return -1;
  }
  return 0;
}

/* One attribute into the rules' attrs. */
static int lz_put_attr(cJSON *attrs, const cJSON *a, const char *key) {
  const char *label = ocu_json_str(a, "label"), *input = ocu_json_str(a, "input_type");
  const cJSON *opts = cJSON_GetObjectItemCaseSensitive(a, "options");
  cJSON *o = ocu_json_obj(attrs, NULL);

  if (label == NULL || label[0] == '\0')
    label = key;
  if (o == NULL || ocu_json_put(o, "id", cJSON_CreateString(key)) ||
      ocu_json_put(o, "name", cJSON_CreateString(label)) ||
      ocu_json_put(o, "required", cJSON_CreateBool(lz_flag(a, "is_mandatory"))))
    return -1;
  if (input != NULL && (strcmp(input, "singleSelect") == 0 || strcmp(input, "multiSelect") == 0) &&
      cJSON_IsArray(opts) && cJSON_GetArraySize(opts) > 0)
    return lz_put_values(o, opts);
  return 0;
}

/* The rules of a category: everything but the brands. */
static cJSON *lz_rules_new(int leaf, int brand_required) {
  cJSON *r = cJSON_CreateObject();

  if (r == NULL || ocu_json_put(r, "leaf", cJSON_CreateBool(leaf)) ||
      ocu_json_put(r, "brand_required", cJSON_CreateBool(brand_required)) ||
      ocu_json_put(r, "dimensions_required", cJSON_CreateBool(leaf)) ||
      ocu_json_put(r, "no_brand", cJSON_CreateNull()) || ocu_json_arr(r, "brands") == NULL ||
      ocu_json_arr(r, "attrs") == NULL || ocu_json_arr(r, "certifications") == NULL) {
    cJSON_Delete(r);
    return NULL;
  }
  return r;
}

/* Step 0: data[] of GetCategoryAttributes into new rules; NULL with v set. */
static cJSON *lz_read_attrs(const oc_shop *shop, const cJSON *root, oc_verdict *v) {
  const cJSON *data = ocu_req_array(v, shop, root, "data", "data", LZ_LEAD), *a;
  int brand_required = 0;
  cJSON *rules;

  if (data == NULL)
    return NULL;
  cJSON_ArrayForEach(a, data) {
    const char *key = ocu_json_str(a, "name");

    if (!cJSON_IsObject(a) || key == NULL || key[0] == '\0') {
      LZ_MALFORMED(v, shop, "field data[] is not an attribute with a name");
      return NULL;
    }
    if (strcmp(key, "brand") == 0)
      brand_required = lz_flag(a, "is_mandatory");
  }
  if ((rules = lz_rules_new(1, brand_required)) == NULL)
    goto oom;
  cJSON_ArrayForEach(a, data) {
    const char *key = ocu_json_str(a, "name");

    if (!lz_attr_skipped(a, key) &&
        lz_put_attr(cJSON_GetObjectItemCaseSensitive(rules, "attrs"), a, key))
      goto oom;
  }
  return rules;
oom:
  cJSON_Delete(rules);
  ocu_fail(v, shop, OC_RETRY, 0, "out of memory");
  return NULL;
}

/* The brand entry {id, name} of a module[] element; 0, or -1 when it is
 * not one (skipped). */
static int lz_brand_of(const cJSON *b, char id[OC_ID_MAX], const char **name) {
  char why[8];

  *name = ocu_json_str(b, "name");
  return *name == NULL || (*name)[0] == '\0' ||
                 ocu_json_id(cJSON_GetObjectItemCaseSensitive(b, "brand_id"),
                             OCU_ID_NUMBER | OCU_ID_STRING, "brand_id", id, OC_ID_MAX, why,
                             sizeof why)
             ? -1
             : 0;
}

/* Steps 1..: data.module[] appended to the rules' brands; the count read
 * into *n. -1 on OOM or a bad answer (v set). */
static int lz_read_brands(const oc_shop *shop, const cJSON *root, cJSON *rules, int *n,
                          oc_verdict *v) {
  const cJSON *data = lz_data(v, shop, root), *mod, *b;
  cJSON *brands = cJSON_GetObjectItemCaseSensitive(rules, "brands"), *e;
  int free_brand = !cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(rules, "brand_required"));
  char id[OC_ID_MAX];
  const char *name;

  if (data == NULL ||
      (mod = ocu_req_array(v, shop, data, "module", "data.module", LZ_LEAD)) == NULL)
    return -1;
  *n = cJSON_GetArraySize(mod);
  cJSON_ArrayForEach(b, mod) {
    if (lz_brand_of(b, id, &name))
      continue;
    if ((e = ocu_json_obj(brands, NULL)) == NULL ||
        ocu_json_put(e, "id", cJSON_CreateString(id)) ||
        ocu_json_put(e, "name", cJSON_CreateString(name)))
      goto oom;
    if (free_brand && strcasecmp(name, LZ_NO_BRAND) == 0 &&
        !cJSON_ReplaceItemInObjectCaseSensitive(rules, "no_brand", cJSON_Duplicate(e, 1)))
      goto oom;
  }
  return 0;
oom:
  ocu_fail(v, shop, OC_RETRY, 0, "out of memory");
  return -1;
}

/* The rules so far (q->rules), as a tree; NULL with v failed. */
static cJSON *lz_rules_prev(const oc_shop *shop, const oc_category_query *q, oc_verdict *v) {
  cJSON *r = NULL;
  char why[96];

  if (q->rules == NULL ||
      ocu_json_parse(q->rules, strlen(q->rules), &r, why, sizeof why) != 0 ||
      !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(r, "brands"))) {
    cJSON_Delete(r);
    ocu_fail(v, shop, OC_REJECTED, 0, "category step %d has no rules from step 0", q->step);
    return NULL;
  }
  return r;
}

/* 1 when the error text is Lazada's code `code` (E057 is written "57" or
 * "E057"). */
static int lz_error_is(const char *err, const char *code) {
  size_t n = strlen(code);

  if (err[0] == 'E')
    err++;
  while (*err == '0' && code[0] != '0')
    err++;
  return strncmp(err, code, n) == 0 && (err[n] == '\0' || err[n] == ':');
}

/* The rules' text into res (the rules tree is freed). */
static void lz_rules_out(const oc_shop *shop, cJSON *rules, oc_category_result *res) {
  if ((res->rules = ocu_json_to_text(rules)) == NULL)
    ocu_fail(&res->v, shop, OC_RETRY, 0, "out of memory");
  else if (strlen(res->rules) >= OC_MAX_RULES) {
    free(res->rules);
    res->rules = NULL;
    res->more = 0;
    ocu_fail(&res->v, shop, OC_REJECTED, 0, "the category's rules exceed %d bytes",
             OC_MAX_RULES);
  }
}

/* Step 0: the attributes, or a category that is not a leaf. */
static void lz_parse_step0(const oc_shop *shop, long http_status, const char *body, size_t len,
                           oc_category_result *res) {
  int flags;
  cJSON *root = lz_envelope(OC_OP_CATEGORY, shop, http_status, body, len, &res->v, &flags);
  cJSON *rules;

  if (root == NULL) {
    if (res->v.status == OC_REJECTED && lz_error_is(res->v.error, "57") &&
        (rules = lz_rules_new(0, 0)) != NULL) {
      memset(&res->v, 0, sizeof res->v);
      lz_rules_out(shop, rules, res);
    }
    return;
  }
  rules = lz_read_attrs(shop, root, &res->v);
  cJSON_Delete(root);
  if (rules == NULL)
    return;
  res->more = 1;
  lz_rules_out(shop, rules, res);
}

/* Steps 1..: one page of brands; another while pages are full and the
 * rules stay well within OC_MAX_RULES. A page that would break the limit
 * ends the brands where they were. */
static void lz_parse_brands(const oc_shop *shop, const oc_category_query *q, long http_status,
                            const char *body, size_t len, oc_category_result *res) {
  int flags, n = 0;
  cJSON *root, *rules = lz_rules_prev(shop, q, &res->v);
  size_t before;

  if (rules == NULL)
    return;
  root = lz_envelope(OC_OP_CATEGORY, shop, http_status, body, len, &res->v, &flags);
  if (root == NULL || lz_read_brands(shop, root, rules, &n, &res->v)) {
    cJSON_Delete(root);
    cJSON_Delete(rules);
    return;
  }
  cJSON_Delete(root);
  before = strlen(q->rules);
  lz_rules_out(shop, rules, res);
  if (res->rules == NULL) { /* too long: keep what the previous steps read */
    memset(&res->v, 0, sizeof res->v);
    res->rules = ocu_asprintf("%s", q->rules);
    if (res->rules == NULL)
      ocu_fail(&res->v, shop, OC_RETRY, 0, "out of memory");
    return;
  }
  res->more = n >= LZ_BRAND_PAGE && q->step < LZ_BRAND_PAGES_MAX &&
              strlen(res->rules) + (strlen(res->rules) - before) < OC_MAX_RULES;
}

void lz_category_parse(const oc_shop *shop, const oc_category_query *q, long http_status,
                       const char *body, size_t len, oc_category_result *res) {
  if (res == NULL)
    return;
  memset(res, 0, sizeof *res);
  if (q == NULL) {
    ocu_fail(&res->v, shop, OC_REJECTED, 0, "category query is missing");
    return;
  }
  if (ocu_verdict_start(&res->v, shop, http_status))
    return;
  if (q->step == 0)
    lz_parse_step0(shop, http_status, body, len, res);
  else
    lz_parse_brands(shop, q, http_status, body, len, res);
}
