/*
 * shop.c — what a Lazada call needs of the shop: the app key, the secret,
 * the seller's token or the token host (see "Authorisation and tokens").
 */
#include "lazada.h"

#include <string.h>

#include "../common/text.h"
#include "../common/validate.h"

/* A positive decimal id: 1..18 digits, no sign, no leading zero. */
int lz_valid_id(const char *s) { return ocu_valid_decimal_id(s, LZ_ID_MAX_DIGITS); }

/* scheme://host[:port] with no path, trailing slash, query or space. */
int lz_valid_base_url(const char *u) {
  const char *p;

  if (u == NULL)
    return 0;
  if (strncmp(u, "https://", 8) == 0)
    p = u + 8;
  else if (strncmp(u, "http://", 7) == 0)
    p = u + 7;
  else
    return 0;
  if (*p == '\0')
    return 0;
  for (; *p; p++)
    if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '?' || *p == '#' ||
        *p == '/')
      return 0;
  return 1;
}

/* A printable token (app_key): no spaces or controls, 1..128 bytes. */
int lz_valid_token(const char *s) {
  size_t n;

  if (s == NULL || s[0] == '\0')
    return 0;
  for (n = 0; s[n]; n++)
    if ((unsigned char)s[n] <= 0x20 || s[n] == 0x7f || n >= 128)
      return 0;
  return 1;
}

/* Messages name the field, never its value: values may be secrets. */
int lz_check_shop(oc_op op, const ocu_opdef *d, const oc_shop *shop,
                         char *err, size_t errlen) {
  const char *auth;

  if (shop == NULL) {
    ocu_err(err, errlen, "shop is missing");
    return -1;
  }
  if (shop->nopts > 0 && shop->opts == NULL) {
    ocu_err(err, errlen, "shop options are missing");
    return -1;
  }
  if (d->kind == LZ_SELLER && !lz_valid_base_url(shop->base_url)) {
    ocu_err(err, errlen,
           "shop base_url must be http(s)://host[:port] without a path or "
           "trailing slash");
    return -1;
  }
  if (d->kind == LZ_TOKEN) {
    auth = ocu_opt(shop, "auth_url");
    if (auth != NULL && !lz_valid_base_url(auth)) {
      ocu_err(err, errlen,
             "shop option \"auth_url\" must be http(s)://host[:port] without "
             "a path or trailing slash");
      return -1;
    }
  }
  if (!lz_valid_token(shop->app_key)) {
    ocu_err(err, errlen, "shop app_key is not set or holds spaces");
    return -1;
  }
  if (shop->app_secret == NULL || shop->app_secret[0] == '\0') {
    ocu_err(err, errlen, "shop app_secret is not set");
    return -1;
  }
  if (d->kind == LZ_SELLER &&
      (shop->access_token == NULL || shop->access_token[0] == '\0')) {
    ocu_err(err, errlen, "shop access_token is not set");
    return -1;
  }
  if (op == OC_OP_REFRESH_TOKEN &&
      (shop->refresh_token == NULL || shop->refresh_token[0] == '\0')) {
    ocu_err(err, errlen, "shop refresh_token is not set");
    return -1;
  }
  if (op == OC_OP_TOKEN_EXCHANGE &&
      (shop->auth_code == NULL || shop->auth_code[0] == '\0')) {
    ocu_err(err, errlen, "shop auth_code is not set");
    return -1;
  }
  if (op == OC_OP_AUTH_LINK && !ocu_valid_redirect(shop->redirect_url)) {
    ocu_err(err, errlen, "redirect URL must be an http(s) URL without spaces");
    return -1;
  }
  return 0;
}

