/* order_csv.c — see order_csv.h; the format is in docs/postmart-orders.md. */
#include "order_csv.h"

#include <cJSON.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"

/* Vietnam has kept UTC+07:00 all year since 1975; a fixed offset avoids
 * depending on the host's tz database. */
#define VN_OFFSET_S (7 * 3600)

/* JSON numbers are doubles: integers above 2^53 - 1 would lose dong. */
#define MAX_TOTAL_VND ((int64_t)9007199254740991)

#define MAX_VALUE 64 /* bytes: no valid value in this format is longer */

enum col { C_ORDER_ID, C_STATUS, C_UPDATED_AT, C_SKU, C_QUANTITY, C_UNIT_PRICE, NCOLS };

/* PostMart's statuses and what each means for stock (connector.h). */
static const struct status {
  const char *name;
  const char *effect;
} statuses[] = {
    {"new", "reserved"},  /* placed, not paid */
    {"confirmed", "sold"}, {"shipping", "sold"}, {"delivered", "sold"},
    {"cancelled", "cancelled"}, {"returned", "returned"},
};
#define NSTATUSES (sizeof statuses / sizeof statuses[0])

struct row {
  unsigned long line;
  char *f[NCOLS]; /* into one allocation owned by f[0] */
  size_t run;     /* consecutive rows with one order_id share a run */
  int status;     /* index in statuses; -1 when invalid */
  int time_ok;
  int64_t time;   /* unix seconds */
  int64_t qty;    /* 0 when invalid */
  int64_t price;  /* dong; -1 unknown (empty), -2 invalid */
};

struct problem {
  unsigned long line; /* orders the report; ULONG_MAX after every row */
  size_t seq;         /* keeps the order of problems found on one line */
  char *text;
};

struct ocsv {
  const char *name;
  csv_t *csv;
  int colidx[NCOLS];
  struct row *rows;
  size_t nrows, rows_cap;
  size_t nrecords; /* data records read, kept or not */
  size_t nruns;
  int broken; /* a syntax error stopped the reading */
  struct problem *problems;
  size_t nproblems, problems_cap;
  int oom;
};

struct ocsv_column {
  const char *name;
  void (*check)(struct ocsv *p, struct row *r, enum col c);
};

/* Defined after the checks it names; row_problem needs the names first. */
static const struct ocsv_column columns[NCOLS];

/* ---- problems ------------------------------------------------------------ */

static void add_problem(struct ocsv *p, unsigned long line, char *text) {
  size_t i;

  if (!text) {
    p->oom = 1;
    return;
  }
  /* One problem is one line of the report, whatever the file held. */
  for (i = 0; text[i]; i++)
    if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
      text[i] = '?';
  if (p->nproblems == p->problems_cap) {
    size_t cap = p->problems_cap ? p->problems_cap * 2 : 16;
    struct problem *n = realloc(p->problems, cap * sizeof *n);

    if (!n) {
      free(text);
      p->oom = 1;
      return;
    }
    p->problems = n;
    p->problems_cap = cap;
  }
  p->problems[p->nproblems].line = line;
  p->problems[p->nproblems].seq = p->nproblems;
  p->problems[p->nproblems].text = text;
  p->nproblems++;
}

static char *vformat(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

static char *vformat(const char *fmt, va_list ap) {
  va_list again;
  char *s;
  int n;

  va_copy(again, ap);
  n = vsnprintf(NULL, 0, fmt, ap);
  s = n < 0 ? NULL : malloc((size_t)n + 1);
  if (s)
    vsnprintf(s, (size_t)n + 1, fmt, again);
  va_end(again);
  return s;
}

static char *format(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *format(const char *fmt, ...) {
  va_list ap;
  char *s;

  va_start(ap, fmt);
  s = vformat(fmt, ap);
  va_end(ap);
  return s;
}

static void problem(struct ocsv *p, unsigned long line, const char *column, const char *fmt,
                    ...) __attribute__((format(printf, 4, 5)));

/* Records "NAME:LINE: column: what"; column may be NULL for a whole row. */
static void problem(struct ocsv *p, unsigned long line, const char *column, const char *fmt,
                    ...) {
  va_list ap;
  char *what, *text = NULL;

  va_start(ap, fmt);
  what = vformat(fmt, ap);
  va_end(ap);
  if (what && column)
    text = format("%s:%lu: %s: %s", p->name, line, column, what);
  else if (what)
    text = format("%s:%lu: %s", p->name, line, what);
  free(what);
  add_problem(p, line, text);
}

#define row_problem(p, r, c, ...) problem((p), (r)->line, columns[c].name, __VA_ARGS__)

static int by_line(const void *a, const void *b) {
  const struct problem *x = a, *y = b;

  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Hands the problems over in line order, the first OCSV_MAX_ERRORS of them:
 * past that the operator learns more by fixing the export than by reading. */
static void report(struct ocsv *p, ocsv_errors *errs) {
  size_t i, shown = p->nproblems < OCSV_MAX_ERRORS ? p->nproblems : OCSV_MAX_ERRORS;

  if (p->oom) {
    /* The list may lack problems, so it is replaced rather than trusted. */
    for (i = 0; i < p->nproblems; i++)
      free(p->problems[i].text);
    p->nproblems = 0;
    p->oom = 0;
    add_problem(p, 0, format("%s: out of memory", p->name));
    shown = p->nproblems;
  }
  errs->total = p->nproblems;
  if (p->nproblems == 0)
    return; /* qsort must not see a NULL array */
  qsort(p->problems, p->nproblems, sizeof *p->problems, by_line);
  errs->lines = calloc(shown + 1, sizeof *errs->lines);
  if (!errs->lines)
    return;
  for (i = 0; i < shown; i++) {
    errs->lines[i] = p->problems[i].text;
    p->problems[i].text = NULL;
  }
  errs->nlines = shown;
  if (p->nproblems > shown) {
    errs->lines[shown] =
        format("%s: … and %zu more problems", p->name, p->nproblems - shown);
    errs->nlines += errs->lines[shown] != NULL;
  }
}

/* ---- values -------------------------------------------------------------- */

static int is_digits(const char *s) {
  if (!*s)
    return 0;
  for (; *s; s++)
    if (*s < '0' || *s > '9')
      return 0;
  return 1;
}

/* Digits only, no sign or separators, at most max; -1 bad form, -2 too big. */
static int parse_count(const char *s, int64_t max, int64_t *out) {
  int64_t v = 0;

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

/* s has the shape of pattern, where 'N' is any digit and the rest is literal. */
static int shaped(const char *s, const char *pattern) {
  for (; *pattern; s++, pattern++) {
    if (*pattern == 'N' ? (*s < '0' || *s > '9') : *s != *pattern)
      return 0;
  }
  return *s == '\0';
}

static int num(const char *s, size_t n) {
  int v = 0;

  while (n--)
    v = v * 10 + (*s++ - '0');
  return v;
}

static int is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

/* Leap years in [1, y]. */
static int64_t leaps_through(int64_t y) {
  return y / 4 - y / 100 + y / 400;
}

/* Days from 1970-01-01 to y-m-d, a valid date in years 1..9999. */
static int64_t days_since_epoch(int y, int m, int d) {
  static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
  int64_t days = (int64_t)365 * (y - 1970) + leaps_through(y - 1) - leaps_through(1969);

  return days + before[m - 1] + (m > 2 && is_leap(y)) + d - 1;
}

static int day_exists(int y, int m, int d) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

  return y >= 1 && m >= 1 && m <= 12 && d >= 1 && d <= mdays[m - 1] + (m == 2 && is_leap(y));
}

/* The time zone after "YYYY-MM-DD HH:MM:SS": seconds east of UTC, or -1 for
 * no valid zone. Without one the time is Vietnam's, as PostMart shows it. */
static int32_t zone_offset(const char *z) {
  int32_t off;

  if (*z == '\0')
    return VN_OFFSET_S;
  if (strcmp(z, "Z") == 0)
    return 0;
  if (!shaped(z + 1, "NN:NN") || (z[0] != '+' && z[0] != '-'))
    return -1;
  off = num(z + 1, 2) * 3600 + num(z + 4, 2) * 60;
  /* Real zones lie within UTC-12:00 and UTC+14:00. */
  if (num(z + 4, 2) > 59 || (z[0] == '+' ? off > 14 * 3600 : off > 12 * 3600))
    return -1;
  return z[0] == '+' ? off : -off;
}

/* ---- checks on one field --------------------------------------------------- */

static void check_order_id(struct ocsv *p, struct row *r, enum col c) {
  const char *s = r->f[c];

  if (strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(s))
    row_problem(p, r, c, "\"%s\" is not an order id: 1 to 64 letters, digits, '_' or '-'", s);
}

static void check_status(struct ocsv *p, struct row *r, enum col c) {
  char known[128] = "";
  size_t i;

  for (i = 0; i < NSTATUSES; i++) {
    if (strcmp(r->f[c], statuses[i].name) == 0) {
      r->status = (int)i;
      return;
    }
    /* The list in the message is the table, so the two cannot drift. */
    strcat(known, i ? ", " : "");
    strcat(known, statuses[i].name);
  }
  row_problem(p, r, c, "\"%s\" is not one of %s", r->f[c], known);
}

static void check_updated_at(struct ocsv *p, struct row *r, enum col c) {
  const char *s = r->f[c];
  char head[20];
  int y, mo, d, h, mi, sec;
  int32_t off;

  /* Spreadsheets write a space between date and time, ISO 8601 a 'T'. */
  if (strlen(s) >= 19 && (s[10] == ' ' || s[10] == 'T')) {
    memcpy(head, s, 19);
    head[19] = '\0';
    head[10] = ' ';
  } else {
    head[0] = '\0';
  }
  if (!shaped(head, "NNNN-NN-NN NN:NN:NN")) {
    row_problem(p, r, c, "\"%s\" is not a time: write YYYY-MM-DD HH:MM:SS", s);
    return;
  }
  off = zone_offset(s + 19);
  if (off == -1) {
    row_problem(p, r, c, "\"%s\" is not a time zone: write +HH:MM or Z, or nothing for Vietnam time",
                s + 19);
    return;
  }
  y = num(s, 4);
  mo = num(s + 5, 2);
  d = num(s + 8, 2);
  h = num(s + 11, 2);
  mi = num(s + 14, 2);
  sec = num(s + 17, 2);
  if (!day_exists(y, mo, d)) {
    row_problem(p, r, c, "%.10s is not a day of the calendar", s);
    return;
  }
  if (h > 23 || mi > 59 || sec > 59) {
    row_problem(p, r, c, "%.8s is not a time of day", s + 11);
    return;
  }
  r->time = days_since_epoch(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec - off;
  if (r->time < 0) {
    row_problem(p, r, c, "\"%s\" is before 1970", s);
    return;
  }
  r->time_ok = 1;
}

/* Seller SKUs are matched as they are, so the only rule is that they stay
 * printable: a control character is an export accident. */
static void check_sku(struct ocsv *p, struct row *r, enum col c) {
  const unsigned char *s = (const unsigned char *)r->f[c];
  size_t i;

  for (i = 0; s[i]; i++) {
    /* C0 controls and DEL, and C1 controls (U+0080..U+009F, C2 80..C2 9F). */
    if (s[i] < 0x20 || s[i] == 0x7f || (s[i] == 0xc2 && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)) {
      row_problem(p, r, c, "has a control character at byte %zu: a product code is plain text",
                  i + 1);
      return;
    }
  }
}

/* A whole number in [min, max]; 0 with *out set, or -1 reported. */
static int check_number(struct ocsv *p, struct row *r, enum col c, int64_t min, int64_t max,
                        const char *unit, int64_t *out) {
  const char *s = r->f[c];
  int rc = parse_count(s, max, out);

  if (rc == -2) {
    row_problem(p, r, c, "%s is too large (at most %lld)", s, (long long)max);
  } else if (rc == -1 && s[0] == '-' && is_digits(s + 1)) {
    row_problem(p, r, c, "%s is negative", s);
  } else if (rc == -1 && strpbrk(s, ".,") && strspn(s, "0123456789.,") == strlen(s)) {
    row_problem(p, r, c, "\"%s\" must be a whole number of %s without separators or decimals",
                s, unit);
  } else if (rc == -1) {
    row_problem(p, r, c, "\"%s\" is not a whole number", s);
  } else if (*out < min) {
    row_problem(p, r, c, "%s is below the minimum of %lld", s, (long long)min);
    rc = -1;
  }
  return rc == 0 ? 0 : -1;
}

static void check_quantity(struct ocsv *p, struct row *r, enum col c) {
  if (check_number(p, r, c, 1, 10000, "units", &r->qty) != 0)
    r->qty = 0;
}

/* Empty is allowed: a hand export may lack prices, and the core takes null
 * as "unknown". */
static void check_unit_price(struct ocsv *p, struct row *r, enum col c) {
  if (r->f[c][0] == '\0')
    r->price = -1;
  else if (check_number(p, r, c, 0, 1000000000000LL, "dong", &r->price) != 0)
    r->price = -2;
}

static const struct ocsv_column columns[NCOLS] = {
    [C_ORDER_ID] = {"order_id", check_order_id},
    [C_STATUS] = {"status", check_status},
    [C_UPDATED_AT] = {"updated_at", check_updated_at},
    [C_SKU] = {"sku", check_sku},
    [C_QUANTITY] = {"quantity", check_quantity},
    [C_UNIT_PRICE] = {"unit_price_vnd", check_unit_price},
};

/* Checks every field; the length and emptiness rules hold for all columns,
 * which also keeps the values quoted in messages short. */
static void check_row(struct ocsv *p, struct row *r) {
  int c;

  r->status = -1;
  r->price = -2;
  for (c = 0; c < NCOLS; c++) {
    size_t n = strlen(r->f[c]);

    if (n == 0 && c != C_UNIT_PRICE)
      row_problem(p, r, c, "must not be empty");
    else if (n > MAX_VALUE)
      row_problem(p, r, c, "is %zu bytes long; at most %d fit", n, MAX_VALUE);
    else
      columns[c].check(p, r, (enum col)c);
  }
}

/* ---- reading ------------------------------------------------------------- */

/* Every column is required and no other is taken: an unknown column is most
 * likely a renamed one whose values would otherwise be lost silently. */
static int read_header(struct ocsv *p) {
  size_t i, n = csv_columns(p->csv);
  int c, missing = 0;

  for (c = 0; c < NCOLS; c++) {
    p->colidx[c] = csv_column(p->csv, columns[c].name);
    if (p->colidx[c] < 0) {
      problem(p, 1, NULL, "missing column \"%s\"", columns[c].name);
      missing = 1;
    }
  }
  for (i = 0; i < n; i++) {
    const char *name = csv_column_name(p->csv, i);

    for (c = 0; c < NCOLS; c++)
      if (strcmp(name, columns[c].name) == 0)
        break;
    if (c == NCOLS)
      problem(p, 1, NULL, "unknown column \"%s\"", name);
  }
  return missing ? -1 : 0;
}

static struct row *new_row(struct ocsv *p) {
  if (p->nrows == p->rows_cap) {
    size_t cap = p->rows_cap ? p->rows_cap * 2 : 64;
    struct row *n = realloc(p->rows, cap * sizeof *n);

    if (!n)
      return NULL;
    p->rows = n;
    p->rows_cap = cap;
  }
  memset(&p->rows[p->nrows], 0, sizeof p->rows[0]);
  return &p->rows[p->nrows];
}

/* Copies the record's fields into one allocation, in column order. */
static int keep_row(struct ocsv *p, const struct csv_record *rec) {
  struct row *r = new_row(p);
  size_t size = 0;
  char *at;
  int c;

  if (!r)
    return -1;
  for (c = 0; c < NCOLS; c++)
    size += rec->lens[p->colidx[c]] + 1;
  at = malloc(size);
  if (!at)
    return -1;
  for (c = 0; c < NCOLS; c++) {
    size_t n = rec->lens[p->colidx[c]] + 1;

    r->f[c] = memcpy(at, rec->fields[p->colidx[c]], n);
    at += n;
  }
  r->line = rec->line;
  p->nrows++;
  return 0;
}

/* A run is a stretch of consecutive rows with one order_id: an order. */
static void start_run(struct ocsv *p, struct row *r) {
  const struct row *prev = p->nrows > 1 ? r - 1 : NULL;

  if (prev && strcmp(prev->f[C_ORDER_ID], r->f[C_ORDER_ID]) == 0) {
    r->run = prev->run;
    return;
  }
  r->run = p->nruns++;
  if (p->nruns == OCSV_MAX_ORDERS + 1)
    problem(p, r->line, NULL, "more than %d orders: split the file", OCSV_MAX_ORDERS);
}

static void read_rows(struct ocsv *p) {
  struct csv_record rec;
  size_t width = csv_columns(p->csv);
  int rc;

  while ((rc = csv_next(p->csv, &rec)) == 1) {
    if (++p->nrecords > OCSV_MAX_ROWS) {
      problem(p, rec.line, NULL, "more than %d rows: split the file", OCSV_MAX_ROWS);
      return;
    }
    if (rec.nfields != width) {
      problem(p, rec.line, NULL, "has %zu fields but the header has %zu", rec.nfields, width);
      continue;
    }
    if (keep_row(p, &rec) != 0) {
      p->oom = 1;
      return;
    }
    start_run(p, &p->rows[p->nrows - 1]);
    check_row(p, &p->rows[p->nrows - 1]);
  }
  /* After a syntax error nothing that follows can be trusted; the message
   * names its own line. */
  if (rc < 0) {
    add_problem(p, ULONG_MAX, format("%s", csv_error(p->csv)));
    p->broken = 1;
  }
}

/* ---- checks across rows ---------------------------------------------------- */

struct keyed {
  const char *key;
  size_t run;
  size_t idx;
};

static int cmp_idx(size_t a, size_t b) {
  return a < b ? -1 : a > b;
}

/* By key, then file order. */
static int by_key(const void *a, const void *b) {
  const struct keyed *x = a, *y = b;
  int c = strcmp(x->key, y->key);

  return c ? c : cmp_idx(x->idx, y->idx);
}

/* By order, then key, then file order. */
static int by_run_key(const void *a, const void *b) {
  const struct keyed *x = a, *y = b;

  if (x->run != y->run)
    return cmp_idx(x->run, y->run);
  return by_key(a, b);
}

/* The rows sorted on one column; NULL when out of memory. */
static struct keyed *sorted_by(struct ocsv *p, enum col c,
                               int (*cmp)(const void *, const void *)) {
  struct keyed *k = malloc((p->nrows ? p->nrows : 1) * sizeof *k);
  size_t i;

  if (!k) {
    p->oom = 1;
    return NULL;
  }
  for (i = 0; i < p->nrows; i++) {
    k[i].key = p->rows[i].f[c];
    k[i].run = p->rows[i].run;
    k[i].idx = i;
  }
  qsort(k, p->nrows, sizeof *k, cmp);
  return k;
}

/* An order split into two runs would reach the database as two updates of
 * one order, each with part of its lines. */
static void check_split_orders(struct ocsv *p) {
  struct keyed *k = sorted_by(p, C_ORDER_ID, by_key);
  size_t i, first = 0;

  for (i = 1; k && i < p->nrows; i++) {
    if (strcmp(k[i].key, k[first].key) != 0) {
      first = i;
      continue;
    }
    if (k[i].run != k[i - 1].run && k[i].key[0])
      row_problem(p, &p->rows[k[i].idx], C_ORDER_ID,
                  "%s is already on line %lu: the rows of one order must be consecutive",
                  k[i].key, p->rows[k[first].idx].line);
  }
  free(k);
}

/* A SKU twice in one order is a copy-paste slip more often than two lines,
 * and summing them silently could double a sale. */
static void check_duplicate_skus(struct ocsv *p) {
  struct keyed *k = sorted_by(p, C_SKU, by_run_key);
  size_t i, first = 0;

  for (i = 1; k && i < p->nrows; i++) {
    if (k[i].run != k[first].run || strcmp(k[i].key, k[first].key) != 0) {
      first = i;
      continue;
    }
    if (k[i].key[0])
      row_problem(p, &p->rows[k[i].idx], C_SKU, "%s is already on line %lu of the same order",
                  k[i].key, p->rows[k[first].idx].line);
  }
  free(k);
}

/* Every row of an order carries the order's status and time; compared by
 * meaning, so 2026-11-25 00:00:00 and 2026-11-24T17:00:00Z agree. Values
 * that are themselves invalid are reported already. */
static void check_agreement(struct ocsv *p, const struct row *first, struct row *r) {
  if (first->status >= 0 && r->status >= 0 && first->status != r->status)
    row_problem(p, r, C_STATUS, "\"%s\" differs from \"%s\" on line %lu for the same order",
                r->f[C_STATUS], first->f[C_STATUS], first->line);
  if (first->time_ok && r->time_ok && first->time != r->time)
    row_problem(p, r, C_UPDATED_AT, "\"%s\" differs from \"%s\" on line %lu for the same order",
                r->f[C_UPDATED_AT], first->f[C_UPDATED_AT], first->line);
}

/* The total must fit a JSON number exactly; far beyond any real order, but a
 * mistyped price times a large quantity gets there. */
static void check_total(struct ocsv *p, struct row *r, int64_t *total) {
  int64_t line;

  if (r->qty == 0 || r->price < 0 || *total < 0)
    return;
  line = r->qty * r->price; /* at most 10^4 * 10^12 */
  if (line > MAX_TOTAL_VND - *total) {
    row_problem(p, r, C_UNIT_PRICE, "brings the order's total over %lld dong",
                (long long)MAX_TOTAL_VND);
    *total = -1; /* once per order */
    return;
  }
  *total += line;
}

static void check_orders(struct ocsv *p) {
  const struct row *first = NULL;
  int64_t total = 0;
  size_t i;

  for (i = 0; i < p->nrows; i++) {
    struct row *r = &p->rows[i];

    if (!first || first->run != r->run) {
      first = r;
      total = 0;
    } else {
      check_agreement(p, first, r);
    }
    check_total(p, r, &total);
  }
  check_split_orders(p);
  check_duplicate_skus(p);
}

/* ---- the canonical JSON ------------------------------------------------------ */

/* A count, or null when negative (unknown); 0 when out of memory. */
static int add_number_or_null(cJSON *obj, const char *key, int64_t v) {
  cJSON *item = v < 0 ? cJSON_CreateNull() : cJSON_CreateNumber((double)v);

  if (!cJSON_AddItemToObject(obj, key, item)) {
    cJSON_Delete(item);
    return 0;
  }
  return 1;
}

static int add_line(cJSON *lines, const struct row *r) {
  cJSON *line = cJSON_CreateObject();

  if (!cJSON_AddItemToArray(lines, line))
    goto fail;
  if (!cJSON_AddStringToObject(line, "sku", r->f[C_SKU]) ||
      !cJSON_AddNumberToObject(line, "qty", (double)r->qty) ||
      !add_number_or_null(line, "unit_price_vnd", r->price))
    return -1; /* the part built is freed with the document */
  return 0;
fail:
  cJSON_Delete(line);
  return -1;
}

/* Adds the order whose rows are rows[0..n); returns 0 or -1. */
static int add_order(cJSON *orders, const struct row *rows, size_t n) {
  const struct status *st = &statuses[rows[0].status];
  cJSON *o = cJSON_CreateObject(), *lines;
  int64_t total = 0;
  size_t i;

  if (!cJSON_AddItemToArray(orders, o)) {
    cJSON_Delete(o);
    return -1;
  }
  for (i = 0; i < n && total >= 0; i++)
    total = rows[i].price < 0 ? -1 : total + rows[i].qty * rows[i].price;
  if (!cJSON_AddStringToObject(o, "id", rows[0].f[C_ORDER_ID]) ||
      !cJSON_AddStringToObject(o, "status", st->name) ||
      !cJSON_AddStringToObject(o, "effect", st->effect) ||
      !cJSON_AddNumberToObject(o, "update_time", (double)rows[0].time) ||
      !add_number_or_null(o, "total_vnd", total) ||
      !(lines = cJSON_AddArrayToObject(o, "lines")))
    return -1;
  for (i = 0; i < n; i++)
    if (add_line(lines, &rows[i]) != 0)
      return -1;
  return 0;
}

/* Called only when every row is valid. */
static int build_json(struct ocsv *p, char **json, size_t *njson) {
  cJSON *doc = cJSON_CreateObject(), *orders;
  size_t i = 0;
  int rc = -1;

  if (!doc || !(orders = cJSON_AddArrayToObject(doc, "orders")) ||
      !cJSON_AddArrayToObject(doc, "bad"))
    goto done;
  while (i < p->nrows) {
    size_t end = i + 1;

    while (end < p->nrows && p->rows[end].run == p->rows[i].run)
      end++;
    if (add_order(orders, &p->rows[i], end - i) != 0)
      goto done;
    i = end;
  }
  *json = cJSON_PrintUnformatted(doc);
  if (!*json)
    goto done;
  *njson = strlen(*json);
  rc = 0;
done:
  if (rc != 0)
    p->oom = 1;
  cJSON_Delete(doc);
  return rc;
}

/* ---- the whole file -------------------------------------------------------- */

static void free_ocsv(struct ocsv *p) {
  size_t i;

  for (i = 0; i < p->nrows; i++)
    free(p->rows[i].f[0]);
  free(p->rows);
  for (i = 0; i < p->nproblems; i++)
    free(p->problems[i].text);
  free(p->problems);
  csv_close(p->csv);
}

/* Checks everything; 0 when the file is good. */
static int check_file(struct ocsv *p, const char *data, size_t len) {
  char err[600];

  if (len > OCSV_MAX_FILE) {
    add_problem(p, 0, format("%s: file is larger than %zu MiB: split it", p->name,
                             OCSV_MAX_FILE >> 20));
    return -1;
  }
  /* Unreadable, not UTF-8, no usable header: one problem, nothing else. */
  p->csv = csv_open_mem(p->name, data, len, err, sizeof err);
  if (!p->csv) {
    add_problem(p, 0, format("%s", err));
    return -1;
  }
  if (csv_read_header(p->csv) != 0) {
    add_problem(p, 0, format("%s", csv_error(p->csv)));
    return -1;
  }
  /* Unknown columns alone still let the rows be checked. */
  if (read_header(p) != 0)
    return -1;
  read_rows(p);
  check_orders(p);
  if (p->nrecords == 0 && !p->broken)
    problem(p, 1, NULL, "no orders: the file has a header but no rows");
  return p->nproblems || p->oom ? -1 : 0;
}

int ocsv_parse(const char *name, const char *data, size_t len, char **json, size_t *njson,
               ocsv_errors *errs) {
  struct ocsv p;
  int rc;

  memset(&p, 0, sizeof p);
  memset(errs, 0, sizeof *errs);
  *json = NULL;
  *njson = 0;
  p.name = name;
  rc = check_file(&p, data, len);
  if (rc == 0)
    rc = build_json(&p, json, njson);
  if (rc != 0)
    report(&p, errs);
  free_ocsv(&p);
  return rc;
}

/* Reads at most OCSV_MAX_FILE + 1 bytes: one more tells "too large". */
static char *slurp(const char *path, size_t *len, ocsv_errors *errs) {
  FILE *f = fopen(path, "rb");
  size_t cap = 0, n = 0;
  char *buf = NULL, *msg = NULL;

  if (!f) {
    msg = format("%s: %s", path, strerror(errno));
    goto done;
  }
  while (n <= OCSV_MAX_FILE) {
    if (n == cap) {
      char *b;

      cap = cap ? cap * 2 : 65536;
      if (cap > OCSV_MAX_FILE + 1)
        cap = OCSV_MAX_FILE + 1;
      b = realloc(buf, cap);
      if (!b) {
        msg = format("%s: out of memory", path);
        goto done;
      }
      buf = b;
    }
    n += fread(buf + n, 1, cap - n, f);
    if (ferror(f)) {
      msg = format("%s: %s", path, strerror(errno));
      goto done;
    }
    if (feof(f))
      break;
  }
done:
  if (f)
    fclose(f);
  if (msg || !f) {
    free(buf);
    buf = NULL;
    errs->lines = calloc(1, sizeof *errs->lines);
    if (errs->lines && msg) {
      errs->lines[0] = msg;
      errs->nlines = 1;
    } else {
      free(msg);
    }
    errs->total = 1;
  }
  *len = n;
  return buf;
}

int ocsv_parse_file(const char *path, char **json, size_t *njson, ocsv_errors *errs) {
  size_t len;
  char *data;
  int rc;

  memset(errs, 0, sizeof *errs);
  *json = NULL;
  *njson = 0;
  data = slurp(path, &len, errs);
  if (!data)
    return -1;
  rc = ocsv_parse(path, data, len, json, njson, errs);
  free(data);
  return rc;
}

void ocsv_errors_free(ocsv_errors *errs) {
  size_t i;

  if (!errs)
    return;
  for (i = 0; i < errs->nlines; i++)
    free(errs->lines[i]);
  free(errs->lines);
  memset(errs, 0, sizeof *errs);
}
