/*
 * sim_tiktok.h — the simulated TikTok Shop Partner API, version 202309 (see
 * docs/marketplaces/tiktok.md and tests/sim/README.md): wrapped
 * lowercase HMAC signing over path, sorted query and body bytes, second
 * timestamps, the x-tts-access-token header, 19-digit string ids, the product
 * calls the daemon makes, the token refresh on the auth host, and its part of
 * the control API (/_sim/tiktok/...).
 */
#ifndef OCOP_SIM_TIKTOK_H
#define OCOP_SIM_TIKTOK_H

#include "sim.h"

extern const struct sim_market sim_tiktok_market;

#endif
