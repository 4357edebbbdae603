/*
 * tokenkey.h — the key this process seals and opens marketplace tokens with.
 *
 * It lives in <credentials dir>/tokens.key (credentials_dir, else systemd's
 * $CREDENTIALS_DIRECTORY with LoadCredential=tokens.key:...), beside the
 * shops' secrets and with the same checks (lib/secret.h); never in the
 * database. Every daemon that shares the database shares the file. It is
 * read when first needed and then held: a file that turns bad later does not
 * take away a key in use. A blob sealed under another key makes the file be
 * read again (at most every few seconds), so a daemon follows `ocopctl token
 * rotate-key` without a restart.
 *
 * Tokens in clear (written before sealing, or by hand) are used as they
 * are; ocopd seals them at its start (daemon/token_seal.h).
 */
#ifndef OCOP_TOKENKEY_H
#define OCOP_TOKENKEY_H

#include <stddef.h>

#include "tokenseal.h"

#define TKEY_FILE "tokens.key"

/* Reads a key file (path) into key: 0, or -1 with a reason naming the file. */
int tkey_read_file(const char *path, struct tseal_key *key, char *err, size_t errlen);

/* The credentials directory in force (NULL: none); the key already held is
 * kept until a read of the new place succeeds. */
void tkey_set_dir(const char *dir);
/* Reads the key file now. 0, or -1 with a reason (a key held stays). */
int tkey_load(char *err, size_t errlen);
/* The key held, reading it first if needed; NULL with a reason in err. */
const struct tseal_key *tkey_get(char *err, size_t errlen);
/* Wipes the key held. */
void tkey_forget(void);

/* Seals a token for column of shop with the key held (tokenseal.h). */
int tkey_seal(long long shop, const char *column, const char *clear, char *out, size_t outlen,
              char *err, size_t errlen);
/* Opens what the column holds: a blob with the key held (reading the file
 * again when the blob names another key), a token in clear as it is. 0, or
 * -1 with a one-line reason naming the shop and what to do. */
int tkey_open(long long shop, const char *shop_name, const char *column, const char *stored,
              char *out, size_t outlen, char *err, size_t errlen);

#endif
