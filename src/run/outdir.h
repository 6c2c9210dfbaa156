/* outdir: the output folder, made and tried before any simulation, so a
 * folder that cannot take files costs a message at once and not the sweep's
 * results after an hour of work.
 */
#ifndef AMPSWEEP_OUTDIR_H
#define AMPSWEEP_OUTDIR_H

#include <stddef.h>

#include "base/status.h"

/* Make dir and its parents as needed, then write and remove a probe file in
 * it. Hands out nothing; dir is only read. AS_EINPUT with a message naming
 * the folder when it cannot be made or written. */
enum as_status outdir_probe(const char *dir, char *err, size_t errlen);

#endif
