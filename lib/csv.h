/*
 * csv.h — a strict RFC 4180 reader for catalogue files.
 *
 * The whole file is read into memory (it is bounded) and checked to be UTF-8
 * before any record is returned, so a bad byte is reported with the line and
 * column where it sits rather than as a garbled field later. Records are
 * returned one at a time; quoted fields may hold commas, doubled quotes and
 * line breaks, and each record carries the line it *starts* on, which is the
 * line a person looks for in an editor.
 *
 * Accepted: LF or CRLF line ends, an optional UTF-8 byte order mark, a last
 * record without a line end. Blank lines are skipped (their numbers still
 * count). Refused, with "NAME:LINE: what is wrong": a quote inside an
 * unquoted field, text after a closing quote, an unclosed quote, a bare CR,
 * NUL bytes, invalid UTF-8 ("NAME:LINE:COLUMN: ..."), and anything over the
 * limits below. Every error stops the reader: after a syntax error nothing
 * that follows can be trusted.
 */
#ifndef OCOP_CSV_H
#define OCOP_CSV_H

#include <stddef.h>

#define CSV_MAX_FILE ((size_t)64 << 20)   /* bytes in the file */
#define CSV_MAX_FIELD ((size_t)64 << 10)  /* bytes in one field, after unquoting */
#define CSV_MAX_FIELDS 256                /* fields in one record */
#define CSV_MAX_RECORD ((size_t)1 << 20)  /* bytes in one record, after unquoting */

typedef struct csv csv_t;

struct csv_record {
  unsigned long line;        /* line the record starts on, from 1 */
  size_t nfields;
  const char *const *fields; /* NUL-terminated; valid until the next csv_next */
  const size_t *lens;
};

/* Reads and checks the file. NULL with a reason in err ("NAME: ...") when
 * it cannot be read, is too large, or is not UTF-8. name is used in
 * messages; csv_open uses the path. */
csv_t *csv_open(const char *path, char *err, size_t errlen);
csv_t *csv_open_mem(const char *name, const char *data, size_t len, char *err,
                    size_t errlen);
void csv_close(csv_t *csv);

/* 1: a record in *rec; 0: end of file; -1: error, see csv_error. */
int csv_next(csv_t *csv, struct csv_record *rec);

/* Reads the first record as column names: 0, or -1 (no header, an empty or
 * duplicate name). Limit errors afterwards name the column. */
int csv_read_header(csv_t *csv);
/* Index of the column called name (exact match), or -1. */
int csv_column(const csv_t *csv, const char *name);
size_t csv_columns(const csv_t *csv);
const char *csv_column_name(const csv_t *csv, size_t i);

/* The last error, "NAME:LINE: what is wrong"; "" when none. */
const char *csv_error(const csv_t *csv);
const char *csv_name(const csv_t *csv);

#endif
