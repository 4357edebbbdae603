/* prepare.c — see prepare.h. */
#include "prepare.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define PREP_MAX_RULE_STEPS 8
#define PREP_WAIT_MEDIA_MS 2000 /* an image being read and checked */
#define PREP_WAIT_UPLOAD_MS 300 /* another job uploads the same image or reads
                                 * the same rules */

/* An upload in flight, by shop and content. */
struct busy {
  struct busy *next;
  char key[100];
};

struct prep {
  db_t *db;
  void (*wake_media)(void *arg);
  void *arg;
  struct busy *busy;
};

/* One job's preparation. */
struct run {
  prep_t *p;
  struct job *job;
  struct call_env env;
  const char *cred_dir;
  prep_cb cb;
  char key[100]; /* the upload this run marked busy; "" when none */
};

prep_t *prep_new(db_t *db, void (*wake_media)(void *arg), void *arg) {
  prep_t *p = calloc(1, sizeof *p);

  if (p) {
    p->db = db;
    p->wake_media = wake_media;
    p->arg = arg;
  }
  return p;
}

void prep_free(prep_t *p) {
  struct busy *b, *n;

  if (!p)
    return;
  for (b = p->busy; b; b = n) {
    n = b->next;
    free(b);
  }
  free(p);
}

/* ---- uploads in flight ---------------------------------------------------- */

static int busy_has(const prep_t *p, const char *key) {
  const struct busy *b;

  for (b = p->busy; b; b = b->next)
    if (strcmp(b->key, key) == 0)
      return 1;
  return 0;
}

static int busy_add(prep_t *p, const char *key) {
  struct busy *b = calloc(1, sizeof *b);

  if (!b)
    return -1;
  snprintf(b->key, sizeof b->key, "%s", key);
  b->next = p->busy;
  p->busy = b;
  return 0;
}

static void busy_del(prep_t *p, const char *key) {
  struct busy **pp, *b;

  for (pp = &p->busy; (b = *pp) != NULL; pp = &b->next)
    if (strcmp(b->key, key) == 0) {
      *pp = b->next;
      free(b);
      return;
    }
}

/* ---- ending ------------------------------------------------------------------ */

static void end(struct run *r, enum prep_result res, const call_result *cr, const char *why,
                uint64_t wait_ms) {
  struct job *job = r->job;
  prep_cb cb = r->cb;

  if (r->key[0])
    busy_del(r->p, r->key);
  free(r);
  cb(job, res, cr, why, wait_ms);
}

/* A failure of ours while storing what a call learnt: retried like a
 * transient call failure, counting an attempt. */
static void end_db_failed(struct run *r, const char *what, const char *err) {
  call_result cr;

  memset(&cr, 0, sizeof cr);
  cr.verdict = CALL_RETRY;
  cr.op = r->job->op;
  snprintf(cr.message, sizeof cr.message, "cannot %s: %s", what, err);
  end(r, PREP_FAILED, &cr, cr.message, 0);
}

static void call(struct run *r, oc_op op, call_cb cb) {
  struct call_req req;

  r->job->op = op;
  job_call_req(r->job, op, r->cred_dir, &req);
  call_start(&r->env, &req, cb, r);
}

static void next(struct run *r);

/* ---- the category's rules ---------------------------------------------- */

static void on_rules_stored(void *arg, PGresult *res, const char *err) {
  struct run *r = arg;

  (void)res;
  if (err) {
    end_db_failed(r, "store the category's rules", err);
    return;
  }
  log_info("prepare", "category rules read", "shop=%s category=%s", r->job->shop_name,
           r->job->content.category);
  end(r, PREP_AGAIN, NULL, "category rules read", 0); /* frees the busy key */
}

static void rules_step(struct run *r);

static void on_rules(void *arg, call_result *res) {
  struct run *r = arg;
  struct job *job = r->job;
  char shop[24];
  const char *params[3];

  if (res->verdict != CALL_OK || !res->r.category.rules) {
    if (res->verdict == CALL_OK)
      snprintf(res->message, sizeof res->message, "the category's rules came back empty");
    end(r, PREP_FAILED, res, res->message, 0);
    return;
  }
  free(job->rules);
  job->rules = res->r.category.rules; /* moved out: call.c frees NULL */
  res->r.category.rules = NULL;
  if (res->r.category.more && job->prep_steps < PREP_MAX_RULE_STEPS) {
    rules_step(r);
    return;
  }
  snprintf(shop, sizeof shop, "%lld", job->shop_id);
  params[0] = shop;
  params[1] = job->content.category;
  params[2] = job->rules;
  if (db_query(r->p->db, "SELECT ocop_store_rules($1::bigint, $2, $3::jsonb)", 3, params,
               on_rules_stored, r) != 0)
    end_db_failed(r, "store the category's rules", "shutting down");
}

/* The first step of reading the rules; a job whose shop is reading the
 * same category's rules already waits for them. */
static void rules_start(struct run *r) {
  struct job *job = r->job;

  snprintf(r->key, sizeof r->key, "rules:%lld:%s", job->shop_id, job->content.category);
  if (busy_has(r->p, r->key)) {
    r->key[0] = '\0';
    end(r, PREP_AGAIN, NULL, "the shop is reading this category's rules", PREP_WAIT_UPLOAD_MS);
    return;
  }
  if (busy_add(r->p, r->key) != 0) {
    r->key[0] = '\0';
    end_db_failed(r, "read the category's rules", "out of memory");
    return;
  }
  rules_step(r);
}

static void rules_step(struct run *r) {
  struct job *job = r->job;

  job->catq.category_id = job->content.category;
  job->catq.step = job->prep_steps++;
  job->catq.rules = job->rules ? job->rules : "";
  call(r, OC_OP_CATEGORY, on_rules);
}

/* ---- uploads --------------------------------------------------------------- */

static void upload_key(const struct job *job, const struct content_upload *u, char *key,
                       size_t len) {
  snprintf(key, len, "%lld:%s:%d", job->shop_id, u->sha256, u->certificate);
}

static void on_recorded(void *arg, PGresult *res, const char *err) {
  struct run *r = arg;

  (void)res;
  if (err) {
    end_db_failed(r, "record an upload", err);
    return;
  }
  busy_del(r->p, r->key);
  r->key[0] = '\0';
  r->job->prep_upload++;
  next(r);
}

static void on_uploaded(void *arg, call_result *res) {
  struct run *r = arg;
  struct job *job = r->job;
  const struct content_upload *u = &job->content.uploads[job->prep_upload];
  char shop[24];
  const char *params[5];

  free(job->upload_data);
  job->upload_data = NULL;
  if (res->verdict != CALL_OK) {
    end(r, PREP_FAILED, res, res->message, 0);
    return;
  }
  log_info("prepare", "image uploaded", "shop=%s sku=%s image=%s sha256=%.12s", job->shop_name,
           job->listing.sku, u->name, u->sha256);
  snprintf(shop, sizeof shop, "%lld", job->shop_id);
  params[0] = shop;
  params[1] = u->sha256;
  params[2] = u->certificate ? "true" : "false";
  params[3] = res->r.upload.remote_id;
  params[4] = res->r.upload.url;
  if (db_query(r->p->db, "SELECT ocop_record_upload($1::bigint, $2, $3::boolean, $4, $5)", 5,
               params, on_recorded, r) != 0)
    end_db_failed(r, "record an upload", "shutting down");
}

/* The image's bytes are read from the database, where the checker put
 * them: what is uploaded is exactly what was checked. */
static void on_bytes(void *arg, PGresult *res, const char *err) {
  struct run *r = arg;
  struct job *job = r->job;
  const struct content_upload *u = &job->content.uploads[job->prep_upload];
  unsigned char *raw;
  size_t len = 0;

  if (err || PQntuples(res) != 1) {
    end_db_failed(r, "read an image's bytes", err ? err : "no such image");
    return;
  }
  raw = PQunescapeBytea((const unsigned char *)PQgetvalue(res, 0, 3), &len);
  if (!raw || (job->upload_data = malloc(len ? len : 1)) == NULL) {
    PQfreemem(raw);
    end_db_failed(r, "read an image's bytes", "out of memory");
    return;
  }
  memcpy(job->upload_data, raw, len);
  PQfreemem(raw);
  memset(&job->upload, 0, sizeof job->upload);
  job->upload.data = job->upload_data;
  job->upload.len = len;
  job->upload.filename = u->name;
  job->upload.mime = strcmp(PQgetvalue(res, 0, 0), "png") == 0 ? "image/png" : "image/jpeg";
  job->upload.width = atoi(PQgetvalue(res, 0, 1));
  job->upload.height = atoi(PQgetvalue(res, 0, 2));
  job->upload.certificate = u->certificate;
  call(r, OC_OP_UPLOAD_IMAGE, on_uploaded);
}

static void upload_next(struct run *r) {
  struct job *job = r->job;
  const struct content_upload *u = &job->content.uploads[job->prep_upload];
  const char *params[1];

  upload_key(job, u, r->key, sizeof r->key);
  if (busy_has(r->p, r->key)) {
    r->key[0] = '\0';
    end(r, PREP_AGAIN, NULL, "another job is uploading the same image", PREP_WAIT_UPLOAD_MS);
    return;
  }
  if (busy_add(r->p, r->key) != 0) {
    r->key[0] = '\0';
    end_db_failed(r, "start an upload", "out of memory");
    return;
  }
  params[0] = u->sha256;
  if (db_query(r->p->db, "SELECT format, width, height, data FROM media WHERE sha256 = $1", 1,
               params, on_bytes, r) != 0)
    end_db_failed(r, "read an image's bytes", "shutting down");
}

/* ---- the order of things ---------------------------------------------------- */

/* Images being checked are awaited; then a problem holds the listing;
 * then rules and uploads come first, in that order; the send comes last. A connector that
 * cannot read rules or upload images sends what the catalogue says. */
static void next(struct run *r) {
  struct job *job = r->job;
  const struct content *c = &job->content;
  const oc_connector *conn = job->hold.conn;

  if (c->waiting) {
    /* First, so a listing is held once, for what its checked images and
     * rules say, not again when a check completes. */
    if (r->p->wake_media)
      r->p->wake_media(r->p->arg);
    end(r, PREP_AGAIN, NULL, "waiting for the listing's images to be read and checked",
        PREP_WAIT_MEDIA_MS);
  } else if (c->problem) {
    end(r, PREP_HELD, NULL, c->problem, 0);
  } else if (c->rules_due && oc_supports(conn, OC_OP_CATEGORY) && job->prep_upload == 0) {
    rules_start(r);
  } else if (job->prep_upload < c->nuploads && oc_supports(conn, OC_OP_UPLOAD_IMAGE)) {
    upload_next(r);
  } else if (c->nuploads > 0 && oc_supports(conn, OC_OP_UPLOAD_IMAGE)) {
    /* Uploads were recorded: claim again, so the content names them. */
    end(r, PREP_AGAIN, NULL, "images uploaded", 0);
  } else {
    content_apply(c, &job->listing);
    end(r, PREP_SEND, NULL, NULL, 0);
  }
}

void prep_start(prep_t *p, struct job *job, const struct call_env *env, const char *cred_dir,
                prep_cb cb) {
  struct run *r = calloc(1, sizeof *r);

  if (!r) {
    call_result cr;

    memset(&cr, 0, sizeof cr);
    cr.verdict = CALL_RETRY;
    snprintf(cr.message, sizeof cr.message, "out of memory");
    cb(job, PREP_FAILED, &cr, cr.message, 0);
    return;
  }
  r->p = p;
  r->job = job;
  r->env = *env;
  r->cred_dir = cred_dir;
  r->cb = cb;
  next(r);
}
