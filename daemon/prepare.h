/*
 * prepare.h — what a publish or update needs before it is sent (prefix
 * prep_): the category's rules read and stored, the listing's images
 * uploaded to the shop, or the reason it cannot be sent.
 *
 * Each step is committed on its own (ocop_store_rules, ocop_record_upload)
 * and the job is then deferred and claimed again, so the claim recomputes
 * the content with what was learnt: a kill -9 between an upload and the
 * publish that uses it costs at most one upload again, never a listing.
 * Two jobs of one shop that need the same image never upload it at once:
 * the second waits for the first.
 */
#ifndef OCOP_PREPARE_H
#define OCOP_PREPARE_H

#include <stdint.h>

#include "call.h"
#include "db.h"
#include "job.h"

typedef struct prep prep_t;

enum prep_result {
  PREP_SEND,   /* the content is ready and applied to job->listing */
  PREP_HELD,   /* the listing cannot be sent: `why` says what it lacks */
  PREP_AGAIN,  /* a step was done, or something is awaited: claim again
                  after wait_ms without counting an attempt */
  PREP_FAILED  /* a marketplace call (or storing its answer) failed: res
                  says how, as for any call */
};

typedef void (*prep_cb)(struct job *job, enum prep_result r, const call_result *res,
                        const char *why, uint64_t wait_ms);

/* wake_media runs when a job waits for images not checked yet. */
prep_t *prep_new(db_t *db, void (*wake_media)(void *arg), void *arg);
void prep_free(prep_t *p);

/* Prepares job (which has content.present set); cb runs once. */
void prep_start(prep_t *p, struct job *job, const struct call_env *env, const char *cred_dir,
                prep_cb cb);

#endif
