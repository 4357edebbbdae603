#!/bin/sh
# embed.sh — turn the SQL files into sql_migrations.c.
#
#   sh sql/embed.sh sql/001_catalogue.sql ... --logic sql/logic/clock.sql ... > sql_migrations.c
#
# Each migration becomes one entry of `const struct migration migrations[]`
# (see lib/migrate.h): the version from the NNN_ prefix, the file's base
# name, its exact bytes as a C string literal, and the SHA-256 of those
# bytes. The checksum is what schema_migration records, so an edit to an
# applied file is caught at the next start.
#
# Each file after --logic becomes one entry of `const struct sql_logic
# sql_logic[]`, in the order given (the order they are applied in): its name
# under sql/ ("logic/clock.sql"), its bytes and their SHA-256. schema_logic
# records the checksums, so an edited file is applied again (lib/logic.h).
#
# The literal holds the file byte for byte: one literal per source line,
# backslash, quote and '?' escaped ('?' because -std=c11 turns trigraphs on),
# control bytes as three-digit octal escapes (never hex: a hex escape would
# swallow a following digit), UTF-8 bytes copied as they are. Files must be
# valid UTF-8 without NUL bytes, and versions strictly increasing. Nothing is
# printed unless every file passes, so a make rule never keeps half a file.
set -eu

die() { echo "embed.sh: $*" >&2; exit 1; }

usage="usage: embed.sh NNN_name.sql... --logic logic/name.sql..."
[ $# -gt 0 ] || die "$usage"

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum <"$1" | cut -d' ' -f1
  elif command -v shasum >/dev/null 2>&1; then
    shasum -a 256 <"$1" | cut -d' ' -f1
  elif command -v openssl >/dev/null 2>&1; then
    openssl dgst -sha256 -r <"$1" | cut -d' ' -f1
  else
    die "no sha256sum, shasum or openssl to checksum migrations"
  fi
}

# Sets size for file $1 and checks its bytes, or dies saying what is wrong.
check_file() {
  [ -f "$1" ] || die "$1: no such file"
  case ${1##*/} in
    *[!A-Za-z0-9_.-]*) die "$1: use only letters, digits, '_', '.' and '-' in the name" ;;
  esac
  size=$(wc -c <"$1" | tr -d ' ')
  [ "$(tr -d '\000' <"$1" | wc -c | tr -d ' ')" -eq "$size" ] || die "$1: contains a NUL byte"
  if command -v iconv >/dev/null 2>&1; then
    iconv -f UTF-8 -t UTF-8 <"$1" >/dev/null 2>&1 || die "$1: not valid UTF-8"
  fi
}

# Sets name, version and size for migration $1.
check() {
  name=${1##*/}
  case $name in
    [0-9][0-9][0-9]_*.sql) ;;
    *) die "$1: a migration is named NNN_name.sql" ;;
  esac
  check_file "$1"
  num=${name%%_*}
  case $num in *[!0-9]*) die "$1: the version prefix must be digits" ;; esac
  # expr drops leading zeros: 008 is eight, not an octal error.
  version=$(expr "$num" + 0)
}

# Sets name ("logic/NAME.sql") and size for logic file $1.
check_logic() {
  case $1 in
    logic/*.sql | */logic/*.sql) name=logic/${1##*/} ;;
    *) die "$1: a logic file is logic/NAME.sql" ;;
  esac
  case ${1##*/} in
    [0-9]*) die "$1: logic files are applied in the order given, not numbered" ;;
  esac
  check_file "$1"
}

# Prints file $1 as concatenated literals, one per line; the last line gets
# no "\n" when the file ($2 = 0) does not end with one.
literal() {
  LC_ALL=C awk -v last_nl="$2" '
    BEGIN {
      for (i = 1; i < 32; i++) ctl[sprintf("%c", i)] = sprintf("\\%03o", i)
      ctl[sprintf("%c", 127)] = "\\177"
      ctl["\t"] = "\\t"
      esc["\\"] = "\\\\"; esc["\""] = "\\\""; esc["?"] = "\\?"
    }
    NR > 1 { emit(prev, 1) }
    { prev = $0 }
    END { if (NR > 0) emit(prev, last_nl) }
    function emit(s, nl,    out, i, c, n) {
      out = ""; n = length(s)
      for (i = 1; i <= n; i++) {
        c = substr(s, i, 1)
        if (c in esc) out = out esc[c]
        else if (c in ctl) out = out ctl[c]
        else out = out c
        # Break very long lines after a space so no literal grows unreadable.
        if (c == " " && length(out) >= 100 && i < n) {
          printf "   \"%s\"\n", out; out = ""
        }
      }
      printf "   \"%s%s\"\n", out, (nl ? "\\n" : "")
    }
  ' "$1"
}

# Split the arguments: migrations, then --logic and the logic files.
nmig=0; nlogic=0; seen_logic=0
for f in "$@"; do
  if [ "$f" = --logic ]; then
    [ $seen_logic = 0 ] || die "--logic given twice"
    seen_logic=1
  elif [ $seen_logic = 0 ]; then
    nmig=$((nmig + 1))
  else
    nlogic=$((nlogic + 1))
  fi
done
[ $nmig -gt 0 ] && [ $nlogic -gt 0 ] || die "$usage"

prev=0; seen_logic=0; names=" "
for f in "$@"; do
  if [ "$f" = --logic ]; then seen_logic=1; continue; fi
  if [ $seen_logic = 0 ]; then
    check "$f"
    [ "$version" -gt "$prev" ] || die "$f: version $version does not follow $prev"
    prev=$version
  else
    check_logic "$f"
    case $names in *" $name "*) die "$f: listed twice" ;; esac
    names="$names$name "
  fi
done

# One entry: name, the literal, the checksum. $1 is the file, $2 what goes
# before the name ("8, " for a migration, "" for a logic file).
entry() {
  last_nl=1
  if [ "$size" -gt 0 ] && [ "$(tail -c 1 "$1" | od -An -tx1 | tr -d ' \n')" != 0a ]; then
    last_nl=0
  fi
  printf '  {%s"%s",\n' "$2" "$name"
  if [ "$size" -eq 0 ]; then
    printf '   ""\n'
  else
    literal "$1" "$last_nl"
  fi
  printf '   , "%s"},\n' "$(sha256 "$1")"
}

cat <<'EOF'
/* sql_migrations.c — generated by sql/embed.sh from the files in SQL_MIGRATIONS
 * and SQL_LOGIC (sql/local.mk). Do not edit: change the .sql file. */
#include <stddef.h>

#include "logic.h"
#include "migrate.h"

const struct migration migrations[] = {
EOF

seen_logic=0
for f in "$@"; do
  if [ "$f" = --logic ]; then
    seen_logic=1
    printf '};\n\nconst size_t migrations_count = sizeof migrations / sizeof migrations[0];\n\n'
    printf 'const struct sql_logic sql_logic[] = {\n'
    continue
  fi
  if [ $seen_logic = 0 ]; then
    check "$f"
    entry "$f" "$version, "
  else
    check_logic "$f"
    entry "$f" ""
  fi
done

cat <<'EOF'
};

const size_t sql_logic_count = sizeof sql_logic / sizeof sql_logic[0];
EOF
