/*
 * fuzz_order_doc.c — daemon/order_doc.c, the document a batch of orders
 * becomes for ocop_ingest_orders(). The batch is made from the input (any
 * bytes in the strings, any numbers); the document must be JSON that
 * reads back with the same orders, ids and bad entries, a negative amount
 * as null.
 */
#include "fuzz.h"

#include <cJSON.h>

#include "order_doc.h"

#define FZ_MAX_ORDERS 8
#define FZ_MAX_LINES 4
#define FZ_MAX_BAD 4

static void fz_make_order(fz_in *in, oc_order *o) {
  size_t i;

  fz_str(in, o->id, sizeof o->id);
  fz_str(in, o->status, sizeof o->status);
  o->effect = (oc_effect)(OC_EFFECT_RESERVED + fz_byte(in) % 4);
  o->update_time = fz_int64(in);
  o->total_vnd = fz_int64(in);
  o->nlines = 1 + fz_byte(in) % FZ_MAX_LINES;
  o->lines = calloc(o->nlines, sizeof *o->lines);
  if (!o->lines)
    abort();
  for (i = 0; i < o->nlines; i++) {
    fz_str(in, o->lines[i].sku, sizeof o->lines[i].sku);
    o->lines[i].qty = fz_int64(in);
    o->lines[i].unit_price_vnd = fz_int64(in);
  }
}

/* The id as cJSON reads it back: up to its first NUL, as it was written. */
static void fz_check_string(const cJSON *item, const char *want) {
  fz_assert(cJSON_IsString(item) && strcmp(item->valuestring, want) == 0);
}

static void fz_check_order(const cJSON *d, const oc_order *o) {
  const cJSON *total = cJSON_GetObjectItemCaseSensitive(d, "total_vnd");

  fz_check_string(cJSON_GetObjectItemCaseSensitive(d, "id"), o->id);
  fz_check_string(cJSON_GetObjectItemCaseSensitive(d, "status"), o->status);
  fz_check_string(cJSON_GetObjectItemCaseSensitive(d, "effect"), oc_effect_name(o->effect));
  fz_assert(o->total_vnd < 0 ? cJSON_IsNull(total) : cJSON_IsNumber(total));
  fz_assert(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(d, "lines")) ==
            (int)o->nlines);
}

static void fz_check(const char *json, const oc_order_batch *b) {
  cJSON *doc = cJSON_Parse(json);
  const cJSON *orders, *bad;
  size_t i;

  fz_assert(doc != NULL);
  orders = cJSON_GetObjectItemCaseSensitive(doc, "orders");
  bad = cJSON_GetObjectItemCaseSensitive(doc, "bad");
  fz_assert(cJSON_GetArraySize(orders) == (int)b->norders);
  fz_assert(cJSON_GetArraySize(bad) == (int)b->nbad);
  for (i = 0; i < b->norders; i++)
    fz_check_order(cJSON_GetArrayItem(orders, (int)i), &b->orders[i]);
  for (i = 0; i < b->nbad; i++) {
    const cJSON *e = cJSON_GetArrayItem(bad, (int)i);

    fz_check_string(cJSON_GetObjectItemCaseSensitive(e, "id"), b->bad[i].id);
    fz_check_string(cJSON_GetObjectItemCaseSensitive(e, "error"), b->bad[i].error);
  }
  cJSON_Delete(doc);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  fz_in in = {data, size};
  oc_order_batch b;
  char *json;
  size_t i;

  memset(&b, 0, sizeof b);
  b.norders = fz_byte(&in) % (FZ_MAX_ORDERS + 1);
  b.nbad = fz_byte(&in) % (FZ_MAX_BAD + 1);
  b.orders = calloc(b.norders + 1, sizeof *b.orders);
  b.bad = calloc(b.nbad + 1, sizeof *b.bad);
  if (!b.orders || !b.bad)
    abort();
  for (i = 0; i < b.norders; i++)
    fz_make_order(&in, &b.orders[i]);
  for (i = 0; i < b.nbad; i++) {
    fz_str(&in, b.bad[i].id, sizeof b.bad[i].id);
    fz_str(&in, b.bad[i].error, sizeof b.bad[i].error);
  }
  json = order_doc_json(&b);
  fz_assert(json != NULL);
  fz_check(json, &b);
  free(json);
  oc_order_batch_free(&b);
  return 0;
}
