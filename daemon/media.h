/*
 * media.h — reading and checking the catalogue's images (prefix media_).
 *
 * ocopd reads each product image (a file under media_dir, or an https URL),
 * checks it with lib/image.c on libuv's thread pool (format, size, a full
 * decode: a truncated or corrupt image is refused) and records its bytes
 * once per content hash, or why it cannot be used (ocop_media_checked in
 * sql/logic/content.sql). Images are read when the catalogue names them and
 * again every media_rescan, so a file replaced in place is uploaded again.
 */
#ifndef OCOP_MEDIA_H
#define OCOP_MEDIA_H

#include <uv.h>

#include "db.h"

typedef struct media media_t;

struct media_options {
  const char *dir;      /* "" or NULL: only https images */
  unsigned rescan_ms;   /* 0: never read an image again */
  unsigned interval_ms; /* how often to look for images to read */
  long timeout_ms;      /* one image download */
};

media_t *media_new(uv_loop_t *loop, db_t *db, const struct media_options *opt);
void media_reconfigure(media_t *m, const struct media_options *opt);
int media_start(media_t *m);
/* Looks for images to read now (a job waits for one). */
void media_wake(void *m);
/* 1 while images are being read or recorded. */
int media_busy(const media_t *m);
void media_close(media_t *m, void (*done)(void *arg), void *arg);

#endif
