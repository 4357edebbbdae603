/*
 * feed.c — PostMart's catalogue file: RFC 4180 CSV in UTF-8, one row per
 * listing, CRLF line ends (see postmart.h for the columns).
 */
#include "postmart.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../common/buf.h"

#define PM_HEADER                                                                           \
  "sku,name,ocop_stars,certificate_no,category,price_vnd,stock,weight_g,description,"       \
  "image_urls,active\r\n"
#define PM_COLUMNS 11

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

static void pm_row(ocu_buf *b, const oc_feed_row *r) {
  const oc_listing *l = r->listing;
  int claims = l->stars > 0;
  char stars[16] = "", price[24], stock[24], weight[24];
  const char *cols[PM_COLUMNS];
  size_t i;

  if (claims)
    snprintf(stars, sizeof stars, "%d", l->stars);
  snprintf(price, sizeof price, "%" PRId64, l->price_vnd);
  snprintf(stock, sizeof stock, "%" PRId64, l->stock);
  snprintf(weight, sizeof weight, "%" PRId32, l->weight_g);
  cols[0] = l->sku;
  cols[1] = l->name;
  cols[2] = stars;
  cols[3] = claims ? l->certificate_no : "";
  cols[4] = l->category;
  cols[5] = price;
  cols[6] = stock;
  cols[7] = weight;
  cols[8] = l->description;
  cols[9] = r->image_urls;
  cols[10] = r->active ? "1" : "0";
  for (i = 0; i < PM_COLUMNS; i++) {
    if (i > 0)
      ocu_buf_puts(b, ",");
    pm_field(b, cols[i]);
  }
  ocu_buf_puts(b, "\r\n");
}

int pm_feed(const oc_shop *shop, const oc_feed_row *rows, size_t nrows, char **out,
            size_t *outlen, char *err, size_t errlen) {
  ocu_buf b = OCU_BUF_INIT;
  size_t i, len;

  (void)shop;
  *out = NULL;
  *outlen = 0;
  for (i = 0; i < nrows; i++)
    if (!rows[i].listing || !rows[i].listing->sku || !rows[i].listing->sku[0]) {
      snprintf(err, errlen, "feed row %zu has no SKU", i);
      return -1;
    }
  ocu_buf_puts(&b, PM_HEADER);
  for (i = 0; i < nrows; i++)
    pm_row(&b, &rows[i]);
  len = b.len;
  if ((*out = ocu_buf_detach(&b)) == NULL) {
    snprintf(err, errlen, "out of memory rendering the feed");
    return -1;
  }
  *outlen = len;
  return 0;
}
