/*
 * shop.c — what a TikTok call needs of the shop (see "Authorisation and
 * tokens"), and our item id: the TikTok product id.
 */
#include "tiktok.h"

#include <string.h>

#include "../common/text.h"
#include "../common/validate.h"

/* 1..20 decimal digits. */
static int tt_valid_id_n(const char *s, size_t n) {
  size_t i;

  if (s == NULL || n == 0 || n > TT_ID_MAX_DIGITS)
    return 0;
  for (i = 0; i < n; i++)
    if (s[i] < '0' || s[i] > '9')
      return 0;
  return 1;
}

int tt_valid_id(const char *s) {
  return s != NULL && tt_valid_id_n(s, strlen(s));
}

/* Messages name the field, never its value: values may be secrets. */
int tt_check_shop(oc_op op, const ocu_opdef *d, const oc_shop *shop,
                         char *err, size_t errlen) {
  if (ocu_check_shop_present(shop, err, errlen))
    return -1;
  if (ocu_empty(shop->app_key)) {
    ocu_err(err, errlen, "shop app_key is not set");
    return -1;
  }
  if (ocu_empty(shop->app_secret)) {
    ocu_err(err, errlen, "shop app_secret is not set");
    return -1;
  }
  if (op == OC_OP_AUTH_LINK) {
    if (!ocu_valid_base_url(
            oc_shop_opt(shop, "auth_link_base", TT_DEFAULT_AUTH_LINK_BASE), 0)) {
      ocu_err(err, errlen,
             "shop option \"auth_link_base\" must be http(s)://host[:port] "
             "without a path or trailing slash");
      return -1;
    }
    return 0;
  }
  if (op == OC_OP_REFRESH_TOKEN || op == OC_OP_TOKEN_EXCHANGE) {
    const char *auth = oc_shop_opt(shop, "auth_url", TT_DEFAULT_AUTH_URL);

    if (!ocu_valid_base_url(auth, 0)) {
      ocu_err(err, errlen,
             "shop option \"auth_url\" must be http(s)://host[:port] without "
             "a path or trailing slash");
      return -1;
    }
    return ocu_check_token_inputs(op, shop, err, errlen);
  }
  if (!ocu_valid_base_url(shop->base_url, 0)) {
    ocu_err(err, errlen,
           "shop base_url must be http(s)://host[:port] without a trailing "
           "slash");
    return -1;
  }
  if (d->kind == TT_SHOP || d->kind == TT_UPLOAD) {
    if (ocu_empty(shop->access_token)) {
      ocu_err(err, errlen, "shop access_token is not set");
      return -1;
    }
    if (d->kind == TT_SHOP && ocu_opt(shop, "shop_cipher") == NULL) {
      ocu_err(err, errlen,
             "shop option \"shop_cipher\" is not set (TikTok shop calls need "
             "it; see GET /authorization/202309/shops)");
      return -1;
    }
  }
  return 0;
}

/* The listing validation's form of our item id (ocu_limits.item_id_ok):
 * the TikTok product id alone, nothing else (each variant's sku id is its
 * remote id). */
int tt_item_id_ok(const char *item_id) { return tt_valid_id(item_id); }

/* The sales attribute name for a product with several variants: the one
 * the product already uses (the memo LOOKUP_SKU read), else the shop's
 * option, else "Quy cách". TikTok takes at most 3 names per product, so a
 * renamed option must not add a second axis to a listed product. */
const char *tt_variation_name(const oc_shop *shop, const oc_listing *l) {
  const char *name;

  if (l != NULL && !ocu_empty(l->memo))
    return l->memo;
  name = ocu_opt(shop, "variation_name");
  return name != NULL ? name : TT_DEFAULT_VARIATION;
}
