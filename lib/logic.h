/*
 * logic.h — the SQL logic files: the current definition of every function,
 * view and trigger (the files in sql/logic/; sql/README.md), applied after
 * the numbered migrations (migrate.h) and recorded in
 *
 *   schema_logic(name, checksum, schema_version, applied_at)
 *
 * When a file is new, gone or changed (its checksum), or the schema version
 * moved since the files were applied, every file is applied again, in
 * order, in one transaction under the migration lock, and the records are
 * replaced. Every file, not only the changed ones: a file may drop (with
 * CASCADE) what a later file defines, and a migration may drop a view to
 * change a column it reads; applying the whole set in order always ends at
 * exactly the files' definitions. Nothing is written when all is current.
 *
 * Logic files may hold several statements but no transaction control.
 * Blocking libpq, like migrate.h.
 */
#ifndef OCOP_LOGIC_H
#define OCOP_LOGIC_H

#include <stddef.h>

#include <libpq-fe.h>

struct sql_logic {
  const char *name;     /* under sql/, e.g. "logic/clock.sql" */
  const char *sql;      /* the file's exact text */
  const char *checksum; /* SHA-256 of the file, lower-case hex */
};

/* Generated at build time (sql_migrations.c), in the order of application. */
extern const struct sql_logic sql_logic[];
extern const size_t sql_logic_count;

/* Brings the logic up to set on a database whose schema is at `version`
 * (the newest migration the caller knows; a database at another version is
 * refused). Returns the number of files applied (0 when current), or -1 with
 * a one-line reason in err, having changed nothing. */
int logic_apply_set(PGconn *conn, const struct sql_logic *set, size_t count, int version,
                    char *err, size_t errlen);

/* Returns 0 when the applied logic is exactly set, applied on `version`;
 * else -1 and a reason ending in "run ocopctl migrate". Changes nothing. */
int logic_check_set(PGconn *conn, const struct sql_logic *set, size_t count, int version,
                    char *err, size_t errlen);

#endif
