/*
 * checks.h — what must hold after each part of the soak (prefix checks_):
 * no order lost or taken twice; no SKU on two items of a marketplace; every
 * variant that may be shown listed and active exactly once, every other one
 * withdrawn; stock conserved (the ledger sums to the levels, and each
 * channel shows what it was last told, which is the level less reserved
 * less the shop's buffer); no job dead.
 */
#ifndef OCOP_SOAK_CHECKS_H
#define OCOP_SOAK_CHECKS_H

#include "world.h"

struct checks {
  int orders_lost;      /* made on a marketplace, not in the database */
  int orders_extra;     /* in the database, never made */
  int sku_twice;        /* SKUs on more than one item of a shop */
  int not_listed;       /* variants that may be shown and are not, per shop */
  int not_withdrawn;    /* variants that may not be shown and are, per shop */
  int stock_ledger;     /* variants whose level is not their ledger's sum */
  int stock_told;       /* listed variants whose channel shows other stock */
  int dead_jobs;
};

/* Fills c; returns the number of problems (0: all holds). */
int checks_run(struct world *w, struct checks *c);
/* One line per kind of problem found, as TAP comments. */
void checks_print(const struct checks *c);

#endif
