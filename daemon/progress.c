/* progress.c — see progress.h. */
#include "progress.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "log.h"
#include "ms.h"

struct progress {
  uv_timer_t timer;
  db_t *db;
  unsigned interval_ms;
  uint64_t finished;      /* jobs finished since start */
  int running;            /* a backlog is being worked through */
  int asking;             /* a count is in flight */
  int closing;
  uint64_t run_start_ms, run_start_finished;
  void (*closed_cb)(void *arg);
  void *closed_arg;
};

static void free_if_done(progress_t *p);

/* "1h02m", "3m20s", "45s". */
static void format_left(double s, char *buf, size_t len) {
  unsigned long t = s > 360000 ? 360000 : (unsigned long)(s + 0.5);

  if (t >= 3600)
    snprintf(buf, len, "%luh%02lum", t / 3600, t / 60 % 60);
  else if (t >= 60)
    snprintf(buf, len, "%lum%02lus", t / 60, t % 60);
  else
    snprintf(buf, len, "%lus", t);
}

static void report(progress_t *p, unsigned long long backlog) {
  uint64_t now = ms_mono();
  unsigned long long done = p->finished - p->run_start_finished;
  /* The rate since the run began: one interval's is too jumpy to tell
   * the time left by (a shop over its rate limit works in bursts). */
  double secs = (double)(now - p->run_start_ms) / 1000.0;
  double rate = p->running && secs > 0 ? (double)done / secs : 0;
  char left[32] = "unknown";

  if (!p->running) {
    if (backlog < PROGRESS_MIN_BACKLOG)
      return;
    p->running = 1;
    p->run_start_ms = now;
    p->run_start_finished = p->finished;
    log_info("outbox", "working through a backlog", "queued=%llu", backlog);
  } else if (backlog == 0) {
    p->running = 0;
    log_info("outbox", "backlog done", "jobs=%llu seconds=%.1f", done,
             (double)(now - p->run_start_ms) / 1000.0);
  } else {
    if (rate > 0)
      format_left((double)backlog / rate, left, sizeof left);
    log_info("outbox", "progress", "done=%llu of=%llu percent=%.0f rate_per_s=%.0f left=%s", done,
             done + backlog, 100.0 * (double)done / (double)(done + backlog), rate, left);
  }
}

static void on_count(void *arg, PGresult *res, const char *err) {
  progress_t *p = arg;

  p->asking = 0;
  if (!err && !p->closing && res && PQntuples(res) == 1)
    report(p, strtoull(PQgetvalue(res, 0, 0), NULL, 10));
  free_if_done(p);
}

static void on_tick(uv_timer_t *t) {
  progress_t *p = t->data;

  if (p->asking || !db_is_up(p->db))
    return;
  p->asking = 1;
  /* The due and the waiting alike: retries are part of the run. */
  if (db_query(p->db, "SELECT count(*) FROM outbox WHERE state IN ('pending', 'running')", 0,
               NULL, on_count, p) != 0)
    p->asking = 0;
}

progress_t *progress_new(uv_loop_t *loop, db_t *db, unsigned interval_ms) {
  progress_t *p = calloc(1, sizeof *p);

  if (!p)
    return NULL;
  p->db = db;
  uv_timer_init(loop, &p->timer);
  p->timer.data = p;
  uv_unref((uv_handle_t *)&p->timer);
  progress_set_interval(p, interval_ms);
  return p;
}

void progress_set_interval(progress_t *p, unsigned interval_ms) {
  if (interval_ms == p->interval_ms)
    return;
  p->interval_ms = interval_ms;
  uv_timer_stop(&p->timer);
  if (interval_ms > 0 && !p->closing)
    uv_timer_start(&p->timer, on_tick, interval_ms, interval_ms);
}

void progress_finished(progress_t *p) { p->finished++; }

void progress_stop(progress_t *p) { uv_timer_stop(&p->timer); }

static void on_closed(uv_handle_t *h) {
  progress_t *p = h->data;

  p->closing = 2;
  free_if_done(p);
}

static void free_if_done(progress_t *p) {
  if (p->closing != 2 || p->asking)
    return;
  if (p->closed_cb)
    p->closed_cb(p->closed_arg);
  free(p);
}

void progress_close(progress_t *p, void (*closed_cb)(void *arg), void *arg) {
  p->closing = 1;
  p->closed_cb = closed_cb;
  p->closed_arg = arg;
  uv_close((uv_handle_t *)&p->timer, on_closed);
}
