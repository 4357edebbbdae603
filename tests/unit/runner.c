/* runner.c — see runner.h. */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_S 60

static int skip_fd = -1;
static char scratch[256]; /* test_tmpdir(); "" until made */

static const char *tmp_base(void) {
  const char *t = getenv("TMPDIR");

  return t && *t ? t : "/tmp";
}

/* Makes a fresh scratch directory; 0, or -1 with errno set. */
static int scratch_make(void) {
  snprintf(scratch, sizeof scratch, "%s/ocop-test-XXXXXX", tmp_base());
  if (!mkdtemp(scratch)) {
    scratch[0] = '\0';
    return -1;
  }
  /* 0755, like the folders tests/itest/harness.c makes inside it: as root,
   * scripts/pgtmp runs the cluster as another user (postgres). */
  chmod(scratch, 0755);
  return 0;
}

const char *test_tmpdir(void) {
  if (!scratch[0] && scratch_make() != 0) {
    fprintf(stderr, "runner: cannot make a directory under %s: %s\n", tmp_base(),
            strerror(errno));
    abort();
  }
  return scratch;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  return remove(path);
}

/* Removes the scratch directory when the test passed or skipped; keeps it
 * otherwise, saying where, so that a failure can be looked into. */
static void scratch_done(const char *name, int result) {
  if (!scratch[0])
    return;
  if (result != TEST_OK && result != TEST_SKIP)
    printf("# %s: its files are kept in %s\n", name, scratch);
  else if (nftw(scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
    printf("# %s: cannot remove %s: %s\n", name, scratch, strerror(errno));
  scratch[0] = '\0';
}

void test_skip_reason(const char *fmt, ...) {
  char buf[256];
  va_list ap;
  int n;

  if (skip_fd < 0)
    return;
  va_start(ap, fmt);
  n = vsnprintf(buf, sizeof buf, fmt, ap);
  va_end(ap);
  if (n > 0)
    (void)!write(skip_fd, buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
}

static int selected(const char *name, int argc, char **argv) {
  int i;

  if (argc < 2)
    return 1;
  for (i = 1; i < argc; i++)
    if (strcmp(argv[i], name) == 0)
      return 1;
  return 0;
}

/* Runs one test in a child; returns TEST_OK, TEST_SKIP or 1 (failed). */
static int run_one(const struct test_entry *t, char *reason, size_t reason_len) {
  int pipefd[2];
  pid_t pid;
  int status;
  ssize_t n;

  reason[0] = '\0';
  if (scratch_make() != 0) {
    snprintf(reason, reason_len, "cannot make a directory under %s: %s", tmp_base(),
             strerror(errno));
    return 1;
  }
  /* Close-on-exec: a server a test starts must not hold the pipe open. */
  if (pipe2(pipefd, O_CLOEXEC) != 0)
    return 1;
  fflush(stdout);
  fflush(stderr);
  pid = fork();
  if (pid < 0)
    return 1;
  if (pid == 0) {
    /* Its own process group, so whatever it started dies with it. */
    setpgid(0, 0);
    close(pipefd[0]);
    skip_fd = pipefd[1];
    /* Test output goes to stderr; stdout is the TAP stream. */
    dup2(STDERR_FILENO, STDOUT_FILENO);
    alarm(t->timeout_s ? t->timeout_s : DEFAULT_TIMEOUT_S);
    exit(t->fn()); /* exit, not _exit: LeakSanitizer checks at exit */
  }
  close(pipefd[1]);
  n = read(pipefd[0], reason, reason_len - 1);
  reason[n > 0 ? n : 0] = '\0';
  close(pipefd[0]);
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
    ;
  /* A failed test may leave a simulator or a daemon behind. */
  kill(-pid, SIGKILL);
  if (WIFEXITED(status) && WEXITSTATUS(status) == TEST_SKIP)
    return TEST_SKIP;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return TEST_OK;
  if (WIFSIGNALED(status))
    snprintf(reason, reason_len, "killed by signal %d%s", WTERMSIG(status),
             WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
  else
    snprintf(reason, reason_len, "exit status %d", WEXITSTATUS(status));
  return 1;
}

int run_tests(const struct test_entry *tests, int argc, char **argv) {
  const struct test_entry *t;
  int total = 0, passed = 0, failed = 0, skipped = 0, n = 0;
  char reason[256];

  for (t = tests; t->name; t++)
    if (selected(t->name, argc, argv))
      total++;
  printf("1..%d\n", total);
  for (t = tests; t->name; t++) {
    int r;

    if (!selected(t->name, argc, argv))
      continue;
    n++;
    r = run_one(t, reason, sizeof reason);
    if (r == TEST_OK) {
      printf("ok %d - %s\n", n, t->name);
      passed++;
    } else if (r == TEST_SKIP) {
      printf("ok %d - %s # SKIP %s\n", n, t->name, reason);
      skipped++;
    } else {
      printf("not ok %d - %s # %s\n", n, t->name, reason);
      failed++;
    }
    scratch_done(t->name, r);
    fflush(stdout);
  }
  printf("# %d passed, %d failed, %d skipped\n", passed, failed, skipped);
  return failed ? 1 : 0;
}
