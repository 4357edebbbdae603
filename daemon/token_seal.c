/* token_seal.c — see token_seal.h. */
#include "token_seal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "tokenkey.h"

static const char *const columns[] = {"access_token", "refresh_token"};

/* PostgreSQL's message, first line only: the reason stays one line. */
static const char *pg_line(const PGresult *r) {
  static char line[256];
  const char *m = PQresultErrorMessage(r);

  snprintf(line, sizeof line, "%.*s", (int)strcspn(m, "\n"), m);
  return line;
}

static int exec_ok(PGconn *conn, const char *sql, int n, const char *const *params, char *err,
                   size_t errlen) {
  PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus(r);
  int ok = st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;

  if (!ok)
    snprintf(err, errlen, "cannot seal the tokens: %s", pg_line(r));
  PQclear(r);
  return ok ? 0 : -1;
}

/* Checks one row's tokens and, with write, seals those in clear; *sealed
 * counts them. */
static int seal_row(PGconn *conn, const PGresult *res, int row, int write, int *sealed,
                    char *err, size_t errlen) {
  long long shop = strtoll(PQgetvalue(res, row, 0), NULL, 10);
  const char *name = PQgetvalue(res, row, 1);
  char blob[2][TSEAL_BLOB_MAX], clear[TSEAL_TOKEN_MAX];
  const char *params[3];
  int i, n = 0, rc = -1;

  for (i = 0; i < 2; i++) {
    const char *v = PQgetvalue(res, row, 2 + i);

    /* A blob must open; one under another key stops the start. */
    if (tkey_open(shop, name, columns[i], v, clear, sizeof clear, err, errlen) != 0)
      goto out;
    if (tseal_is_sealed(v) || !v[0]) {
      snprintf(blob[i], sizeof blob[i], "%s", v);
      continue;
    }
    if (tkey_seal(shop, columns[i], clear, blob[i], sizeof blob[i], err, errlen) != 0)
      goto out;
    n++;
  }
  params[0] = PQgetvalue(res, row, 0);
  params[1] = blob[0];
  params[2] = blob[1];
  if (n > 0 && write &&
      exec_ok(conn, "UPDATE token SET access_token = $2, refresh_token = $3 "
                             "WHERE shop_id = $1::bigint", 3, params, err, errlen) != 0)
    goto out;
  *sealed += n;
  rc = 0;
out:
  explicit_bzero(clear, sizeof clear);
  return rc;
}

static int run(PGconn *conn, int write, char *err, size_t errlen) {
  PGresult *res = NULL;
  int i, sealed = 0, rc = -1;

  if (exec_ok(conn, "BEGIN", 0, NULL, err, errlen) != 0)
    return -1;
  res = PQexec(conn, write ? "SELECT t.shop_id, s.name, t.access_token, t.refresh_token "
                             "FROM token t JOIN shop s ON s.id = t.shop_id "
                             "WHERE t.access_token <> '' OR t.refresh_token <> '' "
                             "ORDER BY t.shop_id FOR UPDATE OF t"
                           : "SELECT t.shop_id, s.name, t.access_token, t.refresh_token "
                             "FROM token t JOIN shop s ON s.id = t.shop_id "
                             "WHERE t.access_token <> '' OR t.refresh_token <> '' "
                             "ORDER BY t.shop_id");
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    snprintf(err, errlen, "cannot read the tokens: %s", pg_line(res));
    goto out;
  }
  for (i = 0; i < PQntuples(res); i++)
    if (seal_row(conn, res, i, write, &sealed, err, errlen) != 0)
      goto out;
  if (exec_ok(conn, write ? "COMMIT" : "ROLLBACK", 0, NULL, err, errlen) != 0)
    goto out;
  if (sealed > 0 && write)
    log_info("main", "tokens in clear sealed under the token key", "tokens=%d", sealed);
  rc = 0;
out:
  if (rc != 0)
    PQclear(PQexec(conn, "ROLLBACK"));
  PQclear(res);
  return rc;
}

int token_seal_check(PGconn *conn, char *err, size_t errlen) {
  PGresult *r = PQexec(conn, "SELECT to_regclass('token') IS NOT NULL");
  int has = PQresultStatus(r) == PGRES_TUPLES_OK && PQgetvalue(r, 0, 0)[0] == 't';

  PQclear(r);
  return has ? run(conn, 0, err, errlen) : 0;
}

int token_seal_at_start(PGconn *conn, char *err, size_t errlen) { return run(conn, 1, err, errlen); }
