/* tables: the CSV result files (columns defined in docs/metrics.md):
 * fr.csv, power.csv, dissipation.csv, thd.csv and verdict.csv. Each is written
 * atomically into dir; the tables are only read.
 */
#ifndef AMPSWEEP_TABLES_H
#define AMPSWEEP_TABLES_H

#include <stddef.h>

#include "base/status.h"
#include "engine/fr.h"
#include "engine/large.h"
#include "judge/verdict.h"

#define TABLES_FR_HEADER "amp,load,load_ohm,freq_hz,gain_db,dev_db,zload_ohm,zout_ohm,damping,rule8"
#define TABLES_POWER_HEADER                                                                        \
    "amp,load,load_ohm,freq_hz,p_max_w,vout_rms_v,iout_pk_a,thd_pct,limit,runs"
#define TABLES_DISSIPATION_HEADER                                                                  \
    "amp,load,load_ohm,freq_hz,device,p_quiescent_w,p_at_max_w,p_worst_w,tj_worst_c,tj_max_c"
#define TABLES_THD_HEADER "amp,load,load_ohm,freq_hz,p_w,thd_pct"
#define TABLES_VERDICT_HEADER "amp,load,load_ohm,profile,criterion,value,limit,pass"

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
