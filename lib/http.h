/*
 * http.h — outbound HTTP on the libuv loop with curl's multi-socket API.
 *
 * One http_t owns one CURLM, a uv_timer_t for curl's timeouts and a uv_poll_t
 * per socket. Requests come from connectors (oc_request) and are sent as
 * built: the exact body bytes, the method and headers. Responses larger than
 * max_response fail in the write callback (CURLOPT_MAXFILESIZE does not stop
 * chunked bodies on curl 7.88). TLS verification is always on.
 */
#ifndef OCOP_HTTP_H
#define OCOP_HTTP_H

#include <stddef.h>
#include <stdint.h>
#include <uv.h>

#include "connector.h"

typedef struct http http_t;

/* Why no complete response arrived; callers switch on this, the text in
 * http_response.error is for people. */
enum http_fail {
  HTTP_FAIL_NONE = 0, /* a complete response (any status) */
  HTTP_FAIL_TIMEOUT,  /* the transfer or the connection timed out */
  HTTP_FAIL_CONNECT,  /* no connection: DNS, refused, TLS handshake */
  HTTP_FAIL_TOO_LARGE, /* the body passed max_response */
  HTTP_FAIL_SHUTDOWN, /* http_close() aborted it */
  HTTP_FAIL_UNKNOWN,  /* http_send_once: the connection died after the request
                         went out and before any answer; it was not sent again */
  HTTP_FAIL_HELD,     /* the sender's hold said wait as curl was about to send:
                         nothing went out; retry_after_ms is the wait */
  HTTP_FAIL_OTHER     /* bad request, out of memory, any other curl error */
};

struct http_response {
  long status;           /* HTTP status; 0 when no response arrived */
  const char *body;      /* not NUL-terminated; valid during the callback */
  size_t len;
  long retry_after_ms;   /* from a Retry-After header (seconds or date); -1 none */
  enum http_fail fail;   /* HTTP_FAIL_NONE on a complete response */
  const char *error;     /* NULL on a complete response; else a one-line reason
                            ("timeout", "response too large", curl's text) */
  double total_s;        /* wall time of the transfer */
};

typedef void (*http_cb)(void *arg, const struct http_response *resp);

struct http_options {
  long connect_timeout_ms;     /* default 5000 */
  long timeout_ms;             /* whole transfer, default 30000 */
  size_t max_response;         /* default OC_MAX_RESPONSE */
  long max_total_connections;  /* default 64 */
  long max_host_connections;   /* default 16 */
  const char *user_agent;      /* default "ocopd/<version>" */
};

http_t *http_new(uv_loop_t *loop, const struct http_options *opt);

/* Copies what it needs from req; cb runs exactly once, never synchronously.
 * Returns 0, or -1 when closing. */
int http_send(http_t *http, const oc_request *req, http_cb cb, void *arg);

/* As http_send, for a request that must not reach the server twice (a
 * create): libcurl sends a request again on a fresh connection when a
 * reused one dies before any answer, and the first may have been applied.
 * Here that second send is refused: the transfer fails HTTP_FAIL_UNKNOWN
 * and the caller settles the outcome itself (a look-up). */
int http_send_once(http_t *http, const oc_request *req, http_cb cb, void *arg);

/* How a request goes: once (as http_send_once), and a hold asked again as
 * curl is about to send it. A request can wait inside curl for a free
 * connection, for seconds behind slow answers; a marketplace's Retry-After
 * that arrived meanwhile must still hold. hold returns the milliseconds
 * still to wait, 0 to send; it must not call into http_t. */
struct http_send_opts {
  int once;
  uint64_t (*hold)(void *hold_arg);
  void *hold_arg;
};

/* As http_send, with opts (NULL: none). */
int http_send_with(http_t *http, const oc_request *req, const struct http_send_opts *opts,
                   http_cb cb, void *arg);

unsigned http_inflight(const http_t *http);

/* Aborts transfers still running (their cb gets HTTP_FAIL_SHUTDOWN, error
 * "shutting down"),
 * releases curl and every handle, then calls done; http is freed after. */
void http_close(http_t *http, void (*done)(void *arg), void *arg);

#endif
