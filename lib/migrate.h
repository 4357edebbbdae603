/*
 * migrate.h — numbered SQL migrations, applied in order and recorded.
 *
 * The migrations are compiled into the binary (sql/embed.sh generates
 * sql_migrations.c from sql/NNN_*.sql), so a build always knows exactly which
 * schema it was written for. Applied migrations are recorded in
 *
 *   schema_migration(version, name, checksum, applied_at)
 *
 * and re-checked on every run: a database that is newer than the build, or
 * whose applied migration no longer matches the file it came from, is refused
 * before anything is changed.
 *
 * Migrations hold tables; functions, views and triggers live in the SQL
 * logic files (sql/logic/, logic.h), which migrate_apply brings up to date
 * after the migrations (sql/README.md).
 *
 * Everything here is blocking libpq: it runs before ocopd starts its loop and
 * from ocopctl. Migration files may hold several statements but no
 * transaction control (BEGIN/COMMIT): each is applied inside a transaction of
 * its own together with its schema_migration row.
 */
#ifndef OCOP_MIGRATE_H
#define OCOP_MIGRATE_H

#include <stddef.h>

#include <libpq-fe.h>

struct migration {
  int version;          /* from the NNN_ prefix; strictly increasing */
  const char *name;     /* file name, e.g. "001_catalogue.sql" */
  const char *sql;      /* the file's exact text */
  const char *checksum; /* SHA-256 of the file, lower-case hex */
};

/* Generated at build time (sql_migrations.c). */
extern const struct migration migrations[];
extern const size_t migrations_count;

/* What migrate_apply did. */
struct migrate_outcome {
  int from;       /* schema version before (0: empty database) */
  int to;         /* schema version after */
  int migrations; /* migrations applied now (0 when already current) */
  int logic;      /* SQL logic files applied now (0 when already current) */
};

/*
 * Brings the schema up to the newest embedded migration, then the SQL logic
 * up to the embedded files (logic_apply_set). Concurrent callers (several
 * ocopd starting at once) are serialised with an advisory lock; each pending
 * migration runs in its own transaction with its record, the logic files in
 * one. On success returns 0 and fills *out (may be NULL). On failure returns
 * -1 with a one-line reason in err; migrations applied before the failing
 * step stay applied. The connection must be idle (not in a transaction).
 */
int migrate_apply(PGconn *conn, struct migrate_outcome *out, char *err, size_t errlen);

/* Returns 0 when the schema and the SQL logic are exactly the embedded
 * ones; else -1 and a reason (missing, behind: "run ocopctl migrate",
 * ahead, or changed). Changes nothing: for callers that must not migrate. */
int migrate_check(PGconn *conn, char *err, size_t errlen);

/* The database's schema version (0: none yet) and this build's, without
 * changing anything; -1 with a message when the recorded migrations are not
 * this build's (a changed file, or a newer schema). */
int migrate_version(PGconn *conn, int *current, int *wanted, char *err, size_t errlen);

/* The migrations alone, on an explicit list; migrate_apply and
 * migrate_check use the embedded one. Exposed so that tests can run made-up
 * migrations. migrate_apply_set returns the number applied, or -1, and sets
 * *from and *to like struct migrate_outcome. */
int migrate_apply_set(PGconn *conn, const struct migration *set, size_t count,
                      int *from, int *to, char *err, size_t errlen);
int migrate_check_set(PGconn *conn, const struct migration *set, size_t count,
                      char *err, size_t errlen);

#endif
