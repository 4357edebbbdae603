/* test_csv.c — the RFC 4180 reader: syntax, line numbers, encoding, limits. */
#include <fcntl.h>
#include <sys/wait.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "runner.h"

/* Up to 8 records of up to 8 fields, copied out of the reader. */
struct parsed {
  int n;
  unsigned long line[8];
  size_t nfields[8];
  char field[8][8][64];
  int rc;         /* last csv_next result: 0 end, -1 error */
  char err[512];  /* csv_error after the run, or csv_open's reason */
};

static void parse_mem(const char *data, size_t len, struct parsed *p) {
  struct csv_record rec;
  csv_t *c;
  int r;

  memset(p, 0, sizeof *p);
  c = csv_open_mem("t.csv", data, len, p->err, sizeof p->err);
  if (!c) {
    p->rc = -2;
    return;
  }
  while ((r = csv_next(c, &rec)) == 1) {
    size_t i;

    ASSERT(p->n < 8);
    p->line[p->n] = rec.line;
    p->nfields[p->n] = rec.nfields;
    for (i = 0; i < rec.nfields && i < 8; i++) {
      ASSERT_EQ(strlen(rec.fields[i]), rec.lens[i]);
      snprintf(p->field[p->n][i], sizeof p->field[p->n][i], "%s", rec.fields[i]);
    }
    p->n++;
  }
  p->rc = r;
  snprintf(p->err, sizeof p->err, "%s", csv_error(c));
  csv_close(c);
}

static void parse(const char *text, struct parsed *p) {
  parse_mem(text, strlen(text), p);
}

TEST_IMPL(csv_quoting) {
  struct parsed p;

  parse("a,\"b,c\",\"d\"\"e\",\"\",,\"\"\"\"\n", &p);
  ASSERT_EQ(p.rc, 0);
  ASSERT_EQ(p.n, 1);
  ASSERT_EQ(p.nfields[0], 6);
  ASSERT_STR_EQ(p.field[0][0], "a");
  ASSERT_STR_EQ(p.field[0][1], "b,c");
  ASSERT_STR_EQ(p.field[0][2], "d\"e");
  ASSERT_STR_EQ(p.field[0][3], "");
  ASSERT_STR_EQ(p.field[0][4], "");
  ASSERT_STR_EQ(p.field[0][5], "\"");

  /* A trailing comma is one more, empty, field. */
  parse("x,y,\n", &p);
  ASSERT_EQ(p.nfields[0], 3);
  ASSERT_STR_EQ(p.field[0][2], "");
  return TEST_OK;
}

TEST_IMPL(csv_embedded_newlines) {
  struct parsed p;

  parse("h1,h2\n"
        "1,\"two\nlines\"\n"
        "2,z\n"
        "\"three\n\nlines\",w\n"
        "3,\"end\"\n",
        &p);
  ASSERT_EQ(p.rc, 0);
  ASSERT_EQ(p.n, 5);
  ASSERT_EQ(p.line[0], 1);
  ASSERT_EQ(p.line[1], 2);
  ASSERT_EQ(p.line[2], 4);
  ASSERT_EQ(p.line[3], 5);
  ASSERT_EQ(p.line[4], 8);
  ASSERT_STR_EQ(p.field[1][1], "two\nlines");
  ASSERT_STR_EQ(p.field[3][0], "three\n\nlines");
  ASSERT_STR_EQ(p.field[4][1], "end");
  return TEST_OK;
}

TEST_IMPL(csv_crlf) {
  struct parsed p;

  parse("a,b\r\n\"q\r\nr\",\"s\"\r\nc,d\r\n", &p);
  ASSERT_EQ(p.rc, 0);
  ASSERT_EQ(p.n, 3);
  ASSERT_EQ(p.nfields[0], 2);
  ASSERT_STR_EQ(p.field[0][1], "b");
  /* Inside quotes the bytes are kept as they are. */
  ASSERT_STR_EQ(p.field[1][0], "q\r\nr");
  ASSERT_STR_EQ(p.field[1][1], "s");
  ASSERT_EQ(p.line[2], 4);
  ASSERT_STR_EQ(p.field[2][1], "d");

  /* A lone CR is no line end. */
  parse("a,b\rc,d\n", &p);
  ASSERT_EQ(p.rc, -1);
  ASSERT_STR_EQ(p.err, "t.csv:1: carriage return without a line feed: use LF or CRLF line ends");
  return TEST_OK;
}

TEST_IMPL(csv_bom) {
  struct parsed p;
  csv_t *c;
  char err[256];
  static const char text[] = "\xEF\xBB\xBFproduct_code,name_vi\nOCP-1,Bánh\n";

  parse(text, &p);
  ASSERT_EQ(p.n, 2);
  ASSERT_STR_EQ(p.field[0][0], "product_code");
  ASSERT_STR_EQ(p.field[1][1], "Bánh");

  c = csv_open_mem("t.csv", text, strlen(text), err, sizeof err);
  ASSERT_NOT_NULL(c);
  ASSERT_EQ(csv_read_header(c), 0);
  ASSERT_EQ(csv_column(c, "product_code"), 0);
  ASSERT_EQ(csv_column(c, "name_vi"), 1);
  csv_close(c);

  /* A BOM anywhere else is a character like any other. */
  parse("a\n\xEF\xBB\xBF" "b\n", &p);
  ASSERT_STR_EQ(p.field[1][0], "\xEF\xBB\xBF" "b");
  return TEST_OK;
}

TEST_IMPL(csv_invalid_utf8) {
  struct parsed p;

  /* Line 3, column 3: 'c' and 'é' are one character each. */
  parse("h\nab\nc\xC3\xA9\xFF\n", &p);
  ASSERT_EQ(p.rc, -2);
  ASSERT_STR_EQ(p.err, "t.csv:3:3: invalid UTF-8 (byte 0xff): save the file as UTF-8");

  /* Positions count through quoted line breaks and after a BOM. */
  parse("\xEF\xBB\xBFh,\"x\ny\",\xC0\xAF\n", &p);
  ASSERT_STR_EQ(p.err, "t.csv:2:4: invalid UTF-8 (byte 0xc0): save the file as UTF-8");

  parse("a\xED\xA0\x80\n", &p); /* a UTF-16 surrogate */
  ASSERT_STR_EQ(p.err, "t.csv:1:2: invalid UTF-8 (byte 0xed): save the file as UTF-8");
  parse("\xF4\x90\x80\x80\n", &p); /* above U+10FFFF */
  ASSERT_STR_EQ(p.err, "t.csv:1:1: invalid UTF-8 (byte 0xf4): save the file as UTF-8");
  parse("ok\n\xE2\x82", &p); /* cut short by the end of the file */
  ASSERT_STR_EQ(p.err, "t.csv:2:1: invalid UTF-8 (byte 0xe2): save the file as UTF-8");
  parse("Latin-1 caf\xE9\n", &p);
  ASSERT_STR_EQ(p.err, "t.csv:1:12: invalid UTF-8 (byte 0xe9): save the file as UTF-8");

  parse_mem("a,b\nc,\0\n", 8, &p);
  ASSERT_STR_EQ(p.err, "t.csv:2:3: NUL byte in a text file");

  /* Every well-formed sequence length passes. */
  parse("\x24,\xC2\xA2,\xE0\xA4\xB9,\xF0\x90\x8D\x88\n", &p);
  ASSERT_EQ(p.rc, 0);
  ASSERT_EQ(p.nfields[0], 4);
  return TEST_OK;
}

TEST_IMPL(csv_syntax_errors) {
  struct parsed p;

  parse("a,b\n1,\"never\nclosed\n", &p);
  ASSERT_EQ(p.n, 1);
  ASSERT_EQ(p.rc, -1);
  ASSERT_STR_EQ(p.err, "t.csv:2: quoted field is not closed: a quote is missing");

  parse("a,b\n1,2\n3,4 \"inch\"\n", &p);
  ASSERT_EQ(p.n, 2);
  ASSERT_STR_EQ(p.err,
                "t.csv:3: quote inside an unquoted field: quote the whole field and double the quote");

  parse("a,b\n\"x\ny\"z,1\n", &p);
  ASSERT_STR_EQ(p.err,
                "t.csv:3: text after the closing quote of a field: quote the whole field");
  return TEST_OK;
}

TEST_IMPL(csv_empty_lines) {
  struct parsed p;

  parse("\n\na,b\n\n\r\n\nc,d\n\n", &p);
  ASSERT_EQ(p.rc, 0);
  ASSERT_EQ(p.n, 2);
  ASSERT_EQ(p.line[0], 3);
  ASSERT_EQ(p.line[1], 7);
  ASSERT_STR_EQ(p.field[1][1], "d");

  /* Commas alone are a record of empty fields, not a blank line. */
  parse(",\n", &p);
  ASSERT_EQ(p.n, 1);
  ASSERT_EQ(p.nfields[0], 2);

  parse("", &p);
  ASSERT_EQ(p.rc, 0);
  ASSERT_EQ(p.n, 0);
  return TEST_OK;
}

TEST_IMPL(csv_no_trailing_newline) {
  struct parsed p;

  parse("a,b\nc,d", &p);
  ASSERT_EQ(p.rc, 0);
  ASSERT_EQ(p.n, 2);
  ASSERT_STR_EQ(p.field[1][1], "d");

  parse("a,b\nc,\"d\"", &p);
  ASSERT_EQ(p.n, 2);
  ASSERT_STR_EQ(p.field[1][1], "d");

  parse("a,b\nc,", &p);
  ASSERT_EQ(p.n, 2);
  ASSERT_EQ(p.nfields[1], 2);
  ASSERT_STR_EQ(p.field[1][1], "");
  return TEST_OK;
}

/* "a,b\n" then one record made of the given fields, each `len` x's. */
static char *record_of(size_t nfields, size_t len, size_t *total) {
  size_t size = 4 + nfields * (len + 1) + 1, i, pos = 0;
  char *s = malloc(size);

  ASSERT_NOT_NULL(s);
  memcpy(s, "a,b\n", 4);
  pos = 4;
  for (i = 0; i < nfields; i++) {
    memset(s + pos, 'x', len);
    pos += len;
    s[pos++] = i + 1 < nfields ? ',' : '\n';
  }
  *total = pos;
  return s;
}

static int parse_big(const char *s, size_t len, char *err, size_t errlen,
                     size_t *nfields) {
  struct csv_record rec;
  csv_t *c = csv_open_mem("t.csv", s, len, err, errlen);
  int r;

  ASSERT_NOT_NULL(c);
  ASSERT_EQ(csv_read_header(c), 0);
  r = csv_next(c, &rec);
  if (r == 1)
    *nfields = rec.nfields;
  snprintf(err, errlen, "%s", csv_error(c));
  csv_close(c);
  return r;
}

TEST_IMPL(csv_field_limit) {
  char err[512];
  size_t len, n = 0;
  char *s;

  s = record_of(2, CSV_MAX_FIELD, &len);
  ASSERT_EQ(parse_big(s, len, err, sizeof err, &n), 1);
  ASSERT_EQ(n, 2);
  free(s);

  s = record_of(2, CSV_MAX_FIELD + 1, &len);
  ASSERT_EQ(parse_big(s, len, err, sizeof err, &n), -1);
  /* The header names the column that is too long. */
  ASSERT_STR_EQ(err, "t.csv:2: a: field is longer than 64 KiB");
  free(s);

  /* Quoted, on its third field (past the header's two), counting "" as one. */
  {
    size_t size = CSV_MAX_FIELD + 64;
    char *q = malloc(size * 2);
    size_t pos = 0, i;

    ASSERT_NOT_NULL(q);
    pos += (size_t)sprintf(q, "a,b\n1,2,\"");
    for (i = 0; i < CSV_MAX_FIELD; i++) {
      q[pos++] = '"';
      q[pos++] = '"';
    }
    pos += (size_t)sprintf(q + pos, "\"\n");
    ASSERT_EQ(parse_big(q, pos, err, sizeof err, &n), 1);
    ASSERT_EQ(n, 3);
    q[pos - 2] = '"';
    q[pos - 1] = '"';
    pos += (size_t)sprintf(q + pos, "\"\n");
    ASSERT_EQ(parse_big(q, pos, err, sizeof err, &n), -1);
    ASSERT_STR_EQ(err, "t.csv:2: field 3: field is longer than 64 KiB");
    free(q);
  }
  return TEST_OK;
}

TEST_IMPL(csv_fields_limit) {
  char err[512];
  size_t len, n = 0;
  char *s;

  s = record_of(CSV_MAX_FIELDS, 1, &len);
  ASSERT_EQ(parse_big(s, len, err, sizeof err, &n), 1);
  ASSERT_EQ(n, CSV_MAX_FIELDS);
  free(s);

  s = record_of(CSV_MAX_FIELDS + 1, 1, &len);
  ASSERT_EQ(parse_big(s, len, err, sizeof err, &n), -1);
  ASSERT_STR_EQ(err, "t.csv:2: record has more than 256 fields");
  free(s);
  return TEST_OK;
}

TEST_IMPL(csv_record_limit) {
  char err[512];
  size_t len, n = 0;
  char *s;

  /* 16 fields of 64 KiB are exactly 1 MiB: allowed. */
  s = record_of(CSV_MAX_RECORD / CSV_MAX_FIELD, CSV_MAX_FIELD, &len);
  ASSERT_EQ(parse_big(s, len, err, sizeof err, &n), 1);
  ASSERT_EQ(n, 16);
  free(s);

  s = record_of(CSV_MAX_RECORD / CSV_MAX_FIELD + 1, CSV_MAX_FIELD, &len);
  ASSERT_EQ(parse_big(s, len, err, sizeof err, &n), -1);
  ASSERT_STR_EQ(err, "t.csv:2: record is longer than 1 MiB");
  free(s);
  return TEST_OK;
}

TEST_IMPL(csv_file_limit) {
  char path[512], err[512];
  int fd;
  csv_t *c;

  snprintf(path, sizeof path, "%s/test_csv_XXXXXX", test_tmpdir());
  fd = mkstemp(path);
  ASSERT(fd >= 0);
  /* Sparse: costs no disk, and the size alone must refuse it. */
  ASSERT_EQ(ftruncate(fd, (off_t)CSV_MAX_FILE + 1), 0);
  close(fd);
  c = csv_open(path, err, sizeof err);
  ASSERT_NULL(c);
  {
    char want[600];

    snprintf(want, sizeof want, "%s: file is larger than 64 MiB: split it", path);
    ASSERT_STR_EQ(err, want);
  }
  unlink(path);

  c = csv_open("/nonexistent/x.csv", err, sizeof err);
  ASSERT_NULL(c);
  ASSERT_STR_EQ(err, "/nonexistent/x.csv: No such file or directory");
  return TEST_OK;
}

TEST_IMPL(csv_file_limit_pipe) {
  /* A pipe has no size to look at: the reader must stop by counting. */
  int fds[2];
  pid_t pid;
  char err[512], path[64];
  csv_t *c;

  ASSERT_EQ(pipe(fds), 0);
  pid = fork();
  ASSERT(pid >= 0);
  if (pid == 0) {
    static char chunk[65536];
    size_t sent = 0;

    close(fds[0]);
    memset(chunk, 'x', sizeof chunk);
    while (sent <= CSV_MAX_FILE) {
      ssize_t n = write(fds[1], chunk, sizeof chunk);

      if (n <= 0)
        break;
      sent += (size_t)n;
    }
    _exit(0);
  }
  close(fds[1]);
  snprintf(path, sizeof path, "/dev/fd/%d", fds[0]);
  c = csv_open(path, err, sizeof err);
  ASSERT_NULL(c);
  ASSERT(strstr(err, ": file is larger than 64 MiB: split it") != NULL);
  close(fds[0]); /* the writer stops on EPIPE or SIGPIPE */
  ASSERT_EQ(waitpid(pid, NULL, 0), pid);
  return TEST_OK;
}

TEST_IMPL(csv_header) {
  char err[256];
  csv_t *c;

  c = csv_open_mem("t.csv", "a,b,a\n", 6, err, sizeof err);
  ASSERT_NOT_NULL(c);
  ASSERT_EQ(csv_read_header(c), -1);
  ASSERT_STR_EQ(csv_error(c), "t.csv:1: column \"a\" appears twice in the header (columns 1 and 3)");
  csv_close(c);

  c = csv_open_mem("t.csv", "a,,c\n", 5, err, sizeof err);
  ASSERT_EQ(csv_read_header(c), -1);
  ASSERT_STR_EQ(csv_error(c), "t.csv:1: column 2 of the header has no name");
  csv_close(c);

  c = csv_open_mem("t.csv", "\n\n", 2, err, sizeof err);
  ASSERT_EQ(csv_read_header(c), -1);
  ASSERT_STR_EQ(csv_error(c), "t.csv:1: the file is empty: the first line must name the columns");
  csv_close(c);

  c = csv_open_mem("t.csv", "x,\"y z\"\n", 8, err, sizeof err);
  ASSERT_EQ(csv_read_header(c), 0);
  ASSERT_EQ(csv_columns(c), 2);
  ASSERT_EQ(csv_column(c, "y z"), 1);
  ASSERT_EQ(csv_column(c, "X"), -1);
  ASSERT_STR_EQ(csv_column_name(c, 0), "x");
  ASSERT_NULL(csv_column_name(c, 2));
  csv_close(c);
  return TEST_OK;
}

/* A quoted header name may hold a line break or an escape; the error that
 * quotes it stays one line (found by tests/fuzz/fuzz_import.c). */
TEST_IMPL(csv_header_error_one_line) {
  static const char data[] = "\"a\nb\",x,\"a\nb\"\n";
  static const char esc[] = "\"\x1b[2J\",\"\x1b[2J\"\n";
  char err[256];
  csv_t *c;

  c = csv_open_mem("t.csv", data, sizeof data - 1, err, sizeof err);
  ASSERT_NOT_NULL(c);
  ASSERT_EQ(csv_read_header(c), -1);
  ASSERT_STR_EQ(csv_error(c),
                "t.csv:1: column \"a\\nb\" appears twice in the header (columns 1 and 3)");
  csv_close(c);

  c = csv_open_mem("t.csv", esc, sizeof esc - 1, err, sizeof err);
  ASSERT_NOT_NULL(c);
  ASSERT_EQ(csv_read_header(c), -1);
  ASSERT_STR_EQ(csv_error(c),
                "t.csv:1: column \"\\x1b[2J\" appears twice in the header (columns 1 and 2)");
  csv_close(c);
  return TEST_OK;
}

static const char *sample_path(char *buf, size_t len) {
  const char *top = getenv("top_srcdir");

  snprintf(buf, len, "%s/tests/data/ocop-sample.csv", top ? top : ".");
  return buf;
}

TEST_IMPL(csv_sample_file) {
  char path[4096], err[512];
  struct csv_record rec;
  csv_t *c = csv_open(sample_path(path, sizeof path), err, sizeof err);
  int r, n = 0, code, desc, revoked, images, shelf;

  if (!c)
    fprintf(stderr, "%s\n", err);
  ASSERT_NOT_NULL(c);
  ASSERT_EQ(csv_read_header(c), 0);
  /* With sku, variant and the package size, then the listing's content. */
  ASSERT_EQ(csv_columns(c), 28);
  code = csv_column(c, "product_code");
  desc = csv_column(c, "description_vi");
  revoked = csv_column(c, "revoked_on");
  ASSERT_EQ(code, 0);
  ASSERT_EQ(desc, 16);
  ASSERT_EQ(revoked, 17);
  images = csv_column(c, "images");
  shelf = csv_column(c, "shelf_life");
  ASSERT_EQ(images, 23);
  ASSERT_EQ(csv_column(c, "brand"), 24);
  ASSERT_EQ(csv_column(c, "origin"), 25);
  ASSERT_EQ(shelf, 26);
  ASSERT_EQ(csv_column(c, "ingredients"), 27);
  while ((r = csv_next(c, &rec)) == 1) {
    n++;
    ASSERT_EQ(rec.nfields, 28);
    /* One record a line: no field of the sample spans lines. */
    ASSERT_EQ(rec.line, (unsigned long)n + 1);
    if (n == 1) {
      ASSERT_STR_EQ(rec.fields[code], "OCP-BKN-001");
      ASSERT_STR_EQ(rec.fields[1], "Miến dong Tài Hoan");
      /* Quoted, with commas inside. */
      ASSERT(strncmp(rec.fields[desc], "Miến làm từ 100% tinh bột củ dong riềng đỏ trồng ở Na Rì, ",
                     strlen("Miến làm từ 100% tinh bột củ dong riềng đỏ trồng ở Na Rì, ")) == 0);
    }
    if (strcmp(rec.fields[code], "OCP-HTH-901") == 0)
      ASSERT_STR_EQ(rec.fields[revoked], "2026-09-15");
    if (strcmp(rec.fields[code], "OCP-QNM-002") == 0)
      ASSERT_STR_EQ(rec.fields[images],
                    "OCP-QNM-002.jpg|claim:ocop-5-sao.png|cert:certificate.jpg");
    /* Left without on purpose: the demo holds it until it is added. */
    if (strcmp(rec.fields[code], "OCP-TNG-001") == 0)
      ASSERT_STR_EQ(rec.fields[shelf], "");
  }
  ASSERT_EQ(r, 0);
  ASSERT_EQ(n, 46); /* 42 products, four of their variants on rows of their own */
  csv_close(c);
  return TEST_OK;
}
