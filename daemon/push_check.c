/* push_check.c — see push_check.h. */
#include "push_check.h"

#include <stdlib.h>

#include "connector.h"
#include "jsondepth.h"
#include "utf8.h"

/* How far ahead of our clock a marketplace's stamp may be. */
#define PUSH_CHECK_AHEAD_S 300

int push_check_length(const char *content_length, const char **why) {
  if (content_length && strtoull(content_length, NULL, 10) > OC_MAX_PUSH) {
    *why = "Content-Length over the push limit";
    return 413;
  }
  return 0;
}

int push_check_body(const char *body, size_t len, int too_big, const char **why) {
  if (too_big) {
    *why = "larger than the push limit";
    return 413;
  }
  if (!jsondepth_ok(body ? body : "", len, PUSH_CHECK_MAX_DEPTH, NULL)) {
    *why = "nested deeper than 32";
    return 400;
  }
  /* A malformed body is the sender's mistake (400), signed or not; 401
   * stays for a signature that does not verify. */
  if (!utf8_valid(body ? body : "", len, NULL)) {
    *why = "the body is not UTF-8";
    return 400;
  }
  return 0;
}

int push_check_age(int64_t stamp, int64_t now, unsigned max_age_s, const char **why) {
  /* A negative stamp (no connector passes one) is as old as can be, and
   * never gets near an overflow. */
  if (stamp && (stamp < 0 || now - stamp > (int64_t)max_age_s ||
                stamp - now > PUSH_CHECK_AHEAD_S)) {
    *why = "timestamp outside webhook_max_age: refused as a replay";
    return 400;
  }
  return 0;
}
