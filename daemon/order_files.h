/*
 * order_files.h — the order folder of a file channel (prefix order_files_).
 *
 * An operator drops PostMart order exports (*.csv) into the shop's
 * order_import_dir. Each file is read whole (daemon/order_csv.c), ingested
 * in one transaction by the caller, then moved to done/ — or, when any row
 * is wrong, moved to rejected/ with a FILE.reason next to it listing every
 * problem as FILE:LINE: what, and nothing is ingested. A crash between the
 * commit and the move only means the file is read again, which changes
 * nothing: orders are unique per shop and move forward by update time.
 */
#ifndef OCOP_ORDER_FILES_H
#define OCOP_ORDER_FILES_H

#include <stddef.h>

/* The oldest-named *.csv file directly in dir: 1 with its path, 0 when
 * there is none, -1 when dir cannot be read (logged). */
int order_files_next(const char *dir, char *path, size_t pathlen);

/* Parses the file: 0 with *json (canonical orders, malloc'd); -1 with
 * *errors (malloc'd, one problem per line). */
int order_files_read(const char *path, char **json, char **errors);

/* Moves the file into done/ (reason NULL) or rejected/ with FILE.reason
 * holding the reason; creates the folders as needed. Logs failures. */
void order_files_done(const char *path, const char *reason);

#endif
