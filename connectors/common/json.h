/*
 * json.h — reading untrusted JSON answers and writing request bodies,
 * shared by every connector (prefix ocu_).
 */
#ifndef OCOP_CONN_JSON_H
#define OCOP_CONN_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "../connector.h"

#define OCU_JSON_MAX_DEPTH 32

/*
 * Parses an untrusted response body (not NUL-terminated). Refuses bodies
 * larger than OC_MAX_RESPONSE, empty bodies, nesting deeper than
 * OCU_JSON_MAX_DEPTH (checked by a scan before cJSON sees the text), bytes
 * that are not UTF-8 and trailing garbage. On success *root is the tree (free with cJSON_Delete)
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

/* Prints root compactly into memory from malloc() (the core frees request
 * bodies with free(), whatever allocator cJSON was given), wiping cJSON's
 * own copy. Takes ownership of root. NULL on OOM. */
char *ocu_json_to_text(cJSON *root);

/* Adds item to obj (or to an array when key is NULL); frees it on failure.
 * 0, or -1 when obj or item is NULL or item cannot be added. */
int ocu_json_put(cJSON *obj, const char *key, cJSON *item);

/* A new object or array added to parent under key (to an array when key is
 * NULL); NULL on OOM or when parent is NULL, so calls can be chained. */
cJSON *ocu_json_obj(cJSON *parent, const char *key);
cJSON *ocu_json_arr(cJSON *parent, const char *key);

/* An integer as raw JSON text: cJSON would print a double (150000.0 or
 * 1.5e+05), and the marketplaces want integers. */
cJSON *ocu_json_int_raw(int64_t v);

/* Weight in kg from positive grams as decimal text, exact: 250 -> "0.25",
 * 1000 -> "1", 1005 -> "1.005". */
void ocu_kg_text(int32_t grams, char buf[24]);

/* The same weight as a raw JSON number (Shopee, TikTok). */
cJSON *ocu_json_kg_raw(int32_t grams);

/* Parses a decimal money string ("150000", "150000.00", "1299.5") into whole
 * dong, rounding half away from zero; at most 15 integer digits. 0 or -1. */
int ocu_money_text(const char *s, int64_t *out);

#endif
