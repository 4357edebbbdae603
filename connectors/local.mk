# connectors/local.mk — every connector and its unit test; included by the
# top Makefile.am (paths from the top).
#
# A connector is a folder, connectors/<name>/, built into the libtool module
# connectors/<name>.la: the module stays in connectors/ so that its .so lands
# in connectors/.libs/, where ocopd's connector_dir points in the tests and
# the demo, under the name the registry loads (<name>.so). Each module links
# the shared code of connectors/common/ (a convenience library) and exports
# only OC_ENTRY, so that the ocu_* helpers linked into every connector can
# never bind to another connector's (or the daemon's) copy. Each unit test
# links its connector's files (its internal functions are not exported from
# the module) and runs under `make check` with the TAP driver.

CONN_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
CONN_LDFLAGS = -module -avoid-version -shared \
	-export-symbols-regex '^ocop_connector_abi4$$' $(AM_LDFLAGS)
CONN_LIBADD = connectors/common/libocu.la $(CJSON_LIBS) $(CRYPTO_LIBS)
CONN_TEST_COMMON = tests/unit/runner.c tests/unit/runner.h \
	tests/unit/conn_test.c tests/unit/conn_test.h

noinst_LTLIBRARIES += connectors/common/libocu.la
connectors_common_libocu_la_CFLAGS = $(CONN_CFLAGS)
connectors_common_libocu_la_SOURCES = connectors/connector.h \
	connectors/common/buf.c connectors/common/claims.c connectors/common/hmac.c \
	connectors/common/json.c connectors/common/ops.c connectors/common/orders.c \
	connectors/common/text.c connectors/common/token.c connectors/common/validate.c \
	connectors/common/verdict.c lib/jsondepth.h connectors/common/buf.h connectors/common/claims.h \
	connectors/common/hmac.h connectors/common/json.h connectors/common/ops.h \
	connectors/common/orders.h connectors/common/text.h connectors/common/token.h \
	connectors/common/validate.h connectors/common/verdict.h

# The files of each connector.
SHOPEE_SRC = connectors/shopee/shopee.h connectors/shopee/connector.c \
	connectors/shopee/shop.c connectors/shopee/request.c connectors/shopee/body.c \
	connectors/shopee/parse.c connectors/shopee/orders.c connectors/shopee/push.c
LAZADA_SRC = connectors/lazada/lazada.h connectors/lazada/connector.c \
	connectors/lazada/shop.c connectors/lazada/request.c connectors/lazada/payload.c \
	connectors/lazada/parse.c connectors/lazada/time.c connectors/lazada/orders.c \
	connectors/lazada/items.c connectors/lazada/push.c
TIKTOK_SRC = connectors/tiktok/tiktok.h connectors/tiktok/connector.c \
	connectors/tiktok/shop.c connectors/tiktok/request.c connectors/tiktok/body.c \
	connectors/tiktok/parse.c connectors/tiktok/listing.c connectors/tiktok/orders.c \
	connectors/tiktok/push.c
POSTMART_SRC = connectors/postmart/postmart.h connectors/postmart/connector.c \
	connectors/postmart/feed.c

# The modules: shopee.so, lazada.so, tiktok.so, postmart.so.
pkglib_LTLIBRARIES += connectors/shopee.la connectors/lazada.la \
	connectors/tiktok.la connectors/postmart.la
connectors_shopee_la_SOURCES = $(SHOPEE_SRC)
connectors_lazada_la_SOURCES = $(LAZADA_SRC)
connectors_tiktok_la_SOURCES = $(TIKTOK_SRC)
connectors_postmart_la_SOURCES = $(POSTMART_SRC)
connectors_shopee_la_CFLAGS = $(CONN_CFLAGS)
connectors_lazada_la_CFLAGS = $(CONN_CFLAGS)
connectors_tiktok_la_CFLAGS = $(CONN_CFLAGS)
connectors_postmart_la_CFLAGS = $(CONN_CFLAGS)
connectors_shopee_la_LDFLAGS = $(CONN_LDFLAGS)
connectors_lazada_la_LDFLAGS = $(CONN_LDFLAGS)
connectors_tiktok_la_LDFLAGS = $(CONN_LDFLAGS)
connectors_postmart_la_LDFLAGS = $(CONN_LDFLAGS)
connectors_shopee_la_LIBADD = $(CONN_LIBADD)
connectors_lazada_la_LIBADD = $(CONN_LIBADD)
connectors_tiktok_la_LIBADD = $(CONN_LIBADD)
connectors_postmart_la_LIBADD = $(CONN_LIBADD)

# The unit tests.
CONN_TESTS = tests/unit/test_shopee tests/unit/test_lazada \
	tests/unit/test_tiktok tests/unit/test_postmart
check_PROGRAMS += $(CONN_TESTS)
TESTS += $(CONN_TESTS)
tests_unit_test_shopee_SOURCES = tests/unit/test_shopee.c $(CONN_TEST_COMMON) $(SHOPEE_SRC)
tests_unit_test_lazada_SOURCES = tests/unit/test_lazada.c $(CONN_TEST_COMMON) $(LAZADA_SRC)
tests_unit_test_tiktok_SOURCES = tests/unit/test_tiktok.c $(CONN_TEST_COMMON) $(TIKTOK_SRC)
tests_unit_test_postmart_SOURCES = tests/unit/test_postmart.c $(CONN_TEST_COMMON) $(POSTMART_SRC)
tests_unit_test_shopee_CFLAGS = $(CONN_CFLAGS)
tests_unit_test_lazada_CFLAGS = $(CONN_CFLAGS)
tests_unit_test_tiktok_CFLAGS = $(CONN_CFLAGS)
tests_unit_test_postmart_CFLAGS = $(CONN_CFLAGS)
tests_unit_test_shopee_LDADD = $(CONN_LIBADD)
tests_unit_test_lazada_LDADD = $(CONN_LIBADD)
tests_unit_test_tiktok_LDADD = $(CONN_LIBADD)
tests_unit_test_postmart_LDADD = $(CONN_LIBADD)
