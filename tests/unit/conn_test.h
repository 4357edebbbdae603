/*
 * conn_test.h — what the connector unit tests share (prefix ct_): the
 * order structs of connector.h seen as the order document the assertions
 * were written against (ids/next/done_at; orders[] and bad[], with -1
 * amounts as null), after the structs' own invariants are checked.
 */
#ifndef OCOP_CONN_TEST_H
#define OCOP_CONN_TEST_H

#include <stddef.h>

#include <cJSON.h>

#include "../../connectors/connector.h"

/* An order parse: the verdict, and the structs rendered as JSON text
 * (malloc'd; NULL unless v.status is OC_OK). */
typedef struct ct_orders {
  oc_verdict v;
  char *orders;
} ct_orders;

/* Parses with c->parse_order_page (LIST_ORDERS) or c->parse_order_batch
 * (GET_ORDERS), checks the structs, renders them into res->orders and frees
 * them with oc_order_page_free / oc_order_batch_free. */
void ct_parse_orders(const oc_connector *c, oc_op op, const oc_shop *shop,
                     const oc_order_query *q, long http_status, const char *body,
                     size_t len, ct_orders *res);

/* {"ids": [...], "next": "...", "done_at": N} of a page. */
cJSON *ct_page_doc(const oc_order_page *p);

/* {"orders": [{"id", "status", "effect", "update_time", "total_vnd",
 * "lines": [{"sku", "qty", "unit_price_vnd"}]}], "bad": [{"id", "error"}]}. */
cJSON *ct_batch_doc(const oc_order_batch *b);

int ct_starts_with(const char *s, const char *prefix);

/* build_listing or build_token, by the operation's family: the tests that
 * walk every operation of a connector call one function. */
int ct_build_any(const oc_connector *c, oc_op op, const oc_shop *s, const oc_listing *l,
                 int64_t now_ms, oc_request *r, char *err, size_t errlen);

#endif
