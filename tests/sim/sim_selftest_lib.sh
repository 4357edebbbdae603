# sim_selftest_lib.sh — what the simulator's TAP self-tests share
# (sim_selftest.sh, sim_selftest_lazada.sh, sim_selftest_tiktok.sh): the
# prerequisites, a scratch directory, TAP counting, starting and stopping
# ocopsim, control calls and HMAC. Sourced, not run; the sourcing script
# sets PLAN first. Uses only curl, openssl and POSIX sh.

OCOPSIM=${OCOPSIM:-${top_builddir:-.}/tests/sim/ocopsim}

for tool in curl openssl; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "1..0 # SKIP $tool is not installed"
    exit 0
  fi
done
if [ ! -x "$OCOPSIM" ]; then
  echo "Bail out! $OCOPSIM is not built"
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ocopsim-${SIM_TAG:-test}.XXXXXX") || exit 1
sim_pid=
cleanup() {
  if [ -n "$sim_pid" ]; then kill "$sim_pid" 2>/dev/null; fi
  rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 1' INT TERM

n=0
failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
# check DESCRIPTION COMMAND...: one TAP line from a command's exit status.
check() {
  desc=$1
  shift
  if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
has() { grep -q -- "$1" "$tmp/body"; }
lacks() { ! grep -q -- "$1" "$tmp/body"; }

# sim_start DESCRIPTION: prints the plan, starts ocopsim with $tmp/seed.json
# on an ephemeral port, sets BASE and counts one check ("DESCRIPTION (port)").
sim_start() {
  echo "1..$PLAN"
  "$OCOPSIM" --listen 127.0.0.1:0 --seed "$tmp/seed.json" --quiet \
    >"$tmp/out" 2>"$tmp/err" &
  sim_pid=$!
  i=0
  while [ $i -lt 50 ] && ! grep -q '^ocopsim listening on ' "$tmp/out"; do
    sleep 0.1
    i=$((i + 1))
  done
  port=$(sed -n 's/^ocopsim listening on 127\.0\.0\.1:\([0-9][0-9]*\)$/\1/p' "$tmp/out")
  if [ -z "$port" ]; then
    echo "Bail out! ocopsim did not start: $(cat "$tmp/err")"
    exit 1
  fi
  ok "$1 ($port)"
  BASE=http://127.0.0.1:$port
}

# sim_stop: the last check (SIGTERM ends it with status 0), then exits with
# the outcome, counting a plan that was not met as a failure.
sim_stop() {
  kill -TERM "$sim_pid"
  wait "$sim_pid"
  rc=$?
  sim_pid=
  check "SIGTERM stops it with exit status 0" [ "$rc" = 0 ]
  if [ "$n" != "$PLAN" ]; then
    echo "# ran $n checks, planned $PLAN"
    failed=1
  fi
  exit $failed
}

# ctl METHOD PATH [BODY]: a control call; body in $tmp/body, prints the
# HTTP status.
ctl() {
  if [ -n "$3" ]; then
    curl -s -o "$tmp/body" -w '%{http_code}' -X "$1" \
      -H 'Content-Type: application/json' --data-binary "$3" "$BASE$2"
  else
    curl -s -o "$tmp/body" -w '%{http_code}' -X "$1" "$BASE$2"
  fi
}

# hmac MESSAGE KEY: lowercase hex HMAC-SHA256.
hmac() {
  printf '%s' "$1" | openssl dgst -sha256 -hmac "$2" | sed 's/^.*= *//'
}

# unesc FILE NAME: the JSON string member NAME in FILE, unescaped enough for
# the URLs and bodies the tests compare.
unesc() {
  sed -n "s/.*\"$2\":\"\(\([^\"\\\\]\|\\\\.\)*\)\".*/\1/p" "$1" |
    sed 's/\\"/"/g; s/\\\//\//g'
}

# push_capture MARKET MEMBERS: has ocopsim push to its own webhook sink
# (HOOK, /_sim/hook/MARKET) as {"url":HOOK,MEMBERS} asks (/_sim/MARKET/push),
# then leaves ocopsim's answer in $tmp/push, the body it sent in $tmp/sent
# and the Authorization the sink saw in $got.
push_capture() {
  HOOK="$BASE/_sim/hook/$1"
  ctl POST "/_sim/$1/push" "{\"url\":\"$HOOK\",$2}" >/dev/null
  unesc "$tmp/body" sent >"$tmp/sent"
  cp "$tmp/body" "$tmp/push"
  ctl GET /_sim/hooks >/dev/null
  got=$(sed -n 's/.*"authorization":"\([0-9a-f]*\)".*/\1/p' "$tmp/body")
}

# push_ok PATTERN SIGNATURE: after push_capture, true when the sink answered
# 200, the body sent matches the grep PATTERN and the sink saw SIGNATURE.
push_ok() {
  grep -q '"status":200' "$tmp/push" && grep -q "$1" "$tmp/sent" &&
    [ "$got" = "$2" ]
}

# order_times: NOW and three update times before it, 100 s apart.
order_times() {
  NOW=$(date +%s)
  T1=$((NOW - 300)); T2=$((NOW - 200)); T3=$((NOW - 100))
}

# order_ids: O1, O2, O3 from the "ids" of a /_sim/<market>/orders answer.
order_ids() {
  O1=$(sed -n 's/.*"ids":\["\([^"]*\)".*/\1/p' "$tmp/body")
  O2=$(sed -n 's/.*"ids":\["[^"]*","\([^"]*\)".*/\1/p' "$tmp/body")
  O3=$(sed -n 's/.*"ids":\["[^"]*","[^"]*","\([^"]*\)"\].*/\1/p' "$tmp/body")
}

# rejected_logged CODE: the call log in $tmp/body holds a call refused with
# CODE and one answered by a status fault.
rejected_logged() {
  has "\"error\":\"$1\"" && has '"fault":"status"'
}
