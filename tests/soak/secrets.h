/*
 * secrets.h — the soak's secrets canary (prefix secrets_): every partner
 * key and app secret, and every token the marketplaces gave out during the
 * run, looked for in what ocopd leaves where others can read: its logs, a
 * dump of its database, /metrics and /status. The count must be 0.
 */
#ifndef OCOP_SOAK_SECRETS_H
#define OCOP_SOAK_SECRETS_H

#include "world.h"

struct secrets_found {
  int secrets;   /* secret values looked for */
  int in_logs;
  int in_dump;
  int in_admin;  /* /metrics and /status */
};

/* Tokens the marketplaces hold now, kept for the final search (call it
 * whenever tokens may have changed: they rotate on refresh). */
void secrets_collect(struct world *w);
/* Searches; returns the number of places a secret was found. */
int secrets_search(struct world *w, struct secrets_found *f);

#endif
