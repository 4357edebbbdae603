/* order_doc.c — see order_doc.h. */
#include "order_doc.h"

#include <cjson/cJSON.h>

/* A whole number, or null for the -1 that means "not said". Numbers are
 * doubles in cJSON: exact up to 2^53, far above any amount in dong. */
static cJSON *int_or_null(int64_t v) {
  return v < 0 ? cJSON_CreateNull() : cJSON_CreateNumber((double)v);
}

/* Adds item to obj under key; 0, or -1 (item freed) when either is missing. */
static int add(cJSON *obj, const char *key, cJSON *item) {
  if (!item)
    return -1;
  if (!cJSON_AddItemToObject(obj, key, item)) {
    cJSON_Delete(item);
    return -1;
  }
  return 0;
}

static cJSON *line_json(const oc_order_line *l) {
  cJSON *o = cJSON_CreateObject();

  if (!o || add(o, "sku", cJSON_CreateString(l->sku)) != 0 ||
      add(o, "qty", cJSON_CreateNumber((double)l->qty)) != 0 ||
      add(o, "unit_price_vnd", int_or_null(l->unit_price_vnd)) != 0) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

static cJSON *order_json(const oc_order *ord) {
  cJSON *o = cJSON_CreateObject(), *lines = cJSON_CreateArray();
  size_t i;

  if (!o || add(o, "id", cJSON_CreateString(ord->id)) != 0 ||
      add(o, "status", cJSON_CreateString(ord->status)) != 0 ||
      add(o, "effect", cJSON_CreateString(oc_effect_name(ord->effect))) != 0 ||
      add(o, "update_time", cJSON_CreateNumber((double)ord->update_time)) != 0 ||
      add(o, "total_vnd", int_or_null(ord->total_vnd)) != 0)
    goto fail;
  for (i = 0; lines && i < ord->nlines; i++)
    if (!cJSON_AddItemToArray(lines, line_json(&ord->lines[i])))
      goto fail;
  if (add(o, "lines", lines) != 0) {
    lines = NULL;
    goto fail;
  }
  return o;
fail:
  cJSON_Delete(lines);
  cJSON_Delete(o);
  return NULL;
}

static cJSON *bad_json(const oc_order_bad *b) {
  cJSON *o = cJSON_CreateObject();

  if (!o || add(o, "id", cJSON_CreateString(b->id)) != 0 ||
      add(o, "error", cJSON_CreateString(b->error)) != 0) {
    cJSON_Delete(o);
    return NULL;
  }
  return o;
}

cJSON *order_doc_new(void) {
  cJSON *doc = cJSON_CreateObject();

  if (doc && (!cJSON_AddArrayToObject(doc, "orders") || !cJSON_AddArrayToObject(doc, "bad"))) {
    cJSON_Delete(doc);
    return NULL;
  }
  return doc;
}

int order_doc_add(cJSON *doc, const oc_order_batch *b) {
  cJSON *orders = cJSON_GetObjectItemCaseSensitive(doc, "orders");
  cJSON *bad = cJSON_GetObjectItemCaseSensitive(doc, "bad");
  size_t i;

  for (i = 0; i < b->norders; i++)
    if (!cJSON_AddItemToArray(orders, order_json(&b->orders[i])))
      return -1;
  for (i = 0; i < b->nbad; i++)
    if (!cJSON_AddItemToArray(bad, bad_json(&b->bad[i])))
      return -1;
  return 0;
}

size_t order_doc_size(const cJSON *doc) {
  return (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "orders")) +
         (size_t)cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "bad"));
}

char *order_doc_print(const cJSON *doc) { return cJSON_PrintUnformatted(doc); }

char *order_doc_json(const oc_order_batch *b) {
  cJSON *doc = order_doc_new();
  char *text = NULL;

  if (doc && order_doc_add(doc, b) == 0)
    text = order_doc_print(doc);
  cJSON_Delete(doc);
  return text;
}
