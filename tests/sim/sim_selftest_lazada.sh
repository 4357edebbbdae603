#!/bin/sh
# sim_selftest_lazada.sh — TAP checks of ocopsim's Lazada from the outside,
# with curl and openssl only: sorted-parameter UPPERCASE signing, millisecond
# timestamps, tokens and single-use refresh, the product calls of
# docs/marketplaces/lazada.md ("Endpoints"), the control API, the call log
# and faults, and products with several SKUs (variants: sale property,
# AssociatedSku, RemoveSku, orders per SKU). Builds nothing: the binary comes from $OCOPSIM (default
# $top_builddir/tests/sim/ocopsim).

PLAN=81
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
  for l_a in "$@"; do
    case $l_a in -*) ;; *) printf '%s\n' "$l_a" >>"$tmp/params" ;; esac # curl options: not signed
  done
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


# png W H: the head of a PNG of W x H pixels (signature and IHDR: all
# ocopsim reads), as bytes, on stdout.
png() {
  printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000'
  printf "\\$(printf %03o $(($1 / 256)))\\$(printf %03o $(($1 % 256)))"
  printf '\000\000'
  printf "\\$(printf %03o $(($2 / 256)))\\$(printf %03o $(($2 % 256)))"
  printf '\010\002\000\000\000ocopsim-test-%s' "$3"
}

# upload FILE: UploadImage, the file as the multipart field "image"; the
# sign covers the system parameters alone.
upload() { lz POST /image/upload "-Fimage=@$1;type=image/png"; }

# create_payload SKU PRICE [CATEGORY [ATTRS [IMAGE]]]: a CreateProduct payload
# with the uploaded image, brand_id and the food category's mandatory
# attributes.
create_payload() {
  printf '{"Request":{"Product":{"PrimaryCategory":"%s",' "${3:-10001}"
  printf '"Images":{"Image":["%s"]},' "${5:-$IMG}"
  printf '"Attributes":{"name":"Trà Shan Tuyết Hà Giang","description":"OCOP 4 sao",'
  printf '%s},' "${4:-\"brand_id\":\"30768\",\"country_of_origin\":\"Vietnam\",\"shelf_life\":\"12 tháng\"}"
  printf '"Skus":{"Sku":[{"SellerSku":"%s","quantity":"25","price":"%s",' "$1" "$2"
  printf '"package_weight":"0.25","package_length":"10","package_width":"10","package_height":"10"}]}}}}'
}

# ------------------------------------------------------------ the checks --
png 400 400 a >"$tmp/a.png"
png 300 400 b >"$tmp/small.png"
status=$(upload "$tmp/a.png")
check "image/upload takes a multipart image signed over the system parameters" \
  sh -c '[ "$1" = 200 ] && grep -q "\"code\":\"0\"" "$2" &&
         grep -q "\"url\":\"https://vn-live.slatic.net/p/[0-9a-f]\{32\}.png\"" "$2" &&
         grep -q "\"hash_code\":\"[0-9a-f]\{32\}\"" "$2"' _ "$status" "$tmp/body"
IMG=$(sed -n 's/.*"url":"\([^"]*\)".*/\1/p' "$tmp/body")
upload "$tmp/small.png" >/dev/null
check "an image under 330 px is refused (300)" has '"code":"300"'
lz POST /image/upload "-Fother=@$tmp/a.png;type=image/png" >/dev/null
check "an upload without the image field is refused (302)" has '"code":"302"'
ctl GET "/_sim/lazada/uploads?seller_id=$SELLER" >/dev/null
check "/_sim/lazada/uploads counts the upload with its bytes and sha256" \
  sh -c 'grep -q "\"shop\":\"VN1234567\"" "$1" && grep -q "\"bytes\":" "$1" &&
         grep -q "\"sha256\":\"[0-9a-f]\{64\}\"" "$1" &&
         [ $(grep -o "\"hash_code\"" "$1" | wc -l) = 1 ]' _ "$tmp/body"

lz GET /category/attributes/get "primary_category_id=10001" "language_code=en_US" >/dev/null
check "category/attributes/get: food's attributes, Country of Origin mandatory with options" \
  sh -c 'grep -q "\"name\":\"country_of_origin\",\"input_type\":\"singleSelect\"" "$1" &&
         grep -q "\"en_name\":\"Vietnam\"" "$1" && grep -q "\"label\":\"Shelf Life\"" "$1" &&
         grep -q "\"name\":\"storage_condition\"" "$1"' _ "$tmp/body"
lz GET /category/attributes/get "primary_category_id=10000" >/dev/null
check "the parent category has no attribute set (E057)" has '"code":"57"'
lz GET /category/brands/query "startRow=0" "pageSize=20" >/dev/null
check "category/brands/query lists No Brand and the brands" \
  sh -c 'grep -q "\"name\":\"No Brand\"" "$1" && grep -q "\"brand_id\":\"30768\"" "$1" &&
         grep -q "\"name\":\"Trung Nguyên\"" "$1"' _ "$tmp/body"

lz POST /product/create "payload=$(create_payload X-1 1000 10001 '' https://example.com/a.jpg)" >/dev/null
check "an image ocopsim did not upload is refused (4138)" has '"code":"4138"'
lz POST /product/create "payload=$(create_payload X-1 1000 10000)" >/dev/null
check "a category that is not a leaf is refused (4134)" has '"code":"4134"'
lz POST /product/create "payload=$(create_payload X-1 1000 10001 '"brand_id":"30768","country_of_origin":"Vietnam"')" >/dev/null
check "a missing mandatory attribute is refused (4110)" \
  sh -c 'grep -q "\"code\":\"4110\"" "$1" && grep -q "shelf_life" "$1"' _ "$tmp/body"
lz POST /product/create "payload=$(create_payload X-1 1000 10001 '"brand_id":"30768","country_of_origin":"Laos","shelf_life":"1"')" >/dev/null
check "a value outside the options is refused (4115)" has '"code":"4115"'
lz POST /product/create "payload=$(create_payload X-1 1000 10001 '"brand_id":"30768","country_of_origin":"Vietnam","shelf_life":"1","material":"gốm"')" >/dev/null
check "an attribute the category lacks is refused (4140)" has '"code":"4140"'
lz POST /product/create "payload=$(create_payload X-1 1000 10003 '"brand_id":"30768","country_of_origin":"Vietnam","ingredients":"sâm"')" >/dev/null
check "No Brand in health is refused (4156)" has '"code":"4156"'
lz POST /product/create "payload=$(create_payload X-1 1000 10001 '"brand_id":"999","country_of_origin":"Vietnam","shelf_life":"1"')" >/dev/null
check "a brand not in the list is refused (4142)" has '"code":"4142"'
status=$(lz POST /product/create "payload=$(create_payload OCOP-LZ-001 150000)")
check "signed product/create succeeds with item_id 4000000001" \
  sh -c '[ "$1" = 200 ] && grep -q "\"code\":\"0\"" "$2" &&
         grep -q "\"item_id\":4000000001" "$2" &&
         grep -q "\"seller_sku\":\"OCOP-LZ-001\"" "$2"' _ "$status" "$tmp/body"
ITEM=4000000001
SKU1=6000000001

ctl GET "/_sim/lazada/items?seller_id=$SELLER" >/dev/null
check "the item shows in /_sim/lazada/items with its id as a string" \
  sh -c 'grep -q "\"item_id\":\"4000000001\"" "$1" && grep -q "\"sku\":\"OCOP-LZ-001\"" "$1" &&
         grep -q "\"name\":\"Trà Shan Tuyết Hà Giang\"" "$1" && grep -q "\"description\":\"OCOP 4 sao\"" "$1"' _ "$tmp/body"
check "it keeps price, stock and status" \
  sh -c 'grep -q "\"price\":150000," "$1" && grep -q "\"stock\":25," "$1" &&
         grep -q "\"status\":\"active\"" "$1"' _ "$tmp/body"
check "it shows its image, brand and attributes" \
  sh -c 'grep -q "\"images\":\[\"$2\"\]" "$1" && grep -q "\"brand\":\"No Brand\"" "$1" &&
         grep -q "\"brand_id\":30768" "$1" && grep -q "\"country_of_origin\":\"Vietnam\"" "$1" &&
         grep -q "\"shelf_life\":\"12 tháng\"" "$1"' _ "$tmp/body" "$IMG"

lz POST /product/create "payload=$(create_payload OCOP-LZ-001 150000)" >/dev/null
check "a second product with the same SellerSku is refused (4105)" has '"code":"4105"'

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
check "UpdateProduct without SkuId is refused (E001)" has '"code":"1"'
lz POST /product/update \
  "payload={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM\",\"Skus\":{\"Sku\":[{\"SkuId\":\"$SKU1\",\"SellerSku\":\"OCOP-LZ-001\",\"Status\":\"active\"}]}}}}" >/dev/null
lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "product/update with Status active relists it" has '"status":"active"'

lz POST /product/update \
  "payload={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM\",\"Attributes\":{\"name\":\"Trà mới\",\"description\":\"mô tả\",\"country_of_origin\":\"Japan\"},\"Skus\":{\"Sku\":[{\"SkuId\":\"$SKU1\",\"SellerSku\":\"OCOP-LZ-001\"}]}}}}" >/dev/null
ctl GET "/_sim/lazada/items?seller_id=$SELLER" >/dev/null
check "product/update changes name, description and an attribute" \
  sh -c 'grep -q "\"name\":\"Trà mới\"" "$1" && grep -q "\"description\":\"mô tả\"" "$1" &&
         grep -q "\"country_of_origin\":\"Japan\"" "$1"' _ "$tmp/body"

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

# ------------------------------------------------------------ variants --
# sku SELLERSKU PRICE QTY [OPTION]: one new Skus.Sku entry.
sku() {
  printf '{"SellerSku":"%s",' "$1"
  if [ -n "${4:-}" ]; then printf '"saleProp":{"Quy cách":"%s"},' "$4"; fi
  printf '"quantity":"%s","price":"%s","package_weight":"0.25","package_length":"10",' "$3" "$2"
  printf '"package_width":"10","package_height":"10"}'
}
# variation OPTION...: a custom sale property "Quy cách" with these options.
variation() {
  v_o=
  for v_a in "$@"; do v_o="$v_o${v_o:+,}\"$v_a\""; done
  printf '"variation":{"variation1":{"name":"Quy cách","hasImage":false,"customize":true,"options":{"option":[%s]}}},' "$v_o"
}
# product VARIATION_JSON SKU_JSON...: a create payload.
product() {
  p_v=$1
  shift
  p_s=
  for p_a in "$@"; do p_s="$p_s${p_s:+,}$p_a"; done
  printf '{"Request":{"Product":{"PrimaryCategory":"10001","Images":{"Image":["%s"]},%s' "$IMG" "$p_v"
  printf '"Attributes":{"name":"Miến dong","description":"OCOP 3 sao","brand_id":"30768","country_of_origin":"Vietnam","shelf_life":"6 tháng"},"Skus":{"Sku":[%s]}}}}' "$p_s"
}

lz POST /product/create "payload=$(product '' "$(sku MD-200 30000 5)" "$(sku MD-500 65000 5)")" >/dev/null
check "two SKUs without a sale property are refused" has '"code":"SKU_VARIATION_NAME_MISSING"'
lz POST /product/create "payload=$(product "$(variation '200 g')" '{"SellerSku":"MD-200","saleProp":{"Quy cách":"200 g"},"quantity":"5","price":"30000","package_weight":"0.2","package_length":"10","package_width":"10"}')" >/dev/null
check "a SKU without package_height is refused" \
  sh -c 'grep -q "\"code\":\"InvalidParameter\"" "$1" && grep -q "package_height is required" "$1"' _ "$tmp/body"
lz POST /product/create "payload=$(product "$(variation '200 g')" '{"SellerSku":"MD-200","saleProp":{"Quy cách":"200 g"},"quantity":"5","package_weight":"0.2","package_length":"10","package_width":"10","package_height":"10"}')" >/dev/null
check "a SKU without price is refused" has 'price is required for each SKU'
lz POST /product/create "payload={\"Request\":{\"Product\":{\"PrimaryCategory\":\"1\",\"Attributes\":{\"name\":\"x\"},\"Skus\":{\"Sku\":$(sku MD-200 30000 5)}}}}" >/dev/null
check "Skus.Sku that is not an array is refused" has 'Skus.Sku must be an array'
lz POST /product/create "payload=$(product "$(variation '200 g' '500 g')" "$(sku MD-200 30000 5 '200 g')" "$(sku MD-500 65000 5 '1 kg')")" >/dev/null
check "an option the variation does not declare is refused" has '"code":"SKU_VARIATION_OPTION_NOT_EXIST"'
lz POST /product/create "payload=$(product "$(variation '200 g' '500 g')" "$(sku MD-200 30000 5 '200 g')" "$(sku MD-500 65000 5 '200 g')")" >/dev/null
check "two SKUs with one option are refused" has '"code":"SALE_PROPS_DUPLICATE"'
lz POST /product/create "payload=$(product '"variation":{"variation1":{"name":"Quy cách đóng gói sp","hasImage":false,"customize":true,"options":{"option":["a","b"]}}},' "$(sku MD-200 30000 5 a)" "$(sku MD-500 65000 5 b)")" >/dev/null
check "a sale property name of 20 characters is refused" has '"code":"VARIATION_NAME_LENGTH_LIMIT"'
lz POST /product/create "payload=$(product "$(variation '200 g' '500 g')" "$(sku MD-200 30000 5 '200 g')" "$(sku OCOP-LZ-001 65000 5 '500 g')")" >/dev/null
check "a SellerSku already in the seller's catalogue is refused" has 'OCOP-LZ-001 already exists'

lz POST /product/create "payload=$(product "$(variation '200 g' '500 g')" "$(sku MD-200 30000 5 '200 g')" "$(sku MD-500 65000 6 '500 g')")" >/dev/null
ITEM2=$(sed -n 's/.*"item_id":\([0-9]*\).*/\1/p' "$tmp/body")
SKU200=$(sed -n 's/.*"seller_sku":"MD-200","sku_id":\([0-9]*\).*/\1/p' "$tmp/body")
SKU500=$(sed -n 's/.*"seller_sku":"MD-500","sku_id":\([0-9]*\).*/\1/p' "$tmp/body")
check "a product with two SKUs and a sale property: item_id and each SkuId" \
  sh -c 'grep -q "\"code\":\"0\"" "$1" && [ -n "$2" ] && [ -n "$3" ] && [ "$3" != "$4" ]' \
  _ "$tmp/body" "$ITEM2" "$SKU200" "$SKU500"
ctl GET "/_sim/lazada/items?seller_id=$SELLER" >/dev/null
check "the control API lists the item's variants with ids as strings" \
  has "\"variants\":\[{\"sku\":\"MD-200\",\"id\":\"$SKU200\",\"label\":\"200 g\",\"price\":30000,\"stock\":5,\"status\":\"active\"},{\"sku\":\"MD-500\",\"id\":\"$SKU500\",\"label\":\"500 g\",\"price\":65000,\"stock\":6,"

lz POST /product/update "payload={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM2\",\"Attributes\":\"\",$(variation '200 g' '500 g' '1 kg')\"Skus\":{\"Sku\":[$(sku MD-1K 120000 2 '1 kg')]}}}}" >/dev/null
check "a new SKU without AssociatedSku is refused" has '"code":"E0401"'
lz POST /product/update "payload={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM2\",\"AssociatedSku\":\"MD-200\",\"Attributes\":\"\",$(variation '200 g' '500 g' '1 kg')\"Skus\":{\"Sku\":[{\"SkuId\":\"$SKU200\",\"saleProp\":{\"Quy cách\":\"200 g\"}},$(sku MD-1K 120000 2 '1 kg')]}}}}" >/dev/null
SKU1K=$(sed -n 's/.*"seller_sku":"MD-1K","sku_id":\([0-9]*\).*/\1/p' "$tmp/body")
lz GET /product/item/get "item_id=$ITEM2" >/dev/null
check "UpdateProduct with AssociatedSku adds a SKU with its option" \
  sh -c '[ -n "$2" ] && grep -q "\"SellerSku\":\"MD-1K\"" "$1" &&
         grep -q "\"options\":\[\"200 g\",\"500 g\",\"1 kg\"\]" "$1" &&
         grep -q "\"saleProp\":{\"Quy cách\":\"1 kg\"}" "$1"' _ "$tmp/body" "$SKU1K"
lz POST /product/update "payload={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM2\",\"Skus\":{\"Sku\":[{\"SkuId\":\"99\",\"price\":\"1\"}]}}}}" >/dev/null
check "an unknown SkuId is refused" has '"code":"E0401"'

lz POST /product/price_quantity/update \
  "payload={\"Request\":{\"Product\":{\"Skus\":{\"Sku\":[{\"ItemId\":\"$ITEM2\",\"SkuId\":\"$SKU200\",\"SellerSku\":\"MD-200\",\"Quantity\":\"11\"},{\"ItemId\":\"$ITEM2\",\"SellerSku\":\"MD-500\",\"Quantity\":\"12\"},{\"ItemId\":\"$ITEM2\",\"SkuId\":\"$SKU1K\",\"SellerSku\":\"MD-1K\",\"Quantity\":\"13\"}]}}}}" >/dev/null
ctl GET "/_sim/lazada/items?seller_id=$SELLER" >/dev/null
check "one price_quantity call sets the stock of three SKUs" \
  sh -c 'grep -q "\"sku\":\"MD-200\",\"id\":\"[0-9]*\",\"label\":\"200 g\",\"price\":30000,\"stock\":11" "$1" &&
         grep -q "\"sku\":\"MD-500\",\"id\":\"[0-9]*\",\"label\":\"500 g\",\"price\":65000,\"stock\":12" "$1" &&
         grep -q "\"sku\":\"MD-1K\",\"id\":\"[0-9]*\",\"label\":\"1 kg\",\"price\":120000,\"stock\":13" "$1"' _ "$tmp/body"

ctl POST /_sim/lazada/orders "{\"shop\":\"$SELLER\",\"orders\":[{\"id\":777000111,\"status\":\"pending\",
  \"lines\":[{\"sku\":\"MD-500\",\"qty\":2,\"price\":65000}]}]}" >/dev/null
lz GET /orders/items/get "order_ids=[777000111]" >/dev/null
cp "$tmp/body" "$tmp/vorder"
ctl GET "/_sim/lazada/items?seller_id=$SELLER" >/dev/null
check "an order of one variant: its SellerSku and SkuId per unit, that stock alone moves" \
  sh -c '[ "$(grep -o "\"sku\":\"MD-500\"" "$1" | wc -l)" = 2 ] &&
         grep -q "\"sku_id\":\"$3\"" "$1" && grep -q "\"variation\":\"Quy cách:500 g\"" "$1" &&
         grep -q "\"sku\":\"MD-500\",\"id\":\"[0-9]*\",\"label\":\"500 g\",\"price\":65000,\"stock\":10" "$2" &&
         grep -q "\"sku\":\"MD-200\",\"id\":\"[0-9]*\",\"label\":\"200 g\",\"price\":30000,\"stock\":11" "$2"' \
  _ "$tmp/vorder" "$tmp/body" "$SKU500"

lz POST /product/sku/remove "payload={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM2\",\"Skus\":{\"Sku\":[{\"SkuId\":\"$SKU1K\"},{\"SellerSku\":\"MD-500\"}]}}}}" >/dev/null
a=$(grep -c '"code":"0"' "$tmp/body")
lz GET /product/item/get "item_id=$ITEM2" >/dev/null
check "RemoveSku takes SKUs off by SkuId and by SellerSku" \
  sh -c '[ "$2" = 1 ] && grep -q "\"SellerSku\":\"MD-200\"" "$1" && ! grep -q "MD-500\|MD-1K" "$1"' \
  _ "$tmp/body" "$a"
lz POST /product/sku/remove "payload={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM2\",\"Skus\":{\"Sku\":[{\"SellerSku\":\"MD-500\"}]}}}}" >/dev/null
check "removing a SKU the item lacks is refused" has '"code":"SELLER_SKU_NOT_FOUND"'
lz POST /product/sku/remove "payload={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM2\",\"Skus\":{\"Sku\":[{\"SkuId\":\"$SKU200\"}]}}}}" >/dev/null
check "removing the last SKU is refused" has '"code":"CAN_NOT_REMOVE_ALL_SKU"'

SKU1=$(lz GET /product/item/get "item_id=$ITEM" >/dev/null; sed -n 's/.*"SkuId":\([0-9]*\).*/\1/p' "$tmp/body")
lz POST /product/update "payload={\"Request\":{\"Product\":{\"ItemId\":\"$ITEM\",\"AssociatedSku\":\"OCOP-LZ-001\",\"Attributes\":\"\",$(variation 'Gói 100 g' 'Gói 250 g')\"Skus\":{\"Sku\":[{\"SkuId\":\"$SKU1\",\"saleProp\":{\"Quy cách\":\"Gói 100 g\"}},$(sku OCOP-LZ-001-250 300000 4 'Gói 250 g')]}}}}" >/dev/null
lz GET /product/item/get "item_id=$ITEM" >/dev/null
check "an item without variation gains one: its SKU gets an option, a second SKU joins" \
  sh -c 'grep -q "\"name\":\"Quy cách\"" "$1" && grep -q "\"saleProp\":{\"Quy cách\":\"Gói 100 g\"}" "$1" &&
         grep -q "\"SellerSku\":\"OCOP-LZ-001-250\"" "$1"' _ "$tmp/body"

ctl POST /_sim/lazada/item "{\"seller_id\":\"$SELLER\",\"name\":\"Chè\",\"variants\":[{\"sku\":\"CHE-1\",\"label\":\"100 g\",\"price\":50000,\"stock\":3},{\"sku\":\"CHE-2\",\"label\":\"200 g\",\"price\":90000,\"stock\":4}]}" >/dev/null
ctl GET "/_sim/lazada/items?seller_id=$SELLER" >/dev/null
check "control item seeds a product with variants" \
  sh -c 'grep -q "\"sku\":\"CHE-1\",\"id\":\"[0-9]*\",\"label\":\"100 g\",\"price\":50000,\"stock\":3" "$1" &&
         grep -q "\"sku\":\"CHE-2\",\"id\":\"[0-9]*\",\"label\":\"200 g\",\"price\":90000,\"stock\":4" "$1"' _ "$tmp/body"

sim_stop
