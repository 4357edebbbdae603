# connectors/tiktok.mk — the tiktok connector (TikTok Shop, API 202309) and
# its unit tests; included from connectors/local.mk (paths from the top).

pkglib_LTLIBRARIES += connectors/tiktok.la
connectors_tiktok_la_SOURCES = connectors/tiktok.c connectors/ocutil.c \
	connectors/ocutil.h connectors/connector.h
connectors_tiktok_la_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
connectors_tiktok_la_LDFLAGS = -module -avoid-version -shared \
	-export-symbols-regex '^ocop_connector_v1$$' $(AM_LDFLAGS)
connectors_tiktok_la_LIBADD = $(CJSON_LIBS) $(CRYPTO_LIBS)

# Unit test: includes connectors/tiktok.c to reach its static helpers.
check_PROGRAMS += tests/unit/test_tiktok
TESTS += tests/unit/test_tiktok
tests_unit_test_tiktok_SOURCES = tests/unit/test_tiktok.c tests/unit/runner.c \
	tests/unit/runner.h connectors/ocutil.c connectors/ocutil.h
tests_unit_test_tiktok_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_tiktok_LDADD = $(CJSON_LIBS) $(CRYPTO_LIBS)
