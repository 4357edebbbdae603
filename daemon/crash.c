/* crash.c — see crash.h. Only async-signal-safe calls in the handler. */
#include "crash.h"

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct {
  int sig;
  const char *name;
} fatal[] = {{SIGSEGV, "SIGSEGV"}, {SIGBUS, "SIGBUS"}, {SIGFPE, "SIGFPE"},
             {SIGILL, "SIGILL"},   {SIGABRT, "SIGABRT"}};

#define NFATAL (sizeof fatal / sizeof fatal[0])

static struct sigaction previous[NFATAL];

/* A stack overflow leaves no stack to run the handler on. */
static char alt_stack[64 * 1024];

static void put(char *buf, size_t *pos, size_t size, const char *s) {
  while (*s && *pos < size)
    buf[(*pos)++] = *s++;
}

/* v as exactly width digits. */
static void put_digits(char *buf, size_t *pos, size_t size, long v, int width) {
  char d[12];
  int i;

  for (i = width - 1; i >= 0; i--, v /= 10)
    d[i] = (char)('0' + v % 10);
  d[width] = '\0';
  put(buf, pos, size, d);
}

/* ts= as lib/log.c writes it, by arithmetic alone (gmtime_r is not
 * async-signal-safe): days since 1970 to a civil date. */
static void put_ts(char *buf, size_t *pos, size_t size) {
  struct timespec now;
  long days, rem, era, doe, yoe, doy, mp, y, m, d;

  clock_gettime(CLOCK_REALTIME, &now);
  days = (long)(now.tv_sec / 86400);
  rem = (long)(now.tv_sec % 86400);
  days += 719468;
  era = days / 146097;
  doe = days - era * 146097;
  yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y = yoe + era * 400 + (m <= 2);
  put(buf, pos, size, "ts=");
  put_digits(buf, pos, size, y, 4);
  put(buf, pos, size, "-");
  put_digits(buf, pos, size, m, 2);
  put(buf, pos, size, "-");
  put_digits(buf, pos, size, d, 2);
  put(buf, pos, size, "T");
  put_digits(buf, pos, size, rem / 3600, 2);
  put(buf, pos, size, ":");
  put_digits(buf, pos, size, rem / 60 % 60, 2);
  put(buf, pos, size, ":");
  put_digits(buf, pos, size, rem % 60, 2);
  put(buf, pos, size, ".");
  put_digits(buf, pos, size, now.tv_nsec / 1000000, 3);
  put(buf, pos, size, "Z ");
}

static void on_fatal(int sig, siginfo_t *info, void *context) {
  char line[256];
  size_t i, pos = 0;
  ssize_t written;
  int saved = errno;

  (void)context;
  for (i = 0; i < NFATAL - 1 && fatal[i].sig != sig; i++)
    ;
  put_ts(line, &pos, sizeof line - 1);
  put(line, &pos, sizeof line - 1,
      "level=error comp=main msg=\"crashed; jobs in flight are redone at the restart\" signal=");
  put(line, &pos, sizeof line - 1, fatal[i].name);
  line[pos++] = '\n';
  written = write(STDERR_FILENO, line, pos);
  (void)written; /* nothing better to do on a crash */
  /* The signal goes where it went before ocopd took it. A fault returns
   * to the faulting instruction, which faults again; a signal sent by
   * kill(2) or abort(3) is sent again, delivered once this returns. */
  sigaction(sig, &previous[i], NULL);
  if (info->si_code <= 0)
    raise(sig);
  errno = saved;
}

void crash_install(void) {
  struct sigaction sa;
  stack_t ss;
  size_t i;

  /* A sanitizer may have set a stack of its own already. */
  if (sigaltstack(NULL, &ss) == 0 && (ss.ss_flags & SS_DISABLE)) {
    ss.ss_sp = alt_stack;
    ss.ss_size = sizeof alt_stack;
    ss.ss_flags = 0;
    sigaltstack(&ss, NULL);
  }
  memset(&sa, 0, sizeof sa);
  sa.sa_sigaction = on_fatal;
  sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND;
  sigemptyset(&sa.sa_mask);
  for (i = 0; i < NFATAL; i++)
    sigaction(fatal[i].sig, &sa, &previous[i]);
}
