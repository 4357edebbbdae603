/* deadline.c — see deadline.h. */
#include "deadline.h"

#include <sys/socket.h>

#include "ms.h"

/* Times are read from the monotonic clock itself (ms_mono), not the loop's
 * cached time: a connection accepted late in a long loop turn still gets
 * its whole limit. */

static void unlink_entry(struct deadline *dl, struct deadline_entry *e) {
  if (e->prev)
    e->prev->next = e->next;
  else
    dl->head = e->next;
  if (e->next)
    e->next->prev = e->prev;
  else
    dl->tail = e->prev;
  e->prev = e->next = NULL;
  e->armed = 0;
}

static void on_timer(uv_timer_t *t);

/* When the head has had its grace: it was armed limit_ms before its due. */
static uint64_t grace_end(const struct deadline *dl) {
  return dl->head->due_ms - dl->limit_ms + dl->grace_ms;
}

/* The timer waits for the head of the queue (its deadline, or its grace
 * when room is owed), or stops when it is empty. */
static void schedule(struct deadline *dl) {
  uint64_t now = ms_mono(), at;

  if (!dl->head) {
    dl->room_owed = 0;
    uv_timer_stop(&dl->timer);
    return;
  }
  at = dl->head->due_ms;
  if (dl->room_owed && grace_end(dl) < at)
    at = grace_end(dl);
  /* The loop's cached time may be behind ms_mono: a timer counted from it
   * would fire early, find nothing due and wait again. */
  uv_update_time(dl->timer.loop);
  uv_timer_start(&dl->timer, on_timer, at > now ? at - now : 0, 0);
}

/* Both ways: the client's half-sent request is never read on, and the
 * server's next read ends the connection. */
static void end_head(struct deadline *dl) {
  struct deadline_entry *e = dl->head;

  unlink_entry(dl, e);
  shutdown(e->fd, SHUT_RDWR);
}

static void on_timer(uv_timer_t *t) {
  struct deadline *dl = t->data;
  uint64_t now = ms_mono();
  unsigned n = 0;

  int evicted = 0;

  while (dl->head && dl->head->due_ms <= now) {
    end_head(dl);
    n++;
  }
  dl->expired += n;
  if (n > 0) /* a place is freed anyway */
    dl->room_owed = 0;
  if (dl->room_owed && dl->head && grace_end(dl) <= now) {
    end_head(dl);
    dl->evicted++;
    dl->room_owed = 0;
    evicted = 1;
  }
  schedule(dl);
  if (n > 0 && dl->on_expired)
    dl->on_expired(dl->arg, n);
  if (evicted && dl->on_evicted)
    dl->on_evicted(dl->arg);
}

void deadline_init(struct deadline *dl, uv_loop_t *loop, uint64_t limit_ms,
                   void (*on_expired)(void *arg, unsigned n), void *arg) {
  dl->head = dl->tail = NULL;
  dl->limit_ms = limit_ms;
  dl->grace_ms = limit_ms / 16;
  dl->room_owed = 0;
  dl->expired = dl->evicted = 0;
  dl->on_expired = on_expired;
  dl->on_evicted = NULL;
  dl->arg = arg;
  dl->closed_cb = NULL;
  dl->closed_arg = NULL;
  uv_timer_init(loop, &dl->timer);
  dl->timer.data = dl;
}

void deadline_arm(struct deadline *dl, struct deadline_entry *e, int fd) {
  if (e->armed)
    unlink_entry(e->dl, e);
  e->dl = dl;
  e->fd = fd;
  e->due_ms = ms_mono() + dl->limit_ms;
  e->armed = 1;
  e->prev = dl->tail;
  e->next = NULL;
  if (dl->tail)
    dl->tail->next = e;
  else
    dl->head = e;
  dl->tail = e;
  /* Every entry has the same limit, so a running timer is already due no
   * later than this one. */
  if (!uv_is_active((uv_handle_t *)&dl->timer))
    schedule(dl);
}

void deadline_disarm(struct deadline_entry *e) {
  if (e->armed)
    unlink_entry(e->dl, e);
}

int deadline_evict_oldest(struct deadline *dl, const struct deadline_entry *spare) {
  if (!dl->head || dl->head == spare)
    return 0;
  if (grace_end(dl) > ms_mono()) {
    dl->room_owed = 1;
    schedule(dl);
    return -1;
  }
  end_head(dl);
  dl->evicted++;
  dl->room_owed = 0;
  schedule(dl);
  return 1;
}

void deadline_room_made(struct deadline *dl) {
  if (!dl->room_owed)
    return;
  dl->room_owed = 0;
  schedule(dl);
}

static void on_closed(uv_handle_t *h) {
  struct deadline *dl = h->data;

  if (dl->closed_cb)
    dl->closed_cb(dl->closed_arg);
}

void deadline_close(struct deadline *dl, void (*done)(void *arg), void *arg) {
  while (dl->head)
    unlink_entry(dl, dl->head);
  dl->closed_cb = done;
  dl->closed_arg = arg;
  uv_timer_stop(&dl->timer);
  uv_close((uv_handle_t *)&dl->timer, on_closed);
}
