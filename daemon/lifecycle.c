/* lifecycle.c — see lifecycle.h. */
#include "lifecycle.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

static void on_caps(void *arg, PGresult *res, const char *err) {
  int i;

  (void)arg;
  if (err) {
    log_warn("certs", "cannot record connector capabilities", "err=%s", err);
    return;
  }
  for (i = 0; i < PQntuples(res); i++)
    log_warn("certs",
             "shop policy is strip but its connector cannot strip OCOP claims; lapsed products "
             "will be delisted instead",
             "shop=%s marketplace=%s", PQgetvalue(res, i, 0), PQgetvalue(res, i, 1));
}

void lifecycle_publish_caps(db_t *db, const struct registry *reg) {
  char names[1024] = "{", strip[1024] = "{", content[1024] = "{";
  const char *params[3] = {names, strip, content};
  size_t i, n = registry_count(reg);

  for (i = 0; i < n; i++) {
    const oc_connector *c = registry_at(reg, i);
    size_t a = strlen(names), b = strlen(strip), k = strlen(content);
    /* A connector that reads category rules or uploads images takes the
     * listing's content (sql/logic/content.sql). */
    int takes = oc_supports(c, OC_OP_CATEGORY) || oc_supports(c, OC_OP_UPLOAD_IMAGE);

    /* Connector names are short identifiers: safe inside an array literal. */
    snprintf(names + a, sizeof names - a, "%s%s", i ? "," : "", c->name);
    snprintf(strip + b, sizeof strip - b, "%s%s", i ? "," : "", (c->caps & OC_CAP_STRIP) ? "t" : "f");
    snprintf(content + k, sizeof content - k, "%s%s", i ? "," : "", takes ? "t" : "f");
  }
  strncat(names, "}", sizeof names - strlen(names) - 1);
  strncat(strip, "}", sizeof strip - strlen(strip) - 1);
  strncat(content, "}", sizeof content - strlen(content) - 1);
  db_query(db,
           "WITH caps AS (INSERT INTO connector_caps (marketplace, can_strip, content, updated_at) "
           "SELECT * , now() FROM unnest($1::text[], $2::boolean[], $3::boolean[]) "
           "ON CONFLICT (marketplace) DO UPDATE SET can_strip = EXCLUDED.can_strip, "
           "content = EXCLUDED.content, updated_at = now() "
           "RETURNING marketplace, can_strip) "
           "SELECT s.name, s.marketplace FROM shop s JOIN caps c ON c.marketplace = s.marketplace "
           "WHERE s.policy = 'strip' AND NOT c.can_strip ORDER BY s.name",
           3, params, on_caps, NULL);
}

static void on_warnings(void *arg, PGresult *res, const char *err) {
  int i;

  (void)arg;
  if (err) {
    log_warn("certs", "cannot check certificate expiry", "err=%s", err);
    return;
  }
  for (i = 0; i < PQntuples(res); i++)
    log_warn("certs", "OCOP certificate expires soon",
             "sku=%s product=%s producer=%s certificate=%s valid_until=%s days_left=%s tier=%s "
             "todo=%s",
             PQgetvalue(res, i, PQfnumber(res, "product_code")),
             PQgetvalue(res, i, PQfnumber(res, "product_name")),
             PQgetvalue(res, i, PQfnumber(res, "producer")),
             PQgetvalue(res, i, PQfnumber(res, "decision_no")),
             PQgetvalue(res, i, PQfnumber(res, "valid_until")),
             PQgetvalue(res, i, PQfnumber(res, "days_left")),
             PQgetvalue(res, i, PQfnumber(res, "tier")),
             PQgetvalue(res, i, PQfnumber(res, "advice")));
}

void lifecycle_warn_expiring(db_t *db, const char *tiers) {
  const char *params[1] = {tiers};

  db_query(db, "SELECT * FROM ocop_expiry_warnings($1::integer[])", 1, params, on_warnings, NULL);
}
