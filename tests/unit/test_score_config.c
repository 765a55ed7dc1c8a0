/* test_score_config.c — the [scoring…] groups: the shipped config/scoring.ini
 * is exactly the built-in model, overrides land where they should, and each
 * bad rule stops with MQ_CONFIG naming file and line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "config.h"

static char *write_ini(const char *text)
{
	char *tmpl = g_build_filename(g_get_tmp_dir(), "mql-score-config-XXXXXX", NULL);
	char *path = xstrdup(tmpl);
	g_free(tmpl);
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_true(write(fd, text, strlen(text)) == (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* Load text over the default model; returns config_scoring's result. */
static int load(const char *text, score_model *m, mq_err *err, char **path_out)
{
	char *path = write_ini(text);
	GKeyFile *kf = g_key_file_new();
	GError *ge = NULL;
	if (!g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, &ge))
		fail_msg("GLib refused the test's INI: %s", ge->message);
	int rc = config_scoring(kf, path, m, err);
	g_key_file_free(kf);
	if (path_out)
		*path_out = path;
	else {
		unlink(path);
		free(path);
	}
	return rc;
}

static void test_owns(void **state)
{
	(void)state;
	assert_true(config_scoring_owns("scoring"));
	assert_true(config_scoring_owns("scoring.titles"));
	assert_true(config_scoring_owns("scoring.whatever"));
	assert_false(config_scoring_owns("scoringx"));
	assert_false(config_scoring_owns("report"));
}

/* config/scoring.ini over a scrambled model gives back every default. */
static void test_shipped_file_is_the_default(void **state)
{
	(void)state;
	score_model want, m;
	score_model_default(&want);
	score_model_default(&m);
	m.threshold = 1;
	m.half_life_days = 9;
	m.other_title_points = 0;
	for (int k = 0; k < EV_COUNT; k++) {
		m.event_cat[k] = (k % 2) ? SC_WEB : SC_NONE;
		m.event_points[k] = 99;
	}
	for (int c = 0; c < SC_COUNT; c++)
		m.cap[c] = 1;

	GKeyFile *kf = g_key_file_new();
	const char *path = MQL_SOURCE_DIR "/config/scoring.ini";
	assert_true(g_key_file_load_from_file(kf, path, G_KEY_FILE_NONE, NULL));
	mq_err err = {0};
	if (config_scoring(kf, path, &m, &err) != 0)
		fail_msg("%s", err.msg);
	g_key_file_free(kf);

	assert_true(m.threshold == want.threshold);
	assert_true(m.half_life_days == want.half_life_days);
	assert_true(m.other_title_points == want.other_title_points);
	assert_int_equal(m.ntitles, want.ntitles);
	for (size_t i = 0; i < m.ntitles; i++) {
		assert_string_equal(m.titles[i].name, want.titles[i].name);
		assert_true(m.titles[i].points == want.titles[i].points);
	}
	assert_int_equal(m.nsizes, want.nsizes);
	for (size_t i = 0; i < m.nsizes; i++) {
		assert_true(m.sizes[i].min == want.sizes[i].min);
		assert_true(m.sizes[i].max == want.sizes[i].max);
		assert_true(m.sizes[i].points == want.sizes[i].points);
	}
	assert_int_equal(m.nindustries, want.nindustries);
	for (size_t i = 0; i < m.nindustries; i++) {
		assert_string_equal(m.industries[i].name, want.industries[i].name);
		assert_true(m.industries[i].points == want.industries[i].points);
	}
	assert_int_equal(m.ncountries, want.ncountries);
	for (size_t i = 0; i < m.ncountries; i++) {
		assert_string_equal(m.countries[i].name, want.countries[i].name);
		assert_true(m.countries[i].points == want.countries[i].points);
	}
	for (int k = 0; k < EV_COUNT; k++) {
		if (m.event_cat[k] != want.event_cat[k])
			fail_msg("%s: category %d, want %d", ev_kind_name[k], m.event_cat[k],
				 want.event_cat[k]);
		if (want.event_cat[k] >= 0 && m.event_points[k] != want.event_points[k])
			fail_msg("%s: %g points, want %g", ev_kind_name[k], m.event_points[k],
				 want.event_points[k]);
	}
	for (int c = 0; c < SC_COUNT; c++)
		assert_true(m.cap[c] == want.cap[c]);
	score_model_clear(&m);
	score_model_clear(&want);
}

static void test_overrides(void **state)
{
	(void)state;
	score_model m;
	score_model_default(&m);
	mq_err err = {0};
	const char *ini = "[scoring]\n"
			  "threshold = 70.5\n"
			  "half_life_days = 30\n"
			  "[scoring.titles]\n"
			  "Vice President = 18\n"
			  "C-Level = 20\n"
			  "student = -10\n"
			  "[scoring.company_size]\n"
			  "1,001 - 5,000 = 9\n"
			  "5001+ = 4\n"
			  "[scoring.industries]\n"
			  "IT Services = 7\n"
			  "[scoring.countries]\n"
			  "ch = 3\n"
			  "[scoring.content]\n"
			  "cap = none\n"
			  "Content Download = 6\n"
			  "webinar_attended = 3\n"
			  "[scoring.intent]\n"
			  "cap = 25\n"
			  "demo_request = 8\n";
	if (load(ini, &m, &err, NULL) != 0)
		fail_msg("%s", err.msg);
	assert_true(m.threshold == 70.5);
	assert_true(m.half_life_days == 30);
	/* titles replaced: phrases as words */
	assert_int_equal(m.ntitles, 3);
	assert_string_equal(m.titles[0].name, "vice president");
	assert_string_equal(m.titles[1].name, "c level");
	assert_true(score_title(&m, "Vice President, Sales") == 18);
	assert_true(score_title(&m, "C-Level Executive") == 20);
	assert_true(score_title(&m, "PhD Student") == -10);
	assert_true(score_title(&m, "CEO") == 2); /* no longer a rule: another title */
	assert_int_equal(m.nsizes, 2);
	assert_true(m.sizes[0].min == 1001 && m.sizes[0].max == 5000 && m.sizes[0].points == 9);
	assert_true(m.sizes[1].min == 5001 && m.sizes[1].max < 0);
	assert_int_equal(m.nindustries, 1);
	assert_string_equal(m.industries[0].name, "it_services");
	assert_int_equal(m.ncountries, 1);
	assert_string_equal(m.countries[0].name, "CH");
	/* content replaced: premium and registration dropped out, webinar
	 * attendance moved in from intent; no cap */
	assert_true(m.cap[SC_CONTENT] < 0);
	assert_int_equal(m.event_cat[EV_CONTENT_DOWNLOAD], SC_CONTENT);
	assert_true(m.event_points[EV_CONTENT_DOWNLOAD] == 6);
	assert_int_equal(m.event_cat[EV_PREMIUM_CONTENT_DOWNLOAD], SC_NONE);
	assert_int_equal(m.event_cat[EV_WEBINAR_REGISTERED], SC_NONE);
	assert_int_equal(m.event_cat[EV_WEBINAR_ATTENDED], SC_CONTENT);
	assert_true(m.event_points[EV_WEBINAR_ATTENDED] == 3);
	/* intent replaced: only demo_request is left there */
	assert_true(m.cap[SC_INTENT] == 25);
	assert_true(m.event_points[EV_DEMO_REQUEST] == 8);
	assert_int_equal(m.event_cat[EV_PRICING_PAGE_VISIT], SC_NONE);
	/* untouched groups keep their defaults */
	assert_true(m.cap[SC_WEB] == 5);
	assert_true(m.event_points[EV_PAGE_VISIT] == 1);
	assert_true(m.event_points[EV_EMAIL_UNSUBSCRIBE] == -10);
	score_model_clear(&m);
}

static const struct {
	const char *ini;
	int line;
	const char *says;
} bad_cases[] = {
    {"[scoring]\nthreshold = abc\n", 2, "\"abc\" is not a number"},
    {"[scoring]\nthreshold = 60 points\n", 2, "is not a number"},
    {"[scoring]\nthreshold = nan\n", 2, "is not a number"},
    {"[scoring]\nthreshold =\n", 2, "is not a number"},
    {"[scoring]\n# the half-life\nhalf_life_days = -3\n", 3, ">= 0"},
    {"[scoring]\nthreshold = 60\nthresold = 60\n", 3, "unknown key"},
    {"[scoring.engagement]\npage_visit = 1\n", 1, "unknown scoring section"},
    {"[scoring.web]\ncap = 5\npage_vist = 1\n", 3, "unknown event type"},
    {"[scoring.web]\ncap = -1\n", 2, "not a number >= 0 or none"},
    {"[scoring.web]\ncap = lots\n", 2, "not a number >= 0 or none"},
    {"[scoring.intent]\ndemo_request = 5x\n", 2, "is not a number"},
    {"[scoring.web]\npage_visit = 1\n\n[scoring.email]\npage_visit = 2\n", 5, "already scored"},
    {"[scoring.company_size]\n1-10 = 2\n5-20 = 3\n", 3, "overlaps"},
    {"[scoring.company_size]\n10-1 = 2\n", 2, "not a band"},
    {"[scoring.company_size]\nsmall = 2\n", 2, "not a band"},
    {"[scoring.company_size]\n1-10 = two\n", 2, "is not a number"},
    {"[scoring.titles]\nVP = 10\nvp = 12\n", 3, "listed twice"},
    {"[scoring.titles]\n& = 10\n", 2, "needs a word"},
    {"[scoring.titles]\nceo = high\n", 2, "is not a number"},
    {"[scoring.industries]\nSaaS = 10\nsaas = 5\n", 3, "listed twice"},
    {"[scoring.countries]\nUS = five\n", 2, "is not a number"},
    /* the leads' countries are read as alpha-2 codes: a name matches none */
    {"[scoring.countries]\nUS = 5\nGermany = 5\n", 3, "write DE = instead"},
    {"[scoring.countries]\ndeu = 5\n", 2, "write DE = instead"},
    {"[scoring.countries]\nNarnia = 5\n", 2, "is not a two-letter ISO country code"},
};

static void test_bad_rules(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof bad_cases / sizeof bad_cases[0]; i++) {
		score_model m;
		score_model_default(&m);
		mq_err err = {0};
		char *path;
		int rc = load(bad_cases[i].ini, &m, &err, &path);
		char where[512];
		snprintf(where, sizeof where, "%s:%d: ", path, bad_cases[i].line);
		if (rc != -1 || err.status != MQ_CONFIG ||
		    strncmp(err.msg, where, strlen(where)) != 0 ||
		    !strstr(err.msg, bad_cases[i].says))
			fail_msg("case %zu: rc %d status %d message \"%s\", want \"%s…%s\"", i, rc,
				 err.status, err.msg, where, bad_cases[i].says);
		unlink(path);
		free(path);
		score_model_clear(&m);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_owns),
	    cmocka_unit_test(test_shipped_file_is_the_default),
	    cmocka_unit_test(test_overrides),
	    cmocka_unit_test(test_bad_rules),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
