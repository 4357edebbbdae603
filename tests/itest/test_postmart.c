/*
 * test_postmart.c — the PostMart file channel end to end: real PostgreSQL,
 * ocopd and the postmart connector. The sample catalogue is written as one
 * CSV feed into the shop's export folder; a revoked product stays in the
 * feed as an inactive row; no temporary file is left behind.
 */
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define HEADER                                                                                \
  "sku,product_code,variant,name,ocop_stars,certificate_no,category,price_vnd,stock,"         \
  "weight_g,gtin,description,image_urls,active\r\n"
#define NAN_DESC                                                                              \
  "\"Tâm sen sấy khô từ đầm sen làng Kim Liên, pha uống vị đắng nhẹ, hậu thanh; sản phẩm được " \
  "công nhận lại 4 sao năm 2024.\""
#define NAN_LISTED                                                                            \
  "OCP-NAN-001,OCP-NAN-001,,Trà liên tu Sen Quê Bác,4,1978/QĐ-UBND,I.5.b,150000,350,100,," \
  NAN_DESC ",,1\r\n"
#define NAN_DELISTED                                                                          \
  "OCP-NAN-001,OCP-NAN-001,,Trà liên tu Sen Quê Bác,,,I.5.b,150000,350,100,," NAN_DESC \
  ",,0\r\n"

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_daemon daemon;
  char workdir[256];
  char feed[512];
};

static void fixture_up(struct fixture *f) {
  char path[512], sql[1024];

  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir("postmart"));
  f->conninfo = itest_db_create("postmart");
  f->db = itest_connect(f->conninfo);
  itest_load_sample(f->conninfo, f->db, "2026-11-25");
  snprintf(path, sizeof path, "%s/export", f->workdir);
  ASSERT_EQ(mkdir(path, 0755), 0);
  /* No credentials file: a file channel needs no secret. */
  snprintf(path, sizeof path, "%s/credentials", f->workdir);
  ASSERT_EQ(mkdir(path, 0700), 0);
  snprintf(f->feed, sizeof f->feed, "%s/export/postmart-test.csv", f->workdir);
  snprintf(sql, sizeof sql,
           "INSERT INTO shop (name, marketplace, options) VALUES ('postmart-test', 'postmart', "
           "'{\"export_dir\": \"%s/export\"}')",
           f->workdir);
  PQclear(itest_sql(f->db, sql));
  itest_carry_all(f->db, "postmart-test");
}

static void fixture_down(struct fixture *f) {
  if (f->daemon.pid)
    itest_daemon_stop(&f->daemon, SIGTERM);
  PQfinish(f->db);
}

static int count_lines(const char *s) {
  int n = 0;

  for (; *s; s++)
    n += *s == '\n';
  return n;
}

/* The feed's row for a SKU (malloc'd, with its CRLF), or NULL. */
static char *feed_row(const char *feed, const char *sku) {
  size_t k = strlen(sku);
  const char *p = feed;

  while (p && *p) {
    const char *end = strstr(p, "\r\n");

    if (!end)
      return NULL;
    if (strncmp(p, sku, k) == 0 && p[k] == ',') {
      char *row = malloc((size_t)(end - p) + 3);

      memcpy(row, p, (size_t)(end - p) + 2);
      row[end - p + 2] = '\0';
      return row;
    }
    p = end + 2;
  }
  return NULL;
}

struct want {
  struct fixture *f;
  int lines;
  const char *row; /* OCP-NAN-001's row, or NULL: any */
};

static int feed_has(void *arg) {
  struct want *w = arg;
  char *feed = itest_read_file(w->f->feed), *row;
  int ok;

  if (!feed)
    return 0;
  row = feed_row(feed, "OCP-NAN-001");
  ok = count_lines(feed) == w->lines && row && (!w->row || strcmp(row, w->row) == 0) &&
       itest_outbox_idle(w->f->db);
  free(row);
  free(feed);
  return ok;
}

/* 1 when the export folder holds only the feed. */
static int only_the_feed(const char *dir) {
  DIR *d = opendir(dir);
  struct dirent *e;
  int n = 0, other = 0;

  if (!d)
    return 0;
  while ((e = readdir(d)) != NULL) {
    if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
      continue;
    if (strcmp(e->d_name, "postmart-test.csv") == 0)
      n++;
    else
      other++;
  }
  closedir(d);
  return n == 1 && other == 0;
}

TEST_IMPL(catalogue_feed_written_and_revocation_deactivates) {
  struct fixture f;
  struct want w;
  char dir[512], *feed, *log;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f);
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  w.f = &f;
  /* The header and a row per variant of the 32 eligible goods: three of
   * them come in 2, 2 and 3 pack sizes (tests/data/ocop-sample.csv). */
  w.lines = 37;
  w.row = NAN_LISTED;
  ASSERT(itest_wait(feed_has, &w, 60000));
  feed = itest_read_file(f.feed);
  ASSERT_EQ(strncmp(feed, HEADER, strlen(HEADER)), 0);
  ASSERT_NULL(strstr(feed, ",0\r\n")); /* every row active */
  free(feed);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing l JOIN shop s ON s.id = l.shop_id "
                                "WHERE s.name = 'postmart-test' AND l.state = 'listed' "
                                "AND l.item_id IS NOT NULL"),
            32);

  /* Revoked: still in the feed, inactive and without its claims. */
  PQclear(itest_sql(f.db, "UPDATE certificate SET revoked_on = ocop_today() WHERE product_id = "
                          "(SELECT id FROM product WHERE code = 'OCP-NAN-001')"));
  w.row = NAN_DELISTED;
  ASSERT(itest_wait(feed_has, &w, 30000));
  snprintf(dir, sizeof dir, "%s/export", f.workdir);
  ASSERT(only_the_feed(dir));
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  f.daemon.pid = 0;
  log = itest_read_file(f.daemon.log);
  ASSERT_NOT_NULL(log);
  ASSERT_NOT_NULL(strstr(log, "feed written"));
  ASSERT_NULL(strstr(log, "postmart is a file channel")); /* never asked for a request */
  free(log);

  /* A restart rewrites the feed even with nothing to do (crash repair). */
  ASSERT_EQ(unlink(f.feed), 0);
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  ASSERT(itest_wait(feed_has, &w, 30000));
  ASSERT(only_the_feed(dir));
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  f.daemon.pid = 0;
  fixture_down(&f);
  return 0;
}

static int log_names_option(void *arg) {
  struct fixture *f = arg;
  char *log = itest_read_file(f->daemon.log);
  int ok = log && strstr(log, "export_dir") && strstr(log, "shop=postmart-test");

  free(log);
  return ok && itest_outbox_idle(f->db);
}

/* A shop without export_dir: the jobs still finish, the error names it. */
TEST_IMPL(missing_export_dir_is_logged) {
  struct fixture f;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f);
  PQclear(itest_sql(f.db, "UPDATE shop SET options = '{}' WHERE name = 'postmart-test'"));
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  ASSERT(itest_wait(log_names_option, &f, 60000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM listing WHERE state = 'listed'"), 32);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  f.daemon.pid = 0;
  fixture_down(&f);
  return 0;
}
