/* backoff.c — see backoff.h. */
#include "backoff.h"

uint64_t backoff_delay_ms(unsigned attempt, uint64_t base_ms, uint64_t max_ms,
                          uint64_t retry_after_ms, uint32_t rnd) {
  uint64_t d = base_ms;
  unsigned i;

  for (i = 1; i < attempt && d < max_ms; i++)
    d *= 2;
  if (d > max_ms)
    d = max_ms;
  d = (d - d / 2) + (d / 2) * (uint64_t)rnd / UINT32_MAX;
  return retry_after_ms > d ? retry_after_ms : d;
}
