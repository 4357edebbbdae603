#!/bin/sh
# sim_selftest.sh — TAP checks of ocopsim from the outside, with curl and
# openssl only: signing, token checks, the product calls the daemon makes,
# the control API and fault injection. Builds nothing: the binary comes from
# $OCOPSIM (default $top_builddir/tests/sim/ocopsim).

PLAN=72
SIM_TAG=test
. "$(dirname "$0")/sim_selftest_lib.sh"

# --------------------------------------------------------------- start --
PARTNER=1001
KEY=test_partner_key_1001
SHOP=2001
TOKEN=tok-2001-a
REFRESH=ref-2001-a
cat >"$tmp/seed.json" <<EOF
{"shopee": {"partners": [{"partner_id": $PARTNER, "partner_key": "$KEY"},
                         {"partner_id": 1002, "partner_key": "other"}],
            "shops": [{"shop_id": $SHOP, "partner_id": $PARTNER,
                       "access_token": "$TOKEN", "refresh_token": "$REFRESH",
                       "access_expires_in": 14400},
                      {"shop_id": 2002, "partner_id": 1002,
                       "access_token": "tok-2002", "refresh_token": "ref-2002"}]}}
EOF

sim_start "starts on an ephemeral port and prints it"

# ------------------------------------------------------------- helpers --
sign() { hmac "$1" "$2"; }

# call METHOD PATH [BODY] [EXTRA_QUERY]: a signed shop call. Environment
# overrides: TS (timestamp), SIGN, TOK (access token). Leaves the body in
# $tmp/body, headers in $tmp/hdr, and prints the HTTP status.
call() {
  c_ts=${TS:-$(date +%s)}
  c_tok=${TOK:-$TOKEN}
  c_sign=${SIGN:-$(sign "$PARTNER$2$c_ts$c_tok$SHOP" "$KEY")}
  c_url="$BASE$2?partner_id=$PARTNER&timestamp=$c_ts&access_token=$c_tok&shop_id=$SHOP&sign=$c_sign$4"
  if [ "$1" = POST ]; then
    curl -s -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' \
      -H 'Content-Type: application/json' --data-binary "$3" "$c_url"
  else
    curl -s -o "$tmp/body" -D "$tmp/hdr" -w '%{http_code}' "$c_url"
  fi
}

# pub PATH BODY: a signed public (partner-level) call.
pub() {
  p_ts=$(date +%s)
  p_sign=$(sign "$PARTNER$1$p_ts" "$KEY")
  curl -s -o "$tmp/body" -w '%{http_code}' -H 'Content-Type: application/json' \
    --data-binary "$2" "$BASE$1?partner_id=$PARTNER&timestamp=$p_ts&sign=$p_sign"
}


# upload FILE TYPE: media_space/upload_image, signed like a public call,
# the file in the multipart field "image".
upload() {
  u_ts=$(date +%s)
  u_sign=${SIGN:-$(sign "$PARTNER/api/v2/media_space/upload_image$u_ts" "$KEY")}
  curl -s -o "$tmp/body" -w '%{http_code}' -F "image=@$1;type=$2" \
    "$BASE/api/v2/media_space/upload_image?partner_id=$PARTNER&timestamp=$u_ts&sign=$u_sign"
}

# A food item: an uploaded image, the mandatory attributes of 100644
# (Country of Origin = Vietnam, Shelf Life as free text).
ATTRS='"attribute_list":[{"attribute_id":100010,"attribute_value_list":[{"value_id":6001}]},{"attribute_id":100020,"attribute_value_list":[{"value_id":0,"original_value_name":"12 tháng"}]}]'
item_json() {
  printf '{"item_name":"Trà Shan Tuyết Hà Giang","description":"OCOP 4 sao",'
  printf '"original_price":%s,"weight":0.25,"category_id":100644,' "$2"
  printf '"image":{"image_id_list":["%s"]},%s,' "$IMG" "$ATTRS"
  printf '"logistic_info":[{"logistic_id":50021,"enabled":true}],'
  printf '"seller_stock":[{"stock":25}],"item_sku":"%s"}' "$1"
}

# ------------------------------------------------------------ the checks --
check "healthz answers ok" \
  sh -c '[ "$(curl -s "$1/_sim/healthz")" = "{\"ok\":true}" ]' _ "$BASE"

# ---- images, categories, attributes, brands --
printf '\211PNG\r\n\032\n\000\000\000\rIHDRsimulated' >"$tmp/a.png"
printf 'GIF89a....' >"$tmp/a.gif"
status=$(upload "$tmp/a.png" image/png)
IMG=$(sed -n 's/.*"image_info":{"image_id":"\([^"]*\)".*/\1/p' "$tmp/body")
check "upload_image (public signature, field image) returns an image id and URL" \
  sh -c '[ "$1" = 200 ] && [ -n "$2" ] && grep -q "\"image_url\":\"https://cf.shopee.vn/file/$2\"" "$3"' \
  _ "$status" "$IMG" "$tmp/body"
SUM=$(openssl dgst -sha256 "$tmp/a.png" | sed 's/^.*= *//')
BYTES=$(wc -c <"$tmp/a.png" | tr -d ' ')
ctl GET /_sim/shopee/uploads >/dev/null
check "/_sim/shopee/uploads lists it with partner, bytes and sha256" \
  has "\"partner_id\":$PARTNER,\"id\":\"$IMG\",\"url\":\"https://cf.shopee.vn/file/$IMG\",\"bytes\":$BYTES,\"sha256\":\"$SUM\""
SIGN=$(sign "$PARTNER/api/v2/media_space/upload_image$(date +%s)$TOKEN$SHOP" "$KEY") \
  upload "$tmp/a.png" image/png >/dev/null
check "upload_image signed as a shop call is refused (error_sign)" has '"error":"error_sign"'
upload "$tmp/a.gif" image/gif >/dev/null
check "a GIF is refused (error_invalid_image)" has '"error":"error_invalid_image"'

call GET /api/v2/product/get_attribute_tree "" "&category_id_list=100644&language=en" >/dev/null
check "get_attribute_tree: Country of Origin is mandatory, Vietnam is 6001" \
  has '"attribute_id":100010,"mandatory":true,"name":"Country of Origin","attribute_value_list":\[{"value_id":6001,"name":"Vietnam"}'
call GET /api/v2/product/get_attribute_tree "" "&category_id_list=100629" >/dev/null
check "get_attribute_tree: the parent category has no attribute tree" \
  has '"list":\[{"attribute_tree":\[\],"category_id":100629'
call GET /api/v2/product/get_brand_list "" "&offset=0&page_size=100&category_id=100646&status=1" >/dev/null
check "get_brand_list: health requires a brand; NoBrand is brand 0" \
  sh -c 'grep -q "\"is_mandatory\":true" "$1" && grep -q "\"brand_id\":0,\"original_brand_name\":\"NoBrand\"" "$1" &&
         grep -q "\"original_brand_name\":\"Chu Đậu\"" "$1"' _ "$tmp/body"

call POST /api/v2/product/add_item "$(item_json OCOP-IMG 1000 | sed "s/\"$IMG\"/\"not-uploaded\"/")" >/dev/null
check "add_item refuses an image id upload_image never returned" has '"error":"error_invalid_image"'
call POST /api/v2/product/add_item "$(ATTRS='"attribute_list":[{"attribute_id":100010,"attribute_value_list":[{"value_id":6001}]}]' item_json OCOP-ATTR 1000)" >/dev/null
check "add_item refuses a missing mandatory attribute (Shelf Life)" \
  sh -c 'grep -q "\"error\":\"error_invalid_attribute\"" "$1" && grep -q "Shelf Life" "$1"' _ "$tmp/body"
call POST /api/v2/product/add_item "$(ATTRS='"attribute_list":[{"attribute_id":100010,"attribute_value_list":[{"value_id":6101}]},{"attribute_id":100020,"attribute_value_list":[{"value_id":0,"original_value_name":"x"}]}]' item_json OCOP-VAL 1000)" >/dev/null
check "add_item refuses a value id of another attribute" has '"error":"error_invalid_attribute"'
call POST /api/v2/product/add_item "$(item_json OCOP-CAT 1000 | sed 's/"category_id":100644/"category_id":100629/')" >/dev/null
check "add_item refuses a category that is not a leaf" has '"error":"error_invalid_category"'
call POST /api/v2/product/add_item "$(ATTRS='"attribute_list":[{"attribute_id":100010,"attribute_value_list":[{"value_id":6001}]},{"attribute_id":100030,"attribute_value_list":[{"value_id":0,"original_value_name":"Sâm"}]}],"brand":{"brand_id":0,"original_brand_name":"NoBrand"}' item_json OCOP-BR 1000 | sed 's/"category_id":100644/"category_id":100646/')" >/dev/null
check "health refuses NoBrand: Brand information required" \
  sh -c 'grep -q "\"error\":\"error_invalid_brand\"" "$1" && grep -q "Brand information required" "$1"' _ "$tmp/body"
call POST /api/v2/product/add_item "$(ATTRS="$ATTRS"',"dimension":{"package_length":10,"package_width":5}' item_json OCOP-DIM 1000)" >/dev/null
check "dimension with two sizes is refused" has '"error":"error_param"'

status=$(call POST /api/v2/product/add_item "$(item_json OCOP-HG-001 150000)")
check "signed add_item succeeds" \
  sh -c '[ "$1" = 200 ] && grep -q "\"error\":\"\"" "$2" &&
         grep -q "\"item_id\":800000001" "$2"' _ "$status" "$tmp/body"
ITEM=800000001

ctl GET "/_sim/shopee/items?shop_id=$SHOP" >/dev/null
check "the item shows in /_sim/shopee/items" \
  has '"item_sku":"OCOP-HG-001"'
check "it keeps price, stock and status" \
  sh -c 'grep -q "\"original_price\":150000," "$1" && grep -q "\"stock\":25," "$1" &&
         grep -q "\"item_status\":\"NORMAL\"" "$1"' _ "$tmp/body"
check "the item view shows its image ids and attributes" \
  sh -c 'grep -q "\"image\":{\"image_id_list\":\[\"$2\"\]}" "$1" &&
         grep -q "\"attribute_id\":100010,\"attribute_value_list\":\[{\"value_id\":6001}\]" "$1"' _ "$tmp/body" "$IMG"
call POST /api/v2/product/update_item "{\"item_id\":800000001,\"image\":{\"image_id_list\":[\"gone\"]}}" >/dev/null
check "update_item checks the images too" has '"error":"error_invalid_image"'

status=$(SIGN=0000000000000000000000000000000000000000000000000000000000000000 \
  call POST /api/v2/product/add_item "$(item_json OCOP-BAD 1000)")
check "a wrong sign gets error_sign (HTTP 403)" \
  sh -c '[ "$1" = 403 ] && grep -q "\"error\":\"error_sign\"" "$2"' _ "$status" "$tmp/body"

now=$(date +%s)
good=$(sign "$PARTNER/api/v2/product/add_item$now$TOKEN$SHOP" "$KEY")
upper=$(printf '%s' "$good" | tr 'a-f' 'A-F')
TS=$now SIGN=$upper call POST /api/v2/product/add_item "$(item_json OCOP-BAD 1000)" >/dev/null
check "an uppercase hex sign is refused" has '"error":"error_sign"'

old=$(( $(date +%s) - 400 ))
TS=$old call POST /api/v2/product/add_item "$(item_json OCOP-BAD 1000)" >/dev/null
check "a timestamp 400 s old gets error_param 'Timestamp is expired'" \
  sh -c 'grep -q "\"error\":\"error_param\"" "$1" &&
         grep -q "Timestamp is expired" "$1"' _ "$tmp/body"

status=$(TOK=not-a-token call POST /api/v2/product/add_item "$(item_json OCOP-BAD 1000)")
check "a wrong access token gets invalid_acceess_token" \
  sh -c '[ "$1" = 403 ] && grep -q "\"error\":\"invalid_acceess_token\"" "$2"' \
  _ "$status" "$tmp/body"

TOK=tok-2002 call POST /api/v2/product/add_item "$(item_json OCOP-BAD 1000)" >/dev/null
check "another shop's token gets invalid_acceess_token" \
  has '"error":"invalid_acceess_token"'

call POST /api/v2/product/add_item "$(item_json OCOP-BAD 150000.5)" >/dev/null
check "a float price is refused with error_param naming the field" \
  sh -c 'grep -q "\"error\":\"error_param\"" "$1" &&
         grep -q "original_price" "$1"' _ "$tmp/body"

call POST /api/v2/product/add_item \
  '{"item_name":"x","original_price":1000,"weight":1,"category_id":1}' >/dev/null
check "a missing description is refused" \
  sh -c 'grep -q "error_param" "$1" && grep -q "description" "$1"' _ "$tmp/body"

ctl GET "/_sim/shopee/items" >/dev/null
check "no refused call created an item" lacks 'OCOP-BAD'

call GET /api/v2/product/search_item "" "&item_sku=OCOP-HG-001&offset=0&page_size=10" >/dev/null
check "search_item by SKU finds the item" \
  sh -c 'grep -q "\"item_id_list\":\[$2\]" "$1" &&
         grep -q "\"total_count\":1" "$1"' _ "$tmp/body" "$ITEM"

call GET /api/v2/product/search_item "" "&item_sku=OCOP-NONE&page_size=10" >/dev/null
check "search_item for an unknown SKU finds nothing" \
  has '"item_id_list":\[\],"total_count":0'

call POST /api/v2/product/unlist_item "{\"item_list\":[{\"item_id\":$ITEM,\"unlist\":true}]}" >/dev/null
check "unlist_item answers with the item in success_list" \
  has "\"success_list\":\[{\"item_id\":$ITEM,\"unlist\":true}\]"
ctl GET "/_sim/shopee/items?shop_id=$SHOP" >/dev/null
check "unlist sets item_status UNLIST" has '"item_status":"UNLIST"'

call POST /api/v2/product/unlist_item "{\"item_list\":[{\"item_id\":$ITEM,\"unlist\":false}]}" >/dev/null
ctl GET "/_sim/shopee/items?shop_id=$SHOP" >/dev/null
check "relist sets item_status NORMAL again" has '"item_status":"NORMAL"'

call POST /api/v2/product/update_stock \
  "{\"item_id\":$ITEM,\"stock_list\":[{\"model_id\":0,\"seller_stock\":[{\"stock\":7}]},{\"model_id\":0,\"seller_stock\":[{\"stock\":-1}]}]}" >/dev/null
check "update_stock applies good entries and lists bad ones in failure_list" \
  sh -c 'grep -q "\"error\":\"\"" "$1" && grep -q "\"stock\":7" "$1" &&
         grep -q "\"failure_list\":\[{\"model_id\":0,\"failed_reason\"" "$1"' _ "$tmp/body"

call POST /api/v2/product/update_price \
  "{\"item_id\":$ITEM,\"price_list\":[{\"model_id\":0,\"original_price\":99000}]}" >/dev/null
call GET /api/v2/product/get_item_base_info "" "&item_id_list=$ITEM" >/dev/null
check "get_item_base_info shows the new price and stock" \
  sh -c 'grep -q "\"original_price\":99000" "$1" &&
         grep -q "\"total_available_stock\":7" "$1"' _ "$tmp/body"

call POST /api/v2/product/update_item '{"item_id":999,"item_name":"x"}' >/dev/null
check "update_item on an unknown item gets error_item_not_found" \
  has '"error":"error_item_not_found"'

ctl POST /_sim/fault '{"marketplace":"shopee","path":"/api/v2/product/add_item","kind":"status","status":429,"retry_after":7,"error":"error_rate_limit","count":1}' >/dev/null
status=$(call POST /api/v2/product/add_item "$(item_json OCOP-HG-002 1000)")
check "a 429 fault answers 429 with Retry-After" \
  sh -c '[ "$1" = 429 ] && grep -qi "^Retry-After: 7" "$2"' _ "$status" "$tmp/hdr"
status=$(call POST /api/v2/product/add_item "$(item_json OCOP-HG-002 1000)")
check "a count-1 fault fires once" [ "$status" = 200 ]

ctl POST /_sim/fault '{"marketplace":"shopee","kind":"malformed","count":1}' >/dev/null
call GET /api/v2/product/get_item_base_info "" "&item_id_list=$ITEM" >/dev/null
opens=$(tr -cd '{' <"$tmp/body" | wc -c)
closes=$(tr -cd '}' <"$tmp/body" | wc -c)
check "a malformed fault answers truncated JSON" [ "$opens" -gt "$closes" ]

ctl POST /_sim/fault '{"marketplace":"shopee","path":"/api/v2/product/unlist_item","kind":"apply_then_fail","count":1}' >/dev/null
status=$(call POST /api/v2/product/unlist_item "{\"item_list\":[{\"item_id\":$ITEM,\"unlist\":true}]}")
ctl GET "/_sim/shopee/items?shop_id=$SHOP" >/dev/null
check "apply_then_fail answers 504 but the change is made" \
  sh -c '[ "$1" = 504 ] && grep -q "\"item_status\":\"UNLIST\"" "$2"' _ "$status" "$tmp/body"

ctl GET "/_sim/calls?since=0" >/dev/null
check "the call log has rejected calls too" has '"error":"error_sign"'
check "the call log names the SKU of a refused call" has '"item_sku":"OCOP-BAD"'
unlists=$(tr '{' '\n' <"$tmp/body" | grep -c "unlist_item.*\"item_id\":$ITEM")
check "the call log counts unlist calls per item ($unlists)" [ "$unlists" = 3 ]

status=$(pub /api/v2/auth/access_token/get \
  "{\"refresh_token\":\"$REFRESH\",\"shop_id\":$SHOP,\"partner_id\":$PARTNER}")
newtok=$(sed -n 's/.*"access_token":"\([0-9a-f]*\)".*/\1/p' "$tmp/body")
check "a refresh returns new tokens" \
  sh -c '[ "$1" = 200 ] && [ -n "$2" ] && grep -q "\"expire_in\":14400" "$3"' \
  _ "$status" "$newtok" "$tmp/body"

status=$(pub /api/v2/auth/access_token/get \
  "{\"refresh_token\":\"$REFRESH\",\"shop_id\":$SHOP,\"partner_id\":$PARTNER}")
check "a refresh token is single use (error_auth)" has '"error":"error_auth"'

call GET /api/v2/product/get_item_base_info "" "&item_id_list=$ITEM" >/dev/null
a=$(grep -c '"error":""' "$tmp/body")
TOK=$newtok call GET /api/v2/product/get_item_base_info "" "&item_id_list=$ITEM" >/dev/null
b=$(grep -c '"error":""' "$tmp/body")
check "old and new access tokens both work after a refresh" \
  [ "$a$b" = 11 ]

# -------------------------------------------------------------- orders --
call POST /api/v2/product/add_item "$(item_json ORD-SKU-1 75000)" >/dev/null
order_times
ctl POST /_sim/shopee/orders "{\"shop\":$SHOP,\"orders\":[
  {\"id\":\"2611250000001AB\",\"status\":\"READY_TO_SHIP\",\"update_time\":$T1,
   \"lines\":[{\"sku\":\"ORD-SKU-1\",\"qty\":2,\"price\":75000}]},
  {\"status\":\"UNPAID\",\"update_time\":$T2,
   \"lines\":[{\"sku\":\"ORD-SKU-1\",\"qty\":1,\"price\":75000},
              {\"sku\":\"NOT-LISTED\",\"qty\":1,\"price\":5000}]},
  {\"status\":\"READY_TO_SHIP\",\"update_time\":$T3,\"malformed\":true,
   \"lines\":[{\"sku\":\"ORD-SKU-1\",\"qty\":1,\"price\":75000}]}]}" >/dev/null
order_ids
O1=2611250000001AB
ctl GET "/_sim/shopee/items?shop_id=$SHOP" >/dev/null
check "control orders: ids given or made up, stock goes down (25 -> 21)" \
  sh -c 'echo "$1" | grep -q "^[0-9]\{13\}[A-Z][A-Z]$" && [ -n "$2" ] &&
         grep -q "\"item_sku\":\"ORD-SKU-1\",\"original_price\":75000,\"stock\":21" "$3"' \
  _ "$O2" "$O3" "$tmp/body"

LIST="&time_range_field=update_time&time_from=$((NOW - 1000))&time_to=$NOW&page_size=2&response_optional_fields=order_status"
call GET /api/v2/order/get_order_list "" "$LIST" >/dev/null
cp "$tmp/body" "$tmp/page1"
call GET /api/v2/order/get_order_list "" "$LIST&cursor=$(unesc "$tmp/page1" next_cursor)" >/dev/null
check "get_order_list pages by cursor in update_time order" \
  sh -c 'grep -q "\"order_list\":\[{\"order_sn\":\"$3\",\"order_status\":\"READY_TO_SHIP\"},{\"order_sn\":\"$4\",\"order_status\":\"UNPAID\"}\],\"more\":true" "$1" &&
         grep -q "\"order_list\":\[{\"order_sn\":\"$5\",\"order_status\":\"READY_TO_SHIP\"}\],\"more\":false,\"next_cursor\":\"\"" "$2"' \
  _ "$tmp/page1" "$tmp/body" "$O1" "$O2" "$O3"

call GET /api/v2/order/get_order_list "" \
  "&time_range_field=update_time&time_from=$((NOW - 16 * 86400))&time_to=$NOW&page_size=10" >/dev/null
a=$(grep -c '"error":"order.order_list_invalid_time"' "$tmp/body")
call GET /api/v2/order/get_order_list "" \
  "&time_range_field=update_time&time_from=$T1&time_to=$NOW&page_size=101" >/dev/null
b=$(grep -c '"error":"error_param"' "$tmp/body")
check "a window over 15 days and page_size 101 are refused" [ "$a$b" = 11 ]

call GET /api/v2/order/get_order_detail "" "&order_sn_list=$O1,$O2,$O3,NOPE" >/dev/null
check "get_order_detail: items, totals, unknown ids left out, malformed lacks the quantity" \
  sh -c 'has() { grep -q -- "$1" "$2"; }
         has "\"order_sn\":\"$2\",\"order_status\":\"READY_TO_SHIP\",\"currency\":\"VND\",\"cod\":false,\"total_amount\":150000.0" "$1" &&
         has "\"item_id\":[1-9][0-9]*,\"item_sku\":\"ORD-SKU-1\",\"model_id\":0,\"model_sku\":\"\",\"model_quantity_purchased\":2,\"model_original_price\":75000.0" "$1" &&
         has "\"item_id\":0,\"item_sku\":\"NOT-LISTED\"" "$1" &&
         [ "$(grep -o "model_quantity_purchased" "$1" | wc -l)" = 3 ] &&
         [ "$(grep -o "\"order_sn\"" "$1" | wc -l)" = 3 ]' _ "$tmp/body" "$O1"

call GET /api/v2/order/get_order_detail "" "&order_sn_list=" >/dev/null
check "get_order_detail without ids is error_param" has '"error":"error_param"'

ctl POST /_sim/shopee/orders/status "{\"shop\":\"$SHOP\",\"id\":\"$O3\",\"status\":\"CANCELLED\",\"update_time\":5}" >/dev/null
check "a status change moves update_time forward" \
  has "\"update_time\":$((T3 + 1)),\"ok\":true"

push_capture shopee "\"shop\":$SHOP,\"order_id\":\"$O3\""
check "push: delivered (200), code 3 with the current status, signed over url|body" \
  push_ok "^{\"code\":3,\"shop_id\":2001,\"timestamp\":[0-9]*,\"data\":{\"ordersn\":\"$O3\",\"status\":\"CANCELLED\",\"update_time\":$((T3 + 1))}}\$" \
  "$(sign "$HOOK|$(cat "$tmp/sent")" "$KEY")"

ctl DELETE /_sim/hooks >/dev/null
ctl POST /_sim/shopee/push "{\"url\":\"$HOOK\",\"shop\":$SHOP,\"order_id\":\"$O1\",\"sign\":\"bad\"}" >/dev/null
unesc "$tmp/body" sent >"$tmp/sent"
ctl POST /_sim/shopee/push "{\"url\":\"$HOOK\",\"shop\":$SHOP,\"sign\":\"none\",\"body\":\"{\\\"x\\\":1}\"}" >/dev/null
ctl GET /_sim/hooks >/dev/null
cp "$tmp/body" "$tmp/hooks"
bad=$(sed -n 's/.*"authorization":"\([0-9a-f]*\)".*/\1/p' "$tmp/hooks")
ctl POST /_sim/shopee/push "{\"url\":\"http://127.0.0.1:1/hooks\",\"shop\":$SHOP,\"order_id\":\"$O1\"}" >/dev/null
check "push: a wrong key, no header with a verbatim body, nobody listening (0)" \
  sh -c 'grep -q "\"status\":0" "$1" && [ -n "$3" ] && [ "$3" != "$4" ] &&
         grep -q "\"authorization\":null,\"body\":\"{\\\\\"x\\\\\":1}\"" "$2"' \
  _ "$tmp/body" "$tmp/hooks" "$bad" "$(sign "$HOOK|$(cat "$tmp/sent")" "$KEY")"

# ------------------------------------------------------------ variants --
# An item for three pack sizes: created without models, then one tier.
call POST /api/v2/product/add_item "$(item_json MIEN-HN 45000 | sed 's/"stock":25/"stock":0/')" >/dev/null
VITEM=$(sed -n 's/.*"item_id":\([0-9]*\).*/\1/p' "$tmp/body")
call GET /api/v2/product/get_model_list "" "&item_id=$VITEM" >/dev/null
check "get_model_list of an item without models: no tier, no model" \
  has '"response":{"tier_variation":\[\],"model":\[\]}'

tier() { printf '"tier_variation":[{"name":"Quy cách","option_list":[%s]}]' "$1"; }
model() { printf '{"tier_index":[%s],"original_price":%s,"model_sku":"%s","seller_stock":[{"stock":%s}]}' "$@"; }
OPT2='{"option":"200 g"},{"option":"500 g"}'
call POST /api/v2/product/init_tier_variation \
  "{\"item_id\":$VITEM,$(tier "$OPT2"),\"model\":[$(model 0 45000 MIEN-200 10),$(model 2 99000 MIEN-500 4)]}" >/dev/null
check "init_tier_variation: a tier_index out of range is error_model_tier_index_bound" \
  has '"error":"error_model_tier_index_bound"'
call POST /api/v2/product/init_tier_variation \
  "{\"item_id\":$VITEM,$(tier "$OPT2"),\"model\":[$(model 0 45000 MIEN-200 10),$(model 1 99000 MIEN-200 4)]}" >/dev/null
a=$(grep -c '"error":"error_param"' "$tmp/body")
call POST /api/v2/product/init_tier_variation \
  "{\"item_id\":$VITEM,$(tier '{"option":"200 g"},{"option":"200 g"}'),\"model\":[$(model 0 45000 MIEN-200 10)]}" >/dev/null
b=$(grep -c '"error":"error_model_duplicate_name"' "$tmp/body")
check "init_tier_variation: a model_sku twice and an option twice are refused" [ "$a$b" = 11 ]

call POST /api/v2/product/init_tier_variation \
  "{\"item_id\":$VITEM,$(tier "$OPT2"),\"model\":[$(model 0 45000 MIEN-200 10),$(model 1 99000 MIEN-500 4)]}" >/dev/null
check "init_tier_variation makes one model per option, named by model_sku" \
  sh -c 'grep -q "\"model\":\[{\"model_id\":5000000001,\"tier_index\":\[0\],\"model_sku\":\"MIEN-200\"" "$1" &&
         grep -q "{\"model_id\":5000000002,\"tier_index\":\[1\],\"model_sku\":\"MIEN-500\"" "$1" &&
         grep -q "\"tier_variation\":\[{\"name\":\"Quy cách\",\"option_list\":\[{\"option\":\"200 g\"},{\"option\":\"500 g\"}\]}\]" "$1"' _ "$tmp/body"
call POST /api/v2/product/init_tier_variation \
  "{\"item_id\":$VITEM,$(tier "$OPT2"),\"model\":[$(model 0 45000 MIEN-X 1)]}" >/dev/null
check "a second init_tier_variation is refused" \
  sh -c 'grep -q "\"error\":\"error_param\"" "$1" && grep -q "tier-variation not change" "$1"' _ "$tmp/body"

call POST /api/v2/product/add_model \
  "{\"item_id\":$VITEM,\"model_list\":[$(model 2 180000 MIEN-1K 2)]}" >/dev/null
check "add_model for an option that does not exist is error_model_tier_index_bound" \
  has '"error":"error_model_tier_index_bound"'
call POST /api/v2/product/update_tier_variation \
  "{\"item_id\":$VITEM,$(tier "$OPT2,{\"option\":\"1 kg\"}")}" >/dev/null
check "update_tier_variation appends an option (no response object)" \
  sh -c 'grep -q "\"error\":\"\"" "$1" && ! grep -q "\"response\"" "$1"' _ "$tmp/body"
call POST /api/v2/product/add_model \
  "{\"item_id\":$VITEM,\"model_list\":[$(model 0 1 MIEN-Z 1)]}" >/dev/null
a=$(grep -c '"error":"error_model_duplicate_tier_variation_index"' "$tmp/body")
call POST /api/v2/product/add_model \
  "{\"item_id\":$VITEM,\"model_list\":[$(model 2 1 MIEN-500 1)]}" >/dev/null
b=$(grep -c '"error":"error_param"' "$tmp/body")
check "add_model: an option's second model and a model_sku twice are refused" [ "$a$b" = 11 ]
call POST /api/v2/product/add_model \
  "{\"item_id\":$VITEM,\"model_list\":[$(model 2 180000 MIEN-1K 2)]}" >/dev/null
check "add_model adds the third model" \
  has '"model":\[{"model_id":5000000003,"tier_index":\[2\],"model_sku":"MIEN-1K"'

call POST /api/v2/product/update_stock \
  "{\"item_id\":$VITEM,\"stock_list\":[{\"model_id\":5000000001,\"seller_stock\":[{\"stock\":12}]},{\"model_id\":0,\"seller_stock\":[{\"stock\":1}]},{\"model_id\":42,\"seller_stock\":[{\"stock\":1}]}]}" >/dev/null
check "update_stock by model id; model 0 and an unknown model fail" \
  sh -c 'grep -q "\"success_list\":\[{\"model_id\":5000000001,\"stock\":12}\]" "$1" &&
         grep -q "{\"model_id\":0,\"failed_reason\":\"model_id 0 is not a model" "$1" &&
         grep -q "{\"model_id\":42,\"failed_reason\":\"model not found\"}" "$1"' _ "$tmp/body"
call POST /api/v2/product/update_price \
  "{\"item_id\":$VITEM,\"price_list\":[{\"model_id\":5000000002,\"original_price\":98000}]}" >/dev/null
call GET /api/v2/product/get_model_list "" "&item_id=$VITEM" >/dev/null
check "get_model_list: three options, each model's price, stock and status" \
  sh -c 'grep -q "\"model_id\":5000000002,\"tier_index\":\[1\],\"model_sku\":\"MIEN-500\",\"price_info\":\[{\"currency\":\"VND\",\"original_price\":98000.0" "$1" &&
         grep -q "\"model_status\":\"MODEL_NORMAL\",\"stock_info_v2\":{\"summary_info\":{\"total_available_stock\":12," "$1" &&
         grep -q "{\"option\":\"1 kg\"}" "$1"' _ "$tmp/body"
call GET /api/v2/product/get_item_base_info "" "&item_id_list=$VITEM" >/dev/null
check "get_item_base_info: has_model, no price_info, stock summed (18)" \
  sh -c 'grep -q "\"has_model\":true" "$1" && ! grep -q "price_info" "$1" &&
         grep -q "\"total_available_stock\":18" "$1"' _ "$tmp/body"

ctl GET "/_sim/shopee/items?shop_id=$SHOP" >/dev/null
check "control items: variants with sku, id, label, price, stock" \
  has '"variants":\[{"sku":"MIEN-200","id":"5000000001","label":"200 g","price":45000,"stock":12},{"sku":"MIEN-500","id":"5000000002","label":"500 g","price":98000,"stock":4},{"sku":"MIEN-1K","id":"5000000003","label":"1 kg","price":180000,"stock":2}\]'

ctl POST /_sim/shopee/orders "{\"shop\":$SHOP,\"orders\":[{\"id\":\"2611250000009ZZ\",\"status\":\"READY_TO_SHIP\",\"update_time\":$T1,\"lines\":[{\"sku\":\"MIEN-500\",\"qty\":3,\"price\":98000}]}]}" >/dev/null
call GET /api/v2/order/get_order_detail "" "&order_sn_list=2611250000009ZZ" >/dev/null
check "an order line of a model names item_sku, model_id and model_sku" \
  has "\"item_id\":$VITEM,\"item_sku\":\"MIEN-HN\",\"model_id\":5000000002,\"model_sku\":\"MIEN-500\""
ctl GET "/_sim/shopee/items?shop_id=$SHOP" >/dev/null
check "the sale lowers that model's stock only (4 -> 1)" \
  has '"stock":12},{"sku":"MIEN-500","id":"5000000002","label":"500 g","price":98000,"stock":1},{"sku":"MIEN-1K","id":"5000000003","label":"1 kg","price":180000,"stock":2}'

call POST /api/v2/product/delete_model "{\"item_id\":$VITEM,\"model_id\":42}" >/dev/null
a=$(grep -c '"error":"error_param"' "$tmp/body")
call POST /api/v2/product/delete_model "{\"item_id\":$VITEM,\"model_id\":5000000002}" >/dev/null
b=$(grep -c '"error":""' "$tmp/body")
call POST /api/v2/product/delete_model "{\"item_id\":$VITEM,\"model_id\":5000000003}" >/dev/null
call POST /api/v2/product/delete_model "{\"item_id\":$VITEM,\"model_id\":5000000001}" >/dev/null
c=$(grep -c 'the last model stays' "$tmp/body")
check "delete_model: an unknown model is refused, the last model stays" [ "$a$b$c" = 111 ]

ctl POST /_sim/shopee/item "{\"shop_id\":$SHOP,$(item_json SEED-HN 1000 | sed 's/^{//; s/}$//'),\"variants\":[{\"sku\":\"SEED-1\",\"label\":\"100 g\",\"price\":30000,\"stock\":3},{\"sku\":\"SEED-2\",\"label\":\"250 g\",\"price\":65000,\"stock\":5}]}" >/dev/null
SITEM=$(sed -n 's/.*"item_id":\([0-9]*\).*/\1/p' "$tmp/body")
call GET /api/v2/product/get_model_list "" "&item_id=$SITEM" >/dev/null
check "a seeded item with variants has one model per variant" \
  sh -c 'grep -q "\"model_sku\":\"SEED-1\"" "$1" && grep -q "\"model_sku\":\"SEED-2\"" "$1" &&
         grep -q "{\"option\":\"250 g\"}" "$1"' _ "$tmp/body"

sim_stop
