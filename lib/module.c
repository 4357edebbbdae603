/* module.c — see module.h. */
#include "module.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

/* Which version of a file: a replaced file (new inode) or one rewritten in
 * place (new size or mtime) is another version. */
struct file_id {
  dev_t dev;
  ino_t ino;
  off_t size;
  struct timespec mtime;
};

struct module {
  struct module *next; /* every open module */
  unsigned refs;
  char *path;
  struct file_id id;
  int alias_fd;        /* -1, or the descriptor the object was opened through */
  void *handle;
  const oc_connector *conn;
};

static struct module *open_modules;

static int same_file(const struct file_id *a, const struct file_id *b) {
  return a->dev == b->dev && a->ino == b->ino && a->size == b->size &&
         a->mtime.tv_sec == b->mtime.tv_sec && a->mtime.tv_nsec == b->mtime.tv_nsec;
}

static struct module *find_file(const struct file_id *id) {
  struct module *m;

  for (m = open_modules; m; m = m->next)
    if (same_file(&m->id, id))
      return m;
  return NULL;
}

static int path_in_use(const char *path) {
  struct module *m;

  for (m = open_modules; m; m = m->next)
    if (strcmp(m->path, path) == 0)
      return 1;
  return 0;
}

/* 1 when every capability the table claims has the functions that serve
 * it: the inline wrappers of connector.h check the capability bit, not the
 * pointer, so a claimed operation without its function would crash. */
static int functions_match_caps(const oc_connector *c) {
  int op;

  for (op = OC_OP_PUBLISH; op < OC_OP_MAX; op++) {
    if (!oc_supports(c, (oc_op)op))
      continue;
    if (oc_listing_op((oc_op)op) && (!c->build_listing || !c->parse_listing))
      return 0;
    if (op == OC_OP_AUTH_LINK && !c->build_token)
      return 0;
    if ((op == OC_OP_REFRESH_TOKEN || op == OC_OP_TOKEN_EXCHANGE) &&
        (!c->build_token || !c->parse_token))
      return 0;
    if (op == OC_OP_LIST_ORDERS && (!c->build_orders || !c->parse_order_page))
      return 0;
    if (op == OC_OP_GET_ORDERS && (!c->build_orders || !c->parse_order_batch))
      return 0;
    if (op == OC_OP_UPLOAD_IMAGE && (!c->build_upload || !c->parse_upload))
      return 0;
    if (op == OC_OP_CATEGORY && (!c->build_category || !c->parse_category))
      return 0;
  }
  return !(c->caps & OC_CAP_FEED) || c->feed != NULL;
}

/* The connector table of an open object, or NULL having logged why. */
static const oc_connector *entry_table(void *h, const char *path) {
  oc_entry_fn entry;
  const oc_connector *c;

  *(void **)&entry = dlsym(h, OC_ENTRY_SYMBOL);
  c = entry ? entry() : NULL;
  if (!c) {
    log_error("registry", "not a connector: no " OC_ENTRY_SYMBOL " table", "path=%s", path);
    return NULL;
  }
  if (c->abi != OC_ABI_VERSION || !c->name) {
    log_error("registry", "connector built for another ABI; rebuild it", "path=%s abi=%u want=%u",
              path, c->abi, OC_ABI_VERSION);
    return NULL;
  }
  if (!functions_match_caps(c)) {
    log_error("registry", "connector lacks a function for an operation it claims", "path=%s name=%s",
              path, c->name);
    return NULL;
  }
  return c;
}

/* Opens the object. While an older version of the same path is open,
 * dlopen(path) would return that one, so the new file is opened through
 * /proc/self/fd/N instead; fd stays open as long as the object is, so
 * that name cannot come to mean another file meanwhile. Otherwise fd is
 * closed and *alias_fd is -1. */
static void *open_object(const char *path, int fd, int *alias_fd) {
  char name[64];
  void *h;

  *alias_fd = -1;
  if (!path_in_use(path)) {
    close(fd);
    return dlopen(path, RTLD_NOW | RTLD_LOCAL);
  }
  snprintf(name, sizeof name, "/proc/self/fd/%d", fd);
  h = dlopen(name, RTLD_NOW | RTLD_LOCAL);
  if (h)
    *alias_fd = fd;
  else
    close(fd);
  return h;
}

/* Closes the object and frees m; m is not (or no longer) in the list. */
static void close_module(struct module *m) {
  if (m->handle)
    dlclose(m->handle);
  if (m->alias_fd >= 0)
    close(m->alias_fd);
  free(m->path);
  free(m);
}

static struct module *load(const char *path, const struct file_id *id, int fd) {
  struct module *m = calloc(1, sizeof *m);

  if (!m || !(m->path = strdup(path))) {
    free(m);
    close(fd);
    log_error("registry", "out of memory loading a connector", "path=%s", path);
    return NULL;
  }
  m->id = *id;
  m->handle = open_object(path, fd, &m->alias_fd);
  if (!m->handle)
    log_error("registry", "cannot load connector", "path=%s err=%s", path, dlerror());
  else
    m->conn = entry_table(m->handle, path);
  if (!m->conn) {
    close_module(m);
    return NULL;
  }
  m->refs = 1;
  m->next = open_modules;
  open_modules = m;
  log_info("registry", "connector loaded", "name=%s path=%s", m->conn->name, path);
  return m;
}

struct module *module_open(const char *path) {
  struct stat st;
  struct file_id id;
  struct module *m;
  int fd = open(path, O_RDONLY | O_CLOEXEC);

  if (fd < 0 || fstat(fd, &st) != 0) {
    log_error("registry", "cannot load connector", "path=%s err=%s", path, strerror(errno));
    if (fd >= 0)
      close(fd);
    return NULL;
  }
  memset(&id, 0, sizeof id);
  id.dev = st.st_dev;
  id.ino = st.st_ino;
  id.size = st.st_size;
  id.mtime = st.st_mtim;
  m = find_file(&id);
  if (m) { /* unchanged since it was loaded: nothing to read again */
    close(fd);
    m->refs++;
    return m;
  }
  return load(path, &id, fd);
}

const oc_connector *module_connector(const struct module *m) { return m->conn; }

void module_release(struct module *m) {
  struct module **pp;

  if (!m || --m->refs > 0)
    return;
  for (pp = &open_modules; *pp != m; pp = &(*pp)->next)
    ;
  *pp = m->next;
  close_module(m);
}
