/*
 * feed.c — PostMart's catalogue file: RFC 4180 CSV in UTF-8, one row per
 * variant of each listing, CRLF line ends (see postmart.h for the columns).
 */
#include "postmart.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../common/buf.h"

#define PM_HEADER                                                                           \
  "sku,product_code,variant,name,ocop_stars,certificate_no,category,price_vnd,stock,"       \
  "weight_g,gtin,description,image_urls,active\r\n"
#define PM_COLUMNS 14

/* One field, quoted when it holds a comma, a quote, CR or LF. */
static void pm_field(ocu_buf *b, const char *s) {
  const char *q;

  if (!s)
    s = "";
  if (!s[strcspn(s, ",\"\r\n")]) {
    ocu_buf_puts(b, s);
    return;
  }
  ocu_buf_puts(b, "\"");
  while ((q = strchr(s, '"')) != NULL) {
    ocu_buf_add(b, s, (size_t)(q - s) + 1);
    ocu_buf_puts(b, "\"");
    s = q + 1;
  }
  ocu_buf_puts(b, s);
  ocu_buf_puts(b, "\"");
}

/* One row: the product's fields, then the variant's. */
static void pm_row(ocu_buf *b, const oc_feed_row *r, const oc_variant *v) {
  const oc_listing *l = r->listing;
  int claims = l->stars > 0;
  char stars[16] = "", price[24], stock[24], weight[24];
  const char *cols[PM_COLUMNS];
  size_t i;

  if (claims)
    snprintf(stars, sizeof stars, "%d", l->stars);
  snprintf(price, sizeof price, "%" PRId64, v->price_vnd);
  snprintf(stock, sizeof stock, "%" PRId64, v->stock);
  snprintf(weight, sizeof weight, "%" PRId32, v->weight_g);
  cols[0] = v->sku;
  cols[1] = l->sku;
  cols[2] = v->label;
  cols[3] = l->name;
  cols[4] = stars;
  cols[5] = claims ? l->certificate_no : "";
  cols[6] = l->category;
  cols[7] = price;
  cols[8] = stock;
  cols[9] = weight;
  cols[10] = v->gtin;
  cols[11] = l->description;
  cols[12] = r->image_urls;
  cols[13] = r->active ? "1" : "0";
  for (i = 0; i < PM_COLUMNS; i++) {
    if (i > 0)
      ocu_buf_puts(b, ",");
    pm_field(b, cols[i]);
  }
  ocu_buf_puts(b, "\r\n");
}

/* A row needs a product code and, for every variant, a SKU. */
static int pm_check(const oc_feed_row *rows, size_t nrows, char *err, size_t errlen) {
  size_t i, k;

  for (i = 0; i < nrows; i++) {
    const oc_listing *l = rows[i].listing;

    if (!l || !l->sku || !l->sku[0]) {
      snprintf(err, errlen, "feed row %zu has no SKU", i);
      return -1;
    }
    for (k = 0; k < l->nvariants; k++)
      if (!l->variants[k].sku || !l->variants[k].sku[0]) {
        snprintf(err, errlen, "feed row %zu: variant %zu has no SKU", i, k);
        return -1;
      }
  }
  return 0;
}

int pm_feed(const oc_shop *shop, const oc_feed_row *rows, size_t nrows, char **out,
            size_t *outlen, char *err, size_t errlen) {
  ocu_buf b = OCU_BUF_INIT;
  size_t i, k, len;

  (void)shop;
  *out = NULL;
  *outlen = 0;
  if (pm_check(rows, nrows, err, errlen) != 0)
    return -1;
  ocu_buf_puts(&b, PM_HEADER);
  for (i = 0; i < nrows; i++)
    for (k = 0; k < rows[i].listing->nvariants; k++)
      if (!rows[i].listing->variants[k].removed)
        pm_row(&b, &rows[i], &rows[i].listing->variants[k]);
  len = b.len;
  if ((*out = ocu_buf_detach(&b)) == NULL) {
    snprintf(err, errlen, "out of memory rendering the feed");
    return -1;
  }
  *outlen = len;
  return 0;
}
