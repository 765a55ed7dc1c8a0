# The metrics stage: statistics, the as_of view, window metrics, attribution,
# breakdowns, trend, cohorts, engagement, summary and data quality.
mql_unit_test(test_metrics_funnel SOURCES unit/test_metrics_funnel.c LIBS metrics)
mql_unit_test(test_metrics_stats SOURCES unit/test_metrics_stats.c LIBS metrics)
mql_unit_test(test_metrics_attribution SOURCES unit/test_metrics_attribution.c LIBS metrics)
mql_unit_test(test_metrics_time SOURCES unit/test_metrics_time.c LIBS metrics)
mql_unit_test(test_metrics_view SOURCES unit/test_metrics_view.c LIBS metrics)
mql_unit_test(test_metrics_weekly SOURCES unit/test_metrics_weekly.c LIBS metrics)
mql_unit_test(test_metrics_parts SOURCES unit/test_metrics_parts.c LIBS metrics)
mql_py_test(metrics_as_of e2e/test_metrics_as_of.py)
mql_py_test(metrics_oracle e2e/test_metrics_oracle.py)
