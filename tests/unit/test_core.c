/* test_core.c — logging, configuration, backoff and the secret store. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backoff.h"
#include "clock.h"
#include "config.h"
#include "jsondepth.h"
#include "log.h"
#include "ratelimit.h"
#include "runner.h"
#include "secret.h"

static char tmpdir[256];

/* The runner's directory for this test: fresh, and removed when it passes. */
static void make_tmpdir(void) {
  snprintf(tmpdir, sizeof tmpdir, "%s", test_tmpdir());
}

static const char *write_file(const char *name, const char *text, mode_t mode) {
  static char path[512];
  FILE *f;

  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  f = fopen(path, "w");
  ASSERT_NOT_NULL(f);
  fputs(text, f);
  fclose(f);
  ASSERT_EQ(chmod(path, mode), 0);
  return path;
}

static size_t fmt(char *buf, size_t n, const char *f, ...) {
  va_list ap;
  size_t r;

  va_start(ap, f);
  r = log_format_kv(buf, n, f, ap);
  va_end(ap);
  return r;
}

TEST_IMPL(log_quotes_values_that_need_it) {
  char buf[256];

  fmt(buf, sizeof buf, "a=%s b=%s c=%d", "plain", "two words", 42);
  ASSERT_STR_EQ(buf, "a=plain b=\"two words\" c=42");
  fmt(buf, sizeof buf, "e=%s", "");
  ASSERT_STR_EQ(buf, "e=\"\"");
  return 0;
}

TEST_IMPL(log_value_cannot_forge_a_field_or_line) {
  char buf[256];

  fmt(buf, sizeof buf, "err=%s", "x\" level=error\nts=0 \x01");
  ASSERT_STR_EQ(buf, "err=\"x\\\" level=error\\nts=0 \\x01\"");
  ASSERT_NULL(strchr(buf, '\n'));
  return 0;
}

TEST_IMPL(log_numbers_of_every_width) {
  char buf[256];

  fmt(buf, sizeof buf, "a=%lld b=%llu c=%zu d=%ld e=%.1f f=%u%%", -5LL, 18446744073709551615ULL,
      (size_t)7, -9L, 2.25, 3u);
  ASSERT_STR_EQ(buf, "a=-5 b=18446744073709551615 c=7 d=-9 e=2.2 f=3%");
  return 0;
}

TEST_IMPL(log_truncates_safely) {
  char buf[8];
  size_t n = fmt(buf, sizeof buf, "k=%s", "abcdefghijkl");

  ASSERT_EQ(n, 14);
  ASSERT_EQ(strlen(buf), 7);
  return 0;
}

TEST_IMPL(log_line_is_logfmt) {
  char line[512];
  FILE *f = tmpfile();

  ASSERT_NOT_NULL(f);
  log_set_stream(f);
  log_set_level(LOG_INFO);
  log_write(LOG_DEBUG, "t", "hidden", "");
  log_write(LOG_WARN, "outbox", "job \"failed\"", "job=%d", 7);
  log_set_stream(NULL);
  rewind(f);
  ASSERT_NOT_NULL(fgets(line, sizeof line, f));
  ASSERT(strncmp(line, "ts=", 3) == 0);
  ASSERT_NOT_NULL(strstr(line, " level=warn comp=outbox msg=\"job 'failed'\" job=7\n"));
  ASSERT_NULL(fgets(line, sizeof line, f));
  fclose(f);
  return 0;
}

TEST_IMPL(config_defaults_and_values) {
  struct config c;
  char err[256];
  const char *p;

  make_tmpdir();
  p = write_file("a.conf",
                 "; comment\n[ocopd]\ndatabase = host=/tmp dbname=x\njob_lease = 2s\n"
                 "retry_base = 250ms\nconcurrency = 5\nlog_level = debug\n",
                 0644);
  config_defaults(&c);
  ASSERT_EQ(c.job_lease_ms, 60000);
  ASSERT_EQ(config_load(&c, p, err, sizeof err), 0);
  ASSERT_STR_EQ(c.database, "host=/tmp dbname=x");
  ASSERT_EQ(c.job_lease_ms, 2000);
  ASSERT_EQ(c.retry_base_ms, 250);
  ASSERT_EQ(c.concurrency, 5);
  ASSERT_EQ(c.log_level, LOG_DEBUG);
  ASSERT_EQ(c.sweep_interval_ms, 60000);
  ASSERT_STR_EQ(c.expiry_warnings, "{210,180,135,120,60,30,7,1}");
  config_free(&c);
  return 0;
}

/* Each bad file gives "path:line: what"; the running config is untouched. */
static void expect_error(const char *text, const char *want_suffix) {
  struct config c;
  char err[512], want[512];
  const char *p = write_file("bad.conf", text, 0644);

  config_defaults(&c);
  ASSERT_EQ(config_load(&c, p, err, sizeof err), -1);
  snprintf(want, sizeof want, "%s%s", p, want_suffix);
  ASSERT_STR_EQ(err, want);
  ASSERT_EQ(c.job_lease_ms, 60000);
  config_free(&c);
}

TEST_IMPL(config_errors_name_file_and_line) {
  make_tmpdir();
  expect_error("[ocopd]\ndatabase = x\n\njob_lease = soon\n",
               ":4: job_lease: \"soon\" is not a duration (e.g. 250ms, 30s, 5m)");
  expect_error("[ocopd]\ndatabase = x\nconcurency = 3\n", ":3: unknown option \"concurency\"");
  expect_error("[ocopd]\ndatabase = x\nconcurrency = 0\n", ":3: concurrency: 0 is outside 1..1024");
  expect_error("[other]\nlog_level = info\n[ocopd]\ndatabase = x\n",
               ":2: unknown section [other] (options go in [ocopd])");
  expect_error("[ocopd]\nthis is not ini\ndatabase = x\n",
               ":2: not an INI line (expected key = value or [section])");
  expect_error("[ocopd]\nlog_level = loud\ndatabase = x\n",
               ":2: log_level: \"loud\" is not one of debug, info, warn, error");
  expect_error("[ocopd]\njob_lease = 5s\n", ": database: required (a libpq connection string)");
  expect_error("[ocopd]\ndatabase = x\nexpiry_warnings = 180,soon\n",
               ":3: expiry_warnings: \"180,soon\" is not a list of days (e.g. 180,120,30), each 0..3650");
  return 0;
}

/* --check-config shows every problem at once: each on its line, in file
 * order, the file-wide ones last. */
TEST_IMPL(config_reports_every_problem) {
  struct config c;
  char err[1024], want[1024];
  const char *p;

  make_tmpdir();
  p = write_file("bad.conf",
                 "[ocopd]\nwebhook_listen = nonsense\nconcurency = 3\nadmin_listen = 127.0.0.1:99999\n"
                 "admin_listen = 127.0.0.1:9489\n",
                 0644);
  config_defaults(&c);
  ASSERT_EQ(config_load(&c, p, err, sizeof err), -1);
  snprintf(want, sizeof want,
           "%s:2: webhook_listen: \"nonsense\" is not IPv4-address:port (e.g. 127.0.0.1:8088), "
           "or empty for off\n"
           "%s:3: unknown option \"concurency\"\n"
           "%s:4: admin_listen: \"127.0.0.1:99999\" is not IPv4-address:port (e.g. "
           "127.0.0.1:8088), or empty for off\n"
           "%s:5: 'admin_listen' is already set at line 4\n"
           "%s: database: required (a libpq connection string)",
           p, p, p, p, p);
  ASSERT_STR_EQ(err, want);
  /* The lenient reader keeps what was valid and counts the rest. */
  ASSERT_EQ(config_load_lenient(&c, p, err, sizeof err), 5);
  ASSERT_STR_EQ(c.admin_listen, "127.0.0.1:9489");
  ASSERT_STR_EQ(c.webhook_listen, "");
  config_free(&c);
  return 0;
}

/* A key given twice is a mistake whichever value was meant: neither wins
 * silently. An indented line is an ordinary line, never the continuation
 * of the value above it. */
TEST_IMPL(config_refuses_duplicate_keys) {
  struct config c;
  char err[512], want[512];
  const char *p;

  make_tmpdir();
  expect_error("[ocopd]\ndatabase = x\nconcurrency = 4\n; again\nconcurrency = 8\n",
               ":5: 'concurrency' is already set at line 3");
  expect_error("[ocopd]\ndatabase = x\n  database = y\n",
               ":3: 'database' is already set at line 2");
  expect_error("[ocopd]\ndatabase = x\n  more of it\n",
               ":3: not an INI line (expected key = value or [section])");
  /* Both reported, each where it is, and nothing of the file is applied. */
  p = write_file("dup.conf",
                 "[ocopd]\nwebhook_listen = 127.0.0.1:8001\ndatabase = x\n"
                 "webhook_listen = 127.0.0.1:8002\nwebhook_listen = 127.0.0.1:8003\n",
                 0644);
  config_defaults(&c);
  ASSERT_EQ(config_load(&c, p, err, sizeof err), -1);
  snprintf(want, sizeof want,
           "%s:4: 'webhook_listen' is already set at line 2\n"
           "%s:5: 'webhook_listen' is already set at line 2",
           p, p);
  ASSERT_STR_EQ(err, want);
  ASSERT_STR_EQ(c.webhook_listen, "");
  config_free(&c);
  return 0;
}

/* Writes n bytes of text (it may hold NUL bytes) to name in the tmpdir. */
static const char *write_bytes(const char *name, const char *text, size_t n) {
  static char path[512];
  FILE *f;

  snprintf(path, sizeof path, "%s/%s", tmpdir, name);
  f = fopen(path, "wb");
  ASSERT_NOT_NULL(f);
  ASSERT_EQ(fwrite(text, 1, n, f), n);
  ASSERT_EQ(fclose(f), 0);
  return path;
}

static void expect_bytes_error(const char *text, size_t n, const char *want_suffix) {
  struct config c;
  char err[512], want[600];
  const char *p = write_bytes("bytes.conf", text, n);

  config_defaults(&c);
  ASSERT_EQ(config_load(&c, p, err, sizeof err), -1);
  snprintf(want, sizeof want, "%s%s", p, want_suffix);
  ASSERT_STR_EQ(err, want);
  ASSERT_STR_EQ(c.database, "");
  config_free(&c);
}

/* The file is untrusted: a NUL byte (which would cut a value short
 * unseen), an over-long line and a huge file are each refused, saying
 * where. */
TEST_IMPL(config_refuses_nul_and_oversize) {
  static const char nul_value[] = "[ocopd]\ndatabase = x\nmedia_dir = /srv\0/etc\n";
  static const char nul_comment[] = "[ocopd]\n; a \0 here\ndatabase = x\n";
  static const char nul_last[] = "[ocopd]\ndatabase = x\n\0";
  char big[600], *huge;
  size_t i, n = 300 * 1024;

  make_tmpdir();
  expect_bytes_error(nul_value, sizeof nul_value - 1, ":3: NUL byte");
  expect_bytes_error(nul_comment, sizeof nul_comment - 1, ":2: NUL byte");
  expect_bytes_error(nul_last, sizeof nul_last - 1, ":3: NUL byte");
  /* A line inih cannot hold is not split into two lines. */
  snprintf(big, sizeof big, "[ocopd]\ndatabase = x\nmedia_dir = /%0400d\nlog_level = info\n", 0);
  expect_bytes_error(big, strlen(big), ":3: line longer than 198 bytes");
  huge = malloc(n);
  ASSERT_NOT_NULL(huge);
  memcpy(huge, "[ocopd]\ndatabase = x\n", 21);
  for (i = 21; i < n; i++)
    huge[i] = i % 64 == 63 ? '\n' : ';';
  expect_bytes_error(huge, n, ":4099: the file is larger than 256 KiB; a config is a few KiB");
  free(huge);
  return 0;
}

TEST_IMPL(config_missing_file) {
  struct config c;
  char err[256];

  config_defaults(&c);
  ASSERT_EQ(config_load(&c, "/nonexistent/ocopd.conf", err, sizeof err), -1);
  ASSERT_STR_EQ(err, "/nonexistent/ocopd.conf: No such file or directory");
  config_free(&c);
  return 0;
}

TEST_IMPL(backoff_grows_caps_and_jitters) {
  ASSERT_EQ(backoff_delay_ms(1, 1000, 60000, 0, 0), 500);
  ASSERT_EQ(backoff_delay_ms(1, 1000, 60000, 0, UINT32_MAX), 1000);
  ASSERT_EQ(backoff_delay_ms(3, 1000, 60000, 0, UINT32_MAX), 4000);
  ASSERT_EQ(backoff_delay_ms(30, 1000, 60000, 0, UINT32_MAX), 60000);
  ASSERT_EQ(backoff_delay_ms(30, 1000, 60000, 0, 0), 30000);
  /* The marketplace's Retry-After wins when it is longer. */
  ASSERT_EQ(backoff_delay_ms(1, 1000, 60000, 7000, 0), 7000);
  ASSERT_EQ(backoff_delay_ms(5, 1000, 60000, 10, UINT32_MAX), 16000);
  return 0;
}

TEST_IMPL(secret_read_and_cached) {
  char err[256];
  secret_t *a, *b;

  make_tmpdir();
  write_file("main.secret", "k3y-value\n", 0600);
  a = secret_acquire(tmpdir, "main", err, sizeof err);
  ASSERT_NOT_NULL(a);
  ASSERT_STR_EQ(secret_value(a), "k3y-value");
  write_file("main.secret", "changed\n", 0600);
  b = secret_acquire(tmpdir, "main", err, sizeof err);
  ASSERT(b == a);
  secret_release(b);
  secret_forget();
  b = secret_acquire(tmpdir, "main", err, sizeof err);
  ASSERT_STR_EQ(secret_value(b), "changed");
  secret_release(b);
  secret_forget();
  /* A reference taken before the forget still holds its value. */
  ASSERT_STR_EQ(secret_value(a), "k3y-value");
  secret_release(a);
  return 0;
}

TEST_IMPL(secret_refuses_loose_files) {
  char err[256], want[512];

  make_tmpdir();
  write_file("open.secret", "s3cr3t-value\n", 0644);
  ASSERT_NULL(secret_acquire(tmpdir, "open", err, sizeof err));
  snprintf(want, sizeof want,
           "credential file %s/open.secret may be read by group or others; chmod 600 it", tmpdir);
  ASSERT_STR_EQ(err, want);
  ASSERT_NULL(strstr(err, "s3cr3t"));
  ASSERT_NULL(secret_acquire(tmpdir, "../etc", err, sizeof err));
  ASSERT_NULL(secret_acquire(tmpdir, "absent", err, sizeof err));
  ASSERT_NOT_NULL(strstr(err, "No such file"));
  ASSERT_NULL(secret_acquire(NULL, "main", err, sizeof err));
  ASSERT_NOT_NULL(strstr(err, "no credentials directory"));
  return 0;
}

static void expect_date(int64_t unix_s, const char *want) {
  char got[11];

  clock_vn_date(unix_s, got);
  ASSERT_STR_EQ(got, want);
}

/* 00:00 in Asia/Ho_Chi_Minh is 17:00 UTC the day before. */
TEST_IMPL(clock_vn_day_boundary) {
  expect_date(1795539599, "2026-11-24"); /* 2026-11-24 16:59:59 UTC = 23:59:59 +07 */
  expect_date(1795539600, "2026-11-25"); /* 2026-11-24 17:00:00 UTC = 00:00:00 +07 */
  expect_date(1709139600, "2024-02-29"); /* leap day */
  expect_date(-25200, "1970-01-01");
  expect_date(-25201, "1969-12-31");
  ASSERT_EQ(clock_vn_day(1795539600) - clock_vn_day(1795539599), 1);
  return 0;
}

TEST_IMPL(clock_ms_to_midnight) {
  ASSERT_EQ(clock_ms_to_vn_midnight(1795539599000LL), 1000);
  ASSERT_EQ(clock_ms_to_vn_midnight(1795539599999LL), 1);
  ASSERT_EQ(clock_ms_to_vn_midnight(1795539600000LL), 86400000);
  ASSERT_EQ(clock_ms_to_vn_midnight(1795539600000LL + 3600000), 86400000 - 3600000);
  return 0;
}

/* The machine's timezone never enters the OCOP date. */
TEST_IMPL(clock_ignores_machine_timezone) {
  const char *zones[] = {"UTC", "America/New_York", "Asia/Tokyo", "Pacific/Kiritimati"};
  size_t i;

  for (i = 0; i < sizeof zones / sizeof zones[0]; i++) {
    setenv("TZ", zones[i], 1);
    tzset();
    expect_date(1795539599, "2026-11-24");
    expect_date(1795539600, "2026-11-25");
    ASSERT_EQ(clock_ms_to_vn_midnight(1795539599000LL), 1000);
  }
  return 0;
}

TEST_IMPL(ratelimit_bucket_and_burst) {
  ratelimit_t *rl = rl_new();
  int i, sent = 0;
  uint64_t t;

  ASSERT_NOT_NULL(rl);
  /* 5 per second with a burst of 5: five go at once, the sixth waits 200 ms. */
  for (i = 0; i < 5; i++)
    ASSERT_EQ(rl_take(rl, 1, 5, 5, 1000), 0);
  ASSERT_EQ(rl_take(rl, 1, 5, 5, 1000), 201);
  ASSERT(rl_limited(rl, 1, 1000));
  ASSERT_EQ(rl_take(rl, 1, 5, 5, 1200), 0);
  /* Another shop is not slowed. */
  ASSERT_EQ(rl_take(rl, 2, 5, 5, 1200), 0);
  ASSERT(!rl_limited(rl, 2, 1200));
  /* Over ten simulated seconds at most rate*10 + burst requests pass. */
  for (t = 2000; t < 12000; t += 10)
    if (rl_take(rl, 3, 5, 5, t) == 0)
      sent++;
  ASSERT(sent <= 5 * 10 + 5);
  ASSERT(sent >= 5 * 10);
  rl_free(rl);
  return 0;
}

TEST_IMPL(ratelimit_pause_and_listing) {
  ratelimit_t *rl = rl_new();
  char buf[64];

  ASSERT_EQ(rl_take(rl, 7, 10, 10, 1000), 0);
  rl_pause(rl, 7, 4000); /* Retry-After: 3 */
  ASSERT_EQ(rl_take(rl, 7, 10, 10, 1500), 2500);
  ASSERT_EQ(rl_limited_shops(rl, 1500, buf, sizeof buf), 1);
  ASSERT_STR_EQ(buf, "{7}");
  /* After the pause, gently: tokens refill from zero. */
  ASSERT(rl_take(rl, 7, 10, 10, 4000) > 0);
  ASSERT_EQ(rl_take(rl, 7, 10, 10, 4100), 0);
  ASSERT_EQ(rl_limited_shops(rl, 9000, buf, sizeof buf), 0);
  ASSERT_STR_EQ(buf, "{}");
  /* A charged follow-up puts the bucket in debt: the next request waits. */
  ASSERT_EQ(rl_take(rl, 9, 1, 1, 1000), 0);
  ASSERT_EQ(rl_charge(rl, 9, 1, 1, 1000), 0);
  ASSERT_EQ(rl_take(rl, 9, 1, 1, 1000), 2001);
  /* But a follow-up never goes inside a marketplace's Retry-After, with a
   * rate of ocopd's own or without one. */
  rl_pause(rl, 9, 5000);
  ASSERT_EQ(rl_charge(rl, 9, 1, 1, 1200), 3800);
  ASSERT_EQ(rl_charge(rl, 10, 0, 0, 1000), 0);
  rl_pause(rl, 10, 2500);
  ASSERT_EQ(rl_charge(rl, 10, 0, 0, 1000), 1500);
  ASSERT_EQ(rl_paused_ms(rl, 10, 2000), 500);
  ASSERT_EQ(rl_paused_ms(rl, 10, 2500), 0);
  /* No configured rate: never limited by ocopd, but a marketplace's
   * Retry-After still holds. */
  ASSERT_EQ(rl_take(rl, 8, 0, 0, 1000), 0);
  rl_pause(rl, 8, 3000);
  ASSERT_EQ(rl_take(rl, 8, 0, 0, 1000), 2000);
  ASSERT_EQ(rl_take(rl, 8, 0, 0, 3000), 0);
  rl_free(rl);
  return 0;
}

/* The depth scan both the webhook and the connectors run before cJSON
 * (lib/jsondepth.h): strings do not count, and a stray closer cannot buy
 * extra levels. */
TEST_IMPL(jsondepth_limits_nesting) {
  const char *obj = "{\"a\":[1,{\"b\":2}]}";
  const char *str = "\"[[[[\\\"[[[\""; /* one string holding brackets */
  char deep[80];
  size_t at = 0;
  int i;

  ASSERT_EQ(jsondepth_ok(obj, strlen(obj), 3, NULL), 1);
  ASSERT_EQ(jsondepth_ok("[[[[", 4, 3, &at), 0);
  ASSERT_EQ(at, 3);
  ASSERT_EQ(jsondepth_ok(str, strlen(str), 1, NULL), 1);
  for (i = 0; i < 4; i++)
    deep[i] = '}';
  for (; i < 8; i++)
    deep[i] = '[';
  ASSERT_EQ(jsondepth_ok(deep, 8, 3, &at), 0);
  ASSERT_EQ(at, 7);
  return TEST_OK;
}
