/* plot: the figures of a results folder. plot_write writes one gnuplot
 * script per figure into DIR/plots/ (plus plots/failure_map.csv, the one
 * derived table a figure needs); plot_render runs gnuplot on each script,
 * which draws NAME.png (pngcairo) and NAME.svg beside it.
 *
 * The scripts read the CSV files of DIR through a path worked out from
 * their own location (gnuplot's ARG0), so `gnuplot DIR/plots/NAME.gp`
 * re-renders a figure from any working folder, also after DIR is moved.
 * Every amp keeps one colour in every figure.
 *
 * Ownership: plot_write returns a set the caller frees with plot_set_free.
 */
#ifndef AMPSWEEP_PLOT_H
#define AMPSWEEP_PLOT_H

#include <stddef.h>
#include <stdio.h>

#include "base/status.h"
#include "results/results.h"

#define PLOT_SUBDIR "plots"

/* No figure's key lists more series than this (tests/test_plot_keys.sh
 * counts them in every script): a figure with more amps is drawn once per
 * group of this many. */
#define PLOT_MAX_KEYED 8

struct plot_figure {
    char stem[96];     /* file name without extension: plots/STEM.gp, .png, .svg */
    char caption[512]; /* what the figure shows, in words */
    int amp;           /* the amp a per-amp figure belongs to, or -1 */
    int lead;          /* 1: the report shows it with the matrix, first */
    int rendered;      /* set by plot_render: 1 drawn, 0 not (yet) */
};

struct plot_set {
    struct plot_figure *figs; /* n of them (room for cap) */
    size_t n, cap;
};

/* The colour of amp number i ("#rrggbb"), the same in every figure. */
const char *plot_amp_colour(size_t i);

/* Write DIR/plots/ *.gp and DIR/plots/failure_map.csv for the results r read
 * from dir. */
enum as_status plot_write(const struct results *r, const char *dir, struct plot_set **out,
                          char *err, size_t errlen);

/* Run gnuplot on every script of set; each failure is printed to diag and
 * the rest still rendered. Returns the first failure. */
enum as_status plot_render(const char *dir, struct plot_set *set, FILE *diag, char *err,
                           size_t errlen);

/* Accepts NULL. */
void plot_set_free(struct plot_set *set);

#endif
