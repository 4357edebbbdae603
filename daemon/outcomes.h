/*
 * outcomes.h — job outcomes written to the database in batches.
 *
 * Recording an outcome is a short transaction whose cost is mostly its
 * commit; one at a time, they bound the whole outbox. Outcomes that arrive
 * while a batch is being written wait for the next one, so a lone outcome
 * goes out at once and a busy outbox sends hundreds per statement and per
 * transaction (ocop_finish_jobs, sql/logic/outbox.sql). No timer delays
 * anything.
 *
 * When a batch fails as a whole (a deadlock, a bad row), each of its
 * outcomes is sent again on its own (ocop_finish_job), so one bad outcome
 * never costs the others theirs; not after a lock timeout (the connection
 * sets one), when they would only wait again. An outcome that is not
 * recorded at all loses nothing: its job's lease expires and the job runs
 * again.
 */
#ifndef OCOP_OUTCOMES_H
#define OCOP_OUTCOMES_H

#include "db.h"

/* ocop_finish_job's arguments, in its order. */
#define OUTCOME_NPARAMS 13

typedef struct outcomes outcomes_t;

/* state: the job's new state ('done', 'pending', 'dead', 'held', 'stale'),
 * or NULL with err set. */
typedef void (*outcomes_cb)(void *arg, const char *state, const char *err);

struct outcomes_stats {
  unsigned long long batches;  /* statements sent */
  unsigned long long recorded; /* outcomes they carried */
  unsigned long long singles;  /* outcomes sent again on their own */
  unsigned largest;            /* the largest batch */
};

outcomes_t *outcomes_new(db_t *db, unsigned max_batch);

/* Queues one outcome; params[0] is the job id. The strings are copied.
 * Returns 0, or -1 when out of memory or the database is closing (cb is
 * not called then). */
int outcomes_add(outcomes_t *o, const char *const params[OUTCOME_NPARAMS], outcomes_cb cb,
                 void *arg);

/* Outcomes queued or being written. */
unsigned outcomes_pending(const outcomes_t *o);

void outcomes_get_stats(const outcomes_t *o, struct outcomes_stats *st);

/* Only once outcomes_pending() is 0. */
void outcomes_free(outcomes_t *o);

#endif
