/*
 * test_http.c — http.c against a tiny HTTP/1.1 server that runs on the same
 * uv loop (uv_tcp on 127.0.0.1:0). The server answers by path:
 *   /echo        200, body = the request body, or "hello" when it has none
 *   /n/<i>       200, body = "<i>"
 *   /big         200, chunked, BIG_LEN bytes
 *   /bigcl       200, Content-Length BIG_LEN
 *   /retry       429 with Retry-After: 3
 *   /retrydate   503 with Retry-After: <HTTP-date 10 s ahead>
 *   /hang        never answers
 *   /keep        200 "kept", and the connection stays open for the next request
 *   /drop        closes the connection without answering (counted in drops)
 * and records the last request it parsed.
 */
#include "http.h"
#include "runner.h"

#include <time.h>
#include <uv.h>

#define BIG_LEN 5000
#define MAX_REQ 65536

struct srv_conn {
  uv_tcp_t tcp;
  struct srv_conn *prev, *next;
  char buf[MAX_REQ];
  size_t len;
  int answered;
};

struct server {
  uv_tcp_t listener;
  int port;
  struct srv_conn *conns;
  unsigned accepted, requests, drops;
  /* the last request */
  char method[16];
  char path[256];
  char head[8192]; /* request line and headers */
  char body[4096];
  size_t body_len;
};

struct result {
  int calls;
  long status;
  char body[8192];
  size_t len;
  char error[128];
  enum http_fail fail;
  long retry_after_ms;
  double total_s;
};

static uv_loop_t loop;
static struct server srv;
static http_t *http;
static int in_send;     /* set around http_send: callbacks must not see it */
static int expected;    /* callbacks to wait for before closing */
static int ncalls;
static int closed_calls;

/* ---- server ----------------------------------------------------------- */

static void srv_on_close(uv_handle_t *h) {
  free(h->data);
}

static void srv_conn_close(struct srv_conn *c) {
  if (uv_is_closing((uv_handle_t *)&c->tcp))
    return;
  if (c->prev)
    c->prev->next = c->next;
  else
    srv.conns = c->next;
  if (c->next)
    c->next->prev = c->prev;
  uv_close((uv_handle_t *)&c->tcp, srv_on_close);
}

struct srv_write {
  uv_write_t req;
  struct srv_conn *conn;
  size_t len;
  int keep; /* the connection takes another request after this answer */
  char data[];
};

static void srv_on_write(uv_write_t *req, int status) {
  struct srv_write *w = (struct srv_write *)req;

  if (!w->keep)
    srv_conn_close(w->conn);
  free(w);
}

static void srv_send(struct srv_conn *c, const char *data, size_t len) {
  struct srv_write *w = malloc(sizeof *w + len);
  uv_buf_t b;

  ASSERT_NOT_NULL(w);
  memcpy(w->data, data, len);
  w->conn = c;
  w->len = len;
  w->keep = strcmp(srv.path, "/keep") == 0;
  b = uv_buf_init(w->data, (unsigned)len);
  ASSERT_EQ(uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, srv_on_write), 0);
}

static void srv_reply(struct srv_conn *c, const char *status, const char *extra,
                      const char *body, size_t len) {
  char *out = malloc(512 + len);
  int n;

  ASSERT_NOT_NULL(out);
  n = snprintf(out, 512,
               "HTTP/1.1 %s\r\nContent-Length: %zu\r\nConnection: close\r\n%s\r\n",
               status, len, extra);
  memcpy(out + n, body, len);
  srv_send(c, out, (size_t)n + len);
  free(out);
}

static void srv_big(struct srv_conn *c, int chunked) {
  static char body[BIG_LEN];
  char *out = malloc(BIG_LEN + 256);
  int n;

  ASSERT_NOT_NULL(out);
  memset(body, 'a', sizeof body);
  if (chunked)
    n = snprintf(out, 256, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
                 "Connection: close\r\n\r\n%x\r\n", BIG_LEN);
  else
    n = snprintf(out, 256, "HTTP/1.1 200 OK\r\nContent-Length: %d\r\n"
                 "Connection: close\r\n\r\n", BIG_LEN);
  memcpy(out + n, body, BIG_LEN);
  n += BIG_LEN;
  if (chunked)
    n += sprintf(out + n, "\r\n0\r\n\r\n");
  srv_send(c, out, (size_t)n);
  free(out);
}

static void srv_route(struct srv_conn *c) {
  char extra[128];

  if (strcmp(srv.path, "/echo") == 0) {
    if (srv.body_len)
      srv_reply(c, "200 OK", "", srv.body, srv.body_len);
    else
      srv_reply(c, "200 OK", "", "hello", 5);
  } else if (strncmp(srv.path, "/n/", 3) == 0) {
    srv_reply(c, "200 OK", "", srv.path + 3, strlen(srv.path + 3));
  } else if (strcmp(srv.path, "/big") == 0 || strcmp(srv.path, "/bigcl") == 0) {
    srv_big(c, strcmp(srv.path, "/big") == 0);
  } else if (strcmp(srv.path, "/retry") == 0) {
    srv_reply(c, "429 Too Many Requests", "Retry-After: 3\r\n", "slow", 4);
  } else if (strcmp(srv.path, "/retrydate") == 0) {
    time_t t = time(NULL) + 10;
    struct tm tm;

    gmtime_r(&t, &tm);
    strftime(extra, sizeof extra, "Retry-After: %a, %d %b %Y %H:%M:%S GMT\r\n", &tm);
    srv_reply(c, "503 Service Unavailable", extra, "", 0);
  } else if (strcmp(srv.path, "/keep") == 0) {
    static const char kept[] = "HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\nkept";

    c->len = 0; /* ready for the next request on this connection */
    c->answered = 0;
    srv_send(c, kept, sizeof kept - 1);
  } else if (strcmp(srv.path, "/drop") == 0) {
    srv.drops++;
    srv_conn_close(c);
  } else if (strcmp(srv.path, "/hang") != 0) {
    srv_reply(c, "404 Not Found", "", "", 0);
  }
}

/* Parses one request once it is complete; 0 while more bytes are needed. */
static int srv_parse(struct srv_conn *c) {
  char *end, *cl;
  size_t hlen, blen = 0;

  c->buf[c->len] = '\0';
  end = strstr(c->buf, "\r\n\r\n");
  if (end == NULL)
    return 0;
  hlen = (size_t)(end - c->buf) + 4;
  cl = strcasestr(c->buf, "\r\nContent-Length:");
  if (cl && cl < end)
    blen = strtoul(cl + 17, NULL, 10);
  if (c->len < hlen + blen)
    return 0;
  ASSERT(hlen < sizeof srv.head && blen <= sizeof srv.body);
  memcpy(srv.head, c->buf, hlen);
  srv.head[hlen] = '\0';
  memcpy(srv.body, c->buf + hlen, blen);
  srv.body_len = blen;
  ASSERT_EQ(sscanf(c->buf, "%15s %255s", srv.method, srv.path), 2);
  srv.requests++;
  return 1;
}

static void srv_alloc(uv_handle_t *h, size_t hint, uv_buf_t *b) {
  struct srv_conn *c = h->data;

  *b = uv_buf_init(c->buf + c->len, (unsigned)(sizeof c->buf - 1 - c->len));
}

static void srv_on_read(uv_stream_t *s, ssize_t n, const uv_buf_t *b) {
  struct srv_conn *c = s->data;

  if (n < 0) {
    srv_conn_close(c);
    return;
  }
  c->len += (size_t)n;
  if (!c->answered && srv_parse(c)) {
    c->answered = 1;
    srv_route(c);
  }
}

static void srv_on_connection(uv_stream_t *l, int status) {
  struct srv_conn *c = calloc(1, sizeof *c);

  ASSERT_EQ(status, 0);
  ASSERT_NOT_NULL(c);
  ASSERT_EQ(uv_tcp_init(&loop, &c->tcp), 0);
  c->tcp.data = c;
  ASSERT_EQ(uv_accept(l, (uv_stream_t *)&c->tcp), 0);
  c->next = srv.conns;
  if (srv.conns)
    srv.conns->prev = c;
  srv.conns = c;
  srv.accepted++;
  ASSERT_EQ(uv_read_start((uv_stream_t *)&c->tcp, srv_alloc, srv_on_read), 0);
}

static void srv_start(void) {
  struct sockaddr_in a;
  struct sockaddr_storage name;
  int len = sizeof name;

  memset(&srv, 0, sizeof srv);
  ASSERT_EQ(uv_tcp_init(&loop, &srv.listener), 0);
  ASSERT_EQ(uv_ip4_addr("127.0.0.1", 0, &a), 0);
  ASSERT_EQ(uv_tcp_bind(&srv.listener, (struct sockaddr *)&a, 0), 0);
  ASSERT_EQ(uv_listen((uv_stream_t *)&srv.listener, 128, srv_on_connection), 0);
  ASSERT_EQ(uv_tcp_getsockname(&srv.listener, (struct sockaddr *)&name, &len), 0);
  srv.port = ntohs(((struct sockaddr_in *)&name)->sin_port);
}

static void srv_stop(void) {
  if (!uv_is_closing((uv_handle_t *)&srv.listener))
    uv_close((uv_handle_t *)&srv.listener, NULL);
  while (srv.conns)
    srv_conn_close(srv.conns);
}

/* ---- client side ------------------------------------------------------ */

static void on_http_closed(void *arg) {
  closed_calls++;
  ASSERT(arg == &closed_calls);
}

static void finish(void) {
  http_close(http, on_http_closed, &closed_calls);
  srv_stop();
}

static void setup(const struct http_options *opt) {
  ASSERT_EQ(uv_loop_init(&loop), 0);
  srv_start();
  http = http_new(&loop, opt);
  ASSERT_NOT_NULL(http);
  ncalls = expected = closed_calls = 0;
}

/* Runs until every handle is closed, then checks the loop really is empty. */
static void run_and_close(void) {
  ASSERT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
  ASSERT_EQ(closed_calls, 1);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

static void on_result(void *arg, const struct http_response *r) {
  struct result *res = arg;

  ASSERT(!in_send);
  res->calls++;
  res->status = r->status;
  ASSERT(r->len <= sizeof res->body);
  memcpy(res->body, r->body, r->len);
  res->len = r->len;
  snprintf(res->error, sizeof res->error, "%s", r->error ? r->error : "");
  res->fail = r->fail;
  ASSERT((r->fail == HTTP_FAIL_NONE) == (r->error == NULL));
  res->retry_after_ms = r->retry_after_ms;
  res->total_s = r->total_s;
  if (++ncalls == expected)
    finish();
}

static void send_req(const char *method, const char *path, const char *body,
                     size_t body_len, const char *h1, const char *h2,
                     struct result *res) {
  oc_request req;
  char url[256];

  memset(&req, 0, sizeof req);
  snprintf(req.method, sizeof req.method, "%s", method);
  if (strstr(path, "://"))
    snprintf(url, sizeof url, "%s", path);
  else
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", srv.port, path);
  req.url = url;
  req.body = (char *)body;
  req.body_len = body_len;
  if (h1)
    req.headers[req.nheaders++] = (char *)h1;
  if (h2)
    req.headers[req.nheaders++] = (char *)h2;
  expected++;
  in_send = 1;
  ASSERT_EQ(http_send(http, &req, on_result, res), 0);
  in_send = 0;
  /* http_send copied everything: scribble over the caller's buffer. */
  memset(url, 'x', sizeof url - 1);
}

/* ---- tests ------------------------------------------------------------ */

TEST_IMPL(http_get) {
  struct result r = {0};

  setup(NULL);
  send_req("GET", "/echo", NULL, 0, "X-Test: abc", "Authorization: Bearer t0k", &r);
  ASSERT_EQ(http_inflight(http), 1);
  run_and_close();
  ASSERT_EQ(r.calls, 1);
  ASSERT_STR_EQ(r.error, "");
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.len, 5);
  ASSERT(memcmp(r.body, "hello", 5) == 0);
  ASSERT_EQ(r.retry_after_ms, -1);
  ASSERT(r.total_s > 0 && r.total_s < 5);
  ASSERT_STR_EQ(srv.method, "GET");
  ASSERT_STR_EQ(srv.path, "/echo");
  ASSERT_NOT_NULL(strstr(srv.head, "\r\nX-Test: abc\r\n"));
  ASSERT_NOT_NULL(strstr(srv.head, "\r\nAuthorization: Bearer t0k\r\n"));
  ASSERT_NOT_NULL(strstr(srv.head, "\r\nUser-Agent: ocopd/"));
  ASSERT_EQ(srv.body_len, 0);
  return TEST_OK;
}

/* Binary bytes (NUL, 0xff) over several packets must arrive exactly. */
TEST_IMPL(http_post_exact_body) {
  static const char head[] = "{\"a\":1}\0\r\n\xff";
  static char body[3000];
  struct result r = {0};
  char cl[64];
  size_t i;

  memcpy(body, head, sizeof head - 1);
  for (i = sizeof head - 1; i < sizeof body; i++)
    body[i] = (char)(i * 7);
  setup(NULL);
  send_req("POST", "/echo", body, sizeof body, "Content-Type: application/json",
           "X-Sign: abc123", &r);
  run_and_close();
  ASSERT_EQ(r.calls, 1);
  ASSERT_STR_EQ(r.error, "");
  ASSERT_STR_EQ(srv.method, "POST");
  ASSERT_EQ(srv.body_len, sizeof body);
  ASSERT(memcmp(srv.body, body, sizeof body) == 0);
  snprintf(cl, sizeof cl, "\r\nContent-Length: %zu\r\n", sizeof body);
  ASSERT_NOT_NULL(strstr(srv.head, cl));
  ASSERT_NOT_NULL(strstr(srv.head, "\r\nContent-Type: application/json\r\n"));
  ASSERT_NOT_NULL(strstr(srv.head, "\r\nX-Sign: abc123\r\n"));
  ASSERT_NULL(strcasestr(srv.head, "Expect:"));
  ASSERT_EQ(r.status, 200);
  ASSERT_EQ(r.len, sizeof body);
  ASSERT(memcmp(r.body, body, sizeof body) == 0);
  return TEST_OK;
}

TEST_IMPL(http_response_too_large) {
  struct http_options opt = {0};
  struct result chunked = {0}, sized = {0}, fits = {0};

  opt.max_response = 1000;
  setup(&opt);
  send_req("GET", "/big", NULL, 0, NULL, NULL, &chunked);
  send_req("GET", "/bigcl", NULL, 0, NULL, NULL, &sized);
  send_req("GET", "/n/0123456789", NULL, 0, NULL, NULL, &fits);
  run_and_close();
  ASSERT_EQ(chunked.calls, 1);
  ASSERT_STR_EQ(chunked.error, "response too large");
  ASSERT_EQ(chunked.fail, HTTP_FAIL_TOO_LARGE);
  ASSERT(chunked.len <= 1000);
  ASSERT_EQ(sized.calls, 1);
  ASSERT_STR_EQ(sized.error, "response too large");
  ASSERT_EQ(sized.fail, HTTP_FAIL_TOO_LARGE);
  ASSERT(sized.len <= 1000);
  ASSERT_STR_EQ(fits.error, "");
  ASSERT_EQ(fits.fail, HTTP_FAIL_NONE);
  ASSERT_EQ(fits.len, 10);
  return TEST_OK;
}

TEST_IMPL(http_timeout) {
  struct http_options opt = {0};
  struct result r = {0};

  opt.timeout_ms = 300;
  setup(&opt);
  send_req("GET", "/hang", NULL, 0, NULL, NULL, &r);
  run_and_close();
  ASSERT_EQ(r.calls, 1);
  ASSERT_STR_EQ(r.error, "timeout");
  ASSERT_EQ(r.fail, HTTP_FAIL_TIMEOUT);
  ASSERT_EQ(r.status, 0);
  ASSERT(r.total_s >= 0.25 && r.total_s < 3.0);
  ASSERT_EQ(srv.requests, 1);
  return TEST_OK;
}

TEST_IMPL(http_connection_refused) {
  struct result r = {0};
  struct sockaddr_in a;
  struct sockaddr_storage name;
  int len = sizeof name, port;
  uv_tcp_t tmp;
  char url[128];

  setup(NULL);
  /* A port that was free a moment ago and has no listener now. */
  ASSERT_EQ(uv_tcp_init(&loop, &tmp), 0);
  ASSERT_EQ(uv_ip4_addr("127.0.0.1", 0, &a), 0);
  ASSERT_EQ(uv_tcp_bind(&tmp, (struct sockaddr *)&a, 0), 0);
  ASSERT_EQ(uv_tcp_getsockname(&tmp, (struct sockaddr *)&name, &len), 0);
  port = ntohs(((struct sockaddr_in *)&name)->sin_port);
  uv_close((uv_handle_t *)&tmp, NULL);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/x?access_token=SECRET42", port);
  send_req("GET", url, NULL, 0, NULL, NULL, &r);
  run_and_close();
  ASSERT_EQ(r.calls, 1);
  ASSERT_EQ(r.status, 0);
  ASSERT(r.error[0] != '\0');
  ASSERT_EQ(r.fail, HTTP_FAIL_CONNECT);
  ASSERT_NULL(strstr(r.error, "SECRET42"));
  ASSERT_NULL(strstr(r.error, "127.0.0.1"));
  return TEST_OK;
}

TEST_IMPL(http_retry_after) {
  struct result secs = {0}, date = {0};

  setup(NULL);
  send_req("GET", "/retry", NULL, 0, NULL, NULL, &secs);
  send_req("GET", "/retrydate", NULL, 0, NULL, NULL, &date);
  run_and_close();
  ASSERT_EQ(secs.status, 429);
  ASSERT_STR_EQ(secs.error, "");
  ASSERT_EQ(secs.retry_after_ms, 3000);
  ASSERT_EQ(secs.len, 4);
  ASSERT_EQ(date.status, 503);
  ASSERT(date.retry_after_ms >= 8000 && date.retry_after_ms <= 10000);
  return TEST_OK;
}

TEST_IMPL(http_concurrent_50) {
  static struct result r[50];
  char path[32];
  int i;

  memset(r, 0, sizeof r);
  setup(NULL);
  for (i = 0; i < 50; i++) {
    snprintf(path, sizeof path, "/n/%d", i);
    send_req("GET", path, NULL, 0, NULL, NULL, &r[i]);
  }
  ASSERT_EQ(http_inflight(http), 50);
  run_and_close();
  for (i = 0; i < 50; i++) {
    char want[16];

    snprintf(want, sizeof want, "%d", i);
    ASSERT_EQ(r[i].calls, 1);
    ASSERT_STR_EQ(r[i].error, "");
    ASSERT_EQ(r[i].status, 200);
    ASSERT_EQ(r[i].len, strlen(want));
    ASSERT(memcmp(r[i].body, want, r[i].len) == 0);
  }
  ASSERT_EQ(srv.requests, 50);
  ASSERT_EQ(ncalls, 50);
  return TEST_OK;
}

static struct result hung[5];

static void close_when_hung(uv_timer_t *t) {
  oc_request req;
  int i;

  if (srv.requests < 5)
    return;
  uv_close((uv_handle_t *)t, NULL);
  ASSERT_EQ(http_inflight(http), 5);
  http_close(http, on_http_closed, &closed_calls);
  /* Nothing is called back inside http_close, and new work is refused. */
  for (i = 0; i < 5; i++)
    ASSERT_EQ(hung[i].calls, 0);
  memset(&req, 0, sizeof req);
  strcpy(req.method, "GET");
  req.url = "http://127.0.0.1:1/";
  ASSERT_EQ(http_send(http, &req, on_result, &hung[0]), -1);
  srv_stop();
}

static void on_hung(void *arg, const struct http_response *r) {
  struct result *res = arg;

  res->calls++;
  res->status = r->status;
  res->fail = r->fail;
  snprintf(res->error, sizeof res->error, "%s", r->error ? r->error : "");
}

TEST_IMPL(http_close_in_flight) {
  uv_timer_t poll_timer;
  oc_request req;
  char url[64];
  int i;

  memset(hung, 0, sizeof hung);
  setup(NULL);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/hang", srv.port);
  memset(&req, 0, sizeof req);
  strcpy(req.method, "GET");
  req.url = url;
  for (i = 0; i < 5; i++)
    ASSERT_EQ(http_send(http, &req, on_hung, &hung[i]), 0);
  ASSERT_EQ(uv_timer_init(&loop, &poll_timer), 0);
  ASSERT_EQ(uv_timer_start(&poll_timer, close_when_hung, 10, 10), 0);
  run_and_close();
  for (i = 0; i < 5; i++) {
    ASSERT_EQ(hung[i].calls, 1);
    ASSERT_EQ(hung[i].status, 0);
    ASSERT_STR_EQ(hung[i].error, "shutting down");
    ASSERT_EQ(hung[i].fail, HTTP_FAIL_SHUTDOWN);
  }
  return TEST_OK;
}

TEST_IMPL(http_bad_requests_fail_async) {
  struct result proto = {0}, method = {0};

  setup(NULL);
  send_req("GET", "ftp://127.0.0.1/file", NULL, 0, NULL, NULL, &proto);
  send_req("GE T", "/echo", NULL, 0, NULL, NULL, &method);
  ASSERT_EQ(proto.calls + method.calls, 0);
  run_and_close();
  ASSERT_EQ(proto.calls, 1);
  ASSERT_EQ(proto.status, 0);
  ASSERT(proto.error[0] != '\0');
  ASSERT_EQ(method.calls, 1);
  ASSERT_STR_EQ(method.error, "bad request");
  ASSERT_EQ(method.fail, HTTP_FAIL_OTHER);
  ASSERT_EQ(srv.requests, 0);
  return TEST_OK;
}

/* Closing an idle client with nothing sent still closes every handle. */
TEST_IMPL(http_close_idle) {
  setup(NULL);
  finish();
  run_and_close();
  return TEST_OK;
}

/* A create on a kept-alive connection that the server closes without an
 * answer: libcurl sends a request again on a fresh connection when a reused
 * one dies before any answer. http_send sends it twice (the server counts
 * two), http_send_once refuses the second send and says the outcome is
 * unknown. */
static struct result kept, dropped;
static int drop_once;

static void send_drop(const char *method) {
  oc_request req;
  char url[256];

  memset(&req, 0, sizeof req);
  snprintf(req.method, sizeof req.method, "%s", method);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/drop", srv.port);
  req.url = url;
  req.body = "{\"item\":1}";
  req.body_len = strlen(req.body);
  expected++;
  ASSERT_EQ((drop_once ? http_send_once : http_send)(http, &req, on_result, &dropped), 0);
}

static void on_kept(void *arg, const struct http_response *r) {
  ASSERT_EQ(r->status, 200);
  send_drop("POST"); /* reuses the connection /keep left open */
  on_result(arg, r);
}

TEST_IMPL(http_send_once_never_resends) {
  oc_request req;
  char url[256];

  /* Plain send: the transport resends on a fresh connection. */
  memset(&kept, 0, sizeof kept);
  memset(&dropped, 0, sizeof dropped);
  drop_once = 0;
  setup(NULL);
  memset(&req, 0, sizeof req);
  snprintf(req.method, sizeof req.method, "GET");
  snprintf(url, sizeof url, "http://127.0.0.1:%d/keep", srv.port);
  req.url = url;
  expected++;
  ASSERT_EQ(http_send(http, &req, on_kept, &kept), 0);
  run_and_close();
  ASSERT_EQ(kept.calls, 1);
  ASSERT_EQ(dropped.calls, 1);
  ASSERT_EQ(srv.drops, 2);
  ASSERT(dropped.fail != HTTP_FAIL_NONE);

  /* Once: the second send is refused; the outcome is unknown. */
  memset(&kept, 0, sizeof kept);
  memset(&dropped, 0, sizeof dropped);
  drop_once = 1;
  setup(NULL);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/keep", srv.port);
  expected++;
  ASSERT_EQ(http_send(http, &req, on_kept, &kept), 0);
  run_and_close();
  ASSERT_EQ(kept.calls, 1);
  ASSERT_EQ(dropped.calls, 1);
  ASSERT_EQ(srv.drops, 1);
  ASSERT_EQ(dropped.fail, HTTP_FAIL_UNKNOWN);
  ASSERT(strstr(dropped.error, "not sent again") != NULL);
  return TEST_OK;
}

/* A 429 arrives while another request waits inside curl for the one
 * connection: the waiting request asks its hold again as curl is about to
 * send it, and stays unsent (the daemon's pause, daemon/pace.c). */
static uint64_t pause_ms;

static uint64_t hold_paused(void *arg) {
  (void)arg;
  return pause_ms;
}

static void on_limited(void *arg, const struct http_response *r) {
  if (r->status == 429)
    pause_ms = (uint64_t)r->retry_after_ms;
  on_result(arg, r);
}

TEST_IMPL(http_hold_stops_a_request_waiting_for_a_connection) {
  struct http_options opt = {0};
  struct http_send_opts held = {0, hold_paused, NULL};
  struct result limited = {0}, waiting = {0};
  oc_request req;
  char url[256];

  opt.max_host_connections = 1;
  opt.max_total_connections = 1;
  pause_ms = 0;
  setup(&opt);
  memset(&req, 0, sizeof req);
  snprintf(req.method, sizeof req.method, "GET");
  snprintf(url, sizeof url, "http://127.0.0.1:%d/retry", srv.port);
  req.url = url;
  expected++;
  ASSERT_EQ(http_send(http, &req, on_limited, &limited), 0);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/echo", srv.port);
  expected++;
  ASSERT_EQ(http_send_with(http, &req, &held, on_result, &waiting), 0);
  run_and_close();
  ASSERT_EQ(limited.status, 429);
  ASSERT_EQ(srv.requests, 1);
  ASSERT_EQ(waiting.fail, HTTP_FAIL_HELD);
  ASSERT_EQ(waiting.status, 0);
  ASSERT_EQ(waiting.retry_after_ms, 3000);

  /* Without a pause the same request goes. */
  memset(&waiting, 0, sizeof waiting);
  pause_ms = 0;
  setup(&opt);
  snprintf(url, sizeof url, "http://127.0.0.1:%d/echo", srv.port);
  expected++;
  ASSERT_EQ(http_send_with(http, &req, &held, on_result, &waiting), 0);
  run_and_close();
  ASSERT_EQ(waiting.fail, HTTP_FAIL_NONE);
  ASSERT_EQ(waiting.status, 200);
  return TEST_OK;
}
