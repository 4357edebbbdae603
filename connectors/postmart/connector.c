/*
 * connector.c — the PostMart connector's table and OC_ENTRY. A file
 * channel: the listing operations are served by the feed, so building a
 * request or reading an answer for one is refused.
 */
#include "postmart.h"

#include <stdio.h>
#include <string.h>

static int pm_build_listing(oc_op op, const oc_shop *shop, const oc_listing *listing,
                            int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  (void)shop;
  (void)listing;
  (void)now_ms;
  (void)req;
  snprintf(err, errlen, "postmart is a file channel: no request for %s", oc_op_name(op));
  return -1;
}

static void pm_parse_listing(oc_op op, const oc_shop *shop, const oc_listing *listing,
                             long http_status, const char *body, size_t len,
                             oc_listing_result *res) {
  (void)shop;
  (void)listing;
  (void)http_status;
  (void)body;
  (void)len;
  memset(res, 0, sizeof *res);
  res->v.status = OC_REJECTED;
  snprintf(res->v.error, sizeof res->v.error, "postmart is a file channel: no response for %s",
           oc_op_name(op));
}

static const oc_connector pm_connector = {
    OC_ABI_VERSION,
    "postmart",
    OC_CAP(OC_OP_PUBLISH) | OC_CAP(OC_OP_UPDATE) | OC_CAP(OC_OP_SET_STOCK) |
        OC_CAP(OC_OP_SET_PRICE) | OC_CAP(OC_OP_DELIST) | OC_CAP(OC_OP_RELIST) | OC_CAP_STRIP |
        OC_CAP_FEED,
    0, /* order_window_s: no orders */
    pm_build_listing,
    pm_parse_listing,
    NULL, /* build_token: no tokens */
    NULL, /* parse_token */
    NULL, /* build_orders: no orders */
    NULL, /* parse_order_page */
    NULL, /* parse_order_batch */
    pm_feed,
    NULL, /* verify_push: no push */
    NULL, /* build_upload: the feed names image URLs, it uploads nothing */
    NULL, /* parse_upload */
    NULL, /* build_category: no category rules */
    NULL, /* parse_category */
};

const oc_connector *OC_ENTRY(void) { return &pm_connector; }
