/*
 * test_crash.c — a crash is never silent and loses nothing: a real
 * `kill -SEGV` in the middle of a mirror to the simulator ends ocopd by
 * that signal (not exit 0), after one log line that says it crashed
 * (daemon/crash.c); the restart, as systemd's Restart=on-failure does it,
 * finishes the mirror with each product listed once and every job done.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define TODAY "2026-11-25"
/* The sample catalogue's products that may be shown on TODAY
 * (tests/itest/test_mirror.c names the 10 that may not). */
#define EXPECTED (42 - 10)

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
};

static int count_items(struct itest_sim *sim) {
  cJSON *items = itest_sim_items(sim);
  int n = cJSON_GetArraySize(items);

  cJSON_Delete(items);
  return n;
}

static int some_items(void *arg) {
  struct fixture *f = arg;

  return count_items(&f->sim) >= 3;
}

static int mirror_complete(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) && count_items(&f->sim) >= EXPECTED &&
         itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state <> 'listed'") == 0;
}

/* Every SKU on the simulator appears once; returns how many there are. */
static int each_sku_once(struct itest_sim *sim) {
  cJSON *items = itest_sim_items(sim), *a, *b;
  int n = 0;

  cJSON_ArrayForEach(a, items) {
    const char *sku = cJSON_GetObjectItem(a, "item_sku")->valuestring;
    int seen = 0;

    cJSON_ArrayForEach(b, items)
      if (strcmp(cJSON_GetObjectItem(b, "item_sku")->valuestring, sku) == 0)
        seen++;
    if (seen != 1)
      fprintf(stderr, "# SKU %s is listed %d times\n", sku, seen);
    ASSERT_EQ(seen, 1);
    n++;
  }
  cJSON_Delete(items);
  return n;
}

/* kill -SEGV, and the status the daemon ended with. */
static int segv(struct itest_daemon *d) {
  int status = 0;

  ASSERT_EQ(kill(d->pid, SIGSEGV), 0);
  ASSERT_EQ(waitpid(d->pid, &status, 0), d->pid);
  d->pid = 0;
  return status;
}

TEST_IMPL(segv_mid_mirror_is_said_and_the_restart_loses_nothing) {
  struct fixture f;
  char workdir[256], *log;
  int status;

  if (itest_need_pg())
    return TEST_SKIP;
  memset(&f, 0, sizeof f);
  snprintf(workdir, sizeof workdir, "%s", itest_workdir("crash"));
  f.conninfo = itest_db_create("crash");
  f.db = itest_connect(f.conninfo);
  itest_load_sample(f.conninfo, f.db, TODAY);
  itest_sim_start(&f.sim);
  itest_add_shop(f.db, &f.sim, workdir, "delist");
  /* Slow creates keep several in flight when the signal comes. */
  cJSON_Delete(itest_sim_call(&f.sim, "POST", "/_sim/fault",
                              "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/product/add_item\","
                              "\"kind\":\"slow\",\"delay_ms\":300,\"count\":-1}"));
  itest_daemon_start(&f.daemon, workdir, f.conninfo, "job_lease = 1s\nconcurrency = 4\n");
  ASSERT(itest_wait(some_items, &f, 60000));
  status = segv(&f.daemon);
  /* Ended by the signal; a sanitized build's handler reports it and exits
   * non-zero instead. Never a clean exit. */
  if (WIFSIGNALED(status))
    ASSERT_EQ(WTERMSIG(status), SIGSEGV);
  else
    ASSERT(WIFEXITED(status) && WEXITSTATUS(status) != 0);
  ASSERT(count_items(&f.sim) < EXPECTED); /* the crash did cut the mirror short */
  log = itest_read_file(f.daemon.log);
  ASSERT_NOT_NULL(log);
  ASSERT_NOT_NULL(strstr(log, " level=error comp=main msg=\"crashed; jobs in flight are redone "
                              "at the restart\" signal=SIGSEGV\n"));
  free(log);
  /* The restart: jobs the crash left running wait out their lease. */
  itest_daemon_start(&f.daemon, workdir, f.conninfo, "job_lease = 1s\n");
  ASSERT(itest_wait(mirror_complete, &f, 120000));
  ASSERT_EQ(each_sku_once(&f.sim), EXPECTED);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing WHERE state = 'listed'"), EXPECTED);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state NOT IN ('done', "
                                "'skipped')"),
            0);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  itest_sim_stop(&f.sim);
  PQfinish(f.db);
  return 0;
}
