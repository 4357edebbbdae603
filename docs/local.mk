# docs/local.mk — included by the top Makefile.am (paths from the top).
# The developer reference is shipped with the sources.

EXTRA_DIST += docs/README.md docs/catalogue-csv.md docs/ocop-rules.md docs/postmart-orders.md \
	docs/variants.md docs/assortments.md docs/listing-content.md docs/operate.md docs/admin.md \
	docs/marketplaces/shopee.md docs/marketplaces/lazada.md \
	docs/marketplaces/tiktok.md docs/marketplaces/postmart.md
