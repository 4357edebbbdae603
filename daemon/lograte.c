/* lograte.c — see lograte.h. */
#include "lograte.h"

void lograte_init(struct lograte *r, unsigned burst) {
  r->burst = burst;
  r->window_ms = 0;
  r->used = 0;
}

int lograte_allow(struct lograte *r, uint64_t now_ms) {
  if (r->used == 0 || now_ms - r->window_ms >= 1000) {
    r->window_ms = now_ms;
    r->used = 0;
  }
  if (r->used >= r->burst)
    return 0;
  r->used++;
  return 1;
}
