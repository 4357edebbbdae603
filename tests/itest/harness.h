/*
 * harness.h — what integration tests share: a fresh database on the
 * throwaway cluster named by $OCOP_TEST_PG, the marketplace simulator as a
 * child process on a loopback port, ocopd and ocopctl as child processes,
 * and small blocking helpers to look at all of them. Nothing is mocked.
 *
 * Every helper aborts the test (through ASSERT) when the harness itself
 * fails, so a test body reads as the scenario it checks.
 */
#ifndef OCOP_ITEST_HARNESS_H
#define OCOP_ITEST_HARNESS_H

#include <cjson/cJSON.h>
#include <libpq-fe.h>
#include <sys/types.h>

#include "runner.h"

#define ITEST_PARTNER_ID "1001"
#define ITEST_PARTNER_KEY "itest-partner-key-5f1c0a9e"
#define ITEST_SHOP_ID "2001"
#define ITEST_ACCESS_TOKEN "itest-access-token-77aa"

/* Returns 0, or TEST_SKIP (with a reason) when $OCOP_TEST_PG is unset. */
int itest_need_pg(void);

/* Paths from the test environment (automake sets top_builddir/top_srcdir). */
const char *itest_builddir(void);
const char *itest_srcdir(void);

/* A new empty directory for this test's files, inside test_tmpdir(). */
const char *itest_workdir(const char *tag);

/* Creates database ocop_<tag>_<pid> (dropping a leftover) and returns its
 * connection string (static buffer). */
const char *itest_db_create(const char *tag);
PGconn *itest_connect(const char *conninfo);
/* Runs SQL that must succeed; returns the result (caller clears). */
PGresult *itest_sql(PGconn *conn, const char *sql);
long long itest_sql_int(PGconn *conn, const char *sql);
/* First column of the first row as a malloc'd string ("" for NULL). */
char *itest_sql_text(PGconn *conn, const char *sql);

/* Runs argv (argv[0] relative to the build dir when it has no slash),
 * captures stdout and stderr (malloc'd, may be NULL), returns exit status. */
int itest_run(const char *const argv[], char **out, char **err);

/* Migrates, imports the sample catalogue and pins the OCOP date (NULL: the
 * date stays the clock's). */
void itest_load_sample(const char *conninfo, PGconn *conn, const char *today);
/* Pins the database's OCOP date (sql/logic/clock.sql; NULL unpins): every
 * session sees it at once, and a running ocopd acts on it as on a midnight. */
void itest_pin_date(PGconn *conn, const char *date);

/* Adds n products <prefix>-000001... of one producer, each certified
 * (3 to 5 stars, decided 2025-06-01) with 100 in stock. Needs a migrated
 * database. */
void itest_generate_products(PGconn *conn, const char *prefix, int n);
/* The image every product without one gets (tests/data/images/). */
#define ITEST_IMAGE "OCP-BKN-001.jpg"
/* Maps every OCOP category to the simulators' leaf categories and gives
 * each product what they require where it has none: an image, origin,
 * shelf life (and for health products ingredients and a brand). Called by
 * itest_load_sample and itest_generate_products. */
void itest_content_fill(PGconn *conn);

struct itest_sim {
  pid_t pid;
  int port;
  char base[64]; /* http://127.0.0.1:PORT */
};

void itest_sim_start(struct itest_sim *sim);
void itest_sim_stop(struct itest_sim *sim);
/* A control-API call; returns the parsed JSON answer (caller deletes). */
cJSON *itest_sim_call(struct itest_sim *sim, const char *method, const char *path,
                      const char *body);
/* Calls to `path` the simulator answered with HTTP 200. */
int itest_sim_count_calls(struct itest_sim *sim, const char *path);
/* Calls the simulator took on `path`, whatever it answered (faults too). */
int itest_sim_count_any_calls(struct itest_sim *sim, const char *path);
/* The items of the test shop, as the simulator holds them. */
cJSON *itest_sim_items(struct itest_sim *sim);

/* Gives the shop named `shop` one include rule selecting every product
 * (sql/009_variants.sql, assortment_rule), as `ocopctl shop add` does for
 * an operator's shop: a shop made by a plain INSERT has no owner and no
 * rule, and carries nothing. Call it right after such an INSERT. */
void itest_carry_all(PGconn *conn, const char *shop);

/* Adds the Shopee test shop (policy given) with its token and secret file. */
void itest_add_shop(PGconn *conn, struct itest_sim *sim, const char *workdir, const char *policy);

/* Seeds the simulator with a Lazada seller (3001) or a TikTok shop
 * (cipher ROW_itest, shop id 7001) and registers it as shop
 * "<marketplace>-test" with its secret, token and listing options. */
void itest_add_market_shop(PGconn *conn, struct itest_sim *sim, const char *workdir,
                           const char *marketplace);

struct itest_daemon {
  pid_t pid;
  char conf[512];
  char log[512];
};

/* The key that seals the tests' tokens at rest (lib/tokenkey.h). */
#define ITEST_TOKEN_KEY "6f636f70642d69746573742d746f6b656e2d6b65792d3230323620202020aa01"

/* Writes hex as <workdir>/credentials/tokens.key (mode 600), replacing it. */
void itest_write_token_key(const char *workdir, const char *hex);
/* Writes ITEST_TOKEN_KEY there unless a key is there already. */
void itest_ensure_token_key(const char *workdir);

/* Writes a config (plus `extra` lines) and starts ocopd with it; a
 * credentials folder without a token key gets ITEST_TOKEN_KEY. */
void itest_daemon_start(struct itest_daemon *d, const char *workdir, const char *conninfo,
                        const char *extra);
/* Sends sig (SIGTERM/SIGKILL) and waits; returns the exit status, or
 * 128+signal when killed. */
int itest_daemon_stop(struct itest_daemon *d, int sig);
int itest_daemon_alive(struct itest_daemon *d);

/* Polls cond every 50 ms for up to timeout_ms; returns 1 when it held. */
int itest_wait(int (*cond)(void *arg), void *arg, int timeout_ms);

/* 1 when no outbox job is pending or running. */
int itest_outbox_idle(PGconn *conn);

/* Reads a whole file (malloc'd, NUL-terminated) or NULL. */
char *itest_read_file(const char *path);

/* A loopback port nothing listens on now (the kernel's pick). */
/* The resident set size (VmRSS) of process pid in KiB, or -1 when it is gone. */
long itest_rss_kib(pid_t pid);

int itest_free_port(void);
/* 1 once something accepts connections on the loopback port (within 15 s),
 * after a moment more for a starting daemon to read its shops. */
int itest_wait_port(int port);
/* Has the simulator push order_id's current state to url, signed "good",
 * "bad" or "none", stamped ts (0: the simulator's clock); returns the HTTP
 * status the receiver answered (0: none within the simulator's 5 s). */
int itest_sim_push(struct itest_sim *sim, const char *url, const char *mp, const char *shop,
                   const char *order_id, const char *sign, long long ts);

/* Drops the databases ocop_t_<pid>_<n> (tests/itest/test_import.c) of test
 * processes that died before dropping their own; tests/itest/run-itest.c
 * calls it once every test has ended. */
void itest_drop_orphans(void);

#endif
