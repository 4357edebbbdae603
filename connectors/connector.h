/*
 * connector.h — the ABI between ocopd and a marketplace connector.
 *
 * A connector is a shared object loaded with dlopen() from connector_dir. It
 * exports one symbol, OC_ENTRY_SYMBOL ("ocop_connector_abi6": the name
 * carries the version, so a connector built for another ABI is not even
 * found), returning a table of functions. It is
 * pure: it turns an operation, the shop's credentials, the listing and the
 * time into an HTTP request, and an HTTP response into a classified result.
 * It does no I/O, keeps no state between calls and owns no loop handle; the
 * core does transport, timeouts, retries, rate limits and logging. That keeps
 * every connector testable byte for byte and lets a marketplace be one
 * folder (connectors/<name>/).
 *
 * Compatibility: the core refuses a connector whose `abi` differs from
 * OC_ABI_VERSION. Adding an operation or a field bumps the version. ABI 2
 * added AUTH_LINK, TOKEN_EXCHANGE and the file feed; ABI 3 orders and push
 * verification. ABI 4 types the results per operation family (listing,
 * token, order page, order batch), carries orders as structs instead of JSON
 * text, and keeps the data fields ahead of the function pointers. ABI 5
 * carries a product's variants (pack sizes): a listing is one marketplace
 * item with one or more variants, each with its own seller SKU, price and
 * stock, and results name each variant's marketplace id. ABI 6 carries the
 * listing's content: the product's own images (uploaded first with
 * UPLOAD_IMAGE), its leaf category, brand and attributes, resolved against
 * the category's rules that CATEGORY reads. Callers use
 * the inline wrappers at the end of this file (oc_build_listing, ...), which
 * check the capability bit, never the pointers themselves.
 */
#ifndef OCOP_CONNECTOR_H
#define OCOP_CONNECTOR_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#define OC_ABI_VERSION 6u
/* The exported entry: a connector defines it as
 *   const oc_connector *OC_ENTRY(void) { return &table; }  */
#define OC_ENTRY ocop_connector_abi6
#define OC_STR_(x) #x
#define OC_STR(x) OC_STR_(x)
#define OC_ENTRY_SYMBOL OC_STR(OC_ENTRY)

/* Limits the core and every connector agree on. */
#define OC_MAX_HEADERS 8
#define OC_MAX_RESPONSE (1024 * 1024) /* larger bodies fail the job */
#define OC_ID_MAX 65                  /* marketplace ids, kept as text: 64 bytes + NUL */
#define OC_MAX_ORDER_IDS 50           /* order ids per GET_ORDERS */
#define OC_MAX_PUSH (64 * 1024)       /* webhook bodies larger than this are refused */
#define OC_STATUS_MAX 48              /* a marketplace's order status text */
#define OC_NEXT_MAX 1025              /* a LIST_ORDERS page cursor (TikTok: up to 1024) */
#define OC_MAX_VARIANTS 50            /* variants of one item (Shopee: 50 models) */
#define OC_MEMO_MAX 512               /* a connector's note on an item's variation */
#define OC_MAX_IMAGES 9               /* images of one listing (gallery + certificate) */
#define OC_MAX_ATTRS 64               /* attributes of one listing */
#define OC_MAX_PARTS 4                /* fields of a multipart upload */
#define OC_MAX_RULES (256 * 1024)     /* a category's rules, as JSON text */

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
  OC_OP_LIST_ORDERS,    /* one page of order ids updated in a window */
  OC_OP_GET_ORDERS,     /* details of up to OC_MAX_ORDER_IDS orders */
  OC_OP_VARIANTS,       /* the next call that brings the item's variants in line
                         * with the catalogue (add, re-label, remove); see below */
  OC_OP_UPLOAD_IMAGE,   /* one image into the shop's media space */
  OC_OP_CATEGORY,       /* one step of reading a leaf category's rules */
  OC_OP_MAX
} oc_op;

/* Capability bits, one per operation (1u << op), plus: */
#define OC_CAP(op) (1u << (op))
#define OC_CAP_STRIP (1u << 31) /* UPDATE with stars == 0 removes every claim */
#define OC_CAP_FEED (1u << 30)  /* a file channel: the core writes feed() output */

/* What build_listing(VARIANTS) returns when the item's variants already
 * match the catalogue: no request is made. */
#define OC_IN_LINE 1

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

/*
 * One variant (pack size) of the product. A product has one or more; every
 * variant follows the product's certificate. Prices and stock are per
 * variant.
 */
typedef struct oc_variant {
  const char *sku;        /* seller SKU (Shopee model_sku / item_sku, Lazada
                           * SellerSku, TikTok seller_sku); unique */
  const char *label;      /* variation value, e.g. "500 g"; "" when the
                           * product has a single variant */
  int64_t price_vnd;      /* whole dong */
  int64_t stock;          /* absolute quantity for this shop */
  int32_t weight_g;       /* 0 when unknown */
  int32_t length_mm;      /* package size; all three 0 when unknown */
  int32_t width_mm;
  int32_t height_mm;
  const char *gtin;       /* NULL when none */
  const char *remote_id;  /* the marketplace's id of this variant (Shopee
                           * model_id, "0" for an item without models; Lazada
                           * SkuId; TikTok sku id), "" when it exists but its id
                           * is unknown, NULL when it is not on the item */
  int removed;            /* 1: gone from the catalogue; VARIANTS takes it off
                           * the item (remote_id is then not NULL) */
} oc_variant;

/* An image the marketplace holds already (UPLOAD_IMAGE returned it). */
typedef struct oc_image {
  const char *remote_id; /* Shopee image_id, TikTok uri; "" when the marketplace
                          * names its images by URL only */
  const char *url;       /* the marketplace-hosted URL (Lazada); "" when none */
  int certificate;       /* 1: evidence of the OCOP certificate (a scan, the
                          * star label), sent where the marketplace takes
                          * certification images; 0: a gallery image */
} oc_image;

/* One attribute of the listing, resolved to the category's own ids. */
typedef struct oc_attr {
  const char *id;       /* the marketplace's attribute id (Lazada: its key name) */
  const char *name;     /* the marketplace's attribute name */
  const char *value_id; /* the allowed value's id; "" for free text */
  const char *value;    /* the value as text */
} oc_attr;

/* What the listing should say now. Strings are UTF-8, never NULL unless noted. */
typedef struct oc_listing {
  const char *sku;            /* our product code: the item's own SKU, and what
                               * LOOKUP_SKU searches when item_id is NULL */
  const char *name;           /* product name without any OCOP claim */
  const char *description;
  const char *category;       /* OCOP category code, e.g. "I.3.c" */
  const char *unit;           /* "gói", "hộp"... */
  int stars;                  /* 3..5: show OCOP claims; 0: strip them */
  const char *certificate_no; /* decision number; NULL when stars == 0 */
  const char *item_id;        /* marketplace listing id; NULL before publish */
  const oc_variant *variants; /* the product's variants, catalogue order first
                               * (removed ones last); nvariants >= 1 */
  size_t nvariants;
  const char *memo;           /* VARIANTS: the memo the job's LOOKUP_SKU or the
                               * previous VARIANTS step returned; NULL at first */
  /* Content (PUBLISH, UPDATE), resolved by the core against the category's
   * rules (CATEGORY); NULL / 0 for every other operation. */
  const char *category_id;    /* the marketplace's leaf category */
  const char *brand_id;       /* the marketplace's brand id; the category's
                               * "no brand" id when the product has none */
  const char *brand_name;     /* the brand as the marketplace names it */
  const oc_attr *attrs;       /* the category's attributes the product fills */
  size_t nattrs;
  const oc_image *images;     /* gallery images in order (the first is the
                               * main one), then certificate images */
  size_t nimages;
  const char *certification_id; /* the category's certification the
                                 * certificate images prove; NULL when none */
} oc_listing;

/* UPLOAD_IMAGE: one checked image. The bytes are the core's (lib/image.c
 * read them and matched their format and size); the connector checks them
 * against its marketplace's limits before building. */
typedef struct oc_upload {
  const unsigned char *data;
  size_t len;
  const char *filename; /* e.g. "OCP-BKN-001-1.jpg" */
  const char *mime;     /* "image/jpeg" or "image/png" */
  int width, height;    /* pixels */
  int certificate;      /* 1: a certification image (TikTok use_case) */
} oc_upload;

/* One field of a multipart/form-data request. The core builds the body with
 * libcurl's MIME API, fields in order. */
typedef struct oc_part {
  char *name;     /* the field name */
  char *value;    /* text value; NULL for the file field, whose bytes are the
                   * oc_upload's */
  char *filename; /* the file field's file name; NULL for text */
  char *mime;     /* the file field's type; NULL for text */
} oc_part;

/* CATEGORY: reading a category's rules takes one or more calls (the
 * attributes, the brands, the certification rules). `step` counts from 0;
 * `rules` is what the previous steps made ("" at step 0). */
typedef struct oc_category_query {
  const char *category_id;
  int step;
  const char *rules;
} oc_category_query;

typedef struct oc_request {
  char method[8];  /* "GET" or "POST" */
  char *url;       /* full URL with query; may hold tokens: never log it */
  char *log_url;   /* the same URL with every secret and token removed */
  char *body;      /* exact bytes to send (signed as is); NULL for none */
  size_t body_len;
  char *headers[OC_MAX_HEADERS]; /* "Name: value"; may hold tokens */
  int nheaders;
  oc_part parts[OC_MAX_PARTS]; /* UPLOAD_IMAGE: a multipart body (body is then
                                * NULL); the signature never covers it */
  int nparts;
  const unsigned char *file; /* the file field's bytes (not owned) */
  size_t file_len;
} oc_request;

typedef enum oc_status {
  OC_OK = 0,
  OC_RETRY,     /* transient: retry later (retry_after_ms, or the core's backoff) */
  OC_AUTH,      /* token invalid or expired: refresh, then re-authorise */
  OC_REJECTED,  /* the marketplace refused the request: dead-letter it */
  OC_NOT_FOUND, /* the listing does not exist (LOOKUP_SKU: not created yet) */
  OC_EXISTS     /* PUBLISH: the marketplace already holds a listing with this
                 * SKU (an earlier create landed): the core looks it up and
                 * never sends the create again. Added within ABI 6: a
                 * connector that never returns it loses nothing. */
} oc_status;

/* What every parse says first: the marketplace's verdict on the call. */
typedef struct oc_verdict {
  oc_status status;
  long retry_after_ms;     /* OC_RETRY: 0 lets the core choose */
  char error[256];         /* marketplace code and message; never a secret */
  char request_id[96];
} oc_verdict;

/*
 * A category's rules in the one form every connector writes and the core
 * stores (sql/logic/content.sql reads it):
 *   {"leaf": true, "brand_required": false, "dimensions_required": false,
 *    "no_brand": {"id": "0", "name": "No Brand"} | null,
 *    "brands": [{"id": "..", "name": ".."}],
 *    "attrs": [{"id": "..", "name": "..", "required": true,
 *               "values": [{"id": "..", "name": ".."}]}],  (no values: free text)
 *    "certifications": [{"id": "..", "name": "..", "required": false}]}
 */
typedef struct oc_category_result {
  oc_verdict v;
  char *rules; /* malloc'd JSON text as above, merged over the query's rules */
  int more;    /* 1: call again with step + 1 and these rules */
} oc_category_result;

typedef struct oc_upload_result {
  oc_verdict v;
  char remote_id[256]; /* the marketplace's image id; "" when it gives a URL only */
  char url[1024];      /* the hosted URL; "" when it gives an id only */
} oc_upload_result;

/* What a call says of one variant, matched by seller SKU. */
typedef struct oc_variant_result {
  char sku[OC_ID_MAX];
  char remote_id[OC_ID_MAX]; /* the marketplace's id of the variant */
  int gone;                  /* VARIANTS: it was taken off the item */
  int64_t price_vnd;         /* GET_LISTING, LOOKUP_SKU: -1 when not said */
  int64_t stock;             /* GET_LISTING, LOOKUP_SKU: -1 when not said */
} oc_variant_result;

/* PUBLISH, UPDATE, SET_STOCK, SET_PRICE, DELIST, RELIST, LOOKUP_SKU,
 * GET_LISTING, VARIANTS. */
typedef struct oc_listing_result {
  oc_verdict v;
  char item_id[OC_ID_MAX]; /* PUBLISH, LOOKUP_SKU, GET_LISTING */
  int active;              /* GET_LISTING: 1 listed, 0 delisted */
  /* PUBLISH, LOOKUP_SKU, GET_LISTING, VARIANTS: the variants the answer
   * names (those it created, found, read or removed); the core records
   * their ids. A SKU the listing does not hold is ignored. */
  oc_variant_result variants[OC_MAX_VARIANTS];
  size_t nvariants;
  /* LOOKUP_SKU, VARIANTS: what the connector needs to know of the item's
   * variation for its next VARIANTS step (e.g. the options the item has),
   * in its own words; "" when nothing. The core hands it back as
   * oc_listing.memo within the same job and never stores it. */
  char memo[OC_MEMO_MAX];
  /* PUBLISH, UPDATE: 1 when a refusal is about the listing's content (its
   * category, an attribute, the brand, an image, the title's length): the
   * core holds the listing with v.error as its problem and reads the
   * category's rules again, instead of retrying. */
  int content;
} oc_listing_result;

/* REFRESH_TOKEN, TOKEN_EXCHANGE (expiries: see oc_expiry_to_unix). */
typedef struct oc_token_result {
  oc_verdict v;
  char access_token[512];
  char refresh_token[512];
  int64_t access_expires_at;  /* as the marketplace said it */
  int64_t refresh_expires_at; /* 0 when not said */
} oc_token_result;

/*
 * Orders. A connector turns the marketplace's order answers into these
 * structs, so the core and the database see every channel alike and the
 * mapping of statuses lives in the connector that knows them. Arrays come
 * from malloc(); the core releases them with oc_order_page_free() and
 * oc_order_batch_free().
 */

/* What a status means for stock. */
typedef enum oc_effect {
  OC_EFFECT_RESERVED = 1, /* placed, not paid */
  OC_EFFECT_SOLD,         /* paid, in fulfilment or done */
  OC_EFFECT_CANCELLED,
  OC_EFFECT_RETURNED
} oc_effect;

/* LIST_ORDERS: one page of ids. `next` is "" on the window's last page, else
 * the value to pass back as oc_order_query.page. `done_at` is 0, or (Lazada,
 * whose offset stops at 5000) the update time up to which the window is
 * complete: the core moves its cursor there and continues from it. */
typedef struct oc_order_page {
  oc_verdict v;
  char (*ids)[OC_ID_MAX];
  size_t nids;
  char next[OC_NEXT_MAX];
  int64_t done_at;
} oc_order_page;

/* One line per SKU: marketplaces with one row per unit (Lazada, TikTok) are
 * merged into quantities. */
typedef struct oc_order_line {
  char sku[OC_ID_MAX];    /* the seller SKU */
  int64_t qty;            /* >= 1 */
  int64_t unit_price_vnd; /* -1 when the marketplace did not say */
} oc_order_line;

typedef struct oc_order {
  char id[OC_ID_MAX];
  char status[OC_STATUS_MAX]; /* the marketplace's own status */
  oc_effect effect;
  int64_t update_time;        /* unix seconds */
  int64_t total_vnd;          /* -1 when the marketplace did not say */
  oc_order_line *lines;
  size_t nlines;
} oc_order;

/* An order that could not be read (unknown status, missing field): one
 * broken order never blocks the others; the core retries it and
 * dead-letters it after max_attempts. */
typedef struct oc_order_bad {
  char id[OC_ID_MAX];
  char error[201];
} oc_order_bad;

/* GET_ORDERS: the orders asked for, each read or bad. */
typedef struct oc_order_batch {
  oc_verdict v;
  oc_order *orders;
  size_t norders;
  oc_order_bad *bad;
  size_t nbad;
} oc_order_batch;

typedef struct oc_order_query {
  int64_t from_s;         /* LIST_ORDERS: update-time window [from_s, to_s) */
  int64_t to_s;
  const char *page;       /* LIST_ORDERS: "" first, then the answer's "next" */
  const char *const *ids; /* GET_ORDERS: 1..OC_MAX_ORDER_IDS order ids */
  size_t nids;
} oc_order_query;

/* What a verified push says. Strings are "" when absent. */
typedef struct oc_push {
  int kind;                    /* the marketplace's message type/code */
  int64_t timestamp;           /* unix seconds the marketplace stamped, 0 if none */
  char shop_id[OC_ID_MAX];     /* the marketplace's shop/seller id */
  char order_id[OC_ID_MAX];    /* set when the push is about an order */
  char error[160];             /* why it was refused */
} oc_push;

/* One product of a file channel's catalogue feed: one output row per
 * variant that is not removed. */
typedef struct oc_feed_row {
  const oc_listing *listing;
  int active;             /* 1 listed, 0 delisted (inactive rows) */
  const char *image_urls; /* space-separated URLs; NULL or "" for none */
} oc_feed_row;

/*
 * The table a connector exports. Every build function is pure: it fills *req
 * with malloc'd strings that the core frees with oc_request_free(), at
 * `now_ms` (unix milliseconds; connectors that sign seconds divide); on bad
 * input it returns -1 with a message in err (no secrets in it) and leaves
 * *req empty. Every parse function classifies a response: `http_status` is 0
 * when no response arrived, `body` is not NUL-terminated and at most
 * OC_MAX_RESPONSE bytes; it never fails: malformed input yields OC_RETRY or
 * OC_REJECTED with a reason in v.error. A function is NULL when caps lacks
 * every operation it serves.
 */
typedef struct oc_connector {
  uint32_t abi;           /* OC_ABI_VERSION */
  const char *name;       /* "shopee": matches shop.marketplace */
  uint32_t caps;          /* OC_CAP(op) bits, OC_CAP_STRIP, OC_CAP_FEED */
  int64_t order_window_s; /* the longest window one LIST_ORDERS may ask for,
                           * in seconds (Shopee 15 days); 0: no limit */

  /*
   * PUBLISH .. GET_LISTING, VARIANTS.
   *
   * PUBLISH creates the item with every variant the marketplace takes in
   * one create (all of them on Lazada and TikTok; on Shopee the item alone,
   * its models come by VARIANTS) and names in the result the variants it
   * created. SET_STOCK and SET_PRICE send every variant that is on the item
   * (remote_id not NULL, not removed) in one request.
   *
   * VARIANTS is a step function. The core runs a VARIANTS job as: LOOKUP_SKU
   * (which reads the item's variants by item_id and fills remote ids and the
   * memo, so a step whose outcome was lost is never repeated blind), then
   * build VARIANTS / send / parse, again and again, copying each result's
   * ids and memo into the listing, until build returns OC_IN_LINE (nothing
   * is left to do: every variant not removed has a remote_id, no removed one
   * has) or a step fails. A single-variant product is an item without
   * variation; a second variant turns it into one with variation.
   */
  int (*build_listing)(oc_op op, const oc_shop *shop, const oc_listing *listing,
                       int64_t now_ms, oc_request *req, char *err, size_t errlen);
  void (*parse_listing)(oc_op op, const oc_shop *shop, const oc_listing *listing,
                        long http_status, const char *body, size_t len,
                        oc_listing_result *res);

  /* AUTH_LINK (build only: req->url is the link to show the seller, method
   * "GET", nothing is sent), TOKEN_EXCHANGE (shop->auth_code), REFRESH_TOKEN */
  int (*build_token)(oc_op op, const oc_shop *shop, int64_t now_ms, oc_request *req,
                     char *err, size_t errlen);
  void (*parse_token)(oc_op op, const oc_shop *shop, long http_status, const char *body,
                      size_t len, oc_token_result *res);

  /* LIST_ORDERS, GET_ORDERS */
  int (*build_orders)(oc_op op, const oc_shop *shop, const oc_order_query *q,
                      int64_t now_ms, oc_request *req, char *err, size_t errlen);
  void (*parse_order_page)(const oc_shop *shop, const oc_order_query *q, long http_status,
                           const char *body, size_t len, oc_order_page *res);
  void (*parse_order_batch)(const oc_shop *shop, const oc_order_query *q, long http_status,
                            const char *body, size_t len, oc_order_batch *res);

  /*
   * A file channel (OC_CAP_FEED): the core sends no request; it finishes each
   * listing job at once and, debounced, renders the shop's whole catalogue
   * with feed() and writes the bytes atomically into the shop's export
   * folder. Pure like a build: fills *out with malloc'd bytes and *outlen; on
   * bad input returns -1 with a message in err and leaves *out NULL.
   */
  int (*feed)(const oc_shop *shop, const oc_feed_row *rows, size_t nrows, char **out,
              size_t *outlen, char *err, size_t errlen);

  /*
   * Checks a webhook exactly as the marketplace documents it: `authorization`
   * is the Authorization header (NULL when absent), `callback_url` the URL
   * the marketplace was given (Shopee signs it), `body` the raw bytes (at
   * most OC_MAX_PUSH; the core has already refused deeper nesting than 32).
   * Compares in constant time. Returns 0 and fills *out when the signature
   * holds and the body is well formed; -1 with out->error otherwise. NULL
   * when the marketplace has no push. Of the shop, the signature may depend
   * on app_key and app_secret alone: the core checks a push once per pair
   * that fails, however many shops share it (daemon/webhook.c).
   */
  int (*verify_push)(const oc_shop *shop, const char *callback_url,
                     const char *authorization, const char *body, size_t len,
                     oc_push *out);

  /*
   * UPLOAD_IMAGE: a multipart request (req->parts, req->file) that puts one
   * image into the shop's media space. build refuses, with -1 and a reason
   * naming the limit, an image its marketplace would not take (format,
   * bytes, pixels); the core then holds the listing with that reason.
   */
  int (*build_upload)(const oc_shop *shop, const oc_upload *up, int64_t now_ms,
                      oc_request *req, char *err, size_t errlen);
  void (*parse_upload)(const oc_shop *shop, const oc_upload *up, long http_status,
                       const char *body, size_t len, oc_upload_result *res);

  /* CATEGORY: one step of reading a leaf category's rules (see
   * oc_category_result). A category that is not a leaf gives OC_OK with
   * "leaf": false. parse fills res->rules (malloc'd; the core frees it). */
  int (*build_category)(const oc_shop *shop, const oc_category_query *q, int64_t now_ms,
                        oc_request *req, char *err, size_t errlen);
  void (*parse_category)(const oc_shop *shop, const oc_category_query *q, long http_status,
                         const char *body, size_t len, oc_category_result *res);
} oc_connector;

typedef const oc_connector *(*oc_entry_fn)(void);

/* The one symbol a connector exports (see OC_ENTRY above). */
const oc_connector *OC_ENTRY(void);

static inline void oc_request_free(oc_request *req) {
  int i;

  free(req->url);
  free(req->log_url);
  free(req->body);
  for (i = 0; i < req->nheaders; i++)
    free(req->headers[i]);
  for (i = 0; i < req->nparts; i++) {
    free(req->parts[i].name);
    free(req->parts[i].value);
    free(req->parts[i].filename);
    free(req->parts[i].mime);
  }
  req->url = req->log_url = req->body = NULL;
  req->body_len = 0;
  req->nheaders = 0;
  req->nparts = 0;
  req->file = NULL;
  req->file_len = 0;
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
      "token_exchange", "list_orders", "get_orders", "variants", "upload_image",
      "category"};

  return (op > 0 && op < OC_OP_MAX) ? names[op] : "?";
}

/* Unix seconds of an expiry a connector returned in oc_token_result: absolute when
 * it looks like a date (TikTok), else seconds after `sent_s`, the time the
 * request was sent (Shopee, Lazada). 10^9 seconds is 31 years: no token
 * lives that long, and every date after 2001 is larger. */
static inline long long oc_expiry_to_unix(long long value, long long sent_s) {
  return value >= 1000000000LL ? value : sent_s + value;
}


/* ---- the calls: inline wrappers, so callers never touch the pointers ---- */

/* 1 when the connector serves `op`. */
static inline int oc_supports(const oc_connector *c, oc_op op) {
  return op > 0 && op < OC_OP_MAX && (c->caps & OC_CAP(op)) != 0;
}

static inline int oc_unsupported(const oc_connector *c, oc_op op, char *err, size_t errlen) {
  if (errlen) {
    const char *m = "operation not supported by this connector";
    size_t i = 0;

    (void)c;
    (void)op;
    for (; m[i] && i + 1 < errlen; i++)
      err[i] = m[i];
    err[i] = '\0';
  }
  return -1;
}

static inline int oc_listing_op(oc_op op) {
  return (op >= OC_OP_PUBLISH && op <= OC_OP_GET_LISTING) || op == OC_OP_VARIANTS;
}

static inline int oc_build_listing(const oc_connector *c, oc_op op, const oc_shop *shop,
                                   const oc_listing *l, int64_t now_ms, oc_request *req,
                                   char *err, size_t errlen) {
  if (!oc_listing_op(op) || !oc_supports(c, op) || !c->build_listing)
    return oc_unsupported(c, op, err, errlen);
  return c->build_listing(op, shop, l, now_ms, req, err, errlen);
}

/* A parse the connector cannot do: the call is refused, never sent again. */
static inline void oc_verdict_unsupported(oc_verdict *v) {
  v->status = OC_REJECTED;
  v->retry_after_ms = 0;
  oc_unsupported(NULL, OC_OP_MAX, v->error, sizeof v->error);
  v->request_id[0] = '\0';
}

static inline void oc_parse_listing(const oc_connector *c, oc_op op, const oc_shop *shop,
                                    const oc_listing *l, long http_status, const char *body,
                                    size_t len, oc_listing_result *res) {
  if (!oc_listing_op(op) || !oc_supports(c, op) || !c->parse_listing)
    oc_verdict_unsupported(&res->v);
  else
    c->parse_listing(op, shop, l, http_status, body, len, res);
}

static inline int oc_token_op(oc_op op) {
  return op == OC_OP_REFRESH_TOKEN || op == OC_OP_AUTH_LINK || op == OC_OP_TOKEN_EXCHANGE;
}

static inline int oc_build_token(const oc_connector *c, oc_op op, const oc_shop *shop,
                                 int64_t now_ms, oc_request *req, char *err, size_t errlen) {
  if (!oc_token_op(op) || !oc_supports(c, op) || !c->build_token)
    return oc_unsupported(c, op, err, errlen);
  return c->build_token(op, shop, now_ms, req, err, errlen);
}

static inline void oc_parse_token(const oc_connector *c, oc_op op, const oc_shop *shop,
                                  long http_status, const char *body, size_t len,
                                  oc_token_result *res) {
  if (!oc_token_op(op) || !oc_supports(c, op) || !c->parse_token)
    oc_verdict_unsupported(&res->v);
  else
    c->parse_token(op, shop, http_status, body, len, res);
}

static inline int oc_build_orders(const oc_connector *c, oc_op op, const oc_shop *shop,
                                  const oc_order_query *q, int64_t now_ms, oc_request *req,
                                  char *err, size_t errlen) {
  if ((op != OC_OP_LIST_ORDERS && op != OC_OP_GET_ORDERS) || !oc_supports(c, op) ||
      !c->build_orders)
    return oc_unsupported(c, op, err, errlen);
  return c->build_orders(op, shop, q, now_ms, req, err, errlen);
}

static inline void oc_parse_order_page(const oc_connector *c, const oc_shop *shop,
                                       const oc_order_query *q, long http_status,
                                       const char *body, size_t len, oc_order_page *res) {
  if (!oc_supports(c, OC_OP_LIST_ORDERS) || !c->parse_order_page)
    oc_verdict_unsupported(&res->v);
  else
    c->parse_order_page(shop, q, http_status, body, len, res);
}

static inline void oc_parse_order_batch(const oc_connector *c, const oc_shop *shop,
                                        const oc_order_query *q, long http_status,
                                        const char *body, size_t len, oc_order_batch *res) {
  if (!oc_supports(c, OC_OP_GET_ORDERS) || !c->parse_order_batch)
    oc_verdict_unsupported(&res->v);
  else
    c->parse_order_batch(shop, q, http_status, body, len, res);
}

static inline int oc_feed(const oc_connector *c, const oc_shop *shop, const oc_feed_row *rows,
                          size_t nrows, char **out, size_t *outlen, char *err, size_t errlen) {
  if (!(c->caps & OC_CAP_FEED) || !c->feed)
    return oc_unsupported(c, OC_OP_MAX, err, errlen);
  return c->feed(shop, rows, nrows, out, outlen, err, errlen);
}

/* 1 when the connector verifies pushes (webhooks). */
static inline int oc_has_push(const oc_connector *c) { return c->verify_push != NULL; }

static inline int oc_verify_push(const oc_connector *c, const oc_shop *shop,
                                 const char *callback_url, const char *authorization,
                                 const char *body, size_t len, oc_push *out) {
  if (!c->verify_push) {
    oc_unsupported(c, OC_OP_MAX, out->error, sizeof out->error);
    return -1;
  }
  return c->verify_push(shop, callback_url, authorization, body, len, out);
}

static inline int oc_build_upload(const oc_connector *c, const oc_shop *shop,
                                  const oc_upload *up, int64_t now_ms, oc_request *req,
                                  char *err, size_t errlen) {
  if (!oc_supports(c, OC_OP_UPLOAD_IMAGE) || !c->build_upload)
    return oc_unsupported(c, OC_OP_UPLOAD_IMAGE, err, errlen);
  return c->build_upload(shop, up, now_ms, req, err, errlen);
}

static inline void oc_parse_upload(const oc_connector *c, const oc_shop *shop,
                                   const oc_upload *up, long http_status, const char *body,
                                   size_t len, oc_upload_result *res) {
  if (!oc_supports(c, OC_OP_UPLOAD_IMAGE) || !c->parse_upload)
    oc_verdict_unsupported(&res->v);
  else
    c->parse_upload(shop, up, http_status, body, len, res);
}

static inline int oc_build_category(const oc_connector *c, const oc_shop *shop,
                                    const oc_category_query *q, int64_t now_ms,
                                    oc_request *req, char *err, size_t errlen) {
  if (!oc_supports(c, OC_OP_CATEGORY) || !c->build_category)
    return oc_unsupported(c, OC_OP_CATEGORY, err, errlen);
  return c->build_category(shop, q, now_ms, req, err, errlen);
}

static inline void oc_parse_category(const oc_connector *c, const oc_shop *shop,
                                     const oc_category_query *q, long http_status,
                                     const char *body, size_t len, oc_category_result *res) {
  if (!oc_supports(c, OC_OP_CATEGORY) || !c->parse_category)
    oc_verdict_unsupported(&res->v);
  else
    c->parse_category(shop, q, http_status, body, len, res);
}

static inline void oc_order_page_free(oc_order_page *p) {
  free(p->ids);
  p->ids = NULL;
  p->nids = 0;
}

static inline void oc_order_batch_free(oc_order_batch *b) {
  size_t i;

  for (i = 0; i < b->norders; i++)
    free(b->orders[i].lines);
  free(b->orders);
  free(b->bad);
  b->orders = NULL;
  b->bad = NULL;
  b->norders = b->nbad = 0;
}

static inline const char *oc_effect_name(oc_effect e) {
  switch (e) {
  case OC_EFFECT_RESERVED: return "reserved";
  case OC_EFFECT_SOLD: return "sold";
  case OC_EFFECT_CANCELLED: return "cancelled";
  case OC_EFFECT_RETURNED: return "returned";
  }
  return "?";
}

static inline const char *oc_status_name(oc_status s) {
  switch (s) {
  case OC_OK: return "ok";
  case OC_RETRY: return "retry";
  case OC_AUTH: return "auth";
  case OC_REJECTED: return "rejected";
  case OC_NOT_FOUND: return "not_found";
  case OC_EXISTS: return "exists";
  }
  return "?";
}

#endif
