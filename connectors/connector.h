/*
 * connector.h — the ABI between ocopd and a marketplace connector.
 *
 * A connector is a shared object loaded with dlopen() from connector_dir. It
 * exports one symbol, OC_ENTRY_SYMBOL, returning a table of functions. It is
 * pure: it turns an operation, the shop's credentials, the listing and the
 * time into an HTTP request, and an HTTP response into a classified result.
 * It does no I/O, keeps no state between calls and owns no loop handle; the
 * core does transport, timeouts, retries, rate limits and logging. That keeps
 * every connector testable byte for byte and lets a marketplace be one file.
 *
 * Compatibility: the core refuses a connector whose `abi` differs from
 * OC_ABI_VERSION. Adding an operation or a field bumps the version. ABI 2
 * added AUTH_LINK, TOKEN_EXCHANGE and the file feed; ABI 3 adds orders:
 * LIST_ORDERS, GET_ORDERS (build_orders/parse_orders) and push verification
 * (verify_push). Neither is released yet, so both still change freely.
 */
#ifndef OCOP_CONNECTOR_H
#define OCOP_CONNECTOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define OC_ABI_VERSION 3u
#define OC_ENTRY_SYMBOL "ocop_connector_v1"

/* Limits the core and every connector agree on. */
#define OC_MAX_HEADERS 8
#define OC_MAX_RESPONSE (1024 * 1024) /* larger bodies fail the job */
#define OC_ID_MAX 64                  /* marketplace ids, kept as text */
#define OC_MAX_ORDER_IDS 50           /* order ids per GET_ORDERS */
#define OC_MAX_PUSH (64 * 1024)       /* webhook bodies larger than this are refused */

typedef enum oc_op {
  OC_OP_PUBLISH = 1, /* create the listing (name, price, stock, claims) */
  OC_OP_UPDATE,      /* name, description, OCOP claims (strip/restore) */
  OC_OP_SET_STOCK,   /* absolute quantity: repeating it is harmless */
  OC_OP_SET_PRICE,   /* absolute price in dong */
  OC_OP_DELIST,      /* hide the listing; reversible */
  OC_OP_RELIST,      /* show it again */
  OC_OP_LOOKUP_SKU,  /* find our listing by seller SKU (create of unknown outcome) */
  OC_OP_GET_LISTING, /* read back status, price and stock by marketplace id */
  OC_OP_REFRESH_TOKEN,
  OC_OP_AUTH_LINK,      /* build only: req->url is the link to show the seller
                         * (method "GET", nothing is sent); parse is unused */
  OC_OP_TOKEN_EXCHANGE, /* the seller's code (shop.auth_code) for a token pair;
                         * parse fills the tokens like REFRESH_TOKEN */
  OC_OP_LIST_ORDERS,    /* ABI 3: one page of order ids updated in a window */
  OC_OP_GET_ORDERS,     /* ABI 3: details of up to OC_MAX_ORDER_IDS orders */
  OC_OP_MAX
} oc_op;

/* Capability bits, one per operation (1u << op), plus: */
#define OC_CAP(op) (1u << (op))
#define OC_CAP_STRIP (1u << 31) /* UPDATE with stars == 0 removes every claim */
#define OC_CAP_FEED (1u << 30)  /* a file channel: the core writes feed() output */

/* Per-shop connector options ("category_id" = "100644"), from shop.options. */
typedef struct oc_kv {
  const char *key;
  const char *value;
} oc_kv;

typedef struct oc_shop {
  const char *base_url;     /* scheme://host[:port], no trailing slash */
  const char *app_key;      /* Shopee partner_id, Lazada/TikTok app_key */
  const char *app_secret;   /* partner key / app secret: never log it */
  const char *shop_id;      /* the marketplace's shop id, as text */
  const char *access_token; /* may be NULL for public calls */
  const char *refresh_token;
  const oc_kv *opts;
  size_t nopts;
  const char *auth_code;    /* TOKEN_EXCHANGE: the code the seller brought back */
  const char *redirect_url; /* AUTH_LINK: where the marketplace sends the seller */
} oc_shop;

/* What the listing should say now. Strings are UTF-8, never NULL unless noted. */
typedef struct oc_listing {
  const char *sku;            /* our product code = seller SKU */
  const char *name;           /* product name without any OCOP claim */
  const char *description;
  const char *category;       /* OCOP category code, e.g. "I.3.c" */
  const char *unit;           /* "gói", "hộp"... */
  int64_t price_vnd;          /* whole dong */
  int64_t stock;              /* absolute quantity for this shop */
  int32_t weight_g;           /* 0 when unknown */
  int stars;                  /* 3..5: show OCOP claims; 0: strip them */
  const char *certificate_no; /* decision number; NULL when stars == 0 */
  const char *item_id;        /* marketplace listing id; NULL before publish */
} oc_listing;

typedef struct oc_request {
  char method[8];  /* "GET" or "POST" */
  char *url;       /* full URL with query; may hold tokens: never log it */
  char *log_url;   /* the same URL with every secret and token removed */
  char *body;      /* exact bytes to send (signed as is); NULL for none */
  size_t body_len;
  char *headers[OC_MAX_HEADERS]; /* "Name: value"; may hold tokens */
  int nheaders;
} oc_request;

typedef enum oc_status {
  OC_OK = 0,
  OC_RETRY,     /* transient: retry later (retry_after_ms, or the core's backoff) */
  OC_AUTH,      /* token invalid or expired: refresh, then re-authorise */
  OC_REJECTED,  /* the marketplace refused the request: dead-letter it */
  OC_NOT_FOUND  /* the listing does not exist (LOOKUP_SKU: not created yet) */
} oc_status;

typedef struct oc_result {
  oc_status status;
  long retry_after_ms;      /* OC_RETRY: 0 lets the core choose */
  char error[256];          /* marketplace code and message; never a secret */
  char request_id[96];
  char item_id[OC_ID_MAX];  /* PUBLISH, LOOKUP_SKU, GET_LISTING */
  /* GET_LISTING */
  int active;               /* 1 listed, 0 delisted */
  int64_t price_vnd;
  int64_t stock;
  /* REFRESH_TOKEN, TOKEN_EXCHANGE (expiries: see oc_expiry_to_unix) */
  char access_token[512];
  char refresh_token[512];
  int64_t access_expires_at;  /* unix seconds */
  int64_t refresh_expires_at; /* unix seconds, 0 when not said */
  /* LIST_ORDERS, GET_ORDERS (ABI 3): the answer in the canonical order JSON
   * described below, from malloc(); the core frees it. NULL unless OC_OK. */
  char *orders;
} oc_result;

/*
 * Orders (ABI 3). A connector turns the marketplace's order answers into one
 * canonical JSON document, so the core and the database see every channel
 * alike and the mapping of statuses lives in the connector that knows them.
 *
 * LIST_ORDERS answers
 *   {"ids": ["<order id>", ...], "next": "<page>", "done_at": <unix s>}
 * "next" is "" on the window's last page, else the value to pass back as
 * oc_order_query.page. "done_at" is 0, or (Lazada, whose offset stops at
 * 5000) the update time up to which the window is complete: the core moves
 * its cursor there and continues the window from it.
 *
 * GET_ORDERS answers
 *   {"orders": [{"id": "...", "status": "<marketplace status>",
 *                "effect": "reserved" | "sold" | "cancelled" | "returned",
 *                "update_time": <unix s>, "total_vnd": <dong or null>,
 *                "lines": [{"sku": "<seller sku>", "qty": <1..>,
 *                           "unit_price_vnd": <dong or null>}, ...]}, ...],
 *    "bad": [{"id": "...", "error": "why this order could not be read"}, ...]}
 * "effect" is what the status means for stock: reserved (unpaid), sold (paid,
 * in fulfilment or done), cancelled, returned. Lines are merged per SKU, so
 * marketplaces with one row per unit (Lazada, TikTok) report quantities. An
 * order that cannot be read (unknown status, missing field) goes to "bad"
 * with the reason, so one broken order never blocks the others; the core
 * retries it and dead-letters it after max_attempts.
 */
typedef struct oc_order_query {
  int64_t from_s;         /* LIST_ORDERS: update-time window [from_s, to_s) */
  int64_t to_s;
  const char *page;       /* LIST_ORDERS: "" first, then the answer's "next" */
  const char *const *ids; /* GET_ORDERS: 1..OC_MAX_ORDER_IDS order ids */
  size_t nids;
} oc_order_query;

/* What a verified push says (ABI 3). Strings are "" when absent. */
typedef struct oc_push {
  int kind;                    /* the marketplace's message type/code */
  int64_t timestamp;           /* unix seconds the marketplace stamped, 0 if none */
  char shop_id[OC_ID_MAX];     /* the marketplace's shop/seller id */
  char order_id[OC_ID_MAX];    /* set when the push is about an order */
  char error[160];             /* why it was refused */
} oc_push;

/* One row of a file channel's catalogue feed (ABI 2). */
typedef struct oc_feed_row {
  const oc_listing *listing;
  int active;             /* 1 listed, 0 delisted (an inactive row) */
  const char *image_urls; /* space-separated URLs; NULL or "" for none */
} oc_feed_row;

typedef struct oc_connector {
  uint32_t abi;     /* OC_ABI_VERSION */
  const char *name; /* "shopee": matches shop.marketplace */
  uint32_t caps;    /* OC_CAP(op) bits and OC_CAP_STRIP */

  /*
   * Builds the request for `op` at `now_ms` (unix milliseconds; connectors
   * that sign seconds divide). Fills *req with malloc'd strings that the core
   * frees with oc_request_free(). On bad input returns -1 with a message in
   * err (no secrets in it) and leaves *req empty.
   */
  int (*build)(oc_op op, const oc_shop *shop, const oc_listing *listing,
               int64_t now_ms, oc_request *req, char *err, size_t errlen);

  /*
   * Classifies a response. `http_status` is 0 when no response arrived.
   * `body` is not NUL-terminated and at most OC_MAX_RESPONSE bytes.
   * Never fails: malformed input yields OC_RETRY or OC_REJECTED with a reason.
   */
  void (*parse)(oc_op op, const oc_shop *shop, const oc_listing *listing,
                long http_status, const char *body, size_t len,
                oc_result *res);

  /*
   * ABI 2, optional (NULL for HTTP connectors). With OC_CAP_FEED the core
   * sends no request: it finishes each listing job at once and, debounced,
   * renders the shop's whole catalogue with feed() and writes the bytes
   * atomically into the shop's export folder. Pure like build(): fills *out
   * with malloc'd bytes (the core frees them) and *outlen; on bad input
   * returns -1 with a message in err and leaves *out NULL.
   */
  int (*feed)(const oc_shop *shop, const oc_feed_row *rows, size_t nrows, char **out,
              size_t *outlen, char *err, size_t errlen);

  /* ---- ABI 3: orders; NULL when the connector has none ---- */

  /* The longest update-time window one LIST_ORDERS may ask for, in seconds
   * (Shopee 15 days); 0 when the marketplace sets no limit. */
  int64_t order_window_s;

  /* Like build() and parse(), for LIST_ORDERS and GET_ORDERS. */
  int (*build_orders)(oc_op op, const oc_shop *shop, const oc_order_query *q,
                      int64_t now_ms, oc_request *req, char *err, size_t errlen);
  void (*parse_orders)(oc_op op, const oc_shop *shop, const oc_order_query *q,
                       long http_status, const char *body, size_t len, oc_result *res);

  /*
   * Checks a webhook exactly as the marketplace documents it: `authorization`
   * is the Authorization header (NULL when absent), `callback_url` the URL
   * the marketplace was given (Shopee signs it), `body` the raw bytes (at
   * most OC_MAX_PUSH; the core has already refused deeper nesting than 32).
   * Compares in constant time. Returns 0 and fills *out when the signature
   * holds and the body is well formed; -1 with out->error otherwise.
   */
  int (*verify_push)(const oc_shop *shop, const char *callback_url,
                     const char *authorization, const char *body, size_t len,
                     oc_push *out);
} oc_connector;

typedef const oc_connector *(*oc_entry_fn)(void);

static inline void oc_request_free(oc_request *req) {
  int i;

  free(req->url);
  free(req->log_url);
  free(req->body);
  for (i = 0; i < req->nheaders; i++)
    free(req->headers[i]);
  req->url = req->log_url = req->body = NULL;
  req->body_len = 0;
  req->nheaders = 0;
}

/* The value of a per-shop option, or `def`. */
static inline const char *oc_shop_opt(const oc_shop *shop, const char *key,
                                      const char *def) {
  size_t i;

  for (i = 0; i < shop->nopts; i++) {
    const char *a = shop->opts[i].key, *b = key;

    while (*a && *a == *b)
      a++, b++;
    if (*a == *b)
      return shop->opts[i].value;
  }
  return def;
}

static inline const char *oc_op_name(oc_op op) {
  static const char *const names[OC_OP_MAX] = {
      "?", "publish", "update", "set_stock", "set_price", "delist",
      "relist", "lookup_sku", "get_listing", "refresh_token", "auth_link",
      "token_exchange", "list_orders", "get_orders"};

  return (op > 0 && op < OC_OP_MAX) ? names[op] : "?";
}

/* Unix seconds of an expiry a connector returned in oc_result: absolute when
 * it looks like a date (TikTok), else seconds after `sent_s`, the time the
 * request was sent (Shopee, Lazada). 10^9 seconds is 31 years: no token
 * lives that long, and every date after 2001 is larger. */
static inline long long oc_expiry_to_unix(long long value, long long sent_s) {
  return value >= 1000000000LL ? value : sent_s + value;
}

#endif
