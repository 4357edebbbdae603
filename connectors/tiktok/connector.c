/*
 * connector.c — the TikTok connector's operation table, its limits and the
 * table it exports (the only exported symbol, OC_ENTRY). Build and parse
 * go through common/ops.c, which checks, validates and then calls the
 * hooks of tt_market.
 */
#include "tiktok.h"

#include <string.h>

const ocu_limits tt_limits = {
    TT_TITLE_MAX_CP, TT_MAIN_IMAGES_MAX, tt_item_id_ok, "a TikTok product id", 1, 0, 0,
};

#define TT_LISTING OCU_NEED_LISTING
#define TT_ITEM (OCU_NEED_LISTING | OCU_NEED_ITEM)
#define TT_PRODUCTS "/product/202309/products"

const ocu_opdef tt_ops[OC_OP_MAX] = {
    [OC_OP_PUBLISH] = {"POST", TT_PRODUCTS, NULL, TT_SHOP,
                       TT_LISTING | OCU_NEED_SKU | OCU_NEED_TEXT | OCU_NEED_PRICE |
                           OCU_NEED_STOCK,
                       tt_body_publish, tt_read_publish},
    [OC_OP_UPDATE] = {"POST", TT_PRODUCTS, "/partial_edit", TT_SHOP, TT_ITEM | OCU_NEED_TEXT,
                      tt_body_update, tt_read_write},
    [OC_OP_SET_STOCK] = {"POST", TT_PRODUCTS, "/inventory/update", TT_SHOP,
                         TT_ITEM | OCU_NEED_STOCK, tt_body_sku, tt_read_write},
    [OC_OP_SET_PRICE] = {"POST", TT_PRODUCTS, "/prices/update", TT_SHOP,
                         TT_ITEM | OCU_NEED_PRICE, tt_body_sku, tt_read_write},
    [OC_OP_DELIST] = {"POST", "/product/202309/products/deactivate", NULL, TT_SHOP, TT_ITEM,
                      tt_body_products, tt_read_write},
    [OC_OP_RELIST] = {"POST", "/product/202309/products/activate", NULL, TT_SHOP, TT_ITEM,
                      tt_body_products, tt_read_write},
    [OC_OP_LOOKUP_SKU] = {"POST", "/product/202309/products/search", NULL, TT_SHOP,
                          TT_LISTING | OCU_NEED_SKU, tt_body_lookup, tt_read_lookup},
    [OC_OP_GET_LISTING] = {"GET", TT_PRODUCTS, "", TT_SHOP, TT_ITEM, NULL, tt_read_listing},
    [OC_OP_REFRESH_TOKEN] = {"GET", TT_REFRESH_PATH, NULL, TT_PUBLIC, 0, NULL, NULL},
    [OC_OP_AUTH_LINK] = {"GET", TT_AUTH_LINK_PATH, NULL, TT_PUBLIC, 0, NULL, NULL},
    [OC_OP_TOKEN_EXCHANGE] = {"GET", TT_TOKEN_GET_PATH, NULL, TT_PUBLIC, 0, NULL, NULL},
    [OC_OP_LIST_ORDERS] = {"POST", "/order/202309/orders/search", NULL, TT_SHOP, 0, NULL,
                           NULL},
    [OC_OP_GET_ORDERS] = {"GET", "/order/202309/orders", NULL, TT_SHOP, 0, NULL, NULL},
    [OC_OP_VARIANTS] = {"POST", TT_PRODUCTS, "/partial_edit", TT_SHOP,
                        TT_ITEM | OCU_NEED_PRICE | OCU_NEED_STOCK, tt_body_variants,
                        tt_read_variants},
};

const ocu_market tt_market = {
    "tiktok",      tt_ops,       &tt_limits,   tt_check_shop, tt_emit,
    tt_emit_orders, tt_envelope, tt_data, tt_read_token, tt_read_page,  tt_read_batch,
};

OCU_CONNECTOR(tt, "tiktok", tt_market,
              OCU_CAPS_EVERY_OP | OC_CAP(OC_OP_VARIANTS) | OC_CAP(OC_OP_UPLOAD_IMAGE) |
                  OC_CAP(OC_OP_CATEGORY),
              TT_ORDER_WINDOW_S, tt_verify_push, tt_upload, tt_category)
