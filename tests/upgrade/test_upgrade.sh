#!/usr/bin/env bash
# test_upgrade.sh — upgrade in place (issue 11, part 5; design §5): a
# database made by the previous release migrates to schema 009 (variants)
# and on to 010 (listing content) without a re-listing storm.
#
#   1. builds the previous release (PREV below) once, into a cache under /tmp
#      shared by every run on this machine;
#   2. with the OLD ocopctl and ocopd, on the CURRENT simulator (a superset of
#      the old one): migrates, imports that release's sample catalogue, adds a
#      shop on Shopee, Lazada, TikTok Shop and PostMart, pins the date, lists
#      every eligible product everywhere and takes in a few orders (sold,
#      reserved, cancelled, an unknown SKU);
#   3. records stock, ledger, orders, listings and the simulator's call count;
#   4. migrates with the NEW ocopctl and checks that every product has one
#      variant whose SKU is its code and that stock, ledger, orders, listings
#      and remote ids carried over;
#   5. runs the NEW ocopd on the migrated database until it settles and checks
#      that it sent no create and no withdrawal (reads are expected), that
#      stock did not move and that the PostMart feed has a row per variant.
#
# Speaks TAP (make check counts every line). Needs $OCOP_TEST_PG, the
# throwaway cluster scripts/check starts, like every PostgreSQL test; skips
# without it, or when the previous release can be neither found in the cache
# nor built from this repository (a shallow clone lacks the commit). Runs
# by hand too:
#   OCOP_TEST_PG="$(scripts/pgtmp start /tmp/pg)" top_builddir=. tests/upgrade/test_upgrade.sh
# The work directory (logs, recordings) is removed when everything passed and
# kept, and named, when something failed.
[ -n "${BASH_VERSION:-}" ] || exec bash "$0" "$@" # make check runs it with sh
set -uo pipefail

# The previous release: main just before schema 009 (sql/009_variants.sql),
# the last commit whose databases have a product-level SKU, stock and
# listing. Databases in the field were made by it.
PREV=83960a07aee2456bb38926106441a1b858d3c31a
PREV_CACHE=/tmp/ocopd-prev-${PREV:0:7}

top_srcdir=$(cd "${top_srcdir:-$(dirname "$0")/../..}" && pwd)
top_builddir=$(cd "${top_builddir:-.}" && pwd)
DATE=2026-11-24 # the sample catalogue's reference day (scripts/demo)

# ---- TAP ------------------------------------------------------------------

n=0 failed=0
ok() { n=$((n + 1)); echo "ok $n - $1"; }
not_ok() { n=$((n + 1)); failed=1; echo "not ok $n - $1"; }
diag() { sed 's/^/# /'; }
# A skip is said in TAP: the tap driver (tests/local.mk) would count exit 77
# as an error.
skip_all() { echo "1..0 # SKIP $*"; planned=yes; exit 0; }
# bail WHY: the set-up failed; say where to look and stop.
bail() {
  echo "Bail out! $*"
  for log in ocopd-old.log ocopd-new.log sim.err; do
    [ -s "$work/$log" ] && { echo "# ---- $log (last lines)"; tail -n 25 "$work/$log" | diag; }
  done
  exit 1
}
# check DESCRIPTION COMMAND...: one TAP line from a command's exit status.
check() {
  local desc=$1
  shift
  if "$@"; then ok "$desc"; else not_ok "$desc"; fi
}
# same DESCRIPTION EXPECTED ACTUAL: one TAP line, a diff of the files on failure.
same() {
  if diff -u "$2" "$3" >"$work/diff" 2>&1; then ok "$1"; else
    not_ok "$1"
    head -n 40 "$work/diff" | diag
  fi
}
# empty DESCRIPTION FILE: passes when FILE (rows that break a rule) is empty.
empty() {
  if [ ! -s "$2" ]; then ok "$1"; else
    not_ok "$1"
    head -n 20 "$2" | diag
  fi
}

# ---- prerequisites ----------------------------------------------------------

[ -n "${OCOP_TEST_PG:-}" ] || skip_all "OCOP_TEST_PG is not set (scripts/check starts a cluster)"
for tool in curl psql; do
  command -v "$tool" >/dev/null || skip_all "$tool is not installed"
done
for prog in ocopd ocopctl tests/sim/ocopsim; do
  [ -x "$top_builddir/$prog" ] || { echo "Bail out! $top_builddir/$prog is not built"; exit 1; }
done

work=$(mktemp -d /tmp/ocop-upgrade-XXXXXX)
chmod 755 "$work"
db=ocop_upgrade_$$
sim_pid='' daemon_pid=''
# shellcheck disable=SC2317 # run by the trap
cleanup() {
  [ -n "$daemon_pid" ] && kill -TERM "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  [ -n "$sim_pid" ] && kill -TERM "$sim_pid" 2>/dev/null && wait "$sim_pid" 2>/dev/null
  if [ "$failed" = 0 ] && [ "${planned:-}" = yes ]; then
    psql "$OCOP_TEST_PG" -qX -c "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1
    rm -rf "$work"
  else
    echo "# kept $work (logs, recordings) and database $db"
  fi
}
trap cleanup EXIT
trap 'exit 1' INT TERM

conn="$OCOP_TEST_PG dbname=$db"
# q SQL: one query, tuples only, '|' between columns.
q() { psql "$conn" -X -q -At -v ON_ERROR_STOP=1 -c "$1"; }
# wait_for SECONDS SQL: until the query prints "t"; fails after SECONDS.
wait_for() {
  local i
  for ((i = 0; i < $1 * 5; i++)); do
    [ "$(q "$2" 2>/dev/null)" = t ] && return 0
    sleep 0.2
  done
  return 1
}

# ---- 1. the previous release ------------------------------------------------

# Built into a temporary directory and renamed into place only when
# complete, so a run that was killed half-way never leaves a cache that looks
# usable, and two runs building at once both end with one complete cache
# (rename onto a non-empty directory fails; the loser uses the winner's).
prev_build() {
  [ -f "$PREV_CACHE/.complete" ] && return 0
  # What a killed build left behind; a build takes a minute or two.
  find "$(dirname "$PREV_CACHE")" -maxdepth 1 -name "$(basename "$PREV_CACHE").tmp-*" -mmin +120 \
    -exec rm -rf {} + 2>/dev/null
  command -v git >/dev/null || skip_all "git is not installed and $PREV_CACHE is not built"
  git -C "$top_srcdir" cat-file -e "$PREV^{commit}" 2>/dev/null ||
    skip_all "commit ${PREV:0:7} (the previous release) is not in this repository (a shallow clone?) and $PREV_CACHE is not built"
  local tmp
  tmp=$(mktemp -d "$PREV_CACHE.tmp-XXXXXX") || bail "cannot make a directory beside $PREV_CACHE"
  # Built on the machine's own clock (scripts/check --date preloads
  # libfaketime): make compares file times.
  if ! (cd "$tmp" && git -C "$top_srcdir" archive "$PREV" | tar -x &&
    env -u LD_PRELOAD -u FAKETIME sh -c \
      'autoreconf -fi && ./configure -q && make -j2 all') >"$work/prev-build.log" 2>&1; then
    rm -rf "$tmp"
    tail -n 30 "$work/prev-build.log" | diag
    bail "building ${PREV:0:7} failed"
  fi
  touch "$tmp/.complete"
  if ! mv -T "$tmp" "$PREV_CACHE" 2>/dev/null; then
    # Another run finished first, or a stale directory without the mark:
    # replace only the latter.
    [ -f "$PREV_CACHE/.complete" ] || { rm -rf "$PREV_CACHE"; mv -T "$tmp" "$PREV_CACHE"; }
    rm -rf "$tmp"
  fi
  [ -f "$PREV_CACHE/.complete" ] || bail "$PREV_CACHE is not complete"
}

# ---- the simulator --------------------------------------------------------

# The accounts of tests/itest/harness.c (itest_sim_start, itest_add_shop,
# itest_add_market_shop), all four shops in one seed file.
SHOPEE_KEY=itest-partner-key-5f1c0a9e
LAZADA_SECRET=itest-lazada-secret-91a
TIKTOK_SECRET=itest-tiktok-secret-5c2
sim_start() {
  cat >"$work/seed.json" <<'JSON'
{"shopee": {"partners": [{"partner_id": 1001, "partner_key": "itest-partner-key-5f1c0a9e"}],
            "shops": [{"shop_id": 2001, "partner_id": 1001, "access_token": "itest-access-token-77aa",
                       "refresh_token": "itest-refresh", "access_expires_in": 14400}]},
 "lazada": {"apps": [{"app_key": "100777", "app_secret": "itest-lazada-secret-91a"}],
            "sellers": [{"seller_id": "3001", "app_key": "100777", "access_token": "itest-lz-access",
                         "refresh_token": "itest-lz-refresh", "access_expires_in": 604800,
                         "refresh_expires_in": 1209600}]},
 "tiktok": {"apps": [{"app_key": "ttitest01", "app_secret": "itest-tiktok-secret-5c2"}],
            "shops": [{"shop_cipher": "ROW_itest", "shop_id": "7001", "app_key": "ttitest01",
                       "access_token": "itest-tt-access", "refresh_token": "itest-tt-refresh",
                       "access_expires_in": 604800}]}}
JSON
  "$top_builddir/tests/sim/ocopsim" --listen 127.0.0.1:0 --seed "$work/seed.json" --quiet \
    >"$work/sim.out" 2>"$work/sim.err" &
  sim_pid=$!
  local i port
  for ((i = 0; i < 100; i++)); do
    grep -q '^ocopsim listening on ' "$work/sim.out" && break
    sleep 0.1
  done
  port=$(sed -n 's/^ocopsim listening on 127\.0\.0\.1:\([0-9]*\)$/\1/p' "$work/sim.out")
  [ -n "$port" ] || bail "ocopsim did not start"
  SIM=http://127.0.0.1:$port
}
# sim METHOD PATH [BODY]: a control call; prints the answer.
sim() {
  if [ $# -ge 3 ]; then
    curl -sS -X "$1" -H 'Content-Type: application/json' -d "$3" "$SIM$2"
  else
    curl -sS -X "$1" "$SIM$2"
  fi
}
# The simulator's last call sequence number.
sim_seq() { sim GET '/_sim/calls?since=999999999999&limit=1' | sed -n 's/.*"next": *\([0-9]*\).*/\1/p'; }
# What the three marketplaces hold: marketplace|item id|SKU|status, sorted
# (psql reads the JSON). A create or a withdrawal the call log could hide (a
# Lazada update that sets a SKU inactive) shows here.
sim_items() {
  local mp
  for mp in "shopee/items?shop_id=2001" "lazada/items?seller_id=3001" "tiktok/items?shop_cipher=ROW_itest"; do
    sim GET "/_sim/$mp" >"$work/items-${mp%%/*}.json"
    psql "$conn" -X -q -At -v ON_ERROR_STOP=1 -v file="$work/items-${mp%%/*}.json" -v mp="${mp%%/*}" <<'SQL'
\set items `cat :'file'`
SELECT :'mp', coalesce(e->>'item_id', e->>'product_id'), coalesce(e->>'item_sku', e->>'sku'),
       coalesce(e->>'item_status', e->>'status')
  FROM jsonb_array_elements((:'items')::jsonb -> 'items') AS e ORDER BY 2;
SQL
  done
}

# ---- 2. a database of the previous release ---------------------------------

old_ctl() { "$PREV_CACHE/ocopctl" -d "$conn" "$@"; }

# ocopd.conf for the daemon whose connectors live in $1.
daemon_conf() {
  cat >"$work/ocopd.conf" <<CONF
[ocopd]
database = $conn
connector_dir = $1/connectors/.libs
credentials_dir = $work/credentials
admin_listen =
log_level = debug
poll_interval = 200ms
sweep_interval = 2s
retry_base = 100ms
retry_max = 2s
rate_limits = shopee:0,lazada:0,tiktok:0
order_poll_interval = 500ms
order_poll_overlap = 5s
reconcile_interval = 2s
CONF
}
# daemon_start BUILD LOG: ocopd of that build in the background.
daemon_start() {
  daemon_conf "$1"
  "$1/ocopd" -c "$work/ocopd.conf" >>"$work/$2" 2>&1 &
  daemon_pid=$!
}
# daemon_stop: SIGTERM, as systemd stops it; its exit status in $stopped.
daemon_stop() {
  kill -TERM "$daemon_pid"
  wait "$daemon_pid"
  stopped=$?
  daemon_pid=''
}
# Nothing queued or running, nothing left to derive (scripts/demo, wait_idle).
IDLE_OLD="SELECT (SELECT count(*) FROM outbox WHERE state IN ('pending', 'running'))
                + (SELECT count(*) FROM listing_jobs)
                + (SELECT count(*) FROM listing WHERE state = 'new') = 0"

old_database() {
  psql "$OCOP_TEST_PG" -qX -c "CREATE DATABASE $db" >/dev/null || bail "cannot create database $db"
  old_ctl migrate >>"$work/ctl.log" 2>&1 || bail "old ocopctl migrate failed (ctl.log)"
  old_ctl clock pin "$DATE" >>"$work/ctl.log" 2>&1 || bail "old ocopctl clock pin failed"
  # That release's own sample, from its source tree: today's file has
  # columns it cannot read (sku and variant, the package size, and the
  # listing's content: images, brand, origin, shelf_life, ingredients).
  old_ctl import "$PREV_CACHE/tests/data/ocop-sample.csv" >>"$work/ctl.log" 2>&1 ||
    bail "old ocopctl import failed (ctl.log)"

  # The four shops as scripts/demo of that release adds them.
  mkdir -m 700 "$work/credentials" "$work/postmart-export" "$work/postmart-orders"
  (umask 077
   echo "$SHOPEE_KEY" >"$work/credentials/shopee-up.secret"
   echo "$LAZADA_SECRET" >"$work/credentials/lazada-up.secret"
   echo "$TIKTOK_SECRET" >"$work/credentials/tiktok-up.secret")
  {
    old_ctl shop add shopee-up --marketplace shopee --shop-id 2001 --app-key 1001 \
      --base-url "$SIM" --option category_id=100644 --option logistic_id=50011 \
      --option image_id=itest-img &&
      printf 'itest-access-token-77aa\nitest-refresh\n' | old_ctl shop token shopee-up &&
      old_ctl shop add lazada-up --marketplace lazada --shop-id 3001 --app-key 100777 \
        --base-url "$SIM" --option category_id=10001 --option auth_url="$SIM" \
        --option image_url=https://vn-live.slatic.net/p/itest.jpg &&
      printf 'itest-lz-access\nitest-lz-refresh\n' |
      old_ctl shop token lazada-up --expires-in 604800 &&
      old_ctl shop add tiktok-up --marketplace tiktok --shop-id 7001 --app-key ttitest01 \
        --base-url "$SIM" --option shop_cipher=ROW_itest --option category_id=600001 \
        --option image_uri=tos-itest-img --option warehouse_id=7000001 --option auth_url="$SIM" &&
      printf 'itest-tt-access\nitest-tt-refresh\n' |
      old_ctl shop token tiktok-up --expires-in 604800 &&
      old_ctl shop add postmart-up --marketplace postmart --shop-id pm-up --app-key - \
        --base-url http://postmart.invalid --option export_dir="$work/postmart-export" \
        --option order_import_dir="$work/postmart-orders"
  } >>"$work/ctl.log" 2>&1 || bail "old ocopctl shop add failed (ctl.log)"

  # The previous release sends no uploaded images, category attributes or
  # SkuId: the marketplaces' items in the field predate those checks.
  sim POST /_sim/legacy '{"on": true}' >/dev/null || bail "cannot put the simulator in legacy mode"
  daemon_start "$PREV_CACHE" ocopd-old.log
  wait_for 120 "$IDLE_OLD" || bail "the old ocopd did not list the catalogue in 120 s"
  # Every product that may be sold (eligible, not a service) is listed on
  # every shop, and nothing else is.
  local want got
  want=$(q "SELECT 4 * count(*) FROM product p JOIN product_eligibility e ON e.product_id = p.id
             JOIN category c ON c.code = p.category_code WHERE e.eligible AND NOT c.service")
  got=$(q "SELECT count(*) FROM listing WHERE state = 'listed'")
  if [ "$want" != "$got" ] || [ "$got" = 0 ]; then
    bail "the old ocopd listed $got listings, expected $want (ocopd-old.log)"
  fi
  echo "# old ocopd: $got listings on 4 shops in $SECONDS s since the start"

  old_orders
  daemon_stop
  [ "$stopped" = 0 ] || bail "the old ocopd exited with $stopped on SIGTERM"
}

# A few orders on every channel, taken in by the old daemon: sold (Shopee,
# Lazada, PostMart), reserved (TikTok, unpaid), sold then cancelled (Shopee:
# a sale and a restock in the ledger, whose references 009 rewrites), and a
# line with a SKU the catalogue does not know (kept, no product).
old_orders() {
  sim POST /_sim/shopee/orders '{"shop": "2001", "orders": [
    {"status": "READY_TO_SHIP", "lines": [{"sku": "OCP-BKN-001", "qty": 3, "price": 75000}]},
    {"status": "READY_TO_SHIP", "lines": [{"sku": "OCP-TNG-001", "qty": 2, "price": 220000},
                                          {"sku": "OCP-QNH-001", "qty": 1, "price": 350000}]}]}' \
    >"$work/shopee-orders.json"
  sim POST /_sim/lazada/orders '{"shop": "3001", "orders": [{"status": "pending",
    "lines": [{"sku": "OCP-BKN-001", "qty": 2, "price": 75000}]}]}' >/dev/null
  sim POST /_sim/tiktok/orders '{"shop": "ROW_itest", "orders": [{"status": "UNPAID",
    "lines": [{"sku": "OCP-TNG-001", "qty": 1, "price": 220000},
              {"sku": "NOT-IN-CATALOGUE", "qty": 1, "price": 1000}]}]}' >/dev/null
  printf 'order_id,status,updated_at,sku,quantity,unit_price_vnd\nPM-UP-1,confirmed,%s,OCP-QNH-001,1,350000\n' \
    "$(date -u -d '+7 hours' '+%F %T')" >"$work/postmart-orders/orders-1.csv"
  wait_for 60 "SELECT count(*) = 5 FROM \"order\"" ||
    bail "the old ocopd took in $(q "SELECT count(*) FROM \"order\"") of 5 orders in 60 s"

  # Cancel the second Shopee order once it has been sold.
  local id
  id=$(grep -o '"ids": *\[[^]]*' "$work/shopee-orders.json" | grep -o '"[0-9A-Z]*"$' | tr -d '"')
  [ -n "$id" ] || bail "no id for the second Shopee order: $(cat "$work/shopee-orders.json")"
  wait_for 30 "SELECT stock_effect = 'sold' FROM \"order\" WHERE mp_order_id = '$id'" ||
    bail "the Shopee order $id was not sold"
  sim POST /_sim/shopee/orders/status "{\"shop\": \"2001\", \"id\": \"$id\", \"status\": \"CANCELLED\"}" >/dev/null
  wait_for 30 "SELECT stock_effect = 'released' FROM \"order\" WHERE mp_order_id = '$id'" ||
    bail "the cancellation of Shopee order $id was not taken in"
  wait_for 60 "$IDLE_OLD" || bail "the old ocopd did not push the orders' stock in 60 s"
}

# ---- 3. what must carry over ------------------------------------------------

# Each recording is sorted text, one row a line, so a failure shows as a diff.
record() {
  q "SELECT p.code, s.on_hand, s.reserved FROM stock_level s JOIN product p ON p.id = s.product_id
      ORDER BY 1" >"$work/before.stock"
  q "SELECT count(*), coalesce(sum(delta), 0) FROM stock_ledger" >"$work/before.ledger"
  q "SELECT (SELECT count(*) FROM \"order\"), (SELECT count(*) FROM order_line),
            (SELECT count(*) FROM order_line WHERE product_id IS NULL)" >"$work/before.orders"
  q "SELECT s.name, s.marketplace, p.code, l.state, coalesce(l.item_id, '-')
       FROM listing l JOIN shop s ON s.id = l.shop_id JOIN product p ON p.id = l.product_id
      ORDER BY 1, 3" >"$work/before.listings"
  sim_items >"$work/before.items" || bail "cannot read the simulator's items"
  [ "$(wc -l <"$work/before.items")" = "$(grep -vc '|postmart|' "$work/before.listings")" ] ||
    bail "the simulator holds $(wc -l <"$work/before.items") items, not one per listing"
  SEQ=$(sim_seq)
  [ -n "$SEQ" ] || bail "cannot read the simulator's call sequence number"
  echo "# recorded: $(wc -l <"$work/before.stock") stock levels, ledger $(cat "$work/before.ledger")" \
       "(rows|sum), orders $(cat "$work/before.orders") (orders|lines|unknown SKU)," \
       "$(wc -l <"$work/before.listings") listings, simulator call $SEQ"
}

# ---- 4. the new migration ---------------------------------------------------

new_ctl() { "$top_builddir/ocopctl" -d "$conn" "$@"; }

# The stock of every variant, under its SKU: what before.stock said per product.
stock_now() {
  q "SELECT v.sku, s.on_hand, s.reserved FROM stock_level s JOIN variant v ON v.id = s.variant_id
      ORDER BY 1"
}

check_migration() {
  if new_ctl migrate >>"$work/ctl.log" 2>&1; then ok "the new ocopctl migrates the old database"; else
    not_ok "the new ocopctl migrates the old database"
    tail -n 20 "$work/ctl.log" | diag
    bail "nothing to check without the migration"
  fi
  # 009 (variants), then 010 (listing content) and every later migration on
  # top: the schema ends at this build's last one (sql/NNN_*.sql).
  latest=$(ls "$top_srcdir"/sql/[0-9][0-9][0-9]_*.sql | sed 's|.*/0*\([0-9]*\)_.*|\1|' | sort -n | tail -n 1)
  check "the schema is at this build's last migration ($latest)" \
    [ "$(q "SELECT max(version) FROM schema_migration" 2>&1)" = "$latest" ]

  q "SELECT p.code, count(v.id), string_agg(v.sku, ' ')
       FROM product p LEFT JOIN variant v ON v.product_id = p.id
      GROUP BY p.id, p.code HAVING count(v.id) <> 1 OR bool_or(v.sku <> p.code)" >"$work/bad.variants"
  empty "every product has exactly one variant, whose SKU is its code" "$work/bad.variants"

  stock_now >"$work/after.stock"
  same "every variant's stock (on hand, reserved) is its product's before" \
    "$work/before.stock" "$work/after.stock"
  q "SELECT v.sku, s.on_hand, coalesce(sum(l.delta), 0) FROM stock_level s
       JOIN variant v ON v.id = s.variant_id LEFT JOIN stock_ledger l ON l.variant_id = v.id
      GROUP BY v.sku, s.on_hand HAVING s.on_hand <> coalesce(sum(l.delta), 0)" >"$work/bad.ledger"
  empty "every variant's on hand is the sum of its ledger rows" "$work/bad.ledger"
  q "SELECT count(*), coalesce(sum(delta), 0) FROM stock_ledger" >"$work/after.ledger"
  same "the ledger keeps its rows (count, sum)" "$work/before.ledger" "$work/after.ledger"
  q "SELECT l.id, l.ref FROM stock_ledger l
      WHERE l.ref LIKE 'order:%' AND l.ref <> 'order:' || split_part(l.ref, ':', 2) || ':' || l.variant_id" \
    >"$work/bad.refs"
  empty "order references in the ledger name the variant" "$work/bad.refs"

  q "SELECT (SELECT count(*) FROM \"order\"), (SELECT count(*) FROM order_line),
            (SELECT count(*) FROM order_line WHERE product_id IS NULL)" >"$work/after.orders"
  same "orders and order lines are kept (orders, lines, unknown SKU)" \
    "$work/before.orders" "$work/after.orders"
  q "SELECT o.id, o.sku FROM order_line o LEFT JOIN variant v ON v.id = o.variant_id
      WHERE (o.product_id IS NULL) <> (o.variant_id IS NULL)
         OR (o.product_id IS NOT NULL AND v.sku <> o.sku)" >"$work/bad.lines"
  empty "every known order line maps to the variant of its SKU" "$work/bad.lines"

  # Expected: the same item ids (TikTok's "<product>:<sku>" keeps the product
  # id) and one variant row whose remote id is what the marketplace calls it.
  awk -F'|' '{
      item = $5; remote = "-"
      if (item != "-") {
        if ($2 == "shopee") remote = "0"
        else if ($2 == "tiktok") { split(item, p, ":"); item = p[1]; remote = p[2] }
        else if ($2 == "lazada") remote = ""
        else remote = $3
      }
      print $1 "|" $2 "|" $3 "|" $4 "|" item "|1|" remote
    }' "$work/before.listings" >"$work/expected.listings"
  q "SELECT s.name, s.marketplace, p.code, l.state, coalesce(l.item_id, '-'), count(lv.variant_id),
            coalesce(string_agg(coalesce(lv.remote_id, '-'), ' '), '-')
       FROM listing l JOIN shop s ON s.id = l.shop_id JOIN product p ON p.id = l.product_id
       LEFT JOIN listing_variant lv ON lv.listing_id = l.id
      GROUP BY s.name, s.marketplace, p.code, l.state, l.item_id ORDER BY 1, 3" >"$work/after.listings"
  same "listings keep their item ids and carry one variant with its remote id (Shopee 0, TikTok sku id, Lazada '', PostMart sku)" \
    "$work/expected.listings" "$work/after.listings"
  q "SELECT s.name, p.code FROM listing l JOIN shop s ON s.id = l.shop_id
       JOIN product p ON p.id = l.product_id JOIN listing_variant lv ON lv.listing_id = l.id
       JOIN variant v ON v.id = lv.variant_id WHERE v.sku <> p.code" >"$work/bad.lv"
  empty "each listing's variant is its product's" "$work/bad.lv"
}

# ---- 5. the new daemon on the migrated database ----------------------------

IDLE_NEW="SELECT count(*) = 0 FROM outbox WHERE state IN ('pending', 'running')"

# classify_calls SINCE UNTIL: the simulator's calls numbered SINCE+1 to
# UNTIL, counted by what they do (create, withdraw, write, read, orders,
# token), marketplace, method and path with its ids as {id} (7 digits or more:
# TikTok's API version 202309 stays). psql does the JSON: no other tool is
# needed.
classify_calls() {
  sim GET "/_sim/calls?since=$1" >"$work/calls-$1.json"
  # Read by psql itself (\set with backquotes): a command-line argument is
  # limited to 128 KiB.
  psql "$conn" -X -q -At -v ON_ERROR_STOP=1 -v file="$work/calls-$1.json" -v until="$2" <<'SQL'
\set calls `cat :'file'`
WITH c AS (
  SELECT e->>'marketplace' AS mp, e->>'method' AS method,
         regexp_replace(e->>'path', '/[0-9]{7,}(/|$)', '/{id}\1', 'g') AS path
    FROM jsonb_array_elements((:'calls')::jsonb -> 'calls') AS e
   WHERE (e->>'seq')::bigint <= :until
), k AS (
  SELECT mp, method, path, CASE
    -- creating an item or a variation: a re-listing
    WHEN path IN ('/api/v2/product/add_item', '/api/v2/product/init_tier_variation',
                  '/api/v2/product/add_model', '/rest/product/create')
      OR (mp = 'tiktok' AND method = 'POST' AND path = '/product/202309/products') THEN 'create'
    -- taking an item or a variation off sale
    WHEN path IN ('/api/v2/product/unlist_item', '/api/v2/product/delete_item',
                  '/api/v2/product/delete_model', '/rest/product/deactivate',
                  '/rest/product/remove', '/rest/product/sku/remove',
                  '/product/202309/products/deactivate')
      OR (mp = 'tiktok' AND method = 'DELETE') THEN 'withdraw'
    WHEN path LIKE '%/order/%' OR path LIKE '/rest/orders/%' OR path LIKE '/order/%' THEN 'orders'
    WHEN path LIKE '%auth%' OR path LIKE '%token%' THEN 'token'
    WHEN method = 'GET' OR path ~ '/(get|search)[^/]*$' THEN 'read'
    ELSE 'write' END AS kind
  FROM c
)
SELECT kind, mp, method, path, count(*) FROM k GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 4;
SQL
}

check_new_daemon() {
  local feed=$work/postmart-export/postmart-up.csv mp
  sim POST /_sim/legacy '{"on": false}' >/dev/null || bail "cannot end the simulator's legacy mode"
  # The old release kept tokens in clear; the first start with a key seals
  # them (daemon/token_seal.h).
  q "SELECT access_token FROM token WHERE access_token <> ''
     UNION ALL SELECT refresh_token FROM token WHERE refresh_token <> ''" >"$work/clear.tokens"
  # Without the key it refuses to start, saying why, and changes nothing.
  daemon_conf "$top_builddir"
  "$top_builddir/ocopd" -c "$work/ocopd.conf" >"$work/ocopd-nokey.log" 2>&1
  check "without a token key the new ocopd refuses to start (exit status $?)" \
    grep -q 'refusing to start: the tokens cannot be opened or sealed.*tokens.key' \
    "$work/ocopd-nokey.log"
  check "... and the tokens are left as they were" [ "$(q "SELECT count(*) FROM token
    WHERE access_token LIKE 'ocs1:%' OR refresh_token LIKE 'ocs1:%'")" = 0 ]
  "$top_builddir/ocopctl" token new-key "$work/credentials/tokens.key" >/dev/null ||
    bail "cannot write the token key"
  daemon_start "$top_builddir" ocopd-new.log
  # Settled: the outbox idle after at least three sweeps (2 s each), and the
  # PostMart feed rewritten in the new shape (a row per variant).
  sleep 7
  local until=$((SECONDS + 30))
  while [ "$SECONDS" -lt "$until" ] && kill -0 "$daemon_pid" 2>/dev/null; do
    [ "$(q "$IDLE_NEW")" = t ] && head -n 1 "$feed" 2>/dev/null | grep -q '^sku,product_code,variant,' && break
    sleep 0.2
  done
  if kill -0 "$daemon_pid" 2>/dev/null; then ok "the new ocopd runs on the migrated database"; else
    not_ok "the new ocopd runs on the migrated database"
    wait "$daemon_pid"
    echo "# it exited with $?" 
    daemon_pid=
    tail -n 20 "$work/ocopd-new.log" | diag
    return
  fi
  check "the new ocopd settles: no pending or running job" [ "$(q "$IDLE_NEW")" = t ]
  q "SELECT o.kind, o.state, o.last_error FROM outbox o WHERE o.state = 'dead'
       AND o.updated_at > (SELECT max(applied_at) FROM schema_migration)" >"$work/bad.dead" 2>&1
  empty "no job died after the upgrade" "$work/bad.dead"

  # The classification itself, on the calls of the old daemon: it must see
  # one create per listing on each marketplace, or a create it cannot
  # recognise would pass below unseen.
  classify_calls 0 "$SEQ" >"$work/calls-old.txt" || bail "cannot read the simulator's calls"
  for mp in shopee lazada tiktok; do
    check "the old daemon's $mp creates are recognised, one per listing" [ \
      "$(awk -F'|' -v mp="$mp" '$1 == "create" && $2 == mp { n += $5 } END { print n + 0 }' "$work/calls-old.txt")" \
      = "$(grep -c "|$mp|" "$work/before.listings")" ]
  done

  classify_calls "$SEQ" 999999999999 >"$work/calls.txt" || bail "cannot read the simulator's calls"
  echo "# calls after the upgrade (kind|marketplace|method|path|count):"
  diag <"$work/calls.txt"
  # Not a vacuous pass: the daemon reached every marketplace (it reads
  # orders there at least), so its connectors were loaded and working.
  for mp in shopee lazada tiktok; do
    check "the new ocopd called $mp" grep -q "^[a-z]*|$mp|" "$work/calls.txt"
  done
  grep -E '^(create|withdraw)\|' "$work/calls.txt" >"$work/bad.calls"
  empty "no create of an item or a variation was sent, and no unlist, deactivate or delete" \
    "$work/bad.calls"

  sim_items >"$work/settled.items"
  same "the marketplaces hold the same items with the same SKUs, in the same state" \
    "$work/before.items" "$work/settled.items"

  stock_now >"$work/settled.stock"
  same "stock is unchanged after the new ocopd ran" "$work/before.stock" "$work/settled.stock"
  q "SELECT count(*), coalesce(sum(delta), 0) FROM stock_ledger" >"$work/settled.ledger"
  same "the new ocopd wrote no ledger row (count, sum)" "$work/before.ledger" "$work/settled.ledger"

  # The feed, read by psql as CSV: one row per variant of each listing of
  # the PostMart shop, each SKU once.
  if head -n 1 "$feed" 2>/dev/null | grep -q '^sku,product_code,variant,'; then
    ok "the PostMart feed is rewritten with a row per variant"
    psql "$conn" -X -q -At -v ON_ERROR_STOP=1 >"$work/bad.feed" 2>&1 <<SQL
CREATE TEMP TABLE feed (sku text, product_code text, variant text, name text, stars text,
  certificate_no text, category text, price text, stock text, weight_g text, gtin text,
  description text, image_urls text, active text);
\\copy feed FROM '$feed' WITH (FORMAT csv, HEADER true)
(SELECT v.sku, p.code FROM listing l JOIN shop s ON s.id = l.shop_id AND s.name = 'postmart-up'
   JOIN listing_variant lv ON lv.listing_id = l.id JOIN variant v ON v.id = lv.variant_id
   JOIN product p ON p.id = v.product_id
 EXCEPT ALL SELECT sku, product_code FROM feed)
UNION ALL
(SELECT sku, product_code FROM feed
 EXCEPT ALL
 SELECT v.sku, p.code FROM listing l JOIN shop s ON s.id = l.shop_id AND s.name = 'postmart-up'
   JOIN listing_variant lv ON lv.listing_id = l.id JOIN variant v ON v.id = lv.variant_id
   JOIN product p ON p.id = v.product_id);
SQL
    empty "the PostMart feed has exactly one row per variant of the shop's listings" "$work/bad.feed"
  else
    not_ok "the PostMart feed is rewritten with a row per variant"
    head -n 1 "$feed" 2>&1 | diag
    not_ok "the PostMart feed has exactly one row per variant of the shop's listings"
  fi

  # Lazada SKU ids were never recorded before variants (''): the stock
  # read-back (every 2 s here) names them, and they are kept.
  for _ in $(seq 150); do
    [ "$(q "SELECT count(*) FROM listing_variant WHERE remote_id = ''")" = 0 ] && break
    sleep 0.2
  done
  check "the stock read-back records the Lazada SKU ids the old release never kept" \
    [ "$(q "SELECT count(*) FROM listing_variant WHERE remote_id = ''")" = 0 ]

  check "the upgrade sealed every token (no token left in clear)" [ "$(q "SELECT count(*) FROM token
    WHERE (access_token <> '' AND access_token NOT LIKE 'ocs1:%')
       OR (refresh_token <> '' AND refresh_token NOT LIKE 'ocs1:%')")" = 0 ]
  check "the old tokens were there to seal" [ -s "$work/clear.tokens" ]
  pg_dump -d "$conn" >"$work/after.dump" || bail "cannot dump the database"
  if grep -qF -f "$work/clear.tokens" "$work/after.dump"; then
    not_ok "a dump of the upgraded database holds none of the old clear tokens"
  else
    ok "a dump of the upgraded database holds none of the old clear tokens"
  fi

  daemon_stop
  check "the new ocopd stops cleanly on SIGTERM (exit status $stopped)" [ "$stopped" = 0 ]
}

# ---- main -----------------------------------------------------------------

start=$SECONDS
prev_build
echo "# previous release ${PREV:0:7} in $PREV_CACHE ($((SECONDS - start)) s)"
sim_start
old_database
record
check_migration
check_new_daemon
echo "1..$n"
planned=yes
echo "# $((SECONDS - start)) s in all"
exit "$failed"
