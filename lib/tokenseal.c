/* tokenseal.c — see tokenseal.h. */
#include "tokenseal.h"

#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#define NONCE_LEN 12
#define TAG_LEN 16
#define RAW_MAX (NONCE_LEN + TSEAL_TOKEN_MAX + TAG_LEN)
#define HEAD_LEN (sizeof TSEAL_PREFIX - 1 + TSEAL_ID_LEN + 1) /* "ocs1:KEYID:" */

static int hexval(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* The id is a fingerprint, so that naming the key in a blob or an error
 * tells nothing about it. */
static int key_set_id(struct tseal_key *key) {
  static const char label[] = "ocopd token key id\n";
  unsigned char md[EVP_MAX_MD_SIZE], in[sizeof label - 1 + TSEAL_KEY_LEN];
  unsigned mdlen = 0;
  int i, rc;

  memcpy(in, label, sizeof label - 1);
  memcpy(in + sizeof label - 1, key->k, TSEAL_KEY_LEN);
  rc = EVP_Digest(in, sizeof in, md, &mdlen, EVP_sha256(), NULL) == 1 ? 0 : -1;
  for (i = 0; rc == 0 && i < TSEAL_ID_LEN / 2; i++)
    snprintf(key->id + 2 * i, 3, "%02x", md[i]);
  OPENSSL_cleanse(in, sizeof in);
  return rc;
}

int tseal_key_parse(struct tseal_key *key, const char *hex, char *err, size_t errlen) {
  size_t i;

  if (strlen(hex) != 2 * TSEAL_KEY_LEN) {
    snprintf(err, errlen, "a token key is %d hex digits (ocopctl token new-key writes one)",
             2 * TSEAL_KEY_LEN);
    return -1;
  }
  for (i = 0; i < TSEAL_KEY_LEN; i++) {
    int hi = hexval(hex[2 * i]), lo = hexval(hex[2 * i + 1]);

    if (hi < 0 || lo < 0) {
      tseal_key_wipe(key);
      snprintf(err, errlen, "a token key is hex digits only; character %zu is not one",
               2 * i + (hi < 0 ? 1 : 2));
      return -1;
    }
    key->k[i] = (unsigned char)(hi << 4 | lo);
  }
  if (key_set_id(key) != 0) {
    tseal_key_wipe(key);
    snprintf(err, errlen, "cannot compute the token key id");
    return -1;
  }
  return 0;
}

int tseal_key_generate(struct tseal_key *key, char hex[2 * TSEAL_KEY_LEN + 1]) {
  int i;

  if (RAND_bytes(key->k, TSEAL_KEY_LEN) != 1 || key_set_id(key) != 0) {
    tseal_key_wipe(key);
    return -1;
  }
  for (i = 0; i < TSEAL_KEY_LEN; i++)
    snprintf(hex + 2 * i, 3, "%02x", key->k[i]);
  return 0;
}

void tseal_key_wipe(struct tseal_key *key) { OPENSSL_cleanse(key, sizeof *key); }

int tseal_is_sealed(const char *v) {
  return v && strncmp(v, TSEAL_PREFIX, sizeof TSEAL_PREFIX - 1) == 0;
}

int tseal_blob_key_id(const char *v, char id[TSEAL_ID_LEN + 1]) {
  int i;

  if (!tseal_is_sealed(v) || strlen(v) < HEAD_LEN || v[HEAD_LEN - 1] != ':')
    return -1;
  for (i = 0; i < TSEAL_ID_LEN; i++) {
    id[i] = v[sizeof TSEAL_PREFIX - 1 + i];
    if (hexval(id[i]) < 0)
      return -1;
  }
  id[TSEAL_ID_LEN] = '\0';
  return 0;
}

/* What the tag binds besides the token: format, key, shop and column. */
static int aad(char *out, size_t outlen, const char *id, long long shop, const char *column) {
  int n = snprintf(out, outlen, "%s%s:%lld:%s", TSEAL_PREFIX, id, shop, column);

  return n > 0 && (size_t)n < outlen ? n : -1;
}

/* AES-256-GCM over in; enc 1 seals (tag out), 0 opens (tag checked). */
static int gcm(int enc, const struct tseal_key *key, const unsigned char *nonce, const char *ad,
               int adlen, const unsigned char *in, int inlen, unsigned char *out,
               unsigned char *tag) {
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  int n = 0, fin = 0, ok;

  ok = ctx && EVP_CipherInit_ex(ctx, EVP_aes_256_gcm(), NULL, NULL, NULL, enc) == 1 &&
       EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, NONCE_LEN, NULL) == 1 &&
       EVP_CipherInit_ex(ctx, NULL, NULL, key->k, nonce, enc) == 1 &&
       EVP_CipherUpdate(ctx, NULL, &n, (const unsigned char *)ad, adlen) == 1 &&
       (inlen == 0 || EVP_CipherUpdate(ctx, out, &n, in, inlen) == 1) &&
       (enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, TAG_LEN, tag) == 1) &&
       EVP_CipherFinal_ex(ctx, out + n, &fin) == 1 &&
       (!enc || EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, TAG_LEN, tag) == 1);
  EVP_CIPHER_CTX_free(ctx);
  return ok ? 0 : -1;
}

int tseal_seal(const struct tseal_key *key, long long shop, const char *column, const char *clear,
               char *out, size_t outlen, char *err, size_t errlen) {
  unsigned char raw[RAW_MAX];
  char ad[128];
  size_t len = strlen(clear);
  int adlen, rc = -1;

  if (len == 0) {
    snprintf(out, outlen, "%s", "");
    return 0;
  }
  if (len >= TSEAL_TOKEN_MAX || outlen < TSEAL_BLOB_MAX) {
    snprintf(err, errlen, "the %s is longer than %d bytes", column, TSEAL_TOKEN_MAX - 1);
    return -1;
  }
  adlen = aad(ad, sizeof ad, key->id, shop, column);
  if (adlen < 0 || RAND_bytes(raw, NONCE_LEN) != 1 ||
      gcm(1, key, raw, ad, adlen, (const unsigned char *)clear, (int)len, raw + NONCE_LEN,
          raw + NONCE_LEN + len) != 0) {
    snprintf(err, errlen, "cannot seal the %s", column);
    goto out;
  }
  snprintf(out, outlen, "%s%s:", TSEAL_PREFIX, key->id);
  EVP_EncodeBlock((unsigned char *)out + HEAD_LEN, raw, (int)(NONCE_LEN + len + TAG_LEN));
  rc = 0;
out:
  OPENSSL_cleanse(raw, sizeof raw);
  return rc;
}

/* The bytes of a blob's base64 part into raw; their count, or -1. */
static int decode(const char *b64, unsigned char *raw) {
  size_t len = strlen(b64);
  int n, pad = 0;

  if (len == 0 || len % 4 != 0 || len / 4 * 3 > RAW_MAX)
    return -1;
  n = EVP_DecodeBlock(raw, (const unsigned char *)b64, (int)len);
  while (pad < 2 && b64[len - 1 - pad] == '=')
    pad++;
  return n < 0 ? -1 : n - pad;
}

int tseal_open(const struct tseal_key *key, long long shop, const char *column, const char *blob,
               char *out, size_t outlen, char *err, size_t errlen) {
  unsigned char raw[RAW_MAX + 3], clear[RAW_MAX];
  char id[TSEAL_ID_LEN + 1], ad[128];
  int n, adlen, rc = TSEAL_BAD;

  if (!blob[0]) {
    snprintf(out, outlen, "%s", "");
    return TSEAL_OK;
  }
  if (tseal_blob_key_id(blob, id) != 0) {
    snprintf(err, errlen, "the %s is not a sealed token", column);
    return TSEAL_BAD;
  }
  if (strcmp(id, key->id) != 0) {
    snprintf(err, errlen, "the %s is sealed under token key %s, not under the key in force (%s)",
             column, id, key->id);
    return TSEAL_OTHER_KEY;
  }
  n = decode(blob + HEAD_LEN, raw);
  adlen = aad(ad, sizeof ad, id, shop, column);
  if (n < NONCE_LEN + TAG_LEN + 1 || (size_t)(n - NONCE_LEN - TAG_LEN) >= outlen || adlen < 0 ||
      gcm(0, key, raw, ad, adlen, raw + NONCE_LEN, n - NONCE_LEN - TAG_LEN, clear,
          raw + n - TAG_LEN) != 0) {
    snprintf(err, errlen,
             "the %s does not open under token key %s: damaged, or copied from another shop",
             column, id);
    goto out;
  }
  n -= NONCE_LEN + TAG_LEN;
  memcpy(out, clear, (size_t)n);
  out[n] = '\0';
  rc = TSEAL_OK;
out:
  OPENSSL_cleanse(clear, sizeof clear);
  return rc;
}
