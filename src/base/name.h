/* name: how long an amp's or a load's name may be. Names become file names,
 * CSV cells and JSON strings, so every layer that holds one sizes its
 * buffer from here (spice/netlist.h checks them). */
#ifndef AMPSWEEP_NAME_H
#define AMPSWEEP_NAME_H

#define AS_NAME_MAX 64

#endif
