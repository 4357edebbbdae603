/*
 * sim_str.h — owned strings in the marketplaces' item stores: copying
 * optional fields all-or-nothing, and replacing a field only when a new
 * value was given (a partial update leaves the others alone).
 */
#ifndef OCOP_SIM_STR_H
#define OCOP_SIM_STR_H

/* A malloc'd copy of s, or NULL for NULL; sets *failed when out of memory,
 * so a caller copies several fields and checks once. */
char *sim_str_dup(const char *s, int *failed);

/* When *src is set, frees *dst and moves *src there (leaving *src NULL). */
void sim_str_take(char **dst, char **src);

#endif
