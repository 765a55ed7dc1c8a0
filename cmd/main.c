/* main.c — init, dispatch to a command, exit with its status. */
#include <locale.h>

#include "cli.h"

int main(int argc, char **argv)
{
	/* the locale's character set only: GLib then reads a UTF-8 option
	 * value ("--tz Europe/Zürich", a path) and writes its help in it;
	 * numbers and sorting stay the C locale's, as every output needs */
	setlocale(LC_CTYPE, "");
	return cli_main(argc, argv);
}
