/*
 * order_doc.h — a connector's order batch as the document
 * ocop_ingest_orders() reads (prefix order_doc_).
 *
 * Connectors hand orders over as structs (connectors/connector.h); the
 * database takes one jsonb document per batch, in the shape order files
 * have too (daemon/order_csv.h), and checks each order itself
 * (ocop_order_problem in sql/logic/orders.sql):
 *
 *   {"orders":[{"id":"..","status":"..","effect":"sold","update_time":1700000000,
 *               "total_vnd":150000,"lines":[{"sku":"..","qty":2,"unit_price_vnd":75000}]}],
 *    "bad":[{"id":"..","error":".."}]}
 *
 * A total or a unit price of -1 (the marketplace did not say) is null.
 */
#ifndef OCOP_ORDER_DOC_H
#define OCOP_ORDER_DOC_H

#include <cjson/cJSON.h>
#include <stddef.h>

#include "connector.h"

/* Several batches in one document (a daemon ingests a few answers at once):
 * an empty document, or NULL when out of memory; each batch's orders and
 * bad orders appended (0, or -1 when out of memory); how many it holds;
 * its compact JSON text (malloc'd, NULL when out of memory). The caller
 * frees the document with cJSON_Delete. */
cJSON *order_doc_new(void);
int order_doc_add(cJSON *doc, const oc_order_batch *b);
size_t order_doc_size(const cJSON *doc);
char *order_doc_print(const cJSON *doc);

/* One batch as compact JSON text (malloc'd), or NULL when out of memory. */
char *order_doc_json(const oc_order_batch *b);

#endif
