# The renderers: metrics.json, the workbook, the PDF, rejects.csv.
mql_unit_test(test_reports SOURCES unit/test_reports.c LIBS reports)
mql_unit_test(test_charts SOURCES unit/test_charts.c LIBS reports)
# metrics.json's doubles: they read back, and no shorter text does.
mql_unit_test(test_json_numbers SOURCES unit/test_json_numbers.c LIBS reports)
# The digest a sent week is compared by: the figures, not the moment.
mql_unit_test(test_figures SOURCES unit/test_figures.c LIBS reports)

# The outputs of a hand-built tree, for inspection without the pipeline.
add_executable(render_fixture unit/render_fixture.c)
target_link_libraries(render_fixture PRIVATE reports)

# End to end: the real binary on tests/fixtures/e2e (needs `run`), and the
# same checks on the harness's outputs.
mql_py_test(e2e_outputs e2e/test_outputs.py)
mql_py_test(e2e_outputs_fixture e2e/test_outputs.py --harness $<TARGET_FILE:render_fixture>)
# A table longer than the sheet stops at its last row with a note (the
# harness lowers the last row; the real limit is Excel's 1,048,576 rows).
mql_py_test(e2e_xlsx_cap e2e/test_xlsx_cap.py $<TARGET_FILE:render_fixture>)
# The workbook at the samples' edges: the first week of data, a week before
# any, the week after the first, the Salesforce sample.
mql_py_test(e2e_xlsx_edges e2e/test_xlsx_edges.py)
# Won deals beyond the wins, without an amount: counted, and the note says so
# in the PDF, the workbook and the e-mail.
mql_py_test(e2e_deals_note e2e/test_deals_note.py)
# A ROI with spend and no deal won (-100%): grey, flagged "no deal won" and
# explained in the PDF, the workbook and the e-mail.
mql_py_test(e2e_roi_no_deal e2e/test_roi_no_deal.py)
# The PDF's tiles name their figures in words, whole inside the tile: no
# abbreviation such as "CAC" but the report's own MQL, SQL and ROI.
mql_py_test(e2e_tile_labels e2e/test_tile_labels.py)

# fontconfig's process-long caches are not leaks (a sanitizer build reports them)
foreach(t test_reports test_charts e2e_outputs e2e_outputs_fixture e2e_xlsx_cap e2e_xlsx_edges
          e2e_deals_note e2e_roi_no_deal e2e_tile_labels)
  set_property(TEST ${t} APPEND PROPERTY ENVIRONMENT
    "LSAN_OPTIONS=suppressions=${CMAKE_CURRENT_SOURCE_DIR}/lsan.supp:print_suppressions=0")
endforeach()

# rejects.csv made safe for spreadsheets, NULs shown.
mql_py_test(e2e_rejects e2e/test_rejects.py)
# The metric catalogue: every key a report shows has a label, unit, format,
# direction and definition (the hand-built tree, then the sample report).
mql_unit_test(test_catalog SOURCES unit/test_catalog.c LIBS reports)
mql_py_test(catalog e2e/test_catalog.py)

# The PDF's layout read back word by word: no overlaps, nothing over the
# margins, on the sample, 60-character names and 50,000 campaigns.
mql_py_test(e2e_pdf_layout e2e/test_pdf_layout.py)
# Hostile but valid exports (small versions of bench/hostile.sh's): 5,000 event
# types, a 2,000-column header, 600 campaigns; outputs checked, nothing timed.
mql_py_test(hostile e2e/test_hostile.py)
# What the PDF's figures claim, read back with their colours (pdftoppm):
# figures of few cases muted and explained, on the sample and 30 leads.
mql_py_test(e2e_pdf_honesty e2e/test_pdf_honesty.py)
mql_py_test(e2e_currency_codes e2e/test_currency_codes.py)
