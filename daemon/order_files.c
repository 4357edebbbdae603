/* order_files.c — see order_files.h. */
#include "order_files.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"
#include "order_csv.h"

static int is_csv(const char *name) {
  size_t n = strlen(name);

  return name[0] != '.' && n > 4 && strcmp(name + n - 4, ".csv") == 0;
}

int order_files_next(const char *dir, char *path, size_t pathlen) {
  DIR *d = opendir(dir);
  struct dirent *e;
  char best[256] = "";

  if (!d) {
    log_warn("orders", "cannot read the order folder", "dir=%s err=%s", dir, strerror(errno));
    return -1;
  }
  while ((e = readdir(d)) != NULL) {
    if (e->d_type != DT_REG && e->d_type != DT_UNKNOWN)
      continue;
    if (is_csv(e->d_name) && strlen(e->d_name) < sizeof best &&
        (best[0] == '\0' || strcmp(e->d_name, best) < 0))
      snprintf(best, sizeof best, "%s", e->d_name);
  }
  closedir(d);
  if (best[0] == '\0')
    return 0;
  return snprintf(path, pathlen, "%s/%s", dir, best) < (int)pathlen ? 1 : -1;
}

int order_files_read(const char *path, char **json, char **errors) {
  ocsv_errors errs;
  size_t n, i, len = 0;
  char *text;

  memset(&errs, 0, sizeof errs);
  *json = NULL;
  *errors = NULL;
  if (ocsv_parse_file(path, json, &n, &errs) == 0)
    return 0;
  for (i = 0; i < errs.nlines; i++)
    len += strlen(errs.lines[i]) + 1;
  text = malloc(len + 1);
  if (text) {
    text[0] = '\0';
    for (i = 0, len = 0; i < errs.nlines; i++)
      len += (size_t)sprintf(text + len, "%s\n", errs.lines[i]);
  }
  *errors = text;
  ocsv_errors_free(&errs);
  return -1;
}

/* Writes the reason next to the rejected file, then syncs it. */
static void write_reason(const char *file, const char *reason) {
  char path[1200];
  int fd;

  snprintf(path, sizeof path, "%s.reason", file);
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0640);
  if (fd < 0 || write(fd, reason, strlen(reason)) < 0 || fsync(fd) != 0)
    log_warn("orders", "cannot write the rejection reason", "file=%s err=%s", path,
             strerror(errno));
  if (fd >= 0)
    close(fd);
}

void order_files_done(const char *path, const char *reason) {
  const char *slash = strrchr(path, '/');
  char dir[1024], to[1200];
  size_t dlen = slash ? (size_t)(slash - path) : 0;

  if (dlen >= sizeof dir)
    return;
  memcpy(dir, path, dlen);
  dir[dlen] = '\0';
  snprintf(to, sizeof to, "%s/%s", dlen ? dir : ".", reason ? "rejected" : "done");
  if (mkdir(to, 0750) != 0 && errno != EEXIST) {
    log_error("orders", "cannot make the folder for handled order files", "dir=%s err=%s", to,
              strerror(errno));
    return;
  }
  snprintf(to + strlen(to), sizeof to - strlen(to), "/%s", slash ? slash + 1 : path);
  if (reason)
    write_reason(to, reason);
  if (rename(path, to) != 0)
    log_error("orders", "cannot move a handled order file", "file=%s to=%s err=%s", path, to,
              strerror(errno));
}
