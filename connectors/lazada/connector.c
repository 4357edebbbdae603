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

/* order_window_s 0: no limit; the offset cap is met with done_at. */
OCU_CONNECTOR(lz, "lazada", lz_market,
              OCU_CAPS_EVERY_OP | OC_CAP(OC_OP_VARIANTS) | OC_CAP(OC_OP_UPLOAD_IMAGE) |
                  OC_CAP(OC_OP_CATEGORY),
              0, lz_verify_push, lz_upload, lz_category)
