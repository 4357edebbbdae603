/*
 * secret.h — partner keys and app secrets, read from files.
 *
 * A shop's secret lives in <dir>/<shop name>.secret, where dir is the
 * configured credentials_dir or systemd's $CREDENTIALS_DIRECTORY
 * (LoadCredential=). Never from the database or the config file. A file that
 * group or others may read is refused, so a mistake is caught at once rather
 * than leaking quietly. Values are cached until secret_forget() (SIGHUP).
 */
#ifndef OCOP_SECRET_H
#define OCOP_SECRET_H

#include <stddef.h>

#define SECRET_MAX 512

/* The directory in force: dir if non-empty, else $CREDENTIALS_DIRECTORY,
 * else NULL. */
const char *secret_dir(const char *configured);

/* The secret of shop `name`, or NULL with a reason in err (no secret in it). */
const char *secret_get(const char *dir, const char *name, char *err, size_t errlen);

/* Drops the cache (and wipes it from memory). */
void secret_forget(void);

#endif
