/*
 * notify.h — telling systemd how ocopd is doing (Type=notify).
 *
 * READY=1 once the loop is about to run, RELOADING=1 around SIGHUP,
 * STOPPING=1 on shutdown, and WATCHDOG=1 from a loop timer at half of
 * WatchdogSec — only while the database is connected or its reconnect is
 * recent, so a wedged daemon gets restarted rather than kept alive by a
 * blind timer. Without libsystemd (or outside systemd) these do nothing.
 */
#ifndef OCOP_NOTIFY_H
#define OCOP_NOTIFY_H

#include <uv.h>

#include "db.h"

void notify_ready(void);
void notify_reloading(void);
void notify_stopping(void);
/* Starts the watchdog timer if systemd asked for one; unref'd so it never
 * keeps the loop alive. */
void notify_start_watchdog(uv_loop_t *loop, db_t *db);
/* Closes the watchdog timer so the loop can close. */
void notify_stop_watchdog(void);

#endif
