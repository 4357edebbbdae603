/*
 * media.c — UPLOAD_IMAGE: one image into the shop's media space with
 * v2.media_space.upload_image (see "Images"). The call is signed like a
 * public one (partner_id, path, timestamp: no shop token), its body is
 * multipart with the file in the field `image`, and the answer names the
 * image by response.image_info.image_id, which add_item and update_item
 * take in image.image_id_list.
 */
#include "shopee.h"

#include <stdlib.h>
#include <string.h>

#include "../common/buf.h"
#include "../common/ops.h"
#include "../common/text.h"
#include "../common/validate.h"
#include "../common/verdict.h"

static const ocu_opdef sp_upload_def = {"POST", SP_UPLOAD_PATH, NULL, SP_PUBLIC, 0, NULL, NULL};

/* JPG or PNG, at most SP_IMAGE_MAX_BYTES: what upload_image takes. The
 * message names the limit and the image's own figure. */
static int sp_upload_check(const oc_upload *up, char *err, size_t errlen) {
  if (up == NULL || up->data == NULL || up->len == 0) {
    ocu_err(err, errlen, "image is missing or empty");
    return -1;
  }
  if (up->mime == NULL ||
      (strcmp(up->mime, "image/jpeg") != 0 && strcmp(up->mime, "image/png") != 0)) {
    ocu_err(err, errlen, "Shopee takes JPG or PNG images; this one is %s",
            up->mime ? up->mime : "of unknown type");
    return -1;
  }
  if (up->len > SP_IMAGE_MAX_BYTES) {
    ocu_err(err, errlen, "Shopee takes images of at most 10 MB (%lu bytes); this one has %zu bytes",
            (unsigned long)SP_IMAGE_MAX_BYTES, up->len);
    return -1;
  }
  /* The name goes into a Content-Disposition header: no quote, no control
   * character, nothing a header could be split or closed with. */
  if (ocu_empty(up->filename) || strpbrk(up->filename, "\"\\\r\n") != NULL ||
      !ocu_utf8_valid(up->filename, strlen(up->filename))) {
    ocu_err(err, errlen, "image file name is empty or holds a quote or a line break");
    return -1;
  }
  return 0;
}

/* The one file field; -1 on OOM. */
static int sp_upload_part(const oc_upload *up, oc_request *req) {
  oc_part *p = &req->parts[0];

  p->name = ocu_asprintf("%s", "image");
  p->filename = ocu_asprintf("%s", up->filename);
  p->mime = ocu_asprintf("%s", up->mime);
  req->nparts = 1;
  if (p->name == NULL || p->filename == NULL || p->mime == NULL)
    return -1;
  req->file = up->data;
  req->file_len = up->len;
  return 0;
}

int sp_upload_build(const oc_shop *shop, const oc_upload *up, int64_t now_ms, oc_request *req,
                    char *err, size_t errlen) {
  if (err != NULL && errlen > 0)
    err[0] = '\0';
  if (req == NULL) {
    ocu_err(err, errlen, "request is missing");
    return -1;
  }
  memset(req, 0, sizeof *req);
  if (sp_check_shop(OC_OP_UPLOAD_IMAGE, &sp_upload_def, shop, err, errlen) ||
      sp_upload_check(up, err, errlen))
    return -1;
  if (now_ms < 0) {
    ocu_err(err, errlen, "clock is before 1970");
    return -1;
  }
  /* Shopee signs Unix seconds; no Content-Type header: the core's MIME
   * body sets multipart/form-data with its boundary. */
  if (sp_make_url(shop, SP_UPLOAD_PATH, now_ms / 1000, SP_PUBLIC, NULL, 0, &req->url,
                  &req->log_url) ||
      sp_upload_part(up, req)) {
    ocu_request_wipe(req);
    ocu_err(err, errlen, "out of memory");
    return -1;
  }
  ocu_strlcpy(req->method, "POST", sizeof req->method);
  return 0;
}

/* The image of the answer: response.image_info, else the first entry of
 * response.image_info_list (the form for several files). */
static const cJSON *sp_image_info(oc_verdict *v, const oc_shop *shop, const cJSON *resp) {
  const cJSON *info = cJSON_GetObjectItemCaseSensitive(resp, "image_info");
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(resp, "image_info_list");

  if (info == NULL && cJSON_IsArray(list))
    info = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(list, 0), "image_info");
  if (!cJSON_IsObject(info)) {
    SP_UNEXPECTED(v, shop, "field response.image_info is missing");
    return NULL;
  }
  return info;
}

/* The first URL image_url_list gives; "" when none. */
static void sp_image_url(const cJSON *info, oc_upload_result *res) {
  const cJSON *list = cJSON_GetObjectItemCaseSensitive(info, "image_url_list");
  const char *url = ocu_json_str(cJSON_GetArrayItem(list, 0), "image_url");

  if (cJSON_IsArray(list) && url != NULL)
    ocu_strlcpy(res->url, url, sizeof res->url);
}

void sp_upload_parse(const oc_shop *shop, const oc_upload *up, long http_status,
                     const char *body, size_t len, oc_upload_result *res) {
  const cJSON *resp, *info;
  const char *id;
  cJSON *root;
  int flags;

  (void)up;
  if (res == NULL)
    return;
  memset(res, 0, sizeof *res);
  if (ocu_verdict_start(&res->v, shop, http_status))
    return;
  if ((root = sp_envelope(OC_OP_UPLOAD_IMAGE, shop, http_status, body, len, &res->v, &flags)) ==
      NULL)
    return;
  if ((resp = sp_req_obj(&res->v, shop, root, "response", "response")) != NULL &&
      (info = sp_image_info(&res->v, shop, resp)) != NULL &&
      (id = ocu_req_str(&res->v, shop, info, "image_id", "response.image_info.image_id",
                        SP_LEAD)) != NULL) {
    if (id[0] == '\0' || strlen(id) >= sizeof res->remote_id)
      SP_UNEXPECTED(&res->v, shop, "field response.image_info.image_id is empty or too long");
    else {
      ocu_strlcpy(res->remote_id, id, sizeof res->remote_id);
      sp_image_url(info, res);
    }
  }
  cJSON_Delete(root);
}
