/* ctl_token.c — see ctl_token.h. */
#include "ctl_token.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl_assortment.h"
#include "ctl_error.h"
#include "secret.h"
#include "tokenkey.h"

static const char *const columns[] = {"access_token", "refresh_token"};

int ctl_token_seal(const char *command, const char *dir, long long shop, const char *access,
                   const char *refresh, char *acc_out, char *ref_out) {
  char err[512];

  tkey_set_dir(secret_dir(dir));
  if (tkey_seal(shop, columns[0], access, acc_out, TSEAL_BLOB_MAX, err, sizeof err) != 0 ||
      tkey_seal(shop, columns[1], refresh, ref_out, TSEAL_BLOB_MAX, err, sizeof err) != 0) {
    fprintf(stderr, "ocopctl: %s: %s\n", command, err);
    return CTL_FAIL;
  }
  return CTL_OK;
}

/* ---- new-key --------------------------------------------------------------- */

static int new_key(const char *path) {
  struct tseal_key key;
  char hex[2 * TSEAL_KEY_LEN + 2];
  int fd, rc = CTL_FAIL;

  if (tseal_key_generate(&key, hex) != 0) {
    fprintf(stderr, "ocopctl: token: cannot draw a random key\n");
    return CTL_FAIL;
  }
  strcat(hex, "\n");
  fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    fprintf(stderr, "ocopctl: token: %s: %s%s\n", path, strerror(errno),
            errno == EEXIST ? " (a key is never overwritten: rotate-key replaces one)" : "");
    goto out;
  }
  if (write(fd, hex, strlen(hex)) != (ssize_t)strlen(hex) || fsync(fd) != 0) {
    fprintf(stderr, "ocopctl: token: %s: cannot write the key: %s\n", path, strerror(errno));
    close(fd);
    unlink(path);
    goto out;
  }
  close(fd);
  printf("token key %s written to %s\n", key.id, path);
  rc = CTL_OK;
out:
  explicit_bzero(hex, sizeof hex);
  tseal_key_wipe(&key);
  return rc;
}

/* ---- rotate-key -------------------------------------------------------------- */

/* What a column holds, opened with the old key (or the new one, for a row a
 * rotation already did), or a token in clear as it is. */
static int open_any(const struct tseal_key *old, const struct tseal_key *new_, long long shop,
                    const char *name, int col, const char *v, char *clear) {
  char id[TSEAL_ID_LEN + 1], err[300];
  const struct tseal_key *key = old;

  if (!tseal_is_sealed(v)) {
    snprintf(clear, TSEAL_TOKEN_MAX, "%s", v);
    return 0;
  }
  if (tseal_blob_key_id(v, id) == 0 && strcmp(id, new_->id) == 0)
    key = new_;
  if (tseal_open(key, shop, columns[col], v, clear, TSEAL_TOKEN_MAX, err, sizeof err) != 0) {
    fprintf(stderr, "ocopctl: token: shop %s: %s; nothing was changed\n", name, err);
    return -1;
  }
  return 0;
}

static int reseal_row(PGconn *conn, const PGresult *res, int row, const struct tseal_key *old,
                      const struct tseal_key *new_) {
  long long shop = strtoll(PQgetvalue(res, row, 0), NULL, 10);
  const char *name = PQgetvalue(res, row, 1);
  char clear[TSEAL_TOKEN_MAX], blob[2][TSEAL_BLOB_MAX], err[300];
  const char *params[3];
  PGresult *r;
  int i, rc = -1;

  if (PQgetvalue(res, row, 4)[0] == 't') {
    fprintf(stderr, "ocopctl: token: a token refresh of shop %s is under way; nothing was "
                    "changed: try again in two minutes\n", name);
    return -1;
  }
  for (i = 0; i < 2; i++) {
    if (open_any(old, new_, shop, name, i, PQgetvalue(res, row, 2 + i), clear) != 0)
      goto out;
    if (tseal_seal(new_, shop, columns[i], clear, blob[i], sizeof blob[i], err, sizeof err) != 0) {
      fprintf(stderr, "ocopctl: token: shop %s: %s; nothing was changed\n", name, err);
      goto out;
    }
  }
  params[0] = PQgetvalue(res, row, 0);
  params[1] = blob[0];
  params[2] = blob[1];
  r = ctl_exec(conn, "token", "cannot store the re-sealed tokens",
               "UPDATE token SET access_token = $2, refresh_token = $3 WHERE shop_id = $1::bigint",
               3, params);
  rc = r ? 0 : -1;
  PQclear(r);
out:
  explicit_bzero(clear, sizeof clear);
  return rc;
}

/* Every token under the new key, in one transaction; the row locks keep
 * refreshes out until it commits. */
static int reseal_all(PGconn *conn, const struct tseal_key *old, const struct tseal_key *new_,
                      int *count) {
  PGresult *res;
  int i, rc = CTL_FAIL;

  if (ctl_begin_change(conn, "token") != CTL_OK)
    return CTL_FAIL;
  res = ctl_exec(conn, "token", "cannot read the tokens",
                 "SELECT t.shop_id, s.name, t.access_token, t.refresh_token, "
                 "coalesce(t.refreshing_until > now(), false) FROM token t "
                 "JOIN shop s ON s.id = t.shop_id "
                 "WHERE t.access_token <> '' OR t.refresh_token <> '' "
                 "ORDER BY t.shop_id FOR UPDATE OF t",
                 0, NULL);
  for (i = 0; res && i < PQntuples(res); i++)
    if (reseal_row(conn, res, i, old, new_) != 0)
      goto out;
  if (res) {
    *count = PQntuples(res);
    rc = CTL_OK;
  }
out:
  PQclear(res);
  return ctl_end_change(conn, "token", rc);
}

static int rotate_key(struct ctl *ctl, const char *newfile, const char *dir_opt) {
  const char *dir = secret_dir(dir_opt);
  struct tseal_key old, new_;
  char path[4096], err[600];
  PGconn *conn;
  int count = 0, rc = CTL_FAIL;

  if (!dir) {
    fprintf(stderr, "ocopctl: token: no credentials folder: give --credentials-dir DIR (or set "
                    "$CREDENTIALS_DIRECTORY)\n");
    return CTL_FAIL;
  }
  snprintf(path, sizeof path, "%s/%s", dir, TKEY_FILE);
  if (tkey_read_file(path, &old, err, sizeof err) != 0 ||
      tkey_read_file(newfile, &new_, err, sizeof err) != 0) {
    fprintf(stderr, "ocopctl: token: %s\n", err);
    goto out;
  }
  if (strcmp(old.id, new_.id) == 0) {
    fprintf(stderr, "ocopctl: token: %s holds the key in force (%s); nothing to rotate\n",
            newfile, old.id);
    goto out;
  }
  conn = ctl_connect(ctl, "token");
  if (!conn || reseal_all(conn, &old, &new_, &count) != CTL_OK)
    goto out;
  printf("the tokens of %d shop%s re-sealed under token key %s (was %s)\n", count,
         count == 1 ? "" : "s", new_.id, old.id);
  if (rename(newfile, path) != 0) {
    fprintf(stderr, "ocopctl: token: cannot put %s in place of %s (%s): copy it there now, on "
                    "every host whose ocopd shares this database\n",
            newfile, path, strerror(errno));
    goto out;
  }
  printf("%s is now the token key; running daemons read it again by themselves\n", path);
  rc = CTL_OK;
out:
  tseal_key_wipe(&old);
  tseal_key_wipe(&new_);
  return rc;
}

int cmd_token(struct ctl *ctl, int argc, char **argv) {
  if (argc == 3 && strcmp(argv[1], "new-key") == 0)
    return new_key(argv[2]);
  if (argc >= 2 && strcmp(argv[1], "rotate-key") == 0) {
    if (argc == 3)
      return rotate_key(ctl, argv[2], NULL);
    if (argc == 5 && strcmp(argv[3], "--credentials-dir") == 0)
      return rotate_key(ctl, argv[2], argv[4]);
  }
  return ctl_usage("token");
}
