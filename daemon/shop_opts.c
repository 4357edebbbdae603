/* shop_opts.c — see shop_opts.h. */
#include "shop_opts.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int shop_opts_parse(const char *json, oc_kv **out, size_t *n) {
  cJSON *root = cJSON_Parse(json ? json : "{}"), *it;
  int rc = -2;

  *out = NULL;
  *n = 0;
  if (!cJSON_IsObject(root)) {
    cJSON_Delete(root);
    return -1;
  }
  *out = calloc((size_t)cJSON_GetArraySize(root) + 1, sizeof **out);
  if (!*out)
    goto out;
  cJSON_ArrayForEach(it, root) {
    char num[32];
    const char *v = NULL;

    if (cJSON_IsString(it))
      v = it->valuestring;
    else if (cJSON_IsNumber(it) && snprintf(num, sizeof num, "%.0f", it->valuedouble) > 0)
      v = num;
    if (!v)
      continue;
    (*out)[*n].key = strdup(it->string);
    (*out)[*n].value = strdup(v);
    if (!(*out)[*n].key || !(*out)[*n].value) {
      free((char *)(*out)[*n].key);
      free((char *)(*out)[*n].value);
      goto out;
    }
    (*n)++;
  }
  rc = 0;
out:
  cJSON_Delete(root);
  return rc;
}

void shop_opts_free(oc_kv *kv, size_t n) {
  size_t i;

  for (i = 0; i < n; i++) {
    free((char *)kv[i].key);
    free((char *)kv[i].value);
  }
  free(kv);
}
