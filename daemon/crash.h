/*
 * crash.h — a crash is never silent.
 *
 * On SIGSEGV, SIGBUS, SIGFPE, SIGILL or SIGABRT ocopd writes one logfmt
 * line to stderr (the journal, under systemd) naming the signal, then lets
 * the signal take its course: to the handler that was there before (the
 * sanitizers' in a sanitized build) or to the default action. So the
 * process still ends by that signal, dumps core where core dumps are
 * allowed, and systemd starts it again (Restart=on-failure,
 * systemd/ocopd.service.in). Nothing is lost by it: every job and its
 * lease are in the database, and a restart redoes what was in flight.
 */
#ifndef OCOP_CRASH_H
#define OCOP_CRASH_H

/* Installs the handlers; call once, early in main. */
void crash_install(void);

#endif
