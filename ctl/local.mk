# ctl/local.mk — ocopctl, the operator's command line, and its tests.
# Included from Makefile.am. The code it shares with ocopd is in lib/:
# migrate.c, logic.c and sql_migrations.c apply the same migrations and SQL
# logic as ocopd does at start.

bin_PROGRAMS += ocopctl
ocopctl_SOURCES = \
	ctl/ocopctl.c ctl/ocopctl.h \
	lib/migrate.c lib/migrate.h \
	lib/logic.c lib/logic.h \
	lib/schema_db.c lib/schema_db.h \
	lib/csv.c lib/csv.h \
	ctl/import.c ctl/import.h \
	ctl/ctl_shop.c ctl/ctl_status.c \
	ctl/ctl_certs.c ctl/ctl_alerts.c ctl/ctl_clock.c \
	ctl/ctl_authorize.c \
	lib/call.c lib/call.h \
	lib/http.c lib/http.h \
	lib/module.c lib/module.h \
	lib/registry.c lib/registry.h \
	lib/secret.c lib/secret.h \
	lib/log.c lib/log.h \
	connectors/connector.h
nodist_ocopctl_SOURCES = sql_migrations.c
# shop authorize loads connectors like ocopd (dlopen, $(LIBS)) and sends the
# code exchange through ocopd's call path: lib/http.c (libcurl) on a libuv
# loop of its own.
ocopctl_CPPFLAGS = $(AM_CPPFLAGS) -DPKGLIBDIR='"$(pkglibdir)"'
ocopctl_CFLAGS = $(AM_CFLAGS) $(PQ_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS) $(UV_CFLAGS)
ocopctl_LDADD = $(PQ_LIBS) $(CJSON_LIBS) $(CURL_LIBS) $(UV_LIBS) $(LIBS)

# The CSV reader alone: no database.
check_PROGRAMS += tests/unit/test_csv
TESTS += tests/unit/test_csv
tests_unit_test_csv_SOURCES = \
	tests/unit/test_csv.c tests/unit/runner.c tests/unit/runner.h \
	lib/csv.c lib/csv.h

# Migrations and import on a real PostgreSQL (OCOP_TEST_PG; skipped without
# it). It also runs $(top_builddir)/ocopctl, which `make check` builds first.
check_PROGRAMS += tests/itest/test_import
TESTS += tests/itest/test_import
tests_itest_test_import_SOURCES = \
	tests/itest/test_import.c tests/unit/runner.c tests/unit/runner.h \
	lib/migrate.c lib/migrate.h \
	lib/logic.c lib/logic.h \
	lib/schema_db.c lib/schema_db.h \
	lib/csv.c lib/csv.h \
	ctl/import.c ctl/import.h
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
