# tests/local.mk — how every test is built and run, in one place; included
# from the top Makefile.am (paths from the top dir). The suites:
#
#   tests/unit/run-unit    unit tests of lib/, daemon/ and ctl/ parts, listed
#                          in tests/unit/test-list.h
#   tests/itest/run-itest  integration tests on a real PostgreSQL and the
#                          simulator, listed in tests/itest/test-list.h
#   tests/sql/*.sql        pgTAP tests of the SQL logic (tests/sql/run.sh)
#   tests/upgrade/         a database of the previous release upgraded in place
#   tests/bench/           benchmarks (`make bench`), never run by make check
#
# Each runner takes -j N (else $OCOP_TEST_JOBS, else the number of CPUs),
# -l, and test names (tests/unit/runner.h). Also here: a suite per connector
# and the simulator's self-checks.

# Every test speaks TAP; the summary counts each TAP line, not each program.
TEST_EXTENSIONS = .sh
LOG_DRIVER = env AM_TAP_AWK='$(AWK)' $(SHELL) $(top_srcdir)/build-aux/tap-driver.sh
SH_LOG_DRIVER = $(LOG_DRIVER)
# Every test program runs under a deadline and says how long it took
# (tests/deadline.sh): a hang is a failure with a log, never a stuck suite.
TEST_DEADLINE = $(SHELL) $(top_srcdir)/tests/deadline.sh
LOG_COMPILER = $(TEST_DEADLINE)
EXTRA_DIST += tests/deadline.sh
SH_LOG_COMPILER = $(TEST_DEADLINE) $(SHELL)
AM_TESTS_ENVIRONMENT = \
	top_srcdir='$(abs_top_srcdir)'; top_builddir='$(abs_top_builddir)'; \
	export top_srcdir top_builddir;

TEST_RUNNER = tests/unit/runner.c tests/unit/runner.h

# ---- itest ------------------------------------------------------------------
# First in TESTS: make -j starts the longest suite first.
# On a real PostgreSQL ($OCOP_TEST_PG, set by scripts/check; every test skips
# without it) and the marketplace simulator, driving real ocopd and ocopctl
# processes, which `make check` builds first. test_midnight runs a real
# midnight under libfaketime on a cluster of its own; test_schema checks
# where the schema comes from (sql/README.md).
ITEST_HARNESS = tests/itest/harness.c tests/itest/harness.h $(TEST_RUNNER)
ITEST_CFLAGS = $(AM_CFLAGS) $(PQ_CFLAGS) $(CJSON_CFLAGS) $(CURL_CFLAGS)
ITEST_LIBS = $(PQ_LIBS) $(CJSON_LIBS) $(CURL_LIBS)

check_PROGRAMS += tests/itest/run-itest
TESTS += tests/itest/run-itest
tests_itest_run_itest_SOURCES = tests/itest/run-itest.c tests/itest/test-list.h \
	$(ITEST_HARNESS) \
	tests/itest/test_channels.c tests/itest/test_expiry.c tests/itest/test_import.c \
	tests/itest/test_lifecycle.c tests/itest/test_midnight.c tests/itest/test_mirror.c \
	tests/itest/test_orders.c tests/itest/test_postmart.c tests/itest/test_reconcile.c \
	tests/itest/test_reload.c tests/itest/test_schema.c tests/itest/test_variants.c \
	tests/itest/test_content.c \
	tests/itest/test_assortment.c \
	tests/itest/test_operate.c \
	tests/itest/test_check_config.c tests/itest/test_oplog.c \
	tests/itest/test_bad_start.c tests/itest/test_crash.c tests/itest/test_sync_race.c \
	tests/itest/test_ctl_data.c \
	tests/itest/test_admin.c \
	tests/itest/test_tokens.c \
	tests/itest/test_once.c \
	tests/itest/test_push_abuse.c tests/itest/hook_abuse.c tests/itest/hook_abuse.h \
	lib/migrate.c lib/migrate.h lib/logic.c lib/logic.h \
	lib/schema_db.c lib/schema_db.h lib/csv.c lib/csv.h ctl/import.c ctl/import.h \
	ctl/import_int.h ctl/import_variants.c
nodist_tests_itest_run_itest_SOURCES = sql_migrations.c
tests_itest_run_itest_CFLAGS = $(ITEST_CFLAGS)
tests_itest_run_itest_LDADD = $(ITEST_LIBS)

EXTRA_DIST += \
	tests/admin/parse_metrics.py \
	tests/data/ocop-sample.csv \
	tests/data/ocop-sample-renewal.csv \
	tests/data/ocop-sample-single-sku.csv \
	tests/data/bad-catalogue.csv \
	tests/data/bad-variants.csv \
	tests/data/reordered.csv

# ---- soak -------------------------------------------------------------------
# Crashes, database restarts and marketplace faults on a cluster of its own,
# with the checks of tests/soak/checks.h after each part; TAP and a table.
# `make check` runs a short soak; `make soak` the full counts (SOAK_ARGS).
check_PROGRAMS += tests/soak/soak
TESTS += tests/soak/soak
tests_soak_soak_SOURCES = tests/soak/soak.c tests/soak/world.c tests/soak/world.h \
	tests/soak/checks.c tests/soak/checks.h tests/soak/secrets.c tests/soak/secrets.h \
	$(ITEST_HARNESS)
tests_soak_soak_CFLAGS = $(ITEST_CFLAGS) -I$(top_srcdir)/tests/itest
tests_soak_soak_LDADD = $(ITEST_LIBS)
SOAK_ARGS = --products 300 --kills 1000 --restarts 50 --fault-seconds 120
soak: all tests/soak/soak tests/sim/ocopsim
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' tests/soak/soak $(SOAK_ARGS)
.PHONY: soak

# ---- fuzz -------------------------------------------------------------------
# libFuzzer targets, one per parser of untrusted bytes (tests/fuzz/*.c:
# each connector's answers and pushes, the push endpoint's checks, the
# catalogue and order CSVs, order documents, the config file, images),
# built with clang under ASan and UBSan by tests/fuzz/run through
# tests/fuzz/fuzz.mk, apart from the gcc build; seeds in
# tests/fuzz/corpus/<target>/. make check runs each for 10 s
# (OCOP_FUZZ_TIME) and fails on any crash; it skips without clang's
# libFuzzer. `make fuzz` runs each for FUZZ_TIME seconds (default 60) and
# prints a table of executions, exec/s and crashes; FUZZ_TARGETS picks
# some (docs/fuzzing.md).
TESTS += tests/fuzz/test_fuzz.sh
FUZZ_TIME = 60
FUZZ_TARGETS =
EXTRA_DIST += tests/fuzz/test_fuzz.sh tests/fuzz/run tests/fuzz/fuzz.mk tests/fuzz/fuzz.h \
	tests/fuzz/fuzz_conn.c tests/fuzz/fuzz_conn.h tests/fuzz/fuzz_shopee.c \
	tests/fuzz/fuzz_lazada.c tests/fuzz/fuzz_tiktok.c tests/fuzz/fuzz_webhook.c \
	tests/fuzz/fuzz_csv.c tests/fuzz/fuzz_import.c tests/fuzz/fuzz_order_csv.c \
	tests/fuzz/fuzz_order_doc.c tests/fuzz/fuzz_config.c tests/fuzz/fuzz_image.c \
	tests/fuzz/corpus
fuzz: sql_migrations.c
	top_srcdir='$(abs_top_srcdir)' top_builddir='$(abs_top_builddir)' \
	  $(SHELL) $(top_srcdir)/tests/fuzz/run -t $(FUZZ_TIME) $(FUZZ_TARGETS)
.PHONY: fuzz
clean-local: clean-fuzz
clean-fuzz:
	rm -rf tests/fuzz/build tests/fuzz/build.log
.PHONY: clean-fuzz

# ---- upgrade ------------------------------------------------------------------
# A database of the previous release (built once into /tmp/ocopd-prev-<commit>
# from this repository's history) migrated in place and served by the new
# ocopd: no create, no withdrawal, stock unchanged (the comment at the top of
# the script). Skips without $OCOP_TEST_PG or without that commit.
TESTS += tests/upgrade/test_upgrade.sh
EXTRA_DIST += tests/upgrade/test_upgrade.sh

# ---- install ------------------------------------------------------------------
# make install into a temporary DESTDIR: the layout, the unit (systemd-analyze
# verify and security), sysusers.d and tmpfiles.d, the man pages against
# --help-config and ocopctl --help, make uninstall; with $OCOP_TEST_PG (the
# full suite) also the Debian package and lintian. The comment at the top of
# the script says what each part needs.
TESTS += tests/install/test_install.sh
EXTRA_DIST += tests/install/test_install.sh

# ---- unit -------------------------------------------------------------------
# test_db needs a PostgreSQL named by $OCOP_TEST_PG (a libpq conninfo); its
# tests skip without it. test_registry loads the connectors of the build
# tree ($top_builddir/connectors/.libs).
check_PROGRAMS += tests/unit/run-unit
TESTS += tests/unit/run-unit
tests_unit_run_unit_SOURCES = tests/unit/run-unit.c tests/unit/test-list.h $(TEST_RUNNER) \
	tests/unit/test_core.c tests/unit/test_csv.c tests/unit/test_db.c \
	tests/unit/test_http.c tests/unit/test_order_csv.c tests/unit/test_registry.c \
	tests/unit/test_call.c tests/unit/test_order_doc.c lib/call.c lib/call.h lib/ms.h lib/jsondepth.h \
	daemon/order_doc.c daemon/order_doc.h \
	lib/backoff.c lib/backoff.h lib/addr.c lib/addr.h lib/config.c lib/config.h lib/csv.c lib/csv.h \
	lib/db.c lib/db.h lib/http.c lib/http.h lib/log.c lib/log.h \
	lib/module.c lib/module.h lib/registry.c lib/registry.h lib/secret.c lib/secret.h \
	daemon/clock.c daemon/clock.h daemon/order_csv.c daemon/order_csv.h \
	daemon/ratelimit.c daemon/ratelimit.h connectors/connector.h \
	tests/unit/test_image.c lib/image.c lib/image.h \
	tests/unit/test_admin_render.c daemon/metrics.c daemon/metrics.h \
	daemon/status_page.c daemon/status_page.h daemon/textbuf.c daemon/textbuf.h \
	tests/unit/test_outcomes.c daemon/outcomes.c daemon/outcomes.h \
	tests/unit/test_deadline.c daemon/deadline.c daemon/deadline.h daemon/lograte.c daemon/lograte.h \
	tests/unit/test_push_check.c daemon/push_check.c daemon/push_check.h \
	tests/unit/test_idset.c daemon/idset.c daemon/idset.h
tests_unit_run_unit_CPPFLAGS = $(AM_CPPFLAGS) -DPKGLIBDIR='"$(pkglibdir)"'
tests_unit_run_unit_CFLAGS = $(AM_CFLAGS) $(INIH_CFLAGS) $(UV_CFLAGS) $(PQ_CFLAGS) \
	$(CURL_CFLAGS) $(CJSON_CFLAGS) $(PNG_CFLAGS) $(JPEG_CFLAGS) $(CRYPTO_CFLAGS)
tests_unit_run_unit_LDADD = $(INIH_LIBS) $(UV_LIBS) $(PQ_LIBS) $(CURL_LIBS) $(CJSON_LIBS) \
	$(PNG_LIBS) $(JPEG_LIBS) $(CRYPTO_LIBS) $(LIBS)

# The sample catalogue's images (tests/data/images/) are written by
# tests/data/make-images; test_image regenerates them into a temporary
# folder and compares them with the committed ones, byte for byte. To
# write them again after a change to the generator or the catalogue:
#   tests/data/make-images tests/data/ocop-sample.csv tests/data/images
check_PROGRAMS += tests/data/make-images
tests_data_make_images_SOURCES = tests/data/make-images.c lib/csv.c lib/csv.h
tests_data_make_images_CFLAGS = $(AM_CFLAGS) $(PNG_CFLAGS) $(JPEG_CFLAGS)
tests_data_make_images_LDADD = $(PNG_LIBS) $(JPEG_LIBS)
EXTRA_DIST += tests/data/images

# ---- connectors ---------------------------------------------------------------
# A suite per connector (every connector exports the same entry symbol, so
# they cannot share one program): each links its connector's files, whose
# internal functions the module does not export, with the sources named in
# connectors/local.mk.
CONN_TEST_COMMON = tests/unit/runner.c tests/unit/runner.h \
	tests/unit/conn_test.c tests/unit/conn_test.h
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

# ---- simulator ----------------------------------------------------------------
# The simulator's self-checks (tests/sim/README.md), against ocopsim itself.
TESTS += tests/sim/sim_selftest.sh tests/sim/sim_selftest_lazada.sh \
	tests/sim/sim_selftest_tiktok.sh

# ---- sql --------------------------------------------------------------------
# pgTAP: the rules of the SQL logic (sql/logic/) checked in the database
# itself. Each file runs in a fresh, migrated database inside a transaction
# it rolls back (tests/sql/run.sh); the tap driver counts every assertion.
TEST_EXTENSIONS += .sql
SQL_LOG_DRIVER = $(LOG_DRIVER)
SQL_LOG_COMPILER = $(TEST_DEADLINE) $(SHELL) $(top_srcdir)/tests/sql/run.sh

SQL_TESTS = \
	tests/sql/content.sql \
	tests/sql/create_once.sql \
	tests/sql/eligibility.sql \
	tests/sql/listing_jobs.sql \
	tests/sql/operate.sql \
	tests/sql/ledger_ops.sql \
	tests/sql/orders.sql \
	tests/sql/outcomes.sql \
	tests/sql/stock.sql \
	tests/sql/token.sql \
	tests/sql/update_settle.sql \
	tests/sql/variants.sql
TESTS += $(SQL_TESTS)
EXTRA_DIST += tests/sql/run.sh tests/sql/one_product.psql $(SQL_TESTS)

# ---- bench ------------------------------------------------------------------
# `make bench` builds them and runs each against a throwaway PostgreSQL
# (scripts/bench); they print figures, never pass/fail.
EXTRA_PROGRAMS = tests/bench/bench_mirror tests/bench/bench_orders tests/bench/bench_shared \
	tests/bench/bench_sweep tests/bench/bench_import tests/bench/bench_rss
tests_bench_bench_mirror_SOURCES = tests/bench/bench_mirror.c $(ITEST_HARNESS) \
	tests/bench/limits.c tests/bench/limits.h tests/bench/catalogue.c tests/bench/catalogue.h
tests_bench_bench_mirror_CFLAGS = $(ITEST_CFLAGS)
tests_bench_bench_mirror_LDADD = $(ITEST_LIBS)
tests_bench_bench_orders_SOURCES = tests/bench/bench_orders.c $(ITEST_HARNESS) \
	tests/bench/limits.c tests/bench/limits.h
tests_bench_bench_orders_CFLAGS = $(ITEST_CFLAGS)
tests_bench_bench_orders_LDADD = $(ITEST_LIBS)
tests_bench_bench_shared_SOURCES = tests/bench/bench_shared.c $(ITEST_HARNESS) \
	tests/bench/catalogue.c tests/bench/catalogue.h
tests_bench_bench_shared_CFLAGS = $(ITEST_CFLAGS)
tests_bench_bench_shared_LDADD = $(ITEST_LIBS)
tests_bench_bench_sweep_SOURCES = tests/bench/bench_sweep.c $(ITEST_HARNESS) \
	tests/bench/limits.c tests/bench/limits.h tests/bench/catalogue.c tests/bench/catalogue.h
tests_bench_bench_sweep_CFLAGS = $(ITEST_CFLAGS)
tests_bench_bench_sweep_LDADD = $(ITEST_LIBS)
tests_bench_bench_import_SOURCES = tests/bench/bench_import.c $(ITEST_HARNESS) \
	tests/bench/limits.c tests/bench/limits.h tests/bench/catalogue.c tests/bench/catalogue.h
tests_bench_bench_import_CFLAGS = $(ITEST_CFLAGS)
tests_bench_bench_import_LDADD = $(ITEST_LIBS)
tests_bench_bench_rss_SOURCES = tests/bench/bench_rss.c $(ITEST_HARNESS) \
	tests/bench/catalogue.c tests/bench/catalogue.h
tests_bench_bench_rss_CFLAGS = $(ITEST_CFLAGS)
tests_bench_bench_rss_LDADD = $(ITEST_LIBS)
CLEANFILES += $(EXTRA_PROGRAMS)

# BENCH_ARGS go to bench_mirror (products), ORDER_BENCH_ARGS to bench_orders
# (orders, then webhook samples), SHARED_BENCH_ARGS to bench_shared (products
# mirrored by two daemons), SWEEP_BENCH_ARGS to bench_sweep (certificates
# lapsing on one day), IMPORT_BENCH_ARGS to bench_import (catalogue rows),
# RSS_BENCH_ARGS to bench_rss (products, each listed on 5 shops).
bench: all tests/bench/bench_mirror tests/bench/bench_orders tests/bench/bench_shared \
		tests/bench/bench_sweep tests/bench/bench_import tests/bench/bench_rss tests/sim/ocopsim
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  $(SHELL) $(top_srcdir)/scripts/bench tests/bench/bench_mirror $(BENCH_ARGS)
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  $(SHELL) $(top_srcdir)/scripts/bench tests/bench/bench_orders $(ORDER_BENCH_ARGS)
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  $(SHELL) $(top_srcdir)/scripts/bench tests/bench/bench_shared $(SHARED_BENCH_ARGS)
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  $(SHELL) $(top_srcdir)/scripts/bench tests/bench/bench_sweep $(SWEEP_BENCH_ARGS)
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  $(SHELL) $(top_srcdir)/scripts/bench tests/bench/bench_import $(IMPORT_BENCH_ARGS)
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  $(SHELL) $(top_srcdir)/scripts/bench tests/bench/bench_rss $(RSS_BENCH_ARGS)
.PHONY: bench
