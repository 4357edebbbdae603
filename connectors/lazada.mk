# connectors/lazada.mk — the lazada connector (Lazada Open Platform) and its
# unit tests; included from connectors/local.mk (paths from the top).

pkglib_LTLIBRARIES += connectors/lazada.la
connectors_lazada_la_SOURCES = connectors/lazada.c connectors/ocutil.c \
	connectors/ocutil.h connectors/connector.h
connectors_lazada_la_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
connectors_lazada_la_LDFLAGS = -module -avoid-version -shared \
	-export-symbols-regex '^ocop_connector_v1$$' $(AM_LDFLAGS)
connectors_lazada_la_LIBADD = $(CJSON_LIBS) $(CRYPTO_LIBS)

# Unit test: includes connectors/lazada.c to reach its static helpers.
check_PROGRAMS += tests/unit/test_lazada
TESTS += tests/unit/test_lazada
tests_unit_test_lazada_SOURCES = tests/unit/test_lazada.c tests/unit/runner.c \
	tests/unit/runner.h connectors/ocutil.c connectors/ocutil.h
tests_unit_test_lazada_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_lazada_LDADD = $(CJSON_LIBS) $(CRYPTO_LIBS)
