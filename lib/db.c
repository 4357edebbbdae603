/*
 * db.c — PostgreSQL on the libuv loop; see db.h.
 *
 * States: IDLE → CONNECTING (PQconnectPoll) → SETUP (setup_sql, LISTEN) → UP,
 * and WAIT (backoff timer) after any failure. Everything that fails a query
 * outside a loop callback of ours goes through the `failed` list and the idle
 * handle, so no callback ever runs inside db_query() or db_close(). The db_t
 * is freed only from handle close callbacks, so a user callback may call
 * db_query() or db_close() at any time without pulling memory from under us.
 *
 * One timer serves every deadline, because at most one is pending per state:
 * the connect deadline (CONNECTING, SETUP), the query timeout or close grace
 * (UP), the backoff (WAIT).
 */
#include "db.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* libpq ignores connect_timeout under PQconnectPoll; the caller enforces it. */
#define DB_CONNECT_TIMEOUT_MS 10000u
/* How long db_close() lets the query in flight finish when there is no
 * query_timeout_ms to bound it. */
#define DB_CLOSE_GRACE_MS 5000u
#define DB_ERR_MAX 256

enum db_state {
  DB_IDLE,       /* created, not started */
  DB_CONNECTING, /* PQconnectPoll in progress */
  DB_SETUP,      /* connected: running setup_sql, then LISTEN */
  DB_UP,         /* serving the queue */
  DB_WAIT,       /* down, waiting for the next attempt */
  DB_CLOSED      /* handles are closing */
};

struct db_req {
  struct db_req *next;
  db_result_cb cb;
  void *arg;
  const char *err; /* why it fails, once it is on the failed list */
  int nparams;
  char **values;   /* point into the same allocation; NULL = SQL NULL */
  char *sql;
};

struct db {
  uv_loop_t *loop;
  enum db_state state;
  int closing;

  PGconn *conn;
  uv_poll_t *poll;  /* heap: re-made when libpq changes sockets */
  int fd;           /* the socket `poll` was made for */
  int want_write;   /* PQflush returned 1 */
  uv_timer_t timer;
  uv_idle_t idle;   /* runs `failed` and the queue on the next iteration */
  unsigned handles; /* initialised and not yet closed */

  int busy;              /* a statement was sent; its final NULL not read */
  PGresult *res;         /* the result kept for the statement in flight */
  struct db_req *inflight;
  unsigned setup_step;

  struct db_req *head, *tail;     /* waiting to be sent */
  struct db_req *failed, *ftail;  /* to be failed from the idle callback */
  unsigned pending;

  unsigned attempt; /* failed attempts since the last success */
  uint64_t rng;

  PQconninfoOption *conninfo; /* owns the strings keys/vals point to */
  const char **keys, **vals;
  unsigned connect_timeout_ms;
  char *listen_channel;
  char **setup_sql;
  unsigned nsetup;
  char *name;
  unsigned min_ms, max_ms, query_timeout_ms;

  db_state_cb state_cb;
  db_notify_cb notify_cb;
  void *arg;
  void (*closed_cb)(void *arg);
  void *closed_arg;
};

static void db__connect(db_t *db);
static void db__on_poll(uv_poll_t *handle, int status, int events);
static void db__on_timer(uv_timer_t *timer);
static void db__on_idle(uv_idle_t *idle);
static void db__send_next(db_t *db);

/* ---- small helpers ---------------------------------------------------- */

static char *db__strdup(const char *s) {
  size_t n;
  char *p;

  if (s == NULL)
    return NULL;
  n = strlen(s) + 1;
  p = malloc(n);
  if (p)
    memcpy(p, s, n);
  return p;
}

/* Copies the first line of `msg` so that err stays one line. */
static const char *db__one_line(const char *msg, char *buf, size_t len) {
  size_t n = strcspn(msg, "\r\n");

  if (n >= len)
    n = len - 1;
  memcpy(buf, msg, n);
  buf[n] = '\0';
  return buf;
}

static int db__is_error(const PGresult *res) {
  ExecStatusType st = PQresultStatus(res);

  return st == PGRES_FATAL_ERROR || st == PGRES_BAD_RESPONSE;
}

/* The server's primary message, one line. */
static const char *db__result_error(const PGresult *res, char *buf, size_t len) {
  const char *m = PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY);

  if (m == NULL || *m == '\0')
    m = PQresultErrorMessage(res);
  if (m == NULL || *m == '\0')
    m = "query failed";
  return db__one_line(m, buf, len);
}

static void db__kick(db_t *db) {
  uv_idle_start(&db->idle, db__on_idle);
}

/* xorshift64*: jitter only, so a tiny private generator is enough and leaves
 * rand()'s global state alone. */
static uint32_t db__random(db_t *db) {
  db->rng ^= db->rng >> 12;
  db->rng ^= db->rng << 25;
  db->rng ^= db->rng >> 27;
  return (uint32_t)((db->rng * 2685821657736338717ull) >> 32);
}

/* min·2^attempt capped at max, then ±20 % so that daemons restarted together
 * do not knock on the server in step. */
static uint64_t db__backoff_ms(db_t *db) {
  uint64_t d = db->min_ms;
  unsigned i;

  for (i = 0; i < db->attempt && d < db->max_ms; i++)
    d *= 2;
  if (d > db->max_ms)
    d = db->max_ms;
  d = d * (80 + db__random(db) % 41) / 100;
  return d ? d : 1;
}

/* ---- requests --------------------------------------------------------- */

/* One allocation holds the request, the parameter array and every string:
 * the caller's buffers need not outlive db_query(). */
static struct db_req *db__req_new(const char *sql, int nparams,
                                  const char *const *values, db_result_cb cb,
                                  void *arg) {
  size_t size = sizeof(struct db_req) + (size_t)nparams * sizeof(char *);
  size_t sqllen = strlen(sql) + 1;
  struct db_req *req;
  char *p;
  int i;

  for (i = 0; i < nparams; i++)
    if (values[i])
      size += strlen(values[i]) + 1;
  size += sqllen;
  req = malloc(size);
  if (req == NULL)
    return NULL;
  memset(req, 0, sizeof *req);
  req->cb = cb;
  req->arg = arg;
  req->nparams = nparams;
  req->values = (char **)(req + 1);
  p = (char *)(req->values + nparams);
  for (i = 0; i < nparams; i++) {
    req->values[i] = NULL;
    if (values[i]) {
      size_t n = strlen(values[i]) + 1;

      memcpy(p, values[i], n);
      req->values[i] = p;
      p += n;
    }
  }
  memcpy(p, sql, sqllen);
  req->sql = p;
  return req;
}

static void db__complete(db_t *db, struct db_req *req, PGresult *res,
                         const char *err) {
  db->pending--;
  if (req->cb)
    req->cb(req->arg, err ? NULL : res, err);
  free(req);
}

/* Fails req on the next loop iteration. */
static void db__defer(db_t *db, struct db_req *req, const char *err) {
  req->err = err;
  req->next = NULL;
  if (db->ftail)
    db->ftail->next = req;
  else
    db->failed = req;
  db->ftail = req;
  db__kick(db);
}

static void db__fail_queue(db_t *db, const char *err) {
  struct db_req *req;

  while ((req = db->head) != NULL) {
    db->head = req->next;
    db__defer(db, req, err);
  }
  db->tail = NULL;
}

/* ---- connection and handles ------------------------------------------- */

static void db__free(db_t *db) {
  unsigned i;

  free(db->keys);
  free(db->vals);
  if (db->conninfo)
    PQconninfoFree(db->conninfo);
  free(db->listen_channel);
  for (i = 0; db->setup_sql && i < db->nsetup; i++)
    free(db->setup_sql[i]);
  free(db->setup_sql);
  free(db->name);
  free(db);
}

static void db__on_close(uv_handle_t *handle) {
  db_t *db = handle->data;

  if (handle->type == UV_POLL)
    free(handle);
  if (--db->handles > 0 || db->state != DB_CLOSED)
    return;
  if (db->closed_cb)
    db->closed_cb(db->closed_arg);
  db__free(db);
}

/* Watches PQsocket for `events`. libpq may move to a new socket during
 * connect (another host or address, SSL/GSS fallback): a new fd number gets
 * a new handle; the same number is re-registered by uv_poll_start, which
 * matters because the kernel dropped the old socket from epoll on close. */
static int db__watch(db_t *db, int events) {
  int fd = PQsocket(db->conn);

  if (fd < 0)
    return -1;
  if (db->poll && fd != db->fd) {
    uv_poll_stop(db->poll);
    uv_close((uv_handle_t *)db->poll, db__on_close);
    db->poll = NULL;
  }
  if (db->poll == NULL) {
    uv_poll_t *p = malloc(sizeof *p);

    if (p == NULL)
      return -1;
    if (uv_poll_init_socket(db->loop, p, fd) != 0) {
      free(p);
      return -1;
    }
    p->data = db;
    db->poll = p;
    db->fd = fd;
    db->handles++;
  }
  return uv_poll_start(db->poll, events, db__on_poll) == 0 ? 0 : -1;
}

/* Teardown order: stop watching, let libpq close the socket, then close the
 * handle (its memory goes in db__on_close). No dup() of the fd is needed. */
static void db__drop_conn(db_t *db) {
  if (db->poll)
    uv_poll_stop(db->poll);
  if (db->conn)
    PQfinish(db->conn);
  db->conn = NULL;
  if (db->poll)
    uv_close((uv_handle_t *)db->poll, db__on_close);
  db->poll = NULL;
  db->fd = -1;
  db->busy = 0;
  db->want_write = 0;
  if (db->res)
    PQclear(db->res);
  db->res = NULL;
}

static void db__schedule_retry(db_t *db) {
  db->state = DB_WAIT;
  if (db->closing) {
    db__kick(db); /* the idle callback finishes the close */
    return;
  }
  uv_timer_start(&db->timer, db__on_timer, db__backoff_ms(db), 0);
  db->attempt++;
}

/* A connect attempt (CONNECTING or SETUP) failed: nobody was told "up", so
 * nobody is told "down". */
static void db__attempt_failed(db_t *db) {
  /* log: warning "db %s: connect failed: %s", name, PQerrorMessage(conn)
   * (libpq's text names host and user, never the password) */
  uv_timer_stop(&db->timer);
  db__drop_conn(db);
  db__fail_queue(db, "database unavailable");
  db__schedule_retry(db);
}

/* The connection broke (or was dropped) while UP. The statement in flight is
 * failed, never re-sent: it may have committed. */
static void db__lost(db_t *db, const char *err) {
  struct db_req *req = db->inflight;

  /* log: warning "db %s: connection lost: %s", name, PQerrorMessage(conn) */
  db->inflight = NULL;
  uv_timer_stop(&db->timer);
  db__drop_conn(db);
  db__fail_queue(db, "database unavailable");
  db__schedule_retry(db);
  if (req)
    db__complete(db, req, NULL, err);
  if (!db->closing && db->state_cb)
    db->state_cb(db->arg, 0);
}

/* The connection failed: a lost session when UP, else a failed attempt. */
static void db__broken(db_t *db, const char *err) {
  if (db->state == DB_UP)
    db__lost(db, err);
  else
    db__attempt_failed(db);
}

/* Sends what libpq buffered and watches for what comes next. */
static void db__flush(db_t *db) {
  int r = PQflush(db->conn);

  if (r < 0 || db__watch(db, UV_READABLE | (r ? UV_WRITABLE : 0)) != 0) {
    db__broken(db, "connection lost");
    return;
  }
  db->want_write = r;
}

/* ---- connect and setup ------------------------------------------------ */

static void db__on_notice(void *arg, const PGresult *res) {
  /* log: info "db %s: %s", name, PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY)
   * Without this receiver libpq would print server notices to stderr. */
}

static void db__up(db_t *db) {
  uv_timer_stop(&db->timer);
  db->state = DB_UP;
  db->attempt = 0;
  /* log: info "db %s: connected", name */
  if (!db->closing && db->state_cb)
    db->state_cb(db->arg, 1);
  if (db->state == DB_UP)
    db__send_next(db);
}

/* Sends the next setup statement, then LISTEN, then declares the db up. */
static void db__setup_next(db_t *db) {
  char *listen = NULL;
  const char *sql;
  int ok;

  if (db->setup_step < db->nsetup) {
    sql = db->setup_sql[db->setup_step];
  } else if (db->setup_step == db->nsetup && db->listen_channel) {
    char *id = PQescapeIdentifier(db->conn, db->listen_channel,
                                  strlen(db->listen_channel));

    if (id == NULL)
      goto fail;
    listen = malloc(strlen(id) + sizeof "LISTEN ");
    if (listen) {
      strcpy(listen, "LISTEN ");
      strcat(listen, id);
    }
    PQfreemem(id);
    if (listen == NULL)
      goto fail;
    sql = listen;
  } else {
    db__up(db);
    return;
  }
  ok = PQsendQuery(db->conn, sql);
  free(listen);
  if (!ok)
    goto fail;
  db->busy = 1;
  db__flush(db);
  return;

fail:
  db__attempt_failed(db);
}

static void db__connected(db_t *db) {
  if (PQsetnonblocking(db->conn, 1) != 0) {
    db__attempt_failed(db);
    return;
  }
  db->state = DB_SETUP;
  db->setup_step = 0;
  db__setup_next(db);
}

static void db__connect_step(db_t *db) {
  switch (PQconnectPoll(db->conn)) {
  case PGRES_POLLING_READING:
    if (db__watch(db, UV_READABLE) != 0)
      break;
    return;
  case PGRES_POLLING_WRITING:
    if (db__watch(db, UV_WRITABLE) != 0)
      break;
    return;
  case PGRES_POLLING_OK:
    db__connected(db);
    return;
  default:
    break;
  }
  db__attempt_failed(db);
}

/* PQconnectStartParams resolves host names synchronously: configure a socket
 * directory, an IP address or hostaddr= so that it never blocks the loop. */
static void db__connect(db_t *db) {
  db->state = DB_CONNECTING;
  db->conn = PQconnectStartParams(db->keys, db->vals, 0);
  if (db->conn == NULL || PQstatus(db->conn) == CONNECTION_BAD)
    goto fail;
  PQsetNoticeReceiver(db->conn, db__on_notice, db);
  /* libpq: behave as if PQconnectPoll had returned PGRES_POLLING_WRITING. */
  if (db__watch(db, UV_WRITABLE) != 0)
    goto fail;
  uv_timer_start(&db->timer, db__on_timer, db->connect_timeout_ms, 0);
  return;

fail:
  db__attempt_failed(db);
}

/* ---- steady state ----------------------------------------------------- */

static void db__send_next(db_t *db) {
  struct db_req *req = db->head;

  if (db->state != DB_UP || db->busy || req == NULL)
    return;
  db->head = req->next;
  if (db->head == NULL)
    db->tail = NULL;
  db->inflight = req;
  if (!PQsendQueryParams(db->conn, req->sql, req->nparams, NULL,
                         (const char *const *)req->values, NULL, NULL, 0)) {
    char buf[DB_ERR_MAX];

    if (PQstatus(db->conn) == CONNECTION_BAD) {
      db__lost(db, "connection lost");
      return;
    }
    /* Refused by libpq before sending (e.g. too many parameters). */
    db->inflight = NULL;
    db__complete(db, req, NULL, db__one_line(PQerrorMessage(db->conn), buf, sizeof buf));
    db__kick(db);
    return;
  }
  db->busy = 1;
  if (db->query_timeout_ms)
    uv_timer_start(&db->timer, db__on_timer, db->query_timeout_ms, 0);
  db__flush(db);
}

/* A query is complete: its callback gets the last result, or the first error. */
static void db__query_done(db_t *db, PGresult *res) {
  struct db_req *req = db->inflight;
  char buf[DB_ERR_MAX];
  const char *err = NULL;

  if (PQstatus(db->conn) == CONNECTION_BAD) {
    /* The "error" is libpq noticing the loss, or the server's FATAL. */
    PQclear(res);
    db__lost(db, "connection lost");
    return;
  }
  uv_timer_stop(&db->timer);
  db->inflight = NULL;
  if (res == NULL)
    err = "no result";
  else if (db__is_error(res))
    err = db__result_error(res, buf, sizeof buf);
  db__complete(db, req, res, err);
  PQclear(res);
  if (db->closing)
    db__kick(db);
  else
    db__send_next(db);
}

static void db__setup_done(db_t *db, PGresult *res) {
  if (res && db__is_error(res)) {
    /* log: error "db %s: setup statement %u failed: %s", name, step, message */
    PQclear(res);
    db__attempt_failed(db);
    return;
  }
  PQclear(res);
  db->setup_step++;
  db__setup_next(db);
}

/* Keeps the result the caller will see; returns -1 for a state we do not
 * drive (COPY would make PQgetResult return forever). */
static int db__keep(db_t *db, PGresult *res) {
  ExecStatusType st = PQresultStatus(res);

  if (st == PGRES_COPY_IN || st == PGRES_COPY_OUT || st == PGRES_COPY_BOTH) {
    PQclear(res);
    return -1;
  }
  if (db->res && db__is_error(db->res)) {
    PQclear(res);
    return 0;
  }
  if (db->res)
    PQclear(db->res);
  db->res = res;
  return 0;
}

/* Reads every result that is complete. Stops when libpq needs more input or
 * the connection was dropped on the way (db->conn == NULL). */
static void db__drain(db_t *db) {
  while (db->conn && db->busy && !PQisBusy(db->conn)) {
    PGresult *res = PQgetResult(db->conn);

    if (res) {
      if (db__keep(db, res) != 0) {
        db__broken(db, "COPY is not supported");
        return;
      }
      continue;
    }
    res = db->res;
    db->res = NULL;
    db->busy = 0;
    if (db->state == DB_SETUP)
      db__setup_done(db, res);
    else
      db__query_done(db, res);
  }
}

static void db__notifies(db_t *db) {
  PGnotify *n;

  while (db->conn && (n = PQnotifies(db->conn)) != NULL) {
    if (!db->closing && db->notify_cb)
      db->notify_cb(db->arg, n->relname, n->extra);
    PQfreemem(n);
  }
}

static void db__on_poll(uv_poll_t *handle, int status, int events) {
  db_t *db = handle->data;

  if (handle != db->poll || db->conn == NULL)
    return; /* a replaced handle; its close is pending */
  /* libuv reports POLLERR as a status (and stops the handle). While
   * connecting that is a refused connect: PQconnectPoll reads SO_ERROR and
   * moves on to the next address or host, so it must still run. */
  if (db->state == DB_CONNECTING) {
    db__connect_step(db);
    return;
  }
  if (status < 0) {
    db__broken(db, "connection lost");
    return;
  }
  if (events & UV_READABLE) {
    if (!PQconsumeInput(db->conn)) {
      db__broken(db, "connection lost");
      return;
    }
    db__drain(db);
    db__notifies(db);
    if (db->conn == NULL)
      return;
  }
  /* libpq: while PQflush returns 1, flush on writable and after reading. */
  if (db->want_write)
    db__flush(db);
}

/* Query timeout: PQcancel would block the loop (it opens a new connection,
 * and on a stalled network that takes as long as the stall), and libpq 15
 * has no non-blocking cancel. Dropping the connection is bounded and also
 * cures a dead link; the server ends the statement when it sees the client
 * gone (set statement_timeout in setup_sql or on the role so that it also
 * stops on its own). The caller gets "query timeout": outcome unknown. */
static void db__on_timer(uv_timer_t *timer) {
  db_t *db = timer->data;

  switch (db->state) {
  case DB_WAIT:
    if (!db->closing)
      db__connect(db);
    break;
  case DB_CONNECTING:
  case DB_SETUP:
    /* log: warning "db %s: connect timed out", name */
    db__attempt_failed(db);
    break;
  case DB_UP:
    if (db->inflight)
      db__lost(db, db->closing ? "shutting down" : "query timeout");
    break;
  default:
    break;
  }
}

/* ---- idle: deferred failures, sending, closing ------------------------ */

static void db__teardown(db_t *db) {
  db->state = DB_CLOSED;
  db__drop_conn(db);
  uv_close((uv_handle_t *)&db->timer, db__on_close);
  uv_close((uv_handle_t *)&db->idle, db__on_close);
}

static void db__on_idle(uv_idle_t *idle) {
  db_t *db = idle->data;
  struct db_req *req = db->failed;

  /* Detach first: a callback that queries again lands on the next turn. */
  db->failed = db->ftail = NULL;
  while (req) {
    struct db_req *next = req->next;

    db__complete(db, req, NULL, req->err);
    req = next;
  }
  if (db->state == DB_CLOSED)
    return;
  if (db->closing) {
    if (db->failed == NULL && db->inflight == NULL)
      db__teardown(db);
    else if (db->failed == NULL)
      uv_idle_stop(idle); /* the query in flight kicks us when it ends */
    return;
  }
  db__send_next(db);
  if (db->failed == NULL && db->state != DB_CLOSED)
    uv_idle_stop(idle);
}

/* ---- public ----------------------------------------------------------- */

/* Parses the conninfo once (a "k=v" string or a URI) into the arrays
 * PQconnectStartParams takes, and reads connect_timeout, which libpq leaves
 * to us under PQconnectPoll. */
static int db__parse_conninfo(db_t *db, const char *conninfo) {
  char *errmsg = NULL;
  PQconninfoOption *o;
  size_t n = 0, i;
  int has_app = 0;

  db->conninfo = PQconninfoParse(conninfo ? conninfo : "", &errmsg);
  if (db->conninfo == NULL) {
    /* log: error "db %s: invalid conninfo" (not errmsg: it may quote a
     * value, the password included) */
    PQfreemem(errmsg);
    return -1;
  }
  for (o = db->conninfo; o->keyword; o++)
    n++;
  db->keys = calloc(n + 2, sizeof *db->keys);
  db->vals = calloc(n + 2, sizeof *db->vals);
  if (db->keys == NULL || db->vals == NULL)
    return -1;
  for (i = 0, o = db->conninfo; o->keyword; o++) {
    if (o->val == NULL)
      continue;
    if (strcmp(o->keyword, "connect_timeout") == 0 && atoi(o->val) > 0)
      db->connect_timeout_ms = (unsigned)atoi(o->val) * 1000u;
    if (strcmp(o->keyword, "application_name") == 0 ||
        strcmp(o->keyword, "fallback_application_name") == 0)
      has_app = 1;
    db->keys[i] = o->keyword;
    db->vals[i++] = o->val;
  }
  if (!has_app) {
    db->keys[i] = "fallback_application_name";
    db->vals[i++] = "ocopd";
  }
  return 0;
}

static int db__copy_options(db_t *db, const struct db_options *opt) {
  const char *const *s;
  unsigned i;

  db->min_ms = opt->reconnect_min_ms ? opt->reconnect_min_ms : 250;
  db->max_ms = opt->reconnect_max_ms ? opt->reconnect_max_ms : 30000;
  if (db->max_ms < db->min_ms)
    db->max_ms = db->min_ms;
  db->query_timeout_ms = opt->query_timeout_ms;
  db->connect_timeout_ms = DB_CONNECT_TIMEOUT_MS;
  db->name = db__strdup(opt->name ? opt->name : "db");
  if (db->name == NULL)
    return -1;
  if (opt->listen_channel && *opt->listen_channel) {
    db->listen_channel = db__strdup(opt->listen_channel);
    if (db->listen_channel == NULL)
      return -1;
  }
  for (s = opt->setup_sql; s && *s; s++)
    db->nsetup++;
  db->setup_sql = calloc(db->nsetup + 1, sizeof *db->setup_sql);
  if (db->setup_sql == NULL)
    return -1;
  for (i = 0; i < db->nsetup; i++)
    if ((db->setup_sql[i] = db__strdup(opt->setup_sql[i])) == NULL)
      return -1;
  return db__parse_conninfo(db, opt->conninfo);
}

db_t *db_new(uv_loop_t *loop, const struct db_options *opt, db_state_cb state_cb,
             db_notify_cb notify_cb, void *arg) {
  db_t *db;

  if (loop == NULL || opt == NULL)
    return NULL;
  db = calloc(1, sizeof *db);
  if (db == NULL)
    return NULL;
  db->loop = loop;
  db->fd = -1;
  db->state_cb = state_cb;
  db->notify_cb = notify_cb;
  db->arg = arg;
  db->rng = uv_hrtime() ^ (uint64_t)(uintptr_t)db ^ 0x9e3779b97f4a7c15ull;
  if (db->rng == 0)
    db->rng = 1;
  if (db__copy_options(db, opt) != 0) {
    db__free(db);
    return NULL;
  }
  /* Neither init can fail on Unix once the loop exists. */
  uv_timer_init(loop, &db->timer);
  uv_idle_init(loop, &db->idle);
  db->timer.data = db;
  db->idle.data = db;
  db->handles = 2;
  return db;
}

int db_start(db_t *db) {
  if (db == NULL || db->closing || db->state != DB_IDLE)
    return -1;
  db__connect(db);
  return 0;
}

int db_is_up(const db_t *db) {
  return db && db->state == DB_UP && !db->closing;
}

unsigned db_pending(const db_t *db) {
  return db ? db->pending : 0;
}

int db_query(db_t *db, const char *sql, int nparams, const char *const *values,
             db_result_cb cb, void *arg) {
  struct db_req *req;

  if (db == NULL || db->closing || sql == NULL || nparams < 0 ||
      (nparams > 0 && values == NULL))
    return -1;
  req = db__req_new(sql, nparams, values, cb, arg);
  if (req == NULL)
    return -1;
  db->pending++;
  /* Down means "fail on the next turn", except during the first attempt
   * after db_start, so that an owner may queue its startup work at once;
   * attempt counts failures since the last success, so it is 0 only then
   * (or while UP). */
  if (db->state != DB_UP && (db->state == DB_WAIT || db->attempt > 0)) {
    db__defer(db, req, "database unavailable");
    return 0;
  }
  if (db->tail)
    db->tail->next = req;
  else
    db->head = req;
  db->tail = req;
  if (db->state == DB_UP)
    db__kick(db);
  return 0;
}

void db_close(db_t *db, void (*closed_cb)(void *arg), void *arg) {
  if (db == NULL || db->closing)
    return;
  db->closing = 1;
  db->closed_cb = closed_cb;
  db->closed_arg = arg;
  db__fail_queue(db, "shutting down");
  /* Bound the wait for the query in flight; a running query timeout
   * already bounds it. */
  if (db->inflight && !uv_is_active((uv_handle_t *)&db->timer))
    uv_timer_start(&db->timer, db__on_timer, DB_CLOSE_GRACE_MS, 0);
  db__kick(db);
}
