/*
 * jsondepth.h — the JSON nesting-depth scan, written once.
 *
 * A cheap pass over JSON text, strings skipped, that finds the first byte
 * where {/[ nesting passes a limit: it keeps a hostile body from reaching
 * any parser's recursion (cJSON still validates what it lets through).
 * Header-only, so that the connectors (shared objects that must not link
 * the daemon, see connectors/local.mk) compile the same code the daemon does.
 */
#ifndef OCOP_JSONDEPTH_H
#define OCOP_JSONDEPTH_H

#include <stddef.h>

/* Returns 1 when the text stays within max levels; else 0 with *at set to
 * the byte that went one level too deep (at may be NULL). A stray closer
 * never lowers the depth below zero, so it cannot buy extra levels. */
static inline int jsondepth_ok(const char *s, size_t len, int max, size_t *at) {
  size_t i;
  int depth = 0, in_str = 0;

  for (i = 0; i < len; i++) {
    char c = s[i];

    if (in_str) {
      if (c == '\\')
        i++;
      else if (c == '"')
        in_str = 0;
    } else if (c == '"') {
      in_str = 1;
    } else if (c == '{' || c == '[') {
      if (++depth > max) {
        if (at)
          *at = i;
        return 0;
      }
    } else if ((c == '}' || c == ']') && depth > 0) {
      depth--;
    }
  }
  return 1;
}

#endif
