/*
 * sim_str.c — owned strings (sim_str.h).
 */
#include "sim_str.h"

#include <stdlib.h>
#include <string.h>

char *sim_str_dup(const char *s, int *failed) {
  char *d = s ? strdup(s) : NULL;

  if (s && !d)
    *failed = 1;
  return d;
}

void sim_str_take(char **dst, char **src) {
  if (*src) {
    free(*dst);
    *dst = *src;
    *src = NULL;
  }
}
