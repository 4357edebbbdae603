/*
 * upload.c — UPLOAD_IMAGE (see "Images"): UploadImage, POST /image/upload
 * with the image's bytes as the multipart file field "image". The system
 * parameters and the sign go in the query, as on every call; the signature
 * covers them and not the file (file parameters are never signed). The
 * answer's data.image.url is what CreateProduct and UpdateProduct take,
 * data.image.hash_code Lazada's name for the image.
 */
#include "lazada.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/json.h"
#include "../common/text.h"
#include "../common/validate.h"

#define LZ_IMAGE_MAX_BYTES 3145728 /* maxOriginalMediaByteSize (3 MB) */
#define LZ_IMAGE_MIN_PX 330
#define LZ_IMAGE_MAX_PX 5000

/* The call's entry: a seller call, POST, no form parameter. */
static const ocu_opdef lz_upload_op = {"POST", "/image/upload", NULL, LZ_SELLER, 0, NULL, NULL};

/* What Lazada takes: JPG or PNG, at most 3 MB, 330-5000 px each side. */
static int lz_image_ok(const oc_upload *up, char *err, size_t errlen) {
  if (up == NULL || up->data == NULL || up->len == 0) {
    ocu_err(err, errlen, "image is missing or empty");
    return -1;
  }
  if (up->mime == NULL ||
      (strcmp(up->mime, "image/jpeg") != 0 && strcmp(up->mime, "image/png") != 0)) {
    ocu_err(err, errlen, "Lazada takes JPG or PNG images; this one is %s",
            up->mime != NULL ? up->mime : "of no known type");
    return -1;
  }
  if (up->len > LZ_IMAGE_MAX_BYTES) {
    ocu_err(err, errlen, "Lazada takes images of at most %d bytes (3 MB); this one has %zu",
            LZ_IMAGE_MAX_BYTES, up->len);
    return -1;
  }
  if (up->width < LZ_IMAGE_MIN_PX || up->height < LZ_IMAGE_MIN_PX ||
      up->width > LZ_IMAGE_MAX_PX || up->height > LZ_IMAGE_MAX_PX) {
    ocu_err(err, errlen, "Lazada takes images of %d-%d px on each side; this one is %dx%d px",
            LZ_IMAGE_MIN_PX, LZ_IMAGE_MAX_PX, up->width, up->height);
    return -1;
  }
  return 0;
}

/* A file name fit for a multipart header: printable, no quote or
 * backslash; "image.jpg" / "image.png" when the core gives none. */
static const char *lz_filename(const oc_upload *up) {
  const char *f = up->filename;
  size_t i;

  for (i = 0; f != NULL && f[i]; i++)
    if ((unsigned char)f[i] < 0x20 || f[i] == 0x7f || f[i] == '"' || f[i] == '\\')
      f = NULL;
  if (f == NULL || f[0] == '\0' || strlen(f) > 200)
    return strcmp(up->mime, "image/png") == 0 ? "image.png" : "image.jpg";
  return f;
}

/* The one file part: its name, file name and type (the bytes are req->file). */
static int lz_file_part(oc_request *req, const oc_upload *up) {
  oc_part *p = &req->parts[0];

  p->name = ocu_asprintf("%s", "image");
  p->filename = ocu_asprintf("%s", lz_filename(up));
  p->mime = ocu_asprintf("%s", up->mime);
  req->nparts = 1;
  if (p->name == NULL || p->filename == NULL || p->mime == NULL)
    return -1;
  req->file = up->data;
  req->file_len = up->len;
  return 0;
}

int lz_upload_build(const oc_shop *shop, const oc_upload *up, int64_t now_ms, oc_request *req,
                    char *err, size_t errlen) {
  lz_param p[LZ_MAX_PARAMS];
  char ts[24];
  size_t np;

  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    ocu_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  if (lz_check_shop(OC_OP_UPLOAD_IMAGE, &lz_upload_op, shop, err, errlen) ||
      lz_image_ok(up, err, errlen))
    return -1;
  if (now_ms < 0) {
    ocu_err(err, errlen, "clock is before 1970");
    return -1;
  }
  snprintf(ts, sizeof ts, "%" PRId64, now_ms);
  np = lz_sys_params(p, &lz_upload_op, shop, ts);
  if (lz_emit_signed(&lz_upload_op, shop->base_url, shop, p, np, req) == 0 &&
      lz_file_part(req, up) == 0)
    return 0;
  ocu_request_wipe(req);
  ocu_err(err, errlen, "out of memory");
  return -1;
}

/* data.image {url, hash_code}: both required, the URL on a Lazada host. */
static void lz_read_upload(const oc_shop *shop, const cJSON *root, oc_upload_result *res) {
  const cJSON *data = lz_data(&res->v, shop, root), *img;
  const char *url, *hash;

  if (data == NULL ||
      (img = ocu_req_obj(&res->v, shop, data, "image", "data.image", LZ_LEAD)) == NULL ||
      (url = ocu_req_str(&res->v, shop, img, "url", "data.image.url", LZ_LEAD)) == NULL ||
      (hash = ocu_req_str(&res->v, shop, img, "hash_code", "data.image.hash_code", LZ_LEAD)) ==
          NULL)
    return;
  if (!lz_lazada_url(url) || strlen(url) >= sizeof res->url) {
    LZ_MALFORMED(&res->v, shop, "field data.image.url is not a Lazada image URL");
    return;
  }
  if (hash[0] == '\0' || strlen(hash) >= sizeof res->remote_id) {
    LZ_MALFORMED(&res->v, shop, "field data.image.hash_code is empty or too long");
    return;
  }
  ocu_strlcpy(res->url, url, sizeof res->url);
  ocu_strlcpy(res->remote_id, hash, sizeof res->remote_id);
}

void lz_upload_parse(const oc_shop *shop, const oc_upload *up, long http_status,
                     const char *body, size_t len, oc_upload_result *res) {
  cJSON *root;
  int flags;

  (void)up;
  if (res == NULL)
    return;
  memset(res, 0, sizeof *res);
  if (ocu_verdict_start(&res->v, shop, http_status))
    return;
  root = lz_envelope(OC_OP_UPLOAD_IMAGE, shop, http_status, body, len, &res->v, &flags);
  if (root == NULL)
    return;
  lz_read_upload(shop, root, res);
  cJSON_Delete(root);
}
