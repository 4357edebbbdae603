# connectors/local.mk — included by the top Makefile.am (paths from the top).
#
# Each connector is a libtool module loaded with dlopen(); it exports only
# OC_ENTRY_SYMBOL, so that the ocu_* helpers linked into every connector
# can never bind to another connector's (or the daemon's) copy.

pkglib_LTLIBRARIES += connectors/shopee.la
connectors_shopee_la_SOURCES = connectors/shopee.c connectors/ocutil.c \
	connectors/ocutil.h connectors/connector.h
connectors_shopee_la_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
connectors_shopee_la_LDFLAGS = -module -avoid-version -shared \
	-export-symbols-regex '^ocop_connector_v1$$' $(AM_LDFLAGS)
connectors_shopee_la_LIBADD = $(CJSON_LIBS) $(CRYPTO_LIBS)

# Unit test: includes connectors/shopee.c to reach its static helpers.
check_PROGRAMS += tests/unit/test_shopee
TESTS += tests/unit/test_shopee
tests_unit_test_shopee_SOURCES = tests/unit/test_shopee.c tests/unit/runner.c \
	tests/unit/runner.h connectors/ocutil.c connectors/ocutil.h
tests_unit_test_shopee_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
tests_unit_test_shopee_LDADD = $(CJSON_LIBS) $(CRYPTO_LIBS)

include connectors/lazada.mk
include connectors/tiktok.mk
include connectors/postmart.mk
