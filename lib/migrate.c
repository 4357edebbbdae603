/* migrate.c — see migrate.h. */
#include "migrate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "logic.h"
#include "schema_db.h"

/* What the database says it has applied. */
struct applied {
  int version;
  char name[128];
  char checksum[80];
};

struct state {
  struct applied *rows;
  int nrows;
  int current; /* highest applied version, 0 when none */
};

/* Reads schema_migration into st; *exists = 0 when the table is absent (a
 * database nothing was ever applied to). */
static int load_state(PGconn *conn, struct state *st, int *exists, char *err,
                      size_t errlen) {
  PGresult *res;
  int i, rc = -1;

  memset(st, 0, sizeof *st);
  if (schema_table_exists(conn, "schema_migration", exists, err, errlen) != 0)
    return -1;
  if (!*exists)
    return 0;
  res = PQexecParams(conn,
                     "SELECT version, name, checksum FROM schema_migration ORDER BY version",
                     0, NULL, NULL, NULL, NULL, 0);
  if (PQresultStatus(res) != PGRES_TUPLES_OK) {
    schema_pg_err(err, errlen, "cannot read schema_migration", res, conn);
    goto out;
  }
  st->nrows = PQntuples(res);
  st->rows = calloc(st->nrows ? (size_t)st->nrows : 1, sizeof *st->rows);
  if (!st->rows) {
    schema_err(err, errlen, "out of memory");
    goto out;
  }
  for (i = 0; i < st->nrows; i++) {
    st->rows[i].version = atoi(PQgetvalue(res, i, 0));
    snprintf(st->rows[i].name, sizeof st->rows[i].name, "%s", PQgetvalue(res, i, 1));
    snprintf(st->rows[i].checksum, sizeof st->rows[i].checksum, "%s",
             PQgetvalue(res, i, 2));
  }
  st->current = st->nrows ? st->rows[st->nrows - 1].version : 0;
  rc = 0;
out:
  PQclear(res);
  return rc;
}

static const struct migration *find(const struct migration *set, size_t count,
                                    int version) {
  size_t i;

  for (i = 0; i < count; i++)
    if (set[i].version == version)
      return &set[i];
  return NULL;
}

static int latest(const struct migration *set, size_t count) {
  return count ? set[count - 1].version : 0;
}

/* Is this database one the build may work on? Refuses a newer schema, an
 * applied migration the build does not know, and one whose file changed. */
static int validate(const struct state *st, const struct migration *set, size_t count,
                    char *err, size_t errlen) {
  int i;

  if (st->current > latest(set, count)) {
    schema_err(err, errlen,
               "database schema is at version %d, this build knows up to %d: upgrade ocopd",
               st->current, latest(set, count));
    return -1;
  }
  for (i = 0; i < st->nrows; i++) {
    const struct migration *m = find(set, count, st->rows[i].version);

    if (!m) {
      schema_err(err, errlen,
                 "database has migration %d (%s), which this build does not know",
                 st->rows[i].version, st->rows[i].name);
      return -1;
    }
    if (strcmp(m->checksum, st->rows[i].checksum) != 0) {
      schema_err(err, errlen, "migration %s was changed after it was applied", m->name);
      return -1;
    }
  }
  return 0;
}

static int is_applied(const struct state *st, int version) {
  int i;

  for (i = 0; i < st->nrows; i++)
    if (st->rows[i].version == version)
      return 1;
  return 0;
}

/* A migration missing below the highest applied one means someone deleted
 * its record or the files were renumbered: applying it late could break. */
static int check_order(const struct state *st, const struct migration *set, size_t count,
                       char *err, size_t errlen) {
  size_t i;

  for (i = 0; i < count && set[i].version < st->current; i++)
    if (!is_applied(st, set[i].version)) {
      schema_err(err, errlen,
                 "migration %s is not applied but the later version %d is: fix schema_migration by hand",
                 set[i].name, st->current);
      return -1;
    }
  return 0;
}

static int create_table(PGconn *conn, char *err, size_t errlen) {
  return schema_exec(conn,
                     "CREATE TABLE schema_migration ("
                     " version int PRIMARY KEY,"
                     " name text NOT NULL,"
                     " checksum text NOT NULL,"
                     " applied_at timestamptz NOT NULL DEFAULT now())",
                     "cannot create schema_migration", err, errlen);
}

static int record(PGconn *conn, const struct migration *m, char *err, size_t errlen) {
  char version[16];
  const char *params[3];

  snprintf(version, sizeof version, "%d", m->version);
  params[0] = version;
  params[1] = m->name;
  params[2] = m->checksum;
  return schema_exec_params(conn,
                            "INSERT INTO schema_migration (version, name, checksum)"
                            " VALUES ($1::int, $2, $3)",
                            3, params, "cannot record the migration", err, errlen);
}

/* The migration's own text is the one statement not sent with
 * PQexecParams: it holds several statements (schema_exec_script). NOTICEs
 * (a DROP ... CASCADE naming what it takes with it) would reach ocopd's and
 * ocopctl's stderr; what they say is in the migration's comments. */
static int run_sql(PGconn *conn, const struct migration *m, char *err, size_t errlen) {
  char what[160];

  snprintf(what, sizeof what, "migration %s failed", m->name);
  if (schema_exec(conn, "SET LOCAL client_min_messages = warning",
                  "cannot quiet the migration", err, errlen) != 0)
    return -1;
  return schema_exec_script(conn, m->sql, what, err, errlen);
}

/* Opens a transaction, under the schema lock to change the schema or read
 * only to check it, and reads the state it holds, checked against the set
 * (an empty state always passes): the start of every use of the state. */
static int begin_state(PGconn *conn, const struct migration *set, size_t count, int locked,
                       struct state *st, int *exists, char *err, size_t errlen) {
  if (locked ? schema_begin_locked(conn, err, errlen) != 0
             : schema_exec(conn, "BEGIN READ ONLY", "cannot start a transaction", err,
                           errlen) != 0)
    return -1;
  if (load_state(conn, st, exists, err, errlen) != 0)
    return -1;
  return validate(st, set, count, err, errlen);
}

/*
 * One transaction: lock, re-read the state (another process may have moved
 * it while we waited), and apply m unless someone already did. Returns 1
 * when applied, 0 when it was already there, -1 on error (rolled back).
 */
static int apply_one(PGconn *conn, const struct migration *set, size_t count,
                     const struct migration *m, char *err, size_t errlen) {
  struct state st = {0};
  int exists, rc = -1;

  if (begin_state(conn, set, count, 1, &st, &exists, err, errlen) != 0)
    goto out;
  if (is_applied(&st, m->version)) {
    rc = 0;
    goto out;
  }
  if (check_order(&st, set, count, err, errlen) != 0)
    goto out;
  if (!exists && create_table(conn, err, errlen) != 0)
    goto out;
  if (run_sql(conn, m, err, errlen) != 0 || record(conn, m, err, errlen) != 0)
    goto out;
  if (schema_exec(conn, "COMMIT", "cannot commit the migration", err, errlen) != 0)
    goto out;
  rc = 1;
out:
  if (rc != 1)
    schema_rollback(conn);
  free(st.rows);
  return rc;
}

/* The state's version, checked against the set in a transaction rolled
 * back at once: under the lock before any change, so that a refusal is
 * decided on what the database really holds; read only to check. */
static int read_state(PGconn *conn, const struct migration *set, size_t count, int locked,
                      int *current, int *exists, char *err, size_t errlen) {
  struct state st = {0};
  int rc = -1;

  if (begin_state(conn, set, count, locked, &st, exists, err, errlen) != 0 ||
      check_order(&st, set, count, err, errlen) != 0)
    goto out;
  *current = st.current;
  rc = 0;
out:
  schema_rollback(conn);
  free(st.rows);
  return rc;
}

int migrate_apply_set(PGconn *conn, const struct migration *set, size_t count,
                      int *from, int *to, char *err, size_t errlen) {
  int current = 0, applied = 0, exists;
  size_t i;

  if (schema_check_idle(conn, err, errlen) != 0)
    return -1;
  if (read_state(conn, set, count, 1, &current, &exists, err, errlen) != 0)
    return -1;
  if (from)
    *from = current;
  for (i = 0; i < count; i++) {
    int r;

    if (set[i].version <= current)
      continue;
    r = apply_one(conn, set, count, &set[i], err, errlen);
    if (r < 0)
      return -1;
    applied += r;
  }
  if (to)
    *to = count ? latest(set, count) : current;
  return applied;
}

int migrate_version(PGconn *conn, int *current, int *wanted, char *err, size_t errlen) {
  int exists = 0;

  *current = 0;
  *wanted = latest(migrations, migrations_count);
  if (schema_check_idle(conn, err, errlen) != 0)
    return -1;
  if (read_state(conn, migrations, migrations_count, 0, current, &exists, err, errlen) != 0)
    return -1;
  if (!exists)
    *current = 0;
  return 0;
}

int migrate_check_set(PGconn *conn, const struct migration *set, size_t count,
                      char *err, size_t errlen) {
  int current = 0, exists = 0;

  if (schema_check_idle(conn, err, errlen) != 0)
    return -1;
  if (read_state(conn, set, count, 0, &current, &exists, err, errlen) != 0)
    return -1;
  if (!exists || current == 0) {
    schema_err(err, errlen, "the database has no ocopd schema: run ocopctl migrate");
    return -1;
  }
  if (current < latest(set, count)) {
    schema_err(err, errlen,
               "database schema is at version %d, this build needs %d: run ocopctl migrate",
               current, latest(set, count));
    return -1;
  }
  return 0;
}

/* The migrations first, each in its own transaction; then the logic files,
 * all in one, on the schema version they were just brought to. */
int migrate_apply(PGconn *conn, struct migrate_outcome *out, char *err, size_t errlen) {
  struct migrate_outcome o = {0};
  int n;

  n = migrate_apply_set(conn, migrations, migrations_count, &o.from, &o.to, err, errlen);
  if (n < 0)
    return -1;
  o.migrations = n;
  n = logic_apply_set(conn, sql_logic, sql_logic_count, o.to, err, errlen);
  if (n < 0)
    return -1;
  o.logic = n;
  if (out)
    *out = o;
  return 0;
}

int migrate_check(PGconn *conn, char *err, size_t errlen) {
  if (migrate_check_set(conn, migrations, migrations_count, err, errlen) != 0)
    return -1;
  return logic_check_set(conn, sql_logic, sql_logic_count,
                         migrations[migrations_count - 1].version, err, errlen);
}
