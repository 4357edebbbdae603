/*
 * world.h — the soak's world (prefix world_): a PostgreSQL cluster of its
 * own (the soak restarts it), the simulator with a Shopee, a Lazada and a
 * TikTok shop, a generated catalogue with variants, some products revoked
 * from the start and some whose certificates lapse when the soak moves the
 * date, up to two ocopd on the one database, and the traffic the soak
 * makes: orders by poll and by push, and price changes.
 */
#ifndef OCOP_SOAK_WORLD_H
#define OCOP_SOAK_WORLD_H

#include <libpq-fe.h>

#include "harness.h"

#define WORLD_SHOPS 3
#define WORLD_DAEMONS 2
#define WORLD_TODAY "2026-11-25"
#define WORLD_TOMORROW "2026-11-26"
#define WORLD_PREFIX "SK"

struct world_market {
  const char *name;
  const char *shop;       /* as the control API names it */
  const char *items_path; /* control API: the shop's items */
  const char *sold;       /* an order status that takes stock */
  const char *status_key; /* item fields: its status, and the value when shown */
  const char *active;
};

extern const struct world_market world_markets[WORLD_SHOPS];

struct world_order {
  int market;    /* index in world_markets */
  char id[72];   /* the marketplace's order id */
};

struct world {
  char dir[512];      /* the soak's files: the cluster, the daemons' logs */
  char cluster[600];  /* scripts/pgtmp's DIR */
  char conninfo[1024];
  const char *db_conninfo; /* the soak's database on the cluster */
  PGconn *db;
  struct itest_sim sim;
  struct itest_daemon daemon[WORLD_DAEMONS];
  char workdir[WORLD_DAEMONS][600];
  int webhook_port, admin_port;
  int products;
  struct world_order *orders;
  int norders, cap_orders;
  int pushes, pushes_taken;
  int price_changes;
  int date_moved;
  double said_s;      /* when soak.c last said what is out of line */
};

/* Everything up, no daemon running yet. */
void world_up(struct world *w, int products);
void world_down(struct world *w);

/* Daemon i (0 takes pushes and serves /metrics; 1 shares the work). */
void world_start(struct world *w, int i);
/* Ends daemon i with sig; returns its wait status as itest_daemon_stop. */
int world_stop(struct world *w, int i, int sig);
int world_running(struct world *w, int i);

/* n orders of eligible variants, every other one pushed to daemon 0. */
void world_orders(struct world *w, int n);
/* A few prices change. */
void world_prices(struct world *w);
/* The date moves to WORLD_TOMORROW: every 25th product's certificate lapses. */
void world_cross_expiry(struct world *w);

/* Restarts the cluster (mode "fast" or "immediate"); the soak's own
 * connection is opened again. */
void world_restart_db(struct world *w, const char *mode);
/* 1 when daemon 0 says every database connection is up (/metrics). */
int world_db_up(struct world *w);

long long world_q(struct world *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
