/*
 * test_expiry.c — a certificate lapses at the Asia/Ho_Chi_Minh day boundary
 * and a new one arrives, end to end: PostgreSQL, ocopd, the simulator.
 *
 * OCP-TBH-006's certificate is valid until 2026-11-24 inclusive. The dates
 * are pinned in the database (sql/008_clock.sql). In the first test the
 * daemon runs on 2026-11-24 (listed), stops, and starts again on 2026-11-25,
 * as after a night down: the start-up sweep must withdraw the listing. In
 * the second the date moves while the daemon runs (`ocopctl clock pin`),
 * which it must notice without a restart. Then a new decision is recorded
 * and the listing comes back. A real midnight on the machine's clock is
 * test_midnight's.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#define SKU "OCP-TBH-006"

struct fixture {
  const char *conninfo;
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon;
  char workdir[256];
};

/* Moves the database's pinned date with ocopctl, as an operator would in a
 * rehearsal; a running daemon is told at once (sql/008_clock.sql). */
static void pin_with_ocopctl(struct fixture *f, const char *date) {
  const char *argv[] = {"ocopctl", "-d", f->conninfo, "clock", "pin", date, NULL};
  char *err = NULL;

  ASSERT_EQ(itest_run(argv, NULL, &err), 0);
  ASSERT_NOT_NULL(strstr(err, "TEST CLOCK")); /* a pin always announces itself */
  free(err);
}

static void fixture_up(struct fixture *f, const char *tag, const char *policy) {
  memset(f, 0, sizeof *f);
  snprintf(f->workdir, sizeof f->workdir, "%s", itest_workdir(tag));
  f->conninfo = itest_db_create(tag);
  f->db = itest_connect(f->conninfo);
  itest_load_sample(f->conninfo, f->db, "2026-11-24");
  itest_sim_start(&f->sim);
  itest_add_shop(f->db, &f->sim, f->workdir, policy);
}

static void fixture_down(struct fixture *f) {
  if (f->daemon.pid)
    itest_daemon_stop(&f->daemon, SIGTERM);
  itest_sim_stop(&f->sim);
  PQfinish(f->db);
}

/* The simulator's view of the SKU: status and name (malloc'd). */
static int sim_item(struct itest_sim *sim, char **status, char **name, char **item_id) {
  cJSON *items = itest_sim_items(sim), *it;
  int found = 0;

  cJSON_ArrayForEach(it, items)
    if (strcmp(cJSON_GetObjectItem(it, "item_sku")->valuestring, SKU) == 0) {
      if (status)
        *status = strdup(cJSON_GetObjectItem(it, "item_status")->valuestring);
      if (name)
        *name = strdup(cJSON_GetObjectItem(it, "item_name")->valuestring);
      if (item_id)
        *item_id = strdup(cJSON_GetObjectItem(it, "item_id_str")->valuestring);
      found++;
    }
  cJSON_Delete(items);
  return found;
}

struct want {
  struct fixture *f;
  const char *listing_state;
  const char *status;
  const char *name_suffix; /* NULL: any */
};

static int reached(void *arg) {
  struct want *w = arg;
  char sql[256], *state, *status = NULL, *name = NULL;
  int ok;

  if (!itest_outbox_idle(w->f->db))
    return 0;
  snprintf(sql, sizeof sql,
           "SELECT l.state FROM listing l JOIN product p ON p.id = l.product_id WHERE p.code = '%s'",
           SKU);
  state = itest_sql_text(w->f->db, sql);
  ok = strcmp(state, w->listing_state) == 0 && sim_item(&w->f->sim, &status, &name, NULL) == 1 &&
       strcmp(status, w->status) == 0;
  if (ok && w->name_suffix)
    ok = strlen(name) >= strlen(w->name_suffix) &&
         strcmp(name + strlen(name) - strlen(w->name_suffix), w->name_suffix) == 0;
  free(state);
  free(status);
  free(name);
  return ok;
}

/* How many calls to `path` named this item. */
static int calls_for(struct itest_sim *sim, const char *path, const char *item_id) {
  cJSON *r = itest_sim_call(sim, "GET", "/_sim/calls?since=0", NULL), *c;
  int n = 0;

  cJSON_ArrayForEach(c, cJSON_GetObjectItem(r, "calls")) {
    cJSON *id = cJSON_GetObjectItem(c, "item_id");
    char text[32] = "";

    if (cJSON_IsNumber(id))
      snprintf(text, sizeof text, "%.0f", id->valuedouble);
    else if (cJSON_IsString(id))
      snprintf(text, sizeof text, "%s", id->valuestring);
    if (strcmp(cJSON_GetObjectItem(c, "path")->valuestring, path) == 0 && strcmp(text, item_id) == 0)
      n++;
  }
  cJSON_Delete(r);
  return n;
}

static void renew(struct fixture *f, int stars) {
  char sql[512];

  snprintf(sql, sizeof sql,
           "INSERT INTO certificate (product_id, stars, decision_no, decision_date) "
           "SELECT id, %d, '4120/QĐ-UBND', DATE '2026-11-25' FROM product WHERE code = '%s'",
           stars, SKU);
  PQclear(itest_sql(f->db, sql));
}

TEST_IMPL(lapsed_certificate_delists_and_new_one_relists) {
  struct fixture f;
  struct want w;
  char *item_id = NULL;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "expiry", "delist");
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  w.f = &f;
  w.listing_state = "listed";
  w.status = "NORMAL";
  w.name_suffix = " - OCOP 4 sao";
  ASSERT(itest_wait(reached, &w, 60000)); /* 2026-11-24: valid_until itself is valid */
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);

  itest_pin_date(f.db, "2026-11-25"); /* the night passes while ocopd is down */
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  w.listing_state = "delisted";
  w.status = "UNLIST";
  w.name_suffix = NULL;
  ASSERT(itest_wait(reached, &w, 30000));
  ASSERT_EQ(sim_item(&f.sim, NULL, NULL, &item_id), 1);
  ASSERT_EQ(calls_for(&f.sim, "/api/v2/product/unlist_item", item_id), 1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event e JOIN product p ON p.id = e.product_id "
                                "WHERE p.code = '" SKU "' AND e.action = 'delist' AND e.reason = 'expired'"),
            1);

  renew(&f, 5); /* re-recognised, and upgraded */
  w.listing_state = "listed";
  w.status = "NORMAL";
  w.name_suffix = " - OCOP 5 sao";
  ASSERT(itest_wait(reached, &w, 30000));
  ASSERT_EQ(calls_for(&f.sim, "/api/v2/product/unlist_item", item_id), 2);
  /* Still one listing: relisted, never re-created. */
  ASSERT_EQ(sim_item(&f.sim, NULL, NULL, NULL), 1);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event e JOIN product p ON p.id = e.product_id "
                                "WHERE p.code = '" SKU "' AND e.action = 'relist'"),
            1);
  free(item_id);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}

TEST_IMPL(strip_policy_keeps_selling_without_claims) {
  struct fixture f;
  struct want w;
  char *item_id = NULL, *name = NULL;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "strip", "strip");
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  w.f = &f;
  w.listing_state = "listed";
  w.status = "NORMAL";
  w.name_suffix = " - OCOP 4 sao";
  ASSERT(itest_wait(reached, &w, 60000));

  /* Midnight while the daemon runs: no restart, the pin reaches it. */
  pin_with_ocopctl(&f, "2026-11-25");
  w.name_suffix = "Bánh chè lam Thiên Đức"; /* the plain name: no claim left */
  ASSERT(itest_wait(reached, &w, 30000));
  ASSERT_EQ(sim_item(&f.sim, NULL, &name, &item_id), 1);
  ASSERT_STR_EQ(name, "Bánh chè lam Thiên Đức");
  ASSERT_EQ(calls_for(&f.sim, "/api/v2/product/unlist_item", item_id), 0);
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event e JOIN product p ON p.id = e.product_id "
                                "WHERE p.code = '" SKU "' AND e.action = 'strip'"),
            1);

  renew(&f, 4);
  w.name_suffix = " - OCOP 4 sao";
  ASSERT(itest_wait(reached, &w, 30000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event e JOIN product p ON p.id = e.product_id "
                                "WHERE p.code = '" SKU "' AND e.action = 'restore'"),
            1);
  free(item_id);
  free(name);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}

/* A revocation recorded mid-day withdraws the listing at once. */
TEST_IMPL(revocation_withdraws_at_once) {
  struct fixture f;
  struct want w;

  if (itest_need_pg())
    return TEST_SKIP;
  fixture_up(&f, "revoke", "delist");
  itest_daemon_start(&f.daemon, f.workdir, f.conninfo, NULL);
  w.f = &f;
  w.listing_state = "listed";
  w.status = "NORMAL";
  w.name_suffix = NULL;
  ASSERT(itest_wait(reached, &w, 60000));
  PQclear(itest_sql(f.db, "UPDATE certificate SET revoked_on = ocop_today(), "
                          "revocation_decision_no = '77/QĐ-UBND' WHERE product_id = "
                          "(SELECT id FROM product WHERE code = '" SKU "')"));
  w.listing_state = "delisted";
  w.status = "UNLIST";
  ASSERT(itest_wait(reached, &w, 15000));
  ASSERT_EQ(itest_sql_int(f.db, "SELECT count(*) FROM event e JOIN product p ON p.id = e.product_id "
                                "WHERE p.code = '" SKU "' AND e.action = 'delist' AND e.reason = 'revoked'"),
            1);
  ASSERT_EQ(itest_daemon_stop(&f.daemon, SIGTERM), 0);
  fixture_down(&f);
  return 0;
}
