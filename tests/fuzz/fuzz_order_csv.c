/*
 * fuzz_order_csv.c — daemon/order_csv.c, PostMart's order files. Checks
 * order_csv.h's promises: a file taken whole as a JSON document of the
 * length said, with every order's lines, or refused with at least one
 * problem, each on one line naming the file, and none when taken.
 */
#include "fuzz.h"

#include <cJSON.h>

#include "order_csv.h"

static void fz_check_taken(const char *json, size_t njson, const ocsv_errors *errs) {
  cJSON *doc;

  fz_assert(json != NULL && strlen(json) == njson);
  fz_assert(errs->nlines == 0 && errs->total == 0);
  doc = cJSON_Parse(json);
  fz_assert(doc != NULL);
  fz_assert(cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(doc, "orders")));
  fz_assert(cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(doc, "bad")) == 0);
  cJSON_Delete(doc);
}

static void fz_check_refused(const char *json, const ocsv_errors *errs) {
  size_t i;

  fz_assert(json == NULL);
  fz_assert(errs->nlines >= 1 && errs->nlines <= OCSV_MAX_ERRORS + 1);
  fz_assert(errs->total >= errs->nlines - (errs->nlines > OCSV_MAX_ERRORS));
  for (i = 0; i < errs->nlines; i++)
    fz_assert(strncmp(errs->lines[i], "orders.csv", 10) == 0 && fz_one_line(errs->lines[i]));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ocsv_errors errs;
  char *json = NULL;
  size_t njson = 0;

  memset(&errs, 0, sizeof errs);
  if (ocsv_parse("orders.csv", (const char *)data, size, &json, &njson, &errs) == 0)
    fz_check_taken(json, njson, &errs);
  else
    fz_check_refused(json, &errs);
  free(json);
  ocsv_errors_free(&errs);
  return 0;
}
