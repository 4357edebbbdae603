# tests/itest/ — integration tests on a real PostgreSQL ($OCOP_TEST_PG, set
# by scripts/check) and the marketplace simulator, driving real ocopd and
# ocopctl processes.
ITEST_HARNESS = tests/itest/harness.c tests/itest/harness.h tests/unit/runner.c tests/unit/runner.h
ITEST_CFLAGS = $(AM_CFLAGS) $(PQ_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
ITEST_LIBS = $(PQ_LIBS) $(CJSON_LIBS) $(CURL_LIBS)

check_PROGRAMS += tests/itest/test_mirror
TESTS += tests/itest/test_mirror
tests_itest_test_mirror_SOURCES = tests/itest/test_mirror.c $(ITEST_HARNESS)
tests_itest_test_mirror_CFLAGS = $(ITEST_CFLAGS)
tests_itest_test_mirror_LDADD = $(ITEST_LIBS)

check_PROGRAMS += tests/itest/test_expiry
TESTS += tests/itest/test_expiry
tests_itest_test_expiry_SOURCES = tests/itest/test_expiry.c $(ITEST_HARNESS)
tests_itest_test_expiry_CFLAGS = $(ITEST_CFLAGS)
tests_itest_test_expiry_LDADD = $(ITEST_LIBS)

check_PROGRAMS += tests/itest/test_channels
TESTS += tests/itest/test_channels
tests_itest_test_channels_SOURCES = tests/itest/test_channels.c $(ITEST_HARNESS)
tests_itest_test_channels_CFLAGS = $(ITEST_CFLAGS)
tests_itest_test_channels_LDADD = $(ITEST_LIBS)

check_PROGRAMS += tests/itest/test_postmart
TESTS += tests/itest/test_postmart
tests_itest_test_postmart_SOURCES = tests/itest/test_postmart.c $(ITEST_HARNESS)
tests_itest_test_postmart_CFLAGS = $(ITEST_CFLAGS)
tests_itest_test_postmart_LDADD = $(ITEST_LIBS)

check_PROGRAMS += tests/itest/test_orders
TESTS += tests/itest/test_orders
tests_itest_test_orders_SOURCES = tests/itest/test_orders.c $(ITEST_HARNESS)
tests_itest_test_orders_CFLAGS = $(ITEST_CFLAGS)
tests_itest_test_orders_LDADD = $(ITEST_LIBS)

check_PROGRAMS += tests/itest/test_reconcile
TESTS += tests/itest/test_reconcile
tests_itest_test_reconcile_SOURCES = tests/itest/test_reconcile.c $(ITEST_HARNESS)
tests_itest_test_reconcile_CFLAGS = $(ITEST_CFLAGS)
tests_itest_test_reconcile_LDADD = $(ITEST_LIBS)

# A real midnight under libfaketime, on a cluster of its own.
check_PROGRAMS += tests/itest/test_midnight
TESTS += tests/itest/test_midnight
tests_itest_test_midnight_SOURCES = tests/itest/test_midnight.c $(ITEST_HARNESS)
tests_itest_test_midnight_CFLAGS = $(ITEST_CFLAGS)
tests_itest_test_midnight_LDADD = $(ITEST_LIBS)

check_PROGRAMS += tests/itest/test_reload
TESTS += tests/itest/test_reload
tests_itest_test_reload_SOURCES = tests/itest/test_reload.c $(ITEST_HARNESS)
tests_itest_test_reload_CFLAGS = $(ITEST_CFLAGS)
tests_itest_test_reload_LDADD = $(ITEST_LIBS)

# Where the schema comes from: migrations, then the SQL logic files
# (sql/README.md); an upgraded database against a fresh one (pg_dump).
check_PROGRAMS += tests/itest/test_schema
TESTS += tests/itest/test_schema
tests_itest_test_schema_SOURCES = tests/itest/test_schema.c $(ITEST_HARNESS) \
	lib/migrate.c lib/migrate.h \
	lib/logic.c lib/logic.h \
	lib/schema_db.c lib/schema_db.h
nodist_tests_itest_test_schema_SOURCES = sql_migrations.c
tests_itest_test_schema_CFLAGS = $(ITEST_CFLAGS)
tests_itest_test_schema_LDADD = $(ITEST_LIBS)
