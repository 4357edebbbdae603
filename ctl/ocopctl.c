/*
 * ocopctl.c — the operator's command line: global options, the command
 * table, and the migrate and import commands.
 *
 *   ocopctl [-d CONNINFO] COMMAND [ARGS...]
 *
 * Exit codes: 0 done, 1 failed (or the input was bad), 2 wrong command line.
 */
#ifdef HAVE_CONFIG_H
#include "build_config.h" /* PACKAGE_VERSION */
#endif

#include "ocopctl.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_assortment.h"
#include "ctl_content.h"
#include "ctl_operate.h"
#include "ctl_data.h"
#include "ctl_token.h"
#include "import.h"
#include "migrate.h"

#ifndef PACKAGE_VERSION
#define PACKAGE_VERSION "unknown"
#endif

struct command {
  const char *name;
  int (*run)(struct ctl *ctl, int argc, char **argv);
  const char *usage;   /* arguments, after the name */
  const char *summary; /* one line for --help */
  int needs_db;        /* refused up front, exit 2, when no database is given */
};

static const struct command commands[] = {
    {"migrate", cmd_migrate, "",
     "bring the database schema up to this build's version", 1},
    {"import", cmd_import, "FILE.csv [--dry-run] [--stocktake]",
     "check a catalogue CSV and load it in one transaction; its stock column sets new"
     " variants only, or every variant with --stocktake", 1},
    {"shop", cmd_shop,
     "add NAME --marketplace M [--shop-id ID --app-key K --base-url URL]"
     " [--policy delist|strip] [--buffer N] [--option K=V]... [--producer \"PRODUCER NAME\"]"
     " | options MARKETPLACE [--json] | remove NAME [--force]"
     " | token NAME [--expires-in S] [--credentials-dir DIR] (access and refresh token on stdin)"
     " | authorize NAME (--redirect URL | --code CODE) [--connector-dir DIR]"
     " [--credentials-dir DIR] | list [--json] | pause NAME | resume NAME"
     " | assortment NAME [include|exclude (--all | --producer NAME | --category CODE"
     " | --stars N | --product CODE) | remove RULE_ID]"
     " | owner NAME (--producer NAME | --operator)",
     "register marketplace shops, their tokens, owners and assortments; the options each"
     " marketplace needs; remove a shop (its listings withdrawn first)", 1},
    {"listings", cmd_listings,
     "--shop NAME [--state new|listed|delisted|none] [--json]"
     " | --problems [--shop NAME] [--state S] [--json]",
     "what a shop carries and why, with each product's certificate and listing;"
     " --problems: the listings held back and why", 1},
    {"category", cmd_category,
     "map MARKETPLACE OCOP_CODE REMOTE_ID | unmap MARKETPLACE OCOP_CODE"
     " | list [--marketplace M] [--json] | rules SHOP [REMOTE_ID] [--json] | import FILE.csv",
     "the marketplace category of each OCOP category, and the rules ocopd read for it", 1},
    {"attribute", cmd_attribute,
     "map MARKETPLACE|'*' KEY \"Remote Name\" | unmap MARKETPLACE|'*' KEY | list [--json]",
     "which marketplace attribute each catalogue attribute key fills", 1},
    {"product", cmd_product,
     "attribute CODE KEY VALUE | attribute CODE KEY --unset | price SKU VND"
     " | description CODE TEXT",
     "change one product between imports: an attribute, a variant's price, the description"
     " (the next import of the catalogue file sets its values again)", 1},
    {"images", cmd_images, "[--product CODE] [--problems] [--json]",
     "each catalogue image, what reading it found, and the shops it is uploaded to", 1},
    {"jobs", cmd_jobs,
     "[--shop NAME] [--state dead|failing|held|pending|running|all] [--kind K] [--product CODE]"
     " [--limit N] [--json]",
     "the jobs that failed (default: dead and failing), each with its whole reason", 1},
    {"retry", cmd_retry, "(JOB_ID | --shop NAME | --all-dead) [--dry-run]",
     "put dead jobs back to pending, now, once their cause is fixed", 1},
    {"resync", cmd_resync, "SHOP [--dry-run]",
     "send a shop's live listings again (content, price, stock) and read their stock back", 1},
    {"status", cmd_status, "", "listings, queue, failed jobs and certificates at a glance", 1},
    {"certs", cmd_certs,
     "[--state certified|renewal_window|renewal_pending|expiring_soon|grace|expired|revoked|"
     "rated_below_3|never_eligible] [--within DAYS] [--json]",
     "certificate state, stars, decision and days left of every product on the OCOP date", 1},
    {"alerts", cmd_alerts, "[--since DATE] [--json]",
     "expiry warnings that have fired (re-evaluation filing window, expiry)", 1},
    {"clock", cmd_clock, "[pin YYYY-MM-DD | unpin]",
     "the OCOP date; pin it to another day (tests and demos only) or unpin it", 1},
    {"orders", cmd_orders,
     "[--shop NAME] [--product CODE] [--sku SKU] [--status S] [--since DATE] [--until DATE]"
     " [--limit N] [--json]",
     "orders from every channel, newest first: shop, order id, status, placed time"
     " (+07:00), lines", 1},
    {"stock", cmd_stock,
     "show [SKU | --product CODE] [--json] | set SKU QTY --reason \"TEXT\""
     " | adjust SKU +N|-N --reason \"TEXT\"",
     "stock on hand, reserved and told to each channel; a stocktake or a correction,"
     " with its reason in the ledger", 1},
    {"cert", cmd_cert,
     "show CODE [--json] | revoke CODE --decision NO --on DATE [--reason TEXT]"
     " | decide CODE --stars N --decision NO --on DATE [--valid-until DATE]",
     "a product's certificates; record a revocation or a recognition decision", 1},
    {"token", cmd_token, "new-key FILE | rotate-key NEWKEYFILE [--credentials-dir DIR]",
     "the key that seals marketplace tokens at rest: write a new one; re-seal every token"
     " under a new one and put it in place", 0},
};

#define NCOMMANDS (sizeof commands / sizeof commands[0])

static const struct command *find_command(const char *name) {
  size_t i;

  for (i = 0; i < NCOMMANDS; i++)
    if (strcmp(commands[i].name, name) == 0)
      return &commands[i];
  return NULL;
}

int ctl_usage(const char *name) {
  const struct command *c = find_command(name);

  /* One line, like every other refusal: "ocopctl: NAME: ...". */
  fprintf(stderr, "ocopctl: %s: wrong arguments; usage: ocopctl [-d CONNINFO] %s %s\n", name,
          name, c ? c->usage : "...");
  return CTL_USAGE;
}

static void help(FILE *out) {
  size_t i;

  fprintf(out,
          "usage: ocopctl [-d CONNINFO] COMMAND [ARGS...]\n"
          "\n"
          "  -d, --database CONNINFO  libpq connection string or URI\n"
          "                           (default: $OCOPD_DATABASE)\n"
          "      --today YYYY-MM-DD   tests only: pin the database's OCOP date first\n"
          "                           (as `clock pin`; after the command for migrate)\n"
          "  -h, --help               this help; COMMAND --help for one command\n"
          "      --version            print the version\n"
          "\n"
          "commands:\n");
  for (i = 0; i < NCOMMANDS; i++)
    fprintf(out, "  %s%s%s\n      %s\n", commands[i].name, commands[i].usage[0] ? " " : "",
            commands[i].usage, commands[i].summary);
  fprintf(out, "\nexit status: 0 done, 1 failed or bad input, 2 wrong command line\n");
}

/* The first line of libpq's message: the rest is hints for developers. */
static void print_pq_error(const char *command, const char *what, PGconn *conn) {
  const char *msg = PQerrorMessage(conn);

  fprintf(stderr, "ocopctl: %s: %s: %.*s\n", command, what, (int)strcspn(msg, "\n"), msg);
}

static void no_database(const char *command) {
  fprintf(stderr,
          "ocopctl: %s: no database given: use -d CONNINFO (e.g. -d 'dbname=ocop') or set "
          "OCOPD_DATABASE\n",
          command);
}

PGconn *ctl_connect(struct ctl *ctl, const char *command) {
  /* expand_dbname: the conninfo may be a full string or URI. UTF8 because
   * catalogue files and messages are UTF-8 whatever the locale says. */
  const char *keys[] = {"dbname", "fallback_application_name", "client_encoding", NULL};
  const char *vals[] = {ctl->conninfo, "ocopctl", "UTF8", NULL};

  if (ctl->conn)
    return ctl->conn;
  if (!ctl->conninfo || !ctl->conninfo[0]) {
    no_database(command);
    return NULL;
  }
  ctl->conn = PQconnectdbParams(keys, vals, 1);
  if (!ctl->conn || PQstatus(ctl->conn) != CONNECTION_OK) {
    print_pq_error(command, "cannot connect to the database", ctl->conn);
    PQfinish(ctl->conn);
    ctl->conn = NULL;
    return NULL;
  }
  return ctl->conn;
}

/* "--help" or "-h" anywhere among a command's arguments. */
static int wants_help(int argc, char **argv) {
  int i;

  for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
    if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
      return 1;
  return 0;
}

/* ---- migrate -------------------------------------------------------------- */

int cmd_migrate(struct ctl *ctl, int argc, char **argv) {
  struct migrate_outcome m;
  char err[512];
  PGconn *conn;

  if (argc > 1)
    return ctl_usage("migrate");
  conn = ctl_connect(ctl, "migrate");
  if (!conn)
    return CTL_FAIL;
  if (migrate_apply(conn, &m, err, sizeof err) != 0) {
    fprintf(stderr, "ocopctl: migrate: %s\n", err);
    return CTL_FAIL;
  }
  printf("schema at version %d (applied %d migration%s)\n", m.to, m.migrations,
         m.migrations == 1 ? "" : "s");
  if (m.logic > 0)
    printf("SQL logic applied (%d file%s)\n", m.logic, m.logic == 1 ? "" : "s");
  return CTL_OK;
}

/* ---- import ---------------------------------------------------------------- */

static void print_summary(const char *path, unsigned dry_run, const struct import_summary *s) {
  if (dry_run)
    printf("dry run of %s: %ld rows checked, nothing written; the import would make:\n", path,
           s->rows);
  else
    printf("imported %s: %ld rows\n", path, s->rows);
  printf("  products: %ld created, %ld updated, %ld unchanged\n", s->products_created,
         s->products_updated, s->products_unchanged);
  printf("  variants: %ld created, %ld updated, %ld unchanged, %ld withdrawn\n",
         s->variants_created, s->variants_updated, s->variants_unchanged, s->variants_withdrawn);
  printf("  producers: %ld created, %ld updated\n", s->producers_created, s->producers_updated);
  printf("  certificates: %ld added, %ld updated\n", s->certificates_added,
         s->certificates_updated);
  printf("  stock adjustments: %ld\n", s->stock_adjustments);
  if (s->stock_ignored > 0)
    printf("  %s: stock column ignored for %ld existing variant%s (their stock moved since;"
           " use --stocktake to set it)\n",
           path, s->stock_ignored, s->stock_ignored == 1 ? "" : "s");
  printf("  images: %ld added, %ld changed, %ld removed\n", s->images_added, s->images_changed,
         s->images_removed);
  printf("  attributes: %ld set, %ld removed\n", s->attributes_set, s->attributes_removed);
  printf("  marketplace categories: %ld set, %ld removed\n", s->categories_set,
         s->categories_removed);
}

int cmd_import(struct ctl *ctl, int argc, char **argv) {
  struct import_summary sum;
  const char *path = NULL;
  unsigned flags = 0;
  int i, options = 1, rc;
  PGconn *conn;

  for (i = 1; i < argc; i++) {
    if (options && strcmp(argv[i], "--dry-run") == 0)
      flags |= IMPORT_DRY_RUN;
    else if (options && strcmp(argv[i], "--stocktake") == 0)
      flags |= IMPORT_STOCKTAKE;
    else if (options && strcmp(argv[i], "--") == 0)
      options = 0;
    else if (options && argv[i][0] == '-' && argv[i][1] != '\0')
      return ctl_usage("import");
    else if (!path)
      path = argv[i];
    else
      return ctl_usage("import");
  }
  if (!path)
    return ctl_usage("import");
  /* A file that cannot be read is one line, before any connection. */
  {
    FILE *f = fopen(path, "r");

    if (!f) {
      fprintf(stderr, "ocopctl: import: %s: %s\n", path, strerror(errno));
      return CTL_FAIL;
    }
    fclose(f);
  }
  conn = ctl_connect(ctl, "import");
  if (!conn)
    return CTL_FAIL;
  rc = import_file(conn, path, flags, &sum, stderr);
  if (rc == 1) {
    fprintf(stderr, "ocopctl: import: %s: %ld problem%s; nothing was imported\n", path,
            sum.problems, sum.problems == 1 ? "" : "s");
    return CTL_FAIL;
  }
  if (rc < 0) {
    fprintf(stderr, "ocopctl: import: %s: nothing was imported\n", path);
    return CTL_FAIL;
  }
  print_summary(path, flags & IMPORT_DRY_RUN, &sum);
  return CTL_OK;
}

/* ---- main ------------------------------------------------------------------- */

int ctl_is_iso_date(const char *s) {
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  int i, y, m, d;

  for (i = 0; i < 10; i++)
    if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
      return 0;
  if (s[10] != '\0')
    return 0;
  y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
  m = (s[5] - '0') * 10 + (s[6] - '0');
  d = (s[8] - '0') * 10 + (s[9] - '0');
  if (y < 1 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
    return 0;
  return m != 2 || d < 29 || (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0));
}

/* Takes the global options; returns the index of the command, or -1 with
 * *exit_code set when there is nothing to run. */
static int parse_global(int argc, char **argv, struct ctl *ctl, int *exit_code) {
  static const struct option longopts[] = {
      {"database", required_argument, NULL, 'd'},
      {"help", no_argument, NULL, 'h'},
      {"version", no_argument, NULL, 'V'},
      {"today", required_argument, NULL, 't'},
      {NULL, 0, NULL, 0},
  };
  int c;

  /* "+": stop at the command, whose options are its own. */
  while ((c = getopt_long(argc, argv, "+d:h", longopts, NULL)) != -1) {
    switch (c) {
    case 'd':
      ctl->conninfo = optarg;
      break;
    case 't':
      if (!ctl_is_iso_date(optarg)) {
        fprintf(stderr, "ocopctl: --today: \"%s\" is not a date YYYY-MM-DD\n", optarg);
        *exit_code = CTL_USAGE;
        return -1;
      }
      ctl->today = optarg;
      break;
    case 'h':
      help(stdout);
      *exit_code = CTL_OK;
      return -1;
    case 'V':
      printf("ocopctl %s\n", PACKAGE_VERSION);
      *exit_code = CTL_OK;
      return -1;
    default:
      fprintf(stderr, "see ocopctl --help\n");
      *exit_code = CTL_USAGE;
      return -1;
    }
  }
  if (optind >= argc) {
    help(stderr);
    *exit_code = CTL_USAGE;
    return -1;
  }
  return optind;
}

int main(int argc, char **argv) {
  struct ctl ctl = {0};
  const struct command *cmd;
  int first, rc = CTL_USAGE;

  ctl.conninfo = getenv("OCOPD_DATABASE");
  first = parse_global(argc, argv, &ctl, &rc);
  if (first < 0)
    return rc;
  cmd = find_command(argv[first]);
  if (!cmd) {
    fprintf(stderr, "ocopctl: unknown command \"%s\"; see ocopctl --help\n", argv[first]);
    return CTL_USAGE;
  }
  if (wants_help(argc - first, argv + first)) {
    printf("usage: ocopctl [-d CONNINFO] %s %s\n  %s\n", cmd->name, cmd->usage, cmd->summary);
    return CTL_OK;
  }
  if (cmd->needs_db && (!ctl.conninfo || !ctl.conninfo[0])) {
    no_database(cmd->name);
    return CTL_USAGE;
  }
  /* --today pins the database's date (announced on stderr); migrate makes
   * the table that holds the pin, so it pins afterwards. */
  if (ctl.today && strcmp(cmd->name, "migrate") != 0 &&
      ctl_clock_pin(&ctl, ctl.today, "ocopctl --today") != CTL_OK)
    rc = CTL_FAIL;
  else
    rc = cmd->run(&ctl, argc - first, argv + first);
  if (rc == CTL_OK && ctl.today && strcmp(cmd->name, "migrate") == 0)
    rc = ctl_clock_pin(&ctl, ctl.today, "ocopctl --today");
  PQfinish(ctl.conn);
  /* A full disk or closed pipe on stdout is a failure too. */
  if (fflush(stdout) != 0 && rc == CTL_OK)
    rc = CTL_FAIL;
  return rc;
}
