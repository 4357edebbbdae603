#!/bin/sh
# sim_selftest_lazada.sh — TAP checks of ocopsim's Lazada from the outside,
# with curl and openssl only: sorted-parameter UPPERCASE signing, millisecond
# timestamps, tokens and single-use refresh, the product calls of
# docs/marketplaces/lazada.md ("Endpoints"), the control API, the call log
# and faults. Builds nothing: the binary comes from $OCOPSIM (default
# $top_builddir/tests/sim/ocopsim).

PLAN=45
SIM_TAG=lz
. "$(dirname "$0")/sim_selftest_lib.sh"

# --------------------------------------------------------------- start --
APPKEY=123456
SECRET=helloworld
SELLER=VN1234567
TOKEN=lz-acc-1
REFRESH=lz-ref-1
cat >"$tmp/seed.json" <<EOF
{"lazada": {"apps": [{"app_key": "$APPKEY", "app_secret": "$SECRET"},
                     {"app_key": "999", "app_secret": "other"}],
            "sellers": [{"seller_id": "$SELLER", "app_key": "$APPKEY",
                         "access_token": "$TOKEN", "refresh_token": "$REFRESH",
                         "access_expires_in": 604800,
                         "refresh_expires_in": 1209600},
                        {"seller_id": "VN999", "app_key": "999",
                         "access_token": "lz-acc-999",
                         "refresh_token": "lz-ref-999"}]}}
EOF

sim_start "starts with a lazada seed"

# ------------------------------------------------------------- helpers --
now_ms() { echo $(($(date +%s) * 1000)); }

# lz METHOD API [name=value ...]: a signed call to $BASE/rest$API. System
# parameters go in the query; the others in the query (GET) or a form body
# (POST). Environment: TS, TOK (access token; "-" for none), SECRET_USE,
# CASE=lower (lowercase hex), SIGN_EMPTY=1 (wrongly sign empty values),
# SIGN_PREFIX (prepended to the API name when signing). Leaves the body in
# $tmp/body, headers in $tmp/hdr, and prints the HTTP status.
lz() {
  l_method=$1
  l_api=$2
  shift 2
  l_ts=${TS:-$(now_ms)}
  l_tok=${TOK:-$TOKEN}
  : >"$tmp/params"
  printf 'app_key=%s\nsign_method=sha256\ntimestamp=%s\n' "$APPKEY" "$l_ts" \
    >>"$tmp/params"
  if [ "$l_tok" != - ]; then printf 'access_token=%s\n' "$l_tok" >>"$tmp/params"; fi
  for l_a in "$@"; do printf '%s\n' "$l_a" >>"$tmp/params"; done
  if [ -n "$SIGN_EMPTY" ]; then
    l_list=$(cat "$tmp/params")
  else
    l_list=$(grep -v '^[^=]*=$' "$tmp/params")
  fi
  l_base=${SIGN_PREFIX:-}$l_api$(printf '%s\n' "$l_list" | LC_ALL=C sort -t= -k1,1 |
    sed 's/=//' | tr -d '\n')
  l_sign=$(printf '%s' "$l_base" | openssl dgst -sha256 -hmac "${SECRET_USE:-$SECRET}" |
    sed 's/^.*= *//')
  if [ "${CASE:-}" != lower ]; then l_sign=$(printf '%s' "$l_sign" | tr a-f A-F); fi
  l_url="$BASE/rest$l_api?app_key=$APPKEY&sign_method=sha256&timestamp=$l_ts&sign=$l_sign"
  if [ "$l_tok" != - ]; then l_url="$l_url&access_token=$l_tok"; fi
  set -- -s -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$@"
  # Turn the name=value arguments into --data-urlencode options.
  l_n=$#
  l_i=0
  while [ $l_i -lt $l_n ]; do
    l_a=$1
    shift
    l_i=$((l_i + 1))
    case $l_a in
    -*|*%*) set -- "$@" "$l_a" ;;
    *=*) set -- "$@" --data-urlencode "$l_a" ;;
    *) set -- "$@" "$l_a" ;;
    esac
  done
  if [ "$l_method" = GET ]; then
    curl -G "$@" "$l_url"
  else
    curl -X POST "$@" "$l_url"
  fi
}


create_payload() {
  printf '{"Request":{"Product":{"PrimaryCategory":"10002019",'
  printf '"Images":{"Image":["https://vn-live.slatic.net/p/a.jpg"]},'
  printf '"Attributes":{"name":"Trà Shan Tuyết Hà Giang","description":"OCOP 4 sao","brand":"No Brand"},'
  printf '"Skus":{"Sku":[{"SellerSku":"%s","quantity":"25","price":"%s",' "$1" "$2"
  printf '"package_weight":"0.25","package_length":"10","package_width":"10","package_height":"10"}]}}}}'
}

# ------------------------------------------------------------ the checks --
status=$(lz POST /product/create "payload=$(create_payload OCOP-LZ-001 150000)")
check "signed product/create succeeds with item_id 4000000001" \
  sh -c '[ "$1" = 200 ] && grep -q "\"code\":\"0\"" "$2" &&
         grep -q "\"item_id\":4000000001" "$2" &&
         grep -q "\"seller_sku\":\"OCOP-LZ-001\"" "$2"' _ "$status" "$tmp/body"
ITEM=4000000001

ctl GET "/_sim/lazada/items?seller_id=$SELLER" >/dev/null
check "the item shows in /_sim/lazada/items with its id as a string" \
  sh -c 'grep -q "\"item_id\":\"4000000001\"" "$1" && grep -q "\"sku\":\"OCOP-LZ-001\"" "$1" &&
         grep -q "\"name\":\"Trà Shan Tuyết Hà Giang\"" "$1" && grep -q "\"description\":\"OCOP 4 sao\"" "$1"' _ "$tmp/body"
check "it keeps price, stock and status" \
  sh -c 'grep -q "\"price\":150000," "$1" && grep -q "\"stock\":25," "$1" &&
         grep -q "\"status\":\"active\"" "$1"' _ "$tmp/body"

lz POST /product/create "payload=$(create_payload OCOP-LZ-001 150000)" >/dev/null
check "a second product with the same SellerSku is refused" has '"code":"InvalidParameter"'

CASE=lower lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "a lowercase hex sign is refused (IncompleteSignature)" has '"code":"IncompleteSignature"'
SECRET_USE=wrong lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "a sign with the wrong secret is refused" has '"code":"IncompleteSignature"'
SIGN_PREFIX=/rest lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "signing the /rest prefix is refused" has '"code":"IncompleteSignature"'

TS=$(date +%s) lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "a timestamp in seconds is refused (InvalidTimestamp)" has '"code":"InvalidTimestamp"'
TS=$(($(now_ms) - 7300000)) lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "a timestamp 7300 s old is refused" has '"code":"InvalidTimestamp"'
TS=$(($(now_ms) - 7000000)) lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "a timestamp 7000 s old is accepted" has '"code":"0"'

lz GET /products/get "filter=all" "offset=0" "limit=10" 'sku_seller_list=["OCOP-LZ-001"]' "update_after=" >/dev/null
check "an empty parameter left out of the sign is accepted" has '"code":"0"'
SIGN_EMPTY=1 lz GET /products/get "filter=all" 'sku_seller_list=["OCOP-LZ-001"]' "update_after=" >/dev/null
check "an empty parameter signed as name+'' is refused" has '"code":"IncompleteSignature"'

lz GET /products/get "filter=all" "offset=0" "limit=10" 'sku_seller_list=["OCOP-LZ-001"]' >/dev/null
check "products/get finds the item by SellerSku" \
  sh -c 'grep -q "\"total_products\":1" "$1" && grep -q "\"item_id\":4000000001" "$1" &&
         grep -q "\"SellerSku\":\"OCOP-LZ-001\"" "$1"' _ "$tmp/body"
lz GET /products/get "filter=all" 'sku_seller_list=["NO-SUCH"]' >/dev/null
check "an unknown SellerSku gives no products" \
  sh -c 'grep -q "\"total_products\":0" "$1" && grep -q "\"products\":\[\]" "$1"' _ "$tmp/body"

lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "product/item/get shows status active, quantity and price" \
  sh -c 'grep -q "\"status\":\"active\"" "$1" && grep -q "\"quantity\":25," "$1" &&
         grep -q "\"price\":150000.0" "$1"' _ "$tmp/body"
lz GET /product/item/get "item_id=4000000099" >/dev/null
check "an unknown item gives E0401" has '"code":"E0401"'
TOK=lz-acc-999 APPKEY=999 SECRET=other lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "another seller's item is not found" has '"code":"E0401"'

lz POST /product/price_quantity/update \
  "payload={\"Request\":{\"Product\":{\"Skus\":{\"Sku\":[{\"ItemId\":\"$ITEM\",\"SellerSku\":\"OCOP-LZ-001\",\"Quantity\":\"7\"}]}}}}" >/dev/null
a=$(grep -c '"code":"0"' "$tmp/body")
lz POST /product/price_quantity/update \
  "payload={\"Request\":{\"Product\":{\"Skus\":{\"Sku\":[{\"ItemId\":\"$ITEM\",\"SellerSku\":\"OCOP-LZ-001\",\"Price\":\"175000\"}]}}}}" >/dev/null
b=$(grep -c '"code":"0"' "$tmp/body")
ctl GET "/_sim/lazada/items?seller_id=$SELLER" >/dev/null
check "price_quantity/update sets stock and price" \
  sh -c '[ "$2$3" = 11 ] && grep -q "\"stock\":7," "$1" && grep -q "\"price\":175000," "$1"' \
  _ "$tmp/body" "$a" "$b"
lz POST /product/price_quantity/update \
  "payload={\"Request\":{\"Product\":{\"Skus\":{\"Sku\":[{\"ItemId\":\"$ITEM\",\"SellerSku\":\"OCOP-LZ-001\",\"Quantity\":\"-1\"}]}}}}" >/dev/null
check "a negative quantity is refused" has '"code":"InvalidParameter"'
lz POST /product/price_quantity/update \
  "payload={\"Request\":{\"Product\":{\"Skus\":{\"Sku\":[{\"ItemId\":\"$ITEM\",\"SellerSku\":\"OCOP-LZ-001\",\"Price\":\"150000.5\"}]}}}}" >/dev/null
check "a fractional price is refused" has '"code":"InvalidParameter"'

lz POST /product/deactivate \
  "apiRequestBody={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM\",\"Skus\":{\"SellerSku\":[\"OCOP-LZ-001\"]}}}}" >/dev/null
a=$(grep -c '"code":"0"' "$tmp/body")
ctl GET "/_sim/lazada/items?seller_id=$SELLER" >/dev/null
check "product/deactivate makes the item inactive" \
  sh -c '[ "$2" = 1 ] && grep -q "\"status\":\"inactive\"" "$1"' _ "$tmp/body" "$a"
lz POST /product/update \
  "payload={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM\",\"Skus\":{\"Sku\":[{\"SellerSku\":\"OCOP-LZ-001\",\"Status\":\"active\"}]}}}}" >/dev/null
lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "product/update with Status active relists it" has '"status":"active"'

lz POST /product/update \
  "payload={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM\",\"Attributes\":{\"name\":\"Trà mới\",\"description\":\"mô tả\"},\"Skus\":{\"Sku\":[{\"SellerSku\":\"OCOP-LZ-001\"}]}}}}" >/dev/null
ctl GET "/_sim/lazada/items?seller_id=$SELLER" >/dev/null
check "product/update changes name and description" \
  sh -c 'grep -q "\"name\":\"Trà mới\"" "$1" && grep -q "\"description\":\"mô tả\"" "$1"' _ "$tmp/body"

curl -s -o "$tmp/body" -X POST -H 'Content-Type: application/json' \
  --data-binary '{"payload":"{}"}' \
  "$BASE/rest/product/create?app_key=$APPKEY&sign_method=sha256&timestamp=$(now_ms)&access_token=$TOKEN&sign=X"
check "a JSON body instead of a form is refused" has '"code":"InvalidParameter"'

TOK=no-such-token lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "an unknown access token gives IllegalAccessToken" has '"code":"IllegalAccessToken"'
TOK=lz-acc-999 lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "another app's token gives IllegalAccessToken" has '"code":"IllegalAccessToken"'

ctl POST /_sim/lazada/expire_token "{\"seller_id\":\"$SELLER\"}" >/dev/null
lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "after expire_token the access token gives IllegalAccessToken" has '"code":"IllegalAccessToken"'

TOK=- lz POST /auth/token/refresh "refresh_token=$REFRESH" >/dev/null
newtok=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$tmp/body")
newref=$(sed -n 's/.*"refresh_token":"\([^"]*\)".*/\1/p' "$tmp/body")
check "auth/token/refresh returns a new pair at the top level" \
  sh -c 'grep -q "\"code\":\"0\"" "$1" && grep -q "\"expires_in\":604800" "$1" &&
         grep -q "\"refresh_expires_in\":1209600" "$1" && [ -n "$2" ] && [ "$3" != "$4" ]' \
  _ "$tmp/body" "$newtok" "$newref" "$REFRESH"
TOK=- lz POST /auth/token/refresh "refresh_token=$REFRESH" >/dev/null
check "a used refresh token gives IllegalRefreshToken" has '"code":"IllegalRefreshToken"'
TOK=$newtok lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "the new access token works" has '"code":"0"'
TOKEN=$newtok

ctl POST /_sim/lazada/rate_limit "{\"seller_id\":\"$SELLER\",\"per_second\":0.001,\"burst\":1}" >/dev/null
lz GET /product/item/get "item_id=$ITEM" >/dev/null
s2=$(lz GET /product/item/get "item_id=$ITEM")
check "the seller rate limit answers 429 ApiCallLimit" \
  sh -c '[ "$1" = 429 ] && grep -q "\"code\":\"ApiCallLimit\"" "$2"' _ "$s2" "$tmp/body"
ctl POST /_sim/lazada/rate_limit "{\"seller_id\":\"$SELLER\",\"per_second\":0}" >/dev/null

ctl POST /_sim/fault '{"marketplace":"lazada","path":"/rest/product/price_quantity/update","kind":"status","status":429,"retry_after":3,"error":"ApiCallLimit","count":1}' >/dev/null
s1=$(lz POST /product/price_quantity/update \
  "payload={\"Request\":{\"Product\":{\"Skus\":{\"Sku\":[{\"ItemId\":\"$ITEM\",\"SellerSku\":\"OCOP-LZ-001\",\"Quantity\":\"9\"}]}}}}")
check "a 429 fault answers 429 with Retry-After and the Lazada envelope" \
  sh -c '[ "$1" = 429 ] && grep -qi "^Retry-After: 3" "$2" &&
         grep -q "\"type\":\"SYSTEM\",\"code\":\"ApiCallLimit\"" "$3"' _ "$s1" "$tmp/hdr" "$tmp/body"
ctl GET "/_sim/lazada/items?seller_id=$SELLER" >/dev/null
check "the faulted update was not applied" has '"stock":7,'

ctl GET "/_sim/calls?since=0" >/dev/null
check "the call log names seller, item and SKU of an update" \
  grep -q "\"marketplace\":\"lazada\",\"method\":\"POST\",\"path\":\"/rest/product/price_quantity/update\",\"shop_id\":null,\"shop\":\"$SELLER\",\"item_id\":$ITEM,\"item_sku\":\"OCOP-LZ-001\"" "$tmp/body"
check "the call log records rejected calls and the fault" \
  rejected_logged IncompleteSignature

# -------------------------------------------------------------- orders --
order_times
ctl POST /_sim/lazada/orders "{\"shop\":\"$SELLER\",\"orders\":[
  {\"id\":123456789,\"status\":\"pending\",\"update_time\":$T1,
   \"lines\":[{\"sku\":\"OCOP-LZ-001\",\"qty\":2,\"price\":75000}]},
  {\"status\":\"pending\",\"update_time\":$T2,
   \"lines\":[{\"sku\":\"OCOP-LZ-001\",\"qty\":3,\"price\":75000}]},
  {\"status\":\"pending\",\"update_time\":$T3,\"malformed\":true,
   \"lines\":[{\"sku\":\"OCOP-LZ-001\",\"qty\":1,\"price\":75000}]}]}" >/dev/null
order_ids
check "control orders: a given id and made-up decimal ids" \
  sh -c 'grep -q "\"ids\":\[\"123456789\"," "$1" &&
         echo "$2$3" | grep -q "^[0-9]*$"' _ "$tmp/body" "$O2" "$O3"

AFTER=$(date -u -d "@$((NOW - 1000))" +%Y-%m-%dT%H:%M:%S+00:00)
lz GET /orders/get "update_after=$AFTER" sort_by=updated_at sort_direction=ASC \
  status=all offset=0 limit=2 >/dev/null
cp "$tmp/body" "$tmp/page1"
lz GET /orders/get "update_after=$AFTER" offset=2 limit=2 >/dev/null
check "orders/get pages by offset, oldest update first, prices and counts" \
  sh -c 'grep -q "\"count\":2,\"countTotal\":3,\"orders\":\[{\"order_id\":123456789,\"order_number\":123456789,\"statuses\":\[\"pending\"\],\"price\":\"150000.00\",\"created_at\":\"[0-9-]* [0-9:]* +0700\",\"updated_at\":\"[0-9-]* [0-9:]* +0700\",\"items_count\":2},{\"order_id\":$3," "$1" &&
         grep -q "\"count\":1,\"countTotal\":3,\"orders\":\[{\"order_id\":$4," "$2"' \
  _ "$tmp/page1" "$tmp/body" "$O2" "$O3"

BEFORE=$(date -u -d "@$T2" +%Y-%m-%dT%H:%M:%S+00:00)
lz GET /orders/get "update_after=$AFTER" "update_before=$BEFORE" >/dev/null
check "update_before is exclusive" has '"count":1,"countTotal":1,'

ctl POST /_sim/lazada/config '{"max_offset":1}' >/dev/null
lz GET /orders/get "update_after=$AFTER" offset=2 limit=2 >/dev/null
a=$(grep -c '"code":"InvalidParameter"' "$tmp/body")
ctl POST /_sim/lazada/config '{"max_offset":5000}' >/dev/null
lz GET /orders/get offset=0 limit=2 >/dev/null
b=$(grep -c '"code":"InvalidParameter"' "$tmp/body")
lz GET /orders/get "update_after=$AFTER" limit=101 >/dev/null
c=$(grep -c '"code":"InvalidParameter"' "$tmp/body")
check "offset beyond max_offset, no update_after, limit 101: InvalidParameter" \
  [ "$a$b$c" = 111 ]

lz GET /orders/items/get "order_ids=[123456789,$O3,999]" >/dev/null
check "orders/items/get: one item per unit, the malformed order lacks sku" \
  sh -c '[ "$(grep -o "\"order_item_id\"" "$1" | wc -l)" = 3 ] &&
         [ "$(grep -o "\"sku\":\"OCOP-LZ-001\"" "$1" | wc -l)" = 2 ] &&
         grep -q "\"item_price\":\"75000.00\",\"paid_price\":\"75000.00\",\"currency\":\"VND\",\"status\":\"pending\"" "$1" &&
         [ "$(grep -o "\"order_number\"" "$1" | wc -l)" = 2 ]' _ "$tmp/body"

ctl POST /_sim/lazada/orders/status "{\"shop\":\"$SELLER\",\"id\":\"$O3\",\"status\":\"canceled\",\"update_time\":5}" >/dev/null
check "a status change moves update_time forward" \
  has "\"update_time\":$((T3 + 1)),\"ok\":true"

push_capture lazada "\"shop\":\"$SELLER\",\"order_id\":\"$O3\",\"timestamp\":1700000000"
check "push: message_type 0 with the current status, signed over app_key+body" \
  push_ok "^{\"seller_id\":\"VN1234567\",\"message_type\":0,\"data\":{\"trade_order_id\":\"$O3\",\"order_status\":\"canceled\",\"status_update_time\":$((T3 + 1))},\"timestamp\":1700000000,\"site\":\"lazada_vn\"}\$" \
  "$(hmac "$APPKEY$(cat "$tmp/sent")" "$SECRET")"

ctl POST /_sim/lazada/orders "{\"shop\":\"$SELLER\",\"orders\":[{\"status\":\"pending\",\"lines\":[{\"sku\":\"X\",\"qty\":1,\"price\":1}]}],\"push\":{\"url\":\"http://127.0.0.1:1/\"}}" >/dev/null
check "orders with push report each delivery (0: nobody listening)" \
  has '"push_status":\[0\]'

sim_stop
