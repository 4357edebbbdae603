/*
 * test_tokens.c — marketplace tokens sealed at rest (lib/tokenkey.h,
 * daemon/token_seal.h, ctl/ctl_token.h) and token refreshes that survive a
 * bad answer (daemon/token.h).
 *
 * The harness stores its tokens in clear, as a database from before sealing
 * holds them: ocopd's start seals them. A dump then holds none of them, nor
 * the pair a refresh brings; `ocopctl token rotate-key` re-seals them and
 * the running daemon goes on calling with the right token; a key that did
 * not seal them stops the next start with the shop's name.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "runner.h"

#define TODAY "2026-11-25"
#define OTHER_KEY "0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de0badc0de"

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
};

static void fixture_up(struct fixture *f, const char *tag) {
  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir(tag));
  f->conninfo = itest_db_create(tag);
  f->db = itest_connect(f->conninfo);
  itest_load_sample(f->conninfo, f->db, TODAY);
  itest_sim_start(&f->sim);
  itest_add_shop(f->db, &f->sim, f->workdir, "delist");
  itest_daemon_start(&f->daemon, f->workdir, f->conninfo, NULL);
}

static void fixture_down(struct fixture *f) {
  if (f->daemon.pid)
    itest_daemon_stop(&f->daemon, SIGTERM);
  itest_sim_stop(&f->sim);
  PQfinish(f->db);
}

static int idle_and_listed(void *arg) {
  struct fixture *f = arg;

  return itest_outbox_idle(f->db) &&
         itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state = 'listed'") > 0 &&
         itest_sql_int(f->db, "SELECT count(*) FROM listing WHERE state = 'new'") == 0;
}

static int refreshed_once(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM event WHERE kind = 'token' AND "
                              "action = 'refreshed'") >= 1;
}

/* The simulator item's price of the sample's SKU OCP-BKN-001. */
static long sim_price(struct itest_sim *sim) {
  cJSON *items = itest_sim_items(sim), *it;
  long price = -1;

  cJSON_ArrayForEach(it, items) {
    cJSON *sku = cJSON_GetObjectItem(it, "item_sku");

    if (cJSON_IsString(sku) && strcmp(sku->valuestring, "OCP-BKN-001") == 0)
      price = (long)cJSON_GetNumberValue(cJSON_GetObjectItem(it, "original_price"));
  }
  cJSON_Delete(items);
  return price;
}

static long want_price;

static int price_arrived(void *arg) { return sim_price(arg) == want_price; }

/* A price change goes out with the shop's token; the simulator takes it. */
static void price_goes_out(struct fixture *f, long vnd) {
  char sql[200];

  want_price = vnd;
  snprintf(sql, sizeof sql, "UPDATE variant SET price_vnd = %ld WHERE sku = 'OCP-BKN-001'", vnd);
  PQclear(itest_sql(f->db, sql));
  ASSERT(itest_wait(price_arrived, &f->sim, 60000));
}

/* pg_dump of the test database: none of the strings may appear in it. */
static void dump_holds_none(struct fixture *f, const char *const *canaries) {
  const char *argv[] = {"/usr/bin/pg_dump", "-d", f->conninfo, NULL};
  char *out = NULL, *err = NULL;

  ASSERT_EQ(itest_run(argv, &out, &err), 0);
  ASSERT(strstr(out, "ocs1:") != NULL); /* the blobs are there */
  for (; *canaries; canaries++)
    ASSERT_NULL(strstr(out, *canaries));
  free(out);
  free(err);
}

/* The tokens the simulator holds for the shop now (after refreshes). */
static void sim_tokens(struct fixture *f, char *access, char *refresh, size_t len) {
  cJSON *r = itest_sim_call(&f->sim, "GET", "/_sim/shopee/shops", NULL), *shops, *s;

  shops = cJSON_GetObjectItem(r, "shops");
  s = cJSON_GetArrayItem(shops, 0);
  ASSERT_NOT_NULL(s);
  snprintf(access, len, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(s, "access_token")));
  snprintf(refresh, len, "%s", cJSON_GetStringValue(cJSON_GetObjectItem(s, "refresh_token")));
  cJSON_Delete(r);
}

/* A figure, not an assertion: from the simulator taking the last refresh to
 * the statement that stored its answer (event.at). */
static void print_refresh_window(struct fixture *f) {
  cJSON *r = itest_sim_call(&f->sim, "GET", "/_sim/calls", NULL), *c;
  double taken = 0;

  cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "calls")) {
    if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(c, "path")),
               "/api/v2/auth/access_token/get") == 0)
      taken = cJSON_GetNumberValue(cJSON_GetObjectItem(c, "ts_ms"));
  }
  cJSON_Delete(r);
  printf("refresh taken by the marketplace -> new pair stored: %lld ms\n",
         itest_sql_int(f->db, "SELECT max(extract(epoch FROM at) * 1000)::bigint FROM "
                              "event WHERE kind = 'token' AND action = 'refreshed'") -
             (long long)taken);
}

static int daemon_gone(void *arg) { return !itest_daemon_alive(arg); }

TEST_IMPL(tokens_sealed_at_rest_rotated_and_a_wrong_key_named) {
  struct fixture f;
  char acc[512], refresh[512], creddir[512], newkey[600], *log, *before, *after;
  const char *canaries[4] = {ITEST_ACCESS_TOKEN, "itest-refresh", NULL, NULL};
  const char *newkey_argv[] = {"ocopctl", "token", "new-key", newkey, NULL};
  const char *rotate_argv[] = {"ocopctl", "-d", NULL, "token", "rotate-key", newkey,
                               "--credentials-dir", creddir, NULL};
  char *out = NULL, *err = NULL;
  cJSON *r;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "tokseal");
  ASSERT(itest_wait(idle_and_listed, &f, 60000));
  /* The clear tokens of an older database were sealed at the start. */
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM token WHERE access_token LIKE 'ocs1:%' "
                                "AND refresh_token LIKE 'ocs1:%'"), 1);
  log = itest_read_file(f.daemon.log);
  ASSERT(strstr(log, "tokens in clear sealed under the token key") != NULL);
  free(log);
  dump_holds_none(&f, canaries);

  /* A refresh brings a new pair: stored sealed, and the dump holds neither. */
  r = itest_sim_call(&f.sim, "POST", "/_sim/shopee/expire_token", "{\"shop_id\":" ITEST_SHOP_ID "}");
  cJSON_Delete(r);
  price_goes_out(&f, 71000);
  ASSERT(itest_wait(refreshed_once, &f, 30000));
  print_refresh_window(&f);
  sim_tokens(&f, acc, refresh, sizeof acc);
  ASSERT(strcmp(acc, ITEST_ACCESS_TOKEN) != 0);
  canaries[0] = acc;
  canaries[1] = refresh;
  dump_holds_none(&f, canaries);

  /* Rotation: every token re-sealed under the new key, the file put in
   * place; the running daemon follows and calls with the right token. */
  snprintf(creddir, sizeof creddir, "%s/credentials", f.workdir);
  snprintf(newkey, sizeof newkey, "%s/new-tokens.key", f.workdir);
  ASSERT_EQ(itest_run(newkey_argv, &out, &err), 0);
  ASSERT(strstr(out, "written to") != NULL);
  free(out);
  free(err);
  ASSERT_EQ(itest_run(newkey_argv, &out, &err), 1); /* never overwritten */
  free(out);
  free(err);
  before = itest_sql_text(f.db, "SELECT substr(access_token, 1, 14) FROM token");
  rotate_argv[2] = f.conninfo;
  ASSERT_EQ(itest_run(rotate_argv, &out, &err), 0);
  ASSERT(strstr(out, "the tokens of 1 shop re-sealed") != NULL);
  free(out);
  free(err);
  ASSERT(access(newkey, F_OK) != 0); /* moved into place */
  after = itest_sql_text(f.db, "SELECT substr(access_token, 1, 14) FROM token");
  ASSERT(strncmp(after, "ocs1:", 5) == 0 && strcmp(before, after) != 0);
  price_goes_out(&f, 72000);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
  dump_holds_none(&f, canaries);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);

  /* A key that did not seal them: the start stops and names the shop. */
  itest_write_token_key(f.workdir, OTHER_KEY);
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  ASSERT(itest_wait(daemon_gone, &f.daemon, 30000));
  f.daemon.pid = 0;
  log = itest_read_file(f.daemon.log);
  ASSERT(strstr(log, "refusing to start: the tokens cannot be opened or sealed") != NULL);
  ASSERT(strstr(log, "shop shopee-test: the access_token is sealed under token key") != NULL);
  ASSERT(strstr(log, "the token key changed") != NULL);
  ASSERT_NULL(strstr(log, acc));
  ASSERT_NULL(strstr(log, refresh));
  free(log);
  free(before);
  free(after);
  fixture_down(&f);
  return 0;
}

static int refresh_refused_once(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM event WHERE kind = 'token' AND "
                              "action = 'refresh_refused'") >= 1;
}

/* One error answer to a refresh (a marketplace's passing fault) does not
 * pause the shop: the refresh is tried again after a backoff and the
 * change goes out. (Repeated refusals pausing it: test_mirror.c.) */
TEST_IMPL(one_refused_refresh_does_not_pause_the_shop) {
  struct fixture f;
  cJSON *r;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "tokretry");
  ASSERT(itest_wait(idle_and_listed, &f, 60000));
  r = itest_sim_call(&f.sim, "POST", "/_sim/fault",
                     "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/auth/access_token/get\","
                     "\"kind\":\"error\",\"error\":\"error_auth\",\"message\":\"passing fault\","
                     "\"count\":1}");
  cJSON_Delete(r);
  r = itest_sim_call(&f.sim, "POST", "/_sim/shopee/expire_token", "{\"shop_id\":" ITEST_SHOP_ID "}");
  cJSON_Delete(r);
  PQclear(itest_sql(f.db, "UPDATE variant SET price_vnd = 73000 WHERE sku = 'OCP-BKN-001'"));
  ASSERT(itest_wait(refresh_refused_once, &f, 30000));
  want_price = 73000;
  ASSERT(itest_wait(price_arrived, &f.sim, 90000));
  ASSERT(itest_wait(refreshed_once, &f, 30000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM shop WHERE status = 'active'"), 1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event WHERE kind = 'token' AND "
                                "action = 'needs_reauth'"), 0);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT refresh_refusals FROM token"), 0);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM outbox WHERE state = 'dead'"), 0);
  ASSERT(itest_daemon_alive(&f.daemon));
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}

static int log_says_store_retried(void *arg) {
  struct fixture *f = arg;
  char *log = itest_read_file(f->daemon.log);
  int yes = log && strstr(log, "cannot store the refreshed token pair yet; trying again") != NULL;

  free(log);
  return yes;
}

static int refreshed_twice(void *arg) {
  struct fixture *f = arg;

  return itest_sql_int(f->db, "SELECT count(*) FROM event WHERE kind = 'token' AND "
                              "action = 'refreshed'") >= 2;
}

/* The marketplace answers a refresh while the database is out of reach:
 * the new pair (the old refresh token is spent) is kept and stored once
 * the database is back, and the next refresh works with it. */
TEST_IMPL(refreshed_pair_survives_the_database_away) {
  struct fixture f;
  char sql[512], dbname[128];
  PGconn *admin;
  cJSON *r;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "tokstore");
  admin = itest_connect(getenv("OCOP_TEST_PG")); /* the cluster's own database */
  ASSERT(itest_wait(idle_and_listed, &f, 60000));
  r = itest_sim_call(&f.sim, "POST", "/_sim/fault",
                     "{\"marketplace\":\"shopee\",\"path\":\"/api/v2/auth/access_token/get\","
                     "\"kind\":\"slow\",\"delay_ms\":3000,\"count\":1}");
  cJSON_Delete(r);
  r = itest_sim_call(&f.sim, "POST", "/_sim/shopee/expire_token", "{\"shop_id\":" ITEST_SHOP_ID "}");
  cJSON_Delete(r);
  PQclear(itest_sql(f.db, "UPDATE variant SET price_vnd = 74000 WHERE sku = 'OCP-BKN-001'"));
  usleep(1000000); /* the refresh is at the marketplace, which answers in 3 s */
  /* The database is out of reach for the daemon: no new connection, and
   * the ones it has are closed. */
  snprintf(dbname, sizeof dbname, "%s", PQdb(f.db));
  PQfinish(f.db);
  snprintf(sql, sizeof sql, "ALTER DATABASE \"%s\" ALLOW_CONNECTIONS false", dbname);
  PQclear(itest_sql(admin, sql));
  snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                            "WHERE datname = '%s'", dbname);
  PQclear(itest_sql(admin, sql));
  ASSERT(itest_wait(log_says_store_retried, &f, 30000));
  snprintf(sql, sizeof sql, "ALTER DATABASE \"%s\" ALLOW_CONNECTIONS true", dbname);
  PQclear(itest_sql(admin, sql));
  PQfinish(admin);
  f.db = itest_connect(f.conninfo);
  want_price = 74000;
  ASSERT(itest_wait(price_arrived, &f.sim, 90000));
  ASSERT(itest_wait(refreshed_once, &f, 60000));
  /* The stored refresh token is the one the marketplace issued: the next
   * refresh is taken. */
  r = itest_sim_call(&f.sim, "POST", "/_sim/shopee/expire_token", "{\"shop_id\":" ITEST_SHOP_ID "}");
  cJSON_Delete(r);
  price_goes_out(&f, 75000);
  ASSERT(itest_wait(refreshed_twice, &f, 30000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM shop WHERE status = 'active'"), 1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event WHERE kind = 'token' AND "
                                "action IN ('refresh_refused', 'needs_reauth')"), 0);
  ASSERT(itest_daemon_alive(&f.daemon));
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}
