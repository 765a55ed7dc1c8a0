# The command line: help, statuses, configuration errors, output folders.
mql_py_test(cli e2e/test_cli.py)
# One parser for numbers and names, the command line's and the file's.
mql_py_test(e2e_values e2e/test_values.py)
