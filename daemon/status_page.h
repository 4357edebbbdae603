/*
 * status_page.h — /status: a read-only HTML page for a trade-promotion
 * centre (prefix status_page_).
 *
 * It shows, from one document of ocop_admin_status() (sql/logic/admin.sql):
 * each shop's listings by state, the listings held back and the dead jobs
 * with their reasons, the certificates whose validity ends within 60 days
 * of the OCOP date, today's orders (the OCOP day, Asia/Ho_Chi_Minh) and
 * each shop's token expiry. Labels are Vietnamese with English beside
 * them. The page is one self-contained UTF-8 document: no script, no
 * external resource, every value HTML-escaped. Tables stop at the query's
 * row limit and say how many rows they leave out.
 */
#ifndef OCOP_STATUS_PAGE_H
#define OCOP_STATUS_PAGE_H

#include <stddef.h>

/* The page for json (the document's text). malloc'd; NULL when out of
 * memory or when json is not the document (the caller answers 500). */
char *status_page_render(const char *json, size_t *len);
/* A page that says the database did not answer, and why. */
char *status_page_error(const char *why, size_t *len);

#endif
