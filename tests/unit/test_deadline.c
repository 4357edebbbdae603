/* test_deadline.c — the whole-request deadline (daemon/deadline.c) on a
 * real loop and real sockets, and the log ration (daemon/lograte.c). */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <uv.h>

#include "deadline.h"
#include "lograte.h"
#include "runner.h"

struct seen {
  unsigned calls, expired;
};

static void on_expired(void *arg, unsigned n) {
  struct seen *s = arg;

  s->calls++;
  s->expired += n;
}

static void on_closed(void *arg) { *(int *)arg = 1; }

/* 1 when the peer of fd was shut down (reads the end of the stream). */
static int ended(int fd) {
  char c;

  return recv(fd, &c, 1, MSG_DONTWAIT) == 0;
}

static void close_deadline(uv_loop_t *loop, struct deadline *dl) {
  int closed = 0;

  deadline_close(dl, on_closed, &closed);
  uv_run(loop, UV_RUN_DEFAULT);
  ASSERT(closed);
}

TEST_IMPL(deadline_shuts_down_only_requests_not_in_time) {
  uv_loop_t loop;
  struct deadline dl;
  struct deadline_entry slow, done, again;
  struct seen seen = {0, 0};
  int a[2], b[2], c[2];

  memset(&slow, 0, sizeof slow);
  memset(&done, 0, sizeof done);
  memset(&again, 0, sizeof again);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, c), 0);
  ASSERT_EQ(uv_loop_init(&loop), 0);
  deadline_init(&dl, &loop, 100, on_expired, &seen);
  deadline_arm(&dl, &slow, a[0]);
  deadline_arm(&dl, &done, b[0]);
  deadline_arm(&dl, &again, c[0]);
  deadline_disarm(&done);    /* its request arrived */
  deadline_arm(&dl, &again, c[0]); /* re-armed: to the back, still due */
  deadline_disarm(&done);    /* twice is harmless */
  uv_run(&loop, UV_RUN_DEFAULT); /* the timer stops once the queue is empty */
  ASSERT_EQ(seen.expired, 2);
  ASSERT_EQ(dl.expired, 2);
  ASSERT(ended(a[1]));
  ASSERT(ended(c[1]));
  ASSERT(!ended(b[1]) && errno == EAGAIN);
  ASSERT(!slow.armed && !again.armed);
  close_deadline(&loop, &dl);
  ASSERT_EQ(uv_loop_close(&loop), 0);
  close(a[0]), close(a[1]), close(b[0]), close(b[1]), close(c[0]), close(c[1]);
  return TEST_OK;
}

TEST_IMPL(deadline_evicts_the_oldest_but_never_the_spared) {
  uv_loop_t loop;
  struct deadline dl;
  struct deadline_entry old, young;
  int a[2], b[2];

  memset(&old, 0, sizeof old);
  memset(&young, 0, sizeof young);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
  ASSERT_EQ(uv_loop_init(&loop), 0);
  deadline_init(&dl, &loop, 60000, NULL, NULL);
  dl.grace_ms = 0; /* the grace has its own test */
  deadline_arm(&dl, &old, a[0]);
  deadline_arm(&dl, &young, b[0]);
  ASSERT_EQ(deadline_evict_oldest(&dl, &young), 1);
  ASSERT(ended(a[1]));
  ASSERT_EQ(deadline_evict_oldest(&dl, &young), 0); /* only the spared one is left */
  ASSERT(!ended(b[1]));
  ASSERT_EQ(dl.evicted, 1);
  ASSERT_EQ(dl.expired, 0);
  close_deadline(&loop, &dl); /* young is dropped, its socket untouched */
  ASSERT(!ended(b[1]));
  ASSERT_EQ(uv_loop_close(&loop), 0);
  close(a[0]), close(a[1]), close(b[0]), close(b[1]);
  return TEST_OK;
}

static void on_evicted(void *arg) { (*(unsigned *)arg)++; }

/* Loop turns until the room is made (the timer may wake early on a busy
 * machine and wait again), for 5 s at most. */
static void until_made(uv_loop_t *loop, const unsigned *made) {
  uint64_t t0 = uv_hrtime();

  while (*made == 0 && uv_hrtime() - t0 < 5000000000ull)
    uv_run(loop, UV_RUN_ONCE);
}

/* A connection within its grace (a sixteenth of the limit: 100 ms of
 * 1.6 s) is not ended to make room; the room is owed and made by the timer
 * once it has had it, and not at all when a place freed meanwhile. */
TEST_IMPL(deadline_makes_room_only_after_the_grace) {
  uv_loop_t loop;
  struct deadline dl;
  struct deadline_entry first, second, third;
  unsigned made = 0;
  uint64_t t0;
  int a[2], b[2], c[2];

  memset(&first, 0, sizeof first);
  memset(&second, 0, sizeof second);
  memset(&third, 0, sizeof third);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, a), 0);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, b), 0);
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_STREAM, 0, c), 0);
  ASSERT_EQ(uv_loop_init(&loop), 0);
  deadline_init(&dl, &loop, 1600, NULL, NULL);
  dl.on_evicted = on_evicted;
  dl.arg = &made;
  ASSERT_EQ(dl.grace_ms, 100);
  t0 = uv_hrtime();
  deadline_arm(&dl, &first, a[0]);
  deadline_arm(&dl, &second, b[0]);
  ASSERT_EQ(deadline_evict_oldest(&dl, &second), -1); /* first is 0 ms old */
  ASSERT(!ended(a[1]));
  until_made(&loop, &made); /* the timer, at first's grace */
  ASSERT((uv_hrtime() - t0) / 1000000 >= 99);
  ASSERT_EQ(made, 1);
  ASSERT(ended(a[1]) && !first.armed);
  ASSERT(!ended(b[1]) && second.armed);
  ASSERT_EQ(dl.evicted, 1);
  /* Owed again, then a place freed by itself: nothing is ended. (second
   * is armed again, after third, so both are fresh.) */
  deadline_arm(&dl, &third, c[0]);
  deadline_arm(&dl, &second, b[0]);
  ASSERT_EQ(deadline_evict_oldest(&dl, &second), -1);
  deadline_room_made(&dl);
  usleep(150 * 1000);
  uv_run(&loop, UV_RUN_NOWAIT);
  ASSERT(second.armed && third.armed);
  ASSERT(!ended(b[1]) && !ended(c[1]));
  ASSERT_EQ(made, 1);
  ASSERT_EQ(dl.evicted, 1);
  close_deadline(&loop, &dl);
  ASSERT_EQ(uv_loop_close(&loop), 0);
  close(a[0]), close(a[1]), close(b[0]), close(b[1]), close(c[0]), close(c[1]);
  return TEST_OK;
}

TEST_IMPL(lograte_allows_a_burst_a_second) {
  struct lograte r;
  int i;

  lograte_init(&r, 3);
  for (i = 0; i < 3; i++)
    ASSERT(lograte_allow(&r, 5000 + (uint64_t)i));
  ASSERT(!lograte_allow(&r, 5003));
  ASSERT(!lograte_allow(&r, 5999));
  ASSERT(lograte_allow(&r, 6000)); /* a new second */
  ASSERT(lograte_allow(&r, 6001));
  ASSERT(lograte_allow(&r, 6002));
  ASSERT(!lograte_allow(&r, 6003));
  return TEST_OK;
}
