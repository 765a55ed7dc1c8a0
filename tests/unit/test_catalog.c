/* test_catalog.c — the metric catalogue (templates/metrics.ini through
 * reports/catalog.h): every key of a full report tree has an entry, the
 * _ci_low/_ci_high rule, the formats and the change in the right unit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "catalog.h"
#include "report_tree.h"

/* Objects whose keys are data (reasons, fields, event types, sources), shown
 * as values in a column, never as headers. */
static const char *const data_maps[] = {"rejected_by_reason",
					"warnings_by_field",
					"unknown_event_types_by_type",
					"negative_durations_by_kind",
					"inputs",
					NULL};

static bool is_data_map(const char *key)
{
	for (const char *const *p = data_maps; *p; p++)
		if (key && strcmp(key, *p) == 0)
			return true;
	return false;
}

static int missing_keys(const mval *v, const char *at)
{
	int missing = 0;
	if (mv_kind_of(v) == MV_ARR) {
		for (size_t i = 0; i < mv_len(v); i++)
			missing += missing_keys(mv_at(v, i), at);
		return missing;
	}
	if (mv_kind_of(v) != MV_OBJ)
		return 0;
	for (size_t i = 0; i < mv_len(v); i++) {
		const char *k = mv_key(v, i);
		if (!catalog_find(k)) {
			print_error("templates/metrics.ini has no entry for %s (under %s)\n", k,
				    at);
			missing++;
		}
		if (!is_data_map(k))
			missing += missing_keys(mv_at(v, i), k);
	}
	return missing;
}

static void every_key_has_an_entry(void **state)
{
	(void)state;
	mval *root = tree_build();
	/* the fixture's deliberately unknown part (it tests the generic sheet
	 * of a part no template names) is the only exception */
	mval *plain = mv_obj();
	for (size_t i = 0; i < mv_len(root); i++)
		if (strcmp(mv_key(root, i), "experimental") != 0)
			mv_set(plain, mv_key(root, i), mv_null());
	for (size_t i = 0; i < mv_len(root); i++)
		if (strcmp(mv_key(root, i), "experimental") != 0)
			assert_int_equal(missing_keys(mv_at(root, i), mv_key(root, i)), 0);
	assert_int_equal(missing_keys(plain, "the root"), 0);
	mv_free(plain);
	mv_free(root);
}

static void entries_are_complete(void **state)
{
	(void)state;
	assert_true(catalog_count() > 100);
	for (size_t i = 0; i < catalog_count(); i++) {
		const cat_entry *e = catalog_at(i);
		assert_non_null(e->label);
		assert_true(strlen(e->definition) > 5);
		assert_true(strcmp(e->label, e->key) != 0 || strlen(e->key) <= 3);
	}
}

static void interval_rule(void **state)
{
	(void)state;
	const cat_entry *e = catalog_find("close_rate_ci_low");
	assert_non_null(e);
	assert_string_equal(e->label, "Close rate (95% low)");
	assert_int_equal(e->format, CF_PERCENT);
	assert_non_null(strstr(catalog_find("close_rate_ci_high")->definition, "upper"));
	assert_null(catalog_find("no_such_metric_ci_low"));
	assert_string_equal(catalog_label("chat_started"), "Chat started");
}

static void formats_and_changes(void **state)
{
	(void)state;
	char buf[64];
	double d;
	int good;
	const cat_entry *cpm = catalog_find("cost_per_mql");
	assert_string_equal(cpm->label, "Cost per MQL");
	assert_int_equal(cpm->direction, CD_DOWN);
	assert_string_equal(catalog_format_number(cpm, 259.81, "EUR", buf, sizeof buf), "€259.81");
	/* a ROI of thousands of percent and its change, grouped as every number */
	const cat_entry *roi_e = catalog_find("roi");
	assert_string_equal(catalog_format_number(roi_e, 484.48, "EUR", buf, sizeof buf),
			    "48,448%");
	/* from 100 points on without a decimal, as every output writes points */
	assert_string_equal(catalog_format_change(roi_e, 4.35, 17.2, buf, sizeof buf, &d, &good),
			    "\xE2\x88\x92"
			    "1,285 pp");
	assert_string_equal(catalog_format_change(roi_e, 4.35, 5.349, buf, sizeof buf, &d, &good),
			    "\xE2\x88\x92"
			    "99.9 pp");
	assert_string_equal(catalog_format_change(cpm, 90, 100, buf, sizeof buf, &d, &good),
			    "−10%");
	assert_int_equal(good, 1); /* a falling cost is good */
	const cat_entry *rate = catalog_find("sales_acceptance_rate");
	assert_string_equal(catalog_format_change(rate, 0.30, 0.279, buf, sizeof buf, &d, &good),
			    "+2.1 pp");
	assert_int_equal(good, 1);
	/* a cohort still converting is not yet comparable: no verdict either way */
	const cat_entry *young = catalog_find("mql_to_sql_rate");
	assert_non_null(young->young);
	assert_string_equal(catalog_format_change(young, 0.30, 0.279, buf, sizeof buf, &d, &good),
			    "+2.1 pp");
	assert_int_equal(good, 0);
	/* so are the share contacted within a day (the week's last MQLs have
	 * had less) and the median speed to lead (the uncontacted left out) */
	const char *const young_too[] = {"contacted_within_24h_rate",
					 "speed_to_lead_minutes_median"};
	for (size_t k = 0; k < 2; k++) {
		const cat_entry *e = catalog_find(young_too[k]);
		assert_non_null(e->young);
		catalog_format_change(e, 0.30, 0.279, buf, sizeof buf, &d, &good);
		assert_int_equal(good, 0);
	}
	catalog_format_change(young, 0.10, 0.279, buf, sizeof buf, &d, &good);
	assert_int_equal(good, 0);
	const cat_entry *speed = catalog_find("speed_to_lead_minutes_median");
	assert_string_equal(catalog_format_number(speed, 2797.5, "USD", buf, sizeof buf), "46.6 h");
	assert_string_equal(
	    catalog_format_change(catalog_find("leads"), 5, 0, buf, sizeof buf, &d, &good), "—");
	assert_string_equal(catalog_format_number(cpm, NAN, "USD", buf, sizeof buf), "—");
	/* ROI: a ratio shown in percent, its change in points */
	const cat_entry *roi = catalog_find("roi");
	assert_string_equal(catalog_format_number(roi, 0.21, "USD", buf, sizeof buf), "21%");
	assert_string_equal(catalog_format_change(roi, 0.21, -0.1, buf, sizeof buf, &d, &good),
			    "+31.0 pp");
}

/* A channel's key in words; another column's value, or a value that is
 * not a key, as it is. */
static void channels_in_words(void **state)
{
	(void)state;
	const cat_entry *ch = catalog_find("channel");
	assert_non_null(ch);
	assert_true(ch->in_words);
	assert_string_equal(catalog_words(ch, "paid_search"), "Paid search");
	assert_string_equal(catalog_words(ch, "linkedin"), "LinkedIn");
	assert_string_equal(catalog_words(ch, "linkedin_ads_seo"), "LinkedIn ads SEO");
	assert_string_equal(catalog_words(ch, "unknown"), "Unknown");
	/* asked twice: the same text */
	assert_ptr_equal(catalog_words(ch, "paid_search"), catalog_words(ch, "paid_search"));
	/* not a key (an alias to a name with capitals or spaces): as it is */
	assert_string_equal(catalog_words(ch, "Web partner"), "Web partner");
	assert_string_equal(catalog_words(ch, "web partner"), "web partner");
	/* only ASCII letters change case */
	assert_string_equal(catalog_words(ch, "\xC3\xA9v\xC3\xA9nements_x"),
			    "\xC3\xA9v\xC3\xA9nements x");
	assert_string_equal(catalog_words(ch, ""), "");
	assert_null(catalog_words(ch, NULL));
	/* a campaign is named as it is */
	assert_string_equal(catalog_words(catalog_find("campaign"), "gs_brand"), "gs_brand");
	assert_string_equal(catalog_words(NULL, "gs_brand"), "gs_brand");
}

/* A figure derived from statistics with counts of cases rests on theirs,
 * as the catalogue declares (cases): each named statistic has an entry
 * and a count of cases of its own, so that its figure can be flagged. */
static void derived_cases(void **state)
{
	(void)state;
	const cat_entry *clv = catalog_find("clv"), *ratio = catalog_find("clv_to_cac");
	assert_non_null(clv->cases);
	assert_string_equal(clv->cases[0], "deal_size_mean");
	assert_null(clv->cases[1]);
	assert_non_null(ratio->cases);
	assert_string_equal(ratio->cases[0], "deal_size_mean");
	assert_string_equal(ratio->cases[1], "cac");
	assert_null(ratio->cases[2]);
	assert_null(catalog_find("deal_size_mean")->cases); /* it has its own */
	for (size_t i = 0; i < catalog_count(); i++)
		for (char **k = catalog_at(i)->cases; k && *k; k++) {
			assert_non_null(catalog_find(*k));
			char n[128];
			snprintf(n, sizeof n, "%s_n", *k);
			assert_non_null(catalog_find(n));
		}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_key_has_an_entry), cmocka_unit_test(entries_are_complete),
	    cmocka_unit_test(interval_rule),	      cmocka_unit_test(formats_and_changes),
	    cmocka_unit_test(channels_in_words),      cmocka_unit_test(derived_cases),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
