/* call.c — see call.h. */
#include "call.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "ms.h"

/* A call in flight: a copy of the request, its own references to the
 * connector generation and the secret (the caller may let go of its hold
 * meanwhile), and the result it builds up. */
struct call {
  struct call_req req;
  struct call_hold own;
  const struct call_hooks *hooks;
  call_cb cb;
  void *arg;
  call_result res;
};

static const struct call_hooks no_hooks;

const char *call_verdict_name(call_verdict v) {
  switch (v) {
  case CALL_OK: return "ok";
  case CALL_RETRY: return "retry";
  case CALL_RATE_LIMITED: return "rate_limited";
  case CALL_AUTH: return "auth";
  case CALL_REJECTED: return "rejected";
  case CALL_NOT_FOUND: return "not_found";
  case CALL_UNSUPPORTED: return "unsupported";
  case CALL_NO_CREDENTIALS: return "no_credentials";
  case CALL_BAD_INPUT: return "bad_input";
  case CALL_DEFERRED: return "deferred";
  case CALL_SHUTDOWN: return "shutdown";
  case CALL_IN_LINE: return "in_line";
  case CALL_EXISTS: return "exists";
  }
  return "?";
}

int call_op_once(oc_op op) {
  return op == OC_OP_PUBLISH || op == OC_OP_VARIANTS || op == OC_OP_UPLOAD_IMAGE ||
         op == OC_OP_REFRESH_TOKEN || op == OC_OP_TOKEN_EXCHANGE;
}

/* ---- holding ------------------------------------------------------------- */

int call_hold_connector(struct call_hold *h, struct registry *reg, const char *marketplace) {
  const oc_connector *conn = reg && marketplace ? registry_find(reg, marketplace) : NULL;

  /* Ref the new before letting go of the old: they may be one generation. */
  if (conn)
    registry_ref(reg);
  call_hold_drop_connector(h);
  if (!conn)
    return -1;
  h->reg = reg;
  h->conn = conn;
  return 0;
}

int call_hold_secret(struct call_hold *h, const char *dir, const char *name, oc_shop *shop,
                     char *err, size_t errlen) {
  secret_t *s = secret_acquire(dir, name, err, errlen);

  if (!s)
    return -1;
  secret_release(h->secret);
  h->secret = s;
  shop->app_secret = secret_value(s);
  return 0;
}

void call_hold_copy(struct call_hold *dst, const struct call_hold *src) {
  dst->reg = registry_ref(src->reg);
  dst->conn = src->conn;
  dst->secret = secret_ref(src->secret);
}

void call_hold_drop_connector(struct call_hold *h) {
  registry_unref(h->reg);
  h->reg = NULL;
  h->conn = NULL;
}

void call_hold_release(struct call_hold *h) {
  call_hold_drop_connector(h);
  secret_release(h->secret);
  h->secret = NULL;
}

static call_observer observer;

void call_set_observer(call_observer fn) { observer = fn; }

/* ---- the verdict ---------------------------------------------------------- */

static long max_wait(long a, long b) {
  long m = a > b ? a : b;

  return m > 0 ? m : 0;
}

/* The connector's status, with the transport and the HTTP status, as a
 * verdict. A 429, or a retry that names a wait (a marketplace's rate-limit
 * code), pauses the shop: never less than a second. */
static call_verdict map_status(const oc_verdict *v, enum http_fail fail, long http_status,
                               long header_retry_ms, long *retry_ms) {
  *retry_ms = 0;
  if (http_status == 429 || (v->status == OC_RETRY && v->retry_after_ms > 0)) {
    *retry_ms = max_wait(v->retry_after_ms, header_retry_ms);
    if (*retry_ms < 1000)
      *retry_ms = 1000;
    return CALL_RATE_LIMITED;
  }
  switch (v->status) {
  case OC_OK:
    /* Without a response nothing can have been done. */
    return fail == HTTP_FAIL_NONE ? CALL_OK : CALL_RETRY;
  case OC_RETRY:
    *retry_ms = max_wait(v->retry_after_ms, header_retry_ms);
    return CALL_RETRY;
  case OC_AUTH:
    *retry_ms = max_wait(0, header_retry_ms);
    return CALL_AUTH;
  case OC_NOT_FOUND:
    return CALL_NOT_FOUND;
  case OC_EXISTS:
    return fail == HTTP_FAIL_NONE ? CALL_EXISTS : CALL_RETRY;
  case OC_REJECTED:
    break;
  }
  return CALL_REJECTED;
}

void call_classify(enum http_fail fail, const char *fail_text, long http_status,
                   long header_retry_ms, const oc_verdict *v, call_result *res) {
  size_t n;

  res->fail = fail;
  res->http_status = fail == HTTP_FAIL_NONE ? http_status : 0;
  res->retry_after_ms = 0;
  res->message[0] = '\0';
  if (fail == HTTP_FAIL_TOO_LARGE) {
    res->verdict = CALL_RETRY;
    snprintf(res->message, sizeof res->message, "response too large (limit %u bytes)",
             (unsigned)OC_MAX_RESPONSE);
    return;
  }
  if (fail == HTTP_FAIL_SHUTDOWN || !v) {
    res->verdict = fail == HTTP_FAIL_SHUTDOWN ? CALL_SHUTDOWN : CALL_RETRY;
    snprintf(res->message, sizeof res->message, "%s", fail_text ? fail_text : "no answer");
    return;
  }
  res->verdict = map_status(v, fail, res->http_status, header_retry_ms, &res->retry_after_ms);
  snprintf(res->message, sizeof res->message, "%s%s%s", v->error,
           v->request_id[0] ? " request_id=" : "", v->request_id);
  n = strlen(res->message);
  if (fail != HTTP_FAIL_NONE && res->verdict != CALL_OK && n < sizeof res->message)
    snprintf(res->message + n, sizeof res->message - n, "%s%s", n ? ": " : "",
             fail_text ? fail_text : "no answer");
}

/* ---- ending a call ---------------------------------------------------------- */

static void wipe_request(oc_request *rq) {
  int i;

  if (rq->url)
    explicit_bzero(rq->url, strlen(rq->url));
  if (rq->body)
    explicit_bzero(rq->body, rq->body_len);
  for (i = 0; i < rq->nheaders; i++)
    if (rq->headers[i])
      explicit_bzero(rq->headers[i], strlen(rq->headers[i]));
  oc_request_free(rq);
}

/* Runs the callback, then frees what it did not take: order arrays, the
 * link, and the token pair (wiped). */
static void finish(struct call *c) {
  c->cb(c->arg, &c->res);
  if (c->res.op == OC_OP_LIST_ORDERS)
    oc_order_page_free(&c->res.r.page);
  else if (c->res.op == OC_OP_GET_ORDERS)
    oc_order_batch_free(&c->res.r.batch);
  else if (c->res.op == OC_OP_CATEGORY)
    free(c->res.r.category.rules);
  if (c->res.link)
    explicit_bzero(c->res.link, strlen(c->res.link));
  free(c->res.link);
  explicit_bzero(&c->res.r, sizeof c->res.r);
  call_hold_release(&c->own);
  free(c);
}

/* Ends the call at a stage before the send; returns -1 for the caller's
 * `return stop(...)`. */
static int stop(struct call *c, call_verdict v, uint64_t wait_ms, const char *fmt, ...)
    LOG_PRINTF(4, 5);

static int stop(struct call *c, call_verdict v, uint64_t wait_ms, const char *fmt, ...) {
  va_list ap;

  c->res.verdict = v;
  c->res.retry_after_ms = (long)wait_ms;
  va_start(ap, fmt);
  vsnprintf(c->res.message, sizeof c->res.message, fmt, ap);
  va_end(ap);
  return -1;
}

/* ---- the stages before the send ----------------------------------------------- */

static int stage_capabilities(struct call *c) {
  const oc_connector *conn = c->req.hold ? c->req.hold->conn : NULL;

  if (!conn)
    return stop(c, CALL_UNSUPPORTED, 0, "no connector for this marketplace");
  if (!oc_supports(conn, c->req.op))
    return stop(c, CALL_UNSUPPORTED, 0, "connector %s cannot %s", conn->name,
                oc_op_name(c->req.op));
  return 0;
}

/* The secret a holder already has is the one the call signs with. From
 * here to its callback the call holds references of its own. */
static int stage_credentials(struct call *c) {
  struct call_hold *h = c->req.hold;
  char err[300];

  if (h->secret)
    c->req.shop->app_secret = secret_value(h->secret);
  else if (call_hold_secret(h, c->req.cred_dir, c->req.shop_name, c->req.shop, err,
                            sizeof err) != 0)
    return stop(c, CALL_NO_CREDENTIALS, 0, "%s", err);
  call_hold_copy(&c->own, h);
  return 0;
}

static int stage_rate_and_token(struct call *c) {
  char why[200] = "";
  uint64_t wait;

  if (c->hooks->rate_take &&
      (wait = c->hooks->rate_take(c->req.hook_arg, &c->req, why, sizeof why)) > 0)
    return stop(c, CALL_DEFERRED, wait, "%s", why[0] ? why : "shop over its rate limit");
  if (c->hooks->token_check &&
      (wait = c->hooks->token_check(c->req.hook_arg, &c->req, why, sizeof why)) > 0)
    return stop(c, CALL_DEFERRED, wait, "%s", why[0] ? why : "waiting for the access token");
  return 0;
}

/* ---- build, send, parse ------------------------------------------------------------ */

static int build(struct call *c, oc_request *rq, char *err, size_t errlen) {
  const oc_connector *conn = c->own.conn;
  int64_t now_ms = ms_wall();

  c->res.sent_s = now_ms / 1000;
  if (oc_listing_op(c->req.op))
    return oc_build_listing(conn, c->req.op, c->req.shop, c->req.listing, now_ms, rq, err,
                            errlen);
  if (oc_token_op(c->req.op))
    return oc_build_token(conn, c->req.op, c->req.shop, now_ms, rq, err, errlen);
  if (c->req.op == OC_OP_UPLOAD_IMAGE)
    return oc_build_upload(conn, c->req.shop, c->req.upload, now_ms, rq, err, errlen);
  if (c->req.op == OC_OP_CATEGORY)
    return oc_build_category(conn, c->req.shop, c->req.category, now_ms, rq, err, errlen);
  return oc_build_orders(conn, c->req.op, c->req.shop, c->req.query, now_ms, rq, err, errlen);
}

/* Hands the answer to the connector; its verdict, or NULL when the
 * operation has no parse (never: stage_capabilities let only those through). */
static const oc_verdict *parse(struct call *c, long status, const char *body, size_t len) {
  const oc_connector *conn = c->own.conn;
  oc_op op = c->req.op;

  if (oc_listing_op(op)) {
    oc_parse_listing(conn, op, c->req.shop, c->req.listing, status, body, len, &c->res.r.listing);
    return &c->res.r.listing.v;
  }
  if (op == OC_OP_REFRESH_TOKEN || op == OC_OP_TOKEN_EXCHANGE) {
    oc_parse_token(conn, op, c->req.shop, status, body, len, &c->res.r.token);
    return &c->res.r.token.v;
  }
  if (op == OC_OP_LIST_ORDERS) {
    oc_parse_order_page(conn, c->req.shop, c->req.query, status, body, len, &c->res.r.page);
    return &c->res.r.page.v;
  }
  if (op == OC_OP_GET_ORDERS) {
    oc_parse_order_batch(conn, c->req.shop, c->req.query, status, body, len, &c->res.r.batch);
    return &c->res.r.batch.v;
  }
  if (op == OC_OP_UPLOAD_IMAGE) {
    oc_parse_upload(conn, c->req.shop, c->req.upload, status, body, len, &c->res.r.upload);
    return &c->res.r.upload.v;
  }
  if (op == OC_OP_CATEGORY) {
    oc_parse_category(conn, c->req.shop, c->req.category, status, body, len,
                      &c->res.r.category);
    return &c->res.r.category.v;
  }
  return NULL;
}

/* The verdict's consequences every caller shares: the shop's pause, the
 * token refresh. */
static void run_verdict_hooks(struct call *c) {
  if (c->res.verdict == CALL_RATE_LIMITED && c->hooks->rate_pause)
    c->hooks->rate_pause(c->req.hook_arg, &c->req, (uint64_t)c->res.retry_after_ms);
  else if (c->res.verdict == CALL_AUTH && c->hooks->token_refused)
    c->hooks->token_refused(c->req.hook_arg, &c->req);
}

static void on_http(void *arg, const struct http_response *resp) {
  struct call *c = arg;
  long status = resp->fail == HTTP_FAIL_NONE ? resp->status : 0;
  const oc_verdict *v = NULL;

  if (resp->fail == HTTP_FAIL_HELD) { /* nothing went out */
    c->res.sent = 0;
    stop(c, CALL_DEFERRED, (uint64_t)resp->retry_after_ms,
         "the marketplace asked to wait (Retry-After)");
    finish(c);
    return;
  }

  if (resp->fail != HTTP_FAIL_TOO_LARGE && resp->fail != HTTP_FAIL_SHUTDOWN)
    v = parse(c, status, resp->body, resp->len);
  call_classify(resp->fail, resp->error, status, resp->retry_after_ms, v, &c->res);
  if (c->res.verdict == CALL_OK && oc_token_op(c->req.op) && !c->res.r.token.access_token[0]) {
    c->res.verdict = CALL_RETRY;
    snprintf(c->res.message, sizeof c->res.message, "no token in the answer");
  }
  log_debug("http", "response", "shop=%s job=%lld op=%s status=%ld ms=%.0f verdict=%s",
            c->req.shop_name ? c->req.shop_name : "-", c->req.job_id, oc_op_name(c->req.op),
            resp->status, resp->total_s * 1000, call_verdict_name(c->res.verdict));
  run_verdict_hooks(c);
  if (observer)
    observer(c->own.conn->name, c->res.verdict, resp->total_s);
  finish(c);
}

/* http_send_opts.hold: the shop's pause, asked as curl is about to send. */
static uint64_t held(void *arg) {
  struct call *c = arg;

  return c->hooks->rate_held(c->req.hook_arg, &c->req);
}

/* Builds and sends; 0 when the answer will come to on_http, -1 when the
 * call ended here (built link, bad input, shutting down). */
static int build_and_send(struct call *c, http_t *http) {
  struct http_send_opts opts;
  oc_request rq;
  char err[256] = "";
  int rc = -1, built;

  memset(&rq, 0, sizeof rq);
  built = build(c, &rq, err, sizeof err);
  if (built == OC_IN_LINE && c->req.op == OC_OP_VARIANTS) {
    stop(c, CALL_IN_LINE, 0, "variants in line");
    goto out;
  }
  if (built != 0) { /* no other operation may decline to build */
    stop(c, CALL_BAD_INPUT, 0, "%s", err[0] ? err : "cannot build the request");
    goto out;
  }
  if (c->req.op == OC_OP_AUTH_LINK) { /* built, never sent */
    c->res.link = rq.url;
    rq.url = NULL;
    goto out;
  }
  log_debug("http", "request", "shop=%s job=%lld op=%s method=%s url=%s",
            c->req.shop_name ? c->req.shop_name : "-", c->req.job_id, oc_op_name(c->req.op),
            rq.method, rq.log_url ? rq.log_url : "-");
  opts.once = call_op_once(c->req.op);
  opts.hold = c->hooks->rate_held ? held : NULL;
  opts.hold_arg = c;
  if (http_send_with(http, &rq, &opts, on_http, c) != 0) {
    stop(c, CALL_SHUTDOWN, 0, "shutting down");
    goto out;
  }
  c->res.sent = 1;
  rc = 0;
out:
  wipe_request(&rq);
  return rc;
}

void call_start(const struct call_env *env, const struct call_req *req, call_cb cb, void *arg) {
  struct call *c = calloc(1, sizeof *c);

  if (!c) {
    call_result r;

    memset(&r, 0, sizeof r);
    r.verdict = CALL_RETRY;
    r.op = req->op;
    snprintf(r.message, sizeof r.message, "out of memory");
    cb(arg, &r);
    return;
  }
  c->req = *req;
  c->hooks = env->hooks ? env->hooks : &no_hooks;
  c->cb = cb;
  c->arg = arg;
  c->res.op = req->op;
  if (stage_capabilities(c) == 0 && stage_credentials(c) == 0 && stage_rate_and_token(c) == 0 &&
      build_and_send(c, env->http) == 0)
    return;
  finish(c);
}
