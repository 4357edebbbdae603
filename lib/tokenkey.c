/* tokenkey.c — see tokenkey.h. */
#include "tokenkey.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "secret.h"

#define RELOAD_EVERY_S 5 /* a blob under another key reads the file again at most this often */

static struct tseal_key held;
static int have_key;
static char dir_in_force[4096];
static time_t last_read;

int tkey_read_file(const char *path, struct tseal_key *key, char *err, size_t errlen) {
  char text[2 * TSEAL_KEY_LEN + 8], why[256];
  int rc = -1;

  if (secret_read_file(path, text, sizeof text, err, errlen) != 0)
    goto out;
  if (tseal_key_parse(key, text, why, sizeof why) != 0) {
    snprintf(err, errlen, "token key file %s: %s", path, why);
    goto out;
  }
  rc = 0;
out:
  explicit_bzero(text, sizeof text);
  return rc;
}

void tkey_set_dir(const char *dir) {
  snprintf(dir_in_force, sizeof dir_in_force, "%s", dir ? dir : "");
}

int tkey_load(char *err, size_t errlen) {
  struct tseal_key key;
  char path[sizeof dir_in_force + sizeof TKEY_FILE + 1];

  last_read = time(NULL);
  if (!dir_in_force[0]) {
    snprintf(err, errlen, "no token key: no credentials folder (credentials_dir, --credentials-dir "
                          "or $CREDENTIALS_DIRECTORY) to read %s from; create it there with "
                          "ocopctl token new-key", TKEY_FILE);
    return -1;
  }
  snprintf(path, sizeof path, "%s/%s", dir_in_force, TKEY_FILE);
  if (tkey_read_file(path, &key, err, errlen) != 0) {
    size_t n = strlen(err);

    if (access(path, F_OK) != 0 && n < errlen)
      snprintf(err + n, errlen - n, " (create it with ocopctl token new-key %s)", path);
    return -1;
  }
  held = key;
  have_key = 1;
  tseal_key_wipe(&key);
  return 0;
}

const struct tseal_key *tkey_get(char *err, size_t errlen) {
  if (!have_key && tkey_load(err, errlen) != 0)
    return NULL;
  return &held;
}

void tkey_forget(void) {
  tseal_key_wipe(&held);
  have_key = 0;
}

int tkey_seal(long long shop, const char *column, const char *clear, char *out, size_t outlen,
              char *err, size_t errlen) {
  const struct tseal_key *key = tkey_get(err, errlen);

  return key ? tseal_seal(key, shop, column, clear, out, outlen, err, errlen) : -1;
}

/* A blob under another key: the file may have been swapped by a rotation. */
static int reread_for(const char *blob_id) {
  char err[512];

  if (time(NULL) - last_read < RELOAD_EVERY_S || tkey_load(err, sizeof err) != 0)
    return 0;
  return strcmp(held.id, blob_id) == 0;
}

int tkey_open(long long shop, const char *shop_name, const char *column, const char *stored,
              char *out, size_t outlen, char *err, size_t errlen) {
  const struct tseal_key *key;
  char why[300], id[TSEAL_ID_LEN + 1];
  int rc;

  if (!tseal_is_sealed(stored)) {
    snprintf(out, outlen, "%s", stored);
    return 0;
  }
  key = tkey_get(why, sizeof why);
  if (!key) {
    snprintf(err, errlen, "shop %s: its tokens are sealed but %s", shop_name, why);
    return -1;
  }
  rc = tseal_open(key, shop, column, stored, out, outlen, why, sizeof why);
  if (rc == TSEAL_OTHER_KEY && tseal_blob_key_id(stored, id) == 0 && reread_for(id))
    rc = tseal_open(&held, shop, column, stored, out, outlen, why, sizeof why);
  if (rc == TSEAL_OK)
    return 0;
  if (rc == TSEAL_OTHER_KEY)
    snprintf(err, errlen, "shop %s: %s: the token key changed; put back the key that sealed it, "
                          "or authorise the shop again (ocopctl shop authorize)", shop_name, why);
  else
    snprintf(err, errlen, "shop %s: %s; authorise the shop again (ocopctl shop authorize)",
             shop_name, why);
  return -1;
}
