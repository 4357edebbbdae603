/*
 * metrics.h — ocopd's counters and histograms, and /metrics in the
 * Prometheus text exposition format 0.0.4 (prefix metrics_).
 *
 * The daemon's modules count with one-line calls as things happen; the
 * counts live in this process (ocopd runs one thread, so nothing is
 * locked) and start again at zero with it, as Prometheus expects of
 * counters. What the database knows (jobs, listings, certificates,
 * warnings, tokens) is read at scrape time by one query,
 * ocop_admin_gauges() in sql/logic/admin.sql, and rendered here with the
 * in-process families. docs/admin.md lists every metric and its labels.
 *
 * No secret is ever a label: the labels are shop names, marketplace
 * names, job kinds, states and outcome words.
 */
#ifndef OCOP_METRICS_H
#define OCOP_METRICS_H

#include <libpq-fe.h>
#include <stddef.h>
#include <stdint.h>

#include "call.h"

/* A marketplace call answered (or failed in transport) after `seconds`;
 * lib/call.c reports it through call_set_observer. */
void metrics_call(const char *marketplace, call_verdict outcome, double seconds);
/* A job's run ended with `outcome` (daemon/outbox.c's words) after ms. */
void metrics_job(const char *shop, const char *kind, const char *outcome, uint64_t ms);
/* A call waited for a shop's rate: by "ocopd" (its own limit) or
 * "marketplace" (the marketplace asked for a pause). */
void metrics_rate_wait(const char *shop, const char *marketplace, const char *by);
/* A token refresh ended: "ok", "failed" or "refused". */
void metrics_token_refresh(const char *shop, const char *outcome);
/* A shop lost its authorisation: the seller must authorise again. */
void metrics_reauth(const char *shop);
/* n new orders of a shop were written. */
void metrics_orders(const char *shop, long n);
/* A push was answered: outcome "stored", "duplicate", "ignored" (signed for
 * a shop this daemon does not run), "refused" (4xx) or "failed" (5xx). The
 * marketplace is one that has a connector, never a name from the URL. */
void metrics_push(const char *marketplace, const char *outcome);
/* n push connections were closed before their request arrived whole: why
 * "deadline" or "room" (the endpoint was full). */
void metrics_push_closed(const char *why, unsigned n);
/* A database connection (conn: "main", "listen", "admin") came up or went
 * down; a reconnect is an up after a down. */
void metrics_db_state(const char *conn, int up);

/* The exposition: the in-process families, then the database's gauges
 * (rows of ocop_admin_gauges(); NULL when the database did not answer, and
 * ocopd_db_scrape_ok says so). malloc'd; NULL when out of memory. */
char *metrics_render(const PGresult *gauges, size_t *len);
/* Counting starts: the start time, and lib/call.c's observer. */
void metrics_start(void);
/* Frees every series (at exit). */
void metrics_free(void);

#endif
