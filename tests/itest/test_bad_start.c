/*
 * test_bad_start.c — a config that cannot run changes nothing: ocopd exits
 * 1 before it writes to the database (no migration, no function, no clock
 * pin), whether the fault is in the file (a key twice, a NUL byte, garbage)
 * or in the machine (a listen address that cannot be bound, a port already
 * in use, an unreadable credentials folder, no connector). A reload with
 * such a file is refused and the running configuration stays.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* Relations and functions outside PostgreSQL's own schemas: 0 on a fresh
 * database, and more than 0 once anything of ocopd's schema is in it. */
#define COUNT_OBJECTS                                                                   \
  "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace " \
  "        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast'))"      \
  "     + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "  \
  "        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema'))"

/* A TCP port on loopback that is busy for as long as fd stays open. */
static int hold_port(int *fd) {
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;

  *fd = socket(AF_INET, SOCK_STREAM, 0);
  ASSERT(*fd >= 0);
  memset(&sa, 0, sizeof sa);
  sa.sin_family = AF_INET;
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ASSERT_EQ(bind(*fd, (struct sockaddr *)&sa, sizeof sa), 0);
  ASSERT_EQ(listen(*fd, 1), 0);
  ASSERT_EQ(getsockname(*fd, (struct sockaddr *)&sa, &len), 0);
  return ntohs(sa.sin_port);
}

struct start {
  const char *work;
  const char *conninfo;
  char conf[512];
  char log[512];
};

/* Writes the config: a working one, the lines of `bad` replacing or adding
 * to it (n bytes, which may hold a NUL). */
static void write_conf(struct start *s, const char *bad, size_t n) {
  FILE *f = fopen(s->conf, "wb");

  ASSERT_NOT_NULL(f);
  fprintf(f, "[ocopd]\ndatabase = %s\n", s->conninfo);
  if (!memmem(bad, n, "connector_dir", 13))
    fprintf(f, "connector_dir = %s/connectors/.libs\n", itest_builddir());
  if (!memmem(bad, n, "credentials_dir", 15))
    fprintf(f, "credentials_dir = %s/credentials\n", s->work);
  if (!memmem(bad, n, "admin_listen", 12))
    fputs("admin_listen =\n", f);
  ASSERT_EQ(fwrite(bad, 1, n, f), n);
  ASSERT_EQ(fclose(f), 0);
}

/* Starts ocopd --today (a start that got as far as the database would pin
 * the date) with its output in s->log. */
static pid_t spawn_ocopd(struct start *s) {
  char path[1024];
  int fd;
  pid_t pid;

  snprintf(path, sizeof path, "%s/ocopd", itest_builddir());
  pid = fork();
  ASSERT(pid >= 0);
  if (pid == 0) {
    fd = open(s->log, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(fd, STDERR_FILENO);
    dup2(fd, STDOUT_FILENO);
    execl(path, path, "-c", s->conf, "--today", "2026-03-01", (char *)NULL);
    _exit(127);
  }
  return pid;
}

static int log_says(struct start *s, const char *text) {
  char *log = itest_read_file(s->log);
  int found = log && strstr(log, text);

  free(log);
  return found;
}

/* Runs ocopd and returns its exit status. A daemon that does not exit
 * within 60 s fails the test. */
static int run_ocopd(struct start *s) {
  int i, status = 0;
  pid_t pid = spawn_ocopd(s);

  for (i = 0; i < 1200 && waitpid(pid, &status, WNOHANG) == 0; i++)
    usleep(50 * 1000);
  if (i == 1200) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    ASSERT(!"ocopd kept running with a config that cannot run");
  }
  ASSERT(WIFEXITED(status));
  return WEXITSTATUS(status);
}

/* ocopd exits 1, its output says `why`, and the database is as it was. */
static void expect_refused(struct start *s, PGconn *db, const char *bad, size_t n,
                           const char *why) {
  char *log;

  write_conf(s, bad, n);
  ASSERT_EQ(run_ocopd(s), 1);
  log = itest_read_file(s->log);
  ASSERT_NOT_NULL(log);
  if (!strstr(log, why))
    fprintf(stderr, "# expected \"%s\" in:\n%s", why, log);
  ASSERT_NOT_NULL(strstr(log, why));
  ASSERT_NULL(strstr(log, "schema migrated"));
  ASSERT_NULL(strstr(log, "msg=\"ready\""));
  free(log);
  ASSERT_EQ(itest_sql_int(db, COUNT_OBJECTS), 0);
}

static void start_init(struct start *s, const char *tag) {
  char dir[600];

  s->work = itest_workdir(tag);
  s->conninfo = itest_db_create(tag);
  snprintf(s->conf, sizeof s->conf, "%s/ocopd.conf", s->work);
  snprintf(s->log, sizeof s->log, "%s/ocopd.log", s->work);
  snprintf(dir, sizeof dir, "%s/credentials", s->work);
  ASSERT_EQ(mkdir(dir, 0700), 0);
}

#define REFUSED(s, db, text, why) expect_refused(s, db, text, strlen(text), why)

/* The listen addresses are bound (and let go) before the database is
 * opened: one no interface has, and ports something else listens on. */
TEST_IMPL(bad_listen_address_changes_nothing) {
  struct start s;
  PGconn *db;
  char line[128];
  int rc, fd, port;

  if ((rc = itest_need_pg()) != 0)
    return rc;
  start_init(&s, "badlisten");
  db = itest_connect(s.conninfo);
  ASSERT_EQ(itest_sql_int(db, COUNT_OBJECTS), 0);
  /* TEST-NET-1 (RFC 5737): no machine has it. */
  REFUSED(&s, db, "webhook_listen = 192.0.2.1:8088\n",
          "cannot listen; nothing was changed: choose a free address or stop what holds it\" "
          "key=webhook_listen listen=192.0.2.1:8088 err=\"Cannot assign requested address\"");
  port = hold_port(&fd);
  snprintf(line, sizeof line, "webhook_listen = 127.0.0.1:%d\n", port);
  REFUSED(&s, db, line, "err=\"Address already in use\"");
  snprintf(line, sizeof line, "admin_listen = 127.0.0.1:%d\n", port);
  REFUSED(&s, db, line, "key=admin_listen");
  snprintf(line, sizeof line, "webhook_listen = 127.0.0.1:%d\nadmin_listen = 127.0.0.1:%d\n",
           port + 1, port + 1);
  REFUSED(&s, db, line, "admin_listen is the same address as webhook_listen");
  close(fd);
  /* With an address that can be bound the same config runs and the same
   * database takes ocopd's schema: the count above would have seen a
   * start that went too far. */
  {
    pid_t pid;
    int i, status = 0;

    snprintf(line, sizeof line, "webhook_listen = 127.0.0.1:0\n");
    write_conf(&s, line, strlen(line));
    pid = spawn_ocopd(&s);
    for (i = 0; i < 1200 && !log_says(&s, "msg=\"ready\""); i++)
      usleep(50 * 1000);
    ASSERT(i < 1200);
    ASSERT(itest_sql_int(db, COUNT_OBJECTS) > 0);
    kill(pid, SIGTERM);
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  PQfinish(db);
  return 0;
}

/* Faults in the file, and a machine without what the file names. */
TEST_IMPL(bad_config_file_changes_nothing) {
  static const char nul[] = "media_dir = /srv/media\0/etc\n";
  struct start s;
  PGconn *db;
  char line[700];
  int rc;

  if ((rc = itest_need_pg()) != 0)
    return rc;
  start_init(&s, "badfile");
  db = itest_connect(s.conninfo);
  REFUSED(&s, db, "webhook_listen = nonsense\n",
          ":6: webhook_listen: \"nonsense\" is not IPv4-address:port");
  REFUSED(&s, db, "log_level = info\nlog_level = debug\n",
          ":7: 'log_level' is already set at line 6");
  expect_refused(&s, db, nul, sizeof nul - 1, ":6: NUL byte");
  snprintf(line, sizeof line, "credentials_dir = %s\n", s.conf);
  REFUSED(&s, db, line, "credentials folder unreadable; nothing was changed");
  snprintf(line, sizeof line, "credentials_dir = %s/missing\n", s.work);
  REFUSED(&s, db, line, "No such file or directory");
  snprintf(line, sizeof line, "connector_dir = %s\n", s.work);
  REFUSED(&s, db, line, "no connector loaded");
  PQfinish(db);
  return 0;
}

static void append_bytes(const char *path, const char *text, size_t n) {
  FILE *f = fopen(path, "ab");

  ASSERT_NOT_NULL(f);
  ASSERT_EQ(fwrite(text, 1, n, f), n);
  ASSERT_EQ(fclose(f), 0);
}

struct log_count {
  const char *path;
  const char *text;
  int want;
};

/* 1 once text is in the log want times. */
static int log_count_reached(void *arg) {
  struct log_count *c = arg;
  char *log = itest_read_file(c->path);
  const char *p = log;
  int n = 0;

  while (p && (p = strstr(p, c->text)) != NULL) {
    n++;
    p++;
  }
  free(log);
  return n >= c->want;
}

/* SIGHUP with a key given twice, then with a NUL byte: each reload is
 * refused, says where, and the daemon runs on; the file put right loads. */
TEST_IMPL(bad_reload_keeps_the_running_config) {
  static const char nul[] = "media_rescan = 1h\0 30m\n";
  struct itest_daemon d;
  struct log_count lc;
  const char *work, *conninfo;
  const char *argv[] = {"ocopctl", "-d", NULL, "migrate", NULL};
  char *good, *log;
  int rc;

  if ((rc = itest_need_pg()) != 0)
    return rc;
  work = itest_workdir("badreload");
  conninfo = itest_db_create("badreload");
  argv[2] = conninfo;
  ASSERT_EQ(itest_run(argv, NULL, NULL), 0);
  itest_daemon_start(&d, work, conninfo, NULL);
  lc.path = d.log;
  lc.text = "msg=\"ready\"";
  lc.want = 1;
  ASSERT(itest_wait(log_count_reached, &lc, 60000));
  good = itest_read_file(d.conf);
  ASSERT_NOT_NULL(good);
  /* The harness's config sets log_level = debug. */
  append_bytes(d.conf, "log_level = info\n", 17);
  kill(d.pid, SIGHUP);
  lc.text = "reload refused; keeping the running configuration";
  ASSERT(itest_wait(log_count_reached, &lc, 30000));
  log = itest_read_file(d.log);
  ASSERT_NOT_NULL(strstr(log, "'log_level' is already set at line "));
  free(log);
  ASSERT(itest_daemon_alive(&d));
  {
    FILE *f = fopen(d.conf, "w");

    ASSERT_NOT_NULL(f);
    fputs(good, f);
    fclose(f);
  }
  append_bytes(d.conf, nul, sizeof nul - 1);
  kill(d.pid, SIGHUP);
  lc.want = 2;
  ASSERT(itest_wait(log_count_reached, &lc, 30000));
  log = itest_read_file(d.log);
  ASSERT_NOT_NULL(strstr(log, ": NUL byte"));
  ASSERT_NULL(strstr(log, "configuration reloaded"));
  free(log);
  ASSERT(itest_daemon_alive(&d));
  {
    FILE *f = fopen(d.conf, "w");

    ASSERT_NOT_NULL(f);
    fputs(good, f);
    fclose(f);
  }
  free(good);
  kill(d.pid, SIGHUP);
  lc.text = "configuration reloaded";
  lc.want = 1;
  ASSERT(itest_wait(log_count_reached, &lc, 30000));
  ASSERT_EQ(itest_daemon_stop(&d, SIGTERM), 0);
  return 0;
}
