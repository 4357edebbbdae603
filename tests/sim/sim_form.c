/*
 * sim_form.c — multipart/form-data bodies (see sim_form.h).
 */
#include "sim_form.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* Finds needle (length nl) in [h, h + hl). */
static const char *find(const char *h, size_t hl, const char *needle, size_t nl) {
  size_t i;

  if (nl > hl)
    return NULL;
  for (i = 0; i + nl <= hl; i++)
    if (memcmp(h + i, needle, nl) == 0)
      return h + i;
  return NULL;
}

/* The boundary parameter of a multipart/form-data type, into b. */
static int boundary_of(const char *ct, char *b, size_t blen) {
  const char *p;
  size_t n = 0;

  if (!ct || strncasecmp(ct, "multipart/form-data", 19) != 0)
    return -1;
  if ((p = strstr(ct, "boundary=")) == NULL)
    return -1;
  p += 9;
  if (*p == '"')
    p++;
  while (p[n] && p[n] != '"' && p[n] != ';' && p[n] != ' ' && n + 1 < blen)
    n++;
  if (n == 0 || n + 1 >= blen)
    return -1;
  memcpy(b, p, n);
  b[n] = '\0';
  return 0;
}

/* Copies the quoted parameter `key` of a header line into out. */
static void param(const char *line, size_t len, const char *key, char *out, size_t olen) {
  size_t kl = strlen(key), n = 0;
  const char *p = find(line, len, key, kl), *end = line + len;

  out[0] = '\0';
  if (!p || p + kl >= end || p[kl] != '"')
    return;
  for (p += kl + 1; p < end && *p != '"' && n + 1 < olen; p++)
    out[n++] = *p;
  out[n] = '\0';
}

/* Reads one part's headers [h, h + hl) into f. */
static void headers(const char *h, size_t hl, struct sim_field *f) {
  const char *end = h + hl;

  while (h < end) {
    const char *eol = find(h, (size_t)(end - h), "\r\n", 2);
    size_t ll = eol ? (size_t)(eol - h) : (size_t)(end - h);

    if (ll > 20 && strncasecmp(h, "Content-Disposition:", 20) == 0) {
      param(h, ll, " name=", f->name, sizeof f->name);
      if (!f->name[0])
        param(h, ll, ";name=", f->name, sizeof f->name);
      param(h, ll, "filename=", f->filename, sizeof f->filename);
    } else if (ll > 13 && strncasecmp(h, "Content-Type:", 13) == 0) {
      const char *v = h + 13;
      size_t n = 0;

      while (v < h + ll && *v == ' ')
        v++;
      while (v + n < h + ll && n + 1 < sizeof f->ctype)
        n++;
      memcpy(f->ctype, v, n);
      f->ctype[n] = '\0';
    }
    h += ll + 2;
  }
}

int sim_form_parse(const char *content_type, const char *body, size_t len,
                   struct sim_field *out, int max, const char **why) {
  char b[128], delim[136];
  size_t dl;
  const char *p, *end = body + len;
  int n = 0;

  if (boundary_of(content_type, b, sizeof b) != 0)
    return *why = "not multipart/form-data with a boundary", -1;
  dl = (size_t)snprintf(delim, sizeof delim, "--%s", b);
  if ((p = find(body, len, delim, dl)) == NULL)
    return *why = "no boundary in the body", -1;
  for (;;) {
    const char *hend, *next;

    p += dl;
    if (end - p >= 2 && p[0] == '-' && p[1] == '-')
      return n; /* the closing delimiter */
    if (end - p < 2 || p[0] != '\r' || p[1] != '\n')
      return *why = "a boundary not followed by CRLF", -1;
    p += 2;
    if ((hend = find(p, (size_t)(end - p), "\r\n\r\n", 4)) == NULL)
      return *why = "a part without the blank line after its headers", -1;
    if (n == max)
      return *why = "too many fields", -1;
    memset(&out[n], 0, sizeof out[n]);
    headers(p, (size_t)(hend - p), &out[n]);
    if (!out[n].name[0])
      return *why = "a part without a name", -1;
    p = hend + 4;
    /* The value ends at CRLF followed by the delimiter. */
    {
      char tail[140];
      size_t tl = (size_t)snprintf(tail, sizeof tail, "\r\n%s", delim);

      if ((next = find(p, (size_t)(end - p), tail, tl)) == NULL)
        return *why = "a part that never ends", -1;
      out[n].data = p;
      out[n].len = (size_t)(next - p);
      n++;
      p = next + 2;
    }
  }
}

const struct sim_field *sim_form_get(const struct sim_field *f, int n, const char *name) {
  int i;

  for (i = 0; i < n; i++)
    if (strcmp(f[i].name, name) == 0)
      return &f[i];
  return NULL;
}
