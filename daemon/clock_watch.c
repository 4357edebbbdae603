/* clock_watch.c — see clock_watch.h. */
#include "clock_watch.h"

#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "ms.h"

#define RECHECK_MS 60000 /* longest sleep: bounds how late a clock jump is seen */

struct clock_watch {
  uv_timer_t timer;
  db_t *db;
  clock_day_cb cb;
  void *arg;
  char date[11];  /* last answer; "" before the first */
  int asking;     /* a query is in flight: never two at once */
  int ask_again;  /* poked while asking */
  int stopping;   /* freed once the timer is closed and no query is out */
  int timer_closed;
};

static void arm(clock_watch_t *w);
static void ask(clock_watch_t *w);

static void maybe_free(clock_watch_t *w) {
  if (w->stopping && w->timer_closed && !w->asking)
    free(w);
}

static void on_answer(void *arg, PGresult *res, const char *err) {
  clock_watch_t *w = arg;
  const char *date;

  w->asking = 0;
  if (w->stopping) {
    maybe_free(w);
    return;
  }
  /* No answer (the connection is down): the next wake-up asks again, and a
   * reconnect pokes. */
  if (!err && PQntuples(res) == 1 && PQgetlength(res, 0, 0) == 10) {
    date = PQgetvalue(res, 0, 0);
    if (w->date[0] && strcmp(w->date, date) != 0) {
      memcpy(w->date, date, sizeof w->date);
      w->cb(w->arg, w->date);
    } else {
      memcpy(w->date, date, sizeof w->date);
    }
  }
  if (w->ask_again) {
    w->ask_again = 0;
    ask(w);
  }
}

static void ask(clock_watch_t *w) {
  if (w->asking) {
    w->ask_again = 1;
    return;
  }
  if (db_query(w->db, "SELECT ocop_today()::text", 0, NULL, on_answer, w) == 0)
    w->asking = 1;
}

static void on_timer(uv_timer_t *t) {
  clock_watch_t *w = t->data;

  ask(w);
  arm(w);
}

static void arm(clock_watch_t *w) {
  /* 50 ms past midnight, so the timer never fires a hair early. */
  int64_t ms = clock_ms_to_vn_midnight(ms_wall()) + 50;

  uv_timer_start(&w->timer, on_timer, (uint64_t)(ms < RECHECK_MS ? ms : RECHECK_MS), 0);
}

clock_watch_t *clock_watch_start(uv_loop_t *loop, db_t *db, clock_day_cb cb, void *arg) {
  clock_watch_t *w = calloc(1, sizeof *w);

  if (!w)
    return NULL;
  w->db = db;
  w->cb = cb;
  w->arg = arg;
  uv_timer_init(loop, &w->timer);
  w->timer.data = w;
  ask(w);
  arm(w);
  return w;
}

void clock_watch_poke(clock_watch_t *w) {
  if (w && !w->stopping)
    ask(w);
}

static void on_closed(uv_handle_t *h) {
  clock_watch_t *w = h->data;

  w->timer_closed = 1;
  maybe_free(w);
}

void clock_watch_stop(clock_watch_t *w) {
  if (!w)
    return;
  w->stopping = 1;
  uv_close((uv_handle_t *)&w->timer, on_closed);
}
