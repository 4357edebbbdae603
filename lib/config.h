/*
 * config.h — ocopd's settings, read from an INI file.
 *
 * Every option is one row of the table in config.c (name, type, default,
 * limits, meaning), in the manner of PgBouncer: parsing, defaults, limits and
 * the documentation in config/ocopd.conf all follow that one table. Errors
 * name the file and line: "ocopd.conf:12: job_lease: "x" is not a duration".
 */
#ifndef OCOP_CONFIG_H
#define OCOP_CONFIG_H

#include <stddef.h>

#include "log.h"

struct config {
  char *database;         /* libpq connection string (may hold a password) */
  char *connector_dir;    /* where the connector .so files are */
  char *credentials_dir;  /* "" → $CREDENTIALS_DIRECTORY */
  char *admin_listen;     /* "" → no admin HTTP server */
  char *expiry_warnings;  /* SQL array literal of warning tiers in days */
  char *rate_limits;      /* "shopee:10,lazada:10": requests/s per shop */
  enum log_level log_level;
  unsigned concurrency;   /* marketplace calls in flight at most */
  unsigned claim_batch;   /* jobs claimed per query at most */
  unsigned job_lease_ms;
  unsigned max_attempts;
  unsigned create_settle_ms; /* how long a create of unknown outcome is looked for */
  unsigned retry_base_ms;
  unsigned retry_max_ms;
  unsigned sweep_interval_ms;
  unsigned poll_interval_ms;
  unsigned http_timeout_ms;
  unsigned http_connect_timeout_ms;
  unsigned max_response;
  unsigned shutdown_timeout_ms;
  unsigned progress_interval_ms; /* 0 → no progress lines */
  char *webhook_listen;     /* "" → no webhook server */
  char *webhook_public_url; /* scheme://host[:port] the marketplaces call; Shopee signs it */
  unsigned webhook_max_age_ms;
  unsigned webhook_request_timeout_ms; /* a whole request, slow clients included */
  unsigned webhook_max_connections;
  unsigned webhook_connections_per_ip; /* 0 → no limit per address */
  unsigned order_poll_interval_ms;
  unsigned order_poll_overlap_ms;
  unsigned order_lookback_ms;
  unsigned reconcile_interval_ms;
  char *media_dir;          /* "" → only https images */
  unsigned media_rescan_ms; /* 0 → never read an image again */
};

/* Fills *cfg with every default. */
void config_defaults(struct config *cfg);
/* Reads path over the defaults. On error returns -1 with one line
 * "path:line: what" per problem in err (every problem, as far as errlen
 * holds them), and leaves *cfg as it was. */
int config_load(struct config *cfg, const char *path, char *err, size_t errlen);

/* For --check-config: reads path over the defaults into *cfg keeping every
 * value that is valid, and returns the number of problems (-1: the file
 * cannot be read), reported in err as config_load does. */
int config_load_lenient(struct config *cfg, const char *path, char *err, size_t errlen);
void config_free(struct config *cfg);

/* The rate for marketplace in a rate_limits value; 0 when absent. */
double config_rate(const char *rates, const char *marketplace);

/* Writes the annotated option list (for `ocopd --help-config`). */
void config_describe(FILE *f);

#endif
