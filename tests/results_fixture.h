/* A hand-made results folder for the plot, failure-map and report tests:
 * two amps ("hp'<b>&", a headphone amp whose name tries HTML and gnuplot
 * quoting, and "pw", a power amp) into 8 and 32 ohm at 100 Hz and 10 kHz,
 * one large-signal frequency (1 kHz). Every first failing criterion
 * appears once on the failure map:
 *   hp 8 ohm   power at both frequencies (0.16 W, needs 79.8 W)
 *   hp 32 ohm  pass at 100 Hz, fr_deviation at 10 kHz (-1.5 dB)
 *   pw 8 ohm   damping at 100 Hz (|Zout| 2 ohm), pass at 10 kHz
 *   pw 32 ohm  thermal at both (200 C, tj_max 150 C)
 */
#ifndef AMPSWEEP_RESULTS_FIXTURE_H
#define AMPSWEEP_RESULTS_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>

#define FX_HP "hp'<b>&"

static inline void fx_file(const char *dir, const char *name, const char *text)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    if (!fp)
        abort();
    fputs(text, fp);
    fclose(fp);
}

/* Write the folder dir (made if missing). */
static inline void fx_write(const char *dir)
{
    mkdir(dir, 0777);
    fx_file(dir, "fr.csv",
            "amp,load,load_ohm,freq_hz,gain_db,dev_db,zload_ohm,zout_ohm,damping,rule8,vnoise_uv,vnoise_a_uv\n"
            "hp'<b>&,resistor,8,100,0,-0.1,8,2,4,0,1.1,0.87\n"
            "hp'<b>&,resistor,8,10000,0,-1.5,8,2,4,0,1.1,0.87\n"
            "hp'<b>&,resistor,32,100,0,0,32,2,16,1,1.1,0.87\n"
            "hp'<b>&,resistor,32,10000,0,-1.5,32,2,16,1,1.1,0.87\n"
            "pw,resistor,8,100,0,0,8,2,4,0,1.1,0.87\n"
            "pw,resistor,8,10000,0,0,8,0.01,800,1,1.1,0.87\n"
            "pw,resistor,32,100,0,0,32,0.01,3200,1,1.1,0.87\n"
            "pw,resistor,32,10000,0,0,32,0.01,3200,1,1.1,0.87\n");
    fx_file(dir, "power.csv",
            "amp,load,load_ohm,freq_hz,p_max_w,vout_rms_v,iout_pk_a,thd_pct,vout_dc_v,limit,runs\n"
            "hp'<b>&,resistor,8,1000,0.16,1.1,0.2,0.99,0.001,current,7\n"
            "hp'<b>&,resistor,32,1000,0.5,4,0.18,0.95,0.001,current,7\n"
            "pw,resistor,8,1000,100,28,5,0.9,-0.002,voltage,5\n"
            "pw,resistor,32,1000,50,40,1.8,0.8,-0.002,voltage,5\n");
    fx_file(dir, "dissipation.csv",
            "amp,load,load_ohm,freq_hz,device,p_quiescent_w,p_at_max_w,p_eighth_w,p_worst_w,tj_"
            "eighth_c,"
            "tj_worst_c,tj_max_c\n"
            "hp'<b>&,resistor,8,1000,total,0.2,1.5,0.5667,1.5,nan,nan,nan\n"
            "hp'<b>&,resistor,8,1000,q1,0.04,0.7,0.2467,0.7,46.1,85,150\n"
            "hp'<b>&,resistor,32,1000,total,0.2,1,0.4,1,nan,nan,nan\n"
            "hp'<b>&,resistor,32,1000,q1,0.04,0.4,0.1467,0.4,37.8,60,150\n"
            "pw,resistor,8,1000,total,1,30,10.3333,30,nan,nan,nan\n"
            "pw,resistor,8,1000,q1,0.5,10,3.5,10,51.2,100,150\n"
            "pw,resistor,32,1000,total,1,20,7.0,20,nan,nan,nan\n"
            "pw,resistor,32,1000,q1,0.5,17,5.8333,17,85.0,200,150\n");
    fx_file(dir, "verdict.csv",
            "amp,load,load_ohm,profile,criterion,value,limit,pass\n"
            "hp'<b>&,resistor,8,speaker,power,0.16,79.8,0\n"
            "hp'<b>&,resistor,8,speaker,fr_deviation,1.4,1,0\n"
            "hp'<b>&,resistor,8,speaker,damping,4,8,0\n"
            "hp'<b>&,resistor,8,speaker,thermal,85,150,1\n"
            "hp'<b>&,resistor,32,headphone,power,0.5,0.0316,1\n"
            "hp'<b>&,resistor,32,headphone,fr_deviation,1.5,1,0\n"
            "hp'<b>&,resistor,32,headphone,damping,16,8,1\n"
            "hp'<b>&,resistor,32,headphone,thermal,60,150,1\n"
            "pw,resistor,8,speaker,power,100,79.8,1\n"
            "pw,resistor,8,speaker,fr_deviation,0,1,1\n"
            "pw,resistor,8,speaker,damping,4,8,0\n"
            "pw,resistor,8,speaker,thermal,100,150,1\n"
            "pw,resistor,32,headphone,power,50,0.0316,1\n"
            "pw,resistor,32,headphone,fr_deviation,0,1,1\n"
            "pw,resistor,32,headphone,damping,3200,8,1\n"
            "pw,resistor,32,headphone,thermal,200,150,0\n");
    fx_file(dir, "summary.json",
            "{\"settings\":{\"analyses\":[\"fr\",\"large\"],\"loads_ohm\":[8,32],"
            "\"load_files\":[],\"freqs_hz\":[100,10000],\"tran_freqs_hz\":[1000],"
            "\"thd_limit_pct\":1,\"ambient_c\":25,\"profile\":\"auto\","
            "\"speaker\":{\"sensitivity_db_spl_w\":87,\"distance_m\":2,\"stereo_pair_gain_db\":3,"
            "\"room_gain_db\":3,"
            "\"target_spl_db\":100},"
            "\"headphone\":{\"sensitivity_db_spl_mw\":100,\"target_spl_db\":115},"
            "\"max_dev_db\":1},\n"
            "\"amps\":[{\"name\":\"hp'<b>&\",\"netlist\":\"n/<i>hp.cir\",\"kind\":\"headphone\","
            "\"source\":\"<script>alert(1)</script>\",\"loads\":["
            "{\"load\":\"resistor\",\"load_ohm\":8,\"profile\":\"speaker\","
            "\"verdict\":\"delivers 160 mW into 8 ohm, needs 79.8 W <short>\",\"pass\":false,"
            "\"p_required_w\":79.8,\"p_available_w\":0.16,\"spl_db\":73,"
            "\"criteria\":{\"power\":{\"pass\":false},\"fr_deviation\":{\"pass\":false},"
            "\"damping\":{\"pass\":false},\"thermal\":{\"pass\":true}}},"
            "{\"load\":\"resistor\",\"load_ohm\":32,\"profile\":\"headphone\","
            "\"verdict\":\"delivers 500 mW into 32 ohm\",\"pass\":false,"
            "\"p_required_w\":0.0316,\"p_available_w\":0.5,\"spl_db\":127,"
            "\"criteria\":{\"power\":{\"pass\":true},\"fr_deviation\":{\"pass\":false},"
            "\"damping\":{\"pass\":true},\"thermal\":{\"pass\":true}}}]},\n"
            "{\"name\":\"pw\",\"netlist\":\"n/pw.cir\",\"kind\":\"power\",\"source\":\"test\","
            "\"loads\":["
            "{\"load\":\"resistor\",\"load_ohm\":8,\"profile\":\"speaker\","
            "\"verdict\":\"delivers 100 W into 8 ohm\",\"pass\":false,"
            "\"p_required_w\":79.8,\"p_available_w\":100,\"spl_db\":101,"
            "\"criteria\":{\"power\":{\"pass\":true},\"fr_deviation\":{\"pass\":true},"
            "\"damping\":{\"pass\":false},\"thermal\":{\"pass\":true}}},"
            "{\"load\":\"resistor\",\"load_ohm\":32,\"profile\":\"headphone\","
            "\"verdict\":\"delivers 50 W into 32 ohm\",\"pass\":false,"
            "\"p_required_w\":0.0316,\"p_available_w\":50,\"spl_db\":147,"
            "\"criteria\":{\"power\":{\"pass\":true},\"fr_deviation\":{\"pass\":true},"
            "\"damping\":{\"pass\":true},\"thermal\":{\"pass\":false}}}]}],\n"
            "\"failed\":[{\"netlist\":\"bad<x>.cir\",\"error\":\"bad & broken\"}]}\n");
}

#endif
