/* sweep: the main job. Reads every netlist and load file, runs the
 * small-signal sweep in one libngspice session, writes fr.csv. A netlist
 * that fails is reported and skipped, never costing the others' results. */
#include "sweep.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "fr.h"
#include "loadfile.h"
#include "netlist.h"
#include "ngs.h"

#define FR_HEADER "amp,load,load_ohm,freq_hz,gain_db,dev_db,zload_ohm,zout_ohm,damping,rule8"

static enum as_status make_dir(const char *dir, char *err, size_t errlen)
{
    char *copy = strdup(dir);
    if (!copy)
        return as_fail(err, errlen, AS_ENOMEM, "out of memory");
    enum as_status st = AS_OK;
    for (char *p = copy + 1; st == AS_OK; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (mkdir(copy, 0777) != 0 && errno != EEXIST)
            st = as_fail(err, errlen, AS_EINPUT, "%s: cannot create output folder: %s", copy,
                         strerror(errno));
        *p = c;
        if (c == '\0')
            break;
    }
    free(copy);
    return st;
}

/* Fail before any simulation if the output folder cannot take files. */
static enum as_status probe_out_dir(const char *dir, char *err, size_t errlen)
{
    enum as_status st = make_dir(dir, err, errlen);
    if (st != AS_OK)
        return st;
    char probe[4096];
    snprintf(probe, sizeof probe, "%s/.ampsweep-write-test", dir);
    FILE *fp = fopen(probe, "w");
    if (!fp)
        return as_fail(err, errlen, AS_EINPUT, "%s: output folder is not writable: %s", dir,
                       strerror(errno));
    fclose(fp);
    unlink(probe);
    return AS_OK;
}

static enum as_status write_fr(const char *dir, const struct fr_table *t, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/fr.csv", dir);
    struct csv *c = NULL;
    enum as_status st = csv_open(path, FR_HEADER, &c, err, errlen);
    if (st != AS_OK)
        return st;
    for (size_t i = 0; i < t->len; i++) {
        const struct fr_row *r = &t->rows[i];
        csv_str(c, r->amp);
        csv_str(c, r->load);
        csv_num(c, r->load_ohm);
        csv_num(c, r->freq_hz);
        csv_num(c, r->gain_db);
        csv_num(c, r->dev_db);
        csv_num(c, r->zload_ohm);
        csv_num(c, r->zout_ohm);
        csv_num(c, r->damping);
        csv_int(c, r->rule8);
        csv_end_row(c);
    }
    return csv_commit(c, err, errlen);
}

/* Keep the first failure's code for the exit status. */
static void note_failure(enum as_status *worst, enum as_status st, FILE *diag, const char *msg)
{
    fprintf(diag, "ampsweep: error: %s\n", msg);
    if (*worst == AS_OK)
        *worst = st;
}

enum as_status sweep_run(const struct sweep_spec *spec, FILE *diag, char *err, size_t errlen)
{
    enum as_status worst = AS_OK, st;
    char msg[2048];
    size_t n_loads = spec->loads_ohm.count + spec->load_files.len, n_bad = 0, n_done = 0;
    struct loadfile **files = calloc(spec->load_files.len + 1, sizeof *files);
    struct load_spec *loads = calloc(n_loads + 1, sizeof *loads);
    struct fr_table table = {0};
    struct strv names = {0}, name_paths = {0};
    struct ngs *s = NULL;
    if (!files || !loads) {
        worst = as_fail(err, errlen, AS_ENOMEM, "out of memory");
        goto out;
    }
    st = probe_out_dir(spec->out_dir, err, errlen);
    if (st != AS_OK) {
        worst = st;
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < spec->loads_ohm.count; i++)
        loads[k++] = (struct load_spec){.nominal_ohm = spec->loads_ohm.values[i]};
    for (size_t i = 0; i < spec->load_files.len; i++) {
        st = loadfile_read(spec->load_files.items[i], spec->models_dir, &files[i], msg, sizeof msg);
        /* rows tell loads apart by name: resistors and each file need their own */
        if (st == AS_OK && strcmp(files[i]->name, LOAD_RESISTOR_NAME) == 0)
            st = as_fail(msg, sizeof msg, AS_EINPUT, "%s: load name '%s' is reserved for resistors",
                         files[i]->file->path, LOAD_RESISTOR_NAME);
        for (size_t j = 0; st == AS_OK && j < i; j++)
            if (strcmp(files[j]->name, files[i]->name) == 0)
                st = as_fail(msg, sizeof msg, AS_EINPUT, "%s: load name '%s' is already used by %s",
                             files[i]->file->path, files[i]->name, files[j]->file->path);
        if (st != AS_OK) {
            /* a load file is an option: without it the sweep is not what was asked */
            worst = as_fail(err, errlen, st, "%s", msg);
            goto out;
        }
        loads[k++] = (struct load_spec){.nominal_ohm = files[i]->nominal_ohm, .file = files[i]};
    }
    st = ngs_open(&s, err, errlen);
    if (st != AS_OK) {
        worst = st;
        goto out;
    }
    for (size_t i = 0; i < spec->netlists.len; i++) {
        const char *path = spec->netlists.items[i];
        struct netlist *amp = NULL;
        st = netlist_read(path, spec->models_dir, &amp, msg, sizeof msg);
        for (size_t j = 0; st == AS_OK && j < names.len; j++)
            if (strcmp(names.items[j], amp->name) == 0)
                st = as_fail(msg, sizeof msg, AS_EINPUT, "%s: amp name '%s' is already used by %s",
                             path, amp->name, name_paths.items[j]);
        if (st == AS_OK && (strv_push(&names, amp->name) || strv_push(&name_paths, path)))
            st = as_fail(msg, sizeof msg, AS_ENOMEM, "out of memory");
        if (st == AS_OK && (spec->analyses & SWEEP_FR))
            st = fr_sweep(s, amp, loads, n_loads, &spec->freqs_hz, &table, msg, sizeof msg);
        if (st == AS_OK)
            fprintf(diag, "ampsweep: [%zu/%zu] %s: done\n", i + 1, spec->netlists.len, amp->name);
        netlist_free(amp);
        if (st != AS_OK) {
            n_bad++;
            note_failure(&worst, st, diag, msg);
        } else {
            n_done++;
        }
        if (st == AS_EDEAD) {
            /* libngspice is gone for this process: say what was not run */
            for (size_t j = i + 1; j < spec->netlists.len; j++, n_bad++)
                fprintf(diag, "ampsweep: error: %s: not run: the simulator was lost\n",
                        spec->netlists.items[j]);
            break;
        }
    }
    if (spec->analyses & SWEEP_FR) {
        st = write_fr(spec->out_dir, &table, msg, sizeof msg);
        if (st != AS_OK)
            note_failure(&worst, st, diag, msg);
    }
    if (worst != AS_OK && n_bad && st == AS_OK)
        as_fail(err, errlen, worst, "%zu of %zu netlists failed; results of the other %zu written",
                n_bad, spec->netlists.len, n_done);
    else if (worst != AS_OK)
        as_fail(err, errlen, worst, "%s", msg);
out:
    ngs_free(s);
    for (size_t i = 0; files && i < spec->load_files.len; i++)
        loadfile_free(files[i]);
    free(files);
    free(loads);
    fr_table_free(&table);
    strv_free(&names);
    strv_free(&name_paths);
    return worst;
}

void sweep_spec_free(struct sweep_spec *spec)
{
    if (!spec)
        return;
    range_free(&spec->loads_ohm);
    range_free(&spec->freqs_hz);
    strv_free(&spec->load_files);
    strv_free(&spec->netlists);
}
