/* content.c — see content.h. */
#include "content.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsondepth.h"

/* A string member as a malloc'd copy; "" for a missing or null one. */
static char *str_dup(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

  return strdup(cJSON_IsString(v) && v->valuestring ? v->valuestring : "");
}

static char *str_or_null(const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

  return cJSON_IsString(v) && v->valuestring ? strdup(v->valuestring) : NULL;
}

static int is_true(const cJSON *o, const char *key) {
  return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static void copy_str(char *dst, size_t len, const cJSON *o, const char *key) {
  const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

  snprintf(dst, len, "%s", cJSON_IsString(v) && v->valuestring ? v->valuestring : "");
}

static void read_uploads(struct content *c, const cJSON *arr) {
  const cJSON *u;

  cJSON_ArrayForEach(u, arr) {
    struct content_upload *d;

    if (c->nuploads == CONTENT_MAX_UPLOADS)
      break;
    d = &c->uploads[c->nuploads++];
    copy_str(d->sha256, sizeof d->sha256, u, "sha256");
    copy_str(d->format, sizeof d->format, u, "format");
    copy_str(d->name, sizeof d->name, u, "name");
    d->certificate = is_true(u, "certificate");
  }
}

/* The images and attributes the connector sends; more than the ABI's
 * limits are left out (a connector refuses more than its marketplace
 * takes anyway). */
static int read_sent(struct content *c, const cJSON *sent) {
  const cJSON *e;

  c->brand_id = str_dup(sent, "brand_id");
  c->brand_name = str_dup(sent, "brand_name");
  c->certification_id = str_or_null(sent, "certification_id");
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(sent, "images")) {
    oc_image *im;

    if (c->nimages == OC_MAX_IMAGES)
      break;
    im = &c->images[c->nimages++];
    im->remote_id = str_dup(e, "remote_id");
    im->url = str_dup(e, "url");
    im->certificate = is_true(e, "certificate");
    if (!im->remote_id || !im->url)
      return -1;
  }
  cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(sent, "attrs")) {
    oc_attr *a;

    if (c->nattrs == OC_MAX_ATTRS)
      break;
    a = &c->attrs[c->nattrs++];
    a->id = str_dup(e, "id");
    a->name = str_dup(e, "name");
    a->value_id = str_dup(e, "value_id");
    a->value = str_dup(e, "value");
    if (!a->id || !a->name || !a->value_id || !a->value)
      return -1;
  }
  return c->brand_id && c->brand_name ? 0 : -1;
}

int content_parse(struct content *c, const char *json, char *err, size_t errlen) {
  cJSON *root;
  size_t at;
  int rc = -1;

  memset(c, 0, sizeof *c);
  if (!json)
    return 0;
  if (!jsondepth_ok(json, strlen(json), 16, &at) || (root = cJSON_Parse(json)) == NULL ||
      !cJSON_IsObject(root)) {
    snprintf(err, errlen, "listing content is not a JSON object");
    return -1;
  }
  c->present = 1;
  c->problem = str_or_null(root, "problem");
  c->category = str_or_null(root, "category");
  c->sig = str_or_null(root, "sig");
  c->rules_due = is_true(root, "rules_due");
  c->waiting = is_true(root, "waiting");
  read_uploads(c, cJSON_GetObjectItemCaseSensitive(root, "uploads"));
  if (read_sent(c, cJSON_GetObjectItemCaseSensitive(root, "content")) == 0)
    rc = 0;
  else
    snprintf(err, errlen, "out of memory reading the listing content");
  cJSON_Delete(root);
  return rc;
}

void content_apply(const struct content *c, oc_listing *l) {
  if (!c->present)
    return;
  l->category_id = c->category;
  l->brand_id = c->brand_id;
  l->brand_name = c->brand_name;
  l->certification_id = c->certification_id;
  l->images = c->images;
  l->nimages = c->nimages;
  l->attrs = c->attrs;
  l->nattrs = c->nattrs;
}

void content_free(struct content *c) {
  size_t i;

  free(c->problem);
  free(c->category);
  free(c->sig);
  free(c->brand_id);
  free(c->brand_name);
  free(c->certification_id);
  for (i = 0; i < c->nimages; i++) {
    free((char *)c->images[i].remote_id);
    free((char *)c->images[i].url);
  }
  for (i = 0; i < c->nattrs; i++) {
    free((char *)c->attrs[i].id);
    free((char *)c->attrs[i].name);
    free((char *)c->attrs[i].value_id);
    free((char *)c->attrs[i].value);
  }
  memset(c, 0, sizeof *c);
}
