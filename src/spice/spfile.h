/* spfile: read and scan one SPICE file that a user supplies (an amp netlist
 * or a load file) without running anything in it.
 *
 * The scan collects the "*@ key = value" metadata lines, the top-level element
 * statements (name and node/parameter tokens, lower-cased as SPICE is
 * case-insensitive), the top-level .subckt definitions, and the body lines to
 * hand to ngspice. It refuses what a user file must not hold (.control
 * blocks, analyses, output commands: see docs/netlists.md), and resolves
 * every .include/.lib path, in every file it reaches, before ngspice reads
 * it: relative to the including file's folder first, then the models folder
 * and the folders the user named. A path that resolves (symbolic links
 * followed) outside the places of struct spfile_places, or to a file that is
 * not text, is refused naming the statement's file and line, before ngspice
 * or any message sees the file's content. Interpreting the metadata is the
 * caller's job (netlist.c for amps, loadfile.c for loads).
 */
#ifndef AMPSWEEP_SPFILE_H
#define AMPSWEEP_SPFILE_H

#include <stddef.h>

#include "base/status.h"
#include "base/strv.h"

/* Largest file read, so a wrong argument (a disk image) fails fast. */
#define SPFILE_MAX_BYTES (16u * 1024u * 1024u)

/* Deepest chain of .include files followed. */
#define SPFILE_MAX_INCLUDE_DEPTH 8

/* Most folders an include may come from besides the file's own (the models
 * folder and the --include-dir folders). */
#define SPFILE_MAX_PLACES 16

/* The places a file's includes may reach: the folder of the file read (and
 * everything below it), the models folder and each folder of dirs (and
 * below). Includes are looked up in that order. Borrowed; NULL members (or a
 * NULL struct) mean none. */
struct spfile_places {
    const char *models_dir;
    const struct strv *dirs; /* --include-dir folders */
};

struct spfile_meta {
    char *key;   /* lower-case */
    char *value; /* trimmed, non-empty */
    int line;
};

struct spfile_elem {
    char *name;         /* instance name, lower-case ("q1", "xout") */
    struct strv tokens; /* the rest of the statement split on blanks and "(),=" */
    int line;           /* first physical line of the statement */
};

struct spfile_subckt {
    char *name; /* lower-case */
    size_t n_ports;
    int line;
};

/* Where a body statement was written. */
struct spfile_origin {
    const char *path; /* the file read, or an included file (absolute) */
    int line;         /* its first physical line */
    int top;          /* 1 when it stands outside any .subckt */
};

struct spfile {
    char *path; /* as given */
    /* deck statements, continuations joined and comments cut: no title, no
     * .end, every included file's statements inlined where it was included
     * (ngspice never opens a file a user names) */
    struct strv body;
    struct spfile_origin *origin; /* n_origin of them: one per body line the scan kept */
    size_t n_origin;
    struct strv included; /* absolute paths of the files inlined */
    struct spfile_meta *meta;
    size_t n_meta;
    struct spfile_elem *elems; /* top-level element statements */
    size_t n_elems;
    struct spfile_subckt *subckts; /* top-level .subckt definitions */
    size_t n_subckts;
};

/* Read path. has_title: the first line is a SPICE title (amp netlists) rather
 * than content (load files). places: where includes may be found (may be
 * NULL: beside the file only). On success *out is a new spfile the caller
 * frees with spfile_free; on failure err reads "PATH:LINE: what is wrong". */
enum as_status spfile_read(const char *path, int has_title, const struct spfile_places *places,
                           struct spfile **out, char *err, size_t errlen);

/* s with its leading and trailing white space cut off: trailing in place,
 * the result points into s. */
char *spfile_trim(char *s);

/* The whole text of the file at path, as spfile_read reads it: at most
 * SPFILE_MAX_BYTES, text only (no NUL or other control bytes). *out is
 * NUL-terminated and the caller's to free. Errors read "PATH: ...". */
enum as_status spfile_read_text(const char *path, char **out, size_t *len, char *err,
                                size_t errlen);

/* For a key that may appear once: fail with "PATH:LINE: 'key' is given
 * twice (first on line N)" if *seen_line is set, else record m's line. */
enum as_status spfile_meta_once(const struct spfile *f, const struct spfile_meta *m, int *seen_line,
                                char *err, size_t errlen);

/* The top-level element named name (case-insensitive), or NULL. */
const struct spfile_elem *spfile_find_elem(const struct spfile *f, const char *name);

/* Where the first body statement whose first word is word (and whose second
 * is word2, when word2 is not NULL) was written, case-insensitive; NULL if
 * none. An instance ("r1") is looked for outside subcircuits, a dot
 * statement (".model", "dx") anywhere; both in included files too. Valid
 * until spfile_free. */
const struct spfile_origin *spfile_origin_of(const struct spfile *f, const char *word,
                                             const char *word2);

/* 1 if node appears as a token of any top-level element, else 0. */
int spfile_uses_node(const struct spfile *f, const char *node);

/* The first token of a top-level element that starts with prefix (lower
 * case), or NULL. Valid until spfile_free. */
const char *spfile_node_with_prefix(const struct spfile *f, const char *prefix);

/* Accepts NULL. */
void spfile_free(struct spfile *f);

#endif
