/*
 * hook_abuse.h — abusive clients of ocopd's push endpoint, on real
 * sockets, in a thread of their own (prefix abuse_).
 *
 * A group is a number of connections from one loopback source address
 * (all of 127.0.0.0/8 is the loopback interface, so a test can be many
 * clients and meet a per-address limit honestly). Its connections are
 *   - slow: a push whose headers (ABUSE_SLOW_HEADERS) or body
 *     (ABUSE_SLOW_BODY) never end, one byte every trickle_ms, often enough
 *     that no idle timeout ever closes them; or
 *   - forged: a complete, well-formed Shopee push whose signature is wrong,
 *     sent whole, its answer read, and again on a new connection.
 * With `reopen`, a connection the server closed is opened again (after
 * reopen_ms) until duration_ms is over; then the engine waits up to
 * drain_ms for the server to close what is still open, and stops. A slow
 * connection the server closed held_ms or more after connect() counts as
 * held (kept to its deadline), a quicker close as refused.
 */
#ifndef OCOP_ITEST_HOOK_ABUSE_H
#define OCOP_ITEST_HOOK_ABUSE_H

#include <pthread.h>
#include <stddef.h>

enum abuse_kind { ABUSE_SLOW_HEADERS, ABUSE_SLOW_BODY, ABUSE_FORGED };

struct abuse_group {
  char addr[16]; /* source address, 127.x.y.z */
  int count;     /* connections open at once */
  enum abuse_kind kind;
  int reopen;
  /* Results, once joined. */
  long opened;
  long closed;        /* by the server */
  long left_open;     /* still open when the engine stopped */
  long held;          /* slow: closed by the server held_ms or more after connect() */
  long max_life_ms;   /* slow: the longest from connect() to the server's close */
  long answered_401;  /* forged: answers 401 */
  long answered_other;
  long unanswered;    /* forged: closed without a whole status line */
};

struct abuse {
  int port;
  int trickle_ms;
  int reopen_ms;
  int duration_ms;
  int drain_ms;
  long held_ms;
  struct abuse_group *groups;
  int ngroups;
  /* Results. */
  long max_slow_open; /* slow connections open at once, at most (client's view) */
  pthread_t thread;
};

/* Starts the engine on a thread; aborts the test when it cannot. */
void abuse_start(struct abuse *a);
/* Waits for it to stop (duration_ms + drain_ms at most). */
void abuse_join(struct abuse *a);

#endif
