/*
 * secret.h — partner keys and app secrets, read from files.
 *
 * A shop's secret lives in <dir>/<shop name>.secret, where dir is the
 * configured credentials_dir or systemd's $CREDENTIALS_DIRECTORY
 * (LoadCredential=). Never from the database or the config file. A file that
 * group or others may read is refused, so a mistake is caught at once rather
 * than leaking quietly.
 *
 * Secrets are reference-counted. A call takes a reference when it starts
 * and releases it when it ends, so the value it signs with stays valid for
 * the whole call even when SIGHUP re-reads the files meanwhile: the cache
 * is one holder among others, and secret_forget() only drops its own
 * references. A value is wiped from memory when its last holder lets go.
 */
#ifndef OCOP_SECRET_H
#define OCOP_SECRET_H

#include <stddef.h>

#define SECRET_MAX 512

typedef struct secret secret_t;

/* The directory in force: dir if non-empty, else $CREDENTIALS_DIRECTORY,
 * else NULL. */
const char *secret_dir(const char *configured);

/* 0 when dir is a folder this user can read; else -1 with "dir: why" in
 * err. */
int secret_dir_check(const char *dir, char *err, size_t errlen);

/* A reference to the secret of shop `name` (from the cache, or read now and
 * cached), or NULL with a reason in err (no secret in it). */
secret_t *secret_acquire(const char *dir, const char *name, char *err, size_t errlen);
/* Another reference to s (returned); NULL stays NULL. */
secret_t *secret_ref(secret_t *s);
/* The value; valid until this reference is released. */
const char *secret_value(const secret_t *s);
/* Ends a reference (NULL is ignored); the last one wipes and frees. */
void secret_release(secret_t *s);

/* Reads one credential file into out (at most outlen - 1 bytes, trailing
 * blanks dropped), refusing a file that is not regular, is a symlink, is
 * readable by group or others, or is empty. 0, or -1 with a reason in err. */
int secret_read_file(const char *path, char *out, size_t outlen, char *err, size_t errlen);

/* Drops the cache (SIGHUP): the next acquire reads the file again. Values
 * still held by calls stay valid until those calls release them. */
void secret_forget(void);

#endif
