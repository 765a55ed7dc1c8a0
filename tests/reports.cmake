# The renderers: metrics.json, the workbook, the PDF, rejects.csv.
mql_unit_test(test_reports SOURCES unit/test_reports.c LIBS reports)
# The PDF's row limits (max_rows, top_by) and a report of thousands of campaigns.
mql_unit_test(test_pdf_limit SOURCES unit/test_pdf_limit.c LIBS reports)

# The outputs of a hand-built tree, for inspection without the pipeline.
add_executable(render_fixture unit/render_fixture.c)
target_link_libraries(render_fixture PRIVATE reports)

# End to end: the real binary on tests/fixtures/e2e (needs `run`), and the
# same checks on the harness's outputs.
mql_py_test(e2e_outputs e2e/test_outputs.py)
mql_py_test(e2e_outputs_fixture e2e/test_outputs.py --harness $<TARGET_FILE:render_fixture>)

# fontconfig's process-long caches are not leaks (a sanitizer build reports them)
foreach(t test_reports e2e_outputs e2e_outputs_fixture)
  set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
    "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp:print_suppressions=0")
endforeach()
# Hostile but valid exports (small versions of bench/hostile.sh's): 5,000 event
# types, a 2,000-column header, 600 campaigns; outputs checked, nothing timed.
mql_py_test(hostile e2e/test_hostile.py)
