/* secret.c — see secret.h. */
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* One secret: held by the cache (while cached) and by each call using it. */
struct secret {
  struct secret *next; /* in the cache */
  unsigned refs;
  char *name;
  char value[SECRET_MAX];
};

static secret_t *cache;

const char *secret_dir(const char *configured) {
  const char *env;

  if (configured && *configured)
    return configured;
  env = getenv("CREDENTIALS_DIRECTORY");
  return (env && *env) ? env : NULL;
}

int secret_dir_check(const char *dir, char *err, size_t errlen) {
  struct stat st;

  if (stat(dir, &st) != 0)
    snprintf(err, errlen, "%s: %s", dir, strerror(errno));
  else if (!S_ISDIR(st.st_mode))
    snprintf(err, errlen, "%s is not a folder", dir);
  else if (access(dir, R_OK | X_OK) != 0)
    snprintf(err, errlen, "%s: cannot read it as this user", dir);
  else
    return 0;
  return -1;
}

static int valid_name(const char *name) {
  if (!*name)
    return 0;
  for (; *name; name++)
    if (!((*name >= 'a' && *name <= 'z') || (*name >= '0' && *name <= '9') || *name == '-' ||
          *name == '_'))
      return 0;
  return 1;
}

/* The checks come from fstat on the opened file, so a swap between check
 * and read is not possible. */
int secret_read_file(const char *path, char *out, size_t outlen, char *err, size_t errlen) {
  struct stat st;
  ssize_t n;
  int fd, rc = -1;

  fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) {
    snprintf(err, errlen, "cannot open credential file %s: %s", path, strerror(errno));
    return -1;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    snprintf(err, errlen, "credential file %s is not a regular file", path);
    goto out;
  }
  if (st.st_mode & 077) {
    snprintf(err, errlen, "credential file %s may be read by group or others; chmod 600 it", path);
    goto out;
  }
  if (st.st_size <= 0 || (size_t)st.st_size >= outlen) {
    snprintf(err, errlen, "credential file %s is empty or longer than %zu bytes", path, outlen - 1);
    goto out;
  }
  n = read(fd, out, outlen - 1);
  if (n <= 0) {
    snprintf(err, errlen, "cannot read credential file %s", path);
    goto out;
  }
  while (n > 0 && (out[n - 1] == '\n' || out[n - 1] == '\r' || out[n - 1] == ' '))
    n--;
  out[n] = '\0';
  if (n == 0) {
    snprintf(err, errlen, "credential file %s is blank", path);
    goto out;
  }
  rc = 0;
out:
  close(fd);
  return rc;
}

static secret_t *cache_find(const char *name) {
  secret_t *c;

  for (c = cache; c; c = c->next)
    if (strcmp(c->name, name) == 0)
      return c;
  return NULL;
}

/* Reads <dir>/<name>.secret into a new secret held by the cache. */
static secret_t *load(const char *dir, const char *name, char *err, size_t errlen) {
  secret_t *c = calloc(1, sizeof *c);
  char path[4096];

  if (!c || !(c->name = strdup(name))) {
    free(c);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  snprintf(path, sizeof path, "%s/%s.secret", dir, name);
  if (secret_read_file(path, c->value, sizeof c->value, err, errlen) != 0) {
    explicit_bzero(c->value, sizeof c->value); /* a partial read is still secret */
    free(c->name);
    free(c);
    return NULL;
  }
  c->refs = 1; /* the cache's */
  c->next = cache;
  cache = c;
  return c;
}

secret_t *secret_acquire(const char *dir, const char *name, char *err, size_t errlen) {
  secret_t *c = cache_find(name);

  if (!c) {
    if (!dir) {
      snprintf(err, errlen, "no credentials directory: set credentials_dir or run under systemd "
                            "with LoadCredential=%s.secret:...", name);
      return NULL;
    }
    if (!valid_name(name)) {
      snprintf(err, errlen, "shop name \"%s\" cannot name a credential file", name);
      return NULL;
    }
    c = load(dir, name, err, errlen);
    if (!c)
      return NULL;
  }
  c->refs++;
  return c;
}

secret_t *secret_ref(secret_t *s) {
  if (s)
    s->refs++;
  return s;
}

const char *secret_value(const secret_t *s) { return s->value; }

void secret_release(secret_t *s) {
  if (!s || --s->refs > 0)
    return;
  explicit_bzero(s->value, sizeof s->value);
  free(s->name);
  free(s);
}

void secret_forget(void) {
  while (cache) {
    secret_t *c = cache;

    cache = c->next;
    c->next = NULL;
    secret_release(c);
  }
}
