/*
 * connector.c — the TikTok connector's operation table, its limits and the
 * table it exports (the only exported symbol, OC_ENTRY). Build and parse
 * go through common/ops.c, which checks, validates and then calls the
 * hooks of tt_market.
 */
#include "tiktok.h"

#include <string.h>

const ocu_limits tt_limits = {
    TT_TITLE_MAX_CP, 1, tt_item_id_ok, "a TikTok product id", 1, 0, 0,
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

/* VARIANTS with nothing left to do: every variant not removed is on the
 * item and no removed one is. Only once the shop and the listing pass the
 * operation's checks, so a bad listing is reported as such. */
static int tt_in_line(oc_op op, const oc_shop *shop, const oc_listing *l, int64_t now_ms) {
  const ocu_opdef *d = &tt_ops[OC_OP_VARIANTS];
  char scratch[8];

  return op == OC_OP_VARIANTS && now_ms >= 0 &&
         tt_check_shop(op, d, shop, scratch, sizeof scratch) == 0 &&
         ocu_check_listing(d->need, &tt_limits, l, scratch, sizeof scratch) == 0 &&
         ocu_variants_in_line(l);
}

/*
 * The table OCU_CONNECTOR would define, but for build_listing: it answers
 * OC_IN_LINE (no request) for VARIANTS in line, which common/ops.c cannot
 * pass through (it turns every non-zero emit into a failure).
 */
static int tt_build_listing(oc_op op, const oc_shop *shop, const oc_listing *l,
                            int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  if (req != NULL && tt_in_line(op, shop, l, now_ms)) {
    memset(req, 0, sizeof *req);
    if (err != NULL && errlen > 0)
      err[0] = '\0';
    return OC_IN_LINE;
  }
  return ocu_build_listing(&tt_market, op, shop, l, now_ms, req, err, errlen);
}

static void tt_parse_listing(oc_op op, const oc_shop *shop, const oc_listing *l,
                             long http_status, const char *body, size_t len,
                             oc_listing_result *res) {
  ocu_parse_listing(&tt_market, op, shop, l, http_status, body, len, res);
}

static int tt_build_token(oc_op op, const oc_shop *shop, int64_t now_ms, oc_request *req,
                          char *err, size_t errlen) {
  return ocu_build_token(&tt_market, op, shop, now_ms, req, err, errlen);
}

static void tt_parse_token(oc_op op, const oc_shop *shop, long http_status, const char *body,
                           size_t len, oc_token_result *res) {
  ocu_parse_token(&tt_market, op, shop, http_status, body, len, res);
}

static int tt_build_orders(oc_op op, const oc_shop *shop, const oc_order_query *q,
                           int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  return ocu_build_orders(&tt_market, op, shop, q, now_ms, req, err, errlen);
}

static void tt_parse_page(const oc_shop *shop, const oc_order_query *q, long http_status,
                          const char *body, size_t len, oc_order_page *res) {
  ocu_parse_order_page(&tt_market, shop, q, http_status, body, len, res);
}

static void tt_parse_batch(const oc_shop *shop, const oc_order_query *q, long http_status,
                           const char *body, size_t len, oc_order_batch *res) {
  ocu_parse_order_batch(&tt_market, shop, q, http_status, body, len, res);
}

static const oc_connector tt_connector = {
    OC_ABI_VERSION,   "tiktok",       OCU_CAPS_EVERY_OP | OC_CAP(OC_OP_VARIANTS),
    TT_ORDER_WINDOW_S, tt_build_listing, tt_parse_listing, tt_build_token, tt_parse_token,
    tt_build_orders,  tt_parse_page,  tt_parse_batch, NULL, tt_verify_push};

const oc_connector *OC_ENTRY(void) { return &tt_connector; }
