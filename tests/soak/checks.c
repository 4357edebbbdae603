/* checks.c — see checks.h. */
#include "checks.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_orders(struct world *w, struct checks *c) {
  long long in_db;
  int i;

  for (i = 0; i < w->norders; i++)
    if (world_q(w, "SELECT count(*) FROM \"order\" o JOIN shop s ON s.id = o.shop_id "
                   "WHERE s.marketplace = '%s' AND o.mp_order_id = '%s'",
                world_markets[w->orders[i].market].name, w->orders[i].id) != 1)
      c->orders_lost++;
  in_db = world_q(w, "SELECT count(*) FROM \"order\"");
  if (in_db > w->norders - c->orders_lost)
    c->orders_extra = (int)(in_db - (w->norders - c->orders_lost));
}

/* What a channel shows against what it should, and what ocopd last sent. */
static void say_stock(struct world *w, const char *market, const char *sku, long long shown) {
  static const char *const from =
      "FROM listing l JOIN shop s ON s.id = l.shop_id "
      "JOIN listing_variant lv ON lv.listing_id = l.id JOIN variant v ON v.id = lv.variant_id "
      "JOIN listing_variant_target t ON t.listing_id = l.id AND t.variant_id = v.id";

  printf("#   %s %s shows stock %lld; should show %lld; ocopd last sent %lld\n", market, sku, shown,
         world_q(w, "SELECT t.stock %s WHERE s.marketplace = '%s' AND v.sku = '%s'", from, market,
                 sku),
         world_q(w, "SELECT coalesce(lv.sent_stock, -1) %s WHERE s.marketplace = '%s' "
                    "AND v.sku = '%s'", from, market, sku));
}

/* The shop's items: each SKU on one item at most; the SKUs of the items it
 * shows against the variants that may be shown; the stock each shows
 * against what its listing should say. */
static void check_shop(struct world *w, int m, struct checks *c) {
  const struct world_market *mk = &world_markets[m];
  cJSON *r = itest_sim_call(&w->sim, "GET", mk->items_path, NULL), *it, *v;
  long long expected = world_q(w, "SELECT count(*) FROM variant v JOIN product_eligibility e "
                                  "ON e.product_id = v.product_id WHERE e.eligible AND v.active");
  long long shown = 0;

  cJSON_ArrayForEach(it, cJSON_GetObjectItem(r, "items")) {
    const cJSON *st = cJSON_GetObjectItem(it, mk->status_key);
    int active = cJSON_IsString(st) && strcmp(st->valuestring, mk->active) == 0;

    cJSON_ArrayForEach(v, cJSON_GetObjectItem(it, "variants")) {
      const char *sku = cJSON_GetObjectItem(v, "sku")->valuestring;
      long long stock = (long long)cJSON_GetNumberValue(cJSON_GetObjectItem(v, "stock"));

      if (world_q(w, "SELECT count(*) FROM variant WHERE sku = '%s'", sku) != 1)
        continue; /* not ours */
      if (!active)
        continue;
      if (world_q(w, "SELECT count(*) FROM variant v JOIN product_eligibility e ON "
                     "e.product_id = v.product_id WHERE v.sku = '%s' AND e.eligible AND v.active",
                  sku) == 0) {
        c->not_withdrawn++;
        continue;
      }
      shown++;
      if (world_q(w, "SELECT count(*) FROM listing_variant_target t JOIN listing l ON "
                     "l.id = t.listing_id JOIN shop s ON s.id = l.shop_id WHERE s.marketplace = "
                     "'%s' AND t.sku = '%s' AND t.stock = %lld", mk->name, sku, stock) != 1) {
        c->stock_told++;
        if (getenv("SOAK_VERBOSE"))
          say_stock(w, mk->name, sku, stock);
      }
    }
  }
  /* Every SKU once: items per SKU counted over the whole shop. */
  {
    cJSON *a, *b;
    int i = 0, j;

    cJSON_ArrayForEach(a, cJSON_GetObjectItem(r, "items")) {
      j = 0;
      cJSON_ArrayForEach(b, cJSON_GetObjectItem(r, "items")) {
        if (j++ <= i)
          continue;
        cJSON_ArrayForEach(v, cJSON_GetObjectItem(a, "variants")) {
          const cJSON *u;

          cJSON_ArrayForEach(u, cJSON_GetObjectItem(b, "variants"))
            if (strcmp(cJSON_GetObjectItem(u, "sku")->valuestring,
                       cJSON_GetObjectItem(v, "sku")->valuestring) == 0)
              c->sku_twice++;
        }
      }
      i++;
    }
  }
  if (shown < expected)
    c->not_listed += (int)(expected - shown);
  cJSON_Delete(r);
}

int checks_run(struct world *w, struct checks *c) {
  int m;

  memset(c, 0, sizeof *c);
  check_orders(w, c);
  for (m = 0; m < WORLD_SHOPS; m++)
    check_shop(w, m, c);
  c->stock_ledger = (int)world_q(w, "SELECT count(*) FROM stock_level sl WHERE sl.on_hand <> "
                                    "(SELECT coalesce(sum(delta), 0) FROM stock_ledger x "
                                    "WHERE x.variant_id = sl.variant_id)");
  c->dead_jobs = (int)world_q(w, "SELECT count(*) FROM outbox WHERE state = 'dead'");
  return c->orders_lost + c->orders_extra + c->sku_twice + c->not_listed + c->not_withdrawn +
         c->stock_ledger + c->stock_told + c->dead_jobs;
}

void checks_print(const struct checks *c) {
  static const char *const names[] = {"orders lost",       "orders taken that were never made",
                                      "SKUs on two items", "variants not listed",
                                      "variants not withdrawn", "levels off their ledger",
                                      "channels showing other stock", "dead jobs"};
  const int v[] = {c->orders_lost, c->orders_extra, c->sku_twice,    c->not_listed,
                   c->not_withdrawn, c->stock_ledger, c->stock_told, c->dead_jobs};
  size_t i;

  for (i = 0; i < sizeof v / sizeof v[0]; i++)
    if (v[i])
      printf("#   %s: %d\n", names[i], v[i]);
}
