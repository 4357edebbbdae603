/*
 * token_seal.h — at start, every token in the database sealed under the key
 * in force (lib/tokenkey.h).
 *
 * Tokens in clear (from a version before sealing, or stored by hand) are
 * sealed, all in one transaction: the first start with a key seals an
 * upgraded database. A token sealed under another key stops the start with
 * an error naming the shop: a changed key is said, never used silently.
 * With tokens in the database and no key, ocopd does not start either.
 */
#ifndef OCOP_TOKEN_SEAL_H
#define OCOP_TOKEN_SEAL_H

#include <libpq-fe.h>
#include <stddef.h>

/* Blocking, before the migrations: the same checks, changing nothing, so
 * that a missing or wrong key stops the start before the schema moves (a
 * database without a token table passes). 0, or -1 with a reason in err. */
int token_seal_check(PGconn *conn, char *err, size_t errlen);
/* Blocking, after them. 0, or -1 with a one-line reason in err. */
int token_seal_at_start(PGconn *conn, char *err, size_t errlen);

#endif
