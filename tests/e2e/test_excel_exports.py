"""Exports a spreadsheet or a CRM wrote its own way, read as docs/ingest.md
says: ids that Excel turned into scientific notation are rejected with their
own reason, and a whole file of them stops the run.

Usage: test_excel_exports.py /path/to/mqlreport (CTest passes the binary)."""
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

BIN = None
WEEK = "2026-W10"


def leads_csv(ids, amounts=None, sep=","):
    """A canonical leads export: one lead a day from 2026-03-02, each an MQL."""
    head = ["lead_id", "created_at", "channel", "campaign", "mql_at", "amount"]
    rows = [sep.join(head)]
    for k, lid in enumerate(ids):
        day = 2 + k % 5
        amount = amounts[k] if amounts else ""
        rows.append(sep.join([lid, f"2026-03-0{day}T09:00:00Z", "paid_search", "spring",
                              f"2026-03-0{day}T12:00:00Z", amount]))
    return "\n".join(rows) + "\n"


class Exports(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        self.data = os.path.join(self.tmp, "data")
        os.mkdir(self.data)
        self.write("events.csv", "lead_id,occurred_at,type,channel,campaign\n"
                   "L1,2026-03-02T09:30:00Z,content_download,paid_search,spring\n")
        self.write("spend.csv", "date,channel,campaign,amount,currency\n"
                   "2026-03-02,paid_search,spring,500.00,USD\n")

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def write(self, name, text):
        with open(os.path.join(self.data, name), "w", encoding="utf-8") as f:
            f.write(text)

    def check(self, *extra):
        return mql("check", "--data", self.data, "--week", WEEK, *extra)

    def ini(self, text):
        path = os.path.join(self.tmp, "mql.ini")
        with open(path, "w") as f:
            f.write(text)
        return path


class ScientificIds(Exports):
    def test_every_id_in_scientific_notation_stops_the_run(self):
        # a HubSpot export saved by Excel: every Record ID 1.95135E+11
        self.write("leads.csv", leads_csv(["1.95135E+11"] * 30))
        r = self.check()
        self.assertEqual(r.returncode, 65, r.stdout + r.stderr)
        out = r.stdout + r.stderr
        self.assertIn("id_scientific_notation", out)
        self.assertIn("scientific notation", out)
        self.assertIn("export the leads again", out)
        self.assertNotIn("repeat an earlier lead_id", out)

    def test_ids_of_a_decimal_comma_locale(self):
        # Excel in a German locale: 1,95135E+11 in a semicolon file
        ids = [f"L{k}" for k in range(40)] + ["1,95135E+11", "1,95136E+11"]
        self.write("leads.csv", leads_csv(ids, sep=";"))
        r = self.check("--show-rejects")
        self.assertIn("rows read 42, accepted 40, rejected 2", r.stdout, r.stdout + r.stderr)
        self.assertIn("id_scientific_notation", r.stdout)

    def test_a_few_such_ids_are_rejects_and_the_rest_is_read(self):
        ids = [f"L{k}" for k in range(40)] + ["2E+11", "1.2e+5"]
        self.write("leads.csv", leads_csv(ids))
        r = self.check("--show-rejects")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("rows read 42, accepted 40, rejected 2", r.stdout)
        self.assertIn("id_scientific_notation", r.stdout)

    def test_an_opportunity_id_in_scientific_notation_is_a_reject(self):
        self.write("leads.csv", leads_csv([f"L{k}" for k in range(20)]))
        opps = ["opportunity_id,lead_id,created_at,amount"]
        opps += [f"O{k},L{k},2026-03-04T10:00:00Z,100" for k in range(20)]
        opps.append("6.00652E+14,L1,2026-03-04T10:00:00Z,100")
        self.write("opportunities.csv", "\n".join(opps) + "\n")
        r = self.check("--show-rejects")
        self.assertIn("rows read 21, accepted 20, rejected 1", r.stdout)
        self.assertIn("id_scientific_notation", r.stdout)

    def test_ids_that_only_hold_a_plus_are_kept(self):
        ids = [f"L{k}" for k in range(20)] + ["A+1", "1E+", "1.E+5", "E+5"]
        self.write("leads.csv", leads_csv(ids))
        r = self.check()
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        self.assertIn("rows read 24, accepted 24, rejected 0", r.stdout)


class CurrencyCodes(Exports):
    """Amounts written after an ISO code, as Salesforce writes them."""

    def leads(self, amount, n=20):
        self.write("leads.csv", leads_csv([f"L{k}" for k in range(n)],
                                          [f'"{amount}"'] * n))

    def test_the_report_currency_code_is_read(self):
        self.leads("USD 23,000.00")
        r = self.check()
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 0, out)
        self.assertNotIn("could not be read", out)
        self.assertNotIn("warn amount_notation", out)

    def test_a_decimal_comma_after_the_code(self):
        self.leads("EUR 1.234,50")
        self.write("spend.csv", "date,channel,campaign,amount,currency\n"
                   "2026-03-02,paid_search,spring,500.00,EUR\n")
        ini = self.ini("[report]\ncurrency = EUR\n[source.leads]\ndecimal = comma\n")
        r = self.check("--config", ini)
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 0, out)
        self.assertIn("rows read 20, accepted 20, rejected 0", r.stdout)
        self.assertNotIn("could not be read", out)
        self.assertNotIn("warn amount_notation", out)

    def test_another_currency_code_is_not_summed_silently(self):
        self.leads("EUR 1,000.00")
        r = self.check()
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 0, out)
        self.assertNotIn("could not be read", out)
        self.assertIn("warn amount_notation: leads: 20 amounts written with another "
                      "currency's sign or code than the report's", out)
        self.assertIn("20 amounts are written with another currency's sign or code than USD's "
                      "(line 2 the first)", out)

    def test_three_capitals_that_are_no_currency_are_no_code(self):
        # a word, not a currency: the amount is not read as revenue
        self.leads("TBD 5,000")
        r = self.check()
        out = r.stdout + r.stderr
        self.assertIn("20 values could not be read", out)
        self.assertNotIn("amount_notation: leads", out)

    def test_a_code_after_the_number_is_still_refused(self):
        self.leads("23,000.00 USD")
        r = self.check()
        self.assertIn("20 values could not be read", r.stdout + r.stderr)

    def test_a_spend_amount_with_the_code(self):
        self.write("leads.csv", leads_csv([f"L{k}" for k in range(20)]))
        self.write("spend.csv", "date,channel,campaign,amount,currency\n"
                   '2026-03-02,paid_search,spring,"USD 1,500.00",USD\n'
                   '2026-03-03,paid_search,spring,"GBP 200.00",USD\n')
        r = self.check()
        out = r.stdout + r.stderr
        self.assertIn("rows read 2, accepted 2, rejected 0", r.stdout)
        self.assertIn("spend.csv: 1 amount is written with another currency's sign or code than "
                      "USD's (line 3 the first)", out)


class UnreadableAmountHints(Exports):
    """The health check of amounts left empty shows the first and says what
    it is written with, not a setting that would not read it."""

    def leads(self, amount, n=20):
        self.write("leads.csv", leads_csv([f"L{k}" for k in range(n)],
                                          [f'"{amount}"'] * n))

    def health_line(self, r):
        out = r.stdout + r.stderr
        lines = [x for x in out.splitlines() if "FAILED: unparseable_share: leads" in x]
        self.assertTrue(lines, out)
        return lines[0]

    def test_words_around_the_number_are_not_a_decimal_comma(self):
        self.leads("US$ 23,000.00")
        line = self.health_line(self.check())
        self.assertIn('amounts such as "US$ 23,000.00" are not read: a currency code', line)
        self.assertNotIn("decimal = comma", line)

    def test_a_decimal_point_under_decimal_comma(self):
        # the setting an earlier hint asked for, on Salesforce's amounts
        self.leads("USD 8,400.50")
        r = self.check("--config", self.ini("[source.leads]\ndecimal = comma\n"))
        line = self.health_line(r)
        self.assertIn('amounts such as "USD 8,400.50" are written with a decimal point, but '
                      "decimal = comma is set in [source.leads]: remove it", line)

    def test_values_below_zero_are_no_decimal_comma(self):
        self.leads("-5")
        line = self.health_line(self.check())
        self.assertIn('amounts below zero, such as "-5", are left empty', line)
        self.assertNotIn("decimal = comma", line)
        # below zero in the other notation too: left empty there as well, so
        # decimal = comma would only make the rest unreadable
        for amount in ("-1.234,50", "(1.234,50)"):
            self.leads(amount)
            r = self.check()
            self.assertNotIn("set decimal = comma", self.health_line(r), amount)
            self.assertNotIn("set decimal = comma", r.stderr, amount)

    def test_other_text_is_shown(self):
        self.leads("lots")
        line = self.health_line(self.check())
        self.assertIn('amounts such as "lots" are not read', line)
        self.assertNotIn("set decimal = comma", line)


class ClearedRows(Exports):
    """Rows Excel cleared, written as their separators alone, are skipped
    like blank lines wherever they are."""

    def test_separator_rows_in_the_middle_and_at_the_end(self):
        ids = [f"L{k}" for k in range(10)]
        rows = leads_csv(ids, sep=";").splitlines()
        rows = rows[:5] + [";;;;;", " ; ;;;\t;"] + rows[5:] + [";;;;;"] * 6
        self.write("leads.csv", "\r\n".join(rows) + "\r\n")
        self.write("spend.csv", "Datum;Kanal;Kampagne;Kosten;W\u00e4hrung\n"
                   "02.03.2026;paid_search;spring;1.234,56;EUR\n"
                   ";;;;\n"
                   "03.03.2026;paid_search;spring;980,50;EUR\n" + ";;;;\n" * 6)
        ini = self.ini("[report]\ncurrency = EUR\n[source.leads]\ndelimiter = ;\n"
                       "[source.spend]\ndelimiter = ;\ndate_format = dmy\ndecimal = comma\n"
                       "[columns.spend]\ndate = Datum\nchannel = Kanal\namount = Kosten\n"
                       "campaign = Kampagne\ncurrency = W\u00e4hrung\n")
        r = self.check("--config", ini)
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 0, out)
        self.assertIn("rows read 10, accepted 10, rejected 0", r.stdout)
        self.assertIn("rows read 2, accepted 2, rejected 0", r.stdout)
        self.assertNotIn("missing_", out)

    def test_a_row_with_one_value_is_still_a_reject(self):
        rows = leads_csv([f"L{k}" for k in range(30)]).splitlines()
        rows.append(",,,,,12")
        self.write("leads.csv", "\n".join(rows) + "\n")
        r = self.check("--show-rejects")
        self.assertIn("rows read 31, accepted 30, rejected 1", r.stdout)
        self.assertIn("missing_lead_id", r.stdout)


class DecimalCommaNote(Exports):
    """A few amounts written with a decimal comma stay under the health
    checks' limits: the log line that counts them says which setting reads
    them."""

    def test_a_german_amount_in_a_small_export(self):
        amounts = [""] * 35 + ['"23.000,00"']
        self.write("leads.csv", leads_csv([f"L{k}" for k in range(36)], amounts))
        r = self.check()
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 0, out)
        self.assertIn("1 value could not be read and was left empty (the row is kept): "
                      'amount 1 (line 37); amounts such as "23.000,00" are written with a '
                      "decimal comma: set decimal = comma in [source.leads]", out)

    def test_a_value_below_zero_is_no_decimal_comma(self):
        amounts = [""] * 35 + ["-5"]
        self.write("leads.csv", leads_csv([f"L{k}" for k in range(36)], amounts))
        r = self.check()
        out = r.stdout + r.stderr
        self.assertIn("amount 1 (line 37)", out)
        self.assertNotIn("decimal = comma", out)

    def test_a_decimal_point_under_decimal_comma(self):
        amounts = [""] * 35 + ['"USD 8,400.50"']
        self.write("leads.csv", leads_csv([f"L{k}" for k in range(36)], amounts))
        r = self.check("--config", self.ini("[source.leads]\ndecimal = comma\n"))
        self.assertIn('amounts such as "USD 8,400.50" are written with a decimal point, but '
                      "decimal = comma is set in [source.leads]: remove it", r.stdout + r.stderr)


def sf_id18(id15):
    """Salesforce's 18-character form of a 15-character id."""
    code = "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345"
    return id15 + "".join(
        code[sum(1 << k for k, c in enumerate(id15[b:b + 5]) if "A" <= c <= "Z")]
        for b in (0, 5, 10))


class GermanEmployeeCounts(Exports):
    """A Salesforce report of a user with a German locale writes "No. of
    Employees" as 1.200, its bands as 1.001-5.000: with the settings
    docs/ingest.md gives a German locale (date_format = dmy, decimal =
    comma, the labels mapped), a point there separates thousands."""

    SIZES = ["1.200", "250", "1.001-5.000", "10.000+", "1.001 - 5.000", "12.500"]
    WANT = [1200, 250, 1001, 10000, 1001, 12500]

    def report(self, sizes, amount="EUR 1.234,50"):
        """A German report, windows-1252, one lead a day from 2 March; the
        spend beside it in euros."""
        self.write("spend.csv", "date,channel,campaign,amount,currency\n"
                   "2026-03-02,paid_search,spring,500.00,EUR\n")
        lines = ['"Leads mit MQL-Datum"', '"Gefiltert nach:  Lead-Inhaber gleich Marketing"',
                 '""', '"Lead-ID";"Erstelldatum";"Lead-Quelle";"Position";'
                 '"Mitarbeiteranzahl";"Land";"MQL-Datum";"Betrag"']
        for k, size in enumerate(sizes):
            day = 2 + k % 5
            lines.append(f'"00Q5e000006mi{k:02d}";"0{day}.03.2026 08:00";"Web";'
                         f'"Gesch\u00e4ftsf\u00fchrer";"{size}";"Deutschland";'
                         f'"0{day}.03.2026 14:05";"{amount}"')
        lines += ['""', '""', '"Leads mit MQL-Datum"',
                  '"Copyright (c) 2000-2026 salesforce.com, inc. Alle Rechte vorbehalten."',
                  '"Vertrauliche Informationen - Nicht weitergeben"',
                  '"Erstellt von:  Jana Roe  09.03.2026 09:12"', '"Beispiel GmbH"']
        with open(os.path.join(self.data, "leads.csv"), "wb") as f:
            f.write(("\r\n".join(lines) + "\r\n").encode("cp1252"))

    def config(self, comma=True):
        d = self.data
        return self.ini(
            f"[report]\ncurrency = EUR\n[source.leads]\nlocation = {d}/leads.csv\n"
            f"preset = salesforce\ndate_format = dmy\n"
            + ("decimal = comma\n" if comma else "")
            + "[columns.leads]\nlead_id = Lead-ID\ncreated_at = Erstelldatum\n"
            "channel = Lead-Quelle\njob_title = Position\ncompany_size = Mitarbeiteranzahl\n"
            "country = Land\nmql_at = MQL-Datum\namount = Betrag\n"
            f"[source.events]\nlocation = {d}/events.csv\n"
            f"[source.spend]\nlocation = {d}/spend.csv\n")

    def test_counts_and_bands_with_points_are_read(self):
        self.report(self.SIZES)
        cfg = self.config()
        r = mql("check", "--config", cfg, "--week", WEEK)
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 0, out)
        self.assertIn("rows read 6, accepted 6, rejected 0", r.stdout)
        self.assertNotIn("could not be read", out)
        self.assertNotIn("unparseable", out)
        # the count itself, as the score's explanation shows it
        for k, want in enumerate(self.WANT):
            lead = sf_id18(f"00Q5e000006mi{k:02d}")
            r = mql("score", "--config", cfg, "--week", WEEK, "--explain", lead)
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            size = [x.split() for x in r.stdout.splitlines() if "company_size" in x]
            self.assertEqual(size[0][1], str(want), (self.SIZES[k], r.stdout))

    def test_without_decimal_comma_the_hint_names_it(self):
        # a point is a decimal point there: 1.200 is not a count, and the
        # message names the setting that reads it
        self.report(["1.200"] * 6, amount="")
        r = mql("check", "--config", self.config(comma=False), "--week", WEEK)
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 65, out)
        self.assertIn("FAILED: unparseable_share: leads: 6 company_size values", out)
        self.assertIn("one written 1.200 is read with decimal = comma in [source.leads]", out)

    def test_a_few_such_counts_are_named_with_the_setting(self):
        # under the health checks' limits: only the log line says why
        self.report(["250"] * 40 + ["1.200"], amount="")
        r = mql("check", "--config", self.config(comma=False), "--week", WEEK)
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 0, out)
        self.assertIn("1 value could not be read and was left empty (the row is kept): "
                      "company_size 1 (line 45); company sizes such as \"1.200\" are written "
                      "with a point between thousands: set decimal = comma in [source.leads]",
                      out)
        # nor is the setting named for what it would not read either
        self.report(["250"] * 40 + ["viele"], amount="")
        r = mql("check", "--config", self.config(comma=False), "--week", WEEK)
        self.assertIn("company_size 1 (line 45)", r.stderr)
        self.assertNotIn("decimal = comma", r.stderr)

    def test_what_decimal_comma_does_not_read_is_said(self):
        self.report(["viele"] * 6)
        r = mql("check", "--config", self.config(), "--week", WEEK)
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 65, out)
        self.assertIn("company_size reads as a number of employees or a band such as 51-200, "
                      "with a point or a space between thousands (1.200, as decimal = comma is "
                      "set in [source.leads]) or a comma (1,200)", out)


class FrenchSpaces(Exports):
    """French Excel writes an amount 1 234,50 € with a no-break space
    (U+00A0) before the sign, and newer French locales a narrow no-break
    space (U+202F) between thousands: read as the ASCII spaces they look
    like, with decimal = comma."""

    NBSP, NNBSP = "\u00a0", "\u202f"

    def spend(self, amounts):
        rows = ["\ufeffDate;Canal;Campagne;Montant"]
        rows += [f"0{2 + k}/03/2026;paid_search;spring;{a}" for k, a in enumerate(amounts)]
        self.write("spend.csv", "\r\n".join(rows) + "\r\n")

    def config(self, comma=True):
        return self.ini("[report]\ncurrency = EUR\n[source.spend]\ndate_format = dmy\n"
                        + ("decimal = comma\n" if comma else "")
                        + "[columns.spend]\ndate = Date\nchannel = Canal\n"
                        "campaign = Campagne\namount = Montant\n")

    def test_french_excel_amounts_are_summed(self):
        self.write("leads.csv", leads_csv([f"L{k}" for k in range(20)]))
        nb, nn = self.NBSP, self.NNBSP
        self.spend([f"1{nb}234,50{nb}\u20ac", f"99,90{nb}\u20ac", f"1{nn}500,00{nb}\u20ac",
                    f"2{nn}000{nn}\u20ac", f"\u20ac{nb}100,00", f"EUR{nb}1{nn}000,00"])
        out_dir = os.path.join(self.tmp, "out")
        r = mql("run", "--data", self.data, "--week", WEEK, "--config", self.config(),
                "--out", out_dir, "--no-email")
        self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
        with open(os.path.join(out_dir, "metrics.json"), encoding="utf-8") as f:
            m = json.load(f)
        src = [s for s in m["data_quality"]["sources"] if s["source"] == "spend"][0]
        self.assertEqual((src["rows_accepted"], src["rows_rejected"]), (6, 0), src)
        self.assertAlmostEqual(m["windows"]["1w"]["spend"],
                               1234.5 + 99.9 + 1500 + 2000 + 100 + 1000)

    def test_a_space_that_is_still_not_read_is_a_clear_reject(self):
        # a thin space (U+2009) is no separator the docs name: rejected,
        # and the message points at the amounts and the setting in use
        self.write("leads.csv", leads_csv([f"L{k}" for k in range(20)]))
        self.spend(["1\u2009234,50\u00a0\u20ac"])
        r = self.check("--config", self.config(), "--show-rejects")
        out = r.stdout + r.stderr
        self.assertEqual(r.returncode, 65, out)
        self.assertIn("spend.csv:2: unparseable_amount", out)
        self.assertIn("its amounts are read as 1.234,50 (decimal = comma is set in "
                      "[source.spend])", out)

    def test_without_decimal_comma_the_setting_is_named(self):
        self.write("leads.csv", leads_csv([f"L{k}" for k in range(20)]))
        self.spend([f"1{self.NNBSP}234,50{self.NBSP}\u20ac"])
        r = self.check("--config", self.config(comma=False))
        self.assertEqual(r.returncode, 65, r.stdout + r.stderr)
        self.assertIn("set decimal = comma in [source.spend]", r.stdout + r.stderr)


def mql(*args, **kw):
    return subprocess.run([BIN, *args], capture_output=True, text=True, timeout=120, **kw)


if __name__ == "__main__":
    BIN = sys.argv.pop(1)
    unittest.main(verbosity=2)
