/* test_tokenseal.c — tokens sealed at rest (lib/tokenseal.c) and the key
 * file they are sealed under (lib/tokenkey.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "runner.h"
#include "tokenkey.h"
#include "tokenseal.h"

#define KEY_A "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff"
#define KEY_B "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100"
#define CANARY "canary-token-7f3e91"

static void key(struct tseal_key *k, const char *hex) {
  char err[256];

  ASSERT_EQ(tseal_key_parse(k, hex, err, sizeof err), 0);
}

static void write_key(const char *dir, const char *hex) {
  char path[512];
  FILE *f;

  snprintf(path, sizeof path, "%s/%s", dir, TKEY_FILE);
  f = fopen(path, "w");
  ASSERT_NOT_NULL(f);
  fprintf(f, "%s\n", hex);
  fclose(f);
  ASSERT_EQ(chmod(path, 0600), 0);
}

TEST_IMPL(tokenseal_round_trip_hides_the_token) {
  struct tseal_key a;
  char blob[TSEAL_BLOB_MAX], blob2[TSEAL_BLOB_MAX], out[TSEAL_TOKEN_MAX], err[256], id[16];
  char longest[TSEAL_TOKEN_MAX];

  key(&a, KEY_A);
  ASSERT_EQ(strlen(a.id), TSEAL_ID_LEN);
  ASSERT_EQ(tseal_seal(&a, 7, "access_token", CANARY, blob, sizeof blob, err, sizeof err), 0);
  ASSERT(tseal_is_sealed(blob));
  ASSERT_NULL(strstr(blob, CANARY));
  ASSERT_EQ(tseal_blob_key_id(blob, id), 0);
  ASSERT_STR_EQ(id, a.id);
  ASSERT_EQ(tseal_open(&a, 7, "access_token", blob, out, sizeof out, err, sizeof err), TSEAL_OK);
  ASSERT_STR_EQ(out, CANARY);
  /* A fresh nonce each time: the same token never seals to the same blob. */
  ASSERT_EQ(tseal_seal(&a, 7, "access_token", CANARY, blob2, sizeof blob2, err, sizeof err), 0);
  ASSERT(strcmp(blob, blob2) != 0);
  /* No token stays no token; the longest a connector returns fits. */
  ASSERT_EQ(tseal_seal(&a, 7, "access_token", "", blob2, sizeof blob2, err, sizeof err), 0);
  ASSERT_STR_EQ(blob2, "");
  memset(longest, 'x', sizeof longest - 1);
  longest[sizeof longest - 1] = '\0';
  ASSERT_EQ(tseal_seal(&a, 7, "refresh_token", longest, blob2, sizeof blob2, err, sizeof err), 0);
  ASSERT_EQ(tseal_open(&a, 7, "refresh_token", blob2, out, sizeof out, err, sizeof err), TSEAL_OK);
  ASSERT_STR_EQ(out, longest);
  tseal_key_wipe(&a);
  return 0;
}

TEST_IMPL(tokenseal_refuses_moved_damaged_and_other_key) {
  struct tseal_key a, b;
  char blob[TSEAL_BLOB_MAX], out[TSEAL_TOKEN_MAX], err[256];

  key(&a, KEY_A);
  key(&b, KEY_B);
  ASSERT(strcmp(a.id, b.id) != 0);
  ASSERT_EQ(tseal_seal(&a, 7, "access_token", CANARY, blob, sizeof blob, err, sizeof err), 0);
  /* Another shop, another column: the blob is bound to both. */
  ASSERT_EQ(tseal_open(&a, 8, "access_token", blob, out, sizeof out, err, sizeof err), TSEAL_BAD);
  ASSERT(strstr(err, "copied from another shop") != NULL);
  ASSERT_EQ(tseal_open(&a, 7, "refresh_token", blob, out, sizeof out, err, sizeof err), TSEAL_BAD);
  /* Another key is named, never tried as garbage. */
  ASSERT_EQ(tseal_open(&b, 7, "access_token", blob, out, sizeof out, err, sizeof err),
            TSEAL_OTHER_KEY);
  ASSERT(strstr(err, a.id) != NULL && strstr(err, b.id) != NULL);
  ASSERT_NULL(strstr(err, blob + 14));
  /* One changed character of the ciphertext. */
  blob[20] = blob[20] == 'A' ? 'B' : 'A';
  ASSERT_EQ(tseal_open(&a, 7, "access_token", blob, out, sizeof out, err, sizeof err), TSEAL_BAD);
  ASSERT_EQ(tseal_open(&a, 7, "access_token", "ocs1:zz", out, sizeof out, err, sizeof err),
            TSEAL_BAD);
  ASSERT_EQ(tseal_open(&a, 7, "access_token", "plain", out, sizeof out, err, sizeof err), TSEAL_BAD);
  return 0;
}

TEST_IMPL(tokenseal_key_text_is_checked) {
  struct tseal_key k;
  char err[256], hex[2 * TSEAL_KEY_LEN + 1];

  ASSERT_EQ(tseal_key_parse(&k, "abc", err, sizeof err), -1);
  ASSERT(strstr(err, "64 hex digits") != NULL);
  ASSERT_EQ(tseal_key_parse(&k, KEY_A "00", err, sizeof err), -1);
  snprintf(hex, sizeof hex, "%s", KEY_A);
  hex[0] = 'g';
  ASSERT_EQ(tseal_key_parse(&k, hex, err, sizeof err), -1);
  ASSERT(strstr(err, "character 1") != NULL);
  ASSERT_EQ(tseal_key_generate(&k, hex), 0);
  ASSERT_EQ(strlen(hex), 2 * TSEAL_KEY_LEN);
  ASSERT_EQ(tseal_key_parse(&k, hex, err, sizeof err), 0);
  return 0;
}

/* The key file: read once and held, read again when a blob names another
 * key (a rotation swapped the file), clear tokens passed through. */
TEST_IMPL(tokenkey_follows_a_rotated_file) {
  struct tseal_key b;
  char blob[TSEAL_BLOB_MAX], out[TSEAL_TOKEN_MAX], err[512], dir[256];

  snprintf(dir, sizeof dir, "%s", test_tmpdir());
  tkey_forget();
  tkey_set_dir(NULL);
  ASSERT_EQ(tkey_seal(1, "access_token", CANARY, blob, sizeof blob, err, sizeof err), -1);
  ASSERT(strstr(err, "no token key") != NULL);
  tkey_set_dir(dir);
  ASSERT_EQ(tkey_seal(1, "access_token", CANARY, blob, sizeof blob, err, sizeof err), -1);
  ASSERT(strstr(err, TKEY_FILE) != NULL);
  write_key(dir, KEY_A);
  ASSERT_EQ(tkey_open(1, "shop-a", "access_token", "clear-one", out, sizeof out, err, sizeof err), 0);
  ASSERT_STR_EQ(out, "clear-one");
  /* Sealed elsewhere under key B: refused by name while the file holds A. */
  key(&b, KEY_B);
  ASSERT_EQ(tseal_seal(&b, 1, "access_token", CANARY, blob, sizeof blob, err, sizeof err), 0);
  ASSERT_EQ(tkey_open(1, "shop-a", "access_token", blob, out, sizeof out, err, sizeof err), -1);
  ASSERT(strstr(err, "shop shop-a") != NULL && strstr(err, "token key changed") != NULL);
  ASSERT_NULL(strchr(err, '\n'));
  /* The file now holds B (after the reread pause): the blob opens. */
  write_key(dir, KEY_B);
  sleep(6);
  ASSERT_EQ(tkey_open(1, "shop-a", "access_token", blob, out, sizeof out, err, sizeof err), 0);
  ASSERT_STR_EQ(out, CANARY);
  tkey_forget();
  tkey_set_dir(NULL);
  return 0;
}
