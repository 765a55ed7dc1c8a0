# The ingest stage: CSV reader, timestamps, money, normalisation, mapping
# presets and the loader.
mql_unit_test(test_csvr SOURCES unit/test_csvr.c LIBS ingest)
mql_unit_test(test_timeparse SOURCES unit/test_timeparse.c LIBS ingest)
mql_unit_test(test_money SOURCES unit/test_money.c LIBS ingest)
mql_unit_test(test_normalize SOURCES unit/test_normalize.c LIBS ingest)
mql_unit_test(test_load SOURCES unit/test_load.c LIBS ingest)
