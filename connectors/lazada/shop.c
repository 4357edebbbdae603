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

  if (ocu_check_shop_present(shop, err, errlen))
    return -1;
  if (d->kind == LZ_SELLER && !ocu_valid_base_url(shop->base_url, 0)) {
    ocu_err(err, errlen,
           "shop base_url must be http(s)://host[:port] without a path or "
           "trailing slash");
    return -1;
  }
  if (d->kind == LZ_TOKEN) {
    auth = ocu_opt(shop, "auth_url");
    if (auth != NULL && !ocu_valid_base_url(auth, 0)) {
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
  if (ocu_check_token_inputs(op, shop, err, errlen))
    return -1;
  return 0;
}

