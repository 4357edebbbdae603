# daemon/order_csv.mk — the PostMart order-file reader (daemon/order_csv.c)
# and its unit tests; included from daemon/local.mk (paths from the top).
# The reader is pure (no database, no folder scanning): the daemon links
# daemon/order_csv.c and lib/csv.c where it ingests PostMart order files.

check_PROGRAMS += tests/unit/test_order_csv
TESTS += tests/unit/test_order_csv
tests_unit_test_order_csv_SOURCES = \
	tests/unit/test_order_csv.c tests/unit/runner.c tests/unit/runner.h \
	daemon/order_csv.c daemon/order_csv.h lib/csv.c lib/csv.h
tests_unit_test_order_csv_CFLAGS = $(AM_CFLAGS) $(CJSON_CFLAGS)
tests_unit_test_order_csv_LDADD = $(CJSON_LIBS)
