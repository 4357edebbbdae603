/*
 * ocopctl.h — what every ocopctl command sees.
 *
 * A command is a function `int cmd_NAME(struct ctl *, int argc, char **argv)`
 * listed in the table in ocopctl.c with its usage text. argv[0] is the
 * command's name and argv holds only its own arguments: the global options
 * (-d CONNINFO) are already taken. It returns one of the CTL_ exit codes and
 * prints its own messages, errors prefixed "ocopctl: NAME: ".
 */
#ifndef OCOP_OCOPCTL_H
#define OCOP_OCOPCTL_H

#include <libpq-fe.h>

#define CTL_OK 0
#define CTL_FAIL 1  /* the command ran and failed, or the input was bad */
#define CTL_USAGE 2 /* the command line was wrong */

struct ctl {
  const char *conninfo; /* -d, else $OCOPD_DATABASE; may hold a password */
  PGconn *conn;         /* made by ctl_connect, closed by main */
  const char *today;    /* --today: tests only, pins the database's OCOP date */
};

/* Connects on first use (the conninfo is never printed); NULL after
 * printing why. */
PGconn *ctl_connect(struct ctl *ctl, const char *command);

/* Prints the command's usage line to stderr and returns CTL_USAGE. */
int ctl_usage(const char *command);

/* 1 when s is YYYY-MM-DD and that day exists (Gregorian). */
int ctl_is_iso_date(const char *s);

/* ocopctl.c */
int cmd_migrate(struct ctl *ctl, int argc, char **argv);
int cmd_import(struct ctl *ctl, int argc, char **argv);
/* ctl_shop.c, ctl_status.c */
int cmd_shop(struct ctl *ctl, int argc, char **argv);
int cmd_status(struct ctl *ctl, int argc, char **argv);
/* ctl_authorize.c: `shop authorize` (argv as cmd_shop's) */
int ctl_shop_authorize(struct ctl *ctl, int argc, char **argv);
/* ctl_certs.c, ctl_alerts.c */
int cmd_certs(struct ctl *ctl, int argc, char **argv);
int cmd_alerts(struct ctl *ctl, int argc, char **argv);
/* ctl_clock.c: `clock`, and the pin that --today makes (date NULL unpins) */
int cmd_clock(struct ctl *ctl, int argc, char **argv);
int ctl_clock_pin(struct ctl *ctl, const char *date, const char *by);

#endif
