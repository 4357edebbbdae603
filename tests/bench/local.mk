# tests/bench/ — benchmarks. `make bench` builds them and runs each against
# a throwaway PostgreSQL (scripts/bench); they print figures, never pass/fail.
EXTRA_PROGRAMS = tests/bench/bench_mirror tests/bench/bench_orders
tests_bench_bench_mirror_SOURCES = tests/bench/bench_mirror.c $(ITEST_HARNESS)
tests_bench_bench_mirror_CFLAGS = $(ITEST_CFLAGS)
tests_bench_bench_mirror_LDADD = $(ITEST_LIBS)
tests_bench_bench_orders_SOURCES = tests/bench/bench_orders.c $(ITEST_HARNESS)
tests_bench_bench_orders_CFLAGS = $(ITEST_CFLAGS)
tests_bench_bench_orders_LDADD = $(ITEST_LIBS)
CLEANFILES += $(EXTRA_PROGRAMS)

# BENCH_ARGS go to bench_mirror (products), ORDER_BENCH_ARGS to bench_orders
# (orders, then webhook samples).
bench: all tests/bench/bench_mirror tests/bench/bench_orders tests/sim/ocopsim
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  $(SHELL) $(top_srcdir)/scripts/bench tests/bench/bench_mirror $(BENCH_ARGS)
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  $(SHELL) $(top_srcdir)/scripts/bench tests/bench/bench_orders $(ORDER_BENCH_ARGS)
.PHONY: bench
