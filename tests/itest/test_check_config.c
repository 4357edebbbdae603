/*
 * test_check_config.c — `ocopd --check-config` checks what the daemon will
 * need, on a real database with real connectors, and reports every problem
 * in one run; ocopd refuses to start, or to reload, with no connector.
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* Not a real password: the cluster trusts local users. It must never be
 * printed all the same. */
#define CANARY_PASSWORD "cc-canary-4e1f9"

static void write_conf(const char *path, const char *body) {
  FILE *f = fopen(path, "w");

  ASSERT_NOT_NULL(f);
  fputs(body, f);
  fclose(f);
}

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

static int check(const char *conf, char **out) {
  const char *argv[] = {"ocopd", "--check-config", "-c", conf, NULL};
  char *err = NULL;
  int rc = itest_run(argv, out, &err);

  if (err && *out) {
    size_t n = strlen(*out) + strlen(err) + 1;
    char *both = malloc(n);

    ASSERT_NOT_NULL(both);
    snprintf(both, n, "%s%s", *out, err);
    free(*out);
    *out = both;
  }
  free(err);
  return rc;
}

static void migrate(const char *conninfo) {
  const char *argv[] = {"ocopctl", "-d", conninfo, "migrate", NULL};

  ASSERT_EQ(itest_run(argv, NULL, NULL), 0);
}

TEST_IMPL(check_config_passes_a_config_that_works) {
  const char *conninfo, *work;
  struct itest_sim sim;
  char conf[512], body[2048], *out = NULL;
  PGconn *db;
  int rc;

  if ((rc = itest_need_pg()) != 0)
    return rc;
  work = itest_workdir("checkok");
  conninfo = itest_db_create("checkok");
  migrate(conninfo);
  db = itest_connect(conninfo);
  itest_sim_start(&sim);
  itest_add_shop(db, &sim, work, "delist");
  itest_add_market_shop(db, &sim, work, "lazada");
  itest_ensure_token_key(work);
  PQclear(itest_sql(db, "INSERT INTO shop (name, marketplace) VALUES ('postmart-test', 'postmart')"));
  snprintf(conf, sizeof conf, "%s/ocopd.conf", work);
  snprintf(body, sizeof body,
           "[ocopd]\ndatabase = %s\nconnector_dir = %s/connectors/.libs\ncredentials_dir = "
           "%s/credentials\nwebhook_listen = 127.0.0.1:0\nadmin_listen =\n",
           conninfo, itest_builddir(), work);
  write_conf(conf, body);
  rc = check(conf, &out);
  fprintf(stderr, "%s", out);
  ASSERT_EQ(rc, 0);
  ASSERT_NOT_NULL(strstr(out, "connectors: "));
  ASSERT_NOT_NULL(strstr(out, "lazada"));
  ASSERT_NOT_NULL(strstr(out, "schema version"));
  ASSERT_NOT_NULL(strstr(out, "shop shopee-test (shopee): secret readable"));
  ASSERT_NOT_NULL(strstr(out, "shop lazada-test (lazada): secret readable"));
  ASSERT_NOT_NULL(strstr(out, "shop postmart-test (postmart): a file channel"));
  ASSERT_NOT_NULL(strstr(out, "/credentials/tokens.key (key "));
  ASSERT_NULL(strstr(out, "PROBLEM"));
  ASSERT_NOT_NULL(strstr(out, ": ok\n"));
  free(out);
  itest_sim_stop(&sim);
  PQfinish(db);
  return 0;
}

/* One run names every problem: two bad config lines, a busy port, a shop
 * without its secret, and a database that refuses the connection; the
 * password in the connection string is never printed. */
TEST_IMPL(check_config_reports_every_problem) {
  const char *conninfo, *work;
  struct itest_sim sim;
  char conf[512], body[2048], *out = NULL;
  PGconn *db;
  int rc, fd, port;

  if ((rc = itest_need_pg()) != 0)
    return rc;
  work = itest_workdir("checkbad");
  conninfo = itest_db_create("checkbad");
  migrate(conninfo);
  db = itest_connect(conninfo);
  itest_sim_start(&sim);
  itest_add_shop(db, &sim, work, "delist");
  itest_ensure_token_key(work);
  PQclear(itest_sql(db, "INSERT INTO shop (name, marketplace, mp_shop_id, app_key) "
                        "VALUES ('tiktok-nosecret', 'tiktok', '77', 'k')"));
  port = hold_port(&fd);
  snprintf(conf, sizeof conf, "%s/ocopd.conf", work);
  snprintf(body, sizeof body,
           "[ocopd]\ndatabase = %s\nconnector_dir = %s/connectors/.libs\ncredentials_dir = "
           "%s/credentials\nwebhook_listen = nonsense\nadmin_listen = 127.0.0.1:%d\n"
           "concurency = 4\n",
           conninfo, itest_builddir(), work, port);
  write_conf(conf, body);
  rc = check(conf, &out);
  fprintf(stderr, "%s", out);
  ASSERT_EQ(rc, 1);
  ASSERT_NOT_NULL(strstr(out, ":5: webhook_listen: \"nonsense\" is not IPv4-address:port"));
  ASSERT_NOT_NULL(strstr(out, ":7: unknown option \"concurency\""));
  ASSERT_NOT_NULL(strstr(out, "admin_listen: cannot listen on 127.0.0.1:"));
  ASSERT_NOT_NULL(strstr(out, "shop tiktok-nosecret (tiktok): "));
  ASSERT_NOT_NULL(strstr(out, "shop shopee-test (shopee): secret readable"));
  ASSERT_NOT_NULL(strstr(out, ": 4 problems\n"));
  free(out);

  /* The wrong database, with a password in the string. */
  snprintf(body, sizeof body,
           "[ocopd]\ndatabase = %s dbname=ocop_no_such_db password=" CANARY_PASSWORD
           "\nconnector_dir = /nonexistent/connectors\n",
           conninfo);
  write_conf(conf, body);
  rc = check(conf, &out);
  fprintf(stderr, "%s", out);
  ASSERT_EQ(rc, 1);
  ASSERT_NOT_NULL(strstr(out, "database: cannot connect: "));
  ASSERT_NOT_NULL(strstr(out, "ocop_no_such_db"));
  ASSERT_NOT_NULL(strstr(out, "connectors: none loaded from /nonexistent/connectors"));
  ASSERT_NOT_NULL(strstr(out, "shops: not checked: no database"));
  ASSERT_NOT_NULL(strstr(out, ": 3 problems\n"));
  ASSERT_NULL(strstr(out, CANARY_PASSWORD));
  free(out);
  close(fd);
  itest_sim_stop(&sim);
  PQfinish(db);
  return 0;
}

/* With no connector, ocopd exits instead of reporting ready; a reload to a
 * folder without connectors is refused and the running ones stay. */
TEST_IMPL(ocopd_never_ready_without_a_connector) {
  const char *conninfo, *work;
  struct itest_daemon d;
  char empty[512], *log;
  int rc, i, status = 0;

  if ((rc = itest_need_pg()) != 0)
    return rc;
  work = itest_workdir("noconn");
  conninfo = itest_db_create("noconn");
  migrate(conninfo);
  snprintf(empty, sizeof empty, "%s/empty", work);
  ASSERT_EQ(mkdir(empty, 0755), 0);
  {
    char extra[600];

    snprintf(extra, sizeof extra, "connector_dir = %s", empty);
    itest_daemon_start(&d, work, conninfo, extra);
  }
  /* Not itest_daemon_alive: the exit status is the point. */
  for (i = 0; i < 200 && waitpid(d.pid, &status, WNOHANG) == 0; i++)
    usleep(50 * 1000);
  ASSERT(i < 200);
  d.pid = 0;
  ASSERT(WIFEXITED(status) && WEXITSTATUS(status) == 1);
  log = itest_read_file(d.log);
  ASSERT_NOT_NULL(log);
  ASSERT_NOT_NULL(strstr(log, "no connector loaded"));
  ASSERT_NULL(strstr(log, "msg=ready"));
  free(log);
  return 0;
}

/* Push connections are open files: more than the process may open is a
 * problem found before start, not under abuse. */
TEST_IMPL(check_config_weighs_push_connections_against_the_open_file_limit) {
  const char *work = itest_workdir("checkfiles");
  struct rlimit rl;
  char conf[512], body[512], *out = NULL;

  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &rl), 0);
  if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 1024)
    return TEST_SKIP;
  rl.rlim_cur = 1024; /* this test's process and its children only */
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &rl), 0);
  snprintf(conf, sizeof conf, "%s/ocopd.conf", work);
  snprintf(body, sizeof body,
           "[ocopd]\nconnector_dir = %s/connectors/.libs\nwebhook_listen = 127.0.0.1:0\n"
           "admin_listen =\nwebhook_max_connections = 2000\n",
           itest_builddir());
  write_conf(conf, body);
  check(conf, &out);
  fprintf(stderr, "%s", out);
  ASSERT_NOT_NULL(strstr(out, "PROBLEM webhook_max_connections: 2000 push connections and the "
                              "rest need about 2096 open files, but this process may open 1024"));
  free(out);
  out = NULL;
  snprintf(body, sizeof body,
           "[ocopd]\nconnector_dir = %s/connectors/.libs\nwebhook_listen = 127.0.0.1:0\n"
           "admin_listen =\n",
           itest_builddir());
  write_conf(conf, body);
  check(conf, &out);
  fprintf(stderr, "%s", out);
  ASSERT_NULL(strstr(out, "webhook_max_connections")); /* the default, 512, fits */
  free(out);
  return TEST_OK;
}
