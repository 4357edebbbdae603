/*
 * sim_orders.c — the order store, the order control calls and webhook
 * pushes, shared by every marketplace (see sim_orders.h).
 *
 * The control calls run under the state mutex like every marketplace
 * function. A call that pushes only builds the messages here and leaves its
 * answer in resp->pending; the core calls sim_push_finish() after
 * unlocking, because a push waits for the receiver (up to 5 s), and the
 * receiver may be ocopsim's own /_sim/hook sink.
 */
#include "sim_orders.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <curl/curl.h>

#include "sim_acct.h"
#include "sim_ctl.h"
#include "sim_json.h"

#define SIM_ORDER_LINES_MAX 100
#define SIM_ORDER_QTY_MAX 1000 /* per line: details list one entry a unit */
#define SIM_ORDER_PRICE_MAX INT64_C(1000000000000)
#define SIM_ORDER_TIME_MAX INT64_C(32503680000) /* year 3000 */
#define SIM_URL_MAX 2048
#define SIM_PUSH_TIMEOUT_MS 5000L
#define SIM_ORDER_ERRTXT 256

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

enum sim_sign { SIM_SIGN_GOOD, SIM_SIGN_BAD, SIM_SIGN_NONE };

/* How a control call wants its pushes made. */
struct sim_push_opts {
  const char *url, *callback, *body; /* body: NULL for the generated one */
  int sign;
  int64_t ts;
};

/* -------------------------------------------------------------- store -- */

static void sim_order_free(struct sim_order *o) {
  size_t i;

  for (i = 0; i < o->nlines; i++)
    free(o->lines[i].sku);
  free(o->lines);
  free(o->shop);
}

void sim_orders_clear(struct sim_orders *st) {
  size_t i;

  for (i = 0; i < st->n; i++)
    sim_order_free(&st->v[i]);
  free(st->v);
  memset(st, 0, sizeof *st);
}

struct sim_order *sim_order_find(const struct sim_orders *st,
                                 const char *shop, const char *id) {
  size_t i;

  for (i = 0; i < st->n; i++)
    if (strcmp(st->v[i].id, id) == 0 && strcmp(st->v[i].shop, shop) == 0)
      return &st->v[i];
  return NULL;
}

cJSON *sim_order_head_json(const struct sim_order *o) {
  cJSON *e = cJSON_CreateObject();

  cJSON_AddStringToObject(e, "id", o->id);
  cJSON_AddStringToObject(e, "status", o->status);
  sim_json_add_int(e, "create_time", o->create_time);
  sim_json_add_int(e, "update_time", o->update_time);
  return e;
}

int64_t sim_order_total(const struct sim_order *o) {
  int64_t t = 0;
  size_t i;

  for (i = 0; i < o->nlines; i++)
    t += o->lines[i].qty * o->lines[i].price;
  return t;
}

int64_t sim_order_units(const struct sim_order *o) {
  int64_t t = 0;
  size_t i;

  for (i = 0; i < o->nlines; i++)
    t += o->lines[i].qty;
  return t;
}

/* Shorter ids first, so that decimal ids sort as numbers. */
static int sim_order_id_cmp(const char *a, const char *b) {
  size_t la = strlen(a), lb = strlen(b);

  if (la != lb)
    return la < lb ? -1 : 1;
  return strcmp(a, b);
}

/* Orders by one of their times, then by id; `create` picks the time. */
static int sim_order_cmp(const void *x, const void *y, int create) {
  const struct sim_order *a = *(struct sim_order *const *)x;
  const struct sim_order *b = *(struct sim_order *const *)y;
  int64_t ta = create ? a->create_time : a->update_time;
  int64_t tb = create ? b->create_time : b->update_time;

  if (ta != tb)
    return ta < tb ? -1 : 1;
  return sim_order_id_cmp(a->id, b->id);
}

static int sim_order_by_update(const void *x, const void *y) {
  return sim_order_cmp(x, y, 0);
}

static int sim_order_by_create(const void *x, const void *y) {
  return sim_order_cmp(x, y, 1);
}

static int sim_order_wanted(const struct sim_order *o,
                            const struct sim_order_query *q) {
  int64_t t = q->by_create ? o->create_time : o->update_time;

  if (strcmp(o->shop, q->shop) != 0 || t < q->from)
    return 0;
  if (q->to_inclusive ? t > q->to : t >= q->to)
    return 0;
  return !q->status || strcmp(o->status, q->status) == 0;
}

int sim_orders_select(const struct sim_orders *st,
                      const struct sim_order_query *q, struct sim_order ***out,
                      size_t *n) {
  struct sim_order **v = NULL;
  size_t i, k = 0;

  *out = NULL;
  *n = 0;
  if (st->n && !(v = malloc(st->n * sizeof *v)))
    return -1;
  for (i = 0; i < st->n; i++)
    if (sim_order_wanted(&st->v[i], q))
      v[k++] = &st->v[i];
  if (k > 1)
    qsort(v, k, sizeof *v, q->by_create ? sim_order_by_create
                                        : sim_order_by_update);
  *out = v;
  *n = k;
  return 0;
}

/* ------------------------------------------------------------ helpers -- */

/* Exactly `digits` decimal digits at *p. */
static int sim_order_num(const char **p, int digits, int *out) {
  int v = 0, i;

  for (i = 0; i < digits; i++) {
    if ((*p)[i] < '0' || (*p)[i] > '9')
      return -1;
    v = v * 10 + ((*p)[i] - '0');
  }
  *p += digits;
  *out = v;
  return 0;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (era arithmetic, so
 * no table of month lengths is needed). */
static int64_t sim_order_days(int64_t y, int m, int d) {
  int64_t era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

/* The zone suffix: Z, or a sign (a space is an undecoded '+') and HH[:]MM. */
static int sim_order_iso_zone(const char *p, int *offset) {
  int oh, om, sign;

  if ((p[0] == 'Z' || p[0] == 'z') && !p[1]) {
    *offset = 0;
    return 0;
  }
  if (*p != '+' && *p != '-' && *p != ' ')
    return -1;
  sign = *p++ == '-' ? -1 : 1;
  if (sim_order_num(&p, 2, &oh))
    return -1;
  if (*p == ':')
    p++;
  if (sim_order_num(&p, 2, &om) || *p || oh > 14 || om > 59)
    return -1;
  *offset = sign * (oh * 3600 + om * 60);
  return 0;
}

int sim_order_iso_time(const char *s, int64_t *out) {
  const char *p = s;
  int y, mo, d, h, mi, se, off;

  if (!s || sim_order_num(&p, 4, &y) || *p++ != '-' ||
      sim_order_num(&p, 2, &mo) || *p++ != '-' || sim_order_num(&p, 2, &d) ||
      (*p != 'T' && *p != 't'))
    return -1;
  p++;
  if (sim_order_num(&p, 2, &h) || *p++ != ':' || sim_order_num(&p, 2, &mi) ||
      *p++ != ':' || sim_order_num(&p, 2, &se))
    return -1;
  if (*p == '.') {
    if (p[1] < '0' || p[1] > '9')
      return -1;
    for (p++; *p >= '0' && *p <= '9'; p++)
      ;
  }
  if (sim_order_iso_zone(p, &off) || mo < 1 || mo > 12 || d < 1 || d > 31 ||
      h > 23 || mi > 59 || se > 60)
    return -1;
  *out = sim_order_days(y, mo, d) * 86400 + h * 3600 + mi * 60 + se - off;
  return 0;
}

int sim_push_hmac(const char *key, const char *a, const char *b, size_t blen,
                  char *out) {
  size_t al = a ? strlen(a) : 0;
  char *m = malloc(al + blen + 1);
  int rc;

  if (!m)
    return -1;
  if (al)
    memcpy(m, a, al);
  if (blen)
    memcpy(m + al, b, blen);
  rc = sim_hmac_hex(key, m, al + blen, 0, out);
  free(m);
  return rc;
}

/* ------------------------------------------------------ control input -- */

/* The marketplace's shop_key, or its accounts' (sim_acct.h). */
static int sim_order_shop_key(const struct sim_order_ops *ops, const cJSON *v,
                              char *key, size_t keylen, char *err, size_t n) {
  if (ops->accts)
    return sim_acct_order_shop(ops->accts, v, key, keylen, err, n);
  return ops->shop_key(v, key, keylen, err, n);
}

/* The marketplace's push_sign, or its accounts'. */
static int sim_order_push_sign(const struct sim_order_ops *ops,
                               const char *shop, const char *url,
                               const char *body, size_t len, int bad,
                               char *out) {
  if (ops->accts)
    return sim_acct_push_sign(ops->accts, shop, body, len, bad, out);
  return ops->push_sign(shop, url, body, len, bad, out);
}

static const cJSON *sim_order_get(const cJSON *o, const char *name) {
  return cJSON_GetObjectItemCaseSensitive(o, name);
}

/* An order id: a string, or a positive integer (Lazada's are numbers). */
static int sim_order_id_arg(const cJSON *v, char *out, size_t n) {
  int64_t x;

  if (cJSON_IsString(v) && v->valuestring[0] && strlen(v->valuestring) < n) {
    snprintf(out, n, "%s", v->valuestring);
    return 0;
  }
  if (sim_json_int(v, &x) == 0 && x > 0) {
    snprintf(out, n, "%" PRId64, x);
    return 0;
  }
  return -1;
}

static int sim_order_status_arg(const cJSON *o, char *out, char *err,
                                size_t n) {
  const char *s = sim_json_str(o, "status");

  if (!s || !*s || strlen(s) > SIM_ORDER_STATUS_MAX) {
    snprintf(err, n, "status must be a string of 1 to %d bytes",
             SIM_ORDER_STATUS_MAX);
    return -1;
  }
  snprintf(out, SIM_ORDER_STATUS_MAX + 1, "%s", s);
  return 0;
}

static int sim_order_line_read(const cJSON *e, struct sim_order_line *l,
                               char *err, size_t n) {
  const char *sku = sim_json_str(e, "sku");

  if (!sku || !*sku || strlen(sku) > SIM_SKU_MAX) {
    snprintf(err, n, "each line needs a sku of 1 to %d bytes", SIM_SKU_MAX);
    return -1;
  }
  if (sim_ctl_int(e, "qty", 1, SIM_ORDER_QTY_MAX, -1, &l->qty, err, n) ||
      sim_ctl_int(e, "price", 0, SIM_ORDER_PRICE_MAX, -1, &l->price, err, n))
    return -1;
  if (!(l->sku = strdup(sku))) {
    snprintf(err, n, "out of memory");
    return -1;
  }
  return 0;
}

static int sim_order_lines_read(const cJSON *lines, struct sim_order *o,
                                char *err, size_t n) {
  int size = cJSON_GetArraySize(lines);
  const cJSON *l;

  if (!cJSON_IsArray(lines) || size < 1 || size > SIM_ORDER_LINES_MAX) {
    snprintf(err, n, "lines must be an array of 1 to %d lines",
             SIM_ORDER_LINES_MAX);
    return -1;
  }
  if (!(o->lines = calloc((size_t)size, sizeof *o->lines))) {
    snprintf(err, n, "out of memory");
    return -1;
  }
  cJSON_ArrayForEach(l, lines) {
    if (sim_order_line_read(l, &o->lines[o->nlines], err, n))
      return -1;
    o->nlines++;
  }
  return 0;
}

/* One order of the control call; on failure the caller frees `o`. */
static int sim_order_read(const struct sim_order_ops *ops, const cJSON *e,
                          const char *shop, int64_t now, struct sim_order *o,
                          char *err, size_t n) {
  const cJSON *id = sim_order_get(e, "id"),
              *mal = sim_order_get(e, "malformed");

  if (!cJSON_IsObject(e)) {
    snprintf(err, n, "each order must be an object");
    return -1;
  }
  if (id && (sim_order_id_arg(id, o->id, sizeof o->id) || !ops->id_ok(o->id))) {
    snprintf(err, n, "id is not a %s order id", ops->name);
    return -1;
  }
  if (mal && !cJSON_IsBool(mal)) {
    snprintf(err, n, "malformed must be true or false");
    return -1;
  }
  o->malformed = cJSON_IsTrue(mal);
  if (sim_order_status_arg(e, o->status, err, n) ||
      sim_ctl_int(e, "update_time", 0, SIM_ORDER_TIME_MAX, now, &o->update_time,
                  err, n) ||
      sim_order_lines_read(sim_order_get(e, "lines"), o, err, n))
    return -1;
  o->create_time = o->update_time;
  if (!(o->shop = strdup(shop))) {
    snprintf(err, n, "out of memory");
    return -1;
  }
  return 0;
}

static int sim_push_opts_read(const cJSON *o, int64_t now,
                              struct sim_push_opts *p, char *err, size_t n) {
  const char *sign = sim_json_str(o, "sign");
  const cJSON *body = sim_order_get(o, "body"),
              *cb = sim_order_get(o, "callback_url");

  memset(p, 0, sizeof *p);
  p->url = sim_json_str(o, "url");
  if (!p->url || strlen(p->url) > SIM_URL_MAX ||
      (strncmp(p->url, "http://", 7) != 0 &&
       strncmp(p->url, "https://", 8) != 0)) {
    snprintf(err, n, "push url must be an http:// or https:// URL");
    return -1;
  }
  p->callback = cb ? sim_json_str(o, "callback_url") : p->url;
  p->sign = !sign || strcmp(sign, "good") == 0 ? SIM_SIGN_GOOD
            : strcmp(sign, "bad") == 0         ? SIM_SIGN_BAD
            : strcmp(sign, "none") == 0        ? SIM_SIGN_NONE
                                               : -1;
  if (!p->callback || p->sign < 0 || (sim_order_get(o, "sign") && !sign) ||
      (body && !cJSON_IsString(body))) {
    snprintf(err, n, "callback_url and body must be strings, sign good, bad "
                     "or none");
    return -1;
  }
  p->body = body ? body->valuestring : NULL;
  return sim_ctl_int(o, "timestamp", 0, SIM_ORDER_TIME_MAX, now, &p->ts, err,
                     n);
}

/* Appends the push for order `o` (or the given body) to resp->pushes. */
static int sim_push_add(const struct sim_order_ops *ops, const char *shop,
                        const struct sim_order *o,
                        const struct sim_push_opts *p, struct sim_resp *resp,
                        size_t *cap) {
  struct sim_push *q;
  size_t len = 0;
  char *body;

  if (sim_grow((void **)&resp->pushes, cap, resp->npushes + 1, sizeof *q))
    return -1;
  if (p->body) {
    body = strdup(p->body);
    len = body ? strlen(body) : 0;
  } else {
    body = ops->push_body(o, p->ts, &len);
  }
  q = &resp->pushes[resp->npushes];
  memset(q, 0, sizeof *q);
  q->body = body;
  q->len = len;
  q->url = strdup(p->url);
  if (!body || !q->url ||
      (p->sign != SIM_SIGN_NONE &&
       sim_order_push_sign(ops, shop, p->callback, body, len,
                           p->sign == SIM_SIGN_BAD, q->auth))) {
    free(q->url);
    free(q->body);
    return -1;
  }
  resp->npushes++;
  return 0;
}

/* Hands the answer to the core, which pushes and then answers. */
static void sim_order_pend(struct sim_resp *resp, cJSON *answer, int one) {
  resp->pending = answer ? answer : cJSON_CreateObject();
  resp->push_one = one;
}

/* ------------------------------------------------------ control calls -- */

/* An id clashes with a stored order or an earlier one of the batch. */
static int sim_order_id_taken(const struct sim_orders *st,
                              const struct sim_order *b, size_t k,
                              const char *shop, const char *id) {
  size_t i;

  for (i = 0; i < k; i++)
    if (strcmp(b[i].id, id) == 0)
      return 1;
  return sim_order_find(st, shop, id) != NULL;
}

/* Reads and checks every order before any is stored: all or nothing. */
static int sim_order_batch_read(const struct sim_order_ops *ops,
                                const cJSON *list, const char *shop,
                                int64_t now, struct sim_order *b, size_t *k,
                                char *err, size_t n) {
  const cJSON *e;

  cJSON_ArrayForEach(e, list) {
    struct sim_order *o = &b[(*k)++];

    if (sim_order_read(ops, e, shop, now, o, err, n))
      return -1;
    if (o->id[0] && sim_order_id_taken(ops->store, b, *k - 1, shop, o->id)) {
      snprintf(err, n, "order %s already exists", o->id);
      return -1;
    }
    ops->store->given_ids |= o->id[0] != '\0';
  }
  return 0;
}

/* Another order of the batch or a stored one has b[self]'s id. */
static int sim_order_id_clash(const struct sim_orders *st,
                              const struct sim_order *b, size_t k,
                              size_t self) {
  size_t j;

  for (j = 0; j < k; j++)
    if (j != self && strcmp(b[j].id, b[self].id) == 0)
      return 1;
  return sim_order_find(st, b[self].shop, b[self].id) != NULL;
}

/* Generated ids, and per-unit ids for the order items. Counter ids only
 * need checking once a test has chosen ids of its own. */
static void sim_order_batch_ids(const struct sim_order_ops *ops,
                                struct sim_order *b, size_t k, int64_t now) {
  struct sim_orders *st = ops->store;
  size_t i;

  if (!st->next_unit)
    st->next_unit = ops->first_unit;
  for (i = 0; i < k; i++) {
    if (!b[i].id[0]) {
      do
        ops->new_id(++st->seq, now, b[i].id, sizeof b[i].id);
      while (st->given_ids && sim_order_id_clash(st, b, k, i));
    }
    b[i].unit_base = st->next_unit;
    st->next_unit += sim_order_units(&b[i]);
  }
}

static void sim_orders_ctl_add(const struct sim_order_ops *ops,
                               const struct sim_req *req,
                               struct sim_resp *resp) {
  struct sim_orders *st = ops->store;
  const cJSON *list = sim_order_get(req->json, "orders");
  const cJSON *push = sim_order_get(req->json, "push");
  int64_t now = req->now_ms / 1000;
  struct sim_order *b = NULL;
  struct sim_push_opts po;
  size_t k = 0, i, n0 = st->n, cap = 0;
  char shop[SIM_SHOP_MAX + 1], err[SIM_ORDER_ERRTXT] = "";
  cJSON *out, *ids;

  memset(&po, 0, sizeof po);
  if (sim_order_shop_key(ops, sim_order_get(req->json, "shop"), shop,
                         sizeof shop, err, sizeof err) ||
      (push && (!cJSON_IsObject(push) ||
                sim_push_opts_read(push, now, &po, err, sizeof err))))
    goto fail;
  if (!cJSON_IsArray(list) ||
      cJSON_GetArraySize(list) > SIM_ORDERS_PER_CALL) {
    snprintf(err, sizeof err, "orders must be an array of at most %d",
             SIM_ORDERS_PER_CALL);
    goto fail;
  }
  b = calloc((size_t)cJSON_GetArraySize(list) + 1, sizeof *b);
  if (!b ||
      sim_order_batch_read(ops, list, shop, now, b, &k, err, sizeof err) ||
      sim_grow((void **)&st->v, &st->cap, st->n + k, sizeof *st->v)) {
    if (!b || !err[0])
      snprintf(err, sizeof err, "out of memory");
    goto fail;
  }
  sim_order_batch_ids(ops, b, k, now);
  memcpy(st->v + st->n, b, k * sizeof *b);
  st->n += k;
  free(b);
  out = cJSON_CreateObject();
  ids = cJSON_AddArrayToObject(out, "ids");
  for (i = n0; i < st->n; i++) {
    size_t l;

    for (l = 0; l < st->v[i].nlines; l++)
      ops->sold(shop, st->v[i].lines[l].sku, st->v[i].lines[l].qty);
    cJSON_AddItemToArray(ids, cJSON_CreateString(st->v[i].id));
    if (push)
      sim_push_add(ops, shop, &st->v[i], &po, resp, &cap);
  }
  if (push)
    sim_order_pend(resp, out, 0);
  else
    sim_ctl_ok(resp, out);
  return;
fail:
  for (i = 0; i < k; i++)
    sim_order_free(&b[i]);
  free(b);
  sim_ctl_error(resp, 400, "%s", err);
}

/* The order the body's shop and `idname` name, or NULL after answering. */
static struct sim_order *sim_orders_ctl_arg(const struct sim_order_ops *ops,
                                            const struct sim_req *req,
                                            const char *idname, char *shop,
                                            struct sim_resp *resp) {
  char id[SIM_ORDER_ID_MAX + 1], err[SIM_ORDER_ERRTXT];
  struct sim_order *o;

  if (sim_order_shop_key(ops, sim_order_get(req->json, "shop"), shop,
                         SIM_SHOP_MAX + 1, err, sizeof err)) {
    sim_ctl_error(resp, 400, "%s", err);
    return NULL;
  }
  if (sim_order_id_arg(sim_order_get(req->json, idname), id, sizeof id)) {
    sim_ctl_error(resp, 400, "%s must name an order", idname);
    return NULL;
  }
  o = sim_order_find(ops->store, shop, id);
  if (!o)
    sim_ctl_error(resp, 404, "no order %s in shop %s", id, shop);
  return o;
}

static void sim_orders_ctl_status(const struct sim_order_ops *ops,
                                  const struct sim_req *req,
                                  struct sim_resp *resp) {
  const cJSON *push = sim_order_get(req->json, "push");
  char shop[SIM_SHOP_MAX + 1], status[SIM_ORDER_STATUS_MAX + 1];
  char err[SIM_ORDER_ERRTXT];
  struct sim_push_opts po;
  struct sim_order *o;
  int64_t t;
  size_t cap = 0;
  cJSON *out;

  memset(&po, 0, sizeof po);
  if (!(o = sim_orders_ctl_arg(ops, req, "id", shop, resp)))
    return;
  if (sim_order_status_arg(req->json, status, err, sizeof err) ||
      sim_ctl_int(req->json, "update_time", 0, SIM_ORDER_TIME_MAX,
                  req->now_ms / 1000, &t, err, sizeof err) ||
      (push &&
       (!cJSON_IsObject(push) ||
        sim_push_opts_read(push, req->now_ms / 1000, &po, err, sizeof err)))) {
    sim_ctl_error(resp, 400, "%s", err);
    return;
  }
  /* Time only moves forward, so a poll by update_time always sees it. */
  if (t <= o->update_time)
    t = o->update_time + 1;
  o->update_time = t;
  snprintf(o->status, sizeof o->status, "%s", status);
  out = cJSON_CreateObject();
  sim_json_add_int(out, "update_time", t);
  if (!push) {
    sim_ctl_ok(resp, out);
    return;
  }
  sim_push_add(ops, shop, o, &po, resp, &cap);
  sim_order_pend(resp, out, 0);
}

static void sim_orders_ctl_push(const struct sim_order_ops *ops,
                                const struct sim_req *req,
                                struct sim_resp *resp) {
  char shop[SIM_SHOP_MAX + 1], err[SIM_ORDER_ERRTXT];
  struct sim_order *o = NULL;
  struct sim_push_opts po;
  size_t cap = 0;

  if (sim_push_opts_read(req->json, req->now_ms / 1000, &po, err,
                         sizeof err)) {
    sim_ctl_error(resp, 400, "%s", err);
    return;
  }
  if (sim_order_get(req->json, "order_id") || !po.body) {
    if (!(o = sim_orders_ctl_arg(ops, req, "order_id", shop, resp)))
      return;
  } else if (sim_order_shop_key(ops, sim_order_get(req->json, "shop"), shop,
                                sizeof shop, err, sizeof err)) {
    sim_ctl_error(resp, 400, "%s", err);
    return;
  }
  if (sim_push_add(ops, shop, o, &po, resp, &cap)) {
    sim_ctl_error(resp, 500, "cannot build the push (no signing key?)");
    return;
  }
  sim_order_pend(resp, NULL, 1);
}

static cJSON *sim_order_ctl_json(const struct sim_order *o) {
  cJSON *e = sim_order_head_json(o), *lines;
  size_t i;

  cJSON_AddBoolToObject(e, "malformed", o->malformed);
  lines = cJSON_AddArrayToObject(e, "lines");
  for (i = 0; i < o->nlines; i++) {
    cJSON *l = cJSON_CreateObject();

    cJSON_AddStringToObject(l, "sku", o->lines[i].sku);
    sim_json_add_int(l, "qty", o->lines[i].qty);
    sim_json_add_int(l, "price", o->lines[i].price);
    sim_json_push(lines, l);
  }
  return e;
}

static void sim_orders_ctl_list(const struct sim_order_ops *ops,
                                const struct sim_req *req,
                                struct sim_resp *resp) {
  const char *qs = sim_query(req, "shop");
  struct sim_order_query q = {NULL, 0, 0, INT64_MAX, 1, NULL};
  char shop[SIM_SHOP_MAX + 1], err[SIM_ORDER_ERRTXT];
  cJSON *sv = qs ? cJSON_CreateString(qs) : NULL, *out, *list;
  struct sim_order **v;
  size_t n, i;
  int rc = sim_order_shop_key(ops, sv, shop, sizeof shop, err, sizeof err);

  cJSON_Delete(sv);
  if (rc) {
    sim_ctl_error(resp, 400, "?shop=: %s", err);
    return;
  }
  q.shop = shop;
  if (sim_orders_select(ops->store, &q, &v, &n)) {
    sim_ctl_error(resp, 500, "out of memory");
    return;
  }
  out = sim_ctl_listing("orders", &list);
  for (i = 0; i < n; i++)
    sim_json_push(list, sim_order_ctl_json(v[i]));
  free(v);
  sim_ctl_ok(resp, out);
}

int sim_orders_control(const struct sim_order_ops *ops, const char *sub,
                       const struct sim_req *req, struct sim_resp *resp) {
  static const struct {
    const char *sub, *method;
    void (*fn)(const struct sim_order_ops *ops, const struct sim_req *req,
               struct sim_resp *resp);
  } calls[] = {
      {"orders", "POST", sim_orders_ctl_add},
      {"orders", "GET", sim_orders_ctl_list},
      {"orders/status", "POST", sim_orders_ctl_status},
      {"push", "POST", sim_orders_ctl_push},
  };
  int known = 0;
  size_t i;

  for (i = 0; i < ARRAY_LEN(calls); i++) {
    if (strcmp(sub, calls[i].sub) != 0)
      continue;
    known = 1;
    if (strcmp(req->method, calls[i].method) != 0)
      continue;
    if (strcmp(calls[i].method, "POST") != 0 ||
        !sim_ctl_need_object(req, resp))
      calls[i].fn(ops, req, resp);
    return 1;
  }
  if (known)
    sim_ctl_error(resp, 405, "method not allowed");
  return known;
}

/* ------------------------------------------------------------ sending -- */

static size_t sim_push_sink(char *p, size_t size, size_t n, void *u) {
  return size * n; /* the receiver's answer body does not matter */
}

static struct curl_slist *sim_push_header_add(struct curl_slist *l,
                                              const char *h) {
  struct curl_slist *t = curl_slist_append(l, h);

  return t ? t : l;
}

/* POSTs one push; the HTTP status, or 0 when nothing answered. */
static int sim_push_send(const struct sim_push *p) {
  CURL *h = curl_easy_init();
  struct curl_slist *hd = NULL;
  char auth[96];
  long code = 0;

  if (!h)
    return 0;
  hd = sim_push_header_add(hd, "Content-Type: application/json");
  hd = sim_push_header_add(hd, "Expect:"); /* no 100-continue round trip */
  if (p->auth[0]) {
    snprintf(auth, sizeof auth, "Authorization: %s", p->auth);
    hd = sim_push_header_add(hd, auth);
  }
  curl_easy_setopt(h, CURLOPT_URL, p->url);
  curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(h, CURLOPT_POST, 1L);
  curl_easy_setopt(h, CURLOPT_POSTFIELDS, p->body);
  curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)p->len);
  curl_easy_setopt(h, CURLOPT_HTTPHEADER, hd);
  curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, SIM_PUSH_TIMEOUT_MS);
  curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sim_push_sink);
  if (curl_easy_perform(h) == CURLE_OK)
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code);
  curl_slist_free_all(hd);
  curl_easy_cleanup(h);
  return (int)code;
}

static void sim_push_free_all(struct sim_resp *resp) {
  while (resp->npushes > 0) {
    struct sim_push *p = &resp->pushes[--resp->npushes];

    free(p->url), free(p->body);
  }
  free(resp->pushes);
  resp->pushes = NULL;
}

void sim_push_finish(struct sim_resp *resp) {
  cJSON *o = resp->pending, *st;
  size_t i;

  resp->pending = NULL;
  for (i = 0; i < resp->npushes; i++)
    resp->pushes[i].status = sim_push_send(&resp->pushes[i]);
  if (resp->push_one && resp->npushes == 1) {
    sim_json_add_int(o, "status", resp->pushes[0].status);
    cJSON_AddStringToObject(o, "sent", resp->pushes[0].body);
  } else {
    st = cJSON_AddArrayToObject(o, "push_status");
    for (i = 0; i < resp->npushes; i++)
      sim_json_push_int(st, resp->pushes[i].status);
  }
  sim_push_free_all(resp);
  sim_ctl_ok(resp, o);
}

int sim_push_init(void) {
  return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK ? 0 : -1;
}

void sim_push_cleanup(void) { curl_global_cleanup(); }
