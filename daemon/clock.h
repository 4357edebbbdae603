/*
 * clock.h — the OCOP calendar: dates in Asia/Ho_Chi_Minh.
 *
 * Vietnam keeps UTC+7 all year (no DST), so the OCOP date of an instant is
 * plain arithmetic on UTC time; the machine's own timezone never enters.
 * The watcher fires a callback whenever that date changes: armed for the
 * next 00:00 +07, but never for more than a minute, so a clock that jumps
 * (NTP step, suspend, a VM restored) is noticed within a minute, and a
 * daemon started after midnight has already swept at start.
 */
#ifndef OCOP_CLOCK_H
#define OCOP_CLOCK_H

#include <stdint.h>
#include <uv.h>

#define CLOCK_VN_OFFSET_S (7 * 3600)

/* Days since 1970-01-01 of the OCOP date of unix time t (seconds). */
int64_t clock_vn_day(int64_t unix_s);
/* "YYYY-MM-DD" of that day into buf (>= 11 bytes). */
void clock_vn_date(int64_t unix_s, char *buf);
/* Milliseconds from unix_ms until the next 00:00 in Asia/Ho_Chi_Minh (> 0). */
int64_t clock_ms_to_vn_midnight(int64_t unix_ms);

typedef struct clock_watch clock_watch_t;
/* new_date is "YYYY-MM-DD". */
typedef void (*clock_day_cb)(void *arg, const char *new_date);

clock_watch_t *clock_watch_start(uv_loop_t *loop, clock_day_cb cb, void *arg);
/* Closes the timer; frees the watcher once it is closed. */
void clock_watch_stop(clock_watch_t *w);

#endif
