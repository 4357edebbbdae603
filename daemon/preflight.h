/*
 * preflight.h — what ocopd checks before it touches the database.
 *
 * Start-up writes to the database: migrations, the test clock pin, LISTEN,
 * claims. A config that cannot run must stop ocopd before any of that, so
 * that a bad config changes nothing. Checked here, with no side effect: each
 * listen address can be bound now (nothing else listens there, and this
 * machine has that address), the two addresses differ, and the credentials
 * folder in force can be read. The config file was read before this, and
 * daemon/main.c loads the connectors before it opens the database.
 *
 * The servers bind later, once the database is up: a port taken in between
 * still stops ocopd, after its migrations.
 */
#ifndef OCOP_PREFLIGHT_H
#define OCOP_PREFLIGHT_H

#include "config.h"

/* Logs one error line per problem; returns how many there were (0: go). */
int preflight_check(const struct config *cfg);

#endif
