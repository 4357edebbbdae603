# daemon/ — ocopd: its workers and life cycle. The code it shares with
# ocopctl is in lib/, ocopctl's own in ctl/.
bin_PROGRAMS += ocopd

ocopd_SOURCES = \
	daemon/main.c \
	daemon/check_config.c daemon/check_config.h \
	daemon/preflight.c daemon/preflight.h \
	daemon/crash.c daemon/crash.h \
	lib/addr.c lib/addr.h \
	lib/ms.h lib/jsondepth.h lib/utf8.h lib/oneline.h \
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
	daemon/joblog.c daemon/joblog.h \
	daemon/progress.c daemon/progress.h \
	daemon/content.c daemon/content.h \
	daemon/prepare.c daemon/prepare.h \
	daemon/media.c daemon/media.h \
	daemon/variants.c daemon/variants.h \
	daemon/shop_opts.c daemon/shop_opts.h \
	daemon/worker.c daemon/worker.h \
	daemon/drain.c daemon/drain.h \
	daemon/lifecycle.c daemon/lifecycle.h \
	lib/log.c lib/log.h \
	lib/migrate.c lib/migrate.h \
	lib/logic.c lib/logic.h \
	lib/schema_db.c lib/schema_db.h \
	daemon/notify.c daemon/notify.h \
	daemon/order_csv.c daemon/order_csv.h \
	daemon/order_doc.c daemon/order_doc.h \
	daemon/order_files.c daemon/order_files.h \
	daemon/idset.c daemon/idset.h \
	daemon/orders.c daemon/orders.h \
	daemon/outbox.c daemon/outbox.h \
	daemon/outcomes.c daemon/outcomes.h \
	daemon/push_check.c daemon/push_check.h \
	daemon/pace.c daemon/pace.h \
	daemon/ratelimit.c daemon/ratelimit.h \
	daemon/reconcile.c daemon/reconcile.h \
	lib/module.c lib/module.h \
	lib/registry.c lib/registry.h \
	lib/secret.c lib/secret.h \
	daemon/token.c daemon/token.h \
	daemon/token_seal.c daemon/token_seal.h \
	daemon/webhook.c daemon/webhook.h \
	daemon/deadline.c daemon/deadline.h daemon/lograte.c daemon/lograte.h \
	daemon/admin.c daemon/admin.h \
	daemon/metrics.c daemon/metrics.h \
	daemon/status_page.c daemon/status_page.h \
	daemon/textbuf.c daemon/textbuf.h \
	connectors/connector.h
nodist_ocopd_SOURCES = sql_migrations.c
ocopd_CPPFLAGS = $(AM_CPPFLAGS) -DPKGLIBDIR='"$(pkglibdir)"' -DSYSCONFDIR='"$(sysconfdir)"'
ocopd_CFLAGS = $(AM_CFLAGS) $(UV_CFLAGS) $(CURL_CFLAGS) $(CJSON_CFLAGS) $(PQ_CFLAGS) \
	$(INIH_CFLAGS) $(SYSTEMD_CFLAGS) $(MHD_CFLAGS) $(CRYPTO_CFLAGS)
ocopd_LDADD = $(UV_LIBS) $(CURL_LIBS) $(CJSON_LIBS) $(PQ_LIBS) $(INIH_LIBS) $(SYSTEMD_LIBS) \
	$(MHD_LIBS) $(CRYPTO_LIBS) $(LIBS)
