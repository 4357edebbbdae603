/*
 * ctl_shop_options.c — `ocopctl shop options MARKETPLACE [--json]`: the
 * options (`shop add --option KEY=VALUE`) a shop on that marketplace needs
 * and takes, from one table, which `shop add` checks against before
 * anything is written.
 *
 * The table says what the code reads: the connectors' shop options
 * (connectors/shopee/shopee.h, connectors/lazada/lazada.h,
 * connectors/tiktok/tiktok.h; category_id and category.CODE in
 * connectors/common/validate.c) and the daemon's for file channels
 * (daemon/feed.c: export_dir, media_base_url; daemon/orders.c:
 * order_import_dir). A required option is one without which every job of
 * the shop would fail (a Shopee publish without logistic_id, a TikTok call
 * without shop_cipher). A key ending in '.' is a prefix: any key that
 * starts with it and has something after it.
 */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl_operate.h"

struct shop_opt {
  const char *key;
  int required;
  const char *meaning;
};

/* Read by every connector that lists on a marketplace. */
#define LISTING_OPTS                                                                          \
  {"category_id", 0,                                                                          \
   "marketplace category for products whose OCOP category has no mapping (ocopctl category " \
   "map is the usual way)"},                                                                  \
  {"category.", 0, "category.CODE: marketplace category for OCOP category CODE, for this shop only"}

static const struct shop_opt shopee_opts[] = {
    {"logistic_id", 1, "logistics channel id(s), comma-separated, enabled on every new item"},
    {"ocop_attribute_id", 0, "attribute id that carries the OCOP star rating"},
    {"ocop_value_id.", 0, "ocop_value_id.N: value id of the N-star value of that attribute"},
    {"variation_name", 0, "name of the one tier of an item with several variants (\"Quy cách\")"},
    LISTING_OPTS,
    {NULL, 0, NULL},
};

static const struct shop_opt lazada_opts[] = {
    {"variation_name", 0, "custom sale property of an item with several variants (\"Quy cách\")"},
    {"variation_attribute", 0, "a standard sale attribute of the category to use instead (e.g. size)"},
    {"auth_url", 0, "token host, scheme://host[:port] (https://auth.lazada.com)"},
    {"max_offset", 0, "how far one order poll pages (5000)"},
    LISTING_OPTS,
    {NULL, 0, NULL},
};

static const struct shop_opt tiktok_opts[] = {
    {"shop_cipher", 1, "the shop's cipher, sent with every shop call (from the authorised shops)"},
    {"warehouse_id", 1, "warehouse id (decimal) that holds the stock"},
    {"variation_name", 0, "sales attribute of a product with several variants (\"Quy cách\")"},
    {"auth_url", 0, "token host (https://auth.tiktok-shops.com)"},
    {"auth_link_base", 0, "host of the seller's authorisation page (https://services.tiktokshop.com)"},
    LISTING_OPTS,
    {NULL, 0, NULL},
};

static const struct shop_opt postmart_opts[] = {
    {"export_dir", 1, "folder the shop's catalogue feed (CSV) is written to for upload"},
    {"order_import_dir", 0, "folder PostMart order files are read from"},
    {"media_base_url", 0, "public URL prefix of catalogue images that are not already https"},
    {NULL, 0, NULL},
};

static const struct {
  const char *name;
  int api; /* takes --shop-id, --app-key, --base-url */
  const struct shop_opt *opts;
} markets[] = {
    {"shopee", 1, shopee_opts},
    {"lazada", 1, lazada_opts},
    {"tiktok", 1, tiktok_opts},
    {"postmart", 0, postmart_opts},
};

#define NMARKETS (sizeof markets / sizeof markets[0])

static int market_index(const char *m) {
  size_t i;

  for (i = 0; m && i < NMARKETS; i++)
    if (strcmp(markets[i].name, m) == 0)
      return (int)i;
  return -1;
}

int ctl_marketplace_known(const char *command, const char *m) {
  if (market_index(m) >= 0)
    return 1;
  fprintf(stderr, "ocopctl: %s: --marketplace \"%s\" is not a marketplace; one of: shopee, lazada,"
                  " tiktok, postmart\n",
          command, m);
  return 0;
}

int ctl_marketplace_has_api(const char *marketplace) {
  int i = market_index(marketplace);

  return i < 0 || markets[i].api;
}

static int key_matches(const char *pattern, const char *key) {
  size_t n = strlen(pattern);

  if (n > 0 && pattern[n - 1] == '.')
    return strncmp(pattern, key, n) == 0 && key[n] != '\0';
  return strcmp(pattern, key) == 0;
}

static int key_given(const char *pattern, const char *const *keys, size_t n) {
  size_t i;

  for (i = 0; i < n; i++)
    if (key_matches(pattern, keys[i]))
      return 1;
  return 0;
}

int ctl_shop_options_check(const char *command, const char *marketplace, const char *const *keys,
                           size_t n) {
  const struct shop_opt *o, *opts = markets[market_index(marketplace)].opts;
  size_t i;

  for (i = 0; i < n; i++) {
    for (o = opts; o->key && !key_matches(o->key, keys[i]); o++)
      ;
    if (!o->key) {
      fprintf(stderr, "ocopctl: %s: --option %s: a %s shop takes no such option (see ocopctl shop "
                      "options %s)\n",
              command, keys[i], marketplace, marketplace);
      return -1;
    }
  }
  for (o = opts; o->key; o++)
    if (o->required && !key_given(o->key, keys, n)) {
      fprintf(stderr, "ocopctl: %s: a %s shop needs --option %s=VALUE: %s (see ocopctl shop "
                      "options %s)\n",
              command, marketplace, o->key, o->meaning, marketplace);
      return -1;
    }
  return 0;
}

static void print_json(int m) {
  cJSON *arr = cJSON_CreateArray();
  const struct shop_opt *o;
  char *text;

  for (o = markets[m].opts; o->key; o++) {
    cJSON *row = cJSON_CreateObject();
    size_t len = strlen(o->key);

    cJSON_AddStringToObject(row, "key", o->key);
    cJSON_AddBoolToObject(row, "required", o->required);
    cJSON_AddBoolToObject(row, "prefix", o->key[len - 1] == '.');
    cJSON_AddStringToObject(row, "meaning", o->meaning);
    cJSON_AddItemToArray(arr, row);
  }
  text = cJSON_Print(arr);
  printf("%s\n", text);
  free(text);
  cJSON_Delete(arr);
}

static void print_text(int m) {
  const struct shop_opt *o;
  int pass;

  printf("a %s shop: ocopctl shop add NAME --marketplace %s%s --option KEY=VALUE ...\n",
         markets[m].name, markets[m].name,
         markets[m].api ? " --shop-id ID --app-key KEY --base-url URL" : "");
  for (pass = 1; pass >= 0; pass--) {
    int any = 0;

    for (o = markets[m].opts; o->key; o++)
      any |= o->required == pass;
    printf("%s:%s\n", pass ? "required" : "optional", any ? "" : " none");
    for (o = markets[m].opts; o->key; o++)
      if (o->required == pass) {
        char key[64];

        /* A prefix reads "category.*". */
        snprintf(key, sizeof key, "%s%s", o->key, o->key[strlen(o->key) - 1] == '.' ? "*" : "");
        printf("  %-20s %s\n", key, o->meaning);
      }
  }
}

int ctl_shop_options(struct ctl *ctl, int argc, char **argv) {
  int m, json = 0;

  (void)ctl;
  if (argc == 4 && strcmp(argv[3], "--json") == 0)
    json = 1;
  else if (argc != 3)
    return ctl_usage("shop");
  m = market_index(argv[2]);
  if (m < 0) {
    fprintf(stderr, "ocopctl: shop: options: \"%s\" is not a marketplace; one of: shopee, lazada,"
                    " tiktok, postmart\n",
            argv[2]);
    return CTL_USAGE;
  }
  if (json)
    print_json(m);
  else
    print_text(m);
  return CTL_OK;
}
