/* claims.c — see claims.h. */
#include "claims.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "json.h"
#include "text.h"

int ocu_claims(const oc_listing *l) { return l->stars >= 3 && l->stars <= 5; }

int ocu_has_ocop(const char *s) {
  for (; *s; s++)
    if ((s[0] | 0x20) == 'o' && (s[1] | 0x20) == 'c' && (s[2] | 0x20) == 'o' &&
        (s[3] | 0x20) == 'p')
      return 1;
  return 0;
}

/* A combining diacritic U+0300..U+036F (two bytes: CC 80..CD AF). */
static int is_combining(const char *s) {
  unsigned char a = (unsigned char)s[0], b = (unsigned char)s[1];

  return (a == 0xCC && b >= 0x80) || (a == 0xCD && b >= 0x80 && b <= 0xAF);
}

char *ocu_claim_title(const oc_listing *l, size_t max_cp) {
  char suffix[32] = "";
  const char *name = l->name;
  size_t budget, cut, full;

  while (*name == ' ' || *name == '\t')
    name++;
  full = strlen(name);
  while (full > 0 && (name[full - 1] == ' ' || name[full - 1] == '\t'))
    full--;
  if (ocu_claims(l))
    snprintf(suffix, sizeof suffix, " - OCOP %d sao", l->stars);
  budget = max_cp - ocu_utf8_count(suffix);
  cut = ocu_utf8_prefix(name, budget);
  if (cut >= full) {
    cut = full;
  } else {
    while (cut > 0 && is_combining(name + cut)) {
      do /* drop the base letter too: back up one code point */
        cut--;
      while (cut > 0 && ((unsigned char)name[cut] & 0xC0) == 0x80);
    }
    while (cut > 0 && (name[cut - 1] == ' ' || name[cut - 1] == '\t'))
      cut--;
  }
  return ocu_asprintf("%.*s%s", (int)cut, name, suffix);
}

char *ocu_claim_description(const oc_listing *l) {
  if (!ocu_claims(l))
    return ocu_asprintf("%s", l->description);
  return ocu_asprintf("Sản phẩm OCOP %d sao (quyết định %s).\n%s", l->stars,
                      l->certificate_no, l->description);
}

void ocu_scrub_secrets(char *s, const oc_shop *shop) {
  const char *secrets[4];
  size_t i;

  if (shop == NULL)
    return;
  secrets[0] = shop->app_secret;
  secrets[1] = shop->access_token;
  secrets[2] = shop->refresh_token;
  secrets[3] = shop->auth_code;
  for (i = 0; i < 4; i++) {
    size_t n = secrets[i] ? strlen(secrets[i]) : 0;
    char *p;

    if (n < 6)
      continue;
    while ((p = strstr(s, secrets[i])) != NULL) {
      memcpy(p, "***", 3);
      memmove(p + 3, p + n, strlen(p + n) + 1);
    }
  }
}

int ocu_add_claim_text(cJSON *obj, const oc_listing *l, size_t max_cp, const char *title_key) {
  char *title = ocu_claim_title(l, max_cp), *desc = ocu_claim_description(l);
  int r = -1;

  if (title != NULL && desc != NULL &&
      ocu_json_put(obj, title_key, cJSON_CreateString(title)) == 0 &&
      ocu_json_put(obj, "description", cJSON_CreateString(desc)) == 0)
    r = 0;
  free(title);
  free(desc);
  return r;
}
