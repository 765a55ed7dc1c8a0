# The command line: help, statuses, configuration errors, output folders.
mql_py_test(cli e2e/test_cli.py)
