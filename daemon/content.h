/*
 * content.h — a publish or update job's content, as the claim row brings it
 * (ocop_listing_content in sql/logic/content.sql), prefix content_.
 *
 * The content says what the listing sends besides its text and variants
 * (images, category, brand, attributes), or why it cannot be sent yet: a
 * problem, rules to read, images to wait for or to upload first
 * (daemon/prepare.c decides which).
 */
#ifndef OCOP_CONTENT_H
#define OCOP_CONTENT_H

#include <stddef.h>

#include "connector.h"

#define CONTENT_MAX_UPLOADS 32

/* An image the shop does not hold yet. */
struct content_upload {
  char sha256[65];
  int certificate;
  char format[8];  /* "jpeg", "png" */
  char name[128];  /* the file name the marketplace is given */
};

struct content {
  int present;          /* the row carried content: prepare before sending */
  char *problem;        /* why the listing cannot be sent; NULL when none */
  int rules_due;        /* the category's rules must be read first */
  int waiting;          /* an image is not read and checked yet */
  char *category;       /* the marketplace category; NULL when unmapped */
  char *sig;            /* the content signature, recorded when sent */
  struct content_upload uploads[CONTENT_MAX_UPLOADS];
  size_t nuploads;
  /* What the connector sends (oc_listing's content fields point here). */
  char *brand_id, *brand_name, *certification_id;
  oc_image images[OC_MAX_IMAGES];
  size_t nimages;
  oc_attr attrs[OC_MAX_ATTRS];
  size_t nattrs;
};

/* Reads the JSON text of a claim row's content column (NULL: none). 0, or
 * -1 with err set when it is malformed. */
int content_parse(struct content *c, const char *json, char *err, size_t errlen);
/* Points the listing's content fields at c (which must outlive it). */
void content_apply(const struct content *c, oc_listing *l);
void content_free(struct content *c);

#endif
