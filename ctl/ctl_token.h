/*
 * ctl_token.h — `ocopctl token`: the key that seals marketplace tokens at
 * rest (lib/tokenkey.h), and sealing for the commands that store tokens.
 *
 *   ocopctl token new-key FILE      writes a new random key (mode 600)
 *   ocopctl token rotate-key NEWKEYFILE [--credentials-dir DIR]
 *                                   re-seals every token under the new key in
 *                                   one transaction, then puts the new key
 *                                   file in place of DIR/tokens.key
 */
#ifndef OCOP_CTL_TOKEN_H
#define OCOP_CTL_TOKEN_H

#include <stddef.h>

#include "ocopctl.h"
#include "tokenseal.h"

int cmd_token(struct ctl *ctl, int argc, char **argv);

/* Seals a shop's pair with the key of dir (NULL: $CREDENTIALS_DIRECTORY)
 * into acc_out and ref_out (TSEAL_BLOB_MAX bytes each). CTL_OK, or CTL_FAIL
 * after printing "ocopctl: COMMAND: ..." (nothing is stored then). */
int ctl_token_seal(const char *command, const char *dir, long long shop, const char *access,
                   const char *refresh, char *acc_out, char *ref_out);

#endif
