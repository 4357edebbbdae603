/* variants.c — see variants.h. */
#include "variants.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *dup_str(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

  return cJSON_IsString(it) ? strdup(it->valuestring) : NULL;
}

static long long num(const cJSON *o, const char *key) {
  const cJSON *it = cJSON_GetObjectItemCaseSensitive(o, key);

  return cJSON_IsNumber(it) ? (long long)it->valuedouble : 0;
}

/* One entry; 0, or -1 when it lacks a SKU or memory ran out. */
static int read_one(struct vset *vs, size_t i, const cJSON *o) {
  oc_variant *v = &vs->v[i];
  char *remote = dup_str(o, "remote_id");

  v->sku = dup_str(o, "sku");
  v->label = dup_str(o, "label");
  v->gtin = dup_str(o, "gtin");
  v->price_vnd = num(o, "price");
  v->stock = num(o, "stock");
  v->weight_g = (int32_t)num(o, "weight_g");
  v->length_mm = (int32_t)num(o, "length_mm");
  v->width_mm = (int32_t)num(o, "width_mm");
  v->height_mm = (int32_t)num(o, "height_mm");
  v->removed = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, "removed"));
  if (remote) {
    snprintf(vs->st[i].remote, sizeof vs->st[i].remote, "%s", remote);
    v->remote_id = vs->st[i].remote;
    free(remote);
  }
  if (!v->label)
    v->label = strdup("");
  return v->sku && v->label ? 0 : -1;
}

int vset_parse(struct vset *vs, const char *json, char *err, size_t errlen) {
  cJSON *arr = json ? cJSON_Parse(json) : NULL;
  const cJSON *o;
  size_t n, i = 0;
  int rc = -1;

  memset(vs, 0, sizeof *vs);
  if (!cJSON_IsArray(arr)) {
    snprintf(err, errlen, "listing variants are not a JSON array");
    goto out;
  }
  n = (size_t)cJSON_GetArraySize(arr);
  if (n > OC_MAX_VARIANTS) {
    snprintf(err, errlen, "listing has more than %d variants", OC_MAX_VARIANTS);
    goto out;
  }
  vs->v = calloc(n ? n : 1, sizeof *vs->v);
  vs->st = calloc(n ? n : 1, sizeof *vs->st);
  if (!vs->v || !vs->st) {
    snprintf(err, errlen, "out of memory");
    goto out;
  }
  vs->n = n;
  cJSON_ArrayForEach(o, arr) {
    if (read_one(vs, i++, o) != 0) {
      snprintf(err, errlen, "listing variant %zu has no SKU", i);
      goto out;
    }
  }
  rc = 0;
out:
  cJSON_Delete(arr);
  if (rc != 0)
    vset_free(vs);
  return rc;
}

oc_variant *vset_find(struct vset *vs, const char *sku) {
  size_t i;

  for (i = 0; i < vs->n; i++)
    if (strcmp(vs->v[i].sku, sku) == 0)
      return &vs->v[i];
  return NULL;
}

int vset_none_live_on_item(const struct vset *vs) {
  size_t i, live = 0;

  for (i = 0; i < vs->n; i++) {
    if (vs->v[i].removed)
      continue;
    if (vs->v[i].remote_id != NULL)
      return 0;
    live++;
  }
  return live > 0;
}

void vset_apply(struct vset *vs, const oc_variant_result *r, size_t nr, int read) {
  size_t k;

  for (k = 0; k < nr && k < OC_MAX_VARIANTS; k++) {
    oc_variant *v = vset_find(vs, r[k].sku);
    struct vset_state *st;

    if (!v)
      continue;
    st = &vs->st[v - vs->v];
    st->read = read;
    st->read_price = r[k].price_vnd;
    st->read_stock = r[k].stock;
    if (r[k].gone) {
      v->remote_id = NULL;
      st->gone = 1;
      st->learnt = 0;
    } else {
      snprintf(st->remote, sizeof st->remote, "%s", r[k].remote_id);
      v->remote_id = st->remote;
      st->learnt = 1;
      st->gone = 0;
    }
  }
}

/* Whether `what` reports variant i, and with which amounts. */
static int reported(const struct vset *vs, size_t i, enum vset_report what) {
  const oc_variant *v = &vs->v[i];

  switch (what) {
  case VSET_LEARNT:
    return vs->st[i].learnt || vs->st[i].gone;
  case VSET_PRICES:
  case VSET_STOCK:
    return v->remote_id != NULL && !v->removed;
  case VSET_ALL_SENT:
    return 1;
  }
  return 0;
}

static int add_entry(cJSON *arr, const struct vset *vs, size_t i, enum vset_report what) {
  const oc_variant *v = &vs->v[i];
  cJSON *o = cJSON_CreateObject();

  if (!o || !cJSON_AddItemToArray(arr, o) || !cJSON_AddStringToObject(o, "sku", v->sku))
    return -1;
  if (what == VSET_ALL_SENT)
    return (v->removed ? cJSON_AddTrueToObject(o, "gone")
                       : cJSON_AddStringToObject(o, "remote_id", v->sku)) &&
                   cJSON_AddNumberToObject(o, "price", (double)v->price_vnd) &&
                   cJSON_AddNumberToObject(o, "stock", (double)v->stock)
               ? 0 : -1;
  if (what == VSET_LEARNT && vs->st[i].gone)
    return cJSON_AddTrueToObject(o, "gone") ? 0 : -1;
  if (what == VSET_LEARNT && !cJSON_AddStringToObject(o, "remote_id", vs->st[i].remote))
    return -1;
  if (what == VSET_LEARNT && vs->st[i].read) /* what the item shows, as far as said */
    return (vs->st[i].read_price >= 0 &&
            !cJSON_AddNumberToObject(o, "price", (double)vs->st[i].read_price)) ||
                   (vs->st[i].read_stock >= 0 &&
                    !cJSON_AddNumberToObject(o, "stock", (double)vs->st[i].read_stock))
               ? -1 : 0;
  if (what != VSET_STOCK && !cJSON_AddNumberToObject(o, "price", (double)v->price_vnd))
    return -1;
  if (what != VSET_PRICES && !cJSON_AddNumberToObject(o, "stock", (double)v->stock))
    return -1;
  return 0;
}

char *vset_outcome_json(const struct vset *vs, enum vset_report what) {
  cJSON *arr = cJSON_CreateArray();
  char *out = NULL;
  size_t i;

  if (!arr)
    return NULL;
  for (i = 0; i < vs->n; i++)
    if (reported(vs, i, what) && add_entry(arr, vs, i, what) != 0)
      goto out;
  out = cJSON_PrintUnformatted(arr);
out:
  cJSON_Delete(arr);
  return out;
}

void vset_free(struct vset *vs) {
  size_t i;

  for (i = 0; vs->v && i < vs->n; i++) {
    free((char *)vs->v[i].sku);
    free((char *)vs->v[i].label);
    free((char *)vs->v[i].gtin);
  }
  free(vs->v);
  free(vs->st);
  memset(vs, 0, sizeof *vs);
}
