/*
 * import_content.c — the catalogue columns that say what a listing shows
 * besides name and price (docs/catalogue-csv.md, sql/010_content.sql):
 *
 *  - images: the product's images, '|'-separated, first = main. Each is a
 *    path under ocopd's media_dir or an https URL; "claim:" marks one that
 *    shows an OCOP claim, "cert:" the certificate evidence. The product's
 *    image rows are made to match: a row whose role, position and source
 *    are unchanged keeps its check result; a changed source is read again
 *    (checked_at NULL); rows past the end are deleted.
 *  - brand, origin, shelf_life, ingredients, net_weight, storage, material
 *    and attr.<key>: product_attribute; an empty cell removes it.
 *  - <marketplace>_category: the product's own category there
 *    (product_category); an empty cell removes the override.
 *
 * Like every product-level column they are the same on each row of a
 * product; a column the file leaves out leaves the catalogue as it is.
 */
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "import_int.h"

#define MAX_GALLERY 12
#define MAX_CERTIFICATES 4
#define MAX_SOURCE 2048 /* product_image.source, in bytes */
#define MAX_ATTR_CHARS 1000

/* The shop table's marketplaces. */
static const char *const marketplaces[] = {"shopee", "lazada", "tiktok", "postmart", NULL};

/* The fixed attribute columns, whose key is their name. */
static const enum col attr_cols[] = {C_BRAND,       C_ORIGIN,     C_SHELF_LIFE, C_INGREDIENTS,
                                     C_NET_WEIGHT, C_STORAGE,    C_MATERIAL};
#define NATTR_COLS (sizeof attr_cols / sizeof attr_cols[0])

int import_marketplace_ok(const char *m) {
  size_t i;

  for (i = 0; marketplaces[i]; i++)
    if (strcmp(m, marketplaces[i]) == 0)
      return 1;
  return 0;
}

/* product_attribute.key's CHECK: ^[a-z][a-z0-9_]{0,47}$ */
static int key_ok(const char *k) {
  size_t i, n = strlen(k);

  if (n < 1 || n > 48 || k[0] < 'a' || k[0] > 'z')
    return 0;
  for (i = 1; i < n; i++)
    if (!((k[i] >= 'a' && k[i] <= 'z') || (k[i] >= '0' && k[i] <= '9') || k[i] == '_'))
      return 0;
  return 1;
}

/* product_category.remote_category's CHECK: ^[A-Za-z0-9_.-]{1,64}$ */
static int remote_category_ok(const char *s) {
  size_t n = strlen(s);

  return n >= 1 && n <= 64 &&
         strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

static int has_control(const char *s, size_t n) {
  size_t i;

  for (i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
      return 1;
  return 0;
}

/* A blank of any kind at either end: the database keeps values trimmed. */
static int outer_blank(const char *s, size_t n) {
  return n && (strchr(" \t\r\n", s[0]) || strchr(" \t\r\n", s[n - 1]));
}

/* ---- the header ------------------------------------------------------------ */

static void add_extra(struct import *im, enum extra_kind kind, const char *name, const char *key,
                      size_t keylen, int idx) {
  struct extra *x = realloc(im->extras, (im->nextras + 1) * sizeof *x);

  if (!x)
    abort();
  im->extras = x;
  x = &im->extras[im->nextras++];
  x->kind = kind;
  x->name = name;
  x->idx = idx;
  snprintf(x->key, sizeof x->key, "%.*s", (int)keylen, key);
}

static int attr_column(struct import *im, const char *name, int idx) {
  const char *key = name + 5;
  size_t i;

  if (!key_ok(key)) {
    imp_header_problem(im, name,
                       "\"%s\" is not an attribute key: a lowercase letter, then up to 47 "
                       "lowercase letters, digits or '_'",
                       key);
    return 1;
  }
  for (i = 0; i < NATTR_COLS; i++)
    if (strcmp(key, imp_columns[attr_cols[i]].name) == 0 && im->colidx[attr_cols[i]] >= 0) {
      imp_header_problem(im, name, "names the same attribute as the column %s: keep one",
                         key);
      return 1;
    }
  for (i = 0; i < im->nextras; i++)
    if (im->extras[i].kind == X_ATTR && strcmp(im->extras[i].key, key) == 0) {
      imp_header_problem(im, name, "names the same attribute as the column %s: keep one",
                         im->extras[i].name);
      return 1;
    }
  add_extra(im, X_ATTR, name, key, strlen(key), idx);
  return 1;
}

int imp_extra_column(struct import *im, const char *name, int idx) {
  static const char suffix[] = "_category";
  size_t n = strlen(name), sl = sizeof suffix - 1;
  char m[64];

  if (strncmp(name, "attr.", 5) == 0)
    return attr_column(im, name, idx);
  if (n <= sl || strcmp(name + n - sl, suffix) != 0)
    return 0;
  snprintf(m, sizeof m, "%.*s", (int)(n - sl), name);
  if (n - sl >= sizeof m || !import_marketplace_ok(m)) {
    imp_header_problem(im, name,
                       "\"%s\" is not a marketplace: shopee_category, lazada_category, "
                       "tiktok_category or postmart_category",
                       m);
    return 1;
  }
  add_extra(im, X_CATEGORY, name, m, strlen(m), idx);
  return 1;
}

/* ---- images ------------------------------------------------------------------ */

struct image {
  int certificate, claim;
  int position; /* within its role, from 1 */
  char *source;
};

struct images {
  struct image *v;
  size_t n;
  int gallery, certificates;
};

static void free_images(struct images *im) {
  size_t i;

  for (i = 0; i < im->n; i++)
    free(im->v[i].source);
  free(im->v);
}

/* Why a source cannot be an image, or NULL. */
static const char *source_problem(const char *s, size_t n) {
  if (n == 0)
    return "is empty: separate images with one '|' and name a file or URL after a prefix";
  if (n > MAX_SOURCE)
    return "is longer than 2048 bytes";
  if (outer_blank(s, n))
    return "has a space at the start or end";
  if (has_control(s, n))
    return "contains a control character";
  if (strncmp(s, "https://", 8) == 0)
    return n == 8 || memchr(s, ' ', n) ? "is not a URL: https:// then no spaces" : NULL;
  if (strncmp(s, "http://", 7) == 0)
    return "is an http URL: only https URLs are read";
  if (memmem(s, n, "://", 3))
    return "is a URL of another kind: give an https URL or a path under media_dir";
  if (s[0] == '/')
    return "is an absolute path: give a path relative to media_dir";
  if ((n == 2 && memcmp(s, "..", 2) == 0) || (n >= 3 && memcmp(s, "../", 3) == 0) ||
      memmem(s, n, "/../", 4) || (n >= 3 && memcmp(s + n - 3, "/..", 3) == 0))
    return "leaves media_dir (\"..\"): give a path under it";
  return NULL;
}

/* One item: its prefix taken off. Returns 0, or -1 after reporting. */
static int parse_item(struct import *im, struct row *r, const char *item, size_t n, size_t nth,
                      struct image *out) {
  const char *why;

  memset(out, 0, sizeof *out);
  if (n >= 6 && memcmp(item, "claim:", 6) == 0) {
    out->claim = 1;
    item += 6;
    n -= 6;
  } else if (n >= 5 && memcmp(item, "cert:", 5) == 0) {
    out->certificate = 1;
    item += 5;
    n -= 5;
  }
  why = source_problem(item, n);
  if (why) {
    if (n > 0 && n <= 80 && !has_control(item, n))
      imp_row_problem(im, r, C_IMAGES, "image %zu \"%.*s\" %s", nth, (int)n, item, why);
    else
      imp_row_problem(im, r, C_IMAGES, "image %zu %s", nth, why);
    return -1;
  }
  out->source = strndup(item, n);
  if (!out->source)
    abort();
  return 0;
}

static int duplicate(struct import *im, struct row *r, const struct images *got,
                     const struct image *x, size_t nth) {
  size_t i;

  for (i = 0; i < got->n; i++)
    if (got->v[i].certificate == x->certificate && strcmp(got->v[i].source, x->source) == 0) {
      imp_row_problem(im, r, C_IMAGES, "image %zu \"%s\" is already image %zu", nth,
                      strlen(x->source) <= 80 ? x->source : "(long)", i + 1);
      return 1;
    }
  return 0;
}

/* The cell's images, in order, each with its position in its role. Problems
 * are reported against the row; returns 0 when there were none. */
static int parse_images(struct import *im, struct row *r, struct images *out) {
  const char *s = r->f[C_IMAGES];
  size_t nth = 0;
  int bad = 0;

  memset(out, 0, sizeof *out);
  if (!s[0])
    return 0; /* no images */
  out->v = calloc(strlen(s) / 2 + 2, sizeof *out->v); /* an item takes 2 bytes at least */
  if (!out->v)
    abort();
  for (;;) {
    const char *bar = strchr(s, '|');
    size_t n = bar ? (size_t)(bar - s) : strlen(s);
    struct image x;

    nth++;
    if (parse_item(im, r, s, n, nth, &x) != 0 || duplicate(im, r, out, &x, nth)) {
      free(x.source);
      bad = 1;
    } else {
      x.position = x.certificate ? ++out->certificates : ++out->gallery;
      out->v[out->n++] = x;
    }
    if (!bar)
      break;
    s = bar + 1;
  }
  if (out->gallery > MAX_GALLERY) {
    imp_row_problem(im, r, C_IMAGES, "has %d gallery images; at most %d", out->gallery,
                    MAX_GALLERY);
    bad = 1;
  }
  if (out->certificates > MAX_CERTIFICATES) {
    imp_row_problem(im, r, C_IMAGES, "has %d certificate images (cert:); at most %d",
                    out->certificates, MAX_CERTIFICATES);
    bad = 1;
  }
  return bad;
}

/* ---- checks ------------------------------------------------------------------ */

/* with_length: an attr.<key> column (the fixed ones are measured with the
 * other columns, imp_columns). */
static void check_attr_value(struct import *im, struct row *r, const char *column,
                             const char *v, int with_length) {
  size_t n = strlen(v), chars = imp_utf8_chars(v);

  if (outer_blank(v, n))
    imp_row_problem_at(im, r, column, "has a space at the start or end");
  else if (with_length && chars > MAX_ATTR_CHARS)
    imp_row_problem_at(im, r, column, "is %zu characters long; at most %d fit", chars,
                       MAX_ATTR_CHARS);
}

void imp_check_content_row(struct import *im, struct row *r) {
  struct images imgs;
  size_t i;

  if (im->colidx[C_IMAGES] >= 0) {
    parse_images(im, r, &imgs);
    free_images(&imgs);
  }
  for (i = 0; i < NATTR_COLS; i++)
    check_attr_value(im, r, imp_columns[attr_cols[i]].name, r->f[attr_cols[i]], 0);
  for (i = 0; i < im->nextras; i++) {
    const char *v = r->xf[i];

    if (im->extras[i].kind == X_ATTR)
      check_attr_value(im, r, im->extras[i].name, v, 1);
    else if (v[0] && !remote_category_ok(v))
      imp_row_problem_at(im, r, im->extras[i].name,
                         "\"%.80s\" is not a category id: 1 to 64 letters, digits, '.', '_' "
                         "or '-'",
                         v);
  }
}

void imp_check_same_extras(struct import *im, const struct product_rows *p) {
  const struct row *first = &im->rows[p->rows[0]];
  size_t i, j;

  for (j = 1; j < p->n; j++) {
    struct row *r = &im->rows[p->rows[j]];

    for (i = 0; i < im->nextras; i++)
      if (strcmp(r->xf[i], first->xf[i]) != 0)
        imp_row_problem_at(im, r, im->extras[i].name,
                           "differs from line %lu for the same product: a product's columns "
                           "are the same on each of its rows",
                           first->line);
  }
}

/* ---- writing ----------------------------------------------------------------- */

/* Runs a statement for the row; 1 when it returned a row, 0 when none,
 * else -2 (reported: *rc holds 1 or -1). */
static int exec_for(struct import *im, struct row *r, const char *column, const char *sql, int n,
                    const char *const *params, int *rc) {
  PGresult *res = imp_row_exec_at(im, r, column, sql, n, params, rc);
  int got;

  if (!res)
    return -2;
  got = PQntuples(res) > 0;
  PQclear(res);
  return got;
}

/* The product's image rows: id, role, position, source, claim. */
static PGresult *load_images(struct import *im, struct row *r, const char *product_id, int *rc) {
  const char *p[1] = {product_id};

  return imp_row_exec_at(im, r, "images",
                         "SELECT id, role = 'certificate', position, source, claim"
                         " FROM product_image WHERE product_id = $1::bigint",
                         1, p, rc);
}

static int find_row(PGresult *res, const struct image *x) {
  int i;

  for (i = 0; i < PQntuples(res); i++)
    if ((PQgetvalue(res, i, 1)[0] == 't') == x->certificate &&
        atoi(PQgetvalue(res, i, 2)) == x->position)
      return i;
  return -1;
}

/* Adds or changes one image row (at = its row in `have`, or -1). */
static int write_image(struct import *im, struct row *r, const char *product_id, PGresult *have,
                       int at, const struct image *x, struct counts *c) {
  char pos[16];
  const char *p[5] = {product_id, x->certificate ? "certificate" : "gallery", pos, x->source,
                      x->claim ? "t" : "f"};
  int rc = 0;

  snprintf(pos, sizeof pos, "%d", x->position);
  if (at < 0) {
    if (exec_for(im, r, "images",
                 "INSERT INTO product_image (product_id, role, position, source, claim)"
                 " VALUES ($1::bigint, $2, $3::integer, $4, $5::boolean) RETURNING id",
                 5, p, &rc) == -2)
      return rc;
    c->images_added++;
    return 0;
  }
  if (strcmp(PQgetvalue(have, at, 3), x->source) == 0 &&
      (PQgetvalue(have, at, 4)[0] == 't') == x->claim)
    return 0;
  p[0] = PQgetvalue(have, at, 0);
  /* A new source is read and checked again; a new claim flag is not. */
  if (exec_for(im, r, "images",
               "UPDATE product_image SET claim = $5::boolean, source = $4,"
               " sha256 = CASE WHEN source = $4 THEN sha256 END,"
               " problem = CASE WHEN source = $4 THEN problem END,"
               " checked_at = CASE WHEN source = $4 THEN checked_at END"
               " WHERE id = $1::bigint AND role = $2 AND position = $3::integer RETURNING id",
               5, p, &rc) == -2)
    return rc;
  c->images_changed++;
  return 0;
}

static int used(const struct images *want, PGresult *have, int i) {
  size_t k;

  for (k = 0; k < want->n; k++)
    if (find_row(have, &want->v[k]) == i)
      return 1;
  return 0;
}

static int write_images(struct import *im, struct row *r, const char *product_id,
                        struct counts *c) {
  struct images want;
  PGresult *have;
  size_t k;
  int i, rc = 0;

  if (parse_images(im, r, &want) != 0) {
    free_images(&want);
    return 1; /* reported already; not reached for a checked row */
  }
  have = load_images(im, r, product_id, &rc);
  for (i = 0; have && rc == 0 && i < PQntuples(have); i++) {
    const char *p[1] = {PQgetvalue(have, i, 0)};

    if (used(&want, have, i))
      continue;
    if (exec_for(im, r, "images", "DELETE FROM product_image WHERE id = $1::bigint RETURNING id",
                 1, p, &rc) != -2)
      c->images_removed++;
  }
  for (k = 0; have && rc == 0 && k < want.n; k++)
    rc = write_image(im, r, product_id, have, find_row(have, &want.v[k]), &want.v[k], c);
  PQclear(have);
  free_images(&want);
  return rc;
}

/* Sets (value non-empty) or removes one attribute, when it differs. */
static int write_attribute(struct import *im, struct row *r, const char *column,
                           const char *product_id, const char *key, const char *value,
                           struct counts *c) {
  const char *p[3] = {product_id, key, value};
  int rc = 0, got;

  if (!value[0]) {
    got = exec_for(im, r, column,
                   "DELETE FROM product_attribute WHERE product_id = $1::bigint AND key = $2"
                   " RETURNING key",
                   2, p, &rc);
    c->attributes_removed += got == 1;
    return got == -2 ? rc : 0;
  }
  /* Checked first so an unchanged value is not written (nor its trigger run). */
  got = exec_for(im, r, column,
                 "SELECT 1 FROM product_attribute WHERE product_id = $1::bigint AND key = $2"
                 " AND value = $3",
                 3, p, &rc);
  if (got != 0)
    return got == -2 ? rc : 0;
  got = exec_for(im, r, column,
                 "INSERT INTO product_attribute (product_id, key, value)"
                 " VALUES ($1::bigint, $2, $3) ON CONFLICT (product_id, key)"
                 " DO UPDATE SET value = EXCLUDED.value RETURNING key",
                 3, p, &rc);
  c->attributes_set += got == 1;
  return got == -2 ? rc : 0;
}

static int write_category(struct import *im, struct row *r, const char *column,
                          const char *product_id, const char *marketplace, const char *value,
                          struct counts *c) {
  const char *p[3] = {product_id, marketplace, value};
  int rc = 0, got;

  if (!value[0]) {
    got = exec_for(im, r, column,
                   "DELETE FROM product_category WHERE product_id = $1::bigint"
                   " AND marketplace = $2 RETURNING marketplace",
                   2, p, &rc);
    c->categories_removed += got == 1;
    return got == -2 ? rc : 0;
  }
  got = exec_for(im, r, column,
                 "SELECT 1 FROM product_category WHERE product_id = $1::bigint"
                 " AND marketplace = $2 AND remote_category = $3",
                 3, p, &rc);
  if (got != 0)
    return got == -2 ? rc : 0;
  got = exec_for(im, r, column,
                 "INSERT INTO product_category (product_id, marketplace, remote_category)"
                 " VALUES ($1::bigint, $2, $3) ON CONFLICT (product_id, marketplace)"
                 " DO UPDATE SET remote_category = EXCLUDED.remote_category RETURNING 1",
                 3, p, &rc);
  c->categories_set += got == 1;
  return got == -2 ? rc : 0;
}

int imp_write_content(struct import *im, const struct product_rows *p, const char *product_id,
                      struct counts *c) {
  struct row *r = &im->rows[p->rows[0]];
  size_t i;
  int rc = 0;

  if (im->colidx[C_IMAGES] >= 0)
    rc = write_images(im, r, product_id, c);
  for (i = 0; rc == 0 && i < NATTR_COLS; i++)
    if (im->colidx[attr_cols[i]] >= 0)
      rc = write_attribute(im, r, imp_columns[attr_cols[i]].name, product_id,
                           imp_columns[attr_cols[i]].name, r->f[attr_cols[i]], c);
  for (i = 0; rc == 0 && i < im->nextras; i++) {
    const struct extra *x = &im->extras[i];

    if (x->kind == X_ATTR)
      rc = write_attribute(im, r, x->name, product_id, x->key, r->xf[i], c);
    else
      rc = write_category(im, r, x->name, product_id, x->key, r->xf[i], c);
  }
  return rc;
}

/* ---- staging, for the bulk write (import_bulk.c) ------------------------------ */

const char *imp_content_copy_sql(enum imp_content_table t) {
  switch (t) {
  case IMP_IMAGES:
    return "COPY pg_temp.import_image (product_code, role, position, source, claim) FROM STDIN";
  case IMP_ATTRIBUTES:
    return "COPY pg_temp.import_attr (product_code, key, value) FROM STDIN";
  case IMP_CATEGORIES:
    return "COPY pg_temp.import_category (product_code, marketplace, value) FROM STDIN";
  }
  return NULL;
}

static void stage_image(struct imp_copy *c, const struct row *r, const struct image *x) {
  imp_copy_field(c, r->f[C_PRODUCT_CODE]);
  imp_copy_field(c, x->certificate ? "certificate" : "gallery");
  imp_copy_long(c, x->position);
  imp_copy_field(c, x->source);
  imp_copy_field(c, x->claim ? "t" : "f");
  imp_copy_end_row(c);
}

static void stage_images(struct import *im, struct row *r, struct imp_copy *c) {
  struct images want;
  size_t k;

  if (im->colidx[C_IMAGES] < 0)
    return;
  if (parse_images(im, r, &want) == 0) /* a checked row always parses */
    for (k = 0; k < want.n; k++)
      stage_image(c, r, &want.v[k]);
  free_images(&want);
}

static void stage_pair(struct imp_copy *c, const struct row *r, const char *key,
                       const char *value) {
  imp_copy_field(c, r->f[C_PRODUCT_CODE]);
  imp_copy_field(c, key);
  imp_copy_field(c, value);
  imp_copy_end_row(c);
}

/* As imp_write_content, from the product's first row. */
void imp_stage_content(struct import *im, const struct product_rows *p,
                       enum imp_content_table t, struct imp_copy *c) {
  struct row *r = &im->rows[p->rows[0]];
  size_t i;

  if (t == IMP_IMAGES) {
    stage_images(im, r, c);
    return;
  }
  for (i = 0; t == IMP_ATTRIBUTES && i < NATTR_COLS; i++)
    if (im->colidx[attr_cols[i]] >= 0)
      stage_pair(c, r, imp_columns[attr_cols[i]].name, r->f[attr_cols[i]]);
  for (i = 0; i < im->nextras; i++)
    if ((im->extras[i].kind == X_ATTR) == (t == IMP_ATTRIBUTES))
      stage_pair(c, r, im->extras[i].key, r->xf[i]);
}
