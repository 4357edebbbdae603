/* preflight.c — see preflight.h. */
#include "preflight.h"

#include <netinet/in.h>
#include <string.h>

#include "addr.h"
#include "log.h"
#include "secret.h"

/* 1 when the server for key could not listen on value. */
static int listen_problem(const char *key, const char *value) {
  struct sockaddr_in sa;
  int e;

  if (!value[0])
    return 0;
  if (addr_parse_listen(value, &sa) != 0) {
    /* lib/config.c refused such a value already; kept for safety. */
    log_error("main", "cannot listen: not IPv4-address:port", "key=%s listen=%s", key, value);
    return 1;
  }
  if ((e = addr_try_bind(&sa)) == 0)
    return 0;
  log_error("main", "cannot listen; nothing was changed: choose a free address or stop what holds it",
            "key=%s listen=%s err=%s", key, value, strerror(e));
  return 1;
}

static int credentials_problem(const struct config *cfg) {
  const char *dir = secret_dir(cfg->credentials_dir);
  char err[600];

  /* No folder at all suits file channels only; --check-config tells
   * whether a shop needs one. */
  if (!dir || secret_dir_check(dir, err, sizeof err) == 0)
    return 0;
  log_error("main", "credentials folder unreadable; nothing was changed", "err=%s", err);
  return 1;
}

int preflight_check(const struct config *cfg) {
  int problems = 0;

  problems += listen_problem("webhook_listen", cfg->webhook_listen);
  problems += listen_problem("admin_listen", cfg->admin_listen);
  if (cfg->webhook_listen[0] && strcmp(cfg->webhook_listen, cfg->admin_listen) == 0) {
    log_error("main", "admin_listen is the same address as webhook_listen; give each its own port",
              "listen=%s", cfg->webhook_listen);
    problems++;
  }
  problems += credentials_problem(cfg);
  return problems;
}
