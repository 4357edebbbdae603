/* drain.c — see drain.h. */
#include "drain.h"

#include <stddef.h>

void drain_begin(struct drain *d, void (*done)(void *arg), void *arg) {
  d->active = 1;
  d->cb = done;
  d->arg = arg;
}

void drain_check(struct drain *d, int idle) {
  if (d->active && idle && d->cb) {
    void (*cb)(void *) = d->cb;

    /* Cleared first: the callback may free the worker. */
    d->cb = NULL;
    cb(d->arg);
  }
}
