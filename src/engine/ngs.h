/* ngs: the libngspice session. The only module that includes sharedspice.h.
 *
 * libngspice is one simulator per process with global state, so there is at
 * most one open session per process (a worker process owns one). Commands
 * run synchronously in the caller's thread. Everything ngspice prints during
 * a call is captured; a line that reports an error fails the call with a
 * message naming the label (the netlist path) and quoting ngspice.
 *
 * After ControlledExit (ngspice "cannot recover") every call returns
 * AS_EDEAD, in this and any later session of the process: libngspice cannot
 * be restarted in the same process. The caller moves on in a new process.
 */
#ifndef AMPSWEEP_NGS_H
#define AMPSWEEP_NGS_H

#include <complex.h>
#include <stddef.h>

#include "base/status.h"
#include "base/strv.h"

struct ngs;

/* Absolute values at or above this are absurd: ngspice writes 1e32 where a
 * result is NaN or infinite (a division by zero, a floating node). */
#define NGS_ABSURD 1e30

/* Open the process's session. Caller frees with ngs_free. */
enum as_status ngs_open(struct ngs **out, char *err, size_t errlen);

/* Replace the loaded circuit by deck (a NULL-terminated strv whose first
 * line is the title). label names the deck's origin in messages. */
enum as_status ngs_load(struct ngs *s, const struct strv *deck, const char *label, char *err,
                        size_t errlen);

/* The compatibility mode the next ngs_load parses its deck in: ngspice's
 * variable ngbehavior set to mode (lower-case letters, as netlist.h's
 * NETLIST_COMPAT_MODES), or unset for NULL or "" (ngspice's own syntax). */
enum as_status ngs_compat(struct ngs *s, const char *mode, char *err, size_t errlen);

/* Run one analysis ("op", "ac dec 10 20 20000", "tran ..."). Plots of earlier
 * runs are destroyed first, so the vectors read afterwards are this run's.
 * The run must produce a plot, and every value in it must be finite and
 * below NGS_ABSURD. */
enum as_status ngs_run(struct ngs *s, const char *analysis, char *err, size_t errlen);

/* Run a transient analysis (analysis: a "tran ..." command) or, with
 * analysis NULL, go on with the one the last call halted, until simulated
 * time passes t_halt_s: ngspice lands on t_halt_s and halts there or one
 * tiny step after it, and a later call can go on from there (with sources altered in
 * between). bkpt_s[0..n_bkpt-1], after the time the run is halted at, are
 * times the run must land on: where an altered source changes, which
 * ngspice cannot know of (a fresh run finds its sources' own). Checks as
 * ngs_run; the vectors then hold the whole run so far. */
enum as_status ngs_tran_until(struct ngs *s, const char *analysis, const double *bkpt_s,
                              size_t n_bkpt, double t_halt_s, char *err, size_t errlen);

/* From now until the next load or clear, every analysis saves only the
 * vectors vecs (names as ngspice's save command takes them: "out",
 * "v1#branch") and its scale, not every vector as it does otherwise. Fewer
 * vectors cost less time in ngspice and in the checks of ngs_run. The
 * strings are copied. A name with a character other than letters, digits
 * and _.:#+- is never put into a command: then every vector is saved. */
enum as_status ngs_save_only(struct ngs *s, const struct strv *vecs, char *err, size_t errlen);

/* Run one command that makes no plot, such as "alter ras_load = 8". The
 * harness composes every command; nothing from a netlist reaches here. */
enum as_status ngs_command(struct ngs *s, const char *cmd, char *err, size_t errlen);

/* Copy vector name of the current plot. Caller frees *out with free().
 * ngs_vec_real takes the real part of a complex vector. */
enum as_status ngs_vec_real(struct ngs *s, const char *name, double **out, size_t *n, char *err,
                            size_t errlen);
/* The same from point from on: *n = length - from. */
enum as_status ngs_vec_real_from(struct ngs *s, const char *name, size_t from, double **out,
                                 size_t *n, char *err, size_t errlen);
enum as_status ngs_vec_complex(struct ngs *s, const char *name, double complex **out, size_t *n,
                               char *err, size_t errlen);

/* After an operating point ("op"): one ".nodeset v(NODE)=VALUE" line per
 * node voltage of the current plot, appended to out (the caller's), so a
 * later deck of the same circuit starts its operating point there. */
enum as_status ngs_nodeset(struct ngs *s, struct strv *out, char *err, size_t errlen);

/* Everything ngspice printed during the last ngs_load or ngs_run, one line
 * per "\n", each prefixed "stdout " or "stderr ". Valid until the next call. */
const char *ngs_output(const struct ngs *s);

/* The statement ngspice quoted with the last call's error ("q1 out in 0
 * nope"), lower-case as ngspice prints it, or "". Valid until the next call. */
const char *ngs_error_statement(const struct ngs *s);

/* 1 once ControlledExit has been seen in this process. */
int ngs_dead(const struct ngs *s);

/* Drop the circuit, all plots and the save list (remcirc, destroy all,
 * ngs_save_only). The session stays open. Also done by ngs_load before
 * loading. */
void ngs_clear(struct ngs *s);

/* Clear and close. The library stays loaded and initialised; a later
 * ngs_open in the same process reuses it.
 * Accepts NULL. */
void ngs_free(struct ngs *s);

#endif
