/* validate.c — see validate.h. */
#include "validate.h"

#include <stdio.h>
#include <string.h>

#include "claims.h"
#include "text.h"

int ocu_empty(const char *s) { return s == NULL || s[0] == '\0'; }

const char *ocu_opt(const oc_shop *shop, const char *key) {
  const char *v = oc_shop_opt(shop, key, NULL);

  return v != NULL && v[0] != '\0' ? v : NULL;
}

int ocu_valid_decimal_id(const char *s, size_t max_digits) {
  size_t n;

  if (s == NULL || s[0] < '1' || s[0] > '9')
    return 0;
  for (n = 0; s[n]; n++)
    if (s[n] < '0' || s[n] > '9' || n >= max_digits)
      return 0;
  return 1;
}

/* The host part of an http(s) URL: after the scheme, non-empty and not
 * starting with '/'; NULL otherwise. */
static const char *ocu_url_host(const char *u) {
  const char *p;

  if (u == NULL)
    return NULL;
  if (strncmp(u, "https://", 8) == 0)
    p = u + 8;
  else if (strncmp(u, "http://", 7) == 0)
    p = u + 7;
  else
    return NULL;
  return *p == '\0' || *p == '/' ? NULL : p;
}

int ocu_valid_redirect(const char *u) {
  const char *p = ocu_url_host(u);

  if (p == NULL)
    return 0;
  for (; *p; p++)
    if ((unsigned char)*p <= 0x20 || *p == 0x7f)
      return 0;
  return 1;
}

int ocu_valid_base_url(const char *u, int path_ok) {
  const char *p = ocu_url_host(u);

  if (p == NULL)
    return 0;
  for (; *p; p++)
    if ((unsigned char)*p <= 0x20 || *p == 0x7f || *p == '?' || *p == '#' ||
        (*p == '/' && !path_ok))
      return 0;
  return p[-1] != '/';
}

int ocu_check_text(const char *what, const char *s, char *err, size_t errlen) {
  if (s == NULL || s[0] == '\0') {
    ocu_err(err, errlen, "listing %s is empty", what);
    return -1;
  }
  if (!ocu_utf8_valid(s, strlen(s))) {
    ocu_err(err, errlen, "listing %s is not valid UTF-8", what);
    return -1;
  }
  return 0;
}

static int ocu_check_item(const ocu_limits *lim, const oc_listing *l, char *err, size_t errlen) {
  if (ocu_empty(l->item_id)) {
    ocu_err(err, errlen, "listing item_id is missing (not published yet)");
    return -1;
  }
  if (!lim->item_id_ok(l->item_id)) {
    ocu_err(err, errlen, "listing item_id is not %s", lim->item_id_form);
    return -1;
  }
  return 0;
}

/* A quantity the operation needs: 0 <= v, and v <= max when max > 0. */
static int ocu_check_range(int64_t v, int64_t max, const char *what, const char *unit,
                           char *err, size_t errlen) {
  if (v < 0)
    ocu_err(err, errlen, "listing %s must be >= 0%s", what, unit);
  else if (max > 0 && v > max)
    ocu_err(err, errlen, "listing %s must be <= %lld%s", what, (long long)max, unit);
  else
    return 0;
  return -1;
}

/* One variant: a SKU, a label when the product has several, and the
 * amounts the operation sends. */
static int ocu_check_variant(unsigned need, const ocu_limits *lim, const oc_listing *l,
                             const oc_variant *v, char *err, size_t errlen) {
  if (ocu_check_text("variant sku", v->sku, err, errlen))
    return -1;
  if (l->nvariants > 1 && !v->removed && ocu_check_text("variant label", v->label, err, errlen))
    return -1;
  if ((need & OCU_NEED_PRICE) &&
      ocu_check_range(v->price_vnd, lim->price_max, "price", " dong", err, errlen))
    return -1;
  if ((need & OCU_NEED_STOCK) &&
      ocu_check_range(v->stock, lim->stock_max, "stock", "", err, errlen))
    return -1;
  return 0;
}

/* Every variant: at least one, at most OC_MAX_VARIANTS, SKUs distinct. */
static int ocu_check_variants(unsigned need, const ocu_limits *lim, const oc_listing *l,
                              char *err, size_t errlen) {
  size_t i, j;

  if (l->variants == NULL || l->nvariants == 0) {
    ocu_err(err, errlen, "listing has no variant");
    return -1;
  }
  if (l->nvariants > OC_MAX_VARIANTS) {
    ocu_err(err, errlen, "listing has more than %d variants", OC_MAX_VARIANTS);
    return -1;
  }
  for (i = 0; i < l->nvariants; i++) {
    if (ocu_check_variant(need, lim, l, &l->variants[i], err, errlen))
      return -1;
    for (j = 0; j < i; j++)
      if (strcmp(l->variants[i].sku, l->variants[j].sku) == 0) {
        ocu_err(err, errlen, "listing variant sku appears twice");
        return -1;
      }
  }
  return 0;
}

static int ocu_check_claim_text(const ocu_limits *lim, const oc_listing *l, char *err,
                                size_t errlen) {
  if (ocu_check_text("name", l->name, err, errlen) ||
      ocu_check_text("description", l->description, err, errlen))
    return -1;
  if (lim->refuse_blank_name && strspn(l->name, " \t") == strlen(l->name)) {
    ocu_err(err, errlen, "listing name is blank");
    return -1;
  }
  if (l->stars != 0 && (l->stars < 3 || l->stars > 5)) {
    ocu_err(err, errlen, "listing stars must be 0 (no claim) or 3..5");
    return -1;
  }
  if (l->stars != 0 && ocu_check_text("certificate_no", l->certificate_no, err, errlen))
    return -1;
  /* The connector alone writes OCOP claims (docs/ocop-rules.md, "OCOP
   * claims"): a claim already in the text would survive a strip or show the
   * wrong star count. */
  if (ocu_has_ocop(l->name) || ocu_has_ocop(l->description)) {
    ocu_err(err, errlen,
            "listing name or description already mentions OCOP; the "
            "connector adds the claim itself");
    return -1;
  }
  return 0;
}

int ocu_check_listing(unsigned need, const ocu_limits *lim, const oc_listing *l, char *err,
                      size_t errlen) {
  if (!(need & OCU_NEED_LISTING))
    return 0;
  if (l == NULL) {
    ocu_err(err, errlen, "listing is missing");
    return -1;
  }
  if ((need & OCU_NEED_SKU) && ocu_check_text("sku", l->sku, err, errlen))
    return -1;
  if ((need & OCU_NEED_ITEM) && ocu_check_item(lim, l, err, errlen))
    return -1;
  if (ocu_check_variants(need, lim, l, err, errlen))
    return -1;
  if ((need & OCU_NEED_TEXT) && ocu_check_claim_text(lim, l, err, errlen))
    return -1;
  return 0;
}

int ocu_check_weight(const oc_variant *v, const char *market, char *err, size_t errlen) {
  if (v->weight_g == 0) {
    ocu_err(err, errlen, "variant weight unknown (%s)", market);
    return -1;
  }
  if (v->weight_g < 0) {
    ocu_err(err, errlen, "variant weight must be positive");
    return -1;
  }
  return 0;
}

int ocu_variants_in_line(const oc_listing *l) {
  size_t i;

  for (i = 0; i < l->nvariants; i++)
    if ((l->variants[i].remote_id == NULL) != (l->variants[i].removed != 0))
      return 0;
  return 1;
}

size_t ocu_live_variants(const oc_listing *l) {
  size_t i, n = 0;

  for (i = 0; i < l->nvariants; i++)
    n += !l->variants[i].removed;
  return n;
}

const char *ocu_category(const oc_shop *shop, const oc_listing *l, int (*valid)(const char *),
                         char *err, size_t errlen) {
  char catkey[96] = "";
  const char *cat = NULL, *catopt = "category_id";

  if (l->category != NULL && l->category[0] != '\0') {
    int n = snprintf(catkey, sizeof catkey, "category.%s", l->category);

    if (n > 0 && (size_t)n < sizeof catkey && (cat = ocu_opt(shop, catkey)))
      catopt = catkey;
  }
  if (cat == NULL)
    cat = ocu_opt(shop, "category_id");
  if (cat == NULL) {
    if (catkey[0])
      ocu_err(err, errlen, "shop option \"category_id\" is not set (nor \"%s\")", catkey);
    else
      ocu_err(err, errlen, "shop option \"category_id\" is not set");
    return NULL;
  }
  if (!valid(cat)) {
    ocu_err(err, errlen, "shop option \"%s\" is not a numeric id", catopt);
    return NULL;
  }
  return cat;
}

int ocu_check_token_inputs(oc_op op, const oc_shop *shop, char *err, size_t errlen) {
  if (op == OC_OP_REFRESH_TOKEN && ocu_empty(shop->refresh_token)) {
    ocu_err(err, errlen, "shop refresh_token is not set");
    return -1;
  }
  if (op == OC_OP_TOKEN_EXCHANGE && ocu_empty(shop->auth_code)) {
    ocu_err(err, errlen, "shop auth_code is not set");
    return -1;
  }
  if (op == OC_OP_AUTH_LINK && !ocu_valid_redirect(shop->redirect_url)) {
    ocu_err(err, errlen, "redirect URL must be an http(s) URL without spaces");
    return -1;
  }
  return 0;
}

int ocu_check_shop_present(const oc_shop *shop, char *err, size_t errlen) {
  if (shop == NULL) {
    ocu_err(err, errlen, "shop is missing");
    return -1;
  }
  if (shop->nopts > 0 && shop->opts == NULL) {
    ocu_err(err, errlen, "shop options are missing");
    return -1;
  }
  return 0;
}

const char *ocu_opt_set(const oc_shop *shop, const char *key, char *err, size_t errlen) {
  const char *v = ocu_opt(shop, key);

  if (v == NULL)
    ocu_err(err, errlen, "shop option \"%s\" is not set", key);
  return v;
}
