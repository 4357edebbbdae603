/*
 * joblog.h — the lines an operator reads about jobs that went wrong.
 *
 * A failed attempt, a rejection and a dead job are logged once per shop and
 * error: the first at once, with the full reason, and the ones like it that
 * follow within JOBLOG_WINDOW_MS as one line with their count (each one is
 * still logged at debug). Errors that differ only in numbers (job ids,
 * request ids, attempts) count as the same. A dead job's line says what to
 * do about it.
 */
#ifndef OCOP_JOBLOG_H
#define OCOP_JOBLOG_H

#include <uv.h>

#include "job.h"

#define JOBLOG_WINDOW_MS 30000

typedef struct joblog joblog_t;

joblog_t *joblog_new(uv_loop_t *loop);

/* An attempt that failed and will be retried (retry = 1), or was rejected
 * and is not (retry = 0; the job may be dead next). */
void joblog_failed(joblog_t *jl, const struct job *job, int retry, unsigned long long retry_ms,
                   const char *err);

/* A job given up on: its reason and the operator's next step. */
void joblog_dead(joblog_t *jl, const struct job *job, const char *err);

/* Logs what is still counted, then closes; closed_cb(arg) runs once the
 * timer is closed and jl is freed. */
void joblog_close(joblog_t *jl, void (*closed_cb)(void *arg), void *arg);

/* The operator's next step for a dead job with this error (exposed for the
 * unit tests). */
const char *joblog_dead_hint(const char *err);

#endif
