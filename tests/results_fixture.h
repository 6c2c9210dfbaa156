/* A hand-made results folder for the plot, failure-map and report tests:
 * two amps ("hp'<b>&", a headphone amp whose name tries HTML and gnuplot
 * quoting, and "pw", a power amp) into 8 and 32 ohm, and hp also into
 * 15.8489 ohm (a log-spaced load, judged both as a speaker and as a
 * headphone), at 100 Hz and 10 kHz, one large-signal frequency (1 kHz).
 * The verdicts follow docs/metrics.md's defaults: a speaker needs 19.95 W
 * (87 dB/W, 2 m, +3 +3 dB, 100 dB), a headphone 10 mW (100 dB/mW, 110 dB).
 * Every first failing criterion but dc_offset appears once on the map:
 *   hp 8 ohm     power at both frequencies (0.16 W: 79 dB, current limit)
 *   hp 15.8 ohm  speaker: power (0.3 W: 82 dB); headphone: pass (125 dB)
 *   hp 32 ohm    pass at 100 Hz, fr_deviation at 10 kHz (-1.5 dB)
 *   pw 8 ohm     damping at 100 Hz (|Zout| 2 ohm), pass at 10 kHz
 *   pw 32 ohm    thermal at both (200 C at 1/8 power, tj_max 150 C)
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
            "hp'<b>&,resistor,15.8489,100,0,0,15.8489,1.9,8.34,1,1.1,0.87\n"
            "hp'<b>&,resistor,15.8489,10000,0,-0.1,15.8489,1.9,8.34,1,1.1,0.87\n"
            "hp'<b>&,resistor,32,100,0,0,32,2,16,1,1.1,0.87\n"
            "hp'<b>&,resistor,32,10000,0,-1.5,32,2,16,1,1.1,0.87\n"
            "pw,resistor,8,100,0,0,8,2,4,0,1.1,0.87\n"
            "pw,resistor,8,10000,0,0,8,0.01,800,1,1.1,0.87\n"
            "pw,resistor,32,100,0,0,32,0.01,3200,1,1.1,0.87\n"
            "pw,resistor,32,10000,0,0,32,0.01,3200,1,1.1,0.87\n");
    fx_file(dir, "power.csv",
            "amp,load,load_ohm,freq_hz,p_max_w,vout_rms_v,iout_pk_a,thd_pct,vout_dc_v,limit,runs\n"
            "hp'<b>&,resistor,8,1000,0.16,1.1,0.2,0.99,0.001,current,7\n"
            "hp'<b>&,resistor,15.8489,1000,0.3,2.18,0.195,0.97,0.001,current,7\n"
            "hp'<b>&,resistor,32,1000,0.5,4,0.18,0.95,0.001,current,7\n"
            "pw,resistor,8,1000,100,28,5,0.9,-0.002,voltage,5\n"
            "pw,resistor,32,1000,50,40,1.8,0.8,-0.002,voltage,5\n");
    fx_file(dir, "dissipation.csv",
            "amp,load,load_ohm,freq_hz,device,p_quiescent_w,p_at_max_w,p_eighth_w,p_worst_w,"
            "tj_eighth_c,tj_worst_c,tj_max_c\n"
            "hp'<b>&,resistor,8,1000,total,0.2,1.5,0.5667,1.5,nan,nan,nan\n"
            "hp'<b>&,resistor,8,1000,q1,0.04,0.7,0.2467,0.7,46.1,85,150\n"
            "hp'<b>&,resistor,15.8489,1000,total,0.2,1.2,0.5,1.2,nan,nan,nan\n"
            "hp'<b>&,resistor,15.8489,1000,q1,0.04,0.55,0.2,0.55,42,72,150\n"
            "hp'<b>&,resistor,32,1000,total,0.2,1,0.4,1,nan,nan,nan\n"
            "hp'<b>&,resistor,32,1000,q1,0.04,0.4,0.1467,0.4,37.8,60,150\n"
            "pw,resistor,8,1000,total,1,30,10.3333,30,nan,nan,nan\n"
            "pw,resistor,8,1000,q1,0.5,10,3.5,10,51.2,100,150\n"
            "pw,resistor,32,1000,total,1,20,7.0,20,nan,nan,nan\n"
            "pw,resistor,32,1000,q1,0.5,17,5.8333,17,200,300,150\n");
    fx_file(dir, "verdict.csv",
            "amp,load,load_ohm,profile,criterion,value,limit,pass\n"
            "hp'<b>&,resistor,8,speaker,power,0.16,19.95,0\n"
            "hp'<b>&,resistor,8,speaker,fr_deviation,1.4,1,0\n"
            "hp'<b>&,resistor,8,speaker,damping,4,8,0\n"
            "hp'<b>&,resistor,8,speaker,thermal,46.1,150,1\n"
            "hp'<b>&,resistor,8,speaker,dc_offset,0.001,0.05,1\n"
            "hp'<b>&,resistor,8,speaker,hiss,-5,8,1\n"
            "hp'<b>&,resistor,15.8489,speaker,power,0.3,19.95,0\n"
            "hp'<b>&,resistor,15.8489,speaker,fr_deviation,0.1,1,1\n"
            "hp'<b>&,resistor,15.8489,speaker,damping,8.34,8,1\n"
            "hp'<b>&,resistor,15.8489,speaker,thermal,42,150,1\n"
            "hp'<b>&,resistor,15.8489,speaker,dc_offset,0.001,0.05,1\n"
            "hp'<b>&,resistor,15.8489,speaker,hiss,-5,8,1\n"
            "hp'<b>&,resistor,15.8489,headphone,power,0.3,0.01,1\n"
            "hp'<b>&,resistor,15.8489,headphone,fr_deviation,0.1,1,1\n"
            "hp'<b>&,resistor,15.8489,headphone,damping,8.34,8,1\n"
            "hp'<b>&,resistor,15.8489,headphone,thermal,42,150,1\n"
            "hp'<b>&,resistor,15.8489,headphone,dc_offset,0.001,0.02,1\n"
            "hp'<b>&,resistor,15.8489,headphone,hiss,-5,8,1\n"
            "hp'<b>&,resistor,32,headphone,power,0.5,0.01,1\n"
            "hp'<b>&,resistor,32,headphone,fr_deviation,1.5,1,0\n"
            "hp'<b>&,resistor,32,headphone,damping,16,8,1\n"
            "hp'<b>&,resistor,32,headphone,thermal,37.8,150,1\n"
            "hp'<b>&,resistor,32,headphone,dc_offset,0.001,0.02,1\n"
            "hp'<b>&,resistor,32,headphone,hiss,-5,8,1\n"
            "pw,resistor,8,speaker,power,100,19.95,1\n"
            "pw,resistor,8,speaker,fr_deviation,0,1,1\n"
            "pw,resistor,8,speaker,damping,4,8,0\n"
            "pw,resistor,8,speaker,thermal,51.2,150,1\n"
            "pw,resistor,8,speaker,dc_offset,0.002,0.05,1\n"
            "pw,resistor,8,speaker,hiss,-5,8,1\n"
            "pw,resistor,32,headphone,power,50,0.01,1\n"
            "pw,resistor,32,headphone,fr_deviation,0,1,1\n"
            "pw,resistor,32,headphone,damping,3200,8,1\n"
            "pw,resistor,32,headphone,thermal,200,150,0\n"
            "pw,resistor,32,headphone,dc_offset,0.002,0.02,1\n"
            "pw,resistor,32,headphone,hiss,-5,8,1\n");
#define FX_CRIT(p, f, d, t, dc)                                                                    \
    "\"criteria\":{\"power\":{\"pass\":" p "},\"fr_deviation\":{\"pass\":" f                       \
    "},\"damping\":{\"pass\":" d "},\"thermal\":{\"pass\":" t "},\"dc_offset\":{\"pass\":" dc      \
    "},\"hiss\":{\"pass\":true}}}"
    fx_file(
        dir, "summary.json",
        "{\"settings\":{\"analyses\":[\"fr\",\"large\"],\"loads_ohm\":[8,15.8489,32],"
        "\"load_files\":[],\"freqs_hz\":[100,10000],\"tran_freqs_hz\":[1000],"
        "\"thd_limit_pct\":1,\"ambient_c\":25,\"profile\":\"auto\","
        "\"speaker\":{\"sensitivity_db_spl_w\":87,\"distance_m\":2,\"stereo_pair_gain_db\":3,"
        "\"room_gain_db\":3,\"target_spl_db\":100},"
        "\"headphone\":{\"sensitivity_db_spl_mw\":100,\"target_spl_db\":110},"
        "\"max_dev_db\":1},\n"
        "\"amps\":[{\"name\":\"hp'<b>&\",\"netlist\":\"n/<i>hp.cir\",\"kind\":\"headphone\","
        "\"source\":\"<script>alert(1)</script>\",\"loads\":["
        "{\"load\":\"resistor\",\"load_ohm\":8,\"profile\":\"speaker\","
        "\"verdict\":\"79 dB peaks at 2 m (too quiet): no, output current limits at 160 mW "
        "(needs 20 W) <short>\",\"pass\":false,"
        "\"p_required_w\":19.95,\"p_available_w\":0.16,\"spl_db\":79.04,\"tier\":\"too quiet\","
        "\"limit\":\"current\"," FX_CRIT(
            "false", "false", "false", "true",
            "true") ","
                    "{\"load\":\"resistor\",\"load_ohm\":15.8489,\"profile\":\"speaker\","
                    "\"verdict\":\"82 dB peaks at 2 m (background): no, output current limits at "
                    "300 mW "
                    "(needs 20 W)\",\"pass\":false,"
                    "\"p_required_w\":19.95,\"p_available_w\":0.3,\"spl_db\":81.77,\"tier\":"
                    "\"background\","
                    "\"limit\":\"current\"," FX_CRIT(
                        "false", "true", "true", "true",
                        "true") ","
                                "{\"load\":\"resistor\",\"load_ohm\":15.8489,\"profile\":"
                                "\"headphone\","
                                "\"verdict\":\"125 dB peaks (reference): yes\",\"pass\":true,"
                                "\"p_required_w\":0.01,\"p_available_w\":0.3,\"spl_db\":124.77,"
                                "\"tier\":\"reference\","
                                "\"limit\":\"current\"," FX_CRIT(
                                    "true", "true", "true", "true",
                                    "true") ","
                                            "{\"load\":\"resistor\",\"load_ohm\":32,\"profile\":"
                                            "\"headphone\","
                                            "\"verdict\":\"127 dB peaks (reference): no, the "
                                            "response changes 1.5 dB\","
                                            "\"pass\":false,"
                                            "\"p_required_w\":0.01,\"p_available_w\":0.5,\"spl_"
                                            "db\":126.99,\"tier\":\"reference\","
                                            "\"limit\":\"current\"," FX_CRIT(
                                                "true", "false", "true", "true",
                                                "true") "]},\n"
                                                        "{\"name\":\"pw\",\"netlist\":\"n/"
                                                        "pw.cir\",\"kind\":\"power\",\"source\":"
                                                        "\"test\","
                                                        "\"loads\":["
                                                        "{\"load\":\"resistor\",\"load_ohm\":8,"
                                                        "\"profile\":\"speaker\","
                                                        "\"verdict\":\"107 dB peaks at 2 m "
                                                        "(reference): no, damping "
                                                        "4\",\"pass\":false,"
                                                        "\"p_required_w\":19.95,\"p_available_w\":"
                                                        "100,\"spl_db\":107,\"tier\":\"reference\","
                                                        "\"limit\":\"voltage\"," FX_CRIT(
                                                            "true", "true", "false", "true",
                                                            "true") ","
                                                                    "{\"load\":\"resistor\",\"load_"
                                                                    "ohm\":32,\"profile\":"
                                                                    "\"headphone\","
                                                                    "\"verdict\":\"147 dB peaks "
                                                                    "(reference): no, q1 reaches "
                                                                    "200 C\",\"pass\":false,"
                                                                    "\"p_required_w\":0.01,\"p_"
                                                                    "available_w\":50,\"spl_db\":"
                                                                    "146.99,\"tier\":\"reference\","
                                                                    "\"limit\":"
                                                                    "\"voltage\"," FX_CRIT(
                                                                        "true", "true", "true",
                                                                        "false",
                                                                        "true") "]}],\n"
                                                                                "\"failed\":[{"
                                                                                "\"netlist\":\"bad<"
                                                                                "x>.cir\","
                                                                                "\"error\":\"bad & "
                                                                                "broken\"}]}\n");
#undef FX_CRIT
}

#endif
