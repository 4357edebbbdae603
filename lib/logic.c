/* logic.c — see logic.h. */
#include "logic.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema_db.h"

/* The first difference between the database and the set, in words, or NULL
 * when there is none: a file of the set that is not applied, differs, or
 * was applied on another schema version ($3), then an applied file the set
 * no longer has. $1 and $2 are the set's names and checksums. */
static const char *const DIFF_SQL =
    "SELECT coalesce("
    " (SELECT 'sql/' || f.name || CASE"
    "    WHEN l.name IS NULL THEN ' is not applied'"
    "    WHEN l.checksum <> f.checksum THEN ' differs from the applied one'"
    "    ELSE ' was applied on schema version ' || l.schema_version END"
    "    FROM unnest($1::text[], $2::text[]) WITH ORDINALITY AS f (name, checksum, n)"
    "    LEFT JOIN schema_logic l ON l.name = f.name"
    "   WHERE l.name IS NULL OR l.checksum <> f.checksum OR l.schema_version <> $3::int"
    "   ORDER BY f.n LIMIT 1),"
    " (SELECT 'sql/' || l.name || ' is applied but not in this build' FROM schema_logic l"
    "   WHERE l.name <> ALL ($1::text[]) ORDER BY l.name LIMIT 1))";

/* A text[] literal of the names (checksums = 0) or checksums of set; the
 * caller frees it. Names are letters, digits, '_', '.', '-' and '/' only
 * (sql/embed.sh), so quoting each is enough. */
static char *text_array(const struct sql_logic *set, size_t count, int checksums) {
  size_t i, len = 3;
  char *s, *p;

  for (i = 0; i < count; i++)
    len += strlen(checksums ? set[i].checksum : set[i].name) + 3;
  s = p = malloc(len);
  if (!s)
    return NULL;
  *p++ = '{';
  for (i = 0; i < count; i++)
    p += sprintf(p, "%s\"%s\"", i ? "," : "", checksums ? set[i].checksum : set[i].name);
  strcpy(p, "}");
  return s;
}

/* *diff = the first difference (caller frees), or NULL when current. */
static int find_diff(PGconn *conn, const struct sql_logic *set, size_t count, int version,
                     char **diff, char *err, size_t errlen) {
  char vbuf[16];
  const char *params[3];
  char *names = text_array(set, count, 0), *sums = text_array(set, count, 1);
  PGresult *res = NULL;
  int rc = -1;

  *diff = NULL;
  if (!names || !sums) {
    schema_err(err, errlen, "out of memory");
    goto out;
  }
  snprintf(vbuf, sizeof vbuf, "%d", version);
  params[0] = names;
  params[1] = sums;
  params[2] = vbuf;
  res = PQexecParams(conn, DIFF_SQL, 3, NULL, params, NULL, NULL, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    schema_pg_err(err, errlen, "cannot read schema_logic", res, conn);
    goto out;
  }
  if (!PQgetisnull(res, 0, 0) && !(*diff = strdup(PQgetvalue(res, 0, 0)))) {
    schema_err(err, errlen, "out of memory");
    goto out;
  }
  rc = 0;
out:
  PQclear(res);
  free(names);
  free(sums);
  return rc;
}

/* The schema version the database is at (0: no migration ever applied). */
static int schema_version(PGconn *conn, int *version, char *err, size_t errlen) {
  PGresult *res;
  int exists;

  *version = 0;
  if (schema_table_exists(conn, "schema_migration", &exists, err, errlen) != 0)
    return -1;
  if (!exists)
    return 0;
  res = PQexecParams(conn, "SELECT coalesce(max(version), 0) FROM schema_migration", 0, NULL,
                     NULL, NULL, NULL, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    schema_pg_err(err, errlen, "cannot read schema_migration", res, conn);
    PQclear(res);
    return -1;
  }
  *version = atoi(PQgetvalue(res, 0, 0));
  PQclear(res);
  return 0;
}

/* Logic written for one schema version is never applied to another: an
 * older build must not put its functions over a newer build's tables. */
static int same_version(PGconn *conn, int version, char *err, size_t errlen) {
  int current;

  if (schema_version(conn, &current, err, errlen) != 0)
    return -1;
  if (current > version) {
    schema_err(err, errlen,
               "database schema is at version %d, this build knows up to %d: upgrade ocopd",
               current, version);
    return -1;
  }
  if (current < version) {
    schema_err(err, errlen,
               "database schema is at version %d, this build needs %d: run ocopctl migrate",
               current, version);
    return -1;
  }
  return 0;
}

static int create_table(PGconn *conn, char *err, size_t errlen) {
  return schema_exec(conn,
                     "CREATE TABLE schema_logic ("
                     " name text PRIMARY KEY,"
                     " checksum text NOT NULL,"
                     " schema_version int NOT NULL,"
                     " applied_at timestamptz NOT NULL DEFAULT now())",
                     "cannot create schema_logic", err, errlen);
}

/* A logic file holds several statements (schema_exec_script). */
static int run_file(PGconn *conn, const struct sql_logic *f, char *err, size_t errlen) {
  char what[160];

  snprintf(what, sizeof what, "SQL logic sql/%s failed", f->name);
  return schema_exec_script(conn, f->sql, what, err, errlen);
}

static int record(PGconn *conn, const struct sql_logic *f, int version, char *err,
                  size_t errlen) {
  char vbuf[16];
  const char *params[3] = {f->name, f->checksum, vbuf};

  snprintf(vbuf, sizeof vbuf, "%d", version);
  return schema_exec_params(conn,
                            "INSERT INTO schema_logic (name, checksum, schema_version)"
                            " VALUES ($1, $2, $3::int)",
                            3, params, "cannot record the SQL logic", err, errlen);
}

/* Every file in order, then the records replaced. NOTICEs (a DROP ... IF
 * EXISTS of what is not there) would reach ocopd's and ocopctl's stderr. */
static int apply_all(PGconn *conn, const struct sql_logic *set, size_t count, int version,
                     char *err, size_t errlen) {
  size_t i;

  if (schema_exec(conn, "SET LOCAL client_min_messages = warning",
                  "cannot quiet the SQL logic", err, errlen) != 0)
    return -1;
  for (i = 0; i < count; i++)
    if (run_file(conn, &set[i], err, errlen) != 0)
      return -1;
  if (schema_exec(conn, "DELETE FROM schema_logic", "cannot record the SQL logic", err,
                  errlen) != 0)
    return -1;
  for (i = 0; i < count; i++)
    if (record(conn, &set[i], version, err, errlen) != 0)
      return -1;
  return 0;
}

/*
 * Opens the transaction and reads what differs from the set into *diff
 * (NULL: nothing). To apply: under the schema lock, on the schema version
 * the set was built for, creating schema_logic if it is missing. To check:
 * read only, and a missing schema_logic is an error.
 */
static int open_diff(PGconn *conn, const struct sql_logic *set, size_t count, int version,
                     int apply, char **diff, char *err, size_t errlen) {
  int exists;

  if (apply ? schema_begin_locked(conn, err, errlen) != 0 ||
                  same_version(conn, version, err, errlen) != 0
            : schema_exec(conn, "BEGIN READ ONLY", "cannot start a transaction", err,
                          errlen) != 0)
    return -1;
  if (schema_table_exists(conn, "schema_logic", &exists, err, errlen) != 0)
    return -1;
  if (!exists && !apply) {
    schema_err(err, errlen, "the SQL logic was never applied: run ocopctl migrate");
    return -1;
  }
  if (!exists && create_table(conn, err, errlen) != 0)
    return -1;
  return find_diff(conn, set, count, version, diff, err, errlen);
}

/* Applies the set, or with apply 0 only checks it, in one transaction that
 * is rolled back unless the apply commits. */
static int apply_or_check(PGconn *conn, const struct sql_logic *set, size_t count, int version,
                          int apply, char *err, size_t errlen) {
  char *diff = NULL;
  int rc = -1;

  if (schema_check_idle(conn, err, errlen) != 0)
    return -1;
  if (open_diff(conn, set, count, version, apply, &diff, err, errlen) != 0)
    goto out;
  if (!diff)
    rc = 0; /* current: the rollback below writes nothing */
  else if (!apply)
    schema_err(err, errlen, "SQL logic: %s: run ocopctl migrate", diff);
  else if (apply_all(conn, set, count, version, err, errlen) == 0 &&
           schema_exec(conn, "COMMIT", "cannot commit the SQL logic", err, errlen) == 0)
    rc = (int)count;
out:
  schema_rollback(conn);
  free(diff);
  return rc;
}

int logic_apply_set(PGconn *conn, const struct sql_logic *set, size_t count, int version,
                    char *err, size_t errlen) {
  return apply_or_check(conn, set, count, version, 1, err, errlen);
}

int logic_check_set(PGconn *conn, const struct sql_logic *set, size_t count, int version,
                    char *err, size_t errlen) {
  return apply_or_check(conn, set, count, version, 0, err, errlen);
}
