/*
 * ops.h — operation tables, and the build/parse dispatch every connector
 * shares (prefix ocu_).
 *
 * A connector describes itself as data: an ocu_market with one ocu_opdef
 * per operation (HTTP method, path, what the listing must hold, the body
 * builder, the result reader) and a few hooks for what differs between
 * marketplaces (shop checks, signing, the answer envelope). The functions
 * below do what is the same everywhere: the family and capability check,
 * clearing the request and the result, validation (common/validate.h),
 * the clock, "no response", freeing what a failed order parse built. The
 * bytes on the wire are the hooks' alone.
 */
#ifndef OCOP_CONN_OPS_H
#define OCOP_CONN_OPS_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "../connector.h"
#include "validate.h"

/* The signatures of the hooks, to declare them in a connector's header in
 * one line each: OCU_READ_FN(sp_read_publish); */
#define OCU_BODY_FN(name)                                                             \
  int name(oc_op op, const oc_shop *shop, const oc_listing *l, char **text, char *err, \
           size_t errlen)
#define OCU_READ_FN(name)                                                                \
  void name(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *data,       \
            oc_listing_result *res)
#define OCU_PAYLOAD_FN(name) \
  const cJSON *name(oc_op op, const oc_shop *shop, const cJSON *root, int flags, oc_verdict *v)
#define OCU_CHECK_SHOP_FN(name) \
  int name(oc_op op, const struct ocu_opdef *d, const oc_shop *shop, char *err, size_t errlen)
#define OCU_EMIT_FN(name)                                                                 \
  int name(oc_op op, const struct ocu_opdef *d, const oc_shop *shop, const oc_listing *l, \
           int64_t now_ms, oc_request *req, char *err, size_t errlen)
#define OCU_EMIT_ORDERS_FN(name)                                                 \
  int name(oc_op op, const struct ocu_opdef *d, const oc_shop *shop,             \
           const oc_order_query *q, int64_t now_ms, oc_request *req, char *err, \
           size_t errlen)
#define OCU_ENVELOPE_FN(name)                                                              \
  cJSON *name(oc_op op, const oc_shop *shop, long http_status, const char *body, size_t len, \
              oc_verdict *v, int *flags)
#define OCU_TOKEN_FN(name) void name(const oc_shop *shop, const cJSON *root, oc_token_result *res)
#define OCU_PAGE_FN(name)                                                            \
  int name(const oc_shop *shop, const oc_order_query *q, const cJSON *root,          \
           oc_order_page *res)
#define OCU_BATCH_FN(name)                                                           \
  int name(const oc_shop *shop, const oc_order_query *q, const cJSON *root,          \
           oc_order_batch *res)
#define OCU_PUSH_FN(name)                                                                 \
  int name(const oc_shop *shop, const char *callback_url, const char *authorization,     \
           const char *body, size_t len, oc_push *out)

struct ocu_opdef;

/* An envelope's flag (the `flags` of OCU_ENVELOPE_FN, next to the market's
 * own): the refusal is about the listing's content. ocu_parse_listing
 * turns it into oc_listing_result.content for PUBLISH and UPDATE. */
#define OCU_CONTENT_REFUSED 0x100

/* The request body (or Lazada's payload parameter) for one operation, as
 * malloc'd text. 0, or -1 with err set. */
typedef OCU_BODY_FN((*ocu_body_fn));

/* Reads a listing operation's answer into res: `data` is the part the
 * market's payload hook picked from a success envelope (Shopee's
 * "response", Lazada's and TikTok's "data"). Fails res->v when the answer
 * is not usable. */
typedef OCU_READ_FN((*ocu_read_fn));

typedef struct ocu_opdef {
  const char *method; /* "GET" or "POST" */
  const char *path;   /* the signed path (Lazada: the API name); NULL: no such operation */
  const char *tail;   /* TikTok: path "/" product_id tail; NULL elsewhere */
  int kind;           /* the marketplace's call kind (public, shop, token host...) */
  unsigned need;      /* OCU_NEED_* */
  ocu_body_fn body;   /* NULL: no body */
  ocu_read_fn read;   /* NULL: a success envelope is the whole answer */
} ocu_opdef;

typedef struct ocu_market {
  const char *name;        /* "shopee", in messages */
  const ocu_opdef *ops;    /* OC_OP_MAX entries, indexed by oc_op */
  const ocu_limits *limits;
  /* Shop credentials and options the operation needs. 0, or -1 with err. */
  OCU_CHECK_SHOP_FN((*check_shop));
  /* The signer hook: fills *req (validated input, now_ms >= 0, req zeroed).
   * 0, or -1 with err set and *req left empty; VARIANTS may return
   * OC_IN_LINE with *req left empty. */
  OCU_EMIT_FN((*emit));
  /* LIST_ORDERS / GET_ORDERS request (q non-NULL, now_ms >= 0). */
  OCU_EMIT_ORDERS_FN((*emit_orders));
  /* Classifies a response that arrived (v started OC_OK): the tree to read
   * on success (the caller frees it), else NULL with v failed. */
  OCU_ENVELOPE_FN((*envelope));
  /* The part of a success a listing reader reads (flags: the envelope's);
   * NULL with v failed, or NULL with v OC_OK when a write has nothing to
   * read back. Called only for operations with a reader. */
  OCU_PAYLOAD_FN((*payload));
  OCU_TOKEN_FN((*read_token));
  /* Order readers: 0, or -1 on OOM; a bad answer fails res->v instead. */
  OCU_PAGE_FN((*read_page));
  OCU_BATCH_FN((*read_batch));
} ocu_market;

/* Declares a connector's data (in its header): <p>_ops, <p>_market and
 * <p>_limits, defined in its connector.c, and the exported entry. */
#define OCU_MARKET_DECLS(p)                 \
  const oc_connector *OC_ENTRY(void);       \
  extern const ocu_opdef p##_ops[OC_OP_MAX]; \
  extern const ocu_market p##_market;       \
  extern const ocu_limits p##_limits

int ocu_build_listing(const ocu_market *m, oc_op op, const oc_shop *shop, const oc_listing *l,
                      int64_t now_ms, oc_request *req, char *err, size_t errlen);
int ocu_build_token(const ocu_market *m, oc_op op, const oc_shop *shop, int64_t now_ms,
                    oc_request *req, char *err, size_t errlen);
int ocu_build_orders(const ocu_market *m, oc_op op, const oc_shop *shop,
                     const oc_order_query *q, int64_t now_ms, oc_request *req, char *err,
                     size_t errlen);

void ocu_parse_listing(const ocu_market *m, oc_op op, const oc_shop *shop, const oc_listing *l,
                       long http_status, const char *body, size_t len, oc_listing_result *res);
void ocu_parse_token(const ocu_market *m, oc_op op, const oc_shop *shop, long http_status,
                     const char *body, size_t len, oc_token_result *res);
void ocu_parse_order_page(const ocu_market *m, const oc_shop *shop, const oc_order_query *q,
                          long http_status, const char *body, size_t len, oc_order_page *res);
void ocu_parse_order_batch(const ocu_market *m, const oc_shop *shop, const oc_order_query *q,
                           long http_status, const char *body, size_t len,
                           oc_order_batch *res);

/* Every operation of connector.h, and UPDATE with stars 0 stripping the
 * claims: what each HTTP connector (Shopee, Lazada, TikTok) serves. */
#define OCU_CAPS_EVERY_OP                                                                   \
  (OC_CAP(OC_OP_PUBLISH) | OC_CAP(OC_OP_UPDATE) | OC_CAP(OC_OP_SET_STOCK) |                \
   OC_CAP(OC_OP_SET_PRICE) | OC_CAP(OC_OP_DELIST) | OC_CAP(OC_OP_RELIST) |                 \
   OC_CAP(OC_OP_LOOKUP_SKU) | OC_CAP(OC_OP_GET_LISTING) | OC_CAP(OC_OP_REFRESH_TOKEN) |    \
   OC_CAP(OC_OP_AUTH_LINK) | OC_CAP(OC_OP_TOKEN_EXCHANGE) | OC_CAP(OC_OP_LIST_ORDERS) |    \
   OC_CAP(OC_OP_GET_ORDERS) | OC_CAP_STRIP)

/*
 * Defines an HTTP connector's exported table, named `name`, for the market
 * m: the seven functions of oc_connector that pass each call to the
 * dispatch above (named <p>_build_listing ... <p>_parse_batch), the table
 * itself with no feed, and OC_ENTRY. A connector writes none of them by
 * hand. `upload` and `category` name the connector's own pairs of
 * functions for UPLOAD_IMAGE and CATEGORY (<upload>_build,
 * <upload>_parse, ...), which differ too much between marketplaces to
 * share a dispatch.
 */
#define OCU_CONNECTOR(p, name, m, caps, window_s, verify_push, upload, category)                  \
  static int p##_build_listing(oc_op op, const oc_shop *shop, const oc_listing *l,         \
                               int64_t now_ms, oc_request *req, char *err, size_t errlen) { \
    return ocu_build_listing(&(m), op, shop, l, now_ms, req, err, errlen);                  \
  }                                                                                         \
  static void p##_parse_listing(oc_op op, const oc_shop *shop, const oc_listing *l,        \
                                long http_status, const char *body, size_t len,            \
                                oc_listing_result *res) {                                   \
    ocu_parse_listing(&(m), op, shop, l, http_status, body, len, res);                      \
  }                                                                                         \
  static int p##_build_token(oc_op op, const oc_shop *shop, int64_t now_ms,                \
                             oc_request *req, char *err, size_t errlen) {                   \
    return ocu_build_token(&(m), op, shop, now_ms, req, err, errlen);                       \
  }                                                                                         \
  static void p##_parse_token(oc_op op, const oc_shop *shop, long http_status,             \
                              const char *body, size_t len, oc_token_result *res) {        \
    ocu_parse_token(&(m), op, shop, http_status, body, len, res);                           \
  }                                                                                         \
  static int p##_build_orders(oc_op op, const oc_shop *shop, const oc_order_query *q,      \
                              int64_t now_ms, oc_request *req, char *err, size_t errlen) {  \
    return ocu_build_orders(&(m), op, shop, q, now_ms, req, err, errlen);                   \
  }                                                                                         \
  static void p##_parse_page(const oc_shop *shop, const oc_order_query *q,                 \
                             long http_status, const char *body, size_t len,               \
                             oc_order_page *res) {                                          \
    ocu_parse_order_page(&(m), shop, q, http_status, body, len, res);                       \
  }                                                                                         \
  static void p##_parse_batch(const oc_shop *shop, const oc_order_query *q,                \
                              long http_status, const char *body, size_t len,              \
                              oc_order_batch *res) {                                        \
    ocu_parse_order_batch(&(m), shop, q, http_status, body, len, res);                      \
  }                                                                                         \
  static const oc_connector p##_connector = {                                               \
      OC_ABI_VERSION,   (name),          (caps),         (window_s),    p##_build_listing,  \
      p##_parse_listing, p##_build_token, p##_parse_token, p##_build_orders, p##_parse_page, \
      p##_parse_batch,  NULL,            (verify_push), upload##_build, upload##_parse,      \
      category##_build, category##_parse};                                                  \
  const oc_connector *OC_ENTRY(void) { return &p##_connector; }

/* For a connector without UPLOAD_IMAGE or CATEGORY: OCU_CONNECTOR(...,
 * ocu_no_upload, ocu_no_category) fills the table with these, which refuse. */
int ocu_no_upload_build(const oc_shop *shop, const oc_upload *up, int64_t now_ms,
                        oc_request *req, char *err, size_t errlen);
void ocu_no_upload_parse(const oc_shop *shop, const oc_upload *up, long http_status,
                         const char *body, size_t len, oc_upload_result *res);
int ocu_no_category_build(const oc_shop *shop, const oc_category_query *q, int64_t now_ms,
                          oc_request *req, char *err, size_t errlen);
void ocu_no_category_parse(const oc_shop *shop, const oc_category_query *q, long http_status,
                           const char *body, size_t len, oc_category_result *res);

/* Empties *req after a failed build, wiping what may hold a token. */
void ocu_request_wipe(oc_request *req);

#endif
