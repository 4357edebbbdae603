/*
 * sim_info.c — call log notes (sim_info.h).
 */
#include "sim_info.h"

#include <stdio.h>

void sim_info_note_id(struct sim_call_info *info, int64_t id) {
  int i;

  for (i = 0; i < info->nitems; i++)
    if (info->item_ids[i] == id)
      return;
  if (info->nitems < SIM_CALL_IDS_MAX)
    info->item_ids[info->nitems++] = id;
}

void sim_info_note_sku(struct sim_call_info *info, const char *sku) {
  if (!sku || info->has_sku)
    return;
  snprintf(info->sku, sizeof info->sku, "%s", sku);
  info->has_sku = 1;
}
