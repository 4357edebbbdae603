/*
 * ctl_images.c — `ocopctl images [--product CODE] [--problems] [--json]`:
 * each catalogue image, what ocopd found when it read it (format, size,
 * bytes and the start of its sha256, or why it cannot be used, or that it
 * is not read yet), and on which shops it is uploaded. Read-only.
 *
 * An image goes to a shop once per content hash (image_upload), so
 * "uploaded" means the shop has these exact bytes. PostMart takes no
 * images: its shops are left out.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_content.h"
#include "ctl_data.h"

#define CMD "images"

enum { I_CODE, I_ROLE, I_POS, I_SOURCE, I_CLAIM, I_STATE, I_CHECK, I_UPLOADED, I_MISSING };

/* state: ok, problem or unchecked; check: the result in words. */
static const char images_sql[] =
    "SELECT p.code, i.role, i.position, i.source, i.claim,"
    " CASE WHEN i.problem IS NOT NULL THEN 'problem' WHEN i.sha256 IS NULL THEN 'unchecked'"
    "  ELSE 'ok' END,"
    " CASE WHEN i.problem IS NOT NULL THEN i.problem"
    "  WHEN i.sha256 IS NULL THEN 'not read yet'"
    "  ELSE m.format || ' ' || m.width || 'x' || m.height || ', ' || m.bytes || ' bytes, sha256 '"
    "   || left(i.sha256, 12) END,"
    " coalesce((SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM shop s JOIN image_upload u"
    "   ON u.shop_id = s.id AND u.sha256 = i.sha256 AND u.certificate = (i.role = 'certificate')"
    "  WHERE s.marketplace <> 'postmart'), ''),"
    " coalesce((SELECT string_agg(s.name, ', ' ORDER BY s.name) FROM shop s"
    "  WHERE s.marketplace <> 'postmart' AND NOT EXISTS (SELECT 1 FROM image_upload u"
    "   WHERE u.shop_id = s.id AND u.sha256 = i.sha256"
    "     AND u.certificate = (i.role = 'certificate'))), '')"
    " FROM product_image i JOIN product p ON p.id = i.product_id"
    " LEFT JOIN media m ON m.sha256 = i.sha256"
    " WHERE ($1::text IS NULL OR p.code = $1) AND (NOT $2::boolean OR i.problem IS NOT NULL)"
    " ORDER BY p.code, i.role DESC, i.position";

/* "a, b" into a JSON array of strings. */
static cJSON *list_of(const char *s) {
  cJSON *arr = cJSON_CreateArray();
  char *copy = strdup(s), *tok, *save = NULL;

  if (!copy)
    abort();
  for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
    cJSON_AddItemToArray(arr, cJSON_CreateString(tok + (tok[0] == ' ')));
  free(copy);
  return arr;
}

static cJSON *json_row(PGresult *r, int i) {
  cJSON *o = cJSON_CreateObject();

  cJSON_AddStringToObject(o, "product", PQgetvalue(r, i, I_CODE));
  cJSON_AddStringToObject(o, "role", PQgetvalue(r, i, I_ROLE));
  cJSON_AddNumberToObject(o, "position", atof(PQgetvalue(r, i, I_POS)));
  cJSON_AddStringToObject(o, "source", PQgetvalue(r, i, I_SOURCE));
  cJSON_AddBoolToObject(o, "claim", PQgetvalue(r, i, I_CLAIM)[0] == 't');
  cJSON_AddStringToObject(o, "state", PQgetvalue(r, i, I_STATE));
  cJSON_AddStringToObject(o, "check", PQgetvalue(r, i, I_CHECK));
  cJSON_AddItemToObject(o, "uploaded", list_of(PQgetvalue(r, i, I_UPLOADED)));
  cJSON_AddItemToObject(o, "not_uploaded", list_of(PQgetvalue(r, i, I_MISSING)));
  return o;
}

static void text_row(PGresult *r, int i) {
  const char *up = PQgetvalue(r, i, I_UPLOADED);

  printf("%-14s %-4s %-2s %s%s\n", PQgetvalue(r, i, I_CODE),
         strcmp(PQgetvalue(r, i, I_ROLE), "certificate") == 0 ? "cert" : "img",
         PQgetvalue(r, i, I_POS), PQgetvalue(r, i, I_SOURCE),
         PQgetvalue(r, i, I_CLAIM)[0] == 't' ? " (OCOP claim)" : "");
  printf("    %s: %s\n", PQgetvalue(r, i, I_STATE), PQgetvalue(r, i, I_CHECK));
  if (strcmp(PQgetvalue(r, i, I_STATE), "ok") == 0)
    printf("    uploaded to: %s%s%s\n", up[0] ? up : "no shop yet",
           PQgetvalue(r, i, I_MISSING)[0] ? "; not yet to: " : "", PQgetvalue(r, i, I_MISSING));
}

int cmd_images(struct ctl *ctl, int argc, char **argv) {
  const char *p[2] = {NULL, "false"};
  PGconn *conn;
  PGresult *r;
  cJSON *arr;
  int i, json = 0;

  for (i = 1; i < argc; i++) {
    if (strcmp(argv[i], "--product") == 0 && i + 1 < argc && !p[0])
      p[0] = argv[++i];
    else if (strcmp(argv[i], "--problems") == 0)
      p[1] = "true";
    else if (strcmp(argv[i], "--json") == 0)
      json = 1;
    else
      return ctl_usage(CMD);
  }
  conn = ctl_connect(ctl, CMD);
  if (!conn)
    return CTL_FAIL;
  /* An unknown product is a mistake, not a product without images. */
  if (p[0] && ctl_data_known(conn, CMD, CTL_PRODUCT, p[0]) != 1)
    return CTL_FAIL;
  r = ctl_query(conn, CMD, images_sql, 2, p);
  if (!r)
    return CTL_FAIL;
  arr = cJSON_CreateArray();
  for (i = 0; i < PQntuples(r); i++) {
    if (json)
      cJSON_AddItemToArray(arr, json_row(r, i));
    else
      text_row(r, i);
  }
  if (json)
    ctl_print_json(arr);
  else
    cJSON_Delete(arr);
  if (!json)
    printf("%d image%s%s\n", PQntuples(r), PQntuples(r) == 1 ? "" : "s",
           strcmp(p[1], "true") == 0 ? " with a problem" : "");
  PQclear(r);
  return CTL_OK;
}
