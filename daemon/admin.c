/* admin.c — see admin.h. */
#include "admin.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "log.h"
#include "metrics.h"
#include "status_page.h"

#define STATUS_ROWS "200" /* rows per table of /status */
#define QUERY_TIMEOUT_MS 5000

enum page { PAGE_HEALTHZ, PAGE_METRICS, PAGE_STATUS };

static const char *const paths[] = {"/healthz", "/metrics", "/status"};

struct admin {
  struct MHD_Daemon *mhd;
  db_t *db;      /* the endpoint's own connection */
  db_t *main_db; /* NULL once closing */
  uv_poll_t poll;
  uv_timer_t timer;
  unsigned pending; /* requests waiting for the database */
  int open;         /* handles and the connection not yet closed */
  void (*closed_cb)(void *arg);
  void *closed_arg;
  char mhd_error[256]; /* libmicrohttpd's first complaint at start */
  int started;
};

/* One request, from its first callback to its completion. */
struct areq {
  admin_t *a;
  struct MHD_Connection *conn;
  enum page page;
  int asked;          /* the database was asked */
  unsigned status;    /* 0 until the answer is ready */
  const char *ctype;
  char *body;         /* malloc'd; handed to libmicrohttpd */
  size_t len;
};

static void run(admin_t *a);

/* ---- answers ---------------------------------------------------------------- */

static enum MHD_Result queue(struct MHD_Connection *conn, unsigned status, const char *ctype,
                             char *body, size_t len, enum MHD_ResponseMemoryMode mode) {
  struct MHD_Response *r = MHD_create_response_from_buffer(len, body, mode);
  enum MHD_Result rc;

  if (!r) {
    if (mode == MHD_RESPMEM_MUST_FREE)
      free(body);
    return MHD_NO;
  }
  MHD_add_response_header(r, "Content-Type", ctype);
  MHD_add_response_header(r, "Cache-Control", "no-store");
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  /* The page needs nothing from anywhere: say so to the browser. */
  MHD_add_response_header(r, "Content-Security-Policy",
                          "default-src 'none'; style-src 'unsafe-inline'");
  if (status == 405)
    MHD_add_response_header(r, "Allow", "GET, HEAD");
  rc = MHD_queue_response(conn, status, r);
  MHD_destroy_response(r);
  return rc;
}

static enum MHD_Result reply_text(struct MHD_Connection *conn, unsigned status, const char *text) {
  return queue(conn, status, "text/plain; charset=utf-8", (char *)text, strlen(text),
               MHD_RESPMEM_PERSISTENT);
}

/* A text answer the request owns (a reason that names the database's error). */
static void set_text(struct areq *r, unsigned status, const char *fmt, ...) LOG_PRINTF(3, 4);

static void set_text(struct areq *r, unsigned status, const char *fmt, ...) {
  char line[400];
  va_list ap;

  va_start(ap, fmt);
  vsnprintf(line, sizeof line, fmt, ap);
  va_end(ap);
  r->status = status;
  r->ctype = "text/plain; charset=utf-8";
  r->body = strdup(line);
  r->len = r->body ? strlen(r->body) : 0;
}

/* ---- the database's answers ----------------------------------------------------- */

static void answer_healthz(struct areq *r, PGresult *res, const char *err) {
  (void)res;
  if (err)
    set_text(r, 503, "database not answering: %s\n", err);
  else
    set_text(r, 200, "ok\n");
}

/* The in-process metrics are worth having when the database is not:
 * ocopd_db_scrape_ok says which it was. */
static void answer_metrics(struct areq *r, PGresult *res, const char *err) {
  if (err)
    log_warn("admin", "cannot read the gauges for /metrics", "err=%s", err);
  r->body = metrics_render(err ? NULL : res, &r->len);
  r->status = r->body ? 200 : 500;
  r->ctype = "text/plain; version=0.0.4; charset=utf-8";
}

static void answer_status(struct areq *r, PGresult *res, const char *err) {
  r->ctype = "text/html; charset=utf-8";
  if (err) {
    log_warn("admin", "cannot read the status page", "err=%s", err);
    r->body = status_page_error(err, &r->len);
    r->status = 503;
    return;
  }
  r->body = status_page_render(PQgetvalue(res, 0, 0), &r->len);
  r->status = r->body ? 200 : 500;
}

static void on_result(void *arg, PGresult *res, const char *err) {
  struct areq *r = arg;
  admin_t *a = r->a;

  if (r->page == PAGE_HEALTHZ)
    answer_healthz(r, res, err);
  else if (r->page == PAGE_METRICS)
    answer_metrics(r, res, err);
  else
    answer_status(r, res, err);
  if (!r->body && r->status != 500) {
    r->status = 500;
    r->ctype = "text/plain; charset=utf-8";
  }
  a->pending--;
  MHD_resume_connection(r->conn);
  run(a);
}

/* Asks the database what the page needs, with the connection suspended
 * meanwhile; or answers at once when it cannot be asked. */
static enum MHD_Result ask(struct areq *r) {
  static const char *const sql[] = {"SELECT 1", "SELECT * FROM ocop_admin_gauges()",
                                    "SELECT ocop_admin_status($1::integer)"};
  const char *params[1] = {STATUS_ROWS};
  admin_t *a = r->a;

  r->asked = 1;
  if (r->page == PAGE_HEALTHZ && !db_is_up(a->main_db))
    return reply_text(r->conn, 503, "database connection of the daemon is down; reconnecting\n");
  if (db_query(a->db, sql[r->page], r->page == PAGE_STATUS ? 1 : 0,
               r->page == PAGE_STATUS ? params : NULL, on_result, r) != 0)
    return reply_text(r->conn, 503, "shutting down\n");
  a->pending++;
  MHD_suspend_connection(r->conn);
  return MHD_YES;
}

/* ---- libmicrohttpd callbacks ------------------------------------------------------ */

static int find_page(const char *url) {
  size_t i;

  for (i = 0; i < sizeof paths / sizeof paths[0]; i++)
    if (strcmp(url, paths[i]) == 0)
      return (int)i;
  return -1;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls) {
  struct areq *r = *con_cls;
  int page;

  (void)version;
  (void)upload_data;
  if (!r) {
    if ((page = find_page(url)) < 0)
      return reply_text(conn, 404, "not found; try /healthz, /metrics or /status\n");
    if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
      return reply_text(conn, 405, "method not allowed: this endpoint only reads\n");
    if (!(r = calloc(1, sizeof *r)))
      return MHD_NO;
    r->a = cls;
    r->conn = conn;
    r->page = (enum page)page;
    *con_cls = r;
    return MHD_YES;
  }
  if (*upload_size) { /* a GET carries nothing we read */
    *upload_size = 0;
    return MHD_YES;
  }
  if (!r->asked)
    return ask(r);
  if (!r->status)
    return MHD_YES;
  if (!r->body)
    return reply_text(conn, 500, "out of memory\n");
  {
    char *body = r->body;

    r->body = NULL; /* libmicrohttpd frees it */
    return queue(conn, r->status, r->ctype, body, r->len, MHD_RESPMEM_MUST_FREE);
  }
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  struct areq *r = *con_cls;

  (void)cls;
  (void)conn;
  (void)toe;
  if (!r)
    return;
  free(r->body);
  free(r);
  *con_cls = NULL;
}

/* libmicrohttpd's own messages: the first one at start goes into the one
 * line that says why the endpoint cannot listen; later ones are debug. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap) LOG_PRINTF(2, 0);

static void on_mhd_log(void *cls, const char *fmt, va_list ap) {
  admin_t *a = cls;
  char msg[256];
  const char *cause;
  size_t n;

  vsnprintf(msg, sizeof msg, fmt, ap);
  n = strlen(msg);
  while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
    msg[--n] = '\0';
  /* "Failed to bind to port 0: Address already in use": the port is
   * the one admin_listen names, so only the cause is kept. */
  cause = strrchr(msg, ':');
  cause = cause && cause[1] == ' ' && cause[2] ? cause + 2 : msg;
  if (!a->started && !a->mhd_error[0])
    snprintf(a->mhd_error, sizeof a->mhd_error, "%s", cause);
  else if (a->started)
    log_debug("admin", "libmicrohttpd", "msg=%s", msg);
}

/* ---- the loop ------------------------------------------------------------------------ */

static void on_timer(uv_timer_t *t) { run(t->data); }

static void on_poll(uv_poll_t *p, int status, int events) {
  (void)status;
  (void)events;
  run(p->data);
}

static void run(admin_t *a) {
  MHD_UNSIGNED_LONG_LONG ms;

  if (!a->mhd || !a->main_db)
    return; /* closing: on_close_wait runs it */
  MHD_run(a->mhd);
  if (MHD_get_timeout(a->mhd, &ms) == MHD_YES)
    uv_timer_start(&a->timer, on_timer, ms, 0);
  else
    uv_timer_stop(&a->timer);
}

/* ---- start ------------------------------------------------------------------------------ */

static void on_db_state(void *arg, int up) {
  (void)arg;
  metrics_db_state("admin", up);
}

static db_t *open_db(uv_loop_t *loop, const char *conninfo, admin_t *a) {
  /* The endpoint only reads; the server stops a runaway before our timer. */
  static const char *const setup[] = {"SET application_name = 'ocopd admin'",
                                      "SET default_transaction_read_only = on",
                                      "SET statement_timeout = '4s'", NULL};
  struct db_options o;

  memset(&o, 0, sizeof o);
  o.conninfo = conninfo;
  o.setup_sql = setup;
  o.query_timeout_ms = QUERY_TIMEOUT_MS;
  o.name = "admin";
  return db_new(loop, &o, on_db_state, NULL, a);
}

static struct MHD_Daemon *listen_on(admin_t *a, const struct sockaddr_in *sa) {
  return MHD_start_daemon(
      MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, a,
      MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, a, /* first, or MHD logs the rest itself */
      MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa, MHD_OPTION_CONNECTION_LIMIT, 32u,
      MHD_OPTION_PER_IP_CONNECTION_LIMIT, 16u, MHD_OPTION_CONNECTION_TIMEOUT, 10u,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)32768, MHD_OPTION_NOTIFY_COMPLETED,
      on_completed, a, MHD_OPTION_END);
}

admin_t *admin_start(uv_loop_t *loop, const struct admin_options *opt) {
  struct sockaddr_in sa;
  const union MHD_DaemonInfo *info;
  admin_t *a;

  if (addr_parse_listen(opt->listen, &sa) != 0) {
    log_error("admin", "admin_listen is not IPv4-address:port (or empty for none)", "value=%s",
              opt->listen);
    return NULL;
  }
  if ((a = calloc(1, sizeof *a)) == NULL)
    return NULL;
  a->main_db = opt->main_db;
  a->mhd = listen_on(a, &sa);
  info = a->mhd ? MHD_get_daemon_info(a->mhd, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
  if (info && (a->db = open_db(loop, opt->conninfo, a)) != NULL && db_start(a->db) == 0) {
    a->started = 1;
    uv_poll_init(loop, &a->poll, info->epoll_fd);
    uv_timer_init(loop, &a->timer);
    a->poll.data = a->timer.data = a;
    a->open = 3; /* poll, timer, connection */
    uv_poll_start(&a->poll, UV_READABLE, on_poll);
    if (!addr_is_loopback(&sa))
      log_warn("admin", "admin_listen is not a loopback address: /metrics and /status are "
                        "readable from the network; put a firewall or a proxy in front",
               "listen=%s", opt->listen);
    log_info("admin", "serving /healthz /metrics /status", "listen=%s", opt->listen);
    run(a);
    return a;
  }
  log_error("admin", "cannot listen on admin_listen; choose a free port or leave it empty",
            "listen=%s err=%s", opt->listen, a->mhd_error[0] ? a->mhd_error : "-");
  if (a->mhd)
    MHD_stop_daemon(a->mhd);
  if (a->db) /* never connected: the loop has not run */
    db_close(a->db, NULL, NULL);
  free(a);
  return NULL;
}

/* ---- close ------------------------------------------------------------------------------- */

static void on_part_closed(admin_t *a) {
  if (--a->open == 0) {
    void (*cb)(void *) = a->closed_cb;
    void *arg = a->closed_arg;

    free(a);
    if (cb)
      cb(arg);
  }
}

static void on_handle_closed(uv_handle_t *h) { on_part_closed(h->data); }

static void on_db_closed(void *arg) { on_part_closed(arg); }

/* Requests waiting for the database are answered first (their callbacks
 * resume them); then everything closes. */
static void on_close_wait(uv_timer_t *t) {
  admin_t *a = t->data;

  MHD_run(a->mhd);
  if (a->pending > 0) {
    uv_timer_start(&a->timer, on_close_wait, 20, 0);
    return;
  }
  MHD_stop_daemon(a->mhd);
  a->mhd = NULL;
  uv_close((uv_handle_t *)&a->poll, on_handle_closed);
  uv_close((uv_handle_t *)&a->timer, on_handle_closed);
  db_close(a->db, on_db_closed, a);
}

void admin_close(admin_t *a, void (*done)(void *arg), void *arg) {
  if (!a) {
    if (done)
      done(arg);
    return;
  }
  a->main_db = NULL;
  a->closed_cb = done;
  a->closed_arg = arg;
  uv_poll_stop(&a->poll);
  uv_timer_stop(&a->timer);
  on_close_wait(&a->timer);
}
