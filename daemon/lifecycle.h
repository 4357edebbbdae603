/*
 * lifecycle.h — certificate lifecycle duties of the daemon.
 *
 * The rules live in SQL (product_eligibility, ocop_expiry_warnings); this
 * module only drives them: it tells the database which connectors can strip
 * OCOP claims (shops on the others fall back to delisting, and the operator
 * is told), and it asks for due expiry warnings and logs each one, once: the
 * database records every (certificate, tier) it has warned about.
 */
#ifndef OCOP_LIFECYCLE_H
#define OCOP_LIFECYCLE_H

#include "db.h"
#include "registry.h"

/* Upserts connector_caps for every loaded connector and warns about shops
 * whose 'strip' policy must fall back to 'delist'. */
void lifecycle_publish_caps(db_t *db, const struct registry *reg);

/* Records and logs the expiry warnings now due. tiers is a SQL array
 * literal such as "{210,180,135,120,60,30,7,1}". */
void lifecycle_warn_expiring(db_t *db, const char *tiers);

#endif
