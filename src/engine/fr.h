/* fr: the small-signal measurements of one amp (docs/metrics.md):
 * gain into each load, deviation from the amp's own open-output response,
 * load impedance, output impedance, damping factor and the 1/8 rule; and
 * the output noise into each load, from ngspice's noise analysis.
 *
 * One fr_sweep call loads amp's open-output circuit and measures the
 * open-output response in it (fr_measure_open), then measures every
 * resistive load in that same circuit, set with "alter"; each subcircuit
 * load gets a circuit of its own. So each call parses the netlist once,
 * plus once per subcircuit load, and measures the open-output response
 * once. The sweep (run/sweep.c) runs one job per amp and load, in a worker,
 * and calls fr_sweep with that one load: the open-output response is
 * measured again for every amp and load.
 */
#ifndef AMPSWEEP_FR_H
#define AMPSWEEP_FR_H

#include <stddef.h>

#include "base/range.h"
#include "base/status.h"
#include "engine/ngs.h"
#include "spice/loadfile.h"
#include "spice/netlist.h"

struct fr_row {
    char amp[NETLIST_NAME_MAX + 1];
    char load[NETLIST_NAME_MAX + 1];
    double load_ohm;  /* nominal */
    double freq_hz;   /* as simulated */
    double gain_db;   /* 20 log10 |v(out)/v(in)| with the load */
    double dev_db;    /* gain_db minus the open-output gain_db at freq_hz */
    double zload_ohm; /* |Zload(f)| */
    double zout_ohm;  /* |Zout(f)|, input shorted, output open */
    double damping;   /* load_ohm / zout_ohm */
    int rule8;        /* 1 if zout_ohm <= zload_ohm / 8 */
    /* the output noise into this load over FR_NOISE_LO_HZ..FR_NOISE_HI_HZ,
     * input shorted: the same on every row of the load */
    double vnoise_uv;   /* unweighted, uV rms */
    double vnoise_a_uv; /* A-weighted (IEC 61672-1), uV rms */
};

/* The band of the noise figures, and ngspice's points per decade in it. */
#define FR_NOISE_LO_HZ 20.0
#define FR_NOISE_HI_HZ 20000.0
#define FR_NOISE_PER_DECADE 40

/* The A-weighting of IEC 61672-1 at f as a power gain (1 at 1 kHz). */
double fr_a_weight_power(double freq_hz);

/* Integrate an output noise density v_rthz[] (V/sqrt(Hz)) at n ascending
 * frequencies f_hz[] into *v_rms and, A-weighted, *v_a_rms (trapezoids in
 * log frequency). */
void fr_noise_integrate(const double *f_hz, const double *v_rthz, size_t n, double *v_rms,
                        double *v_a_rms);

/* Rows in order amp, load (as given), frequency (ascending). */
struct fr_table {
    struct fr_row *rows;
    size_t len, cap;
};

/* The open-output response of one amp: gain and |Zout| per frequency. */
struct fr_open {
    size_t n;
    double *freq_hz; /* as simulated */
    double *gain_db;
    double *zout_ohm;
};

/* Measure amp's open-output gain and output impedance at freqs. The caller
 * frees *out with fr_open_free. Loads amp's circuit into s. */
enum as_status fr_measure_open(struct ngs *s, const struct netlist *amp, const struct range *freqs,
                               struct fr_open *out, char *err, size_t errlen);

/* Measure amp's |Zout| alone at freqs into zout_ohm[freqs->count] (the open
 * gain is not needed: it may be zero, as in an unbiased class-B stage).
 * Loads amp's open-output circuit into s. */
enum as_status fr_measure_zout(struct ngs *s, const struct netlist *amp, const struct range *freqs,
                               double *zout_ohm, char *err, size_t errlen);

/* Measure amp into every load at every frequency and append the rows to out.
 * On failure out is left as it was before the call. */
enum as_status fr_sweep(struct ngs *s, const struct netlist *amp, const struct load_spec *loads,
                        size_t n_loads, const struct range *freqs, struct fr_table *out, char *err,
                        size_t errlen);

/* Append a copy of row (AS_ENOMEM if it cannot grow). */
enum as_status fr_table_push(struct fr_table *t, const struct fr_row *row);

void fr_open_free(struct fr_open *o);
void fr_table_free(struct fr_table *t);

#endif
