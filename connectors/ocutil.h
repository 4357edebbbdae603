/*
 * ocutil.h — small helpers shared by the marketplace connectors (prefix ocu_).
 *
 * Everything here is pure: no I/O, no global state, no locale dependence.
 * Functions that allocate return memory from malloc(), so the core can free
 * it with free(). Connectors link ocutil.c into their own shared object.
 */
#ifndef OCOP_OCUTIL_H
#define OCOP_OCUTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "connector.h"

#if defined(__GNUC__) || defined(__clang__)
#define OCU_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define OCU_PRINTF(f, a)
#endif

/* ---- HMAC ---------------------------------------------------------------- */

#define OCU_HEX_LOWER 0 /* Shopee, TikTok, webhooks */
#define OCU_HEX_UPPER 1 /* Lazada */
#define OCU_HMAC_HEX_LEN 64

/*
 * HMAC-SHA256(key, msg) as 64 hex characters plus NUL in out[65], always
 * full width (leading zero nibbles kept). The key is used as raw bytes (pass
 * the secret's ASCII text; never hex-decode it). Returns 0, or -1 on an
 * OpenSSL failure (out is then "").
 */
int ocu_hmac_sha256_hex(const void *key, size_t keylen, const void *msg,
                        size_t msglen, int upper, char out[65]);

/* Constant-time comparison of two NUL-terminated signatures: 1 if equal. */
int ocu_sig_equal(const char *a, const char *b);

/* Overwrites n bytes in a way the compiler cannot drop (OPENSSL_cleanse). */
void ocu_cleanse(void *p, size_t n);

/* ---- strings -------------------------------------------------------------- */

/* Copies at most size-1 bytes and NUL-terminates; returns strlen(src). */
size_t ocu_strlcpy(char *dst, const char *src, size_t size);

/*
 * Like ocu_strlcpy but never cuts a UTF-8 sequence in the middle: a copy
 * that does not fit ends at the last whole code point. Returns the number of
 * bytes copied.
 */
size_t ocu_utf8_copy(char *dst, size_t size, const char *src);

/* 1 if s[0..len) is well-formed UTF-8 (no overlongs, surrogates, > U+10FFFF). */
int ocu_utf8_valid(const char *s, size_t len);

/* Number of code points in a valid UTF-8 string. */
size_t ocu_utf8_count(const char *s);

/* Byte length of the first max_cp code points of a valid UTF-8 string. */
size_t ocu_utf8_prefix(const char *s, size_t max_cp);

/* malloc'd printf; NULL when out of memory. */
char *ocu_asprintf(const char *fmt, ...) OCU_PRINTF(1, 2);

/* A growable byte buffer, always NUL-terminated once non-empty. Errors are
 * sticky: after a failed append every later call is a no-op returning -1,
 * and ocu_buf_detach() returns NULL. */
typedef struct ocu_buf {
  char *data;
  size_t len;
  size_t cap;
  int failed;
} ocu_buf;

#define OCU_BUF_INIT {NULL, 0, 0, 0}

int ocu_buf_add(ocu_buf *b, const void *p, size_t n);
int ocu_buf_puts(ocu_buf *b, const char *s);
int ocu_buf_printf(ocu_buf *b, const char *fmt, ...) OCU_PRINTF(2, 3);
/* Appends s percent-encoded: RFC 3986 unreserved (A-Z a-z 0-9 - . _ ~) kept,
 * every other byte as %XX (uppercase hex). */
int ocu_buf_urlencode(ocu_buf *b, const char *s);
/* The contents as a malloc'd string ("" when empty); NULL after a failure.
 * The buffer is reset either way. */
char *ocu_buf_detach(ocu_buf *b);
void ocu_buf_free(ocu_buf *b);
/* Overwrites the contents (which may hold a token) before freeing. */
void ocu_buf_free_secure(ocu_buf *b);

/* malloc'd percent-encoding of s (see ocu_buf_urlencode); NULL on OOM. */
char *ocu_urlencode(const char *s);

/* ---- JSON ----------------------------------------------------------------- */

#define OCU_JSON_MAX_DEPTH 32

/*
 * Parses an untrusted response body (not NUL-terminated). Refuses bodies
 * larger than OC_MAX_RESPONSE, empty bodies, nesting deeper than
 * OCU_JSON_MAX_DEPTH (checked by a scan before cJSON sees the text) and
 * trailing garbage. On success *root is the tree (free with cJSON_Delete)
 * and 0 is returned; on failure *root is NULL, err says why ("malformed JSON
 * at byte N", ...) and -1 is returned.
 */
int ocu_json_parse(const char *body, size_t len, cJSON **root, char *err,
                   size_t errlen);

/* Largest integer a double holds with every smaller integer: 2^53 - 1.
 * cJSON keeps numbers as doubles, so 2^53 itself is ambiguous (2^53 + 1
 * parses to the same value) and is refused too. */
#define OCU_JSON_INT_MAX 9007199254740991LL

/* Flags for ocu_json_id. */
#define OCU_ID_NUMBER 1 /* accept a JSON number (non-negative integer) */
#define OCU_ID_STRING 2 /* accept a JSON string (kept as is, non-empty) */

/*
 * Reads an id into text. A number must be an integer in 0..2^53-1: larger
 * ids cannot have come through cJSON's double intact, so they are refused
 * rather than rounded. `what` names the field in the error message. Returns
 * 0, or -1 with err set ("field response.item_id is not a number", ...).
 */
int ocu_json_id(const cJSON *item, int flags, const char *what, char *out,
                size_t outlen, char *err, size_t errlen);

/* A JSON number that is an integer within +-(2^53-1). 0 or -1. */
int ocu_json_int(const cJSON *item, int64_t *out);

/* A JSON number rounded half away from zero (money: 150000.0 -> 150000),
 * within +-(2^53-1). 0 or -1. */
int ocu_json_round(const cJSON *item, int64_t *out);

/* A string member of an object: NULL when absent or not a string. */
const char *ocu_json_str(const cJSON *obj, const char *key);


/* ---- OCOP claims and secrets, the same for every marketplace ---------------- */

/* 1 when the listing may show OCOP claims (stars 3..5). */
int ocu_claims(const oc_listing *l);
/* 1 when s mentions "OCOP" in any case: the connector alone writes claims,
 * so a claim already in the catalogue text would survive a strip. */
int ocu_has_ocop(const char *s);
/* The listing title: the name (surrounding blanks dropped), plus
 * " - OCOP N sao" when claims are allowed, within max_cp code points. Only
 * the name is trimmed: at a code point, never parting a base letter from its
 * combining accent (decomposed Vietnamese), without trailing blanks.
 * malloc'd; NULL on OOM. */
char *ocu_claim_title(const oc_listing *l, size_t max_cp);
/* The description, led by "Sản phẩm OCOP N sao (quyết định X)." when claims
 * are allowed. malloc'd; NULL on OOM. */
char *ocu_claim_description(const oc_listing *l);
/* Replaces, in place, every copy of the shop's secret, tokens and auth code
 * (6 bytes or longer) in s by "***": marketplaces echo what they refuse. */
void ocu_scrub_secrets(char *s, const oc_shop *shop);

/* Records a failed parse: status, retry delay, and the formatted text with
 * every credential of the shop removed, truncated on a UTF-8 boundary. */
void ocu_fail(oc_result *res, const oc_shop *shop, oc_status st, long retry_ms,
              const char *fmt, ...) OCU_PRINTF(5, 6);
/* Prints root compactly into memory from malloc() (the core frees request
 * bodies with free(), whatever allocator cJSON was given), wiping cJSON's
 * own copy. Takes ownership of root. NULL on OOM. */
char *ocu_json_to_text(cJSON *root);

/* A required string member of obj; NULL with res failed (OC_RETRY) as
 * "<lead>field <what> is missing" or "... is not a string". */
const char *ocu_req_str(oc_result *res, const oc_shop *shop, const cJSON *obj,
                        const char *key, const char *what, const char *lead);

/* ---- orders (ABI 3): the canonical order JSON of connector.h ---------------- */

/* One marketplace status and what it means for stock ("reserved", "sold",
 * "cancelled", "returned"). A connector keeps a table of these, ended by
 * {NULL, NULL}; ocu_order_effect() compares case-sensitively. */
typedef struct ocu_status_map {
  const char *status;
  const char *effect;
} ocu_status_map;

/* The effect of `status`, or NULL when the table does not know it. */
const char *ocu_order_effect(const ocu_status_map *map, const char *status);

/* A new LIST_ORDERS answer: {"ids": [], "next": "", "done_at": 0}. */
cJSON *ocu_order_list_new(void);
/* Appends one id; 0 or -1 (OOM). */
int ocu_order_list_add(cJSON *doc, const char *id);
/* Sets "next" (NULL or "" ends the window) and "done_at". 0 or -1. */
int ocu_order_list_end(cJSON *doc, const char *next, int64_t done_at);

/* A new GET_ORDERS answer: {"orders": [], "bad": []}. */
cJSON *ocu_orders_new(void);
/* Appends an order without lines and returns it (NULL on OOM). total_vnd
 * < 0 means unknown (null). */
cJSON *ocu_orders_add(cJSON *doc, const char *id, const char *status,
                      const char *effect, int64_t update_time, int64_t total_vnd);
/* Adds qty units of sku to an order, merged with an existing line of the
 * same SKU and unit price (one row per unit becomes a quantity). A unit
 * price < 0 means unknown (null). 0 or -1. */
int ocu_order_add_line(cJSON *order, const char *sku, int64_t qty,
                       int64_t unit_price_vnd);
/* Records an order that could not be read; the reason is formatted, and
 * cut to 200 bytes on a UTF-8 boundary. 0 or -1. */
int ocu_orders_bad(cJSON *doc, const char *id, const char *fmt, ...) OCU_PRINTF(3, 4);
/* Drops the last order of doc (one found broken while adding its lines). */
void ocu_orders_drop_last(cJSON *doc);

/* Ends a successful LIST_ORDERS/GET_ORDERS parse: res->orders becomes the
 * text of doc (ownership taken) and res->status OC_OK; on OOM res is a
 * retry. */
void ocu_orders_finish(oc_result *res, cJSON *doc);

/* Parses a decimal money string ("150000", "150000.00", "1299.5") into whole
 * dong, rounding half away from zero; at most 15 integer digits. 0 or -1. */
int ocu_money_text(const char *s, int64_t *out);

#endif
