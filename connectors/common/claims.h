/*
 * claims.h — OCOP claims in titles and descriptions, and the scrubbing of
 * credentials from messages: the same for every marketplace (prefix ocu_).
 * The rules are in docs/ocop-rules.md, "OCOP claims".
 */
#ifndef OCOP_CONN_CLAIMS_H
#define OCOP_CONN_CLAIMS_H

#include <stddef.h>

#include <cJSON.h>

#include "../connector.h"

/* 1 when the listing may show OCOP claims (stars 3..5). */
int ocu_claims(const oc_listing *l);
/* 1 when s mentions "OCOP" in any case: the connector alone writes claims,
 * so a claim already in the catalogue text would survive a strip. */
int ocu_has_ocop(const char *s);
/* The listing title: the name (surrounding blanks dropped), plus
 * " - OCOP N sao" when claims are allowed, within max_cp code points. Only
 * the name is trimmed: at a code point, never parting a base letter from its
 * combining accent (decomposed Vietnamese), without trailing blanks.
 * malloc'd; NULL on OOM. */
char *ocu_claim_title(const oc_listing *l, size_t max_cp);
/* The description, led by "Sản phẩm OCOP N sao (quyết định X)." when claims
 * are allowed. malloc'd; NULL on OOM. */
char *ocu_claim_description(const oc_listing *l);
/* Adds the title (ocu_claim_title within max_cp, under title_key) and the
 * description (under "description") to a request body. 0, or -1 on OOM. */
int ocu_add_claim_text(cJSON *obj, const oc_listing *l, size_t max_cp, const char *title_key);

/* Replaces, in place, every copy of the shop's secret, tokens and auth code
 * (6 bytes or longer) in s by "***": marketplaces echo what they refuse. */
void ocu_scrub_secrets(char *s, const oc_shop *shop);

#endif
