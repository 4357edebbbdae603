# sql/ — numbered migrations (tables) and logic files (functions, views,
# triggers), compiled into the programs that apply them (sql/README.md).
#
# Append each new migration here, in order; embed.sh refuses versions that do
# not increase. The generated file lives in the build directory, so it is
# rebuilt whenever a migration, a logic file or the generator changes.

SQL_MIGRATIONS = \
	sql/001_catalogue.sql \
	sql/002_channels.sql \
	sql/003_sync.sql \
	sql/004_outbox.sql \
	sql/005_lifecycle.sql \
	sql/006_orders.sql \
	sql/007_reconcile.sql \
	sql/008_clock.sql \
	sql/009_variants.sql \
	sql/010_content.sql \
	sql/011_operate.sql \
	sql/012_ledger_notes.sql \
	sql/013_token_refusals.sql \
	sql/014_update_settle.sql \
	sql/015_orders_set_based.sql

# Applied after the migrations, in this order: a file may use what the files
# before it define (a LANGUAGE sql body and a view are checked when created).
SQL_LOGIC = \
	sql/logic/clock.sql \
	sql/logic/append_only.sql \
	sql/logic/catalogue.sql \
	sql/logic/stock.sql \
	sql/logic/eligibility.sql \
	sql/logic/assortment.sql \
	sql/logic/content.sql \
	sql/logic/listing_jobs.sql \
	sql/logic/sync.sql \
	sql/logic/outbox.sql \
	sql/logic/token.sql \
	sql/logic/lifecycle.sql \
	sql/logic/orders.sql \
	sql/logic/webhook.sql \
	sql/logic/reconcile.sql \
	sql/logic/operate.sql \
	sql/logic/ledger_ops.sql \
	sql/logic/import.sql \
	sql/logic/admin.sql

# Run from $(srcdir) so that embed.sh sees the files under their own names;
# write to a temporary first so that a failure leaves no stale output.
# Makefile too: adding a file to a list must regenerate the output even
# when the new .sql is older than the last output.
sql_migrations.c: $(SQL_MIGRATIONS) $(SQL_LOGIC) sql/embed.sh Makefile
	$(AM_V_GEN)(cd $(srcdir) && $(SHELL) sql/embed.sh $(SQL_MIGRATIONS) --logic $(SQL_LOGIC)) >$@-t \
	  && mv -f $@-t $@ || { rm -f $@-t; exit 1; }

BUILT_SOURCES += sql_migrations.c
CLEANFILES += sql_migrations.c sql_migrations.c-t
EXTRA_DIST += sql/embed.sh sql/README.md $(SQL_MIGRATIONS) $(SQL_LOGIC)
dist_pkgdata_DATA += $(SQL_MIGRATIONS)
sqllogicdir = $(pkgdatadir)/logic
dist_sqllogic_DATA = $(SQL_LOGIC)
