/*
 * listing.c — TikTok's answers to the listing calls (see "Endpoints"):
 * the ids of a new product, a SKU search, a product read back, and the
 * per-product errors a batch write can carry.
 */
#include "tiktok.h"

#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

/* The id of `what`, an entry that must be an object. -1 with v failed. */
static int tt_obj_id(oc_verdict *v, const oc_shop *shop, const cJSON *o, const char *what,
                     char out[21]) {
  char field[64];

  if (!cJSON_IsObject(o)) {
    TT_UNEXPECTED(v, shop, "field %s is not an object", what);
    return -1;
  }
  snprintf(field, sizeof field, "%s.id", what);
  return tt_req_id(v, shop, cJSON_GetObjectItemCaseSensitive(o, "id"), field, out);
}

/* The listing's variant with seller SKU s, or NULL. */
static const oc_variant *tt_variant(const oc_listing *l, const char *s) {
  size_t i;

  for (i = 0; l != NULL && s != NULL && i < l->nvariants; i++)
    if (strcmp(l->variants[i].sku, s) == 0)
      return &l->variants[i];
  return NULL;
}

/* Appends a variant to res; NULL when full (OC_MAX_VARIANTS: the core
 * ignores what no variant of ours holds, and never has more). */
static oc_variant_result *tt_add(oc_listing_result *res, const char *sku, const char *id) {
  oc_variant_result *r;

  if (res->nvariants >= OC_MAX_VARIANTS)
    return NULL;
  r = &res->variants[res->nvariants++];
  memset(r, 0, sizeof *r);
  ocu_strlcpy(r->sku, sku ? sku : "", sizeof r->sku);
  ocu_strlcpy(r->remote_id, id ? id : "", sizeof r->remote_id);
  r->price_vnd = r->stock = -1;
  return r;
}

/* What to do with one SKU of an answer (its id and seller_sku, NULL when
 * absent). 0, or -1 with res->v failed. */
typedef int (*tt_sku_fn)(oc_listing_result *res, const oc_shop *shop, const oc_listing *l,
                         const cJSON *s, const char *id, const char *seller_sku);

/* Checks each entry of skus[] (an object, its id a string of digits, its
 * seller_sku a string when present) and hands it to fn. -1 with v failed. */
static int tt_each_sku(oc_listing_result *res, const oc_shop *shop, const oc_listing *l,
                       const cJSON *skus, const char *what, tt_sku_fn fn) {
  const cJSON *s;

  cJSON_ArrayForEach(s, skus) {
    const cJSON *ss;
    char id[21];

    if (tt_obj_id(&res->v, shop, s, what, id))
      return -1;
    ss = cJSON_GetObjectItemCaseSensitive(s, "seller_sku");
    if (ss != NULL && !cJSON_IsNull(ss) && !cJSON_IsString(ss)) {
      TT_UNEXPECTED(&res->v, shop, "field %s.seller_sku is not a string", what);
      return -1;
    }
    if (fn(res, shop, l, s, id, cJSON_IsString(ss) ? ss->valuestring : NULL))
      return -1;
  }
  return 0;
}

/* PUBLISH: a SKU of ours, by seller_sku. */
static int tt_created(oc_listing_result *res, const oc_shop *shop, const oc_listing *l,
                      const cJSON *s, const char *id, const char *seller_sku) {
  (void)shop, (void)s;
  if (tt_variant(l, seller_sku) != NULL)
    tt_add(res, seller_sku, id);
  return 0;
}

/* 1 when every variant not removed is named in res. */
static int tt_all_named(const oc_listing *l, const oc_listing_result *res) {
  size_t i, j;

  for (i = 0; l != NULL && i < l->nvariants; i++) {
    int found = l->variants[i].removed;

    for (j = 0; j < res->nvariants && !found; j++)
      found = strcmp(res->variants[j].sku, l->variants[i].sku) == 0;
    if (!found)
      return 0;
  }
  return 1;
}

/* The one variant not removed, or NULL when there are several (or none). */
static const oc_variant *tt_only_live(const oc_listing *l) {
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

/*
 * PUBLISH: data.product_id and data.skus[] {id, seller_sku}: the item id
 * and each variant's sku id, matched by seller_sku (a single SKU whose
 * seller_sku is not echoed is the single variant's). A variant the answer
 * does not name would be created twice by a later VARIANTS step: such an
 * answer is taken as unreadable (retry: the core looks the SKUs up first).
 */
void tt_read_publish(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                     oc_listing_result *res) {
  const oc_variant *one = tt_only_live(l);
  const cJSON *skus;
  char pid[21], sid[21];

  (void)op;
  if (tt_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(data, "product_id"),
                "data.product_id", pid))
    return;
  if ((skus = tt_req_array(&res->v, shop, data, "skus", "data.skus")) == NULL)
    return;
  if (tt_each_sku(res, shop, l, skus, "data.skus[]", tt_created)) {
    res->nvariants = 0;
    return;
  }
  if (res->nvariants == 0 && one != NULL && cJSON_GetArraySize(skus) == 1 &&
      tt_obj_id(&res->v, shop, cJSON_GetArrayItem(skus, 0), "data.skus[]", sid) == 0)
    tt_add(res, one->sku, sid); /* one sku, seller_sku not echoed */
  if (!tt_all_named(l, res)) {
    res->nvariants = 0;
    TT_UNEXPECTED(&res->v, shop, "data.skus has no sku with our seller_sku");
    return;
  }
  ocu_strlcpy(res->item_id, pid, sizeof res->item_id);
}

/* A SKU's price (price.amount) and its stock, the sum over warehouses
 * (inventory[].quantity). -1 with v failed. */
static int tt_sku_amounts(oc_verdict *v, const oc_shop *shop, const cJSON *s, int64_t *vnd,
                          int64_t *out_stock) {
  const cJSON *price, *inv, *e;
  const char *amount;
  int64_t stock = 0;

  price = cJSON_GetObjectItemCaseSensitive(s, "price");
  if (!cJSON_IsObject(price)) {
    TT_UNEXPECTED(v, shop, "field data.skus[].price is %s",
                  price ? "not an object" : "missing");
    return -1;
  }
  if ((amount = tt_req_str(v, shop, price, "amount",
                           "data.skus[].price.amount")) == NULL)
    return -1;
  if (tt_amount(amount, vnd)) {
    TT_UNEXPECTED(v, shop, "field data.skus[].price.amount is not an amount");
    return -1;
  }
  if ((inv = tt_req_array(v, shop, s, "inventory", "data.skus[].inventory")) ==
      NULL)
    return -1;
  cJSON_ArrayForEach(e, inv) { /* the sum over warehouses */
    int64_t q;

    if (!cJSON_IsObject(e)) {
      TT_UNEXPECTED(v, shop, "field data.skus[].inventory[] is not an object");
      return -1;
    }
    if (tt_req_int(v, shop, e, "quantity", "data.skus[].inventory[].quantity",
                   &q))
      return -1;
    if (q < 0 || q > OCU_JSON_INT_MAX - stock) {
      TT_UNEXPECTED(v, shop, "inventory quantity out of range");
      return -1;
    }
    stock += q;
  }
  *out_stock = stock;
  return 0;
}

/* GET_LISTING, LOOKUP_SKU by id: every SKU of the product with its id,
 * seller_sku, price and stock (the core keeps those of our variants). */
static int tt_read_sku(oc_listing_result *res, const oc_shop *shop, const oc_listing *l,
                       const cJSON *s, const char *id, const char *seller_sku) {
  oc_variant_result *r;
  int64_t vnd, stock;

  (void)l;
  if (tt_sku_amounts(&res->v, shop, s, &vnd, &stock))
    return -1;
  if ((r = tt_add(res, seller_sku, id)) != NULL) {
    r->price_vnd = vnd;
    r->stock = stock;
  }
  return 0;
}

/* The memo: the name of the first SKU's first sales attribute, "" when the
 * product has none (an item without variation). */
static void tt_memo(oc_listing_result *res, const cJSON *skus) {
  const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(skus, 0),
                                                        "sales_attributes");
  const char *name = ocu_json_str(cJSON_GetArrayItem(attrs, 0), "name");

  res->memo[0] = '\0';
  if (name != NULL && ocu_utf8_valid(name, strlen(name)))
    ocu_utf8_copy(res->memo, sizeof res->memo, name);
}

/* A product detail (GET /products/{id}): its id (ours), status and SKUs.
 * The status text, or NULL with res failed. */
static const char *tt_read_product(const oc_shop *shop, const oc_listing *l, const cJSON *data,
                                   oc_listing_result *res) {
  const cJSON *skus;
  const char *st;
  char pid[21];

  if (tt_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(data, "id"), "data.id", pid))
    return NULL;
  if (l != NULL && !ocu_empty(l->item_id) && strcmp(pid, l->item_id) != 0) {
    TT_UNEXPECTED(&res->v, shop, "data.id is another product");
    return NULL;
  }
  if ((st = tt_req_str(&res->v, shop, data, "status", "data.status")) == NULL)
    return NULL;
  if (strcmp(st, "DELETED") == 0) {
    ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "status %s", st);
    return NULL;
  }
  if ((skus = tt_req_array(&res->v, shop, data, "skus", "data.skus")) == NULL ||
      tt_each_sku(res, shop, l, skus, "data.skus[]", tt_read_sku)) {
    res->nvariants = 0;
    return NULL;
  }
  tt_memo(res, skus);
  ocu_strlcpy(res->item_id, pid, sizeof res->item_id);
  return st;
}

/* LOOKUP_SKU by SKU: the products[] SKUs that are ours. */
static int tt_found_sku(oc_listing_result *res, const oc_shop *shop, const oc_listing *l,
                        const cJSON *s, const char *id, const char *seller_sku) {
  oc_variant_result *r;
  int64_t vnd, stock;

  if (tt_variant(l, seller_sku) == NULL &&
      (l == NULL || seller_sku == NULL || strcmp(seller_sku, l->sku) != 0))
    return 0;
  if ((r = tt_add(res, seller_sku, id)) == NULL)
    return 0;
  /* The search prints price and inventory too: read them when there. */
  if (cJSON_GetObjectItemCaseSensitive(s, "price") != NULL) {
    if (tt_sku_amounts(&res->v, shop, s, &vnd, &stock))
      return -1;
    r->price_vnd = vnd;
    r->stock = stock;
  }
  return 0;
}

/* LOOKUP_SKU: by id, the product's SKUs and the memo; by SKU, the first
 * product not DELETED holding one of our SKUs exactly. */
void tt_read_lookup(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                    oc_listing_result *res) {
  const cJSON *prods, *p;

  (void)op;
  if (l != NULL && !ocu_empty(l->item_id)) {
    tt_read_product(shop, l, data, res);
    return;
  }
  prods = ocu_found_list(&res->v, shop, data, "products", "data.products", TT_LEAD);
  if (prods == NULL)
    return;
  cJSON_ArrayForEach(p, prods) {
    const cJSON *skus;
    const char *st;
    char pid[21];

    if (tt_obj_id(&res->v, shop, p, "data.products[]", pid))
      return;
    st = ocu_json_str(p, "status");
    if (st != NULL && strcmp(st, "DELETED") == 0)
      continue;
    if ((skus = tt_req_array(&res->v, shop, p, "skus", "data.products[].skus")) == NULL)
      return;
    /* The search may match loosely: only an exact seller_sku is ours. */
    if (tt_each_sku(res, shop, l, skus, "data.products[].skus[]", tt_found_sku)) {
      res->nvariants = 0;
      return;
    }
    if (res->nvariants == 0)
      continue;
    ocu_strlcpy(res->item_id, pid, sizeof res->item_id);
    return;
  }
  ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "no listing with this SKU");
}

void tt_read_listing(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                     oc_listing_result *res) {
  const char *st;

  (void)op;
  if ((st = tt_read_product(shop, l, data, res)) == NULL)
    return;
  res->memo[0] = '\0'; /* LOOKUP_SKU's and VARIANTS' alone */
  res->active = strcmp(st, "ACTIVATE") == 0;
  /* DRAFT, PENDING, FAILED, PLATFORM_DEACTIVATED, FREEZE... read as not
   * active; say which (SELLER_DEACTIVATED is our own delist). */
  if (!res->active && strcmp(st, "SELLER_DEACTIVATED") != 0)
    ocu_fail(&res->v, shop, OC_OK, 0, "status %s", st);
}

/* The answer's SKU with this seller_sku or this id, or NULL. */
static const cJSON *tt_named(const cJSON *skus, const char *seller_sku, const char *id) {
  const cJSON *s;

  cJSON_ArrayForEach(s, skus) {
    const char *a = ocu_json_str(s, "seller_sku"), *b = ocu_json_str(s, "id");

    if ((a != NULL && strcmp(a, seller_sku) == 0) ||
        (b != NULL && !ocu_empty(id) && strcmp(b, id) == 0))
      return s;
  }
  return NULL;
}

/* One variant against the partial edit's answer. -1 with res failed. */
static int tt_edit_outcome(oc_listing_result *res, const oc_shop *shop, const oc_variant *v,
                           const cJSON *skus) {
  const cJSON *s = tt_named(skus, v->sku, v->remote_id);
  oc_variant_result *r;
  char sid[21];

  if (v->removed) {
    if (v->remote_id == NULL)
      return 0;
    if (s != NULL) {
      TT_UNEXPECTED(&res->v, shop, "data.skus still holds a removed sku");
      return -1;
    }
    if ((r = tt_add(res, v->sku, v->remote_id)) != NULL)
      r->gone = 1;
    return 0;
  }
  if (s == NULL) { /* never guess: the next job reads the product first */
    TT_UNEXPECTED(&res->v, shop, "data.skus has no sku with our seller_sku");
    return -1;
  }
  if (tt_obj_id(&res->v, shop, s, "data.skus[]", sid))
    return -1;
  tt_add(res, v->sku, sid);
  return 0;
}

/*
 * VARIANTS: data.skus[] {id, seller_sku} are the product's SKUs after the
 * partial edit. Each variant not removed gets its sku id (the created ones
 * by seller_sku); each removed one that was on the item is reported gone
 * once the answer no longer holds it. The memo is the sales attribute name
 * sent, "" for an item without variation.
 */
void tt_read_variants(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                      oc_listing_result *res) {
  const cJSON *skus;
  size_t i;

  (void)op;
  if (l == NULL) {
    TT_UNEXPECTED(&res->v, shop, "no listing to match the SKUs with");
    return;
  }
  if ((skus = tt_req_array(&res->v, shop, data, "skus", "data.skus")) == NULL)
    return;
  for (i = 0; i < l->nvariants; i++)
    if (tt_edit_outcome(res, shop, &l->variants[i], skus)) {
      res->nvariants = 0;
      return;
    }
  if (ocu_live_variants(l) > 1)
    ocu_utf8_copy(res->memo, sizeof res->memo, tt_variation_name(shop, l));
}

/* Batch writes can answer code 0 with data.errors[] (per-product failures). */
void tt_read_write(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,
                   oc_listing_result *out) {
  oc_verdict *res = &out->v;
  const cJSON *errs = cJSON_GetObjectItemCaseSensitive(data, "errors");
  const cJSON *e, *c;
  const char *msg;
  long code = 0, retry = 0;
  int64_t v;

  (void)op, (void)l;
  if (errs == NULL || cJSON_IsNull(errs))
    return;
  if (!cJSON_IsArray(errs)) {
    TT_UNEXPECTED(res, shop, "field data.errors is not an array");
    return;
  }
  e = cJSON_GetArrayItem(errs, 0);
  if (e == NULL)
    return;
  if (!cJSON_IsObject(e)) {
    TT_UNEXPECTED(res, shop, "field data.errors[] is not an object");
    return;
  }
  c = cJSON_GetObjectItemCaseSensitive(e, "code");
  if (ocu_json_int(c, &v) == 0)
    code = (long)v;
  msg = ocu_json_str(e, "message");
  if (code != 0) {
    oc_status st = tt_classify(code, &retry); /* sets retry first */

    ocu_fail(res, shop, st, retry, "%ld: %s", code, msg ? msg : "");
  }
  else
    ocu_fail(res, shop, OC_REJECTED, 0, "data.errors: %s",
            msg ? msg : "(no message)");
}


