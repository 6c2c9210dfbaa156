/* paths: where the tool finds its own files. An installed ampsweep finds its
 * models beside its binary (BIN/../share/ampsweep/models, wherever the tree
 * was installed or moved); a binary run from its build folder uses the
 * source tree's models/.
 */
#ifndef AMPSWEEP_PATHS_H
#define AMPSWEEP_PATHS_H

/* The models folder: the installed one if this binary has one, else the
 * source tree's. Static storage, valid for the life of the process. */
const char *paths_models_dir(void);

#endif
