/* test_push_check.c — what the push endpoint decides from the bytes alone
 * (daemon/push_check.c): the announced length, the body, the timestamp. */
#include <string.h>

#include "connector.h"
#include "push_check.h"
#include "runner.h"

TEST_IMPL(push_check_length_limit) {
  char at[32], over[32];
  const char *why = NULL;

  snprintf(at, sizeof at, "%d", OC_MAX_PUSH);
  snprintf(over, sizeof over, "%d", OC_MAX_PUSH + 1);
  ASSERT_EQ(push_check_length(NULL, &why), 0);
  ASSERT_EQ(push_check_length(at, &why), 0);
  ASSERT_EQ(push_check_length("junk", &why), 0); /* libmicrohttpd refuses it itself */
  ASSERT_EQ(push_check_length(over, &why), 413);
  ASSERT_STR_EQ(why, "Content-Length over the push limit");
  ASSERT_EQ(push_check_length("99999999999999999999999", &why), 413);
  return TEST_OK;
}

TEST_IMPL(push_check_body_rules) {
  char deep[2 * PUSH_CHECK_MAX_DEPTH + 4];
  const char *why = NULL;

  ASSERT_EQ(push_check_body(NULL, 0, 0, &why), 0);
  ASSERT_EQ(push_check_body("{\"a\":\"Trà\"}", strlen("{\"a\":\"Trà\"}"), 0, &why), 0);
  ASSERT_EQ(push_check_body("{}", 2, 1, &why), 413);
  ASSERT_STR_EQ(why, "larger than the push limit");
  memset(deep, '[', PUSH_CHECK_MAX_DEPTH);
  ASSERT_EQ(push_check_body(deep, PUSH_CHECK_MAX_DEPTH, 0, &why), 0);
  memset(deep, '[', PUSH_CHECK_MAX_DEPTH + 1);
  ASSERT_EQ(push_check_body(deep, PUSH_CHECK_MAX_DEPTH + 1, 0, &why), 400);
  ASSERT_STR_EQ(why, "nested deeper than 32");
  ASSERT_EQ(push_check_body("{\"a\":\"\xc3\"}", 8, 0, &why), 400);
  ASSERT_STR_EQ(why, "the body is not UTF-8");
  return TEST_OK;
}

TEST_IMPL(push_check_age_window) {
  const int64_t now = 1710000000;
  const char *why = NULL;

  ASSERT_EQ(push_check_age(0, now, 600, &why), 0); /* no stamp: nothing to check */
  ASSERT_EQ(push_check_age(now, now, 600, &why), 0);
  ASSERT_EQ(push_check_age(now - 600, now, 600, &why), 0);
  ASSERT_EQ(push_check_age(now - 601, now, 600, &why), 400);
  ASSERT_STR_EQ(why, "timestamp outside webhook_max_age: refused as a replay");
  ASSERT_EQ(push_check_age(now + 300, now, 600, &why), 0);
  ASSERT_EQ(push_check_age(now + 301, now, 600, &why), 400);
  ASSERT_EQ(push_check_age(-1, now, 600, &why), 400);
  ASSERT_EQ(push_check_age(INT64_MIN, now, 600, &why), 400);
  ASSERT_EQ(push_check_age(INT64_MAX, now, 600, &why), 400);
  return TEST_OK;
}
