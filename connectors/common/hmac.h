/*
 * hmac.h — HMAC-SHA256 signatures and secret hygiene, shared by every
 * connector (prefix ocu_). Pure: no I/O, no global state.
 */
#ifndef OCOP_CONN_HMAC_H
#define OCOP_CONN_HMAC_H

#include <stddef.h>

#define OCU_HEX_LOWER 0 /* Shopee, TikTok, webhooks */
#define OCU_HEX_UPPER 1 /* Lazada */
#define OCU_HMAC_HEX_LEN 64

/*
 * HMAC-SHA256(key, msg) as 64 hex characters plus NUL in out[65], always
 * full width (leading zero nibbles kept). The key is used as raw bytes (pass
 * the secret's ASCII text; never hex-decode it). Returns 0, or -1 on an
 * OpenSSL failure (out is then "").
 */
int ocu_hmac_sha256_hex(const void *key, size_t keylen, const void *msg,
                        size_t msglen, int upper, char out[65]);

/* Constant-time comparison of two NUL-terminated signatures: 1 if equal. */
int ocu_sig_equal(const char *a, const char *b);

/* Overwrites n bytes in a way the compiler cannot drop (OPENSSL_cleanse). */
void ocu_cleanse(void *p, size_t n);

#endif
