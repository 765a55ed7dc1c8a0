# The ingest stage: CSV reader, timestamps, money, normalisation, mapping
# presets and the loader.
# csv-spectrum, the CSV readers' conformance suite, is the pinned npm package:
# a fixture fetches it once into the build tree, checks its SHA-256 and
# unpacks it; test_csvr fails when that fails.
set(MQL_CSV_SPECTRUM_VERSION 2.0.0)
set(MQL_CSV_SPECTRUM_SHA256 002a6a938bf51ceb26af7b760f5c1b54baca4820b0e9142f135619210c93d021)
add_test(NAME fetch_csv_spectrum
  COMMAND ${CMAKE_COMMAND} -DNAME=csv-spectrum -DVERSION=${MQL_CSV_SPECTRUM_VERSION}
    -DSHA256=${MQL_CSV_SPECTRUM_SHA256} -DDEST=${CMAKE_CURRENT_BINARY_DIR}/npm
    -P ${CMAKE_CURRENT_SOURCE_DIR}/fetch_npm_package.cmake)
set_tests_properties(fetch_csv_spectrum PROPERTIES FIXTURES_SETUP csv_spectrum TIMEOUT 300)

mql_unit_test(test_csvr SOURCES unit/test_csvr.c LIBS ingest)
target_compile_definitions(test_csvr PRIVATE MQL_CSV_SPECTRUM="${CMAKE_CURRENT_BINARY_DIR}/npm/csv-spectrum")
set_tests_properties(test_csvr PROPERTIES FIXTURES_REQUIRED csv_spectrum)
mql_unit_test(test_timeparse SOURCES unit/test_timeparse.c LIBS ingest)
mql_unit_test(test_money SOURCES unit/test_money.c LIBS ingest)
mql_unit_test(test_normalize SOURCES unit/test_normalize.c LIBS ingest)
mql_unit_test(test_load SOURCES unit/test_load.c LIBS ingest)
mql_unit_test(test_load_parts SOURCES unit/test_load_parts.c LIBS ingest)
mql_py_test(ingest_e2e e2e/test_ingest.py)
mql_py_test(header_names_e2e e2e/test_header_names.py)
mql_py_test(exports_e2e e2e/test_exports.py)
mql_py_test(vendor_samples_e2e e2e/test_vendor_samples.py)
mql_py_test(excel_exports_e2e e2e/test_excel_exports.py)

# Fuzz harnesses of the reader and the parsers. With -DMQL_FUZZ=ON (clang)
# they are libFuzzer binaries run for a bounded time over the committed
# corpus; otherwise a plain main replays the corpus (and every prefix of
# each input) as an ordinary test.
if(MQL_FUZZ)
  # coverage for the fuzzer in the library, and its runtime for every user
  target_compile_options(ingest PRIVATE -fsanitize=fuzzer-no-link)
  target_link_options(ingest PUBLIC -fsanitize=fuzzer-no-link)
endif()
foreach(h csvr timeparse money)
  if(MQL_FUZZ)
    add_executable(fuzz_${h} fuzz/fuzz_${h}.c)
    target_compile_options(fuzz_${h} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_options(fuzz_${h} PRIVATE -fsanitize=fuzzer,address,undefined)
    target_link_libraries(fuzz_${h} PRIVATE ingest)
    # new inputs go to the build tree; the committed corpus only seeds
    file(MAKE_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR}/fuzz_corpus_${h})
    add_test(NAME fuzz_${h}
      COMMAND fuzz_${h} -max_total_time=60 -max_len=4096
        ${CMAKE_CURRENT_BINARY_DIR}/fuzz_corpus_${h} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${h})
  else()
    add_executable(replay_${h} fuzz/fuzz_${h}.c fuzz/replay_main.c)
    target_link_libraries(replay_${h} PRIVATE ingest)
    add_test(NAME replay_${h} COMMAND replay_${h} ${CMAKE_CURRENT_SOURCE_DIR}/fuzz/corpus/${h})
  endif()
endforeach()

# The same rows in any order and with any spelling of lead ids: one report.
mql_py_test(e2e_any_order e2e/test_order.py)

# Amounts in another currency than the report's: a deal's own currency
# column rejects it, as a spend row's does.
mql_py_test(e2e_foreign_deals e2e/test_foreign_money.py deals)
# An amount header naming another currency than the report's is warned of.
mql_py_test(e2e_foreign_headers e2e/test_foreign_money.py headers)
