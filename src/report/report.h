/* report: DIR/report.html, one self-contained page (the figures beside it
 * in DIR/plots/, no network, no external CSS or JavaScript) that answers
 * "can this amp drive this speaker or headphone, and if not, why": the
 * answers per amp, the verdict table with the sentences of summary.json,
 * the figures, the common claims checked against the numbers, and the
 * settings. Every string from the results is HTML-escaped.
 *
 * No ownership: nothing is kept past the call.
 */
#ifndef AMPSWEEP_REPORT_H
#define AMPSWEEP_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "base/status.h"
#include "report/plot.h"
#include "results/results.h"

/* Write dir/report.html atomically. figs may be NULL (no figures section
 * beyond a note); a figure not rendered is listed with its script. */
enum as_status report_write(const struct results *r, const char *dir, const struct plot_set *figs,
                            char *err, size_t errlen);

/* Write s to fp with & < > " ' escaped. */
void report_escape(FILE *fp, const char *s);

#endif
