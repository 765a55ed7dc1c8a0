# The bottom layer and the data model shared by every stage.
mql_unit_test(test_csvout SOURCES unit/test_csvout.c LIBS base)
mql_unit_test(test_base_text SOURCES unit/test_base_text.c LIBS base)
mql_unit_test(test_base_mem SOURCES unit/test_base_mem.c LIBS base)
mql_unit_test(test_dataset SOURCES unit/test_dataset.c LIBS ingest)
mql_unit_test(test_leadix SOURCES unit/test_leadix.c LIBS ingest)
mql_unit_test(test_memo SOURCES unit/test_memo.c LIBS ingest)
mql_unit_test(test_money_sums SOURCES unit/test_money_sums.c LIBS metrics)

# The layers of docs/architecture.md: no include points the wrong way.
add_test(NAME layers COMMAND ${MQL_PYTHON} ${CMAKE_CURRENT_SOURCE_DIR}/structure/check_layers.py ${PROJECT_SOURCE_DIR})
# Name-keyed tables (report tree objects, kvcounts): order and replace semantics with the hash index.
mql_unit_test(test_lookup SOURCES unit/test_lookup.c LIBS metrics)
