/*
 * sim_tok.h — one shop's access and refresh tokens, as every simulated
 * marketplace keeps them: a current access token, the previous one alive
 * for a short grace after a refresh, a refresh token, the lifetimes of the
 * tokens issued next, and the shop's rate limit (sim_rate.h).
 *
 * The marketplaces differ in how a token is presented and refused
 * (docs/marketplaces/); what a token is and how it ages is the same.
 */
#ifndef OCOP_SIM_TOK_H
#define OCOP_SIM_TOK_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim_rate.h"

struct sim_tok {
  char *access, *prev_access, *refresh;
  char *used_refresh; /* the last refresh token spent: never valid again */
  int64_t access_exp, prev_exp, refresh_exp; /* unix seconds */
  int64_t access_ttl, refresh_ttl;           /* for tokens issued later */
  struct sim_rate rl;
};

/* 1 when `tok` is the live access token or the previous one in its grace. */
int sim_tok_valid(const struct sim_tok *t, const char *tok, int64_t now);

/* 1 when `tok` is one of the two and alive, -1 when it is one of them but
 * expired, 0 when it is neither. */
int sim_tok_match(const struct sim_tok *t, const char *tok, int64_t now);

/* 1 when `tok` is the live refresh token. */
int sim_tok_refresh_ok(const struct sim_tok *t, const char *tok, int64_t now);

/* Replaces both tokens with fresh random ones of 2*nbytes hex characters;
 * the old access token lives on for at most `grace` seconds. 0, or -1 with
 * nothing changed. */
int sim_tok_issue(struct sim_tok *t, int64_t now, int64_t grace, size_t nbytes);

/* Installs given tokens (malloc'd; the set owns them from here) with
 * lifetimes from now; forgets the previous and spent ones. */
void sim_tok_take(struct sim_tok *t, char *access, char *refresh,
                  int64_t access_ttl, int64_t refresh_ttl, int64_t now);

/* Kills the access token and any grace token now; the refresh token lives. */
void sim_tok_expire(struct sim_tok *t, int64_t now);

/* Adds the tokens, their expiry times and the rate limit to a listing. */
void sim_tok_json(cJSON *o, const struct sim_tok *t);

void sim_tok_free(struct sim_tok *t);

#endif
