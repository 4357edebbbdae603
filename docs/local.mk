# docs/local.mk — included by the top Makefile.am (paths from the top).
# README.md and the reference under docs/ go to $(docdir), docs/ keeping its
# folders so that README's links still lead somewhere. The man pages are
# made from docs/man/*.in with $(edit) (Makefile.am), for this build's paths.

dist_doc_DATA += README.md
nobase_dist_doc_DATA = docs/README.md docs/catalogue-csv.md docs/ocop-rules.md \
	docs/postmart-orders.md docs/variants.md docs/assortments.md docs/listing-content.md \
	docs/operate.md docs/admin.md docs/create-once.md docs/pushes.md docs/soak.md \
	docs/fuzzing.md \
	docs/marketplaces/shopee.md docs/marketplaces/lazada.md \
	docs/marketplaces/tiktok.md docs/marketplaces/postmart.md

MAN_IN = docs/man/ocopd.8.in docs/man/ocopctl.8.in docs/man/ocopd.conf.5.in
nodist_man_MANS = docs/man/ocopd.8 docs/man/ocopctl.8 docs/man/ocopd.conf.5
EXTRA_DIST += $(MAN_IN)
CLEANFILES += $(nodist_man_MANS)

docs/man/ocopd.8: docs/man/ocopd.8.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(edit) $(srcdir)/docs/man/ocopd.8.in >$@-t && mv -f $@-t $@
docs/man/ocopctl.8: docs/man/ocopctl.8.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(edit) $(srcdir)/docs/man/ocopctl.8.in >$@-t && mv -f $@-t $@
docs/man/ocopd.conf.5: docs/man/ocopd.conf.5.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(edit) $(srcdir)/docs/man/ocopd.conf.5.in >$@-t && mv -f $@-t $@
