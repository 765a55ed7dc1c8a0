/* cli.h — the command line: `mqlreport COMMAND [OPTIONS]`. Only cmd/ prints
 * to the terminal or decides an exit status. */
#ifndef MQL_CLI_H
#define MQL_CLI_H

/* Parse argv, run the command, return the process's exit status. */
int cli_main(int argc, char **argv);

#endif
