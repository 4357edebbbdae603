/*
 * test_postmart.c — unit tests for connectors/postmart/, the file channel:
 * the CSV feed byte for byte (quoting, Vietnamese text, inactive and
 * stripped rows, a row per variant, the empty feed) and the entry table.
 */
#include "runner.h"

/* Through the connector's internal header (connectors/postmart/postmart.h). */
#include "../../connectors/postmart/postmart.h"

#include <stdlib.h>
#include <string.h>

#define HEADER                                                                                \
  "sku,product_code,variant,name,ocop_stars,certificate_no,category,price_vnd,stock,"         \
  "weight_g,gtin,description,image_urls,active\r\n"

static const oc_shop shop0 = {"", "", "", "", NULL, NULL, NULL, 0, NULL, NULL};

/* A listing and the variants it points to. */
struct fx {
  oc_listing l;
  oc_variant v[3];
};

/* A single-variant product: its variant's SKU is the product code. */
static void fx_init(struct fx *f, const char *sku, const char *name, const char *desc,
                    int stars, const char *cert) {
  memset(f, 0, sizeof *f);
  f->l.sku = sku;
  f->l.name = name;
  f->l.description = desc;
  f->l.category = "I.3.c";
  f->l.unit = "gói";
  f->l.stars = stars;
  f->l.certificate_no = cert;
  f->l.variants = f->v;
  f->l.nvariants = 1;
  f->v[0].sku = sku;
  f->v[0].label = "";
  f->v[0].price_vnd = 85000;
  f->v[0].stock = 120;
  f->v[0].weight_g = 500;
}

static int conn_feed(const oc_feed_row *rows, size_t n, char **out, size_t *len, char *err,
                     size_t errlen) {
  return OC_ENTRY()->feed(&shop0, rows, n, out, len, err, errlen);
}

/* Renders rows and compares with want, byte for byte. */
static int feed_is(const oc_feed_row *rows, size_t n, const char *want) {
  char *out = NULL, err[128] = "";
  size_t len = 0;

  ASSERT_EQ(conn_feed(rows, n, &out, &len, err, sizeof err), 0);
  ASSERT_STR_EQ(err, "");
  ASSERT_NOT_NULL(out);
  ASSERT_EQ(len, strlen(want));
  ASSERT_STR_EQ(out, want);
  free(out);
  return 0;
}

static TEST_IMPL(entry_point) {
  const oc_connector *c = OC_ENTRY();

  ASSERT_EQ(c->abi, OC_ABI_VERSION);
  ASSERT_STR_EQ(c->name, "postmart");
  ASSERT_EQ(c->caps, OC_CAP(OC_OP_PUBLISH) | OC_CAP(OC_OP_UPDATE) | OC_CAP(OC_OP_SET_STOCK) |
                         OC_CAP(OC_OP_SET_PRICE) | OC_CAP(OC_OP_DELIST) |
                         OC_CAP(OC_OP_RELIST) | OC_CAP_STRIP | OC_CAP_FEED);
  ASSERT(!(c->caps & OC_CAP(OC_OP_LOOKUP_SKU)));
  ASSERT(!(c->caps & OC_CAP(OC_OP_REFRESH_TOKEN)));
  ASSERT_NOT_NULL(c->build_listing);
  ASSERT_NOT_NULL(c->parse_listing);
  ASSERT_NOT_NULL(c->feed);
  return 0;
}

static TEST_IMPL(build_and_parse_refuse) {
  const oc_connector *c = OC_ENTRY();
  struct fx f;
  oc_request req;
  oc_listing_result r;
  char err[128] = "";

  fx_init(&f, "OCP-A", "A", "", 4, "1/QĐ-UBND");

  memset(&req, 0, sizeof req);
  ASSERT_EQ(c->build_listing(OC_OP_PUBLISH, &shop0, &f.l, 0, &req, err, sizeof err), -1);
  ASSERT_NOT_NULL(strstr(err, "file channel"));
  ASSERT_NULL(req.url);
  ASSERT_NULL(req.body);
  memset(&r, 0, sizeof r);
  c->parse_listing(OC_OP_UPDATE, &shop0, &f.l, 200, "{}", 2, &r);
  ASSERT_EQ(r.v.status, OC_REJECTED);
  ASSERT_NOT_NULL(strstr(r.v.error, "file channel"));
  return 0;
}

/* No tokens, orders or pushes: those pointers are NULL, and the wrappers of
 * connector.h refuse the calls without touching them. */
static TEST_IMPL(no_tokens_orders_or_push) {
  const oc_connector *c = OC_ENTRY();
  oc_request req;
  oc_order_query q;
  char err[128] = "";

  ASSERT_NULL(c->build_token);
  ASSERT_NULL(c->parse_token);
  ASSERT_NULL(c->build_orders);
  ASSERT_NULL(c->parse_order_page);
  ASSERT_NULL(c->parse_order_batch);
  ASSERT_NULL(c->verify_push);
  ASSERT_EQ(c->order_window_s, 0);
  ASSERT(!oc_has_push(c));
  memset(&req, 0, sizeof req);
  memset(&q, 0, sizeof q);
  ASSERT_EQ(oc_build_token(c, OC_OP_REFRESH_TOKEN, &shop0, 0, &req, err, sizeof err), -1);
  ASSERT_STR_EQ(err, "operation not supported by this connector");
  ASSERT_EQ(oc_build_orders(c, OC_OP_LIST_ORDERS, &shop0, &q, 0, &req, err, sizeof err), -1);
  ASSERT_NULL(req.url);
  return 0;
}

static TEST_IMPL(empty_feed_is_the_header) {
  ASSERT_EQ(feed_is(NULL, 0, HEADER), 0);
  return 0;
}

static TEST_IMPL(vietnamese_text_byte_exact) {
  struct fx f;
  oc_feed_row r = {&f.l, 1, "https://img.example.vn/a.jpg https://img.example.vn/b.jpg"};

  fx_init(&f, "OCP-NAN-001", "Chè Shan tuyết Nậm Nhùn", "Trà búp khô, hái từ cây cổ thụ", 4,
          "1234/QĐ-UBND");
  ASSERT_EQ(feed_is(&r, 1,
                    HEADER "OCP-NAN-001,OCP-NAN-001,,"
                           "Ch\xc3\xa8 Shan tuy\xe1\xba\xbft N\xe1\xba\xadm Nh\xc3\xb9n,4,"
                           "1234/Q\xc4\x90-UBND,I.3.c,85000,120,500,,"
                           "\"Tr\xc3\xa0 b\xc3\xbap kh\xc3\xb4, h\xc3\xa1i t\xe1\xbb\xab c\xc3\xa2y "
                           "c\xe1\xbb\x95 th\xe1\xbb\xa5\","
                           "https://img.example.vn/a.jpg https://img.example.vn/b.jpg,1\r\n"),
            0);
  return 0;
}

static TEST_IMPL(quoting) {
  struct fx f;
  oc_feed_row r = {&f.l, 1, NULL};

  fx_init(&f, "OCP-Q-1", "Mật ong \"rừng\", loại 1", "Dòng 1\nDòng 2\r\nhết", 3, "9/QĐ");
  ASSERT_EQ(feed_is(&r, 1,
                    HEADER "OCP-Q-1,OCP-Q-1,,\"Mật ong \"\"rừng\"\", loại 1\",3,9/QĐ,I.3.c,85000,"
                           "120,500,,\"Dòng 1\nDòng 2\r\nhết\",,1\r\n"),
            0);
  /* A lone quote, a lone CR, a quote at either end. */
  fx_init(&f, "OCP-Q-2", "\"", "a\rb", 3, "\"x\"");
  ASSERT_EQ(feed_is(&r, 1, HEADER "OCP-Q-2,OCP-Q-2,,\"\"\"\",3,\"\"\"x\"\"\",I.3.c,85000,120,500,,"
                               "\"a\rb\",,1\r\n"),
            0);
  return 0;
}

static TEST_IMPL(inactive_and_stripped_rows) {
  struct fx a, b, c;
  oc_feed_row rows[3];

  fx_init(&a, "OCP-A", "Á", "", 5, "5/QĐ");
  fx_init(&b, "OCP-B", "B", "", 0, NULL);    /* delisted: no longer eligible */
  fx_init(&c, "OCP-C", "C", "", 0, "stale"); /* stripped: claims removed */
  b.v[0].price_vnd = 0;
  b.v[0].stock = 0;
  b.v[0].weight_g = 0;
  rows[0].listing = &a.l, rows[0].active = 1, rows[0].image_urls = "";
  rows[1].listing = &b.l, rows[1].active = 0, rows[1].image_urls = NULL;
  rows[2].listing = &c.l, rows[2].active = 1, rows[2].image_urls = NULL;
  ASSERT_EQ(feed_is(rows, 3,
                    HEADER "OCP-A,OCP-A,,Á,5,5/QĐ,I.3.c,85000,120,500,,,,1\r\n"
                           "OCP-B,OCP-B,,B,,,I.3.c,0,0,0,,,,0\r\n"
                           "OCP-C,OCP-C,,C,,,I.3.c,85000,120,500,,,,1\r\n"),
            0);
  return 0;
}

/* A product with three pack sizes is three rows that share the product's
 * fields; a variant withdrawn from the catalogue has no row. */
static TEST_IMPL(one_row_per_variant) {
  struct fx f;
  oc_feed_row r = {&f.l, 1, NULL};

  fx_init(&f, "OCP-BKN-001", "Miến dong", "", 5, "2719/QĐ");
  f.l.nvariants = 3;
  f.v[0].sku = "OCP-BKN-001-200", f.v[0].label = "200 g", f.v[0].price_vnd = 35000;
  f.v[0].stock = 40, f.v[0].weight_g = 200, f.v[0].gtin = "8938505970012";
  f.v[1].sku = "OCP-BKN-001-500", f.v[1].label = "500 g", f.v[1].price_vnd = 75000;
  f.v[1].stock = 850, f.v[1].weight_g = 500;
  f.v[2].sku = "OCP-BKN-001-1K", f.v[2].label = "1 kg", f.v[2].removed = 1;
  ASSERT_EQ(feed_is(&r, 1,
                    HEADER "OCP-BKN-001-200,OCP-BKN-001,200 g,Miến dong,5,2719/QĐ,I.3.c,35000,40,"
                           "200,8938505970012,,,1\r\n"
                           "OCP-BKN-001-500,OCP-BKN-001,500 g,Miến dong,5,2719/QĐ,I.3.c,75000,"
                           "850,500,,,,1\r\n"),
            0);
  return 0;
}

static TEST_IMPL(large_values_and_missing_sku) {
  struct fx f;
  oc_feed_row r = {&f.l, 1, NULL};
  char *out = (char *)1, err[128] = "";
  size_t len = 7;

  fx_init(&f, "OCP-L", "L", "", 4, "1");
  f.v[0].price_vnd = 9007199254740993LL;
  f.v[0].stock = 2147483648LL;
  ASSERT_EQ(feed_is(&r, 1,
                    HEADER "OCP-L,OCP-L,,L,4,1,I.3.c,9007199254740993,2147483648,500,,,,1\r\n"),
            0);
  f.v[0].sku = "";
  ASSERT_EQ(conn_feed(&r, 1, &out, &len, err, sizeof err), -1);
  ASSERT_NULL(out);
  ASSERT_EQ(len, 0);
  ASSERT_NOT_NULL(strstr(err, "SKU"));
  f.v[0].sku = "OCP-L";
  f.l.sku = "";
  out = (char *)1;
  ASSERT_EQ(conn_feed(&r, 1, &out, &len, err, sizeof err), -1);
  ASSERT_NULL(out);
  return 0;
}

static const struct test_entry tests[] = {
    TEST_ENTRY(entry_point),
    TEST_ENTRY(build_and_parse_refuse),
    TEST_ENTRY(no_tokens_orders_or_push),
    TEST_ENTRY(empty_feed_is_the_header),
    TEST_ENTRY(vietnamese_text_byte_exact),
    TEST_ENTRY(quoting),
    TEST_ENTRY(inactive_and_stripped_rows),
    TEST_ENTRY(one_row_per_variant),
    TEST_ENTRY(large_values_and_missing_sku),
    {NULL, NULL, 0, 0},
};

int main(int argc, char **argv) { return run_tests(tests, argc, argv); }
