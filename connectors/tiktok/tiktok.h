/*
 * tiktok.h — the TikTok Shop Partner API connector (API version 202309): its
 * own declarations (prefix tt_), shared by the files of connectors/tiktok/
 * and its unit test. Nothing here is exported from the module but OC_ENTRY
 * (connectors/local.mk).
 *
 * Reference: docs/marketplaces/tiktok.md (tokens, signing and its worked
 * vectors T1..T6, envelope and errors, endpoints, orders, push, money,
 * pitfalls). Where TikTok leaves a choice open, these files and the simulator
 * (tests/sim/sim_tiktok.c) make the same one; tiktok.md lists those choices
 * under "Verified and our reading". In these files, 'see "Section"' names a
 * section of tiktok.md; connectors/tiktok/README.md says per operation what
 * is verified and what is our reading. OCOP claims: docs/ocop-rules.md, "OCOP claims".
 *
 * Pure, per connector.h: no I/O, no mutable globals, every allocation handed
 * to the caller (oc_request) or freed before returning.
 *
 * Shop options read (shop.options):
 *   shop_cipher           required for every shop call but the image
 *                         upload (query shop_cipher; from GET
 *                         /authorization/202309/shops)
 *   warehouse_id          warehouse id (decimal) for inventory (PUBLISH,
 *                         SET_STOCK, VARIANTS)
 *   variation_name        the sales attribute name of a product with several
 *                         variants, default "Quy cách" (PUBLISH, VARIANTS)
 *   auth_url              token host, default https://auth.tiktok-shops.com
 *                         (REFRESH_TOKEN, TOKEN_EXCHANGE)
 *   auth_link_base        host of the seller's authorisation page, default
 *                         https://services.tiktokshop.com (AUTH_LINK)
 *
 * AUTH_LINK [unverified]: no source gives the authorisation link. This
 * connector builds <auth_link_base>/open/authorize?service_id=<app_key>, the
 * form the Partner Center shows for a service; the service id may differ
 * from the app key, and TikTok redirects to the URL registered for the app
 * (the redirect given is not sent). Check it against the Partner Center
 * before relying on it. TOKEN_EXCHANGE (see "Authorisation and tokens"): GET
 * <auth_url>/api/v2/token/get with app_key, app_secret, auth_code and
 * grant_type=authorized_code, no sign.
 *
 * Our item_id is the TikTok product_id alone and each variant's remote id
 * is its sku id (decimal text: TikTok ids are 64-bit and exceed 2^53, so
 * they are read only as JSON strings and never pass through a double). A
 * product with one variant is one SKU without sales attributes; with
 * several, every SKU carries one sales attribute {name: variation_name,
 * value_name: the variant's label} (see "Variants" in tiktok.md). VARIANTS
 * is one partial edit with the whole skus list: a SKU with an id is kept, one
 * without is created, one left out is deleted. The memo (LOOKUP_SKU,
 * VARIANTS) is the sales attribute name the product uses, "" for none.
 *
 * Choices TikTok does not settle ([unverified], ours, shared with the
 * simulator): error codes 12052700 (product not found), 36009003 (timestamp),
 * 10000429 / 36009004 (rate limit); the publish body's field set; the
 * description sent as plain text (TikTok treats it as HTML).
 *
 * Orders (see "Orders" and "Push"; choices shared with the
 * simulator): LIST_ORDERS is POST /order/202309/orders/search, signed like
 * every 202309 POST, query page_size=100, page_token (left out on the first
 * page), sort_field=update_time, sort_order=ASC, body exactly
 * {"update_time_ge":<from>,"update_time_lt":<to>}; windows of at most
 * 7 days (TikTok documents no limit). GET_ORDERS is GET /order/202309/orders
 * with ids comma-joined (percent-encoded as %2C in the URL like every query
 * value, signed raw). Detail: one line item per unit, priced by sale_price,
 * else original_price; a price or total that is absent, null or
 * "" is unknown (-1). Order ids are read only as JSON strings and must be
 * 1..64 characters of [A-Za-z0-9_-], the rule build_orders applies; an id
 * asked for and missing from the answer is reported as bad. Pushes:
 * Authorization is lowercase hex HMAC-SHA256(app_secret, app_key ‖ raw
 * body), compared as sent; type and shop_id are required, timestamp
 * optional, data.order_id required for type 1 (order status change).
 */
#ifndef OCOP_TIKTOK_H
#define OCOP_TIKTOK_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "../common/ops.h"
#include "../common/orders.h"
#include "../common/verdict.h"
#include "../connector.h"

#define TT_TITLE_MAX_CP 255
#define TT_TITLE_MIN_CP 25     /* Create Product: 25..255 outside US/UK/EU/JP/BR/MX */
#define TT_MAIN_IMAGES_MAX 9   /* Create Product: main_images, at most 9 */
#define TT_ID_MAX_DIGITS 20 /* uint64 */
#define TT_RATE_LIMIT_RETRY_MS 1000L
#define TT_MAX_PARAMS 8
#define TT_DEFAULT_AUTH_URL "https://auth.tiktok-shops.com"
#define TT_REFRESH_PATH "/api/v2/token/refresh"
#define TT_TOKEN_GET_PATH "/api/v2/token/get"
#define TT_DEFAULT_AUTH_LINK_BASE "https://services.tiktokshop.com" /* [unverified] */
#define TT_AUTH_LINK_PATH "/open/authorize"                         /* [unverified] */
#define TT_ATTR_NAME_MAX_CP 20  /* sales attribute name (TikTok) */
#define TT_ATTR_VALUE_MAX_CP 50 /* sales attribute value_name (TikTok) */
#define TT_DEFAULT_VARIATION "Quy cách" /* sales attribute name, option variation_name */

/* Codes (see "Envelope and errors"). */
#define TT_CODE_BAD_SIGN 106001L
#define TT_CODE_TOKEN_INVALID 105001L
#define TT_CODE_TOKEN_EXPIRED 105002L
#define TT_CODE_NO_PERMISSION 105005L /* operator action, not a token */
#define TT_CODE_NOT_FOUND 12052700L   /* ours [unverified] */
#define TT_CODE_TIMESTAMP 36009003L   /* ours [unverified] */
#define TT_CODE_RATE 10000429L        /* ours [unverified] */
#define TT_CODE_RATE2 36009004L       /* ours [unverified] */

#define TT_ORDER_WINDOW_S (7 * 86400) /* no documented limit: 7-day slices */
#define TT_ORDER_ID_MAX 64            /* bytes: the longest id we ask for or hand on */
#define TT_PAGE_TOKEN_MAX 1024        /* ours: a broken answer cannot grow the URL */

/* The call kinds of ocu_opdef.kind: token host calls; shop calls (token
 * and shop_cipher); the image upload (token, no shop_cipher). */
enum { TT_PUBLIC = 0, TT_SHOP = 1, TT_UPLOAD = 2 };

/* Upload Product Image (see "Images"). */
#define TT_UPLOAD_PATH "/product/202309/images/upload"
#define TT_IMAGE_MAX_BYTES (10u * 1024 * 1024)
#define TT_IMAGE_MIN_PX 100
#define TT_IMAGE_MAX_PX 20000
#define TT_MAIN_MIN_PX 300 /* use_case MAIN_IMAGE */
#define TT_MAIN_MAX_PX 4000

typedef struct tt_param {
  const char *key;
  const char *value; /* raw; URL-encoded when serialised */
} tt_param;

/* connector.c: the exported entry, the operation table and the market. */
OCU_MARKET_DECLS(tt);

/* shop.c: ids, URLs and shop checks. */
int tt_valid_id(const char *s);
int tt_item_id_ok(const char *item_id);
const char *tt_variation_name(const oc_shop *shop, const oc_listing *l);
OCU_CHECK_SHOP_FN(tt_check_shop);

/* request.c: signing (see "Signing") and the request on the wire. */
char *tt_canonical(const char *secret, const char *path, const tt_param *p, size_t n,
                   const char *body, size_t body_len, size_t *outlen);
int tt_sign(const char *secret, const char *path, const tt_param *p, size_t n,
            const char *body, size_t body_len, char out[65]);
int tt_shop_request(const oc_shop *shop, const char *path, const tt_param *q, size_t nq,
                    oc_request *req, char *err, size_t errlen);
OCU_EMIT_FN(tt_emit);

/* content.c: the listing's content in create and edit bodies. */
int tt_valid_uri(const char *s);
int tt_check_title(const oc_listing *l, char *err, size_t errlen);
int tt_check_content(const oc_listing *l, char *err, size_t errlen);
int tt_put_content(cJSON *body, const oc_listing *l, int edit);
int tt_idempotency_key(const oc_listing *l, char out[71]);

/* body.c: request bodies, one builder per operation (ocu_body_fn). */
OCU_BODY_FN(tt_body_publish);
OCU_BODY_FN(tt_body_update);
OCU_BODY_FN(tt_body_sku);
OCU_BODY_FN(tt_body_products);
OCU_BODY_FN(tt_body_lookup);
OCU_BODY_FN(tt_body_variants);

/* parse.c: the envelope, codes, field readers and the token answer. */
#define TT_LEAD "unexpected response: "
#define TT_UNEXPECTED(v, shop, ...) ocu_fail((v), (shop), OC_RETRY, 0, TT_LEAD __VA_ARGS__)
oc_status tt_classify(long code, long *retry_ms);
int tt_content_code(long code);
OCU_ENVELOPE_FN(tt_envelope);
cJSON *tt_open(oc_op op, const oc_shop *shop, long http_status, const char *body, size_t len,
               oc_verdict *v);
OCU_PAYLOAD_FN(tt_data);
int tt_req_id(oc_verdict *v, const oc_shop *shop, const cJSON *item, const char *what,
              char out[21]);
#define tt_req_str(v, shop, obj, key, what) ocu_req_str(v, shop, obj, key, what, TT_LEAD)
#define tt_req_int(v, shop, obj, key, what, out) \
  ocu_req_int(v, shop, obj, key, what, TT_LEAD, 0, out)
#define tt_req_array(v, shop, obj, key, what) ocu_req_array(v, shop, obj, key, what, TT_LEAD)
#define tt_req_obj(v, shop, obj, key, what) ocu_req_obj(v, shop, obj, key, what, TT_LEAD)
int tt_amount(const char *s, int64_t *out);
OCU_TOKEN_FN(tt_read_token);

/* listing.c: the listing answers. */
OCU_READ_FN(tt_read_write);
OCU_READ_FN(tt_read_publish);
OCU_READ_FN(tt_read_lookup);
OCU_READ_FN(tt_read_listing);
OCU_READ_FN(tt_read_variants);

/* upload.c: UPLOAD_IMAGE. category.c: CATEGORY (see "Categories"). */
int tt_upload_build(const oc_shop *shop, const oc_upload *up, int64_t now_ms,
                    oc_request *req, char *err, size_t errlen);
void tt_upload_parse(const oc_shop *shop, const oc_upload *up, long http_status,
                     const char *body, size_t len, oc_upload_result *res);
int tt_category_build(const oc_shop *shop, const oc_category_query *q, int64_t now_ms,
                      oc_request *req, char *err, size_t errlen);
void tt_category_parse(const oc_shop *shop, const oc_category_query *q, long http_status,
                       const char *body, size_t len, oc_category_result *res);

/* orders.c (see "Orders"). */
extern const ocu_status_map tt_order_status[];
int tt_valid_order_id(const char *s);
OCU_EMIT_ORDERS_FN(tt_emit_orders);
OCU_PAGE_FN(tt_read_page);
OCU_BATCH_FN(tt_read_batch);

/* push.c (see "Push"). */
OCU_PUSH_FN(tt_verify_push);

#endif
