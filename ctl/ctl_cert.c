/*
 * ctl_cert.c — `ocopctl cert`: a product's certificates, and the decisions
 * that change them without a catalogue file.
 *
 *   ocopctl cert show CODE [--json]
 *   ocopctl cert revoke CODE --decision NO --on DATE [--reason TEXT]
 *   ocopctl cert decide CODE --stars N --decision NO --on DATE [--valid-until DATE]
 *
 * revoke: the recognition in force on DATE is revoked from that day (its
 * first day without OCOP claims) by decision NO. decide: a recognition
 * decision (a new certification or a re-certification) of N stars (3–5)
 * dated DATE, valid 36 months unless --valid-until says otherwise. Both go
 * through sql/logic/ledger_ops.sql in one statement, with the checks a
 * catalogue import makes (sql/logic/catalogue.sql); the certificate
 * triggers then queue what every shop must do and wake ocopd, as after an
 * import. show: the state on the OCOP date and every certificate, newest
 * first, with its revocation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_data.h"

#define CMD "cert"

enum { K_DECISION, K_ON, K_REASON, K_STARS, K_VALID_UNTIL, K_JSON, NKEYS };

static const char *const keys[NKEYS] = {"--decision", "--on",          "--reason",
                                        "--stars",    "--valid-until", "--json"};

/* The options of each subcommand, as bits of 1 << K_. */
#define ALLOWED_SHOW (1u << K_JSON)
#define ALLOWED_REVOKE ((1u << K_DECISION) | (1u << K_ON) | (1u << K_REASON))
#define ALLOWED_DECIDE \
  ((1u << K_DECISION) | (1u << K_ON) | (1u << K_STARS) | (1u << K_VALID_UNTIL))

/* argv[2] is the product code, the rest options; --json takes no value
 * (its slot is set to ""). */
static int parse(int argc, char **argv, unsigned allowed, const char *v[NKEYS]) {
  int i, k;

  if (argc < 3 || argv[2][0] == '-')
    return ctl_usage(CMD);
  for (i = 3; i < argc; i++) {
    for (k = 0; k < NKEYS && strcmp(argv[i], keys[k]) != 0; k++)
      ;
    if (k == NKEYS || !(allowed & (1u << k))) {
      fprintf(stderr, "ocopctl: %s %s: unknown option \"%s\" (see ocopctl %s --help)\n", CMD,
              argv[1], argv[i], CMD);
      return CTL_USAGE;
    }
    if (k == K_JSON) {
      v[k] = "";
    } else if (i + 1 >= argc) {
      fprintf(stderr, "ocopctl: %s %s: %s needs a value\n", CMD, argv[1], argv[i]);
      return CTL_USAGE;
    } else {
      v[k] = argv[++i];
    }
  }
  return CTL_OK;
}

/* The options a decision needs, and the dates well formed. */
static int check_decision(const char *verb, const char *v[NKEYS], int decide) {
  long long stars;

  if (!v[K_DECISION] || !v[K_ON] || (decide && !v[K_STARS])) {
    fprintf(stderr, "ocopctl: %s %s: %s are required\n", CMD, verb,
            decide ? "--stars, --decision and --on" : "--decision and --on");
    return CTL_USAGE;
  }
  if (!v[K_DECISION][0])
    return ctl_data_bad(CMD, "--decision", v[K_DECISION], "a decision number");
  if (!ctl_is_iso_date(v[K_ON]))
    return ctl_data_bad(CMD, "--on", v[K_ON], "a date YYYY-MM-DD");
  if (v[K_VALID_UNTIL] && !ctl_is_iso_date(v[K_VALID_UNTIL]))
    return ctl_data_bad(CMD, "--valid-until", v[K_VALID_UNTIL], "a date YYYY-MM-DD");
  if (decide && !ctl_data_number(v[K_STARS], 3, 5, &stars))
    return ctl_data_bad(CMD, "--stars", v[K_STARS], "3, 4 or 5 (a recognition decision)");
  return CTL_OK;
}

/* The product's state on the OCOP date, after a decision: one line. */
static void print_state(PGconn *conn, const char *code) {
  const char *params[1] = {code};
  PGresult *r = ctl_data_query(conn, CMD,
                               "SELECT e.state, e.today, e.eligible FROM product_eligibility e"
                               " JOIN product p ON p.id = e.product_id WHERE p.code = $1",
                               1, params);

  if (r && PQntuples(r) == 1)
    printf("%s on the OCOP date %s: %s (%s)\n", code, PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 0),
           PQgetvalue(r, 0, 2)[0] == 't' ? "may be shown as OCOP"
                                         : "its OCOP claims are withdrawn from every shop");
  PQclear(r);
}

/* Runs a decision (its one statement commits it) and reads back the
 * certificate it names with `after`; NULL after printing a failure. */
static PGresult *decision(PGconn *conn, const char *sql, int n, const char *const *params,
                          const char *after) {
  PGresult *r = ctl_data_query(conn, CMD, sql, n, params);
  char id[24];
  const char *p[1] = {id};

  if (!r)
    return NULL;
  snprintf(id, sizeof id, "%s", PQgetvalue(r, 0, 0));
  PQclear(r);
  return ctl_data_query(conn, CMD, after, 1, p);
}

static int cert_revoke(PGconn *conn, char **argv, const char *v[NKEYS]) {
  const char *params[4] = {argv[2], v[K_DECISION], v[K_ON], v[K_REASON]};
  PGresult *r = decision(conn, "SELECT ocop_cert_revoke($1, $2, $3::date, $4)", 4, params,
                         "SELECT decision_no, revoked_on FROM certificate WHERE id = $1::bigint");

  if (!r)
    return CTL_FAIL;
  printf("%s: certificate %s revoked from %s by decision %s\n", argv[2], PQgetvalue(r, 0, 0),
         PQgetvalue(r, 0, 1), v[K_DECISION]);
  PQclear(r);
  print_state(conn, argv[2]);
  return CTL_OK;
}

static int cert_decide(PGconn *conn, char **argv, const char *v[NKEYS]) {
  const char *params[5] = {argv[2], v[K_STARS], v[K_DECISION], v[K_ON], v[K_VALID_UNTIL]};
  PGresult *r =
      decision(conn, "SELECT ocop_cert_decide($1, $2::integer, $3, $4::date, $5::date)", 5, params,
               "SELECT stars, valid_from, valid_until FROM certificate WHERE id = $1::bigint");

  if (!r)
    return CTL_FAIL;
  printf("%s: decision %s recorded: %s stars, valid %s to %s\n", argv[2], v[K_DECISION],
         PQgetvalue(r, 0, 0), PQgetvalue(r, 0, 1), PQgetvalue(r, 0, 2));
  PQclear(r);
  print_state(conn, argv[2]);
  return CTL_OK;
}

enum { C_STARS, C_DECISION, C_DATE, C_FROM, C_UNTIL, C_REVOKED, C_REV_NO, C_REV_REASON,
       C_SOURCE, C_CURRENT, NCERT };
static const char *const cert_keys[NCERT] = {
    "stars",       "decision_no",  "decision_date",          "valid_from",
    "valid_until", "revoked_on",   "revocation_decision_no", "revocation_reason",
    "source",      "current"};

static const char history_sql[] =
    "SELECT c.stars, c.decision_no, c.decision_date, c.valid_from, c.valid_until, c.revoked_on,"
    " c.revocation_decision_no, c.revocation_reason, c.source, c.id = e.certificate_id"
    " FROM certificate c JOIN product p ON p.id = c.product_id"
    " JOIN product_eligibility e ON e.product_id = p.id WHERE p.code = $1"
    " ORDER BY c.decision_date DESC NULLS LAST, c.id DESC";

static const char state_sql[] =
    "SELECT p.code, p.name_vi, e.state, e.eligible, e.today, e.days_left FROM product p"
    " JOIN product_eligibility e ON e.product_id = p.id WHERE p.code = $1";

static void show_json(const PGresult *s, const PGresult *h) {
  cJSON *o = cJSON_CreateObject(), *arr;
  int i, k;

  cJSON_AddItemToObject(o, "product", ctl_data_str(s, 0, 0));
  cJSON_AddItemToObject(o, "name", ctl_data_str(s, 0, 1));
  cJSON_AddItemToObject(o, "state", ctl_data_str(s, 0, 2));
  cJSON_AddBoolToObject(o, "eligible", PQgetvalue(s, 0, 3)[0] == 't');
  cJSON_AddItemToObject(o, "ocop_date", ctl_data_str(s, 0, 4));
  cJSON_AddItemToObject(o, "days_left", ctl_data_num(s, 0, 5));
  arr = cJSON_AddArrayToObject(o, "certificates");
  for (i = 0; i < PQntuples(h); i++) {
    cJSON *c = cJSON_CreateObject();

    for (k = 0; k < NCERT; k++) {
      if (k == C_STARS)
        cJSON_AddItemToObject(c, cert_keys[k], ctl_data_num(h, i, k));
      else if (k == C_CURRENT)
        cJSON_AddBoolToObject(c, cert_keys[k], PQgetvalue(h, i, k)[0] == 't');
      else
        cJSON_AddItemToObject(c, cert_keys[k], ctl_data_str(h, i, k));
    }
    cJSON_AddItemToArray(arr, c);
  }
  ctl_data_print_json(o);
}

static const char *or_dash(const PGresult *r, int i, int c) {
  return PQgetisnull(r, i, c) ? "-" : PQgetvalue(r, i, c);
}

static void show_text(const PGresult *s, const PGresult *h) {
  int i;

  printf("%s %s\n  state on the OCOP date %s: %s%s%s%s\n", PQgetvalue(s, 0, 0),
         PQgetvalue(s, 0, 1), PQgetvalue(s, 0, 4), PQgetvalue(s, 0, 2),
         PQgetvalue(s, 0, 3)[0] == 't' ? " (may be shown as OCOP)" : " (not shown as OCOP)",
         PQgetisnull(s, 0, 5) ? "" : ", days left ", PQgetisnull(s, 0, 5) ? "" : PQgetvalue(s, 0, 5));
  for (i = 0; i < PQntuples(h); i++) {
    printf("  %s %s stars, decision %s of %s, valid %s to %s", PQgetvalue(h, i, C_CURRENT)[0] == 't' ? "*" : " ",
           PQgetvalue(h, i, C_STARS), or_dash(h, i, C_DECISION), or_dash(h, i, C_DATE),
           or_dash(h, i, C_FROM), or_dash(h, i, C_UNTIL));
    if (!PQgetisnull(h, i, C_REVOKED))
      printf("; revoked from %s by decision %s%s%s", PQgetvalue(h, i, C_REVOKED),
             or_dash(h, i, C_REV_NO), PQgetisnull(h, i, C_REV_REASON) ? "" : ": ",
             PQgetisnull(h, i, C_REV_REASON) ? "" : PQgetvalue(h, i, C_REV_REASON));
    printf("\n");
  }
  if (PQntuples(h) == 0)
    printf("  no certificate recorded\n");
  else
    printf("  (* the certificate that speaks for the product today)\n");
}

static int cert_show(PGconn *conn, char **argv, const char *v[NKEYS]) {
  const char *params[1] = {argv[2]};
  PGresult *s, *h = NULL;
  int rc = CTL_FAIL;

  s = ctl_data_query(conn, CMD, state_sql, 1, params);
  if (s)
    h = ctl_data_query(conn, CMD, history_sql, 1, params);
  if (h && v[K_JSON])
    show_json(s, h);
  else if (h)
    show_text(s, h);
  if (h)
    rc = CTL_OK;
  PQclear(s);
  PQclear(h);
  return rc;
}

int cmd_cert(struct ctl *ctl, int argc, char **argv) {
  const char *v[NKEYS] = {NULL};
  int show = argc >= 2 && strcmp(argv[1], "show") == 0,
      revoke = argc >= 2 && strcmp(argv[1], "revoke") == 0,
      decide = argc >= 2 && strcmp(argv[1], "decide") == 0, rc;
  PGconn *conn;

  if (!show && !revoke && !decide) {
    if (argc < 2)
      return ctl_usage(CMD);
    fprintf(stderr, "ocopctl: %s: unknown subcommand \"%s\" (show, revoke or decide)\n", CMD,
            argv[1]);
    return CTL_USAGE;
  }
  rc = parse(argc, argv, show ? ALLOWED_SHOW : revoke ? ALLOWED_REVOKE : ALLOWED_DECIDE, v);
  if (rc == CTL_OK && !show)
    rc = check_decision(argv[1], v, decide);
  if (rc != CTL_OK)
    return rc;
  conn = ctl_connect(ctl, CMD);
  if (!conn)
    return CTL_FAIL;
  if (ctl_data_known(conn, CMD, CTL_PRODUCT, argv[2]) != 1)
    return CTL_FAIL;
  if (show)
    return cert_show(conn, argv, v);
  return revoke ? cert_revoke(conn, argv, v) : cert_decide(conn, argv, v);
}
