/*
 * test_registry.c — connector generations and the modules they share: an
 * unchanged file is loaded once however many generations list it, a
 * replaced file is really read again while an older generation still runs
 * the old one, and an object is closed with its last holder. Uses the
 * connectors of the build tree ($top_builddir/connectors/.libs).
 */
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "registry.h"
#include "runner.h"

static char dir[256];

static void make_dir(void) {
  snprintf(dir, sizeof dir, "/tmp/ocop-registry-XXXXXX");
  ASSERT_NOT_NULL(mkdtemp(dir));
  log_set_level(LOG_ERROR);
}

/* Installs the build's <connector>.so as <dir>/<name> the way `install`
 * does: a new file renamed over the old one. */
static void install(const char *connector, const char *name) {
  const char *top = getenv("top_builddir");
  char src[512], tmp[512], dst[512], buf[65536];
  FILE *in, *out;
  size_t n;

  snprintf(src, sizeof src, "%s/connectors/.libs/%s.so", top && *top ? top : ".", connector);
  snprintf(tmp, sizeof tmp, "%s/.%s.tmp", dir, name);
  snprintf(dst, sizeof dst, "%s/%s", dir, name);
  in = fopen(src, "rb");
  ASSERT_NOT_NULL(in);
  out = fopen(tmp, "wb");
  ASSERT_NOT_NULL(out);
  while ((n = fread(buf, 1, sizeof buf, in)) > 0)
    ASSERT_EQ(fwrite(buf, 1, n, out), n);
  fclose(in);
  ASSERT_EQ(fclose(out), 0);
  ASSERT_EQ(rename(tmp, dst), 0);
}

/* 1 while the object at path is loaded (RTLD_NOLOAD opens nothing). */
static int loaded(const char *name) {
  char path[512];
  void *h;

  snprintf(path, sizeof path, "%s/%s", dir, name);
  h = dlopen(path, RTLD_NOW | RTLD_NOLOAD);
  if (h)
    dlclose(h);
  return h != NULL;
}

TEST_IMPL(generations_share_an_unchanged_module_until_the_last_lets_go) {
  struct registry *a, *b;
  int bad = -1;

  make_dir();
  install("shopee", "shopee.so");
  a = registry_load(dir, &bad);
  ASSERT_EQ(bad, 0);
  ASSERT_EQ(registry_count(a), 1);
  b = registry_load(dir, &bad);
  ASSERT(registry_find(a, "shopee") == registry_find(b, "shopee"));
  registry_unref(a);
  ASSERT(loaded("shopee.so"));
  ASSERT_STR_EQ(registry_find(b, "shopee")->name, "shopee");
  ASSERT(registry_ref(b) == b);
  registry_unref(b);
  ASSERT(loaded("shopee.so"));
  registry_unref(b);
  ASSERT(!loaded("shopee.so"));
  return 0;
}

/* The file is replaced while the old generation still runs: the new
 * generation has the new code (dlopen by path alone would have returned
 * the old object), the old one keeps the old code until it is released. */
TEST_IMPL(replaced_file_is_read_again_while_the_old_generation_runs) {
  struct registry *old, *cur, *next;
  const oc_connector *c;

  make_dir();
  install("shopee", "mp.so");
  old = registry_load(dir, NULL);
  c = registry_find(old, "shopee");
  ASSERT_NOT_NULL(c);
  install("lazada", "mp.so");
  cur = registry_load(dir, NULL);
  ASSERT_NULL(registry_find(cur, "shopee"));
  ASSERT_NOT_NULL(registry_find(cur, "lazada"));
  ASSERT_STR_EQ(c->name, "shopee");
  ASSERT(c->caps == registry_find(old, "shopee")->caps);
  registry_unref(old);
  /* Back again, while the lazada object is open under that path. */
  install("shopee", "mp.so");
  next = registry_load(dir, NULL);
  ASSERT_NOT_NULL(registry_find(next, "shopee"));
  ASSERT_STR_EQ(registry_find(cur, "lazada")->name, "lazada");
  registry_unref(cur);
  ASSERT_STR_EQ(registry_find(next, "shopee")->name, "shopee");
  registry_unref(next);
  ASSERT(!loaded("mp.so"));
  return 0;
}

TEST_IMPL(broken_and_duplicate_modules_are_left_out) {
  struct registry *reg;
  FILE *f;
  char path[512];
  int bad = 0;

  make_dir();
  install("shopee", "a.so");
  install("shopee", "b.so");
  snprintf(path, sizeof path, "%s/junk.so", dir);
  f = fopen(path, "w");
  ASSERT_NOT_NULL(f);
  fputs("not an object\n", f);
  fclose(f);
  reg = registry_load(dir, &bad);
  ASSERT_EQ(bad, 2);
  ASSERT_EQ(registry_count(reg), 1);
  ASSERT_NOT_NULL(registry_find(reg, "shopee"));
  registry_unref(reg);
  return 0;
}

/* A connector of this ABI exports the versioned entry and no other, and
 * its table says so. */
TEST_IMPL(connectors_export_the_abi6_entry) {
  struct registry *reg;
  char path[512];
  void *h;

  make_dir();
  install("shopee", "shopee.so");
  snprintf(path, sizeof path, "%s/shopee.so", dir);
  h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
  ASSERT_NOT_NULL(h);
  ASSERT_STR_EQ(OC_ENTRY_SYMBOL, "ocop_connector_abi6");
  ASSERT_NOT_NULL(dlsym(h, OC_ENTRY_SYMBOL));
  ASSERT_NULL(dlsym(h, "ocop_connector_abi5"));
  reg = registry_load(dir, NULL);
  ASSERT_EQ(registry_count(reg), 1);
  ASSERT_EQ(registry_at(reg, 0)->abi, OC_ABI_VERSION);
  ASSERT_EQ(OC_ABI_VERSION, 6);
  registry_unref(reg);
  dlclose(h);
  return 0;
}
