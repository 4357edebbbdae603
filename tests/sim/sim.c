/*
 * sim.c — ocopsim, the marketplace simulator: command line, HTTP server,
 * routing, control API, call log, fault injection and the state mutex.
 *
 * libmicrohttpd runs a thread per connection so that a "slow" fault, which
 * sleeps in its handler, never holds up other requests. All state (the
 * marketplaces', the call log, fault rules, statistics) sits behind one
 * mutex; nothing sleeps while holding it.
 */
#include "sim.h"

#include <arpa/inet.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <microhttpd.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

#include "sim_ctl.h"
#include "sim_json.h"
#include "sim_lazada.h"
#include "sim_orders.h"
#include "sim_shopee.h"
#include "sim_tiktok.h"

#define SIM_SEED_MAX (16 * 1024 * 1024) /* seed file size limit */
#define SIM_CONN_MAX 512u               /* concurrent connections */
#define SIM_CONN_MEM                                                           \
  ((size_t)64 * 1024) /* per connection: bounds URL+headers */
#define SIM_FAULTS_MAX 1000
#define SIM_PATHS_MAX 256 /* distinct paths counted in /_sim/stats */
#define SIM_DELAY_MAX 600000
#define SIM_OVERSIZE_DEF (2 * 1024 * 1024)
#define SIM_OVERSIZE_MAX (64 * 1024 * 1024)
#define SIM_STATUS_MAX 600
#define SIM_HOOKS_MAX 100 /* pushes the /_sim/hook sink keeps */

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

/* Adding a marketplace: one more entry here and its file in local.mk. */
static const struct sim_market *const sim_markets[] = {
    &sim_shopee_market, &sim_lazada_market, &sim_tiktok_market};

static pthread_mutex_t sim_lock = PTHREAD_MUTEX_INITIALIZER;
static atomic_int sim_stopping;
static int sim_quiet;
static char sim_reqid_prefix[17];
static _Atomic uint64_t sim_reqid_seq;
static cJSON *sim_seed_doc; /* the --seed file, for reset {"seed":true} */
int sim_legacy;

/* ---------------------------------------------------------- utilities -- */

int64_t sim_now_ms(void) {
  struct timespec ts;

  clock_gettime(CLOCK_REALTIME, &ts);
  return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

int sim_random_hex(char *out, size_t nbytes) {
  static const char hexd[] = "0123456789abcdef";
  unsigned char buf[64];
  size_t i;

  if (nbytes > sizeof buf || RAND_bytes(buf, (int)nbytes) != 1)
    return -1;
  for (i = 0; i < nbytes; i++) {
    out[2 * i] = hexd[buf[i] >> 4];
    out[2 * i + 1] = hexd[buf[i] & 15];
  }
  out[2 * nbytes] = '\0';
  return 0;
}

/* A random prefix per run plus a counter: unique without a lock. */
void sim_request_id(char *out) {
  uint64_t n = atomic_fetch_add(&sim_reqid_seq, 1) + 1;

  snprintf(out, SIM_REQID_LEN + 1, "%.16s%016" PRIx64, sim_reqid_prefix, n);
}

static void sim_request_id_init(void) {
  if (sim_random_hex(sim_reqid_prefix, 8))
    snprintf(sim_reqid_prefix, sizeof sim_reqid_prefix, "%08x%08x",
             (unsigned)getpid(), (unsigned)time(NULL));
}

const char *sim_query(const struct sim_req *req, const char *key) {
  if (!req->conn)
    return NULL;
  return MHD_lookup_connection_value(req->conn, MHD_GET_ARGUMENT_KIND, key);
}

const char *sim_header(const struct sim_req *req, const char *name) {
  if (!req->conn)
    return NULL;
  return MHD_lookup_connection_value(req->conn, MHD_HEADER_KIND, name);
}

int sim_grow(void **arr, size_t *cap, size_t n, size_t size) {
  size_t c = *cap ? *cap : 16;
  void *p;

  if (n <= *cap)
    return 0;
  while (c < n) {
    if (c > SIZE_MAX / 2)
      return -1;
    c *= 2;
  }
  if (c > SIZE_MAX / size)
    return -1;
  p = realloc(*arr, c * size);
  if (!p)
    return -1;
  *arr = p;
  *cap = c;
  return 0;
}

/* ------------------------------------------------- request parameters -- */

static int sim_params_push(struct sim_params *p, const char *k, size_t kl,
                           const char *v, size_t vl) {
  struct sim_param *e;

  if (p->n >= SIM_PARAMS_MAX ||
      sim_grow((void **)&p->v, &p->cap, p->n + 1, sizeof *p->v))
    return -1;
  e = &p->v[p->n];
  e->key = strndup(k, kl);
  e->val = strndup(v, vl);
  if (!e->key || !e->val) {
    free(e->key);
    free(e->val);
    return -1;
  }
  p->n++;
  return 0;
}

struct sim_params_ctx {
  struct sim_params *p;
  int failed;
};

static enum MHD_Result sim_params_cb(void *cls, enum MHD_ValueKind kind,
                                     const char *key, const char *value) {
  struct sim_params_ctx *c = cls;

  if (!value)
    value = "";
  if (sim_params_push(c->p, key, strlen(key), value, strlen(value)))
    c->failed = 1;
  return MHD_YES;
}

int sim_params_query(const struct sim_req *req, struct sim_params *p) {
  struct sim_params_ctx c = {p, 0};

  if (req->conn)
    MHD_get_connection_values(req->conn, MHD_GET_ARGUMENT_KIND, sim_params_cb,
                              &c);
  return c.failed ? -1 : 0;
}

static int sim_hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Decodes s[0..n) into a malloc'd buffer; NULL on a bad escape or %00. */
static char *sim_form_decode(const char *s, size_t n, size_t *out_len) {
  char *d = malloc(n + 1);
  size_t i, j = 0;

  if (!d)
    return NULL;
  for (i = 0; i < n; i++) {
    if (s[i] == '+') {
      d[j++] = ' ';
    } else if (s[i] == '%') {
      int hi = i + 2 < n ? sim_hexval(s[i + 1]) : -1;
      int lo = i + 2 < n ? sim_hexval(s[i + 2]) : -1;

      if (hi < 0 || lo < 0 || (hi == 0 && lo == 0)) {
        free(d);
        return NULL;
      }
      d[j++] = (char)(hi * 16 + lo);
      i += 2;
    } else {
      d[j++] = s[i];
    }
  }
  d[j] = '\0';
  *out_len = j;
  return d;
}

int sim_params_form(const char *body, size_t len, struct sim_params *p) {
  size_t i = 0;

  while (i < len) {
    size_t end = i, eq;
    char *k, *v;
    size_t kl, vl;
    int rc;

    while (end < len && body[end] != '&')
      end++;
    if (end > i) {
      for (eq = i; eq < end && body[eq] != '='; eq++)
        ;
      k = sim_form_decode(body + i, eq - i, &kl);
      v = sim_form_decode(body + (eq < end ? eq + 1 : end),
                          eq < end ? end - eq - 1 : 0, &vl);
      rc = k && v && memchr(body + i, '\0', end - i) == NULL
               ? sim_params_push(p, k, kl, v, vl)
               : -1;
      free(k);
      free(v);
      if (rc)
        return -1;
    }
    i = end + 1;
  }
  return 0;
}

const char *sim_params_get(const struct sim_params *p, const char *key) {
  size_t i;

  for (i = 0; i < p->n; i++)
    if (strcmp(p->v[i].key, key) == 0)
      return p->v[i].val;
  return NULL;
}

int sim_params_has_dup(const struct sim_params *p) {
  size_t i, j;

  for (i = 0; i < p->n; i++)
    for (j = i + 1; j < p->n; j++)
      if (strcmp(p->v[i].key, p->v[j].key) == 0)
        return 1;
  return 0;
}

/* Insertion sort: stable, and parameter lists are short. */
void sim_params_sort(struct sim_params *p) {
  size_t i, j;

  for (i = 1; i < p->n; i++) {
    struct sim_param t = p->v[i];

    for (j = i; j > 0 && strcmp(p->v[j - 1].key, t.key) > 0; j--)
      p->v[j] = p->v[j - 1];
    p->v[j] = t;
  }
}

void sim_params_free(struct sim_params *p) {
  size_t i;

  for (i = 0; i < p->n; i++) {
    free(p->v[i].key);
    free(p->v[i].val);
  }
  free(p->v);
  p->v = NULL;
  p->n = p->cap = 0;
}

int sim_hmac_hex(const char *key, const void *msg, size_t len, int upper,
                 char *out) {
  const char *hexd = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0, k;

  if (!HMAC(EVP_sha256(), key, (int)strlen(key), msg, len, md, &mdlen) ||
      mdlen != 32)
    return -1;
  for (k = 0; k < mdlen; k++) {
    out[2 * k] = hexd[md[k] >> 4];
    out[2 * k + 1] = hexd[md[k] & 15];
  }
  out[64] = '\0';
  return 0;
}

int sim_sign_equal(const char *want, const char *got) {
  return got && strlen(got) == 64 && CRYPTO_memcmp(want, got, 64) == 0;
}

static void sim_resp_set(struct sim_resp *resp, int status, char *body,
                         size_t len) {
  free(resp->body);
  resp->status = status;
  resp->body = body;
  resp->len = body ? len : 0;
}

/* Bodies are freed with free() by libmicrohttpd; cJSON's printer uses
 * malloc() because no other hooks are installed. */
void sim_resp_json(struct sim_resp *resp, int status, cJSON *root) {
  static const char oom[] =
      "{\"error\":\"error_inner\",\"message\":\"out of memory\"}";
  size_t len = 0;
  char *s = root ? sim_json_print(root, &len) : NULL;

  cJSON_Delete(root);
  if (!s) {
    s = strdup(oom);
    len = sizeof oom - 1;
    status = 500;
  }
  sim_resp_set(resp, status, s, len);
}

/* Sleeps in short steps so that shutdown does not wait for a long fault. */
static void sim_sleep_ms(int64_t ms) {
  while (ms > 0 && !atomic_load(&sim_stopping)) {
    long step = ms < 50 ? (long)ms : 50;
    struct timespec ts = {0, step * 1000000L};

    nanosleep(&ts, NULL);
    ms -= step;
  }
}

static int sim_market_index(const char *name) {
  size_t i;

  for (i = 0; i < ARRAY_LEN(sim_markets); i++)
    if (strcmp(sim_markets[i]->name, name) == 0)
      return (int)i;
  return -1;
}

/* A decimal query value or `def`; -1 when present and malformed. */
static int sim_query_u64(const struct sim_req *req, const char *key,
                         uint64_t def, uint64_t *out) {
  const char *s = sim_query(req, key);
  char *end;

  *out = def;
  if (!s || !*s)
    return 0;
  if (s[0] < '0' || s[0] > '9' || strlen(s) > 19)
    return -1;
  *out = strtoull(s, &end, 10);
  return *end ? -1 : 0;
}

/* ----------------------------------------------------------- call log -- */

struct sim_call {
  uint64_t seq;
  int64_t ts_ms, arrived_ms, shop_id;
  int64_t *ids; /* item ids named by the call */
  int nids;
  short market, status; /* status 0: connection dropped */
  signed char fault;    /* fault kind, -1 for none */
  char method[8];
  char *path, *sku, *shop;
  char error[SIM_ERR_MAX];
  int ids_as_text;
};

/* A ring of the last SIM_CALLS_MAX calls; `start` is the oldest once full.
 * Sequence numbers keep counting across resets so `since` stays valid. */
static struct {
  struct sim_call *ring;
  size_t cap, count, start;
  uint64_t last_seq;
} sim_log;

static struct {
  uint64_t requests, control, faults;
  uint64_t by_status[SIM_STATUS_MAX];
  struct sim_path_count {
    char *path;
    uint64_t n;
  } * paths;
  size_t npaths, cap;
} sim_stats;

static void sim_call_free(struct sim_call *e) {
  free(e->ids);
  free(e->path);
  free(e->sku);
  free(e->shop);
}

static struct sim_call *sim_log_slot(void) {
  struct sim_call *e;

  if (sim_log.count < SIM_CALLS_MAX) {
    if (sim_grow((void **)&sim_log.ring, &sim_log.cap, sim_log.count + 1,
                 sizeof *sim_log.ring))
      return NULL;
    e = &sim_log.ring[sim_log.count++];
  } else {
    e = &sim_log.ring[sim_log.start];
    sim_call_free(e);
    sim_log.start = (sim_log.start + 1) % SIM_CALLS_MAX;
  }
  memset(e, 0, sizeof *e);
  return e;
}

static void sim_log_clear(void) {
  size_t i;

  for (i = 0; i < sim_log.count; i++)
    sim_call_free(&sim_log.ring[i]);
  free(sim_log.ring);
  sim_log.ring = NULL;
  sim_log.cap = sim_log.count = sim_log.start = 0;
}

static void sim_stats_clear(void) {
  size_t i;

  for (i = 0; i < sim_stats.npaths; i++)
    free(sim_stats.paths[i].path);
  free(sim_stats.paths);
  memset(&sim_stats, 0, sizeof sim_stats);
}

/* Counts per path, with a bounded table: unknown paths come from clients. */
static void sim_stats_path(const char *path) {
  struct sim_path_count *p;
  size_t i;

  for (i = 0; i < sim_stats.npaths; i++)
    if (strcmp(sim_stats.paths[i].path, path) == 0) {
      sim_stats.paths[i].n++;
      return;
    }
  if (sim_stats.npaths >= SIM_PATHS_MAX) {
    if (strcmp(path, "(other)") != 0)
      sim_stats_path("(other)");
    return;
  }
  if (sim_grow((void **)&sim_stats.paths, &sim_stats.cap, sim_stats.npaths + 1,
               sizeof *sim_stats.paths))
    return;
  p = &sim_stats.paths[sim_stats.npaths];
  p->path = strdup(path);
  if (!p->path)
    return;
  p->n = 1;
  sim_stats.npaths++;
}

static void sim_log_fill(struct sim_call *e, const struct sim_call_info *info) {
  e->shop_id = info->shop_id;
  if (info->nitems > 0) {
    e->ids = malloc((size_t)info->nitems * sizeof *e->ids);
    if (e->ids) {
      memcpy(e->ids, info->item_ids, (size_t)info->nitems * sizeof *e->ids);
      e->nids = info->nitems;
    }
  }
  if (info->has_sku)
    e->sku = strdup(info->sku);
  if (info->shop[0])
    e->shop = strdup(info->shop);
  e->ids_as_text = info->ids_as_text;
  snprintf(e->error, sizeof e->error, "%s", info->error);
}

static void sim_log_call(int market, const struct sim_req *req,
                         const struct sim_resp *resp,
                         const struct sim_call_info *info, int fault) {
  int status = resp->drop ? 0 : resp->status;
  struct sim_call *e = sim_log_slot();

  sim_stats.requests++;
  if (status >= 0 && status < SIM_STATUS_MAX)
    sim_stats.by_status[status]++;
  sim_stats_path(req->path);
  if (fault >= 0)
    sim_stats.faults++;
  if (!e)
    return;
  e->seq = ++sim_log.last_seq;
  e->ts_ms = req->now_ms;
  e->arrived_ms = req->arrived_ms;
  e->market = (short)market;
  e->status = (short)status;
  e->fault = (signed char)fault;
  snprintf(e->method, sizeof e->method, "%s", req->method);
  e->path = strdup(req->path);
  sim_log_fill(e, info);
}

/* ------------------------------------------------------------- faults -- */

enum sim_fault_kind {
  SIM_F_STATUS,
  SIM_F_ERROR,
  SIM_F_SLOW,
  SIM_F_MALFORMED,
  SIM_F_OVERSIZE,
  SIM_F_APPLY_FAIL,
  SIM_F_KINDS
};

static const char *const sim_fault_names[SIM_F_KINDS] = {
    "status", "error", "slow", "malformed", "oversize", "apply_then_fail"};

struct sim_fault {
  uint64_t id, fired;
  int market, kind;
  char *path;      /* NULL: any path of the marketplace */
  char not_path[128]; /* "": no path spared */
  int64_t shop_id; /* 0: any shop */
  char *shop;      /* NULL: any shop named by text */
  int64_t count;   /* firings left; -1 forever */
  int64_t percent; /* chance that a matching call fires it; 100: every one */
  int status, retry_after, drop;
  int64_t delay_ms;
  size_t size;
  char error[SIM_ERR_MAX];
  char message[256];
};

static struct {
  struct sim_fault *v;
  size_t n, cap;
  uint64_t next_id;
} sim_faults;

static void sim_faults_clear(void) {
  size_t i;

  for (i = 0; i < sim_faults.n; i++) {
    free(sim_faults.v[i].path);
    free(sim_faults.v[i].shop);
  }
  free(sim_faults.v);
  sim_faults.v = NULL;
  sim_faults.n = sim_faults.cap = 0;
}

static void sim_fault_remove(size_t i) {
  free(sim_faults.v[i].path);
  free(sim_faults.v[i].shop);
  memmove(&sim_faults.v[i], &sim_faults.v[i + 1],
          (sim_faults.n - i - 1) * sizeof *sim_faults.v);
  sim_faults.n--;
}

/* 1 with the given chance in percent (xorshift; called under the state's
 * mutex, like every fault function). */
static int sim_chance(int64_t percent) {
  static uint64_t x = 0x9E3779B97F4A7C15u;

  if (percent >= 100)
    return 1;
  x ^= x << 13;
  x ^= x >> 7;
  x ^= x << 17;
  return (int64_t)(x % 100) < percent;
}

/* Takes one firing of the first matching rule that fires (a rule with a
 * percent may let the call pass to the next rule); 1 and a copy when
 * fired. */
static int sim_fault_take(int market, const char *path, int64_t shop_id,
                          const char *shop, struct sim_fault *out) {
  size_t i;

  for (i = 0; i < sim_faults.n; i++) {
    struct sim_fault *f = &sim_faults.v[i];

    if (f->market != market || (f->path && strcmp(f->path, path) != 0) ||
        (f->not_path[0] && strcmp(f->not_path, path) == 0) ||
        (f->shop_id && f->shop_id != shop_id) ||
        (f->shop && strcmp(f->shop, shop) != 0) || !sim_chance(f->percent))
      continue;
    f->fired++;
    *out = *f;
    out->path = NULL; /* the copy must not share the rule's memory */
    out->shop = NULL;
    if (f->count > 0 && --f->count == 0)
      sim_fault_remove(i);
    return 1;
  }
  return 0;
}

/* An optional integer member in [min, max], `def` when absent. */
static int sim_opt_int(const cJSON *o, const char *name, int64_t def,
                       int64_t min, int64_t max, int64_t *out, char *err,
                       size_t n) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);
  int64_t x;

  *out = def;
  if (!v)
    return 0;
  if (sim_json_int(v, &x) || x < min || x > max) {
    snprintf(err, n, "%s must be an integer from %" PRId64 " to %" PRId64, name,
             min, max);
    return -1;
  }
  *out = x;
  return 0;
}

/* An optional string member copied into buf; -1 when not a fitting string. */
static int sim_opt_str(const cJSON *o, const char *name, char *buf, size_t size,
                       char *err, size_t n) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, name);

  if (!v)
    return 0;
  if (!cJSON_IsString(v) || strlen(v->valuestring) >= size) {
    snprintf(err, n, "%s must be a string shorter than %zu bytes", name, size);
    return -1;
  }
  snprintf(buf, size, "%s", v->valuestring);
  return 0;
}

static int sim_fault_where(const cJSON *o, struct sim_fault *f, char *err,
                           size_t n) {
  const char *mk = sim_json_str(o, "marketplace");
  const char *kind = sim_json_str(o, "kind");
  const cJSON *path = cJSON_GetObjectItemCaseSensitive(o, "path");
  int64_t shop;

  f->market = mk ? sim_market_index(mk) : -1;
  if (f->market < 0) {
    snprintf(err, n, "marketplace must name a simulated marketplace");
    return -1;
  }
  for (f->kind = 0; f->kind < SIM_F_KINDS; f->kind++)
    if (kind && strcmp(kind, sim_fault_names[f->kind]) == 0)
      break;
  if (f->kind == SIM_F_KINDS) {
    snprintf(err, n,
             "kind must be status, error, slow, malformed, oversize "
             "or apply_then_fail");
    return -1;
  }
  if (path && (!cJSON_IsString(path) || path->valuestring[0] != '/' ||
               strlen(path->valuestring) > 512)) {
    snprintf(err, n, "path must be an absolute path");
    return -1;
  }
  if (sim_opt_int(o, "shop_id", 0, 1, SIM_JSON_INT_MAX, &shop, err, n))
    return -1;
  f->shop_id = shop;
  return 0;
}

static int sim_fault_what(const cJSON *o, struct sim_fault *f, char *err,
                          size_t n) {
  int64_t def_status = f->kind == SIM_F_APPLY_FAIL ? 504 : -1, v;
  const cJSON *drop = cJSON_GetObjectItemCaseSensitive(o, "drop");

  snprintf(f->message, sizeof f->message, "injected fault");
  if (sim_opt_int(o, "count", 1, -1, INT32_MAX, &f->count, err, n) ||
      sim_opt_int(o, "percent", 100, 1, 100, &f->percent, err, n) ||
      sim_opt_int(o, "status", def_status, 200, 599, &v, err, n))
    return -1;
  f->status = (int)v;
  if (sim_opt_int(o, "retry_after", -1, 0, 86400, &v, err, n))
    return -1;
  f->retry_after = (int)v;
  if (sim_opt_int(o, "delay_ms", 0, 0, SIM_DELAY_MAX, &f->delay_ms, err, n) ||
      sim_opt_int(o, "size", SIM_OVERSIZE_DEF, 64, SIM_OVERSIZE_MAX, &v, err,
                  n))
    return -1;
  f->size = (size_t)v;
  if (sim_opt_str(o, "not_path", f->not_path, sizeof f->not_path, err, n) ||
      sim_opt_str(o, "error", f->error, sizeof f->error, err, n) ||
      sim_opt_str(o, "message", f->message, sizeof f->message, err, n))
    return -1;
  f->drop = cJSON_IsTrue(drop);
  if (f->count == 0)
    snprintf(err, n, "count must be -1 (forever) or at least 1");
  else if (f->kind == SIM_F_STATUS && f->status < 0)
    snprintf(err, n, "kind status needs a status");
  else if (f->kind == SIM_F_ERROR && !f->error[0])
    snprintf(err, n, "kind error needs an error code");
  else
    return 0;
  return -1;
}

static void sim_api_fault_add(const struct sim_req *req,
                              struct sim_resp *resp) {
  struct sim_fault f;
  const cJSON *path = cJSON_GetObjectItemCaseSensitive(req->json, "path");
  const cJSON *shop = cJSON_GetObjectItemCaseSensitive(req->json, "shop");
  char err[256];
  cJSON *o;

  memset(&f, 0, sizeof f);
  if (sim_ctl_need_object(req, resp))
    return;
  if (sim_fault_where(req->json, &f, err, sizeof err) ||
      sim_fault_what(req->json, &f, err, sizeof err)) {
    sim_ctl_error(resp, 400, "%s", err);
    return;
  }
  if (shop && (!cJSON_IsString(shop) || !shop->valuestring[0] ||
               strlen(shop->valuestring) > SIM_SHOP_MAX)) {
    sim_ctl_error(resp, 400, "shop must be a non-empty string of at most %d "
                  "bytes", SIM_SHOP_MAX);
    return;
  }
  if (sim_faults.n >= SIM_FAULTS_MAX ||
      sim_grow((void **)&sim_faults.v, &sim_faults.cap, sim_faults.n + 1,
               sizeof *sim_faults.v) ||
      (path && !(f.path = strdup(path->valuestring))) ||
      (shop && !(f.shop = strdup(shop->valuestring)))) {
    free(f.path);
    sim_ctl_error(resp, 503, "too many fault rules");
    return;
  }
  f.id = ++sim_faults.next_id;
  sim_faults.v[sim_faults.n++] = f;
  o = cJSON_CreateObject();
  sim_json_add_int(o, "id", (int64_t)f.id);
  sim_ctl_ok(resp, o);
}

static void sim_api_fault_clear(const struct sim_req *req,
                                struct sim_resp *resp) {
  uint64_t id;
  size_t i;

  if (sim_query_u64(req, "id", 0, &id)) {
    sim_ctl_error(resp, 400, "id must be a number");
    return;
  }
  if (id == 0) {
    sim_faults_clear();
  } else {
    for (i = 0; i < sim_faults.n && sim_faults.v[i].id != id; i++)
      ;
    if (i == sim_faults.n) {
      sim_ctl_error(resp, 404, "no fault rule %" PRIu64, id);
      return;
    }
    sim_fault_remove(i);
  }
  sim_ctl_ok(resp, NULL);
}

static cJSON *sim_fault_json(const struct sim_fault *f) {
  cJSON *o = cJSON_CreateObject();

  sim_json_add_int(o, "id", (int64_t)f->id);
  cJSON_AddStringToObject(o, "marketplace", sim_markets[f->market]->name);
  if (f->path)
    cJSON_AddStringToObject(o, "path", f->path);
  if (f->not_path[0])
    cJSON_AddStringToObject(o, "not_path", f->not_path);
  if (f->shop_id)
    sim_json_add_int(o, "shop_id", f->shop_id);
  if (f->shop)
    cJSON_AddStringToObject(o, "shop", f->shop);
  cJSON_AddStringToObject(o, "kind", sim_fault_names[f->kind]);
  sim_json_add_int(o, "count", f->count);
  sim_json_add_int(o, "percent", f->percent);
  sim_json_add_int(o, "fired", (int64_t)f->fired);
  return o;
}

static void sim_api_fault_list(const struct sim_req *req,
                               struct sim_resp *resp) {
  cJSON *list, *o = sim_ctl_listing("faults", &list);
  size_t i;

  for (i = 0; i < sim_faults.n; i++)
    sim_json_push(list, sim_fault_json(&sim_faults.v[i]));
  sim_ctl_ok(resp, o);
}

/* ------------------------------------------------- injected responses -- */

/* A success envelope cut off mid-value, as a broken proxy might deliver
 * it. */
static void sim_resp_malformed(struct sim_resp *resp) {
  char rid[SIM_REQID_LEN + 1], buf[160];
  int len;

  sim_request_id(rid);
  len = snprintf(buf, sizeof buf,
                 "{\"error\":\"\",\"message\":\"\",\"warning\":\"\","
                 "\"request_id\":\"%s\",\"response\":{\"item_id\":8000",
                 rid);
  sim_resp_set(resp, 200, strdup(buf), (size_t)len);
}

/* A well-formed success envelope padded to exactly `size` bytes (or the
 * bare envelope when size is smaller), to test response size limits. */
static void sim_resp_oversize(struct sim_resp *resp, size_t size) {
  char rid[SIM_REQID_LEN + 1], head[160];
  static const char tail[] = "\"}}";
  size_t hl, pad;
  char *body;

  sim_request_id(rid);
  hl = (size_t)snprintf(head, sizeof head,
                        "{\"error\":\"\",\"message\":\"\",\"warning\":\"\","
                        "\"request_id\":\"%s\",\"response\":{\"padding\":\"",
                        rid);
  pad = size > hl + sizeof tail - 1 ? size - hl - (sizeof tail - 1) : 0;
  body = malloc(hl + pad + sizeof tail);
  if (!body) {
    sim_resp_set(resp, 500, NULL, 0);
    return;
  }
  memcpy(body, head, hl);
  memset(body + hl, 'x', pad);
  memcpy(body + hl + pad, tail, sizeof tail);
  sim_resp_set(resp, 200, body, hl + pad + sizeof tail - 1);
}

/* The marketplace's own error envelope with an HTTP status. */
static void sim_resp_market_error(const struct sim_market *m,
                                  struct sim_resp *resp, int status,
                                  const char *code, const char *message) {
  size_t len = 0;
  char *body = m->error_body(code, message, &len);

  sim_resp_set(resp, status, body, len);
}

/* ------------------------------------------------- marketplace calls -- */

static void sim_market_run(const struct sim_market *m, struct sim_req *req,
                           struct sim_resp *resp, struct sim_call_info *info) {
  pthread_mutex_lock(&sim_lock);
  req->now_ms = sim_now_ms(); /* a slow fault may have slept */
  m->handle(req, resp, info);
  pthread_mutex_unlock(&sim_lock);
}

/* An injected status or error: the marketplace never sees the call. */
static void sim_fault_answer(const struct sim_market *m,
                             const struct sim_fault *f, struct sim_resp *resp,
                             struct sim_call_info *info, int status) {
  if (f->error[0]) {
    sim_resp_market_error(m, resp, status, f->error, f->message);
    snprintf(info->error, sizeof info->error, "%s", f->error);
  } else {
    sim_resp_set(resp, status, NULL, 0);
  }
}

static void sim_fault_apply(const struct sim_market *m,
                            const struct sim_fault *f, struct sim_req *req,
                            struct sim_resp *resp, struct sim_call_info *info) {
  /* Retry-After belongs to the answers a fault makes up itself. */
  if (f->kind == SIM_F_STATUS || f->kind == SIM_F_ERROR ||
      f->kind == SIM_F_APPLY_FAIL)
    resp->retry_after = f->retry_after;
  switch (f->kind) {
  case SIM_F_STATUS:
    sim_fault_answer(m, f, resp, info, f->status);
    break;
  case SIM_F_ERROR:
    sim_fault_answer(m, f, resp, info, 200);
    break;
  case SIM_F_SLOW:
    sim_sleep_ms(f->delay_ms);
    sim_market_run(m, req, resp, info);
    break;
  case SIM_F_MALFORMED:
    sim_resp_malformed(resp);
    break;
  case SIM_F_OVERSIZE:
    sim_resp_oversize(resp, f->size);
    break;
  default: /* SIM_F_APPLY_FAIL: the change is made, the answer is lost */
    sim_market_run(m, req, resp, info);
    sim_resp_set(resp, f->status, NULL, 0);
    resp->drop = f->drop;
    if (!f->drop && f->error[0])
      sim_resp_market_error(m, resp, f->status, f->error, f->message);
    break;
  }
}

static void sim_print_call(const struct sim_market *m,
                           const struct sim_req *req,
                           const struct sim_resp *resp,
                           const struct sim_call_info *info, int fault) {
  char shop[SIM_SHOP_MAX + 24];

  if (sim_quiet)
    return;
  if (info->shop[0])
    snprintf(shop, sizeof shop, "%s", info->shop);
  else
    snprintf(shop, sizeof shop, "%" PRId64, info->shop_id);
  fprintf(stderr, "ocopsim: %s %s %s shop=%s -> %d%s%s%s%s\n", m->name,
          req->method, req->path, shop, resp->drop ? 0 : resp->status,
          info->error[0] ? " " : "", info->error, fault >= 0 ? " fault=" : "",
          fault >= 0 ? sim_fault_names[fault] : "");
}

static void sim_market_call(int mi, struct sim_req *req, struct sim_resp *resp,
                            int too_big) {
  const struct sim_market *m = sim_markets[mi];
  struct sim_call_info info;
  struct sim_fault f;
  int fault = -1;

  memset(&info, 0, sizeof info);
  pthread_mutex_lock(&sim_lock);
  m->describe(req, &info);
  if (!too_big && sim_fault_take(mi, req->path, info.shop_id, info.shop, &f))
    fault = f.kind;
  pthread_mutex_unlock(&sim_lock);

  if (too_big) {
    const char *code = m->param_error ? m->param_error : "error_param";

    sim_resp_market_error(m, resp, 413, code, "request body too large");
    snprintf(info.error, sizeof info.error, "%s", code);
  } else if (fault >= 0) {
    sim_fault_apply(m, &f, req, resp, &info);
  } else {
    sim_market_run(m, req, resp, &info);
  }

  pthread_mutex_lock(&sim_lock);
  sim_log_call(mi, req, resp, &info, fault);
  pthread_mutex_unlock(&sim_lock);
  sim_print_call(m, req, resp, &info, fault);
}

/* -------------------------------------------------------- control API -- */

static void sim_api_healthz(const struct sim_req *req, struct sim_resp *resp) {
  sim_ctl_ok(resp, NULL);
}

static void sim_add_opt_int(cJSON *o, const char *name, int64_t v, int has) {
  if (has)
    sim_json_add_int(o, name, v);
  else
    cJSON_AddNullToObject(o, name);
}

static void sim_add_opt_str(cJSON *o, const char *name, const char *v) {
  if (v)
    cJSON_AddStringToObject(o, name, v);
  else
    cJSON_AddNullToObject(o, name);
}

static cJSON *sim_call_json(const struct sim_call *e) {
  cJSON *o = cJSON_CreateObject(), *ids;
  char idbuf[24];
  int i;

  sim_json_add_int(o, "seq", (int64_t)e->seq);
  cJSON_AddStringToObject(o, "marketplace", sim_markets[e->market]->name);
  cJSON_AddStringToObject(o, "method", e->method);
  cJSON_AddStringToObject(o, "path", e->path ? e->path : "");
  sim_add_opt_int(o, "shop_id", e->shop_id, e->shop_id != 0);
  if (e->shop)
    cJSON_AddStringToObject(o, "shop", e->shop);
  if (e->ids_as_text && e->nids > 0) {
    snprintf(idbuf, sizeof idbuf, "%" PRId64, e->ids[0]);
    cJSON_AddStringToObject(o, "item_id", idbuf);
  } else {
    sim_add_opt_int(o, "item_id", e->nids ? e->ids[0] : 0, e->nids > 0);
  }
  if (e->nids > 1) {
    ids = cJSON_AddArrayToObject(o, "item_ids");
    for (i = 0; i < e->nids; i++) {
      if (e->ids_as_text) {
        cJSON *t;

        snprintf(idbuf, sizeof idbuf, "%" PRId64, e->ids[i]);
        t = cJSON_CreateString(idbuf);
        sim_json_push(ids, t);
      } else {
        sim_json_push_int(ids, e->ids[i]);
      }
    }
  }
  sim_add_opt_str(o, "item_sku", e->sku);
  sim_json_add_int(o, "http_status", e->status);
  cJSON_AddStringToObject(o, "error", e->error);
  sim_add_opt_str(o, "fault", e->fault >= 0 ? sim_fault_names[e->fault] : NULL);
  sim_json_add_int(o, "ts_ms", e->ts_ms);
  sim_json_add_int(o, "arrived_ms", e->arrived_ms);
  return o;
}

static void sim_api_calls(const struct sim_req *req, struct sim_resp *resp) {
  uint64_t since, limit, first, next, i, shown = 0;
  cJSON *o, *list;

  if (sim_query_u64(req, "since", 0, &since) ||
      sim_query_u64(req, "limit", SIM_CALLS_MAX, &limit) || limit == 0) {
    sim_ctl_error(resp, 400, "since and limit must be numbers, limit >= 1");
    return;
  }
  o = sim_ctl_listing("calls", &list);
  /* Sequence numbers are consecutive, so `since` maps to a ring index. */
  first =
      sim_log.count ? sim_log.ring[sim_log.start].seq : sim_log.last_seq + 1;
  next = since < sim_log.last_seq ? since : sim_log.last_seq;
  for (i = since >= first ? since - first + 1 : 0;
       i < sim_log.count && shown < limit; i++, shown++) {
    const struct sim_call *e =
        &sim_log.ring[(sim_log.start + i) % SIM_CALLS_MAX];
    cJSON *c = sim_call_json(e);

    sim_json_push(list, c);
    next = e->seq;
  }
  sim_json_add_int(o, "next", (int64_t)next);
  sim_ctl_ok(resp, o);
}

static void sim_api_stats(const struct sim_req *req, struct sim_resp *resp) {
  cJSON *o = cJSON_CreateObject(), *bp, *bs;
  char key[8];
  size_t i;

  sim_json_add_int(o, "requests", (int64_t)sim_stats.requests);
  sim_json_add_int(o, "control_requests", (int64_t)sim_stats.control);
  sim_json_add_int(o, "faults_fired", (int64_t)sim_stats.faults);
  bp = cJSON_AddObjectToObject(o, "by_path");
  for (i = 0; i < sim_stats.npaths; i++)
    sim_json_add_int(bp, sim_stats.paths[i].path,
                     (int64_t)sim_stats.paths[i].n);
  bs = cJSON_AddObjectToObject(o, "by_status");
  for (i = 0; i < SIM_STATUS_MAX; i++) {
    if (!sim_stats.by_status[i])
      continue;
    snprintf(key, sizeof key, "%zu", i);
    sim_json_add_int(bs, key, (int64_t)sim_stats.by_status[i]);
  }
  sim_ctl_ok(resp, o);
}

/* Hands each top-level key to the marketplace of that name. */
static int sim_seed_apply(const cJSON *doc, char *err, size_t n) {
  const cJSON *e;
  int mi;

  if (!cJSON_IsObject(doc)) {
    snprintf(err, n, "the seed must be a JSON object");
    return -1;
  }
  cJSON_ArrayForEach(e, doc) {
    mi = sim_market_index(e->string);
    if (mi < 0) {
      snprintf(err, n, "unknown marketplace '%s'", e->string);
      return -1;
    }
    if (sim_markets[mi]->seed(e, err, n))
      return -1;
  }
  return 0;
}

/* ------------------------------------------------------ webhook sink -- */

/* What POST /_sim/hook[/...] received: a receiver for the pushes that a
 * test makes ocopsim send to itself. */
struct sim_hook {
  char *path, *auth, *body;
  int64_t ts_ms;
};

static struct {
  struct sim_hook v[SIM_HOOKS_MAX];
  size_t n;
} sim_hooks;

static void sim_hook_free(struct sim_hook *h) {
  free(h->path);
  free(h->auth);
  free(h->body);
}

static void sim_hooks_clear(void) {
  size_t i;

  for (i = 0; i < sim_hooks.n; i++)
    sim_hook_free(&sim_hooks.v[i]);
  sim_hooks.n = 0;
}

static int sim_is_hook(const char *path) {
  return strncmp(path, "/_sim/hook", 10) == 0 &&
         (path[10] == '\0' || path[10] == '/');
}

/* Keeps the push (the oldest goes when full) and answers ?status=N,
 * 200 by default, with an empty body as a webhook receiver should. */
static void sim_api_hook(const struct sim_req *req, struct sim_resp *resp) {
  const char *auth = sim_header(req, "Authorization");
  struct sim_hook *h;
  uint64_t st;

  if (sim_query_u64(req, "status", 200, &st) || st < 200 || st > 599) {
    sim_ctl_error(resp, 400, "status must be 200 to 599");
    return;
  }
  if (sim_hooks.n == SIM_HOOKS_MAX) {
    sim_hook_free(&sim_hooks.v[0]);
    memmove(&sim_hooks.v[0], &sim_hooks.v[1],
            (SIM_HOOKS_MAX - 1) * sizeof sim_hooks.v[0]);
    sim_hooks.n--;
  }
  h = &sim_hooks.v[sim_hooks.n++];
  h->path = strdup(req->path);
  h->auth = auth ? strdup(auth) : NULL;
  h->body = strndup(req->body, req->body_len);
  h->ts_ms = req->now_ms;
  sim_resp_set(resp, (int)st, NULL, 0);
}

static void sim_api_hooks(const struct sim_req *req, struct sim_resp *resp) {
  cJSON *list, *o = sim_ctl_listing("hooks", &list);
  size_t i;

  for (i = 0; i < sim_hooks.n; i++) {
    const struct sim_hook *h = &sim_hooks.v[i];
    cJSON *e = cJSON_CreateObject();

    cJSON_AddStringToObject(e, "path", h->path ? h->path : "");
    if (h->auth)
      cJSON_AddStringToObject(e, "authorization", h->auth);
    else
      cJSON_AddNullToObject(e, "authorization");
    cJSON_AddStringToObject(e, "body", h->body ? h->body : "");
    sim_json_add_int(e, "ts_ms", h->ts_ms);
    sim_json_push(list, e);
  }
  sim_ctl_ok(resp, o);
}

static void sim_api_hooks_clear(const struct sim_req *req,
                                struct sim_resp *resp) {
  sim_hooks_clear();
  sim_ctl_ok(resp, NULL);
}

static void sim_reset_all(void) {
  size_t i;

  for (i = 0; i < ARRAY_LEN(sim_markets); i++)
    sim_markets[i]->reset();
  sim_faults_clear();
  sim_hooks_clear();
  sim_log_clear();
  sim_stats_clear();
  sim_legacy = 0;
}

static void sim_api_reset(const struct sim_req *req, struct sim_resp *resp) {
  int reseed =
      cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(req->json, "seed"));
  char err[256];

  sim_reset_all();
  if (reseed && sim_seed_doc && sim_seed_apply(sim_seed_doc, err, sizeof err)) {
    sim_ctl_error(resp, 500, "re-seeding failed: %s", err);
    return;
  }
  sim_ctl_ok(resp, NULL);
}

static void sim_api_legacy(const struct sim_req *req, struct sim_resp *resp) {
  const cJSON *on;

  if (sim_ctl_need_object(req, resp))
    return;
  on = cJSON_GetObjectItemCaseSensitive(req->json, "on");
  if (!cJSON_IsBool(on)) {
    sim_ctl_error(resp, 400, "\"on\" must be true or false");
    return;
  }
  sim_legacy = cJSON_IsTrue(on);
  sim_ctl_ok(resp, NULL);
}

/* Entries applied before a bad one stay applied. */
static void sim_api_seed(const struct sim_req *req, struct sim_resp *resp) {
  char err[256];

  if (sim_ctl_need_object(req, resp))
    return;
  if (sim_seed_apply(req->json, err, sizeof err))
    sim_ctl_error(resp, 400, "%s", err);
  else
    sim_ctl_ok(resp, NULL);
}

static const struct sim_api {
  const char *path;
  const char *method;
  void (*fn)(const struct sim_req *req, struct sim_resp *resp);
} sim_apis[] = {
    {"/_sim/healthz", "GET", sim_api_healthz},
    {"/_sim/calls", "GET", sim_api_calls},
    {"/_sim/stats", "GET", sim_api_stats},
    {"/_sim/fault", "POST", sim_api_fault_add},
    {"/_sim/fault", "DELETE", sim_api_fault_clear},
    {"/_sim/fault", "GET", sim_api_fault_list},
    {"/_sim/reset", "POST", sim_api_reset},
    {"/_sim/legacy", "POST", sim_api_legacy},
    {"/_sim/seed", "POST", sim_api_seed},
    {"/_sim/hooks", "GET", sim_api_hooks},
    {"/_sim/hooks", "DELETE", sim_api_hooks_clear},
};

/* /_sim/<marketplace>/<sub> goes to that marketplace's control handler. */
static void sim_api_market(const struct sim_req *req, struct sim_resp *resp) {
  const char *rest = req->path + strlen("/_sim/");
  const char *slash = strchr(rest, '/');
  char name[32];
  int mi;

  if (!slash || (size_t)(slash - rest) >= sizeof name) {
    sim_ctl_error(resp, 404, "no control call %s", req->path);
    return;
  }
  memcpy(name, rest, (size_t)(slash - rest));
  name[slash - rest] = '\0';
  mi = sim_market_index(name);
  if (mi < 0) {
    sim_ctl_error(resp, 404, "no control call %s", req->path);
    return;
  }
  sim_markets[mi]->control(slash + 1, req, resp);
}

static void sim_control(const struct sim_req *req, struct sim_resp *resp,
                        int too_big) {
  int path_known = 0;
  size_t i;

  pthread_mutex_lock(&sim_lock);
  sim_stats.control++;
  if (too_big) {
    sim_ctl_error(resp, 413, "request body too large");
    goto out;
  }
  if (sim_is_hook(req->path) && strcmp(req->method, "POST") == 0) {
    sim_api_hook(req, resp);
    goto out;
  }
  for (i = 0; i < ARRAY_LEN(sim_apis); i++) {
    if (strcmp(req->path, sim_apis[i].path) != 0)
      continue;
    path_known = 1;
    if (strcmp(req->method, sim_apis[i].method) == 0) {
      sim_apis[i].fn(req, resp);
      goto out;
    }
  }
  if (path_known)
    sim_ctl_error(resp, 405, "method not allowed");
  else
    sim_api_market(req, resp);
out:
  pthread_mutex_unlock(&sim_lock);
  /* Pushes wait for their receiver, which may be this very server. */
  if (resp->pending)
    sim_push_finish(resp);
}

/* ---------------------------------------------------------- HTTP glue -- */

/* One request's upload, accumulated across callbacks. */
struct sim_conn {
  char *body;
  size_t len, cap;
  int too_big, oom, answered;
};

static void sim_conn_append(struct sim_conn *sc, const char *data, size_t n) {
  if (sc->too_big || sc->oom)
    return;
  if (n > SIM_BODY_MAX - sc->len) {
    /* Keep reading but drop the bytes: the answer will be 413. */
    sc->too_big = 1;
    free(sc->body);
    sc->body = NULL;
    sc->len = sc->cap = 0;
    return;
  }
  if (sim_grow((void **)&sc->body, &sc->cap, sc->len + n + 1, 1)) {
    sc->oom = 1;
    return;
  }
  memcpy(sc->body + sc->len, data, n);
  sc->len += n;
  sc->body[sc->len] = '\0';
}

static int sim_declared_too_big(struct MHD_Connection *conn) {
  const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                               MHD_HTTP_HEADER_CONTENT_LENGTH);

  return cl && strtoull(cl, NULL, 10) > SIM_BODY_MAX;
}

static enum MHD_Result sim_send(struct MHD_Connection *conn,
                                struct sim_resp *resp) {
  struct MHD_Response *r;
  enum MHD_Result ret;
  char ra[16];

  if (resp->drop) {
    free(resp->body);
    return MHD_NO; /* libmicrohttpd closes the connection unanswered */
  }
  if (resp->body)
    r = MHD_create_response_from_buffer(resp->len, resp->body,
                                        MHD_RESPMEM_MUST_FREE);
  else
    r = MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
  if (!r) {
    free(resp->body);
    return MHD_NO;
  }
  MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, "application/json");
  if (resp->retry_after >= 0) {
    snprintf(ra, sizeof ra, "%d", resp->retry_after);
    MHD_add_response_header(r, MHD_HTTP_HEADER_RETRY_AFTER, ra);
  }
  ret = MHD_queue_response(conn, (unsigned int)resp->status, r);
  MHD_destroy_response(r);
  return ret;
}

/* The market with the longest prefix of `path`, or -1. */
static int sim_market_for(const char *path) {
  size_t i, best_len = 0, l;
  int best = -1;
  const char *const *p;

  for (i = 0; i < ARRAY_LEN(sim_markets); i++) {
    l = strlen(sim_markets[i]->prefix);
    if (l > best_len && strncmp(path, sim_markets[i]->prefix, l) == 0)
      best = (int)i, best_len = l;
    for (p = sim_markets[i]->more_prefixes; p && *p; p++) {
      l = strlen(*p);
      if (l > best_len && strncmp(path, *p, l) == 0)
        best = (int)i, best_len = l;
    }
  }
  return best;
}

static enum MHD_Result sim_dispatch(struct MHD_Connection *conn,
                                    const char *url, const char *method,
                                    struct sim_conn *sc) {
  struct sim_resp resp = {.retry_after = -1};
  struct sim_req req;
  cJSON *json = NULL;
  int mi;

  memset(&req, 0, sizeof req);
  req.method = method;
  req.path = url;
  req.body = sc->body ? sc->body : "";
  req.body_len = sc->len;
  req.conn = conn;
  req.now_ms = req.arrived_ms = sim_now_ms();
  req.content_type = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_TYPE);
  if (sc->oom)
    return MHD_NO;
  if (sc->len)
    json = sim_json_parse(req.body, sc->len, SIM_BODY_MAX, SIM_JSON_DEPTH_MAX,
                          &req.json_err);
  req.json = json;
  if (strncmp(url, "/_sim/", 6) == 0)
    sim_control(&req, &resp, sc->too_big);
  else if ((mi = sim_market_for(url)) >= 0)
    sim_market_call(mi, &req, &resp, sc->too_big);
  else
    sim_ctl_error(&resp, 404, "no such path %s", url);
  cJSON_Delete(json);
  return sim_send(conn, &resp);
}

static enum MHD_Result sim_access(void *cls, struct MHD_Connection *conn,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **ctx) {
  struct sim_conn *sc = *ctx;

  if (!sc) {
    sc = calloc(1, sizeof *sc);
    if (!sc)
      return MHD_NO;
    *ctx = sc;
    /* Refuse a declared oversize body before reading any of it. */
    if (!sim_declared_too_big(conn))
      return MHD_YES;
    sc->too_big = sc->answered = 1;
    return sim_dispatch(conn, url, method, sc);
  }
  if (*upload_size) {
    if (!sc->answered)
      sim_conn_append(sc, upload, *upload_size);
    *upload_size = 0;
    return MHD_YES;
  }
  if (sc->answered)
    return MHD_YES;
  sc->answered = 1;
  return sim_dispatch(conn, url, method, sc);
}

static void sim_completed(void *cls, struct MHD_Connection *conn, void **ctx,
                          enum MHD_RequestTerminationCode toe) {
  struct sim_conn *sc = *ctx;

  if (sc) {
    free(sc->body);
    free(sc);
    *ctx = NULL;
  }
}

static void sim_mhd_log(void *cls, const char *fmt, va_list ap)
    __attribute__((format(printf, 2, 0)));

static void sim_mhd_log(void *cls, const char *fmt, va_list ap) {
  if (sim_quiet)
    return;
  fputs("ocopsim: http: ", stderr);
  vfprintf(stderr, fmt, ap);
}

static struct MHD_Daemon *sim_start(const struct sockaddr_in *sa) {
  /* The logger goes first so that no option error escapes it. */
  return MHD_start_daemon(
      MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD |
          MHD_USE_ERROR_LOG,
      0, NULL, NULL, sim_access, NULL, MHD_OPTION_EXTERNAL_LOGGER, sim_mhd_log,
      NULL, MHD_OPTION_SOCK_ADDR, (const struct sockaddr *)sa,
      MHD_OPTION_NOTIFY_COMPLETED, sim_completed, NULL,
      MHD_OPTION_CONNECTION_LIMIT, SIM_CONN_MAX,
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, SIM_CONN_MEM,
      MHD_OPTION_CONNECTION_TIMEOUT, 60u, MHD_OPTION_END);
}

static unsigned sim_bound_port(struct MHD_Daemon *d) {
  const union MHD_DaemonInfo *info =
      MHD_get_daemon_info(d, MHD_DAEMON_INFO_LISTEN_FD);
  struct sockaddr_in sa;
  socklen_t len = sizeof sa;

  if (!info || getsockname(info->listen_fd, (struct sockaddr *)&sa, &len))
    return 0;
  return ntohs(sa.sin_port);
}

/* ------------------------------------------------------- command line -- */

struct sim_opts {
  struct sockaddr_in addr;
  char host[INET_ADDRSTRLEN];
  const char *seed;
};

static int sim_parse_listen(const char *s, struct sim_opts *o) {
  const char *colon = strrchr(s, ':');
  char host[64], *end;
  unsigned long port;

  if (!colon || colon == s || (size_t)(colon - s) >= sizeof host ||
      colon[1] < '0' || colon[1] > '9')
    return -1;
  memcpy(host, s, (size_t)(colon - s));
  host[colon - s] = '\0';
  if (strcmp(host, "localhost") == 0)
    snprintf(host, sizeof host, "127.0.0.1");
  port = strtoul(colon + 1, &end, 10);
  if (*end || port > 65535 || inet_pton(AF_INET, host, &o->addr.sin_addr) != 1)
    return -1;
  o->addr.sin_port = htons((uint16_t)port);
  inet_ntop(AF_INET, &o->addr.sin_addr, o->host, sizeof o->host);
  return 0;
}

static void sim_usage(FILE *f) {
  fputs("usage: ocopsim [--listen 127.0.0.1:PORT] [--seed FILE.json] "
        "[--quiet]\n",
        f);
}

static int sim_parse_args(int argc, char **argv, struct sim_opts *o) {
  static const struct option longopts[] = {
      {"listen", required_argument, NULL, 'l'},
      {"seed", required_argument, NULL, 's'},
      {"quiet", no_argument, NULL, 'q'},
      {"help", no_argument, NULL, 'h'},
      {NULL, 0, NULL, 0}};
  int c;

  memset(o, 0, sizeof *o);
  o->addr.sin_family = AF_INET;
  o->addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK); /* loopback by default */
  snprintf(o->host, sizeof o->host, "127.0.0.1");
  opterr = 0;
  while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
    if (c == 'l' && sim_parse_listen(optarg, o) == 0)
      continue;
    if (c == 's' || c == 'q') {
      o->seed = c == 's' ? optarg : o->seed;
      sim_quiet |= c == 'q';
      continue;
    }
    if (c == 'h') {
      sim_usage(stdout);
      exit(0);
    }
    if (c == 'l')
      fprintf(stderr, "ocopsim: %s: expected IPV4:PORT\n", optarg);
    else
      fprintf(stderr, "ocopsim: %s: unknown option or missing value\n",
              argv[optind - 1]);
    return -1;
  }
  if (optind < argc) {
    fprintf(stderr, "ocopsim: %s: unexpected argument\n", argv[optind]);
    return -1;
  }
  return 0;
}

/* Reads a whole file of at most SIM_SEED_MAX bytes, NUL-terminated. */
static char *sim_read_file(const char *path, size_t *len, const char **why) {
  FILE *f = fopen(path, "rb");
  char *buf = NULL;
  size_t cap = 0, n = 0, got;

  *why = "cannot open";
  if (!f)
    return NULL;
  for (;;) {
    if (sim_grow((void **)&buf, &cap, n + 4097, 1)) {
      *why = "out of memory";
      goto fail;
    }
    got = fread(buf + n, 1, cap - n - 1, f);
    n += got;
    if (n > SIM_SEED_MAX) {
      *why = "file too large";
      goto fail;
    }
    if (got == 0)
      break;
  }
  if (ferror(f)) {
    *why = "read error";
    goto fail;
  }
  fclose(f);
  buf[n] = '\0';
  *len = n;
  return buf;
fail:
  fclose(f);
  free(buf);
  return NULL;
}

static int sim_seed_load(const char *path) {
  const char *why = NULL;
  char err[256];
  size_t len = 0;
  char *text = sim_read_file(path, &len, &why);
  int rc = -1;

  if (!text)
    goto out;
  sim_seed_doc =
      sim_json_parse(text, len, SIM_SEED_MAX, SIM_JSON_DEPTH_MAX, &why);
  if (!sim_seed_doc)
    goto out;
  why = err;
  rc = sim_seed_apply(sim_seed_doc, err, sizeof err);
out:
  if (rc)
    fprintf(stderr, "ocopsim: %s: %s\n", path, why);
  free(text);
  return rc;
}

static void sim_cleanup(void) {
  sim_reset_all();
  cJSON_Delete(sim_seed_doc);
  sim_seed_doc = NULL;
  sim_push_cleanup();
}

int main(int argc, char **argv) {
  struct MHD_Daemon *d = NULL;
  struct sim_opts o;
  sigset_t stop;
  int sig, rc = 2;

  if (sim_parse_args(argc, argv, &o))
    return 2;
  sim_request_id_init();
  if (sim_push_init()) {
    fprintf(stderr, "ocopsim: cannot initialise libcurl\n");
    return 1;
  }
  if (o.seed && sim_seed_load(o.seed))
    goto out;
  /* Block the stop signals before any thread exists, so every thread
   * inherits the mask and only sigwait() below receives them. */
  sigemptyset(&stop);
  sigaddset(&stop, SIGINT);
  sigaddset(&stop, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop, NULL);
  signal(SIGPIPE, SIG_IGN);
  rc = 1;
  d = sim_start(&o.addr);
  if (!d) {
    fprintf(stderr, "ocopsim: %s:%u: cannot listen\n", o.host,
            (unsigned)ntohs(o.addr.sin_port));
    goto out;
  }
  printf("ocopsim listening on %s:%u\n", o.host, sim_bound_port(d));
  fflush(stdout);
  while (sigwait(&stop, &sig) != 0)
    ;
  atomic_store(&sim_stopping, 1);
  MHD_stop_daemon(d);
  rc = 0;
out:
  sim_cleanup();
  return rc;
}
