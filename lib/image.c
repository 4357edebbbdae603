/* image.c — img_check: signature, header limits, then a full decode. */
#include "image.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jpeglib.h>
#include <jerror.h>
#include <png.h>
#include <openssl/evp.h>

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void img_reason(char *err, size_t errlen, const char *fmt, ...) {
  va_list ap;

  if (!err || errlen == 0) return;
  va_start(ap, fmt);
  vsnprintf(err, errlen, fmt, ap);
  va_end(ap);
}

/* ---- limits ---------------------------------------------------------------- */

/* Checked on the header, before a row is allocated or a pixel decoded. */
static int img_size_ok(long long w, long long h, char *err, size_t errlen) {
  if (w > IMG_MAX_SIDE || h > IMG_MAX_SIDE) {
    img_reason(err, errlen, "%lldx%lld pixels: a side is over the %d-pixel limit", w, h,
               IMG_MAX_SIDE);
    return 0;
  }
  if (w * h > IMG_MAX_PIXELS) {
    img_reason(err, errlen, "%lldx%lld pixels is over the %ld-megapixel limit", w, h,
               IMG_MAX_PIXELS / 1000000L);
    return 0;
  }
  return 1;
}

/* ---- JPEG (libjpeg-turbo) --------------------------------------------------- */

/* libjpeg's default error manager prints and calls exit(); this one keeps
 * the message and jumps back instead. pub must stay first: libjpeg hands
 * back a pointer to it. */
struct jpg_err {
  struct jpeg_error_mgr pub;
  jmp_buf jmp;
  char msg[JMSG_LENGTH_MAX + 64];
};

struct jpg_ctx {
  struct jpeg_decompress_struct cinfo;
  struct jpg_err jerr;
};

static void jpg_error_exit(j_common_ptr c) {
  struct jpg_err *e = (struct jpg_err *)c->err;
  char m[JMSG_LENGTH_MAX];

  c->err->format_message(c, m);
  snprintf(e->msg, sizeof e->msg, "invalid JPEG: %s", m);
  longjmp(e->jmp, 1);
}

/* Level -1 is a warning. libjpeg warns and carries on over missing or
 * damaged data, painting the rest grey; a marketplace would show that grey,
 * so every warning refuses the image. Higher levels are trace output. */
static void jpg_emit(j_common_ptr c, int level) {
  struct jpg_err *e = (struct jpg_err *)c->err;
  char m[JMSG_LENGTH_MAX];

  if (level >= 0) return;
  if (c->err->msg_code == JWRN_JPEG_EOF) {
    snprintf(e->msg, sizeof e->msg, "truncated JPEG data");
  } else {
    c->err->format_message(c, m);
    snprintf(e->msg, sizeof e->msg, "damaged JPEG: %s", m);
  }
  longjmp(e->jmp, 1);
}

/* The setjmp lives here and every object it changes is the caller's (x),
 * so nothing local is left indeterminate by the jump. */
static int jpg_decode(struct jpg_ctx *x, const unsigned char *data, size_t len,
                      int *w, int *h) {
  struct jpeg_decompress_struct *ci = &x->cinfo;
  JSAMPARRAY row;

  if (setjmp(x->jerr.jmp)) return -1;
  jpeg_create_decompress(ci);
  jpeg_mem_src(ci, data, (unsigned long)len);
  jpeg_read_header(ci, TRUE);
  *w = (int)ci->image_width;
  *h = (int)ci->image_height;
  if (!img_size_ok(*w, *h, x->jerr.msg, sizeof x->jerr.msg)) return -1;
  /* Only completeness is checked, not looks: the fastest decode will do,
   * it still reads every coefficient. */
  ci->dct_method = JDCT_IFAST;
  ci->do_fancy_upsampling = FALSE;
  jpeg_start_decompress(ci);
  row = ci->mem->alloc_sarray((j_common_ptr)ci, JPOOL_IMAGE,
                              ci->output_width * (JDIMENSION)ci->output_components, 1);
  while (ci->output_scanline < ci->output_height) jpeg_read_scanlines(ci, row, 1);
  jpeg_finish_decompress(ci);
  return 0;
}

static int jpg_check(const unsigned char *data, size_t len, int *w, int *h, char *err,
                     size_t errlen) {
  struct jpg_ctx *x = calloc(1, sizeof *x);
  int rc;

  if (!x) {
    img_reason(err, errlen, "out of memory");
    return -1;
  }
  x->cinfo.err = jpeg_std_error(&x->jerr.pub);
  x->jerr.pub.error_exit = jpg_error_exit;
  x->jerr.pub.emit_message = jpg_emit;
  rc = jpg_decode(x, data, len, w, h);
  if (rc != 0) img_reason(err, errlen, "%s", x->jerr.msg);
  jpeg_destroy_decompress(&x->cinfo);
  free(x);
  return rc;
}

/* ---- PNG (libpng) ------------------------------------------------------------ */

struct png_ctx {
  png_structp png;
  png_infop info;
  const unsigned char *data;
  size_t len, pos;
  unsigned char *row;
  char msg[256];
};

static const char png_truncated[] = "truncated PNG data";

static void png_on_read(png_structp p, png_bytep out, size_t n) {
  struct png_ctx *x = png_get_io_ptr(p);

  if (n > x->len - x->pos) png_error(p, png_truncated);
  memcpy(out, x->data + x->pos, n);
  x->pos += n;
}

/* libpng's messages made plain. A chunk's errors come prefixed with its
 * name ("IDAT: CRC error"); running out of IDAT data is truncation too. */
static void png_set_reason(struct png_ctx *x, const char *m) {
  int chunk = strlen(m) > 6 && strncmp(m + 4, ": ", 2) == 0;

  if (strstr(m, png_truncated) || strstr(m, "Not enough image data"))
    snprintf(x->msg, sizeof x->msg, "%s", png_truncated);
  else if (strstr(m, "CRC error") && chunk)
    snprintf(x->msg, sizeof x->msg, "PNG CRC error (%.4s chunk)", m);
  else if (strstr(m, "CRC error"))
    snprintf(x->msg, sizeof x->msg, "PNG CRC error");
  else
    snprintf(x->msg, sizeof x->msg, "invalid PNG: %s", m);
}

static void png_on_error(png_structp p, png_const_charp m) {
  png_set_reason(png_get_error_ptr(p), m);
  png_longjmp(p, 1);
}

/* libpng warns, and goes on, when the image data is longer or shorter than
 * the header says or a CRC fails: the picture is not what was meant, so
 * those refuse the image. Other warnings (an ancillary chunk it dislikes,
 * such as a known-bad sRGB profile from an image editor) leave the pixels
 * whole and are ignored. */
static void png_on_warning(png_structp p, png_const_charp m) {
  if (strncmp(m, "IDAT", 4) == 0 || strstr(m, "image data") ||
      strstr(m, "compressed data") || strstr(m, "CRC")) {
    png_set_reason(png_get_error_ptr(p), m);
    png_longjmp(p, 1);
  }
}

/* As jpg_decode: the setjmp is here, what it changes is the caller's. */
static int png_decode(struct png_ctx *x, int *w, int *h) {
  int passes, pass;
  png_uint_32 y;

  if (setjmp(png_jmpbuf(x->png))) return -1;
  png_set_crc_action(x->png, PNG_CRC_ERROR_QUIT, PNG_CRC_ERROR_QUIT);
  png_set_read_fn(x->png, x, png_on_read);
  png_read_info(x->png, x->info);
  *w = (int)png_get_image_width(x->png, x->info);
  *h = (int)png_get_image_height(x->png, x->info);
  if (!img_size_ok(*w, *h, x->msg, sizeof x->msg)) return -1;
  passes = png_set_interlace_handling(x->png);
  png_read_update_info(x->png, x->info);
  x->row = malloc(png_get_rowbytes(x->png, x->info));
  if (!x->row) png_error(x->png, "out of memory");
  /* One row buffer for every pass: the pixels are thrown away. */
  for (pass = 0; pass < passes; pass++)
    for (y = 0; y < (png_uint_32)*h; y++) png_read_row(x->png, x->row, NULL);
  png_read_end(x->png, NULL);
  return 0;
}

static int png_check(const unsigned char *data, size_t len, int *w, int *h, char *err,
                     size_t errlen) {
  struct png_ctx x;
  int rc = -1;

  memset(&x, 0, sizeof x);
  x.data = data;
  x.len = len;
  snprintf(x.msg, sizeof x.msg, "out of memory");
  x.png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &x, png_on_error, png_on_warning);
  if (x.png) x.info = png_create_info_struct(x.png);
  if (x.info) rc = png_decode(&x, w, h);
  if (rc != 0) img_reason(err, errlen, "%s", x.msg);
  png_destroy_read_struct(&x.png, &x.info, NULL);
  free(x.row);
  return rc;
}

/* ---- format and digest ------------------------------------------------------------ */

static enum img_format img_sniff(const unsigned char *d, size_t len) {
  /* JPEG: the SOI marker. PNG: the first half of its 8-byte signature;
   * libpng checks the rest and says what is wrong with it. */
  if (len >= 2 && d[0] == 0xFF && d[1] == 0xD8) return IMG_JPEG;
  if (len >= 4 && memcmp(d, "\x89PNG", 4) == 0) return IMG_PNG;
  return IMG_NONE;
}

/* "GIF8", "RIFF", or "\xNN" for bytes that are not printable ASCII. */
static void img_not_ours(const unsigned char *d, size_t len, char *err, size_t errlen) {
  char start[4 * 4 + 1];
  size_t i, n = 0;

  for (i = 0; i < len && i < 4; i++) {
    if (d[i] >= 0x20 && d[i] < 0x7F && d[i] != '\\')
      start[n++] = (char)d[i];
    else
      n += (size_t)snprintf(start + n, sizeof start - n, "\\x%02X", d[i]);
  }
  start[n] = '\0';
  img_reason(err, errlen, "not a JPEG or PNG image (starts with %s)", start);
}

static int img_sha256(const unsigned char *data, size_t len, char hex[65]) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0, i;

  if (EVP_Digest(data, len, md, &n, EVP_sha256(), NULL) != 1 || n != 32) return -1;
  for (i = 0; i < n; i++) snprintf(hex + 2 * i, 3, "%02x", md[i]);
  return 0;
}

/* ---- public ---------------------------------------------------------------------- */

static int img_decode(enum img_format f, const unsigned char *data, size_t len,
                      struct img_info *out, char *err, size_t errlen) {
  int w = 0, h = 0;
  int rc = f == IMG_JPEG ? jpg_check(data, len, &w, &h, err, errlen)
                         : png_check(data, len, &w, &h, err, errlen);

  if (rc != 0) return -1;
  if (img_sha256(data, len, out->sha256) != 0) {
    img_reason(err, errlen, "SHA-256 failed");
    return -1;
  }
  out->format = f;
  out->width = w;
  out->height = h;
  out->bytes = len;
  return 0;
}

int img_check(const unsigned char *data, size_t len, struct img_info *out, char *err,
              size_t errlen) {
  struct img_info info;
  enum img_format f;

  memset(&info, 0, sizeof info);
  if (out) *out = info;
  if (err && errlen) err[0] = '\0';
  if (!data || len == 0) {
    img_reason(err, errlen, "empty file (0 bytes)");
    return -1;
  }
  if (len > IMG_MAX_BYTES) {
    img_reason(err, errlen, "%zu bytes is over the %zu MB limit", len, IMG_MAX_BYTES >> 20);
    return -1;
  }
  f = img_sniff(data, len);
  if (f == IMG_NONE) {
    img_not_ours(data, len, err, errlen);
    return -1;
  }
  if (img_decode(f, data, len, &info, err, errlen) != 0) return -1;
  if (out) *out = info;
  return 0;
}

const char *img_mime(enum img_format f) {
  switch (f) {
  case IMG_JPEG: return "image/jpeg";
  case IMG_PNG: return "image/png";
  default: return "application/octet-stream";
  }
}

const char *img_ext(enum img_format f) {
  switch (f) {
  case IMG_JPEG: return "jpg";
  case IMG_PNG: return "png";
  default: return "";
  }
}
