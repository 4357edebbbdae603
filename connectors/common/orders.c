/* orders.c — see orders.h. */
#include "orders.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "verdict.h"

oc_effect ocu_order_effect(const ocu_status_map *map, const char *status) {
  if (status == NULL)
    return (oc_effect)0;
  for (; map->status; map++)
    if (strcmp(map->status, status) == 0)
      return map->effect;
  return (oc_effect)0;
}

int ocu_order_id_fits(const char *id) { return strlen(id) < OC_ID_MAX; }

int ocu_order_status_fits(const char *status) { return strlen(status) < OC_STATUS_MAX; }

/* Grows an array by one element; the new element is zeroed. */
static void *ocu_grow(void *arr, size_t n, size_t size) {
  char *p = realloc(arr, (n + 1) * size);

  if (p != NULL)
    memset(p + n * size, 0, size);
  return p;
}

int ocu_page_add(oc_order_page *p, const char *id) {
  char(*ids)[OC_ID_MAX];

  if (!ocu_order_id_fits(id))
    return -1;
  if ((ids = ocu_grow(p->ids, p->nids, sizeof *ids)) == NULL)
    return -1;
  p->ids = ids;
  ocu_strlcpy(p->ids[p->nids++], id, OC_ID_MAX);
  return 0;
}

int ocu_page_end(oc_order_page *p, const char *next, int64_t done_at) {
  if (next == NULL)
    next = "";
  if (strlen(next) >= sizeof p->next)
    return -1;
  ocu_strlcpy(p->next, next, sizeof p->next);
  p->done_at = done_at;
  return 0;
}

oc_order *ocu_batch_add(oc_order_batch *b, const char *id, const char *status, oc_effect effect,
                        int64_t update_time, int64_t total_vnd) {
  oc_order *orders = ocu_grow(b->orders, b->norders, sizeof *orders), *o;

  if (orders == NULL)
    return NULL;
  b->orders = orders;
  o = &b->orders[b->norders++];
  ocu_strlcpy(o->id, id, sizeof o->id);
  ocu_strlcpy(o->status, status, sizeof o->status);
  o->effect = effect;
  o->update_time = update_time;
  o->total_vnd = total_vnd < 0 ? -1 : total_vnd;
  return o;
}

int ocu_order_add_line(oc_order *o, const char *sku, int64_t qty, int64_t unit_price_vnd) {
  oc_order_line *lines;
  size_t i;

  if (unit_price_vnd < 0)
    unit_price_vnd = -1;
  for (i = 0; i < o->nlines; i++)
    if (strcmp(o->lines[i].sku, sku) == 0 && o->lines[i].unit_price_vnd == unit_price_vnd) {
      o->lines[i].qty += qty;
      return 0;
    }
  if ((lines = ocu_grow(o->lines, o->nlines, sizeof *lines)) == NULL)
    return -1;
  o->lines = lines;
  ocu_strlcpy(o->lines[o->nlines].sku, sku, sizeof o->lines[0].sku);
  o->lines[o->nlines].qty = qty;
  o->lines[o->nlines++].unit_price_vnd = unit_price_vnd;
  return 0;
}

int ocu_batch_bad(oc_order_batch *b, const char *id, const char *fmt, ...) {
  char tmp[512];
  oc_order_bad *bad;
  va_list ap;

  if ((bad = ocu_grow(b->bad, b->nbad, sizeof *bad)) == NULL)
    return -1;
  b->bad = bad;
  va_start(ap, fmt);
  vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  bad = &b->bad[b->nbad++];
  ocu_utf8_copy(bad->id, sizeof bad->id, id);
  ocu_utf8_copy(bad->error, sizeof bad->error, tmp);
  return 0;
}

void ocu_batch_drop_last(oc_order_batch *b) {
  if (b->norders == 0)
    return;
  b->norders--;
  free(b->orders[b->norders].lines);
  memset(&b->orders[b->norders], 0, sizeof b->orders[0]);
}

int ocu_entry_order_id(oc_verdict *v, const oc_shop *shop, const cJSON *o,
                       const ocu_id_rule *rule, char *out, size_t outlen) {
  char field[64];

  if (!cJSON_IsObject(o)) {
    ocu_fail(v, shop, OC_RETRY, 0, "%sfield %s is not an object", rule->lead, rule->entry);
    return -1;
  }
  snprintf(field, sizeof field, "%s.%s", rule->entry, rule->key);
  if (ocu_req_id(v, shop, cJSON_GetObjectItemCaseSensitive(o, rule->key), rule->flags, field,
                 out, outlen, rule->lead))
    return -1;
  if (!rule->valid(out)) {
    ocu_fail(v, shop, OC_RETRY, 0, "%sfield %s %s", rule->lead, field, rule->invalid);
    return -1;
  }
  if (!ocu_order_id_fits(out)) { /* the structs hold OC_ID_MAX - 1 bytes */
    ocu_fail(v, shop, OC_RETRY, 0, "%sfield %s is longer than %d bytes", rule->lead, field,
             OC_ID_MAX - 1);
    return -1;
  }
  return 0;
}
