/*
 * parse.c — Lazada answers: the envelope and its error classes (see
 * "Envelope and errors"), and the listing and token results.
 */
#include "lazada.h"

#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/token.h"

#define lz_req_str(v, shop, obj, key, what) ocu_req_str(v, shop, obj, key, what, LZ_LEAD)
/* An id (JSON number, <= 2^53-1) into out. */
#define lz_req_id(v, shop, item, what, out, outlen) \
  ocu_req_id(v, shop, item, OCU_ID_NUMBER, what, out, outlen, LZ_LEAD)

/*
 * A decimal amount as whole units, rounded half away from zero: "150000",
 * "1299.00", "1299.5" -> 1300. Digits, at most one '.', no sign, within
 * 2^53-1. 0 or -1.
 */
int lz_decimal(const char *s, int64_t *out) {
  int64_t v = 0;
  const char *p = s;

  if (s == NULL || *p < '0' || *p > '9')
    return -1;
  for (; *p >= '0' && *p <= '9'; p++) {
    if (v > (OCU_JSON_INT_MAX - (*p - '0')) / 10)
      return -1;
    v = v * 10 + (*p - '0');
  }
  if (*p == '.') {
    p++;
    if (*p < '0' || *p > '9')
      return -1;
    if (*p >= '5') {
      if (v == OCU_JSON_INT_MAX)
        return -1;
      v++;
    }
    while (*p >= '0' && *p <= '9')
      p++;
  }
  if (*p != '\0')
    return -1;
  *out = v;
  return 0;
}

/* A number (rounded when `round`) or a decimal string; -1 with res set. */
static int lz_req_amount(oc_verdict *res, const oc_shop *shop, const cJSON *obj,
                         const char *key, const char *what, int round,
                         int64_t *out) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it)) {
    LZ_MALFORMED(res, shop, "field %s is missing", what);
    return -1;
  }
  if (cJSON_IsString(it)) {
    if (lz_decimal(it->valuestring, out) != 0 ||
        (!round && strchr(it->valuestring, '.') != NULL)) {
      LZ_MALFORMED(res, shop, "field %s is not a%s number", what,
                   round ? "" : "n integer");
      return -1;
    }
    return 0;
  }
  if (!cJSON_IsNumber(it)) {
    LZ_MALFORMED(res, shop, "field %s is not a number", what);
    return -1;
  }
  if ((round ? ocu_json_round(it, out) : ocu_json_int(it, out)) != 0 ||
      *out < 0) {
    LZ_MALFORMED(res, shop, "field %s is not a non-negative integer in range",
                 what);
    return -1;
  }
  return 0;
}

/* data: a required object. */
const cJSON *lz_data(oc_verdict *v, const oc_shop *shop, const cJSON *root) {
  return ocu_req_obj(v, shop, root, "data", "data", LZ_LEAD);
}

/* The payload hook: every listing answer Lazada reads back is in data;
 * a VARIANTS step reads the whole answer (UpdateProduct and RemoveSku
 * document none). */
const cJSON *lz_payload(oc_op op, const oc_shop *shop, const cJSON *root, int flags,
                        oc_verdict *v) {
  (void)flags;
  return op == OC_OP_VARIANTS ? root : lz_data(v, shop, root);
}

/* The SellerSku of one skus[] entry; NULL (res failed) when it is not a
 * string, "" when absent. */
static const char *lz_seller_sku(oc_verdict *res, const oc_shop *shop, const cJSON *s,
                                 const char *what) {
  const cJSON *ss = cJSON_GetObjectItemCaseSensitive(s, "SellerSku");

  if (ss == NULL || cJSON_IsNull(ss))
    return "";
  if (!cJSON_IsString(ss)) {
    LZ_MALFORMED(res, shop, "field %s.skus[].SellerSku is not a string", what);
    return NULL;
  }
  return ss->valuestring;
}

/* obj.skus[]: an array of objects, or NULL with res failed. */
static const cJSON *lz_skus(oc_verdict *res, const oc_shop *shop, const cJSON *obj,
                            const char *what) {
  const cJSON *skus = cJSON_GetObjectItemCaseSensitive(obj, "skus"), *s;

  if (skus == NULL || cJSON_IsNull(skus)) {
    LZ_MALFORMED(res, shop, "field %s.skus is missing", what);
    return NULL;
  }
  if (!cJSON_IsArray(skus)) {
    LZ_MALFORMED(res, shop, "field %s.skus is not an array", what);
    return NULL;
  }
  cJSON_ArrayForEach(s, skus) if (!cJSON_IsObject(s)) {
    LZ_MALFORMED(res, shop, "field %s.skus[] is not an object", what);
    return NULL;
  }
  return skus;
}

/* 1 when the SKU entry is deleted (Status "deleted"): never ours again. */
static int lz_sku_deleted(const cJSON *s) {
  const char *st = ocu_json_str(s, "Status");

  return st != NULL && strcmp(st, "deleted") == 0;
}

/* 1 when obj has a live SKU whose SellerSku is the product code or one of
 * the listing's variant SKUs (any SKU without a listing); -1 on a bad shape. */
static int lz_names_ours(oc_verdict *res, const oc_shop *shop, const cJSON *obj,
                         const char *what, const oc_listing *l) {
  const cJSON *skus = lz_skus(res, shop, obj, what), *s;
  const char *ss;
  size_t i;

  if (skus == NULL)
    return -1;
  cJSON_ArrayForEach(s, skus) {
    if ((ss = lz_seller_sku(res, shop, s, what)) == NULL)
      return -1;
    if (ss[0] == '\0' || lz_sku_deleted(s))
      continue;
    if (l == NULL || strcmp(ss, l->sku) == 0)
      return 1;
    for (i = 0; i < l->nvariants; i++)
      if (strcmp(ss, l->variants[i].sku) == 0)
        return 1;
  }
  return 0;
}

/* The item's sale property name (see lz_axis_of): variation.Variation1
 * (answers spell it either case), else the first saleProp key; "". */
static void lz_read_memo(const cJSON *item, const cJSON *skus, oc_listing_result *res) {
  const cJSON *var = cJSON_GetObjectItemCaseSensitive(item, "variation"), *v1, *sp;
  const char *name = NULL;

  v1 = cJSON_GetObjectItemCaseSensitive(var, "Variation1");
  if (v1 == NULL)
    v1 = cJSON_GetObjectItemCaseSensitive(var, "variation1");
  name = ocu_json_str(v1, "name");
  if (name == NULL) {
    sp = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(skus, 0), "saleProp");
    if (cJSON_IsObject(sp) && sp->child != NULL && sp->child->string != NULL)
      name = sp->child->string;
  }
  if (name != NULL && strlen(name) < sizeof res->memo && ocu_utf8_valid(name, strlen(name)))
    ocu_strlcpy(res->memo, name, sizeof res->memo);
}

/* One skus[] entry into res->variants: SellerSku, SkuId, price, quantity
 * (-1 when absent, unless need_amounts). 0, or -1 with res failed. */
static int lz_read_sku(oc_verdict *v, const oc_shop *shop, const cJSON *s, const char *what,
                       const char *ss, int need_amounts, oc_listing_result *res) {
  oc_variant_result *r;
  char id_what[64], p_what[64], q_what[64];

  if (res->nvariants >= OC_MAX_VARIANTS || strlen(ss) >= sizeof r->sku)
    return 0; /* not a SKU of ours: ours fit */
  r = &res->variants[res->nvariants];
  memset(r, 0, sizeof *r);
  r->price_vnd = r->stock = -1;
  snprintf(id_what, sizeof id_what, "%s.skus[].SkuId", what);
  snprintf(p_what, sizeof p_what, "%s.skus[].price", what);
  snprintf(q_what, sizeof q_what, "%s.skus[].quantity", what);
  if (ocu_req_id(v, shop, cJSON_GetObjectItemCaseSensitive(s, "SkuId"),
                 OCU_ID_NUMBER | OCU_ID_STRING, id_what, r->remote_id, sizeof r->remote_id,
                 LZ_LEAD))
    return -1;
  if ((need_amounts || cJSON_GetObjectItemCaseSensitive(s, "price") != NULL) &&
      lz_req_amount(v, shop, s, "price", p_what, 1, &r->price_vnd))
    return -1;
  if ((need_amounts || cJSON_GetObjectItemCaseSensitive(s, "quantity") != NULL) &&
      lz_req_amount(v, shop, s, "quantity", q_what, 0, &r->stock))
    return -1;
  ocu_strlcpy(r->sku, ss, sizeof r->sku);
  res->nvariants++;
  return 0;
}

/* Every live SKU of an item (GetProductItem data, a GetProducts product)
 * into res->variants, and its sale property into res->memo. */
void lz_read_item_skus(oc_verdict *v, const oc_shop *shop, const cJSON *item, const char *what,
                       int need_amounts, oc_listing_result *res) {
  const cJSON *skus = lz_skus(v, shop, item, what), *s;
  const char *ss;

  if (skus == NULL)
    return;
  cJSON_ArrayForEach(s, skus) {
    if ((ss = lz_seller_sku(v, shop, s, what)) == NULL)
      return;
    if (ss[0] == '\0' || lz_sku_deleted(s))
      continue;
    if (lz_read_sku(v, shop, s, what, ss, need_amounts, res))
      return;
  }
  lz_read_memo(item, skus, res);
}

/* The item's id, which must be the one asked for when there is one. */
static int lz_item_id(oc_verdict *v, const oc_shop *shop, const cJSON *item, const char *what,
                      const char *want, char out[OC_ID_MAX]) {
  if (lz_req_id(v, shop, cJSON_GetObjectItemCaseSensitive(item, "item_id"), what, out,
                OC_ID_MAX))
    return -1;
  if (want != NULL && strcmp(out, want) != 0) {
    LZ_MALFORMED(v, shop, "%s is not the item asked for", what);
    return -1;
  }
  return 0;
}

/* LOOKUP_SKU by item id (GetProductItem): the item's SKUs. */
static void lz_read_lookup_item(const oc_shop *shop, const oc_listing *l, const cJSON *data,
                                oc_listing_result *res) {
  const char *st;

  if (lz_item_id(&res->v, shop, data, "data.item_id", l->item_id, res->item_id))
    return;
  st = ocu_json_str(data, "status");
  if (st != NULL && strcmp(st, "deleted") == 0) {
    res->item_id[0] = '\0';
    ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "item status deleted");
    return;
  }
  lz_read_item_skus(&res->v, shop, data, "data", 0, res);
}

/* LOOKUP_SKU: by item id, the item's SKUs; else the first product not
 * deleted with a live SKU named ours, and its SKUs. */
void lz_read_lookup(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                    oc_listing_result *res) {
  const cJSON *products, *p;
  int ours;

  (void)op;
  if (l != NULL && l->item_id != NULL) {
    lz_read_lookup_item(shop, l, data, res);
    return;
  }
  products = ocu_found_list(&res->v, shop, data, "products", "data.products", LZ_LEAD);
  if (products == NULL)
    return;
  cJSON_ArrayForEach(p, products) {
    const char *st;

    if (!cJSON_IsObject(p)) {
      LZ_MALFORMED(&res->v, shop, "field data.products[] is not an object");
      return;
    }
    if ((ours = lz_names_ours(&res->v, shop, p, "data.products[]", l)) < 0)
      return;
    st = ocu_json_str(p, "status");
    if (!ours || (st != NULL && strcmp(st, "deleted") == 0))
      continue;
    if (lz_item_id(&res->v, shop, p, "data.products[].item_id", NULL, res->item_id) == 0)
      lz_read_item_skus(&res->v, shop, p, "data.products[]", 0, res);
    return;
  }
  ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "no listing with this SKU");
}

/* GET_LISTING: the item's status, and price and stock of every live SKU. */
void lz_read_listing(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                     oc_listing_result *res) {
  const char *st;
  char id[OC_ID_MAX];

  (void)op;
  if (lz_item_id(&res->v, shop, data, "data.item_id", l ? l->item_id : NULL, id))
    return;
  if ((st = lz_req_str(&res->v, shop, data, "status", "data.status")) == NULL)
    return;
  if (strcmp(st, "deleted") == 0) {
    ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "item status deleted");
    return;
  }
  lz_read_item_skus(&res->v, shop, data, "data", 1, res);
  if (res->v.status != OC_OK)
    return;
  ocu_strlcpy(res->item_id, id, sizeof res->item_id);
  res->active = strcmp(st, "active") == 0;
  /* pending, rejected and unknown states read as not active; say which. */
  if (strcmp(st, "active") != 0 && strcmp(st, "inactive") != 0)
    ocu_fail(&res->v, shop, OC_OK, 0, "item status %s", st);
}

/* Token replies are top-level (no data). */
void lz_read_token(const oc_shop *shop, const cJSON *root, oc_token_result *res) {
  const cJSON *rx;
  const char *at, *rt;
  int64_t exp, rexp = 0;

  if (ocu_token_pair(&res->v, shop, root, "", LZ_LEAD, &at, &rt) ||
      lz_req_amount(&res->v, shop, root, "expires_in", "expires_in", 0, &exp))
    return;
  rx = cJSON_GetObjectItemCaseSensitive(root, "refresh_expires_in");
  if (rx != NULL && !cJSON_IsNull(rx) &&
      lz_req_amount(&res->v, shop, root, "refresh_expires_in",
                    "refresh_expires_in", 0, &rexp))
    return;
  if (at[0] == '\0' || rt[0] == '\0' || exp <= 0) {
    LZ_MALFORMED(&res->v, shop, "empty access_token, refresh_token or expires_in");
    return;
  }
  /*
   * parse does not know the time: these are LIFETIMES in seconds
   * (expires_in, refresh_expires_in), not unix times; the core adds
   * the time it sent the request. refresh_expires_at is 0 when not given.
   */
  ocu_token_set(res, shop, LZ_LEAD, at, rt, exp, rexp);
}

/* Case-insensitive "notfound" / "not_found" / "not found" in s. */
static int lz_says_not_found(const char *s) {
  for (; *s; s++) {
    const char *q = s;

    if ((q[0] | 0x20) != 'n' || (q[1] | 0x20) != 'o' || (q[2] | 0x20) != 't')
      continue;
    q += 3;
    if (*q == '_' || *q == ' ')
      q++;
    if ((q[0] | 0x20) == 'f' && (q[1] | 0x20) == 'o' && (q[2] | 0x20) == 'u' &&
        (q[3] | 0x20) == 'n' && (q[4] | 0x20) == 'd')
      return 1;
  }
  return 0;
}

/* Lazada's codes for a refusal of the product's content (its category,
 * an attribute, the brand, an image, the title, a package), numeric as the
 * CreateProduct page lists them (and UploadImage's 302, 303) or by name. */
static const char *const lz_content_codes[] = {
    "201",  "206",  "302",  "303",  "4107", "4108", "4110", "4111", "4115", "4116", "4120",
    "4125", "4129", "4130", "4131", "4134", "4138", "4139", "4140", "4142", "4149", "4153",
    "4156", "4158", "4160", "4161", "4163", "4164", "4165", "4167", "4168", "4169",
    "CHECK_CAT_PROP_INVALID_NUMBER", "CHK_BASIC_REQUIRED", "BIZ_CHECK_CAT_PROP_MANDATORY",
    "CHK_CATPROP_CPV_NOT_ENUM", "CHK_ENUM_PROP_VALUE_NOT_IN_OPTION",
    "THD_BRAND_ID_IS_NOT_VALID_IN_CATEGORY", "BIZ_CHECK_EXIST_OUTER_IMAGE",
    "BIZ_CHECK_MAIN_IMAGE_REQUIRE", "BIZ_CHECK_PACKAGE_DECIMAL_INVALID", "CHK_IMAGE_MAX_ITEMS"};

/* CreateProduct's codes for a SellerSku the seller already has (4105
 * BIZ_CHECK_SELLER_SKU_DUPLICATE, 4126 and 4141 "SellerSku repeat"),
 * numeric or by name: an earlier create landed. */
static const char *const lz_exists_codes[] = {
    "4105", "4126", "4141", "BIZ_CHECK_SELLER_SKU_DUPLICATE", "THD_IC_F_IC_INFRA_PRODUCT_036",
    "THD_IC_ERR_F_IC_INFRA_PRODUCT_036"};

static int lz_exists_code(const char *code) {
  size_t i;

  for (i = 0; i < sizeof lz_exists_codes / sizeof lz_exists_codes[0]; i++)
    if (strcmp(code, lz_exists_codes[i]) == 0)
      return 1;
  return 0;
}

/* 1 when code is one of lz_content_codes. */
int lz_content_code(const char *code) {
  size_t i;

  for (i = 0; i < sizeof lz_content_codes / sizeof lz_content_codes[0]; i++)
    if (strcmp(code, lz_content_codes[i]) == 0)
      return 1;
  return 0;
}

/* A refusal about the listing's content is flagged for the shared parse
 * (common/ops.h, OCU_CONTENT_REFUSED), which tells PUBLISH and UPDATE. */
static void lz_mark_content(int *flags, const char *code) {
  if (lz_content_code(code))
    *flags |= OCU_CONTENT_REFUSED;
}

/*
 * Error classes (see "Envelope and errors"). Anything not listed is
 * OC_REJECTED: IncompleteSignature, MissingParameter, InvalidParameter,
 * InvalidTimestamp (fix the clock, then requeue), business codes...
 */
static void lz_classify(const char *type, const char *code, oc_status *st,
                        long *retry_ms) {
  *retry_ms = 0;
  if (strcmp(code, "IllegalAccessToken") == 0 ||
      strcmp(code, "IllegalRefreshToken") == 0)
    *st = OC_AUTH; /* the core refreshes, or asks to re-authorise */
  else if (lz_content_code(code))
    *st = OC_REJECTED; /* whatever the type: sending it again changes nothing */
  else if (lz_exists_code(code))
    *st = OC_EXISTS; /* the core looks the SKU up */
  else if (strcmp(code, "ApiCallLimit") == 0) {
    *st = OC_RETRY;
    *retry_ms = LZ_RATE_LIMIT_RETRY_MS;
  } else if (strcmp(type, "ISP") == 0 || strcmp(code, "500") == 0 ||
             strcmp(code, "501") == 0)
    *st = OC_RETRY;
  /* [unverified] E0401 as "product not found" is our choice, shared with
   * the simulator. */
  else if (strcmp(code, "E0401") == 0 || lz_says_not_found(code))
    *st = OC_NOT_FOUND;
  else
    *st = OC_REJECTED;
}

/*
 * The envelope every answer shares (see "Envelope and errors"): fills res
 * (reset first) and returns NULL for no answer, an error code, a non-2xx status
 * or a body that is not a JSON object; returns the root of a successful answer
 * (code "0", HTTP 2xx) for the caller to read and cJSON_Delete().
 */
/* A non-zero code: its class (lz_classify), or a retry when HTTP says busy,
 * with the first detail[] entry that product APIs add. */
static void lz_code_fail(oc_verdict *res, const oc_shop *shop, const cJSON *root,
                         long http_status, const char *code) {
  const char *msg = ocu_json_str(root, "message"), *type = ocu_json_str(root, "type");
  int busy = ocu_http_busy(http_status);
  long wait;
  oc_status st;

  if (msg == NULL)
    msg = "";
  if (type == NULL)
    type = "";
  {
    char detail[160] = "";
    const cJSON *dl = cJSON_GetObjectItemCaseSensitive(root, "detail");
    const cJSON *d0 = cJSON_IsArray(dl) ? cJSON_GetArrayItem(dl, 0) : NULL;
    const char *dm = ocu_json_str(d0, "message"), *df = ocu_json_str(d0, "field");

    /* Product APIs explain 500/501 and validation codes in detail[]:
     * the first entry is kept. */
    if (dm != NULL && dm[0] != '\0')
      snprintf(detail, sizeof detail, " (detail: %s%s%s)",
               df != NULL && df[0] ? df : "", df != NULL && df[0] ? ": " : "",
               dm);
    lz_classify(type, code, &st, &wait);
    if (busy) { /* 429 and 5xx are transient whatever the body says */
      if (st != OC_RETRY)
        wait = 0;
      if (http_status == 429 && wait < LZ_RATE_LIMIT_RETRY_MS)
        wait = LZ_RATE_LIMIT_RETRY_MS;
      ocu_fail(res, shop, OC_RETRY, wait, "HTTP %ld: %s%s%s%s", http_status,
              code, msg[0] ? ": " : "", msg, detail);
    } else {
      ocu_fail(res, shop, st, wait, "%s%s%s%s", code, msg[0] ? ": " : "", msg,
              detail);
    }
  }
}

cJSON *lz_envelope(oc_op op, const oc_shop *shop, long http_status, const char *body,
                   size_t len, oc_verdict *res, int *flags) {
  cJSON *root;
  const cJSON *cj;

  *flags = 0;
  if ((root = ocu_answer(res, shop, http_status, body, len, LZ_RATE_LIMIT_RETRY_MS)) == NULL)
    return NULL;
  cj = cJSON_GetObjectItemCaseSensitive(root, "code");
  if (!cJSON_IsString(cj) || cj->valuestring[0] == '\0') {
    if (!ocu_http_fail(res, shop, http_status, LZ_RATE_LIMIT_RETRY_MS))
      LZ_MALFORMED(res, shop, "field code is %s",
                   cj == NULL || cJSON_IsNull(cj) ? "missing" : "not a string");
    goto fail;
  }
  if (strcmp(cj->valuestring, "0") != 0) {
    lz_code_fail(res, shop, root, http_status, cj->valuestring);
    lz_mark_content(flags, cj->valuestring);
    goto fail;
  }
  if (ocu_http_fail(res, shop, http_status, LZ_RATE_LIMIT_RETRY_MS))
    goto fail;
  return root;
fail:
  cJSON_Delete(root);
  return NULL;
}


/* PUBLISH: data.item_id, and each SKU's sku_id from data.sku_list[]
 * (seller_sku, sku_id), matched by seller SKU; a SKU the answer leaves out
 * keeps no id until LOOKUP_SKU reads it. */
void lz_read_publish(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                     oc_listing_result *res) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(data, "sku_list"), *e;

  (void)op;
  if (lz_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(data, "item_id"),
                "data.item_id", res->item_id, sizeof res->item_id))
    return;
  if (list != NULL && !cJSON_IsNull(list) && !cJSON_IsArray(list)) {
    LZ_MALFORMED(&res->v, shop, "field data.sku_list is not an array");
    return;
  }
  cJSON_ArrayForEach(e, list) {
    const char *ss = ocu_json_str(e, "seller_sku");
    oc_variant_result *r;

    if (ss == NULL || strlen(ss) >= sizeof r->sku || res->nvariants >= OC_MAX_VARIANTS)
      continue;
    r = &res->variants[res->nvariants];
    memset(r, 0, sizeof *r);
    r->price_vnd = r->stock = -1;
    if (ocu_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(e, "sku_id"),
                   OCU_ID_NUMBER | OCU_ID_STRING, "data.sku_list[].sku_id", r->remote_id,
                   sizeof r->remote_id, LZ_LEAD))
      return;
    ocu_strlcpy(r->sku, ss, sizeof r->sku);
    res->nvariants++;
  }
  (void)l;
}
