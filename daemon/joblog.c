/* joblog.c — see joblog.h. */
#include "joblog.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

/* More kinds of failure than this in one window are logged one by one. */
#define JOBLOG_GROUPS 64

enum joblog_what { JL_RETRY, JL_REJECTED, JL_DEAD };

static const char *const what_msg[] = {"job failed; will retry", "job rejected",
                                       "job dead: given up; it will not be tried again"};

struct group {
  int used;
  enum joblog_what what;
  char shop[64];
  char key[160];  /* the error with its numbers taken out */
  char err[400];  /* the first error in full */
  unsigned count; /* like it since the first, not yet logged */
  long long first_job, last_job;
};

struct joblog {
  uv_timer_t timer;
  struct group groups[JOBLOG_GROUPS];
  void (*closed_cb)(void *arg);
  void *closed_arg;
};

/* Errors that differ only in numbers are the same error. */
static void error_key(const char *err, char *key, size_t len) {
  size_t n = 0;

  for (; *err && n + 1 < len; err++) {
    if (*err >= '0' && *err <= '9') {
      if (n == 0 || key[n - 1] != '#')
        key[n++] = '#';
    } else {
      key[n++] = *err;
    }
  }
  key[n] = '\0';
}

/* A dead job's next step, by what its error says. Each ends "then:", and
 * the retry command follows: of the shop where the cause is the shop's, of
 * the job otherwise. */
static const struct {
  const char *needle; /* in the error */
  const char *hint;
  int by_shop;
} dead_hints[] = {
    {"credential", "put the shop's secret in the credentials folder (ocopd --check-config "
                   "names it), then:", 1},
    {"secret", "put the shop's secret in the credentials folder (ocopd --check-config names "
               "it), then:", 1},
    {"token", "authorise the shop again (ocopctl shop authorize, or shop token), then:", 1},
    {"auth", "authorise the shop again (ocopctl shop authorize, or shop token), then:", 1},
    {"option", "set the shop's options (ocopctl shop options MARKETPLACE lists them), then:", 1},
};

#define NHINTS (sizeof dead_hints / sizeof dead_hints[0])

static size_t hint_of(const char *err) {
  size_t i;

  for (i = 0; i < NHINTS; i++)
    if (err && strstr(err, dead_hints[i].needle))
      break;
  return i;
}

const char *joblog_dead_hint(const char *err) {
  size_t i = hint_of(err);

  return i < NHINTS ? dead_hints[i].hint
                    : "fix what the reason says (the catalogue, the shop's options or its "
                      "marketplace account), then:";
}

/* The first of its kind: the whole line. */
static void log_first(enum joblog_what what, const struct job *job, unsigned long long retry_ms,
                      const char *err) {
  size_t h = hint_of(err);
  char todo[320];

  if (what == JL_RETRY) {
    log_warn("outbox", what_msg[what],
             "job=%lld kind=%s shop=%s sku=%s attempt=%d retry_ms=%llu err=%s", job->id,
             job->kind_name, job->shop_name, job->listing.sku, job->attempts, retry_ms, err);
    return;
  }
  if (what == JL_REJECTED) {
    log_warn("outbox", what_msg[what], "job=%lld kind=%s shop=%s sku=%s attempt=%d err=%s",
             job->id, job->kind_name, job->shop_name, job->listing.sku, job->attempts, err);
    return;
  }
  if (h < NHINTS && dead_hints[h].by_shop)
    snprintf(todo, sizeof todo, "%s ocopctl retry --shop %s", joblog_dead_hint(err),
             job->shop_name);
  else
    snprintf(todo, sizeof todo, "%s ocopctl retry %lld", joblog_dead_hint(err), job->id);
  log_error("outbox", what_msg[what],
            "job=%lld kind=%s shop=%s sku=%s attempts=%d reason=%s todo=%s", job->id,
            job->kind_name, job->shop_name, job->listing.sku, job->attempts, err, todo);
}

static struct group *find_group(joblog_t *jl, enum joblog_what what, const char *shop,
                                const char *key) {
  size_t i;

  for (i = 0; i < JOBLOG_GROUPS; i++) {
    struct group *g = &jl->groups[i];

    if (g->used && g->what == what && strcmp(g->shop, shop) == 0 && strcmp(g->key, key) == 0)
      return g;
  }
  return NULL;
}

static struct group *new_group(joblog_t *jl) {
  size_t i;

  for (i = 0; i < JOBLOG_GROUPS; i++)
    if (!jl->groups[i].used)
      return &jl->groups[i];
  return NULL;
}

static void flush_group(struct group *g) {
  if (g->count == 0)
    return;
  if (g->what == JL_DEAD) {
    char todo[320];

    snprintf(todo, sizeof todo, "%s ocopctl retry --shop %s", joblog_dead_hint(g->err), g->shop);
    log_error("outbox", "more jobs dead with the same reason",
              "count=%u shop=%s jobs=%lld..%lld reason=%s todo=%s", g->count, g->shop,
              g->first_job, g->last_job, g->err, todo);
  } else
    log_warn("outbox", g->what == JL_RETRY ? "more jobs failed the same way; will retry"
                                           : "more jobs rejected the same way",
             "count=%u shop=%s jobs=%lld..%lld window_s=%d err=%s", g->count, g->shop,
             g->first_job, g->last_job, JOBLOG_WINDOW_MS / 1000, g->err);
  g->count = 0;
}

/* Every window: what was counted is logged; a kind that stayed quiet for a
 * whole window is forgotten, so its next failure is logged in full. */
static void on_window(uv_timer_t *t) {
  joblog_t *jl = t->data;
  size_t i;
  int live = 0;

  for (i = 0; i < JOBLOG_GROUPS; i++) {
    struct group *g = &jl->groups[i];

    if (!g->used)
      continue;
    if (g->count == 0) {
      g->used = 0;
      continue;
    }
    flush_group(g);
    live = 1;
  }
  if (!live)
    uv_timer_stop(&jl->timer);
}

static void note(joblog_t *jl, enum joblog_what what, const struct job *job,
                 unsigned long long retry_ms, const char *err) {
  char key[160];
  struct group *g;

  error_key(err ? err : "", key, sizeof key);
  g = find_group(jl, what, job->shop_name, key);
  if (g) {
    if (g->count++ == 0)
      g->first_job = job->id;
    g->last_job = job->id;
    log_debug("outbox", what_msg[what], "job=%lld kind=%s shop=%s sku=%s attempt=%d err=%s",
              job->id, job->kind_name, job->shop_name, job->listing.sku, job->attempts, err);
    return;
  }
  log_first(what, job, retry_ms, err ? err : "");
  g = new_group(jl);
  if (!g)
    return; /* too many kinds at once: each is logged in full */
  memset(g, 0, sizeof *g);
  g->used = 1;
  g->what = what;
  snprintf(g->shop, sizeof g->shop, "%s", job->shop_name);
  snprintf(g->key, sizeof g->key, "%s", key);
  snprintf(g->err, sizeof g->err, "%s", err ? err : "");
  if (!uv_is_active((uv_handle_t *)&jl->timer))
    uv_timer_start(&jl->timer, on_window, JOBLOG_WINDOW_MS, JOBLOG_WINDOW_MS);
}

void joblog_failed(joblog_t *jl, const struct job *job, int retry, unsigned long long retry_ms,
                   const char *err) {
  note(jl, retry ? JL_RETRY : JL_REJECTED, job, retry_ms, err);
}

void joblog_dead(joblog_t *jl, const struct job *job, const char *err) {
  note(jl, JL_DEAD, job, 0, err);
}

joblog_t *joblog_new(uv_loop_t *loop) {
  joblog_t *jl = calloc(1, sizeof *jl);

  if (!jl)
    return NULL;
  uv_timer_init(loop, &jl->timer);
  jl->timer.data = jl;
  /* A window still counting must not keep a stopping loop alive. */
  uv_unref((uv_handle_t *)&jl->timer);
  return jl;
}

static void on_closed(uv_handle_t *h) {
  joblog_t *jl = h->data;

  if (jl->closed_cb)
    jl->closed_cb(jl->closed_arg);
  free(jl);
}

void joblog_close(joblog_t *jl, void (*closed_cb)(void *arg), void *arg) {
  size_t i;

  for (i = 0; i < JOBLOG_GROUPS; i++)
    if (jl->groups[i].used)
      flush_group(&jl->groups[i]);
  jl->closed_cb = closed_cb;
  jl->closed_arg = arg;
  uv_close((uv_handle_t *)&jl->timer, on_closed);
}
