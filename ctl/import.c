/* import.c — see import.h. */
#include "import.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "import_int.h"
#include "migrate.h"
#include "oneline.h"

/* Imports are serialised, so two at once cannot trip over each other's
 * new producers: pg_advisory_xact_lock key "ocopimpt". */
#define IMPORT_LOCK_KEY "8026381489500156020"

/* The file's columns (import_int.h). */
const struct column imp_columns[NCOLS] = {
    [C_PRODUCT_CODE] = {"product_code", 0, 1, 0, 0}, /* the pattern bounds it */
    [C_NAME_VI] = {"name_vi", 0, 1, 255, 0},
    [C_PRODUCER_NAME] = {"producer_name", 0, 1, 300, 0},
    [C_PRODUCER_TYPE] = {"producer_type", 0, 1, 0, 0},
    [C_PROVINCE] = {"province", 0, 0, 0, 0},
    [C_COMMUNE] = {"commune", 0, 0, 0, 0},
    [C_CATEGORY_GROUP] = {"category_group", 0, 1, 0, 0},
    [C_STARS] = {"stars", 0, 0, 0, 0},
    [C_CERTIFICATE_NO] = {"certificate_no", 0, 0, 100, 0},
    [C_CERTIFIED_ON] = {"certified_on", 0, 0, 0, 0},
    [C_EXPIRES_ON] = {"expires_on", 0, 0, 0, 0},
    [C_PRICE_VND] = {"price_vnd", 0, 1, 0, 1},
    [C_STOCK] = {"stock", 0, 1, 0, 1},
    [C_UNIT] = {"unit", 0, 0, 32, 0},
    [C_WEIGHT_G] = {"weight_g", 0, 0, 0, 1},
    [C_GTIN] = {"gtin", 0, 0, 0, 1},
    [C_DESCRIPTION_VI] = {"description_vi", 0, 0, 5000, 0},
    [C_REVOKED_ON] = {"revoked_on", 1, 0, 0, 0},
    [C_SKU] = {"sku", 1, 0, 0, 1}, /* the pattern bounds it */
    [C_VARIANT] = {"variant", 1, 0, 64, 1},
    [C_LENGTH_MM] = {"length_mm", 1, 0, 0, 1},
    [C_WIDTH_MM] = {"width_mm", 1, 0, 0, 1},
    [C_HEIGHT_MM] = {"height_mm", 1, 0, 0, 1},
    /* product_image.source bounds each image (import_content.c). */
    [C_IMAGES] = {"images", 1, 0, 0, 0},
    /* product_attribute.value: 1 to 1000 characters. */
    [C_BRAND] = {"brand", 1, 0, 1000, 0},
    [C_ORIGIN] = {"origin", 1, 0, 1000, 0},
    [C_SHELF_LIFE] = {"shelf_life", 1, 0, 1000, 0},
    [C_INGREDIENTS] = {"ingredients", 1, 0, 1000, 0},
    [C_NET_WEIGHT] = {"net_weight", 1, 0, 1000, 0},
    [C_STORAGE] = {"storage", 1, 0, 1000, 0},
    [C_MATERIAL] = {"material", 1, 0, 1000, 0},
};
#define columns imp_columns

/* producer.kind's CHECK. */
static const char *const producer_kinds[] = {
    "cooperative", "coop_group", "enterprise", "household", "farm", "association", NULL,
};

/* ---- problems ------------------------------------------------------------ */

static void problem(struct import *im, unsigned long line, const char *column,
                    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Keeps a finished message; line orders the output. */
static void add_problem(struct import *im, unsigned long line, const char *text) {
  if (im->nproblems == im->problems_cap) {
    size_t cap = im->problems_cap ? im->problems_cap * 2 : 32;
    struct problem *p = realloc(im->problems, cap * sizeof *p);

    if (!p)
      abort(); /* out of memory while reporting: nothing sensible is left */
    im->problems = p;
    im->problems_cap = cap;
  }
  im->problems[im->nproblems].line = line;
  im->problems[im->nproblems].seq = im->nproblems;
  /* Values are quoted in problems, and a quoted field may hold a line
   * break: each problem stays one line. */
  im->problems[im->nproblems].text = oneline_dup(text);
  if (!im->problems[im->nproblems].text)
    abort();
  im->nproblems++;
}

/* How many bytes of a column name a problem shows: a header may name
 * a column of any length, and the FILE:LINE before it must always fit.
 * Cut where a UTF-8 character starts. */
#define COLUMN_SHOWN 120

static int column_shown(const char *column) {
  size_t n = strlen(column);

  if (n <= COLUMN_SHOWN)
    return (int)n;
  n = COLUMN_SHOWN;
  while (n > 0 && ((unsigned char)column[n] & 0xC0) == 0x80)
    n--;
  return (int)n;
}

/* Records "FILE:LINE: column: text"; column may be NULL for a whole row. */
static void problem(struct import *im, unsigned long line, const char *column,
                    const char *fmt, ...) {
  char text[1024];
  int n;
  va_list ap;

  if (column)
    n = snprintf(text, sizeof text, "%s:%lu: %.*s%s: ", im->path, line, column_shown(column),
                 column, strlen(column) > COLUMN_SHOWN ? "..." : "");
  else
    n = snprintf(text, sizeof text, "%s:%lu: ", im->path, line);
  if (n < 0 || (size_t)n >= sizeof text)
    n = 0;
  va_start(ap, fmt);
  vsnprintf(text + n, sizeof text - (size_t)n, fmt, ap);
  va_end(ap);
  add_problem(im, line, text);
}

void imp_row_problem(struct import *im, struct row *r, enum col c, const char *fmt, ...) {
  char text[900];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  problem(im, r->line, columns[c].name, "%s", text);
  r->bad = 1;
}

void imp_row_problem_at(struct import *im, struct row *r, const char *column, const char *fmt,
                        ...) {
  char text[900];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  problem(im, r->line, column, "%s", text);
  r->bad = 1;
}

void imp_header_problem(struct import *im, const char *column, const char *fmt, ...) {
  char text[900];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(text, sizeof text, fmt, ap);
  va_end(ap);
  problem(im, 1, column, "%s", text);
}

static int by_line(const void *a, const void *b) {
  const struct problem *x = a, *y = b;

  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

static void print_problems(struct import *im) {
  size_t i;

  if (im->nproblems == 0)
    return; /* qsort must not see the NULL array, even with no elements */
  qsort(im->problems, im->nproblems, sizeof *im->problems, by_line);
  for (i = 0; i < im->nproblems; i++)
    fprintf(im->errs, "%s\n", im->problems[i].text);
}

/* ---- values ------------------------------------------------------------ */

size_t imp_utf8_chars(const char *s) {
  size_t n = 0;

  for (; *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80)
      n++;
  return n;
}

static int is_digits(const char *s) {
  if (!*s)
    return 0;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return 0;
  return 1;
}

/* Digits only, no sign or separators, at most max; -1 bad form, -2 too big. */
static int parse_count(const char *s, long long max, long long *out) {
  long long v = 0;

  if (!is_digits(s))
    return -1;
  for (; *s; s++) {
    int d = *s - '0';

    if (v > (max - d) / 10)
      return -2;
    v = v * 10 + d;
  }
  *out = v;
  return 0;
}

/* "YYYY-MM-DD" naming a day that exists: 0, -1 wrong form, -2 no such day. */
static int parse_date(const char *s) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int y, m, d, leap, i;

  if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
    return -1;
  for (i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
      return -1;
  y = atoi(s);
  m = atoi(s + 5);
  d = atoi(s + 8);
  leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (y == 0 || m < 1 || m > 12 || d < 1)
    return -2;
  if (d > mdays[m - 1] + (m == 2 && leap))
    return -2;
  return 0;
}

/* GS1 mod-10: weights 3,1,3,… from the digit left of the check digit. */
static int gtin_check_digit(const char *g, size_t n) {
  int sum = 0;
  size_t i;

  for (i = 0; i + 1 < n; i++)
    sum += (g[n - 2 - i] - '0') * (i % 2 == 0 ? 3 : 1);
  return (10 - sum % 10) % 10;
}

/* product.code's CHECK: ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$ */
int imp_code_ok(const char *s) {
  size_t i, n = strlen(s);

  if (n < 1 || n > 64)
    return 0;
  for (i = 0; i < n; i++) {
    char c = s[i];
    int alnum = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');

    if (!alnum && (i == 0 || (c != '.' && c != '_' && c != '-')))
      return 0;
  }
  return 1;
}

int imp_has_outer_space(const char *s) {
  size_t n = strlen(s);

  return n && (s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t');
}

/* ---- checks on one row (no database) ----------------------------------- */

static void check_text(struct import *im, struct row *r) {
  int c;

  for (c = 0; c < NCOLS; c++) {
    size_t n;

    if (columns[c].required && r->f[c][0] == '\0') {
      imp_row_problem(im, r, c, "must not be empty");
      continue;
    }
    n = columns[c].max_chars ? imp_utf8_chars(r->f[c]) : 0;
    if (n > columns[c].max_chars)
      imp_row_problem(im, r, c, "is %zu characters long; at most %zu fit", n, columns[c].max_chars);
  }
  if (r->f[C_PRODUCT_CODE][0] && !imp_code_ok(r->f[C_PRODUCT_CODE]))
    imp_row_problem(im, r, C_PRODUCT_CODE,
                "\"%s\" is not a product code: 1 to 64 letters, digits, '.', '_' or '-', "
                "starting with a letter or digit",
                r->f[C_PRODUCT_CODE]);
  /* Names and numbers are keys: a stray space would make a second producer
   * or certificate that looks identical. */
  if (imp_has_outer_space(r->f[C_PRODUCER_NAME]))
    imp_row_problem(im, r, C_PRODUCER_NAME, "has a space at the start or end");
  if (imp_has_outer_space(r->f[C_CERTIFICATE_NO]))
    imp_row_problem(im, r, C_CERTIFICATE_NO, "has a space at the start or end");
}

static int kind_ok(const char *k) {
  size_t i;

  for (i = 0; producer_kinds[i]; i++)
    if (strcmp(k, producer_kinds[i]) == 0)
      return 1;
  return 0;
}

static void check_kind(struct import *im, struct row *r) {
  const char *k = r->f[C_PRODUCER_TYPE];

  if (!k[0] || kind_ok(k))
    return;
  imp_row_problem(im, r, C_PRODUCER_TYPE,
              "\"%s\" is not one of cooperative, coop_group, enterprise, household, farm, "
              "association",
              k);
}

static void check_category(struct import *im, struct row *r) {
  const char *g = r->f[C_CATEGORY_GROUP];
  size_t i;

  if (!g[0])
    return;
  for (i = 0; i < im->ncategories; i++)
    if (strcmp(g, im->categories[i]) == 0)
      return;
  imp_row_problem(im, r, C_CATEGORY_GROUP, "\"%s\" is not a known category (e.g. I.3.c, IV.1, VI.1)",
              g);
}

/* A date column: returns 1 when it holds a valid date. */
static int check_date(struct import *im, struct row *r, enum col c) {
  int d = parse_date(r->f[c]);

  if (d == -1)
    imp_row_problem(im, r, c, "\"%s\" is not a date: write YYYY-MM-DD", r->f[c]);
  else if (d == -2)
    imp_row_problem(im, r, c, "%s is not a day of the calendar", r->f[c]);
  return d == 0;
}

/* The certificate columns must be empty when there is no recognition. */
static void check_no_certificate(struct import *im, struct row *r, const char *why) {
  static const enum col cert_cols[] = {C_CERTIFICATE_NO, C_CERTIFIED_ON, C_EXPIRES_ON,
                                       C_REVOKED_ON};
  size_t i;

  for (i = 0; i < sizeof cert_cols / sizeof cert_cols[0]; i++)
    if (r->f[cert_cols[i]][0])
      imp_row_problem(im, r, cert_cols[i], "must be empty %s", why);
}

static void check_certificate(struct import *im, struct row *r) {
  const char *s = r->f[C_STARS];
  int certified = 0, expires = 0, revoked = 0;

  if (!s[0]) {
    check_no_certificate(im, r, "when stars is empty");
    return;
  }
  if (strlen(s) != 1 || s[0] < '1' || s[0] > '5') {
    imp_row_problem(im, r, C_STARS, "\"%s\" is not a rating: leave it empty or write 1 to 5", s);
    return;
  }
  r->stars = s[0] - '0';
  if (r->stars < 3) {
    check_no_certificate(im, r, "for a 1-2 star rating: only 3 stars and above are certified");
    return;
  }
  if (!r->f[C_CERTIFICATE_NO][0])
    imp_row_problem(im, r, C_CERTIFICATE_NO,
                "must not be empty for %d stars: give the recognition decision number",
                r->stars);
  if (!r->f[C_CERTIFIED_ON][0])
    imp_row_problem(im, r, C_CERTIFIED_ON,
                "must not be empty for %d stars: give the decision date", r->stars);
  else
    certified = check_date(im, r, C_CERTIFIED_ON);
  expires = r->f[C_EXPIRES_ON][0] && check_date(im, r, C_EXPIRES_ON);
  revoked = r->f[C_REVOKED_ON][0] && check_date(im, r, C_REVOKED_ON);
  /* ISO dates compare as strings. */
  if (certified && expires && strcmp(r->f[C_EXPIRES_ON], r->f[C_CERTIFIED_ON]) < 0)
    imp_row_problem(im, r, C_EXPIRES_ON, "%s is before certified_on %s", r->f[C_EXPIRES_ON],
                r->f[C_CERTIFIED_ON]);
  if (certified && revoked && strcmp(r->f[C_REVOKED_ON], r->f[C_CERTIFIED_ON]) < 0)
    imp_row_problem(im, r, C_REVOKED_ON, "%s is before certified_on %s", r->f[C_REVOKED_ON],
                r->f[C_CERTIFIED_ON]);
}

/* A count: whole, not negative, at most max, at least min. */
void imp_check_count(struct import *im, struct row *r, enum col c, long long min,
                        long long max, const char *unit) {
  const char *s = r->f[c];
  long long v;
  int p;

  if (!s[0])
    return;
  p = parse_count(s, max, &v);
  if (p == -2) {
    imp_row_problem(im, r, c, "%s is too large (at most %lld)", s, max);
  } else if (p == -1 && s[0] == '-' && is_digits(s + 1)) {
    imp_row_problem(im, r, c, "%s is negative", s);
  } else if (p == -1 && strpbrk(s, ".,") && strspn(s, "0123456789.,") == strlen(s)) {
    imp_row_problem(im, r, c, "\"%s\" must be a whole number of %s without separators or decimals",
                s, unit);
  } else if (p == -1) {
    imp_row_problem(im, r, c, "\"%s\" is not a whole number", s);
  } else if (v < min) {
    imp_row_problem(im, r, c, "%s is below the minimum of %lld", s, min);
  }
}

static void check_gtin(struct import *im, struct row *r) {
  const char *g = r->f[C_GTIN];
  size_t n = strlen(g);
  int want;

  if (!n)
    return;
  if (!is_digits(g)) {
    imp_row_problem(im, r, C_GTIN, "\"%s\" must be digits only", g);
    return;
  }
  if (n != 8 && n != 12 && n != 13 && n != 14) {
    imp_row_problem(im, r, C_GTIN, "has %zu digits; a GTIN has 8, 12, 13 or 14", n);
    return;
  }
  want = gtin_check_digit(g, n);
  if (g[n - 1] - '0' != want)
    imp_row_problem(im, r, C_GTIN, "check digit is %c but should be %d: the number is mistyped",
                g[n - 1], want);
}

static void check_row(struct import *im, struct row *r) {
  check_text(im, r);
  check_kind(im, r);
  check_category(im, r);
  check_certificate(im, r);
  imp_check_count(im, r, C_PRICE_VND, 0, INT64_MAX, "dong");
  imp_check_count(im, r, C_STOCK, 0, INT64_MAX, "units");
  imp_check_count(im, r, C_WEIGHT_G, 1, INT32_MAX, "grams");
  check_gtin(im, r);
  imp_check_variant_row(im, r);
  imp_check_content_row(im, r);
}

/* ---- checks across rows -------------------------------------------------- */

static int by_key(const void *a, const void *b) {
  const struct imp_keyed *x = a, *y = b;
  int c = strcmp(x->key, y->key);

  if (c)
    return c;
  return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Rows sorted by one column (file order within a key); NULL when empty. */
struct imp_keyed *imp_sorted_by(struct import *im, enum col c) {
  struct imp_keyed *k = calloc(im->nrows ? im->nrows : 1, sizeof *k);
  size_t i;

  if (!k)
    abort();
  for (i = 0; i < im->nrows; i++) {
    k[i].key = im->rows[i].f[c];
    k[i].idx = i;
  }
  qsort(k, im->nrows, sizeof *k, by_key);
  return k;
}

/* Rows sorted by their SKU, given or taken from the product code. */
struct imp_keyed *imp_sorted_by_sku(struct import *im) {
  struct imp_keyed *k = calloc(im->nrows ? im->nrows : 1, sizeof *k);
  size_t i;

  if (!k)
    abort();
  for (i = 0; i < im->nrows; i++) {
    k[i].key = im->rows[i].sku;
    k[i].idx = i;
  }
  qsort(k, im->nrows, sizeof *k, by_key);
  return k;
}

/* The row whose certification is newest (later line on a tie). */
static int newer(const struct row *a, const struct row *b) {
  int c = strcmp(a->f[C_CERTIFIED_ON], b->f[C_CERTIFIED_ON]);

  return c > 0 || (c == 0 && a->line > b->line);
}

/* One producer, many rows: one kind (compared with the first row that has
 * a valid one; invalid kinds are reported already), and the newest address. */
static void check_producers(struct import *im) {
  struct imp_keyed *k = imp_sorted_by(im, C_PRODUCER_NAME);
  size_t i = 0;

  while (i < im->nrows) {
    size_t j, end = i, src = k[i].idx;
    const struct row *first = NULL;

    while (end < im->nrows && strcmp(k[end].key, k[i].key) == 0)
      end++;
    for (j = i; j < end; j++) {
      struct row *r = &im->rows[k[j].idx];

      if (!kind_ok(r->f[C_PRODUCER_TYPE]))
        continue;
      if (!first)
        first = r;
      else if (strcmp(r->f[C_PRODUCER_TYPE], first->f[C_PRODUCER_TYPE]) != 0)
        imp_row_problem(im, r, C_PRODUCER_TYPE,
                    "\"%s\" differs from \"%s\" on line %lu for the same producer",
                    r->f[C_PRODUCER_TYPE], first->f[C_PRODUCER_TYPE], first->line);
    }
    for (j = i; j < end; j++)
      if (newer(&im->rows[k[j].idx], &im->rows[src]))
        src = k[j].idx;
    for (j = i; j < end; j++)
      im->rows[k[j].idx].producer_src = src;
    i = end;
  }
  free(k);
}

/* ---- reading ------------------------------------------------------------- */

static int read_header(struct import *im) {
  size_t i, n = csv_columns(im->csv);
  int c, missing = 0;

  for (c = 0; c < NCOLS; c++) {
    im->colidx[c] = csv_column(im->csv, columns[c].name);
    if (im->colidx[c] < 0 && !columns[c].optional) {
      problem(im, 1, NULL, "missing column \"%s\"", columns[c].name);
      missing = 1;
    }
  }
  for (i = 0; i < n; i++) {
    const char *name = csv_column_name(im->csv, i);

    for (c = 0; c < NCOLS; c++)
      if (strcmp(name, columns[c].name) == 0)
        break;
    if (c == NCOLS && !imp_extra_column(im, name, (int)i))
      problem(im, 1, NULL, "unknown column \"%s\"", name);
  }
  return missing ? -1 : 0;
}

static struct row *new_row(struct import *im) {
  if (im->nrows == im->rows_cap) {
    size_t cap = im->rows_cap ? im->rows_cap * 2 : 64;
    struct row *p = realloc(im->rows, cap * sizeof *p);

    if (!p)
      abort();
    im->rows = p;
    im->rows_cap = cap;
  }
  memset(&im->rows[im->nrows], 0, sizeof im->rows[0]);
  return &im->rows[im->nrows++];
}

/* Keeps a copy of the record's fields in a new row. */
static void keep_row(struct import *im, const struct csv_record *rec) {
  struct row *r = new_row(im);
  size_t i;
  int c;

  r->line = rec->line;
  for (c = 0; c < NCOLS; c++) {
    r->f[c] = strdup(im->colidx[c] >= 0 ? rec->fields[im->colidx[c]] : "");
    if (!r->f[c])
      abort();
  }
  r->sku = r->f[C_SKU][0] ? r->f[C_SKU] : r->f[C_PRODUCT_CODE];
  r->xf = calloc(im->nextras ? im->nextras : 1, sizeof *r->xf);
  if (!r->xf)
    abort();
  for (i = 0; i < im->nextras; i++) {
    r->xf[i] = strdup(rec->fields[im->extras[i].idx]);
    if (!r->xf[i])
      abort();
  }
}

static void read_rows(struct import *im) {
  struct csv_record rec;
  size_t width = csv_columns(im->csv);
  int r;

  while ((r = csv_next(im->csv, &rec)) == 1) {
    if (rec.nfields != width) {
      problem(im, rec.line, NULL, "has %zu fields but the header has %zu", rec.nfields,
              width);
      continue;
    }
    keep_row(im, &rec);
  }
  if (r < 0) {
    /* Sorted after every row read so far; the text names file and line. */
    add_problem(im, ULONG_MAX, csv_error(im->csv));
    im->broken = 1;
  }
}

/* ---- database ---------------------------------------------------------- */

int imp_fatal(struct import *im, const char *what, const PGresult *res) {
  const char *msg = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;

  if (!msg)
    msg = PQerrorMessage(im->conn);
  fprintf(im->errs, "%s: %s: %.*s\n", im->path, what, (int)strcspn(msg, "\n"), msg);
  return -1;
}

int imp_command(struct import *im, const char *sql, int n, const char *const *params,
                   const char *what) {
  PGresult *res = PQexecParams(im->conn, sql, n, NULL, params, NULL, NULL, 0);
  int rc = 0;

  if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK)
    rc = imp_fatal(im, what, res);
  PQclear(res);
  return rc;
}

static int load_categories(struct import *im) {
  PGresult *res = PQexecParams(im->conn, "SELECT code FROM category", 0, NULL, NULL, NULL,
                               NULL, 0);
  int i, rc = -1;

  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    imp_fatal(im, "cannot read the categories", res);
    goto out;
  }
  im->ncategories = (size_t)PQntuples(res);
  im->categories = calloc(im->ncategories ? im->ncategories : 1, sizeof *im->categories);
  if (!im->categories)
    abort();
  for (i = 0; i < PQntuples(res); i++) {
    im->categories[i] = strdup(PQgetvalue(res, i, 0));
    if (!im->categories[i])
      abort();
  }
  rc = 0;
out:
  PQclear(res);
  return rc;
}

/* Which CSV column a database error is about. Named constraints first, then
 * the column the server names, then the <table>_<column>_… naming that
 * PostgreSQL gives unnamed constraints; else the step's own column. */
static const struct {
  const char *table, *column;
  enum col csv;
} db_columns[] = {
    {"producer", "name", C_PRODUCER_NAME},       {"producer", "kind", C_PRODUCER_TYPE},
    {"producer", "province", C_PROVINCE},        {"producer", "commune", C_COMMUNE},
    {"product", "code", C_PRODUCT_CODE},         {"product", "name_vi", C_NAME_VI},
    {"product", "producer_id", C_PRODUCER_NAME}, {"product", "category_code", C_CATEGORY_GROUP},
    {"product", "unit", C_UNIT},                 {"product", "description_vi", C_DESCRIPTION_VI},
    {"variant", "sku", C_SKU},                   {"variant", "label", C_VARIANT},
    {"variant", "position", C_VARIANT},          {"variant", "price_vnd", C_PRICE_VND},
    {"variant", "weight_g", C_WEIGHT_G},         {"variant", "gtin", C_GTIN},
    {"variant", "length_mm", C_LENGTH_MM},       {"variant", "width_mm", C_WIDTH_MM},
    {"variant", "height_mm", C_HEIGHT_MM},
    {"certificate", "stars", C_STARS},           {"certificate", "decision_no", C_CERTIFICATE_NO},
    {"certificate", "decision_date", C_CERTIFIED_ON},
    {"certificate", "valid_from", C_CERTIFIED_ON},
    {"certificate", "valid_until", C_EXPIRES_ON},
    {"certificate", "revoked_on", C_REVOKED_ON},
    {"certificate", "province_at_cert", C_PROVINCE},
    {"certificate", "commune_at_cert", C_COMMUNE},
    {"stock_ledger", "delta", C_STOCK},          {"stock_level", "on_hand", C_STOCK},
};

static const struct {
  const char *constraint;
  enum col csv;
} db_constraints[] = {
    {"certificate_recognition_needs_decision", C_CERTIFICATE_NO},
    {"certificate_rating_below_3_has_no_validity", C_STARS},
    {"certificate_valid_until_before_valid_from", C_EXPIRES_ON},
    {"certificate_revoked_before_issued", C_REVOKED_ON},
    {"certificate_grace_outside_180_days", C_EXPIRES_ON},
    {"certificate_stars_range", C_STARS},
    {"variant_package_all_or_none", C_LENGTH_MM},
};

static enum col error_column(const PGresult *res, enum col fallback) {
  const char *cons = PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME);
  const char *table = PQresultErrorField(res, PG_DIAG_TABLE_NAME);
  const char *column = PQresultErrorField(res, PG_DIAG_COLUMN_NAME);
  size_t i, best_len = 0;
  enum col best = fallback;

  for (i = 0; cons && i < sizeof db_constraints / sizeof db_constraints[0]; i++)
    if (strcmp(cons, db_constraints[i].constraint) == 0)
      return db_constraints[i].csv;
  for (i = 0; table && i < sizeof db_columns / sizeof db_columns[0]; i++) {
    size_t tl = strlen(table), cl = strlen(db_columns[i].column);

    if (strcmp(table, db_columns[i].table) != 0)
      continue;
    if (column && strcmp(column, db_columns[i].column) == 0)
      return db_columns[i].csv;
    /* "<table>_<column>" then end or "_": the longest column wins. */
    if (cons && strncmp(cons, table, tl) == 0 && cons[tl] == '_' &&
        strncmp(cons + tl + 1, db_columns[i].column, cl) == 0 &&
        (cons[tl + 1 + cl] == '\0' || cons[tl + 1 + cl] == '_') && cl > best_len) {
      best = db_columns[i].csv;
      best_len = cl;
    }
  }
  return best;
}

/* Data and integrity errors, and exceptions raised by triggers, are the
 * row's fault; anything else (connection, resources, a bug) stops. */
int imp_row_error(const PGresult *res) {
  const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);

  return state && (strncmp(state, "22", 2) == 0 || strncmp(state, "23", 2) == 0 ||
                   strncmp(state, "P0", 2) == 0);
}

/* Runs one statement for a row. On success returns the result (caller
 * clears); on failure NULL with *rc = 1 (reported against the row) or -1. */
/* column: the CSV column a refusal is reported against; NULL: the one
 * error_column finds, from col. */
static PGresult *row_exec(struct import *im, struct row *r, enum col col, const char *column,
                          const char *sql, int n, const char *const *params, int *rc) {
  PGresult *res = PQexecParams(im->conn, sql, n, NULL, params, NULL, NULL, 0);
  const char *msg;

  if (PQresultStatus(res) == PGRES_COMMAND_OK || PQresultStatus(res) == PGRES_TUPLES_OK)
    return res;
  if (!imp_row_error(res)) {
    *rc = imp_fatal(im, "import stopped", res);
  } else {
    msg = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);
    imp_row_problem_at(im, r, column ? column : columns[error_column(res, col)].name,
                       "refused by the database: %s", msg ? msg : "(no message)");
    *rc = 1;
  }
  PQclear(res);
  return NULL;
}

PGresult *imp_row_exec(struct import *im, struct row *r, enum col col, const char *sql,
                          int n, const char *const *params, int *rc) {
  return row_exec(im, r, col, NULL, sql, n, params, rc);
}

PGresult *imp_row_exec_at(struct import *im, struct row *r, const char *column, const char *sql,
                          int n, const char *const *params, int *rc) {
  return row_exec(im, r, C_PRODUCT_CODE, column, sql, n, params, rc);
}

const char *imp_or_null(const char *s) {
  return s[0] ? s : NULL;
}

/* Runs a statement whose first column is an id (and maybe a flag); copies
 * the id into id (empty when no row). Returns 0, 1 or -1 as row_exec. */
int imp_fetch_id(struct import *im, struct row *r, enum col col, const char *sql, int n,
                    const char *const *params, char *id, size_t idlen, int *flag) {
  int rc = 0;
  PGresult *res = imp_row_exec(im, r, col, sql, n, params, &rc);

  if (!res)
    return rc;
  id[0] = '\0';
  if (PQntuples(res) > 0) {
    snprintf(id, idlen, "%s", PQgetvalue(res, 0, 0));
    if (flag)
      *flag = PQnfields(res) > 1 && strcmp(PQgetvalue(res, 0, 1), "t") == 0;
  }
  PQclear(res);
  return 0;
}

static int upsert_producer(struct import *im, struct row *r, char *id, size_t idlen,
                           struct counts *c) {
  const struct row *src = &im->rows[r->producer_src];
  const char *p[4] = {r->f[C_PRODUCER_NAME], r->f[C_PRODUCER_TYPE], imp_or_null(src->f[C_PROVINCE]),
                      imp_or_null(src->f[C_COMMUNE])};
  char dummy[24];
  int differs = 0, rc;

  rc = imp_fetch_id(im, r, C_PRODUCER_NAME,
                "SELECT id, (kind, province, commune) IS DISTINCT FROM ($2::text, $3::text, $4::text)"
                " FROM producer WHERE name = $1",
                4, p, id, idlen, &differs);
  if (rc != 0)
    return rc;
  if (!id[0]) {
    rc = imp_fetch_id(im, r, C_PRODUCER_NAME,
                  "INSERT INTO producer (name, kind, province, commune)"
                  " VALUES ($1, $2, $3, $4) RETURNING id",
                  4, p, id, idlen, NULL);
    c->producers_created += rc == 0;
    return rc;
  }
  if (!differs)
    return 0;
  {
    const char *u[4] = {id, p[1], p[2], p[3]};

    rc = imp_fetch_id(im, r, C_PRODUCER_NAME,
                  "UPDATE producer SET kind = $2, province = $3, commune = $4, updated_at = now()"
                  " WHERE id = $1::bigint"
                  " AND (kind, province, commune) IS DISTINCT FROM ($2::text, $3::text, $4::text)"
                  " RETURNING id",
                  4, u, dummy, sizeof dummy, NULL);
  }
  c->producers_updated += rc == 0 && dummy[0];
  return rc;
}

#define PRODUCT_VALUES "($2::text, $3::bigint, $4::text, $5::text, $6::text)"
#define PRODUCT_COLUMNS "(name_vi, producer_id, category_code, unit, description_vi)"

/* The product-level columns, from the product's first row (its other rows
 * agree: import_variants.c). Price, weight and GTIN are the variants'. */
static int upsert_product(struct import *im, struct row *r, const char *producer_id,
                          char *id, size_t idlen, struct counts *c) {
  const char *p[6] = {r->f[C_PRODUCT_CODE], r->f[C_NAME_VI], producer_id,
                      r->f[C_CATEGORY_GROUP], r->f[C_UNIT],  r->f[C_DESCRIPTION_VI]};
  char updated[24] = "";
  int differs = 0, rc;

  rc = imp_fetch_id(im, r, C_PRODUCT_CODE,
                    "SELECT id, " PRODUCT_COLUMNS " IS DISTINCT FROM " PRODUCT_VALUES
                    " FROM product WHERE code = $1",
                    6, p, id, idlen, &differs);
  if (rc != 0)
    return rc;
  if (!id[0]) {
    rc = imp_fetch_id(im, r, C_PRODUCT_CODE,
                      "INSERT INTO product (code, name_vi, producer_id, category_code, unit,"
                      " description_vi) VALUES ($1, $2, $3::bigint, $4, $5, $6) RETURNING id",
                      6, p, id, idlen, NULL);
    c->products_created += rc == 0;
    return rc;
  }
  if (differs) {
    p[0] = id;
    rc = imp_fetch_id(im, r, C_PRODUCT_CODE,
                      "UPDATE product SET " PRODUCT_COLUMNS " = " PRODUCT_VALUES
                      ", updated_at = now()"
                      " WHERE id = $1 AND " PRODUCT_COLUMNS " IS DISTINCT FROM " PRODUCT_VALUES
                      " RETURNING id",
                      6, p, updated, sizeof updated, NULL);
    if (rc != 0)
      return rc;
  }
  if (updated[0])
    c->products_updated++;
  else
    c->products_unchanged++;
  return 0;
}

static int upsert_certificate(struct import *im, struct row *r, const char *product_id,
                              struct counts *c) {
  char stars[2] = {(char)('0' + r->stars), '\0'};
  const char *p[6] = {product_id,          stars, imp_or_null(r->f[C_CERTIFICATE_NO]),
                      imp_or_null(r->f[C_CERTIFIED_ON]), imp_or_null(r->f[C_EXPIRES_ON]),
                      imp_or_null(r->f[C_REVOKED_ON])};
  char id[24], dummy[24];
  int differs = 0, rc;

  /* IS NOT DISTINCT FROM: a rating has neither number nor date. */
  rc = imp_fetch_id(im, r, C_CERTIFICATE_NO,
                "SELECT id, (stars, valid_until, revoked_on) IS DISTINCT FROM"
                " ($2::smallint, coalesce($5::date, valid_until), coalesce($6::date, revoked_on))"
                " FROM certificate WHERE product_id = $1::bigint AND issuer = ''"
                " AND decision_no IS NOT DISTINCT FROM $3::text"
                " AND decision_date IS NOT DISTINCT FROM $4::date",
                6, p, id, sizeof id, &differs);
  if (rc != 0)
    return rc;
  if (!id[0]) {
    const char *q[9] = {product_id, stars, p[2], p[3], p[4], p[5], imp_or_null(r->f[C_PROVINCE]),
                        imp_or_null(r->f[C_COMMUNE]), im->source};

    rc = imp_fetch_id(im, r, C_CERTIFICATE_NO,
                  "INSERT INTO certificate (product_id, stars, decision_no, decision_date,"
                  " valid_until, revoked_on, province_at_cert, commune_at_cert, source)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
                  9, q, dummy, sizeof dummy, NULL);
    c->certificates_added += rc == 0;
    return rc;
  }
  if (!differs)
    return 0;
  {
    const char *u[4] = {id, stars, p[4], p[5]};

    rc = imp_fetch_id(im, r, C_CERTIFICATE_NO,
                  "UPDATE certificate SET stars = $2, valid_until = coalesce($3, valid_until),"
                  " revoked_on = coalesce($4, revoked_on) WHERE id = $1 RETURNING id",
                  4, u, dummy, sizeof dummy, NULL);
  }
  c->certificates_updated += rc == 0;
  return rc;
}

static void add_counts(struct counts *to, const struct counts *c) {
  to->producers_created += c->producers_created;
  to->producers_updated += c->producers_updated;
  to->products_created += c->products_created;
  to->products_updated += c->products_updated;
  to->products_unchanged += c->products_unchanged;
  to->variants_created += c->variants_created;
  to->variants_updated += c->variants_updated;
  to->variants_unchanged += c->variants_unchanged;
  to->variants_withdrawn += c->variants_withdrawn;
  to->certificates_added += c->certificates_added;
  to->certificates_updated += c->certificates_updated;
  to->stock_adjustments += c->stock_adjustments;
  to->stock_ignored += c->stock_ignored;
  to->images_added += c->images_added;
  to->images_changed += c->images_changed;
  to->images_removed += c->images_removed;
  to->attributes_set += c->attributes_set;
  to->attributes_removed += c->attributes_removed;
  to->categories_set += c->categories_set;
  to->categories_removed += c->categories_removed;
}

/* Writes one product (its first row's product-level columns, then its
 * variants) under a savepoint: 0 (written or reported), -1 fatal. */
static int write_product(struct import *im, const struct product_rows *p) {
  struct counts c = {0};
  struct row *r = &im->rows[p->rows[0]];
  char producer_id[24], product_id[24];
  int rc;

  if (imp_command(im, "SAVEPOINT import_product", 0, NULL, "cannot set a savepoint") != 0)
    return -1;
  rc = upsert_producer(im, r, producer_id, sizeof producer_id, &c);
  if (rc == 0)
    rc = upsert_product(im, r, producer_id, product_id, sizeof product_id, &c);
  if (rc == 0 && r->stars)
    rc = upsert_certificate(im, r, product_id, &c);
  if (rc == 0)
    rc = imp_write_variants(im, p, product_id, &c);
  if (rc == 0)
    rc = imp_write_content(im, p, product_id, &c);
  if (rc < 0)
    return -1;
  if (rc > 0) {
    /* Undo this product only, and go on to find the next problem. */
    if (imp_command(im, "ROLLBACK TO SAVEPOINT import_product", 0, NULL,
                    "cannot undo a product") != 0)
      return -1;
  } else {
    add_counts(&im->counts, &c);
  }
  return imp_command(im, "RELEASE SAVEPOINT import_product", 0, NULL,
                     "cannot release a product");
}

/* Products with a problem on any of their rows are not written. */
static int write_products(struct import *im) {
  size_t i, j;

  for (i = 0; i < im->nproducts; i++) {
    const struct product_rows *p = &im->products[i];
    int bad = 0;

    for (j = 0; j < p->n; j++)
      bad |= im->rows[p->rows[j]].bad;
    if (!bad && write_product(im, p) != 0)
      return -1;
  }
  return 0;
}

/* A file with no problem so far is written in bulk (import_bulk.c). When
 * it has one, or the database refuses the bulk write, every product is
 * written on its own, so that each refusal is reported against its line. */
static int write_all(struct import *im) {
  int rc;

  if (imp_check_sku_owners(im) != 0)
    return -1;
  if (im->nproblems || im->by_product)
    return write_products(im);
  rc = imp_bulk_write(im);
  return rc == 1 ? write_products(im) : rc;
}

/* ---- the whole import --------------------------------------------------- */

static void free_import(struct import *im) {
  size_t i, j;
  int c;

  for (i = 0; i < im->nrows; i++) {
    for (c = 0; c < NCOLS; c++)
      free(im->rows[i].f[c]);
    for (j = 0; j < im->nextras; j++)
      free(im->rows[i].xf[j]);
    free(im->rows[i].xf);
  }
  free(im->rows);
  free(im->extras);
  for (i = 0; i < im->nproducts; i++)
    free(im->products[i].rows);
  free(im->products);
  for (i = 0; i < im->nproblems; i++)
    free(im->problems[i].text);
  free(im->problems);
  for (i = 0; i < im->ncategories; i++)
    free(im->categories[i]);
  free(im->categories);
  csv_close(im->csv);
  free((char *)im->source);
}

static int start(struct import *im) {
  const char *key = IMPORT_LOCK_KEY;
  char err[512];

  if (PQtransactionStatus(im->conn) != PQTRANS_IDLE) {
    fprintf(im->errs, "%s: cannot import: the connection is inside a transaction\n", im->path);
    return -1;
  }
  if (migrate_check(im->conn, err, sizeof err) != 0) {
    fprintf(im->errs, "%s: cannot import: %s\n", im->path, err);
    return -1;
  }
  if (imp_command(im, "BEGIN", 0, NULL, "cannot start a transaction") != 0)
    return -1;
  if (imp_command(im, "SELECT pg_advisory_xact_lock($1::bigint)", 1, &key,
              "cannot take the import lock") != 0)
    return -1;
  return load_categories(im);
}

/* The file opened (csv, or NULL with err) and its header read: 0, or 1
 * when it is unreadable, not UTF-8 or has no usable header (one problem,
 * nothing else). */
static int open_file(struct import *im, csv_t *csv, const char *err) {
  im->csv = csv;
  if (!im->csv) {
    add_problem(im, 0, err);
    return 1;
  }
  if (csv_read_header(im->csv) != 0) {
    add_problem(im, 0, csv_error(im->csv));
    return 1;
  }
  return read_header(im) != 0;
}

/* Reads every row and checks it, then the rows of each product and of each
 * producer together: all that needs no database but im->categories. */
static void check_rows(struct import *im) {
  size_t i;

  read_rows(im);
  for (i = 0; i < im->nrows; i++)
    check_row(im, &im->rows[i]);
  imp_check_products(im);
  check_producers(im);
}

/* Validates and writes everything; returns 0, 1 (problems) or -1. */
static int run(struct import *im, int dry_run) {
  char err[600];

  if (open_file(im, csv_open(im->path, err, sizeof err), err) != 0)
    return 1;
  if (start(im) != 0)
    return -1;
  check_rows(im);
  /* A file that cannot be read to the end is not worth a database run. */
  if (!im->broken && write_all(im) != 0)
    return -1;
  if (im->nproblems)
    return 1;
  if (dry_run)
    return 0;
  return imp_command(im, "COMMIT", 0, NULL, "cannot commit the import");
}

static char *source_of(const char *path) {
  const char *base = strrchr(path, '/');
  char *s;

  base = base ? base + 1 : path;
  s = malloc(strlen(base) + 5);
  if (!s)
    abort();
  sprintf(s, "csv:%s", base);
  return s;
}

int import_file(PGconn *conn, const char *path, unsigned flags, struct import_summary *sum,
                FILE *errs) {
  struct import im;
  int rc;

  memset(&im, 0, sizeof im);
  memset(sum, 0, sizeof *sum);
  im.conn = conn;
  im.path = path;
  im.errs = errs;
  im.source = source_of(path);
  im.stocktake = (flags & IMPORT_STOCKTAKE) != 0;
  im.by_product = (flags & IMPORT_BY_PRODUCT) != 0;
  rc = run(&im, (flags & IMPORT_DRY_RUN) != 0);
  print_problems(&im);
  /* COMMIT ends the transaction; everything else leaves it to undo. */
  if (PQtransactionStatus(conn) != PQTRANS_IDLE)
    PQclear(PQexecParams(conn, "ROLLBACK", 0, NULL, NULL, NULL, NULL, 0));
  sum->rows = (long)im.nrows;
  sum->producers_created = im.counts.producers_created;
  sum->producers_updated = im.counts.producers_updated;
  sum->products_created = im.counts.products_created;
  sum->products_updated = im.counts.products_updated;
  sum->products_unchanged = im.counts.products_unchanged;
  sum->variants_created = im.counts.variants_created;
  sum->variants_updated = im.counts.variants_updated;
  sum->variants_unchanged = im.counts.variants_unchanged;
  sum->variants_withdrawn = im.counts.variants_withdrawn;
  sum->certificates_added = im.counts.certificates_added;
  sum->certificates_updated = im.counts.certificates_updated;
  sum->stock_adjustments = im.counts.stock_adjustments;
  sum->stock_ignored = im.counts.stock_ignored;
  sum->images_added = im.counts.images_added;
  sum->images_changed = im.counts.images_changed;
  sum->images_removed = im.counts.images_removed;
  sum->attributes_set = im.counts.attributes_set;
  sum->attributes_removed = im.counts.attributes_removed;
  sum->categories_set = im.counts.categories_set;
  sum->categories_removed = im.counts.categories_removed;
  sum->problems = (long)im.nproblems;
  free_import(&im);
  return rc;
}

long import_check_mem(const char *name, const char *data, size_t len,
                      const char *const *categories, size_t ncategories, FILE *errs) {
  struct import im;
  char err[600];
  long problems;
  size_t i;

  memset(&im, 0, sizeof im);
  im.path = name;
  im.errs = errs;
  im.source = source_of(name);
  im.categories = calloc(ncategories ? ncategories : 1, sizeof *im.categories);
  if (!im.categories)
    abort();
  for (i = 0; i < ncategories; i++) {
    im.categories[i] = strdup(categories[i]);
    if (!im.categories[i])
      abort();
    im.ncategories++;
  }
  if (open_file(&im, csv_open_mem(name, data, len, err, sizeof err), err) == 0)
    check_rows(&im);
  print_problems(&im);
  problems = (long)im.nproblems;
  free_import(&im);
  return problems;
}
