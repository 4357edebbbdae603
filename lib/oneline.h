/*
 * oneline.h — a message that quotes what a file holds stays on one line
 * (prefix oneline_).
 *
 * Problems with a catalogue file (lib/csv.c, ctl/import.c) quote the
 * offending value, and a quoted CSV field may hold a line break, a tab or
 * an escape sequence: printed as it is, one problem would look like two,
 * or move a terminal's cursor (daemon/order_csv.c writes '?' instead). Each control
 * character becomes "\n", "\r", "\t" or "\xHH" instead. Header-only, as
 * lib/utf8.h, so that any part can use it without linking another file.
 */
#ifndef OCOP_ONELINE_H
#define OCOP_ONELINE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static inline int oneline_control(unsigned char c) { return c < 0x20 || c == 0x7f; }

/* The text with every control character escaped (malloc'd), or NULL when
 * out of memory. */
static inline char *oneline_dup(const char *s) {
  size_t n = strlen(s), i, o = 0;
  char *out = malloc(4 * n + 1);

  if (!out)
    return NULL;
  for (i = 0; i < n; i++) {
    unsigned char c = (unsigned char)s[i];

    if (!oneline_control(c)) {
      out[o++] = (char)c;
    } else if (c == '\n' || c == '\r' || c == '\t') {
      out[o++] = '\\';
      out[o++] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
    } else {
      snprintf(out + o, 5, "\\x%02x", c);
      o += 4;
    }
  }
  out[o] = '\0';
  return out;
}

/* The same in place, in buf of size bytes: the text is cut to fit, and
 * left as it is (control characters and all) only when out of memory. */
static inline void oneline_fix(char *buf, size_t size) {
  char *e = oneline_dup(buf);

  if (e && size)
    snprintf(buf, size, "%s", e);
  free(e);
}

#endif
