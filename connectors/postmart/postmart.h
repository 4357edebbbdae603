/*
 * postmart.h — the PostMart.vn (Vietnam Post) connector, a file channel:
 * its own declarations (prefix pm_), shared by the files of
 * connectors/postmart/ and its unit test. Nothing here is exported from the
 * module but OC_ENTRY (connectors/local.mk).
 *
 * PostMart has no public seller API (docs/marketplaces/postmart.md), so this
 * connector sends nothing. It declares OC_CAP_FEED: the core finishes
 * each listing job at once and, debounced, asks feed() for the shop's whole
 * catalogue, which it writes atomically into the shop's export folder for
 * the seller to upload. feed() renders RFC 4180 CSV in UTF-8 without a BOM:
 *
 *   sku,product_code,variant,name,ocop_stars,certificate_no,category,
 *   price_vnd,stock,weight_g,gtin,description,image_urls,active
 *
 * one row per variant of each listing (sku is the variant's seller SKU, the
 * one PostMart order files name), CRLF line ends. A delisted product is an inactive
 * row (active 0); a listing without OCOP claims (stars 0: stripped or no
 * longer eligible) has empty ocop_stars and certificate_no.
 */
#ifndef OCOP_POSTMART_H
#define OCOP_POSTMART_H

#include <stddef.h>

#include "../connector.h"

/* connector.c: the exported entry. */
const oc_connector *OC_ENTRY(void);

/* feed.c: the catalogue as CSV (oc_connector.feed). */
int pm_feed(const oc_shop *shop, const oc_feed_row *rows, size_t nrows, char **out,
            size_t *outlen, char *err, size_t errlen);

#endif
