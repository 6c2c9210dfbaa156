/* importcmd: the import command's side effects, kept out of spice/import
 * (which only transforms text): writing the new netlist atomically, listing
 * the changes, and checking what was written so that a netlist the import
 * made but ngspice cannot load is reported at once, with its line. */
#include "cli/importcmd.h"

#include <errno.h>
#include <string.h>

#include "base/afile.h"
#include "run/check.h"
#include "run/sweep.h"
#include "spice/import.h"

static enum as_status write_lines(const struct strv *lines, const char *path, FILE *out, char *err,
                                  size_t errlen)
{
    if (!path) {
        for (size_t i = 0; i < lines->len; i++)
            fprintf(out, "%s\n", lines->items[i]);
        return fflush(out) == 0 ? AS_OK
                                : as_fail(err, errlen, AS_EIO, "stdout: %s", strerror(errno));
    }
    struct afile *f = NULL;
    enum as_status st = afile_open(path, &f, err, errlen);
    if (st != AS_OK)
        return st == AS_EIO ? as_fail(err, errlen, AS_EINPUT, "%s: cannot write", path) : st;
    int e = 0;
    for (size_t i = 0; i < lines->len && !e; i++)
        if (fprintf(afile_fp(f), "%s\n", lines->items[i]) < 0)
            e = errno ? errno : EIO;
    return afile_commit(f, e, err, errlen);
}

enum as_status importcmd_run(const struct cli_args *a, FILE *out, FILE *diag, char *err,
                             size_t errlen)
{
    struct import_opts o = {.in_node = a->import_in,
                            .out_node = a->import_out,
                            .name = a->import_name,
                            .kind = a->import_kind,
                            .dest = a->import_output};
    struct strv lines = {0}, changes = {0}, one = {0};
    enum as_status st = import_deck(a->import_file, &o, &lines, &changes, err, errlen);
    for (size_t i = 0; i < changes.len && st == AS_OK; i++)
        fprintf(diag, "%s: %s\n", a->import_file, changes.items[i]);
    if (st == AS_OK)
        st = write_lines(&lines, a->import_output, out, err, errlen);
    if (st == AS_OK && a->import_output) {
        struct spfile_places places = sweep_spec_places(&a->spec);
        fprintf(diag, "ampsweep: wrote %s; checking it:\n", a->import_output);
        st = strv_push(&one, a->import_output);
        if (st == AS_OK)
            st = check_run(&one, &places, diag, diag, err, errlen);
    }
    strv_free(&lines);
    strv_free(&changes);
    strv_free(&one);
    return st;
}
