# Installing: `cmake --install` into a throw-away root, the manual page, the
# deployment steps of docs/operations.md run in that root, the installed
# systemd units checked by systemd-analyze verify. Needs the man page, so the
# whole build (the `man` target is part of `all`).
mql_py_test(install e2e/test_install.py ${CMAKE_COMMAND} ${PROJECT_BINARY_DIR} ${CMAKE_INSTALL_PREFIX})
set_tests_properties(install PROPERTIES TIMEOUT 300)
