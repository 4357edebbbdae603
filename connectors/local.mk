# connectors/local.mk — every connector; included by the
# top Makefile.am (paths from the top).
#
# A connector is a folder, connectors/<name>/, built into the libtool module
# connectors/<name>.la: the module stays in connectors/ so that its .so lands
# in connectors/.libs/, where ocopd's connector_dir points in the tests and
# the demo, under the name the registry loads (<name>.so). Each module links
# the shared code of connectors/common/ (a convenience library) and exports
# only OC_ENTRY, so that the ocu_* helpers linked into every connector can
# never bind to another connector's (or the daemon's) copy. The connectors'
# unit tests are built by tests/local.mk with the other suites.

CONN_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS)
CONN_LDFLAGS = -module -avoid-version -shared \
	-export-symbols-regex '^ocop_connector_abi6$$' $(AM_LDFLAGS)
CONN_LIBADD = connectors/common/libocu.la $(CJSON_LIBS) $(CRYPTO_LIBS)

noinst_LTLIBRARIES += connectors/common/libocu.la
connectors_common_libocu_la_CFLAGS = $(CONN_CFLAGS)
connectors_common_libocu_la_SOURCES = connectors/connector.h \
	connectors/common/buf.c connectors/common/claims.c connectors/common/hmac.c \
	connectors/common/json.c connectors/common/ops.c connectors/common/orders.c \
	connectors/common/text.c connectors/common/token.c connectors/common/validate.c \
	connectors/common/verdict.c lib/jsondepth.h lib/utf8.h connectors/common/buf.h connectors/common/claims.h \
	connectors/common/hmac.h connectors/common/json.h connectors/common/ops.h \
	connectors/common/orders.h connectors/common/text.h connectors/common/token.h \
	connectors/common/validate.h connectors/common/verdict.h

# The files of each connector.
SHOPEE_SRC = connectors/shopee/shopee.h connectors/shopee/connector.c \
	connectors/shopee/shop.c connectors/shopee/request.c connectors/shopee/body.c \
	connectors/shopee/parse.c connectors/shopee/orders.c connectors/shopee/push.c \
	connectors/shopee/models.c connectors/shopee/variants.c \
	connectors/shopee/media.c connectors/shopee/category.c connectors/shopee/content.c
LAZADA_SRC = connectors/lazada/lazada.h connectors/lazada/connector.c \
	connectors/lazada/shop.c connectors/lazada/request.c connectors/lazada/payload.c \
	connectors/lazada/parse.c connectors/lazada/time.c connectors/lazada/orders.c \
	connectors/lazada/items.c connectors/lazada/push.c connectors/lazada/variants.c \
	connectors/lazada/content.c connectors/lazada/upload.c connectors/lazada/category.c
TIKTOK_SRC = connectors/tiktok/tiktok.h connectors/tiktok/connector.c \
	connectors/tiktok/shop.c connectors/tiktok/request.c connectors/tiktok/body.c \
	connectors/tiktok/parse.c connectors/tiktok/listing.c connectors/tiktok/orders.c \
	connectors/tiktok/push.c connectors/tiktok/content.c connectors/tiktok/upload.c \
	connectors/tiktok/category.c
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
