/*
 * fuzz_image.c — lib/image.c, the JPEG and PNG checks run on every product
 * image before it is sent. Checks image.h's promises: an accepted image
 * has a format, sides within the limits and the SHA-256 of the bytes; a
 * refused one a zeroed result and a reason.
 */
#include "fuzz.h"

#include "image.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct img_info info;
  char err[200];

  if (img_check(data, size, &info, err, sizeof err) == 0) {
    fz_assert(info.format == IMG_JPEG || info.format == IMG_PNG);
    fz_assert(info.width >= 1 && info.width <= IMG_MAX_SIDE);
    fz_assert(info.height >= 1 && info.height <= IMG_MAX_SIDE);
    fz_assert((long)info.width * info.height <= IMG_MAX_PIXELS);
    fz_assert(info.bytes == size && strlen(info.sha256) == 64);
  } else {
    fz_assert(info.format == IMG_NONE && info.width == 0 && info.height == 0);
    fz_assert(err[0] != '\0' && fz_terminated(err, sizeof err));
  }
  return 0;
}
