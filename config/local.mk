# config/ — the annotated configuration. The source names the package's
# folders (/etc/ocopd, /usr/lib/ocopd); the copy `make install` puts in
# $(sysconfdir)/ocopd names this build's. A re-install keeps the
# configuration there (it is the operator's) and leaves the new one beside
# the documents, as $(docdir)/ocopd.conf, to compare with. The credentials
# folder, for the <shop>.secret files, is readable by its owner alone
# (systemd/ocopd.tmpfiles.in gives it to the ocopd user).
EXTRA_DIST += config/ocopd.conf
nodist_doc_DATA = config/installed/ocopd.conf
CLEANFILES += config/installed/ocopd.conf
ocopdconfdir = $(sysconfdir)/ocopd

config/installed/ocopd.conf: config/ocopd.conf Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(SED) -e 's|/etc/ocopd|$(sysconfdir)/ocopd|g' \
	  -e 's|/usr/lib/ocopd|$(pkglibdir)|g' $(srcdir)/config/ocopd.conf >$@-t && mv -f $@-t $@

install-data-local: config/installed/ocopd.conf
	$(MKDIR_P) '$(DESTDIR)$(ocopdconfdir)'
	$(INSTALL) -d -m 700 '$(DESTDIR)$(ocopdconfdir)/credentials'
	@if test -f '$(DESTDIR)$(ocopdconfdir)/ocopd.conf'; then \
	  echo "kept $(DESTDIR)$(ocopdconfdir)/ocopd.conf; the new one is $(DESTDIR)$(docdir)/ocopd.conf"; \
	else \
	  echo " $(INSTALL_DATA) config/installed/ocopd.conf '$(DESTDIR)$(ocopdconfdir)/ocopd.conf'"; \
	  $(INSTALL_DATA) config/installed/ocopd.conf '$(DESTDIR)$(ocopdconfdir)/ocopd.conf'; \
	fi

# Only a configuration nobody changed is removed.
uninstall-local:
	@if cmp -s config/installed/ocopd.conf '$(DESTDIR)$(ocopdconfdir)/ocopd.conf'; then \
	  echo " rm -f '$(DESTDIR)$(ocopdconfdir)/ocopd.conf'"; \
	  rm -f '$(DESTDIR)$(ocopdconfdir)/ocopd.conf'; \
	elif test -f '$(DESTDIR)$(ocopdconfdir)/ocopd.conf'; then \
	  echo "kept $(DESTDIR)$(ocopdconfdir)/ocopd.conf: it was changed"; \
	fi
	rmdir '$(DESTDIR)$(ocopdconfdir)/credentials' '$(DESTDIR)$(ocopdconfdir)' 2>/dev/null || :
