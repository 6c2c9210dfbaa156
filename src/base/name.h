/* name: how long an amp's or a load's name may be. Names become file names,
 * CSV cells and JSON strings, so every layer that holds one sizes its
 * buffer from here (spice/netlist.h checks them). */
#ifndef AMPSWEEP_NAME_H
#define AMPSWEEP_NAME_H

#define AS_NAME_MAX 64

/* The load name of a plain resistor in results (a load file has its own
 * name, which may not be this one). */
#define AS_LOAD_RESISTOR "resistor"

/* The kinds of amp (a netlist's "*@ kind", summary.json's "kind"). */
#define AS_AMP_HEADPHONE "headphone"
#define AS_AMP_POWER "power"
#define AS_AMP_BOTH "both" /* no *@ kind: judged as either */

#endif
