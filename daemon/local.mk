# daemon/ — ocopd and ocopctl.
bin_PROGRAMS += ocopd

ocopd_SOURCES = \
	daemon/main.c \
	daemon/backoff.c daemon/backoff.h \
	daemon/clock.c daemon/clock.h \
	daemon/clock_watch.c daemon/clock_watch.h \
	daemon/config.c daemon/config.h \
	daemon/csv.c daemon/csv.h \
	daemon/db.c daemon/db.h \
	daemon/feed.c daemon/feed.h \
	daemon/http.c daemon/http.h \
	daemon/job.c daemon/job.h \
	daemon/lifecycle.c daemon/lifecycle.h \
	daemon/log.c daemon/log.h \
	daemon/migrate.c daemon/migrate.h \
	daemon/logic.c daemon/logic.h \
	daemon/schema_db.c daemon/schema_db.h \
	daemon/notify.c daemon/notify.h \
	daemon/order_csv.c daemon/order_csv.h \
	daemon/order_files.c daemon/order_files.h \
	daemon/orders.c daemon/orders.h \
	daemon/outbox.c daemon/outbox.h \
	daemon/ratelimit.c daemon/ratelimit.h \
	daemon/reconcile.c daemon/reconcile.h \
	daemon/module.c daemon/module.h \
	daemon/registry.c daemon/registry.h \
	daemon/secret.c daemon/secret.h \
	daemon/token.c daemon/token.h \
	daemon/webhook.c daemon/webhook.h \
	connectors/connector.h
nodist_ocopd_SOURCES = sql_migrations.c
ocopd_CPPFLAGS = $(AM_CPPFLAGS) -DPKGLIBDIR='"$(pkglibdir)"' -DSYSCONFDIR='"$(sysconfdir)"'
ocopd_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS) $(PQ_CFLAGS) \
	$(INIH_CFLAGS) $(SYSTEMD_CFLAGS) $(MHD_CFLAGS) $(CRYPTO_CFLAGS)
ocopd_LDADD = $(UV_LIBS) $(CURL_LIBS) $(CJSON_LIBS) $(PQ_LIBS) $(INIH_LIBS) $(SYSTEMD_LIBS) \
	$(MHD_LIBS) $(CRYPTO_LIBS) $(LIBS)

include daemon/ocopctl.mk
include tests/unit/io.mk
include daemon/order_csv.mk

# Unit tests of the daemon's pure parts.
check_PROGRAMS += tests/unit/test_core
TESTS += tests/unit/test_core
tests_unit_test_core_SOURCES = tests/unit/test_core.c tests/unit/runner.c tests/unit/runner.h \
	daemon/backoff.c daemon/clock.c daemon/config.c daemon/log.c daemon/ratelimit.c daemon/secret.c
tests_unit_test_core_CPPFLAGS = $(AM_CPPFLAGS) -DPKGLIBDIR='"$(pkglibdir)"'
tests_unit_test_core_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS) $(UV_CFLAGS)
tests_unit_test_core_LDADD = $(INIH_LIBS) $(UV_LIBS)

# Connector generations and modules, with the connectors of the build tree.
check_PROGRAMS += tests/unit/test_registry
TESTS += tests/unit/test_registry
tests_unit_test_registry_SOURCES = tests/unit/test_registry.c tests/unit/runner.c \
	tests/unit/runner.h daemon/module.c daemon/module.h daemon/registry.c daemon/registry.h \
	daemon/log.c daemon/log.h connectors/connector.h
tests_unit_test_registry_LDADD = $(LIBS)
