/* webhook.c — see webhook.h. */
#include "webhook.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/sha.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "call.h"
#include "deadline.h"
#include "log.h"
#include "lograte.h"
#include "metrics.h"
#include "ms.h"
#include "push_check.h"

#define LOG_BURST 5 /* lines a second at most of each kind an abuser can cause */

struct webhook {
  uv_loop_t *loop;
  db_t *db;
  orders_t *orders;
  struct registry *reg; /* held; a push is verified within one callback */
  struct MHD_Daemon *mhd;
  uv_poll_t poll;
  uv_timer_t timer;
  struct deadline dl; /* whole requests; a connection's entry is its socket context */
  struct lograte refusal_log, slow_log, mhd_log;
  unsigned nconn;           /* connections open */
  int closed_in_run;        /* one closed during this MHD_run */
  unsigned max_connections; /* libmicrohttpd accepts no more */
  char public_url[512];
  char cred_dir[1024];
  int has_cred_dir;
  unsigned max_age_s;
  unsigned storing;  /* pushes waiting for the database */
  int closing;
  int open_handles;
  void (*closed_cb)(void *arg);
  void *closed_arg;
  struct webhook_stats st;
};

/* One request, from its first callback to its completion. */
struct push_req {
  webhook_t *wh;
  struct MHD_Connection *conn;
  char marketplace[16];
  struct call_hold hold; /* the connector, looked up once when the push starts */
  char *auth;     /* Authorization header: compared, never logged */
  char *body;
  size_t len;
  int too_big;
  int answer;     /* the HTTP status to answer once the database has spoken */
  int suspended;
  unsigned checks; /* signatures checked, one per distinct key pair */
  uint64_t started_ms;
};

static void run(webhook_t *wh);

/* ---- answers -------------------------------------------------------------- */

/* The whole request has arrived: its deadline stops (a push waiting for
 * the database is our slowness, not the client's). */
static void request_in(struct MHD_Connection *conn) {
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);

  if (ci && ci->socket_context)
    deadline_disarm(ci->socket_context);
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *text) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
  enum MHD_Result rc;

  request_in(conn);
  if (!r)
    return MHD_NO;
  MHD_add_response_header(r, "Content-Type", "text/plain; charset=utf-8");
  rc = MHD_queue_response(conn, status, r);
  MHD_destroy_response(r);
  return rc;
}

static const char *status_text(int status) {
  switch (status) {
  case 200: return "";
  case 400: return "bad request\n";
  case 401: return "signature does not match\n";
  case 404: return "not found\n";
  case 413: return "body too large\n";
  case 503: return "not ready\n";
  default: return "cannot store the push; send it again\n";
  }
}

/* Counted always, logged a few a second at most: a flood of forged pushes
 * must not turn into a flood of lines. refused_total says how many there
 * were in all. */
static void refused(webhook_t *wh, const struct push_req *pr, int status, const char *why) {
  wh->st.refused++;
  metrics_push(pr->marketplace, "refused");
  if (lograte_allow(&wh->refusal_log, ms_mono()))
    log_warn("webhook", "push refused",
             "marketplace=%s status=%d bytes=%zu ms=%llu why=%s checks=%u refused_total=%llu",
             pr->marketplace, status, pr->len, (unsigned long long)(ms_mono() - pr->started_ms),
             why, pr->checks, wh->st.refused);
}

static enum MHD_Result finish(struct push_req *pr, int status, const char *why) {
  if (status >= 400 && status < 500)
    refused(pr->wh, pr, status, why);
  else if (status >= 500)
    metrics_push(pr->marketplace, "failed");
  return reply(pr->conn, (unsigned)status, status_text(status));
}

/* ---- checks ----------------------------------------------------------------- */

static void sha256_hex(const char *s, size_t n, char out[65]) {
  unsigned char md[SHA256_DIGEST_LENGTH];
  int i;

  SHA256((const unsigned char *)s, n, md);
  for (i = 0; i < SHA256_DIGEST_LENGTH; i++)
    sprintf(out + 2 * i, "%02x", md[i]);
}

#define MAX_FAILED 16 /* key pairs remembered as failed, per push */

struct match {
  const oc_connector *conn;
  const char *callback_url;
  struct push_req *pr;
  oc_push push;
  long long shop_id;    /* the verified shop the push names; 0 none */
  const char *shop_name;
  int signed_ok;        /* some shop's key verified it */
  char error[160];
  /* Key pairs (app key, secret) this push failed: held until the match
   * ends (match_end), so that a pair is checked once per push. */
  secret_t *failed[MAX_FAILED];
  const char *failed_key[MAX_FAILED];
  unsigned nfailed;
};

/* The shops of one app share its key pair (every Shopee shop signs with
 * the partner key), and a signature depends on nothing else of the shop
 * (connectors/connector.h, verify_push): one that failed fails again, and
 * a forged push costs one check per pair, not one per shop. */
static int failed_before(const struct match *m, const oc_shop *shop, const secret_t *secret) {
  const char *key = shop->app_key ? shop->app_key : "";
  unsigned i;

  for (i = 0; i < m->nfailed; i++)
    if (strcmp(m->failed_key[i], key) == 0 &&
        strcmp(secret_value(m->failed[i]), secret_value(secret)) == 0)
      return 1;
  return 0;
}

/* Keeps the failed pair's secret (the reference is the caller's) or lets
 * it go when the list is full. */
static void remember_failed(struct match *m, const oc_shop *shop, secret_t *secret) {
  if (m->nfailed == MAX_FAILED) {
    secret_release(secret);
    return;
  }
  m->failed_key[m->nfailed] = shop->app_key ? shop->app_key : "";
  m->failed[m->nfailed++] = secret;
}

static void match_end(struct match *m) {
  while (m->nfailed > 0)
    secret_release(m->failed[--m->nfailed]);
}

/* Tries one shop's key, read here: the order poller names the shops, the
 * secrets stay with whoever checks a signature. Stops at the shop the
 * verified push names. */
static int try_shop(void *arg, long long shop_id, const char *shop_name, const oc_shop *shop) {
  struct match *m = arg;
  webhook_t *wh = m->pr->wh;
  oc_shop keyed = *shop;
  secret_t *secret;
  oc_push p;
  int rc;

  secret = secret_acquire(wh->has_cred_dir ? wh->cred_dir : NULL, shop_name, m->error,
                          sizeof m->error);
  if (!secret)
    return 0;
  if (failed_before(m, shop, secret)) {
    secret_release(secret);
    return 0;
  }
  keyed.app_secret = secret_value(secret);
  memset(&p, 0, sizeof p);
  m->pr->checks++;
  rc = oc_verify_push(m->conn, &keyed, m->callback_url, m->pr->auth, m->pr->body, m->pr->len, &p);
  if (rc != 0) {
    snprintf(m->error, sizeof m->error, "%s", p.error);
    remember_failed(m, shop, secret);
    return 0;
  }
  secret_release(secret);
  m->signed_ok = 1;
  m->push = p;
  if (p.shop_id[0] == '\0' || strcmp(p.shop_id, shop->shop_id) == 0) {
    m->shop_id = p.shop_id[0] ? shop_id : 0;
    m->shop_name = shop_name;
    return 1;
  }
  return 0;
}

/* ---- storing ---------------------------------------------------------------- */

static void on_stored(void *arg, PGresult *res, const char *err) {
  struct push_req *pr = arg;
  webhook_t *wh = pr->wh;

  wh->storing--;
  if (err) {
    log_error("webhook", "cannot store a push; answering 500 so it is sent again",
              "marketplace=%s err=%s", pr->marketplace, err);
    pr->answer = 500;
  } else {
    const char *v = PQgetvalue(res, 0, 0);

    pr->answer = 200;
    if (strcmp(v, "duplicate") == 0) {
      wh->st.duplicates++;
      metrics_push(pr->marketplace, "duplicate");
    } else {
      wh->st.accepted++;
      metrics_push(pr->marketplace, "stored");
      orders_wake(wh->orders);
    }
    log_info("webhook", "push stored", "marketplace=%s verdict=%s ms=%llu", pr->marketplace, v,
             (unsigned long long)(ms_mono() - pr->started_ms));
  }
  pr->suspended = 0;
  MHD_resume_connection(pr->conn);
  run(wh);
}

static enum MHD_Result store(struct push_req *pr, const struct match *m) {
  webhook_t *wh = pr->wh;
  char key[65], shop[24];
  const char *params[4];

  sha256_hex(pr->body, pr->len, key);
  snprintf(shop, sizeof shop, "%lld", m->shop_id);
  params[0] = pr->marketplace;
  params[1] = key;
  params[2] = m->shop_id ? shop : NULL;
  params[3] = m->push.order_id;
  if (db_query(wh->db, "SELECT ocop_webhook_receive($1, $2, $3::bigint, $4)", 4, params, on_stored,
               pr) != 0)
    return finish(pr, 503, "database not connected");
  wh->storing++;
  pr->suspended = 1;
  request_in(pr->conn);
  MHD_suspend_connection(pr->conn);
  return MHD_YES;
}

/* The whole body has arrived: check it, then store it. */
static enum MHD_Result handle(struct push_req *pr) {
  webhook_t *wh = pr->wh;
  struct match m;
  char url[700];
  int64_t now = (int64_t)time(NULL);
  unsigned n;
  const char *why;
  int status;

  if ((status = push_check_body(pr->body, pr->len, pr->too_big, &why)) != 0)
    return finish(pr, status, why);
  memset(&m, 0, sizeof m);
  m.conn = pr->hold.conn;
  snprintf(url, sizeof url, "%s/hooks/%s", wh->public_url, pr->marketplace);
  m.callback_url = url;
  m.pr = pr;
  snprintf(m.error, sizeof m.error, "no shop of this marketplace");
  n = orders_each_shop(wh->orders, pr->marketplace, try_shop, &m);
  match_end(&m); /* the failed pairs' app keys point into the shops: not used after */
  if (n == 0)
    return finish(pr, 503, "no shop loaded yet");
  if (!m.signed_ok)
    return finish(pr, 401, m.error);
  if ((status = push_check_age(m.push.timestamp, now, wh->max_age_s, &why)) != 0)
    return finish(pr, status, why);
  if (!m.shop_name) {
    log_info("webhook", "signed push for a shop this daemon does not run; ignored",
             "marketplace=%s shop=%s", pr->marketplace, m.push.shop_id);
    metrics_push(pr->marketplace, "ignored");
    return reply(pr->conn, 200, "");
  }
  return store(pr, &m);
}

/* ---- libmicrohttpd callbacks -------------------------------------------------- */

/* A push for /hooks/<marketplace> holds that marketplace's connector from
 * its first callback to its completion; NULL when out of memory. The
 * caller answers 404 when pr->hold.conn is NULL (no such connector, or it
 * takes no pushes). */
static struct push_req *begin(webhook_t *wh, struct MHD_Connection *conn, const char *url) {
  struct push_req *pr = calloc(1, sizeof *pr);
  const char *name = url + strlen("/hooks/");
  const char *auth = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Authorization");

  if (!pr)
    return NULL;
  pr->wh = wh;
  pr->conn = conn;
  pr->started_ms = ms_mono();
  if (strncmp(url, "/hooks/", 7) != 0 || strlen(name) == 0 ||
      strlen(name) >= sizeof pr->marketplace)
    return pr;
  if (call_hold_connector(&pr->hold, wh->reg, name) == 0 && !oc_has_push(pr->hold.conn))
    call_hold_release(&pr->hold);
  snprintf(pr->marketplace, sizeof pr->marketplace, "%s", name);
  pr->auth = auth ? strdup(auth) : NULL;
  return pr;
}

static void push_free(struct push_req *pr) {
  if (pr->auth) /* a signature is not a secret, but it is not ours to keep */
    memset(pr->auth, 0, strlen(pr->auth));
  free(pr->auth);
  free(pr->body);
  call_hold_release(&pr->hold);
  free(pr);
}

static void append(struct push_req *pr, const char *data, size_t n) {
  char *p;

  if (pr->too_big || n == 0)
    return;
  if (pr->len + n > OC_MAX_PUSH) {
    pr->too_big = 1;
    return;
  }
  p = realloc(pr->body, pr->len + n + 1);
  if (!p) {
    pr->too_big = 1;
    return;
  }
  pr->body = p;
  memcpy(pr->body + pr->len, data, n);
  pr->len += n;
  pr->body[pr->len] = '\0';
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version,
                                  const char *upload_data, size_t *upload_size, void **con_cls) {
  webhook_t *wh = cls;
  struct push_req *pr = *con_cls;

  (void)version;
  if (!pr) {
    const char *cl, *why;
    int status;

    if (strcmp(method, "GET") == 0 && strcmp(url, "/healthz") == 0)
      return reply(conn, 200, "ok\n");
    if (strcmp(method, "POST") != 0)
      return reply(conn, 404, status_text(404));
    pr = begin(wh, conn, url);
    if (!pr)
      return MHD_NO;
    if (!pr->hold.conn) {
      push_free(pr);
      return reply(conn, 404, status_text(404));
    }
    cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
    if ((status = push_check_length(cl, &why)) != 0) {
      refused(wh, pr, status, why);
      push_free(pr);
      return reply(conn, (unsigned)status, status_text(status));
    }
    *con_cls = pr;
    return MHD_YES;
  }
  if (*upload_size) {
    append(pr, upload_data, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  if (pr->answer) /* resumed after the database answered */
    return finish(pr, pr->answer, "-");
  return handle(pr);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  webhook_t *wh = cls;
  struct push_req *pr = *con_cls;
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
  struct deadline_entry *e = ci ? ci->socket_context : NULL;

  /* A kept-alive connection's next request has the whole limit again,
   * counted from this answer. */
  if (e && toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
    deadline_arm(&wh->dl, e, e->fd);
  if (!pr)
    return;
  push_free(pr);
  *con_cls = NULL;
}

/* A connection was closed to make room: counted, and said a few times a
 * second at most. */
static void evicted(webhook_t *wh) {
  wh->st.evicted++;
  metrics_push_closed("room", 1);
  if (lograte_allow(&wh->slow_log, ms_mono()))
    log_warn("webhook", "webhook_max_connections reached: closed the connection that had "
             "waited longest for its request", "evicted_total=%llu", wh->st.evicted);
}

/* The endpoint is full: the connection that has waited longest for its
 * request goes before its deadline. Otherwise the connections queued in
 * the kernel behind a full endpoint would be the abusers' too, each taking
 * its place for a whole deadline, and a genuine push would wait in line
 * behind all of them; a genuine push arrives whole in milliseconds, so it
 * is never the one that has waited longest. One still within its grace
 * (daemon/deadline.h) goes when it has had it: abusers who connect again
 * at once cannot end a genuine push that connected before they did, and
 * the room they take is made some places a grace, not as fast as they can
 * connect. */
static void make_room(webhook_t *wh, const struct deadline_entry *newest) {
  if (deadline_evict_oldest(&wh->dl, newest) == 1)
    evicted(wh);
}

/* The deadline made the room it owed: the server reads the closed socket
 * now. */
static void on_evicted(void *arg) {
  webhook_t *wh = arg;

  evicted(wh);
  run(wh);
}

/* Every connection is on the clock from the moment it is accepted: a
 * client trickling its headers never reaches on_request. */
static void on_connection(void *cls, struct MHD_Connection *conn, void **socket_context,
                          enum MHD_ConnectionNotificationCode toe) {
  webhook_t *wh = cls;
  struct deadline_entry *e = *socket_context;
  const union MHD_ConnectionInfo *ci;

  if (toe == MHD_CONNECTION_NOTIFY_CLOSED) {
    if (wh->nconn-- == wh->max_connections)
      deadline_room_made(&wh->dl);
    wh->closed_in_run = 1;
    if (e)
      deadline_disarm(e);
    free(e);
    *socket_context = NULL;
    return;
  }
  wh->nconn++;
  ci = MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
  if (!ci)
    return;
  e = calloc(1, sizeof *e);
  if (!e) { /* no memory to watch it: not kept either */
    shutdown(ci->connect_fd, SHUT_RDWR);
    return;
  }
  deadline_arm(&wh->dl, e, ci->connect_fd);
  *socket_context = e;
  if (wh->nconn >= wh->max_connections)
    make_room(wh, e);
}

/* The deadline shut some sockets down: the server reads them now and
 * closes those connections. */
static void on_expired(void *arg, unsigned n) {
  webhook_t *wh = arg;

  wh->st.timed_out += n;
  metrics_push_closed("deadline", n);
  if (lograte_allow(&wh->slow_log, ms_mono()))
    log_warn("webhook", "closed connections whose request did not arrive within "
             "webhook_request_timeout", "closed=%u closed_total=%llu", n, wh->st.timed_out);
  run(wh);
}

/* libmicrohttpd's own messages ("Server reached connection limit", ...):
 * an abuser causes them, so they are rationed like refusals. */
static void on_mhd_log(void *cls, const char *fmt, va_list ap) LOG_PRINTF(2, 0);

static void on_mhd_log(void *cls, const char *fmt, va_list ap) {
  webhook_t *wh = cls;
  char msg[256];
  size_t n;

  if (!lograte_allow(&wh->mhd_log, ms_mono()))
    return;
  vsnprintf(msg, sizeof msg, fmt, ap);
  n = strlen(msg);
  while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == '\r'))
    msg[--n] = '\0';
  log_warn("webhook", "libmicrohttpd", "msg=%s", msg);
}

/* ---- the loop ------------------------------------------------------------------ */

static void on_timer(uv_timer_t *t) { run(t->data); }

static void on_poll(uv_poll_t *p, int status, int events) {
  (void)status;
  (void)events;
  run(p->data);
}

static void run(webhook_t *wh) {
  MHD_UNSIGNED_LONG_LONG ms;

  if (!wh->mhd)
    return;
  wh->closed_in_run = 0;
  MHD_run(wh->mhd);
  if (wh->closing) /* the timer waits for the pushes being stored (on_close_wait) */
    return;
  /* A full endpoint takes no connection from the listen queue until the
   * run after one closed, and nothing else may wake it: run again now. */
  if (wh->closed_in_run)
    uv_timer_start(&wh->timer, on_timer, 0, 0);
  else if (MHD_get_timeout(wh->mhd, &ms) == MHD_YES)
    uv_timer_start(&wh->timer, on_timer, ms, 0);
  else
    uv_timer_stop(&wh->timer);
}

/* The limits: connections in all and per address (MHD closes the extra
 * ones as it accepts them), an idle timeout for a kept-alive connection,
 * and the memory a request may take; the whole-request deadline is ours. */
static struct MHD_Daemon *listen_on(webhook_t *wh, const struct sockaddr_in *sa,
                                    const struct webhook_options *opt) {
  return MHD_start_daemon(
      MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, wh,
      MHD_OPTION_EXTERNAL_LOGGER, on_mhd_log, wh, /* first, or MHD logs the rest itself */
      MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa, MHD_OPTION_CONNECTION_LIMIT,
      opt->max_connections, MHD_OPTION_PER_IP_CONNECTION_LIMIT, opt->per_ip,
      MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, wh, MHD_OPTION_NOTIFY_CONNECTION, on_connection,
      wh, MHD_OPTION_END);
}

webhook_t *webhook_start(uv_loop_t *loop, db_t *db, orders_t *orders, struct registry *reg,
                         const struct webhook_options *opt) {
  webhook_t *wh;
  struct sockaddr_in sa;
  const union MHD_DaemonInfo *info;

  if (addr_parse_listen(opt->listen, &sa) != 0) {
    log_error("webhook", "webhook_listen is not IPv4-address:port", "value=%s", opt->listen);
    return NULL;
  }
  wh = calloc(1, sizeof *wh);
  if (!wh)
    return NULL;
  wh->loop = loop;
  wh->db = db;
  wh->orders = orders;
  wh->reg = registry_ref(reg);
  wh->max_age_s = opt->max_age_s;
  wh->max_connections = opt->max_connections;
  webhook_set_credentials_dir(wh, opt->credentials_dir);
  if (opt->public_url && opt->public_url[0])
    snprintf(wh->public_url, sizeof wh->public_url, "%s", opt->public_url);
  else
    snprintf(wh->public_url, sizeof wh->public_url, "http://%s", opt->listen);
  lograte_init(&wh->refusal_log, LOG_BURST);
  lograte_init(&wh->slow_log, LOG_BURST);
  lograte_init(&wh->mhd_log, LOG_BURST);
  wh->mhd = listen_on(wh, &sa, opt);
  info = wh->mhd ? MHD_get_daemon_info(wh->mhd, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
  if (!info) {
    log_error("webhook", "cannot listen for pushes", "listen=%s", opt->listen);
    if (wh->mhd)
      MHD_stop_daemon(wh->mhd);
    registry_unref(wh->reg);
    free(wh);
    return NULL;
  }
  uv_poll_init(loop, &wh->poll, info->epoll_fd);
  uv_timer_init(loop, &wh->timer);
  wh->poll.data = wh->timer.data = wh;
  deadline_init(&wh->dl, loop, opt->request_timeout_ms, on_expired, wh);
  wh->dl.on_evicted = on_evicted;
  wh->open_handles = 3; /* the poll, the timer and the deadline's timer */
  uv_poll_start(&wh->poll, UV_READABLE, on_poll);
  info = MHD_get_daemon_info(wh->mhd, MHD_DAEMON_INFO_BIND_PORT);
  if (info && !(opt->public_url && opt->public_url[0]) && ntohs(sa.sin_port) == 0) {
    /* Port 0 picked a free port: that is the one the callback URL names. */
    char host[INET_ADDRSTRLEN];

    inet_ntop(AF_INET, &sa.sin_addr, host, sizeof host);
    snprintf(wh->public_url, sizeof wh->public_url, "http://%s:%u", host, (unsigned)info->port);
  }
  log_info("webhook", "listening for pushes", "listen=%s port=%u public_url=%s", opt->listen,
           info ? (unsigned)info->port : 0u, wh->public_url);
  run(wh);
  return wh;
}

void webhook_set_registry(webhook_t *wh, struct registry *reg) {
  if (!wh)
    return;
  registry_ref(reg);
  registry_unref(wh->reg);
  wh->reg = reg;
}

void webhook_set_credentials_dir(webhook_t *wh, const char *dir) {
  if (!wh)
    return;
  wh->has_cred_dir = dir != NULL;
  snprintf(wh->cred_dir, sizeof wh->cred_dir, "%s", dir ? dir : "");
}

void webhook_get_stats(const webhook_t *wh, struct webhook_stats *st) {
  if (wh)
    *st = wh->st;
  else
    memset(st, 0, sizeof *st);
}

static void handle_closed(void *self) {
  webhook_t *wh = self;

  if (--wh->open_handles == 0) {
    void (*cb)(void *) = wh->closed_cb;
    void *arg = wh->closed_arg;

    registry_unref(wh->reg);
    free(wh);
    if (cb)
      cb(arg);
  }
}

static void on_closed(uv_handle_t *h) { handle_closed(h->data); }

static void on_close_wait(uv_timer_t *t);

static void close_now(webhook_t *wh) {
  MHD_stop_daemon(wh->mhd); /* every connection's entry leaves the deadline */
  wh->mhd = NULL;
  uv_close((uv_handle_t *)&wh->poll, on_closed);
  uv_close((uv_handle_t *)&wh->timer, on_closed);
  deadline_close(&wh->dl, handle_closed, wh);
}

/* Pushes being stored are answered first (their database callbacks resume
 * them), so a marketplace is never left with a reset for a stored push. */
static void on_close_wait(uv_timer_t *t) {
  webhook_t *wh = t->data;

  if (wh->storing > 0) {
    uv_timer_start(&wh->timer, on_close_wait, 20, 0);
    return;
  }
  MHD_run(wh->mhd);
  close_now(wh);
}

void webhook_close(webhook_t *wh, void (*done)(void *arg), void *arg) {
  if (!wh) {
    if (done)
      done(arg);
    return;
  }
  wh->closing = 1;
  wh->closed_cb = done;
  wh->closed_arg = arg;
  uv_poll_stop(&wh->poll);
  uv_timer_stop(&wh->timer);
  on_close_wait(&wh->timer);
}
