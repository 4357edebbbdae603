/*
 * ctl_assortment.c — `ocopctl shop assortment` and `ocopctl shop owner`:
 * who a shop belongs to and which products it carries (design §5, "Shops
 * and assortments"; sql/logic/assortment.sql).
 *
 *   shop assortment SHOP                       owner, rules, products carried
 *   shop assortment SHOP include|exclude (--all | --producer NAME |
 *        --category CODE | --stars N | --product CODE)
 *   shop assortment SHOP remove RULE_ID
 *   shop owner SHOP (--producer NAME | --operator)
 *
 * Each change is one transaction: the arguments are resolved inside it and
 * any refusal (an unknown shop, producer, product or category, stars
 * outside 3..5, a rule the shop already has) rolls it back, so nothing is
 * written. The database does the rest in the same transaction: an audit
 * event per change, naming the OS user who ran ocopctl, and the listings
 * and jobs the change calls for (triggers in assortment.sql and sync.sql).
 */
#include "ctl_assortment.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CMD "shop"

/* Runs a statement; NULL after printing the server's message. */
static PGresult *run(PGconn *conn, const char *command, const char *sql, int n,
                     const char *const *params) {
  PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus(r);
  const char *msg;

  if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK)
    return r;
  msg = PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY);
  fprintf(stderr, "ocopctl: %s: %s\n", command, msg ? msg : PQerrorMessage(conn));
  PQclear(r);
  return NULL;
}

/* The OS user running ocopctl: the audit trail's "who". */
static const char *os_user(char *buf, size_t len) {
  struct passwd *pw = getpwuid(geteuid());
  const char *env = getenv("USER");

  if (pw && pw->pw_name && pw->pw_name[0])
    snprintf(buf, len, "%s", pw->pw_name);
  else if (env && env[0])
    snprintf(buf, len, "%s", env);
  else
    snprintf(buf, len, "uid %ld", (long)geteuid());
  return buf;
}

int ctl_begin_change(PGconn *conn, const char *command) {
  char user[128];
  const char *params[1] = {os_user(user, sizeof user)};
  PGresult *r;

  r = run(conn, command, "BEGIN", 0, NULL);
  if (!r)
    return CTL_FAIL;
  PQclear(r);
  r = run(conn, command,
          "SELECT set_config('ocop.actor', left($1, 200), true), "
          "set_config('ocop.via', 'ocopctl', true)",
          1, params);
  if (!r) {
    PQclear(PQexec(conn, "ROLLBACK"));
    return CTL_FAIL;
  }
  PQclear(r);
  return CTL_OK;
}

int ctl_end_change(PGconn *conn, const char *command, int rc) {
  PGresult *r;

  if (rc != CTL_OK) {
    PQclear(PQexec(conn, "ROLLBACK"));
    return rc;
  }
  r = run(conn, command, "COMMIT", 0, NULL);
  if (!r)
    return CTL_FAIL;
  PQclear(r);
  return CTL_OK;
}

int ctl_find_producer(PGconn *conn, const char *command, const char *option, const char *name,
                      char *id, size_t idlen) {
  const char *params[1] = {name};
  PGresult *r = run(conn, command, "SELECT id FROM producer WHERE name = $1", 1, params);
  int i;

  if (!r)
    return -1;
  if (PQntuples(r) == 1) {
    snprintf(id, idlen, "%s", PQgetvalue(r, 0, 0));
    PQclear(r);
    return 1;
  }
  PQclear(r);
  fprintf(stderr, "ocopctl: %s: %s \"%s\": no producer has that name", command, option, name);
  /* Names are long; the closest ones save a look-up. */
  r = run(conn, command,
          "SELECT name FROM producer WHERE strpos(lower(name), lower($1)) > 0 "
          "ORDER BY length(name), name LIMIT 3",
          1, params);
  for (i = 0; r && i < PQntuples(r); i++)
    fprintf(stderr, "%s\"%s\"", i == 0 ? " (did you mean " : " or ", PQgetvalue(r, i, 0));
  fprintf(stderr, "%s\n", r && PQntuples(r) > 0 ? "?)" : "");
  PQclear(r);
  return 0;
}

int ctl_find_shop(PGconn *conn, const char *command, const char *name, char *id, size_t idlen) {
  const char *params[1] = {name};
  PGresult *r = run(conn, command, "SELECT id FROM shop WHERE name = $1", 1, params);

  if (!r)
    return -1;
  if (PQntuples(r) != 1) {
    PQclear(r);
    fprintf(stderr, "ocopctl: %s: no shop named \"%s\" (see ocopctl shop list)\n", command, name);
    return 0;
  }
  snprintf(id, idlen, "%s", PQgetvalue(r, 0, 0));
  PQclear(r);
  return 1;
}

/* How many products the shop carries now, and how many of those may be
 * listed today; -1 on error. */
static long carried(PGconn *conn, const char *shop_id, long *eligible) {
  const char *params[1] = {shop_id};
  PGresult *r = run(conn, CMD,
                    "SELECT count(*), count(*) FILTER (WHERE e.eligible) FROM shop_assortment a "
                    "JOIN product_eligibility e ON e.product_id = a.product_id "
                    "WHERE a.shop_id = $1::bigint",
                    1, params);
  long n;

  if (!r)
    return -1;
  n = atol(PQgetvalue(r, 0, 0));
  if (eligible)
    *eligible = atol(PQgetvalue(r, 0, 1));
  PQclear(r);
  return n;
}

static const char *plural(long n) { return n == 1 ? "" : "s"; }

/* ---- show ------------------------------------------------------------------ */

static int show(PGconn *conn, const char *shop) {
  const char *params[1] = {shop};
  PGresult *s, *r;
  const char *id;
  long n, eligible = 0, includes = 0;
  int i, rc = CTL_FAIL;

  s = run(conn, CMD,
          "SELECT s.id, s.name, s.marketplace, s.status, p.name FROM shop s "
          "LEFT JOIN producer p ON p.id = s.owner_producer_id WHERE s.name = $1",
          1, params);
  if (!s)
    return CTL_FAIL;
  if (PQntuples(s) != 1) {
    fprintf(stderr, "ocopctl: %s: no shop named \"%s\" (see ocopctl shop list)\n", CMD, shop);
    PQclear(s);
    return CTL_FAIL;
  }
  id = PQgetvalue(s, 0, 0);
  printf("shop %s (%s, %s)\n", PQgetvalue(s, 0, 1), PQgetvalue(s, 0, 2), PQgetvalue(s, 0, 3));
  if (PQgetisnull(s, 0, 4))
    printf("owner: the operator (a centre's store): carries what its include rules select\n");
  else
    printf("owner: producer %s: carries its products, and what include rules add\n",
           PQgetvalue(s, 0, 4));
  params[0] = id;
  r = run(conn, CMD,
          "SELECT r.id, CASE WHEN r.include THEN 'include' ELSE 'exclude' END, ocop_rule_text(r), "
          "r.created_by, to_char(r.created_at AT TIME ZONE INTERVAL '+07:00', 'YYYY-MM-DD HH24:MI') "
          "FROM assortment_rule r WHERE r.shop_id = $1::bigint ORDER BY r.id",
          1, params);
  if (!r)
    goto out;
  if (PQntuples(r) == 0) {
    printf("rules: none\n");
  } else {
    printf("rules:\n  %6s  %-7s  %-16s  %-12s  %s\n", "id", "rule", "added (+07)", "by", "selects");
    for (i = 0; i < PQntuples(r); i++) {
      printf("  %6s  %-7s  %-16s  %-12s  %s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
             PQgetvalue(r, i, 4), PQgetvalue(r, i, 3)[0] ? PQgetvalue(r, i, 3) : "-",
             PQgetvalue(r, i, 2));
      if (strcmp(PQgetvalue(r, i, 1), "include") == 0)
        includes++;
    }
  }
  PQclear(r);
  n = carried(conn, id, &eligible);
  if (n < 0)
    goto out;
  printf("carries %ld product%s now, %ld of them eligible to be listed today\n", n, plural(n),
         eligible);
  if (PQgetisnull(s, 0, 4) && includes == 0)
    printf("an operator's shop carries nothing without an include rule: add one with\n"
           "  ocopctl shop assortment %s include --all | --producer NAME | --category CODE"
           " | --stars N | --product CODE\n",
           shop);
  rc = CTL_OK;
out:
  PQclear(s);
  return rc;
}

/* ---- include / exclude -------------------------------------------------------- */

struct rule {
  const char *include; /* "true" / "false" */
  const char *producer_id, *category, *stars, *product_id;
};

/* Resolves the selector into r; CTL_OK, CTL_FAIL (bad value, printed) or
 * CTL_USAGE. */
static int resolve_selector(PGconn *conn, int argc, char **argv, struct rule *r, char *pid,
                            size_t pidlen, char *prid, size_t pridlen) {
  const char *opt = argv[4], *val = argc == 6 ? argv[5] : NULL;
  const char *params[1] = {val};
  PGresult *q;

  if (strcmp(opt, "--all") == 0)
    return argc == 5 ? CTL_OK : CTL_USAGE;
  if (argc != 6)
    return CTL_USAGE;
  if (strcmp(opt, "--producer") == 0) {
    int found = ctl_find_producer(conn, CMD, "--producer", val, pid, pidlen);

    if (found <= 0)
      return CTL_FAIL;
    r->producer_id = pid;
    return CTL_OK;
  }
  if (strcmp(opt, "--category") == 0) {
    /* A category code or a group of them ("I.5" for I.5.a and I.5.b). */
    q = run(conn, CMD,
            "SELECT $1 ~ '^(I|II|III|IV|V|VI)(\\.[0-9]+(\\.[a-z])?)?$' AND EXISTS "
            "(SELECT 1 FROM category WHERE code = $1 OR left(code, length($1) + 1) = $1 || '.')",
            1, params);
    if (!q)
      return CTL_FAIL;
    if (PQgetvalue(q, 0, 0)[0] != 't') {
      fprintf(stderr,
              "ocopctl: %s: --category \"%s\": no OCOP category or group has that code "
              "(codes look like I.5.a, or I.5 for a group)\n",
              CMD, val);
      PQclear(q);
      return CTL_FAIL;
    }
    PQclear(q);
    r->category = val;
    return CTL_OK;
  }
  if (strcmp(opt, "--stars") == 0) {
    if (strcmp(val, "3") != 0 && strcmp(val, "4") != 0 && strcmp(val, "5") != 0) {
      fprintf(stderr, "ocopctl: %s: --stars \"%s\": give 3, 4 or 5 (OCOP ratings that certify)\n",
              CMD, val);
      return CTL_FAIL;
    }
    r->stars = val;
    return CTL_OK;
  }
  if (strcmp(opt, "--product") == 0) {
    q = run(conn, CMD, "SELECT id FROM product WHERE code = $1", 1, params);
    if (!q)
      return CTL_FAIL;
    if (PQntuples(q) != 1) {
      fprintf(stderr, "ocopctl: %s: --product \"%s\": no product has that code\n", CMD, val);
      PQclear(q);
      return CTL_FAIL;
    }
    snprintf(prid, pridlen, "%s", PQgetvalue(q, 0, 0));
    PQclear(q);
    r->product_id = prid;
    return CTL_OK;
  }
  fprintf(stderr, "ocopctl: %s: unknown selector %s\n", CMD, opt);
  return CTL_USAGE;
}

static int add_rule(PGconn *conn, int argc, char **argv, const char *shop_id) {
  struct rule rule = {0};
  char pid[32], prid[32], user[128];
  const char *params[7];
  PGresult *q;
  long before, after;
  int rc;

  rule.include = strcmp(argv[3], "include") == 0 ? "true" : "false";
  rc = resolve_selector(conn, argc, argv, &rule, pid, sizeof pid, prid, sizeof prid);
  if (rc != CTL_OK)
    return rc;
  params[0] = shop_id;
  params[1] = rule.include;
  params[2] = rule.producer_id;
  params[3] = rule.category;
  params[4] = rule.stars;
  params[5] = rule.product_id;
  q = run(conn, CMD,
          "SELECT id FROM assortment_rule WHERE shop_id = $1::bigint AND include = $2::boolean "
          "AND producer_id IS NOT DISTINCT FROM $3::bigint AND category IS NOT DISTINCT FROM $4 "
          "AND min_stars IS NOT DISTINCT FROM $5::smallint "
          "AND product_id IS NOT DISTINCT FROM $6::bigint",
          6, params);
  if (!q)
    return CTL_FAIL;
  if (PQntuples(q) > 0) {
    fprintf(stderr, "ocopctl: %s: shop \"%s\" already has this rule (rule %s)\n", CMD, argv[2],
            PQgetvalue(q, 0, 0));
    PQclear(q);
    return CTL_FAIL;
  }
  PQclear(q);
  before = carried(conn, shop_id, NULL);
  if (before < 0)
    return CTL_FAIL;
  params[6] = os_user(user, sizeof user);
  q = run(conn, CMD,
          "INSERT INTO assortment_rule AS r (shop_id, include, producer_id, category, min_stars, "
          "product_id, created_by) VALUES ($1::bigint, $2::boolean, $3::bigint, $4, $5::smallint, "
          "$6::bigint, left($7, 200)) RETURNING r.id, ocop_rule_text(r)",
          7, params);
  if (!q)
    return CTL_FAIL;
  after = carried(conn, shop_id, NULL);
  if (after < 0) {
    PQclear(q);
    return CTL_FAIL;
  }
  printf("shop %s: rule %s added: %s %s\n", argv[2], PQgetvalue(q, 0, 0), argv[3],
         PQgetvalue(q, 0, 1));
  printf("carries %ld product%s now (was %ld)%s\n", after, plural(after), before,
         after == before ? ": no product changed" : "");
  PQclear(q);
  return CTL_OK;
}

/* ---- remove ---------------------------------------------------------------- */

static int remove_rule(PGconn *conn, const char *shop, const char *shop_id, const char *rule) {
  const char *params[2] = {rule, shop_id};
  PGresult *q;
  long before, after;
  size_t i;

  for (i = 0; rule[i]; i++)
    if (rule[i] < '0' || rule[i] > '9' || i > 17)
      break;
  if (i == 0 || rule[i]) {
    fprintf(stderr, "ocopctl: %s: RULE_ID \"%s\" is not a rule number (see ocopctl shop "
            "assortment %s)\n", CMD, rule, shop);
    return CTL_FAIL;
  }
  q = run(conn, CMD,
          "SELECT CASE WHEN r.include THEN 'include' ELSE 'exclude' END, ocop_rule_text(r) "
          "FROM assortment_rule r WHERE r.id = $1::bigint AND r.shop_id = $2::bigint FOR UPDATE",
          2, params);
  if (!q)
    return CTL_FAIL;
  if (PQntuples(q) != 1) {
    fprintf(stderr, "ocopctl: %s: RULE_ID %s: shop \"%s\" has no such rule (see ocopctl shop "
            "assortment %s)\n", CMD, rule, shop, shop);
    PQclear(q);
    return CTL_FAIL;
  }
  before = carried(conn, shop_id, NULL);
  if (before >= 0) {
    PGresult *d = run(conn, CMD, "DELETE FROM assortment_rule WHERE id = $1::bigint", 1, params);

    if (!d)
      before = -1;
    PQclear(d);
  }
  after = before >= 0 ? carried(conn, shop_id, NULL) : -1;
  if (after < 0) {
    PQclear(q);
    return CTL_FAIL;
  }
  printf("shop %s: rule %s removed (%s %s)\n", shop, rule, PQgetvalue(q, 0, 0),
         PQgetvalue(q, 0, 1));
  printf("carries %ld product%s now (was %ld)%s\n", after, plural(after), before,
         after == before ? ": no product changed" : "");
  PQclear(q);
  return CTL_OK;
}

int ctl_shop_assortment(struct ctl *ctl, int argc, char **argv) {
  char shop_id[32];
  PGconn *conn;
  int rc, found;

  if (argc == 3) {
    conn = ctl_connect(ctl, CMD);
    return conn ? show(conn, argv[2]) : CTL_FAIL;
  }
  if (argc == 5 && strcmp(argv[3], "remove") == 0)
    ; /* below */
  else if (argc < 5 || argc > 6 ||
           (strcmp(argv[3], "include") != 0 && strcmp(argv[3], "exclude") != 0))
    return ctl_usage(CMD);
  conn = ctl_connect(ctl, CMD);
  if (!conn)
    return CTL_FAIL;
  if (ctl_begin_change(conn, CMD) != CTL_OK)
    return CTL_FAIL;
  found = ctl_find_shop(conn, CMD, argv[2], shop_id, sizeof shop_id);
  if (found <= 0)
    rc = CTL_FAIL;
  else if (strcmp(argv[3], "remove") == 0)
    rc = remove_rule(conn, argv[2], shop_id, argv[4]);
  else
    rc = add_rule(conn, argc, argv, shop_id);
  rc = ctl_end_change(conn, CMD, rc);
  if (rc == CTL_USAGE)
    return ctl_usage(CMD);
  if (rc != CTL_OK)
    fprintf(stderr, "ocopctl: %s: nothing was changed\n", CMD);
  return rc;
}

/* ---- owner ----------------------------------------------------------------- */

int ctl_shop_owner(struct ctl *ctl, int argc, char **argv) {
  char shop_id[32], pid[32];
  const char *params[2];
  PGconn *conn;
  PGresult *q;
  long before, after;
  int rc = CTL_FAIL, found;

  if (!((argc == 4 && strcmp(argv[3], "--operator") == 0) ||
        (argc == 5 && strcmp(argv[3], "--producer") == 0)))
    return ctl_usage(CMD);
  conn = ctl_connect(ctl, CMD);
  if (!conn)
    return CTL_FAIL;
  if (ctl_begin_change(conn, CMD) != CTL_OK)
    return CTL_FAIL;
  found = ctl_find_shop(conn, CMD, argv[2], shop_id, sizeof shop_id);
  if (found <= 0)
    goto out;
  if (argc == 5 && ctl_find_producer(conn, CMD, "--producer", argv[4], pid, sizeof pid) <= 0)
    goto out;
  before = carried(conn, shop_id, NULL);
  if (before < 0)
    goto out;
  params[0] = shop_id;
  params[1] = argc == 5 ? pid : NULL;
  q = run(conn, CMD,
          "UPDATE shop SET owner_producer_id = $2::bigint, updated_at = now() "
          "WHERE id = $1::bigint AND owner_producer_id IS DISTINCT FROM $2::bigint RETURNING id",
          2, params);
  if (!q)
    goto out;
  if (PQntuples(q) == 0) {
    printf("shop %s already belongs to %s%s; nothing changed\n", argv[2],
           argc == 5 ? "producer " : "the operator", argc == 5 ? argv[4] : "");
    PQclear(q);
    rc = CTL_OK;
    goto out;
  }
  PQclear(q);
  after = carried(conn, shop_id, NULL);
  if (after < 0)
    goto out;
  if (argc == 5)
    printf("shop %s now belongs to producer %s and carries its products\n", argv[2], argv[4]);
  else
    printf("shop %s now belongs to the operator and carries what its include rules select\n",
           argv[2]);
  printf("carries %ld product%s now (was %ld)\n", after, plural(after), before);
  if (after == 0)
    printf("it carries nothing: add a rule with ocopctl shop assortment %s include ...\n",
           argv[2]);
  rc = CTL_OK;
out:
  rc = ctl_end_change(conn, CMD, rc);
  if (rc != CTL_OK)
    fprintf(stderr, "ocopctl: %s: nothing was changed\n", CMD);
  return rc;
}

/* ---- text ------------------------------------------------------------------ */

/* Bytes of the UTF-8 character at s, and whether it takes a column:
 * combining marks (U+0300..U+036F) do not. */
static size_t utf8_char(const char *s, int *column) {
  unsigned char c = (unsigned char)s[0];
  size_t len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1, i;

  *column = 1;
  for (i = 1; i < len; i++)
    if (((unsigned char)s[i] & 0xc0) != 0x80)
      return i; /* cut short: take what is there */
  *column = !(len == 2 && (c == 0xcc || (c == 0xcd && (unsigned char)s[1] <= 0xaf)));
  return len;
}

static int columns(const char *s) {
  int n = 0, col;

  while (*s) {
    s += utf8_char(s, &col);
    n += col;
  }
  return n;
}

void ctl_fit(char *out, size_t outlen, const char *s, int width) {
  int cut = columns(s) > width, room = cut ? width - 1 : width, chars = 0, col;
  size_t o = 0;

  while (*s) {
    size_t len = utf8_char(s, &col);

    if ((col && chars == room) || o + len + 4 >= outlen)
      break;
    memcpy(out + o, s, len);
    o += len;
    s += len;
    chars += col;
  }
  if (cut && o + 4 < outlen) {
    memcpy(out + o, "\xe2\x80\xa6", 3); /* … */
    o += 3;
    chars++;
  }
  while (chars < width && o + 1 < outlen) {
    out[o++] = ' ';
    chars++;
  }
  out[o] = '\0';
}
