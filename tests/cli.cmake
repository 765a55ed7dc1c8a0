# The command line: help, statuses, configuration errors, output folders.
mql_py_test(cli e2e/test_cli.py)
# One parser for numbers and names, the command line's and the file's.
mql_py_test(e2e_values e2e/test_values.py)
# config/example.ini shows every group and key the reader accepts and the
# documentation lists.
mql_unit_test(test_config_example SOURCES unit/test_config_example.c LIBS cmd)
target_include_directories(test_config_example PRIVATE ${PROJECT_SOURCE_DIR}/cmd)
