/*
 * items.c — Lazada GET_ORDERS (see "Orders"): /orders/items/get answers one
 * item per unit, each with its own status; the items of an order are summed
 * into lines per SKU and price, and its effect comes from all of them.
 */
#include "lazada.h"

#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"

/* One order item, read and checked. */
typedef struct lz_item {
  const char *sku;
  const char *status;
  oc_effect effect;
  int64_t updated;
  int64_t price; /* whole dong; -1 when the answer has none */
} lz_item;

/* The unit price: paid_price when given, else item_price; -1 unknown. */
static int lz_item_price(const cJSON *it, int64_t *out, char *why, size_t n,
                         int idx) {
  const char *key = "paid_price";
  const cJSON *p = cJSON_GetObjectItemCaseSensitive(it, key);

  if (p == NULL || cJSON_IsNull(p))
    p = cJSON_GetObjectItemCaseSensitive(it, key = "item_price");
  *out = -1;
  if (p == NULL || cJSON_IsNull(p))
    return 0;
  if ((cJSON_IsString(p) && ocu_money_text(p->valuestring, out) == 0) ||
      (cJSON_IsNumber(p) && ocu_json_round(p, out) == 0 && *out >= 0))
    return 0;
  snprintf(why, n, "order_items[%d].%s is not a decimal amount", idx, key);
  return -1;
}

/* Reads order_items[idx]; -1 with why naming the field. */
static int lz_read_item(const cJSON *it, int idx, lz_item *out, char *why,
                        size_t n) {
  const char *upd;

  memset(out, 0, sizeof *out);
  if (!cJSON_IsObject(it)) {
    snprintf(why, n, "order_items[%d] is not an object", idx);
    return -1;
  }
  out->sku = ocu_json_str(it, "sku");
  if (out->sku == NULL || out->sku[0] == '\0' ||
      !ocu_utf8_valid(out->sku, strlen(out->sku))) {
    snprintf(why, n, "order_items[%d].sku is missing or not a text", idx);
    return -1;
  }
  if (!ocu_order_id_fits(out->sku)) { /* oc_order_line.sku holds OC_ID_MAX - 1 bytes */
    snprintf(why, n, "order_items[%d].sku is longer than %d bytes", idx, OC_ID_MAX - 1);
    return -1;
  }
  out->status = ocu_json_str(it, "status");
  if (out->status == NULL) {
    snprintf(why, n, "order_items[%d].status is missing", idx);
    return -1;
  }
  if ((out->effect = ocu_order_effect(lz_status_map, out->status)) == 0) {
    char shown[41] = "(not UTF-8)"; /* the answer's text, kept short */

    if (ocu_utf8_valid(out->status, strlen(out->status)))
      ocu_utf8_copy(shown, sizeof shown, out->status);
    snprintf(why, n, "order_items[%d].status \"%s\" is unknown", idx, shown);
    return -1;
  }
  upd = ocu_json_str(it, "updated_at");
  if (lz_parse_time(upd, &out->updated)) {
    snprintf(why, n, "order_items[%d].updated_at is missing or not a time",
             idx);
    return -1;
  }
  return lz_item_price(it, &out->price, why, n, idx);
}

/* 1 when the comma-separated list holds s as a whole entry. */
static int lz_has_entry(const char *list, const char *s) {
  size_t n = strlen(s);

  while (*list) {
    size_t m = strcspn(list, ",");

    if (m == n && strncmp(list, s, n) == 0)
      return 1;
    list += m + (list[m] == ',');
  }
  return 0;
}

/* What the items of one order add up to. */
typedef struct lz_sum {
  int items, cancelled, returned, reserved;
  int64_t updated;
  int64_t total; /* -1 when a price is unknown */
  char status[LZ_STATUS_MAX + 1];
} lz_sum;

/*
 * Every unit is an item with its own status (see "Orders"). The order is
 * cancelled when every unit is; returned when every unit is back or
 * cancelled; reserved when every unit is unpaid; else sold (some unit is
 * paid and not undone).
 */
static oc_effect lz_order_effect(const lz_sum *s) {
  if (s->cancelled == s->items)
    return OC_EFFECT_CANCELLED;
  if (s->cancelled + s->returned == s->items)
    return OC_EFFECT_RETURNED;
  if (s->reserved == s->items)
    return OC_EFFECT_RESERVED;
  return OC_EFFECT_SOLD;
}

static void lz_sum_item(lz_sum *s, const lz_item *it, char *seen,
                        size_t seenlen) {
  size_t used = strlen(seen);

  s->items++;
  s->cancelled += it->effect == OC_EFFECT_CANCELLED;
  s->returned += it->effect == OC_EFFECT_RETURNED;
  s->reserved += it->effect == OC_EFFECT_RESERVED;
  if (it->updated > s->updated)
    s->updated = it->updated;
  if (it->price < 0 || s->total < 0 || s->total > OCU_JSON_INT_MAX - it->price)
    s->total = -1;
  else
    s->total += it->price;
  /* Distinct statuses in order of first sight; the list stops growing once
   * it is past what the reported status keeps. */
  if (used <= LZ_STATUS_MAX && !lz_has_entry(seen, it->status))
    snprintf(seen + used, seenlen - used, "%s%s", used ? "," : "", it->status);
}

/* Sums the items of one order; -1 with why naming the broken field. */
static int lz_sum_items(const cJSON *items, lz_sum *s, char *why, size_t n) {
  char seen[2 * LZ_STATUS_MAX + 16] = "";
  const cJSON *it;
  lz_item item;
  int idx = 0;

  memset(s, 0, sizeof *s);
  if (!cJSON_IsArray(items)) {
    snprintf(why, n, "order_items is %s",
             items == NULL || cJSON_IsNull(items) ? "missing" : "not an array");
    return -1;
  }
  cJSON_ArrayForEach(it, items) {
    if (lz_read_item(it, idx++, &item, why, n))
      return -1;
    lz_sum_item(s, &item, seen, sizeof seen);
  }
  if (s->items == 0) {
    snprintf(why, n, "order_items is empty");
    return -1;
  }
  ocu_strlcpy(s->status, seen, sizeof s->status);
  return 0;
}

/* Adds one order of the answer, or its reason to "bad"; -1 on OOM only. */
static int lz_add_order(oc_order_batch *doc, const char *id, const cJSON *o) {
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(o, "order_items"), *it;
  char why[160];
  oc_order *order;
  lz_item item;
  lz_sum s;
  int idx = 0;

  if (lz_sum_items(items, &s, why, sizeof why))
    return ocu_batch_bad(doc, id, "order %s: %s", id, why);
  order = ocu_batch_add(doc, id, s.status, lz_order_effect(&s), s.updated,
                         s.total);
  if (order == NULL)
    return -1;
  /* One item per unit: qty 1 each, merged per SKU and price. */
  cJSON_ArrayForEach(it, items) {
    if (lz_read_item(it, idx++, &item, why, sizeof why) ||
        ocu_order_add_line(order, item.sku, 1, item.price)) {
      ocu_batch_drop_last(doc);
      return -1;
    }
  }
  return 0;
}

/* The index of id among the ids asked for, or -1 (all count without q). */
static int lz_asked(const oc_order_query *q, const char *id) {
  size_t i;

  if (q == NULL || q->ids == NULL)
    return 0;
  for (i = 0; i < q->nids && i < OC_MAX_ORDER_IDS; i++)
    if (q->ids[i] != NULL && strcmp(q->ids[i], id) == 0)
      return (int)i;
  return -1;
}

/*
 * GET_ORDERS: data[] of {order_id, order_items[]}. Only orders asked for
 * are reported, each once; an id asked for but absent is left out (the
 * core notices). A broken order goes to "bad", never failing the page.
 */
int lz_read_batch(const oc_shop *shop, const oc_order_query *q, const cJSON *root,
                  oc_order_batch *res) {
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data"), *o;
  char id[LZ_ORDER_ID_MAX + 1], done[OC_MAX_ORDER_IDS + 1] = {0};
  int at;

  if (!cJSON_IsArray(data)) {
    LZ_MALFORMED(&res->v, shop, "field data is %s",
                 data == NULL || cJSON_IsNull(data) ? "missing" : "not an array");
    return 0;
  }
  cJSON_ArrayForEach(o, data) {
    if (lz_entry_id(&res->v, shop, o, "data[]", id))
      return 0;
    if ((at = lz_asked(q, id)) < 0 || (q != NULL && q->ids != NULL && done[at]))
      continue;
    done[at] = 1;
    if (lz_add_order(res, id, o))
      return -1;
  }
  return 0;
}

