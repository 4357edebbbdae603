/*
 * sim_tok.c — a shop's tokens (sim_tok.h).
 */
#include "sim_tok.h"

#include <stdlib.h>
#include <string.h>

#include "sim.h"
#include "sim_json.h"

int sim_tok_valid(const struct sim_tok *t, const char *tok, int64_t now) {
  if (t->access && strcmp(t->access, tok) == 0 && now < t->access_exp)
    return 1;
  /* After a refresh the old token lives on briefly, as on the platforms. */
  return t->prev_access && strcmp(t->prev_access, tok) == 0 &&
         now < t->prev_exp;
}

int sim_tok_match(const struct sim_tok *t, const char *tok, int64_t now) {
  if (t->access && strcmp(t->access, tok) == 0)
    return now < t->access_exp ? 1 : -1;
  if (t->prev_access && strcmp(t->prev_access, tok) == 0)
    return now < t->prev_exp ? 1 : -1;
  return 0;
}

int sim_tok_refresh_ok(const struct sim_tok *t, const char *tok, int64_t now) {
  return t->refresh && strcmp(t->refresh, tok) == 0 && now < t->refresh_exp;
}

int sim_tok_issue(struct sim_tok *t, int64_t now, int64_t grace,
                  size_t nbytes) {
  char acc[65], ref[65];
  char *a, *r;

  if (2 * nbytes >= sizeof acc || sim_random_hex(acc, nbytes) ||
      sim_random_hex(ref, nbytes))
    return -1;
  a = strdup(acc);
  r = strdup(ref);
  if (!a || !r) {
    free(a), free(r);
    return -1;
  }
  free(t->prev_access);
  t->prev_access = t->access;
  t->prev_exp = t->access_exp < now + grace ? t->access_exp : now + grace;
  t->access = a;
  t->access_exp = now + t->access_ttl;
  free(t->used_refresh);
  t->used_refresh = t->refresh; /* for the call log only: never valid */
  t->refresh = r;
  t->refresh_exp = now + t->refresh_ttl;
  return 0;
}

void sim_tok_take(struct sim_tok *t, char *access, char *refresh,
                  int64_t access_ttl, int64_t refresh_ttl, int64_t now) {
  free(t->access), free(t->prev_access), free(t->refresh);
  free(t->used_refresh);
  t->access = access, t->refresh = refresh;
  t->prev_access = t->used_refresh = NULL;
  t->access_ttl = access_ttl, t->refresh_ttl = refresh_ttl;
  t->access_exp = now + access_ttl, t->refresh_exp = now + refresh_ttl;
  t->prev_exp = 0;
}

void sim_tok_expire(struct sim_tok *t, int64_t now) {
  t->access_exp = now;
  t->prev_exp = 0;
}

void sim_tok_json(cJSON *o, const struct sim_tok *t) {
  cJSON_AddStringToObject(o, "access_token", t->access ? t->access : "");
  sim_json_add_int(o, "access_expires_at", t->access_exp);
  cJSON_AddStringToObject(o, "refresh_token", t->refresh ? t->refresh : "");
  sim_json_add_int(o, "refresh_expires_at", t->refresh_exp);
  if (t->prev_access) {
    cJSON_AddStringToObject(o, "previous_access_token", t->prev_access);
    sim_json_add_int(o, "previous_expires_at", t->prev_exp);
  }
  sim_rate_json(o, &t->rl);
}

void sim_tok_free(struct sim_tok *t) {
  free(t->access), free(t->prev_access), free(t->refresh);
  free(t->used_refresh);
  memset(t, 0, sizeof *t);
}
