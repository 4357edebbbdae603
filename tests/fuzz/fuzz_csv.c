/*
 * fuzz_csv.c — lib/csv.c, the catalogue files' reader: a header, then every
 * record. Checks what csv.h promises of each record: fields within the
 * limits, each NUL-terminated at its length, lines that never go back, and
 * an error on one line that names the file and line.
 */
#include "fuzz.h"

#include "csv.h"

static void fz_check_record(const struct csv_record *rec, unsigned long *last) {
  size_t i, bytes = 0;

  fz_assert(rec->nfields >= 1 && rec->nfields <= CSV_MAX_FIELDS);
  fz_assert(rec->line > *last);
  *last = rec->line;
  for (i = 0; i < rec->nfields; i++) {
    fz_assert(rec->lens[i] <= CSV_MAX_FIELD);
    fz_assert(strlen(rec->fields[i]) == rec->lens[i]);
    bytes += rec->lens[i];
  }
  fz_assert(bytes <= CSV_MAX_RECORD);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char err[512];
  csv_t *csv = csv_open_mem("fuzz.csv", (const char *)data, size, err, sizeof err);
  struct csv_record rec;
  unsigned long last = 0;
  size_t i;
  int r;

  if (!csv) {
    fz_assert(strncmp(err, "fuzz.csv:", 9) == 0 && fz_one_line(err));
    return 0;
  }
  if (csv_read_header(csv) == 0) {
    fz_assert(csv_columns(csv) >= 1);
    for (i = 0; i < csv_columns(csv); i++)
      fz_assert(csv_column(csv, csv_column_name(csv, i)) == (int)i);
  }
  while ((r = csv_next(csv, &rec)) == 1)
    fz_check_record(&rec, &last);
  if (r < 0)
    fz_assert(strncmp(csv_error(csv), "fuzz.csv:", 9) == 0 && fz_one_line(csv_error(csv)));
  csv_close(csv);
  return 0;
}
