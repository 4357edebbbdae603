/* test_order_csv.c — the PostMart order-file reader: format, checks, JSON. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "order_csv.h"
#include "runner.h"

#define HEADER "order_id,status,updated_at,sku,quantity,unit_price_vnd\n"

struct result {
  int rc;
  cJSON *doc;
  ocsv_errors errs;
};

static void run_mem(const char *data, size_t len, struct result *r) {
  char *json = (char *)"unset";
  size_t njson = 99;

  r->rc = ocsv_parse("t.csv", data, len, &json, &njson, &r->errs);
  r->doc = NULL;
  if (r->rc == 0) {
    ASSERT_NOT_NULL(json);
    ASSERT_EQ(strlen(json), njson);
    ASSERT_EQ(r->errs.nlines, 0);
    r->doc = cJSON_Parse(json);
    ASSERT_NOT_NULL(r->doc);
    free(json);
  } else {
    ASSERT_EQ(r->rc, -1);
    ASSERT_NULL(json);
    ASSERT_EQ(njson, 0);
    ASSERT(r->errs.nlines > 0);
  }
}

static void run(const char *text, struct result *r) {
  run_mem(text, strlen(text), r);
}

static void done(struct result *r) {
  cJSON_Delete(r->doc);
  ocsv_errors_free(&r->errs);
}

/* The file must be refused with exactly this one problem. */
static void expect_error(const char *text, const char *want) {
  struct result r;

  run(text, &r);
  if (r.rc == 0 || r.errs.nlines != 1)
    fprintf(stderr, "for:\n%s\n", text);
  ASSERT_EQ(r.rc, -1);
  if (r.errs.nlines != 1) {
    size_t i;

    for (i = 0; i < r.errs.nlines; i++)
      fprintf(stderr, "  %s\n", r.errs.lines[i]);
  }
  ASSERT_EQ(r.errs.nlines, 1);
  ASSERT_EQ(r.errs.total, 1);
  ASSERT_STR_EQ(r.errs.lines[0], want);
  done(&r);
}

/* One data row after the header, with the given fields. */
static void expect_row_error(const char *row, const char *want) {
  char text[512];

  snprintf(text, sizeof text, HEADER "%s\n", row);
  expect_error(text, want);
}

static const cJSON *order(const struct result *r, int i) {
  return cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(r->doc, "orders"), i);
}

static const cJSON *field(const cJSON *o, const char *name) {
  const cJSON *f = cJSON_GetObjectItemCaseSensitive(o, name);

  ASSERT_NOT_NULL(f);
  return f;
}

static const char *str(const cJSON *o, const char *name) {
  const cJSON *f = field(o, name);

  ASSERT(cJSON_IsString(f));
  return f->valuestring;
}

static long long number(const cJSON *o, const char *name) {
  const cJSON *f = field(o, name);

  ASSERT(cJSON_IsNumber(f));
  return (long long)f->valuedouble;
}

static const cJSON *line_of(const cJSON *o, int i) {
  return cJSON_GetArrayItem(field(o, "lines"), i);
}

TEST_IMPL(order_csv_good_file) {
  struct result r;
  const cJSON *o, *l;

  /* Columns in another order than documented; one order of three lines,
   * one of one, a third with an unknown price. */
  run("sku,order_id,quantity,unit_price_vnd,status,updated_at\n"
      "HN-TRA-001,PM-1001,2,150000,delivered,2026-11-25 08:30:00\n"
      "HN-MIEN-02,PM-1001,1,85000,delivered,2026-11-25 08:30:00\n"
      "\"QN,XA-3\",PM-1001,10,0,delivered,2026-11-25T08:30:00\n"
      "HN-TRA-001,PM_1002,5,150000,new,2026-11-26 09:00:00\n"
      "HN-TRA-001,pm-1003,1,,cancelled,2026-11-27 10:00:00Z\n"
      "HN-MIEN-02,pm-1003,3,85000,cancelled,2026-11-27 10:00:00Z\n",
      &r);
  ASSERT_EQ(r.rc, 0);
  ASSERT_EQ(cJSON_GetArraySize(field(r.doc, "orders")), 3);
  ASSERT(cJSON_IsArray(field(r.doc, "bad")));
  ASSERT_EQ(cJSON_GetArraySize(field(r.doc, "bad")), 0);

  o = order(&r, 0);
  ASSERT_STR_EQ(str(o, "id"), "PM-1001");
  ASSERT_STR_EQ(str(o, "status"), "delivered");
  ASSERT_STR_EQ(str(o, "effect"), "sold");
  ASSERT_EQ(number(o, "update_time"), 1795570200); /* 2026-11-25T01:30:00Z */
  ASSERT_EQ(number(o, "total_vnd"), 2 * 150000 + 85000);
  ASSERT_EQ(cJSON_GetArraySize(field(o, "lines")), 3);
  l = line_of(o, 0);
  ASSERT_STR_EQ(str(l, "sku"), "HN-TRA-001");
  ASSERT_EQ(number(l, "qty"), 2);
  ASSERT_EQ(number(l, "unit_price_vnd"), 150000);
  l = line_of(o, 2);
  ASSERT_STR_EQ(str(l, "sku"), "QN,XA-3");
  ASSERT_EQ(number(l, "qty"), 10);
  ASSERT_EQ(number(l, "unit_price_vnd"), 0);

  o = order(&r, 1);
  ASSERT_STR_EQ(str(o, "id"), "PM_1002");
  ASSERT_STR_EQ(str(o, "effect"), "reserved");
  ASSERT_EQ(number(o, "total_vnd"), 750000);
  ASSERT_EQ(cJSON_GetArraySize(field(o, "lines")), 1);

  /* One unknown price makes the total unknown. */
  o = order(&r, 2);
  ASSERT_STR_EQ(str(o, "id"), "pm-1003");
  ASSERT_EQ(number(o, "update_time"), 1795773600); /* 2026-11-27T10:00:00Z */
  ASSERT(cJSON_IsNull(field(o, "total_vnd")));
  ASSERT(cJSON_IsNull(field(line_of(o, 0), "unit_price_vnd")));
  ASSERT_EQ(number(line_of(o, 1), "unit_price_vnd"), 85000);
  done(&r);
  return TEST_OK;
}

TEST_IMPL(order_csv_crlf_bom) {
  static const char text[] = "\xEF\xBB\xBF"
                             "order_id,status,updated_at,sku,quantity,unit_price_vnd\r\n"
                             "A1,shipping,2026-01-02 03:04:05,S1,4,1000\r\n"
                             "\r\n"
                             "A2,returned,2026-01-02 03:04:05,\"S 2\",1,2000\r\n";
  struct result r;

  run(text, &r);
  ASSERT_EQ(r.rc, 0);
  ASSERT_EQ(cJSON_GetArraySize(field(r.doc, "orders")), 2);
  ASSERT_STR_EQ(str(order(&r, 0), "id"), "A1");
  ASSERT_EQ(number(order(&r, 0), "total_vnd"), 4000);
  ASSERT_STR_EQ(str(line_of(order(&r, 1), 0), "sku"), "S 2");
  ASSERT_STR_EQ(str(order(&r, 1), "effect"), "returned");
  done(&r);

  /* Line numbers still count the BOM's line and the blank line. */
  expect_error("\xEF\xBB\xBF" "order_id,status,updated_at,sku,quantity,unit_price_vnd\r\n"
               "A1,shipping,2026-01-02 03:04:05,S1,4,1000\r\n\r\n"
               "A2,shipping,2026-01-02 03:04:05,S1,0,1000\r\n",
               "t.csv:4: quantity: 0 is below the minimum of 1");
  return TEST_OK;
}

TEST_IMPL(order_csv_effects) {
  static const struct {
    const char *status, *effect;
  } cases[] = {
      {"new", "reserved"},     {"confirmed", "sold"},      {"shipping", "sold"},
      {"delivered", "sold"},   {"cancelled", "cancelled"}, {"returned", "returned"},
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char text[256];
    struct result r;

    snprintf(text, sizeof text, HEADER "X%zu,%s,2026-03-01 12:00:00,SKU,1,5\n", i,
             cases[i].status);
    run(text, &r);
    ASSERT_EQ(r.rc, 0);
    ASSERT_STR_EQ(str(order(&r, 0), "status"), cases[i].status);
    ASSERT_STR_EQ(str(order(&r, 0), "effect"), cases[i].effect);
    done(&r);
  }
  return TEST_OK;
}

static long long time_of(const char *when) {
  char text[256];
  struct result r;
  long long t;

  snprintf(text, sizeof text, HEADER "T1,new,%s,SKU,1,5\n", when);
  run(text, &r);
  if (r.rc != 0)
    fprintf(stderr, "%s: %s\n", when, r.errs.lines[0]);
  ASSERT_EQ(r.rc, 0);
  t = number(order(&r, 0), "update_time");
  done(&r);
  return t;
}

TEST_IMPL(order_csv_time_zones) {
  /* Midnight in Hanoi is 17:00 UTC the day before. */
  ASSERT_EQ(time_of("2026-11-25 00:00:00"), 1795539600); /* 2026-11-24T17:00:00Z */
  ASSERT_EQ(time_of("2026-11-25T00:00:00"), 1795539600);
  ASSERT_EQ(time_of("2026-11-25 00:00:00+07:00"), 1795539600);
  ASSERT_EQ(time_of("2026-11-24 17:00:00Z"), 1795539600);
  ASSERT_EQ(time_of("2026-11-24T17:00:00+00:00"), 1795539600);
  ASSERT_EQ(time_of("2026-11-24 12:00:00-05:00"), 1795539600);
  ASSERT_EQ(time_of("2026-11-25 02:30:00+09:30"), 1795539600);
  /* Year and leap-day boundaries. */
  ASSERT_EQ(time_of("2027-01-01 06:59:59"), 1798761599); /* 2026-12-31T23:59:59Z */
  ASSERT_EQ(time_of("2024-02-29 07:00:00"), 1709164800); /* 2024-02-29T00:00:00Z */
  ASSERT_EQ(time_of("2000-03-01 07:00:00"), 951868800);
  ASSERT_EQ(time_of("1970-01-01 07:00:00"), 0);
  ASSERT_EQ(time_of("2100-03-01 00:00:00Z"), 4107542400);
  return TEST_OK;
}

TEST_IMPL(order_csv_bad_times) {
  static const struct {
    const char *when, *want;
  } cases[] = {
      {"2026-02-30 10:00:00", "t.csv:2: updated_at: 2026-02-30 is not a day of the calendar"},
      {"2025-02-29 10:00:00", "t.csv:2: updated_at: 2025-02-29 is not a day of the calendar"},
      {"2100-02-29 10:00:00", "t.csv:2: updated_at: 2100-02-29 is not a day of the calendar"},
      {"2026-13-01 10:00:00", "t.csv:2: updated_at: 2026-13-01 is not a day of the calendar"},
      {"2026-11-25 24:00:00", "t.csv:2: updated_at: 24:00:00 is not a time of day"},
      {"2026-11-25 23:60:00", "t.csv:2: updated_at: 23:60:00 is not a time of day"},
      {"2026-11-25 23:59:60", "t.csv:2: updated_at: 23:59:60 is not a time of day"},
      {"2026-11-25", "t.csv:2: updated_at: \"2026-11-25\" is not a time: write YYYY-MM-DD HH:MM:SS"},
      {"25/11/2026 10:00:00",
       "t.csv:2: updated_at: \"25/11/2026 10:00:00\" is not a time: write YYYY-MM-DD HH:MM:SS"},
      {"2026-11-25 1:00:00",
       "t.csv:2: updated_at: \"2026-11-25 1:00:00\" is not a time: write YYYY-MM-DD HH:MM:SS"},
      {"2026-11-25_10:00:00",
       "t.csv:2: updated_at: \"2026-11-25_10:00:00\" is not a time: write YYYY-MM-DD HH:MM:SS"},
      {"2026-11-25 10:00:00 ",
       "t.csv:2: updated_at: \" \" is not a time zone: write +HH:MM or Z, or nothing for Vietnam "
       "time"},
      {"2026-11-25 10:00:00+0700",
       "t.csv:2: updated_at: \"+0700\" is not a time zone: write +HH:MM or Z, or nothing for "
       "Vietnam time"},
      {"2026-11-25 10:00:00+15:00",
       "t.csv:2: updated_at: \"+15:00\" is not a time zone: write +HH:MM or Z, or nothing for "
       "Vietnam time"},
      {"2026-11-25 10:00:00z",
       "t.csv:2: updated_at: \"z\" is not a time zone: write +HH:MM or Z, or nothing for "
       "Vietnam time"},
      {"1970-01-01 06:59:59", "t.csv:2: updated_at: \"1970-01-01 06:59:59\" is before 1970"},
      {"0000-01-01 00:00:00", "t.csv:2: updated_at: 0000-01-01 is not a day of the calendar"},
  };
  size_t i;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char row[256];

    snprintf(row, sizeof row, "T1,new,%s,SKU,1,5", cases[i].when);
    expect_row_error(row, cases[i].want);
  }
  return TEST_OK;
}

TEST_IMPL(order_csv_bad_ids) {
  char row[256];

  expect_row_error("PM 1,new,2026-01-01 00:00:00,S,1,1",
                   "t.csv:2: order_id: \"PM 1\" is not an order id: 1 to 64 letters, digits, "
                   "'_' or '-'");
  expect_row_error("PM.1,new,2026-01-01 00:00:00,S,1,1",
                   "t.csv:2: order_id: \"PM.1\" is not an order id: 1 to 64 letters, digits, "
                   "'_' or '-'");
  expect_row_error("Đơn1,new,2026-01-01 00:00:00,S,1,1",
                   "t.csv:2: order_id: \"Đơn1\" is not an order id: 1 to 64 letters, digits, "
                   "'_' or '-'");
  expect_row_error(",new,2026-01-01 00:00:00,S,1,1", "t.csv:2: order_id: must not be empty");
  snprintf(row, sizeof row, "%065d,new,2026-01-01 00:00:00,S,1,1", 7);
  expect_row_error(row, "t.csv:2: order_id: is 65 bytes long; at most 64 fit");
  /* 64 is fine. */
  snprintf(row, sizeof row, HEADER "%064d,new,2026-01-01 00:00:00,S,1,1\n", 7);
  {
    struct result r;

    run(row, &r);
    ASSERT_EQ(r.rc, 0);
    ASSERT_EQ(strlen(str(order(&r, 0), "id")), 64);
    done(&r);
  }
  return TEST_OK;
}

TEST_IMPL(order_csv_bad_status) {
  static const char *const bad[] = {"paid", "Delivered", " new", "cancelled "};
  size_t i;

  for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
    char row[256], want[256];

    snprintf(row, sizeof row, "A,%s,2026-01-01 00:00:00,S,1,1", bad[i]);
    snprintf(want, sizeof want,
             "t.csv:2: status: \"%s\" is not one of new, confirmed, shipping, delivered, "
             "cancelled, returned",
             bad[i]);
    expect_row_error(row, want);
  }
  expect_row_error("A,,2026-01-01 00:00:00,S,1,1", "t.csv:2: status: must not be empty");
  return TEST_OK;
}

TEST_IMPL(order_csv_quantities) {
  static const struct {
    const char *qty, *want;
  } cases[] = {
      {"0", "t.csv:2: quantity: 0 is below the minimum of 1"},
      {"10001", "t.csv:2: quantity: 10001 is too large (at most 10000)"},
      {"99999999999999999999999", "t.csv:2: quantity: 99999999999999999999999 is too large (at most 10000)"},
      {"2.5", "t.csv:2: quantity: \"2.5\" must be a whole number of units without separators or decimals"},
      {"1,000", "t.csv:2: quantity: \"1,000\" must be a whole number of units without separators or decimals"},
      {"-1", "t.csv:2: quantity: -1 is negative"},
      {"+1", "t.csv:2: quantity: \"+1\" is not a whole number"},
      {"two", "t.csv:2: quantity: \"two\" is not a whole number"},
      {" 1", "t.csv:2: quantity: \" 1\" is not a whole number"},
      {"", "t.csv:2: quantity: must not be empty"},
  };
  size_t i;
  struct result r;

  for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
    char row[256];

    snprintf(row, sizeof row, "A,new,2026-01-01 00:00:00,S,\"%s\",1", cases[i].qty);
    expect_row_error(row, cases[i].want);
  }
  run(HEADER "A,new,2026-01-01 00:00:00,S,10000,1\nB,new,2026-01-01 00:00:00,S,1,1\n", &r);
  ASSERT_EQ(r.rc, 0);
  ASSERT_EQ(number(line_of(order(&r, 0), 0), "qty"), 10000);
  ASSERT_EQ(number(line_of(order(&r, 1), 0), "qty"), 1);
  done(&r);
  return TEST_OK;
}

TEST_IMPL(order_csv_prices) {
  struct result r;

  expect_row_error("A,new,2026-01-01 00:00:00,S,1,-5", "t.csv:2: unit_price_vnd: -5 is negative");
  expect_row_error("A,new,2026-01-01 00:00:00,S,1,1000000000001",
                   "t.csv:2: unit_price_vnd: 1000000000001 is too large (at most 1000000000000)");
  expect_row_error("A,new,2026-01-01 00:00:00,S,1,\"150.000\"",
                   "t.csv:2: unit_price_vnd: \"150.000\" must be a whole number of dong without "
                   "separators or decimals");
  expect_row_error("A,new,2026-01-01 00:00:00,S,1,150000đ",
                   "t.csv:2: unit_price_vnd: \"150000đ\" is not a whole number");
  run(HEADER "A,new,2026-01-01 00:00:00,S,1,1000000000000\n", &r);
  ASSERT_EQ(r.rc, 0);
  ASSERT_EQ(number(order(&r, 0), "total_vnd"), 1000000000000LL);
  done(&r);
  return TEST_OK;
}

TEST_IMPL(order_csv_duplicate_sku) {
  struct result r;

  expect_error(HEADER "A,new,2026-01-01 00:00:00,S1,1,1\n"
                      "A,new,2026-01-01 00:00:00,S2,1,1\n"
                      "A,new,2026-01-01 00:00:00,S1,2,1\n",
               "t.csv:4: sku: S1 is already on line 2 of the same order");
  /* The same SKU in two orders is normal. */
  run(HEADER "A,new,2026-01-01 00:00:00,S1,1,1\nB,new,2026-01-01 00:00:00,S1,1,1\n", &r);
  ASSERT_EQ(r.rc, 0);
  done(&r);
  /* SKUs are compared exactly. */
  run(HEADER "A,new,2026-01-01 00:00:00,S1,1,1\nA,new,2026-01-01 00:00:00,s1,1,1\n", &r);
  ASSERT_EQ(r.rc, 0);
  ASSERT_EQ(cJSON_GetArraySize(field(order(&r, 0), "lines")), 2);
  done(&r);
  return TEST_OK;
}

TEST_IMPL(order_csv_split_order) {
  struct result r;

  run(HEADER "A,new,2026-01-01 00:00:00,S1,1,1\n"
             "B,new,2026-01-01 00:00:00,S1,1,1\n"
             "A,new,2026-01-01 00:00:00,S2,1,1\n"
             "A,new,2026-01-01 00:00:00,S3,1,1\n"
             "C,new,2026-01-01 00:00:00,S1,1,1\n"
             "A,new,2026-01-01 00:00:00,S4,1,1\n",
      &r);
  ASSERT_EQ(r.rc, -1);
  /* Once per separate group, at its first row. */
  ASSERT_EQ(r.errs.nlines, 2);
  ASSERT_STR_EQ(r.errs.lines[0], "t.csv:4: order_id: A is already on line 2: the rows of one "
                                 "order must be consecutive");
  ASSERT_STR_EQ(r.errs.lines[1], "t.csv:7: order_id: A is already on line 2: the rows of one "
                                 "order must be consecutive");
  done(&r);
  return TEST_OK;
}

TEST_IMPL(order_csv_disagreement) {
  struct result r;

  expect_error(HEADER "A,shipping,2026-01-01 00:00:00,S1,1,1\n"
                      "A,delivered,2026-01-01 00:00:00,S2,1,1\n",
               "t.csv:3: status: \"delivered\" differs from \"shipping\" on line 2 for the same "
               "order");
  expect_error(HEADER "A,new,2026-01-01 00:00:00,S1,1,1\n"
                      "A,new,2026-01-01 00:00:01,S2,1,1\n",
               "t.csv:3: updated_at: \"2026-01-01 00:00:01\" differs from \"2026-01-01 "
               "00:00:00\" on line 2 for the same order");
  /* The same moment written two ways agrees. */
  run(HEADER "A,new,2026-11-25 00:00:00,S1,1,1\nA,new,2026-11-24T17:00:00Z,S2,1,1\n", &r);
  ASSERT_EQ(r.rc, 0);
  ASSERT_EQ(number(order(&r, 0), "update_time"), 1795539600);
  done(&r);
  /* An invalid value is reported once, not again as a disagreement. */
  expect_error(HEADER "A,new,2026-01-01 00:00:00,S1,1,1\n"
                      "A,old,2026-01-01 00:00:00,S2,1,1\n",
               "t.csv:3: status: \"old\" is not one of new, confirmed, shipping, delivered, "
               "cancelled, returned");
  return TEST_OK;
}

TEST_IMPL(order_csv_columns) {
  struct result r;

  expect_error("order_id,status,updated_at,quantity,unit_price_vnd\n"
               "A,new,2026-01-01 00:00:00,1,1\n",
               "t.csv:1: missing column \"sku\"");
  expect_error("order_id,status,updated_at,sku,quantity,unit_price_vnd,note\n"
               "A,new,2026-01-01 00:00:00,S,1,1,hi\n",
               "t.csv:1: unknown column \"note\"");
  /* Both, and the rows are still checked when every column is there. */
  run("order_id,status,updated_at,sku,qty,unit_price_vnd,price\n"
      "A,new,2026-01-01 00:00:00,S,1,1,1\n",
      &r);
  ASSERT_EQ(r.rc, -1);
  ASSERT_EQ(r.errs.nlines, 3);
  ASSERT_STR_EQ(r.errs.lines[0], "t.csv:1: missing column \"quantity\"");
  ASSERT_STR_EQ(r.errs.lines[1], "t.csv:1: unknown column \"qty\"");
  ASSERT_STR_EQ(r.errs.lines[2], "t.csv:1: unknown column \"price\"");
  done(&r);
  run("order_id,status,updated_at,sku,quantity,unit_price_vnd,x\n"
      "A,new,2026-01-01 00:00:00,S,0,1,1\n",
      &r);
  ASSERT_EQ(r.errs.nlines, 2);
  ASSERT_STR_EQ(r.errs.lines[0], "t.csv:1: unknown column \"x\"");
  ASSERT_STR_EQ(r.errs.lines[1], "t.csv:2: quantity: 0 is below the minimum of 1");
  done(&r);
  /* The reader's own header checks. */
  expect_error("order_id,status,status\n", "t.csv:1: column \"status\" appears twice in the "
                                           "header (columns 2 and 3)");
  return TEST_OK;
}

TEST_IMPL(order_csv_empty_and_header_only) {
  expect_error("", "t.csv:1: the file is empty: the first line must name the columns");
  expect_error("\n\n", "t.csv:1: the file is empty: the first line must name the columns");
  expect_error(HEADER, "t.csv:1: no orders: the file has a header but no rows");
  expect_error(HEADER "\n\r\n", "t.csv:1: no orders: the file has a header but no rows");
  return TEST_OK;
}

TEST_IMPL(order_csv_many_errors) {
  struct result r;

  run(HEADER "A B,new,2026-01-01 00:00:00,S1,1,1\n"
             "C,paid,2026-02-30 00:00:00,S1,0,-3\n"
             "D,new,2026-01-01 00:00:00,,2.5,\n"
             "D,new,2026-01-01 00:00:00,S2,1,7\n"
             "E,new,2026-01-01 00:00:00,S2,1,7\n",
      &r);
  ASSERT_EQ(r.rc, -1);
  ASSERT_EQ(r.errs.total, 7);
  ASSERT_EQ(r.errs.nlines, 7);
  ASSERT_STR_EQ(r.errs.lines[0], "t.csv:2: order_id: \"A B\" is not an order id: 1 to 64 "
                                 "letters, digits, '_' or '-'");
  ASSERT_STR_EQ(r.errs.lines[1], "t.csv:3: status: \"paid\" is not one of new, confirmed, "
                                 "shipping, delivered, cancelled, returned");
  ASSERT_STR_EQ(r.errs.lines[2], "t.csv:3: updated_at: 2026-02-30 is not a day of the calendar");
  ASSERT_STR_EQ(r.errs.lines[3], "t.csv:3: quantity: 0 is below the minimum of 1");
  ASSERT_STR_EQ(r.errs.lines[4], "t.csv:3: unit_price_vnd: -3 is negative");
  ASSERT_STR_EQ(r.errs.lines[5], "t.csv:4: sku: must not be empty");
  ASSERT_STR_EQ(r.errs.lines[6], "t.csv:4: quantity: \"2.5\" must be a whole number of units "
                                 "without separators or decimals");
  done(&r);
  return TEST_OK;
}

TEST_IMPL(order_csv_error_cap) {
  size_t cap = 64 + 200 * 64, n, i;
  char *text = malloc(cap);
  struct result r;

  ASSERT_NOT_NULL(text);
  n = (size_t)snprintf(text, cap, HEADER);
  for (i = 0; i < 200; i++)
    n += (size_t)snprintf(text + n, cap - n, "O%zu,new,2026-01-01 00:00:00,S,0,1\n", i);
  run(text, &r);
  ASSERT_EQ(r.rc, -1);
  ASSERT_EQ(r.errs.total, 200);
  ASSERT_EQ(r.errs.nlines, OCSV_MAX_ERRORS + 1);
  ASSERT_STR_EQ(r.errs.lines[0], "t.csv:2: quantity: 0 is below the minimum of 1");
  ASSERT_STR_EQ(r.errs.lines[OCSV_MAX_ERRORS - 1],
                "t.csv:51: quantity: 0 is below the minimum of 1");
  ASSERT_STR_EQ(r.errs.lines[OCSV_MAX_ERRORS], "t.csv: … and 150 more problems");
  done(&r);
  free(text);
  return TEST_OK;
}

TEST_IMPL(order_csv_syntax_error) {
  struct result r;

  /* Rows before the broken one are checked too; the reader's message ends
   * the list. */
  run(HEADER "A,new,2026-01-01 00:00:00,S1,0,1\n"
             "B,new,2026-01-01 00:00:00,\"S1,1,1\n"
             "C,new,2026-01-01 00:00:00,S1,1,1\n",
      &r);
  ASSERT_EQ(r.rc, -1);
  ASSERT_EQ(r.errs.nlines, 2);
  ASSERT_STR_EQ(r.errs.lines[0], "t.csv:2: quantity: 0 is below the minimum of 1");
  ASSERT_STR_EQ(r.errs.lines[1], "t.csv:3: quoted field is not closed: a quote is missing");
  done(&r);
  expect_error(HEADER "A,new,2026-01-01 00:00:00,S\"1,1,1\n",
               "t.csv:2: quote inside an unquoted field: quote the whole field and double the "
               "quote");
  expect_error(HEADER "A,new,2026-01-01 00:00:00,\xff,1,1\n",
               "t.csv:2:27: invalid UTF-8 (byte 0xff): save the file as UTF-8");
  return TEST_OK;
}

TEST_IMPL(order_csv_field_count) {
  expect_error(HEADER "A,new,2026-01-01 00:00:00,S1,1\n",
               "t.csv:2: has 5 fields but the header has 6");
  expect_error(HEADER "A,new,2026-01-01 00:00:00,S1,1,1,\n",
               "t.csv:2: has 7 fields but the header has 6");
  return TEST_OK;
}

TEST_IMPL(order_csv_sku_rules) {
  struct result r;
  char row[256];

  /* Seller SKUs are taken as written, spaces and Vietnamese included. */
  run(HEADER "A,new,2026-01-01 00:00:00,Trà Shan tuyết 100g,1,1\n", &r);
  ASSERT_EQ(r.rc, 0);
  ASSERT_STR_EQ(str(line_of(order(&r, 0), 0), "sku"), "Trà Shan tuyết 100g");
  done(&r);
  expect_row_error("A,new,2026-01-01 00:00:00,\"S\t1\",1,1",
                   "t.csv:2: sku: has a control character at byte 2: a product code is plain "
                   "text");
  expect_row_error("A,new,2026-01-01 00:00:00,\"S\n1\",1,1",
                   "t.csv:2: sku: has a control character at byte 2: a product code is plain "
                   "text");
  expect_row_error("A,new,2026-01-01 00:00:00,\"S\xc2\x85\",1,1",
                   "t.csv:2: sku: has a control character at byte 2: a product code is plain "
                   "text");
  snprintf(row, sizeof row, "A,new,2026-01-01 00:00:00,%065d,1,1", 1);
  expect_row_error(row, "t.csv:2: sku: is 65 bytes long; at most 64 fit");
  /* A value quoted in a message never breaks the report's lines. */
  expect_row_error("\"A\nB\",new,2026-01-01 00:00:00,S,1,1",
                   "t.csv:2: order_id: \"A?B\" is not an order id: 1 to 64 letters, digits, "
                   "'_' or '-'");
  return TEST_OK;
}

TEST_IMPL(order_csv_total_limit) {
  struct result r;

  /* 9000 * 10^12 is 9.0e15, just under 2^53; one more dong passes it. */
  run(HEADER "A,new,2026-01-01 00:00:00,S1,9000,1000000000000\n"
             "A,new,2026-01-01 00:00:00,S2,7199,1000000000\n",
      &r);
  ASSERT_EQ(r.rc, 0);
  ASSERT_EQ(number(order(&r, 0), "total_vnd"), 9007199000000000LL);
  done(&r);
  expect_error(HEADER "A,new,2026-01-01 00:00:00,S1,9000,1000000000000\n"
                      "A,new,2026-01-01 00:00:00,S2,7200,1000000000\n"
                      "A,new,2026-01-01 00:00:00,S3,7200,1000000000\n",
               "t.csv:3: unit_price_vnd: brings the order's total over 9007199254740991 dong");
  return TEST_OK;
}

TEST_IMPL(order_csv_file_api) {
  static const char text[] = HEADER "A,confirmed,2026-01-01 00:00:00,S1,3,1000\n";
  char path[256], *json, *big, want[512];
  size_t njson;
  ocsv_errors errs;
  cJSON *doc;
  FILE *f;
  int fd;

  snprintf(path, sizeof path, "%s/test_order_csv_XXXXXX", test_tmpdir());
  fd = mkstemp(path);
  ASSERT(fd >= 0);
  ASSERT_EQ(write(fd, text, sizeof text - 1), (long long)(sizeof text - 1));
  close(fd);
  ASSERT_EQ(ocsv_parse_file(path, &json, &njson, &errs), 0);
  ASSERT_EQ(errs.nlines, 0);
  doc = cJSON_Parse(json);
  ASSERT_NOT_NULL(doc);
  ASSERT_EQ((long long)cJSON_GetObjectItemCaseSensitive(
                cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(doc, "orders"), 0),
                "total_vnd")->valuedouble,
            3000);
  cJSON_Delete(doc);
  free(json);

  /* Errors name the path. */
  f = fopen(path, "w");
  ASSERT_NOT_NULL(f);
  fputs(HEADER "A,new,2026-01-01 00:00:00,S1,0,1\n", f);
  fclose(f);
  ASSERT_EQ(ocsv_parse_file(path, &json, &njson, &errs), -1);
  ASSERT_NULL(json);
  snprintf(want, sizeof want, "%s:2: quantity: 0 is below the minimum of 1", path);
  ASSERT_EQ(errs.nlines, 1);
  ASSERT_STR_EQ(errs.lines[0], want);
  ocsv_errors_free(&errs);

  /* One byte over 16 MiB is refused before it is parsed. */
  big = malloc(OCSV_MAX_FILE + 1);
  ASSERT_NOT_NULL(big);
  memset(big, 'a', OCSV_MAX_FILE + 1);
  f = fopen(path, "w");
  ASSERT_NOT_NULL(f);
  ASSERT_EQ(fwrite(big, 1, OCSV_MAX_FILE + 1, f), OCSV_MAX_FILE + 1);
  fclose(f);
  ASSERT_EQ(ocsv_parse_file(path, &json, &njson, &errs), -1);
  snprintf(want, sizeof want, "%s: file is larger than 16 MiB: split it", path);
  ASSERT_EQ(errs.nlines, 1);
  ASSERT_STR_EQ(errs.lines[0], want);
  ocsv_errors_free(&errs);
  ASSERT_EQ(ocsv_parse("m.csv", big, OCSV_MAX_FILE + 1, &json, &njson, &errs), -1);
  ASSERT_STR_EQ(errs.lines[0], "m.csv: file is larger than 16 MiB: split it");
  ocsv_errors_free(&errs);
  free(big);

  unlink(path);
  ASSERT_EQ(ocsv_parse_file(path, &json, &njson, &errs), -1);
  snprintf(want, sizeof want, "%s: No such file or directory", path);
  ASSERT_EQ(errs.nlines, 1);
  ASSERT_STR_EQ(errs.lines[0], want);
  ocsv_errors_free(&errs);
  ASSERT_EQ(ocsv_parse_file("/tmp", &json, &njson, &errs), -1);
  ASSERT_STR_EQ(errs.lines[0], "/tmp: Is a directory");
  ocsv_errors_free(&errs);
  return TEST_OK;
}

/* Writes n rows, each its own order unless per_order > 1. */
static char *rows(size_t n, size_t per_order, size_t *len) {
  size_t cap = 64 + n * 48, at, i;
  char *text = malloc(cap);

  ASSERT_NOT_NULL(text);
  at = (size_t)snprintf(text, cap, HEADER);
  for (i = 0; i < n; i++)
    at += (size_t)snprintf(text + at, cap - at, "O%zu,new,2026-01-01 00:00:00,S%zu,1,1\n",
                           i / per_order, i % per_order);
  *len = at;
  return text;
}

TEST_IMPL(order_csv_row_limit) {
  struct result r;
  size_t len;
  char *text;

  /* At the limits: 100,000 rows in 20,000 orders. */
  text = rows(OCSV_MAX_ROWS, OCSV_MAX_ROWS / OCSV_MAX_ORDERS, &len);
  run_mem(text, len, &r);
  ASSERT_EQ(r.rc, 0);
  ASSERT_EQ(cJSON_GetArraySize(field(r.doc, "orders")), OCSV_MAX_ORDERS);
  done(&r);
  free(text);

  text = rows(OCSV_MAX_ROWS + 1, OCSV_MAX_ROWS / OCSV_MAX_ORDERS, &len);
  run_mem(text, len, &r);
  ASSERT_EQ(r.rc, -1);
  ASSERT_EQ(r.errs.nlines, 1);
  ASSERT_STR_EQ(r.errs.lines[0], "t.csv:100002: more than 100000 rows: split the file");
  done(&r);
  free(text);

  text = rows(OCSV_MAX_ORDERS + 1, 1, &len);
  run_mem(text, len, &r);
  ASSERT_EQ(r.rc, -1);
  ASSERT_EQ(r.errs.nlines, 1);
  ASSERT_STR_EQ(r.errs.lines[0], "t.csv:20002: more than 20000 orders: split the file");
  done(&r);
  free(text);
  return TEST_OK;
}
