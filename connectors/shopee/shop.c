/*
 * shop.c — what a Shopee call needs of the shop: ids, the base URL and the
 * credentials of its call kind (see "Authorisation and tokens").
 */
#include "shopee.h"

#include <string.h>

#include "../common/text.h"
#include "../common/validate.h"

/* A positive decimal id: 1..18 digits, no sign, no leading zero. */
int sp_valid_id(const char *s) { return ocu_valid_decimal_id(s, SP_ID_MAX_DIGITS); }

/* scheme://host[:port] with no trailing slash, query, fragment or space. */
static int sp_valid_base_url(const char *u) {
  const char *p;

  if (u == NULL)
    return 0;
  if (strncmp(u, "https://", 8) == 0)
    p = u + 8;
  else if (strncmp(u, "http://", 7) == 0)
    p = u + 7;
  else
    return 0;
  if (*p == '\0' || *p == '/')
    return 0;
  for (; *p; p++)
    if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '?' || *p == '#')
      return 0;
  return p[-1] != '/';
}

/* Messages name the field, never its value: values may be secrets. */
int sp_check_shop(oc_op op, const ocu_opdef *d, const oc_shop *shop,
                         char *err, size_t errlen) {
  if (shop == NULL) {
    ocu_err(err, errlen, "shop is missing");
    return -1;
  }
  if (!sp_valid_base_url(shop->base_url)) {
    ocu_err(err, errlen,
           "shop base_url must be http(s)://host[:port] without a trailing "
           "slash");
    return -1;
  }
  if (!sp_valid_id(shop->app_key)) {
    ocu_err(err, errlen, "shop app_key (Shopee partner_id) must be a numeric id");
    return -1;
  }
  if (shop->app_secret == NULL || shop->app_secret[0] == '\0') {
    ocu_err(err, errlen, "shop app_secret (partner key) is not set");
    return -1;
  }
  if (!sp_valid_id(shop->shop_id)) {
    ocu_err(err, errlen, "shop shop_id must be a numeric id");
    return -1;
  }
  if (d->kind == SP_SHOP &&
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
  if (shop->nopts > 0 && shop->opts == NULL) {
    ocu_err(err, errlen, "shop options are missing");
    return -1;
  }
  return 0;
}

