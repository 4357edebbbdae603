/*
 * drain.h — a worker's drain at shutdown: asked for once with a callback,
 * which is called once, when the worker has nothing in flight any more
 * (prefix drain_). The outbox, the order poller and the stock read-back
 * each keep one.
 */
#ifndef OCOP_DRAIN_H
#define OCOP_DRAIN_H

struct drain {
  int active; /* asked for: start nothing new */
  void (*cb)(void *arg);
  void *arg;
};

/* Asks for the drain; done(arg) comes from a later drain_check(). */
void drain_begin(struct drain *d, void (*done)(void *arg), void *arg);

/* With the drain asked for and idle set, calls its callback, only once. */
void drain_check(struct drain *d, int idle);

#endif
