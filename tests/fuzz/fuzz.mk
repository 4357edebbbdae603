# tests/fuzz/fuzz.mk — builds the libFuzzer targets with clang, apart from
# the gcc build: a plain GNU make file that tests/fuzz/run calls as
#
#   make -f $(top_srcdir)/tests/fuzz/fuzz.mk top_srcdir=... top_builddir=... \
#        OUT=$(top_builddir)/tests/fuzz/build
#
# Every object is built with -fsanitize=fuzzer,address,undefined (coverage
# for libFuzzer, ASan and UBSan, any UBSan report fatal) into $(OUT)/obj,
# with its dependencies (-MMD), so a second run rebuilds only what changed.
# The connectors' entry points are renamed per connector (fuzz_<name>_entry)
# so that one program can hold several of them: the webhook target does.

top_srcdir ?= .
top_builddir ?= .
OUT ?= $(top_builddir)/tests/fuzz/build
CLANG ?= clang
PKG_CONFIG ?= pkg-config

S = $(top_srcdir)
SAN = -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
PKGS = libcjson libcrypto libpng libjpeg inih libpq
FUZZ_CFLAGS = -std=c11 -g -O1 -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes \
	-Wformat=2 -Wno-format-zero-length -Wno-unused-parameter $(SAN) \
	$(shell $(PKG_CONFIG) --cflags $(PKGS))
FUZZ_CPPFLAGS = -D_GNU_SOURCE -DPKGLIBDIR='"/usr/lib/ocopd"' -I$(S)/lib -I$(S)/daemon -I$(S)/ctl -I$(S)/connectors \
	-I$(S)/tests/fuzz -I$(top_builddir)
FUZZ_LIBS = $(shell $(PKG_CONFIG) --libs $(PKGS))

# ---- sources ---------------------------------------------------------------
COMMON = connectors/common/buf.c connectors/common/claims.c connectors/common/hmac.c \
	connectors/common/json.c connectors/common/ops.c connectors/common/orders.c \
	connectors/common/text.c connectors/common/token.c connectors/common/validate.c \
	connectors/common/verdict.c
SHOPEE = $(addprefix connectors/shopee/,connector.c shop.c request.c body.c parse.c \
	orders.c push.c models.c variants.c media.c category.c content.c)
LAZADA = $(addprefix connectors/lazada/,connector.c shop.c request.c payload.c parse.c \
	time.c orders.c items.c push.c variants.c content.c upload.c category.c)
TIKTOK = $(addprefix connectors/tiktok/,connector.c shop.c request.c body.c parse.c \
	listing.c orders.c push.c content.c upload.c category.c)
CONN_DRIVER = tests/fuzz/fuzz_conn.c daemon/order_doc.c $(COMMON)
IMPORT = ctl/import.c ctl/import_variants.c ctl/import_content.c ctl/import_bulk.c lib/csv.c lib/migrate.c \
	lib/logic.c lib/schema_db.c

# The targets and their sources (paths from the top of the tree).
TARGETS = shopee lazada tiktok webhook csv import order_csv order_doc config image
SRC_shopee = tests/fuzz/fuzz_shopee.c $(CONN_DRIVER) $(SHOPEE)
SRC_lazada = tests/fuzz/fuzz_lazada.c $(CONN_DRIVER) $(LAZADA)
SRC_tiktok = tests/fuzz/fuzz_tiktok.c $(CONN_DRIVER) $(TIKTOK)
SRC_webhook = tests/fuzz/fuzz_webhook.c daemon/push_check.c $(COMMON) $(SHOPEE) $(LAZADA) \
	$(TIKTOK)
SRC_csv = tests/fuzz/fuzz_csv.c lib/csv.c
SRC_import = tests/fuzz/fuzz_import.c $(IMPORT)
NODIST_import = sql_migrations.c
SRC_order_csv = tests/fuzz/fuzz_order_csv.c daemon/order_csv.c lib/csv.c
SRC_order_doc = tests/fuzz/fuzz_order_doc.c daemon/order_doc.c
SRC_config = tests/fuzz/fuzz_config.c lib/config.c lib/addr.c lib/log.c
SRC_image = tests/fuzz/fuzz_image.c lib/image.c

obj = $(patsubst %.c,$(OUT)/obj/%.o,$(1))
BINS = $(addprefix $(OUT)/fuzz_,$(TARGETS))

all: $(BINS)
.PHONY: all

define target_rule
$(OUT)/fuzz_$(1): $(call obj,$(SRC_$(1))) $(patsubst %.c,$(OUT)/gen/%.o,$(NODIST_$(1)))
	$$(CLANG) $$(FUZZ_CFLAGS) -o $$@ $$^ $$(FUZZ_LIBS)
endef
$(foreach t,$(TARGETS),$(eval $(call target_rule,$(t))))

$(OUT)/obj/connectors/shopee/%.o: XDEFS = -Docop_connector_abi6=fuzz_shopee_entry
$(OUT)/obj/connectors/lazada/%.o: XDEFS = -Docop_connector_abi6=fuzz_lazada_entry
$(OUT)/obj/connectors/tiktok/%.o: XDEFS = -Docop_connector_abi6=fuzz_tiktok_entry

$(OUT)/obj/%.o: $(S)/%.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CPPFLAGS) $(XDEFS) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

# Made by the gcc build (the migrations as C strings).
$(OUT)/gen/%.o: $(top_builddir)/%.c
	@mkdir -p $(@D)
	$(CLANG) $(FUZZ_CPPFLAGS) $(FUZZ_CFLAGS) -MMD -MP -c -o $@ $<

-include $(shell find $(OUT) -name '*.d' 2>/dev/null)
