# systemd/ — the service unit, the ocopd user (sysusers.d) and its folders
# (tmpfiles.d), installed where configure's --with-systemdsystemunitdir,
# --with-sysusersdir and --with-tmpfilesdir say. Each is made from its
# source with $(edit) (Makefile.am); the sysusers.d and tmpfiles.d files are
# made under the name they are installed by, ocopd.conf, in folders of their
# own.
SYSTEMD_IN = systemd/ocopd.service.in systemd/ocopd.sysusers systemd/ocopd.tmpfiles.in
EXTRA_DIST += $(SYSTEMD_IN)
SYSTEMD_OUT = systemd/ocopd.service systemd/sysusers.d/ocopd.conf systemd/tmpfiles.d/ocopd.conf
CLEANFILES += $(SYSTEMD_OUT)
noinst_DATA = $(SYSTEMD_OUT)

if HAVE_SYSTEMDSYSTEMUNITDIR
nodist_systemdsystemunit_DATA = systemd/ocopd.service
endif
if HAVE_SYSUSERSDIR
nodist_sysusers_DATA = systemd/sysusers.d/ocopd.conf
endif
if HAVE_TMPFILESDIR
nodist_tmpfiles_DATA = systemd/tmpfiles.d/ocopd.conf
endif

systemd/ocopd.service: systemd/ocopd.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(edit) $(srcdir)/systemd/ocopd.service.in >$@-t && mv -f $@-t $@
systemd/sysusers.d/ocopd.conf: systemd/ocopd.sysusers Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(edit) $(srcdir)/systemd/ocopd.sysusers >$@-t && mv -f $@-t $@
systemd/tmpfiles.d/ocopd.conf: systemd/ocopd.tmpfiles.in Makefile
	$(AM_V_GEN)$(MKDIR_P) $(@D) && $(edit) $(srcdir)/systemd/ocopd.tmpfiles.in >$@-t && mv -f $@-t $@
