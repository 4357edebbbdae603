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
