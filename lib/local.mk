# lib/local.mk — lib/ parts that bring libraries of their own. Included from
# Makefile.am after daemon/local.mk (it adds to ocopd's variables). The unit
# tests take the same files through tests/local.mk.

# lib/image.c: product images checked with libjpeg-turbo and libpng, hashed
# with OpenSSL's EVP (already one of ocopd's libraries).
IMAGE_SRC = lib/image.c lib/image.h
IMAGE_CFLAGS = $(PNG_CFLAGS) $(JPEG_CFLAGS) $(CRYPTO_CFLAGS)
IMAGE_LIBS = $(PNG_LIBS) $(JPEG_LIBS) $(CRYPTO_LIBS)

ocopd_SOURCES += $(IMAGE_SRC)
ocopd_CFLAGS += $(PNG_CFLAGS) $(JPEG_CFLAGS)
ocopd_LDADD += $(PNG_LIBS) $(JPEG_LIBS)

# lib/tokenseal.c and lib/tokenkey.c: marketplace tokens sealed at rest with
# OpenSSL's EVP (AES-256-GCM) under the key file of the credentials folder.
# ctl/local.mk adds them to ocopctl (it is included after this file).
TSEAL_SRC = lib/tokenseal.c lib/tokenseal.h lib/tokenkey.c lib/tokenkey.h
ocopd_SOURCES += $(TSEAL_SRC)
tests_unit_run_unit_SOURCES += $(TSEAL_SRC) tests/unit/test_tokenseal.c
