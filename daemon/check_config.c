/* check_config.c — see check_config.h. */
#include "check_config.h"

#include <libpq-fe.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "addr.h"
#include "config.h"
#include "log.h"
#include "migrate.h"
#include "registry.h"
#include "secret.h"
#include "tokenkey.h"

struct check {
  FILE *out;
  int problems;
  const struct config *cfg;
  struct registry *reg; /* NULL when no connector could be loaded */
  PGconn *conn;         /* NULL when the database does not answer */
};

static void say(struct check *c, int ok, const char *fmt, ...) LOG_PRINTF(3, 4);

static void say(struct check *c, int ok, const char *fmt, ...) {
  va_list ap;

  if (!ok)
    c->problems++;
  fprintf(c->out, "  %-7s ", ok ? "ok" : "PROBLEM");
  va_start(ap, fmt);
  vfprintf(c->out, fmt, ap);
  va_end(ap);
  fputc('\n', c->out);
}

/* Each line of the loader's report is one problem. */
static void report_config(struct check *c, const char *path, int n, const char *err) {
  const char *p = err;

  if (n == 0) {
    say(c, 1, "config: %s read", path);
    return;
  }
  while (p && *p) {
    const char *nl = strchr(p, '\n');
    int len = nl ? (int)(nl - p) : (int)strlen(p);

    say(c, 0, "config: %.*s", len, p);
    p = nl ? nl + 1 : NULL;
  }
}

/* Bound and released at once: at ExecStartPre nothing holds the port yet,
 * so a failure here is a failure at start. */
static void check_listen(struct check *c, const char *key, const char *value) {
  struct sockaddr_in sa;
  int e;

  if (!value[0]) {
    say(c, 1, "%s: off", key);
    return;
  }
  if (addr_parse_listen(value, &sa) != 0)
    return; /* the config lines above name it */
  if ((e = addr_try_bind(&sa)) != 0)
    say(c, 0, "%s: cannot listen on %s: %s (is another ocopd running?)", key, value,
        strerror(e));
  else
    say(c, 1, "%s: %s%s", key, value,
        addr_is_loopback(&sa) ? "" : " (not loopback: put it behind a firewall)");
}

/* A key the config lines already refused is not checked again. */
static void check_listens(struct check *c, const char *config_err) {
  const struct config *cfg = c->cfg;

  if (!strstr(config_err, ": webhook_listen: "))
    check_listen(c, "webhook_listen", cfg->webhook_listen);
  if (!strstr(config_err, ": admin_listen: "))
    check_listen(c, "admin_listen", cfg->admin_listen);
  if (cfg->webhook_listen[0] && strcmp(cfg->webhook_listen, cfg->admin_listen) == 0)
    say(c, 0, "admin_listen: the same address as webhook_listen; give each its own port");
}

/* Every push connection is an open file, beside the marketplace calls, the
 * admin endpoint's 32 and the database connections: a limit below them all
 * fails under abuse, when the endpoint fills up. */
static void check_open_files(struct check *c) {
  const struct config *cfg = c->cfg;
  unsigned long need = (unsigned long)cfg->webhook_max_connections + cfg->concurrency + 64;
  struct rlimit rl;

  if (!cfg->webhook_listen[0] || getrlimit(RLIMIT_NOFILE, &rl) != 0 ||
      rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need)
    return;
  say(c, 0, "webhook_max_connections: %u push connections and the rest need about %lu open "
      "files, but this process may open %lu; raise LimitNOFILE or lower "
      "webhook_max_connections", cfg->webhook_max_connections, need,
      (unsigned long)rl.rlim_cur);
}

static void check_connectors(struct check *c) {
  int bad = 0;
  size_t i, n;
  char names[256] = "";

  c->reg = registry_load(c->cfg->connector_dir, &bad);
  n = c->reg ? registry_count(c->reg) : 0;
  for (i = 0; i < n; i++) {
    size_t used = strlen(names);

    snprintf(names + used, sizeof names - used, "%s%s", i ? " " : "",
             registry_at(c->reg, i)->name);
  }
  if (n == 0)
    say(c, 0, "connectors: none loaded from %s: ocopd would have nothing to mirror with",
        c->cfg->connector_dir);
  else
    say(c, 1, "connectors: %s (from %s)", names, c->cfg->connector_dir);
  if (n > 0 && bad > 0)
    say(c, 0, "connectors: %d file(s) in %s could not be loaded (the log lines above say why)",
        bad, c->cfg->connector_dir);
}

/* The first line of libpq's message: the rest is hints. It never holds the
 * password, and the connection string itself is never printed. */
static void check_database(struct check *c) {
  const char *keys[] = {"dbname", "connect_timeout", "fallback_application_name", NULL};
  const char *vals[] = {c->cfg->database, "10", "ocopd --check-config", NULL};
  int current, wanted;
  char err[512];

  c->conn = PQconnectdbParams(keys, vals, 1);
  if (PQstatus(c->conn) != CONNECTION_OK) {
    const char *msg = PQerrorMessage(c->conn);

    say(c, 0, "database: cannot connect: %.*s", (int)strcspn(msg, "\n"), msg);
    PQfinish(c->conn);
    c->conn = NULL;
    return;
  }
  if (migrate_version(c->conn, &current, &wanted, err, sizeof err) != 0)
    say(c, 0, "database: schema: %s", err);
  else if (current == wanted)
    say(c, 1, "database: answers; schema version %d, this build's", current);
  else
    say(c, 1, "database: answers; schema version %d, ocopd migrates it to %d at start", current,
        wanted);
}

static void check_credentials_dir(struct check *c, const char *dir) {
  char err[600];

  if (!dir || !dir[0]) {
    say(c, 0, "credentials: no folder: set credentials_dir, or give the secrets with "
              "systemd's LoadCredential= ($CREDENTIALS_DIRECTORY)");
    return;
  }
  if (secret_dir_check(dir, err, sizeof err) != 0)
    say(c, 0, "credentials: %s", err);
  else
    say(c, 1, "credentials: %s", dir);
}

/* Every sealed token names the key in force. */
static void check_token_key_id(struct check *c, const struct tseal_key *key, const char *path) {
  const char *params[1] = {key->id};
  PGresult *r = PQexecParams(c->conn,
                             "SELECT s.name, substr(t.access_token, 6, 8) FROM token t "
                             "JOIN shop s ON s.id = t.shop_id WHERE t.access_token LIKE 'ocs1:%' "
                             "AND substr(t.access_token, 6, 8) <> $1 ORDER BY s.name LIMIT 1",
                             1, NULL, params, NULL, NULL, 0);

  if (PQresultStatus(r) == PGRES_TUPLES_OK && PQntuples(r) == 1)
    say(c, 0, "token key: shop %s's tokens are sealed under key %s, but %s is key %s: put "
              "back the key that sealed them",
        PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), path, key->id);
  else
    say(c, 1, "token key: %s (key %s)", path, key->id);
  PQclear(r);
}

/* The token key (lib/tokenkey.h): needed once a token is stored, and it
 * must be the key the stored tokens were sealed under. */
static void check_token_key(struct check *c, const char *dir) {
  struct tseal_key key;
  char path[4200], err[512];
  PGresult *r;
  long long tokens;
  int have;

  r = PQexec(c->conn, "SELECT count(*) FROM token "
                      "WHERE access_token <> '' OR refresh_token <> ''");
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    PQclear(r);
    return;
  }
  tokens = strtoll(PQgetvalue(r, 0, 0), NULL, 10);
  PQclear(r);
  snprintf(path, sizeof path, "%s/%s", dir && dir[0] ? dir : ".", TKEY_FILE);
  have = dir && dir[0] && tkey_read_file(path, &key, err, sizeof err) == 0;
  if (!have && tokens == 0)
    say(c, 1, "token key: none yet; create it before storing tokens (ocopctl token new-key %s)",
        path);
  else if (!have)
    say(c, 0, "token key: %s", dir && dir[0] ? err : "no credentials folder to read it from");
  else
    check_token_key_id(c, &key, path);
  if (have)
    tseal_key_wipe(&key);
}

/* One shop: its connector, and its secret unless it is a file channel. */
static void check_shop(struct check *c, const char *dir, const char *name, const char *mp,
                       const char *status) {
  const oc_connector *conn = c->reg ? registry_find(c->reg, mp) : NULL;
  secret_t *s;
  char err[256];

  if (!conn) {
    say(c, 0, "shop %s: no %s connector is loaded", name, mp);
    return;
  }
  if (conn->caps & OC_CAP_FEED) {
    say(c, 1, "shop %s (%s): a file channel, no secret needed", name, mp);
    return;
  }
  s = dir && dir[0] ? secret_acquire(dir, name, err, sizeof err) : NULL;
  if (!s) {
    say(c, 0, "shop %s (%s): %s", name, mp,
        dir && dir[0] ? err : "no credentials folder to read its secret from");
    return;
  }
  secret_release(s);
  say(c, 1, "shop %s (%s): secret readable%s", name, mp,
      strcmp(status, "needs_reauth") == 0 ? "; waiting for new tokens (ocopctl shop authorize)"
                                          : "");
}

static void check_shops(struct check *c) {
  const char *dir = secret_dir(c->cfg->credentials_dir);
  PGresult *r;
  int i, n, needs_dir = 0;

  if (!c->conn) {
    say(c, 0, "shops: not checked: no database");
    return;
  }
  r = PQexec(c->conn, "SELECT name, marketplace, status FROM shop "
                      "WHERE status NOT IN ('paused', 'removed') ORDER BY name");
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    say(c, 0, "shops: cannot read them: %.*s", (int)strcspn(PQresultErrorMessage(r), "\n"),
        PQresultErrorMessage(r));
    PQclear(r);
    return;
  }
  n = PQntuples(r);
  for (i = 0; i < n; i++) {
    const oc_connector *conn = c->reg ? registry_find(c->reg, PQgetvalue(r, i, 1)) : NULL;

    needs_dir |= conn && !(conn->caps & OC_CAP_FEED);
  }
  if (needs_dir || (dir && dir[0]))
    check_credentials_dir(c, dir);
  check_token_key(c, dir);
  for (i = 0; i < n; i++)
    check_shop(c, dir, PQgetvalue(r, i, 0), PQgetvalue(r, i, 1), PQgetvalue(r, i, 2));
  if (n == 0)
    say(c, 1, "shops: none active yet (ocopctl shop add)");
  PQclear(r);
}

int check_config_run(const char *path, FILE *out) {
  struct config cfg;
  struct check c;
  char err[4096];
  int n;

  memset(&c, 0, sizeof c);
  c.out = out;
  c.cfg = &cfg;
  config_defaults(&cfg);
  fprintf(out, "ocopd: checking %s\n", path);
  n = config_load_lenient(&cfg, path, err, sizeof err);
  if (n < 0) {
    say(&c, 0, "config: %s", err);
    goto out;
  }
  report_config(&c, path, n, err);
  check_listens(&c, err);
  check_open_files(&c);
  check_connectors(&c);
  if (cfg.database[0])
    check_database(&c);
  check_shops(&c);
out:
  if (c.problems)
    fprintf(out, "%s: %d problem%s\n", path, c.problems, c.problems == 1 ? "" : "s");
  else
    fprintf(out, "%s: ok\n", path);
  PQfinish(c.conn);
  registry_unref(c.reg);
  secret_forget();
  config_free(&cfg);
  return c.problems;
}
