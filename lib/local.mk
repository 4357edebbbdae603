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
