# tests/unit/io.mk — unit tests of the I/O foundations (lib/db.c,
# lib/http.c); included from the top Makefile.am, paths from the top dir.
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
