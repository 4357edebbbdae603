/* notify.c — see notify.h. */
#include "notify.h"

#include "build_config.h" /* HAVE_SYSTEMD, from configure */

#ifdef HAVE_SYSTEMD
#include <stdint.h>
#include <systemd/sd-daemon.h>
#include <time.h>

static uv_timer_t watchdog;
static db_t *watched_db;
static uint64_t last_up_ms;

void notify_ready(void) { sd_notify(0, "READY=1\nSTATUS=running"); }

void notify_reloading(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  sd_notifyf(0, "RELOADING=1\nMONOTONIC_USEC=%llu",
             (unsigned long long)ts.tv_sec * 1000000ULL + (unsigned long long)ts.tv_nsec / 1000);
}

void notify_stopping(void) { sd_notify(0, "STOPPING=1"); }

static void on_watchdog(uv_timer_t *t) {
  uint64_t now = uv_now(t->loop);

  if (db_is_up(watched_db))
    last_up_ms = now;
  /* A database outage is survivable; a loop that stopped turning is not,
   * and a timer that fires proves the loop turns. Stop petting only when
   * the database has been gone for long (10 minutes): then a restart is
   * the better repair. */
  if (now - last_up_ms < 600000)
    sd_notify(0, "WATCHDOG=1");
}

void notify_start_watchdog(uv_loop_t *loop, db_t *db) {
  uint64_t usec = 0;

  if (sd_watchdog_enabled(0, &usec) <= 0 || usec == 0)
    return;
  watched_db = db;
  last_up_ms = uv_now(loop);
  uv_timer_init(loop, &watchdog);
  uv_timer_start(&watchdog, on_watchdog, usec / 2000, usec / 2000);
  uv_unref((uv_handle_t *)&watchdog);
}

void notify_stop_watchdog(void) {
  if (watched_db) {
    uv_close((uv_handle_t *)&watchdog, NULL);
    watched_db = NULL;
  }
}
#else
void notify_ready(void) {}
void notify_reloading(void) {}
void notify_stopping(void) {}
void notify_start_watchdog(uv_loop_t *loop, db_t *db) {
  (void)loop;
  (void)db;
}
void notify_stop_watchdog(void) {}
#endif
