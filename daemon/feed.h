/*
 * feed.h — file channels: writes a shop's whole catalogue feed.
 *
 * A connector with OC_CAP_FEED (PostMart: no API) sends nothing. The outbox
 * finishes its jobs at once and marks the shop dirty here; one debounce
 * timer later (FEED_DEBOUNCE_MS) each dirty shop's listings are read from
 * listing_target, rendered with the connector's feed() and written
 * atomically: <export_dir>/.<shop>.csv.tmp is written, fsynced and renamed
 * to <export_dir>/<shop>.csv, export_dir being the shop option. A listing
 * that is delisted is an inactive row; one not yet published is left out.
 *
 * Writes that fail are tried again after FEED_RETRY_MS. At start-up every
 * file-channel shop is marked dirty, which repairs a crash between a job's
 * outcome and the write.
 */
#ifndef OCOP_FEED_H
#define OCOP_FEED_H

#include <uv.h>

#include "db.h"
#include "registry.h"

#define FEED_DEBOUNCE_MS 1000
#define FEED_RETRY_MS 30000

typedef struct feeds feeds_t;

/* idle_cb runs whenever a batch of writes ends (the outbox's drain check). */
feeds_t *feed_new(uv_loop_t *loop, db_t *db, const struct registry *reg,
                  void (*idle_cb)(void *arg), void *arg);
/* reg is borrowed from the outbox, which holds a reference and passes
 * every new generation on; feeds use connectors only inside a callback. */
void feed_set_registry(feeds_t *f, const struct registry *reg);
/* The shop's listings changed: write its feed soon. */
void feed_mark_dirty(feeds_t *f, long long shop_id);
/* Marks every shop whose connector writes a feed (start-up). */
void feed_mark_all(feeds_t *f);
/* Stops waiting: writes what is dirty now, and from now on at once and
 * without retries. */
void feed_flush(feeds_t *f);
/* 1 while a query or a write is in flight or queued. */
int feed_busy(const feeds_t *f);
/* Closes the timer and frees f; call when not busy. */
void feed_close(feeds_t *f, void (*closed_cb)(void *arg), void *arg);

#endif
