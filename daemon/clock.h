/*
 * clock.h — the OCOP calendar: dates in Asia/Ho_Chi_Minh.
 *
 * Vietnam keeps UTC+7 all year (no DST), so the OCOP date of an instant is
 * plain arithmetic on UTC time; the machine's own timezone never enters.
 * ocop_date_at() in sql/logic/clock.sql is the same rule on the server's
 * clock; clock_watch.h uses this one to know when to ask it.
 */
#ifndef OCOP_CLOCK_H
#define OCOP_CLOCK_H

#include <stdint.h>

#define CLOCK_VN_OFFSET_S (7 * 3600)

/* Days since 1970-01-01 of the OCOP date of unix time t (seconds). */
int64_t clock_vn_day(int64_t unix_s);
/* "YYYY-MM-DD" of that day into buf (>= 11 bytes). */
void clock_vn_date(int64_t unix_s, char *buf);
/* Milliseconds from unix_ms until the next 00:00 in Asia/Ho_Chi_Minh (> 0). */
int64_t clock_ms_to_vn_midnight(int64_t unix_ms);

#endif
