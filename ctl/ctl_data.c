/*
 * ctl_data.c — what the data commands share (ctl_data.h).
 */
#include "ctl_data.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_error.h"

static const struct {
  const char *noun;
  const char *sql;
  const char *see;
} kinds[] = {
    [CTL_SHOP] = {"shop", "SELECT 1 FROM shop WHERE name = $1", "ocopctl shop list"},
    [CTL_PRODUCT] = {"product", "SELECT 1 FROM product WHERE code = $1", "ocopctl certs"},
    [CTL_SKU] = {"SKU", "SELECT 1 FROM variant WHERE sku = $1",
                 "ocopctl stock show --product CODE"},
};

PGresult *ctl_data_query(PGconn *conn, const char *command, const char *sql, int n,
                         const char *const *params) {
  PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);

  if (PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK)
    return r;
  ctl_pg_error(command, conn, r);
  PQclear(r);
  return NULL;
}

int ctl_data_known(PGconn *conn, const char *command, enum ctl_kind kind, const char *value) {
  const char *params[1] = {value};
  PGresult *r = ctl_data_query(conn, command, kinds[kind].sql, 1, params);
  int found;

  if (!r)
    return -1;
  found = PQntuples(r) > 0;
  PQclear(r);
  if (!found)
    fprintf(stderr, "ocopctl: %s: unknown %s \"%s\" (see %s)\n", command, kinds[kind].noun, value,
            kinds[kind].see);
  return found;
}

int ctl_data_number(const char *s, long long min, long long max, long long *out) {
  char *end;

  errno = 0;
  *out = strtoll(s, &end, 10);
  /* strtoll takes leading blanks; a number on the command line has none. */
  return s[0] != '\0' && s[0] != ' ' && s[0] != '\t' && !errno && *end == '\0' && *out >= min &&
         *out <= max;
}

int ctl_data_bad(const char *command, const char *option, const char *value, const char *what) {
  fprintf(stderr, "ocopctl: %s: %s \"%s\" is not %s\n", command, option, value, what);
  return CTL_USAGE;
}

void ctl_data_print_json(cJSON *j) {
  char *text = cJSON_Print(j);

  if (text)
    printf("%s\n", text);
  free(text);
  cJSON_Delete(j);
}

cJSON *ctl_data_str(const PGresult *r, int i, int c) {
  return PQgetisnull(r, i, c) ? cJSON_CreateNull() : cJSON_CreateString(PQgetvalue(r, i, c));
}

cJSON *ctl_data_num(const PGresult *r, int i, int c) {
  return PQgetisnull(r, i, c) ? cJSON_CreateNull() : cJSON_CreateNumber(atof(PQgetvalue(r, i, c)));
}
