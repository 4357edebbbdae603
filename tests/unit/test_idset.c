/*
 * test_idset.c — the ids a poll run has read (daemon/idset.c): found when
 * sorted, when appended since, and not otherwise.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "idset.h"
#include "runner.h"

TEST_IMPL(idset_finds_sorted_and_appended_ids) {
  struct idset s;
  char id[32];
  int i;

  memset(&s, 0, sizeof s);
  ASSERT(!idset_has(&s, "A"));
  for (i = 999; i >= 0; i--) { /* more than one growth, out of order */
    snprintf(id, sizeof id, "2612080%07d", i * 2);
    ASSERT_EQ(idset_add(&s, id), 0);
  }
  ASSERT(idset_has(&s, "26120800000000")); /* before sealing: the scan */
  idset_seal(&s);
  ASSERT_EQ((long long)s.sorted, 1000);
  for (i = 0; i < 2000; i++) {
    snprintf(id, sizeof id, "2612080%07d", i);
    ASSERT_EQ(idset_has(&s, id), i % 2 == 0);
  }
  ASSERT_EQ(idset_add(&s, "26120800000001"), 0); /* appended after sealing */
  ASSERT(idset_has(&s, "26120800000001"));
  ASSERT(!idset_has(&s, "26120800000003"));
  ASSERT(!idset_has(&s, ""));
  idset_free(&s);
  ASSERT_EQ((long long)s.n, 0);
  ASSERT(!idset_has(&s, "26120800000002"));
  return TEST_OK;
}
