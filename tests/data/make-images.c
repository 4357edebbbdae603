/*
 * make-images.c — writes the sample catalogue's images (tests/data/images/):
 *
 *   tests/data/make-images tests/data/ocop-sample.csv tests/data/images
 *
 * One 600x600 JPEG per product code (the CSV's first column, each code
 * once), named CODE.jpg, a pattern of its own drawn from a hash of the code;
 * OCP-BKN-001-v2.jpg, a second and different picture of that product (to
 * test a re-upload when an image changes); ocop-3-sao.png, ocop-4-sao.png,
 * ocop-5-sao.png, 400x400 OCOP star labels; certificate.jpg, an 800x600
 * "scan" of a certificate; and the bad files the upload path must refuse:
 * bad-truncated.jpg (a valid JPEG cut in half), bad-corrupt.png (a PNG with
 * a broken IDAT CRC), bad-format.gif (a 1x1 GIF) and bad-small.jpg (100x100,
 * valid but under Lazada's 330-pixel minimum).
 *
 * The output is reproducible byte for byte: drawing uses integers only (no
 * libm, no floating point whose rounding could differ between compilers),
 * the encoders get fixed settings and no timestamp is written. The unit test
 * image_samples_are_reproducible regenerates the folder and compares it with
 * the committed one, which holds as long as libjpeg-turbo and zlib encode
 * the same way (Debian 12's do).
 */
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <png.h>

#include "csv.h"

#define MI_MAX_CODES 1024
#define MI_JPEG_QUALITY 80

struct mi_canvas {
  int w, h;
  unsigned char *px; /* RGB, rows top to bottom */
};

struct mi_rgb {
  unsigned char r, g, b;
};

struct mi_buf {
  unsigned char *d;
  size_t len, cap;
};

/* ---- canvas ------------------------------------------------------------ */

static void mi_canvas_init(struct mi_canvas *c, int w, int h) {
  c->w = w;
  c->h = h;
  c->px = calloc((size_t)w * (size_t)h, 3);
  if (!c->px) {
    fprintf(stderr, "make-images: out of memory\n");
    exit(1);
  }
}

static void mi_put(struct mi_canvas *c, int x, int y, struct mi_rgb k) {
  unsigned char *p;

  if (x < 0 || y < 0 || x >= c->w || y >= c->h) return;
  p = c->px + ((size_t)y * (size_t)c->w + (size_t)x) * 3;
  p[0] = k.r;
  p[1] = k.g;
  p[2] = k.b;
}

/* Linear mix of a and b, t of 256 towards b. */
static struct mi_rgb mi_mix(struct mi_rgb a, struct mi_rgb b, int t) {
  struct mi_rgb k;

  k.r = (unsigned char)((a.r * (256 - t) + b.r * t) >> 8);
  k.g = (unsigned char)((a.g * (256 - t) + b.g * t) >> 8);
  k.b = (unsigned char)((a.b * (256 - t) + b.b * t) >> 8);
  return k;
}

static void mi_gradient(struct mi_canvas *c, struct mi_rgb top, struct mi_rgb bottom) {
  int x, y;

  for (y = 0; y < c->h; y++) {
    struct mi_rgb k = mi_mix(top, bottom, y * 256 / c->h);

    for (x = 0; x < c->w; x++) mi_put(c, x, y, k);
  }
}

static void mi_rect(struct mi_canvas *c, int x0, int y0, int x1, int y1, struct mi_rgb k) {
  int x, y;

  for (y = y0; y < y1; y++)
    for (x = x0; x < x1; x++) mi_put(c, x, y, k);
}

/* A disc, or a ring when r_in > 0. */
static void mi_disc(struct mi_canvas *c, int cx, int cy, int r, int r_in, struct mi_rgb k) {
  int x, y;

  for (y = cy - r; y <= cy + r; y++)
    for (x = cx - r; x <= cx + r; x++) {
      long d = (long)(x - cx) * (x - cx) + (long)(y - cy) * (y - cy);

      if (d <= (long)r * r && d >= (long)r_in * r_in) mi_put(c, x, y, k);
    }
}

/* A rectangle with corners rounded to radius r. */
static void mi_round_rect(struct mi_canvas *c, int x0, int y0, int x1, int y1, int r,
                          struct mi_rgb k) {
  mi_rect(c, x0 + r, y0, x1 - r, y1, k);
  mi_rect(c, x0, y0 + r, x1, y1 - r, k);
  mi_disc(c, x0 + r, y0 + r, r, 0, k);
  mi_disc(c, x1 - r - 1, y0 + r, r, 0, k);
  mi_disc(c, x0 + r, y1 - r - 1, r, 0, k);
  mi_disc(c, x1 - r - 1, y1 - r - 1, r, 0, k);
}

/* A five-pointed star: its ten corners on a circle of 1000, the inner ones
 * at 0.382 of the outer radius, first point up. */
static const int mi_star_pts[10][2] = {
  {0, -1000}, {225, -309}, {951, -309}, {363, 118}, {588, 809},
  {0, 382},   {-588, 809}, {-363, 118}, {-951, -309}, {-225, -309},
};

static int mi_in_star(int px, int py, int cx, int cy, int r) {
  int i, j, in = 0;

  for (i = 0, j = 9; i < 10; j = i++) {
    long long xi = cx + (long long)mi_star_pts[i][0] * r / 1000;
    long long yi = cy + (long long)mi_star_pts[i][1] * r / 1000;
    long long xj = cx + (long long)mi_star_pts[j][0] * r / 1000;
    long long yj = cy + (long long)mi_star_pts[j][1] * r / 1000;
    long long lhs, rhs;

    if ((yi > py) == (yj > py)) continue;
    lhs = (px - xi) * (yj - yi);
    rhs = (xj - xi) * (py - yi);
    if (yj > yi ? lhs < rhs : lhs > rhs) in = !in;
  }
  return in;
}

static void mi_star(struct mi_canvas *c, int cx, int cy, int r, struct mi_rgb k) {
  int x, y;

  for (y = cy - r; y <= cy + r; y++)
    for (x = cx - r; x <= cx + r; x++)
      if (mi_in_star(x, y, cx, cy, r)) mi_put(c, x, y, k);
}

/* ---- text: a 5x7 bitmap font, enough for codes and labels --------------- */

struct mi_glyph {
  char ch;
  unsigned char row[7]; /* bit 4 is the leftmost column */
};

static const struct mi_glyph mi_font[] = {
  {'0', {0x0E, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0E}},
  {'1', {0x04, 0x0C, 0x04, 0x04, 0x04, 0x04, 0x0E}},
  {'2', {0x0E, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1F}},
  {'3', {0x1F, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0E}},
  {'4', {0x02, 0x06, 0x0A, 0x12, 0x1F, 0x02, 0x02}},
  {'5', {0x1F, 0x10, 0x1E, 0x01, 0x01, 0x11, 0x0E}},
  {'6', {0x06, 0x08, 0x10, 0x1E, 0x11, 0x11, 0x0E}},
  {'7', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08}},
  {'8', {0x0E, 0x11, 0x11, 0x0E, 0x11, 0x11, 0x0E}},
  {'9', {0x0E, 0x11, 0x11, 0x0F, 0x01, 0x02, 0x0C}},
  {'A', {0x0E, 0x11, 0x11, 0x11, 0x1F, 0x11, 0x11}},
  {'B', {0x1E, 0x11, 0x11, 0x1E, 0x11, 0x11, 0x1E}},
  {'C', {0x0E, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0E}},
  {'D', {0x1C, 0x12, 0x11, 0x11, 0x11, 0x12, 0x1C}},
  {'E', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x1F}},
  {'F', {0x1F, 0x10, 0x10, 0x1E, 0x10, 0x10, 0x10}},
  {'G', {0x0E, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0F}},
  {'H', {0x11, 0x11, 0x11, 0x1F, 0x11, 0x11, 0x11}},
  {'I', {0x0E, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0E}},
  {'J', {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0C}},
  {'K', {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11}},
  {'L', {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1F}},
  {'M', {0x11, 0x1B, 0x15, 0x15, 0x11, 0x11, 0x11}},
  {'N', {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11}},
  {'O', {0x0E, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
  {'P', {0x1E, 0x11, 0x11, 0x1E, 0x10, 0x10, 0x10}},
  {'Q', {0x0E, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0D}},
  {'R', {0x1E, 0x11, 0x11, 0x1E, 0x14, 0x12, 0x11}},
  {'S', {0x0F, 0x10, 0x10, 0x0E, 0x01, 0x01, 0x1E}},
  {'T', {0x1F, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}},
  {'U', {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0E}},
  {'V', {0x11, 0x11, 0x11, 0x11, 0x11, 0x0A, 0x04}},
  {'W', {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0A}},
  {'X', {0x11, 0x11, 0x0A, 0x04, 0x0A, 0x11, 0x11}},
  {'Y', {0x11, 0x11, 0x11, 0x0A, 0x04, 0x04, 0x04}},
  {'Z', {0x1F, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1F}},
  {'-', {0x00, 0x00, 0x00, 0x1F, 0x00, 0x00, 0x00}},
};

static const unsigned char *mi_glyph_rows(char ch) {
  size_t i;

  for (i = 0; i < sizeof mi_font / sizeof mi_font[0]; i++)
    if (mi_font[i].ch == ch) return mi_font[i].row;
  return NULL; /* a space, or a character the font lacks */
}

/* Each glyph is 5 cells wide plus one of spacing; a cell is s pixels. */
static int mi_text_width(const char *t, int s) {
  int n = (int)strlen(t);

  return n > 0 ? (6 * n - 1) * s : 0;
}

static void mi_text(struct mi_canvas *c, int x, int y, const char *t, int s,
                    struct mi_rgb k) {
  for (; *t; t++, x += 6 * s) {
    const unsigned char *g = mi_glyph_rows(*t);
    int row, col;

    if (!g) continue;
    for (row = 0; row < 7; row++)
      for (col = 0; col < 5; col++)
        if (g[row] & (0x10 >> col))
          mi_rect(c, x + col * s, y + row * s, x + (col + 1) * s, y + (row + 1) * s, k);
  }
}

static void mi_text_centred(struct mi_canvas *c, int cx, int y, const char *t, int s,
                            struct mi_rgb k) {
  mi_text(c, cx - mi_text_width(t, s) / 2, y, t, s, k);
}

/* ---- colours ------------------------------------------------------------------ */

static const struct mi_rgb mi_white = {255, 255, 255};
static const struct mi_rgb mi_ink = {40, 40, 48};
static const struct mi_rgb mi_red = {200, 16, 46};
static const struct mi_rgb mi_gold = {242, 193, 78};

/* HSV to RGB in integers: h in 0..359, s and v in 0..255. */
static struct mi_rgb mi_hsv(int h, int s, int v) {
  int region = h / 60, rem = (h % 60) * 255 / 60;
  int p = v * (255 - s) / 255, q = v * (255 - s * rem / 255) / 255;
  int t = v * (255 - s * (255 - rem) / 255) / 255;
  struct mi_rgb k;
  int r, g, b;

  switch (region) {
  case 0: r = v; g = t; b = p; break;
  case 1: r = q; g = v; b = p; break;
  case 2: r = p; g = v; b = t; break;
  case 3: r = p; g = q; b = v; break;
  case 4: r = t; g = p; b = v; break;
  default: r = v; g = p; b = q; break;
  }
  k.r = (unsigned char)r;
  k.g = (unsigned char)g;
  k.b = (unsigned char)b;
  return k;
}

static unsigned mi_hash(const char *s) {
  unsigned h = 2166136261u;

  for (; *s; s++) h = (h ^ (unsigned char)*s) * 16777619u;
  return h;
}

/* ---- pictures ----------------------------------------------------------------- */

/* A product on a table: a jar, a bag or a box in the product's colour with
 * a pale label carrying its code. variant 2 is another shot of the same
 * product: another shape, shifted colours, and "V2" on the label. */
static void mi_draw_product(struct mi_canvas *c, const char *code, int variant) {
  unsigned h = mi_hash(code);
  int hue = (int)(h % 360), shape = (int)((h >> 9) % 3), w = c->w, H = c->h;
  struct mi_rgb body, dark, label, bg_top, bg_bottom;
  int s = w / 200, lx0 = w * 32 / 100, lx1 = w * 68 / 100;

  if (variant == 2) {
    hue = (hue + 150) % 360;
    shape = (shape + 1) % 3;
  }
  body = mi_hsv(hue, 190, 200);
  dark = mi_hsv(hue, 210, 130);
  label = mi_hsv((hue + 30) % 360, 40, 250);
  bg_top = mi_hsv((hue + 180) % 360, 25, 250);
  bg_bottom = mi_hsv((hue + 180) % 360, 45, 225);
  mi_gradient(c, bg_top, bg_bottom);
  mi_rect(c, 0, H * 82 / 100, w, H, mi_mix(bg_bottom, mi_ink, 40)); /* the table */
  if (shape == 0) { /* a jar and its lid */
    mi_round_rect(c, w * 30 / 100, H * 36 / 100, w * 70 / 100, H * 86 / 100, w / 16, body);
    mi_rect(c, w * 34 / 100, H * 27 / 100, w * 66 / 100, H * 36 / 100, dark);
  } else if (shape == 1) { /* a bag with a sealed top */
    mi_rect(c, w * 28 / 100, H * 24 / 100, w * 72 / 100, H * 86 / 100, body);
    mi_rect(c, w * 28 / 100, H * 24 / 100, w * 72 / 100, H * 31 / 100, dark);
  } else { /* a box, its side in shade */
    mi_rect(c, w * 22 / 100, H * 38 / 100, w * 70 / 100, H * 86 / 100, body);
    mi_rect(c, w * 70 / 100, H * 38 / 100, w * 78 / 100, H * 86 / 100, dark);
  }
  mi_rect(c, lx0, H * 50 / 100, lx1, H * 70 / 100, label);
  if (s < 1) return; /* too small for text */
  mi_text_centred(c, w / 2, H * 53 / 100, code, s, dark);
  mi_disc(c, w / 2, H * 63 / 100, w * 3 / 100, 0, dark);
  if (variant == 2) mi_text_centred(c, w / 2, H * 39 / 100, "V2", 2 * s, mi_white);
}

/* An OCOP label: a red ring on gold, "OCOP", the stars and "N SAO". */
static void mi_draw_label(struct mi_canvas *c, int stars) {
  int cx = c->w / 2, cy = c->h / 2, i, step = 70, r = 30;
  int x0 = cx - (stars - 1) * step / 2;
  char caption[16];

  mi_rect(c, 0, 0, c->w, c->h, mi_white);
  mi_disc(c, cx, cy, 190, 0, mi_red);
  mi_disc(c, cx, cy, 172, 0, mi_gold);
  mi_disc(c, cx, cy, 160, 154, mi_red);
  mi_text_centred(c, cx, cy - 110, "OCOP", 10, mi_red);
  for (i = 0; i < stars; i++) mi_star(c, x0 + i * step, cy + 20, r, mi_red);
  snprintf(caption, sizeof caption, "%d SAO", stars);
  mi_text_centred(c, cx, cy + 70, caption, 6, mi_red);
}

/* A scanned certificate: paper, a double border, a title, lines of text
 * and a red stamp. */
static void mi_draw_certificate(struct mi_canvas *c) {
  static const int line_len[] = {92, 80, 86, 60, 88, 74, 66, 52};
  struct mi_rgb grey = {110, 108, 104}, paper = {246, 242, 232}, shade = {232, 226, 212};
  int i, w = c->w, h = c->h;

  mi_gradient(c, paper, shade);
  mi_rect(c, 30, 30, w - 30, 36, mi_red);
  mi_rect(c, 30, h - 36, w - 30, h - 30, mi_red);
  mi_rect(c, 30, 30, 36, h - 30, mi_red);
  mi_rect(c, w - 36, 30, w - 30, h - 30, mi_red);
  mi_text_centred(c, w / 2, 70, "OCOP", 8, mi_red);
  mi_text_centred(c, w / 2, 140, "CERTIFICATE", 4, mi_ink);
  for (i = 0; i < (int)(sizeof line_len / sizeof line_len[0]); i++)
    mi_rect(c, 90, 210 + i * 34, 90 + (w - 180) * line_len[i] / 100, 222 + i * 34, grey);
  mi_disc(c, w - 170, h - 130, 70, 60, mi_red);
  mi_star(c, w - 170, h - 130, 40, mi_red);
}

/* ---- encoders ---------------------------------------------------------------------- */

static void mi_jpeg(const struct mi_canvas *c, struct mi_buf *out) {
  struct jpeg_compress_struct ci;
  struct jpeg_error_mgr jerr; /* the default: print and exit, fine for a tool */
  unsigned char *mem = NULL;
  unsigned long size = 0;

  ci.err = jpeg_std_error(&jerr);
  jpeg_create_compress(&ci);
  jpeg_mem_dest(&ci, &mem, &size);
  ci.image_width = (JDIMENSION)c->w;
  ci.image_height = (JDIMENSION)c->h;
  ci.input_components = 3;
  ci.in_color_space = JCS_RGB;
  jpeg_set_defaults(&ci);
  jpeg_set_quality(&ci, MI_JPEG_QUALITY, TRUE);
  ci.optimize_coding = TRUE;
  jpeg_start_compress(&ci, TRUE);
  while (ci.next_scanline < ci.image_height) {
    JSAMPROW row = c->px + (size_t)ci.next_scanline * (size_t)c->w * 3;

    jpeg_write_scanlines(&ci, &row, 1);
  }
  jpeg_finish_compress(&ci);
  jpeg_destroy_compress(&ci);
  out->d = mem;
  out->len = size;
  out->cap = size;
}

static void mi_png_write(png_structp p, png_bytep data, size_t n) {
  struct mi_buf *b = png_get_io_ptr(p);

  if (b->len + n > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    unsigned char *d;

    while (cap < b->len + n) cap *= 2;
    d = realloc(b->d, cap);
    if (!d) png_error(p, "out of memory");
    b->d = d;
    b->cap = cap;
  }
  memcpy(b->d + b->len, data, n);
  b->len += n;
}

static void mi_png_flush(png_structp p) {
  (void)p;
}

static int mi_png(const struct mi_canvas *c, struct mi_buf *out) {
  png_structp p = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
  png_infop info = p ? png_create_info_struct(p) : NULL;
  int y;

  memset(out, 0, sizeof *out);
  if (!info || setjmp(png_jmpbuf(p))) {
    png_destroy_write_struct(&p, &info);
    return -1;
  }
  png_set_write_fn(p, out, mi_png_write, mi_png_flush);
  png_set_compression_level(p, 9);
  png_set_IHDR(p, info, (png_uint_32)c->w, (png_uint_32)c->h, 8, PNG_COLOR_TYPE_RGB,
               PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
  png_write_info(p, info);
  for (y = 0; y < c->h; y++) png_write_row(p, c->px + (size_t)y * (size_t)c->w * 3);
  png_write_end(p, NULL);
  png_destroy_write_struct(&p, &info);
  return 0;
}

/* Flips the CRC of the first IDAT chunk: the data stays as it was, so only
 * the check can tell. */
static int mi_break_idat_crc(struct mi_buf *b) {
  size_t pos = 8;

  while (pos + 12 <= b->len) {
    size_t n = ((size_t)b->d[pos] << 24) | ((size_t)b->d[pos + 1] << 16) |
               ((size_t)b->d[pos + 2] << 8) | b->d[pos + 3];

    if (pos + 12 + n > b->len) break;
    if (memcmp(b->d + pos + 4, "IDAT", 4) == 0) {
      b->d[pos + 8 + n + 3] ^= 0xFF;
      return 0;
    }
    pos += 12 + n;
  }
  return -1;
}

/* ---- files ---------------------------------------------------------------------------- */

static int mi_save(const char *dir, const char *name, const unsigned char *d, size_t len) {
  char path[4096];
  FILE *f;

  snprintf(path, sizeof path, "%s/%s", dir, name);
  f = fopen(path, "wb");
  if (!f || fwrite(d, 1, len, f) != len || fclose(f) != 0) {
    fprintf(stderr, "make-images: %s: %s\n", path, strerror(errno));
    return -1;
  }
  return 0;
}

static int mi_save_jpeg(const char *dir, const char *name, const struct mi_canvas *c) {
  struct mi_buf b;
  int rc;

  mi_jpeg(c, &b);
  rc = mi_save(dir, name, b.d, b.len);
  free(b.d);
  return rc;
}

static int mi_product(const char *dir, const char *code, int variant, int size,
                      const char *name) {
  struct mi_canvas c;
  int rc;

  mi_canvas_init(&c, size, size);
  mi_draw_product(&c, code, variant);
  rc = mi_save_jpeg(dir, name, &c);
  free(c.px);
  return rc;
}

static int mi_labels(const char *dir) {
  int stars;

  for (stars = 3; stars <= 5; stars++) {
    struct mi_canvas c;
    struct mi_buf b;
    char name[32];
    int rc;

    mi_canvas_init(&c, 400, 400);
    mi_draw_label(&c, stars);
    rc = mi_png(&c, &b);
    snprintf(name, sizeof name, "ocop-%d-sao.png", stars);
    if (rc == 0) rc = mi_save(dir, name, b.d, b.len);
    if (rc == 0 && stars == 3 && mi_break_idat_crc(&b) == 0)
      rc = mi_save(dir, "bad-corrupt.png", b.d, b.len);
    free(b.d);
    free(c.px);
    if (rc != 0) return -1;
  }
  return 0;
}

static int mi_certificate(const char *dir) {
  struct mi_canvas c;
  int rc;

  mi_canvas_init(&c, 800, 600);
  mi_draw_certificate(&c);
  rc = mi_save_jpeg(dir, "certificate.jpg", &c);
  free(c.px);
  return rc;
}

/* A 1x1 GIF89a: black and white palette, one white pixel. */
static const unsigned char mi_gif[] = {
  'G', 'I', 'F', '8', '9', 'a', 0x01, 0x00, 0x01, 0x00, 0x80, 0x00, 0x00,
  0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x2C, 0x00, 0x00, 0x00, 0x00, 0x01,
  0x00, 0x01, 0x00, 0x00, 0x02, 0x02, 0x44, 0x01, 0x00, 0x3B,
};

static int mi_bad(const char *dir, const char *first_code) {
  struct mi_canvas c;
  struct mi_buf b;
  int rc;

  mi_canvas_init(&c, 600, 600);
  mi_draw_product(&c, first_code, 1);
  mi_jpeg(&c, &b);
  rc = mi_save(dir, "bad-truncated.jpg", b.d, b.len / 2);
  free(b.d);
  free(c.px);
  if (rc == 0) rc = mi_save(dir, "bad-format.gif", mi_gif, sizeof mi_gif);
  if (rc == 0) rc = mi_product(dir, first_code, 1, 100, "bad-small.jpg");
  return rc;
}

/* ---- the catalogue --------------------------------------------------------------------- */

/* The distinct codes of the CSV's first column, in order of appearance. */
static int mi_codes(const char *csv_path, char ***codes, size_t *n) {
  char err[512];
  struct csv_record rec;
  csv_t *c = csv_open(csv_path, err, sizeof err);
  int r;

  *codes = calloc(MI_MAX_CODES, sizeof **codes);
  *n = 0;
  if (!c || !*codes || csv_read_header(c) != 0) {
    fprintf(stderr, "make-images: %s\n", c ? csv_error(c) : err);
    if (c) csv_close(c);
    return -1;
  }
  while ((r = csv_next(c, &rec)) == 1 && *n < MI_MAX_CODES) {
    size_t i;

    for (i = 0; i < *n && strcmp((*codes)[i], rec.fields[0]) != 0; i++) {
    }
    if (i == *n && rec.fields[0][0]) (*codes)[(*n)++] = strdup(rec.fields[0]);
  }
  if (r < 0) fprintf(stderr, "make-images: %s\n", csv_error(c));
  csv_close(c);
  return r < 0 || *n == 0 ? -1 : 0;
}

int main(int argc, char **argv) {
  char **codes = NULL, name[512];
  size_t n = 0, i;
  int rc;

  if (argc != 3) {
    fprintf(stderr, "usage: make-images CATALOGUE.csv OUTPUT-DIR\n");
    return 2;
  }
  rc = mi_codes(argv[1], &codes, &n);
  for (i = 0; rc == 0 && i < n; i++) {
    snprintf(name, sizeof name, "%s.jpg", codes[i]);
    rc = mi_product(argv[2], codes[i], 1, 600, name);
  }
  if (rc == 0) {
    snprintf(name, sizeof name, "%s-v2.jpg", codes[0]);
    rc = mi_product(argv[2], codes[0], 2, 600, name);
  }
  if (rc == 0) rc = mi_labels(argv[2]);
  if (rc == 0) rc = mi_certificate(argv[2]);
  if (rc == 0) rc = mi_bad(argv[2], codes[0]);
  for (i = 0; i < n; i++) free(codes[i]);
  free(codes);
  return rc == 0 ? 0 : 1;
}
