/* media.c — see media.h. */
#include "media.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "http.h"
#include "image.h"
#include "log.h"

#define MEDIA_BATCH 8
#define MEDIA_MAX_BYTES (16 * 1024 * 1024) /* larger images are refused unread */

struct media {
  uv_loop_t *loop;
  db_t *db;
  http_t *http; /* downloads: its own, for bodies larger than API answers */
  char dir[1024];
  unsigned rescan_ms;
  unsigned interval_ms;
  uv_timer_t timer;
  int querying;
  unsigned inflight; /* images being read, checked or recorded */
  int again;         /* woken while busy: look again when done */
  int closing;
  void (*closed_cb)(void *arg);
  void *closed_arg;
  int handles;
};

/* One image being read. */
struct item {
  media_t *m;
  uv_work_t work;
  char *source;
  char path[2048];
  unsigned char *data; /* its bytes */
  size_t len;
  int fetched;         /* data came from a download */
  struct img_info info;
  char problem[300];   /* why it cannot be used; "" when it can */
};

static void look(media_t *m);
static void maybe_free(media_t *m);

static void item_free(struct item *it) {
  free(it->source);
  free(it->data);
  free(it);
}

static void check_done(media_t *m) {
  if (m->inflight == 0 && !m->querying && m->again && !m->closing) {
    m->again = 0;
    look(m);
  }
}

/* ---- recording ---------------------------------------------------------- */

static void on_recorded(void *arg, PGresult *res, const char *err) {
  struct item *it = arg;
  media_t *m = it->m;

  (void)res;
  if (err)
    log_warn("media", "cannot record an image check; it will be read again", "source=%s err=%s",
             it->source, err);
  m->inflight--;
  item_free(it);
  check_done(m);
  maybe_free(m);
}

/* bytea's hex text form: "\x" and two digits a byte. */
static char *hex_bytea(const unsigned char *d, size_t n) {
  static const char digits[] = "0123456789abcdef";
  char *s = malloc(2 * n + 3), *p;
  size_t i;

  if (!s)
    return NULL;
  p = s;
  *p++ = '\\';
  *p++ = 'x';
  for (i = 0; i < n; i++) {
    *p++ = digits[d[i] >> 4];
    *p++ = digits[d[i] & 15];
  }
  *p = '\0';
  return s;
}

static void record(struct item *it) {
  char w[16], h[16];
  char *hex = NULL;
  const char *params[7];
  int ok = !it->problem[0];

  if (ok && (hex = hex_bytea(it->data, it->len)) == NULL) {
    ok = 0;
    snprintf(it->problem, sizeof it->problem, "out of memory");
  }
  snprintf(w, sizeof w, "%d", it->info.width);
  snprintf(h, sizeof h, "%d", it->info.height);
  params[0] = it->source;
  params[1] = ok ? it->info.sha256 : NULL;
  params[2] = ok ? (it->info.format == IMG_PNG ? "png" : "jpeg") : NULL;
  params[3] = ok ? w : NULL;
  params[4] = ok ? h : NULL;
  params[5] = hex;
  params[6] = ok ? NULL : it->problem;
  if (!ok)
    log_warn("media", "image refused", "source=%s reason=%s", it->source, it->problem);
  if (db_query(it->m->db,
               "SELECT ocop_media_checked($1, $2, $3, $4::integer, $5::integer, $6::bytea, $7)",
               7, params, on_recorded, it) != 0)
    on_recorded(it, NULL, "shutting down");
  free(hex);
}

/* ---- reading and checking (thread pool) ------------------------------------ */

/* Reads a regular file of at most MEDIA_MAX_BYTES, without following a
 * symbolic link at its last component. */
static void read_file(struct item *it) {
  struct stat st;
  ssize_t n;
  size_t got = 0;
  int fd = open(it->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);

  if (fd < 0) {
    snprintf(it->problem, sizeof it->problem, "cannot open it: %s", strerror(errno));
    return;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(it->problem, sizeof it->problem, "not a regular file");
  } else if (st.st_size > MEDIA_MAX_BYTES) {
    snprintf(it->problem, sizeof it->problem, "%lld bytes is over the %d MB an image may have",
             (long long)st.st_size, MEDIA_MAX_BYTES / (1024 * 1024));
  } else if ((it->data = malloc((size_t)st.st_size + 1)) == NULL) {
    snprintf(it->problem, sizeof it->problem, "out of memory");
  } else {
    while (got < (size_t)st.st_size &&
           (n = read(fd, it->data + got, (size_t)st.st_size - got)) > 0)
      got += (size_t)n;
    it->len = got;
  }
  close(fd);
}

static void on_work(uv_work_t *w) {
  struct item *it = w->data;

  if (!it->fetched && !it->problem[0])
    read_file(it);
  if (!it->problem[0] &&
      img_check(it->data, it->len, &it->info, it->problem, sizeof it->problem) != 0 &&
      !it->problem[0])
    snprintf(it->problem, sizeof it->problem, "not a usable image");
}

static void after_work(uv_work_t *w, int status) {
  struct item *it = w->data;

  if (status != 0 && !it->problem[0])
    snprintf(it->problem, sizeof it->problem, "not checked: shutting down");
  record(it);
}

static void check(struct item *it) {
  it->work.data = it;
  if (uv_queue_work(it->m->loop, &it->work, on_work, after_work) != 0) {
    snprintf(it->problem, sizeof it->problem, "cannot check the image now");
    record(it);
  }
}

/* ---- downloads ------------------------------------------------------------ */

static void on_download(void *arg, const struct http_response *r) {
  struct item *it = arg;

  if (r->fail != HTTP_FAIL_NONE)
    snprintf(it->problem, sizeof it->problem, "cannot download it: %s",
             r->error ? r->error : "failed");
  else if (r->status != 200)
    snprintf(it->problem, sizeof it->problem, "cannot download it: HTTP %ld", r->status);
  else if ((it->data = malloc(r->len ? r->len : 1)) == NULL)
    snprintf(it->problem, sizeof it->problem, "out of memory");
  else {
    memcpy(it->data, r->body, r->len);
    it->len = r->len;
  }
  it->fetched = 1;
  check(it);
}

static void download(struct item *it) {
  oc_request rq;

  memset(&rq, 0, sizeof rq);
  snprintf(rq.method, sizeof rq.method, "GET");
  rq.url = it->source; /* http_send copies what it keeps */
  if (http_send(it->m->http, &rq, on_download, it) != 0) {
    snprintf(it->problem, sizeof it->problem, "not downloaded: shutting down");
    it->fetched = 1;
    check(it);
  }
}

/* ---- looking for images to read ------------------------------------------- */

static void start_item(media_t *m, const char *source) {
  struct item *it = calloc(1, sizeof *it);

  if (!it || (it->source = strdup(source)) == NULL) {
    free(it);
    return;
  }
  it->m = m;
  m->inflight++;
  if (strncmp(source, "https://", 8) == 0) {
    download(it);
    return;
  }
  if (!m->dir[0])
    snprintf(it->problem, sizeof it->problem, "a file, and ocopd has no media_dir");
  else if ((size_t)snprintf(it->path, sizeof it->path, "%s/%s", m->dir, source) >= sizeof it->path)
    snprintf(it->problem, sizeof it->problem, "the image's path is too long");
  check(it);
}

static void on_due(void *arg, PGresult *res, const char *err) {
  media_t *m = arg;
  int i, rows;

  m->querying = 0;
  if (err) {
    if (!m->closing)
      log_warn("media", "cannot look for images to read", "err=%s", err);
    check_done(m);
    maybe_free(m);
    return;
  }
  rows = PQntuples(res);
  for (i = 0; i < rows && !m->closing; i++)
    start_item(m, PQgetvalue(res, i, 0));
  if (rows == MEDIA_BATCH)
    m->again = 1; /* more are waiting */
  check_done(m);
}

static void look(media_t *m) {
  char limit[16], rescan[32];
  const char *params[2];

  if (m->closing || !db_is_up(m->db))
    return;
  if (m->querying || m->inflight) {
    m->again = 1;
    return;
  }
  snprintf(limit, sizeof limit, "%d", MEDIA_BATCH);
  snprintf(rescan, sizeof rescan, "%u milliseconds", m->rescan_ms);
  params[0] = limit;
  params[1] = m->rescan_ms ? rescan : NULL;
  m->querying = 1;
  if (db_query(m->db, "SELECT source FROM ocop_media_due($1::integer, $2::interval)", 2,
               params, on_due, m) != 0)
    m->querying = 0;
}

static void on_timer(uv_timer_t *t) { look(t->data); }

void media_wake(void *arg) {
  if (arg)
    look(arg);
}

int media_busy(const media_t *m) { return m->querying || m->inflight > 0; }

/* ---- life cycle ---------------------------------------------------------- */

media_t *media_new(uv_loop_t *loop, db_t *db, const struct media_options *opt) {
  media_t *m = calloc(1, sizeof *m);
  struct http_options ho;

  if (!m)
    return NULL;
  memset(&ho, 0, sizeof ho);
  ho.timeout_ms = opt->timeout_ms;
  ho.max_response = MEDIA_MAX_BYTES;
  if ((m->http = http_new(loop, &ho)) == NULL) {
    free(m);
    return NULL;
  }
  m->loop = loop;
  m->db = db;
  media_reconfigure(m, opt);
  uv_timer_init(loop, &m->timer);
  m->timer.data = m;
  return m;
}

void media_reconfigure(media_t *m, const struct media_options *opt) {
  snprintf(m->dir, sizeof m->dir, "%s", opt->dir ? opt->dir : "");
  m->rescan_ms = opt->rescan_ms;
  m->interval_ms = opt->interval_ms ? opt->interval_ms : 30000;
}

int media_start(media_t *m) {
  return uv_timer_start(&m->timer, on_timer, 0, m->interval_ms);
}

/* Freed once its handles are closed and nothing it started is left: a
 * read on the thread pool or a query still holds it. */
static void maybe_free(media_t *m) {
  if (!m->closing || m->handles > 0 || m->inflight > 0 || m->querying)
    return;
  if (m->closed_cb)
    m->closed_cb(m->closed_arg);
  free(m);
}

static void on_closed(media_t *m) {
  m->handles--;
  maybe_free(m);
}

static void on_timer_closed(uv_handle_t *h) { on_closed(h->data); }

static void on_http_closed(void *arg) { on_closed(arg); }

void media_close(media_t *m, void (*done)(void *arg), void *arg) {
  m->closing = 1;
  m->closed_cb = done;
  m->closed_arg = arg;
  m->handles = 2;
  uv_close((uv_handle_t *)&m->timer, on_timer_closed);
  http_close(m->http, on_http_closed, m);
}
