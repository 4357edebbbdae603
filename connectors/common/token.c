/* token.c — see token.h. */
#include "token.h"

#include <stdio.h>
#include <string.h>

#include "text.h"
#include "verdict.h"

void ocu_token_set(oc_token_result *res, const oc_shop *shop, const char *lead,
                   const char *access, const char *refresh, int64_t access_expires,
                   int64_t refresh_expires) {
  if (strlen(access) >= sizeof res->access_token ||
      strlen(refresh) >= sizeof res->refresh_token) {
    ocu_fail(&res->v, shop, OC_RETRY, 0, "%stoken longer than %zu bytes", lead,
             sizeof res->access_token - 1);
    return;
  }
  ocu_strlcpy(res->access_token, access, sizeof res->access_token);
  ocu_strlcpy(res->refresh_token, refresh, sizeof res->refresh_token);
  res->access_expires_at = access_expires;
  res->refresh_expires_at = refresh_expires;
}

int ocu_token_pair(oc_verdict *v, const oc_shop *shop, const cJSON *obj, const char *prefix,
                   const char *lead, const char **access, const char **refresh) {
  char what[64];

  snprintf(what, sizeof what, "%saccess_token", prefix);
  if ((*access = ocu_req_str(v, shop, obj, "access_token", what, lead)) == NULL)
    return -1;
  snprintf(what, sizeof what, "%srefresh_token", prefix);
  return (*refresh = ocu_req_str(v, shop, obj, "refresh_token", what, lead)) == NULL ? -1 : 0;
}
