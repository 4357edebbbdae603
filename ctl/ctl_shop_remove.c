/*
 * ctl_shop_remove.c — `ocopctl shop remove NAME [--force]`: withdraws a
 * shop's listings, then retires the shop (sql/logic/operate.sql,
 * ocop_shop_remove).
 *
 * The first call marks the shop 'removing': it carries nothing any more,
 * so ocopd queues the withdrawal of every live listing and sends nothing
 * else to it. While a listing is live or a job is queued or running, the
 * command refuses with how many and what to run next; once nothing is
 * live, the same command makes the shop 'removed': its token is erased and
 * its row stays, because the audit trail, its orders and the stock ledger
 * name it (none of those is ever deleted). --force retires it although
 * listings are still live (a closed account, say); those are left on the
 * marketplace as they are.
 */
#include <stdio.h>
#include <string.h>

#include "ctl_assortment.h"
#include "ctl_error.h"
#include "ctl_operate.h"

#define CMD "shop"

enum { R_STATUS, R_LIVE, R_PENDING, R_RUNNING, R_STARTED };

static int report(const char *name, PGresult *r, int force) {
  const char *live = PQgetvalue(r, 0, R_LIVE), *pending = PQgetvalue(r, 0, R_PENDING);
  const char *running = PQgetvalue(r, 0, R_RUNNING);

  if (strcmp(PQgetvalue(r, 0, R_STATUS), "removed") == 0) {
    printf("shop %s is removed: its token is erased; its orders, ledger and audit trail are kept\n",
           name);
    if (force && strcmp(live, "0") != 0)
      printf("%s listing%s left live on the marketplace (--force)\n", live,
             strcmp(live, "1") == 0 ? "" : "s");
    return CTL_OK;
  }
  if (PQgetvalue(r, 0, R_STARTED)[0] == 't')
    printf("shop %s is now being removed: it carries nothing and ocopd withdraws its listings\n",
           name);
  if (strcmp(running, "0") != 0 && force)
    fprintf(stderr, "ocopctl: %s: shop %s has %s job%s running right now; run ocopctl shop remove"
                    " %s --force again in a minute\n",
            CMD, name, running, strcmp(running, "1") == 0 ? "" : "s", name);
  else
    fprintf(stderr, "ocopctl: %s: shop %s still has %s live listing%s and %s job%s queued or running;"
                    " their withdrawal is queued: run ocopctl shop remove %s again once `ocopctl"
                    " listings --shop %s` shows none (see ocopctl jobs --shop %s)\n",
            CMD, name, live, strcmp(live, "1") == 0 ? "" : "s", pending, running, name, name,
            name);
  return CTL_FAIL;
}

int ctl_shop_remove(struct ctl *ctl, int argc, char **argv) {
  const char *params[2];
  char id[24];
  PGconn *conn;
  PGresult *r;
  int force = 0, rc, found;

  if (argc == 4 && strcmp(argv[3], "--force") == 0)
    force = 1;
  else if (argc != 3 || argv[2][0] == '-')
    return ctl_usage(CMD);
  conn = ctl_connect(ctl, CMD);
  if (!conn || ctl_begin_change(conn, CMD) != CTL_OK)
    return CTL_FAIL;
  found = ctl_find_shop(conn, CMD, argv[2], id, sizeof id);
  if (found <= 0)
    return ctl_end_change(conn, CMD, CTL_FAIL);
  params[0] = id;
  params[1] = force ? "true" : "false";
  r = ctl_exec(conn, CMD, "cannot remove the shop",
               "SELECT status, live, pending, running, started "
               "FROM ocop_shop_remove($1::bigint, $2::boolean)",
               2, params);
  if (!r)
    return ctl_end_change(conn, CMD, CTL_FAIL);
  /* The first step is committed even when the shop is not gone yet: the
   * withdrawals it queued are the point. */
  rc = ctl_end_change(conn, CMD, CTL_OK);
  if (rc == CTL_OK)
    rc = report(argv[2], r, force);
  PQclear(r);
  return rc;
}
