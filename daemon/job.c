/* job.c — see job.h. */
#include "job.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "shop_opts.h"
#include "tokenkey.h"

static const struct {
  const char *name;
  enum job_kind kind;
} kinds[] = {
    {"publish", JOB_PUBLISH}, {"update", JOB_UPDATE}, {"stock", JOB_STOCK},
    {"price", JOB_PRICE},     {"delist", JOB_DELIST}, {"relist", JOB_RELIST},
    {"variants", JOB_VARIANTS},
};

/* The text of column `name`, or NULL when it is SQL NULL or absent. */
static const char *col(const PGresult *res, int row, const char *name) {
  int c = PQfnumber(res, name);

  if (c < 0 || PQgetisnull(res, row, c))
    return NULL;
  return PQgetvalue(res, row, c);
}

static char *dup_col(const PGresult *res, int row, const char *name) {
  const char *v = col(res, row, name);

  return v ? strdup(v) : NULL;
}

static long long num_col(const PGresult *res, int row, const char *name) {
  const char *v = col(res, row, name);

  return v ? strtoll(v, NULL, 10) : 0;
}

/* The shop's options (shop_opts.h); an object is required. */
static int parse_options(struct job *job, const char *json, char *err, size_t errlen) {
  int rc = shop_opts_parse(json, &job->opts, &job->nopts);

  if (rc == -1)
    snprintf(err, errlen, "shop options are not a JSON object");
  return rc == 0 ? 0 : -1;
}

static int set_kind(struct job *job, const char *name) {
  size_t i;

  for (i = 0; name && i < sizeof kinds / sizeof kinds[0]; i++)
    if (strcmp(kinds[i].name, name) == 0) {
      job->kind = kinds[i].kind;
      job->kind_name = kinds[i].name;
      return 0;
    }
  return -1;
}

/* The access token opened (it is sealed at rest); one that does not open
 * is never sent: the job keeps the reason and its calls wait. */
static void open_token(struct job *job, const char *stored) {
  char clear[TSEAL_TOKEN_MAX], err[512];

  if (!stored)
    return;
  if (tkey_open(job->shop_id, job->shop_name ? job->shop_name : "?", "access_token", stored,
                clear, sizeof clear, err, sizeof err) != 0) {
    job->token_err = strdup(err);
    job->shop.access_token = strdup("");
    return;
  }
  job->shop.access_token = strdup(clear);
  explicit_bzero(clear, sizeof clear);
}

static void fill_shop(struct job *job, const PGresult *res, int row) {
  job->shop.base_url = dup_col(res, row, "base_url");
  job->shop.app_key = dup_col(res, row, "app_key");
  job->shop.shop_id = dup_col(res, row, "mp_shop_id");
  open_token(job, col(res, row, "access_token"));
  job->shop.opts = job->opts;
  job->shop.nopts = job->nopts;
}

static int fill_listing(struct job *job, const PGresult *res, int row, char *err,
                        size_t errlen) {
  oc_listing *l = &job->listing;

  l->sku = dup_col(res, row, "sku");
  l->name = dup_col(res, row, "name");
  l->description = dup_col(res, row, "description");
  l->category = dup_col(res, row, "category");
  l->unit = dup_col(res, row, "unit");
  l->stars = (int)num_col(res, row, "stars");
  l->certificate_no = l->stars ? dup_col(res, row, "decision_no") : NULL;
  l->item_id = dup_col(res, row, "item_id");
  if (vset_parse(&job->vars, col(res, row, "variants"), err, errlen) != 0)
    return -1;
  l->variants = job->vars.v;
  l->nvariants = job->vars.n;
  return 0;
}

struct job *job_from_row(const PGresult *res, int row, char *err, size_t errlen) {
  struct job *job = calloc(1, sizeof *job);
  const char *started;

  if (!job) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  job->id = num_col(res, row, "job_id");
  job->attempts = (int)num_col(res, row, "attempts");
  job->listing_id = num_col(res, row, "listing_id");
  job->shop_id = num_col(res, row, "shop_id");
  job->has_token_ttl = col(res, row, "token_ttl_s") != NULL;
  job->token_ttl_s = (int)num_col(res, row, "token_ttl_s");
  started = col(res, row, "create_started");
  job->create_started = started && started[0] == 't';
  job->create_age_ms = col(res, row, "create_age_ms") ? num_col(res, row, "create_age_ms") : -1;
  job->shop_name = dup_col(res, row, "shop_name");
  job->marketplace = dup_col(res, row, "marketplace");
  job->policy = dup_col(res, row, "policy");
  job->why = dup_col(res, row, "why");
  if (set_kind(job, col(res, row, "kind")) != 0) {
    snprintf(err, errlen, "unknown job kind");
    goto fail;
  }
  if (parse_options(job, col(res, row, "options"), err, errlen) != 0)
    goto fail;
  fill_shop(job, res, row);
  if (fill_listing(job, res, row, err, errlen) != 0 ||
      content_parse(&job->content, col(res, row, "content"), err, errlen) != 0)
    goto fail;
  if (!job->shop_name || !job->marketplace || !job->listing.sku || !job->listing.name ||
      !job->shop.base_url || !job->shop.app_key || !job->shop.shop_id) {
    snprintf(err, errlen, "claimed job row misses a required column");
    goto fail;
  }
  if (!job->listing.description)
    job->listing.description = strdup("");
  if (!job->listing.unit)
    job->listing.unit = strdup("");
  return job;
fail:
  job_free(job);
  return NULL;
}

struct job *job_shop_from_row(const PGresult *res, int row, char *err, size_t errlen) {
  struct job *job = calloc(1, sizeof *job);

  if (!job) {
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  job->id = -1;
  job->shop_id = num_col(res, row, "shop_id");
  job->has_token_ttl = col(res, row, "token_ttl_s") != NULL;
  job->token_ttl_s = (int)num_col(res, row, "token_ttl_s");
  job->shop_name = dup_col(res, row, "shop_name");
  job->marketplace = dup_col(res, row, "marketplace");
  if (parse_options(job, col(res, row, "options"), err, errlen) != 0)
    goto fail;
  fill_shop(job, res, row);
  if (!job->shop_name || !job->marketplace || !job->shop.base_url || !job->shop.app_key ||
      !job->shop.shop_id) {
    snprintf(err, errlen, "shop row misses a required column");
    goto fail;
  }
  return job;
fail:
  job_free(job);
  return NULL;
}

int job_hold_connector(struct job *job, struct registry *reg) {
  return call_hold_connector(&job->hold, reg, job->marketplace);
}

int job_hold_secret(struct job *job, const char *dir, char *err, size_t errlen) {
  return call_hold_secret(&job->hold, dir, job->shop_name, &job->shop, err, errlen);
}

void job_call_req(struct job *job, oc_op op, const char *cred_dir, struct call_req *req) {
  memset(req, 0, sizeof *req);
  req->op = op;
  req->hold = &job->hold;
  req->shop = &job->shop;
  req->shop_name = job->shop_name;
  req->cred_dir = cred_dir;
  req->listing = &job->listing;
  req->upload = &job->upload;
  req->category = &job->catq;
  req->job_id = job->id;
  req->hook_arg = job;
}

void job_free(struct job *job) {
  size_t i;

  if (!job)
    return;
  call_hold_release(&job->hold);
  free(job->shop_name);
  free(job->marketplace);
  free(job->policy);
  free((char *)job->shop.base_url);
  free((char *)job->shop.app_key);
  free((char *)job->shop.shop_id);
  if (job->shop.access_token)
    explicit_bzero((char *)job->shop.access_token, strlen(job->shop.access_token));
  free((char *)job->shop.access_token);
  free(job->token_err);
  free((char *)job->listing.sku);
  free((char *)job->listing.name);
  free((char *)job->listing.description);
  free((char *)job->listing.category);
  free((char *)job->listing.unit);
  free((char *)job->listing.certificate_no);
  free((char *)job->listing.item_id);
  vset_free(&job->vars);
  content_free(&job->content);
  free(job->rules);
  free(job->upload_data);
  free(job->held_why);
  free(job->last_error);
  free(job->why);
  for (i = 0; i < job->nopts; i++) {
    free((char *)job->opts[i].key);
    free((char *)job->opts[i].value);
  }
  free(job->opts);
  free(job);
}
