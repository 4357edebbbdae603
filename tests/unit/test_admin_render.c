/*
 * test_admin_render.c — what the admin endpoint writes, without a server:
 * /metrics' escaping and histograms (daemon/metrics.c) and /status'
 * escaping and row-limit note (daemon/status_page.c). The endpoint itself,
 * with Prometheus' parser and a browser, is tests/itest/test_admin.c.
 */
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "runner.h"
#include "status_page.h"
#include "textbuf.h"

TEST_IMPL(metrics_escape_labels_and_build_histograms) {
  size_t len;
  char *text;

  metrics_start();
  metrics_job("a\"b\\c\nd", "stock", "ok", 300);
  metrics_job("s1", "stock", "ok", 70000);
  metrics_job("s1", "stock", "defer", 1); /* nothing tried: not counted */
  metrics_db_state("main", 1);
  metrics_db_state("main", 0);
  metrics_db_state("main", 1);
  text = metrics_render(NULL, &len);
  ASSERT_NOT_NULL(text);
  ASSERT_EQ(strlen(text), len);
  ASSERT_NOT_NULL(strstr(text, "ocopd_stock_pushes_total{shop=\"a\\\"b\\\\c\\nd\",outcome=\"ok\"} 1\n"));
  ASSERT_NOT_NULL(strstr(text, "ocopd_stock_pushes_total{shop=\"s1\",outcome=\"ok\"} 1\n"));
  ASSERT_NOT_NULL(strstr(text, "# TYPE ocopd_job_duration_seconds histogram\n"));
  ASSERT_NOT_NULL(strstr(text, "ocopd_job_duration_seconds_bucket{kind=\"stock\",le=\"0.25\"} 0\n"));
  ASSERT_NOT_NULL(strstr(text, "ocopd_job_duration_seconds_bucket{kind=\"stock\",le=\"0.5\"} 1\n"));
  ASSERT_NOT_NULL(strstr(text, "ocopd_job_duration_seconds_bucket{kind=\"stock\",le=\"60\"} 1\n"));
  ASSERT_NOT_NULL(strstr(text, "ocopd_job_duration_seconds_bucket{kind=\"stock\",le=\"120\"} 2\n"));
  ASSERT_NOT_NULL(strstr(text, "ocopd_job_duration_seconds_bucket{kind=\"stock\",le=\"+Inf\"} 2\n"));
  ASSERT_NOT_NULL(strstr(text, "ocopd_job_duration_seconds_sum{kind=\"stock\"} 70.3\n"));
  ASSERT_NOT_NULL(strstr(text, "ocopd_job_duration_seconds_count{kind=\"stock\"} 2\n"));
  ASSERT_NOT_NULL(strstr(text, "ocopd_db_reconnects_total{conn=\"main\"} 1\n"));
  ASSERT_NOT_NULL(strstr(text, "ocopd_db_up{conn=\"main\"} 1\n"));
  ASSERT_NOT_NULL(strstr(text, "# TYPE ocopd_jobs gauge\n"));
  ASSERT_NOT_NULL(strstr(text, "ocopd_db_scrape_ok 0\n"));
  ASSERT(text[len - 1] == '\n');
  free(text);
  metrics_free();
  return 0;
}

TEST_IMPL(status_page_escapes_and_says_what_it_leaves_out) {
  const char *doc =
      "{\"today\": \"2026-11-25\", \"generated_at\": \"2026-11-25 09:00\", \"limit\": 1,"
      " \"shops\": [{\"name\": \"hq\", \"marketplace\": \"shopee\", \"status\": \"needs_reauth\","
      " \"listed\": 1234, \"orders_today\": 2, \"orders_today_vnd\": 1500000}], \"shops_total\": 1,"
      " \"problems\": [{\"shop\": \"hq\", \"code\": \"X-1\", \"name\": \"<script>alert(1)</script>\","
      " \"kind\": \"content\", \"problem\": \"needs \\\"Brand\\\" & more\", \"since\": \"-\"}],"
      " \"problems_total\": 3, \"dead\": [], \"dead_total\": 0, \"expiring\": [],"
      " \"expiring_total\": 0, \"orders_total\": 2}";
  size_t len;
  char *page = status_page_render(doc, &len);

  ASSERT_NOT_NULL(page);
  ASSERT_EQ(strlen(page), len);
  ASSERT_NULL(strstr(page, "<script"));
  ASSERT_NOT_NULL(strstr(page, "&lt;script&gt;alert(1)&lt;/script&gt;"));
  ASSERT_NOT_NULL(strstr(page, "needs &quot;Brand&quot; &amp; more"));
  ASSERT_NOT_NULL(strstr(page, "và 2 dòng nữa không hiển thị / and 2 more rows not shown"));
  ASSERT_NOT_NULL(strstr(page, "<td class=\"n\">1.234</td>"));
  ASSERT_NOT_NULL(strstr(page, "<td class=\"n\">1.500.000 ₫</td>"));
  ASSERT_NOT_NULL(strstr(page, "Cần cấp quyền lại"));
  ASSERT_NOT_NULL(strstr(page, "<meta charset=\"utf-8\">"));
  free(page);
  ASSERT_NULL(status_page_render("not json", &len));
  page = status_page_error("<db> down", &len);
  ASSERT_NOT_NULL(strstr(page, "&lt;db&gt; down"));
  free(page);
  return 0;
}

TEST_IMPL(textbuf_html_and_printf) {
  struct textbuf b;
  size_t len;
  char *s;

  tb_init(&b);
  tb_html(&b, "a<b>&'\"z");
  tb_printf(&b, "|%d|%s", 42, "x");
  s = tb_take(&b, &len);
  ASSERT_STR_EQ(s, "a&lt;b&gt;&amp;&#39;&quot;z|42|x");
  ASSERT_EQ(len, strlen(s));
  free(s);
  return 0;
}
