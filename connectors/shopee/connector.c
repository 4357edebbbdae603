/*
 * connector.c — the Shopee connector's operation table, its limits and the
 * table it exports (the only exported symbol, OC_ENTRY). Build and parse
 * go through common/ops.c, which checks, validates and then calls the
 * hooks of sp_market.
 */
#include "shopee.h"

const oc_connector *OC_ENTRY(void);

const ocu_limits sp_limits = {
    SP_TITLE_MAX_CP, SP_MAX_IMAGES, sp_valid_id, "a numeric Shopee item id", 0, 0, 0,
};

#define SP_LISTING OCU_NEED_LISTING
#define SP_ITEM (OCU_NEED_LISTING | OCU_NEED_ITEM)

const ocu_opdef sp_ops[OC_OP_MAX] = {
    [OC_OP_PUBLISH] = {"POST", "/api/v2/product/add_item", NULL, SP_SHOP,
                       SP_LISTING | OCU_NEED_SKU | OCU_NEED_TEXT | OCU_NEED_PRICE |
                           OCU_NEED_STOCK,
                       sp_body_publish, sp_read_publish},
    [OC_OP_UPDATE] = {"POST", "/api/v2/product/update_item", NULL, SP_SHOP,
                      SP_ITEM | OCU_NEED_TEXT, sp_body_update, sp_read_write},
    [OC_OP_SET_STOCK] = {"POST", "/api/v2/product/update_stock", NULL, SP_SHOP,
                         SP_ITEM | OCU_NEED_STOCK, sp_body_model, sp_read_write},
    [OC_OP_SET_PRICE] = {"POST", "/api/v2/product/update_price", NULL, SP_SHOP,
                         SP_ITEM | OCU_NEED_PRICE, sp_body_model, sp_read_write},
    [OC_OP_DELIST] = {"POST", "/api/v2/product/unlist_item", NULL, SP_SHOP, SP_ITEM,
                      sp_body_unlist, sp_read_write},
    [OC_OP_RELIST] = {"POST", "/api/v2/product/unlist_item", NULL, SP_SHOP, SP_ITEM,
                      sp_body_unlist, sp_read_write},
    /*
     * [unverified] search_item by item_sku is known only from user code (see
     * "Verified and our reading"). The scraped official schema lists item_sku
     * (added 2022-07-28), offset and page_size (1..100) and returns
     * response.item_id_list; whether item_sku matches exactly or by prefix, and
     * whether UNLIST items are returned without an item_status filter, was not
     * confirmed. The query is built in request.c (sp_query).
     */
    /* With an item id: get_model_list instead (sp_model_list_def). */
    [OC_OP_LOOKUP_SKU] = {"GET", "/api/v2/product/search_item", NULL, SP_SHOP,
                          SP_LISTING | OCU_NEED_SKU, NULL, sp_read_lookup},
    /* An item with models: get_model_list instead (sp_model_list_def). */
    [OC_OP_GET_LISTING] = {"GET", "/api/v2/product/get_item_base_info", NULL, SP_SHOP,
                           SP_ITEM, NULL, sp_read_listing},
    /* Public signature: never access_token/shop_id in the base string (S4). */
    [OC_OP_REFRESH_TOKEN] = {"POST", "/api/v2/auth/access_token/get", NULL, SP_PUBLIC, 0,
                             sp_body_token, NULL},
    /* "Authorisation and tokens", link: what the seller opens (build only,
     * never sent); the public signature over this path. It dies 5 minutes after
     * `timestamp`. */
    [OC_OP_AUTH_LINK] = {"GET", "/api/v2/shop/auth_partner", NULL, SP_PUBLIC, 0, NULL, NULL},
    /* "Authorisation and tokens", exchange: the single-use code (10 minutes)
     * for the first pair. */
    [OC_OP_TOKEN_EXCHANGE] = {"POST", "/api/v2/auth/token/get", NULL, SP_PUBLIC, 0,
                              sp_body_token, NULL},
    /* See "Orders": shop-level like get_item_base_info; see orders.c. */
    [OC_OP_LIST_ORDERS] = {"GET", "/api/v2/order/get_order_list", NULL, SP_SHOP, 0, NULL,
                           NULL},
    [OC_OP_GET_ORDERS] = {"GET", "/api/v2/order/get_order_detail", NULL, SP_SHOP, 0, NULL,
                          NULL},
    /* See "Variants": the path is the step's (init_tier_variation,
     * update_tier_variation, add_model or delete_model), chosen with the
     * body in variants.c; this one only names the operation. */
    [OC_OP_VARIANTS] = {"POST", "/api/v2/product/init_tier_variation", NULL, SP_SHOP,
                        SP_ITEM | OCU_NEED_PRICE | OCU_NEED_STOCK, NULL, sp_read_variants},
};

const ocu_market sp_market = {
    "shopee",     sp_ops,       &sp_limits,   sp_check_shop, sp_emit,
    sp_emit_orders, sp_envelope, sp_response, sp_read_token, sp_read_page,  sp_read_batch,
};

OCU_CONNECTOR(sp, "shopee", sp_market,
              OCU_CAPS_EVERY_OP | OC_CAP(OC_OP_VARIANTS) | OC_CAP(OC_OP_UPLOAD_IMAGE) |
                  OC_CAP(OC_OP_CATEGORY),
              SP_ORDER_WINDOW_S, sp_verify_push, sp_upload, sp_category)
