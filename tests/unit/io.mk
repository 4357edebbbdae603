# tests/unit/io.mk — unit tests of the I/O foundations (lib/db.c,
# lib/http.c, lib/call.c); included from the top Makefile.am, paths from the top dir.
# test_db needs a PostgreSQL named by $OCOP_TEST_PG (a libpq conninfo); its
# tests that need one skip without it.

IO_TEST_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS) $(PQ_CFLAGS) $(CURL_CFLAGS)
IO_TEST_LIBS = $(UV_LIBS) $(PQ_LIBS) $(CURL_LIBS)

check_PROGRAMS += tests/unit/test_db tests/unit/test_http
TESTS += tests/unit/test_db tests/unit/test_http

tests_unit_test_db_SOURCES = tests/unit/test_db.c tests/unit/runner.c \
	tests/unit/runner.h lib/db.c lib/db.h
tests_unit_test_db_CFLAGS = $(IO_TEST_CFLAGS)
tests_unit_test_db_LDADD = $(IO_TEST_LIBS)

tests_unit_test_http_SOURCES = tests/unit/test_http.c tests/unit/runner.c \
	tests/unit/runner.h lib/http.c lib/http.h connectors/connector.h
tests_unit_test_http_CFLAGS = $(IO_TEST_CFLAGS)
tests_unit_test_http_LDADD = $(IO_TEST_LIBS)

# The marketplace-call path: its verdict table and its stages, with a
# connector table made in the test and a local HTTP server.
check_PROGRAMS += tests/unit/test_call
TESTS += tests/unit/test_call
tests_unit_test_call_SOURCES = tests/unit/test_call.c tests/unit/runner.c \
	tests/unit/runner.h lib/call.c lib/call.h lib/http.c lib/http.h \
	lib/registry.c lib/registry.h lib/module.c lib/module.h lib/secret.c lib/secret.h \
	lib/log.c lib/log.h lib/ms.h connectors/connector.h
tests_unit_test_call_CFLAGS = $(IO_TEST_CFLAGS)
tests_unit_test_call_LDADD = $(UV_LIBS) $(CURL_LIBS) $(LIBS)
