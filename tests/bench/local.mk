# tests/bench/ — benchmarks. `make bench` builds them and runs each against
# a throwaway PostgreSQL (scripts/bench); they print figures, never pass/fail.
EXTRA_PROGRAMS = tests/bench/bench_mirror
tests_bench_bench_mirror_SOURCES = tests/bench/bench_mirror.c $(ITEST_HARNESS)
tests_bench_bench_mirror_CFLAGS = $(ITEST_CFLAGS)
tests_bench_bench_mirror_LDADD = $(ITEST_LIBS)
CLEANFILES += $(EXTRA_PROGRAMS)

bench: all tests/bench/bench_mirror tests/sim/ocopsim
	top_builddir='$(abs_top_builddir)' top_srcdir='$(abs_top_srcdir)' \
	  $(SHELL) $(top_srcdir)/scripts/bench tests/bench/bench_mirror $(BENCH_ARGS)
.PHONY: bench
