/* netlist: an amp netlist read, checked against the amp-netlist convention
 * (docs/netlists.md) and ready to be composed into decks.
 *
 * netlist_read returns a struct netlist the caller frees with netlist_free.
 * It owns everything it points to; nothing in it changes after the read.
 */
#ifndef AMPSWEEP_NETLIST_H
#define AMPSWEEP_NETLIST_H

#include <stddef.h>

#include "base/name.h"
#include "base/status.h"
#include "base/strv.h"
#include "spice/spfile.h"

#define NETLIST_NAME_MAX AS_NAME_MAX
#define NETLIST_MAX_DEVICES 16 /* '*@ device' lines per netlist */

/* The harness's own names (engine/deck.h): node names that start with it and
 * instance names that have it after their first letter ("vas_in"). A
 * netlist may use neither. */
#define NETLIST_HARNESS_PREFIX "as_"

enum netlist_kind { NETLIST_HEADPHONE, NETLIST_POWER, NETLIST_BOTH /* no *@ kind given */ };

/* '*@ compat': the ngspice compatibility mode (its variable ngbehavior) the
 * netlist is written for, one of these; "" for ngspice's own syntax. "lta"
 * and "psa" apply LTspice's or PSpice's syntax to the whole netlist, "lt"
 * and "ps" to its included files only (ngspice manual, "Compatibility"). */
#define NETLIST_COMPAT_MODES "lt", "lta", "ps", "psa", "ltps", "ltpsa", "hs", "hsa", "ki"
#define NETLIST_COMPAT_MAX 8

struct netlist_supply {
    char *name;     /* V source instance, lower-case */
    char *node_pos; /* its nodes as written in the netlist */
    char *node_neg;
    int line; /* the metadata line */
};

struct netlist_device {
    char *name; /* instance, lower-case */
    double tj_max_c;
    double rth_ja_k_per_w;
    int line;
};

struct netlist {
    struct spfile *file; /* path, body lines, elements */
    char name[NETLIST_NAME_MAX + 1];
    enum netlist_kind kind;
    char *source;       /* what real design or class it is modelled on */
    int source_missing; /* no '*@ source' line: source says so (a note, not an error) */
    char compat[NETLIST_COMPAT_MAX + 1]; /* "" or one of NETLIST_COMPAT_MODES */
    struct netlist_supply *supplies;
    size_t n_supplies;
    struct netlist_device *devices;
    size_t n_devices;
};

/* Read and check the amp netlist at path. places: where its includes may
 * come from (spice/spfile.h; NULL: beside it only). Errors read
 * "PATH:LINE: ..." (AS_EINPUT); when the file reads but breaks the
 * convention in several ways, err holds every one, a line each. With no
 * '*@ name' the name is the file's (without folder and extension); with no
 * '*@ source', source says it was not given and source_missing is set. */
enum as_status netlist_read(const char *path, const struct spfile_places *places,
                            struct netlist **out, char *err, size_t errlen);

/* Copy the name metadata m of file f into dst if it is usable as an amp or
 * load name in file names and CSV cells: 1 to NETLIST_NAME_MAX letters,
 * digits, '_', '-', '.'. Otherwise fail with "PATH:LINE: ...". */
enum as_status netlist_take_name(const struct spfile *f, const struct spfile_meta *m,
                                 char dst[NETLIST_NAME_MAX + 1], char *err, size_t errlen);

const char *netlist_kind_name(enum netlist_kind kind);

/* Expand the command line's netlist arguments: a file stays as it is, a
 * folder becomes every *.cir below it, sorted by path. Appends to out. */
enum as_status netlist_collect(char *const *args, size_t n_args, struct strv *out, char *err,
                               size_t errlen);

void netlist_free(struct netlist *n);

#endif
