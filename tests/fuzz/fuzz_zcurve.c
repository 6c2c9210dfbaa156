/* libFuzzer target: the impedance-curve reader (--load-file SPEAKER.zma). */
#include <math.h>
#include <string.h>

#include "fuzz_common.h"
#include "spice/zcurve.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *path = fuzz_file(data, size);
    struct zcurve *c = NULL;
    char err[1024] = "";
    enum as_status st = zcurve_read(path, &c, err, sizeof err);
    if (st != AS_OK && (!err[0] || strncmp(err, path, strlen(path)) != 0))
        abort();
    for (size_t i = 0; c && i < c->n; i++) /* what the reader promises */
        if (!(c->freq_hz[i] > 0 && c->mag_ohm[i] > 0 && fabs(c->phase_deg[i]) <= 180) ||
            (i && !(c->freq_hz[i] > c->freq_hz[i - 1])) || isnan(zcurve_mag_at(c, c->freq_hz[i])))
            abort();
    zcurve_free(c);
    return 0;
}
