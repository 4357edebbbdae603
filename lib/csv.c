/* csv.c — see csv.h. */
#include "csv.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "oneline.h"
#include "utf8.h"

struct csv {
  char *name;
  char *data; /* the whole file */
  size_t len;
  size_t pos;
  unsigned long line; /* line of data[pos] */

  /* The current record: unquoted fields, each NUL-terminated, in buf. */
  char *buf;
  size_t cap, used, rec_bytes;
  unsigned long rec_line;
  size_t nfields;
  size_t off[CSV_MAX_FIELDS];
  const char *ptr[CSV_MAX_FIELDS];
  size_t lens[CSV_MAX_FIELDS];

  char **cols; /* header names, after csv_read_header */
  size_t ncols;

  int failed;
  char err[512];
};

static void fail(csv_t *c, unsigned long line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void fail(csv_t *c, unsigned long line, const char *fmt, ...) {
  va_list ap;
  int n;

  n = snprintf(c->err, sizeof c->err, "%s:%lu: ", c->name, line);
  if (n < 0 || (size_t)n >= sizeof c->err)
    n = 0;
  va_start(ap, fmt);
  vsnprintf(c->err + n, sizeof c->err - (size_t)n, fmt, ap);
  va_end(ap);
  oneline_fix(c->err, sizeof c->err); /* a quoted header name may hold a line break */
  c->failed = 1;
}

/* Checks the text from pos on; the column counts characters, as editors do. */
static int check_text(csv_t *c) {
  const unsigned char *p = (const unsigned char *)c->data;
  unsigned long line = 1, col = 1;
  size_t i = c->pos;

  while (i < c->len) {
    size_t n = utf8_len(p + i, c->len - i);

    if (n == 0) {
      snprintf(c->err, sizeof c->err,
               "%s:%lu:%lu: invalid UTF-8 (byte 0x%02x): save the file as UTF-8",
               c->name, line, col, p[i]);
      return -1;
    }
    if (p[i] == 0) {
      snprintf(c->err, sizeof c->err, "%s:%lu:%lu: NUL byte in a text file", c->name,
               line, col);
      return -1;
    }
    if (p[i] == '\n') {
      line++;
      col = 1;
    } else {
      col++;
    }
    i += n;
  }
  return 0;
}

/* ---- opening ------------------------------------------------------------ */

static csv_t *csv_new(const char *name) {
  csv_t *c = calloc(1, sizeof *c);

  if (!c)
    return NULL;
  c->name = strdup(name);
  if (!c->name) {
    free(c);
    return NULL;
  }
  c->line = 1;
  return c;
}

/* Skips a byte order mark and checks the encoding. */
static csv_t *csv_ready(csv_t *c, char *err, size_t errlen) {
  if (c->len >= 3 && memcmp(c->data, "\xEF\xBB\xBF", 3) == 0)
    c->pos = 3;
  if (check_text(c) != 0) {
    snprintf(err, errlen, "%s", c->err);
    csv_close(c);
    return NULL;
  }
  return c;
}

static int read_all(int fd, csv_t *c, char *err, size_t errlen) {
  struct stat st;
  size_t cap;

  if (fstat(fd, &st) != 0) {
    snprintf(err, errlen, "%s: %s", c->name, strerror(errno));
    return -1;
  }
  if (S_ISDIR(st.st_mode)) {
    snprintf(err, errlen, "%s: is a directory", c->name);
    return -1;
  }
  /* Refuse by size before reading when the size is known. */
  if (S_ISREG(st.st_mode) && (unsigned long long)st.st_size > CSV_MAX_FILE)
    goto too_big;
  cap = S_ISREG(st.st_mode) ? (size_t)st.st_size + 1 : 65536;
  c->data = malloc(cap);
  if (!c->data)
    goto nomem;
  for (;;) {
    ssize_t n;

    if (c->len == cap) {
      char *p;

      if (cap > CSV_MAX_FILE)
        goto too_big;
      cap *= 2;
      p = realloc(c->data, cap);
      if (!p)
        goto nomem;
      c->data = p;
    }
    n = read(fd, c->data + c->len, cap - c->len);
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0) {
      snprintf(err, errlen, "%s: %s", c->name, strerror(errno));
      return -1;
    }
    if (n == 0)
      break;
    c->len += (size_t)n;
    if (c->len > CSV_MAX_FILE)
      goto too_big;
  }
  return 0;
too_big:
  snprintf(err, errlen, "%s: file is larger than %zu MiB: split it", c->name,
           CSV_MAX_FILE >> 20);
  return -1;
nomem:
  snprintf(err, errlen, "%s: out of memory", c->name);
  return -1;
}

csv_t *csv_open(const char *path, char *err, size_t errlen) {
  csv_t *c = csv_new(path);
  int fd;

  if (!c) {
    snprintf(err, errlen, "%s: out of memory", path);
    return NULL;
  }
  fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    csv_close(c);
    return NULL;
  }
  if (read_all(fd, c, err, errlen) != 0) {
    close(fd);
    csv_close(c);
    return NULL;
  }
  close(fd);
  return csv_ready(c, err, errlen);
}

csv_t *csv_open_mem(const char *name, const char *data, size_t len, char *err,
                    size_t errlen) {
  csv_t *c = csv_new(name);

  if (!c || len > CSV_MAX_FILE) {
    snprintf(err, errlen, c ? "%s: file is larger than 64 MiB: split it" : "%s: out of memory",
             name);
    csv_close(c);
    return NULL;
  }
  c->data = malloc(len ? len : 1);
  if (!c->data) {
    snprintf(err, errlen, "%s: out of memory", name);
    csv_close(c);
    return NULL;
  }
  memcpy(c->data, data, len);
  c->len = len;
  return csv_ready(c, err, errlen);
}

void csv_close(csv_t *c) {
  size_t i;

  if (!c)
    return;
  for (i = 0; i < c->ncols; i++)
    free(c->cols[i]);
  free(c->cols);
  free(c->buf);
  free(c->data);
  free(c->name);
  free(c);
}

/* ---- records -------------------------------------------------------------- */

/* Names a field in a message: its column when the header is known. */
static void field_label(const csv_t *c, size_t i, char *out, size_t outlen) {
  if (i < c->ncols)
    snprintf(out, outlen, "%s", c->cols[i]);
  else
    snprintf(out, outlen, "field %zu", i + 1);
}

static int push(csv_t *c, char ch) {
  char label[96];

  /* The terminating NUL is ours, not the file's: it counts against nothing. */
  if (ch != '\0' && c->used - c->off[c->nfields] >= CSV_MAX_FIELD) {
    field_label(c, c->nfields, label, sizeof label);
    fail(c, c->rec_line, "%s: field is longer than %zu KiB", label, CSV_MAX_FIELD >> 10);
    return -1;
  }
  if (ch != '\0' && c->rec_bytes >= CSV_MAX_RECORD) {
    fail(c, c->rec_line, "record is longer than %zu MiB", CSV_MAX_RECORD >> 20);
    return -1;
  }
  if (c->used == c->cap) {
    size_t cap = c->cap ? c->cap * 2 : 4096;
    char *p = realloc(c->buf, cap);

    if (!p) {
      fail(c, c->rec_line, "out of memory");
      return -1;
    }
    c->buf = p;
    c->cap = cap;
  }
  c->buf[c->used++] = ch;
  if (ch != '\0')
    c->rec_bytes++;
  return 0;
}

/* After a field: 0 at a comma, 1 at the end of the record (line end or end
 * of file), -1 on anything else. */
static int terminator(csv_t *c) {
  if (c->pos == c->len)
    return 1;
  switch (c->data[c->pos]) {
  case ',':
    c->pos++;
    return 0;
  case '\n':
    c->pos++;
    c->line++;
    return 1;
  case '\r':
    if (c->pos + 1 == c->len) {
      c->pos++;
      return 1;
    }
    if (c->data[c->pos + 1] == '\n') {
      c->pos += 2;
      c->line++;
      return 1;
    }
    fail(c, c->line, "carriage return without a line feed: use LF or CRLF line ends");
    return -1;
  default:
    fail(c, c->line, "text after the closing quote of a field: quote the whole field");
    return -1;
  }
}

static int field_plain(csv_t *c) {
  while (c->pos < c->len) {
    char ch = c->data[c->pos];

    if (ch == ',' || ch == '\n' || ch == '\r')
      break;
    if (ch == '"') {
      fail(c, c->line,
           "quote inside an unquoted field: quote the whole field and double the quote");
      return -1;
    }
    if (push(c, ch) != 0)
      return -1;
    c->pos++;
  }
  return 0;
}

static int field_quoted(csv_t *c) {
  unsigned long open_line = c->line;

  c->pos++; /* the opening quote */
  for (;;) {
    char ch;

    if (c->pos == c->len) {
      fail(c, open_line, "quoted field is not closed: a quote is missing");
      return -1;
    }
    ch = c->data[c->pos++];
    if (ch == '"') {
      if (c->pos < c->len && c->data[c->pos] == '"')
        c->pos++; /* "" stands for one quote */
      else
        return 0;
    } else if (ch == '\n') {
      c->line++;
    }
    if (push(c, ch) != 0)
      return -1;
  }
}

/* Blank lines carry no record; their numbers still count. */
static void skip_blank_lines(csv_t *c) {
  while (c->pos < c->len) {
    if (c->data[c->pos] == '\n') {
      c->pos++;
    } else if (c->data[c->pos] == '\r' && c->pos + 1 < c->len &&
               c->data[c->pos + 1] == '\n') {
      c->pos += 2;
    } else {
      return;
    }
    c->line++;
  }
}

/* Reads one field and what follows it: 0 more fields, 1 end, -1 error. */
static int read_field(csv_t *c) {
  int r;

  if (c->nfields == CSV_MAX_FIELDS) {
    fail(c, c->rec_line, "record has more than %d fields", CSV_MAX_FIELDS);
    return -1;
  }
  c->off[c->nfields] = c->used;
  if (c->pos < c->len && c->data[c->pos] == '"')
    r = field_quoted(c);
  else
    r = field_plain(c);
  if (r != 0 || push(c, '\0') != 0)
    return -1;
  r = terminator(c);
  if (r < 0)
    return -1;
  c->lens[c->nfields] = c->used - 1 - c->off[c->nfields];
  c->nfields++;
  return r;
}

int csv_next(csv_t *c, struct csv_record *rec) {
  size_t i;
  int r;

  if (c->failed)
    return -1;
  skip_blank_lines(c);
  if (c->pos >= c->len)
    return 0;
  c->rec_line = c->line;
  c->nfields = 0;
  c->used = 0;
  c->rec_bytes = 0;
  do {
    r = read_field(c);
    if (r < 0)
      return -1;
  } while (r == 0);
  /* buf may have moved while growing: point into it only now. */
  for (i = 0; i < c->nfields; i++)
    c->ptr[i] = c->buf + c->off[i];
  rec->line = c->rec_line;
  rec->nfields = c->nfields;
  rec->fields = c->ptr;
  rec->lens = c->lens;
  return 1;
}

/* ---- header ------------------------------------------------------------ */

int csv_read_header(csv_t *c) {
  struct csv_record rec;
  size_t i, j;
  int r = csv_next(c, &rec);

  if (r < 0)
    return -1;
  if (r == 0) {
    fail(c, 1, "the file is empty: the first line must name the columns");
    return -1;
  }
  c->cols = calloc(rec.nfields, sizeof *c->cols);
  if (!c->cols) {
    fail(c, rec.line, "out of memory");
    return -1;
  }
  for (i = 0; i < rec.nfields; i++) {
    if (rec.lens[i] == 0) {
      fail(c, rec.line, "column %zu of the header has no name", i + 1);
      return -1;
    }
    for (j = 0; j < i; j++)
      if (strcmp(c->cols[j], rec.fields[i]) == 0) {
        fail(c, rec.line, "column \"%s\" appears twice in the header (columns %zu and %zu)",
             rec.fields[i], j + 1, i + 1);
        return -1;
      }
    c->cols[i] = strdup(rec.fields[i]);
    if (!c->cols[i]) {
      fail(c, rec.line, "out of memory");
      return -1;
    }
    c->ncols = i + 1;
  }
  return 0;
}

int csv_column(const csv_t *c, const char *name) {
  size_t i;

  for (i = 0; i < c->ncols; i++)
    if (strcmp(c->cols[i], name) == 0)
      return (int)i;
  return -1;
}

size_t csv_columns(const csv_t *c) {
  return c->ncols;
}

const char *csv_column_name(const csv_t *c, size_t i) {
  return i < c->ncols ? c->cols[i] : NULL;
}

const char *csv_error(const csv_t *c) {
  return c->err;
}

const char *csv_name(const csv_t *c) {
  return c->name;
}
