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
 * Shop options read (shop.options; ids are decimal text):
 *   category_id           Shopee category id for every listing of the shop
 *   category.<OCOP code>  per OCOP category, e.g. "category.I.3.c"; wins
 *   image_id              image id(s) from media_space/upload_image,
 *                         comma-separated, at most 9 (PUBLISH)
 *   logistic_id           logistics channel id(s), comma-separated; each is
 *                         sent {logistic_id, enabled: true} (PUBLISH)
 *   ocop_attribute_id     attribute carrying the OCOP star rating (optional:
 *                         without it no attribute is sent)
 *   ocop_value_id.<N>     value id of the N-star value of that attribute
 *                         (optional; without it a custom value "N sao" with
 *                         value_id 0 is sent) [unverified: no public source
 *                         names an OCOP attribute on Shopee Vietnam]
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

/* push.c (see "Push"). */
OCU_PUSH_FN(sp_verify_push);

#endif
