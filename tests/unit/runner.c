/* runner.c — see runner.h. One file on purpose: every test program links
 * tests/unit/runner.c alone (tests/local.mk, and connectors/local.mk with
 * the files it includes). */
#include "runner.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <signal.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define DEFAULT_TIMEOUT_S 60
/* A test that outlives its own alarm (it blocked SIGALRM) is killed by the
 * runner this much later. */
#define GRACE_S 10
#define MAX_JOBS 64

/* A test running in a child. */
struct job {
  const struct test_entry *t;
  pid_t pid;          /* 0: the slot is free */
  int reason_fd;      /* read end of the skip-reason pipe */
  int out_fd;         /* the child's stdout and stderr: an unlinked file */
  char scratch[256];  /* its test_tmpdir() */
  double started;     /* monotonic seconds */
  int killed;         /* the runner killed it at its deadline */
};

struct tally {
  int done, passed, failed, skipped;
};

static int skip_fd = -1;   /* in a test's child: where test_skip_reason writes */
static char scratch[256];  /* test_tmpdir(); "" until made */
static struct job jobs[MAX_JOBS];
static int njobs;
static sigset_t old_mask;  /* the mask children run with */

static double now_s(void) {
  struct timespec ts;

  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static const char *tmp_base(void) {
  const char *t = getenv("TMPDIR");

  return t && *t ? t : "/tmp";
}

/* Makes a fresh scratch directory in buf; 0, or -1 with errno set. */
static int scratch_make(char *buf, size_t len) {
  snprintf(buf, len, "%s/ocop-test-XXXXXX", tmp_base());
  if (!mkdtemp(buf)) {
    buf[0] = '\0';
    return -1;
  }
  /* 0755, like the folders tests/itest/harness.c makes inside it: as root,
   * scripts/pgtmp runs the cluster as another user (postgres). */
  chmod(buf, 0755);
  return 0;
}

const char *test_tmpdir(void) {
  if (!scratch[0] && scratch_make(scratch, sizeof scratch) != 0) {
    fprintf(stderr, "runner: cannot make a directory under %s: %s\n", tmp_base(),
            strerror(errno));
    abort();
  }
  return scratch;
}

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw) {
  return remove(path);
}

/* Removes a test's scratch directory when it passed or skipped; keeps it
 * otherwise, saying where, so that a failure can be looked into. */
static void scratch_done(struct job *j, int result) {
  if (!j->scratch[0])
    return;
  if (result != TEST_OK && result != TEST_SKIP)
    printf("# %s: its files are kept in %s\n", j->t->name, j->scratch);
  else if (nftw(j->scratch, remove_entry, 16, FTW_DEPTH | FTW_PHYS) != 0)
    printf("# %s: cannot remove %s: %s\n", j->t->name, j->scratch, strerror(errno));
  j->scratch[0] = '\0';
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

static unsigned timeout_of(const struct test_entry *t) {
  return t->timeout_s ? t->timeout_s : DEFAULT_TIMEOUT_S;
}

/* ---- one test in its child ------------------------------------------------ */

/* In the child: runs the test and exits with its result. */
static void child_run(struct job *j, int skip_write) {
  int i;

  /* Its own process group, so whatever it started dies with it. */
  setpgid(0, 0);
  /* Nothing of the other tests running beside it. */
  for (i = 0; i < njobs; i++)
    if (jobs[i].pid > 0) {
      close(jobs[i].reason_fd);
      close(jobs[i].out_fd);
    }
  close(j->reason_fd);
  skip_fd = skip_write;
  snprintf(scratch, sizeof scratch, "%s", j->scratch);
  /* Test output goes to its own file; stdout of the runner is the TAP
   * stream. */
  dup2(j->out_fd, STDOUT_FILENO);
  dup2(j->out_fd, STDERR_FILENO);
  close(j->out_fd);
  sigprocmask(SIG_SETMASK, &old_mask, NULL);
  alarm(timeout_of(j->t));
  exit(j->t->fn()); /* exit, not _exit: LeakSanitizer checks at exit */
}

/* An unlinked file for the child's output; -1 on failure. */
static int output_file(void) {
  char path[256];
  int fd;

  snprintf(path, sizeof path, "%s/ocop-test-out-XXXXXX", tmp_base());
  fd = mkostemp(path, O_CLOEXEC);
  if (fd >= 0)
    unlink(path);
  return fd;
}

/* Starts t in the free slot j; 0, or -1 with the reason in `reason`. */
static int job_start(struct job *j, const struct test_entry *t, char *reason, size_t len) {
  int pipefd[2];

  memset(j, 0, sizeof *j);
  j->t = t;
  j->reason_fd = j->out_fd = -1;
  if (scratch_make(j->scratch, sizeof j->scratch) != 0) {
    snprintf(reason, len, "cannot make a directory under %s: %s", tmp_base(), strerror(errno));
    return -1;
  }
  j->out_fd = output_file();
  /* Close-on-exec: a server a test starts must not hold the pipe open. */
  if (j->out_fd < 0 || pipe2(pipefd, O_CLOEXEC) != 0) {
    snprintf(reason, len, "cannot start: %s", strerror(errno));
    if (j->out_fd >= 0)
      close(j->out_fd);
    return -1;
  }
  j->reason_fd = pipefd[0];
  fflush(stdout);
  fflush(stderr);
  j->pid = fork();
  if (j->pid == 0)
    child_run(j, pipefd[1]);
  close(pipefd[1]);
  if (j->pid < 0) {
    snprintf(reason, len, "cannot fork: %s", strerror(errno));
    close(j->reason_fd);
    close(j->out_fd);
    j->pid = 0;
    return -1;
  }
  setpgid(j->pid, j->pid); /* also here: killing the group must not race */
  j->started = now_s();
  return 0;
}

/* Copies what the test wrote to stdout, whole, as TAP comments ("# " before
 * each line): tests that end together do not interleave, and no line of
 * theirs can read as a result. */
static void job_output(struct job *j) {
  char buf[8192];
  ssize_t n, i;
  int bol = 1, any = 0;

  if (lseek(j->out_fd, 0, SEEK_SET) != 0)
    return;
  while ((n = read(j->out_fd, buf, sizeof buf)) > 0) {
    if (!any)
      printf("# ---- %s ----\n", j->t->name);
    any = 1;
    for (i = 0; i < n; i++) {
      if (bol)
        fputs("# ", stdout);
      putchar(buf[i]);
      bol = buf[i] == '\n';
    }
  }
  if (any)
    printf("%s# ---- end of %s ----\n", bol ? "" : "\n", j->t->name);
}

/* TEST_OK, TEST_SKIP or 1 (failed) from the child's wait status. */
static int job_verdict(struct job *j, int status, char *reason, size_t len) {
  ssize_t n;

  fcntl(j->reason_fd, F_SETFL, O_NONBLOCK); /* a grandchild may hold it open */
  n = read(j->reason_fd, reason, len - 1);
  reason[n > 0 ? n : 0] = '\0';
  if (WIFEXITED(status) && WEXITSTATUS(status) == TEST_SKIP)
    return TEST_SKIP;
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
    return TEST_OK;
  if (j->killed)
    snprintf(reason, len, "timeout: killed by the runner %u s after its start",
             timeout_of(j->t) + GRACE_S);
  else if (WIFSIGNALED(status))
    snprintf(reason, len, "killed by signal %d%s", WTERMSIG(status),
             WTERMSIG(status) == SIGALRM ? " (timeout)" : "");
  else
    snprintf(reason, len, "exit status %d", WEXITSTATUS(status));
  return 1;
}

/* ---- TAP ------------------------------------------------------------------ */

static void report(struct tally *tally, const char *name, int r, const char *reason) {
  int n = ++tally->done;

  if (r == TEST_OK) {
    printf("ok %d - %s\n", n, name);
    tally->passed++;
  } else if (r == TEST_SKIP) {
    printf("ok %d - %s # SKIP %s\n", n, name, reason);
    tally->skipped++;
  } else {
    printf("not ok %d - %s # %s\n", n, name, reason);
    tally->failed++;
  }
  fflush(stdout);
}

/* The child of slot j ended with `status`: reports it and frees the slot. */
static void job_finish(struct job *j, int status, struct tally *tally) {
  char reason[256];
  int r;

  /* A failed test may leave a simulator or a daemon behind. */
  kill(-j->pid, SIGKILL);
  r = job_verdict(j, status, reason, sizeof reason);
  job_output(j);
  printf("# %s: %.1f s\n", j->t->name, now_s() - j->started);
  scratch_done(j, r);
  report(tally, j->t->name, r, reason);
  close(j->reason_fd);
  close(j->out_fd);
  j->pid = 0;
}

/* ---- the pool ------------------------------------------------------------- */

/* Reaps every child that ended; returns how many. */
static int reap(struct tally *tally) {
  int status, i, n = 0;
  pid_t pid;

  while ((pid = waitpid(-1, &status, WNOHANG)) > 0)
    for (i = 0; i < njobs; i++)
      if (jobs[i].pid == pid) {
        job_finish(&jobs[i], status, tally);
        n++;
      }
  return n;
}

/* Kills the children past their deadline; returns seconds to the next. */
static double enforce_deadlines(void) {
  double t = now_s(), next = 1.0;
  int i;

  for (i = 0; i < njobs; i++) {
    double left;

    if (jobs[i].pid <= 0 || jobs[i].killed)
      continue;
    left = jobs[i].started + timeout_of(jobs[i].t) + GRACE_S - t;
    if (left <= 0) {
      kill(-jobs[i].pid, SIGKILL);
      kill(jobs[i].pid, SIGKILL);
      jobs[i].killed = 1;
    } else if (left < next) {
      next = left;
    }
  }
  return next;
}

/* Kills every running test (the runner was told to stop). */
static void kill_all(void) {
  int i;

  for (i = 0; i < njobs; i++)
    if (jobs[i].pid > 0) {
      kill(-jobs[i].pid, SIGKILL);
      kill(jobs[i].pid, SIGKILL);
      waitpid(jobs[i].pid, NULL, 0);
      if (jobs[i].scratch[0])
        printf("# %s: interrupted; its files are kept in %s\n", jobs[i].t->name, jobs[i].scratch);
    }
}

/* Waits for a child to end or a deadline; -1 when told to stop. */
static int wait_event(const sigset_t *set, double seconds) {
  struct timespec ts;
  int sig;

  ts.tv_sec = (time_t)seconds;
  ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
  sig = sigtimedwait(set, NULL, &ts);
  if (sig == SIGINT || sig == SIGTERM || sig == SIGHUP) {
    kill_all();
    printf("Bail out! the runner got signal %d\n", sig);
    fflush(stdout);
    return -1;
  }
  return 0;
}

/* How many tests run; *alone is set when one of them must run alone. */
static int running(int *alone) {
  int i, n = 0;

  *alone = 0;
  for (i = 0; i < njobs; i++)
    if (jobs[i].pid > 0) {
      n++;
      *alone |= jobs[i].t->alone;
    }
  return n;
}

/* Whether order[next] may start now: a test that runs alone waits for
 * the others to end, and nothing starts beside it. */
static int may_start(const struct test_entry *t) {
  int alone, n = running(&alone);

  return !alone && (!t->alone || n == 0);
}

/* Runs order[0..n) with up to `width` at once. 0, or -1 when stopped. */
static int run_pool(const struct test_entry **order, int n, int width, struct tally *tally) {
  sigset_t set;
  int next = 0, i;

  sigemptyset(&set);
  sigaddset(&set, SIGCHLD);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGHUP);
  sigprocmask(SIG_BLOCK, &set, &old_mask);
  njobs = width;
  for (;;) {
    int alone;

    for (i = 0; i < njobs && next < n && may_start(order[next]); i++)
      if (jobs[i].pid == 0) {
        char reason[256];

        if (job_start(&jobs[i], order[next], reason, sizeof reason) != 0) {
          scratch_done(&jobs[i], 1);
          report(tally, order[next]->name, 1, reason);
        }
        next++;
      }
    if (running(&alone) == 0 && next >= n)
      break;
    if (reap(tally) == 0 && wait_event(&set, enforce_deadlines()) != 0)
      return -1;
  }
  sigprocmask(SIG_SETMASK, &old_mask, NULL);
  return 0;
}

/* ---- options -------------------------------------------------------------- */

static int default_jobs(void) {
  const char *env = getenv("OCOP_TEST_JOBS");
  long n = env && *env ? strtol(env, NULL, 10) : sysconf(_SC_NPROCESSORS_ONLN);

  return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (int)n;
}

static const struct test_entry *find(const struct test_entry *tests, const char *name) {
  for (; tests->name; tests++)
    if (strcmp(tests->name, name) == 0)
      return tests;
  return NULL;
}

static int usage(const char *prog, const char *why) {
  fprintf(stderr, "%s: %s\nusage: %s [-j N] [-l] [test-name...]\n", prog, why, prog);
  return 2;
}

/* Whether t goes before u: the tests that run alone last, then the
 * longest timeouts first. */
static int before(const struct test_entry *t, const struct test_entry *u) {
  if (t->alone != u->alone)
    return !t->alone;
  return timeout_of(t) > timeout_of(u);
}

/* Fills order with the tests to run, in the order of before() (the list's
 * order among equals); returns how many, or -1 after a usage error. */
static int plan(const struct test_entry *tests, int argc, char **argv, int first,
                const struct test_entry **order) {
  int n = 0, i, k;

  if (first >= argc)
    for (; tests[n].name; n++)
      order[n] = &tests[n];
  for (i = first; i < argc; i++) {
    order[n] = find(tests, argv[i]);
    if (!order[n]) {
      fprintf(stderr, "%s: no test named \"%s\"; -l lists them\n", argv[0], argv[i]);
      return -1;
    }
    n++;
  }
  for (i = 1; i < n; i++) /* insertion sort: stable */
    for (k = i; k > 0 && before(order[k], order[k - 1]); k--) {
      const struct test_entry *t = order[k];

      order[k] = order[k - 1];
      order[k - 1] = t;
    }
  return n;
}

int run_tests(const struct test_entry *tests, int argc, char **argv) {
  const struct test_entry **order, *t;
  struct tally tally = {0, 0, 0, 0};
  int width = default_jobs(), first = 1, n, stopped;

  for (; first < argc && argv[first][0] == '-'; first++) {
    if (strcmp(argv[first], "-l") == 0) {
      for (t = tests; t->name; t++)
        printf("%s\n", t->name);
      return 0;
    }
    if (strncmp(argv[first], "-j", 2) != 0)
      return usage(argv[0], "unknown option");
    width = atoi(argv[first][2] ? argv[first] + 2 : first + 1 < argc ? argv[++first] : "0");
    if (width < 1 || width > MAX_JOBS)
      return usage(argv[0], "-j wants a number from 1 to 64");
  }
  for (n = 0; tests[n].name; n++)
    ;
  order = calloc((size_t)(n + argc + 1), sizeof *order);
  if (!order)
    return 1;
  n = plan(tests, argc, argv, first, order);
  if (n < 0) {
    free(order);
    return 2;
  }
  printf("1..%d\n", n);
  fflush(stdout);
  stopped = run_pool(order, n, width < n ? width : n > 0 ? n : 1, &tally);
  free(order);
  printf("# %d passed, %d failed, %d skipped\n", tally.passed, tally.failed, tally.skipped);
  return stopped || tally.failed ? 1 : 0;
}
