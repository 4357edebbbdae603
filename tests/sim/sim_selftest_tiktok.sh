#!/bin/sh
# sim_selftest_tiktok.sh — TAP checks of ocopsim's TikTok Shop (202309) from
# the outside, with curl and openssl only: wrapped lowercase signing over
# path, sorted query and body bytes, second timestamps, the access-token
# header, 19-digit string ids, the product calls of
# docs/marketplaces/tiktok.md ("Endpoints"), token refresh, the control API,
# the call log and faults. Builds nothing: the binary comes from $OCOPSIM
# (default $top_builddir/tests/sim/ocopsim).

PLAN=80
SIM_TAG=tt
. "$(dirname "$0")/sim_selftest_lib.sh"

# --------------------------------------------------------------- start --
APPKEY=29a39d
SECRET=e59af819cc
CIPHER=ROW_xkMbgAAAeVAQra0eZWebFQq5aIK
TOKEN=tt-acc-1
REFRESH=tt-ref-1
cat >"$tmp/seed.json" <<EOF
{"tiktok": {"apps": [{"app_key": "$APPKEY", "app_secret": "$SECRET"}],
            "shops": [{"shop_cipher": "$CIPHER", "app_key": "$APPKEY",
                       "access_token": "$TOKEN", "refresh_token": "$REFRESH",
                       "access_expires_in": 604800},
                      {"shop_cipher": "ROW_other", "app_key": "$APPKEY",
                       "access_token": "tt-acc-2", "refresh_token": "tt-ref-2"}]}}
EOF

sim_start "starts with a tiktok seed"

# ------------------------------------------------------------- helpers --
# tt METHOD PATH BODY [name=value ...]: a signed call. The query holds
# app_key, timestamp, shop_cipher (unless NOSHOP=1), the extra parameters and
# sign. Environment: TS, TOK (header token; "-" for none), CASE=upper,
# SIGN_BODY (the body bytes to sign instead of BODY), QTOK (an access_token
# query parameter, not signed). Body in $tmp/body, headers in $tmp/hdr;
# prints the HTTP status.
tt() {
  t_method=$1
  t_path=$2
  t_body=$3
  shift 3
  t_ts=${TS:-$(date +%s)}
  t_tok=${TOK:-$TOKEN}
  printf 'app_key=%s\ntimestamp=%s\n' "$APPKEY" "$t_ts" >"$tmp/params"
  if [ -z "${NOSHOP:-}" ]; then printf 'shop_cipher=%s\n' "$CIPHER" >>"$tmp/params"; fi
  for t_a in "$@"; do printf '%s\n' "$t_a" >>"$tmp/params"; done
  t_q=$(tr '\n' '&' <"$tmp/params")
  t_signed=${SIGN_BODY-$t_body}
  t_base=$SECRET$t_path$(LC_ALL=C sort -t= -k1,1 "$tmp/params" | sed 's/=//' |
    tr -d '\n')$t_signed$SECRET
  t_sign=$(printf '%s' "$t_base" | openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.*= *//')
  if [ "${CASE:-}" = upper ]; then t_sign=$(printf '%s' "$t_sign" | tr a-f A-F); fi
  t_url="$BASE$t_path?${t_q}sign=$t_sign"
  if [ -n "${QTOK:-}" ]; then t_url="$t_url&access_token=$QTOK"; fi
  set -- -s -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' -X "$t_method" \
    -H 'Content-Type: application/json'
  if [ "$t_tok" != - ]; then set -- "$@" -H "x-tts-access-token: $t_tok"; fi
  if [ -n "$t_body" ]; then set -- "$@" --data-binary "$t_body"; fi
  curl "$@" "$t_url"
}


# upload FILE USE_CASE: a signed multipart image upload (no shop_cipher;
# the body is not signed). Body in $tmp/body; prints the HTTP status.
upload() {
  u_ts=$(date +%s)
  u_sign=$(printf '%s' "$SECRET/product/202309/images/uploadapp_key${APPKEY}timestamp$u_ts$SECRET" |
    openssl dgst -sha256 -hmac "$SECRET" | sed 's/^.*= *//')
  curl -s -o "$tmp/body" -w '%{http_code}' -H "x-tts-access-token: ${TOK:-$TOKEN}" \
    -F "data=@$1;type=image/png" -F "use_case=$2" \
    "$BASE/product/202309/images/upload?app_key=$APPKEY&timestamp=$u_ts&sign=$u_sign"
}
# png SIDE: the head of a square PNG, SIDE given as two octal escapes.
png() {
  printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000'"$1"'\000\000'"$1"'\010\002\000\000\000'
  head -c 64 /dev/urandom
}
png '\001\220' >"$tmp/main.png" # 400 x 400
upload "$tmp/main.png" MAIN_IMAGE >/dev/null
IMG=$(sed -n 's/.*"uri":"\([^"]*\)".*/\1/p' "$tmp/body")
# Food (600001) wants Country of Origin (a listed value) and Shelf Life.
ATTRS='"product_attributes":[{"id":"100001","values":[{"id":"1000011"}]},{"id":"100002","values":[{"name":"12 tháng"}]}]'

product_json() {
  printf '{"title":"Trà Shan Tuyết Hà Giang loại một","description":"OCOP 4 sao",'
  printf '"category_id":"600001","main_images":[{"uri":"%s"}],%s,' "$IMG" "$ATTRS"
  printf '"package_weight":{"value":"0.25","unit":"KILOGRAM"},'
  printf '"skus":[{"seller_sku":"%s","price":{"amount":"%s","currency":"VND"},' "$1" "$2"
  printf '"inventory":[{"warehouse_id":"7068517275539719942","quantity":25}]}]}'
}

P=/product/202309/products
PID=1729384756000000001
SKUID=1729384756000000002

# ------------------------------------------------------------ the checks --
status=$(tt POST $P "$(product_json OCOP-TT-001 150000)")
check "signed product create succeeds with 19-digit string ids" \
  sh -c '[ "$1" = 200 ] && grep -q "\"code\":0," "$2" &&
         grep -q "\"product_id\":\"$3\"" "$2" && grep -q "\"id\":\"$4\"" "$2"' \
  _ "$status" "$tmp/body" "$PID" "$SKUID"

ctl GET "/_sim/tiktok/items?shop_cipher=$CIPHER" >/dev/null
check "the product shows in /_sim/tiktok/items" \
  sh -c 'grep -q "\"product_id\":\"$2\"" "$1" && grep -q "\"sku\":\"OCOP-TT-001\"" "$1" &&
         grep -q "\"title\":\"Trà Shan Tuyết Hà Giang loại một\"" "$1" && grep -q "\"description\":\"OCOP 4 sao\"" "$1"' \
  _ "$tmp/body" "$PID"
check "it keeps price, stock and status" \
  sh -c 'grep -q "\"price\":150000," "$1" && grep -q "\"stock\":25," "$1" &&
         grep -q "\"status\":\"ACTIVATE\"" "$1"' _ "$tmp/body"

# ------------------------------------------------------------- content --
check "the upload gave a uri and a url" sh -c '[ -n "$1" ]' _ "$IMG"
ctl GET "/_sim/tiktok/items?shop_cipher=$CIPHER" >/dev/null
check "the item shows its images and attributes" \
  sh -c 'grep -q "\"main_images\":\[{\"uri\":\"$2\"}\]" "$1" &&
         grep -q "\"product_attributes\":\[{\"id\":\"100001\"" "$1"' _ "$tmp/body" "$IMG"
ctl GET /_sim/tiktok/uploads >/dev/null
check "/_sim/tiktok/uploads lists the upload with bytes, sha256 and use_case" \
  sh -c 'grep -q "\"shop\":\"$2\",\"uri\":\"$3\"" "$1" && grep -q "\"bytes\":$5," "$1" &&
         grep -q "\"sha256\":\"$4\"" "$1" && grep -q "\"use_case\":\"MAIN_IMAGE\"" "$1"' \
  _ "$tmp/body" "$CIPHER" "$IMG" "$(openssl dgst -sha256 "$tmp/main.png" | sed 's/^.*= *//')" \
  "$(wc -c <"$tmp/main.png" | tr -d ' ')"
png '\000\310' >"$tmp/small.png" # 200 x 200
upload "$tmp/small.png" MAIN_IMAGE >/dev/null
check "a main image under 300 px is refused (12038014)" has '"code":12038014'
upload "$tmp/small.png" CERTIFICATION_IMAGE >/dev/null
CERT=$(sed -n 's/.*"uri":"\([^"]*\)".*/\1/p' "$tmp/body")
check "a certification image of 200 px is taken" has '"use_case":"CERTIFICATION_IMAGE"'
printf 'not an image at all' >"$tmp/bad.png"
upload "$tmp/bad.png" MAIN_IMAGE >/dev/null
check "bytes that are no image are refused (12038004)" has '"code":12038004'
s=$(curl -s -o "$tmp/body" -w '%{http_code}' -X GET -H "x-tts-access-token: $TOKEN" \
  "$BASE$P/$PID?app_key=$APPKEY&timestamp=$(date +%s)&shop_cipher=$CIPHER&sign=x")
check "a GET without Content-Type: application/json is refused" has 'Content-Type must be application/json'

tt GET /product/202309/categories/600003/attributes "" >/dev/null
check "attributes of health: Country of Origin and Ingredients required (is_requried)" \
  sh -c 'grep -q "\"id\":\"100001\",\"name\":\"Country of Origin\",\"type\":\"PRODUCT_PROPERTY\",\"is_requried\":true" "$1" &&
         grep -q "\"id\":\"100003\",\"name\":\"Ingredients\",\"type\":\"PRODUCT_PROPERTY\",\"is_requried\":true" "$1"' _ "$tmp/body"
tt GET /product/202309/categories/600000/attributes "" >/dev/null
check "the parent category is not a leaf (12052024)" has '"code":12052024'
tt GET /product/202309/categories/600003/rules "" >/dev/null
check "rules of health: licence required, package dimensions required" \
  sh -c 'grep -q "\"id\":\"8000003\",\"name\":\"Health Supplement License\",\"is_required\":true" "$1" &&
         grep -q "\"package_dimension\":{\"is_required\":true}" "$1"' _ "$tmp/body"
tt GET /product/202309/brands "" "category_id=600003" "page_size=100" >/dev/null
check "brands list the ten brands" \
  sh -c 'grep -q "\"name\":\"Tài Hoan\"" "$1" && grep -q "\"total_count\":10" "$1"' _ "$tmp/body"
BRAND=$(tr '{' '\n' <"$tmp/body" | grep '"name":"Tài Hoan"' | sed -n 's/^"id":"\([0-9]*\)".*/\1/p')

health() { # health CERT_URI DIMS BRAND: a health product's create body
  printf '{"title":"Cao đông trùng hạ thảo Tài Hoan","description":"x","category_id":"600003",'
  printf '"main_images":[{"uri":"%s"}],' "$IMG"
  if [ -n "$3" ]; then printf '"brand_id":"%s",' "$3"; fi
  printf '"product_attributes":[{"id":"100001","values":[{"id":"1000011"}]},{"id":"100003","values":[{"name":"Đông trùng"}]}],'
  if [ -n "$1" ]; then printf '"certifications":[{"id":"8000003","images":[{"uri":"%s"}]}],' "$1"; fi
  if [ -n "$2" ]; then printf '"package_dimensions":{"length":"16","width":"10","height":"5","unit":"CENTIMETER"},'; fi
  printf '"package_weight":{"value":"0.3","unit":"KILOGRAM"},"idempotency_key":"ocopd-h1",'
  printf '"skus":[{"seller_sku":"HC-1","price":{"amount":"90000","currency":"VND"},'
  printf '"inventory":[{"warehouse_id":"7068517275539719942","quantity":3}]}]}'
}
tt POST $P "$(health "$CERT" 1 "")" >/dev/null
check "health without a brand is refused (12052208)" has '"code":12052208'
tt POST $P "$(health "" 1 "$BRAND")" >/dev/null
check "health without its licence is refused (12052105)" has '"code":12052105'
tt POST $P "$(health "$IMG" 1 "$BRAND")" >/dev/null
check "a MAIN_IMAGE uri as certification image is refused (12052650)" has '"code":12052650'
tt POST $P "$(health "$CERT" "" "$BRAND")" >/dev/null
check "health without package dimensions is refused (12019012)" has '"code":12019012'
tt POST $P "$(health "$CERT" 1 "$BRAND")" >/dev/null
HPID=$(sed -n 's/.*"product_id":"\([0-9]*\)".*/\1/p' "$tmp/body")
tt POST $P "$(health "$CERT" 1 "$BRAND")" >/dev/null
check "a create sent again with its idempotency_key answers the same product" \
  sh -c '[ -n "$2" ] && grep -q "\"product_id\":\"$2\"" "$1"' _ "$tmp/body" "$HPID"
tt POST $P '{"title":"Trà Shan Tuyết Hà Giang loại hai","description":"x","category_id":"600001","main_images":[{"uri":"tos-maliva-i-o3syd03w52-us/abc"}],"skus":[]}' >/dev/null
check "a uri the upload did not give is refused (12052300)" has '"code":12052300'
tt POST $P "{\"title\":\"Trà Shan Tuyết Hà Giang loại hai\",\"description\":\"x\",\"category_id\":\"600001\",\"main_images\":[{\"uri\":\"$IMG\"}],\"product_attributes\":[{\"id\":\"100001\",\"values\":[{\"id\":\"1000011\"}]}],\"skus\":[]}" >/dev/null
check "a missing mandatory attribute is refused (12052104)" has '"code":12052104'
tt POST $P "{\"title\":\"Trà Shan Tuyết\",\"description\":\"x\",\"category_id\":\"600001\",\"main_images\":[{\"uri\":\"$IMG\"}],$ATTRS,\"skus\":[]}" >/dev/null
check "a title under 25 characters is refused (12052051)" has '"code":12052051'
tt POST $P/$PID/partial_edit "{\"product_attributes\":[{\"id\":\"100001\",\"values\":[{\"id\":\"9999\"}]},{\"id\":\"100002\",\"values\":[{\"name\":\"6 tháng\"}]}]}" >/dev/null
check "an edit with a value id not listed is refused (12052529)" has '"code":12052529'
tt POST $P/$PID/partial_edit '{"main_images":[]}' >/dev/null
check "an edit that leaves no main image is refused (12052028)" has '"code":12052028'

s=$(CASE=upper tt GET $P/$PID "")
check "an uppercase hex sign is refused (106001, HTTP 401)" \
  sh -c '[ "$1" = 401 ] && grep -q "\"code\":106001" "$2"' _ "$s" "$tmp/body"
SIGN_BODY='{"title":"x","description":"y"}' tt POST $P/$PID/partial_edit '{"description":"y","title":"x"}' >/dev/null
check "a body signed in another key order is refused" has '"code":106001'
tt GET $P/$PID "" "page_size=" >/dev/null
check "an empty query parameter is signed as its name alone" has '"code":0,'

TS=$(($(date +%s) * 1000)) tt GET $P/$PID "" >/dev/null
check "a timestamp in milliseconds is refused (36009003)" has '"code":36009003'
TS=$(($(date +%s) - 400)) tt GET $P/$PID "" >/dev/null
check "a timestamp 400 s old is refused" has '"code":36009003'
TS=$(($(date +%s) - 200)) tt GET $P/$PID "" >/dev/null
check "a timestamp 200 s old is accepted" has '"code":0,'

QTOK=$TOKEN tt GET $P/$PID "" >/dev/null
check "an access_token query parameter is not signed" has '"code":0,'
TOK=- QTOK=$TOKEN tt GET $P/$PID "" >/dev/null
check "the token only in the query is refused (105001)" has '"code":105001'

tt POST $P/search '{"seller_skus":["OCOP-TT-001"]}' "page_size=10" >/dev/null
check "search finds the product by seller_sku" \
  sh -c 'grep -q "\"total_count\":1" "$1" && grep -q "\"id\":\"$2\"" "$1" &&
         grep -q "\"status\":\"ACTIVATE\"" "$1" && grep -q "\"next_page_token\":\"\"" "$1"' _ "$tmp/body" "$PID"
tt POST $P/search '{"seller_skus":["NO-SUCH"]}' "page_size=10" >/dev/null
check "an unknown seller_sku gives no products" \
  sh -c 'grep -q "\"total_count\":0" "$1" && grep -q "\"products\":\[\]" "$1"' _ "$tmp/body"
tt POST $P/search '{}' >/dev/null
check "search without page_size is refused" has '"code":40006'

tt GET $P/$PID "" >/dev/null
check "get product shows status, SKU id, price and inventory" \
  sh -c 'grep -q "\"status\":\"ACTIVATE\"" "$1" && grep -q "\"id\":\"$2\"" "$1" &&
         grep -q "\"amount\":\"150000\"" "$1" && grep -q "\"quantity\":25" "$1"' _ "$tmp/body" "$SKUID"
tt GET $P/1729384756000000000 "" >/dev/null
check "the id rounded through a double is not found (12052700)" has '"code":12052700'
tt POST $P/deactivate "{\"product_ids\":[$PID]}" >/dev/null
check "a product id sent as a JSON number is refused" has '"code":40006'

tt POST $P/$PID/inventory/update "{\"skus\":[{\"id\":\"$SKUID\",\"inventory\":[{\"warehouse_id\":\"7068517275539719942\",\"quantity\":9}]}]}" >/dev/null
a=$(grep -c '"code":0,' "$tmp/body")
tt POST $P/$PID/prices/update "{\"skus\":[{\"id\":\"$SKUID\",\"price\":{\"amount\":\"175000\",\"currency\":\"VND\"}}]}" >/dev/null
b=$(grep -c '"code":0,' "$tmp/body")
ctl GET "/_sim/tiktok/items?shop_cipher=$CIPHER" >/dev/null
check "inventory and price updates apply" \
  sh -c '[ "$2$3" = 11 ] && grep -q "\"stock\":9," "$1" && grep -q "\"price\":175000," "$1"' \
  _ "$tmp/body" "$a" "$b"
tt POST $P/$PID/prices/update "{\"skus\":[{\"id\":\"$SKUID\",\"price\":{\"amount\":\"175000.5\",\"currency\":\"VND\"}}]}" >/dev/null
check "a fractional price is refused" has '"code":40006'
tt POST $P/$PID/inventory/update "{\"skus\":[{\"id\":\"1729384756000000004\",\"inventory\":[{\"quantity\":9}]}]}" >/dev/null
check "an unknown SKU id is not found" has '"code":12052700'

tt POST $P/deactivate "{\"product_ids\":[\"$PID\"]}" >/dev/null
ctl GET "/_sim/tiktok/items?shop_cipher=$CIPHER" >/dev/null
check "deactivate makes it SELLER_DEACTIVATED" has '"status":"SELLER_DEACTIVATED"'
tt POST $P/activate "{\"product_ids\":[\"$PID\"]}" >/dev/null
tt GET $P/$PID "" >/dev/null
check "activate makes it ACTIVATE again" has '"status":"ACTIVATE"'

tt POST $P/$PID/partial_edit '{"title":"Trà mới Shan Tuyết Hà Giang loại một","description":"mô tả"}' >/dev/null
ctl GET "/_sim/tiktok/items?shop_cipher=$CIPHER" >/dev/null
check "partial_edit changes title and description" \
  sh -c 'grep -q "\"title\":\"Trà mới Shan Tuyết Hà Giang loại một\"" "$1" && grep -q "\"description\":\"mô tả\"" "$1"' _ "$tmp/body"

TOK=tt-acc-2 tt GET $P/$PID "" >/dev/null
check "another shop's token with this shop_cipher is refused" has '"code":40006'
TOK=no-such tt GET $P/$PID "" >/dev/null
check "an unknown token gives 105001" has '"code":105001'
ctl POST /_sim/tiktok/expire_token "{\"shop_cipher\":\"$CIPHER\"}" >/dev/null
s=$(tt GET $P/$PID "")
check "after expire_token the token gives 105002 (HTTP 401)" \
  sh -c '[ "$1" = 401 ] && grep -q "\"code\":105002" "$2"' _ "$s" "$tmp/body"

refresh() {
  curl -s -o "$tmp/body" -w '%{http_code}' -H 'Content-Type: application/json' \
    "$BASE/api/v2/token/refresh?app_key=$APPKEY&app_secret=$1&refresh_token=$2&grant_type=refresh_token"
}
refresh "$SECRET" "$REFRESH" >/dev/null
newtok=$(sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p' "$tmp/body")
exp=$(sed -n 's/.*"access_token_expire_in":\([0-9]*\).*/\1/p' "$tmp/body")
check "token refresh returns a new token with an absolute expiry" \
  sh -c 'grep -q "\"code\":0," "$1" && [ -n "$2" ] && [ "$3" -gt $(($(date +%s) + 600000)) ]' \
  _ "$tmp/body" "$newtok" "${exp:-0}"
refresh "$SECRET" "$REFRESH" >/dev/null
check "a used refresh token is refused (36004004)" has '"code":36004004'
refresh wrong-secret "$REFRESH" >/dev/null
check "a wrong app_secret is refused (36004001)" has '"code":36004001'
TOK=$newtok tt GET $P/$PID "" >/dev/null
check "the new access token works" has '"code":0,'
TOKEN=$newtok

NOSHOP=1 tt GET /authorization/202309/shops "" >/dev/null
check "authorization/shops lists the shop and its cipher" has "\"cipher\":\"$CIPHER\""

ctl POST /_sim/tiktok/rate_limit "{\"shop_cipher\":\"$CIPHER\",\"per_second\":0.001,\"burst\":1}" >/dev/null
tt GET $P/$PID "" >/dev/null
s=$(tt GET $P/$PID "")
check "the shop rate limit answers 429 with 10000429" \
  sh -c '[ "$1" = 429 ] && grep -q "\"code\":10000429" "$2"' _ "$s" "$tmp/body"
ctl POST /_sim/tiktok/rate_limit "{\"shop_cipher\":\"$CIPHER\",\"per_second\":0}" >/dev/null

ctl POST /_sim/fault "{\"marketplace\":\"tiktok\",\"path\":\"$P/$PID/inventory/update\",\"shop\":\"$CIPHER\",\"kind\":\"status\",\"status\":429,\"retry_after\":2,\"error\":\"10000429\",\"count\":1}" >/dev/null
s=$(tt POST $P/$PID/inventory/update "{\"skus\":[{\"id\":\"$SKUID\",\"inventory\":[{\"quantity\":3}]}]}")
check "a 429 fault answers 429, Retry-After and a numeric code" \
  sh -c '[ "$1" = 429 ] && grep -qi "^Retry-After: 2" "$2" && grep -q "\"code\":10000429," "$3"' \
  _ "$s" "$tmp/hdr" "$tmp/body"
ctl GET "/_sim/tiktok/items?shop_cipher=$CIPHER" >/dev/null
check "the faulted update was not applied" has '"stock":9,'

ctl GET "/_sim/calls?since=0" >/dev/null
check "the call log names shop, product id (as a string) and SKU" \
  grep -q "\"marketplace\":\"tiktok\",\"method\":\"POST\",\"path\":\"$P/$PID/inventory/update\",\"shop_id\":null,\"shop\":\"$CIPHER\",\"item_id\":\"$PID\",\"item_sku\":\"OCOP-TT-001\"" "$tmp/body"
check "the call log records rejected calls and the fault" \
  rejected_logged 106001

# -------------------------------------------------------------- orders --
tt POST $P "$(product_json ORD-TT-1 75000)" >/dev/null
order_times
ctl POST /_sim/tiktok/shop "{\"shop_cipher\":\"$CIPHER\",\"app_key\":\"$APPKEY\",\"access_token\":\"$TOKEN\",\"refresh_token\":\"tt-ref-orders\",\"shop_id\":\"7494000000000000001\"}" >/dev/null
ctl POST /_sim/tiktok/orders "{\"shop\":\"$CIPHER\",\"orders\":[
  {\"status\":\"AWAITING_SHIPMENT\",\"update_time\":$T1,
   \"lines\":[{\"sku\":\"ORD-TT-1\",\"qty\":2,\"price\":75000}]},
  {\"status\":\"UNPAID\",\"update_time\":$T2,
   \"lines\":[{\"sku\":\"ORD-TT-1\",\"qty\":1,\"price\":75000}]},
  {\"status\":\"AWAITING_SHIPMENT\",\"update_time\":$T3,\"malformed\":true,
   \"lines\":[{\"sku\":\"ORD-TT-1\",\"qty\":1,\"price\":75000}]}]}" >/dev/null
order_ids
ctl GET "/_sim/tiktok/items?shop_cipher=$CIPHER" >/dev/null
check "control orders: 18-digit ids, the product's stock goes down (25 -> 21)" \
  sh -c 'echo "$1" | grep -q "^[0-9]\{18\}$" && [ -n "$2" ] &&
         tr "{" "\n" <"$3" | grep "\"sku\":\"ORD-TT-1\"" | grep -q "\"stock\":21"' \
  _ "$O1" "$O3" "$tmp/body"

OS=/order/202309/orders/search
WIN="{\"update_time_ge\":$((NOW - 1000)),\"update_time_lt\":$((NOW + 1))}"
tt POST $OS "$WIN" page_size=2 sort_field=update_time sort_order=ASC >/dev/null
cp "$tmp/body" "$tmp/page1"
tok=$(unesc "$tmp/page1" next_page_token)
tt POST $OS "$WIN" page_size=2 "page_token=$tok" sort_field=update_time sort_order=ASC >/dev/null
check "orders/search pages by token in update_time order (body signed)" \
  sh -c 'grep -q "\"orders\":\[{\"id\":\"$3\",\"status\":\"AWAITING_SHIPMENT\",\"create_time\":[0-9]*,\"update_time\":[0-9]*},{\"id\":\"$4\"" "$1" &&
         grep -q "\"total_count\":3" "$1" && ! grep -q "\"next_page_token\":\"\"" "$1" &&
         grep -q "\"orders\":\[{\"id\":\"$5\",[^]]*\],\"next_page_token\":\"\"" "$2"' \
  _ "$tmp/page1" "$tmp/body" "$O1" "$O2" "$O3"

tt POST $OS "$WIN" page_size=101 >/dev/null
check "page_size 101 is refused (40006)" has '"code":40006'

tt GET /order/202309/orders "" "ids=$O1,$O3,1" >/dev/null
check "orders: one line item per unit, string money, malformed lacks seller_sku" \
  sh -c '[ "$(grep -o "\"display_status\"" "$1" | wc -l)" = 3 ] &&
         [ "$(grep -o "\"seller_sku\":\"ORD-TT-1\"" "$1" | wc -l)" = 2 ] &&
         grep -q "\"payment\":{\"currency\":\"VND\",\"total_amount\":\"150000\"}" "$1" &&
         grep -q "\"original_price\":\"75000\",\"sale_price\":\"75000\",\"currency\":\"VND\"" "$1"' \
  _ "$tmp/body"

ctl POST /_sim/tiktok/orders/status "{\"shop\":\"$CIPHER\",\"id\":\"$O3\",\"status\":\"CANCELLED\"}" >/dev/null
check "a status change moves update_time forward" \
  sh -c 'v=$(sed -n "s/.*\"update_time\":\([0-9]*\).*/\1/p" "$1"); [ "$v" -gt "$2" ]' \
  _ "$tmp/body" "$T3"

push_capture tiktok "\"shop\":\"$CIPHER\",\"order_id\":\"$O3\""
check "push: type 1 with shop_id and the current status, signed over app_key+body" \
  push_ok "^{\"type\":1,\"shop_id\":\"7494000000000000001\",\"timestamp\":[0-9]*,\"data\":{\"order_id\":\"$O3\",\"order_status\":\"CANCELLED\",\"update_time\":[0-9]*}}\$" \
  "$(hmac "$APPKEY$(cat "$tmp/sent")" "$SECRET")"

ctl GET "/_sim/calls?since=0" >/dev/null
check "order calls are in the call log" \
  grep -q "\"path\":\"/order/202309/orders\",\"shop_id\":null,\"shop\":\"$CIPHER\"" "$tmp/body"

# ------------------------------------------------------------ variants --
# sku_json SELLER_SKU AMOUNT QTY [LABEL [ID]]: one skus[] entry.
sku_json() {
  printf '{'
  if [ -n "${5:-}" ]; then printf '"id":"%s",' "$5"; fi
  printf '"seller_sku":"%s","price":{"amount":"%s","currency":"VND"},' "$1" "$2"
  printf '"inventory":[{"warehouse_id":"7068517275539719942","quantity":%s}]' "$3"
  if [ -n "${4:-}" ]; then printf ',"sales_attributes":[{"name":"Quy cách","value_name":"%s"}]' "$4"; fi
  printf '}'
}
multi_json() {
  printf '{"title":"Miến dong Bình Liêu đặc sản","category_id":"600001",'
  printf '"main_images":[{"uri":"%s"}],%s,' "$IMG" "$ATTRS"
  printf '"package_weight":{"value":"0.5","unit":"KILOGRAM"},"skus":[%s]}' "$1"
}
sku_id_of() { # SELLER_SKU: its id in $tmp/body
  tr '{' '\n' <"$tmp/body" | grep "\"seller_sku\":\"$1\"" | sed -n 's/^"id":"\([0-9]*\)".*/\1/p' | head -n 1
}

tt POST $P "$(multi_json "$(sku_json MD-200 40000 5 "200 g"),$(sku_json MD-200 70000 6 "500 g")")" >/dev/null
check "variants: a duplicate seller_sku is refused" has '"code":40006,"message":"seller_sku is duplicated'
tt POST $P "$(multi_json "$(sku_json MD-200 40000 5),$(sku_json MD-500 70000 6)")" >/dev/null
check "variants: several SKUs without sales_attributes are refused" has 'needs sales_attributes on each'
tt POST $P "$(multi_json "$(sku_json MD-200 40000 5 "200 g"),$(sku_json MD-500 70000 6 "200 g")")" >/dev/null
check "variants: two SKUs with the same value are refused" has 'same sales attribute value'
tt POST $P "$(multi_json '{"seller_sku":"MD-200","inventory":[{"quantity":1}]}')" >/dev/null
check "variants: a SKU without price is refused" has 'each SKU needs a price'

tt POST $P "$(multi_json "$(sku_json MD-200 40000 5 "200 g"),$(sku_json MD-500 70000 6 "500 g")")" >/dev/null
VPID=$(unesc "$tmp/body" product_id)
V1=$(sku_id_of MD-200)
V2=$(sku_id_of MD-500)
check "variants: a product with two SKUs gets an id for each" \
  sh -c '[ -n "$1" ] && [ -n "$2" ] && [ -n "$3" ] && [ "$2" != "$3" ]' _ "$VPID" "$V1" "$V2"

tt POST $P/$VPID/partial_edit "{\"skus\":[$(sku_json MD-200 40000 5 "200 g" "$V1"),$(sku_json MD-1K 120000 2 "1 kg"),$(sku_json MD-500 70000 6 "500 g" "$V2")]}" >/dev/null
V3=$(sku_id_of MD-1K)
check "variants: partial_edit adds a SKU, keeping the others by id" \
  sh -c 'grep -q "\"code\":0," "$1" && [ -n "$2" ] && grep -q "\"id\":\"$3\"" "$1" && grep -q "\"id\":\"$4\"" "$1"' \
  _ "$tmp/body" "$V3" "$V1" "$V2"
tt POST $P/$VPID/partial_edit "{\"skus\":[$(sku_json MD-200 40000 5 "200 g" 1729384756000000099)]}" >/dev/null
check "variants: an unknown SKU id is refused (12052700)" has '"code":12052700'
tt POST $P/$VPID/partial_edit '{"skus":[]}' >/dev/null
check "variants: a partial edit that drops every SKU is refused" has 'keeps at least one'
tt POST $P/$VPID/partial_edit "{\"skus\":[$(sku_json MD-9 1 1 "500 g"),$(sku_json MD-500 70000 6 "500 g" "$V2")]}" >/dev/null
tt GET $P/$VPID "" >/dev/null
check "variants: a refused edit changes nothing; get shows named sales attributes" \
  sh -c 'grep -q "\"id\":\"$2\"" "$1" && grep -q "\"seller_sku\":\"MD-1K\"" "$1" && ! grep -q "MD-9" "$1" &&
         grep -q "\"name\":\"Quy cách\",\"value_id\":\"[0-9]*\",\"value_name\":\"1 kg\"" "$1"' _ "$tmp/body" "$V1"

tt POST $P/$VPID/inventory/update "{\"skus\":[{\"id\":\"$V1\",\"inventory\":[{\"quantity\":11}]},{\"id\":\"$V2\",\"inventory\":[{\"quantity\":12}]},{\"id\":\"$V3\",\"inventory\":[{\"quantity\":13}]}]}" >/dev/null
a=$(grep -c '"code":0,' "$tmp/body")
tt POST $P/$VPID/prices/update "{\"skus\":[{\"id\":\"$V3\",\"price\":{\"amount\":\"125000\",\"currency\":\"VND\"}}]}" >/dev/null
b=$(grep -c '"code":0,' "$tmp/body")
ctl GET "/_sim/tiktok/items?shop_cipher=$CIPHER" >/dev/null
check "variants: stock and price per SKU; the control API lists variants" \
  sh -c '[ "$2$3" = 11 ] && grep -q "{\"sku\":\"MD-200\",\"id\":\"$4\",\"label\":\"200 g\",\"price\":40000,\"stock\":11}" "$1" &&
         grep -q "{\"sku\":\"MD-1K\",\"id\":\"[0-9]*\",\"label\":\"1 kg\",\"price\":125000,\"stock\":13}" "$1"' \
  _ "$tmp/body" "$a" "$b" "$V1"

tt POST $P/$VPID/partial_edit "{\"skus\":[$(sku_json MD-200 40000 11 "200 g" "$V1"),$(sku_json MD-1K 125000 13 "1 kg" "$V3")]}" >/dev/null
tt POST $P/$VPID/inventory/update "{\"skus\":[{\"id\":\"$V2\",\"inventory\":[{\"quantity\":1}]}]}" >/dev/null
check "variants: a SKU left out of the list is deleted" has '"code":12052700'

ctl POST /_sim/tiktok/orders "{\"shop\":\"$CIPHER\",\"orders\":[{\"status\":\"AWAITING_SHIPMENT\",
   \"lines\":[{\"sku\":\"MD-1K\",\"qty\":3,\"price\":125000}]}]}" >/dev/null
VO=$(sed -n 's/.*"ids":\["\([^"]*\)".*/\1/p' "$tmp/body")
ctl GET "/_sim/tiktok/items?shop_cipher=$CIPHER" >/dev/null
check "variants: an order of one SKU moves that SKU's stock alone" \
  sh -c 'grep -q "{\"sku\":\"MD-1K\",\"id\":\"[0-9]*\",\"label\":\"1 kg\",\"price\":125000,\"stock\":10}" "$1" &&
         grep -q "{\"sku\":\"MD-200\",\"id\":\"[0-9]*\",\"label\":\"200 g\",\"price\":40000,\"stock\":11}" "$1"' _ "$tmp/body"
tt GET /order/202309/orders "" "ids=$VO" >/dev/null
check "variants: the order's line items name the SKU (sku_id, seller_sku)" \
  sh -c '[ "$(grep -o "\"sku_id\":\"$2\",\"seller_sku\":\"MD-1K\",\"product_id\":\"$3\"" "$1" | wc -l)" = 3 ]' \
  _ "$tmp/body" "$V3" "$VPID"

ctl POST /_sim/tiktok/item "{\"shop_cipher\":\"$CIPHER\",\"title\":\"Trà\",\"variation_name\":\"Hộp\",
  \"variants\":[{\"sku\":\"TR-100\",\"label\":\"100 g\",\"price\":50000,\"stock\":4},
                {\"sku\":\"TR-250\",\"label\":\"250 g\",\"price\":110000,\"stock\":2}]}" >/dev/null
check "variants: the control API seeds an item with variants" \
  sh -c 'grep -q "\"variants\":\[{\"sku\":\"TR-100\",\"id\":\"[0-9]*\",\"label\":\"100 g\",\"price\":50000,\"stock\":4},{\"sku\":\"TR-250\"" "$1"' _ "$tmp/body"

sim_stop
