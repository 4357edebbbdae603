/* secret.c — see secret.h. */
#include "secret.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

struct cached {
  struct cached *next;
  char *name;
  char value[SECRET_MAX];
};

static struct cached *cache;

const char *secret_dir(const char *configured) {
  const char *env;

  if (configured && *configured)
    return configured;
  env = getenv("CREDENTIALS_DIRECTORY");
  return (env && *env) ? env : NULL;
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

/* Reads the file into out; the checks come from fstat on the opened file, so
 * a swap between check and read is not possible. */
static int read_file(const char *path, char *out, size_t outlen, char *err, size_t errlen) {
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

const char *secret_get(const char *dir, const char *name, char *err, size_t errlen) {
  struct cached *c;
  char path[4096];

  for (c = cache; c; c = c->next)
    if (strcmp(c->name, name) == 0)
      return c->value;
  if (!dir) {
    snprintf(err, errlen, "no credentials directory: set credentials_dir or run under systemd "
                          "with LoadCredential=%s.secret:...", name);
    return NULL;
  }
  if (!valid_name(name)) {
    snprintf(err, errlen, "shop name \"%s\" cannot name a credential file", name);
    return NULL;
  }
  c = calloc(1, sizeof *c);
  if (!c || !(c->name = strdup(name))) {
    free(c);
    snprintf(err, errlen, "out of memory");
    return NULL;
  }
  snprintf(path, sizeof path, "%s/%s.secret", dir, name);
  if (read_file(path, c->value, sizeof c->value, err, errlen) != 0) {
    free(c->name);
    free(c);
    return NULL;
  }
  c->next = cache;
  cache = c;
  return c->value;
}

void secret_forget(void) {
  while (cache) {
    struct cached *next = cache->next;

    explicit_bzero(cache->value, sizeof cache->value);
    free(cache->name);
    free(cache);
    cache = next;
  }
}
