/*
 * sim_json.h — bounded JSON parsing and small cJSON helpers for ocopsim.
 *
 * Input from a client is checked for size, NUL bytes and nesting depth with a
 * cheap scan *before* cJSON sees it, so a hostile body cannot make the parser
 * recurse deeply or allocate without bound. Integers are written as raw text
 * so that ids above 2^53 would survive, and read back only when they are
 * exactly representable.
 */
#ifndef OCOP_SIM_JSON_H
#define OCOP_SIM_JSON_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

/* Largest integer a JSON number (a double) holds exactly. */
#define SIM_JSON_INT_MAX INT64_C(9007199254740991)

/*
 * Parses `len` bytes at `s` (which must be NUL-terminated at s[len]) when
 * they are at most `max_len` bytes, hold no NUL byte, nest at most
 * `max_depth` arrays/objects and form exactly one JSON value. On failure
 * returns NULL and points *why at a static reason.
 */
cJSON *sim_json_parse(const char *s, size_t len, size_t max_len, int max_depth,
                      const char **why);

/* Deepest array/object nesting in the text, counted outside strings. */
int sim_json_depth(const char *s, size_t len);

/* 0 and *out set when `v` is a number with an exact integral value. */
int sim_json_int(const cJSON *v, int64_t *out);

/* Adds an integer printed exactly (as raw JSON text). 0 on success. */
int sim_json_add_int(cJSON *obj, const char *name, int64_t v);

/* Appends an integer to an array, printed exactly. 0 on success. */
int sim_json_push_int(cJSON *arr, int64_t v);

/* The string of a member, or NULL when absent or not a string. */
const char *sim_json_str(const cJSON *obj, const char *name);

/* Number of UTF-8 code points in s[0..n), or -1 when not valid UTF-8. */
long sim_utf8_len(const char *s, size_t n);

/* Appends `e` to the array, or deletes it when that fails; a NULL `e` (a
 * failed allocation) is ignored, so builders need not check each step. */
void sim_json_push(cJSON *arr, cJSON *e);

/* Adds `e` to the object under `name`, likewise. */
void sim_json_put(cJSON *obj, const char *name, cJSON *e);

/* Prints `root` without whitespace into malloc'd memory; NULL on failure. */
char *sim_json_print(const cJSON *root, size_t *len);

#endif
