/*
 * deadline.h — a whole-request deadline for the connections of an HTTP
 * endpoint (prefix deadline_).
 *
 * libmicrohttpd's connection timeout is an idle timeout: a client that
 * sends one byte a second is never closed by it, and a few hundred such
 * clients hold every connection the endpoint allows. Here a connection is
 * armed when it opens (and again after each answer, for the next request
 * on a kept-alive connection) and disarmed once its request has arrived
 * whole; one still armed when its time is up has its socket shut down. The
 * HTTP server then sees the end of the stream at its next read and closes
 * the connection as it would for a client that went away, so the socket
 * is never closed behind its back.
 *
 * Every connection has the same limit, so the armed ones form a queue in
 * the order of their deadlines: arming appends, one timer waits for the
 * head. Everything runs on the caller's loop; nothing is locked.
 *
 * When the endpoint is full, the oldest armed connection is ended early to
 * make room, but never one younger than the grace (a sixteenth of the
 * limit): a client that connected has that long to send its request,
 * however fast others connect behind it. Room owed meanwhile is made by
 * the timer once the oldest has had its grace.
 */
#ifndef OCOP_DEADLINE_H
#define OCOP_DEADLINE_H

#include <stdint.h>
#include <uv.h>

struct deadline;

/* One connection; the owner allocates it (zeroed) and keeps it until the
 * connection is gone, disarmed. */
struct deadline_entry {
  struct deadline *dl;
  struct deadline_entry *prev, *next; /* in the armed queue */
  uint64_t due_ms;                    /* on the loop's clock (uv_now) */
  int fd;
  int armed;
};

struct deadline {
  uv_timer_t timer;
  uint64_t limit_ms;
  uint64_t grace_ms;                  /* never ended to make room before this age */
  int room_owed;                      /* the endpoint is full: end the oldest at its grace */
  struct deadline_entry *head, *tail; /* armed, earliest deadline first */
  unsigned long long expired;         /* connections shut down at their deadline */
  unsigned long long evicted;         /* shut down early, to make room */
  /* Told after a run of expiries (n of them), so that the server reads
   * the closed sockets at once. */
  void (*on_expired)(void *arg, unsigned n);
  /* Told after the timer made room that was owed. */
  void (*on_evicted)(void *arg);
  void *arg;
  void (*closed_cb)(void *arg);
  void *closed_arg;
};

void deadline_init(struct deadline *dl, uv_loop_t *loop, uint64_t limit_ms,
                   void (*on_expired)(void *arg, unsigned n), void *arg);
/* Starts the clock of e (socket fd) anew: its request must arrive whole
 * within limit_ms from now. */
void deadline_arm(struct deadline *dl, struct deadline_entry *e, int fd);
/* The request has arrived (or the connection is gone): no deadline. */
void deadline_disarm(struct deadline_entry *e);
/* The endpoint is full: ends the armed connection that has waited longest
 * for its request, unless that is `spare`, before its time. 1 when one was
 * shut down; 0 when none is armed but `spare`; -1 when the oldest is still
 * within its grace: the room is owed, and made by the timer (on_evicted)
 * unless deadline_room_made says first that it is no longer needed. */
int deadline_evict_oldest(struct deadline *dl, const struct deadline_entry *spare);
/* The endpoint has room again (a connection closed): nothing is owed. */
void deadline_room_made(struct deadline *dl);
/* Stops the timer and closes its handle; done(arg) once it is closed.
 * Entries still armed are dropped from the queue, untouched. */
void deadline_close(struct deadline *dl, void (*done)(void *arg), void *arg);

#endif
