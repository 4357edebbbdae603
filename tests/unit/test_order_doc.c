/*
 * test_order_doc.c — a connector's order batch as the document
 * ocop_ingest_orders() reads (daemon/order_doc.c), compared as text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "order_doc.h"
#include "runner.h"


TEST_IMPL(order_doc_orders_lines_and_bad) {
  oc_order_line lines[2] = {{"OCP-TNG-001", 2, 75000}, {"OCP-TNG-002", 1, 3000000000LL}};
  oc_order orders[1];
  oc_order_bad bad[1] = {{"2401BAD", "unknown status XYZ"}};
  oc_order_batch b;
  char *doc;

  memset(orders, 0, sizeof orders);
  strcpy(orders[0].id, "240101ABC");
  strcpy(orders[0].status, "READY_TO_SHIP");
  orders[0].effect = OC_EFFECT_SOLD;
  orders[0].update_time = 1704067200;
  orders[0].total_vnd = 3000150000LL;
  orders[0].lines = lines;
  orders[0].nlines = 2;
  memset(&b, 0, sizeof b);
  b.orders = orders;
  b.norders = 1;
  b.bad = bad;
  b.nbad = 1;
  doc = order_doc_json(&b);
  ASSERT_NOT_NULL(doc);
  ASSERT_STR_EQ(doc, "{\"orders\":[{\"id\":\"240101ABC\",\"status\":\"READY_TO_SHIP\","
                     "\"effect\":\"sold\",\"update_time\":1704067200,\"total_vnd\":3000150000,"
                     "\"lines\":[{\"sku\":\"OCP-TNG-001\",\"qty\":2,\"unit_price_vnd\":75000},"
                     "{\"sku\":\"OCP-TNG-002\",\"qty\":1,\"unit_price_vnd\":3000000000}]}],"
                     "\"bad\":[{\"id\":\"2401BAD\",\"error\":\"unknown status XYZ\"}]}");
  free(doc);
  return TEST_OK;
}

TEST_IMPL(order_doc_unknown_amounts_are_null) {
  oc_order_line line = {"S-1", 3, -1};
  oc_order o;
  oc_order_batch b;
  char *doc;

  memset(&o, 0, sizeof o);
  strcpy(o.id, "A1");
  strcpy(o.status, "cancelled");
  o.effect = OC_EFFECT_CANCELLED;
  o.update_time = 1700000000;
  o.total_vnd = -1;
  o.lines = &line;
  o.nlines = 1;
  memset(&b, 0, sizeof b);
  b.orders = &o;
  b.norders = 1;
  doc = order_doc_json(&b);
  ASSERT_NOT_NULL(doc);
  ASSERT_STR_EQ(doc, "{\"orders\":[{\"id\":\"A1\",\"status\":\"cancelled\",\"effect\":\"cancelled\","
                     "\"update_time\":1700000000,\"total_vnd\":null,"
                     "\"lines\":[{\"sku\":\"S-1\",\"qty\":3,\"unit_price_vnd\":null}]}],"
                     "\"bad\":[]}");
  free(doc);
  return TEST_OK;
}

TEST_IMPL(order_doc_empty_batch) {
  oc_order_batch b;
  char *doc;

  memset(&b, 0, sizeof b);
  doc = order_doc_json(&b);
  ASSERT_NOT_NULL(doc);
  ASSERT_STR_EQ(doc, "{\"orders\":[],\"bad\":[]}");
  free(doc);
  return TEST_OK;
}

/* Marketplace text is data: quotes, backslashes and Vietnamese stay intact. */
TEST_IMPL(order_doc_escapes_text) {
  oc_order_bad bad = {"B\"1", "sai \\ trạng thái"};
  oc_order_batch b;
  char *doc;

  memset(&b, 0, sizeof b);
  b.bad = &bad;
  b.nbad = 1;
  doc = order_doc_json(&b);
  ASSERT_NOT_NULL(doc);
  ASSERT_STR_EQ(doc, "{\"orders\":[],\"bad\":[{\"id\":\"B\\\"1\",\"error\":\"sai \\\\ trạng thái\"}]}");
  free(doc);
  return TEST_OK;
}

/* Two answers gathered into one document keep their orders in the order
 * they came, and their bad orders after them. */
TEST_IMPL(order_doc_gathers_batches_in_order) {
  oc_order_line line = {"S-1", 1, 1000};
  oc_order o[2];
  oc_order_bad bad = {"B9", "no lines"};
  oc_order_batch b1, b2;
  cJSON *doc = order_doc_new();
  char *text;
  int i;

  ASSERT_NOT_NULL(doc);
  memset(o, 0, sizeof o);
  for (i = 0; i < 2; i++) {
    snprintf(o[i].id, sizeof o[i].id, "A%d", i + 1);
    strcpy(o[i].status, "paid");
    o[i].effect = OC_EFFECT_SOLD;
    o[i].update_time = 1700000000 + i;
    o[i].total_vnd = -1;
    o[i].lines = &line;
    o[i].nlines = 1;
  }
  memset(&b1, 0, sizeof b1);
  b1.orders = &o[0];
  b1.norders = 1;
  b1.bad = &bad;
  b1.nbad = 1;
  memset(&b2, 0, sizeof b2);
  b2.orders = &o[1];
  b2.norders = 1;
  ASSERT_EQ(order_doc_add(doc, &b1), 0);
  ASSERT_EQ(order_doc_size(doc), 2);
  ASSERT_EQ(order_doc_add(doc, &b2), 0);
  ASSERT_EQ(order_doc_size(doc), 3);
  text = order_doc_print(doc);
  ASSERT_NOT_NULL(text);
  ASSERT_STR_EQ(text, "{\"orders\":[{\"id\":\"A1\",\"status\":\"paid\",\"effect\":\"sold\","
                      "\"update_time\":1700000000,\"total_vnd\":null,\"lines\":[{\"sku\":\"S-1\","
                      "\"qty\":1,\"unit_price_vnd\":1000}]},{\"id\":\"A2\",\"status\":\"paid\","
                      "\"effect\":\"sold\",\"update_time\":1700000001,\"total_vnd\":null,"
                      "\"lines\":[{\"sku\":\"S-1\",\"qty\":1,\"unit_price_vnd\":1000}]}],"
                      "\"bad\":[{\"id\":\"B9\",\"error\":\"no lines\"}]}");
  free(text);
  cJSON_Delete(doc);
  return TEST_OK;
}
