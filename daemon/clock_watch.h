/*
 * clock_watch.h — noticing that the OCOP date changed.
 *
 * The date has one source: ocop_today() in the database (sql/logic/clock.sql),
 * the Asia/Ho_Chi_Minh date of the server's clock unless a test or the demo
 * pinned it. The watcher asks the database for it and calls back whenever
 * the answer changes. It asks just after the next 00:00 +07 by this
 * process's clock (clock.h) and never waits more than a minute, so a clock
 * that jumps (NTP step, suspend, a VM restored) is noticed within a minute;
 * a pin is noticed at once through clock_watch_poke (NOTIFY). A daemon
 * started after midnight has already swept at start.
 */
#ifndef OCOP_CLOCK_WATCH_H
#define OCOP_CLOCK_WATCH_H

#include <uv.h>

#include "db.h"

typedef struct clock_watch clock_watch_t;
/* new_date is "YYYY-MM-DD". */
typedef void (*clock_day_cb)(void *arg, const char *new_date);

/* Asks `db` for ocop_today() now and at every wake-up; the first answer is
 * the baseline, each later change calls cb. */
clock_watch_t *clock_watch_start(uv_loop_t *loop, db_t *db, clock_day_cb cb, void *arg);
/* Asks again now (the date was pinned, or the connection came back). */
void clock_watch_poke(clock_watch_t *w);
/* Closes the timer; frees the watcher once it is closed. */
void clock_watch_stop(clock_watch_t *w);

#endif
