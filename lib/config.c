/* config.c — see config.h. */
#include "config.h"

#include "addr.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum opt_type { OPT_STR, OPT_UINT, OPT_DURATION, OPT_LEVEL, OPT_DAYS, OPT_RATES, OPT_LISTEN };

struct opt {
  const char *name;
  enum opt_type type;
  size_t offset;
  const char *def;
  unsigned long min, max; /* numbers: bounds; durations: in ms */
  const char *doc;
};

#define OFF(field) offsetof(struct config, field)

/* The one table of options. config/ocopd.conf documents the same rows. */
static const struct opt options[] = {
    {"database", OPT_STR, OFF(database), "", 0, 0,
     "libpq connection string of the catalogue database"},
    {"connector_dir", OPT_STR, OFF(connector_dir), PKGLIBDIR, 0, 0,
     "folder holding the connector modules (shopee.so, ...)"},
    {"credentials_dir", OPT_STR, OFF(credentials_dir), "", 0, 0,
     "folder of secret files <shop>.secret; empty: $CREDENTIALS_DIRECTORY"},
    {"admin_listen", OPT_LISTEN, OFF(admin_listen), "127.0.0.1:9489", 0, 0,
     "address:port of /healthz /metrics /status (keep it on loopback); empty: off"},
    {"log_level", OPT_LEVEL, OFF(log_level), "info", 0, 0, "debug, info, warn or error"},
    {"concurrency", OPT_UINT, OFF(concurrency), "32", 1, 1024,
     "marketplace calls in flight at most"},
    {"claim_batch", OPT_UINT, OFF(claim_batch), "64", 1, 1000, "jobs claimed per query at most"},
    {"job_lease", OPT_DURATION, OFF(job_lease_ms), "60s", 1000, 3600000,
     "how long a claimed job is ours before another worker may take it"},
    {"max_attempts", OPT_UINT, OFF(max_attempts), "8", 1, 100,
     "attempts before a job is dead-lettered"},
    {"create_settle", OPT_DURATION, OFF(create_settle_ms), "120s", 1000, 86400000,
     "how long a create whose answer was lost is looked for before it is sent again "
     "(longer than http_timeout)"},
    {"retry_base", OPT_DURATION, OFF(retry_base_ms), "1s", 10, 3600000,
     "first retry delay; doubles per attempt, with jitter"},
    {"retry_max", OPT_DURATION, OFF(retry_max_ms), "5m", 10, 86400000, "longest retry delay"},
    {"sweep_interval", OPT_DURATION, OFF(sweep_interval_ms), "60s", 100, 86400000,
     "how often every listing is re-derived from the catalogue"},
    {"poll_interval", OPT_DURATION, OFF(poll_interval_ms), "1s", 10, 600000,
     "how often due jobs are looked for when no notification came"},
    {"http_timeout", OPT_DURATION, OFF(http_timeout_ms), "30s", 100, 600000,
     "whole marketplace request"},
    {"http_connect_timeout", OPT_DURATION, OFF(http_connect_timeout_ms), "5s", 100, 600000,
     "connection set-up"},
    {"max_response", OPT_UINT, OFF(max_response), "1048576", 1024, 16777216,
     "largest marketplace response body in bytes"},
    {"rate_limits", OPT_RATES, OFF(rate_limits), "shopee:10,lazada:10,tiktok:5", 0, 1000,
     "requests per second per shop, by marketplace (0 or absent: no limit)"},
    {"expiry_warnings", OPT_DAYS, OFF(expiry_warnings), "210,180,135,120,60,30,7,1", 0, 3650,
     "days before a certificate's valid_until at which to warn, once each"},
    {"progress_interval", OPT_DURATION, OFF(progress_interval_ms), "10s", 0, 3600000,
     "how often a long run of jobs logs how far it has come; 0: never"},
    {"shutdown_timeout", OPT_DURATION, OFF(shutdown_timeout_ms), "30s", 0, 600000,
     "how long SIGTERM waits for calls in flight"},
    {"webhook_listen", OPT_LISTEN, OFF(webhook_listen), "", 0, 0,
     "address:port where marketplaces push order events (/hooks/<marketplace>); empty: off"},
    {"webhook_public_url", OPT_STR, OFF(webhook_public_url), "", 0, 0,
     "scheme://host[:port] the marketplaces were given (Shopee signs the URL); "
     "empty: http://<webhook_listen>"},
    {"webhook_max_age", OPT_DURATION, OFF(webhook_max_age_ms), "72h", 60000, 604800000,
     "pushes stamped longer ago than this are refused as replays"},
    {"webhook_request_timeout", OPT_DURATION, OFF(webhook_request_timeout_ms), "5s", 100, 600000,
     "a push's whole request must arrive within this of its connection opening (or of the "
     "previous answer on it); a slower client is disconnected"},
    {"webhook_max_connections", OPT_UINT, OFF(webhook_max_connections), "512", 1, 16384,
     "push connections open at once, from all clients"},
    {"webhook_connections_per_ip", OPT_UINT, OFF(webhook_connections_per_ip), "32", 0, 16384,
     "push connections open at once from one client address; 0: no limit per address"},
    {"order_poll_interval", OPT_DURATION, OFF(order_poll_interval_ms), "60s", 100, 86400000,
     "how often each shop's orders are listed"},
    {"order_poll_overlap", OPT_DURATION, OFF(order_poll_overlap_ms), "5m", 0, 86400000,
     "each order window starts this long before the last one ended"},
    {"order_lookback", OPT_DURATION, OFF(order_lookback_ms), "24h", 1000, 1296000000,
     "how far back the first order poll of a new shop reads"},
    {"reconcile_interval", OPT_DURATION, OFF(reconcile_interval_ms), "6h", 0, 604800000,
     "how often each listing's stock is read back and corrected; 0: never"},
    {"media_dir", OPT_STR, OFF(media_dir), "", 0, 0,
     "folder the catalogue's image paths are relative to; empty: only https images"},
    {"media_rescan", OPT_DURATION, OFF(media_rescan_ms), "1h", 0, 604800000,
     "how often each image is read again to see whether its bytes changed; 0: never"},
};

#define NOPTIONS (sizeof options / sizeof options[0])

static const struct opt *find_opt(const char *name) {
  size_t i;

  for (i = 0; i < NOPTIONS; i++)
    if (strcmp(options[i].name, name) == 0)
      return &options[i];
  return NULL;
}

/* "250ms", "30s", "5m", "2h", or a bare number of seconds. */
static int parse_duration(const char *s, unsigned long *ms) {
  char *end;
  unsigned long long v, mult = 1000;

  errno = 0;
  if (*s < '0' || *s > '9')
    return -1;
  v = strtoull(s, &end, 10);
  if (errno)
    return -1;
  if (strcmp(end, "ms") == 0)
    mult = 1;
  else if (strcmp(end, "s") == 0 || *end == '\0')
    mult = 1000;
  else if (strcmp(end, "m") == 0)
    mult = 60000;
  else if (strcmp(end, "h") == 0)
    mult = 3600000;
  else
    return -1;
  if (v > ULONG_MAX / mult)
    return -1;
  *ms = (unsigned long)(v * mult);
  return 0;
}

/* "210,180,7" → the SQL array literal "{210,180,7}" (malloc'd), each a whole
 * number of days within min..max, at most 32 of them. */
static char *parse_days(const char *s, unsigned long min, unsigned long max) {
  char *out = malloc(strlen(s) + 3), *o = out;
  int n = 0;

  if (!out)
    return NULL;
  *o++ = '{';
  while (*s) {
    char *end;
    unsigned long v;

    while (*s == ' ')
      s++;
    if (*s < '0' || *s > '9' || ++n > 32)
      goto bad;
    v = strtoul(s, &end, 10);
    if (v < min || v > max)
      goto bad;
    o += sprintf(o, "%s%lu", n > 1 ? "," : "", v);
    s = end;
    while (*s == ' ')
      s++;
    if (*s == ',')
      s++;
    else if (*s)
      goto bad;
  }
  if (n == 0)
    goto bad;
  *o++ = '}';
  *o = '\0';
  return out;
bad:
  free(out);
  return NULL;
}

/* "shopee:10,lazada:2.5": marketplace names and rates within min..max. */
static int rates_ok(const char *s, unsigned long min, unsigned long max) {
  while (*s) {
    const char *name = s;
    char *end;
    double v;

    while ((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '_')
      s++;
    if (s == name || *s != ':')
      return -1;
    v = strtod(s + 1, &end);
    if (end == s + 1 || v < (double)min || v > (double)max)
      return -1;
    s = end;
    if (*s == ',')
      s++;
    else if (*s)
      return -1;
  }
  return 0;
}

double config_rate(const char *rates, const char *marketplace) {
  size_t n = strlen(marketplace);
  const char *p = rates;

  while (p && *p) {
    if (strncmp(p, marketplace, n) == 0 && p[n] == ':')
      return strtod(p + n + 1, NULL);
    p = strchr(p, ',');
    if (p)
      p++;
  }
  return 0;
}

static int parse_uint(const char *s, unsigned long *out) {
  char *end;

  errno = 0;
  if (*s < '0' || *s > '9')
    return -1;
  *out = strtoul(s, &end, 10);
  return (errno || *end) ? -1 : 0;
}

static int set_opt_string(char *field, const char *value, const char *name, char *err,
                          size_t errlen) {
  char *copy = strdup(value);

  if (!copy) {
    snprintf(err, errlen, "%s: out of memory", name);
    return -1;
  }
  free(*(char **)field);
  *(char **)field = copy;
  return 0;
}

/* Stores one value; on error writes "name: why" into err. */
static int set_opt(struct config *cfg, const struct opt *o, const char *value, char *err,
                   size_t errlen) {
  char *field = (char *)cfg + o->offset;
  unsigned long v;
  enum log_level lvl;

  switch (o->type) {
  case OPT_STR:
    return set_opt_string(field, value, o->name, err, errlen);
  case OPT_LISTEN: {
    struct sockaddr_in sa;

    if (value[0] && addr_parse_listen(value, &sa) != 0) {
      snprintf(err, errlen,
               "%s: \"%.60s\" is not IPv4-address:port (e.g. 127.0.0.1:8088), or empty for off",
               o->name, value);
      return -1;
    }
    return set_opt_string(field, value, o->name, err, errlen);
  }
  case OPT_RATES:
    if (rates_ok(value, o->min, o->max) != 0) {
      snprintf(err, errlen, "%s: \"%.60s\" is not a list of marketplace:rate (e.g. shopee:10,tiktok:5)",
               o->name, value);
      return -1;
    }
    {
      char *copy = strdup(value);

      if (!copy)
        return -1;
      free(*(char **)field);
      *(char **)field = copy;
    }
    return 0;
  case OPT_DAYS: {
    char *list = parse_days(value, o->min, o->max);

    if (!list) {
      snprintf(err, errlen, "%s: \"%.40s\" is not a list of days (e.g. 180,120,30), each %lu..%lu",
               o->name, value, o->min, o->max);
      return -1;
    }
    free(*(char **)field);
    *(char **)field = list;
    return 0;
  }
  case OPT_LEVEL:
    if (log_level_parse(value, &lvl) != 0) {
      snprintf(err, errlen, "%s: \"%.40s\" is not one of debug, info, warn, error", o->name, value);
      return -1;
    }
    *(enum log_level *)field = lvl;
    return 0;
  case OPT_UINT:
  case OPT_DURATION:
    if ((o->type == OPT_UINT ? parse_uint(value, &v) : parse_duration(value, &v)) != 0) {
      snprintf(err, errlen, o->type == OPT_UINT ? "%s: \"%.40s\" is not a whole number"
                                                : "%s: \"%.40s\" is not a duration (e.g. 250ms, 30s, 5m)",
               o->name, value);
      return -1;
    }
    if (v < o->min || v > o->max) {
      snprintf(err, errlen, "%s: %s is outside %lu..%lu%s", o->name, value, o->min, o->max,
               o->type == OPT_DURATION ? " ms" : "");
      return -1;
    }
    *(unsigned *)field = (unsigned)v;
    return 0;
  }
  return -1;
}

void config_defaults(struct config *cfg) {
  size_t i;
  char err[256];

  memset(cfg, 0, sizeof *cfg);
  for (i = 0; i < NOPTIONS; i++)
    (void)set_opt(cfg, &options[i], options[i].def, err, sizeof err);
}

void config_free(struct config *cfg) {
  size_t i;

  for (i = 0; i < NOPTIONS; i++)
    if (options[i].type == OPT_STR || options[i].type == OPT_DAYS ||
        options[i].type == OPT_RATES || options[i].type == OPT_LISTEN) {
      char **p = (char **)((char *)cfg + options[i].offset);

      free(*p);
      *p = NULL;
    }
}

/* The file is untrusted input: it is read whole only up to this size. */
#define CONFIG_MAX_BYTES (256 * 1024)

/* inih reads line by line through this reader, so we know the line number
 * of each key (Debian's inih is built without INI_HANDLER_LINENO). Every
 * problem is collected, one "path:line: what" line each, so that one run of
 * --check-config shows them all. */
struct reader {
  FILE *f;
  const char *path;
  int line;
  int problems;
  int stopped;             /* the file is too large: read no further */
  size_t bytes;            /* read so far */
  int set_at[NOPTIONS];    /* the line that set each option, 0: not set */
  struct config *cfg;
  char *err; /* the caller's buffer, filled line by line */
  size_t errlen, used;
};

static void problem(struct reader *r, int line, const char *what);

/* One byte of the file, or EOF; past CONFIG_MAX_BYTES the file ends here
 * with a problem naming the line. */
static int next_byte(struct reader *r) {
  int c;

  if (r->stopped || (c = getc(r->f)) == EOF)
    return EOF;
  if (++r->bytes > CONFIG_MAX_BYTES) {
    problem(r, r->line + 1, "the file is larger than 256 KiB; a config is a few KiB");
    r->stopped = 1;
    return EOF;
  }
  return c;
}

/* One line of the file into str (num bytes with its newline and NUL). A
 * line holding a NUL byte, or too long for inih's buffer, is reported here
 * and handed on as a blank line, so each line is still one call and the
 * line numbers stay right. Leading blanks are dropped: inih would take an
 * indented line for the continuation of the previous value. */
static char *read_line(char *str, int num, void *stream) {
  struct reader *r = stream;
  size_t n = 0, room = num > 2 ? (size_t)num - 2 : 0;
  int c, got = 0, nul = 0, lead = 1;
  char why[80];

  while ((c = next_byte(r)) != EOF && c != '\n') {
    got = 1;
    if (c == '\0')
      nul = 1;
    else if (!(lead && (c == ' ' || c == '\t'))) {
      lead = 0;
      if (n < room)
        str[n] = (char)c;
      n++;
    }
  }
  if (!got && c == EOF)
    return NULL;
  r->line++;
  if (nul) {
    problem(r, r->line, "NUL byte");
    n = 0;
  } else if (n > room) {
    snprintf(why, sizeof why, "line longer than %zu bytes", room);
    problem(r, r->line, why);
    n = 0;
  }
  str[n] = '\n';
  str[n + 1] = '\0';
  return str;
}

/* Appends one problem line; line 0 is the file as a whole. */
static void problem(struct reader *r, int line, const char *what) {
  int n;

  r->problems++;
  if (r->used >= r->errlen)
    return;
  n = line ? snprintf(r->err + r->used, r->errlen - r->used, "%s%s:%d: %s",
                      r->used ? "\n" : "", r->path, line, what)
           : snprintf(r->err + r->used, r->errlen - r->used, "%s%s: %s",
                      r->used ? "\n" : "", r->path, what);
  if (n > 0)
    r->used += (size_t)n < r->errlen - r->used ? (size_t)n : r->errlen - r->used;
}

static int on_value(void *user, const char *section, const char *name, const char *value) {
  struct reader *r = user;
  const struct opt *o;
  char why[240];

  if (strcmp(section, "ocopd") != 0) {
    snprintf(why, sizeof why, "unknown section [%.40s] (options go in [ocopd])", section);
    problem(r, r->line, why);
    return 1;
  }
  o = find_opt(name);
  if (!o) {
    snprintf(why, sizeof why, "unknown option \"%.40s\"", name);
    problem(r, r->line, why);
    return 1;
  }
  if (r->set_at[o - options]) {
    snprintf(why, sizeof why, "'%s' is already set at line %d", o->name, r->set_at[o - options]);
    problem(r, r->line, why);
    return 1;
  }
  r->set_at[o - options] = r->line;
  if (set_opt(r->cfg, o, value, why, sizeof why) != 0)
    problem(r, r->line, why);
  return 1;
}

static void check_required(struct reader *r, const struct config *cfg) {
  if (cfg->database[0] == '\0')
    problem(r, 0, "database: required (a libpq connection string)");
  if (cfg->retry_max_ms < cfg->retry_base_ms)
    problem(r, 0, "retry_max is shorter than retry_base");
  /* A create applied just before its call timed out must be found before
   * it may be sent again. */
  if (cfg->create_settle_ms <= cfg->http_timeout_ms)
    problem(r, 0, "create_settle must be longer than http_timeout");
}

/* Reads path over the defaults into *out; returns the number of problems
 * (-1 when the file cannot be opened). */
static int load(struct config *out, const char *path, char *err, size_t errlen) {
  struct reader r;
  int perr;

  memset(&r, 0, sizeof r);
  r.cfg = out;
  r.path = path;
  r.err = err;
  r.errlen = errlen;
  if (errlen)
    err[0] = '\0';
  r.f = fopen(path, "r");
  if (!r.f) {
    snprintf(err, errlen, "%s: %s", path, strerror(errno));
    return -1;
  }
  /* The handler never stops the parse, so a positive result is the first
   * line inih could not read at all. */
  perr = ini_parse_stream(read_line, &r, on_value, &r);
  if (perr > 0)
    problem(&r, perr, "not an INI line (expected key = value or [section])");
  else if (perr < 0 || ferror(r.f))
    problem(&r, 0, "cannot read");
  check_required(&r, out);
  fclose(r.f);
  return r.problems;
}

int config_load(struct config *cfg, const char *path, char *err, size_t errlen) {
  struct config next;

  config_defaults(&next);
  if (load(&next, path, err, errlen) != 0) {
    config_free(&next);
    return -1;
  }
  config_free(cfg);
  *cfg = next;
  return 0;
}

int config_load_lenient(struct config *cfg, const char *path, char *err, size_t errlen) {
  config_free(cfg);
  config_defaults(cfg);
  return load(cfg, path, err, errlen);
}

void config_describe(FILE *f) {
  size_t i;

  for (i = 0; i < NOPTIONS; i++)
    fprintf(f, "%-26s default %-10s %s\n", options[i].name,
            options[i].def[0] ? options[i].def : "\"\"", options[i].doc);
}
