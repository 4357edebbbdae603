/*
 * fuzz_webhook.c — the push endpoint's request path up to the database
 * (daemon/webhook.c): the Content-Length header, the body's checks
 * (daemon/push_check.c), the signature and body of each marketplace's
 * connector against one shop, then the timestamp, as handle() runs them.
 *
 * The input: byte 0 picks the marketplace (shopee, lazada, tiktok), byte 1
 * the flags below; then, with FZW_LENGTH, a line that is the Content-Length
 * header; without FZW_SIGNED, a line that is the Authorization header (with
 * it, the marketplace's own signature is computed); the rest is the body.
 */
#include "fuzz.h"

#include "../../connectors/common/hmac.h"
#include "connector.h"
#include "push_check.h"
#include "utf8.h"

#define FZW_SIGNED 0x01
#define FZW_LENGTH 0x02

#define FZW_NOW 1710000000 /* the clock the timestamps are checked against */
#define FZW_MAX_AGE 300

const oc_connector *fuzz_shopee_entry(void);
const oc_connector *fuzz_lazada_entry(void);
const oc_connector *fuzz_tiktok_entry(void);

/* The shop whose key every push is checked with, and the URL Shopee signs. */
static const char *const fzw_url = "https://ocop.example.vn/hooks/";

static oc_shop fzw_shop(int which) {
  static const char *const keys[] = {"123456", "123456", "29a39d"};
  static const char *const ids[] = {"654321", "200001", "7494726673780148744"};
  oc_shop s;

  memset(&s, 0, sizeof s);
  s.base_url = "http://127.0.0.1:8089";
  s.app_key = keys[which];
  s.app_secret = "push_secret_value";
  s.shop_id = ids[which];
  return s;
}

/* The next line of the input (up to '\n' or the end), malloc'd. */
static char *fzw_line(fz_in *in) {
  const uint8_t *nl = memchr(in->p, '\n', in->n);
  size_t n = nl ? (size_t)(nl - in->p) : in->n;
  char *s = fz_strndup(in->p, n);

  in->p += nl ? n + 1 : n;
  in->n -= nl ? n + 1 : n;
  return s;
}

/* The signature the marketplace sends (connectors/<name>/push.c). */
static char *fzw_sign(const oc_shop *s, int shopee, const char *url, const fz_in *body) {
  const char *head = shopee ? url : s->app_key;
  size_t hn = strlen(head) + (shopee ? 1 : 0);
  char *msg = malloc(hn + body->n + 1), *sig = malloc(65);

  if (!msg || !sig)
    abort();
  memcpy(msg, head, strlen(head));
  if (shopee)
    msg[hn - 1] = '|';
  if (body->n)
    memcpy(msg + hn, body->p, body->n);
  if (ocu_hmac_sha256_hex(s->app_secret, strlen(s->app_secret), msg, hn + body->n,
                          OCU_HEX_LOWER, sig) != 0)
    fz_fail("cannot sign");
  free(msg);
  return sig;
}

/* After the body's checks: the connector verifies, then the stamp is
 * checked; what handle() would answer. */
static int fzw_verify(int which, const char *auth, const char *url, const fz_in *body) {
  const oc_connector *c = which == 0   ? fuzz_shopee_entry()
                          : which == 1 ? fuzz_lazada_entry()
                                       : fuzz_tiktok_entry();
  oc_shop s = fzw_shop(which);
  oc_push p;
  const char *why = NULL;
  int status;

  memset(&p, 0, sizeof p);
  if (oc_verify_push(c, &s, url, auth, (const char *)body->p, body->n, &p) != 0) {
    fz_assert(p.error[0] != '\0' && fz_terminated(p.error, sizeof p.error));
    return 401;
  }
  fz_assert(fz_terminated(p.shop_id, sizeof p.shop_id));
  fz_assert(fz_terminated(p.order_id, sizeof p.order_id));
  status = push_check_age(p.timestamp, FZW_NOW, FZW_MAX_AGE, &why);
  fz_assert(status == 0 || (status == 400 && why != NULL));
  return status ? status : 200;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static const char *const names[] = {"shopee", "lazada", "tiktok"};
  fz_in in = {data, size};
  int which = fz_byte(&in) % 3, flags = fz_byte(&in), status;
  char *length = (flags & FZW_LENGTH) ? fzw_line(&in) : NULL, *auth = NULL, url[64];
  const char *why = NULL;
  oc_shop shop = fzw_shop(which);

  snprintf(url, sizeof url, "%s%s", fzw_url, names[which]);
  status = push_check_length(length, &why);
  fz_assert(status == 0 || (status == 413 && why != NULL));
  if (status == 0) {
    auth = (flags & FZW_SIGNED) ? fzw_sign(&shop, which == 0, url, &in) : fzw_line(&in);
    status = push_check_body((const char *)in.p, in.n, in.n > OC_MAX_PUSH, &why);
    fz_assert(status == 0 || ((status == 400 || status == 413) && why != NULL));
    if (status == 0) {
      fz_assert(utf8_valid((const char *)in.p, in.n, NULL));
      fzw_verify(which, auth, url, &in);
    }
  }
  free(length);
  free(auth);
  return 0;
}
