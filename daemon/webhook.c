/* webhook.c — see webhook.h. */
#include "webhook.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <openssl/sha.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "call.h"
#include "log.h"
#include "ms.h"
#include "push_check.h"

struct webhook {
  uv_loop_t *loop;
  db_t *db;
  orders_t *orders;
  struct registry *reg; /* held; a push is verified within one callback */
  struct MHD_Daemon *mhd;
  uv_poll_t poll;
  uv_timer_t timer;
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
  uint64_t started_ms;
};

static void run(webhook_t *wh);

/* ---- answers -------------------------------------------------------------- */

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *text) {
  struct MHD_Response *r =
      MHD_create_response_from_buffer(strlen(text), (void *)text, MHD_RESPMEM_PERSISTENT);
  enum MHD_Result rc;

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

static enum MHD_Result finish(struct push_req *pr, int status, const char *why) {
  webhook_t *wh = pr->wh;
  uint64_t ms = ms_mono() - pr->started_ms;

  if (status >= 400 && status < 500) {
    wh->st.refused++;
    log_warn("webhook", "push refused", "marketplace=%s status=%d bytes=%zu ms=%llu why=%s",
             pr->marketplace, status, pr->len, (unsigned long long)ms, why);
  }
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

struct match {
  const oc_connector *conn;
  const char *callback_url;
  struct push_req *pr;
  oc_push push;
  long long shop_id;    /* the verified shop the push names; 0 none */
  const char *shop_name;
  int signed_ok;        /* some shop's key verified it */
  char error[160];
};

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
  keyed.app_secret = secret_value(secret);
  memset(&p, 0, sizeof p);
  rc = oc_verify_push(m->conn, &keyed, m->callback_url, m->pr->auth, m->pr->body, m->pr->len, &p);
  secret_release(secret);
  if (rc != 0) {
    snprintf(m->error, sizeof m->error, "%s", p.error);
    return 0;
  }
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
    } else {
      wh->st.accepted++;
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
  MHD_suspend_connection(pr->conn);
  return MHD_YES;
}

/* The whole body has arrived: check it, then store it. */
static enum MHD_Result handle(struct push_req *pr) {
  webhook_t *wh = pr->wh;
  struct match m;
  char url[700];
  int64_t now = (int64_t)time(NULL);
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
  if (orders_each_shop(wh->orders, pr->marketplace, try_shop, &m) == 0)
    return finish(pr, 503, "no shop loaded yet");
  if (!m.signed_ok)
    return finish(pr, 401, m.error);
  if ((status = push_check_age(m.push.timestamp, now, wh->max_age_s, &why)) != 0)
    return finish(pr, status, why);
  if (!m.shop_name) {
    log_info("webhook", "signed push for a shop this daemon does not run; ignored",
             "marketplace=%s shop=%s", pr->marketplace, m.push.shop_id);
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
      wh->st.refused++;
      log_warn("webhook", "push refused", "marketplace=%s status=%d why=%s", pr->marketplace,
               status, why);
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
  struct push_req *pr = *con_cls;

  (void)cls;
  (void)conn;
  (void)toe;
  if (!pr)
    return;
  push_free(pr);
  *con_cls = NULL;
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
  MHD_run(wh->mhd);
  if (MHD_get_timeout(wh->mhd, &ms) == MHD_YES)
    uv_timer_start(&wh->timer, on_timer, ms, 0);
  else
    uv_timer_stop(&wh->timer);
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
  webhook_set_credentials_dir(wh, opt->credentials_dir);
  if (opt->public_url && opt->public_url[0])
    snprintf(wh->public_url, sizeof wh->public_url, "%s", opt->public_url);
  else
    snprintf(wh->public_url, sizeof wh->public_url, "http://%s", opt->listen);
  wh->mhd = MHD_start_daemon(
      MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG, 0, NULL, NULL, on_request, wh,
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa, MHD_OPTION_CONNECTION_LIMIT, 256u,
      MHD_OPTION_CONNECTION_TIMEOUT, 10u, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)65536,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, wh, MHD_OPTION_END);
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
  wh->open_handles = 2;
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

static void on_closed(uv_handle_t *h) {
  webhook_t *wh = h->data;

  if (--wh->open_handles == 0) {
    void (*cb)(void *) = wh->closed_cb;
    void *arg = wh->closed_arg;

    registry_unref(wh->reg);
    free(wh);
    if (cb)
      cb(arg);
  }
}

static void on_close_wait(uv_timer_t *t);

static void close_now(webhook_t *wh) {
  MHD_stop_daemon(wh->mhd);
  wh->mhd = NULL;
  uv_close((uv_handle_t *)&wh->poll, on_closed);
  uv_close((uv_handle_t *)&wh->timer, on_closed);
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
