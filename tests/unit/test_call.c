/*
 * test_call.c — the marketplace-call path (lib/call.c): the verdict table,
 * and the stages in their order with a connector table made here (the ABI
 * is a struct of function pointers, connectors/connector.h) and a local
 * HTTP server that answers one canned response per connection.
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "call.h"
#include "log.h"
#include "runner.h"


/* ---- the verdict table ------------------------------------------------------ */

struct row {
  enum http_fail fail;
  long status;
  long header_retry;
  int ask;           /* the connector was asked: v holds its verdict */
  oc_status st;
  long v_retry;
  call_verdict want;
  long want_retry;
};

static const struct row rows[] = {
    {HTTP_FAIL_NONE, 200, -1, 1, OC_OK, 0, CALL_OK, 0},
    {HTTP_FAIL_NONE, 404, -1, 1, OC_NOT_FOUND, 0, CALL_NOT_FOUND, 0},
    {HTTP_FAIL_NONE, 400, -1, 1, OC_REJECTED, 0, CALL_REJECTED, 0},
    {HTTP_FAIL_NONE, 401, 3000, 1, OC_AUTH, 0, CALL_AUTH, 3000},
    {HTTP_FAIL_NONE, 503, -1, 1, OC_RETRY, 0, CALL_RETRY, 0},
    {HTTP_FAIL_NONE, 503, 7000, 1, OC_RETRY, 0, CALL_RETRY, 7000},
    /* a retry that names a wait is the marketplace's rate-limit code */
    {HTTP_FAIL_NONE, 200, -1, 1, OC_RETRY, 5000, CALL_RATE_LIMITED, 5000},
    {HTTP_FAIL_NONE, 200, 9000, 1, OC_RETRY, 5000, CALL_RATE_LIMITED, 9000},
    /* a 429 is a rate limit whatever the connector says; at least 1 s */
    {HTTP_FAIL_NONE, 429, -1, 1, OC_RETRY, 0, CALL_RATE_LIMITED, 1000},
    {HTTP_FAIL_NONE, 429, 2000, 1, OC_REJECTED, 0, CALL_RATE_LIMITED, 2000},
    {HTTP_FAIL_NONE, 429, 200, 1, OC_RETRY, 0, CALL_RATE_LIMITED, 1000},
    /* no response: the connector is asked with status 0 */
    {HTTP_FAIL_TIMEOUT, 0, -1, 1, OC_RETRY, 0, CALL_RETRY, 0},
    {HTTP_FAIL_CONNECT, 0, -1, 1, OC_RETRY, 0, CALL_RETRY, 0},
    {HTTP_FAIL_OTHER, 0, -1, 1, OC_REJECTED, 0, CALL_REJECTED, 0},
    /* nothing done without a response, whatever a connector claims */
    {HTTP_FAIL_TIMEOUT, 0, -1, 1, OC_OK, 0, CALL_RETRY, 0},
    /* the transport decides alone */
    {HTTP_FAIL_TOO_LARGE, 200, -1, 0, OC_OK, 0, CALL_RETRY, 0},
    {HTTP_FAIL_SHUTDOWN, 0, -1, 0, OC_OK, 0, CALL_SHUTDOWN, 0},
};

TEST_IMPL(call_verdict_table) {
  size_t i;

  for (i = 0; i < sizeof rows / sizeof rows[0]; i++) {
    const struct row *r = &rows[i];
    oc_verdict v;
    call_result res;

    memset(&v, 0, sizeof v);
    memset(&res, 0, sizeof res);
    v.status = r->st;
    v.retry_after_ms = r->v_retry;
    snprintf(v.error, sizeof v.error, "code=e%zu", i);
    call_classify(r->fail, r->fail ? "transport text" : NULL, r->status, r->header_retry,
                  r->ask ? &v : NULL, &res);
    if (res.verdict != r->want || res.retry_after_ms != r->want_retry)
      fprintf(stderr, "# row %zu: verdict %s retry %ld\n", i, call_verdict_name(res.verdict),
              res.retry_after_ms);
    ASSERT_EQ(res.verdict, r->want);
    ASSERT_EQ(res.retry_after_ms, r->want_retry);
    ASSERT_EQ(res.fail, r->fail);
    if (r->ask && r->fail != HTTP_FAIL_NONE)
      ASSERT_NOT_NULL(strstr(res.message, ": transport text"));
    if (r->ask)
      ASSERT(strncmp(res.message, v.error, strlen(v.error)) == 0);
  }
  return TEST_OK;
}

/* ---- a connector made here ---------------------------------------------------- */

static char trace[256]; /* the stages and functions, in the order they ran */
static int build_fails;
static call_result last;
static int calls;

static void note(const char *what) {
  size_t n = strlen(trace);

  snprintf(trace + n, sizeof trace - n, "%s%s", n ? " " : "", what);
}

static int fake_build(oc_op op, const oc_shop *shop, const oc_listing *l, int64_t now_ms,
                      oc_request *req, char *err, size_t errlen) {
  note("build");
  if (op == OC_OP_VARIANTS && build_fails == 0)
    return OC_IN_LINE; /* the item already matches: nothing to send */
  if (op != OC_OP_VARIANTS && build_fails == 2)
    return OC_IN_LINE; /* not an answer any other operation may give */
  if (build_fails) {
    snprintf(err, errlen, "price must be positive");
    return -1;
  }
  snprintf(req->method, sizeof req->method, "GET");
  req->url = strdup(shop->base_url);
  req->log_url = strdup(shop->base_url);
  return 0;
}

static void fake_parse(oc_op op, const oc_shop *shop, const oc_listing *l, long status,
                       const char *body, size_t len, oc_listing_result *res) {
  char seen[64];

  /* The secret the call signed with is still there, whoever let go. */
  ASSERT_STR_EQ(shop->app_secret, "s3cret");
  snprintf(seen, sizeof seen, "parse:%ld:%.*s", status, (int)(len < 20 ? len : 20), body);
  note(seen);
  res->v.status = status == 200 ? OC_OK : OC_RETRY;
  snprintf(res->v.error, sizeof res->v.error, "%s", status == 200 ? "" : "busy");
  snprintf(res->v.request_id, sizeof res->v.request_id, "%s", status ? "r-1" : "");
  res->variants[0].stock = 42;
  res->nvariants = 1;
}

static int fake_build_token(oc_op op, const oc_shop *shop, int64_t now_ms, oc_request *req,
                            char *err, size_t errlen) {
  note("build_token");
  snprintf(req->method, sizeof req->method, "GET");
  req->url = strdup("https://seller.example/auth?sign=abc");
  return 0;
}

static const oc_connector fake = {
    .abi = OC_ABI_VERSION,
    .name = "fake",
    .caps = OC_CAP(OC_OP_GET_LISTING) | OC_CAP(OC_OP_AUTH_LINK) | OC_CAP(OC_OP_VARIANTS),
    .build_listing = fake_build,
    .parse_listing = fake_parse,
    .build_token = fake_build_token,
};

static uint64_t rate_wait;

static uint64_t hook_rate_take(void *arg, const struct call_req *req, char *why, size_t len) {
  note("rate");
  if (rate_wait)
    snprintf(why, len, "over the limit");
  return rate_wait;
}

static void hook_rate_pause(void *arg, const struct call_req *req, uint64_t ms) {
  char s[32];

  snprintf(s, sizeof s, "pause:%llu", (unsigned long long)ms);
  note(s);
}

static uint64_t hook_token_check(void *arg, const struct call_req *req, char *why, size_t len) {
  note("token");
  return 0;
}

static const struct call_hooks hooks = {hook_rate_take, hook_rate_pause, hook_token_check, NULL,
                                        NULL};

static void on_call(void *arg, call_result *res) {
  calls++;
  note("done");
  last = *res;
  last.link = NULL; /* the call frees its own */
  if (res->link)
    note(res->link);
}

/* A credentials folder with the shop's secret, 0600. */
static void make_creds(char *dir, size_t len) {
  char path[512];
  FILE *f;

  snprintf(dir, len, "/tmp/ocop-call-XXXXXX");
  ASSERT_NOT_NULL(mkdtemp(dir));
  snprintf(path, sizeof path, "%s/shop-a.secret", dir);
  f = fopen(path, "w");
  ASSERT_NOT_NULL(f);
  fputs("s3cret", f);
  fclose(f);
  ASSERT_EQ(chmod(path, 0600), 0);
}

struct fixture {
  char dir[64];
  struct call_hold hold;
  oc_shop shop;
  oc_listing listing;
  struct call_req req;
};

static void fixture_up(struct fixture *f, const char *base_url, oc_op op) {
  memset(f, 0, sizeof *f);
  make_creds(f->dir, sizeof f->dir);
  f->hold.conn = &fake;
  f->shop.base_url = base_url;
  f->shop.app_key = "k";
  f->shop.shop_id = "1";
  f->listing.sku = "SKU-1";
  f->req.op = op;
  f->req.hold = &f->hold;
  f->req.shop = &f->shop;
  f->req.shop_name = "shop-a";
  f->req.cred_dir = f->dir;
  f->req.listing = &f->listing;
  f->req.job_id = 7;
  trace[0] = '\0';
  calls = 0;
  build_fails = 0;
  rate_wait = 0;
  memset(&last, 0, sizeof last);
}

static void fixture_down(struct fixture *f) {
  char path[512];

  call_hold_release(&f->hold);
  secret_forget();
  snprintf(path, sizeof path, "%s/shop-a.secret", f->dir);
  unlink(path);
  rmdir(f->dir);
}

/* Each stage that stops the call stops it before the next one runs, and the
 * callback runs once, at once. */
TEST_IMPL(call_stages_stop_in_order) {
  struct call_env env = {NULL, &hooks};
  struct fixture f;

  log_set_level(LOG_ERROR);
  fixture_up(&f, "http://127.0.0.1:1/", OC_OP_PUBLISH);
  call_start(&env, &f.req, on_call, NULL);
  ASSERT_EQ(calls, 1);
  ASSERT_EQ(last.verdict, CALL_UNSUPPORTED);
  ASSERT_STR_EQ(last.message, "connector fake cannot publish");
  ASSERT_STR_EQ(trace, "done");
  fixture_down(&f);

  fixture_up(&f, "http://127.0.0.1:1/", OC_OP_GET_LISTING);
  f.req.shop_name = "shop-b"; /* no such file */
  call_start(&env, &f.req, on_call, NULL);
  ASSERT_EQ(last.verdict, CALL_NO_CREDENTIALS);
  ASSERT_NULL(f.shop.app_secret);
  ASSERT_STR_EQ(trace, "done");
  fixture_down(&f);

  fixture_up(&f, "http://127.0.0.1:1/", OC_OP_GET_LISTING);
  rate_wait = 1500;
  call_start(&env, &f.req, on_call, NULL);
  ASSERT_EQ(last.verdict, CALL_DEFERRED);
  ASSERT_EQ(last.retry_after_ms, 1500);
  ASSERT_STR_EQ(last.message, "over the limit");
  ASSERT_STR_EQ(trace, "rate done");
  ASSERT_STR_EQ(f.shop.app_secret, "s3cret"); /* credentials came before the rate */
  ASSERT_NOT_NULL(f.hold.secret);
  fixture_down(&f);

  fixture_up(&f, "http://127.0.0.1:1/", OC_OP_GET_LISTING);
  build_fails = 1;
  call_start(&env, &f.req, on_call, NULL);
  ASSERT_EQ(last.verdict, CALL_BAD_INPUT);
  ASSERT_STR_EQ(last.message, "price must be positive");
  ASSERT_STR_EQ(trace, "rate token build done");
  ASSERT_EQ(last.sent, 0);
  ASSERT_EQ(calls, 1);
  fixture_down(&f);

  /* VARIANTS with nothing left to do ends in line, and sends nothing; no
   * other operation may decline to build. */
  fixture_up(&f, "http://127.0.0.1:1/", OC_OP_VARIANTS);
  call_start(&env, &f.req, on_call, NULL);
  ASSERT_EQ(last.verdict, CALL_IN_LINE);
  ASSERT_STR_EQ(trace, "rate token build done");
  ASSERT_EQ(last.sent, 0);
  fixture_down(&f);
  fixture_up(&f, "http://127.0.0.1:1/", OC_OP_GET_LISTING);
  build_fails = 2; /* the fake answers OC_IN_LINE to GET_LISTING */
  call_start(&env, &f.req, on_call, NULL);
  ASSERT_EQ(last.verdict, CALL_BAD_INPUT);
  fixture_down(&f);

  /* Built, but the transport is gone. */
  fixture_up(&f, "http://127.0.0.1:1/", OC_OP_GET_LISTING);
  call_start(&env, &f.req, on_call, NULL);
  ASSERT_EQ(last.verdict, CALL_SHUTDOWN);
  ASSERT_STR_EQ(trace, "rate token build done");
  fixture_down(&f);
  return TEST_OK;
}

/* ---- a server that answers one canned response per connection ----------------- */

static uv_loop_t loop;
static uv_tcp_t server;
static int port;
static const char *canned;

struct conn {
  uv_tcp_t tcp;
  uv_write_t w;
  char buf[4096];
  size_t len;
};

static void on_conn_closed(uv_handle_t *h) { free(h->data); }

static void on_written(uv_write_t *w, int status) {
  struct conn *c = w->data;

  uv_close((uv_handle_t *)&c->tcp, on_conn_closed);
}

static void on_alloc(uv_handle_t *h, size_t hint, uv_buf_t *buf) {
  struct conn *c = h->data;

  *buf = uv_buf_init(c->buf + c->len, (unsigned)(sizeof c->buf - c->len - 1));
}

static void on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *buf) {
  struct conn *c = s->data;
  uv_buf_t out;

  if (n < 0) {
    uv_close((uv_handle_t *)s, on_conn_closed);
    return;
  }
  c->len += (size_t)n;
  c->buf[c->len] = '\0';
  if (!strstr(c->buf, "\r\n\r\n"))
    return;
  uv_read_stop(s);
  out = uv_buf_init((char *)canned, (unsigned)strlen(canned));
  c->w.data = c;
  uv_write(&c->w, s, &out, 1, on_written);
}

static void on_connection(uv_stream_t *srv, int status) {
  struct conn *c = calloc(1, sizeof *c);

  ASSERT_NOT_NULL(c);
  uv_tcp_init(&loop, &c->tcp);
  c->tcp.data = c;
  ASSERT_EQ(uv_accept(srv, (uv_stream_t *)&c->tcp), 0);
  uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read);
}

static void server_up(void) {
  struct sockaddr_in a;
  struct sockaddr_storage name;
  int len = sizeof name;

  ASSERT_EQ(uv_loop_init(&loop), 0);
  ASSERT_EQ(uv_tcp_init(&loop, &server), 0);
  ASSERT_EQ(uv_ip4_addr("127.0.0.1", 0, &a), 0);
  ASSERT_EQ(uv_tcp_bind(&server, (struct sockaddr *)&a, 0), 0);
  ASSERT_EQ(uv_listen((uv_stream_t *)&server, 8, on_connection), 0);
  ASSERT_EQ(uv_tcp_getsockname(&server, (struct sockaddr *)&name, &len), 0);
  port = ntohs(((struct sockaddr_in *)&name)->sin_port);
}

static void on_http_closed(void *arg) { uv_close((uv_handle_t *)&server, NULL); }

/* Runs one call to its end on the loop, then closes everything. With
 * let_go, the caller drops its hold and the secret cache once the request
 * is out, as a reload and a finished job may: the call keeps its own. */
static void run_one(struct fixture *f, const char *response, int let_go) {
  struct call_env env = {NULL, &hooks};

  canned = response;
  env.http = http_new(&loop, NULL);
  ASSERT_NOT_NULL(env.http);
  call_start(&env, &f->req, on_call, NULL);
  ASSERT_EQ(calls, 0); /* never synchronously once sent */
  if (let_go) {
    call_hold_release(&f->hold);
    secret_forget();
  }
  while (calls == 0)
    uv_run(&loop, UV_RUN_ONCE);
  http_close(env.http, on_http_closed, NULL);
  ASSERT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

TEST_IMPL(call_sends_parses_and_pauses) {
  struct fixture f;
  char url[64];

  server_up();
  snprintf(url, sizeof url, "http://127.0.0.1:%d/item", port);
  fixture_up(&f, url, OC_OP_GET_LISTING);
  run_one(&f, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok", 1);
  ASSERT_STR_EQ(trace, "rate token build parse:200:ok done");
  ASSERT_EQ(last.verdict, CALL_OK);
  ASSERT_EQ(last.sent, 1);
  ASSERT_EQ(last.http_status, 200);
  ASSERT_EQ(last.r.listing.variants[0].stock, 42);
  fixture_down(&f);

  server_up();
  snprintf(url, sizeof url, "http://127.0.0.1:%d/item", port);
  fixture_up(&f, url, OC_OP_GET_LISTING);
  run_one(&f, "HTTP/1.1 429 Too Many\r\nRetry-After: 3\r\nContent-Length: 4\r\n"
              "Connection: close\r\n\r\nslow", 0);
  ASSERT_STR_EQ(trace, "rate token build parse:429:slow pause:3000 done");
  ASSERT_EQ(last.verdict, CALL_RATE_LIMITED);
  ASSERT_EQ(last.retry_after_ms, 3000);
  ASSERT_STR_EQ(last.message, "busy request_id=r-1");
  fixture_down(&f);
  return TEST_OK;
}

TEST_IMPL(call_transport_failure_still_asks_the_connector) {
  struct fixture f;

  server_up();
  fixture_up(&f, "http://127.0.0.1:1/item", OC_OP_GET_LISTING);
  run_one(&f, "", 0);
  ASSERT_STR_EQ(trace, "rate token build parse:0: done");
  ASSERT_EQ(last.verdict, CALL_RETRY);
  ASSERT_EQ(last.fail, HTTP_FAIL_CONNECT);
  ASSERT_EQ(last.http_status, 0);
  ASSERT(strncmp(last.message, "busy: ", 6) == 0);
  fixture_down(&f);
  return TEST_OK;
}

TEST_IMPL(call_auth_link_is_built_not_sent) {
  struct call_env env = {NULL, NULL};
  struct fixture f;

  fixture_up(&f, "http://127.0.0.1:1/", OC_OP_AUTH_LINK);
  call_start(&env, &f.req, on_call, NULL);
  ASSERT_EQ(calls, 1);
  ASSERT_EQ(last.verdict, CALL_OK);
  ASSERT_EQ(last.sent, 0);
  ASSERT_STR_EQ(trace, "build_token done https://seller.example/auth?sign=abc");
  fixture_down(&f);
  return TEST_OK;
}
