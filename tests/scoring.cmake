# Lead scoring and qualification: the model, its replay, the lifecycle, the
# calibration tables, the scoring configuration and `mqlreport score`.
mql_unit_test(test_score SOURCES unit/test_score.c LIBS metrics)
target_include_directories(test_score PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
mql_unit_test(test_score_tables SOURCES unit/test_score_tables.c LIBS metrics)
target_include_directories(test_score_tables PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/unit)
mql_unit_test(test_score_config SOURCES unit/test_score_config.c LIBS cmd)
target_include_directories(test_score_config PRIVATE ${PROJECT_SOURCE_DIR}/cmd)
# `mqlreport score`: the CSV and --explain on hand-worked fixtures, the
# [scoring…] configuration, properties on generated data.
mql_py_test(score e2e/test_score.py)
# What scoring adds to ingest (bench/score.sh runs it on 1,000,000 leads).
add_executable(score_bench ${PROJECT_SOURCE_DIR}/bench/score_bench.c)
target_link_libraries(score_bench PRIVATE metrics ingest)
# its Report class runs `run`, whose PDF loads fontconfig's process-long caches
set_property(TEST score APPEND PROPERTY ENVIRONMENT
  "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp:print_suppressions=0")
