/*
 * test_db.c — db.c against a real PostgreSQL named by $OCOP_TEST_PG (a
 * libpq conninfo such as "host=/tmp/pg user=ocop dbname=postgres"); those
 * tests skip without it. A second, plain blocking libpq connection plays the
 * outside world (NOTIFY, pg_terminate_backend). Tests of connect failures
 * use a fake server on the same loop that accepts and hangs up at once.
 */
#include "db.h"
#include "runner.h"

#include <stdarg.h>
#include <uv.h>

#define MAX_EVENTS 64
#define MAX_ACCEPTS 64

static uv_loop_t loop;
static db_t *db;
static const char *pg;    /* $OCOP_TEST_PG */
static int closed_calls;
static int in_query;      /* set around db_query: callbacks must not see it */

/* What happened, in order: "up", "down", "q<n>:<value or error>", "n:<payload>". */
static char events[MAX_EVENTS][128];
static int nevents;

static void event(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static void event(const char *fmt, ...) {
  va_list ap;

  ASSERT(nevents < MAX_EVENTS);
  va_start(ap, fmt);
  vsnprintf(events[nevents++], sizeof events[0], fmt, ap);
  va_end(ap);
}

#define NEED_PG()                                                             \
  do {                                                                        \
    pg = getenv("OCOP_TEST_PG");                                              \
    if (pg == NULL || *pg == '\0') {                                          \
      test_skip_reason("OCOP_TEST_PG is not set");                            \
      return TEST_SKIP;                                                       \
    }                                                                         \
  } while (0)

/* ---- the outside world: a blocking connection ------------------------- */

/* Runs one statement; returns the first value (static buffer) or "". */
static const char *pg_side(const char *sql) {
  static char out[256];
  PGconn *c = PQconnectdb(pg);
  PGresult *r;

  ASSERT(PQstatus(c) == CONNECTION_OK);
  r = PQexec(c, sql);
  if (PQresultStatus(r) != PGRES_TUPLES_OK && PQresultStatus(r) != PGRES_COMMAND_OK) {
    fprintf(stderr, "side query failed: %s", PQresultErrorMessage(r));
    abort();
  }
  snprintf(out, sizeof out, "%s",
           PQntuples(r) > 0 && PQnfields(r) > 0 ? PQgetvalue(r, 0, 0) : "");
  PQclear(r);
  PQfinish(c);
  return out;
}

/* ---- fake server: accepts and hangs up -------------------------------- */

static struct {
  uv_tcp_t listener;
  int port;
  unsigned accepts;
  uint64_t at[MAX_ACCEPTS];
} fake;

static void fake_on_connection(uv_stream_t *l, int status) {
  uv_tcp_t *c = malloc(sizeof *c);

  ASSERT_EQ(status, 0);
  ASSERT_NOT_NULL(c);
  ASSERT_EQ(uv_tcp_init(&loop, c), 0);
  ASSERT_EQ(uv_accept(l, (uv_stream_t *)c), 0);
  if (fake.accepts < MAX_ACCEPTS)
    fake.at[fake.accepts] = uv_hrtime();
  fake.accepts++;
  uv_close((uv_handle_t *)c, (uv_close_cb)free);
}

static void fake_start(void) {
  struct sockaddr_in a;
  struct sockaddr_storage name;
  int len = sizeof name;

  memset(&fake, 0, sizeof fake);
  ASSERT_EQ(uv_tcp_init(&loop, &fake.listener), 0);
  ASSERT_EQ(uv_ip4_addr("127.0.0.1", 0, &a), 0);
  ASSERT_EQ(uv_tcp_bind(&fake.listener, (struct sockaddr *)&a, 0), 0);
  ASSERT_EQ(uv_listen((uv_stream_t *)&fake.listener, 16, fake_on_connection), 0);
  ASSERT_EQ(uv_tcp_getsockname(&fake.listener, (struct sockaddr *)&name, &len), 0);
  fake.port = ntohs(((struct sockaddr_in *)&name)->sin_port);
}

static void fake_stop(void) {
  uv_close((uv_handle_t *)&fake.listener, NULL);
}

/* ---- common plumbing -------------------------------------------------- */

static void on_closed(void *arg) {
  ASSERT(arg == &closed_calls);
  ASSERT_EQ(db_pending(db), 0);
  closed_calls++;
}

static void close_db(void) {
  db_close(db, on_closed, &closed_calls);
}

static void setup(void) {
  ASSERT_EQ(uv_loop_init(&loop), 0);
  nevents = 0;
  closed_calls = 0;
}

static void run_and_close(void) {
  ASSERT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
  ASSERT_EQ(closed_calls, 1);
  ASSERT_EQ(uv_loop_close(&loop), 0);
}

static void make_db(const char *conninfo, const char *channel,
                    const char *const *setup_sql, db_state_cb scb,
                    db_notify_cb ncb, unsigned query_timeout_ms) {
  struct db_options o;

  memset(&o, 0, sizeof o);
  o.conninfo = conninfo;
  o.listen_channel = channel;
  o.setup_sql = setup_sql;
  o.reconnect_min_ms = 50;
  o.reconnect_max_ms = 200;
  o.query_timeout_ms = query_timeout_ms;
  o.name = "test";
  db = db_new(&loop, &o, scb, ncb, &loop);
  ASSERT_NOT_NULL(db);
  ASSERT_EQ(db_start(db), 0);
}

static void query(const char *sql, int n, const char *const *v, db_result_cb cb,
                  void *arg) {
  in_query = 1;
  ASSERT_EQ(db_query(db, sql, n, v, cb, arg), 0);
  in_query = 0;
}

/* Records "q<tag>:<first value>" or "q<tag>:!<error>". */
static void on_result(void *arg, PGresult *res, const char *err) {
  const char *tag = arg;

  ASSERT(!in_query);
  ASSERT((res == NULL) != (err == NULL));
  if (err) {
    ASSERT_NULL(strchr(err, '\n'));
    event("q%s:!%s", tag, err);
  } else {
    event("q%s:%s", tag, PQntuples(res) ? PQgetvalue(res, 0, 0) : "");
  }
}

static void on_state(void *arg, int up) {
  ASSERT(arg == &loop);
  ASSERT_EQ(db_is_up(db), up);
  event("%s", up ? "up" : "down");
}

static void on_notify(void *arg, const char *channel, const char *payload) {
  event("n:%s:%s", channel, payload);
}

/* ---- tests with a server ---------------------------------------------- */

static void fifo_last(void *arg, PGresult *res, const char *err) {
  on_result(arg, res, err);
  close_db();
}

TEST_IMPL(db_fifo_params) {
  static const char *tags[] = {"0", "1", "2", "3", "4"};
  const char *null_param[1] = {NULL};
  int i;

  NEED_PG();
  setup();
  make_db(pg, NULL, NULL, on_state, NULL, 0);
  /* Queued while connecting: sent in order once up. */
  for (i = 0; i < 5; i++) {
    char num[8], txt[8];
    const char *v[2] = {num, txt};

    snprintf(num, sizeof num, "%d", i * 10);
    snprintf(txt, sizeof txt, "s%d", i);
    query("SELECT ($1::int + 1)::text || ':' || $2::text", 2, v, on_result,
          (void *)tags[i]);
  }
  query("SELECT ($1::text IS NULL)::text", 1, null_param, fifo_last, "n");
  ASSERT_EQ(db_pending(db), 6);
  ASSERT_EQ(nevents, 0);
  run_and_close();
  ASSERT_EQ(nevents, 7);
  ASSERT_STR_EQ(events[0], "up");
  ASSERT_STR_EQ(events[1], "q0:1:s0");
  ASSERT_STR_EQ(events[2], "q1:11:s1");
  ASSERT_STR_EQ(events[3], "q2:21:s2");
  ASSERT_STR_EQ(events[4], "q3:31:s3");
  ASSERT_STR_EQ(events[5], "q4:41:s4");
  ASSERT_STR_EQ(events[6], "qn:true");
  return TEST_OK;
}

TEST_IMPL(db_sql_error) {
  NEED_PG();
  setup();
  make_db(pg, NULL, NULL, NULL, NULL, 0);
  query("SELECT 1/0", 0, NULL, on_result, "a");
  query("SELEC 1", 0, NULL, on_result, "b");
  query("SELECT 'still fine'", 0, NULL, fifo_last, "c");
  run_and_close();
  ASSERT_EQ(nevents, 3);
  ASSERT_STR_EQ(events[0], "qa:!division by zero");
  ASSERT_STR_EQ(events[1], "qb:!syntax error at or near \"SELEC\"");
  ASSERT_STR_EQ(events[2], "qc:still fine");
  return TEST_OK;
}

static void notify_up(void *arg, int up) {
  on_state(arg, up);
  /* The channel needs quoting: LISTEN must have used PQescapeIdentifier. */
  pg_side("SELECT pg_notify('ocop Test', 'hello')");
}

static void notify_then_close(void *arg, const char *channel, const char *payload) {
  on_notify(arg, channel, payload);
  close_db();
}

TEST_IMPL(db_listen_notify) {
  NEED_PG();
  setup();
  make_db(pg, "ocop Test", NULL, notify_up, notify_then_close, 0);
  run_and_close();
  ASSERT_EQ(nevents, 2);
  ASSERT_STR_EQ(events[0], "up");
  ASSERT_STR_EQ(events[1], "n:ocop Test:hello");
  return TEST_OK;
}

/* pg_terminate_backend from outside, mid-query. */
static struct {
  char pid1[16], pid2[16];
  int ups;
  uv_timer_t kill_timer;
} t4;

static void t4_on_pid(void *arg, PGresult *res, const char *err) {
  ASSERT_NULL(err);
  snprintf(arg, 16, "%s", PQgetvalue(res, 0, 0));
}

static void t4_kill(uv_timer_t *t) {
  char sql[96];

  uv_close((uv_handle_t *)t, NULL);
  ASSERT(t4.pid1[0] != '\0');
  snprintf(sql, sizeof sql, "SELECT pg_terminate_backend(%s)::text", t4.pid1);
  ASSERT_STR_EQ(pg_side(sql), "true");
}

static void t4_after_reconnect(void *arg, PGresult *res, const char *err) {
  ASSERT_NULL(err);
  snprintf(t4.pid2, sizeof t4.pid2, "%s", PQgetvalue(res, 0, 0));
  event("app:%s", PQgetvalue(res, 0, 1));
  pg_side("NOTIFY ocop_t4, 'again'");
}

static void t4_notify(void *arg, const char *channel, const char *payload) {
  on_notify(arg, channel, payload);
  query("SELECT 42", 0, NULL, fifo_last, "final");
}

static void t4_state(void *arg, int up) {
  on_state(arg, up);
  if (!up) {
    /* While down: accepted, then failed on a later turn. */
    query("SELECT 1", 0, NULL, on_result, "down");
    ASSERT_STR_EQ(events[nevents - 1], "down");
    return;
  }
  if (++t4.ups == 1) {
    query("SELECT pg_backend_pid()", 0, NULL, t4_on_pid, t4.pid1);
    query("SELECT pg_sleep(30)", 0, NULL, on_result, "sleep");
    ASSERT_EQ(uv_timer_init(&loop, &t4.kill_timer), 0);
    ASSERT_EQ(uv_timer_start(&t4.kill_timer, t4_kill, 200, 0), 0);
  } else {
    query("SELECT pg_backend_pid(), application_name FROM pg_stat_activity "
          "WHERE pid = pg_backend_pid()", 0, NULL, t4_after_reconnect, NULL);
  }
}

TEST_IMPL(db_reconnect_after_terminate) {
  static const char *const setup_sql[] = {"SET application_name = 'ocop_t4'", NULL};

  NEED_PG();
  setup();
  memset(&t4, 0, sizeof t4);
  make_db(pg, "ocop_t4", setup_sql, t4_state, t4_notify, 0);
  run_and_close();
  ASSERT_EQ(nevents, 8);
  ASSERT_STR_EQ(events[0], "up");
  ASSERT_STR_EQ(events[1], "qsleep:!connection lost");
  ASSERT_STR_EQ(events[2], "down");
  ASSERT_STR_EQ(events[3], "qdown:!database unavailable");
  ASSERT_STR_EQ(events[4], "up");
  ASSERT_STR_EQ(events[5], "app:ocop_t4");
  ASSERT_STR_EQ(events[6], "n:ocop_t4:again");
  ASSERT_STR_EQ(events[7], "qfinal:42");
  ASSERT(strcmp(t4.pid1, t4.pid2) != 0);
  return TEST_OK;
}

TEST_IMPL(db_setup_sql) {
  static const char *const setup_sql[] = {
      "SET application_name = 'ocop_setup'", "SET statement_timeout = '1234ms'", NULL};

  NEED_PG();
  setup();
  make_db(pg, NULL, setup_sql, NULL, NULL, 0);
  query("SELECT current_setting('statement_timeout')", 0, NULL, on_result, "st");
  query("SELECT application_name FROM pg_stat_activity WHERE pid = pg_backend_pid()",
        0, NULL, fifo_last, "app");
  run_and_close();
  ASSERT_EQ(nevents, 2);
  ASSERT_STR_EQ(events[0], "qst:1234ms");
  ASSERT_STR_EQ(events[1], "qapp:ocop_setup");
  return TEST_OK;
}

static void close_timer_cb(uv_timer_t *t) {
  uv_close((uv_handle_t *)t, NULL);
  close_db();
}

/* A failing setup statement is a failed attempt: never up, retried. */
TEST_IMPL(db_setup_failure_keeps_down) {
  static const char *const setup_sql[] = {"SELECT no_such_function()", NULL};
  uv_timer_t t;

  NEED_PG();
  setup();
  make_db(pg, NULL, setup_sql, on_state, NULL, 0);
  query("SELECT 1", 0, NULL, on_result, "a");
  ASSERT_EQ(uv_timer_init(&loop, &t), 0);
  ASSERT_EQ(uv_timer_start(&t, close_timer_cb, 400, 0), 0);
  run_and_close();
  ASSERT_EQ(nevents, 1);
  ASSERT_STR_EQ(events[0], "qa:!database unavailable");
  return TEST_OK;
}

static uint64_t t_sent;

static void timeout_state(void *arg, int up) {
  on_state(arg, up);
  if (up && nevents == 1) {
    t_sent = uv_hrtime();
    query("SELECT pg_sleep(5)", 0, NULL, on_result, "slow");
  } else if (up) {
    query("SELECT 'back'", 0, NULL, fifo_last, "after");
  }
}

TEST_IMPL(db_query_timeout) {
  uint64_t ms;

  NEED_PG();
  setup();
  make_db(pg, NULL, NULL, timeout_state, NULL, 200);
  run_and_close();
  ASSERT_EQ(nevents, 5);
  ASSERT_STR_EQ(events[0], "up");
  ASSERT_STR_EQ(events[1], "qslow:!query timeout");
  ASSERT_STR_EQ(events[2], "down");
  ASSERT_STR_EQ(events[3], "up");
  ASSERT_STR_EQ(events[4], "qafter:back");
  ms = (uv_hrtime() - t_sent) / 1000000;
  ASSERT(ms >= 200 && ms < 4000);
  return TEST_OK;
}

static void close_queued_up(void *arg, int up) {
  static uv_timer_t timer;
  uv_timer_t *t = &timer;

  on_state(arg, up);
  query("SELECT 'slept' FROM pg_sleep(0.3)", 0, NULL, on_result, "0");
  query("SELECT 1", 0, NULL, on_result, "1");
  query("SELECT 2", 0, NULL, on_result, "2");
  query("SELECT 3", 0, NULL, on_result, "3");
  ASSERT_EQ(uv_timer_init(&loop, t), 0);
  ASSERT_EQ(uv_timer_start(t, close_timer_cb, 50, 0), 0);
}

TEST_IMPL(db_close_with_queued) {
  NEED_PG();
  setup();
  make_db(pg, NULL, NULL, close_queued_up, NULL, 0);
  run_and_close();
  ASSERT_EQ(nevents, 5);
  ASSERT_STR_EQ(events[0], "up");
  /* Queued ones fail at once; the one in flight is allowed to finish. */
  ASSERT_STR_EQ(events[1], "q1:!shutting down");
  ASSERT_STR_EQ(events[2], "q2:!shutting down");
  ASSERT_STR_EQ(events[3], "q3:!shutting down");
  ASSERT_STR_EQ(events[4], "q0:slept");
  return TEST_OK;
}

/* ---- tests without a server ------------------------------------------- */

TEST_IMPL(db_close_while_connecting) {
  char conninfo[128];

  setup();
  fake_start();
  snprintf(conninfo, sizeof conninfo,
           "host=127.0.0.1 port=%d sslmode=disable gssencmode=disable", fake.port);
  make_db(conninfo, NULL, NULL, on_state, NULL, 0);
  query("SELECT 1", 0, NULL, on_result, "a");
  close_db();
  ASSERT_EQ(db_query(db, "SELECT 1", 0, NULL, on_result, "b"), -1);
  ASSERT_EQ(nevents, 0);
  fake_stop();
  run_and_close();
  ASSERT_EQ(nevents, 1);
  ASSERT_STR_EQ(events[0], "qa:!shutting down");
  return TEST_OK;
}

static unsigned ticks;

static void tick(uv_timer_t *t) {
  ticks++;
}

static void stop_backoff(uv_timer_t *t) {
  uv_timer_t *ticker = t->data;

  uv_close((uv_handle_t *)t, NULL);
  uv_close((uv_handle_t *)ticker, NULL);
  query("SELECT 1", 0, NULL, on_result, "late");
  ASSERT_EQ(nevents, 0);
  close_db();
  fake_stop();
}

/* Every attempt reaches the fake server, which hangs up; the gaps between
 * attempts must grow from ~min to ~max while a 5 ms timer keeps ticking. */
TEST_IMPL(db_backoff_does_not_block) {
  char conninfo[160];
  uv_timer_t ticker, stop;
  unsigned i, n;
  double first, last, gap;

  setup();
  fake_start();
  snprintf(conninfo, sizeof conninfo,
           "host=127.0.0.1 port=%d sslmode=disable gssencmode=disable "
           "connect_timeout=10 password=hunter2", fake.port);
  {
    struct db_options o;

    memset(&o, 0, sizeof o);
    o.conninfo = conninfo;
    o.reconnect_min_ms = 20;
    o.reconnect_max_ms = 80;
    db = db_new(&loop, &o, on_state, NULL, &loop);
    ASSERT_NOT_NULL(db);
    ASSERT_EQ(db_start(db), 0);
  }
  ASSERT_EQ(uv_timer_init(&loop, &ticker), 0);
  ASSERT_EQ(uv_timer_start(&ticker, tick, 5, 5), 0);
  ASSERT_EQ(uv_timer_init(&loop, &stop), 0);
  stop.data = &ticker;
  ASSERT_EQ(uv_timer_start(&stop, stop_backoff, 800, 0), 0);
  run_and_close();

  n = fake.accepts < MAX_ACCEPTS ? fake.accepts : MAX_ACCEPTS;
  fprintf(stderr, "# %u attempts, %u ticks\n", fake.accepts, ticks);
  ASSERT(n >= 6 && n <= 30);
  for (i = 1; i < n; i++) {
    gap = (double)(fake.at[i] - fake.at[i - 1]) / 1e6;
    fprintf(stderr, "#   gap %u: %.1f ms\n", i, gap);
    /* Never sooner than the backoff allows; later only by how busy the
     * machine is (a loaded CI run delays timers, it never hastens them). */
    ASSERT(gap >= 15.0 && gap <= 400.0);
  }
  first = (double)(fake.at[1] - fake.at[0]) / 1e6;
  last = (double)(fake.at[n - 1] - fake.at[n - 2]) / 1e6;
  /* The waits grew from reconnect_min (20 ms) towards reconnect_max. */
  fprintf(stderr, "# first gap %.1f ms, last %.1f ms\n", first, last);
  ASSERT(last > 55.0);
  ASSERT(ticks >= 60);
  /* Down, between attempts or during one: failed on the next turn. */
  ASSERT_EQ(nevents, 1);
  ASSERT_STR_EQ(events[0], "qlate:!database unavailable");
  return TEST_OK;
}

TEST_IMPL(db_bad_conninfo_syntax) {
  struct db_options o;

  setup();
  memset(&o, 0, sizeof o);
  o.conninfo = "host='unterminated password=hunter2";
  ASSERT_NULL(db_new(&loop, &o, NULL, NULL, NULL));
  o.conninfo = "no_such_option=1";
  ASSERT_NULL(db_new(&loop, &o, NULL, NULL, NULL));
  ASSERT_EQ(uv_loop_close(&loop), 0);
  return TEST_OK;
}

/* Appends key='value' with libpq's quoting. */
static void conninfo_add(char *buf, size_t len, const char *key, const char *val) {
  size_t n = strlen(buf);

  n += (size_t)snprintf(buf + n, len - n, "%s='", key);
  for (; *val && n + 3 < len; val++) {
    if (*val == '\'' || *val == '\\')
      buf[n++] = '\\';
    buf[n++] = *val;
  }
  snprintf(buf + n, len - n, "' ");
}

static uint64_t switch_t0;

static void switch_done(void *arg, PGresult *res, const char *err) {
  on_result(arg, res, err);
  close_db();
}

static void switch_up(void *arg, int up) {
  on_state(arg, up);
  /* A lost poll registration would sit until the 10 s connect deadline. */
  ASSERT((uv_hrtime() - switch_t0) / 1000000 < 2000);
  query("SELECT 'via second host'", 0, NULL, switch_done, "a");
}

/* A TCP port with no listener: connect() fails after EINPROGRESS. */
static int refused_port(void) {
  int port;

  fake_start();
  port = fake.port;
  fake_stop();
  ASSERT_EQ(uv_run(&loop, UV_RUN_DEFAULT), 0);
  return port;
}

/* host=127.0.0.1,<real> port=<refused>,<real>: the first connect fails
 * inside PQconnectPoll, libpq opens a new socket for the second host (on
 * Linux with the same fd number, which epoll has forgotten) and db.c must
 * follow it. */
TEST_IMPL(db_connect_switches_socket) {
  char conninfo[1024] = "", hosts[512], ports[64];
  PQconninfoOption *opts, *o;
  const char *host = "", *port = "";

  NEED_PG();
  setup();
  opts = PQconninfoParse(pg, NULL);
  ASSERT_NOT_NULL(opts);
  for (o = opts; o->keyword; o++) {
    if (o->val == NULL)
      continue;
    if (strcmp(o->keyword, "host") == 0)
      host = o->val;
    else if (strcmp(o->keyword, "port") == 0)
      port = o->val;
    else if (strcmp(o->keyword, "hostaddr") != 0)
      conninfo_add(conninfo, sizeof conninfo, o->keyword, o->val);
  }
  snprintf(hosts, sizeof hosts, "127.0.0.1,%s", host);
  snprintf(ports, sizeof ports, "%d,%s", refused_port(), port);
  conninfo_add(conninfo, sizeof conninfo, "host", hosts);
  conninfo_add(conninfo, sizeof conninfo, "port", ports);
  PQconninfoFree(opts);
  switch_t0 = uv_hrtime();
  make_db(conninfo, NULL, NULL, switch_up, NULL, 0);
  run_and_close();
  ASSERT_EQ(nevents, 2);
  ASSERT_STR_EQ(events[0], "up");
  ASSERT_STR_EQ(events[1], "qa:via second host");
  return TEST_OK;
}
