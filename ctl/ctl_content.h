/*
 * ctl_content.h — the commands about a listing's content
 * (docs/listing-content.md, sql/010_content.sql):
 *
 *   category map|unmap|list|rules|import   ctl_category.c
 *   attribute map|unmap|list               ctl_attribute.c
 *   product attribute                      ctl_attribute.c
 *   images                                 ctl_images.c
 *
 * Changes go through ctl_begin_change / ctl_end_change (ctl_assortment.h),
 * so the triggers that re-derive the listings' jobs run in the same
 * transaction. The shared helpers below print their own errors.
 */
#ifndef OCOP_CTL_CONTENT_H
#define OCOP_CTL_CONTENT_H

#include "ocopctl.h"

int cmd_category(struct ctl *ctl, int argc, char **argv);
int cmd_attribute(struct ctl *ctl, int argc, char **argv);
int cmd_product(struct ctl *ctl, int argc, char **argv);
int cmd_images(struct ctl *ctl, int argc, char **argv);

/* Runs one statement; the result (caller clears), or NULL after printing
 * "ocopctl: COMMAND: <the server's message>". */
PGresult *ctl_query(PGconn *conn, const char *command, const char *sql, int n,
                    const char *const *params);

/* Prints a cJSON value and frees it. */
struct cJSON;
void ctl_print_json(struct cJSON *root);

#endif
