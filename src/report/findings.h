/* findings: what a results folder says in plain words: per amp, the answer
 * to "can it drive speakers?" and "can it drive headphones?", and the
 * common claims about headphone and power amps checked against the
 * numbers. Everything is computed from the results, nothing is assumed.
 *
 * The texts are plain UTF-8 and may hold names from the results: whoever
 * prints them into HTML escapes them. No ownership: callers pass the
 * structs to fill.
 */
#ifndef AMPSWEEP_FINDINGS_H
#define AMPSWEEP_FINDINGS_H

#include <stddef.h>

#include "results/results.h"

enum findings_answer {
    FINDINGS_YES,        /* passes every criterion into every load of the use */
    FINDINGS_PARTLY,     /* passes into some */
    FINDINGS_NO,         /* fails into every one */
    FINDINGS_UNKNOWN,    /* nothing fails, but something was not measured */
    FINDINGS_NOT_TESTED, /* no load of that use was swept */
};

struct findings_answer_text {
    enum findings_answer answer;
    char text[1536];
};

/* The answer for amp number ai and the profile "speaker" or "headphone". */
void findings_answer(const struct results *r, size_t ai, const char *profile,
                     struct findings_answer_text *out);

/* "Yes", "Partly", "No", "Cannot tell", "Not tested". */
const char *findings_answer_name(enum findings_answer a);

/* An impedance as a person reads it: 3 significant digits and the unit,
 * "4.97 Ω", "600 Ω", "1230 Ω". */
void findings_ohm(double ohm, char *buf, size_t len);

/* A load as a person reads it: "8.03 Ω" for a resistor, "bookshelf_8ohm
 * (8 Ω)" for a load file. */
void findings_load_label(const struct results_load *l, char *buf, size_t len);

/* The first cause of a load's verdict in a word or two, in the order the
 * criteria are judged: "current limit", "voltage limit", "slew limit" (power
 * short, by what limits it), "response", "damping", "heat", "DC offset";
 * "not measured" when nothing fails but something is unknown; "" when it
 * passes. A static string. */
const char *findings_cause(const struct results_load *l);

/* The target level of a profile's verdicts in r's settings, dB SPL. */
double findings_target_db(const struct results *r, const char *profile);

enum findings_verdict { FINDINGS_SUPPORTED, FINDINGS_REFUTED, FINDINGS_MIXED, FINDINGS_UNTESTED };

#define FINDINGS_N_CLAIMS 5

struct findings_claim {
    const char *claim; /* the claim as people make it (static text) */
    enum findings_verdict verdict;
    char evidence[2048]; /* the numbers, in words */
};

/* The five claims of issue 6, in order: headphone amps give well under 1 W
 * into speakers; their output impedance is about 0.5 to 50 ohm; Zout should
 * be at most an eighth of the load; power amps are for 4-16 ohm and
 * headphone amps for 16-600 ohm; a headphone amp on speakers runs hot. */
void findings_claims(const struct results *r, struct findings_claim out[FINDINGS_N_CLAIMS]);

/* "supported", "refuted", "mixed", "not tested". */
const char *findings_verdict_name(enum findings_verdict v);

#endif
