/*
 * ctl_shop.c — `ocopctl shop`: register shops, store their tokens, list,
 * pause and resume them (`shop authorize`, the marketplace's own
 * authorisation flow, is in ctl_authorize.c; `shop assortment` and
 * `shop owner`, what a shop carries, in ctl_assortment.c).
 *
 * `shop add NAME ... --producer "NAME"` makes a producer's own shop, which
 * carries that producer's products. Without --producer a new shop is the
 * operator's (a centre's store) and gets one include rule selecting every
 * product, which `shop assortment` narrows.
 *
 * Tokens are read from standard input, never from the command line, where
 * any user could see them in the process list. Partner keys and app secrets
 * are not handled here at all: they live in ocopd's credentials directory.
 */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_assortment.h"
#include "ctl_error.h"
#include "ctl_operate.h"
#include "ctl_token.h"
#include "ocopctl.h"

/* Runs a parameterised statement; prints the server's message on failure. */
static int exec_params(PGconn *conn, const char *what, const char *sql, int n,
                       const char *const *params, PGresult **out) {
  PGresult *r = PQexecParams(conn, sql, n, NULL, params, NULL, NULL, 0);
  ExecStatusType st = PQresultStatus(r);

  if (st != PGRES_COMMAND_OK && st != PGRES_TUPLES_OK) {
    ctl_pg_fail("shop", what, r);
    PQclear(r);
    return CTL_FAIL;
  }
  if (out)
    *out = r;
  else
    PQclear(r);
  return CTL_OK;
}

struct shop_args {
  const char *name, *marketplace, *shop_id, *app_key, *base_url, *policy, *buffer, *producer;
  cJSON *options;
};

static int add_option(struct shop_args *a, const char *kv) {
  const char *eq = strchr(kv, '=');
  char key[128];

  if (!eq || eq == kv || (size_t)(eq - kv) >= sizeof key) {
    fprintf(stderr, "ocopctl: shop: --option \"%s\" is not KEY=VALUE\n", kv);
    return -1;
  }
  memcpy(key, kv, (size_t)(eq - kv));
  key[eq - kv] = '\0';
  cJSON_DeleteItemFromObject(a->options, key);
  cJSON_AddStringToObject(a->options, key, eq + 1);
  return 0;
}

/* The shape sql/002_channels.sql keeps a shop's name in: it names the
 * shop's credentials file and appears in logs and metrics. */
static int check_name(const char *name) {
  size_t n = strlen(name);

  if (n >= 1 && n <= 63 && (islower((unsigned char)name[0]) || isdigit((unsigned char)name[0])) &&
      strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") == n)
    return 0;
  fprintf(stderr, "ocopctl: shop: name \"%s\": 1 to 63 of a-z, 0-9, _ and -, starting with a "
                  "letter or digit\n",
          name);
  return -1;
}

/* An origin only (sql/002_channels.sql): each connector adds its paths. */
static int check_base_url(const char *url) {
  const char *host = NULL;

  if (strncmp(url, "http://", 7) == 0)
    host = url + 7;
  else if (strncmp(url, "https://", 8) == 0)
    host = url + 8;
  if (host && *host && strcspn(host, "/ \t\r\n\v\f") == strlen(host))
    return 0;
  fprintf(stderr, "ocopctl: shop: --base-url \"%s\": an origin such as https://host[:port], "
                  "without a path\n",
          url);
  return -1;
}

/* What can be told from the command line alone, before anything is
 * written: the marketplace, the API fields it takes, the policy, the
 * buffer and the options its shops need (ctl_shop_options.c). */
static int check_add(struct shop_args *a) {
  const char *keys[64];
  const cJSON *it;
  size_t n = 0;

  if (check_name(a->name) != 0 || (a->base_url && check_base_url(a->base_url) != 0))
    return -1;
  if (!a->marketplace) {
    fprintf(stderr, "ocopctl: shop: add needs --marketplace (shopee, lazada, tiktok or postmart)\n");
    return -1;
  }
  if (!ctl_marketplace_known("shop", a->marketplace))
    return -1;
  if (ctl_marketplace_has_api(a->marketplace) && (!a->shop_id || !a->app_key || !a->base_url)) {
    fprintf(stderr, "ocopctl: shop: a %s shop needs --shop-id, --app-key and --base-url\n",
            a->marketplace);
    return -1;
  }
  /* A file channel has no account id: its name keeps it apart from other
   * shops of the same marketplace (shop's UNIQUE (marketplace, mp_shop_id,
   * app_key)). */
  if (!a->shop_id)
    a->shop_id = a->name;
  if (!a->app_key)
    a->app_key = "";
  if (!a->base_url)
    a->base_url = "";
  if (strcmp(a->policy, "delist") != 0 && strcmp(a->policy, "strip") != 0) {
    fprintf(stderr, "ocopctl: shop: --policy \"%s\": one of delist, strip\n", a->policy);
    return -1;
  }
  if (strspn(a->buffer, "0123456789") != strlen(a->buffer) || !a->buffer[0] ||
      strlen(a->buffer) > 9) {
    fprintf(stderr, "ocopctl: shop: --buffer \"%s\": a whole number of units, 0 or more\n",
            a->buffer);
    return -1;
  }
  cJSON_ArrayForEach(it, a->options) {
    if (n == sizeof keys / sizeof keys[0]) {
      fprintf(stderr, "ocopctl: shop: at most %zu --option\n", sizeof keys / sizeof keys[0]);
      return -1;
    }
    keys[n++] = it->string;
  }
  return ctl_shop_options_check("shop", a->marketplace, keys, n);
}

static int parse_add(struct shop_args *a, int argc, char **argv) {
  int i;

  for (i = 3; i < argc; i++) {
    const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

    if (!val) {
      fprintf(stderr, "ocopctl: shop: %s needs a value\n", opt);
      return -1;
    }
    i++;
    if (strcmp(opt, "--marketplace") == 0) a->marketplace = val;
    else if (strcmp(opt, "--shop-id") == 0) a->shop_id = val;
    else if (strcmp(opt, "--app-key") == 0) a->app_key = val;
    else if (strcmp(opt, "--base-url") == 0) a->base_url = val;
    else if (strcmp(opt, "--policy") == 0) a->policy = val;
    else if (strcmp(opt, "--buffer") == 0) a->buffer = val;
    else if (strcmp(opt, "--producer") == 0) a->producer = val;
    else if (strcmp(opt, "--option") == 0) {
      if (add_option(a, val) != 0)
        return -1;
    } else {
      fprintf(stderr, "ocopctl: shop: unknown option %s\n", opt);
      return -1;
    }
  }
  return check_add(a);
}

/* The owner and the rule a new operator's shop starts with, once the shop
 * row is written (same transaction). */
static int shop_add_owner(PGconn *conn, const struct shop_args *a, const char *shop_id,
                          int inserted) {
  const char *params[1] = {shop_id};
  PGresult *r;

  if (a->producer) {
    printf("owner: producer %s: the shop carries its products\n", a->producer);
    return CTL_OK;
  }
  if (!inserted) {
    printf("owner and assortment unchanged (see ocopctl shop assortment %s)\n", a->name);
    return CTL_OK;
  }
  if (exec_params(conn, "cannot add the shop's assortment",
                  "INSERT INTO assortment_rule (shop_id, include, created_by) "
                  "VALUES ($1::bigint, true, coalesce(current_setting('ocop.actor', true), '')) "
                  "RETURNING id",
                  1, params, &r) != CTL_OK)
    return CTL_FAIL;
  printf("owner: the operator (a centre's store): it carries every product (rule %s)\n"
         "narrow it: ocopctl shop assortment %s include --producer NAME | --category CODE |"
         " --stars N | --product CODE,\n"
         "           then ocopctl shop assortment %s remove %s; or give the shop to a producer:"
         " ocopctl shop owner %s --producer NAME\n",
         PQgetvalue(r, 0, 0), a->name, a->name, PQgetvalue(r, 0, 0), a->name);
  PQclear(r);
  return CTL_OK;
}

static int shop_add(struct ctl *ctl, int argc, char **argv) {
  struct shop_args a;
  const char *params[9];
  char *opts = NULL, producer_id[32], shop_id[32];
  PGconn *conn;
  PGresult *r = NULL;
  int rc = CTL_USAGE, inserted;

  memset(&a, 0, sizeof a);
  a.name = argv[2];
  a.policy = "delist";
  a.buffer = "0";
  a.options = cJSON_CreateObject();
  if (parse_add(&a, argc, argv) != 0)
    goto out;
  rc = CTL_FAIL;
  conn = ctl_connect(ctl, "shop");
  if (!conn)
    goto out;
  if (ctl_begin_change(conn, "shop") != CTL_OK)
    goto out;
  if (a.producer &&
      ctl_find_producer(conn, "shop", "--producer", a.producer, producer_id, sizeof producer_id) <= 0) {
    ctl_end_change(conn, "shop", CTL_FAIL);
    goto out;
  }
  opts = cJSON_PrintUnformatted(a.options);
  params[0] = a.name;
  params[1] = a.marketplace;
  params[2] = a.shop_id;
  params[3] = a.base_url;
  params[4] = a.app_key;
  params[5] = a.policy;
  params[6] = a.buffer;
  params[7] = opts;
  params[8] = a.producer ? producer_id : NULL;
  /* xmax = 0: the row is new (an existing shop is updated in place). An
   * existing shop keeps its owner unless --producer names one. */
  rc = exec_params(conn, "cannot add the shop",
                   "INSERT INTO shop (name, marketplace, mp_shop_id, base_url, app_key, policy, "
                   "stock_buffer, options, owner_producer_id) VALUES ($1, $2, $3, $4, $5, $6, "
                   "$7::integer, $8::jsonb, $9::bigint) "
                   "ON CONFLICT (name) DO UPDATE SET marketplace = EXCLUDED.marketplace, "
                   "mp_shop_id = EXCLUDED.mp_shop_id, base_url = EXCLUDED.base_url, "
                   "app_key = EXCLUDED.app_key, policy = EXCLUDED.policy, "
                   "stock_buffer = EXCLUDED.stock_buffer, options = EXCLUDED.options, "
                   "owner_producer_id = coalesce(EXCLUDED.owner_producer_id, shop.owner_producer_id), "
                   "updated_at = now() WHERE shop.status NOT IN ('removing', 'removed') "
                   "RETURNING id, xmax = 0",
                   9, params, &r);
  if (rc == CTL_OK && PQntuples(r) == 0) {
    fprintf(stderr, "ocopctl: shop: \"%s\" names a shop that is removed or being removed"
                    " (ocopctl shop remove); choose another name\n", a.name);
    rc = CTL_FAIL;
  } else if (rc == CTL_OK) {
    snprintf(shop_id, sizeof shop_id, "%s", PQgetvalue(r, 0, 0));
    inserted = PQgetvalue(r, 0, 1)[0] == 't';
    printf("shop %s %s (%s, policy %s)\n", a.name, inserted ? "added" : "saved", a.marketplace,
           a.policy);
    rc = shop_add_owner(conn, &a, shop_id, inserted);
  }
  rc = ctl_end_change(conn, "shop", rc);
out:
  PQclear(r);
  free(opts);
  cJSON_Delete(a.options);
  return rc;
}

/* One line of stdin without its newline; "" at end of input. */
static void read_line(char *buf, size_t len) {
  size_t n;

  if (!fgets(buf, (int)len, stdin)) {
    buf[0] = '\0';
    return;
  }
  n = strcspn(buf, "\r\n");
  buf[n] = '\0';
}

/* Once the pair is stored (same transaction): a shop that waited for it
 * resumes, with the jobs that were waiting (sql/logic/operate.sql). */
static int token_resume(PGconn *conn, const char *name, const char *shop_id) {
  const char *params[1] = {shop_id};
  PGresult *r = NULL;

  if (exec_params(conn, "cannot resume the shop",
                  "SELECT resumed, revived FROM ocop_shop_tokens_stored($1::bigint)", 1, params,
                  &r) != CTL_OK)
    return CTL_FAIL;
  printf("token stored for shop %s\n", name);
  if (PQgetvalue(r, 0, 0)[0] == 't')
    printf("shop %s was waiting for re-authorisation: it is active again; its waiting jobs are due"
           " now and %s dead job%s went back to pending\n",
           name, PQgetvalue(r, 0, 1), strcmp(PQgetvalue(r, 0, 1), "1") == 0 ? "" : "s");
  PQclear(r);
  return CTL_OK;
}

/* `shop token NAME [--expires-in S] [--credentials-dir DIR]`: argv[3...]. */
static int token_args(int argc, char **argv, const char **expires, const char **dir) {
  int i;

  for (i = 3; i + 1 < argc; i += 2) {
    if (strcmp(argv[i], "--expires-in") == 0)
      *expires = argv[i + 1];
    else if (strcmp(argv[i], "--credentials-dir") == 0)
      *dir = argv[i + 1];
    else
      return -1;
  }
  return argc >= 3 && i == argc ? 0 : -1;
}

/* The shop's id, for binding its sealed tokens to it; 0 after printing why. */
static long long token_shop(PGconn *conn, const char *name, char *id, size_t idlen) {
  const char *params[1] = {name};
  PGresult *r = ctl_exec(conn, "shop", "cannot read the shop",
                         "SELECT id FROM shop WHERE name = $1 AND status NOT IN ('removing', "
                         "'removed') FOR UPDATE", 1, params);
  long long v = 0;

  if (r && PQntuples(r) == 1) {
    snprintf(id, idlen, "%s", PQgetvalue(r, 0, 0));
    v = strtoll(id, NULL, 10);
  } else if (r) {
    fprintf(stderr, "ocopctl: shop: no shop named \"%s\" (or it is being removed; see ocopctl "
                    "shop list)\n", name);
  }
  PQclear(r);
  return v;
}

/* The pair arrives in clear on stdin and is stored sealed (lib/tokenkey.h). */
static int store_token(PGconn *conn, const char *name, const char *expires, const char *dir,
                       const char *access, const char *refresh) {
  char id[24], sealed[2][TSEAL_BLOB_MAX];
  const char *params[4] = {id, sealed[0], sealed[1], expires};
  long long shop = token_shop(conn, name, id, sizeof id);
  PGresult *r;
  int rc;

  if (!shop || ctl_token_seal("shop", dir, shop, access, refresh, sealed[0], sealed[1]) != CTL_OK)
    return CTL_FAIL;
  r = ctl_exec(conn, "shop", "cannot store the token",
               "INSERT INTO token (shop_id, access_token, refresh_token, access_expires_at) "
               "VALUES ($1::bigint, $2, $3, now() + make_interval(secs => $4::integer)) "
               "ON CONFLICT (shop_id) DO UPDATE SET access_token = EXCLUDED.access_token, "
               "refresh_token = EXCLUDED.refresh_token, access_expires_at = EXCLUDED.access_expires_at, "
               "refresh_refusals = 0, updated_at = now()",
               4, params);
  rc = r ? token_resume(conn, name, id) : CTL_FAIL;
  PQclear(r);
  return rc;
}

static int shop_token(struct ctl *ctl, int argc, char **argv) {
  char access[1024], refresh[1024];
  const char *expires = "14400", *dir = NULL;
  PGconn *conn;
  int rc;

  if (token_args(argc, argv, &expires, &dir) != 0)
    return ctl_usage("shop");
  read_line(access, sizeof access);
  read_line(refresh, sizeof refresh);
  if (!access[0]) {
    fprintf(stderr, "ocopctl: shop: give the access token and the refresh token on stdin, one per line\n");
    return CTL_FAIL;
  }
  conn = ctl_connect(ctl, "shop");
  if (!conn || ctl_begin_change(conn, "shop") != CTL_OK) {
    explicit_bzero(access, sizeof access);
    explicit_bzero(refresh, sizeof refresh);
    return CTL_FAIL;
  }
  rc = store_token(conn, argv[2], expires, dir, access, refresh);
  rc = ctl_end_change(conn, "shop", rc);
  explicit_bzero(access, sizeof access);
  explicit_bzero(refresh, sizeof refresh);
  return rc;
}

/* shop list --json: an array of {shop, marketplace, shop_id, policy,
 * status, listed, delisted}. */
static void shop_list_json(PGresult *r) {
  cJSON *arr = cJSON_CreateArray();
  char *text;
  int i;

  for (i = 0; i < PQntuples(r); i++) {
    cJSON *o = cJSON_CreateObject();

    cJSON_AddStringToObject(o, "shop", PQgetvalue(r, i, 0));
    cJSON_AddStringToObject(o, "marketplace", PQgetvalue(r, i, 1));
    cJSON_AddStringToObject(o, "shop_id", PQgetvalue(r, i, 2));
    cJSON_AddStringToObject(o, "policy", PQgetvalue(r, i, 3));
    cJSON_AddStringToObject(o, "status", PQgetvalue(r, i, 4));
    cJSON_AddNumberToObject(o, "listed", atof(PQgetvalue(r, i, 5)));
    cJSON_AddNumberToObject(o, "delisted", atof(PQgetvalue(r, i, 6)));
    cJSON_AddItemToArray(arr, o);
  }
  text = cJSON_Print(arr);
  printf("%s\n", text);
  free(text);
  cJSON_Delete(arr);
}

static int shop_list(struct ctl *ctl, int json) {
  PGconn *conn = ctl_connect(ctl, "shop");
  PGresult *r;
  int i;

  if (!conn)
    return CTL_FAIL;
  r = PQexec(conn, "SELECT s.name, s.marketplace, s.mp_shop_id, s.policy, s.status, "
                   "count(l.id) FILTER (WHERE l.state = 'listed'), "
                   "count(l.id) FILTER (WHERE l.state = 'delisted') "
                   "FROM shop s LEFT JOIN listing l ON l.shop_id = s.id GROUP BY s.id ORDER BY s.name");
  if (PQresultStatus(r) != PGRES_TUPLES_OK) {
    ctl_pg_fail("shop", "cannot list shops", r);
    PQclear(r);
    return CTL_FAIL;
  }
  if (json) {
    shop_list_json(r);
    PQclear(r);
    return CTL_OK;
  }
  printf("%-20s %-10s %-12s %-7s %-13s %7s %9s\n", "shop", "market", "shop id", "policy", "status",
         "listed", "delisted");
  for (i = 0; i < PQntuples(r); i++)
    printf("%-20s %-10s %-12s %-7s %-13s %7s %9s\n", PQgetvalue(r, i, 0), PQgetvalue(r, i, 1),
           PQgetvalue(r, i, 2), PQgetvalue(r, i, 3), PQgetvalue(r, i, 4), PQgetvalue(r, i, 5),
           PQgetvalue(r, i, 6));
  PQclear(r);
  return CTL_OK;
}

static int shop_set_status(struct ctl *ctl, const char *name, const char *status) {
  const char *params[2] = {name, status};
  PGconn *conn = ctl_connect(ctl, "shop");
  PGresult *r = NULL;
  int rc;

  if (!conn)
    return CTL_FAIL;
  /* A shop being removed keeps its state: the row comes back unchanged. */
  rc = exec_params(conn, "cannot change the shop",
                   "WITH u AS (UPDATE shop SET status = $2, updated_at = now() WHERE name = $1 "
                   "AND status NOT IN ('removing', 'removed') RETURNING id, status) "
                   "SELECT id, status FROM u UNION ALL SELECT id, status FROM shop "
                   "WHERE name = $1 AND status IN ('removing', 'removed')", 2,
                   params, &r);
  if (rc == CTL_OK && PQntuples(r) == 0) {
    fprintf(stderr, "ocopctl: shop: no shop named \"%s\" (see ocopctl shop list)\n", name);
    rc = CTL_FAIL;
  } else if (rc == CTL_OK && strcmp(PQgetvalue(r, 0, 1), status) != 0) {
    fprintf(stderr, "ocopctl: shop: shop %s is %s (ocopctl shop remove): it cannot be %s\n", name,
            PQgetvalue(r, 0, 1), strcmp(status, "paused") == 0 ? "paused" : "resumed");
    rc = CTL_FAIL;
  } else if (rc == CTL_OK) {
    printf("shop %s is %s\n", name, status);
  }
  PQclear(r);
  return rc;
}

int cmd_shop(struct ctl *ctl, int argc, char **argv) {
  const char *sub = argc > 1 ? argv[1] : "";

  if (strcmp(sub, "list") == 0 && argc == 2)
    return shop_list(ctl, 0);
  if (strcmp(sub, "list") == 0 && argc == 3 && strcmp(argv[2], "--json") == 0)
    return shop_list(ctl, 1);
  if (argc < 3)
    return ctl_usage("shop");
  if (strcmp(sub, "add") == 0)
    return shop_add(ctl, argc, argv);
  if (strcmp(sub, "token") == 0)
    return shop_token(ctl, argc, argv);
  if (strcmp(sub, "authorize") == 0)
    return ctl_shop_authorize(ctl, argc, argv);
  if (strcmp(sub, "assortment") == 0)
    return ctl_shop_assortment(ctl, argc, argv);
  if (strcmp(sub, "owner") == 0)
    return ctl_shop_owner(ctl, argc, argv);
  if (strcmp(sub, "remove") == 0)
    return ctl_shop_remove(ctl, argc, argv);
  if (strcmp(sub, "options") == 0)
    return ctl_shop_options(ctl, argc, argv);
  if (strcmp(sub, "pause") == 0 && argc == 3)
    return shop_set_status(ctl, argv[2], "paused");
  if (strcmp(sub, "resume") == 0 && argc == 3)
    return shop_set_status(ctl, argv[2], "active");
  return ctl_usage("shop");
}
