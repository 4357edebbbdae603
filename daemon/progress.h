/*
 * progress.h — how far a long run of jobs has come, for the operator.
 *
 * Every interval, while the outbox holds a backlog of at least
 * PROGRESS_MIN_BACKLOG jobs, one line: the jobs this daemon finished since
 * the backlog appeared, of how many in all (finished + still queued), the
 * rate over the last interval and the time left at that rate; and one line
 * when the backlog is gone. Several daemons on one database each count
 * their own share of the same backlog.
 */
#ifndef OCOP_PROGRESS_H
#define OCOP_PROGRESS_H

#include <uv.h>

#include "db.h"

#define PROGRESS_MIN_BACKLOG 200

typedef struct progress progress_t;

/* interval_ms 0: never logs. */
progress_t *progress_new(uv_loop_t *loop, db_t *db, unsigned interval_ms);
void progress_set_interval(progress_t *p, unsigned interval_ms);

/* One job finished by this daemon, whatever its outcome. */
void progress_finished(progress_t *p);

/* Stops asking (on drain); progress_close closes the timer and frees p
 * once a query in flight has answered. */
void progress_stop(progress_t *p);
void progress_close(progress_t *p, void (*closed_cb)(void *arg), void *arg);

#endif
