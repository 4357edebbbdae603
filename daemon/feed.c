/* feed.c — see feed.h. */
#include "feed.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "variants.h"
#include "shop_opts.h"

/* Shops are few: a plain array is the set. */
struct idset {
  long long *ids;
  size_t n, cap;
};

struct feeds {
  uv_loop_t *loop;
  db_t *db;
  const struct registry *reg;
  void (*idle_cb)(void *arg);
  void *idle_arg;
  void (*closed_cb)(void *arg);
  void *closed_arg;
  uv_timer_t timer;
  uint64_t due;        /* loop time the timer fires at, when active */
  struct idset dirty;  /* to write at the next run */
  struct idset failed; /* to write again after FEED_RETRY_MS */
  int running;         /* a shop's query or write is in flight */
  int marking;         /* feed_mark_all's query is in flight */
  int flushing;        /* draining: write at once, never retry */
  /* The shop being written. */
  long long shop_id;
  char shop[64];
  char tmp[4096];
  char path[4096];
  char *data;
  size_t len, off;
  size_t rows;
  uv_file fd;
  uv_fs_t req;
};

static void run_next(feeds_t *f);

static int set_has(const struct idset *s, long long id) {
  size_t i;

  for (i = 0; i < s->n; i++)
    if (s->ids[i] == id)
      return 1;
  return 0;
}

static int set_add(struct idset *s, long long id) {
  if (set_has(s, id))
    return 0;
  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 8;
    long long *ids = realloc(s->ids, cap * sizeof *ids);

    if (!ids)
      return -1;
    s->ids = ids;
    s->cap = cap;
  }
  s->ids[s->n++] = id;
  return 0;
}

/* ---- scheduling ------------------------------------------------------------ */

static void on_timer(uv_timer_t *t) {
  feeds_t *f = t->data;

  if (!f->running)
    run_next(f);
}

/* Fires the timer within ms, sooner if it was due later. */
static void arm(feeds_t *f, uint64_t ms) {
  uint64_t due = uv_now(f->loop) + ms;

  if (uv_is_active((uv_handle_t *)&f->timer) && f->due <= due)
    return;
  f->due = due;
  uv_timer_start(&f->timer, on_timer, ms, 0);
}

void feed_mark_dirty(feeds_t *f, long long shop_id) {
  if (set_add(&f->dirty, shop_id) != 0) {
    log_error("feed", "out of memory; the feed is written at the next start",
              "shop_id=%lld", shop_id);
    return;
  }
  if (f->running)
    return; /* the run picks it up */
  if (f->flushing)
    run_next(f);
  else
    arm(f, FEED_DEBOUNCE_MS);
}

/* One shop is done (written or failed): on to the next. */
static void shop_done(feeds_t *f, int ok) {
  free(f->data);
  f->data = NULL;
  f->len = f->off = 0;
  f->fd = -1;
  if (!ok && !f->flushing)
    set_add(&f->failed, f->shop_id);
  run_next(f);
}

/* Logs why shop's feed was not written and moves on. */
static void shop_failed(feeds_t *f, const char *msg, const char *err) {
  log_error("feed", msg, "shop=%s path=%s err=%s", f->shop[0] ? f->shop : "?",
            f->path[0] ? f->path : "-", err ? err : "-");
  shop_done(f, 0);
}

/* ---- writing: open, write, fsync, close, rename ----------------------------- */

/* Closes and removes the temporary file after a failed step. */
static void write_failed(feeds_t *f, const char *step, ssize_t rc) {
  uv_fs_t r;

  if (f->fd >= 0) {
    uv_fs_close(NULL, &r, f->fd, NULL);
    uv_fs_req_cleanup(&r);
    f->fd = -1;
  }
  uv_fs_unlink(NULL, &r, f->tmp, NULL);
  uv_fs_req_cleanup(&r);
  log_error("feed", "cannot write the feed; will try again", "shop=%s step=%s path=%s err=%s",
            f->shop, step, f->tmp, uv_strerror((int)rc));
  shop_done(f, 0);
}

/* Ends one file step: the request cleaned up, and a failure reported as
 * step's. Returns the feeds to go on with, or NULL after a failure. */
static feeds_t *step_done(uv_fs_t *req, const char *step, ssize_t *rc) {
  feeds_t *f = req->data;

  *rc = req->result;
  uv_fs_req_cleanup(req);
  if (*rc < 0) {
    write_failed(f, step, *rc);
    return NULL;
  }
  return f;
}

static void on_renamed(uv_fs_t *req) {
  ssize_t rc;
  feeds_t *f = step_done(req, "rename", &rc);

  if (!f)
    return;
  log_info("feed", "feed written", "shop=%s rows=%zu bytes=%zu path=%s", f->shop, f->rows, f->len,
           f->path);
  shop_done(f, 1);
}

static void on_closed(uv_fs_t *req) {
  ssize_t rc;
  feeds_t *f = req->data;

  f->fd = -1; /* closed even when the close failed: write_failed must not close it again */
  if (!step_done(req, "close", &rc))
    return;
  if (uv_fs_rename(f->loop, &f->req, f->tmp, f->path, on_renamed) != 0)
    write_failed(f, "rename", UV_EINVAL);
}

static void on_synced(uv_fs_t *req) {
  ssize_t rc;
  feeds_t *f = step_done(req, "fsync", &rc);

  if (!f)
    return;
  if (uv_fs_close(f->loop, &f->req, f->fd, on_closed) != 0)
    write_failed(f, "close", UV_EINVAL);
}

static void write_more(feeds_t *f);

static void on_written(uv_fs_t *req) {
  ssize_t rc;
  feeds_t *f = step_done(req, "write", &rc);

  if (!f)
    return;
  f->off += (size_t)rc;
  write_more(f);
}

static void write_more(feeds_t *f) {
  uv_buf_t buf;

  if (f->off < f->len) {
    buf = uv_buf_init(f->data + f->off, (unsigned)(f->len - f->off));
    if (uv_fs_write(f->loop, &f->req, f->fd, &buf, 1, (int64_t)f->off, on_written) != 0)
      write_failed(f, "write", UV_EINVAL);
    return;
  }
  if (uv_fs_fsync(f->loop, &f->req, f->fd, on_synced) != 0)
    write_failed(f, "fsync", UV_EINVAL);
}

static void on_opened(uv_fs_t *req) {
  feeds_t *f = req->data;
  ssize_t rc = req->result;

  uv_fs_req_cleanup(req);
  if (rc < 0) {
    log_error("feed", "cannot create the feed file; will try again", "shop=%s path=%s err=%s",
              f->shop, f->tmp, uv_strerror((int)rc));
    shop_done(f, 0);
    return;
  }
  f->fd = (uv_file)rc;
  write_more(f);
}

/* ---- rendering -------------------------------------------------------------- */

/* Columns of SHOP_ROWS_SQL. */
enum { C_SHOP, C_OPTIONS, C_MARKET, C_SKU, C_NAME, C_DESC, C_CAT, C_UNIT, C_VARIANTS,
       C_STARS, C_DECISION, C_STATE, C_IMAGES };

/* A feed names the product's gallery images by URL: an https image as it
 * is, a file under media_dir where the shop's media_base_url publishes
 * that folder. Images that show an OCOP claim go with the claims. */
#define SHOP_ROWS_SQL                                                                         \
  "SELECT s.name, s.options::text, s.marketplace, t.sku, t.name, t.description, "            \
  "t.category_code, t.unit, t.variants::text, t.stars, t.decision_no, t.state, "             \
  "(SELECT string_agg(CASE WHEN i.source ~ '^https://' THEN i.source "                        \
  "  ELSE rtrim(s.options->>'media_base_url', '/') || '/' || replace(i.source, ' ', '%20') " \
  "  END, ' ' ORDER BY i.position) "                                                          \
  " FROM ocop_listing_images(t.product_id, t.stars) i WHERE i.role = 'gallery' "            \
  "   AND (i.source ~ '^https://' OR coalesce(s.options->>'media_base_url', '') <> '')) "    \
  "FROM shop s LEFT JOIN listing_target t ON t.shop_id = s.id AND t.state <> 'new' "          \
  "WHERE s.id = $1 ORDER BY t.sku"

/* Renders the feed into f->data; 0, or -1 having logged why. */
static int render(feeds_t *f, PGresult *res) {
  int nres = PQntuples(res), i;
  const oc_connector *conn = registry_find(f->reg, PQgetvalue(res, 0, C_MARKET));
  oc_listing *ls = NULL;
  struct vset *vs = NULL;
  oc_feed_row *rows = NULL;
  oc_kv *opts = NULL;
  oc_shop shop;
  const char *dir;
  size_t nopts, n = 0;
  char err[256] = "";
  int rc = -1;

  memset(&shop, 0, sizeof shop);
  if (!conn || !(conn->caps & OC_CAP_FEED)) {
    shop_failed(f, "no connector writes a feed for this shop's marketplace",
                PQgetvalue(res, 0, C_MARKET));
    return -1;
  }
  /* A shop whose options are not an object, or memory running out, feeds
   * with the pairs read (none for the former), as it always has. */
  shop_opts_parse(PQgetvalue(res, 0, C_OPTIONS), &opts, &nopts);
  shop.base_url = shop.app_key = shop.app_secret = shop.shop_id = "";
  shop.opts = opts;
  shop.nopts = nopts;
  dir = oc_shop_opt(&shop, "export_dir", NULL);
  if (!dir || !dir[0]) {
    shop_failed(f, "the shop has no export_dir option; set it to the folder its feed goes to",
                "option export_dir missing");
    goto out;
  }
  if ((size_t)snprintf(f->path, sizeof f->path, "%s/%s.csv", dir, f->shop) >= sizeof f->path ||
      (size_t)snprintf(f->tmp, sizeof f->tmp, "%s/.%s.csv.tmp", dir, f->shop) >= sizeof f->tmp) {
    shop_failed(f, "export_dir is too long", NULL);
    goto out;
  }
  ls = calloc((size_t)nres, sizeof *ls);
  vs = calloc((size_t)nres, sizeof *vs);
  rows = calloc((size_t)nres, sizeof *rows);
  if (!ls || !vs || !rows) {
    shop_failed(f, "out of memory rendering the feed", NULL);
    goto out;
  }
  for (i = 0; i < nres; i++) {
    oc_listing *l = &ls[n];

    if (PQgetisnull(res, i, C_SKU))
      continue; /* the shop has no listing to show yet */
    l->sku = PQgetvalue(res, i, C_SKU);
    l->name = PQgetvalue(res, i, C_NAME);
    l->description = PQgetvalue(res, i, C_DESC);
    l->category = PQgetvalue(res, i, C_CAT);
    l->unit = PQgetvalue(res, i, C_UNIT);
    if (vset_parse(&vs[n], PQgetvalue(res, i, C_VARIANTS), err, sizeof err) != 0) {
      shop_failed(f, "cannot read a listing's variants", err);
      goto out;
    }
    l->variants = vs[n].v;
    l->nvariants = vs[n].n;
    l->stars = (int)strtol(PQgetvalue(res, i, C_STARS), NULL, 10);
    l->certificate_no = l->stars && !PQgetisnull(res, i, C_DECISION)
                            ? PQgetvalue(res, i, C_DECISION) : NULL;
    l->item_id = l->sku;
    rows[n].listing = l;
    rows[n].active = strcmp(PQgetvalue(res, i, C_STATE), "delisted") != 0;
    rows[n].image_urls = PQgetisnull(res, i, C_IMAGES) ? NULL : PQgetvalue(res, i, C_IMAGES);
    n++;
  }
  f->rows = n;
  if (oc_feed(conn, &shop, rows, n, &f->data, &f->len, err, sizeof err) != 0 || !f->data) {
    shop_failed(f, "the connector cannot render the feed", err);
    goto out;
  }
  rc = 0;
out:
  for (i = 0; vs && (size_t)i < n; i++)
    vset_free(&vs[i]);
  free(vs);
  free(ls);
  free(rows);
  shop_opts_free(opts, nopts);
  return rc;
}

static void on_rows(void *arg, PGresult *res, const char *err) {
  feeds_t *f = arg;

  if (err) {
    shop_failed(f, "cannot read the shop's listings; will try again", err);
    return;
  }
  if (PQntuples(res) == 0) {
    log_warn("feed", "shop is gone; no feed written", "shop_id=%lld", f->shop_id);
    shop_done(f, 1);
    return;
  }
  snprintf(f->shop, sizeof f->shop, "%s", PQgetvalue(res, 0, C_SHOP));
  if (render(f, res) != 0)
    return;
  f->req.data = f;
  if (uv_fs_open(f->loop, &f->req, f->tmp, O_CREAT | O_TRUNC | O_WRONLY, 0644, on_opened) != 0)
    write_failed(f, "open", UV_EINVAL);
}

/* Writes the next dirty shop, or ends the run. */
static void run_next(feeds_t *f) {
  char id[24];
  const char *params[1];

  if (f->dirty.n == 0) {
    f->running = 0;
    if (f->failed.n > 0 && !f->flushing) {
      size_t i;

      for (i = 0; i < f->failed.n; i++)
        set_add(&f->dirty, f->failed.ids[i]);
      f->failed.n = 0;
      arm(f, FEED_RETRY_MS);
    }
    if (f->idle_cb)
      f->idle_cb(f->idle_arg);
    return;
  }
  f->running = 1;
  f->shop_id = f->dirty.ids[0];
  memmove(f->dirty.ids, f->dirty.ids + 1, (f->dirty.n - 1) * sizeof *f->dirty.ids);
  f->dirty.n--;
  f->shop[0] = f->path[0] = f->tmp[0] = '\0';
  f->fd = -1;
  snprintf(id, sizeof id, "%lld", f->shop_id);
  params[0] = id;
  if (db_query(f->db, SHOP_ROWS_SQL, 1, params, on_rows, f) != 0)
    shop_failed(f, "cannot read the shop's listings", "shutting down");
}

/* ---- start-up --------------------------------------------------------------- */

static void on_shops(void *arg, PGresult *res, const char *err) {
  feeds_t *f = arg;
  int i;

  f->marking = 0;
  if (err) {
    log_warn("feed", "cannot list the file-channel shops", "err=%s", err);
  } else {
    for (i = 0; i < PQntuples(res); i++) {
      const oc_connector *c = registry_find(f->reg, PQgetvalue(res, i, 1));

      if (c && (c->caps & OC_CAP_FEED))
        feed_mark_dirty(f, strtoll(PQgetvalue(res, i, 0), NULL, 10));
    }
  }
  if (!f->running && f->idle_cb)
    f->idle_cb(f->idle_arg);
}

void feed_mark_all(feeds_t *f) {
  if (f->marking || f->flushing)
    return;
  f->marking = 1;
  if (db_query(f->db, "SELECT id, marketplace FROM shop ORDER BY id", 0, NULL, on_shops, f) != 0)
    f->marking = 0;
}

/* ---- life cycle ------------------------------------------------------------- */

feeds_t *feed_new(uv_loop_t *loop, db_t *db, const struct registry *reg,
                  void (*idle_cb)(void *arg), void *arg) {
  feeds_t *f = calloc(1, sizeof *f);

  if (!f)
    return NULL;
  f->loop = loop;
  f->db = db;
  f->reg = reg;
  f->idle_cb = idle_cb;
  f->idle_arg = arg;
  f->fd = -1;
  uv_timer_init(loop, &f->timer);
  f->timer.data = f;
  return f;
}

void feed_set_registry(feeds_t *f, const struct registry *reg) { f->reg = reg; }

void feed_flush(feeds_t *f) {
  f->flushing = 1;
  uv_timer_stop(&f->timer);
  if (!f->running && f->dirty.n > 0)
    run_next(f);
}

int feed_busy(const feeds_t *f) { return f->running || f->marking; }

static void on_timer_closed(uv_handle_t *h) {
  feeds_t *f = h->data;
  void (*cb)(void *) = f->closed_cb;
  void *arg = f->closed_arg;

  free(f->dirty.ids);
  free(f->failed.ids);
  free(f->data);
  free(f);
  if (cb)
    cb(arg);
}

void feed_close(feeds_t *f, void (*closed_cb)(void *arg), void *arg) {
  f->closed_cb = closed_cb;
  f->closed_arg = arg;
  uv_close((uv_handle_t *)&f->timer, on_timer_closed);
}
