/*
 * test_midnight.c — a real midnight, on the machine's clock, with nothing
 * pinned: PostgreSQL, the simulator and ocopd all run under libfaketime and
 * read one shared clock file (FAKETIME_TIMESTAMP_FILE), so the test can put
 * the clock anywhere and move it while everything runs.
 *
 * OCP-TBH-006's certificate is valid until 2026-11-24 inclusive, so its
 * listing must go at 2026-11-25 00:00 Asia/Ho_Chi_Minh, 2026-11-24 17:00 UTC.
 *
 *   1. The clock runs into that midnight: the daemon withdraws the listing
 *      by itself within seconds after it (no --today, no pin, no restart).
 *   2. The clock jumps a day forward while the daemon runs (an NTP step, a
 *      VM restored): the daemon sees the new day within a minute.
 *
 * These tests start their own PostgreSQL cluster (scripts/pgtmp), since the
 * shared one runs on the run's clock; they skip where libfaketime is not
 * installed (scripts/setup installs it).
 */
#include <glob.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define SKU "OCP-TBH-006"
/* Sweeps far apart, so that only the day watcher can explain a withdrawal
 * within seconds; orders are not polled (nothing to read). */
#define DAEMON_EXTRA "sweep_interval = 10m\norder_poll_interval = 1h"

struct fixture {
  char workdir[256];
  char clock_file[300];
  char cluster[300];
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
};

/* The kernel's clock, past libfaketime (a run under `scripts/check --date`
 * preloads it into this process too). */
static time_t real_now(void) {
  struct timespec ts;

  syscall(SYS_clock_gettime, CLOCK_REALTIME, &ts);
  return ts.tv_sec;
}

static time_t utc(const char *iso) {
  struct tm tm;

  memset(&tm, 0, sizeof tm);
  ASSERT_NOT_NULL(strptime(iso, "%Y-%m-%dT%H:%M:%S", &tm));
  return timegm(&tm);
}

/* Puts every process's clock at `iso` (UTC), running on from there: the file
 * holds an offset from the real clock, written whole (rename) so no reader
 * sees half of it; readers re-read it at most a second later. */
static void set_clock(struct fixture *f, const char *iso) {
  char tmp[320];
  FILE *out;

  snprintf(tmp, sizeof tmp, "%s.tmp", f->clock_file);
  out = fopen(tmp, "w");
  ASSERT_NOT_NULL(out);
  fprintf(out, "%+lld\n", (long long)(utc(iso) - real_now()));
  ASSERT_EQ(fclose(out), 0);
  chmod(tmp, 0644); /* PostgreSQL's processes run as another user */
  ASSERT_EQ(rename(tmp, f->clock_file), 0);
}

static const char *find_libfaketime(void) {
  static char path[256];
  glob_t g;

  path[0] = '\0';
  if (glob("/usr/lib/*/faketime/libfaketime.so.1", 0, NULL, &g) == 0 && g.gl_pathc > 0)
    snprintf(path, sizeof path, "%s", g.gl_pathv[0]);
  globfree(&g);
  return path[0] ? path : NULL;
}

/* A build with ASan wants its runtime first among the libraries; with
 * libfaketime preloaded ahead of it the children would abort at start, so
 * they are told the order is fine (as scripts/check does under --date). */
static void allow_asan_after_preload(void) {
  const char *old = getenv("ASAN_OPTIONS");
  char opts[1024];

  if (old && strstr(old, "verify_asan_link_order"))
    return;
  snprintf(opts, sizeof opts, "%s%sverify_asan_link_order=0", old ? old : "",
           old && *old ? ":" : "");
  setenv("ASAN_OPTIONS", opts, 1);
}

/* Every child from here on (the cluster, the simulator, ocopd, ocopctl)
 * reads the clock file. */
static void fake_clock_for_children(struct fixture *f, const char *lib) {
  setenv("LD_PRELOAD", lib, 1);
  unsetenv("FAKETIME"); /* a run under --date: the file decides here */
  setenv("FAKETIME_TIMESTAMP_FILE", f->clock_file, 1);
  setenv("FAKETIME_CACHE_DURATION", "1", 1);
  setenv("FAKETIME_DONT_FAKE_MONOTONIC", "1", 1);
  allow_asan_after_preload();
}

static void start_cluster(struct fixture *f) {
  char pgtmp[1024], *out = NULL, *err = NULL;
  const char *argv[] = {pgtmp, "start", f->cluster, NULL};
  size_t n;
  int rc;

  snprintf(pgtmp, sizeof pgtmp, "%s/scripts/pgtmp", itest_srcdir());
  rc = itest_run(argv, &out, &err);
  if (rc != 0)
    fprintf(stderr, "pgtmp start %s: exit %d: %s\n", f->cluster, rc, err ? err : "");
  free(err);
  ASSERT_EQ(rc, 0);
  n = strcspn(out, "\n");
  out[n] = '\0';
  setenv("OCOP_TEST_PG", out, 1); /* itest_db_create uses this cluster */
  free(out);
}

static void fixture_up(struct fixture *f, const char *tag, const char *start_at) {
  const char *lib = find_libfaketime();

  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir(tag));
  snprintf(f->clock_file, sizeof f->clock_file, "%s/clock", f->workdir);
  snprintf(f->cluster, sizeof f->cluster, "%s/pg", f->workdir);
  set_clock(f, start_at);
  fake_clock_for_children(f, lib);
  start_cluster(f);
  f->conninfo = itest_db_create(tag);
  f->db = itest_connect(f->conninfo);
  itest_load_sample(f->conninfo, f->db, NULL); /* nothing pinned */
  itest_sim_start(&f->sim);
  itest_add_shop(f->db, &f->sim, f->workdir, "delist");
}

static void fixture_down(struct fixture *f) {
  char pgtmp[1024];
  const char *stop[] = {pgtmp, "stop", f->cluster, NULL};
  const char *rm[] = {"/bin/rm", "-rf", f->workdir, NULL};

  if (f->daemon.pid)
    ASSERT_EQ(itest_daemon_stop(&f->daemon, SIGTERM), 0);
  itest_sim_stop(&f->sim);
  PQfinish(f->db);
  snprintf(pgtmp, sizeof pgtmp, "%s/scripts/pgtmp", itest_srcdir());
  ASSERT_EQ(itest_run(stop, NULL, NULL), 0);
  ASSERT_EQ(itest_run(rm, NULL, NULL), 0);
}

static int skip_without_faketime(void) {
  if (itest_need_pg())
    return 1;
  if (!find_libfaketime()) {
    test_skip_reason("libfaketime is not installed (scripts/setup installs faketime)");
    return 1;
  }
  return 0;
}

/* The listing's state and the simulator's status of the item agree. */
static int shown_as(struct fixture *f, const char *state, const char *status) {
  cJSON *items = itest_sim_items(&f->sim), *it;
  char *db_state = itest_sql_text(f->db, "SELECT l.state FROM listing l JOIN product p "
                                         "ON p.id = l.product_id WHERE p.code = '" SKU "'");
  int ok = 0;

  cJSON_ArrayForEach(it, items)
    if (strcmp(cJSON_GetObjectItem(it, "item_sku")->valuestring, SKU) == 0)
      ok = strcmp(cJSON_GetObjectItem(it, "item_status")->valuestring, status) == 0;
  ok = ok && strcmp(db_state, state) == 0 && itest_outbox_idle(f->db);
  cJSON_Delete(items);
  free(db_state);
  return ok;
}

static int listed(void *arg) { return shown_as(arg, "listed", "NORMAL"); }
static int delisted(void *arg) { return shown_as(arg, "delisted", "UNLIST"); }

/* Seconds between the recorded withdrawal and `iso`, on the server's clock. */
static long long delist_after(struct fixture *f, const char *iso) {
  char sql[512];

  snprintf(sql, sizeof sql,
           "SELECT floor(extract(epoch FROM e.at - '%s+00'::timestamptz)) FROM event e "
           "JOIN product p ON p.id = e.product_id WHERE p.code = '" SKU "' "
           "AND e.action = 'delist' AND e.reason = 'expired'",
           iso);
  return itest_sql_int(f->db, sql);
}

TEST_IMPL(real_midnight_withdraws_the_lapsed_listing) {
  struct fixture f;

  if (skip_without_faketime())
    return TEST_SKIP;
  /* Set-up (a cluster, the sample, the simulator) on the certificate's last
   * valid day; then the clock is put 25 s before midnight just before ocopd
   * starts, so that the daemon never sees a jump. */
  fixture_up(&f, "midnight", "2026-11-24T16:50:00");
  set_clock(&f, "2026-11-24T16:59:35");
  sleep(2); /* every process has re-read the clock file */
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, DAEMON_EXTRA);
  ASSERT(itest_wait(listed, &f, 20000));
  /* Listed on its last valid day, and still before midnight. */
  ASSERT_EQ(itest_sql_int(f.db, "SELECT (ocop_today() = '2026-11-24')::int"), 1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM ocop_clock WHERE pinned_date IS NOT NULL"), 0);

  /* Midnight passes on its own. */
  ASSERT(itest_wait(delisted, &f, 60000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT (ocop_today() = '2026-11-25')::int"), 1);
  /* Withdrawn after 00:00 +07, and within seconds of it. */
  ASSERT(delist_after(&f, "2026-11-24 17:00:00") >= 0);
  ASSERT(delist_after(&f, "2026-11-24 17:00:00") <= 10);
  ASSERT(itest_daemon_alive(&f.daemon));
  fixture_down(&f);
  return TEST_OK;
}

TEST_IMPL(clock_jumping_a_day_is_seen_within_a_minute) {
  struct fixture f;
  time_t jumped;

  if (skip_without_faketime())
    return TEST_SKIP;
  fixture_up(&f, "clockjump", "2026-11-24T05:00:00"); /* noon in Hà Nội */
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, DAEMON_EXTRA);
  ASSERT(itest_wait(listed, &f, 60000));

  set_clock(&f, "2026-11-25T05:00:00");
  jumped = real_now();
  ASSERT(itest_wait(delisted, &f, 90000));
  /* The daemon asks the database at least once a minute. */
  ASSERT(real_now() - jumped <= 65);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT (ocop_today() = '2026-11-25')::int"), 1);
  ASSERT(delist_after(&f, "2026-11-25 05:00:00") >= 0);
  ASSERT(itest_daemon_alive(&f.daemon));
  fixture_down(&f);
  return TEST_OK;
}
