/* main.c — init, dispatch to a command, exit with its status. */
#include "cli.h"

int main(int argc, char **argv)
{
	return cli_main(argc, argv);
}
