/*
 * fuzz_conn.h — the driver every connector's target shares (prefix fzc_):
 * one input is one marketplace answer to one operation, parsed through the
 * connector's table (connectors/connector.h) as lib/call.c does, or one
 * push given to its verify_push.
 *
 * The input: byte 0 picks the operation (fzc_mode, modulo FZC_NMODES),
 * byte 1 the HTTP status (fzc_statuses, modulo), byte 2 the shape of what
 * was asked (FZC_SHAPE_*); the rest is the body. For GET_ORDERS the body's
 * first line is the order ids asked for, separated by spaces; for a push
 * as sent (FZC_PUSH_AS_SENT) it is the Authorization header. A signed push
 * (FZC_PUSH_SIGNED) gets the signature the marketplace would send, so that
 * the body behind the signature check is reached.
 */
#ifndef OCOP_FUZZ_CONN_H
#define OCOP_FUZZ_CONN_H

#include <stddef.h>
#include <stdint.h>

#include "connector.h"

#define FZC_VARIANTS 3

enum fzc_mode {
  FZC_LISTING_FIRST = 0, /* PUBLISH .. GET_LISTING, then VARIANTS */
  FZC_REFRESH_TOKEN = 9,
  FZC_TOKEN_EXCHANGE,
  FZC_LIST_ORDERS,
  FZC_GET_ORDERS,
  FZC_UPLOAD_IMAGE,
  FZC_CATEGORY,
  FZC_PUSH_SIGNED,
  FZC_PUSH_AS_SENT,
  FZC_NMODES
};

/* Byte 2: what the listing or the query looks like. */
#define FZC_SHAPE_NO_ITEM 0x01     /* item_id NULL (before publish) */
#define FZC_SHAPE_VARIANTS 0x06    /* (shape >> 1) % 3 + 1 variants */
#define FZC_SHAPE_REMOTE 0x08      /* the variants' remote ids are known */
#define FZC_SHAPE_REMOVED 0x10     /* the last variant is removed */
#define FZC_SHAPE_STEP 0x60        /* CATEGORY: step (shape >> 5) */
#define FZC_SHAPE_CERT 0x80        /* UPLOAD_IMAGE: a certificate image */

/* One connector and the shop, listing and ids its answers are read for:
 * those of the connector's unit tests, so that their answers (the seeds)
 * reach past the checks that compare ids. */
typedef struct fzc_fixture {
  const oc_connector *conn;
  oc_shop shop;
  const char *item_id;
  const char *skus[FZC_VARIANTS];
  const char *remote_ids[FZC_VARIANTS];
  const char *category_id;
  int signs_url; /* the push signature covers the callback URL (Shopee) */
} fzc_fixture;

int fzc_run(const fzc_fixture *fx, const uint8_t *data, size_t size);

#endif
