/*
 * validate.h — what a listing and a shop must hold before a request is
 * built, checked once for every connector (prefix ocu_). Each connector
 * states its own limits as data (ocu_limits) and what each operation needs
 * (OCU_NEED_* in its operation table, common/ops.h). Messages name the
 * field, never its value: values may be secrets.
 */
#ifndef OCOP_CONN_VALIDATE_H
#define OCOP_CONN_VALIDATE_H

#include <stddef.h>
#include <stdint.h>

#include "../connector.h"

/* What an operation requires of the listing. */
#define OCU_NEED_LISTING 0x01u /* a listing at all */
#define OCU_NEED_ITEM 0x02u    /* the marketplace's item id (ocu_limits.item_id_ok) */
#define OCU_NEED_SKU 0x04u
#define OCU_NEED_TEXT 0x08u    /* name, description, stars, certificate */
#define OCU_NEED_PRICE 0x10u   /* every variant's price */
#define OCU_NEED_STOCK 0x20u   /* every variant's stock */

/* A marketplace's limits on a listing, as data. */
typedef struct ocu_limits {
  size_t title_max_cp;   /* the title (name + claim) is cut to this many code points */
  size_t max_images;     /* image ids or URLs one listing may carry */
  int (*item_id_ok)(const char *item_id); /* the marketplace's item id form */
  const char *item_id_form; /* "a numeric Shopee item id": ends "item_id is not ..." */
  int refuse_blank_name; /* a name of spaces and tabs alone is refused */
  int64_t price_max;     /* dong; 0: no upper bound */
  int64_t stock_max;     /* 0: no upper bound */
} ocu_limits;

/* Checks l against `need` and lim. 0, or -1 with err set. */
int ocu_check_listing(unsigned need, const ocu_limits *lim, const oc_listing *l, char *err,
                      size_t errlen);

/* A text field: non-empty and valid UTF-8. 0, or -1 with err
 * "listing <what> is empty" / "... is not valid UTF-8". */
int ocu_check_text(const char *what, const char *s, char *err, size_t errlen);

/* 1 when s is NULL or "". */
int ocu_empty(const char *s);

/* A per-shop option, NULL when absent or "". */
const char *ocu_opt(const oc_shop *shop, const char *key);

/* A per-shop option that must be set: NULL with err "shop option \"<key>\"
 * is not set" when absent or "". */
const char *ocu_opt_set(const oc_shop *shop, const char *key, char *err, size_t errlen);

/* An http(s) URL with a host and no space or control character (the
 * redirect URL of AUTH_LINK). */
int ocu_valid_redirect(const char *u);

/* scheme://host[:port] (with path_ok, a path may follow) with no query,
 * fragment, space or trailing slash: the base of every request URL. */
int ocu_valid_base_url(const char *u, int path_ok);

/* A positive decimal id: 1..max_digits digits, no sign, no leading zero. */
int ocu_valid_decimal_id(const char *s, size_t max_digits);

/* A shop at all, with its options when it says it has some. 0, or -1 with
 * err "shop is missing" / "shop options are missing". */
int ocu_check_shop_present(const oc_shop *shop, char *err, size_t errlen);

/* What the token operations need of the shop: the refresh token
 * (REFRESH_TOKEN), the seller's code (TOKEN_EXCHANGE), a redirect URL
 * (AUTH_LINK). 0, or -1 with err naming the field. */
int ocu_check_token_inputs(oc_op op, const oc_shop *shop, char *err, size_t errlen);

/* PUBLISH needs each variant's weight: 0, or -1 with err "variant weight
 * unknown (<why>)" or "variant weight must be positive". */
int ocu_check_weight(const oc_variant *v, const char *why, char *err, size_t errlen);

/* 1 when every variant that is not removed is on the item (remote_id not
 * NULL) and no removed one is: VARIANTS has nothing left to do. */
int ocu_variants_in_line(const oc_listing *l);

/* How many variants are not removed. */
size_t ocu_live_variants(const oc_listing *l);

/* The shop's category id for the listing: option "category.<OCOP code>"
 * when set, else "category_id". NULL with err set when neither is set or
 * the id fails valid(). */
const char *ocu_category(const oc_shop *shop, const oc_listing *l, int (*valid)(const char *),
                         char *err, size_t errlen);

#endif
