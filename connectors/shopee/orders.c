/*
 * orders.c — Shopee orders (see "Orders"): get_order_list pages and
 * get_order_detail batches, built and read into the structs of
 * connector.h; what each status means for stock is the table below.
 */
#include "shopee.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/json.h"
#include "../common/text.h"
#include "../common/verdict.h"

#define SP_ORDER_PAGE_SIZE "100" /* the largest page Shopee allows */
/* What get_order_detail must return beyond the defaults (see "Orders"). */
#define SP_ORDER_FIELDS \
  "item_list,buyer_user_id,pay_time,cancel_by,cancel_reason,total_amount," \
  "package_list"

/* See "Orders", with the daemon meaning: what each status does to stock.
 * IN_CANCEL is only a request: the goods stay sold until CANCELLED says
 * otherwise. */
const ocu_status_map sp_order_status[] = {
    {"UNPAID", OC_EFFECT_RESERVED},
    {"PENDING", OC_EFFECT_RESERVED},
    {"READY_TO_SHIP", OC_EFFECT_SOLD},
    {"PROCESSED", OC_EFFECT_SOLD},
    {"RETRY_SHIP", OC_EFFECT_SOLD},
    {"SHIPPED", OC_EFFECT_SOLD},
    {"TO_CONFIRM_RECEIVE", OC_EFFECT_SOLD},
    {"COMPLETED", OC_EFFECT_SOLD},
    {"IN_CANCEL", OC_EFFECT_SOLD},
    {"INVOICE_PENDING", OC_EFFECT_SOLD},
    {"CANCELLED", OC_EFFECT_CANCELLED},
    {"TO_RETURN", OC_EFFECT_RETURNED},
    {NULL, (oc_effect)0},
};

/* An order_sn we are willing to put in a URL: 1..64 of [A-Za-z0-9_-]. The
 * same rule holds on both sides, so an id LIST_ORDERS returns is one that
 * GET_ORDERS accepts. 0 when valid, else what is wrong. */
const char *sp_order_sn_problem(const char *s) {
  size_t n;

  if (s == NULL || s[0] == '\0')
    return "is empty";
  for (n = 0; s[n]; n++) {
    char c = s[n];

    if (n >= SP_ORDER_SN_MAX)
      return "is longer than 64 bytes";
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          (c >= 'A' && c <= 'Z') || c == '_' || c == '-'))
      return "holds a character outside [A-Za-z0-9_-]";
  }
  return NULL;
}

/* order_sn_list: the ids joined by commas; -1 with err set (bad id, OOM). */
static char *sp_order_sn_list(const oc_order_query *q, char *err,
                              size_t errlen) {
  ocu_buf b = OCU_BUF_INIT;
  size_t i;
  char *list;

  if (q->nids < 1 || q->nids > OC_MAX_ORDER_IDS || q->ids == NULL) {
    ocu_err(err, errlen, "GET_ORDERS takes 1 to %d order ids, not %zu",
           OC_MAX_ORDER_IDS, q->ids == NULL ? (size_t)0 : q->nids);
    return NULL;
  }
  for (i = 0; i < q->nids; i++) {
    const char *why = sp_order_sn_problem(q->ids[i]);

    if (why != NULL) { /* the index, never the value */
      ocu_err(err, errlen, "order id %zu %s", i, why);
      ocu_buf_free(&b);
      return NULL;
    }
    if (i > 0)
      ocu_buf_puts(&b, ",");
    ocu_buf_puts(&b, q->ids[i]);
  }
  if ((list = ocu_buf_detach(&b)) == NULL)
    ocu_err(err, errlen, "out of memory");
  return list;
}

static int sp_check_window(const oc_order_query *q, char *err, size_t errlen) {
  /* from == to is an empty window, harmless to ask: a poller that runs twice
   * in one second must not fail on it. */
  if (q->from_s < 0 || q->to_s < q->from_s) {
    ocu_err(err, errlen, "order window must have 0 <= from <= to");
    return -1;
  }
  if (q->to_s - q->from_s > SP_ORDER_WINDOW_S) {
    ocu_err(err, errlen, "order window is longer than 15 days");
    return -1;
  }
  if (q->page != NULL && strlen(q->page) > SP_CURSOR_MAX) {
    ocu_err(err, errlen, "order page cursor is longer than %d bytes",
           SP_CURSOR_MAX);
    return -1;
  }
  return 0;
}

int sp_emit_orders(oc_op op, const ocu_opdef *d, const oc_shop *shop, const oc_order_query *q,
                   int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  sp_param extra[6];
  size_t nextra = 0;
  char from[24], to[24], *list = NULL;
  int r;

  if (op == OC_OP_LIST_ORDERS) {
    if (sp_check_window(q, err, errlen))
      return -1;
    snprintf(from, sizeof from, "%" PRId64, q->from_s);
    snprintf(to, sizeof to, "%" PRId64, q->to_s);
    extra[nextra++] = (sp_param){"time_range_field", "update_time", 0};
    extra[nextra++] = (sp_param){"time_from", from, 0};
    extra[nextra++] = (sp_param){"time_to", to, 0};
    extra[nextra++] = (sp_param){"page_size", SP_ORDER_PAGE_SIZE, 0};
    extra[nextra++] = (sp_param){"cursor", q->page ? q->page : "", 0};
    extra[nextra++] = (sp_param){"response_optional_fields", "order_status", 0};
  } else {
    if ((list = sp_order_sn_list(q, err, errlen)) == NULL)
      return -1;
    extra[nextra++] = (sp_param){"order_sn_list", list, 1};
    extra[nextra++] = (sp_param){"response_optional_fields", SP_ORDER_FIELDS, 1};
  }
  r = sp_make_url(shop, d->path, now_ms / 1000, d->kind, extra, nextra, &req->url,
                  &req->log_url);
  free(list);
  if (r != 0) {
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  ocu_strlcpy(req->method, d->method, sizeof req->method);
  return 0;
}

/* The order_sn of an order_list[] entry (an object) into id. Without a
 * readable one nothing can be attributed: -1 with v failed, and the page
 * is retried. */
static int sp_entry_sn(oc_verdict *v, const oc_shop *shop, const cJSON *o,
                       char id[SP_ORDER_SN_MAX + 1]) {
  if (!cJSON_IsObject(o)) {
    SP_UNEXPECTED(v, shop, "field response.order_list[] is not an object");
    return -1;
  }
  return ocu_req_id(v, shop, cJSON_GetObjectItemCaseSensitive(o, "order_sn"),
                    OCU_ID_STRING | OCU_ID_NUMBER, "response.order_list[].order_sn", id,
                    SP_ORDER_SN_MAX + 1, SP_LEAD);
}

/* LIST_ORDERS: one order_list[] entry's order_sn onto the page. 0, -1 with
 * v failed (the page is retried), -2 on OOM. */
static int sp_page_id(oc_order_page *res, const oc_shop *shop, const cJSON *o) {
  char id[SP_ORDER_SN_MAX + 1];
  const char *bad;

  if (sp_entry_sn(&res->v, shop, o, id))
    return -1;
  /* GET_ORDERS would refuse it: better a retried page than a lost id. */
  if ((bad = sp_order_sn_problem(id)) != NULL) {
    SP_UNEXPECTED(&res->v, shop, "field response.order_list[].order_sn %s", bad);
    return -1;
  }
  if (!ocu_order_id_fits(id)) { /* oc_order_page.ids holds OC_ID_MAX - 1 bytes */
    SP_UNEXPECTED(&res->v, shop, "field response.order_list[].order_sn is longer than %d bytes",
                  OC_ID_MAX - 1);
    return -1;
  }
  return ocu_page_add(res, id) ? -2 : 0;
}

/* LIST_ORDERS: response.order_list[].order_sn, more, next_cursor. */
static int sp_page(oc_order_page *res, const oc_shop *shop, const cJSON *resp) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(resp, "order_list");
  const cJSON *more = cJSON_GetObjectItemCaseSensitive(resp, "more");
  const cJSON *o;
  const char *next = "";

  if (!cJSON_IsArray(list)) {
    SP_UNEXPECTED(&res->v, shop, "field response.order_list is not an array");
    return 0;
  }
  if (!cJSON_IsBool(more)) {
    SP_UNEXPECTED(&res->v, shop, "field response.more is not a boolean");
    return 0;
  }
  if (cJSON_IsTrue(more)) {
    next = ocu_json_str(resp, "next_cursor");
    if (next == NULL || next[0] == '\0' || strlen(next) > SP_CURSOR_MAX) {
      SP_UNEXPECTED(&res->v, shop, "response.more is true without a usable next_cursor");
      return 0;
    }
  }
  cJSON_ArrayForEach(o, list) {
    int r = sp_page_id(res, shop, o);

    if (r != 0)
      return r == -2 ? -1 : 0;
  }
  if (ocu_page_end(res, next, 0)) /* oc_order_page.next is shorter than our cursor limit */
    SP_UNEXPECTED(&res->v, shop, "response.next_cursor is longer than %d bytes",
                  OC_NEXT_MAX - 1);
  return 0;
}

int sp_read_page(const oc_shop *shop, const oc_order_query *q, const cJSON *root,
                 oc_order_page *res) {
  const cJSON *resp = cJSON_GetObjectItemCaseSensitive(root, "response");

  (void)q;
  if (!cJSON_IsObject(resp)) {
    SP_UNEXPECTED(&res->v, shop, "field response is missing or not an object");
    return 0;
  }
  return sp_page(res, shop, resp);
}

/*
 * An amount in whole dong: a number (rounded) or a decimal string. 1 when
 * read, 0 when absent or null, -1 when present but not a non-negative amount.
 */
static int sp_money(const cJSON *obj, const char *key, int64_t *out) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

  if (it == NULL || cJSON_IsNull(it))
    return 0;
  if (cJSON_IsNumber(it))
    return ocu_json_round(it, out) == 0 && *out >= 0 ? 1 : -1;
  if (cJSON_IsString(it))
    return ocu_money_text(it->valuestring, out) == 0 ? 1 : -1;
  return -1;
}

/*
 * One item_list[] entry onto order. NULL on success (or OOM, flagged in
 * *oom), else why the order cannot be read, naming the field.
 */
static const char *sp_order_line(oc_order *order, const cJSON *line, int *oom) {
  const cJSON *mid = cJSON_GetObjectItemCaseSensitive(line, "model_id");
  int64_t model = 0, qty, price = -1;
  const char *sku_key, *sku;
  int m;

  if (!cJSON_IsObject(line))
    return "item_list[] entry is not an object";
  /* model_id absent reads as 0: an item without models. */
  if (mid != NULL && !cJSON_IsNull(mid) &&
      (ocu_json_int(mid, &model) || model < 0))
    return "item_list[].model_id is not an id";
  sku_key = model != 0 ? "model_sku" : "item_sku";
  sku = ocu_json_str(line, sku_key);
  if (sku == NULL || sku[0] == '\0')
    return model != 0 ? "item_list[].model_sku is missing or empty"
                      : "item_list[].item_sku is missing or empty";
  if (!ocu_utf8_valid(sku, strlen(sku)))
    return "item_list[] SKU is not valid UTF-8";
  if (!ocu_order_id_fits(sku)) /* oc_order_line.sku holds OC_ID_MAX - 1 bytes */
    return "item_list[] SKU is longer than 63 bytes";
  if (ocu_json_int(cJSON_GetObjectItemCaseSensitive(line,
                                                    "model_quantity_purchased"),
                   &qty) ||
      qty < 1)
    return "item_list[].model_quantity_purchased is missing or not a "
           "positive integer";
  /* The price paid per unit: the discounted one, or the original when there is
   * no discount (0, as on bundle-deal lines, see "Orders"); unknown is null. */
  m = sp_money(line, "model_discounted_price", &price);
  if (m < 0)
    return "item_list[].model_discounted_price is not an amount";
  if (m == 0 || price == 0) {
    price = -1;
    if (sp_money(line, "model_original_price", &price) < 0)
      return "item_list[].model_original_price is not an amount";
  }
  if (ocu_order_add_line(order, sku, qty, price))
    *oom = 1;
  return NULL;
}

/* One order_list[] entry into doc, or into doc's "bad" with the reason.
 * -1 only on OOM. */
static int sp_order_detail(oc_order_batch *doc, const char *id, const cJSON *o) {
  const char *status = ocu_json_str(o, "order_status"), *why = NULL;
  oc_effect effect;
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(o, "item_list");
  const cJSON *line;
  int64_t upd, total = -1;
  oc_order *order;
  int oom = 0;

  if (status == NULL)
    return ocu_batch_bad(doc, id, "order %s: order_status is missing", id);
  if ((effect = ocu_order_effect(sp_order_status, status)) == 0)
    return ocu_batch_bad(doc, id, "order %s: unknown order_status \"%s\"", id,
                          status);
  if (ocu_json_int(cJSON_GetObjectItemCaseSensitive(o, "update_time"), &upd) ||
      upd < 0)
    return ocu_batch_bad(doc, id,
                          "order %s: update_time is missing or not a time", id);
  if (sp_money(o, "total_amount", &total) < 0)
    return ocu_batch_bad(doc, id, "order %s: total_amount is not an amount",
                          id);
  if (!cJSON_IsArray(items) || cJSON_GetArraySize(items) == 0)
    return ocu_batch_bad(doc, id, "order %s: item_list is missing or empty",
                          id);
  if ((order = ocu_batch_add(doc, id, status, effect, upd, total)) == NULL)
    return -1;
  cJSON_ArrayForEach(line, items) {
    if ((why = sp_order_line(order, line, &oom)) != NULL || oom)
      break;
  }
  if (why == NULL && !oom)
    return 0;
  ocu_batch_drop_last(doc);
  return oom ? -1 : ocu_batch_bad(doc, id, "order %s: %s", id, why);
}

/* 1 when id is among the order_sn of list. */
static int sp_order_answered(const cJSON *list, const char *id) {
  const cJSON *o;

  cJSON_ArrayForEach(o, list) {
    char sn[SP_ORDER_SN_MAX + 1], why[160];

    if (ocu_json_id(cJSON_GetObjectItemCaseSensitive(o, "order_sn"),
                    OCU_ID_STRING | OCU_ID_NUMBER, "order_sn", sn, sizeof sn,
                    why, sizeof why) == 0 &&
        strcmp(sn, id) == 0)
      return 1;
  }
  return 0;
}

/* One order_list[] entry of GET_ORDERS. 0, -1 with v failed, -2 on OOM. */
static int sp_batch_one(oc_order_batch *res, const oc_shop *shop, const cJSON *o) {
  char id[SP_ORDER_SN_MAX + 1];

  if (sp_entry_sn(&res->v, shop, o, id))
    return -1;
  if (!ocu_order_id_fits(id)) /* never one we asked for: ours are shorter */
    return ocu_batch_bad(res, id, "order %s: order_sn is longer than %d bytes", id,
                         OC_ID_MAX - 1) ? -2 : 0;
  return sp_order_detail(res, id, o) ? -2 : 0;
}

/* GET_ORDERS: response.order_list[] with the details of each order. */
int sp_read_batch(const oc_shop *shop, const oc_order_query *q, const cJSON *root,
                  oc_order_batch *res) {
  const cJSON *resp = cJSON_GetObjectItemCaseSensitive(root, "response"), *list, *o;
  size_t i;

  if (!cJSON_IsObject(resp)) {
    SP_UNEXPECTED(&res->v, shop, "field response is missing or not an object");
    return 0;
  }
  list = cJSON_GetObjectItemCaseSensitive(resp, "order_list");
  if (!cJSON_IsArray(list)) {
    SP_UNEXPECTED(&res->v, shop, "field response.order_list is not an array");
    return 0;
  }
  cJSON_ArrayForEach(o, list) {
    int r = sp_batch_one(res, shop, o);

    if (r != 0)
      return r == -2 ? -1 : 0;
  }
  /* An order asked for and not answered is reported, not forgotten: the
   * core retries it and dead-letters it in the end. */
  for (i = 0; q != NULL && q->ids != NULL && i < q->nids; i++)
    if (q->ids[i] != NULL && !sp_order_answered(list, q->ids[i]) &&
        ocu_batch_bad(res, q->ids[i], "order %s: not in the answer", q->ids[i]))
      return -1;
  return 0;
}

