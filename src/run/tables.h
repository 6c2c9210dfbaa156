/* tables: the CSV result files fr.csv, power.csv, dissipation.csv, thd.csv
 * and verdict.csv. Their names and columns are those of results/schema.h
 * (meanings in docs/metrics.md). Each is written atomically into dir; the
 * tables passed in are only read, and nothing is kept after the call.
 */
#ifndef AMPSWEEP_TABLES_H
#define AMPSWEEP_TABLES_H

#include <stddef.h>

#include "base/status.h"
#include "engine/fr.h"
#include "engine/large.h"
#include "judge/verdict.h"

enum as_status tables_write_fr(const char *dir, const struct fr_table *t, char *err, size_t errlen);
enum as_status tables_write_power(const char *dir, const struct large_table *t, char *err,
                                  size_t errlen);
enum as_status tables_write_dissipation(const char *dir, const struct large_table *t, char *err,
                                        size_t errlen);
enum as_status tables_write_thd(const char *dir, const struct large_table *t, char *err,
                                size_t errlen);
enum as_status tables_write_verdict(const char *dir, const struct verdict *v, size_t n, char *err,
                                    size_t errlen);

#endif
