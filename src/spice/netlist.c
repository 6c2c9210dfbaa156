/* netlist: interpret an amp netlist's metadata and check it against the
 * convention of docs/netlists.md: input node "in", output node "out", named
 * supplies and output devices that exist, no reserved harness names. The
 * scanning itself (and every refusal of unsafe content) is spfile's job. */
#include "spice/netlist.h"

#include <assert.h>
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum as_status netlist_take_name(const struct spfile *f, const struct spfile_meta *m,
                                 char dst[NETLIST_NAME_MAX + 1], char *err, size_t errlen)
{
    size_t n = strlen(m->value);
    int ok = n > 0 && n <= NETLIST_NAME_MAX;
    for (const char *p = m->value; ok && *p; p++)
        ok = isalnum((unsigned char)*p) || strchr("_-.", *p);
    if (!ok)
        return as_fail(err, errlen, AS_EINPUT,
                       "%s:%d: name '%s' must be 1 to %d letters, digits, '_', '-' or '.'", f->path,
                       m->line, m->value, NETLIST_NAME_MAX);
    memcpy(dst, m->value, n + 1);
    return AS_OK;
}

const char *netlist_kind_name(enum netlist_kind kind)
{
    assert(kind == NETLIST_HEADPHONE || kind == NETLIST_POWER || kind == NETLIST_BOTH);
    return kind == NETLIST_POWER  ? AS_AMP_POWER
           : kind == NETLIST_BOTH ? AS_AMP_BOTH
                                  : AS_AMP_HEADPHONE;
}

static enum as_status parse_device(struct netlist *n, const struct spfile_meta *m, char *err,
                                   size_t errlen)
{
    const char *path = n->file->path;
    char *copy = strdup(m->value);
    if (!copy)
        return AS_ENOMEM;
    enum as_status st = AS_OK;
    struct netlist_device d = {.line = m->line, .tj_max_c = NAN, .rth_ja_k_per_w = NAN};
    char *save = NULL;
    char *inst = strtok_r(copy, " \t", &save);
    for (char *kv = strtok_r(NULL, " \t", &save); kv && st == AS_OK;
         kv = strtok_r(NULL, " \t", &save)) {
        char *eq = strchr(kv, '=');
        char *end = NULL;
        double v = eq ? strtod(eq + 1, &end) : NAN;
        if (!eq || end == eq + 1 || *end || !isfinite(v) || v <= 0) {
            st = as_fail(err, errlen, AS_EINPUT,
                         "%s:%d: device parameter '%s' needs the form name=positive-number", path,
                         m->line, kv);
            break;
        }
        *eq = '\0';
        if (strcmp(kv, "tj_max_c") == 0)
            d.tj_max_c = v;
        else if (strcmp(kv, "rth_ja_k_per_w") == 0)
            d.rth_ja_k_per_w = v;
        else
            st = as_fail(err, errlen, AS_EINPUT,
                         "%s:%d: unknown device parameter '%s' (known: tj_max_c, rth_ja_k_per_w)",
                         path, m->line, kv);
    }
    if (st == AS_OK && (isnan(d.tj_max_c) || isnan(d.rth_ja_k_per_w)))
        st = as_fail(err, errlen, AS_EINPUT,
                     "%s:%d: device needs 'INSTANCE tj_max_c=... rth_ja_k_per_w=...'", path,
                     m->line);
    const struct spfile_elem *e = st == AS_OK ? spfile_find_elem(n->file, inst) : NULL;
    if (st == AS_OK && !e)
        st = as_fail(err, errlen, AS_EINPUT, "%s:%d: device '%s' is not a top-level instance", path,
                     m->line, inst);
    if (st == AS_OK && n->n_devices == NETLIST_MAX_DEVICES)
        st = as_fail(err, errlen, AS_EINPUT, "%s:%d: more than %d devices listed", path, m->line,
                     NETLIST_MAX_DEVICES);
    for (size_t i = 0; st == AS_OK && i < n->n_devices; i++)
        if (strcasecmp(n->devices[i].name, inst) == 0)
            st = as_fail(err, errlen, AS_EINPUT, "%s:%d: device '%s' is listed twice", path,
                         m->line, inst);
    if (st == AS_OK) {
        struct netlist_device *g = realloc(n->devices, (n->n_devices + 1) * sizeof *g);
        d.name = strdup(e->name); /* lower-case already */
        if (!g || !d.name) {
            free(d.name);
            if (g)
                n->devices = g;
            st = AS_ENOMEM;
        } else {
            n->devices = g;
            n->devices[n->n_devices++] = d;
        }
    }
    free(copy);
    return st;
}

static enum as_status parse_supply(struct netlist *n, const struct spfile_meta *m, char *err,
                                   size_t errlen)
{
    const char *path = n->file->path;
    const struct spfile_elem *e = spfile_find_elem(n->file, m->value);
    if (!e || e->name[0] != 'v' || e->tokens.len < 2)
        return as_fail(err, errlen, AS_EINPUT,
                       "%s:%d: supply '%s' is not a top-level voltage source (V...)", path, m->line,
                       m->value);
    for (size_t i = 0; i < n->n_supplies; i++)
        if (strcmp(n->supplies[i].name, e->name) == 0)
            return as_fail(err, errlen, AS_EINPUT, "%s:%d: supply '%s' is listed twice", path,
                           m->line, m->value);
    struct netlist_supply *g = realloc(n->supplies, (n->n_supplies + 1) * sizeof *g);
    if (!g)
        return AS_ENOMEM;
    n->supplies = g;
    struct netlist_supply s = {.name = strdup(e->name),
                               .node_pos = strdup(e->tokens.items[0]),
                               .node_neg = strdup(e->tokens.items[1]),
                               .line = m->line};
    if (!s.name || !s.node_pos || !s.node_neg) {
        free(s.name);
        free(s.node_pos);
        free(s.node_neg);
        return AS_ENOMEM;
    }
    n->supplies[n->n_supplies++] = s;
    return AS_OK;
}

/* Lines of the metadata keys that may appear once (0: not yet seen). */
struct seen_once {
    int name, kind, source, compat;
};

static enum as_status parse_compat(struct netlist *n, const struct spfile_meta *m, char *err,
                                   size_t errlen)
{
    static const char *const modes[] = {NETLIST_COMPAT_MODES, NULL};
    for (const char *const *p = modes; *p; p++)
        if (strcmp(m->value, *p) == 0) {
            snprintf(n->compat, sizeof n->compat, "%s", *p);
            return AS_OK;
        }
    return as_fail(err, errlen, AS_EINPUT,
                   "%s:%d: compat '%s' is not an ngspice compatibility mode ampsweep knows (lt, "
                   "lta, ps, psa, ltps, ltpsa, hs, hsa, ki)",
                   n->file->path, m->line, m->value);
}

static enum as_status parse_kind(struct netlist *n, const struct spfile_meta *m, char *err,
                                 size_t errlen)
{
    if (strcmp(m->value, AS_AMP_HEADPHONE) == 0)
        n->kind = NETLIST_HEADPHONE;
    else if (strcmp(m->value, AS_AMP_POWER) == 0)
        n->kind = NETLIST_POWER;
    else
        return as_fail(err, errlen, AS_EINPUT, "%s:%d: kind '%s' must be 'headphone' or 'power'",
                       n->file->path, m->line, m->value);
    return AS_OK;
}

/* Take one metadata line into n. */
static enum as_status take_meta(struct netlist *n, const struct spfile_meta *m,
                                struct seen_once *seen, char *err, size_t errlen)
{
    const struct spfile *f = n->file;
    enum as_status st = AS_OK;
    if (strcmp(m->key, "name") == 0) {
        st = spfile_meta_once(f, m, &seen->name, err, errlen);
        if (st == AS_OK)
            st = netlist_take_name(f, m, n->name, err, errlen);
    } else if (strcmp(m->key, "kind") == 0) {
        st = spfile_meta_once(f, m, &seen->kind, err, errlen);
        if (st == AS_OK)
            st = parse_kind(n, m, err, errlen);
    } else if (strcmp(m->key, "source") == 0) {
        st = spfile_meta_once(f, m, &seen->source, err, errlen);
        if (st == AS_OK && !(n->source = strdup(m->value)))
            st = AS_ENOMEM;
    } else if (strcmp(m->key, "compat") == 0) {
        st = spfile_meta_once(f, m, &seen->compat, err, errlen);
        if (st == AS_OK)
            st = parse_compat(n, m, err, errlen);
    } else if (strcmp(m->key, "supply") == 0) {
        st = parse_supply(n, m, err, errlen);
    } else if (strcmp(m->key, "device") == 0) {
        st = parse_device(n, m, err, errlen);
    } else {
        st = as_fail(err, errlen, AS_EINPUT,
                     "%s:%d: unknown metadata key '%s' (known: name, kind, source, supply, "
                     "device, compat)",
                     f->path, m->line, m->key);
    }
    return st;
}

/* The name of a netlist with no '*@ name': its file's, without folder and
 * extension ("amps/my_amp.cir" is my_amp). */
static enum as_status name_from_file(struct netlist *n, char *err, size_t errlen)
{
    const char *path = n->file->path, *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t len = dot && dot > base ? (size_t)(dot - base) : strlen(base);
    char value[NETLIST_NAME_MAX + 2];
    snprintf(value, sizeof value, "%.*s", (int)(len < sizeof value - 1 ? len : sizeof value - 1),
             base);
    struct spfile_meta m = {.key = "name", .value = value, .line = 0};
    if (len > NETLIST_NAME_MAX || netlist_take_name(n->file, &m, n->name, err, errlen) != AS_OK)
        return as_fail(err, errlen, AS_EINPUT,
                       "%s: no '*@ name = ...' and the file's name '%.*s' is no usable name (1 to "
                       "%d letters, digits, '_', '-' or '.')",
                       path, (int)len, base, NETLIST_NAME_MAX);
    return AS_OK;
}

/* A missing kind is both (the amp is held to the headphone and the power
 * amps' claims), a missing name the file's, a missing source a note
 * (n->source_missing). */
static enum as_status check_required(struct netlist *n, const struct seen_once *seen, char *err,
                                     size_t errlen)
{
    if (!seen->source) {
        n->source_missing = 1;
        n->source = strdup("(not given: no '*@ source' line)");
        if (!n->source)
            return AS_ENOMEM;
    }
    if (!seen->kind)
        n->kind = NETLIST_BOTH;
    return seen->name ? AS_OK : name_from_file(n, err, errlen);
}

/* No part is listed both as a device and as a supply. */
static enum as_status check_devices_are_not_supplies(const struct netlist *n, char *err,
                                                     size_t errlen)
{
    for (size_t i = 0; i < n->n_devices; i++)
        for (size_t k = 0; k < n->n_supplies; k++)
            if (strcmp(n->devices[i].name, n->supplies[k].name) == 0)
                return as_fail(err, errlen, AS_EINPUT,
                               "%s:%d: '%s' is listed as a supply; a device is a part that "
                               "dissipates (a transistor, an op-amp section), not a source",
                               n->file->path, n->devices[i].line, n->devices[i].name);
    return AS_OK;
}

/* No instance or node name of the harness's own. */
static enum as_status check_reserved_names(const struct spfile *f, char *err, size_t errlen)
{
    for (size_t i = 0; i < f->n_elems; i++)
        if (strncmp(f->elems[i].name + 1, NETLIST_HARNESS_PREFIX, strlen(NETLIST_HARNESS_PREFIX)) ==
            0)
            return as_fail(err, errlen, AS_EINPUT,
                           "%s:%d: instance name '%s' is reserved for the harness (names whose "
                           "second letter starts '" NETLIST_HARNESS_PREFIX "')",
                           f->path, f->elems[i].line, f->elems[i].name);
    const char *node = spfile_node_with_prefix(f, NETLIST_HARNESS_PREFIX);
    if (node)
        return as_fail(err, errlen, AS_EINPUT,
                       "%s: node name '%s' is reserved for the harness (names that start "
                       "'" NETLIST_HARNESS_PREFIX "')",
                       f->path, node);
    return AS_OK;
}

/* Some top-level element connects to node (in or out). */
static enum as_status check_node(const struct spfile *f, const char *node, const char *what,
                                 char *err, size_t errlen)
{
    if (!spfile_uses_node(f, node))
        return as_fail(err, errlen, AS_EINPUT,
                       "%s: no top-level element connects to node '%s' (the harness %s there)",
                       f->path, node, what);
    return AS_OK;
}

/* Every problem of the file: st of one check; an input problem is added to
 * err (one line each) and the checks go on, anything else ends them. */
struct problems {
    char *err;
    size_t errlen, used;
    int n;
};

static enum as_status add_problem(struct problems *p, enum as_status st, const char *msg)
{
    if (st != AS_EINPUT)
        return st;
    if (p->used < p->errlen) {
        int k = snprintf(p->err + p->used, p->errlen - p->used, "%s%s", p->n ? "\n" : "", msg);
        p->used += k > 0 ? (size_t)k : 0;
    }
    p->n++;
    return AS_OK;
}

/* Take every metadata line into n, then check n against the convention. */
static enum as_status interpret(struct netlist *n, char *err, size_t errlen)
{
    const struct spfile *f = n->file;
    struct seen_once seen = {0};
    struct problems p = {.err = err, .errlen = errlen};
    char one[1024];
    enum as_status st = AS_OK;
    if (errlen)
        err[0] = '\0';
    for (size_t i = 0; i < f->n_meta && st == AS_OK; i++)
        st = add_problem(&p, take_meta(n, &f->meta[i], &seen, one, sizeof one), one);
    if (st == AS_OK)
        st = add_problem(&p, check_required(n, &seen, one, sizeof one), one);
    if (st == AS_OK)
        st = add_problem(&p, check_devices_are_not_supplies(n, one, sizeof one), one);
    if (st == AS_OK)
        st = add_problem(&p, check_reserved_names(f, one, sizeof one), one);
    if (st == AS_OK)
        st = add_problem(&p, check_node(f, "in", "drives the input", one, sizeof one), one);
    if (st == AS_OK)
        st = add_problem(&p, check_node(f, "out", "loads the output", one, sizeof one), one);
    return st != AS_OK ? st : p.n ? AS_EINPUT : AS_OK;
}

enum as_status netlist_read(const char *path, const struct spfile_places *places,
                            struct netlist **out, char *err, size_t errlen)
{
    *out = NULL;
    struct netlist *n = calloc(1, sizeof *n);
    if (!n)
        return as_fail(err, errlen, AS_ENOMEM, "%s: out of memory", path);
    enum as_status st = spfile_read(path, 1, places, &n->file, err, errlen);
    if (st == AS_OK)
        st = interpret(n, err, errlen);
    if (st == AS_ENOMEM)
        as_fail(err, errlen, st, "%s: out of memory", path);
    if (st != AS_OK) {
        netlist_free(n);
        return st;
    }
    *out = n;
    return AS_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum as_status collect_dir(const char *dir, struct strv *out, char *err, size_t errlen)
{
    DIR *d = opendir(dir);
    if (!d)
        return as_fail(err, errlen, AS_EINPUT, "%s: cannot open folder: %s", dir, strerror(errno));
    struct strv found = {0};
    enum as_status st = AS_OK;
    for (struct dirent *e = readdir(d); e && st == AS_OK; e = readdir(d)) {
        if (e->d_name[0] == '.')
            continue;
        size_t n = strlen(e->d_name);
        struct stat sb;
        char *full = NULL;
        if (asprintf(&full, "%s/%s", dir, e->d_name) < 0) {
            st = AS_ENOMEM;
            break;
        }
        /* lstat: a symlinked folder is not descended into (no loops) */
        if (lstat(full, &sb) == 0 &&
            (S_ISDIR(sb.st_mode) || (n > 4 && strcmp(e->d_name + n - 4, ".cir") == 0)))
            st = strv_push(&found, full);
        free(full);
    }
    closedir(d);
    if (found.len)
        qsort(found.items, found.len, sizeof *found.items, cmp_str);
    for (size_t i = 0; i < found.len && st == AS_OK; i++) {
        struct stat sb;
        if (lstat(found.items[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            st = collect_dir(found.items[i], out, err, errlen);
        else
            st = strv_push(out, found.items[i]);
    }
    strv_free(&found);
    return st;
}

enum as_status netlist_collect(char *const *args, size_t n_args, struct strv *out, char *err,
                               size_t errlen)
{
    for (size_t i = 0; i < n_args; i++) {
        struct stat sb;
        enum as_status st;
        if (stat(args[i], &sb) == 0 && S_ISDIR(sb.st_mode))
            st = collect_dir(args[i], out, err, errlen);
        else
            st = strv_push(out, args[i]); /* a missing file is reported when it is read */
        if (st != AS_OK)
            return st;
    }
    return AS_OK;
}

void netlist_free(struct netlist *n)
{
    if (!n)
        return;
    for (size_t i = 0; i < n->n_supplies; i++) {
        free(n->supplies[i].name);
        free(n->supplies[i].node_pos);
        free(n->supplies[i].node_neg);
    }
    for (size_t i = 0; i < n->n_devices; i++)
        free(n->devices[i].name);
    free(n->supplies);
    free(n->devices);
    free(n->source);
    spfile_free(n->file);
    free(n);
}
