/*
 * check_config.h — `ocopd --check-config`: everything the daemon will need,
 * checked before it is needed.
 *
 * The config file (every problem in it), the listen addresses (each can be
 * bound), the connectors (at least one loads), the database (it answers, and
 * its schema is this build's or one ocopd migrates at start), the
 * credentials folder, and the secret of every shop that is not paused. One
 * line per check; every problem is reported, not only the first.
 */
#ifndef OCOP_CHECK_CONFIG_H
#define OCOP_CHECK_CONFIG_H

#include <stdio.h>

/* Checks the config at path and prints the result to out; returns the
 * number of problems found (0: ocopd can start). */
int check_config_run(const char *path, FILE *out);

#endif
