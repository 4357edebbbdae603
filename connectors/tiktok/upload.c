/*
 * upload.c — UPLOAD_IMAGE (see "Images" in tiktok.md): POST
 * /product/202309/images/upload, multipart fields `data` (the file) and
 * `use_case`, signed over the path and the query alone (a multipart body is
 * left out of the signature), with the access token and no shop_cipher
 * (the reference lists none for this call). The answer's data.uri is what
 * main_images and certifications name; data.url is where the image shows.
 */
#include "tiktok.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

static const ocu_opdef tt_upload_op = {"POST", TT_UPLOAD_PATH, NULL, TT_UPLOAD, 0, NULL, NULL};

/* The image against Upload Product Image's limits: JPG or PNG (the two
 * the core reads; TikTok takes WEBP, HEIC and BMP too), at most 10 MB,
 * 100..20000 px a side, and 300..4000 px for a main image. */
static int tt_check_image(const oc_upload *up, char *err, size_t errlen) {
  int lo = up->certificate ? TT_IMAGE_MIN_PX : TT_MAIN_MIN_PX;
  int hi = up->certificate ? TT_IMAGE_MAX_PX : TT_MAIN_MAX_PX;

  if (up->data == NULL || up->len == 0) {
    ocu_err(err, errlen, "image is empty");
    return -1;
  }
  if (up->mime == NULL || (strcmp(up->mime, "image/jpeg") != 0 &&
                           strcmp(up->mime, "image/png") != 0)) {
    ocu_err(err, errlen, "TikTok takes JPG or PNG images here; this one is %s",
            up->mime ? up->mime : "of no known type");
    return -1;
  }
  if (up->len > TT_IMAGE_MAX_BYTES) {
    ocu_err(err, errlen, "TikTok takes images of at most 10 MB; this one has %zu bytes",
            up->len);
    return -1;
  }
  if (up->width < lo || up->height < lo || up->width > hi || up->height > hi) {
    ocu_err(err, errlen, "TikTok takes %s images of %dx%d to %dx%d px; this one is %dx%d",
            up->certificate ? "certification" : "main", lo, lo, hi, hi, up->width,
            up->height);
    return -1;
  }
  if (ocu_empty(up->filename)) {
    ocu_err(err, errlen, "image file name is empty");
    return -1;
  }
  return 0;
}

/* One multipart field; value NULL for the file. 0, or -1 on OOM. */
static int tt_part(oc_request *req, const char *name, const char *value, const char *filename,
                   const char *mime) {
  oc_part *p = &req->parts[req->nparts++];

  p->name = ocu_asprintf("%s", name);
  p->value = value ? ocu_asprintf("%s", value) : NULL;
  p->filename = filename ? ocu_asprintf("%s", filename) : NULL;
  p->mime = mime ? ocu_asprintf("%s", mime) : NULL;
  return p->name == NULL || (value && !p->value) || (filename && !p->filename) ||
                 (mime && !p->mime)
             ? -1
             : 0;
}

int tt_upload_build(const oc_shop *shop, const oc_upload *up, int64_t now_ms,
                    oc_request *req, char *err, size_t errlen) {
  tt_param q[2];
  char ts[24];

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    ocu_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  if (tt_check_shop(OC_OP_UPLOAD_IMAGE, &tt_upload_op, shop, err, errlen))
    return -1;
  if (up == NULL) {
    ocu_err(err, errlen, "image is missing");
    return -1;
  }
  if (tt_check_image(up, err, errlen))
    return -1;
  if (now_ms < 0) {
    ocu_err(err, errlen, "clock is before 1970");
    return -1;
  }
  snprintf(ts, sizeof ts, "%" PRId64, now_ms / 1000);
  q[0] = (tt_param){"app_key", shop->app_key};
  q[1] = (tt_param){"timestamp", ts};
  ocu_strlcpy(req->method, "POST", sizeof req->method);
  if (tt_part(req, "data", NULL, up->filename, up->mime) ||
      tt_part(req, "use_case", up->certificate ? "CERTIFICATION_IMAGE" : "MAIN_IMAGE", NULL,
              NULL)) {
    ocu_err(err, errlen, "out of memory");
    ocu_request_wipe(req);
    return -1;
  }
  req->file = up->data;
  req->file_len = up->len;
  return tt_shop_request(shop, TT_UPLOAD_PATH, q, 2, req, err, errlen);
}

void tt_upload_parse(const oc_shop *shop, const oc_upload *up, long http_status,
                     const char *body, size_t len, oc_upload_result *res) {
  const cJSON *data;
  const char *uri, *url;
  cJSON *root;

  (void)up;
  if (res == NULL)
    return;
  memset(res, 0, sizeof *res);
  if ((root = tt_open(OC_OP_UPLOAD_IMAGE, shop, http_status, body, len, &res->v)) == NULL)
    return;
  if ((data = tt_req_obj(&res->v, shop, root, "data", "data")) != NULL &&
      (uri = tt_req_str(&res->v, shop, data, "uri", "data.uri")) != NULL) {
    url = ocu_json_str(data, "url");
    if (!tt_valid_uri(uri))
      TT_UNEXPECTED(&res->v, shop, "field data.uri is not an image uri");
    else if (url != NULL && strlen(url) >= sizeof res->url)
      TT_UNEXPECTED(&res->v, shop, "field data.url is too long");
    else {
      ocu_strlcpy(res->remote_id, uri, sizeof res->remote_id);
      ocu_strlcpy(res->url, url ? url : "", sizeof res->url);
    }
  }
  cJSON_Delete(root);
}
