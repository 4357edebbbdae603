/*
 * lograte.h — at most a few log lines a second for one kind of event
 * (prefix lograte_).
 *
 * A flood of forged pushes or of slow clients must not become a flood of
 * log lines: each line costs more than refusing the request did, and fills
 * the journal that an operator needs for everything else. An event that
 * may be logged asks first; past `burst` lines in one second the rest are
 * only counted by their caller, whose next line carries the running total.
 */
#ifndef OCOP_LOGRATE_H
#define OCOP_LOGRATE_H

#include <stdint.h>

struct lograte {
  unsigned burst;     /* lines per second at most */
  uint64_t window_ms; /* the start of the second being counted (monotonic ms) */
  unsigned used;      /* lines written in it */
};

void lograte_init(struct lograte *r, unsigned burst);
/* 1 when an event at now_ms may be logged, 0 when it must not be. */
int lograte_allow(struct lograte *r, uint64_t now_ms);

#endif
