/* registry.c — see registry.h. */
#include "registry.h"

#include <dirent.h>
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "log.h"

#define MAX_MODULES 32

struct module {
  void *handle;
  const oc_connector *conn;
};

struct registry {
  struct module mods[MAX_MODULES];
  size_t n;
};

static int has_suffix(const char *s, const char *suffix) {
  size_t a = strlen(s), b = strlen(suffix);

  return a > b && strcmp(s + a - b, suffix) == 0;
}

/* Opens one module and checks its table; 0 when it was added. */
static int load_one(struct registry *reg, const char *path) {
  void *h = NULL;
  oc_entry_fn entry;
  const oc_connector *c;
  int rc = -1;

  h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    log_error("registry", "cannot load connector", "path=%s err=%s", path, dlerror());
    goto out;
  }
  *(void **)&entry = dlsym(h, OC_ENTRY_SYMBOL);
  c = entry ? entry() : NULL;
  if (!c) {
    log_error("registry", "not a connector: no " OC_ENTRY_SYMBOL " table", "path=%s", path);
    goto out;
  }
  if (c->abi != OC_ABI_VERSION || !c->name || !c->build || !c->parse) {
    log_error("registry", "connector built for another ABI; rebuild it", "path=%s abi=%u want=%u",
              path, c->abi, OC_ABI_VERSION);
    goto out;
  }
  if (registry_find(reg, c->name)) {
    log_error("registry", "two connectors with one name; keeping the first", "path=%s name=%s",
              path, c->name);
    goto out;
  }
  if (reg->n == MAX_MODULES) {
    log_error("registry", "too many connector modules", "path=%s", path);
    goto out;
  }
  reg->mods[reg->n].handle = h;
  reg->mods[reg->n].conn = c;
  reg->n++;
  h = NULL;
  log_info("registry", "connector loaded", "name=%s path=%s", c->name, path);
  rc = 0;
out:
  if (h)
    dlclose(h);
  return rc;
}

static int by_name(const void *a, const void *b) {
  return strcmp(*(const char *const *)a, *(const char *const *)b);
}

struct registry *registry_load(const char *dir, int *bad) {
  struct registry *reg = calloc(1, sizeof *reg);
  DIR *d;
  struct dirent *e;
  char *names[MAX_MODULES * 2];
  size_t n = 0, i;
  int errors = 0;

  if (!reg)
    return NULL;
  d = opendir(dir);
  if (!d) {
    log_error("registry", "cannot open connector_dir", "dir=%s", dir);
    errors++;
  }
  while (d && (e = readdir(d)) != NULL && n < MAX_MODULES * 2)
    if (has_suffix(e->d_name, ".so"))
      names[n++] = strdup(e->d_name);
  if (d)
    closedir(d);
  /* Sorted, so which duplicate wins does not depend on the file system. */
  qsort(names, n, sizeof names[0], by_name);
  for (i = 0; i < n; i++) {
    char path[4096];

    if (names[i] && snprintf(path, sizeof path, "%s/%s", dir, names[i]) < (int)sizeof path &&
        load_one(reg, path) != 0)
      errors++;
    free(names[i]);
  }
  if (bad)
    *bad = errors;
  return reg;
}

const oc_connector *registry_find(const struct registry *reg, const char *name) {
  size_t i;

  for (i = 0; i < reg->n; i++)
    if (strcmp(reg->mods[i].conn->name, name) == 0)
      return reg->mods[i].conn;
  return NULL;
}

size_t registry_count(const struct registry *reg) { return reg->n; }

const oc_connector *registry_at(const struct registry *reg, size_t i) {
  return i < reg->n ? reg->mods[i].conn : NULL;
}

void registry_free(struct registry *reg) {
  size_t i;

  if (!reg)
    return;
  for (i = 0; i < reg->n; i++)
    dlclose(reg->mods[i].handle);
  free(reg);
}
