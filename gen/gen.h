/* gen.h — the sample generator (`mqlreport gen`): realistic canonical exports
 * of any size, leads.csv, events.csv, spend.csv and opportunities.csv (SPEC
 * §3), whose bytes are a pure function of the options. samples/README.md
 * describes the model.
 *
 * The generator is a library of its own beside the pipeline: it uses
 * ingest's calendar and names and the atomic files, and nothing of the
 * pipeline uses it. */
#ifndef MQL_GEN_H
#define MQL_GEN_H

/* `mqlreport gen [OPTION…]`: argv[0] is "gen". Prints its own messages and
 * returns the exit status (0, 64 usage, 73 cannot write the output). */
int gen_main(int argc, char **argv);

#endif
