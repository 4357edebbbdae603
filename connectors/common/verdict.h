/*
 * verdict.h — filling the oc_verdict every parse returns (prefix ocu_):
 * failures with the shop's credentials scrubbed, and the HTTP-level
 * outcomes every marketplace reads alike.
 */
#ifndef OCOP_CONN_VERDICT_H
#define OCOP_CONN_VERDICT_H

#include <stdint.h>

#include <cJSON.h>

#include "../connector.h"
#include "text.h"

/* Records a failed parse: status, retry delay, and the formatted text with
 * every credential of the shop removed, truncated on a UTF-8 boundary. */
void ocu_fail(oc_verdict *v, const oc_shop *shop, oc_status st, long retry_ms,
              const char *fmt, ...) OCU_PRINTF(5, 6);

/* A required string member of obj; NULL with v failed (OC_RETRY) as
 * "<lead>field <what> is missing" or "... is not a string". */
const char *ocu_req_str(oc_verdict *v, const oc_shop *shop, const cJSON *obj,
                        const char *key, const char *what, const char *lead);

/* Required members of obj, failing v (OC_RETRY) as "<lead>field <what> is
 * missing", "... is not an object", "... is not an array", "... is not a
 * number" or "... is not an integer in range". An integer is rounded half
 * away from zero when `round` (money), else must be whole. */
const cJSON *ocu_req_obj(oc_verdict *v, const oc_shop *shop, const cJSON *obj, const char *key,
                         const char *what, const char *lead);
const cJSON *ocu_req_array(oc_verdict *v, const oc_shop *shop, const cJSON *obj,
                           const char *key, const char *what, const char *lead);
int ocu_req_int(oc_verdict *v, const oc_shop *shop, const cJSON *obj, const char *key,
                const char *what, const char *lead, int round, int64_t *out);

/* An id (ocu_json_id with flags) into out; -1 with v failed (OC_RETRY) as
 * "<lead><why>". */
int ocu_req_id(oc_verdict *v, const oc_shop *shop, const cJSON *item, int flags,
               const char *what, char *out, size_t outlen, const char *lead);

/* 1 when the HTTP status alone says "later": 429 and every 5xx. */
int ocu_http_busy(long http_status);

/* 1 for a 2xx status. */
int ocu_http_ok(long http_status);

/* Fails v for an HTTP status that is not a success: 429 and 5xx as
 * OC_RETRY "HTTP N" (429 after rate_ms), other non-2xx as OC_REJECTED.
 * 1 when v was failed, 0 for a 2xx. */
int ocu_http_fail(oc_verdict *v, const oc_shop *shop, long http_status, long rate_ms);

/* The body as a JSON object with its "request_id" copied into v, or NULL
 * with v failed: by the HTTP status (ocu_http_fail) when that says no,
 * else OC_RETRY "malformed response: ...". The caller frees the tree. */
cJSON *ocu_answer(oc_verdict *v, const oc_shop *shop, long http_status, const char *body,
                  size_t len, long rate_ms);

/* LOOKUP_SKU: the non-empty array obj.key; NULL with v OC_NOT_FOUND "no
 * listing with this SKU" when absent, null or empty, or OC_RETRY when it is
 * not an array. */
const cJSON *ocu_found_list(oc_verdict *v, const oc_shop *shop, const cJSON *obj,
                            const char *key, const char *what, const char *lead);

/* Starts a verdict: OC_OK, or OC_RETRY "no response" when no response
 * arrived (http_status <= 0); 0 when there is a response to read, else -1. */
int ocu_verdict_start(oc_verdict *v, const oc_shop *shop, long http_status);

#endif
