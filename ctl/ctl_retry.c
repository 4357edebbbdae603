/*
 * ctl_retry.c — `ocopctl retry (JOB_ID | --shop NAME | --all-dead)
 * [--dry-run]`: puts dead jobs back to pending, due now, with their
 * attempts reset, once their cause is fixed. One call of ocop_retry_dead
 * (sql/logic/operate.sql), safe while ocopd runs, which it wakes: a dead
 * job whose listing already has a job of the same kind pending or running
 * is left dead ("superseded": that job does the work), so a retry never
 * sends the same change twice. A job that is not dead is refused.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_assortment.h"
#include "ctl_error.h"
#include "ctl_operate.h"

#define CMD "retry"

struct retry_args {
  const char *job, *shop;
  int all, dry;
};

static int parse(struct retry_args *a, int argc, char **argv) {
  int i, picks;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--dry-run") == 0)
      a->dry = 1;
    else if (strcmp(argv[i], "--all-dead") == 0)
      a->all = 1;
    else if (strcmp(argv[i], "--shop") == 0 && i + 1 < argc)
      a->shop = argv[++i];
    else if (argv[i][0] != '-' && !a->job)
      a->job = argv[i];
    else {
      fprintf(stderr, "ocopctl: %s: unexpected argument %s\n", CMD, argv[i]);
      return ctl_usage(CMD);
    }
  }
  picks = (a->job != NULL) + (a->shop != NULL) + a->all;
  if (picks != 1) {
    fprintf(stderr, "ocopctl: %s: name exactly one of JOB_ID, --shop NAME, --all-dead\n", CMD);
    return CTL_USAGE;
  }
  if (a->job && (strspn(a->job, "0123456789") != strlen(a->job) || strlen(a->job) > 18)) {
    fprintf(stderr, "ocopctl: %s: \"%s\" is not a job id (see ocopctl jobs)\n", CMD, a->job);
    return CTL_USAGE;
  }
  return CTL_OK;
}

/* A single job that is not dead, or no longer the one that counts, is
 * refused with what it is. 1 dead, 0 refused (printed), -1 error. */
static int job_is_dead(PGconn *conn, const char *job) {
  const char *params[1] = {job};
  /* The last job of the same listing and kind after this one (a skipped
   * one did nothing and does not count, as in operator_job). */
  PGresult *r = ctl_exec(conn, CMD, "cannot read the job",
                         "SELECT o.state, j.class, n.id, n.state FROM outbox o"
                         " LEFT JOIN operator_job j ON j.job_id = o.id"
                         " LEFT JOIN LATERAL (SELECT x.id, x.state FROM outbox x"
                         "   WHERE x.listing_id = o.listing_id AND x.kind = o.kind AND x.id > o.id"
                         "     AND x.state <> 'skipped' ORDER BY x.id DESC LIMIT 1) n ON true"
                         " WHERE o.id = $1::bigint",
                         1, params);
  int rc = 0;

  if (!r)
    return -1;
  if (PQntuples(r) == 0)
    fprintf(stderr, "ocopctl: %s: there is no job %s (see ocopctl jobs)\n", CMD, job);
  else if (strcmp(PQgetvalue(r, 0, 0), "dead") != 0)
    fprintf(stderr, "ocopctl: %s: job %s is %s, not dead: only a dead job is retried\n", CMD, job,
            PQgetvalue(r, 0, 0));
  else if (PQgetisnull(r, 0, 1))
    fprintf(stderr, "ocopctl: %s: job %s is dead but job %s of the same listing and kind came"
                    " after it (%s): nothing to retry\n",
            CMD, job, PQgetvalue(r, 0, 2), PQgetvalue(r, 0, 3));
  else
    rc = 1;
  PQclear(r);
  return rc;
}

static int report(PGresult *r, int dry) {
  int i, done = 0, superseded = 0;

  for (i = 0; i < PQntuples(r); i++) {
    const char *outcome = PQgetvalue(r, i, 4);

    printf("job %s (%s, %s, %s): %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
           PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), outcome);
    if (strcmp(outcome, "retried") == 0 || strcmp(outcome, "would retry") == 0)
      done++;
    else if (strcmp(outcome, "superseded") == 0)
      superseded++;
  }
  if (dry)
    printf("dry run: %d dead job%s would go back to pending; nothing was changed\n", done,
           done == 1 ? "" : "s");
  else
    printf("%d dead job%s back to pending, due now\n", done, done == 1 ? "" : "s");
  if (superseded > 0)
    printf("%d left dead: a job of the same listing and kind is already queued\n", superseded);
  return CTL_OK;
}

int cmd_retry(struct ctl *ctl, int argc, char **argv) {
  struct retry_args a = {NULL, NULL, 0, 0};
  const char *params[3];
  char shop_id[24];
  PGconn *conn;
  PGresult *r;
  int rc = parse(&a, argc, argv);

  if (rc != CTL_OK)
    return rc;
  conn = ctl_connect(ctl, CMD);
  if (!conn || ctl_begin_change(conn, CMD) != CTL_OK)
    return CTL_FAIL;
  if ((a.shop && ctl_find_shop(conn, CMD, a.shop, shop_id, sizeof shop_id) != 1) ||
      (a.job && job_is_dead(conn, a.job) != 1))
    return ctl_end_change(conn, CMD, CTL_FAIL);
  params[0] = a.job;
  params[1] = a.shop ? shop_id : NULL;
  params[2] = a.dry ? "true" : "false";
  r = ctl_exec(conn, CMD, "cannot retry",
               "SELECT job_id, shop, kind, product, outcome"
               " FROM ocop_retry_dead($1::bigint, $2::bigint, NULL, $3::boolean)",
               3, params);
  rc = ctl_end_change(conn, CMD, r ? CTL_OK : CTL_FAIL);
  if (rc == CTL_OK)
    rc = report(r, a.dry);
  PQclear(r);
  return rc;
}
