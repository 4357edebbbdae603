/* idset.c — see idset.h. */
#include "idset.h"

#include <stdlib.h>
#include <string.h>

int idset_add(struct idset *s, const char *id) {
  char *copy;

  if (s->n == s->cap) {
    size_t cap = s->cap ? s->cap * 2 : 256;
    char **v = realloc(s->v, cap * sizeof *v);

    if (!v)
      return -1;
    s->v = v;
    s->cap = cap;
  }
  if (!(copy = strdup(id)))
    return -1;
  s->v[s->n++] = copy;
  return 0;
}

static int by_text(const void *a, const void *b) {
  return strcmp(*(char *const *)a, *(char *const *)b);
}

int idset_has(const struct idset *s, const char *id) {
  size_t i;

  if (s->sorted && bsearch(&id, s->v, s->sorted, sizeof *s->v, by_text))
    return 1;
  for (i = s->sorted; i < s->n; i++)
    if (strcmp(s->v[i], id) == 0)
      return 1;
  return 0;
}

void idset_seal(struct idset *s) {
  if (s->n > 1)
    qsort(s->v, s->n, sizeof *s->v, by_text);
  s->sorted = s->n;
}

void idset_free(struct idset *s) {
  size_t i;

  for (i = 0; i < s->n; i++)
    free(s->v[i]);
  free(s->v);
  memset(s, 0, sizeof *s);
}
