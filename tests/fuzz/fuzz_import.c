/*
 * fuzz_import.c — the catalogue CSV's checks (ctl/import.c,
 * ctl/import_variants.c, ctl/import_content.c through import_check_mem):
 * the header, each row and the rows of each product and producer, all that
 * ocopctl import checks before the database. The categories are those
 * sql/001_catalogue.sql creates. Every problem printed is one line that
 * names the file, whatever the fields hold.
 */
#include "fuzz.h"

#include "import.h"

static const char *const fz_categories[] = {
    "I.1.a", "I.1.b", "I.2.a", "I.2.b", "I.3.a", "I.3.b", "I.3.c", "I.3.d",
    "I.4.a", "I.4.b", "I.5.a", "I.5.b", "I.6",   "II.1.a", "II.1.b", "II.2.a",
    "II.2.b", "III.1", "III.2", "III.3", "IV.1",  "IV.2",  "V.1",   "V.2",
    "V.3",   "VI",    "VI.1",  "VI.2",  "VI.3"};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *out = NULL;
  size_t outlen = 0;
  FILE *errs = open_memstream(&out, &outlen);
  long problems;
  const char *line;

  if (!errs)
    abort();
  problems = import_check_mem("catalogue.csv", (const char *)data, size, fz_categories,
                              sizeof fz_categories / sizeof fz_categories[0], errs);
  fclose(errs);
  fz_assert(problems >= 0);
  fz_assert((problems == 0) == (outlen == 0));
  for (line = out; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
    fz_assert(strncmp(line, "catalogue.csv", 13) == 0);
    fz_assert(strcspn(line, "\r\t\x1b") >= strcspn(line, "\n"));
  }
  free(out);
  return 0;
}
