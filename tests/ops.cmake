# Unattended operation: fetch, e-mail, lock, manifest, schedule.

add_executable(fetch_driver ${CMAKE_CURRENT_SOURCE_DIR}/e2e/fetch_driver.c)
target_link_libraries(fetch_driver PRIVATE ingest)

mql_py_test(ops_fetch e2e/test_fetch.py $<TARGET_FILE:fetch_driver>)
set_tests_properties(ops_fetch PROPERTIES TIMEOUT 300)
# a credential with a line break (header or AUTH injection) is refused, 78
mql_py_test(ops_secrets e2e/test_secrets.py $<TARGET_FILE:fetch_driver>)
set_tests_properties(ops_secrets PROPERTIES TIMEOUT 300)

mql_py_test(ops_mail e2e/test_mail.py)
set_tests_properties(ops_mail PROPERTIES TIMEOUT 300)
# long figures (billions, dong) and a week without spend, in both parts; the
# HTML part laid out by Chromium at 375 and 800 px (skipped without it)
mql_py_test(ops_mail_figures e2e/test_mail_figures.py text)
mql_py_test(ops_mail_phone e2e/test_mail_figures.py phone)
set_tests_properties(ops_mail_figures ops_mail_phone PROPERTIES TIMEOUT 300)

# [email] timeout bounds a silent step, not a message that keeps moving
add_executable(smtp_driver ${CMAKE_CURRENT_SOURCE_DIR}/e2e/smtp_driver.c)
target_link_libraries(smtp_driver PRIVATE deliver)
mql_py_test(ops_smtp_upload e2e/test_smtp_upload.py $<TARGET_FILE:smtp_driver>)
set_tests_properties(ops_smtp_upload PROPERTIES TIMEOUT 300)
# a step that times out is named with the limit that ended it: in a retry's line, in
# the error, and in check --connect
mql_py_test(ops_smtp_steps e2e/test_smtp_steps.py $<TARGET_FILE:smtp_driver>)
set_tests_properties(ops_smtp_steps PROPERTIES TIMEOUT 300)

mql_py_test(ops_schedule e2e/test_schedule.py)
set_tests_properties(ops_schedule PROPERTIES TIMEOUT 300)
# SIGTERM and SIGINT while fetching and while e-mailing: cleaned up, told, killed
mql_py_test(ops_stop e2e/test_stop.py)
set_tests_properties(ops_stop PROPERTIES TIMEOUT 300)

# e-mail delivery as the operator meets it: --eml, the failure notice, the
# [email] settings that reach nobody or cannot work (test_delivery.py)
mql_py_test(ops_delivery e2e/test_delivery.py)
set_tests_properties(ops_delivery PROPERTIES TIMEOUT 300)

mql_unit_test(ops_mail_unit SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_mail.c LIBS reports)

# the runs render the PDF: fontconfig's process-long caches are not leaks
foreach(t ops_mail ops_mail_figures ops_mail_phone ops_schedule ops_stop ops_delivery)
  set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
    "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp:print_suppressions=0")
endforeach()

# The data-health gate and `check`: stale, rejected and
# unscorable data, unset credential variables, check --connect.
mql_py_test(ops_health e2e/test_health.py)
set_tests_properties(ops_health PROPERTIES TIMEOUT 300)
set_property(TEST ops_health APPEND PROPERTY ENVIRONMENT
  "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp:print_suppressions=0")
# Data that begin inside the 13 weeks, a week lost from every export: the
# checks week_partial_data and week_without_data, on every output.
mql_py_test(ops_week_coverage e2e/test_week_coverage.py)
set_tests_properties(ops_week_coverage PROPERTIES TIMEOUT 300)
set_property(TEST ops_week_coverage APPEND PROPERTY ENVIRONMENT
  "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp:print_suppressions=0")
# All-or-nothing publishing, no link followed, unreadable state, FIFO sources
mql_py_test(ops_publish e2e/test_publish.py)
set_tests_properties(ops_publish PROPERTIES TIMEOUT 300 SKIP_RETURN_CODE 77)
# a full disk at each output and at the manifest: mounts a tmpfs (root);
# elsewhere it exits 77 and CTest shows it as skipped; some 75 runs, so a
# long limit for a slow machine under the sanitizers
mql_py_test(ops_publish_disk_full e2e/test_publish.py tmpfs)
set_tests_properties(ops_publish_disk_full PROPERTIES TIMEOUT 900 SKIP_RETURN_CODE 77)
mql_unit_test(ops_manifest_hash SOURCES ${CMAKE_CURRENT_SOURCE_DIR}/unit/test_manifest_hash.c LIBS cmd)
set_tests_properties(ops_manifest_hash PROPERTIES TIMEOUT 60)
foreach(t ops_publish ops_publish_disk_full)
  set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
    "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp:print_suppressions=0")
endforeach()
# fetch failures and settings named by file, line and key with what to
# change: timeouts, a 404, ca_file (a source's or [engine]'s: unreadable or
# no PEM certificate), http://, credentials in the clear, an unset token in
# a run, a cache folder of root's, [scoring] under export MQLs, [lock]
# path, a ~ in a path
mql_py_test(ops_fetch_config e2e/test_fetch_config.py)
set_tests_properties(ops_fetch_config PROPERTIES TIMEOUT 300)

# a week e-mailed before it had ended is sent again, complete, once it has
# (the runs made at chosen moments under faketime)
mql_py_test(ops_unfinished_week e2e/test_unfinished_week.py)
set_tests_properties(ops_unfinished_week PROPERTIES TIMEOUT 300)
set_property(TEST ops_unfinished_week APPEND PROPERTY ENVIRONMENT
  "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp:print_suppressions=0")
