/*
 * parse.c — Shopee answers: the envelope and its error codes (see "Envelope
 * and errors", "Rate limits"), and the listing and token results.
 */
#include "shopee.h"

#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/token.h"
#include "../common/validate.h"
#include "../common/verdict.h"

#define sp_req_str(v, shop, obj, key, what) ocu_req_str(v, shop, obj, key, what, SP_LEAD)
#define sp_req_int(v, shop, obj, key, what, round, out) \
  ocu_req_int(v, shop, obj, key, what, SP_LEAD, round, out)

static const struct sp_errdef {
  const char *code;
  oc_status status;
  long retry_after_ms;
} sp_errors[] = {
    {"error_rate_limit", OC_RETRY, SP_RATE_LIMIT_RETRY_MS},
    {"error_limit", OC_RETRY, SP_DAILY_LIMIT_RETRY_MS},
    {"error_system_busy", OC_RETRY, 0},
    {"error_inner", OC_RETRY, 0},
    {"error_server", OC_RETRY, 0},
    {"error_network", OC_RETRY, 0},
    /* The access token: the core refreshes and retries once. */
    {"invalid_acceess_token", OC_AUTH, 0}, /* Shopee's spelling ("Pitfalls") */
    {"invalid_access_token", OC_AUTH, 0},
    {"error_auth", OC_AUTH, 0},
    /* The authorisation itself: the seller must authorise again. */
    {"refresh_token_expired", OC_AUTH, 0},
    {"error_shop_refresh_token", OC_AUTH, 0},
    {"shop_access_expired", OC_AUTH, 0},
    {"shop_no_linked", OC_AUTH, 0},
    {"partner_shop_no_link", OC_AUTH, 0},
    {"invalid_code", OC_AUTH, 0},
    {"error_item_not_found", OC_NOT_FOUND, 0},
};

/*
 * The codes a create or an update is refused with for its content (see
 * "Content"): the listing is held with the message, not retried.
 * error_invalid_category and error_category_is_block are on the official
 * pages (get_brand_list, get_attribute_tree); error_invalid_brand ("Brand
 * information required") is reported by sellers; error_invalid_attribute
 * and error_invalid_image are our reading, served by the simulator.
 */
static const char *const sp_content_codes[] = {
    "error_invalid_category", "error_category_is_block", "error_invalid_brand",
    "error_invalid_attribute", "error_invalid_image",
};

/* The code without a module prefix ("product.error_param" -> "error_param"). */
static const char *sp_bare(const char *code) {
  const char *dot = strrchr(code, '.');

  return dot != NULL ? dot + 1 : code;
}

static int sp_content_code(const char *code) {
  size_t i;

  for (i = 0; i < sizeof sp_content_codes / sizeof sp_content_codes[0]; i++)
    if (strcmp(sp_bare(code), sp_content_codes[i]) == 0)
      return 1;
  return 0;
}

/* A refusal about the listing's content is flagged for the shared parse
 * (common/ops.h, OCU_CONTENT_REFUSED), which tells PUBLISH and UPDATE. */
static void sp_mark_content(int *flags, const char *code) {
  if (sp_content_code(code))
    *flags |= OCU_CONTENT_REFUSED;
}

/*
 * Looks a code up, exactly, then without a module prefix: the official
 * schemas show codes such as "product.error_param" next to "error_param".
 */
static const struct sp_errdef *sp_classify(const char *code) {
  const char *dot = strrchr(code, '.');
  size_t i;

  for (i = 0; i < sizeof sp_errors / sizeof sp_errors[0]; i++)
    if (strcmp(code, sp_errors[i].code) == 0 ||
        (dot != NULL && strcmp(dot + 1, sp_errors[i].code) == 0))
      return &sp_errors[i];
  return NULL;
}

/* Batch calls: error == "" can still carry failures (see "Envelope and
 * errors"). */
static void sp_check_failures(oc_verdict *res, const oc_shop *shop,
                              const oc_listing *l, const cJSON *resp) {
  const cJSON *fl = cJSON_GetObjectItemCaseSensitive(resp, "failure_list");
  const cJSON *e;

  if (fl == NULL || cJSON_IsNull(fl))
    return;
  if (!cJSON_IsArray(fl)) {
    SP_UNEXPECTED(res, shop, "field response.failure_list is not an array");
    return;
  }
  cJSON_ArrayForEach(e, fl) {
    const cJSON *idj = cJSON_GetObjectItemCaseSensitive(e, "item_id");
    const char *why;
    char id[OC_ID_MAX], tmp[160];

    /* Entries naming another item are not ours; an entry without an item
     * id (update_stock/update_price list models of our one item) or with
     * an unreadable one counts as ours. */
    if (idj != NULL && l != NULL && l->item_id != NULL &&
        ocu_json_id(idj, OCU_ID_NUMBER, "item_id", id, sizeof id, tmp,
                    sizeof tmp) == 0 &&
        strcmp(id, l->item_id) != 0)
      continue;
    why = ocu_json_str(e, "failed_reason");
    ocu_fail(res, shop, OC_REJECTED, 0, "failure_list: %s",
            why && why[0] ? why : "(no reason given)");
    return;
  }
}

/* The price and stock of an item without models (see "Endpoints"). -1
 * with v failed. */
static int sp_item_amounts(oc_verdict *v, const oc_shop *shop, const cJSON *found,
                           int64_t *price, int64_t *stock) {
  const cJSON *pi, *p0, *si, *sum, *hm;

  pi = cJSON_GetObjectItemCaseSensitive(found, "price_info");
  hm = cJSON_GetObjectItemCaseSensitive(found, "has_model");
  if ((pi == NULL || cJSON_IsNull(pi) ||
       (cJSON_IsArray(pi) && cJSON_GetArraySize(pi) == 0)) &&
      cJSON_IsTrue(hm)) {
    /* price_info is only given for items without models (see "Endpoints"):
     * the listing does not know the models yet; LOOKUP_SKU reads them. */
    ocu_fail(v, shop, OC_REJECTED, 0,
             "item has models the listing does not know (LOOKUP_SKU reads them)");
    return -1;
  }
  if (pi == NULL || cJSON_IsNull(pi)) {
    SP_UNEXPECTED(v, shop, "field price_info is missing");
    return -1;
  }
  if (!cJSON_IsArray(pi)) {
    SP_UNEXPECTED(v, shop, "field price_info is not an array");
    return -1;
  }
  p0 = cJSON_GetArrayItem(pi, 0);
  if (!cJSON_IsObject(p0)) {
    SP_UNEXPECTED(v, shop, "field price_info[0] is not an object");
    return -1;
  }
  if (sp_req_int(v, shop, p0, "original_price", "price_info[0].original_price",
                 1, price))
    return -1;
  if ((si = sp_req_obj(v, shop, found, "stock_info_v2", "stock_info_v2")) ==
          NULL ||
      (sum = sp_req_obj(v, shop, si, "summary_info",
                        "stock_info_v2.summary_info")) == NULL ||
      sp_req_int(v, shop, sum, "total_available_stock",
                 "stock_info_v2.summary_info.total_available_stock", 0, stock))
    return -1;
  return 0;
}

/* The variant an item without models stands for: the one marked "0",
 * else the single variant not removed; NULL when neither. */
static const oc_variant *sp_item_variant(const oc_listing *l) {
  size_t i;

  for (i = 0; l != NULL && i < l->nvariants; i++)
    if (!l->variants[i].removed && l->variants[i].remote_id != NULL &&
        strcmp(l->variants[i].remote_id, "0") == 0)
      return &l->variants[i];
  return sp_single_variant(l);
}

/* GET_LISTING: our item of response.item_list, its state, price and stock;
 * an item with models reads get_model_list instead (sp_read_models). */
void sp_read_listing(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *resp,
                     oc_listing_result *res) {
  const cJSON *items = cJSON_GetObjectItemCaseSensitive(resp, "item_list");
  const cJSON *it, *found = NULL;
  const oc_variant *one;
  const char *st;
  char id[OC_ID_MAX];
  int64_t price, stock;

  if (sp_listing_has_models(l)) {
    sp_read_models(op, shop, l, resp, res);
    return;
  }
  if (items == NULL || cJSON_IsNull(items) ||
      (cJSON_IsArray(items) && cJSON_GetArraySize(items) == 0)) {
    ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "item not found");
    return;
  }
  if (!cJSON_IsArray(items)) {
    SP_UNEXPECTED(&res->v, shop, "field response.item_list is not an array");
    return;
  }
  cJSON_ArrayForEach(it, items) {
    if (!cJSON_IsObject(it)) {
      SP_UNEXPECTED(&res->v, shop, "field response.item_list[] is not an object");
      return;
    }
    if (sp_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(it, "item_id"),
                  "response.item_list[].item_id", id, sizeof id))
      return;
    if (l == NULL || l->item_id == NULL || strcmp(id, l->item_id) == 0) {
      found = it;
      break;
    }
  }
  if (found == NULL) {
    ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "item not found");
    return;
  }
  ocu_strlcpy(res->item_id, id, sizeof res->item_id);
  if ((st = sp_req_str(&res->v, shop, found, "item_status", "item_status")) == NULL)
    return;
  if (strcmp(st, "SELLER_DELETE") == 0 || strcmp(st, "SHOPEE_DELETE") == 0) {
    ocu_fail(&res->v, shop, OC_NOT_FOUND, 0, "item_status %s", st);
    return;
  }

  if (sp_item_amounts(&res->v, shop, found, &price, &stock))
    return;
  if ((one = sp_item_variant(l)) != NULL)
    sp_name_variant(res, one->sku, "0", price, stock, 0);
  res->active = strcmp(st, "NORMAL") == 0;
  /* BANNED, REVIEWING and unknown states read as not active; say which. */
  if (strcmp(st, "NORMAL") != 0 && strcmp(st, "UNLIST") != 0)
    ocu_fail(&res->v, shop, OC_OK, 0, "item_status %s", st);
}

void sp_read_token(const oc_shop *shop, const cJSON *root, oc_token_result *res) {
  const char *at, *rt;
  int64_t exp;

  if (ocu_token_pair(&res->v, shop, root, "", SP_LEAD, &at, &rt) ||
      sp_req_int(&res->v, shop, root, "expire_in", "expire_in", 0, &exp))
    return;
  if (at[0] == '\0' || rt[0] == '\0' || exp <= 0) {
    SP_UNEXPECTED(&res->v, shop, "empty access_token, refresh_token or expire_in");
    return;
  }
  /* parse() does not know the time: this is the lifetime in seconds (expire_in,
   * about 4 h); the core adds the time it sent the request. Shopee does not say
   * when the refresh token expires (30 days, see "Authorisation and
   * tokens"). */
  ocu_token_set(res, shop, SP_LEAD, at, rt, exp, 0);
}

/*
 * Classifies the HTTP status and the envelope (see "Envelope and errors") for
 * every call, listings and orders alike. Returns the body when it is a success
 * left to the caller to read (who frees it), with *has_error set when "error"
 * was present; otherwise NULL with the verdict filled.
 * "No response" is common/ops.c's.
 */
cJSON *sp_envelope(oc_op op, const oc_shop *shop, long http_status, const char *body,
                   size_t len, oc_verdict *res, int *has_error) {
  cJSON *root;
  const cJSON *ej;
  const char *code = "", *msg;
  int busy = ocu_http_busy(http_status);
  const struct sp_errdef *def;

  /* every call has the one envelope, orders too */
  (void)op;
  *has_error = 0;
  if ((root = ocu_answer(res, shop, http_status, body, len, SP_RATE_LIMIT_RETRY_MS)) == NULL)
    return NULL;
  ej = cJSON_GetObjectItemCaseSensitive(root, "error");
  if (ej != NULL && !cJSON_IsNull(ej) && !cJSON_IsString(ej)) {
    if (!ocu_http_fail(res, shop, http_status, 0))
      SP_UNEXPECTED(res, shop, "field error is not a string");
    cJSON_Delete(root);
    return NULL;
  }
  if (cJSON_IsString(ej))
    code = ej->valuestring;
  msg = ocu_json_str(root, "message");
  if (msg == NULL)
    msg = "";
  def = code[0] ? sp_classify(code) : NULL;

  if (busy) { /* 429 and 5xx are transient whatever the body says */
    long wait = def && def->status == OC_RETRY ? def->retry_after_ms : 0;

    if (http_status == 429 && wait < SP_RATE_LIMIT_RETRY_MS)
      wait = SP_RATE_LIMIT_RETRY_MS;
    if (code[0])
      ocu_fail(res, shop, OC_RETRY, wait, "HTTP %ld: %s%s%s", http_status, code,
              msg[0] ? ": " : "", msg);
    else
      ocu_fail(res, shop, OC_RETRY, wait, "HTTP %ld", http_status);
  } else if (code[0]) {
    ocu_fail(res, shop, def ? def->status : OC_REJECTED,
            def ? def->retry_after_ms : 0, "%s%s%s", code, msg[0] ? ": " : "",
            msg);
    sp_mark_content(has_error, code);
  } else if (!ocu_http_ok(http_status)) {
    ocu_fail(res, shop, OC_REJECTED, 0, "HTTP %ld", http_status);
  } else {
    *has_error = cJSON_IsString(ej) ? SP_HAS_ERROR : 0;
    return root;
  }
  cJSON_Delete(root);
  return NULL;
}


/*
 * The "response" object of a success (the payload hook). error == "" alone
 * is success for calls with nothing to read back; neither error nor
 * response is not an answer (see "Envelope and errors").
 */
const cJSON *sp_response(oc_op op, const oc_shop *shop, const cJSON *root, int flags,
                         oc_verdict *v) {
  const cJSON *resp = cJSON_GetObjectItemCaseSensitive(root, "response");

  if ((resp == NULL || cJSON_IsNull(resp)) && (flags & SP_HAS_ERROR) &&
      op != OC_OP_PUBLISH && op != OC_OP_LOOKUP_SKU && op != OC_OP_GET_LISTING)
    /* VARIANTS reads even an empty success: the step's ids and memo. */
    return op == OC_OP_VARIANTS ? root : NULL;
  return sp_req_obj(v, shop, root, "response", "response");
}

/* UPDATE, SET_STOCK, SET_PRICE, DELIST, RELIST: only failures to read. */
void sp_read_write(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *resp,
                   oc_listing_result *res) {
  (void)op;
  sp_check_failures(&res->v, shop, l, resp);
}

/* PUBLISH: the item id; a single variant is the item itself ("0"), the
 * models of several come by VARIANTS. add_item makes an item with no tier
 * variation, so the memo says so, as get_model_list of that item would:
 * the first VARIANTS step can follow without a look-up. */
void sp_read_publish(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *resp,
                     oc_listing_result *res) {
  const oc_variant *one = sp_single_variant(l);

  (void)op;
  if (sp_req_id(&res->v, shop, cJSON_GetObjectItemCaseSensitive(resp, "item_id"),
                "response.item_id", res->item_id, sizeof res->item_id) != 0)
    return;
  if (one != NULL)
    sp_name_variant(res, one->sku, "0", -1, -1, 0);
  else
    sp_memo_write("", NULL, 0, res->memo);
}

/* LOOKUP_SKU: with an item id, the item's models (get_model_list, see
 * "Variants"); without, search_item by the SKU the item was published with:
 * its id, and a single variant as the item itself ("0"). */
void sp_read_lookup(oc_op op, const oc_shop *shop, const oc_listing *l, const cJSON *resp,
                    oc_listing_result *res) {
  const oc_variant *one = sp_single_variant(l);
  const cJSON *list;

  if (l != NULL && !ocu_empty(l->item_id)) {
    sp_read_models(op, shop, l, resp, res);
    return;
  }
  list = ocu_found_list(&res->v, shop, resp, "item_id_list", "response.item_id_list", SP_LEAD);
  if (list != NULL &&
      sp_req_id(&res->v, shop, cJSON_GetArrayItem(list, 0), "response.item_id_list[0]",
                res->item_id, sizeof res->item_id) == 0 &&
      one != NULL)
    sp_name_variant(res, one->sku, "0", -1, -1, 0);
}
