/*
 * call.h — one path for every marketplace call (prefix call_).
 *
 * The outbox, the order poller, the stock read-back, the token refresh and
 * `ocopctl shop authorize` all call a marketplace the same way, in stages:
 *
 *   capabilities → credentials → rate limit → token → build → send → parse
 *   → verdict
 *
 * A stage that stops the call ends it with a verdict, and the callback runs
 * once, with whatever stage decided. The connector is looked up once, when
 * the caller holds it (call_hold_connector) for its job or run; from its
 * credentials stage to its callback the call takes references of its own
 * to that generation and to the shop's secret, so a SIGHUP reload never
 * frees what a call in flight uses.
 *
 * The rate limiter and the token provider belong to ocopd: they are hooks,
 * NULL in ocopctl. Outcomes are enums, never text to compare: the
 * transport's (enum http_fail) and the call's (call_verdict).
 */
#ifndef OCOP_CALL_H
#define OCOP_CALL_H

#include <stddef.h>
#include <stdint.h>

#include "connector.h"
#include "http.h"
#include "registry.h"
#include "secret.h"

typedef enum call_verdict {
  CALL_OK = 0,        /* the marketplace did it; the result is in res->r */
  CALL_RETRY,         /* transient (transport, 5xx, a malformed answer): again later;
                         retry_after_ms > 0 when someone named a wait */
  CALL_RATE_LIMITED,  /* a 429 or the marketplace's rate-limit code: the shop is
                         paused retry_after_ms (>= 1000); not a failure */
  CALL_AUTH,          /* the token was refused: refresh it (the token hook ran) */
  CALL_REJECTED,      /* refused for good */
  CALL_NOT_FOUND,     /* the listing does not exist */
  CALL_UNSUPPORTED,   /* no connector, or it cannot do this operation */
  CALL_NO_CREDENTIALS, /* the shop's secret cannot be read */
  CALL_BAD_INPUT,     /* the connector could not build the request */
  CALL_DEFERRED,      /* the rate limit or a token refresh says wait
                         retry_after_ms; nothing was sent */
  CALL_SHUTDOWN,      /* the transport is closing; nothing more goes out */
  CALL_IN_LINE,       /* VARIANTS: the item already matches; nothing was sent */
  CALL_EXISTS         /* PUBLISH: the marketplace holds this SKU already (an
                         earlier create landed): look it up, never create again */
} call_verdict;

/* 1 when op changes the marketplace in a way that repeating it would
 * repeat (a create, a variant added, an upload, a single-use refresh
 * token spent): it goes out at most once per call, never resent by the
 * transport (http_send_once). */
int call_op_once(oc_op op);

const char *call_verdict_name(call_verdict v);

/* What a caller holds for the life of a job or a run: the connector
 * generation (and the marketplace's connector in it) and the shop's
 * secret. Zeroed means nothing held. */
struct call_hold {
  struct registry *reg;
  const oc_connector *conn;
  secret_t *secret;
};

/* Holds reg's connector for marketplace in place of any held before; 0, or
 * -1 (holding no connector) when reg has none. */
int call_hold_connector(struct call_hold *h, struct registry *reg, const char *marketplace);
/* Holds the secret of shop `name` (dir: NULL for $CREDENTIALS_DIRECTORY)
 * and points shop->app_secret at it; 0, or -1 with a reason in err (what
 * was held stays). */
int call_hold_secret(struct call_hold *h, const char *dir, const char *name, oc_shop *shop,
                     char *err, size_t errlen);
/* dst holds what src holds, with references of its own. */
void call_hold_copy(struct call_hold *dst, const struct call_hold *src);
/* Lets go of the connector (a shop between runs keeps no module). */
void call_hold_drop_connector(struct call_hold *h);
/* Lets go of everything. */
void call_hold_release(struct call_hold *h);

/* One call: what to ask, of whom. Pointers stay the caller's and must live
 * until the callback has run. */
struct call_req {
  oc_op op;
  struct call_hold *hold;   /* the connector (held) and the secret */
  oc_shop *shop;            /* app_secret is set by the credentials stage */
  const char *shop_name;    /* names the secret file; and the logs */
  const char *cred_dir;     /* NULL: $CREDENTIALS_DIRECTORY */
  const oc_listing *listing; /* PUBLISH .. GET_LISTING */
  const oc_order_query *query; /* LIST_ORDERS, GET_ORDERS */
  const oc_upload *upload;  /* UPLOAD_IMAGE */
  const oc_category_query *category; /* CATEGORY */
  long long job_id;         /* for the debug lines; -1 none */
  void *hook_arg;           /* handed to the hooks */
};

typedef struct call_result {
  call_verdict verdict;
  oc_op op;
  int sent;                 /* 1 when the request went out */
  long http_status;         /* 0 when no response arrived */
  enum http_fail fail;      /* the transport's failure, HTTP_FAIL_NONE if none */
  long retry_after_ms;      /* RETRY, RATE_LIMITED, DEFERRED: see call_verdict */
  int64_t sent_s;           /* when the request was built: token expiries count from it */
  char message[400];        /* the reason, never a secret: connector error and
                               request id, the transport's text, or the stage's */
  char *link;               /* AUTH_LINK: the URL to show the seller (may hold a
                               signature: print it, never log it) */
  union {
    oc_listing_result listing;
    oc_token_result token;  /* wiped after the callback */
    oc_order_page page;     /* freed after the callback unless moved out */
    oc_order_batch batch;   /* likewise */
    oc_upload_result upload;
    oc_category_result category; /* rules freed after the callback unless
                                    moved out (set to NULL) */
  } r;
} call_result;

typedef void (*call_cb)(void *arg, call_result *res);

/* ocopd's rate limiter and token provider; any may be NULL. `arg` is the
 * request's hook_arg. A wait (> 0 ms) ends the call CALL_DEFERRED with
 * the reason the hook wrote in why. */
struct call_hooks {
  uint64_t (*rate_take)(void *arg, const struct call_req *req, char *why, size_t len);
  void (*rate_pause)(void *arg, const struct call_req *req, uint64_t ms);
  uint64_t (*token_check)(void *arg, const struct call_req *req, char *why, size_t len);
  void (*token_refused)(void *arg, const struct call_req *req);
  /* Asked again as the request is about to leave (it may have waited in
   * the transport for a connection): the milliseconds a pause the
   * marketplace asked for still holds, 0 to send. A held request ends
   * CALL_DEFERRED, not sent. */
  uint64_t (*rate_held)(void *arg, const struct call_req *req);
};

struct call_env {
  http_t *http;
  const struct call_hooks *hooks; /* NULL: none */
};

/* Told of every call that was sent, once its answer is classified: the
 * connector's name, the verdict and the transport's total time. One per
 * process (ocopd's metrics, daemon/metrics.h); NULL, as in ocopctl: none. */
typedef void (*call_observer)(const char *marketplace, call_verdict v, double seconds);
void call_set_observer(call_observer fn);

/* Runs the stages; cb runs exactly once: synchronously when a stage before
 * the send decides (and for AUTH_LINK, which sends nothing), else from the
 * loop when the answer is classified. */
void call_start(const struct call_env *env, const struct call_req *req, call_cb cb, void *arg);

/* The verdict of an answer: the transport's failure (fail, with its text),
 * the HTTP status, the Retry-After header (-1 none) and the connector's
 * verdict v (NULL when the connector was not asked). Fills res->verdict,
 * retry_after_ms and message. Pure: the mapping table of call.c. */
void call_classify(enum http_fail fail, const char *fail_text, long http_status,
                   long header_retry_ms, const oc_verdict *v, call_result *res);

#endif
