/*
 * sim_lazada.h — the simulated Lazada Open Platform (see
 * docs/marketplaces/lazada.md and the wire shapes in tests/sim/README.md):
 * sorted-parameter UPPERCASE HMAC signing, millisecond timestamps, seller
 * tokens with single-use refresh tokens, the product calls the daemon makes,
 * and its part of the control API (/_sim/lazada/...).
 */
#ifndef OCOP_SIM_LAZADA_H
#define OCOP_SIM_LAZADA_H

#include "sim.h"

extern const struct sim_market sim_lazada_market;

#endif
