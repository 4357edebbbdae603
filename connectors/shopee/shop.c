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

/* Messages name the field, never its value: values may be secrets. */
int sp_check_shop(oc_op op, const ocu_opdef *d, const oc_shop *shop,
                         char *err, size_t errlen) {
  if (shop == NULL) {
    ocu_err(err, errlen, "shop is missing");
    return -1;
  }
  if (!ocu_valid_base_url(shop->base_url, 1)) {
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
  if (ocu_check_token_inputs(op, shop, err, errlen))
    return -1;
  if (shop->nopts > 0 && shop->opts == NULL) {
    ocu_err(err, errlen, "shop options are missing");
    return -1;
  }
  return 0;
}

