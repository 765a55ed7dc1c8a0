# The sample generator (`mqlreport gen`): end-to-end tests of the real binary.
foreach(case determinism format bad_rows funnel usage memory roundtrip time_order)
  mql_py_test(gen_${case} e2e/test_gen.py ${case})
endforeach()
