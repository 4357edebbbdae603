/*
 * connector.c — the Lazada connector's operation table, its limits and the
 * table it exports (the only exported symbol, OC_ENTRY). Build and parse
 * go through common/ops.c, which checks, validates and then calls the
 * hooks of lz_market.
 */
#include "lazada.h"

#include <string.h>

const ocu_limits lz_limits = {
    LZ_TITLE_MAX_CP, LZ_MAX_IMAGES, lz_valid_id, "a numeric Lazada item id", 0, 0, 0,
};

#define LZ_LISTING OCU_NEED_LISTING
#define LZ_SKU_OF_ITEM (OCU_NEED_LISTING | OCU_NEED_ITEM | OCU_NEED_SKU)

const ocu_opdef lz_ops[OC_OP_MAX] = {
    [OC_OP_PUBLISH] = {"POST", "/product/create", NULL, LZ_SELLER,
                       LZ_LISTING | OCU_NEED_SKU | OCU_NEED_TEXT | OCU_NEED_PRICE |
                           OCU_NEED_STOCK,
                       lz_payload_publish, lz_read_publish},
    [OC_OP_UPDATE] = {"POST", "/product/update", NULL, LZ_SELLER,
                      LZ_SKU_OF_ITEM | OCU_NEED_TEXT, lz_payload_update, NULL},
    [OC_OP_SET_STOCK] = {"POST", "/product/price_quantity/update", NULL, LZ_SELLER,
                         LZ_SKU_OF_ITEM | OCU_NEED_STOCK, lz_payload_price_qty, NULL},
    [OC_OP_SET_PRICE] = {"POST", "/product/price_quantity/update", NULL, LZ_SELLER,
                         LZ_SKU_OF_ITEM | OCU_NEED_PRICE, lz_payload_price_qty, NULL},
    /* [unverified] parameter name apiRequestBody (see "Endpoints"). */
    [OC_OP_DELIST] = {"POST", "/product/deactivate", NULL, LZ_SELLER, LZ_SKU_OF_ITEM,
                      lz_payload_delist, NULL},
    /* [unverified] relist = UpdateProduct with SKU Status active. */
    [OC_OP_RELIST] = {"POST", "/product/update", NULL, LZ_SELLER, LZ_SKU_OF_ITEM,
                      lz_payload_relist, NULL},
    /* By seller SKU; with an item id, lz_item_get_op (request.c). */
    [OC_OP_LOOKUP_SKU] = {"GET", "/products/get", NULL, LZ_SELLER, LZ_LISTING | OCU_NEED_SKU,
                          lz_payload_lookup, lz_read_lookup},
    [OC_OP_GET_LISTING] = {"GET", "/product/item/get", NULL, LZ_SELLER,
                           LZ_LISTING | OCU_NEED_ITEM, NULL, lz_read_listing},
    /* Signed like any call, without access_token (vector L5). */
    [OC_OP_REFRESH_TOKEN] = {"POST", "/auth/token/refresh", NULL, LZ_TOKEN, 0, NULL, NULL},
    /* Not an API call: the path of the link on the auth host. */
    [OC_OP_AUTH_LINK] = {"GET", "/oauth/authorize", NULL, LZ_TOKEN, 0, NULL, NULL},
    [OC_OP_TOKEN_EXCHANGE] = {"POST", "/auth/token/create", NULL, LZ_TOKEN, 0, NULL, NULL},
    /* Orders (see "Orders"): orders.c and items.c. */
    [OC_OP_LIST_ORDERS] = {"GET", "/orders/get", NULL, LZ_SELLER, 0, NULL, NULL},
    [OC_OP_GET_ORDERS] = {"GET", "/orders/items/get", NULL, LZ_SELLER, 0, NULL, NULL},
    /* Adds SKUs (UpdateProduct); removals go by lz_remove_sku_op. */
    [OC_OP_VARIANTS] = {"POST", "/product/update", NULL, LZ_SELLER,
                        LZ_SKU_OF_ITEM | OCU_NEED_PRICE | OCU_NEED_STOCK, lz_payload_variants,
                        lz_read_variants},
};

/* GetProductItem: LOOKUP_SKU of an item whose id is known. */
const ocu_opdef lz_item_get_op = {"GET", "/product/item/get", NULL, LZ_SELLER,
                                  LZ_LISTING | OCU_NEED_SKU, NULL, lz_read_lookup};
/* RemoveSku: a VARIANTS step taking removed variants off the item. */
const ocu_opdef lz_remove_sku_op = {"POST", "/product/sku/remove", NULL, LZ_SELLER,
                                    LZ_SKU_OF_ITEM, lz_payload_variants, lz_read_variants};

const ocu_market lz_market = {
    "lazada",      lz_ops,       &lz_limits,   lz_check_shop, lz_emit,
    lz_emit_orders, lz_envelope, lz_payload, lz_read_token, lz_read_page,  lz_read_batch,
};

/*
 * The exported table: common/ops.c dispatches every call; build_listing
 * first answers OC_IN_LINE for a VARIANTS step with nothing left to do
 * (common/ops.c knows no such answer), after the same listing checks.
 */
static int lz_build_listing(oc_op op, const oc_shop *shop, const oc_listing *l,
                            int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  if (op == OC_OP_VARIANTS && req != NULL && l != NULL &&
      ocu_check_listing(lz_ops[op].need, &lz_limits, l, err, errlen) == 0 &&
      lz_next_step(l) == LZ_STEP_NONE) {
    memset(req, 0, sizeof *req);
    if (errlen > 0)
      err[0] = '\0';
    return OC_IN_LINE;
  }
  return ocu_build_listing(&lz_market, op, shop, l, now_ms, req, err, errlen);
}

static void lz_parse_listing(oc_op op, const oc_shop *shop, const oc_listing *l,
                             long http_status, const char *body, size_t len,
                             oc_listing_result *res) {
  ocu_parse_listing(&lz_market, op, shop, l, http_status, body, len, res);
}

static int lz_build_token(oc_op op, const oc_shop *shop, int64_t now_ms, oc_request *req,
                          char *err, size_t errlen) {
  return ocu_build_token(&lz_market, op, shop, now_ms, req, err, errlen);
}

static void lz_parse_token(oc_op op, const oc_shop *shop, long http_status, const char *body,
                           size_t len, oc_token_result *res) {
  ocu_parse_token(&lz_market, op, shop, http_status, body, len, res);
}

static int lz_build_orders(oc_op op, const oc_shop *shop, const oc_order_query *q,
                           int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  return ocu_build_orders(&lz_market, op, shop, q, now_ms, req, err, errlen);
}

static void lz_parse_page(const oc_shop *shop, const oc_order_query *q, long http_status,
                          const char *body, size_t len, oc_order_page *res) {
  ocu_parse_order_page(&lz_market, shop, q, http_status, body, len, res);
}

static void lz_parse_batch(const oc_shop *shop, const oc_order_query *q, long http_status,
                           const char *body, size_t len, oc_order_batch *res) {
  ocu_parse_order_batch(&lz_market, shop, q, http_status, body, len, res);
}

/* order_window_s 0: no limit; the offset cap is met with done_at. */
static const oc_connector lz_connector = {
    OC_ABI_VERSION,   "lazada",       OCU_CAPS_EVERY_OP | OC_CAP(OC_OP_VARIANTS),
    0,                lz_build_listing, lz_parse_listing, lz_build_token, lz_parse_token,
    lz_build_orders,  lz_parse_page,    lz_parse_batch,   NULL,           lz_verify_push};

const oc_connector *OC_ENTRY(void) { return &lz_connector; }
