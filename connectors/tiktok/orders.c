/*
 * orders.c — TikTok orders (see "Orders"): the orders/search page and the
 * orders detail batch, built and read into the structs of connector.h.
 */
#include "tiktok.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

#define TT_ORDER_PAGE_SIZE "100"

/* See "Orders". TikTok has no returned status: returns are separate objects
 * (return_refund module), so "returned" never comes from here. */
const ocu_status_map tt_order_status[] = {
    {"UNPAID", OC_EFFECT_RESERVED},          {"ON_HOLD", OC_EFFECT_RESERVED},
    {"AWAITING_SHIPMENT", OC_EFFECT_SOLD},   {"PARTIALLY_SHIPPING", OC_EFFECT_SOLD},
    {"AWAITING_COLLECTION", OC_EFFECT_SOLD}, {"IN_TRANSIT", OC_EFFECT_SOLD},
    {"DELIVERED", OC_EFFECT_SOLD},           {"COMPLETED", OC_EFFECT_SOLD},
    {"CANCELLED", OC_EFFECT_CANCELLED},      {NULL, (oc_effect)0},
};

/* 1..TT_ORDER_ID_MAX bytes of [A-Za-z0-9_-]: safe in a comma-joined query
 * and in the canonical JSON, whatever the marketplace sends. */
int tt_valid_order_id(const char *s) {
  size_t n;

  if (s == NULL)
    return 0;
  n = strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                "0123456789_-");
  return n > 0 && n <= TT_ORDER_ID_MAX && s[n] == '\0';
}

/* GET_ORDERS: the ids comma-joined (see "Signing": signed as that one
 * string). */
static int tt_order_ids(const oc_order_query *q, char **out, char *err,
                        size_t errlen) {
  ocu_buf b = OCU_BUF_INIT;
  size_t i;

  *out = NULL;
  if (q->ids == NULL || q->nids < 1 || q->nids > OC_MAX_ORDER_IDS) {
    ocu_err(err, errlen, "order query needs 1..%d ids", OC_MAX_ORDER_IDS);
    return -1;
  }
  for (i = 0; i < q->nids; i++) {
    if (!tt_valid_order_id(q->ids[i])) {
      ocu_err(err, errlen,
             "order id #%zu is not 1..%d characters of [A-Za-z0-9_-]", i + 1,
             TT_ORDER_ID_MAX);
      return -1;
    }
  }
  for (i = 0; i < q->nids; i++) {
    if (i > 0)
      ocu_buf_puts(&b, ",");
    ocu_buf_puts(&b, q->ids[i]);
  }
  if ((*out = ocu_buf_detach(&b)) == NULL) {
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  return 0;
}

/* LIST_ORDERS: the window must be a non-empty [from, to) of at most
 * TT_ORDER_WINDOW_S, so a core bug never asks for months at once. */
static int tt_check_window(const oc_order_query *q, char *err, size_t errlen) {
  if (q->from_s < 0 || q->to_s <= q->from_s) {
    ocu_err(err, errlen, "order window must be 0 <= from < to");
    return -1;
  }
  if (q->to_s - q->from_s > TT_ORDER_WINDOW_S) {
    ocu_err(err, errlen, "order window is longer than %d s", TT_ORDER_WINDOW_S);
    return -1;
  }
  if (q->page != NULL && strlen(q->page) > TT_PAGE_TOKEN_MAX) {
    ocu_err(err, errlen, "order page token is longer than %d bytes",
           TT_PAGE_TOKEN_MAX);
    return -1;
  }
  return 0;
}

/* The id of a data.orders[] entry (an object), read only as a JSON string
 * (64-bit ids exceed a double) and
 * held to the rule build_orders applies, so every id we hand the core can
 * be asked for again. 0, or -1 with res failed. */
static int tt_entry_id(oc_verdict *res, const oc_shop *shop, const cJSON *o,
                       char out[TT_ORDER_ID_MAX + 1]) {
  static const ocu_id_rule rule = {"data.orders[]", "id", OCU_ID_STRING, tt_valid_order_id,
                                   "is not an order id", TT_LEAD};

  return ocu_entry_order_id(res, shop, o, &rule, out, TT_ORDER_ID_MAX + 1);
}

/* The query of LIST_ORDERS (and its body) or of GET_ORDERS, sorted by key
 * like every shop call. Returns the count; -1 on OOM. */
static int tt_order_query(oc_op op, const oc_shop *shop, const oc_order_query *q,
                          const char *ids, const char *ts, tt_param *p, oc_request *req) {
  const char *page = q->page != NULL ? q->page : "";
  int np = 0;

  p[np++] = (tt_param){"app_key", shop->app_key};
  if (op == OC_OP_LIST_ORDERS) {
    /* Oldest update first: the order in which the core's cursor moves. */
    p[np++] = (tt_param){"page_size", TT_ORDER_PAGE_SIZE};
    if (page[0] != '\0')
      p[np++] = (tt_param){"page_token", page};
    p[np++] = (tt_param){"shop_cipher", ocu_opt(shop, "shop_cipher")};
    p[np++] = (tt_param){"sort_field", "update_time"};
    p[np++] = (tt_param){"sort_order", "ASC"};
    req->body = ocu_asprintf("{\"update_time_ge\":%" PRId64 ",\"update_time_lt\":%" PRId64 "}",
                             q->from_s, q->to_s);
    if (req->body == NULL)
      return -1;
    req->body_len = strlen(req->body);
  } else {
    p[np++] = (tt_param){"ids", ids};
    p[np++] = (tt_param){"shop_cipher", ocu_opt(shop, "shop_cipher")};
  }
  p[np++] = (tt_param){"timestamp", ts};
  return np;
}

int tt_emit_orders(oc_op op, const ocu_opdef *d, const oc_shop *shop, const oc_order_query *q,
                   int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  tt_param p[TT_MAX_PARAMS];
  char ts[24], *ids = NULL;
  int np, r;

  if (op == OC_OP_LIST_ORDERS ? tt_check_window(q, err, errlen)
                              : tt_order_ids(q, &ids, err, errlen))
    return -1;
  snprintf(ts, sizeof ts, "%" PRId64, now_ms / 1000);
  ocu_strlcpy(req->method, d->method, sizeof req->method);
  if ((np = tt_order_query(op, shop, q, ids, ts, p, req)) < 0) {
    free(ids);
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  r = tt_shop_request(shop, d->path, p, (size_t)np, req, err, errlen);
  free(ids);
  return r;
}

/* LIST_ORDERS: data.orders[].id and data.next_page_token. 0, -1 on OOM. */
static int tt_page(oc_order_page *res, const oc_shop *shop, const cJSON *data) {
  const cJSON *orders = cJSON_GetObjectItemCaseSensitive(data, "orders");
  const cJSON *next = cJSON_GetObjectItemCaseSensitive(data, "next_page_token");
  const cJSON *o;
  char id[TT_ORDER_ID_MAX + 1];

  if (orders != NULL && !cJSON_IsNull(orders) && !cJSON_IsArray(orders)) {
    TT_UNEXPECTED(&res->v, shop, "field data.orders is not an array");
    return 0;
  }
  if (next != NULL && !cJSON_IsNull(next) && !cJSON_IsString(next)) {
    TT_UNEXPECTED(&res->v, shop, "field data.next_page_token is not a string");
    return 0;
  }
  /* An empty page may leave the token out; a page with orders and no token
   * could hide more pages, so it is not taken as the end. */
  if (!cJSON_IsString(next) && cJSON_GetArraySize(orders) > 0) {
    TT_UNEXPECTED(&res->v, shop, "field data.next_page_token is missing");
    return 0;
  }
  if (cJSON_IsString(next) && strlen(next->valuestring) > TT_PAGE_TOKEN_MAX) {
    TT_UNEXPECTED(&res->v, shop, "field data.next_page_token is too long");
    return 0;
  }
  cJSON_ArrayForEach(o, orders) {
    if (tt_entry_id(&res->v, shop, o, id))
      return 0;
    if (ocu_page_add(res, id))
      return -1;
  }
  /* oc_order_page.next holds OC_NEXT_MAX - 1 bytes, less than our own limit. */
  if (ocu_page_end(res, cJSON_IsString(next) ? next->valuestring : "", 0))
    TT_UNEXPECTED(&res->v, shop, "field data.next_page_token is longer than %d bytes",
                  OC_NEXT_MAX - 1);
  return 0;
}

/* The data object every order answer has. */
static const cJSON *tt_order_data(oc_verdict *v, const oc_shop *shop, const cJSON *root) {
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");

  if (!cJSON_IsObject(data)) {
    TT_UNEXPECTED(v, shop, "field data is %s",
                  data == NULL || cJSON_IsNull(data) ? "missing" : "not an object");
    return NULL;
  }
  return data;
}

int tt_read_page(const oc_shop *shop, const oc_order_query *q, const cJSON *root,
                 oc_order_page *res) {
  const cJSON *data = tt_order_data(&res->v, shop, root);

  (void)q;
  return data != NULL ? tt_page(res, shop, data) : 0;
}

/*
 * An order amount (strings, see "Money and SKUs"; a number is read too) into
 * whole dong. 1 when absent (null, or "" as TikTok leaves unset prices), with
 * *out -1; 0 when read; -1 when it is not an amount.
 */
static int tt_order_money(const cJSON *it, int64_t *out) {
  *out = -1;
  if (it == NULL || cJSON_IsNull(it) ||
      (cJSON_IsString(it) && it->valuestring[0] == '\0'))
    return 1;
  if (cJSON_IsString(it))
    return ocu_money_text(it->valuestring, out) == 0 ? 0 : -1;
  if (cJSON_IsNumber(it) && ocu_json_round(it, out) == 0 && *out >= 0)
    return 0;
  *out = -1;
  return -1;
}

/* Adds one line item (one unit, see "Orders") to order. 0, 1 when the item is
 * unreadable (why says which field), -1 on OOM. */
static int tt_order_line(oc_order *order, const cJSON *li, const char **why) {
  const char *sku = cJSON_IsObject(li) ? ocu_json_str(li, "seller_sku") : NULL;
  int64_t price;
  int r;

  if (sku == NULL || sku[0] == '\0') {
    *why = "seller_sku is missing";
    return 1;
  }
  if (!ocu_order_id_fits(sku)) { /* oc_order_line.sku holds OC_ID_MAX - 1 bytes */
    *why = "seller_sku is longer than 63 bytes";
    return 1;
  }
  /* What the buyer paid per unit; the list price only when it is unset. */
  r = tt_order_money(cJSON_GetObjectItemCaseSensitive(li, "sale_price"), &price);
  if (r < 0) {
    *why = "sale_price is not an amount";
    return 1;
  }
  if (r == 1 &&
      tt_order_money(cJSON_GetObjectItemCaseSensitive(li, "original_price"),
                     &price) < 0) {
    *why = "original_price is not an amount";
    return 1;
  }
  return ocu_order_add_line(order, sku, 1, price) ? -1 : 0;
}

/* One order of GET_ORDERS into doc, or into doc's "bad" with the field that
 * is wrong. 0, or -1 on OOM. */
static int tt_order_read(oc_order_batch *doc, const cJSON *o, const char *id) {
  const cJSON *st = cJSON_GetObjectItemCaseSensitive(o, "status");
  const cJSON *pay = cJSON_GetObjectItemCaseSensitive(o, "payment");
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(o, "line_items");
  const cJSON *li;
  const char *why = NULL;
  oc_effect effect;
  int64_t updated, total = -1;
  oc_order *order;
  int i = 0, r;

  if (!cJSON_IsString(st))
    return ocu_batch_bad(doc, id, "order %s: field status is %s", id,
                          st == NULL ? "missing" : "not a string");
  if ((effect = ocu_order_effect(tt_order_status, st->valuestring)) == 0)
    return ocu_batch_bad(doc, id, "order %s: field status: unknown value %s",
                          id, st->valuestring);
  if (ocu_json_int(cJSON_GetObjectItemCaseSensitive(o, "update_time"),
                   &updated) ||
      updated < 0)
    return ocu_batch_bad(doc, id,
                          "order %s: field update_time is missing or not "
                          "unix seconds", id);
  if (pay != NULL && !cJSON_IsNull(pay) &&
      (!cJSON_IsObject(pay) ||
       tt_order_money(cJSON_GetObjectItemCaseSensitive(pay, "total_amount"),
                      &total) < 0))
    return ocu_batch_bad(doc, id,
                          "order %s: field payment.total_amount is not an "
                          "amount", id);
  if (!cJSON_IsArray(items) || cJSON_GetArraySize(items) == 0)
    return ocu_batch_bad(doc, id, "order %s: field line_items is %s", id,
                          cJSON_IsArray(items) ? "empty" : "missing");
  order = ocu_batch_add(doc, id, st->valuestring, effect, updated, total);
  if (order == NULL)
    return -1;
  cJSON_ArrayForEach(li, items) {
    if ((r = tt_order_line(order, li, &why)) != 0) {
      ocu_batch_drop_last(doc);
      return r < 0 ? -1
                   : ocu_batch_bad(doc, id,
                                    "order %s: field line_items[%d].%s", id,
                                    i, why);
    }
    i++;
  }
  return 0;
}

/* 1 if orders[] holds an order with this id. */
static int tt_order_seen(const cJSON *orders, const char *id) {
  const cJSON *o;

  cJSON_ArrayForEach(o, orders) {
    const char *s = ocu_json_str(o, "id");

    if (s != NULL && strcmp(s, id) == 0)
      return 1;
  }
  return 0;
}


/* GET_ORDERS: data.orders[] in full. 0, -1 on OOM. */
int tt_read_batch(const oc_shop *shop, const oc_order_query *q, const cJSON *root,
                  oc_order_batch *res) {
  const cJSON *data = tt_order_data(&res->v, shop, root), *orders, *o;
  char id[TT_ORDER_ID_MAX + 1];
  size_t i;

  if (data == NULL ||
      (orders = tt_req_array(&res->v, shop, data, "orders", "data.orders")) == NULL)
    return 0;
  /* The whole page is checked first: an order we cannot even name makes
   * the answer unreadable, not one bad order. */
  cJSON_ArrayForEach(o, orders) {
    if (tt_entry_id(&res->v, shop, o, id))
      return 0;
  }
  cJSON_ArrayForEach(o, orders) {
    if (tt_order_read(res, o, ocu_json_str(o, "id")))
      return -1;
  }
  /* An id asked for and not answered is retried, then dead-lettered, by the
   * core like any unreadable order, instead of vanishing. */
  for (i = 0; q != NULL && q->ids != NULL && i < q->nids; i++) {
    if (q->ids[i] == NULL || tt_order_seen(orders, q->ids[i]))
      continue;
    if (ocu_batch_bad(res, q->ids[i], "order %s: not in the answer", q->ids[i]))
      return -1;
  }
  return 0;
}
