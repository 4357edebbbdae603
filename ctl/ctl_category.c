/*
 * ctl_category.c — `ocopctl category`: which marketplace category each
 * OCOP category is listed in, and the rules ocopd read for it.
 *
 *   category map MARKETPLACE OCOP_CODE REMOTE_ID
 *   category unmap MARKETPLACE OCOP_CODE
 *   category list [--marketplace M] [--json]
 *   category rules SHOP [REMOTE_ID] [--json]
 *   category import FILE.csv      (marketplace,ocop_code,remote_category)
 *
 * A product's own category (the catalogue's <marketplace>_category column)
 * wins over the map. Mapping a category re-derives the jobs of its products
 * (the category_map triggers, sql/logic/content.sql), in the same
 * transaction.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "ctl_assortment.h"
#include "ctl_content.h"
#include "import.h"

#define CMD "category"

PGresult *ctl_query(PGconn *conn, const char *command, const char *sql, int n,
                    const char *const *params) {
  PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
  const char *msg;

  if (PQresultStatus(r) == PGRES_TUPLES_OK || PQresultStatus(r) == PGRES_COMMAND_OK)
    return r;
  msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  if (!msg)
    msg = PQerrorMessage(conn);
  fprintf(stderr, "ocopctl: %s: %.*s\n", command, (int)strcspn(msg, "\n"), msg);
  PQclear(r);
  return NULL;
}

void ctl_print_json(struct cJSON *root) {
  char *text = cJSON_Print(root);

  if (text)
    printf("%s\n", text);
  free(text);
  cJSON_Delete(root);
}

/* category_map.remote_category's CHECK: ^[A-Za-z0-9_.-]{1,64}$ */
static int remote_ok(const char *s) {
  size_t n = strlen(s);

  return n >= 1 && n <= 64 &&
         strspn(s, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

/* Why a map entry cannot be made, or NULL; buf holds the text. */
static const char *map_problem(PGconn *conn, const char *m, const char *code, const char *remote,
                               char *buf, size_t len) {
  const char *p[1] = {code};
  PGresult *r;

  if (!import_marketplace_ok(m)) {
    snprintf(buf, len, "\"%s\" is not a marketplace: shopee, lazada, tiktok or postmart", m);
    return buf;
  }
  if (remote && !remote_ok(remote)) {
    snprintf(buf, len,
             "\"%.80s\" is not a category id: 1 to 64 letters, digits, '.', '_' or '-'", remote);
    return buf;
  }
  r = PQexecParams(conn, "SELECT service FROM category WHERE code = $1", 1, NULL, p, NULL, NULL,
                   0);
  if (PQresultStatus(r) != PGRES_TUPLES_OK)
    snprintf(buf, len, "cannot read the categories: %s", PQresultErrorMessage(r));
  else if (PQntuples(r) == 0)
    snprintf(buf, len, "\"%.80s\" is not an OCOP category code (e.g. I.3.c, IV.1)", code);
  else if (PQgetvalue(r, 0, 0)[0] == 't')
    snprintf(buf, len, "%s is a service category: its products are never listed", code);
  else
    buf[0] = '\0';
  PQclear(r);
  return buf[0] ? buf : NULL;
}

static int map_one(PGconn *conn, const char *m, const char *code, const char *remote,
                   char *why, size_t len) {
  const char *p[3] = {m, code, remote};
  PGresult *r;

  if (map_problem(conn, m, code, remote, why, len))
    return -1;
  r = ctl_query(conn, CMD,
                "INSERT INTO category_map (marketplace, category_code, remote_category)"
                " VALUES ($1, $2, $3) ON CONFLICT (marketplace, category_code)"
                " DO UPDATE SET remote_category = EXCLUDED.remote_category"
                " WHERE category_map.remote_category <> EXCLUDED.remote_category",
                3, p);
  if (!r) {
    snprintf(why, len, "the database refused it");
    return -1;
  }
  PQclear(r);
  return 0;
}

static int category_map(PGconn *conn, int argc, char **argv) {
  char why[300];
  int rc;

  if (argc != 5)
    return ctl_usage(CMD);
  if (ctl_begin_change(conn, CMD) != CTL_OK)
    return CTL_FAIL;
  rc = map_one(conn, argv[2], argv[3], argv[4], why, sizeof why) == 0 ? CTL_OK : CTL_FAIL;
  if (rc != CTL_OK)
    fprintf(stderr, "ocopctl: %s: map: %s\n", CMD, why);
  rc = ctl_end_change(conn, CMD, rc);
  if (rc == CTL_OK)
    printf("%s: OCOP category %s is listed in category %s\n", argv[2], argv[3], argv[4]);
  return rc;
}

static int category_unmap(PGconn *conn, int argc, char **argv) {
  const char *p[2];
  PGresult *r;
  int rc = CTL_OK;

  if (argc != 4)
    return ctl_usage(CMD);
  p[0] = argv[2];
  p[1] = argv[3];
  if (ctl_begin_change(conn, CMD) != CTL_OK)
    return CTL_FAIL;
  r = ctl_query(conn, CMD,
                "DELETE FROM category_map WHERE marketplace = $1 AND category_code = $2"
                " RETURNING remote_category",
                2, p);
  if (!r) {
    rc = CTL_FAIL;
  } else if (PQntuples(r) == 0) {
    fprintf(stderr, "ocopctl: %s: unmap: %s has no category for OCOP category %s\n", CMD, p[0],
            p[1]);
    rc = CTL_FAIL;
  }
  if (ctl_end_change(conn, CMD, rc) == CTL_OK)
    printf("%s: OCOP category %s is no longer mapped (was %s); its products are held until it "
           "is mapped again or they name their own\n",
           p[0], p[1], PQgetvalue(r, 0, 0));
  else
    rc = CTL_FAIL;
  PQclear(r);
  return rc;
}

/* ---- list --------------------------------------------------------------------- */

static int category_list(PGconn *conn, int argc, char **argv) {
  const char *mp = NULL, *p[1];
  PGresult *ms, *r;
  cJSON *arr;
  int i, j, json = 0;

  for (i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--marketplace") == 0 && i + 1 < argc && !mp)
      mp = argv[++i];
    else if (strcmp(argv[i], "--json") == 0)
      json = 1;
    else
      return ctl_usage(CMD);
  }
  p[0] = mp;
  ms = ctl_query(conn, CMD,
                 "SELECT DISTINCT marketplace FROM category_map"
                 " WHERE $1::text IS NULL OR marketplace = $1 ORDER BY 1",
                 1, p);
  if (!ms)
    return CTL_FAIL;
  r = ctl_query(conn, CMD,
                "SELECT c.code, c.name_vi,"
                " (SELECT count(*) FROM product p WHERE p.category_code = c.code),"
                " coalesce((SELECT jsonb_object_agg(m.marketplace, m.remote_category)"
                "   FROM category_map m WHERE m.category_code = c.code"
                "    AND ($1::text IS NULL OR m.marketplace = $1)), '{}')::text"
                " FROM category c WHERE NOT c.service ORDER BY c.code",
                1, p);
  if (!r) {
    PQclear(ms);
    return CTL_FAIL;
  }
  arr = cJSON_CreateArray();
  if (!json) {
    printf("%-8s", "code");
    for (j = 0; j < PQntuples(ms); j++)
      printf(" %-10s", PQgetvalue(ms, j, 0));
    printf(" %8s  %s\n", "products", "name");
  }
  for (i = 0; i < PQntuples(r); i++) {
    cJSON *remote = cJSON_Parse(PQgetvalue(r, i, 3)), *row;

    if (json) {
      row = cJSON_CreateObject();
      cJSON_AddStringToObject(row, "code", PQgetvalue(r, i, 0));
      cJSON_AddStringToObject(row, "name", PQgetvalue(r, i, 1));
      cJSON_AddItemToObject(row, "remote", remote ? remote : cJSON_CreateObject());
      cJSON_AddNumberToObject(row, "products", atof(PQgetvalue(r, i, 2)));
      cJSON_AddItemToArray(arr, row);
      continue;
    }
    printf("%-8s", PQgetvalue(r, i, 0));
    for (j = 0; j < PQntuples(ms); j++) {
      cJSON *v = cJSON_GetObjectItemCaseSensitive(remote, PQgetvalue(ms, j, 0));

      printf(" %-10s", cJSON_IsString(v) ? v->valuestring : "-");
    }
    printf(" %8s  %s\n", PQgetvalue(r, i, 2), PQgetvalue(r, i, 1));
    cJSON_Delete(remote);
  }
  if (json)
    ctl_print_json(arr);
  else
    cJSON_Delete(arr);
  PQclear(ms);
  PQclear(r);
  return CTL_OK;
}

/* ---- rules -------------------------------------------------------------------- */

/* One JSON object per cached category of the shop, built by the server. */
static const char rules_sql[] =
    "SELECT jsonb_build_object("
    " 'shop', s.name, 'marketplace', s.marketplace, 'category', r.remote_category,"
    " 'fetched_at', to_char(r.fetched_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'),"
    " 'age_hours', floor(extract(epoch FROM now() - r.fetched_at) / 3600),"
    " 'stale', r.stale, 'due', r.stale OR r.fetched_at < now() - ocop_rules_ttl(),"
    " 'leaf', coalesce((r.rules->>'leaf')::boolean, true),"
    " 'mandatory_attributes', coalesce((SELECT jsonb_agg(a->>'name') FROM"
    "   jsonb_array_elements(coalesce(r.rules->'attrs', '[]')) a"
    "   WHERE (a->>'required')::boolean), '[]'),"
    " 'optional_attributes', coalesce((SELECT jsonb_agg(a->>'name') FROM"
    "   jsonb_array_elements(coalesce(r.rules->'attrs', '[]')) a"
    "   WHERE NOT coalesce((a->>'required')::boolean, false)), '[]'),"
    " 'brand_required', coalesce((r.rules->>'brand_required')::boolean, false),"
    " 'no_brand', CASE WHEN jsonb_typeof(r.rules->'no_brand') = 'object'"
    "   THEN r.rules->'no_brand'->>'name' END,"
    " 'brands', jsonb_array_length(coalesce(r.rules->'brands', '[]')),"
    " 'dimensions_required', coalesce((r.rules->>'dimensions_required')::boolean, false),"
    " 'certifications', coalesce(r.rules->'certifications', '[]'))::text"
    " FROM category_rules r JOIN shop s ON s.id = r.shop_id"
    " WHERE s.name = $1 AND ($2::text IS NULL OR r.remote_category = $2)"
    " ORDER BY r.remote_category";

static const char *names(const cJSON *arr, char *buf, size_t len) {
  const cJSON *x;
  size_t n = 0;

  buf[0] = '\0';
  cJSON_ArrayForEach(x, arr) {
    if (cJSON_IsString(x) && n < len)
      n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? ", " : "", x->valuestring);
  }
  return buf[0] ? buf : "none";
}

static void print_rules(const cJSON *o) {
  const cJSON *c;
  char buf[1024];
  const char *no_brand = cJSON_GetStringValue(cJSON_GetObjectItem(o, "no_brand"));

  printf("%s category %s: rules read %s (%.0f h ago)%s%s\n",
         cJSON_GetStringValue(cJSON_GetObjectItem(o, "marketplace")),
         cJSON_GetStringValue(cJSON_GetObjectItem(o, "category")),
         cJSON_GetStringValue(cJSON_GetObjectItem(o, "fetched_at")),
         cJSON_GetNumberValue(cJSON_GetObjectItem(o, "age_hours")),
         cJSON_IsTrue(cJSON_GetObjectItem(o, "stale")) ? ", stale: a send was refused" : "",
         cJSON_IsTrue(cJSON_GetObjectItem(o, "due")) ? ", to be read again" : "");
  if (!cJSON_IsTrue(cJSON_GetObjectItem(o, "leaf")))
    printf("  NOT a leaf category: nothing can be listed in it\n");
  printf("  mandatory attributes: %s\n",
         names(cJSON_GetObjectItem(o, "mandatory_attributes"), buf, sizeof buf));
  printf("  optional attributes: %s\n",
         names(cJSON_GetObjectItem(o, "optional_attributes"), buf, sizeof buf));
  printf("  brand: %s; %.0f brands; no brand: %s\n",
         cJSON_IsTrue(cJSON_GetObjectItem(o, "brand_required")) ? "required" : "optional",
         cJSON_GetNumberValue(cJSON_GetObjectItem(o, "brands")),
         no_brand ? no_brand : "(none)");
  printf("  package dimensions: %s\n",
         cJSON_IsTrue(cJSON_GetObjectItem(o, "dimensions_required")) ? "required" : "optional");
  buf[0] = '\0';
  cJSON_ArrayForEach(c, cJSON_GetObjectItem(o, "certifications")) {
    size_t n = strlen(buf);

    snprintf(buf + n, sizeof buf - n, "%s%s (%s)", n ? ", " : "",
             cJSON_GetStringValue(cJSON_GetObjectItem(c, "name")),
             cJSON_IsTrue(cJSON_GetObjectItem(c, "required")) ? "required" : "optional");
  }
  printf("  certifications: %s\n", buf[0] ? buf : "none");
}

static int category_rules(PGconn *conn, int argc, char **argv) {
  const char *p[2] = {NULL, NULL};
  char id[24];
  PGresult *r;
  cJSON *arr;
  int i, json = 0;

  for (i = 2; i < argc; i++) {
    if (strcmp(argv[i], "--json") == 0)
      json = 1;
    else if (!p[0])
      p[0] = argv[i];
    else if (!p[1])
      p[1] = argv[i];
    else
      return ctl_usage(CMD);
  }
  if (!p[0])
    return ctl_usage(CMD);
  if (ctl_find_shop(conn, CMD, p[0], id, sizeof id) != 1)
    return CTL_FAIL;
  r = ctl_query(conn, CMD, rules_sql, 2, p);
  if (!r)
    return CTL_FAIL;
  arr = cJSON_CreateArray();
  for (i = 0; i < PQntuples(r); i++) {
    cJSON *o = cJSON_Parse(PQgetvalue(r, i, 0));

    if (!json)
      print_rules(o);
    cJSON_AddItemToArray(arr, o);
  }
  if (json)
    ctl_print_json(arr);
  else
    cJSON_Delete(arr);
  if (!json && PQntuples(r) == 0)
    printf("no rules read for shop %s%s%s yet (ocopd reads them before it publishes)\n", p[0],
           p[1] ? " and category " : "", p[1] ? p[1] : "");
  PQclear(r);
  return CTL_OK;
}

/* ---- import ------------------------------------------------------------------- */

/* Each record of the file: FILE:LINE errors, all reported; 0 when none. */
static int import_rows(PGconn *conn, csv_t *csv, const char *path, long *n) {
  int mi = csv_column(csv, "marketplace"), ci = csv_column(csv, "ocop_code");
  int ri = csv_column(csv, "remote_category"), bad = 0, got;
  struct csv_record rec;
  char why[300];

  if (mi < 0 || ci < 0 || ri < 0 || csv_columns(csv) != 3) {
    fprintf(stderr, "%s:1: the columns must be marketplace,ocop_code,remote_category\n", path);
    return 1;
  }
  while ((got = csv_next(csv, &rec)) == 1) {
    if (rec.nfields != 3) {
      fprintf(stderr, "%s:%lu: has %zu fields but the header has 3\n", path, rec.line,
              rec.nfields);
      bad = 1;
    } else if (map_one(conn, rec.fields[mi], rec.fields[ci], rec.fields[ri], why, sizeof why) !=
               0) {
      fprintf(stderr, "%s:%lu: %s\n", path, rec.line, why);
      bad = 1;
      /* A refusal ends the transaction's usefulness: nothing more can run. */
      if (PQtransactionStatus(conn) == PQTRANS_INERROR)
        return 1;
    } else {
      (*n)++;
    }
  }
  if (got < 0) {
    fprintf(stderr, "%s\n", csv_error(csv));
    bad = 1;
  }
  return bad;
}

static int category_import(PGconn *conn, int argc, char **argv) {
  char err[600];
  csv_t *csv;
  long n = 0;
  int rc;

  if (argc != 3)
    return ctl_usage(CMD);
  csv = csv_open(argv[2], err, sizeof err);
  if (!csv) {
    fprintf(stderr, "%s\n", err);
    return CTL_FAIL;
  }
  if (csv_read_header(csv) != 0) {
    fprintf(stderr, "%s\n", csv_error(csv));
    csv_close(csv);
    return CTL_FAIL;
  }
  if (ctl_begin_change(conn, CMD) != CTL_OK) {
    csv_close(csv);
    return CTL_FAIL;
  }
  rc = import_rows(conn, csv, argv[2], &n) == 0 ? CTL_OK : CTL_FAIL;
  csv_close(csv);
  if (rc != CTL_OK)
    fprintf(stderr, "ocopctl: %s: import: %s: nothing was imported\n", CMD, argv[2]);
  rc = ctl_end_change(conn, CMD, rc);
  if (rc == CTL_OK)
    printf("imported %s: %ld categor%s mapped\n", argv[2], n, n == 1 ? "y" : "ies");
  return rc;
}

int cmd_category(struct ctl *ctl, int argc, char **argv) {
  PGconn *conn;

  if (argc < 2)
    return ctl_usage(CMD);
  if (strcmp(argv[1], "map") != 0 && strcmp(argv[1], "unmap") != 0 &&
      strcmp(argv[1], "list") != 0 && strcmp(argv[1], "rules") != 0 &&
      strcmp(argv[1], "import") != 0)
    return ctl_usage(CMD);
  conn = ctl_connect(ctl, CMD);
  if (!conn)
    return CTL_FAIL;
  if (strcmp(argv[1], "map") == 0)
    return category_map(conn, argc, argv);
  if (strcmp(argv[1], "unmap") == 0)
    return category_unmap(conn, argc, argv);
  if (strcmp(argv[1], "list") == 0)
    return category_list(conn, argc, argv);
  if (strcmp(argv[1], "rules") == 0)
    return category_rules(conn, argc, argv);
  return category_import(conn, argc, argv);
}
