/*
 * orders.c — Lazada LIST_ORDERS (see "Orders"): the order query, the
 * /orders/get page with its offset cap, and the status table every order
 * answer is read with (items.c reads GET_ORDERS).
 */
#include "lazada.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

/*
 * What an order or item status means for stock (see "Orders"). Failed
 * deliveries and parcels the carrier lost or damaged free the stock like a
 * cancel: the goods come back, if at all, outside the order.
 */
const ocu_status_map lz_status_map[] = {
    {"unpaid", OC_EFFECT_RESERVED},
    {"pending", OC_EFFECT_SOLD},
    {"packed", OC_EFFECT_SOLD},
    {"ready_to_ship", OC_EFFECT_SOLD},
    {"shipped", OC_EFFECT_SOLD},
    {"delivered", OC_EFFECT_SOLD},
    {"topack", OC_EFFECT_SOLD},
    {"toship", OC_EFFECT_SOLD},
    {"shipping", OC_EFFECT_SOLD},
    {"confirmed", OC_EFFECT_SOLD},
    {"canceled", OC_EFFECT_CANCELLED},
    {"failed", OC_EFFECT_CANCELLED},
    {"lost_by_3pl", OC_EFFECT_CANCELLED},
    {"damaged_by_3pl", OC_EFFECT_CANCELLED},
    {"returned", OC_EFFECT_RETURNED},
    {NULL, (oc_effect)0},
};

/* An order id we may put in a query: 1..64 bytes of [A-Za-z0-9_-]. */
int lz_valid_order_id(const char *s) {
  size_t n;

  if (s == NULL || s[0] == '\0')
    return 0;
  for (n = 0; s[n]; n++)
    if (n >= LZ_ORDER_ID_MAX ||
        !((s[n] >= 'A' && s[n] <= 'Z') || (s[n] >= 'a' && s[n] <= 'z') ||
          (s[n] >= '0' && s[n] <= '9') || s[n] == '_' || s[n] == '-'))
      return 0;
  return 1;
}

/* A decimal count "0".."999999999" without a leading zero. 0 or -1. */
static int lz_count(const char *s, int64_t *out) {
  int64_t v = 0;
  size_t n;

  if (s == NULL || s[0] == '\0' || (s[0] == '0' && s[1] != '\0'))
    return -1;
  for (n = 0; s[n]; n++) {
    if (s[n] < '0' || s[n] > '9' || n >= 9)
      return -1;
    v = v * 10 + (s[n] - '0');
  }
  *out = v;
  return 0;
}

/* The marketplace's offset cap: shop option max_offset, default 5000. */
static int lz_max_offset(const oc_shop *shop, int64_t *out) {
  const char *v = shop != NULL ? ocu_opt(shop, "max_offset") : NULL;

  *out = LZ_MAX_OFFSET;
  return v == NULL ? 0 : lz_count(v, out);
}

/* The page token is the decimal offset; "" (or NULL) is the first page. */
static int lz_page_offset(const char *page, int64_t *out) {
  if (page == NULL || page[0] == '\0') {
    *out = 0;
    return 0;
  }
  return lz_count(page, out);
}

/*
 * order_ids as a JSON array without spaces, "[1,2]" (see "Orders"). Lazada's
 * ids are numbers; any other id (letters, a leading zero) is written as a JSON
 * string so that the text stays JSON. NULL on OOM.
 */
static char *lz_order_ids(const char *const *ids, size_t n) {
  ocu_buf b = OCU_BUF_INIT;
  size_t i;

  ocu_buf_puts(&b, "[");
  for (i = 0; i < n; i++) {
    int num = strspn(ids[i], "0123456789") == strlen(ids[i]) &&
              (ids[i][0] != '0' || ids[i][1] == '\0');

    ocu_buf_printf(&b, i ? (num ? ",%s" : ",\"%s\"") : (num ? "%s" : "\"%s\""),
                   ids[i]);
  }
  ocu_buf_puts(&b, "]");
  return ocu_buf_detach(&b);
}

/* The checks of an order query; -1 with err set. */
static int lz_check_query(oc_op op, const oc_shop *shop,
                          const oc_order_query *q, char *err, size_t errlen) {
  int64_t off, max;
  size_t i;

  if (q == NULL) {
    ocu_err(err, errlen, "order query is missing");
    return -1;
  }
  if (op == OC_OP_GET_ORDERS) {
    if (q->nids < 1 || q->nids > OC_MAX_ORDER_IDS || q->ids == NULL) {
      ocu_err(err, errlen, "GET_ORDERS takes 1..%d order ids, not %zu",
             OC_MAX_ORDER_IDS, q->ids == NULL ? (size_t)0 : q->nids);
      return -1;
    }
    for (i = 0; i < q->nids; i++)
      if (!lz_valid_order_id(q->ids[i])) {
        ocu_err(err, errlen,
               "order id %zu is empty, longer than %d bytes or not "
               "[A-Za-z0-9_-]",
               i + 1, LZ_ORDER_ID_MAX);
        return -1;
      }
    return 0;
  }
  if (q->from_s < 0 || q->to_s <= q->from_s || q->to_s > LZ_MAX_TIME) {
    ocu_err(err, errlen, "order window must be 0 <= from < to <= year 9999");
    return -1;
  }
  if (lz_max_offset(shop, &max)) {
    ocu_err(err, errlen, "shop option \"max_offset\" is not a decimal count");
    return -1;
  }
  if (lz_page_offset(q->page, &off) || off > max) {
    ocu_err(err, errlen, "order page is not an offset within 0..%" PRId64, max);
    return -1;
  }
  return 0;
}

int lz_emit_orders(oc_op op, const ocu_opdef *d, const oc_shop *shop, const oc_order_query *q,
                   int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  lz_param p[LZ_MAX_PARAMS];
  size_t np;
  char ts[24], after[LZ_ISO_MAX], before[LZ_ISO_MAX], offset[24], limit[8];
  char *ids = NULL;
  int64_t off = 0;
  int r;

  if (lz_check_query(op, shop, q, err, errlen))
    return -1;
  snprintf(ts, sizeof ts, "%" PRId64, now_ms);
  np = lz_sys_params(p, d, shop, ts);
  if (op == OC_OP_LIST_ORDERS) {
    lz_iso_time(q->from_s, after);
    lz_iso_time(q->to_s, before);
    lz_page_offset(q->page, &off);
    snprintf(offset, sizeof offset, "%" PRId64, off);
    snprintf(limit, sizeof limit, "%d", LZ_ORDER_LIMIT);
    p[np++] = (lz_param){"update_after", after, 0};
    p[np++] = (lz_param){"update_before", before, 0};
    p[np++] = (lz_param){"sort_by", "updated_at", 0};
    p[np++] = (lz_param){"sort_direction", "ASC", 0};
    p[np++] = (lz_param){"offset", offset, 0};
    p[np++] = (lz_param){"limit", limit, 0};
    p[np++] = (lz_param){"status", "all", 0};
  } else {
    if ((ids = lz_order_ids(q->ids, q->nids)) == NULL) {
      ocu_err(err, errlen, "out of memory");
      return -1;
    }
    p[np++] = (lz_param){"order_ids", ids, 0};
  }
  r = lz_emit_signed(d, shop->base_url, shop, p, np, req);
  free(ids);
  if (r != 0)
    ocu_err(err, errlen, "out of memory");
  return r;
}

/* The order_id of an answer's entry `what` ("data.orders[]", "data[]"): a
 * number or a string we could ask for again. -1 with v failed: an id we
 * cannot read spoils the page as a whole. */
int lz_entry_id(oc_verdict *v, const oc_shop *shop, const cJSON *o, const char *what,
                char out[LZ_ORDER_ID_MAX + 1]) {
  ocu_id_rule rule = {what, "order_id", OCU_ID_NUMBER | OCU_ID_STRING, lz_valid_order_id,
                      "is not [A-Za-z0-9_-]", LZ_LEAD};

  return ocu_entry_order_id(v, shop, o, &rule, out, LZ_ORDER_ID_MAX + 1);
}

/*
 * LIST_ORDERS: the ids of data.orders[], sorted by updated_at ascending. A
 * full page continues at offset + limit while that stays within the offset
 * cap; past it the window is complete up to the last order's update time
 * (done_at), where the core restarts it (see "Orders").
 */
/* Where a page ends: the next offset while within the cap, else (a full
 * page at the cap) the last order's update time as done_at. -1 with v
 * failed. */
static int lz_page_end(oc_order_page *res, const oc_shop *shop, const oc_order_query *q,
                       int n, const cJSON *last) {
  char next[24] = "";
  int64_t off = 0, max = LZ_MAX_OFFSET, done_at = 0;

  if (lz_page_offset(q != NULL ? q->page : NULL, &off) ||
      lz_max_offset(shop, &max)) { /* build_orders refused these already */
    off = 0;
    max = LZ_MAX_OFFSET;
  }
  if (n >= LZ_ORDER_LIMIT && off + LZ_ORDER_LIMIT <= max) {
    snprintf(next, sizeof next, "%" PRId64, off + LZ_ORDER_LIMIT);
  } else if (n >= LZ_ORDER_LIMIT &&
             lz_parse_time(ocu_json_str(last, "updated_at"), &done_at)) {
    LZ_MALFORMED(&res->v, shop,
                 "field data.orders[].updated_at of the last order is not a "
                 "time");
    return -1;
  }
  return ocu_page_end(res, next, done_at);
}

/*
 * LIST_ORDERS: the ids of data.orders[], sorted by updated_at ascending. A
 * full page continues at offset + limit while that stays within the offset
 * cap; past it the window is complete up to the last order's update time
 * (done_at), where the core restarts it (see "Orders").
 */
int lz_read_page(const oc_shop *shop, const oc_order_query *q, const cJSON *root,
                 oc_order_page *res) {
  const cJSON *data = lz_data(&res->v, shop, root), *orders, *o, *last = NULL;
  char id[LZ_ORDER_ID_MAX + 1];
  int n = 0;

  if (data == NULL)
    return 0;
  orders = cJSON_GetObjectItemCaseSensitive(data, "orders");
  if (!cJSON_IsArray(orders)) {
    LZ_MALFORMED(&res->v, shop, "field data.orders is %s",
                 orders == NULL ? "missing" : "not an array");
    return 0;
  }
  cJSON_ArrayForEach(o, orders) {
    if (lz_entry_id(&res->v, shop, o, "data.orders[]", id))
      return 0;
    if (ocu_page_add(res, id))
      return -1;
    last = o;
    n++;
  }
  lz_page_end(res, shop, q, n, last);
  return 0;
}

