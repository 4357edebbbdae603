/*
 * sim_shopee.h — the simulated Shopee Open Platform v2 (see
 * docs/marketplaces/shopee.md): request signing and token checks,
 * the product and auth endpoints the daemon uses, in-memory partners, shops
 * and items, and its part of the control API (/_sim/shopee/...).
 */
#ifndef OCOP_SIM_SHOPEE_H
#define OCOP_SIM_SHOPEE_H

#include "sim.h"

extern const struct sim_market sim_shopee_market;

#endif
