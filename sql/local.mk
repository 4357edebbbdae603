# sql/ — numbered migrations, compiled into the programs that apply them.
#
# Append each new migration here, in order; embed.sh refuses versions that do
# not increase. The generated file lives in the build directory, so it is
# rebuilt whenever a migration or the generator changes.

SQL_MIGRATIONS = \
	sql/001_catalogue.sql \
	sql/002_channels.sql \
	sql/003_sync.sql \
	sql/004_outbox.sql \
	sql/005_lifecycle.sql \
	sql/006_orders.sql \
	sql/007_reconcile.sql \
	sql/008_clock.sql

# Run from $(srcdir) so that embed.sh sees the files under their own names;
# write to a temporary first so that a failure leaves no stale output.
# Makefile too: adding a migration to the list must regenerate the file even
# when the new .sql is older than the last output.
sql_migrations.c: $(SQL_MIGRATIONS) sql/embed.sh Makefile
	$(AM_V_GEN)(cd $(srcdir) && $(SHELL) sql/embed.sh $(SQL_MIGRATIONS)) >$@-t \
	  && mv -f $@-t $@ || { rm -f $@-t; exit 1; }

BUILT_SOURCES += sql_migrations.c
CLEANFILES += sql_migrations.c sql_migrations.c-t
EXTRA_DIST += sql/embed.sh $(SQL_MIGRATIONS)
dist_pkgdata_DATA += $(SQL_MIGRATIONS)
