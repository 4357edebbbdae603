/*
 * ms.h — the two clocks in milliseconds, written once.
 *
 * ms_mono() is for intervals, deadlines and timers: it never jumps.
 * ms_wall() is Unix time, for what the outside world checks (marketplaces
 * sign the real time) and for the OCOP calendar (daemon/clock.h).
 */
#ifndef OCOP_MS_H
#define OCOP_MS_H

#include <stdint.h>
#include <uv.h>

static inline uint64_t ms_mono(void) { return (uint64_t)(uv_hrtime() / 1000000); }

static inline int64_t ms_wall(void) {
  uv_timeval64_t tv;

  uv_gettimeofday(&tv);
  return (int64_t)tv.tv_sec * 1000 + tv.tv_usec / 1000;
}

#endif
