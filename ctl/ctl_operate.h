/*
 * ctl_operate.h — the operator's job and shop tasks (docs/operate.md): the
 * jobs that failed (ctl_jobs.c), retrying dead ones (ctl_retry.c), a
 * shop's resync (ctl_resync.c) and removal (ctl_shop_remove.c), and the
 * options each marketplace's shops take (ctl_shop_options.c). The SQL they
 * call is sql/logic/operate.sql.
 */
#ifndef OCOP_CTL_OPERATE_H
#define OCOP_CTL_OPERATE_H

#include <stddef.h>

#include "ocopctl.h"

int cmd_jobs(struct ctl *ctl, int argc, char **argv);
int cmd_retry(struct ctl *ctl, int argc, char **argv);
int cmd_resync(struct ctl *ctl, int argc, char **argv);

/* `shop remove NAME [--force]` and `shop options MARKETPLACE [--json]`:
 * argv as cmd_shop's (argv[1] the subcommand). */
int ctl_shop_remove(struct ctl *ctl, int argc, char **argv);
int ctl_shop_options(struct ctl *ctl, int argc, char **argv);

/* 1 when m names a marketplace ocopd knows; else prints "WHERE: \"m\" is
 * not a marketplace; one of: ..." and returns 0. */
int ctl_marketplace_known(const char *command, const char *m);

/* Checks a shop's options (keys[i] set, n of them) against what its
 * marketplace takes: 0, or -1 after printing one line naming the first
 * missing required key or unknown key. */
int ctl_shop_options_check(const char *command, const char *marketplace, const char *const *keys,
                           size_t n);

/* 1 when the marketplace's shops take API fields (--shop-id, --app-key,
 * --base-url); 0 for a file channel such as PostMart. */
int ctl_marketplace_has_api(const char *marketplace);

/* Seconds as "3d 4h", "2h 5m", "7m", "12s" into buf. */
void ctl_duration(char *buf, size_t len, long long seconds);

#endif
