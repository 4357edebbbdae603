# daemon/ocopctl.mk — ocopctl, the operator's command line, and its tests.
# Included from daemon/local.mk. migrate.c, logic.c and sql_migrations.c are
# shared with ocopd, which applies the same migrations and SQL logic at start.

bin_PROGRAMS += ocopctl
ocopctl_SOURCES = \
	daemon/ocopctl.c daemon/ocopctl.h \
	daemon/migrate.c daemon/migrate.h \
	daemon/logic.c daemon/logic.h \
	daemon/schema_db.c daemon/schema_db.h \
	daemon/csv.c daemon/csv.h \
	daemon/import.c daemon/import.h \
	daemon/ctl_shop.c daemon/ctl_status.c \
	daemon/ctl_certs.c daemon/ctl_alerts.c daemon/ctl_clock.c \
	daemon/ctl_authorize.c \
	daemon/module.c daemon/module.h \
	daemon/registry.c daemon/registry.h \
	daemon/secret.c daemon/secret.h \
	daemon/log.c daemon/log.h \
	connectors/connector.h
nodist_ocopctl_SOURCES = sql_migrations.c
# shop authorize loads connectors like ocopd (dlopen, $(LIBS)) and sends the
# code exchange with libcurl.
ocopctl_CPPFLAGS = $(AM_CPPFLAGS) -DPKGLIBDIR='"$(pkglibdir)"'
ocopctl_CFLAGS = $(AM_CFLAGS) $(PQ_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
ocopctl_LDADD = $(PQ_LIBS) $(CJSON_LIBS) $(CURL_LIBS) $(LIBS)

# The CSV reader alone: no database.
check_PROGRAMS += tests/unit/test_csv
TESTS += tests/unit/test_csv
tests_unit_test_csv_SOURCES = \
	tests/unit/test_csv.c tests/unit/runner.c tests/unit/runner.h \
	daemon/csv.c daemon/csv.h

# Migrations and import on a real PostgreSQL (OCOP_TEST_PG; skipped without
# it). It also runs $(top_builddir)/ocopctl, which `make check` builds first.
check_PROGRAMS += tests/itest/test_import
TESTS += tests/itest/test_import
tests_itest_test_import_SOURCES = \
	tests/itest/test_import.c tests/unit/runner.c tests/unit/runner.h \
	daemon/migrate.c daemon/migrate.h \
	daemon/logic.c daemon/logic.h \
	daemon/schema_db.c daemon/schema_db.h \
	daemon/csv.c daemon/csv.h \
	daemon/import.c daemon/import.h
nodist_tests_itest_test_import_SOURCES = sql_migrations.c
tests_itest_test_import_CFLAGS = $(AM_CFLAGS) $(PQ_CFLAGS)
tests_itest_test_import_LDADD = $(PQ_LIBS)

# The certificate lifecycle (sql/logic/lifecycle.sql, ocopctl certs and alerts)
# on a real PostgreSQL, through the integration harness (tests/itest/local.mk).
check_PROGRAMS += tests/itest/test_lifecycle
TESTS += tests/itest/test_lifecycle
tests_itest_test_lifecycle_SOURCES = tests/itest/test_lifecycle.c $(ITEST_HARNESS)
tests_itest_test_lifecycle_CFLAGS = $(ITEST_CFLAGS)
tests_itest_test_lifecycle_LDADD = $(ITEST_LIBS)

EXTRA_DIST += \
	tests/data/ocop-sample.csv \
	tests/data/ocop-sample-renewal.csv \
	tests/data/bad-catalogue.csv \
	tests/data/reordered.csv
