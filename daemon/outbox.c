/* outbox.c — see outbox.h. */
#include "outbox.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backoff.h"
#include "call.h"
#include "job.h"
#include "drain.h"
#include "log.h"
#include "metrics.h"
#include "ratelimit.h"
#include "feed.h"
#include "token.h"
#include "ms.h"
#include "pace.h"
#include "prepare.h"
#include "joblog.h"
#include "outcomes.h"
#include "progress.h"

struct outbox {
  uv_loop_t *loop;
  db_t *db;       /* claims and outcomes: the hot path */
  db_t *sweep_db; /* sweeps, which take long on a large catalogue */
  http_t *http;
  struct registry *reg; /* held: the generation new jobs start with */
  struct outbox_options opt;
  char owner[128];
  char cred_dir[1024];
  int has_cred_dir;
  char rates[256];
  ratelimit_t *rl;
  token_mgr_t *tm;
  struct pace pace;    /* rl, tm and rates as the calls' hooks (daemon/pace.h) */
  feeds_t *feeds;      /* file channels (OC_CAP_FEED) */
  uv_timer_t poll_timer;
  uv_timer_t sweep_timer;
  uv_timer_t lease_timer; /* renews the leases of the jobs in flight */
  int renewing;        /* a renewal query is in flight */
  int claiming;        /* a claim query is in flight */
  unsigned asked;      /* how many jobs that query asked for */
  int more;            /* jobs may be waiting: claim when there is room */
  int sweeping;
  struct drain drain; /* daemon/drain.h */
  int closed_handles;
  int feeds_marked;    /* every feed was marked dirty once, at start */
  struct outbox_stats st;
  prep_t *prep;        /* what a publish or update needs first (daemon/prepare.h) */
  joblog_t *jl;        /* failures, grouped (daemon/joblog.h) */
  progress_t *prog;    /* a long run's progress lines (daemon/progress.h) */
  outcomes_t *outs;    /* outcomes, written in batches (daemon/outcomes.h) */
  void (*wake_media)(void *arg);
  void *media;
};

/* What a finished call means for the job; outcome_names are
 * ocop_finish_job's words for them. */
enum outcome_kind {
  OUT_OK, OUT_ADOPTED, OUT_RETRY, OUT_REJECTED, OUT_NOT_FOUND, OUT_DEFER, OUT_HELD, OUT_REFUSED,
  OUT_UNKNOWN, OUT_CREATE_LOST, OUT_DEFER_UNSENT
};

static const char *const outcome_names[] = {"ok",        "adopted", "retry",   "rejected",
                                            "not_found", "defer",   "held",    "refused",
                                            "unknown",   "create_lost", "defer_unsent"};

struct outcome {
  enum outcome_kind kind;
  char error[400]; /* as call_result.message: connector error, request id */
  const char *item_id;
  uint64_t retry_ms;
};

/* VARIANTS calls one job may make after its look-up. */
#define JOB_MAX_VARIANT_STEPS 8

static void claim(outbox_t *ob);
static void job_call(struct job *job, oc_op op);
static void finish_simple(struct job *job, enum outcome_kind kind, const char *error);
static void variants_step(struct job *job, const oc_listing_result *r);
static void finish_created(struct job *job, const char *why);

static void check_drained(outbox_t *ob) {
  drain_check(&ob->drain, ob->st.inflight == 0 && !ob->claiming && !ob->sweeping && !ob->renewing &&
                              token_inflight(ob->tm) == 0 && !feed_busy(ob->feeds));
}

/* ---- finishing ---------------------------------------------------------- */

/* A listing taken down, or stripped of its OCOP claims, says why: the
 * operator must be able to answer a cooperative asking where its product
 * went. */
static void log_withdrawal(const struct job *job) {
  if (!job->why)
    return;
  log_info("outbox", job->kind == JOB_DELIST ? "listing withdrawn" : "OCOP claims removed",
           "shop=%s sku=%s item=%s why=%s", job->shop_name, job->listing.sku,
           job->listing.item_id ? job->listing.item_id : "-", job->why);
}

static void on_finished(void *arg, const char *state, const char *err) {
  struct job *job = arg;
  outbox_t *ob = job->owner;
  uint64_t ms = ms_mono() - job->started_ms;

  if (err) {
    /* The lease will expire and another attempt will follow: nothing lost. */
    log_error("outbox", "cannot record job outcome; it will be retried after its lease",
              "job=%lld shop=%s sku=%s err=%s", job->id, job->shop_name, job->listing.sku, err);
  } else if (strcmp(state, "done") == 0) {
    ob->st.done++;
    log_withdrawal(job);
    log_debug("outbox", "job done", "job=%lld kind=%s shop=%s sku=%s item=%s ms=%llu", job->id,
             job->kind_name, job->shop_name, job->listing.sku,
             job->found_item[0] ? job->found_item : (job->listing.item_id ? job->listing.item_id : "-"),
             (unsigned long long)ms);
  } else if (strcmp(state, "dead") == 0) {
    ob->st.dead++;
    joblog_dead(ob->jl, job, job->last_error ? job->last_error : "-");
  } else if (strcmp(state, "held") == 0) {
    /* Logged once: a held job is not queued again until the catalogue
     * changes what it would send. */
    ob->st.held++;
    log_warn("outbox", "listing held: it lacks what its marketplace requires",
             "job=%lld kind=%s shop=%s sku=%s reason=%s", job->id, job->kind_name,
             job->shop_name, job->listing.sku, job->held_why ? job->held_why : "-");
  } else if (strcmp(state, "pending") == 0) {
    ob->st.retried++;
  } else {
    ob->st.skipped++;
  }
  if (!err)
    progress_finished(ob->prog);
  /* A file channel's feed is written once the outcome is recorded. */
  if (!err && job->feed)
    feed_mark_dirty(ob->feeds, job->shop_id);
  ob->st.inflight--;
  job_free(job);
  claim(ob);
  check_drained(ob);
}

/* What ocop_finish_job records of the variants for this outcome. */
static enum vset_report report_of(const struct job *job, enum outcome_kind kind) {
  if (job->feed)
    return VSET_ALL_SENT;
  if (kind == OUT_OK && job->kind == JOB_PRICE)
    return VSET_PRICES;
  if (kind == OUT_OK && job->kind == JOB_STOCK)
    return VSET_STOCK;
  return VSET_LEARNT;
}

/* Whether the call this job just sent changes the marketplace in a way a
 * late application could undo: a create, or any write of a job that is not
 * a create (a create job's look-ups and image uploads are not). */
static int lands_late(const struct job *job) {
  switch (job->op) {
  case OC_OP_PUBLISH:
    return 1;
  case OC_OP_UPDATE:
  case OC_OP_SET_STOCK:
  case OC_OP_SET_PRICE:
  case OC_OP_DELIST:
  case OC_OP_RELIST:
  case OC_OP_VARIANTS:
    return job->kind != JOB_PUBLISH;
  default:
    return 0;
  }
}

static void finish(struct job *job, const struct outcome *oc) {
  outbox_t *ob = job->owner;
  char id[24], retry[24], maxa[24], stars[8], settle[24];
  char *variants = vset_outcome_json(&job->vars, report_of(job, oc->kind));
  const char *params[OUTCOME_NPARAMS];

  snprintf(id, sizeof id, "%lld", job->id);
  snprintf(retry, sizeof retry, "%llu", (unsigned long long)oc->retry_ms);
  snprintf(maxa, sizeof maxa, "%u", ob->opt.max_attempts);
  snprintf(stars, sizeof stars, "%d", job->listing.stars);
  snprintf(settle, sizeof settle, "%llu", (unsigned long long)ob->opt.create_settle_ms);
  params[0] = id;
  params[1] = ob->owner;
  params[2] = outcome_names[oc->kind];
  params[3] = oc->error[0] ? oc->error : NULL;
  params[4] = oc->item_id && oc->item_id[0] ? oc->item_id : NULL;
  params[5] = retry;
  params[6] = maxa;
  params[7] = job->listing.name;
  params[8] = job->listing.description;
  params[9] = stars;
  params[10] = variants;
  params[11] = job->content.sig;
  params[12] = settle;
  metrics_job(job->shop_name, job->kind_name, outcome_names[oc->kind], ms_mono() - job->started_ms);
  if (oc->kind == OUT_HELD || oc->kind == OUT_REFUSED) {
    free(job->held_why);
    job->held_why = strdup(oc->error);
  }
  if (oc->kind == OUT_DEFER || oc->kind == OUT_DEFER_UNSENT)
    ob->st.deferred++;
  if (oc->kind == OUT_RETRY || oc->kind == OUT_REJECTED || oc->kind == OUT_UNKNOWN) {
    /* The last attempt's failure is told by the dead job's line. */
    if (oc->kind == OUT_REJECTED || (unsigned)job->attempts < ob->opt.max_attempts)
      joblog_failed(ob->jl, job, oc->kind != OUT_REJECTED, (unsigned long long)oc->retry_ms,
                    oc->error);
    free(job->last_error);
    job->last_error = strdup(oc->error);
  }
  if (outcomes_add(ob->outs, params, on_finished, job) != 0)
    on_finished(job, NULL, "shutting down");
  free(variants);
}

static void finish_simple(struct job *job, enum outcome_kind kind, const char *error) {
  struct outcome oc;

  memset(&oc, 0, sizeof oc);
  oc.kind = kind;
  snprintf(oc.error, sizeof oc.error, "%s", error ? error : "");
  finish(job, &oc);
}

/* ---- classifying answers ----------------------------------------------- */

static void retry_outcome(struct job *job, struct outcome *oc, long retry_after) {
  outbox_t *ob = job->owner;

  oc->kind = OUT_RETRY;
  oc->retry_ms = backoff_delay_ms((unsigned)job->attempts, ob->opt.retry_base_ms,
                                  ob->opt.retry_max_ms, retry_after > 0 ? (uint64_t)retry_after : 0,
                                  (uint32_t)rand());
}

static void defer_job(struct job *job, uint64_t wait_ms, const char *why) {
  struct outcome oc;

  memset(&oc, 0, sizeof oc);
  /* A create held back by the shop's rate limit or its token was not
   * applied: the marker this attempt set is withdrawn, so that the next
   * attempt creates at once instead of waiting out create_settle. */
  oc.kind = job->op == OC_OP_PUBLISH && job->create_marked && !job->create_started
                ? OUT_DEFER_UNSENT
                : OUT_DEFER;
  oc.retry_ms = wait_ms;
  snprintf(oc.error, sizeof oc.error, "%s", why);
  finish(job, &oc);
}

/* How long a create of unknown outcome may still take to show, in ms; 0
 * once the settle window (create_settle) has passed since its marker was
 * set (the claim before the send, or the end of the attempt that lost
 * the answer: ocop_record_outcome, 'unknown'). A look-up that finds
 * nothing within the window proves nothing: the marketplace may apply the
 * create late, and its search may show it late. */
static uint64_t settle_left_ms(const struct job *job) {
  const outbox_t *ob = job->owner;
  uint64_t age = ms_mono() - job->started_ms;

  if (job->create_started && job->create_age_ms > 0)
    age += (uint64_t)job->create_age_ms;
  return age < ob->opt.create_settle_ms ? ob->opt.create_settle_ms - age : 0;
}

/* A publish whose look-up found nothing: wait for a create that may still
 * land, or say the create was lost (its marker is cleared and the next
 * claim sets a new one before the create goes out again), or create now
 * when no create was ever sent. Never a create right after a look-up that
 * found nothing within the window. */
static void publish_not_found(struct job *job, struct outcome *oc) {
  const outbox_t *ob = job->owner;
  uint64_t left = settle_left_ms(job), step = ob->opt.create_settle_ms / 4;

  if ((job->create_started || job->exists_said) && left > 0) {
    if (step < 1000)
      step = 1000;
    log_info("outbox", "create of unknown outcome not visible yet; looking again",
             "job=%lld shop=%s sku=%s settle_left_ms=%llu", job->id, job->shop_name,
             job->listing.sku, (unsigned long long)left);
    /* No reason: the job keeps the create's answer as its last error. */
    defer_job(job, left < step ? left : step, "");
    return;
  }
  if (job->exists_said) {
    /* The marketplace says the SKU is there and its search does not show
     * it: never create, let the attempts run out to a dead job an
     * operator reads. */
    retry_outcome(job, oc, 0);
    snprintf(oc->error, sizeof oc->error,
             "the marketplace says the SKU exists, and a look-up over %u s does not find it",
             ob->opt.create_settle_ms / 1000);
    finish(job, oc);
    return;
  }
  if (job->create_started) {
    log_warn("outbox", "a create of unknown outcome never showed; it will be sent again",
             "job=%lld shop=%s sku=%s settle_s=%u", job->id, job->shop_name, job->listing.sku,
             ob->opt.create_settle_ms / 1000);
    finish_simple(job, OUT_CREATE_LOST, "no listing appeared after a create of unknown outcome");
    return;
  }
  job_call(job, OC_OP_PUBLISH);
}

/* A look-up's answer: a next call within the same job (look-up → create,
 * look-up → delist) or the job's outcome. */
static void after_lookup(struct job *job, const call_result *res, struct outcome *oc) {
  if (res->verdict == CALL_OK)
    vset_apply(&job->vars, res->r.listing.variants, res->r.listing.nvariants, 1);
  if (job->kind == JOB_VARIANTS) {
    if (res->verdict != CALL_OK) {
      oc->kind = OUT_NOT_FOUND; /* the item itself is gone */
      finish(job, oc);
      return;
    }
    variants_step(job, &res->r.listing);
    return;
  }
  if (res->verdict == CALL_OK) {
    snprintf(job->found_item, sizeof job->found_item, "%s", res->r.listing.item_id);
    log_info("outbox", "found the listing a previous create made; adopting it",
             "job=%lld shop=%s sku=%s item=%s", job->id, job->shop_name, job->listing.sku,
             job->found_item);
    if (job->kind == JOB_DELIST) {
      free((char *)job->listing.item_id);
      job->listing.item_id = strdup(job->found_item);
      job_call(job, OC_OP_DELIST);
      return;
    }
    oc->kind = OUT_ADOPTED;
    oc->item_id = job->found_item;
  } else if (job->kind == JOB_PUBLISH) {
    publish_not_found(job, oc);
    return;
  } else {
    oc->kind = OUT_NOT_FOUND;
  }
  finish(job, oc);
}

/* A create whose answer puts none of the variants on its new item (a
 * Shopee item of several variants gets its models by VARIANTS) goes on
 * with VARIANTS steps in the same job. The job knows the item holds just
 * what the create made, so it needs no look-up, and the listing takes one
 * job instead of a publish and then a variants job, each with its claim,
 * outcome and sync. Whatever stops those steps ends the publish as done,
 * with the variants they put on the item (finish_created); the sync then
 * queues a variants job for the rest, which starts by reading the item. A
 * create that named some variants and not others is left to that job at
 * once: its answer is not what this job expected. */
static int go_on_with_variants(struct job *job, const oc_listing_result *r) {
  char *item;

  if (job->feed || !vset_none_live_on_item(&job->vars) || !(item = strdup(job->found_item)))
    return 0;
  free((char *)job->listing.item_id);
  job->listing.item_id = item;
  job->created = 1;
  variants_step(job, r);
  return 1;
}

/* The end of a create's VARIANTS steps (go_on_with_variants): the create
 * is done, whether the steps brought every variant on the item or `why`
 * stopped them. */
static void finish_created(struct job *job, const char *why) {
  struct outcome oc;

  if (why)
    log_info("outbox", "listing created; its other variants are left to a variants job",
             "job=%lld shop=%s sku=%s item=%s why=%s", job->id, job->shop_name, job->listing.sku,
             job->found_item, why);
  memset(&oc, 0, sizeof oc);
  oc.kind = OUT_OK;
  oc.item_id = job->found_item;
  finish(job, &oc);
}

/* One more VARIANTS step, with what the last answer said of the item.
 * The steps are bounded: a connector that never comes in line fails the
 * job instead of calling forever. */
static void variants_step(struct job *job, const oc_listing_result *r) {
  if (r->memo[0])
    snprintf(job->memo, sizeof job->memo, "%s", r->memo);
  job->listing.memo = job->memo[0] ? job->memo : NULL;
  if (job->steps >= JOB_MAX_VARIANT_STEPS) {
    if (job->created)
      finish_created(job, "variants still not in line after the most steps a job takes");
    else
      finish_simple(job, OUT_REJECTED, "variants still not in line after the most steps a job takes");
    return;
  }
  job->steps++;
  job_call(job, OC_OP_VARIANTS);
}

/* A refusal that is about the listing's content holds it with the reason
 * instead of dead-lettering the job: what the connector would not build
 * (a title too short, an image over a limit), an upload or a category the
 * marketplace refused, or a send refused for its content (which first
 * reads the category's rules again: ocop_finish_job, 'refused'). */
static enum outcome_kind refusal_kind(const struct job *job, const call_result *res) {
  int sending = job->op == OC_OP_PUBLISH || job->op == OC_OP_UPDATE;

  if (job->op == OC_OP_UPLOAD_IMAGE || job->op == OC_OP_CATEGORY)
    return res->verdict == CALL_UNSUPPORTED ? OUT_REJECTED : OUT_HELD;
  if (sending && res->verdict == CALL_BAD_INPUT)
    return OUT_HELD;
  if (sending && res->verdict == CALL_REJECTED && res->r.listing.content)
    return OUT_REFUSED;
  return OUT_REJECTED;
}

static void on_call(void *arg, call_result *res) {
  struct job *job = arg;
  struct outcome oc;

  memset(&oc, 0, sizeof oc);
  snprintf(oc.error, sizeof oc.error, "%s", res->message);
  if (res->sent)
    ((outbox_t *)job->owner)->st.requests++;
  if (job->created && res->verdict != CALL_OK && res->verdict != CALL_IN_LINE) {
    finish_created(job, res->message[0] ? res->message : "the step failed");
    return;
  }
  if (job->op == OC_OP_LOOKUP_SKU && (res->verdict == CALL_OK || res->verdict == CALL_NOT_FOUND)) {
    after_lookup(job, res, &oc);
    return;
  }
  if (job->op == OC_OP_PUBLISH && res->verdict == CALL_EXISTS) {
    /* An earlier create landed: adopt it, never create again. */
    log_info("outbox", "the marketplace holds this SKU already; looking it up",
             "job=%lld shop=%s sku=%s err=%s", job->id, job->shop_name, job->listing.sku,
             res->message);
    job->exists_said = 1;
    job_call(job, OC_OP_LOOKUP_SKU);
    return;
  }
  switch (res->verdict) {
  case CALL_OK:
    if (oc_listing_op(job->op))
      vset_apply(&job->vars, res->r.listing.variants, res->r.listing.nvariants, 0);
    if (job->op == OC_OP_VARIANTS) {
      variants_step(job, &res->r.listing);
      return;
    }
    oc.kind = OUT_OK;
    if (job->op == OC_OP_PUBLISH) {
      snprintf(job->found_item, sizeof job->found_item, "%s", res->r.listing.item_id);
      if (go_on_with_variants(job, &res->r.listing))
        return;
    }
    oc.item_id = job->found_item[0] ? job->found_item : NULL;
    break;
  case CALL_IN_LINE:
    if (job->created) {
      finish_created(job, NULL);
      return;
    }
    oc.kind = OUT_OK;
    oc.error[0] = '\0';
    break;
  case CALL_NOT_FOUND:
    oc.kind = OUT_NOT_FOUND;
    break;
  case CALL_RATE_LIMITED:
    /* The shop is paused (daemon/pace.c); the job waits without spending
     * an attempt. */
    log_warn("outbox", "marketplace rate limit; pausing the shop", "shop=%s ms=%ld err=%s",
             job->shop_name, res->retry_after_ms, res->message);
    defer_job(job, (uint64_t)res->retry_after_ms, oc.error[0] ? oc.error : "rate limited");
    return;
  case CALL_DEFERRED:
    defer_job(job, (uint64_t)res->retry_after_ms, oc.error);
    return;
  case CALL_RETRY:
  case CALL_SHUTDOWN:
    retry_outcome(job, &oc, res->retry_after_ms);
    /* A call that went out without a clear answer may have been applied,
     * or may be applied later: the next attempt of a create looks it up
     * over the settle window, and any other job runs once more after that
     * window (ocop_record_outcome, sql/logic/outbox.sql). */
    if (res->sent && lands_late(job))
      oc.kind = OUT_UNKNOWN;
    break;
  case CALL_AUTH:
    /* Refused for its token (daemon/pace.c refreshes it): count this as
     * an attempt, so a token that keeps failing ends in the dead-letter
     * queue, not a loop. */
    retry_outcome(job, &oc, res->retry_after_ms);
    if (oc.retry_ms < 2000)
      oc.retry_ms = 2000;
    break;
  case CALL_NO_CREDENTIALS:
    oc.kind = OUT_RETRY;
    break;
  case CALL_UNSUPPORTED:
  case CALL_BAD_INPUT:
  case CALL_REJECTED:
  case CALL_EXISTS: /* for anything but a create: refused */
  default:
    oc.kind = refusal_kind(job, res);
    break;
  }
  finish(job, &oc);
}

/* ---- dispatching -------------------------------------------------------- */

static void on_create_marked(void *arg, PGresult *res, const char *err) {
  struct job *job = arg;

  if (err || PQntuples(res) != 1 || PQgetisnull(res, 0, 0)) {
    finish_simple(job, OUT_RETRY, err ? err : "the job's lease was lost before its create");
    return;
  }
  job->create_marked = 1;
  job_call(job, OC_OP_PUBLISH);
}

/* A create goes out only once its marker is committed (ocop_create_sending):
 * whatever happens to it after, the next attempt looks it up first. */
static void mark_create(struct job *job) {
  outbox_t *ob = job->owner;
  char id[24];
  const char *params[2];

  snprintf(id, sizeof id, "%lld", job->id);
  params[0] = id;
  params[1] = ob->owner;
  if (db_query(ob->db, "SELECT ocop_create_sending($1, $2)", 2, params, on_create_marked, job) !=
      0)
    finish_simple(job, OUT_RETRY, "shutting down");
}

static void job_call(struct job *job, oc_op op) {
  outbox_t *ob = job->owner;
  struct call_env env = {ob->http, pace_hooks()};
  struct call_req req;

  if (op == OC_OP_PUBLISH && !job->create_marked && !job->feed) {
    mark_create(job);
    return;
  }
  job->op = op;
  job_call_req(job, op, ob->has_cred_dir ? ob->cred_dir : NULL, &req);
  call_start(&env, &req, on_call, job);
}

/* The first call of a job. A create whose earlier attempt may have reached
 * the marketplace, or a withdrawal of such a create, starts with a look-up by
 * SKU so that a product is never listed twice. */
static oc_op first_op(const struct job *job) {
  int unknown = job->listing.item_id == NULL;

  switch (job->kind) {
  case JOB_PUBLISH:
    return job->create_started ? OC_OP_LOOKUP_SKU : OC_OP_PUBLISH;
  case JOB_DELIST:
    return unknown ? OC_OP_LOOKUP_SKU : OC_OP_DELIST;
  case JOB_RELIST:
    return OC_OP_RELIST;
  case JOB_UPDATE:
    return OC_OP_UPDATE;
  case JOB_PRICE:
    return OC_OP_SET_PRICE;
  case JOB_VARIANTS:
    /* Read the item first: a step whose answer was lost is seen, not
     * repeated (connectors/connector.h, VARIANTS). */
    return OC_OP_LOOKUP_SKU;
  case JOB_STOCK:
  default:
    return OC_OP_SET_STOCK;
  }
}

/* What preparing a publish or update came to (daemon/prepare.h). */
static void on_prepared(struct job *job, enum prep_result r, const call_result *res,
                        const char *why, uint64_t wait_ms) {
  switch (r) {
  case PREP_SEND:
    job_call(job, first_op(job));
    break;
  case PREP_HELD:
    finish_simple(job, OUT_HELD, why);
    break;
  case PREP_AGAIN:
    defer_job(job, wait_ms, why ? why : "");
    break;
  case PREP_FAILED:
  default:
    on_call(job, (call_result *)res);
    break;
  }
}

/* The job holds the generation it starts with, and from its first call its
 * shop's secret, until it is finished (job_free): a reload meanwhile changes
 * neither under it. The call stages (lib/call.h) check the credentials, the
 * rate limit and the token. */
static void job_start(outbox_t *ob, struct job *job) {
  char err[300];

  job->owner = ob;
  job->pace = &ob->pace;
  job->pace_flags = PACE_FOLLOWUP_DEBT | PACE_TOKEN_AHEAD;
  job->started_ms = ms_mono();
  ob->st.inflight++;
  if (job_hold_connector(job, ob->reg) != 0) {
    snprintf(err, sizeof err, "no connector for marketplace %s in connector_dir", job->marketplace);
    finish_simple(job, OUT_RETRY, err);
    return;
  }
  if (job->hold.conn->caps & OC_CAP_FEED) {
    /* A file channel sends nothing: the listing is as the target says once
     * the shop's feed is rewritten (after the outcome, debounced). Its id
     * on the channel is the SKU. */
    struct outcome oc;

    memset(&oc, 0, sizeof oc);
    oc.kind = OUT_OK;
    oc.item_id = job->listing.sku;
    job->feed = 1;
    finish(job, &oc);
    return;
  }
  if (job->kind == JOB_PUBLISH && job->listing.item_id) {
    /* Never create what exists; the claim already checks, this is the belt. */
    finish_simple(job, OUT_REJECTED, "listing already has a marketplace id; not created again");
    return;
  }
  if (job->kind != JOB_PUBLISH && job->kind != JOB_DELIST && !job->listing.item_id) {
    finish_simple(job, OUT_NOT_FOUND, "listing has no marketplace id");
    return;
  }
  if ((job->kind == JOB_PUBLISH || job->kind == JOB_UPDATE) && !job->content.present &&
      (oc_supports(job->hold.conn, OC_OP_CATEGORY) ||
       oc_supports(job->hold.conn, OC_OP_UPLOAD_IMAGE))) {
    /* Claimed before this start recorded that the connector takes
     * content (lifecycle_publish_caps): the next claim brings it. */
    defer_job(job, 500, "waiting for the connector's capabilities to be recorded");
    return;
  }
  if (job->content.present) {
    struct call_env env = {ob->http, pace_hooks()};

    prep_start(ob->prep, job, &env, ob->has_cred_dir ? ob->cred_dir : NULL, on_prepared);
    return;
  }
  job_call(job, first_op(job));
}

/* ---- claiming ----------------------------------------------------------- */

static void on_claimed(void *arg, PGresult *res, const char *err) {
  outbox_t *ob = arg;
  int i, rows;
  char why[200];

  ob->claiming = 0;
  if (err) {
    log_warn("outbox", "cannot claim jobs", "err=%s", err);
    check_drained(ob);
    return;
  }
  rows = PQntuples(res);
  for (i = 0; i < rows; i++) {
    struct job *job = job_from_row(res, i, why, sizeof why);

    ob->st.claimed++;
    if (!job) {
      log_error("outbox", "skipping a malformed job row", "err=%s", why);
      continue;
    }
    job_start(ob, job);
  }
  /* A short batch means the queue is drained for now; the next NOTIFY, the
   * poll timer or a finishing job (which may queue follow-ups) says more. */
  ob->more = rows > 0 && (unsigned)rows >= ob->asked;
  claim(ob);
  check_drained(ob);
}

static void claim(outbox_t *ob) {
  char owner_lim[24], lease[24], maxa[24], skip[1024];
  const char *params[5];
  unsigned room;

  if (ob->drain.active || ob->claiming || !ob->more || !db_is_up(ob->db))
    return;
  room = ob->opt.concurrency > ob->st.inflight ? ob->opt.concurrency - ob->st.inflight : 0;
  /* A claim costs a round trip and a sort over the queue, so wait until a
   * quarter of the slots are free rather than claiming one job at a time. */
  if (room == 0 || (ob->st.inflight > 0 && room < (ob->opt.concurrency + 3) / 4))
    return;
  if (room > ob->opt.claim_batch)
    room = ob->opt.claim_batch;
  snprintf(owner_lim, sizeof owner_lim, "%u", room);
  snprintf(lease, sizeof lease, "%u", (ob->opt.job_lease_ms + 999) / 1000);
  snprintf(maxa, sizeof maxa, "%u", ob->opt.max_attempts);
  params[0] = ob->owner;
  params[1] = owner_lim;
  params[2] = lease;
  params[3] = maxa;
  rl_limited_shops(ob->rl, ms_mono(), skip, sizeof skip);
  params[4] = skip;
  ob->more = 0;
  ob->claiming = 1;
  ob->asked = room;
  if (db_query(ob->db,
               "SELECT * FROM ocop_claim_jobs($1, $2::integer, $3::integer, $4::integer, $5::bigint[])",
               5, params, on_claimed, ob) != 0)
    ob->claiming = 0;
}

/* ---- timers ------------------------------------------------------------- */

static void on_swept(void *arg, PGresult *res, const char *err) {
  outbox_t *ob = arg;

  ob->sweeping = 0;
  ob->st.sweeps++;
  if (err)
    log_warn("outbox", "sweep failed; will try again", "err=%s", err);
  else if (atoi(PQgetvalue(res, 0, 0)) > 0)
    log_info("outbox", "sweep queued jobs", "jobs=%s", PQgetvalue(res, 0, 0));
  /* The first sweep after start rewrites every feed: a crash may have come
   * between a job's outcome and its feed. */
  if (!err && !ob->feeds_marked) {
    ob->feeds_marked = 1;
    feed_mark_all(ob->feeds);
  }
  if (!err && ob->opt.swept_cb && !ob->drain.active)
    ob->opt.swept_cb(ob->opt.swept_arg);
  ob->more = 1;
  claim(ob);
  check_drained(ob);
}

void outbox_sweep(outbox_t *ob) {
  if (ob->sweeping || ob->drain.active || !db_is_up(ob->sweep_db))
    return;
  ob->sweeping = 1;
  if (db_query(ob->sweep_db, "SELECT ocop_sweep()", 0, NULL, on_swept, ob) != 0)
    ob->sweeping = 0;
}

static void on_poll_timer(uv_timer_t *t) {
  outbox_t *ob = t->data;

  /* Retries come due without any notification. */
  ob->more = 1;
  claim(ob);
}

static void on_sweep_timer(uv_timer_t *t) { outbox_sweep(t->data); }

static void on_renewed(void *arg, PGresult *res, const char *err) {
  outbox_t *ob = arg;

  (void)res;
  ob->renewing = 0;
  if (err) /* the next tick tries again; a lease lapses only after job_lease */
    log_warn("outbox", "cannot renew the leases of the jobs in flight", "err=%s", err);
  check_drained(ob);
}

/* Jobs in flight keep their leases (ocop_renew_leases, sql/logic/outbox.sql):
 * a slow call must not let another attempt of its job go out beside it. */
static void on_lease_timer(uv_timer_t *t) {
  outbox_t *ob = t->data;
  char lease[24];
  const char *params[2];

  if (ob->st.inflight == 0 || ob->renewing || !db_is_up(ob->db))
    return;
  snprintf(lease, sizeof lease, "%u", (ob->opt.job_lease_ms + 999) / 1000);
  params[0] = ob->owner;
  params[1] = lease;
  ob->renewing = 1;
  if (db_query(ob->db, "SELECT ocop_renew_leases($1, $2)", 2, params, on_renewed, ob) != 0)
    ob->renewing = 0;
}

/* A third of the lease: two ticks may fail before a lease lapses. */
static uint64_t lease_tick_ms(const outbox_t *ob) {
  uint64_t ms = ob->opt.job_lease_ms / 3;

  return ms < 200 ? 200 : ms;
}

/* ---- life cycle --------------------------------------------------------- */

static void on_feed_idle(void *arg) { check_drained(arg); }

static void wake_media(void *arg) {
  outbox_t *ob = arg;

  if (ob->wake_media)
    ob->wake_media(ob->media);
}

void outbox_set_media(outbox_t *ob, void (*wake)(void *media), void *media) {
  ob->wake_media = wake;
  ob->media = media;
}

outbox_t *outbox_new(uv_loop_t *loop, db_t *db, db_t *out_db, db_t *sweep_db, http_t *http,
                     struct registry *reg, const struct outbox_options *opt) {
  outbox_t *ob = calloc(1, sizeof *ob);

  if (!ob)
    return NULL;
  ob->loop = loop;
  ob->db = db;
  ob->sweep_db = sweep_db;
  ob->rl = rl_new();
  ob->tm = ob->rl ? token_new(loop, db, http, ob->rl) : NULL;
  ob->feeds = feed_new(loop, db, reg, on_feed_idle, ob);
  ob->prep = prep_new(db, wake_media, ob);
  ob->jl = joblog_new(loop);
  ob->prog = progress_new(loop, db, opt->progress_interval_ms);
  ob->outs = outcomes_new(out_db, opt->claim_batch * 4);
  if (!ob->rl || !ob->tm || !ob->feeds || !ob->prep || !ob->jl || !ob->prog || !ob->outs) {
    outcomes_free(ob->outs);
    if (ob->jl)
      joblog_close(ob->jl, NULL, NULL);
    if (ob->prog)
      progress_close(ob->prog, NULL, NULL);
    prep_free(ob->prep);
    rl_free(ob->rl);
    token_free(ob->tm);
    if (ob->feeds)
      feed_close(ob->feeds, NULL, NULL);
    free(ob);
    return NULL;
  }
  ob->http = http;
  ob->reg = registry_ref(reg);
  ob->pace.rl = ob->rl;
  ob->pace.tm = ob->tm;
  ob->pace.rates = ob->rates;
  outbox_reconfigure(ob, opt);
  snprintf(ob->owner, sizeof ob->owner, "%s", opt->owner);
  uv_timer_init(loop, &ob->poll_timer);
  uv_timer_init(loop, &ob->sweep_timer);
  uv_timer_init(loop, &ob->lease_timer);
  ob->poll_timer.data = ob;
  ob->sweep_timer.data = ob;
  ob->lease_timer.data = ob;
  return ob;
}

void outbox_reconfigure(outbox_t *ob, const struct outbox_options *opt) {
  unsigned poll = ob->opt.poll_interval_ms, sweep = ob->opt.sweep_interval_ms;
  unsigned lease = ob->opt.job_lease_ms;

  ob->opt = *opt;
  ob->opt.owner = NULL;
  ob->has_cred_dir = opt->credentials_dir != NULL;
  snprintf(ob->cred_dir, sizeof ob->cred_dir, "%s", opt->credentials_dir ? opt->credentials_dir : "");
  ob->opt.credentials_dir = NULL;
  snprintf(ob->rates, sizeof ob->rates, "%s", opt->rate_limits ? opt->rate_limits : "");
  ob->opt.rate_limits = NULL;
  progress_set_interval(ob->prog, opt->progress_interval_ms);
  /* Only a changed interval restarts its timer: restarting them on every
   * SIGHUP would put the next poll (retries come due without a NOTIFY) and
   * the next sweep off for as long as SIGHUPs keep coming. */
  if (!uv_is_active((uv_handle_t *)&ob->poll_timer))
    return;
  if (ob->opt.poll_interval_ms != poll)
    uv_timer_start(&ob->poll_timer, on_poll_timer, ob->opt.poll_interval_ms, ob->opt.poll_interval_ms);
  if (ob->opt.sweep_interval_ms != sweep)
    uv_timer_start(&ob->sweep_timer, on_sweep_timer, ob->opt.sweep_interval_ms,
                   ob->opt.sweep_interval_ms);
  if (ob->opt.job_lease_ms != lease)
    uv_timer_start(&ob->lease_timer, on_lease_timer, lease_tick_ms(ob), lease_tick_ms(ob));
}

int outbox_start(outbox_t *ob) {
  uv_timer_start(&ob->poll_timer, on_poll_timer, ob->opt.poll_interval_ms, ob->opt.poll_interval_ms);
  uv_timer_start(&ob->sweep_timer, on_sweep_timer, ob->opt.sweep_interval_ms,
                 ob->opt.sweep_interval_ms);
  uv_timer_start(&ob->lease_timer, on_lease_timer, lease_tick_ms(ob), lease_tick_ms(ob));
  return 0;
}

void outbox_wake(outbox_t *ob) {
  ob->more = 1;
  claim(ob);
}

void outbox_set_registry(outbox_t *ob, struct registry *reg) {
  registry_ref(reg);
  registry_unref(ob->reg); /* jobs in flight hold their own reference */
  ob->reg = reg;
  feed_set_registry(ob->feeds, reg);
}

void outbox_get_stats(const outbox_t *ob, struct outbox_stats *st) {
  struct outcomes_stats os;

  *st = ob->st;
  outcomes_get_stats(ob->outs, &os);
  st->outcome_batches = os.batches;
  st->outcome_largest = os.largest;
}

ratelimit_t *outbox_ratelimit(outbox_t *ob) { return ob->rl; }

token_mgr_t *outbox_tokens(outbox_t *ob) { return ob->tm; }

void outbox_drain(outbox_t *ob, void (*done)(void *arg), void *arg) {
  drain_begin(&ob->drain, done, arg);
  uv_timer_stop(&ob->poll_timer);
  uv_timer_stop(&ob->sweep_timer);
  progress_stop(ob->prog); /* the lease timer runs on: jobs in flight finish */
  log_info("outbox", "draining", "inflight=%u", ob->st.inflight);
  feed_flush(ob->feeds); /* what changed is written before we stop */
  check_drained(ob);
}

static void on_closed(outbox_t *ob) {
  if (++ob->closed_handles == 6) {
    outcomes_free(ob->outs);
    prep_free(ob->prep);
    rl_free(ob->rl);
    token_free(ob->tm);
    registry_unref(ob->reg);
    free(ob);
  }
}

static void on_timer_closed(uv_handle_t *h) { on_closed(h->data); }

static void on_part_closed(void *arg) { on_closed(arg); }

void outbox_close(outbox_t *ob) {
  feed_close(ob->feeds, on_part_closed, ob);
  joblog_close(ob->jl, on_part_closed, ob);
  progress_close(ob->prog, on_part_closed, ob);
  uv_close((uv_handle_t *)&ob->poll_timer, on_timer_closed);
  uv_close((uv_handle_t *)&ob->sweep_timer, on_timer_closed);
  uv_close((uv_handle_t *)&ob->lease_timer, on_timer_closed);
}
