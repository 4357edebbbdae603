/*
 * sim_form.h — reading a multipart/form-data request body (RFC 7578), as
 * the marketplaces' image uploads send it (prefix sim_form_).
 *
 * The fields point into the body: nothing is copied, nothing is freed.
 */
#ifndef OCOP_SIM_FORM_H
#define OCOP_SIM_FORM_H

#include <stddef.h>

#define SIM_FORM_FIELDS_MAX 8

struct sim_field {
  char name[64];       /* the field's name= */
  char filename[128];  /* its filename=, "" for a text field */
  char ctype[64];      /* its Content-Type, "" when none */
  const char *data;    /* the value's bytes, inside the body */
  size_t len;
};

/* Splits body by the boundary of content_type. The number of fields read,
 * or -1 with *why set when the body is not multipart/form-data or breaks
 * its own framing. */
int sim_form_parse(const char *content_type, const char *body, size_t len,
                   struct sim_field *out, int max, const char **why);

/* The field named `name`, or NULL. */
const struct sim_field *sim_form_get(const struct sim_field *f, int n, const char *name);

#endif
