/* metrics.c — see metrics.h. */
#include "build_config.h" /* PACKAGE_VERSION */

#include "metrics.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "textbuf.h"

enum family {
  MF_CALLS, MF_CALL_SECONDS, MF_JOB_SECONDS, MF_RATE_WAITS, MF_TOKEN_REFRESHES, MF_REAUTH,
  MF_ORDERS, MF_STOCK_PUSHES, MF_DB_RECONNECTS, MF_DB_UP, MF_PUSHES, MF_PUSH_CLOSED, MF_COUNT
};

enum ftype { COUNTER, GAUGE, HISTOGRAM };

static const double call_bounds[] = {0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, -1};
static const double job_bounds[] = {0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, -1};

/* The in-process families, in the order they are written. */
static const struct {
  const char *name;
  enum ftype type;
  const double *bounds; /* histograms: upper bounds, ending with -1 */
  const char *help;
} families[MF_COUNT] = {
    {"ocopd_marketplace_calls_total", COUNTER, NULL,
     "Marketplace calls sent, by marketplace and verdict (ok, retry, rate_limited, auth, ...)."},
    {"ocopd_marketplace_call_duration_seconds", HISTOGRAM, call_bounds,
     "Time from sending a marketplace call to its classified answer."},
    {"ocopd_job_duration_seconds", HISTOGRAM, job_bounds,
     "Time from a job's start to its outcome, by job kind (deferred runs are not counted)."},
    {"ocopd_rate_limit_waits_total", COUNTER, NULL,
     "Calls that waited for a shop's rate: by=ocopd (its own limit) or by=marketplace (a pause "
     "the marketplace asked for)."},
    {"ocopd_token_refreshes_total", COUNTER, NULL,
     "Access token refreshes, by shop and outcome (ok, failed, refused)."},
    {"ocopd_reauthorisations_required_total", COUNTER, NULL,
     "Shops paused because the marketplace refused their refresh token: the seller must "
     "authorise again (ocopctl shop authorize)."},
    {"ocopd_orders_ingested_total", COUNTER, NULL, "New orders written, by shop."},
    {"ocopd_stock_pushes_total", COUNTER, NULL,
     "Stock jobs run, by shop and outcome (ok: the marketplace has the new stock)."},
    {"ocopd_db_reconnects_total", COUNTER, NULL,
     "Times a database connection came back after it was lost, by connection."},
    {"ocopd_db_up", GAUGE, NULL, "1 while the database connection is up, by connection."},
    {"ocopd_pushes_total", COUNTER, NULL,
     "Pushes answered, by marketplace and outcome (stored, duplicate, ignored, refused, "
     "failed)."},
    {"ocopd_push_connections_closed_total", COUNTER, NULL,
     "Push connections closed before their request arrived whole: why=deadline "
     "(webhook_request_timeout) or why=room (webhook_max_connections reached)."},
};

/* The database's gauges: ocop_admin_gauges()'s metric column, the name
 * written, and its help. */
static const struct {
  const char *metric;
  const char *name;
  const char *help;
} db_families[] = {
    {"jobs", "ocopd_jobs", "Outbox jobs, by shop, marketplace, kind and state."},
    {"listings", "ocopd_listings",
     "Listings, by shop, marketplace, state and problem kind (none, content, strip)."},
    {"certificates", "ocopd_certificates",
     "Products by certificate state on the OCOP date (sql/logic/eligibility.sql)."},
    {"expiry_warnings", "ocopd_expiry_warnings",
     "Certificate expiry warnings recorded, by tier (days before valid_until)."},
    {"shops", "ocopd_shops", "Shops, by marketplace and state (active, paused, needs_reauth)."},
    {"token_expiry", "ocopd_token_expiry_timestamp_seconds",
     "When each shop's access token expires (Unix time)."},
};

#define NDB (sizeof db_families / sizeof db_families[0])
#define NBUCKETS 1024
#define MAX_BOUNDS 16

struct series {
  struct series *next;     /* in its hash bucket */
  struct series *fam_next; /* in its family, in order of creation */
  enum family fam;
  char *labels;            /* rendered: shop="a",kind="b" */
  double value;            /* counter, gauge; histogram: the sum */
  unsigned long long count;             /* histogram */
  unsigned long long bucket[MAX_BOUNDS]; /* histogram, per bound, not cumulative */
};

static struct {
  struct series *bucket[NBUCKETS];
  struct series *head[MF_COUNT], *tail[MF_COUNT];
  time_t started;
} reg;

/* ---- labels --------------------------------------------------------------- */

static void put_escaped(struct textbuf *b, const char *s) {
  for (; s && *s; s++) {
    if (*s == '\\')
      tb_puts(b, "\\\\");
    else if (*s == '"')
      tb_puts(b, "\\\"");
    else if (*s == '\n')
      tb_puts(b, "\\n");
    else
      tb_putn(b, s, 1);
  }
}

/* name, value pairs, NULL-terminated: shop="a",kind="b". */
static void put_labels(struct textbuf *b, va_list ap) {
  const char *name;
  int first = 1;

  while ((name = va_arg(ap, const char *)) != NULL) {
    const char *value = va_arg(ap, const char *);

    tb_printf(b, "%s%s=\"", first ? "" : ",", name);
    put_escaped(b, value ? value : "");
    tb_puts(b, "\"");
    first = 0;
  }
}

/* ---- series ---------------------------------------------------------------- */

static unsigned hash(enum family fam, const char *s) {
  unsigned h = 2166136261u ^ (unsigned)fam;

  for (; *s; s++)
    h = (h ^ (unsigned char)*s) * 16777619u;
  return h % NBUCKETS;
}

/* The series of fam with these labels (name, value pairs, NULL-ended),
 * made on first use; NULL when out of memory (the count is lost). */
static struct series *series_at(enum family fam, ...) {
  struct textbuf lb;
  struct series *s;
  va_list ap;
  unsigned h;

  tb_init(&lb);
  tb_puts(&lb, "");
  va_start(ap, fam);
  put_labels(&lb, ap);
  va_end(ap);
  if (lb.failed)
    return NULL;
  h = hash(fam, lb.p);
  for (s = reg.bucket[h]; s; s = s->next)
    if (s->fam == fam && strcmp(s->labels, lb.p) == 0) {
      tb_free(&lb);
      return s;
    }
  s = calloc(1, sizeof *s);
  if (!s) {
    tb_free(&lb);
    return NULL;
  }
  s->fam = fam;
  s->labels = lb.p; /* taken */
  s->next = reg.bucket[h];
  reg.bucket[h] = s;
  if (reg.tail[fam])
    reg.tail[fam]->fam_next = s;
  else
    reg.head[fam] = s;
  reg.tail[fam] = s;
  return s;
}

static void add(struct series *s, double v) {
  if (s)
    s->value += v;
}

static void observe(struct series *s, double v) {
  const double *bounds;
  int i;

  if (!s)
    return;
  bounds = families[s->fam].bounds;
  s->value += v;
  s->count++;
  for (i = 0; bounds[i] >= 0; i++)
    if (v <= bounds[i]) {
      s->bucket[i]++;
      break;
    }
}

/* ---- what the daemon counts ------------------------------------------------ */

void metrics_call(const char *marketplace, call_verdict outcome, double seconds) {
  add(series_at(MF_CALLS, "marketplace", marketplace, "outcome", call_verdict_name(outcome),
                (char *)NULL),
      1);
  observe(series_at(MF_CALL_SECONDS, "marketplace", marketplace, (char *)NULL), seconds);
}

void metrics_job(const char *shop, const char *kind, const char *outcome, uint64_t ms) {
  if (strcmp(outcome, "defer") == 0)
    return; /* nothing was tried: a rate limit or a token said wait */
  observe(series_at(MF_JOB_SECONDS, "kind", kind, (char *)NULL), (double)ms / 1000.0);
  if (strcmp(kind, "stock") == 0)
    add(series_at(MF_STOCK_PUSHES, "shop", shop, "outcome", outcome, (char *)NULL), 1);
}

void metrics_rate_wait(const char *shop, const char *marketplace, const char *by) {
  add(series_at(MF_RATE_WAITS, "shop", shop, "marketplace", marketplace, "by", by, (char *)NULL),
      1);
}

void metrics_token_refresh(const char *shop, const char *outcome) {
  add(series_at(MF_TOKEN_REFRESHES, "shop", shop, "outcome", outcome, (char *)NULL), 1);
}

void metrics_reauth(const char *shop) {
  add(series_at(MF_REAUTH, "shop", shop, (char *)NULL), 1);
}

void metrics_orders(const char *shop, long n) {
  struct series *s = series_at(MF_ORDERS, "shop", shop, (char *)NULL);

  if (n > 0)
    add(s, (double)n);
}

void metrics_push(const char *marketplace, const char *outcome) {
  add(series_at(MF_PUSHES, "marketplace", marketplace, "outcome", outcome, (char *)NULL), 1);
}

void metrics_push_closed(const char *why, unsigned n) {
  add(series_at(MF_PUSH_CLOSED, "why", why, (char *)NULL), n);
}

void metrics_db_state(const char *conn, int up) {
  struct series *s = series_at(MF_DB_UP, "conn", conn, (char *)NULL);
  struct series *r = series_at(MF_DB_RECONNECTS, "conn", conn, (char *)NULL);

  if (!s)
    return;
  /* The first connect is not a reconnect: the series counts from 1 on. */
  if (up && s->count > 0 && s->value == 0)
    add(r, 1);
  s->value = up ? 1 : 0;
  s->count++; /* transitions seen */
}

/* ---- the exposition --------------------------------------------------------- */

static void put_help(struct textbuf *b, const char *name, const char *type, const char *help) {
  tb_printf(b, "# HELP %s ", name);
  for (; *help; help++) { /* help text escapes only \ and newline */
    if (*help == '\\')
      tb_puts(b, "\\\\");
    else if (*help == '\n')
      tb_puts(b, "\\n");
    else
      tb_putn(b, help, 1);
  }
  tb_printf(b, "\n# TYPE %s %s\n", name, type);
}

/* The shortest of 15 or 17 digits that reads back as v: 0.3, not
 * 0.29999999999999999. */
static void format_value(double v, char *out, size_t len) {
  snprintf(out, len, "%.15g", v);
  if (strtod(out, NULL) != v)
    snprintf(out, len, "%.17g", v);
}

static void put_sample(struct textbuf *b, const char *name, const char *suffix,
                       const char *labels, const char *extra, double v) {
  int has = labels && labels[0], more = extra && extra[0];
  char value[40];

  format_value(v, value, sizeof value);
  tb_printf(b, "%s%s%s%s%s%s%s %s\n", name, suffix, has || more ? "{" : "", has ? labels : "",
            has && more ? "," : "", more ? extra : "", has || more ? "}" : "", value);
}

static void put_histogram(struct textbuf *b, const char *name, const struct series *s,
                          const double *bounds) {
  unsigned long long cum = 0;
  char le[48];
  int i;

  for (i = 0; bounds[i] >= 0; i++) {
    cum += s->bucket[i];
    snprintf(le, sizeof le, "le=\"%g\"", bounds[i]);
    put_sample(b, name, "_bucket", s->labels, le, (double)cum);
  }
  put_sample(b, name, "_bucket", s->labels, "le=\"+Inf\"", (double)s->count);
  put_sample(b, name, "_sum", s->labels, NULL, s->value);
  put_sample(b, name, "_count", s->labels, NULL, (double)s->count);
}

static void put_family(struct textbuf *b, enum family f) {
  static const char *const type_names[] = {"counter", "gauge", "histogram"};
  const struct series *s;

  put_help(b, families[f].name, type_names[families[f].type], families[f].help);
  for (s = reg.head[f]; s; s = s->fam_next) {
    if (families[f].type == HISTOGRAM)
      put_histogram(b, families[f].name, s, families[f].bounds);
    else
      put_sample(b, families[f].name, "", s->labels, NULL, s->value);
  }
}

/* ocop_admin_gauges()'s label columns: every column between the metric
 * (0) and the value (last) names a label. */
static void put_db_row(struct textbuf *b, const char *name, const PGresult *res, int row) {
  struct textbuf lb;
  int c, last = PQnfields(res) - 1, first = 1;

  tb_init(&lb);
  tb_puts(&lb, "");
  for (c = 1; c < last; c++) {
    if (PQgetisnull(res, row, c))
      continue;
    tb_printf(&lb, "%s%s=\"", first ? "" : ",", PQfname(res, c));
    put_escaped(&lb, PQgetvalue(res, row, c));
    tb_puts(&lb, "\"");
    first = 0;
  }
  put_sample(b, name, "", lb.failed ? "" : lb.p, NULL, strtod(PQgetvalue(res, row, last), NULL));
  tb_free(&lb);
}

static void put_db_families(struct textbuf *b, const PGresult *gauges) {
  size_t f;
  int r;

  for (f = 0; f < NDB; f++) {
    put_help(b, db_families[f].name, "gauge", db_families[f].help);
    for (r = 0; gauges && r < PQntuples(gauges); r++)
      if (strcmp(PQgetvalue(gauges, r, 0), db_families[f].metric) == 0)
        put_db_row(b, db_families[f].name, gauges, r);
  }
  put_help(b, "ocopd_db_scrape_ok", "gauge",
           "1 when this scrape read the database's gauges; 0: the ocopd_jobs ... families are "
           "missing from it.");
  put_sample(b, "ocopd_db_scrape_ok", "", NULL, NULL, gauges ? 1 : 0);
}

char *metrics_render(const PGresult *gauges, size_t *len) {
  struct textbuf b;
  int f;

  tb_init(&b);
  put_help(&b, "ocopd_build_info", "gauge", "Always 1; the version is a label.");
  put_sample(&b, "ocopd_build_info", "", "version=\"" PACKAGE_VERSION "\"", NULL, 1);
  put_help(&b, "ocopd_start_time_seconds", "gauge",
           "When this ocopd process started counting (Unix time).");
  put_sample(&b, "ocopd_start_time_seconds", "", NULL, NULL, (double)reg.started);
  for (f = 0; f < MF_COUNT; f++)
    put_family(&b, (enum family)f);
  put_db_families(&b, gauges);
  return tb_take(&b, len);
}

void metrics_start(void) {
  reg.started = time(NULL);
  call_set_observer(metrics_call);
}

void metrics_free(void) {
  int i;

  for (i = 0; i < NBUCKETS; i++) {
    struct series *s = reg.bucket[i], *next;

    for (; s; s = next) {
      next = s->next;
      free(s->labels);
      free(s);
    }
  }
  memset(&reg, 0, sizeof reg);
  call_set_observer(NULL);
}
