# daemon/ — ocopd: its workers and life cycle. The code it shares with
# ocopctl is in lib/, ocopctl's own in ctl/.
bin_PROGRAMS += ocopd

ocopd_SOURCES = \
	daemon/main.c \
	lib/ms.h \
	lib/backoff.c lib/backoff.h \
	lib/call.c lib/call.h \
	daemon/clock.c daemon/clock.h \
	daemon/clock_watch.c daemon/clock_watch.h \
	lib/config.c lib/config.h \
	lib/csv.c lib/csv.h \
	lib/db.c lib/db.h \
	daemon/feed.c daemon/feed.h \
	lib/http.c lib/http.h \
	daemon/job.c daemon/job.h \
	daemon/lifecycle.c daemon/lifecycle.h \
	lib/log.c lib/log.h \
	lib/migrate.c lib/migrate.h \
	lib/logic.c lib/logic.h \
	lib/schema_db.c lib/schema_db.h \
	daemon/notify.c daemon/notify.h \
	daemon/order_csv.c daemon/order_csv.h \
	daemon/order_doc.c daemon/order_doc.h \
	daemon/order_files.c daemon/order_files.h \
	daemon/orders.c daemon/orders.h \
	daemon/outbox.c daemon/outbox.h \
	daemon/pace.c daemon/pace.h \
	daemon/ratelimit.c daemon/ratelimit.h \
	daemon/reconcile.c daemon/reconcile.h \
	lib/module.c lib/module.h \
	lib/registry.c lib/registry.h \
	lib/secret.c lib/secret.h \
	daemon/token.c daemon/token.h \
	daemon/webhook.c daemon/webhook.h \
	connectors/connector.h
nodist_ocopd_SOURCES = sql_migrations.c
ocopd_CPPFLAGS = $(AM_CPPFLAGS) -DPKGLIBDIR='"$(pkglibdir)"' -DSYSCONFDIR='"$(sysconfdir)"'
ocopd_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS) $(PQ_CFLAGS) \
	$(INIH_CFLAGS) $(SYSTEMD_CFLAGS) $(MHD_CFLAGS) $(CRYPTO_CFLAGS)
ocopd_LDADD = $(UV_LIBS) $(CURL_LIBS) $(CJSON_LIBS) $(PQ_LIBS) $(INIH_LIBS) $(SYSTEMD_LIBS) \
	$(MHD_LIBS) $(CRYPTO_LIBS) $(LIBS)

include tests/unit/io.mk
include daemon/order_csv.mk

# Unit tests of the daemon's pure parts.
check_PROGRAMS += tests/unit/test_core
TESTS += tests/unit/test_core
tests_unit_test_core_SOURCES = tests/unit/test_core.c tests/unit/runner.c tests/unit/runner.h \
	lib/backoff.c daemon/clock.c lib/config.c lib/log.c daemon/ratelimit.c lib/secret.c
tests_unit_test_core_CPPFLAGS = $(AM_CPPFLAGS) -DPKGLIBDIR='"$(pkglibdir)"'
tests_unit_test_core_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS) $(UV_CFLAGS)
tests_unit_test_core_LDADD = $(INIH_LIBS) $(UV_LIBS)

# A connector's order batch as the ingest document, compared as text.
check_PROGRAMS += tests/unit/test_order_doc
TESTS += tests/unit/test_order_doc
tests_unit_test_order_doc_SOURCES = tests/unit/test_order_doc.c tests/unit/runner.c \
	tests/unit/runner.h daemon/order_doc.c daemon/order_doc.h connectors/connector.h
tests_unit_test_order_doc_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_order_doc_LDADD = $(CJSON_LIBS)

# Connector generations and modules, with the connectors of the build tree.
check_PROGRAMS += tests/unit/test_registry
TESTS += tests/unit/test_registry
tests_unit_test_registry_SOURCES = tests/unit/test_registry.c tests/unit/runner.c \
	tests/unit/runner.h lib/module.c lib/module.h lib/registry.c lib/registry.h \
	lib/log.c lib/log.h connectors/connector.h
tests_unit_test_registry_LDADD = $(LIBS)
