/* csvread: read a whole CSV file (RFC 4180, the dialect src/csv.c writes)
 * into a table of strings addressed by header name, so the plot and report
 * steps can read any results folder without knowing how it was written.
 *
 * Ownership: csvr_read returns a table the caller frees with csvr_free.
 * Every string it hands out (header names, cells) lives inside the table
 * and stays valid until csvr_free.
 */
#ifndef AMPSWEEP_CSVREAD_H
#define AMPSWEEP_CSVREAD_H

#include <stddef.h>

#include "base/status.h"

struct csvr {
    size_t n_cols; /* fields in the header line */
    char **cols;   /* header names, n_cols of them */
    size_t n_rows; /* data rows, the header not counted */
    char **cells;  /* n_rows * n_cols fields, row-major */
    char *text;    /* the decoded fields, NUL-separated (owned) */
};

/* Read path. A row whose field count differs from the header's, an
 * unterminated quote or an empty file is AS_EINPUT naming file and line;
 * a file that cannot be read is AS_EIO. */
enum as_status csvr_read(const char *path, struct csvr **out, char *err, size_t errlen);

/* Parse text already in memory (name is used in messages). */
enum as_status csvr_parse(const char *text, size_t len, const char *name, struct csvr **out,
                          char *err, size_t errlen);

/* The index of the column called name, or -1. */
int csvr_col(const struct csvr *t, const char *name);

/* The cell at row, col ("" when col is -1). */
const char *csvr_cell(const struct csvr *t, size_t row, int col);

/* The cell as a number: "nan", "inf", "-inf" and numbers as written by
 * csv_num; an empty or non-numeric cell (or col -1) is NAN. */
double csvr_num(const struct csvr *t, size_t row, int col);

/* Accepts NULL. */
void csvr_free(struct csvr *t);

#endif
