/* load_rows.c — the header binding and the rows of each source (leads,
 * events, spend, opportunities): fields mapped, parsed and normalised into
 * the data set, bad rows rejected with a reason, warnings counted. It must
 * not read files or know about threads beyond the loader's interner: the
 * reader (load_read.c) feeds it records. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fasthash.h"
#include "loader.h"
#include "money.h"
#include "normalize.h"
#include "sfid.h"
#include "textenc.h"
#include "timeparse.h"

/* A mapped field, trimmed; the literal `null` is empty under presets that
 * write it. Returns false when the field is absent or empty. */
static inline bool field(const loader *L, const csvr_field *f, int c, const char **s, size_t *len)
{
	int i = L->m.col[c];
	if (i < 0) {
		*s = "";
		*len = 0;
		return false;
	}
	*s = f[i].s;
	*len = f[i].len;
	norm_trim(s, len);
	if (L->null_literal && *len == 4 && norm_eq_nocase(*s, 4, "null"))
		*len = 0;
	return *len > 0;
}

/* With the leads from Salesforce, an id that joins two records (a lead id,
 * an opportunity id, a lead's converted opportunity id) of 15 letters and
 * digits is taken in its 18-character form (sfid.h), so that a report's id
 * and an API export's name the same record. The form is written to buf,
 * which must outlive the use of *s. */
static void sf_id18(const loader *L, char buf[19], const char **s, size_t *len)
{
	if (!L->sf_ids || *len != 15)
		return;
	for (size_t i = 0; i < 15; i++)
		if (!g_ascii_isalnum((*s)[i]))
			return;
	memcpy(buf, *s, 15);
	sf_id_suffix(buf, buf + 15);
	buf[18] = '\0';
	*s = buf;
	*len = 18;
}

static sym trimmed_sym(loader *L, const char *s, size_t len)
{
	return pool_intern(L->in.pool, s, len);
}

static void warn(loader *L, int c, uint32_t line)
{
	if (!L->warn[c]++)
		L->warn_line[c] = line;
}

void loader_reject(loader *L, const csvr_field *f, size_t n, uint32_t line, const char *reason)
{
	if (n > L->rcap) {
		L->rcap = n;
		L->rf = xrealloc(L->rf, n * sizeof *L->rf);
		L->rl = xrealloc(L->rl, n * sizeof *L->rl);
	}
	for (size_t i = 0; i < n; i++) {
		L->rf[i] = f[i].s;
		L->rl[i] = f[i].len;
	}
	dataset_reject(L->out, L->src, line, reason, L->rf, L->rl, n);
	if (n < L->m.nheader && strcmp(reason, "wrong_field_count") == 0)
		L->dx.last_reject = line; /* short: what a cut leaves of a row */
	source_stats *st = &L->out->src[L->src];
	kvcounts_add(&st->rejected_by_reason, reason, 1);
	st->rows_rejected++;
}

#define reject_row loader_reject

/* Whether every field of a record is empty once trimmed: a row a
 * spreadsheet cleared, written as its separators alone (`;;;;`). */
static bool all_empty(const csvr_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		const char *s = f[i].s;
		size_t len = f[i].len;
		norm_trim(&s, &len);
		if (len)
			return false;
	}
	return true;
}

/* A row rejected for column c: missing_<column>, unparseable_<column>. A
 * row whose every field is empty is no row, as a blank line is not: it is
 * not counted at all. Only a row already missing a required value is
 * looked at for that. */
static void reject_col(loader *L, const csvr_field *f, size_t n, uint32_t line, const char *what,
		       int c)
{
	if (what[0] == 'm' && all_empty(f, n)) {
		L->out->src[L->src].rows_read--;
		return;
	}
	char reason[64];
	snprintf(reason, sizeof reason, "%s_%s", what, colmap_column[c]);
	reject_row(L, f, n, line, reason);
}

/* An optional timestamp: unparseable → empty and a warning. */
static ts_ms opt_time(loader *L, const csvr_field *f, int c, uint32_t line)
{
	const char *s;
	size_t len;
	ts_ms t;
	if (!field(L, f, c, &s, &len))
		return TS_NONE;
	if (ts_parse(s, len, L->tz, L->dfmt, &t))
		return t;
	warn(L, c, line);
	return TS_NONE;
}

/* An amount of currency `code` written with another's sign ($ in a EUR
 * report): read as written (SPEC §3 takes the sign as decoration), and
 * counted, so that the operator hears of it (cmd/notes.c). */
static void sign_check(loader *L, const char *s, size_t len, const char *code, uint32_t line)
{
	if (!money_sign_fits(s, len, code)) {
		if (!L->dx.sign_line)
			L->dx.sign_line = line;
		L->dx.sign_other++;
	}
	/* with a decimal point: how many amounts have three digits after it */
	int digits = L->dec_comma ? -1 : money_point_digits(s, len);
	if (digits == 3) {
		if (!L->dx.point3_line)
			L->dx.point3_line = line;
		L->dx.point3++;
	} else if (digits >= 0) {
		L->dx.point_other++;
	}
}

static const char *report_currency(const loader *L)
{
	return L->cfg->currency ? L->cfg->currency : "USD";
}

/* An amount written after an ISO code (`USD 23,000.00`) whose code is not
 * the report's currency: read as written all the same and counted, as an
 * amount with another currency's sign is (sign_check). */
static void code_check(loader *L, const char *code, uint32_t line)
{
	if (norm_eq_nocase(code, 3, report_currency(L)))
		return;
	if (!L->dx.sign_line)
		L->dx.sign_line = line;
	L->dx.sign_other++;
}

/* An optional amount: unparseable or negative → empty and a warning. */
static double opt_amount(loader *L, const csvr_field *f, int c, uint32_t line)
{
	const char *s;
	size_t len;
	double v;
	if (!field(L, f, c, &s, &len))
		return NAN;
	if (money_parse_style(s, len, L->dec_comma, &v) && v >= 0) {
		sign_check(L, s, len, report_currency(L), line);
		return v;
	}
	/* only once the common forms failed: a code before the number */
	char code[4];
	if (money_parse_coded(s, len, L->dec_comma, &v, code) && v >= 0) {
		code_check(L, code, line);
		sign_check(L, s, len, report_currency(L), line);
		return v;
	}
	if (!L->dx.amount_bad[0])
		norm_example(L->dx.amount_bad, sizeof L->dx.amount_bad, s, len);
	warn(L, c, line);
	return NAN;
}

static int8_t opt_bool(loader *L, const csvr_field *f, int c, uint32_t line)
{
	const char *s;
	size_t len;
	int8_t v;
	if (!field(L, f, c, &s, &len))
		return -1;
	if (norm_bool(s, len, &v))
		return v;
	warn(L, c, line);
	return -1;
}

/* A required timestamp: 0 ok, else the reject reason's prefix. */
static const char *req_time(loader *L, const csvr_field *f, int c, ts_ms *out)
{
	const char *s;
	size_t len;
	if (!field(L, f, c, &s, &len))
		return "missing";
	if (!ts_parse(s, len, L->tz, L->dfmt, out))
		return "unparseable";
	return NULL;
}

/* ---- rows of each source ---- */

/* Append a lead, or replace the one with the same id (the later row wins). */
void loader_add_lead(dataset *ds, symmap *lead_of, const lead *l)
{
	uint32_t at = symmap_get(lead_of, l->id);
	if (at != NO_LEAD) {
		ds->leads[at] = *l;
		ds->duplicate_leads++;
		return;
	}
	if (ds->nleads == ds->leads_cap)
		VEC_RESERVE(ds->leads, ds->leads_cap, ds->nleads + 1);
	ds->leads[ds->nleads] = *l;
	symmap_set(lead_of, l->id, (uint32_t)ds->nleads);
	ds->nleads++;
}

/* mql_source = status: the lead is an MQL at its mql_at column (or when
 * that is empty or not asked for, its created date) when its status is
 * one of the configured values; else it has no MQL date. */
static void status_mql(loader *L, const csvr_field *f, lead *l)
{
	const char *s;
	size_t len;
	ts_ms at = L->cfg->mql_status_dated ? lead_t(L->out, l, LT_MQL) : TS_NONE;
	lead_set_t(L->out, l, LT_MQL, TS_NONE);
	if (!field(L, f, CC_LEAD_STATUS, &s, &len))
		return;
	norm_trim(&s, &len);
	for (char **v = L->cfg->mql_status_values; v && *v; v++) {
		if (norm_eq_nocase(s, len, *v)) {
			lead_set_t(L->out, l, LT_MQL,
				   at != TS_NONE ? at : lead_t(L->out, l, LT_CREATED));
			return;
		}
	}
}

static void row_lead(loader *L, const csvr_field *f, size_t n, uint32_t line)
{
	const char *s, *why;
	size_t len;
	lead l;
	if (!field(L, f, CC_LEAD_ID, &s, &len)) {
		reject_col(L, f, n, line, "missing", CC_LEAD_ID);
		return;
	}
	if (memchr(s, '+', len) && norm_sci_id(s, len)) {
		reject_row(L, f, n, line, "id_scientific_notation");
		return;
	}
	sf_id18(L, L->sf_buf, &s, &len);
	const char *id = s;
	size_t idlen = len;
	ts_ms created;
	if ((why = req_time(L, f, CC_CREATED_AT, &created))) {
		reject_col(L, f, n, line, why, CC_CREATED_AT);
		return;
	}
	lead_set_t(L->out, &l, LT_CREATED, created);
	for (int t = 1; t < LT_COUNT; t++)
		lead_set_t(L->out, &l, t, opt_time(L, f, CC_LEAD_TIME(t), line));
	l.amount = opt_amount(L, f, CC_AMOUNT, line);
	l.company_size = -1;
	if (field(L, f, CC_COMPANY_SIZE, &s, &len) &&
	    !norm_company_size(s, len, L->dec_comma, &l.company_size)) {
		l.company_size = -1;
		if (!L->dx.size_bad[0])
			norm_example(L->dx.size_bad, sizeof L->dx.size_bad, s, len);
		warn(L, CC_COMPANY_SIZE, line);
	}
	l.channel = field(L, f, CC_CHANNEL, &s, &len)
			? memo_val(&L->in, &L->m_chan, s, len, MK_NORM, &L->ch_alias)
			: 0;
	if (!l.channel)
		l.channel = L->unknown;
	l.campaign = field(L, f, CC_CAMPAIGN, &s, &len)
			 ? memo_val(&L->in, &L->m_camp, s, len, MK_TRIM, &L->camp_alias)
			 : L->unknown;
	l.job_title = field(L, f, CC_JOB_TITLE, &s, &len)
			  ? memo_val(&L->in, &L->m_title, s, len, MK_TRIM, NULL)
			  : 0;
	l.industry = field(L, f, CC_INDUSTRY, &s, &len)
			 ? memo_val(&L->in, &L->m_ind, s, len, MK_NORM, &L->ind_alias)
			 : 0;
	l.country = field(L, f, CC_COUNTRY, &s, &len)
			? memo_val(&L->in, &L->m_country, s, len, MK_UPPER, &L->country_alias)
			: 0;
	char conv[19]; /* the converted opportunity id's 18 characters; sf_buf holds the id's */
	l.converted_opp = 0;
	if (field(L, f, CC_CONVERTED_OPP, &s, &len)) {
		sf_id18(L, conv, &s, &len);
		l.converted_opp = intern_locked(&L->in, s, len);
	}
	l.line = line;
	if (L->cfg->mql_status)
		status_mql(L, f, &l);

	if (L->ids) {
		/* a parallel reader: the merge resolves ids and duplicates */
		l.id = idstore_add(L->ids, id, idlen);
		dataset *out = L->out;
		if (out->nleads == out->leads_cap)
			VEC_RESERVE(out->leads, out->leads_cap, out->nleads + 1);
		out->leads[out->nleads++] = l;
		out->src[L->src].rows_accepted++;
		return;
	}
	l.id = intern_locked(&L->in, id, idlen);
	loader_add_lead(L->ds, L->lead_of, &l);
	L->ds->src[L->src].rows_accepted++;
}

/* The common shape of an event row: type, channel and campaign in three
 * adjacent columns, back to back in the reader's buffer. Their raw text
 * then decides the tag, memoised in one probe; anything else goes through
 * the three fields one by one. */
static bool tag_span(const loader *L, const csvr_field *f, const char **s, size_t *len)
{
	int c = L->m.col[CC_TYPE];
	if (c < 0 || L->m.col[CC_CHANNEL] != c + 1 || L->m.col[CC_CAMPAIGN] != c + 2)
		return false;
	if (f[c + 1].s != f[c].s + f[c].len + 1 || f[c + 2].s != f[c + 1].s + f[c + 1].len + 1)
		return false;
	*s = f[c].s;
	*len = (size_t)(f[c + 2].s + f[c + 2].len - f[c].s);
	return true;
}

/* The tag memoised for a span: its line, else the memo behind it (and the
 * line then holds it). */
static bool span_tag(loader *L, const char *s, size_t len, uint32_t *tag)
{
	if (linememo_get(&L->m_line, s, len, tag))
		return true;
	if (!memo_get(&L->m_span, s, len, tag))
		return false;
	linememo_put(&L->m_line, s, len, *tag);
	return true;
}

static void row_event(loader *L, const csvr_field *f, size_t n, uint32_t line)
{
	const char *s, *why;
	size_t len;
	ts_ms at;
	uint32_t tag;
	sym type, channel, campaign;
	if (!field(L, f, CC_LEAD_ID, &s, &len)) {
		reject_col(L, f, n, line, "missing", CC_LEAD_ID);
		return;
	}
	sf_id18(L, L->sf_buf, &s, &len);
	const char *id = s;
	size_t idlen = len;
	if ((why = req_time(L, f, CC_OCCURRED_AT, &at))) {
		reject_col(L, f, n, line, why, CC_OCCURRED_AT);
		return;
	}
	const char *span;
	size_t span_len;
	bool shaped = tag_span(L, f, &span, &span_len);
	if (shaped && span_tag(L, span, span_len, &tag)) {
		evq_push(&L->q, L->lx, L->out, id, idlen, at, tag);
		L->out->src[L->src].rows_accepted++;
		return;
	}
	if (!field(L, f, CC_TYPE, &s, &len) ||
	    !(type = memo_sym(&L->in, &L->m_type, s, len, &L->ty_alias))) {
		reject_col(L, f, n, line, "missing", CC_TYPE);
		return;
	}
	channel = field(L, f, CC_CHANNEL, &s, &len)
		      ? memo_sym(&L->in, &L->m_chan, s, len, &L->ch_alias)
		      : 0;
	if (!channel)
		channel = L->unknown;
	campaign = field(L, f, CC_CAMPAIGN, &s, &len)
		       ? memo_val(&L->in, &L->m_camp, s, len, MK_TRIM, &L->camp_alias)
		       : L->unknown;
	tag = memo_tag(&L->in, &L->m_tag, L->ds, type, channel, campaign);
	if (shaped) {
		memo_put(&L->m_span, span, span_len, tag);
		linememo_put(&L->m_line, span, span_len, tag);
	}
	evq_push(&L->q, L->lx, L->out, id, idlen, at, tag);
	L->out->src[L->src].rows_accepted++;
}

static void row_spend(loader *L, const csvr_field *f, size_t n, uint32_t line)
{
	const char *s;
	size_t len;
	spend_row r;
	if (!field(L, f, CC_DATE, &s, &len)) {
		reject_col(L, f, n, line, "missing", CC_DATE);
		return;
	}
	if (!ts_parse_day(s, len, L->rtz, L->dfmt, &r.day)) {
		reject_col(L, f, n, line, "unparseable", CC_DATE);
		return;
	}
	const char *fixed = L->cfg->src[SRC_SPEND].channel; /* a file without a channel */
	if (fixed)
		s = fixed, len = strlen(fixed);
	if ((!fixed && !field(L, f, CC_CHANNEL, &s, &len)) ||
	    !(r.channel = intern_norm(&L->in, s, len, &L->ch_alias))) {
		reject_col(L, f, n, line, "missing", CC_CHANNEL);
		return;
	}
	if (!field(L, f, CC_AMOUNT, &s, &len)) {
		reject_col(L, f, n, line, "missing", CC_AMOUNT);
		return;
	}
	char code[4] = "";
	if (!money_parse_style(s, len, L->dec_comma, &r.amount) &&
	    !money_parse_coded(s, len, L->dec_comma, &r.amount, code)) {
		reject_col(L, f, n, line, "unparseable", CC_AMOUNT);
		return;
	}
	if (r.amount < 0) {
		reject_row(L, f, n, line, "negative_amount");
		return;
	}
	const char *amount = s;
	size_t amount_len = len;
	if (field(L, f, CC_CURRENCY, &s, &len) && !norm_eq_nocase(s, len, report_currency(L))) {
		reject_row(L, f, n, line, "foreign_currency");
		return;
	}
	if (code[0])
		code_check(L, code, line);
	sign_check(L, amount, amount_len, report_currency(L), line);
	r.campaign = field(L, f, CC_CAMPAIGN, &s, &len) ? trimmed_sym(L, s, len) : L->unknown;
	if (symmap_get(&L->camp_alias, r.campaign) != NO_LEAD)
		r.campaign = symmap_get(&L->camp_alias, r.campaign);
	dataset *ds = L->ds;
	VEC_RESERVE(ds->spend, ds->spend_cap, ds->nspend + 1);
	ds->spend[ds->nspend++] = r;
	ds->src[L->src].rows_accepted++;
}

static void row_opp(loader *L, const csvr_field *f, size_t n, uint32_t line)
{
	const char *s, *why;
	size_t len;
	opportunity o;
	if (!field(L, f, CC_OPPORTUNITY_ID, &s, &len)) {
		reject_col(L, f, n, line, "missing", CC_OPPORTUNITY_ID);
		return;
	}
	if (memchr(s, '+', len) && norm_sci_id(s, len)) {
		reject_row(L, f, n, line, "id_scientific_notation");
		return;
	}
	char idbuf[19]; /* the opportunity id's 18 characters; sf_buf holds the lead id's */
	sf_id18(L, idbuf, &s, &len);
	const char *id = s;
	size_t idlen = len;
	sym lead_id = 0;
	bool by_lead_id = L->m.col[CC_LEAD_ID] >= 0;
	if (by_lead_id) {
		if (!field(L, f, CC_LEAD_ID, &s, &len)) {
			reject_col(L, f, n, line, "missing", CC_LEAD_ID);
			return;
		}
		sf_id18(L, L->sf_buf, &s, &len);
		lead_id = pool_find(L->ds->pool, s, len);
	}
	if ((why = req_time(L, f, CC_CREATED_AT, &o.created))) {
		reject_col(L, f, n, line, why, CC_CREATED_AT);
		return;
	}
	/* a deal in another currency is refused as a spend row is: its amount
	 * summed as the report's would be wrong by the exchange rate */
	if (field(L, f, CC_CURRENCY, &s, &len) && !norm_eq_nocase(s, len, report_currency(L))) {
		reject_row(L, f, n, line, "foreign_currency");
		return;
	}
	o.closed = opt_time(L, f, CC_CLOSED_AT, line);
	o.amount = opt_amount(L, f, CC_AMOUNT, line);
	o.stage = field(L, f, CC_STAGE, &s, &len) ? intern_norm(&L->in, s, len, &(symmap){0}) : 0;
	o.is_won = opt_bool(L, f, CC_IS_WON, line);
	o.is_closed = opt_bool(L, f, CC_IS_CLOSED, line);
	o.id = trimmed_sym(L, id, idlen);
	o.lead_ref = 0;
	if (by_lead_id) {
		o.lead = lead_id ? symmap_get(L->lead_of, lead_id) : NO_LEAD;
		if (o.lead == NO_LEAD && field(L, f, CC_LEAD_ID, &s, &len)) {
			sf_id18(L, L->sf_buf, &s, &len);
			if (L->ds->keep_orphan_ids)
				o.lead_ref = intern_locked(&L->in, s, len);
			if (memchr(s, '+', len) && norm_sci_id(s, len))
				dataset_sci_orphan(L->out, SRC_OPPORTUNITIES, s, len);
		}
	} else {
		o.lead = symmap_get(&L->conv_of, o.id);
	}

	dataset *ds = L->ds;
	uint32_t at = symmap_get(&L->opp_of, o.id);
	if (at != NO_LEAD) {
		ds->opps[at] = o;
		ds->duplicate_opps++;
	} else {
		VEC_RESERVE(ds->opps, ds->opps_cap, ds->nopps + 1);
		ds->opps[ds->nopps] = o;
		symmap_set(&L->opp_of, o.id, (uint32_t)ds->nopps);
		ds->nopps++;
	}
	ds->src[L->src].rows_accepted++;
}

/* ---- header and records ---- */

/* A header's error into L->err (loader.h). The run it stops publishes
 * nothing, rejects.csv included: the rows are listed by check. */
void loader_header_error(loader *L, const mq_err *why)
{
	const source_stats *ls = &L->ds->src[SRC_LEADS];
	if (L->src != SRC_LEADS && ls->present && ls->rows_rejected > 0 && ls->rows_accepted == 0)
		mq_err_set(L->err, why->status,
			   "%s — but first: no row of the leads (%s) was accepted (%lld "
			   "rejected; no rejects.csv is written for a run that stops: "
			   "`mqlreport check --show-rejects` lists them and why)",
			   why->msg, ls->location, (long long)ls->rows_rejected);
	else
		mq_err_set(L->err, why->status, "%s", why->msg);
}

/* The amount column's header, when it names another currency than the
 * report's ("Amount spent (EUR)"): noted once per file for the warning
 * (cmd/notes.c). The amounts are read as written all the same. */
static void note_named_currency(loader *L, const csvr_field *f)
{
	int i = L->m.col[CC_AMOUNT];
	if (i < 0)
		return;
	const char *s = f[i].s;
	size_t len = f[i].len;
	char code[4];
	norm_trim(&s, &len);
	if (!money_header_currency(s, len, code) ||
	    g_ascii_strcasecmp(code, report_currency(L)) == 0)
		return;
	const source_cfg *sc = &L->cfg->src[L->src];
	source_stats *st = &L->ds->src[L->src];
	st->named_currencies = xrealloc(st->named_currencies,
					(st->nnamed_currencies + 1) * sizeof *st->named_currencies);
	named_currency *nc = &st->named_currencies[st->nnamed_currencies++];
	nc->file = xstrdup(L->name);
	nc->group = sc->name ? xasprintf("%s.%s", source_name[L->src], sc->name)
			     : xstrdup(source_name[L->src]);
	nc->header = xstrndup(s, len);
	memcpy(nc->code, code, sizeof nc->code);
}

/* The columns read from the first of headers that differ only in case,
 * spaces and symbols (colmap.h): noted for the warning (cmd/notes.c). h
 * is the trimmed header. */
static void note_alike(loader *L, const csvr_field *h)
{
	const source_cfg *sc = &L->cfg->src[L->src];
	source_stats *st = &L->ds->src[L->src];
	for (int c = 0; c < CC_COUNT; c++) {
		int other = L->m.alike[c], read = L->m.col[c];
		if (other < 0 || read < 0)
			continue;
		st->alike = xrealloc(st->alike, (st->nalike + 1) * sizeof *st->alike);
		alike_header *a = &st->alike[st->nalike++];
		a->file = xstrdup(L->name);
		a->group = sc->name ? xasprintf("%s.%s", source_name[L->src], sc->name)
				    : xstrdup(source_name[L->src]);
		a->col = c;
		a->read = xstrndup(h[read].s, h[read].len);
		a->other = xstrndup(h[other].s, h[other].len);
		a->more = L->m.nalike[c] - 1;
	}
}

static int on_header(loader *L, const csvr_field *f, size_t n, uint32_t line)
{
	const source_cfg *sc = &L->cfg->src[L->src];
	source_stats *st = &L->ds->src[L->src];
	f = dialect_header(L, f, n, line);
	for (size_t i = 0; i < n; i++) {
		if (!textenc_valid(f[i].s, f[i].len)) {
			mq_err_set(L->err, MQ_DATAERR,
				   "%s:%u: column %zu: the header is not valid text%s", L->name,
				   line, i + 1,
				   sc->encoding ? " (is the source's encoding right?)" : "");
			return -1;
		}
	}
	/* trimmed header names */
	csvr_field *h = xmalloc((n ? n : 1) * sizeof *h);
	for (size_t i = 0; i < n; i++) {
		h[i] = f[i];
		norm_trim(&h[i].s, &h[i].len);
	}
	/* opportunities may join through the leads' converted opportunity id */
	static const int lead_id_ok[] = {CC_LEAD_ID, -1};
	static const int channel_ok[] = {CC_CHANNEL, -1};
	const int *optional_ok = L->src == SRC_OPPORTUNITIES && L->conv_of.len ? lead_id_ok : NULL;
	if (L->src == SRC_SPEND && sc->channel)
		optional_ok = channel_ok; /* the fixed channel of a file without one */
	/* a further spend file's hints name its own [source.spend.NAME] */
	char *group = sc->name ? xasprintf("%s.%s", source_name[L->src], sc->name) : NULL;
	colmap_where at = {.name = L->name,
			   .line = line,
			   .group = group ? group : source_name[L->src],
			   .quoted = csvr_quoted(L->r)};
	mq_err why = {0};
	int rc = colmap_bind(&L->m, L->src, sc->preset, &sc->columns, h, n, &at, optional_ok,
			     &st->unknown_columns, &st->repeated_of, &st->unread_like, &why);
	if (rc == 0)
		note_alike(L, h);
	free(h);
	free(group);
	if (rc != 0 && why.status == MQ_DATAERR) {
		/* a line lacking a required column may be a report's title
		 * line; one binding them all is the header, its error its own */
		bool complete = false;
		int bound = colmap_bound(&L->m, L->src, optional_ok, &complete);
		if (!complete && dialect_preamble(L, f, n, bound, &why))
			return 0;
	}
	if (rc != 0) {
		loader_header_error(L, &why);
		return -1;
	}
	free(st->preset);
	st->preset = xstrdup(L->m.preset->name);
	L->us_dates = sc->us_dates || L->m.preset->us_dates;
	const char *leads_preset = L->ds->src[SRC_LEADS].preset;
	L->sf_ids = leads_preset && strcmp(leads_preset, "salesforce") == 0;
	L->null_literal = L->m.preset->null_literal;
	dialect_setup(L);
	if (L->src == SRC_LEADS && L->cfg->mql_status && L->m.col[CC_LEAD_STATUS] < 0) {
		mq_err_set(L->err, MQ_DATAERR,
			   "%s:%u: mql_source = status needs the leads' status column, which this "
			   "header lacks (name it with [columns.leads] lead_status = <header>)",
			   L->name, line);
		return -1;
	}
	if (L->src == SRC_LEADS) {
		L->ds->leads_have_mql = L->m.col[CC_MQL_AT] >= 0 || L->cfg->mql_status;
		L->ds->leads_have_converted |= L->m.col[CC_CONVERTED_OPP] >= 0;
	}
	if (L->src == SRC_OPPORTUNITIES)
		L->ds->opps_by_converted |= L->m.col[CC_LEAD_ID] < 0;
	note_named_currency(L, f);
	L->have_header = true;
	/* rows of the header's width take the reader's shorter path */
	csvr_expect(L->r, L->m.nheader);
	return 0;
}

int loader_on_record(void *ctx, const csvr_field *f, size_t n, uint32_t line)
{
	loader *L = ctx;
	if (n == 0) {
		if (L->have_header)
			dialect_end(L, line);
		return 0;
	}
	if (!L->have_header)
		return on_header(L, f, n, line);
	if (L->stop && g_atomic_int_get(L->stop))
		return -1;
	/* the reader hands fields back to back in one buffer: one pass over the
	 * span is enough when it is plain ASCII, and none when the reader saw
	 * that while splitting */
	const char *first = f[0].s, *end = f[n - 1].s + f[n - 1].len;
	if (!csvr_plain(L->r) &&
	    !(end >= first && textenc_plain_ascii(first, (size_t)(end - first))) &&
	    !(f = dialect_text(L, f, n, line)))
		return 0;
	if ((n != L->m.nheader || L->dx.npend || L->dx.in_footer || dialect_may_total(f)) &&
	    dialect_footer(L, f, n, line))
		return 0;
	source_stats *st = &L->out->src[L->src];
	st->rows_read++;
	if (n != L->m.nheader) {
		reject_row(L, f, n, line, "wrong_field_count");
		return 0;
	}
	switch (L->src) {
	case SRC_LEADS:
		row_lead(L, f, n, line);
		break;
	case SRC_EVENTS:
		row_event(L, f, n, line);
		break;
	case SRC_SPEND:
		row_spend(L, f, n, line);
		break;
	default:
		row_opp(L, f, n, line);
		break;
	}
	return 0;
}

void loader_rows_flush(loader *L)
{
	if (L->lx)
		evq_flush(&L->q, L->lx, L->out);
	dataset_events_fence(); /* the caller may hand the rows to another thread */
}

void loader_rows_free(loader *L)
{
	intern_clear(&L->in);
	free(L->rf);
	free(L->rl);
	L->rf = NULL;
	L->rl = NULL;
	L->rcap = 0;
	memo_free(&L->m_type);
	memo_free(&L->m_chan);
	memo_free(&L->m_camp);
	memo_free(&L->m_title);
	memo_free(&L->m_ind);
	memo_free(&L->m_country);
	tagmemo_free(&L->m_tag);
	memo_free(&L->m_span);
	linememo_free(&L->m_line);
	dialect_free(L);
}
