/* status_page.c — see status_page.h. */
#include "status_page.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

#include "textbuf.h"

/* How a column's value is written. */
enum col_type {
  COL_TEXT,   /* short: a code, a date, a name of a few words; kept on one line */
  COL_WRAP,   /* long text that may wrap */
  COL_NUM,
  COL_VND,
  COL_DAYS,   /* days left: a week or less stands out */
  COL_SHOP_STATUS,
  COL_HOURS,
  COL_REASON
};

struct column {
  const char *key;   /* in the row's JSON object */
  const char *vi;    /* the heading, Vietnamese first */
  const char *en;
  enum col_type type;
};

static const char style[] =
    "body{font-family:'Noto Sans','DejaVu Sans',Arial,sans-serif;margin:0;background:#f4f6f5;"
    "color:#1c2b22;font-size:14px}"
    "header{background:#1f6f43;color:#fff;padding:18px 28px}"
    "header h1{margin:0;font-size:22px;font-weight:600}"
    "header p{margin:6px 0 0;opacity:.9}"
    "main{padding:16px 28px 40px}"
    ".cards{display:flex;flex-wrap:wrap;gap:12px;margin:4px 0 18px}"
    ".card{background:#fff;border:1px solid #d5ded8;border-radius:6px;padding:10px 16px;"
    "min-width:150px}"
    ".card b{display:block;font-size:24px;color:#1f6f43}"
    ".card.warn b{color:#b3261e}"
    "section{background:#fff;border:1px solid #d5ded8;border-radius:6px;margin:0 0 18px;"
    "padding:4px 16px 12px}"
    "h2{font-size:17px;margin:12px 0 8px;color:#1f6f43}"
    "h2 span,th span,.card span{font-weight:normal;color:#5a6b60}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{text-align:left;padding:5px 8px;border-bottom:1px solid #e3e9e5;vertical-align:top;"
    "white-space:nowrap}"
    "td.wrap,td.reason{white-space:normal}"
    "th{background:#eef3f0;font-size:13px}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    "td.reason{color:#8a1c14;max-width:520px;word-break:break-word}"
    ".bad{color:#b3261e;font-weight:600}.ok{color:#1f6f43}"
    "p.none{color:#5a6b60;font-style:italic}"
    "p.more{color:#5a6b60;margin:8px 0 0}"
    "footer{color:#5a6b60;padding:0 28px 24px;font-size:12px}";

/* ---- values ------------------------------------------------------------------ */

static const char *str(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

  return cJSON_IsString(v) ? v->valuestring : NULL;
}

static double num(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

  return cJSON_IsNumber(v) ? v->valuedouble : 0;
}

/* 1234567 → "1.234.567", as Vietnamese writes amounts. */
static void put_grouped(struct textbuf *b, double v) {
  char digits[32], out[48];
  int n, i, j = 0;

  n = snprintf(digits, sizeof digits, "%.0f", v < 0 ? -v : v);
  if (v < 0)
    out[j++] = '-';
  for (i = 0; i < n; i++) {
    if (i > 0 && (n - i) % 3 == 0)
      out[j++] = '.';
    out[j++] = digits[i];
  }
  out[j] = '\0';
  tb_puts(b, out);
}

static void put_shop_status(struct textbuf *b, const char *s) {
  if (s && strcmp(s, "active") == 0)
    tb_puts(b, "<span class=\"ok\">Đang hoạt động</span> <span>/ active</span>");
  else if (s && strcmp(s, "paused") == 0)
    tb_puts(b, "Tạm dừng <span>/ paused</span>");
  else if (s && strcmp(s, "needs_reauth") == 0)
    tb_puts(b, "<span class=\"bad\">Cần cấp quyền lại</span> <span>/ needs re-authorisation</span>");
  else
    tb_html(b, s ? s : "");
}

/* The hours an access token has left; none when the shop has no token. */
static void put_hours(struct textbuf *b, const cJSON *row) {
  const cJSON *h = cJSON_GetObjectItemCaseSensitive(row, "token_hours_left");

  if (!cJSON_IsNumber(h)) {
    tb_puts(b, "—");
    return;
  }
  if (h->valuedouble < 0)
    tb_puts(b, "<span class=\"bad\">đã hết hạn / expired</span>");
  else if (h->valuedouble < 24)
    tb_printf(b, "<span class=\"bad\">%.0f giờ / %.0f h</span>", h->valuedouble, h->valuedouble);
  else
    tb_printf(b, "%.0f ngày / %.0f days", h->valuedouble / 24, h->valuedouble / 24);
}

static void put_cell(struct textbuf *b, const cJSON *row, const struct column *c) {
  const char *s = str(row, c->key);
  static const char *const open[] = {"<td>",  "<td class=\"wrap\">", "<td class=\"n\">",
                                     "<td class=\"n\">", "<td class=\"n\">", "<td>",
                                     "<td>",  "<td class=\"reason\">"};

  tb_puts(b, open[c->type]);
  switch (c->type) {
  case COL_NUM: put_grouped(b, num(row, c->key)); break;
  case COL_VND: put_grouped(b, num(row, c->key)); tb_puts(b, " ₫"); break;
  case COL_DAYS:
    tb_printf(b, num(row, c->key) <= 7 ? "<span class=\"bad\">%.0f</span>" : "%.0f",
              num(row, c->key));
    break;
  case COL_SHOP_STATUS: put_shop_status(b, s); break;
  case COL_HOURS: put_hours(b, row); break;
  default: tb_html(b, s ? s : "—"); break;
  }
  tb_puts(b, "</td>");
}

/* ---- tables --------------------------------------------------------------------- */

static void put_heading(struct textbuf *b, const struct column *cols) {
  const struct column *c;

  tb_puts(b, "<table><thead><tr>");
  for (c = cols; c->key; c++)
    tb_printf(b, "<th%s>%s<br><span>%s</span></th>",
              c->type == COL_NUM || c->type == COL_VND || c->type == COL_DAYS ? " class=\"n\"" : "",
              c->vi, c->en);
  tb_puts(b, "</tr></thead><tbody>");
}

/* Rows of arr (those keep() accepts; NULL: all) under cols; the note of
 * how many more the database holds when the limit cut the table. */
static void put_table(struct textbuf *b, const cJSON *arr, const struct column *cols,
                      double total, int (*keep)(const cJSON *row)) {
  const cJSON *row;
  const struct column *c;
  int shown = 0;

  cJSON_ArrayForEach(row, arr) {
    if (keep && !keep(row))
      continue;
    if (shown++ == 0)
      put_heading(b, cols);
    tb_puts(b, "<tr>");
    for (c = cols; c->key; c++)
      put_cell(b, row, c);
    tb_puts(b, "</tr>");
  }
  if (shown == 0) {
    tb_puts(b, "<p class=\"none\">Không có <span>/ none</span></p>");
    return;
  }
  tb_puts(b, "</tbody></table>");
  if (!keep && total > cJSON_GetArraySize(arr))
    tb_printf(b,
              "<p class=\"more\">… và %.0f dòng nữa không hiển thị / and %.0f more rows not "
              "shown</p>",
              total - cJSON_GetArraySize(arr), total - cJSON_GetArraySize(arr));
}

static void section(struct textbuf *b, const char *id, const char *vi, const char *en) {
  tb_printf(b, "<section id=\"%s\"><h2>%s <span>/ %s</span></h2>", id, vi, en);
}

static const struct column shop_cols[] = {
    {"name", "Gian hàng", "Shop", COL_TEXT},
    {"marketplace", "Sàn", "Marketplace", COL_TEXT},
    {"status", "Trạng thái", "State", COL_SHOP_STATUS},
    {"listed", "Đang bán", "Listed", COL_NUM},
    {"new", "Chưa đăng", "Not yet listed", COL_NUM},
    {"delisted", "Đã gỡ", "Delisted", COL_NUM},
    {"problems", "Bị giữ lại", "Held back", COL_NUM},
    {"dead", "Việc thất bại", "Dead jobs", COL_NUM},
    {"orders_today", "Đơn hôm nay", "Orders today", COL_NUM},
    {NULL, NULL, NULL, COL_TEXT}};

static const struct column problem_cols[] = {
    {"shop", "Gian hàng", "Shop", COL_TEXT},
    {"code", "Mã sản phẩm", "Product code", COL_TEXT},
    {"name", "Tên sản phẩm", "Product", COL_WRAP},
    {"kind", "Loại", "Kind", COL_TEXT},
    {"problem", "Lý do", "Reason", COL_REASON},
    {"since", "Từ lúc", "Since", COL_TEXT},
    {NULL, NULL, NULL, COL_TEXT}};

static const struct column dead_cols[] = {
    {"id", "Việc", "Job", COL_NUM},
    {"shop", "Gian hàng", "Shop", COL_TEXT},
    {"code", "Mã sản phẩm", "Product code", COL_TEXT},
    {"kind", "Loại việc", "Kind", COL_TEXT},
    {"attempts", "Số lần thử", "Attempts", COL_NUM},
    {"error", "Lý do", "Reason", COL_REASON},
    {"at", "Lúc", "At", COL_TEXT},
    {NULL, NULL, NULL, COL_TEXT}};

static const struct column expiring_cols[] = {
    {"code", "Mã sản phẩm", "Product code", COL_TEXT},
    {"name", "Tên sản phẩm", "Product", COL_WRAP},
    {"producer", "Chủ thể sản xuất", "Producer", COL_WRAP},
    {"decision_no", "Quyết định", "Decision", COL_TEXT},
    {"valid_until", "Hiệu lực đến", "Valid until", COL_TEXT},
    {"days_left", "Còn (ngày)", "Days left", COL_DAYS},
    {NULL, NULL, NULL, COL_TEXT}};

static const struct column order_cols[] = {
    {"name", "Gian hàng", "Shop", COL_TEXT},
    {"marketplace", "Sàn", "Marketplace", COL_TEXT},
    {"orders_today", "Số đơn", "Orders", COL_NUM},
    {"orders_today_vnd", "Giá trị", "Value", COL_VND},
    {NULL, NULL, NULL, COL_TEXT}};

static const struct column token_cols[] = {
    {"name", "Gian hàng", "Shop", COL_TEXT},
    {"marketplace", "Sàn", "Marketplace", COL_TEXT},
    {"status", "Trạng thái", "State", COL_SHOP_STATUS},
    {"token_expires", "Token truy cập hết hạn", "Access token expires", COL_TEXT},
    {"token_hours_left", "Còn lại", "Left", COL_HOURS},
    {"refresh_expires", "Token làm mới hết hạn", "Refresh token expires", COL_TEXT},
    {NULL, NULL, NULL, COL_TEXT}};

static int has_orders(const cJSON *row) { return num(row, "orders_today") > 0; }

/* ---- the page --------------------------------------------------------------------- */

static void put_card(struct textbuf *b, double v, const char *vi, const char *en, int warn) {
  tb_printf(b, "<div class=\"card%s\"><b>", warn && v > 0 ? " warn" : "");
  put_grouped(b, v);
  tb_printf(b, "</b>%s<br><span>%s</span></div>", vi, en);
}

static double sum_of(const cJSON *arr, const char *key) {
  const cJSON *row;
  double s = 0;

  cJSON_ArrayForEach(row, arr) s += num(row, key);
  return s;
}

static void put_head(struct textbuf *b, const cJSON *doc) {
  const char *today = str(doc, "today"), *at = str(doc, "generated_at");

  tb_puts(b, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
             "<meta name=\"viewport\" content=\"width=device-width\">"
             "<title>ocopd — Tình trạng / Status</title><style>");
  tb_puts(b, style);
  tb_puts(b, "</style></head><body><header><h1>Tình trạng đưa sản phẩm OCOP lên sàn "
             "<span>/ OCOP marketplace status</span></h1><p>Ngày OCOP / OCOP date: <b>");
  tb_html(b, today ? today : "?");
  tb_puts(b, "</b> · Cập nhật lúc / As of: ");
  tb_html(b, at ? at : "?");
  tb_puts(b, " (giờ Việt Nam / Vietnam time)</p></header><main>");
}

static void put_cards(struct textbuf *b, const cJSON *doc) {
  const cJSON *shops = cJSON_GetObjectItemCaseSensitive(doc, "shops");

  tb_puts(b, "<div class=\"cards\">");
  put_card(b, num(doc, "shops_total"), "Gian hàng", "Shops", 0);
  put_card(b, sum_of(shops, "listed"), "Sản phẩm đang bán", "Listings live", 0);
  put_card(b, num(doc, "problems_total"), "Bị giữ lại", "Held back", 1);
  put_card(b, num(doc, "dead_total"), "Việc thất bại", "Dead jobs", 1);
  put_card(b, num(doc, "expiring_total"), "Sắp hết hạn chứng nhận", "Expiring within 60 days", 1);
  put_card(b, num(doc, "orders_total"), "Đơn hàng hôm nay", "Orders today", 0);
  tb_puts(b, "</div>");
}

static void put_sections(struct textbuf *b, const cJSON *doc) {
  const cJSON *shops = cJSON_GetObjectItemCaseSensitive(doc, "shops");

  section(b, "listings", "Sản phẩm theo gian hàng và trạng thái", "Listings per shop and state");
  put_table(b, shops, shop_cols, num(doc, "shops_total"), NULL);
  tb_puts(b, "</section>");
  section(b, "problems", "Sản phẩm bị giữ lại và lý do", "Listing problems and their reasons");
  put_table(b, cJSON_GetObjectItemCaseSensitive(doc, "problems"), problem_cols,
            num(doc, "problems_total"), NULL);
  tb_puts(b, "</section>");
  section(b, "dead", "Việc đồng bộ thất bại và lý do", "Dead jobs and their reasons");
  put_table(b, cJSON_GetObjectItemCaseSensitive(doc, "dead"), dead_cols, num(doc, "dead_total"),
            NULL);
  tb_puts(b, "</section>");
  section(b, "expiring", "Sản phẩm sắp hết hạn chứng nhận (trong 60 ngày)",
          "Certificates expiring soon (within 60 days)");
  put_table(b, cJSON_GetObjectItemCaseSensitive(doc, "expiring"), expiring_cols,
            num(doc, "expiring_total"), NULL);
  tb_puts(b, "</section>");
  section(b, "orders", "Đơn hàng hôm nay", "Orders today");
  put_table(b, shops, order_cols, 0, has_orders);
  tb_puts(b, "</section>");
  section(b, "tokens", "Hạn token của gian hàng", "Shop token expiry");
  put_table(b, shops, token_cols, num(doc, "shops_total"), NULL);
  tb_puts(b, "</section>");
}

char *status_page_render(const char *json, size_t *len) {
  cJSON *doc = cJSON_Parse(json);
  struct textbuf b;
  char *page = NULL;

  if (!cJSON_IsObject(doc))
    goto out;
  tb_init(&b);
  put_head(&b, doc);
  put_cards(&b, doc);
  put_sections(&b, doc);
  tb_printf(&b, "</main><footer>ocopd · chỉ đọc / read-only · tối đa %.0f dòng mỗi bảng / at "
                "most %.0f rows per table</footer></body></html>\n",
            num(doc, "limit"), num(doc, "limit"));
  page = tb_take(&b, len);
out:
  cJSON_Delete(doc);
  return page;
}

char *status_page_error(const char *why, size_t *len) {
  struct textbuf b;

  tb_init(&b);
  tb_puts(&b, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
              "<title>ocopd — Tình trạng / Status</title></head><body>"
              "<h1>Không đọc được cơ sở dữ liệu / The database did not answer</h1><p>");
  tb_html(&b, why);
  tb_puts(&b, "</p></body></html>\n");
  return tb_take(&b, len);
}
