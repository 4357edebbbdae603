/*
 * test_oplog.c — the log an operator acts on: identical failures grouped
 * with a count, a dead job's line with its reason and what to do, a long
 * mirror's progress (N of M, rate, time left), and a withdrawal that says
 * why. Real ocopd, PostgreSQL and simulator; the log is read as written.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define TODAY "2026-11-25"

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
};

static void fixture_up(struct fixture *f, const char *tag, int products) {
  const char *migrate[] = {"ocopctl", "-d", NULL, "migrate", NULL};

  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir(tag));
  f->conninfo = itest_db_create(tag);
  f->db = itest_connect(f->conninfo);
  migrate[2] = f->conninfo;
  ASSERT_EQ(itest_run(migrate, NULL, NULL), 0);
  itest_pin_date(f->db, TODAY);
  itest_generate_products(f->db, "LG", products);
  itest_sim_start(&f->sim);
  itest_add_shop(f->db, &f->sim, f->workdir, "delist");
}

static void fixture_down(struct fixture *f) {
  if (f->daemon.pid)
    itest_daemon_stop(&f->daemon, SIGTERM);
  itest_sim_stop(&f->sim);
  PQfinish(f->db);
}

/* Lines of text holding every one of the needles (NULL-terminated). */
static int count_lines(const char *text, const char *const *needles) {
  int n = 0;

  while (text && *text) {
    const char *nl = strchr(text, '\n');
    size_t len = nl ? (size_t)(nl - text) : strlen(text);
    char *line = strndup(text, len);
    int i, all = 1;

    for (i = 0; needles[i]; i++)
      all = all && strstr(line, needles[i]) != NULL;
    n += all;
    free(line);
    text = nl ? nl + 1 : NULL;
  }
  return n;
}

/* The sum of `count=N` over the lines holding needle. */
static long sum_counts(const char *text, const char *needle) {
  long sum = 0;
  const char *p = text;

  while ((p = strstr(p, needle)) != NULL) {
    const char *eol = strchr(p, '\n'), *c = strstr(p, " count=");

    if (c && (!eol || c < eol))
      sum += strtol(c + 7, NULL, 10);
    p += strlen(needle);
  }
  return sum;
}

static int all_dead(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM outbox WHERE state = 'dead'") == 40;
}

/* 40 creates refused by a marketplace fault: two attempts each. The log
 * has one full line for the first failure, one for the first dead job
 * (with the reason and the command to run), and the other 39 of each as
 * counts; every failure is still there at debug. */
TEST_IMPL(identical_failures_are_grouped_and_dead_jobs_say_what_to_do) {
  struct fixture f;
  char *log;
  const char *warn_retry[] = {"level=warn", "msg=\"job failed; will retry\"", NULL};
  const char *debug_retry[] = {"level=debug", "msg=\"job failed; will retry\"", NULL};
  const char *dead_line[] = {"level=error", "msg=\"job dead: given up; it will not be tried again\"",
                             "reason=", "todo=", "ocopctl retry", NULL};

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "oplogdead", 40);
  cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/fault",
                              "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/product/add_item\","
                              "\"kind\":\"status\",\"status\":500,\"count\":-1}"));
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, "max_attempts = 2\n");
  ASSERT(itest_wait(all_dead, &f, 60000));
  /* Stopping logs what the open window counted. */
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  log = itest_read_file(f.daemon.log);
  ASSERT_NOT_NULL(log);
  ASSERT_EQ(count_lines(log, warn_retry), 1);
  ASSERT_EQ(count_lines(log, debug_retry), 39);
  ASSERT_EQ(sum_counts(log, "msg=\"more jobs failed the same way; will retry\""), 39);
  ASSERT_EQ(count_lines(log, dead_line), 1);
  ASSERT_EQ(sum_counts(log, "msg=\"more jobs dead with the same reason\""), 39);
  /* The first names its job; the group, every dead job of the shop. */
  ASSERT_NOT_NULL(strstr(log, "todo=\"fix what the reason says"));
  ASSERT_NOT_NULL(strstr(log, "then: ocopctl retry --shop shopee-test\""));
  free(log);
  fixture_down(&f);
  return 0;
}

static int mirrored(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state = 'listed'") == 600 &&
         itest_outbox_idle(f->db);
}

static int backlog_done(void *arg) {
  struct fixture *f = arg;
  char *log = itest_read_file(f->daemon.log);
  int done = log && strstr(log, "msg=\"backlog done\"");

  free(log);
  return done;
}

static int withdrawn(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM listing l JOIN product p ON p.id = l.product_id "
                              "WHERE p.code = 'LG-000007' AND l.state = 'delisted'") == 1;
}

/* A first mirror of 600 products logs its progress, then that it is done;
 * a revoked certificate's withdrawal names the revocation. */
TEST_IMPL(long_mirror_logs_progress_and_withdrawal_says_why) {
  struct fixture f;
  char *log;
  const char *progress[] = {"msg=\"progress\"", " done=", " of=", " rate_per_s=", " left=", NULL};
  const char *why[] = {"msg=\"listing withdrawn\"", "sku=LG-000007",
                       "why=\"certificate revoked on 2026-11-25 by decision 17/QĐ-UBND\"", NULL};

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "oplogprog", 600);
  /* Slow creates make the run last several progress intervals. */
  cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/fault",
                              "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/product/add_item\","
                              "\"kind\":\"slow\",\"delay_ms\":40,\"count\":-1}"));
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo,
                     "progress_interval = 300ms\nconcurrency = 8\nrate_limits = shopee:0\n");
  ASSERT(itest_wait(mirrored, &f, 120000));
  ASSERT(itest_wait(backlog_done, &f, 10000));
  PQclear(itest_sql(f.db, "UPDATE certificate SET revoked_on = '" TODAY "', "
                          "revocation_decision_no = '17/QĐ-UBND' WHERE product_id = "
                          "(SELECT id FROM product WHERE code = 'LG-000007')"));
  ASSERT(itest_wait(withdrawn, &f, 30000));
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  log = itest_read_file(f.daemon.log);
  ASSERT_NOT_NULL(log);
  ASSERT_NOT_NULL(strstr(log, "msg=\"working through a backlog\""));
  ASSERT(count_lines(log, progress) >= 2);
  ASSERT_NOT_NULL(strstr(log, "msg=\"backlog done\""));
  ASSERT_EQ(count_lines(log, why), 1);
  free(log);
  fixture_down(&f);
  return 0;
}
