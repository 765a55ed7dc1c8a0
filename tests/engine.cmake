# The engine path: two clickhouse-server processes of our own (a two-shard
# cluster on loopback ports under the build tree), started before and
# stopped after the tests that need them, also when one fails. The time
# limits leave room for a slow, shared machine: a few seconds here.
set(MQL_CH_DIR ${CMAKE_CURRENT_BINARY_DIR}/clickhouse)
add_test(NAME engine_cluster_start
  COMMAND ${MQL_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/e2e/clickhouse_cluster.py start ${MQL_CH_DIR})
add_test(NAME engine_cluster_stop
  COMMAND ${MQL_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/e2e/clickhouse_cluster.py stop ${MQL_CH_DIR})
set_tests_properties(engine_cluster_start PROPERTIES FIXTURES_SETUP clickhouse TIMEOUT 600)
set_tests_properties(engine_cluster_stop PROPERTIES FIXTURES_CLEANUP clickhouse TIMEOUT 120)
mql_py_test(engine_vs_embedded e2e/test_engine.py ${MQL_CH_DIR})
set_tests_properties(engine_vs_embedded PROPERTIES FIXTURES_REQUIRED clickhouse TIMEOUT 1800
  RESOURCE_LOCK clickhouse)
# The client's RowBinary cursor: a value cut between two pieces of an answer.
mql_unit_test(test_ch_rowbinary SOURCES unit/test_ch_rowbinary.c LIBS engine)
# RowBinary answers from a real server: read whole, and a server's error
# after the first blocks an error, not rows.
add_executable(ch_driver ${CMAKE_CURRENT_SOURCE_DIR}/e2e/ch_driver.c)
target_link_libraries(ch_driver PRIVATE engine)
mql_py_test(engine_rowbinary e2e/test_ch_rowbinary.py $<TARGET_FILE:ch_driver> ${MQL_CH_DIR})
set_tests_properties(engine_rowbinary PROPERTIES FIXTURES_REQUIRED clickhouse TIMEOUT 300
  RESOURCE_LOCK clickhouse)
