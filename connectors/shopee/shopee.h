/*
 * shopee.h — the Shopee Open Platform v2 connector's own declarations
 * (prefix sp_), shared by the files of connectors/shopee/ and its unit test.
 * Nothing here is exported from the module: only OC_ENTRY is (see
 * connectors/local.mk).
 *
 * Reference: docs/marketplaces/shopee.md (tokens, signing and its worked
 * vectors, envelope and errors, endpoints, orders, push, rate limits, money,
 * pitfalls); OCOP claims in docs/ocop-rules.md, "OCOP claims". In these
 * files, 'see "Section"' names a section of shopee.md. What is verified and
 * what is our reading: connectors/shopee/README.md.
 *
 * Shop options read (shop.options; ids are decimal text). The category,
 * images, brand, attributes and sizes are the listing's own (oc_listing,
 * resolved by the core), never an option:
 *   logistic_id           logistics channel id(s), comma-separated; each is
 *                         sent {logistic_id, enabled: true} (PUBLISH)
 *   ocop_attribute_id     attribute carrying the OCOP star rating (optional:
 *                         without it no attribute is sent)
 *   ocop_value_id.<N>     value id of the N-star value of that attribute
 *                         (optional; without it a custom value "N sao" with
 *                         value_id 0 is sent) [unverified: no public source
 *                         names an OCOP attribute on Shopee Vietnam]
 *   variation_name        the name of the one tier of an item with several
 *                         variants (default "Quy cách", SP_TIER_NAME)
 */
#ifndef OCOP_SHOPEE_H
#define OCOP_SHOPEE_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "../common/ops.h"
#include "../common/json.h"
#include "../common/orders.h"
#include "../common/verdict.h"
#include "../connector.h"

#define SP_TITLE_MAX_CP 120 /* item_name limit used by this connector */
#define SP_MAX_IMAGES 9
#define SP_MAX_LOGISTICS 16
#define SP_ID_MAX_DIGITS 18 /* every such id fits in int64 */
#define SP_RATE_LIMIT_RETRY_MS 1000L
/*
 * error_limit: the app's daily quota is spent and resets at 00:00 UTC+8 (see
 * "Envelope and errors"). parse is not given the time, so it cannot compute
 * the wait until midnight; it asks for one hour instead. Worst case the core
 * spends one call per hour per shop finding the quota still exhausted, which is
 * cheap and needs no clock in the connector. (An ABI with now_ms in parse
 * could give the exact wait.)
 */
#define SP_DAILY_LIMIT_RETRY_MS 3600000L

/* UPLOAD_IMAGE (media.c, see "Images"): JPG or PNG, at most 10 MB. */
#define SP_UPLOAD_PATH "/api/v2/media_space/upload_image"
#define SP_IMAGE_MAX_BYTES (10u * 1024u * 1024u)

/* CATEGORY (category.c, see "Categories"). */
#define SP_ATTR_TREE_PATH "/api/v2/product/get_attribute_tree"
#define SP_BRAND_LIST_PATH "/api/v2/product/get_brand_list"
#define SP_BRAND_PAGE 100 /* get_brand_list page_size: at most 100 */
#define SP_BRAND_PAGE_TEXT "100"
#define SP_BRAND_STEPS_MAX 1000 /* 100,000 brands: far more than any category */
#define SP_INPUT_FREE_TEXT 3    /* attribute_info.input_type FREE_TEXT_FILED */
#define SP_NO_BRAND_NAME "NoBrand" /* brand_id 0 when the list does not name it */

#define SP_TIER_NAME "Quy cách" /* variation_name when the shop sets none */
#define SP_MAX_OPTIONS OC_MAX_VARIANTS /* options of the one tier we manage */

#define SP_ORDER_WINDOW_S (15 * 86400) /* get_order_list refuses longer spans */
#define SP_ORDER_SN_MAX 64             /* bytes of one order_sn we accept */
#define SP_CURSOR_MAX 512              /* an opaque next_cursor we pass back */

/* The call kinds of ocu_opdef.kind (see "Authorisation and tokens"). */
enum { SP_PUBLIC = 0, SP_SHOP = 1 };

/* An envelope flag (ocu_opdef read functions): "error" was present. */
#define SP_HAS_ERROR 1

/* One extra query parameter after the signed common ones. */
typedef struct sp_param {
  const char *key;
  const char *value; /* raw; URL-encoded when serialised */
  int list;          /* a comma-separated list: the commas stay literal */
} sp_param;

/* connector.c: the exported entry, the operation table and the market. */
OCU_MARKET_DECLS(sp);

/* shop.c: ids and shop checks. */
int sp_valid_id(const char *s);
OCU_CHECK_SHOP_FN(sp_check_shop);

/* request.c: signing and URLs (see "Signing"). */
char *sp_base_string(const oc_shop *shop, const char *path, int64_t ts, int kind);
int sp_sign(const oc_shop *shop, const char *path, int64_t ts, int kind, char out[65]);
int sp_make_url(const oc_shop *shop, const char *path, int64_t ts, int kind,
                const sp_param *extra, size_t nextra, char **url, char **log_url);
OCU_EMIT_FN(sp_emit);

/* The calls an operation makes besides its table entry: get_model_list
 * (LOOKUP_SKU with an item id, GET_LISTING of an item with models) and the
 * four VARIANTS steps (see "Variants"). */
extern const ocu_opdef sp_model_list_def;

/* 1 when remote is a model id: not NULL, not "" (unknown), not "0" (the
 * item itself, without models). */
int sp_is_model_id(const char *remote);

/* 1 when GET_LISTING reads the item's models (some variant not removed
 * holds a model id), 0 when it reads the item (get_item_base_info). */
int sp_listing_has_models(const oc_listing *l);

/* The one variant of an item without models: the variant not removed when
 * there is exactly one, else NULL. */
const oc_variant *sp_single_variant(const oc_listing *l);

/* Adds {sku, remote_id, price, stock, gone} to res->variants when there is
 * room (the rest are left out: at most OC_MAX_VARIANTS). */
void sp_name_variant(oc_listing_result *res, const char *sku, const char *remote,
                     int64_t price, int64_t stock, int gone);

/* variants.c: the VARIANTS step (see "Variants"). */
typedef enum sp_step_kind {
  SP_STEP_NONE = 0,  /* in line: OC_IN_LINE */
  SP_STEP_INIT,      /* init_tier_variation: the tier and every live variant */
  SP_STEP_OPTIONS,   /* update_tier_variation: append the missing labels */
  SP_STEP_ADD,       /* add_model: the live variants whose option exists */
  SP_STEP_DELETE     /* delete_model: one removed variant */
} sp_step_kind;

/* What the memo says of the item: its tier name and options in order
 * (noptions 0: an item without models). Pointers into `root`. */
typedef struct sp_tier {
  cJSON *root;
  const char *name;
  const char *options[SP_MAX_OPTIONS];
  size_t noptions;
} sp_tier;

typedef struct sp_step {
  sp_step_kind kind;
  const oc_variant *target; /* SP_STEP_DELETE: the variant whose model goes */
} sp_step;

int sp_tier_read(const char *memo, sp_tier *t, char *err, size_t errlen);
void sp_tier_free(sp_tier *t);
/* -1 when label is not an option. */
int sp_tier_index(const sp_tier *t, const char *label);
/* The memo text for a tier name and options: 0, or -1 when it does not fit
 * OC_MEMO_MAX (or OOM). */
int sp_memo_write(const char *name, const char *const *options, size_t n,
                  char out[OC_MEMO_MAX]);
/* The next step for l (memo read into t). 0, or -1 with err set when the
 * item cannot be brought in line (duplicate labels, the last model). */
int sp_plan(const oc_listing *l, const sp_tier *t, sp_step *step, char *err, size_t errlen);
/* Builds the step's path and body (VARIANTS): 0, OC_IN_LINE with nothing
 * built, or -1 with err set. */
int sp_variants_body(const oc_shop *shop, const oc_listing *l, const char **path,
                     char **text, char *err, size_t errlen);
OCU_READ_FN(sp_read_variants);

/* models.c: the answer of get_model_list (LOOKUP_SKU with an item id,
 * GET_LISTING of an item with models). */
OCU_READ_FN(sp_read_models);
/* The models of an answer (init_tier_variation, add_model, get_model_list:
 * response.model[]) named in res by model_sku. -1 with res->v failed. */
int sp_name_models(const oc_shop *shop, const cJSON *resp, int required,
                   oc_listing_result *res, int *nmodels, int *any_normal,
                   int *any_status);

/* body.c: request bodies, one builder per operation (ocu_body_fn). */
OCU_BODY_FN(sp_body_publish);
OCU_BODY_FN(sp_body_update);
OCU_BODY_FN(sp_body_model);
OCU_BODY_FN(sp_body_unlist);
OCU_BODY_FN(sp_body_token);

/* parse.c: the envelope and the listing and token answers. */
OCU_ENVELOPE_FN(sp_envelope);
OCU_PAYLOAD_FN(sp_response);
OCU_READ_FN(sp_read_write);
OCU_READ_FN(sp_read_publish);
OCU_READ_FN(sp_read_lookup);
OCU_READ_FN(sp_read_listing);
/* A model's fields shared by PUBLISH and VARIANTS: weight (kg) and
 * dimension (cm) when known. 0, or -1 on OOM. */
int sp_put_size(cJSON *o, const oc_variant *v);
/* {"stock": n} inside a new seller_stock array of o. 0 or -1 (OOM). */
int sp_put_stock(cJSON *o, int64_t stock);
/* Ends a builder: body as text, or -1 (err set by the filler, or OOM). */
int sp_finish(cJSON *body, int filled, char **text, char *err, size_t errlen);
OCU_TOKEN_FN(sp_read_token);
/* Field readers shared with orders.c: -1 / NULL with v failed. */
/* An id that is a JSON number into out. */
#define sp_req_id(v, shop, item, what, out, outlen) \
  ocu_req_id(v, shop, item, OCU_ID_NUMBER, what, out, outlen, SP_LEAD)

/* "unexpected response: ..." — the body is JSON but not the expected shape. */
#define SP_LEAD "unexpected response: "
#define SP_UNEXPECTED(v, shop, ...) ocu_fail((v), (shop), OC_RETRY, 0, SP_LEAD __VA_ARGS__)
#define sp_req_obj(v, shop, obj, key, what) ocu_req_obj(v, shop, obj, key, what, SP_LEAD)

/* orders.c (see "Orders"). */
extern const ocu_status_map sp_order_status[];
const char *sp_order_sn_problem(const char *s);
OCU_EMIT_ORDERS_FN(sp_emit_orders);
OCU_PAGE_FN(sp_read_page);
OCU_BATCH_FN(sp_read_batch);

/* content.c: what PUBLISH and UPDATE carry of the listing's content (see
 * "Content"): 0, or -1 with err naming what Shopee would refuse. */
int sp_content_check(const oc_listing *l, char *err, size_t errlen);
/* category_id, image.image_id_list, brand, attribute_list into body. */
int sp_put_content(cJSON *body, const oc_listing *l, char *err, size_t errlen);
/* 1 when the listing's attributes hold attribute id `id`. */
int sp_attrs_have(const oc_listing *l, const char *id);

/* media.c: UPLOAD_IMAGE. */
int sp_upload_build(const oc_shop *shop, const oc_upload *up, int64_t now_ms, oc_request *req,
                    char *err, size_t errlen);
void sp_upload_parse(const oc_shop *shop, const oc_upload *up, long http_status,
                     const char *body, size_t len, oc_upload_result *res);

/* category.c: CATEGORY. */
int sp_category_build(const oc_shop *shop, const oc_category_query *q, int64_t now_ms,
                      oc_request *req, char *err, size_t errlen);
void sp_category_parse(const oc_shop *shop, const oc_category_query *q, long http_status,
                       const char *body, size_t len, oc_category_result *res);

/* push.c (see "Push"). */
OCU_PUSH_FN(sp_verify_push);

#endif
