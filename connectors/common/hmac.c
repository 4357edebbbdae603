/* hmac.c — see hmac.h. */
#include "hmac.h"

#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

int ocu_hmac_sha256_hex(const void *key, size_t keylen, const void *msg,
                        size_t msglen, int upper, char out[65]) {
  static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
  const char *digits = upper ? up : lo;
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int mdlen = 0, i;

  out[0] = '\0';
  if (keylen > INT_MAX)
    return -1;
  if (HMAC(EVP_sha256(), key ? key : "", (int)keylen,
           msg ? (const unsigned char *)msg : (const unsigned char *)"", msglen,
           md, &mdlen) == NULL ||
      mdlen != 32)
    return -1;
  /* Fixed width: two digits per byte, leading zeros kept. */
  for (i = 0; i < mdlen; i++) {
    out[2 * i] = digits[md[i] >> 4];
    out[2 * i + 1] = digits[md[i] & 0x0f];
  }
  out[2 * mdlen] = '\0';
  OPENSSL_cleanse(md, sizeof md);
  return 0;
}

int ocu_sig_equal(const char *a, const char *b) {
  size_t la, lb;

  if (a == NULL || b == NULL)
    return 0;
  la = strlen(a);
  lb = strlen(b);
  if (la != lb || la == 0)
    return 0;
  return CRYPTO_memcmp(a, b, la) == 0;
}

void ocu_cleanse(void *p, size_t n) {
  if (p != NULL && n > 0)
    OPENSSL_cleanse(p, n);
}
