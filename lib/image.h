/*
 * image.h — checks that a product image is a whole, readable JPEG or PNG
 * before anything is sent to a marketplace.
 *
 * A marketplace refuses a broken or oversized image with a vague upload
 * error, or worse accepts it and shows a grey box; finding out here gives
 * the catalogue owner a precise reason instead. The format is told by the
 * file's signature, never by its name. The size limits are checked on the
 * header before any pixel is decoded, so a small file claiming a huge image
 * costs nothing; then the whole image is decoded (libjpeg-turbo, libpng) so
 * that truncated or corrupt data is caught, warnings about missing data
 * included.
 *
 * img_check is a pure function: no I/O, no globals, nothing logged. It is
 * safe to call from several threads at once (ocopd runs it on libuv's
 * thread pool).
 */
#ifndef OCOP_IMAGE_H
#define OCOP_IMAGE_H

#include <stddef.h>

/* Above this many pixels an image is refused before decoding: no
 * marketplace takes one that large, and decoding it would hold hundreds of
 * megabytes. */
#define IMG_MAX_PIXELS 50000000L
/* Above this many bytes the data is refused unread. */
#define IMG_MAX_BYTES ((size_t)16 << 20)
/* Neither side may exceed this (JPEG's own limit), so one decoded row stays
 * small even for a long, thin image under IMG_MAX_PIXELS. */
#define IMG_MAX_SIDE 65500

enum img_format { IMG_NONE = 0, IMG_JPEG = 1, IMG_PNG = 2 };

struct img_info {
  enum img_format format;
  int width, height;
  size_t bytes;     /* the length given */
  char sha256[65];  /* of the bytes, lowercase hex */
};

/* 0 with *out filled when data is a complete JPEG or PNG within the limits;
 * -1 with *out zeroed and the reason in err (e.g. "truncated JPEG data",
 * "PNG CRC error (IDAT chunk)", "not a JPEG or PNG image (starts with
 * GIF8)", "12000x12000 pixels is over the 50-megapixel limit"). err may be
 * NULL; the reason is cut to errlen. */
int img_check(const unsigned char *data, size_t len, struct img_info *out,
              char *err, size_t errlen);

/* "image/jpeg", "image/png"; "application/octet-stream" for IMG_NONE. */
const char *img_mime(enum img_format f);
/* "jpg", "png"; "" for IMG_NONE. */
const char *img_ext(enum img_format f);

#endif
