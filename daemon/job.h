/*
 * job.h — one claimed outbox job, copied out of its result row.
 *
 * The row of ocop_claim_jobs carries everything a connector needs: the
 * shop's public identity and token, and what the listing should say now.
 * The job owns copies of those strings (the PGresult is freed after the
 * callback) and exposes them as the connector's oc_shop and oc_listing.
 *
 * While it calls a marketplace, a job also holds what a reload replaces:
 * the connector generation it started with and a reference to the shop's
 * secret. Both stay valid until the job lets go of them, however many
 * SIGHUPs come meanwhile.
 */
#ifndef OCOP_JOB_H
#define OCOP_JOB_H

#include <libpq-fe.h>
#include <stdint.h>

#include "call.h"
#include "connector.h"
#include "content.h"
#include "variants.h"

struct pace;

enum job_kind {
  JOB_PUBLISH, JOB_UPDATE, JOB_STOCK, JOB_PRICE, JOB_DELIST, JOB_RELIST, JOB_VARIANTS
};

struct job {
  void *owner;       /* the outbox that runs it */
  long long id;
  enum job_kind kind;
  const char *kind_name;
  int attempts;
  long long listing_id;
  long long shop_id;
  int create_started; /* a create may already have reached the marketplace */
  long long create_age_ms; /* since that create's marker was set; -1 none */
  int exists_said;    /* the marketplace answered a create: the SKU exists */
  int create_marked;  /* ocop_create_sending committed: the create may go out */
  int created;        /* the create was answered: VARIANTS steps on its item */
  int has_token_ttl;  /* the token's expiry is known */
  int token_ttl_s;    /* seconds the access token has left */
  char *shop_name;
  char *marketplace;
  char *policy;
  oc_shop shop;       /* app_secret points into hold.secret */
  oc_listing listing;  /* variants and memo point into vars and memo */
  struct vset vars;    /* the listing's variants, and what the job learnt */
  char memo[OC_MEMO_MAX]; /* VARIANTS: the connector's note between steps */
  int steps;           /* VARIANTS steps sent so far */
  oc_kv *opts;        /* parsed from the shop's options JSON */
  size_t nopts;
  oc_op op;           /* the call in progress */
  int calls;          /* marketplace calls made so far by this run */
  int feed;           /* a file channel's job: its shop's feed is due */
  uint64_t started_ms;
  char found_item[OC_ID_MAX]; /* item id learned from a look-up */
  int token_checked;  /* the token's expiry was looked at before the first call */
  const struct pace *pace; /* the rate limit and token refresh its calls keep */
  unsigned pace_flags;     /* PACE_ flags (daemon/pace.h) */
  struct call_hold hold;      /* the held generation, its connector for the
                                 marketplace, and the shop's secret */
  struct content content;     /* publish, update: what the listing sends
                                 besides text and variants (daemon/prepare.c) */
  int prep_steps;             /* CATEGORY steps taken so far */
  size_t prep_upload;         /* the next of content.uploads to send */
  char *rules;                /* CATEGORY: the rules read so far */
  oc_category_query catq;     /* CATEGORY: the step in flight */
  oc_upload upload;           /* UPLOAD_IMAGE: the image in flight */
  unsigned char *upload_data; /* its bytes */
  char *held_why;             /* the reason a held job was held, for the log */
  char *last_error;           /* the last failure, for the dead job's line */
  char *why;                  /* a withdrawal's reason (ocop_withdrawal_why) */
  char *token_err;            /* why the access token did not open (lib/tokenkey.h):
                                 the job's calls wait (daemon/pace.c) */
};

/* Copies row `row` of a claim result; NULL with err set on a malformed row. */
struct job *job_from_row(const PGresult *res, int row, char *err, size_t errlen);
/* A job that only names a shop (columns shop_id, shop_name, marketplace,
 * mp_shop_id, base_url, app_key, options, access_token, token_ttl_s): the
 * context of order calls and token refreshes. */
struct job *job_shop_from_row(const PGresult *res, int row, char *err, size_t errlen);
/* Holds reg's connector for the job's marketplace (call_hold_connector);
 * 0, or -1 (holding none) when reg has none. */
int job_hold_connector(struct job *job, struct registry *reg);
/* Holds the shop's secret as shop.app_secret (call_hold_secret); 0, or -1
 * with a reason in err. */
int job_hold_secret(struct job *job, const char *dir, char *err, size_t errlen);
/* The call of `op` for this shop: its connector and secret (held), the
 * shop, its listing, the secret's folder (cred_dir: NULL for none
 * configured), and the job as the pace hooks' argument (daemon/pace.h). */
void job_call_req(struct job *job, oc_op op, const char *cred_dir, struct call_req *req);
/* Frees the job and lets go of what it holds. */
void job_free(struct job *job);

#endif
