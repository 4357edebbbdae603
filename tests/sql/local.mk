# tests/sql/ — SQL-level tests with pgTAP: the rules of the SQL logic
# (sql/logic/) checked in the database itself. Each file runs in a fresh,
# migrated database inside a transaction it rolls back (tests/sql/run.sh);
# the tap driver counts every assertion.
TEST_EXTENSIONS += .sql
SQL_LOG_DRIVER = $(LOG_DRIVER)
SQL_LOG_COMPILER = $(SHELL) $(top_srcdir)/tests/sql/run.sh

SQL_TESTS = \
	tests/sql/eligibility.sql \
	tests/sql/listing_jobs.sql \
	tests/sql/orders.sql \
	tests/sql/stock.sql
TESTS += $(SQL_TESTS)
EXTRA_DIST += tests/sql/run.sh $(SQL_TESTS)
