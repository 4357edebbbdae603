/*
 * sim_info.h — filling in what the call log records about a marketplace
 * call (struct sim_call_info in sim.h): the items and the SKU it names.
 */
#ifndef OCOP_SIM_INFO_H
#define OCOP_SIM_INFO_H

#include <stdint.h>

#include "sim.h"

/* Adds an item id once (a batch may name one twice), up to the limit. */
void sim_info_note_id(struct sim_call_info *info, int64_t id);

/* Records the first SKU the call names; later ones are ignored. */
void sim_info_note_sku(struct sim_call_info *info, const char *sku);

#endif
