/*
 * ctl_assortment.h — shop owners and assortments (ctl_assortment.c) and
 * `ocopctl listings` (ctl_listings.c).
 *
 * Every change is made in one transaction that names the operator first
 * (ctl_begin_change), so the audit events the database writes for it
 * (sql/logic/assortment.sql) say who made it; a refused argument rolls the
 * whole change back.
 */
#ifndef OCOP_CTL_ASSORTMENT_H
#define OCOP_CTL_ASSORTMENT_H

#include "ocopctl.h"

/* `shop assortment SHOP [...]` and `shop owner SHOP ...`: argv as cmd_shop's
 * (argv[1] the subcommand, argv[2] the shop). */
int ctl_shop_assortment(struct ctl *ctl, int argc, char **argv);
int ctl_shop_owner(struct ctl *ctl, int argc, char **argv);

/* BEGIN, then names the OS user who runs ocopctl as the actor of every
 * audit event of the transaction. CTL_OK, or CTL_FAIL after printing why. */
int ctl_begin_change(PGconn *conn, const char *command);
/* COMMIT (ok) or ROLLBACK; returns rc, or CTL_FAIL when the commit fails. */
int ctl_end_change(PGconn *conn, const char *command, int rc);

/* The id of the producer named exactly `name` into id (decimal text). 1
 * found, 0 not found (after printing "OPTION \"name\": no producer ..."
 * with close names), -1 on a database error (printed). */
int ctl_find_producer(PGconn *conn, const char *command, const char *option, const char *name,
                      char *id, size_t idlen);

/* The shop named `name`: 1 found (id), 0 not found (printed), -1 error. */
int ctl_find_shop(PGconn *conn, const char *command, const char *name, char *id, size_t idlen);

/* ctl_listings.c */
int cmd_listings(struct ctl *ctl, int argc, char **argv);

/* Pads or cuts UTF-8 text to `width` characters (not bytes) into out. */
void ctl_fit(char *out, size_t outlen, const char *s, int width);

#endif
