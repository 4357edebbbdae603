# ctl/local.mk — ocopctl, the operator's command line (its tests are built
# by tests/local.mk).
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
	ctl/import.c ctl/import.h ctl/import_int.h ctl/import_variants.c ctl/import_content.c \
	ctl/import_bulk.c \
	ctl/ctl_shop.c ctl/ctl_status.c \
	ctl/ctl_certs.c ctl/ctl_alerts.c ctl/ctl_clock.c \
	ctl/ctl_authorize.c \
	ctl/ctl_assortment.c ctl/ctl_assortment.h ctl/ctl_listings.c \
	ctl/ctl_content.h ctl/ctl_category.c ctl/ctl_attribute.c ctl/ctl_images.c \
	ctl/ctl_product.c ctl/ctl_product.h \
	ctl/ctl_error.c ctl/ctl_error.h ctl/ctl_operate.h \
	ctl/ctl_jobs.c ctl/ctl_retry.c ctl/ctl_resync.c \
	ctl/ctl_shop_remove.c ctl/ctl_shop_options.c \
	ctl/ctl_data.c ctl/ctl_data.h ctl/ctl_orders.c ctl/ctl_stock.c ctl/ctl_cert.c \
	lib/call.c lib/call.h \
	lib/http.c lib/http.h \
	lib/module.c lib/module.h \
	lib/registry.c lib/registry.h \
	lib/secret.c lib/secret.h \
	lib/log.c lib/log.h \
	connectors/connector.h
# `token` and the commands that store tokens seal them (lib/local.mk).
ocopctl_SOURCES += ctl/ctl_token.c ctl/ctl_token.h $(TSEAL_SRC)
nodist_ocopctl_SOURCES = sql_migrations.c
# shop authorize loads connectors like ocopd (dlopen, $(LIBS)) and sends the
# code exchange through ocopd's call path: lib/http.c (libcurl) on a libuv
# loop of its own.
ocopctl_CPPFLAGS = $(AM_CPPFLAGS) -DPKGLIBDIR='"$(pkglibdir)"'
ocopctl_CFLAGS = $(AM_CFLAGS) $(PQ_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS) $(UV_CFLAGS)
ocopctl_LDADD = $(PQ_LIBS) $(CJSON_LIBS) $(CURL_LIBS) $(UV_LIBS) $(LIBS)
ocopctl_CFLAGS += $(CRYPTO_CFLAGS)
ocopctl_LDADD += $(CRYPTO_LIBS)

# The integration tests link the importer (tests/local.mk lists its other
# files); tests/local.mk is included first, so this adds to its list.
tests_itest_run_itest_SOURCES += ctl/import_content.c ctl/import_bulk.c
# The test data of the content columns and of `category import` (the demo's
# category map); tests/local.mk lists the other files of tests/data.
EXTRA_DIST += tests/data/bad-content.csv tests/data/category-map.csv
