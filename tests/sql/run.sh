#!/bin/sh
# run.sh FILE.sql — runs one pgTAP file (tests/sql/) and prints its TAP.
#
# The file gets a database of its own on the throwaway cluster named by
# $OCOP_TEST_PG, brought up to date by ocopctl migrate (the same migrations
# and SQL logic as production), and runs in one transaction that it rolls
# back itself. Without $OCOP_TEST_PG, or without pgTAP installed
# (postgresql-15-pgtap, installed by scripts/setup), the file is skipped.
# `make check` runs every file through this script (tests/sql/local.mk).
set -u

file=$1
name=$(basename "$file" .sql)
skip() { echo "1..0 # SKIP $*"; exit 0; }

[ -n "${OCOP_TEST_PG:-}" ] || skip "OCOP_TEST_PG is not set (scripts/pgtmp start DIR prints one)"
ctl=${top_builddir:-.}/ocopctl
[ -x "$ctl" ] || { echo "Bail out! $ctl is not built"; exit 1; }

q() { psql "$OCOP_TEST_PG" -X -q -At -v ON_ERROR_STOP=1 "$@"; }
[ "$(q -c "SELECT count(*) FROM pg_available_extensions WHERE name = 'pgtap'")" = 1 ] \
  || skip "pgTAP is not installed (apt-get install postgresql-15-pgtap)"

db=ocop_sql_${name}_$$
drop() { q -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1; }
trap drop EXIT
q -c "CREATE DATABASE $db" >/dev/null || { echo "Bail out! cannot create database $db"; exit 1; }
conn="$OCOP_TEST_PG dbname=$db"
out=$("$ctl" -d "$conn" migrate 2>&1) || { echo "Bail out! ocopctl migrate: $out"; exit 1; }

# Tuples only, unaligned: what the file SELECTs is its TAP. NOTICEs (pgTAP's
# own, the server's) go to stderr, which the test log keeps.
psql "$conn" -X -q -At -v ON_ERROR_STOP=1 -P pager=off -f "$file"
