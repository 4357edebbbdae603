/* ratelimit.c — see ratelimit.h. */
#include "ratelimit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct bucket {
  struct bucket *next;
  long long shop_id;
  double tokens;
  double rate;
  uint64_t last_ms;
  uint64_t paused_until_ms;
};

/* A list is enough: a daemon serves dozens of shops, not thousands. */
struct ratelimit {
  struct bucket *head;
};

ratelimit_t *rl_new(void) { return calloc(1, sizeof(ratelimit_t)); }

void rl_free(ratelimit_t *rl) {
  if (!rl)
    return;
  while (rl->head) {
    struct bucket *next = rl->head->next;

    free(rl->head);
    rl->head = next;
  }
  free(rl);
}

static struct bucket *find(const ratelimit_t *rl, long long shop_id) {
  struct bucket *b;

  for (b = rl->head; b; b = b->next)
    if (b->shop_id == shop_id)
      return b;
  return NULL;
}

static struct bucket *get(ratelimit_t *rl, long long shop_id, double burst, uint64_t now_ms) {
  struct bucket *b = find(rl, shop_id);

  if (b)
    return b;
  b = calloc(1, sizeof *b);
  if (!b)
    return NULL;
  b->shop_id = shop_id;
  b->tokens = burst;
  b->last_ms = now_ms;
  b->next = rl->head;
  rl->head = b;
  return b;
}

static void refill(struct bucket *b, double rate, double burst, uint64_t now_ms) {
  if (now_ms > b->last_ms) {
    b->tokens += rate * (double)(now_ms - b->last_ms) / 1000.0;
    if (b->tokens > burst)
      b->tokens = burst;
    b->last_ms = now_ms;
  }
  b->rate = rate;
}

uint64_t rl_take(ratelimit_t *rl, long long shop_id, double rate, double burst, uint64_t now_ms) {
  struct bucket *b = find(rl, shop_id);

  /* The marketplace's Retry-After holds whether or not ocopd has a rate
   * of its own for the shop. */
  if (b && b->paused_until_ms > now_ms)
    return b->paused_until_ms - now_ms;
  if (rate <= 0)
    return 0; /* no limit configured */
  if (burst < 1)
    burst = 1;
  b = get(rl, shop_id, burst, now_ms);
  if (!b)
    return 0;
  if (b->paused_until_ms > now_ms)
    return b->paused_until_ms - now_ms;
  refill(b, rate, burst, now_ms);
  if (b->tokens >= 1.0) {
    b->tokens -= 1.0;
    return 0;
  }
  return (uint64_t)((1.0 - b->tokens) * 1000.0 / rate) + 1;
}

uint64_t rl_charge(ratelimit_t *rl, long long shop_id, double rate, double burst,
                   uint64_t now_ms) {
  struct bucket *b = find(rl, shop_id);

  /* Debt is ocopd's own pace; a marketplace's Retry-After is not ours to
   * borrow against. */
  if (b && b->paused_until_ms > now_ms)
    return b->paused_until_ms - now_ms;
  if (rate <= 0)
    return 0;
  if (burst < 1)
    burst = 1;
  b = get(rl, shop_id, burst, now_ms);
  if (!b)
    return 0;
  refill(b, rate, burst, now_ms);
  b->tokens -= 1.0;
  return 0;
}

void rl_pause(ratelimit_t *rl, long long shop_id, uint64_t until_ms) {
  struct bucket *b = get(rl, shop_id, 1, until_ms);

  if (b && until_ms > b->paused_until_ms) {
    b->paused_until_ms = until_ms;
    b->tokens = 0; /* resume gently after the pause */
    b->last_ms = until_ms;
  }
}

uint64_t rl_paused_ms(const ratelimit_t *rl, long long shop_id, uint64_t now_ms) {
  const struct bucket *b = find(rl, shop_id);

  return b && b->paused_until_ms > now_ms ? b->paused_until_ms - now_ms : 0;
}

int rl_limited(const ratelimit_t *rl, long long shop_id, uint64_t now_ms) {
  const struct bucket *b = find(rl, shop_id);
  double tokens;

  if (!b)
    return 0;
  if (b->paused_until_ms > now_ms)
    return 1;
  tokens = b->tokens + (now_ms > b->last_ms ? b->rate * (double)(now_ms - b->last_ms) / 1000.0 : 0);
  return b->rate > 0 && tokens < 1.0;
}

size_t rl_limited_shops(const ratelimit_t *rl, uint64_t now_ms, char *buf, size_t len) {
  const struct bucket *b;
  size_t n = 0, pos;

  pos = (size_t)snprintf(buf, len, "{");
  for (b = rl->head; b && pos < len; b = b->next)
    if (rl_limited(rl, b->shop_id, now_ms))
      pos += (size_t)snprintf(buf + pos, len - pos, "%s%lld", n++ ? "," : "", b->shop_id);
  if (pos < len)
    snprintf(buf + pos, len - pos, "}");
  else if (len > 1) /* too many to name: name none rather than a broken literal */
    snprintf(buf, len, "{}"), n = 0;
  return n;
}
