/*
 * token.h — filling an oc_token_result from a marketplace's token answer,
 * the same way for every connector (prefix ocu_).
 */
#ifndef OCOP_CONN_TOKEN_H
#define OCOP_CONN_TOKEN_H

#include <stdint.h>

#include <cJSON.h>

#include "../connector.h"

/*
 * Copies the token pair and the expiries (as the marketplace said them:
 * see oc_expiry_to_unix) into res. A token that does not fit fails res->v
 * (OC_RETRY) as "<lead>token longer than N bytes" and copies nothing.
 */
void ocu_token_set(oc_token_result *res, const oc_shop *shop, const char *lead,
                   const char *access, const char *refresh, int64_t access_expires,
                   int64_t refresh_expires);

/* The required strings access_token and refresh_token of obj (named
 * "<prefix>access_token"... in messages). 0, or -1 with v failed. */
int ocu_token_pair(oc_verdict *v, const oc_shop *shop, const cJSON *obj, const char *prefix,
                   const char *lead, const char **access, const char **refresh);

#endif
