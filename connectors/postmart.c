/*
 * postmart.c — the PostMart.vn (Vietnam Post) connector: a file channel.
 *
 * PostMart has no public seller API (docs/marketplaces/postmart.md), so this
 * connector sends nothing. It declares OC_CAP_FEED: the core finishes
 * each listing job at once and, debounced, asks feed() for the shop's whole
 * catalogue, which it writes atomically into the shop's export folder for
 * the seller to upload. feed() renders RFC 4180 CSV in UTF-8 without a BOM:
 *
 *   sku,name,ocop_stars,certificate_no,category,price_vnd,stock,weight_g,
 *   description,image_urls,active
 *
 * one row per listing, CRLF line ends. A delisted product is an inactive
 * row (active 0); a listing without OCOP claims (stars 0: stripped or no
 * longer eligible) has empty ocop_stars and certificate_no.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connector.h"

const oc_connector *ocop_connector_v1(void);

#define PM_HEADER                                                                           \
  "sku,name,ocop_stars,certificate_no,category,price_vnd,stock,weight_g,description,"       \
  "image_urls,active\r\n"

struct pm_buf {
  char *p;
  size_t len, cap;
  int oom;
};

static void pm_put(struct pm_buf *b, const char *s, size_t n) {
  if (b->oom)
    return;
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    char *p;

    while (b->len + n + 1 > cap)
      cap *= 2;
    p = realloc(b->p, cap);
    if (!p) {
      b->oom = 1;
      return;
    }
    b->p = p;
    b->cap = cap;
  }
  memcpy(b->p + b->len, s, n);
  b->len += n;
  b->p[b->len] = '\0';
}

/* One field, quoted when it holds a comma, a quote, CR or LF. */
static void pm_field(struct pm_buf *b, const char *s) {
  const char *q;

  if (!s)
    s = "";
  if (!s[strcspn(s, ",\"\r\n")]) {
    pm_put(b, s, strlen(s));
    return;
  }
  pm_put(b, "\"", 1);
  while ((q = strchr(s, '"')) != NULL) {
    pm_put(b, s, (size_t)(q - s) + 1);
    pm_put(b, "\"", 1);
    s = q + 1;
  }
  pm_put(b, s, strlen(s));
  pm_put(b, "\"", 1);
}

static void pm_int(struct pm_buf *b, int64_t v) {
  char num[24];

  snprintf(num, sizeof num, "%" PRId64, v);
  pm_put(b, num, strlen(num));
}

static void pm_row(struct pm_buf *b, const oc_feed_row *r) {
  const oc_listing *l = r->listing;
  int claims = l->stars > 0;

  pm_field(b, l->sku);
  pm_put(b, ",", 1);
  pm_field(b, l->name);
  pm_put(b, ",", 1);
  if (claims)
    pm_int(b, l->stars);
  pm_put(b, ",", 1);
  if (claims)
    pm_field(b, l->certificate_no);
  pm_put(b, ",", 1);
  pm_field(b, l->category);
  pm_put(b, ",", 1);
  pm_int(b, l->price_vnd);
  pm_put(b, ",", 1);
  pm_int(b, l->stock);
  pm_put(b, ",", 1);
  pm_int(b, l->weight_g);
  pm_put(b, ",", 1);
  pm_field(b, l->description);
  pm_put(b, ",", 1);
  pm_field(b, r->image_urls);
  pm_put(b, r->active ? ",1\r\n" : ",0\r\n", 4);
}

static int pm_feed(const oc_shop *shop, const oc_feed_row *rows, size_t nrows, char **out,
                   size_t *outlen, char *err, size_t errlen) {
  struct pm_buf b = {NULL, 0, 0, 0};
  size_t i;

  (void)shop;
  *out = NULL;
  *outlen = 0;
  for (i = 0; i < nrows; i++)
    if (!rows[i].listing || !rows[i].listing->sku || !rows[i].listing->sku[0]) {
      snprintf(err, errlen, "feed row %zu has no SKU", i);
      return -1;
    }
  pm_put(&b, PM_HEADER, sizeof PM_HEADER - 1);
  for (i = 0; i < nrows; i++)
    pm_row(&b, &rows[i]);
  if (b.oom) {
    free(b.p);
    snprintf(err, errlen, "out of memory rendering the feed");
    return -1;
  }
  *out = b.p;
  *outlen = b.len;
  return 0;
}

static int pm_build(oc_op op, const oc_shop *shop, const oc_listing *listing, int64_t now_ms,
                    oc_request *req, char *err, size_t errlen) {
  (void)shop;
  (void)listing;
  (void)now_ms;
  (void)req;
  snprintf(err, errlen, "postmart is a file channel: no request for %s", oc_op_name(op));
  return -1;
}

static void pm_parse(oc_op op, const oc_shop *shop, const oc_listing *listing, long http_status,
                     const char *body, size_t len, oc_result *res) {
  (void)shop;
  (void)listing;
  (void)http_status;
  (void)body;
  (void)len;
  res->status = OC_REJECTED;
  snprintf(res->error, sizeof res->error, "postmart is a file channel: no response for %s",
           oc_op_name(op));
}

/* ---- entry point -------------------------------------------------------------- */

static const oc_connector pm_connector = {
    OC_ABI_VERSION,
    "postmart",
    OC_CAP(OC_OP_PUBLISH) | OC_CAP(OC_OP_UPDATE) | OC_CAP(OC_OP_SET_STOCK) |
        OC_CAP(OC_OP_SET_PRICE) | OC_CAP(OC_OP_DELIST) | OC_CAP(OC_OP_RELIST) | OC_CAP_STRIP |
        OC_CAP_FEED,
    pm_build,
    pm_parse,
    pm_feed,
    0,    /* order_window_s */
    NULL, /* build_orders */
    NULL, /* parse_orders */
    NULL, /* verify_push */
};

const oc_connector *ocop_connector_v1(void) { return &pm_connector; }
