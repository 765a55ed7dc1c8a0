/* rows.c — the rows of the four exports: the file names and canonical
 * headers (SPEC §3), a lead, an event, an opportunity.
 *
 * A writer puts what it is given into the row, with the generator's
 * quoting (csvout.c); it must not draw from a PRNG or decide what is true of
 * a lead. The bad rows reuse these writers with a text in place of a value.
 * gen_write_opp() also keeps the last good opportunity row for bad.c's
 * duplicates. */
#include "gen_run.h"

#include <stdlib.h>

const char *const gen_file_name[SRC_COUNT] = {
    "leads.csv",
    "events.csv",
    "spend.csv",
    "opportunities.csv",
};

const char *const gen_header[SRC_COUNT] = {
    [SRC_LEADS] = "lead_id,created_at,channel,campaign,job_title,company_size,industry,"
		  "country,mql_at,accepted_at,rejected_at,sql_at,first_contact_at,"
		  "opportunity_at,won_at,lost_at,amount\n",
    [SRC_EVENTS] = "lead_id,occurred_at,type,channel,campaign\n",
    [SRC_SPEND] = "date,channel,campaign,amount,currency\n",
    [SRC_OPPORTUNITIES] =
	"opportunity_id,lead_id,created_at,closed_at,stage,is_won,is_closed,amount\n",
};

/* Lead l as lead number `num`; created_text and mql_text replace those
 * values when not NULL; break_title writes an unquoted "VP, Marketing". */
void gen_write_lead(obuf *b, const glead *l, uint64_t num, const char *created_text,
		    const char *mql_text, bool break_title)
{
	ob_lead_id(b, num);
	ob_putc(b, ',');
	if (created_text)
		ob_field(b, created_text);
	else
		ob_ts(b, l->t[LT_CREATED], l->fmt[LT_CREATED], l->off_min);
	ob_putc(b, ',');
	ob_field(b, l->channel_text);
	ob_putc(b, ',');
	ob_field(b, l->campaign);
	ob_putc(b, ',');
	if (break_title)
		ob_puts(b, "VP, Marketing");
	else
		ob_field(b, l->title);
	ob_putc(b, ',');
	ob_field(b, l->size_text);
	ob_putc(b, ',');
	ob_field(b, l->industry_text);
	ob_putc(b, ',');
	ob_field(b, l->country_text);
	for (int f = LT_MQL; f < LT_COUNT; f++) {
		ob_putc(b, ',');
		if (f == LT_MQL && mql_text)
			ob_field(b, mql_text);
		else
			ob_ts(b, l->t[f], l->fmt[f], l->off_min);
	}
	ob_putc(b, ',');
	if (l->cents >= 0)
		ob_money(b, l->cents, l->fancy_amount);
	ob_endrow(b);
}

/* Event e of lead number `num`; type_text replaces its type when not NULL. */
void gen_write_event(obuf *b, uint64_t num, const gev *e, int off_min, const char *type_text)
{
	ob_lead_id(b, num);
	ob_putc(b, ',');
	ob_ts(b, e->at, e->fmt, off_min);
	ob_putc(b, ',');
	ob_puts(b, type_text	   ? type_text
		   : b->type_names ? b->type_names[e->type]
				   : ev_kind_name[e->type]);
	ob_putc(b, ',');
	ob_field(b, e->channel);
	ob_putc(b, ',');
	ob_field(b, e->campaign);
	ob_endrow(b);
}

/* Opportunity o of lead number `lead_num`; created_text replaces its
 * created_at when not NULL. Duplicates that bad.c asked for before the first
 * good opportunity follow it. */
void gen_write_opp(gen *g, const gopp *o, uint64_t lead_num, const char *created_text)
{
	obuf *b = &g->out[SRC_OPPORTUNITIES];
	size_t start = b->len;
	if (start + 512 > OBUF_CAP) {
		ob_flush(b);
		start = 0;
	}
	char id[32];
	snprintf(id, sizeof id, o->bad ? "OPP-B%06llu" : "OPP-%07llu", (unsigned long long)o->id);
	ob_puts(b, id);
	ob_putc(b, ',');
	ob_lead_id(b, lead_num);
	ob_putc(b, ',');
	if (created_text)
		ob_field(b, created_text);
	else
		ob_ts(b, o->created, o->fmt_created, 0);
	ob_putc(b, ',');
	ob_ts(b, o->closed, o->fmt_closed, 0);
	ob_putc(b, ',');
	ob_field(b, o->stage);
	ob_putc(b, ',');
	static const char *const yes[] = {"true", "TRUE", "1", ""};
	static const char *const no[] = {"false", "FALSE", "0", ""};
	ob_puts(b, o->won ? yes[o->won_style] : no[o->won_style]);
	ob_putc(b, ',');
	ob_puts(b, o->is_closed ? "true" : "false");
	ob_putc(b, ',');
	ob_money(b, o->cents, false);
	ob_endrow(b);
	if (o->bad || created_text)
		return;
	free(g->last_opp_row);
	g->last_opp_row = xstrndup(b->buf + start, b->len - start);
	for (; g->pending_opp_dups > 0; g->pending_opp_dups--) {
		ob_puts(b, g->last_opp_row);
		b->rows++;
	}
}
