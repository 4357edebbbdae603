/* ops.c — see ops.h. */
#include "ops.h"

#include <string.h>

#include "hmac.h"
#include "text.h"
#include "verdict.h"

void ocu_request_wipe(oc_request *req) {
  int i;

  if (req->url != NULL)
    ocu_cleanse(req->url, strlen(req->url));
  if (req->body != NULL)
    ocu_cleanse(req->body, req->body_len);
  for (i = 0; i < req->nheaders; i++)
    if (req->headers[i] != NULL)
      ocu_cleanse(req->headers[i], strlen(req->headers[i]));
  oc_request_free(req);
  memset(req, 0, sizeof *req);
}

/* Clears err and *req; -1 with a message when req is missing. */
static int ocu_build_start(oc_request *req, char *err, size_t errlen) {
  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    ocu_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  return 0;
}

static int ocu_family_op(oc_op op, int orders) {
  if (orders)
    return op == OC_OP_LIST_ORDERS || op == OC_OP_GET_ORDERS;
  return oc_listing_op(op) || oc_token_op(op);
}

/* The operation's entry, or NULL with err set when the connector lacks it. */
static const ocu_opdef *ocu_find(const ocu_market *m, oc_op op, int orders, char *err,
                                 size_t errlen) {
  if (op <= 0 || op >= OC_OP_MAX || !ocu_family_op(op, orders) || m->ops[op].path == NULL) {
    ocu_err(err, errlen, "operation %s is not supported by %s", oc_op_name(op), m->name);
    return NULL;
  }
  return &m->ops[op];
}

static int ocu_clock(int64_t now_ms, char *err, size_t errlen) {
  if (now_ms < 0) {
    ocu_err(err, errlen, "clock is before 1970");
    return -1;
  }
  return 0;
}

static int ocu_build(const ocu_market *m, oc_op op, const oc_shop *shop, const oc_listing *l,
                     int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  const ocu_opdef *d;
  int r;

  if (ocu_build_start(req, err, errlen) || (d = ocu_find(m, op, 0, err, errlen)) == NULL)
    return -1;
  if (m->check_shop(op, d, shop, err, errlen) ||
      ocu_check_listing(d->need, m->limits, l, err, errlen) || ocu_clock(now_ms, err, errlen))
    return -1;
  if ((r = m->emit(op, d, shop, l, now_ms, req, err, errlen)) == 0 ||
      (op == OC_OP_VARIANTS && r == OC_IN_LINE))
    return r; /* OC_IN_LINE: the emit hook built nothing */
  ocu_request_wipe(req);
  return -1;
}

int ocu_build_listing(const ocu_market *m, oc_op op, const oc_shop *shop, const oc_listing *l,
                      int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  if (!oc_listing_op(op)) { /* never another family's, whatever the table holds */
    if (ocu_build_start(req, err, errlen) == 0)
      ocu_err(err, errlen, "operation %s is not supported by %s", oc_op_name(op), m->name);
    return -1;
  }
  return ocu_build(m, op, shop, l, now_ms, req, err, errlen);
}

int ocu_build_token(const ocu_market *m, oc_op op, const oc_shop *shop, int64_t now_ms,
                    oc_request *req, char *err, size_t errlen) {
  if (!oc_token_op(op)) {
    if (ocu_build_start(req, err, errlen) == 0)
      ocu_err(err, errlen, "operation %s is not supported by %s", oc_op_name(op), m->name);
    return -1;
  }
  return ocu_build(m, op, shop, NULL, now_ms, req, err, errlen);
}

int ocu_build_orders(const ocu_market *m, oc_op op, const oc_shop *shop,
                     const oc_order_query *q, int64_t now_ms, oc_request *req, char *err,
                     size_t errlen) {
  const ocu_opdef *d;

  if (ocu_build_start(req, err, errlen))
    return -1;
  if (op != OC_OP_LIST_ORDERS && op != OC_OP_GET_ORDERS) {
    ocu_err(err, errlen, "operation %s is not an order operation", oc_op_name(op));
    return -1;
  }
  if ((d = ocu_find(m, op, 1, err, errlen)) == NULL || m->check_shop(op, d, shop, err, errlen))
    return -1;
  if (q == NULL) {
    ocu_err(err, errlen, "order query is missing");
    return -1;
  }
  if (ocu_clock(now_ms, err, errlen))
    return -1;
  if (m->emit_orders(op, d, shop, q, now_ms, req, err, errlen) == 0)
    return 0;
  ocu_request_wipe(req);
  return -1;
}

/* The verdict and, on a success envelope, the tree to read (caller frees). */
static cJSON *ocu_open(const ocu_market *m, oc_op op, const oc_shop *shop, long http_status,
                       const char *body, size_t len, oc_verdict *v, int *flags) {
  *flags = 0;
  if (ocu_verdict_start(v, shop, http_status))
    return NULL;
  return m->envelope(op, shop, http_status, body, len, v, flags);
}

/* Clears the result (size bytes at res, whose verdict is v) and opens the
 * answer (ocu_open). */
static cJSON *ocu_start(const ocu_market *m, oc_op op, const oc_shop *shop, long http_status,
                        const char *body, size_t len, void *res, size_t size, oc_verdict *v,
                        int *flags) {
  memset(res, 0, size);
  return ocu_open(m, op, shop, http_status, body, len, v, flags);
}

void ocu_parse_listing(const ocu_market *m, oc_op op, const oc_shop *shop, const oc_listing *l,
                       long http_status, const char *body, size_t len, oc_listing_result *res) {
  const cJSON *data;
  cJSON *root;
  int flags;

  if (res == NULL)
    return;
  if ((root = ocu_start(m, op, shop, http_status, body, len, res, sizeof *res, &res->v,
                        &flags)) == NULL) {
    res->content = (flags & OCU_CONTENT_REFUSED) && res->v.status == OC_REJECTED &&
                   (op == OC_OP_PUBLISH || op == OC_OP_UPDATE);
    return;
  }
  if (!oc_listing_op(op) || m->ops[op].path == NULL)
    ocu_fail(&res->v, shop, OC_REJECTED, 0, "operation %s is not a listing operation",
             oc_op_name(op));
  else if (m->ops[op].read != NULL && (data = m->payload(op, shop, root, flags, &res->v)))
    m->ops[op].read(op, shop, l, data, res);
  cJSON_Delete(root);
}

void ocu_parse_token(const ocu_market *m, oc_op op, const oc_shop *shop, long http_status,
                     const char *body, size_t len, oc_token_result *res) {
  cJSON *root;
  int flags;

  if (res == NULL || (root = ocu_start(m, op, shop, http_status, body, len, res, sizeof *res,
                                       &res->v, &flags)) == NULL)
    return;
  if (op != OC_OP_REFRESH_TOKEN && op != OC_OP_TOKEN_EXCHANGE)
    ocu_fail(&res->v, shop, OC_REJECTED, 0, "operation %s has no token answer",
             oc_op_name(op));
  else
    m->read_token(shop, root, res);
  cJSON_Delete(root);
}

/* Reads an order answer with the market's reader for its family. */
static int ocu_read_orders(const ocu_market *m, oc_op op, const oc_shop *shop,
                           const oc_order_query *q, const cJSON *root, void *res) {
  if (op == OC_OP_LIST_ORDERS)
    return m->read_page(shop, q, root, res);
  return m->read_batch(shop, q, root, res);
}

/* The order parses: the envelope, the reader, "out of memory" when the
 * reader ran out. v is the verdict inside res. */
static void ocu_parse_orders(const ocu_market *m, oc_op op, const oc_shop *shop,
                             const oc_order_query *q, long http_status, const char *body,
                             size_t len, oc_verdict *v, void *res) {
  cJSON *root;
  int flags;

  if ((root = ocu_open(m, op, shop, http_status, body, len, v, &flags)) == NULL)
    return;
  if (ocu_read_orders(m, op, shop, q, root, res) != 0)
    ocu_fail(v, shop, OC_RETRY, 0, "out of memory");
  cJSON_Delete(root);
}

void ocu_parse_order_page(const ocu_market *m, const oc_shop *shop, const oc_order_query *q,
                          long http_status, const char *body, size_t len, oc_order_page *res) {
  if (res == NULL)
    return;
  memset(res, 0, sizeof *res);
  ocu_parse_orders(m, OC_OP_LIST_ORDERS, shop, q, http_status, body, len, &res->v, res);
  if (res->v.status != OC_OK) /* nothing half-read goes back */
    oc_order_page_free(res);
}

void ocu_parse_order_batch(const ocu_market *m, const oc_shop *shop, const oc_order_query *q,
                           long http_status, const char *body, size_t len,
                           oc_order_batch *res) {
  if (res == NULL)
    return;
  memset(res, 0, sizeof *res);
  ocu_parse_orders(m, OC_OP_GET_ORDERS, shop, q, http_status, body, len, &res->v, res);
  if (res->v.status != OC_OK)
    oc_order_batch_free(res);
}

int ocu_no_upload_build(const oc_shop *shop, const oc_upload *up, int64_t now_ms,
                        oc_request *req, char *err, size_t errlen) {
  (void)shop, (void)up, (void)now_ms, (void)req;
  return oc_unsupported(NULL, OC_OP_UPLOAD_IMAGE, err, errlen);
}

void ocu_no_upload_parse(const oc_shop *shop, const oc_upload *up, long http_status,
                         const char *body, size_t len, oc_upload_result *res) {
  (void)shop, (void)up, (void)http_status, (void)body, (void)len;
  oc_verdict_unsupported(&res->v);
}

int ocu_no_category_build(const oc_shop *shop, const oc_category_query *q, int64_t now_ms,
                          oc_request *req, char *err, size_t errlen) {
  (void)shop, (void)q, (void)now_ms, (void)req;
  return oc_unsupported(NULL, OC_OP_CATEGORY, err, errlen);
}

void ocu_no_category_parse(const oc_shop *shop, const oc_category_query *q, long http_status,
                           const char *body, size_t len, oc_category_result *res) {
  (void)shop, (void)q, (void)http_status, (void)body, (void)len;
  oc_verdict_unsupported(&res->v);
  res->rules = NULL;
  res->more = 0;
}
