/*
 * sim.h — what the ocopsim core and its marketplaces share.
 *
 * ocopsim is a fake marketplace for integration tests, benchmarks and the
 * demo. The core (sim.c) owns the HTTP server, the control API under
 * /_sim/, the call log, fault injection and the one state mutex. Each
 * marketplace is a `struct sim_market` in its own file: a path prefix, a
 * request handler and a control handler. The core calls every marketplace
 * function with the state mutex held, so a marketplace keeps plain file-static
 * state and never locks.
 */
#ifndef OCOP_SIM_H
#define OCOP_SIM_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#define SIM_BODY_MAX (1024 * 1024) /* larger request bodies get 413 */
#define SIM_JSON_DEPTH_MAX 32      /* deeper bodies are refused unparsed */
#define SIM_CALLS_MAX 200000       /* the call log keeps this many */
#define SIM_SKU_MAX 256            /* longest SKU the call log records */
#define SIM_CALL_IDS_MAX 50        /* item ids one call log entry keeps */
#define SIM_ERR_MAX 48             /* longest error code recorded */
#define SIM_REQID_LEN 32           /* hex characters in a request_id */
#define SIM_SHOP_MAX 64            /* longest text shop name (seller_id, cipher) */

/* 0 by default. 1 (POST /_sim/legacy {"on": true}) lets through what the
 * marketplaces took before they checked a listing's content: calls from a
 * client that sends no uploaded images, no category attributes, no
 * Content-Type on GET, no SkuId on update (tests/upgrade/test_upgrade.sh
 * runs the previous release against this simulator). */
extern int sim_legacy;

/* One HTTP request as a handler sees it. */
struct sim_req {
  const char *method; /* "GET", "POST", ... */
  const char *path;   /* URL path, no query */
  const char *body;   /* NUL-terminated; "" when none */
  size_t body_len;
  const cJSON *json;    /* the body parsed, or NULL */
  const char *json_err; /* why json is NULL although the body is not empty */
  const char *content_type; /* header value or NULL */
  int64_t now_ms;           /* wall clock when the request was complete */
  int64_t arrived_ms;       /* the same, never moved on by a wait */
  void *conn;               /* opaque: for sim_query() */
};

/* A webhook push a control call prepared; the core sends it after
 * unlocking (sim_orders.h). */
struct sim_push {
  char *url, *body; /* malloc'd */
  size_t len;
  char auth[65]; /* the Authorization header; "" for none */
  int status;    /* what the receiver answered, 0 for no answer */
};

/* The answer a handler builds. `body` is malloc'd; the core frees it. */
struct sim_resp {
  int status;
  char *body;
  size_t len;
  int retry_after; /* seconds for a Retry-After header; < 0 for none */
  int drop;        /* close the connection without answering */
  /* A control answer still waiting for its pushes: the core sends them,
   * adds the outcome to `pending` and answers it (sim_push_finish). */
  cJSON *pending;
  struct sim_push *pushes;
  size_t npushes;
  int push_one; /* answer {"status","sent"} instead of "push_status" */
};

/* What the call log records about a marketplace call. */
struct sim_call_info {
  int64_t shop_id; /* 0 when the call names none */
  int64_t item_ids[SIM_CALL_IDS_MAX];
  int nitems;
  int has_sku;
  char sku[SIM_SKU_MAX + 1];
  char error[SIM_ERR_MAX]; /* the marketplace error code, "" on success */
  /* Marketplaces whose shops are named by text (Lazada seller_id, TikTok
   * shop_cipher) set this instead of shop_id; "" when none. */
  char shop[SIM_SHOP_MAX + 1];
  int ids_as_text; /* log item ids as JSON strings (ids beyond 2^53) */
};

/*
 * A marketplace. Adding one is one more file defining one of these and one
 * line in the core's table.
 */
struct sim_market {
  const char *name;   /* "shopee": /_sim/<name>/, call log, seed key */
  const char *prefix; /* requests whose path starts with this are ours */
  /* More prefixes (NULL-terminated), or NULL. The longest match of all
   * markets wins, so "/api/v2/token/" can belong to another market than
   * "/api/v2/". */
  const char *const *more_prefixes;
  /* Its code for a bad request (used for 413); NULL means "error_param". */
  const char *param_error;
  /* Forgets every partner, shop, token and item (also at exit). */
  void (*reset)(void);
  /* Applies the seed document's value for this marketplace. */
  int (*seed)(const cJSON *doc, char *err, size_t errlen);
  /* Fills shop, items and SKU from the request alone, before any fault. */
  void (*describe)(const struct sim_req *req, struct sim_call_info *info);
  /* Answers a marketplace call and sets info->error. */
  void (*handle)(const struct sim_req *req, struct sim_resp *resp,
                 struct sim_call_info *info);
  /* Answers /_sim/<name>/<sub>. */
  void (*control)(const char *sub, const struct sim_req *req,
                  struct sim_resp *resp);
  /* The marketplace's error envelope (for injected faults), malloc'd. */
  char *(*error_body)(const char *code, const char *message, size_t *len);
};

/* Unix time in milliseconds. */
int64_t sim_now_ms(void);

/* Writes 2*nbytes random lowercase hex characters and a NUL. 0 on success. */
int sim_random_hex(char *out, size_t nbytes);

/* A fresh request id: SIM_REQID_LEN hex characters and a NUL. */
void sim_request_id(char *out);

/* A query parameter of the request, or NULL. */
const char *sim_query(const struct sim_req *req, const char *key);

/* A request header (case-insensitive name), or NULL. */
const char *sim_header(const struct sim_req *req, const char *name);

/* Sets the response to `root` printed (and deletes root). */
void sim_resp_json(struct sim_resp *resp, int status, cJSON *root);

/* Request parameters as name/value pairs, decoded, in arrival order. */
struct sim_param {
  char *key, *val;
};
struct sim_params {
  struct sim_param *v;
  size_t n, cap;
};

/* At most this many parameters per request (the helpers below are
 * quadratic and run under the state mutex). */
#define SIM_PARAMS_MAX 1000

/* Appends every query parameter (a name without '=' gets ""). 0, or -1 for
 * no memory or more than SIM_PARAMS_MAX. */
int sim_params_query(const struct sim_req *req, struct sim_params *p);
/* Appends the fields of an application/x-www-form-urlencoded body ('+' is a
 * space, %XX a byte). -1 on a bad escape, an embedded NUL, no memory or too
 * many parameters. */
int sim_params_form(const char *body, size_t len, struct sim_params *p);
/* The value of the first parameter named `key`, or NULL. */
const char *sim_params_get(const struct sim_params *p, const char *key);
/* 1 when some name occurs twice. */
int sim_params_has_dup(const struct sim_params *p);
/* Sorts by name, byte-wise (strcmp), stably. */
void sim_params_sort(struct sim_params *p);
void sim_params_free(struct sim_params *p);

/* hex(HMAC-SHA256(key, msg)) into out[65], upper- or lowercase. 0 or -1. */
int sim_hmac_hex(const char *key, const void *msg, size_t len, int upper,
                 char *out);
/* Constant-time check that `got` is exactly the 64-character `want`. */
int sim_sign_equal(const char *want, const char *got);

/* Makes room for `n` elements of `size` bytes in *arr. 0 on success. */
int sim_grow(void **arr, size_t *cap, size_t n, size_t size);

#endif
