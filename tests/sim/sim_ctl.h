/*
 * sim_ctl.h — the plumbing every /_sim/ control call shares: the {"ok":...}
 * answers, the per-marketplace table of control calls, the checked reading
 * of integer and string members, and the seed document's lists.
 *
 * The three marketplaces (sim_shopee.c, sim_lazada.c, sim_tiktok.c) and the
 * shared order calls (sim_orders.c) answer their control calls with the same
 * texts and status codes; keeping those texts in one place is what keeps
 * them the same (tests/sim/README.md documents them once).
 */
#ifndef OCOP_SIM_CTL_H
#define OCOP_SIM_CTL_H

#include <stddef.h>
#include <stdint.h>

#include <cjson/cJSON.h>

#include "sim.h"

/* Control API answers: {"ok":true, ...obj} and {"ok":false,"error":...}. */
void sim_ctl_ok(struct sim_resp *resp, cJSON *obj);
void sim_ctl_error(struct sim_resp *resp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 0 when the request body is a JSON object; else answers 400 and -1. */
int sim_ctl_need_object(const struct sim_req *req, struct sim_resp *resp);

/* 0 when the request may go on to a call that wants `method` (and, for
 * POST, a JSON object body); else answers 405 or 400 and -1. */
int sim_ctl_want(const char *method, const struct sim_req *req,
                 struct sim_resp *resp);

/* Stores one entry of a control body or of the seed document; `ctx` is the
 * caller's store. 0, or -1 with the reason in err. */
typedef int (*sim_ctl_put_fn)(void *ctx, const cJSON *o, int64_t now, char *err,
                              size_t n);

/* One control call of a marketplace: /_sim/<market>/<sub>. Either `fn`
 * answers it, or `put` stores the body and the answer is ok or 400. */
struct sim_ctl_call {
  const char *sub;
  const char *method;
  void (*fn)(const struct sim_req *req, struct sim_resp *resp);
  sim_ctl_put_fn put;
};

/* Runs the entry of `tab` named `sub`; 0 when there is none (nothing
 * answered). */
int sim_ctl_run(const struct sim_ctl_call *tab, size_t n, void *ctx,
                const char *sub, const struct sim_req *req,
                struct sim_resp *resp);

/* Answers 404 for a control call no table knows. */
void sim_ctl_unknown(const char *market, const char *sub,
                     struct sim_resp *resp);

/* A new listing answer {"<name>": []} with *list pointing at the array. */
cJSON *sim_ctl_listing(const char *name, cJSON **list);

/* An integer member within [min, max]; `def` when absent if def >= min. */
int sim_ctl_int(const cJSON *o, const char *name, int64_t min, int64_t max,
                int64_t def, int64_t *out, char *err, size_t n);

/* A string member of 1..max bytes, or NULL with the reason in err. */
const char *sim_ctl_str(const cJSON *o, const char *name, size_t max, char *err,
                        size_t n);

/* One list of a marketplace's seed value: {"<name>": [entry, ...]}. */
struct sim_ctl_seed {
  const char *name;
  sim_ctl_put_fn put;
};

/* Applies a marketplace's seed value: an object holding only the named
 * lists, each stored in the order given (so a list may name entries of an
 * earlier one). Entries before a bad one stay stored. */
int sim_ctl_seed_lists(const char *market, const cJSON *doc,
                       const struct sim_ctl_seed *lists, size_t nlists,
                       void *ctx, char *err, size_t n);

#endif
