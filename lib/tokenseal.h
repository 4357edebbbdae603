/*
 * tokenseal.h — marketplace tokens sealed at rest with AES-256-GCM.
 *
 * The token table holds blobs, never tokens: a dump or a backup of the
 * database is useless without the key, which lives in a file beside the
 * shops' secrets (lib/tokenkey.h), never in the database. A blob is
 *
 *   ocs1:KEYID:BASE64(nonce[12] | ciphertext | tag[16])
 *
 * KEYID names the key that sealed it (a fingerprint of the key, not the key),
 * so a blob sealed under another key is told apart from a damaged one. The
 * shop id and the column are authenticated with it: a blob copied to another
 * shop, or from refresh_token to access_token, does not open. The empty
 * string (no token) stays empty.
 */
#ifndef OCOP_TOKENSEAL_H
#define OCOP_TOKENSEAL_H

#include <stddef.h>

#define TSEAL_KEY_LEN 32     /* AES-256 */
#define TSEAL_ID_LEN 8       /* hex characters of the key id */
#define TSEAL_TOKEN_MAX 512  /* the longest token a connector returns, NUL included */
#define TSEAL_BLOB_MAX 1024  /* the longest blob, NUL included */
#define TSEAL_PREFIX "ocs1:"

#define TSEAL_OK 0
#define TSEAL_BAD (-1)       /* not a blob, damaged, or bound to another shop or column */
#define TSEAL_OTHER_KEY (-2) /* sealed under another key */

struct tseal_key {
  unsigned char k[TSEAL_KEY_LEN];
  char id[TSEAL_ID_LEN + 1];
};

/* A key from its file's text: 64 hex digits. */
int tseal_key_parse(struct tseal_key *key, const char *hex, char *err, size_t errlen);
/* A new random key; its file's text (64 hex digits and a NUL) into hex. */
int tseal_key_generate(struct tseal_key *key, char hex[2 * TSEAL_KEY_LEN + 1]);
/* Wipes the key from memory. */
void tseal_key_wipe(struct tseal_key *key);

/* 1 when v is a blob (by its prefix), 0 for a token in clear or "". */
int tseal_is_sealed(const char *v);
/* The key id a blob names into id; -1 when v is not a blob. */
int tseal_blob_key_id(const char *v, char id[TSEAL_ID_LEN + 1]);

/* Seals clear (shorter than TSEAL_TOKEN_MAX) for column of shop into out
 * (TSEAL_BLOB_MAX bytes). "" seals to "". 0, or -1 with a reason in err. */
int tseal_seal(const struct tseal_key *key, long long shop, const char *column, const char *clear,
               char *out, size_t outlen, char *err, size_t errlen);
/* Opens a blob into out (TSEAL_TOKEN_MAX bytes): TSEAL_OK, or TSEAL_BAD or
 * TSEAL_OTHER_KEY with a reason in err that never holds the blob. */
int tseal_open(const struct tseal_key *key, long long shop, const char *column, const char *blob,
               char *out, size_t outlen, char *err, size_t errlen);

#endif
