/*
 * http.c — outbound HTTP on the libuv loop; see http.h.
 *
 * curl's multi-socket API tells us which sockets to watch (socket callback)
 * and when to call it back without I/O (timer callback); we map both onto
 * uv_poll_t and one uv_timer_t and hand readiness back with
 * curl_multi_socket_action(). Completions are read with
 * curl_multi_info_read() after every socket_action, on both paths.
 *
 * Callbacks run only from loop callbacks: completions from the poll and
 * timer callbacks, failures found inside http_send()/http_close() from the
 * idle handle on the next iteration. The http_t is freed only from handle
 * close callbacks, so a user callback may send or close at any time.
 */
#ifdef HAVE_CONFIG_H
#include "build_config.h" /* PACKAGE_VERSION */
#endif

#include "http.h"

#include <curl/curl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "0"
#endif

#define HTTP_SPARE_EASY 8 /* easy handles kept for reuse */

struct http_sock {
  uv_poll_t poll;
  http_t *http;
  curl_socket_t fd;
  struct http_sock *prev, *next;
};

struct http_job {
  struct http_job *prev, *next; /* on http->active, or next on http->done */
  http_t *http;
  CURL *easy;
  struct curl_slist *headers;
  curl_mime *mime;  /* a multipart body (oc_request.parts), else NULL */
  http_cb cb;
  void *arg;
  char *buf;
  size_t len, cap;
  long status;
  long retry_after_ms;
  enum http_fail fail;
  const char *error;
  int too_large;
  int oom;
  int once;         /* http_send_once: at most one send */
  unsigned sends;   /* times curl was about to send the request */
  uint64_t (*hold)(void *); /* http_send_opts.hold, or NULL */
  void *hold_arg;
  uint64_t held_ms; /* what hold said when it stopped the send */
  uint64_t start_ns;
};

struct http {
  uv_timer_t timer; /* curl's timeout */
  uv_idle_t idle;   /* delivers `done` on the next iteration */
  uv_loop_t *loop;
  CURLM *multi;
  long connect_timeout_ms;
  long timeout_ms;
  size_t max_response;
  char *user_agent;
  struct http_job *active;          /* running in curl */
  struct http_job *done, *done_tail; /* finished, callback not yet run */
  struct http_sock *socks;
  CURL *spare[HTTP_SPARE_EASY];
  unsigned nspare;
  unsigned inflight; /* sent and not yet called back */
  unsigned handles;  /* initialised and not yet closed */
  int closing;
  int closed;
  void (*closed_cb)(void *arg);
  void *closed_arg;
};

static void http__on_idle(uv_idle_t *idle);

/* ---- jobs ------------------------------------------------------------- */

static void http__link(http_t *h, struct http_job *job) {
  job->prev = NULL;
  job->next = h->active;
  if (h->active)
    h->active->prev = job;
  h->active = job;
}

static void http__unlink(http_t *h, struct http_job *job) {
  if (job->prev)
    job->prev->next = job->next;
  else
    h->active = job->next;
  if (job->next)
    job->next->prev = job->prev;
  job->prev = job->next = NULL;
}

/* The easy handle goes back to the spare list reset, so that it keeps no
 * pointer to this job's headers or buffer. */
static void http__easy_put(http_t *h, CURL *e) {
  if (e == NULL)
    return;
  if (!h->closing && h->nspare < HTTP_SPARE_EASY) {
    curl_easy_reset(e);
    h->spare[h->nspare++] = e;
  } else {
    curl_easy_cleanup(e);
  }
}

static CURL *http__easy_get(http_t *h) {
  return h->nspare ? h->spare[--h->nspare] : curl_easy_init();
}

static void http__job_free(http_t *h, struct http_job *job) {
  http__easy_put(h, job->easy);
  curl_slist_free_all(job->headers);
  curl_mime_free(job->mime);
  free(job->buf);
  free(job);
}

/* Runs the callback exactly once, then frees the job. */
static void http__deliver(http_t *h, struct http_job *job) {
  struct http_response r;

  r.status = job->status;
  r.body = job->buf ? job->buf : "";
  r.len = job->len;
  r.retry_after_ms = job->retry_after_ms;
  r.fail = job->fail;
  r.error = job->error;
  r.total_s = (double)(uv_hrtime() - job->start_ns) / 1e9;
  h->inflight--;
  job->cb(job->arg, &r);
  http__job_free(h, job);
}

/* Queues a job whose outcome is known for the idle callback. */
static void http__defer(http_t *h, struct http_job *job, enum http_fail fail,
                        const char *error) {
  job->fail = fail;
  job->error = error;
  job->next = NULL;
  if (h->done_tail)
    h->done_tail->next = job;
  else
    h->done = job;
  h->done_tail = job;
  uv_idle_start(&h->idle, http__on_idle);
}

/* ---- curl callbacks --------------------------------------------------- */

/* Appends to the body; past max_response returns short so that curl ends
 * the transfer with CURLE_WRITE_ERROR (MAXFILESIZE cannot stop a body of
 * unknown size on curl 7.88). */
static size_t http__on_write(char *data, size_t size, size_t n, void *ud) {
  struct http_job *job = ud;
  size_t len = size * n, max = job->http->max_response;

  if (len > max - job->len) {
    job->too_large = 1;
    return 0;
  }
  if (job->len + len > job->cap) {
    size_t cap = job->cap ? job->cap * 2 : 4096;
    char *p;

    if (cap < job->len + len)
      cap = job->len + len;
    if (cap > max)
      cap = max;
    p = realloc(job->buf, cap);
    if (p == NULL) {
      job->oom = 1;
      return 0;
    }
    job->buf = p;
    job->cap = cap;
  }
  memcpy(job->buf + job->len, data, len);
  job->len += len;
  return len;
}

/* Retry-After: delta-seconds or an HTTP-date; -1 when unreadable. */
static long http__retry_after(const char *v, size_t len) {
  char buf[64];
  size_t i;
  time_t t;

  while (len && (*v == ' ' || *v == '\t'))
    v++, len--;
  while (len && (v[len - 1] == '\r' || v[len - 1] == '\n' ||
                 v[len - 1] == ' ' || v[len - 1] == '\t'))
    len--;
  if (len == 0 || len >= sizeof buf)
    return -1;
  memcpy(buf, v, len);
  buf[len] = '\0';
  for (i = 0; i < len && buf[i] >= '0' && buf[i] <= '9'; i++)
    ;
  if (i == len) {
    long long s = len > 9 ? 999999999LL : strtoll(buf, NULL, 10);

    return (long)(s > 86400LL * 365 ? 86400LL * 365 * 1000 : s * 1000);
  }
  t = curl_getdate(buf, NULL);
  if (t == (time_t)-1)
    return -1;
  t -= time(NULL);
  return t <= 0 ? 0 : (long)(t > 86400L * 365 ? 86400L * 365 * 1000 : t * 1000);
}

static size_t http__on_header(char *line, size_t size, size_t n, void *ud) {
  struct http_job *job = ud;
  size_t len = size * n;
  static const char name[] = "Retry-After:";

  /* A status line starts a new response (after a 1xx): forget the old one. */
  if (len >= 5 && memcmp(line, "HTTP/", 5) == 0)
    job->retry_after_ms = -1;
  else if (len > sizeof name - 1 && strncasecmp(line, name, sizeof name - 1) == 0)
    job->retry_after_ms = http__retry_after(line + sizeof name - 1,
                                            len - (sizeof name - 1));
  return len;
}

/* Why a transfer failed, as the enum callers switch on and as text. */
static void http__set_error(struct http_job *job, CURLcode rc) {
  job->fail = HTTP_FAIL_OTHER;
  job->error = NULL;
  if (rc == CURLE_OK) {
    job->fail = HTTP_FAIL_NONE;
  } else if (job->too_large) {
    job->fail = HTTP_FAIL_TOO_LARGE;
    job->error = "response too large";
  } else if (job->oom) {
    job->error = "out of memory";
  } else if (job->once && job->sends > 1) {
    job->fail = HTTP_FAIL_UNKNOWN;
    job->error = "connection closed before the answer; not sent again (outcome unknown)";
  } else if (job->held_ms > 0 && job->sends == 1) {
    job->fail = HTTP_FAIL_HELD;
    job->error = "held back before sending";
    job->retry_after_ms = (long)job->held_ms;
  } else if (job->held_ms > 0) { /* a resend held back: the first may have landed */
    job->error = "connection closed before the answer; the resend was held back";
  } else if (rc == CURLE_OPERATION_TIMEDOUT) {
    job->fail = HTTP_FAIL_TIMEOUT;
    job->error = "timeout";
  } else {
    if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST ||
        rc == CURLE_COULDNT_RESOLVE_PROXY || rc == CURLE_SSL_CONNECT_ERROR ||
        rc == CURLE_PEER_FAILED_VERIFICATION)
      job->fail = HTTP_FAIL_CONNECT;
    /* curl's fixed text: unlike its error buffer it never quotes the URL. */
    job->error = curl_easy_strerror(rc);
  }
}

/* Delivers every finished transfer. Unconditional after each socket_action:
 * the last completion must not wait for another event. */
static void http__drain(http_t *h) {
  CURLMsg *msg;
  int left;

  while (!h->closing && (msg = curl_multi_info_read(h->multi, &left)) != NULL) {
    struct http_job *job;
    CURL *e = msg->easy_handle;
    CURLcode rc = msg->data.result;
    char *priv = NULL;

    if (msg->msg != CURLMSG_DONE)
      continue;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
    job = (struct http_job *)(void *)priv;
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &job->status);
    http__set_error(job, rc);
    http__unlink(h, job);
    curl_multi_remove_handle(h->multi, e);
    http__deliver(h, job);
  }
}

static void http__on_poll(uv_poll_t *poll, int status, int events) {
  struct http_sock *s = poll->data;
  http_t *h = s->http;
  int flags = 0, running;

  if (status < 0)
    flags = CURL_CSELECT_ERR;
  if (events & UV_READABLE)
    flags |= CURL_CSELECT_IN;
  if (events & UV_WRITABLE)
    flags |= CURL_CSELECT_OUT;
  /* `s` may be closed by the socket callback in here: do not touch it after. */
  curl_multi_socket_action(h->multi, s->fd, flags, &running);
  http__drain(h);
}

static void http__on_timer(uv_timer_t *timer) {
  http_t *h = timer->data;
  int running;

  curl_multi_socket_action(h->multi, CURL_SOCKET_TIMEOUT, 0, &running);
  http__drain(h);
}

static void http__on_sock_close(uv_handle_t *handle);

static void http__sock_close(http_t *h, struct http_sock *s) {
  if (s->prev)
    s->prev->next = s->next;
  else
    h->socks = s->next;
  if (s->next)
    s->next->prev = s->prev;
  uv_close((uv_handle_t *)&s->poll, http__on_sock_close);
}

static struct http_sock *http__sock_new(http_t *h, curl_socket_t fd) {
  struct http_sock *s = calloc(1, sizeof *s);

  if (s == NULL)
    return NULL;
  if (uv_poll_init_socket(h->loop, &s->poll, fd) != 0) {
    free(s);
    return NULL;
  }
  s->poll.data = s;
  s->http = h;
  s->fd = fd;
  s->next = h->socks;
  if (h->socks)
    h->socks->prev = s;
  h->socks = s;
  h->handles++;
  return s;
}

/* CURLMOPT_SOCKETFUNCTION: watch, re-watch or forget one socket. */
static int http__on_curl_socket(CURL *e, curl_socket_t fd, int what, void *ud,
                                void *sockp) {
  http_t *h = ud;
  struct http_sock *s = sockp;
  int events = 0;

  if (what == CURL_POLL_REMOVE) {
    if (s) {
      http__sock_close(h, s);
      curl_multi_assign(h->multi, fd, NULL);
    }
    return 0;
  }
  if (s == NULL) {
    s = http__sock_new(h, fd);
    if (s == NULL)
      return -1;
    curl_multi_assign(h->multi, fd, s);
  }
  if (what & CURL_POLL_IN)
    events |= UV_READABLE;
  if (what & CURL_POLL_OUT)
    events |= UV_WRITABLE;
  return uv_poll_start(&s->poll, events, http__on_poll) == 0 ? 0 : -1;
}

/* CURLMOPT_TIMERFUNCTION: a uv timer never fires synchronously, so even a
 * 0 ms request does not re-enter curl from inside its own callback. */
static int http__on_curl_timer(CURLM *multi, long timeout_ms, void *ud) {
  http_t *h = ud;

  if (timeout_ms < 0)
    uv_timer_stop(&h->timer);
  else
    uv_timer_start(&h->timer, http__on_timer, (uint64_t)timeout_ms, 0);
  return 0;
}

/* ---- building a transfer ---------------------------------------------- */

#define HTTP_SETOPT(e, opt, val)                                           \
  do {                                                                     \
    if ((rc = curl_easy_setopt((e), (opt), (val))) != CURLE_OK)            \
      goto out;                                                            \
  } while (0)

/* Methods are tokens: anything else could smuggle bytes into the request
 * line through CURLOPT_CUSTOMREQUEST. */
static int http__method_ok(const char *m) {
  size_t i;

  for (i = 0; m[i]; i++)
    if (m[i] < 'A' || m[i] > 'Z')
      return 0;
  return i > 0 && i < sizeof ((oc_request *)0)->method;
}

/* One field of a multipart body: text, or the file (its bytes copied by
 * curl_mime_data, so the request may be freed once sent). */
static CURLcode http__mime_part(curl_mime *m, const oc_part *p, const oc_request *req) {
  curl_mimepart *part = curl_mime_addpart(m);
  CURLcode rc;

  if (part == NULL)
    return CURLE_OUT_OF_MEMORY;
  if ((rc = curl_mime_name(part, p->name)) != CURLE_OK)
    return rc;
  if (p->value)
    return curl_mime_data(part, p->value, CURL_ZERO_TERMINATED);
  if ((rc = curl_mime_data(part, (const char *)req->file, req->file_len)) != CURLE_OK ||
      (p->filename && (rc = curl_mime_filename(part, p->filename)) != CURLE_OK))
    return rc;
  return p->mime ? curl_mime_type(part, p->mime) : CURLE_OK;
}

/* A multipart/form-data body built with libcurl's MIME API, fields in
 * the request's order; curl writes the boundary and its Content-Type. */
static CURLcode http__set_mime(struct http_job *job, const oc_request *req) {
  CURLcode rc = CURLE_OK;
  int i;

  if ((job->mime = curl_mime_init(job->easy)) == NULL)
    return CURLE_OUT_OF_MEMORY;
  for (i = 0; i < req->nparts && i < OC_MAX_PARTS && rc == CURLE_OK; i++)
    if (req->parts[i].name == NULL || (req->parts[i].value == NULL && req->file == NULL))
      rc = CURLE_BAD_FUNCTION_ARGUMENT;
    else
      rc = http__mime_part(job->mime, &req->parts[i], req);
  return rc != CURLE_OK ? rc : curl_easy_setopt(job->easy, CURLOPT_MIMEPOST, job->mime);
}

static CURLcode http__set_method(CURL *e, const oc_request *req) {
  CURLcode rc = CURLE_OK;

  if (strcmp(req->method, "GET") == 0 && req->body == NULL) {
    HTTP_SETOPT(e, CURLOPT_HTTPGET, 1L);
    goto out;
  }
  if (strcmp(req->method, "POST") != 0)
    HTTP_SETOPT(e, CURLOPT_CUSTOMREQUEST, req->method);
  if (strcmp(req->method, "POST") == 0 || req->body) {
    /* Exact bytes: the size first, then a copy (the body may hold NULs). */
    HTTP_SETOPT(e, CURLOPT_POSTFIELDSIZE_LARGE,
                (curl_off_t)(req->body ? req->body_len : 0));
    HTTP_SETOPT(e, CURLOPT_COPYPOSTFIELDS, req->body ? req->body : "");
  }
out:
  return rc;
}

static CURLcode http__set_headers(struct http_job *job, const oc_request *req) {
  struct curl_slist *l;
  int i, expect = 0;

  for (i = 0; i < req->nheaders && i < OC_MAX_HEADERS; i++) {
    /* A multipart body's type carries the boundary curl chose: a
     * connector's own Content-Type would lose it. */
    if (req->headers[i] == NULL ||
        (req->nparts > 0 && strncasecmp(req->headers[i], "Content-Type:", 13) == 0))
      continue;
    if (strncasecmp(req->headers[i], "Expect:", 7) == 0)
      expect = 1;
    l = curl_slist_append(job->headers, req->headers[i]);
    if (l == NULL)
      return CURLE_OUT_OF_MEMORY;
    job->headers = l;
  }
  /* No 100-continue round trip on larger bodies: the APIs answer at once. */
  if (!expect) {
    l = curl_slist_append(job->headers, "Expect:");
    if (l == NULL)
      return CURLE_OUT_OF_MEMORY;
    job->headers = l;
  }
  return curl_easy_setopt(job->easy, CURLOPT_HTTPHEADER, job->headers);
}

/* TLS verification keeps curl's defaults (VERIFYPEER 1, VERIFYHOST 2) on
 * purpose: nothing here may lower them. */
/* Called by curl each time it is about to send the request, including the
 * resend on a fresh connection after a reused one died. A request sent
 * once may have been applied: its second send is refused. */
static int http__on_prereq(void *arg, char *primary_ip, char *local_ip, int primary_port,
                           int local_port) {
  struct http_job *job = arg;

  (void)primary_ip;
  (void)local_ip;
  (void)primary_port;
  (void)local_port;
  if (++job->sends > 1 && job->once)
    return CURL_PREREQFUNC_ABORT;
  if (job->hold && (job->held_ms = job->hold(job->hold_arg)) > 0)
    return CURL_PREREQFUNC_ABORT;
  return CURL_PREREQFUNC_OK;
}

static CURLcode http__job_setup(http_t *h, struct http_job *job,
                                const oc_request *req) {
  CURLcode rc = CURLE_OUT_OF_MEMORY;
  CURL *e = http__easy_get(h);
  long low_speed_s = h->timeout_ms / 2000 > 0 ? h->timeout_ms / 2000 : 1;

  if (e == NULL)
    goto out;
  job->easy = e;
  HTTP_SETOPT(e, CURLOPT_URL, req->url);
  HTTP_SETOPT(e, CURLOPT_PRIVATE, (void *)job);
  HTTP_SETOPT(e, CURLOPT_NOSIGNAL, 1L);
  HTTP_SETOPT(e, CURLOPT_PROTOCOLS_STR, "http,https");
  HTTP_SETOPT(e, CURLOPT_FOLLOWLOCATION, 0L);
  HTTP_SETOPT(e, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2);
  HTTP_SETOPT(e, CURLOPT_CONNECTTIMEOUT_MS, h->connect_timeout_ms);
  HTTP_SETOPT(e, CURLOPT_TIMEOUT_MS, h->timeout_ms);
  /* A peer that sends nothing for half the budget is a dead link: fail
   * early so that the retry can start. */
  HTTP_SETOPT(e, CURLOPT_LOW_SPEED_LIMIT, 1L);
  HTTP_SETOPT(e, CURLOPT_LOW_SPEED_TIME, low_speed_s);
  HTTP_SETOPT(e, CURLOPT_ACCEPT_ENCODING, "");
  HTTP_SETOPT(e, CURLOPT_USERAGENT, h->user_agent);
  HTTP_SETOPT(e, CURLOPT_WRITEFUNCTION, http__on_write);
  HTTP_SETOPT(e, CURLOPT_WRITEDATA, (void *)job);
  HTTP_SETOPT(e, CURLOPT_HEADERFUNCTION, http__on_header);
  HTTP_SETOPT(e, CURLOPT_HEADERDATA, (void *)job);
  HTTP_SETOPT(e, CURLOPT_PREREQFUNCTION, http__on_prereq);
  HTTP_SETOPT(e, CURLOPT_PREREQDATA, (void *)job);
  if (req->nparts > 0)
    rc = http__set_mime(job, req);
  else
    rc = http__set_method(e, req);
  if (rc != CURLE_OK)
    goto out;
  rc = http__set_headers(job, req);
out:
  return rc;
}

/* ---- idle: deferred callbacks and the close --------------------------- */

/* Counts closed handles; the last one frees the http_t. */
static void http__handle_closed(http_t *h) {
  if (--h->handles > 0)
    return;
  curl_global_cleanup();
  if (h->closed_cb)
    h->closed_cb(h->closed_arg);
  free(h->user_agent);
  free(h);
}

static void http__on_close(uv_handle_t *handle) {
  http__handle_closed(handle->data);
}

static void http__on_sock_close(uv_handle_t *handle) {
  struct http_sock *s = handle->data;
  http_t *h = s->http;

  free(s);
  http__handle_closed(h);
}

/* Stop watching before curl closes its sockets, clean curl up without
 * callbacks into a half-torn http_t, then close every handle. */
static void http__teardown(http_t *h) {
  struct http_sock *s;

  h->closed = 1;
  uv_timer_stop(&h->timer);
  for (s = h->socks; s; s = s->next)
    uv_poll_stop(&s->poll);
  while (h->nspare)
    curl_easy_cleanup(h->spare[--h->nspare]);
  curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, (curl_socket_callback)NULL);
  curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, (curl_multi_timer_callback)NULL);
  curl_multi_cleanup(h->multi);
  h->multi = NULL;
  while (h->socks)
    http__sock_close(h, h->socks);
  uv_close((uv_handle_t *)&h->timer, http__on_close);
  uv_close((uv_handle_t *)&h->idle, http__on_close);
}

static void http__on_idle(uv_idle_t *idle) {
  http_t *h = idle->data;
  struct http_job *job = h->done;

  /* Detach first: a callback that sends again lands on a later turn. */
  h->done = h->done_tail = NULL;
  while (job) {
    struct http_job *next = job->next;

    http__deliver(h, job);
    job = next;
  }
  if (h->done || h->closed)
    return;
  uv_idle_stop(idle);
  if (h->closing)
    http__teardown(h);
}

/* ---- public ----------------------------------------------------------- */

http_t *http_new(uv_loop_t *loop, const struct http_options *opt) {
  static const struct http_options none;
  const char *ua;
  http_t *h = NULL;

  if (loop == NULL)
    return NULL;
  if (opt == NULL)
    opt = &none;
  /* Reference-counted: balanced in http__on_close. */
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
    return NULL;
  h = calloc(1, sizeof *h);
  if (h == NULL)
    goto fail;
  h->loop = loop;
  h->connect_timeout_ms = opt->connect_timeout_ms > 0 ? opt->connect_timeout_ms : 5000;
  h->timeout_ms = opt->timeout_ms > 0 ? opt->timeout_ms : 30000;
  h->max_response = opt->max_response > 0 ? opt->max_response : OC_MAX_RESPONSE;
  ua = opt->user_agent ? opt->user_agent : "ocopd/" PACKAGE_VERSION;
  h->user_agent = malloc(strlen(ua) + 1);
  h->multi = curl_multi_init();
  if (h->user_agent == NULL || h->multi == NULL)
    goto fail;
  strcpy(h->user_agent, ua);
  curl_multi_setopt(h->multi, CURLMOPT_SOCKETFUNCTION, http__on_curl_socket);
  curl_multi_setopt(h->multi, CURLMOPT_SOCKETDATA, (void *)h);
  curl_multi_setopt(h->multi, CURLMOPT_TIMERFUNCTION, http__on_curl_timer);
  curl_multi_setopt(h->multi, CURLMOPT_TIMERDATA, (void *)h);
  curl_multi_setopt(h->multi, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                    opt->max_total_connections > 0 ? opt->max_total_connections : 64L);
  curl_multi_setopt(h->multi, CURLMOPT_MAX_HOST_CONNECTIONS,
                    opt->max_host_connections > 0 ? opt->max_host_connections : 16L);
  uv_timer_init(loop, &h->timer);
  uv_idle_init(loop, &h->idle);
  h->timer.data = h;
  h->idle.data = h;
  h->handles = 2;
  return h;

fail:
  if (h) {
    if (h->multi)
      curl_multi_cleanup(h->multi);
    free(h->user_agent);
    free(h);
  }
  curl_global_cleanup();
  return NULL;
}

int http_send_with(http_t *h, const oc_request *req, const struct http_send_opts *opts,
                   http_cb cb, void *arg) {
  struct http_job *job;
  CURLcode rc;

  if (h == NULL || h->closing || req == NULL || cb == NULL)
    return -1;
  job = calloc(1, sizeof *job);
  if (job == NULL)
    return -1;
  job->http = h;
  job->cb = cb;
  job->arg = arg;
  job->retry_after_ms = -1;
  if (opts) {
    job->once = opts->once;
    job->hold = opts->hold;
    job->hold_arg = opts->hold_arg;
  }
  job->start_ns = uv_hrtime();
  h->inflight++;
  if (req->url == NULL || !http__method_ok(req->method)) {
    http__defer(h, job, HTTP_FAIL_OTHER, "bad request");
    return 0;
  }
  rc = http__job_setup(h, job, req);
  if (rc != CURLE_OK) {
    http__defer(h, job, HTTP_FAIL_OTHER, curl_easy_strerror(rc));
    return 0;
  }
  if (curl_multi_add_handle(h->multi, job->easy) != CURLM_OK) {
    http__defer(h, job, HTTP_FAIL_OTHER, "out of memory");
    return 0;
  }
  http__link(h, job);
  return 0;
}

int http_send(http_t *h, const oc_request *req, http_cb cb, void *arg) {
  return http_send_with(h, req, NULL, cb, arg);
}

int http_send_once(http_t *h, const oc_request *req, http_cb cb, void *arg) {
  static const struct http_send_opts once = {1, NULL, NULL};

  return http_send_with(h, req, &once, cb, arg);
}

unsigned http_inflight(const http_t *h) {
  return h ? h->inflight : 0;
}

void http_close(http_t *h, void (*done)(void *arg), void *arg) {
  struct http_job *job;

  if (h == NULL || h->closing)
    return;
  h->closing = 1;
  h->closed_cb = done;
  h->closed_arg = arg;
  while ((job = h->active) != NULL) {
    http__unlink(h, job);
    curl_multi_remove_handle(h->multi, job->easy);
    job->status = 0;
    http__defer(h, job, HTTP_FAIL_SHUTDOWN, "shutting down");
  }
  uv_idle_start(&h->idle, http__on_idle);
}
