#!/usr/bin/env bash
# test_install.sh — ocopd installs as a service (issue 13, point 6).
#
#   1. `make install DESTDIR=...` of the build tree: the programs, the
#      connectors where the installed ocopd looks for them, the configuration
#      (kept on a re-install; a good one), the credentials folder (0700), the
#      unit, the sysusers.d and tmpfiles.d files, the man pages and the docs;
#   2. the unit as installed: its ExecStart and config are the installed
#      ones, `systemd-analyze verify --root` passes (and fails once the
#      program is gone), `systemd-analyze security --offline` is at most 1.5;
#   3. sysusers.d and tmpfiles.d: systemd-sysusers --dry-run, and, as root,
#      the user and folders made in the DESTDIR tree;
#   4. the man pages render without a warning (groff -ww, man -l) and name
#      every option of `ocopd --help-config` with its default and every
#      command of `ocopctl --help`;
#   5. make uninstall leaves only the configuration the operator changed;
#   6. with $OCOP_TEST_PG set (the full suite, scripts/check): the Debian
#      package is built from `make distdir` and lintian finds no error
#      (about a minute and a half; scripts/package-check --chroot installs it
#      on a fresh Debian 12 too).
#
# Speaks TAP; parts whose tools are missing (systemd-analyze, dpkg-buildpackage,
# lintian) are skipped, said in the TAP line. Runs by hand too:
#   top_builddir=. tests/install/test_install.sh
# The work folder is removed when everything passed, kept and named otherwise.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@" # make check runs it with sh
set -uo pipefail

top_srcdir=$(cd "${top_srcdir:-$(dirname "$0")/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)

# ---- TAP ------------------------------------------------------------------

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
skip() { n=$((n + 1)); echo "ok $n - $1 # SKIP $2"; }
diag() { sed 's/^/# /'; }
bail() { echo "Bail out! $*"; exit 1; }
# check DESCRIPTION COMMAND...: one TAP line from a command's exit status.
check() {
  local desc=$1
  shift
  if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# empty DESCRIPTION FILE: passes when FILE (what went wrong) is empty.
empty() {
  if [ ! -s "$2" ]; then ok "$1"; else
    not_ok "$1"
    head -n 20 "$2" | diag
  fi
}

[ -f "$top_builddir/Makefile" ] || bail "$top_builddir is not a configured build tree"
work=$(mktemp -d /tmp/ocop-install-XXXXXX)
root=$work/root
cleanup() {
  if [ "$failed" = 0 ] && [ "${planned:-}" = yes ]; then rm -rf "$work"; else
    echo "# kept $work"
  fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

# The make of the build tree, not of the `make check` that runs this test:
# no jobserver or flags of the caller; and on the machine's own clock
# (scripts/check --date preloads libfaketime), since make compares file
# times. So are the package build, lintian, and the system's own tools
# (man sandboxes itself and refuses libfaketime's semaphore).
real_clock() { env -u LD_PRELOAD -u FAKETIME -u MAKEFLAGS -u MFLAGS -u MAKELEVEL "$@"; }
mk() { real_clock make -s -C "$top_builddir" "$@"; }

# ---- 1. make install ----------------------------------------------------------

install_tree() {
  if mk install DESTDIR="$root" >"$work/install.log" 2>&1; then ok "make install DESTDIR=..."; else
    not_ok "make install DESTDIR=..."
    tail -n 20 "$work/install.log" | diag
    bail "nothing to check without an install"
  fi
  # Every path below comes from what was installed: the unit names the
  # program and its configuration, the program names its connector folder.
  unit=$(cd "$root" && find . -path '*/systemd/system/ocopd.service' | sed 's/^\.//')
  [ -n "$unit" ] || bail "no ocopd.service under $root"
  exec_start=$(sed -n 's/^ExecStart=//p' "$root$unit")
  bin=${exec_start%% *}
  conf=$(echo "$exec_start" | sed -n 's/.* -c \([^ ]*\).*/\1/p')
  bindir=$(dirname "$bin")
  confdir=$(dirname "$conf")
  sysusers=$(cd "$root" && find . -path '*/sysusers.d/ocopd.conf' | sed 's/^\.//')
  tmpfiles=$(cd "$root" && find . -path '*/tmpfiles.d/ocopd.conf' | sed 's/^\.//')
  mandir=$(cd "$root" && find . -path '*/man8/ocopd.8' | sed 's/^\.//; s|/man8/ocopd.8$||')
  docdir=$(sed -n 's|^Documentation=file:\(.*\)/README.md$|\1|p' "$root$unit")
}

check_layout() {
  check "ExecStart runs the installed ocopd ($bin)" [ -x "$root$bin" ]
  check "ocopctl is installed beside it" [ -x "$root$bindir/ocopctl" ]
  check "the installed ocopd runs (--version)" eval '"$root$bin" --version >/dev/null'
  local conndir m missing=''
  conndir=$("$root$bin" --help-config | awk '$1 == "connector_dir" { print $3 }')
  for m in shopee lazada tiktok postmart; do
    [ -f "$root$conndir/$m.so" ] || missing="$missing $m.so"
  done
  check "the connectors are in the folder ocopd reads ($conndir)${missing:+; missing$missing}" \
    [ -z "$missing" ]
  check "the configuration is installed where the unit reads it ($conf)" [ -f "$root$conf" ]
  # No database and no shop here: the file itself must have no problem, and
  # the check must name the database it could not reach.
  # It exits 1 for the missing database, so its output is read from a file
  # (under pipefail a pipe would take that exit status).
  "$root$bin" --check-config -c "$root$conf" >"$work/check-config.out" 2>&1
  check "the installed configuration reads without a problem (ocopd --check-config)" \
    eval 'grep -q "^  ok      config: " "$work/check-config.out" &&
          ! grep -q "PROBLEM config:" "$work/check-config.out"'
  check "the configuration reads secrets from $confdir/credentials" \
    grep -q "^credentials_dir = $confdir/credentials\$" "$root$conf"
  check "the credentials folder is mode 0700" [ "$(stat -c %a "$root$confdir/credentials")" = 700 ]
  check "sysusers.d/ocopd.conf is installed" [ -n "$sysusers" ]
  check "tmpfiles.d/ocopd.conf is installed" [ -n "$tmpfiles" ]
  check "the man pages ocopd(8), ocopctl(8), ocopd.conf(5) are installed" \
    [ -f "$root$mandir/man8/ocopd.8" -a -f "$root$mandir/man8/ocopctl.8" -a -f "$root$mandir/man5/ocopd.conf.5" ]
  check "the unit's Documentation= README.md is installed ($docdir)" [ -f "$root$docdir/README.md" ]
  # Every document under docs/, so that a new one must be named in
  # docs/local.mk to ship.
  (cd "$top_srcdir" && find docs -name '*.md' | sort) >"$work/docs.want"
  (cd "$root$docdir" && find docs -name '*.md' | sort) >"$work/docs.got"
  if diff "$work/docs.want" "$work/docs.got" >"$work/docs.diff"; then
    ok "every docs/*.md is installed under $docdir/docs"
  else
    not_ok "every docs/*.md is installed under $docdir/docs"
    diag <"$work/docs.diff"
  fi
}

check_reinstall() {
  echo "; the operator's change" >>"$root$conf"
  mk install DESTDIR="$root" >"$work/reinstall.log" 2>&1
  check "a re-install keeps the operator's configuration" grep -q "the operator's change" "$root$conf"
  check "and says where the new one is" grep -q "^kept $root$conf" "$work/reinstall.log"
}

# ---- 2. the unit ------------------------------------------------------------------

# The units ocopd.service depends on, from the system: --root looks for them
# in the tree. The man pages its Documentation= names are the installed ones.
unit_root() {
  local sysunits t
  sysunits=$(pkg-config --variable=systemdsystemunitdir systemd 2>/dev/null)
  sysunits=${sysunits:-/lib/systemd/system}
  mkdir -p "$root/usr/lib/systemd/system" "$root/bin"
  for t in sysinit basic shutdown network-online multi-user; do
    cp "$sysunits/$t.target" "$root/usr/lib/systemd/system/" 2>/dev/null || return 1
  done
  [ -e "$root/bin/kill" ] || cp "$(type -P kill)" "$root/bin/kill"
}

# SYSTEMD_UNIT_PATH: the unit's folder first (under make distcheck it is
# one systemd does not read), then the usual ones (the trailing colon).
verify() {
  SYSTEMD_UNIT_PATH="$(dirname "$unit"):" MANPATH=$root$mandir \
    real_clock systemd-analyze verify --root="$root" "$unit" >"$work/verify.log" 2>&1
}

check_unit() {
  local score
  if ! command -v systemd-analyze >/dev/null; then
    skip "systemd-analyze verify" "systemd-analyze is not installed"
    skip "systemd-analyze security" "systemd-analyze is not installed"
    return
  fi
  if ! unit_root; then
    skip "systemd-analyze verify" "no system units to verify against (is systemd installed?)"
  elif verify; then
    ok "systemd-analyze verify --root passes on the installed unit"
    # The same verify must notice a unit whose program is not there.
    mv "$root$bin" "$root$bin.away"
    if verify; then not_ok "verify fails when ExecStart names no program"; else
      ok "verify fails when ExecStart names no program"
    fi
    mv "$root$bin.away" "$root$bin"
  else
    not_ok "systemd-analyze verify --root passes on the installed unit"
    diag <"$work/verify.log"
  fi
  score=$(real_clock systemd-analyze security --offline=yes "$root$unit" 2>/dev/null |
    sed -n 's/.*Overall exposure level for ocopd.service: \([0-9.]*\).*/\1/p')
  echo "# systemd-analyze security --offline=yes: ${score:-none}"
  check "the unit's exposure level is at most 1.5 (${score:-none})" \
    awk -v s="${score:-99}" 'BEGIN { exit !(s <= 1.5) }'
}

# ---- 3. sysusers.d and tmpfiles.d ------------------------------------------------

check_users_and_folders() {
  local uid bad=''
  if ! command -v systemd-sysusers >/dev/null || ! command -v systemd-tmpfiles >/dev/null; then
    skip "sysusers.d and tmpfiles.d" "systemd-sysusers or systemd-tmpfiles is not installed"
    return
  fi
  # The files are named: a prefix such as make distcheck's is not among
  # the folders systemd reads.
  systemd-sysusers --root="$root" --dry-run "$root$sysusers" >"$work/sysusers.log" 2>&1
  check "systemd-sysusers --dry-run would create the user ocopd" \
    grep -q "Creating user 'ocopd'" "$work/sysusers.log"
  if [ "$(id -u)" != 0 ]; then
    skip "the user and folders made in the tree" "not root (systemd-tmpfiles would chown)"
    return
  fi
  mkdir -p "$root/etc"
  systemd-sysusers --root="$root" "$root$sysusers" >>"$work/sysusers.log" 2>&1
  uid=$(awk -F: '$1 == "ocopd" && $7 ~ /nologin$/ { print $3 }' "$root/etc/passwd" 2>/dev/null)
  check "systemd-sysusers makes ocopd, home /var/lib/ocopd, no login" \
    grep -q "^ocopd:x:[0-9]*:[0-9]*:[^:]*:/var/lib/ocopd:.*nologin\$" "$root/etc/passwd"
  if systemd-tmpfiles --root="$root" --create "$root$tmpfiles" >"$work/tmpfiles.log" 2>&1; then
    ok "systemd-tmpfiles --create accepts tmpfiles.d/ocopd.conf"
  else
    not_ok "systemd-tmpfiles --create accepts tmpfiles.d/ocopd.conf"
    diag <"$work/tmpfiles.log"
  fi
  for d in /var/lib/ocopd:750 /var/lib/ocopd/media:750 /var/lib/ocopd/postmart/feed:750 \
    /var/lib/ocopd/postmart/orders:750 "$confdir/credentials:700"; do
    [ "$(stat -c '%u %a' "$root${d%:*}" 2>/dev/null)" = "${uid:-none} ${d##*:}" ] || bad="$bad ${d%:*}"
  done
  check "the folders are ocopd's, modes 750 (credentials 700)${bad:+; wrong:$bad}" [ -z "$bad" ]
}

# ---- 4. the man pages ---------------------------------------------------------------

check_man() {
  local page out opt def line
  if ! command -v groff >/dev/null; then
    skip "the man pages render" "groff is not installed"
  else
    : >"$work/groff.log"
    for page in man8/ocopd.8 man8/ocopctl.8 man5/ocopd.conf.5; do
      real_clock groff -man -Tutf8 -ww -z "$root$mandir/$page" 2>&1 | sed "s|^|$page: |" >>"$work/groff.log"
      if command -v man >/dev/null; then
        MANWIDTH=80 real_clock man --warnings -l "$root$mandir/$page" 2>&1 >/dev/null | sed "s|^|man -l $page: |" >>"$work/groff.log"
      fi
    done
    empty "the man pages render without a warning (groff -ww, man --warnings -l)" "$work/groff.log"
  fi
  # ocopd.conf(5): each option's entry says its default as --help-config
  # prints it ("default empty" for "", "required" for database).
  : >"$work/options.log"
  while read -r opt _ def _; do
    line=$(grep "^\.BI $opt \"" "$root$mandir/man5/ocopd.conf.5" | sed 's/\\f[BIRP]//g')
    case $def in '""') def=empty ;; esac
    [ "$opt" = database ] && def=required
    case $line in
    "") echo "$opt: no entry" ;;
    *"default $def"* | *"$def)"*) ;;
    *) echo "$opt: the entry does not say \"default $def\": $line" ;;
    esac
  done < <("$root$bin" --help-config) >>"$work/options.log"
  empty "ocopd.conf(5) documents every option of ocopd --help-config with its default" "$work/options.log"
  # ocopctl(8): a .TP entry per command of ocopctl --help (the first word
  # of the line after each .TP).
  awk 'prev == ".TP" { sub(/^\.B[IR]? +"?/, ""); sub(/[ "].*/, ""); print } { prev = $0 }' \
    "$root$mandir/man8/ocopctl.8" | sort -u >"$work/commands.man"
  "$root$bindir/ocopctl" --help | sed -n 's/^  \([a-z][a-z-]*\)\( .*\)\{0,1\}$/\1/p' |
    while read -r cmd; do
      grep -q -x -F "$cmd" "$work/commands.man" || echo "$cmd: no entry"
    done >"$work/commands.log"
  empty "ocopctl(8) documents every command of ocopctl --help" "$work/commands.log"
}

# ---- 5. make uninstall ------------------------------------------------------------------

check_uninstall() {
  mk uninstall DESTDIR="$root" >"$work/uninstall.log" 2>&1
  (cd "$root" && find . -type f | sed 's/^\.//' | grep -v -x -F "$conf") >"$work/left.log"
  empty "make uninstall removes every file but the changed configuration" "$work/left.log"
}

# ---- 6. the Debian package ------------------------------------------------------------

check_package() {
  local src tool errors
  if [ -z "${OCOP_TEST_PG:-}" ]; then
    skip "the Debian package builds and passes lintian" "runs with the full suite (OCOP_TEST_PG set)"
    return
  fi
  for tool in dpkg-buildpackage dh lintian; do
    command -v "$tool" >/dev/null || { skip "the Debian package" "$tool is not installed"; return; }
  done
  src=$work/ocopd-src
  mk distdir distdir="$src" top_distdir="$src" >"$work/distdir.log" 2>&1 ||
    { not_ok "make distdir"; tail -n 20 "$work/distdir.log" | diag; return; }
  # One job: the rest of the suite runs beside it, some of it timing-sensitive.
  if (cd "$src" && real_clock dpkg-buildpackage -us -uc -b -j1) \
    >"$work/package.log" 2>&1; then
    ok "dpkg-buildpackage -us -uc -b builds $(cd "$work" && ls ocopd_*.deb)"
  else
    not_ok "dpkg-buildpackage -us -uc -b"
    tail -n 30 "$work/package.log" | diag
    return
  fi
  real_clock lintian "$work"/ocopd_*.changes 2>&1 | grep -v 'root privileges' >"$work/lintian.log"
  errors=$(grep -c '^E:' "$work/lintian.log")
  diag <"$work/lintian.log"
  check "lintian finds no error ($errors errors, $(grep -c '^W:' "$work/lintian.log") warnings)" [ "$errors" = 0 ]
  dpkg-deb -c "$work"/ocopd_*.deb >"$work/deb.list"
  check "the package holds the unit, the user, the folders and the configuration" \
    grep -q -E '\./etc/ocopd/ocopd\.conf$' "$work/deb.list"
  grep -q -E '\./(usr/)?lib/systemd/system/ocopd\.service$' "$work/deb.list" &&
    grep -q -E '\./usr/lib/sysusers\.d/ocopd\.conf$' "$work/deb.list" &&
    grep -q -E '\./usr/lib/tmpfiles\.d/ocopd\.conf$' "$work/deb.list" ||
    { not_ok "the package's unit, sysusers.d and tmpfiles.d files"; return; }
  ok "the package's unit, sysusers.d and tmpfiles.d files"
  dpkg-deb -e "$work"/ocopd_*.deb "$work/control"
  check "its postinst makes the user before the folders" \
    awk '/systemd-sysusers/ { u = NR } /systemd-tmpfiles/ { t = NR } END { exit !(u && t && u < t) }' \
    "$work/control/postinst"
}

# ---- main ---------------------------------------------------------------------------

start=$SECONDS
install_tree
check_layout
check_reinstall
check_man
check_uninstall
install_tree
check_unit
check_users_and_folders
check_package
echo "1..$n"
planned=yes
echo "# $((SECONDS - start)) s in all"
exit "$failed"
