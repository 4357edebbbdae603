# connectors/postmart.mk — the postmart connector (PostMart.vn: a file
# channel, no API) and its unit tests; included from connectors/local.mk
# (paths from the top).

pkglib_LTLIBRARIES += connectors/postmart.la
connectors_postmart_la_SOURCES = connectors/postmart.c connectors/connector.h
connectors_postmart_la_CFLAGS = $(AM_CFLAGS)
connectors_postmart_la_LDFLAGS = -module -avoid-version -shared \
	-export-symbols-regex '^ocop_connector_v1$$' $(AM_LDFLAGS)

# Unit test: includes connectors/postmart.c to reach its static helpers.
check_PROGRAMS += tests/unit/test_postmart
TESTS += tests/unit/test_postmart
tests_unit_test_postmart_SOURCES = tests/unit/test_postmart.c tests/unit/runner.c \
	tests/unit/runner.h
tests_unit_test_postmart_CFLAGS = $(AM_CFLAGS)
