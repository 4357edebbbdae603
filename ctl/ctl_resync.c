/*
 * ctl_resync.c — `ocopctl resync SHOP [--dry-run]`: puts back what a
 * shop's marketplace shows when it may differ from what ocopd sent (edited
 * by hand in the seller centre, lost on the way).
 *
 * What it does exactly (sql/logic/operate.sql, ocop_resync_shop): for every
 * listing of the shop that is live (listed, with a marketplace item id),
 * ocopd forgets what it believes it sent (name, description, stars,
 * content, each variant's price and stock), so an update, a price and a
 * stock job are queued for each at once and ocopd, woken, sends the
 * catalogue's values (absolute values: sending them again is harmless).
 * Their stock read-back (ocopd's reconcile) is made due now too, so it
 * checks them first once those jobs are done. Listings that are not live
 * are left as they are. --dry-run counts them and changes nothing.
 */
#include <stdio.h>
#include <string.h>

#include "ctl_assortment.h"
#include "ctl_error.h"
#include "ctl_operate.h"

#define CMD "resync"

int cmd_resync(struct ctl *ctl, int argc, char **argv) {
  const char *shop = NULL, *params[2];
  char id[24];
  PGconn *conn;
  PGresult *r;
  int i, dry = 0, rc;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--dry-run") == 0)
      dry = 1;
    else if (argv[i][0] != '-' && !shop)
      shop = argv[i];
    else {
      fprintf(stderr, "ocopctl: %s: unexpected argument %s\n", CMD, argv[i]);
      return ctl_usage(CMD);
    }
  }
  if (!shop)
    return ctl_usage(CMD);
  conn = ctl_connect(ctl, CMD);
  if (!conn || ctl_begin_change(conn, CMD) != CTL_OK)
    return CTL_FAIL;
  if (ctl_find_shop(conn, CMD, shop, id, sizeof id) != 1)
    return ctl_end_change(conn, CMD, CTL_FAIL);
  params[0] = id;
  params[1] = dry ? "true" : "false";
  r = ctl_exec(conn, CMD, "cannot resync the shop",
               "SELECT r.listings, r.queued, s.status"
               " FROM ocop_resync_shop($1::bigint, $2::boolean) r, shop s WHERE s.id = $1::bigint",
               2, params);
  rc = ctl_end_change(conn, CMD, r ? CTL_OK : CTL_FAIL);
  if (rc != CTL_OK)
    goto out;
  if (dry)
    printf("dry run: %s live listing%s of shop %s would be sent again; nothing was changed\n",
           PQgetvalue(r, 0, 0), strcmp(PQgetvalue(r, 0, 0), "1") == 0 ? "" : "s", shop);
  else
    printf("shop %s: %s live listing%s to send again, %s job%s queued; their stock is read back"
           " next\n",
           shop, PQgetvalue(r, 0, 0), strcmp(PQgetvalue(r, 0, 0), "1") == 0 ? "" : "s",
           PQgetvalue(r, 0, 1), strcmp(PQgetvalue(r, 0, 1), "1") == 0 ? "" : "s");
  if (strcmp(PQgetvalue(r, 0, 2), "active") != 0)
    printf("note: shop %s is %s: ocopd sends its jobs only once it is active\n", shop,
           PQgetvalue(r, 0, 2));
out:
  PQclear(r);
  return rc;
}
