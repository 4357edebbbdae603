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

/* 1 when the HTTP status alone says "later": 429 and every 5xx. */
int ocu_http_busy(long http_status);

/* 1 for a 2xx status. */
int ocu_http_ok(long http_status);

/* Starts a verdict: OC_OK, or OC_RETRY "no response" when no response
 * arrived (http_status <= 0); 0 when there is a response to read, else -1. */
int ocu_verdict_start(oc_verdict *v, const oc_shop *shop, long http_status);

#endif
