/*
 * lazada.h — the Lazada Open Platform ("LazOP") connector's own declarations
 * (prefix lz_), shared by the files of connectors/lazada/ and its unit test.
 * Nothing here is exported from the module but OC_ENTRY (connectors/local.mk).
 *
 * Reference: docs/marketplaces/lazada.md (tokens, signing and its worked
 * vectors L1..L6, envelope and errors, endpoints, orders, push, rate limits,
 * money, pitfalls). Where Lazada leaves a choice open, this file and the
 * simulator (tests/sim/sim_lazada.c) make the same one; lazada.md lists those
 * choices under "Verified and our reading". In these files, 'see "Section"'
 * names a section of lazada.md; connectors/lazada/README.md says per
 * operation what is verified and what is our reading.
 *
 * Pure, per connector.h: no I/O, no mutable globals, every allocation handed
 * to the caller (oc_request) or freed before returning.
 *
 * Wire summary:
 *   URL   = base_url + "/rest" + api_name; the signed name has no "/rest".
 *   Query = app_key, timestamp (unix ms), sign_method=sha256, access_token
 *           (seller calls), sign, and the business parameters of a GET.
 *   Body  = business parameters of a POST, application/x-www-form-urlencoded.
 *   Sign  = UPPER hex HMAC-SHA256(app_secret, api_name + k1 v1 k2 v2 ...)
 *           over every non-empty parameter (query and body) but sign, sorted
 *           byte-wise by name, raw values. Empty parameters are neither
 *           signed nor sent (vector L4).
 *
 * The content of PUBLISH and UPDATE comes from the listing alone (see
 * "Content"): category_id, images (uploaded with UPLOAD_IMAGE), brand_id,
 * attrs and every variant's package; nothing about a product is a constant.
 *
 * Shop options read (shop.options):
 *   variation_name        the custom sale property of an item with several
 *                         variants (default "Quy cách", <= 15 characters)
 *   variation_attribute   a standard sale attribute of the category to
 *                         use instead (e.g. "size"; customize false)
 *   auth_url              token host, scheme://host[:port]; default
 *                         "https://auth.lazada.com" (REFRESH_TOKEN,
 *                         AUTH_LINK, TOKEN_EXCHANGE)
 *
 * AUTH_LINK (see "Authorisation and tokens") is built, never sent:
 * <auth_url>/oauth/authorize with response_type=code, force_auth=true,
 * redirect_uri and client_id. The redirect must equal the callback
 * registered for the app. TOKEN_EXCHANGE: /auth/token/create with the code,
 * signed like any call and without access_token; results like REFRESH_TOKEN.
 *
 * REFRESH_TOKEN results: access_expires_at and refresh_expires_at hold the
 * LIFETIMES Lazada returns (expires_in, refresh_expires_in: seconds from
 * now), not unix times; parse has no clock, and the core adds the time it
 * sent the request. refresh_expires_at is 0 when Lazada omits it.
 *
 * [unverified] choices (shared with the simulator, not from Lazada; see
 * "Verified and our reading", and for variants "Variants"): the relist
 * call (product/update with SKU Status "active"), the delist parameter name
 * (apiRequestBody), E0401 as "product not found", sending VND prices as whole-dong strings,
 * AssociatedSku as a seller SKU, and reading sku_list from UpdateProduct.
 *
 * Orders (see "Orders" and "Push"; the project's wire choices where
 * Lazada is silent):
 *   LIST_ORDERS  GET /orders/get with update_after/update_before (the
 *                window in +07:00), sort_by=updated_at, sort_direction=ASC,
 *                offset (the page token), limit=100, status=all. A full
 *                page continues at offset+100 while that is within the
 *                shop option max_offset (default 5000); past it, done_at is
 *                the last order's updated_at and the core restarts there.
 *   GET_ORDERS   GET /orders/items/get?order_ids=[id1,id2]. One item per
 *                unit: lines are counted per SKU; the order's effect comes
 *                from all its items' statuses (lz_order_effect).
 *   verify_push  Authorization = lowercase hex HMAC-SHA256(app_secret,
 *                app_key + raw body).
 */
#ifndef OCOP_LAZADA_H
#define OCOP_LAZADA_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "../common/buf.h"
#include "../common/ops.h"
#include "../common/orders.h"
#include "../common/verdict.h"
#include "../connector.h"

#define LZ_TITLE_MAX_CP 255 /* Attributes.name limit */
#define LZ_MAX_IMAGES 8     /* per Images.Image list ("Endpoints") */
#define LZ_ID_MAX_DIGITS 18
#define LZ_RATE_LIMIT_RETRY_MS 2000L /* ApiCallLimit: back off >= 2 s */
#define LZ_DEFAULT_AUTH_URL "https://auth.lazada.com"
#define LZ_MAX_PARAMS 12
#define LZ_VAR_NAME_MAX_CP 15   /* a variation's name (VARIATION_NAME_LENGTH_LIMIT) */
#define LZ_VAR_OPTION_MAX_CP 20 /* one option (VARIATION_OPTION_LENGTH_LIMIT) */
#define LZ_DEFAULT_VARIATION "Quy cách" /* shop option variation_name */

#define LZ_ORDER_LIMIT 100         /* /orders/get limit maximum */
#define LZ_MAX_OFFSET 5000         /* /orders/get offset maximum */
#define LZ_ORDER_ID_MAX 64         /* bytes of an order id we ask for */
#define LZ_STATUS_MAX 32           /* bytes of an order's reported status */
#define LZ_ISO_MAX 72              /* an ISO time, with room for any int */
#define LZ_TZ_OFFSET_S 25200       /* Lazada Vietnam writes times in +07:00 */
#define LZ_MAX_TIME 253402275599LL /* 9999-12-31T23:59:59+07:00 */

/* The call kinds of ocu_opdef.kind: seller calls (access_token) on the
 * shop's base_url, token calls on the auth host. */
enum { LZ_SELLER = 0, LZ_TOKEN = 1 };

/* One request parameter; values are raw and URL-encoded when serialised. */
typedef struct lz_param {
  const char *key;
  const char *value;
  int in_body; /* POST business parameter: form body, not query */
} lz_param;

/* connector.c: the exported entry, the operation table and the market;
 * the calls an operation makes besides its table entry. */
OCU_MARKET_DECLS(lz);
extern const ocu_opdef lz_item_get_op;   /* LOOKUP_SKU with an item id */
extern const ocu_opdef lz_remove_sku_op; /* VARIANTS: RemoveSku */

/* shop.c: ids, URLs and shop checks. */
int lz_valid_id(const char *s);
int lz_valid_token(const char *s);
OCU_CHECK_SHOP_FN(lz_check_shop);

/* request.c: signing (see "Signing") and the request on the wire. */
char *lz_base_string(const char *api, const lz_param *p, size_t n);
int lz_sign(const char *secret, const char *api, const lz_param *p, size_t n, char out[65]);
void lz_serialise(ocu_buf *b, const lz_param *p, size_t n, int body, int first);
size_t lz_sys_params(lz_param *p, const ocu_opdef *d, const oc_shop *shop, const char *ts);
int lz_emit_signed(const ocu_opdef *d, const char *host, const oc_shop *shop,
                   const lz_param *p, size_t np, oc_request *req);
OCU_EMIT_FN(lz_emit);

/* payload.c: the one JSON business parameter of each listing call, and
 * the pieces variants.c shares. */
int lz_put_int(cJSON *obj, const char *key, int64_t v);
int lz_print(cJSON *root, int filled, char **text, char *err, size_t errlen);
cJSON *lz_product(cJSON **root);
cJSON *lz_sku_array(cJSON *prod);
int lz_put_sku_id(cJSON *sku, const oc_variant *v);
struct lz_axis;
int lz_put_new_sku(cJSON *arr, const oc_variant *v, const struct lz_axis *axis);
OCU_BODY_FN(lz_payload_publish);
OCU_BODY_FN(lz_payload_update);
OCU_BODY_FN(lz_payload_price_qty);
OCU_BODY_FN(lz_payload_delist);
OCU_BODY_FN(lz_payload_relist);
OCU_BODY_FN(lz_payload_lookup);

/* content.c: category, images, brand, attributes and packages (see
 * "Content"): the checks (0, or -1 with err naming what is missing) and
 * the payload members. */
int lz_lazada_url(const char *u);
int lz_check_package(const oc_variant *v, char *err, size_t errlen);
int lz_check_content(const oc_listing *l, char *err, size_t errlen);
int lz_put_category_images(cJSON *prod, const oc_listing *l);
int lz_put_attrs(cJSON *attrs, const oc_listing *l);
int lz_put_package(cJSON *sku, const oc_variant *v);

/* variants.c: the sale property and the VARIANTS step (see "Variants"). */
typedef enum lz_step { LZ_STEP_NONE = 0, LZ_STEP_ADD, LZ_STEP_REMOVE } lz_step;
typedef struct lz_axis {
  const char *name; /* the sale property: saleProp key, variation name */
  int custom;       /* 1: a custom sale attribute (customize true) */
} lz_axis;
lz_step lz_next_step(const oc_listing *l);
int lz_in_variation(const oc_variant *v);
int lz_axis_of(const oc_shop *shop, const oc_listing *l, lz_axis *a, char *err,
               size_t errlen);
int lz_put_sale_prop(cJSON *sku, const lz_axis *a, const oc_variant *v);
int lz_put_variation(cJSON *prod, const lz_axis *a, const oc_listing *l);
OCU_BODY_FN(lz_payload_variants);
OCU_READ_FN(lz_read_variants);

/* parse.c: the envelope, the listing and token answers. */
#define LZ_LEAD "malformed response: "
#define LZ_MALFORMED(v, shop, ...) ocu_fail((v), (shop), OC_RETRY, 0, LZ_LEAD __VA_ARGS__)
int lz_decimal(const char *s, int64_t *out);
int lz_content_code(const char *code);
const cJSON *lz_data(oc_verdict *v, const oc_shop *shop, const cJSON *root);
OCU_ENVELOPE_FN(lz_envelope);
OCU_PAYLOAD_FN(lz_payload);
void lz_read_item_skus(oc_verdict *v, const oc_shop *shop, const cJSON *item, const char *what,
                       int need_amounts, oc_listing_result *res);
OCU_READ_FN(lz_read_publish);
OCU_READ_FN(lz_read_lookup);
OCU_READ_FN(lz_read_listing);
OCU_TOKEN_FN(lz_read_token);

/* upload.c: UPLOAD_IMAGE (see "Images"). */
int lz_upload_build(const oc_shop *shop, const oc_upload *up, int64_t now_ms, oc_request *req,
                    char *err, size_t errlen);
void lz_upload_parse(const oc_shop *shop, const oc_upload *up, long http_status,
                     const char *body, size_t len, oc_upload_result *res);

/* category.c: CATEGORY (see "Categories"). */
int lz_category_build(const oc_shop *shop, const oc_category_query *q, int64_t now_ms,
                      oc_request *req, char *err, size_t errlen);
void lz_category_parse(const oc_shop *shop, const oc_category_query *q, long http_status,
                       const char *body, size_t len, oc_category_result *res);

/* time.c: ISO-8601 with offsets, no tz database. */
void lz_iso_time(int64_t t, char out[LZ_ISO_MAX]);
int lz_parse_time(const char *s, int64_t *out);

/* orders.c: LIST_ORDERS and the GET_ORDERS request (see "Orders"). */
extern const ocu_status_map lz_status_map[];
int lz_valid_order_id(const char *s);
int lz_entry_id(oc_verdict *v, const oc_shop *shop, const cJSON *o, const char *what,
                char out[LZ_ORDER_ID_MAX + 1]);
OCU_EMIT_ORDERS_FN(lz_emit_orders);
OCU_PAGE_FN(lz_read_page);

/* items.c: GET_ORDERS answers, one item per unit. */
OCU_BATCH_FN(lz_read_batch);

/* push.c (see "Push"). */
OCU_PUSH_FN(lz_verify_push);

#endif
