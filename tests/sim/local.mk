# tests/sim/ — ocopsim, the marketplace simulator for integration tests,
# benchmarks and the demo (see tests/sim/README.md). Scripts build it with
# `make tests/sim/ocopsim`.
check_PROGRAMS += tests/sim/ocopsim
# The core, then the shared modules (one concern each), then the
# marketplaces; every .c has its .h (tests/sim/README.md, "Layout").
tests_sim_ocopsim_SOURCES = tests/sim/sim.c tests/sim/sim.h \
	tests/sim/sim_json.c tests/sim/sim_ctl.c tests/sim/sim_dec.c \
	tests/sim/sim_info.c tests/sim/sim_rate.c tests/sim/sim_tok.c \
	tests/sim/sim_acct.c tests/sim/sim_str.c tests/sim/sim_orders.c tests/sim/sim_form.c \
	tests/sim/sim_json.h tests/sim/sim_ctl.h tests/sim/sim_dec.h \
	tests/sim/sim_info.h tests/sim/sim_rate.h tests/sim/sim_tok.h \
	tests/sim/sim_acct.h tests/sim/sim_str.h tests/sim/sim_orders.h tests/sim/sim_form.h \
	tests/sim/sim_shopee.c tests/sim/sim_shopee.h \
	tests/sim/sim_lazada.c tests/sim/sim_lazada.h \
	tests/sim/sim_tiktok.c tests/sim/sim_tiktok.h
tests_sim_ocopsim_CFLAGS = $(AM_CFLAGS) $(MHD_CFLAGS) $(CJSON_CFLAGS) $(CRYPTO_CFLAGS) \
	$(CURL_CFLAGS)
tests_sim_ocopsim_LDADD = $(MHD_LIBS) $(CJSON_LIBS) $(CRYPTO_LIBS) \
	$(CURL_LIBS) -lpthread

# The simulator checked from the outside with curl and openssl (TAP).
EXTRA_DIST += tests/sim/sim_selftest.sh tests/sim/sim_selftest_lazada.sh \
	tests/sim/sim_selftest_tiktok.sh tests/sim/sim_selftest_lib.sh \
	tests/sim/README.md
