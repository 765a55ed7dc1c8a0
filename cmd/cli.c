#include "cli.h"

#include <stdio.h>
#include <string.h>

#include "base.h"

int cli_main(int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--version") == 0) {
		printf("mqlreport %s\n", MQL_VERSION);
		return MQ_OK;
	}
	fprintf(stderr, "usage: mqlreport COMMAND [OPTIONS]\n");
	return MQ_USAGE;
}
