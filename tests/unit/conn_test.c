/* conn_test.c — see conn_test.h. */
#include "conn_test.h"

#include <string.h>

#include "runner.h"

int ct_starts_with(const char *s, const char *prefix) {
  return strncmp(s, prefix, strlen(prefix)) == 0;
}

static cJSON *ct_amount(int64_t v) {
  ASSERT(v >= -1);
  return v < 0 ? cJSON_CreateNull() : cJSON_CreateNumber((double)v);
}

cJSON *ct_page_doc(const oc_order_page *p) {
  cJSON *doc = cJSON_CreateObject(), *ids = cJSON_AddArrayToObject(doc, "ids");
  size_t i;

  ASSERT_NOT_NULL(ids);
  ASSERT(p->nids == 0 || p->ids != NULL);
  for (i = 0; i < p->nids; i++) {
    ASSERT(p->ids[i][0] != '\0');
    cJSON_AddItemToArray(ids, cJSON_CreateString(p->ids[i]));
  }
  cJSON_AddStringToObject(doc, "next", p->next);
  cJSON_AddNumberToObject(doc, "done_at", (double)p->done_at);
  return doc;
}

static cJSON *ct_order_doc(const oc_order *o) {
  cJSON *d = cJSON_CreateObject(), *lines;
  size_t i;

  ASSERT(o->effect >= OC_EFFECT_RESERVED && o->effect <= OC_EFFECT_RETURNED);
  ASSERT(o->nlines > 0 && o->lines != NULL);
  cJSON_AddStringToObject(d, "id", o->id);
  cJSON_AddStringToObject(d, "status", o->status);
  cJSON_AddStringToObject(d, "effect", oc_effect_name(o->effect));
  cJSON_AddNumberToObject(d, "update_time", (double)o->update_time);
  cJSON_AddItemToObject(d, "total_vnd", ct_amount(o->total_vnd));
  lines = cJSON_AddArrayToObject(d, "lines");
  for (i = 0; i < o->nlines; i++) {
    cJSON *l = cJSON_CreateObject();

    ASSERT(o->lines[i].qty >= 1);
    cJSON_AddStringToObject(l, "sku", o->lines[i].sku);
    cJSON_AddNumberToObject(l, "qty", (double)o->lines[i].qty);
    cJSON_AddItemToObject(l, "unit_price_vnd", ct_amount(o->lines[i].unit_price_vnd));
    cJSON_AddItemToArray(lines, l);
  }
  return d;
}

cJSON *ct_batch_doc(const oc_order_batch *b) {
  cJSON *doc = cJSON_CreateObject(), *orders = cJSON_AddArrayToObject(doc, "orders");
  cJSON *bad = cJSON_AddArrayToObject(doc, "bad");
  size_t i;

  ASSERT(b->norders == 0 || b->orders != NULL);
  ASSERT(b->nbad == 0 || b->bad != NULL);
  for (i = 0; i < b->norders; i++)
    cJSON_AddItemToArray(orders, ct_order_doc(&b->orders[i]));
  for (i = 0; i < b->nbad; i++) {
    cJSON *e = cJSON_CreateObject();

    cJSON_AddStringToObject(e, "id", b->bad[i].id);
    cJSON_AddStringToObject(e, "error", b->bad[i].error);
    cJSON_AddItemToArray(bad, e);
  }
  return doc;
}

/* The document as text; a failed parse must leave nothing behind. */
static char *ct_render(const oc_verdict *v, cJSON *doc, int empty) {
  char *text = NULL;

  if (v->status == OC_OK)
    text = cJSON_PrintUnformatted(doc);
  else
    ASSERT(empty);
  cJSON_Delete(doc);
  return text;
}

void ct_parse_orders(const oc_connector *c, oc_op op, const oc_shop *shop,
                     const oc_order_query *q, long http_status, const char *body,
                     size_t len, ct_orders *res) {
  memset(res, 0x5a, sizeof *res); /* the parse must set every field */
  if (op == OC_OP_LIST_ORDERS) {
    oc_order_page p;

    memset(&p, 0x5a, sizeof p);
    oc_parse_order_page(c, shop, q, http_status, body, len, &p);
    res->v = p.v;
    res->orders = ct_render(&p.v, ct_page_doc(&p), p.ids == NULL && p.nids == 0);
    oc_order_page_free(&p);
  } else {
    oc_order_batch b;

    memset(&b, 0x5a, sizeof b);
    oc_parse_order_batch(c, shop, q, http_status, body, len, &b);
    res->v = b.v;
    res->orders = ct_render(&b.v, ct_batch_doc(&b),
                            b.orders == NULL && b.bad == NULL && !b.norders && !b.nbad);
    oc_order_batch_free(&b);
  }
}

int ct_build_any(const oc_connector *c, oc_op op, const oc_shop *s, const oc_listing *l,
                 int64_t now_ms, oc_request *r, char *err, size_t errlen) {
  if (oc_token_op(op))
    return c->build_token(op, s, now_ms, r, err, errlen);
  return c->build_listing(op, s, l, now_ms, r, err, errlen);
}
