/*
 * parse.c — TikTok answers: the envelope and its codes (see "Envelope and
 * errors"), the field readers the listing and order answers share, and the
 * token answer.
 */
#include "tiktok.h"

#include <stdio.h>
#include <string.h>

#include "../common/json.h"
#include "../common/text.h"
#include "../common/token.h"

/* Classification of a non-zero code. */
oc_status tt_classify(long code, long *retry_ms) {
  *retry_ms = 0;
  if (code == TT_CODE_RATE || code == TT_CODE_RATE2) {
    *retry_ms = TT_RATE_LIMIT_RETRY_MS;
    return OC_RETRY;
  }
  /* A stale timestamp (request queued too long: 300 s) is cured by
   * building again; a skewed clock ends in the core's retry limit. */
  if (code == TT_CODE_TIMESTAMP)
    return OC_RETRY;
  if (code == TT_CODE_NOT_FOUND)
    return OC_NOT_FOUND;
  /* 105001 invalid, 105002 expired, other 105xxx token problems;
   * 105005 is a missing API permission: the operator must act. */
  if (code >= 105000 && code <= 105999 && code != TT_CODE_NO_PERMISSION)
    return OC_AUTH;
  return OC_REJECTED; /* 106001 bad sign, parameter errors, ... */
}

/* A required string id of 1..20 digits, read only as a JSON string. */
int tt_req_id(oc_verdict *res, const oc_shop *shop, const cJSON *item,
                     const char *what, char out[21]) {
  char why[160];

  if (ocu_json_id(item, OCU_ID_STRING, what, out, 21, why, sizeof why)) {
    TT_UNEXPECTED(res, shop, "%s", why);
    return -1;
  }
  if (!tt_valid_id(out)) {
    out[0] = '\0';
    TT_UNEXPECTED(res, shop, "field %s is not a decimal id", what);
    return -1;
  }
  return 0;
}

/* A money amount string ("150000", "150000.00", "149999.5") into whole
 * dong, rounded half up: ocu_money_text, under the name the tests know. */
int tt_amount(const char *s, int64_t *out) { return ocu_money_text(s, out); }

static void tt_token(oc_token_result *res, const oc_shop *shop, const cJSON *data) {
  const char *at, *rt;
  int64_t aexp, rexp;

  if (ocu_token_pair(&res->v, shop, data, "data.", TT_LEAD, &at, &rt) ||
      tt_req_int(&res->v, shop, data, "access_token_expire_in",
                 "data.access_token_expire_in", &aexp) ||
      tt_req_int(&res->v, shop, data, "refresh_token_expire_in",
                 "data.refresh_token_expire_in", &rexp))
    return;
  if (at[0] == '\0' || rt[0] == '\0' || aexp <= 0 || rexp < 0) {
    TT_UNEXPECTED(&res->v, shop, "empty token or expiry");
    return;
  }
  /*
   * TikTok's *_expire_in are ABSOLUTE Unix seconds (e.g. 1722342011), unlike
   * Shopee's expire_in and Lazada's expires_in, which are lifetimes in seconds
   * that those connectors return as they are (relative). They are passed
   * through unchanged here: the core must not add the send time to TikTok's
   * values.
   */
  ocu_token_set(res, shop, TT_LEAD, at, rt, aexp, rexp);
}

/*
 * The envelope of every answer (see "Envelope and errors"): classifies
 * transport, HTTP status and code. Returns the parsed root (the caller deletes
 * it) only for code 0 with HTTP 2xx; otherwise NULL with res failed. "No
 * response" is common/ops.c's.
 */
/* A code or an HTTP status that says no: 429 and 5xx are transient
 * whatever the body says; otherwise the code's class. */
static void tt_code_fail(oc_op op, oc_verdict *res, const oc_shop *shop, const cJSON *root,
                         long http_status, long code) {
  int busy = ocu_http_busy(http_status);
  const char *msg = ocu_json_str(root, "message");
  long retry = 0;
  oc_status st;

  if (msg == NULL)
    msg = "";
  if (busy) { /* 429 and 5xx are transient whatever the body says */
    if (code != 0)
      tt_classify(code, &retry);
    if (http_status == 429 && retry < TT_RATE_LIMIT_RETRY_MS)
      retry = TT_RATE_LIMIT_RETRY_MS;
    if (code != 0)
      ocu_fail(res, shop, OC_RETRY, retry, "HTTP %ld: %ld: %s", http_status,
              code, msg);
    else
      ocu_fail(res, shop, OC_RETRY, retry, "HTTP %ld", http_status);
  } else {
    st = tt_classify(code, &retry);
    /* A refused refresh needs the seller to authorise again. EcomPHP maps
     * 105xxx and 360xxx to token errors; 360xxx is taken as such
     * only here, as our timestamp/rate codes share the range [unverified]. */
    if ((op == OC_OP_REFRESH_TOKEN || op == OC_OP_TOKEN_EXCHANGE) &&
        st == OC_REJECTED && code >= 36000000L &&
        code <= 36099999L)
      st = OC_AUTH;
    ocu_fail(res, shop, st, retry, "%ld: %s", code, msg);
  }
}

/* TikTok's refusals of a create or an edit that are about the listing's
 * content (Create Product's and Partial Edit Product's error codes): the
 * category, the brand, an image, an attribute, a certification, the title,
 * the description, the package. */
static const long tt_content_codes[] = {
    12019006, 12019011, 12019012, 12019013, 12052002, 12052003, 12052004, 12052005,
    12052006, 12052013, 12052015, 12052023, 12052024, 12052025, 12052026, 12052028,
    12052051, 12052104, 12052105, 12052116, 12052151, 12052181, 12052182, 12052183,
    12052200, 12052201, 12052208, 12052217, 12052220, 12052221, 12052223, 12052225,
    12052226, 12052227, 12052230, 12052240, 12052241, 12052242, 12052243, 12052244,
    12052245, 12052246, 12052247, 12052248, 12052249, 12052250, 12052251, 12052253,
    12052254, 12052256, 12052261, 12052262, 12052263, 12052300, 12052301, 12052302,
    12052304, 12052305, 12052306, 12052344, 12052345, 12052346, 12052348, 12052349,
    12052350, 12052352, 12052385, 12052446, 12052529, 12052650, 12052655, 12052656,
    12052657, 12052658, 12052915, 12052931, 12052932, 12052935,
};

int tt_content_code(long code) {
  size_t i;

  for (i = 0; i < sizeof tt_content_codes / sizeof tt_content_codes[0]; i++)
    if (tt_content_codes[i] == code)
      return 1;
  return 0;
}

cJSON *tt_envelope(oc_op op, const oc_shop *shop, long http_status, const char *body,
                   size_t len, oc_verdict *res, int *flags) {
  cJSON *root;
  const cJSON *cj;
  int busy = ocu_http_busy(http_status);
  long code = 0;
  int64_t v;

  *flags = 0;
  if ((root = ocu_answer(res, shop, http_status, body, len, TT_RATE_LIMIT_RETRY_MS)) == NULL)
    return NULL;
  cj = cJSON_GetObjectItemCaseSensitive(root, "code");
  if (cj == NULL || ocu_json_int(cj, &v) != 0 || v < 0 ||
      v > 2147483647LL) {
    if (!ocu_http_fail(res, shop, http_status, TT_RATE_LIMIT_RETRY_MS))
      TT_UNEXPECTED(res, shop, "field code is %s",
                    cj == NULL ? "missing" : "not an integer number");
    goto fail;
  }
  code = (long)v;
  if (busy || code != 0) {
    tt_code_fail(op, res, shop, root, http_status, code);
    /* Flagged for the shared parse (common/ops.h, OCU_CONTENT_REFUSED),
     * which tells PUBLISH and UPDATE. */
    if (!busy && tt_content_code(code))
      *flags |= OCU_CONTENT_REFUSED;
  } else if (!ocu_http_fail(res, shop, http_status, TT_RATE_LIMIT_RETRY_MS)) {
    return root;
  }
fail:
  cJSON_Delete(root);
  return NULL;
}

/* UPLOAD_IMAGE and CATEGORY, which have no shared dispatch: the verdict
 * ("no response", HTTP status, code) and, on success, the tree to read
 * (the caller frees it). */
cJSON *tt_open(oc_op op, const oc_shop *shop, long http_status, const char *body, size_t len,
               oc_verdict *v) {
  int flags;

  if (ocu_verdict_start(v, shop, http_status))
    return NULL;
  return tt_envelope(op, shop, http_status, body, len, v, &flags);
}

/*
 * The data object of a success (the payload hook). Writes have nothing to
 * read back: for them a missing data is no answer to read (NULL, v still
 * OC_OK).
 */
const cJSON *tt_data(oc_op op, const oc_shop *shop, const cJSON *root, int flags,
                     oc_verdict *v) {
  const cJSON *data = cJSON_GetObjectItemCaseSensitive(root, "data");

  (void)flags;
  if ((data == NULL || cJSON_IsNull(data)) &&
      (op == OC_OP_UPDATE || op == OC_OP_SET_STOCK || op == OC_OP_SET_PRICE ||
       op == OC_OP_DELIST || op == OC_OP_RELIST))
    return NULL;
  return tt_req_obj(v, shop, root, "data", "data");
}

void tt_read_token(const oc_shop *shop, const cJSON *root, oc_token_result *res) {
  const cJSON *data = tt_data(OC_OP_REFRESH_TOKEN, shop, root, 0, &res->v);

  if (data != NULL)
    tt_token(res, shop, data);
}
