/*
 * fuzz_config.c — lib/config.c, ocopd's configuration file, read strictly
 * (config_load: at start and on reload) and leniently (--check-config).
 * config.c reads a path, so the input is written to an in-memory file
 * first. Checks config.h's promises: a refused file leaves the settings as
 * they were and says why, each problem on a line that names the file.
 */
#include "fuzz.h"

#include <sys/mman.h>
#include <unistd.h>

#include "config.h"

/* The in-memory file every input is written to, made once. */
static int fz_file(char *path, size_t pathlen) {
  static int fd = -1;

  if (fd < 0)
    fd = memfd_create("ocopd.conf", 0);
  if (fd < 0)
    fz_fail("memfd_create");
  snprintf(path, pathlen, "/proc/self/fd/%d", fd);
  return fd;
}

static void fz_write(int fd, const uint8_t *data, size_t size) {
  if (ftruncate(fd, 0) != 0 || (size && pwrite(fd, data, size, 0) != (ssize_t)size))
    fz_fail("cannot write the in-memory file");
}

/* Every line of err names the file (the last one may be cut where err is
 * full: config.h lists problems "as far as errlen holds them"). */
static void fz_check_problems(const char *err, size_t errlen, const char *path) {
  const char *line = err;
  int full = strlen(err) + 1 == errlen;

  fz_assert(err[0] != '\0');
  while (line) {
    const char *next = strchr(line, '\n');

    if (next || !full)
      fz_assert(strncmp(line, path, strlen(path)) == 0 && line[strlen(path)] == ':');
    line = next ? next + 1 : NULL;
  }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  struct config cfg, lenient;
  char path[64], err[4096];
  int fd = fz_file(path, sizeof path);

  fz_write(fd, data, size);
  config_defaults(&cfg);
  if (config_load(&cfg, path, err, sizeof err) == 0) {
    fz_assert(cfg.database != NULL && cfg.database[0] != '\0');
    fz_assert(cfg.retry_base_ms <= cfg.retry_max_ms);
  } else {
    fz_check_problems(err, sizeof err, path);
    fz_assert(cfg.database != NULL && cfg.database[0] == '\0'); /* the default, kept */
  }
  config_defaults(&lenient);
  if (config_load_lenient(&lenient, path, err, sizeof err) > 0)
    fz_check_problems(err, sizeof err, path);
  config_free(&lenient);
  config_free(&cfg);
  return 0;
}
