/* outcomes.c — see outcomes.h. */
#include "outcomes.h"

#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

struct entry {
  long long job;
  char *params[OUTCOME_NPARAMS];
  outcomes_cb cb;
  void *arg;
};

/* One statement in flight: a batch, or one outcome sent again alone. */
struct req {
  outcomes_t *o;
  struct entry *e;
  size_t n;
};

struct outcomes {
  db_t *db;
  unsigned max_batch;
  struct entry *queue; /* waiting for the next batch, in arrival order */
  size_t n, cap;
  int writing;         /* a batch is in flight */
  unsigned inflight;   /* outcomes in statements in flight */
  struct outcomes_stats st;
};

static void send_batch(outcomes_t *o);

static void entry_clear(struct entry *e) {
  int i;

  for (i = 0; i < OUTCOME_NPARAMS; i++)
    free(e->params[i]);
  memset(e, 0, sizeof *e);
}

static int entry_set(struct entry *e, const char *const params[OUTCOME_NPARAMS]) {
  int i;

  memset(e, 0, sizeof *e);
  for (i = 0; i < OUTCOME_NPARAMS; i++)
    if (params[i] && (e->params[i] = strdup(params[i])) == NULL) {
      entry_clear(e);
      return -1;
    }
  e->job = e->params[0] ? strtoll(e->params[0], NULL, 10) : 0;
  return 0;
}

/* Tells the owner, then forgets the outcome. */
static void entry_done(struct entry *e, const char *state, const char *err) {
  outcomes_cb cb = e->cb;
  void *arg = e->arg;

  entry_clear(e);
  cb(arg, state, err);
}

static void req_free(struct req *r) {
  r->o->inflight -= (unsigned)r->n;
  free(r->e);
  free(r);
}

/* ---- one outcome on its own ------------------------------------------------- */

static void on_single(void *arg, PGresult *res, const char *err) {
  struct req *r = arg;

  entry_done(&r->e[0], err ? NULL : PQgetvalue(res, 0, 0), err);
  req_free(r);
}

static void send_single(outcomes_t *o, struct entry *e) {
  struct req *r = calloc(1, sizeof *r);

  if (r)
    r->e = malloc(sizeof *e);
  if (!r || !r->e) {
    free(r);
    entry_done(e, NULL, "out of memory");
    return;
  }
  r->o = o;
  r->n = 1;
  r->e[0] = *e;
  o->inflight++;
  o->st.singles++;
  if (db_query(o->db,
               "SELECT ocop_finish_job($1, $2, $3, $4, $5, $6::integer, $7, $8, $9, $10::smallint, "
               "$11::jsonb, $12, $13::integer)",
               OUTCOME_NPARAMS, (const char *const *)r->e[0].params, on_single, r) != 0) {
    entry_done(&r->e[0], NULL, "shutting down");
    req_free(r);
  }
}

/* ---- batches ------------------------------------------------------------------ */

static int by_job(const void *a, const void *b) {
  long long x = ((const struct entry *)a)->job, y = ((const struct entry *)b)->job;

  return x < y ? -1 : x > y;
}

/* The JSON array ocop_finish_jobs reads: one array of thirteen per outcome. */
static char *batch_json(const struct req *r) {
  cJSON *all = cJSON_CreateArray(), *row;
  char *text = NULL;
  size_t i;
  int k;

  for (i = 0; all && i < r->n; i++) {
    if ((row = cJSON_CreateArray()) == NULL || !cJSON_AddItemToArray(all, row))
      goto out;
    for (k = 0; k < OUTCOME_NPARAMS; k++) {
      const char *p = r->e[i].params[k];

      if (!cJSON_AddItemToArray(row, p ? cJSON_CreateString(p) : cJSON_CreateNull()))
        goto out;
    }
  }
  text = all ? cJSON_PrintUnformatted(all) : NULL;
out:
  cJSON_Delete(all);
  return text;
}

/* Rows come back in job order, as the batch was sorted. An outcome the
 * answer does not name is sent again on its own. */
static void on_batch(void *arg, PGresult *res, const char *err) {
  struct req *r = arg;
  outcomes_t *o = r->o;
  int row = 0, rows = err ? 0 : PQntuples(res);
  size_t i;

  if (err)
    log_warn("outbox", "cannot record a batch of outcomes; recording them one by one",
             "outcomes=%zu err=%s", r->n, err);
  for (i = 0; i < r->n; i++) {
    struct entry *e = &r->e[i];

    while (row < rows && strtoll(PQgetvalue(res, row, 0), NULL, 10) < e->job)
      row++;
    if (row < rows && strtoll(PQgetvalue(res, row, 0), NULL, 10) == e->job)
      entry_done(e, PQgetvalue(res, row, 1), NULL);
    else if (err && (!db_is_up(o->db) || strstr(err, "lock timeout")))
      /* The connection, or a row held elsewhere: sent alone they would
       * wait again, one after another. Their leases expire instead and
       * the jobs run again. */
      entry_done(e, NULL, err);
    else
      send_single(o, e);
  }
  /* Outcomes added by the callbacks above went to the queue: they are
   * the next batch. */
  o->writing = 0;
  req_free(r);
  send_batch(o);
}

static void send_batch(outcomes_t *o) {
  struct req *r;
  char *json;
  const char *why;
  size_t n = o->n < o->max_batch ? o->n : o->max_batch, i;

  if (o->writing || n == 0)
    return;
  if ((r = calloc(1, sizeof *r)) == NULL || (r->e = malloc(n * sizeof *r->e)) == NULL) {
    free(r);
    return; /* tried again with the next outcome */
  }
  r->o = o;
  r->n = n;
  memcpy(r->e, o->queue, n * sizeof *r->e);
  memmove(o->queue, o->queue + n, (o->n - n) * sizeof *o->queue);
  o->n -= n;
  o->inflight += (unsigned)n;
  qsort(r->e, n, sizeof *r->e, by_job);
  o->writing = 1;
  o->st.batches++;
  o->st.recorded += n;
  if (n > o->st.largest)
    o->st.largest = (unsigned)n;
  json = batch_json(r);
  why = json ? "shutting down" : "out of memory";
  if (json && db_query(o->db, "SELECT r_job, r_state FROM ocop_finish_jobs($1::jsonb)", 1,
                       (const char *const *)&json, on_batch, r) == 0) {
    free(json);
    return;
  }
  free(json);
  o->writing = 0;
  for (i = 0; i < n; i++)
    entry_done(&r->e[i], NULL, why);
  req_free(r);
}

/* ---- the interface ------------------------------------------------------------- */

outcomes_t *outcomes_new(db_t *db, unsigned max_batch) {
  outcomes_t *o = calloc(1, sizeof *o);

  if (!o)
    return NULL;
  o->db = db;
  o->max_batch = max_batch ? max_batch : 1;
  return o;
}

int outcomes_add(outcomes_t *o, const char *const params[OUTCOME_NPARAMS], outcomes_cb cb,
                 void *arg) {
  if (o->n == o->cap) {
    size_t cap = o->cap ? o->cap * 2 : 64;
    struct entry *q = realloc(o->queue, cap * sizeof *q);

    if (!q)
      return -1;
    o->queue = q;
    o->cap = cap;
  }
  if (entry_set(&o->queue[o->n], params) != 0)
    return -1;
  o->queue[o->n].cb = cb;
  o->queue[o->n].arg = arg;
  o->n++;
  send_batch(o);
  return 0;
}

unsigned outcomes_pending(const outcomes_t *o) { return (unsigned)o->n + o->inflight; }

void outcomes_get_stats(const outcomes_t *o, struct outcomes_stats *st) { *st = o->st; }

void outcomes_free(outcomes_t *o) {
  if (!o)
    return;
  free(o->queue);
  free(o);
}
