/* fuzz_conn.c — see fuzz_conn.h. */
#include "fuzz_conn.h"

#include "fuzz.h"

#include "../../connectors/common/hmac.h"
#include "order_doc.h"
#include "utf8.h"

/* Statuses a marketplace answers with, and 0: no answer at all. */
static const long fzc_statuses[] = {200, 200, 200, 200, 400, 401, 403, 404,
                                    408, 429, 500, 502, 503, 504, 0,   299};
#define FZC_NSTATUS (sizeof fzc_statuses / sizeof fzc_statuses[0])

/* What a category's earlier steps made (connector.h's form). */
#define FZC_RULES                                                              \
  "{\"leaf\":true,\"brand_required\":false,\"dimensions_required\":false,"     \
  "\"no_brand\":null,\"brands\":[],\"attrs\":[],\"certifications\":[]}"

#define FZC_NOW_MS 1710000000123LL

/* One input, split as fuzz_conn.h says. */
typedef struct fzc_input {
  int mode;
  long status;
  unsigned shape;
  const char *body; /* not NUL-terminated, as the core hands it over */
  size_t len;
} fzc_input;

/* A text field of a result: NUL-terminated within its size, and UTF-8, as
 * the database takes only UTF-8 (the core stores ids, errors, tokens). */
#define fzc_text(field)                                                        \
  do {                                                                         \
    fz_assert(fz_terminated((field), sizeof(field)));                          \
    if (!utf8_valid((field), strlen(field), NULL)) {                           \
      fprintf(stderr, "%s: %s\n", #field, (field));                            \
      fz_fail("a result's text is not UTF-8");                                 \
    }                                                                          \
  } while (0)

static void fzc_check_verdict(const oc_verdict *v) {
  fz_assert(v->status >= OC_OK && v->status <= OC_EXISTS);
  fz_assert(v->retry_after_ms >= 0);
  fzc_text(v->error);
  fzc_text(v->request_id);
  fz_assert(v->status == OC_OK || v->error[0] != '\0');
}

/* ---- the listing ----------------------------------------------------------- */

typedef struct fzc_item {
  oc_listing l;
  oc_variant v[FZC_VARIANTS];
} fzc_item;

static void fzc_make_listing(const fzc_fixture *fx, unsigned shape, fzc_item *out) {
  size_t i, n = (shape & FZC_SHAPE_VARIANTS) >> 1;

  memset(out, 0, sizeof *out);
  n = n % FZC_VARIANTS + 1;
  for (i = 0; i < n; i++) {
    out->v[i].sku = fx->skus[i];
    out->v[i].label = n > 1 ? fx->skus[i] : "";
    out->v[i].price_vnd = 75000;
    out->v[i].stock = 25;
    out->v[i].weight_g = 250;
    out->v[i].remote_id = (shape & FZC_SHAPE_REMOTE) ? fx->remote_ids[i] : NULL;
  }
  if ((shape & FZC_SHAPE_REMOVED) && n > 1) {
    out->v[n - 1].removed = 1;
    out->v[n - 1].remote_id = fx->remote_ids[n - 1];
  }
  out->l.sku = fx->skus[0];
  out->l.name = "Trà xanh Thái Nguyên";
  out->l.description = "Trà búp khô, gói 200 g.";
  out->l.category = "I.3.c";
  out->l.unit = "gói";
  out->l.stars = 4;
  out->l.certificate_no = "3981/QĐ-UBND";
  out->l.item_id = (shape & FZC_SHAPE_NO_ITEM) ? NULL : fx->item_id;
  out->l.variants = out->v;
  out->l.nvariants = n;
  out->l.category_id = fx->category_id;
}

static void fzc_parse_listing(const fzc_fixture *fx, const fzc_input *in) {
  static const oc_op ops[] = {OC_OP_PUBLISH,   OC_OP_UPDATE,     OC_OP_SET_STOCK,
                              OC_OP_SET_PRICE, OC_OP_DELIST,     OC_OP_RELIST,
                              OC_OP_LOOKUP_SKU, OC_OP_GET_LISTING, OC_OP_VARIANTS};
  fzc_item fl;
  oc_listing_result res;
  size_t i;

  fzc_make_listing(fx, in->shape, &fl);
  memset(&res, 0x5a, sizeof res); /* the parse must set every field */
  oc_parse_listing(fx->conn, ops[in->mode - FZC_LISTING_FIRST], &fx->shop, &fl.l, in->status,
                   in->body, in->len, &res);
  fzc_check_verdict(&res.v);
  fzc_text(res.item_id);
  fzc_text(res.memo);
  fz_assert(res.nvariants <= OC_MAX_VARIANTS);
  fz_assert(res.content == 0 || res.content == 1);
  for (i = 0; i < res.nvariants; i++) {
    fzc_text(res.variants[i].sku);
    fzc_text(res.variants[i].remote_id);
  }
}

/* ---- tokens, images, categories --------------------------------------------- */

static void fzc_token(const fzc_fixture *fx, const fzc_input *in) {
  oc_token_result res;
  oc_op op = in->mode == FZC_REFRESH_TOKEN ? OC_OP_REFRESH_TOKEN : OC_OP_TOKEN_EXCHANGE;

  memset(&res, 0x5a, sizeof res);
  oc_parse_token(fx->conn, op, &fx->shop, in->status, in->body, in->len, &res);
  fzc_check_verdict(&res.v);
  fzc_text(res.access_token);
  fzc_text(res.refresh_token);
  fz_assert(res.v.status != OC_OK || res.access_token[0] != '\0');
}

static void fzc_upload(const fzc_fixture *fx, const fzc_input *in) {
  static const unsigned char pixel[] = {0xff, 0xd8, 0xff, 0xd9};
  oc_upload up = {pixel, sizeof pixel, "OCP-BKN-001-1.jpg", "image/jpeg", 800, 800, 0};
  oc_upload_result res;

  up.certificate = (in->shape & FZC_SHAPE_CERT) != 0;
  memset(&res, 0x5a, sizeof res);
  oc_parse_upload(fx->conn, &fx->shop, &up, in->status, in->body, in->len, &res);
  fzc_check_verdict(&res.v);
  fzc_text(res.remote_id);
  fzc_text(res.url);
  fz_assert(res.v.status != OC_OK || res.remote_id[0] != '\0' || res.url[0] != '\0');
}

static void fzc_category(const fzc_fixture *fx, const fzc_input *in) {
  oc_category_query q;
  oc_category_result res;

  q.category_id = fx->category_id;
  q.step = (int)((in->shape & FZC_SHAPE_STEP) >> 5);
  q.rules = q.step ? FZC_RULES : "";
  memset(&res, 0, sizeof res); /* as lib/call.c hands it over, which frees rules */
  oc_parse_category(fx->conn, &fx->shop, &q, in->status, in->body, in->len, &res);
  fzc_check_verdict(&res.v);
  fz_assert(res.more == 0 || res.more == 1);
  if (res.v.status == OC_OK)
    fz_assert(res.rules != NULL && utf8_valid(res.rules, strlen(res.rules), NULL));
  free(res.rules);
}

/* ---- orders ------------------------------------------------------------------ */

static void fzc_list_orders(const fzc_fixture *fx, const fzc_input *in) {
  oc_order_query q;
  oc_order_page p;
  size_t i;

  memset(&q, 0, sizeof q);
  q.from_s = 1709000000;
  q.to_s = 1710000000;
  q.page = (in->shape & 1) ? "cursor-2" : "";
  memset(&p, 0x5a, sizeof p);
  oc_parse_order_page(fx->conn, &fx->shop, &q, in->status, in->body, in->len, &p);
  fzc_check_verdict(&p.v);
  fzc_text(p.next);
  if (p.v.status != OC_OK)
    fz_assert(p.ids == NULL && p.nids == 0);
  fz_assert(p.nids == 0 || p.ids != NULL);
  for (i = 0; i < p.nids; i++) {
    fz_assert(p.ids[i][0] != '\0');
    fzc_text(p.ids[i]);
  }
  oc_order_page_free(&p);
}

static void fzc_check_order(const oc_order *o) {
  size_t i;

  fzc_text(o->id);
  fz_assert(o->id[0] != '\0');
  fzc_text(o->status);
  fz_assert(o->effect >= OC_EFFECT_RESERVED && o->effect <= OC_EFFECT_RETURNED);
  fz_assert(o->nlines > 0 && o->lines != NULL);
  fz_assert(o->total_vnd >= -1);
  for (i = 0; i < o->nlines; i++) {
    fzc_text(o->lines[i].sku);
    fz_assert(o->lines[i].qty >= 1 && o->lines[i].unit_price_vnd >= -1);
  }
}

/* What the core does next with a batch: the document for the database,
 * which takes only UTF-8. */
static void fzc_check_batch(const oc_order_batch *b) {
  char *doc;
  size_t i;

  fz_assert(b->norders == 0 || b->orders != NULL);
  fz_assert(b->nbad == 0 || b->bad != NULL);
  for (i = 0; i < b->norders; i++)
    fzc_check_order(&b->orders[i]);
  for (i = 0; i < b->nbad; i++) {
    fzc_text(b->bad[i].id);
    fzc_text(b->bad[i].error);
  }
  doc = order_doc_json(b);
  fz_assert(doc != NULL);
  if (!utf8_valid(doc, strlen(doc), NULL)) {
    fprintf(stderr, "document: %s\n", doc);
    fz_fail("the order document is not UTF-8");
  }
  free(doc);
}

/* The ids asked for: the body's first line, split at spaces. */
static size_t fzc_ids(fzc_input *in, char *line, const char **ids) {
  const char *nl = memchr(in->body, '\n', in->len);
  size_t n = nl ? (size_t)(nl - in->body) : 0, k = 0;
  char *save = NULL, *tok;

  memcpy(line, in->body, n);
  line[n] = '\0';
  if (nl) {
    in->body += n + 1;
    in->len -= n + 1;
  }
  for (tok = strtok_r(line, " ", &save); tok && k < OC_MAX_ORDER_IDS;
       tok = strtok_r(NULL, " ", &save))
    ids[k++] = tok;
  return k;
}

static int fzc_build_orders_ok(const fzc_fixture *fx, const oc_order_query *q) {
  oc_request req;
  char err[256];
  int ok;

  memset(&req, 0, sizeof req);
  ok = oc_build_orders(fx->conn, OC_OP_GET_ORDERS, &fx->shop, q, FZC_NOW_MS, &req, err,
                       sizeof err) == 0;
  oc_request_free(&req);
  return ok;
}

static void fzc_get_orders(const fzc_fixture *fx, fzc_input *in) {
  const char *ids[OC_MAX_ORDER_IDS];
  char *line = malloc(in->len + 1);
  oc_order_query q;
  oc_order_batch b;

  if (!line)
    abort();
  memset(&q, 0, sizeof q);
  q.nids = fzc_ids(in, line, ids);
  q.ids = q.nids ? ids : NULL;
  /* The core asks only for ids the build takes (they came from a
   * LIST_ORDERS answer, through the database). */
  if (!fzc_build_orders_ok(fx, &q)) {
    free(line);
    return;
  }
  memset(&b, 0x5a, sizeof b);
  oc_parse_order_batch(fx->conn, &fx->shop, &q, in->status, in->body, in->len, &b);
  fzc_check_verdict(&b.v);
  if (b.v.status != OC_OK)
    fz_assert(b.orders == NULL && b.bad == NULL && b.norders == 0 && b.nbad == 0);
  else
    fzc_check_batch(&b);
  oc_order_batch_free(&b);
  free(line);
}

/* ---- pushes ------------------------------------------------------------------- */

#define FZC_CALLBACK "https://ocop.example.vn/hooks/"

/* The signature the marketplace sends: HMAC-SHA256 in lowercase hex of
 * "callback_url|body" (Shopee) or of app_key and the body (the others). */
static void fzc_sign(const fzc_fixture *fx, const char *url, const char *body, size_t len,
                     char out[65]) {
  const char *head = fx->signs_url ? url : fx->shop.app_key;
  size_t hn = strlen(head) + (fx->signs_url ? 1 : 0);
  char *msg = malloc(hn + len + 1);

  if (!msg)
    abort();
  memcpy(msg, head, strlen(head));
  if (fx->signs_url)
    msg[hn - 1] = '|';
  if (len)
    memcpy(msg + hn, body, len);
  if (ocu_hmac_sha256_hex(fx->shop.app_secret, strlen(fx->shop.app_secret), msg, hn + len,
                          OCU_HEX_LOWER, out) != 0)
    fz_fail("cannot sign");
  free(msg);
}

static void fzc_push(const fzc_fixture *fx, fzc_input *in) {
  char url[128], sig[65], *auth;
  oc_push out;
  int rc;

  snprintf(url, sizeof url, "%s%s", FZC_CALLBACK, fx->conn->name);
  if (in->mode == FZC_PUSH_SIGNED) {
    fzc_sign(fx, url, in->body, in->len, sig);
    auth = strdup(sig);
  } else {
    const char *nl = memchr(in->body, '\n', in->len);
    size_t n = nl ? (size_t)(nl - in->body) : in->len;

    auth = fz_strndup((const uint8_t *)in->body, n);
    in->body += nl ? n + 1 : n;
    in->len -= nl ? n + 1 : n;
  }
  if (!auth)
    abort();
  memset(&out, 0x5a, sizeof out);
  rc = oc_verify_push(fx->conn, &fx->shop, url, auth, in->body, in->len, &out);
  fz_assert(fz_terminated(out.error, sizeof out.error));
  if (utf8_valid(in->body, in->len, NULL)) { /* the endpoint refuses any other */
    fzc_text(out.error);
    fzc_text(out.shop_id);
    fzc_text(out.order_id);
  }
  fz_assert(rc == 0 || (rc == -1 && out.error[0] != '\0'));
  if (rc != 0)
    fz_assert(out.order_id[0] == '\0' && out.shop_id[0] == '\0');
  free(auth);
}

int fzc_run(const fzc_fixture *fx, const uint8_t *data, size_t size) {
  fzc_input in;

  if (size < 3)
    return 0;
  in.mode = data[0] % FZC_NMODES;
  in.status = fzc_statuses[data[1] % FZC_NSTATUS];
  in.shape = data[2];
  in.body = (const char *)data + 3;
  in.len = size - 3;
  if (in.mode < FZC_REFRESH_TOKEN)
    fzc_parse_listing(fx, &in);
  else if (in.mode <= FZC_TOKEN_EXCHANGE)
    fzc_token(fx, &in);
  else if (in.mode == FZC_LIST_ORDERS)
    fzc_list_orders(fx, &in);
  else if (in.mode == FZC_GET_ORDERS)
    fzc_get_orders(fx, &in);
  else if (in.mode == FZC_UPLOAD_IMAGE)
    fzc_upload(fx, &in);
  else if (in.mode == FZC_CATEGORY)
    fzc_category(fx, &in);
  else
    fzc_push(fx, &in);
  return 0;
}
