#!/bin/sh
# deadline.sh — runs one test program of `make check` (tests/local.mk puts
# it in front of every LOG_COMPILER) under a deadline, and says how long it
# took. A test program that hangs is killed, with everything it started
# (timeout(1) signals its whole process group), instead of holding the
# whole suite: its plan is then short, the TAP driver counts an ERROR, and
# scripts/check prints the end of its log.
#
#   tests/deadline.sh PROGRAM [ARGS...]
#
# The deadline is the program's own line below, else 600 s; OCOP_TEST_DEADLINE
# (seconds) overrides it for every program. The last line of the log is
# "# PROGRAM: N s", which scripts/check prints beside the program's counts.
for last in "$@"; do :; done
case $last in
  */run-itest) secs=1800 ;;
  */soak | */test_fuzz.sh | */test_install.sh | */test_upgrade.sh) secs=900 ;;
  *) secs=600 ;;
esac
[ -n "${OCOP_TEST_DEADLINE:-}" ] && secs=$OCOP_TEST_DEADLINE

# In the background so that this shell, left in make's process group, can
# pass an interrupt (^C) on to timeout, which passes it to the group it made.
start=$(date +%s)
timeout --kill-after=15 "$secs" "$@" &
pid=$!
trap 'kill -TERM "$pid" 2>/dev/null' INT TERM HUP
wait "$pid"
rc=$?
while kill -0 "$pid" 2>/dev/null; do # wait was cut short by the trap
  wait "$pid"
  rc=$?
done
if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
  echo "# ${last##*/}: killed at its deadline of $secs s (tests/deadline.sh)"
fi
echo "# ${last##*/}: $(($(date +%s) - start)) s"
exit "$rc"
