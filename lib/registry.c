/* registry.c — see registry.h. */
#include "registry.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"
#include "module.h"

#define MAX_MODULES 32

struct registry {
  unsigned refs;
  struct module *mods[MAX_MODULES];
  size_t n;
};

static int has_suffix(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);

  return a > b && strcmp(s + a - b, suffix) == 0;
}

/* Adds the module at path; 0 when it was added. */
static int load_one(struct registry *reg, const char *path) {
  struct module *m = module_open(path);
  const oc_connector *c;

  if (!m)
    return -1;
  c = module_connector(m);
  if (registry_find(reg, c->name)) {
    log_error("registry", "two connectors with one name; keeping the first", "path=%s name=%s",
              path, c->name);
    module_release(m);
    return -1;
  }
  if (reg->n == MAX_MODULES) {
    log_error("registry", "too many connector modules", "path=%s", path);
    module_release(m);
    return -1;
  }
  reg->mods[reg->n++] = m;
  return 0;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The *.so names in dir, sorted (so which duplicate wins does not depend on
 * the file system); returns how many, -1 when dir cannot be read. */
static int list_dir(const char *dir, char **names, size_t max) {
  DIR *d = opendir(dir);
  struct dirent *e;
  size_t n = 0;

  if (!d) {
    log_error("registry", "cannot open connector_dir", "dir=%s", dir);
    return -1;
  }
  while ((e = readdir(d)) != NULL && n < max)
    if (has_suffix(e->d_name, ".so") && (names[n] = strdup(e->d_name)) != NULL)
      n++;
  closedir(d);
  qsort(names, n, sizeof names[0], by_name);
  return (int)n;
}

struct registry *registry_load(const char *dir, int *bad) {
  struct registry *reg = calloc(1, sizeof *reg);
  char *names[MAX_MODULES * 2];
  int n, i, errors = 0;

  if (!reg)
    return NULL;
  reg->refs = 1;
  n = list_dir(dir, names, MAX_MODULES * 2);
  if (n < 0)
    errors++;
  for (i = 0; i < n; i++) {
    char path[4096];

    if (snprintf(path, sizeof path, "%s/%s", dir, names[i]) < (int)sizeof path &&
        load_one(reg, path) != 0)
      errors++;
    free(names[i]);
  }
  if (bad)
    *bad = errors;
  return reg;
}

struct registry *registry_ref(struct registry *reg) {
  if (reg)
    reg->refs++;
  return reg;
}

void registry_unref(struct registry *reg) {
  size_t i;

  if (!reg || --reg->refs > 0)
    return;
  for (i = 0; i < reg->n; i++)
    module_release(reg->mods[i]);
  free(reg);
}

const oc_connector *registry_find(const struct registry *reg, const char *name) {
  size_t i;

  for (i = 0; i < reg->n; i++)
    if (strcmp(module_connector(reg->mods[i])->name, name) == 0)
      return module_connector(reg->mods[i]);
  return NULL;
}

size_t registry_count(const struct registry *reg) { return reg->n; }

const oc_connector *registry_at(const struct registry *reg, size_t i) {
  return i < reg->n ? module_connector(reg->mods[i]) : NULL;
}
